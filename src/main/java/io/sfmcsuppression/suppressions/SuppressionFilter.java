package io.sfmcsuppression.suppressions;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import io.sfmcsuppression.suppression.Origin;
import io.sfmcsuppression.suppression.OutboxState;
import io.sfmcsuppression.web.EmailAddress;
import io.sfmcsuppression.web.ProblemException;

/**
 * What a list of suppressions is filtered by; every member is optional. {@code createdFrom} is
 * inclusive, {@code createdTo} exclusive. {@code needsReview} keeps rows in effect whose address
 * had an ACTIVE determination after the one that suppressed it.
 */
public record SuppressionFilter(String dataExtensionKey, String businessUnit, OutboxState state, String reason,
                                Origin.Kind origin, Instant createdFrom, Instant createdTo, String address,
                                boolean needsReview) {

    /** No filter: every row. */
    public static SuppressionFilter all() {
        return new SuppressionFilter(null, null, null, null, null, null, null, null, false);
    }

    /** Rows of one address (lower-cased here), newest first. */
    public static SuppressionFilter ofAddress(String address) {
        return new SuppressionFilter(null, null, null, null, null, null, null, normalizeAddress(address), false);
    }

    /** The same filter, keeping only rows listed for review. */
    public SuppressionFilter forReview() {
        return new SuppressionFilter(dataExtensionKey, businessUnit, state, reason, origin, createdFrom, createdTo, address, true);
    }

    /**
     * Reads the query parameters of GET /api/v1/suppressions; a malformed one is a 400 naming it.
     * A date (YYYY-MM-DD) means its whole day in {@code zone}: {@code createdTo=2026-11-23} includes the 23rd.
     */
    public static SuppressionFilter parse(String dataExtension, String businessUnit, String state, String reason,
                                          String origin, String createdFrom, String createdTo, String address, ZoneId zone) {
        OutboxState parsedState = null;
        if (present(state)) {
            try {
                parsedState = OutboxState.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("state must be one of PENDING, ADDED, VERIFIED, SKIPPED, FAILED, RELEASED");
            }
        }
        Origin.Kind parsedOrigin = null;
        if (present(origin)) {
            try {
                parsedOrigin = Origin.Kind.of(origin.trim().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("origin must be one of classifier, operator, import, consent-global");
            }
        }
        return new SuppressionFilter(blankToNull(dataExtension), blankToNull(businessUnit), parsedState,
                present(reason) ? reason.trim().toUpperCase(Locale.ROOT) : null, parsedOrigin,
                instant("createdFrom", createdFrom, zone, false), instant("createdTo", createdTo, zone, true),
                present(address) ? normalizeAddress(address) : null, false);
    }

    static String normalizeAddress(String address) {
        String normalized = EmailAddress.forLookup(address);
        return normalized;
    }

    private static Instant instant(String name, String value, ZoneId zone, boolean endOfDay) {
        if (!present(value)) {
            return null;
        }
        String v = value.trim();
        try {
            if (v.length() == 10) {
                LocalDate day = LocalDate.parse(v);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be a date (2026-11-23) or an instant (2026-11-23T03:00:00Z)");
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    private static String blankToNull(String value) {
        return present(value) ? value.trim() : null;
    }
}
