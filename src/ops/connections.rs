//! The connections part of `authctl stats` (apart from the auth figures of
//! [`crate::ops::stats`]): the server's client connections by state and
//! application, the oldest idle-in-transaction one, and the headroom left under
//! `max_connections`; and the pool arithmetic `migrate --check-production` checks.
//! PostgreSQL only.

use crate::db::DbConn;
use crate::db::pg::connections as pg;
use crate::ops::stats::Family;

pub use crate::db::pg::connections::ConnectionGroup;

/// The most connections authctl itself holds at once on a server where its timers
/// run: a purge holds two (its runner lock and its work), a `stats` run one.
pub const AUTHCTL_CONNECTIONS: i64 = 3;

/// The application's pool size when `DB_POOL_SIZE` is not set (pg-promise `max`).
pub const APP_DEFAULT_POOL_SIZE: i64 = 20;

/// The server's connections as `stats` reports them.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ConnectionStats {
    pub max_connections: i64,
    /// Slots only superusers (and `pg_use_reserved_connections`) may use.
    pub reserved: i64,
    /// Client connections now (authctl's own included).
    pub in_use: i64,
    /// How many more ordinary connections the server accepts now:
    /// `max_connections - reserved - in_use` (negative: superusers are using
    /// reserved slots).
    pub headroom: i64,
    /// Seconds the oldest `idle in transaction` connection has been idle in its
    /// transaction (`null`: none). Such a connection holds its locks and keeps
    /// vacuum from removing rows.
    pub oldest_idle_in_transaction_seconds: Option<f64>,
    pub by_state_and_application: Vec<ConnectionGroup>,
}

/// Read them; `None` on SQLite.
pub fn collect(conn: &mut DbConn) -> anyhow::Result<Option<ConnectionStats>> {
    let Some((server, groups)) = pg::read(conn)? else {
        return Ok(None);
    };
    let max = i64::from(server.max_connections);
    let reserved = i64::from(server.reserved);
    Ok(Some(ConnectionStats {
        max_connections: max,
        reserved,
        in_use: server.client_connections,
        headroom: max - reserved - server.client_connections,
        oldest_idle_in_transaction_seconds: server
            .oldest_idle_in_transaction_seconds
            .map(|s| s.max(0.0)),
        by_state_and_application: groups,
    }))
}

/// Its Prometheus families.
pub fn families(c: &ConnectionStats) -> Vec<Family> {
    let mut by = Family::gauge(
        "authctl_postgres_connections",
        "Client connections to the server by state and application_name (state unknown: hidden from this role).",
    );
    for g in &c.by_state_and_application {
        by = by.with(
            vec![
                ("state", g.state.clone()),
                ("application_name", g.application_name.clone()),
            ],
            g.connections as f64,
        );
    }
    vec![
        by,
        Family::gauge(
            "authctl_postgres_max_connections",
            "The server's max_connections.",
        )
        .with(vec![], c.max_connections as f64),
        Family::gauge(
            "authctl_postgres_reserved_connections",
            "Connection slots reserved for superusers (superuser_reserved_connections + reserved_connections).",
        )
        .with(vec![], c.reserved as f64),
        Family::gauge(
            "authctl_postgres_connection_headroom",
            "How many more ordinary connections the server accepts now (max_connections - reserved - client connections).",
        )
        .with(vec![], c.headroom as f64),
        Family::gauge(
            "authctl_postgres_oldest_idle_in_transaction_seconds",
            "Seconds the oldest idle-in-transaction connection has been so (0: none).",
        )
        .with(vec![], c.oldest_idle_in_transaction_seconds.unwrap_or(0.0)),
    ]
}

/// Its rows of the `stats` table (`health`, `now`).
pub fn table_rows(c: &ConnectionStats) -> Vec<(String, String)> {
    let mut rows = vec![(
        "server connections".to_owned(),
        format!(
            "{} of {} ({} reserved), {} more accepted",
            c.in_use, c.max_connections, c.reserved, c.headroom
        ),
    )];
    for g in &c.by_state_and_application {
        let app = if g.application_name.is_empty() {
            "(no application_name)"
        } else {
            &g.application_name
        };
        rows.push((
            format!("connections {}: {app}", g.state),
            g.connections.to_string(),
        ));
    }
    rows.push((
        "oldest idle in transaction".to_owned(),
        match c.oldest_idle_in_transaction_seconds {
            Some(s) => format!("{s:.0} s"),
            None => "none".to_owned(),
        },
    ));
    rows
}

/// What the application and authctl may open, against what the server accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolFit {
    pub app_pool_size: i64,
    pub app_instances: i64,
    /// `app_pool_size * app_instances + AUTHCTL_CONNECTIONS`.
    pub needed: i64,
    /// `max_connections - reserved`.
    pub available: i64,
    pub max_connections: i64,
    pub reserved: i64,
}

impl PoolFit {
    pub fn fits(&self) -> bool {
        self.needed <= self.available
    }
}

/// The server's limits as [`pool_fit`] needs them, and whether authctl reached it
/// through a pooler (`dialled_port`, the port of a single-host URL, is not the
/// port the answering server listens on); `None` on SQLite.
pub fn server_limits(
    conn: &mut DbConn,
    dialled_port: Option<u16>,
) -> anyhow::Result<Option<(i64, i64, bool)>> {
    let Some((server, _)) = pg::read(conn)? else {
        return Ok(None);
    };
    let behind_pooler = match (dialled_port, server.server_port) {
        (Some(dialled), Some(port)) => i32::from(dialled) != port,
        _ => false,
    };
    Ok(Some((
        i64::from(server.max_connections),
        i64::from(server.reserved),
        behind_pooler,
    )))
}

/// The pool arithmetic for `app_pool_size` connections per application instance.
pub fn pool_fit(
    app_pool_size: i64,
    app_instances: i64,
    max_connections: i64,
    reserved: i64,
) -> PoolFit {
    PoolFit {
        app_pool_size,
        app_instances,
        needed: app_pool_size.saturating_mul(app_instances) + AUTHCTL_CONNECTIONS,
        available: max_connections - reserved,
        max_connections,
        reserved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_application_default_pool_fits_the_server_default_only_for_few_instances() {
        // PostgreSQL's defaults: max_connections 100, 3 reserved.
        assert!(pool_fit(APP_DEFAULT_POOL_SIZE, 4, 100, 3).fits()); // 83 <= 97
        let f = pool_fit(APP_DEFAULT_POOL_SIZE, 5, 100, 3); // 103 > 97
        assert!(!f.fits());
        assert_eq!((f.needed, f.available), (103, 97));
    }
}
