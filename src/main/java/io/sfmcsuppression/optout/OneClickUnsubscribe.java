package io.sfmcsuppression.optout;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.sfmcsuppression.web.ProblemException;

/**
 * One-click unsubscribe (RFC 8058, required by Gmail and Yahoo of bulk senders): mints the link of
 * one key and scope, and records the opt-out its POST asks for through {@link UnsubscribeService}.
 * A refused token records nothing and is counted in {@code consent_one_click_refused_total}.
 */
@ApplicationScoped
class OneClickUnsubscribe {

    static final String POST_VALUE = "List-Unsubscribe=One-Click";
    static final String PATH = "/unsubscribe/one-click";

    private final OneClickTokens tokens;
    private final UnsubscribeService unsubscribes;
    private final OptOutConfig config;
    private final MeterRegistry metrics;
    private final Clock clock;

    OneClickUnsubscribe(OneClickTokens tokens, UnsubscribeService unsubscribes, OptOutConfig config, MeterRegistry metrics,
                        Clock clock) {
        this.tokens = tokens;
        this.unsubscribes = unsubscribes;
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
    }

    UnsubscribeLink mint(UnsubscribeLinkRequest request) {
        String base = config.oneClick().baseUrl().filter(b -> !b.isBlank()).orElse(null);
        if (!tokens.configured() || base == null) {
            throw new ProblemException(503, "Service Unavailable", "One-click unsubscribe links need CONSENT_ONE_CLICK_SECRET "
                    + "and CONSENT_ONE_CLICK_BASE_URL (consent.one-click.*).");
        }
        if (!URI.create(base).getScheme().equals("https")) {
            throw new ProblemException(503, "Service Unavailable", "CONSENT_ONE_CLICK_BASE_URL must be an https address.");
        }
        UnsubscribeRequest r = unsubscribes.validated(request == null ? null
                : new UnsubscribeRequest(request.subscriberKey(), request.scope(), request.publicationListId(),
                        request.businessUnitId(), null, null));
        Instant expires = clock.instant().plus(config.oneClick().validity());
        String token = tokens.mint(new OneClickTokens.Claims(r.subscriberKey(), r.scope(), r.publicationListId(),
                r.businessUnitId(), expires, UUID.randomUUID().toString()));
        String url = base.replaceAll("/+$", "") + PATH + "?t=" + token;
        return new UnsubscribeLink("<" + url + ">", POST_VALUE, url, expires);
    }

    /**
     * Records the opt-out of a valid token.
     *
     * @throws OneClickTokens.RefusedException for a malformed, forged, altered or expired token
     */
    void unsubscribe(String token) {
        OneClickTokens.Claims claims = claims(token);
        boolean recorded = unsubscribes.unsubscribeOneClick(new UnsubscribeRequest(claims.subscriberKey(), claims.scope(),
                claims.publicationListId(), claims.businessUnitId(), "one-click unsubscribe (RFC 8058)",
                "one-click:" + claims.tokenId()));
        Log.infof("One-click unsubscribe %s (%s)", recorded ? "recorded" : "already recorded", claims.scope());
    }

    /** Whether a token would be accepted, for the confirmation page; records nothing. */
    boolean valid(String token) {
        try {
            claims(token);
            return true;
        } catch (OneClickTokens.RefusedException e) {
            return false;
        }
    }

    private OneClickTokens.Claims claims(String token) {
        try {
            return tokens.open(token);
        } catch (OneClickTokens.RefusedException e) {
            metrics.counter("consent_one_click_refused_total", "reason", e.refusal.name().toLowerCase(java.util.Locale.ROOT)).increment();
            throw e;
        }
    }
}
