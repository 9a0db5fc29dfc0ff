package io.sfmcsuppression.suppression;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * What the outbox holds, as runs, the export, the status endpoint, the email history and the console
 * read it: counts by state, what the mock took, one address's rows. {@link SuppressionOutbox} writes
 * the rows; this class only reads them.
 */
@ApplicationScoped
public class OutboxReports {

    /** One outbox row as the email history shows it. */
    public record Entry(String runId, String dataExtensionKey, String state, String reason, int attempts,
                        String sfmcMessage, Instant updatedAt) {
    }

    /** What the mock client would have sent for a run: "would add N rows to data extension K". */
    public record MockUpsert(String dataExtensionKey, long rows, String description) {
    }

    /** The count key of ADDED rows whose read-back is still to come. */
    public static final String ADDED_AWAITING_READ_BACK = "ADDED_AWAITING_READ_BACK";

    /** An ADDED row with next_attempt_at is waiting for its read-back (V5); otherwise the skip reason. */
    private static final String REASON_OR_READ_BACK =
            "CASE WHEN state = 'ADDED' AND next_attempt_at IS NOT NULL THEN 'AWAITING_READ_BACK' ELSE reason END";

    private final AgroalDataSource dataSource;

    OutboxReports(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Outbox rows of a run by state, skipped rows by reason ({@code SKIPPED_NO_MAPPING}), ADDED rows
     * still waiting for their read-back as {@value #ADDED_AWAITING_READ_BACK}.
     */
    public Map<String, Long> countsForRun(String runId) {
        return counts("SELECT state, " + REASON_OR_READ_BACK + ", COUNT(*) FROM suppression_outbox WHERE run_id = ? "
                + "GROUP BY state, " + REASON_OR_READ_BACK, runId);
    }

    /** Of such counts, the rows SFMC has not settled yet: PENDING, and ADDED awaiting the read-back. */
    public static long unsettled(Map<String, Long> counts) {
        return counts.getOrDefault(OutboxState.PENDING.name(), 0L) + counts.getOrDefault(ADDED_AWAITING_READ_BACK, 0L);
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

    /** Outbox rows of every run by state, skipped rows by reason, ADDED rows awaiting the read-back apart. */
    public Map<String, Long> depth() {
        return counts("SELECT state, " + REASON_OR_READ_BACK + ", COUNT(*) FROM suppression_outbox GROUP BY state, "
                + REASON_OR_READ_BACK, null);
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
