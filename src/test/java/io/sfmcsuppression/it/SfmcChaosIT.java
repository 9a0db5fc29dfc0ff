package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.assertj.core.api.SoftAssertions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.sfmcsuppression.support.Batches;
import io.sfmcsuppression.support.ChaoticSfmc;
import io.sfmcsuppression.support.ChaoticSfmc.Answer;
import io.sfmcsuppression.support.ChaoticSfmc.Call;
import io.sfmcsuppression.support.ChaoticSfmc.Mode;
import io.sfmcsuppression.support.PackagedApp;

/**
 * The packaged jar in live mode against an SFMC stand-in that misbehaves for about two minutes
 * ({@link ChaoticSfmc}): 30 % of upserts 429 with Retry-After, 10 % 500, 10 % answered after the
 * request timeout, tokens that expire every 5 s and are revoked once, then a 60 s outage (30 s of
 * 503 from the REST host, 30 s of both hosts dropping connections), then chaos again. Batches
 * keep arriving throughout. Afterwards every row is ADDED and SFMC accepted every address, no
 * address was in two upserts at once, the circuit breaker opened and closed again, and no upsert
 * went out while a Retry-After was running.
 */
class SfmcChaosIT {

    private static final long SEED = 20261123L;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Seconds since the first batch at which the stand-in changes behaviour. */
    private static final int REVOKE_AT = 12;
    private static final int REST_503_FROM = 30;
    private static final int UNREACHABLE_FROM = 60;
    private static final int CHAOS_AGAIN_FROM = 90;
    private static final int LAST_BATCH_AT = 99;
    private static final int ROWS_PER_BATCH = 12;
    /**
     * How far apart the service's and the stand-in's views of one moment may be on a loaded machine:
     * with a load average of 19 on 2 cores, a 429 reached the service's code 0.47 s after it left
     * the stand-in, and a request the service sent meanwhile arrived 0.33 s after the 429 left. The
     * bug this test found sent upserts 0.3 to 0.7 s after a 429 with Retry-After 1 or 2 s, most of
     * them past this lag.
     */
    private static final Duration LAG = Duration.ofMillis(500);

    private static final Set<Answer> OUTAGE = EnumSet.of(Answer.UNAVAILABLE, Answer.RESET, Answer.TOKEN_RESET);
    private static final Pattern OPENED = Pattern.compile("ft_circuitbreaker_opened_total\\{[^}]*LiveSfmcClient[^}]*} ([0-9.E]+)");
    private static final Pattern REFRESHES = Pattern.compile("sfmc_token_refreshes_total\\{[^}]*reason=\"unauthorized\"[^}]*} ([0-9.E]+)");
    private static final Pattern STATE = Pattern.compile("ft_circuitbreaker_state_current\\{[^}]*LiveSfmcClient[^}]*state=\"(\\w+)\"[^}]*} ([0-9.E]+)");

