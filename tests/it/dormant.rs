//! Dormant accounts (issue #21): `users list --inactive` selects exactly the users
//! whose last login — or, never having logged in, whose creation — is older than
//! the window, by the database's clock; `users disable --inactive` disables them
//! the way `users disable` does (hash, tokens, sessions, one audit event each),
//! never the last enabled admin, honours `--exclude`/`--role`, changes nothing on
//! `--dry-run` or without `--yes` off a terminal, and can simply be run again;
//! `stats` counts them in JSON and Prometheus; the application refuses a disabled
//! dormant user's login.

use crate::common;

use std::collections::BTreeSet;

use authctl::db::UserId;
use serde_json::Value;

use crate::common::{PgDb, Run, TestDb, app};

const HASH: &str = "$2b$12$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyzABCDE";

/// A time `span` before the database's now, as SQL (`'90 days'`, `'1 minute'`).
fn ago(db: &TestDb, span: &str) -> String {
    if db.is_postgres() {
        format!("(now() - interval '{span}')")
    } else {
        format!("strftime('%Y-%m-%d %H:%M:%f000', 'now', '-{span}')")
    }
}

/// Insert a user created `created` ago (SQL from [`ago`]), last logged in
/// `last_login` (SQL or `NULL`); returns its id.
fn user(db: &TestDb, email: &str, role: &str, created: &str, last_login: &str) -> String {
    let id = UserId::new_v4().to_string();
    db.exec(&format!(
        "INSERT INTO users (id, email, password_hash, role, created_at, updated_at, last_login) \
         VALUES ('{id}', '{email}', '{HASH}', '{role}', {created}, {created}, {last_login})"
    ));
    id
}

/// One unrevoked refresh token and one active session for `user_id`.
fn credentials(db: &TestDb, user_id: &str, n: usize) {
    let (soon, now) = if db.is_postgres() {
        ("(now() + interval '7 days')", "now()")
    } else {
        (
            "strftime('%Y-%m-%d %H:%M:%f000', 'now', '+7 days')",
            "strftime('%Y-%m-%d %H:%M:%f000', 'now')",
        )
    };
    db.exec(&format!(
        "INSERT INTO refresh_tokens (user_id, token, expires_at, is_revoked) \
         VALUES ('{user_id}', 'tok-{n:0>40}', {soon}, false)"
    ));
    db.exec(&format!(
        "INSERT INTO login_sessions (user_id, session_token, created_at, expires_at, is_active, last_activity_at) \
         VALUES ('{user_id}', '{}', {now}, {soon}, true, {now})",
        UserId::new_v4()
    ));
}

/// The seeded users: who is dormant for 90 days and who is not.
struct Seed {
    /// Dormant and enabled (the only admin among them).
    dormant: Vec<&'static str>,
    /// Not dormant, or already disabled.
    others: Vec<&'static str>,
}

fn seed(db: &TestDb) -> Seed {
    let old = user(
        db,
        "old@example.com",
        "user",
        &ago(db, "400 days"),
        &ago(db, "100 days"),
    );
    credentials(db, &old, 1);
    user(
        db,
        "never@example.com",
        "premium",
        &ago(db, "100 days"),
        "NULL",
    );
    user(
        db,
        "admin@example.com",
        "admin",
        &ago(db, "300 days"),
        &ago(db, "200 days"),
    );
    // The boundary: a minute either side of exactly 90 days.
    user(
        db,
        "edge-old@example.com",
        "user",
        &ago(db, "400 days"),
        &ago(db, "129601 minutes"),
    );
    user(
        db,
        "edge-new@example.com",
        "user",
        &ago(db, "400 days"),
        &ago(db, "129599 minutes"),
    );
    user(db, "new@example.com", "user", &ago(db, "10 days"), "NULL");
    user(
        db,
        "recent@example.com",
        "user",
        &ago(db, "400 days"),
        &ago(db, "1 day"),
    );
    let gone = user(
        db,
        "gone@example.com",
        "user",
        &ago(db, "400 days"),
        &ago(db, "300 days"),
    );
    db.exec(&format!(
        "UPDATE users SET password_hash = '!' || password_hash WHERE id = '{gone}'"
    ));
    Seed {
        dormant: vec![
            "admin@example.com",
            "edge-old@example.com",
            "never@example.com",
            "old@example.com",
        ],
        others: vec![
            "edge-new@example.com",
            "gone@example.com",
            "new@example.com",
            "recent@example.com",
        ],
    }
}

