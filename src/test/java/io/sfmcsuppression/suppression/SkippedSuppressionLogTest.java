package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.sfmc.MockSfmcClient;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.CapturedLog;
import io.sfmcsuppression.support.Database;

/** Issue 20, item 4: skipped suppressions are one INFO line per batch, account and reason, and a counter. */
@QuarkusTest
class SkippedSuppressionLogTest {

    @Inject
    MeterRegistry metrics;

    @Inject
    Database db;

    @Test
    void skippedSuppressionsAreOneSummaryLinePerAccountAndReasonAndCountedByReason() {
        String run = "skip-log-" + UUID.randomUUID();
        String tag = run.substring(9, 17);
        Batches batch = batch("2026-11-23");
        for (int i = 0; i < 30; i++) {
            batch.inactive("u-" + tag + "-" + i, "u" + i + "-" + tag + "@unmapped.org", "Unmapped Co");
        }
        for (int i = 0; i < 5; i++) {
            batch.item("n-" + tag + "-" + i, "n" + i + "-" + tag + "@nowhere.org", "INACTIVE");
        }
        for (int i = 0; i < 10; i++) {
            batch.inactive("a-" + tag + "-" + i, "a" + i + "-" + tag + "@acme.org", "Acme Weekly");
        }
        double noMapping = skipped("NO_MAPPING");
        double noAccount = skipped("NO_ACCOUNT");

        List<String> lines;
        try (CapturedLog log = CapturedLog.open()) {
            postBatch(run, batch.json()).statusCode(202);
            lines = log.lines().stream().filter(l -> l.startsWith(SuppressionOutbox.class.getName() + ":")).toList();
        }

        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND reason IN ('NO_MAPPING', 'NO_ACCOUNT')", run))
                .as("the skips were stored").isEqualTo(35);
        assertThat(lines).as("INFO lines of the outbox (per-row detail is DEBUG)").containsExactlyInAnyOrder(
                        SuppressionOutbox.class.getName() + ": 30 suppression(s) in run " + run
                                + " skipped: NO_MAPPING (account 'Unmapped Co')",
                        SuppressionOutbox.class.getName() + ": 5 suppression(s) in run " + run + " skipped: NO_ACCOUNT (no account)");
        assertThat(skipped("NO_MAPPING") - noMapping).isEqualTo(30);
        assertThat(skipped("NO_ACCOUNT") - noAccount).isEqualTo(5);
    }

    private double skipped(String reason) {
        return metrics.counter("suppression.skipped", "reason", reason).count();
    }

    /** DESIGN rule 2's third reason: rows the mock takes (dry-run here) are logged with what would have been sent. */
    @Test
    void rule2_rowsTheMockTakesAreSkippedAsMockClientAndLoggedWithWhatWouldHaveBeenSent() {
        String run = "mock-log-" + UUID.randomUUID();
        String tag = run.substring(9, 17);
        Batches batch = batch("2026-11-23");
        for (int i = 0; i < 3; i++) {
            batch.inactive("g-" + tag + "-" + i, "g" + i + "-" + tag + "@globex.org", "Globex News");
        }
        List<String> lines;
        try (CapturedLog log = CapturedLog.open()) {
            postBatch(run, batch.json()).statusCode(202);
            await("the rows skipped by the mock").atMost(Duration.ofSeconds(15)).until(() -> db.count(
                    "SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'SKIPPED' AND reason = 'MOCK_CLIENT'", run) == 3);
            lines = log.lines().stream().filter(l -> l.startsWith(MockSfmcClient.class.getName() + ":")).toList();
        }
        // Rows of other runs may share the mock's upsert, so the count in the line is at least ours.
        assertThat(lines).as("the mock's INFO lines").isNotEmpty().allSatisfy(l -> assertThat(l).matches(
                Pattern.quote(MockSfmcClient.class.getName() + ": Mock SFMC client: would add ") + "\\d+"
                        + Pattern.quote(" rows to data extension ") + "ASL_(ACME|GLOBEX)" + Pattern.quote(" (nothing sent)")));
        assertThat(lines).anyMatch(l -> l.contains("to data extension ASL_GLOBEX (nothing sent)"));
    }
}
