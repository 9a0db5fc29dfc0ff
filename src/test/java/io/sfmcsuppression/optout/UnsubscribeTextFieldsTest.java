package io.sfmcsuppression.optout;

import static io.sfmcsuppression.support.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.sfmcsuppression.support.Api;
import io.sfmcsuppression.support.Database;

/**
 * An opt-out is stored so that SFMC can always take it: {@code reason} and {@code source} with a
 * control character, a Unicode noncharacter or a lone surrogate are refused with 422, like intake,
 * and nothing is recorded.
 */
@QuarkusTest
class UnsubscribeTextFieldsTest {

    @Inject
    Database db;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "reason, control character, 'moved\u0007away'",
            "reason, noncharacter, 'bye\uFFFE'",
            "reason, noncharacter of a supplementary plane, 'bye\uD83F\uDFFF'",
            "reason, lone surrogate, 'bye\uD800'",
            "source, control character, 'web\u0000'",
            "source, noncharacter, 'web\uFDD0'"})
    void textThatSfmcCannotStoreIs422AndRecordsNothing(String field, String what, String value) {
        String key = "text-" + UUID.randomUUID() + "@acme.org";
        Map<String, String> body = new LinkedHashMap<>(Map.of("subscriberKey", key, "scope", "account",
                "reason", "preference center", "source", "web"));
        body.put(field, value);

        as(Api.CONSENT_KEY).contentType(ContentType.JSON).body(asciiJson(body))
                .when().post("/api/v1/consent/unsubscribe").then()
                .statusCode(422)
                .body("errors[0].field", equalTo(field))
                .body("errors[0].message", equalTo("must not contain control characters, Unicode noncharacters or malformed Unicode"));
        assertThat(db.count("SELECT COUNT(*) FROM consent_opt_outs WHERE subscriber_key = ?", key)).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM consent_audit WHERE subscriber_key = ?", key)).isZero();
    }

    /** JSON with every non-ASCII or control character as a \\u escape, so a lone surrogate reaches the service intact. */
    private static String asciiJson(Map<String, String> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":\"");
            for (char c : value.toCharArray()) {
                json.append(c < 0x20 || c > 0x7E || c == '"' || c == '\\' ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
            json.append('"');
        });
        return json.append('}').toString();
    }
}
