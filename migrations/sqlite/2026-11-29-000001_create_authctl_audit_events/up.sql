-- authctl's own audit trail (see the PostgreSQL migration). Times are canonical UTC
-- text 'YYYY-MM-DD HH:MM:SS.ffffff' (CHECKed, so text order is time order).
CREATE TABLE authctl_audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (occurred_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(occurred_at) = 26 AND date(julianday(substr(occurred_at, 1, 10))) IS substr(occurred_at, 1, 10) AND time(substr(occurred_at, 12, 8)) IS substr(occurred_at, 12, 8) AND substr(occurred_at, 12, 2) < '24'),
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    user_id     TEXT REFERENCES users (id) ON DELETE SET NULL,
    user_email  TEXT,
    detail      TEXT CHECK (detail IS NULL OR json_valid(detail))
) STRICT;
CREATE INDEX authctl_audit_events_occurred_at_idx ON authctl_audit_events (occurred_at, id);
CREATE INDEX authctl_audit_events_user_id_idx ON authctl_audit_events (user_id, occurred_at);
CREATE INDEX authctl_audit_events_user_email_idx ON authctl_audit_events (user_email, occurred_at);
CREATE INDEX authctl_audit_events_action_idx ON authctl_audit_events (action, occurred_at);
