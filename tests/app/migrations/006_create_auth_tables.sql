-- authctl fixture: auth_attempts + device_fingerprints (application version 006).
CREATE TABLE IF NOT EXISTS auth_attempts (
    id             UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        UUID REFERENCES users (id) ON DELETE CASCADE,
    email          VARCHAR(255),
    ip_address     INET NOT NULL,
    user_agent     TEXT,
    success        BOOLEAN NOT NULL DEFAULT false,
    failure_reason VARCHAR(255),
    "timestamp"    TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    attempt_type   VARCHAR(50) DEFAULT 'login'
                   CHECK (attempt_type IN ('login', 'register', 'reset_password', 'verify_email'))
);

CREATE TABLE IF NOT EXISTS device_fingerprints (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    fingerprint       VARCHAR(255) NOT NULL UNIQUE,
    user_id           UUID REFERENCES users (id) ON DELETE CASCADE,
    ip_address        INET,
    user_agent        TEXT,
    screen_resolution VARCHAR(50),
    timezone          VARCHAR(100),
    language          VARCHAR(10),
    platform          VARCHAR(100),
    first_seen        TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    last_seen         TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    trust_score       INTEGER DEFAULT 50 CHECK (trust_score >= 0 AND trust_score <= 100),
    is_blocked        BOOLEAN DEFAULT false,
    blocked_reason    TEXT,
    device_count      INTEGER DEFAULT 1
);

CREATE INDEX idx_auth_attempts_user_id ON auth_attempts (user_id);
CREATE INDEX idx_auth_attempts_email ON auth_attempts (email);
CREATE INDEX idx_auth_attempts_ip_address ON auth_attempts (ip_address);
CREATE INDEX idx_auth_attempts_timestamp ON auth_attempts ("timestamp" DESC);
CREATE INDEX idx_auth_attempts_success ON auth_attempts (success);
CREATE INDEX idx_auth_attempts_type ON auth_attempts (attempt_type);
CREATE INDEX idx_auth_attempts_rate_limit ON auth_attempts (ip_address, "timestamp" DESC)
    WHERE success = false;

CREATE INDEX idx_device_fingerprints_user_id ON device_fingerprints (user_id);
CREATE INDEX idx_device_fingerprints_fingerprint ON device_fingerprints (fingerprint);
CREATE INDEX idx_device_fingerprints_ip_address ON device_fingerprints (ip_address);
CREATE INDEX idx_device_fingerprints_trust_score ON device_fingerprints (trust_score);
CREATE INDEX idx_device_fingerprints_blocked ON device_fingerprints (is_blocked)
    WHERE is_blocked = true;

-- Retention: attempts older than 30 days; returns the number removed.
CREATE OR REPLACE FUNCTION clean_old_auth_attempts() RETURNS INTEGER
LANGUAGE plpgsql AS $fn$
DECLARE
    n INTEGER;
BEGIN
    DELETE FROM auth_attempts
     WHERE "timestamp" < CURRENT_TIMESTAMP - INTERVAL '30 days';
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$fn$;

-- true while the IP has fewer than p_max_attempts failures in the window.
CREATE OR REPLACE FUNCTION check_rate_limit(
    p_ip_address     INET,
    p_window_minutes INTEGER DEFAULT 15,
    p_max_attempts   INTEGER DEFAULT 5
) RETURNS BOOLEAN
LANGUAGE plpgsql AS $fn$
DECLARE
    failures INTEGER;
BEGIN
    SELECT count(*) INTO failures
      FROM auth_attempts
     WHERE ip_address = p_ip_address
       AND success = false
       AND "timestamp" > CURRENT_TIMESTAMP - (p_window_minutes || ' minutes')::INTERVAL;
    RETURN failures < p_max_attempts;
END
$fn$;

CREATE OR REPLACE FUNCTION update_device_last_seen() RETURNS TRIGGER
LANGUAGE plpgsql AS $fn$
BEGIN
    NEW.last_seen := CURRENT_TIMESTAMP;
    RETURN NEW;
END
$fn$;

CREATE TRIGGER update_device_fingerprints_last_seen
    BEFORE UPDATE ON device_fingerprints
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION update_device_last_seen();
