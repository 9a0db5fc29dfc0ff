package io.sfmcsuppression.consent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.sfmcsuppression.suppression.ActiveSuppressions;
import io.sfmcsuppression.suppression.SuppressionTargets;
import io.sfmcsuppression.web.EmailAddress;
import io.sfmcsuppression.web.ProblemException;
import io.sfmcsuppression.sfmc.SfmcDirectory;

/**
 * Decides whether a subscriber may be mailed by a send, and why (DESIGN section 7, seed 003).
 * Checks in order: account status in All Subscribers (and an enterprise-wide opt-out recorded
 * here, which counts as one in every business unit), publication-list status when the send names
 * a list, this service's own suppression lists, then inferred global opt-out from send tracking.
 * The suppression check comes before the inference because SFMC records a send skipped by a
 * suppression list as a NotSentEvent: without it our own suppressions would read as "0 sent of 3". Bulk calls read SFMC once per check and
 * chunk of keys, not once per key; the same SFMC state always gives the same answers.
 */
@ApplicationScoped
public class ConsentStateResolver {

    private final SfmcDirectory directory;
    private final ConsentConfig config;
    private final SentEventTracking sentEvents;
    private final DataExtensionTracking dataExtension;
    private final ActiveSuppressions suppressions;
    private final SuppressionTargets targets;
    private final EnterpriseOptOuts optOuts;

    ConsentStateResolver(SfmcDirectory directory, ConsentConfig config, SentEventTracking sentEvents,
                         DataExtensionTracking dataExtension, ActiveSuppressions suppressions, SuppressionTargets targets,
                         EnterpriseOptOuts optOuts) {
        this.optOuts = optOuts;
        this.directory = directory;
        this.config = config;
        this.sentEvents = sentEvents;
        this.dataExtension = dataExtension;
        this.suppressions = suppressions;
        this.targets = targets;
    }

    public ConsentDecision validate(String subscriberKey, SendConfig send) {
        return validateAll(List.of(subscriberKey), send).get(0);
    }

    /** One decision per key, in the order given; a key given twice is answered twice. */
    public List<ConsentDecision> validateAll(List<String> keys, SendConfig send) {
        Optional<String> client = send.businessUnitId();
        Set<String> distinct = new LinkedHashSet<>(keys);
        Map<String, Check> checks = new HashMap<>();
        distinct.forEach(k -> checks.put(k, new Check(k)));

        // A list SFMC does not know makes the send invalid: found out first, before any key is read.
        Optional<String> listId = send.publicationListId().map(name -> listId(name, client));

        Map<String, SfmcDirectory.SubscriberRecord> subscribers = directory.subscribers(distinct, client);
        Map<String, EnterpriseOptOuts.Recorded> enterprise = optOuts.enterpriseOptOuts(distinct);
        for (Check c : checks.values()) {
            checkAccount(c, subscribers.get(c.key), send);
            EnterpriseOptOuts.Recorded o = enterprise.get(c.key);
            if (o != null) {
                checkEnterprise(c, o, send);
            }
        }

        if (listId.isPresent()) {
            String listName = send.publicationListId().get();
            List<String> open = openKeys(checks);
            if (!open.isEmpty()) {
                Map<String, SfmcDirectory.ListMembership> members = directory.memberships(listId.get(), open, client);
                for (String key : open) {
                    checkPublication(checks.get(key), members.get(key), listName, listId.get(), send);
                }
            }
        }

        checkOwnSuppressions(openKeys(checks), checks, send);

        List<String> open = openKeys(checks);
        if (!open.isEmpty()) {
            Map<String, SendTracking.Counts> counts = tracking().counts(open, client);
            for (String key : open) {
                checkGlobal(checks.get(key), counts.get(key));
            }
        }

        List<ConsentDecision> decisions = new ArrayList<>(keys.size());
        for (String key : keys) {
            decisions.add(checks.get(key).decision());
        }
        return decisions;
    }

    private void checkAccount(Check c, SfmcDirectory.SubscriberRecord subscriber, SendConfig send) {
        if (subscriber == null) {
            c.found = false;
            c.evidence.add("Subscriber: no record with this SubscriberKey in All Subscribers");
            c.finish(true, null, "No consent record: the subscriber key is not in All Subscribers "
                    + "(a new subscriber, or a key in another format than SFMC's)");
            return;
        }
        c.email = subscriber.emailAddress();
        String status = subscriber.status();
        c.evidence.add("Subscriber: Status=" + status
                + (subscriber.unsubscribedDate() == null || subscriber.unsubscribedDate().isBlank() ? "" : ", UnsubscribedDate=" + subscriber.unsubscribedDate())
                + (subscriber.clientId() == null || subscriber.clientId().isBlank() ? "" : ", Client.ID=" + subscriber.clientId()));
        switch (status) {
            case "Unsubscribed" -> {
                if (send.transactional()) {
                    c.bypass = true;
                } else {
                    c.finish(false, ConsentDecision.ACCOUNT, "Account-level unsubscribe active");
                }
            }
            case "Held" -> c.finish(false, ConsentDecision.ACCOUNT,
                    "Subscriber is Held (undeliverable after repeated bounces); Held blocks every send");
            case "Deleted" -> c.finish(false, ConsentDecision.ACCOUNT, "Subscriber is Deleted in All Subscribers");
            case "Bounced" -> c.notes.add("Bounced subscribers are still sendable until they become Held");
            case "Active" -> { }
            default -> c.notes.add("Unrecognised subscriber status '" + status + "' treated as sendable");
        }
    }

