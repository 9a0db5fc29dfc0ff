package io.sfmcsuppression.consent;

import java.util.List;

/** One decision per requested key, in request order. */
public record ValidationResponse(List<ConsentDecision> results) {
}
