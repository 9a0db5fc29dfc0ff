package io.sfmcsuppression.security;

import java.util.Map;
import java.util.Set;

import io.smallrye.config.ConfigMapping;

/**
 * API keys, stored as SHA-256 hashes: {@code security.api-keys.<name>.sha256} and
 * {@code security.api-keys.<name>.roles}.
 */
@ConfigMapping(prefix = "security")
public interface ApiKeyConfig {

    /** Configured keys by name; when empty a key with every role is generated at startup. */
    Map<String, ApiKey> apiKeys();

    interface ApiKey {
        /** Lower-case hex SHA-256 of the key. */
        String sha256();

        /** Roles of the key: ingest, read, consent. */
        Set<String> roles();
    }
}
