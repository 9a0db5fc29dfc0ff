-- Indexes the hot paths need whatever the planner's statistics say (docs/database.md).
-- Written once for H2 (PostgreSQL mode) and PostgreSQL.

-- The flusher's claim takes the oldest due PENDING rows (WHERE state = 'PENDING' ... ORDER BY id
-- LIMIT n): walked in id order within PENDING, it stops after n rows, so a claim neither reads the
-- ADDED history nor sorts the whole backlog.
CREATE INDEX suppression_outbox_claim ON suppression_outbox (state, id);
