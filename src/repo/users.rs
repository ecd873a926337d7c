//! `users`: the application's accounts: the user repository.
//!
//! Emails are stored lower-case (as the application's registration does) and looked
//! up in any letter case on both sides (rows another writer stored in mixed case are
//! found; two rows for one address in different cases are refused, not picked from). `password_hash` is bcrypt (or argon2id where the application
//! verifies it); a disabled user's hash carries [`crate::password::DISABLED_PREFIX`].

use diesel::prelude::*;

use crate::db::{DbConn, FoldOp, UserId, UtcDateTime};
use crate::password::{PasswordError, PasswordHasher};
use crate::repo::like_escape;
use crate::schema::users;
use crate::with_conn;

/// The roles the application's CHECK constraint allows.
pub const ROLES: &[&str] = &["user", "admin", "premium"];
/// The role the application gives a user created without one.
pub const DEFAULT_ROLE: &str = "user";

/// A user row. `password_hash` and `reset_token` (secrets) are never serialized.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, serde::Serialize)]
#[diesel(table_name = users)]
pub struct User {
    pub id: UserId,
    pub email: String,
    #[serde(skip)]
    pub password_hash: String,
    pub name: Option<String>,
    pub role: Option<String>,
    pub created_at: Option<UtcDateTime>,
    pub updated_at: Option<UtcDateTime>,
    pub last_login: Option<UtcDateTime>,
    pub email_verified: Option<bool>,
    pub email_verified_at: Option<UtcDateTime>,
    #[serde(skip)]
    pub reset_token: Option<String>,
    pub reset_token_expires: Option<UtcDateTime>,
}

/// A user's state as the application sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UserStatus {
    /// The stored hash can verify a password: the user can log in.
    Active,
    /// The stored hash is disabled: the application refuses every login.
    Disabled,
}

impl std::fmt::Display for UserStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UserStatus::Active => "active",
            UserStatus::Disabled => "disabled",
        })
    }
}

impl User {
    pub fn status(&self) -> UserStatus {
        if crate::password::is_disabled(&self.password_hash) {
            UserStatus::Disabled
        } else {
            UserStatus::Active
        }
    }

    /// The role, or the application's default when the column is NULL.
    pub fn role(&self) -> &str {
        self.role.as_deref().unwrap_or(DEFAULT_ROLE)
    }
}

/// A user to create. `email` must already be normalized
/// ([`crate::email::normalize`]), `password_hash` a bcrypt or argon2id hash.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub id: UserId,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub name: Option<&'a str>,
    pub role: &'a str,
    pub created_at: UtcDateTime,
    pub updated_at: UtcDateTime,
    pub email_verified: bool,
    pub email_verified_at: Option<UtcDateTime>,
}

impl<'a> NewUser<'a> {
    pub fn new(email: &'a str, password_hash: &'a str) -> Self {
        let now = UtcDateTime::now();
        NewUser {
            id: UserId::new_v4(),
            email,
            password_hash,
            name: None,
            role: DEFAULT_ROLE,
            created_at: now,
            updated_at: now,
            email_verified: false,
            email_verified_at: None,
        }
    }

    /// Insert and return the stored row. A duplicate email is a `UniqueViolation`.
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<User> {
        with_conn!(conn, c => diesel::insert_into(users::table).values(self).execute(c))?;
        find(conn, self.id)?.ok_or(diesel::result::Error::NotFound)
    }
}

/// Changes to a user; `None` leaves a column alone, `Some(None)` sets it to NULL.
/// `updated_at` is always set by [`update`].
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct UserChanges {
    pub email: Option<String>,
    pub name: Option<Option<String>>,
    pub password_hash: Option<String>,
    pub role: Option<String>,
    pub last_login: Option<Option<UtcDateTime>>,
    pub email_verified: Option<bool>,
    pub email_verified_at: Option<Option<UtcDateTime>>,
    pub reset_token: Option<Option<String>>,
    pub reset_token_expires: Option<Option<UtcDateTime>>,
    pub updated_at: Option<UtcDateTime>,
}

