//! `authctl stats`: one read-only snapshot of the auth system's health — users by
//! role and verification, active refresh tokens and sessions, failed and successful
//! attempts over fixed windows, IPs the application's rate limit blocks, rows
//! waiting for `purge-expired`, the last successful purge, dormant users — and its rendering in
//! the Prometheus text exposition format.
//!
//! Cheap on big tables: every count over `refresh_tokens`, `login_sessions` and
//! `auth_attempts` is one an application index serves (see [`indexed_queries`];
//! `tests/it/stats.rs` checks their PostgreSQL plans). Only `users` is read whole (one
//! grouped scan, and one count of the dormant users). On PostgreSQL the snapshot runs in one `REPEATABLE READ READ
//! ONLY` transaction (one consistent view, no row locks, short `lock_timeout`); on
//! SQLite in one deferred (read) transaction, which never takes the write lock.

use std::fmt::Write as _;

use diesel::prelude::*;

use crate::db::{DbConn, Dialect, UtcDateTime};
use crate::ops::purge::{self, PurgeOptions};
use crate::repo::auth_attempts::{self, RateLimit};
use crate::repo::users::{self, DEFAULT_ROLE, ROLES};
use crate::repo::{login_sessions, purge_runs, refresh_tokens};

/// The attempt windows reported (label, seconds).
pub const WINDOWS: &[(&str, i64)] = &[("15m", 15 * 60), ("1h", 3600), ("24h", 86_400)];

/// What to measure.
#[derive(Debug, Clone)]
pub struct StatsOptions {
    /// The rate limit whose blocked IPs are counted.
    pub rate_limit: RateLimit,
    /// The purge rules whose pending rows are counted (`purge-expired`'s defaults).
    pub purge: PurgeOptions,
    /// The dormancy window (`AUTHCTL_DORMANT_AFTER`): users with no login for this
    /// long are counted dormant.
    pub dormant_after: std::time::Duration,
}

impl Default for StatsOptions {
    fn default() -> Self {
        StatsOptions {
            rate_limit: RateLimit::default(),
            purge: PurgeOptions::default(),
            dormant_after: crate::config::settings::DORMANT_AFTER.default_duration(),
        }
    }
}

/// Users with one role and verification state.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RoleCount {
    /// The role; NULL counts as the application's default `user`.
    pub role: String,
    /// `email_verified` (NULL counts as false).
    pub verified: bool,
    pub count: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct UserStats {
    pub total: i64,
    /// Users whose hash is disabled (`!` prefix): the application refuses their logins.
    pub disabled: i64,
    /// Every known role × verified state (zeros included), then any other role found.
    pub by_role: Vec<RoleCount>,
}

/// Attempts within one window ending now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AttemptWindow {
    pub window: &'static str,
    pub seconds: i64,
    pub failed: i64,
    pub succeeded: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct RateLimitStats {
    pub window_minutes: i64,
    pub max_failed: i64,
    /// IPs the rule blocks now.
    pub blocked_ips: i64,
}

/// Rows of one table waiting for purge.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PendingStats {
    pub table: &'static str,
    pub rows: u64,
    /// When the longest-waiting row became purgeable (`null`: nothing waits).
    pub oldest_due_at: Option<UtcDateTime>,
    /// Seconds since then (`null`: nothing waits).
    pub oldest_age_seconds: Option<f64>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct LastPurge {
    pub finished_at: UtcDateTime,
    pub deleted: i64,
    pub tables: String,
    pub actor: String,
}

/// When one table was last purged completely.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableLastSuccess {
    pub table: &'static str,
    /// The newest run that went through the whole table (`null`: none recorded).
    pub last_success: Option<LastPurge>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PurgeStats {
    pub pending: Vec<PendingStats>,
    /// Every table a default `purge-expired` covers has been purged completely
    /// since this run finished: the oldest of `last_success_by_table` (`null` while
    /// any of them never was). A run capped by `--max-rows` or stopped by a signal
    /// counts only for the tables it completed; one limited by `--only` only for
    /// its tables.
    pub last_success: Option<LastPurge>,
    /// The same tables as `pending`, each with the newest run that completed it.
    pub last_success_by_table: Vec<TableLastSuccess>,
}

