package io.sfmcsuppression.consent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.sfmcsuppression.web.ProblemException;

/**
 * Decides whether a subscriber may be mailed by a send, and why (DESIGN section 7, seed 003).
 * Checks in order: account status in All Subscribers, publication-list status when the send names
 * a list, then inferred global opt-out from send tracking. Bulk calls read SFMC once per check and
 * chunk of keys, not once per key; the same SFMC state always gives the same answers.
 */
@ApplicationScoped
public class ConsentStateResolver {

    private final ConsentDirectory directory;
    private final ConsentConfig config;
    private final SentEventTracking sentEvents;
    private final DataExtensionTracking dataExtension;

    ConsentStateResolver(ConsentDirectory directory, ConsentConfig config, SentEventTracking sentEvents,
                         DataExtensionTracking dataExtension) {
        this.directory = directory;
        this.config = config;
        this.sentEvents = sentEvents;
        this.dataExtension = dataExtension;
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

        Map<String, ConsentDirectory.SubscriberRecord> subscribers = directory.subscribers(distinct, client);
        for (Check c : checks.values()) {
            checkAccount(c, subscribers.get(c.key), send);
        }

        if (send.publicationListId().isPresent()) {
            String listName = send.publicationListId().get();
            String listId = listId(listName, client);
            List<String> open = openKeys(checks);
            if (!open.isEmpty()) {
                Map<String, ConsentDirectory.ListMembership> members = directory.memberships(listId, open, client);
                for (String key : open) {
                    checkPublication(checks.get(key), members.get(key), listName, listId);
                }
            }
        }

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

    private void checkAccount(Check c, ConsentDirectory.SubscriberRecord subscriber, SendConfig send) {
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

    private static void checkPublication(Check c, ConsentDirectory.ListMembership member, String listName, String listId) {
        String list = listName.equals(listId) ? listId : listName + " (ListID " + listId + ")";
        if (member == null) {
            c.evidence.add("ListSubscriber: not on publication list " + list);
            return;
        }
        c.evidence.add("ListSubscriber: Status=" + member.status() + " on publication list " + list);
        if ("Unsubscribed".equals(member.status())) {
            c.finish(false, ConsentDecision.PUBLICATION, "Unsubscribed from publication list " + listName);
        }
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
        } catch (ConsentDirectory.UnknownListException e) {
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
                        "Account-level unsubscribe bypassed for transactional send" + note, true, true, List.copyOf(evidence), email);
            }
            return new ConsentDecision(key, true, null, "All consent checks passed" + note, false, true, List.copyOf(evidence), email);
        }
    }
}
