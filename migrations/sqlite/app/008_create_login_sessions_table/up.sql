-- Application step 008: login sessions (see 005 for the SQLite conventions).
CREATE TABLE login_sessions (
    session_id       TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))) CHECK (length(session_id) = 36 AND session_id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-*' AND session_id NOT GLOB '*[^0-9a-f-]*'),
    user_id          TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_token    TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))) CHECK (length(session_token) = 36 AND session_token GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-*' AND session_token NOT GLOB '*[^0-9a-f-]*'),
    ip_address       TEXT,
    user_agent       TEXT,
    created_at       TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(created_at) = 26),
    expires_at       TEXT NOT NULL CHECK (expires_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(expires_at) = 26),
    last_activity_at TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (last_activity_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(last_activity_at) = 26),
    is_active        INTEGER DEFAULT 1 CHECK (is_active IN (0, 1)),
    CONSTRAINT login_sessions_valid_expiry CHECK (expires_at > created_at)
) STRICT;
CREATE INDEX idx_login_sessions_user_id ON login_sessions (user_id);
CREATE INDEX idx_login_sessions_expires_at ON login_sessions (expires_at);
CREATE INDEX idx_login_sessions_is_active ON login_sessions (is_active);
CREATE INDEX idx_login_sessions_ip_address ON login_sessions (ip_address);
CREATE INDEX idx_login_sessions_last_activity ON login_sessions (last_activity_at DESC);
CREATE INDEX idx_login_sessions_user_active ON login_sessions (user_id, is_active, expires_at) WHERE is_active = 1;
CREATE TRIGGER update_login_sessions_activity AFTER UPDATE ON login_sessions
    FOR EACH ROW WHEN NEW.is_active = 1 AND NEW.last_activity_at IS OLD.last_activity_at
BEGIN
    UPDATE login_sessions SET last_activity_at = strftime('%Y-%m-%d %H:%M:%f000', 'now') WHERE session_id = NEW.session_id;
END;
