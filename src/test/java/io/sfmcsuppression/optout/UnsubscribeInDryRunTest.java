package io.sfmcsuppression.optout;

import static io.sfmcsuppression.support.Api.CONSENT_KEY;
import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sfmcsuppression.support.Database;

/** DESIGN rule 6: outside live mode an opt-out is recorded, kept pending, and nothing is written to SFMC. */
@QuarkusTest
class UnsubscribeInDryRunTest {

    @Inject
    Database db;

    @Inject
    UnsubscribeService unsubscribes;

    @Test
    void rule6_dryRunRecordsTheOptOutAsPendingAndWritesNothingToSfmc() {
        String key = "dry-" + UUID.randomUUID() + "@acme.org";
        as(CONSENT_KEY).contentType(ContentType.JSON)
                .body("{\"subscriberKey\":\"" + key + "\",\"scope\":\"account\",\"reason\":\"preference center\",\"source\":\"web\"}")
                .when().post("/api/v1/consent/unsubscribe").then()
                .statusCode(503).contentType("application/problem+json")
                .body("state", equalTo("PENDING")).body("receivedAt", notNullValue())
                .body("detail", containsString("SUPPRESSION_MODE is dry-run"));

        assertThat(db.string("SELECT state FROM consent_opt_outs WHERE subscriber_key = ?", key)).isEqualTo("PENDING");
        assertThat(unsubscribes.retryDue()).isZero();
        assertThat(db.string("SELECT state FROM consent_opt_outs WHERE subscriber_key = ?", key)).isEqualTo("PENDING");
    }
}
