-- Refresh tokens. Only the SHA-256 of the raw token is stored (64 lower-case hex digits).
CREATE TABLE refresh_tokens (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash     TEXT    NOT NULL UNIQUE
                   CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    created_at     TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(created_at) = 19 OR (substr(created_at, 20, 1) = '.' AND length(created_at) > 20 AND substr(created_at, 21) NOT GLOB '*[^0-9]*'))),
    expires_at     TEXT    NOT NULL CHECK (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(expires_at) = 19 OR (substr(expires_at, 20, 1) = '.' AND length(expires_at) > 20 AND substr(expires_at, 21) NOT GLOB '*[^0-9]*'))),
    last_used_at   TEXT CHECK (last_used_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(last_used_at) = 19 OR (substr(last_used_at, 20, 1) = '.' AND length(last_used_at) > 20 AND substr(last_used_at, 21) NOT GLOB '*[^0-9]*'))),
    revoked_at     TEXT CHECK (revoked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(revoked_at) = 19 OR (substr(revoked_at, 20, 1) = '.' AND length(revoked_at) > 20 AND substr(revoked_at, 21) NOT GLOB '*[^0-9]*'))),
    revoked_reason TEXT,
    replaced_by_id INTEGER REFERENCES refresh_tokens (id) ON DELETE SET NULL,
    user_agent     TEXT,
    ip_address     TEXT
) STRICT;
CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at, id);
CREATE INDEX refresh_tokens_revoked_at_idx ON refresh_tokens (revoked_at, id) WHERE revoked_at IS NOT NULL;
CREATE INDEX refresh_tokens_replaced_by_id_idx ON refresh_tokens (replaced_by_id) WHERE replaced_by_id IS NOT NULL;
