package io.sfmcsuppression.optout;

import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.sfmcsuppression.consent.ConsentSfmcMock;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

/** RFC 8058 one-click unsubscribe: minted links, the POST that records, the GET that never does, refused tokens. */
@QuarkusTest
@QuarkusTestResource(value = ConsentSfmcMock.class, restrictToAnnotatedClass = true)
class OneClickUnsubscribeTest {

    private static final String FORM = "List-Unsubscribe=One-Click";

    @Inject
    Database db;

    @BeforeEach
    void realClock() {
        ConsentSfmcMock.reset();
        QuarkusMock.installMockForType(Clock.systemUTC(), Clock.class);
    }

    @Test
    void aMintedLinkRecordsTheOptOutByPostOnceAndNamesNothingReadable() {
        String key = key();
        String url = mint(key, "publication", "pl_weekly_promos").statusCode(200)
                .body("listUnsubscribePost", equalTo(FORM))
                .body("url", startsWith("https://prefs.example.org/unsubscribe/one-click?t="))
                .body("listUnsubscribe", startsWith("<https://prefs.example.org/unsubscribe/one-click?t="))
                .extract().path("url");
        String token = url.substring(url.indexOf("?t=") + 3);
        assertThat(token).doesNotContain(key.substring(0, 10)).doesNotContain("pl_weekly").doesNotContain("publication");

        post(token, FORM).statusCode(200).contentType(startsWith("text/plain")).body(equalTo("You are unsubscribed.\n"));
        assertThat(db.count("SELECT COUNT(*) FROM consent_opt_outs WHERE subscriber_key = ? AND scope = 'publication' "
                + "AND list_id = 'pl_weekly_promos' AND actor = 'one-click' AND source LIKE 'one-click:%'", key)).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM consent_audit WHERE subscriber_key = ? AND kind = 'OPT_OUT_RECEIVED'", key)).isEqualTo(1);

        post(token, FORM).statusCode(200);
        assertThat(db.count("SELECT COUNT(*) FROM consent_opt_outs WHERE subscriber_key = ?", key)).as("posted twice, recorded once")
                .isEqualTo(1);
    }

    @Test
    void getNeverUnsubscribesItShowsAButtonThatPosts() {
        String key = key();
        String token = token(key);

        RestAssured.given().redirects().follow(false).when().get("/unsubscribe/one-click?t=" + token).then()
                .statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("<form method=\"post\" action=\"one-click?t=" + token + "\">"))
                .body(containsString("name=\"List-Unsubscribe\" value=\"One-Click\""))
                .body(not(containsString(key)));
        assertThat(db.count("SELECT COUNT(*) FROM consent_opt_outs WHERE subscriber_key = ?", key)).isZero();
    }

    @Test
    void aTokenWithOneAlteredByteIsRefusedAndRecordsNothing() {
        String key = key();
        String token = token(key);
        int i = token.length() / 2;
        String altered = token.substring(0, i) + (token.charAt(i) == 'A' ? 'B' : 'A') + token.substring(i + 1);
        double before = refused("forged");

        post(altered, FORM).statusCode(400).body("detail", containsString("not valid; nothing was recorded"));
        RestAssured.when().get("/unsubscribe/one-click?t=" + altered).then().statusCode(400);
        post("not-a-token!", FORM).statusCode(400);

        assertThat(db.count("SELECT COUNT(*) FROM consent_opt_outs WHERE subscriber_key = ?", key)).isZero();
        assertThat(refused("forged") - before).isGreaterThanOrEqualTo(2);
    }

    @Test
    void aTokenPastItsExpiryIsGoneAndRecordsNothing() {
        String key = key();
        String token = token(key);
        QuarkusMock.installMockForType(Clock.fixed(Instant.now().plus(Duration.ofDays(91)), ZoneOffset.UTC), Clock.class);

        post(token, FORM).statusCode(410).body("detail", containsString("expired"));
        assertThat(db.count("SELECT COUNT(*) FROM consent_opt_outs WHERE subscriber_key = ?", key)).isZero();
    }

    @Test
    void aPostWithoutTheOneClickBodyIsRefused() {
        String key = key();
        post(token(key), "List-Unsubscribe=Maybe").statusCode(400);
        assertThat(db.count("SELECT COUNT(*) FROM consent_opt_outs WHERE subscriber_key = ?", key)).isZero();
    }

    @Test
    void mintingNeedsTheConsentRoleAndAValidScope() {
        as(Api.READ_KEY).contentType(ContentType.JSON).body("{\"subscriberKey\":\"a@acme.org\",\"scope\":\"account\"}")
                .when().post("/api/v1/consent/unsubscribe-links").then().statusCode(403);
        RestAssured.given().contentType(ContentType.JSON).body("{\"subscriberKey\":\"a@acme.org\",\"scope\":\"account\"}")
                .when().post("/api/v1/consent/unsubscribe-links").then().statusCode(401);
        mint(key(), "everything", null).statusCode(422).body("errors[0].field", equalTo("scope"));
    }

    private static String key() {
        return "one-click-" + UUID.randomUUID() + "@acme.org";
    }

    private static String token(String key) {
        String url = mint(key, "account", null).statusCode(200).extract().path("url");
        return url.substring(url.indexOf("?t=") + 3);
    }

    private static ValidatableResponse mint(String key, String scope, String list) {
        String body = "{\"subscriberKey\":\"" + key + "\",\"scope\":\"" + scope + "\""
                + (list == null ? "" : ",\"publicationListId\":\"" + list + "\"") + "}";
        return as(Api.CONSENT_KEY).contentType(ContentType.JSON).body(body).when().post("/api/v1/consent/unsubscribe-links").then();
    }

    private static ValidatableResponse post(String token, String form) {
        return RestAssured.given().contentType("application/x-www-form-urlencoded").body(form)
                .when().post("/unsubscribe/one-click?t=" + token).then();
    }

    private static double refused(String reason) {
        String metrics = io.sfmcsuppression.support.Management.metrics();
        return metrics.lines().filter(l -> l.startsWith("consent_one_click_refused_total{") && l.contains("reason=\"" + reason + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }
}
