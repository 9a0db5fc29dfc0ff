package io.sfmcsuppression.sfmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.consent.ConsentSfmcMock;
import io.sfmcsuppression.support.SfmcContract;

/** Tokens as Salesforce documents them: reused until shortly before expiry, one per business unit, sent only to Salesforce. */
@QuarkusTest
@QuarkusTestResource(value = ConsentSfmcMock.class, restrictToAnnotatedClass = true)
class SfmcTokensTest {

    private static final String SOAP = "/Service.asmx";

    @Inject
    SfmcTokens tokens;

    @Inject
    SfmcDirectory directory;

    private WireMockServer sfmc;

    @BeforeEach
    void reset() {
        ConsentSfmcMock.reset();
        sfmc = ConsentSfmcMock.server();
        tokens.forget();
        sfmc.stubFor(WireMock.post(SOAP).withHeader("SOAPAction", WireMock.equalTo("Retrieve")).willReturn(WireMock.aResponse()
                .withHeader("Content-Type", "text/xml; charset=utf-8").withBody(emptyRetrieve())));
    }

    @AfterEach
    void forget() {
        tokens.forget();
    }

    private List<LoggedRequest> tokenRequests() {
        return sfmc.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/v2/token")));
    }

    private static String emptyRetrieve() {
        return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>"
                + "<RetrieveResponseMsg xmlns=\"http://exacttarget.com/wsdl/partnerAPI\"><OverallStatus>OK</OverallStatus>"
                + "<RequestID>r</RequestID></RetrieveResponseMsg></soap:Body></soap:Envelope>";
    }

    @Test
    void oneTokenPerExpiryWindowUnderSteadyLoad() throws Exception {
        // Tokens live 3 s; the test profile's skew of 1 s renews each after 2 s.
        sfmc.stubFor(WireMock.post("/v2/token").willReturn(WireMock.aResponse().withTransformers(SfmcContract.TOKEN_ISSUER)
                .withTransformerParameter("expiresIn", 3)));
        AtomicInteger calls = new AtomicInteger();
        long started = System.nanoTime();
        long end = started + TimeUnit.SECONDS.toNanos(5);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            load.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    directory.subscribers(List.of("load@acme.org"), Optional.empty());
                    calls.incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : load) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;

        int issued = tokenRequests().size();
        assertThat(calls.get()).as("SOAP calls under load").isGreaterThan(20);
        assertThat(issued).as("tokens for %d calls in %.1f s", calls.get(), seconds)
                .isGreaterThanOrEqualTo(2).isLessThanOrEqualTo((int) Math.ceil(seconds / 2.0) + 1);
        // Every call carried a token the stand-in issued (SfmcContract refuses others), so no call failed.
        assertThat(sfmc.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(SOAP)))).hasSize(calls.get());
    }

    @Test
    void aBusinessUnitIsCalledWithATokenIssuedForItsMid() {
        for (int i = 0; i < 3; i++) {
            directory.subscribers(List.of("a@acme.org"), Optional.of("510000123"));
            directory.subscribers(List.of("a@acme.org"), Optional.of("510000456"));
            directory.subscribers(List.of("a@acme.org"), Optional.empty());
        }

        List<String> accounts = tokenRequests().stream()
                .map(r -> Optional.ofNullable(form(r.getBodyAsString()).get("account_id")).orElse("none")).toList();
        assertThat(accounts).containsExactlyInAnyOrder("510000123", "510000456", "none");
        for (LoggedRequest call : sfmc.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(SOAP)))) {
            String body = call.getBodyAsString();
            String token = body.substring(body.indexOf("tok-"), body.indexOf('<', body.indexOf("tok-")));
            Optional<String> mid = body.contains("<ClientID>")
                    ? Optional.of(body.substring(body.indexOf("<ClientID>") + 10, body.indexOf("</ClientID>"))) : Optional.empty();
            assertThat(SfmcContract.accountOf(token)).as(body).isEqualTo(mid);
        }
    }

    @Test
    void aTokenResponseNamingAForeignOrHttpHostIsRefusedAndNothingIsSentThere() {
        // Positive control: the stand-in's own host (allowed for tests) gets the call.
        directory.subscribers(List.of("a@acme.org"), Optional.empty());
        assertThat(sfmc.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(SOAP)))).hasSize(1);

        WireMockServer foreign = new WireMockServer(com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig()
                .dynamicPort().bindAddress("127.0.0.1"));
        foreign.start();
        try {
            foreign.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.ok()));
            for (String instance : List.of("http://localhost:" + foreign.port() + "/",
                    "http://mc0000000000000000000000000.soap.marketingcloudapis.com/", "https://soap.attacker.example/")) {
                tokens.forget();
                SfmcContract.accept("tok-foreign", Optional.empty());
                sfmc.stubFor(WireMock.post("/v2/token").willReturn(WireMock.okJson("{\"access_token\":\"tok-foreign\","
                        + "\"token_type\":\"Bearer\",\"expires_in\":1079,\"soap_instance_url\":\"" + instance
                        + "\",\"rest_instance_url\":\"" + instance + "\"}")));

                assertThatThrownBy(() -> directory.subscribers(List.of("a@acme.org"), Optional.empty()))
                        .isInstanceOf(SfmcException.class)
                        .hasMessageContaining("Refused to send SFMC credentials")
                        .hasMessageContaining("sfmc.allowed-test-hosts")
                        .hasMessageContaining("soap_instance_url");
            }
            assertThat(foreign.getAllServeEvents()).isEmpty();
            assertThat(sfmc.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(SOAP)))).hasSize(1);
        } finally {
            foreign.stop();
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                    kv.length > 1 ? java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8) : "");
        }
        return form;
    }
}
