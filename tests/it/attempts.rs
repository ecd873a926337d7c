//! `authctl attempts …` over real rows: list with its filters (IPv4, IPv6, CIDR) and
//! keyset paging, `top`, the application's rate limit (`blocked`, `check`, `clear`),
//! hostile stored text escaped.

use crate::common;

use std::collections::BTreeSet;

use authctl::db::{AttemptId, DbConn, Inet, UserId, UtcDateTime};
use authctl::repo::NewUser;
use authctl::repo::auth_attempts::{NewAttempt, TopBy, top_sql};
use serde_json::Value;

use crate::common::{PgDb, TestDb, app_ok, count};

/// Run authctl, expecting `code`; returns (stdout, stderr).
#[track_caller]
fn run(db: &TestDb, args: &[&str], code: i32) -> (String, String) {
    let r = common::run(db.authctl().env("AUTHCTL_ACTOR", "oncall").args(args));
    assert_eq!(r.code, code, "{} authctl {args:?}\n{r}", db.label());
    (r.stdout, r.stderr)
}

/// Run authctl with `--output json`, expecting `code`.
#[track_caller]
fn json(db: &TestDb, args: &[&str], code: i32) -> Value {
    let mut a = vec!["--output", "json"];
    a.extend_from_slice(args);
    let (out, _) = run(db, &a, code);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

/// The ids of a JSON listing, in order.
fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

/// An attempt `ago` before now.
struct At<'a> {
    ip: &'a str,
    email: Option<&'a str>,
    success: bool,
    ago: chrono::Duration,
    kind: &'a str,
    user: Option<UserId>,
    ua: Option<&'a str>,
}

impl<'a> At<'a> {
    fn failed(ip: &'a str, ago_secs: i64) -> Self {
        At {
            ip,
            email: None,
            success: false,
            ago: chrono::Duration::seconds(ago_secs),
            kind: "login",
            user: None,
            ua: None,
        }
    }
    fn ok(ip: &'a str, ago_secs: i64) -> Self {
        At {
            success: true,
            ..At::failed(ip, ago_secs)
        }
    }
    fn email(self, e: &'a str) -> Self {
        At {
            email: Some(e),
            ..self
        }
    }
    fn user(self, u: UserId) -> Self {
        At {
            user: Some(u),
            ..self
        }
    }
    fn kind(self, k: &'a str) -> Self {
        At { kind: k, ..self }
    }
    fn ua(self, ua: &'a str) -> Self {
        At {
            ua: Some(ua),
            ..self
        }
    }
    /// Insert it with `now` as the reference; returns its id.
    fn insert(self, conn: &mut DbConn, now: UtcDateTime) -> String {
        let a = NewAttempt {
            id: AttemptId::new_v4(),
            user_id: self.user,
            email: self.email,
            ip_address: self.ip.parse::<Inet>().unwrap(),
            user_agent: self.ua,
            success: self.success,
            failure_reason: (!self.success).then_some("invalid_credentials"),
            timestamp: now - self.ago,
            attempt_type: self.kind,
        };
        a.insert(conn).unwrap();
        a.id.to_string()
    }
}

fn user(conn: &mut DbConn, email: &str) -> UserId {
    NewUser::new(
        email,
        "$2b$10$abcdefghijklmnopqrstuuJ3vGd9Yk8Qwx1kYtq8V8y9zP3cC4fZe",
    )
    .insert(conn)
    .unwrap()
    .id
}

const MIN: i64 = 60;

