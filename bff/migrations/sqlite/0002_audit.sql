-- The audit trail: every mutation made through the portal. Keep in step with ../postgres.
-- at: Unix milliseconds. changes: JSON object {field: {"before": .., "after": ..}}, secrets masked.

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    -- The tag of the tenant the change belongs to (the actor's, or the object's).
    tenant TEXT,
    action TEXT NOT NULL,
    resource_uri TEXT,
    changes TEXT NOT NULL DEFAULT '{}',
    -- 'ok', or the error the change ended with.
    result TEXT NOT NULL,
    client_addr TEXT
);

CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_tenant ON audit_events (tenant, at);
CREATE INDEX audit_events_username ON audit_events (username, at);
