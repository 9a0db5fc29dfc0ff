package io.sfmcsuppression.ops;

import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.support.Database;

/** Issue 20, item 5: GET /api/v1/status warns when the ledger's planner statistics are stale (PostgreSQL). */
@QuarkusTest
class DatabaseStatisticsTest {

    @Inject
    DatabaseStatistics statistics;

    @Inject
    Database db;

    @Test
    void statusNamesTheDatabaseAndWarnsOnlyAboutStaleStatistics() {
        String product = as(READ_KEY).get("/api/v1/status").then().statusCode(200).extract().jsonPath().getString("database.product");
        if (!product.equals("PostgreSQL")) {
            assertThat(product).isEqualTo("H2");
            assertThat(statistics.refresh().warnings()).as("nothing to check on H2").isEmpty();
            return;
        }
        db.execute("ALTER TABLE determinations SET (autovacuum_enabled = false)");
        try {
            db.execute("ANALYZE determinations");
            assertThat(determinationWarnings()).as("just analyzed").isEmpty();
            db.execute("INSERT INTO runs (run_id, run_date, state, created_at, last_batch_at) "
                    + "VALUES ('stats-run', DATE '2026-11-23', 'OPEN', now(), now())");
            db.execute("""
                    INSERT INTO determinations (id, run_id, determination, email, email_normalized, business_unit, content_hash, ingested_at)
                    SELECT 'stats/' || g, 'stats-run', 'ACTIVE', 'p' || g || '@stats.org', 'p' || g || '@stats.org', 'Marketing',
                           md5(g::text) || md5(g::text), now()
                    FROM generate_series(1, 30000) g""");
            // The server publishes its counters asynchronously (within a second or so).
            await("a warning about determinations").atMost(Duration.ofSeconds(30)).until(() -> !determinationWarnings().isEmpty());
            assertThat(determinationWarnings().get(0)).contains("rows changed since its last ANALYZE").contains("run ANALYZE determinations");

            db.execute("ANALYZE determinations");
            await("no warning once analyzed again").atMost(Duration.ofSeconds(30)).until(() -> determinationWarnings().isEmpty());
        } finally {
            db.execute("DELETE FROM determinations WHERE run_id = 'stats-run'");
            db.execute("DELETE FROM runs WHERE run_id = 'stats-run'");
            db.execute("ALTER TABLE determinations RESET (autovacuum_enabled)");
        }
    }

    private List<String> determinationWarnings() {
        return statistics.refresh().warnings().stream().filter(w -> w.startsWith("determinations:")).toList();
    }
}
