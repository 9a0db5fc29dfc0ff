package io.sfmcsuppression.suppression;

import java.time.Duration;
import java.time.Instant;

import io.quarkus.logging.Log;
import io.sfmcsuppression.config.RetryPolicy;
import io.sfmcsuppression.sfmc.SfmcClient;
import io.sfmcsuppression.sfmc.SfmcClients;

/**
 * Keeps the flusher from sending while SFMC is unreachable: once a call found it so (and at
 * start), nothing is claimed until a health check answers, and failed checks are repeated with
 * back-off ({@code sfmc.health-backoff} up to {@code sfmc.health-backoff-max}) so that an outage
 * is not hammered. Any thread may close the gate; only the drain loop checks it.
 */
final class SfmcHealthGate {

    private final SfmcClients clients;
    private final RetryPolicy healthRetry;

    private volatile boolean healthy;
    private Instant nextHealthCheck = Instant.MIN;
    private int failedHealthChecks;

    SfmcHealthGate(SfmcClients clients, RetryPolicy healthRetry) {
        this.clients = clients;
        this.healthRetry = healthRetry;
    }

    /** Whether SFMC may be called now: it was healthy, or a health check that is due finds it so. */
    boolean open(SfmcClient client, Instant now) {
        return healthy || becameHealthy(client, now);
    }

    void unreachable() {
        healthy = false;
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
}
