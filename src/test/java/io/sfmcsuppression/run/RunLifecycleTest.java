package io.sfmcsuppression.run;

import static io.sfmcsuppression.support.Api.INGEST_KEY;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

@QuarkusTest
class RunLifecycleTest {

    @Inject
    Database db;

    private static String newRun() {
        return "life-" + UUID.randomUUID();
    }

    private static void open(String run) {
        postBatch(run, batch().inactive("id-" + UUID.randomUUID(), "jane@acme.org", "Acme Weekly").json()).statusCode(202);
    }

    @Test
    void completingARunIsIdempotent() {
        String run = newRun();
        open(run);
        // The export starts right after completion, so the run may already be further along.
        Api.complete(run).statusCode(202).body("state", not(equalTo("OPEN"))).body("completedAt", notNullValue());
        String completedAt = db.string("SELECT completed_at FROM runs WHERE run_id = ?", run);
        Api.complete(run).statusCode(202).body("state", not(equalTo("OPEN")));
        assertThat(db.string("SELECT completed_at FROM runs WHERE run_id = ?", run)).isEqualTo(completedAt);
    }

    @Test
    void completingAnUnknownRunIs404() {
        Database.Snapshot before = db.snapshot();
        Api.complete(newRun()).statusCode(404).contentType("application/problem+json");
        assertThat(db.snapshot()).isEqualTo(before);
    }

    @Test
    void readingAnUnknownRunIs404() {
        Api.run(newRun()).statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void runDateDefaultsToTodayInTheServiceZone() {
        String run = newRun();
        open(run);
        Api.run(run).statusCode(200).body("runDate", equalTo(LocalDate.now(ZoneId.of("America/New_York")).toString()));
    }

    @Test
    void completeIdleClosesOnlyRunsWithoutABatchForThatLong() {
        String idle = newRun();
        String busy = newRun();
        open(idle);
        open(busy);
        db.execute("UPDATE runs SET last_batch_at = ? WHERE run_id = ?", Timestamp.from(Instant.now().minusSeconds(3600)), idle);

        as(INGEST_KEY).queryParam("idleFor", "PT30M").when().post("/api/v1/runs/complete-idle").then()
                .statusCode(202).body("idleFor", equalTo("PT30M")).body("completed", hasItem(idle)).body("completed", not(hasItem(busy)));

        Api.run(idle).body("state", not(equalTo("OPEN")));
        Api.run(busy).body("state", equalTo("OPEN"));
    }

    @Test
    void completeIdleRejectsADurationItCannotRead() {
        as(INGEST_KEY).queryParam("idleFor", "thirty minutes").when().post("/api/v1/runs/complete-idle").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void listingRunsFiltersByStateAndLimits() {
        String run = newRun();
        open(run);
        Api.complete(run).statusCode(202);
        String open = newRun();
        open(open);
        as(READ_KEY).queryParam("state", "OPEN").queryParam("limit", 500).when().get("/api/v1/runs").then()
                .statusCode(200).body("runId", hasItem(open)).body("runId", not(hasItem(run)))
                .body("state", everyItem(equalTo("OPEN")));
        as(READ_KEY).queryParam("limit", 1).when().get("/api/v1/runs").then().statusCode(200).body("size()", equalTo(1));
    }

    @Test
    void malformedQueryParametersAre400() {
        as(READ_KEY).queryParam("limit", "abc").when().get("/api/v1/runs").then().statusCode(400)
                .contentType("application/problem+json");
        as(READ_KEY).queryParam("limit", 0).when().get("/api/v1/runs").then().statusCode(400);
        as(READ_KEY).queryParam("state", "SLEEPING").when().get("/api/v1/runs").then().statusCode(400);
    }
}
