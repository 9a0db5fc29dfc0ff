package io.sfmcsuppression.consent;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Send counts from a tracking summary data extension ({@code consent.tracking.de-key}) with
 * columns {@code SubscriberKey}, {@code SentCount}, {@code CampaignsAttempted}, filled by a Query
 * Activity over {@code _Sent}/{@code _Job} (see docs/consent.md). Read over REST:
 * {@code GET {rest}data/v1/customobjectdata/key/{key}/rowset?$filter=SubscriberKey in (...)}.
 * SFMC returns column names lower-cased, so they are matched case-insensitively.
 */
@ApplicationScoped
class DataExtensionTracking implements SendTracking {

    /** Keys per REST request: the filter travels in the URL. */
    private static final int KEYS_PER_REQUEST = 50;

    private final SoapSession session;
    private final ConsentConfig config;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    DataExtensionTracking(SoapSession session, ConsentConfig config, ObjectMapper json) {
        this.session = session;
        this.config = config;
        this.json = json;
    }

    @Override
    public Map<String, Counts> counts(Collection<String> keys, Optional<String> clientId) {
        String deKey = config.tracking().deKey().orElseThrow(() -> new SfmcConsentException(SfmcConsentException.Kind.REJECTED,
                "consent.tracking.source is data-extension but consent.tracking.de-key is not set"));
        Map<String, Counts> counts = new HashMap<>();
        List<String> all = new ArrayList<>(keys);
        for (int i = 0; i < all.size(); i += KEYS_PER_REQUEST) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + KEYS_PER_REQUEST));
            for (JsonNode item : read(deKey, chunk)) {
                Map<String, String> row = columns(item);
                String key = row.get("subscriberkey");
                if (key != null) {
                    int sent = number(row.get("sentcount"));
                    int attempted = number(row.get("campaignsattempted"));
                    counts.put(key, new Counts(sent, attempted, "Tracking data extension " + deKey + ": SentCount=" + sent
                            + ", CampaignsAttempted=" + attempted));
                }
            }
        }
        for (String key : keys) {
            counts.putIfAbsent(key, new Counts(0, 0, "Tracking data extension " + deKey + ": no row"));
        }
        return counts;
    }

    private List<JsonNode> read(String deKey, List<String> chunk) {
        String filter = "SubscriberKey in (" + chunk.stream().map(k -> "'" + k.replace("'", "''") + "'")
                .collect(Collectors.joining(",")) + ")";
        List<JsonNode> items = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = get(deKey, filter, page);
            body.path("items").forEach(items::add);
            int pageSize = body.path("pageSize").asInt(0);
            int count = body.path("count").asInt(0);
            if (pageSize == 0 || page * pageSize >= count) {
                return items;
            }
        }
    }

    private JsonNode get(String deKey, String filter, int page) {
        SoapSession.Session s = session.current();
        HttpResponse<String> response = send(s, deKey, filter, page);
        if (response.statusCode() == 401) {
            response = send(session.renew(s), deKey, filter, page);
        }
        if (response.statusCode() == 429 || response.statusCode() >= 500) {
            throw new SfmcConsentException(SfmcConsentException.Kind.UNAVAILABLE,
                    "Reading the tracking data extension got HTTP " + response.statusCode());
        }
        if (response.statusCode() != 200) {
            throw new SfmcConsentException(SfmcConsentException.Kind.REJECTED,
                    "Reading the tracking data extension " + deKey + " got HTTP " + response.statusCode());
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new SfmcConsentException(SfmcConsentException.Kind.MALFORMED, "The tracking data extension answer is not JSON");
        }
    }

    private HttpResponse<String> send(SoapSession.Session s, String deKey, String filter, int page) {
        String rest = s.restBase().orElseThrow(() -> new SfmcConsentException(SfmcConsentException.Kind.AUTHENTICATION,
                "The token response has no rest_instance_url"));
        URI uri = URI.create(rest + "data/v1/customobjectdata/key/" + URLEncoder.encode(deKey, StandardCharsets.UTF_8)
                + "/rowset?$page=" + page + "&$pageSize=2500&$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8).replace("+", "%20"));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(config.soap().timeout())
                .header("Authorization", "Bearer " + s.accessToken()).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SfmcConsentException(SfmcConsentException.Kind.UNAVAILABLE,
                    "Reading the tracking data extension failed (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SfmcConsentException(SfmcConsentException.Kind.UNAVAILABLE, "Interrupted");
        }
    }

    private static Map<String, String> columns(JsonNode item) {
        Map<String, String> row = new HashMap<>();
        for (String part : List.of("keys", "values")) {
            Iterator<Map.Entry<String, JsonNode>> fields = item.path(part).fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                row.put(f.getKey().toLowerCase(Locale.ROOT), f.getValue().asText());
            }
        }
        return row;
    }

    private static int number(String value) {
        try {
            return value == null || value.isBlank() ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
