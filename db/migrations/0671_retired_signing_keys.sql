-- When each signing key stopped signing (it became the previous key after a rotation): the first
-- replica to load it as previous records the time, and every replica accepts its tokens until
-- then plus the token lifetime.
CREATE TABLE retired_signing_keys (
    kid        TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL,
    retired_at BIGINT NOT NULL
);
