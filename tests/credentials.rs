//! `authctl sessions …` and `authctl tokens …` through the real binary, on every
//! backend. Both commands share one implementation, so every test runs for both
//! kinds: [`KINDS`] says how each is set up and where it is stored.

mod common;

use authctl::db::DbConn;
use authctl::repo::{self, IssueToken, NewSession, NewUser};
use serde_json::Value;

use crate::common::{TestDb, count, query_strings};

/// A syntactically valid PHC string; these tests never verify a password.
pub const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";

/// One credential kind as the tests see it.
pub struct Kind {
    /// The command group (`sessions` / `tokens`).
    pub cmd: &'static str,
    pub table: &'static str,
    pub action: &'static str,
    /// Create one active credential for a user; returns its id and stored hash.
    pub create: fn(&mut DbConn, i64) -> (i64, String),
    /// The noun in messages.
    pub noun: &'static str,
    /// The JSON field only this kind has.
    pub usage_field: &'static str,
}

fn create_session(conn: &mut DbConn, user_id: i64) -> (i64, String) {
    let (s, _) = repo::login_sessions::create(
        conn,
        &NewSession {
            user_id,
            ttl: chrono::Duration::hours(1),
            ip_address: Some("192.0.2.7"),
            user_agent: Some("Mozilla/5.0 (test)"),
        },
    )
    .expect("create session");
    (s.id, s.token_hash)
}

fn create_token(conn: &mut DbConn, user_id: i64) -> (i64, String) {
    let (t, _) = repo::refresh_tokens::issue(
        conn,
        &IssueToken {
            user_id,
            ttl: chrono::Duration::hours(1),
            user_agent: Some("app/1.2"),
            ip_address: Some("198.51.100.9"),
        },
    )
    .expect("issue token");
    (t.id, t.token_hash)
}

pub const SESSIONS: Kind = Kind {
    cmd: "sessions",
    table: "login_sessions",
    action: "session.revoke",
    create: create_session,
    noun: "session",
    usage_field: "last_activity_at",
};

pub const TOKENS: Kind = Kind {
    cmd: "tokens",
    table: "refresh_tokens",
    action: "token.revoke",
    create: create_token,
    noun: "refresh token",
    usage_field: "last_used_at",
};

pub const KINDS: [&Kind; 2] = [&SESSIONS, &TOKENS];

/// Create a user with a dummy password hash; returns its id.
pub fn user(conn: &mut DbConn, email: &str) -> i64 {
    NewUser::new(email, DUMMY_HASH)
        .insert(conn)
        .expect("insert user")
        .id
}

/// Move a credential's expiry into the past.
fn expire(db: &TestDb, k: &Kind, id: i64) {
    db.exec(&format!(
        "UPDATE {} SET expires_at = '2001-01-01 00:00:00' WHERE id = {id}",
        k.table
    ));
}

/// Mark a credential revoked long ago.
fn revoke_in_db(db: &TestDb, k: &Kind, id: i64) {
    db.exec(&format!(
        "UPDATE {} SET revoked_at = '2001-01-01 00:00:00', revoked_reason = 'old' WHERE id = {id}",
        k.table
    ));
}

/// Ids of revoked rows, ascending.
fn revoked_ids(db: &TestDb, k: &Kind) -> Vec<i64> {
    query_strings(
        db,
        &format!(
            "SELECT CAST(id AS TEXT) AS v FROM {} WHERE revoked_at IS NOT NULL ORDER BY id",
            k.table
        ),
    )
    .into_iter()
    .map(|s| s.parse().unwrap())
    .collect()
}

/// Run authctl, expecting `code`; returns (stdout, stderr).
pub fn run(db: &TestDb, args: &[&str], code: i32) -> (String, String) {
    run_cmd(db.authctl().args(args), db, args, code)
}

/// Run a prepared command, expecting `code`.
pub fn run_cmd(
    cmd: &mut assert_cmd::Command,
    db: &TestDb,
    args: &[&str],
    code: i32,
) -> (String, String) {
    let out = cmd.output().expect("run authctl");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(code),
        "[{}] authctl {args:?}\nstdout: {stdout}\nstderr: {stderr}",
        db.label()
    );
    (stdout, stderr)
}

/// Parse JSON output.
pub fn json(db: &TestDb, stdout: &str) -> Value {
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("[{}] not JSON ({e}): {stdout}", db.label()))
}

/// The `id`s of a JSON array of records.
fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

