-- Read-back of suppressions (sfmc.verify-writes): after SFMC answers 200 a row is ADDED with
-- next_attempt_at set until it is read back from the data extension (then VERIFIED). It is claimed
-- for the read like a PENDING row for the upsert (claim token, lease in next_attempt_at), through the
-- index suppression_outbox_state (state, next_attempt_at), so a crash between the 200 and the read
-- leaves it due for the read after the lease. read_back_misses counts reads that did not find the
-- row: the first sends it once more (PENDING), the second makes it FAILED.
-- Written once for H2 (PostgreSQL mode) and PostgreSQL.

ALTER TABLE suppression_outbox ADD COLUMN read_back_misses INTEGER NOT NULL DEFAULT 0;
