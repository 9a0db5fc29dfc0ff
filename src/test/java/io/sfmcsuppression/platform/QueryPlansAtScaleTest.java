package io.sfmcsuppression.platform;

import static io.sfmcsuppression.support.Api.complete;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Api.run;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.ExplainingDataSource;
import io.sfmcsuppression.support.LiveSfmcProfile;

/**
 * Issue 20, item 1: with 100 000 and then 1 000 000 determinations in the ledger and no ANALYZE
 * (then once more after one), every statement the intake, the flusher's claim and updates and the
 * export send about {@code determinations} or {@code suppression_outbox} has a plan that reads them
 * through an index: no sequential scan, no index scan without an index condition. The statements
 * are the ones the service really runs (recorded by {@link ExplainingDataSource} while a batch, its
 * replay, the flush to a WireMock SFMC and the run's export go through), so this test cannot drift
 * from the code. PostgreSQL only (the {@code pg} test profile); on H2 it has nothing to check, and
 * it fails rather than skips when CI or TEST_PG_URL says PostgreSQL should be there and it is not.
 */
@QuarkusTest
@TestProfile(QueryPlansAtScaleTest.Profile.class)
class QueryPlansAtScaleTest {

    /** Live mode against WireMock; the flusher runs when a batch queues rows, not on a timer, so each statement recorded belongs to the batch. */
    public static class Profile extends LiveSfmcProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.put("sfmc.flush-interval", "1h");
            return overrides;
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ExplainingDataSource.class);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> WATCHED = Set.of("determinations", "suppression_outbox");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String[] LEDGER = {"determinations", "suppression_outbox"};

    @Inject
    ExplainingDataSource explaining;

    @Inject
    Database db;

    @Test
    void hotStatementsReadTheLedgerAndOutboxByIndexAt100kAnd1MWithoutStatistics() throws Exception {
        Assumptions.assumeTrue(onPostgres(), "H2 has no plans to check; the pg test profile runs this test");
        for (String table : LEDGER) {
            db.execute("ALTER TABLE " + table + " SET (autovacuum_enabled = false)");
        }
        long started = System.nanoTime();
        load(1, 100_000);
        checkPlans("100 000 determinations, no ANALYZE");
        load(100_001, 1_000_000);
        checkPlans("1 000 000 determinations, no ANALYZE");
        db.execute("ANALYZE determinations");
        db.execute("ANALYZE suppression_outbox");
        checkPlans("1 000 000 determinations after ANALYZE");
        System.out.printf("QueryPlansAtScaleTest: loads and checks took %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    @AfterEach
    void emptyTheLedger() {
        if (onPostgres()) {
            db.execute("TRUNCATE suppression_outbox, run_inactive_people, determinations, run_deliverables, run_exports, runs");
            for (String table : LEDGER) {
                db.execute("ALTER TABLE " + table + " RESET (autovacuum_enabled)");
            }
        }
    }

    /**
     * Earlier determinations {@code from..to} in 100 settled runs (ids and addresses ascending, so
     * the load appends to the indexes): 70 % INACTIVE, an outbox row for every third one (ADDED,
     * 1 in 100 SKIPPED), as a ledger months old looks.
     */
    private void load(int from, int to) {
        long started = System.nanoTime();
        db.execute("""
                INSERT INTO runs (run_id, run_date, state, created_at, last_batch_at, completed_at)
                SELECT 'plan-load-' || lpad(r::text, 3, '0'), DATE '2026-01-01' + r, 'NOTIFIED', now(), now(), now()
                FROM generate_series(0, 99) r ON CONFLICT DO NOTHING""");
        db.execute("""
                INSERT INTO determinations (id, run_id, determination, email, email_normalized, account_name, business_unit,
                    received_at, suppression_target, content_hash, ingested_at)
                SELECT 'plan-load/m-' || lpad(g::text, 8, '0'), 'plan-load-' || lpad((g / 10000 % 100)::text, 3, '0'),
                       CASE WHEN g % 20 < 14 THEN 'INACTIVE' WHEN g % 20 < 16 THEN 'OUT_OF_OFFICE' ELSE 'ACTIVE' END,
                       'Person.' || lpad(g::text, 8, '0') || '@Example.com', 'person.' || lpad(g::text, 8, '0') || '@example.com',
                       'Acme Weekly', 'Marketing', now(), CASE WHEN g % 20 < 14 THEN 'ASL_ACME' END,
                       md5(g::text) || md5(g::text), now()
                FROM generate_series(?, ?) g""", from, to);
        db.execute("""
                INSERT INTO suppression_outbox (run_id, target, email_normalized, account_name, run_date, state, reason, attempts,
                    created_at, updated_at, origin)
                SELECT 'plan-load-' || lpad((g / 10000 % 100)::text, 3, '0'), 'ASL_ACME', 'person.' || lpad(g::text, 8, '0') || '@example.com',
                       'Acme Weekly', DATE '2026-01-01', CASE WHEN g % 100 = 0 THEN 'SKIPPED' ELSE 'ADDED' END,
                       CASE WHEN g % 100 = 0 THEN 'NO_MAPPING' END, 1, now(), now(), 'classifier'
                FROM generate_series(?, ?) g WHERE g % 3 = 0""", from, to);
        System.out.printf("QueryPlansAtScaleTest: loaded determinations %d..%d in %.1f s%n", from, to, (System.nanoTime() - started) / 1e9);
    }

    /** A batch, its replay, the flush and the export of a new run, with every watched statement explained. */
    private void checkPlans(String situation) throws Exception {
        String runId = "plan-" + UUID.randomUUID();
        String tag = runId.substring(5, 13);
        Batches batch = batch("2026-11-23");
        for (int i = 0; i < 1000; i++) {
            String email = "p" + i + "-" + tag + "@acme.org";
            switch (i % 4) {
                case 0, 1 -> batch.inactive("m-" + tag + "-" + i, email, "Acme Weekly");
                case 2 -> batch.inactive("m-" + tag + "-" + i, email, "Not Mapped Ltd");
                default -> batch.item("m-" + tag + "-" + i, email, "ACTIVE");
            }
        }
        explaining.record();
        postBatch(runId, batch.json()).statusCode(202);
        postBatch(runId, batch.json()).statusCode(202);
        // Polled through the API, so the run view's statements are checked too and none of the test's own.
        // The live profile reads rows back, so each row ends VERIFIED (ADDED until its read-back).
        await("the run's suppressions VERIFIED").atMost(PATIENCE).until(
                () -> run(runId).extract().jsonPath().getMap("suppression", String.class, Integer.class)
                        .getOrDefault("VERIFIED", 0) == 500);
        complete(runId).statusCode(202);
        await("the run exported").atMost(PATIENCE).until(
                () -> !run(runId).extract().jsonPath().getList("deliverables").isEmpty());
        Map<String, String> plans = explaining.stop();

        assertThat(plans.keySet()).as("statements recorded (%s)", situation)
                .anyMatch(sql -> sql.contains("INSERT INTO determinations"))
                .anyMatch(sql -> sql.contains("FROM UNNEST"))
                .anyMatch(sql -> sql.contains("INSERT INTO suppression_outbox"))
                .anyMatch(sql -> sql.contains("FOR UPDATE SKIP LOCKED"))
                .anyMatch(sql -> sql.contains("SET state = 'ADDED'"))
                .anyMatch(sql -> sql.contains("LEFT JOIN suppression_outbox"));
        List<String> scans = new ArrayList<>();
        plans.forEach((sql, plan) -> fullScans(json(plan).get(0).get("Plan"), scans, sql));
        System.out.printf("QueryPlansAtScaleTest: %s: %d statements explained:%n  %s%n", situation, plans.size(),
                String.join("\n  ", plans.keySet().stream().map(sql -> sql.replaceAll("\\s+", " ")).toList()));
        assertThat(scans).as("full scans of the ledger or outbox with %s", situation).isEmpty();
    }

    /** Seq Scans of a watched table, and index scans of one with no index condition (a full scan in key order). */
    private static void fullScans(JsonNode node, List<String> found, String sql) {
        String type = node.path("Node Type").asText();
        String relation = node.path("Relation Name").asText();
        if (WATCHED.contains(relation) && (type.equals("Seq Scan")
                || (type.startsWith("Index") && !node.has("Index Cond")))) {
            found.add(type + " on " + relation + " in: " + sql.replaceAll("\\s+", " "));
        }
        for (JsonNode child : node.path("Plans")) {
            fullScans(child, found, sql);
        }
    }

    private static JsonNode json(String plan) {
        try {
            return JSON.readTree(plan);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * True on the pg test profile. On H2 it is false, unless CI or TEST_PG_URL says PostgreSQL should
     * be there: then a PostgreSQL that does not answer fails the test instead of skipping it.
     */
    private static boolean onPostgres() {
        if (System.getProperty("quarkus.test.profile", "").contains("pg")) {
            return true;
        }
        String url = System.getenv("TEST_PG_URL");
        if (url != null || System.getenv("CI") != null) {
            try (Connection c = DriverManager.getConnection(url == null ? "jdbc:postgresql://127.0.0.1:5432/postgres" : url,
                    System.getenv().getOrDefault("TEST_PG_USER", "postgres"), System.getenv().getOrDefault("TEST_PG_PASSWORD", ""))) {
                assertThat(c.isValid(5)).isTrue();
            } catch (SQLException e) {
                throw new AssertionError("CI or TEST_PG_URL is set but PostgreSQL does not answer: " + e.getMessage(), e);
            }
        }
        return false;
    }
}
