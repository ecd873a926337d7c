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

per_backend! {
    /// `--quiet` means one thing in every format: nothing on stdout or stderr on
    /// success — no rows, no report, no note. Before, a table was silenced but JSON
    /// and CSV still printed.
    fn quiet_prints_nothing_in_any_format(db) {
        let l = db.label();
        seed(&db, 8);
        let mut commands: Vec<Vec<&str>> = LISTS.iter().map(|c| c.to_vec()).collect();
        commands.extend([
            vec!["users", "show", "u00001@example.com"],
            vec!["stats"],
            vec!["migrate", "status"],
            vec!["attempts", "check", "--ip", "192.0.2.200"],
        ]);
        for (i, format) in ["table", "json", "csv"].into_iter().enumerate() {
            let disabled = format!("u0000{}@example.com", 3 + i);
            let changes: Vec<Vec<&str>> = vec![
                vec!["users", "update", "u00002@example.com", "--name", format],
                vec!["users", "disable", &disabled],
                vec!["tokens", "revoke", "--user", "u00006@example.com"],
            ];
            for args in commands.iter().chain(&changes) {
                let r = db
                    .run(&[&["-q", "-o", format][..], args].concat())
                    .expect_code(0, format_args!("{l} -q -o {format} {args:?}"));
                assert_eq!(
                    (r.stdout.as_str(), r.stderr.as_str()),
                    ("", ""),
                    "{l} -q -o {format} {args:?}"
                );
            }
        }
    }
}

/// Every date-time in `text` (`YYYY-MM-DD…` up to the next space, comma or
/// bracket).
fn times_in(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut found = Vec::new();
    let mut i = 0;
    while i + 10 <= b.len() {
        let at_date = (0..4).all(|k| digit(i + k))
            && b[i + 4] == b'-'
            && digit(i + 5)
            && digit(i + 6)
            && b[i + 7] == b'-'
            && digit(i + 8)
            && digit(i + 9)
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
            // Not a migration's name (`2026-11-29-000001_…`).
            && b.get(i + 10) != Some(&b'-');
        if at_date {
            let end = text[i..]
                .find(|c: char| c.is_whitespace() || matches!(c, ',' | ')' | '│' | '|'))
                .map_or(text.len(), |n| i + n);
            // A table that shows `2026-01-01 12:00:00 UTC` splits at the space:
            // keep what follows so that form is caught too.
            let rest = &text[end..];
            let tail = if end - i == 10
                && rest.starts_with(' ')
                && rest[1..].starts_with(|c: char| c.is_ascii_digit())
            {
                rest.split_whitespace()
                    .next()
                    .map(|t| format!(" {t}"))
                    .unwrap_or_default()
            } else {
                String::new()
            };
            found.push(format!("{}{tail}", text[i..end].trim_end_matches(':')));
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// `2026-05-01T12:00:00Z`: RFC 3339 UTC to the second.
fn is_table_time(t: &str) -> bool {
    let b = t.as_bytes();
    b.len() == 20
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
        && [11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

per_backend! {
    /// Every table shows times one way — RFC 3339 UTC to the second
    /// (`2026-05-01T12:00:00Z`), what `--since` accepts back. Before, user tables
    /// showed `2026-05-01 12:00:00 UTC` and the others RFC 3339 with microseconds.
    fn tables_show_times_one_way(db) {
        let l = db.label();
        seed(&db, 8);
        db.exec("UPDATE users SET last_login = created_at");
        let mut commands: Vec<Vec<&str>> = LISTS.iter().map(|c| c.to_vec()).collect();
        commands.extend([
            vec!["users", "show", "u00001@example.com"],
            vec!["migrate", "status"],
            vec!["attempts", "check", "--ip", "203.0.113.9"],
        ]);
        for args in &commands {
            let r = db.run(args);
            assert!(r.code == 0 || r.code == 1, "{l} {args:?}\n{r}");
            let times = times_in(&r.stdout);
            assert!(!times.is_empty(), "{l} {args:?}: no time in\n{}", r.stdout);
            for t in times {
                assert!(is_table_time(&t), "{l} {args:?}: time {t:?} in\n{}", r.stdout);
            }
        }
    }
}
