package io.sfmcsuppression.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A client of the service's intake endpoint: one HTTP/1.1 connection, one batch at a time. */
final class HttpIntake implements Load.Client {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUri;

    HttpIntake(String baseUri) {
        this.baseUri = baseUri;
    }

    @Override
    public int send(Workload.Batch batch) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri + "/api/v1/runs/" + batch.runId() + "/determinations"))
                .header("Content-Type", "application/json")
                .header("X-API-Key", ServiceProcess.API_KEY)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new IllegalStateException("Batch answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode answer = JSON.readTree(response.body());
        int stored = answer.path("accepted").asInt() + answer.path("duplicates").asInt();
        if (stored != batch.rows().size()) {
            throw new IllegalStateException("Batch of " + batch.rows().size() + " answered " + response.body());
        }
        return answer.path("accepted").asInt();
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() before Java 21; its connections die with it
    }
}