per_backend! {
    fn list_filters_ipv4_ipv6_and_cidr(db) {
        let mut conn = db.migrated();
        let now = UtcDateTime::now();
        let bob = user(&mut conn, "bob@example.com");
        let a_v4 = At::failed("10.1.2.3", 60)
            .email("bob@example.com")
            .user(bob)
            .insert(&mut conn, now);
        let a_v4b = At::failed("10.9.9.9", 120)
            .email("eve@example.com")
            .insert(&mut conn, now);
        let a_other = At::ok("192.0.2.7", 180)
            .email("bob@example.com")
            .user(bob)
            .insert(&mut conn, now);
        let a_v6 = At::failed("2001:db8::5", 240)
            .email("eve@example.com")
            .kind("register")
            .insert(&mut conn, now);
        let a_v6b = At::failed("2001:db9::1", 300).insert(&mut conn, now);
        let a_old = At::failed("10.1.2.3", 3 * 3600)
            .email("bob@example.com")
            .insert(&mut conn, now);
        let a_mapped = At::failed("::ffff:10.1.2.4", 360).insert(&mut conn, now);

        let set = |args: &[&str]| -> BTreeSet<String> {
            let mut a = vec!["attempts", "list"];
            a.extend_from_slice(args);
            ids(&json(&db, &a, 0)).into_iter().collect()
        };
        let of = |v: &[&String]| -> BTreeSet<String> { v.iter().map(|s| (*s).clone()).collect() };
        let l = db.label();

        // Everything, newest first.
        let all = ids(&json(&db, &["attempts", "list"], 0));
        assert_eq!(
            all,
            vec![
                a_v4.clone(),
                a_v4b.clone(),
                a_other.clone(),
                a_v6.clone(),
                a_v6b.clone(),
                a_mapped.clone(),
                a_old.clone()
            ],
            "{l}"
        );

        // IPv4 networks: a host inside and one outside; IPv4-mapped IPv6 is another family.
        assert_eq!(
            set(&["--ip", "10.0.0.0/8"]),
            of(&[&a_v4, &a_v4b, &a_old]),
            "{l}"
        );
        assert_eq!(set(&["--ip", "10.1.0.0/16"]), of(&[&a_v4, &a_old]), "{l}");
        assert_eq!(set(&["--ip", "10.1.2.3"]), of(&[&a_v4, &a_old]), "{l}");
        assert_eq!(set(&["--ip", "10.1.2.3/32"]), of(&[&a_v4, &a_old]), "{l}");
        assert_eq!(set(&["--ip", "192.0.2.0/24"]), of(&[&a_other]), "{l}");
        assert_eq!(set(&["--ip", "172.16.0.0/12"]), BTreeSet::new(), "{l}");
        // IPv6 networks.
        assert_eq!(set(&["--ip", "2001:db8::/32"]), of(&[&a_v6]), "{l}");
        assert_eq!(set(&["--ip", "2001:db8::/31"]), of(&[&a_v6, &a_v6b]), "{l}");
        assert_eq!(set(&["--ip", "2001:db8::5"]), of(&[&a_v6]), "{l}");
        assert_eq!(set(&["--ip", "2001:DB8:0::5/128"]), of(&[&a_v6]), "{l}");
        assert_eq!(set(&["--ip", "::ffff:0:0/96"]), of(&[&a_mapped]), "{l}");
        assert_eq!(
            set(&["--ip", "::/0"]),
            of(&[&a_v6, &a_v6b, &a_mapped]),
            "{l}"
        );
        assert_eq!(
            set(&["--ip", "0.0.0.0/0"]),
            of(&[&a_v4, &a_v4b, &a_other, &a_old]),
            "{l}"
        );

        // Result, email (any case), user, type, time.
        assert_eq!(set(&["--succeeded"]), of(&[&a_other]), "{l}");
        assert_eq!(set(&["--failed"]).len(), 6, "{l}");
        assert_eq!(
            set(&["--email", " BOB@Example.com "]),
            of(&[&a_v4, &a_other, &a_old]),
            "{l}"
        );
        assert_eq!(
            set(&["--failed", "--email", "bob@example.com"]),
            of(&[&a_v4, &a_old]),
            "{l}"
        );
        assert_eq!(
            set(&["--user", "bob@example.com"]),
            of(&[&a_v4, &a_other]),
            "{l}"
        );
        assert_eq!(
            set(&["--user", &bob.to_string()]),
            of(&[&a_v4, &a_other]),
            "{l}"
        );
        assert_eq!(set(&["--type", "register"]), of(&[&a_v6]), "{l}");
        assert_eq!(
            set(&["--since", "1h", "--ip", "10.1.2.3"]),
            of(&[&a_v4]),
            "{l}"
        );
        assert_eq!(set(&["--until", "1h"]), of(&[&a_old]), "{l}");
        assert_eq!(
            set(&["--since", "4m", "--until", "90s"]),
            of(&[&a_v4b, &a_other]),
            "{l}"
        );

        // JSON fields.
        let rows = json(
            &db,
            &["attempts", "list", "--ip", "10.1.2.3", "--since", "1h"],
            0,
        );
        let r = &rows[0];
        let keys: BTreeSet<&str> = r.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "id",
                "timestamp",
                "success",
                "attempt_type",
                "email",
                "user_id",
                "ip_address",
                "user_agent",
                "failure_reason"
            ]),
            "{l}"
        );
        assert_eq!(r["ip_address"], "10.1.2.3", "{l}");
        assert_eq!(r["success"], false, "{l}");
        assert_eq!(r["user_id"], bob.to_string().as_str(), "{l}");
        assert_eq!(r["attempt_type"], "login", "{l}");
        assert_eq!(r["failure_reason"], "invalid_credentials", "{l}");
        assert!(r["timestamp"].as_str().unwrap().ends_with('Z'), "{l}");
        let v6 = json(&db, &["attempts", "list", "--ip", "2001:db8::/32"], 0);
        assert_eq!(v6[0]["ip_address"], "2001:db8::5", "{l}");

        // CSV: a header and one line per row.
        let (csv, _) = run(
            &db,
            &["--output", "csv", "attempts", "list", "--ip", "10.0.0.0/8"],
            0,
        );
        assert_eq!(csv.lines().count(), 4, "{l}: {csv}");
        assert!(
            csv.starts_with(
                "id,timestamp,success,attempt_type,email,user_id,ip_address,user_agent,failure_reason\n"
            ),
            "{l}"
        );
    }
}

