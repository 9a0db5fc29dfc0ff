package io.sfmcsuppression.sfmc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;

/**
 * SFMC's "wait" for this tenant, shared by REST and SOAP: a 429 with Retry-After, a 429 errorcode
 * 50200 (blocked) or a SOAP "Rate Limited" fault pauses every call of this replica until the wait
 * has passed, whichever API it goes to. Checked before each request, so in-call retries wait too.
 */
@ApplicationScoped
public class SfmcThrottle {

    /** No wait SFMC names is honoured beyond this: a garbled or hostile Retry-After cannot stop the service for hours. */
    static final Duration MAX_WAIT = Duration.ofMinutes(15);
    /** A 429 that names no wait: SFMC documents none, so a short one, then the call is tried again. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    private final Clock clock;
    private final AtomicReference<Instant> until = new AtomicReference<>(Instant.MIN);
    private final AtomicReference<SfmcException.Kind> why = new AtomicReference<>(SfmcException.Kind.THROTTLED);

    SfmcThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Holds every call for what a 429 asks: its Retry-After, else {@link #DEFAULT_WAIT}; a block
     * (errorcode 50200) for at least {@code blockedBackoff}.
     */
    void holdFor429(Duration retryAfter, boolean blocked, Duration blockedBackoff, String reason) {
        Duration wait = retryAfter != null ? retryAfter : blocked ? blockedBackoff : DEFAULT_WAIT;
        if (blocked && wait.compareTo(blockedBackoff) < 0) {
            wait = blockedBackoff;
        }
        hold(wait, blocked ? SfmcException.Kind.BLOCKED : SfmcException.Kind.THROTTLED, reason);
    }

    /** Holds every SFMC call for {@code wait} (at most {@link #MAX_WAIT}); a longer hold already in place stays. */
    void hold(Duration wait, SfmcException.Kind kind, String reason) {
        Duration capped = cap(wait);
        Instant end = clock.instant().plus(capped);
        Instant previous = until.getAndAccumulate(end, (a, b) -> a.isAfter(b) ? a : b);
        if (end.isAfter(previous)) {
            why.set(kind);
            Log.infof("SFMC calls pause for %s: %s", capped, reason);
        }
    }

    /** How long calls are still held; zero when they may go. */
    public Duration remaining() {
        Instant now = clock.instant();
        Instant end = until.get();
        return end.isAfter(now) ? Duration.between(now, end) : Duration.ZERO;
    }

    /**
     * Called just before each request is sent: refuses it while SFMC asked to wait, or when the
     * caller's {@link SfmcBudget} does not cover it, without sending it.
     */
    void check() {
        refuseWhileHeld();
        SfmcBudget.spendCall();
    }

    private void refuseWhileHeld() {
        Duration left = remaining();
        if (!left.isZero()) {
            throw new SfmcException(why.get(), 0, "Not sent: SFMC asked to wait until " + until.get()
                    + " (rate limiting)", left);
        }
    }

    /**
     * For a synchronous caller: waits for a pause of at most {@code max} to pass; a longer one is
     * refused at once (the caller answers "try later" with the wait).
     */
    void awaitAtMost(Duration max) {
        Duration left = remaining();
        if (left.isZero()) {
            return;
        }
        if (left.compareTo(max) > 0) {
            refuseWhileHeld();
        }
        try {
            Thread.sleep(left.toMillis() + 1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 0, "Interrupted while SFMC asked to wait", left);
        }
        refuseWhileHeld();
    }

    static Duration cap(Duration wait) {
        if (wait == null || wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }
}
