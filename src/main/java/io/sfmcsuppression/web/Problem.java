package io.sfmcsuppression.web;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every error this service answers.
 *
 * @param extensions extra members written at the top level (for example {@code state}, {@code receivedAt})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
                      List<ItemError> errors, @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extensions) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @JsonAnyGetter
    Map<String, Object> extensionMembers() {
        return extensions == null ? Map.of() : extensions;
    }

    /** One bad item of a batch: its position, its id when it had one, the field and what is wrong. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ItemError(int index, String id, String field, String message) {
    }
}
