package io.sfmcsuppression.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** How configured keys are read: what starts, and what is a start-up error. */
class ApiKeyRegistryTest {

    private static final String KEY = "ops-key";
    private static final String KEY_SHA256 = "9f7c0bb0b3f4a0b6a1b8e7d6c2e5f3a4d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4";

    @Test
    void noConfiguredKeyIsAStartUpErrorUnlessAGeneratedOneIsAllowed() {
        assertThatThrownBy(() -> new ApiKeyRegistry(config(Map.of(), false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("No API key is configured").hasMessageContaining("SECURITY_ALLOW_GENERATED_KEY");
    }

    @Test
    void aGeneratedKeyStartsOnlyWhenAllowed() {
        ApiKeyRegistry registry = new ApiKeyRegistry(config(Map.of(), true));
        assertThat(registry.find("anything")).isEmpty();
    }

    @Test
    void aConfiguredKeyIsFoundByItsHashInEitherCase() {
        String hash = java.util.HexFormat.of().formatHex(ApiKeyRegistry.sha256(KEY)).toUpperCase(java.util.Locale.ROOT);
        ApiKeyRegistry registry = new ApiKeyRegistry(config(Map.of("ops", key(Optional.of(" " + hash + " "))), false));
        assertThat(registry.find(KEY)).get().extracting(ApiKeyRegistry.Entry::name).isEqualTo("ops");
        assertThat(registry.find("other-key")).isEmpty();
    }

    @Test
    void aHashThatIsNot64HexDigitsIsAStartUpErrorThatDoesNotEchoIt() {
        for (String wrong : new String[] {KEY, KEY_SHA256.substring(1), KEY_SHA256 + "0", KEY_SHA256.replace('a', 'g')}) {
            assertThatThrownBy(() -> new ApiKeyRegistry(config(Map.of("ops", key(Optional.of(wrong))), false)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("security.api-keys.ops.sha256 is not 64 hex digits")
                    .message().doesNotContain(wrong);
        }
    }

    /** An empty hash is refused, never dropped: dropping it once left the other keys (or a generated one) in charge. */
    @Test
    void anEmptyHashIsAStartUpErrorNotSilentlyDropped() {
        Map<String, ApiKeyConfig.ApiKey> keys = new LinkedHashMap<>();
        keys.put("ops", key(Optional.of(KEY_SHA256)));
        keys.put("cronjob", key(Optional.of("  ")));
        assertThatThrownBy(() -> new ApiKeyRegistry(config(keys, true)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("security.api-keys.cronjob.sha256 is empty");
        assertThatThrownBy(() -> new ApiKeyRegistry(config(Map.of("cronjob", key(Optional.empty())), true)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("security.api-keys.cronjob.sha256 is empty");
    }

    private static ApiKeyConfig.ApiKey key(Optional<String> sha256) {
        return new ApiKeyConfig.ApiKey() {
            @Override
            public Optional<String> sha256() {
                return sha256;
            }

            @Override
            public Set<String> roles() {
                return Set.of(Roles.READ);
            }
        };
    }

    private static ApiKeyConfig config(Map<String, ApiKeyConfig.ApiKey> keys, boolean allowGenerated) {
        return new ApiKeyConfig() {
            @Override
            public Map<String, ApiKey> apiKeys() {
                return keys;
            }

            @Override
            public boolean allowGeneratedKey() {
                return allowGenerated;
            }
        };
    }
}
