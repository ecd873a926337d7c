//! `refresh_tokens`: long-lived tokens stored as SHA-256 hashes, with rotation.

use diesel::prelude::*;

use crate::db::{DbConn, UtcDateTime};
use crate::repo::CredentialState;
use crate::schema::refresh_tokens;
use crate::token::{RawToken, hashes_equal};
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: i64,
    pub user_id: i64,
    #[serde(skip)]
    pub token_hash: String,
    pub created_at: UtcDateTime,
    pub expires_at: UtcDateTime,
    pub last_used_at: Option<UtcDateTime>,
    pub revoked_at: Option<UtcDateTime>,
    pub revoked_reason: Option<String>,
    pub replaced_by_id: Option<i64>,
    pub user_agent: Option<String>,
    pub ip_address: Option<String>,
}

impl RefreshToken {
    pub fn state(&self, now: UtcDateTime) -> CredentialState {
        CredentialState::of(self.revoked_at, self.expires_at, now)
    }
}

#[derive(Insertable)]
#[diesel(table_name = refresh_tokens)]
struct NewRow<'a> {
    user_id: i64,
    token_hash: &'a str,
    created_at: UtcDateTime,
    expires_at: UtcDateTime,
    user_agent: Option<&'a str>,
    ip_address: Option<&'a str>,
}

/// What to issue.
#[derive(Debug, Clone)]
pub struct IssueToken<'a> {
    pub user_id: i64,
    /// Lifetime from now; must be positive.
    pub ttl: chrono::Duration,
    pub user_agent: Option<&'a str>,
    pub ip_address: Option<&'a str>,
}

/// Issue a token: 256 random bits, only the hash stored. The raw value is returned
/// once and cannot be recovered later.
pub fn issue(conn: &mut DbConn, req: &IssueToken<'_>) -> QueryResult<(RefreshToken, RawToken)> {
    let raw = RawToken::generate();
    let hash = raw.hash();
    let now = UtcDateTime::now();
    let row = NewRow {
        user_id: req.user_id,
        token_hash: &hash,
        created_at: now,
        expires_at: now + req.ttl,
        user_agent: req.user_agent,
        ip_address: req.ip_address,
    };
    with_conn!(conn, c => diesel::insert_into(refresh_tokens::table).values(&row).execute(c))?;
    let token = find_by_hash(conn, &hash)?.ok_or(diesel::result::Error::NotFound)?;
    Ok((token, raw))
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<RefreshToken>> {
    with_conn!(conn, c => refresh_tokens::table.find(id).select(RefreshToken::as_select()).first(c).optional())
}

/// Look a token up by its stored hash (compared again in constant time).
pub fn find_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<RefreshToken>> {
    let row: Option<RefreshToken> = with_conn!(conn, c => refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshToken::as_select())
        .first(c)
        .optional())?;
    Ok(row.filter(|t| hashes_equal(&t.token_hash, hash)))
}

/// The token for a raw value presented by a client if it exists, is not revoked and
/// has not expired; otherwise `None`.
pub fn validate(
    conn: &mut DbConn,
    raw: &RawToken,
    now: UtcDateTime,
) -> QueryResult<Option<RefreshToken>> {
    Ok(find_by_hash(conn, &raw.hash())?.filter(|t| t.state(now) == CredentialState::Active))
}

/// Record use of a token (`last_used_at = now`).
pub fn touch(conn: &mut DbConn, id: i64, now: UtcDateTime) -> QueryResult<bool> {
    with_conn!(conn, c => diesel::update(refresh_tokens::table.find(id))
        .set(refresh_tokens::last_used_at.eq(now))
        .execute(c))
    .map(|n| n > 0)
}

