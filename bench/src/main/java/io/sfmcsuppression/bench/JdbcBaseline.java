package io.sfmcsuppression.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * The intake baseline: the same rows into the same tables with plain JDBC batches, one transaction
 * per batch of determinations, as the service does, and nothing else (no HTTP, no JSON, no
 * validation, no idempotency read, no second pass to record the routing: the target goes into the
 * determination's insert). What the database can take on this machine.
 */
final class JdbcBaseline implements Load.Client {

    private static final Set<String> RETRY_STATES = Set.of("40001", "40P01");

    private static final String RUN = """
            INSERT INTO runs (run_id, run_date, state, created_at, last_batch_at) VALUES (?, ?, 'OPEN', ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String DETERMINATION = """
            INSERT INTO determinations (id, run_id, determination, email, email_normalized, account_name, business_unit,
                received_at, new_title, new_email, return_date, suppression_target, content_hash, ingested_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String PERSON = """
            INSERT INTO run_inactive_people (run_id, business_unit, email_normalized) VALUES (?, ?, ?)
            ON CONFLICT DO NOTHING""";
    private static final String OUTBOX = """
            INSERT INTO suppression_outbox (run_id, target, email_normalized, account_name, run_date, state, reason,
                attempts, created_at, updated_at, origin, origin_determination_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'classifier', ?)
            ON CONFLICT DO NOTHING""";
    private static final String TOUCH_RUN = "UPDATE runs SET last_batch_at = ? WHERE run_id = ? AND state = 'OPEN'";

    private static final String ROUTE = "UPDATE determinations SET suppression_target = ? WHERE id = ?";

    private final Connection connection;
    private final boolean twoPass;

    /**
     * @param twoPass write the routing as the service does: the determinations without it, then an
     *                UPDATE per INACTIVE row after the outbox (a diagnostic variant, --two-pass)
     */
    JdbcBaseline(Postgres db, boolean twoPass) throws SQLException {
        this.connection = db.connect();
        this.twoPass = twoPass;
        connection.setAutoCommit(false);
    }

    @Override
    public int send(Workload.Batch batch) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                int stored = store(batch);
                connection.commit();
                return stored;
            } catch (SQLException e) {
                connection.rollback();
                if (attempt >= 3 || !RETRY_STATES.contains(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private int store(Workload.Batch batch) throws SQLException {
        Timestamp now = Timestamp.from(Instant.now());
        LocalDate runDate = LocalDate.parse(Workload.RUN_DATE);
        try (PreparedStatement ps = connection.prepareStatement(RUN)) {
            ps.setString(1, batch.runId());
            ps.setObject(2, runDate);
            ps.setTimestamp(3, now);
            ps.setTimestamp(4, now);
            ps.executeUpdate();
        }
        int stored = 0;
        try (PreparedStatement ps = connection.prepareStatement(DETERMINATION)) {
            for (Workload.Row r : batch.rows()) {
                ps.setString(1, r.id());
                ps.setString(2, r.runId());
                ps.setString(3, r.type());
                ps.setString(4, r.email());
                ps.setString(5, r.emailNormalized());
                ps.setString(6, r.accountName());
                ps.setString(7, r.businessUnit());
                ps.setTimestamp(8, Timestamp.from(r.receivedAt()));
                ps.setString(9, r.newTitle());
                ps.setString(10, r.newEmail());
                if (r.returnDate() == null) {
                    ps.setNull(11, Types.DATE);
                } else {
                    ps.setObject(11, r.returnDate());
                }
                ps.setString(12, twoPass ? null : r.target());
                ps.setString(13, r.contentHash());
                ps.setTimestamp(14, now);
                ps.addBatch();
            }
            for (int count : ps.executeBatch()) {
                stored += count == 0 ? 0 : 1;
            }
        }
        try (PreparedStatement people = connection.prepareStatement(PERSON);
             PreparedStatement outbox = connection.prepareStatement(OUTBOX)) {
            for (Workload.Row r : batch.rows()) {
                if (!r.inactive()) {
                    continue;
                }
                people.setString(1, r.runId());
                people.setString(2, r.businessUnit());
                people.setString(3, r.emailNormalized());
                people.addBatch();
                boolean skipped = r.target().isEmpty();
                outbox.setString(1, r.runId());
                outbox.setString(2, r.target());
                outbox.setString(3, r.emailNormalized());
                outbox.setString(4, r.accountName());
                outbox.setObject(5, runDate);
                outbox.setString(6, skipped ? "SKIPPED" : "PENDING");
                outbox.setString(7, skipped ? "NO_MAPPING" : null);
                outbox.setTimestamp(8, now);
                outbox.setTimestamp(9, now);
                outbox.setString(10, r.id());
                outbox.addBatch();
            }
            people.executeBatch();
            outbox.executeBatch();
        }
        if (twoPass) {
            try (PreparedStatement route = connection.prepareStatement(ROUTE)) {
                for (Workload.Row r : batch.rows()) {
                    if (r.inactive()) {
                        route.setString(1, r.target());
                        route.setString(2, r.id());
                        route.addBatch();
                    }
                }
                route.executeBatch();
            }
        }
        try (PreparedStatement ps = connection.prepareStatement(TOUCH_RUN)) {
            ps.setTimestamp(1, now);
            ps.setString(2, batch.runId());
            ps.executeUpdate();
        }
        return stored;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
