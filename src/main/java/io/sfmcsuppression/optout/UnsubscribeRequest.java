package io.sfmcsuppression.optout;

/**
 * Body of {@code POST /api/v1/consent/unsubscribe}.
 *
 * @param scope {@code account} (All Subscribers of one business unit), {@code publication} (one list, named by
 *              publicationListId) or {@code enterprise} (All Subscribers of every business unit of the enterprise)
 */
public record UnsubscribeRequest(String subscriberKey, String scope, String publicationListId, String businessUnitId,
                                 String reason, String source) {
}
