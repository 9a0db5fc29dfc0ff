package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.suppression.Chunk.rows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.sfmcsuppression.config.RetryPolicy;
import io.sfmcsuppression.sfmc.SfmcClients;
import io.sfmcsuppression.sfmc.SfmcConfig;
import io.sfmcsuppression.sfmc.SfmcException;

/**
 * Records what SFMC's answer to an upsert or a read-back means for the rows: ADDED (awaiting the
 * read-back with {@code sfmc.verify-writes}), VERIFIED, FAILED with SFMC's message, retried by the
 * row {@link RetryPolicy} until {@code sfmc.max-attempts}, handed back until a {@link ThrottlePause}
 * ends, or handed back while the {@link SfmcHealthGate} waits for SFMC; and counts each in
 * {@code sfmc.upserts}. Holds no state of its own; called from the sender and read-back threads.
 */
final class OutcomeRecorder {

    private static final Duration CIRCUIT_OPEN_PAUSE = Duration.ofSeconds(10);

    private final OutboxClaims claims;
    private final SfmcClients clients;
    private final SfmcConfig config;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final RetryPolicy rowRetry;
    private final ThrottlePause pause;
    private final SfmcHealthGate health;

    OutcomeRecorder(OutboxClaims claims, SfmcClients clients, SfmcConfig config, MeterRegistry metrics, Clock clock,
                    RetryPolicy rowRetry, ThrottlePause pause, SfmcHealthGate health) {
        this.claims = claims;
        this.clients = clients;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.rowRetry = rowRetry;
        this.pause = pause;
        this.health = health;
    }

    /** SFMC answered 200; returns whether the addresses are to be read back. */
    boolean added(String target, List<Chunk.Address> addresses) {
        Instant now = clock.instant();
        boolean readBack = config.verifyWrites();
        if (readBack) {
            claims.addedAwaitingReadBack(rows(addresses), now.plus(config.claimLease()), now);
        } else {
            claims.added(rows(addresses), now);
        }
        count("added", target, addresses.size());
        return readBack;
    }

    /** The mock recorded the rows instead of SFMC. */
    void skippedWithMock(String target, List<OutboxClaims.Claimed> rows) {
        claims.skipped(rows, SkipReason.MOCK_CLIENT, clock.instant());
        count("skipped_mock", target, rows.size());
    }

    /** A 400 about a row of a request of several: the request is sent again in halves. */
    void split(String target, int addresses) {
        count("split", target, addresses);
    }

    /** SFMC refused the rows for good (a 400 about the one row or about the data extension). */
    void fail(String target, List<Chunk.Address> addresses, String message) {
        clients.recordError(clock.instant(), "Data extension " + target + ": " + message);
        claims.failed(rows(addresses), message == null ? "refused by SFMC" : message, clock.instant());
        count("failed", target, addresses.size());
        Log.warnf("%d suppression(s) for data extension %s failed: %s", addresses.size(), target, message);
    }

    /** An upsert met an SFMC error; all but FAILED also {@code stop} the flush's further upserts. */
    void onError(SfmcException e, String target, List<Chunk.Address> addresses, AtomicBoolean stop) {
        Instant now = clock.instant();
        clients.recordError(now, e.getMessage());
        switch (e.kind()) {
            case THROTTLED -> {
                stop.set(true);
                claims.release(rows(addresses), pause.until(), now);
                count("throttled", target, addresses.size());
            }
            case BLOCKED -> {
                stop.set(true);
                claims.release(rows(addresses), pause.until(), now);
                count("throttled", target, addresses.size());
                Log.warnf("SFMC blocked our requests (50200); all upserts pause until %s", pause.until());
            }
            case UNREACHABLE -> {
                health.unreachable();
                stop.set(true);
                claims.release(rows(addresses), now, now);
                count("unreachable", target, addresses.size());
            }
            case FAILED -> attemptFailed(target, rows(addresses), e.getMessage());
        }
    }

