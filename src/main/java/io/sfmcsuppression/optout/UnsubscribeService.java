package io.sfmcsuppression.optout;

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
import io.sfmcsuppression.config.RetryPolicy;
import io.sfmcsuppression.consent.ConsentAudit;
import io.sfmcsuppression.consent.SubscriberKeyFormats;
import io.sfmcsuppression.suppression.SuppressionConfig;
import io.sfmcsuppression.suppression.SuppressionMode;
import io.sfmcsuppression.web.EmailAddress;
import io.sfmcsuppression.web.PlainText;
import io.sfmcsuppression.web.Problem.ItemError;
import io.sfmcsuppression.web.ProblemException;
import io.sfmcsuppression.sfmc.SfmcDirectory;
import io.sfmcsuppression.sfmc.SfmcException;

/**
 * Synchronous opt-out for a preference center (seed pitfall 3). The request is recorded first, so
 * it is never lost; then SFMC is told (account: {@code LogUnsubEvent} without job context, a
 * master unsubscribe; publication: {@code Update Subscriber} with the list set to Unsubscribed;
 * enterprise: the master unsubscribe in every business unit of the enterprise) and the status is read back. Only a read-back showing {@code Unsubscribed} confirms it; anything
 * else leaves it pending for {@link #retryDue()}.
 */
@ApplicationScoped
public class UnsubscribeService {

    static final String ACCOUNT = "account";
    static final String PUBLICATION = "publication";
    static final String ENTERPRISE = "enterprise";
    static final String ONE_CLICK_ACTOR = "one-click";
    private static final String UNSUBSCRIBED = "Unsubscribed";
    private static final Duration LEASE = Duration.ofMinutes(5);

    private final OptOutRepository optOuts;
    private final SfmcDirectory directory;
    private final ConsentAudit audit;
    private final SubscriberKeyFormats keyFormats;
    private final OptOutConfig config;
    private final RetryPolicy retry;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final SuppressionMode mode;

    UnsubscribeService(OptOutRepository optOuts, SfmcDirectory directory, ConsentAudit audit,
                       SubscriberKeyFormats keyFormats, OptOutConfig config, MeterRegistry metrics, Clock clock,
                       SuppressionConfig suppression) {
        this.mode = suppression.mode();
        this.optOuts = optOuts;
        this.directory = directory;
        this.audit = audit;
        this.keyFormats = keyFormats;
        this.config = config;
        this.retry = new RetryPolicy(config.unsubscribe().retryBackoff(), config.unsubscribe().retryBackoffMax(), 0);
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
        long id = record(r, actor, received);
        OptOutRepository.OptOut optOut = optOuts.find(id).orElseThrow();
        if (mode != SuppressionMode.LIVE) {
            // DESIGN rule 6: only live mode writes to SFMC; the other modes keep opt-outs pending until it does.
            throw pending(id, r, received, 503, "SUPPRESSION_MODE is " + mode.value()
                    + ", which writes nothing to SFMC; the opt-out is sent once the service runs live");
        }
        try {
            Instant confirmedAt = propagate(optOut);
            return new UnsubscribeResult(id, r.subscriberKey(), r.scope(), r.publicationListId(), UNSUBSCRIBED, received, confirmedAt);
        } catch (SfmcException.RequestRefused e) {
            throw notTaken(id, r, received, OptOutRepository.State.FAILED, 502, "SFMC refused the unsubscribe for its content ("
                    + e.getMessage() + "). It is recorded as FAILED and not retried; correct the request and send it again.");
        } catch (SfmcException e) {
            throw pending(id, r, received, e.httpStatus(), e.getMessage());
        }
    }

    /**
     * Records the opt-out of a one-click link (RFC 8058) through the same path as the preference
     * center and tells SFMC now where the mode allows; when SFMC cannot confirm it, it stays pending
     * for the retrier. The link's id is its {@code source}, so posting it twice records it once.
     *
     * @return false when this link's opt-out was already recorded
     */
    boolean unsubscribeOneClick(UnsubscribeRequest request) {
        UnsubscribeRequest r = checked(request);
        if (optOuts.hasSource(r.subscriberKey(), r.source())) {
            return false;
        }
        long id = record(r, ONE_CLICK_ACTOR, clock.instant());
        if (mode == SuppressionMode.LIVE) {
            try {
                propagate(optOuts.find(id).orElseThrow());
            } catch (SfmcException e) {
                Log.debugf("One-click opt-out %d recorded, SFMC not confirmed yet: %s", id, e.getMessage());
            }
        }
        return true;
    }

    /** The checks of {@link #unsubscribe} without recording anything: what a one-click link may carry. */
    UnsubscribeRequest validated(UnsubscribeRequest request) {
        return checked(request);
    }

