package io.sfmcsuppression.intake;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer to an accepted batch: new determinations and ones already stored. */
@Schema(name = "IngestResult")
public record IngestResult(String runId, int accepted, int duplicates) {
}
