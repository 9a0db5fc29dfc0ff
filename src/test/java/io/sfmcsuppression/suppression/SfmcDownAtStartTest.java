package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static io.sfmcsuppression.support.Management.management;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.support.CapturedLog;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.InjectWireMock;
import io.sfmcsuppression.support.LiveSfmcProfile;
import io.sfmcsuppression.support.Management;
import io.sfmcsuppression.support.SfmcWireMock;

/**
 * DESIGN section 3, the improvement over the seed: live mode with credentials and SFMC failing at
 * startup keeps rows PENDING, re-checks with back-off, and sends them once SFMC answers. Also the
 * secrets check: neither the client secret nor a token reaches a log line, a response or a metric,
 * even when SFMC echoes the secret in an error.
 */
@QuarkusTest
@TestProfile(LiveSfmcProfile.TokenDownAtStart.class)
class SfmcDownAtStartTest {

    @InjectWireMock
    WireMockServer wm;

    @Inject
    Database db;

    @Test
    void sfmcDownAtStartThenUpRowsEndAddedAndNoSecretOrTokenLeaks() {
        String run = "down-" + UUID.randomUUID();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        try (CapturedLog log = CapturedLog.open()) {
            wm.resetRequests();
            // SFMC refuses the token and, carelessly, echoes the secret in its error.
            wm.stubFor(WireMock.post("/v2/token").willReturn(WireMock.jsonResponse(
                    "{\"error\":\"invalid_client\",\"error_description\":\"client_secret " + LiveSfmcProfile.CLIENT_SECRET
                            + " is not valid right now\"}", 401)));
            postBatch(run, batch("2026-11-23")
                    .inactive("d-" + tag + "-1", "a-" + tag + "@acme.org", "Acme Weekly")
                    .inactive("d-" + tag + "-2", "b-" + tag + "@acme.org", "Globex News")
                    .json()).statusCode(202);
            // Waits for the re-checks rather than sleeping a fixed time: on a loaded machine the
            // flusher's ticks (1 s) and the jittered back-off (up to 1 s) can stretch past any guess.
            await("health re-checked with back-off").atMost(Duration.ofSeconds(20)).until(() ->
                    wm.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/v2/token"))).size() >= 2);

            assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'PENDING'", run))
                    .isEqualTo(2);
            assertThat(wm.findAll(WireMock.postRequestedFor(WireMock.urlPathMatching("/hub/.*")))).isEmpty();
            JsonPath down = as(READ_KEY).get("/api/v1/status").then().statusCode(200).extract().jsonPath();
            assertThat(down.getString("mode")).isEqualTo("live");
            assertThat(down.getString("sfmc.client")).isEqualTo("live");
            assertThat(down.getString("sfmc.reason")).contains("credentials are set");
            assertThat(down.getString("sfmc.token")).isEqualTo("DOWN");
            assertThat(down.getString("sfmc.lastError.message")).contains("invalid_client");
            assertThat(down.getLong("outbox.PENDING")).isGreaterThanOrEqualTo(2);
            String downBody = down.prettify();
            // Readiness reflects the database only; SFMC shows in the wellness part of /q/health.
            management().get("/q/health/ready").then().statusCode(200);
            JsonPath well = management().get("/q/health/well").then().statusCode(503).extract().jsonPath();
            assertThat(well.getString("checks.find { it.name == 'sfmc' }.status")).isEqualTo("DOWN");
            assertThat(well.prettify()).doesNotContain(LiveSfmcProfile.CLIENT_SECRET);
            assertThat(Management.metrics()).containsPattern("(?m)^sfmc_token_up 0\\.0$");

            SfmcWireMock.stubToken(wm, SfmcWireMock.TOKEN, 1079);
            await("rows VERIFIED once SFMC answers").atMost(Duration.ofSeconds(15)).until(() ->
                    db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'VERIFIED'", run) == 2);

            JsonPath up = as(READ_KEY).get("/api/v1/status").then().statusCode(200).extract().jsonPath();
            assertThat(up.getString("sfmc.token")).isEqualTo("UP");
            String metrics = Management.metrics();
            assertThat(metrics).containsPattern("(?m)^sfmc_token_up 1\\.0$");
            assertThat(metrics).contains("sfmc_upserts_total").contains("sfmc_request_duration_seconds_bucket")
                    .contains("suppression_outbox_depth").contains("sfmc_token_requests_total");

            for (String leaked : new String[] {LiveSfmcProfile.CLIENT_SECRET, SfmcWireMock.TOKEN}) {
                assertThat(log.lines()).noneMatch(line -> line.contains(leaked));
                assertThat(downBody).doesNotContain(leaked);
                assertThat(up.prettify()).doesNotContain(leaked);
                assertThat(metrics).doesNotContain(leaked);
                assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE sfmc_message LIKE ?", "%" + leaked + "%"))
                        .isZero();
            }
            assertThat(log.lines()).anyMatch(line -> line.contains("SFMC is not reachable"));
        }
    }
}
