-- The live feed shared by several portal instances (PostgreSQL). Keep in step with ../sqlite.

-- Who holds the live feed: one row per named lease, held by one instance until `expires_at`
-- unless renewed (bff::live::lease).
CREATE TABLE live_leases (
    name TEXT PRIMARY KEY,
    -- The holding instance's random id.
    holder TEXT NOT NULL,
    -- Unix milliseconds, on the database's clock.
    expires_at BIGINT NOT NULL
);

-- The messages the leader relays to the other instances (bff::live::relay): one row per
-- message, announced by NOTIFY on `portal_live`; rows older than a few minutes are deleted.
CREATE TABLE live_relay (
    id BIGSERIAL PRIMARY KEY,
    -- The envelope as JSON (who sent it, its sequence number, the LiveMessage).
    body TEXT NOT NULL,
    -- Unix milliseconds.
    created_at BIGINT NOT NULL
);

CREATE INDEX live_relay_created_at ON live_relay (created_at);
