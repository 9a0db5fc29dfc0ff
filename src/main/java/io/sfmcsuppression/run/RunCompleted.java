package io.sfmcsuppression.run;

/** Fired after the transaction that completed a run has committed; the export starts from it. */
public record RunCompleted(String runId) {
}
