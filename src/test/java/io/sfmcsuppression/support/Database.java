package io.sfmcsuppression.support;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/** Direct reads of the service's tables, to check what a request did or did not change. */
@ApplicationScoped
public class Database {

    /** The tables requests write, the operator's switch and audit log included. */
    private static final String[] TABLES = {"suppression_outbox", "run_inactive_people", "determinations", "runs",
            "run_exports", "run_deliverables", "consent_opt_outs", "consent_audit", "operator_audit", "flusher_control"};

    private final AgroalDataSource dataSource;

    Database(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every row of every table that requests write, by content, each table's rows sorted. */
    public record Snapshot(Map<String, List<String>> rows) {
    }

    /**
     * The tables' content once nothing changes it (two reads 100 ms apart agree): the flusher and
     * the export finish what earlier requests started in the background, so equal snapshots around a
     * request mean that request changed nothing, not merely that it added no row.
     */
    public Snapshot snapshot() {
        AtomicReference<Snapshot> previous = new AtomicReference<>(read());
        return await("the tables to settle").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Snapshot now = read();
                    return now.equals(previous.getAndSet(now)) ? now : null;
                }, Objects::nonNull);
    }

    private Snapshot read() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            for (String table : TABLES) {
                List<String> lines = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData columns = rs.getMetaData();
                    while (rs.next()) {
                        StringJoiner line = new StringJoiner(", ", "{", "}");
                        for (int i = 1; i <= columns.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            line.add(columns.getColumnLabel(i).toLowerCase(Locale.ROOT) + "="
                                    + (value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value));
                        }
                        lines.add(line.toString());
                    }
                }
                Collections.sort(lines);
                rows.put(table, lines);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new Snapshot(rows);
    }

    public long count(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public String string(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an update, for test setups that put rows into a state no request can (yet) produce. */
    public int execute(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
