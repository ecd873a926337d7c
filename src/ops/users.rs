//! What `authctl users` does: create, read, change, disable, enable, reset and
//! delete the application's users.
//!
//! Every change runs in one transaction together with its audit event, so either
//! both commit or neither does. Inputs are validated before anything is written and
//! every error names the value it rejected — never a password. Password hashing
//! (deliberately slow) happens before the transaction, so no write lock is held
//! while bcrypt or argon2 runs.
//!
//! The application has no status column: a user is disabled when its hash carries
//! [`crate::password::DISABLED_PREFIX`] (no verifier accepts it). `users enable`
//! restores the original hash, so the same password works again.

use anyhow::Context as _;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde_json::json;

use crate::db::{DbConn, UserId, UtcDateTime};
use crate::error::Error;
use crate::ops::pager::{self, Paging};
use crate::ops::{resolve_user, resolve_user_for_update};
use crate::parse::{Name, Reason, Role, UserRef};
use crate::password::{self, PasswordError, PasswordHasher, SchemeInfo};
use crate::repo::{self, AuditAction, AuditEvent, AuditFilter, NewAuditEvent, UserChanges};
use crate::secret::Secret;

pub use crate::repo::users::DEFAULT_ROLE;
pub use crate::repo::{User, UserFilter, UserStatus};

pub use crate::parse::{NAME_MAX_LEN, REASON_MAX_LEN};
/// Rows per query when streaming a whole listing ([`list`] with `all`).
pub const PAGE_SIZE: i64 = 1000;
/// How many audit events [`details`] returns.
pub const RECENT_EVENTS: i64 = 10;

/// A user to create, validated: normalized email, checked name and role.
#[derive(Debug, Clone)]
pub struct NewAccount {
    email: String,
    name: Option<Name>,
    role: Role,
    verified: bool,
}

impl NewAccount {
    /// A new user: `email` is normalized; `role` `None` means [`Role::DEFAULT`];
    /// `verified` marks the email verified now.
    pub fn new(
        email: &str,
        name: Option<Name>,
        role: Option<Role>,
        verified: bool,
    ) -> Result<Self, Error> {
        Ok(NewAccount {
            email: crate::email::normalize(email)?,
            name,
            role: role.unwrap_or(Role::DEFAULT),
            verified,
        })
    }

    /// The normalized email address.
    pub fn email(&self) -> &str {
        &self.email
    }

    /// Where an existing user with this email differs from this request: its role
    /// (the requested one, or the default `user`), and the name and email
    /// verification when the request gives them, and its status when it is disabled
    /// (a create asks for an account that can log in). Never a secret.
    pub fn differences(&self, existing: &User) -> Vec<Difference> {
        let mut d = Vec::new();
        if existing.role() != self.role.as_str() {
            d.push(Difference {
                field: "role",
                existing: existing.role().to_owned(),
                requested: self.role.to_string(),
            });
        }
        if let Some(name) = self
            .name
            .as_ref()
            .filter(|n| existing.name.as_deref() != Some(n.as_str()))
        {
            d.push(Difference {
                field: "name",
                existing: existing.name.clone().unwrap_or_else(|| "(none)".into()),
                requested: name.as_str().to_owned(),
            });
        }
        if self.verified && !existing.email_verified.unwrap_or(false) {
            d.push(Difference {
                field: "email_verified",
                existing: "false".into(),
                requested: "true".into(),
            });
        }
        // A create asks for an account that can log in: a disabled one cannot.
        if crate::password::is_disabled(&existing.password_hash) {
            d.push(Difference {
                field: "status",
                existing: "disabled".into(),
                requested: "enabled".into(),
            });
        }
        d
    }
}

/// A field where an existing user differs from a `users create` request
/// ([`NewAccount::differences`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub field: &'static str,
    pub existing: String,
    pub requested: String,
}

/// What a change does to an admin, for the last-admin guard's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminChange {
    Delete,
    Disable,
    Demote,
}

