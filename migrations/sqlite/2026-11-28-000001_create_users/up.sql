-- Users. Emails are stored normalized (trimmed, lower-case) and unique case-insensitively.
-- Times are UTC text 'YYYY-MM-DD HH:MM:SS[.ffffff]' (CHECKed, so text order is time
-- order); booleans are 0/1.
CREATE TABLE users (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    email                TEXT    NOT NULL CHECK (email <> '' AND length(email) <= 320),
    display_name         TEXT,
    password_hash        TEXT    NOT NULL,
    role                 TEXT    NOT NULL DEFAULT 'user' CHECK (role <> ''),
    is_active            INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    disabled_at          TEXT CHECK (disabled_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(disabled_at) = 19 OR (substr(disabled_at, 20, 1) = '.' AND length(disabled_at) > 20 AND substr(disabled_at, 21) NOT GLOB '*[^0-9]*'))),
    disabled_reason      TEXT,
    failed_login_count   INTEGER NOT NULL DEFAULT 0 CHECK (failed_login_count >= 0),
    locked_until         TEXT CHECK (locked_until GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(locked_until) = 19 OR (substr(locked_until, 20, 1) = '.' AND length(locked_until) > 20 AND substr(locked_until, 21) NOT GLOB '*[^0-9]*'))),
    must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1)),
    password_changed_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (password_changed_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(password_changed_at) = 19 OR (substr(password_changed_at, 20, 1) = '.' AND length(password_changed_at) > 20 AND substr(password_changed_at, 21) NOT GLOB '*[^0-9]*'))),
    last_login_at        TEXT CHECK (last_login_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(last_login_at) = 19 OR (substr(last_login_at, 20, 1) = '.' AND length(last_login_at) > 20 AND substr(last_login_at, 21) NOT GLOB '*[^0-9]*'))),
    created_at           TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (created_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(created_at) = 19 OR (substr(created_at, 20, 1) = '.' AND length(created_at) > 20 AND substr(created_at, 21) NOT GLOB '*[^0-9]*'))),
    updated_at           TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (updated_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(updated_at) = 19 OR (substr(updated_at, 20, 1) = '.' AND length(updated_at) > 20 AND substr(updated_at, 21) NOT GLOB '*[^0-9]*')))
) STRICT;
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
CREATE INDEX users_role_idx ON users (role);
CREATE INDEX users_created_at_idx ON users (created_at, id);
