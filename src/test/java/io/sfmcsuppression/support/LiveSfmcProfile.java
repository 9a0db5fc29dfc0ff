package io.sfmcsuppression.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * live mode with credentials against {@link SfmcWireMock}, with short waits so retries and health
 * checks happen within a test's patience.
 */
public class LiveSfmcProfile implements QuarkusTestProfile {

    public static final String CLIENT_ID = "test-client-id";
    public static final String CLIENT_SECRET = "Sup3r-s3cret-client-value";
    public static final String ACCOUNT_ID = "510000123";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("suppression.mode", "live"),
                Map.entry("sfmc.client-id", CLIENT_ID),
                Map.entry("sfmc.client-secret", CLIENT_SECRET),
                Map.entry("sfmc.account-id", ACCOUNT_ID),
                Map.entry("sfmc.suppression-list-mapping", "{\"Acme Weekly\":\"ASL_ACME\",\"Globex News\":\"ASL_GLOBEX\","
                        + "\"Initech\":\"ASL_UNKNOWN\",\"Umbrella\":\"ASL_UMBRELLA\",\"Hooli\":\"ASL_HOOLI\"}"),
                Map.entry("sfmc.flush-interval", "1s"),
                Map.entry("sfmc.retry-backoff", "PT0.5S"),
                Map.entry("sfmc.max-attempts", "3"),
                Map.entry("sfmc.health-backoff", "PT0.2S"),
                Map.entry("sfmc.health-backoff-max", "PT1S"));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SfmcWireMock.class));
    }

    /** The same, with the token endpoint failing when the service starts. */
    public static class TokenDownAtStart extends LiveSfmcProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SfmcWireMock.class, Map.of("tokenDown", "true")));
        }
    }
}
