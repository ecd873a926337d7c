//! The repositories as a Rust service would use them: every test runs against a
//! fresh SQLite file and (when configured) a fresh PostgreSQL database.

mod common;

use std::collections::BTreeSet;
use std::sync::{Barrier, OnceLock};
use std::time::{Duration, Instant};

use authctl::db::pool::build_pool;
use authctl::db::{self, ConnectOptions, DatabaseTarget, DbConn, UtcDateTime};
use authctl::error::{ExitCode, classify_diesel};
use authctl::password::PasswordHasher;
use authctl::repo::{
    self, AuditEvent, AuditFilter, CredentialState, IssueToken, LoginSession, NewAuditEvent,
    NewSession, NewUser, RefreshToken, User, UserChanges, UserFilter, UserStatus,
};
use authctl::schema;
use authctl::token::{RawToken, hash_token};
use authctl::with_conn;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde_json::json;

use crate::common::{self, TestDb};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const PASSWORD: &[u8] = b"correct horse battery staple";

/// One real argon2id hash (OWASP cost), computed once and shared by most users.
fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| PasswordHasher::default().hash(PASSWORD).expect("hash"))
}

fn now() -> UtcDateTime {
    UtcDateTime::now()
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

/// A fixed instant with a microsecond fraction.
fn at(rfc3339: &str) -> UtcDateTime {
    UtcDateTime::parse_text(rfc3339).expect("valid test timestamp")
}

/// Make sure the next `UtcDateTime::now()` is strictly later than `t`.
fn tick_after(t: UtcDateTime) {
    while now() <= t {
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn add_user(conn: &mut DbConn, email: &str) -> User {
    NewUser::new(email, password_hash())
        .insert(conn)
        .unwrap_or_else(|e| panic!("insert {email}: {e}"))
}

fn issue(conn: &mut DbConn, user_id: i64, ttl: chrono::Duration) -> (RefreshToken, RawToken) {
    repo::refresh_tokens::issue(
        conn,
        &IssueToken {
            user_id,
            ttl,
            user_agent: None,
            ip_address: None,
        },
    )
    .expect("issue refresh token")
}

fn new_session(conn: &mut DbConn, user_id: i64, ttl: chrono::Duration) -> (LoginSession, RawToken) {
    repo::login_sessions::create(
        conn,
        &NewSession {
            user_id,
            ttl,
            ip_address: None,
            user_agent: None,
        },
    )
    .expect("create session")
}

fn set_token_expiry(conn: &mut DbConn, id: i64, expires_at: UtcDateTime) {
    use schema::refresh_tokens as t;
    let n = with_conn!(conn, c => diesel::update(t::table.find(id))
        .set(t::expires_at.eq(expires_at))
        .execute(c))
    .expect("update expires_at");
    assert_eq!(n, 1);
}

fn set_session_expiry(conn: &mut DbConn, id: i64, expires_at: UtcDateTime) {
    use schema::login_sessions as s;
    let n = with_conn!(conn, c => diesel::update(s::table.find(id))
        .set(s::expires_at.eq(expires_at))
        .execute(c))
    .expect("update expires_at");
    assert_eq!(n, 1);
}

fn token(conn: &mut DbConn, id: i64) -> RefreshToken {
    repo::refresh_tokens::find(conn, id)
        .expect("find token")
        .expect("token exists")
}

fn session(conn: &mut DbConn, id: i64) -> LoginSession {
    repo::login_sessions::find(conn, id)
        .expect("find session")
        .expect("session exists")
}

fn user(conn: &mut DbConn, id: i64) -> User {
    repo::users::find(conn, id)
        .expect("find user")
        .expect("user exists")
}

fn ids<T>(rows: &[T], id: impl Fn(&T) -> i64) -> Vec<i64> {
    rows.iter().map(id).collect()
}

fn user_ids(rows: &[User]) -> Vec<i64> {
    ids(rows, |u| u.id)
}

fn event_ids(rows: &[AuditEvent]) -> Vec<i64> {
    ids(rows, |e| e.id)
}

fn list_users(conn: &mut DbConn, filter: UserFilter, at: UtcDateTime) -> Vec<User> {
    repo::users::list(conn, &filter, at).expect("list users")
}

fn list_events(conn: &mut DbConn, filter: AuditFilter) -> Vec<AuditEvent> {
    repo::audit_events::list(conn, &filter).expect("list audit events")
}

fn is_unique_violation(e: &DieselError) -> bool {
    matches!(
        e,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Every column of every row of `table`, cast to text and joined (for "the raw
/// secret is nowhere in the table" checks).
fn table_text(db: &TestDb, table: &str, columns: &[&str]) -> Vec<String> {
    let joined = columns
        .iter()
        .map(|c| format!("COALESCE(CAST({c} AS TEXT), '')"))
        .collect::<Vec<_>>()
        .join(" || '|' || ");
    common::query_strings(db, &format!("SELECT {joined} AS v FROM {table}"))
}

const REFRESH_TOKEN_COLUMNS: &[&str] = &[
    "id",
    "user_id",
    "token_hash",
    "created_at",
    "expires_at",
    "last_used_at",
    "revoked_at",
    "revoked_reason",
    "replaced_by_id",
    "user_agent",
    "ip_address",
];

const LOGIN_SESSION_COLUMNS: &[&str] = &[
    "id",
    "user_id",
    "token_hash",
    "ip_address",
    "user_agent",
    "created_at",
    "last_activity_at",
    "expires_at",
    "revoked_at",
    "revoked_reason",
];

fn assert_base64url_token(raw: &RawToken, l: &str) {
    let v = raw.expose();
    assert!(v.len() >= 43, "{l}: raw token too short: {} chars", v.len());
    assert!(
        v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
        "{l}: raw token is not base64url"
    );
}

fn assert_sha256_hex(hash: &str, l: &str) {
    assert_eq!(hash.len(), 64, "{l}: {hash}");
    assert!(
        hash.chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)),
        "{l}: not lower-case hex: {hash}"
    );
}

// ---------------------------------------------------------------------------
// users
// ---------------------------------------------------------------------------

#[test]
fn users_insert_find_and_find_by_email_ignoring_case() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let mut new = NewUser::new("alice@example.com", password_hash());
        new.display_name = Some("Alice Liddell");
        new.role = "admin";
        new.must_change_password = true;
        let u = new.insert(&mut conn).expect("insert");

        assert!(u.id > 0, "{l}");
        assert_eq!(u.email, "alice@example.com", "{l}");
        assert_eq!(u.display_name.as_deref(), Some("Alice Liddell"), "{l}");
        assert_eq!(u.password_hash, password_hash(), "{l}");
        assert_eq!(u.role, "admin", "{l}");
        assert!(u.is_active, "{l}");
        assert!(u.must_change_password, "{l}");
        assert_eq!(u.failed_login_count, 0, "{l}");
        assert_eq!(u.locked_until, None, "{l}");
        assert_eq!(u.disabled_at, None, "{l}");
        assert_eq!(u.disabled_reason, None, "{l}");
        assert_eq!(u.last_login_at, None, "{l}");
        // Times round-trip exactly (microseconds).
        assert_eq!(u.created_at, new.created_at, "{l}");
        assert_eq!(u.updated_at, new.updated_at, "{l}");
        assert_eq!(u.password_changed_at, new.password_changed_at, "{l}");
        assert_eq!(u.status(now()), UserStatus::Active, "{l}");

        assert_eq!(
            repo::users::find(&mut conn, u.id).unwrap(),
            Some(u.clone()),
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
        assert_eq!(
            repo::users::find_by_email(&mut conn, "bob@example.com").unwrap(),
            None,
            "{l}"
        );
        assert_eq!(
            repo::users::find_by_email(&mut conn, "alice@example").unwrap(),
            None,
            "{l}"
        );
        assert_eq!(
            repo::users::find(&mut conn, u.id + 1000).unwrap(),
            None,
            "{l}"
        );

        // password_hash is never serialized.
        let v = serde_json::to_value(&u).unwrap();
        assert!(v.get("password_hash").is_none(), "{l}: {v}");
        assert_eq!(v["email"], "alice@example.com", "{l}");
    }
}

#[test]
fn users_duplicate_email_in_other_case_is_unique_violation_and_writes_nothing() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let alice = add_user(&mut conn, "alice@example.com");
        for dup in [
            "alice@example.com",
            "ALICE@example.com",
            "Alice@Example.Com",
        ] {
            let mut new = NewUser::new(dup, password_hash());
            new.display_name = Some("Impostor");
            let err = new.insert(&mut conn).expect_err(dup);
            assert!(is_unique_violation(&err), "{l}: {dup}: {err:?}");
            assert_eq!(classify_diesel(&err), ExitCode::Data, "{l}");
        }
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM users"),
            1,
            "{l}"
        );
        assert_eq!(
            user(&mut conn, alice.id),
            alice,
            "{l}: original row unchanged"
        );
        assert_eq!(
            common::query_strings(&db, "SELECT email AS v FROM users"),
            vec!["alice@example.com"],
            "{l}"
        );
        // The connection is still usable (no half-open transaction left behind).
        let bob = add_user(&mut conn, "bob@example.com");
        assert_eq!(repo::users::count(&mut conn, None).unwrap(), 2, "{l}");
        assert!(bob.id > alice.id, "{l}");
    }
}

