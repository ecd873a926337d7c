//! `auth_attempts`: every authentication attempt the application records, and the
//! application's IP rate limit over them (`check_rate_limit`: an IP is blocked while
//! it has at least `max` failed attempts within the last `window`).
//!
//! Rows with a NULL `"timestamp"` (the column is nullable, the application always
//! sets it) are outside every time window, as in the application's SQL.

use diesel::prelude::*;

use crate::db::{AttemptId, DbConn, Inet, UserId, UtcDateTime};
use crate::schema::auth_attempts as aa;
use crate::with_conn;

/// The application's rate-limit window (`p_window_minutes DEFAULT 15`).
pub const DEFAULT_WINDOW_MINUTES: i64 = 15;
/// The application's failed-attempt limit (`p_max_attempts DEFAULT 5`).
pub const DEFAULT_MAX_ATTEMPTS: i64 = 5;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = aa)]
pub struct AuthAttempt {
    pub id: AttemptId,
    pub user_id: Option<UserId>,
    pub email: Option<String>,
    pub ip_address: Inet,
    pub user_agent: Option<String>,
    pub success: bool,
    pub failure_reason: Option<String>,
    pub timestamp: Option<UtcDateTime>,
    pub attempt_type: Option<String>,
}

/// An attempt to record (as the application does).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = aa)]
pub struct NewAttempt<'a> {
    pub id: AttemptId,
    pub user_id: Option<UserId>,
    pub email: Option<&'a str>,
    pub ip_address: Inet,
    pub user_agent: Option<&'a str>,
    pub success: bool,
    pub failure_reason: Option<&'a str>,
    pub timestamp: UtcDateTime,
    pub attempt_type: &'a str,
}

impl<'a> NewAttempt<'a> {
    /// A failed login attempt from `ip` now.
    pub fn failed_login(ip: Inet, email: Option<&'a str>) -> Self {
        NewAttempt {
            id: AttemptId::new_v4(),
            user_id: None,
            email,
            ip_address: ip,
            user_agent: None,
            success: false,
            failure_reason: Some("invalid_credentials"),
            timestamp: UtcDateTime::now(),
            attempt_type: "login",
        }
    }

    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        with_conn!(conn, c => diesel::insert_into(aa::table).values(self).execute(c)).map(|_| ())
    }
}

/// The rate limit: at least `max` failed attempts within `window` block an IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct RateLimit {
    #[serde(serialize_with = "minutes")]
    pub window: chrono::Duration,
    pub max: i64,
}

fn minutes<S: serde::Serializer>(d: &chrono::Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_i64(d.num_minutes())
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit {
            window: chrono::Duration::minutes(DEFAULT_WINDOW_MINUTES),
            max: DEFAULT_MAX_ATTEMPTS,
        }
    }
}

/// An IP the rate limit blocks now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BlockedIp {
    pub ip_address: Inet,
    /// Failed attempts within the window.
    pub failed: i64,
    pub first_failed_at: UtcDateTime,
    pub last_failed_at: UtcDateTime,
    /// When the IP is let in again if no further attempt fails: the `max`-th newest
    /// failed attempt leaves the window then.
    pub blocked_until: UtcDateTime,
}

/// The failed attempts of `ip` within the window, newest first.
fn failed_times(conn: &mut DbConn, ip: Inet, since: UtcDateTime) -> QueryResult<Vec<UtcDateTime>> {
    let times: Vec<Option<UtcDateTime>> = with_conn!(conn, c => aa::table
        .filter(aa::ip_address.eq(ip))
        .filter(aa::success.eq(false))
        .filter(aa::timestamp.gt(since))
        .order(aa::timestamp.desc())
        .select(aa::timestamp)
        .load(c))?;
    Ok(times.into_iter().flatten().collect())
}

fn blocked_from(ip: Inet, times: &[UtcDateTime], limit: RateLimit) -> Option<BlockedIp> {
    let max = usize::try_from(limit.max.max(1)).unwrap_or(usize::MAX);
    if times.len() < max {
        return None;
    }
    Some(BlockedIp {
        ip_address: ip,
        failed: times.len() as i64,
        first_failed_at: *times.last()?,
        last_failed_at: times[0],
        blocked_until: times[max - 1] + limit.window,
    })
}

