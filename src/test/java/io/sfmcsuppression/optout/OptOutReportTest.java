package io.sfmcsuppression.optout;

import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.consent.ConsentSfmcMock;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.Management;

/** The CAN-SPAM overdue report and the processing target, with their gauges. */
@QuarkusTest
@QuarkusTestResource(value = ConsentSfmcMock.class, restrictToAnnotatedClass = true)
class OptOutReportTest {

    /** Monday 2026-11-23, 10:00 in New York. */
    private static final Instant MONDAY = Instant.parse("2026-11-23T15:00:00Z");

    @Inject
    Database db;

    @Inject
    OptOutReport report;

    @BeforeEach
    void reset() {
        ConsentSfmcMock.reset();
    }

    @Test
    void theOverdueReportCountsBusinessDaysAcrossWeekends() {
        QuarkusMock.installMockForType(Clock.fixed(MONDAY, ZoneOffset.UTC), Clock.class);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // Friday 2026-11-06 14:00 New York: 10 business days end Friday 2026-11-20; overdue after the weekend.
        long fridayOpen = insertOptOut("fri-" + tag + "@acme.org", "2026-11-06T19:00:00Z", null);
        // Monday 2026-11-09: its window ends today, so it is not overdue yet, with 0 business days left.
        long mondayOpen = insertOptOut("mon-" + tag + "@acme.org", "2026-11-09T15:00:00Z", null);
        // Friday 2026-11-13 evening: 10 calendar days ago but only 6 business days; 4 left.
        long recentOpen = insertOptOut("recent-" + tag + "@acme.org", "2026-11-13T21:00:00Z", null);
        // Confirmed in time, and confirmed late (window of 2026-11-05 ended Thursday 2026-11-19).
        long inTime = insertOptOut("intime-" + tag + "@acme.org", "2026-11-06T19:00:00Z", "2026-11-19T20:00:00Z");
        long late = insertOptOut("late-" + tag + "@acme.org", "2026-11-05T15:00:00Z", "2026-11-23T14:00:00Z");

        var all = as(Api.READ_KEY).when().get("/api/v1/consent/opt-outs").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> open = mine(all.getList("optOuts"), tag);
        assertThat(open).extracting(m -> ((Number) m.get("id")).longValue()).containsExactly(fridayOpen, mondayOpen, recentOpen);
        assertThat(open).extracting(m -> m.get("businessDaysLeft")).containsExactly(-1, 0, 4);
        assertThat(open).extracting(m -> m.get("overdue")).containsExactly(true, false, false);
        assertThat(open.get(0).get("deadline")).isEqualTo("2026-11-21T05:00:00Z");

        var overdue = as(Api.CONSENT_KEY).when().get("/api/v1/consent/opt-outs?overdue=true").then().statusCode(200).extract().jsonPath();
        assertThat(mine(overdue.getList("optOuts"), tag)).extracting(m -> ((Number) m.get("id")).longValue())
                .containsExactlyInAnyOrder(fridayOpen, late)
                .doesNotContain(inTime, mondayOpen, recentOpen);

        report.refreshOverdueCount(); // the gauge shows the count its job keeps (every 15 s)
        String metrics = Management.metrics();
        double gauge = metrics.lines().filter(l -> l.startsWith("consent_opt_outs_overdue"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
        assertThat(gauge).isGreaterThanOrEqualTo(1);

        as(Api.READ_KEY).when().get("/api/v1/consent/opt-outs?overdue=maybe").then().statusCode(400)
                .body("detail", containsString("true or false"));
        as(Api.INGEST_KEY).when().get("/api/v1/consent/opt-outs").then().statusCode(403);
    }

    @Test
    void theProcessingTargetOfTwoCalendarDaysRunsBesideTheCanSpamWindowWithItsOwnGauge() {
        QuarkusMock.installMockForType(Clock.fixed(MONDAY, ZoneOffset.UTC), Clock.class);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        double before = gauge("consent_opt_outs_past_processing_target");
        double overdueBefore = gauge("consent_opt_outs_overdue");
        // Saturday 10:00 UTC: two calendar days end Monday 10:00, five hours before now; CAN-SPAM is far off.
        long pastTarget = insertOptOut("sat-" + tag + "@acme.org", "2026-11-21T10:00:00Z", null);
        // Sunday 16:00 UTC: its two days end Tuesday.
        long withinTarget = insertOptOut("sun-" + tag + "@acme.org", "2026-11-22T16:00:00Z", null);

        var report = as(Api.READ_KEY).when().get("/api/v1/consent/opt-outs").then().statusCode(200)
                .body("processingTarget", equalTo("PT48H")).extract().jsonPath();
        List<Map<String, Object>> open = mine(report.getList("optOuts"), tag);
        assertThat(open).extracting(m -> ((Number) m.get("id")).longValue()).containsExactly(pastTarget, withinTarget);
        assertThat(open).extracting(m -> m.get("processingTargetDeadline")).containsExactly("2026-11-23T10:00:00Z", "2026-11-24T16:00:00Z");
        assertThat(open).extracting(m -> m.get("pastProcessingTarget")).containsExactly(true, false);
        assertThat(open).extracting(m -> m.get("overdue")).containsExactly(false, false);

        assertThat(gauge("consent_opt_outs_past_processing_target") - before).isEqualTo(1);
        assertThat(gauge("consent_opt_outs_overdue") - overdueBefore).isZero();
    }

    private double gauge(String name) {
        report.refreshOverdueCount(); // the gauges show the counts their job keeps (every 15 s)
        String metrics = Management.metrics();
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> mine(List<Map<String, Object>> items, String tag) {
        return items.stream().filter(m -> String.valueOf(m.get("subscriberKey")).contains(tag)).toList();
    }

    private long insertOptOut(String key, String receivedAt, String confirmedAt) {
        Timestamp received = Timestamp.from(Instant.parse(receivedAt));
        db.execute("""
                INSERT INTO consent_opt_outs (subscriber_key, scope, actor, state, received_at, confirmed_at, confirmed_status,
                    attempts, next_attempt_at, updated_at)
                VALUES (?, 'account', 'test', ?, ?, ?, ?, 1, ?, ?)""",
                key, confirmedAt == null ? "PENDING" : "CONFIRMED", received,
                confirmedAt == null ? null : Timestamp.from(Instant.parse(confirmedAt)),
                confirmedAt == null ? null : "Unsubscribed",
                // far in the future: the retry job must leave these rows alone
                Timestamp.from(Instant.parse("2099-01-01T00:00:00Z")), received);
        return db.count("SELECT id FROM consent_opt_outs WHERE subscriber_key = ?", key);
    }
}