#[test]
fn users_update_applies_changes_and_some_none_clears() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let mut new = NewUser::new("carol@example.com", password_hash());
        new.display_name = Some("Carol");
        let u = new.insert(&mut conn).unwrap();
        let other = add_user(&mut conn, "other@example.com");
        tick_after(u.updated_at);

        let disabled_at = at("2026-05-06T07:08:09.123456Z");
        let v = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                display_name: Some(Some("Carol C.".into())),
                role: Some("auditor".into()),
                is_active: Some(false),
                disabled_at: Some(Some(disabled_at)),
                disabled_reason: Some(Some("left the company".into())),
                ..Default::default()
            },
        )
        .unwrap()
        .expect("user exists");
        assert_eq!(v.display_name.as_deref(), Some("Carol C."), "{l}");
        assert_eq!(v.role, "auditor", "{l}");
        assert!(!v.is_active, "{l}");
        assert_eq!(v.disabled_at, Some(disabled_at), "{l}");
        assert_eq!(
            v.disabled_reason.as_deref(),
            Some("left the company"),
            "{l}"
        );
        assert_eq!(v.status(now()), UserStatus::Disabled, "{l}");
        // Untouched columns stay.
        assert_eq!(v.email, u.email, "{l}");
        assert_eq!(v.password_hash, u.password_hash, "{l}");
        assert_eq!(v.created_at, u.created_at, "{l}");
        assert_eq!(v.password_changed_at, u.password_changed_at, "{l}");
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
                display_name: Some(None),
                is_active: Some(true),
                disabled_at: Some(None),
                disabled_reason: Some(None),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(w.display_name, None, "{l}");
        assert_eq!(w.disabled_at, None, "{l}");
        assert_eq!(w.disabled_reason, None, "{l}");
        assert!(w.is_active, "{l}");
        assert_eq!(w.role, "auditor", "{l}: None keeps the role");
        assert_eq!(
            common::count(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM users WHERE id = {} AND display_name IS NULL \
                     AND disabled_at IS NULL AND disabled_reason IS NULL",
                    u.id
                )
            ),
            1,
            "{l}: NULLs really stored"
        );

        // An empty change set still touches updated_at and returns the row.
        let x = repo::users::update(&mut conn, u.id, &UserChanges::default())
            .unwrap()
            .unwrap();
        assert_eq!(x.display_name, None, "{l}");
        assert!(x.updated_at >= w.updated_at, "{l}");

        // Email change to another user's address (other case) is a unique violation.
        let err = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                email: Some("OTHER@example.com".into()),
                ..Default::default()
            },
        )
        .expect_err("duplicate email");
        assert!(is_unique_violation(&err), "{l}: {err:?}");

        assert_eq!(
            repo::users::update(&mut conn, u.id + 1000, &UserChanges::default()).unwrap(),
            None,
            "{l}: unknown id"
        );
    }
}

#[test]
fn users_password_hash_round_trips_and_set_password_resets_lockout() {
    let hasher = PasswordHasher::default();
    let new_hash = hasher.hash(b"a new and better passphrase").unwrap();
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "dave@example.com");
        let stored = user(&mut conn, u.id).password_hash;
        assert!(stored.starts_with("$argon2id$"), "{l}: {stored}");
        assert!(hasher.verify(PASSWORD, &stored).unwrap(), "{l}");
        assert!(!hasher.verify(b"wrong", &stored).unwrap(), "{l}");

        let locked = repo::users::update(
            &mut conn,
            u.id,
            &UserChanges {
                failed_login_count: Some(7),
                locked_until: Some(Some(now() + hours(1))),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
        assert_eq!(locked.status(now()), UserStatus::Locked, "{l}");
        tick_after(u.password_changed_at);

        let v = repo::users::set_password(&mut conn, u.id, &new_hash, true)
            .unwrap()
            .unwrap();
        assert!(
            v.password_changed_at > u.password_changed_at,
            "{l}: {} > {}",
            v.password_changed_at,
            u.password_changed_at
        );
        assert_eq!(v.failed_login_count, 0, "{l}");
        assert_eq!(v.locked_until, None, "{l}");
        assert!(v.must_change_password, "{l}");
        assert_eq!(v.status(now()), UserStatus::Active, "{l}");
        let stored = user(&mut conn, u.id).password_hash;
        assert!(
            hasher
                .verify(b"a new and better passphrase", &stored)
                .unwrap(),
            "{l}"
        );
        assert!(!hasher.verify(PASSWORD, &stored).unwrap(), "{l}");

        let w = repo::users::set_password(&mut conn, u.id, &new_hash, false)
            .unwrap()
            .unwrap();
        assert!(!w.must_change_password, "{l}");
        assert!(w.password_changed_at >= v.password_changed_at, "{l}");
        assert_eq!(
            repo::users::set_password(&mut conn, u.id + 1000, &new_hash, false).unwrap(),
            None,
            "{l}"
        );
    }
}

#[test]
fn users_login_failures_lock_after_max_attempts_and_success_clears() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "erin@example.com");
        let bystander = add_user(&mut conn, "frank@example.com");
        let lock_for = mins(15);

        for i in 1..3 {
            let v = repo::users::record_login_failure(&mut conn, u.id, 3, lock_for)
                .unwrap()
                .unwrap();
            assert_eq!(v.failed_login_count, i, "{l}");
            assert_eq!(v.locked_until, None, "{l}: not locked after {i} failures");
            assert_eq!(v.status(now()), UserStatus::Active, "{l}");
        }
        let before = now();
        let v = repo::users::record_login_failure(&mut conn, u.id, 3, lock_for)
            .unwrap()
            .unwrap();
        let after = now();
        assert_eq!(v.failed_login_count, 3, "{l}");
        let until = v.locked_until.expect("locked after max attempts");
        assert!(until > after, "{l}: locked_until {until} in the future");
        assert!(
            until >= before + lock_for && until <= after + lock_for,
            "{l}: {until}"
        );
        assert_eq!(v.status(now()), UserStatus::Locked, "{l}");
        assert_eq!(
            v.status(until + secs(1)),
            UserStatus::Active,
            "{l}: lock ends"
        );
        assert_eq!(user(&mut conn, u.id), v, "{l}");
        let locked = list_users(
            &mut conn,
            UserFilter {
                status: Some(UserStatus::Locked),
                limit: 10,
                ..Default::default()
            },
            now(),
        );
        assert_eq!(user_ids(&locked), vec![u.id], "{l}");

        // Further failures keep counting while locked.
        let v = repo::users::record_login_failure(&mut conn, u.id, 3, lock_for)
            .unwrap()
            .unwrap();
        assert_eq!(v.failed_login_count, 4, "{l}");
        assert!(v.locked_until.is_some(), "{l}");

        let before = now();
        let s = repo::users::record_login_success(&mut conn, u.id)
            .unwrap()
            .unwrap();
        assert_eq!(s.failed_login_count, 0, "{l}");
        assert_eq!(s.locked_until, None, "{l}");
        assert!(s.last_login_at.is_some_and(|t| t >= before), "{l}");
        assert_eq!(s.status(now()), UserStatus::Active, "{l}");
        assert_eq!(user(&mut conn, u.id), s, "{l}");

        assert_eq!(user(&mut conn, bystander.id), bystander, "{l}");
        assert_eq!(
            repo::users::record_login_failure(&mut conn, u.id + 1000, 3, lock_for).unwrap(),
            None,
            "{l}"
        );
        assert_eq!(
            repo::users::record_login_success(&mut conn, u.id + 1000).unwrap(),
            None,
            "{l}"
        );
    }
}

