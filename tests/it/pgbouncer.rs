//! authctl behind a real PgBouncer (Debian's `pgbouncer`), in transaction and in
//! session pool mode: the operator's key paths, concurrent `migrate` and
//! `purge-expired` runners, a killed purge, and locks that name their holder.

use crate::common;

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::PgDb;
use common::pgbouncer::{PgBouncer, PoolMode};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

const PASSWORD: &str = "correct horse battery staple 42";
const PURGE_LOCK: i64 = 0x6175_7468_7075_7267;
const MIGRATE_LOCK: i64 = 0x6175_7468_6d69_6772;

/// `authctl args…` against `url`, with `stdin`; returns the finished output.
fn run(url: &str, args: &[&str], stdin: &str) -> common::Run {
    common::run(
        common::authctl()
            .env("DATABASE_URL", url)
            .args(args)
            .write_stdin(stdin.to_owned()),
    )
}

/// [`common::authctl`] against `url` as a process to start and leave running (or kill).
fn command(url: &str, args: &[&str]) -> Command {
    common::spawnable(common::authctl().env("DATABASE_URL", url).args(args))
}

#[track_caller]
fn ok(url: &str, args: &[&str], stdin: &str) -> String {
    let out = run(url, args, stdin);
    assert_eq!(out.code, 0, "authctl {args:?}\n{out}");
    out.stdout
}

