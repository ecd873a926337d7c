//! `authctl audit list` through the real binary, on every backend: the events the
//! revoke commands write, filtered by user, action, time and id.

mod common;

use serde_json::Value;

use crate::common::TestDb;
use crate::credentials::{SESSIONS, TOKENS, json, run, run_cmd, user};

/// The `(action, actor)` of a JSON array of events.
fn actions(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn pair(action: &str, actor: &str) -> (String, String) {
    (action.to_owned(), actor.to_owned())
}

/// Two users; ann's session revoked by alice (`--actor`), ben's token by bob
/// (`AUTHCTL_ACTOR`). Returns the user ids.
fn setup(db: &TestDb) -> (i64, i64) {
    let mut conn = db.migrated();
    let ann = user(&mut conn, "ann@example.com");
    let ben = user(&mut conn, "ben@example.com");
    let (session, _) = (SESSIONS.create)(&mut conn, ann);
    let (token, _) = (TOKENS.create)(&mut conn, ben);
    run(
        db,
        &[
            "sessions",
            "revoke",
            &session.to_string(),
            "--actor",
            "alice",
            "--reason",
            "stolen",
        ],
        0,
    );
    run_cmd(
        db.authctl()
            .args(["tokens", "revoke", &token.to_string()])
            .env("AUTHCTL_ACTOR", "bob"),
        db,
        &["tokens", "revoke"],
        0,
    );
    (ann, ben)
}

fn list(db: &TestDb, args: &[&str]) -> Value {
    let mut all = vec!["audit", "list", "-o", "json"];
    all.extend(args);
    json(db, &run(db, &all, 0).0)
}

#[test]
fn lists_newest_first_with_filters() {
    for db in TestDb::all() {
        let l = db.label();
        let (ann, ben) = setup(&db);

        let v = list(&db, &[]);
        assert_eq!(
            actions(&v),
            vec![pair("token.revoke", "bob"), pair("session.revoke", "alice")],
            "{l}: newest first"
        );
        let e = &v[1];
        assert_eq!(e["user_id"], ann, "{l}");
        assert_eq!(e["user_email"], "ann@example.com", "{l}");
        assert_eq!(e["detail"]["reason"], "stolen", "{l}: detail is an object");
        assert_eq!(e["detail"]["scope"], "id", "{l}");
        assert!(e["occurred_at"].as_str().unwrap().ends_with('Z'), "{l}");
        assert!(e["id"].is_i64(), "{l}");

        // --user by email or id, --action.
        let v = list(&db, &["--user", "ann@example.com"]);
        assert_eq!(actions(&v), vec![pair("session.revoke", "alice")], "{l}");
        let v = list(&db, &["--user", &ben.to_string()]);
        assert_eq!(actions(&v), vec![pair("token.revoke", "bob")], "{l}");
        let v = list(&db, &["--action", "session.revoke"]);
        assert_eq!(actions(&v), vec![pair("session.revoke", "alice")], "{l}");
        let v = list(&db, &["--action", "user.delete"]);
        assert_eq!(v, serde_json::json!([]), "{l}");

        // --since: a duration or a time. Move alice's event two days back.
        db.exec(
            "UPDATE audit_events SET occurred_at = '2001-01-01 00:00:00' \
             WHERE action = 'session.revoke'",
        );
        let v = list(&db, &["--since", "24h"]);
        assert_eq!(actions(&v), vec![pair("token.revoke", "bob")], "{l}");
        let v = list(&db, &["--since", "2000-12-31T23:00:00Z"]);
        assert_eq!(v.as_array().unwrap().len(), 2, "{l}");
        let v = list(&db, &["--since", "2999-01-01"]);
        assert_eq!(v, serde_json::json!([]), "{l}");

        // --limit and --before page through the events.
        let first = list(&db, &["--limit", "1"]);
        assert_eq!(actions(&first), vec![pair("token.revoke", "bob")], "{l}");
        let cursor = first[0]["id"].as_i64().unwrap().to_string();
        let next = list(&db, &["--limit", "1", "--before", &cursor]);
        assert_eq!(actions(&next), vec![pair("session.revoke", "alice")], "{l}");

        // Table and CSV: the user's email, compact JSON detail.
        let (out, _) = run(&db, &["audit", "list"], 0);
        assert!(
            out.contains("ann@example.com") && out.contains("token.revoke"),
            "{l}: {out}"
        );
        let (out, _) = run(&db, &["audit", "list", "-o", "csv"], 0);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "ID,TIME,ACTOR,ACTION,USER,DETAIL", "{l}");
        assert!(
            lines[2].contains(",alice,session.revoke,ann@example.com,"),
            "{l}: {out}"
        );
        assert!(lines[2].contains(r#""reason"":""stolen"""#), "{l}: {out}");

        // Errors name the value and exit 65 (data) or 64 (usage).
        let (_, err) = run(&db, &["audit", "list", "--since", "yesterday"], 65);
        assert!(err.contains("yesterday"), "{l}: {err}");
        let (_, err) = run(&db, &["audit", "list", "--user", "nobody@example.com"], 65);
        assert!(err.contains("nobody@example.com"), "{l}: {err}");
        for bad in [
            ["--before", "-4"],
            ["--before", "x"],
            ["--limit", "0"],
            ["--user", "ann"],
        ] {
            let (_, err) = run(&db, &["audit", "list", bad[0], bad[1]], 64);
            assert!(err.contains(bad[1]), "{l}: {bad:?}: {err}");
        }
    }
}

#[test]
fn events_of_deleted_users_remain_listed() {
    for db in TestDb::all() {
        let l = db.label();
        let (ann, _) = setup(&db);
        let mut conn = db.connect();
        assert!(authctl::repo::users::delete(&mut conn, ann).unwrap());

        let v = list(&db, &[]);
        assert_eq!(v.as_array().unwrap().len(), 2, "{l}: {v}");
        let e = &v[1];
        assert_eq!(e["action"], "session.revoke", "{l}");
        assert_eq!(e["user_id"], Value::Null, "{l}: unlinked by the schema");
        assert_eq!(e["user_email"], Value::Null, "{l}");
        assert_eq!(e["detail"]["user_id"], ann, "{l}: the detail keeps the id");
        let (out, _) = run(&db, &["audit", "list", "-o", "csv"], 0);
        assert!(
            out.lines()
                .nth(2)
                .unwrap()
                .contains(",alice,session.revoke,-,"),
            "{l}: {out}"
        );

        // The email no longer resolves; an id is accepted without a user.
        run(&db, &["audit", "list", "--user", "ann@example.com"], 65);
        let v = list(&db, &["--user", &ann.to_string()]);
        assert_eq!(v, serde_json::json!([]), "{l}: the schema cleared user_id");
        let v = list(&db, &["--action", "session.revoke"]);
        assert_eq!(v.as_array().unwrap().len(), 1, "{l}");
    }
}
