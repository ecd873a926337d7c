//! `login_sessions`: the application's login sessions: the session
//! repository.
//!
//! `session_token` is a bearer secret: nothing here serializes it (lists show the
//! session id and a short SHA-256 fingerprint). Validity is the application's
//! rule: `is_active AND expires_at > now`; invalidating sets `is_active = false`.

use diesel::prelude::*;

use crate::db::{
    DbConn, Dialect, Inet, SessionId, SessionToken, UserId, UtcDateTime, UtcTimestamp,
};
use crate::repo::{CountRow, CredentialState, User};
use crate::schema::login_sessions;
use crate::schema::{login_sessions as ls, users};
use crate::with_conn;

/// Inactive sessions the application's cleanup keeps this long after their last
/// activity.
pub const INACTIVE_RETENTION_DAYS: i64 = 30;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = ls, primary_key(session_id))]
pub struct LoginSession {
    pub session_id: SessionId,
    pub user_id: UserId,
    /// A bearer secret: never printed.
    #[serde(skip)]
    pub session_token: SessionToken,
    pub ip_address: Option<Inet>,
    pub user_agent: Option<String>,
    pub created_at: Option<UtcDateTime>,
    pub expires_at: UtcDateTime,
    pub last_activity_at: Option<UtcDateTime>,
    pub is_active: Option<bool>,
}

impl LoginSession {
    /// The application's rule: usable only while `is_active` (a NULL counts as not
    /// active) and `expires_at > now`.
    pub fn state(&self, now: UtcDateTime) -> CredentialState {
        if self.is_active != Some(true) {
            CredentialState::Revoked
        } else if self.expires_at <= now {
            CredentialState::Expired
        } else {
            CredentialState::Active
        }
    }

    /// Short SHA-256 fingerprint of the session token (safe to show).
    pub fn fingerprint(&self) -> String {
        crate::token::fingerprint(&self.session_token.to_string())
    }
}

/// A session to store, the application's way.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = ls)]
pub struct NewSession<'a> {
    pub session_id: SessionId,
    pub user_id: UserId,
    pub session_token: SessionToken,
    pub ip_address: Option<Inet>,
    pub user_agent: Option<&'a str>,
    pub created_at: UtcDateTime,
    pub expires_at: UtcDateTime,
    pub last_activity_at: UtcDateTime,
    pub is_active: bool,
}

impl NewSession<'_> {
    /// A new active session for `user_id` lasting `ttl`, with fresh random ids.
    pub fn new(user_id: UserId, ttl: chrono::Duration) -> Self {
        let now = UtcDateTime::now();
        NewSession {
            session_id: SessionId::new_v4(),
            user_id,
            session_token: SessionToken::new_v4(),
            ip_address: None,
            user_agent: None,
            created_at: now,
            expires_at: now + ttl,
            last_activity_at: now,
            is_active: true,
        }
    }
}

pub fn create(conn: &mut DbConn, new: &NewSession<'_>) -> QueryResult<LoginSession> {
    with_conn!(conn, c => diesel::insert_into(ls::table).values(new).execute(c))?;
    find(conn, new.session_id)?.ok_or(diesel::result::Error::NotFound)
}

pub fn find(conn: &mut DbConn, id: SessionId) -> QueryResult<Option<LoginSession>> {
    with_conn!(conn, c => ls::table.find(id).select(LoginSession::as_select()).first(c).optional())
}

pub fn find_by_token(conn: &mut DbConn, token: SessionToken) -> QueryResult<Option<LoginSession>> {
    with_conn!(conn, c => ls::table
        .filter(ls::session_token.eq(token))
        .select(LoginSession::as_select())
        .first(c)
        .optional())
}

/// A user's sessions, newest first.
pub fn find_by_user(conn: &mut DbConn, user_id: UserId) -> QueryResult<Vec<LoginSession>> {
    with_conn!(conn, c => ls::table
        .filter(ls::user_id.eq(user_id))
        .order((ls::created_at.is_null(), ls::created_at.desc(), ls::session_id.desc()))
        .select(LoginSession::as_select())
        .load(c))
}

