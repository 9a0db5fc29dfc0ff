package io.sfmcsuppression.consent;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Bulkhead;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.sfmcsuppression.sfmc.SfmcBudget;
import io.sfmcsuppression.web.Problem.ItemError;
import io.sfmcsuppression.web.ProblemException;

/**
 * Pre-send validation: checks the request, asks the resolver within the quota guard, and records
 * each decision. The guard: at most {@code consent.validation.max-concurrent} validations at once
 * (a SmallRye bulkhead, {@code io.sfmcsuppression.consent.ConsentService/validate/Bulkhead/value} is
 * set from it), and per request an {@link SfmcBudget} of calls, pages and time; a request that runs
 * past it sends nothing more to SFMC and fails with {@code OVER_BUDGET} (429).
 */
@ApplicationScoped
public class ConsentService {

    /** Most keys one validation request may carry. */
    public static final int MAX_KEYS = 10_000;

    private final SendClassifications classifications;
    private final SubscriberKeyFormats keyFormats;
    private final ConsentStateResolver resolver;
    private final ConsentAudit audit;
    private final GlobalOptOutRouting globalOptOuts;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final SfmcBudget.Limits budget;

    ConsentService(SendClassifications classifications, SubscriberKeyFormats keyFormats, ConsentStateResolver resolver,
                   ConsentAudit audit, GlobalOptOutRouting globalOptOuts, MeterRegistry metrics, Clock clock,
                   ConsentConfig config) {
        ConsentConfig.Validation v = config.validation();
        this.budget = new SfmcBudget.Limits(v.maxSfmcCalls(), v.maxPages(), v.deadline());
        this.classifications = classifications;
        this.keyFormats = keyFormats;
        this.resolver = resolver;
        this.audit = audit;
        this.globalOptOuts = globalOptOuts;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Bulkhead(4) // the value is consent.validation.max-concurrent, through application.properties
    public ValidationResponse validate(ValidationRequest request, String actor) {
        List<String> keys = request == null ? null : request.subscriberKeys();
        if (keys == null || keys.isEmpty()) {
            throw ProblemException.invalidItems("subscriberKeys must hold 1 to " + MAX_KEYS + " keys.",
                    List.of(new ItemError(0, null, "subscriberKeys", "is empty")));
        }
        if (keys.size() > MAX_KEYS) {
            throw ProblemException.tooLarge("At most " + MAX_KEYS + " subscriber keys per request; got " + keys.size() + ".");
        }
        SendConfig send = classifications.resolve(request.send());
        List<ItemError> errors = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            Optional<String> problem = keyFormats.problem(key);
            if (problem.isPresent()) {
                errors.add(new ItemError(i, key, "subscriberKey", problem.get()));
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidItems(errors.size() + " subscriber key(s) have the wrong format; nothing was checked.", errors);
        }
        List<ConsentDecision> decisions;
        try (SfmcBudget.Scope spent = SfmcBudget.open(budget, clock)) {
            decisions = resolver.validateAll(keys, send);
            Log.debugf("Consent validation of %d key(s) spent %s", keys.size(), spent.spent());
        }
        record(decisions, send, actor);
        globalOptOuts.route(decisions);
        long blocked = decisions.stream().filter(d -> !d.eligible()).count();
        Log.infof("Consent validation by %s of %d key(s) for %s: %d blocked", actor, keys.size(), describe(send), blocked);
        return new ValidationResponse(decisions);
    }

    /** Every decision goes to the audit log before it is answered: an unaudited answer is never given. */
    private void record(List<ConsentDecision> decisions, SendConfig send, String actor) {
        Instant now = clock.instant();
        String subject = describe(send) + send.businessUnitId().map(bu -> " (MID " + bu + ")").orElse("");
        List<ConsentAudit.Entry> entries = new ArrayList<>(decisions.size());
        for (ConsentDecision d : decisions) {
            String outcome = outcome(d);
            entries.add(new ConsentAudit.Entry(now, ConsentAudit.Kind.DECISION, actor, d.subscriberKey(), subject, outcome,
                    d.reason(), String.join("; ", d.evidence()), null));
            metrics.counter("consent_decisions_total", "outcome", outcome).increment();
        }
        audit.append(entries);
    }

    private static String outcome(ConsentDecision d) {
        if (d.transactionalBypassAllowed()) {
            return "ELIGIBLE_TRANSACTIONAL_BYPASS";
        }
        if (d.eligible()) {
            return d.found() ? "ELIGIBLE" : "ELIGIBLE_NOT_FOUND";
        }
        return "BLOCKED_" + d.blockedBy().toUpperCase(java.util.Locale.ROOT);
    }

    static String describe(SendConfig send) {
        return (send.classification() != null ? send.classification() : (send.transactional() ? "transactional send" : "marketing send"))
                + send.publicationListId().map(l -> " on list " + l).orElse("");
    }
}
