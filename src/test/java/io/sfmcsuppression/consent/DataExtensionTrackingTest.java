package io.sfmcsuppression.consent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The {@code data-extension} tracking source: a summary data extension read over REST. */
@QuarkusTest
@QuarkusTestResource(value = ConsentSfmcMock.class, restrictToAnnotatedClass = true)
class DataExtensionTrackingTest {

    private static final String ROWSET = "/data/v1/customobjectdata/key/Consent_Tracking_Test/rowset";

    @Inject
    DataExtensionTracking tracking;

    private WireMockServer sfmc;

    @BeforeEach
    void reset() {
        ConsentSfmcMock.reset();
        sfmc = ConsentSfmcMock.server();
    }

    @Test
    void countsAreReadWithAFilterAndLowerCasedColumnsAreUnderstood() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String suspect = "suspect-" + tag + "@acme.org";
        String mailed = "o'mailed-" + tag + "@acme.org";
        String unknown = "unknown-" + tag + "@acme.org";
        sfmc.stubFor(WireMock.get(WireMock.urlPathEqualTo(ROWSET)).willReturn(WireMock.okJson("""
                {"links":{},"requestToken":"%s","tokenExpireDateUtc":"2026-11-24T15:00:00","customObjectId":"b1e2c3d4",
                 "customObjectKey":"Consent_Tracking_Test","pageSize":2500,"page":1,"count":2,"top":0,
                 "items":[
                   {"keys":{"subscriberkey":"%s"},"values":{"sentcount":"0","campaignsattempted":"3"}},
                   {"keys":{"subscriberkey":"%s"},"values":{"sentcount":"5","campaignsattempted":"5"}}
                 ]}""".formatted(UUID.randomUUID(), suspect, mailed))));

        Map<String, SendTracking.Counts> counts = tracking.counts(List.of(suspect, mailed, unknown), Optional.empty());

        assertThat(counts.get(suspect).sends()).isZero();
        assertThat(counts.get(suspect).campaignsAttempted()).isEqualTo(3);
        assertThat(counts.get(suspect).evidence()).isEqualTo("Tracking data extension Consent_Tracking_Test: SentCount=0, CampaignsAttempted=3");
        assertThat(counts.get(mailed).sends()).isEqualTo(5);
        assertThat(counts.get(unknown).campaignsAttempted()).isZero();
        assertThat(counts.get(unknown).evidence()).contains("no row");

        List<LoggedRequest> calls = sfmc.findAll(WireMock.getRequestedFor(WireMock.urlPathEqualTo(ROWSET)));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).getHeader("Authorization")).startsWith("Bearer tok-");
        assertThat(calls.get(0).queryParameter("$filter").firstValue())
                .isEqualTo("SubscriberKey in ('" + suspect + "','o''mailed-" + tag + "@acme.org','" + unknown + "')");
    }

    @Test
    void anExpiredTokenIsRenewedOnceForRestToo() {
        String k = "k-" + UUID.randomUUID() + "@acme.org";
        sfmc.stubFor(WireMock.get(WireMock.urlPathEqualTo(ROWSET)).inScenario("rest").whenScenarioStateIs("Started")
                .willReturn(WireMock.aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Not Authorized\",\"errorcode\":0,\"documentation\":\"\"}"))
                .willSetStateTo("renewed"));
        sfmc.stubFor(WireMock.get(WireMock.urlPathEqualTo(ROWSET)).inScenario("rest").whenScenarioStateIs("renewed")
                .willReturn(WireMock.okJson("{\"pageSize\":2500,\"page\":1,\"count\":0,\"items\":[]}")));

        assertThat(tracking.counts(List.of(k), Optional.empty()).get(k).campaignsAttempted()).isZero();
        assertThat(sfmc.findAll(WireMock.getRequestedFor(WireMock.urlPathEqualTo(ROWSET)))).hasSize(2);
    }
}