#[test]
fn users_delete_cascades_to_tokens_and_sessions_and_keeps_audit_events() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "gone@example.com");
        let b = add_user(&mut conn, "stays@example.com");
        let (_, raw_a1) = issue(&mut conn, a.id, days(1));
        issue(&mut conn, a.id, days(1));
        // A rotation chain (replaced_by_id references) must not block the delete.
        repo::refresh_tokens::rotate(&mut conn, &raw_a1, days(1))
            .unwrap()
            .unwrap();
        let (tb, _) = issue(&mut conn, b.id, days(1));
        new_session(&mut conn, a.id, hours(1));
        new_session(&mut conn, a.id, hours(1));
        let (sb, _) = new_session(&mut conn, b.id, hours(1));
        for (uid, action) in [
            (a.id, "user.create"),
            (b.id, "user.create"),
            (a.id, "user.delete"),
        ] {
            NewAuditEvent {
                actor: "ops",
                action,
                user_id: Some(uid),
                detail: None,
                ip_address: None,
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

        let q = |sql: &str| common::count(&db, sql);
        assert_eq!(
            q(&format!(
                "SELECT count(*) AS n FROM refresh_tokens WHERE user_id = {}",
                a.id
            )),
            0,
            "{l}"
        );
        assert_eq!(
            q(&format!(
                "SELECT count(*) AS n FROM login_sessions WHERE user_id = {}",
                a.id
            )),
            0,
            "{l}"
        );
        assert_eq!(token(&mut conn, tb.id).user_id, b.id, "{l}: b's token kept");
        assert_eq!(
            session(&mut conn, sb.id).user_id,
            b.id,
            "{l}: b's session kept"
        );
        assert_eq!(q("SELECT count(*) AS n FROM refresh_tokens"), 1, "{l}");
        assert_eq!(q("SELECT count(*) AS n FROM login_sessions"), 1, "{l}");

        // Audit history survives with user_id NULL.
        let events = list_events(
            &mut conn,
            AuditFilter {
                limit: 10,
                ..Default::default()
            },
        );
        assert_eq!(events.len(), 3, "{l}");
        let mut seen: Vec<(Option<i64>, &str)> = events
            .iter()
            .map(|e| (e.user_id, e.action.as_str()))
            .collect();
        seen.sort();
        assert_eq!(
            seen,
            vec![
                (None, "user.create"),
                (None, "user.delete"),
                (Some(b.id), "user.create")
            ],
            "{l}"
        );
        let by_a = list_events(
            &mut conn,
            AuditFilter {
                user_id: Some(a.id),
                limit: 10,
                ..Default::default()
            },
        );
        assert!(by_a.is_empty(), "{l}");
        assert_eq!(
            repo::users::delete(&mut conn, 987_654).ok(),
            Some(false),
            "{l}"
        );
    }
}

/// Users for the list tests; returns them re-read from the database.
fn seed_list_users(conn: &mut DbConn, t0: UtcDateTime) -> Vec<User> {
    struct Seed {
        email: &'static str,
        display: Option<&'static str>,
        role: &'static str,
        created_days_ago: i64,
        active: bool,
        locked: Option<chrono::Duration>,
    }
    let seeds = [
        Seed {
            email: "root@example.com",
            display: Some("Root Admin"),
            role: "admin",
            created_days_ago: 30,
            active: true,
            locked: None,
        },
        Seed {
            email: "pct@example.com",
            display: Some("Percent 100% Guy"),
            role: "user",
            created_days_ago: 20,
            active: true,
            locked: None,
        },
        Seed {
            email: "hundred@example.com",
            display: Some("100 percent"),
            role: "user",
            created_days_ago: 10,
            active: true,
            locked: None,
        },
        Seed {
            email: "under_score@example.org",
            display: None,
            role: "user",
            created_days_ago: 5,
            active: true,
            locked: None,
        },
        Seed {
            email: "underxscore@example.org",
            display: Some("Under X"),
            role: "user",
            created_days_ago: 4,
            active: true,
            locked: None,
        },
        Seed {
            email: "mixed@example.net",
            display: Some("MiXeD Case Name"),
            role: "support",
            created_days_ago: 3,
            active: true,
            locked: None,
        },
        Seed {
            email: "off@example.com",
            display: Some("Disabled Person"),
            role: "user",
            created_days_ago: 2,
            active: false,
            locked: None,
        },
        Seed {
            email: "locked@example.com",
            display: None,
            role: "admin",
            created_days_ago: 1,
            active: true,
            locked: Some(hours(1)),
        },
        Seed {
            email: "oldlock@example.com",
            display: None,
            role: "user",
            created_days_ago: 1,
            active: true,
            locked: Some(-hours(1)),
        },
        Seed {
            email: "offlocked@example.com",
            display: None,
            role: "user",
            created_days_ago: 0,
            active: false,
            locked: Some(hours(1)),
        },
    ];
    let mut out = Vec::new();
    for s in seeds {
        let mut new = NewUser::new(s.email, password_hash());
        new.display_name = s.display;
        new.role = s.role;
        new.created_at = t0 - days(s.created_days_ago);
        let u = new.insert(conn).unwrap();
        let changes = UserChanges {
            is_active: Some(s.active),
            locked_until: Some(s.locked.map(|d| t0 + d)),
            ..Default::default()
        };
        out.push(repo::users::update(conn, u.id, &changes).unwrap().unwrap());
    }
    out
}

#[test]
fn users_list_filters_by_role_status_search_and_creation_time() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let t0 = now();
        let all = seed_list_users(&mut conn, t0);
        let id_of = |email: &str| all.iter().find(|u| u.email == email).unwrap().id;
        let f = |filter: UserFilter| UserFilter {
            limit: 100,
            ..filter
        };
        let mut list = |filter: UserFilter| user_ids(&list_users(&mut conn, f(filter), t0));

        assert_eq!(
            list(UserFilter::default()),
            user_ids(&all),
            "{l}: no filter, by id"
        );

        // Role.
        assert_eq!(
            list(UserFilter {
                role: Some("admin".into()),
                ..Default::default()
            }),
            vec![id_of("root@example.com"), id_of("locked@example.com")],
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
        for status in [UserStatus::Active, UserStatus::Disabled, UserStatus::Locked] {
            let expected: Vec<i64> = all
                .iter()
                .filter(|u| u.status(t0) == status)
                .map(|u| u.id)
                .collect();
            assert_eq!(
                list(UserFilter {
                    status: Some(status),
                    ..Default::default()
                }),
                expected,
                "{l}: status {status}"
            );
        }
        assert_eq!(
            list(UserFilter {
                status: Some(UserStatus::Locked),
                ..Default::default()
            }),
            vec![id_of("locked@example.com")],
            "{l}"
        );
        assert_eq!(
            list(UserFilter {
                status: Some(UserStatus::Disabled),
                ..Default::default()
            }),
            vec![id_of("off@example.com"), id_of("offlocked@example.com")],
            "{l}"
        );
        assert!(
            list(UserFilter {
                status: Some(UserStatus::Active),
                ..Default::default()
            })
            .contains(&id_of("oldlock@example.com")),
            "{l}: an expired lock is active"
        );

        // Search: case-insensitive, email or display name, % and _ literal.
        let search = |s: &str| UserFilter {
            search: Some(s.into()),
            ..Default::default()
        };
        assert_eq!(
            list(search("ROOT@")),
            vec![id_of("root@example.com")],
            "{l}"
        );
        assert_eq!(
            list(search("mixed case")),
            vec![id_of("mixed@example.net")],
            "{l}"
        );
        assert_eq!(
            list(search("mIxEd")),
            vec![id_of("mixed@example.net")],
            "{l}"
        );
        assert_eq!(
            list(search("100%")),
            vec![id_of("pct@example.com")],
            "{l}: % literal"
        );
        assert_eq!(
            list(search("%")),
            vec![id_of("pct@example.com")],
            "{l}: % alone"
        );
        assert_eq!(
            list(search("under_")),
            vec![id_of("under_score@example.org")],
            "{l}: _ literal"
        );
        assert_eq!(
            list(search("_")),
            vec![id_of("under_score@example.org")],
            "{l}"
        );
        assert_eq!(
            list(search("EXAMPLE.ORG")),
            vec![
                id_of("under_score@example.org"),
                id_of("underxscore@example.org")
            ],
            "{l}"
        );
        assert_eq!(list(search("percent")).len(), 2, "{l}");
        assert!(list(search("zzz")).is_empty(), "{l}");
        assert!(
            list(search("\\")).is_empty(),
            "{l}: backslash is literal too"
        );
        assert_eq!(
            list(search("")),
            user_ids(&all),
            "{l}: empty search = no filter"
        );

        // created_since is inclusive.
        let since = t0 - days(3);
        let expected: Vec<i64> = all
            .iter()
            .filter(|u| u.created_at >= since)
            .map(|u| u.id)
            .collect();
        assert_eq!(expected.len(), 5, "{l}");
        assert_eq!(
            list(UserFilter {
                created_since: Some(since),
                ..Default::default()
            }),
            expected,
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
            vec![id_of("hundred@example.com"), id_of("oldlock@example.com")],
            "{l}"
        );

        // Counting.
        assert_eq!(
            repo::users::count(&mut conn, None).unwrap(),
            all.len() as i64,
            "{l}"
        );
        assert_eq!(
            repo::users::count(&mut conn, Some("admin")).unwrap(),
            2,
            "{l}"
        );
        assert_eq!(
            repo::users::count(&mut conn, Some("support")).unwrap(),
            1,
            "{l}"
        );
        assert_eq!(
            repo::users::count(&mut conn, Some("nobody")).unwrap(),
            0,
            "{l}"
        );
    }
}

