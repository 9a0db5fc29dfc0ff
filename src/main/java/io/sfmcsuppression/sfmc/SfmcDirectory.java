package io.sfmcsuppression.sfmc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.w3c.dom.Element;

/**
 * The SFMC records that consent is read from and written to, over the SOAP partner API: All
 * Subscribers ({@code Subscriber}), publication lists ({@code ListSubscriber}, {@code List}), send
 * tracking ({@code SentEvent}, {@code NotSentEvent}) and unsubscribes ({@code LogUnsubEvent},
 * {@code UpdateRequest} of a Subscriber). Bulk reads use {@code IN} filters of up to
 * {@code sfmc.soap-in-filter-size} keys and follow {@code MoreDataAvailable} pages. Every method
 * takes the business unit (MID) it concerns; its token is issued for that MID. Failures are
 * {@link SfmcException}s.
 */
@ApplicationScoped
public class SfmcDirectory {

    /** A row of All Subscribers. */
    public record SubscriberRecord(String subscriberKey, String emailAddress, String status, String unsubscribedDate,
                                   String clientId) {
    }

    /** A subscriber's status on one list. */
    public record ListMembership(String listId, String subscriberKey, String status, String modifiedDate) {
    }

    /** Sends and attempted sends (distinct send/job ids) of one key since a date. */
    public record SendHistory(Set<String> sent, Set<String> attempted) {
        static SendHistory empty() {
            return new SendHistory(new TreeSet<>(), new TreeSet<>());
        }
    }

    private final SfmcSoap soap;
    private final int inFilterSize;
    private final Duration unknownListCacheFor;
    private final Clock clock;
    private final Map<String, String> listIdByKey = new ConcurrentHashMap<>();
    /** CustomerKeys SFMC said it does not know, until when that answer is reused. */
    private final Map<String, Instant> unknownListUntil = new ConcurrentHashMap<>();

    @Inject
    SfmcDirectory(SfmcSoap soap, SfmcConfig config, Clock clock) {
        this(soap, config.soapInFilterSize(), config.unknownListCacheFor(), clock);
    }

    SfmcDirectory(SfmcSoap soap, int inFilterSize) {
        this(soap, inFilterSize, Duration.ZERO, Clock.systemUTC());
    }

    SfmcDirectory(SfmcSoap soap, int inFilterSize, Duration unknownListCacheFor, Clock clock) {
        this.soap = soap;
        this.inFilterSize = Math.max(1, inFilterSize);
        this.unknownListCacheFor = unknownListCacheFor;
        this.clock = clock;
    }

    public Map<String, SubscriberRecord> subscribers(Collection<String> keys, Optional<String> clientId) {
        Map<String, SubscriberRecord> found = new HashMap<>();
        for (List<String> chunk : chunks(keys)) {
            for (Map<String, String> r : retrieveAll("Subscriber",
                    List.of("SubscriberKey", "EmailAddress", "Status", "UnsubscribedDate", "Client.ID"),
                    Filter.in("SubscriberKey", chunk), clientId)) {
                String key = r.get("SubscriberKey");
                if (key != null) {
                    found.put(key, new SubscriberRecord(key, r.get("EmailAddress"), r.getOrDefault("Status", ""), r.get("UnsubscribedDate"),
                            r.get("Client.ID")));
                }
            }
        }
        return found;
    }

    /**
     * The key's row in All Subscribers of every business unit of the enterprise: a {@code Retrieve}
     * with {@code QueryAllAccounts=true} (parent and all children, {@code ClientIDs} ignored), in the
     * business unit of the package's own token, which has to be the enterprise's parent for this to
     * see every child. Each row carries its business unit's MID as {@code Client.ID}.
     */
    public List<SubscriberRecord> subscriberInAllBusinessUnits(String subscriberKey) {
        List<SubscriberRecord> rows = new ArrayList<>();
        for (Map<String, String> r : retrieveAll("Subscriber", List.of("SubscriberKey", "EmailAddress", "Status", "UnsubscribedDate",
                "Client.ID"), Filter.equal("SubscriberKey", subscriberKey), Optional.empty(), true)) {
            if (subscriberKey.equals(r.get("SubscriberKey"))) {
                rows.add(new SubscriberRecord(subscriberKey, r.get("EmailAddress"), r.getOrDefault("Status", ""),
                        r.get("UnsubscribedDate"), r.get("Client.ID")));
            }
        }
        return rows;
    }

