package io.sfmcsuppression.suppression;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.sfmcsuppression.sfmc.SfmcClient;
import io.sfmcsuppression.sfmc.SfmcClients;
import io.sfmcsuppression.sfmc.SfmcConfig;
import io.sfmcsuppression.sfmc.SfmcException;

/**
 * Drains the suppression outbox into SFMC. Runs every {@code sfmc.flush-interval} and right after
 * a batch with new PENDING rows commits. Claims due rows (safe across replicas), groups them by
 * data extension, sends batches of {@code sfmc.upsert-batch-size} with at most
 * {@code sfmc.upsert-in-flight} requests at once, and records each row's fate: ADDED only on SFMC's
 * 200; on a 400 the batch is split until every good row has landed and every bad row is FAILED with
 * SFMC's message; throttling parks the rows until Retry-After; an unreachable SFMC leaves them
 * PENDING while its health is re-checked with back-off. With the mock client the rows become
 * SKIPPED with reason MOCK_CLIENT and the mock records what it would have sent.
 */
@ApplicationScoped
public class SuppressionFlusher {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration CIRCUIT_OPEN_PAUSE = Duration.ofSeconds(10);
    private static final Duration DEPTH_REFRESH = Duration.ofSeconds(10);
    /** Within Kubernetes' grace period (45 s) after HTTP has drained (quarkus.shutdown.timeout, 30 s). */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final OutboxClaims claims;
    private final SuppressionOutbox outbox;
    private final EffectiveSfmcClient effective;
    private final SfmcClients clients;
    private final SfmcConfig config;
    private final MeterRegistry metrics;
    private final Clock clock;

    private final ExecutorService senders;
    private final ExecutorService waker;
    private final Semaphore slots;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean again = new AtomicBoolean();
    private final Map<OutboxState, AtomicLong> depth = new EnumMap<>(OutboxState.class);

    private volatile Instant pausedUntil = Instant.MIN;
    private volatile boolean stopping;
    private volatile boolean healthy;
    private Instant nextHealthCheck = Instant.MIN;
    private Duration healthWait;
    private Instant depthRefreshedAt = Instant.MIN;

