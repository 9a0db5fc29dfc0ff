package io.sfmcsuppression.optout;

/**
 * Body of {@code POST /api/v1/consent/unsubscribe-links}: whose opt-out, and of what, the link records.
 *
 * @param scope {@code account}, {@code publication} (with publicationListId) or {@code enterprise}, as for an unsubscribe
 */
public record UnsubscribeLinkRequest(String subscriberKey, String scope, String publicationListId, String businessUnitId) {
}
