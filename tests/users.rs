//! `authctl users …` through the real binary, on SQLite and (when configured)
//! PostgreSQL. Setup that is not under test (sessions, tokens, bulk users) goes
//! through the library's repositories.

mod common;

use std::process::Output;
use std::time::Duration;

use authctl::db::{DbConn, UtcDateTime};
use authctl::repo::{self, IssueToken, NewSession, NewUser, UserChanges};
use diesel::prelude::*;
use serde_json::Value;

use crate::common::{self, TestDb, count, query_strings};

/// Distinctive, policy-compliant, non-ASCII with spaces: hashed byte for byte.
const PASSWORD: &str = "Zebra quärtz 🔑 lantern 91";
const NEW_PASSWORD: &str = "Pelican orbit 7 marmalade";
/// A syntactically valid argon2id PHC string for users made by the library.
const FAKE_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

/// Run `authctl --actor tester ARGS` against `db` with `stdin`.
fn run(db: &TestDb, args: &[&str], stdin: &str) -> Output {
    db.authctl()
        .arg("--actor")
        .arg("tester")
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("run authctl")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Assert the exit code, showing the output when it differs.
#[track_caller]
fn expect_code(o: &Output, code: i32, what: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "{what}: stdout:\n{}\nstderr:\n{}",
        stdout(o),
        stderr(o)
    );
}

/// Assert that no output of a run shows `secret`.
#[track_caller]
fn assert_hidden(o: &Output, secret: &str, what: &str) {
    assert!(!stdout(o).contains(secret), "{what}: password on stdout");
    assert!(!stderr(o).contains(secret), "{what}: password on stderr");
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", stdout(o), stderr(o)))
}

/// Create a user through the binary with `password` on stdin; returns its id.
fn create(db: &TestDb, email: &str, password: &str, extra: &[&str]) -> i64 {
    let mut args = vec!["-o", "json", "users", "create", email, "--password-stdin"];
    args.extend_from_slice(extra);
    let o = run(db, &args, &format!("{password}\n"));
    expect_code(&o, 0, &format!("{}: create {email}", db.label()));
    assert_hidden(&o, password, "create");
    json(&o)["id"].as_i64().expect("id")
}

/// Insert users directly (no hashing), in one statement.
fn insert_users(conn: &mut DbConn, emails: &[String]) {
    let rows: Vec<NewUser> = emails.iter().map(|e| NewUser::new(e, FAKE_HASH)).collect();
    authctl::with_conn!(conn, c => diesel::insert_into(authctl::schema::users::table)
        .values(&rows)
        .execute(c))
    .expect("insert users");
}

fn user_id(conn: &mut DbConn, email: &str) -> i64 {
    repo::users::find_by_email(conn, email)
        .unwrap()
        .expect("user exists")
        .id
}

/// Two active sessions and two active tokens, plus one expired token, for a user.
fn add_credentials(conn: &mut DbConn, user_id: i64) {
    for _ in 0..2 {
        repo::login_sessions::create(
            conn,
            &NewSession {
                user_id,
                ttl: chrono::Duration::hours(1),
                ip_address: Some("192.0.2.1"),
                user_agent: None,
            },
        )
        .unwrap();
        repo::refresh_tokens::issue(
            conn,
            &IssueToken {
                user_id,
                ttl: chrono::Duration::days(30),
                user_agent: None,
                ip_address: None,
            },
        )
        .unwrap();
    }
    let (expired, _) = repo::refresh_tokens::issue(
        conn,
        &IssueToken {
            user_id,
            ttl: chrono::Duration::seconds(1),
            user_agent: None,
            ip_address: None,
        },
    )
    .unwrap();
    authctl::with_conn!(conn, c => diesel::update(authctl::schema::refresh_tokens::table.find(expired.id))
        .set(authctl::schema::refresh_tokens::expires_at.eq(UtcDateTime::now() - chrono::Duration::hours(1)))
        .execute(c))
    .unwrap();
}

fn active_sessions(db: &TestDb, user_id: i64) -> i64 {
    count(
        db,
        &format!(
            "SELECT count(*) AS n FROM login_sessions WHERE user_id = {user_id} AND revoked_at IS NULL"
        ),
    )
}

fn unrevoked_tokens(db: &TestDb, user_id: i64) -> i64 {
    count(
        db,
        &format!(
            "SELECT count(*) AS n FROM refresh_tokens WHERE user_id = {user_id} AND revoked_at IS NULL"
        ),
    )
}

fn audit_count(db: &TestDb) -> i64 {
    count(db, "SELECT count(*) AS n FROM audit_events")
}

/// Every audit event as one text (actor, action, detail).
fn audit_text(db: &TestDb) -> String {
    query_strings(
        db,
        "SELECT actor || ' ' || action || ' ' || COALESCE(detail, '') AS v FROM audit_events ORDER BY id",
    )
    .join("\n")
}

