package io.sfmcsuppression.suppression;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.sfmcsuppression.ledger.Determination;
import io.sfmcsuppression.ledger.RunContext;
import io.sfmcsuppression.web.EmailMask;

/**
 * The suppression outbox: one row per run, data extension and address, written in the batch's
 * transaction and drained to SFMC afterwards. This is the suppression capability's public face.
 */
@ApplicationScoped
public class SuppressionOutbox {

    /** One outbox row as the email history shows it. */
    public record Entry(String runId, String dataExtensionKey, String state, String reason, int attempts,
                        String sfmcMessage, Instant updatedAt) {
    }

    /** What the mock client would have sent for a run: "would add N rows to data extension K". */
    public record MockUpsert(String dataExtensionKey, long rows, String description) {
    }

    static final String SKIPPED_TARGET = "";

    private static final String INSERT = """
            INSERT INTO suppression_outbox (run_id, target, email_normalized, account_name, run_date, state, reason,
                attempts, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
            ON CONFLICT DO NOTHING""";

    private final AgroalDataSource dataSource;
    private final SuppressionTargets targets;
    private final Event<SuppressionsQueued> queued;

    SuppressionOutbox(AgroalDataSource dataSource, SuppressionTargets targets, Event<SuppressionsQueued> queued) {
        this.dataSource = dataSource;
        this.targets = targets;
        this.queued = queued;
    }

    /**
     * Queues a suppression for each INACTIVE determination: PENDING when its account maps to a data
     * extension, SKIPPED with the reason otherwise. The same address twice for one data extension
     * in a run is one row. Must run inside the caller's transaction.
     */
    public void request(RunContext run, List<Determination> inactive) {
        Timestamp now = Timestamp.from(run.now());
        int pending = 0;
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Determination d : inactive) {
                SuppressionTargets.Target target = targets.resolve(d.accountName());
                String key = target.dataExtensionKey().orElse(SKIPPED_TARGET);
                insert.setString(1, run.runId());
                insert.setString(2, key);
                insert.setString(3, d.emailNormalized());
                insert.setString(4, d.accountName());
                insert.setObject(5, run.runDate());
                insert.setString(6, target.skipReason().isPresent() ? OutboxState.SKIPPED.name() : OutboxState.PENDING.name());
                insert.setString(7, target.skipReason().map(Enum::name).orElse(null));
                insert.setTimestamp(8, now);
                insert.setTimestamp(9, now);
                insert.addBatch();
                if (target.skipReason().isEmpty()) {
                    pending++;
                }
                target.skipReason().ifPresent(reason -> Log.infof("Suppression of %s in run %s skipped: %s (account '%s')",
                        EmailMask.mask(d.emailNormalized()), run.runId(), reason, d.accountName()));
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not queue suppressions for run " + run.runId(), e);
        }
        if (pending > 0) {
            // Observed after the batch commits: wakes the flusher instead of waiting for its next tick.
            queued.fire(new SuppressionsQueued(run.runId(), pending));
        }
    }

    /** The data extension key an INACTIVE determination's suppression goes to, '' when it is skipped. */
    public String targetOf(Determination inactive) {
        return targets.resolve(inactive.accountName()).dataExtensionKey().orElse(SKIPPED_TARGET);
    }

    /**
     * Queues a suppression that belongs to no run (the consent resolver's suspected global opt-outs):
     * PENDING for {@code dataExtensionKey}, at most one such row per data extension and address.
     *
     * @return true when a row was queued, false when one already existed
     */
    public boolean requestOutsideRun(String dataExtensionKey, String emailNormalized, String accountName, LocalDate dateAdded,
                                     Instant now) {
        String sql = """
                INSERT INTO suppression_outbox (run_id, target, email_normalized, account_name, run_date, state, reason,
                    attempts, created_at, updated_at)
                SELECT NULL, ?, ?, ?, ?, 'PENDING', NULL, 0, ?, ?
                WHERE NOT EXISTS (SELECT 1 FROM suppression_outbox WHERE run_id IS NULL AND target = ? AND email_normalized = ?)""";
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            Timestamp at = Timestamp.from(now);
            insert.setString(1, dataExtensionKey);
            insert.setString(2, emailNormalized);
            insert.setString(3, accountName);
            insert.setObject(4, dateAdded);
            insert.setTimestamp(5, at);
            insert.setTimestamp(6, at);
            insert.setString(7, dataExtensionKey);
            insert.setString(8, emailNormalized);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not queue a suppression outside a run", e);
        }
    }

    /** Outbox rows of a run by state, skipped rows by reason ({@code SKIPPED_NO_MAPPING}). */
    public Map<String, Long> countsForRun(String runId) {
        return counts("SELECT state, reason, COUNT(*) FROM suppression_outbox WHERE run_id = ? GROUP BY state, reason", runId);
    }

    /** Per data extension, how many rows of the run the mock client took instead of SFMC. */
    public List<MockUpsert> mockUpsertsForRun(String runId) {
        String sql = """
                SELECT target, COUNT(*) FROM suppression_outbox
                WHERE run_id = ? AND state = 'SKIPPED' AND reason = 'MOCK_CLIENT' GROUP BY target ORDER BY target""";
        List<MockUpsert> upserts = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long rows = rs.getLong(2);
                    upserts.add(new MockUpsert(rs.getString(1), rows,
                            "would add " + rows + " rows to data extension " + rs.getString(1)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the outbox", e);
        }
        return upserts;
    }

    /** Outbox rows of every run by state, skipped rows by reason. */
    public Map<String, Long> depth() {
        return counts("SELECT state, reason, COUNT(*) FROM suppression_outbox GROUP BY state, reason", null);
    }

    /** Every outbox row of one address, newest first. */
    public List<Entry> forEmail(String emailNormalized) {
        String sql = """
                SELECT run_id, target, state, reason, attempts, sfmc_message, updated_at
                FROM suppression_outbox WHERE email_normalized = ? ORDER BY updated_at DESC, id DESC""";
        List<Entry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, emailNormalized);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String target = rs.getString(2);
                    entries.add(new Entry(rs.getString(1), target.isEmpty() ? null : target, rs.getString(3),
                            rs.getString(4), rs.getInt(5), rs.getString(6), rs.getTimestamp(7).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the outbox", e);
        }
        return entries;
    }

    private Map<String, Long> counts(String sql, String runId) {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (runId != null) {
                ps.setString(1, runId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(2) == null ? rs.getString(1) : rs.getString(1) + "_" + rs.getString(2);
                    counts.merge(key, rs.getLong(3), Long::sum);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the outbox", e);
        }
        Map<String, Long> ordered = new LinkedHashMap<>();
        for (OutboxState state : OutboxState.values()) {
            if (state != OutboxState.SKIPPED) {
                ordered.put(state.name(), counts.getOrDefault(state.name(), 0L));
            }
        }
        counts.forEach(ordered::putIfAbsent);
        return ordered;
    }

}
