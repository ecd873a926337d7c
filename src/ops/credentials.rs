//! Login sessions and refresh tokens, administered alike: list them with their
//! owner's email, and revoke them by id, by value (a leaked token piped in), by
//! user, or every active one — each revoke and its audit events in one transaction.
//!
//! The two tables differ (`refresh_tokens`: `id`, `is_revoked` + `revoked_at`;
//! `login_sessions`: `session_id`, `is_active`), so each is a [`Credentials`]
//! implementation — [`Tokens`], [`Sessions`] — that answers the flows' few
//! questions with its repository's queries. The list and revoke flows are written
//! once, generic over it, so both kinds lock and audit the same way.
//!
//! Validity is the application's rule: a token is active while `is_revoked = false
//! AND expires_at > now`, a session while `is_active = true AND expires_at > now`;
//! a NULL flag counts as revoked.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::hash::Hash;

use anyhow::Context as _;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::db::{DbConn, Inet, RefreshTokenId, SessionId, SessionToken, UserId, UtcDateTime};
use crate::error::{Error, ExitCode};
use crate::ops::pager::{self, Paging};
use crate::ops::resolve_user;
use crate::parse::{Reason, UserRef};
use crate::repo::{self, AuditAction, LoginSession, NewAuditEvent, RefreshToken};

pub use crate::repo::CredentialState;
use crate::secret::Secret;

/// Rows locked and revoked per statement. Bulk revokes walk the table in keyset
/// batches of this size — still inside one transaction — so no statement exceeds
/// the backends' bind-parameter limits and no id list is built by one query.
const BATCH: usize = 1000;

/// A bulk audit event lists at most this many ids; its `count` is always exact.
pub const AUDIT_ID_CAP: usize = 100;

/// An error about unknown ids names at most this many.
const UNKNOWN_ID_CAP: usize = 10;

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
    pub fn revoke_action(self) -> AuditAction {
        match self {
            Kind::Session => AuditAction::SessionRevoke,
            Kind::Token => AuditAction::TokenRevoke,
        }
    }
}

/// A session or refresh token as listed. Serializes with stable snake_case field
/// names and RFC 3339 UTC times; it never holds the bearer secret, only its
/// [`fingerprint`](crate::token::fingerprint).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Credential<I> {
    /// `refresh_tokens.id` or `login_sessions.session_id`.
    pub id: I,
    pub user_id: UserId,
    pub user_email: String,
    /// `sha256:` + 16 hex digits of the token (or session token).
    pub fingerprint: String,
    /// At the time the listing started.
    pub state: CredentialState,
    pub created_at: Option<UtcDateTime>,
    pub expires_at: UtcDateTime,
    /// `revoked_at` (tokens) or `last_activity_at` (sessions).
    #[serde(flatten)]
    pub usage: Usage,
    pub ip_address: Option<Inet>,
    pub user_agent: Option<String>,
}

/// The column only one of the two tables has.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Usage {
    /// When a refresh token was revoked.
    Token { revoked_at: Option<UtcDateTime> },
    /// A login session's last request.
    Session {
        last_activity_at: Option<UtcDateTime>,
    },
}

/// Filters for [`list`]: newest expiry first, paged on `(expires_at, id)`.
#[derive(Debug, Clone, Copy)]
pub struct ListFilter<I> {
    pub user_id: Option<UserId>,
    /// `None` lists every state.
    pub state: Option<CredentialState>,
    /// Keyset pagination: only rows after this `(expires_at, id)` (the last row shown).
    pub after: Option<(UtcDateTime, I)>,
    pub limit: i64,
}

/// One credential table: the queries the list and revoke flows need. All locks
/// are PostgreSQL `FOR UPDATE` in id order; SQLite needs none
/// ([`DbConn::transaction`] begins `IMMEDIATE`).
pub trait Credentials {
    /// The table's typed uuid id.
    type Id: Copy + Ord + Hash + fmt::Display + fmt::Debug + Serialize;
    const KIND: Kind;

    fn id(uuid: Uuid) -> Self::Id;

