-- Login sessions. Only the SHA-256 of the raw session token is stored.
CREATE TABLE login_sessions (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash       TEXT    NOT NULL UNIQUE
                     CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
    ip_address       TEXT,
    user_agent       TEXT,
    created_at       TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(created_at) = 19 OR (substr(created_at, 20, 1) = '.' AND length(created_at) > 20 AND substr(created_at, 21) NOT GLOB '*[^0-9]*'))),
    last_activity_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (last_activity_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(last_activity_at) = 19 OR (substr(last_activity_at, 20, 1) = '.' AND length(last_activity_at) > 20 AND substr(last_activity_at, 21) NOT GLOB '*[^0-9]*'))),
    expires_at       TEXT    NOT NULL CHECK (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(expires_at) = 19 OR (substr(expires_at, 20, 1) = '.' AND length(expires_at) > 20 AND substr(expires_at, 21) NOT GLOB '*[^0-9]*'))),
    revoked_at       TEXT CHECK (revoked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(revoked_at) = 19 OR (substr(revoked_at, 20, 1) = '.' AND length(revoked_at) > 20 AND substr(revoked_at, 21) NOT GLOB '*[^0-9]*'))),
    revoked_reason   TEXT
) STRICT;
CREATE INDEX login_sessions_user_id_idx ON login_sessions (user_id);
CREATE INDEX login_sessions_expires_at_idx ON login_sessions (expires_at, id);
CREATE INDEX login_sessions_revoked_at_idx ON login_sessions (revoked_at, id) WHERE revoked_at IS NOT NULL;
