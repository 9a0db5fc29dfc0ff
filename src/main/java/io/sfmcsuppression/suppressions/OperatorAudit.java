package io.sfmcsuppression.suppressions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/** The operator_audit table: every operator action with who (the API key's name), why and what came of it. */
@ApplicationScoped
public class OperatorAudit {

    /** What an operator did. */
    public enum Action { RELEASE, REQUEUE, RESEND_N04, REEXPORT, PAUSE_FLUSHER, RESUME_FLUSHER, IMPORT, ADD }

    /** One recorded action. */
    public record Entry(long id, Instant occurredAt, String actor, Action action, String subject, String reason, String outcome) {
    }

    private final AgroalDataSource dataSource;

    OperatorAudit(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(String actor, Action action, String subject, String reason, String outcome, Instant now) {
        String sql = "INSERT INTO operator_audit (occurred_at, actor, action, subject, reason, outcome) VALUES (?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, actor);
            ps.setString(3, action.name());
            ps.setString(4, truncate(subject, 500));
            ps.setString(5, truncate(reason, 500));
            ps.setString(6, truncate(outcome, 2000));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not write the operator audit log", e);
        }
    }

    /** The newest entries first. */
    public List<Entry> recent(int limit) {
        String sql = "SELECT id, occurred_at, actor, action, subject, reason, outcome FROM operator_audit ORDER BY id DESC LIMIT ?";
        List<Entry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    entries.add(new Entry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            Action.valueOf(rs.getString(4)), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the operator audit log", e);
        }
        return entries;
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
