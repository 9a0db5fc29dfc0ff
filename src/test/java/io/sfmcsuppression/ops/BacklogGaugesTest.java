package io.sfmcsuppression.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.Management;

/** The gauges the alerts read: ages of the oldest backlog item, from values a job refreshes, never the scrape. */
@QuarkusTest
class BacklogGaugesTest {

    /** Older than anything another test leaves in the shared database, so these rows are the oldest. */
    private static final Duration AGE = Duration.ofDays(400);
    private static final LocalDate RUN_DATE = LocalDate.of(2025, 10, 27);

    @Inject
    Database db;

    @Inject
    BacklogGauges gauges;

    @Inject
    Clock clock;

    private String run;

    @AfterEach
    void cleanUp() {
        if (run != null) {
            db.execute("DELETE FROM suppression_outbox WHERE run_id = ?", run);
            db.execute("DELETE FROM run_exports WHERE run_id = ?", run);
            db.execute("DELETE FROM runs WHERE run_id = ?", run);
        }
    }

    @Test
    void eachAgeIsThatOfTheOldestItemOfItsBacklog() {
        Instant now = clock.instant();
        Instant old = now.minus(AGE);
        run = "gauges-" + UUID.randomUUID();
        db.execute("INSERT INTO runs (run_id, run_key, run_date, state, created_at, last_batch_at, completed_at) "
                + "VALUES (?, ?, ?, 'COMPLETED', ?, ?, ?)", run, run, RUN_DATE, ts(old), ts(old), ts(old.plusSeconds(600)));
        outbox("old@acme.org", "PENDING", old);
        outbox("new@acme.org", "PENDING", now);
        outbox("older@acme.org", "ADDED", old.minus(Duration.ofDays(30)));
        outbox("refused@acme.org", "FAILED", old);
        db.execute("INSERT INTO run_exports (run_id, exported_at, notification_state, created_at, updated_at) "
                + "VALUES (?, ?, 'RETRYING', ?, ?)", run, ts(old.plusSeconds(1800)), ts(old.plusSeconds(1800)), ts(now));

        gauges.refresh();

        double age = AGE.toSeconds();
        assertThat(gauge("suppression_outbox_oldest_pending_seconds")).isBetween(age, age + 120);
        assertThat(gauge("n04_mail_retrying_oldest_seconds")).isBetween(age - 1800, age - 1800 + 120);
        assertThat(gauge("runs_completed_unexported_oldest_seconds")).isBetween(age - 600, age - 600 + 120);
        assertThat(gauge("suppression_outbox_depth{state=\"PENDING\"}")).isGreaterThanOrEqualTo(2);
        assertThat(gauge("suppression_outbox_depth{state=\"ADDED_AWAITING_READ_BACK\"}")).isGreaterThanOrEqualTo(1);
        assertThat(gauge("suppression_outbox_depth{state=\"FAILED\"}")).isGreaterThanOrEqualTo(1);
    }

    /**
     * Settled rows are history that grows with every run: counting them on every refresh made the
     * gauge's cost grow with the ledger (issue 20), so they have no depth series.
     */
    @Test
    void settledRowsAreNotRecountedOnEveryRefresh() {
        gauges.refresh();

        assertThat(Management.metrics().lines().filter(l -> l.startsWith("suppression_outbox_depth{")))
                .extracting(l -> l.substring(l.indexOf("state=\"") + 7, l.indexOf('"', l.indexOf("state=\"") + 7)))
                .containsExactlyInAnyOrder("PENDING", "ADDED_AWAITING_READ_BACK", "FAILED");
    }

    /** An empty backlog is 0 (no alert), a backlog not read yet (or a database that did not answer) is NaN, never a reassuring 0. */
    @Test
    void anEmptyBacklogIsZeroAndAnUnreadOneIsNaN() {
        Instant now = clock.instant();
        assertThat(BacklogGauges.Oldest.NONE.ageSeconds(now)).isZero();
        assertThat(BacklogGauges.Oldest.UNKNOWN.ageSeconds(now)).isNaN();
        assertThat(new BacklogGauges.Oldest(true, now.minusSeconds(90)).ageSeconds(now)).isEqualTo(90);
    }

    /** Registered at start-up, so a dashboard and the alert find it even in dry-run (SfmcDownAtStartTest shows 0 and 1). */
    @Test
    void theTokenGaugeIsExportedFromTheStart() {
        assertThat(Management.metrics()).containsPattern("(?m)^sfmc_token_up (NaN|0\\.0|1\\.0)$");
    }

    /** Due tomorrow, so the flusher (dry-run, every 2 s) leaves the PENDING rows PENDING. */
    private void outbox(String email, String state, Instant createdAt) {
        db.execute("INSERT INTO suppression_outbox (run_id, target, email_normalized, run_date, state, next_attempt_at, created_at, updated_at, origin) "
                + "VALUES (?, 'ASL_ACME', ?, ?, ?, ?, ?, ?, 'classifier')", run, email, RUN_DATE, state, ts(clock.instant().plus(Duration.ofDays(1))),
                ts(createdAt), ts(createdAt));
    }

    private static Timestamp ts(Instant at) {
        return Timestamp.from(at);
    }

    private static double gauge(String series) {
        return Management.metrics().lines().filter(l -> l.startsWith(series + " ") || l.startsWith(series + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElseThrow(() -> new AssertionError("no " + series + " in /q/metrics"));
    }
}
