-- Application step 006: auth_attempts and device_fingerprints. The application's
-- SQL functions (check_rate_limit, clean_old_auth_attempts) have no SQLite form:
-- authctl computes the same rules in its queries.
-- SQLite conventions: uuid as canonical lower-case text, inet as text, booleans
-- 0/1, times as canonical UTC text 'YYYY-MM-DD HH:MM:SS.ffffff' — CHECKed to be a
-- real time, so text order is time order. Triggers do what the application's
-- PostgreSQL triggers do (SQLite runs AFTER triggers; recursive_triggers is off,
-- so their own UPDATE does not fire them again).
CREATE TABLE auth_attempts (
    id             TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))) CHECK (id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    user_id        TEXT REFERENCES users (id) ON DELETE CASCADE,
    email          TEXT CHECK (length(email) <= 255),
    ip_address     TEXT NOT NULL,
    user_agent     TEXT,
    success        INTEGER NOT NULL DEFAULT 0 CHECK (success IN (0, 1)),
    failure_reason TEXT CHECK (length(failure_reason) <= 255),
    "timestamp"    TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK ("timestamp" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length("timestamp") = 26 AND date(julianday(substr("timestamp", 1, 10))) IS substr("timestamp", 1, 10) AND time(substr("timestamp", 12, 8)) IS substr("timestamp", 12, 8) AND substr("timestamp", 12, 2) < '24'),
    attempt_type   TEXT DEFAULT 'login' CHECK (attempt_type IN ('login', 'register', 'reset_password', 'verify_email'))
) STRICT;
CREATE TABLE device_fingerprints (
    id                TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))) CHECK (id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    fingerprint       TEXT NOT NULL UNIQUE,
    user_id           TEXT REFERENCES users (id) ON DELETE CASCADE,
    ip_address        TEXT,
    user_agent        TEXT,
    screen_resolution TEXT,
    timezone          TEXT,
    language          TEXT,
    platform          TEXT,
    first_seen        TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (first_seen GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(first_seen) = 26 AND date(julianday(substr(first_seen, 1, 10))) IS substr(first_seen, 1, 10) AND time(substr(first_seen, 12, 8)) IS substr(first_seen, 12, 8) AND substr(first_seen, 12, 2) < '24'),
    last_seen         TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (last_seen GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(last_seen) = 26 AND date(julianday(substr(last_seen, 1, 10))) IS substr(last_seen, 1, 10) AND time(substr(last_seen, 12, 8)) IS substr(last_seen, 12, 8) AND substr(last_seen, 12, 2) < '24'),
    trust_score       INTEGER DEFAULT 50 CHECK (trust_score >= 0 AND trust_score <= 100),
    is_blocked        INTEGER DEFAULT 0 CHECK (is_blocked IN (0, 1)),
    blocked_reason    TEXT,
    device_count      INTEGER DEFAULT 1
) STRICT;
CREATE INDEX idx_auth_attempts_user_id ON auth_attempts (user_id);
CREATE INDEX idx_auth_attempts_email ON auth_attempts (email);
CREATE INDEX idx_auth_attempts_ip_address ON auth_attempts (ip_address);
CREATE INDEX idx_auth_attempts_timestamp ON auth_attempts ("timestamp" DESC);
CREATE INDEX idx_auth_attempts_success ON auth_attempts (success);
CREATE INDEX idx_auth_attempts_type ON auth_attempts (attempt_type);
CREATE INDEX idx_auth_attempts_rate_limit ON auth_attempts (ip_address, "timestamp" DESC) WHERE success = 0;
CREATE INDEX idx_device_fingerprints_user_id ON device_fingerprints (user_id);
CREATE INDEX idx_device_fingerprints_ip_address ON device_fingerprints (ip_address);
CREATE INDEX idx_device_fingerprints_trust_score ON device_fingerprints (trust_score);
CREATE INDEX idx_device_fingerprints_blocked ON device_fingerprints (is_blocked) WHERE is_blocked = 1;
-- An UPDATE that changes something sets last_seen to now (update_device_last_seen()).
CREATE TRIGGER update_device_fingerprints_last_seen AFTER UPDATE ON device_fingerprints
    FOR EACH ROW WHEN OLD.id IS NOT NEW.id OR OLD.fingerprint IS NOT NEW.fingerprint OR OLD.user_id IS NOT NEW.user_id OR OLD.ip_address IS NOT NEW.ip_address OR OLD.user_agent IS NOT NEW.user_agent OR OLD.screen_resolution IS NOT NEW.screen_resolution OR OLD.timezone IS NOT NEW.timezone OR OLD.language IS NOT NEW.language OR OLD.platform IS NOT NEW.platform OR OLD.first_seen IS NOT NEW.first_seen OR OLD.trust_score IS NOT NEW.trust_score OR OLD.is_blocked IS NOT NEW.is_blocked OR OLD.blocked_reason IS NOT NEW.blocked_reason OR OLD.device_count IS NOT NEW.device_count OR OLD.last_seen IS NOT NEW.last_seen
BEGIN
    UPDATE device_fingerprints SET last_seen = strftime('%Y-%m-%d %H:%M:%f000', 'now') WHERE id = NEW.id;
END;
