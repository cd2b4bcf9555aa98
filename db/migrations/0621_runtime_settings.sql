-- Runtime settings an admin changed through the API ("section.key" -> value as the INI would
-- spell it); they win over the INI while [server] persistent_config is on. Secrets are write-only
-- at the API.
CREATE TABLE runtime_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT
);

-- One row whose version every change bumps: replicas poll it to apply another replica's change.
CREATE TABLE runtime_settings_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version BIGINT NOT NULL
);
INSERT INTO runtime_settings_version (id, version) VALUES (1, 0);
