//! Faults: concurrent changes of one user, unreachable and silent servers, `kill -9`
//! inside a migration or a user change, a locked SQLite file, a restarted PostgreSQL
//! server, and secrets never in argv, output, the audit trail or a connection error.

use crate::common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

use authctl::db::{DbConn, UserId, UtcDateTime};
use authctl::password::{self, PasswordHasher};
use authctl::repo::{self, NewRefreshToken, NewSession, NewUser};
use serde_json::Value;

use crate::common::{Background, Run, TestDb, count, query_strings, run, spawnable, wait_until};

/// A valid bcrypt hash (of an unknown password) for users made by the library.
const FAKE_HASH: &str = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

/// Distinct, policy-compliant passwords (one per concurrent reset).
const PASSWORDS: [&str; 3] = [
    "Pelican orbit 7 marmalade",
    "Quokka ledger 42 saffron",
    "Walrus cinema 9 thistle",
];

/// The password of every database URL in these tests: it must never be shown.
const URL_SECRET: &str = "S3cretPw";

// ---------------------------------------------------------------------------------
// Running authctl

/// A TCP port on 127.0.0.1 that nothing listens on (bound, then released).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().unwrap().port()
}

/// Whether process `pid` has a file whose path ends with `suffix` open.
fn has_open(pid: u32, suffix: &str) -> bool {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|fds| {
            fds.filter_map(Result::ok).any(|fd| {
                std::fs::read_link(fd.path()).is_ok_and(|p| p.to_string_lossy().ends_with(suffix))
            })
        })
        .unwrap_or(false)
}

// ---------------------------------------------------------------------------------
// Seeding and inspection

fn add_session(conn: &mut DbConn, user_id: UserId) {
    let mut new = NewSession::new(user_id, chrono::Duration::hours(1));
    new.ip_address = Some("192.0.2.1".parse().unwrap());
    repo::login_sessions::create(conn, &new).expect("create session");
}

fn add_token(conn: &mut DbConn, user_id: UserId) {
    let raw = format!("refresh-{}-{}", user_id, uuid::Uuid::new_v4().simple());
    let new = NewRefreshToken::new(
        user_id,
        &raw,
        UtcDateTime::now() + chrono::Duration::days(7),
    );
    repo::refresh_tokens::create(conn, &new).expect("store token");
}

/// A user (a bcrypt hash of an unknown password) with `n` active login sessions
/// and `n` active refresh tokens.
fn user_with_credentials(conn: &mut DbConn, email: &str, n: usize) -> UserId {
    let id = NewUser::new(email, FAKE_HASH)
        .insert(conn)
        .expect("insert user")
        .id;
    for _ in 0..n {
        add_session(conn, id);
        add_token(conn, id);
    }
    id
}

/// Sessions and tokens of a user the application would still accept (its flags:
/// `is_active = true`, `is_revoked = false`), plus revoked tokens without a
/// `revoked_at` (a revocation must record when).
fn active_credentials(db: &TestDb, user_id: UserId) -> i64 {
    count(
        db,
        &format!(
            "SELECT (SELECT count(*) FROM login_sessions WHERE user_id = '{user_id}' AND is_active = true) \
                  + (SELECT count(*) FROM refresh_tokens WHERE user_id = '{user_id}' \
                     AND (is_revoked = false OR revoked_at IS NULL)) AS n"
        ),
    )
}

fn events(db: &TestDb, user_id: UserId, action: &str) -> Vec<Value> {
    query_strings(
        db,
        &format!(
            "SELECT COALESCE(detail, '{{}}') AS v FROM authctl_audit_events \
             WHERE user_id = '{user_id}' AND action = '{action}' ORDER BY id"
        ),
    )
    .iter()
    .map(|d| serde_json::from_str(d).expect("detail is JSON"))
    .collect()
}

fn stored_hash(db: &TestDb, user_id: UserId) -> String {
    query_strings(
        db,
        &format!("SELECT password_hash AS v FROM users WHERE id = '{user_id}'"),
    )
    .remove(0)
}

/// Disabled: the stored hash carries the disabled marker, so no password verifies.
fn is_disabled(db: &TestDb, user_id: UserId) -> bool {
    password::is_disabled(&stored_hash(db, user_id))
}

/// Whether `password` is the one behind a stored hash (also a disabled one).
fn verifies(password: &str, stored: &str) -> bool {
    PasswordHasher::default()
        .verify(password.as_bytes(), password::enabled_form(stored))
        .expect("stored hash is a bcrypt or argon2 hash")
}

/// Every audit event as one text (actor, action, detail).
fn audit_text(db: &TestDb) -> String {
    query_strings(
        db,
        "SELECT actor || ' ' || action || ' ' || COALESCE(detail, '') AS v FROM authctl_audit_events ORDER BY id",
    )
    .join("\n")
}

// ---------------------------------------------------------------------------------
// Concurrency: reset-password and disable of one user at once

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Reset(usize),
    Disable,
}

/// A failure a concurrent run may end with: exit 75 saying why.
fn acceptable_failure(r: &Run) -> bool {
    let msg = r.stderr.to_lowercase();
    r.code == 75
        && ["locked", "busy", "deadlock", "timeout", "retry"]
            .iter()
            .any(|w| msg.contains(w))
}

