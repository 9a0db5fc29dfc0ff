package io.sfmcsuppression.ledger;

import java.time.Instant;
import java.time.LocalDate;

/** The run a batch belongs to, as handlers need it. */
public record RunContext(String runId, LocalDate runDate, Instant now) {
}
