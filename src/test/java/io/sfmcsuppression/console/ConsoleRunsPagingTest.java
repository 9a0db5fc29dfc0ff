package io.sfmcsuppression.console;

import static io.restassured.RestAssured.given;
import static io.sfmcsuppression.support.Api.READ_KEY;
import static io.sfmcsuppression.support.Api.postBatch;
import static io.sfmcsuppression.support.Batches.batch;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The runs list pages by keyset: every run once, and a run created between two pages shifts nothing. */
@QuarkusTest
class ConsoleRunsPagingTest {

    private static final Pattern RUN_LINK = Pattern.compile("<th scope=\"row\"><a href=\"/console/runs/([^\"]+)\">");
    private static final Pattern NEXT = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"");

    @Test
    void everyRunAppearsOnceAcrossPagesWhileRunsAreAdded() {
        String prefix = "paging-" + UUID.randomUUID() + "-";
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < ConsoleViews.PAGE_SIZE + 7; i++) {
            String run = prefix + i;
            postBatch(run, batch().inactive(run + "/1", "p" + i + "@acme.org", "Acme Weekly").json()).statusCode(202);
            mine.add(run);
        }
        String session = ConsoleAuthTest.signIn(READ_KEY).cookie("console-session");

        List<String> seen = new ArrayList<>();
        String page = given().cookie("console-session", session).get("/console/runs").then().statusCode(200).extract().asString();
        List<String> first = runs(page);
        assertThat(first).hasSize(ConsoleViews.PAGE_SIZE);
        seen.addAll(first);
        // A run created after the first page was read: newest, so it belongs before the first page, never after it.
        String late = prefix + "late";
        postBatch(late, batch().inactive(late + "/1", "late@acme.org", "Acme Weekly").json()).statusCode(202);

        Matcher next = NEXT.matcher(page);
        while (next.find()) {
            page = given().cookie("console-session", session).urlEncodingEnabled(false).get(next.group(1).replace("&amp;", "&"))
                    .then().statusCode(200).extract().asString();
            seen.addAll(runs(page));
            next = NEXT.matcher(page);
        }
        assertThat(seen).doesNotHaveDuplicates().containsAll(mine).doesNotContain(late);
        assertThat(runs(given().cookie("console-session", session).get("/console/runs").asString())).contains(late);
    }

    @Test
    void aCursorThatTheConsoleDidNotHandOutIsABadRequest() {
        String session = ConsoleAuthTest.signIn(READ_KEY).cookie("console-session");
        given().cookie("console-session", session).get("/console/runs?after=not-a-cursor").then().statusCode(400);
    }

    private static List<String> runs(String html) {
        List<String> ids = new ArrayList<>();
        Matcher m = RUN_LINK.matcher(html);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
