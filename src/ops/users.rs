//! What `authctl users` does: create, read, change, disable, enable, unlock,
//! reset and delete users.
//!
//! Every change runs in one transaction together with its audit event, so either
//! both commit or neither does. Inputs are validated before anything is written and
//! every error names the value it rejected — never a password. Password hashing
//! (deliberately slow) happens before the transaction, so no write lock is held
//! while argon2 runs.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde_json::json;

use crate::db::{DbConn, UtcDateTime};
use crate::email::printable;
use crate::error::Error;
use crate::ops::{resolve_user, resolve_user_for_update};
use crate::parse::UserRef;
use crate::password::{HashInfo, PasswordHasher};
use crate::repo::{self, AuditEvent, AuditFilter, NewAuditEvent, User, UserChanges, UserFilter};
use crate::secret::Secret;

/// The role of a user created without `--role`.
pub const DEFAULT_ROLE: &str = "user";
/// Longest role name accepted.
pub const ROLE_MAX_LEN: usize = 64;
/// Longest display name accepted, in characters.
pub const DISPLAY_NAME_MAX_LEN: usize = 200;
/// Longest disable reason accepted, in characters.
pub const REASON_MAX_LEN: usize = 500;
/// Rows per query when streaming a whole listing ([`scan`] with `all`).
pub const PAGE_SIZE: i64 = 1000;
/// How many audit events [`details`] returns.
pub const RECENT_EVENTS: i64 = 10;

/// Check a role name: 1 to 64 characters from `a-z`, `0-9`, `_` and `-`.
pub fn validate_role(role: &str) -> Result<String, Error> {
    let ok = !role.is_empty()
        && role.len() <= ROLE_MAX_LEN
        && role
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if ok {
        Ok(role.to_owned())
    } else {
        Err(Error::data(format!(
            "invalid role {}: use 1 to {ROLE_MAX_LEN} characters from a-z, 0-9, '_' and '-'",
            printable(role)
        )))
    }
}

/// Check a display name: trimmed, not empty, no control characters, at most
/// [`DISPLAY_NAME_MAX_LEN`] characters.
pub fn validate_display_name(name: &str) -> Result<String, Error> {
    let shown = printable(name);
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::data(format!(
            "invalid display name {shown}: it is empty (to remove a name use --clear-name)"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::data(format!(
            "invalid display name {shown}: it contains control characters"
        )));
    }
    if name.chars().count() > DISPLAY_NAME_MAX_LEN {
        return Err(Error::data(format!(
            "invalid display name {shown}: longer than {DISPLAY_NAME_MAX_LEN} characters"
        )));
    }
    Ok(name.to_owned())
}

/// Check the reason given for disabling a user: trimmed, not empty, at most
/// [`REASON_MAX_LEN`] characters.
pub fn validate_reason(reason: &str) -> Result<String, Error> {
    let shown = printable(reason);
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Error::data(
            "the reason is empty (leave out --reason instead)",
        ));
    }
    if reason.chars().any(char::is_control) {
        return Err(Error::data(format!(
            "reason {shown} contains control characters"
        )));
    }
    if reason.chars().count() > REASON_MAX_LEN {
        return Err(Error::data(format!(
            "reason {shown} is longer than {REASON_MAX_LEN} characters"
        )));
    }
    Ok(reason.to_owned())
}

/// A user to create, validated: normalized email, checked role and display name.
#[derive(Debug, Clone)]
pub struct NewAccount {
    email: String,
    display_name: Option<String>,
    role: String,
    must_change_password: bool,
}

impl NewAccount {
    /// Validate the parts of a new user. `role` `None` means [`DEFAULT_ROLE`].
    pub fn new(
        email: &str,
        display_name: Option<&str>,
        role: Option<&str>,
        must_change_password: bool,
    ) -> Result<Self, Error> {
        Ok(NewAccount {
            email: crate::email::normalize(email)?,
            display_name: display_name.map(validate_display_name).transpose()?,
            role: validate_role(role.unwrap_or(DEFAULT_ROLE))?,
            must_change_password,
        })
    }

    /// The normalized email address.
    pub fn email(&self) -> &str {
        &self.email
    }
}

