package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.restassured.http.ContentType;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.Deliverables;
import io.sfmcsuppression.support.PackagedApp;
import io.sfmcsuppression.support.SfmcWireMock;
import io.sfmcsuppression.support.SmtpProxy;

/**
 * kill -9 after the run's files are written and before its mail went out (SMTP is down then),
 * then a restart with SMTP back: the files are byte for byte the same and exactly one N04 mail
 * arrives.
 */
class CrashDuringExportIT {

    @Test
    void aKillBetweenFilesAndMailEndsWithTheSameFilesAndOneMail() throws Exception {
        WireMockServer sfmc = SfmcWireMock.standalone("tok-crash", 0);
        GreenMail mailbox = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mailbox.start();
        Path deliverables = Files.createTempDirectory("it-crash-export-runs");
        try (SmtpProxy smtp = SmtpProxy.inFrontOf(mailbox.getSmtp().getPort()).down();
             PackagedApp app = PackagedApp.fresh("crashexport").live(sfmc.baseUrl(), smtp.port(), deliverables)
                .with("NOTIFICATION_RETRY_INITIAL", "PT1S").with("NOTIFICATION_RETRY_MAX", "PT2S")
                .start()) {
            Batches batch = Batches.batch("2026-11-23");
            for (int i = 0; i < 50; i++) {
                batch.inactive("crash-export/" + i, "p" + i + "@crash.example.org", "Acme Weekly");
            }
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                    .body(batch.json()).when().post("/api/v1/runs/crash-export/determinations").then().statusCode(202);
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                    .when().post("/api/v1/runs/crash-export/complete").then().statusCode(202);

            // SMTP is down: the files are written, the mail keeps failing.
            await("the files written and the mail retrying").atMost(Duration.ofSeconds(60)).until(() -> "RETRYING".equals(
                    given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                            .when().get("/api/v1/runs/crash-export").then().extract().path("notification.state")));
            Map<String, String> before = Deliverables.hashes(deliverables.resolve("crash-export"));
            assertThat(before).containsKeys("Marketing_NoLongerThere_2026-11-23.csv", "output_document_inactive_people.csv");

            app.kill();
            smtp.up();
            app.start();

            await("the run notified").atMost(Duration.ofSeconds(60)).until(() -> "NOTIFIED".equals(
                    given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                            .when().get("/api/v1/runs/crash-export").then().extract().path("state")));
            await("no second mail").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> mailbox.getReceivedMessages().length == 1);
            assertThat(Deliverables.hashes(deliverables.resolve("crash-export"))).isEqualTo(before);
        } finally {
            mailbox.stop();
            sfmc.stop();
        }
    }
}