    public Map<String, ListMembership> memberships(String listId, Collection<String> keys, Optional<String> clientId) {
        Map<String, ListMembership> found = new HashMap<>();
        for (List<String> chunk : chunks(keys)) {
            for (Map<String, String> r : retrieveAll("ListSubscriber",
                    List.of("ListID", "SubscriberKey", "Status", "ModifiedDate"),
                    Filter.and(Filter.equal("ListID", listId), Filter.in("SubscriberKey", chunk)), clientId)) {
                String key = r.get("SubscriberKey");
                if (key != null) {
                    found.put(key, new ListMembership(r.getOrDefault("ListID", listId), key, r.getOrDefault("Status", ""),
                            r.get("ModifiedDate")));
                }
            }
        }
        return found;
    }

    /**
     * A list's numeric ID; a CustomerKey such as {@code pl_monthly_newsletter} is looked up once and
     * cached. A CustomerKey SFMC does not know is remembered as unknown for
     * {@code sfmc.unknown-list-cache-for}, so a caller repeating it does not cost a retrieve each time.
     */
    public String listId(String idOrCustomerKey, Optional<String> clientId) {
        if (idOrCustomerKey.chars().allMatch(Character::isDigit)) {
            return idOrCustomerKey;
        }
        String cacheKey = clientId.orElse("") + "/" + idOrCustomerKey;
        String cached = listIdByKey.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        Instant unknownUntil = unknownListUntil.get(cacheKey);
        if (unknownUntil != null && clock.instant().isBefore(unknownUntil)) {
            throw new UnknownListException(idOrCustomerKey);
        }
        List<Map<String, String>> lists = retrieveAll("List", List.of("ID", "CustomerKey", "ListName"),
                Filter.equal("CustomerKey", idOrCustomerKey), clientId);
        Optional<String> id = lists.stream().map(r -> r.get("ID")).filter(v -> v != null && !v.isBlank()).findFirst();
        if (id.isEmpty()) {
            Instant now = clock.instant();
            // Expired entries go first, so keys named once and never again do not pile up.
            unknownListUntil.values().removeIf(until -> !now.isBefore(until));
            unknownListUntil.put(cacheKey, now.plus(unknownListCacheFor));
            throw new UnknownListException(idOrCustomerKey);
        }
        unknownListUntil.remove(cacheKey);
        listIdByKey.put(cacheKey, id.get());
        return id.get();
    }

    /** SentEvent and NotSentEvent ids per key since {@code since}: attempts are distinct sends of either kind. */
    public Map<String, SendHistory> sendHistory(Collection<String> keys, Instant since, Optional<String> clientId) {
        Map<String, SendHistory> history = new HashMap<>();
        for (String key : keys) {
            history.put(key, SendHistory.empty());
        }
        // xsd:dateTime with seconds and an explicit offset: without one SFMC reads the value as Central time.
        String from = DateTimeFormatter.ISO_INSTANT.format(since.truncatedTo(ChronoUnit.SECONDS));
        for (List<String> chunk : chunks(keys)) {
            Filter filter = Filter.and(Filter.in("SubscriberKey", chunk), Filter.dateAfter("EventDate", from));
            for (Map<String, String> r : retrieveAll("SentEvent", List.of("SendID", "SubscriberKey", "EventDate"), filter, clientId)) {
                SendHistory h = history.get(r.get("SubscriberKey"));
                if (h != null && r.get("SendID") != null) {
                    h.sent().add(r.get("SendID"));
                    h.attempted().add(r.get("SendID"));
                }
            }
            for (Map<String, String> r : retrieveAll("NotSentEvent", List.of("SendID", "SubscriberKey", "EventDate"), filter, clientId)) {
                SendHistory h = history.get(r.get("SubscriberKey"));
                if (h != null && r.get("SendID") != null) {
                    h.attempted().add(r.get("SendID"));
                }
            }
        }
        return history;
    }

    /** Master unsubscribe from All Subscribers: {@code Execute LogUnsubEvent} without job context. */
    public void unsubscribeAccount(String subscriberKey, String reason, Optional<String> clientId) {
        SoapRequest m = SoapRequest.of("ExecuteRequestMsg");
        Element request = m.add(m.root(), "Requests");
        clientId.ifPresent(id -> m.add(m.add(request, "Client"), "ID", id));
        m.add(request, "Name", "LogUnsubEvent");
        parameter(m, request, "SubscriberKey", subscriberKey);
        if (reason != null && !reason.isBlank()) {
            parameter(m, request, "Reason", reason);
        }
        soap.send(clientId, "Execute", m);
    }

