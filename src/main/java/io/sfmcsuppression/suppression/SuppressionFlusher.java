package io.sfmcsuppression.suppression;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.sfmcsuppression.config.RetryPolicy;
import io.sfmcsuppression.sfmc.DataExtensionRows;
import io.sfmcsuppression.sfmc.SfmcClient;
import io.sfmcsuppression.sfmc.SfmcClients;
import io.sfmcsuppression.sfmc.SfmcConfig;
import io.sfmcsuppression.sfmc.SfmcException;

/**
 * Drains the suppression outbox into SFMC. Runs every {@code sfmc.flush-interval} and right after
 * a batch with new PENDING rows commits. Claims due rows (safe across replicas), groups them by
 * data extension, sends batches of {@code sfmc.upsert-batch-size} with at most
 * {@code sfmc.upsert-in-flight} requests at once, and records each row's fate: ADDED only on SFMC's
 * 200, then (with {@code sfmc.verify-writes}) VERIFIED once a read of the data extension finds it
 * (reads run on their own threads, beside the upserts, see {@link AwaitingReadBack});
 * a row missing after a 200 is sent once more, then FAILED; on a 400 about a row the batch is split
 * until every good row has landed and every bad row is FAILED with SFMC's message (a 400 about the
 * data extension fails the batch at once); throttling parks the rows until Retry-After; an
 * unreachable SFMC leaves them
 * PENDING while its health is re-checked with back-off. With the mock client the rows become
 * SKIPPED with reason MOCK_CLIENT and the mock records what it would have sent.
 */
