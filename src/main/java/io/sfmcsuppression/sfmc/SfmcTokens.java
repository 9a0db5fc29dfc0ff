package io.sfmcsuppression.sfmc;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;

/**
 * Client-credentials tokens from {@code {SFMC_AUTH_BASE_URI}/v2/token}, cached per business unit
 * (MID): SFMC scopes a token to the MID of its {@code account_id} and a parent's token does not
 * flow down to a child for SOAP, so a call naming a business unit uses a token issued for it. A
 * token is reused until {@code sfmc.token-refresh-skew} before it expires; concurrent callers of
 * one MID wait for one request and share its answer. Nothing contacts SFMC before the first call.
 * "Refresh once when SFMC refuses the token" is {@link #authorized} for every API.
 */
@ApplicationScoped
@Startup // registers sfmc_token_up at start-up (NaN until the first token request); contacts nothing
public class SfmcTokens {

    /** One token of one business unit, with the instance URLs its response named (null when absent). */
    record Grant(String accessToken, Instant expiresAt, String restInstanceUrl, String soapInstanceUrl) {
    }

    private final SfmcConfig config;
    private final SfmcHttp http;
    private final ObjectMapper json;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Redactor redactor;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    /** sfmc_token_up: 1 after a token request succeeded, 0 after one failed, NaN before the first. */
    private final AtomicReference<Double> up = new AtomicReference<>(Double.NaN);
    private final Gauge upGauge;

    SfmcTokens(SfmcConfig config, SfmcHttp http, ObjectMapper json, Clock clock, MeterRegistry metrics, Redactor redactor) {
        this.config = config;
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.metrics = metrics;
        this.redactor = redactor;
        this.upGauge = Gauge.builder("sfmc_token_up", up, AtomicReference::get)
                .description("1 when the last SFMC token request succeeded, 0 when it failed").register(metrics);
    }

    /** The registry can outlive this bean (tests restart the application): a stale gauge would read this instance. */
    @PreDestroy
    void unregister() {
        metrics.remove(upGauge);
    }

    /** A valid token of the package's own business unit (SFMC_ACCOUNT_ID, if set). */
    public String accessToken() {
        return accessToken(Optional.empty());
    }

    /** A valid token for {@code businessUnit} (a MID), else for the package's own business unit. */
    public String accessToken(Optional<String> businessUnit) {
        return slot(businessUnit).valid().accessToken();
    }

    /**
     * SFMC refused {@code rejected}: obtains a new token unless another caller already replaced it
     * (so many requests refused at once cause one refresh, not many).
     */
    public String refreshAfterRejection(String rejected) {
        return slot(Optional.empty()).after(rejected).accessToken();
    }

    /**
     * Runs {@code call} with a valid token; when SFMC refuses that token ({@code rejected}: a 401,
     * a "Token Expired" fault), drops the answer, obtains a new token once and runs the call once more.
     */
    <T> T authorized(Optional<String> businessUnit, Function<String, T> call, Predicate<T> rejected, Consumer<T> discard,
                     String what) {
        Slot slot = slot(businessUnit);
        String token = slot.valid().accessToken();
        T answer = call.apply(token);
        if (rejected.test(answer)) {
            discard.accept(answer);
            Log.infof("SFMC refused the token for %s; refreshing it once", what);
            metrics.counter("sfmc.token.refreshes", "reason", "unauthorized").increment();
            answer = call.apply(slot.after(token).accessToken());
        }
        return answer;
    }

    /** Drops every cached token; the next call obtains a new one (for example after rotating credentials). */
    void forget() {
        slots.values().forEach(Slot::forget);
    }

    /** The REST base: SFMC_REST_BASE_URI, else the token response's rest_instance_url; checked, no trailing slash. */
    public URI restBase() {
        return restBase(Optional.empty());
    }

    URI restBase(Optional<String> businessUnit) {
        return instanceBase(businessUnit, config.restBaseUri(), "SFMC_REST_BASE_URI", "rest_instance_url", SfmcHttp.Purpose.REST);
    }

    /** The SOAP base: SFMC_SOAP_BASE_URI, else the token response's soap_instance_url; checked, no trailing slash. */
    public URI soapBase() {
        return soapBase(Optional.empty());
    }