/// One snapshot.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Stats {
    pub generated_at: UtcDateTime,
    pub backend: &'static str,
    pub users: UserStats,
    pub refresh_tokens_active: i64,
    pub sessions_active: i64,
    pub attempts: Vec<AttemptWindow>,
    pub rate_limit: RateLimitStats,
    pub purge: PurgeStats,
    /// PostgreSQL: the server's replication role and lag (`null` on SQLite); see
    /// [`crate::ops::replication`].
    pub replication: Option<crate::ops::replication::ReplicationStats>,
    /// PostgreSQL: the server's client connections and headroom (`null` on
    /// SQLite); see [`crate::ops::connections`].
    pub connections: Option<crate::ops::connections::ConnectionStats>,
    pub dormant: DormantStats,
}

// ---------------------------------------------------------------------------------
// Dormant accounts (kept apart from the other figures)

/// Enabled users dormant for the configured window: no login for `after`, or never
/// logged in and created longer ago — what `users disable --inactive AFTER` would
/// disable (before its `--exclude`/`--role` filters and the last-admin rule).
#[derive(Debug, Clone, serde::Serialize)]
pub struct DormantStats {
    /// The window, as `90d` (`AUTHCTL_DORMANT_AFTER`).
    pub after: String,
    pub after_seconds: u64,
    /// Dormant = last login (or, without one, creation) before this time.
    pub cutoff: UtcDateTime,
    pub users: i64,
}

/// Count the dormant users for `after` at `now` (one count over `users`; its
/// columns have no index for this, and the schema is the application's).
fn dormant_stats(
    conn: &mut DbConn,
    after: std::time::Duration,
    now: UtcDateTime,
) -> anyhow::Result<DormantStats> {
    let window = chrono::Duration::from_std(after).unwrap_or(chrono::Duration::MAX);
    let cutoff = now
        .0
        .checked_sub_signed(window)
        .map(UtcDateTime)
        .unwrap_or(now);
    Ok(DormantStats {
        after: crate::ops::dormant::window_label(after),
        after_seconds: after.as_secs(),
        cutoff,
        users: users::count_dormant(conn, cutoff)?,
    })
}

/// The dormant-users family: `authctl_users_dormant{after="90d"}`.
fn dormant_family(d: &DormantStats) -> Family {
    Family::gauge(
        "authctl_users_dormant",
        "Enabled users with no login for the window in the after label (or never logged in and created longer ago): what `users disable --inactive` would disable.",
    )
    .with(vec![("after", d.after.clone())], d.users as f64)
}

/// The queries an index must serve, with the number of time parameters each takes
/// (all bound to "now" or a window start): for plan checks.
pub fn indexed_queries(d: Dialect) -> Vec<(&'static str, String, usize)> {
    vec![
        ("refresh_tokens", refresh_tokens::count_active_sql(d), 1),
        ("login_sessions", login_sessions::count_active_sql(d), 1),
        ("auth_attempts", auth_attempts::window_counts_sql(d), 3),
    ]
}

fn user_stats(conn: &mut DbConn) -> QueryResult<UserStats> {
    let rows = users::count_by_role(conn)?;
    let mut by_role: Vec<RoleCount> = ROLES
        .iter()
        .flat_map(|r| {
            [false, true].map(|verified| RoleCount {
                role: (*r).to_owned(),
                verified,
                count: 0,
            })
        })
        .collect();
    let (mut total, mut disabled) = (0, 0);
    for row in rows {
        total += row.n;
        if row.disabled {
            disabled += row.n;
        }
        match by_role
            .iter_mut()
            .find(|c| c.role == row.role && c.verified == row.verified)
        {
            Some(c) => c.count += row.n,
            None => by_role.push(RoleCount {
                role: row.role,
                verified: row.verified,
                count: row.n,
            }),
        }
    }
    debug_assert!(ROLES.contains(&DEFAULT_ROLE));
    Ok(UserStats {
        total,
        disabled,
        by_role,
    })
}

