package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.PackagedApp;
import io.sfmcsuppression.support.SfmcWireMock;

/**
 * kill -9 while a completed 9 000-row run is being sent to SFMC (its export waits for the flush),
 * then a restart: the rows the dead process had claimed are taken over once their short lease runs
 * out (no heartbeat renews it any more), and the run is NOTIFIED within 60 s of the restart, with
 * every address in SFMC and one N04 mail. With the former five-minute lease this took ≈ 300 s.
 */
class KilledDuringFlushIT {

    private static final int PEOPLE = 9_000;
    private static final String RUN = "killed-flush";

    @Test
    void aRestartAfterAKillDuringTheFlushNotifiesTheRunWithinAMinute() throws Exception {
        // 50 rows a request, 4 in flight, 200 ms each: the flush of 9 000 rows takes about 9 s.
        WireMockServer sfmc = SfmcWireMock.standalone("tok-killed", 200);
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        Path deliverables = Files.createTempDirectory("it-killed-flush-runs");
        try (PackagedApp app = PackagedApp.fresh("killedflush").live(sfmc.baseUrl(), smtp.getSmtp().getPort(), deliverables)
                .start()) {
            for (int b = 0; b < PEOPLE / 1000; b++) {
                Batches batch = Batches.batch("2026-11-23");
                for (int i = 0; i < 1000; i++) {
                    int person = b * 1000 + i;
                    batch.inactive(RUN + "/" + person, "p" + person + "@killed.example.org",
                            person % 2 == 0 ? "Acme Weekly" : "Globex News");
                }
                given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                        .body(batch.json()).when().post("/api/v1/runs/{run}/determinations", RUN).then().statusCode(202);
            }
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                    .when().post("/api/v1/runs/{run}/complete", RUN).then().statusCode(202);

            await("the flush under way").atMost(Duration.ofSeconds(60)).until(() -> {
                Map<String, Integer> suppression = suppression(app);
                return suppression.getOrDefault("ADDED", 0) >= 500 && suppression.getOrDefault("PENDING", 0) >= 3_000;
            });
            app.kill();
            int sentBeforeKill = sends(sfmc).values().stream().mapToInt(Integer::intValue).sum();

            long restart = System.nanoTime();
            app.start();
            await("the run notified within 60 s of the restart").atMost(Duration.ofSeconds(60)).until(() -> "NOTIFIED".equals(
                    given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                            .when().get("/api/v1/runs/{run}", RUN).then().extract().path("state")));
            double seconds = (System.nanoTime() - restart) / 1e9;
            System.out.printf("KilledDuringFlushIT: %d rows sent before the kill; NOTIFIED %.1f s after the restart began%n",
                    sentBeforeKill, seconds);

            Map<String, Integer> settled = suppression(app);
            assertThat(settled.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(PEOPLE);
            assertThat(settled).containsEntry("ADDED", PEOPLE);
            Map<String, Integer> sends = sends(sfmc);
            assertThat(sends).as("every address reached SFMC").hasSize(PEOPLE);
            // Only rows in flight at the kill go twice (upserts are idempotent): 4 requests of 50 at most.
            long twice = sends.values().stream().filter(n -> n > 1).count();
            assertThat(twice).isLessThanOrEqualTo(4 * 50);
            await("the N04 mail").atMost(Duration.ofSeconds(10)).until(() -> smtp.getReceivedMessages().length == 1);
        } finally {
            smtp.stop();
            sfmc.stop();
        }
    }

    private static Map<String, Integer> suppression(PackagedApp app) {
        JsonPath run = given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                .when().get("/api/v1/runs/{run}", RUN).then().statusCode(200).extract().jsonPath();
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Object> suppression = run.getMap("suppression");
        suppression.forEach((state, n) -> counts.put(state, ((Number) n).intValue()));
        return counts;
    }

    /** How often each data extension and address was upserted, read from the stand-in's request log. */
    private static Map<String, Integer> sends(WireMockServer server) throws Exception {
        Map<String, Integer> sends = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (LoggedRequest request : server.findAll(WireMock.postRequestedFor(WireMock.urlPathMatching("/hub/v1/dataevents/.*")))) {
            for (JsonNode row : json.readTree(request.getBodyAsString())) {
                sends.merge(request.getUrl() + " " + row.path("keys").path("Email Address").asText(), 1, Integer::sum);
            }
        }
        return sends;
    }
}