fn id_list(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|i| i.as_i64().unwrap())
        .collect()
}

#[test]
fn list_filters_by_state_and_user() {
    for k in KINDS {
        for db in TestDb::all() {
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            let (active, active_hash) = (k.create)(&mut conn, a);
            let (expired, _) = (k.create)(&mut conn, a);
            let (revoked, _) = (k.create)(&mut conn, a);
            let (other, _) = (k.create)(&mut conn, b);
            expire(&db, k, expired);
            revoke_in_db(&db, k, revoked);

            let (out, _) = run(&db, &[k.cmd, "list", "-o", "json"], 0);
            let v = json(&db, &out);
            assert_eq!(ids(&v), vec![active, other], "{l}: default is active");
            let row = &v[0];
            assert_eq!(row["user_email"], "ann@example.com", "{l}");
            assert_eq!(row["user_id"], a, "{l}");
            assert_eq!(row["state"], "active", "{l}");
            assert_eq!(row["hash_prefix"], &active_hash[..12], "{l}");
            assert!(row.get(k.usage_field).is_some(), "{l}: {row}");
            for field in [
                "created_at",
                "expires_at",
                "revoked_at",
                "revoked_reason",
                "ip_address",
                "user_agent",
            ] {
                assert!(row.get(field).is_some(), "{l}: {field} missing in {row}");
            }
            assert!(
                row["created_at"].as_str().unwrap().ends_with('Z'),
                "{l}: RFC 3339 UTC"
            );
            assert_eq!(
                row.get("replaced_by_id").is_some(),
                k.cmd == "tokens",
                "{l}: replaced_by_id only for tokens"
            );

            let state = |s: &str| {
                ids(&json(
                    &db,
                    &run(&db, &[k.cmd, "list", "--state", s, "-o", "json"], 0).0,
                ))
            };
            assert_eq!(state("expired"), vec![expired], "{l}");
            assert_eq!(state("revoked"), vec![revoked], "{l}");
            assert_eq!(state("all"), vec![active, expired, revoked, other], "{l}");

            let (out, _) = run(
                &db,
                &[
                    k.cmd,
                    "list",
                    "--user",
                    "ANN@example.com",
                    "--state",
                    "all",
                    "-o",
                    "json",
                ],
                0,
            );
            let v = json(&db, &out);
            assert_eq!(ids(&v), vec![active, expired, revoked], "{l}");
            assert_eq!(v[1]["state"], "expired", "{l}");
            assert_eq!(v[2]["state"], "revoked", "{l}");
            assert_eq!(v[2]["revoked_reason"], "old", "{l}");
            let (out, _) = run(
                &db,
                &[k.cmd, "list", "--user", &b.to_string(), "-o", "json"],
                0,
            );
            assert_eq!(ids(&json(&db, &out)), vec![other], "{l}: --user by id");

            // Table and CSV carry the same columns.
            let (out, _) = run(&db, &[k.cmd, "list"], 0);
            assert!(
                out.contains("ann@example.com") && out.contains("ben@example.com"),
                "{l}: {out}"
            );
            assert!(out.contains(&active_hash[..12]), "{l}: {out}");
            let (out, _) = run(&db, &[k.cmd, "list", "-o", "csv"], 0);
            let lines: Vec<&str> = out.lines().collect();
            assert_eq!(lines.len(), 3, "{l}: {out}");
            assert!(
                lines[0].starts_with("ID,USER,HASH PREFIX,CREATED,"),
                "{l}: {out}"
            );
            assert!(
                lines[1].starts_with(&format!("{active},ann@example.com,{}", &active_hash[..12])),
                "{l}: {out}"
            );

            // Nothing matches: an empty array / "(none)".
            let (out, _) = run(
                &db,
                &[
                    k.cmd,
                    "list",
                    "--user",
                    "ben@example.com",
                    "--state",
                    "expired",
                    "-o",
                    "json",
                ],
                0,
            );
            assert_eq!(json(&db, &out), serde_json::json!([]), "{l}");
            let (out, _) = run(
                &db,
                &[
                    k.cmd,
                    "list",
                    "--state",
                    "expired",
                    "--user",
                    "ben@example.com",
                ],
                0,
            );
            assert_eq!(out.trim(), "(none)", "{l}");

            // Errors name the value.
            let (_, err) = run(&db, &[k.cmd, "list", "--user", "nobody@example.com"], 65);
            assert!(err.contains("nobody@example.com"), "{l}: {err}");
            let (_, err) = run(&db, &[k.cmd, "list", "--user", "bob"], 64);
            assert!(err.contains("bob"), "{l}: {err}");
            let (_, err) = run(&db, &[k.cmd, "list", "--after", "-3"], 64);
            assert!(err.contains("-3"), "{l}: {err}");
            run(&db, &[k.cmd, "list", "--state", "dormant"], 64);
        }
    }
}

