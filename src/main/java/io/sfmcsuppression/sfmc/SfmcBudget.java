package io.sfmcsuppression.sfmc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A caller's share of SFMC's API quota: at most so many requests (first requests, in-call retries
 * and {@code ContinueRequest}s alike), so many {@code MoreDataAvailable} pages, until a deadline.
 * A request that the budget no longer covers is not sent: it fails with {@link SfmcException.Kind#OVER_BUDGET}.
 *
 * <p>The budget follows the calling thread between {@link #open} and {@link Scope#close()}: SFMC
 * calls are made synchronously on the caller's thread (the fault-tolerance retries of
 * {@link SfmcSoap} and the REST reader run there too), and every request passes
 * {@link SfmcThrottle#check()} just before it is sent, which spends from it. Passing the budget
 * as a parameter instead would thread it through every directory method and the REST reader.
 * Callers without an open budget (the flusher, the opt-out retrier) are not limited.
 */
public final class SfmcBudget {

    /**
     * What one caller may spend.
     *
     * @param calls SFMC requests, retries and continued pages included
     * @param pages {@code ContinueRequest} pages over all retrieves
     * @param time  wall time from {@link #open}; no request is sent after it
     */
    public record Limits(int calls, int pages, Duration time) {
    }

    /** What was spent when the budget was closed or exceeded. */
    public record Spent(int calls, int pages, Duration elapsed) {
    }

    private static final ThreadLocal<SfmcBudget> CURRENT = new ThreadLocal<>();

    private final Limits limits;
    private final Clock clock;
    private final Instant started;
    private int calls;
    private int pages;

    private SfmcBudget(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.started = clock.instant();
    }

    /** Opens a budget for the SFMC calls this thread makes until the scope is closed. */
    public static Scope open(Limits limits, Clock clock) {
        if (CURRENT.get() != null) {
            throw new IllegalStateException("An SFMC budget is already open on this thread");
        }
        SfmcBudget budget = new SfmcBudget(limits, clock);
        CURRENT.set(budget);
        return new Scope(budget);
    }

    /** Spends one request of the open budget, if any; refuses it when the budget is spent or past its deadline. */
    static void spendCall() {
        SfmcBudget b = CURRENT.get();
        if (b == null) {
            return;
        }
        b.checkTime();
        if (b.calls >= b.limits.calls()) {
            throw b.exceeded("its budget of " + b.limits.calls() + " SFMC calls is spent");
        }
        b.calls++;
    }

    /** Spends one continued page of the open budget, if any, before its {@code ContinueRequest} is sent. */
    static void spendPage() {
        SfmcBudget b = CURRENT.get();
        if (b == null) {
            return;
        }
        if (b.pages >= b.limits.pages()) {
            throw b.exceeded("its budget of " + b.limits.pages() + " result pages is spent");
        }
        b.pages++;
    }

    private void checkTime() {
        Duration elapsed = Duration.between(started, clock.instant());
        if (elapsed.compareTo(limits.time()) >= 0) {
            throw exceeded("its deadline of " + limits.time() + " has passed");
        }
    }

    private SfmcException exceeded(String why) {
        Spent s = spent();
        return new SfmcException(SfmcException.Kind.OVER_BUDGET, 0, "Not sent: " + why + " (" + s.calls() + " calls, "
                + s.pages() + " continued pages, " + s.elapsed().toMillis() + " ms so far)", null);
    }

    private Spent spent() {
        return new Spent(calls, pages, Duration.between(started, clock.instant()));
    }

    /** The open budget of one thread; closing it ends the limit. */
    public static final class Scope implements AutoCloseable {
        private final SfmcBudget budget;

        private Scope(SfmcBudget budget) {
            this.budget = budget;
        }

        /** What the caller has spent so far. */
        public Spent spent() {
            return budget.spent();
        }

        @Override
        public void close() {
            if (CURRENT.get() == budget) {
                CURRENT.remove();
            }
        }
    }
}
