package io.sfmcsuppression.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.sfmcsuppression.bench.IntakeFigure.fmt;
import static io.sfmcsuppression.bench.IntakeFigure.verdict;

/**
 * Start-up and memory of the packaged jar on PostgreSQL: time from spawning the process to the first
 * 200 on /q/health/ready, on an empty database (Flyway migrates) and on the filled one (a restart);
 * RSS after 100 000 determinations. Baseline for the start-up time: {@link JvmFloor}, the least a JVM
 * does to answer HTTP here, timed the same way in the same repeat.
 *
 * <p>Each repeat then restarts the service once per {@link Variant}, side by side on the same
 * database under the same load: plain {@code java -jar} on JDK 17 (what the README's two commands
 * give, the baseline of the ratio), plain JDK 25, and the production run of the README: the aot-jar
 * build on JDK 25 with the AOT cache of {@code bin/train-aot.sh} with G1 (the image), with SerialGC,
 * and with G1 and C1 only. Goal (issue 17): the image's run ready at least 4 × sooner than the JDK 17
 * restart. The JDK 25 variants are left out, with a line saying so, when bench/run.sh found no JDK 25.
 */
final class StartupFigure implements Figure {

    private static final int BATCH_SIZE = 1_000;
    private static final int BATCHES = 100;

