//! `authctl audit list`: filters and order over events written by the commands that
//! write them (`users …`, `sessions revoke`, `tokens revoke`, with `--actor` or
//! `AUTHCTL_ACTOR`), events of deleted users found by email, bulk revokes per user.

use crate::common;

use std::collections::BTreeSet;

use authctl::db::{DbConn, RefreshTokenId, SessionId, UserId, UtcDateTime};
use authctl::repo::{self, NewRefreshToken, NewSession};
use authctl::schema::authctl_audit_events as audit;
use diesel::prelude::*;
use serde_json::{Value, json};

use crate::common::TestDb;

/// Every action `--action` accepts.
const ACTIONS: [&str; 11] = [
    "user.create",
    "user.update",
    "user.disable",
    "user.enable",
    "user.reset_password",
    "user.delete",
    "session.revoke",
    "token.revoke",
    "audit.purge",
    "attempts.clear",
    "data.import",
];

/// Run authctl with `env`, expecting `code`; returns (stdout, stderr).
#[track_caller]
fn run_env(db: &TestDb, env: &[(&str, &str)], args: &[&str], code: i32) -> (String, String) {
    let mut cmd = db.authctl();
    // bcrypt at the lowest cost authctl allows: these tests never log in.
    cmd.env("AUTHCTL_BCRYPT_COST", "10");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let r = common::run(cmd.args(args));
    assert_eq!(r.code, code, "{}: authctl {args:?}\n{r}", db.label());
    (r.stdout, r.stderr)
}

#[track_caller]
fn run(db: &TestDb, args: &[&str], code: i32) -> (String, String) {
    run_env(db, &[], args, code)
}

#[track_caller]
fn parse(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("not JSON ({e}):\n{out}"))
}

/// `audit list -o json ARGS`.
#[track_caller]
fn list(db: &TestDb, args: &[&str]) -> Value {
    let mut all = vec!["audit", "list", "-o", "json"];
    all.extend(args);
    parse(&run(db, &all, 0).0)
}

