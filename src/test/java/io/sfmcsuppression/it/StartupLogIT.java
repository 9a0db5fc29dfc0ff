package io.sfmcsuppression.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.sfmcsuppression.support.PackagedApp;
import io.sfmcsuppression.support.SfmcWireMock;

/**
 * DESIGN rule 3: the effective SFMC client and the reason for it are in the log at start-up, as an
 * operator reads it from the packaged jar (prod's JSON log), one line per start, for each mode.
 */
class StartupLogIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void rule3_theStartUpLogNamesTheEffectiveClientAndWhyForEachMode() throws Exception {
        WireMockServer sfmc = SfmcWireMock.standalone("tok-startup", 0);
        try {
            assertThat(startUpLines(PackagedApp.fresh("startup-dry-run")))
                    .containsExactly("SFMC client: mock (SUPPRESSION_MODE is dry-run, which never writes to SFMC)");
            assertThat(startUpLines(withCredentials(PackagedApp.fresh("startup-read-only"), sfmc).with("SUPPRESSION_MODE", "read-only")))
                    .as("credentials set, still the mock")
                    .containsExactly("SFMC client: mock (SUPPRESSION_MODE is read-only, which never writes to SFMC)");
            assertThat(startUpLines(PackagedApp.fresh("startup-live-without").with("SUPPRESSION_MODE", "live")))
                    .singleElement().asString()
                    .startsWith("SFMC client: mock (SUPPRESSION_MODE is live but ").contains("SFMC_CLIENT_ID").endsWith(" not set)");
            assertThat(startUpLines(withCredentials(PackagedApp.fresh("startup-live"), sfmc).with("SUPPRESSION_MODE", "live")))
                    .containsExactly("SFMC client: live (SUPPRESSION_MODE is live and SFMC credentials are set)");
        } finally {
            sfmc.stop();
        }
    }

    private static PackagedApp withCredentials(PackagedApp app, WireMockServer sfmc) {
        return app.with("SFMC_CLIENT_ID", PackagedApp.CLIENT_ID).with("SFMC_CLIENT_SECRET", PackagedApp.CLIENT_SECRET)
                .with("SFMC_AUTH_BASE_URI", sfmc.baseUrl())
                .with("SFMC_ALLOWED_TEST_HOSTS", "127.0.0.1,localhost");
    }

    /** The messages of the start-up lines about the SFMC client, once the app is ready; then it is stopped. */
    private static List<String> startUpLines(PackagedApp app) throws Exception {
        try (app) {
            app.start();
            return app.log().lines().filter(l -> !l.isBlank())
                    .map(l -> {
                        try {
                            return JSON.readTree(l).path("message").asText();
                        } catch (Exception e) {
                            throw new IllegalStateException("Not a JSON log line: " + l, e);
                        }
                    })
                    .filter(m -> m.startsWith("SFMC client: "))
                    .toList();
        }
    }
}