/// A new password for [`create`] or [`reset_password`], already read and checked
/// against the policy.
#[derive(Debug, Clone, Copy)]
pub struct NewPassword<'a> {
    pub secret: &'a Secret,
    /// Whether authctl generated it (recorded in the audit event; the value never is).
    pub generated: bool,
}

impl NewPassword<'_> {
    /// The argon2id PHC string of the exact UTF-8 bytes.
    fn hash(&self, hasher: &PasswordHasher) -> anyhow::Result<String> {
        hasher
            .hash(self.secret.expose().as_bytes())
            .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))
    }
}

/// The result of [`create`].
#[derive(Debug, Clone)]
pub enum CreateOutcome {
    /// The user was created.
    Created(User),
    /// `if_not_exists` was set and a user with that email already existed; nothing
    /// was written.
    Existed(User),
}

fn duplicate_email(email: &str, existing_id: Option<i64>) -> Error {
    match existing_id {
        Some(id) => Error::data(format!(
            "a user with email {email} already exists (id {id})"
        )),
        None => Error::data(format!("a user with email {email} already exists")),
    }
}

fn is_unique_violation(e: &DieselError) -> bool {
    matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Before asking for a password: is `email` (normalized) free? `Ok(None)` when it
/// is; `Ok(Some(user))` when it is taken and `if_not_exists` is set; otherwise the
/// duplicate error (any letter case counts as the same address).
pub fn check_email_free(
    conn: &mut DbConn,
    email: &str,
    if_not_exists: bool,
) -> anyhow::Result<Option<User>> {
    match repo::users::find_by_email(conn, email)? {
        None => Ok(None),
        Some(user) if if_not_exists => Ok(Some(user)),
        Some(user) => Err(duplicate_email(email, Some(user.id)).into()),
    }
}

/// Why an insert or update transaction failed.
enum WriteError {
    /// The email is taken (found first, or a concurrent writer won the race).
    Duplicate(Option<i64>),
    Other(anyhow::Error),
}

impl From<DieselError> for WriteError {
    fn from(e: DieselError) -> Self {
        if is_unique_violation(&e) {
            WriteError::Duplicate(None)
        } else {
            WriteError::Other(e.into())
        }
    }
}

impl From<anyhow::Error> for WriteError {
    fn from(e: anyhow::Error) -> Self {
        WriteError::Other(e)
    }
}

/// Create a user with `password` and record `user.create`. An existing email (any
/// letter case) is a data error, or with `if_not_exists` returns
/// [`CreateOutcome::Existed`] and writes nothing. Safe against concurrent creates
/// of the same email: exactly one wins, the other sees the duplicate.
pub fn create(
    conn: &mut DbConn,
    hasher: &PasswordHasher,
    account: &NewAccount,
    password: NewPassword<'_>,
    if_not_exists: bool,
    actor: &str,
) -> anyhow::Result<CreateOutcome> {
    let hash = password.hash(hasher)?;
    let result = conn.transaction(|conn| -> Result<User, WriteError> {
        if let Some(existing) = repo::users::find_by_email(conn, &account.email)? {
            return Err(WriteError::Duplicate(Some(existing.id)));
        }
        let mut new = repo::NewUser::new(&account.email, &hash);
        new.display_name = account.display_name.as_deref();
        new.role = &account.role;
        new.must_change_password = account.must_change_password;
        let user = new.insert(conn)?;
        NewAuditEvent {
            actor,
            action: "user.create",
            user_id: Some(user.id),
            detail: Some(json!({
                "email": user.email,
                "display_name": user.display_name,
                "role": user.role,
                "must_change_password": user.must_change_password,
                "password_generated": password.generated,
            })),
            ip_address: None,
        }
        .append(conn)?;
        Ok(user)
    });
    match result {
        Ok(user) => Ok(CreateOutcome::Created(user)),
        Err(WriteError::Duplicate(id)) if if_not_exists => {
            match repo::users::find_by_email(conn, &account.email)? {
                Some(user) => Ok(CreateOutcome::Existed(user)),
                None => Err(duplicate_email(&account.email, id).into()),
            }
        }
        Err(WriteError::Duplicate(id)) => Err(duplicate_email(&account.email, id).into()),
        Err(WriteError::Other(e)) => Err(e),
    }
}

/// What [`scan`] saw.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScanSummary {
    /// Rows passed to the callback.
    pub rows: u64,
    /// The id of the last row passed (for `--after`).
    pub last_id: Option<i64>,
    /// Without `all`: more rows match after this page.
    pub more: bool,
}

