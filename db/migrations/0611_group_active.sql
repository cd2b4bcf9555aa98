-- Directory groups that leave the directory are deactivated rather than deleted, so an entry that
-- comes back (or a read that wrongly came back empty) finds its id, description, permissions and
-- members where it left them; sync deletes them after [sync] delete_after.
ALTER TABLE groups ADD COLUMN active INTEGER NOT NULL DEFAULT 1;
ALTER TABLE groups ADD COLUMN deactivated_at BIGINT;
