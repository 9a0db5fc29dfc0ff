package io.sfmcsuppression.run;

import java.time.Instant;
import java.time.LocalDate;

/** One row of the runs table. */
public record Run(String runId, LocalDate runDate, RunState state, Instant createdAt, Instant lastBatchAt,
                  Instant completedAt) {
}
