package io.sfmcsuppression.sfmc;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import io.opentelemetry.instrumentation.annotations.SpanAttribute;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
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
    static class ServerError extends SfmcRetry.Transient {
        ServerError(int status, String message) {
            super(Kind.FAILED, status, message);
        }
    }

    private final SfmcConfig config;
    private final SfmcTokens tokens;
    private final MeterRegistry metrics;
    private final Redactor redactor;
    private final SfmcErrors errors;
    private final Clock clock;
    /** SFMC's wait for this tenant (429 Retry-After, 50200, SOAP Rate Limited), checked before every request. */
    private final SfmcThrottle throttle;
    private final SfmcHttp http;
    private final DataExtensionDeletes deletes;
    private volatile Health health;

    LiveSfmcClient(SfmcConfig config, SfmcTokens tokens, MeterRegistry metrics, Redactor redactor, SfmcErrors errors,
                   Clock clock, SfmcThrottle throttle, SfmcHttp http, DataExtensionDeletes deletes) {
        this.deletes = deletes;
        this.config = config;
        this.tokens = tokens;
        this.throttle = throttle;
        this.http = http;
        this.metrics = metrics;
        this.redactor = redactor;
        this.errors = errors;
        this.clock = clock;
    }

    @Override
    public String kind() {
        return "live";
    }

    /** Over SOAP whatever SFMC_SUPPRESSION_WRITE says: REST has no documented delete of a row. */
    @Override
    public DeleteResult delete(String dataExtensionKey, String email) {
        return deletes.delete(dataExtensionKey, email);
    }

    @Override
    @Timeout(value = 60, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = SfmcRetry.MAX_RETRIES, delay = SfmcRetry.DELAY_MS, jitter = SfmcRetry.JITTER_MS,
            retryOn = {ServerError.class, TimeoutException.class})
    @ExponentialBackoff(factor = 2, maxDelay = SfmcRetry.MAX_DELAY_MS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.8, delay = 30_000, successThreshold = 2,
            failOn = {ServerError.class, TimeoutException.class})
    @WithSpan("sfmc upsert")
    public UpsertResult upsert(@SpanAttribute(SPAN_DATA_EXTENSION) String dataExtensionKey, List<Row> rows) {
        List<SfmcRowsetApi.RowsetItem> body = rows.stream().map(this::item).toList();
        Response response = tokens.authorized(Optional.empty(), token -> send(dataExtensionKey, token, body),
                r -> r.getStatus() == 401, Response::close, "data extension " + dataExtensionKey);
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
        throttle.check();
        Timer.Sample sample = Timer.start(metrics);
        String status = "none";
        try {
            Response response = api().upsertRowset(dataExtensionKey, "Bearer " + token, body);
            status = Integer.toString(response.getStatus());
            return response;
        } catch (ProcessingException e) {
            if (SfmcErrors.isTimeout(e)) {
                status = "timeout";
                throw new ServerError(0, "SFMC did not answer within " + config.requestTimeout());
            }
            status = "unreachable";
            metrics.counter("sfmc.errors", "kind", "unreachable").increment();
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 0, "SFMC is unreachable: " + redactor.safe(SfmcErrors.rootMessage(e), 500), null);
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
        SfmcErrors.SfmcError error = errors.read(response);
        String message = SfmcErrors.describe(status, error);
        metrics.counter("sfmc.errors", "kind", Integer.toString(status)).increment();
        if (status == 429) {
            metrics.counter("sfmc.throttled", "errorcode", String.valueOf(error.code())).increment();
            Duration retryAfter = errors.retryAfter(response, error);
            boolean blocked = "50200".equals(error.code());
            throttle.holdFor429(retryAfter, blocked, config.blockedBackoff(), message);
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
        // A 400 about the data extension itself (unknown key or column) would come back for every half
        // of a split: the batch fails in this one request instead of 2n-1.
        if (status == 400 && !error.concernsWholeDataExtension()) {
            Log.debugf("SFMC rejected part of %d rows for %s: %s", rows, dataExtensionKey, message);
            return new UpsertResult(Outcome.REJECTED, status, message);
        }
        Log.warnf("SFMC refused %d rows for %s: %s", rows, dataExtensionKey, message);
        return new UpsertResult(Outcome.REFUSED, status, message);
    }

    private SfmcRowsetApi api() {
        return http.client(SfmcRowsetApi.class, tokens.restBase(), SfmcHttp.Purpose.REST, "the REST base");
    }
}
