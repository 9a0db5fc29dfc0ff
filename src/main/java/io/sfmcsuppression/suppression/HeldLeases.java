package io.sfmcsuppression.suppression;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.sfmcsuppression.sfmc.SfmcConfig;

/**
 * Keeps this process's claims alive while their work is in flight. A claim is short
 * ({@code sfmc.claim-lease}, 20 s): every quarter lease this heartbeat moves the lease end of each
 * row that still carries one of the process's claim tokens, so a live process keeps its rows however
 * slow SFMC answers, and the rows of a process that died are due for any other one a lease after
 * its last beat. A token whose rows are all settled (their token cleared) is dropped at the next beat.
 */
@ApplicationScoped
class HeldLeases {

    /** Rows are claimed in id order, so the id range keeps the renewal on the primary key (no index on the token). */
    private record Held(String token, long firstId, long lastId) {
    }

    /**
     * The rows to renew, locked without waiting: a row another transaction holds is being settled
     * (its outcome recorded) right now, and waiting for it while holding the rows locked before it
     * is how the heartbeat deadlocked with those updates on PostgreSQL (bench, 2026-12-03). A row
     * skipped now is renewed at the next beat, well within its lease, if it is still held. Only rows
     * with less than half a lease left are renewed: work that ends within half a lease (nearly all
     * of it) costs the heartbeat no write at all.
     */
    private static final String LOCK_HELD = """
            SELECT id FROM suppression_outbox
            WHERE claim_token = ? AND id BETWEEN ? AND ? AND state IN ('PENDING', 'ADDED') AND next_attempt_at < ?
            ORDER BY id FOR UPDATE SKIP LOCKED""";
    /** The rows just locked, in one statement (a claim holds up to a thousand). */
    private static final String RENEW = "UPDATE suppression_outbox SET next_attempt_at = GREATEST(next_attempt_at, ?) WHERE " + RowIds.CONDITION;
    /** Whether any row still carries the token, locked or not (a plain read never waits). */
    private static final String STILL_HELD = """
            SELECT COUNT(*) FROM suppression_outbox
            WHERE claim_token = ? AND id BETWEEN ? AND ? AND state IN ('PENDING', 'ADDED')""";

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final Duration lease;
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final ScheduledExecutorService heartbeat;

    HeldLeases(AgroalDataSource dataSource, Clock clock, SfmcConfig config, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.lease = config.claimLease();
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "claim-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, lease.toMillis() / 4);
        heartbeat.scheduleWithFixedDelay(this::renewAll, every, every, TimeUnit.MILLISECONDS);
        metrics.gaugeMapSize("suppression.claims.held", List.of(), held);
    }

    /** Keeps the rows of a claim just taken alive until their work is recorded. */
    void hold(List<OutboxClaims.Claimed> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        OutboxClaims.Claimed first = claimed.get(0);
        held.put(first.token(), new Held(first.token(), first.id(), claimed.get(claimed.size() - 1).id()));
    }

    @PreDestroy
    void stop() {
        heartbeat.shutdownNow();
    }

    /** Stops renewing a claim whose rows could not be given back: they are due again a lease later. */
    void letGo(String token) {
        held.remove(token);
    }

    /** One beat, one short transaction per claim: a failure (the database away) is logged; the next beat tries again within the lease. */
    void renewAll() {
        if (held.isEmpty()) {
            return;
        }
        try {
            Instant until = clock.instant().plus(lease);
            for (Held h : held.values()) {
                if (!QuarkusTransaction.requiringNew().call(() -> renew(h, until))) {
                    held.remove(h.token());
                }
            }
        } catch (RuntimeException e) {
            Log.warnf("Claim heartbeat failed (%s); the claims of this process run out %s after the last beat unless one succeeds",
                    e.getMessage(), lease);
        }
    }

    /** Renews the rows of one claim that are free to lock; false when none carries its token any more. */
    private boolean renew(Held h, Instant until) {
        try (Connection c = dataSource.getConnection(); PreparedStatement lock = c.prepareStatement(LOCK_HELD);
             PreparedStatement renew = c.prepareStatement(RENEW)) {
            lock.setString(1, h.token());
            lock.setLong(2, h.firstId());
            lock.setLong(3, h.lastId());
            lock.setTimestamp(4, Timestamp.from(until.minus(lease.dividedBy(2))));
            List<Long> locked = new ArrayList<>();
            try (ResultSet rs = lock.executeQuery()) {
                while (rs.next()) {
                    locked.add(rs.getLong(1));
                }
            }
            if (!locked.isEmpty()) {
                renew.setTimestamp(1, Timestamp.from(until));
                new RowIds(locked).bind(c, renew, 2);
                renew.executeUpdate();
                return true;
            }
            try (PreparedStatement still = c.prepareStatement(STILL_HELD)) {
                still.setString(1, h.token());
                still.setLong(2, h.firstId());
                still.setLong(3, h.lastId());
                try (ResultSet rs = still.executeQuery()) {
                    return rs.next() && rs.getLong(1) > 0;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not renew the claims' leases", e);
        }
    }
}
