package io.sfmcsuppression.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Intake: determinations per second durably accepted over HTTP (batches of 1 000, 4 concurrent
 * clients, PostgreSQL) against plain JDBC batches of the same rows into the same tables, same
 * database, same transaction size, measured alternately in the same run. Goal: at least 50 % of
 * the baseline, p99 batch latency under 250 ms.
 */
final class IntakeFigure implements Figure {

    static final int CLIENTS = 4;
    private static final int BATCH_SIZE = 1_000;
    private static final int BATCHES = 100;
    private static final int WARM_UP_BATCHES = 50;

    @Override
    public String name() {
        return "intake";
    }

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        int batchSize = options.smoke() ? 100 : BATCH_SIZE;
        int batches = options.smoke() ? 8 : BATCHES;
        int repeats = options.repeatsOr(5);
        Path work = Files.createTempDirectory("bench-intake");
        List<String> jvmArgs = new ArrayList<>();
        if (options.jfr()) {
            Files.createDirectories(options.results());
            jvmArgs.add("-XX:StartFlightRecording=filename=" + options.results().resolve("intake-service.jfr")
                    + ",settings=profile,dumponexit=true");
        }
        report.line("");
        report.line("## Intake");
        report.line("");
        report.line(String.format(Locale.ROOT, "%d clients, %d batches of %d per phase, %d repeats; baseline and service "
                + "alternate (odd repeats service first); ledger emptied and CHECKPOINT before each phase.",
                CLIENTS, batches, batchSize, repeats));
        report.line("");

