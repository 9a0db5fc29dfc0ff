package io.sfmcsuppression.export;

import java.time.Instant;

/**
 * The most recently written export, for {@code GET /api/v1/status}.
 *
 * @param runId           the run it belongs to
 * @param exportedAt      when its files were written
 * @param n04Rows         distinct addresses across its N04 files
 * @param pendingAtExport suppressions still PENDING when the files were written
 * @param mail            the N04 mail's state (SENT, RETRYING, WITHHELD, ...)
 * @param mailSentAt      when SMTP accepted the mail, if it did
 */
public record LastExport(String runId, Instant exportedAt, long n04Rows, long pendingAtExport, String mail,
                         Instant mailSentAt) {
}
