package io.sfmcsuppression.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;

import static io.sfmcsuppression.bench.IntakeFigure.fmt;
import static io.sfmcsuppression.bench.IntakeFigure.verdict;

/**
 * Scale (issue 20): intake and flush cost against the size of the ledger. One PostgreSQL database,
 * never ANALYZEd by the harness, grows from 0 to 1 000 000 to 5 000 000 earlier determinations
 * (settled runs, 70 % INACTIVE with an outbox row each, loaded with {@code generate_series}). At
 * each size, one after the other, 200 000 determinations of the intake workload ({@link Workload}:
 * mixed types, one unmapped account) in batches of 1 000 from 4 closed-loop clients: (a) plain JDBC
 * ({@link JdbcBaseline}), (b) the service in live mode while its flusher drains the new PENDING rows
 * into the 50 ms SFMC stand-in, (c) a second service process whose SFMC is unreachable, so its
 * flusher claims nothing (intake without a flusher). While (b) and (c) run, PostgreSQL's backends
 * are sampled every 100 ms for lock waits. At the smallest and the largest size, a flush end to end:
 * 20 000 mapped INACTIVE rows posted by one client in 20 batches to (b), timed from the first post
 * to all 20 000 ADDED. Goals: (b) at 5 M ≥ 0.8 × (b) at 0; (b)'s p99 ≤ 1.5 × (a)'s p99 at the same
 * size; the flush ≤ 2 × ideal (ceil(20 000 / 50) × 50 ms / 4) at both sizes. Before the first
 * size, 50 unmeasured batches through each of the three warm the JITs.
 */
