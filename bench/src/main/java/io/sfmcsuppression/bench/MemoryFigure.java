package io.sfmcsuppression.bench;

import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static io.sfmcsuppression.bench.IntakeFigure.fmt;
import static io.sfmcsuppression.bench.IntakeFigure.verdict;

/**
 * Memory of the service under the load of issue 17, with the image's JVM settings and a 512 MiB
 * container limit emulated by {@code -XX:MaxRAM=512m} (the JVM sizes its heap from it as from a
 * cgroup limit): in one process, in live mode against the suppression figure's SFMC stand-in
 * (50 ms per upsert), 200 000 determinations in batches of 1 000 from 4 clients (the flusher sends
 * their suppressions meanwhile; the figure waits until the run has none PENDING), then 20 000 more
 * INACTIVE rows through the API and their drain until all are ADDED. Peak RSS is the process's VmHWM at the end. One repeat per setting,
 * the settings side by side in one run; the service runs on a JDK 25 with the AOT cache when
 * bench/run.sh found them, else on the harness's JDK with the fast-jar (said in the report).
 */
final class MemoryFigure implements Figure {

    private static final int LIMIT_MIB = 512;

    /** A set of JVM memory settings to compare. */
    private record Setting(String name, List<String> jvmArgs) {
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        int batches = options.smoke() ? 4 : 200;
        int batchSize = options.smoke() ? 100 : 1_000;
        int suppressions = options.smoke() ? 500 : 20_000;
        int delayMs = options.smoke() ? 5 : 50;
        boolean aot = options.jdk25().isPresent() && options.aotJar().isPresent();
        String java = aot ? options.jdk25().get() : ServiceProcess.javaBinary();
        Path jar = aot ? options.aotJar().get() : options.jar();
        List<String> base = new ArrayList<>(List.of("-XX:MaxRAM=" + LIMIT_MIB + "m", "-XX:+ExitOnOutOfMemoryError"));
        if (aot) {
            base.add("-XX:AOTCache=app.aot");
        }
        List<Setting> settings = List.of(
                new Setting("G1, heap 50 % (the image)", with(base, "-XX:+UseG1GC", "-XX:MaxRAMPercentage=50")),
                new Setting("SerialGC, heap 50 %", with(base, "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50")),
                new Setting("SerialGC, heap 75 %", with(base, "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=75")));
        Path work = Files.createTempDirectory("bench-memory");
        report.line("");
        report.line("## Memory within a " + LIMIT_MIB + " MiB container");
        report.line("");
        report.line(String.format(Locale.ROOT, "%s; live mode, SFMC stand-in answering after %d ms; %d determinations (%d batches, %d clients), "
                + "wait until none of that run is PENDING, then %d more INACTIVE rows posted and drained to ADDED; peak RSS = VmHWM at the end. Common JVM options: %s.",
                aot ? "JDK 25 (" + java + "), aot-jar with its AOT cache" : "harness JDK " + Runtime.version() + ", fast-jar (no JDK 25 found)",
                delayMs, batches * batchSize, batches, IntakeFigure.CLIENTS, suppressions, String.join(" ", base)));
        report.line("");
        report.table("setting", "JVM options", "intake s", "outbox drained s", "drain of " + suppressions + " s", "RSS at end MiB", "peak RSS MiB",
                "within " + LIMIT_MIB + " MiB", "load 1m before");
        try (SuppressionFigure.StandIn sfmc = new SuppressionFigure.StandIn(delayMs)) {
            for (Setting setting : settings) {
                double load = Machine.load1();
                String runId = "memory-" + Integer.toHexString(setting.name().hashCode());
                try (Postgres db = Postgres.throwaway("memory");
                     ServiceProcess service = ServiceProcess.service(options, db, work, java, jar, setting.jvmArgs(),
                             SuppressionFigure.liveEnv(sfmc, false))) {
                    long start = System.nanoTime();
                    Load.run(Workload.batches(runId, batches, batchSize), IntakeFigure.CLIENTS, () -> new HttpIntake(service.baseUri()));
                    double intake = (System.nanoTime() - start) / 1e9;
                    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                    while (SuppressionFigure.pending(db, runId) > 0) {
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException("The intake run's suppressions were not sent within 10 minutes");
                        }
                        service.requireAlive();
                        Thread.sleep(200);
                    }
                    double drained = (System.nanoTime() - start) / 1e9;
                    String drainRun = runId + "-drain";
                    double drain = drain(service, drainRun, SuppressionFigure.inactiveRows(drainRun, suppressions));
                    double[] memory = service.residentMegabytes();
                    report.row(setting.name(), String.join(" ", setting.jvmArgs().subList(base.size(), setting.jvmArgs().size())),
                            fmt("%.1f", intake), fmt("%.1f", drained), fmt("%.2f", drain), fmt("%.0f", memory[0]), fmt("%.0f", memory[1]),
                            verdict(options, memory[1] < LIMIT_MIB), fmt("%.2f", load));
                }
            }
        }
        report.line("");
        report.line("- load average at the end: " + Machine.loadAverage());
    }

    /** Posts the rows through the API (batches of 1 000, 4 clients) and waits until all are ADDED; seconds from the first post. */
    private static double drain(ServiceProcess service, String runId, List<Workload.Row> rows) throws Exception {
        List<Workload.Batch> batches = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += 1_000) {
            List<Workload.Row> part = rows.subList(from, Math.min(rows.size(), from + 1_000));
            batches.add(new Workload.Batch(runId, part, Workload.body(part)));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long start = System.nanoTime();
        Load.run(batches, IntakeFigure.CLIENTS, () -> new HttpIntake(service.baseUri()));
        long deadline = start + TimeUnit.MINUTES.toNanos(5);
        while (SuppressionFigure.count(http, service.baseUri(), runId, "ADDED") < rows.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The " + rows.size() + " suppressions did not all reach ADDED within 5 minutes");
            }
            service.requireAlive();
            Thread.sleep(100);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static List<String> with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }
}
