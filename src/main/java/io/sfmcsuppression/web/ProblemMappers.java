package io.sfmcsuppression.web;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;

/** The one place where exceptions become {@code application/problem+json}; no stack trace ever leaves. */
public class ProblemMappers {

    private static final int BUSY_RETRY_AFTER_SECONDS = 2;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.toProblem(path(uri)));
    }

    /** Wrong JSON types; mapped here because Quarkus's own mapper for it answers with an empty body. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return malformedJson(e, uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return respond(simple(400, "Bad Request", "The body is not valid JSON of the expected shape" + where + ".", uri));
    }

    @ServerExceptionMapper
    public Response invalidParameter(ConstraintViolationException e, UriInfo uri) {
        return respond(simple(400, "Bad Request", "Invalid request parameter: " + e.getConstraintViolations().stream()
                .map(v -> lastNode(v.getPropertyPath().toString()) + " " + v.getMessage()).sorted()
                .collect(java.util.stream.Collectors.joining("; ")), uri));
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return Response.fromResponse(respond(simple(401, "Unauthorized",
                        "A valid API key is required in the X-API-Key header.", uri)))
                .header("WWW-Authenticate", "X-API-Key").build();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(simple(403, "Forbidden", "The API key does not carry the role this endpoint needs.", uri));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type == null ? "Error" : type.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "No such resource.";
            case 405 -> "Method not allowed here.";
            case 406 -> "This endpoint answers application/json only.";
            case 415 -> "Send the body as application/json.";
            default -> title + ".";
        };
        Response response = respond(simple(status, title, detail, uri));
        if (e instanceof NotAllowedException && e.getResponse().getHeaderString("Allow") != null) {
            response = Response.fromResponse(response).header("Allow", e.getResponse().getHeaderString("Allow")).build();
        }
        return response;
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Throwable e, UriInfo uri) {
        if (DatabaseBusy.causedBy(e)) {
            // Overload, not a bug: say so, and when to come back. A retried batch is idempotent.
            // The cause's text may quote SQL with values; its class is enough to tell pool from lock.
            Log.warnf("The database is busy on %s (%s); answered 503", loggedPath(uri), e.getClass().getSimpleName());
            Problem busy = simple(503, "Service Unavailable",
                    "The database is busy; the request was not completed. Retry after the time in Retry-After.", uri);
            return Response.status(503).type(Problem.MEDIA_TYPE).entity(busy).header("Retry-After", BUSY_RETRY_AFTER_SECONDS).build();
        }
        Log.errorf(e, "Unexpected error on %s", loggedPath(uri));
        return respond(simple(500, "Internal Server Error", "The request could not be completed; the service log has the cause.", uri));
    }

    private static Problem simple(int status, String title, String detail, UriInfo uri) {
        return new Problem("about:blank", title, status, detail, path(uri), null, null);
    }

    private static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }

    /** The path as the log may show it: an address in it is masked. */
    private static String loggedPath(UriInfo uri) {
        return RequestPaths.mask(path(uri));
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
