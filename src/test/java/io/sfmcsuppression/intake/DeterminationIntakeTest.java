package io.sfmcsuppression.intake;

import static io.sfmcsuppression.support.Api.INGEST_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.Database;

@QuarkusTest
class DeterminationIntakeTest {

    @Inject
    Database db;

    private static String newRun() {
        return "run-" + UUID.randomUUID();
    }

    private static String id() {
        return "msg-" + UUID.randomUUID();
    }

    @Test
    void acceptedBatchIsStoredAndAnswered202WithCounts() {
        String run = newRun();
        postBatch(run, batch("2026-11-23")
                .inactive(id(), "Jane.Doe@Acme.org", "Acme Weekly")
                .item(id(), "sam@acme.org", "TITLE_UPDATE", "accountName", "Acme Weekly", "newTitle", "VP Sales")
                .item(id(), "old@acme.org", "CHANGED_EMAIL", "newEmail", "new@acme.org")
                .item(id(), "kim@acme.org", "OUT_OF_OFFICE", "returnDate", "2026-12-01")
                .json())
                .statusCode(202)
                .body("runId", equalTo(run)).body("accepted", equalTo(4)).body("duplicates", equalTo(0));

        assertThat(db.count("SELECT COUNT(*) FROM determinations WHERE run_id = ?", run)).isEqualTo(4);
        assertThat(db.string("SELECT email FROM determinations WHERE run_id = ? AND determination = 'INACTIVE'", run))
                .isEqualTo("Jane.Doe@Acme.org");
        assertThat(db.string("SELECT email_normalized FROM determinations WHERE run_id = ? AND determination = 'INACTIVE'", run))
                .isEqualTo("jane.doe@acme.org");
        Api.run(run).statusCode(200)
                .body("runDate", equalTo("2026-11-23")).body("state", equalTo("OPEN"))
                .body("counts.INACTIVE", equalTo(1)).body("counts.TITLE_UPDATE", equalTo(1))
                .body("counts.CHANGED_EMAIL", equalTo(1)).body("counts.OUT_OF_OFFICE", equalTo(1))
                .body("counts.ACTIVE", equalTo(0));
    }

    @Test
    void repostingABatchStoresEachDeterminationOnceAndCountsDuplicates() {
        String run = newRun();
        String body = batch().inactive(id(), "a@acme.org", "Acme Weekly").inactive(id(), "b@acme.org", "Acme Weekly").json();
        postBatch(run, body).statusCode(202).body("accepted", equalTo(2)).body("duplicates", equalTo(0));
        postBatch(run, body).statusCode(202).body("accepted", equalTo(0)).body("duplicates", equalTo(2));

        assertThat(db.count("SELECT COUNT(*) FROM determinations WHERE run_id = ?", run)).isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo(2);
    }

