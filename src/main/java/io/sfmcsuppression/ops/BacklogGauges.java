package io.sfmcsuppression.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.sfmcsuppression.suppression.OutboxState;
import io.sfmcsuppression.suppression.OutboxReports;

/**
 * The backlog gauges the alerts read (docs/observability.md). A scrape on the management port needs
 * no key, so a scrape only reads values this bean refreshes every {@value #REFRESH_SECONDS} s, one
 * small indexed query each; ages are computed at scrape time from the stored oldest instant.
 * <ul>
 *   <li>{@code suppression_outbox_depth{state}}: rows still to be worked on or looked at, PENDING,
 *       ADDED_AWAITING_READ_BACK and FAILED (index suppression_outbox_state). Settled rows (ADDED,
 *       VERIFIED, SKIPPED, RELEASED) are history that grows with every run: recounting it on every
 *       refresh made the cost of the gauge grow with the ledger (issue 20), and their totals are the
 *       {@code sfmc_upserts_total} and {@code suppression_skipped_total} counters;</li>
 *   <li>{@code suppression_outbox_oldest_pending_seconds}: age of the oldest PENDING row, 0 when none
 *       (index suppression_outbox_state_created, V10);</li>
 *   <li>{@code n04_mail_retrying_oldest_seconds}: how long the oldest N04 mail still RETRYING has
 *       waited since its run was exported (index run_exports_notification);</li>
 *   <li>{@code runs_completed_unexported_oldest_seconds}: age of the oldest run COMPLETED but not
 *       yet exported (index runs_state_last_batch).</li>
 * </ul>
 * Before the first refresh, or when the database did not answer, a gauge is NaN rather than a
 * reassuring 0. The SQL reads other capabilities' tables on purpose: it is a read-only view for
 * monitoring, and those packages stay free of metrics plumbing.
 */
@ApplicationScoped
@Startup
public class BacklogGauges {

    static final long REFRESH_SECONDS = 15;

    /** One depth series: its {@code state} label and the indexed count behind it. */
    private record Backlog(String state, String countSql) {
    }

    private static final List<Backlog> BACKLOGS = List.of(
            new Backlog(OutboxState.PENDING.name(), "SELECT COUNT(*) FROM suppression_outbox WHERE state = 'PENDING'"),
            new Backlog(OutboxReports.ADDED_AWAITING_READ_BACK,
                    "SELECT COUNT(*) FROM suppression_outbox WHERE state = 'ADDED' AND next_attempt_at IS NOT NULL"),
            new Backlog(OutboxState.FAILED.name(), "SELECT COUNT(*) FROM suppression_outbox WHERE state = 'FAILED'"));

    private final AgroalDataSource dataSource;
    private final Clock clock;
    private final Map<Backlog, AtomicLong> depth = new LinkedHashMap<>();
    private final AtomicReference<Oldest> oldestPending = new AtomicReference<>(Oldest.UNKNOWN);
    private final AtomicReference<Oldest> oldestRetryingMail = new AtomicReference<>(Oldest.UNKNOWN);
    private final AtomicReference<Oldest> oldestUnexportedRun = new AtomicReference<>(Oldest.UNKNOWN);
    private volatile boolean depthKnown;
    private final MeterRegistry metrics;
    private final List<Gauge> gauges = new ArrayList<>();

    /** The oldest instant of a backlog: NONE when the backlog is empty, UNKNOWN before it was read. */
    record Oldest(boolean known, Instant at) {
        static final Oldest UNKNOWN = new Oldest(false, null);
        static final Oldest NONE = new Oldest(true, null);

        double ageSeconds(Instant now) {
            if (!known) {
                return Double.NaN;
            }
            return at == null ? 0 : Math.max(0, Duration.between(at, now).toMillis() / 1000.0);
        }
    }

    BacklogGauges(AgroalDataSource dataSource, Clock clock, MeterRegistry metrics) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.metrics = metrics;
        for (Backlog backlog : BACKLOGS) {
            AtomicLong value = new AtomicLong();
            depth.put(backlog, value);
            gauges.add(Gauge.builder("suppression.outbox.depth", value, v -> depthKnown ? v.get() : Double.NaN)
                    .tag("state", backlog.state())
                    .description("Suppression outbox rows still to be sent, read back or looked at, by state").register(metrics));
        }
        age(metrics, "suppression_outbox_oldest_pending_seconds", "Age of the oldest PENDING suppression, 0 when none", oldestPending);
        age(metrics, "n04_mail_retrying_oldest_seconds",
                "Time since export of the oldest run whose N04 mail is still RETRYING, 0 when none", oldestRetryingMail);
        age(metrics, "runs_completed_unexported_oldest_seconds",
                "Age since completion of the oldest run COMPLETED but not yet exported, 0 when none", oldestUnexportedRun);
    }

    private void age(MeterRegistry metrics, String name, String description, AtomicReference<Oldest> oldest) {
        gauges.add(Gauge.builder(name, oldest, o -> o.get().ageSeconds(clock.instant())).description(description).register(metrics));
    }

    /**
     * A registry can outlive this bean (tests restart the application in one JVM): a gauge left
     * behind would keep reading this instance's values, and a new registration would get it back.
     */
    @PreDestroy
    void unregister() {
        gauges.forEach(metrics::remove);
    }

    /** Synchronized: a refresh that read before a change must not overwrite the values of one that read after it. */
    @Scheduled(every = REFRESH_SECONDS + "s", delayed = "1s", identity = "backlog-gauges",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void refresh() {
        try (Connection c = dataSource.getConnection()) {
            for (Map.Entry<Backlog, AtomicLong> backlog : depth.entrySet()) {
                backlog.getValue().set(count(c, backlog.getKey().countSql()));
            }
            depthKnown = true;
            oldestPending.set(oldest(c, "SELECT MIN(created_at) FROM suppression_outbox WHERE state = 'PENDING'"));
            oldestRetryingMail.set(oldest(c,
                    "SELECT MIN(COALESCE(exported_at, created_at)) FROM run_exports WHERE notification_state = 'RETRYING'"));
            oldestUnexportedRun.set(oldest(c, "SELECT MIN(completed_at) FROM runs WHERE state = 'COMPLETED'"));
        } catch (SQLException | RuntimeException e) {
            Log.warnf("Backlog gauges not refreshed: %s", e.getClass().getSimpleName());
            depthKnown = false;
            oldestPending.set(Oldest.UNKNOWN);
            oldestRetryingMail.set(Oldest.UNKNOWN);
            oldestUnexportedRun.set(Oldest.UNKNOWN);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Oldest oldest(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            Timestamp at = rs.getTimestamp(1);
            return at == null ? Oldest.NONE : new Oldest(true, at.toInstant());
        }
    }
}
