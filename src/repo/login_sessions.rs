//! `login_sessions`: browser/app sessions stored as SHA-256 hashes of their tokens.

use diesel::prelude::*;

use crate::db::{DbConn, UtcDateTime};
use crate::repo::CredentialState;
use crate::schema::login_sessions;
use crate::token::{RawToken, hashes_equal};
use crate::with_conn;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = login_sessions)]
pub struct LoginSession {
    pub id: i64,
    pub user_id: i64,
    #[serde(skip)]
    pub token_hash: String,
    pub ip_address: Option<String>,
    pub user_agent: Option<String>,
    pub created_at: UtcDateTime,
    pub last_activity_at: UtcDateTime,
    pub expires_at: UtcDateTime,
    pub revoked_at: Option<UtcDateTime>,
    pub revoked_reason: Option<String>,
}

impl LoginSession {
    pub fn state(&self, now: UtcDateTime) -> CredentialState {
        CredentialState::of(self.revoked_at, self.expires_at, now)
    }
}

#[derive(Insertable)]
#[diesel(table_name = login_sessions)]
struct NewRow<'a> {
    user_id: i64,
    token_hash: &'a str,
    ip_address: Option<&'a str>,
    user_agent: Option<&'a str>,
    created_at: UtcDateTime,
    last_activity_at: UtcDateTime,
    expires_at: UtcDateTime,
}

/// A session to create.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub user_id: i64,
    pub ttl: chrono::Duration,
    pub ip_address: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// Create a session; returns it with the raw session token (shown once).
pub fn create(conn: &mut DbConn, req: &NewSession<'_>) -> QueryResult<(LoginSession, RawToken)> {
    let raw = RawToken::generate();
    let hash = raw.hash();
    let now = UtcDateTime::now();
    let row = NewRow {
        user_id: req.user_id,
        token_hash: &hash,
        ip_address: req.ip_address,
        user_agent: req.user_agent,
        created_at: now,
        last_activity_at: now,
        expires_at: now + req.ttl,
    };
    with_conn!(conn, c => diesel::insert_into(login_sessions::table).values(&row).execute(c))?;
    let session = find_by_hash(conn, &hash)?.ok_or(diesel::result::Error::NotFound)?;
    Ok((session, raw))
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<LoginSession>> {
    with_conn!(conn, c => login_sessions::table.find(id).select(LoginSession::as_select()).first(c).optional())
}

pub fn find_by_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<LoginSession>> {
    let row: Option<LoginSession> = with_conn!(conn, c => login_sessions::table
        .filter(login_sessions::token_hash.eq(hash))
        .select(LoginSession::as_select())
        .first(c)
        .optional())?;
    Ok(row.filter(|s| hashes_equal(&s.token_hash, hash)))
}

/// The session for a raw token if it exists, is not revoked and has not expired.
pub fn validate(
    conn: &mut DbConn,
    raw: &RawToken,
    now: UtcDateTime,
) -> QueryResult<Option<LoginSession>> {
    Ok(find_by_hash(conn, &raw.hash())?.filter(|s| s.state(now) == CredentialState::Active))
}

/// Record activity (`last_activity_at = now`); optionally slide the expiry.
pub fn touch(
    conn: &mut DbConn,
    id: i64,
    now: UtcDateTime,
    extend_to: Option<UtcDateTime>,
) -> QueryResult<bool> {
    with_conn!(conn, c => {
        let target = login_sessions::table.find(id).filter(login_sessions::revoked_at.is_null());
        match extend_to {
            Some(exp) => diesel::update(target)
                .set((login_sessions::last_activity_at.eq(now), login_sessions::expires_at.eq(exp)))
                .execute(c),
            None => diesel::update(target)
                .set(login_sessions::last_activity_at.eq(now))
                .execute(c),
        }
    })
    .map(|n| n > 0)
}

/// Invalidate (revoke) one session unless already revoked. Returns whether it changed.
pub fn invalidate(
    conn: &mut DbConn,
    id: i64,
    reason: Option<&str>,
    now: UtcDateTime,
) -> QueryResult<bool> {
    with_conn!(conn, c => diesel::update(
            login_sessions::table
                .find(id)
                .filter(login_sessions::revoked_at.is_null()),
        )
        .set((login_sessions::revoked_at.eq(now), login_sessions::revoked_reason.eq(reason)))
        .execute(c))
    .map(|n| n > 0)
}

/// Invalidate every active session of a user. Returns how many changed.
pub fn invalidate_all_for_user(
    conn: &mut DbConn,
    user_id: i64,
    reason: Option<&str>,
    now: UtcDateTime,
) -> QueryResult<usize> {
    with_conn!(conn, c => diesel::update(
            login_sessions::table
                .filter(login_sessions::user_id.eq(user_id))
                .filter(login_sessions::revoked_at.is_null())
                .filter(login_sessions::expires_at.gt(now)),
        )
        .set((login_sessions::revoked_at.eq(now), login_sessions::revoked_reason.eq(reason)))
        .execute(c))
}

pub fn count_active_for_user(
    conn: &mut DbConn,
    user_id: i64,
    now: UtcDateTime,
) -> QueryResult<i64> {
    with_conn!(conn, c => login_sessions::table
        .filter(login_sessions::user_id.eq(user_id))
        .filter(login_sessions::revoked_at.is_null())
        .filter(login_sessions::expires_at.gt(now))
        .count()
        .get_result(c))
}

/// Delete up to `limit` sessions that expired at or before `before`.
pub fn delete_expired(conn: &mut DbConn, before: UtcDateTime, limit: i64) -> QueryResult<usize> {
    with_conn!(conn, c => {
        let ids: Vec<i64> = login_sessions::table
            .select(login_sessions::id)
            .filter(login_sessions::expires_at.le(before))
            .order((login_sessions::expires_at, login_sessions::id))
            .limit(limit.max(0))
            .load(c)?;
        diesel::delete(login_sessions::table.filter(login_sessions::id.eq_any(ids))).execute(c)
    })
}
