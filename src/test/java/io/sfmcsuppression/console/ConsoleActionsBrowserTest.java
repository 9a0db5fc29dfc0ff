package io.sfmcsuppression.console;

import static io.sfmcsuppression.support.Api.ADMIN_KEY;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URL;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sfmcsuppression.sfmc.LiveSfmcClient;
import io.sfmcsuppression.support.DataExtensionStandIn;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.InjectWireMock;
import io.sfmcsuppression.support.LiveSfmcProfile;
import io.sfmcsuppression.support.LiveSuppressions;
import io.sfmcsuppression.support.SfmcWireMock;

/**
 * The console's buttons in a real browser, live against the strict SFMC stand-in: an operator
 * (a key with {@code operate}) re-queues a FAILED row and sees it land in the data extension,
 * releases a suppression and sees it gone there, pauses and resumes the flusher; each is in the
 * operator audit under the key's name. A {@code read} key sees none of the buttons, and a form it
 * builds itself, with a valid CSRF token, is refused.
 */
@QuarkusTest
@TestProfile(LiveSfmcProfile.class)
class ConsoleActionsBrowserTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static Browser browser;

    @TestHTTPResource("/")
    URL base;
    @InjectWireMock
    WireMockServer wm;
    @InjectWireMock
    DataExtensionStandIn dataExtensions;
    @Inject
    Database db;
    @Inject
    LiveSfmcClient live;

    private String tag;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Browser.shared();
    }

    @BeforeEach
    void freshSfmc() {
        SfmcWireMock.restoreDefaults(wm);
        dataExtensions.clear();
        live.forgetToken();
        db.execute("UPDATE flusher_control SET paused = FALSE WHERE id = 1");
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anOperatorRequeuesAFailedRowAndSeesItLandInTheDataExtension() {
        String run = "console-rq-" + tag;
        String email = "rq-" + tag + "@acme.org";
        long id = LiveSuppressions.suppressed(db, dataExtensions, run, email);
        db.execute("UPDATE suppression_outbox SET state = 'FAILED', sfmc_message = 'Invalid email address', attempts = 3 WHERE id = ?", id);
        dataExtensions.clear();

        browser.signIn(base, ADMIN_KEY);
        browser.open(base, "/console/runs/" + run);
        assertThat(browser.text("failed")).contains(email).contains("Invalid email address");
        browser.screenshot("run-operator");
        browser.type("requeue-reason-" + id, "SFMC fixed the column (ticket 4420)");
        browser.click("requeue-" + id);

        browser.waitForPage("/console/runs/" + run + "?done=requeued&rows=1");
        assertThat(browser.text("notice")).isEqualTo("1 FAILED row(s) re-queued; the flusher sends them now.");
        await("the re-queued row in SFMC").atMost(PATIENCE).until(() -> dataExtensions.holds("ASL_ACME", email)
                && "VERIFIED".equals(db.string("SELECT state FROM suppression_outbox WHERE id = ?", id)));
        browser.open(base, "/console/runs/" + run);
        assertThat(browser.text("outbox")).contains("VERIFIED 1").contains("FAILED 0");
        assertThat(db.string("SELECT actor || ' ' || action || ' ' || reason FROM operator_audit ORDER BY id DESC LIMIT 1"))
                .isEqualTo("admin REQUEUE SFMC fixed the column (ticket 4420)");
    }

    @Test
    void anOperatorReleasesASuppressionFromTheListAndSfmcNoLongerHoldsIt() {
        String email = "rel-" + tag + "@acme.org";
        long id = LiveSuppressions.suppressed(db, dataExtensions, "console-rel-" + tag, email);

        browser.signIn(base, ADMIN_KEY);
        browser.open(base, "/console/suppressions");
        browser.type("address", email);
        browser.click("search-address");
        await("the address's row").atMost(Duration.ofSeconds(10)).until(() -> !browser.driver.findElements(By.id("release-" + id)).isEmpty());
        browser.type("release-reason-" + id, "vacation reply misread (ticket 4411)");
        browser.screenshot("suppressions-operator");
        browser.click("release-" + id);

        browser.waitForPage("/console/suppressions?done=released&rows=1");
        assertThat(browser.text("notice")).startsWith("1 row(s) released");
        assertThat(dataExtensions.holds("ASL_ACME", email)).as("the row is gone from the data extension").isFalse();
        assertThat(db.string("SELECT state FROM suppression_outbox WHERE id = ?", id)).isEqualTo("RELEASED");
        assertThat(db.string("SELECT actor || ' ' || action FROM operator_audit ORDER BY id DESC LIMIT 1")).isEqualTo("admin RELEASE");
    }

    @Test
    void anOperatorPausesAndResumesTheFlusher() {
        browser.signIn(base, ADMIN_KEY);
        browser.open(base, "/console/status");
        assertThat(browser.text("flusher-state")).isEqualTo("running");
        browser.type("flusher-reason", "SFMC maintenance window");
        browser.click("flusher-switch");
        browser.waitForPage("/console/status?done=paused");
        assertThat(browser.text("flusher-state")).isEqualTo("paused");
        assertThat(db.string("SELECT CAST(paused AS VARCHAR(5)) FROM flusher_control WHERE id = 1")).isIn("TRUE", "true");

        // While paused, suppressions wait: a fresh one and one that has waited two days.
        String run = "console-age-" + tag;
        postBatch(run, batch("2026-11-23").inactive(run + "/1", "fresh-" + tag + "@acme.org", "Acme Weekly").json()).statusCode(202);
        db.execute("""
                INSERT INTO suppression_outbox (run_id, target, email_normalized, run_date, state, attempts, created_at, updated_at,
                    origin, origin_note)
                VALUES (NULL, 'ASL_ACME', ?, ?, 'PENDING', 0, ?, ?, 'operator', 'waited two days')""",
                "old-" + tag + "@acme.org", LocalDate.parse("2026-11-23"), Timestamp.from(Instant.now().minus(Duration.ofDays(2))),
                Timestamp.from(Instant.now()));
        browser.open(base, "/console/status");
        assertThat(browser.driver.findElements(By.cssSelector("svg#outbox-age rect"))).hasSizeGreaterThanOrEqualTo(2);
        assertThat(waiting("under 1 min")).isPositive();
        assertThat(waiting("over 1 day")).isPositive();
        browser.screenshot("status-paused");

        browser.type("flusher-reason", "maintenance over");
        browser.click("flusher-switch");
        browser.waitForPage("/console/status?done=resumed");
        assertThat(browser.text("flusher-state")).isEqualTo("running");
    }

    @Test
    void aReadKeySeesNoButtonAndAFormItBuildsItselfIsRefused() {
        String run = "console-ro-" + tag;
        long id = LiveSuppressions.suppressed(db, dataExtensions, run, "ro-" + tag + "@acme.org");
        db.execute("UPDATE suppression_outbox SET state = 'FAILED', sfmc_message = 'refused', attempts = 3 WHERE id = ?", id);

        browser.signIn(base, READ_KEY);
        browser.open(base, "/console/runs/" + run);
        assertThat(browser.text("failed")).contains("refused");
        assertThat(browser.driver.findElements(By.cssSelector("main form"))).isEmpty();
        browser.open(base, "/console/status");
        assertThat(browser.driver.findElements(By.cssSelector("main form"))).isEmpty();

        // The page's own token, so that only the role can refuse it.
        browser.script("""
                const token = document.querySelector('input[name="csrf-token"]').value;
                const f = document.createElement('form'); f.method = 'post'; f.action = '/console/runs/%s/requeue';
                for (const [k, v] of [['csrf-token', token], ['reason', 'no right to'], ['id', '%d']]) {
                  const e = document.createElement('input'); e.name = k; e.value = v; f.appendChild(e);
                }
                document.body.appendChild(f); f.submit();""".formatted(run, id));
        await("the refusal").atMost(Duration.ofSeconds(10)).until(() -> browser.driver.getPageSource().contains("Only a key with the operate role"));
        browser.screenshot("action-refused");
        assertThat(db.string("SELECT state FROM suppression_outbox WHERE id = ?", id)).isEqualTo("FAILED");
    }

    /** The rows the status page's outbox-age table gives for one band. */
    private long waiting(String band) {
        return Long.parseLong(browser.driver.findElement(By.xpath("//table[@id='age-table']//tr[th='" + band + "']/td"))
                .getAttribute("textContent").trim());
    }
}
