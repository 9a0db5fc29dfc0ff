package io.sfmcsuppression.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The Markdown the figures write: printed as it grows and saved under bench/target/results. */
final class Report {

    private final List<String> lines = new ArrayList<>();

    void line(String text) {
        lines.add(text);
        System.out.println(text);
        System.out.flush();
    }

    void table(String... header) {
        line("| " + String.join(" | ", header) + " |");
        line("|" + "---|".repeat(header.length));
    }

    void row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object cell : cells) {
            b.append(' ').append(cell).append(" |");
        }
        line(b.toString());
    }

    /** Writes the report to {@code dir/<name>-<UTC time>.md} and returns the file. */
    Path save(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        String stamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "");
        Path file = dir.resolve(name + "-" + stamp + ".md");
        Files.write(file, lines);
        return file;
    }
}
