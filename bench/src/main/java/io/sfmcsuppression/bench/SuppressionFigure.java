package io.sfmcsuppression.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import static io.sfmcsuppression.bench.IntakeFigure.fmt;
import static io.sfmcsuppression.bench.IntakeFigure.verdict;

/**
 * Suppression: how long the service's flusher takes to move N PENDING outbox rows to ADDED against a
 * local SFMC stand-in ({@link StandIn}) that answers every upsert after a fixed delay (50 ms).
 *
 * <p>Drain time only: per repeat a fresh database; the service is started in live mode against the
 * stand-in with its periodic flush pushed out to an hour ({@code SFMC_FLUSH_INTERVAL=1h}), so the
 * flusher only runs when a batch commit wakes it. N − 1 INACTIVE rows (every one mapped, distinct
 * addresses) are written straight into the ledger tables with {@link JdbcBaseline} (the same rows
 * the service writes, PENDING in the outbox; no wake-up), which is checked to leave the stand-in
 * untouched. The clock starts just before the last INACTIVE row is posted through the API: its
 * commit wakes the flusher, which drains all N. The clock stops at the first poll (every 100 ms) of
 * {@code GET /api/v1/runs/{runId}} showing {@code suppression.ADDED = N}.
 *
 * <p>Baselines in the same repeat, against the same stand-in: (a) one request per address, as the
 * seed did: a sample of sequential single-row upserts timed for real and extrapolated to N; (b) the
 * ideal ceil(N / batch) × delay / in-flight. Goals: ≥ 100 × faster than (a), ≤ 2 × (b).
 */
final class SuppressionFigure implements Figure {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH_SIZE = 50;
    private static final int IN_FLIGHT = 4;

