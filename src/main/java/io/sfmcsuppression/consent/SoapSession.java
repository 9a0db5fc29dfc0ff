package io.sfmcsuppression.consent;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.sfmcsuppression.sfmc.SfmcConfig;

/**
 * The SFMC access token and API hosts for consent calls. Tokens come from the default
 * {@code quarkus-oidc-client} (client credentials against {@code /v2/token}); SFMC sends no refresh
 * token, so a renewal is a new grant. The token is cached until a minute before it expires.
 * This is the one seam to point at the shared SFMC token bean when the SFMC client is merged.
 */
@ApplicationScoped
class SoapSession {

    /** What a call needs: the token and the base URIs, normalised to {@code https://host/}. */
    record Session(String accessToken, String soapBase, Optional<String> restBase) {
    }

    private static final Duration EARLY_REFRESH = Duration.ofSeconds(60);
    private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);

    private final OidcClient oidc;
    private final SfmcConfig sfmc;
    private final Clock clock;
    private Tokens tokens;

    SoapSession(OidcClient oidc, SfmcConfig sfmc, Clock clock) {
        this.oidc = oidc;
        this.sfmc = sfmc;
        this.clock = clock;
    }

    synchronized Session current() {
        if (tokens == null || expiresSoon(tokens)) {
            tokens = grant();
        }
        return session(tokens);
    }

    /** A new token after SFMC said "Token Expired" for {@code stale}; one grant even if many callers ask. */
    synchronized Session renew(Session stale) {
        if (tokens == null || tokens.getAccessToken().equals(stale.accessToken())) {
            tokens = grant();
        }
        return session(tokens);
    }

    private boolean expiresSoon(Tokens t) {
        Long expiresAt = t.getAccessTokenExpiresAt();
        return expiresAt != null && clock.instant().plus(EARLY_REFRESH).getEpochSecond() >= expiresAt;
    }

    private Tokens grant() {
        try {
            return oidc.getTokens().await().atMost(TOKEN_TIMEOUT);
        } catch (RuntimeException e) {
            // The OIDC client's message can carry the token endpoint's body but never the secret.
            throw new SfmcConsentException(SfmcConsentException.Kind.AUTHENTICATION,
                    "Could not obtain an SFMC access token: " + e.getClass().getSimpleName());
        }
    }

    private Session session(Tokens t) {
        String soap = sfmc.soapBaseUri().filter(s -> !s.isBlank()).or(() -> Optional.ofNullable(t.get("soap_instance_url")))
                .map(SoapSession::normalise)
                .orElseThrow(() -> new SfmcConsentException(SfmcConsentException.Kind.AUTHENTICATION,
                        "No SOAP endpoint: set SFMC_SOAP_BASE_URI or use a token response with soap_instance_url"));
        Optional<String> rest = Optional.ofNullable(t.get("rest_instance_url")).map(SoapSession::normalise);
        return new Session(t.getAccessToken(), soap, rest);
    }

    /** {@code host}, {@code https://host} and {@code https://host/} all become {@code https://host/}. */
    static String normalise(String uri) {
        String u = uri.trim();
        if (!u.startsWith("http://") && !u.startsWith("https://")) {
            u = "https://" + u;
        }
        return u.endsWith("/") ? u : u + "/";
    }
}
