package io.sfmcsuppression.export;

import static io.sfmcsuppression.export.ExportFixtures.eventually;
import static io.sfmcsuppression.export.ExportFixtures.newRun;
import static io.sfmcsuppression.export.ExportFixtures.text;
import static io.sfmcsuppression.support.Api.OPERATE_KEY;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.InjectSmtp;
import io.sfmcsuppression.support.SmtpServer;

/** The operator's run actions in live mode with a real SMTP server: resend the N04 mail, re-export the files. */
@QuarkusTest
@TestProfile(LiveMailProfile.class)
class RunActionsTest {

    private static final int COPIES_PER_MAIL = 3;

    @InjectSmtp
    SmtpServer smtp;
    @Inject
    Database db;
    @Inject
    DeliverablesWriter writer;
    @Inject
    MeterRegistry metrics;

    @Test
    void aResendIsAnExplicitSecondMailCountedApartAndAudited() {
        String run = notifiedRun("resend");
        double resentBefore = metrics.counter("n04.mails", "outcome", "resent").count();

        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", "marketing lost the mail"))
                .when().post("/api/v1/runs/{runId}/actions/resend-n04", run).then().statusCode(200)
                .body("outcome", equalTo("SENT")).body("attempts", equalTo(2));

        eventually(Duration.ofSeconds(20), () -> assertThat(mailsOf(run)).hasSize(2 * COPIES_PER_MAIL));
        assertThat(metrics.counter("n04.mails", "outcome", "resent").count()).isEqualTo(resentBefore + 1);
        as(READ_KEY).queryParam("limit", "1").when().get("/api/v1/operator-audit").then().statusCode(200)
                .body("[0].action", equalTo("RESEND_N04")).body("[0].subject", equalTo("run " + run))
                .body("[0].actor", equalTo("operator"));
        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", "no such run"))
                .when().post("/api/v1/runs/{runId}/actions/resend-n04", "nope-" + run).then().statusCode(404);
        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/runs/{runId}/actions/resend-n04", run).then().statusCode(422);
    }

    @Test
    void aReexportWritesTheFilesFromTheLedgerAsItIsNowAndLeavesStateAndMailAlone() {
        String run = notifiedRun("reexport");
        String before = text(writer.runDir(run).resolve(DeliverablesWriter.INTERNAL_NAME));
        db.execute("UPDATE suppression_outbox SET state = 'RELEASED', released_by = 'operator', release_reason = 'x' "
                + "WHERE run_id = ? AND email_normalized = 'zed@acme.org'", run);

        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", "internal file after a release"))
                .when().post("/api/v1/runs/{runId}/actions/re-export", run).then().statusCode(200)
                .body("deliverables.size()", equalTo(3));

        String after = text(writer.runDir(run).resolve(DeliverablesWriter.INTERNAL_NAME));
        assertThat(before).doesNotContain("RELEASED");
        assertThat(after).contains("\"zed@acme.org\"", "\"RELEASED\"");
        Api.run(run).statusCode(200).body("state", equalTo("NOTIFIED")).body("notification.attempts", equalTo(1));
        assertThat(mailsOf(run)).hasSize(COPIES_PER_MAIL);
    }

    private String notifiedRun(String prefix) {
        String run = newRun(prefix);
        ExportFixtures.postTwoUnitRun(run);
        Api.complete(run).statusCode(202);
        eventually(Duration.ofSeconds(20), () -> assertThat(mailsOf(run)).hasSize(COPIES_PER_MAIL));
        eventually(Duration.ofSeconds(10), () -> Api.run(run).body("state", equalTo("NOTIFIED")));
        return run;
    }

    private List<MimeMessage> mailsOf(String run) {
        return Arrays.stream(smtp.receivedMessages()).filter(m -> {
            try {
                String[] header = m.getHeader(MarketingNotifier.RUN_HEADER);
                return header != null && header.length == 1 && header[0].equals(run);
            } catch (jakarta.mail.MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
