package io.sfmcsuppression.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Entry point: {@code bench/run.sh <figure>... [--smoke] [--repeats N] [--jfr]}, figure one of
 * {@link #FIGURES} or {@code all}. Exits non-zero when the harness fails, not when a goal is missed.
 */
public final class Bench {

    /** Every figure by its command-line name. */
    static final Map<String, Supplier<Figure>> FIGURES = new LinkedHashMap<>();

    static {
        FIGURES.put("intake", IntakeFigure::new);
        FIGURES.put("startup", StartupFigure::new);
        FIGURES.put("suppression", SuppressionFigure::new);
        FIGURES.put("export", ExportFigure::new);
        FIGURES.put("consent", ConsentFigure::new);
        FIGURES.put("memory", MemoryFigure::new);
        FIGURES.put("scale", ScaleFigure::new);
        FIGURES.put("console", ConsoleFigure::new);
    }

    private Bench() {
    }

    public static void main(String[] args) {
        try {
            BenchOptions options = BenchOptions.parse(args);
            List<Figure> figures = figures(options.figures());
            Report report = new Report();
            report.line("# Benchmark " + String.join(", ", options.figures()) + (options.smoke() ? " (smoke: tiny data, no verdicts)" : ""));
            report.line("");
            report.line("- when: " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", git HEAD " + gitCommit());
            report.line("- machine: " + Machine.describe());
            report.line("- load average at start (1, 5, 15 min): " + Machine.loadAverage());
            long start = System.nanoTime();
            for (Figure figure : figures) {
                figure.run(options, report);
            }
            report.line("");
            report.line(String.format("Harness time %.0f s; load average at the end: %s", (System.nanoTime() - start) / 1e9,
                    Machine.loadAverage()));
            Path saved = report.save(options.results(), String.join("-", options.figures()) + (options.smoke() ? "-smoke" : ""));
            System.out.println("Report saved to " + saved);
            System.exit(0);
        } catch (Exception e) {
            System.err.println("Benchmark harness failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static List<Figure> figures(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("Name a figure: " + String.join(", ", FIGURES.keySet()) + " or all");
        }
        List<Figure> figures = new ArrayList<>();
        for (String name : names) {
            if (name.equals("all")) {
                FIGURES.values().forEach(f -> figures.add(f.get()));
            } else if (FIGURES.containsKey(name)) {
                figures.add(FIGURES.get(name).get());
            } else {
                throw new IllegalArgumentException("Unknown figure " + name + "; known: " + String.join(", ", FIGURES.keySet()));
            }
        }
        return figures;
    }

    private static String gitCommit() {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