#[test]
fn users_list_pages_through_all_users_with_after_id() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let mut created = BTreeSet::new();
        conn.transaction(|conn| {
            for i in 0..25 {
                let email = format!("user{i:02}@example.com");
                let mut new = NewUser::new(&email, password_hash());
                new.role = if i % 2 == 0 { "even" } else { "odd" };
                created.insert(new.insert(conn)?.id);
            }
            Ok::<_, DieselError>(())
        })
        .unwrap();
        assert_eq!(repo::users::count(&mut conn, None).unwrap(), 25, "{l}");

        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        let mut after = None;
        loop {
            let page = list_users(
                &mut conn,
                UserFilter {
                    after_id: after,
                    limit: 10,
                    ..Default::default()
                },
                now(),
            );
            sizes.push(page.len());
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            seen.extend(user_ids(&page));
            assert!(sizes.len() < 10, "{l}: pagination does not terminate");
        }
        assert_eq!(sizes, vec![10, 10, 5, 0], "{l}");
        assert_eq!(seen.len(), 25, "{l}");
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "{l}: ascending ids");
        assert_eq!(
            seen.iter().copied().collect::<BTreeSet<_>>(),
            created,
            "{l}"
        );

        // Pagination combined with a filter.
        let mut odd = Vec::new();
        let mut after = None;
        loop {
            let page = list_users(
                &mut conn,
                UserFilter {
                    role: Some("odd".into()),
                    after_id: after,
                    limit: 5,
                    ..Default::default()
                },
                now(),
            );
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            odd.extend(page.into_iter().map(|u| u.role));
        }
        assert_eq!(odd.len(), 12, "{l}");
        assert!(odd.iter().all(|r| r == "odd"), "{l}");
        assert_eq!(
            repo::users::count(&mut conn, Some("even")).unwrap(),
            13,
            "{l}"
        );
    }
}

#[test]
fn users_create_if_missing_is_idempotent() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let (u1, created1) = repo::users::create_if_missing(
            &mut conn,
            &NewUser::new("gina@example.com", password_hash()),
        )
        .unwrap();
        assert!(created1, "{l}");
        let mut again = NewUser::new("Gina@Example.COM", password_hash());
        again.role = "admin";
        let (u2, created2) = repo::users::create_if_missing(&mut conn, &again).unwrap();
        assert!(!created2, "{l}");
        assert_eq!(u2.id, u1.id, "{l}");
        assert_eq!(u2, u1, "{l}: the existing row is returned unchanged");
        assert_eq!(repo::users::count(&mut conn, None).unwrap(), 1, "{l}");

        // Inside an outer transaction it behaves the same.
        let (u3, created3) = conn
            .transaction(|conn| repo::users::create_if_missing(conn, &again))
            .unwrap();
        assert!(!created3, "{l}");
        assert_eq!(u3.id, u1.id, "{l}");
    }
}

#[test]
fn users_create_if_missing_concurrently_creates_exactly_one_row() {
    for db in TestDb::all() {
        let l = db.label();
        drop(db.migrated());
        for round in 0..3 {
            let email = format!("race{round}@example.com");
            let barrier = Barrier::new(4);
            let (db, barrier, email) = (&db, &barrier, &email);
            let results: Vec<(i64, bool)> = std::thread::scope(|s| {
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
                "{l}: {results:?}"
            );
            assert_eq!(
                common::count(
                    db,
                    &format!("SELECT count(*) AS n FROM users WHERE email = '{email}'")
                ),
                1,
                "{l}"
            );
        }
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM users"),
            3,
            "{l}"
        );
    }
}

// ---------------------------------------------------------------------------
// refresh_tokens
// ---------------------------------------------------------------------------

#[test]
fn refresh_tokens_issue_stores_only_the_sha256_of_the_raw_token() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "tok@example.com");
        let before = now();
        let (t, raw) = repo::refresh_tokens::issue(
            &mut conn,
            &IssueToken {
                user_id: u.id,
                ttl: days(30),
                user_agent: Some("okhttp/4.12"),
                ip_address: Some("203.0.113.7"),
            },
        )
        .unwrap();
        let after = now();
        assert_base64url_token(&raw, l);
        assert_sha256_hex(&t.token_hash, l);
        assert_eq!(t.token_hash, hash_token(raw.expose()), "{l}");
        assert_eq!(t.token_hash, raw.hash(), "{l}");
        assert_eq!(t.user_id, u.id, "{l}");
        assert!(t.created_at >= before && t.created_at <= after, "{l}");
        assert_eq!(t.expires_at, t.created_at + days(30), "{l}");
        assert_eq!(t.user_agent.as_deref(), Some("okhttp/4.12"), "{l}");
        assert_eq!(t.ip_address.as_deref(), Some("203.0.113.7"), "{l}");
        assert_eq!(t.last_used_at, None, "{l}");
        assert_eq!(t.revoked_at, None, "{l}");
        assert_eq!(t.replaced_by_id, None, "{l}");
        assert_eq!(t.state(now()), CredentialState::Active, "{l}");

        let (t2, raw2) = issue(&mut conn, u.id, days(30));
        assert_ne!(raw2.expose(), raw.expose(), "{l}");
        assert_ne!(t2.token_hash, t.token_hash, "{l}");

        // The database holds the hash, never the raw value.
        let stored = common::query_strings(
            &db,
            &format!(
                "SELECT token_hash AS v FROM refresh_tokens WHERE id = {}",
                t.id
            ),
        );
        assert_eq!(stored, vec![hash_token(raw.expose())], "{l}");
        let rows = table_text(&db, "refresh_tokens", REFRESH_TOKEN_COLUMNS);
        assert_eq!(rows.len(), 2, "{l}");
        for row in &rows {
            for secret in [raw.expose(), raw2.expose()] {
                assert!(!row.contains(secret), "{l}: raw token stored in {row}");
            }
        }
        for row in table_text(
            &db,
            "audit_events",
            &["actor", "action", "detail", "ip_address"],
        ) {
            assert!(
                !row.contains(raw.expose()),
                "{l}: raw token in audit_events"
            );
        }
        let json = serde_json::to_string(&t).unwrap();
        assert!(
            !json.contains("token_hash") && !json.contains(&t.token_hash),
            "{l}: {json}"
        );

        assert_eq!(
            repo::refresh_tokens::find(&mut conn, t.id).unwrap(),
            Some(t.clone()),
            "{l}"
        );
        assert_eq!(
            repo::refresh_tokens::find_by_hash(&mut conn, &t.token_hash).unwrap(),
            Some(t.clone()),
            "{l}"
        );
        assert_eq!(
            repo::refresh_tokens::validate(&mut conn, &raw, now()).unwrap(),
            Some(t.clone()),
            "{l}"
        );
        assert_eq!(
            repo::refresh_tokens::validate(&mut conn, &RawToken::from_client(raw.expose()), now())
                .unwrap()
                .map(|x| x.id),
            Some(t.id),
            "{l}: a client-presented copy validates"
        );
    }
}

#[test]
fn refresh_tokens_validate_rejects_wrong_revoked_and_expired_tokens() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "val@example.com");
        let (t, raw) = issue(&mut conn, u.id, hours(1));
        let validate = |conn: &mut DbConn, raw: &RawToken, at: UtcDateTime| {
            repo::refresh_tokens::validate(conn, raw, at).unwrap()
        };
        assert!(validate(&mut conn, &raw, now()).is_some(), "{l}");

        // Wrong values.
        let mut tampered = raw.expose().to_owned();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        for wrong in [
            RawToken::from_client(""),
            RawToken::from_client("not-a-token"),
            RawToken::from_client(tampered),
            RawToken::from_client(t.token_hash.clone()),
            RawToken::from_client(raw.expose().to_uppercase()),
            RawToken::generate(),
        ] {
            assert_eq!(
                validate(&mut conn, &wrong, now()),
                None,
                "{l}: {:?}",
                wrong.expose()
            );
        }

        // Expiry is inclusive: valid until just before expires_at.
        assert!(
            validate(
                &mut conn,
                &raw,
                t.expires_at - chrono::Duration::microseconds(1)
            )
            .is_some(),
            "{l}"
        );
        assert_eq!(
            validate(&mut conn, &raw, t.expires_at),
            None,
            "{l}: at expires_at"
        );

        // Issued already expired (negative ttl).
        let (neg, raw_neg) = issue(&mut conn, u.id, -mins(1));
        assert!(neg.expires_at < now(), "{l}");
        assert_eq!(neg.state(now()), CredentialState::Expired, "{l}");
        assert_eq!(validate(&mut conn, &raw_neg, now()), None, "{l}");

        // Expired later (expires_at moved into the past).
        let (t2, raw2) = issue(&mut conn, u.id, days(1));
        assert!(validate(&mut conn, &raw2, now()).is_some(), "{l}");
        set_token_expiry(&mut conn, t2.id, now() - secs(1));
        assert_eq!(validate(&mut conn, &raw2, now()), None, "{l}");
        assert_eq!(
            token(&mut conn, t2.id).state(now()),
            CredentialState::Expired,
            "{l}"
        );

        // Revoked.
        assert!(
            repo::refresh_tokens::revoke(&mut conn, t.id, Some("logout"), now()).unwrap(),
            "{l}"
        );
        assert_eq!(validate(&mut conn, &raw, now()), None, "{l}: revoked");
        let r = token(&mut conn, t.id);
        assert_eq!(r.state(now()), CredentialState::Revoked, "{l}");
        assert_eq!(r.revoked_reason.as_deref(), Some("logout"), "{l}");
    }
}

