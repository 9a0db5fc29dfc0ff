package io.sfmcsuppression.security;

import static io.restassured.RestAssured.given;
import static io.sfmcsuppression.support.Api.ADMIN_KEY;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** quarkus.security.jaxrs.deny-unannotated-endpoints: an endpoint without a role annotation is closed. */
@QuarkusTest
class UnannotatedEndpointTest {

    @Test
    void anEndpointWithoutRolesAllowedIsRefusedWithoutAKey() {
        given().when().get("/test-only/unannotated").then().statusCode(401)
                .body(not(containsString("open by omission")));
    }

    @Test
    void anEndpointWithoutRolesAllowedIsRefusedEvenWithEveryRole() {
        as(ADMIN_KEY).when().get("/test-only/unannotated").then().statusCode(403)
                .body(not(containsString("open by omission")));
    }

    /** The positive control: an annotated endpoint still answers the same key. */
    @Test
    void anAnnotatedEndpointStillAnswers() {
        as(READ_KEY).when().get("/api/v1/status").then().statusCode(200).body("mode", equalTo("dry-run"));
    }
}