        try (Postgres db = Postgres.throwaway("intake");
             ServiceProcess service = ServiceProcess.service(options, db, work, jvmArgs)) {
            report.line("PostgreSQL " + db.serverVersion() + "; service ready after "
                    + String.format(Locale.ROOT, "%.2f s", service.readySeconds()) + (options.jfr() ? "; JFR on" : "")
                    + (options.serviceJvm().isEmpty() ? "" : "; service JVM options " + options.serviceJvm()));
            report.line("");
            warmUp(db, service, options.smoke() ? 2 : WARM_UP_BATCHES, batchSize);

            report.table("repeat", "first", "baseline rows/s", "baseline p99 ms", "service rows/s", "service p50 ms",
                    "service p99 ms", "ratio", "service CPU ms / 1000 rows", "PostgreSQL CPU ms / 1000 rows: baseline, service",
                    "load 1m before");
            List<Double> ratios = new ArrayList<>();
            List<Double> p99s = new ArrayList<>();
            List<Double> baselineP99s = new ArrayList<>();
            List<Double> cpuPerRows = new ArrayList<>();
            List<Double> baselineDbCpu = new ArrayList<>();
            List<Double> twoPassRates = new ArrayList<>();
            List<Double> twoPassDbCpu = new ArrayList<>();
            List<Double> serviceDbCpu = new ArrayList<>();
            List<Double> baselineRates = new ArrayList<>();
            List<Double> serviceRates = new ArrayList<>();
            List<Double> loads = new ArrayList<>();
            Map<String, Long> rowsPerPhase = Map.of();
            for (int r = 1; r <= repeats; r++) {
                String runId = "bench-r" + r;
                List<Workload.Batch> work1 = Workload.batches(runId, batches, batchSize);
                boolean serviceFirst = r % 2 == 1;
                double load = Machine.load1();
                Load.Result baseline;
                Load.Result viaService;
                Map<String, Long> baselineRows;
                Map<String, Long> serviceRows;
                if (serviceFirst) {
                    viaService = servicePhase(db, service, work1);
                    serviceRows = db.rowsOfRun(runId);
                    baseline = phase(db, work1, () -> new JdbcBaseline(db, false));
                    baselineRows = db.rowsOfRun(runId);
                } else {
                    baseline = phase(db, work1, () -> new JdbcBaseline(db, false));
                    baselineRows = db.rowsOfRun(runId);
                    viaService = servicePhase(db, service, work1);
                    serviceRows = db.rowsOfRun(runId);
                }
                checkSameRows(baselineRows, serviceRows, (long) batches * batchSize);
                if (options.twoPass()) {
                    Load.Result twoPass = phase(db, work1, () -> new JdbcBaseline(db, true));
                    checkSameRows(baselineRows, db.rowsOfRun(runId), (long) batches * batchSize);
                    twoPassRates.add(twoPass.rowsPerSecond() / baseline.rowsPerSecond());
                    twoPassDbCpu.add(twoPass.databaseCpuMsPerThousandRows());
                }
                double ratio = viaService.rowsPerSecond() / baseline.rowsPerSecond();
                ratios.add(ratio);
                p99s.add(viaService.p99Ms());
                baselineP99s.add(baseline.p99Ms());
                cpuPerRows.add(viaService.cpuMsPerThousandRows());
                baselineDbCpu.add(baseline.databaseCpuMsPerThousandRows());
                serviceDbCpu.add(viaService.databaseCpuMsPerThousandRows());
                baselineRates.add(baseline.rowsPerSecond());
                serviceRates.add(viaService.rowsPerSecond());
                loads.add(load);
                report.row(r, serviceFirst ? "service" : "baseline", fmt("%.0f", baseline.rowsPerSecond()),
                        fmt("%.0f", baseline.p99Ms()), fmt("%.0f", viaService.rowsPerSecond()), fmt("%.0f", viaService.p50Ms()),
                        fmt("%.0f", viaService.p99Ms()), fmt("%.2f", ratio), fmt("%.0f", viaService.cpuMsPerThousandRows()),
                        fmt("%.0f", baseline.databaseCpuMsPerThousandRows()) + ", " + fmt("%.0f", viaService.databaseCpuMsPerThousandRows()),
                        fmt("%.2f", load));
                rowsPerPhase = serviceRows;
            }
            Stats ratio = Stats.of(ratios);
            Stats p99 = Stats.of(p99s);
            report.line("");
            report.line("Rows each phase wrote, identical for baseline and service (checked every repeat): " + rowsPerPhase);
            report.line("");
            report.line("- baseline (plain JDBC): " + Stats.of(baselineRates).format("%.0f") + " rows/s");
            report.line("- service over HTTP: " + Stats.of(serviceRates).format("%.0f") + " rows/s");
            report.line("- **ratio service / baseline: " + ratio.format("%.2f") + "**; goal ≥ 0.50: "
                    + verdict(options, ratio.median() >= 0.5));
            report.line("- **service p99 batch latency: " + p99.format("%.0f") + " ms**; goal < 250 ms: "
                    + verdict(options, p99.median() < 250));
            report.line("- baseline p99 batch latency: " + Stats.of(baselineP99s).format("%.0f") + " ms (with 4 clients in a "
                    + "closed loop a batch waits about 4 000 rows / throughput, so p99 < 250 ms needs about 16 000 rows/s)");
            report.line("- service process CPU per 1 000 rows (user + system; barely depends on the load, the number to "
                    + "compare before and after a change): " + Stats.of(cpuPerRows).format("%.0f") + " ms");
            report.line("- PostgreSQL server CPU per 1 000 rows: baseline " + Stats.of(baselineDbCpu).format("%.0f")
                    + " ms, service " + Stats.of(serviceDbCpu).format("%.0f") + " ms");
            if (options.twoPass()) {
                report.line("- diagnostic, baseline writing the routing in a second UPDATE pass as the service does (measured "
                        + "third in each repeat): throughput / baseline " + Stats.of(twoPassRates).format("%.2f")
                        + ", PostgreSQL CPU " + Stats.of(twoPassDbCpu).format("%.0f") + " ms per 1 000 rows");
            }
            report.line("- load average (1 min) before each repeat: " + Stats.of(loads).format("%.2f")
                    + "; at the end: " + Machine.loadAverage());
        }
    }

    private static void warmUp(Postgres db, ServiceProcess service, int batches, int batchSize) throws Exception {
        List<Workload.Batch> warm = Workload.batches("bench-warm-up", batches, batchSize);
        servicePhase(db, service, warm);
        phase(db, warm, () -> new JdbcBaseline(db, false));
    }

    private static Load.Result servicePhase(Postgres db, ServiceProcess service, List<Workload.Batch> batches) throws Exception {
        try {
            double cpuBefore = service.cpuSeconds();
            Load.Result result = phase(db, batches, () -> new HttpIntake(service.baseUri()));
            return result.withServiceCpu(service.cpuSeconds() - cpuBefore);
        } catch (Exception e) {
            service.requireAlive();
            throw e;
        }
    }

    private static Load.Result phase(Postgres db, List<Workload.Batch> batches, Load.ClientFactory clients) throws Exception {
        db.emptyLedger();
        Load.Result result = Load.run(batches, CLIENTS, clients);
        long expected = batches.stream().mapToLong(b -> b.rows().size()).sum();
        if (result.rows() != expected) {
            throw new IllegalStateException("Accepted " + result.rows() + " rows of " + expected);
        }
        return result;
    }

    /** The baseline is only a baseline if it wrote what the service writes. */
    private static void checkSameRows(Map<String, Long> baseline, Map<String, Long> service, long determinations) {
        if (!baseline.equals(service) || baseline.get("determinations") != determinations) {
            throw new IllegalStateException("Baseline and service wrote different rows: baseline " + baseline
                    + ", service " + service + ", expected " + determinations + " determinations");
        }
    }

    static String verdict(BenchOptions options, boolean met) {
        if (options.smoke()) {
            return "not judged (smoke)";
        }
        return met ? "met" : "**missed**";
    }

    static String fmt(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
