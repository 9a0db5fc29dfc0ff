package io.sfmcsuppression.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import static io.sfmcsuppression.bench.IntakeFigure.fmt;
import static io.sfmcsuppression.bench.IntakeFigure.verdict;

/**
 * Suppression: how long the service's flusher takes to move N PENDING outbox rows to ADDED against a
 * local SFMC stand-in ({@link StandIn}) that answers every upsert after a fixed delay (50 ms), side
 * by side with read-back on ({@code SFMC_VERIFY_WRITES=true}: every row read back from the data
 * extension and VERIFIED; the stand-in answers the read route from the rows it stored, after the
 * same delay) and off (the rows end ADDED). Each repeat measures both, alternating which goes first.
 *
 * <p>Drain time only: per repeat a fresh database; the service is started in live mode against the
 * stand-in with its periodic flush pushed out to an hour ({@code SFMC_FLUSH_INTERVAL=1h}), so the
 * flusher only runs when a batch commit wakes it. N − 1 INACTIVE rows (every one mapped, distinct
 * addresses) are written straight into the ledger tables with {@link JdbcBaseline} (the same rows
 * the service writes, PENDING in the outbox; no wake-up), which is checked to leave the stand-in
 * untouched. The clock starts just before the last INACTIVE row is posted through the API: its
 * commit wakes the flusher, which drains all N. The clock stops at the first poll (every 100 ms) of
 * {@code GET /api/v1/runs/{runId}} showing {@code suppression.ADDED = N} (read-back off) or
 * {@code suppression.VERIFIED = N} (on).
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
        report.line(String.format(Locale.ROOT, "%d INACTIVE rows (all mapped, distinct addresses) from PENDING to ADDED (read-back off) "
                + "or VERIFIED (read-back on, SFMC_VERIFY_WRITES=true); SFMC stand-in "
                + "answering every upsert and every read after %d ms; service defaults SFMC_UPSERT_BATCH_SIZE=%d, SFMC_UPSERT_IN_FLIGHT=%d; "
                + "drain timed from posting the row that wakes the flusher to suppression.ADDED (or VERIFIED) = %d (polled every 100 ms); "
                + "each repeat drains once with read-back off and once on, alternating which goes first; "
                + "%d repeats, fresh database each%s. One-per-address baseline: %d sequential single-row upserts (after 10 untimed), extrapolated to %d. "
                + "Ideal: ceil(%d / %d) × %d ms / %d = %.2f s.", rows, delayMs, BATCH_SIZE, IN_FLIGHT, rows, repeats,
                options.warm() ? "; --warm: each repeat's service first drains an unmeasured run of the same size" : "", sample, rows,
                rows, BATCH_SIZE, delayMs, IN_FLIGHT, idealSeconds));
        report.line("");
        report.table("repeat", "read-back", "load 1m before", "one-per-address s (extrapolated)", "drain s", "to first upsert s", "stand-in busy s",
                "reads after the last upsert s",
                "upserts", "reads", "of them by date", "reads / 1 000 rows", "rows / upsert", "max in flight", "service CPU s", "× faster than one-per-address",
                "drain / ideal");
        Map<Boolean, Series> series = Map.of(false, new Series(), true, new Series());
        try (StandIn sfmc = new StandIn(delayMs)) {
            for (int r = 1; r <= repeats; r++) {
                for (boolean readBack : r % 2 == 1 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    double load = Machine.load1();
                    String runId = "suppression-r" + r + (readBack ? "-read-back" : "");
                    List<Workload.Row> inactive = inactiveRows(runId, rows);

                    sfmc.reset();
                    double onePer = sfmc.onePerAddressSeconds(sample, inactive) * rows / sample;

                    double[] measured;
                    try (Postgres db = Postgres.throwaway("suppression");
                         ServiceProcess service = ServiceProcess.service(options, db, work, recording(options, r, readBack),
                                 liveEnv(sfmc, readBack))) {
                        // The scheduled flush runs once 1 s after start-up, then hourly (SFMC_FLUSH_INTERVAL=1h): let that
                        // first tick pass on the empty outbox, so the prefill below stays PENDING.
                        Thread.sleep(3_000);
                        long timeout = Math.max(120, (long) (onePer * 2));
                        if (options.warm()) {
                            String warmRun = runId + "-warm";
                            drainOnce(service, db, sfmc, warmRun, inactiveRows(warmRun, rows), readBack, timeout);
                        }
                        measured = drainOnce(service, db, sfmc, runId, inactive, readBack, timeout);
                    }
                    double drain = measured[0];
                    double rpr = sfmc.rows.get() / (double) sfmc.requests.get();
                    double readsPerThousand = sfmc.reads.get() * 1000.0 / rows;
                    series.get(readBack).add(load, onePer, drain, drain / idealSeconds, rpr, readsPerThousand);
                    report.row(r, readBack ? "on" : "off", fmt("%.2f", load), fmt("%.1f", onePer), fmt("%.2f", drain),
                            fmt("%.2f", measured[1]), fmt("%.2f", sfmc.busySeconds()),
                            fmt("%.2f", sfmc.readTailSeconds()), sfmc.requests.get(), sfmc.reads.get(),
                            sfmc.readsByDate.get(), fmt("%.1f", readsPerThousand), fmt("%.1f", rpr), sfmc.maxInFlight.get(), fmt("%.2f", measured[2]),
                            fmt("%.1f", onePer / drain), fmt("%.2f", drain / idealSeconds));
                }
            }
        }
        report.line("");
        report.line(String.format(Locale.ROOT, "- ideal (upserts only): ceil(%d / %d) × %d ms / %d = %.2f s", rows, BATCH_SIZE, delayMs,
                IN_FLIGHT, idealSeconds));
        for (boolean readBack : new boolean[] {false, true}) {
            Series s = series.get(readBack);
            Stats speedup = Stats.of(s.speedups());
            Stats ideal = Stats.of(s.overIdeal);
            String label = readBack ? "read-back on" : "read-back off";
            report.line("- " + label + ": **drain time " + Stats.of(s.drains).format("%.2f") + " s** for " + rows + " rows; "
                    + "extra SFMC calls (reads) per 1 000 rows " + Stats.of(s.readsPerThousand).format("%.1f")
                    + "; rows per upsert " + Stats.of(s.perRequest).format("%.1f"));
            report.line("  - one request per address (measured on " + sample + ", extrapolated to " + rows + "): "
                    + Stats.of(s.onePers).format("%.1f") + " s (" + rows + " × " + delayMs + " ms = " + fmt("%.1f", rows * delayMs / 1000.0) + " s)");
            report.line("  - **× faster than one-per-address: " + speedup.format("%.1f") + "**; goal ≥ 100: "
                    + verdict(options, speedup.median() >= 100));
            report.line("  - **drain / ideal: " + ideal.format("%.2f") + "**; goal ≤ 2: " + verdict(options, ideal.median() <= 2));
            report.line("  - load average (1 min) before each repeat: " + Stats.of(s.loads).format("%.2f"));
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < series.get(true).drains.size(); i++) {
            ratios.add(series.get(true).drains.get(i) / series.get(false).drains.get(i));
        }
        report.line("- **drain with read-back / without, per repeat: " + Stats.of(ratios).format("%.2f") + "**");
        report.line("- load average at the end: " + Machine.loadAverage());
    }

    /** One variant's measurements, one entry per repeat. */
    private static final class Series {
        final List<Double> loads = new ArrayList<>();
        final List<Double> onePers = new ArrayList<>();
        final List<Double> drains = new ArrayList<>();
        final List<Double> overIdeal = new ArrayList<>();
        final List<Double> perRequest = new ArrayList<>();
        final List<Double> readsPerThousand = new ArrayList<>();

        void add(double load, double onePer, double drain, double ideal, double rowsPerRequest, double reads) {
            loads.add(load);
            onePers.add(onePer);
            drains.add(drain);
            overIdeal.add(ideal);
            perRequest.add(rowsPerRequest);
            readsPerThousand.add(reads);
        }

        List<Double> speedups() {
            List<Double> speedups = new ArrayList<>();
            for (int i = 0; i < drains.size(); i++) {
                speedups.add(onePers.get(i) / drains.get(i));
            }
            return speedups;
        }
    }

    /**
     * Prefills all but the last row straight into the ledger (the flusher stays idle: checked), then
     * starts the clock, posts the last row through the API (its commit wakes the flusher) and waits
     * for suppression.ADDED (VERIFIED with read-back) = all. Returns {drain s, to first upsert s, service CPU s}.
     */
    static double[] drainOnce(ServiceProcess service, Postgres db, StandIn sfmc, String runId, List<Workload.Row> inactive,
                                      boolean readBack, long timeoutSeconds) throws Exception {
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
        String state = readBack ? "VERIFIED" : "ADDED";
        while (count(http, service.baseUri(), runId, state) < rows) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("suppression." + state + " did not reach " + rows + " in time; stand-in saw "
                        + sfmc.requests.get() + " upserts, " + sfmc.rows.get() + " rows, " + sfmc.reads.get() + " reads");
            }
            service.requireAlive();
            Thread.sleep(100);
        }
        double drain = (System.nanoTime() - start) / 1e9;
        double firstUpsert = (sfmc.firstNanos() - start) / 1e9;
        if (sfmc.rows.get() < rows) {
            throw new IllegalStateException(state + " = " + rows + " but the stand-in received only " + sfmc.rows.get() + " rows");
        }
        if (sfmc.refused.get() > 0) {
            throw new IllegalStateException("the stand-in refused " + sfmc.refused.get() + " reads (a filter or paging SFMC would not accept)");
        }
        if (readBack != (sfmc.reads.get() > 0)) {
            throw new IllegalStateException("read-back " + (readBack ? "on" : "off") + " but the stand-in saw " + sfmc.reads.get() + " reads");
        }
        return new double[] {drain, firstUpsert, service.cpuSeconds() - cpuBefore};
    }

    /** With --jfr, each repeat's service is recorded from its start: suppression-r{n}.jfr. */
    private static List<String> recording(BenchOptions options, int repeat, boolean readBack) throws IOException {
        if (!options.jfr()) {
            return List.of();
        }
        Files.createDirectories(options.results());
        return List.of("-XX:StartFlightRecording=filename=" + options.results().resolve("suppression-r" + repeat
                + (readBack ? "-read-back" : "") + ".jfr")
                + ",settings=profile,dumponexit=true");
    }

    /** The first {@code n} generated rows that are INACTIVE, mapped, and not a repeated address. */
    static List<Workload.Row> inactiveRows(String runId, int n) {
        List<Workload.Row> rows = new ArrayList<>(n);
        for (int g = 0; rows.size() < n; g++) {
            Workload.Row row = Workload.row(runId, g);
            if (row.inactive() && !row.target().isEmpty() && g % 50 != 49) {
                rows.add(row);
            }
        }
        return rows;
    }

    static Map<String, String> liveEnv(StandIn sfmc, boolean readBack) {
        return liveEnv(sfmc, BATCH_SIZE, IN_FLIGHT, readBack);
    }

    /** As {@link #liveEnv(StandIn, boolean)} with read-back off, and the given batch size and requests in flight. */
    static Map<String, String> liveEnv(StandIn sfmc, int batchSize, int inFlight) {
        return liveEnv(sfmc, batchSize, inFlight, false);
    }

    /** Live mode against the stand-in, periodic flush an hour away (a batch's commit wakes the flusher), no export timer. */
    private static Map<String, String> liveEnv(StandIn sfmc, int batchSize, int inFlight, boolean readBack) {
        Map<String, String> env = new HashMap<>();
        env.put("SUPPRESSION_MODE", "live");
        env.put("SFMC_CLIENT_ID", "bench");
        env.put("SFMC_CLIENT_SECRET", "bench");
        env.put("SFMC_AUTH_BASE_URI", sfmc.baseUri());
        env.put("SFMC_ALLOWED_TEST_HOSTS", java.net.URI.create(sfmc.baseUri()).getHost());
        env.put("SFMC_REST_BASE_URI", sfmc.baseUri() + "/");
        env.put("SFMC_UPSERT_BATCH_SIZE", String.valueOf(batchSize));
        env.put("SFMC_UPSERT_IN_FLIGHT", String.valueOf(inFlight));
        env.put("SFMC_FLUSH_INTERVAL", "1h");
        env.put("SFMC_VERIFY_WRITES", String.valueOf(readBack));
        env.put("NOTIFICATION_MARKETING_TO", "bench@example.org");
        env.put("NOTIFICATION_FROM", "bench@example.org");
        env.put("EXPORT_EVERY", "off");
        return env;
    }

    static long pending(Postgres db, String runId) throws Exception {
        try (var c = db.connect(); var s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM suppression_outbox WHERE state = 'PENDING' AND run_id = '" + runId + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long count(HttpClient http, String baseUri, String runId, String state) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create(baseUri + "/api/v1/runs/" + runId))
                .header("X-API-Key", ServiceProcess.API_KEY).timeout(Duration.ofSeconds(10)).GET().build();
        HttpResponse<String> response = http.send(get, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET run answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).path("suppression").path(state).asLong();
    }

    /**
     * The SFMC stand-in: {@code POST /v2/token} answers a token at once; every other POST (the
     * rowset upserts) stores its addresses and answers 200 {@code []} after the delay, slept on its
     * handler thread (64 threads, so concurrent requests are not serialised); a
     * {@code GET /data/v1/customobjectdata/key/{key}/rowset} with {@code $filter=Email Address in ('a','b')}
     * (at most 50) answers the stored rows among those addresses, with
     * {@code $filter=Date Added eq 'yyyy-MM-dd'} the stored rows of that date, a page of
     * {@code $pageSize} (1-2 500) at {@code $page} (from 1), in SFMC's shape, after the same delay; any
     * other read is answered 400 and counted as refused (the harness then fails the run). Counts
     * upserts, rows, reads (and those by date), and the most requests at once.
     */
    static final class StandIn implements AutoCloseable {

        private static final Pattern UPSERT = Pattern.compile("/hub/v1/dataevents/key:([^/]+)/rowset");
        private static final Pattern READ = Pattern.compile("/data/v1/customobjectdata/key/([^/]+)/rowset");
        private static final Pattern FILTER = Pattern.compile("Email Address in \\(('(?:[^']|'')*'(?:,'(?:[^']|'')*')*)\\)");
        private static final Pattern DATE_FILTER = Pattern.compile("Date Added eq '(\\d{4}-\\d{2}-\\d{2})'");
        private static final Pattern VALUE = Pattern.compile("'((?:[^']|'')*)'");

        private final LocalHttpServer server;
        private final int delayMs;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger rows = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger readsByDate = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        /** Per data extension, address to the Date Added of every row upserted. */
        private final Map<String, Map<String, String>> stored = new ConcurrentHashMap<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        private final AtomicLong firstNanos = new AtomicLong();
        private final AtomicLong lastNanos = new AtomicLong();
        private final AtomicLong lastUpsertNanos = new AtomicLong();

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
            reads.set(0);
            readsByDate.set(0);
            refused.set(0);
            stored.clear();
            maxInFlight.set(0);
            firstNanos.set(0);
            lastNanos.set(0);
            lastUpsertNanos.set(0);
        }

        /** From the first upsert received to the last answered since {@link #reset}. */
        long firstNanos() {
            return firstNanos.get();
        }

        double busySeconds() {
            return (lastNanos.get() - firstNanos.get()) / 1e9;
        }

        /** From the last upsert answered to the last request answered: what the reads add at the end. */
        double readTailSeconds() {
            return Math.max(0, lastNanos.get() - lastUpsertNanos.get()) / 1e9;
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
                String answer = "[]";
                int status = 200;
                boolean isUpsert = false;
                try {
                    Matcher read = READ.matcher(path);
                    if ("GET".equals(exchange.getRequestMethod()) && read.matches()) {
                        reads.incrementAndGet();
                        answer = found(read.group(1), exchange.getRequestURI().getRawQuery());
                        if (answer == null) {
                            refused.incrementAndGet();
                            status = 400;
                            answer = "{\"message\":\"Invalid filter or paging\",\"errorcode\":10000,\"documentation\":\"\"}";
                        }
                    } else {
                        Matcher upsert = UPSERT.matcher(path);
                        if (!upsert.matches()) {
                            throw new IllegalStateException("Unexpected request " + exchange.getRequestMethod() + " " + path);
                        }
                        JsonNode rowset = JSON.readTree(body);
                        rows.addAndGet(rowset.isArray() ? rowset.size() : 1);
                        Map<String, String> de = stored.computeIfAbsent(upsert.group(1), k -> new ConcurrentHashMap<>());
                        rowset.forEach(r -> de.put(r.path("keys").path("Email Address").asText(), r.path("values").path("Date Added").asText()));
                        requests.incrementAndGet();
                        isUpsert = true;
                    }
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inFlight.decrementAndGet();
                }
                answer(exchange, status, answer);
                long answered = System.nanoTime();
                lastNanos.accumulateAndGet(answered, Math::max);
                if (isUpsert) {
                    lastUpsertNanos.accumulateAndGet(answered, Math::max);
                }
            }
        }

        /** SFMC's rowset read answer: the stored rows the filter selects, one page; null for a read SFMC would refuse. */
        private String found(String key, String query) {
            Map<String, String> params = new HashMap<>();
            for (String part : query == null ? new String[0] : query.split("&")) {
                String[] pair = part.split("=", 2);
                if (pair.length == 2 && params.put(URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        URLDecoder.decode(pair[1], StandardCharsets.UTF_8)) != null) {
                    return null;
                }
            }
            String filter = params.get("$filter");
            int page = number(params.get("$page"));
            int pageSize = number(params.get("$pageSize"));
            if (filter == null || page < 1 || pageSize < 1 || pageSize > 2500) {
                return null;
            }
            Map<String, String> held = stored.getOrDefault(key, Map.of());
            List<String> selected = new ArrayList<>();
            Matcher in = FILTER.matcher(filter);
            Matcher byDate = DATE_FILTER.matcher(filter);
            if (in.matches()) {
                Matcher value = VALUE.matcher(in.group(1));
                while (value.find()) {
                    selected.add(value.group(1).replace("''", "'"));
                }
                if (selected.size() > 50) {
                    return null;
                }
                selected.removeIf(email -> !held.containsKey(email));
            } else if (byDate.matches()) {
                readsByDate.incrementAndGet();
                held.forEach((email, date) -> {
                    if (date.equals(byDate.group(1))) {
                        selected.add(email);
                    }
                });
                selected.sort(null);
            } else {
                return null;
            }
            StringBuilder items = new StringBuilder();
            int from = Math.min(selected.size(), (page - 1) * pageSize);
            for (String email : selected.subList(from, Math.min(selected.size(), from + pageSize))) {
                LocalDate date = LocalDate.parse(held.get(email));
                items.append(items.length() == 0 ? "" : ",").append("{\"keys\":{\"email address\":\"").append(email)
                        .append("\"},\"values\":{\"date added\":\"").append(date.getMonthValue()).append('/')
                        .append(date.getDayOfMonth()).append('/').append(date.getYear()).append(" 12:00:00 AM\"}}");
            }
            return "{\"customObjectKey\":\"" + key + "\",\"pageSize\":" + pageSize + ",\"page\":" + page + ",\"count\":"
                    + selected.size() + ",\"items\":[" + items + "]}";
        }

        private static int number(String value) {
            try {
                return value == null ? -1 : Integer.parseInt(value);
            } catch (NumberFormatException e) {
                return -1;
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