per_backend! {
    fn keyset_paging_visits_each_row_once(db) {
        let mut conn = db.migrated();
        let now = UtcDateTime::now();
        let mut expected = Vec::new();
        for i in 0..23 {
            // Ties: three rows per instant, so ids decide the order within one.
            let ip = format!("198.51.100.{i}");
            expected.push(At::failed(&ip, (i / 3) * 10).insert(&mut conn, now));
        }
        // Rows without a time (the column is nullable) come last.
        let (n1, n2) = (
            AttemptId::new_v4().to_string(),
            AttemptId::new_v4().to_string(),
        );
        for id in [&n1, &n2] {
            db.exec(&format!(
                "INSERT INTO auth_attempts (id, ip_address, success, \"timestamp\") VALUES ('{id}', '203.0.113.1', {}, NULL)",
                if db.is_postgres() { "false" } else { "0" }
            ));
        }
        let listed = json(&db, &["attempts", "list", "--limit", "1000"], 0);
        let all = ids(&listed);
        // Newest first; ties by id descending.
        let keys: Vec<(String, String)> = listed.as_array().unwrap()[..23]
            .iter()
            .map(|r| {
                (
                    r["timestamp"].as_str().unwrap().to_owned(),
                    r["id"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_by(|a, b| {
            let t = |s: &str| UtcDateTime::parse_text(s).unwrap();
            t(&b.0).cmp(&t(&a.0)).then(b.1.cmp(&a.1))
        });
        assert_eq!(keys, sorted, "{}", db.label());
        assert_eq!(all.len(), 25, "{}", db.label());
        let set: BTreeSet<&String> = all.iter().collect();
        assert_eq!(set.len(), 25);
        // Newest first: the timed rows in the order of their age.
        let timed: BTreeSet<&String> = expected.iter().collect();
        assert_eq!(
            all[..23].iter().collect::<BTreeSet<_>>(),
            timed,
            "{}",
            db.label()
        );
        let mut untimed = [n1.clone(), n2.clone()];
        untimed.sort();
        untimed.reverse();
        assert_eq!(all[23..], untimed[..], "{}", db.label());

        // Pages of 4, following --after, visit every row once in the same order.
        let mut paged = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..20 {
            let mut args = vec!["attempts", "list", "--limit", "4"];
            if let Some(a) = &after {
                args.extend(["--after", a.as_str()]);
            }
            let page = ids(&json(&db, &args, 0));
            if page.is_empty() {
                break;
            }
            after = page.last().cloned();
            paged.extend(page);
        }
        assert_eq!(paged, all, "{}", db.label());

        // --all streams the same rows (pages of 500 internally), in JSON and CSV.
        assert_eq!(ids(&json(&db, &["attempts", "list", "--all"], 0)), all);
        let (csv, _) = run(&db, &["--output", "csv", "attempts", "list", "--all"], 0);
        assert_eq!(csv.lines().count(), 26);

        // A full page in a table says more may follow (on stderr), with the next --after.
        let (table, err) = run(&db, &["attempts", "list", "--limit", "4"], 0);
        assert!(table.contains(&all[3]), "{table}");
        assert!(
            err.contains(&format!("more may follow: --after {}", all[3])),
            "{err}"
        );
        let (_, err) = run(&db, &["attempts", "list", "--limit", "1000"], 0);
        assert!(!err.contains("more may follow"), "{err}");
    }
}

/// `check --ip` on every backend; on PostgreSQL also what the application's own
/// `check_rate_limit` answers for the same IP and parameters.
#[track_caller]
fn assert_check(db: &TestDb, ip: &str, extra: &[&str], allowed: bool) {
    let mut args = vec!["attempts", "check", "--ip", ip];
    args.extend_from_slice(extra);
    let v = json(db, &args, if allowed { 0 } else { 1 });
    assert_eq!(v["allowed"], allowed, "{} {ip} {extra:?}: {v}", db.label());
    assert_eq!(v["blocked_until"].is_null(), allowed, "{v}");
    if let TestDb::Postgres(pg) = db {
        let (window, max) = match extra {
            [] => (15, 5),
            ["--window", w, "--max", m] => (
                w.trim_end_matches('m').parse::<i64>().unwrap(),
                m.parse::<i64>().unwrap(),
            ),
            other => panic!("{other:?}"),
        };
        let app = pg.strings(&format!(
            "SELECT check_rate_limit('{ip}'::inet, {window}, {max})::text AS v"
        ));
        assert_eq!(
            app,
            vec![allowed.to_string()],
            "check_rate_limit({ip}, {window}, {max})"
        );
    }
}

per_backend! {
    fn rate_limit_edges_match_the_application(db) {
        let mut conn = db.migrated();
        let now = UtcDateTime::now();
        // A: 4 failures in the window — allowed; a fifth blocks.
        for i in 0..4 {
            At::failed("203.0.113.10", (i + 1) * MIN).insert(&mut conn, now);
        }
        // B: 4 failures in the window and one just outside it (15 min + 30 s).
        for i in 0..4 {
            At::failed("203.0.113.11", (i + 1) * MIN).insert(&mut conn, now);
        }
        At::failed("203.0.113.11", 15 * MIN + 30).insert(&mut conn, now);
        // C: 4 failures and many successes (successes never count).
        for i in 0..4 {
            At::failed("203.0.113.12", (i + 1) * MIN).insert(&mut conn, now);
        }
        for i in 0..6 {
            At::ok("203.0.113.12", i * 10).insert(&mut conn, now);
        }
        // D (IPv6): 6 failures — blocked; the 5th newest (5 min ago) leaves the window in 10 min.
        for i in 0..6 {
            At::failed("2001:db8::d", (i + 1) * MIN).insert(&mut conn, now);
        }
        // E: failures only on other addresses of its network do not count for it.
        for i in 0..5 {
            At::failed(&format!("203.0.113.{}", 100 + i), MIN).insert(&mut conn, now);
        }

        assert_check(&db, "203.0.113.10", &[], true);
        assert_check(&db, "203.0.113.11", &[], true);
        assert_check(&db, "203.0.113.12", &[], true);
        assert_check(&db, "2001:db8::d", &[], false);
        assert_check(&db, "203.0.113.100", &[], true);
        assert_check(&db, "192.0.2.1", &[], true);
        // Other windows and limits.
        assert_check(
            &db,
            "203.0.113.11",
            &["--window", "16m", "--max", "5"],
            false,
        );
        assert_check(
            &db,
            "203.0.113.10",
            &["--window", "15m", "--max", "4"],
            false,
        );
        assert_check(&db, "203.0.113.10", &["--window", "3m", "--max", "4"], true);
        assert_check(&db, "2001:db8::d", &["--window", "15m", "--max", "7"], true);
        assert_check(
            &db,
            "2001:db8::d",
            &["--window", "15m", "--max", "6"],
            false,
        );

        let d = json(&db, &["attempts", "check", "--ip", "2001:db8::d"], 1);
        assert_eq!(d["failed"], 6);
        assert_eq!(d["window_minutes"], 15);
        assert_eq!(d["max"], 5);
        let until = UtcDateTime::parse_text(d["blocked_until"].as_str().unwrap()).unwrap();
        assert_eq!(
            until,
            now - chrono::Duration::minutes(5) + chrono::Duration::minutes(15),
            "{}",
            db.label()
        );
        // The answer is said once, on stdout (times as every table shows them:
        // RFC 3339 UTC to the second); stderr stays empty, the exit code is 1.
        let (out, err) = run(&db, &["attempts", "check", "--ip", "2001:db8::d"], 1);
        let shown = until.0.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        assert!(out.starts_with(&format!("blocked until {shown}: 2001:db8::d (")), "{out}");
        assert_eq!(out.lines().count(), 1, "{out}");
        assert_eq!(err, "", "the answer repeated on stderr");
        for format in ["json", "csv"] {
            let (_, err) = run(&db, &["-o", format, "attempts", "check", "--ip", "2001:db8::d"], 1);
            assert_eq!(err, "", "{format}: the answer repeated on stderr");
        }
        // --quiet: the exit code alone answers.
        let (out, err) = run(&db, &["-q", "attempts", "check", "--ip", "2001:db8::d"], 1);
        assert_eq!((out.as_str(), err.as_str()), ("", ""), "--quiet");
        let (out, _) = run(&db, &["attempts", "check", "--ip", "203.0.113.10"], 0);
        assert!(
            out.starts_with("allowed: 203.0.113.10 (4 failed attempts"),
            "{out}"
        );

        // The fifth failure blocks A.
        At::failed("203.0.113.10", 5).insert(&mut conn, now);
        assert_check(&db, "203.0.113.10", &[], false);

        // `blocked` lists exactly the blocked IPs, most failures first.
        let b = json(&db, &["attempts", "blocked"], 0);
        let ips: Vec<&str> = b
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ip_address"].as_str().unwrap())
            .collect();
        assert_eq!(ips, vec!["2001:db8::d", "203.0.113.10"], "{}", db.label());
        assert_eq!(b[0]["failed"], 6);
        assert_eq!(b[0]["blocked_until"], d["blocked_until"]);
        let keys: BTreeSet<&str> = b[0]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            BTreeSet::from([
                "ip_address",
                "failed",
                "first_failed_at",
                "last_failed_at",
                "blocked_until"
            ])
        );
        let b = json(&db, &["attempts", "blocked", "--window", "16m"], 0);
        assert_eq!(b.as_array().unwrap().len(), 3, "{b}");
        let b = json(&db, &["attempts", "blocked", "--max", "4"], 0);
        let ips: BTreeSet<&str> = b
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ip_address"].as_str().unwrap())
            .collect();
        assert_eq!(
            ips,
            BTreeSet::from([
                "2001:db8::d",
                "203.0.113.10",
                "203.0.113.11",
                "203.0.113.12"
            ])
        );
        if let TestDb::Postgres(pg) = &db {
            // The application's function over every address it has seen agrees with `blocked`.
            let blocked_by_app = pg.strings(
                "SELECT abbrev(ip) AS v FROM (SELECT DISTINCT ip_address AS ip FROM auth_attempts) s \
                 WHERE NOT check_rate_limit(ip) ORDER BY 1",
            );
            assert_eq!(blocked_by_app, vec!["2001:db8::d", "203.0.113.10"]);
        }
    }
}

per_backend! {
    fn clear_asks_deletes_only_counted_rows_audits_and_lets_the_ip_in(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let now = UtcDateTime::now();
        let ip = "198.51.100.77";
        let pat = user(&mut conn, "pat@example.com");
        for i in 0..6 {
            At::failed(ip, (i + 1) * MIN)
                .email("pat@example.com")
                .insert(&mut conn, now);
        }
        let old = At::failed(ip, 20 * MIN).insert(&mut conn, now);
        let good = At::ok(ip, 30).insert(&mut conn, now);
        let other = At::failed("198.51.100.78", MIN)
            .email("pat@example.com")
            .insert(&mut conn, now);
        assert_check(&db, ip, &[], false);

        // Without a terminal and without --yes: refused (64), nothing deleted.
        let (_, err) = run(&db, &["attempts", "clear", "--ip", ip], 64);
        assert!(
            err.contains("Delete 6 failed attempts of IP 198.51.100.77"),
            "{err}"
        );
        assert!(err.contains("--yes"), "{err}");
        assert_eq!(
            count(&db, "SELECT count(*) AS n FROM auth_attempts"),
            9,
            "{l}"
        );
        assert_eq!(
            count(&db, "SELECT count(*) AS n FROM authctl_audit_events"),
            0,
            "{l}"
        );

        let v = json(&db, &["--yes", "attempts", "clear", "--ip", ip], 0);
        assert_eq!(v["deleted"], 6, "{l}: {v}");
        assert_eq!(v["ip_address"], ip);
        assert_eq!(v["window_minutes"], 15);
        // Only the failures counted in the window went.
        let left: BTreeSet<String> = ids(&json(&db, &["attempts", "list"], 0))
            .into_iter()
            .collect();
        assert_eq!(
            left,
            BTreeSet::from([old.clone(), good.clone(), other.clone()]),
            "{l}"
        );
        assert_check(&db, ip, &[], true);

        let events = json(&db, &["audit", "list", "--action", "attempts.clear"], 0);
        assert_eq!(events.as_array().unwrap().len(), 1, "{l}: {events}");
        assert_eq!(events[0]["actor"], "oncall");
        assert_eq!(events[0]["detail"]["deleted"], 6);
        assert_eq!(events[0]["detail"]["ip_address"], ip);
        assert_eq!(events[0]["detail"]["window_minutes"], 15);

        // Again: nothing counts any more; nothing asked, nothing audited.
        let (_, err) = run(&db, &["attempts", "clear", "--ip", ip], 0);
        assert!(err.contains("nothing to clear"), "{err}");
        assert_eq!(
            count(&db, "SELECT count(*) AS n FROM authctl_audit_events"),
            1
        );

        // By email, with a wider window: the remaining failure of that email only.
        let v = json(
            &db,
            &[
                "--yes",
                "attempts",
                "clear",
                "--email",
                "PAT@example.com",
                "--window",
                "30m",
            ],
            0,
        );
        assert_eq!(v["deleted"], 1, "{l}: {v}");
        assert_eq!(v["email"], "pat@example.com");
        let left: BTreeSet<String> = ids(&json(&db, &["attempts", "list"], 0))
            .into_iter()
            .collect();
        assert_eq!(left, BTreeSet::from([old.clone(), good.clone()]), "{l}");
        let events = json(&db, &["audit", "list", "--action", "attempts.clear"], 0);
        assert_eq!(events[0]["detail"]["email"], "pat@example.com");
        assert_eq!(events[0]["user_id"], pat.to_string().as_str());
        assert_eq!(events[0]["user_email"], "pat@example.com");
        assert!(events[1]["user_id"].is_null(), "{events}");
        assert_eq!(events[0]["detail"]["window_minutes"], 30);

        // A window wider than the old failure reaches it.
        let v = json(
            &db,
            &["--yes", "attempts", "clear", "--ip", ip, "--window", "1h"],
            0,
        );
        assert_eq!(v["deleted"], 1);
        assert_eq!(
            ids(&json(&db, &["attempts", "list"], 0)),
            vec![good.clone()]
        );
    }
}

/// Failed logins recorded by the application itself (its fixture), then blocked,
/// checked and cleared by authctl — and the application agrees at every step.
#[test]
fn application_recorded_failures_block_and_clear() {
    let Some(pg) = PgDb::app_migrated(None) else {
        return;
    };
    app_ok(
        &pg.url,
        &["register", "amy@example.com", "Amy"],
        "right-password-1\n",
        0,
    );
    let ip = "2001:db8:aa::7";
    for _ in 0..5 {
        app_ok(
            &pg.url,
            &["login", "amy@example.com", "--ip", ip, "--ua", "curl/8"],
            "wrongpw\n",
            1,
        );
    }
    app_ok(&pg.url, &["rate-limit", ip], "", 1);
    let db = TestDb::Postgres(pg);
    run(&db, &["--yes", "migrate"], 0);
    let rows = json(
        &db,
        &["attempts", "list", "--ip", "2001:db8:aa::/48", "--failed"],
        0,
    );
    assert_eq!(rows.as_array().unwrap().len(), 5);
    assert_eq!(rows[0]["email"], "amy@example.com");
    assert_eq!(rows[0]["user_agent"], "curl/8");
    assert!(rows[0]["user_id"].is_string());
    assert_check(&db, ip, &[], false);
    let top = json(&db, &["attempts", "top", "--by", "user"], 0);
    assert_eq!(top[0]["email"], "amy@example.com");
    assert_eq!(top[0]["failed"], 5);
    assert_eq!(top[0]["distinct_ips"], 1);
    let v = json(&db, &["--yes", "attempts", "clear", "--ip", ip], 0);
    assert_eq!(v["deleted"], 5);
    let TestDb::Postgres(pg) = &db else {
        unreachable!()
    };
    app_ok(&pg.url, &["rate-limit", ip], "", 0);
    assert_check(&db, ip, &[], true);
}

per_backend! {
    fn top_groups_failures_with_counterparts(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let now = UtcDateTime::now();
        let uma = user(&mut conn, "uma@example.com");
        // A stuffing IP: 4 failures over 3 emails.
        for (i, e) in [
            "a@example.com",
            "b@example.com",
            "c@example.com",
            "a@example.com",
        ]
        .iter()
        .enumerate()
        {
            At::failed("192.0.2.50", (i as i64 + 1) * MIN)
                .email(e)
                .insert(&mut conn, now);
        }
        // A targeted account: uma tried from 3 IPs (one IPv6), 3 failures.
        for (i, ip) in ["198.51.100.1", "198.51.100.2", "2001:db8::99"]
            .iter()
            .enumerate()
        {
            At::failed(ip, (i as i64 + 1) * MIN)
                .email("uma@example.com")
                .user(uma)
                .insert(&mut conn, now);
        }
        // Outside --since, and successes: never counted.
        for _ in 0..9 {
            At::failed("192.0.2.99", 2 * 3600)
                .email("old@example.com")
                .insert(&mut conn, now);
            At::ok("192.0.2.98", MIN)
                .email("ok@example.com")
                .insert(&mut conn, now);
        }

        let by_ip = json(&db, &["attempts", "top", "--by", "ip", "--since", "1h"], 0);
        let arr = by_ip.as_array().unwrap();
        assert_eq!(arr.len(), 4, "{l}: {by_ip}");
        assert_eq!(arr[0]["ip_address"], "192.0.2.50");
        assert_eq!(arr[0]["failed"], 4);
        assert_eq!(arr[0]["distinct_emails"], 3);
        let first = UtcDateTime::parse_text(arr[0]["first_seen"].as_str().unwrap()).unwrap();
        let last = UtcDateTime::parse_text(arr[0]["last_seen"].as_str().unwrap()).unwrap();
        assert_eq!(first, now - chrono::Duration::minutes(4), "{l}");
        assert_eq!(last, now - chrono::Duration::minutes(1), "{l}");
        assert!(
            arr.iter()
                .all(|r| r["failed"] == 1 || r["ip_address"] == "192.0.2.50")
        );
        assert!(
            arr.iter().any(|r| r["ip_address"] == "2001:db8::99"),
            "{l}: {by_ip}"
        );

        let by_email = json(&db, &["attempts", "top", "--by", "email"], 0);
        assert_eq!(by_email[0]["email"], "uma@example.com", "{l}: {by_email}");
        assert_eq!(by_email[0]["failed"], 3);
        assert_eq!(by_email[0]["distinct_ips"], 3);
        assert_eq!(by_email[1]["email"], "a@example.com");
        assert_eq!(by_email[1]["failed"], 2);
        assert_eq!(by_email.as_array().unwrap().len(), 4);

        let by_user = json(&db, &["attempts", "top", "--by", "user"], 0);
        assert_eq!(by_user.as_array().unwrap().len(), 1, "{l}: {by_user}");
        assert_eq!(by_user[0]["user_id"], uma.to_string().as_str());
        assert_eq!(by_user[0]["email"], "uma@example.com");
        assert_eq!(by_user[0]["distinct_ips"], 3);

        // --limit, and a wider --since reaches the old failures.
        assert_eq!(
            json(&db, &["attempts", "top", "--limit", "1"], 0)
                .as_array()
                .unwrap()
                .len(),
            1
        );
        let wide = json(&db, &["attempts", "top", "--since", "3h"], 0);
        assert_eq!(wide[0]["ip_address"], "192.0.2.99", "{l}: {wide}");
        assert_eq!(wide[0]["failed"], 9);
        let (table, _) = run(&db, &["attempts", "top", "--by", "email"], 0);
        assert!(
            table.contains("uma@example.com") && table.contains("IPS"),
            "{table}"
        );
    }
}

/// `top --by ip` over a table of 200,000 attempts spread over 30 days reads an
/// index range, not the table.
#[test]
fn top_by_ip_plan_uses_an_index() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    db.migrated();
    let TestDb::Postgres(pg) = &db else {
        unreachable!()
    };
    pg.psql(
        "INSERT INTO auth_attempts (ip_address, email, success, \"timestamp\") \
         SELECT ('10.' || (g % 250) || '.' || (g % 199) || '.' || (g % 97))::inet, \
                'user' || (g % 5000) || '@example.com', g % 4 = 0, \
                now() - (g * interval '13 seconds') \
           FROM generate_series(1, 200000) g; \
         ANALYZE auth_attempts; \
         CREATE FUNCTION plan_of(q text) RETURNS SETOF text AS $f$ \
         BEGIN RETURN QUERY EXECUTE 'EXPLAIN ' || q; END $f$ LANGUAGE plpgsql;",
    );
    for by in [TopBy::Ip, TopBy::Email, TopBy::User] {
        let sql = top_sql(by, authctl::db::Dialect::of(authctl::db::Backend::Postgres))
            .replace("$1", "now() - interval '1 hour'")
            .replace("$2", "20");
        let plan = pg
            .strings(&format!("SELECT plan_of($q${sql}$q$) AS v"))
            .join("\n");
        assert!(
            !plan.contains("Seq Scan on auth_attempts"),
            "{by:?}:\n{plan}"
        );
        assert!(plan.contains("Index"), "{by:?}:\n{plan}");
        if by != TopBy::User {
            // The time range bounds the scan (the user fixture rows have no user).
            assert!(
                plan.contains("idx_auth_attempts_timestamp")
                    || plan.contains("idx_auth_attempts_rate_limit"),
                "{by:?}:\n{plan}"
            );
        }
    }
    // And the command answers over it.
    let top = json(
        &db,
        &["attempts", "top", "--since", "1h", "--limit", "3"],
        0,
    );
    assert_eq!(top.as_array().unwrap().len(), 3);
}

per_backend! {
    fn hostile_text_is_escaped_in_table_and_csv(db) {
        let mut conn = db.migrated();
        let now = UtcDateTime::now();
        let ua = "Mozilla\u{1b}[2J\u{1b}]0;pwned\u{7}\u{202e}gnp.exe\r\nFAKE ROW";
        At::failed("192.0.2.66", 10)
            .email("x\u{1b}[31m@example.com")
            .ua(ua)
            .insert(&mut conn, now);
        for format in ["table", "csv"] {
            let (out, _) = run(&db, &["--output", format, "attempts", "list"], 0);
            assert!(!out.contains('\u{1b}'), "{format}: {out:?}");
            assert!(!out.contains('\u{202e}'), "{format}: {out:?}");
            assert!(!out.contains('\u{7}'), "{format}: {out:?}");
            assert!(!out.contains("\r"), "{format}: {out:?}");
            assert!(out.contains("Mozilla\\u{1b}[2J"), "{format}: {out:?}");
            assert!(
                out.contains("x\\u{1b}[31m@example.com"),
                "{format}: {out:?}"
            );
        }
        for args in [
            &["attempts", "top", "--by", "email"][..],
            &["attempts", "top", "--by", "ip"][..],
        ] {
            let (out, _) = run(&db, args, 0);
            assert!(!out.contains('\u{1b}'), "{out:?}");
        }
        // JSON keeps the exact value, escaped.
        let v = json(&db, &["attempts", "list"], 0);
        assert_eq!(v[0]["user_agent"], ua);
        let (raw, _) = run(&db, &["--output", "json", "attempts", "list"], 0);
        assert!(
            !raw.contains('\u{1b}') && !raw.contains('\u{202e}'),
            "{raw:?}"
        );
    }
}

#[test]
fn bad_flags_and_flag_values_are_64_unknown_references_65() {
    let db = TestDb::sqlite();
    db.migrated();
    let unknown = AttemptId::new_v4().to_string();
    for args in [
        &["attempts", "list", "--failed", "--succeeded"][..],
        &["attempts", "list", "--type", "sso"],
        &["attempts", "list", "--after", "42"],
        &["attempts", "list", "--limit", "0"],
        &["attempts", "list", "--all", "--limit", "5"],
        &["attempts", "list", "--user", "bob"],
        &["attempts", "top", "--by", "device"],
        &["attempts", "check"],
        &["attempts", "check", "--ip", "10.0.0.1", "--max", "five"],
        &["attempts", "clear"],
        &[
            "attempts",
            "clear",
            "--ip",
            "10.0.0.1",
            "--email",
            "a@example.com",
        ],
        &["attempts", "frobnicate"],
        // A flag's value that does not parse or is out of range is a usage error
        // too, whoever rejects it (clap or authctl): one rule.
        &["attempts", "list", "--ip", "300.1.1.1"],
        &["attempts", "list", "--ip", "10.0.0.0/33"],
        &["attempts", "list", "--ip", "2001:db8::/129"],
        &["attempts", "list", "--since", "yesterday"],
        &["attempts", "list", "--until", "soon"],
        &["attempts", "list", "--email", "  "],
        &["attempts", "top", "--since=-5m"],
        &["attempts", "check", "--ip", "10.0.0.0/8"],
        &["attempts", "check", "--ip", "localhost"],
        &["attempts", "check", "--ip", "10.0.0.1", "--window", "0m"],
        &["attempts", "check", "--ip", "10.0.0.1", "--window", "25h"],
        &["attempts", "check", "--ip", "10.0.0.1", "--window", "90s"],
        &[
            "attempts", "check", "--ip", "10.0.0.1", "--window", "forever",
        ],
        &["attempts", "check", "--ip", "10.0.0.1", "--max", "0"],
        &["attempts", "check", "--ip", "10.0.0.1", "--max", "1001"],
        &["attempts", "check", "--ip", "10.0.0.1", "--max", "-3"],
        &["attempts", "blocked", "--window", "2d"],
        &["attempts", "blocked", "--max", "0"],
        &["attempts", "clear", "--ip", "10.0.0.0/8", "--yes"],
        &[
            "attempts", "clear", "--ip", "10.0.0.1", "--window", "0m", "--yes",
        ],
    ] {
        let (_, err) = run(&db, args, 64);
        assert!(
            err.starts_with("authctl: error: ") || err.starts_with("error: "),
            "{args:?}: {err}"
        );
    }
    // References checked against the data: 65.
    for args in [
        &["attempts", "list", "--after", &unknown][..],
        &["attempts", "list", "--user", "nobody@example.com"],
    ] {
        let (_, err) = run(&db, args, 65);
        assert!(err.starts_with("authctl: error: "), "{args:?}: {err}");
    }
    // The edges of the accepted ranges.
    run(
        &db,
        &[
            "attempts", "check", "--ip", "10.0.0.1", "--window", "1m", "--max", "1",
        ],
        0,
    );
    run(
        &db,
        &[
            "attempts", "check", "--ip", "10.0.0.1", "--window", "1d", "--max", "1000",
        ],
        0,
    );
    run(&db, &["attempts", "blocked", "--window", "24h"], 0);
    // Help states what top scans.
    let (help, _) = run(&db, &["attempts", "top", "--help"], 0);
    assert!(
        help.contains("idx_auth_attempts_rate_limit") && help.contains("never the whole table"),
        "{help}"
    );
}

per_backend! {
    /// The application records `auth_attempts.email` as typed (`Office@Example.com`):
    /// `list --email`, `top --by email` and `clear --email` match it in any case, on
    /// both backends.
    fn email_matches_the_stored_email_in_any_case(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let now = UtcDateTime::now();
        let office = user(&mut conn, "office@example.com");
        let stored = [
            "Office@Example.com",
            "OFFICE@EXAMPLE.COM",
            "office@example.com",
        ];
        for (i, e) in stored.iter().enumerate() {
            At::failed("198.51.100.7", (i as i64 + 1) * MIN)
                .email(e)
                .insert(&mut conn, now);
        }
        At::ok("198.51.100.7", 30)
            .email("Office@example.COM")
            .insert(&mut conn, now);
        At::failed("198.51.100.8", MIN)
            .email("Other@Example.com")
            .insert(&mut conn, now);

        for needle in [
            "office@example.com",
            "Office@EXAMPLE.com",
            " OFFICE@example.com ",
        ] {
            let all = json(&db, &["attempts", "list", "--email", needle], 0);
            let emails: BTreeSet<&str> = all
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["email"].as_str().unwrap())
                .collect();
            // Shown as stored.
            assert_eq!(
                emails,
                BTreeSet::from([
                    "Office@Example.com",
                    "OFFICE@EXAMPLE.COM",
                    "office@example.com",
                    "Office@example.COM"
                ]),
                "{l} --email {needle:?}: {all}"
            );
            let failed = json(&db, &["attempts", "list", "--email", needle, "--failed"], 0);
            assert_eq!(failed.as_array().unwrap().len(), 3, "{l}: {failed}");
        }

        // One group per email whatever its case, keyed lower-cased.
        let top = json(&db, &["attempts", "top", "--by", "email"], 0);
        assert_eq!(top.as_array().unwrap().len(), 2, "{l}: {top}");
        assert_eq!(top[0]["email"], "office@example.com", "{l}: {top}");
        assert_eq!(top[0]["failed"], 3, "{l}: {top}");
        assert_eq!(top[0]["distinct_ips"], 1);
        assert_eq!(top[1]["email"], "other@example.com");

        // clear deletes the failures in every case, and audits on the user.
        let v = json(
            &db,
            &[
                "--yes",
                "attempts",
                "clear",
                "--email",
                "OFFICE@Example.Com",
            ],
            0,
        );
        assert_eq!(v["deleted"], 3, "{l}: {v}");
        assert_eq!(
            count(
                &db,
                "SELECT count(*) AS n FROM auth_attempts WHERE ip_address = '198.51.100.7'"
            ),
            1,
            "{l}: only the success is left"
        );
        assert_eq!(
            count(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM authctl_audit_events \
                     WHERE action = 'attempts.clear' AND user_id = '{office}'"
                )
            ),
            1,
            "{l}"
        );
    }
}

