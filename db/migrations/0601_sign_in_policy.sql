-- The sign-in policy's state on each user.
-- password_signin_at: when the account last signed in (or signed up) with a local password; a
--   directory entry may then take it over by email only when an admin allowed it.
-- directory_link_allowed: an admin's permission to link this account to a directory entry.
-- session_generation / session_keep_jti: a password change ends the user's other sessions
--   (tokens carry the generation they were issued under; the changing session's jti is kept).
ALTER TABLE users ADD COLUMN password_signin_at BIGINT;
ALTER TABLE users ADD COLUMN directory_link_allowed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN session_generation BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN session_keep_jti TEXT;
-- Accounts used after their creation most likely signed in with their password: treated as such,
-- so an upgrade never opens them to a takeover by email.
UPDATE users SET password_signin_at = last_active_at
 WHERE source = 'local' AND last_active_at > created_at AND id IN (SELECT user_id FROM auths);

-- The last refused attempt to link each local account to a directory entry at sign-in, for admins.
CREATE TABLE directory_link_refusals (
    user_id     TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    dn          TEXT NOT NULL,
    reason      TEXT NOT NULL,
    refused_at  BIGINT NOT NULL
);
