//! The repositories as a Rust service would use them (users, refresh tokens, login
//! sessions, plus authctl's audit trail): each test runs once on SQLite and once on
//! PostgreSQL (`per_backend!`), on a fresh database migrated to the application's
//! schema (`users`, `refresh_tokens`, `login_sessions`, `auth_attempts`,
//! `device_fingerprints`) and `authctl_audit_events`.
//!
//! Validity is the application's rule throughout: a refresh token is usable while
//! `is_revoked = false AND expires_at > now`, a session while `is_active = true AND
//! expires_at > now` (a NULL flag counts as not usable).

use crate::common;

use std::collections::BTreeSet;
use std::sync::{Barrier, OnceLock};
use std::time::{Duration, Instant};

use authctl::db::pool::build_pool;
use authctl::db::{
    self, ConnectOptions, DatabaseTarget, DbConn, Inet, RefreshTokenId, SessionId, SessionToken,
    UserId, UtcDateTime,
};
use authctl::error::{ExitCode, classify_diesel};
use authctl::password::{self, HashParams, HashPolicy, PasswordError, PasswordHasher};
use authctl::repo::users::VerifyError;
use authctl::repo::{
    self, AuditAction, AuditEvent, AuditFilter, CredentialState, LoginSession, NewAuditEvent,
    NewRefreshToken, NewSession, NewUser, RefreshToken, SessionChanges, User, UserChanges,
    UserFilter, UserStatus,
};
use authctl::schema;
use authctl::with_conn;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde_json::json;

use crate::common::TestDb;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const PASSWORD: &[u8] = b"correct horse battery staple";
const OTHER_PASSWORD: &[u8] = b"a new and better passphrase";

/// bcrypt `$2b$` at cost 10 (the application's own cost; the fastest authctl allows).
fn bcrypt_hasher() -> PasswordHasher {
    PasswordHasher::new(HashPolicy::Bcrypt { cost: 10 }).expect("bcrypt policy")
}

/// argon2id at the OWASP minimum.
fn argon2_hasher() -> PasswordHasher {
    PasswordHasher::new(HashPolicy::Argon2id(HashParams::OWASP_MINIMUM)).expect("argon2 policy")
}

/// One real bcrypt hash of [`PASSWORD`], computed once and shared by most users.
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| bcrypt_hasher().hash(PASSWORD).expect("bcrypt hash"))
}

/// One real argon2id hash of [`OTHER_PASSWORD`].
fn argon2_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| argon2_hasher().hash(OTHER_PASSWORD).expect("argon2 hash"))
}

fn now() -> UtcDateTime {
    UtcDateTime::now()
}

fn micros(n: i64) -> chrono::Duration {
    chrono::Duration::microseconds(n)
}

fn secs(n: i64) -> chrono::Duration {
    chrono::Duration::seconds(n)
}

fn mins(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

fn hours(n: i64) -> chrono::Duration {
    chrono::Duration::hours(n)
}

fn days(n: i64) -> chrono::Duration {
    chrono::Duration::days(n)
}

/// A fixed instant (RFC 3339 or SQLite text).
fn at(text: &str) -> UtcDateTime {
    UtcDateTime::parse_text(text).expect("valid test timestamp")
}

/// Make sure the next `UtcDateTime::now()` (and the database's clock) is strictly
/// later than `t`.
fn tick_after(t: UtcDateTime) {
    while now() <= t + chrono::Duration::milliseconds(2) {
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// `t` was set by the database or the library between `before` and `after`. The
/// lower bound allows 2 ms because SQLite's `strftime('%f')` (used by the
/// application's triggers in the SQLite schema) keeps only milliseconds.
#[track_caller]
fn assert_between(t: UtcDateTime, before: UtcDateTime, after: UtcDateTime, what: &str) {
    assert!(
        t >= before - chrono::Duration::milliseconds(2) && t <= after,
        "{what}: {t} not within [{before}, {after}]"
    );
}

/// A time literal for raw SQL on this backend (canonical UTC text on SQLite).
fn sql_time(db: &TestDb, t: UtcDateTime) -> String {
    if db.is_postgres() {
        format!("'{}'::timestamptz", t.to_rfc3339())
    } else {
        format!("'{}'", t.to_sqlite_text())
    }
}

fn n(db: &TestDb, sql: &str) -> i64 {
    common::count(db, sql)
}

fn is_kind(e: &DieselError, kind: DatabaseErrorKind) -> bool {
    matches!(e, DieselError::DatabaseError(k, _) if std::mem::discriminant(k) == std::mem::discriminant(&kind))
}

fn add_user(conn: &mut DbConn, email: &str) -> User {
    NewUser::new(email, password_hash())
        .insert(conn)
        .unwrap_or_else(|e| panic!("insert {email}: {e}"))
}

/// A refresh-token value as the client holds it (the application stores a JWT;
/// any text of at least 32 characters).
fn raw_token() -> String {
    format!(
        "eyJhbGciOiJIUzI1NiJ9.{}.{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

fn add_token(conn: &mut DbConn, user_id: UserId, expires_at: UtcDateTime) -> RefreshToken {
    let raw = raw_token();
    repo::refresh_tokens::create(conn, &NewRefreshToken::new(user_id, &raw, expires_at))
        .expect("create refresh token")
}

fn add_token_created(
    conn: &mut DbConn,
    user_id: UserId,
    created_at: UtcDateTime,
    expires_at: UtcDateTime,
) -> RefreshToken {
    let raw = raw_token();
    let mut new = NewRefreshToken::new(user_id, &raw, expires_at);
    new.created_at = created_at;
    repo::refresh_tokens::create(conn, &new).expect("create refresh token")
}

fn add_session(conn: &mut DbConn, user_id: UserId, ttl: chrono::Duration) -> LoginSession {
    repo::login_sessions::create(conn, &NewSession::new(user_id, ttl)).expect("create session")
}

/// An active session created (and last active) at `created_at`, expiring at
/// `expires_at` (the schema requires `expires_at > created_at`).
fn add_session_between(
    conn: &mut DbConn,
    user_id: UserId,
    created_at: UtcDateTime,
    expires_at: UtcDateTime,
) -> LoginSession {
    let mut new = NewSession::new(user_id, hours(1));
    new.created_at = created_at;
    new.last_activity_at = created_at;
    new.expires_at = expires_at;
    repo::login_sessions::create(conn, &new).expect("create session")
}

/// An inactive session last active at `last_activity_at`.
fn add_inactive_session(
    conn: &mut DbConn,
    user_id: UserId,
    last_activity_at: UtcDateTime,
    expires_at: UtcDateTime,
) -> LoginSession {
    let mut new = NewSession::new(user_id, hours(1));
    new.created_at = last_activity_at - hours(1);
    new.last_activity_at = last_activity_at;
    new.expires_at = expires_at;
    new.is_active = false;
    repo::login_sessions::create(conn, &new).expect("create inactive session")
}

fn token(conn: &mut DbConn, id: RefreshTokenId) -> RefreshToken {
    repo::refresh_tokens::find(conn, id)
        .expect("find token")
        .expect("token exists")
}

fn session(conn: &mut DbConn, id: SessionId) -> LoginSession {
    repo::login_sessions::find(conn, id)
        .expect("find session")
        .expect("session exists")
}

fn user(conn: &mut DbConn, id: UserId) -> User {
    repo::users::find(conn, id)
        .expect("find user")
        .expect("user exists")
}

fn token_ids(rows: &[RefreshToken]) -> Vec<RefreshTokenId> {
    rows.iter().map(|t| t.id).collect()
}

fn session_ids(rows: &[LoginSession]) -> Vec<SessionId> {
    rows.iter().map(|s| s.session_id).collect()
}

fn emails_of(rows: &[User]) -> Vec<String> {
    rows.iter().map(|u| u.email.clone()).collect()
}

fn event_ids(rows: &[AuditEvent]) -> Vec<i64> {
    rows.iter().map(|e| e.id).collect()
}

fn list_users(conn: &mut DbConn, filter: UserFilter) -> Vec<User> {
    repo::users::list(conn, &filter).expect("list users")
}

fn list_events(conn: &mut DbConn, filter: AuditFilter) -> Vec<AuditEvent> {
    repo::audit_events::list(conn, &filter).expect("list audit events")
}

/// The ids left in a table, as text.
fn ids_in(db: &TestDb, table: &str, column: &str) -> BTreeSet<String> {
    common::query_strings(
        db,
        &format!("SELECT CAST({column} AS TEXT) AS v FROM {table}"),
    )
    .into_iter()
    .collect()
}

fn id_set<T: ToString>(ids: &[T]) -> BTreeSet<String> {
    ids.iter().map(|i| i.to_string()).collect()
}

fn emails(db: &TestDb) -> Vec<String> {
    common::query_strings(db, "SELECT email AS v FROM users ORDER BY email")
}

/// Collects mismatches on every backend before failing, so one run reports them all.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    fn check(&mut self, ok: bool, describe: impl FnOnce() -> String) {
        if !ok {
            self.0.push(describe());
        }
    }

    fn eq<T: PartialEq + std::fmt::Debug>(&mut self, actual: T, expected: T, what: String) {
        if actual != expected {
            self.0
                .push(format!("{what}: got {actual:?}, expected {expected:?}"));
        }
    }

    fn assert_none(self) {
        assert!(self.0.is_empty(), "\n{}", self.0.join("\n"));
    }
}

// ---------------------------------------------------------------------------
// users
// ---------------------------------------------------------------------------

per_backend! {
    fn users_insert_stores_every_column_and_finds_by_id_and_lowercased_email(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let mut new = NewUser::new("alice@example.com", password_hash());
        new.name = Some("Alice Liddell");
        new.role = "admin";
        new.email_verified = true;
        let u = new.insert(&mut conn).expect("insert");

        assert_eq!(u.id, new.id, "{l}");
        assert_eq!(u.id.0.get_version_num(), 4, "{l}: a v4 uuid");
        assert_eq!(u.email, "alice@example.com", "{l}");
        assert_eq!(u.password_hash, password_hash(), "{l}");
        assert_eq!(u.name.as_deref(), Some("Alice Liddell"), "{l}");
        assert_eq!(u.role.as_deref(), Some("admin"), "{l}");
        assert_eq!(u.role(), "admin", "{l}");
        // Times round-trip exactly (microseconds).
        assert_eq!(u.created_at, Some(new.created_at), "{l}");
        assert_eq!(u.updated_at, Some(new.updated_at), "{l}");
        assert_eq!(u.last_login, None, "{l}");
        assert_eq!(u.email_verified, Some(true), "{l}");
        assert_eq!(u.email_verified_at, None, "{l}");
        assert_eq!(u.reset_token, None, "{l}");
        assert_eq!(u.reset_token_expires, None, "{l}");
        assert_eq!(u.status(), UserStatus::Active, "{l}");

        // NewUser::new's defaults are the application's registration defaults.
        let bob = add_user(&mut conn, "bob@example.com");
        assert_eq!(bob.role.as_deref(), Some("user"), "{l}");
        assert_eq!(bob.name, None, "{l}");
        assert_eq!(bob.email_verified, Some(false), "{l}");
        assert_ne!(bob.id, u.id, "{l}");

        if !db.is_postgres() {
            // The SQLite schema's conventions: canonical lower-case uuid text and
            // canonical UTC time text.
            assert_eq!(
                common::query_strings(
                    &db,
                    "SELECT id || '|' || created_at || '|' || email_verified AS v \
                     FROM users WHERE email = 'alice@example.com'"
                ),
                vec![format!("{}|{}|1", u.id, new.created_at.to_sqlite_text())],
                "{l}"
            );
        }

        assert_eq!(
            repo::users::find(&mut conn, u.id).unwrap(),
            Some(u.clone()),
            "{l}"
        );
        assert_eq!(
            repo::users::find(&mut conn, UserId::new_v4()).unwrap(),
            None,
            "{l}"
        );
        for probe in [
            "alice@example.com",
            "Alice@Example.com",
            "ALICE@EXAMPLE.COM",
            "  alice@example.COM \n",
        ] {
            assert_eq!(
                repo::users::find_by_email(&mut conn, probe).unwrap(),
                Some(u.clone()),
                "{l}: find_by_email({probe:?})"
            );
        }
        for miss in ["carol@example.com", "alice@example", "alice", ""] {
            assert_eq!(
                repo::users::find_by_email(&mut conn, miss).unwrap(),
                None,
                "{l}: find_by_email({miss:?})"
            );
        }

        // Secrets are never serialized.
        let with_reset = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                reset_token: Some(Some("reset-secret-value".into())),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        let text = serde_json::to_string(&with_reset).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(v.get("password_hash").is_none(), "{l}: {v}");
        assert!(v.get("reset_token").is_none(), "{l}: {v}");
        assert!(!text.contains(password_hash()), "{l}: {text}");
        assert!(!text.contains("reset-secret-value"), "{l}: {text}");
        assert_eq!(v["id"], u.id.to_string(), "{l}");
        assert_eq!(v["email"], "alice@example.com", "{l}");
        assert_eq!(v["role"], "admin", "{l}");
    }
}

per_backend! {
    fn users_duplicate_or_invalid_insert_is_refused_and_writes_nothing(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let alice = add_user(&mut conn, "alice@example.com");

        // The same address in any case, normalized as callers must, is a duplicate.
        for dup in [
            "alice@example.com",
            "ALICE@example.com",
            " Alice@Example.Com ",
        ] {
            let email = authctl::email::normalize(dup).unwrap();
            let mut new = NewUser::new(&email, password_hash());
            new.name = Some("Impostor");
            new.role = "admin";
            let err = new.insert(&mut conn).expect_err(dup);
            assert!(
                is_kind(&err, DatabaseErrorKind::UniqueViolation),
                "{l}: {dup}: {err:?}"
            );
            assert_eq!(classify_diesel(&err), ExitCode::Data, "{l}");
        }
        // The same id twice.
        let mut same_id = NewUser::new("carol@example.com", password_hash());
        same_id.id = alice.id;
        let err = same_id.insert(&mut conn).expect_err("same id");
        assert!(
            is_kind(&err, DatabaseErrorKind::UniqueViolation),
            "{l}: {err:?}"
        );

        // What the application's CHECK constraints refuse.
        let mut bad_role = NewUser::new("dave@example.com", password_hash());
        bad_role.role = "support";
        let err = bad_role.insert(&mut conn).expect_err("role support");
        assert!(
            is_kind(&err, DatabaseErrorKind::CheckViolation),
            "{l}: {err:?}"
        );
        assert_eq!(classify_diesel(&err), ExitCode::Data, "{l}");
        let err = NewUser::new("not-an-email", password_hash())
            .insert(&mut conn)
            .expect_err("bad email");
        assert!(
            is_kind(&err, DatabaseErrorKind::CheckViolation),
            "{l}: {err:?}"
        );

        assert_eq!(n(&db, "SELECT count(*) AS n FROM users"), 1, "{l}");
        assert_eq!(
            user(&mut conn, alice.id),
            alice,
            "{l}: original row unchanged"
        );
        assert_eq!(emails(&db), vec!["alice@example.com"], "{l}");
        // The connection is still usable (no half-open transaction left behind).
        add_user(&mut conn, "bob@example.com");
        assert_eq!(repo::users::count(&mut conn, None).unwrap(), 2, "{l}");
    }
}

per_backend! {
    fn users_update_applies_changes_and_some_none_clears(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let mut new = NewUser::new("carol@example.com", password_hash());
        new.name = Some("Carol");
        let u = new.insert(&mut conn).unwrap();
        let other = add_user(&mut conn, "other@example.com");
        tick_after(u.updated_at.unwrap());

        let verified_at = at("2026-05-06T07:08:09.123456Z");
        let reset_expires = at("2026-05-07T00:00:00.000001Z");
        let login = at("2026-05-05T05:05:05.5Z");
        let before = now();
        let v = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                name: Some(Some("Carol C.".into())),
                role: Some("premium".into()),
                email_verified: Some(true),
                email_verified_at: Some(Some(verified_at)),
                reset_token: Some(Some("reset-abc".into())),
                reset_token_expires: Some(Some(reset_expires)),
                last_login: Some(Some(login)),
                ..Default::default()
            },
        )
        .unwrap()
        .expect("user exists");
        let after = now();
        assert_eq!(v.name.as_deref(), Some("Carol C."), "{l}");
        assert_eq!(v.role.as_deref(), Some("premium"), "{l}");
        assert_eq!(v.email_verified, Some(true), "{l}");
        assert_eq!(v.email_verified_at, Some(verified_at), "{l}");
        assert_eq!(v.reset_token.as_deref(), Some("reset-abc"), "{l}");
        assert_eq!(v.reset_token_expires, Some(reset_expires), "{l}");
        assert_eq!(v.last_login, Some(login), "{l}");
        // Untouched columns stay; updated_at is now.
        assert_eq!(v.email, u.email, "{l}");
        assert_eq!(v.password_hash, u.password_hash, "{l}");
        assert_eq!(v.created_at, u.created_at, "{l}");
        assert_between(v.updated_at.unwrap(), before, after, l);
        assert!(v.updated_at > u.updated_at, "{l}: updated_at advanced");
        assert_eq!(
            user(&mut conn, u.id),
            v,
            "{l}: update returned the stored row"
        );
        assert_eq!(
            user(&mut conn, other.id),
            other,
            "{l}: other users untouched"
        );

        // Some(None) writes NULL; None leaves the column alone.
        let w = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                name: Some(None),
                email_verified_at: Some(None),
                reset_token: Some(None),
                reset_token_expires: Some(None),
                last_login: Some(None),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(w.name, None, "{l}");
        assert_eq!(w.email_verified_at, None, "{l}");
        assert_eq!(w.reset_token, None, "{l}");
        assert_eq!(w.reset_token_expires, None, "{l}");
        assert_eq!(w.last_login, None, "{l}");
        assert_eq!(
            w.role.as_deref(),
            Some("premium"),
            "{l}: None keeps the role"
        );
        assert_eq!(w.email_verified, Some(true), "{l}: None keeps the flag");
        assert_eq!(
            n(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM users WHERE id = '{}' AND name IS NULL \
                     AND email_verified_at IS NULL AND reset_token IS NULL \
                     AND reset_token_expires IS NULL AND last_login IS NULL",
                    u.id
                )
            ),
            1,
            "{l}: NULLs really stored"
        );

        // An empty change set still touches updated_at and returns the row.
        tick_after(w.updated_at.unwrap());
        let x = repo::users::update(&mut conn, u.id, &UserChanges::default())
            .unwrap()
            .unwrap();
        assert_eq!(x.name, None, "{l}");
        assert!(x.updated_at > w.updated_at, "{l}");

        // A new (normalized) address: found under it, no longer under the old one.
        let y = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                email: Some("carol.c@example.com".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(y.email, "carol.c@example.com", "{l}");
        assert_eq!(
            repo::users::find_by_email(&mut conn, "Carol.C@example.com").unwrap(),
            Some(y.clone()),
            "{l}"
        );
        assert_eq!(
            repo::users::find_by_email(&mut conn, "carol@example.com").unwrap(),
            None,
            "{l}"
        );

        // Another user's address is a unique violation; a role outside the
        // application's CHECK a check violation. Neither changes the row.
        let err = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                email: Some("other@example.com".into()),
                ..Default::default()
            },
        )
        .expect_err("duplicate email");
        assert!(
            is_kind(&err, DatabaseErrorKind::UniqueViolation),
            "{l}: {err:?}"
        );
        let err = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                role: Some("viewer".into()),
                ..Default::default()
            },
        )
        .expect_err("role viewer");
        assert!(
            is_kind(&err, DatabaseErrorKind::CheckViolation),
            "{l}: {err:?}"
        );
        assert_eq!(
            user(&mut conn, u.id),
            y,
            "{l}: failed updates wrote nothing"
        );

        assert_eq!(
            repo::users::update(&mut conn, UserId::new_v4(), &UserChanges::default()).unwrap(),
            None,
            "{l}: unknown id"
        );
    }
}

