package io.sfmcsuppression.consent;

import java.util.Optional;

/**
 * A send as the resolver checks it (the seed's {@code SendConfiguration}).
 *
 * @param classification    the configured classification it came from, or null for an explicit send
 * @param publicationListId numeric list ID or CustomerKey
 * @param businessUnitId    MID used as ClientID for Enterprise 2.0 retrieves
 * @param honorPublicationOptOutsWhenTransactional SFMC's send classification flag
 *        {@code HonorPublicationListOptOutsForTransactionalSends}: whether a transactional send
 *        skips subscribers unsubscribed from its publication list
 */
public record SendConfig(String classification, boolean transactional, Optional<String> publicationListId,
                         Optional<String> businessUnitId, boolean honorPublicationOptOutsWhenTransactional) {

    /** Whether an {@code Unsubscribed} on the send's publication list blocks it, as SFMC decides. */
    boolean publicationOptOutBlocks() {
        return !transactional || honorPublicationOptOutsWhenTransactional;
    }
}