#[track_caller]
fn json(url: &str, args: &[&str]) -> serde_json::Value {
    let mut a = args.to_vec();
    a.extend(["--output", "json"]);
    let out = ok(url, &a, "");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

fn spawn(url: &str, args: &[&str]) -> Child {
    command(url, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn authctl")
}

fn count(db: &PgDb, sql: &str) -> i64 {
    db.strings(&format!("SELECT CAST(({sql}) AS TEXT) AS v"))[0]
        .parse()
        .unwrap()
}

/// Every operator command an on-call engineer reaches for, through the pooler,
/// each run more than once so consecutive commands land on server connections
/// other clients used before (where a named prepared statement or a session `SET`
/// left behind would fail or leak).
fn key_paths(mode: PoolMode) {
    let Some(bouncer) = PgBouncer::start(mode) else {
        return;
    };
    let db = PgDb::create().expect("postgres");
    let url = bouncer.url(&db.name);
    // A database default other clients of the pool rely on, unlike the UTC Diesel
    // sets on each authctl connection (checked at the end).
    db.admin(&format!(
        "ALTER DATABASE {} SET timezone = 'America/New_York'",
        db.name
    ));

    ok(&url, &["migrate"], "");
    ok(&url, &["migrate", "--check"], "");
    let status = json(&url, &["migrate", "status"]);
    assert!(
        status["migrations"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["state"] == "applied"),
        "{status}"
    );
    let out = ok(
        &url,
        &[
            "users",
            "create",
            "ops@example.com",
            "--password-stdin",
            "--role",
            "admin",
        ],
        PASSWORD,
    );
    assert!(out.contains("created user"), "{out}");
    ok(
        &url,
        &["users", "create", "eve@example.com", "--password-stdin"],
        PASSWORD,
    );
    for _ in 0..3 {
        let users = json(&url, &["users", "list"]);
        assert_eq!(users.as_array().map(Vec::len), Some(2), "{users}");
    }
    let eve = json(&url, &["users", "show", "eve@example.com"]);
    let eve_id = eve["id"].as_str().expect("id").to_owned();
    ok(
        &url,
        &[
            "users",
            "update",
            "eve@example.com",
            "--name",
            "Eve",
            "--yes",
        ],
        "",
    );
    db.psql(&format!(
        "INSERT INTO refresh_tokens (user_id, token, expires_at) \
           VALUES ('{eve_id}', 'tok-{eve_id}-a', now() + interval '1 day'), \
                  ('{eve_id}', 'tok-{eve_id}-b', now() + interval '1 day'); \
         INSERT INTO login_sessions (user_id, expires_at) VALUES ('{eve_id}', now() + interval '1 day'); \
         INSERT INTO auth_attempts (email, ip_address, success) \
           SELECT 'eve@example.com', '2001:db8::7', false FROM generate_series(1, 6)"
    ));
    for _ in 0..2 {
        assert_eq!(
            json(&url, &["tokens", "list"]).as_array().map(Vec::len),
            Some(2)
        );
        assert_eq!(
            json(&url, &["sessions", "list"]).as_array().map(Vec::len),
            Some(1)
        );
        assert_eq!(
            json(&url, &["attempts", "list", "--failed"])
                .as_array()
                .map(Vec::len),
            Some(6)
        );
    }
    let blocked = json(&url, &["attempts", "blocked"]);
    assert!(blocked.to_string().contains("2001:db8::7"), "{blocked}");
    json(&url, &["attempts", "top", "--by", "ip", "--since", "1h"]);
    ok(
        &url,
        &["attempts", "clear", "--ip", "2001:db8::7", "--yes"],
        "",
    );
    assert_eq!(count(&db, "SELECT count(*) FROM auth_attempts"), 0);
    ok(
        &url,
        &["tokens", "revoke", "--user", "eve@example.com", "--yes"],
        "",
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM refresh_tokens WHERE is_revoked"),
        2
    );
    ok(
        &url,
        &["sessions", "revoke", "--user", "eve@example.com", "--yes"],
        "",
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM login_sessions WHERE NOT is_active"
        ),
        1
    );
    ok(&url, &["users", "disable", "eve@example.com", "--yes"], "");
    ok(&url, &["users", "enable", "eve@example.com", "--yes"], "");
    ok(
        &url,
        &[
            "users",
            "reset-password",
            "eve@example.com",
            "--password-stdin",
            "--yes",
        ],
        "another fine horse battery 43",
    );
    let stats = ok(&url, &["stats", "--prometheus"], "");
    assert!(stats.contains("authctl_users"), "{stats}");
    let audit = json(&url, &["audit", "list"]);
    assert!(audit.as_array().map(Vec::len).unwrap_or(0) >= 6, "{audit}");
    ok(&url, &["purge-expired"], "");
    ok(&url, &["purge-expired", "--dry-run"], "");
    ok(&url, &["users", "delete", "eve@example.com", "--yes"], "");
    assert_eq!(count(&db, "SELECT count(*) FROM users"), 1);

    // Nothing authctl did stayed behind in the pooled server sessions: no prepared
    // statement and no changed setting, as any other client of the pool sees.
    let mut c = PgConnection::establish(&url).expect("connect through pgbouncer");
    c.set_prepared_statement_cache_size(diesel::connection::CacheSize::Disabled);
    for _ in 0..10 {
        let leaked = db_strings(
            &mut c,
            "SELECT CAST(count(*) AS TEXT) AS v FROM pg_prepared_statements",
        );
        assert_eq!(
            leaked,
            ["0"],
            "prepared statements left in a pooled session"
        );
        let lock_timeout = db_strings(&mut c, "SELECT current_setting('lock_timeout') AS v");
        assert_eq!(
            lock_timeout,
            ["0"],
            "lock_timeout leaked into a pooled session"
        );
    }
    // Diesel's connect-time `SET TIME ZONE 'UTC'` / `SET CLIENT_ENCODING` are
    // parameters PgBouncer tracks per client: a plain client of the same pool (psql,
    // which sets no time zone) still gets the database's default on every
    // transaction, whichever server connection authctl used before.
    let shows = std::process::Command::new("psql")
        .args(["-X", "-A", "-t", "-d", &url])
        .args(std::iter::repeat_n(["-c", "SHOW TimeZone"], 10).flatten())
        .env_remove("PGTZ")
        .env_remove("PGOPTIONS")
        .output()
        .expect("run psql");
    assert!(shows.status.success(), "psql: {shows:?}");
    let zones = String::from_utf8_lossy(&shows.stdout).into_owned();
    let zones: Vec<&str> = zones.lines().collect();
    assert_eq!(
        zones,
        vec!["America/New_York"; 10],
        "TimeZone leaked into a pooled session"
    );
}

fn db_strings(c: &mut PgConnection, sql: &str) -> Vec<String> {
    use diesel::prelude::*;
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    diesel::sql_query(sql)
        .load::<Row>(c)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(|r| r.v)
        .collect()
}

#[test]
fn key_paths_through_transaction_pooling() {
    key_paths(PoolMode::Transaction);
}

#[test]
fn key_paths_through_session_pooling() {
    key_paths(PoolMode::Session);
}

/// Four deploy hosts run `authctl migrate` at once through the pooler: exactly one
/// creates the schema, the others wait for its lock and find nothing to do, and
/// every step is recorded once.
#[test]
fn four_concurrent_migrates_through_transaction_pooling() {
    let Some(bouncer) = PgBouncer::start(PoolMode::Transaction) else {
        return;
    };
    let db = PgDb::create().expect("postgres");
    let url = bouncer.url(&db.name);
    let runners: Vec<Child> = (0..4)
        .map(|_| spawn(&url, &["migrate", "--output", "json", "--lock-wait", "60s"]))
        .collect();
    let outs: Vec<Output> = runners
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect();
    let mut did_work = 0;
    for o in &outs {
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success(),
            "migrate exited {:?}: {stdout}\n{}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        );
        let report: serde_json::Value = serde_json::from_str(&stdout).expect("json");
        let n = ["created", "adopted", "applied"]
            .iter()
            .map(|k| report[k].as_array().map(Vec::len).unwrap_or(0))
            .sum::<usize>();
        if n > 0 {
            did_work += 1;
            assert_eq!(
                report["created"].as_array().map(Vec::len),
                Some(4),
                "{report}"
            );
        }
    }
    assert_eq!(did_work, 1, "exactly one runner migrates");
    assert_eq!(
        db.strings("SELECT version AS v FROM schema_migrations ORDER BY version"),
        [
            "005_create_users_table",
            "006_create_auth_tables",
            "007_create_refresh_tokens_table",
            "008_create_login_sessions_table"
        ]
        .map(String::from)
    );
    assert_eq!(count(&db, "SELECT count(*) FROM schema_migrations"), 4);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) - count(DISTINCT version) FROM __diesel_schema_migrations"
        ),
        0
    );
    ok(&url, &["migrate", "--check"], "");
}

