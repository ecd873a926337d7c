//! `users`: accounts with argon2id password hashes.

use diesel::prelude::*;

use crate::db::{DbConn, UtcDateTime};
use crate::repo::{authctl_lower, like_escape, lower, lower_nullable};
use crate::schema::users;
use crate::with_conn;

/// A user row. `password_hash` is never serialized.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: Option<String>,
    #[serde(skip)]
    pub password_hash: String,
    pub role: String,
    pub is_active: bool,
    pub disabled_at: Option<UtcDateTime>,
    pub disabled_reason: Option<String>,
    pub failed_login_count: i32,
    pub locked_until: Option<UtcDateTime>,
    pub must_change_password: bool,
    pub password_changed_at: UtcDateTime,
    pub last_login_at: Option<UtcDateTime>,
    pub created_at: UtcDateTime,
    pub updated_at: UtcDateTime,
}

/// A user's effective state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum UserStatus {
    Active,
    Disabled,
    Locked,
}

impl std::fmt::Display for UserStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
            UserStatus::Locked => "locked",
        })
    }
}

impl User {
    /// Disabled wins over locked; a lock ends at `locked_until`.
    pub fn status(&self, now: UtcDateTime) -> UserStatus {
        if !self.is_active {
            UserStatus::Disabled
        } else if self.locked_until.is_some_and(|t| t > now) {
            UserStatus::Locked
        } else {
            UserStatus::Active
        }
    }
}

/// A user to create. `email` must already be normalized
/// ([`crate::email::normalize`]) and `password_hash` a PHC string.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: Option<&'a str>,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub must_change_password: bool,
    pub password_changed_at: UtcDateTime,
    pub created_at: UtcDateTime,
    pub updated_at: UtcDateTime,
}

impl<'a> NewUser<'a> {
    pub fn new(email: &'a str, password_hash: &'a str) -> Self {
        let now = UtcDateTime::now();
        NewUser {
            email,
            display_name: None,
            password_hash,
            role: "user",
            must_change_password: false,
            password_changed_at: now,
            created_at: now,
            updated_at: now,
        }
    }

    /// Insert and return the stored row. A duplicate email (any letter case) is a
    /// `UniqueViolation`.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<User> {
        with_conn!(conn, c => diesel::insert_into(users::table).values(self).execute(c))?;
        find_by_email(conn, self.email)?.ok_or(diesel::result::Error::NotFound)
    }
}

/// Changes to a user; `None` leaves a column alone, `Some(None)` sets it to NULL.
/// `updated_at` is always set by [`update`].
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub email: Option<String>,
    pub display_name: Option<Option<String>>,
    pub password_hash: Option<String>,
    pub role: Option<String>,
    pub is_active: Option<bool>,
    pub disabled_at: Option<Option<UtcDateTime>>,
    pub disabled_reason: Option<Option<String>>,
    pub failed_login_count: Option<i32>,
    pub locked_until: Option<Option<UtcDateTime>>,
    pub must_change_password: Option<bool>,
    pub password_changed_at: Option<UtcDateTime>,
    pub last_login_at: Option<Option<UtcDateTime>>,
    pub updated_at: Option<UtcDateTime>,
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<User>> {
    with_conn!(conn, c => users::table.find(id).select(User::as_select()).first(c).optional())
}

/// Find a user and lock the row until the transaction ends, so concurrent changes
/// to one user queue up instead of overwriting each other (PostgreSQL
/// `SELECT … FOR UPDATE`; SQLite's `BEGIN IMMEDIATE` already serializes writers).
pub fn find_for_update(conn: &mut DbConn, id: i64) -> QueryResult<Option<User>> {
    match conn {
        DbConn::Postgres(c) => users::table
            .find(id)
            .select(User::as_select())
            .for_update()
            .first(c)
            .optional(),
        DbConn::Sqlite(_) => find(conn, id),
    }
}

/// Find by email, case-insensitively (uses the `lower(email)` unique index).
pub fn find_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Option<User>> {
    let needle = email.trim().to_lowercase();
    with_conn!(conn, c => users::table
        .filter(lower(users::email).eq(&needle))
        .select(User::as_select())
        .first(c)
        .optional())
}

/// Apply `changes` (plus `updated_at = now`); returns the updated row, `None` when
/// no user has that id.
pub fn update(conn: &mut DbConn, id: i64, changes: &UserChanges) -> QueryResult<Option<User>> {
    let mut changes = changes.clone();
    changes.updated_at = Some(UtcDateTime::now());
    let n = with_conn!(conn, c => diesel::update(users::table.find(id)).set(&changes).execute(c))?;
    if n == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Store a new password hash: records the change time, clears the lockout and
/// failed attempts, and sets or clears `must_change_password`.
pub fn set_password(
    conn: &mut DbConn,
    id: i64,
    password_hash: &str,
    must_change_password: bool,
) -> QueryResult<Option<User>> {
    let now = UtcDateTime::now();
    update(
        conn,
        id,
        &UserChanges {
            password_hash: Some(password_hash.to_owned()),
            password_changed_at: Some(now),
            must_change_password: Some(must_change_password),
            failed_login_count: Some(0),
            locked_until: Some(None),
            ..Default::default()
        },
    )
}

/// Delete a user (sessions and tokens cascade; audit events keep a NULL user_id).
/// Returns whether a row was deleted.
pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    with_conn!(conn, c => diesel::delete(users::table.find(id)).execute(c)).map(|n| n > 0)
}

