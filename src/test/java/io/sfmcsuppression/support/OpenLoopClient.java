package io.sfmcsuppression.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * HTTP calls to a packaged jar that never wait for their answer (an open-loop load: a slow service
 * gets more requests in flight, not fewer requests). Keeps every latency by kind of request, with
 * the time it was sent, and every answer other than 2xx (or no answer) as an error.
 */
public final class OpenLoopClient {

    /** One answered request: its kind, when it was sent (ns since the client began) and how long it took. */
    public record Answer(String kind, long sentAt, long nanos) {
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final PackagedApp app;
    private final long begin = System.nanoTime();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<CompletableFuture<?>> inFlight = Collections.synchronizedList(new ArrayList<>());

    public OpenLoopClient(PackagedApp app) {
        this.app = app;
    }

    /** POST with a JSON body, or with none when {@code json} is null. */
    public HttpRequest post(String path, String json) {
        HttpRequest.Builder request = request(path);
        return json == null ? request.POST(HttpRequest.BodyPublishers.noBody()).build()
                : request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    public HttpRequest get(String path) {
        return request(path).GET().build();
    }

    /** Sends without waiting; {@code onSuccess} (may be null) runs after a 2xx. */
    public CompletableFuture<?> send(String kind, HttpRequest request, Runnable onSuccess) {
        long sent = System.nanoTime();
        CompletableFuture<?> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            answers.add(new Answer(kind, sent - begin, System.nanoTime() - sent));
            if (failure != null) {
                errors.add(kind + " " + request.uri().getPath() + ": " + failure);
            } else if (response.statusCode() / 100 != 2) {
                errors.add(kind + " " + request.uri().getPath() + ": " + response.statusCode() + " " + response.body());
            } else if (onSuccess != null) {
                onSuccess.run();
            }
            return null;
        });
        track(answer);
        return answer;
    }

    /** Work that ends in requests of its own (a complete after a run's batches): waited for like a request. */
    public void track(CompletableFuture<?> work) {
        inFlight.add(work);
    }

    /** Waits until every request sent so far has its answer. */
    public void awaitAnswers(Duration limit) throws Exception {
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Per kind of request: count, p50, p99 and max; then the total and its rate over {@code seconds}. */
    public String summary(double seconds) {
        StringBuilder out = new StringBuilder();
        Map<String, List<Long>> byKind = new TreeMap<>();
        answers.forEach(a -> byKind.computeIfAbsent(a.kind(), k -> new ArrayList<>()).add(a.nanos()));
        for (Map.Entry<String, List<Long>> kind : byKind.entrySet()) {
            List<Long> sorted = kind.getValue().stream().sorted().toList();
            out.append(String.format("  %-8s %6d requests, p50 %6.1f ms, p99 %7.1f ms, max %7.1f ms%n", kind.getKey(), sorted.size(),
                    ms(sorted.get(sorted.size() / 2)), ms(sorted.get((int) (sorted.size() * 0.99))), ms(sorted.get(sorted.size() - 1))));
        }
        out.append(String.format("  %d requests, %.1f/s, %d errors%n", answers.size(), answers.size() / seconds, errors.size()));
        return out.toString();
    }

    /** p50/max latency (ms) of one kind in each of {@code parts} equal slices of {@code seconds}: does it hold over time? */
    public String timeline(String kind, double seconds, int parts) {
        StringBuilder out = new StringBuilder();
        long slice = (long) Math.ceil(seconds / parts * 1e9);
        for (int part = 0; part < parts; part++) {
            long from = part * slice;
            List<Long> window = answers.stream().filter(a -> a.kind().equals(kind) && a.sentAt() >= from && a.sentAt() < from + slice)
                    .map(Answer::nanos).sorted().toList();
            if (!window.isEmpty()) {
                out.append(String.format(" %.0f/%.0f", ms(window.get(window.size() / 2)), ms(window.get(window.size() - 1))));
            }
        }
        return out.toString();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(app.baseUri() + path)).timeout(Duration.ofSeconds(30))
                .header("X-API-Key", PackagedApp.API_KEY);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