/// Find by id.
pub fn find(conn: &mut DbConn, id: UserId) -> QueryResult<Option<User>> {
    with_conn!(conn, c => users::table.find(id).select(User::as_select()).first(c).optional())
}

/// Find a user and lock the row until the transaction ends, so concurrent changes
/// to one user queue up instead of overwriting each other.
pub fn find_for_update(conn: &mut DbConn, id: UserId) -> QueryResult<Option<User>> {
    let rows: Vec<User> =
        crate::load_for_update!(conn, users::table.find(id).select(User::as_select()))?;
    Ok(rows.into_iter().next())
}

/// The role the last-admin guard protects (`users delete`, `disable`, `update --role`).
pub const ADMIN_ROLE: &str = "admin";

/// Every user with the admin role, locked until the transaction ends (PostgreSQL
/// `FOR UPDATE`, taken in id order, so two changes that both lock the admins queue
/// up instead of deadlocking; SQLite's `BEGIN IMMEDIATE` already serializes
/// writers). A row whose role changed meanwhile is re-checked by PostgreSQL and
/// left out.
pub fn lock_admins(conn: &mut DbConn) -> QueryResult<Vec<User>> {
    crate::load_for_update!(
        conn,
        users::table
            .filter(users::role.eq(ADMIN_ROLE))
            .order(users::id.asc())
            .select(User::as_select())
    )
}

/// Every user whose email equals `email` in any letter case (trimmed; both sides
/// folded by [`crate::db::Dialect::fold_compare`]: PostgreSQL's `lower()`,
/// SQLite's Unicode-aware `authctl_lower()`), by id. More than one only where
/// another writer stored one address in two cases (the application's unique
/// index is case-sensitive). `lower(email)` has no index (the schema is the
/// application's), so this reads the whole table: fine for one look-up.
pub fn find_all_by_email(conn: &mut DbConn, email: &str) -> QueryResult<Vec<User>> {
    let needle = email.trim().to_owned();
    let (before, after) = conn.dialect().fold_compare("users.email", FoldOp::Equals);
    with_conn!(conn, c => users::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>(&before)
                .bind::<diesel::sql_types::Text, _>(needle.clone())
                .sql(after),
        )
        .order(users::id.asc())
        .select(User::as_select())
        .load(c))
}

/// Why [`find_by_email`] found no single answer.
#[derive(Debug, thiserror::Error)]
pub enum FindByEmailError {
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    /// Several users have the address in different letter cases.
    #[error("{}", ambiguous_message(.email, .users))]
    Ambiguous {
        email: String,
        /// `(id, stored email)` of each, by id.
        users: Vec<(UserId, String)>,
    },
}

impl crate::db::TxError for FindByEmailError {
    fn diesel(&self) -> Option<&diesel::result::Error> {
        match self {
            FindByEmailError::Db(e) => Some(e),
            FindByEmailError::Ambiguous { .. } => None,
        }
    }
    fn explained(self, note: String) -> Self {
        match self {
            FindByEmailError::Db(e) => FindByEmailError::Db(e.explained(note)),
            other => other,
        }
    }
}

fn ambiguous_message(email: &str, users: &[(UserId, String)]) -> String {
    let list = users
        .iter()
        .map(|(id, e)| format!("{id} ({})", crate::output::terminal_safe(e)))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{} users have the email {} in different letter cases: {list}; nothing was changed. \
         Name the user by its id, and merge or rename the others (authctl users update ID --email …)",
        users.len(),
        crate::email::printable(email.trim()),
    )
}

