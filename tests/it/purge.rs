//! `authctl purge-expired`: deletes exactly what the application's cleanup functions
//! delete (every cutoff edge, retentions, dry run, `--only`, batching, row caps), beside
//! application locks and concurrent purges, under SIGTERM/SIGINT, `kill -9` and a skewed clock.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use authctl::db::{UserId, UtcDateTime, UtcTimestamp};
use authctl::repo::{NewRefreshToken, refresh_tokens};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::Value;

use crate::common::{Background, PgDb, Run, TestDb, run, wait_until};

/// The advisory lock key `purge-expired` takes on PostgreSQL: "authpurg" as an i64
/// (0x6175_7468_7075_7267 = 7022647185866322535).
const PURGE_LOCK: i64 = 0x6175_7468_7075_7267;

const TOKENS: &str = "refresh_tokens";
const SESSIONS: &str = "login_sessions";
const ATTEMPTS: &str = "auth_attempts";
const AUDIT: &str = "authctl_audit_events";

// ---------------------------------------------------------------------------------
// Running authctl

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
    assert_eq!(r.code, 0, "{}: purge {args:?}\n{r}", db.label());
    r.json()
}

/// Start `authctl … purge-expired ARGS…` in the background, output captured.
fn spawn_purge(db: &TestDb, global: &[&str], args: &[&str]) -> Background {
    let mut cmd = db.authctl();
    cmd.args(global).arg("purge-expired").args(args);
    Background::start(&cmd)
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

/// SQL for the current time, in the form the backend stores (SQLite: the schema's
/// canonical UTC text `YYYY-MM-DD HH:MM:SS.ffffff`).
fn now_sql(db: &TestDb) -> String {
    if db.is_postgres() {
        "now()".into()
    } else {
        "strftime('%Y-%m-%d %H:%M:%f000', 'now')".into()
    }
}

fn shifted(db: &TestDb, sign: char, span: &str) -> String {
    if db.is_postgres() {
        format!("(now() {sign} interval '{span}')")
    } else {
        format!("strftime('%Y-%m-%d %H:%M:%f000', 'now', '{sign}{span}')")
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

/// A migrated database with one user; returns the user's id (a uuid).
fn setup(db: &TestDb) -> String {
    drop(db.migrated());
    let id = UserId::new_v4().to_string();
    db.exec(&format!(
        "INSERT INTO users (id, email, password_hash) VALUES ('{id}', 'purge@example.com', 'x')"
    ));
    id
}

/// Run an `INSERT … RETURNING CAST(… AS TEXT) AS v` and return the value.
fn insert_returning(db: &TestDb, sql: &str) -> String {
    let mut v = common::query_strings(db, sql);
    assert_eq!(v.len(), 1, "{sql}: {v:?}");
    v.remove(0)
}

fn sql_bool(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "true",
        Some(false) => "false",
        None => "NULL",
    }
}

/// Insert one refresh token or login session labelled `label` (kept in
/// `user_agent`); returns its id. `ended` is the row's "ended" flag — a token's
/// `is_revoked`, a session's `NOT is_active` — `None` for a NULL flag; `since` is
/// when it ended (a token's `revoked_at`, a session's `last_activity_at`), NULL
/// when `None`. Tokens get a unique raw token of ≥ 32 characters; sessions a
/// random `session_token` and a `created_at` long before any `expires_at`.
fn cred(
    db: &TestDb,
    table: &str,
    user: &str,
    label: &str,
    expires: &str,
    ended: Option<bool>,
    since: Option<&str>,
) -> String {
    let since = since.unwrap_or("NULL");
    if table == TOKENS {
        let raw = format!("raw-{label}-{}", uuid::Uuid::new_v4().simple());
        insert_returning(
            db,
            &format!(
                "INSERT INTO refresh_tokens (user_id, token, expires_at, is_revoked, revoked_at, user_agent) \
                 VALUES ('{user}', '{raw}', {expires}, {}, {since}, '{label}') RETURNING CAST(id AS TEXT) AS v",
                sql_bool(ended)
            ),
        )
    } else {
        assert_eq!(table, SESSIONS);
        let active = sql_bool(ended.map(|e| !e));
        insert_returning(
            db,
            &format!(
                "INSERT INTO login_sessions (user_id, created_at, expires_at, is_active, last_activity_at, user_agent) \
                 VALUES ('{user}', {}, {expires}, {active}, {since}, '{label}') \
                 RETURNING CAST(session_id AS TEXT) AS v",
                ago(db, "1000 days")
            ),
        )
    }
}

/// A token or session that was never revoked / is active.
fn plain(db: &TestDb, table: &str, user: &str, label: &str, expires: &str) -> String {
    cred(db, table, user, label, expires, Some(false), None)
}

/// Insert an auth attempt made at `at` (SQL), labelled in `user_agent`; returns its id.
fn attempt(db: &TestDb, label: &str, at: &str) -> String {
    insert_returning(
        db,
        &format!(
            "INSERT INTO auth_attempts (email, ip_address, success, \"timestamp\", user_agent) \
             VALUES ('purge@example.com', '192.0.2.1', false, {at}, '{label}') RETURNING CAST(id AS TEXT) AS v"
        ),
    )
}

/// Insert rows `first..=last` into `table` in one statement; `time` is SQL for
/// `expires_at` (tokens, sessions) or `"timestamp"` (attempts) that may use the row
/// number `i`. Token values are `bulk-` and `i` in 40 hex digits.
fn insert_series(db: &TestDb, table: &str, user: &str, first: i64, last: i64, time: &str) {
    let created = ago(db, "1000 days");
    let (columns, values) = match table {
        TOKENS => (
            "user_id, token, expires_at, user_agent",
            if db.is_postgres() {
                format!("'{user}', 'bulk-' || lpad(to_hex(i), 40, '0'), {time}, 'bulk'")
            } else {
                format!("'{user}', printf('bulk-%040x', i), {time}, 'bulk'")
            },
        ),
        SESSIONS => (
            "user_id, created_at, expires_at, user_agent",
            format!("'{user}', {created}, {time}, 'bulk'"),
        ),
        ATTEMPTS => (
            "email, ip_address, \"timestamp\", user_agent",
            format!("'bulk@example.com', '192.0.2.1', {time}, 'bulk'"),
        ),
        other => panic!("no series for {other}"),
    };
    let sql = if db.is_postgres() {
        format!(
            "INSERT INTO {table} ({columns}) SELECT {values} \
             FROM generate_series({first}::bigint, {last}::bigint) AS i"
        )
    } else {
        format!(
            "WITH RECURSIVE s(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM s WHERE i < {last}) \
             INSERT INTO {table} ({columns}) SELECT {values} FROM s"
        )
    };
    db.exec(&sql);
}

/// Insert an audit event that occurred at `at`; returns its id.
fn insert_audit(db: &TestDb, label: &str, at: &str) -> String {
    insert_returning(
        db,
        &format!(
            "INSERT INTO authctl_audit_events (occurred_at, actor, action, detail) \
             VALUES ({at}, 'test', 'test.{label}', NULL) RETURNING CAST(id AS TEXT) AS v"
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
            "SELECT count(*) AS n FROM {table} WHERE expires_at < {}",
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

fn id_column(table: &str) -> &'static str {
    if table == SESSIONS {
        "session_id"
    } else {
        "id"
    }
}

fn ids_where(db: &TestDb, table: &str, condition: &str) -> BTreeSet<String> {
    common::query_strings(
        db,
        &format!(
            "SELECT CAST({id} AS TEXT) AS v FROM {table} WHERE {condition}",
            id = id_column(table)
        ),
    )
    .into_iter()
    .collect()
}

fn ids(db: &TestDb, table: &str) -> BTreeSet<String> {
    ids_where(db, table, "1 = 1")
}

/// One token or session as stored: `ended` = 1 when `is_revoked = true` (token) or
/// `is_active = false` (session) — the application's conditions, so a NULL flag is 0.
#[derive(QueryableByName, Debug, Clone)]
struct Cred {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    label: String,
    #[diesel(sql_type = UtcTimestamp)]
    expires_at: UtcDateTime,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    ended: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<UtcTimestamp>)]
    since: Option<UtcDateTime>,
}

fn creds(db: &TestDb, table: &str) -> Vec<Cred> {
    let sql = if table == TOKENS {
        "SELECT CAST(id AS TEXT) AS id, COALESCE(user_agent, '') AS label, expires_at, \
         CASE WHEN is_revoked = true THEN 1 ELSE 0 END AS ended, revoked_at AS since \
         FROM refresh_tokens ORDER BY user_agent"
    } else {
        "SELECT CAST(session_id AS TEXT) AS id, COALESCE(user_agent, '') AS label, expires_at, \
         CASE WHEN is_active = false THEN 1 ELSE 0 END AS ended, last_activity_at AS since \
         FROM login_sessions ORDER BY user_agent"
    };
    let mut conn = db.connect();
    authctl::with_conn!(&mut conn, c => diesel::sql_query(sql).load::<Cred>(c))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn labels(db: &TestDb, table: &str) -> BTreeSet<String> {
    common::query_strings(
        db,
        &format!("SELECT COALESCE(user_agent, '') AS v FROM {table}"),
    )
    .into_iter()
    .collect()
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

/// The cutoff of a table's second rule: revoked tokens, inactive sessions.
fn rule_cutoff(report: &Value, table: &str) -> UtcDateTime {
    cutoff(
        report,
        if table == TOKENS {
            "revoked_before"
        } else {
            "inactive_before"
        },
    )
}

// ---------------------------------------------------------------------------------
// Cutoffs

/// One labelled row of the edge test: (label, expires, ended flag, ended since,
/// whether a default purge deletes it — `None`: decided against the run's actual
/// cutoff, as a slow machine may start the purge more than a second after seeding).
type Edge = (
    &'static str,
    String,
    Option<bool>,
    Option<String>,
    Option<bool>,
);

fn edge_rows(db: &TestDb, table: &str) -> Vec<Edge> {
    let hour = from_now(db, "1 hour");
    let mut v: Vec<Edge> = vec![
        ("exp_1d", ago(db, "1 day"), Some(false), None, Some(true)),
        ("exp_1s", ago(db, "1 second"), Some(false), None, Some(true)),
        ("exp_now", now_sql(db), Some(false), None, Some(true)),
        ("live_1s", from_now(db, "1 second"), Some(false), None, None),
        ("live_1h", hour.clone(), Some(false), None, Some(false)),
        (
            "live_100y",
            from_now(db, "100 years"),
            Some(false),
            None,
            Some(false),
        ),
    ];
    // The table's second rule and its retention (tokens 7 days, sessions 30).
    let (over, under) = if table == TOKENS {
        ("8 days", "6 days")
    } else {
        ("31 days", "29 days")
    };
    v.extend([
        // Ended longer ago than the retention: gone.
        (
            "ended_over",
            hour.clone(),
            Some(true),
            Some(ago(db, over)),
            Some(true),
        ),
        // Ended within the retention: kept (gone with a zero retention).
        (
            "ended_under",
            hour.clone(),
            Some(true),
            Some(ago(db, under)),
            Some(false),
        ),
        (
            "ended_1s",
            hour.clone(),
            Some(true),
            Some(ago(db, "1 second")),
            Some(false),
        ),
        // The application's `= true` / `= false`: a NULL flag never matches.
        (
            "null_flag_over",
            hour.clone(),
            None,
            Some(ago(db, over)),
            Some(false),
        ),
        // The other flag value with an old time: not ended, kept.
        (
            "not_ended_over",
            hour.clone(),
            Some(false),
            Some(ago(db, over)),
            Some(false),
        ),
        // Ended, but no time: `NULL < cutoff` is not true.
        ("ended_no_time", hour.clone(), Some(true), None, Some(false)),
        // Expired and ended: gone once, by either rule.
        (
            "ended_and_expired",
            ago(db, "1 hour"),
            Some(true),
            Some(ago(db, over)),
            Some(true),
        ),
    ]);
    v
}

/// Check a purge of the labelled rows `before` (per table) against the report's
/// cutoffs: exactly the rows with `expires_at < expired_before`, or ended (the
/// application's flag condition) before the table's rule cutoff, are gone; the JSON
/// counts match; and every label with a fixed expectation in `expect` (`true`:
/// deleted) went the expected way.
fn verify_cutoffs(
    db: &TestDb,
    before: &BTreeMap<&str, Vec<Cred>>,
    report: &Value,
    expect: &BTreeMap<(String, String), bool>,
) {
    let l = db.label();
    let exp_cut = cutoff(report, "expired_before");
    for (table, rows) in before {
        let rule_cut = rule_cutoff(report, table);
        let remaining = ids(db, table);
        let mut expected = BTreeSet::new();
        for row in rows {
            let gone = row.expires_at < exp_cut
                || (row.ended == 1 && row.since.is_some_and(|s| s < rule_cut));
            if let Some(want) = expect.get(&(table.to_string(), row.label.clone())) {
                assert_eq!(
                    gone, *want,
                    "{l} {table}: seed of {} vs cutoffs {exp_cut}/{rule_cut}: {row:?}",
                    row.label
                );
            }
            if !gone {
                expected.insert(row.id.clone());
            }
        }
        let names = |set: &BTreeSet<String>| -> Vec<&str> {
            rows.iter()
                .filter(|r| set.contains(&r.id))
                .map(|r| r.label.as_str())
                .collect()
        };
        assert_eq!(
            names(&remaining),
            names(&expected),
            "{l} {table}: remaining rows (cutoffs {exp_cut}/{rule_cut})\n{report}"
        );
        assert_eq!(
            deleted(report, table),
            (rows.len() - remaining.len()) as u64,
            "{l} {table}: JSON deleted count\n{report}"
        );
    }
}

per_backend! {
    fn cutoffs_are_exact_at_every_edge(db) {
        let l = db.label();
        let user = setup(&db);
        let mut expect: BTreeMap<(String, String), bool> = BTreeMap::new();
        for table in [TOKENS, SESSIONS] {
            for (label, expires, ended, since, gone) in edge_rows(&db, table) {
                cred(&db, table, &user, label, &expires, ended, since.as_deref());
                if let Some(g) = gone {
                    expect.insert((table.into(), label.into()), g);
                }
            }
        }
        let snapshot = || -> BTreeMap<&'static str, Vec<Cred>> {
            [TOKENS, SESSIONS].map(|t| (t, creds(&db, t))).into()
        };

        // Default purge: expired before now, revoked before now - 7d, inactive
        // before now - 30d, attempts before now - 30d, no audit.
        let before = snapshot();
        let report = purge_json(&db, &[]);
        assert_eq!(report["dry_run"], false, "{l}: {report}");
        assert_eq!(report["interrupted"], false, "{l}: {report}");
        assert_eq!(
            listed_tables(&report),
            [TOKENS, SESSIONS, ATTEMPTS],
            "{l}: what the application's three cleanup functions clean; no audit table without --audit-retention"
        );
        let exp_cut = cutoff(&report, "expired_before");
        for (name, days) in [
            ("revoked_before", 7),
            ("inactive_before", 30),
            ("attempts_before", 30),
        ] {
            assert_eq!(
                exp_cut.0 - cutoff(&report, name).0,
                chrono::Duration::days(days),
                "{l}: default {name} is {days} days before the expiry cutoff: {report}"
            );
        }
        assert!(report["cutoffs"]["audit_before"].is_null(), "{l}: {report}");
        assert!(
            (chrono::Utc::now() - exp_cut.0).num_seconds().abs() < 3600,
            "{l}: no grace by default (the cutoff is the run's own clock): {report}"
        );
        verify_cutoffs(&db, &before, &report, &expect);

        // Zero retentions delete what ended 6/29 days and 1 second ago; NULL flags,
        // the other flag value and missing times still never match.
        let before = snapshot();
        let report = purge_json(
            &db,
            &["--revoked-retention", "0s", "--inactive-retention", "0s"],
        );
        for name in ["revoked_before", "inactive_before"] {
            assert_eq!(
                cutoff(&report, "expired_before"),
                cutoff(&report, name),
                "{l}: {report}"
            );
        }
        for table in [TOKENS, SESSIONS] {
            expect.insert((table.into(), "ended_under".into()), true);
            expect.insert((table.into(), "ended_1s".into()), true);
        }
        verify_cutoffs(&db, &before, &report, &expect);
        for table in [TOKENS, SESSIONS] {
            let left = labels(&db, table);
            let must: BTreeSet<String> = [
                "live_1h",
                "live_100y",
                "null_flag_over",
                "not_ended_over",
                "ended_no_time",
            ]
            .map(String::from)
            .into();
            assert!(
                left.is_superset(&must) && left.len() <= must.len() + 1,
                "{l} {table}: {left:?}"
            );
        }
    }
}

/// The application's cleanup compares `is_revoked = true` and `is_active = false`:
/// a row whose flag is NULL is never deleted by the revoked/inactive rules, however
/// old its time — on SQLite, and on PostgreSQL with both strategies and in a dry
/// run. The same rows with the flag set are the control.
#[test]
fn null_flags_are_not_purged_by_the_revoked_or_inactive_rules() {
    let mut cases: Vec<(TestDb, Option<&str>)> = vec![(TestDb::sqlite(), None)];
    for strategy in ["keyset", "sweep"] {
        if let Some(db) = TestDb::postgres() {
            cases.push((db, Some(strategy)));
        }
    }
    for (db, strategy) in cases {
        let l = format!("{} {}", db.label(), strategy.unwrap_or("default"));
        let user = setup(&db);
        let mut kept = BTreeMap::new();
        let mut gone = BTreeMap::new();
        for (table, old) in [(TOKENS, "400 days"), (SESSIONS, "400 days")] {
            let hour = from_now(&db, "1 hour");
            let since = ago(&db, old);
            kept.insert(
                table,
                BTreeSet::from([
                    cred(&db, table, &user, "null_a", &hour, None, Some(&since)),
                    cred(&db, table, &user, "null_b", &hour, None, Some(&since)),
                    cred(
                        &db,
                        table,
                        &user,
                        "not_ended",
                        &hour,
                        Some(false),
                        Some(&since),
                    ),
                ]),
            );
            gone.insert(
                table,
                BTreeSet::from([cred(
                    &db,
                    table,
                    &user,
                    "ended",
                    &hour,
                    Some(true),
                    Some(&since),
                )]),
            );
        }
        let mut args = vec![];
        if let Some(s) = strategy {
            args.extend(["--strategy", s]);
        }
        let dry = purge_json(&db, &[&args[..], &["--dry-run"][..]].concat());
        let report = purge_json(&db, &args);
        for table in [TOKENS, SESSIONS] {
            assert_eq!(deleted(&dry, table), 1, "{l} {table}: dry run {dry}");
            assert_eq!(deleted(&report, table), 1, "{l} {table}: {report}");
            assert_eq!(ids(&db, table), kept[table], "{l} {table}: NULL flags kept");
            assert!(ids(&db, table).is_disjoint(&gone[table]), "{l} {table}");
            if let Some(s) = strategy {
                assert_eq!(field(&report, table, "strategy"), s, "{l}: {report}");
            }
        }
        // Even a zero retention leaves them.
        let report = purge_json(
            &db,
            &[
                &args[..],
                &["--revoked-retention", "0s", "--inactive-retention", "0s"][..],
            ]
            .concat(),
        );
        assert_eq!(total_deleted(&report), 0, "{l}: {report}");
        for table in [TOKENS, SESSIONS] {
            assert_eq!(ids(&db, table), kept[table], "{l} {table}");
        }
    }
}

per_backend! {
    /// Auth attempts go once older than `--attempts-retention` (the application's 30
    /// days), counted from the run's clock, not from `--grace`; a NULL timestamp never
    /// goes.
    fn attempts_retention_is_exact_and_independent_of_grace(db) {
        let l = db.label();
        let user = setup(&db);
        let mut at: BTreeMap<&str, String> = BTreeMap::new();
        for (label, when) in [
            ("d45", ago(&db, "45 days")),
            ("d31", ago(&db, "31 days")),
            ("d30_1m", ago(&db, "43201 minutes")),
            ("d29", ago(&db, "29 days")),
            ("h1", ago(&db, "1 hour")),
            ("now", now_sql(&db)),
            ("null", "NULL".to_owned()),
        ] {
            at.insert(label, attempt(&db, label, &when));
        }
        plain(&db, TOKENS, &user, "tok", &ago(&db, "1 hour"));
        let left = |db: &TestDb| -> BTreeSet<String> { labels(db, ATTEMPTS) };
        let set = |v: &[&str]| -> BTreeSet<String> { v.iter().map(|s| s.to_string()).collect() };

        // --grace moves only the expiry cutoff.
        let dry = purge_json(&db, &["--dry-run", "--grace", "2h", "--only", "attempts"]);
        assert_eq!(
            cutoff(&dry, "expired_before").0 - cutoff(&dry, "attempts_before").0,
            chrono::Duration::days(30) - chrono::Duration::hours(2),
            "{l}: {dry}"
        );
        assert_eq!(deleted(&dry, ATTEMPTS), 3, "{l}: {dry}");

        let report = purge_json(&db, &["--only", "attempts"]);
        assert_eq!(listed_tables(&report), [ATTEMPTS], "{l}: {report}");
        assert_eq!(deleted(&report, ATTEMPTS), 3, "{l}: {report}");
        assert_eq!(left(&db), set(&["d29", "h1", "now", "null"]), "{l}");
        assert_eq!(rows(&db, TOKENS), 1, "{l}: --only attempts leaves tokens");

        let report = purge_json(&db, &["--only", "attempts", "--attempts-retention", "1d"]);
        assert_eq!(deleted(&report, ATTEMPTS), 1, "{l}: {report}");
        assert_eq!(left(&db), set(&["h1", "now", "null"]), "{l}");

        let report = purge_json(&db, &["--only", "attempts", "--attempts-retention", "0s"]);
        assert_eq!(deleted(&report, ATTEMPTS), 2, "{l}: {report}");
        assert_eq!(
            left(&db),
            set(&["null"]),
            "{l}: a NULL timestamp is never older"
        );
        assert!(ids(&db, ATTEMPTS).contains(&at["null"]), "{l}");
    }
}

/// SQLite holds times as text, and the purge compares them as text: that is time
/// order only for one fixed-width form. The schema CHECKs that form on every time
/// column the purge compares — other forms an application might write (RFC 3339
/// with 'T', 'Z' or an offset, `CURRENT_TIMESTAMP` without a fraction, SQLite's
/// millisecond `%f`) are refused at insert — and the canonical form is purged by
/// time: never a live row deleted, never an expired one kept.
#[test]
fn sqlite_time_text_is_canonical_so_text_order_is_time_order() {
    let db = TestDb::sqlite();
    let user = setup(&db);
    let mut conn = db.connect();
    let bad = [
        (
            "rfc3339_z",
            "strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minute')",
        ),
        ("offset_plus14", "'2026-01-01 10:00:00.000000+14:00'"),
        ("offset_minus", "'2026-01-01 10:00:00-01:59'"),
        ("fraction_with_zone", "'2026-01-01 10:00:00.5Z'"),
        ("date_only", "'2026-01-01'"),
        ("current_timestamp", "CURRENT_TIMESTAMP"),
        (
            "millis",
            "strftime('%Y-%m-%d %H:%M:%f', 'now', '-1 minute')",
        ),
        ("t_separator", "'2026-01-01T10:00:00.000000'"),
    ];
    let good = "'2020-01-01 00:00:00.000000'";
    for (label, value) in bad {
        let token = format!("raw-bad-{label}-{}", uuid::Uuid::new_v4().simple());
        for sql in [
            format!(
                "INSERT INTO refresh_tokens (user_id, token, expires_at) VALUES ('{user}', '{token}', {value})"
            ),
            format!(
                "INSERT INTO refresh_tokens (user_id, token, expires_at, revoked_at) \
                 VALUES ('{user}', '{token}', {good}, {value})"
            ),
            format!(
                "INSERT INTO login_sessions (user_id, created_at, expires_at) VALUES ('{user}', {good}, {value})"
            ),
            format!(
                "INSERT INTO login_sessions (user_id, created_at, expires_at, last_activity_at) \
                 VALUES ('{user}', {good}, '2999-01-01 00:00:00.000000', {value})"
            ),
            format!(
                "INSERT INTO auth_attempts (ip_address, \"timestamp\") VALUES ('192.0.2.1', {value})"
            ),
            format!(
                "INSERT INTO authctl_audit_events (occurred_at, actor, action) VALUES ({value}, 't', 'x')"
            ),
        ] {
            let err = conn.batch_execute(&sql).expect_err(&sql);
            assert!(err.to_string().contains("CHECK"), "{label}: {sql}: {err}");
        }
    }
    drop(conn);
    // The canonical form is what the schema's own defaults write (`%f` + "000")
    // and what authctl writes (microseconds).
    let expired_ms = plain(&db, TOKENS, &user, "ms_expired", &ago(&db, "1 minute"));
    let expired_us = plain(
        &db,
        TOKENS,
        &user,
        "us_expired",
        &format!(
            "'{}'",
            (UtcDateTime::now() - chrono::Duration::seconds(2)).to_sqlite_text()
        ),
    );
    let live_ms = plain(&db, TOKENS, &user, "ms_live", &from_now(&db, "1 hour"));
    let live_us = plain(
        &db,
        TOKENS,
        &user,
        "us_live",
        &format!(
            "'{}'",
            (UtcDateTime::now() + chrono::Duration::hours(1)).to_sqlite_text()
        ),
    );
    let s_expired = plain(&db, SESSIONS, &user, "s_expired", &ago(&db, "1 minute"));
    let s_live = plain(&db, SESSIONS, &user, "s_live", &from_now(&db, "1 hour"));
    purge_json(&db, &[]);
    assert_eq!(ids(&db, TOKENS), BTreeSet::from([live_ms, live_us]));
    assert!(!ids(&db, TOKENS).contains(&expired_ms) && !ids(&db, TOKENS).contains(&expired_us));
    assert_eq!(ids(&db, SESSIONS), BTreeSet::from([s_live]));
    assert!(!ids(&db, SESSIONS).contains(&s_expired));
}

per_backend! {
    fn grace_keeps_recently_expired_rows(db) {
        let l = db.label();
        let user = setup(&db);
        let mut keep = BTreeMap::new();
        let mut gone = BTreeMap::new();
        for table in [TOKENS, SESSIONS] {
            keep.insert(
                table,
                [
                    plain(&db, table, &user, "exp_1h", &ago(&db, "1 hour")),
                    plain(&db, table, &user, "exp_119m", &ago(&db, "119 minutes")),
                    plain(&db, table, &user, "live", &from_now(&db, "1 hour")),
                ],
            );
            gone.insert(
                table,
                [
                    plain(&db, table, &user, "exp_3h", &ago(&db, "3 hours")),
                    plain(&db, table, &user, "exp_121m", &ago(&db, "121 minutes")),
                ],
            );
        }
        let report = purge_json(&db, &["--grace", "2h"]);
        let grace = cutoff(&report, "expired_before");
        assert_eq!(
            cutoff(&report, "revoked_before").0,
            grace.0 + chrono::Duration::hours(2) - chrono::Duration::days(7),
            "{l}: --grace moves only the expiry cutoff: {report}"
        );
        for table in [TOKENS, SESSIONS] {
            let remaining = ids(&db, table);
            assert_eq!(
                remaining,
                keep[table].iter().cloned().collect(),
                "{l} {table}: --grace 2h keeps rows expired 1h/119m ago, deletes 3h/121m"
            );
            assert!(gone[table].iter().all(|id| !remaining.contains(id)));
            assert_eq!(deleted(&report, table), 2, "{l} {table}: {report}");
        }
        // Without grace the rest of the expired rows go too.
        let report = purge_json(&db, &[]);
        for table in [TOKENS, SESSIONS] {
            assert_eq!(deleted(&report, table), 2, "{l} {table}: {report}");
            assert_eq!(
                ids(&db, table),
                BTreeSet::from([keep[table][2].clone()]),
                "{l}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// Dry run, table selection, audit retention

per_backend! {
    fn dry_run_counts_exactly_and_deletes_nothing(db) {
        let l = db.label();
        let user = setup(&db);
        let hour = from_now(&db, "1 hour");
        let old = ago(&db, "10 days");
        // tokens: 3 expired, 2 revoked long ago, 1 both (counted once), 5 kept
        // (4 live, 1 with a NULL is_revoked).
        for i in 0..3 {
            plain(&db, TOKENS, &user, &format!("e{i}"), &ago(&db, "1 hour"));
        }
        for i in 0..2 {
            cred(
                &db,
                TOKENS,
                &user,
                &format!("r{i}"),
                &hour,
                Some(true),
                Some(&old),
            );
        }
        cred(
            &db,
            TOKENS,
            &user,
            "both",
            &ago(&db, "1 hour"),
            Some(true),
            Some(&old),
        );
        for i in 0..4 {
            plain(
                &db,
                TOKENS,
                &user,
                &format!("k{i}"),
                &from_now(&db, "1 day"),
            );
        }
        cred(&db, TOKENS, &user, "null", &hour, None, Some(&old));
        // sessions: 5 expired, 1 inactive for 40 days, 1 inactive for 10 (kept), 1 live.
        for i in 0..5 {
            plain(&db, SESSIONS, &user, &format!("e{i}"), &ago(&db, "2 days"));
        }
        cred(
            &db,
            SESSIONS,
            &user,
            "idle40",
            &hour,
            Some(true),
            Some(&ago(&db, "40 days")),
        );
        cred(
            &db,
            SESSIONS,
            &user,
            "idle10",
            &hour,
            Some(true),
            Some(&old),
        );
        plain(&db, SESSIONS, &user, "live", &hour);
        // attempts: 2 older than 30 days, 1 recent.
        attempt(&db, "a_old1", &ago(&db, "31 days"));
        attempt(&db, "a_old2", &ago(&db, "90 days"));
        attempt(&db, "a_new", &ago(&db, "1 day"));
        for i in 0..3 {
            insert_audit(&db, &format!("old{i}"), &ago(&db, "40 days"));
        }
        insert_audit(&db, "new", &now_sql(&db));
        let counts = |db: &TestDb| {
            (
                rows(db, TOKENS),
                rows(db, SESSIONS),
                rows(db, ATTEMPTS),
                rows(db, AUDIT),
            )
        };

        let report = purge_json(&db, &["--dry-run"]);
        assert_eq!(report["dry_run"], true, "{l}: {report}");
        assert_eq!(deleted(&report, TOKENS), 6, "{l}: {report}");
        assert_eq!(deleted(&report, SESSIONS), 6, "{l}: {report}");
        assert_eq!(deleted(&report, ATTEMPTS), 2, "{l}: {report}");
        for t in [TOKENS, SESSIONS, ATTEMPTS] {
            assert_eq!(field(&report, t, "strategy"), "count", "{l}");
        }
        let report = purge_json(&db, &["--dry-run", "--audit-retention", "30d"]);
        assert_eq!(deleted(&report, AUDIT), 3, "{l}: {report}");
        assert_eq!(counts(&db), (11, 8, 3, 4), "{l}: a dry run deletes nothing");

        let r = purge(&db, &["--dry-run"]);
        assert_eq!(r.code, 0, "{l}: {r}");
        assert_eq!(
            r.stdout.lines().collect::<Vec<_>>(),
            [
                "refresh_tokens: 6 rows would be deleted (dry run)",
                "login_sessions: 6 rows would be deleted (dry run)",
                "auth_attempts: 2 rows would be deleted (dry run)",
            ],
            "{l}: {r}"
        );
        assert_eq!(counts(&db), (11, 8, 3, 4), "{l}");

        // The real run deletes what the dry run counted.
        let report = purge_json(&db, &[]);
        assert_eq!(
            (
                deleted(&report, TOKENS),
                deleted(&report, SESSIONS),
                deleted(&report, ATTEMPTS)
            ),
            (6, 6, 2),
            "{l}: {report}"
        );
        assert_eq!(counts(&db), (5, 2, 1, 4), "{l}: audit kept by default");
    }
}

/// Tokens, sessions, attempts and audit events around every cutoff the options
/// move: 8 tokens, 8 sessions, 3 attempts, 4 audit events.
fn seed_mixed(db: &TestDb, user: &str) {
    db.exec(
        "DELETE FROM refresh_tokens; DELETE FROM login_sessions; DELETE FROM auth_attempts; \
         DELETE FROM authctl_audit_events",
    );
    let hour = from_now(db, "1 hour");
    for table in [TOKENS, SESSIONS] {
        for (i, expires) in [
            ago(db, "3 hours"),
            ago(db, "3 hours"),
            ago(db, "1 hour"),
            ago(db, "1 hour"),
            ago(db, "1 hour"),
            hour.clone(),
        ]
        .iter()
        .enumerate()
        {
            plain(db, table, user, &format!("x{i}"), expires);
        }
        let (old, new) = if table == TOKENS {
            ("10 days", "1 day")
        } else {
            ("40 days", "10 days")
        };
        cred(
            db,
            table,
            user,
            "old_end",
            &hour,
            Some(true),
            Some(&ago(db, old)),
        );
        cred(
            db,
            table,
            user,
            "new_end",
            &hour,
            Some(true),
            Some(&ago(db, new)),
        );
    }
    attempt(db, "a40", &ago(db, "40 days"));
    attempt(db, "a35", &ago(db, "35 days"));
    attempt(db, "a1", &ago(db, "1 day"));
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

per_backend! {
    fn dry_run_reports_what_the_real_run_deletes(db) {
        let mut mismatches = Vec::new();
        let l = db.label();
        let user = setup(&db);
        // The seeded rows (the `audit.purge` trace a real run adds is not one).
        let total = |db: &TestDb| {
            rows(db, TOKENS)
                + rows(db, SESSIONS)
                + rows(db, ATTEMPTS)
                + common::count(
                    db,
                    "SELECT count(*) AS n FROM authctl_audit_events WHERE action <> 'audit.purge'",
                )
        };
        for args in [
            &[][..],
            &["--grace", "2h"],
            &["--revoked-retention", "0s"],
            &["--inactive-retention", "0s"],
            &["--attempts-retention", "36d"],
            &["--only", "tokens"],
            &["--only", "sessions,attempts"],
            &["--audit-retention", "30d"],
            &["--max-rows", "5"],
            &["--max-rows", "11", "--audit-retention", "30d"],
        ] {
            seed_mixed(&db, &user);
            let dry = purge_json(&db, &[&["--dry-run"][..], args].concat());
            assert_eq!(
                total(&db),
                23,
                "{l} {args:?}: the dry run deleted something"
            );
            let real = purge_json(&db, args);
            let gone = 23 - total(&db);
            assert_eq!(total_deleted(&real), gone as u64, "{l} {args:?}: {real}");
            if per_table(&dry) != per_table(&real) {
                mismatches.push(format!(
                    "{l} {args:?}: dry run {:?}, run {:?}",
                    per_table(&dry),
                    per_table(&real)
                ));
            }
        }
        assert!(
            mismatches.is_empty(),
            "the dry run must report what the run deletes:\n{}",
            mismatches.join("\n")
        );
    }
}

per_backend! {
    fn only_selects_tables_and_audit_needs_a_retention(db) {
        let l = db.label();
        let user = setup(&db);
        for table in [TOKENS, SESSIONS] {
            for i in 0..3 {
                plain(&db, table, &user, &format!("e{i}"), &ago(&db, "1 hour"));
            }
            plain(&db, table, &user, "live", &from_now(&db, "1 hour"));
        }
        attempt(&db, "a_old", &ago(&db, "31 days"));
        attempt(&db, "a_new", &ago(&db, "1 day"));
        let old = insert_audit(&db, "d31", &ago(&db, "31 days"));
        let middle = insert_audit(&db, "d29", &ago(&db, "29 days"));
        let new = insert_audit(&db, "now", &now_sql(&db));

        let r = purge(&db, &["--only", "audit"]);
        assert_eq!(r.code, 64, "{l}: --only audit without retention\n{r}");
        assert!(r.stderr.contains("--audit-retention"), "{l}: {r}");
        assert_eq!(rows(&db, AUDIT), 3, "{l}");

        let r = purge(&db, &["--only", "passwords"]);
        assert_eq!(r.code, 64, "{l}: an unknown table is a usage error\n{r}");

        let report = purge_json(&db, &["--only", "sessions"]);
        assert_eq!(listed_tables(&report), [SESSIONS], "{l}: {report}");
        assert_eq!(deleted(&report, SESSIONS), 3, "{l}: {report}");
        assert_eq!(rows(&db, SESSIONS), 1, "{l}");
        assert_eq!(rows(&db, TOKENS), 4, "{l}: --only sessions leaves tokens");
        assert_eq!(
            rows(&db, ATTEMPTS),
            2,
            "{l}: --only sessions leaves attempts"
        );

        let report = purge_json(&db, &["--only", "audit", "--audit-retention", "30d"]);
        assert_eq!(listed_tables(&report), [AUDIT], "{l}: {report}");
        assert_eq!(deleted(&report, AUDIT), 1, "{l}: {report}");
        assert_eq!(
            ids_where(&db, AUDIT, "action <> 'audit.purge'"),
            BTreeSet::from([middle.clone(), new.clone()]),
            "{l}: only the event older than 30 days goes (deleted {old})"
        );
        assert_eq!(rows(&db, TOKENS), 4, "{l}: --only audit leaves tokens");

        // Repeated and comma-separated forms are the same selection.
        let a = purge_json(
            &db,
            &["--dry-run", "--only", "tokens", "--only", "attempts"],
        );
        let b = purge_json(&db, &["--dry-run", "--only", "attempts,tokens"]);
        assert_eq!(listed_tables(&a), [TOKENS, ATTEMPTS], "{l}: {a}");
        assert_eq!(per_table(&a), per_table(&b), "{l}");
        assert_eq!(
            per_table(&a),
            [(TOKENS.into(), 3), (ATTEMPTS.into(), 1)],
            "{l}"
        );

        // With a retention and no --only, every table is purged.
        insert_audit(&db, "d45", &ago(&db, "45 days"));
        let report = purge_json(&db, &["--audit-retention", "30d"]);
        assert_eq!(
            listed_tables(&report),
            [TOKENS, SESSIONS, ATTEMPTS, AUDIT],
            "{l}: {report}"
        );
        assert_eq!(
            per_table(&report),
            [
                (TOKENS.into(), 3),
                (SESSIONS.into(), 0),
                (ATTEMPTS.into(), 1),
                (AUDIT.into(), 1)
            ],
            "{l}: {report}"
        );
        assert_eq!(
            ids_where(&db, AUDIT, "action <> 'audit.purge'"),
            BTreeSet::from([middle, new]),
            "{l}"
        );
        // Each run that deleted audit events left one trace.
        assert_eq!(
            ids_where(&db, AUDIT, "action = 'audit.purge'").len(),
            2,
            "{l}"
        );
    }
}

// ---------------------------------------------------------------------------------
// Output

per_backend! {
    fn quiet_prints_nothing_and_default_prints_one_line_per_table(db) {
        let l = db.label();
        let user = setup(&db);
        for table in [TOKENS, SESSIONS] {
            plain(&db, table, &user, "e", &ago(&db, "1 hour"));
        }
        attempt(&db, "a", &ago(&db, "31 days"));
        let r = run(db.authctl().args(["--quiet", "purge-expired"]));
        assert_eq!(r.code, 0, "{l}: {r}");
        assert_eq!((r.stdout.as_str(), r.stderr.as_str()), ("", ""), "{l}: {r}");
        assert_eq!(
            (rows(&db, TOKENS), rows(&db, SESSIONS), rows(&db, ATTEMPTS)),
            (0, 0, 0),
            "{l}: --quiet still purges"
        );

        for table in [TOKENS, SESSIONS] {
            plain(&db, table, &user, "e2", &ago(&db, "1 hour"));
        }
        let r = purge(&db, &[]);
        assert_eq!(r.code, 0, "{l}: {r}");
        let lines: Vec<&str> = r.stdout.lines().collect();
        assert_eq!(lines.len(), 3, "{l}: one line per table\n{r}");
        assert!(
            lines[0].starts_with("refresh_tokens: deleted 1 rows in "),
            "{l}: {r}"
        );
        assert!(
            lines[1].starts_with("login_sessions: deleted 1 rows in "),
            "{l}: {r}"
        );
        assert!(
            lines[2].starts_with("auth_attempts: deleted 0 rows in "),
            "{l}: {r}"
        );
        assert_eq!(r.stderr, "", "{l}: no spinner without a terminal\n{r}");

        // The JSON report: one object, per-table fields, cutoffs.
        plain(&db, TOKENS, &user, "e3", &ago(&db, "1 hour"));
        let report = purge_json(&db, &[]);
        assert_eq!(deleted(&report, TOKENS), 1, "{l}: {report}");
        for name in [
            "table",
            "strategy",
            "deleted",
            "batches",
            "elapsed_ms",
            "longest_batch_ms",
            "retries",
            "skipped_blocks",
        ] {
            assert!(
                !field(&report, TOKENS, name).is_null(),
                "{l}: {name} in {report}"
            );
        }
        let strategy = field(&report, TOKENS, "strategy");
        let want = if db.is_postgres() { "keyset" } else { "batch" };
        assert_eq!(strategy, want, "{l}: small tables: {report}");

        // Quiet and failing: the error still goes to stderr.
        let r = run(db
            .authctl()
            .args(["--quiet", "purge-expired", "--only", "audit"]));
        assert_eq!(r.code, 64, "{l}: {r}");
        assert_eq!(r.stdout, "", "{l}: {r}");
        assert!(r.stderr.contains("--audit-retention"), "{l}: {r}");
    }
}

// ---------------------------------------------------------------------------------
// Batching and caps

per_backend! {
    fn max_rows_stops_after_exactly_that_many(db) {
        let l = db.label();
        let user = setup(&db);
        insert_series(&db, TOKENS, &user, 1, 12, &ago(&db, "1 hour"));
        insert_series(&db, SESSIONS, &user, 1, 12, &ago(&db, "1 hour"));
        insert_series(&db, ATTEMPTS, &user, 1, 4, &ago(&db, "40 days"));
        insert_series(&db, TOKENS, &user, 100, 104, &from_now(&db, "1 hour"));
        let left = |db: &TestDb| expired(db, TOKENS) + expired(db, SESSIONS) + rows(db, ATTEMPTS);
        let report = purge_json(&db, &["--max-rows", "5"]);
        assert_eq!(total_deleted(&report), 5, "{l}: {report}");
        assert_eq!(left(&db), 28 - 5, "{l}: exactly 5 rows deleted");
        assert_eq!(live(&db, TOKENS), 5, "{l}");
        // The budget spans tables.
        let report = purge_json(&db, &["--max-rows", "20"]);
        assert_eq!(total_deleted(&report), 20, "{l}: {report}");
        assert_eq!(left(&db), 3, "{l}");
        assert_eq!(
            (
                expired(&db, TOKENS),
                expired(&db, SESSIONS),
                rows(&db, ATTEMPTS)
            ),
            (0, 0, 3),
            "{l}: tables in order: tokens, sessions, attempts\n{report}"
        );
        let report = purge_json(&db, &["--max-rows", "100"]);
        assert_eq!(total_deleted(&report), 3, "{l}: {report}");
        assert_eq!(left(&db), 0, "{l}");
        assert_eq!(live(&db, TOKENS), 5, "{l}");
    }
}

/// The `authctl_purge_runs` rows, oldest first: `(tables, deleted, interrupted)`.
fn recorded_runs(db: &TestDb) -> Vec<String> {
    common::query_strings(
        db,
        "SELECT tables || ' ' || CAST(deleted AS TEXT) || ' ' || \
         CASE WHEN interrupted THEN 'interrupted' ELSE 'complete' END AS v \
         FROM authctl_purge_runs ORDER BY id",
    )
}

fn complete(report: &Value, table: &str) -> Value {
    field(report, table, "complete")
}

per_backend! {
    /// A run stopped by `--max-rows` is no failure — exit 0, silent with `--quiet`
    /// (cron) — but it says which tables it did not finish (table, JSON, CSV), and
    /// records them as incomplete so `stats` does not count them as purged. A table
    /// the cap ran out on exactly at its last row is complete.
    fn max_rows_reports_the_tables_it_did_not_finish(db) {
        let l = db.label();
        let user = setup(&db);
        insert_series(&db, TOKENS, &user, 1, 12, &ago(&db, "1 hour"));
        insert_series(&db, SESSIONS, &user, 1, 12, &ago(&db, "1 hour"));
        insert_series(&db, ATTEMPTS, &user, 1, 4, &ago(&db, "40 days"));

        let report = purge_json(&db, &["--max-rows", "5"]);
        assert_eq!(total_deleted(&report), 5, "{l}: {report}");
        assert_eq!(report["capped"], true, "{l}: {report}");
        assert_eq!(report["complete"], false, "{l}: {report}");
        assert_eq!(report["interrupted"], false, "{l}: {report}");
        for table in [TOKENS, SESSIONS, ATTEMPTS] {
            assert_eq!(complete(&report, table), false, "{l}: {table}: {report}");
        }

        // Table output: each unfinished table says so; exit 0, nothing on stderr.
        let r = purge(&db, &["--max-rows", "5"]);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{l}: {r}");
        for table in [TOKENS, SESSIONS, ATTEMPTS] {
            let line = r
                .stdout
                .lines()
                .find(|line| line.starts_with(&format!("{table}:")))
                .unwrap_or_else(|| panic!("{l}: no line for {table}\n{r}"));
            assert!(
                line.ends_with("; incomplete: --max-rows 5 reached, the rest waits for the next run"),
                "{l}: {line}"
            );
        }
        // --quiet: cron stays silent, the run still succeeds.
        let r = run(db.authctl().args(["--quiet", "purge-expired", "--max-rows", "1"]));
        assert_eq!((r.code, r.stdout.as_str(), r.stderr.as_str()), (0, "", ""), "{l}: {r}");
        assert_eq!(expired(&db, TOKENS), 1, "{l}");

        // The cap runs out on the last token: tokens complete, the rest not.
        let dry = purge_json(&db, &["--dry-run", "--max-rows", "1"]);
        assert_eq!(
            (complete(&dry, TOKENS), complete(&dry, SESSIONS), dry["capped"].clone()),
            (Value::Bool(true), Value::Bool(false), Value::Bool(true)),
            "{l}: the dry run tells the same: {dry}"
        );
        let r = run(db.authctl().args(["-o", "csv", "purge-expired", "--max-rows", "1"]));
        assert_eq!(r.code, 0, "{l}: {r}");
        let mut lines = r.stdout.lines();
        assert_eq!(
            lines.next(),
            Some("table,deleted,batches,elapsed_ms,longest_batch_ms,strategy,complete"),
            "{l}: {r}"
        );
        let completes: Vec<&str> = lines.map(|line| line.rsplit(',').next().unwrap()).collect();
        assert_eq!(completes, ["true", "false", "false"], "{l}: {r}");

        // Uncapped: everything complete.
        let report = purge_json(&db, &["--max-rows", "100"]);
        assert_eq!(total_deleted(&report), 28 - 12, "{l}: {report}");
        assert_eq!(
            (report["capped"].clone(), report["complete"].clone()),
            (Value::Bool(false), Value::Bool(true)),
            "{l}: {report}"
        );

        let all = |mark: [&str; 3]| {
            format!("{TOKENS}:{},{SESSIONS}:{},{ATTEMPTS}:{}", mark[0], mark[1], mark[2])
        };
        let (c, i) = ("complete", "incomplete");
        assert_eq!(
            recorded_runs(&db),
            [
                format!("{} 5 interrupted", all([i, i, i])),
                format!("{} 5 interrupted", all([i, i, i])),
                format!("{} 1 interrupted", all([i, i, i])),
                format!("{} 1 interrupted", all([c, i, i])),
                format!("{} 16 complete", all([c, c, c])),
            ],
            "{l}: each run's tables, marked; a capped run is not a success"
        );
    }
}

per_backend! {
    /// `--only` runs complete only their tables, and say so in the record.
    fn only_records_just_its_tables(db) {
        let l = db.label();
        let user = setup(&db);
        insert_series(&db, TOKENS, &user, 1, 3, &ago(&db, "1 hour"));
        let report = purge_json(&db, &["--only", "tokens"]);
        assert_eq!((report["complete"].clone(), report["capped"].clone()), (Value::Bool(true), Value::Bool(false)), "{l}: {report}");
        assert_eq!(recorded_runs(&db), [format!("{TOKENS}:complete 3 complete")], "{l}");
    }
}

per_backend! {
    fn fixed_batch_size_gives_ceil_batches(db) {
        let mut wrong = Vec::new();
        let l = db.label();
        let user = setup(&db);
        // 10 tokens → 4 batches of ≤ 3; 9 sessions → exactly 3; 7 attempts → 3.
        insert_series(&db, TOKENS, &user, 1, 10, &ago(&db, "1 hour"));
        insert_series(&db, SESSIONS, &user, 1, 9, &ago(&db, "1 hour"));
        insert_series(&db, ATTEMPTS, &user, 1, 7, &ago(&db, "40 days"));
        insert_series(&db, TOKENS, &user, 100, 102, &from_now(&db, "1 hour"));
        let report = purge_json(&db, &["--batch-size", "3"]);
        assert_eq!(
            (
                deleted(&report, TOKENS),
                deleted(&report, SESSIONS),
                deleted(&report, ATTEMPTS)
            ),
            (10, 9, 7),
            "{l}: {report}"
        );
        let batches = [TOKENS, SESSIONS, ATTEMPTS].map(|t| field(&report, t, "batches"));
        if batches != [4, 3, 3].map(Value::from) {
            wrong.push(format!("{l}: {report}"));
        }
        assert_eq!(
            (
                expired(&db, TOKENS),
                expired(&db, SESSIONS),
                rows(&db, ATTEMPTS)
            ),
            (0, 0, 0),
            "{l}"
        );
        assert_eq!(live(&db, TOKENS), 3, "{l}");
        assert!(
            wrong.is_empty(),
            "--batch-size 3: expected 4 batches for 10 tokens, 3 for 9 sessions and 3 for 7 attempts (ceil):\n{}",
            wrong.join("\n")
        );
    }
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
        insert_series(db, table, &user, 1, 10_000, &expires);
        assert_eq!((expired(db, table), live(db, table)), (5_000, 5_000));
    }
    // A third of the live tokens revoked long ago, a third of the live sessions
    // inactive long ago (gone), a third with NULL flags (kept).
    db.exec(&format!(
        "UPDATE refresh_tokens SET is_revoked = CASE WHEN token LIKE '%5' THEN NULL ELSE true END, \
         revoked_at = {} WHERE expires_at > {} AND (token LIKE '%3' OR token LIKE '%5')",
        ago(db, "30 days"),
        now_sql(db)
    ));
    db.exec(&format!(
        "UPDATE login_sessions SET is_active = CASE WHEN CAST(session_token AS TEXT) LIKE '%5' THEN NULL ELSE false END, \
         last_activity_at = {} WHERE expires_at > {} AND (CAST(session_token AS TEXT) LIKE '%3' OR CAST(session_token AS TEXT) LIKE '%5')",
        ago(db, "60 days"),
        now_sql(db)
    ));
    insert_series(
        db,
        ATTEMPTS,
        &user,
        1,
        4_000,
        &format!(
            "CASE WHEN i % 4 = 0 THEN {} ELSE {} END",
            ago(db, "1 day"),
            ago(db, "31 days")
        ),
    );
    let keep: BTreeMap<&str, BTreeSet<String>> = [
        (
            TOKENS,
            ids_where(
                db,
                TOKENS,
                &format!(
                    "expires_at > {} AND (is_revoked IS NULL OR is_revoked = false)",
                    now_sql(db)
                ),
            ),
        ),
        (
            SESSIONS,
            ids_where(
                db,
                SESSIONS,
                &format!(
                    "expires_at > {} AND (is_active IS NULL OR is_active = true)",
                    now_sql(db)
                ),
            ),
        ),
        (
            ATTEMPTS,
            ids_where(
                db,
                ATTEMPTS,
                &format!("\"timestamp\" > {}", ago(db, "2 days")),
            ),
        ),
    ]
    .into();
    let ended = |t: &str| 5_000 - keep[t].len() as u64;
    assert!(ended(TOKENS) > 100 && ended(SESSIONS) > 100, "{l}: seed");
    assert_eq!(keep[ATTEMPTS].len(), 1_000, "{l}: seed");
    let mut args = vec![];
    if let Some(s) = strategy {
        args.extend(["--strategy", s]);
    }
    let report = purge_json(db, &args);
    for table in [TOKENS, SESSIONS] {
        assert_eq!(
            deleted(&report, table),
            5_000 + ended(table),
            "{l} {table}: {report}"
        );
        assert_eq!(expired(db, table), 0, "{l} {table}");
    }
    assert_eq!(deleted(&report, ATTEMPTS), 3_000, "{l}: {report}");
    for table in [TOKENS, SESSIONS, ATTEMPTS] {
        assert_eq!(ids(db, table), keep[table], "{l} {table}: kept rows");
        if let Some(s) = strategy {
            assert_eq!(field(&report, table, "strategy"), s, "{l}: {report}");
        }
    }
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
// The application's own cleanup functions, on identical data

/// The user every comparison row belongs to.
const MIX_USER: &str = "00000000-0000-4000-8000-0000000000aa";
/// Tokens and sessions per comparison database: over 1,000 heap blocks each
/// (checked), so `--strategy auto` picks the sweep.
const MIX_ROWS: i64 = 60_000;
/// Auth attempts per comparison database: under 1,000 blocks (auto: keyset).
const MIX_ATTEMPTS: i64 = 20_000;

/// Seed the same rows into `pg`: fixed ids and tokens, every time relative to the
/// fixed instant `t0` and at least 2 hours (expiry) or 12 hours (retentions) away
/// from any cutoff of a run shortly after `t0`, so purges run seconds apart delete
/// the same rows. Mixes expired/live, revoked/not/NULL, inactive/active/NULL, NULL
/// times, and old/recent attempts.
fn seed_comparison(pg: &PgDb, t0: &str) {
    let t0 = format!("'{t0}'::timestamptz");
    let ua = "'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'";
    // Four independent pseudo-random numbers per row (md5 with different salts), so
    // flags, NULLs and times are not correlated with each other.
    let rand = |n: i64| {
        format!(
            "(SELECT i, {} FROM generate_series(1, {n}) AS i) s",
            (1..=4)
                .map(|k| format!("('x' || substr(md5('r{k}-' || i), 1, 7))::bit(28)::int AS r{k}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    // Expiry: -100..+99 hours around t0, never within 2 hours of it.
    let expires = format!(
        "{t0} + make_interval(hours => r1 % 200 - 100) \
         + CASE WHEN r1 % 200 >= 100 THEN interval '2 hours' ELSE interval '-2 hours' END"
    );
    pg.psql(&format!(
        "INSERT INTO users (id, email, password_hash) VALUES ('{MIX_USER}', 'mix@example.com', 'x');
         INSERT INTO refresh_tokens (id, user_id, token, expires_at, created_at, is_revoked, revoked_at, user_agent, ip_address)
         SELECT md5('t' || i)::uuid, '{MIX_USER}', 'tok-' || md5('t' || i) || md5('u' || i),
                {expires}, {t0} - interval '1000 days',
                CASE r2 % 5 WHEN 0 THEN true WHEN 1 THEN true WHEN 2 THEN NULL ELSE false END,
                CASE WHEN r3 % 5 = 0 THEN NULL
                     ELSE {t0} - make_interval(days => r4 % 20) - interval '12 hours' END,
                {ua}, '192.0.2.10'
         FROM {tokens};
         INSERT INTO login_sessions (session_id, user_id, session_token, ip_address, user_agent, created_at, expires_at, last_activity_at, is_active)
         SELECT md5('s' || i)::uuid, '{MIX_USER}', md5('k' || i)::uuid, '192.0.2.11', {ua},
                {t0} - interval '1000 days', {expires},
                CASE WHEN r3 % 6 = 0 THEN NULL
                     ELSE {t0} - make_interval(days => r4 % 60) - interval '12 hours' END,
                CASE r2 % 4 WHEN 0 THEN false WHEN 1 THEN false WHEN 2 THEN NULL ELSE true END
         FROM {sessions};
         INSERT INTO auth_attempts (id, user_id, email, ip_address, user_agent, success, \"timestamp\")
         SELECT md5('a' || i)::uuid, CASE WHEN r1 % 2 = 0 THEN '{MIX_USER}'::uuid END, 'mix@example.com',
                '192.0.2.12', {ua}, r2 % 3 = 0,
                CASE WHEN r3 % 50 = 0 THEN NULL
                     ELSE {t0} - make_interval(days => r4 % 60) - interval '12 hours' END
         FROM {attempts};
         ANALYZE refresh_tokens; ANALYZE login_sessions; ANALYZE auth_attempts;",
        tokens = rand(MIX_ROWS),
        sessions = rand(MIX_ROWS),
        attempts = rand(MIX_ATTEMPTS),
    ));
}

fn blocks(pg: &PgDb, table: &str) -> i64 {
    pg.strings(&format!(
        "SELECT (pg_relation_size('{table}') / current_setting('block_size')::int)::text AS v"
    ))[0]
        .parse()
        .unwrap()
}

/// Every id of `table`, sorted.
fn all_ids(pg: &PgDb, table: &str) -> BTreeSet<String> {
    pg.strings(&format!(
        "SELECT {}::text AS v FROM {table}",
        id_column(table)
    ))
    .into_iter()
    .collect()
}

fn describe_difference(a: &BTreeSet<String>, b: &BTreeSet<String>) -> String {
    let only_a: Vec<_> = a.difference(b).take(5).collect();
    let only_b: Vec<_> = b.difference(a).take(5).collect();
    format!(
        "{} left only by the application (e.g. {only_a:?}), {} only by authctl (e.g. {only_b:?})",
        a.difference(b).count(),
        b.difference(a).count()
    )
}

/// A database the application's own runner migrated (its functions included),
/// adopted by `authctl migrate`, seeded with the comparison rows.
fn comparison_db(t0: &str) -> Option<PgDb> {
    let pg = PgDb::app_migrated(None)?;
    let r = run(common::authctl().args(["--database-url", &pg.url, "migrate"]));
    assert_eq!(r.code, 0, "authctl migrate (adopting)\n{r}");
    seed_comparison(&pg, t0);
    Some(pg)
}

/// Identical data in four databases: the application's `clean_expired_refresh_tokens()`,
/// `clean_expired_sessions()` and `clean_old_auth_attempts()` in one, `authctl
/// purge-expired` with `--strategy sweep`, `keyset` and `auto` in the others.
/// The rows left — every id of every table — and the counts must be the same.
#[test]
fn purge_matches_the_applications_cleanup_functions_with_every_strategy() {
    let t0 = UtcDateTime::now().to_rfc3339();
    let Some(app_db) = comparison_db(&t0) else {
        return;
    };
    // The seed exercises every rule, with rows just on both sides of every cutoff
    // (a day for the retentions, hours for the expiry), so an agreement is not
    // vacuous: a retention off by one day, or a NULL flag read as set, differs.
    let checks = [
        "refresh_tokens WHERE expires_at BETWEEN now() - interval '4 hours' AND now()",
        "refresh_tokens WHERE expires_at BETWEEN now() AND now() + interval '4 hours'",
        "refresh_tokens WHERE expires_at > now() AND is_revoked = true AND revoked_at BETWEEN now() - interval '8 days' AND now() - interval '7 days'",
        "refresh_tokens WHERE expires_at > now() AND is_revoked = true AND revoked_at BETWEEN now() - interval '7 days' AND now() - interval '6 days'",
        "refresh_tokens WHERE expires_at > now() AND is_revoked IS NULL AND revoked_at < now() - interval '7 days'",
        "refresh_tokens WHERE expires_at > now() AND is_revoked = false AND revoked_at < now() - interval '7 days'",
        "refresh_tokens WHERE expires_at > now() AND is_revoked = true AND revoked_at IS NULL",
        "login_sessions WHERE expires_at BETWEEN now() - interval '4 hours' AND now()",
        "login_sessions WHERE expires_at > now() AND is_active = false AND last_activity_at BETWEEN now() - interval '31 days' AND now() - interval '30 days'",
        "login_sessions WHERE expires_at > now() AND is_active = false AND last_activity_at BETWEEN now() - interval '30 days' AND now() - interval '29 days'",
        "login_sessions WHERE expires_at > now() AND is_active IS NULL AND last_activity_at < now() - interval '30 days'",
        "login_sessions WHERE expires_at > now() AND is_active = true AND last_activity_at < now() - interval '30 days'",
        "login_sessions WHERE expires_at > now() AND is_active = false AND last_activity_at IS NULL",
        "auth_attempts WHERE \"timestamp\" BETWEEN now() - interval '31 days' AND now() - interval '30 days'",
        "auth_attempts WHERE \"timestamp\" BETWEEN now() - interval '30 days' AND now() - interval '29 days'",
        "auth_attempts WHERE \"timestamp\" IS NULL",
    ];
    for check in checks {
        let n: i64 = app_db.strings(&format!("SELECT count(*)::text AS v FROM {check}"))[0]
            .parse()
            .unwrap();
        assert!(n >= 20, "the seed has rows in {check}: {n}");
    }
    for table in [TOKENS, SESSIONS] {
        assert!(
            blocks(&app_db, table) > 1_000,
            "{table} spans over 1,000 blocks ({})",
            blocks(&app_db, table)
        );
    }
    assert!(
        blocks(&app_db, ATTEMPTS) < 1_000,
        "auth_attempts stays small"
    );

    let counts = app_db.strings(
        "SELECT concat_ws(',', clean_expired_refresh_tokens(), clean_expired_sessions(), clean_old_auth_attempts()) AS v",
    );
    let app_counts: Vec<u64> = counts[0].split(',').map(|n| n.parse().unwrap()).collect();
    let app_left: BTreeMap<&str, BTreeSet<String>> = [TOKENS, SESSIONS, ATTEMPTS]
        .map(|t| (t, all_ids(&app_db, t)))
        .into();
    drop(app_db);

    for strategy in ["sweep", "keyset", "auto"] {
        let pg = comparison_db(&t0).expect("PostgreSQL is configured");
        let db = TestDb::Postgres(pg);
        let report = purge_json(&db, &["--strategy", strategy]);
        let TestDb::Postgres(pg) = &db else {
            unreachable!()
        };
        for (i, table) in [TOKENS, SESSIONS, ATTEMPTS].into_iter().enumerate() {
            let left = all_ids(pg, table);
            assert!(
                left == app_left[table],
                "--strategy {strategy} {table}: {}\n{report}",
                describe_difference(&app_left[table], &left)
            );
            assert_eq!(
                deleted(&report, table),
                app_counts[i],
                "--strategy {strategy} {table}: the count the application's function returned\n{report}"
            );
            let want = match (strategy, table) {
                ("auto", ATTEMPTS) => "keyset",
                ("auto", _) => "sweep",
                (s, _) => s,
            };
            assert_eq!(
                field(&report, table, "strategy"),
                want,
                "--strategy {strategy} {table}: {report}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// Rows locked by the application (PostgreSQL)

/// The expired token ids, in id order.
fn expired_ids(db: &TestDb, table: &str) -> Vec<String> {
    common::query_strings(
        db,
        &format!(
            "SELECT CAST({id} AS TEXT) AS v FROM {table} WHERE expires_at < now() ORDER BY {id}",
            id = id_column(table)
        ),
    )
}

/// The application holds one expired token and one expired session locked (`FOR
/// UPDATE`) for the whole purge: the purge finishes while the locks are still held
/// — it skipped them instead of waiting — deletes every other expired row, and the
/// next run, after the commit, deletes the two.
fn locked_row(strategy: &str) {
    let Some(db) = TestDb::postgres() else { return };
    let l = format!("postgres {strategy}");
    let user = setup(&db);
    let expires = format!(
        "CASE WHEN i % 4 = 0 THEN {} ELSE {} END",
        from_now(&db, "1 hour"),
        ago(&db, "1 hour")
    );
    insert_series(&db, TOKENS, &user, 1, 400, &expires);
    insert_series(&db, SESSIONS, &user, 1, 40, &ago(&db, "1 hour"));
    let x = expired_ids(&db, TOKENS)[150].clone();
    let s = expired_ids(&db, SESSIONS)[20].clone();
    let mut app = diesel::PgConnection::establish(&db.url()).expect("connect");
    app.batch_execute(&format!(
        "BEGIN; SELECT id FROM refresh_tokens WHERE id = '{x}' FOR UPDATE; \
         SELECT session_id FROM login_sessions WHERE session_id = '{s}' FOR UPDATE"
    ))
    .expect("lock the rows");

    let r = run(db
        .authctl()
        .args(["-o", "json", "purge-expired", "--strategy", strategy]));
    assert_eq!(r.code, 0, "{l}: {r}");
    let report = r.json();
    assert_eq!(
        field(&report, TOKENS, "strategy"),
        strategy,
        "{l}: {report}"
    );
    let left = expired_ids(&db, TOKENS);
    let left_sessions = expired_ids(&db, SESSIONS);
    assert_eq!(
        deleted(&report, TOKENS),
        300 - left.len() as u64,
        "{l}: {report}"
    );
    assert_eq!(live(&db, TOKENS), 100, "{l}");
    if strategy == "sweep" {
        let noted = field(&report, TOKENS, "skipped_blocks").as_u64().unwrap()
            + field(&report, TOKENS, "retries").as_u64().unwrap();
        assert!(noted > 0, "{l}: the locked row is reported\n{report}");
    }
    // One locked row must not keep its neighbours: only it is left for the next run.
    assert_eq!(
        (left.clone(), left_sessions.clone()),
        (vec![x.clone()], vec![s.clone()]),
        "{l}: every expired row except the locked ones is deleted\n{report}"
    );

    // Released: the next run deletes what was left.
    app.batch_execute("COMMIT").expect("release the rows");
    let again = purge_json(&db, &["--strategy", strategy]);
    assert_eq!(
        (deleted(&again, TOKENS), deleted(&again, SESSIONS)),
        (1, 1),
        "{l}: {again}"
    );
    assert_eq!((expired(&db, TOKENS), live(&db, TOKENS)), (0, 100), "{l}");
    assert_eq!(rows(&db, SESSIONS), 0, "{l}");
}

#[test]
fn locked_row_is_left_and_does_not_stall_keyset() {
    locked_row("keyset");
}

#[test]
fn locked_row_is_left_and_does_not_stall_sweep() {
    locked_row("sweep");
}

/// Under a non-English `lc_messages` the server words its lock timeout in German,
/// and diesel does not expose the SQLSTATE: the sweep's timed-out range must still
/// be recognised as a timeout (by how long it ran) and redone skipping the locked
/// row. Before the fix the German message made it an internal error (exit 70) and
/// the purge stopped at the first locked row.
#[test]
fn a_german_server_still_times_out_politely() {
    let Some(db) = TestDb::postgres() else { return };
    let user = setup(&db);
    db.exec(&format!(
        "ALTER DATABASE \"{}\" SET lc_messages = 'de_DE.UTF-8'",
        common::query_strings(&db, "SELECT current_database() AS v").remove(0)
    ));
    let mut app = diesel::PgConnection::establish(&db.url()).expect("connect");
    let german = app
        .batch_execute("SELECT 1/0")
        .expect_err("division by zero")
        .to_string();
    assert!(german.contains("Division durch"), "not German: {german}");
    insert_series(&db, TOKENS, &user, 1, 400, &ago(&db, "1 hour"));
    let x = expired_ids(&db, TOKENS)[150].clone();
    app.batch_execute(&format!(
        "BEGIN; SELECT id FROM refresh_tokens WHERE id = '{x}' FOR UPDATE"
    ))
    .expect("lock the row");
    let r = run(db.authctl().env("AUTHCTL_LOCK_TIMEOUT", "1s").args([
        "-o",
        "json",
        "purge-expired",
        "--only",
        "tokens",
        "--strategy",
        "sweep",
    ]));
    assert_eq!(r.code, 0, "{r}");
    let report = r.json();
    assert!(
        field(&report, TOKENS, "retries").as_u64().unwrap() > 0,
        "the lock timeout was hit and retried: {report}"
    );
    assert_eq!(expired_ids(&db, TOKENS), vec![x], "{report}");
    app.batch_execute("COMMIT").expect("release the row");
}

/// Five rows locked in different parts of a 5,000-row table, and one long-revoked
/// (live) token: the purge finishes while they are all still locked and deletes
/// everything else.
fn several_locked_rows(strategy: &str) {
    let Some(db) = TestDb::postgres() else { return };
    let l = format!("postgres {strategy}");
    let user = setup(&db);
    let expires = format!(
        "CASE WHEN i % 3 = 0 THEN {} ELSE {} END",
        from_now(&db, "1 hour"),
        ago(&db, "1 hour")
    );
    insert_series(&db, TOKENS, &user, 1, 5_000, &expires);
    let revoked = cred(
        &db,
        TOKENS,
        &user,
        "revoked_locked",
        &from_now(&db, "1 hour"),
        Some(true),
        Some(&ago(&db, "20 days")),
    );
    let expired_before = expired(&db, TOKENS);
    let all = expired_ids(&db, TOKENS);
    let mut locked: Vec<String> = [500, 1_300, 2_000, 2_700, 3_300]
        .iter()
        .map(|i| all[*i].clone())
        .collect();
    let list = locked
        .iter()
        .chain([&revoked])
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(",");
    let mut app = diesel::PgConnection::establish(&db.url()).expect("connect");
    app.batch_execute(&format!(
        "BEGIN; SELECT id FROM refresh_tokens WHERE id IN ({list}) FOR UPDATE"
    ))
    .expect("lock the rows");

    let report = purge_json(&db, &["--strategy", strategy]);
    let left = expired_ids(&db, TOKENS);
    let revoked_left = ids(&db, TOKENS).contains(&revoked);
    app.batch_execute("COMMIT").expect("release the rows");
    locked.sort();
    assert_eq!(
        deleted(&report, TOKENS),
        (expired_before as usize - left.len()) as u64,
        "{l}: {report}"
    );
    assert!(revoked_left, "{l}: the locked revoked token stays");
    assert_eq!(
        left,
        locked,
        "{l}: five locked rows: {} expired rows left besides them\n{report}",
        left.len().saturating_sub(locked.len())
    );
    let again = purge_json(&db, &["--strategy", strategy]);
    assert_eq!(deleted(&again, TOKENS), 6, "{l}: {again}");
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

per_backend! {
    fn concurrent_purges_with_live_inserts(db) {
        let l = db.label();
        let user = setup(&db);
        let user_id: UserId = user.parse().expect("uuid");
        insert_series(&db, TOKENS, &user, 1, 3_000, &ago(&db, "1 hour"));
        insert_series(&db, SESSIONS, &user, 1, 3_000, &ago(&db, "1 hour"));
        insert_series(&db, TOKENS, &user, 10_001, 10_100, &from_now(&db, "1 hour"));

        let stop = AtomicBool::new(false);
        let (inserted, runs) = std::thread::scope(|s| {
            let inserter = s.spawn(|| {
                let mut conn = db.connect();
                let start = Instant::now();
                let mut n = 0i64;
                // At least 1 s, and until both purges are done.
                while !stop.load(Ordering::Relaxed) || start.elapsed() < Duration::from_secs(1) {
                    let raw = format!("live-insert-{}", uuid::Uuid::new_v4().simple());
                    let mut new = NewRefreshToken::new(
                        user_id,
                        &raw,
                        UtcDateTime::now() + chrono::Duration::hours(1),
                    );
                    new.user_agent = Some("live-insert");
                    refresh_tokens::create(&mut conn, &new)
                        .expect("store a live token during the purge");
                    n += 1;
                }
                n
            });
            let stop_guard = SetOnDrop(&stop);
            let args = ["--batch-size", "100"];
            let a = spawn_purge(&db, &["-o", "json"], &args);
            let b = spawn_purge(&db, &["-o", "json"], &args);
            let runs = [a.finish(), b.finish()];
            drop(stop_guard);
            (inserter.join().unwrap(), runs)
        });
        assert!(inserted > 0, "{l}");
        let mut total = 0;
        for r in &runs {
            match r.code {
                0 => total += total_deleted(&r.json()),
                75 => assert!(
                    r.stderr
                        .contains("another purge-expired is running on this database; the purge lock is held by"),
                    "{l}: exit 75 must name the other purge\n{r}"
                ),
                _ => panic!("{l}: purge exit 0 or 75 expected\n{r}"),
            }
        }
        assert!(
            runs.iter().any(|r| r.code == 0),
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
        if runs.iter().any(|r| r.code == 75) {
            let r = purge(&db, &[]);
            assert_eq!(r.code, 0, "{l}: the lock is free again\n{r}");
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

/// Whether the background purge is inside its lock acquisition: on PostgreSQL its
/// session has asked for the advisory lock; on SQLite it holds the lock file open.
fn asking_for_the_lock(db: &TestDb, bg: &Background) -> bool {
    match db {
        TestDb::Postgres(_) => {
            common::count(
                db,
                "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() \
                 AND application_name LIKE 'authctl@%' AND query LIKE '%pg_try_advisory_xact_lock%' \
                 AND pid <> pg_backend_pid()",
            ) == 1
        }
        TestDb::Sqlite(_) => std::fs::read_dir(format!("/proc/{}/fd", bg.pid()))
            .map(|fds| {
                fds.filter_map(Result::ok).any(|fd| {
                    std::fs::read_link(fd.path())
                        .is_ok_and(|p| p.to_string_lossy().ends_with("auth.db.purge.lock"))
                })
            })
            .unwrap_or(false),
    }
}

per_backend! {
    fn held_lock_is_busy_without_wait_and_waited_for_with_wait(db) {
        let l = db.label();
        let user = setup(&db);
        insert_series(&db, TOKENS, &user, 1, 20, &ago(&db, "1 hour"));

        let held = hold_purge_lock(&db);
        let r = purge(&db, &[]);
        assert_eq!(r.code, 75, "{l}: lock held elsewhere\n{r}");
        assert!(
            r.stderr.contains(
                "another purge-expired is running on this database; the purge lock is held by"
            ),
            "{l}: {r}"
        );
        assert_eq!(expired(&db, TOKENS), 20, "{l}: nothing deleted");

        // --wait shorter than the holder: still busy, after having waited.
        let start = Instant::now();
        let r = purge(&db, &["--wait", "1s"]);
        assert_eq!(r.code, 75, "{l}: --wait 1s, lock held throughout\n{r}");
        assert!(
            start.elapsed() >= Duration::from_secs(1),
            "{l}: gave up after {:?}, before --wait 1s",
            start.elapsed()
        );
        assert_eq!(expired(&db, TOKENS), 20, "{l}: nothing deleted");

        // --wait outlasting the holder: it waits (seen asking for the lock, still
        // running, nothing deleted), then runs once the lock is released.
        let mut bg = spawn_purge(&db, &["-o", "json"], &["--wait", "10m"]);
        wait_until(&format!("{l}: the purge asking for the lock"), || {
            asking_for_the_lock(&db, &bg)
        });
        std::thread::sleep(Duration::from_millis(300));
        assert!(bg.is_running(), "{l}: it waits while the lock is held");
        assert_eq!(
            expired(&db, TOKENS),
            20,
            "{l}: nothing deleted while waiting"
        );
        release(held);
        let r = bg.finish();
        assert_eq!(r.code, 0, "{l}: --wait outlasts the holder\n{r}");
        assert_eq!(deleted(&r.json(), TOKENS), 20, "{l}: {r}");
        assert_eq!(expired(&db, TOKENS), 0, "{l}");
    }
}

// ---------------------------------------------------------------------------------
// Signals

/// 300 expired and 50 live tokens; a purge deleting one row every 100 ms, seen
/// deleting (its signal handlers are installed before its first batch).
fn slow_purge(db: &TestDb, global: &[&str]) -> Background {
    let user = setup(db);
    insert_series(db, TOKENS, &user, 1, 300, &ago(db, "1 hour"));
    insert_series(db, TOKENS, &user, 1_001, 1_050, &from_now(db, "1 hour"));
    let child = spawn_purge(db, global, &["--batch-size", "1", "--sleep", "100ms"]);
    wait_until("the purge deleting", || expired(db, TOKENS) < 300);
    child
}

/// SIGTERM or SIGINT (`sig`): the current batch finishes, the report says what was
/// deleted (and `interrupted` in JSON), exit 75; a rerun deletes the rest.
fn a_signal_finishes_the_batch_and_exits_75(db: TestDb, sig: &str) {
    let l = format!("{} {sig}", db.label());
    let json = sig == "-INT";
    let global: &[&str] = if json { &["-o", "json"] } else { &[] };
    let child = slow_purge(&db, global);
    child.signal(sig);
    let r = child.finish();
    assert_eq!(r.code, 75, "{l}: → 75\n{r}");
    assert!(r.stderr.contains("interrupted"), "{l}: {r}");
    let left = expired(&db, TOKENS);
    assert!(
        left > 0 && left < 300,
        "{l}: the signal landed mid-purge: deleted some, not all ({left} left)"
    );
    let said = format!("interrupted after deleting {} rows", 300 - left);
    assert!(r.stderr.contains(&said), "{l}: expected {said:?}\n{r}");
    if json {
        let report = r.json();
        assert_eq!(report["interrupted"], true, "{l}: {report}");
        assert_eq!(deleted(&report, TOKENS), 300 - left as u64, "{l}: {report}");
    }
    assert_eq!(live(&db, TOKENS), 50, "{l}");

    let report = purge_json(&db, &[]);
    assert_eq!(deleted(&report, TOKENS), left as u64, "{l}: {report}");
    assert_eq!((expired(&db, TOKENS), live(&db, TOKENS)), (0, 50), "{l}");
}

per_backend! {
    fn sigterm_finishes_the_batch_and_exits_75(db) {
        a_signal_finishes_the_batch_and_exits_75(db, "-TERM");
    }
}

per_backend! {
    fn sigint_finishes_the_batch_and_exits_75(db) {
        a_signal_finishes_the_batch_and_exits_75(db, "-INT");
    }
}

/// A purge waiting for another purge's lock (`--wait 10m`, as cron might run it)
/// is stopped with `sig` (SIGTERM or SIGINT): it stops waiting — exit 75,
/// "interrupted", nothing deleted — while the other purge still holds the lock,
/// instead of waiting out the full `--wait` (and being SIGKILLed by a service manager).
fn a_signal_stops_the_wait_for_the_purge_lock(db: TestDb, sig: &str) {
    let l = format!("{} {sig}", db.label());
    let user = setup(&db);
    insert_series(&db, TOKENS, &user, 1, 20, &ago(&db, "1 hour"));
    let held = hold_purge_lock(&db);
    let bg = spawn_purge(&db, &[], &["--wait", "10m"]);
    wait_until(&format!("{l}: the purge asking for the lock"), || {
        asking_for_the_lock(&db, &bg)
    });
    bg.signal(sig);
    // Bounded far below the 10 minutes it would otherwise wait.
    let mut child = bg;
    let start = Instant::now();
    while child.is_running() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{l}: still waiting for the lock a minute after the signal (--wait 10m)"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let r = child.finish();
    release(held);
    assert_eq!(r.code, 75, "{l}: {r}");
    assert!(r.stderr.contains("interrupted"), "{l}: {r}");
    assert_eq!(expired(&db, TOKENS), 20, "{l}: nothing deleted");
}

per_backend! {
    fn sigterm_stops_the_wait_for_the_purge_lock(db) {
        a_signal_stops_the_wait_for_the_purge_lock(db, "-TERM");
    }
}

per_backend! {
    fn sigint_stops_the_wait_for_the_purge_lock(db) {
        a_signal_stops_the_wait_for_the_purge_lock(db, "-INT");
    }
}

per_backend! {
    fn kill_9_mid_purge_loses_nothing_and_a_rerun_completes(db) {
        let l = db.label();
        let child = slow_purge(&db, &[]);
        child.signal("-KILL");
        let r = child.finish();
        assert!(r.signal.is_some(), "{l}: killed by the signal\n{r}");
        let left = expired(&db, TOKENS);
        assert!(
            left > 0 && left < 300,
            "{l}: the kill landed mid-purge ({left} left)"
        );
        assert_eq!(live(&db, TOKENS), 50, "{l}");

        // PostgreSQL may take a moment to notice the dead session holding the lock.
        let report = purge_json(&db, &["--wait", "2m"]);
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
    assert_eq!(r.code, 78, "{r}");
    assert!(
        r.stderr.contains("NODE_ENV") && r.stderr.contains("SQLite"),
        "{r}"
    );
    assert!(!s.path.exists(), "nothing created in production mode");

    for args in [&["users", "list"][..], &["migrate", "status"][..]] {
        let r = run(db.authctl().env("AUTHCTL_ENV", "production").args(args));
        assert_eq!(r.code, 78, "{args:?}: {r}");
        assert!(r.stderr.contains("AUTHCTL_ENV"), "{args:?}: {r}");
        assert!(!s.path.exists(), "{args:?}: nothing created");
    }

    // Control: any other value is not production (on an existing file: only
    // `migrate` creates a missing one).
    s.create_empty();
    let r = run(db
        .authctl()
        .env("NODE_ENV", "development")
        .arg("purge-expired"));
    assert_eq!(r.code, 0, "{r}");
}

per_backend! {
    /// Purging audit history leaves a trace: one `audit.purge` event with the exact
    /// count and the cutoff, by the purge's actor; a dry run, or a run that deleted no
    /// audit event, writes none.
    fn purging_audit_events_records_an_audit_purge_event(db) {
        let l = db.label();
        setup(&db);
        for i in 0..3 {
            insert_audit(&db, &format!("old{i}"), &ago(&db, "100 days"));
        }
        insert_audit(&db, "recent", &ago(&db, "1 day"));
        let purge_events = |db: &TestDb| {
            common::query_strings(
                db,
                "SELECT actor || ' ' || COALESCE(detail, '') AS v FROM authctl_audit_events \
                 WHERE action = 'audit.purge'",
            )
        };

        purge_json(&db, &["--audit-retention", "30d", "--dry-run"]);
        assert!(
            purge_events(&db).is_empty(),
            "{l}: a dry run records nothing"
        );

        let r = run(db.authctl().args([
            "--actor",
            "cron@ops",
            "-o",
            "json",
            "purge-expired",
            "--audit-retention",
            "30d",
        ]));
        assert_eq!(r.code, 0, "{l}: {r}");
        let events = purge_events(&db);
        assert_eq!(events.len(), 1, "{l}: {events:?}");
        assert!(events[0].starts_with("cron@ops "), "{l}: {events:?}");
        let detail: Value = serde_json::from_str(&events[0]["cron@ops ".len()..]).unwrap();
        assert_eq!(detail["deleted"], 3, "{l}: {detail}");
        assert!(detail["before"].is_string(), "{l}: {detail}");
        // The recent event and the new trace are kept.
        assert_eq!(rows(&db, "authctl_audit_events"), 2, "{l}");

        // Nothing old left: no second trace.
        let r = purge(&db, &["--audit-retention", "30d"]);
        assert_eq!(r.code, 0, "{l}: {r}");
        assert_eq!(purge_events(&db).len(), 1, "{l}");
    }
}

/// A never-analysed table (`reltuples = -1`, e.g. right after `pg_restore`): the
/// sweep still sizes its block ranges to the batch size (it measures the row
/// density instead of assuming one row per block), so transactions stay short.
/// Before the fix, `--batch-size 1000` deleted ~60,000 rows per batch here.
#[test]
fn sweep_sizes_batches_without_statistics() {
    let Some(db) = TestDb::postgres() else { return };
    let user = setup(&db);
    db.exec("ALTER TABLE refresh_tokens SET (autovacuum_enabled = false)");
    insert_series(&db, TOKENS, &user, 1, 60_000, &ago(&db, "1 hour"));
    let reltuples = common::query_strings(
        &db,
        "SELECT reltuples::text AS v FROM pg_class WHERE relname = 'refresh_tokens'",
    );
    assert_eq!(reltuples, ["-1"], "the table must never have been analysed");
    let report = purge_json(
        &db,
        &[
            "--only",
            "tokens",
            "--strategy",
            "sweep",
            "--batch-size",
            "1000",
        ],
    );
    assert_eq!(deleted(&report, TOKENS), 60_000, "{report}");
    let batches = field(&report, TOKENS, "batches").as_u64().unwrap();
    // ~1,000 rows per range: about 60 batches; far from the 1–2 of a range sized
    // as if each block held one row.
    assert!(
        (30..=240).contains(&batches),
        "{batches} batches for 60,000 rows at --batch-size 1000: {report}"
    );
}

/// Batch sizing holds where the first blocks say nothing about the rest: a
/// never-analysed table whose leading blocks are empty (a purge interrupted after
/// `pg_restore`), and statistics taken when the table was small (autovacuum has not
/// caught up). Before the fix both deleted tens of thousands of rows per batch at
/// `--batch-size 1000`: the first sampled only the empty leading blocks and assumed
/// one row per block; the second divided the stale row count by the current size.
#[test]
fn sweep_sizes_batches_past_empty_blocks_and_stale_statistics() {
    for case in ["empty leading blocks", "stale statistics"] {
        let Some(db) = TestDb::postgres() else { return };
        let user = setup(&db);
        db.exec("ALTER TABLE refresh_tokens SET (autovacuum_enabled = false)");
        let expired = ago(&db, "1 hour");
        if case == "stale statistics" {
            insert_series(&db, TOKENS, &user, 1, 100, &expired);
            db.exec("ANALYZE refresh_tokens");
            insert_series(&db, TOKENS, &user, 101, 60_000, &expired);
        } else {
            insert_series(&db, TOKENS, &user, 1, 60_000, &expired);
            db.exec("DELETE FROM refresh_tokens WHERE ctid < '(100,0)'::tid");
        }
        let left = rows(&db, TOKENS) as u64;
        assert!(left > 40_000, "{case}: {left} rows");
        let report = purge_json(
            &db,
            &[
                "--only",
                "tokens",
                "--strategy",
                "sweep",
                "--batch-size",
                "1000",
            ],
        );
        assert_eq!(deleted(&report, TOKENS), left, "{case}: {report}");
        let batches = field(&report, TOKENS, "batches").as_u64().unwrap();
        // About 1,000 rows per range (at most twice that on average).
        assert!(
            batches >= left / 2_000,
            "{case}: {batches} batches for {left} rows at --batch-size 1000: {report}"
        );
    }
}

/// The application judges expiry by the server's clock (`expires_at >
/// CURRENT_TIMESTAMP`, its cleanup functions), so authctl must too: run from a
/// machine whose clock is an hour fast (libfaketime), a purge once deleted tokens
/// and sessions expiring in 30 minutes — rows the application still accepts — and
/// a revoke stamped `revoked_at` an hour into the future.
#[test]
fn purge_and_revoke_use_the_servers_clock() {
    let Some(db) = TestDb::postgres() else { return };
    if !common::has_faketime() {
        return;
    }
    let user = setup(&db);
    insert_series(&db, TOKENS, &user, 1, 2, &ago(&db, "1 hour"));
    insert_series(&db, TOKENS, &user, 3, 5, &from_now(&db, "30 minutes"));
    insert_series(&db, SESSIONS, &user, 1, 2, &ago(&db, "1 hour"));
    insert_series(&db, SESSIONS, &user, 3, 5, &from_now(&db, "30 minutes"));
    let fast = |cmd: &mut assert_cmd::Command| {
        common::shift_clock(cmd, "+1h");
    };
    // The fake clock reaches the binary (else this test proves nothing).
    let mut date = assert_cmd::Command::new("date");
    fast(&mut date);
    let faked: i64 = String::from_utf8(date.arg("+%s").output().unwrap().stdout)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let real = chrono::Utc::now().timestamp();
    assert!(faked - real > 3000, "libfaketime did not shift the clock");

    let mut cmd = db.authctl();
    fast(&mut cmd);
    let r = run(cmd.args(["-o", "json", "purge-expired"]));
    assert_eq!(r.code, 0, "{r}");
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(deleted(&report, TOKENS), 2, "{report}");
    assert_eq!(deleted(&report, SESSIONS), 2, "{report}");
    assert_eq!(rows(&db, TOKENS), 3);
    assert_eq!(rows(&db, SESSIONS), 3);

    let id = common::query_strings(
        &db,
        "SELECT CAST(id AS TEXT) AS v FROM refresh_tokens LIMIT 1",
    )
    .remove(0);
    let mut cmd = db.authctl();
    fast(&mut cmd);
    let r = run(cmd.args(["tokens", "revoke", &id]));
    assert_eq!(r.code, 0, "{r}");
    let ahead = common::count(
        &db,
        &format!(
            "SELECT count(*) AS n FROM refresh_tokens \
             WHERE id = '{id}' AND is_revoked AND revoked_at <= now()"
        ),
    );
    assert_eq!(
        ahead, 1,
        "revoked_at must be the server's time, not the client's"
    );
}

per_backend! {
    /// A purge killed while deleting audit history still leaves its trace: the
    /// `audit.purge` event is committed before the first audit batch (with the cutoff,
    /// `"finished": false`) and completed at the end. Before the fix it was written only
    /// after the last batch, so `kill -9` mid-way deleted history without a record.
    fn audit_purge_killed_mid_way_leaves_its_trace(db) {
        let l = db.label();
        setup(&db);
        for i in 0..200 {
            insert_audit(&db, &format!("old{i}"), &ago(&db, "60 days"));
        }
        let child = spawn_purge(
            &db,
            &[],
            &[
                "--only",
                "audit",
                "--audit-retention",
                "31d",
                "--batch-size",
                "1",
                "--sleep",
                "100ms",
            ],
        );
        let old = || {
            common::count(
                &db,
                "SELECT count(*) AS n FROM authctl_audit_events WHERE action LIKE 'test.%'",
            )
        };
        wait_until("the purge deleting audit events", || old() < 200);
        child.signal("-KILL");
        let r = child.finish();
        assert!(r.signal.is_some(), "{l}: killed by the signal\n{r}");
        let left = old();
        assert!(
            left > 0 && left < 200,
            "{l}: the kill landed mid-purge ({left} left)"
        );
        let traces = common::query_strings(
            &db,
            "SELECT COALESCE(detail, '') AS v FROM authctl_audit_events WHERE action = 'audit.purge'",
        );
        assert_eq!(traces.len(), 1, "{l}: {traces:?}");
        let detail: Value = serde_json::from_str(&traces[0]).unwrap();
        assert_eq!(detail["finished"], false, "{l}: {detail}");
        assert!(detail["before"].is_string(), "{l}: {detail}");

        // The rerun finishes the job and leaves its own, completed trace.
        let report = purge_json(
            &db,
            &[
                "--only",
                "audit",
                "--audit-retention",
                "31d",
                "--wait",
                "2m",
            ],
        );
        assert_eq!(deleted(&report, AUDIT), left as u64, "{l}: {report}");
        let finished = common::count(
            &db,
            "SELECT count(*) AS n FROM authctl_audit_events WHERE action = 'audit.purge' \
             AND detail LIKE '%\"finished\":true%'",
        );
        assert_eq!(finished, 1, "{l}");
    }
}

per_backend! {
    /// `--max-rows` used up before the audit table: no audit batch runs, so no
    /// `audit.purge` trace claims one (it once recorded `deleted: 0`).
    fn no_audit_trace_when_max_rows_is_used_up_before_the_audit_table(db) {
        let l = db.label();
        let user = setup(&db);
        insert_series(&db, TOKENS, &user, 1, 5, &ago(&db, "1 hour"));
        insert_audit(&db, "old", &ago(&db, "60 days"));
        let report = purge_json(&db, &["--audit-retention", "31d", "--max-rows", "5"]);
        assert_eq!(deleted(&report, TOKENS), 5, "{l}: {report}");
        assert_eq!(
            common::count(
                &db,
                "SELECT count(*) AS n FROM authctl_audit_events WHERE action = 'audit.purge'"
            ),
            0,
            "{l}: {report}"
        );
        assert_eq!(
            rows(&db, AUDIT),
            1,
            "{l}: the old event waits for the next run"
        );
    }
}

per_backend! {
    /// `--audit-retention 90` once meant 90 seconds and deleted most of an audit
    /// trail. A bare number is now refused everywhere a duration is read, and an audit
    /// retention under 30 days needs `--allow-short-audit-retention`; both refusals
    /// delete nothing.
    fn audit_retention_needs_a_unit_and_a_sane_minimum(db) {
        let l = db.label();
        setup(&db);
        insert_audit(&db, "hour-old", &ago(&db, "1 hour"));
        insert_audit(&db, "week-old", &ago(&db, "7 days"));
        for (args, says) in [
            (&["--audit-retention", "90"][..], "has no unit"),
            (&["--grace", "3600"][..], "has no unit"),
            (
                &["--audit-retention", "1d"][..],
                "--allow-short-audit-retention",
            ),
            (
                &["--audit-retention", "0s"][..],
                "--allow-short-audit-retention",
            ),
        ] {
            let r = purge(&db, args);
            assert_eq!(r.code, 64, "{l} {args:?}: {r}");
            assert!(r.stderr.contains(says), "{l} {args:?}: {r}");
            assert_eq!(rows(&db, AUDIT), 2, "{l} {args:?}: nothing deleted");
        }
        // Said explicitly, it is done (and leaves its trace).
        let report = purge_json(
            &db,
            &["--audit-retention", "1d", "--allow-short-audit-retention"],
        );
        assert_eq!(deleted(&report, AUDIT), 1, "{l}: {report}");
        assert_eq!(
            ids_where(&db, AUDIT, "action <> 'audit.purge'").len(),
            1,
            "{l}: the hour-old event stays"
        );
    }
}

/// `--sleep` pauses after a batch that deleted rows, never after a sweep range
/// that found nothing to delete: a table of 3,000 live tokens and 20 expired ones
/// at its end sweeps through dozens of empty ranges without sleeping in them.
/// Before the fix every range slept (here ≥ 15 × 200 ms).
#[test]
fn sleep_follows_only_batches_that_deleted_rows() {
    let Some(db) = TestDb::postgres() else { return };
    let user = setup(&db);
    insert_series(&db, TOKENS, &user, 1, 3_000, &from_now(&db, "1 hour"));
    insert_series(&db, TOKENS, &user, 10_001, 10_020, &ago(&db, "1 hour"));
    db.exec("ANALYZE refresh_tokens");
    let report = purge_json(
        &db,
        &[
            "--only",
            "tokens",
            "--strategy",
            "sweep",
            "--batch-size",
            "100",
            "--sleep",
            "200ms",
        ],
    );
    assert_eq!(deleted(&report, TOKENS), 20, "{report}");
    assert_eq!(live(&db, TOKENS), 3_000);
    let batches = field(&report, TOKENS, "batches").as_u64().unwrap();
    let elapsed = field(&report, TOKENS, "elapsed_ms").as_u64().unwrap();
    assert!(
        batches >= 15,
        "{batches} ranges: the test needs many empty ones: {report}"
    );
    // At most the two ranges holding the expired rows sleep, plus slack for a
    // loaded machine; sleeping in every range would take batches × 200 ms.
    assert!(
        elapsed < 2 * 200 + 1_500,
        "{elapsed} ms for {batches} ranges, {} of them with rows to delete: {report}",
        "≤ 2"
    );

    // Nor after the batch that ends a table: nothing follows it.
    insert_series(&db, TOKENS, &user, 20_001, 20_003, &ago(&db, "1 hour"));
    let r = run(db.authctl().args([
        "purge-expired",
        "--only",
        "tokens",
        "--strategy",
        "keyset",
        "--sleep",
        "3s",
    ]));
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.elapsed < std::time::Duration::from_secs(3),
        "slept after the last batch: {r}"
    );
}

/// A batch cancelled by the purge's own `--statement-timeout` says it was that
/// limit (each batch sets it for its transaction, over any role or database
/// setting): here every batch waits for a table lock the application holds.
#[test]
fn a_purge_batch_timeout_names_the_purges_own_statement_timeout() {
    let Some(db) = TestDb::postgres() else { return };
    let user = setup(&db);
    insert_series(&db, TOKENS, &user, 1, 5, &ago(&db, "1 hour"));
    let mut app = db.connect();
    app.batch_execute("BEGIN; LOCK TABLE refresh_tokens IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let r = purge(
        &db,
        &[
            "--only",
            "tokens",
            "--strategy",
            "keyset",
            "--statement-timeout",
            "20ms",
        ],
    );
    app.batch_execute("ROLLBACK").unwrap();
    assert_eq!(r.code, 75, "{r}");
    assert!(
        r.stderr.contains(
            "a purge batch ran past authctl's own --statement-timeout of 20ms even when retried smaller"
        ) && r.stderr.contains("canceling statement due to statement timeout"),
        "{r}"
    );
    assert_eq!(expired(&db, TOKENS), 5);
}