/// Start every op at once (a barrier releases the spawning threads together; each
/// disable waits `disable_delay` more), and collect the runs.
fn race(db: &TestDb, email: &str, ops: &[Op], disable_delay: Duration) -> Vec<(Op, Run)> {
    let barrier = Arc::new(Barrier::new(ops.len()));
    let handles: Vec<_> = ops
        .iter()
        .map(|&op| {
            let mut cmd = db.authctl();
            cmd.args(["--actor", "racer"]);
            match op {
                Op::Reset(i) => {
                    cmd.env("NEW_PW", PASSWORDS[i])
                        .args(["users", "reset-password", email])
                        .args(["--password-env", "NEW_PW"]);
                }
                Op::Disable => {
                    cmd.args(["users", "disable", email, "--reason", "race"]);
                }
            }
            let mut cmd = spawnable(&cmd);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                if op == Op::Disable {
                    std::thread::sleep(disable_delay);
                }
                let started = Instant::now();
                let out = cmd.output().expect("run authctl");
                (op, Run::from_output(out, started.elapsed()))
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

/// Check the outcome of a race over `user_id` (which had `credentials` active
/// sessions plus tokens): consistent whatever order the commands ran in.
fn check_race(db: &TestDb, label: &str, user_id: UserId, credentials: i64, runs: &[(Op, Run)]) {
    let shown = || {
        runs.iter()
            .map(|(op, r)| format!("{op:?}: {r}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for (op, r) in runs {
        assert!(
            r.code == 0 || acceptable_failure(r),
            "{label}: {op:?} ended badly\n{}",
            shown()
        );
        for pw in PASSWORDS {
            assert!(!r.all().contains(pw), "{label}: {op:?} printed a password");
        }
    }
    let ok = |want: fn(&Op) -> bool| {
        runs.iter()
            .filter(|(op, r)| want(op) && r.code == 0)
            .map(|(op, _)| *op)
            .collect::<Vec<_>>()
    };
    let resets = ok(|op| matches!(op, Op::Reset(_)));
    let disables = ok(|op| *op == Op::Disable).len();
    assert!(
        !resets.is_empty() && disables > 0,
        "{label}: the race needs at least one successful reset and disable\n{}",
        shown()
    );

    // The user is disabled (a reset after the disable keeps it disabled), and
    // every credential was ended.
    assert!(is_disabled(db, user_id), "{label}: user not disabled");
    assert_eq!(
        active_credentials(db, user_id),
        0,
        "{label}: active credentials left"
    );

    // The stored hash is exactly one of the successful resets' passwords.
    let hash = stored_hash(db, user_id);
    let matching: Vec<&str> = PASSWORDS
        .iter()
        .copied()
        .filter(|pw| verifies(pw, &hash))
        .collect();
    assert_eq!(matching.len(), 1, "{label}: hash matches {matching:?}");
    assert!(
        resets
            .iter()
            .any(|op| *op == Op::Reset(PASSWORDS.iter().position(|p| *p == matching[0]).unwrap())),
        "{label}: the stored password comes from a failed reset\n{}",
        shown()
    );

    // One audit event per change: every successful reset, and the one disable that
    // changed the user (the others report "already disabled" and write nothing).
    let reset_events = events(db, user_id, "user.reset_password");
    let disable_events = events(db, user_id, "user.disable");
    assert_eq!(
        reset_events.len(),
        resets.len(),
        "{label}: user.reset_password events\n{}",
        shown()
    );
    assert_eq!(
        disable_events.len(),
        1,
        "{label}: user.disable events (the user was disabled once) {disable_events:?}\n{}",
        shown()
    );
    let already = runs
        .iter()
        .filter(|(op, r)| *op == Op::Disable && r.code == 0)
        .filter(|(_, r)| r.stderr.contains("already disabled"))
        .count();
    assert_eq!(
        already,
        disables - 1,
        "{label}: every successful disable but one says \"already disabled\"\n{}",
        shown()
    );
    let ended: i64 = reset_events
        .iter()
        .chain(&disable_events)
        .map(|d| {
            d["sessions_invalidated"].as_i64().unwrap() + d["tokens_revoked"].as_i64().unwrap()
        })
        .sum();
    assert_eq!(
        ended, credentials,
        "{label}: the audit trail counts each revocation once"
    );
}

per_backend! {
    /// Several `users reset-password` and `users disable` processes of one user at once,
    /// in three interleavings (disables together with the resets, then later so they
    /// land while the resets hash and write).
    fn concurrent_reset_password_and_disable_of_one_user(db) {
        let ops = [
            Op::Reset(0),
            Op::Disable,
            Op::Reset(1),
            Op::Disable,
            Op::Reset(2),
            Op::Disable,
        ];
        let mut conn = db.migrated();
        for (round, delay_ms) in [0u64, 30, 60].into_iter().enumerate() {
            let label = format!("{} round {round}", db.label());
            let email = format!("target{round}@example.com");
            let id = user_with_credentials(&mut conn, &email, 3);
            let runs = race(&db, &email, &ops, Duration::from_millis(delay_ms));
            check_race(&db, &label, id, 6, &runs);
        }
    }
}

/// authctl sessions of this test database waiting for a lock.
fn waiting_for_locks(db: &TestDb) -> i64 {
    count(
        db,
        "SELECT count(*) AS n FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name LIKE 'authctl@%' \
         AND wait_event_type = 'Lock'",
    )
}

/// The application holds a lock on a user's session rows (e.g. touching one) while
/// three operators disable that user: all three queue (one behind the session
/// rows, two behind it on the user row) and go on when the application commits.
/// The user must be disabled once — one `user.disable` event, the other two
/// "already disabled" — not three times.
#[test]
fn disables_queued_behind_an_application_lock_disable_once() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let mut conn = db.migrated();
    let id = user_with_credentials(&mut conn, "queued@example.com", 2);
    let mut app = db.connect();
    app.batch_execute(&format!(
        "BEGIN; SELECT session_id FROM login_sessions WHERE user_id = '{id}' FOR UPDATE"
    ))
    .unwrap();
    let runs: Vec<(Op, Background)> = (0..3)
        .map(|_| {
            let mut cmd = db.authctl();
            cmd.args(["users", "disable", "queued@example.com"]);
            (Op::Disable, Background::spawn(&mut spawnable(&cmd)))
        })
        .collect();
    wait_until("three authctl sessions waiting for a lock", || {
        waiting_for_locks(&db) == 3
    });
    assert!(!is_disabled(&db, id), "nothing committed while queued");
    app.batch_execute("COMMIT").unwrap();
    let runs: Vec<(Op, Run)> = runs.into_iter().map(|(op, bg)| (op, bg.finish())).collect();
    for (_, r) in &runs {
        assert_eq!(r.code, 0, "{r}");
    }
    let disable_events = events(&db, id, "user.disable");
    let already = runs
        .iter()
        .filter(|(_, r)| r.stderr.contains("already disabled"))
        .count();
    assert_eq!(
        (disable_events.len(), already),
        (1, 2),
        "one disable, two \"already disabled\"; events: {disable_events:?}\n{}",
        runs.iter()
            .map(|(_, r)| r.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        (
            disable_events[0]["sessions_invalidated"].as_i64(),
            disable_events[0]["tokens_revoked"].as_i64()
        ),
        (Some(2), Some(2)),
        "{disable_events:?}"
    );
    assert!(is_disabled(&db, id));
    assert_eq!(active_credentials(&db, id), 0);
}

/// A disable and a reset-password of one user that meet while the application holds
/// a lock on the user's refresh tokens: the disable has changed the user row and
/// waits for the tokens; the reset waits for the user row. When the application
/// commits, both must finish (in some order) — not deadlock, which PostgreSQL
/// resolves by failing one of them.
#[test]
fn reset_and_disable_queued_behind_an_application_lock_do_not_deadlock() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let mut conn = db.migrated();
    let id = user_with_credentials(&mut conn, "crossed@example.com", 2);
    let mut app = db.connect();
    app.batch_execute(&format!(
        "BEGIN; SELECT id FROM refresh_tokens WHERE user_id = '{id}' FOR UPDATE"
    ))
    .unwrap();
    let mut disable = db.authctl();
    disable.args(["users", "disable", "crossed@example.com"]);
    let disable = Background::spawn(&mut spawnable(&disable));
    wait_until("the disable waiting", || waiting_for_locks(&db) == 1);
    let mut reset = db.authctl();
    reset.env("NEW_PW", PASSWORDS[0]).args([
        "users",
        "reset-password",
        "crossed@example.com",
        "--password-env",
        "NEW_PW",
    ]);
    let reset = Background::spawn(&mut spawnable(&reset));
    wait_until("the reset waiting too", || waiting_for_locks(&db) == 2);
    app.batch_execute("COMMIT").unwrap();
    let disable = disable.finish();
    let reset = reset.finish();
    assert_eq!(
        (disable.code, reset.code),
        (0, 0),
        "disable:\n{disable}\nreset:\n{reset}"
    );
    assert!(is_disabled(&db, id), "the reset keeps the user disabled");
    assert!(verifies(PASSWORDS[0], &stored_hash(&db, id)));
    assert_eq!(active_credentials(&db, id), 0);
}

// ---------------------------------------------------------------------------------
// Faults: kill -9 inside a user change

/// `users disable` and `users reset-password` each change the user row, revoke the
/// refresh tokens and deactivate the login sessions in one transaction. Killed with
/// SIGKILL inside it — seen holding its lock on the user's tokens (already revoked
/// in its transaction) while waiting for the sessions the application holds — the
/// whole change is gone: same hash, tokens and sessions still active, no audit
/// event. A rerun then does all of it.
#[test]
fn kill_9_inside_a_user_change_leaves_nothing_half_done() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let mut conn = db.migrated();
    for reset in [false, true] {
        let email = format!("half{}@example.com", u8::from(reset));
        let id = user_with_credentials(&mut conn, &email, 2);
        let hash_before = stored_hash(&db, id);
        let what = if reset { "reset-password" } else { "disable" };
        let mut app = db.connect();
        app.batch_execute(&format!(
            "BEGIN; SELECT session_id FROM login_sessions WHERE user_id = '{id}' FOR UPDATE"
        ))
        .unwrap();
        let mut cmd = db.authctl();
        cmd.env("NEW_PW", PASSWORDS[1]);
        if reset {
            cmd.args([
                "users",
                "reset-password",
                &email,
                "--password-env",
                "NEW_PW",
            ]);
        } else {
            cmd.args(["users", "disable", &email]);
        }
        let mut child = Background::spawn(&mut spawnable(&cmd));
        // Mid-operation: waiting for the sessions' lock while holding the row locks
        // of its own updates of the user and the tokens.
        wait_until(&format!("{what} waiting for the sessions"), || {
            count(
                &db,
                "SELECT count(*) AS n FROM pg_stat_activity a \
                 WHERE a.datname = current_database() AND a.application_name LIKE 'authctl@%' \
                 AND a.wait_event_type = 'Lock' AND a.query ILIKE '%login_sessions%' \
                 AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.granted \
                             AND l.relation = 'refresh_tokens'::regclass AND l.mode = 'RowExclusiveLock') \
                 AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.granted \
                             AND l.relation = 'users'::regclass AND l.mode = 'RowExclusiveLock')",
            ) == 1
        });
        assert!(child.is_running(), "{what}");
        let backend = waiting_backend(&db);
        child.kill9();
        app.batch_execute("ROLLBACK").unwrap();
        drop(app);
        wait_for_backend_to_end(&db, backend);
        assert_eq!(stored_hash(&db, id), hash_before, "{what}: hash changed");
        assert_eq!(active_credentials(&db, id), 4, "{what}: credentials ended");
        assert!(
            events(&db, id, "user.disable").is_empty()
                && events(&db, id, "user.reset_password").is_empty(),
            "{what}: audit event of a change that did not happen"
        );

        let r = run(&mut cmd);
        assert_eq!(r.code, 0, "{what} rerun\n{r}");
        assert_eq!(active_credentials(&db, id), 0, "{what} rerun");
        assert_eq!(is_disabled(&db, id), !reset, "{what} rerun");
        if reset {
            assert!(verifies(PASSWORDS[1], &stored_hash(&db, id)));
        }
    }
}

// ---------------------------------------------------------------------------------
// Faults: the database is unreachable

/// URLs that cannot work, each with the password [`URL_SECRET`], and what the error
/// must name. The silent server accepts TCP connections and never answers: only
/// the connect timeout ends the attempt. The listener is returned to keep it open.
fn unreachable_urls() -> (TcpListener, Vec<(&'static str, String, &'static str)>) {
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let silent_port = silent.local_addr().unwrap().port();
    let mut v = vec![
        (
            "closed port",
            format!("postgres://app:{URL_SECRET}@127.0.0.1:{}/auth", free_port()),
            "Connection refused",
        ),
        (
            "unknown host",
            format!("postgres://app:{URL_SECRET}@no-such-host.invalid:5432/auth"),
            "no-such-host.invalid",
        ),
        (
            "silent server",
            format!("postgres://app:{URL_SECRET}@127.0.0.1:{silent_port}/auth"),
            "timeout",
        ),
    ];
    if let Some(admin) = common::pg_admin_url() {
        let mut u = url::Url::parse(&admin).unwrap();
        u.set_username("nobody_xyz").unwrap();
        u.set_password(Some(URL_SECRET)).unwrap();
        v.push(("unknown user", u.to_string(), "nobody_xyz"));
        let mut u = url::Url::parse(&admin).unwrap();
        u.set_password(Some(URL_SECRET)).unwrap();
        u.set_path("/authctl_no_such_database");
        v.push((
            "unknown database",
            u.to_string(),
            "authctl_no_such_database",
        ));
    }
    (silent, v)
}

/// Every way of not reaching PostgreSQL, through a command that reads, one that
/// writes and `migrate status`: exit 69 naming what failed (a silent server ends by
/// the connect timeout, not a hang), the password redacted everywhere (also with
/// `-vv`); `config` shows the URL redacted.
#[test]
fn unreachable_database_is_a_clear_redacted_error() {
    let (_silent, urls) = unreachable_urls();
    for (what, url, names) in urls {
        let commands: [&[&str]; 4] = [
            &["migrate", "status"],
            &["users", "list"],
            &["-vv", "users", "disable", "a@example.com"],
            &["-o", "json", "sessions", "list"],
        ];
        for args in commands {
            let r = run(common::authctl()
                .args(["--database-url", &url, "--connect-timeout", "2s"])
                .args(args));
            let label = format!("{what}: {args:?}");
            assert_eq!(r.code, 69, "{label}\n{r}");
            assert!(
                r.stderr.contains("cannot connect to PostgreSQL") && r.stderr.contains(names),
                "{label}: says what failed\n{r}"
            );
            assert!(
                r.stderr.contains(":***@"),
                "{label}: redacted URL shown\n{r}"
            );
            assert!(
                !r.all().contains(URL_SECRET),
                "{label}: password shown\n{r}"
            );
            assert_eq!(r.stdout, "", "{label}: stdout");
        }
        for format in ["table", "json", "csv"] {
            let r = run(common::authctl().args(["--database-url", &url, "-o", format, "config"]));
            assert_eq!(r.code, 0, "{what}: config\n{r}");
            assert!(
                r.stdout.contains(":***@"),
                "{what}: config -o {format}\n{r}"
            );
            assert!(
                !r.all().contains(URL_SECRET),
                "{what}: config -o {format}\n{r}"
            );
        }
        // The same URL from the environment and from a .env file.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".env"), format!("DATABASE_URL={url}\n")).unwrap();
        for env_file in [false, true] {
            let mut cmd = common::authctl();
            if env_file {
                cmd.current_dir(dir.path());
            } else {
                cmd.env("DATABASE_URL", &url);
            }
            let r = run(cmd.args(["--connect-timeout", "2s", "-vv", "users", "list"]));
            assert_eq!(r.code, 69, "{what} (env file {env_file})\n{r}");
            assert!(!r.all().contains(URL_SECRET), "{what}: password shown\n{r}");
        }
    }
}

/// The application's own variables (`USE_POSTGRES` + `DB_*`) pointing at a host
/// that does not exist: the same clear, redacted error.
#[test]
fn unreachable_database_from_seed_variables_is_redacted() {
    let r = run(common::authctl()
        .env("USE_POSTGRES", "true")
        .env("DB_HOST", "no-such-host.invalid")
        .env("DB_NAME", "auth")
        .env("DB_USER", "app")
        .env("DB_PASSWORD", format!("{URL_SECRET}/#?@:"))
        .args(["--connect-timeout", "2s", "-vv", "users", "list"]));
    assert_eq!(r.code, 69, "{r}");
    assert!(r.stderr.contains("no-such-host.invalid"), "{r}");
    assert!(!r.all().contains(URL_SECRET), "{r}");
}

// ---------------------------------------------------------------------------------
// Faults: kill -9 during a migration

/// authctl's own migrations recorded in diesel's table (none before it exists).
fn migration_versions(db: &TestDb) -> Vec<String> {
    if !table_exists(db, "__diesel_schema_migrations") {
        return Vec::new();
    }
    query_strings(
        db,
        "SELECT CAST(version AS TEXT) AS v FROM __diesel_schema_migrations ORDER BY version",
    )
}

fn backend(db: &TestDb) -> authctl::db::Backend {
    if db.is_postgres() {
        authctl::db::Backend::Postgres
    } else {
        authctl::db::Backend::Sqlite
    }
}

fn embedded_versions(db: &TestDb) -> Vec<String> {
    authctl::db::migrations::embedded(backend(db))
        .iter()
        .map(|m| m.version())
        .collect()
}

fn table_exists(db: &TestDb, table: &str) -> bool {
    authctl::db::migrations::table_exists(&mut db.connect(), table).expect("table_exists")
}

/// The application's steps created and recorded, authctl's own migrations
/// reverted (pending) — through the binary.
fn migrate_all_but_authctls_own(db: &TestDb) {
    let r = run(db.authctl().arg("migrate"));
    assert_eq!(r.code, 0, "{r}");
    let own = authctl::db::migrations::embedded(backend(db)).len();
    let r = run(db
        .authctl()
        .args(["--yes", "migrate", "revert", "--steps"])
        .arg(own.to_string()));
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stdout.contains("create_authctl_audit_events"), "{r}");
    assert!(!table_exists(db, "authctl_audit_events"));
    assert!(table_exists(db, "users"), "application steps are kept");
    assert_eq!(migration_versions(db), Vec::<String>::new());
}

/// After the kill and a rerun: every application step recorded once in the
/// application's ledger and in authctl's, each own version exactly once with its
/// checksum, the tables there, `migrate --check` content.
fn assert_fully_migrated_once(db: &TestDb, label: &str) {
    assert_eq!(
        migration_versions(db),
        embedded_versions(db),
        "{label}: each version exactly once"
    );
    assert_eq!(
        count(
            db,
            "SELECT count(*) AS n FROM __authctl_migration_checksums"
        ),
        embedded_versions(db).len() as i64,
        "{label}: checksums"
    );
    let app: Vec<String> = authctl::db::migrations::embedded_app(backend(db))
        .iter()
        .map(|m| m.name.to_owned())
        .collect();
    assert_eq!(
        query_strings(
            db,
            "SELECT CAST(version AS TEXT) AS v FROM schema_migrations ORDER BY version"
        ),
        app,
        "{label}: the application's ledger lists each step once"
    );
    assert_eq!(
        query_strings(
            db,
            "SELECT CAST(version AS TEXT) AS v FROM __authctl_app_steps ORDER BY version"
        ),
        app,
        "{label}: authctl's record of the steps"
    );
    for table in [
        "users",
        "auth_attempts",
        "device_fingerprints",
        "refresh_tokens",
        "login_sessions",
        "authctl_audit_events",
    ] {
        assert!(table_exists(db, table), "{label}: {table}");
    }
    let r = run(db.authctl().args(["migrate", "--check"]));
    assert_eq!(r.code, 0, "{label}: migrate --check\n{r}");
}

/// The server pid of the one authctl session of this database waiting for a lock.
fn waiting_backend(db: &TestDb) -> i64 {
    count(
        db,
        "SELECT pid::bigint AS n FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name LIKE 'authctl@%' \
         AND wait_event_type = 'Lock'",
    )
}

/// Wait until the server session `pid` has ended (a killed client's session
/// notices once it stops waiting, and rolls back).
fn wait_for_backend_to_end(db: &TestDb, pid: i64) {
    wait_until(&format!("the killed client's session {pid} to end"), || {
        count(
            db,
            &format!("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = {pid}"),
        ) == 0
    });
}

/// Wait until no authctl session is left on this database (a killed client's
/// server session notices and ends, rolling back).
fn wait_for_authctl_sessions_to_end(db: &TestDb) {
    wait_until("the killed session to end", || {
        count(
            db,
            "SELECT count(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name LIKE 'authctl@%' \
             AND pid <> pg_backend_pid()",
        ) == 0
    });
}

/// PostgreSQL: `authctl migrate` blocks inside authctl's own migration's
/// transaction (the audit table's foreign key needs a lock on `users`, which
/// another session holds), is killed with SIGKILL there, and a rerun applies it
/// exactly once.
#[test]
fn kill_9_inside_authctls_own_postgres_migration_then_rerun() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    migrate_all_but_authctls_own(&db);
    let mut holder = db.connect();
    holder
        .batch_execute("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let mut cmd = db.authctl();
    cmd.env("AUTHCTL_LOCK_TIMEOUT", "10m").arg("migrate");
    let mut child = Background::spawn(&mut spawnable(&cmd));
    wait_until("authctl migrate waiting for the lock on users", || {
        count(
            &db,
            "SELECT count(*) AS n FROM pg_stat_activity \
             WHERE datname = current_database() AND application_name LIKE 'authctl@%' \
             AND wait_event_type = 'Lock' AND query ILIKE '%CREATE TABLE authctl_audit_events%'",
        ) == 1
    });
    assert!(child.is_running());
    child.kill9();
    holder.batch_execute("ROLLBACK").unwrap();
    drop(holder);
    wait_for_authctl_sessions_to_end(&db);
    assert_eq!(
        migration_versions(&db),
        Vec::<String>::new(),
        "half-applied migration"
    );
    assert!(
        !table_exists(&db, "authctl_audit_events"),
        "half-applied migration"
    );

    let r = run(db
        .authctl()
        .env("AUTHCTL_MIGRATE_LOCK_WAIT", "2m")
        .arg("migrate"));
    assert_eq!(r.code, 0, "rerun after kill -9\n{r}");
    assert!(
        r.stdout
            .contains("applied 2026-11-29-000001_create_authctl_audit_events"),
        "{r}"
    );
    assert_fully_migrated_once(&db, "postgres");
}

/// PostgreSQL, fresh database: `authctl migrate` creates the application's steps
/// in one transaction. It is killed with SIGKILL inside it — after step 005 has
/// created `users` in that transaction, while it waits to create the trigger
/// function another session is creating too — and nothing of the application
/// phase survives: no table, no ledger, no step record. A rerun creates every
/// step exactly once.
#[test]
fn kill_9_inside_the_application_steps_then_rerun() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let mut holder = db.connect();
    holder
        .batch_execute(
            "BEGIN; CREATE FUNCTION update_updated_at_column() RETURNS TRIGGER AS $f$ \
             BEGIN RETURN NEW; END; $f$ LANGUAGE plpgsql",
        )
        .unwrap();
    let mut cmd = db.authctl();
    cmd.env("AUTHCTL_LOCK_TIMEOUT", "10m").arg("migrate");
    let mut child = Background::spawn(&mut spawnable(&cmd));
    wait_until("authctl migrate blocked inside step 005", || {
        assert!(
            child.is_running(),
            "authctl migrate ended instead of waiting"
        );
        count(
            &db,
            "SELECT count(*) AS n FROM pg_stat_activity a \
             WHERE a.datname = current_database() AND a.application_name LIKE 'authctl@%' \
             AND a.wait_event_type = 'Lock' \
             AND a.query ILIKE '%CREATE TABLE IF NOT EXISTS users%' \
             AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.granted \
                         AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock')",
        ) == 1
    });
    assert!(child.is_running());
    child.kill9();
    holder.batch_execute("ROLLBACK").unwrap();
    drop(holder);
    wait_for_authctl_sessions_to_end(&db);
    for table in [
        "users",
        "schema_migrations",
        "__authctl_app_steps",
        "__diesel_schema_migrations",
    ] {
        assert!(
            !table_exists(&db, table),
            "{table} survived the killed migration"
        );
    }

    let r = run(db.authctl().args(["-o", "json", "migrate"]));
    assert_eq!(r.code, 0, "rerun after kill -9\n{r}");
    let report: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}\n{r}"));
    let app: Vec<&str> = authctl::db::migrations::embedded_app(authctl::db::Backend::Postgres)
        .iter()
        .map(|m| m.name)
        .collect();
    assert_eq!(report["created"], serde_json::json!(app), "{r}");
    assert_fully_migrated_once(&db, "postgres");
}

