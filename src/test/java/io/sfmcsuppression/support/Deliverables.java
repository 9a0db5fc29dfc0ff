package io.sfmcsuppression.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/** The files of a run folder, as the tests compare them across crashes and restarts. */
public final class Deliverables {

    private Deliverables() {
    }

    /** File name → SHA-256 (hex) of every file in {@code dir}. */
    public static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> hashes = new HashMap<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                hashes.put(file.getFileName().toString(), sha256(Files.readAllBytes(file)));
            }
        }
        return hashes;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
