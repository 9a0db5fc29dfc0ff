package io.sfmcsuppression.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import com.sun.net.httpserver.HttpExchange;

/**
 * The SFMC stand-in of the consent figure: {@code POST /v2/token} answers a token at once (its
 * {@code soap_instance_url} is this server); {@code POST /Service.asmx} answers every SOAP Retrieve
 * after a fixed delay, slept on its handler thread (64 threads), with envelopes shaped like the
 * service's tests use (src/test/.../consent/Soap.java, from SFMC's public documentation):
 * {@code Subscriber}, {@code ListSubscriber}, {@code List}, {@code SentEvent}, {@code NotSentEvent},
 * filtered by the request's {@code SubscriberKey} values, at most {@value #PAGE} results per page
 * with {@code MoreDataAvailable} and {@code ContinueRequest}, as SFMC pages.
 *
 * <p>Each key's consent state follows from {@code floorMod(key.hashCode(), 100)} ({@link #expected}):
 * 0–4 not in All Subscribers, 5–9 Unsubscribed, 10 Held, 11–12 Bounced, else Active; on the list
 * 13–17 Unsubscribed, 18–69 Active, else not on it; 70–74 three NotSentEvents and no SentEvent
 * (a suspected global opt-out), 75–79 one NotSentEvent, every key outside 70–74 two SentEvents.
 */
final class SoapStandIn implements AutoCloseable {

    static final String LIST_ID = "4242";
    private static final int PAGE = 2_500;

    private final LocalHttpServer server;
    private final int delayMs;
    private final Map<String, List<String>> morePages = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();
    final Map<String, AtomicInteger> callsByType = new ConcurrentHashMap<>();

    SoapStandIn(int delayMs) throws IOException {
        this.delayMs = delayMs;
        server = new LocalHttpServer(this::handle);
    }

    String baseUri() {
        return server.baseUri();
    }

    void reset() {
        calls.set(0);
        callsByType.clear();
    }

    /** The decision the service must reach for a key on a non-transactional send to the list: blockedBy, "" when eligible. */
    static String expected(String key) {
        int b = bucket(key);
        if (b >= 5 && b <= 10) {
            return "account";
        } else if (b < 5) {
            return "";
        } else if (b >= 13 && b <= 17) {
            return "publication";
        } else if (b >= 70 && b <= 74) {
            return "global";
        }
        return "";
    }

