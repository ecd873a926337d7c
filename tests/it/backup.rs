//! `authctl export` / `authctl import`: a round trip keeps every value byte for
//! byte on both backends; the move PostgreSQL → SQLite → PostgreSQL through pipes
//! of the real binary keeps logins, refresh tokens and disabled users working for
//! the application's own libraries; a bad file of any kind exits 65 and changes
//! nothing; a second import of the same file changes nothing and says why; a
//! killed export leaves no file at its name.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use sha2::{Digest, Sha256};

use crate::common::{self, Background, PgDb, Run, TestDb, app_ok, authctl, count, query_strings};

const ALICE: &str = "11111111-1111-4111-8111-111111111111";
const BOB: &str = "22222222-2222-4222-8222-222222222222";

/// Every column of every exported table, in a fixed order.
const TABLES: [(&str, &str, &[&str]); 5] = [
    (
        "users",
        "id",
        &[
            "id",
            "email",
            "password_hash",
            "name",
            "role",
            "created_at",
            "updated_at",
            "last_login",
            "email_verified",
            "email_verified_at",
            "reset_token",
            "reset_token_expires",
        ],
    ),
    (
        "auth_attempts",
        "id",
        &[
            "id",
            "user_id",
            "email",
            "ip_address",
            "user_agent",
            "success",
            "failure_reason",
            "\"timestamp\"",
            "attempt_type",
        ],
    ),
    (
        "refresh_tokens",
        "id",
        &[
            "id",
            "user_id",
            "token",
            "expires_at",
            "created_at",
            "revoked_at",
            "is_revoked",
            "user_agent",
            "ip_address",
        ],
    ),
    (
        "login_sessions",
        "session_id",
        &[
            "session_id",
            "user_id",
            "session_token",
            "ip_address",
            "user_agent",
            "created_at",
            "expires_at",
            "last_activity_at",
            "is_active",
        ],
    ),
    (
        "authctl_audit_events",
        "id",
        &[
            "id",
            "occurred_at",
            "actor",
            "action",
            "user_id",
            "user_email",
            "detail",
        ],
    ),
];

/// Every row of every table as the database stores it (PostgreSQL's text form of
/// each value, SQLite's stored value), NULL kept apart from text; the import's own
/// audit event left out.
fn dump(db: &TestDb) -> Vec<String> {
    let mut out = Vec::new();
    for (table, key, cols) in TABLES {
        let parts: Vec<String> = cols
            .iter()
            .map(|c| {
                if db.is_postgres() {
                    format!("coalesce(quote_literal({c}::text), 'NULL')")
                } else {
                    format!("quote({c})")
                }
            })
            .collect();
        let sql = format!(
            "SELECT '{table}: ' || {} AS v FROM {table} {} ORDER BY {key}",
            parts.join(" || '|' || "),
            if table == "authctl_audit_events" {
                "WHERE action <> 'data.import'"
            } else {
                ""
            }
        );
        out.extend(query_strings(db, &sql));
    }
    out
}

/// Rows in all exported tables (the import's audit event included).
fn total_rows(db: &TestDb) -> i64 {
    TABLES
        .iter()
        .map(|(t, _, _)| count(db, &format!("SELECT count(*) AS n FROM {t}")))
        .sum()
}

