package io.sfmcsuppression.export;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How completed runs are exported. */
@ConfigMapping(prefix = "export")
public interface ExportConfig {

    /**
     * How long an export waits, counted from the run's completion, for the run's suppressions to
     * leave PENDING; rows still pending then are exported as pending and retried later (EXPORT_MAX_WAIT).
     */
    @WithDefault("PT15M")
    Duration maxWait();

    /** How often the export job looks for completed runs and due mails; {@code off} disables the timer (EXPORT_EVERY). */
    @WithDefault("30s")
    String every();

    /**
     * Rows fetched per database round trip while streaming a run into its files (EXPORT_FETCH_SIZE):
     * 20 000 rows are a few MB, and fewer round trips mean less waiting (docs/BENCHMARKS.md, export).
     */
    @WithDefault("20000")
    int fetchSize();

    /** Longest time one export or mail step may hold its run's claim before the database gives it up (EXPORT_STEP_TIMEOUT). */
    @WithDefault("PT30M")
    Duration stepTimeout();
}
