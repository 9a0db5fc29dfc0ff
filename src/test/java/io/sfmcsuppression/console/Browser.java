package io.sfmcsuppression.console;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless browser (Debian's chromium and chromium-driver) on the console, one for the test
 * JVM (each test signs in afresh), closed when the JVM ends: in CI a missing browser fails the
 * tests, elsewhere it skips them, saying so. Screenshots go to target/console-screenshots/,
 * downloads to target/console-downloads/.
 */
final class Browser {

    static final Path DOWNLOADS = Path.of("target/console-downloads").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

    private static Browser shared;

    final WebDriver driver;

    private Browser(WebDriver driver) {
        this.driver = driver;
    }

    static synchronized Browser shared() throws IOException {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.driver::quit));
        }
        return shared;
    }

    private static Browser start() throws IOException {
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
        WebDriver driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
                options);
        driver.manage().timeouts().implicitlyWait(Duration.ofSeconds(2));
        return new Browser(driver);
    }

    void open(URL base, String path) {
        driver.get(base.toString().replaceAll("/$", "") + path);
    }

    /** Signs in with {@code key} on a fresh session and waits for the landing page. */
    void signIn(URL base, String key) {
        driver.manage().deleteAllCookies();
        open(base, "/console/login");
        driver.findElement(By.id("j_password")).sendKeys(key);
        driver.findElement(By.id("sign-in")).click();
        waitForPage("/console/runs");
    }

    /** A click starts a navigation; the next page is there once the URL says so. */
    void waitForPage(String path) {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlMatches(".*" + Pattern.quote(path) + "$"));
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** Types {@code value} into the field {@code id}. */
    void type(String id, String value) {
        driver.findElement(By.id(id)).sendKeys(value);
    }

    void click(String id) {
        driver.findElement(By.id(id)).click();
    }

    /** Runs a script in the page, as a page of another origin or a hand-made form would. */
    void script(String js) {
        ((JavascriptExecutor) driver).executeScript(js);
    }

    void screenshot(String name) {
        try {
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