/// The `(action, actor, user_email)` of each event of a JSON array.
fn summary(v: &Value) -> Vec<(String, String, String)> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|e| {
            (
                e["action"].as_str().unwrap().to_owned(),
                e["actor"].as_str().unwrap().to_owned(),
                e["user_email"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

fn ev(action: &str, actor: &str, email: &str) -> (String, String, String) {
    (action.to_owned(), actor.to_owned(), email.to_owned())
}

/// The event ids of a JSON array, in order.
fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().expect("integer id"))
        .collect()
}

/// Create a user through the binary as `actor`; returns its id.
#[track_caller]
fn create_user(db: &TestDb, email: &str, actor: &str) -> UserId {
    let (out, _) = run(
        db,
        &[
            "--actor",
            actor,
            "-o",
            "json",
            "users",
            "create",
            email,
            "--generate-password",
        ],
        0,
    );
    parse(&out)["id"].as_str().unwrap().parse().unwrap()
}

fn new_session(conn: &mut DbConn, user: UserId) -> SessionId {
    repo::login_sessions::create(conn, &NewSession::new(user, chrono::Duration::days(7)))
        .unwrap()
        .session_id
}

fn new_token(conn: &mut DbConn, user: UserId) -> RefreshTokenId {
    let raw = format!("refresh.{user}.{}", RefreshTokenId::new_v4());
    let expires = UtcDateTime::now() + chrono::Duration::days(7);
    repo::refresh_tokens::create(conn, &NewRefreshToken::new(user, &raw, expires))
        .unwrap()
        .id
}

struct Setup {
    ann: UserId,
    ben: UserId,
    session: SessionId,
    token: RefreshTokenId,
}

/// Six events, oldest first: alice creates ann, bob (`AUTHCTL_ACTOR`) creates ben,
/// alice revokes ann's session (reason "stolen"), bob revokes ben's refresh token,
/// carol makes ann an admin, carol disables ben.
fn setup(db: &TestDb) -> Setup {
    let mut conn = db.migrated();
    let ann = create_user(db, "ann@example.com", "alice");
    let (out, _) = run_env(
        db,
        &[("AUTHCTL_ACTOR", "bob")],
        &[
            "-o",
            "json",
            "users",
            "create",
            "ben@example.com",
            "--generate-password",
        ],
        0,
    );
    let ben: UserId = parse(&out)["id"].as_str().unwrap().parse().unwrap();
    let session = new_session(&mut conn, ann);
    let token = new_token(&mut conn, ben);
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
    run_env(
        db,
        &[("AUTHCTL_ACTOR", "bob")],
        &["tokens", "revoke", &token.to_string()],
        0,
    );
    run(
        db,
        &[
            "--actor",
            "carol",
            "users",
            "update",
            "ann@example.com",
            "--role",
            "admin",
        ],
        0,
    );
    run(
        db,
        &[
            "--actor",
            "carol",
            "users",
            "disable",
            "ben@example.com",
            "--reason",
            "left",
        ],
        0,
    );
    Setup {
        ann,
        ben,
        session,
        token,
    }
}

/// Move events back to 2001-01-01 00:00:00 UTC.
fn backdate(db: &TestDb, event_ids: &[i64]) {
    let mut conn = db.connect();
    let then = UtcDateTime::parse_text("2001-01-01 00:00:00").unwrap();
    let n = authctl::with_conn!(&mut conn, c => diesel::update(audit::table.filter(audit::id.eq_any(event_ids)))
        .set(audit::occurred_at.eq(then))
        .execute(c))
    .unwrap();
    assert_eq!(n, event_ids.len());
}

per_backend! {
    fn lists_newest_first_with_filters(db) {
        let l = db.label();
        let s = setup(&db);
        let (ann, ben) = (s.ann.to_string(), s.ben.to_string());

        let v = list(&db, &[]);
        assert_eq!(
            summary(&v),
            vec![
                ev("user.disable", "carol", "ben@example.com"),
                ev("user.update", "carol", "ann@example.com"),
                ev("token.revoke", "bob", "ben@example.com"),
                ev("session.revoke", "alice", "ann@example.com"),
                ev("user.create", "bob", "ben@example.com"),
                ev("user.create", "alice", "ann@example.com"),
            ],
            "{l}: newest first"
        );
        let all_ids = ids(&v);
        assert!(all_ids.windows(2).all(|w| w[0] > w[1]), "{l}: {all_ids:?}");

        // The fields of one event.
        let e = &v[3];
        let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "action",
                "actor",
                "detail",
                "id",
                "occurred_at",
                "user_email",
                "user_id"
            ],
            "{l}"
        );
        assert_eq!(e["user_id"], ann, "{l}");
        assert_eq!(
            e["detail"],
            json!({"id": s.session.to_string(), "scope": "id", "reason": "stolen"}),
            "{l}: detail is an object"
        );
        let t = e["occurred_at"].as_str().unwrap();
        assert!(t.ends_with('Z'), "{l}: {t}");
        assert!(chrono::DateTime::parse_from_rfc3339(t).is_ok(), "{l}: {t}");
        assert_eq!(
            v[2]["detail"],
            json!({"id": s.token.to_string(), "scope": "id", "reason": null}),
            "{l}"
        );
        assert_eq!(v[0]["detail"]["reason"], "left", "{l}");
        assert_eq!(v[0]["detail"]["tokens_revoked"], 0, "{l}: already revoked");
        assert_eq!(
            v[1]["detail"]["role"],
            json!({"old": "user", "new": "admin"}),
            "{l}"
        );
        assert_eq!(v[5]["detail"]["password_generated"], true, "{l}");
        assert!(
            !v.to_string().contains("$2b$"),
            "{l}: a password hash in the audit trail"
        );

        // --user by email (any case) or id.
        let anns = vec![
            ev("user.update", "carol", "ann@example.com"),
            ev("session.revoke", "alice", "ann@example.com"),
            ev("user.create", "alice", "ann@example.com"),
        ];
        assert_eq!(
            summary(&list(&db, &["--user", "ann@example.com"])),
            anns,
            "{l}"
        );
        assert_eq!(
            summary(&list(&db, &["--user", " ANN@Example.COM "])),
            anns,
            "{l}"
        );
        assert_eq!(summary(&list(&db, &["--user", &ann])), anns, "{l}");
        assert_eq!(
            summary(&list(&db, &["--user", &ann.to_uppercase()])),
            anns,
            "{l}: upper-case uuid"
        );
        let v = list(&db, &["--user", &ben]);
        assert_eq!(
            summary(&v),
            vec![
                ev("user.disable", "carol", "ben@example.com"),
                ev("token.revoke", "bob", "ben@example.com"),
                ev("user.create", "bob", "ben@example.com"),
            ],
            "{l}"
        );
        // No such user: nothing, not an error (a deleted user's history is searched
        // by email; see events_of_deleted_users_are_found_by_email).
        assert_eq!(
            list(&db, &["--user", "nobody@example.com"]),
            json!([]),
            "{l}"
        );
        let unknown = UserId::new_v4().to_string();
        assert_eq!(list(&db, &["--user", &unknown]), json!([]), "{l}");

        // --action: each of the fixed list; combined with --user.
        let v = list(&db, &["--action", "session.revoke"]);
        assert_eq!(
            summary(&v),
            vec![ev("session.revoke", "alice", "ann@example.com")],
            "{l}"
        );
        for action in ACTIONS {
            let v = list(&db, &["--action", action]);
            assert!(
                v.as_array().unwrap().iter().all(|e| e["action"] == action),
                "{l}: --action {action}: {v}"
            );
        }
        assert_eq!(
            list(&db, &["--action", "user.create"])
                .as_array()
                .unwrap()
                .len(),
            2,
            "{l}"
        );
        assert_eq!(list(&db, &["--action", "user.delete"]), json!([]), "{l}");
        let v = list(
            &db,
            &["--user", "ann@example.com", "--action", "user.create"],
        );
        assert_eq!(
            summary(&v),
            vec![ev("user.create", "alice", "ann@example.com")],
            "{l}"
        );
        let v = list(&db, &["--user", &ben, "--action", "session.revoke"]);
        assert_eq!(v, json!([]), "{l}");

        // --since: a duration, a time or a date. Move ann's create and the session
        // revoke back to 2001, so time order and id order differ.
        backdate(&db, &[all_ids[3], all_ids[5]]);
        let v = list(&db, &[]);
        let reordered = vec![
            all_ids[0], all_ids[1], all_ids[2], all_ids[4], all_ids[3], all_ids[5],
        ];
        assert_eq!(ids(&v), reordered, "{l}: by time, then id");
        assert_eq!(
            list(&db, &["--since", "24h"]).as_array().unwrap().len(),
            4,
            "{l}"
        );
        assert_eq!(
            list(&db, &["--since", "30m"]).as_array().unwrap().len(),
            4,
            "{l}"
        );
        assert_eq!(
            list(&db, &["--since", "2000-12-31T23:00:00Z"])
                .as_array()
                .unwrap()
                .len(),
            6,
            "{l}"
        );
        assert_eq!(
            list(&db, &["--since", "2001-01-01T00:30:00+01:00"])
                .as_array()
                .unwrap()
                .len(),
            6,
            "{l}: an offset"
        );
        assert_eq!(
            list(&db, &["--since", "2001-01-01"])
                .as_array()
                .unwrap()
                .len(),
            6,
            "{l}: a date is midnight UTC, inclusive"
        );
        assert_eq!(
            list(&db, &["--since", "2001-01-01T00:00:00.000001Z"])
                .as_array()
                .unwrap()
                .len(),
            4,
            "{l}"
        );
        assert_eq!(list(&db, &["--since", "2999-01-01"]), json!([]), "{l}");
        let v = list(&db, &["--since", "24h", "--user", "ann@example.com"]);
        assert_eq!(
            summary(&v),
            vec![ev("user.update", "carol", "ann@example.com")],
            "{l}"
        );

        // --limit and --before page through the events on (time, id).
        let mut walked = Vec::new();
        let mut before: Option<String> = None;
        loop {
            let mut args = vec!["--limit", "1"];
            if let Some(b) = &before {
                args.extend(["--before", b.as_str()]);
            }
            let page = ids(&list(&db, &args));
            let Some(&last) = page.last() else { break };
            assert_eq!(page.len(), 1, "{l}");
            walked.push(last);
            before = Some(last.to_string());
            assert!(walked.len() <= 6, "{l}: paging does not end: {walked:?}");
        }
        assert_eq!(walked, reordered, "{l}: every event once, in order");
        let first = ids(&list(&db, &["--limit", "4"]));
        let rest = ids(&list(
            &db,
            &["--limit", "4", "--before", &first[3].to_string()],
        ));
        assert_eq!([first, rest].concat(), reordered, "{l}");
        let v = list(&db, &["--before", &all_ids[5].to_string()]);
        assert_eq!(v, json!([]), "{l}: nothing before the oldest");

        // Table: the user's email; a hint when the page is full.
        let (out, err) = run(&db, &["audit", "list"], 0);
        assert!(
            out.contains("ann@example.com")
                && out.contains("token.revoke")
                && out.contains("carol"),
            "{l}: {out}"
        );
        assert!(!err.contains("more may follow"), "{l}: {err}");
        let (_, err) = run(&db, &["audit", "list", "--limit", "2"], 0);
        assert!(
            err.contains(&format!("more may follow: --before {}", reordered[1])),
            "{l}: {err}"
        );
        let (out, _) = run(&db, &["-q", "audit", "list"], 0);
        assert_eq!(out, "", "{l}: --quiet");

        // CSV: the user's email, compact JSON detail.
        let (out, _) = run(&db, &["audit", "list", "-o", "csv"], 0);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 7, "{l}: {out}");
        assert_eq!(
            lines[0], "id,occurred_at,actor,action,user_id,user_email,detail",
            "{l}: the JSON field names"
        );
        let revoke = lines.iter().find(|r| r.contains("session.revoke")).unwrap();
        assert!(
            revoke.starts_with(&format!("{},", all_ids[3]))
                && revoke.contains(&format!(",alice,session.revoke,{},ann@example.com,", s.ann)),
            "{l}: {out}"
        );
        assert!(revoke.contains(r#""reason"":""stolen"""#), "{l}: {out}");

        // Errors name the value and exit 65 (data) or 64 (usage).
        let (_, err) = run(&db, &["audit", "list", "--since", "yesterday"], 64);
        assert!(err.contains("yesterday"), "{l}: {err}");
        for bad in [
            ["--before", "-4"],
            ["--before", "x"],
            ["--before", "0"],
            ["--limit", "0"],
            ["--limit", "x"],
            ["--user", "ann"],
            ["--user", "42"],
            ["--user", "ann@"],
            ["--action", "user.login"],
            ["--action", "USER.CREATE"],
            ["--action", ""],
        ] {
            let (_, err) = run(&db, &["audit", "list", bad[0], bad[1]], 64);
            assert!(err.contains(bad[1]), "{l}: {bad:?}: {err}");
        }
        let (_, err) = run(&db, &["audit", "list", "--action", "bogus"], 64);
        for action in ACTIONS {
            assert!(
                err.contains(action),
                "{l}: the valid actions are listed: {err}"
            );
        }
    }
}