    @Test
    void twoIdenticalBatchesPostedConcurrentlyStoreEachDeterminationOnce() throws Exception {
        String run = newRun();
        Batches batch = batch();
        for (int i = 0; i < 200; i++) {
            batch.inactive(id(), "person" + i + "@acme.org", "Acme Weekly");
        }
        String body = batch.json();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer[]>> posts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                posts.add(() -> {
                    var response = postBatch(run, body).statusCode(202).extract();
                    return new Integer[] {response.path("accepted"), response.path("duplicates")};
                });
            }
            int accepted = 0;
            int duplicates = 0;
            for (Future<Integer[]> f : pool.invokeAll(posts)) {
                accepted += f.get()[0];
                duplicates += f.get()[1];
            }
            assertThat(accepted).isEqualTo(200);
            assertThat(duplicates).isEqualTo(600);
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.count("SELECT COUNT(*) FROM determinations WHERE run_id = ?", run)).isEqualTo(200);
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo(200);
        assertThat(db.count("SELECT COUNT(*) FROM run_inactive_people WHERE run_id = ?", run)).isEqualTo(200);
    }

    @Test
    void sameIdWithOtherContentIsAnItemErrorAndNothingOfTheBatchIsStored() {
        String run = newRun();
        String first = id();
        postBatch(run, batch().inactive(first, "a@acme.org", "Acme Weekly").json()).statusCode(202);
        Database.Snapshot before = db.snapshot();

        postBatch(run, batch().inactive(id(), "new@acme.org", "Acme Weekly").inactive(first, "other@acme.org", "Acme Weekly").json())
                .statusCode(422).contentType("application/problem+json")
                .body("errors", hasSize(1))
                .body("errors[0].index", equalTo(1)).body("errors[0].id", equalTo(first))
                .body("errors[0].field", equalTo("id"))
                .body("errors[0].message", containsString("different content"));

        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void sameIdInAnotherRunIsAnItemError() {
        String shared = id();
        postBatch(newRun(), batch().inactive(shared, "a@acme.org", "Acme Weekly").json()).statusCode(202);
        Database.Snapshot before = db.snapshot();

        postBatch(newRun(), batch().inactive(shared, "a@acme.org", "Acme Weekly").json())
                .statusCode(422).body("errors[0].message", containsString("in run run-"));
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void sameIdTwiceInOneBatchWithOtherContentIsAnItemError() {
        String run = newRun();
        String twice = id();
        Database.Snapshot before = db.snapshot();
        postBatch(run, batch().inactive(twice, "a@acme.org", "Acme Weekly").inactive(twice, "b@acme.org", "Acme Weekly").json())
                .statusCode(422).body("errors[0].index", equalTo(1)).body("errors[0].field", equalTo("id"));
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void everyInvalidItemIsListedWithIndexIdFieldAndMessageAndNothingIsStored() {
        String run = newRun();
        Database.Snapshot before = db.snapshot();
        String longName = "x".repeat(257);
        postBatch(run, batch()
                .inactive(id(), "fine@acme.org", "Acme Weekly")
                .item("bad-email", "not-an-address", "INACTIVE")
                .item("bad-type", "a@acme.org", "RETIRED")
                .item("long-account", "b@acme.org", "INACTIVE", "accountName", longName)
                .item("bad-bu", "c@acme.org", "INACTIVE", "businessUnit", "../etc")
                .item("bad-date", "d@acme.org", "OUT_OF_OFFICE", "returnDate", "next week")
                .item(null, "e@acme.org", "ACTIVE")
                .json())
                .statusCode(422).contentType("application/problem+json")
                .body("status", equalTo(422))
                .body("errors", hasSize(6))
                .body("errors.index", equalTo(List.of(1, 2, 3, 4, 5, 6)))
                .body("errors.field", equalTo(List.of("email", "determination", "accountName", "businessUnit", "returnDate", "id")))
                .body("errors[0].id", equalTo("bad-email"))
                .body("errors[5].id", nullValue());
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void addressesThatASpreadsheetWouldRunAsFormulasAreRejected() {
        String run = newRun();
        Database.Snapshot before = db.snapshot();
        postBatch(run, batch()
                .inactive(id(), "=cmd@acme.org", "Acme Weekly")
                .inactive(id(), "+1@acme.org", "Acme Weekly")
                .inactive(id(), "-x@acme.org", "Acme Weekly")
                .inactive(id(), "@acme.org", "Acme Weekly")
                .inactive(id(), "tab\there@acme.org", "Acme Weekly")
                .json())
                .statusCode(422).body("errors", hasSize(5)).body("errors.field", equalTo(List.of("email", "email", "email", "email", "email")));
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void anEmptyBatchIs422() {
        Database.Snapshot before = db.snapshot();
        postBatch(newRun(), "{\"determinations\":[]}").statusCode(422).contentType("application/problem+json");
        postBatch(newRun(), "{}").statusCode(422);
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void malformedJsonIs400AndChangesNothing() {
        Database.Snapshot before = db.snapshot();
        postBatch(newRun(), "{\"determinations\": [ {\"id\": ").statusCode(400).contentType("application/problem+json")
                .body("title", equalTo("Bad Request"));
        postBatch(newRun(), "[1,2,3]").statusCode(400);
        postBatch(newRun(), "{\"determinations\": \"INACTIVE\"}").statusCode(400);
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotJsonIs415() {
        Database.Snapshot before = db.snapshot();
        as(INGEST_KEY).contentType(ContentType.TEXT).body("id,email\n1,a@acme.org")
                .when().post("/api/v1/runs/{runId}/determinations", newRun())
                .then().statusCode(415).contentType("application/problem+json");
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void moreItemsThanTheBatchLimitIs413() {
        Batches big = batch();
        for (int i = 0; i < 10_001; i++) {
            big.item("big-" + i, "p" + i + "@acme.org", "ACTIVE");
        }
        Database.Snapshot before = db.snapshot();
        postBatch(newRun(), big.json()).statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("10000"));
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void aBodyOverTheSizeLimitIs413() {
        String huge = "{\"determinations\":[{\"id\":\"x\",\"email\":\"a@acme.org\",\"determination\":\"ACTIVE\",\"newTitle\":\""
                + "y".repeat(17 * 1024 * 1024) + "\"}]}";
        Database.Snapshot before = db.snapshot();
        postBatch(newRun(), huge).statusCode(413).contentType("application/problem+json");
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void aCompletedRunAcceptsNoMoreDeterminations() {
        String run = newRun();
        postBatch(run, batch().inactive(id(), "a@acme.org", "Acme Weekly").json()).statusCode(202);
        Api.complete(run).statusCode(202);
        Database.Snapshot before = db.snapshot();

        postBatch(run, batch().inactive(id(), "b@acme.org", "Acme Weekly").json())
                .statusCode(409).contentType("application/problem+json").body("detail", containsString("accepts no more determinations"));
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void aLaterBatchCannotChangeTheRunDate() {
        String run = newRun();
        postBatch(run, batch("2026-11-23").inactive(id(), "a@acme.org", "Acme Weekly").json()).statusCode(202);
        Database.Snapshot before = db.snapshot();
        postBatch(run, batch("2026-11-24").inactive(id(), "b@acme.org", "Acme Weekly").json()).statusCode(409);
        assertThat(db.snapshot()).isEqualTo(before);
        postBatch(run, batch().inactive(id(), "c@acme.org", "Acme Weekly").json()).statusCode(202);
    }

    @Test
    void anInvalidRunIdIs400() {
        Database.Snapshot before = db.snapshot();
        postBatch("bad run id!", batch().inactive(id(), "a@acme.org", "Acme Weekly").json()).statusCode(400)
                .contentType("application/problem+json");
        postBatch("x".repeat(65), batch().inactive(id(), "a@acme.org", "Acme Weekly").json()).statusCode(400);
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void mixedCaseDuplicatesOfOneAddressCountOnceForTheRunsInactiveList() {
        String run = newRun();
        postBatch(run, batch()
                .inactive(id(), "Jane.Doe@Acme.org", "Acme Weekly")
                .inactive(id(), "jane.doe@acme.org", "Acme Weekly")
                .inactive(id(), " JANE.DOE@ACME.ORG ", "Acme Weekly")
                .json()).statusCode(202).body("accepted", equalTo(3));

        assertThat(db.count("SELECT COUNT(*) FROM run_inactive_people WHERE run_id = ?", run)).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo(1);
        Api.run(run).statusCode(200).body("counts.INACTIVE", equalTo(3)).body("inactivePeople", equalTo(1));
    }
}