fn attempts(conn: &mut DbConn, now: UtcDateTime) -> QueryResult<Vec<AttemptWindow>> {
    let since = |secs: i64| now - chrono::Duration::seconds(secs);
    let counts = auth_attempts::window_counts(
        conn,
        [
            since(WINDOWS[0].1),
            since(WINDOWS[1].1),
            since(WINDOWS[2].1),
        ],
    )?;
    Ok(WINDOWS
        .iter()
        .zip(counts)
        .map(|(&(window, seconds), (failed, succeeded))| AttemptWindow {
            window,
            seconds,
            failed,
            succeeded,
        })
        .collect())
}

/// Take the snapshot, at the start of its transaction on the application's clock
/// (PostgreSQL's `now()`; see [`crate::db::clock::now`]).
pub fn collect(conn: &mut DbConn, opts: &StatsOptions) -> anyhow::Result<Stats> {
    // One snapshot, guarded and bounded like every read (DbConn::snapshot_read).
    conn.snapshot_read(|conn| {
        let now = crate::db::clock::now(conn)?;
        snapshot(conn, opts, now)
    })
}

fn snapshot(conn: &mut DbConn, opts: &StatsOptions, now: UtcDateTime) -> anyhow::Result<Stats> {
    let d = conn.dialect();
    // Never queue behind DDL (a migration) for long.
    conn.set_local_lock_timeout(std::time::Duration::from_secs(5))?;
    let users = user_stats(conn)?;
    let refresh_tokens_active = refresh_tokens::count_active(conn, now)?;
    let sessions_active = login_sessions::count_active(conn, now)?;
    let attempts = attempts(conn, now)?;
    let dormant = dormant_stats(conn, opts.dormant_after, now)?;
    let blocked = auth_attempts::blocked_count(conn, opts.rate_limit, now)?;
    let pending: Vec<PendingStats> = purge::pending(conn, &opts.purge, now)?
        .into_iter()
        .map(|p| PendingStats {
            table: p.table,
            rows: p.rows,
            oldest_due_at: p.oldest_due,
            oldest_age_seconds: p
                .oldest_due
                .map(|d| ((now.0 - d.0).num_microseconds().unwrap_or(0) as f64 / 1e6).max(0.0)),
        })
        .collect();
    let mut by_table = Vec::new();
    for p in &pending {
        let last = purge_runs::last_complete(conn, p.table)?.map(|r| LastPurge {
            finished_at: r.finished_at,
            deleted: r.deleted,
            tables: r.tables,
            actor: r.actor,
        });
        by_table.push(TableLastSuccess {
            table: p.table,
            last_success: last,
        });
    }
    // The oldest of them, and none while one table was never completed.
    let last_success = by_table
        .iter()
        .map(|t| t.last_success.as_ref())
        .collect::<Option<Vec<_>>>()
        .and_then(|all| all.into_iter().min_by_key(|l| l.finished_at.0).cloned());
    let replication = crate::ops::replication::collect(conn)?;
    let connections = crate::ops::connections::collect(conn)?;
    Ok(Stats {
        replication,
        connections,
        generated_at: now,
        backend: d.name(),
        users,
        refresh_tokens_active,
        sessions_active,
        attempts,
        rate_limit: RateLimitStats {
            window_minutes: opts.rate_limit.window.num_minutes(),
            max_failed: opts.rate_limit.max,
            blocked_ips: blocked,
        },
        purge: PurgeStats {
            pending,
            last_success,
            last_success_by_table: by_table,
        },
        dormant,
    })
}

// ---------------------------------------------------------------------------------
// Prometheus text exposition format

