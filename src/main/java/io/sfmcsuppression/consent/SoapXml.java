package io.sfmcsuppression.consent;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * SOAP 1.1 envelopes of the SFMC partner API, built and read with the JDK's namespace-aware DOM.
 * Values only ever enter the XML as text nodes, so a subscriber key cannot change its structure;
 * the parser refuses DOCTYPEs and external entities.
 */
final class SoapXml {

    static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String PARTNER_NS = "http://exacttarget.com/wsdl/partnerAPI";
    static final String XSI_NS = "http://www.w3.org/2001/XMLSchema-instance";
    static final String FUELOAUTH_NS = "http://exacttarget.com";
    static final String FAULT_NS = "urn:fault.partner.exacttarget.com";

    private SoapXml() {
    }

    /** A request body under construction: the partner-API message element inside a SOAP body. */
    static final class Message {
        private final Document doc;
        private final Element envelope;
        private final Element header;
        private final Element root;

        private Message(String messageName) {
            doc = newBuilder().newDocument();
            envelope = doc.createElementNS(SOAP_NS, "soap:Envelope");
            envelope.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:xsi", XSI_NS);
            doc.appendChild(envelope);
            header = (Element) envelope.appendChild(doc.createElementNS(SOAP_NS, "soap:Header"));
            Element body = (Element) envelope.appendChild(doc.createElementNS(SOAP_NS, "soap:Body"));
            root = (Element) body.appendChild(doc.createElementNS(PARTNER_NS, messageName));
        }

        Element root() {
            return root;
        }

        Element add(Element parent, String name) {
            return (Element) parent.appendChild(doc.createElementNS(PARTNER_NS, name));
        }

        Element add(Element parent, String name, String text) {
            Element e = add(parent, name);
            e.setTextContent(text);
            return e;
        }

        /** Adds an element with an {@code xsi:type}, e.g. a {@code Filter} of type {@code SimpleFilterPart}. */
        Element addTyped(Element parent, String name, String xsiType) {
            Element e = add(parent, name);
            e.setAttributeNS(XSI_NS, "xsi:type", xsiType);
            return e;
        }

        /** The envelope as text, with the OAuth token in the {@code fueloauth} header. */
        String toXml(String accessToken) {
            Element oauth = doc.createElementNS(FUELOAUTH_NS, "fueloauth");
            oauth.setTextContent(accessToken);
            while (header.getFirstChild() != null) {
                header.removeChild(header.getFirstChild());
            }
            header.appendChild(oauth);
            try {
                Transformer transformer = TransformerFactory.newInstance().newTransformer();
                transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
                StringWriter out = new StringWriter();
                transformer.transform(new DOMSource(doc), new StreamResult(out));
                return out.toString();
            } catch (TransformerException e) {
                throw new IllegalStateException("Could not write a SOAP envelope", e);
            }
        }
    }

    static Message message(String messageName) {
        return new Message(messageName);
    }

    /** What came back: a fault, or a partner-API response message. */
    record Response(Optional<Fault> fault, String overallStatus, String requestId, List<Map<String, String>> results) {
    }

    /** A SOAP fault, with the partner API's fault code when it gave one. */
    record Fault(String faultString, Optional<String> apiCode) {
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

    static Response parse(byte[] body) throws MalformedException {
        Document doc;
        try {
            doc = newBuilder().parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException e) {
            throw new MalformedException("not well-formed XML (" + e.getMessage() + ")");
        }
        Element envelope = doc.getDocumentElement();
        if (!SOAP_NS.equals(envelope.getNamespaceURI()) || !"Envelope".equals(envelope.getLocalName())) {
            throw new MalformedException("not a SOAP 1.1 envelope (root element " + envelope.getLocalName() + ")");
        }
        Element soapBody = child(envelope, SOAP_NS, "Body")
                .orElseThrow(() -> new MalformedException("SOAP envelope without a Body"));
        Optional<Element> fault = child(soapBody, SOAP_NS, "Fault");
        if (fault.isPresent()) {
            String faultString = text(fault.get(), null, "faultstring").orElse("");
            Optional<String> code = child(fault.get(), null, "detail")
                    .flatMap(detail -> child(detail, FAULT_NS, "apifault"))
                    .flatMap(apiFault -> text(apiFault, FAULT_NS, "Code"));
            return new Response(Optional.of(new Fault(faultString, code)), "", "", List.of());
        }
        Element message = firstElement(soapBody).orElseThrow(() -> new MalformedException("empty SOAP Body"));
        if (!PARTNER_NS.equals(message.getNamespaceURI())) {
            throw new MalformedException("unexpected element " + message.getLocalName() + " in the SOAP Body");
        }
        String overall = text(message, PARTNER_NS, "OverallStatus")
                .orElseThrow(() -> new MalformedException(message.getLocalName() + " without OverallStatus"));
        String requestId = text(message, PARTNER_NS, "RequestID").orElse("");
        List<Map<String, String>> results = new ArrayList<>();
        for (Node n = message.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && "Results".equals(e.getLocalName())) {
                Map<String, String> flat = new LinkedHashMap<>();
                flatten(e, "", flat);
                results.add(flat);
            }
        }
        return new Response(Optional.empty(), overall.trim(), requestId.trim(), results);
    }

    /** Child elements as dotted paths ({@code Client.ID}); repeated names keep their first value. */
    private static void flatten(Element parent, String prefix, Map<String, String> into) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                String name = prefix + e.getLocalName();
                if (firstElement(e).isPresent()) {
                    flatten(e, name + ".", into);
                } else {
                    into.putIfAbsent(name, e.getTextContent().trim());
                }
            }
        }
    }

    private static Optional<Element> child(Element parent, String ns, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())
                    && (ns == null || ns.equals(e.getNamespaceURI()))) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> text(Element parent, String ns, String localName) {
        return child(parent, ns, localName).map(e -> e.getTextContent().trim());
    }

    private static Optional<Element> firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new org.xml.sax.helpers.DefaultHandler());
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("No namespace-aware XML parser available", e);
        }
    }
}
