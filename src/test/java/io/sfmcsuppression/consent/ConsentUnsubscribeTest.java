package io.sfmcsuppression.consent;

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
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

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
    void publicationUnsubscribeSetsTheListStatusAndIsConfirmed() {
        String k = key();
        sfmc.stubFor(update().willReturn(ok(Soap.updated(k))));
        sfmc.stubFor(retrieveOf("ListSubscriber").willReturn(ok(retrieved(Soap.listSubscriber("777", k, "Unsubscribed")))));

        unsubscribe(k, "publication", "pl_weekly_promos").statusCode(200)
                .body("scope", equalTo("publication")).body("publicationListId", equalTo("pl_weekly_promos"))
                .body("status", equalTo("Unsubscribed"));

        String sent = sfmc.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo(Soap.ENDPOINT))
                .withHeader("SOAPAction", WireMock.equalTo("Update"))).get(0).getBodyAsString();
        assertThat(sent).contains("xsi:type=\"Subscriber\"").contains("<SubscriberKey>" + k + "</SubscriberKey>")
                .contains("<Lists><ID>777</ID><Status>Unsubscribed</Status><Action>Update</Action></Lists>");
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
}
