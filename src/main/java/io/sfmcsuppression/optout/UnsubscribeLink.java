package io.sfmcsuppression.optout;

import java.time.Instant;

/**
 * The two header values to put on a send (RFC 8058): {@code List-Unsubscribe: <url>} and
 * {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click}.
 */
public record UnsubscribeLink(String listUnsubscribe, String listUnsubscribePost, String url, Instant expiresAt) {
}