    /// One page with owners' emails; `state` is filtered in SQL.
    fn list_page(
        conn: &mut DbConn,
        filter: &ListFilter<Self::Id>,
        now: UtcDateTime,
    ) -> QueryResult<Vec<Credential<Self::Id>>>;

    fn expires_at_of(conn: &mut DbConn, id: Self::Id) -> QueryResult<Option<UtcDateTime>>;

    /// `(id, user_id)` of those of `ids` that exist, without locking.
    fn owners(conn: &mut DbConn, ids: &[Self::Id]) -> QueryResult<Vec<(Self::Id, UserId)>>;

    /// `(id, user_id, already revoked)` of those of `ids` that exist, locked.
    fn lock_by_ids(
        conn: &mut DbConn,
        ids: &[Self::Id],
    ) -> QueryResult<Vec<(Self::Id, UserId, bool)>>;

    /// Ids of the next unrevoked rows after `after` (of one user or all), unlocked;
    /// with `usable_at`, only those not expired then.
    fn unrevoked_ids_after(
        conn: &mut DbConn,
        user_id: Option<UserId>,
        after: Option<Self::Id>,
        usable_at: Option<UtcDateTime>,
    ) -> QueryResult<Vec<Self::Id>>;

    /// Lock those of `ids` still unrevoked (with `usable_at`: and not expired);
    /// `(id, user_id)`.
    fn lock_unrevoked(
        conn: &mut DbConn,
        ids: &[Self::Id],
        usable_at: Option<UtcDateTime>,
    ) -> QueryResult<Vec<(Self::Id, UserId)>>;

    /// Revoke those of `ids` not revoked yet; how many changed.
    fn mark_revoked(conn: &mut DbConn, ids: &[Self::Id], now: UtcDateTime) -> QueryResult<usize>;

    fn count_active(conn: &mut DbConn, now: UtcDateTime) -> QueryResult<i64>;

    /// The id of the row holding this bearer secret, found by value. An error never
    /// quotes the secret.
    fn find_by_secret(conn: &mut DbConn, secret: &str) -> anyhow::Result<Option<Self::Id>>;

    /// The secret as stored (a session token is a uuid, whatever spelling was piped
    /// in), so its fingerprint is the one `list` shows.
    fn canonical_secret(secret: &str) -> anyhow::Result<String> {
        Ok(secret.to_owned())
    }
}

/// `refresh_tokens`.
#[derive(Debug, Clone, Copy)]
pub struct Tokens;

/// `login_sessions`.
#[derive(Debug, Clone, Copy)]
pub struct Sessions;

impl Credentials for Tokens {
    type Id = RefreshTokenId;
    const KIND: Kind = Kind::Token;

    fn id(uuid: Uuid) -> RefreshTokenId {
        RefreshTokenId(uuid)
    }

    fn list_page(
        conn: &mut DbConn,
        f: &ListFilter<RefreshTokenId>,
        now: UtcDateTime,
    ) -> QueryResult<Vec<Credential<RefreshTokenId>>> {
        let rows =
            repo::refresh_tokens::list_page(conn, f.user_id, f.state, f.after, f.limit, now)?;
        Ok(rows
            .into_iter()
            .map(|(t, user_email): (RefreshToken, String)| Credential {
                state: t.state(now),
                fingerprint: t.fingerprint(),
                usage: Usage::Token {
                    revoked_at: t.revoked_at,
                },
                id: t.id,
                user_id: t.user_id,
                user_email,
                created_at: t.created_at,
                expires_at: t.expires_at,
                ip_address: t.ip_address,
                user_agent: t.user_agent,
            })
            .collect())
    }

    fn expires_at_of(conn: &mut DbConn, id: RefreshTokenId) -> QueryResult<Option<UtcDateTime>> {
        repo::refresh_tokens::expires_at_of(conn, id)
    }

    fn owners(
        conn: &mut DbConn,
        ids: &[RefreshTokenId],
    ) -> QueryResult<Vec<(RefreshTokenId, UserId)>> {
        repo::refresh_tokens::owners(conn, ids)
    }

