//! `refresh_tokens`: the application's refresh tokens: the token
//! repository.
//!
//! The application stores the **raw** refresh JWT in `token` and looks it up by
//! value; it is a bearer secret, so nothing here serializes it: lists show the id
//! and a short SHA-256 [`fingerprint`]. Validity is the application's rule: the
//! row exists, `is_revoked = false` and `expires_at > now`. Revoking sets
//! `is_revoked = true, revoked_at = now`.

use diesel::prelude::*;

use crate::db::{DbConn, Dialect, Inet, RefreshTokenId, UserId, UtcDateTime, UtcTimestamp};
use crate::repo::{CountRow, CredentialState};
use crate::schema::refresh_tokens;
use crate::schema::{refresh_tokens as rt, users};
use crate::with_conn;

/// Revoked tokens the application's cleanup keeps this long after `revoked_at`.
pub const REVOKED_RETENTION_DAYS: i64 = 7;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = rt)]
pub struct RefreshToken {
    pub id: RefreshTokenId,
    pub user_id: UserId,
    /// The raw refresh token (a bearer secret): never printed.
    #[serde(skip)]
    pub token: String,
    pub expires_at: UtcDateTime,
    pub created_at: Option<UtcDateTime>,
    pub revoked_at: Option<UtcDateTime>,
    pub is_revoked: Option<bool>,
    pub user_agent: Option<String>,
    pub ip_address: Option<Inet>,
}

impl RefreshToken {
    /// The application's rule: usable only while `is_revoked = false` (a NULL counts
    /// as not usable) and `expires_at > now`.
    pub fn state(&self, now: UtcDateTime) -> CredentialState {
        if self.is_revoked != Some(false) {
            CredentialState::Revoked
        } else if self.expires_at <= now {
            CredentialState::Expired
        } else {
            CredentialState::Active
        }
    }

    /// Short SHA-256 fingerprint of the raw token (safe to show).
    pub fn fingerprint(&self) -> String {
        crate::token::fingerprint(&self.token)
    }
}

/// A token to store, the application's way (`is_revoked = false`, `created_at = now`).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = rt)]
pub struct NewRefreshToken<'a> {
    pub id: RefreshTokenId,
    pub user_id: UserId,
    pub token: &'a str,
    pub expires_at: UtcDateTime,
    pub created_at: UtcDateTime,
    pub is_revoked: bool,
    pub user_agent: Option<&'a str>,
    pub ip_address: Option<Inet>,
}

impl<'a> NewRefreshToken<'a> {
    pub fn new(user_id: UserId, token: &'a str, expires_at: UtcDateTime) -> Self {
        NewRefreshToken {
            id: RefreshTokenId::new_v4(),
            user_id,
            token,
            expires_at,
            created_at: UtcDateTime::now(),
            is_revoked: false,
            user_agent: None,
            ip_address: None,
        }
    }
}