    /** The circuit breaker refused the call before it was sent: no attempt, the rows wait for the pause. */
    void circuitOpen(List<Chunk.Address> addresses, AtomicBoolean stop) {
        pause.breakerOpen(CIRCUIT_OPEN_PAUSE);
        stop.set(true);
        claims.release(rows(addresses), pause.until(), clock.instant());
        Log.warnf("SFMC circuit breaker is open; upserts pause for %s", CIRCUIT_OPEN_PAUSE);
    }

    /** A timeout of the whole call, or something unexpected: counts as an attempt. */
    void upsertThrew(RuntimeException e, String target, List<Chunk.Address> addresses) {
        String message = "Upsert to " + target + " failed: " + e.getClass().getSimpleName();
        Log.warnf(e, "Unexpected failure of an upsert to %s", target);
        clients.recordError(clock.instant(), message);
        attemptFailed(target, rows(addresses), message);
    }

    /**
     * A read-back's result: the found rows are VERIFIED, a missing one is sent once more, or FAILED
     * if it was sent twice already. Returns whether any row went back to PENDING.
     */
    boolean readBack(String target, List<Chunk.Address> found, List<Chunk.Address> notFound) {
        Instant now = clock.instant();
        claims.verified(rows(found), now);
        count("verified", target, found.size());
        List<OutboxClaims.Claimed> missing = rows(notFound);
        if (missing.isEmpty()) {
            return false;
        }
        int failed = claims.notInDataExtension(missing, now);
        count("not_in_data_extension", target, missing.size());
        clients.recordError(now, "Data extension " + target + ": " + OutboxClaims.NOT_IN_DATA_EXTENSION);
        Log.warnf("%d row(s) of data extension %s were not found after SFMC answered 200: %d sent once more, %d FAILED",
                missing.size(), target, missing.size() - failed, failed);
        return true;
    }

    /** A read-back met an SFMC error: throttling and an unreachable SFMC leave it to be read again. */
    void onReadBackError(SfmcException e, String target, List<Chunk.Address> addresses) {
        Instant now = clock.instant();
        clients.recordError(now, e.getMessage());
        switch (e.kind()) {
            case THROTTLED, BLOCKED -> {
                claims.release(rows(addresses), pause.until(), now);
            }
            case UNREACHABLE -> {
                health.unreachable();
                claims.release(rows(addresses), now, now);
            }
            case FAILED -> readBackFailed(target, rows(addresses), "Read-back failed: " + e.getMessage());
        }
    }

    void readBackThrew(RuntimeException e, String target, List<Chunk.Address> addresses) {
        String message = "Read-back of " + target + " failed: " + e.getClass().getSimpleName();
        Log.warnf(e, "Unexpected failure of a read-back of %s", target);
        readBackFailed(target, rows(addresses), message);
    }

    private void readBackFailed(String target, List<OutboxClaims.Claimed> rows, String message) {
        claims.readBackFailed(rows, message, clock.instant());
        count("read_back_failed", target, rows.size());
        Log.warnf("%d row(s) of data extension %s stay ADDED without a read-back: %s", rows.size(), target, message);
    }

    /** An error that counts against each row's attempts: retried later, FAILED once attempts run out. */
    private void attemptFailed(String target, List<OutboxClaims.Claimed> rows, String message) {
        Instant now = clock.instant();
        List<OutboxClaims.Claimed> exhausted = rows.stream().filter(r -> r.attempts() + 1 >= config.maxAttempts()).toList();
        List<OutboxClaims.Claimed> again = rows.stream().filter(r -> r.attempts() + 1 < config.maxAttempts()).toList();
        claims.failed(exhausted, message, now);
        count("failed", target, exhausted.size());
        again.stream().collect(Collectors.groupingBy(OutboxClaims.Claimed::attempts)).forEach((attempts, group) -> {
            Duration wait = rowRetry.delayAfter(attempts + 1);
            claims.retryLater(group, message, now.plus(wait), now);
        });
        count("retry", target, again.size());
        Log.warnf("Upsert of %d row(s) to %s failed (%s); %d will be retried, %d gave up", rows.size(), target, message,
                again.size(), exhausted.size());
    }

    private void count(String outcome, String target, int rows) {
        if (rows > 0) {
            metrics.counter("sfmc.upserts", "outcome", outcome, "data_extension", target).increment(rows);
        }
    }
}
