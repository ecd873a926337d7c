-- authctl fixture: login_sessions (application version 008).
CREATE TABLE IF NOT EXISTS login_sessions (
    session_id       UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_token    UUID NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    ip_address       INET,
    user_agent       TEXT,
    created_at       TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    expires_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_activity_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    is_active        BOOLEAN DEFAULT true,
    CONSTRAINT login_sessions_valid_expiry CHECK (expires_at > created_at)
);

CREATE INDEX idx_login_sessions_user_id ON login_sessions (user_id);
CREATE INDEX idx_login_sessions_session_token ON login_sessions (session_token);
CREATE INDEX idx_login_sessions_expires_at ON login_sessions (expires_at);
CREATE INDEX idx_login_sessions_is_active ON login_sessions (is_active);
CREATE INDEX idx_login_sessions_ip_address ON login_sessions (ip_address);
CREATE INDEX idx_login_sessions_last_activity ON login_sessions (last_activity_at DESC);
CREATE INDEX idx_login_sessions_active ON login_sessions (session_token, is_active, expires_at)
    WHERE is_active = true;
CREATE INDEX idx_login_sessions_user_active ON login_sessions (user_id, is_active, expires_at)
    WHERE is_active = true;

-- Touches last_activity_at unless the row is being deactivated.
CREATE OR REPLACE FUNCTION update_session_activity() RETURNS TRIGGER
LANGUAGE plpgsql AS $fn$
BEGIN
    IF NEW.is_active = true THEN
        NEW.last_activity_at := CURRENT_TIMESTAMP;
    END IF;
    RETURN NEW;
END
$fn$;

CREATE TRIGGER update_login_sessions_activity
    BEFORE UPDATE ON login_sessions
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.* AND NEW.is_active = true)
    EXECUTE FUNCTION update_session_activity();

CREATE OR REPLACE FUNCTION clean_expired_sessions() RETURNS INTEGER
LANGUAGE plpgsql AS $fn$
DECLARE
    n INTEGER;
BEGIN
    DELETE FROM login_sessions
     WHERE expires_at < CURRENT_TIMESTAMP
        OR (is_active = false AND last_activity_at < CURRENT_TIMESTAMP - INTERVAL '30 days');
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$fn$;

CREATE OR REPLACE FUNCTION get_active_session_count(p_user_id UUID) RETURNS INTEGER
LANGUAGE plpgsql AS $fn$
DECLARE
    n INTEGER;
BEGIN
    SELECT count(*) INTO n
      FROM login_sessions
     WHERE user_id = p_user_id
       AND is_active = true
       AND expires_at > CURRENT_TIMESTAMP;
    RETURN n;
END
$fn$;
