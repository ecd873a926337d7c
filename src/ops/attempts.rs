//! `authctl attempts clear`: let a locked-out address (or an account's email) back
//! in by deleting the failed attempts that count against it within the rate-limit
//! window — in one transaction with its `attempts.clear` audit event.

use serde_json::json;

use crate::db::{DbConn, UtcDateTime};
use crate::error::Error;
use crate::repo::audit_events::{AuditAction, NewAuditEvent};
use crate::repo::auth_attempts::{self, ClearTarget, RateLimit};

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
        let deleted = auth_attempts::delete_failed_of(conn, target, since)?;
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
        // Clearing an email that is a user's account records the event on that user.
        let user = match target {
            ClearTarget::Email(e) => crate::repo::users::find_by_email(conn, e)?,
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
