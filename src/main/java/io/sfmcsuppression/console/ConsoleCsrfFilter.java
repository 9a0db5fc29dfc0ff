package io.sfmcsuppression.console;

import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

/** Checks {@link ConsoleCsrf}'s token on every console POST before the resource runs, and sets its cookie when one was issued. */
class ConsoleCsrfFilter {

    private final ConsoleCsrf csrf;

    ConsoleCsrfFilter(ConsoleCsrf csrf) {
        this.csrf = csrf;
    }

    @ServerRequestFilter(readBody = true)
    @CsrfChecked
    void check(ResteasyReactiveContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(ConsoleCsrf.COOKIE);
        csrf.presented(cookie == null ? null : cookie.getValue());
        if (isSafe(request.getMethod()) || csrf.matches(isForm(request.getMediaType()) ? formField(request) : null)) {
            return;
        }
        request.abortWith(Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                .entity("This form was not sent from a console page of this session (its CSRF token is missing or wrong). "
                        + "Reload the page and send it again.")
                .build());
    }

    @ServerResponseFilter
    @CsrfChecked
    void issue(ContainerResponseContext response) {
        csrf.cookieToSet().ifPresent(value -> response.getHeaders().add(HttpHeaders.SET_COOKIE, value));
    }

    private static boolean isSafe(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    private static boolean isForm(MediaType type) {
        return type != null && (type.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                || type.isCompatible(MediaType.MULTIPART_FORM_DATA_TYPE));
    }

    private static String formField(ResteasyReactiveContainerRequestContext request) {
        ResteasyReactiveRequestContext context = (ResteasyReactiveRequestContext) request.getServerRequestContext();
        return context.getFormParameter(ConsoleCsrf.FIELD, true, false) instanceof String value ? value : null;
    }
}
