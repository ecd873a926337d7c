//! `authctl purge-expired`: the cutoffs at every edge, dry run, table selection,
//! output, batching and row caps, many rows with both PostgreSQL strategies, rows the
//! application holds locked, concurrent purges and the purge lock, SIGTERM and
//! `kill -9` mid-run, and production mode. Through the real binary against real
//! databases (both backends), seeded with SQL.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Child, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use authctl::db::{UtcDateTime, UtcTimestamp};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::Value;

use crate::common::{self, TestDb};

/// The advisory lock key `purge-expired` takes on PostgreSQL: "authpurg" as an i64
/// (0x6175_7468_7075_7267 = 7022647185866322535).
const PURGE_LOCK: i64 = 0x6175_7468_7075_7267;

const TOKENS: &str = "refresh_tokens";
const SESSIONS: &str = "login_sessions";

// ---------------------------------------------------------------------------------
// Running authctl

/// The outcome of one authctl run.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{self}"))
    }
}

fn run(cmd: &mut assert_cmd::Command) -> Run {
    cmd.timeout(Duration::from_secs(60))
        .output()
        .expect("run authctl")
        .into()
}

/// `authctl --database-url <db> purge-expired ARGS…`
fn purge(db: &TestDb, args: &[&str]) -> Run {
    run(db.authctl().arg("purge-expired").args(args))
}

/// `authctl --database-url <db> -o json purge-expired ARGS…`, expecting exit 0.
fn purge_json(db: &TestDb, args: &[&str]) -> Value {
    let r = run(db
        .authctl()
        .args(["-o", "json", "purge-expired"])
        .args(args));
    assert_eq!(r.code, Some(0), "{}: purge {args:?}\n{r}", db.label());
    r.json()
}

/// The same command as a `std::process::Command`, to run it in the background.
fn spawnable(cmd: &assert_cmd::Command) -> std::process::Command {
    let mut std_cmd = std::process::Command::new(cmd.get_program());
    std_cmd.args(cmd.get_args()).env_clear();
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => std_cmd.env(key, v),
            None => std_cmd.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        std_cmd.current_dir(dir);
    }
    std_cmd
}

/// A background authctl run, killed if the test fails before waiting for it.
struct Background(Option<Child>);

