-- Audit trail. user_id is set to NULL when the user is deleted so history survives;
-- detail is a JSON object as text and never holds a password or raw token.
CREATE TABLE audit_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (occurred_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]*' AND (length(occurred_at) = 19 OR (substr(occurred_at, 20, 1) = '.' AND length(occurred_at) > 20 AND substr(occurred_at, 21) NOT GLOB '*[^0-9]*'))),
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    user_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
    detail      TEXT CHECK (detail IS NULL OR json_valid(detail)),
    ip_address  TEXT
) STRICT;
CREATE INDEX audit_events_occurred_at_idx ON audit_events (occurred_at, id);
CREATE INDEX audit_events_user_id_idx ON audit_events (user_id, occurred_at);
CREATE INDEX audit_events_action_idx ON audit_events (action, occurred_at);