per_backend! {
    /// A deleted user's events lose their user_id (the schema sets it NULL) but keep
    /// the email, so `--user EMAIL` still finds them, and so does `--user ID` (the
    /// `user.delete` event records which email the id had); an email also finds the events
    /// recorded with it and every event of the user who has it now.
    fn events_of_deleted_users_are_found_by_email(db) {
        let l = db.label();
        let s = setup(&db);
        run(
            &db,
            &[
                "--actor",
                "dave",
                "--yes",
                "users",
                "delete",
                "ann@example.com",
                // ann is the only admin.
                "--allow-no-admin",
            ],
            0,
        );

        let v = list(&db, &[]);
        assert_eq!(v.as_array().unwrap().len(), 7, "{l}: {v}");
        assert_eq!(
            summary(&v)[0],
            ev("user.delete", "dave", "ann@example.com"),
            "{l}"
        );
        let d = &v[0];
        assert_eq!(d["user_id"], Value::Null, "{l}: unlinked by the schema");
        assert_eq!(
            d["detail"]["id"],
            s.ann.to_string(),
            "{l}: the detail keeps the id"
        );
        assert_eq!(d["detail"]["role"], "admin", "{l}");
        for e in v.as_array().unwrap() {
            if e["user_email"] == "ann@example.com" {
                assert_eq!(e["user_id"], Value::Null, "{l}: {e}");
            } else {
                assert_eq!(e["user_id"], s.ben.to_string(), "{l}: {e}");
            }
        }

        let history = vec![
            ev("user.delete", "dave", "ann@example.com"),
            ev("user.update", "carol", "ann@example.com"),
            ev("session.revoke", "alice", "ann@example.com"),
            ev("user.create", "alice", "ann@example.com"),
        ];
        assert_eq!(
            summary(&list(&db, &["--user", "ann@example.com"])),
            history,
            "{l}: found by email"
        );
        // …and by its id: the user.delete event names the email the id had.
        assert_eq!(
            summary(&list(&db, &["--user", &s.ann.to_string()])),
            history,
            "{l}: found by the deleted user's id"
        );
        let (out, _) = run(
            &db,
            &["audit", "list", "-o", "csv", "--user", "ann@example.com"],
            0,
        );
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 5, "{l}: {out}");
        assert!(
            lines[1].contains(",dave,user.delete,,ann@example.com,"),
            "{l}: {out}"
        );

        // A new user under the same address: its events and the earlier user's.
        let again = create_user(&db, "ann@example.com", "erin");
        let v = list(&db, &["--user", "ann@example.com"]);
        let mut expected = vec![ev("user.create", "erin", "ann@example.com")];
        expected.extend(history.iter().cloned());
        assert_eq!(summary(&v), expected, "{l}");
        assert_eq!(v[0]["user_id"], again.to_string(), "{l}");
        assert_eq!(
            summary(&list(&db, &["--user", &again.to_string()])),
            vec![ev("user.create", "erin", "ann@example.com")],
            "{l}: by id only its own"
        );

        // An email change: the new address finds every event of the user (by id),
        // the old address the events recorded with it.
        run(
            &db,
            &[
                "--actor",
                "carol",
                "users",
                "update",
                "ben@example.com",
                "--email",
                "benjamin@example.com",
            ],
            0,
        );
        let v = list(&db, &["--user", "benjamin@example.com"]);
        assert_eq!(
            summary(&v),
            vec![
                ev("user.update", "carol", "benjamin@example.com"),
                ev("user.disable", "carol", "ben@example.com"),
                ev("token.revoke", "bob", "ben@example.com"),
                ev("user.create", "bob", "ben@example.com"),
            ],
            "{l}"
        );
        assert_eq!(
            summary(&list(&db, &["--user", "ben@example.com"])),
            vec![
                ev("user.disable", "carol", "ben@example.com"),
                ev("token.revoke", "bob", "ben@example.com"),
                ev("user.create", "bob", "ben@example.com"),
            ],
            "{l}"
        );
        assert_eq!(
            list(
                &db,
                &["--user", "ben@example.com", "--action", "user.delete"]
            ),
            json!([]),
            "{l}"
        );
    }
}