@ApplicationScoped
public class SuppressionFlusher {

    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);
    private static final Duration CIRCUIT_OPEN_PAUSE = Duration.ofSeconds(10);
    /** Within Kubernetes' grace period (45 s) after HTTP has drained (quarkus.shutdown.timeout, 30 s). */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** A group this large (4 pages of a read by run date) is read while upserts go on; a smaller one when the flush ends. */
    private static final int READ_BACK_GROUP = 4 * DataExtensionRows.PAGE_SIZE;
    /** Up to a fifth more, so that rows (and replicas) that failed together are not retried together. */
    private static final double ROW_JITTER = 0.2;

    private final OutboxClaims claims;
    private final SuppressionOutbox outbox;
    private final EffectiveSfmcClient effective;
    private final DataExtensionRows dataExtensions;
    private final SfmcClients clients;
    private final SfmcConfig config;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final FlusherControl control;

    private final ExecutorService senders;
    private final ExecutorService waker;
    /**
     * Read-backs run here, outside the upserts' slots, so a read never holds up an upsert; as many
     * threads as upsert slots, because most groups are read when the flush has nothing more to send.
     */
    private final ExecutorService readers;
    private final AwaitingReadBack awaiting;
    private final Semaphore slots;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean again = new AtomicBoolean();

    private volatile Instant pausedUntil = Instant.MIN;
    private volatile boolean stopping;
    private volatile boolean healthy;
    private Instant nextHealthCheck = Instant.MIN;
    private final RetryPolicy rowRetry;
    private final RetryPolicy healthRetry;
    private int failedHealthChecks;

    SuppressionFlusher(OutboxClaims claims, SuppressionOutbox outbox, EffectiveSfmcClient effective,
                       DataExtensionRows dataExtensions, SfmcClients clients, SfmcConfig config, MeterRegistry metrics,
                       Clock clock, FlusherControl control) {
        this.control = control;
        this.claims = claims;
        this.outbox = outbox;
        this.effective = effective;
        this.dataExtensions = dataExtensions;
        this.clients = clients;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.rowRetry = new RetryPolicy(config.retryBackoff(), config.retryBackoffMax(), ROW_JITTER);
        this.healthRetry = new RetryPolicy(config.healthBackoff(), config.healthBackoffMax(), ROW_JITTER);
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
        AtomicInteger readerCount = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(Math.max(1, config.upsertInFlight()), task -> {
            Thread t = new Thread(task, "sfmc-read-back-" + readerCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.awaiting = new AwaitingReadBack(READ_BACK_GROUP, config.claimLease().dividedBy(4));
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
            // Rows whose read has not started stay ADDED with their lease: any replica reads them after it.
            readers.shutdown();
            if (!readers.awaitTermination(SHUTDOWN_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                Log.warnf("Read-backs still in flight after %s; their rows are read again once the claim lease ends", SHUTDOWN_GRACE);
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
        readers.shutdownNow();
    }

    @Scheduled(every = "${sfmc.flush-interval}", delayed = "1s", identity = "suppression-flusher",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        flushNow();
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
                if (now.isBefore(pausedUntil) || control.paused()
                        || (!client.isMock() && !healthy && !becameHealthy(client, now))) {
                    return;
                }
                List<OutboxClaims.Claimed> claimed = claims.claim(now, now.plus(config.claimLease()), limit);
                boolean last = claimed.size() < limit;
                if (client.isMock()) {
                    skipWithMock(client, claimed);
                } else {
                    for (Chunk chunk : buffer.add(claimed, last)) {
                        dispatch(chunk, stop, c -> send(client, c.target(), c.addresses(), stop));
                    }
                }
                if (last) {
                    if (!client.isMock()) {
                        queueReadBacksDue(now, limit);
                    }
                    return;
                }
            }
        } finally {
            List<OutboxClaims.Claimed> unsent = buffer.rest();
            if (!unsent.isEmpty()) {
                claims.release(unsent, resumeAt(), clock.instant());
            }
            awaitInFlight();
            awaiting.takeAll().forEach(this::read);
        }
    }

    /**
     * Reads back rows whose read did not happen where their 200 arrived: the replica that got it
     * stopped or crashed before (its lease ended), or the read met throttling or an unreachable SFMC.
     */
    private void queueReadBacksDue(Instant now, int limit) {
        List<OutboxClaims.Claimed> due = claims.claimReadBacks(now, now.plus(config.claimLease()), limit);
        for (Chunk chunk : new ChunkBuffer(batchSize()).add(due, true)) {
            awaiting.add(chunk.target(), chunk.addresses(), now).forEach(this::read);
        }
        if (due.size() == limit) {
            again.set(true);
        }
    }

    /** Runs {@code work} for one chunk on a free sender, waiting for one if all are busy. */
    private void dispatch(Chunk chunk, AtomicBoolean stop, Consumer<Chunk> work) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            claims.release(rows(chunk.addresses()), resumeAt(), clock.instant());
            stop.set(true);
            return;
        }
        try {
            // The upsert's REST span joins the flush's trace (the sender is another thread).
            senders.execute(Context.current().wrap(() -> {
                try {
                    if (stop.get() || stopping) {
                        claims.release(rows(chunk.addresses()), resumeAt(), clock.instant());
                    } else {
                        work.accept(chunk);
                    }
                } catch (RuntimeException e) {
                    Log.errorf(e, "An upsert to %s failed unexpectedly; its rows are due again", chunk.target());
                    claims.giveBack(rows(chunk.addresses()), clock.instant());
                } finally {
                    slots.release();
                }
            }));
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
            failedHealthChecks = 0;
            return true;
        }
        clients.recordError(now, health.detail());
        Duration wait = healthRetry.delayAfter(++failedHealthChecks);
        nextHealthCheck = now.plus(wait);
        Log.warnf("SFMC is not reachable (%s); suppressions stay PENDING, next check in %s", health.detail(), wait);
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

    /** Upserts the addresses (splitting on a 400 about a row); those SFMC answered 200 for wait for their read-back. */
    private void send(SfmcClient client, String target, List<Chunk.Address> addresses, AtomicBoolean stop) {
        List<Chunk.Address> landed = new ArrayList<>();
        upsert(client, target, addresses, stop, landed);
        if (!landed.isEmpty()) {
            awaiting.add(target, landed, clock.instant()).forEach(this::read);
        }
    }

    /** One upsert request; the addresses of every request answered 200 go to {@code landed} when they are to be read back. */
    private void upsert(SfmcClient client, String target, List<Chunk.Address> addresses, AtomicBoolean stop,
                        List<Chunk.Address> landed) {
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
                Instant now = clock.instant();
                if (config.verifyWrites()) {
                    claims.addedAwaitingReadBack(rows(addresses), now.plus(config.claimLease()), now);
                    landed.addAll(addresses);
                } else {
                    claims.added(rows(addresses), now);
                }
                count("added", target, addresses.size());
            }
            case REJECTED -> {
                if (addresses.size() == 1) {
                    fail(target, addresses, result.message());
                } else {
                    // SFMC saved the rows before the first bad one; halves find it, and upserts are idempotent.
                    int half = addresses.size() / 2;
                    count("split", target, addresses.size());
                    upsert(client, target, addresses.subList(0, half), stop, landed);
                    upsert(client, target, addresses.subList(half, addresses.size()), stop, landed);
                }
            }
            case REFUSED -> fail(target, addresses, result.message());
        }
    }

    /** Hands a group to the read-back threads; while stopping its rows stay ADDED with their lease, read after it. */
    private void read(AwaitingReadBack.Group group) {
        if (stopping) {
            return;
        }
        try {
            readers.execute(Context.current().wrap(() -> {
                try {
                    readBack(group.target(), group.runDate(), group.addresses());
                } catch (RuntimeException e) {
                    Log.errorf(e, "A read-back of %s failed unexpectedly; its rows are due again", group.target());
                    claims.giveBack(rows(group.addresses()), clock.instant());
                }
            }));
        } catch (RejectedExecutionException e) {
            Log.debugf("Shutting down: %d row(s) of %s are read back after their lease", group.addresses().size(), group.target());
        }
    }

    /**
     * Reads the addresses back from the data extension: found rows are VERIFIED; a row not found is
     * sent once more, and FAILED if it is missing after that second 200 as well.
     */
    private void readBack(String target, LocalDate runDate, List<Chunk.Address> addresses) {
        Set<String> found;
        try {
            found = present(target, runDate, addresses);
        } catch (SfmcException e) {
            onReadBackError(e, target, addresses);
            return;
        } catch (RuntimeException e) {
            String message = "Read-back of " + target + " failed: " + e.getClass().getSimpleName();
            Log.warnf(e, "Unexpected failure of a read-back of %s", target);
            readBackFailed(target, rows(addresses), message);
            return;
        }
        Map<Boolean, List<Chunk.Address>> byFound = addresses.stream()
                .collect(Collectors.partitioningBy(a -> found.contains(a.email().toLowerCase(Locale.ROOT))));
        Instant now = clock.instant();
        claims.verified(rows(byFound.get(true)), now);
        count("verified", target, byFound.get(true).size());
        List<OutboxClaims.Claimed> missing = rows(byFound.get(false));
        if (!missing.isEmpty()) {
            int failed = claims.notInDataExtension(missing, now);
            count("not_in_data_extension", target, missing.size());
            clients.recordError(now, "Data extension " + target + ": " + OutboxClaims.NOT_IN_DATA_EXTENSION);
            Log.warnf("%d row(s) of data extension %s were not found after SFMC answered 200: %d sent once more, %d FAILED",
                    missing.size(), target, missing.size() - failed, failed);
            wake();
        }
    }

    /**
     * The lower-cased addresses among {@code addresses} that the data extension holds. While that
     * takes fewer calls than reading by address ({@value DataExtensionRows#VALUES_PER_READ} per
     * call), the rows of the run date are read ({@code Date Added eq '2026-11-23'}, pages of
     * {@value DataExtensionRows#PAGE_SIZE}); what that did not find is read by address, so a row
     * whose date SFMC kept from an earlier write is still found.
     */
    private Set<String> present(String target, LocalDate runDate, List<Chunk.Address> addresses) {
        Set<String> found = new HashSet<>();
        int byAddress = (addresses.size() + DataExtensionRows.VALUES_PER_READ - 1) / DataExtensionRows.VALUES_PER_READ;
        if (byAddress > 1) {
            try {
                dataExtensions.findEqual(target, config.dateField(), runDate.toString(), byAddress - 1)
                        .ifPresent(rows -> found.addAll(emails(rows)));
            } catch (SfmcException e) {
                if (e.kind() != SfmcException.Kind.FAILED || e.status() != 400) {
                    throw e;
                }
                Log.warnf("SFMC refused a read of %s by %s (%s); these rows are read back by address",
                        target, config.dateField(), e.getMessage());
            }
        }
        List<String> rest = addresses.stream().map(Chunk.Address::email)
                .filter(email -> !found.contains(email.toLowerCase(Locale.ROOT))).toList();
        if (!rest.isEmpty()) {
            found.addAll(emails(dataExtensions.find(target, config.emailField(), rest)));
        }
        return found;
    }

    private List<String> emails(List<Map<String, String>> rows) {
        String column = config.emailField().toLowerCase(Locale.ROOT);
        return rows.stream().map(row -> row.get(column)).filter(Objects::nonNull)
                .map(email -> email.toLowerCase(Locale.ROOT)).toList();
    }

    /** Has the flusher look again (rows a read-back sent back to PENDING are due now). */
    private void wake() {
        try {
            waker.execute(this::flushNow);
        } catch (RejectedExecutionException e) {
            Log.debug("Shutting down: the rows sent back to PENDING go with the next start or replica");
        }
    }

    private void onReadBackError(SfmcException e, String target, List<Chunk.Address> addresses) {
        Instant now = clock.instant();
        clients.recordError(now, e.getMessage());
        switch (e.kind()) {
            case THROTTLED, BLOCKED -> {
                pause(e.kind() == SfmcException.Kind.BLOCKED
                        ? max(config.blockedBackoff(), e.retryAfter().orElse(Duration.ZERO))
                        : e.retryAfter().orElse(DEFAULT_RETRY_AFTER));
                claims.release(rows(addresses), pausedUntil, now);
            }
            case UNREACHABLE -> {
                healthy = false;
                claims.release(rows(addresses), now, now);
            }
            case FAILED -> readBackFailed(target, rows(addresses), "Read-back failed: " + e.getMessage());
        }
    }

    private void readBackFailed(String target, List<OutboxClaims.Claimed> rows, String message) {
        claims.readBackFailed(rows, message, clock.instant());
        count("read_back_failed", target, rows.size());
        Log.warnf("%d row(s) of data extension %s stay ADDED without a read-back: %s", rows.size(), target, message);
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
            Duration wait = rowRetry.delayAfter(attempts + 1);
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

    private void count(String outcome, String target, int rows) {
        if (rows > 0) {
            metrics.counter("sfmc.upserts", "outcome", outcome, "data_extension", target).increment(rows);
        }
    }

    private static List<OutboxClaims.Claimed> rows(List<Chunk.Address> addresses) {
        return addresses.stream().flatMap(a -> a.rows().stream()).toList();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
