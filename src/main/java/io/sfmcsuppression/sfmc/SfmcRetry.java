package io.sfmcsuppression.sfmc;

/**
 * The one in-call retry policy of SFMC requests, REST and SOAP: a {@link Transient} failure (a 5xx,
 * a timeout, a SOAP "Rate Limited" fault) is tried again up to {@link #MAX_RETRIES} times with
 * exponential back-off from {@link #DELAY_MS} (factor 2, jitter {@link #JITTER_MS}, at most
 * {@link #MAX_DELAY_MS}), and never before the {@link SfmcThrottle} lets calls go again. Constants,
 * because fault-tolerance annotations take nothing else.
 */
final class SfmcRetry {

    static final int MAX_RETRIES = 2;
    static final long DELAY_MS = 500;
    static final long JITTER_MS = 250;
    static final long MAX_DELAY_MS = 10_000;

    private SfmcRetry() {
    }

    /** A failure worth the in-call retries. */
    static class Transient extends SfmcException {
        Transient(Kind kind, int status, String message) {
            super(kind, status, message, null);
        }
    }
}