/// SQLite: another connection holds the write lock; `authctl migrate` — seen with
/// the database open, still running — waits for it inside the migration and is
/// killed with SIGKILL there; nothing is applied, and a rerun applies everything
/// once.
#[test]
fn kill_9_of_a_sqlite_migration_waiting_for_the_write_lock_then_rerun() {
    let db = TestDb::sqlite();
    migrate_all_but_authctls_own(&db);
    let mut holder = db.connect();
    holder.batch_execute("BEGIN IMMEDIATE").unwrap();
    let mut cmd = db.authctl();
    cmd.env("AUTHCTL_MIGRATE_LOCK_WAIT", "10m").arg("migrate");
    let mut child = Background::spawn(&mut spawnable(&cmd));
    let pid = child.pid();
    wait_until("authctl migrate with the database open", || {
        has_open(pid, "/auth.db")
    });
    // It cannot get past the write lock: still running, nothing applied.
    std::thread::sleep(Duration::from_millis(300));
    assert!(child.is_running(), "migrate should be waiting for the lock");
    child.kill9();
    assert_eq!(
        migration_versions(&db),
        Vec::<String>::new(),
        "nothing applied by the killed run"
    );
    holder.batch_execute("ROLLBACK").unwrap();
    drop(holder);

    let r = run(db.authctl().arg("migrate"));
    assert_eq!(r.code, 0, "rerun after kill -9\n{r}");
    assert!(
        r.stdout
            .contains("applied 2026-11-29-000001_create_authctl_audit_events"),
        "{r}"
    );
    assert_fully_migrated_once(&db, "sqlite");
}