#[test]
fn refresh_tokens_touch_sets_last_used_at() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "touch@example.com");
        let (t, _) = issue(&mut conn, u.id, days(1));
        let (other, _) = issue(&mut conn, u.id, days(1));
        let when = at("2027-02-03T04:05:06.789012Z");
        assert!(
            repo::refresh_tokens::touch(&mut conn, t.id, when).unwrap(),
            "{l}"
        );
        let r = token(&mut conn, t.id);
        assert_eq!(r.last_used_at, Some(when), "{l}");
        assert_eq!(r.expires_at, t.expires_at, "{l}: expiry unchanged");
        assert_eq!(token(&mut conn, other.id).last_used_at, None, "{l}");
        let later = now();
        assert!(
            repo::refresh_tokens::touch(&mut conn, t.id, later).unwrap(),
            "{l}"
        );
        assert_eq!(token(&mut conn, t.id).last_used_at, Some(later), "{l}");
        assert!(
            !repo::refresh_tokens::touch(&mut conn, 424_242, later).unwrap(),
            "{l}"
        );
    }
}

#[test]
fn refresh_tokens_rotate_replaces_and_revokes_the_old_token() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "rot@example.com");
        let (old, raw) = repo::refresh_tokens::issue(
            &mut conn,
            &IssueToken {
                user_id: u.id,
                ttl: days(1),
                user_agent: Some("app/2.0"),
                ip_address: Some("198.51.100.4"),
            },
        )
        .unwrap();
        let (new, new_raw) = repo::refresh_tokens::rotate(&mut conn, &raw, days(7))
            .unwrap()
            .expect("valid token rotates");
        assert_ne!(new.id, old.id, "{l}");
        assert_ne!(new_raw.expose(), raw.expose(), "{l}");
        assert_base64url_token(&new_raw, l);
        assert_eq!(new.token_hash, hash_token(new_raw.expose()), "{l}");
        assert_eq!(new.user_id, u.id, "{l}");
        assert_eq!(new.expires_at, new.created_at + days(7), "{l}");
        assert_eq!(new.user_agent.as_deref(), Some("app/2.0"), "{l}");
        assert_eq!(new.ip_address.as_deref(), Some("198.51.100.4"), "{l}");
        assert_eq!(new.revoked_at, None, "{l}");

        let o = token(&mut conn, old.id);
        assert!(o.revoked_at.is_some(), "{l}");
        assert_eq!(o.revoked_reason.as_deref(), Some("rotated"), "{l}");
        assert_eq!(o.replaced_by_id, Some(new.id), "{l}");
        assert!(o.last_used_at.is_some(), "{l}");
        assert_eq!(o.state(now()), CredentialState::Revoked, "{l}");

        assert_eq!(
            repo::refresh_tokens::validate(&mut conn, &raw, now()).unwrap(),
            None,
            "{l}"
        );
        assert_eq!(
            repo::refresh_tokens::validate(&mut conn, &new_raw, now())
                .unwrap()
                .map(|t| t.id),
            Some(new.id),
            "{l}"
        );

        // Replaying the old token yields nothing and issues nothing.
        assert!(
            repo::refresh_tokens::rotate(&mut conn, &raw, days(7))
                .unwrap()
                .is_none(),
            "{l}"
        );
        assert!(
            repo::refresh_tokens::rotate(&mut conn, &RawToken::generate(), days(7))
                .unwrap()
                .is_none(),
            "{l}"
        );
        let (_, expired_raw) = issue(&mut conn, u.id, -secs(5));
        assert!(
            repo::refresh_tokens::rotate(&mut conn, &expired_raw, days(7))
                .unwrap()
                .is_none(),
            "{l}: an expired token does not rotate"
        );
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM refresh_tokens"),
            3,
            "{l}: old, new, expired"
        );
        assert_eq!(
            token(&mut conn, old.id),
            o,
            "{l}: replay did not touch the old row"
        );

        // The chain continues.
        let (third, _) = repo::refresh_tokens::rotate(&mut conn, &new_raw, days(7))
            .unwrap()
            .unwrap();
        assert_eq!(
            token(&mut conn, new.id).replaced_by_id,
            Some(third.id),
            "{l}"
        );
        assert_eq!(
            repo::refresh_tokens::count_active_for_user(&mut conn, u.id, now()).unwrap(),
            1,
            "{l}"
        );
    }
}

#[test]
fn refresh_tokens_revoke_and_revoke_all_for_user() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "a@example.com");
        let b = add_user(&mut conn, "b@example.com");

        // revoke: true, then false; the first revocation is kept.
        let (t, _) = issue(&mut conn, a.id, days(1));
        let t1 = now();
        assert!(
            repo::refresh_tokens::revoke(&mut conn, t.id, Some("logout"), t1).unwrap(),
            "{l}"
        );
        assert!(
            !repo::refresh_tokens::revoke(&mut conn, t.id, Some("again"), now() + secs(5)).unwrap(),
            "{l}: already revoked"
        );
        let r = token(&mut conn, t.id);
        assert_eq!(r.revoked_at, Some(t1), "{l}");
        assert_eq!(r.revoked_reason.as_deref(), Some("logout"), "{l}");
        assert!(
            !repo::refresh_tokens::revoke(&mut conn, 777_777, None, now()).unwrap(),
            "{l}"
        );

        // revoke_all_for_user: only a's active tokens.
        let a_active: Vec<i64> = (0..3)
            .map(|_| issue(&mut conn, a.id, days(1)).0.id)
            .collect();
        let (a_expired, _) = issue(&mut conn, a.id, -hours(1));
        let b_tokens: Vec<(RefreshToken, RawToken)> =
            (0..2).map(|_| issue(&mut conn, b.id, days(1))).collect();
        let count = |conn: &mut DbConn, uid: i64| {
            repo::refresh_tokens::count_active_for_user(conn, uid, now()).unwrap()
        };
        assert_eq!(
            count(&mut conn, a.id),
            3,
            "{l}: revoked and expired not counted"
        );
        assert_eq!(count(&mut conn, b.id), 2, "{l}");

        let when = now();
        let n = repo::refresh_tokens::revoke_all_for_user(
            &mut conn,
            a.id,
            Some("password reset"),
            when,
        )
        .unwrap();
        assert_eq!(n, 3, "{l}");
        for id in &a_active {
            let r = token(&mut conn, *id);
            assert_eq!(r.revoked_at, Some(when), "{l}");
            assert_eq!(r.revoked_reason.as_deref(), Some("password reset"), "{l}");
        }
        let e = token(&mut conn, a_expired.id);
        assert_eq!(e.revoked_at, None, "{l}: expired token untouched");
        assert_eq!(e, a_expired, "{l}");
        assert_eq!(
            token(&mut conn, t.id).revoked_reason.as_deref(),
            Some("logout"),
            "{l}"
        );
        for (bt, braw) in &b_tokens {
            assert_eq!(
                &token(&mut conn, bt.id),
                bt,
                "{l}: other user's token untouched"
            );
            assert!(
                repo::refresh_tokens::validate(&mut conn, braw, now())
                    .unwrap()
                    .is_some(),
                "{l}"
            );
        }
        assert_eq!(count(&mut conn, a.id), 0, "{l}");
        assert_eq!(count(&mut conn, b.id), 2, "{l}");
        assert_eq!(
            repo::refresh_tokens::revoke_all_for_user(&mut conn, a.id, None, now()).unwrap(),
            0,
            "{l}: nothing left"
        );
        assert_eq!(count(&mut conn, 999_999), 0, "{l}");
    }
}

