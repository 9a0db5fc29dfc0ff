package io.sfmcsuppression.consent;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Where the global opt-out inference reads send counts from ({@code consent.tracking.source}):
 * SOAP {@code SentEvent}/{@code NotSentEvent}, or a tracking summary data extension over REST.
 */
interface SendTracking {

    /** Sends and campaigns attempted of one key, with a line saying where the numbers came from. */
    record Counts(int sends, int campaignsAttempted, String evidence) {
    }

    /** Counts for each key; a key without tracking has zero of both. */
    Map<String, Counts> counts(Collection<String> keys, Optional<String> clientId);
}
