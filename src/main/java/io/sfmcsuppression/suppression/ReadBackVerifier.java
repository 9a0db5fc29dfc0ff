package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.suppression.Chunk.rows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;
import io.sfmcsuppression.sfmc.DataExtensionRows;
import io.sfmcsuppression.sfmc.SfmcConfig;
import io.sfmcsuppression.sfmc.SfmcException;

/**
 * With {@code sfmc.verify-writes}, reads the rows SFMC answered 200 for back from their data
 * extension: they wait in {@link AwaitingReadBack} until their group is due, are read on threads
 * of their own and the {@link OutcomeRecorder} records what the read found. Also picks up the
 * read-backs that did not happen where their 200 arrived.
 */
final class ReadBackVerifier {

    /** A group this large (4 pages of a read by run date) is read while upserts go on; a smaller one when the flush ends. */
    private static final int READ_BACK_GROUP = 4 * DataExtensionRows.PAGE_SIZE;

    private final OutboxClaims claims;
    private final DataExtensionRows dataExtensions;
    private final SfmcConfig config;
    private final Clock clock;
    private final OutcomeRecorder outcomes;
    private final BooleanSupplier stopping;
    private final Runnable wake;
    /**
     * Read-backs run here, outside the upserts' slots, so a read never holds up an upsert; as many
     * threads as upsert slots, because most groups are read when the flush has nothing more to send.
     */
    private final ExecutorService readers;
    private final AwaitingReadBack awaiting;

    /**
     * @param stopping whether the service is shutting down (then no read starts)
     * @param wake     has the flusher look again, for rows a read sent back to PENDING
     */
    ReadBackVerifier(OutboxClaims claims, DataExtensionRows dataExtensions, SfmcConfig config, Clock clock,
                     OutcomeRecorder outcomes, BooleanSupplier stopping, Runnable wake) {
        this.claims = claims;
        this.dataExtensions = dataExtensions;
        this.config = config;
        this.clock = clock;
        this.outcomes = outcomes;
        this.stopping = stopping;
        this.wake = wake;
        AtomicInteger readerCount = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(Math.max(1, config.upsertInFlight()), task -> {
            Thread t = new Thread(task, "sfmc-read-back-" + readerCount.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.awaiting = new AwaitingReadBack(READ_BACK_GROUP, config.claimLease().dividedBy(4));
    }

    /** Addresses SFMC answered 200 for: they are read back once their group is due. */
    void landed(String target, List<Chunk.Address> addresses) {
        awaiting.add(target, addresses, clock.instant()).forEach(this::read);
    }

    /**
     * Reads back rows whose read did not happen where their 200 arrived: the replica that got it
     * stopped or crashed before (its lease ended), or the read met throttling or an unreachable SFMC.
     *
     * @return whether {@code limit} rows were due, so that more may be
     */
    boolean queueReadBacksDue(Instant now, int limit, int batchSize) {
        List<OutboxClaims.Claimed> due = claims.claimReadBacks(now, now.plus(config.claimLease()), limit);
        for (Chunk chunk : new ChunkBuffer(batchSize).add(due, true)) {
            awaiting.add(chunk.target(), chunk.addresses(), now).forEach(this::read);
        }
        return due.size() == limit;
    }

    /** Starts the read of every group still waiting (the flush has nothing more to send). */
    void readAllWaiting() {
        awaiting.takeAll().forEach(this::read);
    }

    /** On shutdown, once the upserts are done: lets the reads in flight finish for up to {@code grace}. */
    void finishInFlight(Duration grace) throws InterruptedException {
        // Rows whose read has not started stay ADDED with their lease: any replica reads them after it.
        readers.shutdown();
        if (!readers.awaitTermination(grace.toSeconds(), TimeUnit.SECONDS)) {
            Log.warnf("Read-backs still in flight after %s; their rows are read again once the claim lease ends", grace);
        }
    }

    void stop() {
        readers.shutdownNow();
    }

    /** Hands a group to the read-back threads; while stopping its rows stay ADDED with their lease, read after it. */
    private void read(AwaitingReadBack.Group group) {
        if (stopping.getAsBoolean()) {
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
            outcomes.onReadBackError(e, target, addresses);
            return;
        } catch (RuntimeException e) {
            outcomes.readBackThrew(e, target, addresses);
            return;
        }
        Map<Boolean, List<Chunk.Address>> byFound = addresses.stream()
                .collect(Collectors.partitioningBy(a -> found.contains(a.email().toLowerCase(Locale.ROOT))));
        if (outcomes.readBack(target, byFound.get(true), byFound.get(false))) {
            wake.run();
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
}