// ---------------------------------------------------------------------------------
// Faults: a SQLite database locked by another writer

/// Snapshot of everything a command could change.
fn fingerprint(db: &TestDb) -> String {
    [
        "SELECT id || ' ' || email || ' ' || password_hash || ' ' || COALESCE(updated_at, '-') \
           || ' ' || COALESCE(reset_token, '-') AS v FROM users ORDER BY id",
        "SELECT session_id || ' ' || COALESCE(CAST(is_active AS TEXT), '-') || ' ' \
           || COALESCE(last_activity_at, '-') AS v FROM login_sessions ORDER BY session_id",
        "SELECT id || ' ' || COALESCE(CAST(is_revoked AS TEXT), '-') || ' ' || COALESCE(revoked_at, '-') \
           AS v FROM refresh_tokens ORDER BY id",
        "SELECT CAST(id AS TEXT) AS v FROM authctl_audit_events ORDER BY id",
    ]
    .iter()
    .map(|sql| query_strings(db, sql).join("\n"))
    .collect::<Vec<_>>()
    .join("\n--\n")
}

/// The message of a write that gave up on a locked SQLite file: the file, how long
/// authctl waited, the likely kind of holder, what to do — not just "database is
/// locked".
fn assert_names_the_sqlite_holder(db: &TestDb, r: &Run, waited: &str) {
    let file = db.url();
    let file = file.trim_start_matches("sqlite://");
    for part in [
        "database is locked",
        &format!("waited for {waited} (AUTHCTL_BUSY_TIMEOUT) for the write lock on "),
        &format!(
            "another process holds a write lock on {file} (the application or a sqlite3 shell? `fuser {file}` names it)"
        ),
        "retry once it is released",
    ] {
        assert!(r.stderr.contains(part), "says {part:?}\n{r}");
    }
}