/// Two users (one disabled-looking, NULLs and full-precision times), attempts with
/// IPv4, IPv6 and a network, a revoked and a live token, a session, audit events.
fn seed(db: &TestDb) {
    let t = |s: &str| {
        if db.is_postgres() {
            format!("'{s}+00'")
        } else {
            format!("'{s}'")
        }
    };
    let sql = format!(
        "INSERT INTO users (id, email, password_hash, name, role, created_at, updated_at, last_login, \
           email_verified, email_verified_at, reset_token, reset_token_expires) VALUES \
         ('{ALICE}', 'alice@example.com', '$2b$10$abcdefghijklmnopqrstuu5Qb1yVnV0n0hX8bqvGQ1zQJgN0cC2a', \
          'Alice Ünïcode', 'admin', {c1}, {c2}, {c3}, TRUE, {c4}, 'reset-secret-0123456789', {c5}), \
         ('{BOB}', 'bob@example.com', '!disabled', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
         INSERT INTO auth_attempts (id, user_id, email, ip_address, user_agent, success, failure_reason, \"timestamp\", attempt_type) VALUES \
         ('33333333-3333-4333-8333-333333333331', '{ALICE}', 'alice@example.com', '192.0.2.7', 'UA \"q\" \\ x', FALSE, 'bad password', {c1}, 'login'), \
         ('33333333-3333-4333-8333-333333333332', NULL, NULL, '2001:db8::1', NULL, TRUE, NULL, NULL, NULL), \
         ('33333333-3333-4333-8333-333333333333', NULL, 'x@example.com', '10.0.0.0/8', NULL, FALSE, NULL, {c2}, 'register');
         INSERT INTO refresh_tokens (id, user_id, token, expires_at, created_at, revoked_at, is_revoked, user_agent, ip_address) VALUES \
         ('44444444-4444-4444-8444-444444444441', '{ALICE}', 'live-token-0123456789abcdef0123456789abcdef', {c5}, {c1}, NULL, FALSE, 'curl', '198.51.100.4'), \
         ('44444444-4444-4444-8444-444444444442', '{BOB}', 'revoked-token-0123456789abcdef0123456789ab', {c3}, NULL, {c4}, TRUE, NULL, NULL);
         INSERT INTO login_sessions (session_id, user_id, session_token, ip_address, user_agent, created_at, expires_at, last_activity_at, is_active) VALUES \
         ('55555555-5555-4555-8555-555555555551', '{ALICE}', '66666666-6666-4666-8666-666666666661', '::1', 'Firefox', {c1}, {c5}, {c2}, TRUE);
         INSERT INTO authctl_audit_events (id, occurred_at, actor, action, user_id, user_email, detail) VALUES \
         (7, {c1}, 'ops', 'user.create', '{ALICE}', 'alice@example.com', '{{\"email\":\"alice@example.com\"}}'), \
         (9, {c2}, 'ops', 'user.disable', NULL, 'gone@example.com', NULL);",
        c1 = t("2026-01-02 03:04:05.123456"),
        c2 = t("2026-01-02 03:04:05.000001"),
        c3 = t("2026-01-03 00:00:00.000000"),
        c4 = t("2026-02-28 23:59:59.999999"),
        c5 = t("2036-06-01 12:00:00.500000"),
    );
    db.exec(&sql);
}

#[track_caller]
fn ok(r: Run, what: &str) -> Run {
    assert_eq!(r.code, 0, "{what}\n{r}");
    r
}

/// The same kind of database, new and migrated.
fn fresh_like(db: &TestDb) -> TestDb {
    if db.is_postgres() {
        TestDb::postgres_migrated().expect("postgres")
    } else {
        TestDb::sqlite_migrated()
    }
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

per_backend! {
    /// export → import into a new database gives every row back byte for byte,
    /// through a plain, a gzip and a zstd file; the file is 0600; the import is one
    /// `data.import` audit event with the header's facts and the counts; the audit
    /// ids continue after the imported ones.
    fn round_trip_is_byte_identical(db: migrated) {
        seed(&db);
        let before = dump(&db);
        assert_eq!(before.len(), 10, "{before:#?}");
        for name in ["all.jsonl", "all.jsonl.gz", "all.jsonl.zst"] {
            let file = db.scratch().join(name);
            let r = ok(db.run(&["-o", "json", "export", path_str(&file)]), "export");
            let report = r.json();
            assert_eq!(report["counts"]["users"], 2, "{report}");
            assert_eq!(report["counts"]["authctl_audit_events"], 2, "{report}");
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{name} is created 0600");

            let target = fresh_like(&db);
            let r = ok(target.run(&["-o", "json", "--actor", "restorer", "import", path_str(&file)]), "import");
            let report = r.json();
            let inserted: u64 = report["tables"].as_array().unwrap().iter()
                .map(|t| t["inserted"].as_u64().unwrap()).sum();
            assert_eq!(inserted, 10, "{report}");
            assert_eq!(dump(&target), before, "{name}: every value byte for byte");

            let events = query_strings(&target, "SELECT actor || ' ' || detail AS v FROM authctl_audit_events \
                                                  WHERE action = 'data.import'");
            assert_eq!(events.len(), 1, "one audit event: {events:?}");
            let detail: serde_json::Value =
                serde_json::from_str(events[0].strip_prefix("restorer ").unwrap()).unwrap();
            assert_eq!(detail["source_backend"], db.label());
            assert_eq!(detail["format_version"], 1);
            assert_eq!(detail["tables"][0]["table"], "users");
            assert_eq!(detail["tables"][0]["inserted"], 2);
            let ids = query_strings(&target, "SELECT CAST(id AS TEXT) AS v FROM authctl_audit_events \
                                              WHERE action = 'data.import'");
            assert!(ids[0].parse::<i64>().unwrap() > 9, "new events continue after the imported ids: {ids:?}");
        }
    }
}

per_backend! {
    /// A second import of the same file changes nothing and says why (65); the
    /// dry run lists the refusals (exit 1); `--on-conflict skip` keeps what is
    /// there; a user whose e-mail exists in another letter case under another id is
    /// a conflict too, and `skip` leaves out that user's tokens and sessions.
    fn second_import_fails_and_changes_nothing(db: migrated) {
        seed(&db);
        let file = db.scratch().join("b.jsonl");
        ok(db.run(&["export", path_str(&file)]), "export");
        let target = fresh_like(&db);
        ok(target.run(&["import", path_str(&file)]), "first import");
        let after_first = dump(&target);
        let rows = total_rows(&target);

        let r = target.run(&["import", path_str(&file)]);
        assert_eq!(r.code, 65, "{r}");
        assert!(r.stderr.contains("nothing was imported") && r.stderr.contains("already in the database"),
            "says why: {r}");
        assert!(!r.all().contains("live-token-0123"), "no secret printed: {r}");
        assert_eq!(dump(&target), after_first);
        assert_eq!(total_rows(&target), rows, "not even an audit event");

        let r = target.run(&["-o", "json", "import", "--dry-run", path_str(&file)]);
        assert_eq!(r.code, 65, "dry run with refusals exits as the import would: {r}");
        assert!(r.stderr.contains("would be refused"), "{r}");
        assert_eq!(r.json()["tables"][0]["refused"], 2, "{r}");
        assert_eq!(total_rows(&target), rows);

        let r = ok(target.run(&["-o", "json", "import", "--on-conflict", "skip", path_str(&file)]), "skip");
        assert_eq!(r.json()["tables"][0]["skipped"], 2, "{r}");
        assert_eq!(dump(&target), after_first);

        // update: the file's values come back over a changed row.
        target.exec(&format!("UPDATE users SET name = 'Changed', role = 'user' WHERE id = '{ALICE}'"));
        let r = ok(target.run(&["-o", "json", "import", "--on-conflict", "update", path_str(&file)]), "update");
        assert_eq!(r.json()["tables"][0]["updated"], 2, "{r}");
        assert_eq!(
            query_strings(&target, &format!("SELECT name || ' ' || role AS v FROM users WHERE id = '{ALICE}'")),
            ["Alice Ünïcode admin"]
        );

        // Another id with Alice's e-mail in upper case.
        let other = fresh_like(&db);
        other.exec("INSERT INTO users (id, email, password_hash) VALUES \
                    ('77777777-7777-4777-8777-777777777777', 'ALICE@example.com', 'x')");
        let r = other.run(&["import", path_str(&file)]);
        assert_eq!(r.code, 65, "{r}");
        assert!(r.stderr.contains("e-mail") && r.stderr.contains("77777777-7777-4777-8777-777777777777"), "{r}");
        assert_eq!(total_rows(&other), 1);
        let r = ok(other.run(&["-o", "json", "import", "--on-conflict", "skip", path_str(&file)]), "skip");
        let t = &r.json()["tables"];
        assert_eq!((t[0]["inserted"].as_u64(), t[0]["skipped"].as_u64()), (Some(1), Some(1)), "{r}");
        assert_eq!(count(&other, &format!("SELECT count(*) AS n FROM refresh_tokens WHERE user_id = '{ALICE}'")), 0);
        assert_eq!(count(&other, "SELECT count(*) AS n FROM refresh_tokens"), 1, "Bob's token came");
    }
}

per_backend! {
    /// `--exclude-secrets` leaves every token out of the file; importing it
    /// restores the users with their hashes, and no token or session.
    fn exclude_secrets_leaves_tokens_out(db: migrated) {
        seed(&db);
        let file = db.scratch().join("nosecrets.jsonl");
        ok(db.run(&["export", "--exclude-secrets", path_str(&file)]), "export");
        let text = std::fs::read_to_string(&file).unwrap();
        for secret in ["live-token-0123", "revoked-token-0123", "66666666-6666-4666-8666-666666666661", "reset-secret"] {
            assert!(!text.contains(secret), "{secret} left out");
        }
        assert!(text.contains("$2b$10$abcdefghijklmnopqrstuu5Qb1yVnV0n0hX8bqvGQ1zQJgN0cC2a"), "hashes kept");
        let target = fresh_like(&db);
        let r = ok(target.run(&["-o", "json", "import", path_str(&file)]), "import");
        assert_eq!(r.json()["without_secret"], 3, "{r}");
        assert_eq!(count(&target, "SELECT count(*) AS n FROM users WHERE reset_token IS NULL"), 2);
        assert_eq!(count(&target, "SELECT count(*) AS n FROM refresh_tokens"), 0);
        assert_eq!(count(&target, "SELECT count(*) AS n FROM login_sessions"), 0);
    }
}

/// A valid export text, built here: header, record lines, trailer with the right
/// counts and checksum (so each case below tests one fault only).
fn build(header_version: u64, records: &[Vec<u8>], counts: &str) -> Vec<u8> {
    let header = format!(
        "{{\"format\":\"authctl-export\",\"version\":{header_version},\"authctl_version\":\"0.1.0\",\
         \"source_backend\":\"sqlite\",\"schema\":[],\"database_time\":\"2026-01-01T00:00:00Z\",\
         \"tables\":[\"users\",\"auth_attempts\",\"refresh_tokens\",\"login_sessions\",\"authctl_audit_events\"],\
         \"secrets\":true}}\n"
    );
    let mut body = header.into_bytes();
    for r in records {
        body.extend_from_slice(r);
        body.push(b'\n');
    }
    let sha = hex_sha(&body);
    body.extend_from_slice(
        format!("{{\"trailer\":{{\"counts\":{counts},\"sha256\":\"{sha}\"}}}}\n").as_bytes(),
    );
    body
}

fn hex_sha(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

fn user_line(id: &str, email: &str) -> Vec<u8> {
    format!(
        "{{\"table\":\"users\",\"row\":{{\"id\":\"{id}\",\"email\":\"{email}\",\"password_hash\":\"h\",\
         \"name\":null,\"role\":\"user\",\"created_at\":null,\"updated_at\":null,\"last_login\":null,\
         \"email_verified\":false,\"email_verified_at\":null,\"reset_token\":null,\"reset_token_expires\":null}}}}"
    )
    .into_bytes()
}

const ONE_USER: &str = r#"{"users":1,"auth_attempts":0,"refresh_tokens":0,"login_sessions":0,"authctl_audit_events":0}"#;
const TWO_USERS: &str = r#"{"users":2,"auth_attempts":0,"refresh_tokens":0,"login_sessions":0,"authctl_audit_events":0}"#;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

per_backend! {
    /// Each fault of a file exits 65 with what is wrong and where, and the database
    /// is left exactly as it was: truncated (at a line end and mid-line), one
    /// flipped byte, a foreign file, a newer format version, a record for an
    /// unknown table, duplicate ids, duplicate e-mails in different case, an
    /// oversized line, non-UTF-8, a gzip bomb.
    fn bad_files_exit_65_and_change_nothing(db: migrated) {
        seed(&db);
        let good = db.scratch().join("good.jsonl");
        ok(db.run(&["export", path_str(&good)]), "export");
        let good = std::fs::read(&good).unwrap();
        let dir = db.scratch();
        let target = fresh_like(&db);
        target.exec(&format!("INSERT INTO users (id, email, password_hash) VALUES ('{BOB}', 'keep@example.com', 'x')"));
        let before = dump(&target);

        let lines: Vec<&[u8]> = good.split_inclusive(|b| *b == b'\n').collect();
        let without_trailer: Vec<u8> = lines[..lines.len() - 1].concat();
        let mut flipped = good.clone();
        let at = good.windows(9).position(|w| w == b"bob@examp").unwrap();
        flipped[at] = b'c';
        let mut bomb = Vec::new();
        {
            let mut gz = flate2::write::GzEncoder::new(&mut bomb, flate2::Compression::fast());
            gz.write_all(lines[0]).unwrap();
            let zeros = vec![b'0'; 1 << 20];
            for _ in 0..64 {
                gz.write_all(&zeros).unwrap();
            }
            gz.finish().unwrap();
        }
        let mut bad_utf8 = user_line(ALICE, "alice@example.com");
        let at = bad_utf8.windows(5).position(|w| w == b"alice").unwrap();
        bad_utf8[at] = 0xff;
        let huge = user_line(ALICE, &format!("{}@example.com", "a".repeat(2 << 20)));
        let unknown = b"{\"table\":\"device_fingerprints\",\"row\":{}}".to_vec();

        let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
            ("truncated", without_trailer, &["truncated"]),
            ("cut mid-line", good[..good.len() - 10].to_vec(), &["truncated"]),
            ("flipped byte", flipped, &["SHA-256", "corrupted"]),
            ("foreign", b"id,email\n1,a@example.com\n".to_vec(), &["line 1", "not an authctl export"]),
            ("empty", Vec::new(), &["empty"]),
            ("newer version", build(2, &[user_line(ALICE, "a@example.com")], ONE_USER), &["line 1", "version 2 is newer"]),
            ("unknown table", build(1, &[unknown], ONE_USER), &["line 2", "unknown table"]),
            ("duplicate ids", build(1, &[user_line(ALICE, "a@example.com"), user_line(ALICE, "b@example.com")], TWO_USERS),
                &["line 3", "duplicate users id"]),
            ("duplicate e-mails", build(1, &[user_line(ALICE, "a@example.com"), user_line(BOB, "A@Example.com")], TWO_USERS),
                &["line 3", "duplicate user e-mail"]),
            ("oversized line", build(1, &[huge], ONE_USER), &["line 2", "longer than 1024 KiB"]),
            ("non-UTF-8", build(1, &[bad_utf8], ONE_USER), &["line 2", "not UTF-8"]),
            ("gzip bomb", bomb, &["line 2"]),
        ];
        for (what, bytes, says) in cases {
            let file = write(dir, "bad.jsonl", &bytes);
            let r = target.run(&["import", path_str(&file)]);
            assert_eq!(r.code, 65, "{what}: {r}");
            for s in says {
                assert!(r.stderr.contains(s), "{what}: says {s:?}: {r}");
            }
            assert!(r.stderr.contains("nothing was imported"), "{what}: {r}");
            assert_eq!(dump(&target), before, "{what}: nothing changed");
            assert_eq!(count(&target, "SELECT count(*) AS n FROM authctl_audit_events"), 0, "{what}");
        }
        // The same faults through stdin (no name, no extension to go by).
        let r = common::run(target.authctl().args(["import", "-"]).write_stdin(good[..good.len() - 3].to_vec()));
        assert_eq!(r.code, 65, "{r}");
        assert_eq!(dump(&target), before);
        // A directory is an input that cannot be read: 66, as for every input file.
        let r = target.run(&["import", path_str(dir)]);
        assert_eq!(r.code, 66, "{r}");
        assert!(r.stderr.contains("is a directory"), "{r}");
        assert_eq!(dump(&target), before);
    }
}

/// `kill -9` during an export leaves no file at the target name (only its
/// `.partial` temporary file), so a killed backup never looks complete.
#[test]
fn kill9_during_export_leaves_no_file() {
    let db = TestDb::sqlite_migrated();
    db.exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) \
         INSERT INTO authctl_audit_events (occurred_at, actor, action, detail) \
         SELECT '2026-01-01 00:00:00.000000', 'filler', 'user.create', '{\"n\":' || i || '}' FROM n",
    );
    let dir = db.scratch().join("out");
    std::fs::create_dir(&dir).unwrap();
    let target = dir.join("backup.jsonl.zst");
    let mut cmd = db.authctl();
    cmd.args(["export", path_str(&target)]);
    let mut bg = Background::start(&cmd);
    common::wait_until("the export writes its temporary file", || {
        std::fs::read_dir(&dir).unwrap().any(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.starts_with(".backup.jsonl.zst.") && name.ends_with(".partial")
        })
    });
    assert!(bg.is_running(), "still exporting");
    bg.kill9();
    assert!(!target.exists(), "no file at the target name after kill -9");
}