/// Rotate: validate `raw`, issue a replacement for the same user, and revoke the old
/// token with reason `rotated` and a link to its replacement — all in one transaction.
/// `None` when `raw` is not a valid token.
pub fn rotate(
    conn: &mut DbConn,
    raw: &RawToken,
    ttl: chrono::Duration,
) -> QueryResult<Option<(RefreshToken, RawToken)>> {
    conn.transaction(|conn| {
        let now = UtcDateTime::now();
        let Some(old) = validate(conn, raw, now)? else {
            return Ok(None);
        };
        let (new, new_raw) = issue(
            conn,
            &IssueToken {
                user_id: old.user_id,
                ttl,
                user_agent: old.user_agent.as_deref(),
                ip_address: old.ip_address.as_deref(),
            },
        )?;
        let n = with_conn!(&mut *conn, c => diesel::update(
                refresh_tokens::table
                    .find(old.id)
                    .filter(refresh_tokens::revoked_at.is_null()),
            )
            .set((
                refresh_tokens::revoked_at.eq(now),
                refresh_tokens::revoked_reason.eq("rotated"),
                refresh_tokens::replaced_by_id.eq(new.id),
                refresh_tokens::last_used_at.eq(now),
            ))
            .execute(c))?;
        if n == 0 {
            // Rotated concurrently by someone else: do not hand out a second token.
            return Err(diesel::result::Error::RollbackTransaction);
        }
        Ok(Some((new, new_raw)))
    })
    .or_else(|e| match e {
        diesel::result::Error::RollbackTransaction => Ok(None),
        e => Err(e),
    })
}

/// Revoke one token unless already revoked. Returns whether it changed.
pub fn revoke(
    conn: &mut DbConn,
    id: i64,
    reason: Option<&str>,
    now: UtcDateTime,
) -> QueryResult<bool> {
    with_conn!(conn, c => diesel::update(
            refresh_tokens::table
                .find(id)
                .filter(refresh_tokens::revoked_at.is_null()),
        )
        .set((
            refresh_tokens::revoked_at.eq(now),
            refresh_tokens::revoked_reason.eq(reason),
        ))
        .execute(c))
    .map(|n| n > 0)
}

/// Revoke every unrevoked, unexpired token of a user. Returns how many changed.
pub fn revoke_all_for_user(
    conn: &mut DbConn,
    user_id: i64,
    reason: Option<&str>,
    now: UtcDateTime,
) -> QueryResult<usize> {
    with_conn!(conn, c => diesel::update(
            refresh_tokens::table
                .filter(refresh_tokens::user_id.eq(user_id))
                .filter(refresh_tokens::revoked_at.is_null())
                .filter(refresh_tokens::expires_at.gt(now)),
        )
        .set((
            refresh_tokens::revoked_at.eq(now),
            refresh_tokens::revoked_reason.eq(reason),
        ))
        .execute(c))
}

/// Active (unrevoked, unexpired) tokens of a user.
pub fn count_active_for_user(
    conn: &mut DbConn,
    user_id: i64,
    now: UtcDateTime,
) -> QueryResult<i64> {
    with_conn!(conn, c => refresh_tokens::table
        .filter(refresh_tokens::user_id.eq(user_id))
        .filter(refresh_tokens::revoked_at.is_null())
        .filter(refresh_tokens::expires_at.gt(now))
        .count()
        .get_result(c))
}

/// Delete up to `limit` tokens that expired at or before `before`; returns how many.
/// For large backlogs use `authctl purge-expired`, which batches.
pub fn delete_expired(conn: &mut DbConn, before: UtcDateTime, limit: i64) -> QueryResult<usize> {
    with_conn!(conn, c => {
        let ids: Vec<i64> = refresh_tokens::table
            .select(refresh_tokens::id)
            .filter(refresh_tokens::expires_at.le(before))
            .order((refresh_tokens::expires_at, refresh_tokens::id))
            .limit(limit.max(0))
            .load(c)?;
        diesel::delete(refresh_tokens::table.filter(refresh_tokens::id.eq_any(ids))).execute(c)
    })
}
