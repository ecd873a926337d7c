//! `auth_attempts`: every authentication attempt the application records, and the
//! application's IP rate limit over them (`check_rate_limit`: an IP is blocked while
//! it has at least `max` failed attempts within the last `window`).
//!
//! Rows with a NULL `"timestamp"` (the column is nullable, the application always
//! sets it) are outside every time window, as in the application's SQL.

use diesel::prelude::*;

use crate::db::{AttemptId, DbConn, Dialect, FoldOp, Inet, UserId, UtcDateTime, UtcTimestamp};
use crate::repo::CountRow;
use crate::schema::auth_attempts as aa;
use crate::schema::auth_attempts;
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

/// The failed-attempt predicate of the rule over the alias `t`: not successful,
/// `"timestamp"` after the window start (parameter 1). On PostgreSQL it is the
/// predicate of the partial index `idx_auth_attempts_rate_limit`.
fn failed_in_window(d: Dialect, t: &str) -> String {
    format!(
        "{t}.success = {} AND {t}.\"timestamp\" > {}",
        d.bool(false),
        d.param(1)
    )
}

/// The `max`-th newest failure of the group's address (parameter 2 = max): the
/// failure whose leaving the window lets the address in. One descent of
/// `idx_auth_attempts_rate_limit (ip_address, "timestamp" DESC) WHERE success =
/// false` per address.
fn nth_failure(d: Dialect, ip: &str) -> String {
    format!(
        "(SELECT n.\"timestamp\" FROM auth_attempts n \
           WHERE n.ip_address = {ip} AND {} \
           ORDER BY n.\"timestamp\" DESC LIMIT 1 OFFSET {} - 1)",
        failed_in_window(d, "n"),
        d.param(2)
    )
}

/// The SQL of [`blocked_ips`] (parameters: the window start, max): every address
/// with at least `max` failures in the window, with its count, first and last
/// failure and `max`-th newest failure — one statement, however many addresses.
pub fn blocked_sql(d: Dialect) -> String {
    format!(
        "SELECT g.ip_address, g.failed, g.first_failed_at, g.last_failed_at, {nth} AS nth_failed_at \
           FROM (SELECT a.ip_address, count(*) AS failed, min(a.\"timestamp\") AS first_failed_at, \
                        max(a.\"timestamp\") AS last_failed_at \
                   FROM auth_attempts a WHERE {w} \
                  GROUP BY a.ip_address HAVING count(*) >= {max}) g \
          ORDER BY g.failed DESC, g.last_failed_at DESC, g.ip_address",
        nth = nth_failure(d, "g.ip_address"),
        w = failed_in_window(d, "a"),
        max = d.param(2),
    )
}

/// The SQL of [`blocked_count`] (parameters: the window start, max).
pub fn blocked_count_sql(d: Dialect) -> String {
    format!(
        "SELECT count(*) AS n FROM (SELECT a.ip_address FROM auth_attempts a WHERE {} \
           GROUP BY a.ip_address HAVING count(*) >= {}) g",
        failed_in_window(d, "a"),
        d.param(2)
    )
}

/// The SQL of [`status`] (parameters: the window start, max, the address).
fn status_sql(d: Dialect) -> String {
    let ip = d.param(3);
    format!(
        "SELECT count(*) AS failed, min(a.\"timestamp\") AS first_failed_at, \
                max(a.\"timestamp\") AS last_failed_at, {nth} AS nth_failed_at \
           FROM auth_attempts a WHERE a.ip_address = {ip} AND {w}",
        nth = nth_failure(d, &ip),
        w = failed_in_window(d, "a"),
    )
}

/// A row of [`blocked_sql`].
#[derive(QueryableByName)]
struct BlockedRow {
    #[diesel(sql_type = crate::db::DbInet)]
    ip_address: Inet,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    failed: i64,
    #[diesel(sql_type = crate::db::UtcTimestamp)]
    first_failed_at: UtcDateTime,
    #[diesel(sql_type = crate::db::UtcTimestamp)]
    last_failed_at: UtcDateTime,
    #[diesel(sql_type = diesel::sql_types::Nullable<crate::db::UtcTimestamp>)]
    nth_failed_at: Option<UtcDateTime>,
}

