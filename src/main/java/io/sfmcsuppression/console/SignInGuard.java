package io.sfmcsuppression.console;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.security.AuthenticationFailedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The sign-in post ({@code j_security_check}) is answered by Quarkus's form mechanism, outside the
 * console's resources and so outside {@link ConsoleCsrfFilter}. Here, before it: a post that a
 * browser marks as coming from another site is refused (login CSRF: signing a victim into a key
 * the attacker chose), and a refused key goes back to the form with a message rather than to the
 * API's 401 problem+json (authentication is not proactive, application.properties).
 */
@ApplicationScoped
class SignInGuard {

    static final String SIGN_IN = "/console/j_security_check";

    void route(@Observes Router router) {
        router.post(SIGN_IN).order(Integer.MIN_VALUE).handler(context -> {
            if (fromAnotherSite(context)) {
                context.response().setStatusCode(403).putHeader("Content-Type", "text/plain; charset=UTF-8")
                        .end("Sign in from the console's own page.");
            } else {
                context.next();
            }
        }).failureHandler(context -> {
            if (context.failure() instanceof AuthenticationFailedException) {
                context.response().setStatusCode(302).putHeader("Location", "/console/login?failed=true").end();
            } else {
                context.next();
            }
        });
    }

    /** Browsers send Origin (and Sec-Fetch-Site) with every form post; clients without them (curl) are not browsers. */
    private static boolean fromAnotherSite(RoutingContext context) {
        String fetchSite = context.request().getHeader("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            return true;
        }
        String origin = context.request().getHeader("Origin");
        if (origin == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin);
            String host = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host == null || !host.equalsIgnoreCase(context.request().getHeader("Host"));
        } catch (IllegalArgumentException e) {
            return true;
        }
    }
}