/// `authctl export - | authctl import -` between two databases, as the pipe an
/// operator types; returns the import's run.
fn pipe(from: &str, to: &str) -> Run {
    let mut export = common::spawnable(authctl().args(["--database-url", from, "export", "-"]));
    let mut export = export.spawn().expect("spawn export");
    let mut import =
        common::spawnable(authctl().args(["--database-url", to, "-o", "json", "import", "-"]));
    import.stdin(Stdio::from(export.stdout.take().unwrap()));
    let out = import.output().expect("run import");
    let exported = export.wait_with_output().expect("export");
    assert!(
        exported.status.success(),
        "export: {}",
        String::from_utf8_lossy(&exported.stderr)
    );
    Run::from(out)
}

/// The move PostgreSQL → SQLite → PostgreSQL through pipes of the real binary,
/// proven with the application's own libraries: users log in with the same
/// passwords, a moved refresh token is valid, a disabled user stays disabled,
/// roles are kept.
#[test]
fn move_between_backends_through_pipes_keeps_logins() {
    if !common::has_app() {
        return;
    }
    let Some(pg1) = PgDb::create() else {
        return;
    };
    let a =
        |url: &str, args: &[&str]| common::run(authctl().arg("--database-url").arg(url).args(args));
    ok(a(&pg1.url, &["migrate"]), "migrate pg1");
    app_ok(
        &pg1.url,
        &["register", "alice@example.com", "Alice", "admin"],
        "Alice pass 1234\n",
        0,
    );
    app_ok(
        &pg1.url,
        &["register", "bob@example.com", "Bob"],
        "Bob pass 5678\n",
        0,
    );
    let login = app_ok(
        &pg1.url,
        &["login", "alice@example.com"],
        "Alice pass 1234\n",
        0,
    );
    let refresh = login["refreshToken"].as_str().unwrap().to_owned();
    let session = login["sessionToken"].as_str().unwrap().to_owned();
    ok(
        a(&pg1.url, &["--yes", "users", "disable", "bob@example.com"]),
        "disable bob",
    );
    app_ok(
        &pg1.url,
        &["login", "bob@example.com"],
        "Bob pass 5678\n",
        1,
    );

    let lite = TestDb::sqlite();
    ok(a(&lite.url(), &["migrate"]), "migrate sqlite");
    let r = pipe(&pg1.url, &lite.url());
    assert_eq!(r.code, 0, "postgres → sqlite: {r}");
    assert_eq!(count(&lite, "SELECT count(*) AS n FROM users"), 2);

    let Some(pg2) = PgDb::create() else {
        return;
    };
    ok(a(&pg2.url, &["migrate"]), "migrate pg2");
    let r = pipe(&lite.url(), &pg2.url);
    assert_eq!(r.code, 0, "sqlite → postgres: {r}");

    app_ok(
        &pg2.url,
        &["login", "alice@example.com"],
        "Alice pass 1234\n",
        0,
    );
    app_ok(&pg2.url, &["refresh", &refresh], "", 0);
    app_ok(&pg2.url, &["session-valid", &session], "", 0);
    app_ok(
        &pg2.url,
        &["login", "bob@example.com"],
        "Bob pass 5678\n",
        1,
    );
    let q = "SELECT email || ' ' || coalesce(role, '-') || ' ' || password_hash AS v FROM users ORDER BY email";
    assert_eq!(
        pg2.strings(q),
        pg1.strings(q),
        "same users, roles and hashes"
    );
}

