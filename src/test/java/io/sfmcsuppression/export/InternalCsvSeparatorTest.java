package io.sfmcsuppression.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The internal file opened in a spreadsheet whose list separator is ';' (common in Europe): no
 * cell may split into a new cell that starts with a formula character.
 */
class InternalCsvSeparatorTest {

    @TempDir
    Path dir;

    @Test
    void aCellHoldingASemicolonAndAFormulaStaysOneTextCellUnderASemicolonSeparator() throws Exception {
        try (CsvFile file = CsvFile.create(dir, "internal.csv", WrittenFile.INTERNAL, null, DeliverablesWriter.INTERNAL_FORMAT)) {
            file.row("run/1", "a@acme.org", DeliverablesWriter.cell("Acme;=HYPERLINK(\"http://x\")"), "Marketing", "run", "2026-11-23",
                    "", "ASL_ACME", "ADDED", "Yes", DeliverablesWriter.cell("-1;+2;@SUM(A1)"));
            file.commit();
        }
        List<String> lines = Files.readAllLines(dir.resolve("internal.csv"), StandardCharsets.UTF_8);
        String row = lines.get(1);
        assertThat(row).startsWith("\"run/1\",\"a@acme.org\",\"Acme;=HYPERLINK(\"\"http://x\"\")\",");
        for (char separator : new char[] {';', ','}) {
            assertThat(fields(row, separator)).as("split on '%s'", separator)
                    .noneMatch(f -> !f.isEmpty() && "=+-@\t\r".indexOf(f.charAt(0)) >= 0);
        }
        assertThat(fields(lines.get(0), ',')).allMatch(f -> !f.isEmpty()).hasSize(11);
    }

    /** Splits a line as a spreadsheet does: on the separator outside quotes, quotes removed. */
    private static List<String> fields(String line, char separator) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == separator && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }
}
