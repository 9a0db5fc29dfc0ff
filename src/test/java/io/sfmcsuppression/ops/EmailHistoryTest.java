package io.sfmcsuppression.ops;

import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class EmailHistoryTest {

    @Test
    void historyOfAnAddressListsItsDeterminationsAndSuppressionsWhateverItsCase() {
        String address = "hist-" + UUID.randomUUID() + "@acme.org";
        String run = "hist-" + UUID.randomUUID();
        postBatch(run, batch()
                .item("h-" + UUID.randomUUID(), address, "OUT_OF_OFFICE", "returnDate", "2026-12-01")
                .inactive("h-" + UUID.randomUUID(), address.toUpperCase(), "Acme Weekly")
                .json()).statusCode(202);

        as(READ_KEY).when().get("/api/v1/emails/{email}", address.toUpperCase()).then().statusCode(200)
                .body("email", equalTo(address))
                .body("determinations", hasSize(2))
                .body("suppressions", hasSize(1))
                .body("suppressions[0].dataExtensionKey", equalTo("ASL_ACME"))
                .body("suppressions[0].state", org.hamcrest.Matchers.in(java.util.List.of("PENDING", "SKIPPED")));
    }

    @Test
    void anAddressNeverSeenIs404() {
        as(READ_KEY).when().get("/api/v1/emails/{email}", "nobody-" + UUID.randomUUID() + "@acme.org").then()
                .statusCode(404).contentType("application/problem+json");
    }
}
