package io.sfmcsuppression.web;

import java.sql.SQLException;
import java.util.Set;

/**
 * Recognises failures that mean "the database is overloaded or contended right now", not "this
 * request is wrong": no pooled connection free within the acquisition timeout, a lock wait that
 * timed out, a serialization failure or deadlock, H2's concurrent-update conflict. Clients should
 * hear 503 with Retry-After for those, not 500.
 */
final class DatabaseBusy {

    /** PostgreSQL: serialization failure, deadlock, lock not available; H2: lock timeout, concurrent update. */
    private static final Set<String> BUSY_SQL_STATES = Set.of("40001", "40P01", "55P03", "HYT00", "90131");
    /** Agroal's own text when no connection frees up in time; it sets no SQL state. */
    private static final String POOL_EXHAUSTED = "Sorry, acquisition timeout";

    private DatabaseBusy() {
    }

    static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && ((sql.getSQLState() != null && BUSY_SQL_STATES.contains(sql.getSQLState()))
                    || (sql.getMessage() != null && sql.getMessage().startsWith(POOL_EXHAUSTED)))) {
                return true;
            }
        }
        return false;
    }
}
