package io.sfmcsuppression.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.vertx.ext.web.Router;

/**
 * One line per request on the public port, at INFO in category {@code io.sfmcsuppression.access}:
 * method, path with any address masked ({@link RequestPaths}), status and milliseconds. Query
 * strings and headers are never logged (they can carry keys). Quarkus's own access log
 * ({@code quarkus.http.access-log.*}) would print the raw path, so it stays off.
 */
@ApplicationScoped
public class AccessLog {

    private static final Logger LOG = Logger.getLogger("io.sfmcsuppression.access");

    void install(@Observes Router router) {
        router.route().order(-200).handler(ctx -> {
            if (LOG.isInfoEnabled()) {
                long started = System.nanoTime();
                String method = ctx.request().method().name();
                String path = RequestPaths.mask(ctx.request().path());
                ctx.addEndHandler(done -> LOG.infof("%s %s %d %d ms", method, path, ctx.response().getStatusCode(),
                        (System.nanoTime() - started) / 1_000_000));
            }
            ctx.next();
        });
    }
}
