package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sfmcsuppression.sfmc.LiveSfmcClient;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.DataExtensionStandIn;
import io.sfmcsuppression.support.InjectWireMock;
import io.sfmcsuppression.support.LiveSfmcProfile;
import io.sfmcsuppression.support.SfmcWireMock;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/**
 * DESIGN rule 4 and the section 3 improvement end to end, in live mode against the strict WireMock
 * SFMC: what SFMC answers decides each row's state, the state decides the internal file's
 * {@code suppression_status} and {@code sfmc_suppression_added}, and rows the export found pending
 * are retried afterwards. Nothing is set by SQL; the run is completed through the API and the file
 * downloaded through it.
 */
@QuarkusTest
@TestProfile(SfmcAnswerToCsvTest.ExportsWithoutWaiting.class)
class SfmcAnswerToCsvTest {

    /**
     * {@link LiveSfmcProfile} with {@code export.max-wait} zero, so the export that completing a run
     * triggers writes the files at once, pending rows as pending; enough attempts (each at most a
     * second apart) that a failing SFMC leaves rows PENDING for the test's length; the N04 recipients
     * set, so that the (mock) mail is sent and the run ends NOTIFIED.
     */
    public static class ExportsWithoutWaiting extends LiveSfmcProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("export.max-wait", "PT0S");
            overrides.put("sfmc.max-attempts", "20");
            overrides.put("sfmc.retry-backoff-max", "PT1S");
            overrides.put("notification.marketing-to", "marketing-team@example.org");
            overrides.put("notification.from", "suppression-service@example.org");
            return overrides;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final String RUN_DATE = "2026-11-23";
    private static final String INTERNAL = "output_document_inactive_people.csv";

    @InjectWireMock
    WireMockServer wm;

    @InjectWireMock
    DataExtensionStandIn dataExtensions;

    @Inject
    LiveSfmcClient live;

    @Inject
    CircuitBreakerMaintenance breakers;

    private String run;
    private String tag;