    @Override
    public String name() {
        return "suppression";
    }

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        int rows = options.smoke() ? 500 : 20_000;
        int delayMs = options.smoke() ? 5 : 50;
        int sample = options.smoke() ? 20 : 200;
        int repeats = options.repeatsOr(3);
        double idealSeconds = Math.ceil(rows / (double) BATCH_SIZE) * delayMs / 1000.0 / IN_FLIGHT;
        Path work = Files.createTempDirectory("bench-suppression");
        report.line("");
        report.line("## Suppression");
        report.line("");
        report.line(String.format(Locale.ROOT, "%d INACTIVE rows (all mapped, distinct addresses) from PENDING to ADDED; SFMC stand-in "
                + "answering every upsert after %d ms; service defaults SFMC_UPSERT_BATCH_SIZE=%d, SFMC_UPSERT_IN_FLIGHT=%d; "
                + "drain timed from posting the row that wakes the flusher to suppression.ADDED = %d (polled every 100 ms); "
                + "%d repeats, fresh database each%s. One-per-address baseline: %d sequential single-row upserts (after 10 untimed), extrapolated to %d. "
                + "Ideal: ceil(%d / %d) × %d ms / %d = %.2f s.", rows, delayMs, BATCH_SIZE, IN_FLIGHT, rows, repeats,
                options.warm() ? "; --warm: each repeat's service first drains an unmeasured run of the same size" : "", sample, rows,
                rows, BATCH_SIZE, delayMs, IN_FLIGHT, idealSeconds));
        report.line("");
        report.table("repeat", "load 1m before", "one-per-address s (extrapolated)", "drain s", "to first upsert s", "stand-in busy s", "requests",
                "rows / request", "max in flight", "service CPU s", "× faster than one-per-address", "drain / ideal");
        List<Double> drains = new ArrayList<>();
        List<Double> onePers = new ArrayList<>();
        List<Double> speedups = new ArrayList<>();
        List<Double> overIdeal = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        List<Double> perRequest = new ArrayList<>();
        try (StandIn sfmc = new StandIn(delayMs)) {
            for (int r = 1; r <= repeats; r++) {
                double load = Machine.load1();
                String runId = "suppression-r" + r;
                List<Workload.Row> inactive = inactiveRows(runId, rows);

                sfmc.reset();
                double onePer = sfmc.onePerAddressSeconds(sample, inactive) * rows / sample;

                double drain;
                double cpu;
                double firstUpsert;
                try (Postgres db = Postgres.throwaway("suppression");
                     ServiceProcess service = ServiceProcess.service(options, db, work, recording(options, r), liveEnv(sfmc))) {
                    // The scheduled flush runs once 1 s after start-up, then hourly (SFMC_FLUSH_INTERVAL=1h): let that
                    // first tick pass on the empty outbox, so the prefill below stays PENDING.
                    Thread.sleep(3_000);
                    long timeout = Math.max(120, (long) (onePer * 2));
                    if (options.warm()) {
                        String warmRun = runId + "-warm";
                        drainOnce(service, db, sfmc, warmRun, inactiveRows(warmRun, rows), timeout);
                    }
                    double[] measured = drainOnce(service, db, sfmc, runId, inactive, timeout);
                    drain = measured[0];
                    firstUpsert = measured[1];
                    cpu = measured[2];
                }
                double rpr = sfmc.rows.get() / (double) sfmc.requests.get();
                drains.add(drain);
                onePers.add(onePer);
                speedups.add(onePer / drain);
                overIdeal.add(drain / idealSeconds);
                loads.add(load);
                perRequest.add(rpr);
                report.row(r, fmt("%.2f", load), fmt("%.1f", onePer), fmt("%.2f", drain), fmt("%.2f", firstUpsert), fmt("%.2f", sfmc.busySeconds()),
                        sfmc.requests.get(), fmt("%.1f", rpr), sfmc.maxInFlight.get(), fmt("%.2f", cpu),
                        fmt("%.1f", onePer / drain), fmt("%.2f", drain / idealSeconds));
            }
        }
        Stats speedup = Stats.of(speedups);
        Stats ideal = Stats.of(overIdeal);
        report.line("");
        report.line("- **drain time: " + Stats.of(drains).format("%.2f") + " s** for " + rows + " rows");
        report.line("- one request per address (measured on " + sample + ", extrapolated to " + rows + "): "
                + Stats.of(onePers).format("%.1f") + " s (" + rows + " × " + delayMs + " ms = " + fmt("%.1f", rows * delayMs / 1000.0) + " s)");
        report.line(String.format(Locale.ROOT, "- ideal: ceil(%d / %d) × %d ms / %d = %.2f s", rows, BATCH_SIZE, delayMs, IN_FLIGHT, idealSeconds));
        report.line("- rows per request: " + Stats.of(perRequest).format("%.1f"));
        report.line("- **× faster than one-per-address: " + speedup.format("%.1f") + "**; goal ≥ 100: " + verdict(options, speedup.median() >= 100));
        report.line("- **drain / ideal: " + ideal.format("%.2f") + "**; goal ≤ 2: " + verdict(options, ideal.median() <= 2));
        report.line("- load average (1 min) before each repeat: " + Stats.of(loads).format("%.2f") + "; at the end: " + Machine.loadAverage());
    }

    /**
     * Prefills all but the last row straight into the ledger (the flusher stays idle: checked), then
     * starts the clock, posts the last row through the API (its commit wakes the flusher) and waits
     * for suppression.ADDED = all. Returns {drain s, to first upsert s, service CPU s}.
     */
    private static double[] drainOnce(ServiceProcess service, Postgres db, StandIn sfmc, String runId, List<Workload.Row> inactive,
                                      long timeoutSeconds) throws Exception {
        int rows = inactive.size();
        sfmc.reset();
        List<Workload.Row> prefill = inactive.subList(0, rows - 1);
        try (JdbcBaseline jdbc = new JdbcBaseline(db, false)) {
            for (int from = 0; from < prefill.size(); from += 1_000) {
                List<Workload.Row> part = prefill.subList(from, Math.min(prefill.size(), from + 1_000));
                jdbc.send(new Workload.Batch(runId, part, Workload.body(part)));
            }
        }
        long pending = pending(db, runId);
        if (pending != rows - 1 || sfmc.requests.get() != 0) {
            throw new IllegalStateException("Expected " + (rows - 1) + " PENDING outbox rows and an idle flusher before the drain, "
                    + "found " + pending + " PENDING and " + sfmc.requests.get() + " upserts already sent");
        }
        HttpIntake intake = new HttpIntake(service.baseUri());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        double cpuBefore = service.cpuSeconds();
        long start = System.nanoTime();
        List<Workload.Row> last = inactive.subList(rows - 1, rows);
        intake.send(new Workload.Batch(runId, last, Workload.body(last)));
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (added(http, service.baseUri(), runId) < rows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("suppression.ADDED did not reach " + rows + " in time; stand-in saw "
                        + sfmc.requests.get() + " requests, " + sfmc.rows.get() + " rows");
            }
            service.requireAlive();
            Thread.sleep(100);
        }
        double drain = (System.nanoTime() - start) / 1e9;
        double firstUpsert = (sfmc.firstNanos() - start) / 1e9;
        if (sfmc.rows.get() < rows) {
            throw new IllegalStateException("ADDED = " + rows + " but the stand-in received only " + sfmc.rows.get() + " rows");
        }
        return new double[] {drain, firstUpsert, service.cpuSeconds() - cpuBefore};
    }

    /** With --jfr, each repeat's service is recorded from its start: suppression-r{n}.jfr. */
    private static List<String> recording(BenchOptions options, int repeat) throws IOException {
        if (!options.jfr()) {
            return List.of();
        }
        Files.createDirectories(options.results());
        return List.of("-XX:StartFlightRecording=filename=" + options.results().resolve("suppression-r" + repeat + ".jfr")
                + ",settings=profile,dumponexit=true");
    }

    /** The first {@code n} generated rows that are INACTIVE, mapped, and not a repeated address. */
    private static List<Workload.Row> inactiveRows(String runId, int n) {
        List<Workload.Row> rows = new ArrayList<>(n);
        for (int g = 0; rows.size() < n; g++) {
            Workload.Row row = Workload.row(runId, g);
            if (row.inactive() && !row.target().isEmpty() && g % 50 != 49) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static Map<String, String> liveEnv(StandIn sfmc) {
        Map<String, String> env = new HashMap<>();
        env.put("SUPPRESSION_MODE", "live");
        env.put("SFMC_CLIENT_ID", "bench");
        env.put("SFMC_CLIENT_SECRET", "bench");
        env.put("SFMC_AUTH_BASE_URI", sfmc.baseUri());
        env.put("SFMC_REST_BASE_URI", sfmc.baseUri() + "/");
        env.put("SFMC_UPSERT_BATCH_SIZE", String.valueOf(BATCH_SIZE));
        env.put("SFMC_UPSERT_IN_FLIGHT", String.valueOf(IN_FLIGHT));
        env.put("SFMC_FLUSH_INTERVAL", "1h");
        env.put("NOTIFICATION_MARKETING_TO", "bench@example.org");
        env.put("NOTIFICATION_FROM", "bench@example.org");
        env.put("EXPORT_EVERY", "off");
        return env;
    }

    private static long pending(Postgres db, String runId) throws Exception {
        try (var c = db.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM suppression_outbox WHERE state = 'PENDING' AND run_id = '" + runId + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long added(HttpClient http, String baseUri, String runId) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create(baseUri + "/api/v1/runs/" + runId))
                .header("X-API-Key", ServiceProcess.API_KEY).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET run answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("suppression").path("ADDED").asLong();
    }

    /**
     * The SFMC stand-in: {@code POST /v2/token} answers a token at once; every other POST (the
     * rowset upserts) answers 200 {@code []} after the delay, slept on its handler thread (64 threads,
     * so concurrent requests are not serialised). Counts requests, rows, and the most at once.
     */
    static final class StandIn implements AutoCloseable {

        private final LocalHttpServer server;
        private final int delayMs;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger rows = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        private final AtomicLong firstNanos = new AtomicLong();
        private final AtomicLong lastNanos = new AtomicLong();

        StandIn(int delayMs) throws IOException {
            this.delayMs = delayMs;
            server = new LocalHttpServer(this::handle);
        }

        String baseUri() {
            return server.baseUri();
        }

        void reset() {
            requests.set(0);
            rows.set(0);
            maxInFlight.set(0);
            firstNanos.set(0);
            lastNanos.set(0);
        }

        /** From the first upsert received to the last answered since {@link #reset}. */
        long firstNanos() {
            return firstNanos.get();
        }

        double busySeconds() {
            return (lastNanos.get() - firstNanos.get()) / 1e9;
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String path = exchange.getRequestURI().getPath();
                if (path.endsWith("/v2/token")) {
                    answer(exchange, 200, "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":1079,"
                            + "\"rest_instance_url\":\"" + baseUri() + "/\"}");
                    return;
                }
                firstNanos.compareAndSet(0, System.nanoTime());
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    JsonNode rowset = JSON.readTree(body);
                    rows.addAndGet(rowset.isArray() ? rowset.size() : 1);
                    requests.incrementAndGet();
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
                answer(exchange, 200, "[]");
                lastNanos.set(System.nanoTime());
            }
        }

        private static void answer(HttpExchange exchange, int status, String text) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        /**
         * The seed's way: one upsert per address, one after the other, over one client (this JVM's
         * {@code java.net.http}, a kept-alive HTTP/1.1 connection); seconds for {@code sample} of them, after 10 untimed ones.
         */
        double onePerAddressSeconds(int sample, List<Workload.Row> rows) throws Exception {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            int warmUp = 10;
            long start = 0;
            for (int i = -warmUp; i < sample; i++) {
                if (i == 0) {
                    // the first requests open the connection and warm up the client's code; not timed
                    reset();
                    start = System.nanoTime();
                }
                Workload.Row row = rows.get(Math.floorMod(i, rows.size()));
                String body = "[{\"keys\":{\"Email Address\":\"" + row.emailNormalized() + "\"},\"values\":{\"Date Added\":\""
                        + Workload.RUN_DATE + "\"}}]";
                HttpRequest post = HttpRequest.newBuilder(URI.create(baseUri() + "/hub/v1/dataevents/key:" + row.target() + "/rowset"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer t")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                HttpResponse<String> response = http.send(post, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("Stand-in answered " + response.statusCode());
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (requests.get() != sample) {
                throw new IllegalStateException("Stand-in counted " + requests.get() + " of " + sample + " sample requests");
            }
            return seconds;
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
