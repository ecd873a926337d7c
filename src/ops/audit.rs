//! What `authctl audit list` does: find the events about a user (also a deleted
//! one, by the email its `user.delete` event recorded) and read the trail newest
//! first, through the pager.

use anyhow::Context as _;

use crate::db::{DbConn, UtcDateTime};
use crate::ops::pager::{self, Paging};
use crate::parse::UserRef;
use crate::repo::{self, AuditFilter};

pub use crate::repo::{AuditAction, AuditEvent};

/// What `audit list` asks for.
#[derive(Debug, Clone, Default)]
pub struct ListQuery<'a> {
    /// Only events about this user.
    pub user: Option<&'a UserRef>,
    pub action: Option<AuditAction>,
    pub since: Option<UtcDateTime>,
    /// Only events older than this id (`--before ID`).
    pub before: Option<i64>,
}

/// List audit events, newest first: one page of `limit` events, read in one
/// short read transaction with the user lookup, handed to `each` after it.
/// Returns the id to continue before when more events follow the page.
pub fn list(
    conn: &mut DbConn,
    query: &ListQuery<'_>,
    limit: i64,
    each: impl FnMut(&[AuditEvent]) -> anyhow::Result<()>,
) -> anyhow::Result<Option<i64>> {
    let mut filter: Option<AuditFilter> = None;
    pager::walk(
        conn,
        Paging::page(limit),
        limit,
        query.before,
        |c, before, limit| {
            let filter = match &mut filter {
                Some(f) => f,
                None => filter.insert(filter_of(c, query)?),
            };
            filter.before_id = before.copied();
            filter.limit = limit;
            repo::audit_events::list(c, filter).context("failed to list audit events")
        },
        |e| e.id,
        each,
    )
}

/// The filter for `query`. An id matches the events written with it; a deleted
/// user's events lost the id (`ON DELETE SET NULL`): its `user.delete` event names
/// the email it had, and the events recorded with that email and no user are its.
/// An email matches the events recorded with it — a deleted user's too — and every
/// event of the user who has it now (also from before an email change).
fn filter_of(conn: &mut DbConn, query: &ListQuery<'_>) -> anyhow::Result<AuditFilter> {
    let (user_id, user_email, email_of_deleted_only) = match query.user {
        Some(UserRef::Id(id)) => {
            let deleted = match repo::users::find(conn, *id)
                .with_context(|| format!("failed to look up user {id}"))?
            {
                Some(_) => None,
                None => repo::audit_events::email_of_deleted_user(conn, *id)
                    .with_context(|| format!("failed to look up the email of deleted user {id}"))?,
            };
            let only_deleted = deleted.is_some();
            (Some(*id), deleted, only_deleted)
        }
        Some(UserRef::Email(email)) => {
            let current = repo::users::find_by_email(conn, email).with_context(|| {
                format!(
                    "failed to look up user {}",
                    crate::email::terminal_safe(email)
                )
            })?;
            (current.map(|u| u.id), Some(email.clone()), false)
        }
        None => (None, None, false),
    };
    Ok(AuditFilter {
        user_id,
        user_email,
        action: query.action.map(|a| a.as_str().to_owned()),
        since: query.since,
        before_id: None,
        email_of_deleted_only,
        limit: 0,
    })
}