    fn lock_by_ids(
        conn: &mut DbConn,
        ids: &[RefreshTokenId],
    ) -> QueryResult<Vec<(RefreshTokenId, UserId, bool)>> {
        repo::refresh_tokens::lock_by_ids(conn, ids)
    }

    fn unrevoked_ids_after(
        conn: &mut DbConn,
        user_id: Option<UserId>,
        after: Option<RefreshTokenId>,
        usable_at: Option<UtcDateTime>,
    ) -> QueryResult<Vec<RefreshTokenId>> {
        repo::refresh_tokens::unrevoked_ids_after(conn, user_id, after, BATCH as i64, usable_at)
    }

    fn lock_unrevoked(
        conn: &mut DbConn,
        ids: &[RefreshTokenId],
        usable_at: Option<UtcDateTime>,
    ) -> QueryResult<Vec<(RefreshTokenId, UserId)>> {
        repo::refresh_tokens::lock_unrevoked(conn, ids, usable_at)
    }

    fn mark_revoked(
        conn: &mut DbConn,
        ids: &[RefreshTokenId],
        now: UtcDateTime,
    ) -> QueryResult<usize> {
        repo::refresh_tokens::revoke_ids(conn, ids, now)
    }

    fn count_active(conn: &mut DbConn, now: UtcDateTime) -> QueryResult<i64> {
        repo::refresh_tokens::count_active(conn, now)
    }

    fn find_by_secret(conn: &mut DbConn, secret: &str) -> anyhow::Result<Option<RefreshTokenId>> {
        Ok(repo::refresh_tokens::find_by_token(conn, secret)?.map(|t| t.id))
    }
}

impl Credentials for Sessions {
    type Id = SessionId;
    const KIND: Kind = Kind::Session;

    fn id(uuid: Uuid) -> SessionId {
        SessionId(uuid)
    }

    fn list_page(
        conn: &mut DbConn,
        f: &ListFilter<SessionId>,
        now: UtcDateTime,
    ) -> QueryResult<Vec<Credential<SessionId>>> {
        let rows =
            repo::login_sessions::list_page(conn, f.user_id, f.state, f.after, f.limit, now)?;
        Ok(rows
            .into_iter()
            .map(|(s, user_email): (LoginSession, String)| Credential {
                state: s.state(now),
                fingerprint: s.fingerprint(),
                usage: Usage::Session {
                    last_activity_at: s.last_activity_at,
                },
                id: s.session_id,
                user_id: s.user_id,
                user_email,
                created_at: s.created_at,
                expires_at: s.expires_at,
                ip_address: s.ip_address,
                user_agent: s.user_agent,
            })
            .collect())
    }

    fn expires_at_of(conn: &mut DbConn, id: SessionId) -> QueryResult<Option<UtcDateTime>> {
        repo::login_sessions::expires_at_of(conn, id)
    }

    fn owners(conn: &mut DbConn, ids: &[SessionId]) -> QueryResult<Vec<(SessionId, UserId)>> {
        repo::login_sessions::owners(conn, ids)
    }

    fn lock_by_ids(
        conn: &mut DbConn,
        ids: &[SessionId],
    ) -> QueryResult<Vec<(SessionId, UserId, bool)>> {
        repo::login_sessions::lock_by_ids(conn, ids)
    }

    fn unrevoked_ids_after(
        conn: &mut DbConn,
        user_id: Option<UserId>,
        after: Option<SessionId>,
        usable_at: Option<UtcDateTime>,
    ) -> QueryResult<Vec<SessionId>> {
        repo::login_sessions::unrevoked_ids_after(conn, user_id, after, BATCH as i64, usable_at)
    }

    fn lock_unrevoked(
        conn: &mut DbConn,
        ids: &[SessionId],
        usable_at: Option<UtcDateTime>,
    ) -> QueryResult<Vec<(SessionId, UserId)>> {
        repo::login_sessions::lock_unrevoked(conn, ids, usable_at)
    }

