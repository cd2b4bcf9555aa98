-- Open WebUI's group fields: who created the group (NULL for directory groups and groups made
-- before this column) and `meta`, a JSON object the client keeps on the group.
ALTER TABLE groups ADD COLUMN user_id TEXT;
ALTER TABLE groups ADD COLUMN meta TEXT NOT NULL DEFAULT '{}';
