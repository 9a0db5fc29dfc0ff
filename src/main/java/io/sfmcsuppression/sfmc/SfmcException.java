package io.sfmcsuppression.sfmc;

import java.time.Duration;
import java.util.Optional;

/**
 * The one failure of every SFMC call, REST or SOAP. The message is safe to log and show: it never
 * holds the client secret or a token, and it is redacted before it is truncated.
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
        FAILED,
        /** SFMC answered and said no: a SOAP fault, an error status of a SOAP answer, a 4xx on a read. */
        REJECTED,
        /** SFMC answered with something that is not the documented shape (not a SOAP envelope, not JSON). */
        MALFORMED,
        /** Not sent: the caller's {@link SfmcBudget} of calls, pages or time is spent. */
        OVER_BUDGET
    }

    /** Whether trying again later may succeed without anyone changing anything. */
    public boolean transientFailure() {
        return kind != Kind.REJECTED && kind != Kind.MALFORMED;
    }

    /** This service's answer to it: 502 when SFMC answered and refused or garbled it, 503 when trying again later may work. */
    public int httpStatus() {
        return transientFailure() ? 503 : 502;
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

    /**
     * SFMC refused the request itself (a SOAP {@code Client} fault): its envelope or a value in it.
     * A {@link Kind#REJECTED} like any refusal; a caller that stores requests (the opt-outs) stops
     * retrying this one, because the same content would be refused again.
     */
    public static class RequestRefused extends SfmcException {
        RequestRefused(int status, String message) {
            super(Kind.REJECTED, status, message, null);
        }
    }
}
