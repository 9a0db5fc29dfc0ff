package io.sfmcsuppression.support;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * Makes a WireMock stand-in as strict as SFMC about what it receives, whatever a test stubbed:
 * every SOAP envelope must validate against {@link PartnerApiSchema}, name the operation in
 * {@code SOAPAction} that its body holds and carry a {@code fueloauth} token this stand-in issued
 * (else a SOAP client fault, as SFMC answers); a token request must be the documented form (else
 * 400) with a client id and secret registered by {@link #expectClient} (else 401
 * {@code invalid_client}); a rowset upsert must be the documented JSON array of
 * {@code {keys, values}} (else 400); rowset upserts and data-extension reads must carry
 * {@code Authorization: Bearer} with an issued token (else 401 {@code Not Authorized}). Applied
 * globally; tokens are issued by {@link #TOKEN_ISSUER} or registered with {@link #accept}. Tokens
 * and clients are shared by every stand-in of the test JVM.
 */
public final class SfmcContract implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "sfmc-contract";
    /** Name of the transformer that issues a fresh token per request; parameter {@code expiresIn}. */
    public static final String TOKEN_ISSUER = "sfmc-token-issuer";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Optional<String>> ISSUED = new ConcurrentHashMap<>();
    private static final Map<String, String> CLIENTS = new ConcurrentHashMap<>();
    private static final String NOT_AUTHORIZED = "{\"message\":\"Not Authorized\",\"errorcode\":0,\"documentation\":\"\"}";
    private static final Map<String, String> BODY_OF_ACTION = Map.of("Retrieve", "RetrieveRequestMsg",
            "Execute", "ExecuteRequestMsg", "Update", "UpdateRequest", "Create", "CreateRequest", "Delete", "DeleteRequest");
    private static final Set<String> TOKEN_FIELDS = Set.of("grant_type", "client_id", "client_secret", "account_id", "scope");

    /** The installed package's client id and secret: the only pair the token endpoint issues tokens for. */
    public static void expectClient(String clientId, String clientSecret) {
        CLIENTS.put(clientId, clientSecret);
    }

    /** Lets SOAP and REST calls with this token through (for stubs that hand out a fixed token). */
    public static void accept(String token, Optional<String> accountId) {
        ISSUED.put(token, accountId);
    }

    /** The {@code account_id} a token was issued for; empty for the package's own business unit. */
    public static Optional<String> accountOf(String token) {
        return ISSUED.getOrDefault(token, Optional.empty());
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        return refusal(event.getRequest()).orElse(event.getResponseDefinition());
    }

    /**
     * SFMC's answer to a request it would refuse, empty when it takes it. Transformers that build
     * their own answer call this first, so the order WireMock applies transformers in never matters.
     */
    public static Optional<ResponseDefinition> refusal(Request request) {
        // Decoded, so a client that escapes the ':' of "key:" meets the same checks.
        String path = URLDecoder.decode(request.getUrl().replaceFirst("\\?.*", ""), StandardCharsets.UTF_8);
        Optional<ResponseDefinition> refused;
        if (path.endsWith("/Service.asmx")) {
            refused = soapViolation(request).map(SfmcContract::clientFault);
        } else if (path.equals("/v2/token")) {
            refused = tokenViolation(request).map(m -> answer(400, "application/json",
                    "{\"error\":\"invalid_request\",\"error_description\":\"" + m.replace("\"", "'") + "\"}"))
                    .or(() -> unknownClient(request));
        } else if (path.matches("/hub/v1/dataevents/key:[^/]+/rowset")) {
            refused = unauthorized(request).or(() -> rowsetViolation(request).map(m -> answer(400, "application/json",
                    "{\"message\":\"" + m.replace("\"", "'") + "\",\"errorcode\":10004,\"documentation\":\"\"}")));
        } else if (path.matches("/data/v1/customobjectdata/key/[^/]+/rowset")) {
            refused = unauthorized(request);
        } else {
            refused = Optional.empty();
        }
        return refused;
    }

    private static Optional<String> soapViolation(Request request) {
        if (!request.getMethod().getName().equals("POST")) {
            return Optional.of("SOAP calls are POSTs");
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith("text/xml")) {
            return Optional.of("Content-Type must be text/xml, was " + contentType);
        }
        String action = request.getHeader("SOAPAction");
        String expected = BODY_OF_ACTION.get(action);
        if (expected == null) {
            return Optional.of("Unknown SOAPAction " + action);
        }
        Document doc;
        try {
            doc = PartnerApiSchema.parse(request.getBody());
        } catch (PartnerApiSchema.InvalidEnvelope e) {
            return Optional.of("The envelope does not validate against the partner API schema: " + e.getMessage());
        }
        Element body = child(doc.getDocumentElement(), PartnerApiSchema.SOAP_NS, "Body");
        Element message = firstElement(body);
        if (!expected.equals(message.getLocalName())) {
            return Optional.of("SOAPAction " + action + " needs a " + expected + ", the body holds " + message.getLocalName());
        }
        Element header = child(doc.getDocumentElement(), PartnerApiSchema.SOAP_NS, "Header");
        Element oauth = header == null ? null : child(header, PartnerApiSchema.FUELOAUTH_NS, "fueloauth");
        if (oauth == null || !ISSUED.containsKey(oauth.getTextContent())) {
            return Optional.of("Login Failed: no fueloauth token this stand-in issued");
        }
        return Optional.empty();
    }

    private static Optional<String> tokenViolation(Request request) {
        if (request.containsHeader("Authorization")) {
            return Optional.of("credentials go in the body, not in an Authorization header");
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            return Optional.of("the token request must be a form, was " + contentType);
        }
        Map<String, String> form = form(request.getBodyAsString());
        for (String field : form.keySet()) {
            if (!TOKEN_FIELDS.contains(field)) {
                return Optional.of("unknown field " + field);
            }
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return Optional.of("grant_type must be client_credentials");
        }
        if (form.getOrDefault("client_id", "").isBlank() || form.getOrDefault("client_secret", "").isBlank()) {
            return Optional.of("client_id and client_secret are required");
        }
        String account = form.get("account_id");
        if (account != null && !account.matches("[0-9]{1,18}")) {
            return Optional.of("account_id must be a MID");
        }
        return Optional.empty();
    }

    /** SFMC's 401 to a REST call without a bearer token it issued. */
    private static Optional<ResponseDefinition> unauthorized(Request request) {
        String auth = request.getHeader("Authorization");
        boolean issued = auth != null && auth.startsWith("Bearer ") && ISSUED.containsKey(auth.substring("Bearer ".length()));
        return issued ? Optional.empty() : Optional.of(answer(401, "application/json", NOT_AUTHORIZED));
    }

    /** The auth server's 401 to a well-formed request whose client id and secret it does not know. */
    private static Optional<ResponseDefinition> unknownClient(Request request) {
        Map<String, String> form = form(request.getBodyAsString());
        String secret = CLIENTS.get(form.get("client_id"));
        return secret != null && secret.equals(form.get("client_secret")) ? Optional.empty()
                : Optional.of(answer(401, "application/json",
                        "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication failed.\"}"));
    }

    private static Optional<String> rowsetViolation(Request request) {
        if (!request.getMethod().getName().equals("POST")) {
            return Optional.of("rowset upserts are POSTs");
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith("application/json")) {
            return Optional.of("Content-Type must be application/json");
        }
        JsonNode rows;
        try {
            rows = JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            return Optional.of("the body is not JSON");
        }
        if (rows == null || !rows.isArray() || rows.isEmpty()) {
            return Optional.of("the body must be a non-empty JSON array of rows");
        }
        for (JsonNode row : rows) {
            if (!row.isObject() || row.size() != 2 || !flatStrings(row.get("keys")) || !flatStrings(row.get("values"))) {
                return Optional.of("each row must be {\"keys\":{...},\"values\":{...}} of string values");
            }
        }
        return Optional.empty();
    }

    private static boolean flatStrings(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            return false;
        }
        for (JsonNode value : node) {
            if (!value.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** The SOAP 1.1 client fault SFMC answers to an envelope it cannot take. */
    static ResponseDefinition clientFault(String reason) {
        String body = """
                <?xml version="1.0" encoding="utf-8"?>
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>
                <faultcode>soap:Client</faultcode><faultstring>%s</faultstring></soap:Fault></soap:Body></soap:Envelope>"""
                .formatted(reason.replace("&", "&amp;").replace("<", "&lt;"));
        return answer(500, "text/xml; charset=utf-8", body);
    }

    /** A whole answer built by a transformer. */
    public static ResponseDefinition answer(int status, String contentType, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status).withHeader("Content-Type", contentType)
                .withBody(body).build();
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return form;
    }

    private static Element child(Element parent, String ns, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static Element firstElement(Element parent) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return e;
            }
        }
        throw new IllegalStateException("validated envelope without a body element");
    }

    /**
     * Issues a new token per request, as SFMC does, with instance URLs at this stand-in, and
     * remembers which {@code account_id} it was issued for.
     */
    public static final class TokenIssuer implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return TOKEN_ISSUER;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            Optional<ResponseDefinition> refused = refusal(event.getRequest());
            if (refused.isPresent()) {
                return refused.get();
            }
            Optional<String> account = Optional.ofNullable(form(event.getRequest().getBodyAsString()).get("account_id"));
            String token = "tok-" + UUID.randomUUID().toString().replace("-", "");
            accept(token, account);
            String base = event.getRequest().getAbsoluteUrl().replaceFirst("/v2/token.*", "");
            int expiresIn = event.getTransformerParameters().getInt("expiresIn", 1079);
            String body = "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                    + ",\"scope\":\"email_read list_and_subscribers_read list_and_subscribers_write tracking_events_read"
                    + " data_extensions_read data_extensions_write\",\"soap_instance_url\":\"" + base
                    + "/\",\"rest_instance_url\":\"" + base + "/\"}";
            return answer(200, "application/json", body);
        }
    }
}
