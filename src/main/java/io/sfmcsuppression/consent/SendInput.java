package io.sfmcsuppression.consent;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The {@code send} of a validation request: a classification name, or the explicit fields.
 *
 * @param honorPublicationListOptOutsForTransactionalSends SFMC's send classification flag for an
 *        explicit send (a named classification brings its own); absent means SFMC's default, false
 */
public record SendInput(String classification,
                        @JsonProperty("isTransactional") Boolean isTransactional,
                        String publicationListId,
                        String businessUnitId,
                        Boolean honorPublicationListOptOutsForTransactionalSends) {
}
