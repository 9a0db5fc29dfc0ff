package io.sfmcsuppression.suppression;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.sfmcsuppression.sfmc.SfmcThrottle;

/**
 * When the flusher may send: not while SFMC asked this tenant to wait ({@link SfmcThrottle}, the
 * one hold of REST and SOAP calls, set by whichever call met the 429, the block or the SOAP "Rate
 * Limited" fault, consent's included), and not while SFMC's circuit breaker is open. The drain loop
 * claims nothing until then, and rows handed back meanwhile are due when it ends.
 */
final class ThrottlePause {

    private final Clock clock;
    private final SfmcThrottle throttle;
    private volatile Instant breakerUntil = Instant.MIN;

    ThrottlePause(Clock clock, SfmcThrottle throttle) {
        this.clock = clock;
        this.throttle = throttle;
    }

    /** The circuit breaker refused a call: wait {@code wait} before the next one (a shorter wait never cuts a longer one). */
    synchronized void breakerOpen(Duration wait) {
        Instant until = clock.instant().plus(wait);
        if (until.isAfter(breakerUntil)) {
            breakerUntil = until;
        }
    }

    /** When sending may start again; in the past when it may now. */
    Instant until() {
        Duration held = throttle.remaining();
        Instant throttled = held.isZero() ? Instant.MIN : clock.instant().plus(held);
        return throttled.isAfter(breakerUntil) ? throttled : breakerUntil;
    }

    boolean holds(Instant now) {
        return now.isBefore(until());
    }

    /** When rows handed back now are due: the end of the pause, or now when there is none. */
    Instant resumeAt() {
        Instant now = clock.instant();
        Instant until = until();
        return until.isAfter(now) ? until : now;
    }
}
