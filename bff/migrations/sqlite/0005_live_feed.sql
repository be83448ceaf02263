-- The live feed (SQLite). Keep in step with ../postgres.

-- Who holds the live feed: one row per named lease, held by one instance until `expires_at`
-- unless renewed (bff::live::lease). A SQLite deployment is one instance, which always wins;
-- the relay between instances (live_relay in PostgreSQL) has no SQLite table.
CREATE TABLE live_leases (
    name TEXT PRIMARY KEY,
    -- The holding instance's random id.
    holder TEXT NOT NULL,
    -- Unix milliseconds.
    expires_at INTEGER NOT NULL
);
