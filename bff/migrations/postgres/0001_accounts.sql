-- Portal accounts, tenants and login throttling (PostgreSQL). Keep in step with ../sqlite.
-- Times are Unix seconds.

CREATE TABLE tenants (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    tag TEXT NOT NULL UNIQUE,
    -- JSON array of lower-case domain names.
    alias_domains TEXT NOT NULL DEFAULT '[]',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE accounts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'helpdesk', 'tenant_admin', 'user')),
    tenant_id BIGINT REFERENCES tenants (id) ON DELETE RESTRICT,
    email TEXT,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    -- Bumped when the password changes or the account is disabled: older sessions end.
    session_epoch BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (role <> 'tenant_admin' OR tenant_id IS NOT NULL)
);

CREATE TABLE login_failures (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username TEXT NOT NULL,
    address TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);

CREATE INDEX login_failures_username ON login_failures (username, failed_at);
CREATE INDEX login_failures_address ON login_failures (address, failed_at);
