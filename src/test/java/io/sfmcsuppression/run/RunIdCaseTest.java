package io.sfmcsuppression.run;

import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.support.Database;

/** Run ids name folders: two that differ only in case would collide on a case-insensitive volume. */
@QuarkusTest
class RunIdCaseTest {

    @Inject
    Database db;

    @Test
    void aRunIdDifferingOnlyInCaseFromAnExistingRunIs409AndStoresNothing() {
        String run = "Case-Run-" + UUID.randomUUID();
        postBatch(run, batch().inactive("case-" + UUID.randomUUID(), "a@acme.org", "Acme Weekly").json()).statusCode(202);
        Database.Snapshot before = db.snapshot();

        postBatch(run.toLowerCase(), batch().inactive("case-" + UUID.randomUUID(), "b@acme.org", "Acme Weekly").json())
                .statusCode(409).contentType("application/problem+json")
                .body("detail", containsString("only in case")).body("detail", containsString(run));
        postBatch(run.toUpperCase(), batch().inactive("case-" + UUID.randomUUID(), "c@acme.org", "Acme Weekly").json())
                .statusCode(409);

        assertThat(db.snapshot()).isEqualTo(before);
        assertThat(db.count("SELECT COUNT(*) FROM runs WHERE LOWER(run_id) = ?", run.toLowerCase())).isEqualTo(1);
    }

    /** The positive control: the same spelling again is the same run. */
    @Test
    void theSameSpellingAgainIsTheSameRun() {
        String run = "Same-Run-" + UUID.randomUUID();
        postBatch(run, batch().inactive("same-" + UUID.randomUUID(), "a@acme.org", "Acme Weekly").json()).statusCode(202);
        postBatch(run, batch().inactive("same-" + UUID.randomUUID(), "b@acme.org", "Acme Weekly").json()).statusCode(202);
        assertThat(db.count("SELECT COUNT(*) FROM determinations WHERE run_id = ?", run)).isEqualTo(2);
    }
}
