package io.sfmcsuppression.export;

import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.suppression.OutboxReports;

/** Runs and outbox states for export tests; each run id is new, so a shared database is fine. */
final class ExportFixtures {

    static final String RUN_DATE = "2026-11-23";

    private ExportFixtures() {
    }

    static String newRun(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /**
     * The two-business-unit run of the expected files: Marketing (the default unit) and Sales,
     * mixed-case duplicates, one address in two data extensions and in both units, an unmapped
     * account, a missing account, an account that looks like a formula, and one determination of
     * every other type, none of which may reach the files.
     */
    static void postTwoUnitRun(String run) {
        postBatch(run, batch(RUN_DATE)
                .item(run + "/m1", "Zed@Acme.org", "INACTIVE", "accountName", "Acme Weekly", "receivedAt", "2026-11-23T03:12:00Z")
                .item(run + "/m2", "alice@acme.org", "INACTIVE", "accountName", "Acme Weekly")
                .item(run + "/m3", "ALICE@acme.org", "INACTIVE", "accountName", "Globex News")
                .item(run + "/m4", "bob@globex.com", "INACTIVE", "accountName", "Globex News")
                .item(run + "/m5", "carol@initech.com", "INACTIVE", "accountName", "Initech Digest")
                .item(run + "/m6", "dave@acme.org", "INACTIVE")
                .item(run + "/m7", "alice@acme.org", "INACTIVE", "accountName", "Acme Weekly")
                .item(run + "/s1", "erin@umbrella.com", "INACTIVE", "accountName", "=HYPERLINK(\"http://x\")",
                        "businessUnit", "Sales", "receivedAt", "2026-11-23T04:00:30Z")
                .item(run + "/s2", "Alice@Acme.org", "INACTIVE", "accountName", "Acme Weekly", "businessUnit", "Sales")
                .item(run + "/s3", "frank@umbrella.com", "INACTIVE", "accountName", "Acme Weekly", "businessUnit", "Sales")
                .item(run + "/a1", "gina@acme.org", "ACTIVE", "accountName", "Acme Weekly")
                .item(run + "/c1", "old@acme.org", "CHANGED_EMAIL", "newEmail", "new@acme.org")
                .item(run + "/t1", "sam@acme.org", "TITLE_UPDATE", "accountName", "Acme Weekly", "newTitle", "VP Sales")
                .item(run + "/o1", "kim@acme.org", "OUT_OF_OFFICE", "returnDate", "2026-12-01")
                .json()).statusCode(202);
    }

    /** What SFMC (and the flusher, once it lands) would have made of the two-unit run's suppressions. */
    static void settleTwoUnitRun(Database db, String run) {
        outbox(db, run, "ASL_ACME", "alice@acme.org", "ADDED", null, null);
        outbox(db, run, "ASL_ACME", "zed@acme.org", "ADDED", null, null);
        outbox(db, run, "ASL_GLOBEX", "alice@acme.org", "FAILED", null, "Invalid email address");
        outbox(db, run, "ASL_GLOBEX", "bob@globex.com", "PENDING", null, null);
        outbox(db, run, "ASL_ACME", "frank@umbrella.com", "SKIPPED", "MOCK_CLIENT", null);
    }

    /**
     * Puts an outbox row into a state. The test profile's flusher hands new rows to the mock client
     * at once, so this first waits until it is done with the row; a row set PENDING is parked far
     * in the future so that the flusher leaves it alone.
     */
    static void outbox(Database db, String run, String target, String email, String state, String reason, String message) {
        await("the flusher to settle " + email).atMost(Duration.ofSeconds(20)).until(
                () -> db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND target = ? AND email_normalized = ? "
                        + "AND state <> 'PENDING' AND claim_token IS NULL", run, target, email) == 1);
        // PENDING and ADDED_AWAITING_READ_BACK (ADDED with its read-back due) are parked a day ahead, out of the flusher's way.
        boolean parked = "PENDING".equals(state) || OutboxReports.ADDED_AWAITING_READ_BACK.equals(state);
        Object parkedUntil = parked ? java.sql.Timestamp.from(java.time.Instant.now().plus(java.time.Duration.ofDays(1))) : null;
        int changed = db.execute("UPDATE suppression_outbox SET state = ?, reason = ?, sfmc_message = ?, claim_token = NULL, "
                + "next_attempt_at = ? WHERE run_id = ? AND target = ? AND email_normalized = ?",
                OutboxReports.ADDED_AWAITING_READ_BACK.equals(state) ? "ADDED" : state, reason, message, parkedUntil,
                run, target, email);
        if (changed != 1) {
            throw new IllegalStateException("No outbox row " + target + "/" + email + " in " + run);
        }
    }

    /**
     * Completes the run behind the service's back, as a run completed by a process that stopped
     * before its export started: nothing is triggered, the test drives the steps.
     */
    static void completedAgo(Database db, String run, Duration ago) {
        db.execute("UPDATE runs SET state = 'COMPLETED', completed_at = ? WHERE run_id = ?",
                Timestamp.from(Instant.now().minus(ago)), run);
    }

    /** Retries the assertion until it holds or the time is up; the last failure is thrown. */
    static void eventually(Duration atMost, Runnable assertion) {
        Instant deadline = Instant.now().plus(atMost);
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(Path file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    /** An expected file under src/test/resources/export/, with {run} standing for the run id. */
    static byte[] expected(String name, String run) {
        try (var in = ExportFixtures.class.getResourceAsStream("/export/" + name)) {
            if (in == null) {
                throw new IllegalStateException("No expected file " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("{run}", run).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
