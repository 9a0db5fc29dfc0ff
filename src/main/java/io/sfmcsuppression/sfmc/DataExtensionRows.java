package io.sfmcsuppression.sfmc;

import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * Reads rows of a data extension whose column holds one of the given values, over
 * {@code GET /data/v1/customobjectdata/key/{key}/rowset?$filter=Column in ('a','b')&$page=n&$pageSize=2500}:
 * at most {@value #VALUES_PER_READ} values per filter (the filter travels in the URL), every page
 * of each; or the rows whose column equals one value ({@code Column eq 'v'}), a page of
 * {@value #PAGE_SIZE} rows per call. The same token, timeouts, retry policy, error mapping ({@link SfmcException}) and
 * latency metric ({@code operation=read}) as the rowset upsert. Column names come back
 * lower-cased from SFMC, so rows are keyed by lower-cased names.
 */
@ApplicationScoped
public class DataExtensionRows {

    /** Values in one filter: the filter travels in the URL, so its length is bounded. */
    public static final int VALUES_PER_READ = 50;
    /** Rows per page: FuelSDK's default and the most SFMC returns at once. */
    public static final int PAGE_SIZE = 2500;

    private final SfmcConfig config;
    private final SfmcTokens tokens;
    private final SfmcErrors errors;
    private final Redactor redactor;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final SfmcThrottle throttle;
    private final SfmcHttp http;

    DataExtensionRows(SfmcConfig config, SfmcTokens tokens, SfmcErrors errors, Redactor redactor, ObjectMapper json,
                      MeterRegistry metrics, SfmcThrottle throttle, SfmcHttp http) {
        this.throttle = throttle;
        this.http = http;
        this.config = config;
        this.tokens = tokens;
        this.errors = errors;
        this.redactor = redactor;
        this.json = json;
        this.metrics = metrics;
    }

    /**
     * The rows of data extension {@code dataExtensionKey} whose {@code column} equals one of
     * {@code values}, each as lower-cased column name to value ({@code keys} and {@code values} of
     * SFMC's answer merged).
     *
     * @throws SfmcException when SFMC could not be reached, throttled, or refused the read
     */
    @Timeout(value = 120, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = SfmcRetry.MAX_RETRIES, delay = SfmcRetry.DELAY_MS, jitter = SfmcRetry.JITTER_MS,
            retryOn = {SfmcRetry.Transient.class, TimeoutException.class})
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    public List<Map<String, String>> find(String dataExtensionKey, String column, Collection<String> values) {
        List<String> all = List.copyOf(values);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int i = 0; i < all.size(); i += VALUES_PER_READ) {
            String filter = filter(column, all.subList(i, Math.min(all.size(), i + VALUES_PER_READ)));
            for (int page = 1; ; page++) {
                JsonNode body = page(dataExtensionKey, filter, page);
                body.path("items").forEach(item -> rows.add(columns(item)));
                int pageSize = body.path("pageSize").asInt(0);
                if (pageSize == 0 || page * (long) pageSize >= body.path("count").asLong(0)) {
                    break;
                }
            }
        }
        return rows;
    }

    /**
     * The rows of data extension {@code dataExtensionKey} whose {@code column} equals {@code value}
     * ({@code $filter=Column eq 'value'}), every page, or empty when they fill more than
     * {@code maxPages} pages: then only the first page was read (its {@code count} tells), so a
     * caller that has a cheaper read for what it needs pays one call for trying.
     *
     * @throws SfmcException when SFMC could not be reached, throttled, or refused the read
     */
    @Timeout(value = 120, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = SfmcRetry.MAX_RETRIES, delay = SfmcRetry.DELAY_MS, jitter = SfmcRetry.JITTER_MS,
            retryOn = {SfmcRetry.Transient.class, TimeoutException.class})
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    public Optional<List<Map<String, String>>> findEqual(String dataExtensionKey, String column, String value, int maxPages) {
        String filter = column + " eq " + quoted(value);
        List<Map<String, String>> rows = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = page(dataExtensionKey, filter, page);
            int pageSize = body.path("pageSize").asInt(0);
            long count = body.path("count").asLong(0);
            if (page == 1 && pageSize > 0 && (count + pageSize - 1) / pageSize > maxPages) {
                return Optional.empty();
            }
            body.path("items").forEach(item -> rows.add(columns(item)));
            if (pageSize == 0 || page * (long) pageSize >= count) {
                return Optional.of(rows);
            }
        }
    }

    /** {@code Column in ('a','b')}, quotes in values doubled. */
    static String filter(String column, List<String> values) {
        return column + " in (" + values.stream().map(DataExtensionRows::quoted).collect(Collectors.joining(",")) + ")";
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private JsonNode page(String dataExtensionKey, String filter, int page) {
        Response response = tokens.authorized(Optional.empty(), token -> send(dataExtensionKey, filter, page, token),
                r -> r.getStatus() == 401, Response::close, "a read of data extension " + dataExtensionKey);
        try (Response answered = response) {
            return map(dataExtensionKey, answered);
        }
    }

    private JsonNode map(String dataExtensionKey, Response response) {
        int status = response.getStatus();
        if (status == 200) {
            try {
                return json.readTree(response.readEntity(String.class));
            } catch (IOException | RuntimeException e) {
                throw new SfmcException(SfmcException.Kind.FAILED, status,
                        "SFMC answered a read of data extension " + dataExtensionKey + " with a body that is not JSON", null);
            }
        }
        SfmcErrors.SfmcError error = errors.read(response);
        String message = SfmcErrors.describe(status, error);
        metrics.counter("sfmc.errors", "kind", Integer.toString(status)).increment();
        if (status == 429) {
            Duration retryAfter = errors.retryAfter(response, error);
            boolean blocked = "50200".equals(error.code());
            throttle.holdFor429(retryAfter, blocked, config.blockedBackoff(), message);
            Log.infof("SFMC throttled a read of %s; Retry-After %s", dataExtensionKey, retryAfter);
            throw new SfmcException(blocked ? SfmcException.Kind.BLOCKED : SfmcException.Kind.THROTTLED, status, message, retryAfter);
        }
        if (status >= 500) {
            Log.warnf("SFMC answered %d to a read of %s: %s", status, dataExtensionKey, message);
            throw new LiveSfmcClient.ServerError(status, message);
        }
        Log.warnf("SFMC refused a read of %s: %s", dataExtensionKey, message);
        throw new SfmcException(SfmcException.Kind.FAILED, status, message, null);
    }

    private Response send(String dataExtensionKey, String filter, int page, String token) {
        throttle.check();
        Timer.Sample sample = Timer.start(metrics);
        String status = "none";
        try {
            Response response = api().rowset(dataExtensionKey, filter, page, PAGE_SIZE, "Bearer " + token);
            status = Integer.toString(response.getStatus());
            return response;
        } catch (ProcessingException e) {
            if (SfmcErrors.isTimeout(e)) {
                status = "timeout";
                throw new LiveSfmcClient.ServerError(0, "SFMC did not answer within " + config.requestTimeout());
            }
            status = "unreachable";
            metrics.counter("sfmc.errors", "kind", "unreachable").increment();
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 0,
                    "SFMC is unreachable: " + redactor.safe(SfmcErrors.rootMessage(e), 500), null);
        } finally {
            sample.stop(LiveSfmcClient.latency(metrics, "read", status));
        }
    }

    private SfmcDataExtensionApi api() {
        return http.client(SfmcDataExtensionApi.class, tokens.restBase(), SfmcHttp.Purpose.REST, "the REST base");
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
}
