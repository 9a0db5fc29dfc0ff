package io.sfmcsuppression.intake;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the determination intake. */
@ConfigMapping(prefix = "intake")
public interface IntakeConfig {

    /** Most determinations one batch may hold; more is answered with 413 (INTAKE_MAX_BATCH_SIZE). */
    @WithDefault("10000")
    int maxBatchSize();

    /** Largest request body accepted on /api; larger is answered with 413 (INTAKE_MAX_BODY_SIZE). */
    @WithDefault("16M")
    MemorySize maxBodySize();
}