/// The latest audit event's detail for `action`.
fn last_detail(db: &TestDb, action: &str) -> Value {
    let rows = query_strings(
        db,
        &format!(
            "SELECT COALESCE(detail, '{{}}') AS v FROM audit_events WHERE action = '{action}' ORDER BY id DESC"
        ),
    );
    serde_json::from_str(rows.first().unwrap_or_else(|| panic!("no {action} event")))
        .expect("detail is JSON")
}

fn stored_hash(db: &TestDb, user_id: i64) -> String {
    query_strings(
        db,
        &format!("SELECT password_hash AS v FROM users WHERE id = {user_id}"),
    )
    .remove(0)
}

fn python_argon2_available() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import argon2"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Verify `password` against `phc` with an implementation other than authctl's:
/// argon2-cffi (the reference C implementation) when Python has it, otherwise the
/// `argon2` crate used directly, with a note.
fn verify_independently(phc: &str, password: &str) -> bool {
    if python_argon2_available() {
        use std::io::Write;
        let script = "import sys, argon2\n\
            pw = sys.stdin.buffer.read().decode('utf-8')\n\
            try:\n    argon2.PasswordHasher().verify(sys.argv[1], pw)\n\
            except argon2.exceptions.VerifyMismatchError:\n    sys.exit(1)\n";
        let mut child = std::process::Command::new("python3")
            .args(["-c", script, phc])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("python3");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(password.as_bytes())
            .unwrap();
        let status = child.wait().unwrap();
        assert!(
            matches!(status.code(), Some(0 | 1)),
            "argon2-cffi failed: {status}"
        );
        return status.success();
    }
    eprintln!(
        "note: Python argon2-cffi is not installed; verifying with the argon2 crate directly"
    );
    use argon2::password_hash::PasswordVerifier;
    let parsed = argon2::password_hash::phc::PasswordHash::new(phc).expect("PHC string");
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

#[test]
fn create_stores_normalized_user_and_verifiable_hash() {
    for db in TestDb::all() {
        let l = db.label();
        db.migrated();
        let o = run(
            &db,
            &[
                "users",
                "create",
                "  Alice@Example.COM ",
                "--name",
                "Alice Smith",
                "--role",
                "admin",
                "--must-change-password",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\nsecond line ignored\n"),
        );
        expect_code(&o, 0, l);
        assert_eq!(stdout(&o), "created user 1 alice@example.com\n", "{l}");
        assert_hidden(&o, PASSWORD, l);

        let o = run(
            &db,
            &["-o", "json", "users", "show", "ALICE@example.com"],
            "",
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        assert_eq!(v["email"], "alice@example.com", "{l}");
        assert_eq!(v["display_name"], "Alice Smith", "{l}");
        assert_eq!(v["role"], "admin", "{l}");
        assert_eq!(v["status"], "active", "{l}");
        assert_eq!(v["must_change_password"], true, "{l}");
        assert!(v["created_at"].as_str().unwrap().ends_with('Z'), "{l}: {v}");
        assert!(v.get("password_hash").is_none(), "{l}: hash shown");

        let hash = stored_hash(&db, 1);
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{l}: {hash}"
        );
        assert!(
            verify_independently(&hash, PASSWORD),
            "{l}: hash does not verify"
        );
        assert!(
            !verify_independently(&hash, "Zebra quartz 🔑 lantern 91"),
            "{l}"
        );

        let detail = last_detail(&db, "user.create");
        assert_eq!(detail["email"], "alice@example.com", "{l}");
        assert_eq!(detail["role"], "admin", "{l}");
        assert_eq!(detail["password_generated"], false, "{l}");
        let actor = query_strings(&db, "SELECT actor AS v FROM audit_events");
        assert_eq!(actor, ["tester"], "{l}");
        assert!(
            !audit_text(&db).contains(PASSWORD),
            "{l}: password in audit"
        );
        assert!(!audit_text(&db).contains(&hash), "{l}: hash in audit");
    }
}

#[test]
fn create_password_sources() {
    for db in TestDb::all() {
        let l = db.label();
        db.migrated();

        let file = db.scratch().join(format!("pw-{}.txt", std::process::id()));
        std::fs::write(&file, format!("{PASSWORD}\r\n")).unwrap();
        let o = run(
            &db,
            &["users", "create", "file@example.com", "--password-file"],
            "",
        );
        expect_code(&o, 64, &format!("{l}: --password-file without a value"));
        let o = db
            .authctl()
            .args(["users", "create", "file@example.com", "--password-file"])
            .arg(&file)
            .output()
            .unwrap();
        expect_code(&o, 0, l);
        assert_hidden(&o, PASSWORD, l);
        assert!(
            verify_independently(&stored_hash(&db, 1), PASSWORD),
            "{l}: CRLF kept"
        );
        let _ = std::fs::remove_file(&file);

        let o = db
            .authctl()
            .env("NEW_PW", PASSWORD)
            .args([
                "users",
                "create",
                "env@example.com",
                "--password-env",
                "NEW_PW",
            ])
            .output()
            .unwrap();
        expect_code(&o, 0, l);
        assert_hidden(&o, PASSWORD, l);
        assert!(verify_independently(&stored_hash(&db, 2), PASSWORD), "{l}");

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
        assert!(generated.chars().count() >= 20, "{l}: {generated:?}");
        assert_eq!(stdout(&o), format!("{generated}\n"), "{l}");
        assert_eq!(stderr(&o), "", "{l}");
        assert!(
            verify_independently(&stored_hash(&db, 3), &generated),
            "{l}"
        );
        assert_eq!(last_detail(&db, "user.create")["password_generated"], true);
        assert!(
            !audit_text(&db).contains(&generated),
            "{l}: generated in audit"
        );

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
        assert!(verify_independently(&stored_hash(&db, 4), pw), "{l}");
        assert_eq!(v["created"], true, "{l}");
        let id = create(&db, "plain@example.com", PASSWORD, &[]);
        let o = run(&db, &["-o", "json", "users", "show", &id.to_string()], "");
        assert!(json(&o).get("generated_password").is_none(), "{l}");

        // No source and no terminal: usage error with a hint; two sources: usage error.
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
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 5, "{l}");
    }
}

#[test]
fn create_rejects_bad_input_and_writes_nothing() {
    for db in TestDb::all() {
        let l = db.label();
        db.migrated();
        create(&db, "taken@example.com", PASSWORD, &[]);
        let events = audit_count(&db);

        let o = run(
            &db,
            &["users", "create", "TAKEN@Example.com", "--password-stdin"],
            &format!("{NEW_PASSWORD}\n"),
        );
        expect_code(&o, 65, &format!("{l}: duplicate"));
        assert!(
            stderr(&o).contains("taken@example.com already exists"),
            "{l}: {}",
            stderr(&o)
        );

        let o = run(
            &db,
            &["users", "create", "not-an-email", "--password-stdin"],
            "x\n",
        );
        expect_code(&o, 65, l);
        assert!(
            stderr(&o).contains("\"not-an-email\""),
            "{l}: {}",
            stderr(&o)
        );

        let o = run(
            &db,
            &[
                "users",
                "create",
                "r@example.com",
                "--role",
                "Admin!",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        );
        expect_code(&o, 65, l);
        assert!(
            stderr(&o).contains("invalid role \"Admin!\""),
            "{l}: {}",
            stderr(&o)
        );

        for weak in ["password1", "short", "weak@example.com"] {
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
                !stderr(&o).contains(weak) || weak == "weak@example.com",
                "{l}"
            );
            assert_eq!(stdout(&o), "", "{l}");
        }
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 1, "{l}");
        assert_eq!(audit_count(&db), events, "{l}: audit written on failure");

        let o = run(
            &db,
            &[
                "users",
                "create",
                "weak@example.com",
                "--password-stdin",
                "--allow-weak-password",
            ],
            "password1\n",
        );
        expect_code(&o, 0, &format!("{l}: --allow-weak-password"));
    }
}