    @Test
    void twoMinutesOfSfmcChaosEndWithEveryRowAddedOnceAtATime() throws Exception {
        ChaoticSfmc sfmc = ChaoticSfmc.start(SEED);
        try (PackagedApp app = PackagedApp.fresh("sfmcchaos")
                .with("SUPPRESSION_MODE", "live")
                .with("SFMC_CLIENT_ID", PackagedApp.CLIENT_ID).with("SFMC_CLIENT_SECRET", PackagedApp.CLIENT_SECRET)
                .with("SFMC_AUTH_BASE_URI", sfmc.baseUrl())
                // WireMock (127.0.0.1, named localhost in its base URL) stands in for Salesforce's hosts.
                .with("SFMC_ALLOWED_TEST_HOSTS", "127.0.0.1,localhost")
                .with("SFMC_SUPPRESSION_LIST_MAPPING", "{\"Acme Weekly\":\"ASL_ACME\",\"Globex News\":\"ASL_GLOBEX\"}")
                .with("SFMC_UPSERT_BATCH_SIZE", "20")
                .with("SFMC_FLUSH_INTERVAL", "1s")
                // Tokens live 5 s: renewing 1 s early means they really expire and are renewed all the time.
                .with("SFMC_TOKEN_REFRESH_SKEW", "PT1S")
                .with("SFMC_REQUEST_TIMEOUT", REQUEST_TIMEOUT.toString())
                // Short waits so the storm fits in CI; the doubling per attempt still applies.
                .with("SFMC_RETRY_BACKOFF", "PT0.5S")
                .with("SFMC_HEALTH_BACKOFF", "PT1S").with("SFMC_HEALTH_BACKOFF_MAX", "PT4S")
                // A row fails an attempt in each round it is sent during the 503 half of the outage (up to about
                // six with the back-off above) and, rarely, otherwise (a 500 or timeout on all three tries of one
                // call). The default 5 could turn the outage into FAILED rows; the claim here is that nothing is lost.
                .with("SFMC_MAX_ATTEMPTS", "30")) {
            shortenCircuitBreakerDelay(app.workDir());
            app.start();

            Map<String, Integer> posted = storm(app, sfmc);
            Instant stormOver = Instant.now();
            for (String run : posted.keySet()) {
                await("no row of " + run + " PENDING").atMost(Duration.ofSeconds(90)).until(
                        () -> runView(app, run).getInt("suppression.PENDING") == 0);
            }
            Duration drain = Duration.between(stormOver, Instant.now());

            List<Call> calls = sfmc.calls();
            Map<Answer, Integer> answers = new EnumMap<>(Answer.class);
            calls.forEach(c -> answers.merge(c.answer(), 1, Integer::sum));
            String log = app.log();
            String metrics = metrics(app);
            metrics.lines().filter(l -> l.startsWith("ft_circuitbreaker")).forEach(System.out::println);
            System.out.printf("SfmcChaosIT: %d rows, %d calls %s, %d circuit-breaker-open warnings, drained %s after the storm%n",
                    posted.values().stream().mapToInt(Integer::intValue).sum(), calls.size(), answers,
                    occurrences(log, "SFMC circuit breaker is open"), drain);

            assertThat(answers).as("the stand-in really misbehaved (not a vacuous pass)")
                    .containsKeys(Answer.THROTTLED, Answer.SERVER_ERROR, Answer.SLOW_OK, Answer.UNAUTHORIZED_REVOKED,
                            Answer.UNAVAILABLE, Answer.TOKEN_RESET);
            assertThat(answers).as("calls SFMC would refuse in any weather").doesNotContainKey(Answer.REFUSED_BY_CONTRACT);
            assertThat(answers.get(Answer.THROTTLED)).isGreaterThanOrEqualTo(10);
            assertThat(answers.get(Answer.SERVER_ERROR)).isGreaterThanOrEqualTo(3);
            assertThat(answers.get(Answer.SLOW_OK)).isGreaterThanOrEqualTo(3);
            // Tokens live 5 s and are renewed 1 s early; over some 100 s in which the token host answers, ten at least.
            assertThat(answers.get(Answer.TOKEN)).as("tokens obtained").isGreaterThanOrEqualTo(10);

            // Every property is checked and reported, so one CI log shows all that broke.
            SoftAssertions softly = new SoftAssertions();
            for (String run : posted.keySet()) {
                JsonPath view = runView(app, run);
                softly.assertThat(view.getInt("suppression.ADDED")).as(run + " ADDED").isEqualTo(posted.get(run));
                softly.assertThat(view.getInt("suppression.FAILED")).as(run + " FAILED").isZero();
            }
            assertEveryAddressAccepted(softly, calls, posted);
            assertNoAddressTwiceInFlight(softly, calls);
            assertRetryAfterRespected(softly, calls);
            assertTokenRenewedOnRefusal(softly, answers, log, metrics);
            // Renewed 1 s early, a token runs out in flight only when the machine stalls the request that long;
            // without renewal before expiry there would be one such 401 every 5 s.
            softly.assertThat(answers.getOrDefault(Answer.UNAUTHORIZED_EXPIRED, 0))
                    .as("upserts that carried an expired token").isLessThanOrEqualTo(2);
            assertCircuitBreakerOpenedAndClosed(softly, log, metrics, calls);
            assertNothingSecretLogged(softly, log, metrics);
            softly.assertAll();
        } finally {
            sfmc.stop();
        }
    }

