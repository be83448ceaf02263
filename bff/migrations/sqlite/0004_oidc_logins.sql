-- Pending OpenID Connect sign-ins (SQLite). Keep in step with ../postgres.

-- One row per sign-in started at a provider and not yet back: written when the browser is sent
-- to the provider, taken (deleted) by the callback, so each can be used once. Rows older than
-- 10 minutes are refused and deleted (bff::identity::oidc::delete_expired_pending).
CREATE TABLE oidc_logins (
    -- The OAuth state: 32 random bytes, base64url.
    state TEXT PRIMARY KEY,
    -- The configured provider's id.
    provider_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    -- The PKCE S256 code verifier.
    code_verifier TEXT NOT NULL,
    -- The local path to go to after signing in.
    next_path TEXT NOT NULL,
    -- SHA-256 (base64url) of the browser binding token kept in the browser's cookie.
    binding_hash TEXT NOT NULL,
    -- Unix seconds.
    created_at BIGINT NOT NULL
);

CREATE INDEX oidc_logins_created_at ON oidc_logins (created_at);
