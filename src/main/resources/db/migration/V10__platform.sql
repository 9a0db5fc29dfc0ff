-- Run ids that differ only in case name the same folder on a case-insensitive volume (deliverables.dir/{runId}):
-- run_key (the lower-cased id) is unique, so a second spelling of an existing run is refused with 409.
-- Oldest-age gauges read the oldest PENDING suppression through an index instead of a scan.
-- Written once for H2 (PostgreSQL mode) and PostgreSQL.

ALTER TABLE runs ADD COLUMN run_key VARCHAR(64);
UPDATE runs SET run_key = LOWER(run_id);
-- Nullable: the service always writes it; rows written by other tools (benchmarks, fixtures) may leave it out.
CREATE UNIQUE INDEX runs_run_key ON runs (run_key);

CREATE INDEX suppression_outbox_state_created ON suppression_outbox (state, created_at);
