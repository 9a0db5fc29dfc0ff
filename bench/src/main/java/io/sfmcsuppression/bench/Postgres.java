package io.sfmcsuppression.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A throwaway PostgreSQL database for one figure: created empty, dropped at the end. The server is
 * the local one (127.0.0.1:5432, user postgres) unless BENCH_PG_URL, BENCH_PG_USER and
 * BENCH_PG_PASSWORD say otherwise.
 */
final class Postgres implements AutoCloseable {

    /** Every table a batch writes, children first. */
    static final String LEDGER_TABLES = "suppression_outbox, run_inactive_people, determinations, runs";

    private static final String SERVER = env("BENCH_PG_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = env("BENCH_PG_USER", "postgres");
    private static final String PASSWORD = env("BENCH_PG_PASSWORD", "");

    private final String database;

    private Postgres(String database) {
        this.database = database;
    }

    static Postgres throwaway(String figure) throws SQLException {
        String database = "bench_" + figure + "_" + ProcessHandle.current().pid();
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)", "CREATE DATABASE " + database);
        return new Postgres(database);
    }

    String jdbcUrl() {
        return SERVER + database;
    }

    String user() {
        return USER;
    }

    String password() {
        return PASSWORD;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USER, PASSWORD);
    }

    /** Empties the ledger and flushes dirty pages, so each measured phase starts from the same state. */
    void emptyLedger() throws SQLException {
        execute("TRUNCATE " + LEDGER_TABLES + " RESTART IDENTITY CASCADE", "CHECKPOINT");
    }

    /** Drops every table, so the next service start migrates an empty database. */
    void emptySchema() throws SQLException {
        execute("DROP SCHEMA public CASCADE", "CREATE SCHEMA public");
    }

    /** Rows per ledger table for one run: what a phase must have written. */
    Map<String, Long> rowsOfRun(String runId) throws SQLException {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String table : new String[] {"determinations", "run_inactive_people", "suppression_outbox"}) {
                rows.put(table, count(s, "SELECT COUNT(*) FROM " + table + " WHERE run_id = '" + runId + "'"));
            }
            rows.put("determinations routed", count(s, "SELECT COUNT(*) FROM determinations WHERE run_id = '" + runId
                    + "' AND suppression_target IS NOT NULL"));
            // The service's dry-run flusher may already have handed PENDING rows to the mock client.
            rows.put("outbox queued", count(s, "SELECT COUNT(*) FROM suppression_outbox WHERE run_id = '" + runId
                    + "' AND (state = 'PENDING' OR reason = 'MOCK_CLIENT')"));
        }
        return rows;
    }

    String serverVersion() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }

    private void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void admin(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
