-- What GET /api/v1/auths/api_key shows of a key: its masked form ("sk-1a2b...9z8y"), kept at
-- creation since the key itself is stored only as a hash. NULL for keys made before this column.
ALTER TABLE api_keys ADD COLUMN display TEXT;