per_backend! {
    fn users_update_password_and_verify_password_with_bcrypt_argon2id_and_disabled_hashes(db: migrated) {
        let bcrypt = bcrypt_hasher();
        let argon2 = argon2_hasher();
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "dave@example.com");
        let bystander = add_user(&mut conn, "erin@example.com");
        let verify = |conn: &mut DbConn, id: UserId, pw: &[u8], h: &PasswordHasher| {
            repo::users::verify_password(conn, id, pw, h)
                .unwrap_or_else(|e| panic!("{l}: verify_password: {e}"))
        };

        // bcrypt (what the application writes and reads); either hasher verifies it.
        assert!(
            u.password_hash.starts_with("$2b$10$"),
            "{l}: {}",
            u.password_hash
        );
        for h in [&bcrypt, &argon2] {
            assert!(verify(&mut conn, u.id, PASSWORD, h), "{l}");
            assert!(!verify(&mut conn, u.id, OTHER_PASSWORD, h), "{l}");
            assert!(!verify(&mut conn, u.id, b"", h), "{l}");
        }

        // update_password to an argon2id hash.
        tick_after(u.updated_at.unwrap());
        assert!(
            repo::users::update_password(&mut conn, u.id, argon2_hash()).unwrap(),
            "{l}"
        );
        let v = user(&mut conn, u.id);
        assert_eq!(v.password_hash, argon2_hash(), "{l}");
        assert!(v.password_hash.starts_with("$argon2id$v=19$"), "{l}");
        assert!(v.updated_at > u.updated_at, "{l}: updated_at advanced");
        assert_eq!(v.email, u.email, "{l}");
        for h in [&bcrypt, &argon2] {
            assert!(verify(&mut conn, u.id, OTHER_PASSWORD, h), "{l}");
            assert!(!verify(&mut conn, u.id, PASSWORD, h), "{l}: old password");
        }

        // A disabled hash ("!" + hash) verifies with nothing; enabling restores it.
        let disabled = password::disable(argon2_hash());
        assert!(
            repo::users::update_password(&mut conn, u.id, &disabled).unwrap(),
            "{l}"
        );
        assert_eq!(user(&mut conn, u.id).status(), UserStatus::Disabled, "{l}");
        for h in [&bcrypt, &argon2] {
            assert!(!verify(&mut conn, u.id, OTHER_PASSWORD, h), "{l}: disabled");
        }
        let bcrypt_disabled = password::disable(password_hash());
        repo::users::update_password(&mut conn, u.id, &bcrypt_disabled).unwrap();
        assert!(
            !verify(&mut conn, u.id, PASSWORD, &bcrypt),
            "{l}: disabled bcrypt"
        );
        repo::users::update_password(&mut conn, u.id, password::enabled_form(&disabled)).unwrap();
        assert_eq!(user(&mut conn, u.id).status(), UserStatus::Active, "{l}");
        assert!(verify(&mut conn, u.id, OTHER_PASSWORD, &bcrypt), "{l}");

        // A stored string that is no hash at all is an error, not a silent yes/no.
        repo::users::update_password(&mut conn, u.id, "plaintext-password").unwrap();
        match repo::users::verify_password(&mut conn, u.id, b"plaintext-password", &bcrypt) {
            Err(VerifyError::Hash(PasswordError::UnsupportedHash)) => {}
            other => panic!("{l}: verify against a non-hash: {other:?}"),
        }

        // Unknown users.
        assert!(
            !repo::users::update_password(&mut conn, UserId::new_v4(), password_hash()).unwrap(),
            "{l}"
        );
        assert!(
            !verify(&mut conn, UserId::new_v4(), PASSWORD, &bcrypt),
            "{l}: unknown user"
        );
        assert_eq!(
            user(&mut conn, bystander.id),
            bystander,
            "{l}: other users untouched"
        );
    }
}

per_backend! {
    fn users_update_last_login_sets_now_and_nothing_else(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let mut new = NewUser::new("frank@example.com", password_hash());
        new.name = Some("Frank");
        let u = new.insert(&mut conn).unwrap();
        let other = add_user(&mut conn, "gina@example.com");
        assert_eq!(u.last_login, None, "{l}");

        let before = now();
        assert!(
            repo::users::update_last_login(&mut conn, u.id).unwrap(),
            "{l}"
        );
        let after = now();
        let v = user(&mut conn, u.id);
        let t = v.last_login.expect("last_login set");
        assert!(t >= before && t <= after, "{l}: {t} in [{before}, {after}]");
        assert_eq!(
            (&v.email, &v.password_hash, &v.name, &v.role, v.created_at),
            (&u.email, &u.password_hash, &u.name, &u.role, u.created_at),
            "{l}"
        );
        assert_eq!(user(&mut conn, other.id), other, "{l}");
        assert!(
            !repo::users::update_last_login(&mut conn, UserId::new_v4()).unwrap(),
            "{l}"
        );
    }
}

per_backend! {
    fn users_delete_cascades_to_tokens_sessions_attempts_and_keeps_audit_with_email(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "gone@example.com");
        let b = add_user(&mut conn, "stays@example.com");
        for u in [&a, &b] {
            add_token(&mut conn, u.id, now() + days(1));
            add_token(&mut conn, u.id, now() - days(1));
            add_session(&mut conn, u.id, hours(1));
            add_session(&mut conn, u.id, hours(2));
            for ok in ["true", "false"] {
                db.exec(&format!(
                    "INSERT INTO auth_attempts (id, user_id, email, ip_address, success) \
                     VALUES ('{}', '{}', '{}', '192.0.2.1', {ok})",
                    uuid::Uuid::new_v4(),
                    u.id,
                    u.email
                ));
            }
            db.exec(&format!(
                "INSERT INTO device_fingerprints (id, fingerprint, user_id, ip_address) \
                 VALUES ('{}', 'fp-{}', '{}', '192.0.2.1')",
                uuid::Uuid::new_v4(),
                u.id,
                u.id
            ));
        }
        for (u, action) in [
            (&a, AuditAction::UserCreate),
            (&b, AuditAction::UserCreate),
            (&a, AuditAction::UserDisable),
        ] {
            NewAuditEvent {
                actor: "ops",
                action,
                user_id: Some(u.id),
                user_email: Some(&u.email),
                detail: None,
            }
            .append(&mut conn)
            .unwrap();
        }

        assert!(repo::users::delete(&mut conn, a.id).unwrap(), "{l}");
        assert!(
            !repo::users::delete(&mut conn, a.id).unwrap(),
            "{l}: already gone"
        );
        assert_eq!(repo::users::find(&mut conn, a.id).unwrap(), None, "{l}");
        assert_eq!(user(&mut conn, b.id), b, "{l}");

        for table in [
            "refresh_tokens",
            "login_sessions",
            "auth_attempts",
            "device_fingerprints",
        ] {
            let per_b = if table == "device_fingerprints" { 1 } else { 2 };
            assert_eq!(
                n(
                    &db,
                    &format!(
                        "SELECT count(*) AS n FROM {table} WHERE user_id = '{}'",
                        a.id
                    )
                ),
                0,
                "{l}: {table} of the deleted user"
            );
            assert_eq!(
                n(&db, &format!("SELECT count(*) AS n FROM {table}")),
                per_b,
                "{l}: {table} of the other user kept"
            );
        }
        assert_eq!(
            repo::refresh_tokens::find_by_user(&mut conn, a.id)
                .unwrap()
                .len(),
            0,
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::find_by_user(&mut conn, b.id)
                .unwrap()
                .len(),
            2,
            "{l}"
        );

        // Audit history survives: user_id NULL, the email kept.
        let events = list_events(
            &mut conn,
            AuditFilter {
                limit: 10,
                ..Default::default()
            },
        );
        assert_eq!(events.len(), 3, "{l}");
        let mut seen: Vec<(Option<UserId>, Option<&str>, &str)> = events
            .iter()
            .map(|e| (e.user_id, e.user_email.as_deref(), e.action.as_str()))
            .collect();
        seen.sort();
        let mut expected = vec![
            (None, Some("gone@example.com"), "user.create"),
            (None, Some("gone@example.com"), "user.disable"),
            (Some(b.id), Some("stays@example.com"), "user.create"),
        ];
        expected.sort();
        assert_eq!(seen, expected, "{l}");
        assert!(
            list_events(
                &mut conn,
                AuditFilter {
                    user_id: Some(a.id),
                    limit: 10,
                    ..Default::default()
                }
            )
            .is_empty(),
            "{l}"
        );
        assert_eq!(
            list_events(
                &mut conn,
                AuditFilter {
                    user_email: Some("gone@example.com".into()),
                    limit: 10,
                    ..Default::default()
                }
            )
            .len(),
            2,
            "{l}: the deleted user's history is found by email"
        );
        assert!(
            !repo::users::delete(&mut conn, UserId::new_v4()).unwrap(),
            "{l}"
        );
    }
}

struct Seed {
    email: &'static str,
    name: Option<&'static str>,
    /// `None`: a NULL role (the application's default applies).
    role: Option<&'static str>,
    created_days_ago: i64,
    disabled: bool,
}

const SEEDS: &[Seed] = &[
    Seed {
        email: "root@example.com",
        name: Some("Root Admin"),
        role: Some("admin"),
        created_days_ago: 30,
        disabled: false,
    },
    Seed {
        email: "pct@example.com",
        name: Some("Percent 100% Guy"),
        role: Some("user"),
        created_days_ago: 20,
        disabled: false,
    },
    Seed {
        email: "plain@example.com",
        name: None,
        role: Some("user"),
        created_days_ago: 12,
        disabled: false,
    },
    Seed {
        email: "hundred@example.com",
        name: Some("100 percent"),
        role: Some("premium"),
        created_days_ago: 10,
        disabled: false,
    },
    Seed {
        email: "under_score@example.org",
        name: None,
        role: Some("user"),
        created_days_ago: 5,
        disabled: false,
    },
    Seed {
        email: "underxscore@example.org",
        name: Some("Under X"),
        role: None,
        created_days_ago: 4,
        disabled: false,
    },
    Seed {
        email: "mixed@example.net",
        name: Some("MiXeD Case Name"),
        role: Some("premium"),
        created_days_ago: 3,
        disabled: false,
    },
    Seed {
        email: "disabled@example.com",
        name: Some("Disabled Person"),
        role: Some("user"),
        created_days_ago: 2,
        disabled: true,
    },
    Seed {
        email: "lockedout@example.com",
        name: None,
        role: Some("admin"),
        created_days_ago: 1,
        disabled: true,
    },
    Seed {
        email: "nullrole@example.com",
        name: None,
        role: None,
        created_days_ago: 0,
        disabled: false,
    },
];

/// The seeded users, re-read from the database, sorted by email.
fn seed_list_users(db: &TestDb, conn: &mut DbConn, t0: UtcDateTime) -> Vec<User> {
    let disabled_hash = password::disable(password_hash());
    for s in SEEDS {
        let hash = if s.disabled {
            disabled_hash.as_str()
        } else {
            password_hash()
        };
        let mut new = NewUser::new(s.email, hash);
        new.name = s.name;
        new.role = s.role.unwrap_or("user");
        new.created_at = t0 - days(s.created_days_ago);
        new.insert(conn).unwrap();
        if s.role.is_none() {
            db.exec(&format!(
                "UPDATE users SET role = NULL WHERE email = '{}'",
                s.email
            ));
        }
    }
    let mut all: Vec<User> = SEEDS
        .iter()
        .map(|s| repo::users::find_by_email(conn, s.email).unwrap().unwrap())
        .collect();
    all.sort_by(|a, b| a.email.cmp(&b.email));
    all
}

