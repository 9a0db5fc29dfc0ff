package io.sfmcsuppression.export;

import static io.sfmcsuppression.export.ExportFixtures.RUN_DATE;
import static io.sfmcsuppression.export.ExportFixtures.bytes;
import static io.sfmcsuppression.export.ExportFixtures.completedAgo;
import static io.sfmcsuppression.export.ExportFixtures.eventually;
import static io.sfmcsuppression.export.ExportFixtures.newRun;
import static io.sfmcsuppression.export.LiveMailProfile.CC_MAX;
import static io.sfmcsuppression.export.LiveMailProfile.CC_VISH;
import static io.sfmcsuppression.export.LiveMailProfile.FROM;
import static io.sfmcsuppression.export.LiveMailProfile.MARKETING;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sfmcsuppression.run.RunRepository;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.InjectSmtp;
import io.sfmcsuppression.support.SmtpServer;

/** The N04 mail in live mode against a real SMTP server (GreenMail): DESIGN rule 5 and section 5. */
@QuarkusTest
@TestProfile(LiveMailProfile.class)
class MarketingMailTest {

    @InjectSmtp
    SmtpServer smtp;

    /** GreenMail keeps one copy per recipient: one mail to marketing with two CCs is three copies. */
    private static final int COPIES_PER_MAIL = 3;

    @Inject
    Database db;
    @Inject
    ExportJob job;
    @Inject
    RunExporter exporter;
    @Inject
    MarketingNotifier notifier;
    @Inject
    DeliverablesWriter writer;
    @Inject
    RunRepository runs;

    @Test
    void completedRunIsMailedOnceToMarketingWithTheGlobalCcAndOnlyItsN04Files() throws Exception {
        String run = newRun("mailed");
        ExportFixtures.postTwoUnitRun(run);

        Api.complete(run).statusCode(202);

        eventually(Duration.ofSeconds(20), () -> assertThat(mailsOf(run)).hasSize(COPIES_PER_MAIL));
        MimeMessage mail = mailsOf(run).get(0);
        assertThat(addresses(mail.getFrom())).containsExactly(FROM);
        assertThat(addresses(mail.getRecipients(Message.RecipientType.TO))).containsExactly(MARKETING);
        assertThat(addresses(mail.getRecipients(Message.RecipientType.CC))).containsExactly(CC_MAX, CC_VISH);
        assertThat(mail.getSubject()).isEqualTo("N04 suppression import, run date 2026-11-23: 7 rows");

        Map<String, Part> attachments = attachments(mail);
        // The mailer reads file attachments concurrently: their order in the mail is not fixed.
        assertThat(attachments.keySet()).containsExactlyInAnyOrder("Marketing_NoLongerThere_2026-11-23.csv",
                "Sales_NoLongerThere_2026-11-23.csv");
        Path dir = writer.runDir(run);
        for (Map.Entry<String, Part> attachment : attachments.entrySet()) {
            assertThat(attachment.getValue().getContentType()).startsWith("text/csv");
            try (InputStream in = attachment.getValue().getInputStream()) {
                assertThat(in.readAllBytes()).as(attachment.getKey()).isEqualTo(bytes(dir.resolve(attachment.getKey())));
            }
        }
        assertThat(dir.resolve(DeliverablesWriter.INTERNAL_NAME)).isRegularFile();
        assertThat(text(mail)).contains("Marketing_NoLongerThere_2026-11-23.csv: 5", "Sales_NoLongerThere_2026-11-23.csv: 3",
                "Distinct addresses across the files: 7", "SKIPPED_NO_MAPPING: 2");

        eventually(Duration.ofSeconds(5), () -> Api.run(run).statusCode(200).body("state", equalTo("NOTIFIED"))
                .body("notification.state", equalTo("SENT")).body("notification.attempts", equalTo(1))
                .body("notification.sentAt", notNullValue()).body("notification.cc", equalTo(List.of(CC_MAX, CC_VISH))));
        job.runOnce();
        job.process(run);
        assertThat(mailsOf(run)).hasSize(COPIES_PER_MAIL);
    }

    @Test
    void noMailForARunWithoutRows() {
        String run = newRun("no-rows");
        postBatch(run, batch(RUN_DATE).item(run + "/a", "still.here@acme.org", "ACTIVE")
                .item(run + "/t", "sam@acme.org", "TITLE_UPDATE", "newTitle", "CEO").json()).statusCode(202);

        Api.complete(run).statusCode(202);

        eventually(Duration.ofSeconds(10), () -> Api.run(run).statusCode(200).body("state", equalTo("NOTHING_TO_SEND")));
        job.runOnce();
        assertThat(mailsOf(run)).isEmpty();
        assertThat(writer.runDir(run).resolve("Marketing_NoLongerThere_2026-11-23.csv")).doesNotExist();
    }

