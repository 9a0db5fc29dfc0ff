package io.sfmcsuppression.suppression;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Outbox rows named by id in one statement: {@value #CONDITION}. The range is what keeps the plan
 * on the primary key: without statistics PostgreSQL costs five hundred key probes of
 * {@code id = ANY(?)} above a sequential scan of a table of a hundred thousand rows and picks the
 * scan (QueryPlansAtScaleTest), while the range bound makes the index the only sensible path
 * whatever the statistics say. A claim's ids are consecutive in id order, so the range is tight.
 */
record RowIds(List<Long> ids) {

    static final String CONDITION = "id = ANY(?) AND id BETWEEN ? AND ?";

    RowIds {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no row ids");
        }
        ids = List.copyOf(ids);
    }

    /** Binds the array and its bounds from {@code index} on; returns the next parameter's index. */
    int bind(Connection c, PreparedStatement ps, int index) throws SQLException {
        long min = ids.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = ids.stream().mapToLong(Long::longValue).max().orElseThrow();
        ps.setArray(index, c.createArrayOf("bigint", ids.toArray()));
        ps.setLong(index + 1, min);
        ps.setLong(index + 2, max);
        return index + 3;
    }
}