#[track_caller]
fn ok(r: Run, what: &str) -> Run {
    r.expect_code(0, what)
}

fn emails(v: &Value) -> BTreeSet<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// `(email, password_hash)` of every user, by email: what "nothing changed" compares.
fn hashes(db: &TestDb) -> Vec<String> {
    common::query_strings(
        db,
        "SELECT email || ' ' || password_hash AS v FROM users ORDER BY email",
    )
}

fn disabled(db: &TestDb, email: &str) -> bool {
    common::count(
        db,
        &format!(
            "SELECT count(*) AS n FROM users WHERE email = '{email}' AND password_hash LIKE '!%'"
        ),
    ) == 1
}

per_backend! {
    fn list_inactive_selects_exactly_the_dormant_users(db: migrated) {
        let l = db.label();
        let s = seed(&db);
        let listed = ok(db.run(&["-o", "json", "users", "list", "--inactive", "90d", "--all"]), l).json();
        // The time rule alone: the disabled dormant user is listed too …
        let mut expected = set(&s.dormant);
        expected.insert("gone@example.com".into());
        assert_eq!(emails(&listed), expected, "{l}");
        // … and `--status active` gives what `disable --inactive` would disable.
        let active = ok(
            db.run(&["-o", "json", "users", "list", "--inactive", "90d", "--status", "active", "--all"]),
            l,
        )
        .json();
        assert_eq!(emails(&active), set(&s.dormant), "{l}");
        for other in ["edge-new@example.com", "new@example.com", "recent@example.com"] {
            assert!(!emails(&active).contains(other), "{l}: {other}");
        }
        // Combines with the other filters and paging.
        let premium = ok(db.run(&["-o", "json", "users", "list", "--inactive", "90d", "--role", "premium"]), l).json();
        assert_eq!(emails(&premium), set(&["never@example.com"]), "{l}");
        let page = ok(db.run(&["-o", "json", "users", "list", "--inactive", "90d", "--limit", "2"]), l);
        assert_eq!(emails(&page.json()), set(&["admin@example.com", "edge-old@example.com"]), "{l}");
        assert!(page.stderr.contains("--after edge-old@example.com"), "{l}: {page}");
        // CSV and table carry the same rows.
        let csv = ok(db.run(&["-o", "csv", "users", "list", "--inactive", "90d", "--status", "active"]), l);
        assert_eq!(csv.stdout.lines().count(), 1 + s.dormant.len(), "{l}: {csv}");
        let table = ok(db.run(&["users", "list", "--inactive", "90d", "--status", "active"]), l);
        for e in &s.dormant {
            assert!(table.stdout.contains(e), "{l}: {e}\n{table}");
        }
        // A longer window selects fewer; a bad one is a usage error.
        let long = ok(db.run(&["-o", "json", "users", "list", "--inactive", "150d", "--status", "active"]), l).json();
        assert_eq!(emails(&long), set(&["admin@example.com"]), "{l}");
        db.run(&["users", "list", "--inactive", "90"]).expect_code(64, "bare number");
        db.run(&["users", "list", "--inactive", "soon"]).expect_code(64, "not a duration");
    }
}

