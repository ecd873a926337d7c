-- Application step 005 (users) in the embedded SQLite default: the application's
-- logical schema with uuid as canonical lower-case text, inet as text, booleans as
-- 0/1 and times as canonical UTC text 'YYYY-MM-DD HH:MM:SS.ffffff' (CHECKed, so
-- text order is time order).
CREATE TABLE users (
    id                  TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))) CHECK (length(id) = 36 AND id GLOB '[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-*' AND id NOT GLOB '*[^0-9a-f-]*'),
    email               TEXT NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 255 AND email LIKE '_%@_%._%'),
    password_hash       TEXT NOT NULL CHECK (length(password_hash) <= 255),
    name                TEXT CHECK (length(name) <= 255),
    role                TEXT DEFAULT 'user' CHECK (role IN ('user', 'admin', 'premium')),
    created_at          TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(created_at) = 26),
    updated_at          TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(updated_at) = 26),
    last_login          TEXT CHECK (last_login GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(last_login) = 26),
    email_verified      INTEGER DEFAULT 0 CHECK (email_verified IN (0, 1)),
    email_verified_at   TEXT CHECK (email_verified_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(email_verified_at) = 26),
    reset_token         TEXT CHECK (length(reset_token) <= 255),
    reset_token_expires TEXT CHECK (reset_token_expires GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(reset_token_expires) = 26)
) STRICT;
CREATE INDEX idx_users_email ON users (email);
CREATE INDEX idx_users_role ON users (role);
CREATE INDEX idx_users_created_at ON users (created_at);
CREATE INDEX idx_users_reset_token ON users (reset_token) WHERE reset_token IS NOT NULL;
CREATE TRIGGER update_users_updated_at AFTER UPDATE ON users
    FOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at
BEGIN
    UPDATE users SET updated_at = strftime('%Y-%m-%d %H:%M:%f000', 'now') WHERE id = NEW.id;
END;
