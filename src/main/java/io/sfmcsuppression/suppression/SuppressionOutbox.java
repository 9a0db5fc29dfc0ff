package io.sfmcsuppression.suppression;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.sfmcsuppression.ledger.Determination;
import io.sfmcsuppression.ledger.RunContext;
import io.sfmcsuppression.web.EmailAddress;

/**
 * The suppression outbox: one row per run, data extension and address, written in the batch's
 * transaction and drained to SFMC afterwards. This is the suppression capability's public face.
 */
@ApplicationScoped
public class SuppressionOutbox {

    static final String SKIPPED_TARGET = "";

    private static final String INSERT = """
            INSERT INTO suppression_outbox (run_id, target, email_normalized, account_name, run_date, state, reason,
                attempts, created_at, updated_at, origin, origin_determination_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'classifier', ?)
            ON CONFLICT DO NOTHING""";

    private final AgroalDataSource dataSource;
    private final SuppressionTargets targets;
    private final Event<SuppressionsQueued> queued;
    private final Event<SuppressionsSkipped> skipped;
    private final MeterRegistry metrics;

    SuppressionOutbox(AgroalDataSource dataSource, SuppressionTargets targets, Event<SuppressionsQueued> queued,
                      Event<SuppressionsSkipped> skipped, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.targets = targets;
        this.queued = queued;
        this.skipped = skipped;
        this.metrics = metrics;
    }

    /**
     * Queues a suppression for each INACTIVE determination: PENDING when its account maps to a data
     * extension, SKIPPED with the reason otherwise. The same address twice for one data extension
     * in a run is one row. Must run inside the caller's transaction. Skipped rows are logged once
     * per account and reason after the commit, each row at DEBUG.
     */
    public void request(RunContext run, List<Determination> inactive) {
        Timestamp now = Timestamp.from(run.now());
        int pending = 0;
        Map<SuppressionsSkipped.Skip, Integer> skips = new LinkedHashMap<>();
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
                // The first determination that asked for the row names it; later ones share it.
                insert.setString(10, d.id());
                insert.addBatch();
                if (target.skipReason().isEmpty()) {
                    pending++;
                }
                target.skipReason().ifPresent(reason -> {
                    skips.merge(new SuppressionsSkipped.Skip(d.accountName(), reason), 1, Integer::sum);
                    Log.debugf("Suppression of %s in run %s skipped: %s (account '%s')",
                            EmailAddress.mask(d.emailNormalized()), run.runId(), reason, d.accountName());
                });
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not queue suppressions for run " + run.runId(), e);
        }
        if (pending > 0) {
            // Observed after the batch commits: wakes the flusher instead of waiting for its next tick.
            queued.fire(new SuppressionsQueued(run.runId(), pending));
        }
        if (!skips.isEmpty()) {
            skipped.fire(new SuppressionsSkipped(run.runId(), skips));
        }
    }

    void onSkipped(@Observes(during = TransactionPhase.AFTER_SUCCESS) SuppressionsSkipped batch) {
        batch.rows().forEach((skip, rows) -> {
            Log.infof("%d suppression(s) in run %s skipped: %s (%s)", rows, batch.runId(), skip.reason(),
                    skip.accountName() == null ? "no account" : "account '" + skip.accountName() + "'");
            metrics.counter("suppression.skipped", "reason", skip.reason().name()).increment(rows);
        });
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
                    attempts, created_at, updated_at, origin)
                SELECT NULL, ?, ?, ?, ?, 'PENDING', NULL, 0, ?, ?, 'consent-global'
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

    /**
     * Queues a suppression an operator asked for (origin {@code operator} or {@code import}),
     * PENDING for {@code dataExtensionKey}, unless the address already has a row there that is not
     * RELEASED: importing the same file twice adds nothing.
     *
     * @return true when a row was queued, false when the address had one already
     */
    public boolean requestByOperator(String dataExtensionKey, String emailNormalized, LocalDate dateAdded, Origin origin,
                                     Instant now) {
        String sql = """
                INSERT INTO suppression_outbox (run_id, target, email_normalized, account_name, run_date, state, reason,
                    attempts, created_at, updated_at, origin, origin_key_name, origin_note, origin_file, origin_line)
                SELECT NULL, ?, ?, NULL, ?, 'PENDING', NULL, 0, ?, ?, ?, ?, ?, ?, ?
                WHERE NOT EXISTS (SELECT 1 FROM suppression_outbox
                                   WHERE target = ? AND email_normalized = ? AND state <> 'RELEASED')""";
        try (Connection c = dataSource.getConnection(); PreparedStatement insert = c.prepareStatement(sql)) {
            Timestamp at = Timestamp.from(now);
            insert.setString(1, dataExtensionKey);
            insert.setString(2, emailNormalized);
            insert.setObject(3, dateAdded);
            insert.setTimestamp(4, at);
            insert.setTimestamp(5, at);
            insert.setString(6, origin.kind().value());
            insert.setString(7, origin.keyName());
            insert.setString(8, origin.note());
            insert.setString(9, origin.file());
            insert.setObject(10, origin.line());
            insert.setString(11, dataExtensionKey);
            insert.setString(12, emailNormalized);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not queue a suppression for an operator", e);
        }
    }

    /** Wakes the flusher for rows queued outside a batch (operator requests, re-queues), after the caller's commit. */
    public void queued(String what, int rows) {
        if (rows > 0) {
            queued.fire(new SuppressionsQueued(what, rows));
        }
    }

    /**
     * Marks every row of the address in the data extension that is in effect (ADDED, VERIFIED) as
     * RELEASED, keeping who, why and when; the row removed from SFMC is the same for all of them.
     *
     * @param note what was sent to SFMC, or why nothing was (kept in sfmc_message)
     * @return how many rows were released
     */
    public int release(String dataExtensionKey, String emailNormalized, String by, String reason, String note, Instant now) {
        String sql = """
                UPDATE suppression_outbox SET state = 'RELEASED', released_at = ?, released_by = ?, release_reason = ?,
                    sfmc_message = ?, next_attempt_at = NULL, claim_token = NULL, updated_at = ?
                WHERE target = ? AND email_normalized = ? AND state IN ('ADDED', 'VERIFIED')""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Timestamp at = Timestamp.from(now);
            ps.setTimestamp(1, at);
            ps.setString(2, by);
            ps.setString(3, reason);
            ps.setString(4, note);
            ps.setTimestamp(5, at);
            ps.setString(6, dataExtensionKey);
            ps.setString(7, emailNormalized);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not release a suppression", e);
        }
    }

    /** Which FAILED rows a re-queue takes: one row, a run's, or a data extension's. */
    public enum RequeueScope { ROW, RUN, DATA_EXTENSION }

    /**
     * Makes FAILED rows PENDING again, due now, with their attempts and read-back misses reset (the
     * last SFMC message stays until the next answer replaces it).
     *
     * @return how many rows were re-queued
     */
    public int requeueFailed(RequeueScope scope, String subject, Instant now) {
        String where = switch (scope) {
            case ROW -> "id = ?";
            case RUN -> "run_id = ?";
            case DATA_EXTENSION -> "target = ?";
        };
        String sql = "UPDATE suppression_outbox SET state = 'PENDING', attempts = 0, read_back_misses = 0, "
                + "next_attempt_at = NULL, claim_token = NULL, updated_at = ? WHERE state = 'FAILED' AND " + where;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(now));
            if (scope == RequeueScope.ROW) {
                ps.setLong(2, Long.parseLong(subject));
            } else {
                ps.setString(2, subject);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not re-queue FAILED suppressions", e);
        }
    }
}
