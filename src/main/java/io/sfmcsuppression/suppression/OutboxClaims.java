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
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Claims due PENDING outbox rows (and ADDED rows due for their read-back) for one replica and
 * records what SFMC made of them. A claim is a
 * lease: the rows get a claim token and a next_attempt_at at the lease's end, written under
 * {@code FOR UPDATE SKIP LOCKED} so concurrent replicas take disjoint rows. Every later update is
 * conditional on the token, so a replica whose lease ran out cannot overwrite a newer claim. The
 * lease is short and renewed while the claim is held ({@link HeldLeases}).
 */
@ApplicationScoped
class OutboxClaims {

    /** One claimed row. */
    record Claimed(long id, String runId, String target, String email, LocalDate runDate, int attempts, String token) {
    }

    private static final String SELECT_DUE = """
            SELECT id, run_id, target, email_normalized, run_date, attempts FROM suppression_outbox
            WHERE state = 'PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
            ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""";
    private static final String SELECT_DUE_OF_RUN = """
            SELECT id, run_id, target, email_normalized, run_date, attempts FROM suppression_outbox
            WHERE state = 'PENDING' AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND run_id = ?
            ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""";
    /** ADDED rows due for their read-back; ADDED rows without next_attempt_at are settled. */
    private static final String SELECT_READ_BACK_DUE = """
            SELECT id, run_id, target, email_normalized, run_date, attempts FROM suppression_outbox
            WHERE state = 'ADDED' AND next_attempt_at <= ?
            ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED""";
    static final String NOT_IN_DATA_EXTENSION = "SFMC answered 200 but the row is not in the data extension";

    private final AgroalDataSource dataSource;
    private final HeldLeases leases;

    OutboxClaims(AgroalDataSource dataSource, HeldLeases leases) {
        this.dataSource = dataSource;
        this.leases = leases;
    }

    /** Claims up to {@code limit} rows due at {@code now} until {@code leaseEnd}. */
    List<Claimed> claim(Instant now, Instant leaseEnd, int limit) {
        return claim(now, leaseEnd, limit, null);
    }

    /** The same, limited to one run's rows when {@code runId} is not null. */
    List<Claimed> claim(Instant now, Instant leaseEnd, int limit, String runId) {
        return claim(runId == null ? SELECT_DUE : SELECT_DUE_OF_RUN, now, leaseEnd, limit, runId);
    }

    /** Claims up to {@code limit} ADDED rows whose read-back is due at {@code now}, until {@code leaseEnd}. */
    List<Claimed> claimReadBacks(Instant now, Instant leaseEnd, int limit) {
        return claim(SELECT_READ_BACK_DUE, now, leaseEnd, limit, null);
    }