    /**
     * An enterprise-wide opt-out recorded here is an account-level unsubscribe in every business
     * unit, the send's included, from the moment it is recorded: before SFMC confirmed it, and in a
     * business unit whose All Subscribers does not show it (yet). Like SFMC's own account status, a
     * transactional send bypasses it.
     */
    private static void checkEnterprise(Check c, EnterpriseOptOuts.Recorded o, SendConfig send) {
        if (c.done && !c.decision.eligible()) {
            return;
        }
        c.reopen();
        c.evidence.add("Opt-out " + o.id() + ": scope enterprise, " + o.state() + ", received " + o.receivedAt()
                + " (applies to every business unit)");
        if (send.transactional()) {
            c.bypass = true;
        } else {
            c.finish(false, ConsentDecision.ACCOUNT, "Enterprise-wide unsubscribe recorded by this service on "
                    + o.receivedAt() + "; it blocks every business unit");
        }
    }

    private static void checkPublication(Check c, SfmcDirectory.ListMembership member, String listName, String listId,
                                         SendConfig send) {
        String list = listName.equals(listId) ? listId : listName + " (ListID " + listId + ")";
        if (member == null) {
            c.evidence.add("ListSubscriber: not on publication list " + list);
            return;
        }
        c.evidence.add("ListSubscriber: Status=" + member.status() + " on publication list " + list);
        if (!"Unsubscribed".equals(member.status())) {
            return;
        }
        if (send.publicationOptOutBlocks()) {
            c.finish(false, ConsentDecision.PUBLICATION, "Unsubscribed from publication list " + listName
                    + (send.transactional() ? " (HonorPublicationListOptOutsForTransactionalSends=true)" : ""));
        } else {
            c.evidence.add("SendClassification: HonorPublicationListOptOutsForTransactionalSends=false, "
                    + "so SFMC sends this transactional message despite the publication-list unsubscribe");
            c.notes.add("publication-list unsubscribe not honoured by this transactional send classification");
        }
    }

    /** A key on one of this service's suppression lists is blocked by it, with the determination that put it there. */
    private void checkOwnSuppressions(List<String> open, Map<String, Check> checks, SendConfig send) {
        if (open.isEmpty()) {
            return;
        }
        Map<String, Check> byEmail = new HashMap<>();
        for (String key : open) {
            Check c = checks.get(key);
            String email = c.email != null && !c.email.isBlank() ? c.email : (key.contains("@") ? key : null);
            if (email != null) {
                byEmail.put(EmailAddress.normalize(email), c);
            }
        }
        Map<String, ActiveSuppressions.Active> found = suppressions.find(byEmail.keySet(), listsOf(send));
        byEmail.forEach((email, c) -> {
            ActiveSuppressions.Active s = found.get(email);
            if (s == null) {
                return;
            }
            String origin = s.determinationId() == null ? "" : " by INACTIVE determination " + s.determinationId();
            String run = s.runId() == null ? "" : " of run " + s.runId();
            c.evidence.add("Suppression: " + s.state() + " in data extension " + s.dataExtensionKey() + origin + run);
            c.finish(false, ConsentDecision.SUPPRESSION, "On suppression list " + s.dataExtensionKey()
                    + " managed by this service" + origin + run);
        });
    }

    private Collection<String> listsOf(SendConfig send) {
        return send.businessUnitId().map(config.suppressionLists()::get).filter(l -> !l.isEmpty())
                .<Collection<String>>map(List::copyOf).orElseGet(targets::managedLists);
    }

    private void checkGlobal(Check c, SendTracking.Counts counts) {
        SendTracking.Counts n = counts == null ? new SendTracking.Counts(0, 0, "no tracking data") : counts;
        c.evidence.add(n.evidence());
        int threshold = config.globalOptOutThreshold();
        if (n.sends() == 0 && n.campaignsAttempted() >= threshold) {
            c.finish(false, ConsentDecision.GLOBAL, "Platform-level global opt-out suspected (zero sends across "
                    + n.campaignsAttempted() + " campaigns, threshold " + threshold + "); only Salesforce Support can confirm it");
        }
    }

    private String listId(String listName, Optional<String> client) {
        try {
            return directory.listId(listName, client);
        } catch (SfmcDirectory.UnknownListException e) {
            throw ProblemException.invalidItems("The send is not valid.",
                    List.of(new io.sfmcsuppression.web.Problem.ItemError(0, null, "send.publicationListId", e.getMessage())));
        }
    }

    private SendTracking tracking() {
        return "data-extension".equalsIgnoreCase(config.tracking().source()) ? dataExtension : sentEvents;
    }

    private static List<String> openKeys(Map<String, Check> checks) {
        return checks.values().stream().filter(c -> !c.done).map(c -> c.key).sorted().toList();
    }

    /** One key's checks in progress. */
    private static final class Check {
        final String key;
        final List<String> evidence = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        boolean found = true;
        String email;
        boolean bypass;
        boolean done;
        ConsentDecision decision;

        Check(String key) {
            this.key = key;
        }

        /** Takes back a pass (a key unknown to All Subscribers) when a later record blocks it. */
        void reopen() {
            done = false;
            decision = null;
        }

        void finish(boolean eligible, String blockedBy, String reason) {
            done = true;
            decision = new ConsentDecision(key, eligible, blockedBy, reason, false, found, List.copyOf(evidence), email);
        }

        ConsentDecision decision() {
            if (decision != null) {
                return decision;
            }
            String note = notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")";
            if (bypass) {
                return new ConsentDecision(key, true, ConsentDecision.ACCOUNT,
                        "Account-level unsubscribe bypassed for transactional send" + note, true, found, List.copyOf(evidence), email);
            }
            return new ConsentDecision(key, true, null, "All consent checks passed" + note, false, true, List.copyOf(evidence), email);
        }
    }
}