per_backend! {
    fn disable_inactive_dry_run_confirmation_and_the_real_run(db: migrated) {
        let l = db.label();
        let s = seed(&db);
        let before = hashes(&db);

        // --dry-run: who would be disabled, the last admin skipped; nothing changes.
        let dry = ok(db.run(&["-o", "json", "users", "disable", "--inactive", "90d", "--dry-run"]), l).json();
        assert_eq!(dry["dry_run"], true, "{l}");
        assert_eq!(dry["inactive"], "90d", "{l}");
        let action = |r: &Value, email: &str| -> (String, Value) {
            let a = r["accounts"].as_array().unwrap().iter().find(|a| a["email"] == email)
                .unwrap_or_else(|| panic!("{l}: {email} not in {r}"));
            (a["action"].as_str().unwrap().to_owned(), a["skipped"].clone())
        };
        for e in ["old@example.com", "never@example.com", "edge-old@example.com"] {
            assert_eq!(action(&dry, e).0, "would_disable", "{l}: {e}");
        }
        assert_eq!(action(&dry, "admin@example.com"), ("skipped".into(), Value::from("last_admin")), "{l}");
        assert_eq!(dry["accounts"].as_array().unwrap().len(), s.dormant.len(), "{l}: {dry}");
        assert_eq!(dry["summary"]["would_disable"], 3, "{l}");
        assert_eq!(hashes(&db), before, "{l}: --dry-run changed nothing");

        // No terminal, no --yes: refused (64), nothing changed.
        let refused = db.run(&["users", "disable", "--inactive", "90d"]).expect_code(64, l);
        assert!(refused.stderr.contains("--yes"), "{l}: {refused}");
        assert_eq!(hashes(&db), before, "{l}: refused run changed nothing");

        // --yes: disabled the way `users disable` does.
        let run = ok(db.run(&["--yes", "--actor", "cron", "-o", "json", "users", "disable", "--inactive", "90d"]), l);
        let done = run.json();
        assert!(run.stderr.contains("admin@example.com is the last enabled admin"), "{l}: {run}");
        assert_eq!(done["summary"]["disabled"], 3, "{l}: {done}");
        assert_eq!(done["summary"]["last_admin"], 1, "{l}");
        assert_eq!(action(&done, "admin@example.com").1, "last_admin", "{l}");
        for e in ["old@example.com", "never@example.com", "edge-old@example.com"] {
            assert!(disabled(&db, e), "{l}: {e} disabled");
        }
        for e in s.others.iter().filter(|e| **e != "gone@example.com").chain(["admin@example.com"].iter()) {
            assert!(!disabled(&db, e), "{l}: {e} left enabled");
        }
        let old = action(&done, "old@example.com");
        assert_eq!(old.0, "disabled", "{l}");
        let old_json = done["accounts"].as_array().unwrap().iter().find(|a| a["email"] == "old@example.com").unwrap();
        assert_eq!(old_json["tokens_revoked"], 1, "{l}");
        assert_eq!(old_json["sessions_invalidated"], 1, "{l}");
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM refresh_tokens WHERE is_revoked = false"),
            0,
            "{l}: tokens revoked"
        );
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM login_sessions WHERE is_active = true"),
            0,
            "{l}: sessions deactivated"
        );
        // `users enable` restores the hash it had: the marker is the `users disable` one.
        let restored = ok(db.run(&["-o", "json", "users", "enable", "never@example.com"]), l).json();
        assert_eq!(restored["status"], "active", "{l}");
        assert!(
            hashes(&db).contains(&format!("never@example.com {HASH}")),
            "{l}: the original hash is back"
        );
        // One audit event per disabled account, with the dormancy as the reason.
        let events = ok(db.run(&["-o", "json", "audit", "list", "--action", "user.disable"]), l).json();
        let events = events.as_array().unwrap();
        assert_eq!(events.len(), 3, "{l}: {events:?}");
        for e in events {
            assert_eq!(e["actor"], "cron", "{l}");
            let reason = e["detail"]["reason"].as_str().unwrap();
            assert!(reason.ends_with("(> 90d)"), "{l}: {reason}");
        }
        let never = events.iter().find(|e| e["user_email"] == "never@example.com").unwrap();
        assert!(never["detail"]["reason"].as_str().unwrap().starts_with("never logged in, created "), "{l}: {never}");
        let old = events.iter().find(|e| e["user_email"] == "old@example.com").unwrap();
        assert!(old["detail"]["reason"].as_str().unwrap().starts_with("inactive since "), "{l}: {old}");
        assert_eq!(old["detail"]["tokens_revoked"], 1, "{l}");

        // Run again (a re-run after an interruption): only never@ (enabled again)
        // is a candidate; cron's --quiet prints nothing.
        let again = ok(db.run(&["--yes", "--quiet", "users", "disable", "--inactive", "90d"]), l);
        assert!(again.stdout.is_empty() && again.stderr.is_empty(), "{l}: {again}");
        assert!(disabled(&db, "never@example.com"), "{l}");
        let third = ok(db.run(&["-o", "json", "users", "disable", "--inactive", "90d"]), l).json();
        assert_eq!(third["summary"]["disabled"], 0, "{l}: {third}");
        assert_eq!(third["summary"]["candidates"], 1, "{l}: only the last admin is left");
    }
}