    /**
     * Unsubscribe from one list: {@code UpdateRequest} (no "Msg" suffix; its {@code Options} is
     * required, empty here) of the Subscriber with the list's status set to Unsubscribed.
     */
    public void unsubscribeFromList(String subscriberKey, String listId, Optional<String> clientId) {
        SoapRequest m = SoapRequest.of("UpdateRequest");
        m.add(m.root(), "Options");
        Element subscriber = m.addTyped(m.root(), "Objects", "Subscriber");
        clientId.ifPresent(id -> m.add(m.add(subscriber, "Client"), "ID", id));
        m.add(subscriber, "SubscriberKey", subscriberKey);
        Element list = m.add(subscriber, "Lists");
        m.add(list, "ID", listId);
        m.add(list, "Status", "Unsubscribed");
        m.add(list, "Action", "Update");
        soap.send(clientId, "Update", m);
    }

    private static void parameter(SoapRequest m, Element request, String name, String value) {
        Element p = m.add(request, "Parameters");
        m.add(p, "Name", name);
        m.add(p, "Value", value);
    }

    private List<Map<String, String>> retrieveAll(String objectType, List<String> properties, Filter filter,
                                                  Optional<String> clientId) {
        return retrieveAll(objectType, properties, filter, clientId, false);
    }

    private List<Map<String, String>> retrieveAll(String objectType, List<String> properties, Filter filter,
                                                  Optional<String> clientId, boolean queryAllAccounts) {
        List<Map<String, String>> rows = new ArrayList<>();
        SoapRequest m = SoapRequest.of("RetrieveRequestMsg");
        Element request = m.add(m.root(), "RetrieveRequest");
        clientId.ifPresent(id -> m.add(m.add(request, "ClientIDs"), "ClientID", id));
        m.add(request, "ObjectType", objectType);
        properties.forEach(p -> m.add(request, "Properties", p));
        filter.write(m, request, "Filter");
        if (queryAllAccounts) {
            m.add(request, "QueryAllAccounts", "true");
        }
        SoapXml.Response page = soap.send(clientId, "Retrieve", m);
        rows.addAll(page.results());
        int pages = 1;
        while ("MoreDataAvailable".equals(page.overallStatus())) {
            if (page.requestId().isBlank() || ++pages > 1_000) {
                throw new SfmcException(SfmcException.Kind.MALFORMED, 200,
                        "SFMC said MoreDataAvailable for a " + objectType + " retrieve without a usable RequestID", null);
            }
            SfmcBudget.spendPage();
            SoapRequest next = SoapRequest.of("RetrieveRequestMsg");
            Element continued = next.add(next.root(), "RetrieveRequest");
            next.add(continued, "ObjectType", objectType);
            next.add(continued, "ContinueRequest", page.requestId());
            page = soap.send(clientId, "Retrieve", next);
            rows.addAll(page.results());
        }
        return rows;
    }

    private List<List<String>> chunks(Collection<String> keys) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(keys));
        int size = inFilterSize;
        List<List<String>> chunks = new ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            chunks.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return chunks;
    }

    /** A named list that SFMC does not know. */
    public static final class UnknownListException extends RuntimeException {
        UnknownListException(String key) {
            super("SFMC has no list with CustomerKey '" + key + "'");
        }
    }

    /** A retrieve filter: simple parts joined with AND. */
    private interface Filter {
        void write(SoapRequest m, Element parent, String name);

        static Filter in(String property, List<String> values) {
            return simple(property, values.size() == 1 ? "equals" : "IN", "Value", values);
        }

        static Filter equal(String property, String value) {
            return simple(property, "equals", "Value", List.of(value));
        }

        static Filter dateAfter(String property, String isoDateTime) {
            return simple(property, "greaterThan", "DateValue", List.of(isoDateTime));
        }

        private static Filter simple(String property, String operator, String valueElement, List<String> values) {
            return (m, parent, name) -> {
                Element f = m.addTyped(parent, name, "SimpleFilterPart");
                m.add(f, "Property", property);
                m.add(f, "SimpleOperator", operator);
                values.forEach(v -> m.add(f, valueElement, v));
            };
        }

        static Filter and(Filter left, Filter right) {
            return (m, parent, name) -> {
                Element f = m.addTyped(parent, name, "ComplexFilterPart");
                left.write(m, f, "LeftOperand");
                m.add(f, "LogicalOperator", "AND");
                right.write(m, f, "RightOperand");
            };
        }
    }
}