#[test]
fn refresh_tokens_delete_expired_removes_exactly_the_expired_ones() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "purge@example.com");
        let cutoff = now();
        let mut make = |expires_at: UtcDateTime| {
            let (t, _) = issue(&mut conn, u.id, days(1));
            set_token_expiry(&mut conn, t.id, expires_at);
            t.id
        };
        let two_days_ago = make(cutoff - days(2));
        let a_minute_ago = make(cutoff - mins(1));
        let exactly_now = make(cutoff);
        let in_a_microsecond = make(cutoff + chrono::Duration::microseconds(1));
        let in_an_hour = make(cutoff + hours(1));
        let in_a_month = make(cutoff + days(30));
        let revoked_future = make(cutoff + days(1));
        repo::refresh_tokens::revoke(&mut conn, revoked_future, None, cutoff).unwrap();

        // Oldest first, honouring the limit.
        assert_eq!(
            repo::refresh_tokens::delete_expired(&mut conn, cutoff, 1).unwrap(),
            1,
            "{l}"
        );
        assert_eq!(
            repo::refresh_tokens::find(&mut conn, two_days_ago).unwrap(),
            None,
            "{l}"
        );
        assert!(
            repo::refresh_tokens::find(&mut conn, a_minute_ago)
                .unwrap()
                .is_some(),
            "{l}"
        );

        assert_eq!(
            repo::refresh_tokens::delete_expired(&mut conn, cutoff, 100).unwrap(),
            2,
            "{l}"
        );
        assert_eq!(
            repo::refresh_tokens::delete_expired(&mut conn, cutoff, 100).unwrap(),
            0,
            "{l}"
        );
        let left: BTreeSet<String> =
            common::query_strings(&db, "SELECT CAST(id AS TEXT) AS v FROM refresh_tokens")
                .into_iter()
                .collect();
        let expected: BTreeSet<String> = [in_a_microsecond, in_an_hour, in_a_month, revoked_future]
            .iter()
            .map(|id| id.to_string())
            .collect();
        assert_eq!(
            left, expected,
            "{l}: exactly_now={exactly_now} deleted, future kept"
        );
        assert_eq!(
            repo::refresh_tokens::count_active_for_user(&mut conn, u.id, cutoff).unwrap(),
            3,
            "{l}"
        );
    }
}

// ---------------------------------------------------------------------------
// login_sessions
// ---------------------------------------------------------------------------

#[test]
fn login_sessions_create_validate_and_store_only_the_hash() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "sess@example.com");
        let before = now();
        let (s, raw) = repo::login_sessions::create(
            &mut conn,
            &NewSession {
                user_id: u.id,
                ttl: hours(12),
                ip_address: Some("192.0.2.55"),
                user_agent: Some("Mozilla/5.0"),
            },
        )
        .unwrap();
        assert_base64url_token(&raw, l);
        assert_sha256_hex(&s.token_hash, l);
        assert_eq!(s.token_hash, hash_token(raw.expose()), "{l}");
        assert_eq!(s.user_id, u.id, "{l}");
        assert!(s.created_at >= before, "{l}");
        assert_eq!(s.last_activity_at, s.created_at, "{l}");
        assert_eq!(s.expires_at, s.created_at + hours(12), "{l}");
        assert_eq!(s.ip_address.as_deref(), Some("192.0.2.55"), "{l}");
        assert_eq!(s.user_agent.as_deref(), Some("Mozilla/5.0"), "{l}");
        assert_eq!(s.revoked_at, None, "{l}");
        assert_eq!(s.state(now()), CredentialState::Active, "{l}");

        for row in table_text(&db, "login_sessions", LOGIN_SESSION_COLUMNS) {
            assert!(
                !row.contains(raw.expose()),
                "{l}: raw session token stored: {row}"
            );
        }
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains(&s.token_hash), "{l}: {json}");

        assert_eq!(
            repo::login_sessions::find(&mut conn, s.id).unwrap(),
            Some(s.clone()),
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::validate(&mut conn, &raw, now()).unwrap(),
            Some(s.clone()),
            "{l}"
        );
        for wrong in [
            RawToken::generate(),
            RawToken::from_client(s.token_hash.clone()),
            RawToken::from_client(""),
        ] {
            assert_eq!(
                repo::login_sessions::validate(&mut conn, &wrong, now()).unwrap(),
                None,
                "{l}"
            );
        }
        assert_eq!(
            repo::login_sessions::validate(&mut conn, &raw, s.expires_at).unwrap(),
            None,
            "{l}"
        );

        let (_, expired_raw) = new_session(&mut conn, u.id, -secs(1));
        assert_eq!(
            repo::login_sessions::validate(&mut conn, &expired_raw, now()).unwrap(),
            None,
            "{l}: negative ttl"
        );
        let (s2, raw2) = new_session(&mut conn, u.id, hours(1));
        set_session_expiry(&mut conn, s2.id, now() - secs(1));
        assert_eq!(
            repo::login_sessions::validate(&mut conn, &raw2, now()).unwrap(),
            None,
            "{l}"
        );
    }
}

#[test]
fn login_sessions_touch_with_and_without_extending() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "slide@example.com");
        let (s, raw) = new_session(&mut conn, u.id, hours(1));

        let t1 = s.created_at + mins(5);
        assert!(
            repo::login_sessions::touch(&mut conn, s.id, t1, None).unwrap(),
            "{l}"
        );
        let r = session(&mut conn, s.id);
        assert_eq!(r.last_activity_at, t1, "{l}");
        assert_eq!(r.expires_at, s.expires_at, "{l}: no extension");

        let t2 = s.created_at + mins(10);
        let new_exp = at("2031-12-31T23:59:59.999999Z");
        assert!(
            repo::login_sessions::touch(&mut conn, s.id, t2, Some(new_exp)).unwrap(),
            "{l}"
        );
        let r = session(&mut conn, s.id);
        assert_eq!(r.last_activity_at, t2, "{l}");
        assert_eq!(r.expires_at, new_exp, "{l}");
        // Sliding an expired session forward revives it for validate.
        set_session_expiry(&mut conn, s.id, now() - secs(1));
        assert!(
            repo::login_sessions::validate(&mut conn, &raw, now())
                .unwrap()
                .is_none(),
            "{l}"
        );
        assert!(
            repo::login_sessions::touch(&mut conn, s.id, now(), Some(now() + hours(1))).unwrap(),
            "{l}"
        );
        assert!(
            repo::login_sessions::validate(&mut conn, &raw, now())
                .unwrap()
                .is_some(),
            "{l}"
        );

        assert!(
            !repo::login_sessions::touch(&mut conn, 31_337, now(), None).unwrap(),
            "{l}"
        );

        // A revoked session is not touched.
        assert!(
            repo::login_sessions::invalidate(&mut conn, s.id, Some("logout"), now()).unwrap(),
            "{l}"
        );
        let before = session(&mut conn, s.id);
        assert!(
            !repo::login_sessions::touch(&mut conn, s.id, now(), Some(now() + days(1))).unwrap(),
            "{l}"
        );
        assert_eq!(session(&mut conn, s.id), before, "{l}");
    }
}

#[test]
fn login_sessions_invalidate_and_invalidate_all_for_user() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "sa@example.com");
        let b = add_user(&mut conn, "sb@example.com");

        let (s, raw) = new_session(&mut conn, a.id, hours(1));
        let t1 = now();
        assert!(
            repo::login_sessions::invalidate(&mut conn, s.id, Some("logout"), t1).unwrap(),
            "{l}"
        );
        assert!(
            !repo::login_sessions::invalidate(&mut conn, s.id, Some("again"), now()).unwrap(),
            "{l}"
        );
        let r = session(&mut conn, s.id);
        assert_eq!(r.revoked_at, Some(t1), "{l}");
        assert_eq!(r.revoked_reason.as_deref(), Some("logout"), "{l}");
        assert_eq!(r.state(now()), CredentialState::Revoked, "{l}");
        assert_eq!(
            repo::login_sessions::validate(&mut conn, &raw, now()).unwrap(),
            None,
            "{l}"
        );
        assert!(
            !repo::login_sessions::invalidate(&mut conn, 55_555, None, now()).unwrap(),
            "{l}"
        );

        let a_active: Vec<i64> = (0..3)
            .map(|_| new_session(&mut conn, a.id, hours(1)).0.id)
            .collect();
        let (a_expired, _) = new_session(&mut conn, a.id, -mins(1));
        let b_sessions: Vec<LoginSession> = (0..2)
            .map(|_| new_session(&mut conn, b.id, hours(1)).0)
            .collect();
        let count = |conn: &mut DbConn, uid: i64| {
            repo::login_sessions::count_active_for_user(conn, uid, now()).unwrap()
        };
        assert_eq!(count(&mut conn, a.id), 3, "{l}");
        assert_eq!(count(&mut conn, b.id), 2, "{l}");

        let when = now();
        assert_eq!(
            repo::login_sessions::invalidate_all_for_user(&mut conn, a.id, Some("disabled"), when)
                .unwrap(),
            3,
            "{l}"
        );
        for id in &a_active {
            let r = session(&mut conn, *id);
            assert_eq!(r.revoked_at, Some(when), "{l}");
            assert_eq!(r.revoked_reason.as_deref(), Some("disabled"), "{l}");
        }
        assert_eq!(
            session(&mut conn, a_expired.id),
            a_expired,
            "{l}: expired untouched"
        );
        assert_eq!(
            session(&mut conn, s.id).revoked_reason.as_deref(),
            Some("logout"),
            "{l}"
        );
        for bs in &b_sessions {
            assert_eq!(&session(&mut conn, bs.id), bs, "{l}: other user untouched");
        }
        assert_eq!(count(&mut conn, a.id), 0, "{l}");
        assert_eq!(count(&mut conn, b.id), 2, "{l}");
        assert_eq!(
            repo::login_sessions::invalidate_all_for_user(&mut conn, a.id, None, now()).unwrap(),
            0,
            "{l}"
        );
    }
}

