package io.sfmcsuppression.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/** Calls to the service's API with the test keys of application.properties. */
public final class Api {

    public static final String INGEST_KEY = "test-ingest-key";
    public static final String READ_KEY = "test-read-key";
    public static final String CONSENT_KEY = "test-consent-key";
    public static final String ADMIN_KEY = "test-admin-key";
    /** Only the operate role; its key name is {@code operator}. */
    public static final String OPERATE_KEY = "test-operate-key";

    private Api() {
    }

    public static RequestSpecification as(String key) {
        return given().header("X-API-Key", key);
    }

    public static ValidatableResponse postBatch(String runId, String body) {
        return as(INGEST_KEY).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/runs/{runId}/determinations", runId).then();
    }

    public static ValidatableResponse complete(String runId) {
        return as(INGEST_KEY).when().post("/api/v1/runs/{runId}/complete", runId).then();
    }

    public static ValidatableResponse run(String runId) {
        return as(READ_KEY).when().get("/api/v1/runs/{runId}", runId).then();
    }
}
