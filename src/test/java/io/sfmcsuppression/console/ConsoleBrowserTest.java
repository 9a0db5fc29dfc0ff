package io.sfmcsuppression.console;

import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.complete;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

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

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final Path DOWNLOADS = Path.of("target/console-downloads").toAbsolutePath();

    private static WebDriver browser;

    @TestHTTPResource("/")
    URL base;

    @Inject
    Database db;

    @BeforeAll
    static void startBrowser() throws IOException {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String missing = "chromium and chromium-driver are needed (apt-get install -y chromium chromium-driver)";
            if ("true".equals(System.getenv("CI"))) {
                fail(missing);
            }
            Assumptions.abort(missing + "; not installed here, so the browser tests did not run");
        }
        Files.createDirectories(SCREENSHOTS);
        Files.createDirectories(DOWNLOADS);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400")
                .setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toString(),
                        "download.prompt_for_download", false));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
        browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorWithAReadKeyFollowsARunFromTheListToItsFilesAndAnAddress() throws IOException {
        LocalDate today = LocalDate.now(ZoneId.of("America/New_York"));
        String run = seedExportedRun(today);

        open("/console/runs");
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
        screenshot("sign-in");
        // Keyboard first: the skip link is the first stop, the key field has the focus.
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("j_password");
        browser.switchTo().activeElement().sendKeys(READ_KEY, Keys.ENTER);

        waitForPage("/console/runs");
        assertThat(text("viewer-name")).isEqualTo("reader");
        WebElement row = browser.findElement(By.linkText(run)).findElement(By.xpath("./ancestor::tr"));
        assertThat(row.getText()).contains("EXPORTED");
        screenshot("runs");

        browser.findElement(By.linkText(run)).click();
        waitForPage("/console/runs/" + run);
        assertThat(text("run-id")).isEqualTo(run);
        assertThat(text("run-state")).isEqualTo("EXPORTED");
        assertThat(text("mail-state")).isEqualTo("WITHHELD");
        assertThat(browser.findElement(By.id("failed")).getText()).contains("bob@globex.com").contains("Invalid email address");
        assertThat(browser.findElement(By.id("outbox")).getText()).contains("FAILED 1");
        // A read key sees no action: the only form on the page is the sign-out.
        assertThat(browser.findElements(By.cssSelector("main form"))).isEmpty();
        screenshot("run");

        String file = "Marketing_NoLongerThere_" + today + ".csv";
        Files.deleteIfExists(DOWNLOADS.resolve(file));
        browser.findElement(By.linkText(file)).click();
        await(file + " in " + DOWNLOADS).atMost(Duration.ofSeconds(20)).until(() -> Files.isRegularFile(DOWNLOADS.resolve(file)));
        assertThat(Files.readString(DOWNLOADS.resolve(file), StandardCharsets.UTF_8))
                .startsWith("Email Address,Status,Date Added\r\n").contains("jane.doe@acme.org,Unsubscribed," + today);

        browser.findElement(By.linkText("Address history")).click();
        waitForPage("/console/history");
        browser.findElement(By.id("email")).sendKeys("Jane.Doe@acme.org");
        browser.findElement(By.id("search")).click();
        browser.findElement(By.id("history-determinations"));
        assertThat(browser.getCurrentUrl()).endsWith("/console/history").doesNotContain("jane");
        assertThat(browser.findElement(By.id("history-determinations")).getText()).contains(run + "/1").contains("INACTIVE");
        assertThat(browser.findElement(By.id("history-suppressions")).getText()).contains("ASL_ACME").contains("ADDED");
        screenshot("history");

        browser.findElement(By.linkText("Status")).click();
        waitForPage("/console/status");
        assertThat(text("mode")).isEqualTo("dry-run");
        assertThat(browser.findElements(By.cssSelector("svg#chart rect"))).isNotEmpty();
        screenshot("status");

        browser.findElement(By.linkText("Opt-outs")).click();
        waitForPage("/console/opt-outs");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Opt-outs");
        screenshot("opt-outs");
    }

    @Test
    void aFormPostedWithoutItsCsrfTokenIsRefusedEvenWithTheSessionCookie() {
        signIn();
        open("/console/history");
        // What a page of another origin could do at best: post the form without the token it cannot read.
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                const f = document.createElement('form'); f.method = 'post'; f.action = '/console/history';
                const e = document.createElement('input'); e.name = 'email'; e.value = 'jane.doe@acme.org'; f.appendChild(e);
                document.body.appendChild(f); f.submit();""");
        await("the refusal").atMost(Duration.ofSeconds(10)).until(() -> browser.getPageSource().contains("CSRF token is missing"));
        screenshot("csrf-refused");

        // Positive control: the console's own form, with its token, is served.
        open("/console/history");
        browser.findElement(By.id("email")).sendKeys("nobody@acme.org");
        browser.findElement(By.id("search")).click();
        assertThat(text("no-history")).contains("nobody@acme.org");
    }

    @Test
    void signingOutEndsTheSession() {
        signIn();
        open("/console/status");
        browser.findElement(By.id("sign-out")).click();
        waitForPage("/console/login?signed-out=true");
        assertThat(text("signed-out")).isEqualTo("You are signed out.");
        screenshot("signed-out");

        open("/console/status");
        assertThat(browser.getCurrentUrl()).endsWith("/console/login");
    }

    private void signIn() {
        browser.manage().deleteAllCookies();
        open("/console/login");
        browser.findElement(By.id("j_password")).sendKeys(READ_KEY);
        browser.findElement(By.id("sign-in")).click();
        waitForPage("/console/runs");
    }

    /** A click starts a navigation; the next page is there once the URL says so. */
    private void waitForPage(String path) {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.urlMatches(".*" + Pattern.quote(path) + "$"));
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

    private void open(String path) {
        browser.get(base.toString().replaceAll("/$", "") + path);
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private void screenshot(String name) {
        try {
            Path shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
