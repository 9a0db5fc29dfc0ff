package io.sfmcsuppression.config;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one policy of the service's durable retries (the suppression outbox, the N04 mail, the
 * opt-outs): after the first failed attempt wait {@code initial}, twice as long after each further
 * one, never longer than {@code cap}; then add a random share of up to {@code jitter} of that wait,
 * so that rows that failed together are not all retried in the same instant. In-call retries of
 * one SFMC request are SmallRye Fault Tolerance's ({@code sfmc/SfmcRetry}), not this.
 */
public record RetryPolicy(Duration initial, Duration cap, double jitter) {

    public RetryPolicy {
        if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a retry waits a positive time, at most its cap: " + initial + ", " + cap);
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter is a share of the wait, 0 to 1: " + jitter);
        }
    }

    /** The wait after {@code failedAttempts} failed attempts (1 after the first failure). */
    public Duration delayAfter(int failedAttempts) {
        Duration wait = initial;
        for (int i = 1; i < failedAttempts && wait.compareTo(cap) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        if (wait.compareTo(cap) > 0) {
            wait = cap;
        }
        long spread = (long) (wait.toMillis() * jitter);
        return spread == 0 ? wait : wait.plusMillis(ThreadLocalRandom.current().nextLong(spread + 1));
    }
}
