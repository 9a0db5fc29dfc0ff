package io.sfmcsuppression.sfmc;

import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

/**
 * Reads SFMC's REST error answers, for every REST call of this package (rowset upserts and
 * data-extension reads): the body {"message", "errorcode", "additionalErrors": [{"message"}...]},
 * redacted, and the wait SFMC asks for.
 */
@ApplicationScoped
class SfmcErrors {

    /**
     * 400 messages that are about the data extension itself, not about a row: every half of a split
     * batch would get the same answer. The first two are SFMC answers quoted in public posts
     * (research/sfmc-api.md, "Sync error shapes"); the others are the wordings SFMC uses on its
     * other routes for an unknown object or column. None is documented for the rowset route.
     */
    private static final Pattern WHOLE_DATA_EXTENSION = Pattern.compile(String.join("|",
            "primary key '[^']*' does not exist",
            "parameter \\{?[0-9a-f]{8}-[0-9a-f-]{27}\\}? is invalid",
            "(column|field) \\S.* does not exist",
            "invalid column name",
            "data extension .*(not found|does not exist)",
            "unable to find (the )?data extension",
            "customobjectnotfound"), Pattern.CASE_INSENSITIVE);

    /** SFMC's error body, the message redacted and truncated. */
    record SfmcError(String code, String message, Integer retryAfterSeconds) {

        /** Whether the message concerns the whole data extension (unknown key or column), not a row. */
        boolean concernsWholeDataExtension() {
            return message != null && WHOLE_DATA_EXTENSION.matcher(message).find();
        }
    }

    private final ObjectMapper json;
    private final Redactor redactor;
    private final java.time.Clock clock;

    SfmcErrors(ObjectMapper json, Redactor redactor, java.time.Clock clock) {
        this.json = json;
        this.redactor = redactor;
        this.clock = clock;
    }

    SfmcError read(Response response) {
        String raw = "";
        try {
            response.bufferEntity();
            raw = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode node = json.readTree(raw);
            if (node != null && node.isObject()) {
                StringBuilder message = new StringBuilder(node.path("message").asText(""));
                for (JsonNode extra : node.path("additionalErrors")) {
                    message.append(message.length() == 0 ? "" : "; ").append(extra.path("message").asText(""));
                }
                String code = node.hasNonNull("errorcode") ? node.get("errorcode").asText() : null;
                Integer retryAfter = node.hasNonNull("retryAfter") ? node.get("retryAfter").asInt() : null;
                return new SfmcError(code, redactor.safe(message.toString(), 1500), retryAfter);
            }
        } catch (Exception e) {
            Log.debugf("SFMC error body is not JSON (%s)", e.getClass().getSimpleName());
        }
        return new SfmcError(null, redactor.safe(raw.isBlank() ? "(no body)" : raw, 1500), null);
    }

    /** "SFMC 400 errorcode 10000: message", as stored in the outbox and shown on the status page. */
    static String describe(int status, SfmcError error) {
        return "SFMC " + status + (error.code() == null ? "" : " errorcode " + error.code()) + ": " + error.message();
    }

    /** Retry-After (seconds or HTTP-date, garbage ignored), else the body's retryAfter; capped at 15 minutes. */
    Duration retryAfter(Response response, SfmcError error) {
        return RetryAfter.parse(response.getHeaderString("Retry-After"), clock.instant())
                .or(() -> RetryAfter.ofSeconds(error.retryAfterSeconds())).orElse(null);
    }

    static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            if (name.contains("Timeout") || t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

}