#[test]
fn create_if_not_exists_is_idempotent() {
    for db in TestDb::all() {
        let l = db.label();
        db.migrated();
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
            .unwrap()
        };
        let o = bootstrap(true);
        expect_code(&o, 0, l);
        assert_eq!(stdout(&o), "created user 1 admin@example.com\n", "{l}");
        let hash = stored_hash(&db, 1);
        let events = audit_count(&db);

        // Second run: exists, unchanged — and the password source is not even read.
        for with_env in [true, false] {
            let o = bootstrap(with_env);
            expect_code(&o, 0, &format!("{l}: rerun (env {with_env})"));
            assert_eq!(stdout(&o), "", "{l}");
            assert!(
                stderr(&o).contains("exists, unchanged"),
                "{l}: {}",
                stderr(&o)
            );
        }
        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "create",
                "Admin@Example.com",
                "--if-not-exists",
            ],
            "",
        );
        expect_code(&o, 0, l);
        assert_eq!(json(&o)["created"], false, "{l}");
        assert_eq!(json(&o)["id"], 1, "{l}");
        assert_eq!(stored_hash(&db, 1), hash, "{l}: password changed");
        assert_eq!(audit_count(&db), events, "{l}: audit written");
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 1, "{l}");
    }
}

#[test]
fn concurrent_creates_of_one_email_have_one_winner() {
    for db in TestDb::all() {
        let l = db.label();
        db.migrated();
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
                            .write_stdin(format!("{PASSWORD}\n"))
                            .output()
                            .unwrap()
                    })
                })
                .collect();
            let outputs: Vec<Output> = handles.into_iter().map(|h| h.join().unwrap()).collect();
            let mut codes: Vec<i32> = outputs.iter().map(|o| o.status.code().unwrap()).collect();
            codes.sort();
            assert_eq!(
                codes,
                [0, 65],
                "{l}: {:?}",
                outputs.iter().map(stderr).collect::<Vec<_>>()
            );
            let loser = outputs
                .iter()
                .find(|o| o.status.code() == Some(65))
                .unwrap();
            assert!(
                stderr(loser).contains("already exists"),
                "{l}: {}",
                stderr(loser)
            );
        }
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 3, "{l}");
        assert_eq!(audit_count(&db), 3, "{l}");
    }
}

