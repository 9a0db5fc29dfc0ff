package io.sfmcsuppression.support;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Behaviour of the SOAP stand-in beyond canned answers: a Retrieve answers only the stubbed results
 * that its filter selects (so a test sees what the values actually sent select), and a
 * {@link ListSubscribers} state where an {@code Update} of a Subscriber's {@code Lists} changes what a
 * later Retrieve of {@code ListSubscriber} returns.
 */
public final class SoapStandIn {

    public static final String RETRIEVE_FILTER = "soap-retrieve-filter";
    public static final String LIST_STATE = "soap-list-state";
    private static final String P = PartnerApiSchema.PARTNER_NS;

    private SoapStandIn() {
    }

    /** Keeps the {@code Results} whose filtered properties hold a value the request's equals/IN filter names. */
    public static final class RetrieveFilter implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return RETRIEVE_FILTER;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Optional<ResponseDefinition> refused = SfmcContract.refusal(event.getRequest());
            if (refused.isPresent()) {
                return refused.get();
            }
            ResponseDefinition stubbed = event.getResponseDefinition();
            Map<String, Set<String>> filter = new HashMap<>();
            simpleParts(parse(event.getRequest().getBody()).getDocumentElement(), filter);
            if (filter.isEmpty() || stubbed.getBody() == null) {
                return stubbed;
            }
            Document answer;
            try {
                answer = parse(stubbed.getBody().getBytes(StandardCharsets.UTF_8));
            } catch (IllegalStateException notXml) {
                // A test that stubs a broken answer gets it as stubbed.
                return stubbed;
            }
            for (Element result : elements(answer.getDocumentElement(), "Results")) {
                for (Map.Entry<String, Set<String>> part : filter.entrySet()) {
                    Element value = firstChild(result, part.getKey());
                    if (value != null && !part.getValue().contains(value.getTextContent().trim())) {
                        result.getParentNode().removeChild(result);
                        break;
                    }
                }
            }
            return ResponseDefinitionBuilder.like(stubbed).but().withBody(write(answer)).build();
        }

        private static void simpleParts(Element e, Map<String, Set<String>> into) {
            for (Element part : elements(e, "Property")) {
                Element parent = (Element) part.getParentNode();
                String operator = text(firstChild(parent, "SimpleOperator"));
                if (operator.equals("equals") || operator.equals("IN")) {
                    Set<String> values = into.computeIfAbsent(part.getTextContent().trim(), k -> new HashSet<>());
                    elements(parent, "Value").forEach(v -> values.add(v.getTextContent().trim()));
                }
            }
        }
    }

    /**
     * Publication-list membership as SFMC keeps it: {@code Update} of a {@code Subscriber} with
     * {@code Lists/ID} and {@code Lists/Status} sets that key's status on that list; a Retrieve of
     * {@code ListSubscriber} filtered by ListID and SubscriberKey answers from it.
     */
    public static final class ListSubscribers implements ResponseDefinitionTransformerV2 {

        private static final Map<String, String> STATUS = new ConcurrentHashMap<>();

        /** The status of a key on a list, empty when it is not on it. */
        public static Optional<String> status(String listId, String subscriberKey) {
            return Optional.ofNullable(STATUS.get(listId + "/" + subscriberKey));
        }

        public static void put(String listId, String subscriberKey, String status) {
            STATUS.put(listId + "/" + subscriberKey, status);
        }

        @Override
        public String getName() {
            return LIST_STATE;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Optional<ResponseDefinition> refused = SfmcContract.refusal(event.getRequest());
            if (refused.isPresent()) {
                return refused.get();
            }
            Document request = parse(event.getRequest().getBody());
            String action = event.getRequest().getHeader("SOAPAction");
            return "Update".equals(action) ? update(request) : retrieve(request);
        }

        private static ResponseDefinition update(Document request) {
            StringBuilder results = new StringBuilder();
            for (Element subscriber : elements(request.getDocumentElement(), "Objects")) {
                String key = text(firstChild(subscriber, "SubscriberKey"));
                for (Element list : elements(subscriber, "Lists")) {
                    put(text(firstChild(list, "ID")), key, text(firstChild(list, "Status")));
                }
                results.append("<Results><StatusCode>OK</StatusCode><StatusMessage>Updated Subscriber</StatusMessage>"
                        + "<OrdinalID>0</OrdinalID><Object xsi:type=\"Subscriber\"><SubscriberKey>").append(escape(key))
                        .append("</SubscriberKey></Object></Results>");
            }
            return xml("<UpdateResponse xmlns=\"" + P + "\">" + results + "<RequestID>" + UUID.randomUUID()
                    + "</RequestID><OverallStatus>OK</OverallStatus></UpdateResponse>");
        }

        private static ResponseDefinition retrieve(Document request) {
            Map<String, Set<String>> filter = new HashMap<>();
            RetrieveFilter.simpleParts(request.getDocumentElement(), filter);
            StringBuilder results = new StringBuilder();
            for (String listId : filter.getOrDefault("ListID", Set.of())) {
                for (String key : filter.getOrDefault("SubscriberKey", Set.of())) {
                    status(listId, key).ifPresent(status -> results.append("<Results xsi:type=\"ListSubscriber\"><Status>")
                            .append(status).append("</Status><ListID>").append(listId).append("</ListID><SubscriberKey>")
                            .append(escape(key)).append("</SubscriberKey></Results>"));
                }
            }
            return xml("<RetrieveResponseMsg xmlns=\"" + P + "\"><OverallStatus>OK</OverallStatus><RequestID>"
                    + UUID.randomUUID() + "</RequestID>" + results + "</RetrieveResponseMsg>");
        }

        private static ResponseDefinition xml(String message) {
            String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"" + PartnerApiSchema.SOAP_NS
                    + "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soap:Body>" + message
                    + "</soap:Body></soap:Envelope>";
            return SfmcContract.answer(200, "text/xml; charset=utf-8", body);
        }
    }

    private static List<Element> elements(Element root, String localName) {
        List<Element> found = new ArrayList<>();
        var nodes = root.getElementsByTagNameNS(P, localName);
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }

    private static Element firstChild(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && P.equals(e.getNamespaceURI()) && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element e) {
        return e == null ? "" : e.getTextContent().trim();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;");
    }

    private static Document parse(byte[] xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new IllegalStateException("The stand-in cannot read XML it was given", e);
        }
    }

    private static String write(Document doc) {
        try {
            StringWriter out = new StringWriter();
            TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