#[test]
fn pagination_returns_every_row_once() {
    for k in KINDS {
        for db in TestDb::all() {
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            // More than one internal page of `--all` (500), interleaved owners.
            let mut all: Vec<i64> = conn
                .transaction::<_, diesel::result::Error, _>(|conn| {
                    Ok((0..1003)
                        .map(|i| (k.create)(conn, if i % 3 == 0 { b } else { a }).0)
                        .collect())
                })
                .unwrap();
            all.sort();

            // --limit/--after: follow the cursor until an empty page.
            let mut seen = Vec::new();
            let mut after: Option<i64> = None;
            loop {
                let mut args = vec![k.cmd, "list", "--limit", "400", "-o", "json"];
                let cursor = after.map(|a| a.to_string());
                if let Some(c) = &cursor {
                    args.extend(["--after", c]);
                }
                let page = ids(&json(&db, &run(&db, &args, 0).0));
                if page.is_empty() {
                    break;
                }
                assert!(page.len() <= 400, "{l}");
                after = page.last().copied();
                seen.extend(page);
            }
            assert_eq!(seen, all, "{l}: pages with --after");

            // --all streams every row exactly once, as valid JSON and CSV.
            let (out, _) = run(&db, &[k.cmd, "list", "--all", "-o", "json"], 0);
            assert_eq!(ids(&json(&db, &out)), all, "{l}: --all json");
            let (out, _) = run(&db, &[k.cmd, "list", "--all", "-o", "csv"], 0);
            let csv_ids: Vec<i64> = out
                .lines()
                .skip(1)
                .map(|line| line.split(',').next().unwrap().parse().unwrap())
                .collect();
            assert_eq!(csv_ids, all, "{l}: --all csv");
            let (out, _) = run(
                &db,
                &[
                    k.cmd,
                    "list",
                    "--all",
                    "--user",
                    "ben@example.com",
                    "--after",
                    &all[500].to_string(),
                    "-o",
                    "json",
                ],
                0,
            );
            let expected: Vec<i64> = query_strings(
                &db,
                &format!(
                    "SELECT CAST(id AS TEXT) AS v FROM {} \
                     WHERE user_id = {b} AND id > {} ORDER BY id",
                    k.table, all[500]
                ),
            )
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
            assert_eq!(
                ids(&json(&db, &out)),
                expected,
                "{l}: --all with --user and --after"
            );

            // A full page says how to continue (stderr, table only).
            let (out, err) = run(&db, &[k.cmd, "list", "--limit", "2"], 0);
            assert!(err.contains(&format!("--after {}", all[1])), "{l}: {err}");
            assert!(out.contains("ann@example.com"), "{l}: {out}");
            run(&db, &[k.cmd, "list", "--all", "--limit", "5"], 64);
        }
    }
}