/// A user with `n` expired refresh tokens (and 50 valid ones that must survive).
fn seed_expired(db: &PgDb, n: i64) {
    db.psql(&format!(
        "INSERT INTO users (id, email, password_hash) \
           VALUES ('00000000-0000-4000-8000-000000000001', 'bulk@example.com', 'x'); \
         INSERT INTO refresh_tokens (user_id, token, expires_at, created_at) \
           SELECT '00000000-0000-4000-8000-000000000001', 'bulk-' || lpad(to_hex(i), 40, '0'), \
                  now() - interval '2 days', now() - interval '30 days' \
           FROM generate_series(1, {n}) i; \
         INSERT INTO refresh_tokens (user_id, token, expires_at) \
           SELECT '00000000-0000-4000-8000-000000000001', 'keep-' || lpad(to_hex(i), 40, '0'), \
                  now() + interval '2 days' \
           FROM generate_series(1, 50) i; \
         ANALYZE refresh_tokens"
    ));
}

const EXPIRED: &str = "SELECT count(*) FROM refresh_tokens WHERE expires_at < now()";
const VALID: &str = "SELECT count(*) FROM refresh_tokens WHERE expires_at >= now()";

/// Two cron hosts start `purge-expired` at once through the pooler: one purges,
/// the other is told who holds the lock (exit 75); with `--wait` the second queues
/// behind the first and finds nothing left. Nothing valid is deleted.
#[test]
fn two_concurrent_purges_through_transaction_pooling() {
    let Some(bouncer) = PgBouncer::start(PoolMode::Transaction) else {
        return;
    };
    let db = PgDb::create().expect("postgres");
    let url = bouncer.url(&db.name);
    ok(&url, &["migrate"], "");
    seed_expired(&db, 20_000);

    // Without --wait: the loser names the winner.
    let slow = [
        "purge-expired",
        "--only",
        "tokens",
        "--batch-size",
        "500",
        "--strategy",
        "keyset",
        "--sleep",
        "100ms",
    ];
    let first = spawn(&url, &slow);
    wait_for_lock(&db, PURGE_LOCK);
    let second = run(&url, &["purge-expired", "--only", "tokens"], "");
    assert_eq!(second.code, 75, "{second:?}");
    let err = second.stderr.clone();
    assert!(err.contains("held by backend pid"), "{err}");
    assert!(err.contains("application \"authctl@"), "{err}");
    assert!(err.contains("since "), "{err}");
    assert!(err.contains("--wait"), "{err}");
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{first:?}");
    assert_eq!(count(&db, EXPIRED), 0);
    assert_eq!(count(&db, VALID), 50);

    // With --wait: both succeed, one after the other; the second finds nothing.
    seed_more(&db, 20_000);
    let a = spawn(
        &url,
        &[&slow[..], &["--wait", "60s", "--output", "json"]].concat(),
    );
    wait_for_lock(&db, PURGE_LOCK);
    let b = spawn(
        &url,
        &[
            "purge-expired",
            "--only",
            "tokens",
            "--wait",
            "60s",
            "--output",
            "json",
        ],
    );
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() && b.status.success(), "{a:?}\n{b:?}");
    let deleted = |o: &Output| -> u64 {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["deleted"].as_u64().unwrap())
            .sum()
    };
    assert_eq!(deleted(&a), 20_000);
    assert_eq!(deleted(&b), 0);
    assert_eq!(count(&db, EXPIRED), 0);
    assert_eq!(count(&db, VALID), 50);
}

