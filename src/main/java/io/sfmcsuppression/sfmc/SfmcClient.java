package io.sfmcsuppression.sfmc;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Writes rows into SFMC data extensions. Two implementations: {@link LiveSfmcClient} talks to
 * SFMC, {@link MockSfmcClient} records what it would have sent and calls nothing.
 */
public interface SfmcClient {

    /** One row for an Auto-Suppression List: the address and the date it was added. */
    record Row(String email, LocalDate dateAdded) {
    }

    /** How SFMC answered a rowset upsert that it did not refuse as a whole for transient reasons. */
    enum Outcome {
        /** 200: every row of the request is saved. */
        ADDED,
        /** 400: SFMC saved the rows before the first bad one and rejected the rest; split to find it. */
        REJECTED,
        /** Another 4xx (for example an unknown data extension): no row of the request is saved, retrying will not help. */
        REFUSED
    }

    /** The answer to one upsert request; {@code message} is SFMC's, free of secrets. */
    record UpsertResult(Outcome outcome, int status, String message) {
        public static UpsertResult added() {
            return new UpsertResult(Outcome.ADDED, 200, null);
        }
    }

    /** Whether a token could be obtained, and when that was checked. */
    record Health(boolean up, String detail, Instant checkedAt) {
    }

    /**
     * Upserts the rows into the data extension with this external key, in one request.
     *
     * @throws SfmcException when SFMC could not be reached or answered with a transient error
     */
    UpsertResult upsert(String dataExtensionKey, List<Row> rows);

    /** Obtains a token (or confirms the cached one); the mock is always up. */
    Health checkHealth();

    /** {@code live} or {@code mock}. */
    String kind();

    default boolean isMock() {
        return "mock".equals(kind());
    }
}
