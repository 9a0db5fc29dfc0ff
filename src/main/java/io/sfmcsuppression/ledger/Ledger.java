package io.sfmcsuppression.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/** The determinations table: every determination ever accepted, idempotent by id. */
@ApplicationScoped
public class Ledger {

    /** What is already stored for an id: the idempotency check compares the hash. */
    public record Stored(String runId, String contentHash) {
    }

    /** One determination as the email history shows it. */
    public record Entry(String id, String runId, String determination, String email, String accountName,
                        String businessUnit, Instant receivedAt, Instant ingestedAt, String newTitle, String newEmail,
                        LocalDate returnDate) {
    }

    private static final String INSERT = """
            INSERT INTO determinations (id, run_id, determination, email, email_normalized, account_name, business_unit,
                received_at, new_title, new_email, return_date, content_hash, ingested_at, suppression_target)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";

    /**
     * The stored run and hash of each id, one primary-key probe per id: correlated scalar subqueries
     * are never turned into a join, so no statistics (stale, missing, or a big IN list read as "most
     * of the table") can make the planner scan the ledger instead. Ids that are not stored come back
     * with nulls. Written once for H2 and PostgreSQL (both take the ids as one array parameter).
     */
    static final String FIND = """
            SELECT k.id,
                   (SELECT d.run_id FROM determinations d WHERE d.id = k.id),
                   (SELECT d.content_hash FROM determinations d WHERE d.id = k.id)
            FROM UNNEST(?) AS k(id)""";

    private final AgroalDataSource dataSource;

    Ledger(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The stored run and hash of each of the given ids that exists. */
    public Map<String, Stored> find(Collection<String> ids) {
        Map<String, Stored> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(2) != null) {
                        found.put(rs.getString(1), new Stored(rs.getString(2), rs.getString(3)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the ledger", e);
        }
        return found;
    }

    /**
     * Inserts the determinations, skipping ids that exist already (the primary key decides, so no
     * read comes first). Returns the ones this call inserted; the caller looks up the others with
     * {@link #find} to tell a replay from a conflict.
     *
     * @param suppressionTarget the data extension an INACTIVE determination is routed to ('' when
     *                          skipped), null for other types; stored for the internal CSV's join
     */
    public List<Determination> insert(List<Determination> determinations, Instant now,
                                      Function<Determination, String> suppressionTarget) {
        Timestamp ingestedAt = Timestamp.from(now);
        List<Determination> inserted = new ArrayList<>(determinations.size());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (Determination d : determinations) {
                ps.setString(1, d.id());
                ps.setString(2, d.runId());
                ps.setString(3, d.type().name());
                ps.setString(4, d.email());
                ps.setString(5, d.emailNormalized());
                ps.setString(6, d.accountName());
                ps.setString(7, d.businessUnit());
                ps.setTimestamp(8, d.receivedAt() == null ? null : Timestamp.from(d.receivedAt()));
                ps.setString(9, d.newTitle());
                ps.setString(10, d.newEmail());
                if (d.returnDate() == null) {
                    ps.setNull(11, Types.DATE);
                } else {
                    ps.setObject(11, d.returnDate());
                }
                ps.setString(12, d.contentHash());
                ps.setTimestamp(13, ingestedAt);
                ps.setString(14, suppressionTarget.apply(d));
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] != 0) {
                    inserted.add(determinations.get(i));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the ledger", e);
        }
        return inserted;
    }

    /** Determinations of a run per type, every type present (0 when none). */
    public Map<String, Long> countsForRun(String runId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DeterminationType type : DeterminationType.values()) {
            counts.put(type.name(), 0L);
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT determination, COUNT(*) FROM determinations WHERE run_id = ? GROUP BY determination")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count determinations", e);
        }
        return counts;
    }

    /** Addresses of a run with both an INACTIVE and an ACTIVE determination (DESIGN section 8). */
    public long conflictsForRun(String runId) {
        String sql = """
                SELECT COUNT(*) FROM (
                    SELECT email_normalized FROM determinations
                    WHERE run_id = ? AND determination IN ('INACTIVE', 'ACTIVE')
                    GROUP BY email_normalized HAVING COUNT(DISTINCT determination) = 2) conflicting""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count conflicts", e);
        }
    }

    /** Every determination of one address (normalized), newest first. */
    public List<Entry> forEmail(String emailNormalized, int limit) {
        String sql = """
                SELECT id, run_id, determination, email, account_name, business_unit, received_at, ingested_at,
                       new_title, new_email, return_date
                FROM determinations WHERE email_normalized = ? ORDER BY ingested_at DESC, id LIMIT ?""";
        List<Entry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, emailNormalized);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp received = rs.getTimestamp(7);
                    entries.add(new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), received == null ? null : received.toInstant(),
                            rs.getTimestamp(8).toInstant(), rs.getString(9), rs.getString(10),
                            rs.getObject(11, LocalDate.class)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the ledger", e);
        }
        return entries;
    }
}
