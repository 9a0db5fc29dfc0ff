package io.sfmcsuppression.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sfmcsuppression.sfmc.MockSfmcClient;
import io.sfmcsuppression.sfmc.SfmcClients;
import io.sfmcsuppression.sfmc.SfmcConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** DESIGN rule 3: which client each mode gets, and the reason given for it. Contacts nothing. */
class SfmcClientSelectionTest {

    private static final Map<String, String> CREDENTIALS = Map.of(
            "sfmc.client-id", "id", "sfmc.client-secret", "secret", "sfmc.auth-base-uri", "https://x.auth.example");

    private static EffectiveSfmcClient choose(String mode, Map<String, String> sfmc) {
        Map<String, String> values = new java.util.HashMap<>(sfmc);
        values.put("suppression.mode", mode);
        SmallRyeConfig config = new SmallRyeConfigBuilder().withDefaultValues(values)
                .withMapping(SfmcConfig.class).withMapping(SuppressionConfig.class).build();
        SfmcConfig sfmcConfig = config.getConfigMapping(SfmcConfig.class);
        SfmcClients clients = new SfmcClients(sfmcConfig, null, null, new MockSfmcClient(Clock.systemUTC()));
        return new EffectiveSfmcClient(config.getConfigMapping(SuppressionConfig.class), clients);
    }

    @Test
    void rule3_dryRunAlwaysUsesTheMock() {
        EffectiveSfmcClient chosen = choose("dry-run", CREDENTIALS);
        assertThat(chosen.client()).isInstanceOf(MockSfmcClient.class);
        assertThat(chosen.status().reason()).isEqualTo("SUPPRESSION_MODE is dry-run, which never writes to SFMC");
    }

    @Test
    void rule3_readOnlyAlwaysUsesTheMockEvenWithCredentials() {
        EffectiveSfmcClient chosen = choose("read-only", CREDENTIALS);
        assertThat(chosen.client()).isInstanceOf(MockSfmcClient.class);
        assertThat(chosen.status().client()).isEqualTo("mock");
        assertThat(chosen.status().reason()).contains("read-only");
    }

    @Test
    void rule3_liveWithoutCredentialsFallsBackToTheMockAndSaysWhichAreMissing() {
        EffectiveSfmcClient chosen = choose("live", Map.of("sfmc.client-id", "id"));
        assertThat(chosen.client()).isInstanceOf(MockSfmcClient.class);
        assertThat(chosen.status().reason())
                .isEqualTo("SUPPRESSION_MODE is live but SFMC_CLIENT_SECRET, SFMC_AUTH_BASE_URI are not set");
        assertThat(chosen.status().token()).isEqualTo("NOT_NEEDED");
    }

    @Test
    void rule3_liveWithCredentialsPrefersTheRealClient() {
        EffectiveSfmcClient chosen = choose("live", CREDENTIALS);
        // The live client is not constructed in this unit test: "not the mock" is the point.
        assertThat(chosen.client()).isNull();
    }
}
