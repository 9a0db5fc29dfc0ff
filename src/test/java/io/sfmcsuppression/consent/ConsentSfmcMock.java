package io.sfmcsuppression.consent;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * SFMC for the consent tests: WireMock on a dynamic port serving {@code /v2/token} (a new random
 * token each time), {@code /Service.asmx} (SOAP) and REST. Configures the default OIDC client
 * here rather than in %test properties, so it does not collide with the SFMC client's tests.
 */
public class ConsentSfmcMock implements QuarkusTestResourceLifecycleManager {

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    /** Forgets every stub and request, then serves tokens again. */
    public static void reset() {
        server.resetAll();
        stubToken();
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .globalTemplating(false).templatingEnabled(true));
        server.start();
        stubToken();
        String base = "http://127.0.0.1:" + server.port();
        Map<String, String> config = new HashMap<>();
        config.put("sfmc.auth-base-uri", base);
        config.put("sfmc.client-id", "consent-test-client");
        config.put("sfmc.client-secret", "consent-test-secret");
        // Unsubscribes write to SFMC, which only live mode does (DESIGN rule 6).
        config.put("suppression.mode", "live");
        config.put("consent.tracking.de-key", "Consent_Tracking_Test");
        config.put("consent.global-suppression-de-key", "ASL_GLOBAL_TEST");
        // The suppression flusher is not under test here: its 2 s tick would send the queued global
        // suspects to a stand-in without a data-extension stub, racing the tests that read them PENDING.
        config.put("sfmc.flush-interval", "1h");
        // Short back-off after "Rate Limited" so the suite stays fast.
        config.put("io.sfmcsuppression.consent.SoapClient/send/Retry/delay", "20");
        config.put("io.sfmcsuppression.consent.SoapClient/send/Retry/jitter", "0");
        config.put("io.sfmcsuppression.consent.SoapClient/send/ExponentialBackoff/maxDelay", "100");
        config.put("consent.soap.timeout", "PT3S");
        return config;
    }

    private static void stubToken() {
        String base = "http://127.0.0.1:" + server.port();
        server.stubFor(WireMock.post(WireMock.urlEqualTo("/v2/token")).willReturn(WireMock.okJson("""
                {"access_token":"tok-{{randomValue length=24 type='ALPHANUMERIC'}}","token_type":"Bearer","expires_in":1079,
                 "scope":"email_read list_and_subscribers_read list_and_subscribers_write tracking_events_read data_extensions_read",
                 "soap_instance_url":"%s/","rest_instance_url":"%s/"}""".formatted(base, base)).withTransformers("response-template")));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
