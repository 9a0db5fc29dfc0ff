package io.sfmcsuppression.consent;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/** Deletes audit log rows older than {@code consent.audit-retention} (default 90 days). */
@ApplicationScoped
class AuditPurge {

    private final ConsentAudit audit;
    private final ConsentConfig config;
    private final Clock clock;

    AuditPurge(ConsentAudit audit, ConsentConfig config, Clock clock) {
        this.audit = audit;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(identity = "consent-audit-purge", every = "${consent.audit-purge-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledPurge() {
        purge();
    }

    /** Deletes the rows past retention now; returns how many. */
    int purge() {
        Instant cutoff = clock.instant().atZone(ZoneOffset.UTC).minus(config.auditRetention()).toInstant();
        int deleted = audit.purgeOlderThan(cutoff);
        if (deleted > 0) {
            Log.infof("Purged %d consent audit row(s) older than %s", deleted, cutoff);
        }
        return deleted;
    }
}