/// The user whose email equals `email` in any letter case (see
/// [`find_all_by_email`]); [`FindByEmailError::Ambiguous`] naming every id when
/// more than one does, rather than picking one.
pub fn find_by_email(conn: &mut DbConn, email: &str) -> Result<Option<User>, FindByEmailError> {
    let mut found = find_all_by_email(conn, email)?;
    if found.len() > 1 {
        return Err(FindByEmailError::Ambiguous {
            email: email.to_owned(),
            users: found.into_iter().map(|u| (u.id, u.email)).collect(),
        });
    }
    Ok(found.pop())
}

/// Whether a user has this email, in any letter case.
pub fn exists_by_email(conn: &mut DbConn, email: &str) -> QueryResult<bool> {
    find_all_by_email(conn, email).map(|u| !u.is_empty())
}

/// Groups of users whose emails differ only in letter case (each group's users by
/// id; groups by their folded email). The application's unique index is
/// case-sensitive, so another writer can leave such pairs behind; `migrate` and
/// `--check-production` report them.
pub fn case_duplicates(conn: &mut DbConn) -> QueryResult<Vec<Vec<(UserId, String)>>> {
    let folded = conn.dialect().lower("email");
    let sql = format!(
        "SELECT id, email FROM users WHERE {folded} IN \
         (SELECT {folded} FROM users GROUP BY {folded} HAVING count(*) > 1) \
         ORDER BY {folded}, id"
    );
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = crate::db::DbUuid)]
        id: UserId,
        #[diesel(sql_type = diesel::sql_types::Text)]
        email: String,
    }
    let rows: Vec<Row> = with_conn!(conn, c => diesel::sql_query(&sql).load(c))?;
    let mut groups: Vec<Vec<(UserId, String)>> = Vec::new();
    for r in rows {
        let fold = crate::db::fold_case(&r.email);
        match groups.last_mut() {
            Some(g) if crate::db::fold_case(&g[0].1) == fold => g.push((r.id, r.email)),
            _ => groups.push(vec![(r.id, r.email)]),
        }
    }
    Ok(groups)
}

/// Apply `changes` (plus `updated_at` = the database's time,
/// [`crate::db::clock::now`]); returns the updated row, `None` when no user has
/// that id.
pub fn update(conn: &mut DbConn, id: UserId, changes: &UserChanges) -> QueryResult<Option<User>> {
    let mut changes = changes.clone();
    changes.updated_at = Some(crate::db::clock::now(conn)?);
    let n = with_conn!(conn, c => diesel::update(users::table.find(id)).set(&changes).execute(c))?;
    if n == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Store a new password hash. Returns whether the user exists.
pub fn update_password(conn: &mut DbConn, id: UserId, password_hash: &str) -> QueryResult<bool> {
    update(
        conn,
        id,
        &UserChanges {
            password_hash: Some(password_hash.to_owned()),
            ..Default::default()
        },
    )
    .map(|u| u.is_some())
}

/// Check a password against the user's stored hash (false for a missing or disabled
/// user).
pub fn verify_password(
    conn: &mut DbConn,
    id: UserId,
    password: &[u8],
    hasher: &PasswordHasher,
) -> Result<bool, VerifyError> {
    let Some(user) = find(conn, id)? else {
        return Ok(false);
    };
    Ok(hasher.verify(password, &user.password_hash)?)
}

/// Why [`verify_password`] could not answer.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
    #[error(transparent)]
    Hash(#[from] PasswordError),
}

/// Record a login: `last_login` = the database's time (as the application does
/// after a successful login).
pub fn update_last_login(conn: &mut DbConn, id: UserId) -> QueryResult<bool> {
    let now = crate::db::clock::now(conn)?;
    let n = with_conn!(conn, c => diesel::update(users::table.find(id))
        .set(users::last_login.eq(now))
        .execute(c))?;
    Ok(n > 0)
}

/// Delete a user (the application's tables cascade; audit events keep a NULL
/// user_id and the email). Returns whether a row was deleted.
pub fn delete(conn: &mut DbConn, id: UserId) -> QueryResult<bool> {
    with_conn!(conn, c => diesel::delete(users::table.find(id)).execute(c)).map(|n| n > 0)
}

/// The dormancy rule of `users list --inactive` and `users disable --inactive`:
/// the last login is before `before`, or there was none and the account was
/// created before `before`. A user with neither time (NULL `created_at` and
/// `last_login`) has no known age and is never dormant.
macro_rules! dormant_before {
    ($before:expr) => {
        users::last_login.lt($before).or(users::last_login
            .is_null()
            .and(users::created_at.lt($before)))
    };
}

/// Filters for [`list`]. Results are ordered by email (unique, indexed); page
/// with `after_email`.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub role: Option<String>,
    pub status: Option<UserStatus>,
    /// Case-insensitive substring of email or name.
    pub search: Option<String>,
    pub created_since: Option<UtcDateTime>,
    /// Dormant: last login before this time, or never logged in and created
    /// before it (`users list --inactive`).
    pub inactive_before: Option<UtcDateTime>,
    /// Keyset pagination: only users whose email sorts after this one.
    pub after_email: Option<String>,
    pub limit: i64,
}