#[test]
fn revoke_by_id_reports_already_revoked_and_audits() {
    for k in KINDS {
        for db in TestDb::all() {
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            let (a1, _) = (k.create)(&mut conn, a);
            let (a2, _) = (k.create)(&mut conn, a);
            let (b1, _) = (k.create)(&mut conn, b);
            let (b2, _) = (k.create)(&mut conn, b);

            let (out, err) = run(
                &db,
                &[
                    k.cmd,
                    "revoke",
                    &a1.to_string(),
                    "--reason",
                    "lost laptop",
                    "--actor",
                    "alice",
                ],
                0,
            );
            assert_eq!(out.trim(), format!("revoked {} {a1}", k.noun), "{l}");
            assert!(err.is_empty(), "{l}: {err}");
            assert_eq!(revoked_ids(&db, k), vec![a1], "{l}");
            assert_eq!(
                query_strings(
                    &db,
                    &format!(
                        "SELECT revoked_reason AS v FROM {} WHERE id = {a1}",
                        k.table
                    )
                ),
                vec!["lost laptop"],
                "{l}"
            );

            // One already revoked, one new, one twice: reported, not an error.
            let (out, err) = run_cmd(
                db.authctl()
                    .args([
                        k.cmd,
                        "revoke",
                        &a1.to_string(),
                        &b1.to_string(),
                        &b1.to_string(),
                        "-o",
                        "json",
                    ])
                    .env("AUTHCTL_ACTOR", "bob"),
                &db,
                &[k.cmd, "revoke"],
                0,
            );
            let v = json(&db, &out);
            assert_eq!(id_list(&v["revoked"]), vec![b1], "{l}: {v}");
            assert_eq!(id_list(&v["already_revoked"]), vec![a1], "{l}: {v}");
            assert!(
                err.contains("already revoked") && err.contains(&a1.to_string()),
                "{l}: {err}"
            );
            assert_eq!(revoked_ids(&db, k), vec![a1, b1], "{l}");

            // One audit event per revoked id, with the actor from --actor / AUTHCTL_ACTOR.
            let events = query_strings(
                &db,
                &format!(
                    "SELECT actor || '|' || CAST(user_id AS TEXT) || '|' || detail AS v \
                     FROM audit_events WHERE action = '{}' ORDER BY id",
                    k.action
                ),
            );
            assert_eq!(events.len(), 2, "{l}: {events:?}");
            let (first, second): (Vec<&str>, Vec<&str>) = (
                events[0].splitn(3, '|').collect(),
                events[1].splitn(3, '|').collect(),
            );
            assert_eq!(first[..2], ["alice", &a.to_string()], "{l}");
            assert_eq!(second[..2], ["bob", &b.to_string()], "{l}");
            let detail: Value = serde_json::from_str(first[2]).unwrap();
            assert_eq!(detail["id"], a1, "{l}");
            assert_eq!(detail["reason"], "lost laptop", "{l}");
            assert_eq!(detail["scope"], "id", "{l}");
            let detail: Value = serde_json::from_str(second[2]).unwrap();
            assert_eq!(detail["id"], b1, "{l}");
            assert_eq!(detail["reason"], Value::Null, "{l}");

            // Revoking only already revoked ones changes nothing and writes no event.
            run(&db, &[k.cmd, "revoke", &a1.to_string()], 0);
            assert_eq!(
                count(
                    &db,
                    &format!(
                        "SELECT count(*) AS n FROM audit_events WHERE action = '{}'",
                        k.action
                    )
                ),
                2,
                "{l}"
            );

            // --quiet: nothing at all on success.
            let (out, err) = run(&db, &[k.cmd, "revoke", &b2.to_string(), "-q"], 0);
            assert_eq!((out.as_str(), err.as_str()), ("", ""), "{l}");
            assert_eq!(revoked_ids(&db, k), vec![a1, b1, b2], "{l}");

            // An expired one can be revoked by id too.
            expire(&db, k, a2);
            run(&db, &[k.cmd, "revoke", &a2.to_string()], 0);
            assert_eq!(revoked_ids(&db, k), vec![a1, a2, b1, b2], "{l}");
        }
    }
}

#[test]
fn revoke_unknown_or_bad_id_changes_nothing() {
    for k in KINDS {
        for db in TestDb::all() {
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let (a1, _) = (k.create)(&mut conn, a);
            let (a2, _) = (k.create)(&mut conn, a);

            let (_, err) = run(
                &db,
                &[k.cmd, "revoke", &a1.to_string(), "987654", &a2.to_string()],
                65,
            );
            assert!(err.contains("987654"), "{l}: {err}");
            assert!(
                !err.contains(&format!("{a1},")),
                "{l}: names only the unknown id: {err}"
            );
            assert!(revoked_ids(&db, k).is_empty(), "{l}: nothing revoked");
            assert_eq!(
                count(&db, "SELECT count(*) AS n FROM audit_events"),
                0,
                "{l}"
            );

            for bad in ["-1", "0", "abc", "99999999999999999999", "1.5"] {
                let (_, err) = run(&db, &[k.cmd, "revoke", bad], 64);
                assert!(err.contains(bad), "{l}: {bad}: {err}");
            }
            // Exactly one target.
            run(&db, &[k.cmd, "revoke"], 64);
            run(&db, &[k.cmd, "revoke", &a1.to_string(), "--all"], 64);
            run(
                &db,
                &[k.cmd, "revoke", "--user", "ann@example.com", "--all"],
                64,
            );
            let (_, err) = run(&db, &[k.cmd, "revoke", "--user", "nobody@example.com"], 65);
            assert!(err.contains("nobody@example.com"), "{l}: {err}");
            run(&db, &[k.cmd, "revoke", "--user", "424242"], 65);
            assert!(revoked_ids(&db, k).is_empty(), "{l}: nothing revoked");
            assert_eq!(
                count(&db, "SELECT count(*) AS n FROM audit_events"),
                0,
                "{l}"
            );
        }
    }
}

