-- Export and N04 notification state of each run, and the files written for it.
-- Written once for H2 (PostgreSQL mode) and PostgreSQL.

-- One row per run that reached the export. Its row lock (FOR UPDATE SKIP LOCKED) is the claim that
-- lets one replica at a time export or mail a run; the columns are what survives a restart.
CREATE TABLE run_exports (
    run_id                        VARCHAR(64)              NOT NULL PRIMARY KEY REFERENCES runs (run_id),
    exported_at                   TIMESTAMP WITH TIME ZONE,
    -- suppressions of the run still PENDING when the files were written
    pending_at_export             BIGINT,
    -- distinct addresses across the run's N04 files
    n04_rows                      BIGINT,
    -- NOT_EXPORTED, PENDING, RETRYING, SENT, WITHHELD, NOT_NEEDED
    notification_state            VARCHAR(20)              NOT NULL,
    notification_reason           VARCHAR(500),
    notification_attempts         INTEGER                  NOT NULL DEFAULT 0,
    notification_last_error       VARCHAR(2000),
    notification_next_attempt_at  TIMESTAMP WITH TIME ZONE,
    notification_sent_at          TIMESTAMP WITH TIME ZONE,
    -- what was sent, or what would have been sent in dry-run / read-only
    notification_to               VARCHAR(2000),
    notification_cc               VARCHAR(4000),
    notification_subject          VARCHAR(500),
    created_at                    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at                    TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX run_exports_notification ON run_exports (notification_state, notification_next_attempt_at);

-- The files of a run's last completed export, with what a reader needs to trust them.
CREATE TABLE run_deliverables (
    run_id         VARCHAR(64)              NOT NULL REFERENCES runs (run_id),
    file_name      VARCHAR(200)             NOT NULL,
    -- N04 (attached to the mail) or INTERNAL (ops only, never attached)
    kind           VARCHAR(20)              NOT NULL,
    business_unit  VARCHAR(64),
    row_count      BIGINT                   NOT NULL,
    size_bytes     BIGINT                   NOT NULL,
    sha256         CHAR(64)                 NOT NULL,
    written_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (run_id, file_name)
);
