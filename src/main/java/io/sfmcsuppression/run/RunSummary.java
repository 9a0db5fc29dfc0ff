package io.sfmcsuppression.run;

import java.time.Instant;
import java.time.LocalDate;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A run in the list of recent runs. */
@Schema(name = "RunSummary")
public record RunSummary(String runId, LocalDate runDate, RunState state, Instant createdAt, Instant lastBatchAt,
                         Instant completedAt) {

    static RunSummary of(Run run) {
        return new RunSummary(run.runId(), run.runDate(), run.state(), run.createdAt(), run.lastBatchAt(), run.completedAt());
    }
}
