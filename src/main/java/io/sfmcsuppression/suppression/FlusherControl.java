package io.sfmcsuppression.suppression;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * The operator's pause switch of the flusher (table flusher_control, one row): while paused no
 * replica claims rows, so nothing is sent to SFMC; rows queued meanwhile wait PENDING. Read before
 * every claim, so a pause holds across replicas and restarts.
 */
@ApplicationScoped
public class FlusherControl {

    /** The switch as stored. */
    public record State(boolean paused, String changedBy, String reason, Instant changedAt) {
    }

    private final AgroalDataSource dataSource;

    FlusherControl(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public State state() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT paused, changed_by, reason, changed_at FROM flusher_control WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new State(false, null, null, null);
            }
            Timestamp at = rs.getTimestamp(4);
            return new State(rs.getBoolean(1), rs.getString(2), rs.getString(3), at == null ? null : at.toInstant());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the flusher's pause switch", e);
        }
    }

    public boolean paused() {
        return state().paused();
    }

    /**
     * Sets the switch.
     *
     * @return false when it was set that way already
     */
    public boolean set(boolean paused, String by, String reason, Instant now) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "UPDATE flusher_control SET paused = ?, changed_by = ?, reason = ?, changed_at = ? WHERE id = 1 AND paused <> ?")) {
            ps.setBoolean(1, paused);
            ps.setString(2, by);
            ps.setString(3, reason);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setBoolean(5, paused);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set the flusher's pause switch", e);
        }
    }
}
