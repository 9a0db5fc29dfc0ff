package io.sfmcsuppression.bench;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static io.sfmcsuppression.bench.IntakeFigure.fmt;
import static io.sfmcsuppression.bench.IntakeFigure.verdict;

/**
 * Consent: how long {@code POST /api/v1/consent/validate} takes for N subscriber keys on a
 * newsletter send (account, publication-list and global checks) against a SOAP stand-in
 * ({@link SoapStandIn}) that answers every call after a fixed delay (50 ms), against one Retrieve
 * per key to the same stand-in. Goal: at least 50 × faster than one Retrieve per key.
 *
 * <p>Per repeat: a fresh database and service (live mode, token and SOAP host from the stand-in);
 * a first validation (cold: token, list lookup, JIT) is the figure, a second one of other keys in
 * the same service (warm) is reported beside it. Every answer is checked key by key against the
 * stand-in's state ({@link SoapStandIn#expected}). The baseline is a sample of sequential
 * single-key {@code Retrieve Subscriber} calls (after 10 untimed ones) over one kept-alive
 * connection, extrapolated to N; its floor N × delay is printed beside it.
 */
final class ConsentFigure implements Figure {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLASSIFICATION = "MARKETING_NEWSLETTER";

    /** One validation: wall seconds, SOAP calls it made (by object type), service CPU seconds. */
    record Validation(double seconds, int calls, Map<String, Integer> callsByType, double cpuSeconds) {
    }

    @Override
    public String name() {
        return "consent";
    }

    @Override
    public void run(BenchOptions options, Report report) throws Exception {
        int keys = options.smoke() ? 200 : 10_000;
        int delayMs = options.smoke() ? 5 : 50;
        int sample = options.smoke() ? 20 : 200;
        int repeats = options.repeatsOr(3);
        Path work = Files.createTempDirectory("bench-consent");
        report.line("");
        report.line("## Consent");
        report.line("");
        report.line(String.format(Locale.ROOT, "Bulk validation of %d keys (send classification %s: account, publication list, global "
                + "opt-out from SentEvent/NotSentEvent) against a SOAP stand-in answering every call after %d ms; service in live "
                + "mode, fresh database and service per repeat; first validation (cold) is the figure, a second one of other keys (warm) "
                + "beside it; every decision checked against the stand-in's state. One-Retrieve-per-key baseline: %d sequential "
                + "single-key Retrieve Subscriber calls (after 10 untimed) to the same stand-in, extrapolated to %d (floor %d × %d ms = "
                + "%.0f s). %d repeats%s.", keys, CLASSIFICATION, delayMs, sample, keys, keys, delayMs, keys * delayMs / 1000.0, repeats,
                options.jfr() ? "; JFR on" : ""));
        report.line("");
        report.table("repeat", "load 1m before", "one Retrieve per key s (extrapolated)", "per call ms", "validation s (cold)",
                "SOAP calls", "service CPU s", "validation s (warm)", "× faster (cold)", "× faster (warm)", "× faster than the floor (cold)");
        List<Double> baselines = new ArrayList<>();
        List<Double> colds = new ArrayList<>();
        List<Double> warms = new ArrayList<>();
        List<Double> speedups = new ArrayList<>();
        List<Double> warmSpeedups = new ArrayList<>();
        List<Double> floorSpeedups = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        double floor = keys * delayMs / 1000.0;
        Map<String, Integer> lastCalls = Map.of();
        try (SoapStandIn sfmc = new SoapStandIn(delayMs)) {
            for (int r = 1; r <= repeats; r++) {
                double load = Machine.load1();
                List<String> cold = keys("r" + r + "a", keys);
                List<String> warm = keys("r" + r + "b", keys);
                double perKey = PerKeyRetrieve.seconds(sfmc.baseUri(), cold, sample) / sample;
                double baseline = perKey * keys;
                Validation first;
                Validation second;
                try (Postgres db = Postgres.throwaway("consent");
                     ServiceProcess service = ServiceProcess.service(options, db, work, options.recording("consent-r" + r), liveEnv(sfmc))) {
                    first = validate(service, sfmc, cold);
                    second = validate(service, sfmc, warm);
                }
                lastCalls = first.callsByType();
                baselines.add(baseline);
                colds.add(first.seconds());
                warms.add(second.seconds());
                speedups.add(baseline / first.seconds());
                warmSpeedups.add(baseline / second.seconds());
                floorSpeedups.add(floor / first.seconds());
                loads.add(load);
                report.row(r, fmt("%.2f", load), fmt("%.1f", baseline), fmt("%.1f", perKey * 1000), fmt("%.2f", first.seconds()),
                        first.calls(), fmt("%.2f", first.cpuSeconds()), fmt("%.2f", second.seconds()),
                        fmt("%.0f", baseline / first.seconds()), fmt("%.0f", baseline / second.seconds()), fmt("%.0f", floor / first.seconds()));
            }
        }
        Stats speedup = Stats.of(speedups);
        report.line("");
        report.line("- SOAP calls of one cold validation, by object type: " + lastCalls);
        report.line("- one Retrieve per key (measured on " + sample + ", extrapolated to " + keys + "): " + Stats.of(baselines).format("%.1f")
                + " s (floor " + keys + " × " + delayMs + " ms = " + fmt("%.0f", floor) + " s)");
        report.line("- **validation of " + keys + " keys, cold: " + Stats.of(colds).format("%.2f") + " s**; warm: " + Stats.of(warms).format("%.2f") + " s");
        report.line("- **× faster than one Retrieve per key (cold): " + speedup.format("%.0f") + "**; goal ≥ 50: "
                + verdict(options, speedup.median() >= 50) + "; warm: " + Stats.of(warmSpeedups).format("%.0f")
                + "; against the floor " + fmt("%.0f", floor) + " s (cold): " + Stats.of(floorSpeedups).format("%.0f"));
        report.line("- load average (1 min) before each repeat: " + Stats.of(loads).format("%.2f") + "; at the end: " + Machine.loadAverage());
    }