/// Whether the application's rule blocks `ip` now, and until when. The same
/// answer as the application's `check_rate_limit(ip, window, max)` (false ⇔
/// blocked).
pub fn check(
    conn: &mut DbConn,
    ip: Inet,
    limit: RateLimit,
    now: UtcDateTime,
) -> QueryResult<Option<BlockedIp>> {
    let times = failed_times(conn, ip, now - limit.window)?;
    Ok(blocked_from(ip, &times, limit))
}

/// Every IP the rule blocks now, most failures first. Uses the application's
/// partial index on `(ip_address, "timestamp") WHERE success = false`.
pub fn blocked_ips(
    conn: &mut DbConn,
    limit: RateLimit,
    now: UtcDateTime,
) -> QueryResult<Vec<BlockedIp>> {
    let since = now - limit.window;
    let candidates: Vec<(Inet, i64)> = with_conn!(conn, c => aa::table
        .filter(aa::success.eq(false))
        .filter(aa::timestamp.gt(since))
        .group_by(aa::ip_address)
        .select((aa::ip_address, diesel::dsl::count_star()))
        .having(diesel::dsl::count_star().ge(limit.max.max(1)))
        .load(c))?;
    let mut out = Vec::with_capacity(candidates.len());
    for (ip, _) in candidates {
        let times = failed_times(conn, ip, since)?;
        out.extend(blocked_from(ip, &times, limit));
    }
    out.sort_by(|a, b| {
        b.failed
            .cmp(&a.failed)
            .then(b.last_failed_at.cmp(&a.last_failed_at))
    });
    Ok(out)
}

/// Failed attempts of `ip` within the window, and whether they block it: the
/// count the application's `check_rate_limit` compares with `max`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RateStatus {
    pub ip_address: Inet,
    /// Failed attempts within the window.
    pub failed: i64,
    /// `Some` while the IP is blocked.
    pub blocked: Option<BlockedIp>,
}

/// [`check`], also telling how many failed attempts count when the IP is allowed.
pub fn status(
    conn: &mut DbConn,
    ip: Inet,
    limit: RateLimit,
    now: UtcDateTime,
) -> QueryResult<RateStatus> {
    let times = failed_times(conn, ip, now - limit.window)?;
    Ok(RateStatus {
        ip_address: ip,
        failed: times.len() as i64,
        blocked: blocked_from(ip, &times, limit),
    })
}

/// Where a page of [`list_page`] continues: strictly after this row. Rows with a
/// `"timestamp"` come first (newest first, ties by id descending), then the rows
/// without one (id descending).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    Timed(UtcDateTime, AttemptId),
    Untimed(AttemptId),
}

impl Cursor {
    pub fn of(a: &AuthAttempt) -> Cursor {
        match a.timestamp {
            Some(t) => Cursor::Timed(t, a.id),
            None => Cursor::Untimed(a.id),
        }
    }
}

/// Filters of [`list_page`] (all optional; combined with AND).
#[derive(Debug, Clone, Default)]
pub struct AttemptFilter {
    /// `Some(false)`: failed attempts only; `Some(true)`: successful ones only.
    pub success: Option<bool>,
    /// Exact email (the application stores it lower-cased; pass it lower-cased).
    pub email: Option<String>,
    /// An address, or a network: the attempts from addresses inside it.
    pub ip: Option<Inet>,
    pub user_id: Option<UserId>,
    pub attempt_type: Option<String>,
    /// `"timestamp" >= since`.
    pub since: Option<UtcDateTime>,
    /// `"timestamp" < until`.
    pub until: Option<UtcDateTime>,
}

/// SQL that tests whether `auth_attempts.ip_address` lies in a network (or is the
/// address): PostgreSQL's `<<=` (the b-tree indexes on ip_address serve it);
/// SQLite's `authctl_inet_within`, registered on every connection.
fn inet_within_sql(conn: &DbConn) -> (&'static str, &'static str) {
    match conn.backend() {
        crate::db::Backend::Postgres => ("auth_attempts.ip_address <<= ", ""),
        crate::db::Backend::Sqlite => ("authctl_inet_within(auth_attempts.ip_address, ", ")"),
    }
}

