package io.sfmcsuppression.observability;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * The test application's span exporter (no OTLP exporter is built into tests). Spans are kept
 * only where a profile samples them (TracingProfile); elsewhere the sampler ratio is 0.
 */
@ApplicationScoped
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
