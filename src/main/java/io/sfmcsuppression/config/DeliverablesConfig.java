package io.sfmcsuppression.config;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where and how a run's deliverables are written. */
@ConfigMapping(prefix = "deliverables")
public interface DeliverablesConfig {

    /** Directory holding one folder of CSV files per run (DELIVERABLES_DIR). */
    @WithDefault("./runs")
    Path dir();

    /** Business unit of a determination that names none (DELIVERABLES_DEFAULT_BUSINESS_UNIT). */
    @WithDefault("Marketing")
    String defaultBusinessUnit();
}