/// A write that gives up on a locked SQLite file while a `purge-expired` runs on
/// it names the purge (from its lock beside the file) as the likely holder.
#[test]
fn sqlite_locked_while_a_purge_runs_names_the_purge() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    user_with_credentials(&mut conn, "ann@example.com", 1);
    drop(conn);
    let url = db.url();
    let file = PathBuf::from(url.trim_start_matches("sqlite://"));
    // The purge's lock, as a running purge-expired holds it (another process's
    // flock: this test's), and the write lock, as a purge batch holds it.
    let lock_path = file.with_file_name(format!(
        "{}.purge.lock",
        file.file_name().unwrap().to_string_lossy()
    ));
    let mut purge_lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&lock_path)
        .unwrap();
    purge_lock.lock().unwrap();
    purge_lock
        .write_all(b"authctl@cronhost:4242 since 2026-12-07T03:00:00Z")
        .unwrap();
    let mut holder = db.connect();
    holder.batch_execute("BEGIN IMMEDIATE").unwrap();
    let r = run(db.authctl().env("AUTHCTL_BUSY_TIMEOUT", "300ms").args([
        "users",
        "disable",
        "ann@example.com",
    ]));
    holder.batch_execute("ROLLBACK").unwrap();
    assert_eq!(r.code, 75, "{r}");
    assert!(
        r.stderr.contains(&format!(
            "authctl purge-expired is running on it (held by authctl@cronhost:4242 since \
             2026-12-07T03:00:00Z (lock file {})) and is the likely holder",
            lock_path.display()
        )),
        "{r}"
    );
    assert!(r.stderr.contains("retry once it is released"), "{r}");
    drop(purge_lock);
    // Released: the lock file alone (a purge that ended) names nobody.
    let mut holder = db.connect();
    holder.batch_execute("BEGIN IMMEDIATE").unwrap();
    let r = run(db.authctl().env("AUTHCTL_BUSY_TIMEOUT", "300ms").args([
        "users",
        "disable",
        "ann@example.com",
    ]));
    holder.batch_execute("ROLLBACK").unwrap();
    assert_eq!(r.code, 75, "{r}");
    assert_names_the_sqlite_holder(&db, &r, "300ms");
}

/// A `statement_timeout` the database (or the connection's options) sets is named
/// as such, with the statement that changes it — not mistaken for authctl's own.
/// A read and a write each wait for a lock the application holds until the
/// server's limit cancels them (exit 75).
#[test]
fn a_servers_statement_timeout_is_named_with_its_source() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let mut conn = db.migrated();
    user_with_credentials(&mut conn, "held@example.com", 1);
    drop(conn);
    let name = query_strings(&db, "SELECT current_database() AS v").remove(0);
    let mut app = db.connect();
    app.batch_execute("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    db.exec(&format!(
        "ALTER DATABASE \"{name}\" SET statement_timeout = '300ms'"
    ));
    for args in [
        &["users", "list"][..],
        &["users", "disable", "held@example.com"][..],
    ] {
        let r = run(db.authctl().args(args));
        assert_eq!(r.code, 75, "{args:?}: {r}");
        assert!(r.stderr.contains("statement timeout"), "{args:?}: {r}");
        assert!(
            r.stderr.contains(&format!(
                "the statement_timeout in force was 300ms, set for database {name} \
                 (`ALTER DATABASE {name} SET statement_timeout = '…'` changes it) — not authctl's own"
            )),
            "{args:?}: {r}"
        );
    }
    db.exec(&format!(
        "ALTER DATABASE \"{name}\" RESET statement_timeout"
    ));
    let r = run(db
        .authctl()
        .env("PGOPTIONS", "-c statement_timeout=250")
        .args(["users", "list"]));
    assert_eq!(r.code, 75, "{r}");
    assert!(
        r.stderr.contains(
            "the statement_timeout in force was 250ms, set by this connection's options \
             (PGOPTIONS or the URL's `options=-c statement_timeout=…`) — not authctl's own"
        ),
        "{r}"
    );
    app.batch_execute("ROLLBACK").unwrap();
    let r = run(db.authctl().args(["users", "list"]));
    assert_eq!(r.code, 0, "{r}");
}

