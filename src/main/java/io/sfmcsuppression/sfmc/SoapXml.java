package io.sfmcsuppression.sfmc;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * SOAP 1.1 answers of the SFMC partner API, read with the JDK's streaming (StAX) parser, which
 * refuses DOCTYPEs and external entities; and the namespaces of both directions. Requests are built
 * by {@link SoapRequest}.
 */
final class SoapXml {

    static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String PARTNER_NS = "http://exacttarget.com/wsdl/partnerAPI";
    static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
    static final String FUELOAUTH_NS = "http://exacttarget.com";
    static final String FAULT_NS = "urn:fault.partner.exacttarget.com";

    private static final XMLInputFactory INPUT = inputFactory();

    private SoapXml() {
    }

    /** What came back: a fault, or a partner-API response message. */
    record Response(Optional<Fault> fault, String overallStatus, String requestId, List<Map<String, String>> results) {
    }

    /** A SOAP fault, with the partner API's fault code when it gave one. */
    record Fault(String faultCode, String faultString, Optional<String> apiCode) {
        /**
         * A SOAP 1.1 {@code Client} fault ({@code soap:Client}, {@code Client.*}): the request
         * itself was refused, its envelope or a value in it, so sending it again cannot help.
         */
        boolean clientFault() {
            String local = faultCode.substring(faultCode.indexOf(':') + 1).trim();
            return local.equals("Client") || local.startsWith("Client.");
        }

        boolean tokenExpired() {
            return faultString.trim().equalsIgnoreCase("Token Expired");
        }

        boolean rateLimited() {
            return apiCode.map("17"::equals).orElse(false) || faultString.trim().equalsIgnoreCase("Rate Limited");
        }
    }

    /** Thrown when a body is not a SOAP envelope we can read. */
    static final class MalformedException extends Exception {
        MalformedException(String message) {
            super(message);
        }
    }