per_backend! {
    fn users_list_filters_by_role_status_search_and_creation_time_ordered_by_email(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let t0 = now();
        let all = seed_list_users(&db, &mut conn, t0);
        let mut list = |filter: UserFilter| {
            emails_of(&list_users(
                &mut conn,
                UserFilter {
                    limit: 100,
                    ..filter
                },
            ))
        };
        let expect = |pred: &dyn Fn(&User) -> bool| -> Vec<String> {
            all.iter()
                .filter(|u| pred(u))
                .map(|u| u.email.clone())
                .collect()
        };

        assert_eq!(
            list(UserFilter::default()),
            vec![
                "disabled@example.com",
                "hundred@example.com",
                "lockedout@example.com",
                "mixed@example.net",
                "nullrole@example.com",
                "pct@example.com",
                "plain@example.com",
                "root@example.com",
                "under_score@example.org",
                "underxscore@example.org",
            ],
            "{l}: no filter, by email"
        );

        // Role: `user` includes NULL roles (the application's default).
        assert_eq!(
            list(UserFilter {
                role: Some("user".into()),
                ..Default::default()
            }),
            vec![
                "disabled@example.com",
                "nullrole@example.com",
                "pct@example.com",
                "plain@example.com",
                "under_score@example.org",
                "underxscore@example.org",
            ],
            "{l}"
        );
        assert_eq!(
            list(UserFilter {
                role: Some("admin".into()),
                ..Default::default()
            }),
            vec!["lockedout@example.com", "root@example.com"],
            "{l}"
        );
        assert_eq!(
            list(UserFilter {
                role: Some("premium".into()),
                ..Default::default()
            }),
            vec!["hundred@example.com", "mixed@example.net"],
            "{l}"
        );
        assert!(
            list(UserFilter {
                role: Some("nobody".into()),
                ..Default::default()
            })
            .is_empty(),
            "{l}"
        );

        // Status: the SQL filter agrees with User::status for every user.
        for status in [UserStatus::Active, UserStatus::Disabled] {
            assert_eq!(
                list(UserFilter {
                    status: Some(status),
                    ..Default::default()
                }),
                expect(&|u| u.status() == status),
                "{l}: status {status}"
            );
        }
        assert_eq!(
            list(UserFilter {
                status: Some(UserStatus::Disabled),
                ..Default::default()
            }),
            vec!["disabled@example.com", "lockedout@example.com"],
            "{l}"
        );

        // Search: case-insensitive, email or name, % _ and \ literal.
        let search = |s: &str| UserFilter {
            search: Some(s.into()),
            ..Default::default()
        };
        assert_eq!(list(search("ROOT@")), vec!["root@example.com"], "{l}");
        assert_eq!(
            list(search("mixed case")),
            vec!["mixed@example.net"],
            "{l}: name"
        );
        assert_eq!(list(search("mIxEd")), vec!["mixed@example.net"], "{l}");
        assert_eq!(
            list(search("100%")),
            vec!["pct@example.com"],
            "{l}: % literal"
        );
        assert_eq!(list(search("%")), vec!["pct@example.com"], "{l}: % alone");
        assert_eq!(
            list(search("under_")),
            vec!["under_score@example.org"],
            "{l}: _ literal"
        );
        assert_eq!(list(search("_")), vec!["under_score@example.org"], "{l}");
        assert_eq!(
            list(search("EXAMPLE.ORG")),
            vec!["under_score@example.org", "underxscore@example.org"],
            "{l}"
        );
        assert_eq!(
            list(search("percent")),
            vec!["hundred@example.com", "pct@example.com"],
            "{l}"
        );
        assert!(list(search("zzz")).is_empty(), "{l}");
        assert!(
            list(search("\\")).is_empty(),
            "{l}: backslash is literal too"
        );
        assert_eq!(
            list(search("")),
            expect(&|_| true),
            "{l}: empty search = no filter"
        );

        // created_since is inclusive.
        let since = t0 - days(3);
        let recent = expect(&|u| u.created_at.is_some_and(|c| c >= since));
        assert_eq!(recent.len(), 4, "{l}");
        assert_eq!(
            list(UserFilter {
                created_since: Some(since),
                ..Default::default()
            }),
            recent,
            "{l}"
        );

        // Combined.
        assert_eq!(
            list(UserFilter {
                role: Some("user".into()),
                status: Some(UserStatus::Active),
                search: Some("example.com".into()),
                created_since: Some(t0 - days(15)),
                ..Default::default()
            }),
            vec!["nullrole@example.com", "plain@example.com"],
            "{l}"
        );

        // The limit.
        assert_eq!(
            emails_of(&list_users(
                &mut conn,
                UserFilter {
                    limit: 2,
                    ..Default::default()
                }
            )),
            vec!["disabled@example.com", "hundred@example.com"],
            "{l}"
        );
        for limit in [0, -5] {
            assert!(
                list_users(
                    &mut conn,
                    UserFilter {
                        limit,
                        ..Default::default()
                    }
                )
                .is_empty(),
                "{l}: limit {limit}"
            );
        }
    }
}

per_backend! {
    fn users_list_pages_through_all_users_with_after_email(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let mut created = BTreeSet::new();
        conn.transaction(|conn| {
            // Inserted out of email order.
            for k in 0..25 {
                let i = (k * 7) % 25;
                let email = format!("user{i:02}@example.com");
                let mut new = NewUser::new(&email, password_hash());
                new.role = if i % 2 == 0 { "user" } else { "premium" };
                new.insert(conn)?;
                created.insert(email);
            }
            Ok::<_, DieselError>(())
        })
        .unwrap();
        // Three NULL roles among the even ones: still `user`.
        db.exec(
            "UPDATE users SET role = NULL WHERE email IN \
             ('user00@example.com', 'user10@example.com', 'user24@example.com')",
        );
        assert_eq!(repo::users::count(&mut conn, None).unwrap(), 25, "{l}");

        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        let mut after = None;
        loop {
            let page = list_users(
                &mut conn,
                UserFilter {
                    after_email: after.clone(),
                    limit: 10,
                    ..Default::default()
                },
            );
            sizes.push(page.len());
            let Some(last) = page.last() else { break };
            after = Some(last.email.clone());
            seen.extend(emails_of(&page));
            assert!(sizes.len() < 10, "{l}: pagination does not terminate");
        }
        assert_eq!(sizes, vec![10, 10, 5, 0], "{l}");
        assert!(
            seen.windows(2).all(|w| w[0] < w[1]),
            "{l}: strictly ascending emails: {seen:?}"
        );
        assert_eq!(
            seen.iter().cloned().collect::<BTreeSet<_>>(),
            created,
            "{l}"
        );

        // Pagination combined with a filter.
        let mut users = Vec::new();
        let mut after = None;
        loop {
            let page = list_users(
                &mut conn,
                UserFilter {
                    role: Some("user".into()),
                    after_email: after.clone(),
                    limit: 4,
                    ..Default::default()
                },
            );
            let Some(last) = page.last() else { break };
            after = Some(last.email.clone());
            users.extend(page);
            assert!(users.len() <= 25, "{l}: pagination does not terminate");
        }
        assert_eq!(users.len(), 13, "{l}");
        assert!(users.iter().all(|u| u.role() == "user"), "{l}");
        assert_eq!(users.iter().filter(|u| u.role.is_none()).count(), 3, "{l}");
        assert_eq!(
            repo::users::count(&mut conn, Some("user")).unwrap(),
            13,
            "{l}"
        );
        assert_eq!(
            repo::users::count(&mut conn, Some("premium")).unwrap(),
            12,
            "{l}"
        );
    }
}

per_backend! {
    fn users_list_search_ignores_case_of_non_ascii_letters(db: migrated) {
        let mut findings = Findings::default();
        let l = db.label();
        let mut conn = db.migrated();
        let mut new = NewUser::new("elodie@example.com", password_hash());
        new.name = Some("Élodie Ünal");
        let u = new.insert(&mut conn).unwrap();
        add_user(&mut conn, "other@example.com");
        for term in [
            "Élodie", "élodie", "ÉLODIE", "ünal", "ÜNAL", "Ünal", "lodie",
        ] {
            let found = list_users(
                &mut conn,
                UserFilter {
                    search: Some(term.into()),
                    limit: 10,
                    ..Default::default()
                },
            );
            findings.eq(
                found.iter().map(|x| x.id).collect(),
                vec![u.id],
                format!("{l}: search {term:?}"),
            );
        }
        findings.assert_none();
    }
}

per_backend! {
    fn users_count_counts_null_roles_as_user(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let count = |conn: &mut DbConn, role: Option<&str>| repo::users::count(conn, role).unwrap();
        for role in [None, Some("user"), Some("admin"), Some("premium")] {
            assert_eq!(count(&mut conn, role), 0, "{l}: empty table, {role:?}");
        }
        for (email, role) in [
            ("a@example.com", "admin"),
            ("b@example.com", "user"),
            ("c@example.com", "user"),
            ("d@example.com", "premium"),
            ("e@example.com", "user"),
        ] {
            let mut new = NewUser::new(email, password_hash());
            new.role = role;
            new.insert(&mut conn).unwrap();
        }
        db.exec("UPDATE users SET role = NULL WHERE email IN ('c@example.com', 'e@example.com')");
        assert_eq!(count(&mut conn, None), 5, "{l}");
        assert_eq!(count(&mut conn, Some("user")), 3, "{l}: 1 user + 2 NULL");
        assert_eq!(count(&mut conn, Some("admin")), 1, "{l}");
        assert_eq!(count(&mut conn, Some("premium")), 1, "{l}");
        assert_eq!(count(&mut conn, Some("nobody")), 0, "{l}");
        let c = repo::users::find_by_email(&mut conn, "c@example.com")
            .unwrap()
            .unwrap();
        assert_eq!(c.role, None, "{l}");
        assert_eq!(c.role(), "user", "{l}: User::role() applies the default");
    }
}

per_backend! {
    fn users_exists_by_email_ignores_case_and_whitespace(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let exists = |conn: &mut DbConn, e: &str| repo::users::exists_by_email(conn, e).unwrap();
        assert!(!exists(&mut conn, "hank@example.com"), "{l}: empty table");
        let u = add_user(&mut conn, "hank@example.com");
        for probe in [
            "hank@example.com",
            "HANK@Example.COM",
            " hank@example.com\t",
        ] {
            assert!(exists(&mut conn, probe), "{l}: {probe:?}");
        }
        for miss in ["hank@example.org", "hank", "ank@example.com", ""] {
            assert!(!exists(&mut conn, miss), "{l}: {miss:?}");
        }
        repo::users::delete(&mut conn, u.id).unwrap();
        assert!(!exists(&mut conn, "hank@example.com"), "{l}: after delete");
    }
}

per_backend! {
    fn users_create_if_missing_is_idempotent(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let mut first = NewUser::new("gina@example.com", password_hash());
        first.name = Some("Gina");
        let (u1, created1) = repo::users::create_if_missing(&mut conn, &first).unwrap();
        assert!(created1, "{l}");
        assert_eq!(u1.id, first.id, "{l}");
        assert_eq!(u1.name.as_deref(), Some("Gina"), "{l}");

        let email = authctl::email::normalize("Gina@Example.COM").unwrap();
        let mut again = NewUser::new(&email, argon2_hash());
        again.role = "admin";
        again.name = Some("Someone Else");
        let (u2, created2) = repo::users::create_if_missing(&mut conn, &again).unwrap();
        assert!(!created2, "{l}");
        assert_eq!(u2, u1, "{l}: the existing row is returned unchanged");
        assert_eq!(user(&mut conn, u1.id), u1, "{l}: and stays unchanged");
        assert_eq!(repo::users::count(&mut conn, None).unwrap(), 1, "{l}");

        // Inside an outer transaction it behaves the same.
        let (u3, created3) = conn
            .transaction(|conn| repo::users::create_if_missing(conn, &again))
            .unwrap();
        assert!(!created3, "{l}");
        assert_eq!(u3.id, u1.id, "{l}");
        let (u4, created4) = conn
            .transaction(|conn| {
                repo::users::create_if_missing(
                    conn,
                    &NewUser::new("ivy@example.com", password_hash()),
                )
            })
            .unwrap();
        assert!(created4, "{l}");
        assert_eq!(user(&mut conn, u4.id), u4, "{l}");
        assert_eq!(repo::users::count(&mut conn, None).unwrap(), 2, "{l}");
    }
}

