-- Directory sync history (one row per run) and the state carried between runs (the
-- content-synchronization cookie, when the last full run happened).
CREATE TABLE sync_runs (
    id           TEXT PRIMARY KEY,
    triggered_by TEXT NOT NULL,
    mode         TEXT NOT NULL,
    dry_run      INTEGER NOT NULL DEFAULT 0,
    forced       INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'refused')),
    started_at   BIGINT NOT NULL,
    finished_at  BIGINT,
    counts       TEXT NOT NULL DEFAULT '{}',
    skipped      TEXT NOT NULL DEFAULT '[]',
    error        TEXT
);
CREATE INDEX sync_runs_started_at ON sync_runs (started_at);

CREATE TABLE sync_state (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
