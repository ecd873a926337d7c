//! Login sessions and refresh tokens, administered alike: list them with their
//! owner's email, and revoke them by id, by user, or every active one — each revoke
//! and its audit events in one transaction.
//!
//! The two tables share the columns that matter here (`id`, `user_id`,
//! `token_hash`, `expires_at`, `revoked_at`, `revoked_reason`), so every query is
//! written once and expanded for each table by `per_kind!` (and for each backend
//! by [`with_conn!`]). Only the mapping of a row to a [`Credential`] is per table.

use std::collections::{BTreeMap, HashSet};

use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;

use crate::db::{DbConn, UtcDateTime};
use crate::error::{Error, ExitCode};
use crate::repo::{CredentialState, LoginSession, NewAuditEvent, RefreshToken};
use crate::schema::users;
use crate::token::hash_prefix;
use crate::with_conn;

/// Rows locked and revoked per statement. Bulk revokes walk the table in keyset
/// batches of this size — still inside one transaction — so no statement exceeds
/// the backends' bind-parameter limits and no id list is built by one query.
const BATCH: usize = 1000;

/// A bulk audit event lists at most this many ids; its `count` is always exact.
pub const AUDIT_ID_CAP: usize = 100;

/// Which credential table a command works on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `login_sessions`
    Session,
    /// `refresh_tokens`
    Token,
}

impl Kind {
    /// The singular noun for messages ("session", "refresh token").
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Session => "session",
            Kind::Token => "refresh token",
        }
    }

    /// The plural noun for messages.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Session => "sessions",
            Kind::Token => "refresh tokens",
        }
    }

    /// `"1 session"`, `"3 refresh tokens"`.
    pub fn count(self, n: usize) -> String {
        format!("{n} {}", if n == 1 { self.noun() } else { self.plural() })
    }

    /// The audit action a revoke records.
    pub fn revoke_action(self) -> &'static str {
        match self {
            Kind::Session => "session.revoke",
            Kind::Token => "token.revoke",
        }
    }
}

/// Expand `$body` for the table of `$kind`: `$t` names its schema module and,
/// in the second form, `$row` its row type.
macro_rules! per_kind {
    ($kind:expr, $t:ident => $body:expr) => {
        match $kind {
            Kind::Session => {
                use crate::schema::login_sessions as $t;
                $body
            }
            Kind::Token => {
                use crate::schema::refresh_tokens as $t;
                $body
            }
        }
    };
    ($kind:expr, $t:ident, $row:ident => $body:expr) => {
        match $kind {
            Kind::Session => {
                use crate::schema::login_sessions as $t;
                type $row = LoginSession;
                $body
            }
            Kind::Token => {
                use crate::schema::refresh_tokens as $t;
                type $row = RefreshToken;
                $body
            }
        }
    };
}

/// Load `$query` (a plain `SELECT`), adding `FOR UPDATE` on PostgreSQL so that
/// concurrent revokes wait for each other and every id is reported exactly once.
/// SQLite needs no row locks: [`DbConn::transaction`] begins `IMMEDIATE`.
macro_rules! load_locked {
    ($conn:expr, $query:expr) => {
        match $conn {
            DbConn::Postgres(c) => $query.for_update().load(c),
            DbConn::Sqlite(c) => $query.load(c),
        }
    };
}

/// A session or refresh token as listed. Serializes with stable snake_case field
/// names and RFC 3339 UTC times; it never holds the stored hash, only its prefix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Credential {
    pub id: i64,
    pub user_id: i64,
    pub user_email: String,
    /// The first 12 hex digits of the stored SHA-256 ([`hash_prefix`]).
    pub hash_prefix: String,
    /// At the time the listing started.
    pub state: CredentialState,
    pub created_at: UtcDateTime,
    /// `last_activity_at` (sessions) or `last_used_at` and `replaced_by_id` (tokens).
    #[serde(flatten)]
    pub usage: Usage,
    pub expires_at: UtcDateTime,
    pub revoked_at: Option<UtcDateTime>,
    pub revoked_reason: Option<String>,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
}