/// Data-changing commands against a SQLite database another process holds the write
/// lock on: each waits at least the busy timeout (500 ms), then exits 75 saying the
/// database is locked, and writes nothing. After the lock is released they succeed.
#[test]
fn sqlite_locked_by_another_writer_waits_then_is_busy_and_writes_nothing() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    let ann = user_with_credentials(&mut conn, "ann@example.com", 2);
    drop(conn);
    let token = query_strings(
        &db,
        &format!("SELECT id AS v FROM refresh_tokens WHERE user_id = '{ann}' ORDER BY id LIMIT 1"),
    )
    .remove(0);
    let commands: [&[&str]; 6] = [
        &[
            "users",
            "create",
            "new@example.com",
            "--password-env",
            "NEW_PW",
        ],
        &[
            "users",
            "reset-password",
            "ann@example.com",
            "--password-env",
            "NEW_PW",
        ],
        &["users", "disable", "ann@example.com"],
        &["--yes", "sessions", "revoke", "--all-active"],
        &["tokens", "revoke", &token],
        &["purge-expired"],
    ];
    let before = fingerprint(&db);
    let mut holder = db.connect();
    holder.batch_execute("BEGIN IMMEDIATE").unwrap();
    for args in commands {
        if args == ["purge-expired"] {
            continue;
        }
        let r = run(db
            .authctl()
            .env("AUTHCTL_BUSY_TIMEOUT", "500ms")
            .env("NEW_PW", PASSWORDS[0])
            .args(args));
        assert_eq!(r.code, 75, "{args:?}\n{r}");
        assert_names_the_sqlite_holder(&db, &r, "500ms");
        assert!(
            r.elapsed >= Duration::from_millis(500),
            "{args:?}: gave up after {:?}, before the 500ms busy timeout",
            r.elapsed
        );
        assert!(!r.all().contains(PASSWORDS[0]), "{args:?}: password shown");
    }
    holder.batch_execute("ROLLBACK").unwrap();
    drop(holder);
    assert_eq!(
        fingerprint(&db),
        before,
        "something was written while locked"
    );

    for args in commands {
        let r = run(db.authctl().env("NEW_PW", PASSWORDS[0]).args(args));
        assert_eq!(r.code, 0, "{args:?} after the lock is released\n{r}");
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 2);
    assert!(is_disabled(&db, ann));
    assert_eq!(active_credentials(&db, ann), 0);
}

/// `purge-expired` against a SQLite database another process holds the write lock
/// on: like every writer it waits the busy timeout, gives up with 75 ("locked")
/// and deletes nothing; once the lock is released it purges.
#[test]
fn sqlite_locked_purge_waits_the_busy_timeout_then_gives_up() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    let id = user_with_credentials(&mut conn, "ann@example.com", 2);
    db.exec(&format!(
        "UPDATE login_sessions SET created_at = '2000-01-01 00:00:00.000000', \
         expires_at = '2001-01-01 00:00:00.000000' WHERE user_id = '{id}'"
    ));
    drop(conn);
    let before = fingerprint(&db);
    let mut holder = db.connect();
    holder.batch_execute("BEGIN IMMEDIATE").unwrap();
    let r = run(db
        .authctl()
        .env("AUTHCTL_BUSY_TIMEOUT", "500ms")
        .arg("purge-expired"));
    holder.batch_execute("ROLLBACK").unwrap();
    assert_eq!(r.code, 75, "{r}");
    assert_names_the_sqlite_holder(&db, &r, "500ms");
    assert_eq!(fingerprint(&db), before, "deleted while locked");
    assert!(
        r.elapsed >= Duration::from_millis(500),
        "AUTHCTL_BUSY_TIMEOUT=500ms, but purge-expired gave up after {:?}",
        r.elapsed
    );
    let r = run(db.authctl().args(["-o", "json", "purge-expired"]));
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        count(&db, "SELECT count(*) AS n FROM login_sessions"),
        0,
        "{r}"
    );
}

// ---------------------------------------------------------------------------------
// Faults: PostgreSQL restarted between two commands

/// The directory with this machine's PostgreSQL server binaries (`initdb`,
/// `pg_ctl`): `pg_config --bindir`, else the newest `/usr/lib/postgresql/*/bin`.
/// Panics — CI must fail, not skip — when there is none, or `runuser` is missing.
fn pg_bindir() -> PathBuf {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let mut candidates = Vec::new();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        candidates.push(PathBuf::from(
            String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        ));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| {
                    let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
                    Some((v, e.path().join("bin")))
                })
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    candidates.extend(versions.into_iter().rev().map(|(_, p)| p));
    let found = candidates.iter().find(|d| has_server(d)).cloned();
    let Some(dir) = found else {
        panic!(
            "no PostgreSQL server binaries (initdb, pg_ctl) found in {candidates:?} \
             (pg_config --bindir, /usr/lib/postgresql/*/bin): install the PostgreSQL server \
             package — this test does not skip"
        );
    };
    assert!(
        Path::new("/usr/sbin/runuser").exists() || Path::new("/sbin/runuser").exists(),
        "runuser (util-linux) is missing: this test runs the private server as the postgres user"
    );
    dir
}

