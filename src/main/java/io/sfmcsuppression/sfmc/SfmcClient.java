package io.sfmcsuppression.sfmc;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Writes rows into SFMC data extensions. Two implementations: {@link LiveSfmcClient} talks to
 * SFMC, {@link MockSfmcClient} records what it would have sent and calls nothing.
 */
public interface SfmcClient {

    /** The span attribute that names the data extension an upsert writes to (never an address). */
    String SPAN_DATA_EXTENSION = "sfmc.data_extension";

    /** One row for an Auto-Suppression List: the address and the date it was added. */
    record Row(String email, LocalDate dateAdded) {
    }

    /** How SFMC answered a rowset upsert that it did not refuse as a whole for transient reasons. */
    enum Outcome {
        /** 200: every row of the request is saved. */
        ADDED,
        /** 400 about a row: SFMC saved the rows before the first bad one and rejected the rest; split to find it. */
        REJECTED,
        /**
         * A 400 about the data extension itself (unknown key or column), or another 4xx: no row of the
         * request is saved, and neither retrying nor splitting will help.
         */
        REFUSED
    }

    /** The answer to one upsert request; {@code message} is SFMC's, free of secrets. */
    record UpsertResult(Outcome outcome, int status, String message) {
        public static UpsertResult added() {
            return new UpsertResult(Outcome.ADDED, 200, null);
        }
    }

    /**
     * The answer to a delete of one row: {@code deleted} when SFMC said OK, else SFMC's message
     * (free of secrets). The mock deletes nothing and says so.
     */
    record DeleteResult(boolean deleted, String message) {
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

    /**
     * Removes the row of this address from the data extension with this external key: a SOAP
     * {@code Delete} of a {@code DataExtensionObject} by its primary key, the route Salesforce
     * documents for data extension rows (REST has none).
     *
     * @throws SfmcException when SFMC could not be reached or answered with a transient error
     */
    DeleteResult delete(String dataExtensionKey, String email);

    /** Obtains a token (or confirms the cached one); the mock is always up. */
    Health checkHealth();

    /** {@code live} or {@code mock}. */
    String kind();

    default boolean isMock() {
        return "mock".equals(kind());
    }
}
