package io.sfmcsuppression.suppressions;

import java.time.Instant;
import java.time.LocalDate;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.sfmcsuppression.suppression.Origin;

/**
 * One suppression row as the API and the console show it.
 *
 * @param dataExtensionKey the list it goes to; null when it was skipped before routing (no account, no mapping)
 * @param businessUnit     the business unit of the determination that asked for it (classifier rows)
 * @param dateAdded        the Date Added sent to SFMC (the run date, or the imported date)
 * @param release          who released it, why and when; null unless RELEASED
 */
public record SuppressionView(long id, String email, String dataExtensionKey, String businessUnit, String accountName,
                              String runId, LocalDate dateAdded, String state, String reason, int attempts,
                              String sfmcMessage, Origin origin, Instant createdAt, Instant updatedAt,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Release release) {

    /** The release of a row: by which API key, why, when, and what was (or was not) sent to SFMC. */
    public record Release(String by, String reason, Instant at) {
    }
}
