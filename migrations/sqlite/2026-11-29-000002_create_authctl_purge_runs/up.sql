-- authctl's own record of purge-expired runs (see the PostgreSQL migration). Times
-- are canonical UTC text 'YYYY-MM-DD HH:MM:SS.ffffff' (CHECKed, so text order is
-- time order).
CREATE TABLE authctl_purge_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL CHECK (started_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(started_at) = 26 AND date(julianday(substr(started_at, 1, 10))) IS substr(started_at, 1, 10) AND time(substr(started_at, 12, 8)) IS substr(started_at, 12, 8) AND substr(started_at, 12, 2) < '24'),
    finished_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now')) CHECK (finished_at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9][0-9][0-9][0-9]' AND length(finished_at) = 26 AND date(julianday(substr(finished_at, 1, 10))) IS substr(finished_at, 1, 10) AND time(substr(finished_at, 12, 8)) IS substr(finished_at, 12, 8) AND substr(finished_at, 12, 2) < '24'),
    actor       TEXT    NOT NULL,
    tables      TEXT    NOT NULL,
    deleted     INTEGER NOT NULL CHECK (deleted >= 0),
    interrupted INTEGER NOT NULL CHECK (interrupted IN (0, 1))
) STRICT;
CREATE INDEX authctl_purge_runs_finished_at_idx ON authctl_purge_runs (finished_at) WHERE interrupted = 0;