/// A row of [`status_sql`].
#[derive(QueryableByName)]
struct StatusRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    failed: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<crate::db::UtcTimestamp>)]
    first_failed_at: Option<UtcDateTime>,
    #[diesel(sql_type = diesel::sql_types::Nullable<crate::db::UtcTimestamp>)]
    last_failed_at: Option<UtcDateTime>,
    #[diesel(sql_type = diesel::sql_types::Nullable<crate::db::UtcTimestamp>)]
    nth_failed_at: Option<UtcDateTime>,
}

/// Whether the application's rule blocks `ip` now, and until when. The same
/// answer as the application's `check_rate_limit(ip, window, max)` (false ⇔
/// blocked) when `now` is the server's [`clock`].
pub fn check(
    conn: &mut DbConn,
    ip: Inet,
    limit: RateLimit,
    now: UtcDateTime,
) -> QueryResult<Option<BlockedIp>> {
    Ok(status(conn, ip, limit, now)?.blocked)
}

/// Every IP the rule blocks at `now`, most failures first (then most recent
/// failure). One statement: an aggregate over the failures in the window, and per
/// blocked address one index descent to its `max`-th newest failure.
pub fn blocked_ips(
    conn: &mut DbConn,
    limit: RateLimit,
    now: UtcDateTime,
) -> QueryResult<Vec<BlockedIp>> {
    let sql = blocked_sql(conn.dialect());
    let max = limit.max.max(1);
    let rows: Vec<BlockedRow> = with_conn!(conn, c => diesel::sql_query(&sql)
        .bind::<crate::db::UtcTimestamp, _>(now - limit.window)
        .bind::<diesel::sql_types::BigInt, _>(max)
        .load(c))?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(BlockedIp {
                ip_address: r.ip_address,
                failed: r.failed,
                first_failed_at: r.first_failed_at,
                last_failed_at: r.last_failed_at,
                blocked_until: r.nth_failed_at? + limit.window,
            })
        })
        .collect())
}

