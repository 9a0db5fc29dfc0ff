package io.sfmcsuppression.sfmc;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * Posts partner-API envelopes to {@code {soap_instance_url}Service.asmx} through {@link SfmcHttp},
 * with the token of the business unit the call names in the {@code fueloauth} header. Shares the
 * rules of every SFMC call: the {@link SfmcThrottle} (a "Rate Limited" fault, HTTP 500 with code
 * 17, pauses REST too), {@link SfmcRetry}, one token refresh on "Token Expired"
 * ({@link SfmcTokens#authorized}), and {@link SfmcException} for faults, error statuses and
 * unreadable answers.
 */
@ApplicationScoped
class SfmcSoap {

    private final SfmcTokens tokens;
    private final SfmcHttp http;
    private final SfmcThrottle throttle;
    private final SfmcConfig config;
    private final MeterRegistry metrics;
    private final Redactor redactor;

    SfmcSoap(SfmcTokens tokens, SfmcHttp http, SfmcThrottle throttle, SfmcConfig config, MeterRegistry metrics,
             Redactor redactor) {
        this.tokens = tokens;
        this.http = http;
        this.throttle = throttle;
        this.config = config;
        this.metrics = metrics;
        this.redactor = redactor;
    }

    /**
     * Sends one request and returns its answer when {@code OverallStatus} is {@code OK} or
     * {@code MoreDataAvailable}.
     *
     * @param businessUnit the MID whose token is used, empty for the package's own
     * @param action       the SOAPAction: Retrieve, Create, Update, Execute
     */
    @Retry(maxRetries = SfmcRetry.MAX_RETRIES, delay = SfmcRetry.DELAY_MS, jitter = SfmcRetry.JITTER_MS,
            retryOn = {SfmcRetry.Transient.class, TimeoutException.class})
    @ExponentialBackoff(factor = 2, maxDelay = SfmcRetry.MAX_DELAY_MS)
    SoapXml.Response send(Optional<String> businessUnit, String action, SoapRequest message) {
        SoapXml.Response response = exchange(businessUnit, action, message);
        String overall = response.overallStatus();
        if (!overall.equals("OK") && !overall.equals("MoreDataAvailable")) {
            error("soap_status");
            String detail = response.results().stream()
                    .map(r -> r.getOrDefault("StatusMessage", ""))
                    .filter(m -> !m.isBlank()).findFirst().orElse(overall);
            throw new SfmcException(SfmcException.Kind.REJECTED, 200, "SFMC answered the SOAP " + action + " with status '"
                    + redactor.safe(overall, 100) + "': " + redactor.safe(detail, 500), null);
        }
        return response;
    }

    /**
     * Like {@link #send}, for writes of many objects: an {@code OverallStatus} of {@code Error} or
     * {@code Has Errors} is returned with its per-object results rather than thrown.
     */
    @Retry(maxRetries = SfmcRetry.MAX_RETRIES, delay = SfmcRetry.DELAY_MS, jitter = SfmcRetry.JITTER_MS,
            retryOn = {SfmcRetry.Transient.class, TimeoutException.class})
    @ExponentialBackoff(factor = 2, maxDelay = SfmcRetry.MAX_DELAY_MS)
    SoapXml.Response write(Optional<String> businessUnit, String action, SoapRequest message) {
        return exchange(businessUnit, action, message);
    }

    private SoapXml.Response exchange(Optional<String> businessUnit, String action, SoapRequest message) {
        throttle.awaitAtMost(config.maxInCallWait());
        SoapXml.Response response = tokens.authorized(businessUnit, token -> post(businessUnit, action, message, token),
                r -> r.fault().filter(SoapXml.Fault::tokenExpired).isPresent(), r -> { }, "a SOAP " + action);
        if (response.fault().isPresent()) {
            SoapXml.Fault fault = response.fault().get();
            if (fault.rateLimited()) {
                metrics.counter("sfmc.throttled", "errorcode", "soap_17").increment();
                throttle.hold(config.soapRateLimitedWait(), SfmcException.Kind.THROTTLED, "SOAP " + action + " was rate limited");
                throw new SfmcRetry.Transient(SfmcException.Kind.THROTTLED, 500,
                        "SFMC is rate limiting SOAP calls (fault code 17)");
            }
            error("soap_fault");
            String refusal = "SFMC answered the SOAP " + action + " with a fault: "
                    + redactor.safe(fault.faultString(), 500) + fault.apiCode().map(c -> " (code " + c + ")").orElse("");
            if (fault.clientFault()) {
                throw new SfmcException.RequestRefused(500, refusal + " (a Client fault: the request's content was refused)");
            }
            throw new SfmcException(SfmcException.Kind.REJECTED, 500, refusal, null);
        }
        return response;
    }

    private SoapXml.Response post(Optional<String> businessUnit, String action, SoapRequest message, String token) {
        throttle.check();
        SfmcSoapApi api = http.client(SfmcSoapApi.class, tokens.soapBase(businessUnit), SfmcHttp.Purpose.SOAP, "the SOAP base");
        byte[] envelope = message.toXml(token).getBytes(StandardCharsets.UTF_8);
        Timer.Sample sample = Timer.start(metrics);
        String status = "none";
        int code;
        byte[] body;
        try (Response response = api.post(action, envelope)) {
            code = response.getStatus();
            status = Integer.toString(code);
            body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
        } catch (ProcessingException e) {
            if (timeout(e)) {
                status = "timeout";
                error("timeout");
                throw new SfmcRetry.Transient(SfmcException.Kind.FAILED, 0,
                        "The SOAP " + action + " to SFMC timed out after " + config.requestTimeout());
            }
            status = "unreachable";
            error("unreachable");
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 0,
                    "The SOAP " + action + " to SFMC could not be sent (" + rootName(e) + ")", null);
        } finally {
            sample.stop(LiveSfmcClient.latency(metrics, "soap_" + action.toLowerCase(Locale.ROOT), status));
        }
        try {
            SoapXml.Response parsed = SoapXml.parse(body);
            if (code != 200 && parsed.fault().isEmpty()) {
                error("soap_status");
                throw new SfmcRetry.Transient(SfmcException.Kind.FAILED, code, "The SOAP " + action + " to SFMC got HTTP " + code);
            }
            return parsed;
        } catch (SoapXml.MalformedException e) {
            if (code >= 500 || code == 429) {
                error("soap_status");
                throw new SfmcRetry.Transient(SfmcException.Kind.FAILED, code,
                        "The SOAP " + action + " to SFMC got HTTP " + code + " without a SOAP fault");
            }
            error("soap_malformed");
            Log.debugf("SFMC answered a SOAP %s with something that is not an envelope: %s", action, e.getMessage());
            throw new SfmcException(SfmcException.Kind.MALFORMED, code, "SFMC answered the SOAP " + action + " (HTTP " + code
                    + ") with malformed XML: " + redactor.safe(e.getMessage(), 300), null);
        }
    }

    private void error(String kind) {
        metrics.counter("sfmc.errors", "kind", kind).increment();
    }

    private static boolean timeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("Timeout") || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String rootName(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
