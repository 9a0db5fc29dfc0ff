package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
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
}
