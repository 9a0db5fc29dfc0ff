package io.sfmcsuppression.suppression;

/** Where one requested suppression stands. */
public enum OutboxState {
    /** Waiting to be sent to SFMC. */
    PENDING,
    /** SFMC confirmed the upsert: the only state in which {@code sfmc_suppression_added} is true. */
    ADDED,
    /** Never sent, for the reason in {@link SkipReason}. */
    SKIPPED,
    /** SFMC refused the row, or it gave up after the allowed attempts; the SFMC message is kept. */
    FAILED
}