/// List users matching `filter`, ordered by email.
pub fn list(conn: &mut DbConn, filter: &UserFilter) -> QueryResult<Vec<User>> {
    // Both sides folded by the same function (on SQLite a Unicode-aware one: its
    // own lower() and LIKE fold only ASCII): see Dialect::fold_compare.
    let (email_like, email_end) = conn.dialect().fold_compare("users.email", FoldOp::Like);
    let (name_like, name_end) = conn.dialect().fold_compare("users.name", FoldOp::Like);
    let disabled_pattern = format!("{}%", crate::password::DISABLED_PREFIX);
    with_conn!(conn, c => {
        let mut q = users::table.select(User::as_select()).order(users::email.asc()).into_boxed();
        if let Some(role) = &filter.role {
            q = if role == DEFAULT_ROLE {
                q.filter(users::role.eq(role.clone()).or(users::role.is_null()))
            } else {
                q.filter(users::role.eq(role.clone()))
            };
        }
        match filter.status {
            Some(UserStatus::Disabled) => q = q.filter(users::password_hash.like(disabled_pattern.clone())),
            Some(UserStatus::Active) => q = q.filter(users::password_hash.not_like(disabled_pattern.clone())),
            None => {}
        }
        if let Some(search) = filter.search.as_deref().filter(|s| !s.is_empty()) {
            let pattern = format!("%{}%", like_escape(search));
            q = q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>(&format!("({email_like}"))
                    .bind::<diesel::sql_types::Text, _>(pattern.clone())
                    .sql(&format!("{email_end} OR {name_like}"))
                    .bind::<diesel::sql_types::Text, _>(pattern)
                    .sql(&format!("{name_end})")),
            );
        }
        if let Some(since) = filter.created_since {
            q = q.filter(users::created_at.ge(since));
        }
        if let Some(before) = filter.inactive_before {
            q = q.filter(dormant_before!(before));
        }
        if let Some(after) = &filter.after_email {
            q = q.filter(users::email.gt(after.clone()));
        }
        q.limit(filter.limit.max(0)).load(c)
    })
}

/// An enabled user [`dormant`] found: what the bulk disable reports and locks by.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct DormantUser {
    pub id: UserId,
    pub email: String,
    pub role: Option<String>,
    pub created_at: Option<UtcDateTime>,
    pub last_login: Option<UtcDateTime>,
}

impl DormantUser {
    /// The role, or the application's default when the column is NULL.
    pub fn role(&self) -> &str {
        self.role.as_deref().unwrap_or(DEFAULT_ROLE)
    }
}

