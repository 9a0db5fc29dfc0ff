package io.sfmcsuppression.optout;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A confirmed opt-out: SFMC reported {@code status} at {@code confirmedAt}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UnsubscribeResult(long id, String subscriberKey, String scope, String publicationListId, String status,
                                Instant receivedAt, Instant confirmedAt) {
}