/// Record a successful login: `last_login_at = now`, failed attempts and lock cleared.
pub fn record_login_success(conn: &mut DbConn, id: i64) -> QueryResult<Option<User>> {
    update(
        conn,
        id,
        &UserChanges {
            last_login_at: Some(Some(UtcDateTime::now())),
            failed_login_count: Some(0),
            locked_until: Some(None),
            ..Default::default()
        },
    )
}

/// Record a failed login; once `max_attempts` is reached the account is locked for
/// `lock_for`. Atomic increment, so concurrent failures all count.
pub fn record_login_failure(
    conn: &mut DbConn,
    id: i64,
    max_attempts: i32,
    lock_for: chrono::Duration,
) -> QueryResult<Option<User>> {
    conn.transaction(|conn| {
        let now = UtcDateTime::now();
        with_conn!(&mut *conn, c => diesel::update(users::table.find(id))
            .set((
                users::failed_login_count.eq(users::failed_login_count + 1),
                users::updated_at.eq(now),
            ))
            .execute(c))?;
        let Some(user) = find(conn, id)? else {
            return Ok(None);
        };
        if user.failed_login_count >= max_attempts {
            return update(
                conn,
                id,
                &UserChanges {
                    locked_until: Some(Some(now + lock_for)),
                    ..Default::default()
                },
            );
        }
        Ok(Some(user))
    })
}

/// Filters for [`list`]. Results are ordered by id; page with `after_id`.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<String>,
    pub status: Option<UserStatus>,
    /// Case-insensitive substring of email or display name.
    pub search: Option<String>,
    pub created_since: Option<UtcDateTime>,
    /// Keyset pagination: only users with `id > after_id`.
    pub after_id: Option<i64>,
    pub limit: i64,
}

/// List users matching `filter`, ordered by id.
pub fn list(conn: &mut DbConn, filter: &UserFilter, now: UtcDateTime) -> QueryResult<Vec<User>> {
    // SQLite's lower() and LIKE fold only ASCII; authctl_lower() folds Unicode.
    let unicode_lower = matches!(conn, DbConn::Sqlite(_));
    with_conn!(conn, c => {
        let mut q = users::table.select(User::as_select()).order(users::id.asc()).into_boxed();
        if let Some(role) = &filter.role {
            q = q.filter(users::role.eq(role.clone()));
        }
        match filter.status {
            Some(UserStatus::Disabled) => q = q.filter(users::is_active.eq(false)),
            Some(UserStatus::Locked) => {
                q = q.filter(users::is_active.eq(true)).filter(users::locked_until.gt(now))
            }
            Some(UserStatus::Active) => {
                q = q.filter(users::is_active.eq(true)).filter(
                    users::locked_until.is_null().or(users::locked_until.le(now)),
                )
            }
            None => {}
        }
        if let Some(search) = filter.search.as_deref().filter(|s| !s.is_empty()) {
            let pattern = format!("%{}%", like_escape(&search.to_lowercase()));
            q = if unicode_lower {
                q.filter(
                    authctl_lower(users::email.nullable())
                        .like(pattern.clone())
                        .escape('\\')
                        .or(authctl_lower(users::display_name).like(pattern).escape('\\')),
                )
            } else {
                q.filter(
                    lower(users::email)
                        .like(pattern.clone())
                        .escape('\\')
                        .or(lower_nullable(users::display_name).like(pattern).escape('\\')),
                )
            };
        }
        if let Some(since) = filter.created_since {
            q = q.filter(users::created_at.ge(since));
        }
        if let Some(after) = filter.after_id {
            q = q.filter(users::id.gt(after));
        }
        q.limit(filter.limit.max(0)).load(c)
    })
}

/// Number of users (optionally with a role).
pub fn count(conn: &mut DbConn, role: Option<&str>) -> QueryResult<i64> {
    with_conn!(conn, c => {
        let mut q = users::table.count().into_boxed();
        if let Some(role) = role {
            q = q.filter(users::role.eq(role.to_owned()));
        }
        q.get_result(c)
    })
}

/// Create `new` unless a user with that email exists. Returns the user and whether
/// it was created. Safe to run concurrently: a lost race returns the winner's row.
pub fn create_if_missing(conn: &mut DbConn, new: &NewUser<'_>) -> QueryResult<(User, bool)> {
    if let Some(existing) = find_by_email(conn, new.email)? {
        return Ok((existing, false));
    }
    let attempt = conn.transaction(|conn| new.insert(conn));
    match attempt {
        Ok(user) => Ok((user, true)),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => find_by_email(conn, new.email)?
            .map(|u| (u, false))
            .ok_or(diesel::result::Error::NotFound),
        Err(e) => Err(e),
    }
}
