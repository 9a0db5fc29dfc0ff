package io.sfmcsuppression.suppressions;

import static io.sfmcsuppression.support.Api.OPERATE_KEY;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.sfmc.MockSfmcClient;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.suppression.SuppressionFlusher;

/** Operator actions in dry-run: release records and sends nothing, re-queue, import, pause; each audited. */
@QuarkusTest
class OperatorActionsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Inject
    Database db;
    @Inject
    MockSfmcClient mock;
    @Inject
    SuppressionFlusher flusher;

    private String tag;

    @BeforeEach
    void fresh() {
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void inDryRunAReleaseIsRecordedWithWhoAndWhyAndNothingIsSent() {
        String email = "rel-" + tag + "@acme.org";
        long id = settledRow("rel-" + tag, email);
        db.execute("UPDATE suppression_outbox SET state = 'VERIFIED', reason = NULL WHERE id = ?", id);
        int deletesBefore = mock.deletes().size();

        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", "vacation reply misread"))
                .when().post("/api/v1/suppressions/{id}/release", id).then().statusCode(200)
                .body("sentToSfmc", equalTo(false)).body("rowsReleased", equalTo(1))
                .body("suppression.state", equalTo("RELEASED"))
                .body("suppression.release.by", equalTo("operator"))
                .body("suppression.release.reason", equalTo("vacation reply misread"));

        assertThat(mock.deletes()).hasSize(deletesBefore + 1);
        assertThat(mock.deletes().get(mock.deletes().size() - 1).email()).isEqualTo(email);
        assertThat(db.string("SELECT sfmc_message FROM suppression_outbox WHERE id = ?", id))
                .startsWith("released without a delete in SFMC: SUPPRESSION_MODE is dry-run");
        assertThat(lastAudit().getString("action")).isEqualTo("RELEASE");
        assertThat(lastAudit().getString("actor")).isEqualTo("operator");
        assertThat(lastAudit().getString("reason")).isEqualTo("vacation reply misread");

        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", "again"))
                .when().post("/api/v1/suppressions/{id}/release", id).then().statusCode(409);
        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", " "))
                .when().post("/api/v1/suppressions/{id}/release", id).then().statusCode(422);
        as(READ_KEY).contentType(ContentType.JSON).body(Map.of("reason", "a reader may not"))
                .when().post("/api/v1/suppressions/{id}/release", id).then().statusCode(403);
    }

    @Test
    void aLaterInactiveSuppressesAReleasedAddressAgain() {
        String email = "again-" + tag + "@acme.org";
        long id = settledRow("again1-" + tag, email);
        db.execute("UPDATE suppression_outbox SET state = 'ADDED', reason = NULL WHERE id = ?", id);
        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", "wrong verdict"))
                .when().post("/api/v1/suppressions/{id}/release", id).then().statusCode(200);

        String later = "again2-" + tag;
        postBatch(later, batch("2026-11-25").inactive(later + "/1", email, "Acme Weekly").json()).statusCode(202);

        JsonPath history = as(READ_KEY).contentType(ContentType.JSON).body(Map.of("address", email))
                .when().post("/api/v1/suppressions/lookup").then().statusCode(200).extract().jsonPath();
        assertThat(history.getList("items.runId")).containsExactly(later, "again1-" + tag);
        assertThat(history.getString("items[1].state")).isEqualTo("RELEASED");
        assertThat(history.getString("items[0].state")).isIn("PENDING", "SKIPPED");
    }

    @Test
    void failedRowsAreRequeuedByRowByRunAndByDataExtension() {
        String run = "rq-" + tag;
        postBatch(run, batch("2026-11-23").inactive(run + "/1", "rq1-" + tag + "@acme.org", "Acme Weekly")
                .inactive(run + "/2", "rq2-" + tag + "@acme.org", "Acme Weekly")
                .inactive(run + "/3", "rq3-" + tag + "@acme.org", "Globex News").json()).statusCode(202);
        await("the flusher to settle the run").atMost(PATIENCE).until(() -> db.count(
                "SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state <> 'PENDING' AND claim_token IS NULL", run) == 3);
        db.execute("UPDATE suppression_outbox SET state = 'FAILED', reason = NULL, attempts = 3, sfmc_message = 'refused' "
                + "WHERE run_id = ?", run);
        long one = db.count("SELECT id FROM suppression_outbox WHERE run_id = ? AND email_normalized = ?", run, "rq1-" + tag + "@acme.org");

        requeue(Map.of("id", one, "reason", "fixed")).body("rows", equalTo(1)).body("scope", equalTo("row"));
        awaitNoneFailedOrPending(run, 2);
        // A list's scope takes every FAILED row of the list, also those other test classes left in the shared database.
        requeue(Map.of("dataExtension", "ASL_GLOBEX", "reason", "list recreated")).body("rows", greaterThanOrEqualTo(1));
        awaitNoneFailedOrPending(run, 1);
        requeue(Map.of("runId", run, "reason", "outage over")).body("rows", equalTo(1));
        awaitNoneFailedOrPending(run, 0);

        // In dry-run the mock takes the re-queued rows: they were handed to the flusher again.
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'SKIPPED' AND reason = 'MOCK_CLIENT' "
                + "AND attempts = 0", run)).isEqualTo(3);
        assertThat(lastAudit().getString("action")).isEqualTo("REQUEUE");
        assertThat(lastAudit().getString("subject")).isEqualTo("run " + run);
        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("runId", run, "id", one, "reason", "both"))
                .when().post("/api/v1/suppressions/requeue").then().statusCode(400);
    }

    @Test
    void anImportTakesTheGoodLinesListsEveryBadOneAndIsIdempotent() {
        String csv = "Email Address,Date Added\r\n"
                + "good1-" + tag + "@acme.org,2026-10-01\r\n"
                + "not-an-address\r\n"
                + "=HYPERLINK(\"x\")@acme.org,\r\n"
                + "good2-" + tag + "@acme.org,\r\n"
                + "dated-" + tag + "@acme.org,01/10/2026\r\n"
                + "three-" + tag + "@acme.org,2026-10-01,extra\r\n"
                + "GOOD1-" + tag + "@acme.org,2026-10-02\r\n";

        JsonPath first = importCsv(csv).extract().jsonPath();
        assertThat(first.getLong("lines")).isEqualTo(7);
        assertThat(first.getLong("queued")).isEqualTo(2);
        assertThat(first.getLong("alreadyListed")).as("the same address again in the file").isEqualTo(1);
        assertThat(first.getList("badLines.line", Long.class)).containsExactly(3L, 4L, 6L, 7L);
        assertThat(first.getString("badLines[0].message")).isEqualTo("Email Address is not an email address");
        assertThat(first.getString("badLines[2].message")).isEqualTo("Date Added must be YYYY-MM-DD");
        assertThat(db.string("SELECT CAST(run_date AS VARCHAR) FROM suppression_outbox WHERE email_normalized = ?",
                "good1-" + tag + "@acme.org")).isEqualTo("2026-10-01");
        assertThat(db.count("SELECT origin_line FROM suppression_outbox WHERE email_normalized = ?", "good2-" + tag + "@acme.org"))
                .isEqualTo(5);

        JsonPath second = importCsv(csv).extract().jsonPath();
        assertThat(second.getLong("queued")).isZero();
        assertThat(second.getLong("alreadyListed")).isEqualTo(3);
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE email_normalized LIKE ?", "%-" + tag + "@acme.org"))
                .isEqualTo(2);
        assertThat(lastAudit().getString("action")).isEqualTo("IMPORT");

        as(OPERATE_KEY).contentType("text/csv").body("Email,When\r\nx@acme.org,\r\n").queryParam("dataExtension", "ASL_ACME")
                .queryParam("reason", "r").when().post("/api/v1/suppressions/import").then().statusCode(400);
        as(OPERATE_KEY).contentType("text/csv").body(csv).queryParam("dataExtension", "ASL_NOT_MAPPED")
                .queryParam("reason", "r").when().post("/api/v1/suppressions/import").then().statusCode(400);
    }

    @Test
    void aPausedFlusherSendsNothingUntilResumed() {
        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", "maintenance"))
                .when().post("/api/v1/flusher/pause").then().statusCode(200).body("paused", equalTo(true))
                .body("changedBy", equalTo("operator"));
        try {
            String run = "pause-" + tag;
            // The positive control first: the row that is queued while paused stays PENDING ...
            postBatch(run, batch("2026-11-23").inactive(run + "/1", "paused-" + tag + "@acme.org", "Acme Weekly").json())
                    .statusCode(202);
            as(READ_KEY).when().get("/api/v1/flusher").then().statusCode(200).body("paused", equalTo(true));
            flusher.flushNow();
            assertThat(db.string("SELECT state FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo("PENDING");
        } finally {
            as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", "maintenance over"))
                    .when().post("/api/v1/flusher/resume").then().statusCode(200).body("paused", equalTo(false));
        }
        // ... and is taken once the flusher runs again.
        await("the flusher to take the row after the resume").atMost(PATIENCE).until(() -> "SKIPPED".equals(
                db.string("SELECT state FROM suppression_outbox WHERE run_id = ?", "pause-" + tag)));
        List<Map<String, Object>> audit = as(READ_KEY).queryParam("limit", "2").when().get("/api/v1/operator-audit").then()
                .statusCode(200).body("", hasSize(2)).extract().jsonPath().getList("");
        assertThat(audit).extracting(e -> e.get("action")).containsExactly("RESUME_FLUSHER", "PAUSE_FLUSHER");
    }

    private long settledRow(String run, String email) {
        postBatch(run, batch("2026-11-23").inactive(run + "/1", email, "Acme Weekly").json()).statusCode(202);
        await("the flusher to settle " + email).atMost(PATIENCE).until(() -> db.count(
                "SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state <> 'PENDING' AND claim_token IS NULL", run) == 1);
        return db.count("SELECT id FROM suppression_outbox WHERE run_id = ?", run);
    }

    private io.restassured.response.ValidatableResponse requeue(Map<String, Object> body) {
        return as(OPERATE_KEY).contentType(ContentType.JSON).body(body).when().post("/api/v1/suppressions/requeue").then()
                .statusCode(200);
    }

    private void awaitNoneFailedOrPending(String run, int failedLeft) {
        await("re-queued rows of " + run + " to be taken").atMost(PATIENCE).until(() ->
                db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'FAILED'", run) == failedLeft
                        && db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'PENDING'", run) == 0);
    }

    private io.restassured.response.ValidatableResponse importCsv(String csv) {
        return as(OPERATE_KEY).contentType("text/csv").body(csv).queryParam("dataExtension", "ASL_ACME")
                .queryParam("file", "legacy.csv").queryParam("reason", "suppressions of the old ESP")
                .when().post("/api/v1/suppressions/import").then().statusCode(200);
    }

    private JsonPath lastAudit() {
        return new JsonPath(as(READ_KEY).queryParam("limit", "1").when().get("/api/v1/operator-audit").then().statusCode(200)
                .extract().asString()).setRootPath("[0]");
    }
}
