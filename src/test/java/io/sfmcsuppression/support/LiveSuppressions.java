package io.sfmcsuppression.support;

import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

/** Suppressions made the way production makes them, for tests that act on one afterwards. */
public final class LiveSuppressions {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private LiveSuppressions() {
    }

    /**
     * Ingests an INACTIVE of {@code email} for Acme Weekly in run {@code run}, waits until the SFMC
     * stand-in holds it in ASL_ACME and its row is settled (read back), and returns the row's id.
     */
    public static long suppressed(Database db, DataExtensionStandIn dataExtensions, String run, String email) {
        postBatch(run, batch("2026-11-23").inactive(run + "/1", email, "Acme Weekly").json()).statusCode(202);
        await("SFMC to hold " + email).atMost(PATIENCE).until(() -> dataExtensions.holds("ASL_ACME", email)
                && db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state IN ('ADDED', 'VERIFIED') "
                        + "AND next_attempt_at IS NULL", run) == 1);
        return db.count("SELECT id FROM suppression_outbox WHERE run_id = ?", run);
    }
}
