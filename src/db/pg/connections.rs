//! The server's connections as `pg_stat_activity` and the settings report them: how
//! many client connections there are by state and application, the oldest open
//! idle-in-transaction one, and how many more the server accepts
//! (`max_connections` minus the slots reserved for superusers and
//! `pg_use_reserved_connections`). A role that is neither a superuser nor in
//! `pg_read_all_stats` sees other roles' connections without their state
//! (counted as `unknown`).

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

/// The server's limits and totals.
#[derive(Debug, Clone, QueryableByName, serde::Serialize)]
pub struct ServerConnections {
    /// `max_connections`.
    #[diesel(sql_type = Integer)]
    pub max_connections: i32,
    /// `superuser_reserved_connections` plus `reserved_connections` (PostgreSQL 16+).
    #[diesel(sql_type = Integer)]
    pub reserved: i32,
    /// Client backends now, this one included.
    #[diesel(sql_type = BigInt)]
    pub client_connections: i64,
    /// Seconds the oldest `idle in transaction` connection has been so (`None`: none).
    #[diesel(sql_type = Nullable<diesel::sql_types::Double>)]
    pub oldest_idle_in_transaction_seconds: Option<f64>,
    /// The TCP port of the server process that answers (`inet_server_port()`;
    /// `None` over a Unix socket): differs from the port authctl dialled when a
    /// pooler sits between.
    #[diesel(sql_type = Nullable<Integer>)]
    pub server_port: Option<i32>,
}

/// Client connections of one state and application name.
#[derive(Debug, Clone, QueryableByName, serde::Serialize)]
pub struct ConnectionGroup {
    /// `active`, `idle`, `idle in transaction`, …, or `unknown` (hidden from this role).
    #[diesel(sql_type = Text)]
    pub state: String,
    #[diesel(sql_type = Text)]
    pub application_name: String,
    #[diesel(sql_type = BigInt)]
    pub connections: i64,
}

/// Read [`ServerConnections`].
pub fn server(conn: &mut PgConnection) -> QueryResult<ServerConnections> {
    diesel::sql_query(
        "SELECT current_setting('max_connections')::int AS max_connections, \
                current_setting('superuser_reserved_connections')::int \
                  + coalesce(current_setting('reserved_connections', true)::int, 0) AS reserved, \
                (SELECT count(*) FROM pg_stat_activity \
                  WHERE backend_type = 'client backend')::bigint AS client_connections, \
                (SELECT extract(epoch FROM clock_timestamp() - min(state_change))::float8 \
                   FROM pg_stat_activity \
                  WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')) \
                  AS oldest_idle_in_transaction_seconds, \
                inet_server_port() AS server_port",
    )
    .get_result(conn)
}

/// The client connections grouped by state and application name; authctl's own
/// runs (`authctl@HOST:PID`) count as one application, `authctl`, so a metric
/// labelled by it does not gain a series per run.
pub fn groups(conn: &mut PgConnection) -> QueryResult<Vec<ConnectionGroup>> {
    diesel::sql_query(
        "SELECT coalesce(state, 'unknown') AS state, \
                CASE WHEN application_name LIKE 'authctl@%' THEN 'authctl' \
                     ELSE coalesce(application_name, '') END AS application_name, \
                count(*)::bigint AS connections \
           FROM pg_stat_activity WHERE backend_type = 'client backend' \
          GROUP BY 1, 2 ORDER BY 1, 2",
    )
    .load(conn)
}

/// Both, or `None` on SQLite (which has no server connections).
pub fn read(
    conn: &mut crate::db::DbConn,
) -> QueryResult<Option<(ServerConnections, Vec<ConnectionGroup>)>> {
    match conn {
        crate::db::DbConn::Postgres(c) => Ok(Some((server(c)?, groups(c)?))),
        crate::db::DbConn::Sqlite(_) => Ok(None),
    }
}