    fn mark_revoked(conn: &mut DbConn, ids: &[SessionId], _now: UtcDateTime) -> QueryResult<usize> {
        // The application's invalidate: `is_active = false` (no timestamp column).
        repo::login_sessions::invalidate_ids(conn, ids)
    }

    fn count_active(conn: &mut DbConn, now: UtcDateTime) -> QueryResult<i64> {
        repo::login_sessions::count_active(conn, now)
    }

    fn canonical_secret(secret: &str) -> anyhow::Result<String> {
        let token: SessionToken = secret
            .parse()
            .map_err(|_| Error::data("the session token on stdin is not a uuid"))?;
        Ok(token.to_string())
    }

    fn find_by_secret(conn: &mut DbConn, secret: &str) -> anyhow::Result<Option<SessionId>> {
        let token: SessionToken = secret
            .parse()
            .map_err(|_| Error::data("the session token on stdin is not a uuid"))?;
        Ok(repo::login_sessions::find_by_token(conn, token)?.map(|s| s.session_id))
    }
}

/// Rows per query when a listing streams every row (`list --all`).
pub const STREAM_PAGE: i64 = 500;

/// What `sessions list` and `tokens list` ask for.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListQuery<'a> {
    /// Only those of this user.
    pub user: Option<&'a UserRef>,
    /// `None` lists every state.
    pub state: Option<CredentialState>,
    /// Continue after this row (`--after ID`).
    pub after: Option<Uuid>,
}

/// List sessions or tokens with their owners' emails, newest expiry first, through
/// the [pager](pager::walk) (pages of [`STREAM_PAGE`] with `paging.all`), handing
/// each page to `each`. The user and the `--after` row are looked up first (a data
/// error when missing); states are judged by the database's clock, once for the
/// whole listing. Returns the id to continue after when more rows follow the page shown.
pub fn list<K: Credentials>(
    conn: &mut DbConn,
    query: &ListQuery<'_>,
    paging: Paging,
    each: impl FnMut(&[Credential<K::Id>]) -> anyhow::Result<()>,
) -> anyhow::Result<Option<K::Id>> {
    let (user_id, after) = conn.read(|conn| -> anyhow::Result<_> {
        let user_id = match query.user {
            Some(user) => Some(resolve_user(conn, user)?.id),
            None => None,
        };
        let after = match query.after {
            Some(id) => Some(keyset_of::<K>(conn, K::id(id))?),
            None => None,
        };
        Ok((user_id, after))
    })?;
    // State (active, expired) by the database's clock, as the application judges it.
    let now = crate::db::clock::now(conn)?;
    let mut filter = ListFilter {
        user_id,
        state: query.state,
        after: None,
        limit: 0,
    };
    let next = pager::walk(
        conn,
        paging,
        STREAM_PAGE,
        after,
        |c, after, limit| {
            filter.after = after.copied();
            filter.limit = limit;
            K::list_page(c, &filter, now)
                .with_context(|| format!("failed to list {}", K::KIND.plural()))
        },
        |row| (row.expires_at, row.id),
        each,
    )?;
    Ok(next.map(|(_, id)| id))
}

/// The keyset position of `--after ID`: that row's `(expires_at, id)`, or a data
/// error when there is no such row.
fn keyset_of<K: Credentials>(conn: &mut DbConn, id: K::Id) -> anyhow::Result<(UtcDateTime, K::Id)> {
    match K::expires_at_of(conn, id)? {
        Some(expires_at) => Ok((expires_at, id)),
        None => {
            Err(Error::data(format!("--after {id}: no {} with that id", K::KIND.noun())).into())
        }
    }
}

/// Active sessions or tokens of every user, now by the database's clock (in a
/// read transaction of its own).
pub fn count_active<K: Credentials>(conn: &mut DbConn) -> anyhow::Result<i64> {
    conn.read(|conn| {
        let now = crate::db::clock::now(conn)?;
        K::count_active(conn, now)
            .with_context(|| format!("failed to count active {}", K::KIND.plural()))
    })
}

