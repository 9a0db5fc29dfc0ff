package io.sfmcsuppression.run;

/** A run's life: OPEN → COMPLETED → EXPORTED → NOTIFIED, or NOTHING_TO_SEND. */
public enum RunState {
    /** Accepting batches. */
    OPEN,
    /** Closed; its deliverables are being produced. */
    COMPLETED,
    /** Files written; mail withheld by dry-run or read-only (terminal), or about to be sent. */
    EXPORTED,
    /** The N04 mail went out (terminal). */
    NOTIFIED,
    /** The run had no deliverable rows (terminal). */
    NOTHING_TO_SEND
}