/// SQL statements authctl ran that read `auth_attempts` (from `-vv`).
fn attempt_statements(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| {
            // Quoted or not (Diesel quotes names with ` on SQLite, " on PostgreSQL).
            l.starts_with("authctl: sql:")
                && l.replace(['`', '"'], "").contains("FROM auth_attempts")
        })
        .count()
}

per_backend! {
    /// 300 blocked addresses (IPv4 and IPv6, 5 to 7 failures each) among others that
    /// are not blocked: `blocked` lists exactly them, with the application's
    /// blocked-until, in one statement (not one per address) — and on PostgreSQL the
    /// application's `check_rate_limit` agrees address by address; `stats` counts them
    /// in a fixed number of statements.
    fn many_blocked_ips_in_one_query_equal_check_rate_limit(db) {
        const BLOCKED: i64 = 300;
        let l = db.label();
        let mut conn = db.migrated();
        let now = UtcDateTime::now();
        let mut expected = std::collections::BTreeMap::new();
        let ip = |i: i64| -> String {
            let s = if i % 10 == 0 {
                format!("2001:db8::{i:x}")
            } else {
                format!("10.{}.{}.{}", i / 250, i % 250, i % 7)
            };
            s.parse::<Inet>().unwrap().to_string()
        };
        conn.transaction(|conn| {
            for i in 0..BLOCKED {
                let a = ip(i);
                // 5, 6 or 7 failures, k minutes and i seconds ago.
                let n = 5 + i % 3;
                for k in 0..n {
                    At::failed(&a, (k + 1) * MIN + i).insert(conn, now);
                }
                // The 5th newest failure leaves the window 15 minutes after it.
                let until =
                    now - chrono::Duration::seconds(5 * MIN + i) + chrono::Duration::minutes(15);
                expected.insert(a, (n, until));
            }
            for i in BLOCKED..BLOCKED + 150 {
                let a = ip(i);
                // 4 failures in the window (one more just outside it), or 5 of
                // which one is a success: never blocked.
                for k in 0..4 {
                    At::failed(&a, (k + 1) * MIN).insert(conn, now);
                }
                if i % 2 == 0 {
                    At::failed(&a, 15 * MIN + 30).insert(conn, now);
                } else {
                    At::ok(&a, 30).insert(conn, now);
                }
            }
            Ok::<_, diesel::result::Error>(())
        })
        .unwrap();

        let (out, err) = run(&db, &["-vv", "-o", "json", "attempts", "blocked"], 0);
        let listed: Value = serde_json::from_str(&out).unwrap();
        let got: std::collections::BTreeMap<String, (i64, UtcDateTime)> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["ip_address"].as_str().unwrap().to_owned(),
                    (
                        r["failed"].as_i64().unwrap(),
                        UtcDateTime::parse_text(r["blocked_until"].as_str().unwrap()).unwrap(),
                    ),
                )
            })
            .collect();
        assert_eq!(got.len(), BLOCKED as usize, "{l}");
        assert_eq!(got, expected, "{l}");
        // Most failures first.
        let failed: Vec<i64> = listed
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["failed"].as_i64().unwrap())
            .collect();
        assert!(failed.windows(2).all(|w| w[0] >= w[1]), "{l}: {failed:?}");
        assert_eq!(
            attempt_statements(&err),
            1,
            "{l}: one statement for {BLOCKED} blocked IPs:\n{err}"
        );

        if let TestDb::Postgres(pg) = &db {
            let by_app: BTreeSet<String> = pg
                .strings(
                    "SELECT abbrev(ip) AS v FROM (SELECT DISTINCT ip_address AS ip FROM auth_attempts) s \
                     WHERE NOT check_rate_limit(ip)",
                )
                .into_iter()
                .collect();
            assert_eq!(
                by_app,
                expected.keys().cloned().collect::<BTreeSet<_>>(),
                "check_rate_limit"
            );
        }

        let (out, err) = run(&db, &["-vv", "-o", "json", "stats"], 0);
        let s: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(s["rate_limit"]["blocked_ips"], BLOCKED, "{l}");
        let n = attempt_statements(&err);
        assert!(
            n <= 3,
            "{l}: stats read auth_attempts in {n} statements:\n{err}"
        );
        let s = json(&db, &["stats", "--max", "7"], 0);
        assert_eq!(s["rate_limit"]["blocked_ips"], BLOCKED / 3, "{l}");
    }
}