/// A create that passes the existence check but loses at the insert to a
/// transaction that commits the same email meanwhile: the duplicate error (65), or
/// with `--if-not-exists` "exists, unchanged" (0). Deterministic version of the race.
#[test]
fn create_losing_the_race_at_insert() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        for (i, if_not_exists) in [false, true].into_iter().enumerate() {
            let email = format!("late{i}@example.com");
            conn.batch_execute("BEGIN").unwrap();
            NewUser::new(&email, FAKE_HASH).insert(&mut conn).unwrap();
            let url = db.url();
            let child = {
                let email = email.clone();
                std::thread::spawn(move || {
                    let mut cmd = common::authctl();
                    cmd.args(["--database-url", &url, "users", "create", &email])
                        .arg("--password-stdin");
                    if if_not_exists {
                        cmd.arg("--if-not-exists");
                    }
                    cmd.write_stdin(format!("{PASSWORD}\n")).output().unwrap()
                })
            };
            std::thread::sleep(Duration::from_millis(1500));
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
            }
            assert_hidden(&o, PASSWORD, l);
        }
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 2, "{l}");
        assert_eq!(audit_count(&db), 0, "{l}");
    }
}

#[test]
fn list_filters_pages_and_formats() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let emails: Vec<String> = ["ann", "bob", "cat", "dan", "eve"]
            .iter()
            .map(|n| format!("{n}@example.com"))
            .collect();
        insert_users(&mut conn, &emails);
        let now = UtcDateTime::now();
        let set = |conn: &mut DbConn, email: &str, ch: UserChanges| {
            let id = user_id(conn, email);
            repo::users::update(conn, id, &ch).unwrap().unwrap();
        };
        set(
            &mut conn,
            "bob@example.com",
            UserChanges {
                role: Some("admin".into()),
                display_name: Some(Some("Robert Tables".into())),
                ..Default::default()
            },
        );
        set(
            &mut conn,
            "cat@example.com",
            UserChanges {
                is_active: Some(false),
                disabled_at: Some(Some(now)),
                ..Default::default()
            },
        );
        set(
            &mut conn,
            "dan@example.com",
            UserChanges {
                failed_login_count: Some(5),
                locked_until: Some(Some(now + chrono::Duration::hours(1))),
                ..Default::default()
            },
        );
        authctl::with_conn!(&mut conn, c => diesel::update(authctl::schema::users::table
            .filter(authctl::schema::users::email.eq("eve@example.com")))
            .set(authctl::schema::users::created_at.eq(now - chrono::Duration::days(30)))
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
                .map(|u| u["email"].as_str().unwrap().to_owned())
                .collect()
        };
        let names = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|e| e.trim_end_matches("@example.com").to_owned())
                .collect()
        };
        assert_eq!(
            names(emails_of(&[])),
            ["ann", "bob", "cat", "dan", "eve"],
            "{l}"
        );
        assert_eq!(names(emails_of(&["--role", "admin"])), ["bob"], "{l}");
        assert_eq!(names(emails_of(&["--status", "disabled"])), ["cat"], "{l}");
        assert_eq!(names(emails_of(&["--status", "locked"])), ["dan"], "{l}");
        assert_eq!(
            names(emails_of(&["--status", "active"])),
            ["ann", "bob", "eve"],
            "{l}"
        );
        assert_eq!(names(emails_of(&["--search", "TABLES"])), ["bob"], "{l}");
        assert_eq!(
            names(emails_of(&["--search", "%"])),
            Vec::<String>::new(),
            "{l}"
        );
        assert_eq!(names(emails_of(&["--search", "E@EX"])), ["eve"], "{l}");
        assert_eq!(
            names(emails_of(&["--created-since", "7d"])),
            ["ann", "bob", "cat", "dan"],
            "{l}"
        );
        assert_eq!(names(emails_of(&["--limit", "2"])), ["ann", "bob"], "{l}");
        assert_eq!(
            names(emails_of(&["--limit", "2", "--after", "2"])),
            ["cat", "dan"],
            "{l}"
        );

        // JSON fields: stable, with status and RFC 3339 UTC times, never the hash.
        let o = run(
            &db,
            &["-o", "json", "users", "list", "--status", "locked"],
            "",
        );
        let v = json(&o);
        let dan = &v[0];
        let mut keys: Vec<&str> = dan
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        let mut expected = [
            "id",
            "email",
            "display_name",
            "role",
            "status",
            "is_active",
            "disabled_at",
            "disabled_reason",
            "failed_login_count",
            "locked_until",
            "must_change_password",
            "password_changed_at",
            "last_login_at",
            "created_at",
            "updated_at",
        ];
        expected.sort_unstable();
        assert_eq!(keys, expected, "{l}");
        assert_eq!(dan["status"], "locked", "{l}");
        assert_eq!(dan["failed_login_count"], 5, "{l}");
        assert!(dan["locked_until"].as_str().unwrap().ends_with('Z'), "{l}");
        assert!(!stdout(&o).contains("argon2"), "{l}: hash in list");

        // Table: columns, a hint when more rows follow, none when they do not.
        let o = run(&db, &["users", "list", "--limit", "2"], "");
        expect_code(&o, 0, l);
        let out = stdout(&o);
        for h in [
            "ID",
            "EMAIL",
            "NAME",
            "ROLE",
            "STATUS",
            "LAST LOGIN",
            "CREATED",
        ] {
            assert!(out.contains(h), "{l}: no {h} column:\n{out}");
        }
        assert!(out.contains("never"), "{l}");
        assert!(
            stderr(&o).contains("more users: --after 2"),
            "{l}: {}",
            stderr(&o)
        );
        let o = run(&db, &["users", "list", "--limit", "5"], "");
        assert!(!stderr(&o).contains("more users"), "{l}: {}", stderr(&o));
        let o = run(&db, &["users", "list", "--role", "nobody"], "");
        assert_eq!(stdout(&o).trim(), "(none)", "{l}");
        let o = run(&db, &["-q", "users", "list"], "");
        assert_eq!(stdout(&o), "", "{l}: --quiet table");

        // CSV.
        let o = run(&db, &["-o", "csv", "users", "list", "--role", "admin"], "");
        expect_code(&o, 0, l);
        let out = stdout(&o);
        let mut lines = out.lines();
        assert_eq!(
            lines.next().unwrap(),
            "id,email,display_name,role,status,is_active,disabled_at,disabled_reason,\
             failed_login_count,locked_until,must_change_password,password_changed_at,\
             last_login_at,created_at,updated_at",
            "{l}"
        );
        assert!(
            lines
                .next()
                .unwrap()
                .starts_with("2,bob@example.com,Robert Tables,admin,active,true,"),
            "{l}"
        );
        assert_eq!(lines.next(), None, "{l}");

        // Bad values: named, exit 65; --all with --limit: usage.
        let o = run(&db, &["users", "list", "--created-since", "yesterday"], "");
        expect_code(&o, 65, l);
        assert!(stderr(&o).contains("\"yesterday\""), "{l}");
        let o = run(&db, &["users", "list", "--role", "Bad Role"], "");
        expect_code(&o, 65, l);
        let o = run(&db, &["users", "list", "--all", "--limit", "3"], "");
        expect_code(&o, 64, l);
    }
}

