package io.sfmcsuppression.consent;

import static io.sfmcsuppression.consent.Soap.ok;
import static io.sfmcsuppression.consent.Soap.retrieveOf;
import static io.sfmcsuppression.consent.Soap.retrieved;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
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
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

/**
 * Second-wave consent rules (DESIGN section 10): a key on one of this service's own suppression
 * lists is blocked by {@code suppression}, never inferred as a global opt-out nor routed to the
 * global list; a transactional send honours a publication-list unsubscribe only when SFMC's
 * {@code HonorPublicationListOptOutsForTransactionalSends} flag says so.
 */
@QuarkusTest
@QuarkusTestResource(value = ConsentSfmcMock.class, restrictToAnnotatedClass = true)
class ConsentSuppressionAndClassificationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LIST_ID = "4242";

    private WireMockServer sfmc;

    @Inject
    Database db;

    @BeforeEach
    void resetSfmc() {
        ConsentSfmcMock.reset();
        sfmc = ConsentSfmcMock.server();
        sfmc.stubFor(retrieveOf("Subscriber").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("ListSubscriber").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("SentEvent").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("NotSentEvent").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("List").atPriority(10).willReturn(ok(retrieved(Soap.list(LIST_ID, "pl_monthly_newsletter")))));
    }

    @Test
    void aKeyWithZeroSendsThatThisServiceSuppressedIsBlockedBySuppressionAndNeverRoutedToTheGlobalList() {
        String email = "gone-" + UUID.randomUUID() + "@acme.org";
        String run = "consent-suppressed-" + UUID.randomUUID();
        String determination = run + "/1";
        suppressedBySfmc(run, determination, email);
        zeroSendsAcrossThreeCampaigns(email);

        validate(Map.of("classification", "MARKETING_NEWSLETTER"), email).statusCode(200)
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("suppression"))
                .body("results[0].reason", equalTo("On suppression list ASL_ACME managed by this service by INACTIVE determination "
                        + determination + " of run " + run))
                .body("results[0].evidence", hasItem("Suppression: ADDED in data extension ASL_ACME by INACTIVE determination "
                        + determination + " of run " + run));

        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE email_normalized = ? AND target = 'ASL_GLOBAL_TEST'", email))
                .as("never routed to the global-suppression list").isZero();
        assertThat(db.count("SELECT COUNT(*) FROM consent_audit WHERE subscriber_key = ? AND outcome = 'BLOCKED_SUPPRESSION'", email))
                .isEqualTo(1);
    }

    @Test
    void aKeyWithZeroSendsWhoseSuppressionSfmcHasNotConfirmedIsASuspectedGlobalOptOut() {
        String email = "pending-" + UUID.randomUUID() + "@acme.org";
        String run = "consent-pending-" + UUID.randomUUID();
        // No rowset stub for ASL_GLOBEX: SFMC never confirms this one.
        postBatch(run, batch("2026-11-23").inactive(run + "/1", email, "Globex News").json()).statusCode(202);
        zeroSendsAcrossThreeCampaigns(email);

        validate(Map.of("classification", "MARKETING_NEWSLETTER"), email).statusCode(200)
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("global"));
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE email_normalized = ? AND target = 'ASL_GLOBAL_TEST'", email))
                .isEqualTo(1);
    }

    @Test
    void aSuppressionOnAListTheBusinessUnitDoesNotUseDoesNotBlockItsSends() {
        String email = "other-bu-" + UUID.randomUUID() + "@acme.org";
        String run = "consent-other-bu-" + UUID.randomUUID();
        suppressedBySfmc(run, run + "/1", email);
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok(retrieved(Soap.subscriber(email, "Active")))));

        // consent.suppression-lists."510000999" names only ASL_GLOBEX.
        validate(Map.of("isTransactional", false, "publicationListId", LIST_ID, "businessUnitId", "510000999"), email)
                .statusCode(200).body("results[0].eligible", equalTo(true)).body("results[0].blockedBy", nullValue());
        validate(Map.of("isTransactional", false, "publicationListId", LIST_ID, "businessUnitId", "510000123"), email)
                .statusCode(200).body("results[0].blockedBy", equalTo("suppression"));
    }

    @Test
    void aTransactionalSendIgnoresAPublicationUnsubscribeWhenTheClassificationFlagIsOffAsInSfmc() {
        String k = "txn-" + UUID.randomUUID() + "@acme.org";
        unsubscribedFromTheList(k);

        validate(Map.of("classification", "TRANSACTIONAL_ORDER", "publicationListId", "pl_monthly_newsletter"), k).statusCode(200)
                .body("results[0].eligible", equalTo(true))
                .body("results[0].blockedBy", nullValue())
                .body("results[0].evidence", hasItem("SendClassification: HonorPublicationListOptOutsForTransactionalSends=false, "
                        + "so SFMC sends this transactional message despite the publication-list unsubscribe"));
    }

    @Test
    void aTransactionalSendHonoursAPublicationUnsubscribeWhenTheFlagIsOn() {
        String k = "txn-honour-" + UUID.randomUUID() + "@acme.org";
        unsubscribedFromTheList(k);
        Map<String, Object> send = new LinkedHashMap<>();
        send.put("isTransactional", true);
        send.put("publicationListId", "pl_monthly_newsletter");
        send.put("honorPublicationListOptOutsForTransactionalSends", true);

        validate(send, k).statusCode(200)
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("publication"))
                .body("results[0].reason", equalTo("Unsubscribed from publication list pl_monthly_newsletter "
                        + "(HonorPublicationListOptOutsForTransactionalSends=true)"));
    }

    @Test
    void aFlagThatContradictsTheNamedClassificationIsRefused() {
        validate(Map.of("classification", "TRANSACTIONAL_ORDER", "honorPublicationListOptOutsForTransactionalSends", true),
                "x-" + UUID.randomUUID() + "@acme.org").statusCode(422)
                .body("errors[0].field", equalTo("send.honorPublicationListOptOutsForTransactionalSends"));
    }

    /** An INACTIVE for Acme Weekly, sent by the service's own flusher to a stand-in that confirms it. */
    private void suppressedBySfmc(String run, String determination, String email) {
        sfmc.stubFor(WireMock.post(WireMock.urlPathEqualTo("/hub/v1/dataevents/key:ASL_ACME/rowset"))
                .withHeader("Authorization", WireMock.matching("Bearer tok-.+"))
                .withRequestBody(WireMock.matchingJsonPath("$[0].keys['Email Address']", WireMock.equalTo(email)))
                .willReturn(WireMock.okJson("[]")));
        postBatch(run, batch("2026-11-23").inactive(determination, email, "Acme Weekly").json()).statusCode(202);
        await("SFMC confirms the suppression").atMost(Duration.ofSeconds(20)).until(() -> List.of("ADDED", "VERIFIED").contains(
                db.string("SELECT state FROM suppression_outbox WHERE email_normalized = ? AND target = 'ASL_ACME'", email)));
    }

    private void unsubscribedFromTheList(String key) {
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok(retrieved(Soap.subscriber(key, "Active")))));
        sfmc.stubFor(retrieveOf("ListSubscriber").willReturn(ok(retrieved(Soap.listSubscriber(LIST_ID, key, "Unsubscribed")))));
        sfmc.stubFor(retrieveOf("SentEvent").willReturn(ok(retrieved(Soap.tracking("SentEvent", key, "9001")))));
    }

    private void zeroSendsAcrossThreeCampaigns(String email) {
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok(retrieved(Soap.subscriber(email, "Active")))));
        sfmc.stubFor(retrieveOf("NotSentEvent").willReturn(ok(retrieved(Soap.tracking("NotSentEvent", email, "9101", "9102", "9103")))));
    }

    private static ValidatableResponse validate(Map<String, Object> send, String key) {
        try {
            return as(Api.CONSENT_KEY).contentType(ContentType.JSON)
                    .body(JSON.writeValueAsString(Map.of("send", send, "subscriberKeys", List.of(key))))
                    .when().post("/api/v1/consent/validate").then();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
