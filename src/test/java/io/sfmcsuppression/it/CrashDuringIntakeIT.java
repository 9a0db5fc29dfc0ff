package io.sfmcsuppression.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.PackagedApp;

/**
 * kill -9 while four clients post batches: after a restart every batch answered 202 is there in
 * full, and no batch is there in part. Each batch is its own run, so a run's count tells it all.
 */
class CrashDuringIntakeIT {

    private static final int ITEMS = 200;

    @Test
    void afterAKillEveryAcknowledgedBatchIsCompleteAndNoBatchIsPartial() throws Exception {
        try (PackagedApp app = PackagedApp.fresh("crash").start()) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Map<String, Integer> answers = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService clients = Executors.newFixedThreadPool(4);
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.submit(() -> {
                    for (int b = 0; b < 10_000 && !stop.get(); b++) {
                        String run = "crash-" + client + "-" + b;
                        answers.put(run, post(http, app, run));
                    }
                    return null;
                });
            }
            await("twelve batches acknowledged").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> answers.values().stream().filter(s -> s == 202).count() >= 12);
            app.kill();
            stop.set(true);
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            app.start();
            ObjectMapper json = new ObjectMapper();
            int acknowledged = 0;
            for (Map.Entry<String, Integer> answer : answers.entrySet()) {
                HttpResponse<String> run = http.send(HttpRequest.newBuilder(URI.create(app.baseUri() + "/api/v1/runs/" + answer.getKey()))
                        .header("X-API-Key", PackagedApp.API_KEY).build(), HttpResponse.BodyHandlers.ofString());
                long stored = run.statusCode() == 404 ? 0 : json.readTree(run.body()).path("counts").path("INACTIVE").asLong();
                if (answer.getValue() == 202) {
                    acknowledged++;
                    assertThat(stored).as("acknowledged batch %s", answer.getKey()).isEqualTo(ITEMS);
                } else {
                    assertThat(stored).as("unacknowledged batch %s", answer.getKey()).isIn(0L, (long) ITEMS);
                }
            }
            assertThat(acknowledged).isGreaterThanOrEqualTo(12);
            assertThat(answers.values()).as("some batches were cut off by the kill").anyMatch(s -> s != 202);
        }
    }

    private static int post(HttpClient http, PackagedApp app, String run) {
        Batches batch = Batches.batch("2026-11-23");
        for (int i = 0; i < ITEMS; i++) {
            batch.inactive(run + "/" + i, "p" + i + "@" + run + ".example.org", "Acme Weekly");
        }
        try {
            return http.send(HttpRequest.newBuilder(URI.create(app.baseUri() + "/api/v1/runs/" + run + "/determinations"))
                            .header("X-API-Key", PackagedApp.API_KEY).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(20))
                            .POST(HttpRequest.BodyPublishers.ofString(batch.json())).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

}