per_backend! {
    fn users_create_if_missing_concurrently_creates_exactly_one_row(db) {
        let l = db.label();
        drop(db.migrated());
        for round in 0..3 {
            let email = format!("race{round}@example.com");
            let barrier = Barrier::new(4);
            let (db, barrier, email) = (&db, &barrier, &email);
            let results: Vec<(UserId, bool)> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..4)
                    .map(|_| {
                        s.spawn(move || {
                            let mut conn = db.connect();
                            barrier.wait();
                            let (u, created) = repo::users::create_if_missing(
                                &mut conn,
                                &NewUser::new(email, password_hash()),
                            )
                            .unwrap_or_else(|e| panic!("{l}: create_if_missing: {e}"));
                            (u.id, created)
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            assert_eq!(
                results.iter().filter(|(_, created)| *created).count(),
                1,
                "{l}: exactly one creator: {results:?}"
            );
            assert!(
                results.iter().all(|(id, _)| *id == results[0].0),
                "{l}: everyone got the winner's row: {results:?}"
            );
            assert_eq!(
                n(
                    db,
                    &format!("SELECT count(*) AS n FROM users WHERE email = '{email}'")
                ),
                1,
                "{l}"
            );
        }
        assert_eq!(n(&db, "SELECT count(*) AS n FROM users"), 3, "{l}");
    }
}

// ---------------------------------------------------------------------------
// refresh_tokens
// ---------------------------------------------------------------------------

per_backend! {
    fn refresh_tokens_create_stores_the_raw_token_and_finds_it_by_id_and_value(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "tok@example.com");
        let raw = raw_token();
        let expires_at = now() + days(7);
        let mut new = NewRefreshToken::new(u.id, &raw, expires_at);
        new.user_agent = Some("okhttp/4.12");
        new.ip_address = Some("203.0.113.7".parse().unwrap());
        let t = repo::refresh_tokens::create(&mut conn, &new).unwrap();

        assert_eq!(t.id, new.id, "{l}");
        assert_eq!(t.user_id, u.id, "{l}");
        assert_eq!(t.token, raw, "{l}");
        assert_eq!(t.expires_at, expires_at, "{l}");
        assert_eq!(t.created_at, Some(new.created_at), "{l}");
        assert_eq!(t.revoked_at, None, "{l}");
        assert_eq!(t.is_revoked, Some(false), "{l}");
        assert_eq!(t.user_agent.as_deref(), Some("okhttp/4.12"), "{l}");
        assert_eq!(
            t.ip_address.map(|i| i.to_string()).as_deref(),
            Some("203.0.113.7"),
            "{l}"
        );
        assert_eq!(t.state(now()), CredentialState::Active, "{l}");
        // The application stores and looks up the raw value.
        assert_eq!(
            common::query_strings(&db, "SELECT token AS v FROM refresh_tokens"),
            vec![raw.clone()],
            "{l}"
        );

        assert_eq!(
            repo::refresh_tokens::find(&mut conn, t.id).unwrap(),
            Some(t.clone()),
            "{l}"
        );
        assert_eq!(
            repo::refresh_tokens::find(&mut conn, RefreshTokenId::new_v4()).unwrap(),
            None,
            "{l}"
        );
        assert_eq!(
            repo::refresh_tokens::find_by_token(&mut conn, &raw).unwrap(),
            Some(t.clone()),
            "{l}"
        );
        for wrong in [
            raw.to_uppercase(),
            raw[..raw.len() - 1].to_owned(),
            format!("{raw} "),
            String::new(),
            t.fingerprint(),
        ] {
            assert_eq!(
                repo::refresh_tokens::find_by_token(&mut conn, &wrong).unwrap(),
                None,
                "{l}: {wrong:?}"
            );
        }

        // Only a fingerprint is ever shown; serialization leaves the token out.
        let fp = t.fingerprint();
        assert_eq!(fp, authctl::token::fingerprint(&raw), "{l}");
        assert!(fp.starts_with("sha256:") && fp.len() == 7 + 16, "{l}: {fp}");
        assert!(fp[7..].chars().all(|c| c.is_ascii_hexdigit()), "{l}: {fp}");
        let text = serde_json::to_string(&t).unwrap();
        assert!(!text.contains(&raw), "{l}: {text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(v.get("token").is_none(), "{l}: {v}");
        assert_eq!(v["id"], t.id.to_string(), "{l}");
        assert_eq!(v["ip_address"], "203.0.113.7", "{l}");
        assert!(v["expires_at"].as_str().unwrap().ends_with('Z'), "{l}: {v}");

        // Every inet form round-trips.
        for ip in ["2001:db8::1", "10.0.0.0/8", "10.1.2.3/8", "192.0.2.1"] {
            let raw = raw_token();
            let mut new = NewRefreshToken::new(u.id, &raw, expires_at);
            new.ip_address = Some(ip.parse::<Inet>().unwrap());
            let t = repo::refresh_tokens::create(&mut conn, &new).unwrap();
            assert_eq!(
                t.ip_address.map(|i| i.to_string()).as_deref(),
                Some(ip),
                "{l}"
            );
        }
    }
}

per_backend! {
    fn refresh_tokens_create_refuses_short_duplicate_and_orphan_tokens(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "refuse@example.com");
        let exp = now() + days(1);
        let short = "x".repeat(31);
        let err = repo::refresh_tokens::create(&mut conn, &NewRefreshToken::new(u.id, &short, exp))
            .expect_err("31 characters");
        assert!(
            is_kind(&err, DatabaseErrorKind::CheckViolation),
            "{l}: {err:?}"
        );
        let exact = "y".repeat(32);
        let t = repo::refresh_tokens::create(&mut conn, &NewRefreshToken::new(u.id, &exact, exp))
            .expect("32 characters is enough");
        let err = repo::refresh_tokens::create(&mut conn, &NewRefreshToken::new(u.id, &exact, exp))
            .expect_err("duplicate value");
        assert!(
            is_kind(&err, DatabaseErrorKind::UniqueViolation),
            "{l}: {err:?}"
        );
        let raw = raw_token();
        let err = repo::refresh_tokens::create(
            &mut conn,
            &NewRefreshToken::new(UserId::new_v4(), &raw, exp),
        )
        .expect_err("unknown user");
        assert!(
            is_kind(&err, DatabaseErrorKind::ForeignKeyViolation),
            "{l}: {err:?}"
        );
        assert_eq!(
            ids_in(&db, "refresh_tokens", "id"),
            id_set(&[t.id]),
            "{l}: only the valid token stored"
        );
    }
}

per_backend! {
    fn refresh_tokens_find_by_user_lists_every_token_newest_first(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "fa@example.com");
        let b = add_user(&mut conn, "fb@example.com");
        let t0 = now();
        let exp = t0 + days(1);
        let h3 = add_token_created(&mut conn, a.id, t0 - hours(3), exp);
        let h1 = add_token_created(&mut conn, a.id, t0 - hours(1), exp);
        let h5 = add_token_created(&mut conn, a.id, t0 - hours(5), t0 - hours(4));
        let m1 = add_token_created(&mut conn, a.id, t0 - mins(1), exp);
        let b1 = add_token_created(&mut conn, b.id, t0 - mins(30), exp);
        repo::refresh_tokens::revoke(&mut conn, &h1.token, t0).unwrap();

        let found = repo::refresh_tokens::find_by_user(&mut conn, a.id).unwrap();
        assert_eq!(
            token_ids(&found),
            vec![m1.id, h1.id, h3.id, h5.id],
            "{l}: revoked and expired included, newest first"
        );
        assert_eq!(found[0], m1, "{l}");
        assert_eq!(
            token_ids(&repo::refresh_tokens::find_by_user(&mut conn, b.id).unwrap()),
            vec![b1.id],
            "{l}"
        );
        assert!(
            repo::refresh_tokens::find_by_user(&mut conn, UserId::new_v4())
                .unwrap()
                .is_empty(),
            "{l}"
        );
    }
}

per_backend! {
    fn refresh_tokens_validate_rejects_wrong_revoked_expired_and_null_flag(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "val@example.com");
        let t = add_token(&mut conn, u.id, now() + hours(1));
        let validate = |conn: &mut DbConn, raw: &str, at: UtcDateTime| {
            repo::refresh_tokens::validate(conn, raw, at).unwrap()
        };
        assert!(validate(&mut conn, &t.token, now()), "{l}");

        // Wrong values.
        let mut tampered = t.token.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'a' { 'b' } else { 'a' });
        for wrong in [
            String::new(),
            "not-a-token".to_owned(),
            tampered,
            t.token.to_uppercase(),
            t.fingerprint(),
            t.id.to_string(),
            raw_token(),
        ] {
            assert!(!validate(&mut conn, &wrong, now()), "{l}: {wrong:?}");
        }

        // Valid until just before expires_at.
        assert!(
            validate(&mut conn, &t.token, t.expires_at - micros(1)),
            "{l}"
        );
        assert!(
            !validate(&mut conn, &t.token, t.expires_at),
            "{l}: at expires_at"
        );
        assert_eq!(t.state(t.expires_at), CredentialState::Expired, "{l}");

        // Stored already expired.
        let expired = add_token(&mut conn, u.id, now() - mins(1));
        assert_eq!(expired.state(now()), CredentialState::Expired, "{l}");
        assert!(!validate(&mut conn, &expired.token, now()), "{l}");

        // Revoked.
        let r = add_token(&mut conn, u.id, now() + days(1));
        assert!(validate(&mut conn, &r.token, now()), "{l}");
        repo::refresh_tokens::revoke(&mut conn, &r.token, now()).unwrap();
        assert!(!validate(&mut conn, &r.token, now()), "{l}: revoked");
        assert_eq!(
            token(&mut conn, r.id).state(now()),
            CredentialState::Revoked,
            "{l}"
        );

        // is_revoked NULL (a row written by hand): not usable, as in the application.
        let nul = add_token(&mut conn, u.id, now() + days(1));
        db.exec(&format!(
            "UPDATE refresh_tokens SET is_revoked = NULL WHERE id = '{}'",
            nul.id
        ));
        let nul = token(&mut conn, nul.id);
        assert_eq!(nul.is_revoked, None, "{l}");
        assert_eq!(nul.state(now()), CredentialState::Revoked, "{l}");
        assert!(
            !validate(&mut conn, &nul.token, now()),
            "{l}: NULL is_revoked"
        );

        // The first token is still fine.
        assert!(validate(&mut conn, &t.token, now()), "{l}");
    }
}

per_backend! {
    fn refresh_tokens_revoke_by_value(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "rv@example.com");
        let t = add_token(&mut conn, u.id, now() + days(1));
        let other = add_token(&mut conn, u.id, now() + days(1));
        let when = at("2026-03-04T05:06:07.891011Z");
        assert!(
            repo::refresh_tokens::revoke(&mut conn, &t.token, when).unwrap(),
            "{l}"
        );
        let r = token(&mut conn, t.id);
        assert_eq!(r.is_revoked, Some(true), "{l}");
        assert_eq!(r.revoked_at, Some(when), "{l}");
        assert_eq!(
            (r.expires_at, r.created_at, &r.token),
            (t.expires_at, t.created_at, &t.token),
            "{l}: nothing else changed"
        );
        assert_eq!(
            token(&mut conn, other.id),
            other,
            "{l}: other token untouched"
        );
        // Revoking again still matches the row; it stays revoked.
        assert!(
            repo::refresh_tokens::revoke(&mut conn, &t.token, now()).unwrap(),
            "{l}"
        );
        assert_eq!(token(&mut conn, t.id).is_revoked, Some(true), "{l}");
        for unknown in [raw_token(), t.token.to_uppercase(), String::new()] {
            assert!(
                !repo::refresh_tokens::revoke(&mut conn, &unknown, now()).unwrap(),
                "{l}: {unknown:?}"
            );
        }
        assert_eq!(token(&mut conn, other.id), other, "{l}");
    }
}

per_backend! {
    fn refresh_tokens_revoke_ids_revokes_only_listed_unrevoked_tokens(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "ria@example.com");
        let b = add_user(&mut conn, "rib@example.com");
        let exp = now() + days(1);
        let a1 = add_token(&mut conn, a.id, exp);
        let a2 = add_token(&mut conn, a.id, exp);
        let a_unlisted = add_token(&mut conn, a.id, exp);
        let already = add_token(&mut conn, a.id, exp);
        let first_revoked = at("2026-01-01T00:00:00.000001Z");
        repo::refresh_tokens::revoke(&mut conn, &already.token, first_revoked).unwrap();
        let nul = add_token(&mut conn, a.id, exp);
        db.exec(&format!(
            "UPDATE refresh_tokens SET is_revoked = NULL WHERE id = '{}'",
            nul.id
        ));
        let b1 = add_token(&mut conn, b.id, exp);

        let when = now();
        let listed = [
            a1.id,
            a2.id,
            already.id,
            nul.id,
            b1.id,
            RefreshTokenId::new_v4(),
        ];
        assert_eq!(
            repo::refresh_tokens::revoke_ids(&mut conn, &listed, when).unwrap(),
            4,
            "{l}: a1, a2, the NULL one and b1"
        );
        for id in [a1.id, a2.id, nul.id, b1.id] {
            let r = token(&mut conn, id);
            assert_eq!(r.is_revoked, Some(true), "{l}");
            assert_eq!(r.revoked_at, Some(when), "{l}");
        }
        assert_eq!(
            token(&mut conn, already.id).revoked_at,
            Some(first_revoked),
            "{l}: an earlier revocation is kept"
        );
        assert_eq!(
            token(&mut conn, a_unlisted.id),
            a_unlisted,
            "{l}: unlisted token untouched"
        );
        assert_eq!(
            repo::refresh_tokens::revoke_ids(&mut conn, &listed, now()).unwrap(),
            0,
            "{l}: nothing left to revoke"
        );
        assert_eq!(
            repo::refresh_tokens::revoke_ids(&mut conn, &[], now()).unwrap(),
            0,
            "{l}: empty list"
        );
        assert_eq!(
            token(&mut conn, a_unlisted.id),
            a_unlisted,
            "{l}: an empty list revokes nothing"
        );
    }
}

per_backend! {
    fn refresh_tokens_revoke_all_for_user_revokes_only_that_users_unrevoked_tokens(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "a@example.com");
        let b = add_user(&mut conn, "b@example.com");
        let a_active: Vec<RefreshToken> = (0..3)
            .map(|_| add_token(&mut conn, a.id, now() + days(1)))
            .collect();
        let a_expired = add_token(&mut conn, a.id, now() - hours(1));
        let a_revoked = add_token(&mut conn, a.id, now() + days(1));
        let first = at("2026-02-02T02:02:02.020202Z");
        repo::refresh_tokens::revoke(&mut conn, &a_revoked.token, first).unwrap();
        let b_tokens: Vec<RefreshToken> = (0..2)
            .map(|_| add_token(&mut conn, b.id, now() + days(1)))
            .collect();

        let when = now();
        let n_revoked = repo::refresh_tokens::revoke_all_for_user(&mut conn, a.id, when).unwrap();
        assert_eq!(n_revoked, 4, "{l}: three active and the expired one");
        for t in a_active.iter().chain([&a_expired]) {
            let r = token(&mut conn, t.id);
            assert_eq!(r.is_revoked, Some(true), "{l}");
            assert_eq!(r.revoked_at, Some(when), "{l}");
            assert!(
                !repo::refresh_tokens::validate(&mut conn, &t.token, now()).unwrap(),
                "{l}"
            );
        }
        assert_eq!(
            token(&mut conn, a_revoked.id).revoked_at,
            Some(first),
            "{l}: an earlier revocation is kept"
        );
        for t in &b_tokens {
            assert_eq!(
                &token(&mut conn, t.id),
                t,
                "{l}: other user's token untouched"
            );
            assert!(
                repo::refresh_tokens::validate(&mut conn, &t.token, now()).unwrap(),
                "{l}"
            );
        }
        assert_eq!(
            repo::refresh_tokens::revoke_all_for_user(&mut conn, a.id, now()).unwrap(),
            0,
            "{l}: nothing left"
        );
        assert_eq!(
            repo::refresh_tokens::revoke_all_for_user(&mut conn, UserId::new_v4(), now()).unwrap(),
            0,
            "{l}"
        );
    }
}

per_backend! {
    fn refresh_tokens_delete_expired_deletes_expired_and_revoked_more_than_7_days_ago(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "purge@example.com");
        let t0 = now();
        let future = t0 + days(30);
        let mut make = |expires_at: UtcDateTime| add_token(&mut conn, u.id, expires_at).id;
        let expired_long_ago = make(t0 - days(2));
        let expired_just_now = make(t0 - micros(1));
        let expires_exactly_now = make(t0);
        let active = make(future);
        let revoked_8_days = make(future);
        let revoked_exactly_7_days = make(future);
        let revoked_6_days = make(future);
        let revoked_and_expired = make(t0 - days(1));
        let revoked_no_time = make(future);
        let null_flag_old_time = make(future);
        let unrevoked_old_time = make(future);
        let revoke = |conn: &mut DbConn, id: RefreshTokenId, when: UtcDateTime| {
            let t = token(conn, id);
            assert!(repo::refresh_tokens::revoke(conn, &t.token, when).unwrap());
        };
        revoke(&mut conn, revoked_8_days, t0 - days(8));
        revoke(&mut conn, revoked_exactly_7_days, t0 - days(7));
        revoke(&mut conn, revoked_6_days, t0 - days(6));
        revoke(&mut conn, revoked_and_expired, t0 - days(9));
        db.exec(&format!(
            "UPDATE refresh_tokens SET is_revoked = true, revoked_at = NULL WHERE id = '{revoked_no_time}'"
        ));
        db.exec(&format!(
            "UPDATE refresh_tokens SET is_revoked = NULL, revoked_at = {} WHERE id = '{null_flag_old_time}'",
            sql_time(&db, t0 - days(20))
        ));
        db.exec(&format!(
            "UPDATE refresh_tokens SET is_revoked = false, revoked_at = {} WHERE id = '{unrevoked_old_time}'",
            sql_time(&db, t0 - days(20))
        ));

        assert_eq!(
            repo::refresh_tokens::delete_expired(&mut conn, t0).unwrap(),
            4,
            "{l}"
        );
        assert_eq!(
            ids_in(&db, "refresh_tokens", "id"),
            id_set(&[
                expires_exactly_now,
                active,
                revoked_exactly_7_days,
                revoked_6_days,
                revoked_no_time,
                null_flag_old_time,
                unrevoked_old_time,
            ]),
            "{l}: deleted exactly {:?}",
            [
                expired_long_ago,
                expired_just_now,
                revoked_8_days,
                revoked_and_expired
            ]
        );
        assert_eq!(
            repo::refresh_tokens::delete_expired(&mut conn, t0).unwrap(),
            0,
            "{l}: idempotent"
        );
        assert_eq!(
            repo::refresh_tokens::count_for_user(&mut conn, u.id, t0).unwrap(),
            2,
            "{l}: only `active` and `unrevoked_old_time` are usable at t0"
        );
    }
}