    SuppressionFlusher(OutboxClaims claims, SuppressionOutbox outbox, EffectiveSfmcClient effective, SfmcClients clients,
                       SfmcConfig config, MeterRegistry metrics, Clock clock) {
        this.claims = claims;
        this.outbox = outbox;
        this.effective = effective;
        this.clients = clients;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.healthWait = config.healthBackoff();
        this.slots = new Semaphore(Math.max(1, config.upsertInFlight()));
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(Math.max(1, config.upsertInFlight()), r -> {
            Thread t = new Thread(r, "sfmc-upsert-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.waker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "suppression-flusher-wake");
            t.setDaemon(true);
            return t;
        });
        for (OutboxState state : OutboxState.values()) {
            AtomicLong value = new AtomicLong();
            depth.put(state, value);
            Gauge.builder("suppression.outbox.depth", value, AtomicLong::get).tag("state", state.name())
                    .description("Suppression outbox rows by state").register(metrics);
        }
    }

    /**
     * On SIGTERM: claims nothing more, lets the upserts in flight finish (SFMC's answer is recorded)
     * and hands the rows not yet sent back as due now, so the next replica or start sends them at
     * once instead of after the claim lease.
     */
    void finishInFlight(@Observes ShutdownEvent event) {
        stopping = true;
        waker.shutdown();
        senders.shutdown();
        try {
            if (!senders.awaitTermination(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                Log.warnf("Upserts still in flight after %s; their rows are sent again once the claim lease ends", SHUTDOWN_GRACE);
            }
            // The drain loop still holds claimed rows it never handed to a sender; it hands them back
            // before it lets go of the lock, and must do so while the datasource is still open.
            if (running.tryLock(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                running.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        waker.shutdownNow();
        senders.shutdownNow();
    }

    @Scheduled(every = "${sfmc.flush-interval:2s}", delayed = "1s", identity = "suppression-flusher",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        flushNow();
        refreshDepth();
    }

    void onQueued(@Observes(during = TransactionPhase.AFTER_SUCCESS) SuppressionsQueued queued) {
        waker.execute(this::flushNow);
    }

    /** Sends whatever is due now; a call while a flush runs makes that flush look again. */
    public void flushNow() {
        if (stopping) {
            return;
        }
        again.set(true);
        while (again.get() && running.tryLock()) {
            try {
                while (again.getAndSet(false)) {
                    drain();
                }
            } catch (RuntimeException e) {
                Log.errorf("The suppression flusher failed: %s", e.getMessage());
                Log.debug("Flusher failure", e);
            } finally {
                running.unlock();
            }
        }
    }

    /**
     * Claims due rows and keeps {@code sfmc.upsert-in-flight} upserts going: a chunk leaves as soon as
     * it holds a full batch of one data extension, the next claim is taken while earlier chunks are
     * still in flight, and a part-filled chunk waits for the next claim unless the outbox has no more.
     */
    private void drain() {
        SfmcClient client = effective.client();
        int limit = batchSize() * Math.max(1, config.upsertInFlight()) * 5;
        ChunkBuffer buffer = new ChunkBuffer(batchSize());
        AtomicBoolean stop = new AtomicBoolean();
        try {
            while (!stopping && !stop.get()) {
                Instant now = clock.instant();
                if (now.isBefore(pausedUntil) || (!client.isMock() && !healthy && !becameHealthy(client, now))) {
                    return;
                }
                List<OutboxClaims.Claimed> claimed = claims.claim(now, now.plus(config.claimLease()), limit);
                boolean last = claimed.size() < limit;
                if (client.isMock()) {
                    skipWithMock(client, claimed);
                } else {
                    for (Chunk chunk : buffer.add(claimed, last)) {
                        dispatch(client, chunk, stop);
                    }
                }
                if (last) {
                    return;
                }
            }
        } finally {
            List<OutboxClaims.Claimed> unsent = buffer.rest();
            if (!unsent.isEmpty()) {
                claims.release(unsent, resumeAt(), clock.instant());
            }
            awaitInFlight();
        }
    }

    /** Sends one chunk on a free sender, waiting for one if all are busy. */
    private void dispatch(SfmcClient client, Chunk chunk, AtomicBoolean stop) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            claims.release(rows(chunk.addresses()), resumeAt(), clock.instant());
            stop.set(true);
            return;
        }
        try {
            senders.execute(() -> {
                try {
                    if (stop.get() || stopping) {
                        claims.release(rows(chunk.addresses()), resumeAt(), clock.instant());
                    } else {
                        send(client, chunk.target(), chunk.addresses(), stop);
                    }
                } catch (RuntimeException e) {
                    Log.errorf("An upsert to %s failed unexpectedly: %s", chunk.target(), e.getMessage());
                } finally {
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            // Shutting down: the senders take no more work.
            slots.release();
            claims.release(rows(chunk.addresses()), clock.instant(), clock.instant());
            stop.set(true);
        }
    }

    /** Returns once every chunk handed to the senders has its answer recorded. */
    private void awaitInFlight() {
        int all = Math.max(1, config.upsertInFlight());
        try {
            slots.acquire(all);
            slots.release(all);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Instant resumeAt() {
        Instant now = clock.instant();
        return pausedUntil.isAfter(now) ? pausedUntil : now;
    }

    private int batchSize() {
        return Math.max(1, config.upsertBatchSize());
    }

    private boolean becameHealthy(SfmcClient client, Instant now) {
        if (now.isBefore(nextHealthCheck)) {
            return false;
        }
        SfmcClient.Health health = client.checkHealth();
        if (health.up()) {
            Log.infof("SFMC answers: %s", health.detail());
            healthy = true;
            healthWait = config.healthBackoff();
            return true;
        }
        clients.recordError(now, health.detail());
        nextHealthCheck = now.plus(jitter(healthWait));
        Log.warnf("SFMC is not reachable (%s); suppressions stay PENDING, next check in %s", health.detail(), healthWait);
        healthWait = min(healthWait.multipliedBy(2), config.healthBackoffMax());
        return false;
    }

    private void skipWithMock(SfmcClient mock, List<OutboxClaims.Claimed> claimed) {
        Map<String, List<OutboxClaims.Claimed>> byTarget = claimed.stream()
                .collect(Collectors.groupingBy(OutboxClaims.Claimed::target, LinkedHashMap::new, Collectors.toList()));
        byTarget.forEach((target, rows) -> {
            mock.upsert(target, rows.stream().map(r -> new SfmcClient.Row(r.email(), r.runDate())).toList());
            claims.skipped(rows, SkipReason.MOCK_CLIENT, clock.instant());
            count("skipped_mock", target, rows.size());
        });
    }

    private void send(SfmcClient client, String target, List<Chunk.Address> addresses, AtomicBoolean stop) {
        List<SfmcClient.Row> body = addresses.stream()
                .map(a -> new SfmcClient.Row(a.email(), a.rows().get(0).runDate())).toList();
        SfmcClient.UpsertResult result;
        try {
            result = client.upsert(target, body);
        } catch (SfmcException e) {
            onError(e, target, addresses, stop);
            return;
        } catch (CircuitBreakerOpenException e) {
            pause(CIRCUIT_OPEN_PAUSE);
            stop.set(true);
            claims.release(rows(addresses), pausedUntil, clock.instant());
            Log.warnf("SFMC circuit breaker is open; upserts pause for %s", CIRCUIT_OPEN_PAUSE);
            return;
        } catch (RuntimeException e) {
            // A timeout of the whole call, or something unexpected: counts as an attempt.
            String message = "Upsert to " + target + " failed: " + e.getClass().getSimpleName();
            Log.warnf(e, "Unexpected failure of an upsert to %s", target);
            clients.recordError(clock.instant(), message);
            attemptFailed(target, rows(addresses), message);
            return;
        }
        switch (result.outcome()) {
            case ADDED -> {
                claims.added(rows(addresses), clock.instant());
                count("added", target, addresses.size());
            }
            case REJECTED -> {
                if (addresses.size() == 1) {
                    fail(target, addresses, result.message());
                } else {
                    // SFMC saved the rows before the first bad one; halves find it, and upserts are idempotent.
                    int half = addresses.size() / 2;
                    count("split", target, addresses.size());
                    send(client, target, addresses.subList(0, half), stop);
                    send(client, target, addresses.subList(half, addresses.size()), stop);
                }
            }
            case REFUSED -> fail(target, addresses, result.message());
        }
    }

    private void fail(String target, List<Chunk.Address> addresses, String message) {
        clients.recordError(clock.instant(), "Data extension " + target + ": " + message);
        claims.failed(rows(addresses), message == null ? "refused by SFMC" : message, clock.instant());
        count("failed", target, addresses.size());
        Log.warnf("%d suppression(s) for data extension %s failed: %s", addresses.size(), target, message);
    }

    private void onError(SfmcException e, String target, List<Chunk.Address> addresses, AtomicBoolean stop) {
        Instant now = clock.instant();
        clients.recordError(now, e.getMessage());
        switch (e.kind()) {
            case THROTTLED -> {
                pause(e.retryAfter().orElse(DEFAULT_RETRY_AFTER));
                stop.set(true);
                claims.release(rows(addresses), pausedUntil, now);
                count("throttled", target, addresses.size());
            }
            case BLOCKED -> {
                Duration wait = max(config.blockedBackoff(), e.retryAfter().orElse(Duration.ZERO));
                pause(wait);
                stop.set(true);
                claims.release(rows(addresses), pausedUntil, now);
                count("throttled", target, addresses.size());
                Log.warnf("SFMC blocked our requests (50200); all upserts pause for %s", wait);
            }
            case UNREACHABLE -> {
                healthy = false;
                stop.set(true);
                claims.release(rows(addresses), now, now);
                count("unreachable", target, addresses.size());
            }
            case FAILED -> attemptFailed(target, rows(addresses), e.getMessage());
        }
    }

    /** An error that counts against each row's attempts: retried later, FAILED once attempts run out. */
    private void attemptFailed(String target, List<OutboxClaims.Claimed> rows, String message) {
        Instant now = clock.instant();
        List<OutboxClaims.Claimed> exhausted = rows.stream().filter(r -> r.attempts() + 1 >= config.maxAttempts()).toList();
        List<OutboxClaims.Claimed> again = rows.stream().filter(r -> r.attempts() + 1 < config.maxAttempts()).toList();
        claims.failed(exhausted, message, now);
        count("failed", target, exhausted.size());
        again.stream().collect(Collectors.groupingBy(OutboxClaims.Claimed::attempts)).forEach((attempts, group) -> {
            Duration wait = jitter(config.retryBackoff().multipliedBy(1L << Math.min(attempts, 10)));
            claims.retryLater(group, message, now.plus(wait), now);
        });
        count("retry", target, again.size());
        Log.warnf("Upsert of %d row(s) to %s failed (%s); %d will be retried, %d gave up", rows.size(), target, message,
                again.size(), exhausted.size());
    }

    private synchronized void pause(Duration wait) {
        Instant until = clock.instant().plus(wait);
        if (until.isAfter(pausedUntil)) {
            pausedUntil = until;
        }
    }

    private void refreshDepth() {
        Instant now = clock.instant();
        if (now.isBefore(depthRefreshedAt.plus(DEPTH_REFRESH))) {
            return;
        }
        depthRefreshedAt = now;
        Map<String, Long> counts = outbox.depth();
        for (OutboxState state : OutboxState.values()) {
            long total = counts.entrySet().stream().filter(e -> e.getKey().equals(state.name())
                    || e.getKey().startsWith(state.name() + "_")).mapToLong(Map.Entry::getValue).sum();
            depth.get(state).set(total);
        }
    }

    private void count(String outcome, String target, int rows) {
        if (rows > 0) {
            metrics.counter("sfmc.upserts", "outcome", outcome, "data_extension", target).increment(rows);
        }
    }

    private static List<OutboxClaims.Claimed> rows(List<Chunk.Address> addresses) {
        return addresses.stream().flatMap(a -> a.rows().stream()).toList();
    }

    private static Duration jitter(Duration base) {
        long millis = base.toMillis();
        return Duration.ofMillis(millis + ThreadLocalRandom.current().nextLong(Math.max(1, millis / 5)));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