/// List users matching `filter` (ordered by id) page by page, handing each page
/// to `each` before the next is fetched, so memory does not grow with the table.
/// With `all` every matching row is visited in pages of [`PAGE_SIZE`] and
/// `filter.limit` is ignored; otherwise one page of `filter.limit` rows.
pub fn scan(
    conn: &mut DbConn,
    filter: &UserFilter,
    all: bool,
    now: UtcDateTime,
    mut each: impl FnMut(&[User]) -> anyhow::Result<()>,
) -> anyhow::Result<ScanSummary> {
    let mut summary = ScanSummary::default();
    let mut filter = filter.clone();
    if !all {
        let limit = filter.limit;
        filter.limit = limit + 1;
        let mut page = repo::users::list(conn, &filter, now)?;
        summary.more = page.len() as i64 > limit;
        page.truncate(usize::try_from(limit).unwrap_or(0));
        summary.rows = page.len() as u64;
        summary.last_id = page.last().map(|u| u.id);
        each(&page)?;
        return Ok(summary);
    }
    filter.limit = PAGE_SIZE;
    loop {
        let page = repo::users::list(conn, &filter, now)?;
        if page.is_empty() {
            break;
        }
        summary.rows += page.len() as u64;
        summary.last_id = page.last().map(|u| u.id);
        filter.after_id = summary.last_id;
        each(&page)?;
        if (page.len() as i64) < PAGE_SIZE {
            break;
        }
    }
    Ok(summary)
}

/// The stored hash's algorithm and costs (never the salt or output), and whether
/// it falls short of the configured costs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HashSummary {
    #[serde(flatten)]
    pub info: HashInfo,
    pub needs_rehash: bool,
}

/// Everything `users show` reports about one user.
#[derive(Debug, Clone)]
pub struct UserDetails {
    pub user: User,
    /// `None` when the stored hash is not an argon2 PHC string.
    pub hash: Option<HashSummary>,
    pub active_sessions: i64,
    pub active_tokens: i64,
    /// The latest [`RECENT_EVENTS`] audit events about the user, newest first.
    pub recent_events: Vec<AuditEvent>,
}

/// Read a user with its hash parameters, active credential counts and latest
/// audit events. `hasher` holds the current policy for `needs_rehash`.
pub fn details(
    conn: &mut DbConn,
    user: &UserRef,
    hasher: &PasswordHasher,
    now: UtcDateTime,
) -> anyhow::Result<UserDetails> {
    let user = resolve_user(conn, user)?;
    let hash = crate::password::inspect(&user.password_hash)
        .ok()
        .map(|info| HashSummary {
            info,
            needs_rehash: hasher.needs_rehash(&user.password_hash).unwrap_or(true),
        });
    let active_sessions = repo::login_sessions::count_active_for_user(conn, user.id, now)?;
    let active_tokens = repo::refresh_tokens::count_active_for_user(conn, user.id, now)?;
    let recent_events = repo::audit_events::list(
        conn,
        &AuditFilter {
            user_id: Some(user.id),
            limit: RECENT_EVENTS,
            ..Default::default()
        },
    )?;
    Ok(UserDetails {
        user,
        hash,
        active_sessions,
        active_tokens,
        recent_events,
    })
}

/// Changes for [`update`], validated. Build with [`UserUpdate::new`].
#[derive(Debug, Clone, Default)]
pub struct UserUpdate {
    email: Option<String>,
    display_name: Option<Option<String>>,
    role: Option<String>,
}

