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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.sfmcsuppression.support.Database;

/** DESIGN section 8: every /api endpoint needs a key with the right role; /q stays open. */
@QuarkusTest
class ApiKeyAuthTest {

    @Inject
    Database db;

    /**
     * An endpoint as the OpenAPI document names it ({@code template}), the status it answers a
     * caller with the right role ({@code served}: known exactly, since the request is the same
     * whatever the role: 503 where consent has no SFMC here, 404 for what does not exist, 422 or
     * 400 for an operator action without its reason), a concrete path, the roles that may call it,
     * and a body when it takes one.
     */
    record Endpoint(String method, String template, int served, String path, Set<String> roles, String body) {
        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    private static final String CONSENT_BODY = "{\"send\":{\"classification\":\"MARKETING_NEWSLETTER\"},"
            + "\"subscriberKeys\":[\"jane.doe@acme.org\"]}";
    private static final String UNSUBSCRIBE_BODY = "{\"subscriberKey\":\"auth@acme.org\",\"scope\":\"account\","
            + "\"reason\":\"auth test\",\"source\":\"web\"}";

    /** The one endpoint that takes a CSV body (an import). */
    private static final String CSV_BODY = "Email Address\r\nauth@acme.org\r\n";

    static Stream<Endpoint> endpoints() {
        String run = "auth-" + UUID.randomUUID();
        return Stream.of(
                new Endpoint("POST", "/api/v1/runs/{runId}/determinations", 202, "/api/v1/runs/" + run + "/determinations",
                        Set.of(Roles.INGEST), batch().inactive("auth-" + UUID.randomUUID(), "a@acme.org", "Acme Weekly").json()),
                new Endpoint("POST", "/api/v1/runs/{runId}/complete", 202, "/api/v1/runs/" + run + "/complete", Set.of(Roles.INGEST), null),
                new Endpoint("POST", "/api/v1/runs/complete-idle", 202, "/api/v1/runs/complete-idle?idleFor=PT9999H", Set.of(Roles.INGEST), null),
                new Endpoint("GET", "/api/v1/runs/{runId}", 200, "/api/v1/runs/" + run, Set.of(Roles.READ), null),
                new Endpoint("GET", "/api/v1/runs", 200, "/api/v1/runs", Set.of(Roles.READ), null),
                new Endpoint("GET", "/api/v1/runs/{runId}/deliverables/{file}", 404,
                        "/api/v1/runs/" + run + "/deliverables/Marketing_NoLongerThere_2026-11-23.csv", Set.of(Roles.READ), null),
                new Endpoint("GET", "/api/v1/emails/{email}", 200, "/api/v1/emails/a@acme.org", Set.of(Roles.READ), null),
                new Endpoint("GET", "/api/v1/status", 200, "/api/v1/status", Set.of(Roles.READ), null),
                new Endpoint("POST", "/api/v1/consent/validate", 503, "/api/v1/consent/validate", Set.of(Roles.CONSENT), CONSENT_BODY),
                new Endpoint("POST", "/api/v1/consent/unsubscribe", 503, "/api/v1/consent/unsubscribe", Set.of(Roles.CONSENT), UNSUBSCRIBE_BODY),
                new Endpoint("POST", "/api/v1/consent/unsubscribe-links", 200, "/api/v1/consent/unsubscribe-links", Set.of(Roles.CONSENT),
                        "{\"subscriberKey\":\"auth@acme.org\",\"scope\":\"account\"}"),
                new Endpoint("GET", "/api/v1/consent/opt-outs", 200, "/api/v1/consent/opt-outs?overdue=true",
                        Set.of(Roles.CONSENT, Roles.READ), null),
                new Endpoint("GET", "/api/v1/suppressions", 200, "/api/v1/suppressions?limit=1", Set.of(Roles.READ), null),
                new Endpoint("GET", "/api/v1/suppressions/{id}", 404, "/api/v1/suppressions/999999999", Set.of(Roles.READ), null),
                new Endpoint("POST", "/api/v1/suppressions/lookup", 200, "/api/v1/suppressions/lookup", Set.of(Roles.READ),
                        "{\"address\":\"a@acme.org\"}"),
                new Endpoint("GET", "/api/v1/suppressions/review", 200, "/api/v1/suppressions/review?limit=1", Set.of(Roles.READ), null),
                // Operator actions without their reason: served (422, requeue 400), and they change nothing.
                new Endpoint("POST", "/api/v1/suppressions/{id}/release", 422, "/api/v1/suppressions/999999999/release",
                        Set.of(Roles.OPERATE), "{}"),
                new Endpoint("POST", "/api/v1/suppressions/requeue", 400, "/api/v1/suppressions/requeue", Set.of(Roles.OPERATE), "{}"),
                new Endpoint("POST", "/api/v1/suppressions", 422, "/api/v1/suppressions", Set.of(Roles.OPERATE), "{}"),
                new Endpoint("POST", "/api/v1/suppressions/import", 422, "/api/v1/suppressions/import?dataExtension=ASL_ACME",
                        Set.of(Roles.OPERATE), CSV_BODY),
                new Endpoint("GET", "/api/v1/flusher", 200, "/api/v1/flusher", Set.of(Roles.READ), null),
                new Endpoint("POST", "/api/v1/runs/{runId}/actions/re-export", 422, "/api/v1/runs/" + run + "/actions/re-export",
                        Set.of(Roles.OPERATE), "{}"),
                new Endpoint("POST", "/api/v1/runs/{runId}/actions/resend-n04", 422, "/api/v1/runs/" + run + "/actions/resend-n04",
                        Set.of(Roles.OPERATE), "{}"),
                new Endpoint("POST", "/api/v1/flusher/pause", 422, "/api/v1/flusher/pause", Set.of(Roles.OPERATE), "{}"),
                new Endpoint("POST", "/api/v1/flusher/resume", 422, "/api/v1/flusher/resume", Set.of(Roles.OPERATE), "{}"),
                new Endpoint("GET", "/api/v1/operator-audit", 200, "/api/v1/operator-audit", Set.of(Roles.READ), null));
    }

