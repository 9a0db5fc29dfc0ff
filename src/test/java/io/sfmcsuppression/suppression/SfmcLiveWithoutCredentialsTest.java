package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

/** DESIGN rule 3: live mode without credentials falls back to the mock and says why. */
@QuarkusTest
@TestProfile(SfmcLiveWithoutCredentialsTest.LiveWithoutCredentials.class)
class SfmcLiveWithoutCredentialsTest {

    public static class LiveWithoutCredentials implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("suppression.mode", "live");
        }
    }

    @Inject
    Database db;

    @Test
    void rule3_liveWithoutCredentialsUsesTheMockWithTheReasonAndSkipsRowsAsMockClient() {
        JsonPath status = as(READ_KEY).get("/api/v1/status").then().statusCode(200).extract().jsonPath();
        assertThat(status.getString("mode")).isEqualTo("live");
        assertThat(status.getString("sfmc.client")).isEqualTo("mock");
        assertThat(status.getString("sfmc.reason"))
                .isEqualTo("SUPPRESSION_MODE is live but SFMC_CLIENT_ID, SFMC_CLIENT_SECRET, SFMC_AUTH_BASE_URI are not set");

        String run = "nocreds-" + UUID.randomUUID();
        postBatch(run, batch("2026-11-23").inactive("n-" + UUID.randomUUID(), "z-" + UUID.randomUUID() + "@acme.org",
                "Acme Weekly").json()).statusCode(202);
        await("row skipped by the mock").atMost(Duration.ofSeconds(15)).until(() -> db.count(
                "SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'SKIPPED' AND reason = 'MOCK_CLIENT'",
                run) == 1);
        assertThat(Api.run(run).statusCode(200).extract().jsonPath().getString("sfmcMock[0].description"))
                .isEqualTo("would add 1 rows to data extension ASL_ACME");
    }
}