    private long record(UnsubscribeRequest r, String actor, Instant received) {
        long id = optOuts.insertPending(r.subscriberKey(), r.scope(), r.publicationListId(), r.businessUnitId(), r.reason(),
                r.source(), actor, received, received.plus(LEASE));
        audit.append(new ConsentAudit.Entry(received, ConsentAudit.Kind.OPT_OUT_RECEIVED, actor, r.subscriberKey(),
                subject(r.scope(), r.publicationListId()), "PENDING",
                "reason: " + Optional.ofNullable(r.reason()).orElse("-") + "; source: " + Optional.ofNullable(r.source()).orElse("-"),
                null, id));
        metrics.counter("consent_opt_outs_received_total", "scope", r.scope()).increment();
        return id;
    }

    private static ProblemException pending(long id, UnsubscribeRequest r, Instant received, int status, String why) {
        return notTaken(id, r, received, OptOutRepository.State.PENDING, status,
                "SFMC could not confirm the unsubscribe now (" + why + "). It is recorded and will be retried.");
    }

    private static ProblemException notTaken(long id, UnsubscribeRequest r, Instant received, OptOutRepository.State state,
                                             int status, String detail) {
        Map<String, Object> known = new LinkedHashMap<>();
        known.put("state", state.name());
        known.put("id", id);
        known.put("subscriberKey", r.subscriberKey());
        known.put("scope", r.scope());
        known.put("receivedAt", received.toString());
        return new ProblemException(status, status == 503 ? "Service Unavailable" : "Bad Gateway", detail, null, known);
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
            } catch (SfmcException e) {
                Log.debugf("Opt-out %d still pending: %s", o.id(), e.getMessage());
            } catch (RuntimeException e) {
                Log.errorf(e, "Retrying opt-out %d failed unexpectedly", o.id());
            }
        }
        return confirmed;
    }

    /** Tells SFMC and reads the status back; records the outcome either way. */
    private Instant propagate(OptOutRepository.OptOut o) {
        Optional<String> client = Optional.ofNullable(o.businessUnitId());
        try {
            String status;
            String evidence;
            if (PUBLICATION.equals(o.scope())) {
                String listId = directory.listId(o.listId(), client);
                directory.unsubscribeFromList(o.subscriberKey(), listId, client);
                status = Optional.ofNullable(directory.memberships(listId, List.of(o.subscriberKey()), client).get(o.subscriberKey()))
                        .map(SfmcDirectory.ListMembership::status).orElse("not on the list");
                evidence = "ListSubscriber: Status=" + status;
            } else if (ENTERPRISE.equals(o.scope())) {
                List<SfmcDirectory.SubscriberRecord> after = unsubscribeEverywhere(o);
                List<String> still = after.stream().filter(r -> !UNSUBSCRIBED.equals(r.status()))
                        .map(r -> r.status() + " in MID " + r.clientId()).toList();
                status = after.isEmpty() ? "not in All Subscribers of any business unit"
                        : still.isEmpty() ? UNSUBSCRIBED : String.join(", ", still);
                evidence = "Subscriber (QueryAllAccounts): Status=" + status + " in business units "
                        + String.join(",", after.stream().map(SfmcDirectory.SubscriberRecord::clientId).sorted().toList());
            } else {
                directory.unsubscribeAccount(o.subscriberKey(), o.reason(), client);
                status = Optional.ofNullable(directory.subscribers(List.of(o.subscriberKey()), client).get(o.subscriberKey()))
                        .map(SfmcDirectory.SubscriberRecord::status).orElse("not in All Subscribers");
                evidence = "Subscriber: Status=" + status;
            }
            if (!UNSUBSCRIBED.equals(status)) {
                throw new SfmcException(SfmcException.Kind.REJECTED, 200,
                        "SFMC accepted the unsubscribe but still reports " + status, null);
            }
            Instant at = clock.instant();
            optOuts.confirm(o.id(), status, at);
            audit.append(new ConsentAudit.Entry(at, ConsentAudit.Kind.OPT_OUT_CONFIRMED, o.actor(), o.subscriberKey(),
                    subject(o.scope(), o.listId()), "CONFIRMED", "confirmed after " + Duration.between(o.receivedAt(), at),
                    evidence, o.id()));
            metrics.counter("consent_opt_outs_confirmed_total", "scope", o.scope()).increment();
            Log.infof("Opt-out %d of %s (%s) confirmed by SFMC", o.id(), EmailAddress.mask(o.subscriberKey()), o.scope());
            return at;
        } catch (SfmcException.RequestRefused e) {
            // Content SFMC refuses once it refuses every time: retrying it would never end (issue 13 item 7).
            Instant now = clock.instant();
            optOuts.fail(o.id(), e.getMessage(), now);
            audit.append(new ConsentAudit.Entry(now, ConsentAudit.Kind.OPT_OUT_FAILED, o.actor(), o.subscriberKey(),
                    subject(o.scope(), o.listId()), OptOutRepository.State.FAILED.name(), e.getMessage(), null, o.id()));
            metrics.counter("consent_opt_outs_failed_total", "scope", o.scope()).increment();
            Log.warnf("Opt-out %d of %s failed for good, SFMC refused its content: %s", o.id(), EmailAddress.mask(o.subscriberKey()),
                    e.getMessage());
            throw e;
        } catch (SfmcException | SfmcDirectory.UnknownListException e) {
            Instant now = clock.instant();
            Duration backoff = retry.delayAfter(o.attempts() + 1);
            optOuts.attemptFailed(o.id(), e.getMessage(), now.plus(backoff), now);
            audit.append(new ConsentAudit.Entry(now, ConsentAudit.Kind.OPT_OUT_ATTEMPT_FAILED, o.actor(), o.subscriberKey(),
                    subject(o.scope(), o.listId()), "PENDING", e.getMessage(), null, o.id()));
            Log.warnf("Opt-out %d of %s not confirmed (attempt %d), retrying in %s: %s", o.id(), EmailAddress.mask(o.subscriberKey()),
                    o.attempts() + 1, backoff, e.getMessage());
            throw e instanceof SfmcException s ? s
                    : new SfmcException(SfmcException.Kind.REJECTED, 0, e.getMessage(), null);
        }
    }

    /**
     * Enterprise scope (seed pitfall 6): a master unsubscribe ({@code LogUnsubEvent} without job
     * context) in every business unit whose All Subscribers row is not Unsubscribed yet, found with
     * a {@code QueryAllAccounts} retrieve. With SFMC's {@code MasterUnsubscribeBehavior}
     * {@code ENTIRE_ENTERPRISE} one of them would do; with {@code BUSINESS_UNIT_ONLY} each is needed,
     * so both settings end the same. A key in no business unit is unsubscribed in the token's own
     * (the enterprise's). Returns the rows read back afterwards.
     */
    private List<SfmcDirectory.SubscriberRecord> unsubscribeEverywhere(OptOutRepository.OptOut o) {
        List<SfmcDirectory.SubscriberRecord> before = directory.subscriberInAllBusinessUnits(o.subscriberKey());
        if (before.isEmpty()) {
            directory.unsubscribeAccount(o.subscriberKey(), o.reason(), Optional.empty());
        }
        for (SfmcDirectory.SubscriberRecord r : before) {
            if (!UNSUBSCRIBED.equals(r.status())) {
                directory.unsubscribeAccount(o.subscriberKey(), o.reason(), Optional.ofNullable(blankToNull(r.clientId())));
            }
        }
        return directory.subscriberInAllBusinessUnits(o.subscriberKey());
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
        String businessUnit = blankToNull(r.businessUnitId());
        if (!ACCOUNT.equals(scope) && !PUBLICATION.equals(scope) && !ENTERPRISE.equals(scope)) {
            errors.add(new ItemError(0, r.subscriberKey(), "scope", "must be account, publication or enterprise"));
        } else if (PUBLICATION.equals(scope) && list == null) {
            errors.add(new ItemError(0, r.subscriberKey(), "publicationListId", "is required for scope publication"));
        } else if (!PUBLICATION.equals(scope) && list != null) {
            errors.add(new ItemError(0, r.subscriberKey(), "publicationListId", "must be absent for scope " + scope));
        } else if (ENTERPRISE.equals(scope) && businessUnit != null) {
            errors.add(new ItemError(0, r.subscriberKey(), "businessUnitId",
                    "must be absent for scope enterprise, which covers every business unit"));
        }
        if (list != null && !list.matches("[A-Za-z0-9_.\\-]{1,100}")) {
            errors.add(new ItemError(0, r.subscriberKey(), "publicationListId", "must be a numeric list ID or a CustomerKey"));
        }
        if (businessUnit != null && !businessUnit.matches("[0-9]{1,18}")) {
            errors.add(new ItemError(0, r.subscriberKey(), "businessUnitId", "must be the numeric MID of a business unit"));
        }
        PlainText.problem(r.reason()).ifPresent(p -> errors.add(new ItemError(0, r.subscriberKey(), "reason", p)));
        PlainText.problem(r.source()).ifPresent(p -> errors.add(new ItemError(0, r.subscriberKey(), "source", p)));
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