#[test]
fn revoke_by_user_touches_only_that_users_active_ones() {
    for k in KINDS {
        for db in TestDb::all() {
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            let (a1, _) = (k.create)(&mut conn, a);
            let (b1, _) = (k.create)(&mut conn, b);
            let (a2, _) = (k.create)(&mut conn, a);
            let (a_expired, _) = (k.create)(&mut conn, a);
            let (a_old, _) = (k.create)(&mut conn, a);
            expire(&db, k, a_expired);
            revoke_in_db(&db, k, a_old);

            let (out, _) = run(
                &db,
                &[
                    k.cmd,
                    "revoke",
                    "--user",
                    "Ann@Example.com",
                    "--reason",
                    "password reset",
                    "--actor",
                    "alice",
                    "-o",
                    "json",
                ],
                0,
            );
            let v = json(&db, &out);
            assert_eq!(id_list(&v["revoked"]), vec![a1, a2], "{l}: {v}");
            assert_eq!(id_list(&v["already_revoked"]), Vec::<i64>::new(), "{l}");
            assert_eq!(
                revoked_ids(&db, k),
                vec![a1, a2, a_old],
                "{l}: ben's ({b1}) and the expired one untouched"
            );

            // One event for the user, with the count and the ids.
            let details = query_strings(
                &db,
                &format!(
                    "SELECT detail AS v FROM audit_events \
                     WHERE action = '{}' AND user_id = {a} AND actor = 'alice'",
                    k.action
                ),
            );
            assert_eq!(details.len(), 1, "{l}: {details:?}");
            let d: Value = serde_json::from_str(&details[0]).unwrap();
            assert_eq!(d["scope"], "user", "{l}");
            assert_eq!(d["count"], 2, "{l}");
            assert_eq!(id_list(&d["ids"]), vec![a1, a2], "{l}");
            assert_eq!(d["reason"], "password reset", "{l}");

            // Again: nothing active left — reported, no event.
            let (out, err) = run(&db, &[k.cmd, "revoke", "--user", &a.to_string()], 0);
            assert!(out.is_empty(), "{l}: {out}");
            assert!(err.contains("no active"), "{l}: {err}");
            assert_eq!(
                count(&db, "SELECT count(*) AS n FROM audit_events"),
                1,
                "{l}"
            );

            // Table output names the user.
            let (out, _) = run(&db, &[k.cmd, "revoke", "--user", "ben@example.com"], 0);
            assert!(
                out.contains("revoked 1 ") && out.contains("ben@example.com"),
                "{l}: {out}"
            );
        }
    }
}

#[test]
fn revoke_all_needs_confirmation_and_revokes_every_active_one() {
    for k in KINDS {
        for db in TestDb::all() {
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            let mut active: Vec<i64> = (0..3).map(|_| (k.create)(&mut conn, a).0).collect();
            // More than AUDIT_ID_CAP (100) for one user: the event's id list is capped.
            let many: Vec<i64> = conn
                .transaction::<_, diesel::result::Error, _>(|conn| {
                    Ok((0..105).map(|_| (k.create)(conn, b).0).collect())
                })
                .unwrap();
            active.extend(&many);
            let (expired, _) = (k.create)(&mut conn, a);
            let (old, _) = (k.create)(&mut conn, b);
            expire(&db, k, expired);
            revoke_in_db(&db, k, old);

            // No terminal and no --yes: a usage error, nothing revoked.
            let (_, err) = run(&db, &[k.cmd, "revoke", "--all"], 64);
            assert!(err.contains("--yes"), "{l}: {err}");
            assert_eq!(revoked_ids(&db, k), vec![old], "{l}");

            let (out, _) = run(
                &db,
                &[
                    k.cmd, "revoke", "--all", "--yes", "--reason", "breach", "-o", "json",
                ],
                0,
            );
            let v = json(&db, &out);
            let mut revoked = id_list(&v["revoked"]);
            revoked.sort();
            assert_eq!(revoked, active, "{l}");
            let mut expected = active.clone();
            expected.push(old);
            expected.sort();
            assert_eq!(
                revoked_ids(&db, k),
                expected,
                "{l}: the expired one untouched"
            );

            // One event per affected user.
            let rows = query_strings(
                &db,
                &format!(
                    "SELECT CAST(user_id AS TEXT) || '|' || detail AS v FROM audit_events \
                     WHERE action = '{}' ORDER BY user_id",
                    k.action
                ),
            );
            assert_eq!(rows.len(), 2, "{l}: {rows:?}");
            let (uid, d) = rows[1].split_once('|').unwrap();
            assert_eq!(uid, b.to_string(), "{l}");
            let d: Value = serde_json::from_str(d).unwrap();
            assert_eq!(d["scope"], "all", "{l}");
            assert_eq!(d["count"], 105, "{l}");
            assert_eq!(
                id_list(&d["ids"]),
                many[..100].to_vec(),
                "{l}: capped at 100"
            );
            let d: Value = serde_json::from_str(rows[0].split_once('|').unwrap().1).unwrap();
            assert_eq!(d["count"], 3, "{l}");

            // Nothing active left: succeeds without asking.
            let (out, err) = run(&db, &[k.cmd, "revoke", "--all"], 0);
            assert!(
                out.is_empty() && err.contains("nothing to revoke"),
                "{l}: {out} {err}"
            );
        }
    }
}