    private static int bucket(String key) {
        return Math.floorMod(key.hashCode(), 100);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (exchange.getRequestURI().getPath().endsWith("/v2/token")) {
                answer(exchange, "application/json", "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":1079,"
                        + "\"soap_instance_url\":\"" + baseUri() + "/\",\"rest_instance_url\":\"" + baseUri() + "/\"}");
                return;
            }
            String response;
            try {
                response = retrieve(parse(body));
            } catch (Exception e) {
                answer(exchange, "text/plain", 500, "stand-in could not read the request: " + e);
                return;
            }
            Thread.sleep(delayMs);
            answer(exchange, "text/xml; charset=utf-8", response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String retrieve(Document request) {
        calls.incrementAndGet();
        String continued = text(request, "ContinueRequest");
        if (!continued.isEmpty()) {
            callsByType.computeIfAbsent("(ContinueRequest)", k -> new AtomicInteger()).incrementAndGet();
            return page(morePages.remove(continued));
        }
        String type = text(request, "ObjectType");
        callsByType.computeIfAbsent(type, k -> new AtomicInteger()).incrementAndGet();
        Map<String, List<String>> filter = filter(request);
        List<String> results = new ArrayList<>();
        for (String key : filter.getOrDefault("SubscriberKey", List.of())) {
            int b = bucket(key);
            switch (type) {
                case "Subscriber" -> {
                    if (b >= 5) {
                        results.add(subscriber(key, b == 10 ? "Held" : b <= 9 ? "Unsubscribed" : b <= 12 ? "Bounced" : "Active"));
                    }
                }
                case "ListSubscriber" -> {
                    if (b >= 13 && b <= 69) {
                        results.add(listSubscriber(key, b <= 17 ? "Unsubscribed" : "Active"));
                    }
                }
                case "SentEvent" -> {
                    if (b < 70 || b > 74) {
                        results.add(event("SentEvent", "9101", key));
                        results.add(event("SentEvent", "9102", key));
                    }
                }
                case "NotSentEvent" -> {
                    if (b >= 70 && b <= 74) {
                        results.add(event("NotSentEvent", "9201", key));
                        results.add(event("NotSentEvent", "9202", key));
                        results.add(event("NotSentEvent", "9203", key));
                    } else if (b >= 75 && b <= 79) {
                        results.add(event("NotSentEvent", "9204", key));
                    }
                }
                default -> throw new IllegalArgumentException("no such object type by key: " + type);
            }
        }
        if ("List".equals(type)) {
            results.add(list(filter.getOrDefault("CustomerKey", List.of("unknown")).get(0)));
        }
        return page(results);
    }

    /** The first page of results; the rest kept under a new RequestID for a ContinueRequest. */
    private String page(List<String> results) {
        String requestId = UUID.randomUUID().toString();
        boolean more = results.size() > PAGE;
        if (more) {
            morePages.put(requestId, new ArrayList<>(results.subList(PAGE, results.size())));
        }
        List<String> shown = more ? results.subList(0, PAGE) : results;
        return envelope("<RetrieveResponseMsg xmlns=\"http://exacttarget.com/wsdl/partnerAPI\">\n<OverallStatus>"
                + (more ? "MoreDataAvailable" : "OK") + "</OverallStatus>\n<RequestID>" + requestId + "</RequestID>\n"
                + String.join("\n", shown) + "\n</RetrieveResponseMsg>");
    }

    /** Property → values of every SimpleFilterPart in the request. */
    private static Map<String, List<String>> filter(Document request) {
        Map<String, List<String>> filter = new HashMap<>();
        NodeList properties = request.getElementsByTagNameNS("*", "Property");
        for (int i = 0; i < properties.getLength(); i++) {
            Element property = (Element) properties.item(i);
            List<String> values = new ArrayList<>();
            for (Node n = property.getNextSibling(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && ("Value".equals(e.getLocalName()) || "DateValue".equals(e.getLocalName()))) {
                    values.add(e.getTextContent().trim());
                }
            }
            filter.put(property.getTextContent().trim(), values);
        }
        return filter;
    }

    static Document parse(byte[] body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    }

    static String text(Document doc, String localName) {
        NodeList nodes = doc.getElementsByTagNameNS("*", localName);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    private static String envelope(String body) {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
                xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">
                   <soap:Header>
                      <wsa:Action>RetrieveResponse</wsa:Action>
                      <wsa:MessageID>urn:uuid:%s</wsa:MessageID>
                      <wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>
                   </soap:Header>
                   <soap:Body>
                %s
                   </soap:Body>
                </soap:Envelope>""".formatted(UUID.randomUUID(), body);
    }

    private static String subscriber(String key, String status) {
        String unsubscribed = status.equals("Unsubscribed") ? "<UnsubscribedDate>2026-10-02T09:14:00</UnsubscribedDate>" : "";
        return """
                <Results xsi:type="Subscriber"><Client><ID>510000123</ID></Client><PartnerKey xsi:nil="true" />\
                <CreatedDate>2025-03-14T10:22:31.57</CreatedDate><ObjectID xsi:nil="true" /><EmailAddress>%s</EmailAddress>\
                <SubscriberKey>%s</SubscriberKey>%s<Status>%s</Status><EmailTypePreference>HTML</EmailTypePreference></Results>"""
                .formatted(key, key, unsubscribed, status);
    }

    private static String listSubscriber(String key, String status) {
        return """
                <Results xsi:type="ListSubscriber"><PartnerKey xsi:nil="true" /><ModifiedDate>2026-10-05T11:00:00</ModifiedDate>\
                <ObjectID xsi:nil="true" /><Status>%s</Status><ListID>%s</ListID><SubscriberKey>%s</SubscriberKey></Results>"""
                .formatted(status, LIST_ID, key);
    }

    private static String list(String customerKey) {
        return """
                <Results xsi:type="List"><Client><ID>510000123</ID></Client><PartnerKey xsi:nil="true" /><ID>%s</ID>\
                <ObjectID xsi:nil="true" /><CustomerKey>%s</CustomerKey><ListName>%s</ListName></Results>"""
                .formatted(LIST_ID, customerKey, customerKey);
    }

    private static String event(String type, String sendId, String key) {
        return """
                <Results xsi:type="%s"><Client><ID>510000123</ID></Client><PartnerKey xsi:nil="true" /><ObjectID xsi:nil="true" />\
                <SendID>%s</SendID><SubscriberKey>%s</SubscriberKey><EventDate>2026-11-02T08:00:00</EventDate>\
                <EventType>%s</EventType></Results>""".formatted(type, sendId, key, type.equals("SentEvent") ? "Sent" : "NotSent");
    }

    private static void answer(HttpExchange exchange, String contentType, String text) throws IOException {
        answer(exchange, contentType, 200, text);
    }

    private static void answer(HttpExchange exchange, String contentType, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
