package io.sfmcsuppression.consent;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The resolver's answer for one subscriber key.
 *
 * @param blockedBy {@code account}, {@code publication}, {@code suppression}, {@code global} or null; with a transactional
 *                  bypass it is {@code account} while {@code eligible} is true
 * @param transactionalBypassAllowed true when an account-level unsubscribe was bypassed for a transactional send
 * @param found     whether All Subscribers holds the key
 * @param evidence  the SFMC records that decided, in the order they were checked
 * @param emailAddress the subscriber's address in All Subscribers, for routing; never answered
 */
public record ConsentDecision(String subscriberKey, boolean eligible, String blockedBy, String reason,
                              boolean transactionalBypassAllowed, boolean found, List<String> evidence,
                              @JsonIgnore String emailAddress) {

    /** Blocking scopes, in the order they are checked. */
    public static final String ACCOUNT = "account";
    public static final String PUBLICATION = "publication";
    public static final String GLOBAL = "global";
    /** On a suppression list this service manages (an addition to the seed's three scopes). */
    public static final String SUPPRESSION = "suppression";
}