#[test]
fn list_all_streams_every_row() {
    const N: usize = 2345;
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let emails: Vec<String> = (0..N).map(|i| format!("u{i:05}@example.com")).collect();
        insert_users(&mut conn, &emails);

        let o = run(&db, &["-o", "json", "users", "list", "--all"], "");
        expect_code(&o, 0, l);
        let v = json(&o);
        let ids: Vec<i64> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids.len(), N, "{l}");
        assert!(
            ids.windows(2).all(|w| w[0] < w[1]),
            "{l}: not ordered by id"
        );
        assert_eq!(v[N - 1]["email"], emails[N - 1], "{l}");

        let o = run(&db, &["-o", "csv", "users", "list", "--all"], "");
        expect_code(&o, 0, l);
        assert_eq!(stdout(&o).lines().count(), N + 1, "{l}");

        let o = run(&db, &["users", "list", "--all", "--after", "100"], "");
        expect_code(&o, 0, l);
        let out = stdout(&o);
        assert!(!out.contains("u00099@example.com"), "{l}");
        assert!(out.contains("u00100@example.com"), "{l}");
        assert!(out.contains(&emails[N - 1]), "{l}");
        assert_eq!(out.matches("@example.com").count(), N - 100, "{l}");
        assert!(!stderr(&o).contains("more users"), "{l}");

        let o = run(
            &db,
            &["-o", "json", "users", "list", "--all", "--role", "none"],
            "",
        );
        assert_eq!(json(&o), serde_json::json!([]), "{l}");
    }
}