/// Every enabled user (hash not disabled) dormant before `before`, optionally with
/// one role (`user` includes NULL), by id: one read of the table (on PostgreSQL a
/// sequential scan; `last_login` has no index, and the schema is the
/// application's), five narrow columns per row.
pub fn dormant(
    conn: &mut DbConn,
    before: UtcDateTime,
    role: Option<&str>,
) -> QueryResult<Vec<DormantUser>> {
    let disabled_pattern = format!("{}%", crate::password::DISABLED_PREFIX);
    with_conn!(conn, c => {
        let mut q = users::table
            .select(DormantUser::as_select())
            .filter(users::password_hash.not_like(disabled_pattern.clone()))
            .filter(dormant_before!(before))
            .order(users::id.asc())
            .into_boxed();
        if let Some(role) = role {
            q = if role == DEFAULT_ROLE {
                q.filter(users::role.eq(role.to_owned()).or(users::role.is_null()))
            } else {
                q.filter(users::role.eq(role.to_owned()))
            };
        }
        q.load(c)
    })
}

/// Of `ids`, the users that are still enabled and dormant before `before`, locked
/// until the transaction ends (PostgreSQL `FOR UPDATE`, in id order; SQLite's
/// `BEGIN IMMEDIATE` already serializes writers). A user who logged in, was
/// disabled or deleted since it was found drops out. At most 1000 ids per call
/// (bind-parameter limits).
pub fn lock_dormant(
    conn: &mut DbConn,
    ids: &[UserId],
    before: UtcDateTime,
) -> QueryResult<Vec<User>> {
    debug_assert!(ids.len() <= 1000);
    let disabled_pattern = format!("{}%", crate::password::DISABLED_PREFIX);
    crate::load_for_update!(
        conn,
        users::table
            .filter(users::id.eq_any(ids))
            .filter(users::password_hash.not_like(disabled_pattern))
            .filter(dormant_before!(before))
            .order(users::id.asc())
            .select(User::as_select())
    )
}

/// How many enabled users are dormant before `before` (`stats`): one count over
/// the table.
pub fn count_dormant(conn: &mut DbConn, before: UtcDateTime) -> QueryResult<i64> {
    let disabled_pattern = format!("{}%", crate::password::DISABLED_PREFIX);
    with_conn!(conn, c => users::table
        .filter(users::password_hash.not_like(disabled_pattern))
        .filter(dormant_before!(before))
        .count()
        .get_result(c))
}

/// The emails of these users, by id (no locks; in chunks of 1000 ids, under every
/// backend's bind-parameter limit). Ids of users that do not exist are absent.
pub fn emails_of(
    conn: &mut DbConn,
    ids: &[UserId],
) -> QueryResult<std::collections::HashMap<UserId, String>> {
    let mut emails = std::collections::HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(1000) {
        let rows: Vec<(UserId, String)> = with_conn!(&mut *conn, c => users::table
            .filter(users::id.eq_any(chunk))
            .select((users::id, users::email))
            .load(c))?;
        emails.extend(rows);
    }
    Ok(emails)
}

/// Every user's id and email (for an import's conflict check: one scan instead
/// of a case-folding look-up per record).
pub fn all_emails(conn: &mut DbConn) -> QueryResult<Vec<(UserId, String)>> {
    with_conn!(conn, c => users::table.select((users::id, users::email)).load(c))
}

/// Users whose bcrypt hash (enabled or disabled) has a cost below
/// [`crate::password::BCRYPT_MIN_COST`] (`$2?$0N$`, costs 4–9).
pub fn count_weak_bcrypt(conn: &mut DbConn) -> QueryResult<i64> {
    with_conn!(conn, c => users::table
        .filter(
            users::password_hash
                .like("$2_$0%")
                .or(users::password_hash.like("!$2_$0%")),
        )
        .count()
        .get_result(c))
}

/// Users with one role, verification state and disabled state ([`count_by_role`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleCount {
    /// The role; NULL counts as [`DEFAULT_ROLE`], as the application reads it.
    pub role: String,
    /// `email_verified` (NULL counts as false).
    pub verified: bool,
    /// The hash is disabled ([`crate::password::DISABLED_PREFIX`]).
    pub disabled: bool,
    pub n: i64,
}

