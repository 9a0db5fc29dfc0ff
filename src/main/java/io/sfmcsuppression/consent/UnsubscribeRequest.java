package io.sfmcsuppression.consent;

/**
 * Body of {@code POST /api/v1/consent/unsubscribe}.
 *
 * @param scope {@code account} (All Subscribers) or {@code publication} (one list, named by publicationListId)
 */
public record UnsubscribeRequest(String subscriberKey, String scope, String publicationListId, String businessUnitId,
                                 String reason, String source) {
}