#[test]
fn show_reports_hash_credentials_and_events() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let id = create(&db, "shown@example.com", PASSWORD, &[]);
        add_credentials(&mut conn, id);
        for role in ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"] {
            let o = run(
                &db,
                &["users", "update", "shown@example.com", "--role", role],
                "",
            );
            expect_code(&o, 0, l);
        }

        let o = run(
            &db,
            &["-o", "json", "users", "show", "SHOWN@example.com"],
            "",
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        assert_eq!(v["id"], id, "{l}");
        assert_eq!(v["role"], "k", "{l}");
        assert_eq!(
            v["hash"],
            serde_json::json!({
                "algorithm": "argon2id", "version": 19, "memory_kib": 19456,
                "iterations": 2, "parallelism": 1, "needs_rehash": false
            }),
            "{l}"
        );
        assert_eq!(v["active_sessions"], 2, "{l}");
        assert_eq!(v["active_tokens"], 2, "{l}");
        let events = v["recent_events"].as_array().unwrap();
        assert_eq!(events.len(), 10, "{l}");
        assert_eq!(events[0]["action"], "user.update", "{l}");
        assert_eq!(events[0]["detail"]["role"]["new"], "k", "{l}");
        assert!(v.get("password_hash").is_none(), "{l}");
        assert!(!stdout(&o).contains("$argon2"), "{l}: hash shown");

        // Stronger costs configured: the stored hash needs a rehash.
        let o = db
            .authctl()
            .env("AUTHCTL_ARGON2_MEMORY_KIB", "65536")
            .args(["-o", "json", "users", "show", &id.to_string()])
            .output()
            .unwrap();
        expect_code(&o, 0, l);
        assert_eq!(json(&o)["hash"]["needs_rehash"], true, "{l}");

        let o = run(&db, &["users", "show", &id.to_string()], "");
        expect_code(&o, 0, l);
        let out = stdout(&o);
        for want in [
            "shown@example.com",
            "argon2id v19 m=19456 KiB t=2 p=1",
            "active sessions",
            "Latest audit events",
            "user.update",
        ] {
            assert!(out.contains(want), "{l}: no {want:?} in\n{out}");
        }

        let o = run(&db, &["users", "show", "nobody@example.com"], "");
        expect_code(&o, 65, l);
        assert!(
            stderr(&o).contains("nobody@example.com"),
            "{l}: {}",
            stderr(&o)
        );
        for bad in ["0", "bob", "99999999999999999999"] {
            let o = run(&db, &["users", "show", bad], "");
            expect_code(&o, 65, &format!("{l}: show {bad}"));
            assert!(stderr(&o).contains(bad), "{l}: {}", stderr(&o));
        }
        let o = run(&db, &["users", "show", "4242"], "");
        expect_code(&o, 65, l);
        assert!(
            stderr(&o).contains("no user with id 4242"),
            "{l}: {}",
            stderr(&o)
        );
    }
}

#[test]
fn update_changes_fields_and_records_old_and_new() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        insert_users(
            &mut conn,
            &["ann@example.com".into(), "bob@example.com".into()],
        );

        let o = run(
            &db,
            &[
                "users",
                "update",
                "ann@example.com",
                "--email",
                "Anne@Example.org",
                "--name",
                "Anne",
                "--role",
                "support",
            ],
            "",
        );
        expect_code(&o, 0, l);
        assert_eq!(
            stdout(&o),
            "updated user 1 anne@example.org: email, display_name, role\n",
            "{l}"
        );
        let d = last_detail(&db, "user.update");
        assert_eq!(
            d["email"],
            serde_json::json!({"old": "ann@example.com", "new": "anne@example.org"}),
            "{l}"
        );
        assert_eq!(
            d["role"],
            serde_json::json!({"old": "user", "new": "support"}),
            "{l}"
        );
        assert_eq!(
            d["display_name"],
            serde_json::json!({"old": null, "new": "Anne"}),
            "{l}"
        );

        let o = run(
            &db,
            &["-o", "json", "users", "update", "1", "--clear-name"],
            "",
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        assert_eq!(v["display_name"], Value::Null, "{l}");
        assert_eq!(v["changed"], serde_json::json!(["display_name"]), "{l}");

        let events = audit_count(&db);
        let o = run(&db, &["users", "update", "1", "--role", "support"], "");
        expect_code(&o, 0, &format!("{l}: same value"));
        assert!(stderr(&o).contains("nothing to change"), "{l}");
        let o = run(&db, &["users", "update", "1"], "");
        expect_code(&o, 64, &format!("{l}: nothing given"));
        let o = run(
            &db,
            &["users", "update", "1", "--email", "BOB@example.com"],
            "",
        );
        expect_code(&o, 65, &format!("{l}: duplicate"));
        assert!(
            stderr(&o).contains("bob@example.com already exists (id 2)"),
            "{l}: {}",
            stderr(&o)
        );
        let o = run(&db, &["users", "update", "1", "--email", "bob@"], "");
        expect_code(&o, 65, l);
        assert!(stderr(&o).contains("\"bob@\""), "{l}");
        let o = run(&db, &["users", "update", "1", "--role", ""], "");
        expect_code(&o, 65, l);
        let o = run(&db, &["users", "update", "77", "--role", "x"], "");
        expect_code(&o, 65, l);
        assert_eq!(audit_count(&db), events, "{l}: failed updates wrote events");
        let emails = query_strings(&db, "SELECT email AS v FROM users ORDER BY id");
        assert_eq!(emails, ["anne@example.org", "bob@example.com"], "{l}");
    }
}

