package io.sfmcsuppression.suppression;

import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sfmcsuppression.sfmc.LiveSfmcClient;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.DataExtensionStandIn;
import io.sfmcsuppression.support.Database;
import io.sfmcsuppression.support.InjectWireMock;
import io.sfmcsuppression.support.LiveSfmcProfile;
import io.sfmcsuppression.support.SfmcWireMock;

/** live mode against WireMock: what we send to SFMC, and what each answer does to the outbox. */
@QuarkusTest
@TestProfile(LiveSfmcProfile.class)
class SfmcLiveUpsertTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @InjectWireMock
    WireMockServer wm;

    @InjectWireMock
    DataExtensionStandIn dataExtensions;

    @Inject
    Database db;

    @Inject
    LiveSfmcClient live;

    private String run;
    private String tag;

    @BeforeEach
    void freshSfmc() {
        SfmcWireMock.restoreDefaults(wm);
        dataExtensions.clear();
        live.forgetToken();
        run = "sfmc-" + UUID.randomUUID();
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    private String email(int i) {
        return "p" + i + "-" + tag + "@acme.org";
    }

    private Batches inactive(String account, int from, int count) {
        Batches b = batch("2026-11-23");
        for (int i = from; i < from + count; i++) {
            b.inactive("m-" + tag + "-" + i, email(i), account);
        }
        return b;
    }

    private long rows(String state) {
        return db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = ?", run, state);
    }

    /** No row PENDING, none ADDED waiting for its read-back. */
    private void awaitNoPending() {
        await("no PENDING rows in run " + run).atMost(PATIENCE).until(() -> rows("PENDING") == 0
                && db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'ADDED' "
                + "AND next_attempt_at IS NOT NULL", run) == 0);
    }

    /** Reads of the data extension, oldest first. */
    private List<LoggedRequest> readRequests(String key) {
        return wm.findAll(WireMock.getRequestedFor(WireMock.urlPathEqualTo("/data/v1/customobjectdata/key/" + key + "/rowset")));
    }

    /** The addresses a read's $filter names (Email Address in ('a','b')). */
    private static List<String> filtered(LoggedRequest read) {
        String filter = read.queryParameter("$filter").firstValue();
        assertThat(filter).startsWith("Email Address in ('").endsWith("')");
        return Arrays.stream(filter.substring("Email Address in ('".length(), filter.length() - 2).split("','")).toList();
    }

    private List<LoggedRequest> tokenRequests() {
        return wm.findAll(WireMock.postRequestedFor(WireMock.urlPathEqualTo("/v2/token")));
    }

    /** Rowset requests that carry this test's addresses, oldest first. */
    private List<LoggedRequest> rowsetRequests(String key) {
        return wm.findAll(WireMock.postRequestedFor(WireMock.urlEqualTo("/hub/v1/dataevents/key:" + key + "/rowset")))
                .stream().filter(r -> r.getBodyAsString().contains(tag)).toList();
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&")).map(p -> p.split("=", 2)).collect(Collectors.toMap(
                p -> URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                p -> p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : ""));
    }

    @Test
    void oneFormTokenRequestServesManyUpsertsOfAtMost50RowsEach() {
        postBatch(run, inactive("Acme Weekly", 1, 120).json()).statusCode(202);
        awaitNoPending();

        assertThat(rows("VERIFIED")).isEqualTo(120);
        List<LoggedRequest> tokens = tokenRequests();
        assertThat(tokens).hasSize(1);
        LoggedRequest token = tokens.get(0);
        assertThat(token.getUrl()).isEqualTo("/v2/token");
        assertThat(token.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(token.containsHeader("Authorization")).isFalse();
        assertThat(form(token.getBodyAsString())).containsExactlyInAnyOrderEntriesOf(Map.of(
                "grant_type", "client_credentials",
                "client_id", LiveSfmcProfile.CLIENT_ID,
                "client_secret", LiveSfmcProfile.CLIENT_SECRET,
                "account_id", LiveSfmcProfile.ACCOUNT_ID));

        List<LoggedRequest> upserts = rowsetRequests("ASL_ACME");
        assertThat(upserts).hasSize(3);
        int total = 0;
        for (LoggedRequest upsert : upserts) {
            assertThat(upsert.getHeader("Authorization")).isEqualTo("Bearer " + SfmcWireMock.TOKEN);
            assertThat(upsert.getHeader("Content-Type")).startsWith("application/json");
            JsonNode rows = body(upsert);
            assertThat(rows.isArray()).isTrue();
            assertThat(rows.size()).isLessThanOrEqualTo(50);
            total += rows.size();
        }
        assertThat(total).isEqualTo(120);
        JsonNode first = body(upserts.get(0)).get(0);
        assertThat(first.get("keys").get("Email Address").asText()).endsWith(tag + "@acme.org");
        assertThat(first.get("keys").size()).isEqualTo(1);
        assertThat(first.get("values").get("Date Added").asText()).isEqualTo("2026-11-23");
        assertThat(first.get("values").size()).isEqualTo(1);
    }

    @Test
    void anExpiredTokenIsReplacedBeforeTheNextUpsert() throws InterruptedException {
        // expires_in 65 s with the default 60-second refresh skew: due for refresh within 4 to 5 s.
        wm.stubFor(WireMock.post("/v2/token").inScenario("expiry").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(WireMock.okJson(SfmcWireMock.tokenBody(wm, "tok-short", 65))).willSetStateTo("renewed"));
        wm.stubFor(WireMock.post("/v2/token").inScenario("expiry").whenScenarioStateIs("renewed")
                .willReturn(WireMock.okJson(SfmcWireMock.tokenBody(wm, "tok-renewed", 1079))));

        postBatch(run, inactive("Acme Weekly", 1, 1).json()).statusCode(202);
        awaitNoPending();
        Thread.sleep(5500);
        postBatch(run, inactive("Acme Weekly", 2, 1).json()).statusCode(202);
        awaitNoPending();

        assertThat(rows("VERIFIED")).isEqualTo(2);
        assertThat(tokenRequests()).hasSizeGreaterThanOrEqualTo(2);
        List<LoggedRequest> upserts = rowsetRequests("ASL_ACME");
        assertThat(upserts.get(0).getHeader("Authorization")).isEqualTo("Bearer tok-short");
        assertThat(upserts.get(upserts.size() - 1).getHeader("Authorization")).isEqualTo("Bearer tok-renewed");
    }

    @Test
    void a401RefreshesTheTokenOnceAndRetriesOnce() {
        wm.stubFor(WireMock.post("/v2/token").inScenario("revoked").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(WireMock.okJson(SfmcWireMock.tokenBody(wm, "tok-revoked", 1079))).willSetStateTo("second"));
        wm.stubFor(WireMock.post("/v2/token").inScenario("revoked").whenScenarioStateIs("second")
                .willReturn(WireMock.okJson(SfmcWireMock.tokenBody(wm, "tok-fresh", 1079))));
        wm.stubFor(WireMock.post(WireMock.urlPathMatching("/hub/v1/dataevents/.*")).atPriority(1)
                .withHeader("Authorization", WireMock.equalTo("Bearer tok-revoked"))
                .willReturn(WireMock.jsonResponse("{\"message\":\"Not Authorized\",\"errorcode\":0}", 401)));

        postBatch(run, inactive("Acme Weekly", 1, 3).json()).statusCode(202);
        awaitNoPending();

        assertThat(rows("VERIFIED")).isEqualTo(3);
        assertThat(tokenRequests()).hasSize(2);
        List<LoggedRequest> upserts = rowsetRequests("ASL_ACME");
        assertThat(upserts).extracting(r -> r.getHeader("Authorization"))
                .containsExactly("Bearer tok-revoked", "Bearer tok-fresh");
    }

    @Test
    void a429WithRetryAfter2IsNotRetriedSooner() {
        wm.stubFor(WireMock.post("/hub/v1/dataevents/key:ASL_UMBRELLA/rowset").atPriority(1)
                .inScenario("throttle").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(WireMock.jsonResponse("{\"message\":\"Rate limit exceeded\",\"errorcode\":50100,\"retryAfter\":2}", 429)
                        .withHeader("Retry-After", "2"))
                .willSetStateTo("open"));

        postBatch(run, inactive("Umbrella", 1, 5).json()).statusCode(202);
        awaitNoPending();

        assertThat(rows("VERIFIED")).isEqualTo(5);
        List<LoggedRequest> upserts = rowsetRequests("ASL_UMBRELLA");
        assertThat(upserts).hasSize(2);
        long waited = upserts.get(1).getLoggedDate().getTime() - upserts.get(0).getLoggedDate().getTime();
        assertThat(waited).isGreaterThanOrEqualTo(2000);
    }

    @Test
    void a500ThenSuccessEndsAdded() {
        wm.stubFor(WireMock.post("/hub/v1/dataevents/key:ASL_HOOLI/rowset").atPriority(1)
                .inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(WireMock.jsonResponse("{\"message\":\"Internal error\",\"errorcode\":0}", 500))
                .willSetStateTo("healthy"));

        postBatch(run, inactive("Hooli", 1, 4).json()).statusCode(202);
        awaitNoPending();

        assertThat(rows("VERIFIED")).isEqualTo(4);
        assertThat(rowsetRequests("ASL_HOOLI")).hasSize(2);
    }

    @Test
    void rule4_aBadRow7Of50EndsWith49AddedAnd1FailedWithSfmcsMessage() {
        String bad = email(7);
        String message = "Email: The value for column [Email Address] is not a valid email address. Parse error [InvalidEmailAddress]";
        wm.stubFor(WireMock.post("/hub/v1/dataevents/key:ASL_GLOBEX/rowset").atPriority(1)
                .withRequestBody(WireMock.containing(bad))
                .willReturn(WireMock.jsonResponse("{\"message\":\"Unable to save rows for data extension ID 1f2e\","
                        + "\"errorcode\":10006,\"documentation\":\"\",\"additionalErrors\":[{\"message\":\"" + message
                        + "\",\"errorcode\":10000,\"documentation\":\"\"}]}", 400)));

        postBatch(run, inactive("Globex News", 1, 50).json()).statusCode(202);
        awaitNoPending();

        assertThat(rows("VERIFIED")).isEqualTo(49);
        assertThat(rows("FAILED")).isEqualTo(1);
        assertThat(db.string("SELECT email_normalized FROM suppression_outbox WHERE run_id = ? AND state = 'FAILED'", run))
                .isEqualTo(bad);
        assertThat(db.string("SELECT sfmc_message FROM suppression_outbox WHERE run_id = ? AND state = 'FAILED'", run))
                .contains("errorcode 10006").contains(message);
        // Each request holds at most 50 rows, the first all 50; every good row was in a request answered 200.
        List<LoggedRequest> upserts = rowsetRequests("ASL_GLOBEX");
        assertThat(body(upserts.get(0)).size()).isEqualTo(50);
        assertThat(upserts.stream().filter(r -> !r.getBodyAsString().contains(bad))
                .flatMap(r -> java.util.stream.StreamSupport.stream(body(r).spliterator(), false))
                .map(n -> n.get("keys").get("Email Address").asText()).distinct().count()).isEqualTo(49);
        assertThat(upserts.size()).isLessThanOrEqualTo(20);
    }

    @Test
    void rule4_anUnknownDataExtensionFailsWithItsMessageAndOthersAreUnaffected() {
        wm.stubFor(WireMock.post("/hub/v1/dataevents/key:ASL_UNKNOWN/rowset").atPriority(1)
                .willReturn(WireMock.jsonResponse("{\"message\":\"Data extension with key ASL_UNKNOWN was not found\","
                        + "\"errorcode\":30003,\"documentation\":\"\"}", 404)));

        postBatch(run, inactive("Initech", 1, 3).inactive("m-" + tag + "-acme", email(99), "Acme Weekly").json())
                .statusCode(202);
        awaitNoPending();

        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND target = 'ASL_UNKNOWN' "
                + "AND state = 'FAILED' AND sfmc_message LIKE '%ASL_UNKNOWN was not found%'", run)).isEqualTo(3);
        assertThat(db.string("SELECT state FROM suppression_outbox WHERE run_id = ? AND target = 'ASL_ACME'", run))
                .isEqualTo("VERIFIED");
        assertThat(rowsetRequests("ASL_UNKNOWN")).hasSize(1);
    }

    @Test
    void readBackVerifiesEveryRowAndARowSilentlyDroppedFailsAfterOneMoreUpsert() {
        String dropped = email(77);
        dataExtensions.dropSilently(dropped);

        postBatch(run, inactive("Acme Weekly", 1, 120).json()).statusCode(202);
        awaitNoPending();

        assertThat(rows("VERIFIED")).isEqualTo(119);
        assertThat(rows("FAILED")).isEqualTo(1);
        assertThat(db.string("SELECT email_normalized FROM suppression_outbox WHERE run_id = ? AND state = 'FAILED'", run))
                .isEqualTo(dropped);
        assertThat(db.string("SELECT sfmc_message FROM suppression_outbox WHERE run_id = ? AND state = 'FAILED'", run))
                .isEqualTo("SFMC answered 200 but the row is not in the data extension");
        // Upserted twice (the first 200 and the one retry), nothing more.
        assertThat(rowsetRequests("ASL_ACME").stream().filter(r -> r.getBodyAsString().contains(dropped))).hasSize(2);

        List<LoggedRequest> reads = readRequests("ASL_ACME");
        for (LoggedRequest read : reads) {
            assertThat(read.getUrl()).startsWith("/data/v1/customobjectdata/key/ASL_ACME/rowset?");
            assertThat(read.getHeader("Authorization")).isEqualTo("Bearer " + SfmcWireMock.TOKEN);
            assertThat(read.queryParameter("$page").firstValue()).isEqualTo("1");
            assertThat(read.queryParameter("$pageSize").firstValue()).isEqualTo("2500");
        }
        // The 120 rows of the run date in one read (one page of up to 2 500), then by address only what
        // it did not find, before and after the one retry: 3 reads for 120 rows, at most one per 50.
        assertThat(reads).hasSize(3);
        assertThat(reads.get(0).queryParameter("$filter").firstValue()).isEqualTo("Date Added eq '2026-11-23'");
        assertThat(filtered(reads.get(1))).containsExactly(dropped);
        assertThat(filtered(reads.get(2))).containsExactly(dropped);
        assertThat(dataExtensions.readsByDate()).isEqualTo(1);
        assertThat(dataExtensions.readsByAddress()).isEqualTo(2);

        io.restassured.path.json.JsonPath view = Api.run(run).statusCode(200).extract().jsonPath();
        assertThat(view.getLong("suppression.VERIFIED")).isEqualTo(119);
        assertThat(view.getLong("suppression.FAILED")).isEqualTo(1);
        assertThat(view.getLong("suppression.ADDED")).isZero();
    }

    @Test
    void aReadByDateThatWouldCostMoreThanReadingByAddressStopsAfterItsFirstPage() {
        // Another writer's 6 000 rows of the same date: 3 pages, more than the 3 reads by address of 120 rows.
        for (int i = 0; i < 6000; i++) {
            dataExtensions.hold("ASL_ACME", "other" + i + "-" + tag + "@acme.org", java.time.LocalDate.parse("2026-11-23"));
        }

        postBatch(run, inactive("Acme Weekly", 1, 120).json()).statusCode(202);
        awaitNoPending();

        assertThat(rows("VERIFIED")).isEqualTo(120);
        assertThat(dataExtensions.readsByDate()).isEqualTo(1);
        assertThat(dataExtensions.readsByAddress()).isEqualTo(3);
        assertThat(readRequests("ASL_ACME").stream().skip(1).map(SfmcLiveUpsertTest::filtered).mapToInt(List::size)
                .sorted().boxed().toList()).containsExactly(20, 50, 50);
    }

    @Test
    void aTenantThatRefusesTheReadByDateHasItsRowsReadBackByAddress() {
        dataExtensions.refuseReadsByDate();

        postBatch(run, inactive("Acme Weekly", 1, 120).json()).statusCode(202);
        awaitNoPending();

        assertThat(rows("VERIFIED")).isEqualTo(120);
        assertThat(rows("FAILED")).isZero();
        List<LoggedRequest> reads = readRequests("ASL_ACME");
        assertThat(reads.get(0).queryParameter("$filter").firstValue()).isEqualTo("Date Added eq '2026-11-23'");
        assertThat(reads.stream().skip(1).map(SfmcLiveUpsertTest::filtered).mapToInt(List::size).sorted().boxed().toList())
                .containsExactly(20, 50, 50);
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND sfmc_message IS NOT NULL", run)).isZero();
    }

    @Test
    void aCrashBetweenThe200AndTheReadBackIsReadBackOnceTheLeaseEnds() {
        postBatch(run, inactive("Acme Weekly", 1, 3).json()).statusCode(202);
        awaitNoPending();
        int upserts = rowsetRequests("ASL_ACME").size();
        // As a replica leaves them that died after SFMC's 200: ADDED, claimed, lease over.
        db.execute("UPDATE suppression_outbox SET state = 'ADDED', claim_token = 'dead-replica', next_attempt_at = ? "
                + "WHERE run_id = ?", java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(1)), run);
        wm.resetRequests();

        await("the rows read back after the lease").atMost(PATIENCE).until(() -> rows("VERIFIED") == 3);

        assertThat(readRequests("ASL_ACME")).singleElement().satisfies(read -> assertThat(filtered(read)).hasSize(3));
        assertThat(rowsetRequests("ASL_ACME")).isEmpty();
        assertThat(upserts).isEqualTo(1);
    }

    @Test
    void a400AboutTheWholeDataExtensionFailsTheBatchInOneRequest() {
        String message = "Primary key 'email address' does not exist.";
        wm.stubFor(WireMock.post("/hub/v1/dataevents/key:ASL_GLOBEX/rowset").atPriority(1)
                .willReturn(WireMock.jsonResponse("{\"message\":\"" + message + "\",\"errorcode\":10000,\"documentation\":\"\"}", 400)));

        postBatch(run, inactive("Globex News", 1, 50).json()).statusCode(202);
        awaitNoPending();

        assertThat(rows("FAILED")).isEqualTo(50);
        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ? AND state = 'FAILED' AND sfmc_message = ?",
                run, "SFMC 400 errorcode 10000: " + message)).isEqualTo(50);
        assertThat(rowsetRequests("ASL_GLOBEX")).hasSize(1);
        assertThat(readRequests("ASL_GLOBEX")).isEmpty();
    }

    @Test
    void rule2_unmappedOrMissingAccountIsSkippedAndNothingIsSent() {
        // A mapped row in the same batch is the positive control: once it is verified, the flush
        // that would have sent the skipped rows has happened.
        postBatch(run, batch("2026-11-23")
                .inactive("m-" + tag + "-1", email(1), "Nowhere Inc")
                .item("m-" + tag + "-2", email(2), "INACTIVE")
                .inactive("m-" + tag + "-3", email(3), "Acme Weekly")
                .json()).statusCode(202);
        awaitNoPending();
        assertThat(rows("VERIFIED")).isEqualTo(1);
        assertThat(rowsetRequests("ASL_ACME")).hasSize(1);

        assertThat(db.string("SELECT reason FROM suppression_outbox WHERE run_id = ? AND email_normalized = ?", run, email(1)))
                .isEqualTo("NO_MAPPING");
        assertThat(db.string("SELECT reason FROM suppression_outbox WHERE run_id = ? AND email_normalized = ?", run, email(2)))
                .isEqualTo("NO_ACCOUNT");
        assertThat(rows("SKIPPED")).isEqualTo(2);
        assertThat(wm.findAll(WireMock.postRequestedFor(WireMock.urlPathMatching("/hub/.*")))
                .stream().filter(r -> r.getBodyAsString().contains(email(1)) || r.getBodyAsString().contains(email(2)))).isEmpty();
    }

    @Test
    void rule1_noCallEverForActiveTitleUpdateOutOfOfficeOrChangedEmail() {
        // The INACTIVE row is the positive control: once it is verified, its batch has been flushed.
        postBatch(run, batch("2026-11-23")
                .item("m-" + tag + "-1", email(1), "ACTIVE", "accountName", "Acme Weekly")
                .item("m-" + tag + "-2", email(2), "TITLE_UPDATE", "accountName", "Acme Weekly", "newTitle", "VP")
                .item("m-" + tag + "-3", email(3), "OUT_OF_OFFICE", "accountName", "Acme Weekly", "returnDate", "2026-12-01")
                .item("m-" + tag + "-4", email(4), "CHANGED_EMAIL", "accountName", "Acme Weekly", "newEmail", "n-" + tag + "@acme.org")
                .inactive("m-" + tag + "-5", email(5), "Acme Weekly")
                .json()).statusCode(202);
        awaitNoPending();

        assertThat(db.count("SELECT COUNT(*) FROM suppression_outbox WHERE run_id = ?", run)).isEqualTo(1);
        assertThat(rows("VERIFIED")).isEqualTo(1);
        List<LoggedRequest> upserts = rowsetRequests("ASL_ACME");
        assertThat(upserts).hasSize(1);
        assertThat(body(upserts.get(0))).hasSize(1);
        assertThat(body(upserts.get(0)).get(0).get("keys").get("Email Address").asText()).isEqualTo(email(5));
        assertThat(wm.findAll(WireMock.postRequestedFor(WireMock.urlPathMatching("/hub/.*"))).stream()
                .filter(r -> r.getBodyAsString().contains("n-" + tag)
                        || IntStream.rangeClosed(1, 4).anyMatch(i -> r.getBodyAsString().contains(email(i)))))
                .isEmpty();
    }
}
