package io.sfmcsuppression.optout;

import static io.sfmcsuppression.consent.Soap.ok;
import static io.sfmcsuppression.consent.Soap.retrieveOf;
import static io.sfmcsuppression.consent.Soap.retrieved;
import static io.sfmcsuppression.consent.Soap.retrievesOf;
import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sfmcsuppression.consent.ConsentSfmcMock;
import io.sfmcsuppression.consent.Soap;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.SoapStandIn;

/** {@code POST /api/v1/consent/unsubscribe}: confirmed by reading SFMC back, or pending and retried. */
@QuarkusTest
@QuarkusTestResource(value = ConsentSfmcMock.class, restrictToAnnotatedClass = true)
class ConsentUnsubscribeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Database db;

    @Inject
    UnsubscribeService unsubscribes;

    private WireMockServer sfmc;

    @BeforeEach
    void resetSfmc() {
        ConsentSfmcMock.reset();
        sfmc = ConsentSfmcMock.server();
        sfmc.stubFor(retrieveOf("List").willReturn(ok(retrieved(Soap.list("777", "pl_weekly_promos")))));
    }

    private static String key() {
        return "optout-" + UUID.randomUUID() + "@acme.org";
    }

    private static MappingBuilder execute() {
        return WireMock.post(WireMock.urlEqualTo(Soap.ENDPOINT)).withHeader("SOAPAction", WireMock.equalTo("Execute"));
    }

    private static RequestPatternBuilder executes() {
        return WireMock.postRequestedFor(WireMock.urlEqualTo(Soap.ENDPOINT)).withHeader("SOAPAction", WireMock.equalTo("Execute"));
    }

    private List<LoggedRequest> executesFor(String key) {
        return sfmc.findAll(executes()).stream().filter(r -> r.getBodyAsString().contains("<Value>" + key + "</Value>")).toList();
    }

    private static MappingBuilder update() {
        return WireMock.post(WireMock.urlEqualTo(Soap.ENDPOINT)).withHeader("SOAPAction", WireMock.equalTo("Update"));
    }

    private static ValidatableResponse unsubscribe(String key, String scope, String list) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("subscriberKey", key);
        body.put("scope", scope);
        if (list != null) {
            body.put("publicationListId", list);
        }
        body.put("reason", "preference center");
        body.put("source", "web");
        try {
            return as(Api.CONSENT_KEY).contentType(ContentType.JSON).body(JSON.writeValueAsString(body))
                    .when().post("/api/v1/consent/unsubscribe").then();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void accountUnsubscribeIsSentAndConfirmedByReadingTheStatusBack() {
        String k = key();
        sfmc.stubFor(execute().willReturn(ok(Soap.executed("Event posted"))));
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok(retrieved(Soap.subscriber(k, "Unsubscribed")))));

        var response = unsubscribe(k, "account", null).statusCode(200)
                .body("subscriberKey", equalTo(k)).body("scope", equalTo("account"))
                .body("status", equalTo("Unsubscribed"))
                .body("receivedAt", notNullValue()).body("confirmedAt", notNullValue())
                .extract();
        Instant received = Instant.parse(response.path("receivedAt"));
        Instant confirmed = Instant.parse(response.path("confirmedAt"));
        assertThat(confirmed).isAfterOrEqualTo(received);

        List<LoggedRequest> executes = sfmc.findAll(executes());
        assertThat(executes).hasSize(1);
        assertThat(executes.get(0).getBodyAsString())
                .contains("<Name>LogUnsubEvent</Name>")
                .contains("<Parameters><Name>SubscriberKey</Name><Value>" + k + "</Value></Parameters>")
                .contains("<Parameters><Name>Reason</Name><Value>preference center</Value></Parameters>")
                .doesNotContain("ListID");
        // The read-back happened after the write.
        assertThat(sfmc.findAll(retrievesOf("Subscriber"))).hasSize(1);

        long id = ((Number) response.path("id")).longValue();
        assertThat(db.string("SELECT state FROM consent_opt_outs WHERE id = ?", id)).isEqualTo("CONFIRMED");
        assertThat(db.string("SELECT confirmed_status FROM consent_opt_outs WHERE id = ?", id)).isEqualTo("Unsubscribed");
        assertThat(db.count("SELECT COUNT(*) FROM consent_audit WHERE opt_out_id = ? AND kind = 'OPT_OUT_RECEIVED'", id)).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM consent_audit WHERE opt_out_id = ? AND kind = 'OPT_OUT_CONFIRMED'", id)).isEqualTo(1);
    }

    @Test
    void publicationUnsubscribeEndsUnsubscribedInSfmcAndTheNextValidationBlocksWithPublication() {
        String k = key();
        sfmc.stubFor(update().willReturn(WireMock.aResponse().withTransformers(SoapStandIn.LIST_STATE)));
        sfmc.stubFor(retrieveOf("ListSubscriber").willReturn(WireMock.aResponse().withTransformers(SoapStandIn.LIST_STATE)));
        SoapStandIn.ListSubscribers.put("777", k, "Active");

        unsubscribe(k, "publication", "pl_weekly_promos").statusCode(200)
                .body("scope", equalTo("publication")).body("publicationListId", equalTo("pl_weekly_promos"))
                .body("status", equalTo("Unsubscribed"));

        assertThat(SoapStandIn.ListSubscribers.status("777", k)).contains("Unsubscribed");
        String sent = sfmc.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(Soap.ENDPOINT))
                .withHeader("SOAPAction", WireMock.equalTo("Update"))).get(0).getBodyAsString();
        assertThat(sent).contains("<UpdateRequest xmlns=\"http://exacttarget.com/wsdl/partnerAPI\"><Options/>")
                .contains("xsi:type=\"Subscriber\"").contains("<SubscriberKey>" + k + "</SubscriberKey>")
                .contains("<Lists><ID>777</ID><Status>Unsubscribed</Status><Action>Update</Action></Lists>");

        // The next validation of a send to that list reads SFMC's state and blocks.
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok(retrieved(Soap.subscriber(k, "Active")))));
        sfmc.stubFor(retrieveOf("SentEvent").willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("NotSentEvent").willReturn(ok(retrieved())));
        as(Api.CONSENT_KEY).contentType(ContentType.JSON)
                .body("{\"send\":{\"classification\":\"MARKETING_PROMOTIONAL\"},\"subscriberKeys\":[\"" + k + "\"]}")
                .when().post("/api/v1/consent/validate").then().statusCode(200)
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("publication"));
    }

    @Test
    void withSfmcDownTheOptOutIsPendingAndTheRetryConfirmsIt() {
        String k = key();
        sfmc.stubFor(execute().willReturn(WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        var pending = unsubscribe(k, "account", null).statusCode(503)
                .contentType("application/problem+json")
                .body("state", equalTo("PENDING"))
                .body("receivedAt", notNullValue())
                .body("subscriberKey", equalTo(k))
                .body("detail", containsString("will be retried"))
                .extract();
        long id = ((Number) pending.path("id")).longValue();
        assertThat(db.string("SELECT state FROM consent_opt_outs WHERE id = ?", id)).isEqualTo("PENDING");
        assertThat(db.count("SELECT attempts FROM consent_opt_outs WHERE id = ?", id)).isEqualTo(1);
        assertThat(db.string("SELECT last_error FROM consent_opt_outs WHERE id = ?", id)).contains("could not be sent");

        // Not yet due: a retry run leaves it alone. (Pending rows other runs left in a shared database may be retried.)
        unsubscribes.retryDue();
        assertThat(executesFor(k)).hasSize(1);

        // SFMC is back and the back-off has passed.
        sfmc.stubFor(execute().willReturn(ok(Soap.executed("Event posted"))));
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok(retrieved(Soap.subscriber(k, "Unsubscribed")))));
        db.execute("UPDATE consent_opt_outs SET next_attempt_at = ? WHERE id = ?", java.sql.Timestamp.from(Instant.now().minusSeconds(1)), id);
        unsubscribes.retryDue();

        assertThat(db.string("SELECT state FROM consent_opt_outs WHERE id = ?", id)).isEqualTo("CONFIRMED");
        assertThat(db.count("SELECT attempts FROM consent_opt_outs WHERE id = ?", id)).isEqualTo(2);
        assertThat(db.string("SELECT last_error FROM consent_opt_outs WHERE id = ?", id)).isNull();
        assertThat(executesFor(k)).hasSize(2);
        assertThat(db.count("SELECT COUNT(*) FROM consent_audit WHERE opt_out_id = ? AND kind = 'OPT_OUT_ATTEMPT_FAILED'", id)).isEqualTo(1);
    }

    @Test
    void aWriteSfmcAcceptsButDoesNotShowIsNotConfirmed() {
        String k = key();
        sfmc.stubFor(execute().willReturn(ok(Soap.executed("Event posted"))));
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok(retrieved(Soap.subscriber(k, "Active")))));

        var pending = unsubscribe(k, "account", null).statusCode(502)
                .body("state", equalTo("PENDING"))
                .body("detail", containsString("still reports Active")).extract();
        long id = ((Number) pending.path("id")).longValue();
        assertThat(db.string("SELECT state FROM consent_opt_outs WHERE id = ?", id)).isEqualTo("PENDING");
    }

    @Test
    void anSfmcErrorStatusIsABadGatewayAndStaysPending() {
        String k = key();
        sfmc.stubFor(execute().willReturn(ok(Soap.envelope("""
                      <ExecuteResponseMsg xmlns="http://exacttarget.com/wsdl/partnerAPI">
                         <OverallStatus>Error</OverallStatus>
                         <RequestID>5d3c7c61-0000-4000-8000-000000000001</RequestID>
                         <Results>
                            <StatusCode>Error</StatusCode>
                            <StatusMessage>Subscriber not found</StatusMessage>
                            <ErrorCode>401</ErrorCode>
                         </Results>
                      </ExecuteResponseMsg>"""))));

        unsubscribe(k, "account", null).statusCode(502).body("state", equalTo("PENDING"))
                .body("detail", containsString("Subscriber not found"));
    }

    @Test
    void invalidRequestsAre422AndRecordNothing() {
        String k = key();
        unsubscribe(k, "publication", null).statusCode(422).body("errors[0].field", equalTo("publicationListId"));
        unsubscribe(k, "everything", null).statusCode(422).body("errors[0].field", equalTo("scope"));
        unsubscribe("not a key", "account", null).statusCode(422).body("errors[0].field", equalTo("subscriberKey"));
        assertThat(db.count("SELECT COUNT(*) FROM consent_opt_outs WHERE subscriber_key = ?", k)).isZero();
        sfmc.verify(0, Soap.allSoapCalls());
    }

    private static MappingBuilder retrieveInAllBusinessUnits() {
        return retrieveOf("Subscriber").withRequestBody(Soap.body("p:RetrieveRequestMsg/p:RetrieveRequest[p:QueryAllAccounts='true']"));
    }

    private static String[] rows(String key, String status, String... mids) {
        return java.util.Arrays.stream(mids).map(mid -> Soap.subscriberIn(mid, key, key, status)).toArray(String[]::new);
    }

    @Test
    void enterpriseUnsubscribeReachesEveryBusinessUnitConfirmedByReadBackAndBlocksAnotherUnit() {
        String k = key();
        // SFMC with MasterUnsubscribeBehavior BUSINESS_UNIT_ONLY: the key is Active in two business units
        // until each gets its own master unsubscribe.
        sfmc.stubFor(retrieveInAllBusinessUnits().inScenario("enterprise").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(ok(retrieved(rows(k, "Active", "510000123", "510000999")))).willSetStateTo("written"));
        sfmc.stubFor(retrieveInAllBusinessUnits().inScenario("enterprise").whenScenarioStateIs("written")
                .willReturn(ok(retrieved(rows(k, "Unsubscribed", "510000123", "510000999")))));
        sfmc.stubFor(execute().willReturn(ok(Soap.executed("Event posted"))));

        unsubscribe(k, "enterprise", null).statusCode(200)
                .body("scope", equalTo("enterprise")).body("status", equalTo("Unsubscribed"))
                .body("confirmedAt", notNullValue());

        List<LoggedRequest> executes = executesFor(k);
        assertThat(executes).hasSize(2);
        assertThat(executes).anySatisfy(r -> assertThat(r.getBodyAsString()).contains("<Client><ID>510000123</ID></Client>"));
        assertThat(executes).anySatisfy(r -> assertThat(r.getBodyAsString()).contains("<Client><ID>510000999</ID></Client>"));
        assertThat(executes).allSatisfy(r -> assertThat(r.getBodyAsString()).contains("<Name>LogUnsubEvent</Name>")
                .doesNotContain("JobID").doesNotContain("ListID"));
        assertThat(sfmc.findAll(retrievesOf("Subscriber"))).hasSize(2);
        assertThat(db.string("SELECT state FROM consent_opt_outs WHERE subscriber_key = ? AND scope = 'enterprise'", k))
                .isEqualTo("CONFIRMED");

        // A send in another business unit whose All Subscribers still shows the key Active is blocked by
        // the enterprise opt-out; a key without one (the positive control) passes the same send.
        String other = key();
        sfmc.stubFor(retrieveOf("Subscriber").atPriority(10).willReturn(ok(retrieved(
                Soap.subscriberIn("510000555", k, k, "Active"), Soap.subscriberIn("510000555", other, other, "Active")))));
        sfmc.stubFor(retrieveOf("ListSubscriber").willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("SentEvent").willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("NotSentEvent").willReturn(ok(retrieved())));
        try {
            as(Api.CONSENT_KEY).contentType(ContentType.JSON)
                    .body(JSON.writeValueAsString(Map.of("send", Map.of("classification", "MARKETING_PROMOTIONAL",
                            "businessUnitId", "510000555"), "subscriberKeys", List.of(k, other))))
                    .when().post("/api/v1/consent/validate").then().statusCode(200)
                    .body("results[0].eligible", equalTo(false))
                    .body("results[0].blockedBy", equalTo("account"))
                    .body("results[0].reason", containsString("Enterprise-wide unsubscribe"))
                    .body("results[0].evidence[1]", containsString("scope enterprise, CONFIRMED"))
                    .body("results[1].eligible", equalTo(true));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void enterpriseUnsubscribeStaysPendingWhileOneBusinessUnitStillShowsActive() {
        String k = key();
        sfmc.stubFor(retrieveInAllBusinessUnits().willReturn(ok(retrieved(
                Soap.subscriberIn("510000123", k, k, "Unsubscribed"), Soap.subscriberIn("510000999", k, k, "Active")))));
        sfmc.stubFor(execute().willReturn(ok(Soap.executed("Event posted"))));

        unsubscribe(k, "enterprise", null).statusCode(502).body("state", equalTo("PENDING"))
                .body("detail", containsString("Active in MID 510000999"));
        // Only the unit that was not unsubscribed yet is written to.
        assertThat(executesFor(k)).singleElement()
                .satisfies(r -> assertThat(r.getBodyAsString()).contains("<Client><ID>510000999</ID></Client>"));
        unsubscribe(k, "enterprise", "pl_weekly_promos").statusCode(422).body("errors[0].field", equalTo("publicationListId"));
    }

    @Test
    void anOptOutSfmcRefusesForItsContentEndsFailedWithSfmcsMessageAndIsNotRetried() {
        String refused = key();
        String down = key();
        // SFMC answers the content it cannot take with a SOAP Client fault; another key's call only fails to connect.
        sfmc.stubFor(execute().withRequestBody(WireMock.containing("<Value>" + refused + "</Value>")).willReturn(
                WireMock.aResponse().withStatus(500).withHeader("Content-Type", "text/xml; charset=utf-8").withBody("""
                        <?xml version="1.0" encoding="utf-8"?>
                        <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>
                        <faultcode>soap:Client</faultcode><faultstring>Invalid value for parameter Reason</faultstring>
                        </soap:Fault></soap:Body></soap:Envelope>""")));
        sfmc.stubFor(execute().withRequestBody(WireMock.containing("<Value>" + down + "</Value>"))
                .willReturn(WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        long id = ((Number) unsubscribe(refused, "account", null).statusCode(502)
                .contentType("application/problem+json")
                .body("state", equalTo("FAILED"))
                .body("detail", containsString("Invalid value for parameter Reason"))
                .body("detail", containsString("not retried"))
                .extract().path("id")).longValue();
        long control = ((Number) unsubscribe(down, "account", null).statusCode(503).body("state", equalTo("PENDING"))
                .extract().path("id")).longValue();
        assertThat(db.string("SELECT state FROM consent_opt_outs WHERE id = ?", id)).isEqualTo("FAILED");
        assertThat(db.string("SELECT last_error FROM consent_opt_outs WHERE id = ?", id)).contains("Invalid value for parameter Reason");
        assertThat(db.count("SELECT COUNT(*) FROM consent_audit WHERE opt_out_id = ? AND kind = 'OPT_OUT_FAILED'", id)).isEqualTo(1);

        // Both made due: the pending one is tried again (positive control), the failed one is not.
        db.execute("UPDATE consent_opt_outs SET next_attempt_at = ? WHERE id IN (?, ?)",
                java.sql.Timestamp.from(Instant.now().minusSeconds(1)), id, control);
        unsubscribes.retryDue();
        assertThat(executesFor(down)).hasSize(2);
        assertThat(executesFor(refused)).hasSize(1);
        assertThat(db.string("SELECT state FROM consent_opt_outs WHERE id = ?", id)).isEqualTo("FAILED");
        // Not honoured, so it is still reported against the CAN-SPAM window.
        as(Api.READ_KEY).when().get("/api/v1/consent/opt-outs").then().statusCode(200)
                .body("optOuts.find { it.id == " + id + " }.state", equalTo("FAILED"));
    }
}