/// Every user counted by role, verification state and disabled state, in one
/// grouped scan.
pub fn count_by_role(conn: &mut DbConn) -> QueryResult<Vec<RoleCount>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        role: String,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        verified: bool,
        #[diesel(sql_type = diesel::sql_types::Integer)]
        disabled: i32,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let sql = format!(
        "SELECT COALESCE(role, '{DEFAULT_ROLE}') AS role, \
                COALESCE(email_verified, false) AS verified, \
                CASE WHEN substr(password_hash, 1, 1) = '{}' THEN 1 ELSE 0 END AS disabled, \
                count(*) AS n FROM users GROUP BY 1, 2, 3",
        crate::password::DISABLED_PREFIX
    );
    let rows: Vec<Row> = with_conn!(conn, c => diesel::sql_query(&sql).load(c))?;
    Ok(rows
        .into_iter()
        .map(|r| RoleCount {
            role: r.role,
            verified: r.verified,
            disabled: r.disabled != 0,
            n: r.n,
        })
        .collect())
}

/// Number of users (optionally with a role; `user` counts NULL roles too).
pub fn count(conn: &mut DbConn, role: Option<&str>) -> QueryResult<i64> {
    with_conn!(conn, c => {
        let mut q = users::table.count().into_boxed();
        if let Some(role) = role {
            q = if role == DEFAULT_ROLE {
                q.filter(users::role.eq(role.to_owned()).or(users::role.is_null()))
            } else {
                q.filter(users::role.eq(role.to_owned()))
            };
        }
        q.get_result(c)
    })
}

/// Create `new` unless a user with that email exists. Returns the user and whether
/// it was created. Safe to run concurrently: a lost race returns the winner's row.
/// An email taken in another letter case counts as taken.
pub fn create_if_missing(
    conn: &mut DbConn,
    new: &NewUser<'_>,
) -> Result<(User, bool), FindByEmailError> {
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
            .ok_or(diesel::result::Error::NotFound.into()),
        Err(e) => Err(e.into()),
    }
}

/// Every user's e-mail, folded ([`crate::db::fold_case`]), → its id, read in
/// keyset pages: one pass over the table to check many e-mails in any letter case
/// (no index covers a folded e-mail, so one query per batch would scan the table
/// once per batch).
pub fn ids_by_folded_email(
    conn: &mut DbConn,
) -> QueryResult<std::collections::HashMap<String, UserId>> {
    const PAGE: i64 = 10_000;
    let mut out = std::collections::HashMap::new();
    let mut after: Option<UserId> = None;
    loop {
        let page: Vec<(UserId, String)> = with_conn!(conn, c => {
            let mut q = users::table
                .select((users::id, users::email))
                .order(users::id.asc())
                .limit(PAGE)
                .into_boxed();
            if let Some(after) = after {
                q = q.filter(users::id.gt(after));
            }
            q.load(c)
        })?;
        let full = page.len() as i64 == PAGE;
        after = page.last().map(|r| r.0);
        out.extend(
            page.into_iter()
                .map(|(id, e)| (crate::db::fold_case(&e), id)),
        );
        if !full {
            return Ok(out);
        }
    }
}

/// `users`, every column, as export and import carry it
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
#[diesel(table_name = users, treat_none_as_default_value = false, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub password_hash: String,
    pub name: Option<String>,
    pub role: Option<String>,
    pub created_at: Option<UtcDateTime>,
    pub updated_at: Option<UtcDateTime>,
    pub last_login: Option<UtcDateTime>,
    pub email_verified: Option<bool>,
    pub email_verified_at: Option<UtcDateTime>,
    /// A password-reset bearer secret: left out by `--exclude-secrets`.
    pub reset_token: Option<String>,
    pub reset_token_expires: Option<UtcDateTime>,
}

crate::records!(
    Table,
    UserRecord,
    UserId,
    users,
    id,
    Some(("reset_token", true)),
    |_r| None
);
