package io.sfmcsuppression.sfmc;

import java.io.StringWriter;

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

/**
 * A SOAP 1.1 request of the SFMC partner API under construction: the partner-API message element
 * inside a SOAP body, built with the JDK's namespace-aware DOM. Values only ever enter the XML as
 * text nodes, so a subscriber key cannot change its structure. Answers are read by {@link SoapXml}.
 */
final class SoapRequest {
    private final Document doc;
    private final Element envelope;
    private final Element header;
    private final Element root;

    private SoapRequest(String messageName) {
        doc = newBuilder().newDocument();
        envelope = doc.createElementNS(SoapXml.SOAP_NS, "soap:Envelope");
        envelope.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:xsi", SoapXml.XSI_NS);
        doc.appendChild(envelope);
        header = (Element) envelope.appendChild(doc.createElementNS(SoapXml.SOAP_NS, "soap:Header"));
        Element body = (Element) envelope.appendChild(doc.createElementNS(SoapXml.SOAP_NS, "soap:Body"));
        root = (Element) body.appendChild(doc.createElementNS(SoapXml.PARTNER_NS, messageName));
    }

    Element root() {
        return root;
    }

    Element add(Element parent, String name) {
        return (Element) parent.appendChild(doc.createElementNS(SoapXml.PARTNER_NS, name));
    }

    Element add(Element parent, String name, String text) {
        Element e = add(parent, name);
        e.setTextContent(text);
        return e;
    }

    /** Adds an element with an {@code xsi:type}, e.g. a {@code Filter} of type {@code SimpleFilterPart}. */
    Element addTyped(Element parent, String name, String xsiType) {
        Element e = add(parent, name);
        e.setAttributeNS(SoapXml.XSI_NS, "xsi:type", xsiType);
        return e;
    }

    /** The envelope as text, with the OAuth token in the {@code fueloauth} header. */
    String toXml(String accessToken) {
        Element oauth = doc.createElementNS(SoapXml.FUELOAUTH_NS, "fueloauth");
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

    static SoapRequest of(String messageName) {
        return new SoapRequest(messageName);
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
