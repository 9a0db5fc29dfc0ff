package io.sfmcsuppression.sfmc;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.quarkus.oidc.common.runtime.config.OidcClientCommonConfig.Credentials.Secret.Method;

/**
 * Client-credentials tokens from {SFMC_AUTH_BASE_URI}/v2/token through quarkus-oidc-client: the
 * secret is posted in the form, account_id goes along as a grant option, the token is cached and
 * refreshed {@code sfmc.token-refresh-skew} before it expires. One token request at a time: callers
 * wait for it and share the result. The OIDC client is created on first use, so nothing contacts
 * SFMC before the first token is needed. Shared by the REST client and the consent SOAP calls.
 */
@ApplicationScoped
public class SfmcTokens {

    private final SfmcConfig config;
    private final OidcClients oidcClients;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Redactor redactor;

    private OidcClient oidcClient;
    private Tokens current;

    SfmcTokens(SfmcConfig config, OidcClients oidcClients, Clock clock, MeterRegistry metrics, Redactor redactor) {
        this.config = config;
        this.oidcClients = oidcClients;
        this.clock = clock;
        this.metrics = metrics;
        this.redactor = redactor;
    }

    /** A valid access token, obtained now only if the cached one is missing or about to expire. */
    public synchronized String accessToken() {
        if (current == null || expiresSoon(current)) {
            obtain();
        }
        return current.getAccessToken();
    }

    /**
     * SFMC refused {@code rejected}: obtains a new token unless another caller already replaced it
     * (so many requests refused at once cause one refresh, not many).
     */
    public synchronized String refreshAfterRejection(String rejected) {
        if (current == null || current.getAccessToken().equals(rejected)) {
            obtain();
        }
        return current.getAccessToken();
    }

    /** Drops the cached token; the next call obtains a new one (for example after rotating credentials). */
    synchronized void forget() {
        current = null;
    }

    /** The REST base: SFMC_REST_BASE_URI, else the token response's rest_instance_url, normalised (no trailing slash). */
    public URI restBase() {
        return instanceBase(config.restBaseUri(), "rest_instance_url", "SFMC_REST_BASE_URI");
    }

    /** The SOAP base: SFMC_SOAP_BASE_URI, else the token response's soap_instance_url, normalised (no trailing slash). */
    public URI soapBase() {
        return instanceBase(config.soapBaseUri(), "soap_instance_url", "SFMC_SOAP_BASE_URI");
    }

    private URI instanceBase(Optional<String> configuredUri, String tokenProperty, String setting) {
        Optional<String> configured = configuredUri.filter(s -> !s.isBlank());
        if (configured.isPresent()) {
            return BaseUrls.normalise(configured.get());
        }
        String fromToken;
        synchronized (this) {
            accessToken();
            fromToken = current.get(tokenProperty);
        }
        if (fromToken == null || fromToken.isBlank()) {
            throw new SfmcException(SfmcException.Kind.FAILED, 0,
                    "The token response has no " + tokenProperty + " and " + setting + " is not set", null);
        }
        return BaseUrls.normalise(fromToken);
    }

    private void obtain() {
        long started = System.nanoTime();
        String outcome = "failure";
        try {
            Tokens tokens = client().getTokens().await().atMost(config.requestTimeout().plusSeconds(5));
            current = tokens;
            outcome = "success";
            metrics.counter("sfmc.token.requests", "outcome", "success").increment();
            Log.debugf("Obtained an SFMC token valid until %s", expiresAt(tokens).orElse(null));
        } catch (RuntimeException e) {
            metrics.counter("sfmc.token.requests", "outcome", "failure").increment();
            throw new SfmcException(SfmcException.Kind.UNREACHABLE, 0,
                    "Could not obtain an SFMC token: " + redactor.redact(describe(e)), null);
        } finally {
            LiveSfmcClient.latency(metrics, "token", outcome).record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private OidcClient client() {
        if (oidcClient == null) {
            oidcClient = oidcClients.newClient(oidcConfig()).await().atMost(config.requestTimeout());
        }
        return oidcClient;
    }

    private OidcClientConfig oidcConfig() {
        var builder = OidcClientConfig.builder()
                .id("sfmc")
                .authServerUrl(BaseUrls.normalise(config.authBaseUri().orElseThrow()).toString())
                .discoveryEnabled(false)
                .tokenPath("/v2/token")
                .clientId(config.clientId().orElseThrow())
                .credentials().clientSecret(config.clientSecret().orElseThrow(), Method.POST).end()
                .grant(OidcClientConfig.Grant.Type.CLIENT)
                .refreshTokenTimeSkew(config.tokenRefreshSkew())
                .connectionTimeout(config.requestTimeout())
                .earlyTokensAcquisition(false);
        config.accountId().filter(s -> !s.isBlank())
                .ifPresent(mid -> builder.grantOptions("client", "account_id", mid.trim()));
        return builder.build();
    }

    private boolean expiresSoon(Tokens tokens) {
        return expiresAt(tokens).map(at -> !clock.instant().isBefore(at.minus(config.tokenRefreshSkew()))).orElse(false);
    }

    private static Optional<Instant> expiresAt(Tokens tokens) {
        return Optional.ofNullable(tokens.getAccessTokenExpiresAt()).map(Instant::ofEpochSecond);
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof NullPointerException) {
            // quarkus-oidc-client fails this way on an error answer without a body (e.g. a bare 503).
            return "the token endpoint answered with an error and no body";
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.length() > 500 ? message.substring(0, 500) : message;
    }
}