/// A private PostgreSQL server in a temporary directory (owned by `postgres`, run
/// with `runuser`), stopped and removed on drop — also when a test panics.
struct PrivatePg {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl PrivatePg {
    fn start() -> PrivatePg {
        let bin = pg_bindir();
        let dir = tempfile::tempdir().expect("tempdir");
        sh(Command::new("chown").arg("postgres:").arg(dir.path()));
        let pg = PrivatePg {
            port: free_port(),
            bin,
            dir,
        };
        pg.as_postgres("initdb", |c| {
            c.args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
                .arg(pg.data());
        });
        pg.pg_ctl(&["start"]);
        pg
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn url(&self) -> String {
        format!(
            "postgres://postgres:{URL_SECRET}@127.0.0.1:{}/postgres",
            self.port
        )
    }

    fn as_postgres(&self, program: &str, args: impl FnOnce(&mut Command)) {
        let mut cmd = Command::new("runuser");
        cmd.args(["-u", "postgres", "--"])
            .arg(self.bin.join(program));
        args(&mut cmd);
        sh(cmd.current_dir(self.dir.path()));
    }

    fn pg_ctl(&self, action: &[&str]) {
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("log");
        self.as_postgres("pg_ctl", |c| {
            c.arg("-D")
                .arg(self.data())
                .arg("-l")
                .arg(&log)
                .args(["-w", "-t", "120", "-o", &opts])
                .args(action);
        });
    }
}

impl Drop for PrivatePg {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join("pg_ctl"))
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .current_dir(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// Run a helper command, panicking with its output when it fails.
fn sh(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?}: {}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A PostgreSQL restart between two commands does not matter (every run connects
/// anew); a command while the server is down fails clearly (69, redacted) and the
/// next one after it is back works.
#[test]
fn postgres_restart_between_commands() {
    let pg = PrivatePg::start();
    let url = pg.url();
    let authctl = |args: &[&str]| {
        run(common::authctl()
            .env("NEW_PW", PASSWORDS[0])
            .env("AUTHCTL_BCRYPT_COST", "10")
            .args(["--database-url", &url, "--connect-timeout", "5s"])
            .args(args))
    };
    let create = |email: &str| {
        let r = authctl(&["users", "create", email, "--password-env", "NEW_PW"]);
        assert_eq!(r.code, 0, "create {email}\n{r}");
    };
    let r = authctl(&["migrate"]);
    assert_eq!(r.code, 0, "{r}");
    create("before@example.com");

    pg.pg_ctl(&["-m", "fast", "restart"]);
    create("after-restart@example.com");
    let r = authctl(&["-o", "json", "users", "show", "before@example.com"]);
    assert_eq!(r.code, 0, "{r}");

    pg.pg_ctl(&["-m", "fast", "stop"]);
    let r = authctl(&[
        "users",
        "create",
        "down@example.com",
        "--password-env",
        "NEW_PW",
    ]);
    assert_eq!(r.code, 69, "server down\n{r}");
    assert!(r.stderr.contains(&format!("127.0.0.1:{}", pg.port)), "{r}");
    assert!(!r.all().contains(URL_SECRET), "{r}");

    pg.pg_ctl(&["start"]);
    create("after-start@example.com");
    let r = authctl(&["-o", "json", "users", "list"]);
    assert_eq!(r.code, 0, "{r}");
    let emails: Vec<String> = serde_json::from_str::<Value>(&r.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["email"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        emails,
        [
            "after-restart@example.com",
            "after-start@example.com",
            "before@example.com",
        ],
        "users list is ordered by email"
    );
}

// ---------------------------------------------------------------------------------
// Secrets: never in argv

fn proc_file(pid: &str, file: &str) -> Vec<u8> {
    std::fs::read(format!("/proc/{pid}/{file}")).unwrap_or_default()
}

/// Pids of running `authctl` processes whose arguments contain `needle`.
fn authctl_pids_with(needle: &str) -> Vec<String> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|pid| pid.chars().all(|c| c.is_ascii_digit()))
        .filter(|pid| {
            let cmdline = proc_file(pid, "cmdline");
            let argv0 = cmdline.split(|b| *b == 0).next().unwrap_or_default();
            argv0.ends_with(b"/authctl") && contains(&cmdline, needle.as_bytes())
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `script` output collected by a thread.
struct Transcript(Arc<Mutex<Vec<u8>>>);

impl Transcript {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    fn wait_for(&self, what: &str) {
        wait_until(&format!("prompt {what:?}"), || self.text().contains(what));
    }
}

per_backend! {
    /// `users create` under a pseudo-terminal (`script`) prompts for the password: while
    /// it waits, the authctl process's arguments (and environment) hold no password;
    /// the password typed twice is stored (verifiable) and never echoed.
    fn prompted_password_is_never_in_argv_or_echoed(db) {
        assert!(
            Path::new("/usr/bin/script").exists(),
            "/usr/bin/script (util-linux) is missing: this test needs it for a pseudo-terminal and does not skip"
        );
        let password = "Typed secret 81 quince";
        let l = db.label();
        db.migrated();
        let email = format!("pty-{}-{l}@example.com", std::process::id());
        let mut base = db.authctl();
        base.env("AUTHCTL_BCRYPT_COST", "10");
        let quote = |s: &str| format!("'{}'", s.replace('\'', r"'\''"));
        let shell = format!(
            "{} --database-url {} users create {}",
            quote(&base.get_program().to_string_lossy()),
            quote(&db.url()),
            quote(&email)
        );
        let mut cmd = Command::new("/usr/bin/script");
        cmd.args(["-qec", &shell, "/dev/null"]).env_clear();
        for (k, v) in base.get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        if let Some(dir) = base.get_current_dir() {
            cmd.current_dir(dir);
        }
        // Our ends of script's stdin and stdout; `cmd` (holding the other ends) is
        // dropped once the process runs, so the reader sees the end of its output.
        let (stdin_read, mut stdin) = std::io::pipe().unwrap();
        let (mut stdout, stdout_write) = std::io::pipe().unwrap();
        cmd.env("SHELL", "/bin/sh")
            .env("TERM", "xterm")
            .stdin(stdin_read)
            .stdout(stdout_write)
            .stderr(Stdio::piped());
        let script = Background::spawn(&mut cmd);
        drop(cmd);
        let buf = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let buf = Arc::clone(&buf);
            std::thread::spawn(move || {
                let mut chunk = [0u8; 512];
                while let Ok(n) = stdout.read(&mut chunk) {
                    if n == 0 {
                        break;
                    }
                    buf.lock().unwrap().extend_from_slice(&chunk[..n]);
                }
            })
        };
        let transcript = Transcript(buf);

        let check_proc = |stage: &str| {
            let pids = authctl_pids_with(&email);
            assert_eq!(pids.len(), 1, "{l}: {stage}: one authctl process: {pids:?}");
            for file in ["cmdline", "environ"] {
                let bytes = proc_file(&pids[0], file);
                assert!(
                    !bytes.is_empty(),
                    "{l}: {stage}: /proc/{}/{file} readable",
                    pids[0]
                );
                assert!(
                    !contains(&bytes, password.as_bytes()),
                    "{l}: {stage}: password in /proc/{}/{file}",
                    pids[0]
                );
            }
        };
        transcript.wait_for("New password");
        check_proc("at the first prompt");
        stdin.write_all(format!("{password}\r").as_bytes()).unwrap();
        transcript.wait_for("Repeat password");
        check_proc("at the confirmation prompt");
        stdin.write_all(format!("{password}\r").as_bytes()).unwrap();
        let r = script.finish();
        drop(stdin);
        reader.join().unwrap();
        let text = transcript.text();
        assert_eq!(r.code, 0, "{l}: script/authctl failed\n{r}\n{text}");
        assert!(text.contains("created user"), "{l}: {text}");
        assert!(!text.contains(password), "{l}: password echoed\n{text}");

        let hash = query_strings(
            &db,
            &format!("SELECT password_hash AS v FROM users WHERE email = '{email}'"),
        );
        assert_eq!(hash.len(), 1, "{l}: user created");
        assert!(
            verifies(password, &hash[0]),
            "{l}: the typed password verifies"
        );
        assert!(!verifies("Typed secret 81 quincE", &hash[0]), "{l}");
    }
}

// ---------------------------------------------------------------------------------
// Secrets: never in output, verbose diagnostics or the audit trail

/// How a password is handed to authctl in [`passwords_never_printed_nor_audited`].
enum Source {
    Stdin,
    File,
    Env,
    EnvFile,
}

per_backend! {
    /// `users create` and `users reset-password` with the password from every source,
    /// in every output format and with `-vv`: the password is never printed, never in
    /// the audit trail, and it is what gets stored.
    fn passwords_never_printed_nor_audited(db) {
        let l = db.label();
        db.migrated();
        let dir = tempfile::tempdir().unwrap();
        let mut n = 0;
        let mut used = Vec::new();
        for source in [Source::Stdin, Source::File, Source::Env, Source::EnvFile] {
            for global in [
                &["-vv"][..],
                &["-o", "json"],
                &["-o", "csv"],
                &["-v", "-o", "json"],
            ] {
                for reset in [false, true] {
                    n += 1;
                    let password = format!("Secret{n} zebra-quartz ✓ {l}");
                    let email = format!("s{n}@example.com");
                    if reset {
                        let r = run(db
                            .authctl()
                            .env("AUTHCTL_BCRYPT_COST", "10")
                            .env("PW0", PASSWORDS[0])
                            .args(["users", "create", &email, "--password-env", "PW0"]));
                        assert_eq!(r.code, 0, "{l}: setup\n{r}");
                    }
                    let mut cmd = db.authctl();
                    cmd.env("AUTHCTL_BCRYPT_COST", "10").args(global);
                    if reset {
                        cmd.args(["users", "reset-password", &email]);
                    } else {
                        cmd.args(["users", "create", &email]);
                    }
                    match source {
                        Source::Stdin => {
                            cmd.arg("--password-stdin")
                                .write_stdin(format!("{password}\n"));
                        }
                        Source::File => {
                            let f = dir.path().join(format!("pw{n}"));
                            std::fs::write(&f, format!("{password}\n")).unwrap();
                            cmd.arg("--password-file").arg(f);
                        }
                        Source::Env => {
                            cmd.env("THE_PW", &password)
                                .args(["--password-env", "THE_PW"]);
                        }
                        Source::EnvFile => {
                            let f = dir.path().join(format!("env{n}"));
                            std::fs::write(&f, format!("THE_PW='{password}'\n")).unwrap();
                            cmd.arg("--env-file")
                                .arg(f)
                                .args(["--password-env", "THE_PW"]);
                        }
                    }
                    let r = run(&mut cmd);
                    let label = format!("{l} #{n} {global:?} reset={reset}");
                    assert_eq!(r.code, 0, "{label}\n{r}");
                    assert!(
                        !r.all().contains(&password),
                        "{label}: password printed\n{r}"
                    );
                    let hash = query_strings(
                        &db,
                        &format!("SELECT password_hash AS v FROM users WHERE email = '{email}'"),
                    );
                    assert!(verifies(&password, &hash[0]), "{label}: stored password");
                    used.push(password);
                }
            }
        }
        // `config` and `users show` of such a configuration do not show it either.
        let f = dir.path().join("env-config");
        std::fs::write(&f, format!("THE_PW='{}'\n", used[0])).unwrap();
        for args in [
            &["config"][..],
            &["-o", "json", "config"],
            &["-vv", "users", "show", "s1@example.com"],
        ] {
            let r = run(db.authctl().arg("--env-file").arg(&f).args(args));
            assert_eq!(r.code, 0, "{l}: {args:?}\n{r}");
            assert!(!r.all().contains(&used[0]), "{l}: {args:?}\n{r}");
        }
        let audit = audit_text(&db);
        assert!(
            audit.contains("user.reset_password"),
            "{l}: audit trail written"
        );
        for pw in &used {
            assert!(
                !audit.contains(pw.as_str()),
                "{l}: a password is in the audit trail"
            );
        }
    }
}

/// A password rejected by the policy, from every source, is not echoed in the error.
#[test]
fn rejected_passwords_are_not_echoed() {
    let db = TestDb::sqlite();
    db.migrated();
    let dir = tempfile::tempdir().unwrap();
    // Too long (1025 characters), and the account's own local part.
    let long = format!("Unique{}", "x".repeat(1019));
    for (password, email) in [
        (long.as_str(), "a@example.com"),
        ("victor.tango", "victor.tango@example.com"),
    ] {
        let file = dir.path().join("pw");
        std::fs::write(&file, format!("{password}\n")).unwrap();
        let runs = [
            run(db
                .authctl()
                .args(["users", "create", email, "--password-stdin"])
                .write_stdin(format!("{password}\n"))),
            run(db
                .authctl()
                .args(["users", "create", email, "--password-file"])
                .arg(&file)),
            run(db.authctl().env("P", password).args([
                "-vv",
                "users",
                "create",
                email,
                "--password-env",
                "P",
            ])),
        ];
        for r in runs {
            assert_eq!(r.code, 65, "{r}");
            assert!(r.stderr.contains("password rejected"), "{r}");
            assert!(!r.all().contains(password), "password echoed\n{r}");
        }
    }
    assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 0);
}

// ---------------------------------------------------------------------------------
// Read transactions

/// One setting of the current PostgreSQL session or transaction.
fn setting(conn: &mut DbConn, name: &str) -> String {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    let DbConn::Postgres(c) = conn else {
        panic!("PostgreSQL only")
    };
    let row: Row = diesel::sql_query(format!("SELECT current_setting('{name}') AS v"))
        .get_result(c)
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    row.v
}

/// `DbConn::read` on PostgreSQL: a read-only transaction with the kill guard and a
/// statement timeout (60 s, or a stricter one already configured), all ending with
/// it; nested in a transaction it just runs there.
#[test]
fn read_transaction_is_guarded_bounded_and_read_only_on_postgres() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let mut conn = db.migrated();
    let inside = conn
        .read(|c| -> diesel::QueryResult<_> {
            Ok([
                setting(c, "transaction_read_only"),
                setting(c, "statement_timeout"),
                setting(c, "client_connection_check_interval"),
            ])
        })
        .unwrap();
    assert_eq!(inside, ["on", "1min", "1s"]);
    // A write in a read is refused by the server, not silently done.
    let write = conn.read(|c| c.batch_execute("DELETE FROM users"));
    let err = write.expect_err("a write in a read transaction");
    assert!(err.to_string().contains("read-only transaction"), "{err}");
    // Nothing outlives the transaction.
    assert_eq!(setting(&mut conn, "statement_timeout"), "0");
    assert_eq!(setting(&mut conn, "client_connection_check_interval"), "0");
    // Inside a transaction it runs in that transaction (writable, no new limits).
    let nested = conn
        .transaction(|c| {
            c.read(|c| -> diesel::QueryResult<_> { Ok(setting(c, "transaction_read_only")) })
        })
        .unwrap();
    assert_eq!(nested, "off");

    // A stricter statement_timeout configured for the database is kept.
    let TestDb::Postgres(pg) = &db else {
        unreachable!()
    };
    pg.admin(&format!(
        "ALTER DATABASE {} SET statement_timeout = '5s'",
        pg.name
    ));
    let mut conn = db.connect();
    let limit = conn
        .read(|c| -> diesel::QueryResult<_> { Ok(setting(c, "statement_timeout")) })
        .unwrap();
    assert_eq!(limit, "5s");
}

/// `DbConn::read` on SQLite is a deferred transaction: it never takes or waits for
/// the write lock, so a read runs while another connection holds it.
#[test]
fn read_transaction_never_waits_for_the_sqlite_write_lock() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    let mut writer = db.connect();
    writer.batch_execute("BEGIN IMMEDIATE").unwrap();
    writer
        .batch_execute(&format!(
            "INSERT INTO users (id, email, password_hash) VALUES \
             ('00000000-0000-4000-8000-0000000000aa', 'w@example.com', '{FAKE_HASH}')"
        ))
        .unwrap();
    // With BEGIN IMMEDIATE this would wait out the busy timeout and fail "database is locked".
    let found = conn
        .read(|c| repo::users::find_by_email(c, "w@example.com"))
        .expect("a read while another connection holds the write lock");
    assert!(found.is_none(), "the uncommitted insert is not visible");
    writer.batch_execute("COMMIT").unwrap();
    let found = conn
        .read(|c| repo::users::find_by_email(c, "w@example.com"))
        .unwrap();
    assert!(found.is_some());
}
