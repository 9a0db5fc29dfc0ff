package io.sfmcsuppression.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sfmcsuppression.web.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Answers 413 as problem+json before a too large body is stored. A declared Content-Length is
 * checked before anything is read. A chunked upload announces no length: it is read here with the
 * same limit and refused as soon as it passes it. The HTTP server's own limit
 * ({@code quarkus.http.limits.max-body-size}) is the same size.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long maxBytes;
    private final ObjectMapper json;
    private final BodyHandler chunkedBody;

    BodySizeLimit(IntakeConfig config, ObjectMapper json) {
        this.maxBytes = config.maxBodySize().asLongValue();
        this.json = json;
        this.chunkedBody = BodyHandler.create(false).setBodyLimit(maxBytes);
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(-100).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOver(length)) {
                tooLarge(ctx);
            } else if (length == null && ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                // Buffers the body (at most the limit) for the resource, or fails the route with 413.
                chunkedBody.handle(ctx);
            } else {
                ctx.next();
            }
        }).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                tooLarge(ctx);
            } else {
                ctx.next();
            }
        });
    }

    private void tooLarge(RoutingContext ctx) {
        Problem problem = new Problem("about:blank", "Payload Too Large", 413,
                "The body exceeds the limit of " + maxBytes + " bytes (intake.max-body-size).",
                ctx.request().path(), null, null);
        try {
            ctx.response().setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(json.writeValueAsString(problem));
        } catch (Exception e) {
            ctx.fail(413);
        }
    }

    private boolean isOver(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
