package io.sfmcsuppression.consent;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;

/**
 * Opt-outs measured against the CAN-SPAM window: the ones still open with the business days they
 * have left, or the overdue ones (not confirmed in time, whether still open or confirmed late).
 * The gauge {@code consent_opt_outs_overdue} counts open opt-outs past their deadline.
 */
@ApplicationScoped
@Startup
public class OptOutReport {

    /** The report. */
    public record Report(int windowBusinessDays, Set<LocalDate> holidays, boolean overdueOnly, int count, List<Item> optOuts) {
    }

    /** One opt-out in the report; {@code businessDaysLeft} is absent once it is confirmed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Item(long id, String subscriberKey, String scope, String publicationListId, String state,
                       Instant receivedAt, Instant deadline, Instant confirmedAt, Integer businessDaysLeft,
                       boolean overdue, int attempts, String lastError) {
    }

    private final OptOutRepository optOuts;
    private final CanSpamWindow window;
    private final ConsentConfig config;
    private final Clock clock;

    OptOutReport(OptOutRepository optOuts, CanSpamWindow window, ConsentConfig config, Clock clock, MeterRegistry metrics) {
        this.optOuts = optOuts;
        this.window = window;
        this.config = config;
        this.clock = clock;
        Gauge.builder("consent_opt_outs_overdue", this, OptOutReport::overdueOpenCount)
                .description("Opt-outs not confirmed by SFMC within the CAN-SPAM processing window").register(metrics);
    }

    public Report report(boolean overdueOnly) {
        Instant now = clock.instant();
        List<Item> items = new ArrayList<>();
        for (OptOutRepository.OptOut o : optOuts.openOrReceivedSince(since(now))) {
            Instant deadline = window.deadline(o.receivedAt());
            boolean open = o.state() != OptOutRepository.State.CONFIRMED;
            boolean overdue = open ? now.isAfter(deadline) : o.confirmedAt().isAfter(deadline);
            if (overdueOnly ? overdue : open) {
                items.add(new Item(o.id(), o.subscriberKey(), o.scope(), o.listId(), o.state().name(), o.receivedAt(), deadline,
                        o.confirmedAt(), open ? window.businessDaysLeft(o.receivedAt(), now) : null, overdue, o.attempts(),
                        o.lastError()));
            }
        }
        items.sort(Comparator.comparing(Item::deadline).thenComparing(Item::id));
        return new Report(window.businessDays(), window.holidays(), overdueOnly, items.size(), items);
    }

    double overdueOpenCount() {
        try {
            Instant now = clock.instant();
            return optOuts.openOrReceivedSince(now).stream()
                    .filter(o -> o.state() != OptOutRepository.State.CONFIRMED)
                    .filter(o -> now.isAfter(window.deadline(o.receivedAt())))
                    .count();
        } catch (RuntimeException e) {
            Log.debugf("consent_opt_outs_overdue not available: %s", e.getMessage());
            return Double.NaN;
        }
    }

    /** Confirmed opt-outs are reported as long as the audit log keeps them. */
    private Instant since(Instant now) {
        return now.atZone(ZoneOffset.UTC).minus(config.auditRetention()).toInstant();
    }
}