#[test]
fn output_never_contains_a_full_hash() {
    for k in KINDS {
        for db in TestDb::all() {
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let (id, hash) = (k.create)(&mut conn, a);
            let (id2, hash2) = (k.create)(&mut conn, a);
            revoke_in_db(&db, k, id2);
            assert_eq!(
                query_strings(
                    &db,
                    &format!("SELECT token_hash AS v FROM {} WHERE id = {id}", k.table)
                ),
                vec![hash.clone()]
            );
            for format in ["table", "json", "csv"] {
                for args in [
                    vec![k.cmd, "list", "--state", "all", "-o", format],
                    vec![k.cmd, "list", "--all", "--state", "all", "-o", format],
                ] {
                    let (out, err) = run(&db, &args, 0);
                    for h in [&hash, &hash2] {
                        assert!(out.contains(&h[..12]), "{l} {args:?}: prefix shown: {out}");
                        assert!(
                            !out.contains(&h[..13]) && !err.contains(&h[..13]),
                            "{l} {args:?}: {out}"
                        );
                    }
                }
                let (out, err) = run(&db, &[k.cmd, "revoke", &id.to_string(), "-o", format], 0);
                assert!(
                    !out.contains(&hash[..13]) && !err.contains(&hash[..13]),
                    "{l}: {out}"
                );
                db.exec(&format!(
                    "UPDATE {} SET revoked_at = NULL WHERE id = {id}",
                    k.table
                ));
            }
            let events = query_strings(&db, "SELECT detail AS v FROM audit_events");
            assert!(
                events.iter().all(|d| !d.contains(&hash[..13])),
                "{l}: {events:?}"
            );
        }
    }
}

#[test]
fn tokens_list_shows_rotation() {
    for db in TestDb::all() {
        let l = db.label();
        let mut conn = db.migrated();
        let a = user(&mut conn, "ann@example.com");
        let (old, raw) = repo::refresh_tokens::issue(
            &mut conn,
            &IssueToken {
                user_id: a,
                ttl: chrono::Duration::hours(1),
                user_agent: None,
                ip_address: None,
            },
        )
        .unwrap();
        let (new, _) = repo::refresh_tokens::rotate(&mut conn, &raw, chrono::Duration::hours(1))
            .unwrap()
            .expect("rotated");

        let (out, _) = run(&db, &["tokens", "list", "--state", "all", "-o", "json"], 0);
        let v = json(&db, &out);
        assert_eq!(ids(&v), vec![old.id, new.id], "{l}");
        assert_eq!(v[0]["state"], "revoked", "{l}");
        assert_eq!(v[0]["revoked_reason"], "rotated", "{l}");
        assert_eq!(v[0]["replaced_by_id"], new.id, "{l}");
        assert!(v[0]["last_used_at"].is_string(), "{l}");
        assert_eq!(v[1]["replaced_by_id"], Value::Null, "{l}");
        let (out, _) = run(
            &db,
            &["tokens", "list", "--state", "revoked", "-o", "csv"],
            0,
        );
        assert!(
            out.lines()
                .nth(1)
                .unwrap()
                .ends_with(&format!(",revoked,{}", new.id)),
            "{l}: {out}"
        );
    }
}
