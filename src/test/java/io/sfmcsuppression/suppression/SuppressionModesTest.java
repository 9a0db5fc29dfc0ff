package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.sfmc.MockSfmcClient;
import io.sfmcsuppression.sfmc.SfmcClient;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

/**
 * The default mode, dry-run (DESIGN rules 3 and 6): the mock client takes every mapped suppression,
 * sends nothing, and records per run what it would have sent. No SFMC stand-in runs here, so any
 * attempt to reach SFMC would leave rows PENDING and fail the test.
 */
@QuarkusTest
class SuppressionModesTest {

    @Inject
    Database db;

    @Inject
    MockSfmcClient mock;

    @Test
    void rule3_rule6_dryRunUsesTheMockWhichSendsNothingAndRecordsWhatItWouldHaveSent() {
        String run = "dry-" + UUID.randomUUID();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        postBatch(run, batch("2026-11-23")
                .inactive("x-" + tag + "-1", "a-" + tag + "@acme.org", "Acme Weekly")
                .inactive("x-" + tag + "-2", "b-" + tag + "@acme.org", "Acme Weekly")
                .inactive("x-" + tag + "-3", "c-" + tag + "@globex.com", "Globex News")
                .inactive("x-" + tag + "-4", "d-" + tag + "@nowhere.com", "Nowhere Inc")
                .json()).statusCode(202);

        await("mapped rows skipped by the mock").atMost(Duration.ofSeconds(15)).until(() -> db.count(
                "SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'SKIPPED' AND reason = 'MOCK_CLIENT'",
                run) == 3);

        JsonPath view = Api.run(run).statusCode(200).extract().jsonPath();
        assertThat(view.getLong("suppression.SKIPPED_MOCK_CLIENT")).isEqualTo(3);
        assertThat(view.getLong("suppression.SKIPPED_NO_MAPPING")).isEqualTo(1);
        assertThat(view.getLong("suppression.ADDED")).isZero();
        List<Map<String, Object>> wouldSend = view.getList("sfmcMock");
        assertThat(wouldSend).extracting(m -> m.get("description")).containsExactly(
                "would add 2 rows to data extension ASL_ACME", "would add 1 rows to data extension ASL_GLOBEX");

        assertThat(mock.recorded()).flatExtracting(MockSfmcClient.Recorded::rows).extracting(SfmcClient.Row::email)
                .contains("a-" + tag + "@acme.org", "b-" + tag + "@acme.org", "c-" + tag + "@globex.com")
                .doesNotContain("d-" + tag + "@nowhere.com");

        JsonPath status = as(READ_KEY).get("/api/v1/status").then().statusCode(200).extract().jsonPath();
        assertThat(status.getString("mode")).isEqualTo("dry-run");
        assertThat(status.getString("sfmc.client")).isEqualTo("mock");
        assertThat(status.getString("sfmc.reason")).isEqualTo("SUPPRESSION_MODE is dry-run, which never writes to SFMC");
        assertThat(status.getString("sfmc.token")).isEqualTo("NOT_NEEDED");
    }
}
