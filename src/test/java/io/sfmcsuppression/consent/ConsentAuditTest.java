package io.sfmcsuppression.consent;

import static io.sfmcsuppression.consent.Soap.ok;
import static io.sfmcsuppression.consent.Soap.retrieveOf;
import static io.sfmcsuppression.consent.Soap.retrieved;
import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

/** The audit log and its retention purge. */
@QuarkusTest
@QuarkusTestResource(value = ConsentSfmcMock.class, restrictToAnnotatedClass = true)
class ConsentAuditTest {

    @Inject
    Database db;

    @Inject
    AuditPurge purge;

    @BeforeEach
    void reset() {
        ConsentSfmcMock.reset();
    }

    private static String key() {
        return "audit-" + UUID.randomUUID() + "@acme.org";
    }

    @Test
    void everyValidationDecisionIsAuditedWithWhoWhatAndEvidence() {
        String blocked = key();
        String unknown = key();
        ConsentSfmcMock.server().stubFor(retrieveOf("Subscriber").willReturn(ok(retrieved(Soap.subscriber(blocked, "Held")))));
        ConsentSfmcMock.server().stubFor(retrieveOf("SentEvent").willReturn(ok(retrieved())));
        ConsentSfmcMock.server().stubFor(retrieveOf("NotSentEvent").willReturn(ok(retrieved())));

        as(Api.CONSENT_KEY).contentType(ContentType.JSON)
                .body("{\"send\":{\"classification\":\"TRANSACTIONAL_ORDER\"},\"subscriberKeys\":[\"" + blocked + "\",\"" + unknown + "\"]}")
                .when().post("/api/v1/consent/validate").then().statusCode(200);

        assertThat(db.string("SELECT outcome FROM consent_audit WHERE subscriber_key = ? AND kind = 'DECISION'", blocked))
                .isEqualTo("BLOCKED_ACCOUNT");
        assertThat(db.string("SELECT actor FROM consent_audit WHERE subscriber_key = ?", blocked)).isEqualTo("consent");
        assertThat(db.string("SELECT subject FROM consent_audit WHERE subscriber_key = ?", blocked)).isEqualTo("TRANSACTIONAL_ORDER");
        assertThat(db.string("SELECT evidence FROM consent_audit WHERE subscriber_key = ?", blocked)).contains("Status=Held");
        assertThat(db.string("SELECT outcome FROM consent_audit WHERE subscriber_key = ?", unknown)).isEqualTo("ELIGIBLE_NOT_FOUND");
    }

    @Test
    void thePurgeDeletesAuditRowsOlderThanTheRetentionOnly() {
        String k = key();
        Instant now = Instant.now();
        insertAudit(k, now.minus(java.time.Duration.ofDays(91)), "OLD");
        insertAudit(k, now.minus(java.time.Duration.ofDays(89)), "RECENT");
        insertAudit(k, now, "NOW");

        assertThat(purge.purge()).isGreaterThanOrEqualTo(1);

        assertThat(db.count("SELECT COUNT(*) FROM consent_audit WHERE subscriber_key = ?", k)).isEqualTo(2);
        assertThat(db.count("SELECT COUNT(*) FROM consent_audit WHERE subscriber_key = ? AND outcome = 'OLD'", k)).isZero();
    }

    private void insertAudit(String key, Instant at, String outcome) {
        db.execute("INSERT INTO consent_audit (occurred_at, kind, actor, subscriber_key, outcome) VALUES (?, 'DECISION', 'test', ?, ?)",
                Timestamp.from(at), key, outcome);
    }
}
