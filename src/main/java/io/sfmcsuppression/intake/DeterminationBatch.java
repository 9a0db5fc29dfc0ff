package io.sfmcsuppression.intake;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /api/v1/runs/{runId}/determinations}. */
@Schema(name = "DeterminationBatch")
public record DeterminationBatch(
        @Schema(description = "Date printed in the run's deliverables; fixed by the run's first batch", example = "2026-11-23")
        String runDate,
        List<DeterminationInput> determinations) {
}
