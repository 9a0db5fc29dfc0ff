package io.sfmcsuppression.consent;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.sfmcsuppression.support.SfmcContract;
import io.sfmcsuppression.support.SoapStandIn;

/**
 * SFMC for the consent tests: WireMock on a dynamic port serving {@code /v2/token} (a new random
 * token each time), {@code /Service.asmx} (SOAP) and REST, as strict as SFMC about what it receives
 * ({@link SfmcContract}: partner API schema, issued tokens, documented JSON shapes). Configures the default OIDC client
 * here rather than in %test properties, so it does not collide with the SFMC client's tests.
 */
public class ConsentSfmcMock implements QuarkusTestResourceLifecycleManager {

    static final String CLIENT_ID = "consent-test-client";
    static final String CLIENT_SECRET = "consent-test-secret";

    private static WireMockServer server;
    private Map<String, String> args = Map.of();

    public static WireMockServer server() {
        return server;
    }

    /** Forgets every stub and request, then serves tokens again. */
    public static void reset() {
        server.resetAll();
        stubToken();
    }

    /** Init arguments {@code soapRateLimitedWait} and {@code maxInCallWait} replace this stand-in's short defaults. */
    @Override
    public void init(Map<String, String> initArgs) {
        args = initArgs;
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new SfmcContract(), new SfmcContract.TokenIssuer(), new SoapStandIn.RetrieveFilter(),
                        new SoapStandIn.ListSubscribers()));
        server.start();
        SfmcContract.expectClient(CLIENT_ID, CLIENT_SECRET);
        stubToken();
        String base = "http://127.0.0.1:" + server.port();
        Map<String, String> config = new HashMap<>();
        config.put("sfmc.auth-base-uri", base);
        config.put("sfmc.client-id", CLIENT_ID);
        config.put("sfmc.client-secret", CLIENT_SECRET);
        // Unsubscribes write to SFMC, which only live mode does (DESIGN rule 6).
        config.put("suppression.mode", "live");
        config.put("consent.tracking.de-key", "Consent_Tracking_Test");
        config.put("consent.global-suppression-de-key", "ASL_GLOBAL_TEST");
        // The suppression flusher is not under test here: its 2 s tick would send the queued global
        // suspects to a stand-in without a data-extension stub, racing the tests that read them PENDING.
        config.put("sfmc.flush-interval", "1h");
        // Short back-off after "Rate Limited" so the suite stays fast.
        config.put("io.sfmcsuppression.sfmc.SfmcSoap/send/Retry/delay", "20");
        config.put("io.sfmcsuppression.sfmc.SfmcSoap/send/Retry/jitter", "0");
        config.put("io.sfmcsuppression.sfmc.SfmcSoap/send/ExponentialBackoff/maxDelay", "100");
        config.put("sfmc.soap-rate-limited-wait", args.getOrDefault("soapRateLimitedWait", "PT0.05S"));
        config.put("sfmc.max-in-call-wait", args.getOrDefault("maxInCallWait", "PT10S"));
        config.put("sfmc.request-timeout", "PT3S");
        // Short-lived tokens in SfmcTokensTest (3 s) are renewed 1 s before they expire.
        config.put("sfmc.token-refresh-skew", "PT1S");
        // This stand-in is not a Salesforce host: the one explicit exception (nothing else gets tokens).
        config.put("sfmc.allowed-test-hosts", "127.0.0.1");
        return config;
    }

    /** A new token per request, as SFMC issues them, with both instance URLs at this stand-in. */
    private static void stubToken() {
        server.stubFor(WireMock.post(WireMock.urlEqualTo("/v2/token")).willReturn(WireMock.aResponse()
                .withTransformers(SfmcContract.TOKEN_ISSUER)));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
