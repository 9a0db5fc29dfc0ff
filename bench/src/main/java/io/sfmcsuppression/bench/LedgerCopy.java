package io.sfmcsuppression.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Fills a run with settled INACTIVE determinations fast, for figures that measure what comes after
 * intake (the export): the rows {@link JdbcBaseline} would write for the same {@link Workload} rows,
 * streamed with {@code COPY ... FROM STDIN} into the three ledger tables at once, one connection
 * each. The suppressions are already settled, as after a drain: mapped rows {@code ADDED}, unmapped
 * ones {@code SKIPPED} with {@code NO_MAPPING}. The run is left {@code OPEN}.
 */
final class LedgerCopy {

    private static final String DETERMINATIONS = "COPY determinations (id, run_id, determination, email, email_normalized, "
            + "account_name, business_unit, received_at, new_title, new_email, return_date, suppression_target, content_hash, "
            + "ingested_at) FROM STDIN (FORMAT csv)";
    private static final String PEOPLE = "COPY run_inactive_people (run_id, business_unit, email_normalized) FROM STDIN (FORMAT csv)";
    private static final String OUTBOX = "COPY suppression_outbox (run_id, target, email_normalized, account_name, run_date, state, "
            + "reason, attempts, created_at, updated_at, origin, origin_determination_id) FROM STDIN (FORMAT csv)";

    /** What was loaded: rows per table, and the N04 rows per business unit. */
    record Loaded(int determinations, long marketing, long sales) {
    }

    private LedgerCopy() {
    }

    /** The first {@code n} generated INACTIVE rows with distinct addresses (1 in 70 of them unmapped), loaded into {@code runId}. */
    static Loaded inactiveRun(Postgres db, String runId, int n) throws SQLException, IOException {
        String now = Instant.now().toString();
        insertRun(db, runId, now);
        List<Connection> connections = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                connections.add(db.connect());
            }
            long marketing = 0;
            long sales = 0;
            try (Writer determinations = copy(connections.get(0), DETERMINATIONS);
                 Writer people = copy(connections.get(1), PEOPLE);
                 Writer outbox = copy(connections.get(2), OUTBOX)) {
                int loaded = 0;
                for (int g = 0; loaded < n; g++) {
                    Workload.Row r = Workload.row(runId, g);
                    if (!r.inactive() || g % 50 == 49) {
                        continue;
                    }
                    loaded++;
                    boolean skipped = r.target().isEmpty();
                    line(determinations, r.id(), r.runId(), r.type(), r.email(), r.emailNormalized(), r.accountName(), r.businessUnit(),
                            r.receivedAt().toString(), null, null, null, r.target(), r.contentHash(), now);
                    line(people, r.runId(), r.businessUnit(), r.emailNormalized());
                    line(outbox, r.runId(), r.target(), r.emailNormalized(), r.accountName(), Workload.RUN_DATE,
                            skipped ? "SKIPPED" : "ADDED", skipped ? "NO_MAPPING" : null, skipped ? "0" : "1", now, now,
                            "classifier", r.id());
                    if ("Sales".equals(r.businessUnit())) {
                        sales++;
                    } else {
                        marketing++;
                    }
                }
            }
            try (Statement s = connections.get(0).createStatement()) {
                s.execute("VACUUM ANALYZE runs, determinations, run_inactive_people, suppression_outbox");
            }
            return new Loaded(n, marketing, sales);
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    private static void insertRun(Postgres db, String runId, String now) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("INSERT INTO runs (run_id, run_date, state, created_at, last_batch_at) "
                     + "VALUES (?, ?, 'OPEN', ?, ?)")) {
            ps.setString(1, runId);
            ps.setObject(2, LocalDate.parse(Workload.RUN_DATE));
            ps.setTimestamp(3, Timestamp.from(Instant.parse(now)));
            ps.setTimestamp(4, Timestamp.from(Instant.parse(now)));
            ps.executeUpdate();
        }
    }

    private static Writer copy(Connection c, String sql) throws SQLException {
        return new BufferedWriter(new OutputStreamWriter(new PGCopyOutputStream(c.unwrap(PGConnection.class), sql, 1 << 16),
                StandardCharsets.UTF_8), 1 << 16);
    }

    /** One CSV line: null as an unquoted empty field (SQL NULL), every value quoted (so '' stays an empty string). */
    private static void line(Writer out, String... values) throws IOException {
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            if (values[i] != null) {
                out.write('"');
                out.write(values[i].replace("\"", "\"\""));
                out.write('"');
            }
        }
        out.write('\n');
    }
}
