package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.InjectWireMock;
import io.sfmcsuppression.support.LiveSfmcProfile;
import io.sfmcsuppression.support.SfmcWireMock;

/**
 * Short claims, kept alive by the heartbeat: an upsert that takes three leases keeps its rows (no
 * replica could take them, SFMC gets them once), while rows claimed by a process that no longer
 * beats are sent by this one as soon as their lease ends.
 */
@QuarkusTest
@TestProfile(HeldLeasesTest.ShortLease.class)
class HeldLeasesTest {

    /** A 2 s lease, renewed every 0.5 s. */
    public static class ShortLease extends LiveSfmcProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("sfmc.claim-lease", "PT2S");
            return overrides;
        }
    }

    private static final String UPSERT_ACME = "/hub/v1/dataevents/key:ASL_ACME/rowset";

    @InjectWireMock
    WireMockServer wm;

    @Inject
    OutboxClaims claims;

    @Inject
    Database db;

    @Inject
    HeldLeases leases;

    @Inject
    AgroalDataSource dataSource;

    private String tag;

    @BeforeEach
    void freshSfmc() {
        SfmcWireMock.restoreDefaults(wm);
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anUpsertSlowerThanThreeLeasesKeepsItsRowsAndSendsThemOnce() throws InterruptedException {
        wm.stubFor(WireMock.post(UPSERT_ACME).atPriority(1).willReturn(WireMock.okJson("[]").withFixedDelay(6_000)));
        String run = "lease-" + tag;
        postBatch(run, batch("2026-11-23").inactive("m-" + tag, "slow-" + tag + "@acme.org", "Acme Weekly").json())
                .statusCode(202);
        await("the upsert in flight").atMost(Duration.ofSeconds(20)).until(
                () -> !wm.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo(UPSERT_ACME))).isEmpty());
        Instant sent = Instant.now();

        // Past two leases of 2 s, the row is still this process's: nobody can claim it.
        Thread.sleep(Duration.between(Instant.now(), sent.plusSeconds(4)).toMillis());
        assertThat(claims.claim(Instant.now(), Instant.now().plusSeconds(2), 100, run)).isEmpty();
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'PENDING' AND next_attempt_at > ?",
                run, Timestamp.from(Instant.now()))).as("its lease renewed beyond now").isEqualTo(1);

        await("the row verified").atMost(Duration.ofSeconds(20)).until(() -> db.count(
                "SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'VERIFIED'", run) == 1);
        assertThat(wm.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo(UPSERT_ACME)))).hasSize(1);
    }

    @Test
    void rowsOfAProcessThatNoLongerBeatsAreSentOnceTheirLeaseEnds() {
        Instant leaseEnd = Instant.now().plusSeconds(2);
        String email = "orphan-" + tag + "@acme.org";
        db.execute("""
                INSERT INTO suppression_outbox (run_id, target, email_normalized, run_date, state, attempts, next_attempt_at,
                    claim_token, created_at, updated_at, origin, origin_note)
                VALUES (NULL, 'ASL_ACME', ?, ?, 'PENDING', 0, ?, 'a-process-killed', ?, ?, 'operator', 'claimed, then killed')""",
                email, LocalDate.parse("2026-11-23"), Timestamp.from(leaseEnd), Timestamp.from(Instant.now()),
                Timestamp.from(Instant.now()));

        // Not before its lease ends (no heartbeat of this process renews another's token) ...
        await("the orphan sent after its lease").atMost(Duration.ofSeconds(20)).until(() -> db.count(
                "SELECT COUNT(*) FROM suppression_outbox WHERE email_normalized = ? AND state = 'VERIFIED'", email) == 1);
        Instant sentAt = wm.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo(UPSERT_ACME))
                        .withRequestBody(WireMock.containing(email))).get(0).getLoggedDate().toInstant();
        // ... and within a flush interval (1 s) and a beat of it.
        assertThat(sentAt).isAfterOrEqualTo(leaseEnd.minusMillis(100)).isBefore(leaseEnd.plusSeconds(5));
    }

    /**
     * The heartbeat never waits for a row another transaction holds (that wait, while it held the
     * rows before it, deadlocked with the flusher's outcome updates on PostgreSQL): it renews the
     * rows it can lock at once, and the held one at a later beat.
     */
    @Test
    void aRowLockedElsewhereNeitherStallsTheHeartbeatNorLosesItsClaim() throws Exception {
        String token = "beat-" + tag;
        // Half the profile's lease (2 s) left: what a beat renews.
        Instant leaseEnd = Instant.now().plusSeconds(1);
        long first = orphan(token, "beat1-" + tag + "@acme.org", leaseEnd);
        long second = orphan(token, "beat2-" + tag + "@acme.org", leaseEnd);
        leases.hold(List.of(claimed(first, token), claimed(second, token)));
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            // A real change: a database may skip (and not lock) an update that changes nothing.
            try (PreparedStatement lock = other.prepareStatement("UPDATE suppression_outbox SET updated_at = ? WHERE id = ?")) {
                lock.setTimestamp(1, Timestamp.from(Instant.now()));
                lock.setLong(2, first);
                lock.executeUpdate();
            }
            CompletableFuture<Void> beat = CompletableFuture.runAsync(leases::renewAll);
            beat.get(5, TimeUnit.SECONDS);
            assertThat(leaseEndsAfter(second, leaseEnd)).as("the free row renewed").isTrue();
            assertThat(leaseEndsAfter(first, leaseEnd)).as("the held row left alone").isFalse();
            other.rollback();
        }
        leases.renewAll();
        assertThat(leaseEndsAfter(first, leaseEnd)).as("the row held elsewhere renewed once free").isTrue();
        db.execute("DELETE FROM suppression_outbox WHERE claim_token = ?", token);
        leases.renewAll();
    }

    private long orphan(String token, String email, Instant leaseEnd) {
        db.execute("""
                INSERT INTO suppression_outbox (run_id, target, email_normalized, run_date, state, attempts, next_attempt_at,
                    claim_token, created_at, updated_at, origin, origin_note)
                VALUES (NULL, 'ASL_NOWHERE', ?, ?, 'PENDING', 0, ?, ?, ?, ?, 'operator', 'held by a test')""",
                email, LocalDate.parse("2026-11-23"), Timestamp.from(leaseEnd), token, Timestamp.from(Instant.now()),
                Timestamp.from(Instant.now()));
        return db.count("SELECT id FROM suppression_outbox WHERE email_normalized = ? AND claim_token = ?", email, token);
    }

    private static OutboxClaims.Claimed claimed(long id, String token) {
        return new OutboxClaims.Claimed(id, null, "ASL_NOWHERE", "x@acme.org", LocalDate.parse("2026-11-23"), 0, token);
    }

    private boolean leaseEndsAfter(long id, Instant leaseEnd) {
        return db.count("SELECT COUNT(*) FROM suppression_outbox WHERE id = ? AND next_attempt_at > ?", id,
                Timestamp.from(leaseEnd.plusMillis(200))) == 1;
    }
}
