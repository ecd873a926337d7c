-- Application step 008: login sessions. `session_token` is a bearer secret.
-- SQLite conventions: uuid as canonical lower-case text, inet as text, booleans
-- 0/1, times as canonical UTC text 'YYYY-MM-DD HH:MM:SS.ffffff' — CHECKed to be a
-- real time, so text order is time order. Triggers do what the application's
-- PostgreSQL triggers do (SQLite runs AFTER triggers; recursive_triggers is off,
-- so their own UPDATE does not fire them again).
CREATE TABLE login_sessions (
    session_id       TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))) CHECK (session_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_token    TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))) CHECK (session_token GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    ip_address       TEXT,
    user_agent       TEXT,
    created_at       TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(created_at) = 26 AND date(julianday(substr(created_at, 1, 10))) IS substr(created_at, 1, 10) AND time(substr(created_at, 12, 8)) IS substr(created_at, 12, 8) AND substr(created_at, 12, 2) < '24'),
    expires_at       TEXT NOT NULL CHECK (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(expires_at) = 26 AND date(julianday(substr(expires_at, 1, 10))) IS substr(expires_at, 1, 10) AND time(substr(expires_at, 12, 8)) IS substr(expires_at, 12, 8) AND substr(expires_at, 12, 2) < '24'),
    last_activity_at TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (last_activity_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(last_activity_at) = 26 AND date(julianday(substr(last_activity_at, 1, 10))) IS substr(last_activity_at, 1, 10) AND time(substr(last_activity_at, 12, 8)) IS substr(last_activity_at, 12, 8) AND substr(last_activity_at, 12, 2) < '24'),
    is_active        INTEGER DEFAULT 1 CHECK (is_active IN (0, 1)),
    CONSTRAINT login_sessions_valid_expiry CHECK (expires_at > created_at)
) STRICT;
CREATE INDEX idx_login_sessions_user_id ON login_sessions (user_id);
CREATE INDEX idx_login_sessions_expires_at ON login_sessions (expires_at);
CREATE INDEX idx_login_sessions_is_active ON login_sessions (is_active);
CREATE INDEX idx_login_sessions_ip_address ON login_sessions (ip_address);
CREATE INDEX idx_login_sessions_last_activity ON login_sessions (last_activity_at DESC);
CREATE INDEX idx_login_sessions_user_active ON login_sessions (user_id, is_active, expires_at) WHERE is_active = 1;
-- An UPDATE that changes something and leaves the session active sets
-- last_activity_at to now (update_session_activity()).
CREATE TRIGGER update_login_sessions_activity AFTER UPDATE ON login_sessions
    FOR EACH ROW WHEN NEW.is_active = 1 AND (OLD.session_id IS NOT NEW.session_id OR OLD.user_id IS NOT NEW.user_id OR OLD.session_token IS NOT NEW.session_token OR OLD.ip_address IS NOT NEW.ip_address OR OLD.user_agent IS NOT NEW.user_agent OR OLD.created_at IS NOT NEW.created_at OR OLD.expires_at IS NOT NEW.expires_at OR OLD.is_active IS NOT NEW.is_active OR OLD.last_activity_at IS NOT NEW.last_activity_at)
BEGIN
    UPDATE login_sessions SET last_activity_at = strftime('%Y-%m-%d %H:%M:%f000', 'now') WHERE session_id = NEW.session_id;
END;
