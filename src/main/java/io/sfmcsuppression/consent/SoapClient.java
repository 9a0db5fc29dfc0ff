package io.sfmcsuppression.consent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import org.eclipse.microprofile.faulttolerance.Retry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;

/**
 * Posts SOAP envelopes to {@code {soap_instance_url}Service.asmx}. Owns the transport rules:
 * the {@code SOAPAction} and {@code fueloauth} headers, the time-out, one token renewal on
 * "Token Expired", back-off and retry on "Rate Limited" (HTTP 500, fault code 17), and turning
 * faults, error statuses and unreadable bodies into {@link SfmcConsentException}.
 */
@ApplicationScoped
class SoapClient {

    private final SoapSession session;
    private final ConsentConfig config;
    private final MeterRegistry metrics;
    private final HttpClient http;

    SoapClient(SoapSession session, ConsentConfig config, MeterRegistry metrics) {
        this.session = session;
        this.config = config;
        this.metrics = metrics;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Sends one request and returns its response when {@code OverallStatus} is {@code OK} or
     * {@code MoreDataAvailable}.
     *
     * @param action the SOAPAction: Retrieve, Update, Execute
     */
    @Retry(retryOn = SfmcConsentException.RateLimited.class, maxRetries = 3, delay = 2000, jitter = 500)
    @ExponentialBackoff(maxDelay = 30_000)
    SoapXml.Response send(String action, SoapXml.Message message) {
        SoapSession.Session s = session.current();
        SoapXml.Response response = post(action, message, s);
        if (response.fault().filter(SoapXml.Fault::tokenExpired).isPresent()) {
            Log.info("SFMC said the token expired; renewing it once");
            response = post(action, message, session.renew(s));
        }
        if (response.fault().isPresent()) {
            SoapXml.Fault fault = response.fault().get();
            if (fault.rateLimited()) {
                metrics.counter("consent_sfmc_soap_errors_total", "action", action, "error", "rate_limited").increment();
                Log.warnf("SFMC rate limited a SOAP %s; backing off", action);
                throw new SfmcConsentException.RateLimited();
            }
            metrics.counter("consent_sfmc_soap_errors_total", "action", action, "error", "fault").increment();
            throw new SfmcConsentException(SfmcConsentException.Kind.REJECTED,
                    "SFMC answered the SOAP " + action + " with a fault: " + fault.faultString()
                            + fault.apiCode().map(c -> " (code " + c + ")").orElse(""));
        }
        String overall = response.overallStatus();
        if (!overall.equals("OK") && !overall.equals("MoreDataAvailable")) {
            metrics.counter("consent_sfmc_soap_errors_total", "action", action, "error", "status").increment();
            String detail = response.results().stream()
                    .map(r -> r.getOrDefault("StatusMessage", ""))
                    .filter(m -> !m.isBlank()).findFirst().orElse(overall);
            throw new SfmcConsentException(SfmcConsentException.Kind.REJECTED,
                    "SFMC answered the SOAP " + action + " with status '" + overall + "': " + detail);
        }
        return response;
    }

    private SoapXml.Response post(String action, SoapXml.Message message, SoapSession.Session s) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(s.soapBase() + "Service.asmx"))
                .timeout(config.soap().timeout())
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", action)
                .POST(HttpRequest.BodyPublishers.ofString(message.toXml(s.accessToken()), StandardCharsets.UTF_8))
                .build();
        Timer.Sample sample = Timer.start(metrics);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw unavailable(action, "timed out after " + config.soap().timeout());
        } catch (IOException e) {
            throw unavailable(action, "could not be sent (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(action, "was interrupted");
        } finally {
            sample.stop(metrics.timer("consent_sfmc_soap_seconds", "action", action));
        }
        int status = response.statusCode();
        try {
            SoapXml.Response parsed = SoapXml.parse(response.body());
            if (status != 200 && parsed.fault().isEmpty()) {
                throw unavailable(action, "got HTTP " + status);
            }
            return parsed;
        } catch (SoapXml.MalformedException e) {
            if (status >= 500 || status == 429) {
                throw unavailable(action, "got HTTP " + status + " without a SOAP fault");
            }
            metrics.counter("consent_sfmc_soap_errors_total", "action", action, "error", "malformed").increment();
            throw new SfmcConsentException(SfmcConsentException.Kind.MALFORMED,
                    "SFMC answered the SOAP " + action + " (HTTP " + status + ") with malformed XML: " + e.getMessage());
        }
    }

    private SfmcConsentException unavailable(String action, String what) {
        metrics.counter("consent_sfmc_soap_errors_total", "action", action, "error", "unavailable").increment();
        return new SfmcConsentException(SfmcConsentException.Kind.UNAVAILABLE, "The SOAP " + action + " to SFMC " + what);
    }
}
