package io.sfmcsuppression.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import io.sfmcsuppression.suppressions.SuppressionFilter;

/**
 * The suppressions page's filter as the operator typed it, echoed into the form and carried into
 * the next page's and the CSV export's links. It has no address: an address is searched by POST,
 * so that it never lands in a URL.
 */
public record SuppressionQuery(String dataExtension, String businessUnit, String state, String reason, String origin,
                               String createdFrom, String createdTo) {

    public SuppressionQuery {
        dataExtension = trimmed(dataExtension);
        businessUnit = trimmed(businessUnit);
        state = trimmed(state);
        reason = trimmed(reason);
        origin = trimmed(origin);
        createdFrom = trimmed(createdFrom);
        createdTo = trimmed(createdTo);
    }

    static SuppressionQuery none() {
        return new SuppressionQuery(null, null, null, null, null, null, null);
    }

    /** The API's filter; a malformed value is a 400 naming it, shown on the console's error page. */
    SuppressionFilter filter(ZoneId zone) {
        return SuppressionFilter.parse(dataExtension, businessUnit, state, reason, origin, createdFrom, createdTo, null, zone);
    }

    /** The query string of these filters ({@code ""} when there are none), for links that keep them. */
    public String query() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("dataExtension", dataExtension);
        params.put("businessUnit", businessUnit);
        params.put("state", state);
        params.put("reason", reason);
        params.put("origin", origin);
        params.put("createdFrom", createdFrom);
        params.put("createdTo", createdTo);
        return params.entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }
}
