package io.sfmcsuppression.console;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The operations console. */
@ConfigMapping(prefix = "console")
public interface ConsoleConfig {

    /** How long the status page's chart of suppressions per day is reused before it is read again (CONSOLE_CHART_MAX_AGE). */
    @WithDefault("PT1M")
    Duration chartMaxAge();
}
