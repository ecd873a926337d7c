//! What `authctl attempts` does with the application's `auth_attempts`: list them
//! (through the pager), group the failures, answer the IP rate limit
//! (`check_rate_limit`) and, with `clear`, let a locked-out address (or an
//! account's email) back in — the delete in one transaction with its audit event.
//! Every time window counts on the database's clock.

use anyhow::Context as _;
use serde_json::json;

use crate::db::{AttemptId, DbConn, Inet, UtcDateTime};
use crate::error::Error;
use crate::ops::pager::{self, Paging};
use crate::ops::resolve_user;
use crate::parse::{UserRef, parse_since};
use crate::repo::audit_events::{AuditAction, NewAuditEvent};
use crate::repo::auth_attempts::{self, AttemptFilter, Cursor};

pub use crate::repo::auth_attempts::{
    AuthAttempt, BlockedIp, ClearTarget, DEFAULT_WINDOW_MINUTES, RateLimit, RateStatus, TopBy,
    TopRow, email_needle,
};

/// Shortest and longest rate-limit window authctl accepts.
pub const MIN_WINDOW_MINUTES: i64 = 1;
pub const MAX_WINDOW_MINUTES: i64 = 24 * 60;
/// Largest failed-attempt limit authctl accepts.
pub const MAX_ATTEMPTS_LIMIT: i64 = 1000;

/// Check a window and a limit: whole minutes from 1 minute to 1 day (the
/// application's function takes minutes), a limit from 1 to 1000. Bad values are
/// bad flag values: usage errors (exit 64).
pub fn rate_limit(window: Option<chrono::Duration>, max: Option<i64>) -> Result<RateLimit, Error> {
    let mut limit = RateLimit::default();
    if let Some(w) = window {
        if w.num_seconds() % 60 != 0 || w.subsec_nanos() != 0 {
            return Err(Error::usage(format!(
                "--window must be whole minutes (the application's window is in minutes), not {}s",
                w.num_seconds()
            )));
        }
        let m = w.num_minutes();
        if !(MIN_WINDOW_MINUTES..=MAX_WINDOW_MINUTES).contains(&m) {
            return Err(Error::usage(format!(
                "--window must be from 1m to 1d (1440 minutes), not {m} minutes"
            )));
        }
        limit.window = w;
    }
    if let Some(m) = max {
        if !(1..=MAX_ATTEMPTS_LIMIT).contains(&m) {
            return Err(Error::usage(format!(
                "--max must be from 1 to {MAX_ATTEMPTS_LIMIT}, not {m}"
            )));
        }
        limit.max = m;
    }
    Ok(limit)
}

/// [`rate_limit`] from the flags as typed (`--window 20m`, `--max 5`): the one
/// check `attempts blocked|check|clear` and `stats` share, with the same messages.
pub fn rate_limit_flags(window: Option<&str>, max: Option<i64>) -> Result<RateLimit, Error> {
    let window = window
        .map(|w| {
            crate::parse::parse_duration(w)
                .map_err(|e| Error::usage(format!("--window: {}", e.message)))
        })
        .transpose()?;
    rate_limit(window, max)
}

/// What `clear` did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Cleared {
    /// Failed attempts deleted.
    pub deleted: usize,
    pub ip_address: Option<String>,
    pub email: Option<String>,
    pub window_minutes: i64,
    /// The start of the window the deleted attempts were in (exclusive).
    pub since: UtcDateTime,
}

/// Delete the failed attempts of `target` within `window` before now (the
/// application's clock: PostgreSQL's `now()`, see [`crate::db::clock::now`]), and
/// record an `attempts.clear` event (count, address or email, window), in one
/// transaction.
pub fn clear(
    conn: &mut DbConn,
    target: &ClearTarget,
    window: chrono::Duration,
    actor: &str,
) -> anyhow::Result<Cleared> {
    conn.transaction(|conn| {
        let since = crate::db::clock::now(conn)? - window;
        let deleted = auth_attempts::delete_failed_of(conn, target, since)
            .context("failed to delete failed auth attempts")?;
        let (ip_address, email) = match target {
            ClearTarget::Ip(ip) => (Some(ip.to_string()), None),
            ClearTarget::Email(e) => (None, Some(e.clone())),
        };
        let cleared = Cleared {
            deleted,
            ip_address,
            email,
            window_minutes: window.num_minutes(),
            since,
        };
        // Clearing an email that is a user's account (in any letter case) records
        // the event on that user; one the address names ambiguously (two rows in
        // different cases) on none of them.
        let user = match target {
            ClearTarget::Email(e) => {
                let mut found = crate::repo::users::find_all_by_email(conn, e)?;
                if found.len() == 1 { found.pop() } else { None }
            }
            ClearTarget::Ip(_) => None,
        };
        NewAuditEvent {
            actor,
            action: AuditAction::AttemptsClear,
            user_id: user.as_ref().map(|u| u.id),
            user_email: user.as_ref().map(|u| u.email.as_str()),
            detail: Some(json!({
                "deleted": cleared.deleted,
                "ip_address": cleared.ip_address,
                "email": cleared.email,
                "window_minutes": cleared.window_minutes,
            })),
        }
        .append(conn)?;
        Ok(cleared)
    })
}

