package io.sfmcsuppression.consent;

import static io.sfmcsuppression.consent.Soap.ok;
import static io.sfmcsuppression.consent.Soap.retrieveOf;
import static io.sfmcsuppression.consent.Soap.retrieved;
import static io.sfmcsuppression.consent.Soap.retrievesOf;
import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

/** The resolver's branches through {@code POST /api/v1/consent/validate}, against SOAP envelopes in WireMock. */
@QuarkusTest
@QuarkusTestResource(value = ConsentSfmcMock.class, restrictToAnnotatedClass = true)
class ConsentValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NEWSLETTER_LIST_ID = "4242";

    private WireMockServer sfmc;

    @Inject
    Database db;

    @Inject
    Clock clock;

    @Inject
    ConsentConfig consentConfig;

    @BeforeEach
    void resetSfmc() {
        ConsentSfmcMock.reset();
        sfmc = ConsentSfmcMock.server();
        // Defaults: nobody known, no list memberships, no tracking; tests stub what they need on top.
        sfmc.stubFor(retrieveOf("Subscriber").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("ListSubscriber").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("SentEvent").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("NotSentEvent").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("List").atPriority(10).willReturn(ok(retrieved(Soap.list(NEWSLETTER_LIST_ID, "pl_monthly_newsletter")))));
    }

    private static String key() {
        return "sub-" + UUID.randomUUID() + "@acme.org";
    }

    private static ValidatableResponse validate(Map<String, Object> send, List<String> keys) {
        try {
            return as(Api.CONSENT_KEY).contentType(ContentType.JSON)
                    .body(JSON.writeValueAsString(Map.of("send", send, "subscriberKeys", keys)))
                    .when().post("/api/v1/consent/validate").then();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> newsletter() {
        return Map.of("classification", "MARKETING_NEWSLETTER");
    }

    private static Map<String, Object> transactional() {
        return Map.of("classification", "TRANSACTIONAL_ORDER");
    }

    private void subscribers(String... results) {
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok(retrieved(results))));
    }

    private void sends(String type, String... results) {
        sfmc.stubFor(retrieveOf(type).willReturn(ok(retrieved(results))));
    }

    @Test
    void activeSubscriberWithSendsPassesEveryCheckAndSaysWhy() {
        String k = key();
        subscribers(Soap.subscriber(k, "Active"));
        sends("SentEvent", Soap.tracking("SentEvent", k, "9001", "9002"));

        validate(newsletter(), List.of(k)).statusCode(200)
                .body("results", hasSize(1))
                .body("results[0].subscriberKey", equalTo(k))
                .body("results[0].eligible", equalTo(true))
                .body("results[0].blockedBy", nullValue())
                .body("results[0].found", equalTo(true))
                .body("results[0].transactionalBypassAllowed", equalTo(false))
                .body("results[0].reason", equalTo("All consent checks passed"))
                .body("results[0].evidence", contains(
                        equalTo("Subscriber: Status=Active, Client.ID=510000123"),
                        equalTo("ListSubscriber: not on publication list pl_monthly_newsletter (ListID 4242)"),
                        containsString("2 sent of 2 sends attempted")));

        List<LoggedRequest> subscriberCalls = sfmc.findAll(retrievesOf("Subscriber"));
        assertThat(subscriberCalls).hasSize(1);
        LoggedRequest call = subscriberCalls.get(0);
        assertThat(call.getHeader("Content-Type")).startsWith("text/xml");
        assertThat(call.getBodyAsString())
                .contains("<fueloauth xmlns=\"http://exacttarget.com\">tok-")
                .contains("<Property>SubscriberKey</Property>")
                .contains("<SimpleOperator>equals</SimpleOperator>")
                .contains("<Value>" + k + "</Value>")
                .contains("<Properties>Status</Properties>");
        // The publication list named by CustomerKey is checked by its ID.
        assertThat(sfmc.findAll(retrievesOf("ListSubscriber")).get(0).getBodyAsString())
                .contains("<Property>ListID</Property>").contains("<Value>4242</Value>").contains("<LogicalOperator>AND</LogicalOperator>");
    }

    @Test
    void aListNamedByCustomerKeyIsLookedUpOnceAndCached() {
        String k = key();
        String customerKey = "pl_test_" + UUID.randomUUID().toString().replace("-", "");
        subscribers(Soap.subscriber(k, "Active"));
        sfmc.stubFor(retrieveOf("List").willReturn(ok(retrieved(Soap.list(NEWSLETTER_LIST_ID, customerKey)))));
        Map<String, Object> send = Map.of("isTransactional", false, "publicationListId", customerKey);

        validate(send, List.of(k)).statusCode(200).body("results[0].evidence[1]", containsString(customerKey + " (ListID 4242)"));
        validate(send, List.of(k)).statusCode(200);

        List<LoggedRequest> lookups = sfmc.findAll(retrievesOf("List"));
        assertThat(lookups).hasSize(1);
        assertThat(lookups.get(0).getBodyAsString()).contains("<Property>CustomerKey</Property>").contains("<Value>" + customerKey + "</Value>");
    }

    @Test
    void accountUnsubscribeBlocksAMarketingSend() {
        String k = key();
        subscribers(Soap.subscriber(k, "Unsubscribed"));

        validate(newsletter(), List.of(k)).statusCode(200)
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("account"))
                .body("results[0].reason", equalTo("Account-level unsubscribe active"))
                .body("results[0].transactionalBypassAllowed", equalTo(false))
                .body("results[0].evidence[0]", containsString("Status=Unsubscribed, UnsubscribedDate=2026-10-02T09:14:00"));
        // Decided at the first check: no list or tracking lookups for this key.
        sfmc.verify(0, retrievesOf("ListSubscriber"));
        sfmc.verify(0, retrievesOf("SentEvent"));
    }

    @Test
    void transactionalSendBypassesAnAccountUnsubscribeAndSaysSo() {
        String k = key();
        subscribers(Soap.subscriber(k, "Unsubscribed"));
        sends("SentEvent", Soap.tracking("SentEvent", k, "9001"));

        validate(transactional(), List.of(k)).statusCode(200)
                .body("results[0].eligible", equalTo(true))
                .body("results[0].blockedBy", equalTo("account"))
                .body("results[0].transactionalBypassAllowed", equalTo(true))
                .body("results[0].reason", equalTo("Account-level unsubscribe bypassed for transactional send"));
    }

    @Test
    void globalOptOutBlocksATransactionalSendEvenAfterTheBypass() {
        String k = key();
        subscribers(Soap.subscriber(k, "Unsubscribed"));
        sends("NotSentEvent", Soap.tracking("NotSentEvent", k, "9101", "9102", "9103"));

        validate(transactional(), List.of(k)).statusCode(200)
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("global"))
                .body("results[0].transactionalBypassAllowed", equalTo(false));
    }

    @Test
    void heldBlocksEvenATransactionalSend() {
        String k = key();
        subscribers(Soap.subscriber(k, "Held"));

        validate(transactional(), List.of(k)).statusCode(200)
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("account"))
                .body("results[0].transactionalBypassAllowed", equalTo(false))
                .body("results[0].reason", containsString("Held"));
    }

    @Test
    void bouncedPassesWithANote() {
        String k = key();
        subscribers(Soap.subscriber(k, "Bounced"));
        sends("SentEvent", Soap.tracking("SentEvent", k, "9001"));

        validate(newsletter(), List.of(k)).statusCode(200)
                .body("results[0].eligible", equalTo(true))
                .body("results[0].blockedBy", nullValue())
                .body("results[0].reason", containsString("still sendable until they become Held"));
    }

    @Test
    void keyNotInAllSubscribersIsReportedAsNotFoundNotSilentlyPassed() {
        String k = key();

        validate(newsletter(), List.of(k)).statusCode(200)
                .body("results[0].eligible", equalTo(true))
                .body("results[0].blockedBy", nullValue())
                .body("results[0].found", equalTo(false))
                .body("results[0].reason", containsString("No consent record"))
                .body("results[0].evidence[0]", containsString("no record with this SubscriberKey"));
    }

    @Test
    void publicationUnsubscribeBlocksSendsOnThatList() {
        String k = key();
        subscribers(Soap.subscriber(k, "Active"));
        sfmc.stubFor(retrieveOf("ListSubscriber").willReturn(ok(retrieved(Soap.listSubscriber(NEWSLETTER_LIST_ID, k, "Unsubscribed")))));

        validate(newsletter(), List.of(k)).statusCode(200)
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("publication"))
                .body("results[0].reason", equalTo("Unsubscribed from publication list pl_monthly_newsletter"))
                .body("results[0].evidence", hasItem("ListSubscriber: Status=Unsubscribed on publication list pl_monthly_newsletter (ListID 4242)"));
    }

    /** One key unsubscribed from the newsletter's list (4242) and with zero sends across three campaigns. */
    private void unsubscribedFromTheNewsletterListAndGloballyOptedOut(String k) {
        subscribers(Soap.subscriber(k, "Active"));
        sfmc.stubFor(retrieveOf("ListSubscriber").willReturn(ok(retrieved(Soap.listSubscriber(NEWSLETTER_LIST_ID, k, "Unsubscribed")))));
        sends("NotSentEvent", Soap.tracking("NotSentEvent", k, "9101", "9102", "9103"));
    }

    /** DESIGN section 7, order account → publication → global: a key blocked by both is blocked by the publication list. */
    @Test
    void publicationUnsubscribeIsNamedBeforeAGlobalOptOutOfTheSameKey() {
        String k = key();
        unsubscribedFromTheNewsletterListAndGloballyOptedOut(k);

        validate(newsletter(), List.of(k)).statusCode(200)
                .body("results", hasSize(1))
                .body("results[0].subscriberKey", equalTo(k))
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("publication"))
                .body("results[0].reason", equalTo("Unsubscribed from publication list pl_monthly_newsletter"))
                .body("results[0].transactionalBypassAllowed", equalTo(false))
                .body("results[0].found", equalTo(true))
                .body("results[0].evidence", contains(
                        "Subscriber: Status=Active, Client.ID=510000123",
                        "ListSubscriber: Status=Unsubscribed on publication list pl_monthly_newsletter (ListID 4242)"));
        // Decided at the publication check: the global check never read this key's tracking.
        sfmc.verify(0, retrievesOf("SentEvent"));
        sfmc.verify(0, retrievesOf("NotSentEvent"));
    }

    /** The twin of the test above: the same SFMC state, a send on another list; only the global opt-out is left to block it. */
    @Test
    void theSameKeySentOnAnotherListIsBlockedByItsGlobalOptOut() {
        String k = key();
        unsubscribedFromTheNewsletterListAndGloballyOptedOut(k);

        validate(Map.of("isTransactional", false, "publicationListId", "5150"), List.of(k)).statusCode(200)
                .body("results", hasSize(1))
                .body("results[0].subscriberKey", equalTo(k))
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("global"))
                .body("results[0].reason", equalTo("Platform-level global opt-out suspected (zero sends across 3 campaigns, "
                        + "threshold 3); only Salesforce Support can confirm it"))
                .body("results[0].transactionalBypassAllowed", equalTo(false))
                .body("results[0].found", equalTo(true))
                .body("results[0].evidence", contains(
                        "Subscriber: Status=Active, Client.ID=510000123",
                        "ListSubscriber: not on publication list 5150",
                        "SentEvent/NotSentEvent since " + trackingSince() + ": 0 sent of 3 sends attempted (SendIDs 9101,9102,9103)"));
        assertThat(sfmc.findAll(retrievesOf("ListSubscriber")).get(0).getBodyAsString()).contains("<Value>5150</Value>");
    }

    /**
     * DESIGN section 7, determinism: the same SFMC state gives the same answer twice. The answer has
     * no per-request field (no request id, no timestamp; the tracking window in the evidence moves
     * by whole days), so the two answers are compared whole, nothing excluded.
     */
    @Test
    void theSameSfmcStateGivesTheSameAnswerTwice() {
        String account = key();
        String global = key();
        String eligible = key();
        String publication = key();
        String unknown = key();
        subscribers(Soap.subscriber(account, "Unsubscribed"), Soap.subscriber(global, "Active"),
                Soap.subscriber(eligible, "Active"), Soap.subscriber(publication, "Active"));
        sfmc.stubFor(retrieveOf("ListSubscriber").willReturn(ok(retrieved(Soap.listSubscriber(NEWSLETTER_LIST_ID, publication, "Unsubscribed")))));
        sends("SentEvent", Soap.tracking("SentEvent", eligible, "9001", "9002"));
        sends("NotSentEvent", Soap.tracking("NotSentEvent", global, "9101", "9102", "9103"));
        // Out of order, one key twice, one unknown to SFMC.
        List<String> keys = List.of(account, global, eligible, publication, unknown, global);

        JsonNode first = readTree(validate(newsletter(), keys).statusCode(200).extract().asString()).path("results");
        JsonNode second = readTree(validate(newsletter(), keys).statusCode(200).extract().asString()).path("results");

        String since = trackingSince();
        ArrayNode expected = JSON.createArrayNode()
                .add(decision(account, false, "account", "Account-level unsubscribe active", true,
                        "Subscriber: Status=Unsubscribed, UnsubscribedDate=2026-10-02T09:14:00, Client.ID=510000123"))
                .add(decision(global, false, "global", "Platform-level global opt-out suspected (zero sends across 3 campaigns, "
                                + "threshold 3); only Salesforce Support can confirm it", true,
                        "Subscriber: Status=Active, Client.ID=510000123",
                        "ListSubscriber: not on publication list pl_monthly_newsletter (ListID 4242)",
                        "SentEvent/NotSentEvent since " + since + ": 0 sent of 3 sends attempted (SendIDs 9101,9102,9103)"))
                .add(decision(eligible, true, null, "All consent checks passed", true,
                        "Subscriber: Status=Active, Client.ID=510000123",
                        "ListSubscriber: not on publication list pl_monthly_newsletter (ListID 4242)",
                        "SentEvent/NotSentEvent since " + since + ": 2 sent of 2 sends attempted (SendIDs 9001,9002)"))
                .add(decision(publication, false, "publication", "Unsubscribed from publication list pl_monthly_newsletter", true,
                        "Subscriber: Status=Active, Client.ID=510000123",
                        "ListSubscriber: Status=Unsubscribed on publication list pl_monthly_newsletter (ListID 4242)"))
                .add(decision(unknown, true, null, "No consent record: the subscriber key is not in All Subscribers "
                                + "(a new subscriber, or a key in another format than SFMC's)", false,
                        "Subscriber: no record with this SubscriberKey in All Subscribers"));
        expected.add(expected.get(1).deepCopy());
        assertThat(first).isEqualTo(expected);
        assertThat(second).isEqualTo(first);
        // The second answer was worked out again from SFMC, not replayed.
        assertThat(sfmc.findAll(retrievesOf("Subscriber"))).hasSize(2);
        assertThat(sfmc.findAll(retrievesOf("NotSentEvent"))).hasSize(2);
    }

    /** A decision as {@code /validate} answers it (no transactional bypass: these tests send marketing). */
    private static ObjectNode decision(String key, boolean eligible, String blockedBy, String reason, boolean found, String... evidence) {
        ObjectNode d = JSON.createObjectNode()
                .put("subscriberKey", key)
                .put("eligible", eligible)
                .put("blockedBy", blockedBy)
                .put("reason", reason)
                .put("transactionalBypassAllowed", false)
                .put("found", found);
        ArrayNode e = d.putArray("evidence");
        for (String line : evidence) {
            e.add(line);
        }
        return d;
    }

    /** The first day of the send-tracking window, as the evidence names it. */
    private String trackingSince() {
        return LocalDate.ofInstant(SentEventTracking.since(clock, consentConfig.tracking().lookback()), ZoneOffset.UTC).toString();
    }

    @Test
    void zeroSendsAcrossOneCampaignLessThanTheThresholdIsNotAGlobalOptOut() {
        String k = key();
        subscribers(Soap.subscriber(k, "Active"));
        sends("NotSentEvent", Soap.tracking("NotSentEvent", k, "9101", "9102"));

        validate(newsletter(), List.of(k)).statusCode(200)
                .body("results[0].eligible", equalTo(true))
                .body("results[0].blockedBy", nullValue())
                .body("results[0].evidence[2]", containsString("0 sent of 2 sends attempted"));
    }

    @Test
    void zeroSendsAcrossThresholdCampaignsIsASuspectedGlobalOptOut() {
        String k = key();
        subscribers(Soap.subscriber(k, "Active"));
        sends("NotSentEvent", Soap.tracking("NotSentEvent", k, "9101", "9102", "9103"));

        validate(newsletter(), List.of(k)).statusCode(200)
                .body("results[0].eligible", equalTo(false))
                .body("results[0].blockedBy", equalTo("global"))
                .body("results[0].reason", containsString("zero sends across 3 campaigns, threshold 3"))
                .body("results[0].evidence[2]", containsString("0 sent of 3 sends attempted (SendIDs 9101,9102,9103)"));
        LoggedRequest tracking = sfmc.findAll(retrievesOf("NotSentEvent")).get(0);
        assertThat(tracking.getBodyAsString()).contains("<Property>EventDate</Property>")
                .contains("<SimpleOperator>greaterThan</SimpleOperator>")
                .containsPattern("<DateValue>\\d{4}-\\d\\d-\\d\\dT00:00:00Z</DateValue>");
    }

    @Test
    void suspectedGlobalOptOutsAreQueuedOnceInTheSuppressionOutboxByTheirAddress() {
        String opaque = UUID.randomUUID().toString();
        String email = "Global-" + UUID.randomUUID() + "@Acme.org";
        String accountBlocked = key();
        subscribers(Soap.subscriber(opaque, email, "Active"), Soap.subscriber(accountBlocked, "Unsubscribed"));
        sends("NotSentEvent", Soap.joined(Soap.tracking("NotSentEvent", opaque, "9101", "9102", "9103"),
                Soap.tracking("NotSentEvent", accountBlocked, "9101", "9102", "9103")));

        validate(newsletter(), List.of(opaque, accountBlocked)).statusCode(200)
                .body("results[0].blockedBy", equalTo("global"))
                .body("results[0].emailAddress", nullValue());
        validate(newsletter(), List.of(opaque)).statusCode(200).body("results[0].blockedBy", equalTo("global"));

        String normalized = email.toLowerCase(java.util.Locale.ROOT);
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE email_normalized = ?", normalized)).isEqualTo(1);
        assertThat(db.string("SELECT target FROM suppression_outbox WHERE email_normalized = ?", normalized)).isEqualTo("ASL_GLOBAL_TEST");
        assertThat(db.string("SELECT state FROM suppression_outbox WHERE email_normalized = ?", normalized)).isEqualTo("PENDING");
        assertThat(db.string("SELECT run_id FROM suppression_outbox WHERE email_normalized = ?", normalized)).isNull();
        // Blocked at account level: not a global suspect, nothing queued.
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE email_normalized = ?", accountBlocked)).isZero();
    }

    @Test
    void oneSendAmongManyAttemptsIsNotAGlobalOptOut() {
        String k = key();
        subscribers(Soap.subscriber(k, "Active"));
        sends("SentEvent", Soap.tracking("SentEvent", k, "9104"));
        sends("NotSentEvent", Soap.tracking("NotSentEvent", k, "9101", "9102", "9103"));

        validate(newsletter(), List.of(k)).statusCode(200).body("results[0].eligible", equalTo(true));
    }

    @Test
    void explicitSendWithANumericListAndBusinessUnitScopesTheRetrievesToThatMid() {
        String k = key();
        subscribers(Soap.subscriber(k, "Active"));
        sends("SentEvent", Soap.tracking("SentEvent", k, "9001"));

        validate(Map.of("isTransactional", false, "publicationListId", "5150", "businessUnitId", "510000123"), List.of(k))
                .statusCode(200).body("results[0].eligible", equalTo(true));
        sfmc.verify(0, retrievesOf("List"));
        assertThat(sfmc.findAll(retrievesOf("Subscriber")).get(0).getBodyAsString())
                .contains("<ClientIDs><ClientID>510000123</ClientID></ClientIDs>");
        assertThat(sfmc.findAll(retrievesOf("ListSubscriber")).get(0).getBodyAsString()).contains("<Value>5150</Value>");
    }

    @Test
    void nonTransactionalSendWithoutAPublicationListIsRejectedUpFront() {
        validate(Map.of("isTransactional", false), List.of(key())).statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("send.publicationListId"));
        validate(Map.of("classification", "NO_SUCH_THING"), List.of(key())).statusCode(422)
                .body("errors[0].field", equalTo("send.classification"));
        sfmc.verify(0, Soap.allSoapCalls());
    }

    @Test
    void keysOfTheWrongFormatAreEachListedAndNothingIsChecked() {
        String good = key();
        validate(newsletter(), List.of(good, "12345", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "0613d278-888e-4825-b796-74a21a071391", " padded@acme.org", "")).statusCode(422)
                .contentType("application/problem+json")
                .body("errors", hasSize(3))
                .body("errors.index", contains(1, 4, 5))
                .body("errors[0].id", equalTo("12345"))
                .body("errors[0].field", equalTo("subscriberKey"))
                .body("errors[0].message", containsString("email, sha256, uuid"));
        sfmc.verify(0, Soap.allSoapCalls());
    }

    @Test
    void emptyKeysAre422AndMoreThanTenThousandAre413() {
        validate(newsletter(), List.of()).statusCode(422);
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= ConsentService.MAX_KEYS; i++) {
            many.add("k" + i + "@acme.org");
        }
        validate(newsletter(), many).statusCode(413).contentType("application/problem+json");
        sfmc.verify(0, Soap.allSoapCalls());
    }

    @Test
    void bulkValidationOfFiveThousandKeysUsesAHandfulOfSoapCalls() {
        List<String> keys = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 5_000; i++) {
            keys.add("bulk" + i + "-" + run + "@acme.org");
        }
        keys.add(keys.get(7));
        subscribers(Soap.subscriber(keys.get(0), "Active"), Soap.subscriber(keys.get(7), "Unsubscribed"));

        long started = System.nanoTime();
        JsonNode results = readTree(validate(newsletter(), keys).statusCode(200).extract().asString()).path("results");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(results.size()).isEqualTo(5_001);
        for (int i = 0; i < 5_000; i++) {
            assertThat(results.get(i).path("subscriberKey").asText()).isEqualTo(keys.get(i));
        }
        assertThat(results.get(0).path("found").asBoolean()).isTrue();
        assertThat(results.get(1).path("found").asBoolean()).isFalse();
        assertThat(results.get(7).path("blockedBy").asText()).isEqualTo("account");
        assertThat(results.get(5000).path("subscriberKey").asText()).isEqualTo(keys.get(7));
        assertThat(results.get(5000).path("blockedBy").asText()).isEqualTo("account");
        assertThat(millis).as("bulk validation time, generous for a loaded CI machine").isLessThan(60_000);

        // List lookup (once per process), then 2 x Subscriber, 2 x ListSubscriber, 2 x SentEvent, 2 x NotSentEvent:
        // at most 8 for the keys, well inside the default budget of the quota guard (answered 200 above).
        List<LoggedRequest> calls = sfmc.findAll(Soap.allSoapCalls());
        assertThat(calls).hasSizeLessThanOrEqualTo(9);
        assertThat(calls.size() - sfmc.findAll(retrievesOf("List")).size()).isLessThanOrEqualTo(8);
        for (LoggedRequest call : calls) {
            int values = call.getBodyAsString().split("<Value>", -1).length - 1;
            assertThat(values).isLessThanOrEqualTo(2_501);
        }
        assertThat(sfmc.findAll(retrievesOf("Subscriber"))).hasSize(2)
                .allSatisfy(r -> assertThat(r.getBodyAsString()).contains("<SimpleOperator>IN</SimpleOperator>"));
    }

    @Test
    void moreDataAvailableIsFollowedWithContinueRequest() {
        String a = key();
        String b = key();
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok(Soap.retrieveResponse("MoreDataAvailable", "req-page-1",
                Soap.subscriber(a, "Active")))));
        sfmc.stubFor(WireMock.post(WireMock.urlEqualTo(Soap.ENDPOINT)).withHeader("SOAPAction", WireMock.equalTo("Retrieve"))
                .withRequestBody(Soap.authorized())
                .withRequestBody(Soap.body("p:RetrieveRequestMsg/p:RetrieveRequest[p:ContinueRequest='req-page-1']"))
                .atPriority(1)
                .willReturn(ok(Soap.retrieveResponse("OK", "req-page-1", Soap.subscriber(b, "Held")))));

        validate(transactional(), List.of(a, b)).statusCode(200)
                .body("results[0].found", equalTo(true)).body("results[0].eligible", equalTo(true))
                .body("results[1].found", equalTo(true)).body("results[1].reason", containsString("Held"));
    }

    @Test
    void anExpiredTokenIsRenewedOnceAndTheCallRepeated() {
        String k = key();
        sfmc.stubFor(retrieveOf("Subscriber").inScenario("expiry").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(Soap.tokenExpired()).willSetStateTo("renewed"));
        sfmc.stubFor(retrieveOf("Subscriber").inScenario("expiry").whenScenarioStateIs("renewed")
                .willReturn(ok(retrieved(Soap.subscriber(k, "Held")))));

        validate(transactional(), List.of(k)).statusCode(200).body("results[0].blockedBy", equalTo("account"));

        List<LoggedRequest> calls = sfmc.findAll(retrievesOf("Subscriber"));
        assertThat(calls).hasSize(2);
        assertThat(token(calls.get(0))).isNotEqualTo(token(calls.get(1)));
        assertThat(sfmc.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/v2/token")))).isNotEmpty()
                .allSatisfy(r -> assertThat(r.getBodyAsString()).contains("grant_type=client_credentials")
                        .contains("client_secret=consent-test-secret"));
    }

    @Test
    void aTokenThatStaysExpiredIsAClearBadGateway() {
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(Soap.tokenExpired()));
        validate(transactional(), List.of(key())).statusCode(502).contentType("application/problem+json")
                .body("detail", containsString("Token Expired"));
        assertThat(sfmc.findAll(retrievesOf("Subscriber"))).hasSize(2);
    }

    @Test
    void rateLimitedCallsBackOffAndAreRetried() {
        String k = key();
        sfmc.stubFor(retrieveOf("Subscriber").inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(Soap.rateLimited()).willSetStateTo("once"));
        sfmc.stubFor(retrieveOf("Subscriber").inScenario("throttle").whenScenarioStateIs("once")
                .willReturn(Soap.rateLimited()).willSetStateTo("twice"));
        sfmc.stubFor(retrieveOf("Subscriber").inScenario("throttle").whenScenarioStateIs("twice")
                .willReturn(ok(retrieved(Soap.subscriber(k, "Held")))));

        validate(transactional(), List.of(k)).statusCode(200).body("results[0].blockedBy", equalTo("account"));
        assertThat(sfmc.findAll(retrievesOf("Subscriber"))).hasSize(3);
    }

    @Test
    void rateLimitingThatDoesNotStopIsServiceUnavailable() {
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(Soap.rateLimited()));
        validate(transactional(), List.of(key())).statusCode(503).contentType("application/problem+json")
                .body("detail", containsString("rate limiting"));
        // The one retry policy of SFMC calls: two more tries.
        assertThat(sfmc.findAll(retrievesOf("Subscriber"))).hasSize(3);
    }

    @Test
    void malformedXmlFromSfmcIsAClearErrorNotACrash() {
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok("<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><Retriev")));
        validate(transactional(), List.of(key())).statusCode(502).contentType("application/problem+json")
                .body("title", equalTo("Bad Gateway"))
                .body("detail", containsString("malformed XML"));

        sfmc.stubFor(retrieveOf("Subscriber").willReturn(ok("{\"not\":\"xml\"}")));
        validate(transactional(), List.of(key())).statusCode(502).body("detail", containsString("malformed XML"));
    }

    @Test
    void sfmcUnreachableIsServiceUnavailable() {
        sfmc.stubFor(retrieveOf("Subscriber").willReturn(WireMock.aResponse()
                .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
        validate(transactional(), List.of(key())).statusCode(503).contentType("application/problem+json");
    }

    @Test
    void aKeyWithoutTheConsentRoleIsForbidden() {
        as(Api.READ_KEY).contentType(ContentType.JSON).body("{\"send\":{\"classification\":\"TRANSACTIONAL_ORDER\"},\"subscriberKeys\":[\"a@acme.org\"]}")
                .when().post("/api/v1/consent/validate").then().statusCode(403);
        as("nope").contentType(ContentType.JSON).body("{}").when().post("/api/v1/consent/validate").then().statusCode(401);
    }

    private static JsonNode readTree(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String token(LoggedRequest request) {
        String body = request.getBodyAsString();
        int start = body.indexOf("tok-");
        return body.substring(start, body.indexOf('<', start));
    }
}
