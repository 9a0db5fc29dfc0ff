package io.sfmcsuppression.observability;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.sfmcsuppression.web.RequestPaths;

/**
 * Keeps addresses out of traces: an HTTP span's path or URL that holds one
 * ({@code /api/v1/emails/{email}}) is masked as the logs mask it, before any exporter sees the span.
 * Span names use the route template and SQL is recorded with placeholders, so this is the one
 * place a request's personal data could enter a span.
 */
@ApplicationScoped
public class MaskingSpanProcessor implements SpanProcessor {

    private static final List<AttributeKey<String>> URL_ATTRIBUTES = List.of(
            AttributeKey.stringKey("url.path"), AttributeKey.stringKey("url.full"), AttributeKey.stringKey("http.target"),
            AttributeKey.stringKey("http.url"));

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        for (AttributeKey<String> key : URL_ATTRIBUTES) {
            String value = span.getAttribute(key);
            if (value != null) {
                String masked = RequestPaths.mask(value);
                if (!masked.equals(value)) {
                    span.setAttribute(key, masked);
                }
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
