package io.sfmcsuppression.export;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

import org.apache.commons.csv.CSVFormat;

/**
 * One CSV deliverable being written: rows go to a temporary file in the target directory while
 * their SHA-256 and count are taken; {@link #commit()} syncs it and renames it into place, so a
 * reader (or a crash) never sees half a file. Closing without commit deletes the temporary file.
 */
final class CsvFile implements AutoCloseable {

    static final String TEMP_SUFFIX = ".tmp";

    private final Path target;
    private final Path temp;
    private final String kind;
    private final String businessUnit;
    private final FileOutputStream file;
    private final MessageDigest digest;
    private final CSVFormat format;
    private final Writer writer;
    private final StringBuilder line = new StringBuilder(256);
    private long rows;
    private boolean committed;

    private CsvFile(Path dir, String name, String kind, String businessUnit, CSVFormat format) throws IOException {
        this.target = dir.resolve(name);
        this.temp = dir.resolve("." + name + "." + UUID.randomUUID() + TEMP_SUFFIX);
        this.kind = kind;
        this.businessUnit = businessUnit;
        this.digest = sha256();
        this.file = new FileOutputStream(temp.toFile());
        this.format = format;
        // One write per record into a buffer above the encoder: CSVPrinter on a bare OutputStreamWriter
        // encoded (and locked) per cell, a third of a 1M-row export's CPU (docs/BENCHMARKS.md, export).
        this.writer = new BufferedWriter(new OutputStreamWriter(
                new DigestOutputStream(new BufferedOutputStream(file, 64 * 1024), digest), StandardCharsets.UTF_8), 64 * 1024);
        if (format.getHeader() != null && !format.getSkipHeaderRecord()) {
            write((Object[]) format.getHeader());
        }
    }

    static CsvFile create(Path dir, String name, String kind, String businessUnit, CSVFormat format) {
        try {
            return new CsvFile(dir, name, kind, businessUnit, format);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + name + " in " + dir, e);
        }
    }

    void row(Object... cells) {
        try {
            write(cells);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + target.getFileName(), e);
        }
        rows++;
    }

    private void write(Object... cells) throws IOException {
        line.setLength(0);
        format.printRecord(line, cells);
        writer.append(line);
    }

    /** Flushes, syncs and renames the file into place; returns what was written. */
    WrittenFile commit() {
        try {
            writer.flush();
            file.getChannel().force(true);
            writer.close();
            long size = Files.size(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            committed = true;
            return new WrittenFile(target.getFileName().toString(), kind, businessUnit, rows, size,
                    HexFormat.of().formatHex(digest.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not finish " + target.getFileName(), e);
        }
    }

    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            writer.close();
        } catch (IOException ignored) {
            // the temporary file is deleted below either way
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove " + temp, e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
