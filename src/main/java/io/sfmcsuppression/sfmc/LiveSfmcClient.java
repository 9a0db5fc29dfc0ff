package io.sfmcsuppression.sfmc;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * The real SFMC client: the one bean that owns fault tolerance, error mapping, metrics and logs
 * around the typed rowset client. Transient failures (5xx, timeouts) are retried here with
 * exponential backoff and jitter; throttling (429) is not, because the caller parks the rows until
 * Retry-After has passed; a 401 refreshes the token once and repeats the request once.
 */
@ApplicationScoped
public class LiveSfmcClient implements SfmcClient {

    /** A 5xx or a timeout: worth the in-call retries. */
    static class ServerError extends SfmcException {
        ServerError(int status, String message) {
            super(Kind.FAILED, status, message, null);
        }
    }

    private final SfmcConfig config;
    private final SfmcTokens tokens;
    private final MeterRegistry metrics;
    private final Redactor redactor;
    private final ObjectMapper json;
    private final Clock clock;
    private final AtomicReference<Api> api = new AtomicReference<>();
    /**
     * Until when SFMC asked this replica to send nothing (Retry-After of a 429, or the blocked
     * back-off of a 50200). Checked before every request, so the in-call retries of other upserts
     * (after a 5xx or a timeout) wait as well, not only the flusher's next round.
     */
    private final AtomicReference<Instant> holdUntil = new AtomicReference<>(Instant.MIN);
    private volatile Health health;

    private record Api(URI base, SfmcRowsetApi client) {
    }

    LiveSfmcClient(SfmcConfig config, SfmcTokens tokens, MeterRegistry metrics, Redactor redactor, ObjectMapper json,
                   Clock clock) {
        this.config = config;
        this.tokens = tokens;
        this.metrics = metrics;
        this.redactor = redactor;
        this.json = json;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return "live";
    }