/// What to revoke.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a, I> {
    /// These ids, whatever their state; an unknown id fails the whole revoke.
    Ids(&'a [I]),
    /// The row of this kind holding this bearer secret, found by value; no match
    /// is a data error. (`--token-stdin` uses [`revoke_secret`], which looks in
    /// both tables.)
    Secret(&'a Secret),
    /// Every active one of this user (whose row is locked first).
    User(&'a UserRef),
    /// Every active one of every user.
    AllActive,
}

impl<I> Scope<'_, I> {
    /// The `scope` recorded in audit events.
    fn name(&self) -> &'static str {
        match self {
            Scope::Ids(_) => "id",
            Scope::Secret(_) => "token",
            Scope::User(_) => "user",
            Scope::AllActive => "all",
        }
    }
}

/// A revoke to perform; see [`Revocation::run`].
#[derive(Debug, Clone, Copy)]
pub struct Revocation<'a, I> {
    pub scope: Scope<'a, I>,
    /// Recorded in the audit events.
    pub reason: Option<&'a Reason>,
    /// Recorded as the audit events' actor.
    pub actor: &'a str,
}

/// The outcome of a revoke, ids in the order given (scope `Ids`) or ascending.
/// Serializes as `{"revoked": [ids], "already_revoked": [ids]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevokeReport<I> {
    /// Revoked by this call.
    pub revoked: Vec<I>,
    /// Named (by id or value) but revoked before: left unchanged.
    pub already_revoked: Vec<I>,
    /// How many users' credentials were revoked.
    #[serde(skip)]
    pub users: usize,
    /// The owner's email, when the revoke concerned one user (scopes `User`, `Secret`).
    #[serde(skip)]
    pub owner: Option<String>,
}

impl<I> Default for RevokeReport<I> {
    fn default() -> Self {
        RevokeReport {
            revoked: Vec::new(),
            already_revoked: Vec::new(),
            users: 0,
            owner: None,
        }
    }
}

