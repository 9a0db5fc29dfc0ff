package io.sfmcsuppression.suppressions;

import static io.sfmcsuppression.support.Api.OPERATE_KEY;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.support.CapturedLog;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.suppression.SuppressionOutbox;

/** GET /api/v1/suppressions and POST /lookup in dry-run: filters, provenance, paging, the CSV stream. */
@QuarkusTest
class SuppressionListTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Inject
    Database db;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    SuppressionOutbox outbox;

    private String tag;
    private String list;

    @BeforeEach
    void fresh() {
        tag = UUID.randomUUID().toString().substring(0, 8);
        list = "ASL_T_" + tag;
    }

    @AfterEach
    void removeBulkRows() {
        db.execute("DELETE FROM suppression_outbox WHERE target = ?", list);
    }

    @Test
    void eachOriginShowsInTheListWithItsOwnDetail() {
        String run = "prov-" + tag;
        postBatch(run, batch("2026-11-23").item(run + "/1", "Prov-" + tag + "@acme.org", "INACTIVE", "accountName", "Acme Weekly",
                "businessUnit", "Sales").json()).statusCode(202);
        outbox.requestOutsideRun("ASL_ACME", "global-" + tag + "@acme.org", "consent", LocalDate.parse("2026-11-23"), Instant.now());
        as(OPERATE_KEY).contentType(ContentType.JSON)
                .body(Map.of("dataExtension", "ASL_ACME", "address", "Op-" + tag + "@acme.org", "reason", "asked by phone"))
                .when().post("/api/v1/suppressions").then().statusCode(200).body("queued", equalTo(true));
        as(OPERATE_KEY).contentType("text/csv").body("Email Address\r\nimp-" + tag + "@acme.org\r\n")
                .queryParam("dataExtension", "ASL_ACME").queryParam("file", "legacy.csv").queryParam("reason", "old ESP")
                .when().post("/api/v1/suppressions/import").then().statusCode(200).body("queued", equalTo(1));

        JsonPath classifier = lookup("prov-" + tag + "@acme.org");
        assertThat(classifier.getString("items[0].origin.kind")).isEqualTo("classifier");
        assertThat(classifier.getString("items[0].origin.determinationId")).isEqualTo(run + "/1");
        assertThat(classifier.getString("items[0].origin.runId")).isEqualTo(run);
        assertThat(classifier.getString("items[0].businessUnit")).isEqualTo("Sales");
        assertThat(lookup("global-" + tag + "@acme.org").getString("items[0].origin.kind")).isEqualTo("consent-global");
        JsonPath operator = lookup("op-" + tag + "@acme.org");
        assertThat(operator.getString("items[0].origin.kind")).isEqualTo("operator");
        assertThat(operator.getString("items[0].origin.keyName")).isEqualTo("operator");
        assertThat(operator.getString("items[0].origin.note")).isEqualTo("asked by phone");
        JsonPath imported = lookup("imp-" + tag + "@acme.org");
        assertThat(imported.getString("items[0].origin.kind")).isEqualTo("import");
        assertThat(imported.getString("items[0].origin.file")).isEqualTo("legacy.csv");
        assertThat(imported.getInt("items[0].origin.line")).isEqualTo(2);

        as(READ_KEY).queryParam("origin", "operator").queryParam("dataExtension", "ASL_ACME").queryParam("limit", "1000")
                .when().get("/api/v1/suppressions").then().statusCode(200)
                .body("items.findAll { it.email == 'op-" + tag + "@acme.org' }", hasSize(1))
                .body("items.findAll { it.origin.kind != 'operator' }", hasSize(0));
        as(READ_KEY).queryParam("businessUnit", "Sales").queryParam("address", "prov-" + tag + "@acme.org")
                .when().get("/api/v1/suppressions").then().statusCode(200).body("items", hasSize(1));
        as(READ_KEY).queryParam("businessUnit", "Marketing").queryParam("address", "prov-" + tag + "@acme.org")
                .when().get("/api/v1/suppressions").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void filtersByStateReasonAndCreationTime() {
        long old = insert(list, "old-" + tag + "@acme.org", "FAILED", null, Instant.parse("2026-10-01T12:00:00Z"));
        long recent = insert(list, "new-" + tag + "@acme.org", "SKIPPED", "MOCK_CLIENT", Instant.parse("2026-11-20T12:00:00Z"));

        assertThat(ids(Map.of("dataExtension", list, "state", "failed"))).containsExactly(old);
        assertThat(ids(Map.of("dataExtension", list, "reason", "MOCK_CLIENT"))).containsExactly(recent);
        assertThat(ids(Map.of("dataExtension", list, "createdFrom", "2026-11-01"))).containsExactly(recent);
        assertThat(ids(Map.of("dataExtension", list, "createdTo", "2026-10-01"))).containsExactly(old);
        assertThat(ids(Map.of("dataExtension", list, "createdFrom", "2026-10-01T12:00:00Z", "createdTo", "2026-11-20T12:00:00Z")))
                .containsExactly(old);
        assertThat(ids(Map.of("dataExtension", list))).containsExactly(recent, old);

        as(READ_KEY).queryParam("state", "GONE").when().get("/api/v1/suppressions").then().statusCode(400);
        as(READ_KEY).queryParam("limit", "abc").when().get("/api/v1/suppressions").then().statusCode(400);
        as(READ_KEY).queryParam("limit", "0").when().get("/api/v1/suppressions").then().statusCode(400);
        as(READ_KEY).queryParam("cursor", "not-ours").when().get("/api/v1/suppressions").then().statusCode(400);
        as(READ_KEY).queryParam("createdFrom", "yesterday").when().get("/api/v1/suppressions").then().statusCode(400);
    }

    @Test
    void pagingWhileRowsAreAddedListsEveryEarlierRowOnceNewestFirst() throws Exception {
        List<Long> before = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            before.add(insert(list, "page" + i + "-" + tag + "@acme.org", "VERIFIED", null, Instant.now()));
        }
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 200; i++) {
                insert(list, "late" + i + "-" + tag + "@acme.org", "PENDING", null, Instant.now());
            }
        });
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(READ_KEY).queryParam("dataExtension", list).queryParam("limit", "20");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.when().get("/api/v1/suppressions").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id", Long.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        writer.get();

        assertThat(pages).isGreaterThan(10);
        assertThat(new HashSet<>(seen)).as("no row twice").hasSameSizeAs(seen);
        assertThat(seen).as("every row that existed before the first page").containsAll(before);
        assertThat(seen).as("newest first").isSortedAccordingTo((a, b) -> Long.compare(b, a));
    }

    @Test
    void theCsvStreamsAHundredThousandRowsOfTheFilteredList() throws Exception {
        int rows = 100_000;
        bulkInsert(list, rows);
        long started = System.nanoTime();
        InputStream body = as(READ_KEY).accept("text/csv").queryParam("dataExtension", list)
                .when().get("/api/v1/suppressions").then().statusCode(200).contentType("text/csv")
                .header("Content-Disposition", "attachment; filename=\"suppressions.csv\"")
                .extract().asInputStream();
        int lines = 0;
        String header;
        String first;
        String last = null;
        Set<String> emails = new HashSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            header = reader.readLine();
            first = reader.readLine();
            for (String line = first; line != null; line = reader.readLine()) {
                lines++;
                emails.add(line.split(",")[1]);
                last = line;
            }
        }
        System.out.printf("CSV of %d rows streamed in %d ms%n", lines, (System.nanoTime() - started) / 1_000_000);
        assertThat(header).startsWith("\"id\",\"email\",\"data_extension_key\",\"business_unit\"");
        assertThat(lines).isEqualTo(rows);
        assertThat(emails).hasSize(rows);
        assertThat(first).contains("\"bulk" + (rows - 1) + "-" + tag + "@acme.org\"", "\"" + list + "\"", "\"VERIFIED\"", "\"import\"",
                "\"bulk.csv\"");
        assertThat(last).contains("\"bulk0-" + tag + "@acme.org\"");
    }

    @Test
    void aLookupTakesTheAddressInTheBodyAndNoLogLineHoldsIt() {
        String address = "Secret.Person-" + tag + "@masked.example.org";
        insert(list, address.toLowerCase(), "VERIFIED", null, Instant.now());
        try (CapturedLog log = CapturedLog.open()) {
            as(READ_KEY).contentType(ContentType.JSON).body(Map.of("address", address))
                    .when().post("/api/v1/suppressions/lookup").then().statusCode(200)
                    .body("items", hasSize(1)).body("items[0].email", equalTo(address.toLowerCase()))
                    .body("items[0].dataExtensionKey", equalTo(list)).body("nextCursor", nullValue());
            as(READ_KEY).queryParam("address", address).queryParam("state", "nope")
                    .when().get("/api/v1/suppressions").then().statusCode(400);
            await("two access log lines").atMost(Duration.ofSeconds(5)).until(() ->
                    log.lines().stream().filter(l -> l.contains("/api/v1/suppressions")).count() >= 2);
            assertThat(log.lines()).noneMatch(l -> l.toLowerCase().contains("secret.person"));
        }
        as(READ_KEY).contentType(ContentType.JSON).body("{}").when().post("/api/v1/suppressions/lookup").then().statusCode(400);
        as(READ_KEY).contentType(ContentType.JSON).body(Map.of("address", "nobody-" + tag + "@acme.org"))
                .when().post("/api/v1/suppressions/lookup").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void anActiveAfterTheInactiveListsTheSuppressionForReviewWithoutReleasingIt() {
        String email = "review-" + tag + "@acme.org";
        String first = "rev1-" + tag;
        postBatch(first, batch("2026-11-23").inactive(first + "/1", email, "Acme Weekly").json()).statusCode(202);
        awaitSettled(email);
        db.execute("UPDATE suppression_outbox SET state = 'VERIFIED', reason = NULL WHERE email_normalized = ?", email);
        assertThat(reviewIds()).doesNotContain(id(email));

        String second = "rev2-" + tag;
        postBatch(second, batch("2026-11-24").item(second + "/1", email, "ACTIVE", "accountName", "Acme Weekly").json())
                .statusCode(202);

        assertThat(reviewIds()).contains(id(email));
        assertThat(db.string("SELECT state FROM suppression_outbox WHERE email_normalized = ?", email)).isEqualTo("VERIFIED");
    }

    private List<Long> reviewIds() {
        return as(READ_KEY).queryParam("limit", "1000").when().get("/api/v1/suppressions/review").then().statusCode(200)
                .extract().jsonPath().getList("items.id", Long.class);
    }

    private long id(String email) {
        return db.count("SELECT MAX(id) FROM suppression_outbox WHERE email_normalized = ?", email);
    }

    private void awaitSettled(String email) {
        await("the flusher to take " + email).atMost(PATIENCE).until(() -> db.count(
                "SELECT COUNT(*) FROM suppression_outbox WHERE email_normalized = ? AND state <> 'PENDING' AND claim_token IS NULL",
                email) == 1);
    }

    private JsonPath lookup(String address) {
        return as(READ_KEY).contentType(ContentType.JSON).body(Map.of("address", address))
                .when().post("/api/v1/suppressions/lookup").then().statusCode(200).extract().jsonPath();
    }

    private List<Long> ids(Map<String, String> query) {
        return as(READ_KEY).queryParams(query).when().get("/api/v1/suppressions").then().statusCode(200)
                .extract().jsonPath().getList("items.id", Long.class);
    }

    /** A row outside any run, as an import leaves it; PENDING ones are parked so the flusher leaves them. */
    private long insert(String target, String email, String state, String reason, Instant createdAt) {
        db.execute("""
                INSERT INTO suppression_outbox (run_id, target, email_normalized, run_date, state, reason, attempts,
                    next_attempt_at, created_at, updated_at, origin, origin_file, origin_line)
                VALUES (NULL, ?, ?, ?, ?, ?, 0, ?, ?, ?, 'import', 'fixture.csv', 2)""",
                target, email, LocalDate.parse("2026-11-23"), state, reason,
                "PENDING".equals(state) ? Timestamp.from(Instant.now().plus(Duration.ofDays(1))) : null,
                Timestamp.from(createdAt), Timestamp.from(createdAt));
        return db.count("SELECT MAX(id) FROM suppression_outbox WHERE target = ? AND email_normalized = ?", target, email);
    }

    private void bulkInsert(String target, int rows) throws Exception {
        Timestamp now = Timestamp.from(Instant.now());
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO suppression_outbox (run_id, target, email_normalized, run_date, state, attempts, created_at,
                    updated_at, origin, origin_file, origin_line)
                VALUES (NULL, ?, ?, ?, 'VERIFIED', 1, ?, ?, 'import', 'bulk.csv', ?)""")) {
            for (int i = 0; i < rows; i++) {
                ps.setString(1, target);
                ps.setString(2, "bulk" + i + "-" + tag + "@acme.org");
                ps.setObject(3, LocalDate.parse("2026-11-23"));
                ps.setTimestamp(4, now);
                ps.setTimestamp(5, now);
                ps.setLong(6, i + 2L);
                ps.addBatch();
                if (i % 1000 == 999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }
}
