package io.sfmcsuppression.suppression;

import java.util.Map;

/**
 * Fired inside a batch's transaction with the suppressions it queued as SKIPPED, per account and
 * reason; observed after commit, so the summary log line and the counter tell only what was stored.
 */
record SuppressionsSkipped(String runId, Map<Skip, Integer> rows) {

    /** An account (null when the determination named none) and why its suppressions were skipped. */
    record Skip(String accountName, SkipReason reason) {
    }
}