impl<I: Copy + Ord + Hash + fmt::Display + fmt::Debug + Serialize> Revocation<'_, I> {
    /// Revoke, in one transaction with the audit events: one per revoked row (scopes
    /// `Ids`, `Secret`) or one per affected user (scopes `User` and `AllActive`:
    /// `count` plus at most [`AUDIT_ID_CAP`] `ids`). Every event carries the user's
    /// id and email. An unknown id is a data error and nothing is revoked.
    ///
    /// Locks are taken users first, then credential rows in id order — like every
    /// user change — so a revoke cannot deadlock with `users` commands (`AllActive`
    /// locks each batch's owners first too). A bulk revoke stays one transaction
    /// even for very many rows — a partial "log everyone out" would be worse than a
    /// long one — but works in batches of 1000 rows.
    pub fn run<K: Credentials<Id = I>>(
        &self,
        conn: &mut DbConn,
    ) -> anyhow::Result<RevokeReport<I>> {
        conn.transaction(|conn| {
            let now = crate::db::clock::now(conn)?;
            self.revoke_scope::<K>(conn, now)
        })
    }

    fn revoke_scope<K: Credentials<Id = I>>(
        &self,
        conn: &mut DbConn,
        now: UtcDateTime,
    ) -> anyhow::Result<RevokeReport<I>> {
        match self.scope {
            Scope::Ids(ids) => self.revoke_ids::<K>(conn, ids, None, now),
            Scope::Secret(secret) => {
                let canonical = zeroize::Zeroizing::new(K::canonical_secret(secret.expose())?);
                let fingerprint = crate::token::fingerprint(&canonical);
                let Some(id) = K::find_by_secret(conn, &canonical)? else {
                    return Err(Error::data(format!(
                        "no {} matches the token on stdin (fingerprint {fingerprint}) — nothing was revoked",
                        K::KIND.noun()
                    ))
                    .into());
                };
                self.revoke_ids::<K>(conn, &[id], Some(&fingerprint), now)
            }
            Scope::User(user) => {
                let user = crate::ops::resolve_user_for_update(conn, user)?;
                let mut report =
                    self.revoke_active::<K>(conn, Some((user.id, &user.email)), now)?;
                report.owner = Some(user.email);
                Ok(report)
            }
            Scope::AllActive => self.revoke_active::<K>(conn, None, now),
        }
    }

    /// Revoke `ids` (deduplicated, in the order given). `fingerprint` is recorded
    /// when the id was found by value.
    fn revoke_ids<K: Credentials<Id = I>>(
        &self,
        conn: &mut DbConn,
        ids: &[I],
        fingerprint: Option<&str>,
        now: UtcDateTime,
    ) -> anyhow::Result<RevokeReport<I>> {
        let mut seen = HashSet::new();
        let ids: Vec<I> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();

        // Lock the owners first (in id order), then the rows: the order every user
        // change takes, so this cannot deadlock with `users disable` and the like.
        let mut owners: BTreeSet<UserId> = BTreeSet::new();
        for chunk in ids.chunks(BATCH) {
            owners.extend(
                K::owners(conn, chunk)?
                    .into_iter()
                    .map(|(_, user_id)| user_id),
            );
        }
        let mut emails: HashMap<UserId, String> = HashMap::new();
        for &user_id in &owners {
            // A user deleted meanwhile took its rows along: reported as unknown below.
            if let Some(user) = repo::users::find_for_update(conn, user_id)? {
                emails.insert(user_id, user.email);
            }
        }
        let mut found: HashMap<I, (UserId, bool)> = HashMap::new();
        for chunk in ids.chunks(BATCH) {
            let locked = K::lock_by_ids(conn, chunk)
                .with_context(|| format!("failed to lock the {} to revoke", K::KIND.plural()))?;
            for (id, user_id, revoked) in locked {
                found.insert(id, (user_id, revoked));
            }
        }
        let unknown: Vec<I> = ids
            .iter()
            .copied()
            .filter(|id| !found.contains_key(id))
            .collect();
        if !unknown.is_empty() {
            return Err(unknown_ids(K::KIND, &unknown).into());
        }

        let (already_revoked, revoked): (Vec<I>, Vec<I>) = ids.iter().partition(|id| found[*id].1);
        for chunk in revoked.chunks(BATCH) {
            mark_revoked::<K>(conn, chunk, now)?;
        }
        for id in &revoked {
            let user_id = found[id].0;
            let mut detail = json!({ "id": id, "scope": self.scope.name(), "reason": self.reason });
            if let Some(fp) = fingerprint {
                detail["fingerprint"] = json!(fp);
            }
            self.audit(
                K::KIND,
                conn,
                user_id,
                emails.get(&user_id).map(String::as_str),
                detail,
            )?;
        }
        let users: HashSet<UserId> = ids.iter().map(|id| found[id].0).collect();
        let owner = match users.iter().next() {
            Some(user_id) if users.len() == 1 => emails.get(user_id).cloned(),
            _ => None,
        };
        Ok(RevokeReport {
            users: revoked
                .iter()
                .map(|id| found[id].0)
                .collect::<HashSet<_>>()
                .len(),
            revoked,
            already_revoked,
            owner,
        })
    }

    /// Revoke every active row of `user` (whose row the caller locked) or of every
    /// user.
    fn revoke_active<K: Credentials<Id = I>>(
        &self,
        conn: &mut DbConn,
        user: Option<(UserId, &str)>,
        now: UtcDateTime,
    ) -> anyhow::Result<RevokeReport<I>> {
        // Per user: how many were revoked and the first AUDIT_ID_CAP ids.
        let mut per_user: BTreeMap<UserId, (usize, Vec<I>)> = BTreeMap::new();
        let user_id = user.map(|(id, _)| id);
        let revoked = revoke_all::<K>(conn, user_id, Unrevoked::Active, now, |batch| {
            for &(id, owner) in batch {
                let (count, listed) = per_user.entry(owner).or_default();
                *count += 1;
                if listed.len() < AUDIT_ID_CAP {
                    listed.push(id);
                }
            }
        })?;
        let emails = match user {
            Some((id, email)) => HashMap::from([(id, email.to_owned())]),
            None => repo::users::emails_of(conn, &per_user.keys().copied().collect::<Vec<_>>())?,
        };
        for (owner, (count, ids)) in &per_user {
            self.audit(
                K::KIND,
                conn,
                *owner,
                emails.get(owner).map(String::as_str),
                json!({
                    "scope": self.scope.name(),
                    "reason": self.reason,
                    "count": count,
                    "ids": ids,
                }),
            )?;
        }
        Ok(RevokeReport {
            revoked,
            already_revoked: Vec::new(),
            users: per_user.len(),
            owner: None,
        })
    }

    fn audit(
        &self,
        kind: Kind,
        conn: &mut DbConn,
        user_id: UserId,
        user_email: Option<&str>,
        detail: serde_json::Value,
    ) -> anyhow::Result<()> {
        NewAuditEvent {
            actor: self.actor,
            action: kind.revoke_action(),
            user_id: Some(user_id),
            user_email,
            detail: Some(detail),
        }
        .append(conn)
        .with_context(|| format!("failed to record the {} audit event", kind.revoke_action()))?;
        Ok(())
    }
}