per_backend! {
    fn refresh_tokens_count_active_and_count_for_user_follow_the_applications_rule(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "ca@example.com");
        let b = add_user(&mut conn, "cb@example.com");
        let t0 = now();
        let count_all = |conn: &mut DbConn, at: UtcDateTime| {
            repo::refresh_tokens::count_active(conn, at).unwrap()
        };
        let count_for = |conn: &mut DbConn, uid: UserId, at: UtcDateTime| {
            repo::refresh_tokens::count_for_user(conn, uid, at).unwrap()
        };
        assert_eq!(count_all(&mut conn, t0), 0, "{l}");

        for _ in 0..3 {
            add_token(&mut conn, a.id, t0 + hours(1));
        }
        add_token(&mut conn, a.id, t0 + days(2));
        add_token(&mut conn, a.id, t0 - secs(1)); // expired
        add_token(&mut conn, a.id, t0); // expires exactly at t0: not active at t0
        let revoked = add_token(&mut conn, a.id, t0 + days(1));
        repo::refresh_tokens::revoke(&mut conn, &revoked.token, t0).unwrap();
        let nul = add_token(&mut conn, a.id, t0 + days(1));
        db.exec(&format!(
            "UPDATE refresh_tokens SET is_revoked = NULL WHERE id = '{}'",
            nul.id
        ));
        for _ in 0..2 {
            add_token(&mut conn, b.id, t0 + hours(1));
        }

        assert_eq!(count_for(&mut conn, a.id, t0), 4, "{l}");
        assert_eq!(count_for(&mut conn, b.id, t0), 2, "{l}");
        assert_eq!(count_all(&mut conn, t0), 6, "{l}");
        // At a later instant, fewer are still active.
        assert_eq!(count_for(&mut conn, a.id, t0 + hours(2)), 1, "{l}");
        assert_eq!(count_all(&mut conn, t0 + hours(2)), 1, "{l}");
        assert_eq!(count_all(&mut conn, t0 + days(3)), 0, "{l}");
        // Earlier, the expired ones still counted.
        assert_eq!(count_for(&mut conn, a.id, t0 - secs(2)), 6, "{l}");
        assert_eq!(count_for(&mut conn, UserId::new_v4(), t0), 0, "{l}");
        assert_eq!(
            n(&db, "SELECT count(*) AS n FROM refresh_tokens"),
            10,
            "{l}: counting changes nothing"
        );
    }
}

per_backend! {
    fn refresh_tokens_delete_by_value(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "del@example.com");
        let t = add_token(&mut conn, u.id, now() + days(1));
        let keep = add_token(&mut conn, u.id, now() + days(1));
        assert!(
            !repo::refresh_tokens::delete(&mut conn, &t.token.to_uppercase()).unwrap(),
            "{l}: exact value only"
        );
        assert!(
            repo::refresh_tokens::delete(&mut conn, &t.token).unwrap(),
            "{l}"
        );
        assert!(
            !repo::refresh_tokens::delete(&mut conn, &t.token).unwrap(),
            "{l}: already gone"
        );
        assert_eq!(
            repo::refresh_tokens::find(&mut conn, t.id).unwrap(),
            None,
            "{l}"
        );
        assert_eq!(token(&mut conn, keep.id), keep, "{l}");
        assert_eq!(n(&db, "SELECT count(*) AS n FROM refresh_tokens"), 1, "{l}");
    }
}

per_backend! {
    fn refresh_tokens_keep_newest_deletes_all_but_the_newest_of_one_user(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "ka@example.com");
        let b = add_user(&mut conn, "kb@example.com");
        let t0 = now();
        let exp = t0 + days(1);
        // Created out of order; one is revoked and one expired (still counted).
        let ages = [5, 1, 3, 6, 2, 4];
        let a_tokens: Vec<RefreshToken> = ages
            .iter()
            .map(|h| add_token_created(&mut conn, a.id, t0 - hours(*h), exp))
            .collect();
        let by_age = |h: i64| a_tokens[ages.iter().position(|x| *x == h).unwrap()].id;
        repo::refresh_tokens::revoke(&mut conn, &a_tokens[1].token, t0).unwrap();
        let b_tokens: Vec<RefreshTokenId> = (0..3)
            .map(|i| add_token_created(&mut conn, b.id, t0 - hours(10 + i), exp).id)
            .collect();

        assert_eq!(
            repo::refresh_tokens::keep_newest(&mut conn, a.id, 10).unwrap(),
            0,
            "{l}: fewer than keep"
        );
        assert_eq!(
            repo::refresh_tokens::keep_newest(&mut conn, a.id, 3).unwrap(),
            3,
            "{l}"
        );
        assert_eq!(
            token_ids(&repo::refresh_tokens::find_by_user(&mut conn, a.id).unwrap()),
            vec![by_age(1), by_age(2), by_age(3)],
            "{l}: the three newest kept"
        );
        assert_eq!(
            token_ids(&repo::refresh_tokens::find_by_user(&mut conn, b.id).unwrap()),
            b_tokens,
            "{l}: other user untouched"
        );
        assert_eq!(
            repo::refresh_tokens::keep_newest(&mut conn, a.id, 3).unwrap(),
            0,
            "{l}: idempotent"
        );
        assert_eq!(
            repo::refresh_tokens::keep_newest(&mut conn, a.id, 0).unwrap(),
            3,
            "{l}: keep 0 deletes all of the user's tokens"
        );
        assert!(
            repo::refresh_tokens::find_by_user(&mut conn, a.id)
                .unwrap()
                .is_empty(),
            "{l}"
        );
        assert_eq!(
            n(&db, "SELECT count(*) AS n FROM refresh_tokens"),
            3,
            "{l}: b's three"
        );
    }
}

per_backend! {
    /// A row with an unknown creation time (NULL `created_at`, allowed by the schema) is
    /// not "newest": both backends must order it the same way, after every dated row,
    /// or `keep_newest` keeps different tokens on PostgreSQL (NULLS FIRST for DESC)
    /// than on SQLite (NULLs sort low).
    fn newest_first_orders_a_null_created_at_last_on_every_backend(db: migrated) {
        let mut findings = Findings::default();
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "nullts@example.com");
        let t0 = now();
        let older = add_token_created(&mut conn, u.id, t0 - hours(2), t0 + days(1));
        let newer = add_token_created(&mut conn, u.id, t0 - hours(1), t0 + days(1));
        let undated = add_token_created(&mut conn, u.id, t0 - hours(3), t0 + days(1));
        db.exec(&format!(
            "UPDATE refresh_tokens SET created_at = NULL WHERE id = '{}'",
            undated.id
        ));
        findings.eq(
            token_ids(&repo::refresh_tokens::find_by_user(&mut conn, u.id).unwrap()),
            vec![newer.id, older.id, undated.id],
            format!("{l}: refresh_tokens::find_by_user"),
        );
        repo::refresh_tokens::keep_newest(&mut conn, u.id, 2).unwrap();
        findings.eq(
            ids_in(&db, "refresh_tokens", "id"),
            id_set(&[newer.id, older.id]),
            format!("{l}: tokens left by keep_newest(2)"),
        );

        let s_older = add_session_between(&mut conn, u.id, t0 - hours(2), t0 + days(1));
        let s_newer = add_session_between(&mut conn, u.id, t0 - hours(1), t0 + days(1));
        let s_undated = add_session_between(&mut conn, u.id, t0 - hours(3), t0 + days(1));
        db.exec(&format!(
            "UPDATE login_sessions SET created_at = NULL WHERE session_id = '{}'",
            s_undated.session_id
        ));
        let expected = vec![s_newer.session_id, s_older.session_id, s_undated.session_id];
        findings.eq(
            session_ids(&repo::login_sessions::find_by_user(&mut conn, u.id).unwrap()),
            expected.clone(),
            format!("{l}: login_sessions::find_by_user"),
        );
        findings.eq(
            session_ids(&repo::login_sessions::active_for_user(&mut conn, u.id, now()).unwrap()),
            expected,
            format!("{l}: login_sessions::active_for_user"),
        );
        findings.assert_none();
    }
}

// ---------------------------------------------------------------------------
// login_sessions
// ---------------------------------------------------------------------------

per_backend! {
    fn login_sessions_create_and_find_by_id_and_token(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "sess@example.com");
        let mut new = NewSession::new(u.id, hours(12));
        new.ip_address = Some("192.0.2.55".parse().unwrap());
        new.user_agent = Some("Mozilla/5.0");
        let s = repo::login_sessions::create(&mut conn, &new).unwrap();

        assert_eq!(s.session_id, new.session_id, "{l}");
        assert_eq!(s.session_token, new.session_token, "{l}");
        assert_ne!(s.session_token.0, s.session_id.0, "{l}");
        assert_eq!(s.user_id, u.id, "{l}");
        assert_eq!(s.created_at, Some(new.created_at), "{l}");
        assert_eq!(s.last_activity_at, Some(new.created_at), "{l}");
        assert_eq!(s.expires_at, new.created_at + hours(12), "{l}");
        assert_eq!(s.is_active, Some(true), "{l}");
        assert_eq!(
            s.ip_address.map(|i| i.to_string()).as_deref(),
            Some("192.0.2.55"),
            "{l}"
        );
        assert_eq!(s.user_agent.as_deref(), Some("Mozilla/5.0"), "{l}");
        assert_eq!(s.state(now()), CredentialState::Active, "{l}");

        assert_eq!(
            repo::login_sessions::find(&mut conn, s.session_id).unwrap(),
            Some(s.clone()),
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::find(&mut conn, SessionId::new_v4()).unwrap(),
            None,
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::find_by_token(&mut conn, s.session_token).unwrap(),
            Some(s.clone()),
            "{l}"
        );
        for wrong in [SessionToken::new_v4(), SessionToken(s.session_id.0)] {
            assert_eq!(
                repo::login_sessions::find_by_token(&mut conn, wrong).unwrap(),
                None,
                "{l}"
            );
        }

        // The token is a bearer secret: a fingerprint only, never serialized.
        let secret = s.session_token.to_string();
        assert_eq!(s.fingerprint(), authctl::token::fingerprint(&secret), "{l}");
        let text = serde_json::to_string(&s).unwrap();
        assert!(!text.contains(&secret), "{l}: {text}");
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(v.get("session_token").is_none(), "{l}: {v}");
        assert_eq!(v["session_id"], s.session_id.to_string(), "{l}");

        // The schema refuses a session that expires before it starts, a duplicate
        // token and an unknown user.
        let mut backwards = NewSession::new(u.id, hours(1));
        backwards.expires_at = backwards.created_at - secs(1);
        let err = repo::login_sessions::create(&mut conn, &backwards).expect_err("expires first");
        assert!(
            is_kind(&err, DatabaseErrorKind::CheckViolation),
            "{l}: {err:?}"
        );
        let mut dup = NewSession::new(u.id, hours(1));
        dup.session_token = s.session_token;
        let err = repo::login_sessions::create(&mut conn, &dup).expect_err("same token");
        assert!(
            is_kind(&err, DatabaseErrorKind::UniqueViolation),
            "{l}: {err:?}"
        );
        let err =
            repo::login_sessions::create(&mut conn, &NewSession::new(UserId::new_v4(), hours(1)))
                .expect_err("unknown user");
        assert!(
            is_kind(&err, DatabaseErrorKind::ForeignKeyViolation),
            "{l}: {err:?}"
        );
        assert_eq!(
            ids_in(&db, "login_sessions", "session_id"),
            id_set(&[s.session_id]),
            "{l}"
        );
    }
}

per_backend! {
    fn login_sessions_find_by_user_and_active_for_user_newest_first(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "la@example.com");
        let b = add_user(&mut conn, "lb@example.com");
        let t0 = now();
        let h3 = add_session_between(&mut conn, a.id, t0 - hours(3), t0 + hours(1));
        let h1 = add_session_between(&mut conn, a.id, t0 - hours(1), t0 + hours(1));
        let expired = add_session_between(&mut conn, a.id, t0 - hours(2), t0 - mins(1));
        let inactive = add_session_between(&mut conn, a.id, t0 - mins(30), t0 + hours(1));
        repo::login_sessions::invalidate(&mut conn, inactive.session_id).unwrap();
        let nul = add_session_between(&mut conn, a.id, t0 - mins(20), t0 + hours(1));
        db.exec(&format!(
            "UPDATE login_sessions SET is_active = NULL WHERE session_id = '{}'",
            nul.session_id
        ));
        let m5 = add_session_between(&mut conn, a.id, t0 - mins(5), t0 + hours(1));
        let b1 = add_session_between(&mut conn, b.id, t0 - mins(1), t0 + hours(1));

        assert_eq!(
            session_ids(&repo::login_sessions::find_by_user(&mut conn, a.id).unwrap()),
            vec![
                m5.session_id,
                nul.session_id,
                inactive.session_id,
                h1.session_id,
                expired.session_id,
                h3.session_id
            ],
            "{l}: every session, newest first"
        );
        let active = repo::login_sessions::active_for_user(&mut conn, a.id, t0).unwrap();
        assert_eq!(
            session_ids(&active),
            vec![m5.session_id, h1.session_id, h3.session_id],
            "{l}: active only, newest first"
        );
        assert_eq!(active[0], session(&mut conn, m5.session_id), "{l}");
        assert_eq!(
            session_ids(
                &repo::login_sessions::active_for_user(&mut conn, a.id, t0 + hours(2)).unwrap()
            ),
            Vec::<SessionId>::new(),
            "{l}: all expired by then"
        );
        assert_eq!(
            session_ids(&repo::login_sessions::find_by_user(&mut conn, b.id).unwrap()),
            vec![b1.session_id],
            "{l}"
        );
        assert!(
            repo::login_sessions::find_by_user(&mut conn, UserId::new_v4())
                .unwrap()
                .is_empty(),
            "{l}"
        );
        assert!(
            repo::login_sessions::active_for_user(&mut conn, UserId::new_v4(), t0)
                .unwrap()
                .is_empty(),
            "{l}"
        );
    }
}

