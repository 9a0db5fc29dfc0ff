package io.sfmcsuppression.console;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * The console's own reads: pages of runs with their counts, a run's FAILED rows, the oldest
 * PENDING row and suppressions per day and list. Every query is bounded: keyset pages of a fixed
 * size over an index, counts only for the runs on the page, the chart over a fixed number of days.
 */
@ApplicationScoped
class ConsoleRepository {

    /** A run as the list shows it. */
    record RunRow(String runId, LocalDate runDate, String state, Instant createdAt) {
    }

    /** A FAILED outbox row with SFMC's message. */
    record FailedRow(long id, String email, String dataExtensionKey, int attempts, String sfmcMessage, Instant updatedAt) {
    }

    /** Confirmed suppressions of one run date and data extension. */
    record DailyCount(LocalDate day, String dataExtensionKey, long rows) {
    }

    private final AgroalDataSource dataSource;

    ConsoleRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Runs newest first, {@code limit} of them, after the keyset position ({@code createdAt},
     * {@code runId}) of the previous page's last row when given; optionally of one state.
     */
    List<RunRow> runs(Optional<String> state, Optional<Instant> afterCreatedAt, Optional<String> afterRunId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT run_id, run_date, state, created_at FROM runs WHERE 1 = 1");
        state.ifPresent(s -> sql.append(" AND state = ?"));
        afterCreatedAt.ifPresent(a -> sql.append(" AND (created_at < ? OR (created_at = ? AND run_id > ?))"));
        sql.append(" ORDER BY created_at DESC, run_id LIMIT ?");
        List<RunRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (state.isPresent()) {
                ps.setString(i++, state.get());
            }
            if (afterCreatedAt.isPresent()) {
                Timestamp after = Timestamp.from(afterCreatedAt.get());
                ps.setTimestamp(i++, after);
                ps.setTimestamp(i++, after);
                ps.setString(i++, afterRunId.orElse(""));
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new RunRow(rs.getString(1), rs.getObject(2, LocalDate.class), rs.getString(3),
                            rs.getTimestamp(4).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read runs", e);
        }
        return rows;
    }

    /** Determinations of each of these runs (index determinations_run_type). */
    Map<String, Long> determinationCounts(List<String> runIds) {
        Map<String, Long> counts = new HashMap<>();
        groupCounts("SELECT run_id, '', COUNT(*) FROM determinations WHERE run_id IN (%s) GROUP BY run_id", runIds,
                (runId, ignored, n) -> counts.put(runId, n));
        return counts;
    }

    /**
     * PENDING and FAILED rows of each of these runs by state: what needs attention, read through
     * the state indexes, so the cost follows the backlog, not the millions of settled rows.
     */
    Map<String, Map<String, Long>> attentionCounts(List<String> runIds) {
        Map<String, Map<String, Long>> counts = new HashMap<>();
        groupCounts("SELECT run_id, state, COUNT(*) FROM suppression_outbox WHERE state IN ('PENDING', 'FAILED') "
                + "AND run_id IN (%s) GROUP BY run_id, state", runIds,
                (runId, state, n) -> counts.computeIfAbsent(runId, k -> new HashMap<>()).put(state, n));
        return counts;
    }

    private interface GroupRow {
        void accept(String runId, String key, long count);
    }

    private void groupCounts(String template, List<String> runIds, GroupRow row) {
        if (runIds.isEmpty()) {
            return;
        }
        String sql = template.formatted(String.join(", ", java.util.Collections.nCopies(runIds.size(), "?")));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < runIds.size(); i++) {
                ps.setString(i + 1, runIds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.accept(rs.getString(1), rs.getString(2), rs.getLong(3));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count runs", e);
        }
    }

    /** FAILED rows of a run in id order after {@code afterId} (index suppression_outbox_claim: state, id). */
    List<FailedRow> failed(String runId, long afterId, int limit) {
        String sql = """
                SELECT id, email_normalized, target, attempts, sfmc_message, updated_at FROM suppression_outbox
                WHERE state = 'FAILED' AND id > ? AND run_id = ? ORDER BY id LIMIT ?""";
        List<FailedRow> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, afterId);
            ps.setString(2, runId);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new FailedRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read failed suppressions of run " + runId, e);
        }
        return rows;
    }

    /** When the oldest PENDING row was queued (index suppression_outbox_state_created); empty when none is. */
    Optional<Instant> oldestPending() {
        String sql = "SELECT MIN(created_at) FROM suppression_outbox WHERE state = 'PENDING'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            Timestamp oldest = rs.next() ? rs.getTimestamp(1) : null;
            return Optional.ofNullable(oldest).map(Timestamp::toInstant);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the oldest pending suppression", e);
        }
    }

    /**
     * PENDING rows per age band at {@code now}, youngest first ({@link OutboxAgeChart#LIMITS}): one
     * pass over the pending rows (the state index), however large the settled ledger.
     */
    List<Long> pendingPerAgeBand(Instant now) {
        List<Duration> limits = OutboxAgeChart.LIMITS;
        StringBuilder band = new StringBuilder("CASE");
        for (int i = 0; i < limits.size(); i++) {
            band.append(" WHEN created_at > ? THEN ").append(i);
        }
        band.append(" ELSE ").append(limits.size()).append(" END");
        String sql = "SELECT band, COUNT(*) FROM (SELECT " + band + " AS band FROM suppression_outbox WHERE state = 'PENDING') p "
                + "GROUP BY band";
        Long[] rows = new Long[limits.size() + 1];
        Arrays.fill(rows, 0L);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < limits.size(); i++) {
                ps.setTimestamp(i + 1, Timestamp.from(now.minus(limits.get(i))));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows[rs.getInt(1)] = rs.getLong(2);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count pending suppressions by age", e);
        }
        return List.of(rows);
    }

    /** Rows SFMC confirmed (ADDED or VERIFIED) per run date and data extension, from {@code firstDay} on. */
    List<DailyCount> confirmedPerDay(LocalDate firstDay) {
        String sql = """
                SELECT run_date, target, COUNT(*) FROM suppression_outbox
                WHERE state IN ('ADDED', 'VERIFIED') AND run_date >= ? GROUP BY run_date, target ORDER BY run_date, target""";
        List<DailyCount> counts = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, firstDay);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.add(new DailyCount(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getLong(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count suppressions per day", e);
        }
        return counts;
    }
}
