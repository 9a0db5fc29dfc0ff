package io.sfmcsuppression.run;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.sfmcsuppression.ledger.Determination;
import io.sfmcsuppression.ledger.RunContext;

/** The run's inactive people: one row per business unit and lower-cased address, the N04 rows. */
@ApplicationScoped
public class InactivePeople {

    private final AgroalDataSource dataSource;

    InactivePeople(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Adds the people of INACTIVE determinations; an address already listed stays listed once. */
    public void record(RunContext run, java.util.List<Determination> inactive) {
        String sql = "INSERT INTO run_inactive_people (run_id, business_unit, email_normalized) VALUES (?, ?, ?) "
                + "ON CONFLICT DO NOTHING";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (Determination d : inactive) {
                ps.setString(1, run.runId());
                ps.setString(2, d.businessUnit());
                ps.setString(3, d.emailNormalized());
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record inactive people of run " + run.runId(), e);
        }
    }

    /** Distinct inactive addresses of a run across its business units. */
    public long count(String runId) {
        String sql = "SELECT COUNT(DISTINCT email_normalized) FROM run_inactive_people WHERE run_id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count inactive people of run " + runId, e);
        }
    }
}