    private static final Map<String, String> SINGLE_ROLE_KEYS = Map.of(
            Roles.INGEST, INGEST_KEY, Roles.READ, READ_KEY, Roles.CONSENT, CONSENT_KEY, Roles.OPERATE, OPERATE_KEY);

    /** Every endpoint with each single-role key whose role it does not accept. */
    static Stream<Arguments> endpointsWithAKeyLackingTheRole() {
        return endpoints().flatMap(e -> SINGLE_ROLE_KEYS.entrySet().stream()
                .filter(key -> !e.roles().contains(key.getKey()))
                .map(key -> Arguments.of(e, key.getValue())));
    }

    private static RequestSpecification request(Endpoint endpoint, String key) {
        RequestSpecification spec = given();
        if (key != null) {
            spec.header("X-API-Key", key);
        }
        if (endpoint.body() != null) {
            spec.contentType(endpoint.body().equals(CSV_BODY) ? "text/csv" : ContentType.JSON.toString()).body(endpoint.body());
        }
        return spec;
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void withoutAKeyEveryApiEndpointAnswers401AndChangesNothing(Endpoint endpoint) {
        Map<String, Long> before = db.snapshot();
        request(endpoint, null).request(endpoint.method(), endpoint.path()).then()
                .statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", "X-API-Key");
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void withAnUnknownKeyEveryApiEndpointAnswers401(Endpoint endpoint) {
        Map<String, Long> before = db.snapshot();
        request(endpoint, "not-a-key").request(endpoint.method(), endpoint.path()).then()
                .statusCode(401).contentType("application/problem+json").body("status", equalTo(401));
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("endpointsWithAKeyLackingTheRole")
    void withAKeyLackingTheRoleEveryApiEndpointAnswers403(Endpoint endpoint, String key) {
        Map<String, Long> before = db.snapshot();
        request(endpoint, key).request(endpoint.method(), endpoint.path()).then()
                .statusCode(403).contentType("application/problem+json");
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("endpoints")
    void withTheRightRoleTheRequestIsServed(Endpoint endpoint) {
        for (String role : endpoint.roles()) {
            int status = request(endpoint, SINGLE_ROLE_KEYS.get(role)).request(endpoint.method(), endpoint.path())
                    .then().extract().statusCode();
            assertThat(status).as(endpoint + " with role " + role).isEqualTo(endpoint.served());
        }
        int status = request(endpoint, ADMIN_KEY).request(endpoint.method(), endpoint.path()).then().extract().statusCode();
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