/// Rows inserted `minutes` ago on the server's clock.
fn failures_at_server_time(pg: &PgDb, ip: &str, minutes: &[i64]) {
    for m in minutes {
        pg.psql(&format!(
            "INSERT INTO auth_attempts (ip_address, success, \"timestamp\") \
             VALUES ('{ip}', false, now() - interval '{m} minutes')"
        ));
    }
}

/// authctl run with this machine's clock shifted by `shift` (libfaketime), against
/// `db`; returns (exit code, stdout, stderr).
fn skewed(db: &TestDb, shift: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let mut cmd = db.authctl();
    let out = common::shift_clock(&mut cmd, shift)
        .env("AUTHCTL_ACTOR", "oncall")
        .args(args)
        .output()
        .expect("run authctl");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The application's window is the server's `CURRENT_TIMESTAMP`: with this
/// machine's clock 11 minutes ahead or behind, `check`, `blocked`, `stats` and
/// `clear` still answer what `check_rate_limit` answers on PostgreSQL.
#[test]
fn windows_count_on_the_servers_clock() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    if !common::has_faketime() {
        return;
    }
    drop(db.migrated());
    let TestDb::Postgres(pg) = &db else {
        unreachable!()
    };
    // Blocked now (5 failures 5–9 minutes ago), but not for a clock 11 minutes ahead.
    failures_at_server_time(pg, "203.0.113.5", &[5, 6, 7, 8, 9]);
    // Allowed now (5 failures 16–20 minutes ago), but blocked for a clock 11 minutes behind.
    failures_at_server_time(pg, "203.0.113.6", &[16, 17, 18, 19, 20]);
    let app = |ip: &str| pg.strings(&format!("SELECT check_rate_limit('{ip}'::inet)::text AS v"));
    assert_eq!(app("203.0.113.5"), vec!["false"]);
    assert_eq!(app("203.0.113.6"), vec!["true"]);

    for shift in ["+11m", "-11m"] {
        for (ip, allowed) in [("203.0.113.5", false), ("203.0.113.6", true)] {
            let (code, out, err) =
                skewed(&db, shift, &["-o", "json", "attempts", "check", "--ip", ip]);
            let v: Value = serde_json::from_str(&out)
                .unwrap_or_else(|e| panic!("{shift} {ip}: {e}: {out}\n{err}"));
            assert_eq!(v["allowed"], allowed, "clock {shift}, {ip}: {v}\n{err}");
            assert_eq!(code, Some(if allowed { 0 } else { 1 }), "{shift} {ip}");
        }
        let (code, out, err) = skewed(&db, shift, &["-o", "json", "attempts", "blocked"]);
        assert_eq!(code, Some(0), "{err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        let ips: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ip_address"].as_str().unwrap())
            .collect();
        assert_eq!(ips, vec!["203.0.113.5"], "clock {shift}");
        let (code, out, err) = skewed(&db, shift, &["-o", "json", "stats"]);
        assert_eq!(code, Some(0), "{err}");
        let s: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(s["rate_limit"]["blocked_ips"], 1, "clock {shift}: {s}");
        let failed_15m = &s["attempts"][0];
        assert_eq!(failed_15m["window"], "15m");
        assert_eq!(failed_15m["failed"], 5, "clock {shift}: {s}");
    }
    // clear counts the same window: a clock 11 minutes ahead still finds the 5, and
    // one 11 minutes behind leaves the older failures alone.
    for (shift, ip, deleted) in [("+11m", "203.0.113.5", 5), ("-11m", "203.0.113.6", 0)] {
        let args = ["--yes", "-o", "json", "attempts", "clear", "--ip", ip];
        let (code, out, err) = skewed(&db, shift, &args);
        assert_eq!(code, Some(0), "clock {shift}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["deleted"], deleted, "clock {shift}: {v}");
    }
    assert_eq!(app("203.0.113.5"), vec!["true"]);
}

