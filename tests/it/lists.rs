//! Every listing speaks one vocabulary: the CSV header is the JSON field names in JSON's
//! order, the "more may follow" hint is one sentence on stderr in every format, and
//! `--all` as a table prints its header once.

use std::fmt;

use authctl::db::{DbConn, Inet, UtcDateTime};
use authctl::repo::{self, AuditAction, NewAuditEvent, NewUser};
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::common::TestDb;

const FAKE_HASH: &str = "$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ0123456";

/// `n` users, each with a refresh token, a login session, a failed login attempt
/// (the first six from one IP, so it is blocked) and an audit event.
fn seed(db: &TestDb, n: usize) -> DbConn {
    let mut conn = db.migrated();
    conn.transaction::<_, anyhow::Error, _>(|conn| {
        for i in 0..n {
            let email = format!("u{i:05}@example.com");
            let mut new = NewUser::new(&email, FAKE_HASH);
            new.name = Some("Name, \"quoted\"");
            let u = new.insert(conn)?;
            let token = format!("token-{i:05}-0123456789abcdef0123456789abcdef");
            let mut t = repo::refresh_tokens::NewRefreshToken::new(
                u.id,
                &token,
                UtcDateTime::now() + chrono::Duration::days(1),
            );
            t.user_agent = Some("agent\u{1b}[2J");
            repo::refresh_tokens::create(conn, &t)?;
            repo::login_sessions::create(
                conn,
                &repo::login_sessions::NewSession::new(u.id, chrono::Duration::days(1)),
            )?;
            let ip = if i < 6 {
                "203.0.113.9".to_owned()
            } else {
                format!("10.0.{}.{}", i / 250, i % 250 + 1)
            };
            let mut a = repo::auth_attempts::NewAttempt::failed_login(
                Inet::host(ip.parse().unwrap()),
                Some(&email),
            );
            a.user_id = Some(u.id);
            a.insert(conn)?;
            NewAuditEvent {
                actor: "tester",
                action: AuditAction::UserUpdate,
                user_id: Some(u.id),
                user_email: Some(&email),
                detail: Some(serde_json::json!({"name": {"old": null, "new": "x"}})),
            }
            .append(conn)?;
        }
        Ok(())
    })
    .expect("seed");
    conn
}

fn run(db: &TestDb, args: &[&str]) -> (String, String) {
    let r = db.run(args).expect_code(0, format_args!("{args:?}"));
    (r.stdout, r.stderr)
}

/// The keys of one JSON object, in the order the text has them.
struct Keys(Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(k);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_map(V)
    }
}

/// The lists, with arguments that show every row kind.
const LISTS: &[&[&str]] = &[
    &["users", "list"],
    &["sessions", "list", "--state", "all"],
    &["tokens", "list", "--state", "all"],
    &["audit", "list"],
    &["attempts", "list"],
    &["attempts", "top", "--by", "ip"],
    &["attempts", "top", "--by", "email"],
    &["attempts", "top", "--by", "user"],
    &["attempts", "blocked"],
];

per_backend! {
    /// For every list, on both backends: the CSV header is exactly the keys of the
    /// JSON objects, in JSON's order, and each CSV row carries the JSON values (ids,
    /// revocation times, …; text escaped as in tables).
    fn csv_header_is_the_json_field_names_for_every_list(db) {
        let l = db.label();
        seed(&db, 8);
        for list in LISTS {
            let (json_text, _) = run(&db, &[&["-o", "json"], *list].concat());
            let objects: Vec<Keys> = serde_json::from_str(&json_text)
                .unwrap_or_else(|e| panic!("{l} {list:?}: {e}: {json_text}"));
            let values: Vec<serde_json::Value> = serde_json::from_str(&json_text).unwrap();
            assert!(!objects.is_empty(), "{l} {list:?}: rows");
            let (csv_text, _) = run(&db, &[&["-o", "csv"], *list].concat());
            let mut r = csv::Reader::from_reader(csv_text.as_bytes());
            let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
            for keys in &objects {
                assert_eq!(header, keys.0, "{l} {list:?}: CSV header = JSON keys");
            }
            let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
            assert_eq!(rows.len(), values.len(), "{l} {list:?}: one row per object");
            for (row, obj) in rows.iter().zip(&values) {
                for (name, cell) in header.iter().zip(row.iter()) {
                    let expected = match &obj[name] {
                        serde_json::Value::Null => String::new(),
                        serde_json::Value::String(s) => s.replace('\u{1b}', "\\u{1b}"),
                        other => other.to_string(),
                    };
                    assert_eq!(cell, expected, "{l} {list:?}: {name}");
                }
            }
        }
    }
}

