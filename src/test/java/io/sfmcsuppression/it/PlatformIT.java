package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.PackagedApp;

/** What a platform team sees of the packaged jar in its prod profile: ports, logs, start-up refusals, SMTP policy. */
class PlatformIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");

    @Test
    void withoutConfiguredKeysProdRefusesToStart() throws Exception {
        try (PackagedApp app = PackagedApp.fresh("nokeys").withoutApiKeys()) {
            assertThatThrownBy(app::start).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited during startup")
                    .hasMessageContaining("No API key is configured")
                    .hasMessageContaining("SECURITY_ALLOW_GENERATED_KEY");
        }
    }

    /** The README's quick start: no key configured, a generated one explicitly allowed. Logs are JSON lines with trace ids. */
    @Test
    void aTrialRunWithAGeneratedKeyLogsJsonWithTraceIdsAndServesProbesOnTheManagementPortOnly() throws Exception {
        try (PackagedApp app = PackagedApp.fresh("trial").withoutApiKeys().with("SECURITY_ALLOW_GENERATED_KEY", "true").start()) {
            given().baseUri(app.managementUri()).when().get("/q/health/ready").then().statusCode(200);
            given().baseUri(app.managementUri()).when().get("/q/metrics").then().statusCode(200);
            given().baseUri(app.baseUri()).when().get("/q/health/ready").then().statusCode(404);
            given().baseUri(app.baseUri()).when().get("/q/metrics").then().statusCode(404);
            given().baseUri(app.baseUri()).header("X-API-Key", "not-the-key").when().get("/api/v1/emails/{e}", "jane.doe@trial.example.org")
                    .then().statusCode(401);

            await("the access log line").atMost(Duration.ofSeconds(10)).until(() -> accessLine(app) != null);
            List<String> lines = app.log().lines().filter(l -> !l.isBlank()).toList();
            for (String line : lines) {
                assertThat(JSON.readTree(line).isObject()).as(line).isTrue();
            }
            assertThat(lines).anyMatch(l -> l.contains("Generated a key with every role"));
            JsonNode access = accessLine(app);
            assertThat(access.path("message").asText()).matches("GET /api/v1/emails/j\\*\\*\\*@trial\\.example\\.org 401 \\d+ ms");
            assertThat(access.path("mdc").path("traceId").asText()).matches(TRACE_ID);
            assertThat(access.path("mdc").path("spanId").asText()).matches("[0-9a-f]{16}");
            assertThat(app.log()).doesNotContain("jane.doe").doesNotContain("not-the-key");
        }
    }

    /** GreenMail speaks plain SMTP: prod's default (STARTTLS required) sends nothing rather than mail in clear text. */
    @Test
    void prodRequiresStartTlsSoAPlainSmtpServerGetsNoMail() throws Exception {
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        int smtpPort = smtp.getSmtp().getPort();
        try (PackagedApp app = PackagedApp.fresh("starttls")
                .with("SUPPRESSION_MODE", "live")
                .with("EXPORT_EVERY", "1s")
                .with("DELIVERABLES_DIR", Files.createTempDirectory("it-starttls-runs").toString())
                .with("NOTIFICATION_MARKETING_TO", "marketing@example.org")
                .with("NOTIFICATION_FROM", "suppression@example.org")
                .with("QUARKUS_MAILER_HOST", "127.0.0.1").with("QUARKUS_MAILER_PORT", String.valueOf(smtpPort))
                .start()) {
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                    .body(Batches.batch("2026-11-23").inactive("tls/1", "p1@tls.example.org", "Acme Weekly").json())
                    .when().post("/api/v1/runs/starttls/determinations").then().statusCode(202);
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                    .when().post("/api/v1/runs/starttls/complete").then().statusCode(202);

            await("the mail refused for want of STARTTLS").atMost(Duration.ofSeconds(60)).until(() -> {
                JsonPath run = run(app);
                return "RETRYING".equals(run.getString("notification.state")) && run.getString("notification.lastError") != null;
            });
            assertThat(run(app).getString("notification.lastError")).containsIgnoringCase("STARTTLS");
            assertThat(smtp.getReceivedMessages()).isEmpty();
        } finally {
            smtp.stop();
        }
    }

    private static String log(PackagedApp app) {
        try {
            return app.log();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("Not a JSON line: " + line, e);
        }
    }

    private static JsonPath run(PackagedApp app) {
        return given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                .when().get("/api/v1/runs/starttls").then().statusCode(200).extract().jsonPath();
    }

    private static JsonNode accessLine(PackagedApp app) {
        for (String line : log(app).lines().toList()) {
            if (line.contains("\"io.sfmcsuppression.access\"")) {
                JsonNode node = json(line);
                if (node.path("message").asText().startsWith("GET /api/v1/emails/")) {
                    return node;
                }
            }
        }
        return null;
    }
}
