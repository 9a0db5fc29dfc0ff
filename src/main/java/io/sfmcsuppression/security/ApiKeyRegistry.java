package io.sfmcsuppression.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Knows the valid keys. With none configured it generates one with every role and logs it once,
 * so that a fresh install is never open.
 */
@ApplicationScoped
public class ApiKeyRegistry {

    /** A known key: its name, the hash it is checked against and its roles. */
    record Entry(String name, byte[] sha256, Set<String> roles) {
    }

    private final List<Entry> entries;
    private final String generatedKey;

    ApiKeyRegistry(ApiKeyConfig config) {
        List<Entry> configured = config.apiKeys().entrySet().stream()
                .filter(e -> !e.getValue().sha256().isBlank())
                .map(e -> new Entry(e.getKey(), HexFormat.of().parseHex(e.getValue().sha256().trim().toLowerCase()),
                        Set.copyOf(e.getValue().roles())))
                .toList();
        if (configured.isEmpty()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            generatedKey = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            entries = List.of(new Entry("generated", sha256(generatedKey), Set.of(Roles.INGEST, Roles.READ, Roles.CONSENT)));
        } else {
            generatedKey = null;
            entries = configured;
        }
    }

    void announce(@Observes StartupEvent event) {
        if (generatedKey != null) {
            Log.warnf("No API key is configured (security.api-keys.*). Generated a key with every role for this process: %s",
                    generatedKey);
        } else {
            Log.infof("API keys configured: %s", entries.stream().map(Entry::name).sorted().toList());
        }
    }

    /** Finds the key whose hash matches, comparing every configured hash in constant time. */
    Optional<Entry> find(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        Entry match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.sha256(), presented)) {
                match = entry;
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
