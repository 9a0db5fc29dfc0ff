package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sfmcsuppression.support.PackagedApp;

/**
 * DESIGN section 8 on the packaged jar with its production configuration: every {@code /api}
 * operation that the jar's own OpenAPI document publishes refuses a request without a key, with an
 * unknown key and with a key holding none of the service's roles, as problem+json that leaks
 * nothing, and changes nothing. Taking the operations from the document means an endpoint added
 * later is covered without touching this test. (Which role each endpoint needs is checked in
 * {@code ApiKeyAuthTest}.)
 */
class ApiAuthenticationIT {

    private static final String ROLELESS_KEY = "it-auditor-key";
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static PackagedApp app;

    /** One published operation, with its path parameters filled in and the media type its body takes. */
    record Operation(String method, String template, String mediaType) {
        String path() {
            return template.replace("{runId}", "auth-it-run").replace("{file}", "Marketing_NoLongerThere_2026-11-23.csv")
                    .replace("{email}", "jane.doe@acme.org").replace("{id}", "1");
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        app = PackagedApp.fresh("auth").withApiKey("auditor", ROLELESS_KEY, "audit").start();
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    static Stream<Operation> operations() {
        Map<String, Map<String, Map<String, Object>>> paths = given().baseUri(app.managementUri()).queryParam("format", "json")
                .when().get("/q/openapi").then().statusCode(200).extract().jsonPath().getMap("paths");
        List<Operation> operations = new ArrayList<>();
        paths.forEach((path, byMethod) -> byMethod.keySet().stream().filter(HTTP_METHODS::contains)
                .filter(method -> path.startsWith("/api/"))
                .forEach(method -> operations.add(new Operation(method.toUpperCase(Locale.ROOT), path,
                        mediaType(byMethod.get(method))))));
        return operations.stream();
    }

    /** The first media type of the operation's request body, JSON when it declares none. */
    @SuppressWarnings("unchecked")
    private static String mediaType(Map<String, Object> operation) {
        Object body = operation.get("requestBody");
        if (body instanceof Map<?, ?> b && b.get("content") instanceof Map<?, ?> content && !content.isEmpty()) {
            return (String) content.keySet().iterator().next();
        }
        return "application/json";
    }

    @Test
    void theDocumentPublishesEveryApiEndpoint() {
        // A floor, so that an empty or filtered document cannot make the checks below vacuous.
        assertThat(operations().map(Operation::toString)).contains(
                "POST /api/v1/runs/{runId}/determinations", "POST /api/v1/runs/{runId}/complete",
                "POST /api/v1/runs/complete-idle", "GET /api/v1/runs/{runId}", "GET /api/v1/runs",
                "GET /api/v1/runs/{runId}/deliverables/{file}", "GET /api/v1/emails/{email}", "GET /api/v1/status",
                "POST /api/v1/consent/validate", "POST /api/v1/consent/unsubscribe", "GET /api/v1/consent/opt-outs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void withoutAKeyTheOperationAnswers401(Operation operation) {
        Response response = refused(operation, null, 401);
        assertThat(response.header("WWW-Authenticate")).as(operation.toString()).isEqualTo("X-API-Key");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void withAnUnknownKeyTheOperationAnswers401(Operation operation) {
        refused(operation, "not-a-key-" + operation.method(), 401);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void withAKeyLackingEveryRoleTheOperationAnswers403(Operation operation) {
        refused(operation, ROLELESS_KEY, 403);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operations")
    void withAKeyHoldingEveryRoleTheOperationGetsPastAuthentication(Operation operation) {
        // The bodies are generic here, so the answer is one of the service's deliberate ones (the
        // exact status per endpoint is ApiKeyAuthTest's): never 401/403, never an unhandled 500.
        Response response = request(operation, PackagedApp.API_KEY);
        assertThat(response.statusCode()).as(operation.toString()).isIn(200, 202, 400, 404, 422, 503);
        if (response.statusCode() >= 400) {
            assertThat(response.contentType()).as(operation.toString()).startsWith("application/problem+json");
        }
    }

    private static Response request(Operation operation, String key) {
        RequestSpecification spec = given().baseUri(app.baseUri());
        if (key != null) {
            spec.header("X-API-Key", key);
        }
        if (!operation.method().equals("GET")) {
            spec.contentType(operation.mediaType()).body(operation.mediaType().contains("json") ? "{}" : "email\n");
        }
        return spec.request(operation.method(), operation.path());
    }

    private static Response refused(Operation operation, String key, int status) {
        String before = dataSeenByAnAdmin();
        Response response = request(operation, key);
        assertThat(response.statusCode()).as(operation.toString()).isEqualTo(status);
        assertThat(response.contentType()).as(operation.toString()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
        assertThat(response.asString()).as(operation.toString())
                .doesNotContain("Exception", "\tat ", "SQL", "jdbc", ROLELESS_KEY, PackagedApp.API_KEY);
        assertThat(dataSeenByAnAdmin()).as(operation + " changed nothing").isEqualTo(before);
        return response;
    }

    /** Runs and pending opt-outs as the API shows them: a refused request must leave both alone. */
    private static String dataSeenByAnAdmin() {
        String runs = given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).queryParam("limit", 500)
                .when().get("/api/v1/runs").then().statusCode(200).extract().asString();
        String optOuts = given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                .when().get("/api/v1/consent/opt-outs").then().statusCode(200).extract().jsonPath().getString("count");
        return runs + " opt-outs=" + optOuts;
    }
}
