package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.restassured.http.ContentType;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.PackagedApp;
import io.sfmcsuppression.support.SfmcWireMock;

/**
 * Every metric that the Helm chart's alert rules ({@code files/alerts.yaml}) and Grafana dashboard
 * ({@code files/dashboard.json}) use is exported by the packaged jar. The jar runs in live mode
 * against an SFMC stand-in (one upsert throttled with 429, so the throttling series exist) and
 * GreenMail, gets a run through intake, suppression, export and the N04 mail, and a consent
 * validation and opt-out, because Micrometer creates a tagged counter only when it first counts.
 * Then the names are read from its Prometheus endpoint, as a scraper sees them.
 */
class MonitoringContractIT {

    private static final Path CHART = Path.of("helm/sfmc-suppression-service");
    private static final String RUN = "monitoring-contract";

    /**
     * Metrics the rules or the dashboard use before the service exports them, each with where it
     * comes from. The test fails when one of them appears, so that the entry is removed then.
     */
    private static final Map<String, String> NOT_YET_EXPORTED = Map.of();

    /** PromQL words that are not metric names. */
    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Test
    void everyMetricOfTheAlertsAndTheDashboardIsExported() throws Exception {
        Set<String> referenced = new TreeSet<>(alertMetrics());
        referenced.addAll(dashboardMetrics());
        // A floor, so that a parser that finds nothing cannot make the check vacuous.
        assertThat(referenced).contains("consent_opt_outs_overdue", "suppression_outbox_depth", "determinations_total",
                "sfmc_upserts_total", "sfmc_request_duration_seconds_bucket", "sfmc_throttled_total", "n04_mails_total",
                "export_rows_total", "consent_decisions_total", "http_server_requests_seconds_count");
        assertThat(referenced).as("metrics listed as not yet exported are used").containsAll(NOT_YET_EXPORTED.keySet());

        Set<String> exported = exportedAfterTraffic();

        List<String> missing = new ArrayList<>();
        for (String name : referenced) {
            if (!NOT_YET_EXPORTED.containsKey(name) && !exported.contains(name)) {
                missing.add(name);
            }
        }
        assertThat(missing).as("metrics used by the alerts or the dashboard that the service does not export").isEmpty();
        for (Map.Entry<String, String> pending : NOT_YET_EXPORTED.entrySet()) {
            assertThat(exported).as("%s is exported now (it came with %s): remove it from NOT_YET_EXPORTED",
                    pending.getKey(), pending.getValue()).doesNotContain(pending.getKey());
        }
    }

    /** Runs a little of everything through the jar, then returns the metric names of one scrape. */
    private static Set<String> exportedAfterTraffic() throws Exception {
        WireMockServer sfmc = new WireMockServer(WireMockConfiguration.wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        sfmc.start();
        GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        SfmcWireMock.stubToken(sfmc, "tok-monitoring", 1079);
        // The first upsert is throttled, the rest accepted.
        sfmc.stubFor(WireMock.post(WireMock.urlPathMatching("/hub/v1/dataevents/.*")).inScenario("throttle")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("accepted")
                .willReturn(WireMock.aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Too many requests\",\"errorcode\":50100,\"documentation\":\"\"}")));
        sfmc.stubFor(WireMock.post(WireMock.urlPathMatching("/hub/v1/dataevents/.*")).inScenario("throttle")
                .whenScenarioStateIs("accepted").willReturn(WireMock.okJson("[]")));
        // Consent reads: SFMC knows no subscriber and no send.
        sfmc.stubFor(WireMock.post(WireMock.urlEqualTo("/Service.asmx")).withHeader("SOAPAction", WireMock.equalTo("Retrieve"))
                .willReturn(WireMock.aResponse().withStatus(200).withHeader("Content-Type", "text/xml; charset=utf-8")
                        .withBody(emptyRetrieve())));

        try (PackagedApp app = PackagedApp.fresh("monitoring")
                .live(sfmc.baseUrl(), smtp.getSmtp().getPort(), Files.createTempDirectory("it-monitoring-runs")).start()) {
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                    .body(Batches.batch("2026-11-23").inactive(RUN + "/1", "ana@acme.example.org", "Acme Weekly")
                            .inactive(RUN + "/2", "ben@globex.example.org", "Globex News").json())
                    .when().post("/api/v1/runs/{run}/determinations", RUN).then().statusCode(202);
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                    .when().post("/api/v1/runs/{run}/complete", RUN).then().statusCode(202);
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                    .body("""
                            {"send":{"classification":"TRANSACTIONAL_ORDER"},"subscriberKeys":["cara@acme.example.org"]}""")
                    .when().post("/api/v1/consent/validate").then().log().ifValidationFails().statusCode(200);
            // SFMC's Execute is not stubbed: WireMock answers 404 without a SOAP envelope, a garbled answer (502).
            // The opt-out is recorded and stays PENDING, which counts it received.
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                    .body("{\"subscriberKey\":\"dan@acme.example.org\",\"scope\":\"account\",\"reason\":\"it\",\"source\":\"it\"}")
                    .when().post("/api/v1/consent/unsubscribe").then().log().ifValidationFails()
                    .statusCode(502).body("state", equalTo("PENDING"));

            await(RUN + " notified").atMost(Duration.ofSeconds(90)).until(() -> "NOTIFIED".equals(
                    given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                            .when().get("/api/v1/runs/{run}", RUN).then().extract().path("state")));
            return metricNames(given().when().get(metricsUrl(app)).then().statusCode(200).extract().asString());
        } finally {
            smtp.stop();
            sfmc.stop();
        }
    }