per_backend! {
    /// Bulk revokes record one event per user with the count and the ids; `--action`
    /// and `--user` find them.
    fn bulk_revokes_are_listed_per_user(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let ann = create_user(&db, "ann@example.com", "alice");
        let ben = create_user(&db, "ben@example.com", "alice");
        let ann_sessions: BTreeSet<String> = (0..3)
            .map(|_| new_session(&mut conn, ann).to_string())
            .collect();
        new_session(&mut conn, ben);
        let mut tokens: BTreeSet<String> = BTreeSet::new();
        for user in [ann, ann, ben] {
            tokens.insert(new_token(&mut conn, user).to_string());
        }

        run(
            &db,
            &[
                "--actor",
                "alice",
                "sessions",
                "revoke",
                "--user",
                "ann@example.com",
                "--reason",
                "offboarding",
            ],
            0,
        );
        run(
            &db,
            &[
                "--actor",
                "bob",
                "--yes",
                "tokens",
                "revoke",
                "--all-active",
            ],
            0,
        );

        let v = list(&db, &["--action", "session.revoke"]);
        assert_eq!(
            summary(&v),
            vec![ev("session.revoke", "alice", "ann@example.com")],
            "{l}"
        );
        let d = &v[0]["detail"];
        assert_eq!(d["scope"], "user", "{l}");
        assert_eq!(d["reason"], "offboarding", "{l}");
        assert_eq!(d["count"], 3, "{l}");
        let listed: BTreeSet<String> = d["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(listed, ann_sessions, "{l}");

        let v = list(&db, &["--action", "token.revoke"]);
        let mut per_user: Vec<(String, i64)> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                assert_eq!(e["actor"], "bob", "{l}");
                assert_eq!(e["detail"]["scope"], "all", "{l}");
                (
                    e["user_email"].as_str().unwrap().to_owned(),
                    e["detail"]["count"].as_i64().unwrap(),
                )
            })
            .collect();
        per_user.sort();
        assert_eq!(
            per_user,
            [
                ("ann@example.com".to_owned(), 2),
                ("ben@example.com".to_owned(), 1)
            ],
            "{l}"
        );
        let listed: BTreeSet<String> = v
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|e| e["detail"]["ids"].as_array().unwrap().clone())
            .map(|i| i.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(listed, tokens, "{l}");

        let v = list(&db, &["--user", "ben@example.com"]);
        assert_eq!(
            summary(&v),
            vec![
                ev("token.revoke", "bob", "ben@example.com"),
                ev("user.create", "alice", "ben@example.com"),
            ],
            "{l}: ben's session was not revoked"
        );
    }
}

