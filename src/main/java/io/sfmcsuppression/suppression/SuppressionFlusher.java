package io.sfmcsuppression.suppression;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

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
import io.sfmcsuppression.sfmc.SfmcThrottle;

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
 *
 * <p>This class schedules the flush and runs the drain loop and the sender threads; the requests
 * and their splitting are {@link UpsertSender}'s, what an answer means for the rows is
 * {@link OutcomeRecorder}'s, the reads {@link ReadBackVerifier}'s, and the holds after throttling
 * and while SFMC is unreachable are {@link ThrottlePause} and {@link SfmcHealthGate}.
 */
@ApplicationScoped
public class SuppressionFlusher {

    /** Within Kubernetes' grace period (45 s) after HTTP has drained (quarkus.shutdown.timeout, 30 s). */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** Up to a fifth more, so that rows (and replicas) that failed together are not retried together. */
    private static final double ROW_JITTER = 0.2;

    private final OutboxClaims claims;
    private final EffectiveSfmcClient effective;
    private final SfmcConfig config;
    private final Clock clock;
    private final FlusherControl control;
    private final ThrottlePause pause;
    private final SfmcHealthGate health;
    private final ReadBackVerifier verifier;
    private final UpsertSender sender;

    private final ExecutorService senders;
    private final ExecutorService waker;
    private final Semaphore slots;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean again = new AtomicBoolean();

    private volatile boolean stopping;

    SuppressionFlusher(OutboxClaims claims, EffectiveSfmcClient effective, DataExtensionRows dataExtensions,
                       SfmcClients clients, SfmcThrottle throttle, SfmcConfig config, MeterRegistry metrics, Clock clock,
                       FlusherControl control) {
        this.control = control;
        this.claims = claims;
        this.effective = effective;
        this.config = config;
        this.clock = clock;
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
        this.pause = new ThrottlePause(clock, throttle);
        this.health = new SfmcHealthGate(clients,
                new RetryPolicy(config.healthBackoff(), config.healthBackoffMax(), ROW_JITTER));
        OutcomeRecorder outcomes = new OutcomeRecorder(claims, clients, config, metrics, clock,
                new RetryPolicy(config.retryBackoff(), config.retryBackoffMax(), ROW_JITTER), pause, health);
        this.verifier = new ReadBackVerifier(claims, dataExtensions, config, clock, outcomes, () -> stopping, this::wake);
        this.sender = new UpsertSender(outcomes, verifier);
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
            verifier.finishInFlight(SHUTDOWN_GRACE);
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
        verifier.stop();
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
                if (pause.holds(now) || control.paused()
                        || (!client.isMock() && !health.open(client, now))) {
                    return;
                }
                List<OutboxClaims.Claimed> claimed = claims.claim(now, now.plus(config.claimLease()), limit);
                boolean last = claimed.size() < limit;
                if (client.isMock()) {
                    sender.skipWithMock(client, claimed);
                } else {
                    for (Chunk chunk : buffer.add(claimed, last)) {
                        dispatch(chunk, stop, c -> sender.send(client, c.target(), c.addresses(), stop));
                    }
                }
                if (last) {
                    if (!client.isMock() && verifier.queueReadBacksDue(now, limit, batchSize())) {
                        again.set(true);
                    }
                    return;
                }
            }
        } finally {
            List<OutboxClaims.Claimed> unsent = buffer.rest();
            if (!unsent.isEmpty()) {
                claims.release(unsent, pause.resumeAt(), clock.instant());
            }
            awaitInFlight();
            verifier.readAllWaiting();
        }
    }

    /** Runs {@code work} for one chunk on a free sender, waiting for one if all are busy. */
    private void dispatch(Chunk chunk, AtomicBoolean stop, Consumer<Chunk> work) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            claims.release(Chunk.rows(chunk.addresses()), pause.resumeAt(), clock.instant());
            stop.set(true);
            return;
        }
        try {
            // The upsert's REST span joins the flush's trace (the sender is another thread).
            senders.execute(Context.current().wrap(() -> {
                try {
                    if (stop.get() || stopping) {
                        claims.release(Chunk.rows(chunk.addresses()), pause.resumeAt(), clock.instant());
                    } else {
                        work.accept(chunk);
                    }
                } catch (RuntimeException e) {
                    Log.errorf(e, "An upsert to %s failed unexpectedly; its rows are due again", chunk.target());
                    claims.giveBack(Chunk.rows(chunk.addresses()), clock.instant());
                } finally {
                    slots.release();
                }
            }));
        } catch (RejectedExecutionException e) {
            // Shutting down: the senders take no more work.
            slots.release();
            claims.release(Chunk.rows(chunk.addresses()), clock.instant(), clock.instant());
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

    private int batchSize() {
        return Math.max(1, config.upsertBatchSize());
    }

    /** Has the flusher look again (rows a read-back sent back to PENDING are due now). */
    private void wake() {
        try {
            waker.execute(this::flushNow);
        } catch (RejectedExecutionException e) {
            Log.debug("Shutting down: the rows sent back to PENDING go with the next start or replica");
        }
    }
}