#[test]
fn login_sessions_delete_expired_removes_exactly_the_expired_ones() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "spurge@example.com");
        let cutoff = now();
        let mut make = |expires_at: UtcDateTime| {
            let (s, _) = new_session(&mut conn, u.id, hours(1));
            set_session_expiry(&mut conn, s.id, expires_at);
            s.id
        };
        let old = make(cutoff - days(3));
        let recent = make(cutoff - secs(1));
        let boundary = make(cutoff);
        let soon = make(cutoff + hours(1));
        let later = make(cutoff + days(7));

        assert_eq!(
            repo::login_sessions::delete_expired(&mut conn, cutoff, 2).unwrap(),
            2,
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::find(&mut conn, old).unwrap(),
            None,
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::find(&mut conn, recent).unwrap(),
            None,
            "{l}"
        );
        assert!(
            repo::login_sessions::find(&mut conn, boundary)
                .unwrap()
                .is_some(),
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::delete_expired(&mut conn, cutoff, 100).unwrap(),
            1,
            "{l}"
        );
        assert_eq!(
            repo::login_sessions::delete_expired(&mut conn, cutoff, 100).unwrap(),
            0,
            "{l}"
        );
        let left: Vec<String> = common::query_strings(
            &db,
            "SELECT CAST(id AS TEXT) AS v FROM login_sessions ORDER BY id",
        );
        assert_eq!(left, vec![soon.to_string(), later.to_string()], "{l}");
        assert_eq!(
            repo::login_sessions::count_active_for_user(&mut conn, u.id, cutoff).unwrap(),
            2,
            "{l}"
        );
    }
}

// ---------------------------------------------------------------------------
// audit_events
// ---------------------------------------------------------------------------

#[test]
fn audit_events_commit_and_roll_back_with_the_change() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "audited@example.com");
        let event = |role: &'static str| NewAuditEvent {
            actor: "ops@example.com",
            action: "user.role",
            user_id: Some(u.id),
            detail: Some(json!({ "role": role })),
            ip_address: Some("10.0.0.1"),
        };
        let change = |role: &str| UserChanges {
            role: Some(role.into()),
            ..Default::default()
        };

        // The change and its event roll back together.
        let r: Result<(), anyhow::Error> = conn.transaction(|conn| {
            repo::users::update(conn, u.id, &change("admin"))?;
            event("admin").append(conn)?;
            anyhow::bail!("policy check failed")
        });
        assert_eq!(r.unwrap_err().to_string(), "policy check failed", "{l}");
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM audit_events"),
            0,
            "{l}"
        );
        assert_eq!(user(&mut conn, u.id).role, "user", "{l}");

        // A failing database statement after the append also rolls it back.
        let r: Result<(), DieselError> = conn.transaction(|conn| {
            event("admin").append(conn)?;
            NewUser::new("AUDITED@example.com", password_hash()).insert(conn)?;
            Ok(())
        });
        assert!(is_unique_violation(&r.unwrap_err()), "{l}");
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM audit_events"),
            0,
            "{l}"
        );

        // Committed: both stored.
        let before = now();
        conn.transaction(|conn| {
            repo::users::update(conn, u.id, &change("support"))?;
            event("support").append(conn)
        })
        .unwrap();
        let after = now();
        assert_eq!(user(&mut conn, u.id).role, "support", "{l}");
        let events = list_events(
            &mut conn,
            AuditFilter {
                limit: 10,
                ..Default::default()
            },
        );
        assert_eq!(events.len(), 1, "{l}");
        let e = &events[0];
        assert_eq!(e.actor, "ops@example.com", "{l}");
        assert_eq!(e.action, "user.role", "{l}");
        assert_eq!(e.user_id, Some(u.id), "{l}");
        assert_eq!(e.ip_address.as_deref(), Some("10.0.0.1"), "{l}");
        assert!(e.occurred_at >= before && e.occurred_at <= after, "{l}");
        let detail: serde_json::Value = serde_json::from_str(e.detail.as_deref().unwrap()).unwrap();
        assert_eq!(detail, json!({ "role": "support" }), "{l}");

        // Appended outside any transaction: stored immediately.
        NewAuditEvent {
            actor: "system",
            action: "maintenance",
            user_id: None,
            detail: None,
            ip_address: None,
        }
        .append(&mut conn)
        .unwrap();
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM audit_events"),
            2,
            "{l}"
        );
    }
}

#[test]
fn audit_events_detail_round_trips_and_serializes_as_an_object() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "json@example.com");
        let detail = json!({
            "changed": ["role", "display_name"],
            "count": 3,
            "ratio": 0.5,
            "flag": true,
            "none": null,
            "nested": { "from": "user", "to": "admin" },
            "text": "quote \" backslash \\ newline \n unicode é ✓ 🦀",
        });
        NewAuditEvent {
            actor: "ops",
            action: "user.update",
            user_id: Some(u.id),
            detail: Some(detail.clone()),
            ip_address: None,
        }
        .append(&mut conn)
        .unwrap();
        NewAuditEvent {
            actor: "ops",
            action: "user.noop",
            user_id: Some(u.id),
            detail: None,
            ip_address: None,
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
        let without = events.iter().find(|e| e.action == "user.noop").unwrap();
        let stored: serde_json::Value =
            serde_json::from_str(with.detail.as_deref().unwrap()).unwrap();
        assert_eq!(stored, detail, "{l}");
        assert_eq!(without.detail, None, "{l}");

        let v = serde_json::to_value(with).unwrap();
        assert!(v["detail"].is_object(), "{l}: {v}");
        assert_eq!(v["detail"], detail, "{l}");
        assert_eq!(v["id"], with.id, "{l}");
        assert_eq!(v["user_id"], u.id, "{l}");
        assert_eq!(v["actor"], "ops", "{l}");
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

/// Insert an audit event at a chosen time (the repository always uses "now").
fn insert_event_at(
    conn: &mut DbConn,
    occurred_at: UtcDateTime,
    action: &str,
    user_id: Option<i64>,
) -> i64 {
    use schema::audit_events as a;
    with_conn!(conn, c => diesel::insert_into(a::table)
        .values((
            a::occurred_at.eq(occurred_at),
            a::actor.eq("seed"),
            a::action.eq(action),
            a::user_id.eq(user_id),
        ))
        .execute(c))
    .unwrap();
    with_conn!(conn, c => a::table.select(diesel::dsl::max(a::id)).first::<Option<i64>>(c))
        .unwrap()
        .unwrap()
}

#[test]
fn audit_events_list_filters_and_orders_newest_first() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let a = add_user(&mut conn, "ea@example.com").id;
        let b = add_user(&mut conn, "eb@example.com").id;
        let t0 = at("2026-06-01T12:00:00.000001Z");
        let e1 = insert_event_at(&mut conn, t0 - hours(3), "user.create", Some(a));
        let e2 = insert_event_at(&mut conn, t0 - hours(2), "user.create", Some(b));
        let e3 = insert_event_at(&mut conn, t0 - hours(1), "user.disable", Some(a));
        let e4 = insert_event_at(&mut conn, t0 - hours(1), "token.revoke", Some(a));
        let e5 = insert_event_at(&mut conn, t0, "config.check", None);
        let list = |conn: &mut DbConn, f: AuditFilter| event_ids(&list_events(conn, f));
        let all = AuditFilter {
            limit: 100,
            ..Default::default()
        };

        assert_eq!(
            list(&mut conn, all.clone()),
            vec![e5, e4, e3, e2, e1],
            "{l}"
        );
        assert_eq!(
            list(
                &mut conn,
                AuditFilter {
                    user_id: Some(a),
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
                    since: Some(t0 - hours(1) + chrono::Duration::microseconds(1)),
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
                    user_id: Some(a),
                    since: Some(t0 - mins(90)),
                    ..all.clone()
                }
            ),
            vec![e4, e3],
            "{l}"
        );

        // Keyset pages of two.
        let mut pages = Vec::new();
        let mut before = None;
        loop {
            let page = list(
                &mut conn,
                AuditFilter {
                    before_id: before,
                    limit: 2,
                    ..Default::default()
                },
            );
            let Some(last) = page.last() else { break };
            before = Some(*last);
            pages.push(page);
        }
        assert_eq!(pages, vec![vec![e5, e4], vec![e3, e2], vec![e1]], "{l}");

        // Events appended through the repository are listed newest first too.
        for action in ["x.first", "x.second", "x.third"] {
            NewAuditEvent {
                actor: "svc",
                action,
                user_id: Some(b),
                detail: None,
                ip_address: None,
            }
            .append(&mut conn)
            .unwrap();
        }
        let newest: Vec<String> = list_events(
            &mut conn,
            AuditFilter {
                user_id: Some(b),
                limit: 3,
                ..Default::default()
            },
        )
        .into_iter()
        .map(|e| e.action)
        .collect();
        assert_eq!(newest, vec!["x.third", "x.second", "x.first"], "{l}");
    }
}

