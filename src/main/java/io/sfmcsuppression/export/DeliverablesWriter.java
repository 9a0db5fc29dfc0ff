package io.sfmcsuppression.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

import io.agroal.api.AgroalDataSource;
import io.sfmcsuppression.config.DeliverablesConfig;
import io.sfmcsuppression.run.Run;
import io.sfmcsuppression.suppression.OutboxState;
import io.sfmcsuppression.suppression.SkipReason;
import io.sfmcsuppression.web.SpreadsheetCells;

/**
 * Writes a run's deliverables (DESIGN section 5) by streaming rows from the database into files:
 * a run is never held in memory. The same run gives the same bytes every time. The N04 files come
 * from {@code run_inactive_people}; the internal file from {@link InactiveOutcomes}, the export's one
 * query across the determinations and the outbox.
 */
@ApplicationScoped
class DeliverablesWriter {

    static final String INTERNAL_NAME = "output_document_inactive_people.csv";
    static final String N04_MARKER = "_NoLongerThere_";

    private static final CSVFormat N04_FORMAT = CSVFormat.DEFAULT.builder()
            .setHeader("Email Address", "Status", "Date Added").get();
    // Every cell quoted: a spreadsheet whose list separator is ';' (or any other) then cannot split
    // a cell such as "x;=HYPERLINK(...)" into a new cell that starts with a formula character.
    static final CSVFormat INTERNAL_FORMAT = CSVFormat.DEFAULT.builder().setQuoteMode(QuoteMode.ALL)
            .setHeader("determination_id", "email", "account_name", "business_unit", "run_id", "run_date", "received_at",
                    "data_extension_key", "suppression_status", "sfmc_suppression_added", "detail").get();
    private static final String STATUS = "Unsubscribed";

    private final AgroalDataSource dataSource;
    private final DeliverablesConfig deliverables;
    private final ExportConfig config;

    DeliverablesWriter(AgroalDataSource dataSource, DeliverablesConfig deliverables, ExportConfig config) {
        this.dataSource = dataSource;
        this.deliverables = deliverables;
        this.config = config;
    }

    /** The folder of a run's files. */
    Path runDir(String runId) {
        return deliverables.dir().resolve(runId);
    }

    static String n04Name(String businessUnit, LocalDate runDate) {
        return businessUnit + N04_MARKER + runDate + ".csv";
    }

    /**
     * Writes every file of the run, replacing earlier ones, and returns them N04 files first (by
     * business unit), the internal file last. Runs inside the caller's transaction, on its connection.
     */
    List<WrittenFile> write(Run run) {
        Path dir = runDir(run.runId());
        try {
            Files.createDirectories(dir);
            removeLeftoverTempFiles(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare " + dir, e);
        }
        try (Connection c = dataSource.getConnection()) {
            String collate = collation(c);
            List<WrittenFile> files = new ArrayList<>(writeN04Files(c, collate, run, dir));
            files.add(writeInternalFile(c, collate, run, dir));
            return files;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read run " + run.runId() + " for its export", e);
        }
    }

    private List<WrittenFile> writeN04Files(Connection c, String collate, Run run, Path dir) throws SQLException {
        String sql = "SELECT business_unit, email_normalized FROM run_inactive_people WHERE run_id = ? "
                + "ORDER BY business_unit" + collate + ", email_normalized" + collate;
        String date = run.runDate().toString();
        List<WrittenFile> files = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(config.fetchSize());
            ps.setString(1, run.runId());
            try (ResultSet rs = ps.executeQuery()) {
                CsvFile current = null;
                String currentUnit = null;
                try {
                    while (rs.next()) {
                        String unit = rs.getString(1);
                        if (!unit.equals(currentUnit)) {
                            if (current != null) {
                                files.add(current.commit());
                            }
                            current = CsvFile.create(dir, n04Name(unit, run.runDate()), WrittenFile.N04, unit, N04_FORMAT);
                            currentUnit = unit;
                        }
                        current.row(rs.getString(2), STATUS, date);
                    }
                    if (current != null) {
                        files.add(current.commit());
                    }
                } finally {
                    if (current != null) {
                        current.close();
                    }
                }
            }
        }
        return files;
    }

    private WrittenFile writeInternalFile(Connection c, String collate, Run run, Path dir) throws SQLException {
        String date = run.runDate().toString();
        try (CsvFile file = CsvFile.create(dir, INTERNAL_NAME, WrittenFile.INTERNAL, null, INTERNAL_FORMAT)) {
            InactiveOutcomes.stream(c, collate, run.runId(), config.fetchSize(), row -> {
                // Every unrouted determination of an address shares one outbox row (target ''), whose
                // reason is the first one's: each row states its own (issue 14).
                String reason = "".equals(row.target()) && row.state() != null
                        ? SkipReason.unrouted(row.accountName()).name() : row.reason();
                file.row(cell(row.determinationId()), cell(row.email()), cell(row.accountName()), cell(row.businessUnit()),
                        cell(run.runId()), date, row.receivedAt() == null ? "" : row.receivedAt().toString(),
                        cell(row.target()), row.state() == null ? "NOT_QUEUED" : row.state().name(),
                        confirmed(row.state()) ? "Yes" : "No", cell(detail(row.state(), reason, row.sfmcMessage())));
            });
            return file.commit();
        }
    }

    /** DESIGN rule 4: SFMC confirmed the upsert (ADDED), and possibly it was read back too (VERIFIED). */
    private static boolean confirmed(OutboxState state) {
        return state == OutboxState.ADDED || state == OutboxState.VERIFIED;
    }

    private static String detail(OutboxState state, String reason, String sfmcMessage) {
        if (state == null) {
            return "no suppression was queued for this row";
        }
        return switch (state) {
            case PENDING -> "not yet confirmed by SFMC when exported; retried afterwards";
            // Why an ADDED row was not read back ("Read-back failed: ..."), when its read failed.
            case ADDED -> sfmcMessage == null ? "" : sfmcMessage;
            case SKIPPED -> reason == null ? "" : reason;
            case FAILED -> sfmcMessage == null ? "" : sfmcMessage;
            case VERIFIED, RELEASED -> "";
        };
    }

    /** A cell a spreadsheet would run as a formula gets a leading apostrophe ({@link SpreadsheetCells}). */
    static String cell(String value) {
        return SpreadsheetCells.text(value);
    }

    /** Plain string order on PostgreSQL whatever the database's collation; H2 compares strings plainly already. */
    private static String collation(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres") ? " COLLATE \"C\"" : "";
    }

    private static void removeLeftoverTempFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path leftover : files.filter(p -> p.getFileName().toString().endsWith(CsvFile.TEMP_SUFFIX)).toList()) {
                Files.deleteIfExists(leftover);
            }
        }
    }
}
