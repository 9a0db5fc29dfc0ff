package io.sfmcsuppression.consent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * The append-only audit log of consent decisions and opt-outs (table {@code consent_audit}):
 * who asked, about which key, what was decided and on which SFMC evidence. Rows are only ever
 * inserted, and deleted by the retention purge.
 */
@ApplicationScoped
public class ConsentAudit {

    /** What an audit row records. */
    public enum Kind {
        /** A pre-send decision. */
        DECISION,
        /** An opt-out was received and recorded as pending. */
        OPT_OUT_RECEIVED,
        /** SFMC reported the opt-out's new status. */
        OPT_OUT_CONFIRMED,
        /** An attempt to propagate an opt-out did not confirm it; it stays pending. */
        OPT_OUT_ATTEMPT_FAILED,
        /** SFMC refused the opt-out for its content; it is not retried. */
        OPT_OUT_FAILED
    }

    public record Entry(Instant at, Kind kind, String actor, String subscriberKey, String subject, String outcome,
                 String detail, String evidence, Long optOutId) {
    }

    private static final String INSERT = """
            INSERT INTO consent_audit (occurred_at, kind, actor, subscriber_key, subject, outcome, detail, evidence, opt_out_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final int BATCH = 1_000;

    private final AgroalDataSource dataSource;

    ConsentAudit(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void append(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            int pending = 0;
            for (Entry e : entries) {
                ps.setTimestamp(1, Timestamp.from(e.at()));
                ps.setString(2, e.kind().name());
                ps.setString(3, cut(e.actor(), 100));
                ps.setString(4, cut(e.subscriberKey(), 254));
                ps.setString(5, cut(e.subject(), 300));
                ps.setString(6, cut(e.outcome(), 40));
                ps.setString(7, cut(e.detail(), 1000));
                ps.setString(8, cut(e.evidence(), 4000));
                if (e.optOutId() == null) {
                    ps.setNull(9, Types.BIGINT);
                } else {
                    ps.setLong(9, e.optOutId());
                }
                ps.addBatch();
                if (++pending == BATCH) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the consent audit log", e);
        }
    }

    public void append(Entry entry) {
        append(List.of(entry));
    }

    /** Deletes rows older than {@code cutoff}; returns how many. */
    int purgeOlderThan(Instant cutoff) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM consent_audit WHERE occurred_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not purge the consent audit log", e);
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