    private List<Claimed> claim(String sql, Instant now, Instant leaseEnd, int limit, String runId) {
        String token = UUID.randomUUID().toString();
        List<Claimed> taken = QuarkusTransaction.requiringNew().call(() -> {
            List<Claimed> claimed = new ArrayList<>();
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement select = c.prepareStatement(sql)) {
                    int i = 1;
                    select.setTimestamp(i++, Timestamp.from(now));
                    if (runId != null) {
                        select.setString(i++, runId);
                    }
                    select.setInt(i, limit);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            claimed.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                    rs.getObject(5, LocalDate.class), rs.getInt(6), token));
                        }
                    }
                }
                if (!claimed.isEmpty()) {
                    try (PreparedStatement lease = c.prepareStatement(
                            "UPDATE suppression_outbox SET claim_token = ?, next_attempt_at = ? WHERE " + RowIds.CONDITION)) {
                        lease.setString(1, token);
                        lease.setTimestamp(2, Timestamp.from(leaseEnd));
                        new RowIds(claimed.stream().map(Claimed::id).toList()).bind(c, lease, 3);
                        lease.executeUpdate();
                    }
                }
            }
            return claimed;
        });
        leases.hold(taken);
        return taken;
    }

    /** SFMC confirmed these rows. */
    void added(List<Claimed> rows, Instant now) {
        update(rows, "UPDATE suppression_outbox SET state = 'ADDED', reason = NULL, sfmc_message = NULL, "
                + "attempts = attempts + 1, next_attempt_at = NULL, claim_token = NULL, updated_at = ? "
                + "WHERE " + RowIds.CONDITION + " AND claim_token = ?", now, null, null);
    }

    /**
     * SFMC answered 200 for these rows, which are to be read back: they stay claimed (ADDED, the
     * lease in next_attempt_at), so after a crash they are due for the read once the lease ends.
     */
    void addedAwaitingReadBack(List<Claimed> rows, Instant leaseEnd, Instant now) {
        update(rows, "UPDATE suppression_outbox SET state = 'ADDED', reason = NULL, sfmc_message = NULL, "
                + "attempts = attempts + 1, next_attempt_at = ?, updated_at = ? WHERE " + RowIds.CONDITION + " AND claim_token = ?",
                now, null, leaseEnd);
    }

    /** The read-back found these rows in the data extension. */
    void verified(List<Claimed> rows, Instant now) {
        update(rows, "UPDATE suppression_outbox SET state = 'VERIFIED', sfmc_message = NULL, next_attempt_at = NULL, "
                + "claim_token = NULL, updated_at = ? WHERE " + RowIds.CONDITION + " AND claim_token = ? AND state = 'ADDED'", now, null, null);
    }

    /**
     * The read-back did not find these rows: those missing for the first time are PENDING again,
     * due now; those missing after their second 200 are FAILED.
     *
     * @return how many became FAILED
     */
    int notInDataExtension(List<Claimed> rows, Instant now) {
        int failed = update(rows, "UPDATE suppression_outbox SET state = 'FAILED', sfmc_message = ?, next_attempt_at = NULL, "
                + "claim_token = NULL, updated_at = ? WHERE " + RowIds.CONDITION + " AND claim_token = ? AND state = 'ADDED' "
                + "AND read_back_misses > 0", now, NOT_IN_DATA_EXTENSION, null);
        update(rows, "UPDATE suppression_outbox SET state = 'PENDING', read_back_misses = read_back_misses + 1, "
                + "sfmc_message = ?, next_attempt_at = ?, claim_token = NULL, updated_at = ? "
                + "WHERE " + RowIds.CONDITION + " AND claim_token = ? AND state = 'ADDED' AND read_back_misses = 0",
                now, NOT_IN_DATA_EXTENSION + "; sent once more", now);
        return failed;
    }

    /** The read itself failed for good: the rows stay ADDED (SFMC's 200 stands), not verified, with the error kept. */
    void readBackFailed(List<Claimed> rows, String message, Instant now) {
        update(rows, "UPDATE suppression_outbox SET sfmc_message = ?, next_attempt_at = NULL, claim_token = NULL, "
                + "updated_at = ? WHERE " + RowIds.CONDITION + " AND claim_token = ? AND state = 'ADDED'", now, message, null);
    }

    /** SFMC refused these rows for good; {@code message} is SFMC's. */
    void failed(List<Claimed> rows, String message, Instant now) {
        update(rows, "UPDATE suppression_outbox SET state = 'FAILED', sfmc_message = ?, attempts = attempts + 1, "
                + "next_attempt_at = NULL, claim_token = NULL, updated_at = ? WHERE " + RowIds.CONDITION + " AND claim_token = ?",
                now, message, null);
    }

    /** The mock client took these rows: nothing was sent (DESIGN rule 2). */
    void skipped(List<Claimed> rows, SkipReason reason, Instant now) {
        update(rows, "UPDATE suppression_outbox SET state = 'SKIPPED', reason = ?, next_attempt_at = NULL, "
                + "claim_token = NULL, updated_at = ? WHERE " + RowIds.CONDITION + " AND claim_token = ?", now, reason.name(), null);
    }

    /** An SFMC error that counts as an attempt: the rows stay PENDING until {@code retryAt}. */
    void retryLater(List<Claimed> rows, String message, Instant retryAt, Instant now) {
        update(rows, "UPDATE suppression_outbox SET sfmc_message = ?, attempts = attempts + 1, next_attempt_at = ?, "
                + "claim_token = NULL, updated_at = ? WHERE " + RowIds.CONDITION + " AND claim_token = ?", now, message, retryAt);
    }

    /** Gives rows back without counting an attempt (throttled, SFMC unreachable, or not sent at all). */
    void release(List<Claimed> rows, Instant dueAt, Instant now) {
        update(rows, "UPDATE suppression_outbox SET next_attempt_at = ?, claim_token = NULL, updated_at = ? "
                + "WHERE " + RowIds.CONDITION + " AND claim_token = ?", now, null, dueAt);
    }

    /**
     * After work on these rows failed unexpectedly (their outcome could not be recorded): they are
     * due again now, so nothing stays claimed by a live process that no longer works on them. If even
     * that fails, the heartbeat lets their claim go and they are due a lease later; another chunk of
     * the same claim still in flight may then be sent twice, which an upsert of the same key allows.
     */
    void giveBack(List<Claimed> rows, Instant now) {
        try {
            release(rows, now, now);
        } catch (RuntimeException e) {
            rows.stream().map(Claimed::token).distinct().forEach(leases::letGo);
            Log.warnf("%d claimed row(s) could not be given back (%s); they are due again after their lease", rows.size(),
                    e.getMessage());
        }
    }

    /**
     * Runs the conditional update once per claim token (a chunk's rows share one), with the rows' ids
     * as one array: one statement per chunk rather than one per row, which halved the database's
     * time per flushed row (issue 20). Parameters in order: the optional text, the optional instant,
     * updated_at, the ids ({@link RowIds}), the claim token.
     *
     * @return how many rows changed
     */
    private int update(List<Claimed> rows, String sql, Instant now, String text, Instant when) {
        if (rows.isEmpty()) {
            return 0;
        }
        Map<String, List<Long>> idsByToken = rows.stream().collect(
                Collectors.groupingBy(Claimed::token, LinkedHashMap::new, Collectors.mapping(Claimed::id, Collectors.toList())));
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                int changed = 0;
                for (Map.Entry<String, List<Long>> claim : idsByToken.entrySet()) {
                    int i = 1;
                    if (text != null) {
                        ps.setString(i++, text);
                    }
                    if (when != null) {
                        ps.setTimestamp(i++, Timestamp.from(when));
                    }
                    ps.setTimestamp(i++, Timestamp.from(now));
                    i = new RowIds(claim.getValue()).bind(c, ps, i);
                    ps.setString(i, claim.getKey());
                    changed += ps.executeUpdate();
                }
                return changed;
            } catch (SQLException e) {
                throw new IllegalStateException("Could not update the suppression outbox", e);
            }
        });
    }
}
