-- Directory users the directory policy ([ldap] allowed_groups / denied_groups) refuses: they are
-- deactivated (users.active = 0) and this row says why; sync or a login removes it and reactivates
-- the user once the directory lets them in again. Deactivations for other reasons have no row.
CREATE TABLE directory_access_refusals (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    reason     TEXT NOT NULL,
    refused_at BIGINT NOT NULL
);
