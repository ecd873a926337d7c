-- Application step 005 (users) in the embedded SQLite default: the application's
-- logical schema.
-- SQLite conventions: uuid as canonical lower-case text, inet as text, booleans
-- 0/1, times as canonical UTC text 'YYYY-MM-DD HH:MM:SS.ffffff' — CHECKed to be a
-- real time, so text order is time order. Triggers do what the application's
-- PostgreSQL triggers do (SQLite runs AFTER triggers; recursive_triggers is off,
-- so their own UPDATE does not fire them again).
CREATE TABLE users (
    id                  TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))) CHECK (id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f]-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
    email               TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 255 AND email LIKE '_%@_%._%'),
    password_hash       TEXT NOT NULL CHECK (length(password_hash) <= 255),
    name                TEXT CHECK (length(name) <= 255),
    role                TEXT DEFAULT 'user' CHECK (role IN ('user', 'admin', 'premium')),
    created_at          TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(created_at) = 26 AND date(julianday(substr(created_at, 1, 10))) IS substr(created_at, 1, 10) AND time(substr(created_at, 12, 8)) IS substr(created_at, 12, 8) AND substr(created_at, 12, 2) < '24'),
    updated_at          TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(updated_at) = 26 AND date(julianday(substr(updated_at, 1, 10))) IS substr(updated_at, 1, 10) AND time(substr(updated_at, 12, 8)) IS substr(updated_at, 12, 8) AND substr(updated_at, 12, 2) < '24'),
    last_login          TEXT CHECK (last_login GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(last_login) = 26 AND date(julianday(substr(last_login, 1, 10))) IS substr(last_login, 1, 10) AND time(substr(last_login, 12, 8)) IS substr(last_login, 12, 8) AND substr(last_login, 12, 2) < '24'),
    email_verified      INTEGER DEFAULT 0 CHECK (email_verified IN (0, 1)),
    email_verified_at   TEXT CHECK (email_verified_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(email_verified_at) = 26 AND date(julianday(substr(email_verified_at, 1, 10))) IS substr(email_verified_at, 1, 10) AND time(substr(email_verified_at, 12, 8)) IS substr(email_verified_at, 12, 8) AND substr(email_verified_at, 12, 2) < '24'),
    reset_token         TEXT CHECK (length(reset_token) <= 255),
    reset_token_expires TEXT CHECK (reset_token_expires GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(reset_token_expires) = 26 AND date(julianday(substr(reset_token_expires, 1, 10))) IS substr(reset_token_expires, 1, 10) AND time(substr(reset_token_expires, 12, 8)) IS substr(reset_token_expires, 12, 8) AND substr(reset_token_expires, 12, 2) < '24')
) STRICT;
CREATE INDEX idx_users_email ON users (email);
CREATE INDEX idx_users_role ON users (role);
CREATE INDEX idx_users_created_at ON users (created_at);
CREATE INDEX idx_users_reset_token ON users (reset_token) WHERE reset_token IS NOT NULL;
-- Every UPDATE sets updated_at to now (as update_updated_at_column() does).
CREATE TRIGGER update_users_updated_at AFTER UPDATE ON users
    FOR EACH ROW
BEGIN
    UPDATE users SET updated_at = strftime('%Y-%m-%d %H:%M:%f000', 'now') WHERE id = NEW.id;
END;
