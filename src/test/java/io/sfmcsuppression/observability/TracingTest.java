package io.sfmcsuppression.observability;

import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.complete;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sfmcsuppression.sfmc.SfmcClient;

/** The spans of one run's path: intake (HTTP and JDBC), the flusher's job, the export and its mail; no personal data in any. */
@QuarkusTest
@TestProfile(TracingTest.Sampled.class)
class TracingTest {

    /** Every trace kept; exporting stays in memory. */
    public static class Sampled implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "1.0", "sfmc.flush-interval", "1s");
        }
    }

    private static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("run.id");

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void reset() {
        spans.reset();
    }

    @Test
    void intakeFlushAndExportOfARunAreTracedWithTheRunIdAndNoAddress() {
        String run = "traced-" + UUID.randomUUID();
        String address = "traced.person@acme.org";
        postBatch(run, batch().inactive("t-" + UUID.randomUUID(), address, "Acme Weekly").json()).statusCode(202);
        complete(run).statusCode(202);

        await("intake, flusher, export and mail spans").atMost(Duration.ofSeconds(30)).until(() ->
                server("POST", "/api/v1/runs/{runId}/determinations").isPresent()
                        && named("export run", run).isPresent() && named("N04 mail", run).isPresent()
                        && spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().contains("suppression-flusher")));

        SpanData intake = server("POST", "/api/v1/runs/{runId}/determinations").orElseThrow();
        assertThat(childrenOf(intake)).as("JDBC statements of the intake")
                .anyMatch(s -> s.getKind() == SpanKind.CLIENT && s.getAttributes().asMap().keySet().stream()
                        .anyMatch(k -> k.getKey().startsWith("db.")));
        assertThat(spans.getFinishedSpanItems()).as("the upsert's span names its data extension")
                .anyMatch(s -> s.getName().equals("sfmc upsert")
                        && "ASL_ACME".equals(s.getAttributes().get(AttributeKey.stringKey(SfmcClient.SPAN_DATA_EXTENSION))));
        SpanData export = named("export run", run).orElseThrow();
        assertThat(childrenOf(export)).as("JDBC statements of the export").isNotEmpty();

        for (SpanData span : spans.getFinishedSpanItems()) {
            assertThat(span.getName()).doesNotContain(address);
            span.getAttributes().forEach((key, value) ->
                    assertThat(String.valueOf(value)).as(span.getName() + " " + key).doesNotContain(address));
        }
    }

    @Test
    void anAddressInARequestPathIsMaskedInItsSpan() {
        as(READ_KEY).when().get("/api/v1/emails/{email}", "jane.doe@traced.example.org").then().statusCode(404);
        await("the history span").atMost(Duration.ofSeconds(10)).until(() -> server("GET", "/api/v1/emails/{email}").isPresent());
        SpanData span = server("GET", "/api/v1/emails/{email}").orElseThrow();
        assertThat(span.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/api/v1/emails/j***@traced.example.org");
        span.getAttributes().forEach((key, value) -> assertThat(String.valueOf(value)).doesNotContain("jane.doe"));
    }

    private Optional<SpanData> server(String method, String route) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER && s.getName().equals(method + " " + route)).findFirst();
    }

    private Optional<SpanData> named(String name, String run) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name) && run.equals(s.getAttributes().get(RUN_ID)))
                .findFirst();
    }

    private List<SpanData> childrenOf(SpanData parent) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getParentSpanId().equals(parent.getSpanId())
                && s.getTraceId().equals(parent.getTraceId())).toList();
    }
}
