package io.sfmcsuppression.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Claims are safe for several replicas: concurrent claimers take disjoint rows, and a claimed row is
 * not due again until its lease ends. The rows are due only in the future the test claims at, so
 * the running flusher never touches them.
 */
@QuarkusTest
class OutboxClaimsTest {

    @Inject
    OutboxClaims claims;

    @Inject
    AgroalDataSource dataSource;

    private final String run = "claims-" + UUID.randomUUID();
    private final Instant later = Instant.now().plus(Duration.ofDays(1));

    @AfterEach
    void removeOwnRows() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            for (String sql : new String[] {"DELETE FROM suppression_outbox WHERE run_id = ?", "DELETE FROM runs WHERE run_id = ?"}) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, run);
                    ps.executeUpdate();
                }
            }
        }
    }

    @Test
    void concurrentClaimersTakeDisjointRowsAndLeasedRowsAreNotDueAgain() throws Exception {
        insertPendingRows(40);
        CountDownLatch start = new CountDownLatch(1);
        CompletableFuture<List<OutboxClaims.Claimed>> a = CompletableFuture.supplyAsync(() -> claimAfter(start));
        CompletableFuture<List<OutboxClaims.Claimed>> b = CompletableFuture.supplyAsync(() -> claimAfter(start));
        start.countDown();

        Set<Long> ids = new HashSet<>();
        List<OutboxClaims.Claimed> all = new java.util.ArrayList<>(a.get());
        all.addAll(b.get());
        all.forEach(r -> assertThat(ids.add(r.id())).as("claimed twice: " + r).isTrue());
        assertThat(ids).hasSizeGreaterThanOrEqualTo(30);

        // Whatever neither took is still claimable (PostgreSQL skips the locked rows and hands out all 40
        // at once; H2 may make the second claimer wait and then find the first one's rows leased).
        List<OutboxClaims.Claimed> rest = claims.claim(later, later.plus(Duration.ofHours(1)), 1000, run);
        rest.forEach(r -> assertThat(ids.add(r.id())).as("claimed twice: " + r).isTrue());
        assertThat(ids).hasSize(40);

        // Leased until later + 1 h: not due at later + 30 min, due again after the lease.
        assertThat(claims.claim(later.plus(Duration.ofMinutes(30)), later.plus(Duration.ofHours(2)), 1000, run)).isEmpty();
        assertThat(claims.claim(later.plus(Duration.ofMinutes(61)), later.plus(Duration.ofHours(2)), 1000, run)).hasSize(40);
    }

    private List<OutboxClaims.Claimed> claimAfter(CountDownLatch start) {
        try {
            start.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        return claims.claim(later, later.plus(Duration.ofHours(1)), 30, run);
    }

    private void insertPendingRows(int count) throws Exception {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO runs (run_id, run_date, state, created_at, last_batch_at) VALUES (?, ?, 'OPEN', ?, ?)")) {
                ps.setString(1, run);
                ps.setObject(2, LocalDate.of(2026, 11, 23));
                ps.setTimestamp(3, now);
                ps.setTimestamp(4, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO suppression_outbox (run_id, target, email_normalized, account_name, run_date, state,
                        attempts, next_attempt_at, created_at, updated_at, origin)
                    VALUES (?, 'ASL_ACME', ?, 'Acme Weekly', ?, 'PENDING', 0, ?, ?, ?, 'classifier')""")) {
                for (int i = 0; i < count; i++) {
                    ps.setString(1, run);
                    ps.setString(2, "claim" + i + "@acme.org");
                    ps.setObject(3, LocalDate.of(2026, 11, 23));
                    ps.setTimestamp(4, Timestamp.from(later.minusSeconds(60)));
                    ps.setTimestamp(5, now);
                    ps.setTimestamp(6, now);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }
}
