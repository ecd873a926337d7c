//! `authctl stats`: every figure against rows seeded in SQL, the Prometheus text parsed by
//! the `prometheus-parse` crate and Python's `prometheus_client`, `--textfile` written atomically, the last successful purge,
//! `authctl_up 0` on failure, and on PostgreSQL index scans, never a sequential scan.

use crate::common;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use authctl::db::{Backend, Dialect, UserId};
use diesel::prelude::*;
use serde_json::Value;

use crate::common::{HANG_GUARD, Run, TestDb};

fn ok(db: &TestDb, args: &[&str]) -> Run {
    let r = db.run(args);
    assert_eq!(r.code, 0, "{} {args:?}: {r}", db.label());
    r
}

fn json(db: &TestDb, args: &[&str]) -> Value {
    let r = ok(db, args);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{r}"))
}

// ---------------------------------------------------------------------------------
// The real Prometheus parser

const PARSER: &str = r#"
import json, sys
try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError as e:
    print("prometheus_client is not installed (pip install prometheus_client): %s" % e, file=sys.stderr)
    sys.exit(3)
out = []
for fam in text_string_to_metric_families(sys.stdin.read()):
    for s in fam.samples:
        v = s.value
        out.append({"family": fam.name, "type": fam.type, "help": fam.documentation,
                    "name": s.name, "labels": s.labels,
                    "value": None if v != v else v})
print(json.dumps(out))
"#;

/// One parsed sample.
#[derive(Debug, Clone)]
struct Sample {
    family: String,
    kind: String,
    help: String,
    value: Option<f64>,
}

/// Parse `text` with the Rust `prometheus-parse` crate (always) and cross-check it
/// with Python's strict `prometheus_client` where that is installed (`.ci/run`
/// installs it; elsewhere a skip notice, and a failure in CI); key =
/// `name{k="v",…}` (labels sorted).
fn parse_prometheus(text: &str) -> BTreeMap<String, Sample> {
    let rust = parse_with_rust(text);
    match parse_with_python(text) {
        Some(python) => {
            let values = |m: &BTreeMap<String, Sample>| -> Vec<(String, Option<u64>)> {
                m.iter()
                    .map(|(k, s)| (k.clone(), s.value.map(f64::to_bits)))
                    .collect()
            };
            assert_eq!(
                values(&rust),
                values(&python),
                "the two parsers read the text alike\n--- text\n{text}"
            );
            python
        }
        None => {
            common::skip(
                "python3 with prometheus_client is not installed (pip install prometheus_client): \
                 the Prometheus text is checked by the Rust parser alone",
            );
            rust
        }
    }
}

fn parse_with_rust(text: &str) -> BTreeMap<String, Sample> {
    use prometheus_parse::{Scrape, Value as V};
    let scrape = Scrape::parse(text.lines().map(|l| Ok(l.to_owned())))
        .unwrap_or_else(|e| panic!("prometheus-parse refused the text: {e}\n--- text\n{text}"));
    let mut map = BTreeMap::new();
    for s in scrape.samples {
        let (kind, value) = match s.value {
            V::Gauge(v) => ("gauge", v),
            V::Counter(v) => ("counter", v),
            V::Untyped(v) => ("unknown", v),
            other => panic!("{}: an unexpected sample type {other:?}", s.metric),
        };
        let labels: BTreeMap<String, String> = s
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let key = key(&s.metric, &labels);
        let sample = Sample {
            family: s.metric.clone(),
            kind: kind.to_owned(),
            help: scrape.docs.get(&s.metric).cloned().unwrap_or_default(),
            value: (!value.is_nan()).then_some(value),
        };
        assert!(
            map.insert(key.clone(), sample).is_none(),
            "duplicate sample {key}"
        );
    }
    map
}