    @Test
    void smtpUnavailableThenAcceptingDeliversExactlyOneMail() {
        String run = newRun("smtp-down");
        postBatch(run, batch(RUN_DATE).inactive(run + "/1", "gone@acme.org", "Nobody Maps Me").json()).statusCode(202);
        completedAgo(db, run, Duration.ZERO);
        smtp.down();

        assertThat(exporter.export(run)).isEqualTo(RunExporter.Outcome.EXPORTED);
        assertThat(notifier.notify(run)).isEqualTo(MarketingNotifier.Outcome.RETRY_SCHEDULED);
        Api.run(run).statusCode(200).body("state", equalTo("EXPORTED"))
                .body("notification.state", equalTo("RETRYING")).body("notification.attempts", equalTo(1))
                .body("notification.lastError", notNullValue()).body("notification.nextAttemptAt", notNullValue());
        assertThat(notifier.notify(run)).as("backs off").isEqualTo(MarketingNotifier.Outcome.NOT_DUE);

        smtp.up();
        db.execute("UPDATE run_exports SET notification_next_attempt_at = ? WHERE run_id = ?",
                Timestamp.from(Instant.now().minusSeconds(1)), run);
        job.runOnce();

        eventually(Duration.ofSeconds(10), () -> assertThat(mailsOf(run)).hasSize(COPIES_PER_MAIL));
        Api.run(run).statusCode(200).body("state", equalTo("NOTIFIED"))
                .body("notification.state", equalTo("SENT")).body("notification.attempts", equalTo(2))
                .body("notification.lastError", nullValue());
        job.runOnce();
        assertThat(mailsOf(run)).hasSize(COPIES_PER_MAIL);
    }

    @Test
    void exportInterruptedAfterWritingFilesAndBeforeMailingEndsWithOneMailAndIdenticalFiles() {
        String run = newRun("interrupted");
        ExportFixtures.postTwoUnitRun(run);
        ExportFixtures.settleTwoUnitRun(db, run);
        completedAgo(db, run, Duration.ZERO);

        // First crash: the files were written, the process died before the export committed.
        writer.write(runs.find(run).orElseThrow());
        Map<String, byte[]> written = contents(writer.runDir(run));
        Api.run(run).statusCode(200).body("state", equalTo("COMPLETED"));

        // Second crash: the export committed, the process died before the mail step ran.
        assertThat(exporter.export(run)).isEqualTo(RunExporter.Outcome.EXPORTED);
        assertThat(mailsOf(run)).isEmpty();
        assertSameFiles(run, written);

        // The restart: the job picks the run up from the database.
        job.runOnce();

        eventually(Duration.ofSeconds(10), () -> assertThat(mailsOf(run)).hasSize(COPIES_PER_MAIL));
        Api.run(run).statusCode(200).body("state", equalTo("NOTIFIED")).body("notification.attempts", equalTo(1));
        assertSameFiles(run, written);
        job.runOnce();
        assertThat(mailsOf(run)).hasSize(COPIES_PER_MAIL);
    }

    @Test
    void replicasWorkingOnTheSameRunAtOnceSendOneMail() throws Exception {
        String run = newRun("replicas");
        postBatch(run, batch(RUN_DATE).inactive(run + "/1", "gone@acme.org", "Nobody Maps Me").json()).statusCode(202);
        completedAgo(db, run, Duration.ZERO);

        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> replicas = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int replica = i;
                replicas.add(() -> {
                    for (int pass = 0; pass < 3; pass++) {
                        if (replica % 2 == 0) {
                            job.process(run);
                        } else {
                            job.runOnce();
                        }
                    }
                    return null;
                });
            }
            for (Future<Void> done : pool.invokeAll(replicas)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        eventually(Duration.ofSeconds(10), () -> Api.run(run).statusCode(200).body("state", equalTo("NOTIFIED")));
        assertThat(mailsOf(run)).hasSize(COPIES_PER_MAIL);
    }

    private void assertSameFiles(String run, Map<String, byte[]> expected) {
        Map<String, byte[]> now = contents(writer.runDir(run));
        assertThat(now.keySet()).isEqualTo(expected.keySet());
        expected.forEach((name, content) -> assertThat(now.get(name)).as(name).isEqualTo(content));
    }

    private static Map<String, byte[]> contents(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().collect(Collectors.toMap(p -> p.getFileName().toString(), ExportFixtures::bytes,
                    (a, b) -> a, LinkedHashMap::new));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The copies GreenMail received of the run's mail, told apart by the run header. */
    private List<MimeMessage> mailsOf(String run) {
        return Arrays.stream(smtp.receivedMessages()).filter(m -> {
            try {
                String[] header = m.getHeader(MarketingNotifier.RUN_HEADER);
                return header != null && header.length == 1 && header[0].equals(run);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static List<String> addresses(Address[] addresses) {
        return addresses == null ? List.of() : Arrays.stream(addresses).map(Address::toString).toList();
    }

    private static Map<String, Part> attachments(MimeMessage mail) throws Exception {
        Map<String, Part> found = new LinkedHashMap<>();
        Multipart parts = (Multipart) mail.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()) || part.getFileName() != null) {
                found.put(part.getFileName(), part);
            }
        }
        return found;
    }

    private static String text(MimeMessage mail) throws Exception {
        Multipart parts = (Multipart) mail.getContent();
        for (int i = 0; i < parts.getCount(); i++) {
            BodyPart part = parts.getBodyPart(i);
            if (part.getFileName() == null && part.isMimeType("text/plain")) {
                return part.getContent().toString();
            }
        }
        throw new AssertionError("No text part");
    }
}
