package io.sfmcsuppression.suppression;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;

/**
 * Which addresses this service has put on a suppression list: rows SFMC confirmed ({@code ADDED},
 * {@code VERIFIED}), with the run and the INACTIVE determination that asked for them. The consent
 * resolver reads it so that a suppression of our own is never mistaken for a global opt-out.
 */
@ApplicationScoped
public class ActiveSuppressions {

    /** One suppression in effect: the newest confirmed row of an address. */
    public record Active(String email, String dataExtensionKey, String state, String runId, String determinationId) {
    }

    // One array parameter per set: the index on email_normalized is the only sensible plan.
    private static final String FIND = """
            SELECT o.email_normalized, o.target, o.state, o.run_id,
                   (SELECT MIN(d.id) FROM determinations d
                     WHERE d.email_normalized = o.email_normalized AND d.run_id = o.run_id
                       AND d.determination = 'INACTIVE') AS determination_id
              FROM suppression_outbox o
             WHERE o.email_normalized = ANY(?) AND o.target = ANY(?) AND o.state = ANY(?)
             ORDER BY o.updated_at, o.id""";

    private static final String[] IN_EFFECT = {OutboxState.ADDED.name(), OutboxState.VERIFIED.name()};

    private final AgroalDataSource dataSource;

    ActiveSuppressions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The suppression in effect for each of {@code emails} (lower-cased) in any of {@code lists}; absent when none. */
    public Map<String, Active> find(Collection<String> emails, Collection<String> lists) {
        Map<String, Active> found = new HashMap<>();
        if (emails.isEmpty() || lists.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement find = c.prepareStatement(FIND)) {
            Array addresses = c.createArrayOf("varchar", emails.toArray(String[]::new));
            Array targets = c.createArrayOf("varchar", lists.toArray(String[]::new));
            Array states = c.createArrayOf("varchar", IN_EFFECT);
            find.setArray(1, addresses);
            find.setArray(2, targets);
            find.setArray(3, states);
            try (ResultSet rs = find.executeQuery()) {
                while (rs.next()) {
                    String email = rs.getString(1);
                    found.put(email, new Active(email, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the suppressions in effect", e);
        }
        return found;
    }
}