/// A SQLite database holding 200,000 audit events (long enough to kill an import
/// of it midway) and its export.
pub(crate) fn big_export() -> (TestDb, PathBuf) {
    let source = TestDb::sqlite_migrated();
    source.exec(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) \
         INSERT INTO authctl_audit_events (occurred_at, actor, action, detail) \
         SELECT '2026-01-01 00:00:00.000000', 'filler', 'user.create', '{\"n\":' || i || '}' FROM n",
    );
    let file = source.scratch().join("big.jsonl");
    ok(source.run(&["export", path_str(&file)]), "export");
    (source, file)
}

/// `kill -9` during an import, while its transaction is writing: nothing of the
/// file becomes visible (PostgreSQL rolls the dead client's transaction back).
#[test]
fn kill9_during_import_leaves_nothing_visible() {
    let (_source, file) = big_export();
    let Some(target) = TestDb::postgres_migrated() else {
        return;
    };
    let mut cmd = target.authctl();
    cmd.args(["import", path_str(&file)]);
    let mut bg = Background::start(&cmd);
    common::wait_until("the import inserts inside its transaction", || {
        count(
            &target,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
             AND pid <> pg_backend_pid() AND xact_start IS NOT NULL \
             AND (query LIKE 'INSERT INTO \"authctl_audit_events\"%' \
                  OR query LIKE 'COPY \"authctl_audit_events\"%')",
        ) > 0
    });
    assert!(bg.is_running(), "still importing");
    bg.kill9();
    common::wait_until("the killed client's backend is gone", || {
        count(
            &target,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
             AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
        ) == 0
    });
    assert_eq!(total_rows(&target), 0, "nothing of the file is visible");
}