    @Override
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 500, jitter = 250, retryOn = {ServerError.class, TimeoutException.class})
    @ExponentialBackoff(factor = 2, maxDelay = 10_000)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.8, delay = 30_000, successThreshold = 2,
            failOn = {ServerError.class, TimeoutException.class})
    public UpsertResult upsert(String dataExtensionKey, List<Row> rows) {
        List<SfmcRowsetApi.RowsetItem> body = rows.stream().map(this::item).toList();
        String token = tokens.accessToken();
        Response response = send(dataExtensionKey, token, body);
        if (response.getStatus() == 401) {
            response.close();
            Log.infof("SFMC refused the token for data extension %s; refreshing it once", dataExtensionKey);
            metrics.counter("sfmc.token.refreshes", "reason", "unauthorized").increment();
            token = tokens.refreshAfterRejection(token);
            response = send(dataExtensionKey, token, body);
        }
        try (Response answered = response) {
            return map(dataExtensionKey, rows.size(), answered);
        }
    }

    @Override
    public Health checkHealth() {
        Health checked;
        try {
            tokens.accessToken();
            checked = new Health(true, "token obtained", clock.instant());
        } catch (SfmcException e) {
            checked = new Health(false, e.getMessage(), clock.instant());
        }
        health = checked;
        return checked;
    }

    /** The last health check, null before the first. */
    public Health lastHealth() {
        return health;
    }

    /** Drops the cached token so the next call obtains a new one (after rotating credentials). */
    public void forgetToken() {
        tokens.forget();
    }

    private SfmcRowsetApi.RowsetItem item(Row row) {
        return new SfmcRowsetApi.RowsetItem(Map.of(config.emailField(), row.email()),
                Map.of(config.dateField(), row.dateAdded().toString()));
    }

    private Response send(String dataExtensionKey, String token, List<SfmcRowsetApi.RowsetItem> body) {
        Instant now = clock.instant();
        Instant until = holdUntil.get();
        if (now.isBefore(until)) {
            throw new SfmcException(SfmcException.Kind.THROTTLED, 0,
                    "Not sent: SFMC asked to wait until " + until + " (Retry-After)", Duration.between(now, until));
        }
        Timer.Sample sample = Timer.start(metrics);
        String status = "none";
        try {
            Response response = api().upsertRowset(dataExtensionKey, "Bearer " + token, body);
            status = Integer.toString(response.getStatus());
            return response;
        } catch (ProcessingException e) {
            if (isTimeout(e)) {
                status = "timeout";
                throw new ServerError(0, "SFMC did not answer within " + config.requestTimeout());
            }
            status = "unreachable";
            metrics.counter("sfmc.errors", "kind", "unreachable").increment();
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 0, "SFMC is unreachable: " + redactor.redact(rootMessage(e)), null);
        } finally {
            sample.stop(latency(metrics, "rowset", status));
        }
    }

    /** The SFMC latency histogram, by operation (token, rowset) and HTTP status. */
    static Timer latency(MeterRegistry metrics, String operation, String status) {
        return Timer.builder("sfmc.request.duration").description("Duration of SFMC requests")
                .tag("operation", operation).tag("status", status)
                .publishPercentileHistogram().register(metrics);
    }

    private UpsertResult map(String dataExtensionKey, int rows, Response response) {
        int status = response.getStatus();
        if (status == 200) {
            return UpsertResult.added();
        }
        SfmcError error = readError(response);
        String message = "SFMC " + status + (error.code() == null ? "" : " errorcode " + error.code()) + ": " + error.message();
        metrics.counter("sfmc.errors", "kind", Integer.toString(status)).increment();
        if (status == 429) {
            metrics.counter("sfmc.throttled", "errorcode", String.valueOf(error.code())).increment();
            Duration retryAfter = retryAfter(response, error);
            boolean blocked = "50200".equals(error.code());
            hold(blocked && (retryAfter == null || retryAfter.compareTo(config.blockedBackoff()) < 0) ? config.blockedBackoff() : retryAfter);
            if (blocked) {
                Log.warnf("SFMC blocked requests (50200) for data extension %s: %s", dataExtensionKey, message);
                throw new SfmcException(SfmcException.Kind.BLOCKED, status, message, retryAfter);
            }
            Log.infof("SFMC throttled an upsert to %s; Retry-After %s", dataExtensionKey, retryAfter);
            throw new SfmcException(SfmcException.Kind.THROTTLED, status, message, retryAfter);
        }
        if (status >= 500) {
            Log.warnf("SFMC answered %d to an upsert of %d rows to %s: %s", status, rows, dataExtensionKey, message);
            throw new ServerError(status, message);
        }
        if (status == 401 || status == 403 || status == 408) {
            Log.warnf("SFMC refused an upsert to %s: %s", dataExtensionKey, message);
            throw new SfmcException(SfmcException.Kind.FAILED, status, message, null);
        }
        if (status == 400) {
            Log.debugf("SFMC rejected part of %d rows for %s: %s", rows, dataExtensionKey, message);
            return new UpsertResult(Outcome.REJECTED, status, message);
        }
        Log.warnf("SFMC refused %d rows for %s: %s", rows, dataExtensionKey, message);
        return new UpsertResult(Outcome.REFUSED, status, message);
    }

    private void hold(Duration wait) {
        if (wait != null) {
            Instant until = clock.instant().plus(wait);
            holdUntil.accumulateAndGet(until, (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    /** SFMC's error body: {"message", "errorcode", "additionalErrors": [{"message"}...]}. */
    private record SfmcError(String code, String message, Integer retryAfterSeconds) {
    }

    private SfmcError readError(Response response) {
        String raw = "";
        try {
            response.bufferEntity();
            raw = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode node = json.readTree(raw);
            if (node != null && node.isObject()) {
                StringBuilder message = new StringBuilder(node.path("message").asText(""));
                for (JsonNode extra : node.path("additionalErrors")) {
                    message.append(message.length() == 0 ? "" : "; ").append(extra.path("message").asText(""));
                }
                String code = node.hasNonNull("errorcode") ? node.get("errorcode").asText() : null;
                Integer retryAfter = node.hasNonNull("retryAfter") ? node.get("retryAfter").asInt() : null;
                return new SfmcError(code, redactor.redact(truncate(message.toString())), retryAfter);
            }
        } catch (Exception e) {
            Log.debugf("SFMC error body is not JSON (%s)", e.getClass().getSimpleName());
        }
        return new SfmcError(null, redactor.redact(truncate(raw.isBlank() ? "(no body)" : raw)), null);
    }

    private Duration retryAfter(Response response, SfmcError error) {
        String header = response.getHeaderString("Retry-After");
        if (header != null) {
            try {
                return Duration.ofSeconds(Long.parseLong(header.trim()));
            } catch (NumberFormatException e) {
                Log.debugf("Retry-After '%s' is not a number of seconds", header);
            }
        }
        return error.retryAfterSeconds() == null ? null : Duration.ofSeconds(error.retryAfterSeconds());
    }

    private SfmcRowsetApi api() {
        URI base = tokens.restBase();
        Api current = api.get();
        if (current == null || !current.base().equals(base)) {
            long timeout = config.requestTimeout().toMillis();
            current = new Api(base, QuarkusRestClientBuilder.newBuilder()
                    .baseUri(base)
                    .connectTimeout(timeout, TimeUnit.MILLISECONDS)
                    .readTimeout(timeout, TimeUnit.MILLISECONDS)
                    .disableDefaultMapper(true)
                    .build(SfmcRowsetApi.class));
            api.set(current);
            Log.infof("SFMC REST base is %s", base);
        }
        return current.client();
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.contains("Timeout") || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String truncate(String message) {
        return message.length() > 1500 ? message.substring(0, 1500) + "..." : message;
    }
}
