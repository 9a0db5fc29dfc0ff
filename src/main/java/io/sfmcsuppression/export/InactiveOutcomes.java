package io.sfmcsuppression.export;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.function.Consumer;

import io.sfmcsuppression.suppression.OutboxState;

/**
 * The export's one query across two tables: every INACTIVE determination of a run beside the outcome
 * of its suppression, in the internal file's order (address, then determination id). The join is
 * {@code determinations LEFT JOIN suppression_outbox} on run, target and normalised address, the
 * outbox's unique key, so each determination meets at most its own row; a determination without one
 * (never queued) has no state. It lives in the export, not in either table's repository, because it
 * is the export's report over both; rows are streamed ({@code fetchSize} at a time), never collected.
 */
final class InactiveOutcomes {

    /** One determination and its suppression; {@code state} is null when none was queued. */
    record Row(String determinationId, String email, String accountName, String businessUnit, Instant receivedAt,
               String target, OutboxState state, String reason, String sfmcMessage) {
    }

    private static final String SQL = """
            SELECT d.id, d.email_normalized, d.account_name, d.business_unit, d.received_at, d.suppression_target,
                   o.state, o.reason, o.sfmc_message
            FROM determinations d
            LEFT JOIN suppression_outbox o
                   ON o.run_id = d.run_id AND o.target = d.suppression_target AND o.email_normalized = d.email_normalized
            WHERE d.run_id = ? AND d.determination = 'INACTIVE'
            ORDER BY d.email_normalized%1$s, d.id%1$s""";

    private InactiveOutcomes() {
    }

    /** Hands every row of the run to {@code each}, on the caller's connection; {@code collate} fixes the order across databases. */
    static void stream(Connection c, String collate, String runId, int fetchSize, Consumer<Row> each) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.formatted(collate))) {
            ps.setFetchSize(fetchSize);
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime received = rs.getObject(5, OffsetDateTime.class);
                    String state = rs.getString(7);
                    each.accept(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            received == null ? null : received.toInstant(), rs.getString(6),
                            state == null ? null : OutboxState.valueOf(state), rs.getString(8), rs.getString(9)));
                }
            }
        }
    }
}
