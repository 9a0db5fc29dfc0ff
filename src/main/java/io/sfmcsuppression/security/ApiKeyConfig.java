package io.sfmcsuppression.security;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * API keys, stored as SHA-256 hashes: {@code security.api-keys.<name>.sha256} and
 * {@code security.api-keys.<name>.roles}.
 */
@ConfigMapping(prefix = "security")
public interface ApiKeyConfig {

    /** Configured keys by name. */
    Map<String, ApiKey> apiKeys();

    /**
     * With no key configured, generate one with every role and log it once (a trial run); without
     * this setting such a start is refused. On in the dev profile.
     */
    @WithDefault("false")
    boolean allowGeneratedKey();

    interface ApiKey {
        /** Hex SHA-256 of the key: exactly 64 hex digits (either case); empty or missing is a start-up error. */
        Optional<String> sha256();

        /** Roles of the key: ingest, read, consent, operate. */
        Set<String> roles();
    }
}