impl UserUpdate {
    /// Validate the requested changes: a new email (normalized), a new display name
    /// or `clear_name`, a new role. Asking for nothing is a usage error.
    pub fn new(
        email: Option<&str>,
        display_name: Option<&str>,
        clear_name: bool,
        role: Option<&str>,
    ) -> Result<Self, Error> {
        if email.is_none() && display_name.is_none() && !clear_name && role.is_none() {
            return Err(Error::usage(
                "nothing to change: give --email, --name, --clear-name or --role",
            ));
        }
        if display_name.is_some() && clear_name {
            return Err(Error::usage("give either --name or --clear-name, not both"));
        }
        Ok(UserUpdate {
            email: email.map(crate::email::normalize).transpose()?,
            display_name: if clear_name {
                Some(None)
            } else {
                display_name
                    .map(validate_display_name)
                    .transpose()?
                    .map(Some)
            },
            role: role.map(validate_role).transpose()?,
        })
    }
}

/// The result of [`update`].
#[derive(Debug, Clone)]
pub struct Updated {
    /// The user after the change.
    pub user: User,
    /// Names of the fields that changed (`email`, `display_name`, `role`); empty
    /// when every requested value was already set, in which case nothing was written.
    pub changed: Vec<&'static str>,
}

/// Apply `changes` to a user and record `user.update` with old and new values. A
/// new email already used by another user (any letter case) is a data error.
pub fn update(
    conn: &mut DbConn,
    user: &UserRef,
    changes: &UserUpdate,
    actor: &str,
) -> anyhow::Result<Updated> {
    let result = conn.transaction(|conn| -> Result<Updated, WriteError> {
        let old = resolve_user_for_update(conn, user)?;
        let mut set = UserChanges::default();
        let mut detail = serde_json::Map::new();
        let mut changed = Vec::new();
        if let Some(email) = changes.email.as_ref().filter(|e| **e != old.email) {
            let other = repo::users::find_by_email(conn, email)?.filter(|u| u.id != old.id);
            if let Some(other) = other {
                return Err(WriteError::Duplicate(Some(other.id)));
            }
            detail.insert("email".into(), json!({ "old": old.email, "new": email }));
            set.email = Some(email.clone());
            changed.push("email");
        }
        if let Some(name) = changes
            .display_name
            .as_ref()
            .filter(|n| **n != old.display_name)
        {
            detail.insert(
                "display_name".into(),
                json!({ "old": old.display_name, "new": name }),
            );
            set.display_name = Some(name.clone());
            changed.push("display_name");
        }
        if let Some(role) = changes.role.as_ref().filter(|r| **r != old.role) {
            detail.insert("role".into(), json!({ "old": old.role, "new": role }));
            set.role = Some(role.clone());
            changed.push("role");
        }
        if changed.is_empty() {
            return Ok(Updated { user: old, changed });
        }
        let user = repo::users::update(conn, old.id, &set)?.ok_or_else(|| gone(old.id))?;
        NewAuditEvent {
            actor,
            action: "user.update",
            user_id: Some(user.id),
            detail: Some(detail.into()),
            ip_address: None,
        }
        .append(conn)?;
        Ok(Updated { user, changed })
    });
    match result {
        Ok(updated) => Ok(updated),
        Err(WriteError::Duplicate(id)) => {
            let email = changes.email.as_deref().unwrap_or_default();
            Err(duplicate_email(email, id).into())
        }
        Err(WriteError::Other(e)) => Err(e),
    }
}

/// A user vanished between being found and being changed (deleted concurrently).
fn gone(id: i64) -> anyhow::Error {
    Error::data(format!("no user with id {id} (deleted meanwhile)")).into()
}

/// Sessions and tokens revoked by a change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Revoked {
    pub sessions: usize,
    pub tokens: usize,
}

/// Revoke every active session and refresh token of a user.
fn revoke_credentials(
    conn: &mut DbConn,
    user_id: i64,
    reason: &str,
    now: UtcDateTime,
) -> diesel::QueryResult<Revoked> {
    Ok(Revoked {
        sessions: repo::login_sessions::invalidate_all_for_user(conn, user_id, Some(reason), now)?,
        tokens: repo::refresh_tokens::revoke_all_for_user(conn, user_id, Some(reason), now)?,
    })
}

/// The result of a state change ([`disable`], [`enable`], [`unlock`],
/// [`reset_password`]).
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The user after the change.
    pub user: User,
    /// False when the user already was in the requested state; nothing was written.
    pub changed: bool,
    pub revoked: Revoked,
}

impl Outcome {
    fn unchanged(user: User) -> Self {
        Outcome {
            user,
            changed: false,
            revoked: Revoked::default(),
        }
    }
}

