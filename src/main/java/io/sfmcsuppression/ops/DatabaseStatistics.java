package io.sfmcsuppression.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.quarkus.logging.Log;

/**
 * Whether PostgreSQL's planner statistics of the ledger tables are current. A planner without them
 * (autovacuum off, or far behind) is what once made the intake scan the whole ledger per batch, so
 * the status page says so. Read from {@code pg_stat_user_tables} at most once a minute; on H2 there
 * is nothing to check.
 */
@ApplicationScoped
public class DatabaseStatistics {

    /** Cheap (shared-memory counters), but a status page polled every second need not ask each time. */
    private static final Duration CACHE = Duration.ofMinutes(1);
    /** Below this many changed rows a table is too small for stale statistics to matter. */
    private static final long MIN_CHANGED = 10_000;

    private static final String TABLES = """
            SELECT relname, n_live_tup, n_mod_since_analyze, COALESCE(last_analyze, last_autoanalyze) IS NULL
            FROM pg_stat_user_tables
            WHERE relname IN ('determinations', 'suppression_outbox', 'run_inactive_people', 'runs')
            ORDER BY relname""";

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private volatile DatabaseHealth last;

    DatabaseStatistics(AgroalDataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** The last check, refreshed when it is older than a minute. */
    public DatabaseHealth health() {
        DatabaseHealth current = last;
        if (current == null || current.checkedAt().plus(CACHE).isBefore(clock.instant())) {
            current = refresh();
        }
        return current;
    }

    /** Checks now. */
    DatabaseHealth refresh() {
        Instant now = clock.instant();
        List<String> warnings = new ArrayList<>();
        String product;
        try (Connection c = dataSource.getConnection()) {
            product = c.getMetaData().getDatabaseProductName();
            if (product.toLowerCase(Locale.ROOT).contains("postgres")) {
                check(c, warnings);
            }
        } catch (SQLException e) {
            Log.debugf("Could not read the database statistics: %s", e.getMessage());
            product = "unknown";
            warnings.add("Could not read the database statistics: " + e.getMessage());
        }
        DatabaseHealth health = new DatabaseHealth(product, now, List.copyOf(warnings));
        last = health;
        return health;
    }

    /**
     * A table is stale when at least {@link #MIN_CHANGED} rows changed since its last ANALYZE and
     * they are more than half its live rows: autovacuum would have analyzed it after a tenth.
     */
    private static void check(Connection c, List<String> warnings) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_setting('autovacuum')"); ResultSet rs = ps.executeQuery()) {
            if (rs.next() && !"on".equals(rs.getString(1))) {
                warnings.add("autovacuum is off: nothing keeps the planner's statistics current (README, Operations)");
            }
        }
        try (PreparedStatement ps = c.prepareStatement(TABLES); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String table = rs.getString(1);
                long live = rs.getLong(2);
                long changed = rs.getLong(3);
                boolean never = rs.getBoolean(4);
                if (changed >= MIN_CHANGED && changed > live / 2) {
                    warnings.add(String.format(Locale.ROOT, "%s: %d rows changed since %s, %d live rows; "
                            + "the planner may choose full scans: run ANALYZE %s and check autovacuum", table, changed,
                            never ? "it was never analyzed" : "its last ANALYZE", live, table));
                }
            }
        }
    }
}