    /**
     * Reads a response with a streaming parser straight into the result maps: a Retrieve page holds
     * up to 2 500 results, and building a DOM of it was half the CPU of a bulk validation.
     */
    static Response parse(byte[] body) throws MalformedException {
        try {
            XMLStreamReader r = reader(body);
            try {
                Response response = envelope(r);
                // Read to the end: a body cut off after the message is still not a whole envelope.
                while (r.hasNext()) {
                    next(r);
                }
                return response;
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw new MalformedException("not well-formed XML (" + e.getMessage() + ")");
        }
    }

    private static Response envelope(XMLStreamReader r) throws XMLStreamException, MalformedException {
        if (!nextChild(r)) {
            throw new MalformedException("not well-formed XML (no root element)");
        }
        if (!is(r, SOAP_NS, "Envelope")) {
            throw new MalformedException("not a SOAP 1.1 envelope (root element " + r.getLocalName() + ")");
        }
        boolean body = false;
        while (!body && nextChild(r)) {
            body = is(r, SOAP_NS, "Body");
            if (!body) {
                skip(r);
            }
        }
        if (!body) {
            throw new MalformedException("SOAP envelope without a Body");
        }
        if (!nextChild(r)) {
            throw new MalformedException("empty SOAP Body");
        }
        if (is(r, SOAP_NS, "Fault")) {
            return new Response(Optional.of(fault(r)), "", "", List.of());
        }
        if (!PARTNER_NS.equals(r.getNamespaceURI())) {
            throw new MalformedException("unexpected element " + r.getLocalName() + " in the SOAP Body");
        }
        String messageName = r.getLocalName();
        String overall = null;
        String requestId = null;
        List<Map<String, String>> results = new ArrayList<>();
        while (nextChild(r)) {
            if (overall == null && is(r, PARTNER_NS, "OverallStatus")) {
                overall = text(r);
            } else if (requestId == null && is(r, PARTNER_NS, "RequestID")) {
                requestId = text(r);
            } else if ("Results".equals(r.getLocalName())) {
                Map<String, String> flat = new LinkedHashMap<>();
                while (nextChild(r)) {
                    flatten(r, r.getLocalName(), flat);
                }
                results.add(flat);
            } else {
                skip(r);
            }
        }
        if (overall == null) {
            throw new MalformedException(messageName + " without OverallStatus");
        }
        return new Response(Optional.empty(), overall, requestId == null ? "" : requestId, results);
    }

    private static Fault fault(XMLStreamReader r) throws XMLStreamException {
        String faultCode = null;
        String faultString = null;
        String code = null;
        boolean detailSeen = false;
        while (nextChild(r)) {
            if (faultCode == null && "faultcode".equals(r.getLocalName())) {
                faultCode = text(r);
            } else if (faultString == null && "faultstring".equals(r.getLocalName())) {
                faultString = text(r);
            } else if (!detailSeen && "detail".equals(r.getLocalName())) {
                detailSeen = true;
                code = apiFaultCode(r);
            } else {
                skip(r);
            }
        }
        return new Fault(faultCode == null ? "" : faultCode, faultString == null ? "" : faultString, Optional.ofNullable(code));
    }

    /** The Code of the first apifault in a fault's detail; the reader ends on the detail's end tag. */
    private static String apiFaultCode(XMLStreamReader r) throws XMLStreamException {
        String code = null;
        boolean apiFaultSeen = false;
        while (nextChild(r)) {
            if (!apiFaultSeen && is(r, FAULT_NS, "apifault")) {
                apiFaultSeen = true;
                while (nextChild(r)) {
                    if (code == null && is(r, FAULT_NS, "Code")) {
                        code = text(r);
                    } else {
                        skip(r);
                    }
                }
            } else {
                skip(r);
            }
        }
        return code;
    }

    /**
     * One element of a result as dotted paths ({@code Client.ID}): a leaf's trimmed text, or its
     * children's paths; repeated names keep their first value. Ends on the element's end tag.
     */
    private static void flatten(XMLStreamReader r, String name, Map<String, String> into) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        boolean parent = false;
        while (true) {
            switch (next(r)) {
                case XMLStreamConstants.START_ELEMENT -> {
                    parent = true;
                    flatten(r, name + "." + r.getLocalName(), into);
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (!parent) {
                        text.append(r.getText());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    if (!parent) {
                        into.putIfAbsent(name, text.toString().trim());
                    }
                    return;
                }
                default -> {
                    // comments and processing instructions carry no values
                }
            }
        }
    }

    /**
     * Moves to the next child element of the element the reader is in; false once that element
     * ends. Text between elements is skipped.
     */
    private static boolean nextChild(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            switch (next(r)) {
                case XMLStreamConstants.START_ELEMENT -> {
                    return true;
                }
                case XMLStreamConstants.END_ELEMENT, XMLStreamConstants.END_DOCUMENT -> {
                    return false;
                }
                default -> {
                    // text, comments, processing instructions
                }
            }
        }
        return false;
    }

    /** All text inside the current element, trimmed; ends on its end tag. */
    private static String text(XMLStreamReader r) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        for (int depth = 1; depth > 0; ) {
            switch (next(r)) {
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> depth--;
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> text.append(r.getText());
                default -> {
                    // comments and processing instructions
                }
            }
        }
        return text.toString().trim();
    }

    /** Skips the current element and everything in it; ends on its end tag. */
    private static void skip(XMLStreamReader r) throws XMLStreamException {
        for (int depth = 1; depth > 0; ) {
            switch (next(r)) {
                case XMLStreamConstants.START_ELEMENT -> depth++;
                case XMLStreamConstants.END_ELEMENT -> depth--;
                default -> {
                    // content of a skipped element
                }
            }
        }
    }

    /** The next event; a DOCTYPE anywhere is refused, so no entity is ever declared or expanded. */
    private static int next(XMLStreamReader r) throws XMLStreamException {
        int event = r.next();
        if (event == XMLStreamConstants.DTD) {
            throw new XMLStreamException("DOCTYPE is not allowed");
        }
        return event;
    }

    private static boolean is(XMLStreamReader r, String ns, String localName) {
        return localName.equals(r.getLocalName()) && ns.equals(r.getNamespaceURI());
    }

    private static XMLStreamReader reader(byte[] body) throws XMLStreamException {
        synchronized (INPUT) {
            // The StAX API does not promise a thread-safe factory; creating a reader is cheap.
            return INPUT.createXMLStreamReader(new ByteArrayInputStream(body));
        }
    }

    private static XMLInputFactory inputFactory() {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }
}
