package io.sfmcsuppression.console;

import static io.restassured.RestAssured.given;
import static io.sfmcsuppression.support.Api.INGEST_KEY;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Sign-in with an API key through the form, the session cookie, CSRF on console posts, roles, sign-out; the API unchanged. */
@QuarkusTest
class ConsoleAuthTest {

    private static final Pattern HIDDEN_TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([A-Za-z0-9_-]+)\"");

    @Test
    void pagesSendAnonymousVisitorsToTheSignInForm() {
        given().redirects().follow(false).when().get("/console/runs")
                .then().statusCode(303).header("Location", endsWith("/console/login"));
        given().when().get("/console/login")
                .then().statusCode(200).contentType(ContentType.HTML).body(containsString("name=\"j_password\""));
    }

    @Test
    void aReadKeySignsInToASessionCookieScopedToTheConsole() {
        Response signIn = signIn(READ_KEY);
        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.header("Location")).endsWith("/console/runs");
        String setCookie = signIn.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("console-session="))
                .findFirst().orElseThrow();
        assertThat(setCookie).contains("Path=/console").containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Strict");
        // The cookie is encrypted: the key appears nowhere in it.
        assertThat(setCookie).doesNotContain(READ_KEY);

        given().cookie("console-session", signIn.cookie("console-session")).when().get("/console/runs")
                .then().statusCode(200).body(containsString("Signed in as <strong id=\"viewer-name\">reader</strong>"));
    }

    @Test
    void anUnknownKeyIsSentBackToTheFormWithAMessage() {
        Response signIn = signIn("not-a-key");
        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.header("Location")).endsWith("/console/login?failed=true");
        assertThat(signIn.cookie("console-session")).isNull();
    }

    @Test
    void aSignInPostedFromAnotherSiteIsRefused() {
        given().redirects().follow(false).header("Origin", "https://attacker.example").contentType(ContentType.URLENC)
                .formParam("j_username", "api-key").formParam("j_password", READ_KEY)
                .when().post("/console/j_security_check").then().statusCode(403).header("Set-Cookie", org.hamcrest.Matchers.nullValue());
        given().redirects().follow(false).header("Sec-Fetch-Site", "cross-site").contentType(ContentType.URLENC)
                .formParam("j_username", "api-key").formParam("j_password", READ_KEY)
                .when().post("/console/j_security_check").then().statusCode(403);
        // Positive control: the same post from the console's own origin signs in.
        Response sameSite = given().redirects().follow(false).header("Sec-Fetch-Site", "same-origin").contentType(ContentType.URLENC)
                .formParam("j_username", "api-key").formParam("j_password", READ_KEY)
                .when().post("/console/j_security_check");
        assertThat(sameSite.statusCode()).isEqualTo(302);
        assertThat(sameSite.cookie("console-session")).isNotNull();
    }

    @Test
    void aKeyWithoutTheReadRoleIsRefused() {
        String session = signIn(INGEST_KEY).cookie("console-session");
        given().cookie("console-session", session).when().get("/console/runs")
                .then().statusCode(403).contentType(ContentType.HTML).body(containsString("read"));
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedAndOneWithItIsServed() {
        String session = signIn(READ_KEY).cookie("console-session");
        Response form = given().cookie("console-session", session).when().get("/console/history");
        String cookieToken = form.cookie(ConsoleCsrf.COOKIE);
        String fieldToken = hiddenToken(form.asString());
        assertThat(fieldToken).isEqualTo(cookieToken);

        // No token at all.
        given().cookie("console-session", session).contentType(ContentType.URLENC).formParam("email", "nobody@acme.org")
                .when().post("/console/history").then().statusCode(403).body(containsString("CSRF"));
        // The cookie without the field (what a cross-site form would send).
        given().cookie("console-session", session).cookie(ConsoleCsrf.COOKIE, cookieToken).contentType(ContentType.URLENC)
                .formParam("email", "nobody@acme.org").when().post("/console/history").then().statusCode(403);
        // A field that is not the cookie's.
        given().cookie("console-session", session).cookie(ConsoleCsrf.COOKIE, cookieToken).contentType(ContentType.URLENC)
                .formParam("email", "nobody@acme.org").formParam("csrf-token", "A".repeat(43))
                .when().post("/console/history").then().statusCode(403);
        // Positive control: the pair the page handed out.
        given().cookie("console-session", session).cookie(ConsoleCsrf.COOKIE, cookieToken).contentType(ContentType.URLENC)
                .formParam("email", "nobody@acme.org").formParam("csrf-token", fieldToken)
                .when().post("/console/history").then().statusCode(200).body(containsString("No determination was ever recorded"));
    }

    @Test
    void signOutClearsTheSessionCookie() {
        String session = signIn(READ_KEY).cookie("console-session");
        Response page = given().cookie("console-session", session).when().get("/console/runs");
        String token = page.cookie(ConsoleCsrf.COOKIE);

        given().cookie("console-session", session).contentType(ContentType.URLENC).when().post("/console/sign-out")
                .then().statusCode(403);
        Response signOut = given().redirects().follow(false).cookie("console-session", session).cookie(ConsoleCsrf.COOKIE, token)
                .contentType(ContentType.URLENC).formParam("csrf-token", hiddenToken(page.asString()))
                .when().post("/console/sign-out");
        assertThat(signOut.statusCode()).isEqualTo(303);
        assertThat(signOut.header("Location")).endsWith("/console/login?signed-out=true");
        String cleared = signOut.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("console-session="))
                .findFirst().orElseThrow();
        assertThat(cleared).containsIgnoringCase("Max-Age=0");
    }

    @Test
    void theApiStillTakesOnlyTheKeyHeader() {
        given().when().get("/api/v1/status").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("X-API-Key"));
        given().header("X-API-Key", READ_KEY).when().get("/api/v1/status").then().statusCode(200);
        // The console's session cookie is scoped to /console: a browser never sends it to the API.
        assertThat(signIn(READ_KEY).headers().getValues("Set-Cookie")).allSatisfy(c -> assertThat(c).doesNotContain("Path=/;"));
        given().header("X-API-Key", READ_KEY).when().get("/api/v1/status").then().statusCode(200)
                .header("Set-Cookie", not(containsString("console")));
    }

    static Response signIn(String key) {
        return given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", "api-key").formParam("j_password", key)
                .when().post("/console/j_security_check");
    }

    private static String hiddenToken(String html) {
        Matcher m = HIDDEN_TOKEN.matcher(html);
        assertThat(m.find()).as("a csrf-token field in the page").isTrue();
        return m.group(1);
    }
}
