package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static io.sfmcsuppression.support.Batches.batch;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.PackagedApp;

/** A 202 means committed: the packaged jar, killed and started again, still has every accepted batch. */
class AcceptedBatchesSurviveRestartIT {

    @Test
    void everyAcceptedDeterminationIsThereAfterAKillAndARestart() throws Exception {
        try (PackagedApp app = PackagedApp.fresh("restart").start()) {
            for (int b = 0; b < 5; b++) {
                Batches body = batch("2026-11-23");
                for (int i = 0; i < 100; i++) {
                    body.inactive("restart-" + b + "-" + i, "person" + b + "-" + i + "@acme.org", "Acme Weekly");
                }
                body.item("restart-" + b + "-active", "active" + b + "@acme.org", "ACTIVE");
                given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                        .body(body.json()).when().post("/api/v1/runs/restart-run/determinations")
                        .then().statusCode(202).body("accepted", equalTo(101));
            }

            app.kill();
            app.start();

            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                    .when().get("/api/v1/runs/restart-run").then().statusCode(200)
                    .body("runDate", equalTo("2026-11-23"))
                    .body("counts.INACTIVE", equalTo(500))
                    .body("counts.ACTIVE", equalTo(5))
                    .body("inactivePeople", equalTo(500));
        }
    }
}