/// Audit events and `email_verified_at` take the database's clock, like every other
/// time authctl writes: with this machine's clock three hours off, the times
/// recorded by `users create --verified`, `users update --verified` and their audit
/// events are the server's.
#[test]
fn events_and_verification_times_are_the_servers() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    if !common::has_faketime() {
        return;
    }
    drop(db.migrated());
    // Seconds between a stored time and the server's now().
    let off = |sql: &str| -> Vec<i64> {
        common::query_strings(
            &db,
            &format!(
                "SELECT CAST(CAST(abs(extract(epoch FROM now() - t)) AS bigint) AS text) AS v FROM ({sql}) AS x(t)"
            ),
        )
        .iter()
        .map(|s| s.parse().unwrap())
        .collect()
    };
    let skewed = |args: &[&str], stdin: &str| {
        let mut cmd = db.authctl();
        common::shift_clock(&mut cmd, "-3h")
            .env("AUTHCTL_BCRYPT_COST", "10")
            .args(args)
            .write_stdin(stdin);
        let r = common::run(&mut cmd);
        assert_eq!(r.code, 0, "authctl {args:?}\n{r}");
    };
    skewed(
        &[
            "users",
            "create",
            "clock@example.com",
            "--verified",
            "--password-stdin",
        ],
        "Pelican orbit 7 marmalade\n",
    );
    skewed(
        &["users", "update", "clock@example.com", "--unverified"],
        "",
    );
    skewed(&["users", "update", "clock@example.com", "--verified"], "");
    let users = "SELECT email_verified_at FROM users WHERE email = 'clock@example.com' \
                 UNION ALL SELECT created_at FROM users WHERE email = 'clock@example.com'";
    let events = "SELECT occurred_at FROM authctl_audit_events";
    for (what, sql, n) in [("user times", users, 2), ("audit events", events, 3)] {
        let offs = off(sql);
        assert_eq!(offs.len(), n, "{what}: {offs:?}");
        assert!(
            offs.iter().all(|s| *s < 600),
            "{what}: seconds off the server's clock: {offs:?}"
        );
    }
}