per_backend! {
    /// `top --limit N` says so on stderr when more groups exist, in every format, as
    /// the lists do; not when all were shown, not with `--quiet`.
    fn top_cut_at_limit_says_more_may_follow(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let now = UtcDateTime::now();
        for (i, ip) in ["192.0.2.1", "192.0.2.2", "192.0.2.3"].iter().enumerate() {
            for _ in 0..=i {
                At::failed(ip, MIN).insert(&mut conn, now);
            }
        }
        for format in ["table", "json", "csv"] {
            let (out, err) = run(&db, &["-o", format, "attempts", "top", "--limit", "2"], 0);
            assert!(
                out.contains("192.0.2.3") && !out.contains("192.0.2.1"),
                "{l} {format}: {out}"
            );
            assert!(err.contains("more may follow"), "{l} {format}: {err}");
            assert!(err.contains("--limit"), "{l} {format}: {err}");
            let (_, err) = run(&db, &["-o", format, "attempts", "top", "--limit", "3"], 0);
            assert!(!err.contains("more may follow"), "{l} {format}: {err}");
            let (_, err) = run(
                &db,
                &["-q", "-o", format, "attempts", "top", "--limit", "2"],
                0,
            );
            assert!(!err.contains("more may follow"), "{l} {format}: {err}");
        }
    }
}