/// `kill -9` during an import into SQLite, while its transaction is writing
/// (pages spilling into the write-ahead log): the next connection rolls the dead
/// transaction back and nothing of the file is visible.
#[test]
fn kill9_during_sqlite_import_leaves_nothing_visible() {
    let (_source, file) = big_export();
    let target = TestDb::sqlite_migrated();
    let TestDb::Sqlite(sqlite) = &target else {
        unreachable!()
    };
    let wal = sqlite.path.with_extension("db-wal");
    let wal_before = std::fs::metadata(&wal).map_or(0, |m| m.len());
    let mut cmd = target.authctl();
    cmd.args(["import", path_str(&file)]);
    let mut bg = Background::start(&cmd);
    common::wait_until("the import's transaction writes into the WAL", || {
        std::fs::metadata(&wal).map_or(0, |m| m.len()) > wal_before + 4 * 1024 * 1024
    });
    assert!(bg.is_running(), "still importing");
    bg.kill9();
    assert_eq!(total_rows(&target), 0, "nothing of the file is visible");
    // The database is whole and usable: the same file imports completely now.
    ok(
        target.run(&["import", path_str(&file)]),
        "import after the kill",
    );
    assert_eq!(
        total_rows(&target),
        200_000 + 1,
        "every record, and the import's own event"
    );
}

