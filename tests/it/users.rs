//! `authctl users …` on the application's schema (uuid ids, bcrypt `$2b$`, a disabled
//! user's hash behind `!`): create, list, show, update, disable/enable, reset-password,
//! delete, the last-admin guard. Setup goes through the library; assertions read the database.

use crate::common;

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use authctl::db::{DbConn, RefreshTokenId, SessionId, UserId, UtcDateTime};
use authctl::password::{HashPolicy, PasswordHasher};
use authctl::repo::{
    self, AuditEvent, AuditFilter, LoginSession, NewRefreshToken, NewSession, NewUser,
    RefreshToken, User, UserChanges, UserFilter,
};
use authctl::schema;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::common::{Run, TestDb, count};

/// Distinctive, policy-compliant, non-ASCII with spaces: hashed byte for byte.
const PASSWORD: &str = "Zebra quärtz 🔑 lantern 91";
const NEW_PASSWORD: &str = "Pelican orbit 7 marmalade";

// ---------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------

/// Run `authctl --actor tester ARGS` against `db` with `stdin`.
fn run(db: &TestDb, args: &[&str], stdin: &str) -> Run {
    run_env(db, &[], args, stdin)
}

/// [`run`] with extra environment variables.
fn run_env(db: &TestDb, env: &[(&str, &str)], args: &[&str], stdin: &str) -> Run {
    let mut cmd = db.authctl();
    for (k, v) in env {
        cmd.env(k, v);
    }
    common::run(
        cmd.arg("--actor")
            .arg("tester")
            .args(args)
            .write_stdin(stdin),
    )
}

fn stdout(o: &Run) -> String {
    o.stdout.clone()
}

fn stderr(o: &Run) -> String {
    o.stderr.clone()
}

/// Assert the exit code, showing the output when it differs.
#[track_caller]
fn expect_code(o: &Run, code: i32, what: &str) {
    assert_eq!(o.code, code, "{what}: {o}");
}

/// Assert that no output of a run shows `secret`.
#[track_caller]
fn assert_hidden(o: &Run, secret: &str, what: &str) {
    assert!(!stdout(o).contains(secret), "{what}: password on stdout");
    assert!(!stderr(o).contains(secret), "{what}: password on stderr");
}

#[track_caller]
fn json(o: &Run) -> Value {
    o.json()
}

/// `users show USER` as JSON.
#[track_caller]
fn show(db: &TestDb, user: &str) -> Value {
    let o = run(db, &["-o", "json", "users", "show", user], "");
    expect_code(&o, 0, &format!("{}: show {user}", db.label()));
    json(&o)
}

#[track_caller]
fn id_of(v: &Value) -> UserId {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no string id in {v}"))
        .parse()
        .expect("id is a uuid")
}

/// Create a user through the binary with `password` on stdin; returns its id.
#[track_caller]
fn create(db: &TestDb, email: &str, password: &str, extra: &[&str]) -> UserId {
    let mut args = vec!["-o", "json", "users", "create", email, "--password-stdin"];
    args.extend_from_slice(extra);
    let o = run(db, &args, &format!("{password}\n"));
    expect_code(&o, 0, &format!("{}: create {email}", db.label()));
    assert_hidden(&o, password, "create");
    id_of(&json(&o))
}

// ---------------------------------------------------------------------------
// Setup and inspection through the library
// ---------------------------------------------------------------------------

/// A real bcrypt hash of [`PASSWORD`] at cost 10 (fast; for users made by the
/// library), computed once.
fn library_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        PasswordHasher::new(HashPolicy::Bcrypt { cost: 10 })
            .unwrap()
            .hash(PASSWORD.as_bytes())
            .unwrap()
    })
}

/// Whether authctl's verifier (the default policy) accepts `password` for `stored`.
fn verifies(stored: &str, password: &str) -> bool {
    PasswordHasher::default()
        .verify(password.as_bytes(), stored)
        .expect("a hash authctl can read")
}

/// Insert a user with [`library_hash`] directly; returns its id.
fn insert_user(conn: &mut DbConn, email: &str) -> UserId {
    NewUser::new(email, library_hash())
        .insert(conn)
        .expect("insert user")
        .id
}

/// Insert users directly, in one statement.
fn insert_users(conn: &mut DbConn, emails: &[String]) {
    let rows: Vec<NewUser> = emails
        .iter()
        .map(|e| NewUser::new(e, library_hash()))
        .collect();
    authctl::with_conn!(conn, c => diesel::insert_into(schema::users::table)
        .values(&rows)
        .execute(c))
    .expect("insert users");
}

#[track_caller]
fn user(conn: &mut DbConn, id: UserId) -> User {
    repo::users::find(conn, id).unwrap().expect("user exists")
}

fn stored_hash(conn: &mut DbConn, id: UserId) -> String {
    user(conn, id).password_hash
}

fn old_time() -> UtcDateTime {
    UtcDateTime::parse_text("2001-01-01 00:00:00").unwrap()
}

/// Give a user a pending password reset (as the application's reset flow does).
fn set_reset_token(conn: &mut DbConn, id: UserId) {
    authctl::with_conn!(conn, c => diesel::update(schema::users::table.find(id))
        .set((
            schema::users::reset_token.eq("reset-token-0123456789abcdef"),
            schema::users::reset_token_expires.eq(UtcDateTime::now() + chrono::Duration::hours(1)),
        ))
        .execute(c))
    .unwrap();
}

/// The credentials of [`add_credentials`] that differ from the rest.
struct Creds {
    /// Revoked in 2001.
    revoked_token: RefreshTokenId,
    /// Invalidated earlier.
    inactive_session: SessionId,
}

/// For a user: two usable tokens and sessions, one expired token and session, one
/// token revoked long ago and one session invalidated earlier.
fn add_credentials(conn: &mut DbConn, user_id: UserId) -> Creds {
    let now = UtcDateTime::now();
    let mut token = |expires_at: UtcDateTime| {
        let raw = format!("refresh.{user_id}.{}", RefreshTokenId::new_v4());
        repo::refresh_tokens::create(conn, &NewRefreshToken::new(user_id, &raw, expires_at))
            .unwrap()
            .id
    };
    token(now + chrono::Duration::days(7));
    token(now + chrono::Duration::days(7));
    token(now - chrono::Duration::hours(1));
    let revoked_token = token(now + chrono::Duration::days(7));
    authctl::with_conn!(conn, c => diesel::update(schema::refresh_tokens::table.find(revoked_token))
        .set((
            schema::refresh_tokens::is_revoked.eq(true),
            schema::refresh_tokens::revoked_at.eq(old_time()),
        ))
        .execute(c))
    .unwrap();

    let mut session =
        |new: NewSession| repo::login_sessions::create(conn, &new).unwrap().session_id;
    session(NewSession::new(user_id, chrono::Duration::days(7)));
    session(NewSession::new(user_id, chrono::Duration::days(7)));
    let mut expired = NewSession::new(user_id, chrono::Duration::days(7));
    expired.created_at = now - chrono::Duration::hours(3);
    expired.last_activity_at = expired.created_at;
    expired.expires_at = now - chrono::Duration::hours(1);
    session(expired);
    let mut inactive = NewSession::new(user_id, chrono::Duration::days(7));
    inactive.is_active = false;
    let inactive_session = session(inactive);
    Creds {
        revoked_token,
        inactive_session,
    }
}

fn tokens(conn: &mut DbConn, user_id: UserId) -> Vec<RefreshToken> {
    repo::refresh_tokens::find_by_user(conn, user_id).unwrap()
}

fn sessions(conn: &mut DbConn, user_id: UserId) -> Vec<LoginSession> {
    repo::login_sessions::find_by_user(conn, user_id).unwrap()
}

/// Tokens with `is_revoked = false`.
fn unrevoked_tokens(conn: &mut DbConn, user_id: UserId) -> usize {
    tokens(conn, user_id)
        .iter()
        .filter(|t| t.is_revoked == Some(false))
        .count()
}

/// Sessions with `is_active = true`.
fn flagged_active_sessions(conn: &mut DbConn, user_id: UserId) -> usize {
    sessions(conn, user_id)
        .iter()
        .filter(|s| s.is_active == Some(true))
        .count()
}

/// After a disable or a password reset at or after `since`: every token of the
/// user revoked (`is_revoked = true` with `revoked_at`), the one revoked in 2001
/// left as it was; every session inactive.
#[track_caller]
fn assert_all_revoked(conn: &mut DbConn, user_id: UserId, c: &Creds, since: UtcDateTime, l: &str) {
    let ts = tokens(conn, user_id);
    assert_eq!(ts.len(), 4, "{l}");
    for t in &ts {
        assert_eq!(t.is_revoked, Some(true), "{l}: token {} not revoked", t.id);
        let at = t.revoked_at.expect("revoked_at set");
        if t.id == c.revoked_token {
            assert_eq!(at, old_time(), "{l}: an old revocation was rewritten");
        } else {
            assert!(at >= since, "{l}: revoked_at {at} before the command");
        }
    }
    for s in sessions(conn, user_id) {
        assert_eq!(
            s.is_active,
            Some(false),
            "{l}: session {} active",
            s.session_id
        );
    }
}

/// The other user's credentials are exactly as [`add_credentials`] left them.
#[track_caller]
fn assert_untouched(conn: &mut DbConn, user_id: UserId, c: &Creds, l: &str) {
    for t in tokens(conn, user_id) {
        let revoked = t.id == c.revoked_token;
        assert_eq!(
            t.is_revoked,
            Some(revoked),
            "{l}: other user's token {}",
            t.id
        );
        let expected = if revoked { Some(old_time()) } else { None };
        assert_eq!(t.revoked_at, expected, "{l}: other user's token {}", t.id);
    }
    for s in sessions(conn, user_id) {
        let active = s.session_id != c.inactive_session;
        assert_eq!(s.is_active, Some(active), "{l}: other user's session");
    }
}

/// Every audit event, newest first.
fn events(conn: &mut DbConn) -> Vec<AuditEvent> {
    repo::audit_events::list(
        conn,
        &AuditFilter {
            limit: 100_000,
            ..Default::default()
        },
    )
    .unwrap()
}

fn audit_count(conn: &mut DbConn) -> usize {
    events(conn).len()
}