/// The columns only one of the two tables has.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Usage {
    /// A login session's last request.
    Session { last_activity_at: UtcDateTime },
    /// A refresh token's last use and, once rotated, its successor.
    Token {
        last_used_at: Option<UtcDateTime>,
        replaced_by_id: Option<i64>,
    },
}

/// A row type of one of the credential tables.
trait CredentialRow {
    fn into_credential(self, user_email: String, now: UtcDateTime) -> Credential;
}

impl CredentialRow for LoginSession {
    fn into_credential(self, user_email: String, now: UtcDateTime) -> Credential {
        Credential {
            state: self.state(now),
            hash_prefix: hash_prefix(&self.token_hash).to_owned(),
            usage: Usage::Session {
                last_activity_at: self.last_activity_at,
            },
            id: self.id,
            user_id: self.user_id,
            user_email,
            created_at: self.created_at,
            expires_at: self.expires_at,
            revoked_at: self.revoked_at,
            revoked_reason: self.revoked_reason,
            ip_address: self.ip_address,
            user_agent: self.user_agent,
        }
    }
}

impl CredentialRow for RefreshToken {
    fn into_credential(self, user_email: String, now: UtcDateTime) -> Credential {
        Credential {
            state: self.state(now),
            hash_prefix: hash_prefix(&self.token_hash).to_owned(),
            usage: Usage::Token {
                last_used_at: self.last_used_at,
                replaced_by_id: self.replaced_by_id,
            },
            id: self.id,
            user_id: self.user_id,
            user_email,
            created_at: self.created_at,
            expires_at: self.expires_at,
            revoked_at: self.revoked_at,
            revoked_reason: self.revoked_reason,
            ip_address: self.ip_address,
            user_agent: self.user_agent,
        }
    }
}

/// Filters for [`list`]. Rows come in id order; page with `after_id`.
#[derive(Debug, Clone, Copy)]
pub struct ListFilter {
    pub user_id: Option<i64>,
    /// `None` lists every state.
    pub state: Option<CredentialState>,
    /// Keyset pagination: only rows with `id > after_id`.
    pub after_id: Option<i64>,
    pub limit: i64,
}

/// One page of sessions or tokens with their owners' emails. `now` decides which
/// are expired; pass the same value for every page of one listing.
pub fn list(
    conn: &mut DbConn,
    kind: Kind,
    filter: &ListFilter,
    now: UtcDateTime,
) -> QueryResult<Vec<Credential>> {
    per_kind!(kind, t, Row => {
        let rows: Vec<(Row, String)> = with_conn!(conn, c => {
            let mut q = t::table
                .inner_join(users::table)
                .select((Row::as_select(), users::email))
                .order(t::id.asc())
                .into_boxed();
            if let Some(user_id) = filter.user_id {
                q = q.filter(t::user_id.eq(user_id));
            }
            match filter.state {
                Some(CredentialState::Active) => {
                    q = q.filter(t::revoked_at.is_null()).filter(t::expires_at.gt(now))
                }
                Some(CredentialState::Expired) => {
                    q = q.filter(t::revoked_at.is_null()).filter(t::expires_at.le(now))
                }
                Some(CredentialState::Revoked) => q = q.filter(t::revoked_at.is_not_null()),
                None => {}
            }
            if let Some(after) = filter.after_id {
                q = q.filter(t::id.gt(after));
            }
            q.limit(filter.limit.max(0)).load(c)
        })?;
        Ok(rows
            .into_iter()
            .map(|(row, email)| row.into_credential(email, now))
            .collect())
    })
}

/// Active (unrevoked, unexpired) sessions or tokens of every user.
pub fn count_active(conn: &mut DbConn, kind: Kind, now: UtcDateTime) -> QueryResult<i64> {
    per_kind!(kind, t => with_conn!(conn, c => t::table
        .filter(t::revoked_at.is_null())
        .filter(t::expires_at.gt(now))
        .count()
        .get_result(c)))
}

/// What to revoke.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// These ids, whatever their state; an unknown id fails the whole revoke.
    Ids(&'a [i64]),
    /// Every active one of this user.
    User(i64),
    /// Every active one of every user.
    All,
}

