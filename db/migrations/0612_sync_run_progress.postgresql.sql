-- A run whose process ended (or lost its lease) mid-way is recorded as 'interrupted' by the next
-- holder of the lease. Each batch adds what it committed to sync_run_applied in its own
-- transaction, so the interrupted run's counts are what is really in the store; `planned` keeps
-- the plan's counts beside them.
ALTER TABLE sync_runs DROP CONSTRAINT IF EXISTS sync_runs_status_check;
ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_status_check
    CHECK (status IN ('running', 'succeeded', 'failed', 'refused', 'interrupted'));
ALTER TABLE sync_runs ADD COLUMN planned TEXT NOT NULL DEFAULT '{}';
-- The process that runs it (pid@host), for the logs and for SQLite, whose lease is per process.
ALTER TABLE sync_runs ADD COLUMN holder TEXT NOT NULL DEFAULT '';
CREATE TABLE sync_run_applied (
    run_id  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    applied BIGINT NOT NULL,
    PRIMARY KEY (run_id, kind)
);