fn seed_more(db: &PgDb, n: i64) {
    db.psql(&format!(
        "INSERT INTO refresh_tokens (user_id, token, expires_at, created_at) \
           SELECT '00000000-0000-4000-8000-000000000001', 'more-' || lpad(to_hex(i), 40, '0'), \
                  now() - interval '2 days', now() - interval '30 days' \
           FROM generate_series(1, {n}) i"
    ));
}

/// Wait until someone holds advisory lock `key` in this database.
fn wait_for_lock(db: &PgDb, key: i64) {
    common::wait_until(&format!("somebody takes lock {key:#x}"), || {
        lock_holders(db, key) > 0
    });
}

fn lock_holders(db: &PgDb, key: i64) -> i64 {
    let (hi, lo) = (
        ((key as u64) >> 32) as i64,
        ((key as u64) & 0xffff_ffff) as i64,
    );
    count(
        db,
        &format!(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
             WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database() \
               AND l.classid::bigint = {hi} AND l.objid::bigint = {lo}"
        ),
    )
}

/// `kill -9` of a purge in the middle of its batches, through the pooler: its lock
/// is gone at once (no `--wait` needed), no server backend keeps working for it,
/// and a rerun finishes the job.
#[test]
fn kill_9_mid_purge_then_rerun_through_transaction_pooling() {
    let Some(bouncer) = PgBouncer::start(PoolMode::Transaction) else {
        return;
    };
    let db = PgDb::create().expect("postgres");
    let url = bouncer.url(&db.name);
    ok(&url, &["migrate"], "");
    seed_expired(&db, 30_000);
    let mut victim = spawn(
        &url,
        &[
            "purge-expired",
            "--only",
            "tokens",
            "--batch-size",
            "500",
            "--strategy",
            "keyset",
            "--sleep",
            "50ms",
        ],
    );
    common::wait_until("the purge deletes 5,000 rows", || {
        count(&db, EXPIRED) <= 25_000
    });
    let pid = victim.id();
    victim.kill().expect("kill -9"); // SIGKILL
    let _ = victim.wait();
    let left = count(&db, EXPIRED);
    assert!(left > 0, "the purge finished before it was killed");

    // Lock released and no backend left working for the dead runner (PgBouncer may
    // keep the server connection it used, idle, in its pool).
    let app = format!("authctl@%:{pid}");
    let start = Instant::now();
    loop {
        let backends = count(
            &db,
            &format!(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '{app}' \
                 AND datname = current_database() AND state <> 'idle'"
            ),
        );
        if lock_holders(&db, PURGE_LOCK) == 0 && backends == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "5 s after kill -9: {backends} backend(s) still working for the dead runner, lock holders: {}",
            lock_holders(&db, PURGE_LOCK)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = run(&url, &["purge-expired", "--only", "tokens"], "");
    assert_eq!(out.code, 0, "rerun after kill -9: {out:?}");
    assert_eq!(count(&db, EXPIRED), 0);
    assert_eq!(count(&db, VALID), 50);
}

/// A `migrate` that cannot get the lock says who has it: the backend pid, its
/// application name and since when — here a session of ours holding it.
/// A direct session (application "deploy-host-7") holding the migration lock in an
/// open transaction, and its backend pid.
fn hold_migration_lock(db: &PgDb) -> (PgConnection, String) {
    let direct = format!("{}?application_name=deploy-host-7", db.url);
    let mut holder = PgConnection::establish(&direct).expect("connect");
    holder
        .batch_execute(&format!(
            "BEGIN; SELECT pg_advisory_xact_lock({MIGRATE_LOCK})"
        ))
        .expect("take the migration lock");
    let pid = db_strings(&mut holder, "SELECT CAST(pg_backend_pid() AS TEXT) AS v")[0].clone();
    (holder, pid)
}

#[test]
fn busy_migrate_lock_names_its_holder() {
    let Some(bouncer) = PgBouncer::start(PoolMode::Transaction) else {
        return;
    };
    let db = PgDb::create().expect("postgres");
    let url = bouncer.url(&db.name);
    let (mut holder, pid) = hold_migration_lock(&db);
    let out = run(&url, &["migrate", "--lock-wait", "1s"], "");
    assert_eq!(out.code, 75, "{out:?}");
    let err = out.stderr.clone();
    assert!(
        err.contains(&format!("held by backend pid {pid} ")),
        "{err}"
    );
    assert!(err.contains("application \"deploy-host-7\""), "{err}");
    assert!(err.contains("since "), "{err}");
    assert!(!db.has_table("users"), "nothing was changed");
    holder.batch_execute("COMMIT").unwrap();
    ok(&url, &["migrate"], "");
    assert!(db.has_table("users"));
}

/// A killed authctl leaves no backend working for it: `migrate` blocked behind the
/// application's table lock (its DDL would wait up to a 60 s `lock_timeout`) is
/// killed with SIGKILL; within 5 s its backend is gone — directly and through
/// transaction pooling (`client_connection_check_interval`, set in every
/// transaction authctl opens).
#[test]
fn killed_runner_leaves_no_backend_waiting() {
    let Some(bouncer) = PgBouncer::start(PoolMode::Transaction) else {
        return;
    };
    for through_pooler in [false, true] {
        let Some(db) = PgDb::app_migrated(Some("005")) else {
            return;
        };
        let url = if through_pooler {
            bouncer.url(&db.name)
        } else {
            db.url.clone()
        };
        let mut app = PgConnection::establish(&db.url).expect("connect");
        app.batch_execute("BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE")
            .expect("lock users");
        let mut runner = command(&url, &["migrate"])
            .env("AUTHCTL_LOCK_TIMEOUT", "60s")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let mine = format!(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'authctl@%:{}' \
             AND datname = current_database()",
            runner.id()
        );
        common::wait_until(
            &format!("migrate waits for the users lock (pooler: {through_pooler})"),
            || count(&db, &format!("{mine} AND wait_event_type = 'Lock'")) > 0,
        );
        runner.kill().expect("kill -9");
        let _ = runner.wait();
        let killed = Instant::now();
        while count(&db, &format!("{mine} AND state <> 'idle'")) > 0 {
            assert!(
                killed.elapsed() < Duration::from_secs(5),
                "5 s after kill -9 the dead runner's backend still waits (pooler: {through_pooler})"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        app.batch_execute("COMMIT").unwrap();
        let out = run(&url, &["migrate", "--output", "json"], "");
        assert_eq!(out.code, 0, "{out:?}");
        assert!(db.has_table("login_sessions"));
    }
}

/// Rows of `pg_stat_activity` for the authctl process `pid` on this database.
fn backends_of(pid: u32) -> String {
    format!(
        "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'authctl@%:{pid}' \
         AND datname = current_database()"
    )
}

/// A killed reader leaves no backend running its query: each listing and lookup
/// waits behind the application's ACCESS EXCLUSIVE lock on the table it reads (as
/// it would behind a long scan, only for as long as the test likes), is killed
/// with SIGKILL while its statement runs, and its backend stops within seconds —
/// directly and through transaction pooling. Without a guarded read transaction
/// the backend would keep waiting (and then run the query) for nobody.
#[test]
fn killed_read_leaves_no_backend_running() {
    let Some(bouncer) = PgBouncer::start(PoolMode::Transaction) else {
        return;
    };
    let db = PgDb::create().expect("postgres");
    ok(&db.url, &["migrate"], "");
    ok(
        &db.url,
        &["users", "create", "ops@example.com", "--password-stdin"],
        PASSWORD,
    );
    let reads: [(&str, &[&str]); 5] = [
        ("users", &["users", "list", "--all"]),
        ("users", &["users", "show", "ops@example.com"]),
        ("authctl_audit_events", &["audit", "list"]),
        ("login_sessions", &["sessions", "list", "--all"]),
        ("refresh_tokens", &["tokens", "list"]),
    ];
    let mut survivors = Vec::new();
    for through_pooler in [false, true] {
        let url = if through_pooler {
            bouncer.url(&db.name)
        } else {
            db.url.clone()
        };
        for (table, args) in reads {
            let what = format!("authctl {args:?} (pooler: {through_pooler})");
            let mut app = PgConnection::establish(&db.url).expect("connect");
            app.batch_execute(&format!(
                "BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE"
            ))
            .expect("lock the table");
            let mut reader = command(&url, args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("spawn");
            let mine = backends_of(reader.id());
            // Its read is running: active, waiting for the table's lock.
            let running = format!(
                "{mine} AND state = 'active' AND wait_event_type = 'Lock' AND query LIKE '%\"{table}\"%'"
            );
            let start = Instant::now();
            while count(&db, &running) == 0 {
                if start.elapsed() > Duration::from_secs(30) {
                    let _ = reader.kill();
                    panic!("{what} never waited for the {table} lock");
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            reader.kill().expect("kill -9");
            let _ = reader.wait();
            let killed = Instant::now();
            // Directly the backend ends; PgBouncer may keep a server connection it
            // used, idle, in its pool.
            let left = if through_pooler {
                format!("{mine} AND state <> 'idle'")
            } else {
                mine.clone()
            };
            while count(&db, &left) > 0 {
                if killed.elapsed() > Duration::from_secs(10) {
                    survivors.push(what);
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            app.batch_execute("ROLLBACK").unwrap();
        }
    }
    assert!(
        survivors.is_empty(),
        "10 s after kill -9 the backend still ran the read of: {survivors:#?}"
    );
}

/// Drops a role when the test ends (however it ends).
struct Role<'a> {
    db: &'a PgDb,
    name: String,
}

impl Drop for Role<'_> {
    fn drop(&mut self) {
        let _ = PgConnection::establish(&self.db.url).and_then(|mut c| {
            c.batch_execute(&format!("DROP ROLE IF EXISTS {}", self.name))
                .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))
        });
    }
}

/// A migration lock held by a session of another role, seen by a role without
/// `pg_read_all_stats`: PostgreSQL hides that session's client and times, and the
/// message says so (naming the role and the grant) instead of calling it a local
/// client "since an unknown time". With the grant, the details are shown.
#[test]
fn lock_held_by_another_role_says_its_details_are_hidden() {
    let Some(db) = PgDb::create() else {
        return;
    };
    let role = Role {
        db: &db,
        name: format!("{}_viewer", db.name),
    };
    db.psql(&format!("CREATE ROLE {} LOGIN", role.name));
    let mut as_role = url::Url::parse(&db.url).unwrap();
    as_role.set_username(&role.name).unwrap();
    let as_role = as_role.to_string();

    let (mut holder, pid) = hold_migration_lock(&db);

    let out = run(&as_role, &["migrate", "--lock-wait", "1s"], "");
    assert_eq!(out.code, 75, "{out:?}");
    let err = out.stderr.clone();
    assert!(
        err.contains(&format!(
            "held by backend pid {pid} (application \"deploy-host-7\"; its client, start time \
             and activity are hidden from role \"{}\": grant it pg_read_all_stats",
            role.name
        )),
        "{err}"
    );
    assert!(!err.contains("client local"), "{err}");
    assert!(!err.contains("unknown time"), "{err}");

    db.psql(&format!("GRANT pg_read_all_stats TO {}", role.name));
    let out = run(&as_role, &["migrate", "--lock-wait", "1s"], "");
    assert_eq!(out.code, 75, "{out:?}");
    let err = out.stderr.clone();
    assert!(
        err.contains(&format!(
            "held by backend pid {pid} (application \"deploy-host-7\", client 127.0.0.1) since 20"
        )),
        "{err}"
    );
    assert!(!err.contains("hidden"), "{err}");
    holder.batch_execute("COMMIT").unwrap();
}

/// A lock holder that is itself stuck behind someone else's lock is reported as
/// waiting, with the blocking backend: here a `migrate` holding the migration lock
/// waits for the application's ACCESS EXCLUSIVE lock on `schema_migrations`, and a
/// second `migrate` names that session.
#[test]
fn busy_lock_holder_that_waits_names_who_blocks_it() {
    let Some(bouncer) = PgBouncer::start(PoolMode::Transaction) else {
        return;
    };
    let db = PgDb::create().expect("postgres");
    let url = bouncer.url(&db.name);
    ok(&url, &["migrate"], "");
    let mut app =
        PgConnection::establish(&format!("{}?application_name=app-ddl", db.url)).expect("connect");
    app.batch_execute("BEGIN; LOCK TABLE schema_migrations IN ACCESS EXCLUSIVE MODE")
        .expect("lock schema_migrations");
    let app_pid = db_strings(&mut app, "SELECT CAST(pg_backend_pid() AS TEXT) AS v")[0].clone();

    let mut first = command(&url, &["migrate"])
        .env("AUTHCTL_LOCK_TIMEOUT", "60s")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    wait_for_lock(&db, MIGRATE_LOCK);
    let waiting = format!("{} AND wait_event_type = 'Lock'", backends_of(first.id()));
    let start = Instant::now();
    while count(&db, &waiting) == 0 {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = first.kill();
            panic!("the first migrate never waited for schema_migrations");
        }
        std::thread::sleep(Duration::from_millis(20));
    }

    let out = run(&url, &["migrate", "--lock-wait", "1s"], "");
    assert_eq!(out.code, 75, "{out:?}");
    let err = out.stderr.clone();
    assert!(
        err.contains(&format!(
            "it is waiting for a lock held by backend pid {app_pid} (application \"app-ddl\") (Lock relation)"
        )),
        "{err}"
    );
    app.batch_execute("ROLLBACK").unwrap();
    let first = first.wait_with_output().unwrap();
    assert!(first.status.success(), "{first:?}");
}

/// A purge behind a PgBouncer pool of one server connection cannot run (its lock
/// connection keeps one for the whole run); PgBouncer gives up after its
/// `query_wait_timeout` and the error says why and what the pool needs — in
/// transaction mode (the work connection waits) and in session mode (the lock
/// connection waits).
#[test]
fn purge_through_a_one_connection_pool_says_it_needs_two() {
    for mode in [PoolMode::Transaction, PoolMode::Session] {
        let Some(bouncer) = PgBouncer::start_with(
            mode,
            &[("default_pool_size", "1"), ("query_wait_timeout", "3")],
        ) else {
            return;
        };
        let db = PgDb::create().expect("postgres");
        let url = bouncer.url(&db.name);
        ok(&url, &["migrate"], "");
        seed_expired(&db, 100);
        let out = run(&url, &["purge-expired", "--only", "tokens"], "");
        let err = out.stderr.clone();
        assert_eq!(out.code, 69, "{mode:?}: {err}");
        assert!(err.contains("query_wait_timeout"), "{mode:?}: {err}");
        assert!(
            err.contains("`purge-expired` needs 2 server connections at once"),
            "{mode:?}: {err}"
        );
        // Which connection waited: the work connection behind the lock connection
        // (transaction mode), or the lock connection behind the work connection's
        // session (session mode).
        let which = match mode {
            PoolMode::Transaction => "this run holds its lock on a second connection",
            PoolMode::Session => {
                "this is the run's second connection, which takes and holds its lock"
            }
        };
        assert!(err.contains(which), "{mode:?}: {err}");
        assert!(err.contains("default_pool_size"), "{mode:?}: {err}");
        assert_eq!(count(&db, EXPIRED), 100, "{mode:?}: nothing purged");
    }
}
