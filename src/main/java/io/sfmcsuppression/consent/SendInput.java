package io.sfmcsuppression.consent;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The {@code send} of a validation request: a classification name, or the explicit fields. */
public record SendInput(String classification,
                        @JsonProperty("isTransactional") Boolean isTransactional,
                        String publicationListId,
                        String businessUnitId) {
}
