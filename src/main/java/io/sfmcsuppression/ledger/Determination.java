package io.sfmcsuppression.ledger;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One validated determination of a batch, as it is stored in the ledger.
 *
 * @param email           the address as received, trimmed
 * @param emailNormalized the whole address lower-cased: the form that is matched, upserted and exported
 * @param contentHash     SHA-256 over everything the caller sent for this id, the run included
 */
public record Determination(String id, String runId, DeterminationType type, String email, String emailNormalized,
                            String accountName, String businessUnit, Instant receivedAt, String newTitle,
                            String newEmail, LocalDate returnDate, String contentHash) {
}
