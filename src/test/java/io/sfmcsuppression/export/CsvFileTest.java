package io.sfmcsuppression.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deliverable appears whole or not at all, with its row count, size and SHA-256 (DESIGN rule 5's files). Plain, for PIT. */
class CsvFileTest {

    @TempDir
    Path dir;

    @Test
    void aCommittedFileHoldsTheHeaderAndRowsAndReportsRowsSizeAndSha256() throws Exception {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader("Email", "Account").setRecordSeparator("\n").get();
        WrittenFile written;
        try (CsvFile file = CsvFile.create(dir, "Acme_NoLongerThere_2026-12-01.csv", WrittenFile.N04, "BU1", format)) {
            file.row("jane@acme.org", "Acme");
            file.row("sam@acme.org", "Acme, Inc");
            written = file.commit();
        }

        byte[] bytes = Files.readAllBytes(dir.resolve("Acme_NoLongerThere_2026-12-01.csv"));
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("Email,Account\njane@acme.org,Acme\nsam@acme.org,\"Acme, Inc\"\n");
        assertThat(written).isEqualTo(new WrittenFile("Acme_NoLongerThere_2026-12-01.csv", WrittenFile.N04, "BU1", 2,
                bytes.length, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))));
        try (var files = Files.list(dir)) {
            assertThat(files).as("no temporary file left").containsExactly(dir.resolve("Acme_NoLongerThere_2026-12-01.csv"));
        }
    }

    @Test
    void aHeaderMarkedSkippedIsNotWritten() throws Exception {
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader("Email").setSkipHeaderRecord(true).setRecordSeparator("\n").get();
        try (CsvFile file = CsvFile.create(dir, "x.csv", WrittenFile.INTERNAL, null, format)) {
            file.row("jane@acme.org");
            assertThat(file.commit().rows()).isEqualTo(1);
        }
        assertThat(Files.readString(dir.resolve("x.csv"))).isEqualTo("jane@acme.org\n");
    }

    @Test
    void closingWithoutCommitLeavesNoFileAndKeepsAnEarlierOne() throws Exception {
        Files.writeString(dir.resolve("x.csv"), "earlier\n");
        try (CsvFile file = CsvFile.create(dir, "x.csv", WrittenFile.INTERNAL, null, CSVFormat.DEFAULT)) {
            file.row("half");
            try (var files = Files.list(dir)) {
                assertThat(files.filter(p -> p.getFileName().toString().endsWith(CsvFile.TEMP_SUFFIX))).hasSize(1);
            }
        }

        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve("x.csv"));
        }
        assertThat(Files.readString(dir.resolve("x.csv"))).isEqualTo("earlier\n");
    }
}
