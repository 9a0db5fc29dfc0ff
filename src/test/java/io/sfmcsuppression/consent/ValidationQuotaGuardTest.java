package io.sfmcsuppression.consent;

import static io.sfmcsuppression.consent.Soap.ok;
import static io.sfmcsuppression.consent.Soap.retrieveOf;
import static io.sfmcsuppression.consent.Soap.retrieved;
import static io.sfmcsuppression.consent.Soap.retrievesOf;
import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

/**
 * The quota guard of {@code POST /api/v1/consent/validate} (issue 13 item 6) with small limits: a
 * budget of 4 SFMC calls and 2 continued pages, a 2 s deadline, one validation at a time. Every
 * refusal is checked against the number of requests the SFMC stand-in received.
 */
@QuarkusTest
@TestProfile(ValidationQuotaGuardTest.SmallBudget.class)
@QuarkusTestResource(value = ConsentSfmcMock.class, restrictToAnnotatedClass = true)
class ValidationQuotaGuardTest {

    /** Limits small enough to reach with a handful of keys. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "consent.validation.max-sfmc-calls", "4",
                    "consent.validation.max-pages", "2",
                    "consent.validation.deadline", "PT2S",
                    "consent.validation.max-concurrent", "1",
                    "consent.validation.retry-after", "PT7S",
                    // Two keys per IN filter, so ten keys cost five Subscriber retrieves.
                    "sfmc.soap-in-filter-size", "2",
                    "sfmc.unknown-list-cache-for", "PT1H");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private WireMockServer sfmc;

    @Inject
    Database db;

    @BeforeEach
    void resetSfmc() {
        ConsentSfmcMock.reset();
        sfmc = ConsentSfmcMock.server();
        sfmc.stubFor(retrieveOf("Subscriber").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("SentEvent").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("NotSentEvent").atPriority(10).willReturn(ok(retrieved())));
        sfmc.stubFor(retrieveOf("List").atPriority(10).willReturn(ok(retrieved())));
    }

    private static List<String> keys(int n) {
        List<String> keys = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < n; i++) {
            keys.add("guard" + i + "-" + run + "@acme.org");
        }
        return keys;
    }

    /** All Subscribers knows the keys as Active, so every check runs for them; after {@code delayMs}. */
    private void known(List<String> keys, int delayMs) {
        String[] rows = keys.stream().map(k -> Soap.subscriber(k, "Active")).toArray(String[]::new);
        sfmc.stubFor(retrieveOf("Subscriber").atPriority(5).willReturn(ok(retrieved(rows)).withFixedDelay(delayMs)));
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

    private static Map<String, Object> transactional() {
        return Map.of("classification", "TRANSACTIONAL_ORDER");
    }

    private long audited(List<String> keys) {
        return db.count("SELECT COUNT(*) FROM consent_audit WHERE subscriber_key = ? OR subscriber_key = ?", keys.get(0),
                keys.get(keys.size() - 1));
    }

    @Test
    void withinTheBudgetAValidationIsAnswered() {
        // Positive control: 2 keys = 1 Subscriber, 1 SentEvent, 1 NotSentEvent retrieve, inside 4 calls.
        List<String> keys = keys(2);
        known(keys, 0);
        validate(transactional(), keys).statusCode(200).body("results[0].eligible", equalTo(true));
        assertThat(sfmc.findAll(Soap.allSoapCalls())).hasSize(3);
    }

    @Test
    void aValidationNeedingMoreCallsThanItsBudgetIs429AfterTheBudgetsCalls() {
        // Ten keys at two per filter need five Subscriber retrieves; the budget covers four.
        List<String> keys = keys(10);
        validate(transactional(), keys).statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "7")
                .body("status", equalTo(429))
                .body("detail", containsString("budget of 4 SFMC calls"))
                .body("budget.maxSfmcCalls", equalTo(4));
        assertThat(sfmc.findAll(Soap.allSoapCalls())).hasSize(4);
        assertThat(sfmc.findAll(retrievesOf("SentEvent"))).isEmpty();
        assertThat(audited(keys)).as("nothing is answered, so nothing is audited").isZero();
    }

    @Test
    void endlessPagesStopAtThePageBudget() {
        sfmc.stubFor(retrieveOf("Subscriber").atPriority(1)
                .willReturn(ok(Soap.retrieveResponse("MoreDataAvailable", "req-endless"))));
        validate(transactional(), keys(1)).statusCode(429)
                .header("Retry-After", "7")
                .body("detail", containsString("budget of 2 result pages"));
        // The first request and two ContinueRequests; the third page is not asked for.
        assertThat(sfmc.findAll(Soap.allSoapCalls())).hasSize(3);
    }

    @Test
    void noCallIsSentAfterTheDeadline() {
        List<String> keys = keys(1);
        known(keys, 2_300);
        validate(transactional(), keys).statusCode(429)
                .header("Retry-After", "7")
                .body("detail", containsString("deadline of PT2S"));
        assertThat(sfmc.findAll(Soap.allSoapCalls())).hasSize(1);
        assertThat(sfmc.findAll(retrievesOf("SentEvent"))).isEmpty();
    }

    @Test
    void aValidationBeyondTheBulkheadIs503WithoutCallingSfmc() {
        List<String> slow = keys(1);
        List<String> refused = keys(1);
        // The first validation's one SFMC call (its key is unknown, so nothing follows) takes 1.8 s,
        // inside its 2 s deadline: the window in which the second one finds the bulkhead full.
        sfmc.stubFor(retrieveOf("Subscriber").atPriority(5).willReturn(ok(retrieved()).withFixedDelay(1_800)));
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() ->
                validate(transactional(), slow).extract().statusCode());
        await("the first validation reaches SFMC").atMost(Duration.ofSeconds(10)).until(
                () -> !sfmc.findAll(retrievesOf("Subscriber")).isEmpty());

        validate(transactional(), refused).statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "7")
                .body("detail", containsString("max-concurrent (1)"));

        assertThat(first.join()).as("the validation inside the bulkhead is answered").isEqualTo(200);
        assertThat(sfmc.findAll(Soap.allSoapCalls())).hasSize(1)
                .noneSatisfy(r -> assertThat(r.getBodyAsString()).contains(refused.get(0)));
    }

    @Test
    void anUnknownListKeyIsRememberedAndNotRetrievedAgain() {
        Map<String, Object> send = Map.of("isTransactional", false, "publicationListId", "pl_not_there_" + UUID.randomUUID()
                .toString().substring(0, 8));
        validate(send, keys(1)).statusCode(422).body("errors[0].field", equalTo("send.publicationListId"));
        validate(send, keys(1)).statusCode(422).body("errors[0].field", equalTo("send.publicationListId"));
        // The list is resolved before anything else is read, and only once.
        assertThat(sfmc.findAll(Soap.allSoapCalls())).hasSize(1);
        assertThat(sfmc.findAll(retrievesOf("List"))).hasSize(1);
    }
}
