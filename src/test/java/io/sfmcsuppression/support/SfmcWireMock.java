package io.sfmcsuppression.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock standing in for SFMC (token host and REST host on one dynamic port of 127.0.0.1).
 * Points {@code sfmc.auth-base-uri} at it; the REST base comes from the token response's
 * {@code rest_instance_url}, as in production when SFMC_REST_BASE_URI is not set. With the init
 * argument {@code tokenDown=true} the token endpoint starts out failing. The rows upserts store are
 * read back from a {@link DataExtensionStandIn}, which fields annotated {@link InjectWireMock} get too.
 * {@link SfmcContract} refuses token requests and rowset bodies that are not the documented shapes.
 */
public class SfmcWireMock implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "tok-4f1c2e9a";

    private WireMockServer server;
    private final DataExtensionStandIn dataExtensions = new DataExtensionStandIn();
    private boolean tokenDown;

    @Override
    public void init(Map<String, String> initArgs) {
        tokenDown = Boolean.parseBoolean(initArgs.getOrDefault("tokenDown", "false"));
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new SfmcContract(), dataExtensions));
        server.start();
        SfmcContract.expectClient(LiveSfmcProfile.CLIENT_ID, LiveSfmcProfile.CLIENT_SECRET);
        restoreDefaults(server);
        if (tokenDown) {
            server.stubFor(WireMock.post("/v2/token").willReturn(WireMock.serviceUnavailable()));
        }
        // This stand-in is not a Salesforce host: the one explicit exception (nothing else gets tokens).
        return Map.of("sfmc.auth-base-uri", server.baseUrl(), "sfmc.allowed-test-hosts", "127.0.0.1,localhost");
    }

    /**
     * Forgets what a test stubbed and recorded, and answers as at start: a token, 200 to every
     * rowset upsert, data-extension reads and deletes by the {@link DataExtensionStandIn}.
     */
    public static void restoreDefaults(WireMockServer server) {
        server.resetAll();
        stubToken(server, TOKEN, 1079);
        server.stubFor(WireMock.post(WireMock.urlPathMatching("/hub/v1/dataevents/.*")).atPriority(10)
                .willReturn(WireMock.okJson("[]")));
        stubReads(server);
        stubDeletes(server);
    }

    /**
     * A WireMock server of its own (for tests of the packaged jar, {@link PackagedApp#live}'s client)
     * that hands out {@code token} and answers every rowset upsert with 200 after {@code delayMillis};
     * as strict as SFMC ({@link SfmcContract}).
     */
    public static WireMockServer standalone(String token, int delayMillis) {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .extensions(new SfmcContract()));
        server.start();
        SfmcContract.expectClient(PackagedApp.CLIENT_ID, PackagedApp.CLIENT_SECRET);
        stubToken(server, token, 1079);
        server.stubFor(WireMock.post(WireMock.urlPathMatching("/hub/v1/dataevents/.*"))
                .willReturn(WireMock.okJson("[]").withFixedDelay(delayMillis)));
        return server;
    }

    /**
     * The data-extension read route, answered by the server's {@link DataExtensionStandIn} (the
     * stub only routes the request to it).
     */
    public static void stubReads(WireMockServer server) {
        server.stubFor(WireMock.get(WireMock.urlPathMatching("/data/v1/customobjectdata/key/[^/]+/rowset")).atPriority(10)
                .willReturn(WireMock.aResponse().withStatus(500).withBody("not answered by the data extension stand-in")));
    }

    /** The SOAP Delete of data extension rows, answered by the server's {@link DataExtensionStandIn}. */
    public static void stubDeletes(WireMockServer server) {
        server.stubFor(WireMock.post("/Service.asmx").withHeader("SOAPAction", WireMock.equalTo("Delete")).atPriority(10)
                .willReturn(WireMock.aResponse().withStatus(500).withBody("not answered by the data extension stand-in")));
    }

    /** The token endpoint answers like SFMC, with the REST host at this server (trailing slash included). */
    public static void stubToken(WireMockServer server, String token, int expiresIn) {
        server.stubFor(WireMock.post("/v2/token").willReturn(WireMock.okJson(tokenBody(server, token, expiresIn))));
    }

    public static String tokenBody(WireMockServer server, String token, int expiresIn) {
        SfmcContract.accept(token, java.util.Optional.empty());
        return "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                + ",\"scope\":\"data_extensions_write\",\"rest_instance_url\":\"" + server.baseUrl() + "/\","
                + "\"soap_instance_url\":\"" + server.baseUrl() + "/\"}";
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
        testInjector.injectIntoFields(dataExtensions,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, DataExtensionStandIn.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
