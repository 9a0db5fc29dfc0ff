package io.sfmcsuppression.suppression;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    private static final String RENEW = """
            UPDATE suppression_outbox SET next_attempt_at = GREATEST(next_attempt_at, ?)
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

    /** One beat: a failure (the database away) is logged; the next beat tries again within the lease. */
    void renewAll() {
        if (held.isEmpty()) {
            return;
        }
        try {
            Instant until = clock.instant().plus(lease);
            QuarkusTransaction.requiringNew().run(() -> {
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(RENEW)) {
                    for (Held h : held.values()) {
                        ps.setTimestamp(1, Timestamp.from(until));
                        ps.setString(2, h.token());
                        ps.setLong(3, h.firstId());
                        ps.setLong(4, h.lastId());
                        if (ps.executeUpdate() == 0) {
                            held.remove(h.token());
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("Could not renew the claims' leases", e);
                }
            });
        } catch (RuntimeException e) {
            Log.warnf("Claim heartbeat failed (%s); the claims of this process run out %s after the last beat unless one succeeds",
                    e.getMessage(), lease);
        }
    }
}
