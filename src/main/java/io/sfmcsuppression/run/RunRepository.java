package io.sfmcsuppression.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/** SQL of the runs table. */
@ApplicationScoped
public class RunRepository {

    private static final String COLUMNS = "run_id, run_date, state, created_at, last_batch_at, completed_at";

    private final AgroalDataSource dataSource;

    RunRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Creates the run unless it exists; a concurrent creator wins quietly. A run whose id differs
     * only in case counts as existing (unique run_key), so nothing is created for it.
     */
    void createIfAbsent(String runId, LocalDate runDate, Instant now) {
        String sql = "INSERT INTO runs (run_id, run_key, run_date, state, created_at, last_batch_at) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            ps.setString(2, runId.toLowerCase(Locale.ROOT));
            ps.setObject(3, runDate);
            ps.setString(4, RunState.OPEN.name());
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setTimestamp(6, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create run " + runId, e);
        }
    }

    /** The run whose id equals this one ignoring case (at most one: run_key is unique). */
    Optional<Run> findIgnoringCase(String runId) {
        return query("SELECT " + COLUMNS + " FROM runs WHERE run_key = ?", ps -> ps.setString(1, runId.toLowerCase(Locale.ROOT)))
                .stream().findFirst();
    }

    public Optional<Run> find(String runId) {
        List<Run> runs = query("SELECT " + COLUMNS + " FROM runs WHERE run_id = ?", ps -> ps.setString(1, runId));
        return runs.stream().findFirst();
    }

    List<Run> recent(Optional<RunState> state, int limit) {
        if (state.isPresent()) {
            return query("SELECT " + COLUMNS + " FROM runs WHERE state = ? ORDER BY created_at DESC, run_id LIMIT ?", ps -> {
                ps.setString(1, state.get().name());
                ps.setInt(2, limit);
            });
        }
        return query("SELECT " + COLUMNS + " FROM runs ORDER BY created_at DESC, run_id LIMIT ?", ps -> ps.setInt(1, limit));
    }

    /** Open runs whose last batch is older than the cut-off. */
    List<String> idleSince(Instant cutoff) {
        return query("SELECT " + COLUMNS + " FROM runs WHERE state = ? AND last_batch_at < ? ORDER BY run_id", ps -> {
            ps.setString(1, RunState.OPEN.name());
            ps.setTimestamp(2, Timestamp.from(cutoff));
        }).stream().map(Run::runId).toList();
    }

    /**
     * Notes a batch on an open run. Takes the run's row lock until commit, so a concurrent
     * completion waits for the batch; returns false when the run is no longer open.
     */
    boolean touchOpen(String runId, Instant now) {
        String sql = "UPDATE runs SET last_batch_at = ? WHERE run_id = ? AND state = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, runId);
            ps.setString(3, RunState.OPEN.name());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not update run " + runId, e);
        }
    }

    /** Moves an open run to COMPLETED; false when it was not open. */
    boolean complete(String runId, Instant now) {
        String sql = "UPDATE runs SET state = ?, completed_at = ? WHERE run_id = ? AND state = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, RunState.COMPLETED.name());
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, runId);
            ps.setString(4, RunState.OPEN.name());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not complete run " + runId, e);
        }
    }

    /** Ids of the runs in a state, longest completed first. */
    public List<String> idsInState(RunState state, int limit) {
        return query("SELECT " + COLUMNS + " FROM runs WHERE state = ? ORDER BY completed_at, run_id LIMIT ?", ps -> {
            ps.setString(1, state.name());
            ps.setInt(2, limit);
        }).stream().map(Run::runId).toList();
    }

    /** Moves a run from one state to the next; false when it was not in the expected state. */
    public boolean advance(String runId, RunState from, RunState to) {
        String sql = "UPDATE runs SET state = ? WHERE run_id = ? AND state = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, to.name());
            ps.setString(2, runId);
            ps.setString(3, from.name());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not move run " + runId + " to " + to, e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<Run> query(String sql, Binder binder) {
        List<Run> runs = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp completed = rs.getTimestamp(6);
                    runs.add(new Run(rs.getString(1), rs.getObject(2, LocalDate.class), RunState.valueOf(rs.getString(3)),
                            rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(),
                            completed == null ? null : completed.toInstant()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read runs", e);
        }
        return runs;
    }
}
