package io.sfmcsuppression.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.sfmcsuppression.bench.IntakeFigure.fmt;
import static io.sfmcsuppression.bench.IntakeFigure.verdict;

/**
 * Start-up and memory of the packaged jar, as an operator runs it ({@code java -jar}, no JVM
 * options) on PostgreSQL: time from spawning the process to the first 200 on /q/health/ready, on an
 * empty database (Flyway migrates) and again on the filled one (a restart); RSS after 100 000
 * determinations. Baseline for the start-up time: {@link JvmFloor}, the least a JVM does to answer
 * HTTP here, timed the same way in the same repeat. Goal: ready in under 2 s.
 *
 * <p>Each repeat also restarts the service twice more with what the start-up profile pointed at:
 * an AppCDS archive from {@code bin/train-appcds.sh} (class loading), and that archive plus
 * {@code -XX:TieredStopAtLevel=1} (C2 compilation during start-up), so the options are compared
 * side by side with the plain restart under the same load.
 */
final class StartupFigure implements Figure {

    private static final int BATCH_SIZE = 1_000;
    private static final int BATCHES = 100;

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        int batchSize = options.smoke() ? 100 : BATCH_SIZE;
        int batches = options.smoke() ? 4 : BATCHES;
        int repeats = options.repeatsOr(3);
        Path work = Files.createTempDirectory("bench-startup");
        report.line("");
        report.line("## Start-up and memory");
        report.line("");
        report.line(String.format(Locale.ROOT, "`java -jar` with JVM options %s%s; %d repeats; RSS after %d determinations "
                + "(%d batches, %d clients).", options.serviceJvm().isEmpty() ? "(none)" : options.serviceJvm(),
                options.jfr() ? " (+ JFR on cold starts: slower, not for the figures)" : "", repeats, batches * batchSize, batches, IntakeFigure.CLIENTS));
        report.line("");
        report.table("repeat", "JVM floor s", "cold ready s", "cold / floor", "cold CPU s", "Quarkus 'started in' s",
                "restart ready s", "restart CPU s", "+AppCDS ready s", "+AppCDS CPU s", "+AppCDS+C1 ready s", "+AppCDS+C1 CPU s",
                "RSS MB", "peak RSS MB", "load 1m before");
        List<Double> floors = new ArrayList<>();
        List<Double> colds = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> restarts = new ArrayList<>();
        List<Double> coldCpus = new ArrayList<>();
        List<Double> restartCpus = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> peaks = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        List<Double> cdsReady = new ArrayList<>();
        List<Double> cdsCpu = new ArrayList<>();
        List<Double> c1Ready = new ArrayList<>();
        List<Double> c1Cpu = new ArrayList<>();
        Path archive = trainAppCds(options);
        List<String> withArchive = List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        List<String> withArchiveAndC1 = new ArrayList<>(withArchive);
        withArchiveAndC1.add("-XX:TieredStopAtLevel=1");
        try (Postgres db = Postgres.throwaway("startup")) {
            for (int r = 1; r <= repeats; r++) {
                db.emptySchema();
                double load = Machine.load1();
                double floor = floor(work);
                double cold;
                double coldCpu;
                double startedIn;
                double[] memory;
                try (ServiceProcess service = ServiceProcess.service(options, db, work, recording(options, r))) {
                    cold = service.readySeconds();
                    coldCpu = service.readyCpuSeconds();
                    startedIn = service.startedInSeconds().orElse(Double.NaN);
                    Load.run(Workload.batches("startup-r" + r, batches, batchSize), IntakeFigure.CLIENTS,
                            () -> new HttpIntake(service.baseUri()));
                    memory = service.residentMegabytes();
                }
                double restart;
                double restartCpu;
                try (ServiceProcess again = ServiceProcess.service(options, db, work, List.of())) {
                    restart = again.readySeconds();
                    restartCpu = again.readyCpuSeconds();
                }
                double[] cds = restart(options, db, work, withArchive);
                double[] c1 = restart(options, db, work, withArchiveAndC1);
                cdsReady.add(cds[0]);
                cdsCpu.add(cds[1]);
                c1Ready.add(c1[0]);
                c1Cpu.add(c1[1]);
                coldCpus.add(coldCpu);
                restartCpus.add(restartCpu);
                floors.add(floor);
                colds.add(cold);
                ratios.add(cold / floor);
                restarts.add(restart);
                rss.add(memory[0]);
                peaks.add(memory[1]);
                loads.add(load);
                report.row(r, fmt("%.2f", floor), fmt("%.2f", cold), fmt("%.1f", cold / floor), fmt("%.2f", coldCpu),
                        fmt("%.2f", startedIn), fmt("%.2f", restart), fmt("%.2f", restartCpu),
                        fmt("%.2f", cds[0]), fmt("%.2f", cds[1]), fmt("%.2f", c1[0]), fmt("%.2f", c1[1]), fmt("%.0f", memory[0]), fmt("%.0f", memory[1]), fmt("%.2f", load));
            }
        }
        Stats cold = Stats.of(colds);
        Stats restart = Stats.of(restarts);
        report.line("");
        report.line("- JVM floor (JDK HTTP server answering 200): " + Stats.of(floors).format("%.2f") + " s");
        report.line("- **ready on an empty database (migrates): " + cold.format("%.2f") + " s**; goal < 2 s: "
                + verdict(options, cold.median() < 2));
        report.line("- **ready on restart (schema in place): " + restart.format("%.2f") + " s**; goal < 2 s: "
                + verdict(options, restart.median() < 2));
        report.line("- CPU seconds used until ready (user + system; barely depends on the load, and on an idle 2-core "
                + "machine wall time cannot be below CPU / 2): cold " + Stats.of(coldCpus).format("%.2f") + ", restart "
                + Stats.of(restartCpus).format("%.2f"));
        report.line("- restart with the AppCDS archive of `bin/train-appcds.sh`: ready " + Stats.of(cdsReady).format("%.2f")
                + " s, CPU " + Stats.of(cdsCpu).format("%.2f") + " s; goal < 2 s: " + verdict(options, Stats.of(cdsReady).median() < 2));
        report.line("- restart with the archive and -XX:TieredStopAtLevel=1 (C1 only): ready " + Stats.of(c1Ready).format("%.2f")
                + " s, CPU " + Stats.of(c1Cpu).format("%.2f") + " s; goal < 2 s: " + verdict(options, Stats.of(c1Ready).median() < 2));
        report.line("- cold ready / JVM floor: " + Stats.of(ratios).format("%.1f"));
        report.line("- **RSS after " + batches * batchSize + " determinations: " + Stats.of(rss).format("%.0f")
                + " MB**; peak (VmHWM) " + Stats.of(peaks).format("%.0f") + " MB");
        report.line("- load average (1 min) before each repeat: " + Stats.of(loads).format("%.2f")
                + "; at the end: " + Machine.loadAverage());
    }

    private static double[] restart(BenchOptions options, Postgres db, Path work, List<String> jvmArgs) throws Exception {
        try (ServiceProcess service = ServiceProcess.service(options, db, work, jvmArgs)) {
            return new double[] {service.readySeconds(), service.readyCpuSeconds()};
        }
    }

    /** The archive an operator would make: bin/train-appcds.sh next to the jar under test. */
    private static Path trainAppCds(BenchOptions options) throws Exception {
        Path appDir = options.jar().getParent();
        Process training = new ProcessBuilder("bash", "bin/train-appcds.sh", appDir.toString()).inheritIO().start();
        if (training.waitFor() != 0) {
            throw new IllegalStateException("bin/train-appcds.sh failed with exit code " + training.exitValue());
        }
        return appDir.resolve("app-cds.jsa");
    }

    /** With --jfr, each cold start is recorded from the JVM's start: startup-cold-r{n}.jfr. */
    private static List<String> recording(BenchOptions options, int repeat) throws java.io.IOException {
        if (!options.jfr()) {
            return List.of();
        }
        Files.createDirectories(options.results());
        return List.of("-XX:StartFlightRecording=filename=" + options.results().resolve("startup-cold-r" + repeat + ".jfr")
                + ",settings=profile,dumponexit=true");
    }

    private static double floor(Path work) throws Exception {
        List<String> command = List.of(ServiceProcess.javaBinary(), "-cp", System.getProperty("java.class.path"),
                JvmFloor.class.getName());
        try (ServiceProcess floor = ServiceProcess.command(command, work, "/")) {
            return floor.readySeconds();
        }
    }
}
