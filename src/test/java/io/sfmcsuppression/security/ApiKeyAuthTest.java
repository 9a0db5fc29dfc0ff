package io.sfmcsuppression.security;

import static io.restassured.RestAssured.given;
import static io.sfmcsuppression.support.Api.ADMIN_KEY;
import static io.sfmcsuppression.support.Api.CONSENT_KEY;
import static io.sfmcsuppression.support.Api.INGEST_KEY;
import static io.sfmcsuppression.support.Api.OPERATE_KEY;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Batches.batch;
import static io.sfmcsuppression.support.Management.management;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.sfmcsuppression.support.Database;

/** DESIGN section 8: every /api endpoint needs a key with the right role; /q stays open. */
@QuarkusTest
class ApiKeyAuthTest {

    @Inject
    Database db;

    /** One concrete request: a path and, where the operation takes one, a body. */
    record Call(String path, String body) {
        static Call get(String path) {
            return new Call(path, null);
        }
    }

    /**
     * An endpoint as the OpenAPI document names it ({@code template}), the roles that may call it,
     * the status it answers a caller with the right role for the {@code served} call (known exactly,
     * since the request is the same whatever the role: 503 where consent has no SFMC here, 404 for
     * what does not exist, 422 or 400 for an operator action without its reason), and the
     * {@code forbidden} call that the tests without the right key send: one that would change the
     * database if it got through (a new determination and a completion of the open run, a pause
     * with its reason), so "changes nothing" is a finding, not a given.
     */
    record Endpoint(String method, String template, Set<String> roles, int served, Call serve, Call forbidden) {
        Endpoint(String method, String template, Set<String> roles, int served, Call both) {
            this(method, template, roles, served, both, both);
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private static final String CONSENT_BODY = "{\"send\":{\"classification\":\"MARKETING_NEWSLETTER\"},"
            + "\"subscriberKeys\":[\"jane.doe@acme.org\"]}";
    private static final String UNSUBSCRIBE_BODY = "{\"subscriberKey\":\"auth@acme.org\",\"scope\":\"account\","
            + "\"reason\":\"auth test\",\"source\":\"web\"}";
    private static final String REASON = "{\"reason\":\"auth test\"}";

    /** The one endpoint that takes a CSV body (an import). */
    private static final String CSV_BODY = "Email Address\r\nauth-import@acme.org\r\n";

    /** A run that exists and is open while the forbidden calls are tried, with one INACTIVE row queued. */
    private static final String OPEN_RUN = "auth-open-" + UUID.randomUUID();
    private static final String OPEN_RUN_BATCH = batch().inactive("auth-open-" + UUID.randomUUID(), "open@acme.org", "Acme Weekly").json();

    @BeforeEach
    void theOpenRunExists() {
        given().header("X-API-Key", INGEST_KEY).contentType(ContentType.JSON).body(OPEN_RUN_BATCH)
                .post("/api/v1/runs/{run}/determinations", OPEN_RUN).then().statusCode(202);
    }

    static Stream<Endpoint> endpoints() {
        String run = "auth-" + UUID.randomUUID();
        return Stream.of(
                new Endpoint("POST", "/api/v1/runs/{runId}/determinations", Set.of(Roles.INGEST), 202,
                        new Call("/api/v1/runs/" + run + "/determinations",
                                batch().inactive("auth-" + UUID.randomUUID(), "a@acme.org", "Acme Weekly").json()),
                        new Call("/api/v1/runs/" + OPEN_RUN + "/determinations",
                                batch().inactive("auth-" + UUID.randomUUID(), "b@acme.org", "Acme Weekly").json())),
                // Served after the determinations above created the run (a parameterized test runs its cases in order).
                new Endpoint("POST", "/api/v1/runs/{runId}/complete", Set.of(Roles.INGEST), 202,
                        Call.get("/api/v1/runs/" + run + "/complete"), Call.get("/api/v1/runs/" + OPEN_RUN + "/complete")),
                new Endpoint("POST", "/api/v1/runs/complete-idle", Set.of(Roles.INGEST), 202,
                        Call.get("/api/v1/runs/complete-idle?idleFor=PT9999H"), Call.get("/api/v1/runs/complete-idle?idleFor=PT0S")),
                new Endpoint("GET", "/api/v1/runs/{runId}", Set.of(Roles.READ), 200, Call.get("/api/v1/runs/" + run)),
                new Endpoint("GET", "/api/v1/runs", Set.of(Roles.READ), 200, Call.get("/api/v1/runs")),
                new Endpoint("GET", "/api/v1/runs/{runId}/deliverables/{file}", Set.of(Roles.READ), 404,
                        Call.get("/api/v1/runs/" + run + "/deliverables/Marketing_NoLongerThere_2026-11-23.csv")),
                new Endpoint("GET", "/api/v1/emails/{email}", Set.of(Roles.READ), 200, Call.get("/api/v1/emails/a@acme.org")),
                new Endpoint("GET", "/api/v1/status", Set.of(Roles.READ), 200, Call.get("/api/v1/status")),
                new Endpoint("POST", "/api/v1/consent/validate", Set.of(Roles.CONSENT), 503,
                        new Call("/api/v1/consent/validate", CONSENT_BODY)),
                // Served, the opt-out is recorded PENDING (no SFMC here): forbidden, nothing is.
                new Endpoint("POST", "/api/v1/consent/unsubscribe", Set.of(Roles.CONSENT), 503,
                        new Call("/api/v1/consent/unsubscribe", UNSUBSCRIBE_BODY)),
                new Endpoint("POST", "/api/v1/consent/unsubscribe-links", Set.of(Roles.CONSENT), 200,
                        new Call("/api/v1/consent/unsubscribe-links", "{\"subscriberKey\":\"auth@acme.org\",\"scope\":\"account\"}")),
                new Endpoint("GET", "/api/v1/consent/opt-outs", Set.of(Roles.CONSENT, Roles.READ), 200,
                        Call.get("/api/v1/consent/opt-outs?overdue=true")),
                new Endpoint("GET", "/api/v1/suppressions", Set.of(Roles.READ), 200, Call.get("/api/v1/suppressions?limit=1")),
                new Endpoint("GET", "/api/v1/suppressions/{id}", Set.of(Roles.READ), 404, Call.get("/api/v1/suppressions/999999999")),
                new Endpoint("POST", "/api/v1/suppressions/lookup", Set.of(Roles.READ), 200,
                        new Call("/api/v1/suppressions/lookup", "{\"address\":\"a@acme.org\"}")),
                new Endpoint("GET", "/api/v1/suppressions/review", Set.of(Roles.READ), 200, Call.get("/api/v1/suppressions/review?limit=1")),
                // Operator actions: served without their reason (422, requeue 400), so the served case changes nothing;
                // forbidden with a reason, so they would be recorded if they got through.
                new Endpoint("POST", "/api/v1/suppressions/{id}/release", Set.of(Roles.OPERATE), 422,
                        new Call("/api/v1/suppressions/999999999/release", "{}"), new Call("/api/v1/suppressions/999999999/release", REASON)),
                new Endpoint("POST", "/api/v1/suppressions/requeue", Set.of(Roles.OPERATE), 400,
                        new Call("/api/v1/suppressions/requeue", "{}"),
                        new Call("/api/v1/suppressions/requeue", "{\"runId\":\"" + OPEN_RUN + "\",\"reason\":\"auth test\"}")),
                new Endpoint("POST", "/api/v1/suppressions", Set.of(Roles.OPERATE), 422, new Call("/api/v1/suppressions", "{}"),
                        new Call("/api/v1/suppressions",
                                "{\"dataExtension\":\"ASL_ACME\",\"address\":\"auth-add@acme.org\",\"reason\":\"auth test\"}")),
                new Endpoint("POST", "/api/v1/suppressions/import", Set.of(Roles.OPERATE), 422,
                        new Call("/api/v1/suppressions/import?dataExtension=ASL_ACME", CSV_BODY),
                        new Call("/api/v1/suppressions/import?dataExtension=ASL_ACME&file=auth.csv&reason=auth", CSV_BODY)),
                new Endpoint("GET", "/api/v1/flusher", Set.of(Roles.READ), 200, Call.get("/api/v1/flusher")),
                new Endpoint("POST", "/api/v1/runs/{runId}/actions/re-export", Set.of(Roles.OPERATE), 422,
                        new Call("/api/v1/runs/" + run + "/actions/re-export", "{}"),
                        new Call("/api/v1/runs/" + OPEN_RUN + "/actions/re-export", REASON)),
                new Endpoint("POST", "/api/v1/runs/{runId}/actions/resend-n04", Set.of(Roles.OPERATE), 422,
                        new Call("/api/v1/runs/" + run + "/actions/resend-n04", "{}"),
                        new Call("/api/v1/runs/" + OPEN_RUN + "/actions/resend-n04", REASON)),
                new Endpoint("POST", "/api/v1/flusher/pause", Set.of(Roles.OPERATE), 422,
                        new Call("/api/v1/flusher/pause", "{}"), new Call("/api/v1/flusher/pause", REASON)),
                new Endpoint("POST", "/api/v1/flusher/resume", Set.of(Roles.OPERATE), 422,
                        new Call("/api/v1/flusher/resume", "{}"), new Call("/api/v1/flusher/resume", REASON)),
                new Endpoint("GET", "/api/v1/operator-audit", Set.of(Roles.READ), 200, Call.get("/api/v1/operator-audit")));
    }

    private static final Map<String, String> SINGLE_ROLE_KEYS = Map.of(
            Roles.INGEST, INGEST_KEY, Roles.READ, READ_KEY, Roles.CONSENT, CONSENT_KEY, Roles.OPERATE, OPERATE_KEY);

    /** Every endpoint with each single-role key whose role it does not accept. */
    static Stream<Arguments> endpointsWithAKeyLackingTheRole() {
        return endpoints().flatMap(e -> SINGLE_ROLE_KEYS.entrySet().stream()
                .filter(key -> !e.roles().contains(key.getKey()))
                .map(key -> Arguments.of(e, key.getValue())));
    }

    private static ValidatableResponse send(Endpoint endpoint, Call call, String key) {
        RequestSpecification spec = given();
        if (key != null) {
            spec.header("X-API-Key", key);
        }
        if (call.body() != null) {
            spec.contentType(call.body().equals(CSV_BODY) ? "text/csv" : ContentType.JSON.toString()).body(call.body());
        }
        return spec.request(endpoint.method(), call.path()).then();
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void withoutAKeyEveryApiEndpointAnswers401AndChangesNothing(Endpoint endpoint) {
        Database.Snapshot before = db.snapshot();
        send(endpoint, endpoint.forbidden(), null)
                .statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "X-API-Key");
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void withAnUnknownKeyEveryApiEndpointAnswers401AndChangesNothing(Endpoint endpoint) {
        Database.Snapshot before = db.snapshot();
        send(endpoint, endpoint.forbidden(), "not-a-key").statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("endpointsWithAKeyLackingTheRole")
    void withAKeyLackingTheRoleEveryApiEndpointAnswers403AndChangesNothing(Endpoint endpoint, String key) {
        Database.Snapshot before = db.snapshot();
        send(endpoint, endpoint.forbidden(), key).statusCode(403).contentType("application/problem+json");
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void withTheRightRoleTheRequestIsServed(Endpoint endpoint) {
        for (String role : endpoint.roles()) {
            int status = send(endpoint, endpoint.serve(), SINGLE_ROLE_KEYS.get(role)).extract().statusCode();
            assertThat(status).as(endpoint + " with role " + role).isEqualTo(endpoint.served());
        }
        int status = send(endpoint, endpoint.serve(), ADMIN_KEY).extract().statusCode();
        assertThat(status).as(endpoint + " with every role").isEqualTo(endpoint.served());
    }

    /** The list above is every /api operation the service publishes, so a new endpoint cannot skip these tests. */
    @Test
    void theEndpointsTestedAreEveryApiOperationOfTheOpenApiDocument() {
        Map<String, Map<String, Object>> paths = management().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().jsonPath().getMap("paths");
        Set<String> published = new TreeSet<>();
        paths.forEach((path, operations) -> {
            if (path.startsWith("/api/")) {
                operations.keySet().stream().filter(HTTP_METHODS::contains)
                        .forEach(method -> published.add(method.toUpperCase(Locale.ROOT) + " " + path));
            }
        });
        Set<String> tested = endpoints().map(Endpoint::toString).collect(Collectors.toCollection(TreeSet::new));
        assertThat(tested).containsExactlyElementsOf(published);
    }

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void managementEndpointsNeedNoKey() {
        management().when().get("/q/health/ready").then().statusCode(200);
        management().when().get("/q/health/live").then().statusCode(200);
        management().when().get("/q/health/started").then().statusCode(200);
        management().when().get("/q/metrics").then().statusCode(200);
        management().when().get("/q/openapi").then().statusCode(200);
    }
}
