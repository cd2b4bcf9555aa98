-- The whole plan of a dry run or a refused run, one row per change as the API pages it (names,
-- emails, DNs and the reason, see sync/plan_json.h); pruned with its run.
CREATE TABLE sync_run_changes (
    run_id TEXT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    seq    BIGINT NOT NULL,
    change TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
-- A digest of the plan's changes: a scheduled run refused for the same plan as the run before it
-- is recorded but not announced again (sync.failed), whichever replica ran either.
ALTER TABLE sync_runs ADD COLUMN plan_fingerprint TEXT;
ALTER TABLE sync_runs ADD COLUMN plan_total BIGINT;
