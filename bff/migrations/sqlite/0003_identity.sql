-- Accounts from identity sources (LDAP / Active Directory, OpenID Connect) beside local ones
-- (SQLite). Keep in step with ../postgres.

-- `local` for accounts with a portal password; otherwise the identity source's configured id
-- (`ldap`, or an OpenID provider's id). Directory accounts store no password: their
-- password_hash is the empty string, which never verifies.
ALTER TABLE accounts ADD COLUMN source TEXT NOT NULL DEFAULT 'local';
-- The person's stable id at the source (the entry's DN, the provider's `sub`).
ALTER TABLE accounts ADD COLUMN external_id TEXT;
ALTER TABLE accounts ADD COLUMN display_name TEXT;
-- Unix seconds of the last sign-in, any source.
ALTER TABLE accounts ADD COLUMN last_login_at BIGINT;

CREATE UNIQUE INDEX accounts_source_external_id ON accounts (source, external_id)
    WHERE external_id IS NOT NULL;
