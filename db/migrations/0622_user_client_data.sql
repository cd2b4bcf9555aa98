-- The JSON a client keeps per user (Open WebUI's user settings; `info` exists since 0001).
ALTER TABLE users ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