impl Scope<'_> {
    /// The `scope` recorded in audit events.
    fn name(self) -> &'static str {
        match self {
            Scope::Ids(_) => "id",
            Scope::User(_) => "user",
            Scope::All => "all",
        }
    }
}

/// A revoke to perform; see [`Revocation::run`].
#[derive(Debug, Clone, Copy)]
pub struct Revocation<'a> {
    pub kind: Kind,
    pub scope: Scope<'a>,
    /// Stored in `revoked_reason` and in the audit events.
    pub reason: Option<&'a str>,
    /// Recorded as the audit events' actor.
    pub actor: &'a str,
}

/// The outcome of a revoke, ids in the order given (scope `Ids`) or ascending.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RevokeReport {
    /// Revoked by this call.
    pub revoked: Vec<i64>,
    /// Named by id but revoked before (left unchanged).
    pub already_revoked: Vec<i64>,
    /// How many users' credentials were revoked.
    #[serde(skip)]
    pub users: usize,
}

impl Revocation<'_> {
    /// Revoke, in one transaction with one audit event per revoked id (scope `Ids`)
    /// or per affected user (scopes `User` and `All`: `count` plus at most
    /// [`AUDIT_ID_CAP`] `ids`). An unknown id is a data error and nothing is revoked.
    ///
    /// A bulk revoke stays one transaction even for very many rows — a partial
    /// "log everyone out" would be worse than a long one — but works in batches of
    /// 1000 rows. The report lists every revoked id (8 bytes each).
    pub fn run(&self, conn: &mut DbConn) -> anyhow::Result<RevokeReport> {
        let now = UtcDateTime::now();
        conn.transaction(|conn| match self.scope {
            Scope::Ids(ids) => self.revoke_ids(conn, ids, now),
            Scope::User(user_id) => {
                // Like every user change: the user's row first, so this cannot
                // deadlock with `users disable` / `reset-password` of the same user.
                crate::repo::users::find_for_update(conn, user_id)?;
                self.revoke_active(conn, Some(user_id), now)
            }
            Scope::All => self.revoke_active(conn, None, now),
        })
    }

    fn revoke_ids(
        &self,
        conn: &mut DbConn,
        ids: &[i64],
        now: UtcDateTime,
    ) -> anyhow::Result<RevokeReport> {
        let mut seen = HashSet::new();
        let ids: Vec<i64> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
        let mut found: BTreeMap<i64, (i64, bool)> = BTreeMap::new();
        for chunk in ids.chunks(BATCH) {
            for (id, user_id, revoked_at) in lock_by_ids(conn, self.kind, chunk)? {
                found.insert(id, (user_id, revoked_at.is_some()));
            }
        }
        let unknown: Vec<String> = ids
            .iter()
            .filter(|id| !found.contains_key(id))
            .map(ToString::to_string)
            .collect();
        if !unknown.is_empty() {
            let what = if unknown.len() == 1 {
                format!("no {} with id", self.kind.noun())
            } else {
                format!("no {} with ids", self.kind.plural())
            };
            return Err(Error::data(format!(
                "{what} {} — nothing was revoked",
                unknown.join(", ")
            ))
            .into());
        }
        let (already_revoked, revoked): (Vec<i64>, Vec<i64>) =
            ids.iter().partition(|id| found[*id].1);
        for chunk in revoked.chunks(BATCH) {
            self.mark_revoked(conn, chunk, now)?;
        }
        for id in &revoked {
            let user_id = found[id].0;
            self.audit(
                conn,
                user_id,
                json!({ "id": id, "user_id": user_id, "reason": self.reason, "scope": "id" }),
            )?;
        }
        let users = revoked
            .iter()
            .map(|id| found[id].0)
            .collect::<HashSet<_>>()
            .len();
        Ok(RevokeReport {
            revoked,
            already_revoked,
            users,
        })
    }

    fn revoke_active(
        &self,
        conn: &mut DbConn,
        user_id: Option<i64>,
        now: UtcDateTime,
    ) -> anyhow::Result<RevokeReport> {
        let mut revoked = Vec::new();
        // Per user: how many were revoked and the first AUDIT_ID_CAP ids.
        let mut per_user: BTreeMap<i64, (usize, Vec<i64>)> = BTreeMap::new();
        let mut after = 0;
        loop {
            let batch = lock_active_batch(conn, self.kind, user_id, after, now)?;
            // On PostgreSQL a row revoked concurrently drops out of a locked batch,
            // so a short batch does not mean the end: stop at an empty one.
            let Some(&(last, _)) = batch.last() else {
                break;
            };
            after = last;
            let ids: Vec<i64> = batch.iter().map(|&(id, _)| id).collect();
            self.mark_revoked(conn, &ids, now)?;
            for (id, owner) in batch {
                let (count, listed) = per_user.entry(owner).or_default();
                *count += 1;
                if listed.len() < AUDIT_ID_CAP {
                    listed.push(id);
                }
            }
            revoked.extend(ids);
        }
        for (owner, (count, ids)) in &per_user {
            self.audit(
                conn,
                *owner,
                json!({
                    "user_id": owner,
                    "reason": self.reason,
                    "scope": self.scope.name(),
                    "count": count,
                    "ids": ids,
                }),
            )?;
        }
        Ok(RevokeReport {
            revoked,
            already_revoked: Vec::new(),
            users: per_user.len(),
        })
    }

    /// Set `revoked_at`/`revoked_reason` on `ids`, all of which this transaction
    /// has locked and seen unrevoked.
    fn mark_revoked(&self, conn: &mut DbConn, ids: &[i64], now: UtcDateTime) -> anyhow::Result<()> {
        let reason = self.reason;
        let changed = per_kind!(self.kind, t => with_conn!(&mut *conn, c => diesel::update(
                t::table.filter(t::id.eq_any(ids)).filter(t::revoked_at.is_null()),
            )
            .set((t::revoked_at.eq(now), t::revoked_reason.eq(reason)))
            .execute(c)))?;
        if changed != ids.len() {
            // Cannot happen while the rows are locked; refuse rather than misreport.
            return Err(Error::new(
                ExitCode::Busy,
                format!(
                    "{} changed concurrently while being revoked; nothing was revoked — retry",
                    self.kind.plural()
                ),
            )
            .into());
        }
        Ok(())
    }

    fn audit(
        &self,
        conn: &mut DbConn,
        user_id: i64,
        detail: serde_json::Value,
    ) -> anyhow::Result<()> {
        NewAuditEvent {
            actor: self.actor,
            action: self.kind.revoke_action(),
            user_id: Some(user_id),
            detail: Some(detail),
            ip_address: None,
        }
        .append(conn)?;
        Ok(())
    }
}

