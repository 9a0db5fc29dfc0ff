package io.sfmcsuppression.sfmc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sfmcsuppression.consent.ConsentSfmcMock;

/** One throttle per tenant: a SOAP "Rate Limited" fault also holds REST upserts until its wait has passed. */
@QuarkusTest
@TestProfile(SfmcThrottleTest.TwoSecondSoapWait.class)
class SfmcThrottleTest {

    /** The stand-in with a 2 s wait after "Rate Limited", and synchronous calls that do not wait for it. */
    public static class TwoSecondSoapWait implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ConsentSfmcMock.class, Map.of("soapRateLimitedWait", "PT2S", "maxInCallWait", "PT0S")));
        }
    }

    private static final String ROWSET = "/hub/v1/dataevents/key:ASL_THROTTLE/rowset";

    @Inject
    SfmcDirectory directory;

    @Inject
    LiveSfmcClient live;

    @Inject
    SfmcThrottle throttle;

    @Test
    void aSoapRateLimitedFaultAlsoHoldsRestUpsertsUntilItsWaitHasPassed() {
        ConsentSfmcMock.reset();
        WireMockServer sfmc = ConsentSfmcMock.server();
        sfmc.stubFor(WireMock.post("/Service.asmx").willReturn(WireMock.aResponse().withStatus(500)
                .withHeader("Content-Type", "text/xml; charset=utf-8").withBody("""
                        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>
                        <faultcode>soap:Server</faultcode><faultstring>Rate Limited</faultstring><detail>
                        <apifault xmlns="urn:fault.partner.exacttarget.com"><Code>17</Code><Message>Rate Limited</Message></apifault>
                        </detail></soap:Fault></soap:Body></soap:Envelope>""")));
        sfmc.stubFor(WireMock.post(ROWSET).willReturn(WireMock.okJson("[]")));
        List<SfmcClient.Row> rows = List.of(new SfmcClient.Row("held@acme.org", LocalDate.parse("2026-12-01")));

        assertThatThrownBy(() -> directory.subscribers(List.of("a@acme.org"), Optional.empty()))
                .isInstanceOf(SfmcException.class).hasMessageContaining("rate limit");
        LoggedRequest fault = sfmc.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/Service.asmx"))).get(0);

        assertThatThrownBy(() -> live.upsert("ASL_THROTTLE", rows)).isInstanceOf(SfmcException.class)
                .satisfies(e -> assertThat(((SfmcException) e).kind()).isEqualTo(SfmcException.Kind.THROTTLED))
                .hasMessageContaining("Not sent");
        sfmc.verify(0, WireMock.postRequestedFor(WireMock.urlEqualTo(ROWSET)));

        await("the throttle to open").atMost(Duration.ofSeconds(10)).until(() -> throttle.remaining().isZero());
        assertThat(live.upsert("ASL_THROTTLE", rows).outcome()).isEqualTo(SfmcClient.Outcome.ADDED);
        List<LoggedRequest> upserts = sfmc.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(ROWSET)));
        assertThat(upserts).hasSize(1);
        assertThat(upserts.get(0).getLoggedDate().getTime() - fault.getLoggedDate().getTime()).isGreaterThanOrEqualTo(2000);
    }
}
