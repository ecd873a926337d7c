//! Streaming replication as the server reports it: whether it is a standby and how
//! far behind it replays (`pg_last_wal_*`, `pg_last_xact_replay_timestamp`), and on
//! a primary the standbys connected to it (`pg_stat_replication`, whose addresses
//! and positions only superusers and `pg_read_all_stats` members may read).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Double, Nullable, Text};

/// The server's side of replication, read in the caller's transaction.
#[derive(Debug, Clone, QueryableByName)]
pub struct ServerReplication {
    /// `pg_is_in_recovery()`.
    #[diesel(sql_type = Bool)]
    pub in_recovery: bool,
    /// Standby: seconds since the last transaction it replayed was committed on the
    /// primary (grows while the primary is idle, too); `None` before any replay.
    #[diesel(sql_type = Nullable<Double>)]
    pub replay_lag_seconds: Option<f64>,
    /// Standby: WAL bytes received but not yet replayed.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub receive_replay_lag_bytes: Option<i64>,
}

/// One standby connected to this primary (`pg_stat_replication`).
#[derive(Debug, Clone, QueryableByName, serde::Serialize)]
pub struct StandbyLink {
    #[diesel(sql_type = Text)]
    pub application_name: String,
    /// Its address (empty when this role may not see it, or over a Unix socket).
    #[diesel(sql_type = Text)]
    pub client_addr: String,
    /// `streaming`, `catchup`, … (empty when this role may not see it).
    #[diesel(sql_type = Text)]
    pub state: String,
    /// `async`, `sync`, `potential`, `quorum` (empty when hidden).
    #[diesel(sql_type = Text)]
    pub sync_state: String,
    /// WAL bytes written here and not yet replayed there (`None`: hidden).
    #[diesel(sql_type = Nullable<BigInt>)]
    pub replay_lag_bytes: Option<i64>,
    /// The server's own measure of replay delay (`None`: hidden, or idle).
    #[diesel(sql_type = Nullable<Double>)]
    pub replay_lag_seconds: Option<f64>,
}

/// Read [`ServerReplication`]'s figures.
pub fn server_replication(conn: &mut PgConnection) -> QueryResult<ServerReplication> {
    diesel::sql_query(
        "SELECT pg_is_in_recovery() AS in_recovery, \
                CASE WHEN pg_is_in_recovery() THEN \
                  extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float8 \
                END AS replay_lag_seconds, \
                CASE WHEN pg_is_in_recovery() THEN \
                  pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint \
                END AS receive_replay_lag_bytes",
    )
    .get_result(conn)
}

/// The standbys connected to this primary (none on a standby, unless it cascades).
pub fn standbys(conn: &mut PgConnection) -> QueryResult<Vec<StandbyLink>> {
    diesel::sql_query(
        "SELECT coalesce(application_name, '') AS application_name, \
                coalesce(host(client_addr), '') AS client_addr, \
                coalesce(state, '') AS state, coalesce(sync_state, '') AS sync_state, \
                CASE WHEN replay_lsn IS NOT NULL AND NOT pg_is_in_recovery() THEN \
                  pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint END AS replay_lag_bytes, \
                extract(epoch FROM replay_lag)::float8 AS replay_lag_seconds \
         FROM pg_stat_replication ORDER BY application_name, client_addr",
    )
    .load(conn)
}

/// The server's replication state and its connected standbys, or `None` on SQLite
/// (which does not replicate): the one place `stats` asks which backend it reads.
pub fn read(
    conn: &mut crate::db::DbConn,
) -> QueryResult<Option<(ServerReplication, Vec<StandbyLink>)>> {
    match conn {
        crate::db::DbConn::Postgres(c) => Ok(Some((server_replication(c)?, standbys(c)?))),
        crate::db::DbConn::Sqlite(_) => Ok(None),
    }
}