/// `(id, user_id, revoked_at)` of those of `ids` that exist, locked in id order (as
/// bulk revokes lock) so that concurrent revokes cannot deadlock.
fn lock_by_ids(
    conn: &mut DbConn,
    kind: Kind,
    ids: &[i64],
) -> QueryResult<Vec<(i64, i64, Option<UtcDateTime>)>> {
    per_kind!(kind, t => load_locked!(&mut *conn, t::table
        .filter(t::id.eq_any(ids))
        .select((t::id, t::user_id, t::revoked_at))
        .order(t::id.asc())))
}

/// The next batch of `(id, user_id)` of active rows after `after` (of one user or
/// all), locked.
fn lock_active_batch(
    conn: &mut DbConn,
    kind: Kind,
    user_id: Option<i64>,
    after: i64,
    now: UtcDateTime,
) -> QueryResult<Vec<(i64, i64)>> {
    per_kind!(kind, t => {
        let q = t::table
            .filter(t::revoked_at.is_null())
            .filter(t::expires_at.gt(now))
            .filter(t::id.gt(after))
            .select((t::id, t::user_id))
            .order(t::id.asc())
            .limit(BATCH as i64);
        match user_id {
            Some(user_id) => load_locked!(&mut *conn, q.filter(t::user_id.eq(user_id))),
            None => load_locked!(&mut *conn, q),
        }
    })
}
