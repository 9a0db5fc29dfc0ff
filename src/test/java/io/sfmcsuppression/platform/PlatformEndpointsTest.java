package io.sfmcsuppression.platform;

import static io.restassured.RestAssured.given;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static io.sfmcsuppression.support.Management.management;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.sfmcsuppression.support.Management;

@QuarkusTest
class PlatformEndpointsTest {

    @Test
    void readinessIncludesTheDatabase() {
        management().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
    }

    @Test
    void theManagementInterfaceHasAPortOfItsOwn() {
        assertThat(URI.create(Management.baseUri()).getPort()).isPositive().isNotEqualTo(RestAssured.port);
    }

    /** Probes, the scrape and the API description answer on the management port only, never on the public one. */
    @ParameterizedTest
    @ValueSource(strings = {"/q/health", "/q/health/ready", "/q/health/live", "/q/health/started", "/q/health/well",
            "/q/metrics", "/q/openapi", "/q/swagger-ui/"})
    void platformEndpointsAnswerOnTheManagementPortAndNotOnThePublicOne(String path) {
        management().when().get(path).then().statusCode(org.hamcrest.Matchers.anyOf(equalTo(200), equalTo(503)));
        given().when().get(path).then().statusCode(404);
    }

    @Test
    void metricsCountDeterminationsByTypeAndOutcome() {
        String run = "metrics-" + UUID.randomUUID();
        String body = batch().item("m-" + UUID.randomUUID(), "a@acme.org", "OUT_OF_OFFICE").json();
        postBatch(run, body).statusCode(202);
        postBatch(run, body).statusCode(202);
        management().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("determinations_total{outcome=\"accepted\",type=\"OUT_OF_OFFICE\"}"))
                .body(containsString("determinations_total{outcome=\"duplicate\",type=\"OUT_OF_OFFICE\"}"));
    }

    @Test
    void openApiDocumentsEveryEndpointWithTheApiKeyScheme() {
        management().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/v1/runs/{runId}/determinations'.post.requestBody.content.'application/json'.examples",
                        notNullValue())
                .body("paths.'/api/v1/runs/{runId}/complete'.post", notNullValue())
                .body("paths.'/api/v1/runs/complete-idle'.post", notNullValue())
                .body("paths.'/api/v1/runs/{runId}'.get", notNullValue())
                .body("paths.'/api/v1/runs'.get", notNullValue())
                .body("paths.'/api/v1/emails/{email}'.get", notNullValue())
                .body("paths.'/api/v1/status'.get", notNullValue())
                .body("components.securitySchemes.SecurityScheme.type", equalTo("apiKey"));
    }
}