    /**
     * Posts a batch every second for {@link #LAST_BATCH_AT} seconds while the stand-in goes through
     * its phases; each phase's rows go to a run of their own. Returns rows posted per run.
     */
    private static Map<String, Integer> storm(PackagedApp app, ChaoticSfmc sfmc) throws InterruptedException {
        Map<String, Integer> posted = new LinkedHashMap<>();
        long start = System.nanoTime();
        for (int second = 0; second <= LAST_BATCH_AT; second++) {
            sfmc.mode(modeAt(second));
            if (second == REVOKE_AT) {
                sfmc.revokeTokensAtNextUpsert();
            }
            String run = runAt(second);
            Batches batch = Batches.batch("2026-11-23");
            for (int i = 0; i < ROWS_PER_BATCH; i++) {
                batch.inactive("chaos/" + second + "/" + i, "p" + second + "-" + i + "@chaos.example.org",
                        i % 2 == 0 ? "Acme Weekly" : "Globex News");
            }
            given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType(ContentType.JSON)
                    .body(batch.json()).when().post("/api/v1/runs/" + run + "/determinations").then().statusCode(202);
            posted.merge(run, ROWS_PER_BATCH, Integer::sum);
            long next = start + Duration.ofSeconds(second + 1).toNanos();
            Thread.sleep(Math.max(0, Duration.ofNanos(next - System.nanoTime()).toMillis()));
        }
        sfmc.mode(Mode.CHAOS);
        return posted;
    }

    /** One run per phase: chaos-a (chaos), chaos-b (503), chaos-c (unreachable), chaos-d (chaos again). */
    private static String runAt(int second) {
        int phase = second < REST_503_FROM ? 0 : second < UNREACHABLE_FROM ? 1 : second < CHAOS_AGAIN_FROM ? 2 : 3;
        return "chaos-" + (char) ('a' + phase);
    }

    private static Mode modeAt(int second) {
        if (second >= CHAOS_AGAIN_FROM || second < REST_503_FROM) {
            return Mode.CHAOS;
        }
        return second < UNREACHABLE_FROM ? Mode.REST_503 : Mode.UNREACHABLE;
    }

    /**
     * The breaker's 30 s would swallow half the outage; 5 s lets it open, half-open and open again
     * within it. Quarkus's per-method fault-tolerance keys are read at run time from
     * config/application.properties in the working directory.
     */
    private static void shortenCircuitBreakerDelay(Path workDir) throws Exception {
        Files.createDirectories(workDir.resolve("config"));
        Files.writeString(workDir.resolve("config/application.properties"),
                "quarkus.fault-tolerance.\"io.sfmcsuppression.sfmc.LiveSfmcClient/upsert\".circuit-breaker.delay=5000\n");
    }

    private static void assertEveryAddressAccepted(SoftAssertions softly, List<Call> calls, Map<String, Integer> posted) {
        Set<String> accepted = new HashSet<>();
        calls.stream().filter(c -> c.answer() == Answer.OK).forEach(c -> accepted.addAll(c.emails()));
        int rows = posted.values().stream().mapToInt(Integer::intValue).sum();
        softly.assertThat(accepted).as("addresses SFMC answered 200 in time at least once").hasSize(rows);
    }

    /**
     * A call holds its addresses from arrival until its answer left, or until the service gave up
     * on it, whichever came first: a slow answer still being written by the stand-in after the
     * service timed out is not a request the service has in flight. The service gives up the request
     * timeout after sending, which the stand-in may have seen up to {@link #LAG} late.
     */
    private static void assertNoAddressTwiceInFlight(SoftAssertions softly, List<Call> calls) {
        record Window(Instant from, Instant to) {
        }
        Map<String, List<Window>> byAddress = new HashMap<>();
        for (Call call : calls) {
            if (!call.upsert()) {
                continue;
            }
            Instant givenUp = call.arrived().plus(REQUEST_TIMEOUT).minus(LAG);
            Instant to = call.answered() == null || call.answered().isAfter(givenUp) ? givenUp : call.answered();
            for (String email : call.emails()) {
                byAddress.computeIfAbsent(email, e -> new ArrayList<>()).add(new Window(call.arrived(), to));
            }
        }
        List<String> overlaps = new ArrayList<>();
        byAddress.forEach((email, windows) -> {
            windows.sort(Comparator.comparing(Window::from));
            Instant busyUntil = Instant.MIN;
            for (Window w : windows) {
                if (w.from().isBefore(busyUntil)) {
                    overlaps.add(email + " at " + w.from());
                }
                busyUntil = busyUntil.isAfter(w.to()) ? busyUntil : w.to();
            }
        });
        softly.assertThat(overlaps).as("addresses in two upserts at once").isEmpty();
    }