/// One page of attempts, newest first, continuing after `after`.
pub fn list_page(
    conn: &mut DbConn,
    filter: &AttemptFilter,
    after: Option<Cursor>,
    limit: i64,
) -> QueryResult<Vec<AuthAttempt>> {
    let limit = limit.max(0);
    let mut out = match after {
        Some(Cursor::Untimed(_)) => Vec::new(),
        _ => {
            let after = match after {
                Some(Cursor::Timed(t, id)) => Some((t, id)),
                _ => None,
            };
            page_query(conn, filter, after, limit)?
        }
    };
    // Rows without a time cannot match a time filter; they follow the timed ones.
    let remaining = limit - out.len() as i64;
    if remaining > 0 && filter.since.is_none() && filter.until.is_none() {
        let after = match after {
            Some(Cursor::Untimed(id)) => Some(id),
            _ => None,
        };
        out.extend(untimed_query(conn, filter, after, remaining)?);
    }
    Ok(out)
}

/// Expand `$body` with `$q` bound to a boxed `SELECT` of attempts with `$filter`
/// applied, and `$c` to the backend's connection.
macro_rules! filtered {
    ($conn:expr, $filter:expr, |$q:ident, $c:ident| $body:block) => {{
        let filter: &AttemptFilter = $filter;
        let (pre, post) = inet_within_sql($conn);
        with_conn!($conn, $c => {
            let mut $q = aa::table.select(AuthAttempt::as_select()).into_boxed();
            if let Some(success) = filter.success {
                $q = $q.filter(aa::success.eq(success));
            }
            if let Some(email) = &filter.email {
                $q = $q.filter(aa::email.eq(email.clone()));
            }
            if let Some(ip) = filter.ip {
                $q = $q.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(pre)
                        .bind::<crate::db::DbInet, _>(ip)
                        .sql(post),
                );
            }
            if let Some(user_id) = filter.user_id {
                $q = $q.filter(aa::user_id.eq(user_id));
            }
            if let Some(t) = &filter.attempt_type {
                $q = $q.filter(aa::attempt_type.eq(t.clone()));
            }
            if let Some(since) = filter.since {
                $q = $q.filter(aa::timestamp.ge(since));
            }
            if let Some(until) = filter.until {
                $q = $q.filter(aa::timestamp.lt(until));
            }
            $body
        })
    }};
}

fn page_query(
    conn: &mut DbConn,
    filter: &AttemptFilter,
    after: Option<(UtcDateTime, AttemptId)>,
    limit: i64,
) -> QueryResult<Vec<AuthAttempt>> {
    filtered!(conn, filter, |q, c| {
        q = q
            .filter(aa::timestamp.is_not_null())
            .order((aa::timestamp.desc(), aa::id.desc()))
            .limit(limit);
        if let Some((t, id)) = after {
            // `"timestamp" <= t` first, so the timestamp index bounds the scan.
            q = q
                .filter(aa::timestamp.le(t))
                .filter(aa::timestamp.lt(t).or(aa::id.lt(id)));
        }
        q.load(c)
    })
}

fn untimed_query(
    conn: &mut DbConn,
    filter: &AttemptFilter,
    after: Option<AttemptId>,
    limit: i64,
) -> QueryResult<Vec<AuthAttempt>> {
    filtered!(conn, filter, |q, c| {
        q = q
            .filter(aa::timestamp.is_null())
            .order(aa::id.desc())
            .limit(limit);
        if let Some(id) = after {
            q = q.filter(aa::id.lt(id));
        }
        q.load(c)
    })
}

/// The row `id` (the keyset position of `--after ID`).
pub fn find(conn: &mut DbConn, id: AttemptId) -> QueryResult<Option<AuthAttempt>> {
    with_conn!(conn, c => aa::table.find(id).select(AuthAttempt::as_select()).first(c).optional())
}

/// What `top` groups failed attempts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopBy {
    Ip,
    Email,
    User,
}

/// A group of failed attempts.
#[derive(Debug, Clone, PartialEq, Eq, QueryableByName)]
pub struct TopRow {
    /// The IP address, email or user id, as text.
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub key: String,
    /// The user's current email (`TopBy::User` only; `None` if the user is gone).
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub user_email: Option<String>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub failed: i64,
    /// Distinct emails (by IP) or distinct IPs (by email, by user).
    #[diesel(sql_type = diesel::sql_types::BigInt, column_name = n_distinct)]
    pub distinct: i64,
    #[diesel(sql_type = crate::db::UtcTimestamp)]
    pub first_seen: UtcDateTime,
    #[diesel(sql_type = crate::db::UtcTimestamp)]
    pub last_seen: UtcDateTime,
}

