package io.sfmcsuppression.suppression;

import java.util.List;

/** One upsert request: up to a batch of addresses for one data extension. */
record Chunk(String target, List<Address> addresses) {

    /** The rows of one data extension with one address: sent once, recorded for each. */
    record Address(String email, List<OutboxClaims.Claimed> rows) {
    }

    /** The outbox rows behind {@code addresses}, which are what a state is recorded for. */
    static List<OutboxClaims.Claimed> rows(List<Address> addresses) {
        return addresses.stream().flatMap(a -> a.rows().stream()).toList();
    }
}