/// How many IPs the rule blocks at `now` (what [`blocked_ips`] would list), in
/// one aggregate.
pub fn blocked_count(conn: &mut DbConn, limit: RateLimit, now: UtcDateTime) -> QueryResult<i64> {
    let sql = blocked_count_sql(conn.dialect());
    let row: CountRow = with_conn!(conn, c => diesel::sql_query(&sql)
        .bind::<crate::db::UtcTimestamp, _>(now - limit.window)
        .bind::<diesel::sql_types::BigInt, _>(limit.max.max(1))
        .get_result(c))?;
    Ok(row.n)
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
/// One statement, however many failures the address has.
pub fn status(
    conn: &mut DbConn,
    ip: Inet,
    limit: RateLimit,
    now: UtcDateTime,
) -> QueryResult<RateStatus> {
    let sql = status_sql(conn.dialect());
    let max = limit.max.max(1);
    let row: StatusRow = with_conn!(conn, c => diesel::sql_query(&sql)
        .bind::<crate::db::UtcTimestamp, _>(now - limit.window)
        .bind::<diesel::sql_types::BigInt, _>(max)
        .bind::<crate::db::DbInet, _>(ip)
        .get_result(c))?;
    let blocked = match (
        row.failed >= max,
        row.first_failed_at,
        row.last_failed_at,
        row.nth_failed_at,
    ) {
        (true, Some(first), Some(last), Some(nth)) => Some(BlockedIp {
            ip_address: ip,
            failed: row.failed,
            first_failed_at: first,
            last_failed_at: last,
            blocked_until: nth + limit.window,
        }),
        _ => None,
    };
    Ok(RateStatus {
        ip_address: ip,
        failed: row.failed,
        blocked,
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
    /// This email, ignoring case (the application stores it as typed): see
    /// [`email_is_sql`].
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

/// SQL that tests whether `auth_attempts.ip_address` lies in the bound network (or
/// is the bound address): see [`Dialect::inet_within`] (on PostgreSQL the b-tree
/// indexes on ip_address serve it).
fn inet_within_sql(conn: &DbConn) -> (String, &'static str) {
    conn.dialect().inet_within("auth_attempts.ip_address")
}

/// SQL that tests whether `auth_attempts.email` is the bound email,
/// ignoring case (the application records the email as typed: `Office@Example.com`):
/// see [`Dialect::fold_compare`].
///
/// No application index serves `lower(email)` (`idx_auth_attempts_email` is on
/// the column as stored), so the predicate is a filter over whatever else bounds
/// the scan: the time range or the rate-limit window (`clear`, `top`, `list
/// --since`), or the newest-first walk of `idx_auth_attempts_timestamp` that stops
/// after a page (`list`). An operator's own index on `lower(email)` is used when
/// present.
pub fn email_is_sql(conn: &DbConn) -> (String, &'static str) {
    conn.dialect()
        .fold_compare("auth_attempts.email", FoldOp::Equals)
}

/// An email as [`email_is_sql`] compares it: trimmed, case-folded.
pub fn email_needle(email: &str) -> String {
    crate::db::fold_case(email.trim())
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
        let (email_pre, email_post) = email_is_sql($conn);
        with_conn!($conn, $c => {
            let mut $q = aa::table.select(AuthAttempt::as_select()).into_boxed();
            if let Some(success) = filter.success {
                $q = $q.filter(aa::success.eq(success));
            }
            if let Some(email) = &filter.email {
                $q = $q.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(&email_pre)
                        .bind::<diesel::sql_types::Text, _>(email_needle(email))
                        .sql(email_post),
                );
            }
            if let Some(ip) = filter.ip {
                $q = $q.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>(&pre)
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
    let sql = top_sql(by, conn.dialect());
    with_conn!(conn, c => diesel::sql_query(&sql)
        .bind::<crate::db::UtcTimestamp, _>(since)
        .bind::<diesel::sql_types::BigInt, _>(limit.max(0))
        .load(c))
}

/// The SQL [`top`] runs (parameters: the start of the range, the limit), for
/// `EXPLAIN` in tests and benchmarks.
pub fn top_sql(by: TopBy, d: Dialect) -> String {
    // The group, the key shown for it, what is counted distinct, and which rows
    // have a key at all. Emails group whatever their case, shown lower-cased.
    let (group, key, distinct, has_key) = match by {
        TopBy::Ip => (
            "ip_address".to_owned(),
            d.inet_text("ip_address"),
            "count(DISTINCT email)",
            d.bool(true),
        ),
        TopBy::Email => (
            d.lower("email"),
            d.lower("email"),
            "count(DISTINCT ip_address)",
            "email IS NOT NULL",
        ),
        TopBy::User => (
            "user_id".to_owned(),
            d.uuid_text("user_id"),
            "count(DISTINCT ip_address)",
            "user_id IS NOT NULL",
        ),
    };
    let email = match by {
        TopBy::User => "(SELECT u.email FROM users u WHERE u.id = g.user_id)",
        TopBy::Ip | TopBy::Email => "NULL",
    };
    let (failed, p1, p2) = (d.bool(false), d.param(1), d.param(2));
    format!(
        "SELECT g.key, {email} AS user_email, g.failed, g.n_distinct, \
                g.first_seen, g.last_seen \
           FROM (SELECT {group}, {key} AS key, count(*) AS failed, {distinct} AS n_distinct, \
                        min(\"timestamp\") AS first_seen, max(\"timestamp\") AS last_seen \
                   FROM auth_attempts \
                  WHERE success = {failed} AND \"timestamp\" > {p1} AND {has_key} \
                  GROUP BY {group}) g \
          ORDER BY g.failed DESC, g.last_seen DESC, g.key \
          LIMIT {p2}"
    )
}

/// The SQL of [`window_counts`] (parameters: the starts of three windows, the
/// last the widest): failed and successful attempts in each, in one range scan of
/// the `"timestamp"` index over the widest window.
pub fn window_counts_sql(d: Dialect) -> String {
    let (p1, p2, p3) = (d.param(1), d.param(2), d.param(3));
    let (f, t) = (d.bool(false), d.bool(true));
    let sum = |result: &str, since: &str, alias: &str| {
        format!(
            "COALESCE(SUM(CASE WHEN success = {result} AND \"timestamp\" > {since} THEN 1 ELSE 0 END), 0) AS {alias}"
        )
    };
    format!(
        "SELECT {}, {}, {}, {}, {}, {} FROM auth_attempts WHERE \"timestamp\" > {p3}",
        sum(f, &p1, "failed_0"),
        sum(t, &p1, "ok_0"),
        sum(f, &p2, "failed_1"),
        sum(t, &p2, "ok_1"),
        sum(f, &p3, "failed_2"),
        sum(t, &p3, "ok_2"),
    )
}

#[derive(QueryableByName)]
struct WindowRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    failed_0: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    ok_0: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    failed_1: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    ok_1: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    failed_2: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    ok_2: i64,
}

/// `(failed, succeeded)` attempts with `"timestamp" > since[i]`, for three window
/// starts, the last the earliest (the widest window), in one statement.
pub fn window_counts(conn: &mut DbConn, since: [UtcDateTime; 3]) -> QueryResult<[(i64, i64); 3]> {
    let sql = window_counts_sql(conn.dialect());
    let r: WindowRow = with_conn!(conn, c => diesel::sql_query(&sql)
        .bind::<UtcTimestamp, _>(since[0])
        .bind::<UtcTimestamp, _>(since[1])
        .bind::<UtcTimestamp, _>(since[2])
        .get_result(c))?;
    Ok([
        (r.failed_0, r.ok_0),
        (r.failed_1, r.ok_1),
        (r.failed_2, r.ok_2),
    ])
}

/// Whose failed attempts `clear` deletes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClearTarget {
    /// The failed attempts from this address (those `check_rate_limit` counts).
    Ip(Inet),
    /// The failed attempts with this email, in any case (the application stores
    /// it as typed); held case-folded ([`email_needle`]).
    Email(String),
}

/// Failed attempts of `target` with `"timestamp" > since`.
pub fn count_failed_of(
    conn: &mut DbConn,
    target: &ClearTarget,
    since: UtcDateTime,
) -> QueryResult<i64> {
    let (pre, post) = email_is_sql(conn);
    with_conn!(conn, c => {
        let mut q = aa::table
            .filter(aa::success.eq(false))
            .filter(aa::timestamp.gt(since))
            .into_boxed();
        q = match target {
            ClearTarget::Ip(ip) => q.filter(aa::ip_address.eq(*ip)),
            ClearTarget::Email(e) => q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>(&pre)
                    .bind::<diesel::sql_types::Text, _>(email_needle(e))
                    .sql(post),
            ),
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
    let (pre, post) = email_is_sql(conn);
    let base = aa::table
        .filter(aa::success.eq(false))
        .filter(aa::timestamp.gt(since));
    with_conn!(conn, c => match target {
        ClearTarget::Ip(ip) => diesel::delete(base.filter(aa::ip_address.eq(*ip))).execute(c),
        ClearTarget::Email(e) => diesel::delete(base.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>(&pre)
                .bind::<diesel::sql_types::Text, _>(email_needle(e))
                .sql(post),
        ))
        .execute(c),
    })
}

/// `auth_attempts`, every column, as export and import carry it
/// ([`Records`](crate::repo::records::Records)).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Queryable,
    Selectable,
    Insertable,
    AsChangeset,
    serde::Serialize,
    serde::Deserialize,
)]
#[diesel(table_name = auth_attempts, treat_none_as_default_value = false, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct AttemptRecord {
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

crate::records!(
    Table,
    AttemptRecord,
    AttemptId,
    auth_attempts,
    id,
    None,
    |r| r.user_id
);