per_backend! {
    fn login_sessions_update_applies_changes_and_the_activity_trigger(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "upd@example.com");
        let t0 = now();
        let s = add_session_between(&mut conn, u.id, t0 - hours(1), t0 + hours(1));
        let other = add_session(&mut conn, u.id, hours(1));

        let new_exp = t0 + days(2);
        let ip: Inet = "2001:db8::7".parse().unwrap();
        let before = now();
        let v = repo::login_sessions::update(
            &mut conn,
            s.session_id,
            &SessionChanges {
                expires_at: Some(new_exp),
                ip_address: Some(Some(ip)),
                user_agent: Some(Some("curl/8.5".into())),
                ..Default::default()
            },
        )
        .unwrap()
        .expect("session exists");
        let after = now();
        assert_eq!(v.expires_at, new_exp, "{l}");
        assert_eq!(v.ip_address, Some(ip), "{l}");
        assert_eq!(v.user_agent.as_deref(), Some("curl/8.5"), "{l}");
        assert_eq!(v.is_active, Some(true), "{l}");
        assert_eq!(
            (v.session_token, v.user_id, v.created_at),
            (s.session_token, s.user_id, s.created_at),
            "{l}: untouched columns"
        );
        // The application's trigger records activity on an update that leaves the
        // session active.
        assert_between(
            v.last_activity_at.expect("last_activity_at"),
            before,
            after,
            &format!("{l}: last_activity_at after an update"),
        );
        assert_eq!(
            session(&mut conn, s.session_id),
            v,
            "{l}: returned the stored row"
        );
        assert_eq!(session(&mut conn, other.session_id), other, "{l}");

        // Some(None) clears.
        let w = repo::login_sessions::update(
            &mut conn,
            s.session_id,
            &SessionChanges {
                ip_address: Some(None),
                user_agent: Some(None),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!((w.ip_address, w.user_agent.as_deref()), (None, None), "{l}");
        assert_eq!(w.expires_at, new_exp, "{l}: None leaves expires_at alone");

        // Deactivating with an explicit last activity stores exactly that (the
        // trigger only acts on rows left active), and later updates of the
        // inactive row leave it alone.
        let last = at("2026-07-08T09:10:11.121314Z");
        let x = repo::login_sessions::update(
            &mut conn,
            s.session_id,
            &SessionChanges {
                is_active: Some(false),
                last_activity_at: Some(last),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(x.is_active, Some(false), "{l}");
        assert_eq!(x.last_activity_at, Some(last), "{l}");
        assert_eq!(x.state(now()), CredentialState::Revoked, "{l}");
        let y = repo::login_sessions::update(
            &mut conn,
            s.session_id,
            &SessionChanges {
                user_agent: Some(Some("later".into())),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(y.last_activity_at, Some(last), "{l}");
        assert_eq!(y.user_agent.as_deref(), Some("later"), "{l}");

        // An expiry before creation is refused and changes nothing.
        let err = repo::login_sessions::update(
            &mut conn,
            s.session_id,
            &SessionChanges {
                expires_at: Some(t0 - days(1)),
                ..Default::default()
            },
        )
        .expect_err("expires before created");
        assert!(
            is_kind(&err, DatabaseErrorKind::CheckViolation),
            "{l}: {err:?}"
        );
        assert_eq!(session(&mut conn, s.session_id), y, "{l}");

        assert_eq!(
            repo::login_sessions::update(
                &mut conn,
                SessionId::new_v4(),
                &SessionChanges {
                    is_active: Some(false),
                    ..Default::default()
                }
            )
            .unwrap(),
            None,
            "{l}: unknown id"
        );
    }
}

per_backend! {
    /// The application's `update` returns the row unchanged when given no changes;
    /// `repo::users::update` accepts an empty change set too.
    fn login_sessions_update_with_no_changes_returns_the_row_unchanged(db: migrated) {
        let mut findings = Findings::default();
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "noop@example.com");
        let s = add_session(&mut conn, u.id, hours(1));
        findings.eq(
            repo::login_sessions::update(&mut conn, s.session_id, &SessionChanges::default())
                .map_err(|e| e.to_string()),
            Ok(Some(s.clone())),
            format!("{l}: update(existing, no changes)"),
        );
        findings.eq(
            repo::login_sessions::update(
                &mut conn,
                SessionId::new_v4(),
                &SessionChanges::default(),
            )
            .map_err(|e| e.to_string()),
            Ok(None),
            format!("{l}: update(unknown, no changes)"),
        );
        findings.assert_none();
    }
}

per_backend! {
    fn login_sessions_update_activity_touches_only_active_sessions(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "act@example.com");
        let t0 = now();
        let s = add_session_between(&mut conn, u.id, t0 - hours(2), t0 + hours(1));
        let bystander = add_session_between(&mut conn, u.id, t0 - hours(2), t0 + hours(1));
        assert_eq!(s.last_activity_at, Some(t0 - hours(2)), "{l}");

        let before = now();
        assert!(
            repo::login_sessions::update_activity(&mut conn, s.session_id, before).unwrap(),
            "{l}"
        );
        let after = now();
        let r = session(&mut conn, s.session_id);
        assert_between(
            r.last_activity_at.expect("last_activity_at"),
            before,
            after,
            &format!("{l}: last_activity_at"),
        );
        assert_eq!(
            (r.expires_at, r.is_active, r.created_at),
            (s.expires_at, s.is_active, s.created_at),
            "{l}: nothing else changed"
        );
        assert_eq!(
            session(&mut conn, bystander.session_id),
            bystander,
            "{l}: other session untouched"
        );

        // An invalidated session, or one whose flag is NULL, is not touched.
        let inactive = add_session_between(&mut conn, u.id, t0 - hours(2), t0 + hours(1));
        repo::login_sessions::invalidate(&mut conn, inactive.session_id).unwrap();
        let nul = add_session_between(&mut conn, u.id, t0 - hours(2), t0 + hours(1));
        db.exec(&format!(
            "UPDATE login_sessions SET is_active = NULL WHERE session_id = '{}'",
            nul.session_id
        ));
        for id in [inactive.session_id, nul.session_id] {
            let row = session(&mut conn, id);
            assert!(
                !repo::login_sessions::update_activity(&mut conn, id, now()).unwrap(),
                "{l}"
            );
            assert_eq!(session(&mut conn, id), row, "{l}: unchanged");
            assert_eq!(row.last_activity_at, Some(t0 - hours(2)), "{l}");
        }
        assert!(
            !repo::login_sessions::update_activity(&mut conn, SessionId::new_v4(), now()).unwrap(),
            "{l}: unknown id"
        );
    }
}

per_backend! {
    fn login_sessions_validate_rejects_unknown_expired_invalidated_and_null_flag(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "sval@example.com");
        let validate = |conn: &mut DbConn, t: SessionToken, at: UtcDateTime| {
            repo::login_sessions::validate(conn, t, at).unwrap()
        };
        let s = add_session(&mut conn, u.id, hours(1));
        assert!(validate(&mut conn, s.session_token, now()), "{l}");
        assert!(
            !validate(&mut conn, SessionToken::new_v4(), now()),
            "{l}: unknown"
        );
        assert!(
            !validate(&mut conn, SessionToken(s.session_id.0), now()),
            "{l}: the session id is not its token"
        );
        assert!(
            validate(&mut conn, s.session_token, s.expires_at - micros(1)),
            "{l}"
        );
        assert!(
            !validate(&mut conn, s.session_token, s.expires_at),
            "{l}: at expires_at"
        );

        let t0 = now();
        let expired = add_session_between(&mut conn, u.id, t0 - hours(2), t0 - secs(1));
        assert_eq!(expired.state(now()), CredentialState::Expired, "{l}");
        assert!(
            !validate(&mut conn, expired.session_token, now()),
            "{l}: expired"
        );

        let gone = add_session(&mut conn, u.id, hours(1));
        assert!(validate(&mut conn, gone.session_token, now()), "{l}");
        repo::login_sessions::invalidate(&mut conn, gone.session_id).unwrap();
        assert!(
            !validate(&mut conn, gone.session_token, now()),
            "{l}: invalidated"
        );

        let nul = add_session(&mut conn, u.id, hours(1));
        db.exec(&format!(
            "UPDATE login_sessions SET is_active = NULL WHERE session_id = '{}'",
            nul.session_id
        ));
        let nul = session(&mut conn, nul.session_id);
        assert_eq!(nul.is_active, None, "{l}");
        assert_eq!(nul.state(now()), CredentialState::Revoked, "{l}");
        assert!(
            !validate(&mut conn, nul.session_token, now()),
            "{l}: NULL is_active"
        );

        assert!(
            validate(&mut conn, s.session_token, now()),
            "{l}: first still valid"
        );
    }
}

per_backend! {
    fn login_sessions_invalidate_invalidate_ids_and_invalidate_all_for_user(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "sa@example.com");
        let b = add_user(&mut conn, "sb@example.com");
        let t0 = now();

        // invalidate: true once, then false; last activity is kept.
        let s = add_session_between(&mut conn, a.id, t0 - hours(1), t0 + hours(1));
        assert!(
            repo::login_sessions::invalidate(&mut conn, s.session_id).unwrap(),
            "{l}"
        );
        let r = session(&mut conn, s.session_id);
        assert_eq!(r.is_active, Some(false), "{l}");
        assert_eq!(
            r.last_activity_at, s.last_activity_at,
            "{l}: trigger not fired"
        );
        assert_eq!(r.expires_at, s.expires_at, "{l}");
        assert_eq!(r.state(now()), CredentialState::Revoked, "{l}");
        assert!(
            !repo::login_sessions::invalidate(&mut conn, s.session_id).unwrap(),
            "{l}: already inactive"
        );
        assert!(
            !repo::login_sessions::invalidate(&mut conn, SessionId::new_v4()).unwrap(),
            "{l}: unknown"
        );
        // A NULL flag becomes false.
        let nul = add_session(&mut conn, a.id, hours(1));
        db.exec(&format!(
            "UPDATE login_sessions SET is_active = NULL WHERE session_id = '{}'",
            nul.session_id
        ));
        assert!(
            repo::login_sessions::invalidate(&mut conn, nul.session_id).unwrap(),
            "{l}"
        );
        assert_eq!(
            session(&mut conn, nul.session_id).is_active,
            Some(false),
            "{l}"
        );

        // invalidate_ids: only listed, still active ones.
        let a1 = add_session(&mut conn, a.id, hours(1));
        let a2 = add_session(&mut conn, a.id, hours(1));
        let a_unlisted = add_session(&mut conn, a.id, hours(1));
        let b1 = add_session(&mut conn, b.id, hours(1));
        let listed = [
            a1.session_id,
            a2.session_id,
            s.session_id,
            b1.session_id,
            SessionId::new_v4(),
        ];
        assert_eq!(
            repo::login_sessions::invalidate_ids(&mut conn, &listed).unwrap(),
            3,
            "{l}: a1, a2, b1"
        );
        for id in [a1.session_id, a2.session_id, b1.session_id] {
            assert_eq!(session(&mut conn, id).is_active, Some(false), "{l}");
        }
        assert_eq!(
            session(&mut conn, a_unlisted.session_id),
            a_unlisted,
            "{l}: unlisted untouched"
        );
        assert_eq!(
            repo::login_sessions::invalidate_ids(&mut conn, &listed).unwrap(),
            0,
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::invalidate_ids(&mut conn, &[]).unwrap(),
            0,
            "{l}: empty list"
        );
        assert_eq!(session(&mut conn, a_unlisted.session_id), a_unlisted, "{l}");

        // invalidate_all_for_user: every still-active session of that user
        // (an expired one too), nobody else's.
        let a_more: Vec<LoginSession> = (0..2)
            .map(|_| add_session(&mut conn, a.id, hours(1)))
            .collect();
        let a_expired = add_session_between(&mut conn, a.id, t0 - hours(2), t0 - hours(1));
        let b_more: Vec<LoginSession> = (0..2)
            .map(|_| add_session(&mut conn, b.id, hours(1)))
            .collect();
        assert_eq!(
            repo::login_sessions::invalidate_all_for_user(&mut conn, a.id).unwrap(),
            4,
            "{l}: a_unlisted, two more and the expired one"
        );
        for id in a_more
            .iter()
            .map(|s| s.session_id)
            .chain([a_unlisted.session_id, a_expired.session_id])
        {
            assert_eq!(session(&mut conn, id).is_active, Some(false), "{l}");
        }
        for bs in &b_more {
            assert_eq!(
                &session(&mut conn, bs.session_id),
                bs,
                "{l}: other user untouched"
            );
        }
        assert_eq!(
            repo::login_sessions::count_active_for_user(&mut conn, a.id, now()).unwrap(),
            0,
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::invalidate_all_for_user(&mut conn, a.id).unwrap(),
            0,
            "{l}: nothing left"
        );
        assert_eq!(
            repo::login_sessions::invalidate_all_for_user(&mut conn, UserId::new_v4()).unwrap(),
            0,
            "{l}"
        );
    }
}

per_backend! {
    fn login_sessions_delete_expired_deletes_expired_and_inactive_idle_more_than_30_days(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "spurge@example.com");
        let t0 = now();
        let future = t0 + days(7);
        let expired = add_session_between(&mut conn, u.id, t0 - days(3), t0 - days(2)).session_id;
        let expired_just_now =
            add_session_between(&mut conn, u.id, t0 - hours(1), t0 - micros(1)).session_id;
        let expires_exactly_now =
            add_session_between(&mut conn, u.id, t0 - hours(1), t0).session_id;
        let active = add_session_between(&mut conn, u.id, t0 - hours(1), future).session_id;
        let active_idle_40_days =
            add_session_between(&mut conn, u.id, t0 - days(40), future).session_id;
        let inactive_idle_31_days =
            add_inactive_session(&mut conn, u.id, t0 - days(31), future).session_id;
        let inactive_idle_30_days =
            add_inactive_session(&mut conn, u.id, t0 - days(30), future).session_id;
        let inactive_idle_29_days =
            add_inactive_session(&mut conn, u.id, t0 - days(29), future).session_id;
        let inactive_no_activity =
            add_inactive_session(&mut conn, u.id, t0 - days(31), future).session_id;
        db.exec(&format!(
            "UPDATE login_sessions SET last_activity_at = NULL WHERE session_id = '{inactive_no_activity}'"
        ));
        let null_flag_idle =
            add_inactive_session(&mut conn, u.id, t0 - days(31), future).session_id;
        db.exec(&format!(
            "UPDATE login_sessions SET is_active = NULL WHERE session_id = '{null_flag_idle}'"
        ));

        assert_eq!(
            repo::login_sessions::delete_expired(&mut conn, t0).unwrap(),
            3,
            "{l}"
        );
        assert_eq!(
            ids_in(&db, "login_sessions", "session_id"),
            id_set(&[
                expires_exactly_now,
                active,
                active_idle_40_days,
                inactive_idle_30_days,
                inactive_idle_29_days,
                inactive_no_activity,
                null_flag_idle,
            ]),
            "{l}: deleted exactly {:?}",
            [expired, expired_just_now, inactive_idle_31_days]
        );
        assert_eq!(
            repo::login_sessions::delete_expired(&mut conn, t0).unwrap(),
            0,
            "{l}: idempotent"
        );
        assert_eq!(
            repo::login_sessions::count_active_for_user(&mut conn, u.id, t0).unwrap(),
            2,
            "{l}: active and active_idle_40_days"
        );
    }
}

per_backend! {
    fn login_sessions_count_active_and_count_active_for_user(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "cnta@example.com");
        let b = add_user(&mut conn, "cntb@example.com");
        let t0 = now();
        let count_all = |conn: &mut DbConn, at: UtcDateTime| {
            repo::login_sessions::count_active(conn, at).unwrap()
        };
        let count_for = |conn: &mut DbConn, uid: UserId, at: UtcDateTime| {
            repo::login_sessions::count_active_for_user(conn, uid, at).unwrap()
        };
        assert_eq!(count_all(&mut conn, t0), 0, "{l}");

        for _ in 0..3 {
            add_session_between(&mut conn, a.id, t0 - hours(1), t0 + hours(1));
        }
        add_session_between(&mut conn, a.id, t0 - hours(1), t0 + days(2));
        add_session_between(&mut conn, a.id, t0 - hours(1), t0 - secs(1)); // expired
        add_session_between(&mut conn, a.id, t0 - hours(1), t0); // expires at t0
        let off = add_session_between(&mut conn, a.id, t0 - hours(1), t0 + days(1));
        repo::login_sessions::invalidate(&mut conn, off.session_id).unwrap();
        let nul = add_session_between(&mut conn, a.id, t0 - hours(1), t0 + days(1));
        db.exec(&format!(
            "UPDATE login_sessions SET is_active = NULL WHERE session_id = '{}'",
            nul.session_id
        ));
        for _ in 0..2 {
            add_session_between(&mut conn, b.id, t0 - hours(1), t0 + hours(1));
        }

        assert_eq!(count_for(&mut conn, a.id, t0), 4, "{l}");
        assert_eq!(count_for(&mut conn, b.id, t0), 2, "{l}");
        assert_eq!(count_all(&mut conn, t0), 6, "{l}");
        assert_eq!(count_for(&mut conn, a.id, t0 + hours(2)), 1, "{l}");
        assert_eq!(count_all(&mut conn, t0 + hours(2)), 1, "{l}");
        assert_eq!(count_all(&mut conn, t0 + days(3)), 0, "{l}");
        assert_eq!(count_for(&mut conn, a.id, t0 - secs(2)), 6, "{l}");
        assert_eq!(count_for(&mut conn, UserId::new_v4(), t0), 0, "{l}");
    }
}

