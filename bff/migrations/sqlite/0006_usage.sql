-- Usage reports (SQLite). Keep in step with ../postgres.

-- Ended conference instances read from the history API (bff::usage::ingest), kept after the
-- node drops them (it keeps only its newest 10,000). Times are Unix seconds, UTC.
CREATE TABLE usage_conferences (
    -- The history API's conference id (UUID): reading a record again changes nothing.
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- The service's tag: the tenant.
    tag TEXT NOT NULL,
    service_type TEXT NOT NULL,
    start_time INTEGER NOT NULL,
    end_time INTEGER NOT NULL,
    participant_count INTEGER NOT NULL
);
CREATE INDEX usage_conferences_start ON usage_conferences (start_time);
CREATE INDEX usage_conferences_tag_start ON usage_conferences (tag, start_time);

-- Participants of those conferences, with what the reports need of their media streams. A
-- participant may be read before its conference has ended (and been read): no foreign key.
CREATE TABLE usage_participants (
    id TEXT PRIMARY KEY,
    conference_id TEXT NOT NULL,
    start_time INTEGER NOT NULL,
    end_time INTEGER NOT NULL,
    -- Seconds in the call.
    duration INTEGER NOT NULL,
    protocol TEXT NOT NULL,
    -- good, ok, bad, terrible or unknown: from the worst packet loss of its media streams.
    quality TEXT NOT NULL
);
CREATE INDEX usage_participants_conference ON usage_participants (conference_id);

-- How far each history resource has been read: the `end_time` of the newest record stored, as
-- the API wrote it (the next read asks for records that ended at or after it).
CREATE TABLE usage_ingest (
    resource TEXT PRIMARY KEY,
    end_time TEXT NOT NULL,
    -- Unix seconds of the last read that stored something.
    ingested_at INTEGER NOT NULL
);