/// An admin who can log in (role admin, hash not disabled): whom the last-admin
/// guard counts.
pub fn is_enabled_admin(u: &User) -> bool {
    u.role() == repo::users::ADMIN_ROLE && !password::is_disabled(&u.password_hash)
}

/// Before locking the target: when it is an admin, lock every admin row first (in
/// id order), so concurrent changes to two admins queue on the same rows instead
/// of each holding its own and waiting for the other's. Returns the locked admins
/// for [`guard_last_admin`] (`None` when the target was no admin).
fn lock_admins_first(conn: &mut DbConn, user: &UserRef) -> anyhow::Result<Option<Vec<User>>> {
    if resolve_user(conn, user)?.role() == repo::users::ADMIN_ROLE {
        return Ok(Some(
            repo::users::lock_admins(conn).context("failed to lock the admin users")?,
        ));
    }
    Ok(None)
}

/// An audit detail, plus `"left_no_admin": true` when the change left no enabled
/// admin (with `--allow-no-admin`).
fn with_left_no_admin(mut detail: serde_json::Value, left_no_admin: bool) -> serde_json::Value {
    if left_no_admin && let Some(o) = detail.as_object_mut() {
        o.insert("left_no_admin".into(), json!(true));
    }
    detail
}

/// The last-admin guard: refuse (a data error) to delete, disable or demote
/// `target` when it is the last enabled admin, unless `allow_no_admin`. Inside the
/// change's transaction, with the admin rows locked ([`repo::users::lock_admins`];
/// `locked` when the caller already holds them), so two concurrent changes cannot
/// both pass. Returns whether the change leaves no enabled admin (allowed by the
/// flag; recorded in the audit event).
pub fn guard_last_admin(
    conn: &mut DbConn,
    target: &User,
    locked: Option<Vec<User>>,
    change: AdminChange,
    allow_no_admin: bool,
) -> anyhow::Result<bool> {
    if !is_enabled_admin(target) {
        return Ok(false);
    }
    let admins = match locked {
        Some(admins) => admins,
        None => repo::users::lock_admins(conn).context("failed to lock the admin users")?,
    };
    let others = admins
        .iter()
        .filter(|u| u.id != target.id && is_enabled_admin(u))
        .count();
    if others > 0 {
        return Ok(false);
    }
    if allow_no_admin {
        return Ok(true);
    }
    let verb = match change {
        AdminChange::Delete => "delete",
        AdminChange::Disable => "disable",
        AdminChange::Demote => "change the role of",
    };
    Err(Error::data(format!(
        "refusing to {verb} {}: it is the last enabled admin (no other user with role admin can log in); \
         nothing was changed — make another user admin first, or pass --allow-no-admin to do it anyway",
        crate::email::terminal_safe(&target.email)
    ))
    .into())
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
    /// The hash of the exact UTF-8 bytes under the configured scheme. A password
    /// bcrypt cannot hash faithfully (over 72 bytes) is a data error.
    fn hash(&self, hasher: &PasswordHasher) -> anyhow::Result<String> {
        hasher
            .hash(self.secret.expose().as_bytes())
            .map_err(|e| match e {
                PasswordError::TooLongForBcrypt(_) => {
                    Error::data(format!("password rejected: {e}")).into()
                }
                e => anyhow::anyhow!("cannot hash the password: {e}"),
            })
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

fn duplicate_email(email: &str, existing_id: Option<UserId>) -> Error {
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

/// Before asking for a password: is `email` (normalized) free, in any letter
/// case? `Ok(None)` when it is; `Ok(Some(user))` when it is taken and
/// `if_not_exists` is set; otherwise the duplicate error. Several users with it in
/// different cases are a data error naming their ids, `if_not_exists` or not.
pub fn check_email_free(
    conn: &mut DbConn,
    email: &str,
    if_not_exists: bool,
) -> anyhow::Result<Option<User>> {
    let found = repo::users::find_by_email(conn, email)
        .with_context(|| format!("failed to look up user {email}"))?;
    match found {
        None => Ok(None),
        Some(user) if if_not_exists => Ok(Some(user)),
        Some(user) => Err(duplicate_email(email, Some(user.id)).into()),
    }
}

/// Why an insert or update transaction failed.
enum WriteError {
    /// The email is taken (found first, or a concurrent writer won the race).
    Duplicate(Option<UserId>),
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

impl From<repo::users::FindByEmailError> for WriteError {
    fn from(e: repo::users::FindByEmailError) -> Self {
        match e {
            repo::users::FindByEmailError::Db(e) => e.into(),
            e => WriteError::Other(e.into()),
        }
    }
}

impl From<anyhow::Error> for WriteError {
    fn from(e: anyhow::Error) -> Self {
        WriteError::Other(e)
    }
}

impl crate::db::TxError for WriteError {
    fn diesel(&self) -> Option<&DieselError> {
        match self {
            WriteError::Duplicate(_) => None,
            WriteError::Other(e) => e.diesel(),
        }
    }
    fn explained(self, note: String) -> Self {
        match self {
            WriteError::Other(e) => WriteError::Other(e.explained(note)),
            other => other,
        }
    }
}

/// Create a user with `password` and record `user.create`: a new uuid v4 id, the
/// role, `email_verified` (with `email_verified_at` = `created_at` = the
/// database's time when `verified`). An
/// existing email is a data error, or with `if_not_exists` returns
/// [`CreateOutcome::Existed`] and writes nothing. Safe against concurrent creates
/// of the same email: exactly one wins, the other sees the duplicate.
///
/// `deliver` runs inside the transaction, after the change and its audit event and
/// before the commit: a caller that must hand out a one-time secret (a generated
/// password) writes it there, and when that fails nothing is committed.
pub fn create(
    conn: &mut DbConn,
    hasher: &PasswordHasher,
    account: &NewAccount,
    password: NewPassword<'_>,
    if_not_exists: bool,
    actor: &str,
    deliver: &mut dyn FnMut(&User) -> anyhow::Result<()>,
) -> anyhow::Result<CreateOutcome> {
    let hash = password.hash(hasher)?;
    let result = conn.transaction(|conn| -> Result<User, WriteError> {
        if let Some(existing) = repo::users::find_by_email(conn, &account.email)? {
            return Err(WriteError::Duplicate(Some(existing.id)));
        }
        let mut new = repo::NewUser::new(&account.email, &hash);
        // The database's clock, like every time the application judges by.
        let now = crate::db::clock::now(conn)?;
        (new.created_at, new.updated_at) = (now, now);
        new.name = account.name.as_ref().map(Name::as_str);
        new.role = account.role.as_str();
        new.email_verified = account.verified;
        new.email_verified_at = account.verified.then_some(new.created_at);
        let user = new.insert(conn)?;
        NewAuditEvent {
            actor,
            action: AuditAction::UserCreate,
            user_id: Some(user.id),
            user_email: Some(&user.email),
            detail: Some(json!({
                "name": user.name,
                "role": user.role(),
                "email_verified": account.verified,
                "password_generated": password.generated,
                "password_scheme": password::describe(&user.password_hash).scheme,
            })),
        }
        .append(conn)?;
        deliver(&user).map_err(WriteError::Other)?;
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

/// List users matching `filter` (ordered by email, from `filter.after_email`)
/// through the [pager](crate::ops::pager::walk): one page of `paging.limit`, or
/// with `paging.all` every row in pages of [`PAGE_SIZE`]; `filter.limit` is not
/// used. Each page goes to `each` outside its read transaction. Returns the email
/// to continue after when more rows follow the page shown.
pub fn list(
    conn: &mut DbConn,
    filter: &UserFilter,
    paging: Paging,
    each: impl FnMut(&[User]) -> anyhow::Result<()>,
) -> anyhow::Result<Option<String>> {
    let mut filter = filter.clone();
    let start = filter.after_email.take();
    pager::walk(
        conn,
        paging,
        PAGE_SIZE,
        start,
        |c, after, limit| {
            filter.after_email = after.cloned();
            filter.limit = limit;
            repo::users::list(c, &filter).context("failed to list users")
        },
        |u| u.email.clone(),
        each,
    )
}

/// A user named by id or email, read in a short read transaction of its own (for
/// a command that must know the user before it asks for anything, e.g. a new
/// password checked against the email).
pub fn find(conn: &mut DbConn, user: &UserRef) -> anyhow::Result<User> {
    conn.read(|c| resolve_user(c, user))
}

/// Everything `users show` reports about one user.
#[derive(Debug, Clone)]
pub struct UserDetails {
    pub user: User,
    /// The stored hash's scheme and cost, and whether it is below the weakest the
    /// policy accepts (never the hash itself).
    pub hash: SchemeInfo,
    pub active_sessions: i64,
    pub active_tokens: i64,
    /// The latest [`RECENT_EVENTS`] audit events about the user (by id, or by its
    /// current email), newest first.
    pub recent_events: Vec<AuditEvent>,
}

/// Read a user with its hash scheme, active credential counts and latest audit
/// events, in one short snapshot read (one consistent view), active counts by the
/// database's clock.
pub fn details(conn: &mut DbConn, user: &UserRef) -> anyhow::Result<UserDetails> {
    conn.snapshot_read(|c| {
        let now = crate::db::clock::now(c)?;
        read_details(c, user, now)
    })
}

fn read_details(
    conn: &mut DbConn,
    user: &UserRef,
    now: UtcDateTime,
) -> anyhow::Result<UserDetails> {
    let user = resolve_user(conn, user)?;
    let hash = password::describe(&user.password_hash);
    let active_sessions = repo::login_sessions::count_active_for_user(conn, user.id, now)?;
    let active_tokens = repo::refresh_tokens::count_for_user(conn, user.id, now)?;
    let recent_events = repo::audit_events::list(
        conn,
        &AuditFilter {
            user_id: Some(user.id),
            user_email: Some(user.email.clone()),
            email_of_deleted_only: true,
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
    name: Option<Option<String>>,
    role: Option<Role>,
    verified: Option<bool>,
}

impl UserUpdate {
    /// Validate the requested changes: a new email (normalized), a new name or
    /// `clear_name`, a new role, the email marked verified or unverified. Asking
    /// for nothing is a usage error.
    pub fn new(
        email: Option<&str>,
        name: Option<Name>,
        clear_name: bool,
        role: Option<Role>,
        verified: Option<bool>,
    ) -> Result<Self, Error> {
        if email.is_none() && name.is_none() && !clear_name && role.is_none() && verified.is_none()
        {
            return Err(Error::usage(
                "nothing to change: give --email, --name, --clear-name, --role, --verified or --unverified",
            ));
        }
        if name.is_some() && clear_name {
            return Err(Error::usage("give either --name or --clear-name, not both"));
        }
        Ok(UserUpdate {
            email: email.map(crate::email::normalize).transpose()?,
            name: if clear_name {
                Some(None)
            } else {
                name.map(|n| Some(n.as_str().to_owned()))
            },
            role,
            verified,
        })
    }
}

/// The result of [`update`].
#[derive(Debug, Clone)]
pub struct Updated {
    /// The user after the change.
    pub user: User,
    /// Names of the fields that changed (`email`, `name`, `role`,
    /// `email_verified`); empty when every requested value was already set, in
    /// which case nothing was written.
    pub changed: Vec<&'static str>,
}

/// Apply `changes` to a user and record `user.update` with old and new values. A
/// new email already used by another user is a data error; a new email clears a
/// pending password reset (its link went to the old address).
///
/// Changing the role of the last enabled admin is refused unless
/// `allow_no_admin` ([`guard_last_admin`]).
pub fn update(
    conn: &mut DbConn,
    user: &UserRef,
    changes: &UserUpdate,
    allow_no_admin: bool,
    actor: &str,
) -> anyhow::Result<Updated> {
    let demotes = changes
        .role
        .is_some_and(|r| r.as_str() != repo::users::ADMIN_ROLE);
    let result = conn.transaction(|conn| -> Result<Updated, WriteError> {
        let mut admins = if demotes {
            lock_admins_first(conn, user)?
        } else {
            None
        };
        let old = resolve_user_for_update(conn, user)?;
        let mut set = UserChanges::default();
        let mut detail = serde_json::Map::new();
        let mut changed = Vec::new();
        if let Some(email) = changes.email.as_ref().filter(|e| **e != old.email) {
            // Taken in any letter case by another user (a change of case alone is
            // the user's own address).
            let other = repo::users::find_all_by_email(conn, email)?
                .into_iter()
                .find(|u| u.id != old.id);
            if let Some(other) = other {
                return Err(WriteError::Duplicate(Some(other.id)));
            }
            detail.insert("email".into(), json!({ "old": old.email, "new": email }));
            set.email = Some(email.clone());
            changed.push("email");
            // A reset link already sent to the old address must not outlive it.
            if old.reset_token.is_some() {
                set.reset_token = Some(None);
                set.reset_token_expires = Some(None);
                detail.insert("reset_token_cleared".into(), json!(true));
            }
        }
        if let Some(name) = changes.name.as_ref().filter(|n| **n != old.name) {
            detail.insert("name".into(), json!({ "old": old.name, "new": name }));
            set.name = Some(name.clone());
            changed.push("name");
        }
        // A NULL role is the application's default: setting `user` on it changes
        // nothing the application sees, but makes the column explicit.
        if let Some(role) = changes
            .role
            .map(Role::as_str)
            .filter(|r| old.role.as_deref() != Some(*r))
        {
            if guard_last_admin(
                conn,
                &old,
                admins.take(),
                AdminChange::Demote,
                allow_no_admin,
            )? {
                detail.insert("left_no_admin".into(), json!(true));
            }
            detail.insert("role".into(), json!({ "old": old.role, "new": role }));
            set.role = Some(role.to_owned());
            changed.push("role");
        }
        let was_verified = old.email_verified.unwrap_or(false);
        if let Some(verified) = changes.verified.filter(|v| *v != was_verified) {
            detail.insert(
                "email_verified".into(),
                json!({ "old": was_verified, "new": verified }),
            );
            set.email_verified = Some(verified);
            let now = crate::db::clock::now(conn)?;
            set.email_verified_at = Some(verified.then_some(now));
            changed.push("email_verified");
        }
        if changed.is_empty() {
            return Ok(Updated { user: old, changed });
        }
        let user = repo::users::update(conn, old.id, &set)?.ok_or_else(|| gone(old.id))?;
        NewAuditEvent {
            actor,
            action: AuditAction::UserUpdate,
            user_id: Some(user.id),
            user_email: Some(&user.email),
            detail: Some(detail.into()),
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
fn gone(id: UserId) -> anyhow::Error {
    Error::data(format!("no user with id {id} (deleted meanwhile)")).into()
}

/// Sessions and tokens ended by a change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Revoked {
    /// Login sessions set inactive.
    pub sessions: usize,
    /// Refresh tokens revoked.
    pub tokens: usize,
}

/// Revoke every unrevoked refresh token and deactivate every active login session
/// of a user whose row the caller has locked — what the application's
/// logout-everywhere does, expired rows included — through the same
/// implementation as `tokens revoke --user` ([`credentials::revoke_all`]).
/// Store `hash` for `old`, clear its password-reset token and revoke every token
/// and session it has: what a disable and a password reset both do.
fn replace_hash_and_revoke(
    conn: &mut DbConn,
    old: &User,
    hash: String,
    now: UtcDateTime,
) -> anyhow::Result<(User, Revoked)> {
    let user = repo::users::update(
        conn,
        old.id,
        &UserChanges {
            password_hash: Some(hash),
            reset_token: Some(None),
            reset_token_expires: Some(None),
            ..Default::default()
        },
    )
    .with_context(|| format!("failed to update user {}", old.id))?
    .ok_or_else(|| gone(old.id))?;
    let revoked = revoke_credentials(conn, user.id, now)?;
    Ok((user, revoked))
}

fn revoke_credentials(
    conn: &mut DbConn,
    user_id: UserId,
    now: UtcDateTime,
) -> anyhow::Result<Revoked> {
    use crate::ops::credentials::{self, Sessions, Tokens, Unrevoked};
    let all = Unrevoked::All;
    Ok(Revoked {
        tokens: credentials::revoke_all::<Tokens>(conn, Some(user_id), all, now, |_| {})?.len(),
        sessions: credentials::revoke_all::<Sessions>(conn, Some(user_id), all, now, |_| {})?.len(),
    })
}

/// The result of a state change ([`disable`], [`enable`], [`reset_password`]).
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

/// Length of the application's `users.password_hash` column (`varchar(255)`).
pub const PASSWORD_HASH_MAX_LEN: usize = 255;

/// Disable a user: keep its hash behind [`password::DISABLED_PREFIX`] (so no
/// password verifies), clear a pending reset token, revoke its refresh tokens,
/// deactivate its login sessions, and record `user.disable` with the reason and
/// the counts. An already disabled user is left alone. Disabling the last enabled
/// admin is refused unless `allow_no_admin` ([`guard_last_admin`]).
pub fn disable(
    conn: &mut DbConn,
    user: &UserRef,
    reason: Option<&Reason>,
    allow_no_admin: bool,
    actor: &str,
) -> anyhow::Result<Outcome> {
    conn.transaction(|conn| {
        let admins = lock_admins_first(conn, user)?;
        let old = resolve_user_for_update(conn, user)?;
        if password::is_disabled(&old.password_hash) {
            return Ok(Outcome::unchanged(old));
        }
        let left_no_admin =
            guard_last_admin(conn, &old, admins, AdminChange::Disable, allow_no_admin)?;
        check_room_for_marker(&old)?;
        disable_locked(conn, old, reason, left_no_admin, actor)
    })
}

/// The application's column is varchar(255): a hash that long leaves no room for
/// the disabled marker (real bcrypt and argon2 hashes are 60 to ~100 characters),
/// so such a user cannot be disabled (a data error saying what to do).
pub fn check_room_for_marker(user: &User) -> Result<(), Error> {
    let len = user.password_hash.chars().count();
    if len >= PASSWORD_HASH_MAX_LEN {
        return Err(Error::data(format!(
            "cannot disable {}: its stored password hash is {len} characters, no room for the disabled marker \
             (the column holds {PASSWORD_HASH_MAX_LEN}); reset its password first (authctl users reset-password)",
            crate::email::terminal_safe(&user.email),
        )));
    }
    Ok(())
}

/// The change of [`disable`] on an enabled user whose row (and, for an admin, the
/// admin rows) this transaction has locked and checked — the last-admin guard
/// passed (`left_no_admin` when it passed by override), the hash has room for the
/// marker: the one way every disable is done (`users disable USER` and the bulk
/// `users disable --inactive`).
pub fn disable_locked(
    conn: &mut DbConn,
    old: User,
    reason: Option<&Reason>,
    left_no_admin: bool,
    actor: &str,
) -> anyhow::Result<Outcome> {
    let now = crate::db::clock::now(conn)?;
    let (user, revoked) =
        replace_hash_and_revoke(conn, &old, password::disable(&old.password_hash), now)?;
    NewAuditEvent {
        actor,
        action: AuditAction::UserDisable,
        user_id: Some(user.id),
        user_email: Some(&user.email),
        detail: Some(json!({
            "reason": reason,
            "sessions_invalidated": revoked.sessions,
            "tokens_revoked": revoked.tokens,
            "reset_token_cleared": old.reset_token.is_some(),
        }))
        .map(|d| with_left_no_admin(d, left_no_admin)),
    }
    .append(conn)?;
    Ok(Outcome {
        user,
        changed: true,
        revoked,
    })
}

/// Enable a disabled user by restoring the hash it had (the same password works
/// again) and record `user.enable`. An active user is left alone.
pub fn enable(conn: &mut DbConn, user: &UserRef, actor: &str) -> anyhow::Result<Outcome> {
    conn.transaction(|conn| {
        let old = resolve_user_for_update(conn, user)?;
        if !password::is_disabled(&old.password_hash) {
            return Ok(Outcome::unchanged(old));
        }
        if !password::restorable(&old.password_hash) {
            return Err(Error::data(format!(
                "user {} has no previous password to restore (nothing but the disabled marker \
                 `!` is stored); nothing changed. Set one with `authctl users \
                 reset-password {}` (the user stays disabled), then enable it",
                old.email, old.email
            ))
            .into());
        }
        let user = repo::users::update(
            conn,
            old.id,
            &UserChanges {
                password_hash: Some(password::enabled_form(&old.password_hash).to_owned()),
                ..Default::default()
            },
        )
        .with_context(|| format!("failed to update user {}", old.id))?
        .ok_or_else(|| gone(old.id))?;
        NewAuditEvent {
            actor,
            action: AuditAction::UserEnable,
            user_id: Some(user.id),
            user_email: Some(&user.email),
            detail: None,
        }
        .append(conn)?;
        Ok(Outcome {
            user,
            changed: true,
            revoked: Revoked::default(),
        })
    })
}

/// Store a new password for a user (a disabled user stays disabled: its new hash
/// is stored in the disabled form), clear a pending reset token, revoke its
/// refresh tokens, deactivate its login sessions, and record
/// `user.reset_password`.
///
/// `deliver` runs before the commit, as in [`create`].
pub fn reset_password(
    conn: &mut DbConn,
    hasher: &PasswordHasher,
    user: &UserRef,
    password: NewPassword<'_>,
    actor: &str,
    deliver: &mut dyn FnMut(&Outcome) -> anyhow::Result<()>,
) -> anyhow::Result<Outcome> {
    let hash = password.hash(hasher)?;
    conn.transaction(|conn| {
        reset_password_tx(conn, &hash, user, &password, actor, deliver).map_err(|e| {
            super::nothing_changed_if_lost(
                e,
                "`users reset-password`: the password was NOT changed (no token revoked, no \
                 session ended, no audit event)",
            )
        })
    })
}

/// [`reset_password`]'s transaction.
fn reset_password_tx(
    conn: &mut DbConn,
    hash: &str,
    user: &UserRef,
    password: &NewPassword<'_>,
    actor: &str,
    deliver: &mut dyn FnMut(&Outcome) -> anyhow::Result<()>,
) -> anyhow::Result<Outcome> {
    let old = resolve_user_for_update(conn, user)?;
    let now = crate::db::clock::now(conn)?;
    let disabled = password::is_disabled(&old.password_hash);
    let stored = if disabled {
        password::disable(hash)
    } else {
        hash.to_owned()
    };
    let (user, revoked) = replace_hash_and_revoke(conn, &old, stored, now)?;
    NewAuditEvent {
        actor,
        action: AuditAction::UserResetPassword,
        user_id: Some(user.id),
        user_email: Some(&user.email),
        detail: Some(json!({
            "password_generated": password.generated,
            "password_scheme": password::describe(hash).scheme,
            "still_disabled": disabled,
            "sessions_invalidated": revoked.sessions,
            "tokens_revoked": revoked.tokens,
            "reset_token_cleared": old.reset_token.is_some(),
        })),
    }
    .append(conn)?;
    let outcome = Outcome {
        user,
        changed: true,
        revoked,
    };
    deliver(&outcome)?;
    Ok(outcome)
}

/// Before asking to delete a user: find it and refuse (as [`delete`] would) when
/// it is the last enabled admin, unless `allow_no_admin`. [`delete`] checks again
/// under its lock.
pub fn check_delete(
    conn: &mut DbConn,
    user: &UserRef,
    allow_no_admin: bool,
) -> anyhow::Result<User> {
    let target = find(conn, user)?;
    conn.transaction(|conn| {
        guard_last_admin(conn, &target, None, AdminChange::Delete, allow_no_admin)
    })?;
    Ok(target)
}

/// The result of [`delete`].
#[derive(Debug, Clone)]
pub struct Deleted {
    /// The user as it was just before the delete.
    pub user: User,
    /// Active sessions and tokens at the time (all of the user's sessions, tokens
    /// and auth attempts are deleted with it by the application's cascades).
    pub active_sessions: i64,
    pub active_tokens: i64,
}

/// Delete a user; its sessions, tokens and auth attempts go with it. `user.delete`
/// is recorded first, in the same transaction, with the email in `user_email`: the
/// delete turns the event's `user_id` into NULL, and the email keeps the history
/// findable (`audit list --user EMAIL`). Deleting the last enabled admin is
/// refused unless `allow_no_admin` ([`guard_last_admin`]).
pub fn delete(
    conn: &mut DbConn,
    user: &UserRef,
    allow_no_admin: bool,
    actor: &str,
) -> anyhow::Result<Deleted> {
    conn.transaction(|conn| {
        let admins = lock_admins_first(conn, user)?;
        let user = resolve_user_for_update(conn, user)?;
        let left_no_admin =
            guard_last_admin(conn, &user, admins, AdminChange::Delete, allow_no_admin)?;
        let now = crate::db::clock::now(conn)?;
        let active_sessions = repo::login_sessions::count_active_for_user(conn, user.id, now)
            .with_context(|| format!("failed to count the sessions of {}", user.id))?;
        let active_tokens = repo::refresh_tokens::count_for_user(conn, user.id, now)
            .with_context(|| format!("failed to count the refresh tokens of {}", user.id))?;
        NewAuditEvent {
            actor,
            action: AuditAction::UserDelete,
            user_id: Some(user.id),
            user_email: Some(&user.email),
            detail: Some(json!({
                "id": user.id,
                "name": user.name,
                "role": user.role(),
                "active_sessions": active_sessions,
                "active_tokens": active_tokens,
            }))
            .map(|d| with_left_no_admin(d, left_no_admin)),
        }
        .append(conn)?;
        let deleted = repo::users::delete(conn, user.id)
            .with_context(|| format!("failed to delete user {}", user.id))?;
        if !deleted {
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
    fn updates() {
        let none = UserUpdate::new(None, None, false, None, None).unwrap_err();
        assert_eq!(none.kind, crate::error::ExitCode::Usage);
        let both =
            UserUpdate::new(None, Some(Name::parse("A").unwrap()), true, None, None).unwrap_err();
        assert_eq!(both.kind, crate::error::ExitCode::Usage);
        let bad = UserUpdate::new(Some("nope"), None, false, None, None).unwrap_err();
        assert_eq!(bad.kind, crate::error::ExitCode::Data);
        let admin = Role::parse("admin").unwrap();
        let u = UserUpdate::new(Some("Bob@Example.com"), None, true, Some(admin), None).unwrap();
        assert_eq!(u.email.as_deref(), Some("bob@example.com"));
        assert_eq!(u.name, Some(None));
        let v = UserUpdate::new(None, None, false, None, Some(true)).unwrap();
        assert_eq!(v.verified, Some(true));
    }
}