/// Failed attempts since `since` (`"timestamp" > since`) grouped by `by`, most
/// first (then most recent, then key). One aggregate over the failed attempts of
/// the time range: on PostgreSQL an index range scan (the partial index
/// `idx_auth_attempts_rate_limit` or `idx_auth_attempts_timestamp`), never the whole table
/// when the range is a small part of it.
pub fn top(
    conn: &mut DbConn,
    by: TopBy,
    since: UtcDateTime,
    limit: i64,
) -> QueryResult<Vec<TopRow>> {
    let sql = top_sql(by, conn.backend() == crate::db::Backend::Postgres);
    with_conn!(conn, c => diesel::sql_query(&sql)
        .bind::<crate::db::UtcTimestamp, _>(since)
        .bind::<diesel::sql_types::BigInt, _>(limit.max(0))
        .load(c))
}

/// The SQL [`top`] runs (parameters: the start of the range, the limit), for
/// `EXPLAIN` in tests and benchmarks.
pub fn top_sql(by: TopBy, pg: bool) -> String {
    let (key, distinct, not_null) = match (by, pg) {
        (TopBy::Ip, true) => ("abbrev(ip_address)", "count(DISTINCT email)", "true"),
        (TopBy::Ip, false) => ("ip_address", "count(DISTINCT email)", "1"),
        (TopBy::Email, true) => ("email", "count(DISTINCT ip_address)", "email IS NOT NULL"),
        (TopBy::Email, false) => ("email", "count(DISTINCT ip_address)", "email IS NOT NULL"),
        (TopBy::User, true) => (
            "user_id::text",
            "count(DISTINCT ip_address)",
            "user_id IS NOT NULL",
        ),
        (TopBy::User, false) => (
            "user_id",
            "count(DISTINCT ip_address)",
            "user_id IS NOT NULL",
        ),
    };
    let (group, email) = match (by, pg) {
        (TopBy::Ip, _) => ("ip_address", "NULL"),
        (TopBy::Email, _) => ("email", "NULL"),
        (TopBy::User, _) => (
            "user_id",
            "(SELECT u.email FROM users u WHERE u.id = g.user_id)",
        ),
    };
    let (success, p1, p2) = if pg {
        ("false", "$1", "$2")
    } else {
        ("0", "?", "?")
    };
    format!(
        "SELECT g.key, {email} AS user_email, g.failed, g.n_distinct, \
                g.first_seen, g.last_seen \
           FROM (SELECT {group}, {key} AS key, count(*) AS failed, {distinct} AS n_distinct, \
                        min(\"timestamp\") AS first_seen, max(\"timestamp\") AS last_seen \
                   FROM auth_attempts \
                  WHERE success = {success} AND \"timestamp\" > {p1} AND {not_null} \
                  GROUP BY {group}) g \
          ORDER BY g.failed DESC, g.last_seen DESC, g.key \
          LIMIT {p2}"
    )
}

/// Whose failed attempts `clear` deletes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClearTarget {
    /// The failed attempts from this address (those `check_rate_limit` counts).
    Ip(Inet),
    /// The failed attempts with this email (lower-cased, as the application stores it).
    Email(String),
}

/// Failed attempts of `target` with `"timestamp" > since`.
pub fn count_failed_of(
    conn: &mut DbConn,
    target: &ClearTarget,
    since: UtcDateTime,
) -> QueryResult<i64> {
    with_conn!(conn, c => {
        let mut q = aa::table
            .filter(aa::success.eq(false))
            .filter(aa::timestamp.gt(since))
            .into_boxed();
        q = match target {
            ClearTarget::Ip(ip) => q.filter(aa::ip_address.eq(*ip)),
            ClearTarget::Email(e) => q.filter(aa::email.eq(e.clone())),
        };
        q.count().get_result(c)
    })
}

/// Delete the failed attempts of `target` with `"timestamp" > since`; returns how
/// many went.
pub fn delete_failed_of(
    conn: &mut DbConn,
    target: &ClearTarget,
    since: UtcDateTime,
) -> QueryResult<usize> {
    let base = aa::table
        .filter(aa::success.eq(false))
        .filter(aa::timestamp.gt(since));
    with_conn!(conn, c => match target {
        ClearTarget::Ip(ip) => diesel::delete(base.filter(aa::ip_address.eq(*ip))).execute(c),
        ClearTarget::Email(e) => diesel::delete(base.filter(aa::email.eq(e.as_str()))).execute(c),
    })
}