#[test]
fn disable_enable_unlock_touch_only_that_user() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        insert_users(
            &mut conn,
            &["ann@example.com".into(), "bob@example.com".into()],
        );
        add_credentials(&mut conn, 1);
        add_credentials(&mut conn, 2);

        let o = run(
            &db,
            &[
                "users",
                "disable",
                "ANN@example.com",
                "--reason",
                "left the company",
            ],
            "",
        );
        expect_code(&o, 0, l);
        assert_eq!(
            stdout(&o),
            "disabled user 1 ann@example.com; revoked 2 sessions and 2 refresh tokens\n",
            "{l}"
        );
        assert_eq!(active_sessions(&db, 1), 0, "{l}");
        // The expired token is not active: left alone.
        assert_eq!(unrevoked_tokens(&db, 1), 1, "{l}");
        assert_eq!(active_sessions(&db, 2), 2, "{l}: other user's sessions");
        assert_eq!(unrevoked_tokens(&db, 2), 3, "{l}: other user's tokens");
        let reasons = query_strings(
            &db,
            "SELECT DISTINCT revoked_reason AS v FROM login_sessions WHERE revoked_at IS NOT NULL",
        );
        assert_eq!(reasons, ["user disabled: left the company"], "{l}");
        let d = last_detail(&db, "user.disable");
        assert_eq!(d["reason"], "left the company", "{l}");
        assert_eq!(d["sessions_revoked"], 2, "{l}");
        assert_eq!(d["tokens_revoked"], 2, "{l}");

        let o = run(&db, &["-o", "json", "users", "show", "1"], "");
        let v = json(&o);
        assert_eq!(v["status"], "disabled", "{l}");
        assert_eq!(v["disabled_reason"], "left the company", "{l}");

        // Already disabled: reported, exit 0, nothing written.
        let events = audit_count(&db);
        let o = run(&db, &["-o", "json", "users", "disable", "1"], "");
        expect_code(&o, 0, l);
        assert!(stderr(&o).contains("already disabled"), "{l}");
        assert_eq!(json(&o)["changed"], false, "{l}");
        assert_eq!(audit_count(&db), events, "{l}");

        let o = run(&db, &["users", "enable", "1"], "");
        expect_code(&o, 0, l);
        assert_eq!(stdout(&o), "enabled user 1 ann@example.com\n", "{l}");
        let v = json(&run(&db, &["-o", "json", "users", "show", "1"], ""));
        assert_eq!(v["status"], "active", "{l}");
        assert_eq!(v["disabled_at"], Value::Null, "{l}");
        assert_eq!(
            last_detail(&db, "user.enable")["disabled_reason"],
            "left the company"
        );
        let o = run(&db, &["users", "enable", "1"], "");
        expect_code(&o, 0, l);
        assert!(stderr(&o).contains("not disabled"), "{l}");

        // Unlock.
        let until = UtcDateTime::now() + chrono::Duration::hours(1);
        repo::users::update(
            &mut conn,
            2,
            &UserChanges {
                failed_login_count: Some(7),
                locked_until: Some(Some(until)),
                ..Default::default()
            },
        )
        .unwrap();
        let v = json(&run(
            &db,
            &["-o", "json", "users", "list", "--status", "locked"],
            "",
        ));
        assert_eq!(v[0]["id"], 2, "{l}");
        let o = run(&db, &["-q", "users", "unlock", "bob@example.com"], "");
        expect_code(&o, 0, l);
        assert_eq!(stdout(&o), "", "{l}: --quiet");
        assert_eq!(stderr(&o), "", "{l}: --quiet");
        let v = json(&run(&db, &["-o", "json", "users", "show", "2"], ""));
        assert_eq!(v["status"], "active", "{l}");
        assert_eq!(v["failed_login_count"], 0, "{l}");
        assert_eq!(v["locked_until"], Value::Null, "{l}");
        assert_eq!(
            last_detail(&db, "user.unlock")["failed_login_count"],
            7,
            "{l}"
        );
        assert_eq!(active_sessions(&db, 2), 2, "{l}: unlock revoked sessions");
        let events = audit_count(&db);
        let o = run(&db, &["users", "unlock", "2"], "");
        expect_code(&o, 0, l);
        assert!(stderr(&o).contains("not locked"), "{l}");
        assert_eq!(audit_count(&db), events, "{l}");

        let o = run(&db, &["users", "disable", "nobody@example.com"], "");
        expect_code(&o, 65, l);
    }
}