per_backend! {
    fn disable_inactive_honours_exclude_and_role(db: migrated) {
        let l = db.label();
        seed(&db);
        // A second admin: now one admin may go.
        user(&db, "boss@example.com", "admin", &ago(&db, "10 days"), &ago(&db, "1 hour"));
        let table = ok(
            db.run(&["--yes", "users", "disable", "--inactive", "90d", "--role", "user",
                     "--exclude", "OLD@Example.COM"]),
            l,
        );
        assert!(table.stdout.contains("excluded"), "{l}: {table}");
        assert!(!disabled(&db, "old@example.com"), "{l}: excluded in any letter case");
        assert!(disabled(&db, "edge-old@example.com"), "{l}");
        assert!(!disabled(&db, "never@example.com"), "{l}: premium left by --role user");
        assert!(!disabled(&db, "admin@example.com"), "{l}: admin left by --role user");
        let admins = ok(db.run(&["-o", "json", "users", "disable", "--inactive", "90d", "--role", "admin", "--yes"]), l).json();
        assert_eq!(admins["summary"]["disabled"], 1, "{l}: {admins}");
        assert!(disabled(&db, "admin@example.com"), "{l}: not the last admin any more");
        // Bad filters: usage errors, nothing changed.
        let before = hashes(&db);
        db.run(&["--yes", "users", "disable", "--inactive", "90d", "--role", "root"]).expect_code(64, "bad role");
        db.run(&["--yes", "users", "disable", "--inactive", "90d", "--exclude", "nope"]).expect_code(64, "bad email");
        db.run(&["--yes", "users", "disable", "old@example.com", "--inactive", "90d"]).expect_code(64, "both");
        db.run(&["--yes", "users", "disable", "old@example.com", "--dry-run"]).expect_code(64, "dry-run alone");
        db.run(&["--yes", "users", "disable", "--inactive", "90d", "--allow-no-admin"]).expect_code(64, "override");
        assert_eq!(hashes(&db), before, "{l}");
    }
}

per_backend! {
    fn disable_inactive_in_small_batches_logs_each_batch(db: migrated) {
        let l = db.label();
        seed(&db);
        let r = ok(
            db.run(&["-v", "--yes", "-o", "json", "users", "disable", "--inactive", "90d", "--batch-size", "1"]),
            l,
        );
        let j = r.json();
        assert_eq!(j["summary"]["disabled"], 3, "{l}: {r}");
        assert_eq!(j["summary"]["batches"], 4, "{l}: one transaction per account");
        assert!(r.stderr.contains("batch 4: 1 accounts in"), "{l}: {r}");
    }
}

