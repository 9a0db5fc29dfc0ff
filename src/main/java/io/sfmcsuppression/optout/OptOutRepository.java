package io.sfmcsuppression.optout;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.sfmcsuppression.consent.EnterpriseOptOuts;

/** The {@code consent_opt_outs} table: each unsubscribe request and where it stands. */
@ApplicationScoped
class OptOutRepository implements EnterpriseOptOuts {

    /** Where an opt-out stands. */
    enum State {
        /** Recorded; SFMC has not confirmed it yet. Retried until it has. */
        PENDING,
        /** SFMC reported the new status. */
        CONFIRMED,
        /**
         * SFMC refused the request for its content (a SOAP Client fault): not retried, because the
         * same content would be refused again; {@code last_error} holds SFMC's message. Still not
         * honoured, so it stays in the report and the overdue gauges until someone acts.
         */
        FAILED
    }

    record OptOut(long id, String subscriberKey, String scope, String listId, String businessUnitId, String reason,
                  String source, String actor, State state, Instant receivedAt, Instant confirmedAt,
                  String confirmedStatus, int attempts, String lastError, Instant nextAttemptAt) {
    }

    private static final String COLUMNS = """
            id, subscriber_key, scope, list_id, business_unit_id, reason, source, actor, state, received_at, confirmed_at,
            confirmed_status, attempts, last_error, next_attempt_at""";

    private final AgroalDataSource dataSource;

    OptOutRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records a new opt-out as pending. Its first retry is due only after {@code firstRetryAt}, so
     * the retry job does not race the synchronous attempt; after a crash it is picked up then.
     */
    long insertPending(String key, String scope, String listId, String businessUnitId, String reason, String source,
                       String actor, Instant receivedAt, Instant firstRetryAt) {
        String sql = """
                INSERT INTO consent_opt_outs (subscriber_key, scope, list_id, business_unit_id, reason, source, actor, state,
                    received_at, attempts, next_attempt_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, 0, ?, ?)""";
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            Timestamp at = Timestamp.from(receivedAt);
            ps.setString(1, key);
            ps.setString(2, scope);
            ps.setString(3, listId);
            ps.setString(4, businessUnitId);
            ps.setString(5, reason);
            ps.setString(6, source);
            ps.setString(7, actor);
            ps.setTimestamp(8, at);
            ps.setTimestamp(9, Timestamp.from(firstRetryAt));
            ps.setTimestamp(10, at);
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the opt-out", e);
        }
    }

    /**
     * Takes a due pending opt-out for one attempt by moving its next attempt to {@code leaseUntil};
     * false when another worker took it first.
     */
    boolean claim(OptOut o, Instant leaseUntil, Instant now) {
        return update("""
                UPDATE consent_opt_outs SET next_attempt_at = ?, updated_at = ?
                WHERE id = ? AND state = 'PENDING' AND attempts = ?""",
                Timestamp.from(leaseUntil), Timestamp.from(now), o.id(), o.attempts()) == 1;
    }

    void confirm(long id, String status, Instant at) {
        update("""
                UPDATE consent_opt_outs SET state = 'CONFIRMED', confirmed_status = ?, confirmed_at = ?, attempts = attempts + 1,
                    last_error = NULL, next_attempt_at = NULL, updated_at = ?
                WHERE id = ? AND state = 'PENDING'""", status, Timestamp.from(at), Timestamp.from(at), id);
    }

    void attemptFailed(long id, String error, Instant nextAttempt, Instant now) {
        update("""
                UPDATE consent_opt_outs SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ?
                WHERE id = ? AND state = 'PENDING'""",
                error.length() > 2000 ? error.substring(0, 2000) : error, Timestamp.from(nextAttempt), Timestamp.from(now), id);
    }

    void fail(long id, String error, Instant now) {
        update("""
                UPDATE consent_opt_outs SET state = 'FAILED', attempts = attempts + 1, last_error = ?, next_attempt_at = NULL,
                    updated_at = ?
                WHERE id = ? AND state = 'PENDING'""",
                error.length() > 2000 ? error.substring(0, 2000) : error, Timestamp.from(now), id);
    }

    Optional<OptOut> find(long id) {
        List<OptOut> rows = query("SELECT " + COLUMNS + " FROM consent_opt_outs WHERE id = ?", id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    List<OptOut> due(Instant now, int limit) {
        return query("SELECT " + COLUMNS + " FROM consent_opt_outs WHERE state = 'PENDING' AND next_attempt_at <= ? "
                + "ORDER BY next_attempt_at, id LIMIT " + limit, Timestamp.from(now));
    }

    /** Whether an opt-out of {@code key} was recorded from {@code source} (a one-click link's id). */
    boolean hasSource(String key, String source) {
        return !query("SELECT " + COLUMNS + " FROM consent_opt_outs WHERE subscriber_key = ? AND source = ?", key, source).isEmpty();
    }

    /**
     * Opt-outs SFMC has not confirmed: pending and failed (index consent_opt_outs_state). Few: the
     * pending ones are retried until confirmed, the failed ones wait for someone.
     */
    List<OptOut> open() {
        return query("SELECT " + COLUMNS + " FROM consent_opt_outs WHERE state IN (?, ?) ORDER BY received_at, id",
                State.PENDING.name(), State.FAILED.name());
    }

    /** Every unconfirmed opt-out, and confirmed ones received since {@code since}: the report's candidates. */
    List<OptOut> openOrReceivedSince(Instant since) {
        return query("SELECT " + COLUMNS + " FROM consent_opt_outs WHERE state <> 'CONFIRMED' OR received_at >= ? "
                + "ORDER BY received_at, id", Timestamp.from(since));
    }

    /** Index consent_opt_outs_key; one array parameter, as ActiveSuppressions. */
    @Override
    public Map<String, Recorded> enterpriseOptOuts(Collection<String> keys) {
        Map<String, Recorded> first = new HashMap<>();
        if (keys.isEmpty()) {
            return first;
        }
        String sql = "SELECT " + COLUMNS + " FROM consent_opt_outs WHERE subscriber_key = ANY(?) AND scope = 'enterprise' "
                + "ORDER BY received_at, id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Array array = c.createArrayOf("varchar", keys.toArray(String[]::new));
            ps.setArray(1, array);
            for (OptOut o : rows(ps)) {
                first.putIfAbsent(o.subscriberKey(), new Recorded(o.id(), o.state().name(), o.receivedAt()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read opt-outs", e);
        }
        return first;
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update an opt-out", e);
        }
    }

    private List<OptOut> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return rows(ps);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read opt-outs", e);
        }
    }

    private static List<OptOut> rows(PreparedStatement ps) throws SQLException {
        List<OptOut> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new OptOut(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), State.valueOf(rs.getString(9)),
                        instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11)), rs.getString(12), rs.getInt(13),
                        rs.getString(14), instant(rs.getTimestamp(15))));
            }
        }
        return rows;
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