/// Disable a user and revoke their active sessions and tokens, recording
/// `user.disable` with the reason and the counts. An already disabled user is
/// left alone.
pub fn disable(
    conn: &mut DbConn,
    user: &UserRef,
    reason: Option<&str>,
    actor: &str,
) -> anyhow::Result<Outcome> {
    conn.transaction(|conn| {
        let old = resolve_user_for_update(conn, user)?;
        if !old.is_active {
            return Ok(Outcome::unchanged(old));
        }
        let now = UtcDateTime::now();
        let revoke_reason = match reason {
            Some(r) => format!("user disabled: {r}"),
            None => "user disabled".to_owned(),
        };
        let revoked = revoke_credentials(conn, old.id, &revoke_reason, now)?;
        let user = repo::users::update(
            conn,
            old.id,
            &UserChanges {
                is_active: Some(false),
                disabled_at: Some(Some(now)),
                disabled_reason: Some(reason.map(str::to_owned)),
                ..Default::default()
            },
        )?
        .ok_or_else(|| gone(old.id))?;
        NewAuditEvent {
            actor,
            action: "user.disable",
            user_id: Some(user.id),
            detail: Some(json!({
                "email": user.email,
                "reason": reason,
                "sessions_revoked": revoked.sessions,
                "tokens_revoked": revoked.tokens,
            })),
            ip_address: None,
        }
        .append(conn)?;
        Ok(Outcome {
            user,
            changed: true,
            revoked,
        })
    })
}

/// Enable a disabled user (clearing the disable time and reason) and record
/// `user.enable`. An active user is left alone.
pub fn enable(conn: &mut DbConn, user: &UserRef, actor: &str) -> anyhow::Result<Outcome> {
    conn.transaction(|conn| {
        let old = resolve_user_for_update(conn, user)?;
        if old.is_active {
            return Ok(Outcome::unchanged(old));
        }
        let user = repo::users::update(
            conn,
            old.id,
            &UserChanges {
                is_active: Some(true),
                disabled_at: Some(None),
                disabled_reason: Some(None),
                ..Default::default()
            },
        )?
        .ok_or_else(|| gone(old.id))?;
        NewAuditEvent {
            actor,
            action: "user.enable",
            user_id: Some(user.id),
            detail: Some(json!({
                "email": user.email,
                "disabled_at": old.disabled_at,
                "disabled_reason": old.disabled_reason,
            })),
            ip_address: None,
        }
        .append(conn)?;
        Ok(Outcome {
            user,
            changed: true,
            revoked: Revoked::default(),
        })
    })
}

/// Clear a user's failed login attempts and lockout and record `user.unlock`. A
/// user with neither is left alone.
pub fn unlock(conn: &mut DbConn, user: &UserRef, actor: &str) -> anyhow::Result<Outcome> {
    conn.transaction(|conn| {
        let old = resolve_user_for_update(conn, user)?;
        if old.failed_login_count == 0 && old.locked_until.is_none() {
            return Ok(Outcome::unchanged(old));
        }
        let user = repo::users::update(
            conn,
            old.id,
            &UserChanges {
                failed_login_count: Some(0),
                locked_until: Some(None),
                ..Default::default()
            },
        )?
        .ok_or_else(|| gone(old.id))?;
        NewAuditEvent {
            actor,
            action: "user.unlock",
            user_id: Some(user.id),
            detail: Some(json!({
                "email": user.email,
                "failed_login_count": old.failed_login_count,
                "locked_until": old.locked_until,
            })),
            ip_address: None,
        }
        .append(conn)?;
        Ok(Outcome {
            user,
            changed: true,
            revoked: Revoked::default(),
        })
    })
}

/// What [`reset_password`] does besides storing the new hash.
#[derive(Debug, Clone, Copy)]
pub struct ResetOptions {
    /// Make the user choose a new password at the next login.
    pub must_change_password: bool,
    /// Revoke every active session and refresh token of the user.
    pub revoke_credentials: bool,
}

