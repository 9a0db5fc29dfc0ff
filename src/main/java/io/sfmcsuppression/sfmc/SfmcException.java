package io.sfmcsuppression.sfmc;

import java.time.Duration;
import java.util.Optional;

/**
 * SFMC could not take a request now. The message is safe to log and show: it never holds the
 * client secret or a token.
 */
public class SfmcException extends RuntimeException {

    /** What went wrong, which decides what the caller does with the rows. */
    public enum Kind {
        /** Connection refused, DNS, TLS, or no token could be obtained: SFMC is unreachable. */
        UNREACHABLE,
        /** 429 with errorcode 50100 (or none): wait for Retry-After. */
        THROTTLED,
        /** 429 with errorcode 50200: requests are temporarily blocked; back off long. */
        BLOCKED,
        /** 5xx, a timeout, or authentication still refused after one token refresh. */
        FAILED
    }

    private final Kind kind;
    private final int status;
    private final transient Duration retryAfter;

    public SfmcException(Kind kind, int status, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
