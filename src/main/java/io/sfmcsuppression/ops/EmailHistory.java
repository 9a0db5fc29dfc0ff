package io.sfmcsuppression.ops;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import io.sfmcsuppression.ledger.Ledger;
import io.sfmcsuppression.suppression.OutboxReports;

/**
 * The history of one address, matched case-insensitively, as the API and the console show it: records
 * of its own, so the ledger's and the outbox's rows can change without changing the API.
 */
public record EmailHistory(String email, List<Determination> determinations, List<Suppression> suppressions) {

    /** One determination of the address, as it was posted. */
    public record Determination(String id, String runId, String determination, String email, String accountName,
                                String businessUnit, Instant receivedAt, Instant ingestedAt, String newTitle,
                                String newEmail, LocalDate returnDate) {
        static Determination of(Ledger.Entry e) {
            return new Determination(e.id(), e.runId(), e.determination(), e.email(), e.accountName(), e.businessUnit(),
                    e.receivedAt(), e.ingestedAt(), e.newTitle(), e.newEmail(), e.returnDate());
        }
    }

    /** One suppression of the address: its list, where it stands in SFMC, and SFMC's last word on it. */
    public record Suppression(String runId, String dataExtensionKey, String state, String reason, int attempts,
                              String sfmcMessage, Instant updatedAt) {
        static Suppression of(OutboxReports.Entry e) {
            return new Suppression(e.runId(), e.dataExtensionKey(), e.state(), e.reason(), e.attempts(), e.sfmcMessage(),
                    e.updatedAt());
        }
    }

    public boolean isEmpty() {
        return determinations.isEmpty() && suppressions.isEmpty();
    }
}
