package io.sfmcsuppression.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import io.sfmcsuppression.support.HeapAfterGc;
import io.sfmcsuppression.support.PackagedApp;

/**
 * The suppression list as CSV from the packaged jar on PostgreSQL with a small heap: 100 000 rows
 * arrive complete, and the live heap in the middle of the stream is hardly above the idle one (the
 * rows are never all in memory: a server-side cursor feeds a streaming writer).
 */
class SuppressionCsvHeapIT {

    private static final int ROWS = 100_000;
    /** Far below what 100 000 rows take as objects (about 50 MB), far above a buffer's worth. */
    private static final long MAX_GROWTH_BYTES = 16L * 1024 * 1024;

    @Test
    void aHundredThousandRowsStreamWithABoundedHeap() throws Exception {
        PackagedApp.requirePostgres();
        try (PackagedApp app = PackagedApp.freshOnPostgres("csvheap").jvmOption("-Xmx128m").start()) {
            try (Connection c = DriverManager.getConnection(app.postgresUrl(), System.getenv().getOrDefault("TEST_PG_USER", "postgres"),
                    System.getenv().getOrDefault("TEST_PG_PASSWORD", ""));
                 Statement s = c.createStatement()) {
                s.execute("""
                        INSERT INTO suppression_outbox (run_id, target, email_normalized, run_date, state, attempts, created_at,
                            updated_at, origin, origin_file, origin_line)
                        SELECT NULL, 'ASL_HEAP', 'heap' || g || '@acme.org', DATE '2026-11-23', 'VERIFIED', 1, now(), now(),
                               'import', 'heap.csv', g + 1
                          FROM generate_series(1, %d) AS g""".formatted(ROWS));
            }
            HeapAfterGc heap = new HeapAfterGc(app);
            long idle = heap.sample();

            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(app.baseUri() + "/api/v1/suppressions?dataExtension=ASL_HEAP"))
                    .header("X-API-Key", PackagedApp.API_KEY).header("Accept", "text/csv").build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            int lines = 0;
            long midStream = -1;
            String last = null;
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String header = reader.readLine();
                assertThat(header).startsWith("\"id\",\"email\"");
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines++;
                    last = line;
                    if (lines == ROWS / 2) {
                        midStream = heap.sample();
                    }
                }
            }
            System.out.printf("CSV of %d rows with -Xmx128m: live heap idle %d MiB, mid-stream %d MiB%n", lines,
                    idle >> 20, midStream >> 20);
            assertThat(lines).isEqualTo(ROWS);
            assertThat(last).contains("\"heap1@acme.org\"");
            assertThat(midStream - idle).as("live heap growth mid-stream").isLessThan(MAX_GROWTH_BYTES);
            assertThat(app.log()).doesNotContain("OutOfMemoryError");
        }
    }
}