/// What [`revoke_secret`] revoked: the refresh token or the login session whose
/// bearer secret was given — or both, for a value that is the secret of one of
/// each (the application never makes such a pair: a refresh token is a JWT, a
/// session token a uuid).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SecretRevocation {
    pub tokens: RevokeReport<RefreshTokenId>,
    pub sessions: RevokeReport<SessionId>,
}

/// Revoke the credential a leaked bearer secret belongs to, whichever kind it is —
/// the one way to revoke a leaked token (`tokens revoke --token-stdin` and
/// `sessions revoke --token-stdin` alike). The application stores both raw:
/// `refresh_tokens.token` is looked up by the exact value, `login_sessions.
/// session_token` by the value read as a uuid (any spelling). A matching refresh
/// token is revoked (`is_revoked`, `revoked_at`), a matching session deactivated
/// (`is_active = false`), each with its audit event (`token.revoke` /
/// `session.revoke`, scope `token`, the fingerprint, never the value), in one
/// transaction. No match in either table is a data error naming the fingerprint
/// only; nothing is revoked.
pub fn revoke_secret(
    conn: &mut DbConn,
    secret: &Secret,
    reason: Option<&Reason>,
    actor: &str,
) -> anyhow::Result<SecretRevocation> {
    conn.transaction(|conn| {
        let now = crate::db::clock::now(conn)?;
        let raw = secret.expose();
        let token = Tokens::find_by_secret(conn, raw)?;
        // Not a uuid: it cannot be a session token.
        let session_token = Sessions::canonical_secret(raw).ok().map(zeroize::Zeroizing::new);
        let session = match &session_token {
            Some(canonical) => Sessions::find_by_secret(conn, canonical)?,
            None => None,
        };
        if token.is_none() && session.is_none() {
            let shown = crate::token::fingerprint(session_token.as_deref().map_or(raw, |s| s));
            return Err(Error::data(format!(
                "no refresh token or session matches the token on stdin (fingerprint {shown}) — nothing was revoked"
            ))
            .into());
        }
        let mut done = SecretRevocation::default();
        if let Some(id) = token {
            let fingerprint = crate::token::fingerprint(raw);
            done.tokens = Revocation::<RefreshTokenId> {
                scope: Scope::Secret(secret),
                reason,
                actor,
            }
            .revoke_ids::<Tokens>(conn, &[id], Some(&fingerprint), now)?;
        }
        if let (Some(id), Some(canonical)) = (session, &session_token) {
            let fingerprint = crate::token::fingerprint(canonical);
            done.sessions = Revocation::<SessionId> {
                scope: Scope::Secret(secret),
                reason,
                actor,
            }
            .revoke_ids::<Sessions>(conn, &[id], Some(&fingerprint), now)?;
        }
        Ok(done)
    })
}

