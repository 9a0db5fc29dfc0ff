package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.PackagedApp;
import io.sfmcsuppression.support.SmtpProxy;

/**
 * SMTP down for 60 s after a run completes: the mail is retried, and exactly one arrives once SMTP is
 * back. Down is a proxy on the service's SMTP port answering every connection 421; GreenMail is behind it.
 */
class SmtpOutageIT {

    @Test
    void aSixtySecondSmtpOutageEndsWithExactlyOneMail() throws Exception {
        GreenMail mailbox = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mailbox.start();
        try (SmtpProxy smtp = SmtpProxy.inFrontOf(mailbox.getSmtp().getPort()).down();
             PackagedApp app = PackagedApp.fresh("smtpoutage")
                // live mode for the mail; without SFMC credentials the suppression client is the mock
                .with("SUPPRESSION_MODE", "live")
                .with("EXPORT_EVERY", "1s")
                .with("DELIVERABLES_DIR", Files.createTempDirectory("it-smtp-runs").toString())
                .with("NOTIFICATION_MARKETING_TO", "marketing@example.org")
                .with("NOTIFICATION_FROM", "suppression@example.org")
                .with("NOTIFICATION_RETRY_INITIAL", "PT1S").with("NOTIFICATION_RETRY_MAX", "PT5S")
                .plainSmtp(smtp.port())
                .start()) {
            Batches batch = Batches.batch("2026-11-23");
            for (int i = 0; i < 20; i++) {
                batch.inactive("smtp-outage/" + i, "p" + i + "@smtp.example.org", "Acme Weekly");
            }
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                    .body(batch.json()).when().post("/api/v1/runs/smtp-outage/determinations").then().statusCode(202);
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                    .when().post("/api/v1/runs/smtp-outage/complete").then().statusCode(202);

            Thread.sleep(60_000);
            JsonPath during = given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                    .when().get("/api/v1/runs/smtp-outage").then().extract().jsonPath();
            assertThat(during.getString("notification.state")).isEqualTo("RETRYING");
            assertThat(during.getInt("notification.attempts")).isGreaterThan(3);
            assertThat(during.getString("notification.lastError")).as("the outage's answer").contains("421");
            assertThat(mailbox.getReceivedMessages()).as("nothing got through the outage").isEmpty();

            smtp.up();
            await("the run notified").atMost(Duration.ofSeconds(30)).until(() -> "NOTIFIED".equals(
                    given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                            .when().get("/api/v1/runs/smtp-outage").then().extract().path("state")));
            // Longer than the longest retry wait: a second mail would have come by now.
            await("no second mail").during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(8))
                    .until(() -> mailbox.getReceivedMessages().length == 1);
        } finally {
            mailbox.stop();
        }
    }
}
