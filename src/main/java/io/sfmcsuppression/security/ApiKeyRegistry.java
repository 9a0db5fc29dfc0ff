package io.sfmcsuppression.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Knows the valid keys. A configured hash must be 64 hex digits; a start with none configured is
 * refused unless {@code security.allow-generated-key} allows a generated key with every role,
 * logged once, so that no install is ever open and none runs on a key nobody chose by accident.
 */
@ApplicationScoped
public class ApiKeyRegistry {

    /** A known key: its name, the hash it is checked against and its roles. */
    record Entry(String name, byte[] sha256, Set<String> roles) {
    }

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final List<Entry> entries;
    private final String generatedKey;

    ApiKeyRegistry(ApiKeyConfig config) {
        List<Entry> configured = config.apiKeys().entrySet().stream()
                .map(e -> new Entry(e.getKey(), parseHash(e.getKey(), e.getValue().sha256()), Set.copyOf(e.getValue().roles())))
                .toList();
        if (!configured.isEmpty()) {
            generatedKey = null;
            entries = configured;
        } else if (config.allowGeneratedKey()) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            generatedKey = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            entries = List.of(new Entry("generated", sha256(generatedKey), Set.of(Roles.INGEST, Roles.READ, Roles.CONSENT, Roles.OPERATE)));
        } else {
            throw new IllegalStateException("No API key is configured. Set SECURITY_API_KEYS_<NAME>_SHA256 and "
                    + "SECURITY_API_KEYS_<NAME>_ROLES, or SECURITY_ALLOW_GENERATED_KEY=true for a trial run with a "
                    + "generated key (see the README's quick start).");
        }
    }

    private static byte[] parseHash(String name, Optional<String> configured) {
        String hash = configured.map(String::trim).orElse("");
        if (!SHA256_HEX.matcher(hash).matches()) {
            // Neither the hash nor its length is echoed: a key pasted here by mistake must not reach the log.
            throw new IllegalStateException("security.api-keys." + name + ".sha256 is " + (hash.isEmpty() ? "empty" : "not 64 hex digits")
                    + ": give the hex SHA-256 of the key (printf '%s' \"$KEY\" | sha256sum)");
        }
        return HexFormat.of().parseHex(hash.toLowerCase(Locale.ROOT));
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

    /** The key of this name (a console session names its key, never holds it). */
    Optional<Entry> named(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