/// Store a new password for a user, clear the lockout, optionally revoke their
/// sessions and tokens, and record `user.reset_password`.
pub fn reset_password(
    conn: &mut DbConn,
    hasher: &PasswordHasher,
    user: &UserRef,
    password: NewPassword<'_>,
    options: ResetOptions,
    actor: &str,
) -> anyhow::Result<Outcome> {
    let hash = password.hash(hasher)?;
    conn.transaction(|conn| {
        let old = resolve_user_for_update(conn, user)?;
        let now = UtcDateTime::now();
        let user = repo::users::set_password(conn, old.id, &hash, options.must_change_password)?
            .ok_or_else(|| gone(old.id))?;
        let revoked = if options.revoke_credentials {
            revoke_credentials(conn, user.id, "password reset", now)?
        } else {
            Revoked::default()
        };
        NewAuditEvent {
            actor,
            action: "user.reset_password",
            user_id: Some(user.id),
            detail: Some(json!({
                "email": user.email,
                "password_generated": password.generated,
                "must_change_password": options.must_change_password,
                "sessions_kept": !options.revoke_credentials,
                "sessions_revoked": revoked.sessions,
                "tokens_revoked": revoked.tokens,
                "was_locked": old.locked_until.is_some_and(|t| t > now),
            })),
            ip_address: None,
        }
        .append(conn)?;
        Ok(Outcome {
            user,
            changed: true,
            revoked,
        })
    })
}

/// The result of [`delete`].
#[derive(Debug, Clone)]
pub struct Deleted {
    /// The user as it was just before the delete.
    pub user: User,
    /// Active sessions and tokens at the time (all of the user's sessions and
    /// tokens are deleted with it).
    pub active_sessions: i64,
    pub active_tokens: i64,
}

/// Delete a user; their sessions and tokens go with it. `user.delete` is recorded
/// first, in the same transaction, with the email and id in its detail: the
/// delete turns the event's `user_id` into NULL, and the detail keeps the history.
pub fn delete(conn: &mut DbConn, user: &UserRef, actor: &str) -> anyhow::Result<Deleted> {
    conn.transaction(|conn| {
        let user = resolve_user_for_update(conn, user)?;
        let now = UtcDateTime::now();
        let active_sessions = repo::login_sessions::count_active_for_user(conn, user.id, now)?;
        let active_tokens = repo::refresh_tokens::count_active_for_user(conn, user.id, now)?;
        NewAuditEvent {
            actor,
            action: "user.delete",
            user_id: Some(user.id),
            detail: Some(json!({
                "id": user.id,
                "email": user.email,
                "display_name": user.display_name,
                "role": user.role,
                "active_sessions": active_sessions,
                "active_tokens": active_tokens,
            })),
            ip_address: None,
        }
        .append(conn)?;
        if !repo::users::delete(conn, user.id)? {
            return Err(gone(user.id));
        }
        Ok(Deleted {
            user,
            active_sessions,
            active_tokens,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        for ok in ["user", "admin", "support-tier_2", &"a".repeat(64)] {
            assert_eq!(validate_role(ok).unwrap(), ok);
        }
        for bad in ["", "Admin", "a b", "rôle", "x;", &"a".repeat(65)] {
            let e = validate_role(bad).unwrap_err();
            assert!(e.message.contains("invalid role"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn display_names() {
        assert_eq!(
            validate_display_name("  Alice Smith ").unwrap(),
            "Alice Smith"
        );
        assert!(validate_display_name("   ").is_err());
        assert!(validate_display_name("a\nb").is_err());
        assert!(validate_display_name(&"x".repeat(201)).is_err());
    }

    #[test]
    fn updates() {
        let none = UserUpdate::new(None, None, false, None).unwrap_err();
        assert_eq!(none.kind, crate::error::ExitCode::Usage);
        let both = UserUpdate::new(None, Some("A"), true, None).unwrap_err();
        assert_eq!(both.kind, crate::error::ExitCode::Usage);
        let bad = UserUpdate::new(Some("nope"), None, false, None).unwrap_err();
        assert_eq!(bad.kind, crate::error::ExitCode::Data);
        let u = UserUpdate::new(Some("Bob@Example.com"), None, true, Some("admin")).unwrap();
        assert_eq!(u.email.as_deref(), Some("bob@example.com"));
        assert_eq!(u.display_name, Some(None));
    }
}