    @BeforeEach
    void freshSfmc() {
        SfmcWireMock.restoreDefaults(wm);
        dataExtensions.clear();
        live.forgetToken();
        // The upsert's circuit breaker counts the 503s of one test; a test that failed with SFMC down
        // would otherwise leave it open for the next.
        breakers.resetAll();
        run = "csv-" + UUID.randomUUID();
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    private String email(int i) {
        return "p" + i + "-" + tag + "@acme.org";
    }

    @Test
    void rule4_sfmcsAnswerDecidesTheRowStateAndTheInternalCsvsSfmcSuppressionAdded() throws IOException {
        String bad = email(3);
        String message = "Email: The value for column [Email Address] is not a valid email address. Parse error [InvalidEmailAddress]";
        wm.stubFor(WireMock.post("/hub/v1/dataevents/key:ASL_GLOBEX/rowset").atPriority(1)
                .withRequestBody(WireMock.containing(bad))
                .willReturn(WireMock.jsonResponse("{\"message\":\"Unable to save rows for data extension ID 1f2e\","
                        + "\"errorcode\":10006,\"documentation\":\"\",\"additionalErrors\":[{\"message\":\"" + message
                        + "\",\"errorcode\":10000,\"documentation\":\"\"}]}", 400)));
        List<String> all = IntStream.rangeClosed(1, 5).mapToObj(this::email).toList();
        List<String> good = all.stream().filter(e -> !e.equals(bad)).toList();

        var b = batch(RUN_DATE);
        IntStream.rangeClosed(1, 5).forEach(i -> b.inactive(run + "/" + i, email(i), "Globex News"));
        postBatch(run, b.json()).statusCode(202);
        awaitSettled();
        Api.complete(run).statusCode(202);
        awaitState("NOTIFIED");

        Map<String, CSVRecord> rows = internalRows();
        assertThat(rows).containsOnlyKeys(all);
        for (String accepted : good) {
            CSVRecord row = rows.get(accepted);
            assertThat(row.get("data_extension_key")).as(accepted).isEqualTo("ASL_GLOBEX");
            assertThat(row.get("suppression_status")).as(accepted).isEqualTo("VERIFIED");
            assertThat(row.get("sfmc_suppression_added")).as(accepted).isEqualTo("Yes");
            assertThat(row.get("detail")).as(accepted).isEmpty();
        }
        CSVRecord refused = rows.get(bad);
        assertThat(refused.get("data_extension_key")).isEqualTo("ASL_GLOBEX");
        assertThat(refused.get("suppression_status")).isEqualTo("FAILED");
        assertThat(refused.get("sfmc_suppression_added")).isEqualTo("No");
        assertThat(refused.get("detail")).isEqualTo(
                "SFMC 400 errorcode 10006: Unable to save rows for data extension ID 1f2e; " + message);

        // What SFMC received: one request of all five (answered 400), no other address; the requests
        // answered 200 held only good rows, together exactly the four; every one with the bad row got 400.
        List<Upsert> upserts = upserts("ASL_GLOBEX");
        assertThat(upserts).anySatisfy(u -> {
            assertThat(u.addresses()).containsExactlyInAnyOrderElementsOf(all);
            assertThat(u.status()).isEqualTo(400);
        });
        assertThat(upserts.stream().flatMap(u -> u.addresses().stream()).collect(Collectors.toSet()))
                .isEqualTo(Set.copyOf(all));
        assertThat(upserts.stream().filter(u -> u.status() == 200).flatMap(u -> u.addresses().stream())
                .collect(Collectors.toSet())).isEqualTo(Set.copyOf(good));
        assertThat(upserts.stream().filter(u -> u.addresses().contains(bad))).isNotEmpty()
                .allSatisfy(u -> assertThat(u.status()).isEqualTo(400));
        assertThat(upserts.stream().filter(u -> u.status() != 200 && u.status() != 400)).isEmpty();
    }

    @Test
    void pendingRowsExportedAsPendingAreRetriedAfterwardsAndEndVerified() throws IOException {
        StubMapping down = wm.stubFor(WireMock.post("/hub/v1/dataevents/key:ASL_HOOLI/rowset").atPriority(1)
                .willReturn(WireMock.jsonResponse("{\"message\":\"Service Unavailable\",\"errorcode\":0}", 503)));
        List<String> all = IntStream.rangeClosed(1, 3).mapToObj(this::email).toList();
        var b = batch(RUN_DATE);
        IntStream.rangeClosed(1, 3).forEach(i -> b.inactive(run + "/" + i, email(i), "Hooli"));

        postBatch(run, b.json()).statusCode(202);
        await("SFMC tried and answered 503").atMost(PATIENCE).until(() -> !upserts("ASL_HOOLI").isEmpty());
        Api.complete(run).statusCode(202);
        awaitState("NOTIFIED");

        Map<String, CSVRecord> rows = internalRows();
        assertThat(rows).containsOnlyKeys(all);
        for (String address : all) {
            CSVRecord row = rows.get(address);
            assertThat(row.get("data_extension_key")).as(address).isEqualTo("ASL_HOOLI");
            assertThat(row.get("suppression_status")).as(address).isEqualTo("PENDING");
            assertThat(row.get("sfmc_suppression_added")).as(address).isEqualTo("No");
            assertThat(row.get("detail")).as(address).isEqualTo("not yet confirmed by SFMC when exported; retried afterwards");
        }
        JsonPath exported = Api.run(run).statusCode(200).extract().jsonPath();
        assertThat(exported.getLong("suppression.PENDING")).isEqualTo(3);
        assertThat(upserts("ASL_HOOLI")).allSatisfy(u -> assertThat(u.status()).isEqualTo(503));
        Instant completedAt = Instant.parse(exported.getString("completedAt"));

        wm.removeStub(down);

        await("the rows exported as pending to be verified").atMost(PATIENCE).until(() -> {
            JsonPath view = Api.run(run).statusCode(200).extract().jsonPath();
            return view.getLong("suppression.VERIFIED") == 3 && view.getLong("suppression.PENDING") == 0;
        });
        JsonPath after = Api.run(run).statusCode(200).extract().jsonPath();
        assertThat(after.getLong("suppression.FAILED")).isZero();
        assertThat(after.getLong("suppression.ADDED")).isZero();
        assertThat(after.getString("state")).isEqualTo("NOTIFIED");
        for (String address : all) {
            JsonPath found = as(READ_KEY).contentType(ContentType.JSON).body(Map.of("address", address))
                    .when().post("/api/v1/suppressions/lookup").then().statusCode(200).extract().jsonPath();
            assertThat(found.getList("items.runId")).as(address).containsExactly(run);
            assertThat(found.getList("items.state")).as(address).containsExactly("VERIFIED");
            assertThat(found.getList("items.dataExtensionKey")).as(address).containsExactly("ASL_HOOLI");
        }
        // SFMC's 200s came after the run was completed and exported, for exactly these rows.
        List<Upsert> answered200 = upserts("ASL_HOOLI").stream().filter(u -> u.status() == 200).toList();
        assertThat(answered200).isNotEmpty().allSatisfy(u -> assertThat(u.at()).isAfter(completedAt));
        assertThat(answered200.stream().flatMap(u -> u.addresses().stream()).collect(Collectors.toSet()))
                .isEqualTo(Set.copyOf(all));
        assertThat(upserts("ASL_HOOLI").stream().filter(u -> u.status() != 200 && u.status() != 503)).isEmpty();
    }

    /** No row PENDING and none ADDED waiting for its read-back, as the run's view counts them. */
    private void awaitSettled() {
        await("no unsettled rows in run " + run).atMost(PATIENCE).until(() -> {
            JsonPath view = Api.run(run).statusCode(200).extract().jsonPath();
            Map<String, Object> counts = view.getMap("suppression");
            return ((Number) counts.get("PENDING")).longValue() == 0
                    && ((Number) counts.getOrDefault("ADDED_AWAITING_READ_BACK", 0)).longValue() == 0;
        });
    }

    private void awaitState(String state) {
        await("run " + run + " " + state).atMost(PATIENCE)
                .until(() -> state.equals(Api.run(run).statusCode(200).extract().path("state")));
    }

    /** The internal file as downloaded, by address (one determination per address here). */
    private Map<String, CSVRecord> internalRows() throws IOException {
        String csv = as(READ_KEY).when().get("/api/v1/runs/{run}/deliverables/{file}", run, INTERNAL)
                .then().statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords();
        for (CSVRecord r : records) {
            assertThat(r.get("run_id")).isEqualTo(run);
        }
        Map<String, CSVRecord> byAddress = records.stream().collect(Collectors.toMap(r -> r.get("email"), r -> r));
        assertThat(byAddress).hasSameSizeAs(records);
        return byAddress;
    }

    /** One rowset request of this test's rows: its addresses, SFMC's status, when it was received. */
    private record Upsert(List<String> addresses, int status, Instant at) {
    }

    /** Rowset requests to {@code key} that carry this test's addresses, oldest first. */
    private List<Upsert> upserts(String key) {
        List<Upsert> upserts = new ArrayList<>();
        for (ServeEvent event : wm.getAllServeEvents()) {
            if (!event.getRequest().getUrl().equals("/hub/v1/dataevents/key:" + key + "/rowset")
                    || !event.getRequest().getBodyAsString().contains(tag)) {
                continue;
            }
            List<String> addresses = StreamSupport.stream(body(event.getRequest().getBodyAsString()).spliterator(), false)
                    .map(n -> n.get("keys").get("Email Address").asText()).toList();
            upserts.add(new Upsert(addresses, event.getResponse().getStatus(),
                    event.getRequest().getLoggedDate().toInstant()));
        }
        upserts.sort(java.util.Comparator.comparing(Upsert::at));
        return upserts;
    }

    private static JsonNode body(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