#[test]
fn reset_password_revokes_and_clears_lockout() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let ann = create(&db, "ann@example.com", PASSWORD, &[]);
        let bob = create(&db, "bob@example.com", PASSWORD, &[]);
        add_credentials(&mut conn, ann);
        add_credentials(&mut conn, bob);
        repo::users::update(
            &mut conn,
            ann,
            &UserChanges {
                failed_login_count: Some(9),
                locked_until: Some(Some(UtcDateTime::now() + chrono::Duration::hours(1))),
                ..Default::default()
            },
        )
        .unwrap();

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
            "reset the password of user 1 ann@example.com; revoked 2 sessions and 2 refresh tokens; \
             must change it at the next login\n",
            "{l}"
        );
        let hash = stored_hash(&db, ann);
        assert!(verify_independently(&hash, NEW_PASSWORD), "{l}");
        assert!(!verify_independently(&hash, PASSWORD), "{l}");
        let v = json(&run(&db, &["-o", "json", "users", "show", "1"], ""));
        assert_eq!(v["must_change_password"], true, "{l}");
        assert_eq!(v["status"], "active", "{l}");
        assert_eq!(v["failed_login_count"], 0, "{l}");
        assert_eq!(active_sessions(&db, ann), 0, "{l}");
        assert_eq!(
            unrevoked_tokens(&db, ann),
            1,
            "{l}: only the expired one left"
        );
        assert_eq!(active_sessions(&db, bob), 2, "{l}: bob's sessions");
        assert_eq!(unrevoked_tokens(&db, bob), 3, "{l}: bob's tokens");
        let d = last_detail(&db, "user.reset_password");
        assert_eq!(d["sessions_revoked"], 2, "{l}");
        assert_eq!(d["tokens_revoked"], 2, "{l}");
        assert_eq!(d["was_locked"], true, "{l}");

        // --keep-sessions --no-must-change, generated, quiet: only the password.
        add_credentials(&mut conn, ann);
        let o = run(
            &db,
            &[
                "-q",
                "users",
                "reset-password",
                "1",
                "--generate-password",
                "--keep-sessions",
                "--no-must-change",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let generated = stdout(&o).trim_end().to_owned();
        assert_eq!(stdout(&o), format!("{generated}\n"), "{l}");
        assert!(
            verify_independently(&stored_hash(&db, ann), &generated),
            "{l}"
        );
        assert_eq!(active_sessions(&db, ann), 2, "{l}: --keep-sessions");
        let v = json(&run(&db, &["-o", "json", "users", "show", "1"], ""));
        assert_eq!(v["must_change_password"], false, "{l}");

        let o = run(
            &db,
            &[
                "-o",
                "json",
                "users",
                "reset-password",
                "bob@example.com",
                "--generate-password",
            ],
            "",
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        assert_eq!(v["sessions_revoked"], 2, "{l}");
        let pw = v["generated_password"].as_str().unwrap().to_owned();
        assert!(verify_independently(&stored_hash(&db, bob), &pw), "{l}");

        // Policy failure and unknown user: 65, nothing written.
        let events = audit_count(&db);
        let hash = stored_hash(&db, ann);
        let o = run(
            &db,
            &["users", "reset-password", "1", "--password-stdin"],
            "123456\n",
        );
        expect_code(&o, 65, l);
        let o = run(
            &db,
            &["users", "reset-password", "9", "--password-stdin"],
            &format!("{NEW_PASSWORD}\n"),
        );
        expect_code(&o, 65, l);
        assert_eq!(stored_hash(&db, ann), hash, "{l}");
        assert_eq!(audit_count(&db), events, "{l}");

        let audit = audit_text(&db);
        for secret in [PASSWORD, NEW_PASSWORD, generated.as_str(), pw.as_str()] {
            assert!(
                !audit.contains(secret),
                "{l}: a password is in the audit trail"
            );
        }
    }
}

#[test]
fn delete_needs_confirmation_and_keeps_history() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let ann = create(&db, "ann@example.com", PASSWORD, &[]);
        let bob = create(&db, "bob@example.com", PASSWORD, &[]);
        add_credentials(&mut conn, ann);
        add_credentials(&mut conn, bob);

        let o = run(&db, &["users", "delete", "ann@example.com"], "");
        expect_code(&o, 64, &format!("{l}: no --yes, no terminal"));
        assert!(stderr(&o).contains("--yes"), "{l}: {}", stderr(&o));
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 2, "{l}");
        assert!(!audit_text(&db).contains("user.delete"), "{l}");

        let o = run(&db, &["--yes", "users", "delete", "ANN@example.com"], "");
        expect_code(&o, 0, l);
        assert_eq!(
            stdout(&o),
            "deleted user 1 ann@example.com (with 2 active sessions and 2 active refresh tokens)\n",
            "{l}"
        );
        assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 1, "{l}");
        assert_eq!(
            count(
                &db,
                &format!("SELECT count(*) AS n FROM login_sessions WHERE user_id = {ann}")
            ),
            0,
            "{l}"
        );
        assert_eq!(
            count(
                &db,
                &format!("SELECT count(*) AS n FROM refresh_tokens WHERE user_id = {ann}")
            ),
            0,
            "{l}"
        );
        assert_eq!(active_sessions(&db, bob), 2, "{l}: bob's sessions");
        assert_eq!(unrevoked_tokens(&db, bob), 3, "{l}: bob's tokens");

        // History survives: the create and delete events, user_id now NULL.
        let orphaned = query_strings(
            &db,
            "SELECT action AS v FROM audit_events WHERE user_id IS NULL ORDER BY id",
        );
        assert_eq!(orphaned, ["user.create", "user.delete"], "{l}");
        let d = last_detail(&db, "user.delete");
        assert_eq!(d["email"], "ann@example.com", "{l}");
        assert_eq!(d["id"], ann, "{l}");
        assert_eq!(d["active_sessions"], 2, "{l}");

        let o = run(
            &db,
            &["-y", "-o", "json", "users", "delete", "bob@example.com"],
            "",
        );
        expect_code(&o, 0, l);
        let v = json(&o);
        assert_eq!(v["deleted"], true, "{l}");
        assert_eq!(v["email"], "bob@example.com", "{l}");
        let o = run(&db, &["-y", "users", "delete", "bob@example.com"], "");
        expect_code(&o, 65, &format!("{l}: already deleted"));
        assert!(!audit_text(&db).contains(PASSWORD), "{l}");
    }
}
