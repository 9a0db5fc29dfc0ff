package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.restassured.http.ContentType;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.PackagedApp;
import io.sfmcsuppression.support.SfmcWireMock;
import jakarta.mail.internet.MimeMessage;

/**
 * Two instances of the packaged jar on one PostgreSQL database, in live mode against WireMock and
 * GreenMail: every address reaches SFMC once, every run is exported once and mailed once, and the
 * service logs of the whole run hold no client secret, token, API key or full email address.
 */
class TwoReplicasIT {

    private static final int PEOPLE_PER_RUN = 400;

    @Test
    void twoReplicasNeverSendARowTwiceNorExportOrMailARunTwice() throws Exception {
        // Two processes cannot share an H2 file. On a machine with only a JDK this one test waits for
        // PostgreSQL; where PostgreSQL is promised (CI, or TEST_PG_URL set) its absence is a failure.
        boolean promised = System.getenv("CI") != null || System.getenv("TEST_PG_URL") != null;
        if (promised) {
            PackagedApp.requirePostgres();
        } else {
            org.junit.jupiter.api.Assumptions.assumeTrue(PackagedApp.postgresAvailable(),
                    "PostgreSQL on 127.0.0.1:5432 is needed for two replicas; .ci/run always provides it");
        }
        WireMockServer sfmc = SfmcWireMock.standalone("tok-replicas", 50);
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        int smtpPort = smtp.getSmtp().getPort();
        Path deliverables = Files.createTempDirectory("it-replicas-runs");
        try (PackagedApp first = PackagedApp.freshOnPostgres("replicas")
                .with("SUPPRESSION_MODE", "live")
                .with("SFMC_CLIENT_ID", PackagedApp.CLIENT_ID).with("SFMC_CLIENT_SECRET", PackagedApp.CLIENT_SECRET)
                .with("SFMC_AUTH_BASE_URI", sfmc.baseUrl())
                // WireMock (127.0.0.1, named localhost in its base URL) stands in for Salesforce's hosts.
                .with("SFMC_ALLOWED_TEST_HOSTS", "127.0.0.1,localhost")
                .with("SFMC_SUPPRESSION_LIST_MAPPING", "{\"Acme Weekly\":\"ASL_ACME\",\"Globex News\":\"ASL_GLOBEX\"}")
                .with("SFMC_FLUSH_INTERVAL", "1s")
                .with("EXPORT_EVERY", "1s")
                .with("DELIVERABLES_DIR", deliverables.toString())
                .with("NOTIFICATION_MARKETING_TO", "marketing@example.org")
                .with("NOTIFICATION_CC", "max@example.org,vish@example.org")
                .with("NOTIFICATION_FROM", "suppression@example.org")
                .plainSmtp(smtpPort)
                .start();
             PackagedApp second = first.replica().start()) {

            List<PackagedApp> apps = List.of(first, second);
            List<String> runs = List.of("replicas-a", "replicas-b");
            List<CompletableFuture<Void>> posts = new ArrayList<>();
            for (int r = 0; r < runs.size(); r++) {
                for (int b = 0; b < 4; b++) {
                    PackagedApp app = apps.get(b % 2);
                    String run = runs.get(r);
                    Batches batch = Batches.batch("2026-11-23");
                    for (int i = 0; i < PEOPLE_PER_RUN / 4; i++) {
                        int person = b * (PEOPLE_PER_RUN / 4) + i;
                        batch.inactive(run + "/" + person, "p" + person + "@" + run + ".example.org",
                                person % 2 == 0 ? "Acme Weekly" : "Globex News");
                    }
                    posts.add(CompletableFuture.runAsync(() -> given().baseUri(app.baseUri())
                            .header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON).body(batch.json())
                            .when().post("/api/v1/runs/{run}/determinations", run).then().statusCode(202)));
                }
            }
            CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).join();

            // Both replicas are told to complete both runs at once; each run must still be exported and mailed once.
            List<CompletableFuture<Void>> completes = new ArrayList<>();
            for (String run : runs) {
                for (PackagedApp app : apps) {
                    completes.add(CompletableFuture.runAsync(() -> given().baseUri(app.baseUri())
                            .header("X-API-Key", PackagedApp.API_KEY).when().post("/api/v1/runs/{run}/complete", run)
                            .then().statusCode(202)));
                }
            }
            CompletableFuture.allOf(completes.toArray(CompletableFuture[]::new)).join();

            for (String run : runs) {
                await(run + " notified").atMost(Duration.ofSeconds(90)).until(() -> "NOTIFIED".equals(
                        given().baseUri(first.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                                .when().get("/api/v1/runs/{run}", run).then().extract().path("state")));
            }

            Map<String, Integer> sends = new HashMap<>();
            ObjectMapper json = new ObjectMapper();
            for (LoggedRequest request : sfmc.findAll(WireMock.postRequestedFor(WireMock.urlPathMatching("/hub/v1/dataevents/.*")))) {
                for (JsonNode row : json.readTree(request.getBodyAsString())) {
                    String key = request.getUrl() + " " + row.path("keys").path("Email Address").asText();
                    sends.merge(key, 1, Integer::sum);
                }
            }
            assertThat(sends).hasSize(2 * PEOPLE_PER_RUN);
            assertThat(sends.values()).as("no address sent twice").containsOnly(1);

            // A late second mail would arrive within the export timer's next passes; none may.
            int delivered = smtp.getReceivedMessages().length;
            await("no late mail").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> smtp.getReceivedMessages().length == delivered);
            MimeMessage[] mails = smtp.getReceivedMessages();
            // GreenMail keeps one copy per recipient: three recipients per N04 mail.
            Map<String, Integer> mailsPerRun = new HashMap<>();
            for (MimeMessage mail : mails) {
                mailsPerRun.merge(mail.getHeader("X-N04-Run", null), 1, Integer::sum);
            }
            assertThat(mailsPerRun).containsOnlyKeys(runs.toArray(String[]::new));
            assertThat(mailsPerRun.values()).containsOnly(3);
            for (PackagedApp app : apps) {
                String log = app.log();
                assertThat(log).as("service log").doesNotContain(PackagedApp.CLIENT_SECRET, "tok-replicas", PackagedApp.API_KEY)
                        .doesNotContainPattern("p[0-9]+@replicas-[ab]\\.example\\.org");
            }
            for (String run : runs) {
                try (var files = Files.list(deliverables.resolve(run))) {
                    assertThat(files.map(f -> f.getFileName().toString()))
                            .containsExactlyInAnyOrder("Marketing_NoLongerThere_2026-11-23.csv", "output_document_inactive_people.csv");
                }
            }
        } finally {
            smtp.stop();
            sfmc.stop();
        }
    }
}
