package io.sfmcsuppression.suppressions;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.sfmcsuppression.suppression.Origin;
import io.sfmcsuppression.web.ProblemException;

/**
 * Reads the suppression list: pages, a whole filtered list as a stream, one row. Pages are keyset
 * pages on the row id, newest first: the cursor is the last id seen, so rows added while a client
 * pages never shift what it has not read yet (they are newer than its first page) and no row is
 * listed twice. The business unit is the one of the determination that asked for the row.
 */
@ApplicationScoped
public class SuppressionCatalog {

    /** Most items per page. */
    public static final int MAX_LIMIT = 1000;

    private static final String SELECT = """
            SELECT o.id, o.email_normalized, o.target, d.business_unit, o.account_name, o.run_id, o.run_date, o.state,
                   o.reason, o.attempts, o.sfmc_message, o.origin, o.origin_determination_id, o.origin_key_name,
                   o.origin_note, o.origin_file, o.origin_line, o.created_at, o.updated_at, o.released_at,
                   o.released_by, o.release_reason
              FROM suppression_outbox o
              LEFT JOIN determinations d ON d.id = o.origin_determination_id
             WHERE 1 = 1""";
    /**
     * In effect, and the address had an ACTIVE determination after the INACTIVE that suppressed it
     * (by received time, else ingest time; rows without a determination by their creation).
     */
    private static final String NEEDS_REVIEW = """
             AND o.state IN ('ADDED', 'VERIFIED') AND EXISTS (
                 SELECT 1 FROM determinations a
                  WHERE a.email_normalized = o.email_normalized AND a.determination = 'ACTIVE'
                    AND COALESCE(a.received_at, a.ingested_at) > COALESCE(COALESCE(d.received_at, d.ingested_at), o.created_at))""";
    private static final String CURSOR_PREFIX = "v1:";

    private final AgroalDataSource dataSource;

    SuppressionCatalog(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A page of at most {@code limit} rows after {@code cursor} (null for the first page). */
    public SuppressionPage page(SuppressionFilter filter, String cursor, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        Long after = cursor == null || cursor.isBlank() ? null : decode(cursor);
        List<SuppressionView> items = new ArrayList<>(limit + 1);
        query(filter, after, limit + 1, 0, items::add);
        boolean more = items.size() > limit;
        List<SuppressionView> page = more ? items.subList(0, limit) : items;
        return new SuppressionPage(List.copyOf(page), more ? encode(page.get(page.size() - 1).id()) : null);
    }

    /**
     * Hands every filtered row to {@code sink}, newest first, reading {@code fetchSize} rows at a
     * time: the list is never held in memory (PostgreSQL streams with a cursor only outside
     * autocommit, so the read runs in a read-only transaction of its own).
     */
    public void stream(SuppressionFilter filter, int fetchSize, Consumer<SuppressionView> sink) {
        query(filter, null, 0, fetchSize, sink);
    }

    /** One row by id. */
    public Optional<SuppressionView> find(long id) {
        List<SuppressionView> found = new ArrayList<>(1);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SELECT + " AND o.id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(view(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read suppression " + id, e);
        }
        return found.stream().findFirst();
    }

    private void query(SuppressionFilter f, Long after, int limit, int fetchSize, Consumer<SuppressionView> sink) {
        StringBuilder sql = new StringBuilder(SELECT);
        List<Object> params = new ArrayList<>();
        where(sql, params, " AND o.target = ?", f.dataExtensionKey());
        where(sql, params, " AND d.business_unit = ?", f.businessUnit());
        where(sql, params, " AND o.state = ?", f.state() == null ? null : f.state().name());
        where(sql, params, " AND o.reason = ?", f.reason());
        where(sql, params, " AND o.origin = ?", f.origin() == null ? null : f.origin().value());
        where(sql, params, " AND o.created_at >= ?", f.createdFrom() == null ? null : Timestamp.from(f.createdFrom()));
        where(sql, params, " AND o.created_at < ?", f.createdTo() == null ? null : Timestamp.from(f.createdTo()));
        where(sql, params, " AND o.email_normalized = ?", f.address());
        where(sql, params, " AND o.id < ?", after);
        if (f.needsReview()) {
            sql.append(' ').append(NEEDS_REVIEW);
        }
        sql.append(" ORDER BY o.id DESC");
        if (limit > 0) {
            sql.append(" LIMIT ").append(limit);
        }
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            if (fetchSize > 0 && autoCommit) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                if (fetchSize > 0) {
                    ps.setFetchSize(fetchSize);
                }
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(view(rs));
                    }
                }
            } finally {
                if (fetchSize > 0 && autoCommit) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the suppression list", e);
        }
    }

    private static void where(StringBuilder sql, List<Object> params, String clause, Object value) {
        if (value != null) {
            sql.append(clause);
            params.add(value);
        }
    }

    private static SuppressionView view(ResultSet rs) throws SQLException {
        String target = rs.getString(3);
        Origin.Kind kind = Origin.Kind.of(rs.getString(12));
        long line = rs.getLong(17);
        Long originLine = rs.wasNull() ? null : line;
        Origin origin = new Origin(kind, rs.getString(13), kind == Origin.Kind.CLASSIFIER ? rs.getString(6) : null,
                rs.getString(14), rs.getString(15), rs.getString(16), originLine);
        Timestamp releasedAt = rs.getTimestamp(20);
        return new SuppressionView(rs.getLong(1), rs.getString(2), target.isEmpty() ? null : target, rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getObject(7, LocalDate.class), rs.getString(8), rs.getString(9),
                rs.getInt(10), rs.getString(11), origin, instant(rs.getTimestamp(18)), instant(rs.getTimestamp(19)),
                releasedAt == null ? null : new SuppressionView.Release(rs.getString(21), rs.getString(22), releasedAt.toInstant()));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    static String encode(long id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((CURSOR_PREFIX + id).getBytes(StandardCharsets.UTF_8));
    }

    static long decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            if (!plain.startsWith(CURSOR_PREFIX)) {
                throw new IllegalArgumentException(plain);
            }
            return Long.parseLong(plain.substring(CURSOR_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("cursor is not one this service handed out");
        }
    }
}
