package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.restassured.http.ContentType;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.PackagedApp;
import io.sfmcsuppression.support.SfmcWireMock;

/**
 * SIGTERM while an upsert is in flight and more wait their turn: the one in flight finishes, the
 * waiting rows go back to PENDING due now (not held for the five-minute claim lease), and after a
 * start every address has reached SFMC exactly once.
 */
class GracefulShutdownIT {

    @Test
    void sigtermFinishesTheUpsertInFlightAndHandsTheRestBackAtOnce() throws Exception {
        WireMockServer sfmc = SfmcWireMock.standalone("tok-shutdown", 3000);
        try (PackagedApp app = PackagedApp.fresh("shutdown")
                .with("SUPPRESSION_MODE", "live")
                .with("SFMC_CLIENT_ID", PackagedApp.CLIENT_ID).with("SFMC_CLIENT_SECRET", PackagedApp.CLIENT_SECRET)
                .with("SFMC_AUTH_BASE_URI", sfmc.baseUrl())
                // WireMock (127.0.0.1, named localhost in its base URL) stands in for Salesforce's hosts.
                .with("SFMC_ALLOWED_TEST_HOSTS", "127.0.0.1,localhost")
                .with("SFMC_SUPPRESSION_LIST_MAPPING", "{\"Acme Weekly\":\"ASL_ACME\"}")
                .with("SFMC_UPSERT_IN_FLIGHT", "1")
                // About handing rows back at a stop; read-back after a restart is SfmcLiveUpsertTest's.
                .with("SFMC_VERIFY_WRITES", "false")
                .with("SFMC_FLUSH_INTERVAL", "1s")
                .start()) {
            Batches batch = Batches.batch("2026-11-23");
            for (int i = 0; i < 200; i++) {
                batch.inactive("shutdown/" + i, "p" + i + "@shutdown.example.org", "Acme Weekly");
            }
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                    .body(batch.json()).when().post("/api/v1/runs/shutdown/determinations").then().statusCode(202);
            await("the first upsert in flight").atMost(Duration.ofSeconds(30)).until(
                    () -> !sfmc.findAll(WireMock.postRequestedFor(WireMock.urlPathMatching("/hub/v1/dataevents/.*"))).isEmpty());

            app.stop();
            int sentBeforeStop = sfmc.findAll(WireMock.postRequestedFor(WireMock.urlPathMatching("/hub/v1/dataevents/.*"))).size();
            assertThat(sentBeforeStop).as("upserts started before the stop").isLessThan(4);

            sfmc.stubFor(WireMock.post(WireMock.urlPathMatching("/hub/v1/dataevents/.*")).willReturn(WireMock.okJson("[]")));
            app.start();
            // Only rows handed back at shutdown are all sent this soon (the rest would wait for the claim lease).
            await("every row ADDED").atMost(Duration.ofSeconds(30)).until(() -> Integer.valueOf(200).equals(
                    given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                            .when().get("/api/v1/runs/shutdown").then().extract().path("suppression.ADDED")));

            Map<String, Integer> sends = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (LoggedRequest request : sfmc.findAll(WireMock.postRequestedFor(WireMock.urlPathMatching("/hub/v1/dataevents/.*")))) {
                for (JsonNode row : json.readTree(request.getBodyAsString())) {
                    sends.merge(row.path("keys").path("Email Address").asText(), 1, Integer::sum);
                }
            }
            assertThat(sends).hasSize(200);
            assertThat(sends.values()).as("no address sent twice").containsOnly(1);
        } finally {
            sfmc.stop();
        }
    }
}
