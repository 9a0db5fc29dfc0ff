-- SFMC delivery of the suppression outbox. A replica claims PENDING rows by writing a claim token
-- and pushing next_attempt_at to the end of its lease (under SELECT ... FOR UPDATE SKIP LOCKED),
-- so replicas never send the same row at once and a crashed replica's rows become due again.
-- Written once for H2 (PostgreSQL mode) and PostgreSQL.

ALTER TABLE suppression_outbox ADD COLUMN claim_token VARCHAR(36);
