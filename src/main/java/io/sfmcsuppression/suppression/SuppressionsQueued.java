package io.sfmcsuppression.suppression;

/** Fired inside a batch's transaction when it queued PENDING suppressions; observed after commit. */
record SuppressionsQueued(String runId, int rows) {
}
