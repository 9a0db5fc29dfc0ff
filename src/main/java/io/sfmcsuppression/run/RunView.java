package io.sfmcsuppression.run;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.sfmcsuppression.suppression.OutboxReports;

/**
 * A run as {@code GET /api/v1/runs/{runId}} shows it.
 *
 * @param counts         determinations per type
 * @param suppression    outbox rows per state; skipped ones per reason ({@code SKIPPED_NO_MAPPING})
 * @param inactivePeople distinct inactive addresses (the N04 rows across business units)
 * @param conflicts      addresses with both an INACTIVE and an ACTIVE determination in this run
 * @param sfmcMock       what the mock SFMC client would have sent for this run, per data extension
 * @param deliverables   files written by the export, with row counts and SHA-256
 * @param notification   the N04 mail; null before the export
 */
@Schema(name = "Run")
public record RunView(String runId, LocalDate runDate, RunState state, Instant createdAt, Instant lastBatchAt,
                      Instant completedAt, Map<String, Long> counts, Map<String, Long> suppression,
                      long inactivePeople, long conflicts, List<RunView.MockUpsert> sfmcMock,
                      List<RunExportView.Deliverable> deliverables, RunExportView.Notification notification) {

    /** What the mock SFMC client would have sent for this run to one data extension: "would add N rows to K". */
    public record MockUpsert(String dataExtensionKey, long rows, String description) {
        static MockUpsert of(OutboxReports.MockUpsert upsert) {
            return new MockUpsert(upsert.dataExtensionKey(), upsert.rows(), upsert.description());
        }
    }
}