    /** One way to start the service: a JVM, a build of the jar and JVM options. */
    private record Variant(String name, String java, Path jar, List<String> jvmArgs) {
    }

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
        List<Variant> variants = variants(options);
        report.line("");
        report.line("## Start-up and memory");
        report.line("");
        report.line(String.format(Locale.ROOT, "`java -jar` on the harness's JDK (%s) with JVM options %s%s for the cold start; %d repeats; RSS after %d determinations "
                + "(%d batches, %d clients); then one restart per variant, in this order: %s.", Runtime.version(),
                options.serviceJvm().isEmpty() ? "(none)" : options.serviceJvm(),
                options.jfr() ? " (+ JFR on cold starts: slower, not for the figures)" : "", repeats, batches * batchSize, batches, IntakeFigure.CLIENTS,
                String.join("; ", variants.stream().map(v -> v.name() + " (" + String.join(" ", v.jvmArgs()) + ")").toList())));
        if (options.jdk25().isEmpty() || options.aotJar().isEmpty()) {
            report.line("");
            report.line("- **no JDK 25 or no trained aot-jar** (bench/run.sh looks for /usr/lib/jvm/*25* or JDK25_HOME): the JDK 25 and AOT variants are not measured");
        }
        report.line("");
        List<String> header = new ArrayList<>(List.of("repeat", "JVM floor s", "cold ready s", "cold CPU s", "RSS MB", "peak RSS MB"));
        for (Variant v : variants) {
            header.add(v.name() + " ready s");
            header.add("CPU s");
            header.add("JDK 17 / it");
        }
        header.add("load 1m before");
        report.table(header.toArray(String[]::new));
        List<Double> floors = new ArrayList<>();
        List<Double> colds = new ArrayList<>();
        List<Double> coldCpus = new ArrayList<>();
        List<Double> rss = new ArrayList<>();
        List<Double> peaks = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        List<List<Double>> ready = new ArrayList<>();
        List<List<Double>> cpu = new ArrayList<>();
        List<List<Double>> ratio = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            ready.add(new ArrayList<>());
            cpu.add(new ArrayList<>());
            ratio.add(new ArrayList<>());
        }
        try (Postgres db = Postgres.throwaway("startup")) {
            for (int r = 1; r <= repeats; r++) {
                db.emptySchema();
                double load = Machine.load1();
                double floor = floor(work);
                double cold;
                double coldCpu;
                double[] memory;
                try (ServiceProcess service = ServiceProcess.service(options, db, work, recording(options, r))) {
                    cold = service.readySeconds();
                    coldCpu = service.readyCpuSeconds();
                    Load.run(Workload.batches("startup-r" + r, batches, batchSize), IntakeFigure.CLIENTS,
                            () -> new HttpIntake(service.baseUri()));
                    memory = service.residentMegabytes();
                }
                List<Object> row = new ArrayList<>(List.of(r, fmt("%.2f", floor), fmt("%.2f", cold), fmt("%.2f", coldCpu),
                        fmt("%.0f", memory[0]), fmt("%.0f", memory[1])));
                double baseline = Double.NaN;
                for (int i = 0; i < variants.size(); i++) {
                    Variant v = variants.get(i);
                    try (ServiceProcess again = ServiceProcess.service(options, db, work, v.java(), v.jar(), v.jvmArgs(), Map.of())) {
                        double seconds = again.readySeconds();
                        if (i == 0) {
                            baseline = seconds;
                        }
                        ready.get(i).add(seconds);
                        cpu.get(i).add(again.readyCpuSeconds());
                        ratio.get(i).add(baseline / seconds);
                        row.add(fmt("%.2f", seconds));
                        row.add(fmt("%.2f", again.readyCpuSeconds()));
                        row.add(fmt("%.2f", baseline / seconds));
                    }
                }
                row.add(fmt("%.2f", load));
                report.row(row.toArray());
                floors.add(floor);
                colds.add(cold);
                coldCpus.add(coldCpu);
                rss.add(memory[0]);
                peaks.add(memory[1]);
                loads.add(load);
            }
        }
        report.line("");
        report.line("- JVM floor (JDK HTTP server answering 200): " + Stats.of(floors).format("%.2f") + " s");
        report.line("- ready on an empty database (migrates), plain `java -jar`: " + Stats.of(colds).format("%.2f") + " s, CPU "
                + Stats.of(coldCpus).format("%.2f") + " s");
        for (int i = 0; i < variants.size(); i++) {
            report.line("- restart, **" + variants.get(i).name() + "**: ready " + Stats.of(ready.get(i)).format("%.2f") + " s, CPU until ready "
                    + Stats.of(cpu.get(i)).format("%.2f") + " s" + (i == 0 ? " (the baseline)" : "; JDK 17 / it, per repeat: " + Stats.of(ratio.get(i)).format("%.2f")));
        }
        int image = indexOf(variants, IMAGE);
        if (image >= 0) {
            report.line("- **" + IMAGE + " vs plain JDK 17: " + Stats.of(ratio.get(image)).format("%.2f") + " × quicker**; goal ≥ 4 ×: "
                    + verdict(options, Stats.of(ratio.get(image)).median() >= 4));
        }
        report.line("- **RSS after " + batches * batchSize + " determinations: " + Stats.of(rss).format("%.0f")
                + " MB**; peak (VmHWM) " + Stats.of(peaks).format("%.0f") + " MB (plain `java -jar`, default heap)");
        report.line("- load average (1 min) before each repeat: " + Stats.of(loads).format("%.2f")
                + "; at the end: " + Machine.loadAverage());
    }

    /** The image's run (src/main/docker/Dockerfile.jvm). */
    private static final String IMAGE = "JDK 25 + AOT cache + G1 (the image)";

    private static List<Variant> variants(BenchOptions options) {
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("JDK 17", ServiceProcess.javaBinary(), options.jar(), List.of()));
        if (options.jdk25().isPresent()) {
            String java25 = options.jdk25().get();
            variants.add(new Variant("JDK 25", java25, options.jar(), List.of()));
            options.aotJar().ifPresent(aot -> {
                variants.add(new Variant(IMAGE, java25, aot, List.of("-XX:AOTCache=app.aot", "-XX:+UseG1GC")));
                variants.add(new Variant("JDK 25 + AOT cache + SerialGC", java25, aot, List.of("-XX:AOTCache=app.aot", "-XX:+UseSerialGC")));
                variants.add(new Variant("JDK 25 + AOT cache + G1 + C1 only", java25, aot,
                        List.of("-XX:AOTCache=app.aot", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1")));
            });
        }
        return variants;
    }

    private static int indexOf(List<Variant> variants, String name) {
        for (int i = 0; i < variants.size(); i++) {
            if (variants.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
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
