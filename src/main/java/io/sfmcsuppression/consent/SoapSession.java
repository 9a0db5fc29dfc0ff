package io.sfmcsuppression.consent;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.sfmcsuppression.sfmc.SfmcException;
import io.sfmcsuppression.sfmc.SfmcTokens;

/**
 * The SFMC access token and API hosts for consent calls, from the same token cache as the
 * suppression client: one token serves both, and a "Token Expired" here renews it for both.
 */
@ApplicationScoped
class SoapSession {

    /** What a call needs: the token and the base URIs, normalised to {@code https://host/}. */
    record Session(String accessToken, String soapBase, Optional<String> restBase) {
    }

    private final SfmcTokens tokens;

    SoapSession(SfmcTokens tokens) {
        this.tokens = tokens;
    }

    Session current() {
        return session(() -> tokens.accessToken());
    }

    /** A new token after SFMC said "Token Expired" for {@code stale}; one grant even if many callers ask. */
    Session renew(Session stale) {
        return session(() -> tokens.refreshAfterRejection(stale.accessToken()));
    }

    private Session session(java.util.function.Supplier<String> token) {
        try {
            String accessToken = token.get();
            String soap = tokens.soapBase() + "/";
            Optional<String> rest;
            try {
                rest = Optional.of(tokens.restBase() + "/");
            } catch (SfmcException noRestHost) {
                rest = Optional.empty();
            }
            return new Session(accessToken, soap, rest);
        } catch (SfmcException | java.util.NoSuchElementException e) {
            // SfmcTokens' messages are redacted: they never carry the secret or a token.
            throw new SfmcConsentException(SfmcConsentException.Kind.AUTHENTICATION,
                    e instanceof SfmcException ? e.getMessage() : "SFMC credentials are not configured");
        }
    }
}
