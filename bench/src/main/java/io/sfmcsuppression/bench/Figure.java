package io.sfmcsuppression.bench;

/**
 * One figure of docs/BENCHMARKS.md: measures the service and its baseline in the same run, repeated,
 * and writes what it found into the report. A new figure (suppression, export, ...) is one class
 * implementing this plus its line in {@link Bench#FIGURES}.
 */
interface Figure {

    /** The name on the command line: {@code bench/run.sh <name>}. */
    String name();

    /**
     * Runs the figure. Throws when the harness itself does not work (a failed request, rows that
     * differ from the baseline's): that is what the CI smoke run checks. A missed goal is no error;
     * it is reported.
     */
    void run(BenchOptions options, Report report) throws Exception;
}
