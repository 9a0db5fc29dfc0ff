package io.sfmcsuppression.config;

import java.time.ZoneId;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Service-wide settings. */
@ConfigMapping(prefix = "app")
public interface AppConfig {

    /** Time zone in which a run's date is taken when the caller names none (APP_ZONE). */
    @WithDefault("America/New_York")
    ZoneId zone();
}
