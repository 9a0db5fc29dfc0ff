package io.sfmcsuppression.consent;

/** SFMC could not answer a consent call. The message is safe for logs and problem responses. */
public class SfmcConsentException extends RuntimeException {

    /** What went wrong, which decides between 502 and 503. */
    public enum Kind {
        /** SFMC could not be reached, timed out, or stayed rate limited: try again later (503). */
        UNAVAILABLE,
        /** SFMC answered with an error or a fault (502). */
        REJECTED,
        /** SFMC answered with something that is not a SOAP envelope we can read (502). */
        MALFORMED,
        /** No token could be obtained (502). */
        AUTHENTICATION
    }

    private final Kind kind;

    public SfmcConsentException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SfmcConsentException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status this failure is answered with. */
    public int httpStatus() {
        return kind == Kind.UNAVAILABLE ? 503 : 502;
    }

    /** SFMC answered "Rate Limited" (HTTP 500, fault code 17); retried with back-off. */
    static final class RateLimited extends SfmcConsentException {
        RateLimited() {
            super(Kind.UNAVAILABLE, "SFMC is rate limiting SOAP calls (fault code 17)");
        }
    }
}
