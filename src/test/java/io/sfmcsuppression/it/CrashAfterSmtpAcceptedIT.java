package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.Deliverables;
import io.sfmcsuppression.support.PackagedApp;
import io.sfmcsuppression.support.SfmcWireMock;
import io.sfmcsuppression.support.SmtpProxy;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

/**
 * kill -9 in the one window SMTP cannot close (docs/export.md): the SMTP server has accepted the
 * N04 mail and put it in the mailbox, the service has not committed that it was sent. A proxy
 * keeps the server's 250 from the service, so the kill lands in the window every time. After the
 * restart the mail goes out once more: two copies, the same run header and attachments, the same
 * files; and no third copy after a further restart.
 */
class CrashAfterSmtpAcceptedIT {

    private static final String RUN = "crash-accepted";

    @Test
    void aKillAfterSmtpAcceptedTheMailSendsItOnceMoreAndNeverAThirdTime() throws Exception {
        WireMockServer sfmc = SfmcWireMock.standalone("tok-accepted", 0);
        GreenMail mailbox = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mailbox.start();
        Path deliverables = Files.createTempDirectory("it-crash-accepted-runs");
        try (SmtpProxy smtp = SmtpProxy.inFrontOf(mailbox.getSmtp().getPort());
             PackagedApp app = PackagedApp.fresh("crashaccepted").live(sfmc.baseUrl(), smtp.port(), deliverables).start()) {
            smtp.holdNextAcceptance();
            Batches batch = Batches.batch("2026-11-23");
            for (int i = 0; i < 50; i++) {
                batch.inactive(RUN + "/" + i, "p" + i + "@accepted.example.org", i % 2 == 0 ? "Acme Weekly" : "Globex News");
            }
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                    .body(batch.json()).when().post("/api/v1/runs/{run}/determinations", RUN).then().statusCode(202);
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                    .when().post("/api/v1/runs/{run}/complete", RUN).then().statusCode(202);

            assertThat(smtp.awaitHeld(Duration.ofSeconds(60))).as("SMTP accepted the mail and its 250 is held").isTrue();
            assertThat(mailbox.getReceivedMessages()).as("the mail is in the mailbox already").hasSize(1);
            JsonPath inWindow = run(app);
            assertThat(inWindow.getString("state")).as("the database has not recorded the mail").isEqualTo("EXPORTED");
            assertThat(inWindow.getString("notification.state")).isEqualTo("PENDING");
            Map<String, String> files = Deliverables.hashes(deliverables.resolve(RUN));

            app.kill();
            app.start();

            await("the run notified after the restart").atMost(Duration.ofSeconds(60)).until(() -> "NOTIFIED".equals(run(app).getString("state")));
            // Three passes of the export timer: room for a third mail, which must not come.
            await("no third mail").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> mailbox.getReceivedMessages().length == 2);
            MimeMessage[] mails = mailbox.getReceivedMessages();
            assertThat(mails).as("the accepted mail and its one repeat").hasSize(2);
            for (MimeMessage mail : mails) {
                assertThat(mail.getHeader("X-N04-Run", null)).isEqualTo(RUN);
                assertThat(mail.getSubject()).isEqualTo(mails[0].getSubject());
                assertThat(attachments(mail)).as("attachments, as SHA-256 of the file on disk")
                        .hasSize(1).containsEntry("Marketing_NoLongerThere_2026-11-23.csv",
                                files.get("Marketing_NoLongerThere_2026-11-23.csv"));
            }
            assertThat(run(app).getInt("notification.attempts")).as("the database only ever learned of the repeat").isEqualTo(1);
            assertThat(Deliverables.hashes(deliverables.resolve(RUN))).isEqualTo(files);

            app.kill();
            app.start();
            await("no third mail after a further restart").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> mailbox.getReceivedMessages().length == 2);
            assertThat(run(app).getString("state")).isEqualTo("NOTIFIED");
        } finally {
            mailbox.stop();
            sfmc.stop();
        }
    }

    private static JsonPath run(PackagedApp app) {
        return given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                .when().get("/api/v1/runs/{run}", RUN).then().statusCode(200).extract().jsonPath();
    }

    /** Attachment name → SHA-256 of its decoded content. */
    private static Map<String, String> attachments(MimeMessage mail) throws Exception {
        Map<String, String> attachments = new LinkedHashMap<>();
        Multipart parts = (Multipart) mail.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            Part part = parts.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                ByteArrayOutputStream content = new ByteArrayOutputStream();
                try (InputStream in = part.getInputStream()) {
                    in.transferTo(content);
                }
                attachments.put(part.getFileName(), Deliverables.sha256(content.toByteArray()));
            }
        }
        return attachments;
    }
}
