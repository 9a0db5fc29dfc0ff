package io.sfmcsuppression.console;

import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.complete;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

/**
 * The console in a real headless browser (Debian's chromium and chromium-driver): sign in, a run
 * with its FAILED row and its download, an address's history, the status chart, opt-outs, a post
 * without the CSRF token, sign-out. Each page's screenshot goes to target/console-screenshots/.
 */
@QuarkusTest
class ConsoleBrowserTest {

    private static Browser browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Database db;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Browser.shared();
    }

    @Test
    void anOperatorWithAReadKeyFollowsARunFromTheListToItsFilesAndAnAddress() throws IOException {
        LocalDate today = LocalDate.now(ZoneId.of("America/New_York"));
        String run = seedExportedRun(today);

        browser.open(base, "/console/runs");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/login");
        browser.screenshot("sign-in");
        // Keyboard first: the skip link is the first stop, the key field has the focus.
        assertThat(browser.driver.switchTo().activeElement().getAttribute("id")).isEqualTo("j_password");
        browser.driver.switchTo().activeElement().sendKeys(READ_KEY, Keys.ENTER);

        browser.waitForPage("/console/runs");
        assertThat(browser.text("viewer-name")).isEqualTo("reader");
        WebElement row = browser.driver.findElement(By.linkText(run)).findElement(By.xpath("./ancestor::tr"));
        assertThat(row.getText()).contains("EXPORTED");
        browser.screenshot("runs");

        browser.driver.findElement(By.linkText(run)).click();
        browser.waitForPage("/console/runs/" + run);
        assertThat(browser.text("run-id")).isEqualTo(run);
        assertThat(browser.text("run-state")).isEqualTo("EXPORTED");
        assertThat(browser.text("mail-state")).isEqualTo("WITHHELD");
        assertThat(browser.driver.findElement(By.id("failed")).getText()).contains("bob@globex.com").contains("Invalid email address");
        assertThat(browser.driver.findElement(By.id("outbox")).getText()).contains("FAILED 1");
        // A read key sees no action: the only form on the page is the sign-out.
        assertThat(browser.driver.findElements(By.cssSelector("main form"))).isEmpty();
        browser.screenshot("run");

        String file = "Marketing_NoLongerThere_" + today + ".csv";
        Files.deleteIfExists(Browser.DOWNLOADS.resolve(file));
        browser.driver.findElement(By.linkText(file)).click();
        await(file + " in " + Browser.DOWNLOADS).atMost(Duration.ofSeconds(20)).until(() -> Files.isRegularFile(Browser.DOWNLOADS.resolve(file)));
        assertThat(Files.readString(Browser.DOWNLOADS.resolve(file), StandardCharsets.UTF_8))
                .startsWith("Email Address,Status,Date Added\r\n").contains("jane.doe@acme.org,Unsubscribed," + today);

        browser.driver.findElement(By.linkText("Address history")).click();
        browser.waitForPage("/console/history");
        browser.driver.findElement(By.id("email")).sendKeys("Jane.Doe@acme.org");
        browser.driver.findElement(By.id("search")).click();
        browser.driver.findElement(By.id("history-determinations"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/history").doesNotContain("jane");
        assertThat(browser.driver.findElement(By.id("history-determinations")).getText()).contains(run + "/1").contains("INACTIVE");
        assertThat(browser.driver.findElement(By.id("history-suppressions")).getText()).contains("ASL_ACME").contains("ADDED");
        browser.screenshot("history");

        browser.driver.findElement(By.linkText("Suppressions")).click();
        browser.waitForPage("/console/suppressions");
        browser.type("f-de", "ASL_GLOBEX");
        new Select(browser.driver.findElement(By.id("f-state"))).selectByVisibleText("FAILED");
        browser.click("filter");
        await("the filtered list").atMost(Duration.ofSeconds(10)).until(() -> browser.driver.getCurrentUrl().contains("state=FAILED"));
        assertThat(browser.text("suppressions")).contains("bob@globex.com").contains("Invalid email address").contains("classifier")
                .doesNotContain("jane.doe@acme.org");
        assertThat(browser.driver.findElements(By.cssSelector("main table form"))).as("a read key sees no release button").isEmpty();
        browser.screenshot("suppressions");
        Files.deleteIfExists(Browser.DOWNLOADS.resolve("suppressions.csv"));
        browser.click("export");
        await("suppressions.csv in " + Browser.DOWNLOADS).atMost(Duration.ofSeconds(20))
                .until(() -> Files.isRegularFile(Browser.DOWNLOADS.resolve("suppressions.csv")));
        assertThat(Files.readString(Browser.DOWNLOADS.resolve("suppressions.csv"), StandardCharsets.UTF_8))
                .contains("bob@globex.com").contains("ASL_GLOBEX").doesNotContain("jane.doe@acme.org").doesNotContain("ASL_ACME");

        browser.type("address", "Jane.Doe@acme.org");
        browser.click("search-address");
        await("the address's rows").atMost(Duration.ofSeconds(10)).until(() -> browser.text("suppressions").contains("jane.doe@acme.org"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/suppressions").doesNotContain("jane");
        assertThat(browser.text("suppressions")).contains("ASL_ACME").contains("ADDED").contains(run);

        browser.driver.findElement(By.linkText("Status")).click();
        browser.waitForPage("/console/status");
        assertThat(browser.text("mode")).isEqualTo("dry-run");
        assertThat(browser.driver.findElements(By.cssSelector("svg#chart rect"))).isNotEmpty();
        browser.screenshot("status");

        browser.driver.findElement(By.linkText("Opt-outs")).click();
        browser.waitForPage("/console/opt-outs");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Opt-outs");
        browser.screenshot("opt-outs");
    }

    @Test
    void aFormPostedWithoutItsCsrfTokenIsRefusedEvenWithTheSessionCookie() {
        browser.signIn(base, READ_KEY);
        browser.open(base, "/console/history");
        // What a page of another origin could do at best: post the form without the token it cannot read.
        browser.script("""
                const f = document.createElement('form'); f.method = 'post'; f.action = '/console/history';
                const e = document.createElement('input'); e.name = 'email'; e.value = 'jane.doe@acme.org'; f.appendChild(e);
                document.body.appendChild(f); f.submit();""");
        await("the refusal").atMost(Duration.ofSeconds(10)).until(() -> browser.driver.getPageSource().contains("CSRF token is missing"));
        browser.screenshot("csrf-refused");

        // Positive control: the console's own form, with its token, is served.
        browser.open(base, "/console/history");
        browser.driver.findElement(By.id("email")).sendKeys("nobody@acme.org");
        browser.driver.findElement(By.id("search")).click();
        assertThat(browser.text("no-history")).contains("nobody@acme.org");
    }

    @Test
    void signingOutEndsTheSession() {
        browser.signIn(base, READ_KEY);
        browser.open(base, "/console/status");
        browser.driver.findElement(By.id("sign-out")).click();
        browser.waitForPage("/console/login?signed-out=true");
        assertThat(browser.text("signed-out")).isEqualTo("You are signed out.");
        browser.screenshot("signed-out");

        browser.open(base, "/console/status");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/console/login");
    }

    /** A run of today with one confirmed, one failed and one skipped suppression, exported (dry-run: mail withheld). */
    private String seedExportedRun(LocalDate today) {
        String run = "console-" + UUID.randomUUID();
        postBatch(run, batch(today.toString())
                .inactive(run + "/1", "Jane.Doe@acme.org", "Acme Weekly")
                .inactive(run + "/2", "bob@globex.com", "Globex News")
                .inactive(run + "/3", "dave@acme.org", null)
                .item(run + "/4", "gina@acme.org", "ACTIVE", "accountName", "Acme Weekly")
                .json()).statusCode(202);
        // The test profile's mock client takes every row at once; then SFMC's answers are set as a live run would have them.
        await("the flusher to settle run " + run).atMost(Duration.ofSeconds(20)).until(
                () -> db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND (state = 'PENDING' OR claim_token IS NOT NULL)",
                        run) == 0);
        db.execute("UPDATE suppression_outbox SET state = 'ADDED', reason = NULL WHERE run_id = ? AND target = 'ASL_ACME'", run);
        db.execute("UPDATE suppression_outbox SET state = 'FAILED', reason = NULL, sfmc_message = 'Invalid email address', attempts = 1 "
                + "WHERE run_id = ? AND target = 'ASL_GLOBEX'", run);
        complete(run).statusCode(202);
        await("run " + run + " to be exported").atMost(Duration.ofSeconds(30)).until(
                () -> "EXPORTED".equals(Api.run(run).extract().path("state")));
        return run;
    }
}
