package io.sfmcsuppression.suppression;

/**
 * Where one requested suppression stands. {@code sfmc_suppression_added} (DESIGN rule 4) is true
 * for ADDED and VERIFIED: both are rows whose upsert SFMC confirmed with a 200; VERIFIED adds that
 * the row was then read back from the data extension.
 */
public enum OutboxState {
    /** Waiting to be sent to SFMC (again, once, after a read-back that did not find it). */
    PENDING,
    /**
     * SFMC answered 200 to the upsert. With {@code sfmc.verify-writes} the row waits here for its
     * read-back ({@code next_attempt_at} set); with it off, or when the read itself failed (its
     * error in {@code sfmc_message}), this is where the row stays.
     */
    ADDED,
    /** SFMC answered 200 and the row was read back from the data extension. */
    VERIFIED,
    /** Never sent, for the reason in {@link SkipReason}. */
    SKIPPED,
    /**
     * SFMC refused the row, it gave up after the allowed attempts, or SFMC answered 200 twice and
     * the row was not in the data extension either time; the message is kept.
     */
    FAILED,
    /**
     * Removed by an operator (POST /api/v1/suppressions/{id}/release): the row's history stays, with
     * who released it, why and when. A later INACTIVE of the address queues a new row.
     */
    RELEASED
}