per_backend! {
    fn stats_counts_dormant_users_in_every_format(db: migrated) {
        let l = db.label();
        seed(&db);
        let j = ok(db.run(&["-o", "json", "stats"]), l).json();
        assert_eq!(j["dormant"]["after"], "90d", "{l}");
        assert_eq!(j["dormant"]["after_seconds"], 90 * 86_400, "{l}");
        assert_eq!(j["dormant"]["users"], 4, "{l}: {}", j["dormant"]);
        let p = ok(db.run(&["stats", "--prometheus"]), l);
        assert!(p.stdout.contains("# TYPE authctl_users_dormant gauge\n"), "{l}");
        assert!(p.stdout.contains("\nauthctl_users_dormant{after=\"90d\"} 4\n"), "{l}: {p}");
        let csv = ok(db.run(&["-o", "csv", "stats"]), l);
        assert!(csv.stdout.contains("authctl_users_dormant,after=90d,4"), "{l}: {csv}");
        let table = ok(db.run(&["stats"]), l);
        assert!(table.stdout.contains("dormant users (no login for 90d)"), "{l}: {table}");
        // The window is a setting.
        let r = common::run(db.authctl().env("AUTHCTL_DORMANT_AFTER", "150d").args(["stats", "--prometheus"]));
        assert!(r.stdout.contains("\nauthctl_users_dormant{after=\"150d\"} 1\n"), "{l}: {r}");
        let bad = common::run(db.authctl().env("AUTHCTL_DORMANT_AFTER", "90").args(["stats"]));
        assert_eq!(bad.code, 78, "{l}: {bad}");
        let cfg = common::run(db.authctl().env("AUTHCTL_DORMANT_AFTER", "45d").args(["-o", "json", "config"]));
        assert!(cfg.stdout.contains("dormant_after"), "{l}: {cfg}");
    }
}

/// The application refuses a disabled dormant user: its login (bcryptjs) and the
/// refresh token it was issued.
#[test]
fn the_application_refuses_a_disabled_dormant_user() {
    if !common::has_app() {
        return;
    }
    let Some(pg) = PgDb::create() else {
        return;
    };
    let url = pg.url.clone();
    let authctl = |args: &[&str], stdin: &str| {
        common::run(
            common::authctl()
                .arg("--database-url")
                .arg(&url)
                .args(args)
                .write_stdin(stdin),
        )
    };
    authctl(&["migrate"], "").expect_code(0, "migrate");
    const PASSWORD: &str = "Correct horse 42 battery";
    for email in ["sleepy@example.com", "awake@example.com"] {
        authctl(
            &["users", "create", email, "--password-stdin"],
            &format!("{PASSWORD}\n"),
        )
        .expect_code(0, "create");
    }
    let session = app(
        &pg.url,
        &["login", "sleepy@example.com"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(session.code, 0, "login: {}", session.stderr);
    let refresh = session.json["refreshToken"].as_str().unwrap().to_owned();
    // sleepy@ last logged in 100 days ago; awake@ just now. (Set here, not by a
    // login of awake@: the application's refresh JWT carries only the user id and
    // second-granular times, so the same user's second login within one second
    // collides with the first token on the unique `token` column.)
    pg.psql(
        "UPDATE users SET last_login = now() - interval '100 days', created_at = now() - interval '1 year' \
         WHERE email = 'sleepy@example.com'",
    );
    pg.psql(
        "UPDATE users SET last_login = now(), created_at = now() - interval '1 year' \
         WHERE email = 'awake@example.com'",
    );
    let r = authctl(
        &[
            "--yes",
            "-o",
            "json",
            "users",
            "disable",
            "--inactive",
            "90d",
        ],
        "",
    )
    .expect_code(0, "disable --inactive");
    assert_eq!(r.json()["summary"]["disabled"], 1, "{r}");
    assert_eq!(
        app(
            &pg.url,
            &["login", "sleepy@example.com"],
            &format!("{PASSWORD}\n")
        )
        .code,
        1,
        "a disabled dormant user cannot log in"
    );
    assert_eq!(
        app(&pg.url, &["refresh", &refresh], "").code,
        1,
        "its token is refused"
    );
    assert_eq!(
        app(
            &pg.url,
            &["login", "awake@example.com"],
            &format!("{PASSWORD}\n")
        )
        .code,
        0,
        "an active user still logs in"
    );
}