    /** Posts one validation and checks every decision against the stand-in's state. */
    private static Validation validate(ServiceProcess service, SoapStandIn sfmc, List<String> keys) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("send", Map.of("classification", CLASSIFICATION));
        body.put("subscriberKeys", keys);
        HttpRequest post = HttpRequest.newBuilder(URI.create(service.baseUri() + "/api/v1/consent/validate"))
                .header("X-API-Key", ServiceProcess.API_KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(10)).POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        sfmc.reset();
        double cpuBefore = service.cpuSeconds();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = http.send(post, HttpResponse.BodyHandlers.ofByteArray());
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = service.cpuSeconds() - cpuBefore;
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST consent/validate answered " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        JsonNode results = JSON.readTree(response.body()).path("results");
        if (results.size() != keys.size()) {
            throw new IllegalStateException("Expected " + keys.size() + " results, got " + results.size());
        }
        for (int i = 0; i < keys.size(); i++) {
            JsonNode result = results.get(i);
            String expected = SoapStandIn.expected(keys.get(i));
            String blockedBy = result.path("blockedBy").isNull() ? "" : result.path("blockedBy").asText();
            if (!keys.get(i).equals(result.path("subscriberKey").asText()) || !expected.equals(blockedBy)
                    || result.path("eligible").asBoolean() != expected.isEmpty()) {
                throw new IllegalStateException("Decision " + i + " differs from the stand-in's state (expected blockedBy '" + expected
                        + "'): " + result);
            }
        }
        Map<String, Integer> byType = new TreeMap<>();
        sfmc.callsByType.forEach((type, n) -> byType.put(type, n.get()));
        return new Validation(seconds, sfmc.calls.get(), byType, cpu);
    }

    /** Distinct e-mail keys, the kind SFMC accounts with email subscriber keys hold. */
    private static List<String> keys(String prefix, int n) {
        List<String> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            keys.add("subscriber." + prefix + "." + i + "@example" + (i % 97) + ".com");
        }
        return keys;
    }

    private static Map<String, String> liveEnv(SoapStandIn sfmc) {
        Map<String, String> env = new HashMap<>();
        env.put("SUPPRESSION_MODE", "live");
        env.put("SFMC_CLIENT_ID", "bench");
        env.put("SFMC_CLIENT_SECRET", "bench");
        env.put("SFMC_AUTH_BASE_URI", sfmc.baseUri());
        env.put("SFMC_ALLOWED_TEST_HOSTS", java.net.URI.create(sfmc.baseUri()).getHost());
        env.put("SECURITY_API_KEYS_BENCH_ROLES", "ingest,read,consent");
        env.put("NOTIFICATION_MARKETING_TO", "bench@example.org");
        env.put("NOTIFICATION_FROM", "bench@example.org");
        env.put("EXPORT_EVERY", "off");
        return env;
    }
}
