-- authctl fixture: refresh_tokens (application version 007).
-- token holds the raw refresh JWT.
CREATE TABLE IF NOT EXISTS refresh_tokens (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token      TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    revoked_at TIMESTAMP WITH TIME ZONE,
    is_revoked BOOLEAN DEFAULT false,
    user_agent TEXT,
    ip_address INET,
    CONSTRAINT refresh_tokens_token_length CHECK (length(token) >= 32)
);

CREATE INDEX idx_refresh_tokens_user_id ON refresh_tokens (user_id);
CREATE INDEX idx_refresh_tokens_token ON refresh_tokens (token);
CREATE INDEX idx_refresh_tokens_expires_at ON refresh_tokens (expires_at);
CREATE INDEX idx_refresh_tokens_is_revoked ON refresh_tokens (is_revoked);
CREATE INDEX idx_refresh_tokens_active ON refresh_tokens (token, is_revoked, expires_at)
    WHERE is_revoked = false;
CREATE INDEX idx_refresh_tokens_user_active ON refresh_tokens (user_id, is_revoked, expires_at)
    WHERE is_revoked = false;

-- Drops expired tokens and tokens revoked more than a week ago.
CREATE OR REPLACE FUNCTION clean_expired_refresh_tokens() RETURNS INTEGER
LANGUAGE plpgsql AS $fn$
DECLARE
    n INTEGER;
BEGIN
    DELETE FROM refresh_tokens
     WHERE expires_at < CURRENT_TIMESTAMP
        OR (is_revoked = true AND revoked_at < CURRENT_TIMESTAMP - INTERVAL '7 days');
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$fn$;