    /**
     * Where the jar serves its Prometheus metrics. The one place to change when they move to the
     * management interface (quarkus.management.port).
     */
    private static String metricsUrl(PackagedApp app) {
        return app.metricsUrl();
    }

    /** Names of the samples in a Prometheus text exposition (histograms as _bucket, _count, _sum). */
    static Set<String> metricNames(String exposition) {
        Set<String> names = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = NAME.matcher(line);
                if (m.lookingAt()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    /** Metric names in the expressions of the chart's alert rules. */
    private static Set<String> alertMetrics() throws IOException {
        List<String> lines = Files.readAllLines(CHART.resolve("files/alerts.yaml"));
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher expr = Pattern.compile("^(\\s*)expr:\\s*(.*)$").matcher(lines.get(i));
            if (!expr.matches()) {
                continue;
            }
            StringBuilder text = new StringBuilder(expr.group(2));
            if (expr.group(2).startsWith("|")) {
                // A block scalar: the lines indented deeper than `expr:`.
                int indent = expr.group(1).length();
                while (i + 1 < lines.size() && (lines.get(i + 1).isBlank() || leading(lines.get(i + 1)) > indent)) {
                    text.append(' ').append(lines.get(++i));
                }
                text.delete(0, 2);
            }
            names.addAll(promqlMetrics(text.toString()));
        }
        return names;
    }

    /** Metric names in the expressions of the dashboard's panels. */
    private static Set<String> dashboardMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(CHART.resolve("files/dashboard.json").toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                names.addAll(promqlMetrics(target.path("expr").asText()));
            }
        }
        return names;
    }

    /**
     * The metric names of a PromQL expression: what is left after Helm template actions, strings,
     * label matchers, range selectors and grouping clauses are removed, minus functions (a name
     * followed by a parenthesis), keywords and numbers.
     */
    static Set<String> promqlMetrics(String expression) {
        String e = expression.replaceAll("\\{\\{.*?}}", " ")
                .replaceAll("\"(\\\\.|[^\"\\\\])*\"", " ")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(e);
        while (m.find()) {
            String word = m.group();
            boolean function = e.substring(m.end()).matches("(?s)\\s*\\(.*");
            boolean number = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!function && !number && !PROMQL_WORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                names.add(word);
            }
        }
        return names;
    }

    private static int leading(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static String emptyRetrieve() {
        return """
                <?xml version="1.0" encoding="utf-8"?>
                <soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">
                   <soap:Body>
                      <RetrieveResponseMsg xmlns="http://exacttarget.com/wsdl/partnerAPI">
                         <OverallStatus>OK</OverallStatus>
                         <RequestID>6f0c1a52-monitoring</RequestID>
                      </RetrieveResponseMsg>
                   </soap:Body>
                </soap:Envelope>""";
    }
}
