package io.sfmcsuppression.suppression;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.sfmcsuppression.sfmc.SfmcException;

/**
 * The flusher's hold after SFMC throttled or blocked us or its circuit breaker opened: the drain
 * loop claims nothing until it ends, and rows handed back meanwhile are due when it ends. Set from
 * the sender and read-back threads, read by the drain loop; a shorter hold never cuts a longer one.
 */
final class ThrottlePause {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

    private final Clock clock;
    private final Duration blockedBackoff;
    private volatile Instant pausedUntil = Instant.MIN;

    ThrottlePause(Clock clock, Duration blockedBackoff) {
        this.clock = clock;
        this.blockedBackoff = blockedBackoff;
    }

    /**
     * Pauses for the wait a THROTTLED or BLOCKED answer asks for (a block waits at least
     * {@code sfmc.blocked-backoff}) and returns that wait.
     */
    Duration pauseFor(SfmcException e) {
        Duration wait = e.kind() == SfmcException.Kind.BLOCKED
                ? max(blockedBackoff, e.retryAfter().orElse(Duration.ZERO))
                : e.retryAfter().orElse(DEFAULT_RETRY_AFTER);
        pause(wait);
        return wait;
    }

    synchronized void pause(Duration wait) {
        Instant until = clock.instant().plus(wait);
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
    }

    Instant until() {
        return pausedUntil;
    }

    boolean holds(Instant now) {
        return now.isBefore(pausedUntil);
    }

    /** When rows handed back now are due: the end of the pause, or now when there is none. */
    Instant resumeAt() {
        Instant now = clock.instant();
        return pausedUntil.isAfter(now) ? pausedUntil : now;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
