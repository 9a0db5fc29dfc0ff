package io.sfmcsuppression.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/** SQL of the run_exports and run_deliverables tables. */
@ApplicationScoped
class ExportRepository {

    /** A run's mail as stored. */
    record NotificationRecord(NotificationState state, String reason, int attempts, String lastError,
                              Instant nextAttemptAt, Instant sentAt, List<String> to, List<String> cc, String subject) {
    }

    private static final String DELIVERABLE_COLUMNS = "file_name, kind, business_unit, row_count, size_bytes, sha256";

    private final AgroalDataSource dataSource;

    ExportRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Creates the run's export row unless it exists. */
    void ensure(String runId, Instant now) {
        update("INSERT INTO run_exports (run_id, notification_state, notification_attempts, created_at, updated_at) "
                + "VALUES (?, ?, 0, ?, ?) ON CONFLICT DO NOTHING",
                runId, NotificationState.NOT_EXPORTED.name(), Timestamp.from(now), Timestamp.from(now));
    }

    /**
     * Claims the run for the current transaction: locks its export row unless another transaction
     * (this or another replica) holds it. False means someone else is working on the run.
     */
    boolean claim(String runId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT run_id FROM run_exports WHERE run_id = ? FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not claim run " + runId + " for export", e);
        }
    }

    /** Replaces the run's recorded files by the ones just written. */
    void replaceDeliverables(String runId, List<WrittenFile> files, Instant now) {
        update("DELETE FROM run_deliverables WHERE run_id = ?", runId);
        String sql = "INSERT INTO run_deliverables (run_id, " + DELIVERABLE_COLUMNS + ", written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (WrittenFile f : files) {
                ps.setString(1, runId);
                ps.setString(2, f.name());
                ps.setString(3, f.kind());
                ps.setString(4, f.businessUnit());
                ps.setLong(5, f.rows());
                ps.setLong(6, f.sizeBytes());
                ps.setString(7, f.sha256());
                ps.setTimestamp(8, Timestamp.from(now));
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the files of run " + runId, e);
        }
    }

    /** The run's recorded files, N04 files first, by name. */
    List<WrittenFile> deliverables(String runId) {
        String sql = "SELECT " + DELIVERABLE_COLUMNS + " FROM run_deliverables WHERE run_id = ? ORDER BY kind, file_name";
        List<WrittenFile> files = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    files.add(new WrittenFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), rs.getString(6)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the files of run " + runId, e);
        }
        files.sort((a, b) -> a.isN04() == b.isN04() ? a.name().compareTo(b.name()) : a.isN04() ? -1 : 1);
        return files;
    }

    /** Records the finished export and where the mail starts from. */
    void recordExport(String runId, long pendingAtExport, long n04Rows, NotificationState state, String reason,
                      Recipients recipients, String subject, Instant now) {
        update("""
                UPDATE run_exports SET exported_at = ?, pending_at_export = ?, n04_rows = ?, notification_state = ?,
                    notification_reason = ?, notification_next_attempt_at = ?, notification_to = ?, notification_cc = ?,
                    notification_subject = ?, updated_at = ?
                WHERE run_id = ?""",
                Timestamp.from(now), pendingAtExport, n04Rows, state.name(), reason,
                state == NotificationState.PENDING ? Timestamp.from(now) : null,
                recipients == null ? null : String.join(",", recipients.to()),
                recipients == null ? null : String.join(",", recipients.cc()),
                subject, Timestamp.from(now), runId);
    }

    Optional<NotificationRecord> notification(String runId) {
        String sql = """
                SELECT notification_state, notification_reason, notification_attempts, notification_last_error,
                       notification_next_attempt_at, notification_sent_at, notification_to, notification_cc, notification_subject
                FROM run_exports WHERE run_id = ?""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new NotificationRecord(NotificationState.valueOf(rs.getString(1)), rs.getString(2),
                        rs.getInt(3), rs.getString(4), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
                        list(rs.getString(7)), list(rs.getString(8)), rs.getString(9)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the mail state of run " + runId, e);
        }
    }

    Optional<LastExport> lastExport() {
        String sql = """
                SELECT run_id, exported_at, n04_rows, pending_at_export, notification_state, notification_sent_at
                FROM run_exports WHERE exported_at IS NOT NULL
                ORDER BY exported_at DESC, run_id DESC LIMIT 1""";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of(new LastExport(rs.getString(1), instant(rs.getTimestamp(2)), rs.getLong(3), rs.getLong(4),
                    rs.getString(5), instant(rs.getTimestamp(6))));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the last export", e);
        }
    }

    /** Runs whose mail is due (PENDING or RETRYING and its time has come), oldest first. */
    List<String> dueNotifications(Instant now, int limit) {
        String sql = """
                SELECT run_id FROM run_exports
                WHERE notification_state IN ('PENDING', 'RETRYING') AND notification_next_attempt_at <= ?
                ORDER BY notification_next_attempt_at, run_id LIMIT ?""";
        List<String> due = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not find due mails", e);
        }
        return due;
    }

    void notificationSent(String runId, int attempts, Recipients recipients, String subject, Instant now) {
        update("""
                UPDATE run_exports SET notification_state = ?, notification_attempts = ?, notification_sent_at = ?,
                    notification_next_attempt_at = NULL, notification_last_error = NULL, notification_to = ?,
                    notification_cc = ?, notification_subject = ?, updated_at = ?
                WHERE run_id = ?""",
                NotificationState.SENT.name(), attempts, Timestamp.from(now), String.join(",", recipients.to()),
                String.join(",", recipients.cc()), subject, Timestamp.from(now), runId);
    }

    void notificationFailed(String runId, int attempts, String error, Instant nextAttemptAt, Instant now) {
        update("""
                UPDATE run_exports SET notification_state = ?, notification_attempts = ?, notification_last_error = ?,
                    notification_next_attempt_at = ?, updated_at = ?
                WHERE run_id = ?""",
                NotificationState.RETRYING.name(), attempts, truncate(error, 2000), Timestamp.from(nextAttemptAt),
                Timestamp.from(now), runId);
    }

    void notificationWithheld(String runId, String reason, Instant now) {
        update("""
                UPDATE run_exports SET notification_state = ?, notification_reason = ?, notification_next_attempt_at = NULL,
                    updated_at = ?
                WHERE run_id = ?""",
                NotificationState.WITHHELD.name(), truncate(reason, 500), Timestamp.from(now), runId);
    }

    private void update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update the export state", e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static List<String> list(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }
}