per_backend! {
    fn login_sessions_delete_and_with_user(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let mut new = NewUser::new("wu@example.com", password_hash());
        new.name = Some("With User");
        new.role = "premium";
        let u = new.insert(&mut conn).unwrap();
        let s = add_session(&mut conn, u.id, hours(1));
        let keep = add_session(&mut conn, u.id, hours(1));

        let (got_s, got_u) = repo::login_sessions::with_user(&mut conn, s.session_id)
            .unwrap()
            .expect("session with user");
        assert_eq!(got_s, s, "{l}");
        assert_eq!(got_u, u, "{l}");
        assert_eq!(
            repo::login_sessions::with_user(&mut conn, SessionId::new_v4()).unwrap(),
            None,
            "{l}"
        );

        assert!(
            repo::login_sessions::delete(&mut conn, s.session_id).unwrap(),
            "{l}"
        );
        assert!(
            !repo::login_sessions::delete(&mut conn, s.session_id).unwrap(),
            "{l}: already gone"
        );
        assert_eq!(
            repo::login_sessions::find(&mut conn, s.session_id).unwrap(),
            None,
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::with_user(&mut conn, s.session_id).unwrap(),
            None,
            "{l}"
        );
        assert_eq!(session(&mut conn, keep.session_id), keep, "{l}");

        // Deleting the user takes its sessions along.
        repo::users::delete(&mut conn, u.id).unwrap();
        assert_eq!(
            repo::login_sessions::with_user(&mut conn, keep.session_id).unwrap(),
            None,
            "{l}"
        );
        assert_eq!(n(&db, "SELECT count(*) AS n FROM login_sessions"), 0, "{l}");
    }
}

// ---------------------------------------------------------------------------
// audit_events
// ---------------------------------------------------------------------------

per_backend! {
    fn audit_events_commit_and_roll_back_with_the_change(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "audited@example.com");
        let event = |role: &'static str| NewAuditEvent {
            actor: "ops@example.com",
            action: AuditAction::UserUpdate,
            user_id: Some(u.id),
            user_email: Some("audited@example.com"),
            detail: Some(json!({ "role": role })),
        };
        let change = |role: &str| UserChanges {
            role: Some(role.into()),
            ..Default::default()
        };
        let events = |db: &TestDb| n(db, "SELECT count(*) AS n FROM authctl_audit_events");

        // The change and its event roll back together.
        let r: Result<(), anyhow::Error> = conn.transaction(|conn| {
            repo::users::update(conn, u.id, &change("admin"))?;
            event("admin").append(conn)?;
            anyhow::bail!("policy check failed")
        });
        assert_eq!(r.unwrap_err().to_string(), "policy check failed", "{l}");
        assert_eq!(events(&db), 0, "{l}");
        assert_eq!(user(&mut conn, u.id).role(), "user", "{l}");

        // A failing database statement after the append also rolls it back.
        let r: Result<(), DieselError> = conn.transaction(|conn| {
            repo::users::update(conn, u.id, &change("admin"))?;
            event("admin").append(conn)?;
            NewUser::new("audited@example.com", password_hash()).insert(conn)?;
            Ok(())
        });
        assert!(
            is_kind(&r.unwrap_err(), DatabaseErrorKind::UniqueViolation),
            "{l}"
        );
        assert_eq!(events(&db), 0, "{l}");
        assert_eq!(user(&mut conn, u.id).role(), "user", "{l}");

        // A failing append (its user does not exist) rolls back the change.
        let r: Result<(), DieselError> = conn.transaction(|conn| {
            repo::users::update(conn, u.id, &change("admin"))?;
            NewAuditEvent {
                user_id: Some(UserId::new_v4()),
                ..event("admin")
            }
            .append(conn)
        });
        assert!(
            is_kind(&r.unwrap_err(), DatabaseErrorKind::ForeignKeyViolation),
            "{l}"
        );
        assert_eq!(user(&mut conn, u.id).role(), "user", "{l}");
        assert_eq!(events(&db), 0, "{l}");

        // Committed: both stored.
        let before = now();
        conn.transaction(|conn| {
            repo::users::update(conn, u.id, &change("premium"))?;
            event("premium").append(conn)
        })
        .unwrap();
        let after = now();
        assert_eq!(user(&mut conn, u.id).role(), "premium", "{l}");
        let listed = list_events(
            &mut conn,
            AuditFilter {
                limit: 10,
                ..Default::default()
            },
        );
        assert_eq!(listed.len(), 1, "{l}");
        let e = &listed[0];
        assert_eq!(e.actor, "ops@example.com", "{l}");
        assert_eq!(e.action, "user.update", "{l}");
        assert_eq!(e.user_id, Some(u.id), "{l}");
        assert_eq!(e.user_email.as_deref(), Some("audited@example.com"), "{l}");
        assert!(e.occurred_at >= before && e.occurred_at <= after, "{l}");
        let detail: serde_json::Value = serde_json::from_str(e.detail.as_deref().unwrap()).unwrap();
        assert_eq!(detail, json!({ "role": "premium" }), "{l}");

        // Appended outside any transaction: stored immediately.
        NewAuditEvent {
            actor: "system",
            action: AuditAction::AuditPurge,
            user_id: None,
            user_email: None,
            detail: None,
        }
        .append(&mut conn)
        .unwrap();
        assert_eq!(events(&db), 2, "{l}");
    }
}

per_backend! {
    fn audit_events_detail_round_trips_and_serializes_as_an_object(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "json@example.com");
        let detail = json!({
            "changed": ["role", "name"],
            "count": 3,
            "ratio": 0.5,
            "flag": true,
            "none": null,
            "nested": { "from": "user", "to": "admin" },
            "text": "quote \" backslash \\ newline \n unicode é ✓ 🦀",
        });
        NewAuditEvent {
            actor: "ops",
            action: AuditAction::UserUpdate,
            user_id: Some(u.id),
            user_email: Some(&u.email),
            detail: Some(detail.clone()),
        }
        .append(&mut conn)
        .unwrap();
        NewAuditEvent {
            actor: "ops",
            action: AuditAction::UserEnable,
            user_id: Some(u.id),
            user_email: Some(&u.email),
            detail: None,
        }
        .append(&mut conn)
        .unwrap();

        let events = list_events(
            &mut conn,
            AuditFilter {
                limit: 10,
                ..Default::default()
            },
        );
        assert_eq!(events.len(), 2, "{l}");
        let with = events.iter().find(|e| e.action == "user.update").unwrap();
        let without = events.iter().find(|e| e.action == "user.enable").unwrap();
        let stored: serde_json::Value =
            serde_json::from_str(with.detail.as_deref().unwrap()).unwrap();
        assert_eq!(stored, detail, "{l}");
        assert_eq!(without.detail, None, "{l}");

        let v = serde_json::to_value(with).unwrap();
        assert!(v["detail"].is_object(), "{l}: {v}");
        assert_eq!(v["detail"], detail, "{l}");
        assert_eq!(v["id"], with.id, "{l}");
        assert_eq!(v["user_id"], u.id.to_string(), "{l}");
        assert_eq!(v["user_email"], "json@example.com", "{l}");
        assert_eq!(v["actor"], "ops", "{l}");
        assert_eq!(v["action"], "user.update", "{l}");
        assert!(
            v["occurred_at"].as_str().unwrap().ends_with('Z'),
            "{l}: {v}"
        );
        assert_eq!(
            serde_json::to_value(without).unwrap()["detail"],
            serde_json::Value::Null,
            "{l}"
        );
    }
}

per_backend! {
    fn audit_events_store_every_action_under_its_name(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        for action in AuditAction::ALL {
            NewAuditEvent {
                actor: "svc",
                action: *action,
                user_id: None,
                user_email: None,
                detail: None,
            }
            .append(&mut conn)
            .unwrap();
        }
        let names: BTreeSet<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(names.len(), AuditAction::ALL.len(), "{l}: distinct names");
        for action in AuditAction::ALL {
            let found = list_events(
                &mut conn,
                AuditFilter {
                    action: Some(action.as_str().into()),
                    limit: 10,
                    ..Default::default()
                },
            );
            assert_eq!(found.len(), 1, "{l}: {action}");
            assert_eq!(found[0].action, action.to_string(), "{l}");
            assert_eq!(
                serde_json::to_value(action).unwrap(),
                json!(action.as_str()),
                "{l}"
            );
        }
    }
}

/// Insert an audit event at a chosen time (the repository always uses "now").
fn insert_event_at(
    conn: &mut DbConn,
    occurred_at: UtcDateTime,
    action: &str,
    user: Option<&User>,
) -> i64 {
    use schema::authctl_audit_events as a;
    with_conn!(conn, c => diesel::insert_into(a::table)
        .values((
            a::occurred_at.eq(occurred_at),
            a::actor.eq("seed"),
            a::action.eq(action),
            a::user_id.eq(user.map(|u| u.id)),
            a::user_email.eq(user.map(|u| u.email.clone())),
        ))
        .execute(c))
    .unwrap();
    with_conn!(conn, c => a::table.select(diesel::dsl::max(a::id)).first::<Option<i64>>(c))
        .unwrap()
        .unwrap()
}

per_backend! {
    fn audit_events_list_filters_and_pages_newest_first(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "ea@example.com");
        let b = add_user(&mut conn, "eb@example.com");
        let t0 = at("2026-06-01T12:00:00.000001Z");
        let e1 = insert_event_at(&mut conn, t0 - hours(3), "user.create", Some(&a));
        let e2 = insert_event_at(&mut conn, t0 - hours(2), "user.create", Some(&b));
        let e3 = insert_event_at(&mut conn, t0 - hours(1), "user.disable", Some(&a));
        let e4 = insert_event_at(&mut conn, t0 - hours(1), "token.revoke", Some(&a));
        let e5 = insert_event_at(&mut conn, t0, "audit.purge", None);
        let list = |conn: &mut DbConn, f: AuditFilter| event_ids(&list_events(conn, f));
        let all = AuditFilter {
            limit: 100,
            ..Default::default()
        };

        assert_eq!(
            list(&mut conn, all.clone()),
            vec![e5, e4, e3, e2, e1],
            "{l}: newest first, ties by id"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    user_id: Some(a.id),
                    ..all.clone()
                }
            ),
            vec![e4, e3, e1],
            "{l}"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    user_email: Some("eb@example.com".into()),
                    ..all.clone()
                }
            ),
            vec![e2],
            "{l}"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    user_email: Some("EB@example.com".into()),
                    ..all.clone()
                }
            ),
            vec![e2],
            "{l}: the email matches in any letter case"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    user_id: Some(a.id),
                    user_email: Some("eb@example.com".into()),
                    ..all.clone()
                }
            ),
            vec![e4, e3, e2, e1],
            "{l}: id or email"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    action: Some("user.create".into()),
                    ..all.clone()
                }
            ),
            vec![e2, e1],
            "{l}"
        );
        assert!(
            list(
                &mut conn,
                AuditFilter {
                    action: Some("user.%".into()),
                    ..all.clone()
                }
            )
            .is_empty(),
            "{l}: action is an exact match"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    since: Some(t0 - hours(1)),
                    ..all.clone()
                }
            ),
            vec![e5, e4, e3],
            "{l}: since is inclusive"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    since: Some(t0 - hours(1) + micros(1)),
                    ..all.clone()
                }
            ),
            vec![e5],
            "{l}: microsecond precision"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    before_id: Some(e4),
                    ..all.clone()
                }
            ),
            vec![e3, e2, e1],
            "{l}"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    before_id: Some(e5 + 1000),
                    ..all.clone()
                }
            ),
            vec![e5, e4, e3, e2, e1],
            "{l}: an unknown before_id pages by id"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    user_id: Some(a.id),
                    since: Some(t0 - mins(90)),
                    ..all.clone()
                }
            ),
            vec![e4, e3],
            "{l}"
        );
        assert!(
            list(
                &mut conn,
                AuditFilter {
                    limit: 0,
                    ..Default::default()
                }
            )
            .is_empty(),
            "{l}"
        );

        // Keyset pages of two, alone and with a filter.
        for (filter, expected) in [
            (
                AuditFilter::default(),
                vec![vec![e5, e4], vec![e3, e2], vec![e1]],
            ),
            (
                AuditFilter {
                    user_id: Some(a.id),
                    ..Default::default()
                },
                vec![vec![e4, e3], vec![e1]],
            ),
        ] {
            let mut pages = Vec::new();
            let mut before = None;
            loop {
                let page = list(
                    &mut conn,
                    AuditFilter {
                        before_id: before,
                        limit: 2,
                        ..filter.clone()
                    },
                );
                let Some(last) = page.last() else { break };
                before = Some(*last);
                pages.push(page);
                assert!(pages.len() <= 10, "{l}: pagination does not terminate");
            }
            assert_eq!(pages, expected, "{l}");
        }

        // Events appended through the repository are listed newest first too.
        for action in [
            AuditAction::UserDisable,
            AuditAction::UserEnable,
            AuditAction::UserResetPassword,
        ] {
            NewAuditEvent {
                actor: "svc",
                action,
                user_id: Some(b.id),
                user_email: Some(&b.email),
                detail: None,
            }
            .append(&mut conn)
            .unwrap();
        }
        let newest: Vec<String> = list_events(
            &mut conn,
            AuditFilter {
                user_id: Some(b.id),
                limit: 3,
                ..Default::default()
            },
        )
        .into_iter()
        .map(|e| e.action)
        .collect();
        assert_eq!(
            newest,
            vec!["user.reset_password", "user.enable", "user.disable"],
            "{l}"
        );
    }
}

per_backend! {
    fn audit_events_of_a_deleted_user_are_found_by_email(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "leaver@example.com");
        let stays = add_user(&mut conn, "stayer@example.com");
        ev(&u, AuditAction::UserCreate).append(&mut conn).unwrap();
        ev(&stays, AuditAction::UserCreate)
            .append(&mut conn)
            .unwrap();
        conn.transaction(|conn| {
            ev(&u, AuditAction::UserDelete).append(conn)?;
            assert!(repo::users::delete(conn, u.id)?);
            Ok::<_, DieselError>(())
        })
        .unwrap();

        let by_email = list_events(
            &mut conn,
            AuditFilter {
                user_email: Some("leaver@example.com".into()),
                limit: 10,
                ..Default::default()
            },
        );
        assert_eq!(
            by_email
                .iter()
                .map(|e| (e.action.as_str(), e.user_id))
                .collect::<Vec<_>>(),
            vec![("user.delete", None), ("user.create", None)],
            "{l}: newest first, user_id cleared"
        );
        assert!(
            list_events(
                &mut conn,
                AuditFilter {
                    user_id: Some(u.id),
                    limit: 10,
                    ..Default::default()
                }
            )
            .is_empty(),
            "{l}: nothing under the old id"
        );
        assert_eq!(
            list_events(
                &mut conn,
                AuditFilter {
                    user_id: Some(u.id),
                    user_email: Some("leaver@example.com".into()),
                    limit: 10,
                    ..Default::default()
                }
            )
            .len(),
            2,
            "{l}: id or email finds the history"
        );
        let other = list_events(
            &mut conn,
            AuditFilter {
                user_id: Some(stays.id),
                limit: 10,
                ..Default::default()
            },
        );
        assert_eq!(other.len(), 1, "{l}");
        assert_eq!(
            other[0].user_email.as_deref(),
            Some("stayer@example.com"),
            "{l}"
        );

        // A delete rolled back keeps both the user and its history's user_id.
        let keep = add_user(&mut conn, "undo@example.com");
        ev(&keep, AuditAction::UserCreate)
            .append(&mut conn)
            .unwrap();
        let r: Result<(), DieselError> = conn.transaction(|conn| {
            ev(&keep, AuditAction::UserDelete).append(conn)?;
            repo::users::delete(conn, keep.id)?;
            Err(DieselError::RollbackTransaction)
        });
        assert!(r.is_err(), "{l}");
        assert_eq!(user(&mut conn, keep.id), keep, "{l}");
        let kept = list_events(
            &mut conn,
            AuditFilter {
                user_email: Some("undo@example.com".into()),
                limit: 10,
                ..Default::default()
            },
        );
        assert_eq!(kept.len(), 1, "{l}");
        assert_eq!(kept[0].user_id, Some(keep.id), "{l}");
    }
}

