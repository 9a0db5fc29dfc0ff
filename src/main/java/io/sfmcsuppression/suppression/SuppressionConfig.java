package io.sfmcsuppression.suppression;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/** Suppression settings. */
@ConfigMapping(prefix = "suppression")
public interface SuppressionConfig {

    /** live, read-only or dry-run (SUPPRESSION_MODE). */
    @WithDefault("dry-run")
    @WithConverter(SuppressionModeConverter.class)
    SuppressionMode mode();
}
