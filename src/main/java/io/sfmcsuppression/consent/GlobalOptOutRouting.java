package io.sfmcsuppression.consent;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.sfmcsuppression.config.AppConfig;
import io.sfmcsuppression.suppression.SuppressionOutbox;
import io.sfmcsuppression.web.EmailAddress;

/**
 * Seed pitfall 5: a global opt-out cannot be overridden, so suspected ones are suppressed for good.
 * When {@code consent.global-suppression-de-key} is set, each subscriber the resolver blocks as a
 * suspected global opt-out is queued in the suppression outbox for that data extension (by the
 * address All Subscribers holds for it), and the outbox's flusher and modes take it from there.
 */
@ApplicationScoped
class GlobalOptOutRouting {

    static final String ACCOUNT_NAME = "consent: suspected global opt-out";

    private final SuppressionOutbox outbox;
    private final ConsentConfig config;
    private final AppConfig app;
    private final MeterRegistry metrics;
    private final Clock clock;

    GlobalOptOutRouting(SuppressionOutbox outbox, ConsentConfig config, AppConfig app, MeterRegistry metrics, Clock clock) {
        this.outbox = outbox;
        this.config = config;
        this.app = app;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Queues the suspects among {@code decisions}; returns how many new outbox rows that made. */
    int route(List<ConsentDecision> decisions) {
        Optional<String> deKey = config.globalSuppressionDeKey().filter(k -> !k.isBlank());
        if (deKey.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, app.zone());
        int queued = 0;
        for (ConsentDecision d : decisions) {
            if (!ConsentDecision.GLOBAL.equals(d.blockedBy()) || d.emailAddress() == null || d.emailAddress().isBlank()) {
                continue;
            }
            String email = EmailAddress.normalize(d.emailAddress());
            if (outbox.requestOutsideRun(deKey.get(), email, ACCOUNT_NAME, today, now)) {
                queued++;
                Log.infof("Suspected global opt-out %s queued for suppression in %s", EmailAddress.mask(email), deKey.get());
            }
        }
        if (queued > 0) {
            metrics.counter("consent_global_opt_out_suspects_queued_total").increment(queued);
        }
        return queued;
    }
}
