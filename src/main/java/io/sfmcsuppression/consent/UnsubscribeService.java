package io.sfmcsuppression.consent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.sfmcsuppression.suppression.SuppressionConfig;
import io.sfmcsuppression.suppression.SuppressionMode;
import io.sfmcsuppression.web.EmailMask;
import io.sfmcsuppression.web.Problem.ItemError;
import io.sfmcsuppression.web.ProblemException;

/**
 * Synchronous opt-out for a preference center (seed pitfall 3). The request is recorded first, so
 * it is never lost; then SFMC is told (account: {@code LogUnsubEvent} without job context, a
 * master unsubscribe; publication: {@code Update Subscriber} with the list set to Unsubscribed)
 * and the status is read back. Only a read-back showing {@code Unsubscribed} confirms it; anything
 * else leaves it pending for {@link #retryDue()}.
 */
@ApplicationScoped
public class UnsubscribeService {

    static final String ACCOUNT = "account";
    static final String PUBLICATION = "publication";
    private static final String UNSUBSCRIBED = "Unsubscribed";
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final OptOutRepository optOuts;
    private final ConsentDirectory directory;
    private final ConsentAudit audit;
    private final SubscriberKeyFormats keyFormats;
    private final ConsentConfig config;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final SuppressionMode mode;

    UnsubscribeService(OptOutRepository optOuts, ConsentDirectory directory, ConsentAudit audit,
                       SubscriberKeyFormats keyFormats, ConsentConfig config, MeterRegistry metrics, Clock clock,
                       SuppressionConfig suppression) {
        this.mode = suppression.mode();
        this.optOuts = optOuts;
        this.directory = directory;
        this.audit = audit;
        this.keyFormats = keyFormats;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * Records the opt-out and confirms it with SFMC now.
     *
     * @throws ProblemException 502/503 with {@code state: PENDING} and {@code receivedAt} when SFMC cannot confirm it now
     */
    public UnsubscribeResult unsubscribe(UnsubscribeRequest request, String actor) {
        UnsubscribeRequest r = checked(request);
        Instant received = clock.instant();
        long id = optOuts.insertPending(r.subscriberKey(), r.scope(), r.publicationListId(), r.businessUnitId(), r.reason(),
                r.source(), actor, received, received.plus(LEASE));
        audit.append(new ConsentAudit.Entry(received, ConsentAudit.Kind.OPT_OUT_RECEIVED, actor, r.subscriberKey(),
                subject(r.scope(), r.publicationListId()), "PENDING",
                "reason: " + Optional.ofNullable(r.reason()).orElse("-") + "; source: " + Optional.ofNullable(r.source()).orElse("-"),
                null, id));
        metrics.counter("consent_opt_outs_received_total", "scope", r.scope()).increment();
        OptOutRepository.OptOut optOut = optOuts.find(id).orElseThrow();
        try {
            requireWrites();
            Instant confirmedAt = propagate(optOut);
            return new UnsubscribeResult(id, r.subscriberKey(), r.scope(), r.publicationListId(), UNSUBSCRIBED, received, confirmedAt);
        } catch (SfmcConsentException e) {
            Map<String, Object> known = new LinkedHashMap<>();
            known.put("state", OptOutRepository.State.PENDING.name());
            known.put("id", id);
            known.put("subscriberKey", r.subscriberKey());
            known.put("scope", r.scope());
            known.put("receivedAt", received.toString());
            throw new ProblemException(e.httpStatus(), e.httpStatus() == 503 ? "Service Unavailable" : "Bad Gateway",
                    "SFMC could not confirm the unsubscribe now (" + e.getMessage() + "). It is recorded and will be retried.",
                    null, known);
        }
    }

    /** Retries every pending opt-out that is due; returns how many were confirmed. */
    public int retryDue() {
        if (mode != SuppressionMode.LIVE) {
            return 0;
        }
        Instant now = clock.instant();
        int confirmed = 0;
        for (OptOutRepository.OptOut o : optOuts.due(now, 100)) {
            if (!optOuts.claim(o, now.plus(LEASE), now)) {
                continue;
            }
            try {
                propagate(o);
                confirmed++;
            } catch (SfmcConsentException e) {
                Log.debugf("Opt-out %d still pending: %s", o.id(), e.getMessage());
            } catch (RuntimeException e) {
                Log.errorf(e, "Retrying opt-out %d failed unexpectedly", o.id());
            }
        }
        return confirmed;
    }

    /** DESIGN rule 6: only live mode writes to SFMC; the other modes keep opt-outs pending until it does. */
    private void requireWrites() {
        if (mode != SuppressionMode.LIVE) {
            throw new SfmcConsentException(SfmcConsentException.Kind.UNAVAILABLE, "SUPPRESSION_MODE is " + mode.value()
                    + ", which writes nothing to SFMC; the opt-out is sent once the service runs live");
        }
    }

    /** Tells SFMC and reads the status back; records the outcome either way. */
    private Instant propagate(OptOutRepository.OptOut o) {
        Optional<String> client = Optional.ofNullable(o.businessUnitId());
        try {
            String status;
            if (PUBLICATION.equals(o.scope())) {
                String listId = directory.listId(o.listId(), client);
                directory.unsubscribeFromList(o.subscriberKey(), listId, client);
                status = Optional.ofNullable(directory.memberships(listId, List.of(o.subscriberKey()), client).get(o.subscriberKey()))
                        .map(ConsentDirectory.ListMembership::status).orElse("not on the list");
            } else {
                directory.unsubscribeAccount(o.subscriberKey(), o.reason(), client);
                status = Optional.ofNullable(directory.subscribers(List.of(o.subscriberKey()), client).get(o.subscriberKey()))
                        .map(ConsentDirectory.SubscriberRecord::status).orElse("not in All Subscribers");
            }
            if (!UNSUBSCRIBED.equals(status)) {
                throw new SfmcConsentException(SfmcConsentException.Kind.REJECTED,
                        "SFMC accepted the unsubscribe but still reports " + status);
            }
            Instant at = clock.instant();
            optOuts.confirm(o.id(), status, at);
            audit.append(new ConsentAudit.Entry(at, ConsentAudit.Kind.OPT_OUT_CONFIRMED, o.actor(), o.subscriberKey(),
                    subject(o.scope(), o.listId()), "CONFIRMED", "confirmed after " + Duration.between(o.receivedAt(), at),
                    statusEvidence(o, status), o.id()));
            metrics.counter("consent_opt_outs_confirmed_total", "scope", o.scope()).increment();
            Log.infof("Opt-out %d of %s (%s) confirmed by SFMC", o.id(), EmailMask.mask(o.subscriberKey()), o.scope());
            return at;
        } catch (SfmcConsentException | ConsentDirectory.UnknownListException e) {
            Instant now = clock.instant();
            Duration backoff = backoff(o.attempts());
            optOuts.attemptFailed(o.id(), e.getMessage(), now.plus(backoff), now);
            audit.append(new ConsentAudit.Entry(now, ConsentAudit.Kind.OPT_OUT_ATTEMPT_FAILED, o.actor(), o.subscriberKey(),
                    subject(o.scope(), o.listId()), "PENDING", e.getMessage(), null, o.id()));
            Log.warnf("Opt-out %d of %s not confirmed (attempt %d), retrying in %s: %s", o.id(), EmailMask.mask(o.subscriberKey()),
                    o.attempts() + 1, backoff, e.getMessage());
            throw e instanceof SfmcConsentException s ? s
                    : new SfmcConsentException(SfmcConsentException.Kind.REJECTED, e.getMessage());
        }
    }

    private Duration backoff(int attemptsBefore) {
        Duration d = config.unsubscribe().retryBackoff().multipliedBy(1L << Math.min(attemptsBefore, 10));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private static String statusEvidence(OptOutRepository.OptOut o, String status) {
        return (PUBLICATION.equals(o.scope()) ? "ListSubscriber: Status=" : "Subscriber: Status=") + status;
    }

    static String subject(String scope, String listId) {
        return PUBLICATION.equals(scope) ? "publication " + listId : scope;
    }

    private UnsubscribeRequest checked(UnsubscribeRequest r) {
        if (r == null) {
            throw ProblemException.invalidItems("The unsubscribe request is not valid.",
                    List.of(new ItemError(0, null, "subscriberKey", "is required")));
        }
        List<ItemError> errors = new ArrayList<>();
        keyFormats.problem(r.subscriberKey()).ifPresent(p -> errors.add(new ItemError(0, r.subscriberKey(), "subscriberKey", p)));
        String scope = r.scope() == null ? null : r.scope().trim().toLowerCase(java.util.Locale.ROOT);
        String list = blankToNull(r.publicationListId());
        if (!ACCOUNT.equals(scope) && !PUBLICATION.equals(scope)) {
            errors.add(new ItemError(0, r.subscriberKey(), "scope", "must be account or publication"));
        } else if (PUBLICATION.equals(scope) && list == null) {
            errors.add(new ItemError(0, r.subscriberKey(), "publicationListId", "is required for scope publication"));
        } else if (ACCOUNT.equals(scope) && list != null) {
            errors.add(new ItemError(0, r.subscriberKey(), "publicationListId", "must be absent for scope account"));
        }
        if (list != null && !list.matches("[A-Za-z0-9_.\\-]{1,100}")) {
            errors.add(new ItemError(0, r.subscriberKey(), "publicationListId", "must be a numeric list ID or a CustomerKey"));
        }
        String businessUnit = blankToNull(r.businessUnitId());
        if (businessUnit != null && !businessUnit.matches("[0-9]{1,18}")) {
            errors.add(new ItemError(0, r.subscriberKey(), "businessUnitId", "must be the numeric MID of a business unit"));
        }
        if (r.reason() != null && r.reason().length() > 500) {
            errors.add(new ItemError(0, r.subscriberKey(), "reason", "is longer than 500 characters"));
        }
        if (r.source() != null && r.source().length() > 100) {
            errors.add(new ItemError(0, r.subscriberKey(), "source", "is longer than 100 characters"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalidItems("The unsubscribe request is not valid.", errors);
        }
        return new UnsubscribeRequest(r.subscriberKey(), scope, list, businessUnit, blankToNull(r.reason()), blankToNull(r.source()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