/// `None` when python3 or `prometheus_client` is missing.
fn parse_with_python(text: &str) -> Option<BTreeMap<String, Sample>> {
    let mut child = Command::new("python3")
        .args(["-c", PARSER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.code() == Some(3) {
        return None;
    }
    assert!(
        out.status.success(),
        "prometheus_client refused the text (exit {:?}): {}\n--- text\n{text}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    let mut map = BTreeMap::new();
    for s in parsed {
        let labels: BTreeMap<String, String> = s["labels"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let key = key(s["name"].as_str().unwrap(), &labels);
        let sample = Sample {
            family: s["family"].as_str().unwrap().to_owned(),
            kind: s["type"].as_str().unwrap().to_owned(),
            help: s["help"].as_str().unwrap().to_owned(),
            value: s["value"].as_f64(),
        };
        assert!(
            map.insert(key.clone(), sample).is_none(),
            "duplicate sample {key}"
        );
    }
    Some(map)
}

fn key(name: &str, labels: &BTreeMap<String, String>) -> String {
    let inner: Vec<String> = labels.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
    format!("{name}{{{}}}", inner.join(","))
}

fn k(name: &str, labels: &[(&str, &str)]) -> String {
    key(
        name,
        &labels
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect(),
    )
}

fn value(m: &BTreeMap<String, Sample>, name: &str, labels: &[(&str, &str)]) -> f64 {
    let key = k(name, labels);
    m.get(&key)
        .unwrap_or_else(|| panic!("no sample {key} in {:?}", m.keys().collect::<Vec<_>>()))
        .value
        .unwrap_or_else(|| panic!("{key} is NaN"))
}

// ---------------------------------------------------------------------------------
// Seeding

fn shifted(db: &TestDb, sign: char, span: &str) -> String {
    if db.is_postgres() {
        format!("(now() {sign} interval '{span}')")
    } else {
        format!("strftime('%Y-%m-%d %H:%M:%f000', 'now', '{sign}{span}')")
    }
}

fn ago(db: &TestDb, span: &str) -> String {
    shifted(db, '-', span)
}

fn from_now(db: &TestDb, span: &str) -> String {
    shifted(db, '+', span)
}

fn sql_opt(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "true",
        Some(false) => "false",
        None => "NULL",
    }
}

/// Insert a user; returns its id.
fn user(
    db: &TestDb,
    email: &str,
    role: Option<&str>,
    verified: Option<bool>,
    disabled: bool,
) -> String {
    let id = UserId::new_v4().to_string();
    let role = role.map_or("NULL".to_owned(), |r| format!("'{r}'"));
    let hash = if disabled {
        "!$2b$12$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyzABCDE"
    } else {
        "$2b$12$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyzABCDE"
    };
    db.exec(&format!(
        "INSERT INTO users (id, email, password_hash, role, email_verified) \
         VALUES ('{id}', '{email}', '{hash}', {role}, {})",
        sql_opt(verified)
    ));
    id
}

fn token(
    db: &TestDb,
    user: &str,
    n: usize,
    expires: &str,
    revoked: Option<bool>,
    revoked_at: Option<&str>,
) {
    db.exec(&format!(
        "INSERT INTO refresh_tokens (user_id, token, expires_at, is_revoked, revoked_at) \
         VALUES ('{user}', 'tok-{n:0>40}', {expires}, {}, {})",
        sql_opt(revoked),
        revoked_at.unwrap_or("NULL")
    ));
}

fn session(
    db: &TestDb,
    user: &str,
    created: &str,
    expires: &str,
    active: Option<bool>,
    last_activity: &str,
) {
    db.exec(&format!(
        "INSERT INTO login_sessions (user_id, session_token, created_at, expires_at, is_active, last_activity_at) \
         VALUES ('{user}', '{}', {created}, {expires}, {}, {last_activity})",
        UserId::new_v4(),
        sql_opt(active)
    ));
}

fn attempt(db: &TestDb, ip: &str, success: bool, at: &str, times: usize) {
    for _ in 0..times {
        db.exec(&format!(
            "INSERT INTO auth_attempts (email, ip_address, success, \"timestamp\") \
             VALUES ('x@example.com', '{ip}', {success}, {at})"
        ));
    }
}

/// The expected figures of [`seed`].
struct Expected {
    users: Vec<(&'static str, bool, i64)>,
    total: i64,
    disabled: i64,
    tokens_active: i64,
    sessions_active: i64,
    /// (window, failed, succeeded)
    attempts: Vec<(&'static str, i64, i64)>,
    /// (table, rows, oldest purgeable for about this many seconds)
    pending: Vec<(&'static str, i64, f64)>,
}

const DAY: f64 = 86_400.0;

/// Seed application-shaped rows whose figures are known.
fn seed(db: &TestDb) -> Expected {
    drop(db.migrated());
    let admin = user(db, "admin@example.com", Some("admin"), Some(true), false);
    user(db, "admin2@example.com", Some("admin"), Some(false), false);
    // NULL role counts as user, NULL email_verified as not verified.
    user(db, "nullrole@example.com", None, None, false);
    user(db, "plain@example.com", Some("user"), Some(true), false);
    user(db, "off@example.com", Some("user"), Some(false), true);
    user(db, "prem@example.com", Some("premium"), None, true);
    user(db, "prem2@example.com", Some("premium"), Some(true), false);

    // Refresh tokens: 2 active; the rest not active (NULL is_revoked is not
    // "is_revoked = false": the application refuses it).
    let mut n = 0;
    let mut tok = |expires: String, revoked: Option<bool>, revoked_at: Option<String>| {
        n += 1;
        token(db, &admin, n, &expires, revoked, revoked_at.as_deref());
    };
    tok(from_now(db, "7 days"), Some(false), None);
    tok(from_now(db, "1 hour"), Some(false), None);
    tok(from_now(db, "7 days"), None, None);
    // Revoked 1 day ago: not active, not yet purgeable (7-day retention).
    tok(from_now(db, "6 days"), Some(true), Some(ago(db, "1 day")));
    // Revoked 8 days ago, not expired: purgeable since 1 day ago.
    tok(from_now(db, "6 days"), Some(true), Some(ago(db, "8 days")));
    // Expired 2 hours and 10 minutes ago: purgeable.
    tok(ago(db, "2 hours"), Some(false), None);
    tok(ago(db, "10 minutes"), None, None);

    // Sessions: 3 active; NULL is_active is not active.
    for _ in 0..3 {
        session(
            db,
            &admin,
            &ago(db, "1 hour"),
            &from_now(db, "1 day"),
            Some(true),
            "NULL",
        );
    }
    session(
        db,
        &admin,
        &ago(db, "1 hour"),
        &from_now(db, "1 day"),
        None,
        "NULL",
    );
    // Inactive, idle 31 days, not expired: purgeable since 1 day ago.
    session(
        db,
        &admin,
        &ago(db, "40 days"),
        &from_now(db, "1 day"),
        Some(false),
        &ago(db, "31 days"),
    );
    // Inactive, idle 2 days: kept.
    session(
        db,
        &admin,
        &ago(db, "3 days"),
        &from_now(db, "1 day"),
        Some(false),
        &ago(db, "2 days"),
    );
    // Active but expired 3 hours ago: purgeable.
    session(
        db,
        &admin,
        &ago(db, "1 day"),
        &ago(db, "3 hours"),
        Some(true),
        "NULL",
    );

    // Attempts. 192.0.2.1: 5 failed within 5 minutes (blocked by 5/15m);
    // 2001:db8::1 (IPv6): 4 failed (blocked only by --max 4).
    for m in 1..=5 {
        attempt(db, "192.0.2.1", false, &ago(db, &format!("{m} minutes")), 1);
    }
    for m in 2..=5 {
        attempt(
            db,
            "2001:db8::1",
            false,
            &ago(db, &format!("{m} minutes")),
            1,
        );
    }
    attempt(db, "198.51.100.7", true, &ago(db, "3 minutes"), 2);
    attempt(db, "198.51.100.7", false, &ago(db, "30 minutes"), 1);
    attempt(db, "198.51.100.7", true, &ago(db, "30 minutes"), 1);
    attempt(db, "2001:db8::2", false, &ago(db, "2 hours"), 2);
    attempt(db, "198.51.100.7", true, &ago(db, "23 hours"), 1);
    attempt(db, "198.51.100.7", false, &ago(db, "25 hours"), 1);
    // 31 days old: purgeable (30-day retention) since 1 day ago.
    attempt(db, "198.51.100.8", false, &ago(db, "31 days"), 1);
    // NULL timestamp: in no window, never purged by the time rule.
    attempt(db, "198.51.100.9", false, "NULL", 1);

    Expected {
        users: vec![
            ("admin", true, 1),
            ("admin", false, 1),
            ("user", false, 2),
            ("user", true, 1),
            ("premium", false, 1),
            ("premium", true, 1),
        ],
        total: 7,
        disabled: 2,
        tokens_active: 2,
        sessions_active: 3,
        attempts: vec![("15m", 9, 2), ("1h", 10, 3), ("24h", 12, 4)],
        pending: vec![
            ("refresh_tokens", 3, DAY),
            ("login_sessions", 2, DAY),
            ("auth_attempts", 1, DAY),
        ],
    }
}

/// `actual` is `expected` seconds, give or take a slow test machine.
fn about(actual: f64, expected: f64, what: &str) {
    assert!(
        actual >= expected - 5.0 && actual <= expected + 600.0,
        "{what}: {actual} s, expected about {expected} s"
    );
}

// ---------------------------------------------------------------------------------
// Tests

per_backend! {
    fn json_figures_match_the_seeded_rows(db) {
        let l = db.label();
        let e = seed(&db);
        let s = json(&db, &["stats", "-o", "json"]);
        assert_eq!(s["backend"], l);
        assert_eq!(s["users"]["total"], e.total, "{l}: {s:#}");
        assert_eq!(s["users"]["disabled"], e.disabled, "{l}");
        let by_role = s["users"]["by_role"].as_array().unwrap();
        assert_eq!(
            by_role.len(),
            6,
            "{l}: every role × verified, zeros included"
        );
        for (role, verified, n) in &e.users {
            let row = by_role
                .iter()
                .find(|r| r["role"] == *role && r["verified"] == *verified)
                .unwrap_or_else(|| panic!("{l}: no {role}/{verified}"));
            assert_eq!(row["count"], *n, "{l}: {role} verified={verified}");
        }
        assert_eq!(s["refresh_tokens_active"], e.tokens_active, "{l}");
        assert_eq!(s["sessions_active"], e.sessions_active, "{l}");
        let attempts = s["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 3);
        for ((window, failed, ok), a) in e.attempts.iter().zip(attempts) {
            assert_eq!(a["window"], *window, "{l}");
            assert_eq!(a["failed"], *failed, "{l}: failed in {window}");
            assert_eq!(a["succeeded"], *ok, "{l}: succeeded in {window}");
        }
        assert_eq!(s["rate_limit"]["blocked_ips"], 1, "{l}");
        assert_eq!(s["rate_limit"]["window_minutes"], 15, "{l}");
        assert_eq!(s["rate_limit"]["max_failed"], 5, "{l}");
        let pending = s["purge"]["pending"].as_array().unwrap();
        assert_eq!(pending.len(), 3, "{l}: {pending:?}");
        for ((table, rows, age), p) in e.pending.iter().zip(pending) {
            assert_eq!(p["table"], *table, "{l}");
            assert_eq!(p["rows"], *rows, "{l}: pending {table}");
            about(p["oldest_age_seconds"].as_f64().unwrap(), *age, table);
            assert!(p["oldest_due_at"].is_string(), "{l}");
        }
        assert!(
            s["purge"]["last_success"].is_null(),
            "{l}: no purge ran yet"
        );

        // The flags: a smaller limit blocks the IPv6 address too; a 1-minute window
        // holds no failure at all (the newest is 1 minute old).
        let s = json(&db, &["stats", "-o", "json", "--max", "4"]);
        assert_eq!(s["rate_limit"]["blocked_ips"], 2, "{l}");
        assert_eq!(s["rate_limit"]["max_failed"], 4, "{l}");
        let s = json(&db, &["stats", "-o", "json", "--window", "1m"]);
        assert_eq!(s["rate_limit"]["blocked_ips"], 0, "{l}");
        assert_eq!(s["rate_limit"]["window_minutes"], 1, "{l}");

        // The human table names the figures.
        let t = ok(&db, &["stats"]).stdout;
        for needle in [
            "active refresh tokens",
            "IPs blocked now",
            "never recorded",
            "auth_attempts",
        ] {
            assert!(t.contains(needle), "{l}: {needle}:\n{t}");
        }
        // CSV: one row per sample.
        let csv = ok(&db, &["stats", "-o", "csv"]).stdout;
        assert!(csv.starts_with("metric,labels,value\n"), "{l}: {csv}");
        assert!(csv.contains("authctl_sessions_active,,3\n"), "{l}: {csv}");
    }
}

/// `--output prometheus` is the same text as `--prometheus` for `stats`, and a usage
/// error anywhere else.
#[test]
fn output_prometheus_is_the_stats_exposition_and_refused_elsewhere() {
    let db = TestDb::sqlite();
    seed(&db);
    let by_output = ok(&db, &["-o", "prometheus", "stats"]);
    let by_flag = ok(&db, &["stats", "--prometheus"]);
    let families = |text: &str| -> Vec<String> {
        parse_prometheus(text)
            .values()
            .map(|s| s.family.clone())
            .collect()
    };
    assert!(!families(&by_output.stdout).is_empty(), "{by_output}");
    assert_eq!(families(&by_output.stdout), families(&by_flag.stdout));
    for args in [
        &["-o", "prometheus", "users", "list"][..],
        &["--output", "prometheus", "attempts", "top", "--by", "ip"],
    ] {
        let r = db.run(args);
        assert_eq!(r.code, 64, "{args:?}: {r}");
        assert!(
            r.stderr.contains("only for `authctl stats`"),
            "{args:?}: {r}"
        );
        assert!(r.stdout.is_empty(), "{args:?}: {r}");
    }
}

per_backend! {
    fn prometheus_text_parses_and_matches_the_rows(db) {
        let l = db.label();
        let e = seed(&db);
        let r = ok(&db, &["stats", "--prometheus"]);
        assert!(r.stderr.is_empty(), "{l}: {r}");
        let m = parse_prometheus(&r.stdout);
        // Every family has HELP and TYPE gauge, and an authctl_ name.
        for (key, s) in &m {
            assert!(key.starts_with("authctl_"), "{key}");
            assert_eq!(s.kind, "gauge", "{key}");
            assert!(!s.help.is_empty(), "{key}");
            assert!(r.stdout.contains(&format!("# HELP {} ", s.family)), "{key}");
            assert!(
                r.stdout.contains(&format!("# TYPE {} gauge\n", s.family)),
                "{key}"
            );
        }
        assert_eq!(value(&m, "authctl_up", &[]), 1.0, "{l}");
        for (role, verified, n) in &e.users {
            assert_eq!(
                value(
                    &m,
                    "authctl_users",
                    &[("role", role), ("verified", &verified.to_string())]
                ),
                *n as f64,
                "{l}: {role}/{verified}"
            );
        }
        let users: f64 = m
            .iter()
            .filter(|(_, s)| s.family == "authctl_users")
            .map(|(_, s)| s.value.unwrap())
            .sum();
        assert_eq!(users, e.total as f64, "{l}");
        assert_eq!(value(&m, "authctl_users_disabled", &[]), e.disabled as f64);
        assert_eq!(
            value(&m, "authctl_refresh_tokens_active", &[]),
            e.tokens_active as f64
        );
        assert_eq!(
            value(&m, "authctl_sessions_active", &[]),
            e.sessions_active as f64
        );
        for (window, failed, ok) in &e.attempts {
            assert_eq!(
                value(
                    &m,
                    "authctl_auth_attempts",
                    &[("result", "failed"), ("window", window)]
                ),
                *failed as f64,
                "{l}: {window}"
            );
            assert_eq!(
                value(
                    &m,
                    "authctl_auth_attempts",
                    &[("result", "success"), ("window", window)]
                ),
                *ok as f64,
                "{l}: {window}"
            );
        }
        assert_eq!(value(&m, "authctl_rate_limited_ips", &[]), 1.0);
        assert_eq!(value(&m, "authctl_rate_limit_window_seconds", &[]), 900.0);
        assert_eq!(value(&m, "authctl_rate_limit_max_failed", &[]), 5.0);
        for (table, rows, age) in &e.pending {
            assert_eq!(
                value(&m, "authctl_purge_pending_rows", &[("table", table)]),
                *rows as f64,
                "{l}: {table}"
            );
            about(
                value(
                    &m,
                    "authctl_purge_oldest_expired_age_seconds",
                    &[("table", table)],
                ),
                *age,
                table,
            );
        }
        // No purge recorded: the metric is absent (not 0, which would mean 1970).
        assert!(
            !r.stdout
                .contains("authctl_purge_last_success_timestamp_seconds"),
            "{l}: {}",
            r.stdout
        );
        let d = value(&m, "authctl_stats_scrape_duration_seconds", &[]);
        assert!(d > 0.0 && d < HANG_GUARD.as_secs_f64(), "{l}: {d}");

        // --prometheus replaces --output: both is a usage error.
        let r = db.run(&["stats", "--prometheus", "-o", "json"]);
        assert_eq!(r.code, 64, "{l}: {r}");
    }
}

fn now_unix() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

per_backend! {
    fn last_successful_purge_appears_after_a_purge_and_not_after_a_dry_run(db) {
        let l = db.label();
        let e = seed(&db);
        let r = ok(&db, &["purge-expired", "--dry-run", "-o", "json"]);
        assert!(r.stdout.contains("\"dry_run\": true"), "{l}: {r}");
        let s = json(&db, &["stats", "-o", "json"]);
        assert!(
            s["purge"]["last_success"].is_null(),
            "{l}: a dry run is no purge"
        );
        assert_eq!(
            s["purge"]["pending"][0]["rows"], 3,
            "{l}: the dry run deleted nothing"
        );
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM authctl_purge_runs"),
            0,
            "{l}"
        );

        let before = now_unix();
        ok(&db, &["purge-expired", "--quiet"]);
        let after = now_unix();
        let s = json(&db, &["stats", "-o", "json"]);
        let last = &s["purge"]["last_success"];
        let deleted: i64 = e.pending.iter().map(|p| p.1).sum();
        assert_eq!(last["deleted"], deleted, "{l}: {s:#}");
        assert_eq!(
            last["tables"],
            "refresh_tokens:complete,login_sessions:complete,auth_attempts:complete",
            "{l}"
        );
        for p in s["purge"]["pending"].as_array().unwrap() {
            assert_eq!(p["rows"], 0, "{l}: {p}");
            assert!(p["oldest_age_seconds"].is_null(), "{l}: {p}");
        }
        let m = parse_prometheus(&ok(&db, &["stats", "--prometheus"]).stdout);
        let ts = value(&m, "authctl_purge_last_success_timestamp_seconds", &[]);
        assert!(
            ts >= before - 1.0 && ts <= after + 1.0,
            "{l}: {ts} not within [{before}, {after}]"
        );
        for (table, _, _) in &e.pending {
            assert_eq!(
                value(&m, "authctl_purge_pending_rows", &[("table", table)]),
                0.0
            );
            assert_eq!(
                value(
                    &m,
                    "authctl_purge_oldest_expired_age_seconds",
                    &[("table", table)]
                ),
                0.0
            );
            assert_eq!(
                value(
                    &m,
                    "authctl_purge_table_last_success_timestamp_seconds",
                    &[("table", table)]
                ),
                ts,
                "{l}: {table}"
            );
        }
        // A later purge of one table (--only) is that table's last success, not
        // the run's: the others were not purged since.
        std::thread::sleep(std::time::Duration::from_millis(20));
        ok(&db, &["purge-expired", "--quiet", "--only", "tokens"]);
        let s = json(&db, &["stats", "-o", "json"]);
        assert_eq!(
            s["purge"]["last_success"]["tables"],
            "refresh_tokens:complete,login_sessions:complete,auth_attempts:complete",
            "{l}: {s:#}"
        );
        let by_table = |s: &Value, table: &str| {
            s["purge"]["last_success_by_table"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["table"] == table)
                .unwrap_or_else(|| panic!("{l}: no {table} in {s:#}"))["last_success"]
                .clone()
        };
        assert_eq!(by_table(&s, "refresh_tokens")["tables"], "refresh_tokens:complete", "{l}");
        assert_eq!(by_table(&s, "refresh_tokens")["deleted"], 0, "{l}");
        assert_eq!(
            by_table(&s, "login_sessions"),
            s["purge"]["last_success"],
            "{l}: sessions were last purged by the full run"
        );
        let m = parse_prometheus(&ok(&db, &["stats", "--prometheus"]).stdout);
        assert_eq!(value(&m, "authctl_purge_last_success_timestamp_seconds", &[]), ts, "{l}");
        assert!(
            value(&m, "authctl_purge_table_last_success_timestamp_seconds", &[("table", "refresh_tokens")]) > ts,
            "{l}"
        );
        // An interrupted run recorded in the table is not a success; neither is a
        // row of an older authctl that listed its tables without marks and was
        // interrupted.
        db.exec(&format!(
            "INSERT INTO authctl_purge_runs (started_at, finished_at, actor, tables, deleted, interrupted) \
             VALUES ({t}, {t}, 'test', 'auth_attempts', 5, true), \
                    ({t}, {t}, 'test', 'login_sessions:incomplete,auth_attempts:incomplete', 5, true)",
            t = from_now(&db, "1 minute")
        ));
        let s2 = json(&db, &["stats", "-o", "json"]);
        assert_eq!(s2["purge"]["last_success_by_table"], s["purge"]["last_success_by_table"], "{l}");
        assert_eq!(s2["purge"]["last_success"], s["purge"]["last_success"], "{l}");
        assert_eq!(
            common::count(&db, "SELECT count(*) AS n FROM authctl_purge_runs"),
            4,
            "{l}"
        );
        // An uninterrupted row of an older authctl (plain names) still counts.
        db.exec(&format!(
            "INSERT INTO authctl_purge_runs (started_at, finished_at, actor, tables, deleted, interrupted) \
             VALUES ({t}, {t}, 'test', 'refresh_tokens,login_sessions,auth_attempts', 5, false)",
            t = from_now(&db, "2 minutes")
        ));
        let s = json(&db, &["stats", "-o", "json"]);
        assert_eq!(
            s["purge"]["last_success"]["tables"], "refresh_tokens,login_sessions,auth_attempts",
            "{l}: {s:#}"
        );
    }
}

per_backend! {
    /// The README's alert (`time() - authctl_purge_last_success_timestamp_seconds >
    /// 2d`) must fire for a purge that never finishes a table: a run capped by
    /// `--max-rows` counts only for the tables it completed, and a table never
    /// completed keeps the overall metric absent (JSON `null`).
    fn a_capped_purge_is_no_success_for_the_tables_it_left(db) {
        let l = db.label();
        seed(&db);
        // 3 tokens are purgeable (seed): the cap runs out inside refresh_tokens.
        let r = ok(&db, &["purge-expired", "--quiet", "--max-rows", "1"]);
        assert_eq!(r.stdout, "", "{l}: cron stays silent: {r}");
        assert_eq!(r.stderr, "", "{l}: cron stays silent: {r}");
        let s = json(&db, &["stats", "-o", "json"]);
        assert!(s["purge"]["last_success"].is_null(), "{l}: {s:#}");
        for t in s["purge"]["last_success_by_table"].as_array().unwrap() {
            assert!(t["last_success"].is_null(), "{l}: {t}");
        }
        let text = ok(&db, &["stats", "--prometheus"]).stdout;
        assert!(
            !text.contains("authctl_purge_last_success_timestamp_seconds")
                && !text.contains("authctl_purge_table_last_success_timestamp_seconds{"),
            "{l}: {text}"
        );
        let table = ok(&db, &["stats"]).stdout;
        assert!(table.contains("never recorded"), "{l}: {table}");

        // Only tokens and sessions completed: tokens and sessions have a last
        // success, the overall one waits for auth_attempts.
        let pending = |s: &Value, table: &str| {
            s["purge"]["pending"].as_array().unwrap().iter().find(|p| p["table"] == table).unwrap()["rows"]
                .as_u64()
                .unwrap()
        };
        let first = |s: &Value| pending(s, "refresh_tokens") + pending(s, "login_sessions");
        let cap = first(&s).to_string();
        ok(&db, &["purge-expired", "--quiet", "--max-rows", &cap]);
        let s = json(&db, &["stats", "-o", "json"]);
        assert!(pending(&s, "auth_attempts") > 0, "{l}: {s:#}");
        assert!(s["purge"]["last_success"].is_null(), "{l}: {s:#}");
        let m = parse_prometheus(&ok(&db, &["stats", "--prometheus"]).stdout);
        for table in ["refresh_tokens", "login_sessions"] {
            assert!(
                value(&m, "authctl_purge_table_last_success_timestamp_seconds", &[("table", table)]) > 0.0,
                "{l}: {table}"
            );
        }
        assert!(
            !m.contains_key(&k("authctl_purge_table_last_success_timestamp_seconds", &[("table", "auth_attempts")]))
                && !m.contains_key(&k("authctl_purge_last_success_timestamp_seconds", &[])),
            "{l}: {m:?}"
        );
        let table = ok(&db, &["stats"]).stdout;
        assert!(table.contains("not every table purged completely yet"), "{l}: {table}");

        // An uncapped run completes everything: the overall metric appears.
        ok(&db, &["purge-expired", "--quiet"]);
        let m = parse_prometheus(&ok(&db, &["stats", "--prometheus"]).stdout);
        let ts = value(&m, "authctl_purge_last_success_timestamp_seconds", &[]);
        assert_eq!(
            value(&m, "authctl_purge_table_last_success_timestamp_seconds", &[("table", "auth_attempts")]),
            ts,
            "{l}: the oldest per-table time"
        );
        assert!(
            value(&m, "authctl_purge_table_last_success_timestamp_seconds", &[("table", "refresh_tokens")]) >= ts,
            "{l}"
        );
    }
}

fn dir_entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

per_backend! {
    fn textfile_is_written_atomically_and_quietly(db) {
        use std::os::unix::fs::PermissionsExt;
        let l = db.label();
        seed(&db);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("authctl.prom");
        std::fs::write(&path, "# old content\nold_metric 1\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let p = path.to_str().unwrap();

        let r = ok(&db, &["stats", "--textfile", p]);
        assert!(
            r.stdout.is_empty() && r.stderr.is_empty(),
            "{l}: cron wants silence: {r}"
        );
        assert_eq!(
            dir_entries(dir.path()),
            ["authctl.prom"],
            "{l}: no temp file left"
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("old_metric"), "{l}: old content replaced");
        assert!(text.ends_with('\n'), "{l}: complete file");
        let m = parse_prometheus(&text);
        assert_eq!(value(&m, "authctl_up", &[]), 1.0);
        assert_eq!(value(&m, "authctl_sessions_active", &[]), 3.0);
        assert_eq!(value(&m, "authctl_rate_limited_ips", &[]), 1.0);
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{l}: readable by node_exporter");
        // The same text as --prometheus (but the figures that move with the clock).
        let printed = ok(&db, &["stats", "--prometheus"]).stdout;
        let strip = |t: &str| {
            t.lines()
                .filter(|x| {
                    !x.starts_with("authctl_stats_scrape_duration_seconds ")
                        && !x.starts_with("authctl_purge_oldest_expired_age_seconds{")
                })
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&text), strip(&printed), "{l}");

        // A new run replaces the file whole: the new figure is there.
        db.exec("DELETE FROM login_sessions");
        ok(&db, &["stats", "--textfile", p]);
        let m = parse_prometheus(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(value(&m, "authctl_sessions_active", &[]), 0.0, "{l}");
        assert_eq!(dir_entries(dir.path()), ["authctl.prom"], "{l}");

        // A file name relative to the working directory works too.
        let r = db
            .authctl()
            .args(["stats", "--textfile", "rel.prom"])
            .current_dir(dir.path())
            .timeout(HANG_GUARD)
            .output()
            .unwrap();
        assert!(r.status.success(), "{l}: {r:?}");
        assert_eq!(dir_entries(dir.path()), ["authctl.prom", "rel.prom"], "{l}");

        // A missing directory is refused before anything is written.
        let r = db.run(&["stats", "--textfile", "/nonexistent-dir/x.prom"]);
        assert_eq!(r.code, 64, "{l}: {r}");
    }
}

#[test]
fn a_failed_snapshot_writes_authctl_up_0_and_exits_non_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("authctl.prom");
    std::fs::write(&path, "authctl_up 1\nauthctl_sessions_active 42\n").unwrap();
    // Nothing listens on port 1: the connection is refused at once.
    let r: Run = common::authctl()
        .args([
            "--database-url",
            "postgres://postgres@127.0.0.1:1/none",
            "stats",
            "--textfile",
            path.to_str().unwrap(),
        ])
        .timeout(HANG_GUARD)
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, 69, "unavailable: {r}");
    let text = std::fs::read_to_string(&path).unwrap();
    let m = parse_prometheus(&text);
    assert_eq!(value(&m, "authctl_up", &[]), 0.0, "{text}");
    assert!(
        !text.contains("authctl_sessions_active"),
        "stale figures gone: {text}"
    );
    assert_eq!(dir_entries(dir.path()), ["authctl.prom"]);
}

// ---------------------------------------------------------------------------------
// Plans (PostgreSQL)

#[derive(QueryableByName)]
struct PlanLine {
    #[diesel(sql_type = diesel::sql_types::Text)]
    #[diesel(column_name = "QUERY PLAN")]
    line: String,
}

/// The plan PostgreSQL picks for `sql` with its time parameters bound to now (a
/// prepared statement: exactly the query authctl sends).
fn plan(conn: &mut PgConnection, sql: &str, params: usize) -> String {
    use diesel::connection::SimpleConnection;
    let types = vec!["timestamptz"; params].join(", ");
    // One parameter: now; three: the window starts (15 min, 1 h, 24 h ago).
    let values = if params == 1 {
        "now()".to_owned()
    } else {
        ["15 minutes", "1 hour", "24 hours"][..params]
            .iter()
            .map(|w| format!("now() - interval '{w}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    conn.batch_execute(&format!("DEALLOCATE ALL; PREPARE q({types}) AS {sql}"))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let lines: Vec<PlanLine> = diesel::sql_query(format!("EXPLAIN EXECUTE q({values})"))
        .load(conn)
        .unwrap();
    lines
        .into_iter()
        .map(|l| l.line)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn postgres_counts_use_indexes_not_sequential_scans() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let TestDb::Postgres(pg) = &db else {
        unreachable!()
    };
    drop(db.migrated());
    let u = UserId::new_v4();
    // A realistic shape: 200k tokens and sessions of which most have expired or
    // been revoked (a purge runs daily, a token lives 7 days), 400k attempts over
    // 40 days.
    pg.psql(&format!(
        "INSERT INTO users (id, email, password_hash) VALUES ('{u}', 'big@example.com', 'x');
         INSERT INTO refresh_tokens (user_id, token, expires_at, is_revoked, revoked_at)
           SELECT '{u}', 'big-token-' || lpad(i::text, 32, '0'),
                  now() + (i % 10 - 8) * interval '1 day',
                  i % 3 = 0, CASE WHEN i % 3 = 0 THEN now() - interval '1 day' END
           FROM generate_series(1, 200000) i;
         INSERT INTO login_sessions (user_id, session_token, created_at, expires_at, is_active)
           SELECT '{u}', gen_random_uuid(), now() - interval '20 days',
                  now() + (i % 10 - 8) * interval '1 day', i % 3 <> 0
           FROM generate_series(1, 200000) i;
         INSERT INTO auth_attempts (email, ip_address, success, \"timestamp\")
           SELECT 'a' || (i % 1000) || '@example.com',
                  ('10.0.' || (i % 250) || '.' || (i % 200))::inet, i % 4 = 0,
                  now() - (i % 57600) * interval '1 minute'
           FROM generate_series(1, 400000) i;"
    ));
    pg.psql("VACUUM ANALYZE users, refresh_tokens, login_sessions, auth_attempts");
    let mut conn = PgConnection::establish(&pg.url).unwrap();
    let mut report = String::new();
    for (table, sql, params) in authctl::ops::stats::indexed_queries(Dialect::of(Backend::Postgres))
    {
        let p = plan(&mut conn, &sql, params);
        report.push_str(&format!("== {table}: {sql}\n{p}\n"));
        assert!(
            !p.contains(&format!("Seq Scan on {table}")),
            "{table}: a sequential scan:\n{p}"
        );
        assert!(
            p.contains("Index Only Scan")
                || p.contains("Index Scan")
                || p.contains("Bitmap Index Scan"),
            "{table}: no index scan:\n{p}"
        );
    }
    // The rate limit's queries (stats' count, `attempts blocked`'s list) read the
    // failures of the window through an index, and each blocked address's
    // max-th newest failure through idx_auth_attempts_rate_limit.
    use diesel::connection::SimpleConnection as _;
    for sql in [
        authctl::repo::auth_attempts::blocked_count_sql(Dialect::of(Backend::Postgres)),
        authctl::repo::auth_attempts::blocked_sql(Dialect::of(Backend::Postgres)),
    ] {
        conn.batch_execute(&format!(
            "DEALLOCATE ALL; PREPARE b(timestamptz, bigint) AS {sql}"
        ))
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let p = diesel::sql_query("EXPLAIN EXECUTE b(now() - interval '15 minutes', 5)")
            .load::<PlanLine>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|l| l.line)
            .collect::<Vec<_>>()
            .join("\n");
        report.push_str(&format!("== auth_attempts: {sql}\n{p}\n"));
        assert!(!p.contains("Seq Scan on auth_attempts"), "{sql}:\n{p}");
    }
    // For the report (cargo test -- --nocapture).
    println!("{report}");
    // The check can fail: without the indexes the same count is a sequential scan.
    let (_, tokens_sql, params) =
        authctl::ops::stats::indexed_queries(Dialect::of(Backend::Postgres))
            .into_iter()
            .next()
            .unwrap();
    pg.psql(
        "DROP INDEX idx_refresh_tokens_user_active, idx_refresh_tokens_expires_at, \
         idx_refresh_tokens_active, idx_refresh_tokens_is_revoked; ANALYZE refresh_tokens",
    );
    let p = plan(&mut conn, &tokens_sql, params);
    assert!(p.contains("Seq Scan on refresh_tokens"), "{p}");
    pg.psql(
        "CREATE INDEX idx_refresh_tokens_expires_at ON refresh_tokens (expires_at); \
         CREATE INDEX idx_refresh_tokens_user_active ON refresh_tokens (user_id, is_revoked, expires_at) \
         WHERE is_revoked = false; ANALYZE refresh_tokens",
    );
    // And the command itself gives the right figures on this table.
    let s = json(&db, &["stats", "-o", "json"]);
    let active_tokens = common::count(
        &db,
        "SELECT count(*) AS n FROM refresh_tokens WHERE is_revoked = false AND expires_at > now()",
    );
    assert_eq!(s["refresh_tokens_active"], active_tokens);
    let active_sessions = common::count(
        &db,
        "SELECT count(*) AS n FROM login_sessions WHERE is_active = true AND expires_at > now()",
    );
    assert_eq!(s["sessions_active"], active_sessions);
}

/// `--window` and `--max` of `stats` are checked by the rule `attempts` uses, with
/// the same messages: whole minutes from 1m to 1d, a limit from 1 to 1000; anything
/// else is a usage error (64) before connecting — never a silently rounded window.
#[test]
fn window_and_max_are_checked_like_attempts() {
    let db = TestDb::sqlite();
    drop(db.migrated());
    for flags in [
        &["--window", "90s"][..],
        &["--window", "30s"],
        &["--window", "0m"],
        &["--window", "2d"],
        &["--window", "1000000000h"],
        &["--window", "soon"],
        &["--window", "15"],
        &["--max", "0"],
        &["--max", "-3"],
        &["--max", "1001"],
    ] {
        let mut args = vec!["stats"];
        args.extend_from_slice(flags);
        let r = db.run(&args);
        assert_eq!(r.code, 64, "{flags:?}: {r}");
        let mut same = vec!["attempts", "blocked"];
        same.extend_from_slice(flags);
        let a = db.run(&same);
        assert_eq!(a.code, 64, "{flags:?}: {a}");
        assert_eq!(
            r.stderr, a.stderr,
            "{flags:?}: the same message as attempts"
        );
        assert!(r.stderr.contains(flags[0]), "{flags:?}: {r}");
    }
    // The edges, and the figures follow the flags exactly.
    for (window, max, minutes) in [("1m", "1", 1), ("20m", "7", 20), ("1d", "1000", 1440)] {
        let s = json(
            &db,
            &["stats", "-o", "json", "--window", window, "--max", max],
        );
        assert_eq!(s["rate_limit"]["window_minutes"], minutes, "{window}");
        assert_eq!(s["rate_limit"]["max_failed"], max.parse::<i64>().unwrap());
        let r = ok(
            &db,
            &["stats", "--prometheus", "--window", window, "--max", max],
        );
        let want = format!("authctl_rate_limit_window_seconds {}\n", minutes * 60);
        assert!(r.stdout.contains(&want), "{window}: {r}");
    }
}

/// Connections of `name` in the `stats` JSON's connection groups.
fn groups_named(c: &Value, name: &str) -> i64 {
    c["by_state_and_application"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["application_name"] == name)
        .map(|g| g["connections"].as_i64().unwrap())
        .sum()
}

/// `stats` reports the server's client connections — by state and application
/// name, the oldest idle-in-transaction age, the headroom under `max_connections`
/// minus the reserved slots — in JSON, the table, CSV and Prometheus; SQLite has no
/// server connections (`null`).
#[test]
fn server_connections_are_reported_in_every_format() {
    let sqlite = TestDb::sqlite_migrated();
    let v = json(&sqlite, &["-o", "json", "stats"]);
    assert!(v["connections"].is_null(), "{v}");
    let Some(db) = TestDb::postgres_migrated() else {
        return;
    };
    // An application's connection left idle inside its transaction.
    let mut idle = db.connect();
    idle.batch_execute("SET application_name = 'app-under-test'; BEGIN; SELECT 1")
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let v = json(&db, &["-o", "json", "stats"]);
    let c = &v["connections"];
    let max = c["max_connections"].as_i64().unwrap();
    let reserved = c["reserved"].as_i64().unwrap();
    let in_use = c["in_use"].as_i64().unwrap();
    assert_eq!(
        max,
        common::count(
            &db,
            "SELECT current_setting('max_connections')::bigint AS n"
        )
    );
    assert_eq!(
        reserved,
        common::count(
            &db,
            "SELECT (current_setting('superuser_reserved_connections')::int \
             + coalesce(current_setting('reserved_connections', true)::int, 0))::bigint AS n"
        )
    );
    assert!(in_use >= 2, "authctl's and the idle one: {c}");
    assert!(
        groups_named(c, "authctl") >= 1 && !c.to_string().contains("authctl@"),
        "authctl's runs are one application, without host and pid: {c}"
    );
    assert_eq!(
        c["headroom"].as_i64().unwrap(),
        max - reserved - in_use,
        "{c}"
    );
    let groups = c["by_state_and_application"].as_array().unwrap();
    assert!(
        groups.iter().any(|g| g["state"] == "idle in transaction"
            && g["application_name"] == "app-under-test"
            && g["connections"] == 1),
        "{c}"
    );
    assert!(
        c["oldest_idle_in_transaction_seconds"].as_f64().unwrap() >= 1.0,
        "{c}"
    );

    let r = ok(&db, &["stats", "--prometheus"]);
    let m = parse_prometheus(&r.stdout);
    assert_eq!(
        value(
            &m,
            "authctl_postgres_connections",
            &[
                ("state", "idle in transaction"),
                ("application_name", "app-under-test")
            ]
        ),
        1.0
    );
    assert_eq!(
        value(&m, "authctl_postgres_max_connections", &[]),
        max as f64
    );
    assert_eq!(
        value(&m, "authctl_postgres_reserved_connections", &[]),
        reserved as f64
    );
    assert!(value(&m, "authctl_postgres_connection_headroom", &[]) < (max - reserved) as f64);
    assert!(
        value(
            &m,
            "authctl_postgres_oldest_idle_in_transaction_seconds",
            &[]
        ) >= 1.0
    );

    let table = ok(&db, &["stats"]).stdout;
    assert!(
        table.contains("connections idle in transaction: app-under-test"),
        "{table}"
    );
    assert!(
        table.contains(&format!("of {max} ({reserved} reserved)")),
        "{table}"
    );
    let csv = ok(&db, &["-o", "csv", "stats"]).stdout;
    assert!(
        csv.contains(
            "authctl_postgres_connections,state=idle in transaction;application_name=app-under-test,1\n"
        ),
        "{csv}"
    );
    // Once it commits, it is no longer idle in a transaction.
    idle.batch_execute("COMMIT").unwrap();
    let v = json(&db, &["-o", "json", "stats"]);
    assert!(
        !v["connections"]["by_state_and_application"]
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["application_name"] == "app-under-test"
                && g["state"] == "idle in transaction"),
        "{v}"
    );
}
