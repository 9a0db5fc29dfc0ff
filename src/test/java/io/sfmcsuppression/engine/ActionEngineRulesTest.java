package io.sfmcsuppression.engine;

import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

/** DESIGN section 3, rules 1 and 2, as far as the engine decides them. */
@QuarkusTest
class ActionEngineRulesTest {

    @Inject
    Database db;

    private static String newRun() {
        return "rules-" + UUID.randomUUID();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ACTIVE", "TITLE_UPDATE", "OUT_OF_OFFICE", "CHANGED_EMAIL"})
    void rule1_onlyInactiveRequestsSuppression_otherTypesAreRecordedInTheLedgerOnly(String type) {
        String run = newRun();
        postBatch(run, batch().item("id-" + UUID.randomUUID(), "person@acme.org", type, "accountName", "Acme Weekly",
                "newTitle", "VP", "newEmail", "next@acme.org", "returnDate", "2026-12-01").json()).statusCode(202);

        assertThat(db.count("SELECT COUNT(*) FROM determinations WHERE run_id = ? AND determination = ?", run, type)).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ?", run)).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM run_inactive_people WHERE run_id = ?", run)).isZero();
    }

    @Test
    void rule1_inactiveWithAMappedAccountIsQueuedForItsDataExtension() {
        String run = newRun();
        postBatch(run, batch().inactive("id-" + UUID.randomUUID(), "Jane@Acme.org", "Acme Weekly").json()).statusCode(202);

        // The test profile runs dry-run: the flusher may already have handed the row to the mock client.
        assertThat(db.string("SELECT state || '/' || COALESCE(reason, '') FROM suppression_outbox WHERE run_id = ?", run))
                .isIn("PENDING/", "SKIPPED/MOCK_CLIENT");
        assertThat(db.string("SELECT target FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo("ASL_ACME");
        assertThat(db.string("SELECT email_normalized FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo("jane@acme.org");
        assertThat(db.string("SELECT suppression_target FROM determinations WHERE run_id = ?", run)).isEqualTo("ASL_ACME");
    }

    @Test
    void rule2_inactiveWithoutAccountIsSkippedWithReasonNoAccount() {
        String run = newRun();
        postBatch(run, batch().item("id-" + UUID.randomUUID(), "jane@acme.org", "INACTIVE").json()).statusCode(202);

        assertThat(db.string("SELECT state || '/' || reason FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo("SKIPPED/NO_ACCOUNT");
        assertThat(db.count("SELECT COUNT(*) FROM run_inactive_people WHERE run_id = ?", run)).isEqualTo(1);
        Api.run(run).statusCode(200).body("suppression.SKIPPED_NO_ACCOUNT", equalTo(1)).body("suppression.PENDING", equalTo(0))
                .body("suppression.ADDED", equalTo(0));
    }

    @Test
    void rule2_inactiveOfAnUnmappedAccountIsSkippedWithReasonNoMapping() {
        String run = newRun();
        postBatch(run, batch().inactive("id-" + UUID.randomUUID(), "jane@initech.com", "Initech Digest").json()).statusCode(202);

        assertThat(db.string("SELECT state || '/' || reason FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo("SKIPPED/NO_MAPPING");
        Api.run(run).statusCode(200).body("suppression.SKIPPED_NO_MAPPING", equalTo(1));
    }

    @Test
    void accountNamesMatchTheMappingTrimmedAndIgnoringCase() {
        String run = newRun();
        postBatch(run, batch().inactive("id-" + UUID.randomUUID(), "jane@acme.org", "  acme WEEKLY ").json()).statusCode(202);
        assertThat(db.string("SELECT target FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo("ASL_ACME");
    }

    @Test
    void oneAddressForTwoDataExtensionsIsOneSuppressionEach() {
        String run = newRun();
        postBatch(run, batch()
                .inactive("id-" + UUID.randomUUID(), "jane@acme.org", "Acme Weekly")
                .inactive("id-" + UUID.randomUUID(), "jane@acme.org", "Globex News")
                .json()).statusCode(202);
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM run_inactive_people WHERE run_id = ?", run)).isEqualTo(1);
    }

    @Test
    void inactiveAfterActiveForOneAddressKeepsBothSuppressesAndReportsTheConflict() {
        String run = newRun();
        postBatch(run, batch().item("id-" + UUID.randomUUID(), "jane@acme.org", "ACTIVE", "accountName", "Acme Weekly").json())
                .statusCode(202);
        postBatch(run, batch().inactive("id-" + UUID.randomUUID(), "JANE@acme.org", "Acme Weekly").json()).statusCode(202);

        assertThat(db.count("SELECT COUNT(*) FROM determinations WHERE run_id = ?", run)).isEqualTo(2);
        assertThat(db.string("SELECT target FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo("ASL_ACME");
        Api.run(run).statusCode(200).body("conflicts", equalTo(1));
    }

    @Test
    void businessUnitDefaultsToTheConfiguredOne() {
        String run = newRun();
        postBatch(run, batch().inactive("id-" + UUID.randomUUID(), "jane@acme.org", "Acme Weekly").json()).statusCode(202);
        assertThat(db.string("SELECT business_unit FROM run_inactive_people WHERE run_id = ?", run)).isEqualTo("Marketing");
    }
}