fn ev(user: &User, action: AuditAction) -> NewAuditEvent<'_> {
    NewAuditEvent {
        actor: "ops",
        action,
        user_id: Some(user.id),
        user_email: Some(&user.email),
        detail: None,
    }
}

per_backend! {
    /// Events inserted by two hosts whose clocks disagree: `occurred_at` order differs
    /// from insertion (`id`) order.
    fn audit_events_keyset_pages_visit_every_event_once_when_clocks_disagree(db: migrated) {
        let mut findings = Findings::default();
        let l = db.label();
        let mut conn = db.migrated();
        let t0 = at("2026-09-01T10:00:00Z");
        let host_a_1 = insert_event_at(&mut conn, t0, "a.first", None);
        let host_b = insert_event_at(&mut conn, t0 - secs(5), "b.late_clock", None);
        let host_a_2 = insert_event_at(&mut conn, t0 + secs(1), "a.second", None);
        let everything = event_ids(&list_events(
            &mut conn,
            AuditFilter {
                limit: 100,
                ..Default::default()
            },
        ));
        assert_eq!(
            everything,
            vec![host_a_2, host_a_1, host_b],
            "{l}: newest first"
        );
        for page_size in [1, 2] {
            let mut seen = Vec::new();
            let mut before = None;
            loop {
                let page = event_ids(&list_events(
                    &mut conn,
                    AuditFilter {
                        before_id: before,
                        limit: page_size,
                        ..Default::default()
                    },
                ));
                let Some(last) = page.last() else { break };
                before = Some(*last);
                seen.extend(page);
                assert!(seen.len() <= 10, "{l}: pagination does not terminate");
            }
            findings.eq(
                seen,
                everything.clone(),
                format!("{l}: ids seen paging with before_id, pages of {page_size}"),
            );
        }
        findings.assert_none();
    }
}

// ---------------------------------------------------------------------------
// DbConn::transaction
// ---------------------------------------------------------------------------

per_backend! {
    fn transaction_err_rolls_back_every_write(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let keep = add_user(&mut conn, "keep@example.com");
        let keep_token = add_token(&mut conn, keep.id, now() + days(1));
        let r: Result<(), anyhow::Error> = conn.transaction(|conn| {
            let u = add_user(conn, "temp@example.com");
            add_token(conn, u.id, now() + days(1));
            add_session(conn, u.id, hours(1));
            repo::refresh_tokens::revoke_all_for_user(conn, keep.id, now())?;
            repo::users::update(
                conn,
                keep.id,
                &UserChanges {
                    role: Some("admin".into()),
                    ..Default::default()
                },
            )?;
            repo::users::delete(conn, keep.id)?;
            Err(anyhow::anyhow!("abort"))
        });
        assert!(r.is_err(), "{l}");
        assert_eq!(emails(&db), vec!["keep@example.com"], "{l}");
        assert_eq!(user(&mut conn, keep.id), keep, "{l}");
        assert_eq!(token(&mut conn, keep_token.id), keep_token, "{l}");
        assert_eq!(n(&db, "SELECT count(*) AS n FROM refresh_tokens"), 1, "{l}");
        assert_eq!(n(&db, "SELECT count(*) AS n FROM login_sessions"), 0, "{l}");

        // The same connection commits afterwards; the value is returned.
        let id = conn
            .transaction(|conn| Ok::<_, DieselError>(add_user(conn, "ok@example.com").id))
            .unwrap();
        assert!(repo::users::find(&mut conn, id).unwrap().is_some(), "{l}");
        assert_eq!(
            emails(&db),
            vec!["keep@example.com", "ok@example.com"],
            "{l}"
        );
    }
}

per_backend! {
    fn transaction_nested_inner_err_rolls_back_only_the_inner_part(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        conn.transaction(|conn| {
            add_user(conn, "outer1@example.com");
            let inner: Result<(), anyhow::Error> = conn.transaction(|conn| {
                add_user(conn, "inner@example.com");
                anyhow::bail!("inner fails")
            });
            assert!(inner.is_err());
            // A database error inside a nested transaction (on PostgreSQL it aborts the
            // transaction) is contained by the savepoint.
            let dup: Result<User, DieselError> = conn.transaction(|conn| {
                NewUser::new("outer1@example.com", password_hash()).insert(conn)
            });
            assert!(is_kind(
                &dup.unwrap_err(),
                DatabaseErrorKind::UniqueViolation
            ));
            // Three levels deep, committed.
            conn.transaction(|conn| {
                conn.transaction(|conn| {
                    NewUser::new("deep@example.com", password_hash()).insert(conn)
                })
            })?;
            add_user(conn, "outer2@example.com");
            Ok::<_, DieselError>(())
        })
        .unwrap_or_else(|e| panic!("{l}: outer transaction: {e}"));
        assert_eq!(
            emails(&db),
            vec![
                "deep@example.com",
                "outer1@example.com",
                "outer2@example.com"
            ],
            "{l}"
        );

        // Inner commits, outer fails: nothing stays.
        let r: Result<(), DieselError> = conn.transaction(|conn| {
            conn.transaction(|conn| {
                NewUser::new("ghost@example.com", password_hash()).insert(conn)
            })?;
            Err(DieselError::RollbackTransaction)
        });
        assert!(r.is_err(), "{l}");
        assert_eq!(
            repo::users::find_by_email(&mut conn, "ghost@example.com").unwrap(),
            None,
            "{l}"
        );

        // Repository functions that open their own transaction nest correctly:
        // rolled back with the outer one.
        let r: Result<(), repo::users::FindByEmailError> = conn.transaction(|conn| {
            let (_, created) = repo::users::create_if_missing(
                conn,
                &NewUser::new("nested@example.com", password_hash()),
            )?;
            assert!(created);
            Err(DieselError::RollbackTransaction.into())
        });
        assert!(r.is_err(), "{l}");
        assert!(
            !repo::users::exists_by_email(&mut conn, "nested@example.com").unwrap(),
            "{l}"
        );
        assert_eq!(emails(&db).len(), 3, "{l}");
    }
}

fn sqlite_target(db: &TestDb) -> DatabaseTarget {
    DatabaseTarget::parse(&db.url()).unwrap()
}

#[test]
fn sqlite_second_writer_waits_for_busy_timeout_then_fails_busy() {
    let db = TestDb::sqlite();
    let mut conn1 = db.migrated();
    let short = || ConnectOptions {
        busy_timeout: Duration::from_millis(200),
        ..ConnectOptions::new(sqlite_target(&db))
    };
    let mut conn2 = db::connect(&short()).expect("second connection");

    let r: Result<(), DieselError> = conn1.transaction(|c1| {
        add_user(c1, "holder@example.com");

        // Opening another connection while a writer holds the lock works.
        let mut conn3 = db::connect(&short()).expect("connect while another connection writes");
        assert_eq!(
            repo::users::count(&mut conn3, None).unwrap(),
            0,
            "readers see the last commit"
        );

        let start = Instant::now();
        let err = conn2
            .transaction(|c2| NewUser::new("waiter@example.com", password_hash()).insert(c2))
            .expect_err("second writer must fail while the first holds the lock");
        let waited = start.elapsed();
        // A lower bound only: the busy timeout guarantees at least this long.
        assert!(
            waited >= Duration::from_millis(150),
            "gave up after {waited:?}, before the 200 ms busy timeout"
        );
        assert!(err.to_string().contains("database is locked"), "{err}");
        assert_eq!(classify_diesel(&err), ExitCode::Busy, "{err:?}");
        assert_eq!(
            authctl::error::exit_code(&anyhow::Error::from(err)),
            ExitCode::Busy
        );

        // A plain write outside a transaction waits and fails the same way.
        let err = repo::users::update(&mut conn3, UserId::new_v4(), &UserChanges::default())
            .expect_err("a plain write must fail while another connection holds the lock");
        assert_eq!(
            classify_diesel(&err),
            ExitCode::Busy,
            "plain write: {err:?}"
        );
        Ok(())
    });
    r.unwrap();

    // Once the first commits, the second writer gets through.
    conn2
        .transaction(|c2| NewUser::new("waiter@example.com", password_hash()).insert(c2))
        .expect("second writer after commit");
    assert_eq!(
        emails(&db),
        vec!["holder@example.com", "waiter@example.com"]
    );
}

// ---------------------------------------------------------------------------
// pool
// ---------------------------------------------------------------------------

#[test]
fn pool_to_unreachable_server_builds_without_connecting_and_fails_with_the_address() {
    let target = DatabaseTarget::parse("postgres://authctl@127.0.0.1:1/authctl").unwrap();
    let opts = ConnectOptions {
        connect_timeout: Duration::from_secs(2),
        ..ConnectOptions::new(target)
    };
    let pool = build_pool(opts, 2);
    assert_eq!(
        pool.state().connections,
        0,
        "build_pool opened a connection eagerly"
    );

    let start = Instant::now();
    let err = match pool.get() {
        Ok(_) => panic!("a connection to 127.0.0.1:1 must fail"),
        Err(e) => e,
    };
    let took = start.elapsed();
    // Generous bound: it proves the pool's own timeout (connect timeout + 1 s) is
    // used, not r2d2's 30 s default, without racing a loaded machine.
    assert!(took < Duration::from_secs(25), "pool.get took {took:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("127.0.0.1:1"),
        "error does not name the port: {msg}"
    );
    assert!(pool.try_get().is_none());
}

per_backend! {
    fn pool_hands_out_working_connections_up_to_max_size(db) {
        let l = db.label();
        drop(db.migrated());
        let opts = ConnectOptions {
            connect_timeout: Duration::from_secs(2),
            ..ConnectOptions::new(DatabaseTarget::parse(&db.url()).unwrap())
        };
        let pool = build_pool(opts, 2);
        let mut a = pool
            .get()
            .unwrap_or_else(|e| panic!("{l}: first checkout: {e}"));
        let mut b = pool
            .get()
            .unwrap_or_else(|e| panic!("{l}: second checkout: {e}"));
        let u = add_user(&mut b, "pooled@example.com");
        assert_eq!(
            repo::users::find_by_email(&mut a, "POOLED@example.com")
                .unwrap()
                .map(|x| x.id),
            Some(u.id),
            "{l}: one pooled connection sees the other's commit"
        );
        assert!(pool.try_get().is_none(), "{l}: max_size 2 respected");
        drop(a);
        let mut c = pool
            .try_get()
            .unwrap_or_else(|| panic!("{l}: returned connection reused"));
        assert_eq!(repo::users::count(&mut c, None).unwrap(), 1, "{l}");
        assert_eq!(pool.state().connections, 2, "{l}");
    }
}

per_backend! {
    fn pool_does_not_hand_out_a_connection_left_inside_a_transaction(db) {
        let mut findings = Findings::default();
        let l = db.label();
        drop(db.migrated());
        let opts = ConnectOptions {
            connect_timeout: Duration::from_secs(2),
            busy_timeout: Duration::from_millis(200),
            ..ConnectOptions::new(DatabaseTarget::parse(&db.url()).unwrap())
        };
        let pool = build_pool(opts.clone(), 1);
        let checked_out = pool.get().unwrap();
        // A request handler panics in the middle of a transaction; the pooled
        // connection is dropped (returned to the pool) while unwinding.
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            let mut conn = checked_out;
            let _: Result<(), DieselError> = conn.transaction(|c| {
                add_user(c, "panicked@example.com");
                panic!("handler bug (expected by the test)");
            });
        }));
        assert!(unwound.is_err(), "{l}");

        // The next checkout must not continue that transaction: its autocommit write
        // is visible to everyone else, and the panicked write is not.
        let mut next = pool
            .get()
            .unwrap_or_else(|e| panic!("{l}: checkout after panic: {e}"));
        add_user(&mut next, "after@example.com");
        drop(next);
        findings.eq(
            emails(&db),
            vec!["after@example.com".to_owned()],
            format!("{l}: emails a fresh connection sees after the pooled write"),
        );
        // And other writers are not blocked by a leftover lock.
        let mut other = db::connect(&opts).unwrap();
        let r = NewUser::new("other@example.com", password_hash()).insert(&mut other);
        findings.check(r.is_ok(), || {
            format!("{l}: another connection cannot write: {:?}", r.err())
        });
        drop(pool);
        findings.assert_none();
    }
}

// ---------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------

per_backend! {
    /// Four operators revoke the same tokens at once: each token is revoked (and
    /// counted) exactly once, whoever wins.
    fn refresh_tokens_revoked_concurrently_are_counted_once(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "crev@example.com");
        let ids: Vec<RefreshTokenId> = (0..20)
            .map(|_| add_token(&mut conn, u.id, now() + days(1)).id)
            .collect();
        let barrier = Barrier::new(4);
        let (db_ref, barrier, ids_ref) = (&db, &barrier, &ids);
        let counts: Vec<usize> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|k| {
                    s.spawn(move || {
                        let mut conn = db_ref.connect();
                        barrier.wait();
                        // Half revoke by id list, half revoke everything of the user.
                        if k % 2 == 0 {
                            repo::refresh_tokens::revoke_ids(&mut conn, ids_ref, now())
                        } else {
                            repo::refresh_tokens::revoke_all_for_user(&mut conn, u.id, now())
                        }
                        .unwrap_or_else(|e| panic!("{l}: revoke: {e}"))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(counts.iter().sum::<usize>(), 20, "{l}: {counts:?}");
        assert_eq!(
            repo::refresh_tokens::count_for_user(&mut conn, u.id, now()).unwrap(),
            0,
            "{l}"
        );
    }
}

per_backend! {
    fn login_sessions_invalidated_concurrently_are_counted_once(db: migrated) {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "cinv@example.com");
        let ids: Vec<SessionId> = (0..20)
            .map(|_| add_session(&mut conn, u.id, hours(1)).session_id)
            .collect();
        let barrier = Barrier::new(4);
        let (db_ref, barrier, ids_ref) = (&db, &barrier, &ids);
        let counts: Vec<usize> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|k| {
                    s.spawn(move || {
                        let mut conn = db_ref.connect();
                        barrier.wait();
                        if k % 2 == 0 {
                            repo::login_sessions::invalidate_ids(&mut conn, ids_ref)
                        } else {
                            repo::login_sessions::invalidate_all_for_user(&mut conn, u.id)
                        }
                        .unwrap_or_else(|e| panic!("{l}: invalidate: {e}"))
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(counts.iter().sum::<usize>(), 20, "{l}: {counts:?}");
        assert_eq!(
            repo::login_sessions::count_active_for_user(&mut conn, u.id, now()).unwrap(),
            0,
            "{l}"
        );
    }
}
