package io.sfmcsuppression.suppressions;

import static io.sfmcsuppression.support.Api.OPERATE_KEY;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.sfmcsuppression.sfmc.LiveSfmcClient;
import io.sfmcsuppression.support.DataExtensionStandIn;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.InjectWireMock;
import io.sfmcsuppression.support.LiveSfmcProfile;
import io.sfmcsuppression.support.LiveSuppressions;
import io.sfmcsuppression.support.SfmcWireMock;

/** Release and re-queue in live mode against the SFMC stand-in: the row leaves the data extension, the history stays. */
@QuarkusTest
@TestProfile(LiveSfmcProfile.class)
class ReleaseLiveTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @InjectWireMock
    WireMockServer wm;
    @InjectWireMock
    DataExtensionStandIn dataExtensions;
    @Inject
    Database db;
    @Inject
    LiveSfmcClient live;

    private String tag;

    @BeforeEach
    void freshSfmc() {
        SfmcWireMock.restoreDefaults(wm);
        dataExtensions.clear();
        live.forgetToken();
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aReleaseDeletesTheRowInSfmcKeepsTheHistoryAndALaterInactiveSuppressesAgain() {
        String email = "live-rel-" + tag + "@acme.org";
        long id = LiveSuppressions.suppressed(db, dataExtensions, "rel1-" + tag, email);

        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", "vacation reply misread (ticket 4411)"))
                .when().post("/api/v1/suppressions/{id}/release", id).then().statusCode(200)
                .body("sentToSfmc", equalTo(true)).body("suppression.state", equalTo("RELEASED"))
                .body("suppression.release.by", equalTo("operator"))
                .body("note", equalTo("deleted from data extension ASL_ACME in SFMC"));

        assertThat(dataExtensions.holds("ASL_ACME", email)).as("the row is gone from the data extension").isFalse();
        wm.verify(1, WireMock.postRequestedFor(WireMock.urlEqualTo("/Service.asmx"))
                .withHeader("SOAPAction", WireMock.equalTo("Delete"))
                .withRequestBody(WireMock.containing("<CustomerKey>ASL_ACME</CustomerKey>"))
                .withRequestBody(WireMock.containing("<Name>Email Address</Name><Value>" + email + "</Value>")));
        as(READ_KEY).when().get("/api/v1/suppressions/{id}", id).then().statusCode(200)
                .body("state", equalTo("RELEASED")).body("release.reason", equalTo("vacation reply misread (ticket 4411)"))
                .body("origin.kind", equalTo("classifier")).body("origin.determinationId", equalTo("rel1-" + tag + "/1"));

        long again = LiveSuppressions.suppressed(db, dataExtensions, "rel2-" + tag, email);
        assertThat(again).isNotEqualTo(id);
        assertThat(db.string("SELECT state FROM suppression_outbox WHERE id = ?", id)).isEqualTo("RELEASED");
    }

    @Test
    void aRequeuedFailedRowLandsInTheDataExtension() {
        String email = "live-rq-" + tag + "@acme.org";
        long id = LiveSuppressions.suppressed(db, dataExtensions, "rq-" + tag, email);
        db.execute("UPDATE suppression_outbox SET state = 'FAILED', sfmc_message = 'refused', attempts = 3 WHERE id = ?", id);
        dataExtensions.clear();

        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("id", id, "reason", "SFMC fixed"))
                .when().post("/api/v1/suppressions/requeue").then().statusCode(200).body("rows", equalTo(1));

        await("the re-queued row to land").atMost(PATIENCE).until(() -> dataExtensions.holds("ASL_ACME", email)
                && "VERIFIED".equals(db.string("SELECT state FROM suppression_outbox WHERE id = ?", id)));
    }

    @Test
    void whenSfmcRefusesTheDeleteNothingIsReleased() {
        String email = "live-refused-" + tag + "@acme.org";
        long id = LiveSuppressions.suppressed(db, dataExtensions, "ref-" + tag, email);
        dataExtensions.refuseDeletes("Unable to delete");

        as(OPERATE_KEY).contentType(ContentType.JSON).body(Map.of("reason", "try"))
                .when().post("/api/v1/suppressions/{id}/release", id).then().statusCode(502)
                .body("detail", org.hamcrest.Matchers.containsString("Unable to delete"));

        assertThat(db.string("SELECT state FROM suppression_outbox WHERE id = ?", id)).isIn("ADDED", "VERIFIED");
        assertThat(dataExtensions.holds("ASL_ACME", email)).isTrue();
    }
}
