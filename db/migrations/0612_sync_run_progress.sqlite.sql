-- A run whose process ended mid-way is recorded as 'interrupted' at the next start (SQLite: the
-- status CHECK is rebuilt with the table). Each batch adds what it committed to sync_run_applied
-- in its own transaction, so the interrupted run's counts are what is really in the store;
-- `planned` keeps the plan's counts beside them.
CREATE TABLE sync_runs_0612 (
    id           TEXT PRIMARY KEY,
    triggered_by TEXT NOT NULL,
    mode         TEXT NOT NULL,
    dry_run      INTEGER NOT NULL DEFAULT 0,
    forced       INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'refused', 'interrupted')),
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT,
    counts       TEXT NOT NULL DEFAULT '{}',
    skipped      TEXT NOT NULL DEFAULT '[]',
    error        TEXT,
    planned      TEXT NOT NULL DEFAULT '{}',
    holder       TEXT NOT NULL DEFAULT ''  -- pid@host of the process that runs it (the lease is per process)
);
INSERT INTO sync_runs_0612 (id, triggered_by, mode, dry_run, forced, status, started_at, finished_at, counts, skipped,
                            error)
    SELECT id, triggered_by, mode, dry_run, forced, status, started_at, finished_at, counts, skipped, error
    FROM sync_runs;
DROP TABLE sync_runs;
ALTER TABLE sync_runs_0612 RENAME TO sync_runs;
CREATE INDEX sync_runs_started_at ON sync_runs (started_at);
CREATE TABLE sync_run_applied (
    run_id  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    applied BIGINT NOT NULL,
    PRIMARY KEY (run_id, kind)
);
