package io.sfmcsuppression.export;

import java.io.BufferedOutputStream;
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
import org.apache.commons.csv.CSVPrinter;

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
    private final CSVPrinter printer;
    private long rows;
    private boolean committed;

    private CsvFile(Path dir, String name, String kind, String businessUnit, CSVFormat format) throws IOException {
        this.target = dir.resolve(name);
        this.temp = dir.resolve("." + name + "." + UUID.randomUUID() + TEMP_SUFFIX);
        this.kind = kind;
        this.businessUnit = businessUnit;
        this.digest = sha256();
        this.file = new FileOutputStream(temp.toFile());
        Writer writer = new OutputStreamWriter(new DigestOutputStream(new BufferedOutputStream(file, 64 * 1024), digest),
                StandardCharsets.UTF_8);
        this.printer = new CSVPrinter(writer, format);
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
            printer.printRecord(cells);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + target.getFileName(), e);
        }
        rows++;
    }

    /** Flushes, syncs and renames the file into place; returns what was written. */
    WrittenFile commit() {
        try {
            printer.flush();
            file.getChannel().force(true);
            printer.close();
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
            printer.close();
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