/// Every audit event as one text (actor, action, email, detail).
fn audit_text(conn: &mut DbConn) -> String {
    events(conn)
        .iter()
        .map(|e| format!("{} {} {:?} {:?}", e.actor, e.action, e.user_email, e.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The newest audit event with `action`.
#[track_caller]
fn last_event(conn: &mut DbConn, action: &str) -> AuditEvent {
    events(conn)
        .into_iter()
        .find(|e| e.action == action)
        .unwrap_or_else(|| panic!("no {action} event"))
}

/// The newest `action` event's detail.
#[track_caller]
fn last_detail(conn: &mut DbConn, action: &str) -> Value {
    let e = last_event(conn, action);
    serde_json::from_str(e.detail.as_deref().unwrap_or("{}")).expect("detail is JSON")
}

/// Everything `users` commands may change, for "nothing was written" checks.
fn snapshot(conn: &mut DbConn) -> String {
    let users = repo::users::list(
        conn,
        &UserFilter {
            limit: 100_000,
            ..Default::default()
        },
    )
    .unwrap();
    let mut out = format!("{users:#?}\n");
    for u in &users {
        out.push_str(&format!(
            "{:#?}\n{:#?}\n",
            tokens(conn, u.id),
            sessions(conn, u.id)
        ));
    }
    out.push_str(&format!("{:#?}", events(conn)));
    out
}

// ---------------------------------------------------------------------------
// create
// ---------------------------------------------------------------------------

per_backend! {
    fn create_stores_normalized_user_and_bcrypt_hash(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let o = run(
            &db,
            &[
                "users",
                "create",
                "  Alice@Example.COM ",
                "--name",
                "  Alice Smith ",
                "--role",
                "admin",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\nsecond line ignored\n"),
        );
        expect_code(&o, 0, l);
        assert_hidden(&o, PASSWORD, l);
        let line = stdout(&o);
        let rest = line
            .strip_prefix("created user ")
            .unwrap_or_else(|| panic!("{l}: {line:?}"));
        let (id, email) = rest.trim_end().split_once(' ').unwrap();
        assert_eq!(email, "alice@example.com", "{l}");
        let id: UserId = id.parse().expect("uuid id");
        assert_eq!(
            id.0.get_version_num(),
            4,
            "{l}: a v4 uuid, as the application makes"
        );

        let v = show(&db, "ALICE@example.com");
        assert_eq!(id_of(&v), id, "{l}");
        assert_eq!(v["email"], "alice@example.com", "{l}");
        assert_eq!(v["name"], "Alice Smith", "{l}: trimmed");
        assert_eq!(v["role"], "admin", "{l}");
        assert_eq!(v["status"], "active", "{l}");
        assert_eq!(v["email_verified"], false, "{l}");
        assert_eq!(v["email_verified_at"], Value::Null, "{l}");
        assert_eq!(v["last_login"], Value::Null, "{l}");
        assert!(v["created_at"].as_str().unwrap().ends_with('Z'), "{l}: {v}");
        for secret in ["password_hash", "reset_token", "reset_token_expires"] {
            assert!(v.get(secret).is_none(), "{l}: {secret} shown");
        }

        // bcrypt $2b$ at the default cost 12, of the exact UTF-8 bytes.
        let u = user(&mut conn, id);
        assert!(
            u.password_hash.starts_with("$2b$12$"),
            "{l}: {}",
            u.password_hash
        );
        assert_eq!(u.password_hash.len(), 60, "{l}");
        assert!(
            verifies(&u.password_hash, PASSWORD),
            "{l}: hash does not verify"
        );
        assert!(
            !verifies(&u.password_hash, "Zebra quartz 🔑 lantern 91"),
            "{l}"
        );
        assert!(!verifies(&u.password_hash, "second line ignored"), "{l}");
        assert_eq!(u.role.as_deref(), Some("admin"), "{l}");
        assert_eq!(u.email_verified, Some(false), "{l}");
        assert!(
            !show(&db, &id.to_string()).to_string().contains("$2b$"),
            "{l}"
        );

        let e = last_event(&mut conn, "user.create");
        assert_eq!(e.actor, "tester", "{l}");
        assert_eq!(e.user_id, Some(id), "{l}");
        assert_eq!(e.user_email.as_deref(), Some("alice@example.com"), "{l}");
        let d = last_detail(&mut conn, "user.create");
        assert_eq!(
            d,
            json!({
                "name": "Alice Smith", "role": "admin", "email_verified": false,
                "password_generated": false, "password_scheme": "bcrypt"
            }),
            "{l}"
        );
        assert_eq!(audit_count(&mut conn), 1, "{l}");
        let audit = audit_text(&mut conn);
        assert!(!audit.contains(PASSWORD), "{l}: password in audit");
        assert!(!audit.contains(&u.password_hash), "{l}: hash in audit");

        // --verified: verified now; no --role: the application's default.
        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "create",
                "bob@example.com",
                "--verified",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        assert_eq!(v["created"], true, "{l}");
        assert_eq!(v["role"], "user", "{l}");
        assert_eq!(v["email_verified"], true, "{l}");
        assert_eq!(v["name"], Value::Null, "{l}");
        assert!(v.get("generated_password").is_none(), "{l}");
        let bob = user(&mut conn, id_of(&v));
        assert_eq!(bob.role.as_deref(), Some("user"), "{l}: stored explicitly");
        assert_eq!(bob.email_verified, Some(true), "{l}");
        assert!(bob.email_verified_at.is_some(), "{l}");
        assert_eq!(
            bob.email_verified_at, bob.created_at,
            "{l}: verified at creation"
        );
        assert_eq!(
            last_detail(&mut conn, "user.create")["email_verified"],
            true,
            "{l}"
        );
    }
}

per_backend! {
    fn create_password_sources(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let users = |db: &TestDb| count(db, "SELECT count(*) AS n FROM users");

        // File: the first line, CRLF stripped.
        let file = db
            .scratch()
            .join(format!("pw-{}-{l}.txt", std::process::id()));
        std::fs::write(&file, format!("{PASSWORD}\r\nignored\n")).unwrap();
        let o = run(
            &db,
            &["users", "create", "file@example.com", "--password-file"],
            "",
        );
        expect_code(&o, 64, &format!("{l}: --password-file without a value"));
        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "create",
                "file@example.com",
                "--password-file",
            ],
            "",
        );
        expect_code(&o, 64, l);
        let missing = db.scratch().join("no-such-password-file");
        let o = run(
            &db,
            &[
                "users",
                "create",
                "file@example.com",
                "--password-file",
                missing.to_str().unwrap(),
            ],
            "",
        );
        expect_code(&o, 66, &format!("{l}: missing password file"));
        // Named by its flag, never by its value (it may be a password typed there).
        assert!(
            stderr(&o).contains("--password-file") && !stderr(&o).contains("no-such-password-file"),
            "{l}: {}",
            stderr(&o)
        );
        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "create",
                "file@example.com",
                "--password-file",
            ]
            .into_iter()
            .chain([file.to_str().unwrap()])
            .collect::<Vec<_>>(),
            "",
        );
        expect_code(&o, 0, l);
        assert_hidden(&o, PASSWORD, l);
        let id = id_of(&json(&o));
        assert!(
            verifies(&stored_hash(&mut conn, id), PASSWORD),
            "{l}: CR kept"
        );
        let _ = std::fs::remove_file(&file);

        // Environment variable: its value, exactly.
        let o = run_env(
            &db,
            &[("NEW_PW", PASSWORD)],
            &[
                "-o",
                "json",
                "users",
                "create",
                "env@example.com",
                "--password-env",
                "NEW_PW",
            ],
            "",
        );
        expect_code(&o, 0, l);
        assert_hidden(&o, PASSWORD, l);
        let id = id_of(&json(&o));
        assert!(verifies(&stored_hash(&mut conn, id), PASSWORD), "{l}");
        let o = run(
            &db,
            &[
                "users",
                "create",
                "unset@example.com",
                "--password-env",
                "UNSET_PW",
            ],
            "",
        );
        expect_code(&o, 64, &format!("{l}: unset variable"));
        assert!(stderr(&o).contains("UNSET_PW"), "{l}: {}", stderr(&o));

        // A variable from the .env file (--env-file), quoted as dotenv files quote.
        let env_file = db
            .scratch()
            .join(format!("pw-{}-{l}.env", std::process::id()));
        std::fs::write(&env_file, format!("DOTENV_PW=\"{PASSWORD}\"\n")).unwrap();
        let o = run(
            &db,
            &[
                "--env-file",
                env_file.to_str().unwrap(),
                "-o",
                "json",
                "users",
                "create",
                "dotenv@example.com",
                "--password-env",
                "DOTENV_PW",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let id = id_of(&json(&o));
        assert!(
            verifies(&stored_hash(&mut conn, id), PASSWORD),
            "{l}: .env value"
        );
        let _ = std::fs::remove_file(&env_file);

        // Generated: printed once on stdout, even with --quiet; nothing else.
        let o = run(
            &db,
            &[
                "-q",
                "users",
                "create",
                "gen@example.com",
                "--generate-password",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let generated = stdout(&o).trim_end().to_owned();
        assert_eq!(generated.chars().count(), 24, "{l}: {generated:?}");
        assert!(generated.chars().all(|c| c.is_ascii_alphanumeric()), "{l}");
        assert_eq!(stdout(&o), format!("{generated}\n"), "{l}");
        assert_eq!(stderr(&o), "", "{l}");
        let gen_id = repo::users::find_by_email(&mut conn, "gen@example.com")
            .unwrap()
            .unwrap()
            .id;
        assert!(verifies(&stored_hash(&mut conn, gen_id), &generated), "{l}");
        assert_eq!(
            last_detail(&mut conn, "user.create")["password_generated"],
            true,
            "{l}"
        );
        assert!(
            !audit_text(&mut conn).contains(&generated),
            "{l}: generated in audit"
        );

        // Without --quiet the table output says what it is, on stderr.
        let o = run(
            &db,
            &["users", "create", "gen3@example.com", "--generate-password"],
            "",
        );
        expect_code(&o, 0, l);
        // stdout holds the password alone (`| head -1` takes it); the status on stderr.
        let out = stdout(&o);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{l}: {out}");
        assert_eq!(lines[0].chars().count(), 24, "{l}: {out}");
        assert!(stderr(&o).contains("created user "), "{l}");
        assert!(stderr(&o).contains("shown only this once"), "{l}");

        // JSON: generated_password only when generated.
        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "create",
                "gen2@example.com",
                "--generate-password",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        let pw = v["generated_password"]
            .as_str()
            .expect("generated_password");
        assert!(verifies(&stored_hash(&mut conn, id_of(&v)), pw), "{l}");
        assert_eq!(v["created"], true, "{l}");
        assert!(
            show(&db, "gen2@example.com")
                .get("generated_password")
                .is_none(),
            "{l}"
        );

        // CSV: one row with the same fields, the generated password last.
        let o = run(
            &db,
            &[
                "-o",
                "csv",
                "users",
                "create",
                "gen4@example.com",
                "--generate-password",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let out = stdout(&o);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{l}: {out}");
        assert!(
            lines[0].starts_with("id,email,name,role,status,")
                && lines[0].ends_with(",created,generated_password"),
            "{l}: {out}"
        );
        let pw = lines[1].rsplit(',').next().unwrap();
        assert!(lines[1].contains(",gen4@example.com,"), "{l}: {out}");
        let id = repo::users::find_by_email(&mut conn, "gen4@example.com")
            .unwrap()
            .unwrap()
            .id;
        assert!(verifies(&stored_hash(&mut conn, id), pw), "{l}");

        // No source and no terminal: usage error with a hint; two sources: usage error.
        let before = users(&db);
        let o = run(&db, &["users", "create", "none@example.com"], "");
        expect_code(&o, 64, l);
        assert!(
            stderr(&o).contains("--password-stdin"),
            "{l}: {}",
            stderr(&o)
        );
        let o = run(
            &db,
            &[
                "users",
                "create",
                "two@example.com",
                "--password-stdin",
                "--generate-password",
            ],
            "x\n",
        );
        expect_code(&o, 64, l);
        // Empty stdin, and non-UTF-8 stdin: data errors.
        let o = run(
            &db,
            &["users", "create", "empty@example.com", "--password-stdin"],
            "",
        );
        expect_code(&o, 65, &format!("{l}: empty stdin"));
        let o = db
            .authctl()
            .args(["users", "create", "latin1@example.com", "--password-stdin"])
            .write_stdin(b"Zebra qu\xe4rtz lantern 91\n".to_vec())
            .output()
            .map(Run::from)
            .unwrap();
        expect_code(&o, 65, &format!("{l}: non-UTF-8 stdin"));
        assert!(stderr(&o).contains("UTF-8"), "{l}: {}", stderr(&o));
        assert_eq!(users(&db), before, "{l}: a failed create wrote a user");
    }
}

/// Run `authctl --actor tester users create EMAIL` on a pseudo-terminal (through
/// util-linux `script`), answering both password prompts with `password`.
/// Returns the exit code and everything the terminal showed.
///
/// The prompt turns echo off with TCSAFLUSH, which discards input typed ahead, so
/// the answer is repeated until the next prompt (or the exit) shows up: a line
/// that reaches either prompt is the same password.
fn create_via_prompt(db: &TestDb, email: &str, password: &str) -> (Option<i32>, String) {
    use std::io::{Read, Write};
    use std::sync::{Arc, Mutex};
    let cmdline = format!(
        "'{}' --database-url '{}' --actor tester users create '{email}'",
        env!("CARGO_BIN_EXE_authctl"),
        db.url()
    );
    let home = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new("script")
        .args(["-qec", &cmdline, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("TERM", "dumb")
        .current_dir(home.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("util-linux `script` runs the prompt on a pseudo-terminal");
    let shown = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let shown = Arc::clone(&shown);
        let mut out = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = out.read(&mut buf) {
                if n == 0 {
                    break;
                }
                shown.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    let mut stdin = child.stdin.take().unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the prompt never finished");
        let text = String::from_utf8_lossy(&shown.lock().unwrap()).into_owned();
        if text.contains("New password") {
            let _ = stdin.write_all(format!("{password}\n").as_bytes());
            let _ = stdin.flush();
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    drop(stdin);
    reader.join().unwrap();
    let text = String::from_utf8_lossy(&shown.lock().unwrap()).into_owned();
    (status.code(), text)
}

per_backend! {
    fn create_prompts_on_a_terminal(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let (code, shown) = create_via_prompt(&db, "prompted@example.com", PASSWORD);
        assert_eq!(code, Some(0), "{l}: {shown}");
        assert!(
            shown.contains("New password") && shown.contains("Repeat password"),
            "{l}: asked twice: {shown}"
        );
        assert!(shown.contains("created user "), "{l}: {shown}");
        let u = repo::users::find_by_email(&mut conn, "prompted@example.com")
            .unwrap()
            .expect("created");
        assert!(u.password_hash.starts_with("$2b$12$"), "{l}");
        assert!(verifies(&u.password_hash, PASSWORD), "{l}");
        assert_eq!(
            last_detail(&mut conn, "user.create")["password_generated"],
            false,
            "{l}"
        );
    }
}

per_backend! {
    fn create_rejects_bad_input_and_writes_nothing(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let taken = create(&db, "taken@example.com", PASSWORD, &[]);
        let before = snapshot(&mut conn);

        let o = run(
            &db,
            &["users", "create", "TAKEN@Example.com", "--password-stdin"],
            &format!("{NEW_PASSWORD}\n"),
        );
        expect_code(&o, 65, &format!("{l}: duplicate"));
        assert!(
            stderr(&o).contains(&format!("taken@example.com already exists (id {taken})")),
            "{l}: {}",
            stderr(&o)
        );

        // The application's CHECK: ^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$
        for bad in [
            "not-an-email",
            "bob@",
            "@example.com",
            "bob@example",
            "bob@example.c",
            "bob@example.c0m",
            "bob@.com",
            "bob@@example.com",
            "bob@exa@mple.com",
            "bo b@example.com",
            "bob!@example.com",
            "bob@exa_mple.com",
            "bób@example.com",
            "bob@exämple.com",
            "",
        ] {
            let o = run(
                &db,
                &["users", "create", bad, "--password-stdin"],
                &format!("{PASSWORD}\n"),
            );
            expect_code(&o, 65, &format!("{l}: email {bad:?}"));
            assert!(
                stderr(&o).contains(&format!("invalid email address {bad:?}")),
                "{l}: {}",
                stderr(&o)
            );
        }
        let long = format!("{}@example.com", "a".repeat(250));
        let o = run(
            &db,
            &["users", "create", &long, "--password-stdin"],
            &format!("{PASSWORD}\n"),
        );
        expect_code(&o, 65, &format!("{l}: 262-character email"));
        // 255 characters is the column's limit: accepted; 256 refused.
        let at_limit = format!("{}@example.com", "a".repeat(255 - "@example.com".len()));
        let o = run(
            &db,
            &[
                "users",
                "create",
                &format!("{at_limit}x"),
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        expect_code(&o, 65, &format!("{l}: 256-character email"));

        for role in ["Admin", "support", "", "user;", "superuser"] {
            let o = run(
                &db,
                &[
                    "users",
                    "create",
                    "r@example.com",
                    "--role",
                    role,
                    "--password-stdin",
                ],
                &format!("{PASSWORD}\n"),
            );
            expect_code(&o, 65, &format!("{l}: role {role:?}"));
            assert!(
                stderr(&o).contains(&format!("invalid role {role:?}"))
                    && stderr(&o).contains("user, admin, premium"),
                "{l}: {}",
                stderr(&o)
            );
        }
        for name in ["   ", "a\u{1b}[2Jb", &"x".repeat(256)] {
            let o = run(
                &db,
                &[
                    "users",
                    "create",
                    "n@example.com",
                    "--name",
                    name,
                    "--password-stdin",
                ],
                &format!("{PASSWORD}\n"),
            );
            expect_code(&o, 65, &format!("{l}: name {name:?}"));
        }

        for weak in ["password1", "short", "weak@example.com", "weak"] {
            let o = run(
                &db,
                &["users", "create", "weak@example.com", "--password-stdin"],
                &format!("{weak}\n"),
            );
            expect_code(&o, 65, &format!("{l}: weak {weak:?}"));
            assert!(
                stderr(&o).contains("password rejected"),
                "{l}: {}",
                stderr(&o)
            );
            assert!(
                !stderr(&o).contains(&format!("{weak}\"")) || weak == "weak@example.com",
                "{l}: the password is echoed"
            );
            assert_eq!(stdout(&o), "", "{l}");
        }

        // bcrypt reads only 72 bytes: a longer password is refused, not truncated.
        let long_ascii = "Lantern quartz zebra 91 ".repeat(4);
        let long_utf8 = "é".repeat(37); // 37 characters, 74 bytes
        for long_pw in [long_ascii.as_str(), long_utf8.as_str()] {
            let o = run(
                &db,
                &["users", "create", "long@example.com", "--password-stdin"],
                &format!("{long_pw}\n"),
            );
            expect_code(&o, 65, &format!("{l}: {} bytes", long_pw.len()));
            assert!(
                stderr(&o).contains(&format!("{} bytes", long_pw.len()))
                    && stderr(&o).contains("72"),
                "{l}: {}",
                stderr(&o)
            );
            assert_hidden(&o, long_pw, l);
            let o = run_env(
                &db,
                &[("LONG_PW", long_pw)],
                &[
                    "users",
                    "create",
                    "long@example.com",
                    "--password-env",
                    "LONG_PW",
                ],
                "",
            );
            expect_code(&o, 65, &format!("{l}: {} bytes from env", long_pw.len()));
        }
        let o = run(
            &db,
            &[
                "users",
                "create",
                "long@example.com",
                "--password-stdin",
                "--allow-weak-password",
            ],
            &format!("{long_ascii}\n"),
        );
        expect_code(
            &o,
            65,
            &format!("{l}: --allow-weak-password does not lift 72 bytes"),
        );

        assert_eq!(
            snapshot(&mut conn),
            before,
            "{l}: a refused create wrote something"
        );

        // Exactly 72 bytes is fine; --allow-weak-password takes a listed password;
        // an address at the edge of the CHECK is accepted as it is.
        let edge = "é".repeat(36);
        let id = create(&db, "edge72@example.com", &edge, &[]);
        assert!(verifies(&stored_hash(&mut conn, id), &edge), "{l}");
        assert!(
            !verifies(&stored_hash(&mut conn, id), &"é".repeat(35)),
            "{l}"
        );
        create(
            &db,
            "weak@example.com",
            "password1",
            &["--allow-weak-password"],
        );
        let id = create(&db, &at_limit, PASSWORD, &["--name", &"é".repeat(255)]);
        assert_eq!(user(&mut conn, id).email.len(), 255, "{l}");
        assert_eq!(
            user(&mut conn, id).name.unwrap().chars().count(),
            255,
            "{l}"
        );
        let id = create(&db, "A.b_C%d+E-f@Sub-Domain.Example.co", PASSWORD, &[]);
        assert_eq!(
            user(&mut conn, id).email,
            "a.b_c%d+e-f@sub-domain.example.co",
            "{l}"
        );
    }
}

per_backend! {
    fn create_with_argon2id_accepts_long_passwords(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let long = "Lantern quartz zebra 91 ".repeat(4);
        let o = run_env(
            &db,
            &[("AUTHCTL_PASSWORD_HASH", "argon2id")],
            &[
                "-o",
                "json",
                "users",
                "create",
                "argon@example.com",
                "--password-stdin",
            ],
            &format!("{long}\n"),
        );
        expect_code(&o, 0, l);
        let id = id_of(&json(&o));
        let hash = stored_hash(&mut conn, id);
        assert!(hash.starts_with("$argon2id$v=19$"), "{l}: {hash}");
        assert!(verifies(&hash, &long), "{l}");
        assert!(!verifies(&hash, &long[..72]), "{l}: only 72 bytes hashed");
        assert_eq!(
            last_detail(&mut conn, "user.create")["password_scheme"],
            "argon2id",
            "{l}"
        );
        // Under the default policy (bcrypt) an argon2id hash at the OWASP minimum is
        // still one the policy accepts: not below it.
        let v = show(&db, "argon@example.com");
        assert_eq!(v["hash"]["scheme"], "argon2id", "{l}");
        assert_eq!(v["hash"]["below_policy"], false, "{l}");
    }
}

per_backend! {
    fn create_if_not_exists_is_idempotent(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let bootstrap = |with_env: bool| {
            let mut cmd = db.authctl();
            if with_env {
                cmd.env("ADMIN_PASSWORD", PASSWORD);
            }
            cmd.args([
                "users",
                "create",
                "admin@example.com",
                "--role",
                "admin",
                "--password-env",
                "ADMIN_PASSWORD",
                "--if-not-exists",
            ])
            .output()
            .map(Run::from)
            .unwrap()
        };
        let o = bootstrap(true);
        expect_code(&o, 0, l);
        let created = stdout(&o);
        assert!(
            created.starts_with("created user ") && created.ends_with(" admin@example.com\n"),
            "{l}: {created}"
        );
        let id = repo::users::find_by_email(&mut conn, "admin@example.com")
            .unwrap()
            .unwrap()
            .id;
        assert_eq!(
            created,
            format!("created user {id} admin@example.com\n"),
            "{l}"
        );
        let before = snapshot(&mut conn);

        // Again: exists, unchanged — and the password source is not even read.
        for with_env in [true, false] {
            let o = bootstrap(with_env);
            expect_code(&o, 0, &format!("{l}: rerun (env {with_env})"));
            assert_eq!(stdout(&o), "", "{l}");
            assert!(
                stderr(&o).contains(&format!("user {id} admin@example.com exists, unchanged")),
                "{l}: {}",
                stderr(&o)
            );
        }
        // Different options do not change the existing user either.
        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "create",
                "Admin@Example.com",
                "--role",
                "premium",
                "--name",
                "Other",
                "--verified",
                "--if-not-exists",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        assert_eq!(v["created"], false, "{l}");
        assert_eq!(id_of(&v), id, "{l}");
        assert_eq!(v["role"], "admin", "{l}");
        assert!(v.get("generated_password").is_none(), "{l}");
        // --if-not-exists with a weak or over-long password for an existing user:
        // still "exists", the password is never looked at.
        let o = run(
            &db,
            &[
                "users",
                "create",
                "admin@example.com",
                "--password-stdin",
                "--if-not-exists",
            ],
            "x\n",
        );
        expect_code(&o, 0, l);
        assert_eq!(
            snapshot(&mut conn),
            before,
            "{l}: --if-not-exists changed something"
        );

        // Without --if-not-exists it is the duplicate error.
        let o = run(
            &db,
            &["users", "create", "admin@example.com", "--password-stdin"],
            &format!("{PASSWORD}\n"),
        );
        expect_code(&o, 65, l);
    }
}

per_backend! {
    fn concurrent_creates_of_one_email_have_one_winner(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let url = db.url();
        for round in 0..3 {
            let email = format!("race{round}@example.com");
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let (url, email) = (url.clone(), email.clone());
                    std::thread::spawn(move || {
                        common::authctl()
                            .args(["--database-url", &url, "users", "create", &email])
                            .arg("--password-stdin")
                            .env("AUTHCTL_BUSY_TIMEOUT", "60s")
                            .write_stdin(format!("{PASSWORD}\n"))
                            .output()
                            .map(Run::from)
                            .unwrap()
                    })
                })
                .collect();
            let outputs: Vec<Run> = handles.into_iter().map(|h| h.join().unwrap()).collect();
            let mut codes: Vec<i32> = outputs.iter().map(|o| o.code).collect();
            codes.sort();
            assert_eq!(
                codes,
                [0, 65],
                "{l}: {:?}",
                outputs.iter().map(stderr).collect::<Vec<_>>()
            );
            let loser = outputs.iter().find(|o| o.code == 65).unwrap();
            assert!(
                stderr(loser).contains("already exists"),
                "{l}: {}",
                stderr(loser)
            );
        }
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 3, "{l}");
        assert_eq!(audit_count(&mut conn), 3, "{l}: one event per created user");
    }
}

per_backend! {
    /// A create that passes the existence check but meets, at the insert, a
    /// transaction that commits the same email meanwhile: the duplicate error (65), or
    /// with `--if-not-exists` "exists, unchanged" (0). On PostgreSQL the test waits
    /// until the child is blocked on the other transaction's row (seen in
    /// `pg_stat_activity`), so the insert-time path is the one taken; SQLite's
    /// BEGIN IMMEDIATE serializes writers, so there the child either waits for the
    /// lock or sees the committed row — both must give the same answer.
    fn create_losing_the_race_at_insert(db) {
        let l = db.label();
        let mut conn = db.migrated();
        for (i, if_not_exists) in [false, true].into_iter().enumerate() {
            let email = format!("late{i}@example.com");
            conn.batch_execute("BEGIN").unwrap();
            NewUser::new(&email, library_hash())
                .insert(&mut conn)
                .unwrap();
            let url = db.url();
            let child = {
                let email = email.clone();
                std::thread::spawn(move || {
                    let mut cmd = common::authctl();
                    cmd.args(["--database-url", &url, "users", "create", &email])
                        .arg("--password-stdin")
                        .env("AUTHCTL_BUSY_TIMEOUT", "120s")
                        .env("AUTHCTL_LOCK_TIMEOUT", "120s");
                    if if_not_exists {
                        cmd.arg("--if-not-exists");
                    }
                    cmd.write_stdin(format!("{PASSWORD}\n"))
                        .output()
                        .map(Run::from)
                        .unwrap()
                })
            };
            if db.is_postgres() {
                common::wait_until(&format!("{l}: the child blocks at the insert"), || {
                    assert!(
                        !child.is_finished(),
                        "{l}: the child finished without waiting for the insert"
                    );
                    count(
                        &db,
                        "SELECT count(*) AS n FROM pg_stat_activity \
                         WHERE datname = current_database() AND wait_event_type = 'Lock'",
                    ) > 0
                });
            } else {
                // SQLite shows no lock wait to observe: give the child time to queue.
                std::thread::sleep(Duration::from_millis(1500));
            }
            conn.batch_execute("COMMIT").unwrap();
            let o = child.join().unwrap();
            if if_not_exists {
                expect_code(&o, 0, &format!("{l}: --if-not-exists"));
                assert!(
                    stderr(&o).contains("exists, unchanged"),
                    "{l}: {}",
                    stderr(&o)
                );
            } else {
                expect_code(&o, 65, l);
                assert!(stderr(&o).contains("already exists"), "{l}: {}", stderr(&o));
                if db.is_postgres() {
                    // Found at the insert (unique violation), not by the existence check.
                    assert!(!stderr(&o).contains("(id "), "{l}: {}", stderr(&o));
                }
            }
            assert_hidden(&o, PASSWORD, l);
        }
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 2, "{l}");
        assert_eq!(audit_count(&mut conn), 0, "{l}");
    }
}

// ---------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------

per_backend! {
    fn list_filters_pages_and_formats(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let emails: Vec<String> = ["ann", "bob", "cat", "dan", "eve"]
            .iter()
            .map(|n| format!("{n}@example.com"))
            .collect();
        insert_users(&mut conn, &emails);
        let id = |conn: &mut DbConn, name: &str| {
            repo::users::find_by_email(conn, &format!("{name}@example.com"))
                .unwrap()
                .unwrap()
                .id
        };
        let (ann, bob, cat, dan, eve) = (
            id(&mut conn, "ann"),
            id(&mut conn, "bob"),
            id(&mut conn, "cat"),
            id(&mut conn, "dan"),
            id(&mut conn, "eve"),
        );
        let now = UtcDateTime::now();
        let set = |conn: &mut DbConn, id: UserId, ch: UserChanges| {
            repo::users::update(conn, id, &ch)
                .unwrap()
                .expect("user exists");
        };
        set(
            &mut conn,
            bob,
            UserChanges {
                role: Some("admin".into()),
                name: Some(Some("Robert Tables".into())),
                email_verified: Some(true),
                ..Default::default()
            },
        );
        // cat: disabled the way authctl disables.
        set(
            &mut conn,
            cat,
            UserChanges {
                password_hash: Some(format!("!{}", library_hash())),
                ..Default::default()
            },
        );
        // dan: premium, logged in, a name with an escape sequence.
        set(
            &mut conn,
            dan,
            UserChanges {
                role: Some("premium".into()),
                name: Some(Some("Dan \u{1b}[2J".into())),
                last_login: Some(Some(now)),
                ..Default::default()
            },
        );
        // ann: a NULL role (the application's default) — counts as `user`.
        authctl::with_conn!(&mut conn, c => diesel::update(schema::users::table.find(ann))
            .set(schema::users::role.eq(None::<String>))
            .execute(c))
        .unwrap();
        authctl::with_conn!(&mut conn, c => diesel::update(schema::users::table.find(eve))
            .set((
                schema::users::created_at.eq(now - chrono::Duration::days(30)),
                schema::users::name.eq("Éve Ärger"),
            ))
            .execute(c))
        .unwrap();

        let emails_of = |args: &[&str]| -> Vec<String> {
            let mut a = vec!["-o", "json", "users", "list"];
            a.extend_from_slice(args);
            let o = run(&db, &a, "");
            expect_code(&o, 0, &format!("{l}: list {args:?}"));
            json(&o)
                .as_array()
                .expect("array")
                .iter()
                .map(|u| {
                    u["email"]
                        .as_str()
                        .unwrap()
                        .trim_end_matches("@example.com")
                        .to_owned()
                })
                .collect()
        };
        assert_eq!(emails_of(&[]), ["ann", "bob", "cat", "dan", "eve"], "{l}");
        assert_eq!(emails_of(&["--role", "admin"]), ["bob"], "{l}");
        assert_eq!(emails_of(&["--role", "premium"]), ["dan"], "{l}");
        assert_eq!(
            emails_of(&["--role", "user"]),
            ["ann", "cat", "eve"],
            "{l}: user includes a NULL role"
        );
        assert_eq!(emails_of(&["--status", "disabled"]), ["cat"], "{l}");
        assert_eq!(
            emails_of(&["--status", "active"]),
            ["ann", "bob", "dan", "eve"],
            "{l}"
        );
        assert_eq!(emails_of(&["--search", "TABLES"]), ["bob"], "{l}: by name");
        assert_eq!(emails_of(&["--search", "E@EX"]), ["eve"], "{l}: by email");
        assert_eq!(
            emails_of(&["--search", "ärger"]),
            ["eve"],
            "{l}: Unicode case"
        );
        assert_eq!(
            emails_of(&["--search", "ÄRGER"]),
            ["eve"],
            "{l}: Unicode case"
        );
        assert_eq!(
            emails_of(&["--search", "éVE"]),
            ["eve"],
            "{l}: Unicode case"
        );
        assert_eq!(emails_of(&["--search", "%"]), Vec::<String>::new(), "{l}");
        assert_eq!(emails_of(&["--search", "_"]), Vec::<String>::new(), "{l}");
        assert_eq!(
            emails_of(&["--created-since", "7d"]),
            ["ann", "bob", "cat", "dan"],
            "{l}"
        );
        let since = (now - chrono::Duration::days(31))
            .format("%Y-%m-%d")
            .to_string();
        assert_eq!(emails_of(&["--created-since", &since]).len(), 5, "{l}");
        assert_eq!(
            emails_of(&[
                "--role",
                "user",
                "--status",
                "active",
                "--created-since",
                "7d"
            ]),
            ["ann"],
            "{l}: filters combine"
        );
        assert_eq!(emails_of(&["--limit", "2"]), ["ann", "bob"], "{l}");
        assert_eq!(
            emails_of(&["--limit", "2", "--after", "bob@example.com"]),
            ["cat", "dan"],
            "{l}"
        );
        assert_eq!(
            emails_of(&["--limit", "2", "--after", "dan@example.com"]),
            ["eve"],
            "{l}"
        );
        assert_eq!(
            emails_of(&["--after", "eve@example.com"]),
            Vec::<String>::new(),
            "{l}"
        );
        // The keyset is an email, not necessarily one that exists (any case)…
        assert_eq!(
            emails_of(&["--after", "Cat@Example.com"]),
            ["dan", "eve"],
            "{l}"
        );
        // …but an email: anything else is a malformed flag value (64), as elsewhere.
        let o = run(&db, &["users", "list", "--after", "c"], "");
        expect_code(&o, 64, l);
        assert_eq!(stdout(&o), "", "{l}");
        assert!(stderr(&o).contains("invalid email address"), "{l}");

        // JSON fields: stable, with status and RFC 3339 UTC times, never the hash.
        let o = run(
            &db,
            &["-o", "json", "users", "list", "--role", "premium"],
            "",
        );
        let v = json(&o);
        let d = &v[0];
        let mut keys: Vec<&str> = d.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        let mut expected = [
            "id",
            "email",
            "name",
            "role",
            "status",
            "email_verified",
            "email_verified_at",
            "created_at",
            "updated_at",
            "last_login",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected, "{l}");
        assert_eq!(id_of(d), dan, "{l}");
        assert_eq!(
            d["name"], "Dan \u{1b}[2J",
            "{l}: JSON keeps the exact value"
        );
        assert_eq!(d["last_login"], now.to_rfc3339(), "{l}");
        let all = run(&db, &["-o", "json", "users", "list"], "");
        assert!(!stdout(&all).contains("$2b$"), "{l}: hash in list");
        let v = json(&all);
        assert_eq!(v[0]["role"], "user", "{l}: NULL role shown as user");
        assert_eq!(v[2]["status"], "disabled", "{l}");

        // Table: columns, escaped names, a hint when more rows follow.
        let o = run(&db, &["users", "list", "--limit", "2"], "");
        expect_code(&o, 0, l);
        let out = stdout(&o);
        for h in [
            "ID",
            "EMAIL",
            "NAME",
            "ROLE",
            "STATUS",
            "VERIFIED",
            "LAST LOGIN",
            "CREATED",
        ] {
            assert!(out.contains(h), "{l}: no {h} column:\n{out}");
        }
        assert!(out.contains("never"), "{l}");
        assert!(out.contains(&ann.to_string()), "{l}");
        assert!(
            stderr(&o).contains(
                "more may follow: --after bob@example.com for the next page, --all for every row"
            ),
            "{l}: {}",
            stderr(&o)
        );
        let o = run(&db, &["users", "list", "--limit", "5"], "");
        assert!(
            !stderr(&o).contains("more may follow"),
            "{l}: {}",
            stderr(&o)
        );
        let out = stdout(&o);
        assert!(!out.contains('\u{1b}'), "{l}: raw escape in the table");
        assert!(out.contains("Dan \\u{1b}[2J"), "{l}: {out}");
        assert!(out.contains("disabled"), "{l}");
        let o = run(&db, &["users", "list", "--search", "nobody"], "");
        expect_code(&o, 0, l);
        assert_eq!(stdout(&o).trim(), "(none)", "{l}");
        let o = run(&db, &["-q", "users", "list"], "");
        expect_code(&o, 0, l);
        assert_eq!(stdout(&o), "", "{l}: --quiet table");

        // CSV.
        let o = run(&db, &["-o", "csv", "users", "list", "--role", "admin"], "");
        expect_code(&o, 0, l);
        let out = stdout(&o);
        let mut lines = out.lines();
        assert_eq!(
            lines.next().unwrap(),
            "id,email,name,role,status,email_verified,email_verified_at,created_at,updated_at,last_login",
            "{l}"
        );
        let row = lines.next().unwrap();
        assert!(
            row.starts_with(&format!(
                "{bob},bob@example.com,Robert Tables,admin,active,true,,"
            )),
            "{l}: {row}"
        );
        assert_eq!(lines.next(), None, "{l}");
        let o = run(
            &db,
            &["-o", "csv", "users", "list", "--search", "nobody"],
            "",
        );
        assert_eq!(stdout(&o).lines().count(), 1, "{l}: header only");

        // Bad values: named, exit 65 (data) or 64 (usage).
        let o = run(&db, &["users", "list", "--created-since", "yesterday"], "");
        expect_code(&o, 64, l);
        assert!(stderr(&o).contains("\"yesterday\""), "{l}");
        for role in ["Bad Role", "support", "Admin"] {
            let o = run(&db, &["users", "list", "--role", role], "");
            expect_code(&o, 64, &format!("{l}: --role {role}"));
        }
        for args in [
            &["--status", "locked"][..],
            &["--all", "--limit", "3"],
            &["--limit", "0"],
            &["--limit", "x"],
        ] {
            let mut a = vec!["users", "list"];
            a.extend_from_slice(args);
            let o = run(&db, &a, "");
            expect_code(&o, 64, &format!("{l}: {args:?}"));
        }
    }
}

per_backend! {
    fn list_all_streams_every_row(db) {
        const N: usize = 2345;
        let l = db.label();
        let mut conn = db.migrated();
        let emails: Vec<String> = (0..N).map(|i| format!("u{i:05}@example.com")).collect();
        insert_users(&mut conn, &emails);

        let o = run(&db, &["-o", "json", "users", "list", "--all"], "");
        expect_code(&o, 0, l);
        let v = json(&o);
        let listed: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap())
            .collect();
        assert_eq!(listed, emails, "{l}: every user once, ordered by email");
        let ids: std::collections::HashSet<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids.len(), N, "{l}");

        let o = run(&db, &["-o", "csv", "users", "list", "--all"], "");
        expect_code(&o, 0, l);
        assert_eq!(stdout(&o).lines().count(), N + 1, "{l}");

        let o = run(
            &db,
            &["users", "list", "--all", "--after", "u00099@example.com"],
            "",
        );
        expect_code(&o, 0, l);
        let out = stdout(&o);
        assert!(!out.contains("u00099@example.com"), "{l}");
        assert!(out.contains("u00100@example.com"), "{l}");
        assert!(out.contains(&emails[N - 1]), "{l}");
        assert_eq!(out.matches("@example.com").count(), N - 100, "{l}");
        assert!(!stderr(&o).contains("more may follow"), "{l}");

        // The default page: 50 rows, and the hint names the 50th.
        let o = run(&db, &["users", "list"], "");
        assert_eq!(stdout(&o).matches("@example.com").count(), 50, "{l}");
        assert!(
            stderr(&o).contains("more may follow: --after u00049@example.com"),
            "{l}: {}",
            stderr(&o)
        );

        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "list",
                "--all",
                "--search",
                "none-such",
            ],
            "",
        );
        assert_eq!(json(&o), json!([]), "{l}");
    }
}

// ---------------------------------------------------------------------------
// show
// ---------------------------------------------------------------------------

per_backend! {
    fn show_reports_hash_credentials_and_events(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let id = create(&db, "shown@example.com", PASSWORD, &[]);
        add_credentials(&mut conn, id);
        let roles = ["admin", "premium", "user"];
        for i in 0..11 {
            let o = run(
                &db,
                &[
                    "users",
                    "update",
                    "shown@example.com",
                    "--role",
                    roles[i % 3],
                    // The only admin changes role back and forth.
                    "--allow-no-admin",
                ],
                "",
            );
            expect_code(&o, 0, l);
        }

        let v = show(&db, "SHOWN@example.com");
        assert_eq!(id_of(&v), id, "{l}");
        assert_eq!(v["role"], "premium", "{l}: the 11th update");
        assert_eq!(
            v["hash"],
            json!({"scheme": "bcrypt", "variant": "2b", "cost": 12, "disabled": false, "below_policy": false}),
            "{l}"
        );
        assert_eq!(
            v["active_sessions"], 2,
            "{l}: expired and inactive not counted"
        );
        assert_eq!(
            v["active_tokens"], 2,
            "{l}: expired and revoked not counted"
        );
        let events = v["recent_events"].as_array().unwrap();
        assert_eq!(events.len(), 10, "{l}: the latest 10");
        assert_eq!(events[0]["action"], "user.update", "{l}");
        assert_eq!(
            events[0]["detail"]["role"]["new"], "premium",
            "{l}: newest first"
        );
        assert_eq!(events[0]["user_email"], "shown@example.com", "{l}");
        assert_eq!(events[0]["actor"], "tester", "{l}");
        assert!(
            events.iter().all(|e| e["action"] == "user.update"),
            "{l}: the create is the 12th"
        );
        assert!(v.get("password_hash").is_none(), "{l}");
        assert!(!v.to_string().contains("$2b$"), "{l}: hash shown");

        // A stronger configured cost, or another scheme, for new hashes does not put
        // a stored hash the policy accepts below it.
        for env in [
            ("AUTHCTL_BCRYPT_COST", "13"),
            ("AUTHCTL_PASSWORD_HASH", "argon2id"),
            ("AUTHCTL_BCRYPT_COST", "11"),
        ] {
            let o = run_env(
                &db,
                &[env],
                &["-o", "json", "users", "show", &id.to_string()],
                "",
            );
            expect_code(&o, 0, l);
            assert_eq!(json(&o)["hash"]["below_policy"], false, "{l}: {env:?}");
        }
        // Only a hash weaker than the weakest the policy accepts is flagged: the
        // application's own registrations (bcryptjs, `$2a$`, cost 10) are not.
        let salt_and_hash = "abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234";
        let argon_tail = "c2FsdHNhbHRzYWx0c2FsdA$aGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGg";
        for (stored, below) in [
            (format!("$2a$10${salt_and_hash}"), false),
            (library_hash().to_owned(), false),
            (format!("$2b$09${salt_and_hash}"), true),
            (format!("$2a$04${salt_and_hash}"), true),
            (format!("!$2a$04${salt_and_hash}"), true),
            (format!("$argon2id$v=19$m=19456,t=2,p=1${argon_tail}"), false),
            (format!("$argon2id$v=19$m=4096,t=3,p=1${argon_tail}"), true),
            (format!("$argon2i$v=19$m=65536,t=3,p=1${argon_tail}"), true),
            ("not-a-hash".to_owned(), true),
        ] {
            conn.batch_execute(&format!(
                "UPDATE users SET password_hash = '{stored}' WHERE email = 'shown@example.com'"
            ))
            .unwrap();
            for env in [("AUTHCTL_BCRYPT_COST", "12"), ("AUTHCTL_BCRYPT_COST", "15")] {
                let o = run_env(&db, &[env], &["-o", "json", "users", "show", &id.to_string()], "");
                expect_code(&o, 0, l);
                assert_eq!(json(&o)["hash"]["below_policy"], below, "{l}: {stored} {env:?}");
            }
            let o = run(&db, &["users", "show", &id.to_string()], "");
            assert_eq!(stdout(&o).contains("below the weakest"), below, "{l}: {stored}: {o}");
        }
        conn.batch_execute(&format!(
            "UPDATE users SET password_hash = '{}' WHERE email = 'shown@example.com'",
            PasswordHasher::default().hash(PASSWORD.as_bytes()).unwrap()
        ))
        .unwrap();
        let o = run(&db, &["users", "show", &id.to_string()], "");
        expect_code(&o, 0, l);
        let out = stdout(&o);
        for want in [
            "shown@example.com",
            "bcrypt $2b$ cost 12",
            "active sessions",
            "active tokens",
            "Latest audit events",
            "user.update",
        ] {
            assert!(out.contains(want), "{l}: no {want:?} in\n{out}");
        }
        assert!(!out.contains("$2b$12$"), "{l}: hash shown");
        let o = run(&db, &["-q", "users", "show", &id.to_string()], "");
        expect_code(&o, 0, l);
        assert_eq!(stdout(&o), "", "{l}");

        // Disabled: shown as such.
        let o = run(&db, &["users", "disable", &id.to_string()], "");
        expect_code(&o, 0, l);
        let v = show(&db, &id.to_string());
        assert_eq!(v["status"], "disabled", "{l}");
        assert_eq!(v["hash"]["disabled"], true, "{l}");
        assert_eq!(v["hash"]["cost"], 12, "{l}");
        assert_eq!(v["active_sessions"], 0, "{l}");
        assert_eq!(v["active_tokens"], 0, "{l}");
        assert_eq!(v["recent_events"][0]["action"], "user.disable", "{l}");
        let out = stdout(&run(&db, &["users", "show", &id.to_string()], ""));
        assert!(out.contains("bcrypt $2b$ cost 12, disabled"), "{l}: {out}");

        // Unknown users: 65; references that cannot name a user: 64; both name
        // the value.
        let o = run(&db, &["users", "show", "nobody@example.com"], "");
        expect_code(&o, 65, l);
        assert!(
            stderr(&o).contains("nobody@example.com"),
            "{l}: {}",
            stderr(&o)
        );
        for bad in ["0", "42", "bob", "6f1c2d3e-4b5a-4c6d-8e7f", "not@an"] {
            let o = run(&db, &["users", "show", bad], "");
            expect_code(&o, 64, &format!("{l}: show {bad}"));
            assert!(stderr(&o).contains(bad), "{l}: {}", stderr(&o));
        }
        let unknown = UserId::new_v4().to_string();
        let o = run(&db, &["users", "show", &unknown], "");
        expect_code(&o, 65, l);
        assert!(
            stderr(&o).contains(&format!("no user with id {unknown}")),
            "{l}: {}",
            stderr(&o)
        );
        let o = run(&db, &["users", "show", &unknown.to_uppercase()], "");
        expect_code(&o, 65, &format!("{l}: upper-case uuid"));
        assert!(stderr(&o).contains(&unknown), "{l}: {}", stderr(&o));
    }
}

per_backend! {
    /// `users show` lists the events of the user (by id, also from before an email
    /// change) and the events recorded with its current email (a deleted user's who
    /// had it).
    fn show_finds_events_by_id_and_by_email(db) {
        let l = db.label();
        db.migrated();
        let old = create(&db, "reborn@example.com", PASSWORD, &[]);
        let o = run(&db, &["--yes", "users", "delete", "reborn@example.com"], "");
        expect_code(&o, 0, l);
        let other = create(&db, "other@example.com", PASSWORD, &[]);
        let new = create(&db, "REBORN@example.com", PASSWORD, &["--name", "Second"]);
        assert_ne!(old, new, "{l}");

        let v = show(&db, &new.to_string());
        let actions: Vec<(&str, &str)> = v["recent_events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap(),
                    e["user_id"].as_str().unwrap_or("-"),
                )
            })
            .collect();
        let new_s = new.to_string();
        assert_eq!(
            actions,
            [
                ("user.create", new_s.as_str()),
                ("user.delete", "-"),
                ("user.create", "-")
            ],
            "{l}: the earlier user's history is found by its email"
        );

        // After an email change the earlier events are still the user's (by id).
        let o = run(
            &db,
            &[
                "users",
                "update",
                &other.to_string(),
                "--email",
                "renamed@example.com",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let v = show(&db, "renamed@example.com");
        let events = v["recent_events"].as_array().unwrap();
        assert_eq!(events.len(), 2, "{l}: {events:?}");
        assert_eq!(events[0]["action"], "user.update", "{l}");
        assert_eq!(events[1]["action"], "user.create", "{l}");
        assert_eq!(events[1]["user_email"], "other@example.com", "{l}");
    }
}

per_backend! {
    /// An email matches the history of a *deleted* user who had it (its events have
    /// lost their user_id) — not the events of another user who still exists and had
    /// the address before an email change: those are that user's, and it is still
    /// there to be shown.
    fn show_does_not_list_events_of_another_existing_user(db) {
        let l = db.label();
        db.migrated();
        let first = create(&db, "x@example.com", PASSWORD, &[]);
        let o = run(
            &db,
            &[
                "users",
                "update",
                "x@example.com",
                "--email",
                "y@example.com",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let second = create(&db, "x@example.com", PASSWORD, &[]);
        let v = show(&db, &second.to_string());
        let owners: Vec<&str> = v["recent_events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["user_id"].as_str().unwrap_or("-"))
            .collect();
        assert_eq!(
            owners,
            [second.to_string()],
            "{l}: user {first}'s create event is listed as {second}'s"
        );
    }
}

// ---------------------------------------------------------------------------
// update
// ---------------------------------------------------------------------------

per_backend! {
    /// A disabled row with nothing behind the marker (a bare `!`, or `!!`) is not
    /// "enabled" into an empty or still-disabled hash: refused, nothing changed,
    /// and the way out named.
    fn enable_refuses_a_disabled_row_without_a_password_to_restore(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let ann = insert_user(&mut conn, "ann@example.com");
        for stored in ["!", "!!"] {
            conn.batch_execute(&format!("UPDATE users SET password_hash = '{stored}'"))
                .unwrap();
            let o = run(&db, &["users", "enable", "ann@example.com"], "");
            expect_code(&o, 65, l);
            assert!(
                stderr(&o).contains("no previous password") && stderr(&o).contains("reset-password"),
                "{l}: {}",
                stderr(&o)
            );
            assert_eq!(user(&mut conn, ann).password_hash, stored, "{l}: nothing changed");
        }
    }
}

per_backend! {
    /// A reset link sent to the old address stops working when the email changes;
    /// a change of anything else keeps it.
    fn a_new_email_clears_a_pending_reset(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let ann = insert_user(&mut conn, "ann@example.com");
        let pending = "UPDATE users SET reset_token = 'sent-to-ann', \
                       reset_token_expires = '2030-01-01 00:00:00.000000'";
        conn.batch_execute(pending).unwrap();
        let o = run(&db, &["users", "update", "ann@example.com", "--name", "Ann"], "");
        expect_code(&o, 0, l);
        assert!(user(&mut conn, ann).reset_token.is_some(), "{l}: kept");

        let o = run(&db, &["users", "update", "ann@example.com", "--email", "anne@example.org"], "");
        expect_code(&o, 0, l);
        let u = user(&mut conn, ann);
        assert_eq!((u.reset_token, u.reset_token_expires), (None, None), "{l}");
        let detail = last_detail(&mut conn, "user.update");
        assert_eq!(detail["reset_token_cleared"], true, "{l}: {detail}");
    }
}

per_backend! {
    /// Email identity ignores letter case on both sides: a row another writer stored
    /// as `Demo@RestoreAssist.com` is found by any spelling, a create of the
    /// lower-case address is a duplicate (with `--if-not-exists` it answers the
    /// existing row), an update to it is refused for another user and allowed as
    /// the user's own change of case. Two rows for one address in different cases
    /// are never picked from: every command naming the address is refused (65)
    /// with both ids, and nothing changes.
    fn email_identity_ignores_letter_case(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let demo = insert_user(&mut conn, "Demo@RestoreAssist.com");
        let demo_id = demo.to_string();
        let other = insert_user(&mut conn, "other@example.com");

        for spelling in ["Demo@RestoreAssist.com", "demo@restoreassist.com", "DEMO@RESTOREASSIST.COM"] {
            assert_eq!(show(&db, spelling)["id"], demo_id.as_str(), "{l}: show {spelling}");
        }
        let o = run(&db, &["users", "create", "demo@restoreassist.com", "--password-stdin"], &format!("{PASSWORD}\n"));
        expect_code(&o, 65, l);
        assert!(stderr(&o).contains("already exists") && stderr(&o).contains(&demo_id), "{l}: {o}");
        let o = run(
            &db,
            &["-o", "json", "users", "create", "demo@restoreassist.com", "--password-stdin", "--if-not-exists"],
            &format!("{PASSWORD}\n"),
        );
        expect_code(&o, 0, l);
        assert_eq!(json(&o)["id"], demo_id.as_str(), "{l}: the existing row");
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 2, "{l}: no second account");

        let o = run(&db, &["users", "update", "other@example.com", "--email", "demo@restoreassist.com"], "");
        expect_code(&o, 65, l);
        assert!(stderr(&o).contains(&demo_id), "{l}: {o}");
        assert_eq!(user(&mut conn, other).email, "other@example.com", "{l}: unchanged");
        // The user's own address in another case is its own: stored lower-case.
        let o = run(&db, &["users", "update", &demo_id, "--email", "demo@restoreassist.com"], "");
        expect_code(&o, 0, l);
        assert_eq!(user(&mut conn, demo).email, "demo@restoreassist.com", "{l}");

        // A second row for the address in another case: refused, both ids named.
        let twin = insert_user(&mut conn, "Demo@RestoreAssist.COM");
        let before = snapshot(&mut conn);
        let audited = audit_count(&mut conn);
        let cases: [&[&str]; 6] = [
            &["users", "show", "demo@restoreassist.com"],
            &["users", "disable", "Demo@RestoreAssist.com"],
            &["users", "update", "demo@restoreassist.com", "--name", "Demo"],
            &["users", "delete", "demo@restoreassist.com", "--yes"],
            &["users", "create", "demo@restoreassist.com", "--password-stdin", "--if-not-exists"],
            &["audit", "list", "--user", "demo@restoreassist.com"],
        ];
        for args in cases {
            let o = run(&db, args, &format!("{PASSWORD}\n"));
            expect_code(&o, 65, &format!("{l}: {args:?}"));
            let err = stderr(&o);
            assert!(
                err.contains(&demo_id) && err.contains(&twin.to_string()) && err.contains("letter case"),
                "{l}: {args:?}: {err}"
            );
        }
        assert_eq!(snapshot(&mut conn), before, "{l}: nothing changed");
        assert_eq!(audit_count(&mut conn), audited, "{l}: nothing recorded");
        // By id each is still reachable.
        assert_eq!(show(&db, &twin.to_string())["email"], "Demo@RestoreAssist.COM", "{l}");
    }
}

per_backend! {
    fn update_changes_fields_and_records_old_and_new(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let ann = insert_user(&mut conn, "ann@example.com");
        let bob = insert_user(&mut conn, "bob@example.com");
        let before = user(&mut conn, ann);

        let o = run(
            &db,
            &[
                "users",
                "update",
                "ANN@example.com",
                "--email",
                " Anne@Example.org ",
                "--name",
                "Anne",
                "--role",
                "premium",
                "--verified",
            ],
            "",
        );
        expect_code(&o, 0, l);
        assert_eq!(
            stdout(&o),
            format!("updated user {ann} anne@example.org: email, name, role, email_verified\n"),
            "{l}"
        );
        let u = user(&mut conn, ann);
        assert_eq!(u.email, "anne@example.org", "{l}");
        assert_eq!(u.name.as_deref(), Some("Anne"), "{l}");
        assert_eq!(u.role.as_deref(), Some("premium"), "{l}");
        assert_eq!(u.email_verified, Some(true), "{l}");
        assert!(u.email_verified_at.is_some(), "{l}");
        assert!(
            u.updated_at > before.updated_at,
            "{l}: updated_at not moved"
        );
        assert_eq!(u.password_hash, before.password_hash, "{l}");
        let e = last_event(&mut conn, "user.update");
        assert_eq!(e.user_id, Some(ann), "{l}");
        assert_eq!(e.user_email.as_deref(), Some("anne@example.org"), "{l}");
        assert_eq!(
            last_detail(&mut conn, "user.update"),
            json!({
                "email": {"old": "ann@example.com", "new": "anne@example.org"},
                "name": {"old": null, "new": "Anne"},
                "role": {"old": "user", "new": "premium"},
                "email_verified": {"old": false, "new": true},
            }),
            "{l}"
        );
        let o = run(&db, &["users", "show", "ann@example.com"], "");
        expect_code(
            &o,
            65,
            &format!("{l}: the old email no longer names the user"),
        );

        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "update",
                &ann.to_string(),
                "--clear-name",
                "--unverified",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        assert_eq!(v["name"], Value::Null, "{l}");
        assert_eq!(v["email_verified"], false, "{l}");
        assert_eq!(v["email_verified_at"], Value::Null, "{l}");
        assert_eq!(v["changed"], true, "{l}");
        assert_eq!(v["changed_fields"], json!(["name", "email_verified"]), "{l}");
        let u = user(&mut conn, ann);
        assert_eq!(
            (u.name, u.email_verified, u.email_verified_at),
            (None, Some(false), None),
            "{l}"
        );

        // A NULL role (the application's default): setting `user` makes it explicit.
        authctl::with_conn!(&mut conn, c => diesel::update(schema::users::table.find(bob))
            .set(schema::users::role.eq(None::<String>))
            .execute(c))
        .unwrap();
        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "update",
                "bob@example.com",
                "--role",
                "user",
            ],
            "",
        );
        expect_code(&o, 0, l);
        assert_eq!(json(&o)["changed_fields"], json!(["role"]), "{l}");
        assert_eq!(
            last_detail(&mut conn, "user.update")["role"],
            json!({"old": null, "new": "user"}),
            "{l}"
        );

        // Nothing to change: reported, exit 0, nothing written.
        let before = snapshot(&mut conn);
        for args in [
            &["--role", "premium"][..],
            &["--email", "ANNE@example.org"],
            &["--clear-name"],
            &["--unverified"],
        ] {
            let mut a = vec!["users", "update", "anne@example.org"];
            a.extend_from_slice(args);
            let o = run(&db, &a, "");
            expect_code(&o, 0, &format!("{l}: same value {args:?}"));
            assert!(
                stderr(&o).contains("nothing to change"),
                "{l}: {}",
                stderr(&o)
            );
            assert_eq!(stdout(&o), "", "{l}");
        }
        // Refused: usage (64) or data (65), nothing written.
        let ann_s = ann.to_string();
        for (args, code) in [
            (&[][..], 64),
            (&["--name", "A", "--clear-name"], 64),
            (&["--verified", "--unverified"], 64),
            (&["--role", ""], 65),
            (&["--role", "support"], 65),
            (&["--email", "bob@"], 65),
            (&["--email", "bób@example.com"], 65),
            (&["--name", "  "], 65),
            (&["--name", "x\u{7}y"], 65),
            (&["--email", "BOB@example.com"], 65),
        ] {
            let mut a = vec!["users", "update", ann_s.as_str()];
            a.extend_from_slice(args);
            let o = run(&db, &a, "");
            expect_code(&o, code, &format!("{l}: {args:?}"));
        }
        let o = run(
            &db,
            &["users", "update", &ann_s, "--email", "BOB@example.com"],
            "",
        );
        assert!(
            stderr(&o).contains(&format!("bob@example.com already exists (id {bob})")),
            "{l}: {}",
            stderr(&o)
        );
        let unknown = UserId::new_v4().to_string();
        let o = run(&db, &["users", "update", &unknown, "--role", "admin"], "");
        expect_code(&o, 65, l);
        assert!(stderr(&o).contains(&unknown), "{l}");
        assert_eq!(
            snapshot(&mut conn),
            before,
            "{l}: a refused update wrote something"
        );
    }
}

// ---------------------------------------------------------------------------
// disable / enable
// ---------------------------------------------------------------------------

per_backend! {
    fn disable_and_enable_touch_only_that_user(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let ann = insert_user(&mut conn, "ann@example.com");
        let bob = insert_user(&mut conn, "bob@example.com");
        set_reset_token(&mut conn, ann);
        set_reset_token(&mut conn, bob);
        let ann_creds = add_credentials(&mut conn, ann);
        let bob_creds = add_credentials(&mut conn, bob);
        let original = stored_hash(&mut conn, ann);
        assert!(verifies(&original, PASSWORD), "{l}");

        let t0 = UtcDateTime::now();
        let o = run(
            &db,
            &[
                "users",
                "disable",
                "ANN@example.com",
                "--reason",
                " left the company ",
            ],
            "",
        );
        expect_code(&o, 0, l);
        assert_eq!(
            stdout(&o),
            format!(
                "disabled user {ann} ann@example.com; revoked 3 refresh tokens and deactivated 3 login sessions\n"
            ),
            "{l}: the expired token and session count, the already revoked ones do not"
        );
        let u = user(&mut conn, ann);
        assert_eq!(u.password_hash, format!("!{original}"), "{l}");
        assert!(
            !verifies(&u.password_hash, PASSWORD),
            "{l}: a disabled hash verifies"
        );
        assert_eq!(u.reset_token, None, "{l}");
        assert_eq!(u.reset_token_expires, None, "{l}");
        assert_all_revoked(&mut conn, ann, &ann_creds, t0, l);
        assert_untouched(&mut conn, bob, &bob_creds, l);
        assert!(
            user(&mut conn, bob).reset_token.is_some(),
            "{l}: bob's reset token"
        );

        let e = last_event(&mut conn, "user.disable");
        assert_eq!((e.user_id, e.actor.as_str()), (Some(ann), "tester"), "{l}");
        assert_eq!(e.user_email.as_deref(), Some("ann@example.com"), "{l}");
        assert_eq!(
            last_detail(&mut conn, "user.disable"),
            json!({
                "reason": "left the company",
                "sessions_invalidated": 3,
                "tokens_revoked": 3,
                "reset_token_cleared": true,
            }),
            "{l}"
        );
        let v = show(&db, &ann.to_string());
        assert_eq!(v["status"], "disabled", "{l}");

        // Already disabled: reported, exit 0, nothing written (no "!!").
        let before = snapshot(&mut conn);
        let o = run(
            &db,
            &["-o", "json", "users", "disable", &ann.to_string()],
            "",
        );
        expect_code(&o, 0, l);
        assert!(
            stderr(&o).contains("already disabled"),
            "{l}: {}",
            stderr(&o)
        );
        let v = json(&o);
        assert_eq!(v["changed"], false, "{l}");
        assert_eq!(v["tokens_revoked"], 0, "{l}");
        assert_eq!(v["status"], "disabled", "{l}");
        assert_eq!(snapshot(&mut conn), before, "{l}");

        // Enable: the same hash back, the same password verifies; credentials stay revoked.
        let o = run(&db, &["users", "enable", "ann@example.com"], "");
        expect_code(&o, 0, l);
        assert_eq!(
            stdout(&o),
            format!("enabled user {ann} ann@example.com (its previous password works again)\n"),
            "{l}"
        );
        let hash = stored_hash(&mut conn, ann);
        assert_eq!(hash, original, "{l}");
        assert!(verifies(&hash, PASSWORD), "{l}");
        assert_all_revoked(&mut conn, ann, &ann_creds, t0, l);
        assert_eq!(show(&db, &ann.to_string())["status"], "active", "{l}");
        let e = last_event(&mut conn, "user.enable");
        assert_eq!(e.user_id, Some(ann), "{l}");
        let before = snapshot(&mut conn);
        let o = run(
            &db,
            &["-o", "json", "users", "enable", &ann.to_string()],
            "",
        );
        expect_code(&o, 0, l);
        assert!(stderr(&o).contains("not disabled"), "{l}: {}", stderr(&o));
        assert_eq!(json(&o)["changed"], false, "{l}");
        assert_eq!(snapshot(&mut conn), before, "{l}");

        // Quiet and JSON forms; no --reason: a null reason.
        let o = run(&db, &["-q", "users", "disable", "bob@example.com"], "");
        expect_code(&o, 0, l);
        assert_eq!(
            (stdout(&o), stderr(&o)),
            (String::new(), String::new()),
            "{l}"
        );
        assert_eq!(
            last_detail(&mut conn, "user.disable")["reason"],
            Value::Null,
            "{l}"
        );
        let o = run(
            &db,
            &["-o", "json", "users", "enable", "bob@example.com"],
            "",
        );
        expect_code(&o, 0, l);
        assert_eq!(json(&o)["changed"], true, "{l}");
        let o = run(
            &db,
            &["-o", "json", "users", "disable", "bob@example.com"],
            "",
        );
        let v = json(&o);
        assert_eq!(v["changed"], true, "{l}");
        assert_eq!(v["sessions_invalidated"], 0, "{l}: all already inactive");
        assert_eq!(v["tokens_revoked"], 0, "{l}");

        // Refused: unknown user, bad reasons — nothing written.
        let before = snapshot(&mut conn);
        let o = run(&db, &["users", "disable", "nobody@example.com"], "");
        expect_code(&o, 65, l);
        let o = run(&db, &["users", "enable", &UserId::new_v4().to_string()], "");
        expect_code(&o, 65, l);
        for reason in ["", "   ", "a\nb", &"r".repeat(501)] {
            let o = run(
                &db,
                &["users", "disable", "anne@example.com", "--reason", reason],
                "",
            );
            expect_code(&o, 65, &format!("{l}: reason {reason:?}"));
        }
        let o = run(
            &db,
            &["users", "disable", &ann.to_string(), "--reason", "x\u{1b}y"],
            "",
        );
        expect_code(&o, 65, l);
        assert_eq!(snapshot(&mut conn), before, "{l}");
    }
}

// ---------------------------------------------------------------------------
// reset-password
// ---------------------------------------------------------------------------

per_backend! {
    fn reset_password_revokes_and_keeps_disabled_users_disabled(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let ann = insert_user(&mut conn, "ann@example.com");
        let bob = insert_user(&mut conn, "bob@example.com");
        set_reset_token(&mut conn, ann);
        let ann_creds = add_credentials(&mut conn, ann);
        let bob_creds = add_credentials(&mut conn, bob);

        let t0 = UtcDateTime::now();
        let o = run(
            &db,
            &[
                "users",
                "reset-password",
                "ann@example.com",
                "--password-stdin",
            ],
            &format!("{NEW_PASSWORD}\n"),
        );
        expect_code(&o, 0, l);
        assert_hidden(&o, NEW_PASSWORD, l);
        assert_eq!(
            stdout(&o),
            format!(
                "reset the password of user {ann} ann@example.com; revoked 3 refresh tokens and deactivated 3 login sessions\n"
            ),
            "{l}"
        );
        let u = user(&mut conn, ann);
        assert!(
            u.password_hash.starts_with("$2b$12$"),
            "{l}: {}",
            u.password_hash
        );
        assert!(verifies(&u.password_hash, NEW_PASSWORD), "{l}");
        assert!(!verifies(&u.password_hash, PASSWORD), "{l}");
        assert_eq!((u.reset_token, u.reset_token_expires), (None, None), "{l}");
        assert_all_revoked(&mut conn, ann, &ann_creds, t0, l);
        assert_untouched(&mut conn, bob, &bob_creds, l);
        assert_eq!(show(&db, &ann.to_string())["status"], "active", "{l}");
        assert_eq!(
            last_detail(&mut conn, "user.reset_password"),
            json!({
                "password_generated": false,
                "password_scheme": "bcrypt",
                "still_disabled": false,
                "sessions_invalidated": 3,
                "tokens_revoked": 3,
                "reset_token_cleared": true,
            }),
            "{l}"
        );
        assert_eq!(
            last_event(&mut conn, "user.reset_password").user_id,
            Some(ann),
            "{l}"
        );

        // A disabled user stays disabled: the new hash is stored disabled, and
        // `enable` makes the new password work.
        let o = run(&db, &["users", "disable", "bob@example.com"], "");
        expect_code(&o, 0, l);
        add_credentials(&mut conn, bob);
        let o = run(
            &db,
            &[
                "-q",
                "users",
                "reset-password",
                &bob.to_string(),
                "--generate-password",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let generated = stdout(&o).trim_end().to_owned();
        assert_eq!(
            stdout(&o),
            format!("{generated}\n"),
            "{l}: only the password"
        );
        assert_eq!(generated.chars().count(), 24, "{l}");
        let hash = stored_hash(&mut conn, bob);
        assert!(hash.starts_with("!$2b$12$"), "{l}: {hash}");
        assert!(
            !verifies(&hash, &generated),
            "{l}: a disabled user can log in"
        );
        assert_eq!(show(&db, &bob.to_string())["status"], "disabled", "{l}");
        assert_eq!(unrevoked_tokens(&mut conn, bob), 0, "{l}");
        assert_eq!(flagged_active_sessions(&mut conn, bob), 0, "{l}");
        let d = last_detail(&mut conn, "user.reset_password");
        assert_eq!(d["still_disabled"], true, "{l}");
        assert_eq!(d["password_generated"], true, "{l}");
        assert_eq!(d["tokens_revoked"], 3, "{l}");
        let o = run(&db, &["users", "enable", "bob@example.com"], "");
        expect_code(&o, 0, l);
        assert!(verifies(&stored_hash(&mut conn, bob), &generated), "{l}");

        // Table message for a disabled user; JSON form.
        let o = run(&db, &["users", "disable", "bob@example.com"], "");
        expect_code(&o, 0, l);
        let o = run(
            &db,
            &[
                "users",
                "reset-password",
                "bob@example.com",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        expect_code(&o, 0, l);
        assert!(stdout(&o).contains("stays disabled"), "{l}: {}", stdout(&o));
        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "reset-password",
                "ann@example.com",
                "--generate-password",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        assert_eq!(v["sessions_invalidated"], 0, "{l}");
        assert_eq!(v["tokens_revoked"], 0, "{l}");
        let pw = v["generated_password"].as_str().unwrap().to_owned();
        assert!(verifies(&stored_hash(&mut conn, ann), &pw), "{l}");

        // Refused: policy, over 72 bytes, unknown user, no source — nothing written.
        let before = snapshot(&mut conn);
        for (stdin, what) in [
            ("123456\n".to_owned(), "common"),
            ("ann@example.com\n".to_owned(), "the email"),
            (
                format!("{}\n", "Lantern quartz zebra 91 ".repeat(4)),
                "96 bytes",
            ),
            (String::new(), "empty stdin"),
        ] {
            let o = run(
                &db,
                &[
                    "users",
                    "reset-password",
                    &ann.to_string(),
                    "--password-stdin",
                ],
                &stdin,
            );
            expect_code(&o, 65, &format!("{l}: {what}"));
        }
        let o = run(
            &db,
            &[
                "users",
                "reset-password",
                &UserId::new_v4().to_string(),
                "--password-stdin",
            ],
            &format!("{NEW_PASSWORD}\n"),
        );
        expect_code(&o, 65, l);
        let o = run(&db, &["users", "reset-password", "ann@example.com"], "");
        expect_code(&o, 64, l);
        assert_eq!(
            snapshot(&mut conn),
            before,
            "{l}: a refused reset wrote something"
        );

        let audit = audit_text(&mut conn);
        for secret in [
            PASSWORD,
            NEW_PASSWORD,
            generated.as_str(),
            pw.as_str(),
            "$2b$",
        ] {
            assert!(
                !audit.contains(secret),
                "{l}: a secret is in the audit trail"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// delete
// ---------------------------------------------------------------------------

per_backend! {
    fn delete_needs_confirmation_cascades_and_keeps_history(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let ann = create(&db, "ann@example.com", PASSWORD, &["--name", "Ann"]);
        let bob = create(&db, "bob@example.com", PASSWORD, &[]);
        add_credentials(&mut conn, ann);
        let bob_creds = add_credentials(&mut conn, bob);
        for (id, email) in [(ann, "ann@example.com"), (bob, "bob@example.com")] {
            db.exec(&format!(
                "INSERT INTO auth_attempts (user_id, email, ip_address) VALUES ('{id}', '{email}', '192.0.2.1')"
            ));
        }
        db.exec(&format!(
            "INSERT INTO device_fingerprints (fingerprint, user_id) VALUES ('fp-ann', '{ann}'), ('fp-bob', '{bob}')"
        ));
        let attempts = |db: &TestDb, id: UserId| {
            count(
                db,
                &format!("SELECT count(*) AS n FROM auth_attempts WHERE user_id = '{id}'"),
            )
        };

        let before = snapshot(&mut conn);
        let o = run(&db, &["users", "delete", "ann@example.com"], "");
        expect_code(&o, 64, &format!("{l}: no --yes, no terminal"));
        assert!(stderr(&o).contains("--yes"), "{l}: {}", stderr(&o));
        assert_eq!(
            snapshot(&mut conn),
            before,
            "{l}: deleted without confirmation"
        );

        let o = run(&db, &["--yes", "users", "delete", "ANN@example.com"], "");
        expect_code(&o, 0, l);
        assert_eq!(
            stdout(&o),
            format!(
                "deleted user {ann} ann@example.com (with 2 active sessions and 2 active refresh tokens)\n"
            ),
            "{l}"
        );
        assert!(repo::users::find(&mut conn, ann).unwrap().is_none(), "{l}");
        assert!(tokens(&mut conn, ann).is_empty(), "{l}: tokens cascade");
        assert!(sessions(&mut conn, ann).is_empty(), "{l}: sessions cascade");
        assert_eq!(attempts(&db, ann), 0, "{l}: auth attempts cascade");
        assert_eq!(attempts(&db, bob), 1, "{l}");
        assert_eq!(
            count(&db, "SELECT count(*) AS n FROM device_fingerprints"),
            1,
            "{l}: device fingerprints cascade"
        );
        assert_untouched(&mut conn, bob, &bob_creds, l);
        assert_eq!(tokens(&mut conn, bob).len(), 4, "{l}");

        // History survives: the create and delete events, user_id now NULL, the email kept.
        let history: Vec<(String, Option<UserId>, Option<String>)> = events(&mut conn)
            .into_iter()
            .filter(|e| e.user_id.is_none())
            .map(|e| (e.action, e.user_id, e.user_email))
            .collect();
        let ann_email = Some("ann@example.com".to_owned());
        assert_eq!(
            history,
            [
                ("user.delete".to_owned(), None, ann_email.clone()),
                ("user.create".to_owned(), None, ann_email)
            ],
            "{l}"
        );
        let d = last_detail(&mut conn, "user.delete");
        assert_eq!(
            d,
            json!({"id": ann.to_string(), "name": "Ann", "role": "user", "active_sessions": 2, "active_tokens": 2}),
            "{l}"
        );
        let o = run(
            &db,
            &["-o", "json", "audit", "list", "--user", "ann@example.com"],
            "",
        );
        expect_code(&o, 0, l);
        assert_eq!(json(&o).as_array().unwrap().len(), 2, "{l}");

        let o = run(
            &db,
            &["-y", "-o", "json", "users", "delete", &bob.to_string()],
            "",
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        assert_eq!(v["deleted"], true, "{l}");
        assert_eq!(v["email"], "bob@example.com", "{l}");
        assert_eq!(id_of(&v), bob, "{l}");
        assert_eq!(v["active_sessions"], 2, "{l}");
        let o = run(&db, &["-y", "users", "delete", "bob@example.com"], "");
        expect_code(&o, 65, &format!("{l}: already deleted"));
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 0, "{l}");
        assert_eq!(
            count(&db, "SELECT count(*) AS n FROM refresh_tokens"),
            0,
            "{l}"
        );
        assert_eq!(
            count(&db, "SELECT count(*) AS n FROM login_sessions"),
            0,
            "{l}"
        );
        assert!(!audit_text(&mut conn).contains(PASSWORD), "{l}");
    }
}

// ---------------------------------------------------------------------------
// Atomicity: a change and its audit event commit together or not at all
// ---------------------------------------------------------------------------

/// Make every insert into the audit trail fail, as a full disk or a revoked grant
/// would.
fn block_audit(db: &TestDb) {
    if db.is_postgres() {
        db.exec(
            "CREATE FUNCTION test_block_audit() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'audit blocked by the test'; END $$; \
             CREATE TRIGGER test_block_audit BEFORE INSERT ON authctl_audit_events \
             FOR EACH ROW EXECUTE FUNCTION test_block_audit();",
        );
    } else {
        db.exec(
            "CREATE TRIGGER test_block_audit BEFORE INSERT ON authctl_audit_events \
             BEGIN SELECT RAISE(ABORT, 'audit blocked by the test'); END;",
        );
    }
}

per_backend! {
    fn a_change_whose_audit_event_fails_is_rolled_back(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let ann = insert_user(&mut conn, "ann@example.com");
        let off = insert_user(&mut conn, "off@example.com");
        set_reset_token(&mut conn, ann);
        add_credentials(&mut conn, ann);
        add_credentials(&mut conn, off);
        let o = run(&db, &["users", "disable", "off@example.com"], "");
        expect_code(&o, 0, l);
        add_credentials(&mut conn, off);
        block_audit(&db);
        let before = snapshot(&mut conn);

        let ann_s = ann.to_string();
        let off_s = off.to_string();
        let cases: [(&[&str], &str); 7] = [
            (
                &["users", "create", "new@example.com", "--password-stdin"],
                "create",
            ),
            (
                &[
                    "users",
                    "update",
                    &ann_s,
                    "--email",
                    "x@example.com",
                    "--role",
                    "admin",
                ],
                "update",
            ),
            (&["users", "disable", &ann_s], "disable"),
            (&["users", "enable", &off_s], "enable"),
            (
                &["users", "reset-password", &ann_s, "--password-stdin"],
                "reset",
            ),
            (
                &["users", "reset-password", &off_s, "--password-stdin"],
                "reset disabled",
            ),
            (&["--yes", "users", "delete", &ann_s], "delete"),
        ];
        for (args, what) in cases {
            let o = run(&db, args, &format!("{NEW_PASSWORD}\n"));
            assert_ne!(o.code, 0, "{l}: {what} succeeded without its audit event");
            assert!(
                stderr(&o).contains("audit blocked by the test"),
                "{l}: {what}: {}",
                stderr(&o)
            );
            assert_eq!(stdout(&o), "", "{l}: {what} reported success");
            assert_eq!(
                snapshot(&mut conn),
                before,
                "{l}: {what} left a partial change"
            );
        }
    }
}

per_backend! {
    /// A generated password exists only in authctl's output. When that output cannot
    /// be written — stdout closed (`>&-`), a full disk (`/dev/full`), a reader that
    /// went away (broken pipe) — nothing may be committed: `users create` leaves no
    /// user, `users reset-password` keeps the old password and every session, and the
    /// command exits 74 saying so.
    fn a_generated_password_that_cannot_be_delivered_is_not_committed(db) {
        let l = db.label();
        drop(db.migrated());
        let bin = assert_cmd::cargo::cargo_bin("authctl");
        let home = tempfile::tempdir().unwrap();
        let rc_file = home.path().join("rc");
        let stderr_file = home.path().join("stderr");
        let run_sh = |authctl_args: &str, redirect: &str| -> (i32, String) {
            // `( authctl …; echo $? > rc ) REDIRECT`: the exit code of authctl
            // itself, whatever happens to its stdout.
            let script = format!(
                "( '{bin}' --database-url '{url}' --actor tester {authctl_args} 2> '{err}'; echo $? > '{rc}' ) {redirect}",
                bin = bin.display(),
                url = db.url(),
                err = stderr_file.display(),
                rc = rc_file.display(),
            );
            let status = std::process::Command::new("bash")
                .arg("-c")
                .arg(&script)
                .env_clear()
                .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                .env("HOME", home.path())
                .status()
                .expect("run bash");
            assert!(status.code().is_some(), "{l}: {script}");
            let rc = std::fs::read_to_string(&rc_file)
                .unwrap()
                .trim()
                .parse()
                .unwrap();
            (
                rc,
                std::fs::read_to_string(&stderr_file).unwrap_or_default(),
            )
        };
        let ways = [
            (">&-", "stdout is closed"),
            ("> /dev/null", "stdout is closed or /dev/null"),
            ("> /dev/full", "space"),
            ("| bash -c 'exec 0<&-; sleep 2'", "broken pipe"),
        ];
        for (redirect, cause) in ways {
            for format in ["", "-o json", "-o csv"] {
                let what = format!("{l} create {format} {redirect}");
                let (rc, err) = run_sh(
                    &format!("{format} users create lost@example.com --generate-password"),
                    redirect,
                );
                assert_eq!(rc, 74, "{what}: {err}");
                assert!(err.contains("nothing was changed"), "{what}: {err}");
                assert!(err.to_lowercase().contains(cause), "{what}: {err}");
                assert_eq!(
                    count(
                        &db,
                        "SELECT count(*) AS n FROM users WHERE email = 'lost@example.com'"
                    ),
                    0,
                    "{what}: the user was committed"
                );
                assert_eq!(
                    count(&db, "SELECT count(*) AS n FROM authctl_audit_events"),
                    0,
                    "{what}: an audit event was committed"
                );
            }
        }

        // reset-password: the old hash and the sessions stay.
        let o = db
            .authctl()
            .args([
                "--actor",
                "tester",
                "users",
                "create",
                "keep@example.com",
                "--password-stdin",
            ])
            .write_stdin("Old password 1234!\n")
            .output()
            .map(Run::from)
            .unwrap();
        assert_eq!(o.code, 0, "{l}: {o:?}");
        let hash_before = common::query_strings(
            &db,
            "SELECT password_hash AS v FROM users WHERE email = 'keep@example.com'",
        );
        for (redirect, cause) in ways {
            let what = format!("{l} reset-password {redirect}");
            let (rc, err) = run_sh(
                "users reset-password keep@example.com --generate-password",
                redirect,
            );
            assert_eq!(rc, 74, "{what}: {err}");
            assert!(err.to_lowercase().contains(cause), "{what}: {err}");
            assert_eq!(
                common::query_strings(
                    &db,
                    "SELECT password_hash AS v FROM users WHERE email = 'keep@example.com'",
                ),
                hash_before,
                "{what}: the password was replaced"
            );
        }
        // Control: with a working stdout the same command commits and prints it.
        let out_file = home.path().join("out");
        let (rc, err) = run_sh(
            "users reset-password keep@example.com --generate-password",
            &format!("> '{}'", out_file.display()),
        );
        let printed = std::fs::read_to_string(&out_file).unwrap();
        let last = printed.lines().last().unwrap_or_default();
        assert_eq!(last.chars().count(), 24, "{l}: the password: {printed:?}");
        assert_eq!(rc, 0, "{l}: {err}");
        assert_ne!(
            common::query_strings(
                &db,
                "SELECT password_hash AS v FROM users WHERE email = 'keep@example.com'",
            ),
            hash_before,
            "{l}: delivered, so replaced"
        );
    }
}

/// One rule for every password source: the first line, its line end removed —
/// `--password-env` too (a Kubernetes secret often ends in a newline). A password
/// given by mistake as the variable *name* is never echoed.
#[test]
fn password_env_strips_the_line_end_and_never_echoes_a_secret_name() {
    let db = TestDb::sqlite();
    db.migrated();
    let o = db
        .authctl()
        .args([
            "users",
            "create",
            "k8s@example.com",
            "--password-env",
            "K8S_SECRET",
        ])
        .env("K8S_SECRET", "Kube secret 42 stapler\n")
        .output()
        .map(Run::from)
        .unwrap();
    assert_eq!(o.code, 0, "{o:?}");
    let hash = common::query_strings(&db, "SELECT password_hash AS v FROM users")
        .pop()
        .unwrap();
    let h = PasswordHasher::default();
    assert!(h.verify(b"Kube secret 42 stapler", &hash).unwrap());
    assert!(!h.verify(b"Kube secret 42 stapler\n", &hash).unwrap());

    for mistaken in ["Hunter2-is-my-pass", "s3cr3t value!"] {
        let o = db
            .authctl()
            .args([
                "users",
                "create",
                "oops@example.com",
                "--password-env",
                mistaken,
            ])
            .output()
            .map(Run::from)
            .unwrap();
        assert_eq!(o.code, 64, "{o:?}");
        let err = o.stderr.clone();
        assert!(
            !err.contains(mistaken),
            "the mistaken secret was echoed: {err}"
        );
        assert!(err.contains("not shown"), "{err}");
    }
    // A conventional name is shown, so the operator sees which one is missing.
    let o = db
        .authctl()
        .args([
            "users",
            "create",
            "oops@example.com",
            "--password-env",
            "ADMIN_PASSWORD",
        ])
        .output()
        .map(Run::from)
        .unwrap();
    assert_eq!(o.code, 64);
    assert!(o.stderr.clone().contains("ADMIN_PASSWORD is not set"));
}

// ---------------------------------------------------------------------------
// --if-not-exists against a different user; the last-admin guard
// ---------------------------------------------------------------------------

per_backend! {
    /// `users create --if-not-exists` for an existing email that differs from the
    /// request warns on stderr naming each differing field (exit 0, nothing changed);
    /// with `--strict` it is exit 65, nothing changed; an identical request is silent.
    fn if_not_exists_says_when_the_existing_user_differs(db) {
        let l = db.label();
        let mut conn = db.migrated();
        create(
            &db,
            "boss@example.com",
            PASSWORD,
            &["--role", "admin", "--name", "Ann Boss"],
        );
        let before = snapshot(&mut conn);
        let events = count(&db, "SELECT count(*) AS n FROM authctl_audit_events");
        let request = [
            "users",
            "create",
            "boss@example.com",
            "--role",
            "user",
            "--name",
            "Someone Else",
            "--verified",
            "--password-env",
            "NOT_SET",
            "--if-not-exists",
        ];
        let o = run(&db, &request, "");
        expect_code(&o, 0, l);
        let err = stderr(&o);
        assert!(err.contains("warning:"), "{l}: {err}");
        for field in [
            "role is admin (requested user)",
            "name is Ann Boss (requested Someone Else)",
            "email_verified is false (requested true)",
        ] {
            assert!(err.contains(field), "{l}: {field} in {err}");
        }
        assert!(!err.contains(PASSWORD), "{l}");
        assert_eq!(snapshot(&mut conn), before, "{l}: unchanged");

        let strict = [&request[..], &["--strict"]].concat();
        let o = run(&db, &strict, "");
        expect_code(&o, 65, l);
        assert!(
            stderr(&o).contains("role is admin (requested user)")
                && stderr(&o).contains("--strict"),
            "{l}: {}",
            stderr(&o)
        );
        assert_eq!(stdout(&o), "", "{l}");
        assert_eq!(snapshot(&mut conn), before, "{l}: --strict changed nothing");
        assert_eq!(
            count(&db, "SELECT count(*) AS n FROM authctl_audit_events"),
            events,
            "{l}: no event"
        );

        // The same request as the existing user: no warning, --strict passes.
        let same = [
            "users",
            "create",
            "BOSS@example.com",
            "--role",
            "admin",
            "--name",
            "Ann Boss",
            "--password-env",
            "NOT_SET",
            "--if-not-exists",
            "--strict",
        ];
        let o = run(&db, &same, "");
        expect_code(&o, 0, l);
        assert!(!stderr(&o).contains("warning"), "{l}: {}", stderr(&o));
        assert!(stderr(&o).contains("exists, unchanged"), "{l}");

        // A disabled account cannot log in: a bootstrap script asking for it must
        // not be told it exists unchanged (it once passed --strict).
        let o = run(
            &db,
            &["users", "disable", "boss@example.com", "--allow-no-admin"],
            "",
        );
        expect_code(&o, 0, l);
        let disabled = snapshot(&mut conn);
        let o = run(&db, &same, "");
        expect_code(&o, 65, l);
        assert!(
            stderr(&o).contains("status is disabled (requested enabled)"),
            "{l}: {}",
            stderr(&o)
        );
        assert_eq!(snapshot(&mut conn), disabled, "{l}: nothing changed");

        // --strict belongs to --if-not-exists.
        let o = run(
            &db,
            &[
                "users",
                "create",
                "x@example.com",
                "--generate-password",
                "--strict",
            ],
            "",
        );
        expect_code(&o, 64, l);
        assert_eq!(snapshot(&mut conn), disabled, "{l}");
    }
}

fn set_role(db: &TestDb, email: &str, role: &str) {
    db.exec(&format!(
        "UPDATE users SET role = '{role}' WHERE email = '{email}'"
    ));
}

per_backend! {
    /// The last enabled admin cannot be deleted, disabled or given another role
    /// (exit 65, nothing changed, the message names --allow-no-admin); another enabled
    /// admin lifts the guard; a disabled admin does not count; --allow-no-admin
    /// overrides and the audit event says so.
    fn the_last_enabled_admin_is_guarded(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = insert_user(&mut conn, "a@example.com");
        let b = insert_user(&mut conn, "b@example.com");
        set_role(&db, "a@example.com", "admin");
        let before = snapshot(&mut conn);
        let events = count(&db, "SELECT count(*) AS n FROM authctl_audit_events");
        for (args, verb) in [
            (&["--yes", "users", "delete", "a@example.com"][..], "delete"),
            (&["users", "disable", "a@example.com"][..], "disable"),
            (
                &["users", "update", "a@example.com", "--role", "premium"][..],
                "change the role of",
            ),
        ] {
            let o = run(&db, args, "");
            expect_code(&o, 65, &format!("{l}: {args:?}"));
            let err = stderr(&o);
            assert!(
                err.contains(&format!("refusing to {verb} a@example.com"))
                    && err.contains("last enabled admin")
                    && err.contains("--allow-no-admin"),
                "{l}: {args:?}: {err}"
            );
            assert_eq!(stdout(&o), "", "{l}: {args:?}");
            assert_eq!(
                snapshot(&mut conn),
                before,
                "{l}: {args:?} changed something"
            );
        }
        assert_eq!(
            count(&db, "SELECT count(*) AS n FROM authctl_audit_events"),
            events,
            "{l}: no event"
        );
        // Changes that keep the admin are fine.
        let o = run(
            &db,
            &["users", "update", "a@example.com", "--name", "A"],
            "",
        );
        expect_code(&o, 0, l);

        // With a second enabled admin, the first may go.
        set_role(&db, "b@example.com", "admin");
        let o = run(&db, &["users", "disable", "a@example.com"], "");
        expect_code(&o, 0, l);
        // Now b is the last enabled admin (a is disabled and does not count) ...
        let o = run(
            &db,
            &["users", "update", "b@example.com", "--role", "user"],
            "",
        );
        expect_code(&o, 65, l);
        assert_eq!(user(&mut conn, b).role(), "admin", "{l}");
        // ... while the disabled admin may be deleted.
        let o = run(&db, &["--yes", "users", "delete", "a@example.com"], "");
        expect_code(&o, 0, l);
        assert!(repo::users::find(&mut conn, a).unwrap().is_none(), "{l}");

        // The explicit override, recorded in the audit event.
        let o = run(
            &db,
            &[
                "users",
                "update",
                "b@example.com",
                "--role",
                "user",
                "--allow-no-admin",
            ],
            "",
        );
        expect_code(&o, 0, l);
        assert_eq!(user(&mut conn, b).role(), "user", "{l}");
        assert_eq!(
            last_detail(&mut conn, "user.update")["left_no_admin"],
            true,
            "{l}"
        );
        set_role(&db, "b@example.com", "admin");
        let o = run(
            &db,
            &["users", "disable", "b@example.com", "--allow-no-admin"],
            "",
        );
        expect_code(&o, 0, l);
        assert_eq!(
            last_detail(&mut conn, "user.disable")["left_no_admin"],
            true,
            "{l}"
        );
    }
}

per_backend! {
    /// Two concurrent demotions of the only two enabled admins: exactly one passes,
    /// one admin is left — the guard runs under the admin rows' locks.
    fn concurrent_demotions_leave_an_admin(db) {
        let l = db.label();
        let mut conn = db.migrated();
        insert_user(&mut conn, "a@example.com");
        insert_user(&mut conn, "b@example.com");
        for round in 0..6 {
            db.exec("UPDATE users SET role = 'admin'");
            let spawn = |email: &str| {
                std::process::Command::new(env!("CARGO_BIN_EXE_authctl"))
                    .env_clear()
                    .env("PATH", std::env::var_os("PATH").unwrap_or_default())
                    .env("HOME", db.scratch())
                    .args(["--database-url", &db.url()])
                    .args(["users", "update", email, "--role", "user"])
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .expect("spawn authctl")
            };
            let (pa, pb) = (spawn("a@example.com"), spawn("b@example.com"));
            let (oa, ob) = (
                pa.wait_with_output().unwrap(),
                pb.wait_with_output().unwrap(),
            );
            let mut codes = [oa.status.code(), ob.status.code()];
            codes.sort();
            assert_eq!(
                codes,
                [Some(0), Some(65)],
                "{l} round {round}: {} / {}",
                String::from_utf8_lossy(&oa.stderr),
                String::from_utf8_lossy(&ob.stderr)
            );
            assert_eq!(
                count(&db, "SELECT count(*) AS n FROM users WHERE role = 'admin'"),
                1,
                "{l} round {round}: one admin left"
            );
        }
    }
}
