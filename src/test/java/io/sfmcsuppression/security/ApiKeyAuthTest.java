package io.sfmcsuppression.security;

import static io.restassured.RestAssured.given;
import static io.sfmcsuppression.support.Api.ADMIN_KEY;
import static io.sfmcsuppression.support.Api.CONSENT_KEY;
import static io.sfmcsuppression.support.Api.INGEST_KEY;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

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

    /** An endpoint, the role it needs, and a body when it takes one. */
    record Endpoint(String method, String path, String role, String body) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    static Stream<Endpoint> endpoints() {
        String run = "auth-" + UUID.randomUUID();
        return Stream.of(
                new Endpoint("POST", "/api/v1/runs/" + run + "/determinations", Roles.INGEST,
                        batch().inactive("auth-" + UUID.randomUUID(), "a@acme.org", "Acme Weekly").json()),
                new Endpoint("POST", "/api/v1/runs/" + run + "/complete", Roles.INGEST, null),
                new Endpoint("POST", "/api/v1/runs/complete-idle?idleFor=PT9999H", Roles.INGEST, null),
                new Endpoint("GET", "/api/v1/runs/" + run, Roles.READ, null),
                new Endpoint("GET", "/api/v1/runs", Roles.READ, null),
                new Endpoint("GET", "/api/v1/emails/a@acme.org", Roles.READ, null),
                new Endpoint("GET", "/api/v1/status", Roles.READ, null));
    }

    static Stream<Arguments> endpointsWithAKeyLackingTheRole() {
        return endpoints().map(e -> Arguments.of(e, switch (e.role()) {
            case Roles.INGEST -> READ_KEY;
            case Roles.READ -> CONSENT_KEY;
            default -> INGEST_KEY;
        }));
    }

    private static RequestSpecification request(Endpoint endpoint, String key) {
        RequestSpecification spec = given();
        if (key != null) {
            spec.header("X-API-Key", key);
        }
        if (endpoint.body() != null) {
            spec.contentType(ContentType.JSON).body(endpoint.body());
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
        String key = endpoint.role().equals(Roles.INGEST) ? INGEST_KEY : ADMIN_KEY;
        int status = request(endpoint, key).request(endpoint.method(), endpoint.path()).then().extract().statusCode();
        assertThat(status).as(endpoint.toString()).isNotIn(401, 403);
    }

    @org.junit.jupiter.api.Test
    void platformEndpointsNeedNoKey() {
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/started").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
