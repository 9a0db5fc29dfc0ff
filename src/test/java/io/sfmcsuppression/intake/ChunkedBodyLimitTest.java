package io.sfmcsuppression.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.Database;

/** A chunked body (no Content-Length) meets the same limit as a declared one: intake.max-body-size. */
@QuarkusTest
class ChunkedBodyLimitTest {

    private static final long LIMIT = 16L * 1024 * 1024;

    @TestHTTPResource("/api/v1/runs")
    URI runs;

    @Inject
    Database db;

    @Test
    void aChunkedBodyOverTheLimitIs413ProblemJson() throws Exception {
        Database.Snapshot before = db.snapshot();
        HttpResponse<String> response = postChunked("chunked-" + UUID.randomUUID(), oversized());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":413");
        assertThat(db.snapshot()).isEqualTo(before);
    }

    /** The positive control: the same client, chunked, under the limit, is stored. */
    @Test
    void aChunkedBodyUnderTheLimitIsAccepted() throws Exception {
        byte[] body = Batches.batch().item("chunked-" + UUID.randomUUID(), "c@acme.org", "ACTIVE").json().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = postChunked("chunked-" + UUID.randomUUID(), new java.io.ByteArrayInputStream(body));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    }

    private HttpResponse<String> postChunked(String runId, InputStream body) throws IOException, InterruptedException {
        // ofInputStream has no known length, so the JDK client sends Transfer-Encoding: chunked.
        HttpRequest request = HttpRequest.newBuilder(URI.create(runs + "/" + runId + "/determinations"))
                .header("X-API-Key", Api.INGEST_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON batch one byte per position over the limit, generated as it is read. */
    private static InputStream oversized() {
        byte[] head = "{\"determinations\":[{\"id\":\"x\",\"email\":\"a@acme.org\",\"determination\":\"ACTIVE\",\"newTitle\":\""
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = "\"}]}".getBytes(StandardCharsets.US_ASCII);
        long total = LIMIT + 1024 * 1024;
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                if (position >= total) {
                    return -1;
                }
                long at = position++;
                if (at < head.length) {
                    return head[(int) at];
                }
                long fromEnd = total - at;
                return fromEnd <= tail.length ? tail[(int) (tail.length - fromEnd)] : 'y';
            }
        };
    }
}
