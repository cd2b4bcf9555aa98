-- Users, credentials and groups. Shared by both drivers: integers are epoch seconds, booleans are
-- 0/1 integers, JSON is text.
CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    email            TEXT NOT NULL UNIQUE,
    role             TEXT NOT NULL CHECK (role IN ('pending', 'user', 'admin')),
    profile_image_url TEXT NOT NULL DEFAULT '',
    source           TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'ldap')),
    active           INTEGER NOT NULL DEFAULT 1,
    is_primary       INTEGER NOT NULL DEFAULT 0,
    info             TEXT NOT NULL DEFAULT '{}',
    username         TEXT,
    external_id      TEXT UNIQUE,
    external_dn      TEXT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    last_active_at   BIGINT NOT NULL,
    deactivated_at   BIGINT
);
CREATE INDEX users_created_at ON users (created_at);
CREATE INDEX users_name ON users (name);

CREATE TABLE auths (
    user_id       TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL
);

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL UNIQUE REFERENCES users (id) ON DELETE CASCADE,
    key_hash     TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT
);

CREATE TABLE revoked_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX revoked_tokens_expires_at ON revoked_tokens (expires_at);

CREATE TABLE groups (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    permissions TEXT NOT NULL DEFAULT '{}',
    data        TEXT NOT NULL DEFAULT '{}',
    source      TEXT NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'ldap')),
    external_id TEXT UNIQUE,
    external_dn TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (source, name)
);

CREATE TABLE group_members (
    group_id   TEXT NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

-- Small documents that admins change at run time (e.g. default permissions).
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
