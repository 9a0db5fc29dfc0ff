package io.sfmcsuppression.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the command line asked for.
 *
 * @param figures  the figures to run, in order
 * @param smoke    tiny data: checks that the harness works, says nothing about speed
 * @param repeats  measured repetitions per figure (0: the figure's default)
 * @param jfr      record a JFR profile of the service process while measuring
 * @param twoPass  intake only: also measure the baseline writing the routing in a second pass, as the service does
 * @param warm     suppression only: each repeat's service first drains an unmeasured run of the same size (JIT warm)
 * @param serviceJvm extra JVM options for the service process ({@code --service-jvm=OPTION}, repeatable),
 *                 for experiments such as an AppCDS archive; the figures in docs/BENCHMARKS.md use none
 * @param jar      the packaged service, {@code target/quarkus-app/quarkus-run.jar}
 * @param jdk25    a JDK 25's {@code java} (system property {@code bench.jdk25}, set by bench/run.sh), if there is one
 * @param aotJar   the aot-jar build with its trained {@code app.aot} beside it ({@code bench.aot-jar}), if there is one
 * @param results  where reports and recordings go
 */
record BenchOptions(List<String> figures, boolean smoke, int repeats, boolean jfr, boolean twoPass, boolean warm, List<String> serviceJvm, Path jar,
                    Path results, java.util.Optional<String> jdk25, java.util.Optional<Path> aotJar) {

    static BenchOptions parse(String[] args) {
        List<String> figures = new ArrayList<>();
        boolean smoke = false;
        boolean jfr = false;
        boolean twoPass = false;
        boolean warm = false;
        int repeats = 0;
        List<String> serviceJvm = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--jfr" -> jfr = true;
                case "--two-pass" -> twoPass = true;
                case "--warm" -> warm = true;
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                default -> {
                    if (args[i].startsWith("--service-jvm=")) {
                        serviceJvm.add(args[i].substring("--service-jvm=".length()));
                    } else if (args[i].startsWith("--")) {
                        throw new IllegalArgumentException("Unknown option " + args[i]);
                    } else {
                        figures.add(args[i]);
                    }
                }
            }
        }
        Path jar = Path.of(System.getProperty("bench.jar", "target/quarkus-app/quarkus-run.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the service first (bench/run.sh does)");
        }
        Path results = Path.of(System.getProperty("bench.results", "bench/target/results")).toAbsolutePath();
        java.util.Optional<String> jdk25 = java.util.Optional.ofNullable(System.getProperty("bench.jdk25")).filter(j -> !j.isBlank());
        java.util.Optional<Path> aotJar = java.util.Optional.ofNullable(System.getProperty("bench.aot-jar")).filter(j -> !j.isBlank())
                .map(j -> Path.of(j).toAbsolutePath()).filter(j -> Files.isRegularFile(j) && Files.isRegularFile(j.resolveSibling("app.aot")));
        return new BenchOptions(figures, smoke, repeats, jfr, twoPass, warm, List.copyOf(serviceJvm), jar, results, jdk25, aotJar);
    }

    /**
     * With --jfr, the JVM options that record the service from its start into
     * {@code results/<name>.jfr} (written when it stops); none without.
     */
    List<String> recording(String name) throws IOException {
        if (!jfr) {
            return List.of();
        }
        Files.createDirectories(results);
        return List.of("-XX:StartFlightRecording=filename=" + results.resolve(name + ".jfr") + ",settings=profile,dumponexit=true");
    }

    /** The repetitions to measure: 1 in smoke mode, else the option or the figure's default (at least 3). */
    int repeatsOr(int figureDefault) {
        if (smoke) {
            return 1;
        }
        return Math.max(3, repeats > 0 ? repeats : figureDefault);
    }
}