impl Background {
    fn pid(&self) -> String {
        self.0.as_ref().expect("running").id().to_string()
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Start `authctl … purge-expired ARGS…` in the background, output captured.
fn spawn_purge(db: &TestDb, global: &[&str], args: &[&str]) -> Background {
    let mut cmd = db.authctl();
    cmd.args(global).arg("purge-expired").args(args);
    let child = spawnable(&cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn authctl");
    Background(Some(child))
}

/// Wait for a background run (killing it after `limit`).
fn finish(mut bg: Background, limit: Duration) -> Run {
    let mut child = bg.0.take().expect("running");
    let start = Instant::now();
    while child.try_wait().expect("try_wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let out = child.wait_with_output().expect("wait");
            panic!(
                "authctl did not finish within {limit:?}\n{}",
                Run::from(out)
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().expect("wait").into()
}

/// `kill SIG PID` (the `libc` crate is not a dependency).
fn signal(bg: &Background, sig: &str) {
    let status = std::process::Command::new("kill")
        .args([sig, &bg.pid()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill {sig} failed");
}

/// Sets the flag when dropped, also while unwinding from a failed assertion.
struct SetOnDrop<'a>(&'a AtomicBool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

// ---------------------------------------------------------------------------------
// Time expressions and seeding

/// SQL for the current time, in the form the backend stores (SQLite: authctl's UTC text).
fn now_sql(db: &TestDb) -> String {
    if db.is_postgres() {
        "now()".into()
    } else {
        "strftime('%Y-%m-%d %H:%M:%f', 'now')".into()
    }
}

fn shifted(db: &TestDb, sign: char, span: &str) -> String {
    if db.is_postgres() {
        format!("(now() {sign} interval '{span}')")
    } else {
        format!("strftime('%Y-%m-%d %H:%M:%f', 'now', '{sign}{span}')")
    }
}

/// SQL for `span` ago, e.g. `ago(db, "1 hour")`.
fn ago(db: &TestDb, span: &str) -> String {
    shifted(db, '-', span)
}

/// SQL for `span` from now.
fn from_now(db: &TestDb, span: &str) -> String {
    shifted(db, '+', span)
}

/// A migrated database with one user; returns the user's id.
fn setup(db: &TestDb) -> i64 {
    drop(db.migrated());
    db.exec("INSERT INTO users (email, password_hash) VALUES ('purge@example.com', 'x')");
    common::count(
        db,
        "SELECT id AS n FROM users WHERE email = 'purge@example.com'",
    )
}

/// Insert one token or session labelled `label` (kept in `user_agent`); returns its id.
fn insert(
    db: &TestDb,
    table: &str,
    user: i64,
    label: &str,
    expires: &str,
    revoked: Option<&str>,
) -> i64 {
    let hash = authctl::token::hash_token(&format!("{table}/{label}"));
    let revoked = revoked.unwrap_or("NULL");
    common::count(
        db,
        &format!(
            "INSERT INTO {table} (user_id, token_hash, expires_at, revoked_at, user_agent) \
             VALUES ({user}, '{hash}', {expires}, {revoked}, '{label}') RETURNING id AS n"
        ),
    )
}

/// Insert rows `first..=last` into `table` in one statement; `expires` is SQL that
/// may use the row number `i`. Token hashes are `i` in 64 hex digits.
fn insert_series(db: &TestDb, table: &str, user: i64, first: i64, last: i64, expires: &str) {
    let sql = if db.is_postgres() {
        format!(
            "INSERT INTO {table} (user_id, token_hash, expires_at, user_agent) \
             SELECT {user}, lpad(to_hex(i), 64, '0'), {expires}, 'bulk' \
             FROM generate_series({first}::bigint, {last}::bigint) AS i"
        )
    } else {
        format!(
            "WITH RECURSIVE s(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM s WHERE i < {last}) \
             INSERT INTO {table} (user_id, token_hash, expires_at, user_agent) \
             SELECT {user}, printf('%064x', i), {expires}, 'bulk' FROM s"
        )
    };
    db.exec(&sql);
}

/// Insert an audit event that occurred at `at`; returns its id.
fn insert_audit(db: &TestDb, label: &str, at: &str) -> i64 {
    common::count(
        db,
        &format!(
            "INSERT INTO audit_events (occurred_at, actor, action, detail) \
             VALUES ({at}, 'test', 'test.{label}', NULL) RETURNING id AS n"
        ),
    )
}

fn rows(db: &TestDb, table: &str) -> i64 {
    common::count(db, &format!("SELECT count(*) AS n FROM {table}"))
}

/// Rows of `table` expired at the current time.
fn expired(db: &TestDb, table: &str) -> i64 {
    common::count(
        db,
        &format!(
            "SELECT count(*) AS n FROM {table} WHERE expires_at <= {}",
            now_sql(db)
        ),
    )
}

/// Rows of `table` not expired at the current time.
fn live(db: &TestDb, table: &str) -> i64 {
    common::count(
        db,
        &format!(
            "SELECT count(*) AS n FROM {table} WHERE expires_at > {}",
            now_sql(db)
        ),
    )
}

fn ids(db: &TestDb, table: &str) -> BTreeSet<i64> {
    common::query_strings(db, &format!("SELECT CAST(id AS TEXT) AS v FROM {table}"))
        .into_iter()
        .map(|s| s.parse().unwrap())
        .collect()
}

/// One token or session as stored.
#[derive(QueryableByName, Debug, Clone)]
struct Cred {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    label: String,
    #[diesel(sql_type = UtcTimestamp)]
    expires_at: UtcDateTime,
    #[diesel(sql_type = diesel::sql_types::Nullable<UtcTimestamp>)]
    revoked_at: Option<UtcDateTime>,
}

fn creds(db: &TestDb, table: &str) -> Vec<Cred> {
    let sql = format!(
        "SELECT id, COALESCE(user_agent, '') AS label, expires_at, revoked_at FROM {table} ORDER BY id"
    );
    let mut conn = db.connect();
    authctl::with_conn!(&mut conn, c => diesel::sql_query(&sql).load::<Cred>(c))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

// ---------------------------------------------------------------------------------
// The JSON report

fn table_report<'a>(report: &'a Value, table: &str) -> Option<&'a Value> {
    report["tables"]
        .as_array()
        .unwrap_or_else(|| panic!("no tables in {report}"))
        .iter()
        .find(|t| t["table"] == table)
}

/// `deleted` of `table` in a report (the table must be listed).
fn deleted(report: &Value, table: &str) -> u64 {
    table_report(report, table).unwrap_or_else(|| panic!("{table} not in {report}"))["deleted"]
        .as_u64()
        .unwrap_or_else(|| panic!("no deleted count for {table} in {report}"))
}

fn field(report: &Value, table: &str, name: &str) -> Value {
    table_report(report, table).unwrap_or_else(|| panic!("{table} not in {report}"))[name].clone()
}

fn listed_tables(report: &Value) -> Vec<String> {
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["table"].as_str().unwrap().to_owned())
        .collect()
}

fn total_deleted(report: &Value) -> u64 {
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["deleted"].as_u64().unwrap())
        .sum()
}

fn cutoff(report: &Value, name: &str) -> UtcDateTime {
    let s = report["cutoffs"][name]
        .as_str()
        .unwrap_or_else(|| panic!("no cutoff {name} in {report}"));
    UtcDateTime(
        chrono::DateTime::parse_from_rfc3339(s)
            .unwrap_or_else(|e| panic!("cutoff {s:?}: {e}"))
            .with_timezone(&chrono::Utc),
    )
}

// ---------------------------------------------------------------------------------
// Cutoffs

/// The labelled rows of the edge test, and whether a default purge deletes them.
/// `live_1s` is decided against the run's actual cutoff (a slow machine may start the
/// purge more than a second after seeding).
fn edge_rows(db: &TestDb) -> Vec<(&'static str, String, Option<String>, Option<bool>)> {
    vec![
        ("exp_1d", ago(db, "1 day"), None, Some(true)),
        ("exp_1s", ago(db, "1 second"), None, Some(true)),
        ("exp_now", now_sql(db), None, Some(true)),
        ("live_1s", from_now(db, "1 second"), None, None),
        ("live_1h", from_now(db, "1 hour"), None, Some(false)),
        ("live_100y", from_now(db, "100 years"), None, Some(false)),
        (
            "rev_8d",
            from_now(db, "1 hour"),
            Some(ago(db, "8 days")),
            Some(true),
        ),
        (
            "rev_1d",
            from_now(db, "1 hour"),
            Some(ago(db, "1 day")),
            Some(false),
        ),
        (
            "rev_1s",
            from_now(db, "1 hour"),
            Some(ago(db, "1 second")),
            Some(false),
        ),
    ]
}

/// Check a purge of the labelled rows `before` (per table) against the report's
/// cutoffs: exactly the rows with `expires_at <= expired_before` or `revoked_at <=
/// revoked_before` are gone, the JSON counts match, and every label with a fixed
/// expectation in `expect` (`Some(true)`: deleted) went the expected way.
fn verify_cutoffs(
    db: &TestDb,
    before: &BTreeMap<&str, Vec<Cred>>,
    report: &Value,
    expect: &BTreeMap<&str, bool>,
) {
    let l = db.label();
    let exp_cut = cutoff(report, "expired_before");
    let rev_cut = cutoff(report, "revoked_before");
    for (table, rows) in before {
        let remaining = ids(db, table);
        let mut expected = BTreeSet::new();
        for row in rows {
            let gone = row.expires_at <= exp_cut || row.revoked_at.is_some_and(|r| r <= rev_cut);
            if let Some(want) = expect.get(row.label.as_str()) {
                assert_eq!(
                    gone, *want,
                    "{l} {table}: seed of {} vs cutoffs {exp_cut}/{rev_cut}: {row:?}",
                    row.label
                );
            }
            if !gone {
                expected.insert(row.id);
            }
        }
        let labels = |set: &BTreeSet<i64>| -> Vec<&str> {
            rows.iter()
                .filter(|r| set.contains(&r.id))
                .map(|r| r.label.as_str())
                .collect()
        };
        assert_eq!(
            labels(&remaining),
            labels(&expected),
            "{l} {table}: remaining rows (cutoffs {exp_cut}/{rev_cut})\n{report}"
        );
        assert_eq!(
            deleted(report, table),
            (rows.len() - remaining.len()) as u64,
            "{l} {table}: JSON deleted count\n{report}"
        );
    }
}

#[test]
fn cutoffs_are_exact_at_every_edge() {
    for db in TestDb::all() {
        let l = db.label();
        let user = setup(&db);
        for table in [TOKENS, SESSIONS] {
            for (label, expires, revoked, _) in edge_rows(&db) {
                insert(&db, table, user, label, &expires, revoked.as_deref());
            }
        }
        let mut expect: BTreeMap<&str, bool> = edge_rows(&db)
            .into_iter()
            .filter_map(|(label, _, _, gone)| Some((label, gone?)))
            .collect();
        let snapshot = || -> BTreeMap<&'static str, Vec<Cred>> {
            [TOKENS, SESSIONS].map(|t| (t, creds(&db, t))).into()
        };

        // Default purge: expired at or before now, revoked at or before now - 7d.
        let before = snapshot();
        let report = purge_json(&db, &[]);
        assert_eq!(report["dry_run"], false, "{l}: {report}");
        assert_eq!(report["interrupted"], false, "{l}: {report}");
        assert_eq!(
            listed_tables(&report),
            [TOKENS, SESSIONS],
            "{l}: no audit table without --audit-retention"
        );
        let exp_cut = cutoff(&report, "expired_before");
        let rev_cut = cutoff(&report, "revoked_before");
        assert_eq!(
            exp_cut.0 - rev_cut.0,
            chrono::Duration::days(7),
            "{l}: default revoked retention is 7 days: {report}"
        );
        assert!(
            (chrono::Utc::now() - exp_cut.0).num_seconds().abs() < 30,
            "{l}: no grace by default: {report}"
        );
        verify_cutoffs(&db, &before, &report, &expect);

        // A zero retention deletes the revocations of 1 day and 1 second ago.
        let before = snapshot();
        let report = purge_json(&db, &["--revoked-retention", "0s"]);
        assert_eq!(
            cutoff(&report, "expired_before"),
            cutoff(&report, "revoked_before"),
            "{l}: {report}"
        );
        expect.insert("rev_1d", true);
        expect.insert("rev_1s", true);
        verify_cutoffs(&db, &before, &report, &expect);
        for table in [TOKENS, SESSIONS] {
            let left: BTreeSet<String> = creds(&db, table).into_iter().map(|c| c.label).collect();
            assert!(
                left.is_superset(&["live_1h".to_owned(), "live_100y".to_owned()].into())
                    && left.len() <= 3,
                "{l} {table}: {left:?}"
            );
        }
    }
}

/// SQLite holds times as text. The contract asks applications to write authctl's UTC
/// form, but authctl also reads `CURRENT_TIMESTAMP` text and RFC 3339 with an offset
/// (migrations/README.md) — and so must judge expiry for such rows by time, like the
/// library does: never delete a live row, never keep an expired one.
#[test]
fn sqlite_time_text_is_canonical_so_text_order_is_time_order() {
    // The purge compares SQLite times as text, which is only time order for one
    // format. The schema CHECKs that format: other forms an application might write
    // (RFC 3339 with 'T', 'Z' or an offset) are refused at insert, and the canonical
    // and CURRENT_TIMESTAMP forms are purged by time.
    let db = TestDb::sqlite();
    let user = setup(&db);
    let mut conn = db.connect();
    for (label, expires) in [
        (
            "rfc3339_z",
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minute')",
        ),
        ("offset_plus14", "'2026-01-01 10:00:00+14:00'"),
        ("offset_minus", "'2026-01-01 10:00:00-01:59'"),
        ("fraction_with_zone", "'2026-01-01 10:00:00.5Z'"),
        ("date_only", "'2026-01-01'"),
    ] {
        let hash = authctl::token::hash_token(&format!("bad/{label}"));
        let sql = format!(
            "INSERT INTO {TOKENS} (user_id, token_hash, expires_at) VALUES ({user}, '{hash}', {expires})"
        );
        let err = conn.batch_execute(&sql).expect_err(label);
        assert!(err.to_string().contains("CHECK"), "{label}: {err}");
    }
    drop(conn);
    let expired_canonical = insert(
        &db,
        TOKENS,
        user,
        "canonical_expired",
        &ago(&db, "1 minute"),
        None,
    );
    let expired_ts = insert(
        &db,
        TOKENS,
        user,
        "ts_expired",
        "datetime('now', '-1 minute')",
        None,
    );
    let live_ts = insert(
        &db,
        TOKENS,
        user,
        "ts_live",
        "datetime('now', '+1 hour')",
        None,
    );
    let expired_ms = insert(
        &db,
        TOKENS,
        user,
        "ms_expired",
        "strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 second')",
        None,
    );
    purge_json(&db, &[]);
    let remaining = ids(&db, TOKENS);
    assert!(
        remaining.contains(&live_ts),
        "live row deleted: {remaining:?}"
    );
    for id in [expired_canonical, expired_ts, expired_ms] {
        assert!(
            !remaining.contains(&id),
            "expired row {id} kept: {remaining:?}"
        );
    }
}

#[test]
fn grace_keeps_recently_expired_rows() {
    for db in TestDb::all() {
        let l = db.label();
        let user = setup(&db);
        let mut keep = BTreeMap::new();
        let mut gone = BTreeMap::new();
        for table in [TOKENS, SESSIONS] {
            keep.insert(
                table,
                [
                    insert(&db, table, user, "exp_1h", &ago(&db, "1 hour"), None),
                    insert(&db, table, user, "exp_119m", &ago(&db, "119 minutes"), None),
                    insert(&db, table, user, "live", &from_now(&db, "1 hour"), None),
                ],
            );
            gone.insert(
                table,
                [
                    insert(&db, table, user, "exp_3h", &ago(&db, "3 hours"), None),
                    insert(&db, table, user, "exp_121m", &ago(&db, "121 minutes"), None),
                ],
            );
        }
        let report = purge_json(&db, &["--grace", "2h"]);
        let grace = cutoff(&report, "expired_before");
        assert!(
            (chrono::Utc::now() - grace.0 - chrono::Duration::hours(2)).num_seconds() < 30,
            "{l}: expired_before is now - 2h: {report}"
        );
        for table in [TOKENS, SESSIONS] {
            let remaining = ids(&db, table);
            assert_eq!(
                remaining,
                keep[table].into_iter().collect(),
                "{l} {table}: --grace 2h keeps rows expired 1h/119m ago, deletes 3h/121m"
            );
            assert!(gone[table].iter().all(|id| !remaining.contains(id)));
            assert_eq!(deleted(&report, table), 2, "{l} {table}: {report}");
        }
        // Without grace the rest of the expired rows go too.
        let report = purge_json(&db, &[]);
        for table in [TOKENS, SESSIONS] {
            assert_eq!(deleted(&report, table), 2, "{l} {table}: {report}");
            assert_eq!(ids(&db, table), BTreeSet::from([keep[table][2]]), "{l}");
        }
    }
}

// ---------------------------------------------------------------------------------
// Dry run, table selection, audit retention

#[test]
fn dry_run_counts_exactly_and_deletes_nothing() {
    for db in TestDb::all() {
        let l = db.label();
        let user = setup(&db);
        // tokens: 3 expired, 2 revoked long ago, 1 both (counted once), 4 kept.
        for i in 0..3 {
            insert(
                &db,
                TOKENS,
                user,
                &format!("e{i}"),
                &ago(&db, "1 hour"),
                None,
            );
        }
        for i in 0..2 {
            let old = ago(&db, "10 days");
            insert(
                &db,
                TOKENS,
                user,
                &format!("r{i}"),
                &from_now(&db, "1 hour"),
                Some(&old),
            );
        }
        let old = ago(&db, "10 days");
        insert(&db, TOKENS, user, "both", &ago(&db, "1 hour"), Some(&old));
        for i in 0..4 {
            insert(
                &db,
                TOKENS,
                user,
                &format!("k{i}"),
                &from_now(&db, "1 day"),
                None,
            );
        }
        // sessions: 5 expired, 1 recently revoked (kept).
        for i in 0..5 {
            insert(
                &db,
                SESSIONS,
                user,
                &format!("e{i}"),
                &ago(&db, "2 days"),
                None,
            );
        }
        let recent = ago(&db, "1 hour");
        insert(
            &db,
            SESSIONS,
            user,
            "r",
            &from_now(&db, "1 hour"),
            Some(&recent),
        );
        for i in 0..3 {
            insert_audit(&db, &format!("old{i}"), &ago(&db, "40 days"));
        }
        insert_audit(&db, "new", &now_sql(&db));

        let report = purge_json(&db, &["--dry-run"]);
        assert_eq!(report["dry_run"], true, "{l}: {report}");
        assert_eq!(deleted(&report, TOKENS), 6, "{l}: {report}");
        assert_eq!(deleted(&report, SESSIONS), 5, "{l}: {report}");
        assert_eq!(field(&report, TOKENS, "strategy"), "count", "{l}");
        let report = purge_json(&db, &["--dry-run", "--audit-retention", "30d"]);
        assert_eq!(deleted(&report, "audit_events"), 3, "{l}: {report}");
        assert_eq!(
            (
                rows(&db, TOKENS),
                rows(&db, SESSIONS),
                rows(&db, "audit_events")
            ),
            (10, 6, 4),
            "{l}: a dry run deletes nothing"
        );

        let r = purge(&db, &["--dry-run"]);
        assert_eq!(r.code, Some(0), "{l}: {r}");
        assert_eq!(
            r.stdout.lines().collect::<Vec<_>>(),
            [
                "refresh_tokens: 6 rows would be deleted (dry run)",
                "login_sessions: 5 rows would be deleted (dry run)"
            ],
            "{l}: {r}"
        );
        assert_eq!((rows(&db, TOKENS), rows(&db, SESSIONS)), (10, 6), "{l}");

        // The real run deletes what the dry run counted.
        let report = purge_json(&db, &[]);
        assert_eq!(
            (deleted(&report, TOKENS), deleted(&report, SESSIONS)),
            (6, 5),
            "{l}: {report}"
        );
        assert_eq!((rows(&db, TOKENS), rows(&db, SESSIONS)), (4, 1), "{l}");
        assert_eq!(rows(&db, "audit_events"), 4, "{l}: audit kept by default");
    }
}

/// Tokens, sessions and audit events around every cutoff the options move.
fn seed_mixed(db: &TestDb, user: i64) {
    db.exec("DELETE FROM refresh_tokens; DELETE FROM login_sessions; DELETE FROM audit_events");
    let old_rev = ago(db, "10 days");
    let new_rev = ago(db, "1 day");
    for table in [TOKENS, SESSIONS] {
        for (i, expires) in [
            ago(db, "3 hours"),
            ago(db, "3 hours"),
            ago(db, "1 hour"),
            ago(db, "1 hour"),
            ago(db, "1 hour"),
            from_now(db, "1 hour"),
        ]
        .iter()
        .enumerate()
        {
            insert(db, table, user, &format!("x{i}"), expires, None);
        }
        insert(
            db,
            table,
            user,
            "old_rev",
            &from_now(db, "1 hour"),
            Some(&old_rev),
        );
        insert(
            db,
            table,
            user,
            "new_rev",
            &from_now(db, "1 hour"),
            Some(&new_rev),
        );
    }
    for i in 0..3 {
        insert_audit(db, &format!("old{i}"), &ago(db, "40 days"));
    }
    insert_audit(db, "new", &ago(db, "1 day"));
}

fn per_table(report: &Value) -> Vec<(String, u64)> {
    report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["table"].as_str().unwrap().to_owned(),
                t["deleted"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn dry_run_reports_what_the_real_run_deletes() {
    let mut mismatches = Vec::new();
    for db in TestDb::all() {
        let l = db.label();
        let user = setup(&db);
        for args in [
            &[][..],
            &["--grace", "2h"],
            &["--revoked-retention", "0s"],
            &["--only", "tokens"],
            &["--audit-retention", "30d"],
            &["--max-rows", "5"],
            &["--max-rows", "9", "--audit-retention", "30d"],
        ] {
            seed_mixed(&db, user);
            let dry = purge_json(&db, &[&["--dry-run"][..], args].concat());
            assert_eq!(
                (
                    rows(&db, TOKENS),
                    rows(&db, SESSIONS),
                    rows(&db, "audit_events")
                ),
                (8, 8, 4),
                "{l} {args:?}: the dry run deleted something"
            );
            let real = purge_json(&db, args);
            let gone = 20 - rows(&db, TOKENS) - rows(&db, SESSIONS) - rows(&db, "audit_events");
            assert_eq!(total_deleted(&real), gone as u64, "{l} {args:?}: {real}");
            if per_table(&dry) != per_table(&real) {
                mismatches.push(format!(
                    "{l} {args:?}: dry run {:?}, run {:?}",
                    per_table(&dry),
                    per_table(&real)
                ));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "the dry run must report what the run deletes:\n{}",
        mismatches.join("\n")
    );
}

#[test]
fn only_selects_tables_and_audit_needs_a_retention() {
    for db in TestDb::all() {
        let l = db.label();
        let user = setup(&db);
        for table in [TOKENS, SESSIONS] {
            for i in 0..3 {
                insert(
                    &db,
                    table,
                    user,
                    &format!("e{i}"),
                    &ago(&db, "1 hour"),
                    None,
                );
            }
            insert(&db, table, user, "live", &from_now(&db, "1 hour"), None);
        }
        let old = insert_audit(&db, "d31", &ago(&db, "31 days"));
        let middle = insert_audit(&db, "d29", &ago(&db, "29 days"));
        let new = insert_audit(&db, "now", &now_sql(&db));

        let r = purge(&db, &["--only", "audit"]);
        assert_eq!(r.code, Some(64), "{l}: --only audit without retention\n{r}");
        assert!(r.stderr.contains("--audit-retention"), "{l}: {r}");
        assert_eq!(rows(&db, "audit_events"), 3, "{l}");

        let report = purge_json(&db, &["--only", "sessions"]);
        assert_eq!(listed_tables(&report), [SESSIONS], "{l}: {report}");
        assert_eq!(deleted(&report, SESSIONS), 3, "{l}: {report}");
        assert_eq!(rows(&db, SESSIONS), 1, "{l}");
        assert_eq!(rows(&db, TOKENS), 4, "{l}: --only sessions leaves tokens");

        let report = purge_json(&db, &["--only", "audit", "--audit-retention", "30d"]);
        assert_eq!(listed_tables(&report), ["audit_events"], "{l}: {report}");
        assert_eq!(deleted(&report, "audit_events"), 1, "{l}: {report}");
        assert_eq!(
            ids(&db, "audit_events"),
            BTreeSet::from([middle, new]),
            "{l}: only the event older than 30 days goes (deleted {old})"
        );
        assert_eq!(rows(&db, TOKENS), 4, "{l}: --only audit leaves tokens");

        // With a retention and no --only, every table is purged.
        insert_audit(&db, "d45", &ago(&db, "45 days"));
        let report = purge_json(&db, &["--audit-retention", "30d"]);
        assert_eq!(
            listed_tables(&report),
            [TOKENS, SESSIONS, "audit_events"],
            "{l}: {report}"
        );
        assert_eq!(
            (
                deleted(&report, TOKENS),
                deleted(&report, SESSIONS),
                deleted(&report, "audit_events")
            ),
            (3, 0, 1),
            "{l}: {report}"
        );
        assert_eq!(
            ids(&db, "audit_events"),
            BTreeSet::from([middle, new]),
            "{l}"
        );
    }
}

// ---------------------------------------------------------------------------------
// Output

#[test]
fn quiet_prints_nothing_and_default_prints_one_line_per_table() {
    for db in TestDb::all() {
        let l = db.label();
        let user = setup(&db);
        for table in [TOKENS, SESSIONS] {
            insert(&db, table, user, "e", &ago(&db, "1 hour"), None);
        }
        let r = run(db.authctl().args(["--quiet", "purge-expired"]));
        assert_eq!(r.code, Some(0), "{l}: {r}");
        assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""), "{l}: {r}");
        assert_eq!((rows(&db, TOKENS), rows(&db, SESSIONS)), (0, 0), "{l}");

        for table in [TOKENS, SESSIONS] {
            insert(&db, table, user, "e2", &ago(&db, "1 hour"), None);
        }
        let r = purge(&db, &[]);
        assert_eq!(r.code, Some(0), "{l}: {r}");
        let lines: Vec<&str> = r.stdout.lines().collect();
        assert_eq!(lines.len(), 2, "{l}: one line per table\n{r}");
        assert!(
            lines[0].starts_with("refresh_tokens: deleted 1 rows in "),
            "{l}: {r}"
        );
        assert!(
            lines[1].starts_with("login_sessions: deleted 1 rows in "),
            "{l}: {r}"
        );
        assert_eq!(r.stderr, "", "{l}: no spinner without a terminal\n{r}");
    }
}

// ---------------------------------------------------------------------------------
// Batching and caps

#[test]
fn max_rows_stops_after_exactly_that_many() {
    for db in TestDb::all() {
        let l = db.label();
        let user = setup(&db);
        insert_series(&db, TOKENS, user, 1, 12, &ago(&db, "1 hour"));
        insert_series(&db, SESSIONS, user, 1, 12, &ago(&db, "1 hour"));
        insert_series(&db, TOKENS, user, 100, 104, &from_now(&db, "1 hour"));
        let report = purge_json(&db, &["--max-rows", "5"]);
        assert_eq!(total_deleted(&report), 5, "{l}: {report}");
        assert_eq!(
            expired(&db, TOKENS) + expired(&db, SESSIONS),
            24 - 5,
            "{l}: exactly 5 rows deleted"
        );
        assert_eq!(live(&db, TOKENS), 5, "{l}");
        // Budget spans tables.
        let report = purge_json(&db, &["--max-rows", "15"]);
        assert_eq!(total_deleted(&report), 15, "{l}: {report}");
        assert_eq!(expired(&db, TOKENS) + expired(&db, SESSIONS), 4, "{l}");
    }
}

#[test]
fn fixed_batch_size_gives_ceil_batches() {
    let mut wrong = Vec::new();
    for db in TestDb::all() {
        let l = db.label();
        let user = setup(&db);
        // 10 tokens → 4 batches of ≤ 3; 9 sessions → exactly 3.
        insert_series(&db, TOKENS, user, 1, 10, &ago(&db, "1 hour"));
        insert_series(&db, SESSIONS, user, 1, 9, &ago(&db, "1 hour"));
        insert_series(&db, TOKENS, user, 100, 102, &from_now(&db, "1 hour"));
        let report = purge_json(&db, &["--batch-size", "3"]);
        assert_eq!(
            (deleted(&report, TOKENS), deleted(&report, SESSIONS)),
            (10, 9),
            "{l}: {report}"
        );
        let batches = (
            field(&report, TOKENS, "batches"),
            field(&report, SESSIONS, "batches"),
        );
        if batches != (Value::from(4), Value::from(3)) {
            wrong.push(format!("{l}: {report}"));
        }
        assert_eq!(
            (expired(&db, TOKENS), expired(&db, SESSIONS)),
            (0, 0),
            "{l}"
        );
        assert_eq!(live(&db, TOKENS), 3, "{l}");
    }
    assert!(
        wrong.is_empty(),
        "--batch-size 3: expected 4 batches for 10 tokens and 3 for 9 sessions (ceil):\n{}",
        wrong.join("\n")
    );
}

// ---------------------------------------------------------------------------------
// Many rows

fn many_rows(db: &TestDb, strategy: Option<&str>) {
    let l = format!("{} {}", db.label(), strategy.unwrap_or("default"));
    let user = setup(db);
    // Interleaved: even rows expired, odd rows live.
    let expires = format!(
        "CASE WHEN i % 2 = 0 THEN {} ELSE {} END",
        ago(db, "1 hour"),
        from_now(db, "1 hour")
    );
    for table in [TOKENS, SESSIONS] {
        insert_series(db, table, user, 1, 10_000, &expires);
        assert_eq!((expired(db, table), live(db, table)), (5_000, 5_000));
    }
    let live_before: BTreeMap<&str, BTreeSet<i64>> = [TOKENS, SESSIONS]
        .map(|t| {
            let live = common::query_strings(
                db,
                &format!(
                    "SELECT CAST(id AS TEXT) AS v FROM {t} WHERE expires_at > {}",
                    now_sql(db)
                ),
            );
            (t, live.into_iter().map(|s| s.parse().unwrap()).collect())
        })
        .into();
    let mut args = vec![];
    if let Some(s) = strategy {
        args.extend(["--strategy", s]);
    }
    let start = Instant::now();
    let report = purge_json(db, &args);
    let took = start.elapsed();
    for table in [TOKENS, SESSIONS] {
        assert_eq!(deleted(&report, table), 5_000, "{l} {table}: {report}");
        assert_eq!(expired(db, table), 0, "{l} {table}");
        assert_eq!(
            ids(db, table),
            live_before[table],
            "{l} {table}: live rows kept"
        );
        if let Some(s) = strategy {
            assert_eq!(field(&report, table, "strategy"), s, "{l}: {report}");
        }
    }
    assert!(took < Duration::from_secs(20), "{l}: took {took:?}");
}

#[test]
fn many_rows_sqlite() {
    many_rows(&TestDb::sqlite(), None);
}

#[test]
fn many_rows_postgres_sweep() {
    if let Some(db) = TestDb::postgres() {
        many_rows(&db, Some("sweep"));
    }
}

#[test]
fn many_rows_postgres_keyset() {
    if let Some(db) = TestDb::postgres() {
        many_rows(&db, Some("keyset"));
    }
}

// ---------------------------------------------------------------------------------
// Rows locked by the application (PostgreSQL)

fn locked_row(strategy: &str) {
    let Some(db) = TestDb::postgres() else { return };
    let l = format!("postgres {strategy}");
    let user = setup(&db);
    let expires = format!(
        "CASE WHEN i % 4 = 0 THEN {} ELSE {} END",
        from_now(&db, "1 hour"),
        ago(&db, "1 hour")
    );
    insert_series(&db, TOKENS, user, 1, 400, &expires);
    insert_series(&db, SESSIONS, user, 1, 40, &ago(&db, "1 hour"));
    let x = common::count(
        &db,
        "SELECT id AS n FROM refresh_tokens WHERE expires_at <= now() ORDER BY id OFFSET 150 LIMIT 1",
    );
    let mut app = diesel::PgConnection::establish(&db.url()).expect("connect");
    app.batch_execute(&format!(
        "BEGIN; SELECT id FROM refresh_tokens WHERE id = {x} FOR UPDATE"
    ))
    .expect("lock the row");

    let start = Instant::now();
    let r = run(db
        .authctl()
        .args(["-o", "json", "purge-expired", "--strategy", strategy]));
    let took = start.elapsed();
    assert_eq!(r.code, Some(0), "{l}: {r}");
    assert!(took < Duration::from_secs(4), "{l}: took {took:?}\n{r}");
    let report = r.json();
    assert_eq!(
        field(&report, TOKENS, "strategy"),
        strategy,
        "{l}: {report}"
    );
    let left: Vec<i64> = common::query_strings(
        &db,
        "SELECT CAST(id AS TEXT) AS v FROM refresh_tokens WHERE expires_at <= now() ORDER BY id",
    )
    .into_iter()
    .map(|s| s.parse().unwrap())
    .collect();
    assert!(left.contains(&x), "{l}: the locked row stays\n{report}");
    assert_eq!(
        deleted(&report, TOKENS),
        300 - left.len() as u64,
        "{l}: {report}"
    );
    assert_eq!(live(&db, TOKENS), 100, "{l}");
    assert_eq!(rows(&db, SESSIONS), 0, "{l}: {report}");
    if strategy == "sweep" {
        let noted = field(&report, TOKENS, "skipped_blocks").as_u64().unwrap()
            + field(&report, TOKENS, "retries").as_u64().unwrap();
        assert!(noted > 0, "{l}: the locked row is reported\n{report}");
    }

    // Released: the next run deletes what was left.
    app.batch_execute("COMMIT").expect("release the row");
    let again = purge_json(&db, &["--strategy", strategy]);
    assert_eq!(deleted(&again, TOKENS), left.len() as u64, "{l}: {again}");
    assert_eq!((expired(&db, TOKENS), live(&db, TOKENS)), (0, 100), "{l}");

    // One locked row must not keep its neighbours: only it is left for the next run.
    assert_eq!(
        left,
        [x],
        "{l}: every expired token except the locked one (id {x}) is deleted; {} were left\n{report}",
        left.len()
    );
}

#[test]
fn locked_row_is_left_and_does_not_stall_keyset() {
    locked_row("keyset");
}

#[test]
fn locked_row_is_left_and_does_not_stall_sweep() {
    locked_row("sweep");
}

/// Five rows locked in different parts of a 5,000-row table: the purge skips them
/// without waiting on each, and deletes everything else.
fn several_locked_rows(strategy: &str) {
    let Some(db) = TestDb::postgres() else { return };
    let l = format!("postgres {strategy}");
    let user = setup(&db);
    let expires = format!(
        "CASE WHEN i % 3 = 0 THEN {} ELSE {} END",
        from_now(&db, "1 hour"),
        ago(&db, "1 hour")
    );
    insert_series(&db, TOKENS, user, 1, 5_000, &expires);
    let expired_before = expired(&db, TOKENS);
    let locked: Vec<i64> = [500, 1_300, 2_000, 2_700, 3_300]
        .iter()
        .map(|offset| {
            common::count(
                &db,
                &format!(
                    "SELECT id AS n FROM refresh_tokens WHERE expires_at <= now() \
                     ORDER BY id OFFSET {offset} LIMIT 1"
                ),
            )
        })
        .collect();
    let list = locked
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut app = diesel::PgConnection::establish(&db.url()).expect("connect");
    app.batch_execute(&format!(
        "BEGIN; SELECT id FROM refresh_tokens WHERE id IN ({list}) FOR UPDATE"
    ))
    .expect("lock the rows");

    let start = Instant::now();
    let report = purge_json(&db, &["--strategy", strategy]);
    let took = start.elapsed();
    let left: Vec<i64> = common::query_strings(
        &db,
        "SELECT CAST(id AS TEXT) AS v FROM refresh_tokens WHERE expires_at <= now() ORDER BY id",
    )
    .into_iter()
    .map(|s| s.parse().unwrap())
    .collect();
    app.batch_execute("COMMIT").expect("release the rows");
    assert!(
        locked.iter().all(|x| left.contains(x)),
        "{l}: locked rows stay"
    );
    assert_eq!(
        deleted(&report, TOKENS),
        (expired_before as usize - left.len()) as u64,
        "{l}: {report}"
    );
    let mut problems = Vec::new();
    if took >= Duration::from_secs(3) {
        problems.push(format!("took {took:?} (without locks: well under 1 s)"));
    }
    if left != locked {
        problems.push(format!(
            "{} expired rows left besides the {} locked ones",
            left.len() - locked.len(),
            locked.len()
        ));
    }
    assert!(
        problems.is_empty(),
        "{l}: five locked rows: {}\n{report}",
        problems.join("; ")
    );
}

#[test]
fn several_locked_rows_do_not_stall_keyset() {
    several_locked_rows("keyset");
}

#[test]
fn several_locked_rows_do_not_stall_sweep() {
    several_locked_rows("sweep");
}

// ---------------------------------------------------------------------------------
// Concurrency and the purge lock

#[test]
fn concurrent_purges_with_live_inserts() {
    for db in TestDb::all() {
        let l = db.label();
        let user = setup(&db);
        insert_series(&db, TOKENS, user, 1, 3_000, &ago(&db, "1 hour"));
        insert_series(&db, SESSIONS, user, 1, 3_000, &ago(&db, "1 hour"));
        insert_series(&db, TOKENS, user, 10_001, 10_100, &from_now(&db, "1 hour"));

        let stop = AtomicBool::new(false);
        let (inserted, runs) = std::thread::scope(|s| {
            let inserter = s.spawn(|| {
                let mut conn = db.connect();
                let start = Instant::now();
                let mut n = 0i64;
                // At least 1 s, and until both purges are done.
                while !stop.load(Ordering::Relaxed) || start.elapsed() < Duration::from_secs(1) {
                    authctl::repo::refresh_tokens::issue(
                        &mut conn,
                        &authctl::repo::refresh_tokens::IssueToken {
                            user_id: user,
                            ttl: chrono::Duration::hours(1),
                            user_agent: Some("live-insert"),
                            ip_address: None,
                        },
                    )
                    .expect("issue a live token during the purge");
                    n += 1;
                }
                n
            });
            let stop_guard = SetOnDrop(&stop);
            let args = ["--batch-size", "100"];
            let a = spawn_purge(&db, &["-o", "json"], &args);
            let b = spawn_purge(&db, &["-o", "json"], &args);
            let runs = [
                finish(a, Duration::from_secs(60)),
                finish(b, Duration::from_secs(60)),
            ];
            drop(stop_guard);
            (inserter.join().unwrap(), runs)
        });
        assert!(inserted > 0, "{l}");
        let mut total = 0;
        for r in &runs {
            match r.code {
                Some(0) => total += total_deleted(&r.json()),
                Some(75) => assert!(
                    r.stderr
                        .contains("another purge-expired holds the purge lock"),
                    "{l}: exit 75 must name the other purge\n{r}"
                ),
                _ => panic!("{l}: purge exit 0 or 75 expected\n{r}"),
            }
        }
        assert!(
            runs.iter().any(|r| r.code == Some(0)),
            "{l}: one purge runs\n{}\n{}",
            runs[0],
            runs[1]
        );
        assert_eq!(total, 6_000, "{l}: every expired row deleted exactly once");
        assert_eq!(
            (expired(&db, TOKENS), expired(&db, SESSIONS)),
            (0, 0),
            "{l}: no expired row left"
        );
        assert_eq!(
            live(&db, TOKENS),
            100 + inserted,
            "{l}: no live row deleted ({inserted} inserted during the purge)"
        );
        assert_eq!(
            common::count(
                &db,
                "SELECT count(*) AS n FROM refresh_tokens WHERE user_agent = 'live-insert'"
            ),
            inserted,
            "{l}"
        );
        if runs.iter().any(|r| r.code == Some(75)) {
            let r = purge(&db, &[]);
            assert_eq!(r.code, Some(0), "{l}: the lock is free again\n{r}");
        }
    }
}

/// Hold the purge lock from the test, as another purge would.
enum Held {
    Pg(diesel::PgConnection),
    File(std::fs::File),
}

fn hold_purge_lock(db: &TestDb) -> Held {
    match db {
        TestDb::Postgres(p) => {
            let mut c = diesel::PgConnection::establish(&p.url).expect("connect");
            c.batch_execute(&format!("SELECT pg_advisory_lock({PURGE_LOCK})"))
                .expect("advisory lock");
            Held::Pg(c)
        }
        TestDb::Sqlite(s) => {
            let path = s.path.with_file_name("auth.db.purge.lock");
            let f = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .expect("open the lock file");
            f.try_lock().expect("lock the purge lock file");
            Held::File(f)
        }
    }
}

fn release(held: Held) {
    match held {
        Held::Pg(mut c) => c
            .batch_execute(&format!("SELECT pg_advisory_unlock({PURGE_LOCK})"))
            .expect("unlock"),
        Held::File(f) => f.unlock().expect("unlock the file"),
    }
}

#[test]
fn held_lock_is_busy_without_wait_and_waited_for_with_wait() {
    for db in TestDb::all() {
        let l = db.label();
        let user = setup(&db);
        insert_series(&db, TOKENS, user, 1, 20, &ago(&db, "1 hour"));

        let held = hold_purge_lock(&db);
        let r = purge(&db, &[]);
        assert_eq!(r.code, Some(75), "{l}: lock held elsewhere\n{r}");
        assert!(
            r.stderr
                .contains("another purge-expired holds the purge lock"),
            "{l}: {r}"
        );
        assert_eq!(expired(&db, TOKENS), 20, "{l}: nothing deleted");

        let start = Instant::now();
        let r = std::thread::scope(|s| {
            s.spawn(move || {
                std::thread::sleep(Duration::from_millis(500));
                release(held);
            });
            purge(&db, &["--wait", "5s"])
        });
        let took = start.elapsed();
        assert_eq!(r.code, Some(0), "{l}: --wait outlasts the holder\n{r}");
        assert!(
            took >= Duration::from_millis(450),
            "{l}: it waited ({took:?})"
        );
        assert_eq!(expired(&db, TOKENS), 0, "{l}");
    }
}

// ---------------------------------------------------------------------------------
// Signals

/// 300 expired and 50 live tokens; a purge deleting one row every 100 ms.
fn slow_purge(db: &TestDb) -> Background {
    let user = setup(db);
    insert_series(db, TOKENS, user, 1, 300, &ago(db, "1 hour"));
    insert_series(db, TOKENS, user, 1_001, 1_050, &from_now(db, "1 hour"));
    let start = Instant::now();
    let child = spawn_purge(db, &[], &["--batch-size", "1", "--sleep", "100ms"]);
    // Wait until it is deleting (its signal handlers are installed by then), ≥ 300 ms.
    let deadline = Instant::now() + Duration::from_secs(20);
    while expired(db, TOKENS) == 300 || start.elapsed() < Duration::from_millis(300) {
        assert!(
            Instant::now() < deadline,
            "the purge never started deleting"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn sigterm_finishes_the_batch_and_exits_75() {
    for db in TestDb::all() {
        let l = db.label();
        let child = slow_purge(&db);
        signal(&child, "-TERM");
        let r = finish(child, Duration::from_secs(5));
        assert_eq!(r.code, Some(75), "{l}: SIGTERM → 75\n{r}");
        assert!(r.stderr.contains("interrupted"), "{l}: {r}");
        let left = expired(&db, TOKENS);
        assert!(
            left > 0 && left < 300,
            "{l}: deleted some, not all ({left} left)"
        );
        let said = format!("interrupted after deleting {} rows", 300 - left);
        assert!(r.stderr.contains(&said), "{l}: expected {said:?}\n{r}");
        assert_eq!(live(&db, TOKENS), 50, "{l}");

        let report = purge_json(&db, &[]);
        assert_eq!(deleted(&report, TOKENS), left as u64, "{l}: {report}");
        assert_eq!((expired(&db, TOKENS), live(&db, TOKENS)), (0, 50), "{l}");
    }
}

#[test]
fn kill_9_mid_purge_loses_nothing_and_a_rerun_completes() {
    for db in TestDb::all() {
        let l = db.label();
        let child = slow_purge(&db);
        signal(&child, "-KILL");
        let r = finish(child, Duration::from_secs(5));
        assert_eq!(r.code, None, "{l}: killed by the signal\n{r}");
        let left = expired(&db, TOKENS);
        assert!(left > 0 && left < 300, "{l}: {left} left");
        assert_eq!(live(&db, TOKENS), 50, "{l}");

        // PostgreSQL may take a moment to notice the dead session holding the lock.
        let report = purge_json(&db, &["--wait", "5s"]);
        assert_eq!(deleted(&report, TOKENS), left as u64, "{l}: {report}");
        assert_eq!((expired(&db, TOKENS), live(&db, TOKENS)), (0, 50), "{l}");
    }
}

// ---------------------------------------------------------------------------------
// Production mode

#[test]
fn production_mode_refuses_sqlite() {
    let db = TestDb::sqlite();
    let TestDb::Sqlite(s) = &db else {
        unreachable!()
    };
    let r = run(db
        .authctl()
        .env("NODE_ENV", "production")
        .arg("purge-expired"));
    assert_eq!(r.code, Some(78), "{r}");
    assert!(
        r.stderr.contains("NODE_ENV") && r.stderr.contains("SQLite"),
        "{r}"
    );
    assert!(!s.path.exists(), "nothing created in production mode");

    for args in [&["users", "list"][..], &["migrate", "status"][..]] {
        let r = run(db.authctl().env("AUTHCTL_ENV", "production").args(args));
        assert_eq!(r.code, Some(78), "{args:?}: {r}");
        assert!(r.stderr.contains("AUTHCTL_ENV"), "{args:?}: {r}");
        assert!(!s.path.exists(), "{args:?}: nothing created");
    }

    // Control: any other value is not production.
    let r = run(db
        .authctl()
        .env("NODE_ENV", "development")
        .arg("purge-expired"));
    assert_eq!(r.code, Some(0), "{r}");
}