    URI soapBase(Optional<String> businessUnit) {
        return instanceBase(businessUnit, config.soapBaseUri(), "SFMC_SOAP_BASE_URI", "soap_instance_url", SfmcHttp.Purpose.SOAP);
    }

    private URI instanceBase(Optional<String> businessUnit, Optional<String> configuredUri, String setting, String property,
                             SfmcHttp.Purpose purpose) {
        Optional<String> configured = configuredUri.filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            URI base = BaseUrls.normalise(configured.get());
            http.allowed(base, purpose, setting);
            return base;
        }
        Grant grant = slot(businessUnit).valid();
        String fromToken = purpose == SfmcHttp.Purpose.SOAP ? grant.soapInstanceUrl() : grant.restInstanceUrl();
        if (fromToken == null || fromToken.isBlank()) {
            throw new SfmcException(SfmcException.Kind.FAILED, 0,
                    "The token response has no " + property + " and " + setting + " is not set", null);
        }
        URI base = BaseUrls.normalise(fromToken);
        http.allowed(base, purpose, "the token response's " + property);
        return base;
    }

    private Slot slot(Optional<String> businessUnit) {
        Optional<String> mid = businessUnit.or(config::accountId).map(String::trim).filter(s -> !s.isEmpty());
        return slots.computeIfAbsent(mid.orElse(""), k -> new Slot(mid));
    }

    /** The cached token of one MID; its monitor makes concurrent callers share one token request. */
    private final class Slot {
        private final Optional<String> mid;
        private Grant current;

        Slot(Optional<String> mid) {
            this.mid = mid;
        }

        synchronized Grant valid() {
            if (current == null || !clock.instant().isBefore(current.expiresAt().minus(config.tokenRefreshSkew()))) {
                current = obtain(mid);
            }
            return current;
        }

        synchronized Grant after(String rejected) {
            if (current == null || current.accessToken().equals(rejected)) {
                current = obtain(mid);
            }
            return current;
        }

        synchronized void forget() {
            current = null;
        }
    }

    private Grant obtain(Optional<String> mid) {
        if (!config.hasCredentials()) {
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 0,
                    "SFMC credentials are not configured: " + String.join(", ", config.missingCredentials()), null);
        }
        URI auth = BaseUrls.normalise(config.authBaseUri().orElseThrow());
        SfmcAuthApi api = http.client(SfmcAuthApi.class, auth, SfmcHttp.Purpose.AUTH, "SFMC_AUTH_BASE_URI");
        Form form = new Form().param("grant_type", "client_credentials")
                .param("client_id", config.clientId().orElseThrow())
                .param("client_secret", config.clientSecret().orElseThrow());
        mid.ifPresent(m -> form.param("account_id", m));
        long started = System.nanoTime();
        String outcome = "failure";
        try (Response response = api.token(form)) {
            String body = response.hasEntity() ? response.readEntity(String.class) : "";
            if (response.getStatus() != 200) {
                throw new SfmcException(SfmcException.Kind.UNREACHABLE, response.getStatus(), "Could not obtain an SFMC token"
                        + mid.map(m -> " for MID " + m).orElse("") + ": HTTP " + response.getStatus() + " "
                        + redactor.safe(body.isBlank() ? "(no body)" : body, 500), null);
            }
            Grant grant = grant(body);
            outcome = "success";
            Log.debugf("Obtained an SFMC token%s valid until %s", mid.map(m -> " for MID " + m).orElse(""), grant.expiresAt());
            return grant;
        } catch (ProcessingException e) {
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 0,
                    "Could not obtain an SFMC token: " + redactor.safe(rootMessage(e), 500), null);
        } finally {
            metrics.counter("sfmc.token.requests", "outcome", outcome).increment();
            up.set("success".equals(outcome) ? 1.0 : 0.0);
            LiveSfmcClient.latency(metrics, "token", outcome).record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Grant grant(String body) {
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (Exception e) {
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 200, "The SFMC token answer is not JSON", null);
        }
        String token = node == null ? "" : node.path("access_token").asText("");
        long expiresIn = node == null ? 0 : node.path("expires_in").asLong(0);
        if (token.isBlank() || expiresIn <= 0) {
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 200,
                    "The SFMC token answer has no access_token or expires_in", null);
        }
        return new Grant(token, clock.instant().plusSeconds(expiresIn), text(node, "rest_instance_url"),
                text(node, "soap_instance_url"));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
