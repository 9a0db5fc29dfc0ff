package io.sfmcsuppression.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.sfmcsuppression.support.PackagedApp;

/**
 * Bad input against the packaged jar: each case gets its documented status as problem+json,
 * leaks no internals, and leaves the service's data as it was.
 */
class BadInputCorpusIT {

    private static final String SEEDED_RUN = "corpus-seeded";
    private static PackagedApp app;

    /** One bad request and the status the README documents for it. */
    record Case(String name, String method, String path, String contentType, String body, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String item(String fields) {
        return "{\"determinations\":[{" + fields + "}]}";
    }

    private static String inactive(String emailJson) {
        return item("\"id\":\"c1\",\"email\":" + emailJson + ",\"determination\":\"INACTIVE\",\"accountName\":\"Acme Weekly\"");
    }

    private static Case post(String name, String body, int status) {
        return new Case(name, "POST", "/api/v1/runs/corpus-run/determinations", "application/json", body, status);
    }

    private static Case consent(String endpoint, String name, String body, int status) {
        return new Case("consent " + endpoint + ": " + name, "POST", "/api/v1/consent/" + endpoint, "application/json", body, status);
    }

    static Stream<Case> corpus() {
        List<Case> cases = new ArrayList<>();
        // malformed JSON and wrong JSON types → 400
        cases.add(post("truncated JSON", "{\"determinations\": [ {\"id\": ", 400));
        cases.add(post("top-level array", "[1,2,3]", 400));
        cases.add(post("top-level string", "\"INACTIVE\"", 400));
        cases.add(post("empty body", "", 400));
        cases.add(post("JSON null", "null", 400));
        cases.add(post("determinations is a string", "{\"determinations\":\"INACTIVE\"}", 400));
        cases.add(post("determinations is an object", "{\"determinations\":{\"id\":\"x\"}}", 400));
        cases.add(post("item is a number", "{\"determinations\":[1]}", 400));
        cases.add(post("id is an object", item("\"id\":{\"a\":1},\"email\":\"a@acme.org\",\"determination\":\"ACTIVE\""), 400));
        cases.add(post("email is an array", item("\"id\":\"c1\",\"email\":[\"a@acme.org\"],\"determination\":\"ACTIVE\""), 400));
        cases.add(post("nesting 5000 deep", "{\"determinations\":" + "[".repeat(5000) + "]".repeat(5000) + "}", 400));
        cases.add(post("single quotes", "{'determinations':[]}", 400));
        cases.add(post("trailing garbage", "{\"determinations\":[]} xyz", 400));
        // item errors → 422
        cases.add(post("empty determinations", "{\"determinations\":[]}", 422));
        cases.add(post("no determinations member", "{\"runDate\":\"2026-11-23\"}", 422));
        cases.add(post("missing id", item("\"email\":\"a@acme.org\",\"determination\":\"ACTIVE\""), 422));
        cases.add(post("missing email", item("\"id\":\"c1\",\"determination\":\"ACTIVE\""), 422));
        cases.add(post("missing determination", item("\"id\":\"c1\",\"email\":\"a@acme.org\""), 422));
        cases.add(post("unknown determination type", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"RETIRED\""), 422));
        cases.add(post("lower-case determination type", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"inactive\""), 422));
        cases.add(post("email is a number", inactive("12345"), 422));
        cases.add(post("email without @", inactive("\"jane.acme.org\""), 422));
        cases.add(post("email with two @", inactive("\"jane@doe@acme.org\""), 422));
        cases.add(post("email starting with =", inactive("\"=HYPERLINK(\\\"http://x\\\")@acme.org\""), 422));
        cases.add(post("email starting with +", inactive("\"+1@acme.org\""), 422));
        cases.add(post("email starting with -", inactive("\"-2@acme.org\""), 422));
        cases.add(post("email starting with @", inactive("\"@acme.org\""), 422));
        cases.add(post("email with a newline inside", inactive("\"ja\\nne@acme.org\""), 422));
        cases.add(post("email with NUL", inactive("\"ja\\u0000ne@acme.org\""), 422));
        cases.add(post("email with zero-width space", inactive("\"ja\\u200bne@acme.org\""), 422));
        cases.add(post("email with right-to-left override", inactive("\"\\u202egro.emca@enaj\""), 422));
        cases.add(post("email with a lone surrogate", inactive("\"ja\\ud800ne@acme.org\""), 422));
        cases.add(post("email of 255 characters", inactive("\"" + "a".repeat(246) + "@acme.org\""), 422));
        cases.add(post("id of 201 characters", item("\"id\":\"" + "i".repeat(201) + "\",\"email\":\"a@acme.org\",\"determination\":\"ACTIVE\""), 422));
        cases.add(post("id with a control character", item("\"id\":\"c\\u00071\",\"email\":\"a@acme.org\",\"determination\":\"ACTIVE\""), 422));
        cases.add(post("accountName of 257 characters", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"INACTIVE\",\"accountName\":\"" + "x".repeat(257) + "\""), 422));
        cases.add(post("accountName with NUL", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"INACTIVE\",\"accountName\":\"Acme\\u0000\""), 422));
        cases.add(post("newTitle of 257 characters", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"TITLE_UPDATE\",\"newTitle\":\"" + "t".repeat(257) + "\""), 422));
        cases.add(post("businessUnit with path traversal", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"INACTIVE\",\"businessUnit\":\"../../etc\""), 422));
        cases.add(post("businessUnit with a slash", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"INACTIVE\",\"businessUnit\":\"a/b\""), 422));
        cases.add(post("businessUnit of 65 characters", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"INACTIVE\",\"businessUnit\":\"" + "b".repeat(65) + "\""), 422));
        cases.add(post("runDate not a date", "{\"runDate\":\"2026-13-45\",\"determinations\":[{\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"ACTIVE\"}]}", 422));
        cases.add(post("runDate as a number", "{\"runDate\":20261123,\"determinations\":[{\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"ACTIVE\"}]}", 422));
        cases.add(post("receivedAt not an instant", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"ACTIVE\",\"receivedAt\":\"yesterday\""), 422));
        cases.add(post("returnDate 30 February", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"OUT_OF_OFFICE\",\"returnDate\":\"2026-02-30\""), 422));
        cases.add(post("one good item and one bad", "{\"determinations\":[{\"id\":\"c-good\",\"email\":\"good@acme.org\",\"determination\":\"INACTIVE\"},{\"id\":\"c-bad\",\"email\":\"bad\",\"determination\":\"INACTIVE\"}]}", 422));
        // size limits → 413
        cases.add(post("body over 16 MB", item("\"id\":\"c1\",\"email\":\"a@acme.org\",\"determination\":\"ACTIVE\",\"newTitle\":\"" + "y".repeat(17 * 1024 * 1024) + "\""), 413));
        StringBuilder many = new StringBuilder("{\"determinations\":[");
        for (int i = 0; i < 10_001; i++) {
            many.append(i == 0 ? "" : ",").append("{\"id\":\"m").append(i).append("\",\"email\":\"m").append(i).append("@acme.org\",\"determination\":\"ACTIVE\"}");
        }
        cases.add(post("10 001 items", many.append("]}").toString(), 413));
        // content types → 415
        cases.add(new Case("text/plain body", "POST", "/api/v1/runs/corpus-run/determinations", "text/plain", "id,email", 415));
        cases.add(new Case("XML body", "POST", "/api/v1/runs/corpus-run/determinations", "application/xml", "<determinations/>", 415));
        // run ids and query parameters
        cases.add(new Case("run id with a space", "POST", "/api/v1/runs/a b/determinations", "application/json", inactive("\"a@acme.org\""), 400));
        cases.add(new Case("run id of 65 characters", "POST", "/api/v1/runs/" + "r".repeat(65) + "/determinations", "application/json", inactive("\"a@acme.org\""), 400));
        cases.add(new Case("run id with Unicode", "POST", "/api/v1/runs/ränn/determinations", "application/json", inactive("\"a@acme.org\""), 400));
        cases.add(new Case("run id with encoded slash", "GET", "/api/v1/runs/a%2F..%2Fb", null, null, 400));
        cases.add(new Case("unknown run", "GET", "/api/v1/runs/corpus-unknown", null, null, 404));
        cases.add(new Case("completing an unknown run", "POST", "/api/v1/runs/corpus-unknown/complete", null, null, 404));
        cases.add(new Case("limit not a number", "GET", "/api/v1/runs?limit=abc", null, null, 400));
        cases.add(new Case("negative limit", "GET", "/api/v1/runs?limit=-1", null, null, 400));
        cases.add(new Case("unknown state", "GET", "/api/v1/runs?state=SLEEPING", null, null, 400));
        cases.add(new Case("idleFor not a duration", "POST", "/api/v1/runs/complete-idle?idleFor=30min", null, null, 400));
        cases.add(new Case("negative idleFor", "POST", "/api/v1/runs/complete-idle?idleFor=-PT1M", null, null, 400));
        cases.add(new Case("email history of 300 characters", "GET", "/api/v1/emails/" + "e".repeat(290) + "@acme.org", null, null, 400));
        // deliverable names: only names the run recorded are served, so no path reaches the file system
        String files = "/api/v1/runs/" + SEEDED_RUN + "/deliverables/";
        cases.add(new Case("deliverable name with encoded ../", "GET", files + "..%2F..%2F..%2Fetc%2Fpasswd", null, null, 404));
        cases.add(new Case("deliverable name with encoded ..\\", "GET", files + "..%5C..%5Capp.log", null, null, 404));
        cases.add(new Case("deliverable name with encoded dots", "GET", files + "%2E%2E%2Fapp.log", null, null, 404));
        cases.add(new Case("deliverable name as an absolute path", "GET", files + "%2Fetc%2Fpasswd", null, null, 404));
        cases.add(new Case("deliverable of a run not exported yet", "GET", files + "Marketing_NoLongerThere_2026-11-23.csv", null, null, 404));
        // consent validation and unsubscribe
        cases.add(consent("validate", "no subscriber keys", "{\"send\":{\"classification\":\"MARKETING_NEWSLETTER\"},\"subscriberKeys\":[]}", 422));
        cases.add(consent("validate", "subscriberKeys is a string", "{\"send\":{\"classification\":\"MARKETING_NEWSLETTER\"},\"subscriberKeys\":\"a@acme.org\"}", 400));
        cases.add(consent("validate", "unknown send classification", "{\"send\":{\"classification\":\"MARKETING_SPAM\"},\"subscriberKeys\":[\"a@acme.org\"]}", 422));
        cases.add(consent("validate", "marketing send without a publication list", "{\"send\":{\"isTransactional\":false},\"subscriberKeys\":[\"a@acme.org\"]}", 422));
        cases.add(consent("validate", "subscriber key with a control character", "{\"send\":{\"classification\":\"MARKETING_NEWSLETTER\"},\"subscriberKeys\":[\"ja\\u0007ne@acme.org\"]}", 422));
        StringBuilder keys = new StringBuilder("{\"send\":{\"classification\":\"MARKETING_NEWSLETTER\"},\"subscriberKeys\":[");
        for (int i = 0; i < 10_001; i++) {
            keys.append(i == 0 ? "" : ",").append("\"k").append(i).append("@acme.org\"");
        }
        cases.add(consent("validate", "10 001 subscriber keys", keys.append("]}").toString(), 413));
        cases.add(consent("unsubscribe", "unknown scope", "{\"subscriberKey\":\"a@acme.org\",\"scope\":\"galaxy\"}", 422));
        cases.add(consent("unsubscribe", "publication scope without a list", "{\"subscriberKey\":\"a@acme.org\",\"scope\":\"publication\"}", 422));
        cases.add(consent("unsubscribe", "no subscriber key", "{\"scope\":\"account\"}", 422));
        cases.add(consent("unsubscribe", "subscriber key with a newline", "{\"subscriberKey\":\"ja\\nne@acme.org\",\"scope\":\"account\"}", 422));
        return cases.stream();
    }

    @BeforeAll
    static void startAndSeed() throws Exception {
        app = PackagedApp.fresh("corpus").start();
        given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY).contentType("application/json")
                .body("{\"runDate\":\"2026-11-23\",\"determinations\":[{\"id\":\"seed-1\",\"email\":\"seed@acme.org\","
                        + "\"determination\":\"INACTIVE\",\"accountName\":\"Acme Weekly\"}]}")
                .when().post("/api/v1/runs/{run}/determinations", SEEDED_RUN).then().statusCode(202);
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadRequestGetsItsDocumentedProblemAndChangesNothing(Case c) {
        RequestSpecification request = given().baseUri(app.baseUri()).urlEncodingEnabled(!c.path().contains("%"))
                .header("X-API-Key", PackagedApp.API_KEY);
        if (c.contentType() != null) {
            request.contentType(c.contentType()).body(c.body());
        }
        Response response = request.request(c.method(), c.path());

        assertThat(response.statusCode()).as(c.name()).isEqualTo(c.status());
        assertThat(response.contentType()).as(c.name()).startsWith("application/problem+json");
        String body = response.asString();
        assertThat(body).as(c.name()).doesNotContain("Exception", "\tat ", "SQL", "org.h2", "org.postgresql", "jdbc");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(c.status());
        assertUnchanged();
    }

    @Test
    void theCorpusHasAtLeastFortyCases() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(40);
    }

    private static void assertUnchanged() {
        List<Map<String, Object>> runs = given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                .queryParam("limit", 500).when().get("/api/v1/runs").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(runs).extracting(r -> r.get("runId")).containsExactly(SEEDED_RUN);
        given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                .when().get("/api/v1/runs/{run}", SEEDED_RUN).then().statusCode(200)
                .body("state", equalTo("OPEN")).body("counts.INACTIVE", equalTo(1)).body("inactivePeople", equalTo(1));
        given().baseUri(app.baseUri()).header("X-API-Key", PackagedApp.API_KEY)
                .when().get("/api/v1/consent/opt-outs").then().statusCode(200).body("count", equalTo(0));
    }
}
