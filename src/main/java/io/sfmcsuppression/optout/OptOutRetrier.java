package io.sfmcsuppression.optout;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/** Retries opt-outs SFMC has not confirmed yet, so none is lost to an outage. */
@ApplicationScoped
class OptOutRetrier {

    private final UnsubscribeService unsubscribes;

    OptOutRetrier(UnsubscribeService unsubscribes) {
        this.unsubscribes = unsubscribes;
    }

    @Scheduled(identity = "consent-opt-out-retry", every = "${consent.unsubscribe.retry-every}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void retry() {
        int confirmed = unsubscribes.retryDue();
        if (confirmed > 0) {
            Log.infof("Confirmed %d pending opt-out(s) with SFMC", confirmed);
        }
    }
}