/// Store a token (the raw value the client holds, at least 32 characters).
pub fn create(conn: &mut DbConn, new: &NewRefreshToken<'_>) -> QueryResult<RefreshToken> {
    with_conn!(conn, c => diesel::insert_into(rt::table).values(new).execute(c))?;
    find(conn, new.id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn find(conn: &mut DbConn, id: RefreshTokenId) -> QueryResult<Option<RefreshToken>> {
    with_conn!(conn, c => rt::table.find(id).select(RefreshToken::as_select()).first(c).optional())
}

/// Find by the raw token value.
pub fn find_by_token(conn: &mut DbConn, token: &str) -> QueryResult<Option<RefreshToken>> {
    with_conn!(conn, c => rt::table
        .filter(rt::token.eq(token))
        .select(RefreshToken::as_select())
        .first(c)
        .optional())
}

/// A user's tokens, newest first.
pub fn find_by_user(conn: &mut DbConn, user_id: UserId) -> QueryResult<Vec<RefreshToken>> {
    with_conn!(conn, c => rt::table
        .filter(rt::user_id.eq(user_id))
        .order((rt::created_at.is_null(), rt::created_at.desc(), rt::id.desc()))
        .select(RefreshToken::as_select())
        .load(c))
}

/// The application's validity check.
pub fn validate(conn: &mut DbConn, token: &str, now: UtcDateTime) -> QueryResult<bool> {
    Ok(find_by_token(conn, token)?.is_some_and(|t| t.state(now) == CredentialState::Active))
}

/// Revoke one token by value. Returns whether a row matched.
pub fn revoke(conn: &mut DbConn, token: &str, now: UtcDateTime) -> QueryResult<bool> {
    with_conn!(conn, c => diesel::update(rt::table.filter(rt::token.eq(token)))
        .set((rt::is_revoked.eq(true), rt::revoked_at.eq(now)))
        .execute(c))
    .map(|n| n > 0)
}

/// Revoke tokens by id that are not revoked yet; returns how many it revoked.
pub fn revoke_ids(
    conn: &mut DbConn,
    ids: &[RefreshTokenId],
    now: UtcDateTime,
) -> QueryResult<usize> {
    with_conn!(conn, c => diesel::update(
            rt::table
                .filter(rt::id.eq_any(ids))
                .filter(rt::is_revoked.eq(false).or(rt::is_revoked.is_null())),
        )
        .set((rt::is_revoked.eq(true), rt::revoked_at.eq(now)))
        .execute(c))
}

/// Revoke every unrevoked token of a user (the application's `revokeAllForUser`).
pub fn revoke_all_for_user(
    conn: &mut DbConn,
    user_id: UserId,
    now: UtcDateTime,
) -> QueryResult<usize> {
    with_conn!(conn, c => diesel::update(
            rt::table
                .filter(rt::user_id.eq(user_id))
                .filter(rt::is_revoked.eq(false).or(rt::is_revoked.is_null())),
        )
        .set((rt::is_revoked.eq(true), rt::revoked_at.eq(now)))
        .execute(c))
}

/// Delete what the application's cleanup deletes: expired tokens and tokens revoked
/// more than [`REVOKED_RETENTION_DAYS`] ago. (Unbatched; `purge-expired` batches.)
pub fn delete_expired(conn: &mut DbConn, now: UtcDateTime) -> QueryResult<usize> {
    let revoked_before = now - chrono::Duration::days(REVOKED_RETENTION_DAYS);
    with_conn!(conn, c => diesel::delete(rt::table.filter(
            rt::expires_at.lt(now).or(rt::is_revoked.eq(true).and(rt::revoked_at.lt(revoked_before))),
        ))
        .execute(c))
}

/// The SQL of [`count_active`] (`$1` = now). The literal is spelled as the
/// application's partial index `idx_refresh_tokens_user_active … WHERE is_revoked =
/// false` declares it, so the planner can use that index (or
/// `idx_refresh_tokens_expires_at`): never a scan of the whole table.
pub fn count_active_sql(d: Dialect) -> String {
    format!(
        "SELECT count(*) AS n FROM refresh_tokens WHERE is_revoked = {} AND expires_at > {}",
        d.bool(false),
        d.param(1)
    )
}

/// Tokens usable now.
pub fn count_active(conn: &mut DbConn, now: UtcDateTime) -> QueryResult<i64> {
    let sql = count_active_sql(conn.dialect());
    let row: CountRow = with_conn!(conn, c => diesel::sql_query(&sql)
        .bind::<UtcTimestamp, _>(now)
        .get_result(c))?;
    Ok(row.n)
}

/// A user's tokens usable now.
pub fn count_for_user(conn: &mut DbConn, user_id: UserId, now: UtcDateTime) -> QueryResult<i64> {
    with_conn!(conn, c => rt::table
        .filter(rt::user_id.eq(user_id))
        .filter(rt::is_revoked.eq(false))
        .filter(rt::expires_at.gt(now))
        .count()
        .get_result(c))
}

/// Delete one token by value. Returns whether it existed.
pub fn delete(conn: &mut DbConn, token: &str) -> QueryResult<bool> {
    with_conn!(conn, c => diesel::delete(rt::table.filter(rt::token.eq(token))).execute(c))
        .map(|n| n > 0)
}

/// Keep a user's `keep` newest tokens, delete the rest; returns how many went.
pub fn keep_newest(conn: &mut DbConn, user_id: UserId, keep: i64) -> QueryResult<usize> {
    with_conn!(conn, c => {
        let newest: Vec<RefreshTokenId> = rt::table
            .filter(rt::user_id.eq(user_id))
            .order((rt::created_at.is_null(), rt::created_at.desc(), rt::id.desc()))
            .limit(keep.max(0))
            .select(rt::id)
            .load(c)?;
        diesel::delete(
            rt::table
                .filter(rt::user_id.eq(user_id))
                .filter(rt::id.ne_all(newest)),
        )
        .execute(c)
    })
}

/// One page of tokens with their owners' emails, newest expiry first: ordered by
/// `(expires_at, id)` descending, continuing strictly after `after` (the last row of
/// the previous page). `state` filters in SQL by the application's rule (revoked:
/// `is_revoked` true or NULL); `None` lists every state.
pub fn list_page(
    conn: &mut DbConn,
    user_id: Option<UserId>,
    state: Option<CredentialState>,
    after: Option<(UtcDateTime, RefreshTokenId)>,
    limit: i64,
    now: UtcDateTime,
) -> QueryResult<Vec<(RefreshToken, String)>> {
    with_conn!(conn, c => {
        let mut q = rt::table
            .inner_join(users::table)
            .select((RefreshToken::as_select(), users::email))
            .order((rt::expires_at.desc(), rt::id.desc()))
            .into_boxed();
        if let Some(user_id) = user_id {
            q = q.filter(rt::user_id.eq(user_id));
        }
        match state {
            Some(CredentialState::Active) => {
                q = q.filter(rt::is_revoked.eq(false)).filter(rt::expires_at.gt(now))
            }
            Some(CredentialState::Expired) => {
                q = q.filter(rt::is_revoked.eq(false)).filter(rt::expires_at.le(now))
            }
            Some(CredentialState::Revoked) => {
                q = q.filter(rt::is_revoked.eq(true).or(rt::is_revoked.is_null()))
            }
            None => {}
        }
        if let Some((expires_at, id)) = after {
            // `expires_at <= t` first, so the index on expires_at bounds the scan.
            q = q
                .filter(rt::expires_at.le(expires_at))
                .filter(rt::expires_at.lt(expires_at).or(rt::id.lt(id)));
        }
        q.limit(limit.max(0)).load(c)
    })
}

/// `expires_at` of a token (the keyset position of `--after ID`).
pub fn expires_at_of(conn: &mut DbConn, id: RefreshTokenId) -> QueryResult<Option<UtcDateTime>> {
    with_conn!(conn, c => rt::table.find(id).select(rt::expires_at).first(c).optional())
}

/// `(id, user_id)` of those of `ids` that exist (no lock).
pub fn owners(
    conn: &mut DbConn,
    ids: &[RefreshTokenId],
) -> QueryResult<Vec<(RefreshTokenId, UserId)>> {
    with_conn!(conn, c => rt::table
        .filter(rt::id.eq_any(ids))
        .select((rt::id, rt::user_id))
        .load(c))
}

/// `(id, user_id, already revoked)` of those of `ids` that exist, locked (PostgreSQL
/// `FOR UPDATE`, in id order) until the transaction ends. "Already revoked" is
/// `is_revoked` true or NULL.
pub fn lock_by_ids(
    conn: &mut DbConn,
    ids: &[RefreshTokenId],
) -> QueryResult<Vec<(RefreshTokenId, UserId, bool)>> {
    let q = rt::table
        .filter(rt::id.eq_any(ids))
        .select((rt::id, rt::user_id, rt::is_revoked))
        .order(rt::id.asc());
    let rows: Vec<(RefreshTokenId, UserId, Option<bool>)> = crate::load_for_update!(conn, q)?;
    Ok(rows
        .into_iter()
        .map(|(id, user_id, is_revoked)| (id, user_id, is_revoked != Some(false)))
        .collect())
}

/// The ids of the next at most `limit` unrevoked tokens (of one user, or of all)
/// after `after`, in id order (no lock: pass them to [`lock_unrevoked`]). With
/// `usable_at`, only those not expired then (the active ones); without, expired
/// ones too (what the application's revoke-all of a user revokes).
pub fn unrevoked_ids_after(
    conn: &mut DbConn,
    user_id: Option<UserId>,
    after: Option<RefreshTokenId>,
    limit: i64,
    usable_at: Option<UtcDateTime>,
) -> QueryResult<Vec<RefreshTokenId>> {
    with_conn!(conn, c => {
        let mut q = rt::table
            .filter(rt::is_revoked.eq(false))
            .select(rt::id)
            .order(rt::id.asc())
            .limit(limit.max(0))
            .into_boxed();
        if let Some(user_id) = user_id {
            q = q.filter(rt::user_id.eq(user_id));
        }
        if let Some(after) = after {
            q = q.filter(rt::id.gt(after));
        }
        if let Some(t) = usable_at {
            q = q.filter(rt::expires_at.gt(t));
        }
        q.load(c)
    })
}

/// Lock those of `ids` that are still unrevoked (and, with `usable_at`, not
/// expired then), like [`lock_by_ids`], and return them as `(id, user_id)` in id
/// order. A token revoked meanwhile is left out.
pub fn lock_unrevoked(
    conn: &mut DbConn,
    ids: &[RefreshTokenId],
    usable_at: Option<UtcDateTime>,
) -> QueryResult<Vec<(RefreshTokenId, UserId)>> {
    let q = rt::table
        .filter(rt::id.eq_any(ids))
        .filter(rt::is_revoked.eq(false))
        .select((rt::id, rt::user_id))
        .order(rt::id.asc());
    match usable_at {
        Some(t) => crate::load_for_update!(conn, q.filter(rt::expires_at.gt(t))),
        None => crate::load_for_update!(conn, q),
    }
}

/// `refresh_tokens`, every column, as export and import carry it
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
#[diesel(table_name = refresh_tokens, treat_none_as_default_value = false, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct RefreshTokenRecord {
    pub id: RefreshTokenId,
    pub user_id: UserId,
    /// The raw refresh JWT, a bearer secret: left out by `--exclude-secrets`.
    pub token: String,
    pub expires_at: UtcDateTime,
    pub created_at: Option<UtcDateTime>,
    pub revoked_at: Option<UtcDateTime>,
    pub is_revoked: Option<bool>,
    pub user_agent: Option<String>,
    pub ip_address: Option<Inet>,
}

crate::records!(
    Table,
    RefreshTokenRecord,
    RefreshTokenId,
    refresh_tokens,
    id,
    Some(("token", false)),
    |r| Some(r.user_id)
);
