package io.sfmcsuppression.export;

import static io.sfmcsuppression.export.ExportFixtures.RUN_DATE;
import static io.sfmcsuppression.export.ExportFixtures.completedAgo;
import static io.sfmcsuppression.export.ExportFixtures.newRun;
import static io.sfmcsuppression.export.ExportFixtures.text;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.support.Database;

/**
 * Issue 14: one address comes once with an unmapped account and once without an account; both
 * share one skipped outbox row, yet each row of the internal file names its own reason.
 */
@QuarkusTest
class InternalCsvReasonPerDeterminationTest {

    @Inject
    Database db;
    @Inject
    RunExporter exporter;
    @Inject
    DeliverablesWriter writer;

    @Test
    void eachInactiveDeterminationOfOneAddressCarriesItsOwnSkipReason() throws Exception {
        String run = newRun("reasons");
        postBatch(run, batch(RUN_DATE)
                .inactive(run + "/unmapped", "twice@acme.org", "Nobody Maps Me")
                .item(run + "/no-account", "Twice@Acme.org", "INACTIVE")
                .item(run + "/no-account-first", "other@acme.org", "INACTIVE")
                .inactive(run + "/unmapped-second", "other@acme.org", "Nobody Maps Me")
                .json()).statusCode(202);
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ?", run))
                .as("one shared skipped row per address").isEqualTo(2);
        completedAgo(db, run, Duration.ofHours(1));

        exporter.export(run);

        String csv = text(writer.runDir(run).resolve(DeliverablesWriter.INTERNAL_NAME));
        Map<String, String> detailById = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(csv)).getRecords().stream()
                .collect(Collectors.toMap(r -> r.get("determination_id"), r -> r.get("suppression_status") + " " + r.get("detail")));
        assertThat(detailById).containsExactlyInAnyOrderEntriesOf(Map.of(
                run + "/unmapped", "SKIPPED NO_MAPPING",
                run + "/no-account", "SKIPPED NO_ACCOUNT",
                run + "/no-account-first", "SKIPPED NO_ACCOUNT",
                run + "/unmapped-second", "SKIPPED NO_MAPPING"));
    }
}