/// An import while the application writes: the application's registration and
/// login go through while the import's transaction is writing, and the import
/// then commits all of its records beside them.
#[test]
fn import_while_the_application_writes() {
    if !common::has_app() {
        return;
    }
    let (_source, file) = big_export();
    let Some(target) = TestDb::postgres_migrated() else {
        return;
    };
    let mut cmd = target.authctl();
    cmd.args(["-o", "json", "import", path_str(&file)]);
    let mut bg = Background::start(&cmd);
    common::wait_until("the import writes inside its transaction", || {
        count(
            &target,
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
             AND pid <> pg_backend_pid() AND xact_start IS NOT NULL \
             AND (query LIKE 'INSERT INTO \"authctl_audit_events\"%' \
                  OR query LIKE 'COPY \"authctl_audit_events\"%')",
        ) > 0
    });
    let url = target.url();
    app_ok(
        &url,
        &["register", "live@example.com", "Live"],
        "Live pass 2468\n",
        0,
    );
    app_ok(&url, &["login", "live@example.com"], "Live pass 2468\n", 0);
    assert!(
        bg.is_running(),
        "the application wrote while the import was writing"
    );
    let r = bg.finish();
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(r.json()["tables"][4]["inserted"], 200000, "{r}");
    assert_eq!(count(&target, "SELECT count(*) AS n FROM users"), 1);
    assert_eq!(
        count(&target, "SELECT count(*) AS n FROM refresh_tokens"),
        1
    );
    assert_eq!(
        count(&target, "SELECT count(*) AS n FROM authctl_audit_events"),
        200001
    );
}