/// One metric family: name, HELP, TYPE and samples (labels, value).
#[derive(Debug, Clone)]
pub struct Family {
    pub name: &'static str,
    pub help: &'static str,
    pub kind: &'static str,
    pub samples: Vec<(Vec<(&'static str, String)>, f64)>,
}

impl Family {
    pub(crate) fn gauge(name: &'static str, help: &'static str) -> Self {
        Family {
            name,
            help,
            kind: "gauge",
            samples: Vec::new(),
        }
    }
    pub(crate) fn with(mut self, labels: Vec<(&'static str, String)>, value: f64) -> Self {
        self.samples.push((labels, value));
        self
    }
}

/// The metric families of a snapshot that took `duration_seconds`. Stable names.
pub fn families(stats: &Stats, duration_seconds: f64) -> Vec<Family> {
    let mut out = Vec::new();
    out.push(
        Family::gauge(
            "authctl_up",
            "1 when authctl read the auth database for this snapshot, 0 when it could not.",
        )
        .with(vec![], 1.0),
    );
    let mut users = Family::gauge(
        "authctl_users",
        "Users by role (NULL counts as user) and email_verified (NULL counts as false).",
    );
    for c in &stats.users.by_role {
        users = users.with(
            vec![
                ("role", c.role.clone()),
                ("verified", c.verified.to_string()),
            ],
            c.count as f64,
        );
    }
    out.push(users);
    out.push(
        Family::gauge(
            "authctl_users_disabled",
            "Users whose password hash is disabled (authctl users disable): every login fails.",
        )
        .with(vec![], stats.users.disabled as f64),
    );
    out.push(dormant_family(&stats.dormant));
    out.push(
        Family::gauge(
            "authctl_refresh_tokens_active",
            "Refresh tokens the application accepts now (is_revoked = false and expires_at > now).",
        )
        .with(vec![], stats.refresh_tokens_active as f64),
    );
    out.push(
        Family::gauge(
            "authctl_sessions_active",
            "Login sessions the application accepts now (is_active = true and expires_at > now).",
        )
        .with(vec![], stats.sessions_active as f64),
    );
    let mut attempts = Family::gauge(
        "authctl_auth_attempts",
        "Authentication attempts recorded within the window ending now, by result.",
    );
    for w in &stats.attempts {
        for (result, n) in [("failed", w.failed), ("success", w.succeeded)] {
            attempts = attempts.with(
                vec![("result", result.into()), ("window", w.window.into())],
                n as f64,
            );
        }
    }
    out.push(attempts);
    out.push(
        Family::gauge(
            "authctl_rate_limited_ips",
            "IPs the application's rate limit blocks now (at least max failed attempts within the window).",
        )
        .with(vec![], stats.rate_limit.blocked_ips as f64),
    );
    out.push(
        Family::gauge(
            "authctl_rate_limit_window_seconds",
            "The rate-limit window these figures use.",
        )
        .with(vec![], (stats.rate_limit.window_minutes * 60) as f64),
    );
    out.push(
        Family::gauge(
            "authctl_rate_limit_max_failed",
            "Failed attempts within the window that block an IP.",
        )
        .with(vec![], stats.rate_limit.max_failed as f64),
    );
    let mut pending = Family::gauge(
        "authctl_purge_pending_rows",
        "Rows purge-expired (default retentions) would delete now, by table.",
    );
    let mut age = Family::gauge(
        "authctl_purge_oldest_expired_age_seconds",
        "Seconds since the longest-waiting purgeable row became purgeable (0: none waits); grows when the purge cron stalls.",
    );
    for p in &stats.purge.pending {
        pending = pending.with(vec![("table", p.table.into())], p.rows as f64);
        age = age.with(
            vec![("table", p.table.into())],
            p.oldest_age_seconds.unwrap_or(0.0),
        );
    }
    out.push(pending);
    out.push(age);
    if let Some(last) = &stats.purge.last_success {
        out.push(
            Family::gauge(
                "authctl_purge_last_success_timestamp_seconds",
                "Unix time since which every table purge-expired covers by default has been purged completely: the oldest authctl_purge_table_last_success_timestamp_seconds (absent while one table never was).",
            )
            .with(vec![], unix_seconds(last.finished_at)),
        );
    }
    let mut by_table = Family::gauge(
        "authctl_purge_table_last_success_timestamp_seconds",
        "Unix time the newest purge-expired run that went through the whole table finished (absent: none recorded); runs capped by --max-rows or interrupted do not count for the tables they left.",
    );
    for t in &stats.purge.last_success_by_table {
        if let Some(last) = &t.last_success {
            by_table = by_table.with(
                vec![("table", t.table.into())],
                unix_seconds(last.finished_at),
            );
        }
    }
    if !by_table.samples.is_empty() {
        out.push(by_table);
    }
    if let Some(r) = &stats.replication {
        out.extend(crate::ops::replication::families(r));
    }
    if let Some(c) = &stats.connections {
        out.extend(crate::ops::connections::families(c));
    }
    out.push(
        Family::gauge(
            "authctl_stats_scrape_duration_seconds",
            "How long authctl took to connect and take this snapshot.",
        )
        .with(vec![], duration_seconds),
    );
    out
}

/// The families written when the snapshot failed: `authctl_up 0`.
pub fn failure_families(duration_seconds: f64) -> Vec<Family> {
    vec![
        Family::gauge(
            "authctl_up",
            "1 when authctl read the auth database for this snapshot, 0 when it could not.",
        )
        .with(vec![], 0.0),
        Family::gauge(
            "authctl_stats_scrape_duration_seconds",
            "How long authctl took to connect and take this snapshot.",
        )
        .with(vec![], duration_seconds),
    ]
}

fn unix_seconds(t: UtcDateTime) -> f64 {
    t.0.timestamp_micros() as f64 / 1e6
}

/// A label value escaped for the text format: `\` → `\\`, `"` → `\"`, newline → `\n`.
pub fn escape_label_value(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// HELP text escaped for the text format: `\` → `\\`, newline → `\n`.
fn escape_help(v: &str) -> String {
    v.replace('\\', "\\\\").replace('\n', "\\n")
}

/// A sample value: Go's `ParseFloat` spellings, integers without a fraction.
fn format_value(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v.is_infinite() {
        if v > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        }
    } else if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Render in the Prometheus text exposition format (version 0.0.4): `# HELP`,
/// `# TYPE`, then the samples of each family; no timestamps (node_exporter's
/// textfile collector refuses them).
pub fn render_prometheus(families: &[Family]) -> String {
    let mut out = String::new();
    for f in families {
        let _ = writeln!(out, "# HELP {} {}", f.name, escape_help(f.help));
        let _ = writeln!(out, "# TYPE {} {}", f.name, f.kind);
        for (labels, value) in &f.samples {
            out.push_str(f.name);
            if !labels.is_empty() {
                let inner = labels
                    .iter()
                    .map(|(k, v)| format!("{k}=\"{}\"", escape_label_value(v)))
                    .collect::<Vec<_>>()
                    .join(",");
                let _ = write!(out, "{{{inner}}}");
            }
            let _ = writeln!(out, " {}", format_value(*value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_and_help_are_escaped() {
        assert_eq!(escape_label_value(r#"a\b"c"#), r#"a\\b\"c"#);
        assert_eq!(escape_label_value("x\ny"), r"x\ny");
        let f =
            Family::gauge("authctl_users", "a \\ b\nc").with(vec![("role", "q\"\\\n".into())], 3.0);
        assert_eq!(
            render_prometheus(&[f]),
            "# HELP authctl_users a \\\\ b\\nc\n# TYPE authctl_users gauge\nauthctl_users{role=\"q\\\"\\\\\\n\"} 3\n"
        );
    }

    #[test]
    fn values() {
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(12.0), "12");
        assert_eq!(format_value(0.25), "0.25");
        assert_eq!(format_value(f64::NAN), "NaN");
        assert_eq!(format_value(f64::INFINITY), "+Inf");
    }
}