final class ScaleFigure implements Figure {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CLIENTS = 4;
    private static final int BATCH_SIZE = 50;
    private static final int IN_FLIGHT = 4;

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        boolean smoke = options.smoke();
        List<Integer> levels = smoke ? List.of(0, 20_000) : List.of(0, 1_000_000, 5_000_000);
        int batchSize = smoke ? 100 : 1_000;
        int batches = smoke ? 20 : 200;
        int flushRows = smoke ? 500 : 20_000;
        int delayMs = smoke ? 5 : 50;
        double ideal = Math.ceil(flushRows / (double) BATCH_SIZE) * delayMs / 1000.0 / IN_FLIGHT;
        Path work = Files.createTempDirectory("bench-scale");
        report.line("");
        report.line("## Scale");
        report.line("");
        Map<Integer, Load.Result> withFlusher = new TreeMap<>();
        Map<Integer, Load.Result> baselines = new TreeMap<>();
        Map<Integer, Double> flushes = new TreeMap<>();
        try (SuppressionFigure.StandIn sfmc = new SuppressionFigure.StandIn(delayMs);
             Postgres db = Postgres.throwaway("scale");
             ServiceProcess service = ServiceProcess.service(options, db, work.resolve("live"), List.of(),
                     SuppressionFigure.liveEnv(sfmc, BATCH_SIZE, IN_FLIGHT));
             ServiceProcess idle = ServiceProcess.service(options, db, work.resolve("idle"), List.of(), unreachable(sfmc))) {
            report.line(String.format(Locale.ROOT, "Ledger grown to %s earlier determinations (generate_series; 70 %% INACTIVE, an outbox "
                    + "row each; no ANALYZE by the harness, autovacuum as the server has it: %s). At each size %d batches of %d from "
                    + "%d clients: plain JDBC, the service with its flusher draining into the %d ms stand-in, the service with SFMC "
                    + "unreachable (no flusher). Flush: %d mapped INACTIVE rows, one client, batches of %d, first post to all ADDED; "
                    + "ideal ceil(%d / %d) × %d ms / %d = %.2f s.", levels, autovacuum(db), batches, batchSize, CLIENTS, delayMs,
                    flushRows, batchSize, flushRows, BATCH_SIZE, delayMs, IN_FLIGHT, ideal));
            report.line("");
            report.table("earlier determinations", "load 1m", "phase", "rows/s", "p50 ms", "p99 ms", "max ms",
                    "PostgreSQL CPU ms / 1000 rows", "lock-wait samples", "lock waits by event");
            // Warm both services' JIT (and the baseline's) first, so the first size is not measured cold.
            int warmUp = smoke ? 2 : 50;
            Load.run(Workload.batches("scale-warm-jdbc", warmUp, batchSize), CLIENTS, () -> new JdbcBaseline(db, false));
            Load.run(Workload.batches("scale-warm-live", warmUp, batchSize), CLIENTS, () -> new HttpIntake(service.baseUri()));
            Load.run(Workload.batches("scale-warm-idle", warmUp, batchSize), CLIENTS, () -> new HttpIntake(idle.baseUri()));
            awaitNoPending(db, "scale-warm-live", Duration.ofMinutes(5));
            settle(db, "scale-warm-idle");
            int loaded = 0;
            for (int level : levels) {
                double seconds = preload(db, loaded, level);
                loaded = level;
                String label = String.format(Locale.ROOT, "%,d", level);
                if (seconds > 0) {
                    report.row(label, fmt("%.2f", Machine.load1()), "pre-load (generate_series, then CHECKPOINT)", "", "", "", "", "", "",
                            fmt("%.0f s", seconds));
                }
                Load.Result baseline = Load.run(Workload.batches("scale-" + level + "-jdbc", batches, batchSize), CLIENTS,
                        () -> new JdbcBaseline(db, false));
                row(report, label, "plain JDBC", baseline, null);
                baselines.put(level, baseline);

                LockSampler locks = new LockSampler(db);
                Load.Result live = Load.run(Workload.batches("scale-" + level + "-live", batches, batchSize), CLIENTS,
                        () -> new HttpIntake(service.baseUri()));
                row(report, label, "service, flusher draining", live, locks.stop());
                withFlusher.put(level, live);
                awaitNoPending(db, "scale-" + level + "-live", Duration.ofMinutes(5));

                locks = new LockSampler(db);
                String idleRun = "scale-" + level + "-idle";
                Load.Result noFlusher = Load.run(Workload.batches(idleRun, batches, batchSize), CLIENTS,
                        () -> new HttpIntake(idle.baseUri()));
                row(report, label, "service, no flusher", noFlusher, locks.stop());
                settle(db, idleRun);

                if (level == levels.get(0) || level == levels.get(levels.size() - 1)) {
                    double flush = flush(service, sfmc, "scale-" + level + "-flush", flushRows, batchSize);
                    flushes.put(level, flush);
                    report.row(label, fmt("%.2f", Machine.load1()), "flush of " + flushRows, "", "", "", "", "", "",
                            fmt("%.2f s", flush) + " = " + fmt("%.2f", flush / ideal) + " × ideal");
                }
            }
        }
        int first = levels.get(0);
        int last = levels.get(levels.size() - 1);
        double throughput = withFlusher.get(last).rowsPerSecond() / withFlusher.get(first).rowsPerSecond();
        report.line("");
        report.line("- **service throughput at " + fmt("%,.0f", last) + " / at " + first + ": " + fmt("%.2f", throughput)
                + "**; goal ≥ 0.80: " + verdict(options, throughput >= 0.8));
        for (int level : levels) {
            double p99 = withFlusher.get(level).p99Ms() / baselines.get(level).p99Ms();
            report.line("- service p99 / plain-JDBC p99 at " + fmt("%,.0f", level) + ": **" + fmt("%.2f", p99) + "**; goal ≤ 1.5: "
                    + verdict(options, p99 <= 1.5));
        }
        for (Map.Entry<Integer, Double> flush : flushes.entrySet()) {
            double over = flush.getValue() / ideal;
            report.line("- flush at " + fmt("%,.0f", flush.getKey()) + ": " + fmt("%.2f", flush.getValue()) + " s = **"
                    + fmt("%.2f", over) + " × ideal**; goal ≤ 2: " + verdict(options, over <= 2));
        }
        report.line("- load average at the end: " + Machine.loadAverage());
    }

    private static void row(Report report, String level, String phase, Load.Result r, LockSampler.Summary locks) {
        report.row(level, fmt("%.2f", Machine.load1()), phase, fmt("%.0f", r.rowsPerSecond()), fmt("%.0f", r.p50Ms()),
                fmt("%.0f", r.p99Ms()), fmt("%.0f", Stats.percentile(r.latenciesMs(), 100)),
                fmt("%.0f", r.databaseCpuMsPerThousandRows()),
                locks == null ? "" : fmt("%.1f %%", locks.waitingShare() * 100), locks == null ? "" : locks.byEvent().toString());
    }

    /** The second service: same database, SFMC's token host a closed port, so its flusher finds SFMC down and claims nothing. */
    private static Map<String, String> unreachable(SuppressionFigure.StandIn sfmc) {
        Map<String, String> env = new java.util.HashMap<>(SuppressionFigure.liveEnv(sfmc, BATCH_SIZE, IN_FLIGHT));
        env.put("SFMC_AUTH_BASE_URI", "http://127.0.0.1:9");
        env.put("SFMC_REST_BASE_URI", "http://127.0.0.1:9/");
        env.put("SFMC_HEALTH_BACKOFF", "PT10M");
        env.put("SFMC_HEALTH_BACKOFF_MAX", "PT10M");
        return env;
    }

    /**
     * Grows the ledger from {@code from} to {@code to} earlier determinations in 100-row-id order, in
     * steps of 500 000 (one statement per table each); returns the seconds it took.
     */
    static double preload(Postgres db, int from, int to) throws SQLException {
        if (to <= from) {
            return 0;
        }
        long start = System.nanoTime();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO runs (run_id, run_date, state, created_at, last_batch_at, completed_at)
                    SELECT 'scale-load-' || lpad(r::text, 4, '0'), DATE '2026-01-01' + r % 300, 'NOTIFIED', now(), now(), now()
                    FROM generate_series(0, 999) r ON CONFLICT DO NOTHING""");
            for (int step = from + 1; step <= to; step += 500_000) {
                int end = Math.min(to, step + 499_999);
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO determinations (id, run_id, determination, email, email_normalized, account_name, business_unit,
                            received_at, suppression_target, content_hash, ingested_at)
                        SELECT 'scale-load/m-' || lpad(g::text, 9, '0'), 'scale-load-' || lpad((g / 5000 % 1000)::text, 4, '0'),
                               CASE WHEN g % 20 < 14 THEN 'INACTIVE' WHEN g % 20 < 16 THEN 'OUT_OF_OFFICE' WHEN g % 20 < 18 THEN 'ACTIVE'
                                    WHEN g % 20 < 19 THEN 'TITLE_UPDATE' ELSE 'CHANGED_EMAIL' END,
                               'Person.' || lpad(g::text, 9, '0') || '@Example.com', 'person.' || lpad(g::text, 9, '0') || '@example.com',
                               'Acme Weekly', CASE WHEN g % 10 = 3 THEN 'Sales' ELSE 'Marketing' END, now(),
                               CASE WHEN g % 20 < 14 THEN 'ASL_ACME' END, md5(g::text) || md5(g::text), now()
                        FROM generate_series(?, ?) g""")) {
                    ps.setInt(1, step);
                    ps.setInt(2, end);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO suppression_outbox (run_id, target, email_normalized, account_name, run_date, state, attempts,
                            created_at, updated_at, origin)
                        SELECT 'scale-load-' || lpad((g / 5000 % 1000)::text, 4, '0'), 'ASL_ACME',
                               'person.' || lpad(g::text, 9, '0') || '@example.com', 'Acme Weekly', DATE '2026-01-01', 'ADDED', 1, now(), now(), 'classifier'
                        FROM generate_series(?, ?) g WHERE g % 20 < 14""")) {
                    ps.setInt(1, step);
                    ps.setInt(2, end);
                    ps.executeUpdate();
                }
            }
            s.execute("CHECKPOINT");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Waits until the live service's flusher has drained the run (its rows no longer PENDING). */
    private static void awaitNoPending(Postgres db, String runId, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (count(db, "SELECT COUNT(*) FROM suppression_outbox WHERE state = 'PENDING' AND run_id = '" + runId + "'") > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Run " + runId + " still has PENDING suppressions after " + limit);
            }
            Thread.sleep(200);
        }
    }

    /**
     * The rows the flusher-less service left PENDING: settled, so the live service's flusher does not pick them up.
     * Rows the live flusher holds are skipped, as its claim skips ours: a plain bulk UPDATE deadlocked with that claim.
     */
    private static void settle(Postgres db, String runId) throws SQLException {
        try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement("""
                UPDATE suppression_outbox SET state = 'SKIPPED', reason = 'MOCK_CLIENT'
                WHERE id IN (SELECT id FROM suppression_outbox WHERE state = 'PENDING' AND run_id = ?
                             ORDER BY id FOR UPDATE SKIP LOCKED)""")) {
            s.setString(1, runId);
            s.executeUpdate();
        }
    }

    /** Posts the rows in batches from one client, from the first post until GET run shows them all ADDED; seconds. */
    private static double flush(ServiceProcess service, SuppressionFigure.StandIn sfmc, String runId, int rows, int batchSize)
            throws Exception {
        List<Workload.Row> inactive = SuppressionFigure.inactiveRows(runId, rows);
        HttpIntake intake = new HttpIntake(service.baseUri());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        sfmc.reset();
        long start = System.nanoTime();
        for (int from = 0; from < rows; from += batchSize) {
            List<Workload.Row> part = inactive.subList(from, Math.min(rows, from + batchSize));
            intake.send(new Workload.Batch(runId, part, Workload.body(part)));
        }
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (added(http, service.baseUri(), runId) < rows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Flush of " + rows + " rows not done after 5 minutes");
            }
            Thread.sleep(100);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static long added(HttpClient http, String baseUri, String runId) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create(baseUri + "/api/v1/runs/" + runId))
                .header("X-API-Key", ServiceProcess.API_KEY).timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET run answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("suppression").path("ADDED").asLong();
    }

    private static String autovacuum(Postgres db) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW autovacuum")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(Postgres db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Samples pg_stat_activity of the database every 100 ms on its own thread until {@link #stop}:
     * how often at least one backend waited for a lock, and on what (transactionid, tuple, ...).
     */
    static final class LockSampler {

        record Summary(double waitingShare, Map<String, Integer> byEvent) {
        }

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        private int samples;
        private int waiting;
        private final Map<String, Integer> byEvent = new TreeMap<>();

        LockSampler(Postgres db) {
            thread = new Thread(() -> sample(db), "lock-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private void sample(Postgres db) {
            try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("""
                    SELECT wait_event FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'""")) {
                while (running.get()) {
                    int now = 0;
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            now++;
                            synchronized (this) {
                                byEvent.merge(rs.getString(1), 1, Integer::sum);
                            }
                        }
                    }
                    synchronized (this) {
                        samples++;
                        waiting += now > 0 ? 1 : 0;
                    }
                    Thread.sleep(100);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Lock sampling failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        Summary stop() throws InterruptedException {
            running.set(false);
            thread.join();
            synchronized (this) {
                return new Summary(samples == 0 ? 0 : waiting / (double) samples, Map.copyOf(byEvent));
            }
        }
    }
}
