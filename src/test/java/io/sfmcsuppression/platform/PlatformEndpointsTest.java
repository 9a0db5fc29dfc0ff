package io.sfmcsuppression.platform;

import static io.restassured.RestAssured.given;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PlatformEndpointsTest {

    @Test
    void readinessIncludesTheDatabase() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")));
    }

    @Test
    void metricsCountDeterminationsByTypeAndOutcome() {
        String run = "metrics-" + UUID.randomUUID();
        String body = batch().item("m-" + UUID.randomUUID(), "a@acme.org", "OUT_OF_OFFICE").json();
        postBatch(run, body).statusCode(202);
        postBatch(run, body).statusCode(202);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("determinations_total{outcome=\"accepted\",type=\"OUT_OF_OFFICE\"}"))
                .body(containsString("determinations_total{outcome=\"duplicate\",type=\"OUT_OF_OFFICE\"}"));
    }

    @Test
    void openApiDocumentsEveryEndpointWithTheApiKeyScheme() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
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