per_backend! {
    /// When more rows follow a page, every list prints the same hint on stderr in
    /// table, JSON and CSV — one sentence — and when none follow (a page not full,
    /// or exactly `--limit` rows left) it prints none.
    fn the_paging_hint_is_the_same_in_every_format(db) {
        let l = db.label();
        seed(&db, 3);
        for (list, flag, all) in [
            (&["users", "list"][..], "--after", true),
            (&["sessions", "list"][..], "--after", true),
            (&["tokens", "list"][..], "--after", true),
            (&["attempts", "list"][..], "--after", true),
            (&["audit", "list"][..], "--before", false),
        ] {
            let (json_text, _) = run(&db, &[&["-o", "json"], list, &["--limit", "2"]].concat());
            let v: serde_json::Value = serde_json::from_str(&json_text).unwrap();
            let last = v[1]["id"].to_string().trim_matches('"').to_owned();
            let last = if list[0] == "users" {
                v[1]["email"].as_str().unwrap().to_owned()
            } else {
                last
            };
            let expected = format!(
                "more may follow: {flag} {last} for the next page{}\n",
                if all { ", --all for every row" } else { "" }
            );
            let (every, _) = run(&db, &[&["-o", "json"], list, &["--limit", "50"]].concat());
            let n = serde_json::from_str::<serde_json::Value>(&every).unwrap()
                .as_array()
                .unwrap()
                .len()
                .to_string();
            let (_, err) = run(&db, &[list, &["--limit", n.as_str()]].concat());
            assert_eq!(err, "", "{l} {list:?}: exactly --limit ({n}) rows: no hint");
            for format in ["table", "json", "csv"] {
                let (_, err) = run(&db, &[&["-o", format], list, &["--limit", "2"]].concat());
                assert_eq!(err, expected, "{l} {list:?} -o {format}");
                let (_, err) = run(&db, &[&["-o", format], list, &["--limit", "50"]].concat());
                assert_eq!(err, "", "{l} {list:?} -o {format}: not full, no hint");
                let (_, err) = run(
                    &db,
                    &[&["-q", "-o", format], list, &["--limit", "2"]].concat(),
                );
                assert_eq!(err, "", "{l} {list:?} -o {format}: --quiet");
            }
        }
    }
}

per_backend! {
    /// `--all` as a table over more rows than a page (users: 1000, tokens, sessions
    /// and attempts: 500) prints its header once, then one line per row.
    fn all_as_a_table_prints_its_header_once(db) {
        const N: usize = 1105;
        let l = db.label();
        seed(&db, N);
        for (list, header_word) in [
            (&["users", "list", "--all"][..], "LAST LOGIN"),
            (&["tokens", "list", "--all"][..], "FINGERPRINT"),
            (&["sessions", "list", "--all"][..], "LAST ACTIVITY"),
            (&["attempts", "list", "--all"][..], "FAILURE REASON"),
        ] {
            let (out, err) = run(&db, list);
            assert_eq!(err, "", "{l} {list:?}: no hint with --all");
            let headers = out
                .lines()
                .filter(|line| line.contains(header_word))
                .count();
            assert_eq!(headers, 1, "{l} {list:?}: the header once");
            let first = out.lines().next().unwrap_or_default();
            assert!(
                first.starts_with("ID "),
                "{l} {list:?}: header first: {first}"
            );
            assert_eq!(out.lines().count(), N + 1, "{l} {list:?}: a line per row");
            assert!(!out.contains('\u{1b}'), "{l} {list:?}: escaped, uncoloured");
            // The second column starts under its header on every line.
            let second = first[2..].find(|c: char| c != ' ').unwrap() + 2;
            assert!(
                out.lines().skip(1).all(|line| {
                    let b = line.as_bytes();
                    b.len() > second && b[second - 1] == b' ' && b[second] != b' '
                }),
                "{l} {list:?}: aligned"
            );
        }
    }
}
