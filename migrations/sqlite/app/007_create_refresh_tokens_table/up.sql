-- Application step 007: refresh tokens. `token` is the raw refresh JWT (a bearer
-- secret: authctl never prints it).
-- SQLite conventions: uuid as canonical lower-case text, inet as text, booleans
-- 0/1, times as canonical UTC text 'YYYY-MM-DD HH:MM:SS.ffffff' — CHECKed to be a
-- real time, so text order is time order. Triggers do what the application's
-- PostgreSQL triggers do (SQLite runs AFTER triggers; recursive_triggers is off,
-- so their own UPDATE does not fire them again).
CREATE TABLE refresh_tokens (
    id         TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))) CHECK (id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token      TEXT NOT NULL UNIQUE CHECK (length(token) >= 32),
    expires_at TEXT NOT NULL CHECK (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(expires_at) = 26 AND date(julianday(substr(expires_at, 1, 10))) IS substr(expires_at, 1, 10) AND time(substr(expires_at, 12, 8)) IS substr(expires_at, 12, 8) AND substr(expires_at, 12, 2) < '24'),
    created_at TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(created_at) = 26 AND date(julianday(substr(created_at, 1, 10))) IS substr(created_at, 1, 10) AND time(substr(created_at, 12, 8)) IS substr(created_at, 12, 8) AND substr(created_at, 12, 2) < '24'),
    revoked_at TEXT CHECK (revoked_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(revoked_at) = 26 AND date(julianday(substr(revoked_at, 1, 10))) IS substr(revoked_at, 1, 10) AND time(substr(revoked_at, 12, 8)) IS substr(revoked_at, 12, 8) AND substr(revoked_at, 12, 2) < '24'),
    is_revoked INTEGER DEFAULT 0 CHECK (is_revoked IN (0, 1)),
    user_agent TEXT,
    ip_address TEXT
) STRICT;
CREATE INDEX idx_refresh_tokens_user_id ON refresh_tokens (user_id);
CREATE INDEX idx_refresh_tokens_expires_at ON refresh_tokens (expires_at);
CREATE INDEX idx_refresh_tokens_is_revoked ON refresh_tokens (is_revoked);
CREATE INDEX idx_refresh_tokens_user_active ON refresh_tokens (user_id, is_revoked, expires_at) WHERE is_revoked = 0;
