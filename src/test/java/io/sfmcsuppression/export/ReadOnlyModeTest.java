package io.sfmcsuppression.export;

import static io.sfmcsuppression.export.ExportFixtures.RUN_DATE;
import static io.sfmcsuppression.export.ExportFixtures.newRun;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.InjectSmtp;
import io.sfmcsuppression.support.InjectWireMock;
import io.sfmcsuppression.support.LiveSfmcProfile;
import io.sfmcsuppression.support.SfmcWireMock;
import io.sfmcsuppression.support.SmtpServer;

/**
 * DESIGN rule 6, read-only, end to end: with SFMC credentials set, a stand-in SFMC and a real SMTP
 * server up, the service writes its files and its database and nothing else. The stand-in would
 * answer (token, upserts, reads), so a single call would be seen; the mailer would deliver.
 */
@QuarkusTest
@TestProfile(ReadOnlyModeTest.ReadOnlyWithCredentials.class)
class ReadOnlyModeTest {

    /** {@link LiveSfmcProfile}'s credentials and stand-in, and live mail settings, in read-only mode. */
    public static class ReadOnlyWithCredentials extends LiveSfmcProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.putAll(new LiveMailProfile().getConfigOverrides());
            overrides.put("suppression.mode", "read-only");
            return overrides;
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SfmcWireMock.class), new TestResourceEntry(SmtpServer.class));
        }
    }

    @InjectWireMock
    WireMockServer sfmc;

    @InjectSmtp
    SmtpServer smtp;

    @Inject
    Database db;

    @Inject
    DeliverablesWriter writer;

    @Test
    void rule6ReadOnlyWritesFilesWithholdsMailAndCallsNoSfmc() throws Exception {
        String run = newRun("read-only");
        postBatch(run, batch(RUN_DATE)
                .inactive(run + "/1", "gone@acme.org", "Acme Weekly")
                .inactive(run + "/2", "left@globex.com", "Globex News")
                .inactive(run + "/3", "nobody@nowhere.org", "Nobody Maps Me")
                .item(run + "/4", "still.here@acme.org", "ACTIVE", "accountName", "Acme Weekly")
                .json()).statusCode(202);
        await("mapped rows skipped by the mock").atMost(Duration.ofSeconds(15)).until(() -> db.count(
                "SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'SKIPPED' AND reason = 'MOCK_CLIENT'", run) == 2);

        Api.complete(run).statusCode(202);
        await("the run exported").atMost(Duration.ofSeconds(20)).until(() -> "EXPORTED".equals(
                Api.run(run).statusCode(200).extract().jsonPath().getString("state")));

        JsonPath view = Api.run(run).statusCode(200).extract().jsonPath();
        assertThat(view.getString("notification.state")).isEqualTo("WITHHELD");
        assertThat(view.getString("notification.reason"))
                .isEqualTo("read-only: no mail is sent in this mode; to, cc and subject show what would have been sent");
        assertThat(view.getString("notification.subject")).isEqualTo("N04 suppression import, run date 2026-11-23: 3 rows");
        assertThat(view.getList("notification.cc")).containsExactly(LiveMailProfile.CC_MAX, LiveMailProfile.CC_VISH);
        assertThat(view.getLong("suppression.SKIPPED_MOCK_CLIENT")).isEqualTo(2);
        assertThat(view.getLong("suppression.SKIPPED_NO_MAPPING")).isEqualTo(1);

        assertThat(writer.runDir(run).resolve("Marketing_NoLongerThere_2026-11-23.csv")).isRegularFile();
        assertThat(Files.readString(writer.runDir(run).resolve(DeliverablesWriter.INTERNAL_NAME)))
                .contains("gone@acme.org", "left@globex.com", "nobody@nowhere.org").doesNotContain("still.here@acme.org");

        Api.as(Api.READ_KEY).get("/api/v1/status").then().statusCode(200)
                .body("mode", org.hamcrest.Matchers.equalTo("read-only"))
                .body("sfmc.client", org.hamcrest.Matchers.equalTo("mock"));
        // The export, the flusher's rounds and the health check have all run by now (the rows are
        // settled and the run exported): none of them went to SFMC or to the mail server.
        assertThat(sfmc.getAllServeEvents()).as("requests to the SFMC stand-in (token, REST, SOAP)").isEmpty();
        assertThat(smtp.receivedMessages()).isEmpty();
    }
}
