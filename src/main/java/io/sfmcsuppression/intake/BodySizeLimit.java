package io.sfmcsuppression.intake;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sfmcsuppression.web.Problem;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * Answers 413 as problem+json before a too large body is read. Vert.x's own body limit (set
 * higher) still guards chunked uploads that announce no length.
 */
@ApplicationScoped
public class BodySizeLimit {

    private final long maxBytes;
    private final ObjectMapper json;

    BodySizeLimit(IntakeConfig config, ObjectMapper json) {
        this.maxBytes = config.maxBodySize().asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route("/api/*").order(-100).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && isOver(length)) {
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
                return;
            }
            ctx.next();
        });
    }

    private boolean isOver(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBytes;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
