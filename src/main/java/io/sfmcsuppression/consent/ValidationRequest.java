package io.sfmcsuppression.consent;

import java.util.List;

/** Body of {@code POST /api/v1/consent/validate}. */
public record ValidationRequest(SendInput send, List<String> subscriberKeys) {
}
