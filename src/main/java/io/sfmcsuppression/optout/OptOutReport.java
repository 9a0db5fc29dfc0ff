package io.sfmcsuppression.optout;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.sfmcsuppression.consent.ConsentConfig;

/**
 * Opt-outs measured against two clocks: CAN-SPAM's window in business days, and the shorter
 * processing target in calendar time. The report lists the ones still open with the business days
 * they have left, or the overdue ones (not confirmed within the CAN-SPAM window, whether still
 * open or confirmed late). The gauges {@code consent_opt_outs_overdue} and
 * {@code consent_opt_outs_past_processing_target} count open opt-outs past each deadline.
 */
@ApplicationScoped
@Startup
public class OptOutReport {

    /** The report; {@code processingTarget} is ISO-8601, e.g. {@code PT48H}. */
    public record Report(int windowBusinessDays, Set<LocalDate> holidays, String processingTarget, boolean overdueOnly,
                         int count, List<Item> optOuts) {
    }

    /** One opt-out in the report; {@code businessDaysLeft} is absent once it is confirmed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(long id, String subscriberKey, String scope, String publicationListId, String state,
                       Instant receivedAt, Instant deadline, Instant processingTargetDeadline, Instant confirmedAt,
                       Integer businessDaysLeft, boolean overdue, boolean pastProcessingTarget, int attempts, String lastError) {
    }

    private final OptOutRepository optOuts;
    private final CanSpamWindow window;
    private final OptOutConfig config;
    private final ConsentConfig consent;
    private final Clock clock;
    private final AtomicReference<Double> overdueOpen = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> pastTargetOpen = new AtomicReference<>(Double.NaN);
    private final MeterRegistry metrics;
    private final Gauge gauge;
    private final Gauge pastTargetGauge;

    OptOutReport(OptOutRepository optOuts, CanSpamWindow window, OptOutConfig config, ConsentConfig consent, Clock clock,
                 MeterRegistry metrics) {
        this.optOuts = optOuts;
        this.window = window;
        this.config = config;
        this.consent = consent;
        this.clock = clock;
        this.metrics = metrics;
        this.gauge = Gauge.builder("consent_opt_outs_overdue", overdueOpen, AtomicReference::get)
                .description("Opt-outs not confirmed by SFMC within the CAN-SPAM processing window").register(metrics);
        this.pastTargetGauge = Gauge.builder("consent_opt_outs_past_processing_target", pastTargetOpen, AtomicReference::get)
                .description("Opt-outs not confirmed by SFMC within the service's processing target (CONSENT_PROCESSING_TARGET)")
                .register(metrics);
    }

    /** The registry can outlive this bean (tests restart the application): a stale gauge would read this instance. */
    @PreDestroy
    void unregister() {
        metrics.remove(gauge);
        metrics.remove(pastTargetGauge);
    }

    /**
     * The gauge reads the count this job keeps: a scrape needs no key, so it must never query
     * (the open opt-outs, one indexed query every 15 s). NaN until the first count or after a failed one.
     */
    @Scheduled(every = "15s", delayed = "1s", identity = "consent-overdue-gauge", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void refreshOverdueCount() {
        overdueOpen.set(overdueOpenCount());
        pastTargetOpen.set(pastTargetOpenCount());
    }

    public Report report(boolean overdueOnly) {
        Instant now = clock.instant();
        List<Item> items = new ArrayList<>();
        for (OptOutRepository.OptOut o : optOuts.openOrReceivedSince(since(now))) {
            Instant deadline = window.deadline(o.receivedAt());
            Instant target = targetDeadline(o);
            boolean open = o.state() != OptOutRepository.State.CONFIRMED;
            Instant settled = open ? now : o.confirmedAt();
            boolean overdue = settled.isAfter(deadline);
            if (overdueOnly ? overdue : open) {
                items.add(new Item(o.id(), o.subscriberKey(), o.scope(), o.listId(), o.state().name(), o.receivedAt(), deadline,
                        target, o.confirmedAt(), open ? window.businessDaysLeft(o.receivedAt(), now) : null, overdue,
                        settled.isAfter(target), o.attempts(), o.lastError()));
            }
        }
        items.sort(Comparator.comparing(Item::deadline).thenComparing(Item::id));
        return new Report(window.businessDays(), window.holidays(), config.processingTarget().toString(), overdueOnly,
                items.size(), items);
    }

    double overdueOpenCount() {
        return openPast("consent_opt_outs_overdue", o -> window.deadline(o.receivedAt()));
    }

    double pastTargetOpenCount() {
        return openPast("consent_opt_outs_past_processing_target", this::targetDeadline);
    }

    private Instant targetDeadline(OptOutRepository.OptOut o) {
        return o.receivedAt().plus(config.processingTarget());
    }

    private double openPast(String gauge, java.util.function.Function<OptOutRepository.OptOut, Instant> deadline) {
        try {
            Instant now = clock.instant();
            return optOuts.open().stream()
                    .filter(o -> now.isAfter(deadline.apply(o)))
                    .count();
        } catch (RuntimeException e) {
            Log.debugf("%s not available: %s", gauge, e.getMessage());
            return Double.NaN;
        }
    }

    /** Confirmed opt-outs are reported as long as the audit log keeps them. */
    private Instant since(Instant now) {
        return now.atZone(ZoneOffset.UTC).minus(consent.auditRetention()).toInstant();
    }
}