/// A user's sessions usable now, newest first.
pub fn active_for_user(
    conn: &mut DbConn,
    user_id: UserId,
    now: UtcDateTime,
) -> QueryResult<Vec<LoginSession>> {
    with_conn!(conn, c => ls::table
        .filter(ls::user_id.eq(user_id))
        .filter(ls::is_active.eq(true))
        .filter(ls::expires_at.gt(now))
        .order((ls::created_at.is_null(), ls::created_at.desc(), ls::session_id.desc()))
        .select(LoginSession::as_select())
        .load(c))
}

/// Changes to a session (`None` leaves a column alone).
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = ls)]
pub struct SessionChanges {
    pub expires_at: Option<UtcDateTime>,
    pub last_activity_at: Option<UtcDateTime>,
    pub is_active: Option<bool>,
    pub ip_address: Option<Option<Inet>>,
    pub user_agent: Option<Option<String>>,
}

pub fn update(
    conn: &mut DbConn,
    id: SessionId,
    changes: &SessionChanges,
) -> QueryResult<Option<LoginSession>> {
    let SessionChanges {
        expires_at,
        last_activity_at,
        is_active,
        ip_address,
        user_agent,
    } = changes;
    if expires_at.is_none()
        && last_activity_at.is_none()
        && is_active.is_none()
        && ip_address.is_none()
        && user_agent.is_none()
    {
        // Nothing to change: the row as it is (the application's update does the same).
        return find(conn, id);
    }
    let n = with_conn!(conn, c => diesel::update(ls::table.find(id)).set(changes).execute(c))?;
    if n == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Record activity on an active session (`last_activity_at = now`).
pub fn update_activity(conn: &mut DbConn, id: SessionId, now: UtcDateTime) -> QueryResult<bool> {
    with_conn!(conn, c => diesel::update(ls::table.find(id).filter(ls::is_active.eq(true)))
        .set(ls::last_activity_at.eq(now))
        .execute(c))
    .map(|n| n > 0)
}

/// The application's validity check for a session token.
pub fn validate(conn: &mut DbConn, token: SessionToken, now: UtcDateTime) -> QueryResult<bool> {
    Ok(find_by_token(conn, token)?.is_some_and(|s| s.state(now) == CredentialState::Active))
}

/// Invalidate one session (`is_active = false`). Returns whether it was active.
pub fn invalidate(conn: &mut DbConn, id: SessionId) -> QueryResult<bool> {
    invalidate_ids(conn, &[id]).map(|n| n > 0)
}

/// Invalidate sessions by id that are still active; returns how many changed.
pub fn invalidate_ids(conn: &mut DbConn, ids: &[SessionId]) -> QueryResult<usize> {
    with_conn!(conn, c => diesel::update(
            ls::table
                .filter(ls::session_id.eq_any(ids))
                .filter(ls::is_active.eq(true).or(ls::is_active.is_null())),
        )
        .set(ls::is_active.eq(false))
        .execute(c))
}

/// Invalidate every active session of a user.
pub fn invalidate_all_for_user(conn: &mut DbConn, user_id: UserId) -> QueryResult<usize> {
    with_conn!(conn, c => diesel::update(
            ls::table
                .filter(ls::user_id.eq(user_id))
                .filter(ls::is_active.eq(true).or(ls::is_active.is_null())),
        )
        .set(ls::is_active.eq(false))
        .execute(c))
}

/// Delete what the application's cleanup deletes: expired sessions and inactive
/// ones idle more than [`INACTIVE_RETENTION_DAYS`]. (Unbatched; `purge-expired`
/// batches.)
pub fn delete_expired(conn: &mut DbConn, now: UtcDateTime) -> QueryResult<usize> {
    let idle_before = now - chrono::Duration::days(INACTIVE_RETENTION_DAYS);
    with_conn!(conn, c => diesel::delete(ls::table.filter(
            ls::expires_at.lt(now).or(ls::is_active.eq(false).and(ls::last_activity_at.lt(idle_before))),
        ))
        .execute(c))
}

/// The SQL of [`count_active`] (`$1` = now). The literal is spelled as the
/// application's partial index `idx_login_sessions_user_active … WHERE is_active =
/// true` declares it, so the planner can use that index (or
/// `idx_login_sessions_expires_at`): never a scan of the whole table.
pub fn count_active_sql(d: Dialect) -> String {
    format!(
        "SELECT count(*) AS n FROM login_sessions WHERE is_active = {} AND expires_at > {}",
        d.bool(true),
        d.param(1)
    )
}

/// Sessions usable now.
pub fn count_active(conn: &mut DbConn, now: UtcDateTime) -> QueryResult<i64> {
    let sql = count_active_sql(conn.dialect());
    let row: CountRow = with_conn!(conn, c => diesel::sql_query(&sql)
        .bind::<UtcTimestamp, _>(now)
        .get_result(c))?;
    Ok(row.n)
}

/// A user's sessions usable now (the application's `get_active_session_count`).
pub fn count_active_for_user(
    conn: &mut DbConn,
    user_id: UserId,
    now: UtcDateTime,
) -> QueryResult<i64> {
    with_conn!(conn, c => ls::table
        .filter(ls::user_id.eq(user_id))
        .filter(ls::is_active.eq(true))
        .filter(ls::expires_at.gt(now))
        .count()
        .get_result(c))
}

/// Delete one session. Returns whether it existed.
pub fn delete(conn: &mut DbConn, id: SessionId) -> QueryResult<bool> {
    with_conn!(conn, c => diesel::delete(ls::table.find(id)).execute(c)).map(|n| n > 0)
}

/// A session together with its user.
pub fn with_user(conn: &mut DbConn, id: SessionId) -> QueryResult<Option<(LoginSession, User)>> {
    with_conn!(conn, c => ls::table
        .inner_join(users::table)
        .filter(ls::session_id.eq(id))
        .select((LoginSession::as_select(), User::as_select()))
        .first(c)
        .optional())
}

/// One page of sessions with their owners' emails, newest expiry first: ordered by
/// `(expires_at, session_id)` descending, continuing strictly after `after` (the last
/// row of the previous page). `state` filters in SQL by the application's rule
/// (revoked: `is_active` false or NULL); `None` lists every state.
pub fn list_page(
    conn: &mut DbConn,
    user_id: Option<UserId>,
    state: Option<CredentialState>,
    after: Option<(UtcDateTime, SessionId)>,
    limit: i64,
    now: UtcDateTime,
) -> QueryResult<Vec<(LoginSession, String)>> {
    with_conn!(conn, c => {
        let mut q = ls::table
            .inner_join(users::table)
            .select((LoginSession::as_select(), users::email))
            .order((ls::expires_at.desc(), ls::session_id.desc()))
            .into_boxed();
        if let Some(user_id) = user_id {
            q = q.filter(ls::user_id.eq(user_id));
        }
        match state {
            Some(CredentialState::Active) => {
                q = q.filter(ls::is_active.eq(true)).filter(ls::expires_at.gt(now))
            }
            Some(CredentialState::Expired) => {
                q = q.filter(ls::is_active.eq(true)).filter(ls::expires_at.le(now))
            }
            Some(CredentialState::Revoked) => {
                q = q.filter(ls::is_active.eq(false).or(ls::is_active.is_null()))
            }
            None => {}
        }
        if let Some((expires_at, id)) = after {
            // `expires_at <= t` first, so the index on expires_at bounds the scan.
            q = q
                .filter(ls::expires_at.le(expires_at))
                .filter(ls::expires_at.lt(expires_at).or(ls::session_id.lt(id)));
        }
        q.limit(limit.max(0)).load(c)
    })
}

/// `expires_at` of a session (the keyset position of `--after ID`).
pub fn expires_at_of(conn: &mut DbConn, id: SessionId) -> QueryResult<Option<UtcDateTime>> {
    with_conn!(conn, c => ls::table.find(id).select(ls::expires_at).first(c).optional())
}

/// `(session_id, user_id)` of those of `ids` that exist (no lock).
pub fn owners(conn: &mut DbConn, ids: &[SessionId]) -> QueryResult<Vec<(SessionId, UserId)>> {
    with_conn!(conn, c => ls::table
        .filter(ls::session_id.eq_any(ids))
        .select((ls::session_id, ls::user_id))
        .load(c))
}

/// `(session_id, user_id, already revoked)` of those of `ids` that exist, locked
/// (PostgreSQL `FOR UPDATE`, in id order) until the transaction ends. "Already
/// revoked" is `is_active` false or NULL.
pub fn lock_by_ids(
    conn: &mut DbConn,
    ids: &[SessionId],
) -> QueryResult<Vec<(SessionId, UserId, bool)>> {
    let q = ls::table
        .filter(ls::session_id.eq_any(ids))
        .select((ls::session_id, ls::user_id, ls::is_active))
        .order(ls::session_id.asc());
    let rows: Vec<(SessionId, UserId, Option<bool>)> = crate::load_for_update!(conn, q)?;
    Ok(rows
        .into_iter()
        .map(|(id, user_id, is_active)| (id, user_id, is_active != Some(true)))
        .collect())
}

/// The ids of the next at most `limit` sessions with `is_active` (of one user, or
/// of all) after `after`, in id order (no lock: pass them to [`lock_unrevoked`]). With
/// `usable_at`, only those not expired then (the active ones); without, expired
/// ones too (what the application's invalidate-all of a user invalidates).
pub fn unrevoked_ids_after(
    conn: &mut DbConn,
    user_id: Option<UserId>,
    after: Option<SessionId>,
    limit: i64,
    usable_at: Option<UtcDateTime>,
) -> QueryResult<Vec<SessionId>> {
    with_conn!(conn, c => {
        let mut q = ls::table
            .filter(ls::is_active.eq(true))
            .select(ls::session_id)
            .order(ls::session_id.asc())
            .limit(limit.max(0))
            .into_boxed();
        if let Some(user_id) = user_id {
            q = q.filter(ls::user_id.eq(user_id));
        }
        if let Some(after) = after {
            q = q.filter(ls::session_id.gt(after));
        }
        if let Some(t) = usable_at {
            q = q.filter(ls::expires_at.gt(t));
        }
        q.load(c)
    })
}

/// Lock those of `ids` that still have `is_active` (and, with `usable_at`, are not
/// expired then), like [`lock_by_ids`], and return them as `(session_id, user_id)`
/// in id order. A session invalidated meanwhile is left out.
pub fn lock_unrevoked(
    conn: &mut DbConn,
    ids: &[SessionId],
    usable_at: Option<UtcDateTime>,
) -> QueryResult<Vec<(SessionId, UserId)>> {
    let q = ls::table
        .filter(ls::session_id.eq_any(ids))
        .filter(ls::is_active.eq(true))
        .select((ls::session_id, ls::user_id))
        .order(ls::session_id.asc());
    match usable_at {
        Some(t) => crate::load_for_update!(conn, q.filter(ls::expires_at.gt(t))),
        None => crate::load_for_update!(conn, q),
    }
}

/// `login_sessions`, every column, as export and import carry it
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
#[diesel(table_name = login_sessions, primary_key(session_id))]
#[diesel(treat_none_as_default_value = false, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct SessionRecord {
    pub session_id: SessionId,
    pub user_id: UserId,
    /// A bearer secret: left out by `--exclude-secrets`.
    pub session_token: SessionToken,
    pub ip_address: Option<Inet>,
    pub user_agent: Option<String>,
    pub created_at: Option<UtcDateTime>,
    pub expires_at: UtcDateTime,
    pub last_activity_at: Option<UtcDateTime>,
    pub is_active: Option<bool>,
}

crate::records!(
    Table,
    SessionRecord,
    SessionId,
    login_sessions,
    session_id,
    Some(("session_token", false)),
    |r| Some(r.user_id)
);
