-- At most one primary admin, even when the first two signups race.
CREATE UNIQUE INDEX users_single_primary ON users (is_primary) WHERE is_primary = 1;
