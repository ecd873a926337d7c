//! The replication part of `authctl stats` (kept apart from the auth figures of
//! [`crate::ops::stats`]): on a standby, that it is one and how far it lags; on a
//! primary, the standbys connected to it and their lag. PostgreSQL only.

use crate::db::DbConn;
use crate::db::pg::replication as pg;
use crate::ops::stats::Family;

pub use crate::db::pg::replication::StandbyLink;

/// Replication as seen from the server `stats` read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReplicationStats {
    /// `primary` or `standby` (in recovery: its figures may be stale).
    pub role: &'static str,
    /// Standby: seconds since the last replayed transaction was committed on the
    /// primary (`null` before any; it grows while the primary is idle too).
    pub replay_lag_seconds: Option<f64>,
    /// Standby: WAL bytes received from the primary and not yet replayed.
    pub receive_replay_lag_bytes: Option<i64>,
    /// Primary: the standbys streaming from it (their positions and addresses are
    /// `null`/empty unless this role is a superuser or in `pg_read_all_stats`).
    pub standbys: Vec<StandbyLink>,
}

/// Read it in the caller's (snapshot) transaction; `None` on SQLite.
pub fn collect(conn: &mut DbConn) -> anyhow::Result<Option<ReplicationStats>> {
    let Some((server, standbys)) = pg::read(conn)? else {
        return Ok(None);
    };
    Ok(Some(ReplicationStats {
        role: if server.in_recovery {
            "standby"
        } else {
            "primary"
        },
        replay_lag_seconds: server.replay_lag_seconds.map(|s| s.max(0.0)),
        receive_replay_lag_bytes: server.receive_replay_lag_bytes,
        standbys,
    }))
}

/// Its Prometheus families: `authctl_postgres_in_recovery` always; the replay lag
/// on a standby; the connected standbys and their lag on a primary.
pub fn families(r: &ReplicationStats) -> Vec<Family> {
    let standby = r.role == "standby";
    let mut out = vec![
        Family::gauge(
            "authctl_postgres_in_recovery",
            "1 when the server authctl read is a standby (in recovery: the figures may lag the primary), 0 on a primary.",
        )
        .with(vec![], if standby { 1.0 } else { 0.0 }),
    ];
    if standby {
        if let Some(s) = r.replay_lag_seconds {
            out.push(
                Family::gauge(
                    "authctl_postgres_replay_lag_seconds",
                    "Standby: seconds since the last replayed transaction was committed on the primary (grows while the primary is idle too).",
                )
                .with(vec![], s),
            );
        }
        if let Some(b) = r.receive_replay_lag_bytes {
            out.push(
                Family::gauge(
                    "authctl_postgres_replay_lag_bytes",
                    "Standby: WAL bytes received from the primary and not yet replayed.",
                )
                .with(vec![], b as f64),
            );
        }
        return out;
    }
    out.push(
        Family::gauge(
            "authctl_postgres_standbys",
            "Primary: standbys connected to it (pg_stat_replication).",
        )
        .with(vec![], r.standbys.len() as f64),
    );
    let labels = |s: &StandbyLink| {
        vec![
            ("application_name", s.application_name.clone()),
            ("client_addr", s.client_addr.clone()),
        ]
    };
    let mut bytes = Family::gauge(
        "authctl_postgres_standby_replay_lag_bytes",
        "Primary: WAL bytes written here and not yet replayed by the standby (absent when this role may not read them).",
    );
    let mut secs = Family::gauge(
        "authctl_postgres_standby_replay_lag_seconds",
        "Primary: the server's replay_lag of the standby (absent when hidden or idle).",
    );
    for s in &r.standbys {
        if let Some(b) = s.replay_lag_bytes {
            bytes = bytes.with(labels(s), b as f64);
        }
        if let Some(t) = s.replay_lag_seconds {
            secs = secs.with(labels(s), t);
        }
    }
    out.extend([bytes, secs].into_iter().filter(|f| !f.samples.is_empty()));
    out
}

/// Its rows of the `stats` table (`health`, `now`).
pub fn table_rows(r: &ReplicationStats) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    if r.role == "standby" {
        let lag = match (r.replay_lag_seconds, r.receive_replay_lag_bytes) {
            (Some(s), Some(b)) => format!(
                "{s:.1} s since the last replayed transaction, {b} bytes received and not yet replayed"
            ),
            (None, Some(b)) => {
                format!("no transaction replayed yet, {b} bytes received and not yet replayed")
            }
            (Some(s), None) => format!("{s:.1} s since the last replayed transaction"),
            (None, None) => "unknown".to_owned(),
        };
        rows.push((
            "server".to_owned(),
            "a standby (in recovery): these figures may lag the primary".to_owned(),
        ));
        rows.push(("replay lag".to_owned(), lag));
        return rows;
    }
    rows.push((
        "server".to_owned(),
        format!("the primary, {} standby(s) connected", r.standbys.len()),
    ));
    for s in &r.standbys {
        let name = if s.client_addr.is_empty() {
            s.application_name.clone()
        } else {
            format!("{} ({})", s.application_name, s.client_addr)
        };
        let lag = match (s.replay_lag_bytes, s.replay_lag_seconds) {
            (Some(b), Some(t)) => format!("{b} bytes, {t:.1} s behind"),
            (Some(b), None) => format!("{b} bytes behind"),
            _ => "lag hidden from this role (needs pg_read_all_stats)".to_owned(),
        };
        let state = if s.state.is_empty() { "?" } else { &s.state };
        rows.push((format!("standby {name}"), format!("{state}, {lag}")));
    }
    rows
}