/// Rows per query when `list` streams every row (`--all`).
pub const STREAM_PAGE: i64 = 500;

/// What `attempts list` asks for (all optional; combined with AND).
#[derive(Debug, Clone, Default)]
pub struct ListQuery<'a> {
    /// `Some(false)`: failed attempts only; `Some(true)`: successful ones only.
    pub success: Option<bool>,
    /// This email in any case, already an [`email_needle`].
    pub email: Option<String>,
    /// An address, or a network.
    pub ip: Option<Inet>,
    pub user: Option<&'a UserRef>,
    pub attempt_type: Option<String>,
    /// `--since`/`--until` as typed: a time, or a duration before the database's now.
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
    /// Continue after this attempt (`--after ID`).
    pub after: Option<AttemptId>,
}

/// List attempts, newest first, through the [pager](pager::walk) (pages of
/// [`STREAM_PAGE`] with `paging.all`), handing each page to `each`. The times, the
/// user and the `--after` row are resolved first, in one read (a missing one is a
/// data error). Returns the id to continue after when more rows follow the page shown.
pub fn list(
    conn: &mut DbConn,
    query: &ListQuery<'_>,
    paging: Paging,
    each: impl FnMut(&[AuthAttempt]) -> anyhow::Result<()>,
) -> anyhow::Result<Option<AttemptId>> {
    let (since, until, user_id, after) = conn.read(|conn| -> anyhow::Result<_> {
        let now = crate::db::clock::now(conn)?;
        let since = query.since.map(|s| parse_since(s, now)).transpose()?;
        let until = query.until.map(|s| parse_since(s, now)).transpose()?;
        let user_id = match query.user {
            Some(user) => Some(resolve_user(conn, user)?.id),
            None => None,
        };
        let after = match query.after {
            Some(id) => Some(Cursor::of(
                &auth_attempts::find(conn, id)
                    .with_context(|| format!("failed to look up attempt {id}"))?
                    .ok_or_else(|| Error::data(format!("--after: no attempt with id {id}")))?,
            )),
            None => None,
        };
        Ok((since, until, user_id, after))
    })?;
    let filter = AttemptFilter {
        success: query.success,
        email: query.email.clone(),
        ip: query.ip,
        user_id,
        attempt_type: query.attempt_type.clone(),
        since,
        until,
    };
    let next = pager::walk(
        conn,
        paging,
        STREAM_PAGE,
        after,
        |c, after, limit| {
            auth_attempts::list_page(c, &filter, after.copied(), limit)
                .context("failed to list auth attempts")
        },
        Cursor::of,
        each,
    )?;
    Ok(next.map(|cursor| match cursor {
        Cursor::Timed(_, id) | Cursor::Untimed(id) => id,
    }))
}

/// The groups of `top`: at most `limit`, and whether more existed.
#[derive(Debug, Clone)]
pub struct Top {
    /// The start of the range, on the database's clock.
    pub since: UtcDateTime,
    pub rows: Vec<TopRow>,
    /// More groups than `limit` exist.
    pub cut: bool,
}

/// Failed attempts since `since` (a time, or a duration before the database's
/// now) grouped by `by`, largest first: at most `limit` groups.
pub fn top(conn: &mut DbConn, by: TopBy, since: &str, limit: i64) -> anyhow::Result<Top> {
    // One group more than shown tells whether the list was cut.
    let (since, mut rows) = conn.read(|conn| -> anyhow::Result<_> {
        let since = parse_since(since, crate::db::clock::now(conn)?)?;
        let rows = auth_attempts::top(conn, by, since, limit + 1)
            .context("failed to group failed auth attempts")?;
        Ok((since, rows))
    })?;
    let cut = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(Top { since, rows, cut })
}

/// Every IP `limit` blocks now, with the database's now.
pub fn blocked(
    conn: &mut DbConn,
    limit: RateLimit,
) -> anyhow::Result<(UtcDateTime, Vec<BlockedIp>)> {
    conn.read(|conn| {
        let now = crate::db::clock::now(conn)?;
        let ips =
            auth_attempts::blocked_ips(conn, limit, now).context("failed to list blocked IPs")?;
        Ok((now, ips))
    })
}

/// What the application's `check_rate_limit` answers for `ip` now under `limit`.
pub fn status(conn: &mut DbConn, ip: Inet, limit: RateLimit) -> anyhow::Result<RateStatus> {
    conn.read(|conn| {
        let now = crate::db::clock::now(conn)?;
        auth_attempts::status(conn, ip, limit, now)
            .with_context(|| format!("failed to check the rate limit of {ip}"))
    })
}

/// Failed attempts of `target` within `window` before now: what [`clear`] would
/// delete.
pub fn count_clearable(
    conn: &mut DbConn,
    target: &ClearTarget,
    window: chrono::Duration,
) -> anyhow::Result<i64> {
    conn.read(|conn| {
        let now = crate::db::clock::now(conn)?;
        auth_attempts::count_failed_of(conn, target, now - window)
            .context("failed to count failed auth attempts")
    })
}