    /** After a 429 with Retry-After N s left the stand-in, no upsert arrives for N s (beyond those already on their way). */
    private static void assertRetryAfterRespected(SoftAssertions softly, List<Call> calls) {
        List<String> early = new ArrayList<>();
        for (Call throttled : calls) {
            if (throttled.answer() != Answer.THROTTLED || throttled.answered() == null) {
                continue;
            }
            Instant quietFrom = throttled.answered().plus(LAG);
            Instant quietUntil = throttled.answered().plus(throttled.retryAfter());
            for (Call call : calls) {
                if (call.upsert() && call.arrived().isAfter(quietFrom) && call.arrived().isBefore(quietUntil)) {
                    early.add(call.answer() + " arrived " + Duration.between(throttled.answered(), call.arrived()).toMillis()
                            + " ms after a 429 with Retry-After " + throttled.retryAfter().toSeconds() + " s");
                }
            }
        }
        softly.assertThat(early).as("upserts sent while a Retry-After ran").isEmpty();
    }

    /**
     * The revocation refused the upserts then in flight (one to four) with 401, and the service
     * renewed the token on that answer (its log and its refresh counter say so) rather than only
     * when the old one ran out; the rows all ending ADDED shows the new token worked.
     */
    private static void assertTokenRenewedOnRefusal(SoftAssertions softly, Map<Answer, Integer> answers, String log, String metrics) {
        softly.assertThat(answers.getOrDefault(Answer.UNAUTHORIZED_REVOKED, 0)).as("upserts refused for a revoked token")
                .isBetween(1, 4);
        softly.assertThat(log).contains("SFMC refused the token");
        assertCountedAtLeastOnce(softly, metrics, REFRESHES, "sfmc_token_refreshes_total{reason=\"unauthorized\"}");
    }

    /**
     * The 503 half of the outage opens the breaker (its warning is logged and the fault-tolerance
     * metrics count it); it is closed at the end, and SFMC accepted rows after the outage.
     */
    private static void assertCircuitBreakerOpenedAndClosed(SoftAssertions softly, String log, String metrics, List<Call> calls) {
        softly.assertThat(log).contains("SFMC circuit breaker is open");
        assertCountedAtLeastOnce(softly, metrics, OPENED, "ft_circuitbreaker_opened_total of LiveSfmcClient");
        Map<String, Double> state = new HashMap<>();
        Matcher states = STATE.matcher(metrics);
        while (states.find()) {
            state.put(states.group(1), Double.parseDouble(states.group(2)));
        }
        softly.assertThat(state).as("the breaker's current state").containsEntry("closed", 1.0);
        Instant lastOutageCall = calls.stream().filter(c -> OUTAGE.contains(c.answer()))
                .map(Call::arrived).max(Comparator.naturalOrder()).orElseThrow();
        softly.assertThat(calls).as("upserts SFMC accepted after the outage")
                .anyMatch(c -> c.answer() == Answer.OK && c.arrived().isAfter(lastOutageCall));
    }

    private static void assertCountedAtLeastOnce(SoftAssertions softly, String metrics, Pattern counter, String name) {
        Matcher line = counter.matcher(metrics);
        if (line.find()) {
            softly.assertThat(Double.parseDouble(line.group(1))).as(name).isGreaterThanOrEqualTo(1);
        } else {
            softly.fail("no " + name + " in /q/metrics");
        }
    }

    private static JsonPath runView(PackagedApp app, String run) {
        return given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                .when().get("/api/v1/runs/" + run).then().statusCode(200).extract().jsonPath();
    }

    private static String metrics(PackagedApp app) {
        return given().when().get(app.metricsUrl()).then().statusCode(200).extract().asString();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            count++;
        }
        return count;
    }

    /**
     * DESIGN section 8 under the error paths chaos exercises most (401s, renewals, 5xx bodies, resets):
     * no client secret, token, API key or full address reaches the log or the metrics.
     */
    private static void assertNothingSecretLogged(SoftAssertions softly, String log, String metrics) {
        for (String text : List.of(log, metrics)) {
            softly.assertThat(text).doesNotContain(PackagedApp.CLIENT_SECRET, "tok-chaos-", PackagedApp.API_KEY);
            softly.assertThat(Pattern.compile("p\\d+-\\d+@chaos\\.example\\.org").matcher(text).find())
                    .as("a full address in the log or metrics").isFalse();
        }
    }
}
