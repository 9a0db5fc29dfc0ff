package io.sfmcsuppression.sfmc;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header defensively (RFC 9110 section 10.2.3): delay-seconds or an
 * HTTP-date; anything else, a negative number or a date in the past is no wait at all, and every
 * wait is capped at {@link SfmcThrottle#MAX_WAIT}.
 */
final class RetryAfter {

    private RetryAfter() {
    }

    static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        if (value.matches("[0-9]{1,12}")) {
            return Optional.of(SfmcThrottle.cap(Duration.ofSeconds(Long.parseLong(value))));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(now, at);
            return wait.isNegative() ? Optional.empty() : Optional.of(SfmcThrottle.cap(wait));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The body's {@code retryAfter} seconds of a 429, capped; empty when absent or not positive. */
    static Optional<Duration> ofSeconds(Integer seconds) {
        return seconds == null || seconds <= 0 ? Optional.empty() : Optional.of(SfmcThrottle.cap(Duration.ofSeconds(seconds)));
    }
}
