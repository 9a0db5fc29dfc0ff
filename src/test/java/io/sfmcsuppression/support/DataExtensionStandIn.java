package io.sfmcsuppression.support;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * The rows SFMC holds, for WireMock: every rowset upsert answered 200 stores its rows (unless the
 * address is {@link #dropSilently dropped}, as a 200 without effect), and
 * {@code GET /data/v1/customobjectdata/key/{key}/rowset} answers from them as SFMC does: column
 * names lower-cased, {@code count}/{@code page}/{@code pageSize}, dates as {@code M/d/yyyy h:mm:ss a}.
 * It accepts only the requests the service is meant to send: a bearer token,
 * {@code $filter=Email Address in ('a','b')} with at most 50 values or
 * {@code $filter=Date Added eq 'yyyy-MM-dd'}, {@code $page} from 1 and {@code $pageSize} 1-2500;
 * anything else is a 400 with SFMC's error body. Reads are counted per filter kind.
 */
public final class DataExtensionStandIn implements ResponseDefinitionTransformerV2, ServeEventListener {

    private static final Pattern UPSERT = Pattern.compile("/hub/v1/dataevents/key:([^/]+)/rowset");
    private static final Pattern READ = Pattern.compile("/data/v1/customobjectdata/key/([^/?]+)/rowset(\\?.*)?");
    private static final Pattern FILTER = Pattern.compile("Email Address in \\(((?:'(?:[^']|'')*')(?:,'(?:[^']|'')*')*)\\)");
    private static final Pattern VALUE = Pattern.compile("'((?:[^']|'')*)'");
    private static final Pattern DATE_FILTER = Pattern.compile("Date Added eq '(\\d{4}-\\d{2}-\\d{2})'");
    private static final DateTimeFormatter SFMC_DATE = DateTimeFormatter.ofPattern("M/d/yyyy", Locale.ROOT);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Per data extension key, lower-cased address to its Date Added. */
    private final Map<String, Map<String, String>> rows = new ConcurrentHashMap<>();
    private final Set<String> dropped = ConcurrentHashMap.newKeySet();
    private final AtomicInteger readsByAddress = new AtomicInteger();
    private volatile boolean refuseReadsByDate;
    private final AtomicInteger readsByDate = new AtomicInteger();
    private volatile String deleteRefusal;

    /** Every later 200 for this address stores nothing. */
    public void dropSilently(String email) {
        dropped.add(email.toLowerCase(Locale.ROOT));
    }

    /** Every later SOAP Delete is answered with an Error result with this message, and removes nothing. */
    public void refuseDeletes(String message) {
        deleteRefusal = message;
    }

    /** Forgets every row and every dropped address, and takes deletes again. */
    public void clear() {
        rows.clear();
        dropped.clear();
        deleteRefusal = null;
        readsByAddress.set(0);
        readsByDate.set(0);
        refuseReadsByDate = false;
    }

    /** Until {@link #clear}, answers a read by {@code Date Added} 400, as a tenant that does not take that filter would. */
    public void refuseReadsByDate() {
        refuseReadsByDate = true;
    }

    /** Reads answered with {@code Email Address in (…)} since {@link #clear}. */
    public int readsByAddress() {
        return readsByAddress.get();
    }

    /** Reads answered with {@code Date Added eq '…'} since {@link #clear}. */
    public int readsByDate() {
        return readsByDate.get();
    }

    /** Stores a row as another writer would have, e.g. one of an earlier run with the same date. */
    public void hold(String key, String email, LocalDate dateAdded) {
        rows.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).put(email.toLowerCase(Locale.ROOT), sfmcDate(dateAdded));
    }

    /** Whether the data extension holds the address. */
    public boolean holds(String key, String email) {
        return rows.getOrDefault(key, Map.of()).containsKey(email.toLowerCase(Locale.ROOT));
    }

    @Override
    public String getName() {
        return "data-extension-rows";
    }

    /** Sees every upsert; answers only the read route, leaving other stubs' answers as they are. */
    @Override
    public boolean applyGlobally() {
        return true;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request request = event.getRequest();
        if (request.getUrl().endsWith("/Service.asmx") && "Delete".equals(request.getHeader("SOAPAction"))) {
            return SfmcContract.refusal(request).orElseGet(() -> delete(request));
        }
        Matcher read = READ.matcher(request.getUrl());
        if (!"GET".equals(request.getMethod().getName()) || !read.matches()) {
            return event.getResponseDefinition();
        }
        Optional<ResponseDefinition> refused = SfmcContract.refusal(request);
        if (refused.isPresent()) {
            return refused.get();
        }
        QueryParameter filter = request.queryParameter("$filter");
        QueryParameter page = request.queryParameter("$page");
        QueryParameter pageSize = request.queryParameter("$pageSize");
        if (!filter.isPresent() || !page.isPresent() || !pageSize.isPresent() || filter.values().size() != 1) {
            return json(400, error("$filter, $page and $pageSize are expected once each", 10000));
        }
        Matcher f = FILTER.matcher(filter.firstValue());
        Matcher byDate = DATE_FILTER.matcher(filter.firstValue());
        int p = number(page.firstValue());
        int size = number(pageSize.firstValue());
        LocalDate date = byDate.matches() ? date(byDate.group(1)) : null;
        if (!(f.matches() || date != null) || p < 1 || size < 1 || size > 2500) {
            return json(400, error("Invalid filter or paging: " + filter.firstValue(), 10000));
        }
        Map<String, String> held = rows.getOrDefault(read.group(1), Map.of());
        List<String> found;
        if (date != null && refuseReadsByDate) {
            return json(400, error("Invalid filter: " + filter.firstValue(), 10000));
        }
        if (date != null) {
            String sfmcDate = sfmcDate(date);
            found = held.entrySet().stream().filter(e -> e.getValue().equals(sfmcDate)).map(Map.Entry::getKey).sorted().toList();
            readsByDate.incrementAndGet();
        } else {
            List<String> values = new ArrayList<>();
            Matcher v = VALUE.matcher(f.group(1));
            while (v.find()) {
                values.add(v.group(1).replace("''", "'").toLowerCase(Locale.ROOT));
            }
            if (values.size() > 50) {
                return json(400, error("Too many values in the filter", 10000));
            }
            found = values.stream().distinct().filter(held::containsKey).toList();
            readsByAddress.incrementAndGet();
        }
        ObjectNode body = JSON.createObjectNode();
        body.putObject("links");
        body.put("requestToken", "rt-" + event.getId());
        body.put("customObjectKey", read.group(1));
        body.put("pageSize", size);
        body.put("page", p);
        body.put("count", found.size());
        body.put("top", 0);
        ArrayNode items = body.putArray("items");
        for (String email : found.subList(Math.min(found.size(), (p - 1) * size), Math.min(found.size(), p * size))) {
            ObjectNode item = items.addObject();
            item.putObject("keys").put("email address", email);
            item.putObject("values").put("date added", held.get(email));
        }
        return json(200, body.toString());
    }

    /**
     * A SOAP Delete the contract let through: each {@code DataExtensionObject} names its list by
     * {@code CustomerKey} and its row by the primary key {@code Email Address} in {@code Keys}; the
     * row is removed. A key by any other name is an error result, as SFMC answers for a column that
     * is not the primary key.
     */
    private ResponseDefinition delete(Request request) {
        StringBuilder results = new StringBuilder();
        boolean allOk = true;
        try {
            var doc = PartnerApiSchema.parse(request.getBody());
            var objects = doc.getElementsByTagNameNS(PartnerApiSchema.PARTNER_NS, "Objects");
            for (int i = 0; i < objects.getLength(); i++) {
                org.w3c.dom.Element object = (org.w3c.dom.Element) objects.item(i);
                String key = text(object, "CustomerKey");
                String name = text(object, "Name");
                String value = text(object, "Value").toLowerCase(Locale.ROOT);
                boolean ok = deleteRefusal == null && name.equals("Email Address") && !key.isEmpty();
                if (ok) {
                    rows.getOrDefault(key, new ConcurrentHashMap<>()).remove(value);
                }
                allOk &= ok;
                results.append("<Results><StatusCode>").append(ok ? "OK" : "Error").append("</StatusCode><StatusMessage>")
                        .append(ok ? "Deleted DataExtensionObject"
                                : deleteRefusal != null ? deleteRefusal : "Keys must name the primary key Email Address")
                        .append("</StatusMessage><OrdinalID>").append(i).append("</OrdinalID>")
                        .append("<Object xsi:type=\"DataExtensionObject\"><CustomerKey>").append(key)
                        .append("</CustomerKey></Object></Results>");
            }
        } catch (PartnerApiSchema.InvalidEnvelope e) {
            throw new IllegalStateException("the contract let an invalid envelope through", e);
        }
        String body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"" + PartnerApiSchema.SOAP_NS
                + "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soap:Body><DeleteResponse xmlns=\""
                + PartnerApiSchema.PARTNER_NS + "\">" + results + "<RequestID>req-delete</RequestID><OverallStatus>"
                + (allOk ? "OK" : "Error") + "</OverallStatus></DeleteResponse></soap:Body></soap:Envelope>";
        return SfmcContract.answer(200, "text/xml; charset=utf-8", body);
    }

    private static String text(org.w3c.dom.Element parent, String localName) {
        var found = parent.getElementsByTagNameNS(PartnerApiSchema.PARTNER_NS, localName);
        return found.getLength() == 0 ? "" : found.item(0).getTextContent().trim();
    }

    @Override
    public void afterComplete(ServeEvent event, Parameters parameters) {
        Matcher upsert = UPSERT.matcher(event.getRequest().getUrl());
        if (!"POST".equals(event.getRequest().getMethod().getName()) || !upsert.matches()
                || event.getResponse() == null || event.getResponse().getStatus() != 200) {
            return;
        }
        try {
            for (JsonNode row : JSON.readTree(event.getRequest().getBodyAsString())) {
                String email = row.path("keys").path("Email Address").asText("").toLowerCase(Locale.ROOT);
                String date = row.path("values").path("Date Added").asText("");
                if (!email.isEmpty() && !dropped.contains(email)) {
                    rows.computeIfAbsent(upsert.group(1), k -> new ConcurrentHashMap<>())
                            .put(email, sfmcDate(LocalDate.parse(date)));
                }
            }
        } catch (Exception e) {
            // Not a rowset body this stand-in can store; the upsert stub decided its own answer.
        }
    }

    /** A Date field as SFMC answers it. */
    private static String sfmcDate(LocalDate date) {
        return date.format(SFMC_DATE) + " 12:00:00 AM";
    }

    private static LocalDate date(String iso) {
        try {
            return LocalDate.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static int number(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String error(String message, int code) {
        return JSON.createObjectNode().put("message", message).put("errorcode", code).put("documentation", "").toString();
    }

    private static ResponseDefinition json(int status, String body) {
        return ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body).build();
    }
}