// ---------------------------------------------------------------------------
// DbConn::transaction
// ---------------------------------------------------------------------------

fn emails(db: &TestDb) -> Vec<String> {
    common::query_strings(db, "SELECT email AS v FROM users ORDER BY email")
}

#[test]
fn transaction_err_rolls_back_every_write() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let keep = add_user(&mut conn, "keep@example.com");
        let r: Result<(), anyhow::Error> = conn.transaction(|conn| {
            let u = add_user(conn, "temp@example.com");
            issue(conn, u.id, days(1));
            new_session(conn, u.id, hours(1));
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
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM refresh_tokens"),
            0,
            "{l}"
        );
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM login_sessions"),
            0,
            "{l}"
        );

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

#[test]
fn transaction_nested_inner_err_rolls_back_only_the_inner_part() {
    for db in TestDb::all() {
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
                NewUser::new("OUTER1@example.com", password_hash()).insert(conn)
            });
            assert!(is_unique_violation(&dup.unwrap_err()));
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
        assert_eq!(emails(&db).len(), 3, "{l}");

        // Repository functions that open their own transaction nest correctly.
        let u = repo::users::find_by_email(&mut conn, "deep@example.com")
            .unwrap()
            .unwrap();
        let r: Result<(), DieselError> = conn.transaction(|conn| {
            repo::users::record_login_failure(conn, u.id, 1, hours(1))?;
            Err(DieselError::RollbackTransaction)
        });
        assert!(r.is_err(), "{l}");
        let after = user(&mut conn, u.id);
        assert_eq!(after.failed_login_count, 0, "{l}");
        assert_eq!(after.locked_until, None, "{l}");
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
        assert!(
            waited >= Duration::from_millis(150),
            "gave up after {waited:?}, before the 200 ms busy timeout"
        );
        assert!(waited < Duration::from_secs(3), "waited {waited:?}");
        assert!(err.to_string().contains("database is locked"), "{err}");
        assert_eq!(classify_diesel(&err), ExitCode::Busy, "{err:?}");
        assert_eq!(
            authctl::error::exit_code(&anyhow::Error::from(err)),
            ExitCode::Busy
        );

        // A plain write outside a transaction waits and fails the same way.
        let err = repo::users::update(&mut conn3, 1, &UserChanges::default())
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
fn pool_to_unreachable_server_builds_at_once_and_fails_within_connect_timeout() {
    let target = DatabaseTarget::parse("postgres://authctl@127.0.0.1:1/authctl").unwrap();
    let connect_timeout = Duration::from_secs(2);
    let opts = ConnectOptions {
        connect_timeout,
        ..ConnectOptions::new(target)
    };
    let start = Instant::now();
    let pool = build_pool(opts, 2);
    assert!(
        start.elapsed() < Duration::from_millis(500),
        "build_pool blocked {:?}",
        start.elapsed()
    );

    let start = Instant::now();
    let err = match pool.get() {
        Ok(_) => panic!("a connection to 127.0.0.1:1 must fail"),
        Err(e) => e,
    };
    let took = start.elapsed();
    let limit = connect_timeout + Duration::from_secs(1) + Duration::from_millis(1500);
    assert!(took <= limit, "pool.get took {took:?} (limit {limit:?})");
    let msg = err.to_string();
    assert!(
        msg.contains("127.0.0.1:1"),
        "error does not name the port: {msg}"
    );
    assert!(pool.try_get().is_none());
}

#[test]
fn pool_hands_out_working_connections_up_to_max_size() {
    for db in TestDb::all() {
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

#[test]
fn pool_does_not_hand_out_a_connection_left_inside_a_transaction() {
    let mut findings = Findings::default();
    for db in TestDb::all() {
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
    }
    findings.assert_none();
}

// ---------------------------------------------------------------------------
// Concurrency and edge cases
// ---------------------------------------------------------------------------

#[test]
fn refresh_token_rotated_concurrently_is_replaced_exactly_once() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "replay@example.com");
        let (old, raw) = issue(&mut conn, u.id, days(1));
        let barrier = Barrier::new(4);
        let (db_ref, barrier, raw) = (&db, &barrier, &raw);
        let results: Vec<Option<i64>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(move || {
                        let mut conn = db_ref.connect();
                        barrier.wait();
                        repo::refresh_tokens::rotate(&mut conn, raw, days(1))
                            .unwrap_or_else(|e| panic!("{l}: rotate: {e}"))
                            .map(|(t, _)| t.id)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let winners: Vec<i64> = results.iter().flatten().copied().collect();
        assert_eq!(winners.len(), 1, "{l}: one replacement: {results:?}");
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM refresh_tokens"),
            2,
            "{l}: the losers' replacements were rolled back"
        );
        assert_eq!(
            token(&mut conn, old.id).replaced_by_id,
            Some(winners[0]),
            "{l}"
        );
    }
}

#[test]
fn users_concurrent_login_failures_all_count() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "brute@example.com");
        let db_ref = &db;
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(move || {
                    let mut conn = db_ref.connect();
                    for _ in 0..5 {
                        repo::users::record_login_failure(&mut conn, u.id, 10, mins(5))
                            .unwrap_or_else(|e| panic!("{l}: record_login_failure: {e}"));
                    }
                });
            }
        });
        let v = user(&mut conn, u.id);
        assert_eq!(v.failed_login_count, 20, "{l}");
        assert!(v.locked_until.is_some(), "{l}");
    }
}

#[test]
fn users_list_search_ignores_case_of_non_ascii_letters() {
    let mut findings = Findings::default();
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let mut new = NewUser::new("elodie@example.com", password_hash());
        new.display_name = Some("Élodie Ünal");
        let u = new.insert(&mut conn).unwrap();
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
                now(),
            );
            findings.eq(
                user_ids(&found),
                vec![u.id],
                format!("{l}: search {term:?}"),
            );
        }
    }
    findings.assert_none();
}

/// Events inserted by two hosts whose clocks disagree: `occurred_at` order differs
/// from insertion (`id`) order.
#[test]
fn audit_events_keyset_pages_visit_every_event_once_when_clocks_disagree() {
    let mut findings = Findings::default();
    for db in TestDb::all() {
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
    }
    findings.assert_none();
}

#[test]
fn delete_expired_with_a_negative_limit_deletes_nothing() {
    let mut findings = Findings::default();
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let u = add_user(&mut conn, "neg@example.com");
        issue(&mut conn, u.id, -hours(1));
        new_session(&mut conn, u.id, -hours(1));
        for limit in [0, -1] {
            findings.eq(
                repo::refresh_tokens::delete_expired(&mut conn, now(), limit)
                    .map_err(|e| e.to_string()),
                Ok(0),
                format!("{l}: refresh_tokens::delete_expired(limit {limit})"),
            );
            findings.eq(
                repo::login_sessions::delete_expired(&mut conn, now(), limit)
                    .map_err(|e| e.to_string()),
                Ok(0),
                format!("{l}: login_sessions::delete_expired(limit {limit})"),
            );
        }
        findings.eq(
            common::count(&db, "SELECT count(*) AS n FROM refresh_tokens"),
            1,
            format!("{l}: refresh tokens left"),
        );
        findings.eq(
            common::count(&db, "SELECT count(*) AS n FROM login_sessions"),
            1,
            format!("{l}: sessions left"),
        );
    }
    findings.assert_none();
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
