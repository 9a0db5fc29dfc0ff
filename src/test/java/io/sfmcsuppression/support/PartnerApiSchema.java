package io.sfmcsuppression.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.util.Optional;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;

import org.w3c.dom.Document;
import org.xml.sax.SAXException;

/**
 * Salesforce's partner API contract for the envelopes we send, as our own XSDs under
 * {@code src/test/resources/sfmc/} (written from the facts of {@code etframework.wsdl}): the SOAP
 * 1.1 envelope, the {@code fueloauth} header and the request messages the service uses.
 */
public final class PartnerApiSchema {

    public static final String SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String PARTNER_NS = "http://exacttarget.com/wsdl/partnerAPI";
    public static final String FUELOAUTH_NS = "http://exacttarget.com";

    private static final Schema SCHEMA = load();

    private PartnerApiSchema() {
    }

    /** A parsed envelope, or why it is not one the partner API would take. */
    public static Document parse(byte[] body) throws InvalidEnvelope {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document doc = builder.parse(new ByteArrayInputStream(body));
            Validator validator = SCHEMA.newValidator();
            validator.validate(new DOMSource(doc));
            return doc;
        } catch (SAXException e) {
            throw new InvalidEnvelope(e.getMessage());
        } catch (IOException | ParserConfigurationException e) {
            throw new InvalidEnvelope(e.toString());
        }
    }

    /** The first schema violation of an envelope, empty when it is valid. */
    public static Optional<String> violation(byte[] body) {
        try {
            parse(body);
            return Optional.empty();
        } catch (InvalidEnvelope e) {
            return Optional.of(e.getMessage());
        }
    }

    /** An envelope the partner API would refuse, with the validator's reason. */
    public static final class InvalidEnvelope extends Exception {
        InvalidEnvelope(String message) {
            super(message);
        }
    }

    private static Schema load() {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            return factory.newSchema(new StreamSource[] {source("fueloauth.xsd"), source("partner-api.xsd"),
                    source("soap-envelope.xsd")});
        } catch (SAXException e) {
            throw new IllegalStateException("The partner API test schema does not load", e);
        }
    }

    private static StreamSource source(String name) {
        URL url = PartnerApiSchema.class.getResource("/sfmc/" + name);
        if (url == null) {
            throw new IllegalStateException("Missing test schema /sfmc/" + name);
        }
        return new StreamSource(url.toExternalForm());
    }
}