/// Which rows [`revoke_all`] revokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unrevoked {
    /// The active ones: unrevoked and not expired (`tokens/sessions revoke --user`,
    /// `--all-active`).
    Active,
    /// Every unrevoked one, expired ones included: what the application's own
    /// revoke-all of a user does (`users disable`, `reset-password`).
    All,
}

/// Revoke the unrevoked rows (`which`) of `user` (whose row the caller has locked)
/// or, with `None`, of every user: the one revoke-everything implementation, behind
/// `tokens/sessions revoke --user/--all-active` and the revocations of `users
/// disable` and `reset-password`. Walks the rows in id order in batches of
/// [`BATCH`]; per batch it locks the owners (every user change locks its user row
/// before its credentials, so this cannot deadlock with one), then the rows, and
/// revokes those still unrevoked. `each` sees every revoked batch with the rows'
/// owners. Returns the revoked ids in ascending order.
pub fn revoke_all<K: Credentials>(
    conn: &mut DbConn,
    user: Option<UserId>,
    which: Unrevoked,
    now: UtcDateTime,
    mut each: impl FnMut(&[(K::Id, UserId)]),
) -> anyhow::Result<Vec<K::Id>> {
    let usable_at = match which {
        Unrevoked::Active => Some(now),
        Unrevoked::All => None,
    };
    let mut revoked = Vec::new();
    let mut after = None;
    loop {
        let candidates = K::unrevoked_ids_after(conn, user, after, usable_at)
            .with_context(|| format!("failed to find the {} to revoke", K::KIND.plural()))?;
        let Some(&last) = candidates.last() else {
            break;
        };
        after = Some(last);
        if user.is_none() {
            let owners: BTreeSet<UserId> = K::owners(conn, &candidates)?
                .into_iter()
                .map(|(_, owner)| owner)
                .collect();
            for owner in owners {
                repo::users::find_for_update(conn, owner)?;
            }
        }
        // A row revoked meanwhile drops out here.
        let batch = K::lock_unrevoked(conn, &candidates, usable_at)
            .with_context(|| format!("failed to lock the {} to revoke", K::KIND.plural()))?;
        let ids: Vec<K::Id> = batch.iter().map(|&(id, _)| id).collect();
        mark_revoked::<K>(conn, &ids, now)?;
        each(&batch);
        revoked.extend(ids);
    }
    Ok(revoked)
}

/// Revoke `ids`, all of which this transaction has locked and seen unrevoked.
fn mark_revoked<K: Credentials>(
    conn: &mut DbConn,
    ids: &[K::Id],
    now: UtcDateTime,
) -> anyhow::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let changed = K::mark_revoked(conn, ids, now)
        .with_context(|| format!("failed to revoke {}", K::KIND.plural()))?;
    if changed != ids.len() {
        // Cannot happen while the rows are locked; refuse rather than misreport.
        return Err(Error::new(
            ExitCode::Busy,
            format!(
                "{} changed concurrently while being revoked; nothing was revoked — retry",
                K::KIND.plural()
            ),
        )
        .into());
    }
    Ok(())
}

/// The data error for ids that do not exist, naming at most [`UNKNOWN_ID_CAP`].
fn unknown_ids<I: fmt::Display>(kind: Kind, unknown: &[I]) -> Error {
    let what = if unknown.len() == 1 {
        format!("no {} with id", kind.noun())
    } else {
        format!("no {} with ids", kind.plural())
    };
    let mut listed = unknown
        .iter()
        .take(UNKNOWN_ID_CAP)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    if unknown.len() > UNKNOWN_ID_CAP {
        listed.push_str(&format!(" and {} more", unknown.len() - UNKNOWN_ID_CAP));
    }
    Error::data(format!("{what} {listed} — nothing was revoked"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ids_are_capped() {
        let ids: Vec<u32> = (1..=13).collect();
        let e = unknown_ids(Kind::Session, &ids);
        assert_eq!(
            e.message,
            "no sessions with ids 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 3 more — nothing was revoked"
        );
        assert_eq!(
            unknown_ids(Kind::Token, &[7]).message,
            "no refresh token with id 7 — nothing was revoked"
        );
    }
}
