package io.sfmcsuppression.web;

import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.sfmcsuppression.support.CapturedLog;

/** Request paths that hold an address reach the log masked: the access log and the error log. */
@QuarkusTest
class RequestPathMaskingTest {

    @Test
    void theAccessLogMasksTheAddressInAnEmailHistoryPath() {
        try (CapturedLog log = CapturedLog.open()) {
            as(READ_KEY).when().get("/api/v1/emails/{email}", "jane.doe@masked.example.org").then().statusCode(404);
            as(READ_KEY).urlEncodingEnabled(false).when().get("/api/v1/emails/sam.smith%40masked.example.org").then().statusCode(404);
            await("two access log lines").atMost(Duration.ofSeconds(5)).until(() ->
                    log.lines().stream().filter(l -> l.startsWith("io.sfmcsuppression.access")).count() >= 2);
            assertThat(log.lines())
                    .anyMatch(l -> l.startsWith("io.sfmcsuppression.access: GET /api/v1/emails/j***@masked.example.org 404 "))
                    .anyMatch(l -> l.startsWith("io.sfmcsuppression.access: GET /api/v1/emails/s***@masked.example.org 404 "))
                    .noneMatch(l -> l.contains("jane.doe") || l.contains("sam.smith"));
        }
    }

    @Test
    void pathsAreMaskedSegmentBySegment() {
        assertThat(RequestPaths.mask("/api/v1/emails/jane.doe@acme.org")).isEqualTo("/api/v1/emails/j***@acme.org");
        assertThat(RequestPaths.mask("/api/v1/emails/jane.doe%40acme.org")).isEqualTo("/api/v1/emails/j***@acme.org");
        assertThat(RequestPaths.mask("/api/v1/runs/2026-11-23/determinations")).isEqualTo("/api/v1/runs/2026-11-23/determinations");
        assertThat(RequestPaths.mask("/api/v1/emails/%zz@x")).doesNotContain("%zz@x");
    }

    /** What libraries log (Quarkus's own "HTTP Request to /api/v1/emails/... failed") is masked on the console. */
    @Test
    void theConsoleFilterMasksAddressesInAnyLogLine() {
        ExtLogRecord record = new ExtLogRecord(org.jboss.logmanager.Level.ERROR, "HTTP Request to /api/v1/emails/%s failed, error id: %s",
                ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] {"jane.doe%40acme.org", "b1c2"});
        assertThat(new AddressMaskingLogFilter().isLoggable(record)).isTrue();
        assertThat(record.getFormattedMessage()).isEqualTo("HTTP Request to /api/v1/emails/j***@acme.org failed, error id: b1c2");

        LogRecord plain = new LogRecord(Level.WARNING, "to jane.doe@acme.org and sam@globex.com, already j***@acme.org");
        new AddressMaskingLogFilter().isLoggable(plain);
        assertThat(plain.getMessage()).isEqualTo("to j***@acme.org and s***@globex.com, already j***@acme.org");
    }
}
