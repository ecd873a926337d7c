//! `authctl sessions …` and `authctl tokens …` on the application's `login_sessions`
//! and `refresh_tokens`: listing, validity as the application judges it, revokes by
//! id, user, token and in bulk, fingerprints never the secret. Most tests run per [`KINDS`].

use crate::common;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

use authctl::db::{DbConn, RefreshTokenId, SessionId, UserId, UtcDateTime};
use authctl::repo::{self, NewRefreshToken, NewSession, NewUser};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::common::{Background, HANG_GUARD, Run, TestDb, count, query_strings, wait_until};

/// A valid bcrypt hash (of an unknown password); these tests never verify one.
const FAKE_HASH: &str = "$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

/// The batch size of bulk revokes in `src/ops/credentials.rs`.
const BATCH: usize = 1000;

/// One credential kind as the tests see it.
#[derive(Debug)]
struct Kind {
    /// The command group (`sessions` / `tokens`).
    cmd: &'static str,
    table: &'static str,
    /// The primary key column (`session_id` / `id`).
    id_col: &'static str,
    /// The audit action of a revoke.
    action: &'static str,
    /// The nouns in messages.
    noun: &'static str,
    plural: &'static str,
    /// The JSON field only this kind has, and its table/CSV header.
    usage_field: &'static str,
    usage_header: &'static str,
    /// Refresh tokens (else login sessions).
    token: bool,
}

const SESSIONS: Kind = Kind {
    cmd: "sessions",
    table: "login_sessions",
    id_col: "session_id",
    action: "session.revoke",
    noun: "session",
    plural: "sessions",
    usage_field: "last_activity_at",
    usage_header: "LAST ACTIVITY",
    token: false,
};

const TOKENS: Kind = Kind {
    cmd: "tokens",
    table: "refresh_tokens",
    id_col: "id",
    action: "token.revoke",
    noun: "refresh token",
    plural: "refresh tokens",
    usage_field: "revoked_at",
    usage_header: "REVOKED",
    token: true,
};

const KINDS: [&Kind; 2] = [&SESSIONS, &TOKENS];

/// A fresh database on `db`'s backend: a test that runs for every kind starts each
/// kind on its own.
fn fresh_like(db: &TestDb) -> TestDb {
    if db.is_postgres() {
        TestDb::postgres().expect("the server that made `db`")
    } else {
        TestDb::sqlite()
    }
}

// ---------------------------------------------------------------------------------
// Setup

/// How to make one credential.
#[derive(Debug, Clone)]
struct Spec<'a> {
    /// The row id (random when `None`).
    id: Option<Uuid>,
    /// Expiry relative to now (negative: already expired).
    expires_in: chrono::Duration,
    user_agent: Option<&'a str>,
    ip: Option<&'a str>,
}

impl Default for Spec<'_> {
    fn default() -> Self {
        Spec {
            id: None,
            expires_in: chrono::Duration::hours(1),
            user_agent: Some("Mozilla/5.0 (test)"),
            ip: Some("192.0.2.7"),
        }
    }
}

/// A credential as stored.
#[derive(Debug, Clone)]
struct Cred {
    /// Its id (`id` / `session_id`), canonical lower-case uuid text.
    id: String,
    /// The bearer secret: the raw refresh token, or the session token.
    secret: String,
    expires_at: UtcDateTime,
}

/// A fresh raw refresh token shaped like the application's (a JWT, ≥ 32 chars).
fn raw_token() -> String {
    format!(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.{}.{}",
        Uuid::new_v4().simple(),
        Uuid::new_v4().simple()
    )
}

/// Store one credential of kind `k` for `user` through the library.
fn create(k: &Kind, conn: &mut DbConn, user: UserId, spec: &Spec<'_>) -> Cred {
    let now = UtcDateTime::now();
    let expires_at = now + spec.expires_in;
    let ip = spec.ip.map(|ip| ip.parse().expect("inet"));
    if k.token {
        let raw = raw_token();
        let mut new = NewRefreshToken::new(user, &raw, expires_at);
        if let Some(id) = spec.id {
            new.id = RefreshTokenId(id);
        }
        new.user_agent = spec.user_agent;
        new.ip_address = ip;
        let t = repo::refresh_tokens::create(conn, &new).expect("store token");
        Cred {
            id: t.id.to_string(),
            secret: raw,
            expires_at: t.expires_at,
        }
    } else {
        let mut new = NewSession::new(user, chrono::Duration::hours(1));
        if let Some(id) = spec.id {
            new.session_id = SessionId(id);
        }
        new.expires_at = expires_at;
        // The table CHECKs expires_at > created_at.
        if new.created_at >= expires_at {
            new.created_at = expires_at - chrono::Duration::hours(1);
            new.last_activity_at = new.created_at;
        }
        new.user_agent = spec.user_agent;
        new.ip_address = ip;
        let s = repo::login_sessions::create(conn, &new).expect("create session");
        Cred {
            id: s.session_id.to_string(),
            secret: s.session_token.to_string(),
            expires_at: s.expires_at,
        }
    }
}

/// One active credential with the default spec.
fn add(k: &Kind, conn: &mut DbConn, user: UserId) -> Cred {
    create(k, conn, user, &Spec::default())
}

/// `n` active credentials in one transaction (expiring `expires_in(i)` from now).
fn add_many(
    k: &Kind,
    conn: &mut DbConn,
    n: usize,
    owner: impl Fn(usize) -> UserId,
    expires_in: impl Fn(usize) -> chrono::Duration,
) -> Vec<Cred> {
    conn.transaction::<_, diesel::result::Error, _>(|conn| {
        Ok((0..n)
            .map(|i| {
                let spec = Spec {
                    expires_in: expires_in(i),
                    ..Spec::default()
                };
                create(k, conn, owner(i), &spec)
            })
            .collect())
    })
    .unwrap()
}

/// Create a user; returns its id.
fn user(conn: &mut DbConn, email: &str) -> UserId {
    NewUser::new(email, FAKE_HASH)
        .insert(conn)
        .expect("insert user")
        .id
}

/// A user with a fixed id (to control the order of user-row locks).
fn user_with_id(conn: &mut DbConn, email: &str, id: Uuid) -> UserId {
    let mut new = NewUser::new(email, FAKE_HASH);
    new.id = UserId(id);
    new.insert(conn).expect("insert user").id
}

/// Move a credential's expiry into the past (and its creation before that).
fn expire(db: &TestDb, k: &Kind, id: &str) {
    db.exec(&format!(
        "UPDATE {} SET created_at = '2000-01-01 00:00:00.000000', \
         expires_at = '2001-01-01 00:00:00.000000' WHERE {} = '{id}'",
        k.table, k.id_col
    ));
}

/// Revoke a credential the application's way, long ago.
fn revoke_in_db(db: &TestDb, k: &Kind, id: &str) {
    let set = if k.token {
        "is_revoked = TRUE, revoked_at = '2001-01-01 00:00:00.000000'"
    } else {
        "is_active = FALSE"
    };
    db.exec(&format!(
        "UPDATE {} SET {set} WHERE {} = '{id}'",
        k.table, k.id_col
    ));
}

/// The validity flag column (`is_revoked` / `is_active`).
fn flag_col(k: &Kind) -> &'static str {
    if k.token { "is_revoked" } else { "is_active" }
}

/// Set a credential's validity flag to NULL (counts as revoked).
fn null_flag(db: &TestDb, k: &Kind, id: &str) {
    db.exec(&format!(
        "UPDATE {} SET {} = NULL WHERE {} = '{id}'",
        k.table,
        flag_col(k),
        k.id_col
    ));
}

/// Undo a revoke (to revoke the same row again).
fn reactivate(db: &TestDb, k: &Kind, id: &str) {
    let set = if k.token {
        "is_revoked = FALSE, revoked_at = NULL"
    } else {
        "is_active = TRUE"
    };
    db.exec(&format!(
        "UPDATE {} SET {set} WHERE {} = '{id}'",
        k.table, k.id_col
    ));
}

/// Ids whose flag says revoked (`is_revoked = true` / `is_active = false`), ascending.
fn revoked_ids(db: &TestDb, k: &Kind) -> Vec<String> {
    let cond = if k.token {
        "is_revoked = TRUE"
    } else {
        "is_active = FALSE"
    };
    query_strings(
        db,
        &format!(
            "SELECT CAST({id} AS TEXT) AS v FROM {} WHERE {cond} ORDER BY {id}",
            k.table,
            id = k.id_col
        ),
    )
}

/// Ids the application would accept now, ascending: a token while `is_revoked = false
/// AND expires_at > now`, a session while `is_active = true AND expires_at > now`; a
/// NULL flag counts as revoked.
fn active_ids(db: &TestDb, k: &Kind) -> Vec<String> {
    let now = if db.is_postgres() {
        "now()"
    } else {
        "strftime('%Y-%m-%d %H:%M:%f000', 'now')"
    };
    query_strings(
        db,
        &format!(
            "SELECT CAST({id} AS TEXT) AS v FROM {} WHERE {} AND expires_at > {now} ORDER BY {id}",
            k.table,
            if k.token {
                "is_revoked = FALSE"
            } else {
                "is_active = TRUE"
            },
            id = k.id_col
        ),
    )
}

/// One column of one row as text (`NULL` for NULL).
fn column(db: &TestDb, k: &Kind, id: &str, col: &str) -> String {
    query_strings(
        db,
        &format!(
            "SELECT COALESCE(CAST({col} AS TEXT), 'NULL') AS v FROM {} WHERE {} = '{id}'",
            k.table, k.id_col
        ),
    )
    .remove(0)
}

/// A stored time column parsed, or `None` when NULL.
fn time_column(db: &TestDb, k: &Kind, id: &str, col: &str) -> Option<UtcDateTime> {
    let text = column(db, k, id, col);
    (text != "NULL").then(|| {
        UtcDateTime::parse_text(&text).unwrap_or_else(|| panic!("{col} = {text:?} is not a time"))
    })
}

/// An audit event as stored.
#[derive(Debug)]
struct Event {
    actor: String,
    user_id: String,
    user_email: String,
    detail: Value,
}

/// The audit events of one action, oldest first.
fn events(db: &TestDb, action: &str) -> Vec<Event> {
    query_strings(
        db,
        &format!(
            "SELECT actor || '|' || COALESCE(CAST(user_id AS TEXT), '') || '|' || \
             COALESCE(user_email, '') || '|' || COALESCE(detail, 'null') AS v \
             FROM authctl_audit_events WHERE action = '{action}' ORDER BY id"
        ),
    )
    .iter()
    .map(|row| {
        let parts: Vec<&str> = row.splitn(4, '|').collect();
        Event {
            actor: parts[0].into(),
            user_id: parts[1].into(),
            user_email: parts[2].into(),
            detail: serde_json::from_str(parts[3]).expect("detail is JSON"),
        }
    })
    .collect()
}

fn event_count(db: &TestDb) -> i64 {
    count(db, "SELECT count(*) AS n FROM authctl_audit_events")
}

/// Every audit event as one text (to look for secrets).
fn audit_text(db: &TestDb) -> String {
    query_strings(
        db,
        "SELECT actor || ' ' || action || ' ' || COALESCE(user_email, '') || ' ' || \
         COALESCE(detail, '') AS v FROM authctl_audit_events ORDER BY id",
    )
    .join("\n")
}

/// `sha256:` + 16 hex digits of the SHA-256 of `secret` (computed here, not by authctl).
fn fingerprint(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{}", &hex[..16])
}

fn sorted(ids: &[String]) -> Vec<String> {
    let mut v = ids.to_vec();
    v.sort();
    v
}

fn ids_of(creds: &[&Cred]) -> Vec<String> {
    creds.iter().map(|c| c.id.clone()).collect()
}

// ---------------------------------------------------------------------------------
// Running authctl

/// Run authctl, expecting `code`; returns (stdout, stderr).
fn run(db: &TestDb, args: &[&str], code: i32) -> (String, String) {
    run_cmd(db.authctl().args(args), db, args, code)
}

/// Run authctl with `stdin` (bytes), expecting `code`.
fn run_stdin(db: &TestDb, args: &[&str], stdin: &[u8], code: i32) -> (String, String) {
    run_cmd(
        db.authctl().args(args).write_stdin(stdin.to_vec()),
        db,
        args,
        code,
    )
}

/// Run a prepared command, expecting `code`.
fn run_cmd(
    cmd: &mut assert_cmd::Command,
    db: &TestDb,
    args: &[&str],
    code: i32,
) -> (String, String) {
    let r = common::run(cmd);
    assert_eq!(r.code, code, "[{}] authctl {args:?}\n{r}", db.label());
    (r.stdout, r.stderr)
}

/// Parse JSON output.
fn json(db: &TestDb, stdout: &str) -> Value {
    serde_json::from_str(stdout)
        .unwrap_or_else(|e| panic!("[{}] not JSON ({e}): {stdout}", db.label()))
}

/// `list -o json` with extra arguments: the ids, in order.
fn list_ids(db: &TestDb, k: &Kind, extra: &[&str]) -> Vec<String> {
    let mut args = vec![k.cmd, "list", "-o", "json"];
    args.extend(extra);
    ids(&json(db, &run(db, &args, 0).0))
}

/// The `id`s of a JSON array of records.
fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|r| r["id"].as_str().expect("id is a string").to_owned())
        .collect()
}

/// A JSON array of strings.
fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|i| i.as_str().expect("string").to_owned())
        .collect()
}

/// CSV output as records (header first).
fn csv_rows(out: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(out.as_bytes())
        .records()
        .map(|r| r.expect("valid CSV").iter().map(str::to_owned).collect())
        .collect()
}

/// authctl as a background process (stdin null, output piped).
fn spawn(db: &TestDb, args: &[&str]) -> Background {
    Background::start(db.authctl().args(args))
}

/// authctl connections to this PostgreSQL test database waiting for a lock.
fn waiting_for_locks(db: &TestDb) -> i64 {
    count(
        db,
        "SELECT count(*) AS n FROM pg_stat_activity \
         WHERE datname = current_database() AND application_name LIKE 'authctl@%' \
         AND wait_event_type = 'Lock'",
    )
}

/// A connection playing the application: holds a transaction open.
struct AppTx(PgConnection);

impl AppTx {
    /// `BEGIN`, then `sql` (e.g. a `SELECT … FOR UPDATE`), left open.
    fn begin(db: &TestDb, sql: &str) -> AppTx {
        let mut c = PgConnection::establish(&db.url()).expect("connect as the application");
        c.batch_execute(&format!("BEGIN; {sql}"))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        AppTx(c)
    }

    fn commit(mut self) {
        self.0.batch_execute("COMMIT").expect("COMMIT");
    }
}

// ---------------------------------------------------------------------------------
// list

per_backend! {
    fn list_filters_by_state_and_user(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            let at = |hours: i64| Spec {
                expires_in: chrono::Duration::hours(hours),
                ..Spec::default()
            };
            let active = create(k, &mut conn, a, &at(3));
            let revoked = create(k, &mut conn, a, &at(2));
            let other = create(
                k,
                &mut conn,
                b,
                &Spec {
                    ip: Some("2001:db8::5"),
                    user_agent: None,
                    ..at(1)
                },
            );
            let expired = create(k, &mut conn, a, &at(-1));
            revoke_in_db(&db, k, &revoked.id);

            // Default: active ones, newest expiry first.
            let (out, err) = run(&db, &[k.cmd, "list", "-o", "json"], 0);
            assert!(err.is_empty(), "{l}: {err}");
            let v = json(&db, &out);
            assert_eq!(
                ids(&v),
                ids_of(&[&active, &other]),
                "{l}: default is active"
            );
            let row = &v[0];
            let keys: BTreeSet<&str> = row
                .as_object()
                .unwrap()
                .keys()
                .map(|s| s.as_str())
                .collect();
            let expected: BTreeSet<&str> = [
                "id",
                "user_id",
                "user_email",
                "fingerprint",
                "state",
                "created_at",
                "expires_at",
                k.usage_field,
                "ip_address",
                "user_agent",
            ]
            .into_iter()
            .collect();
            assert_eq!(keys, expected, "{l}: exactly these fields: {row}");
            assert_eq!(row["user_id"], a.to_string(), "{l}");
            assert_eq!(row["user_email"], "ann@example.com", "{l}");
            assert_eq!(row["fingerprint"], fingerprint(&active.secret), "{l}");
            assert_eq!(row["state"], "active", "{l}");
            assert_eq!(row["ip_address"], "192.0.2.7", "{l}");
            assert_eq!(row["user_agent"], "Mozilla/5.0 (test)", "{l}");
            for field in ["created_at", "expires_at"] {
                let t = row[field].as_str().unwrap();
                assert!(t.ends_with('Z'), "{l}: {field} RFC 3339 UTC: {t}");
                chrono::DateTime::parse_from_rfc3339(t).expect("RFC 3339");
            }
            assert_eq!(
                chrono::DateTime::parse_from_rfc3339(row["expires_at"].as_str().unwrap()).unwrap(),
                active.expires_at.0,
                "{l}: expires_at exact"
            );
            if k.token {
                assert_eq!(row["revoked_at"], Value::Null, "{l}");
            } else {
                assert!(row["last_activity_at"].is_string(), "{l}: {row}");
            }
            assert_eq!(v[1]["ip_address"], "2001:db8::5", "{l}");
            assert_eq!(v[1]["user_agent"], Value::Null, "{l}");
            assert_eq!(v[1]["user_email"], "ben@example.com", "{l}");

            assert_eq!(
                list_ids(&db, k, &["--state", "expired"]),
                ids_of(&[&expired]),
                "{l}"
            );
            let v = json(
                &db,
                &run(&db, &[k.cmd, "list", "--state", "revoked", "-o", "json"], 0).0,
            );
            assert_eq!(ids(&v), ids_of(&[&revoked]), "{l}");
            assert_eq!(v[0]["state"], "revoked", "{l}");
            if k.token {
                assert_eq!(v[0]["revoked_at"], "2001-01-01T00:00:00Z", "{l}");
            }
            assert_eq!(
                list_ids(&db, k, &["--state", "all"]),
                ids_of(&[&active, &revoked, &other, &expired]),
                "{l}: newest expiry first"
            );

            // --user by email (any case) and by id.
            let v = json(
                &db,
                &run(
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
                )
                .0,
            );
            assert_eq!(ids(&v), ids_of(&[&active, &revoked, &expired]), "{l}");
            let states: Vec<&str> = v
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["state"].as_str().unwrap())
                .collect();
            assert_eq!(states, ["active", "revoked", "expired"], "{l}");
            assert_eq!(
                list_ids(&db, k, &["--user", &b.to_string()]),
                ids_of(&[&other]),
                "{l}: --user by id"
            );

            // Table and CSV carry the same columns.
            let (out, _) = run(&db, &[k.cmd, "list"], 0);
            for needle in [
                "FINGERPRINT",
                "USER AGENT",
                k.usage_header,
                "ann@example.com",
                "ben@example.com",
                &fingerprint(&active.secret),
                &active.id,
            ] {
                assert!(out.contains(needle), "{l}: {needle} in {out}");
            }
            let (out, _) = run(&db, &[k.cmd, "list", "-o", "csv"], 0);
            let rows = csv_rows(&out);
            assert_eq!(
                rows[0],
                [
                    "id",
                    "user_id",
                    "user_email",
                    "fingerprint",
                    "state",
                    "created_at",
                    "expires_at",
                    if k.token {
                        "revoked_at"
                    } else {
                        "last_activity_at"
                    },
                    "ip_address",
                    "user_agent"
                ],
                "{l}: the JSON field names"
            );
            assert_eq!(rows.len(), 3, "{l}: {out}");
            assert_eq!(
                rows[1][..5],
                [
                    active.id.clone(),
                    a.to_string(),
                    "ann@example.com".into(),
                    fingerprint(&active.secret),
                    "active".into()
                ],
                "{l}"
            );
            assert_eq!(rows[1][8..], ["192.0.2.7", "Mozilla/5.0 (test)"], "{l}");
            assert_eq!(rows[2][8..], ["2001:db8::5", ""], "{l}");

            // Nothing matches: an empty array / "(none)" / a header only.
            let none = [
                k.cmd,
                "list",
                "--user",
                "ben@example.com",
                "--state",
                "expired",
            ];
            let (out, _) = run(&db, &[&none[..], &["-o", "json"][..]].concat(), 0);
            assert_eq!(json(&db, &out), serde_json::json!([]), "{l}");
            let (out, _) = run(&db, &none, 0);
            assert_eq!(out.trim(), "(none)", "{l}");
            let (out, _) = run(&db, &[&none[..], &["-o", "csv"][..]].concat(), 0);
            assert_eq!(out.lines().count(), 1, "{l}: {out}");
            let (out, _) = run(&db, &[&none[..], &["--all", "-o", "json"][..]].concat(), 0);
            assert_eq!(json(&db, &out), serde_json::json!([]), "{l}: --all");
            let (out, _) = run(&db, &[&none[..], &["--all"][..]].concat(), 0);
            assert_eq!(out.trim(), "(none)", "{l}: --all");

            // Errors name the value; usage errors are 64, unknown things 65.
            let (_, err) = run(&db, &[k.cmd, "list", "--user", "nobody@example.com"], 65);
            assert!(err.contains("nobody@example.com"), "{l}: {err}");
            let unknown = Uuid::new_v4().to_string();
            let (_, err) = run(&db, &[k.cmd, "list", "--user", &unknown], 65);
            assert!(err.contains(&unknown), "{l}: {err}");
            let (_, err) = run(&db, &[k.cmd, "list", "--user", "bob"], 64);
            assert!(err.contains("bob"), "{l}: {err}");
            for bad in ["-3", "12", "abc"] {
                let (_, err) = run(&db, &[k.cmd, "list", &format!("--after={bad}")], 64);
                assert!(err.contains(bad), "{l}: {bad}: {err}");
            }
            let (_, err) = run(&db, &[k.cmd, "list", "--after", &unknown], 65);
            assert!(err.contains(&unknown), "{l}: {err}");
            run(&db, &[k.cmd, "list", "--state", "dormant"], 64);
            run(&db, &[k.cmd, "list", "--limit", "0"], 64);
            run(&db, &[k.cmd, "list", "--all", "--limit", "5"], 64);
        }
    }
}

per_backend! {
    /// The application's rule decides the state: the flag and the expiry, nothing else.
    /// A NULL flag counts as revoked everywhere (listing, revoking, counting).
    fn validity_follows_the_applications_flags(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let active = add(k, &mut conn, a);
            let null = add(k, &mut conn, a);
            let expired_null = create(
                k,
                &mut conn,
                a,
                &Spec {
                    expires_in: chrono::Duration::hours(-2),
                    ..Spec::default()
                },
            );
            null_flag(&db, k, &null.id);
            null_flag(&db, k, &expired_null.id);
            // Tokens: a revoked_at without is_revoked is still valid for the
            // application; is_revoked without revoked_at is revoked. Sessions: only
            // is_active counts.
            let stale = add(k, &mut conn, a);
            let flag_only = add(k, &mut conn, a);
            if k.token {
                db.exec(&format!(
                    "UPDATE refresh_tokens SET revoked_at = '2001-01-01 00:00:00.000000' \
                     WHERE id = '{}'; \
                     UPDATE refresh_tokens SET is_revoked = TRUE WHERE id = '{}'",
                    stale.id, flag_only.id
                ));
            } else {
                db.exec(&format!(
                    "UPDATE login_sessions SET is_active = FALSE WHERE session_id = '{}'",
                    flag_only.id
                ));
            }

            let state_of = |id: &str| -> String {
                let v = json(
                    &db,
                    &run(&db, &[k.cmd, "list", "--state", "all", "-o", "json"], 0).0,
                );
                v.as_array()
                    .unwrap()
                    .iter()
                    .find(|r| r["id"] == id)
                    .map(|r| r["state"].as_str().unwrap().to_owned())
                    .unwrap_or_else(|| panic!("{l}: {id} not listed: {v}"))
            };
            assert_eq!(state_of(&null.id), "revoked", "{l}: NULL flag");
            assert_eq!(state_of(&expired_null.id), "revoked", "{l}: NULL flag");
            assert_eq!(state_of(&stale.id), "active", "{l}");
            assert_eq!(state_of(&flag_only.id), "revoked", "{l}");
            assert_eq!(
                sorted(&list_ids(&db, k, &[])),
                sorted(&ids_of(&[&active, &stale])),
                "{l}: active"
            );
            assert_eq!(
                sorted(&list_ids(&db, k, &["--state", "revoked"])),
                sorted(&ids_of(&[&null, &expired_null, &flag_only])),
                "{l}: revoked"
            );
            assert!(
                list_ids(&db, k, &["--state", "expired"]).is_empty(),
                "{l}: an expired row with a NULL flag is revoked, not expired"
            );

            // Revoking a NULL-flag row by id: already revoked, left as it is.
            let (out, err) = run(&db, &[k.cmd, "revoke", &null.id, "-o", "json"], 0);
            let v = json(&db, &out);
            assert_eq!(strs(&v["revoked"]), Vec::<String>::new(), "{l}: {v}");
            assert_eq!(strs(&v["already_revoked"]), vec![null.id.clone()], "{l}");
            assert!(err.contains("already revoked"), "{l}: {err}");
            assert_eq!(column(&db, k, &null.id, flag_col(k)), "NULL", "{l}");
            if k.token {
                assert_eq!(column(&db, k, &null.id, "revoked_at"), "NULL", "{l}");
            }
            assert_eq!(event_count(&db), 0, "{l}: nothing revoked, nothing audited");

            // Every active one: exactly the two the application accepts.
            let before = UtcDateTime::now();
            let (out, _) = run(
                &db,
                &[k.cmd, "revoke", "--all-active", "--yes", "-o", "json"],
                0,
            );
            let v = json(&db, &out);
            assert_eq!(
                sorted(&strs(&v["revoked"])),
                sorted(&ids_of(&[&active, &stale])),
                "{l}: {v}"
            );
            assert_eq!(column(&db, k, &null.id, flag_col(k)), "NULL", "{l}");
            assert_eq!(column(&db, k, &expired_null.id, flag_col(k)), "NULL", "{l}");
            if k.token {
                // Revoked now: revoked_at is the revoke's time, not the stale one.
                let t = time_column(&db, k, &stale.id, "revoked_at").unwrap();
                assert!(t >= before, "{l}: {t}");
                assert_eq!(column(&db, k, &flag_only.id, "revoked_at"), "NULL", "{l}");
            }
        }
    }
}

per_backend! {
    /// `--limit`/`--after` pages and `--all` streams on `(expires_at, id)`, newest expiry
    /// first, across the internal page size (500) with runs of equal expiry spanning
    /// page boundaries.
    fn pagination_and_streaming_return_every_row_once(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            // Blocks of 300 rows with the same expiry: ties across the boundaries at
            // 400 (--limit) and 500 and 1000 (--all's pages).
            let creds = add_many(
                k,
                &mut conn,
                1003,
                |i| if i % 3 == 0 { b } else { a },
                |_| chrono::Duration::hours(1),
            );
            let block = |i: usize| i / 300;
            let owner: BTreeMap<String, UserId> = creds
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.clone(), if i % 3 == 0 { b } else { a }))
                .collect();
            let in_list = |ids: &mut dyn Iterator<Item = &String>| {
                ids.map(|id| format!("'{id}'"))
                    .collect::<Vec<_>>()
                    .join(",")
            };
            for n in 0..4 {
                let list = in_list(
                    &mut creds
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| block(*i) == n)
                        .map(|(_, c)| &c.id),
                );
                db.exec(&format!(
                    "UPDATE {} SET expires_at = '2100-01-0{} 00:00:00.000000' WHERE {} IN ({list})",
                    k.table,
                    n + 1,
                    k.id_col
                ));
            }
            let revoked: HashSet<String> = creds.iter().step_by(7).map(|c| c.id.clone()).collect();
            let set = if k.token {
                "is_revoked = TRUE, revoked_at = '2001-01-01 00:00:00.000000'"
            } else {
                "is_active = FALSE"
            };
            db.exec(&format!(
                "UPDATE {} SET {set} WHERE {} IN ({})",
                k.table,
                k.id_col,
                in_list(&mut revoked.iter())
            ));

            // The expected order, computed here: expiry descending, then id
            // descending (uuid order is byte order, as both backends compare).
            let mut all: Vec<(usize, Uuid)> = creds
                .iter()
                .enumerate()
                .map(|(i, c)| (block(i), c.id.parse().unwrap()))
                .collect();
            all.sort_by(|x, y| y.cmp(x));
            let all: Vec<String> = all.into_iter().map(|(_, id)| id.to_string()).collect();
            let active: Vec<String> = all
                .iter()
                .filter(|id| !revoked.contains(*id))
                .cloned()
                .collect();

            // --limit/--after: follow the cursor until an empty page.
            let mut seen = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let mut args = vec![
                    k.cmd, "list", "--state", "all", "--limit", "400", "-o", "json",
                ];
                if let Some(c) = &after {
                    args.extend(["--after", c]);
                }
                let page = ids(&json(&db, &run(&db, &args, 0).0));
                if page.is_empty() {
                    break;
                }
                assert!(page.len() <= 400, "{l}");
                after = page.last().cloned();
                seen.extend(page);
            }
            assert_eq!(seen, all, "{l}: pages with --after");

            // --all streams every row exactly once, as valid JSON and CSV.
            let (out, _) = run(
                &db,
                &[k.cmd, "list", "--all", "--state", "all", "-o", "json"],
                0,
            );
            assert_eq!(ids(&json(&db, &out)), all, "{l}: --all json");
            let (out, _) = run(
                &db,
                &[k.cmd, "list", "--all", "--state", "all", "-o", "csv"],
                0,
            );
            let csv_ids: Vec<String> = csv_rows(&out)
                .into_iter()
                .skip(1)
                .map(|r| r[0].clone())
                .collect();
            assert_eq!(csv_ids, all, "{l}: --all csv");
            assert_eq!(
                list_ids(&db, k, &["--all"]),
                active,
                "{l}: --all, active ones"
            );
            let (out, _) = run(&db, &[k.cmd, "list", "--all", "--state", "all"], 0);
            for id in [
                &all[0], &all[499], &all[500], &all[999], &all[1000], &all[1002],
            ] {
                assert_eq!(out.matches(id.as_str()).count(), 1, "{l}: {id} in table");
            }
            let expected: Vec<String> = all[501..]
                .iter()
                .filter(|id| owner[*id] == b)
                .cloned()
                .collect();
            assert_eq!(
                list_ids(
                    &db,
                    k,
                    &[
                        "--all",
                        "--state",
                        "all",
                        "--user",
                        "ben@example.com",
                        "--after",
                        &all[500],
                    ]
                ),
                expected,
                "{l}: --all with --user and --after"
            );

            // A full page says how to continue (stderr, table only).
            let (out, err) = run(&db, &[k.cmd, "list", "--limit", "2"], 0);
            assert!(
                err.contains(&format!("--after {}", active[1])),
                "{l}: {err}"
            );
            assert!(
                out.contains(&active[0]) && out.contains(&active[1]) && !out.contains(&active[2]),
                "{l}: {out}"
            );
            for format in ["json", "csv"] {
                let (_, err) = run(&db, &[k.cmd, "list", "--limit", "2", "-o", format], 0);
                assert_eq!(
                    err,
                    format!(
                        "more may follow: --after {} for the next page, --all for every row\n",
                        active[1]
                    ),
                    "{l}: the same hint in {format}"
                );
            }
            // The last page is not full: no hint.
            let (_, err) = run(
                &db,
                &[
                    k.cmd,
                    "list",
                    "--limit",
                    "2",
                    "--after",
                    &active[active.len() - 2],
                ],
                0,
            );
            assert!(!err.contains("--after"), "{l}: {err}");
        }
    }
}

// ---------------------------------------------------------------------------------
// revoke

per_backend! {
    fn revoke_by_id_reports_already_revoked_and_audits(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            let a1 = add(k, &mut conn, a);
            let a2 = add(k, &mut conn, a);
            let b1 = add(k, &mut conn, b);
            let b2 = add(k, &mut conn, b);

            let before = UtcDateTime::now();
            let (out, err) = run(
                &db,
                &[
                    k.cmd,
                    "revoke",
                    &a1.id,
                    "--reason",
                    "lost laptop",
                    "--actor",
                    "alice",
                ],
                0,
            );
            let after = UtcDateTime::now();
            assert_eq!(out, format!("revoked {} {}\n", k.noun, a1.id), "{l}");
            assert!(err.is_empty(), "{l}: {err}");
            assert_eq!(revoked_ids(&db, k), vec![a1.id.clone()], "{l}");
            if k.token {
                let t = time_column(&db, k, &a1.id, "revoked_at").expect("revoked_at set");
                assert!(before <= t && t <= after, "{l}: revoked_at = now: {t}");
            }

            let ev = events(&db, k.action);
            assert_eq!(ev.len(), 1, "{l}: {ev:?}");
            assert_eq!(
                (
                    ev[0].actor.as_str(),
                    ev[0].user_id.as_str(),
                    ev[0].user_email.as_str()
                ),
                ("alice", a.to_string().as_str(), "ann@example.com"),
                "{l}"
            );
            assert_eq!(
                ev[0].detail,
                serde_json::json!({"id": a1.id, "scope": "id", "reason": "lost laptop"}),
                "{l}"
            );
            let snapshot =
                |id: &str| column(&db, k, id, if k.token { "revoked_at" } else { "is_active" });
            let first_revoked_at = snapshot(&a1.id);

            // One already revoked, one new, one twice: reported, not an error.
            let (out, err) = run_cmd(
                db.authctl()
                    .args([k.cmd, "revoke", &a1.id, &b1.id, &b1.id, "-o", "json"])
                    .env("AUTHCTL_ACTOR", "bob"),
                &db,
                &[k.cmd, "revoke"],
                0,
            );
            let v = json(&db, &out);
            assert_eq!(strs(&v["revoked"]), vec![b1.id.clone()], "{l}: {v}");
            assert_eq!(strs(&v["already_revoked"]), vec![a1.id.clone()], "{l}: {v}");
            assert!(
                err.contains(&format!("{} {} was already revoked", k.noun, a1.id)),
                "{l}: {err}"
            );
            assert_eq!(revoked_ids(&db, k), sorted(&ids_of(&[&a1, &b1])), "{l}");
            assert_eq!(
                snapshot(&a1.id),
                first_revoked_at,
                "{l}: an already revoked one is left alone"
            );
            let ev = events(&db, k.action);
            assert_eq!(ev.len(), 2, "{l}: one event per revoked id: {ev:?}");
            assert_eq!(ev[1].actor, "bob", "{l}");
            assert_eq!(ev[1].user_id, b.to_string(), "{l}");
            assert_eq!(ev[1].user_email, "ben@example.com", "{l}");
            assert_eq!(
                ev[1].detail,
                serde_json::json!({"id": b1.id, "scope": "id", "reason": null}),
                "{l}"
            );

            // Only already revoked ones: nothing changes, no event, success.
            let (out, err) = run(&db, &[k.cmd, "revoke", &a1.id], 0);
            assert!(out.is_empty(), "{l}: {out}");
            assert!(err.contains("already revoked"), "{l}: {err}");
            assert_eq!(event_count(&db), 2, "{l}");

            // --quiet: nothing at all on success.
            let (out, err) = run(&db, &[k.cmd, "revoke", &b2.id, "-q"], 0);
            assert_eq!((out.as_str(), err.as_str()), ("", ""), "{l}");

            // An expired one can be revoked by id too; CSV reports each id.
            expire(&db, k, &a2.id);
            let (out, _) = run(&db, &[k.cmd, "revoke", &a2.id, &b2.id, "-o", "csv"], 0);
            let kind = if k.token { "refresh_token" } else { "session" };
            assert_eq!(
                out,
                format!(
                    "kind,id,result\n{kind},{},revoked\n{kind},{},already_revoked\n",
                    a2.id, b2.id
                ),
                "{l}"
            );
            assert_eq!(
                revoked_ids(&db, k),
                sorted(&ids_of(&[&a1, &a2, &b1, &b2])),
                "{l}"
            );
            assert_eq!(events(&db, k.action).len(), 4, "{l}");
            // Upper-case ids are the same ids.
            reactivate(&db, k, &a2.id);
            let (out, _) = run(
                &db,
                &[k.cmd, "revoke", &a2.id.to_uppercase(), "-o", "json"],
                0,
            );
            assert_eq!(
                strs(&json(&db, &out)["revoked"]),
                vec![a2.id.clone()],
                "{l}"
            );
        }
    }
}

per_backend! {
    fn revoke_unknown_or_bad_id_changes_nothing(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let a1 = add(k, &mut conn, a);
            let a2 = add(k, &mut conn, a);

            let unknown = Uuid::new_v4().to_string();
            let (_, err) = run(&db, &[k.cmd, "revoke", &a1.id, &unknown, &a2.id], 65);
            assert!(err.contains(&unknown), "{l}: {err}");
            assert!(err.contains("nothing was revoked"), "{l}: {err}");
            assert!(
                !err.contains(&a1.id) && !err.contains(&a2.id),
                "{l}: names only the unknown id: {err}"
            );

            // Many unknown ones: at most ten named, and how many more.
            let many: Vec<String> = (0..12).map(|_| Uuid::new_v4().to_string()).collect();
            let mut args = vec![k.cmd, "revoke", a1.id.as_str()];
            args.extend(many.iter().map(String::as_str));
            let (_, err) = run(&db, &args, 65);
            assert_eq!(
                many.iter().filter(|id| err.contains(id.as_str())).count(),
                10,
                "{l}: {err}"
            );
            assert!(err.contains("and 2 more"), "{l}: {err}");
            assert!(revoked_ids(&db, k).is_empty(), "{l}: nothing revoked");
            assert_eq!(event_count(&db), 0, "{l}");

            for bad in [
                "-1",
                "0",
                "abc",
                "123",
                "1.5",
                "6f1c2d3e-4b5a-4c6d-8e7f-0123456789a",
            ] {
                let (_, err) = run(&db, &[k.cmd, "revoke", "--", bad], 64);
                assert!(err.contains(bad), "{l}: {bad}: {err}");
            }
            // Exactly one target.
            for args in [
                vec![k.cmd, "revoke"],
                vec![k.cmd, "revoke", &a1.id, "--all-active", "--yes"],
                vec![
                    k.cmd,
                    "revoke",
                    "--user",
                    "ann@example.com",
                    "--all-active",
                    "--yes",
                ],
                vec![k.cmd, "revoke", &a1.id, "--user", "ann@example.com"],
                vec![k.cmd, "revoke", &a1.id, "--token-stdin"],
                vec![k.cmd, "revoke", "--token-stdin", "--all-active", "--yes"],
            ] {
                run_stdin(&db, &args, a1.secret.as_bytes(), 64);
            }
            let (_, err) = run(&db, &[k.cmd, "revoke", "--user", "nobody@example.com"], 65);
            assert!(err.contains("nobody@example.com"), "{l}: {err}");
            let (_, err) = run(&db, &[k.cmd, "revoke", "--user", &unknown], 65);
            assert!(err.contains(&unknown), "{l}: {err}");
            run(&db, &[k.cmd, "revoke", "--user", "bob"], 64);
            // A reason must be printable text.
            let (_, err) = run(
                &db,
                &[k.cmd, "revoke", &a1.id, "--reason", "bad\u{1b}[2Jreason"],
                65,
            );
            assert!(!err.contains('\u{1b}'), "{l}: {err:?}");
            assert!(revoked_ids(&db, k).is_empty(), "{l}: nothing revoked");
            assert_eq!(event_count(&db), 0, "{l}");
        }
    }
}

per_backend! {
    fn revoke_by_user_touches_only_that_users_active_ones(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            let a1 = add(k, &mut conn, a);
            let b1 = add(k, &mut conn, b);
            let a2 = add(k, &mut conn, a);
            let a_expired = add(k, &mut conn, a);
            let a_old = add(k, &mut conn, a);
            let a_null = add(k, &mut conn, a);
            expire(&db, k, &a_expired.id);
            revoke_in_db(&db, k, &a_old.id);
            null_flag(&db, k, &a_null.id);

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
            let mine = sorted(&ids_of(&[&a1, &a2]));
            assert_eq!(strs(&v["revoked"]), mine, "{l}: ascending: {v}");
            assert_eq!(strs(&v["already_revoked"]), Vec::<String>::new(), "{l}");
            assert_eq!(
                revoked_ids(&db, k),
                sorted(&ids_of(&[&a1, &a2, &a_old])),
                "{l}: ben's, the expired and the NULL one untouched"
            );
            assert_eq!(active_ids(&db, k), vec![b1.id.clone()], "{l}");
            assert_eq!(column(&db, k, &a_null.id, flag_col(k)), "NULL", "{l}");

            // One event for the user, with the count and the ids.
            let ev = events(&db, k.action);
            assert_eq!(ev.len(), 1, "{l}: {ev:?}");
            assert_eq!(ev[0].actor, "alice", "{l}");
            assert_eq!(ev[0].user_id, a.to_string(), "{l}");
            assert_eq!(ev[0].user_email, "ann@example.com", "{l}");
            assert_eq!(
                ev[0].detail,
                serde_json::json!({
                    "scope": "user", "count": 2, "ids": mine, "reason": "password reset"
                }),
                "{l}"
            );

            // Again: nothing active left — reported, no event.
            let (out, err) = run(&db, &[k.cmd, "revoke", "--user", &a.to_string()], 0);
            assert!(out.is_empty(), "{l}: {out}");
            assert!(
                err.contains(&format!("ann@example.com has no active {}", k.plural)),
                "{l}: {err}"
            );
            assert_eq!(event_count(&db), 1, "{l}");

            // Table output names the user.
            let (out, _) = run(&db, &[k.cmd, "revoke", "--user", "ben@example.com"], 0);
            assert_eq!(
                out,
                format!("revoked 1 {} of ben@example.com\n", k.noun),
                "{l}"
            );
            assert!(active_ids(&db, k).is_empty(), "{l}");
        }
    }
}

per_backend! {
    fn revoke_all_active_needs_confirmation_and_revokes_every_active_one(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            let mut anns: Vec<String> = (0..3).map(|_| add(k, &mut conn, a).id).collect();
            anns.sort();
            // More than AUDIT_ID_CAP (100) for one user: the event's id list is capped.
            let mut bens: Vec<String> =
                add_many(k, &mut conn, 105, |_| b, |_| chrono::Duration::hours(1))
                    .into_iter()
                    .map(|c| c.id)
                    .collect();
            bens.sort();
            let expired = add(k, &mut conn, a);
            let old = add(k, &mut conn, b);
            expire(&db, k, &expired.id);
            revoke_in_db(&db, k, &old.id);

            // No terminal and no --yes: a usage error, nothing revoked.
            let (_, err) = run(&db, &[k.cmd, "revoke", "--all-active"], 64);
            assert!(err.contains("--yes"), "{l}: {err}");
            assert!(err.contains("108"), "{l}: says how many: {err}");
            assert_eq!(revoked_ids(&db, k), vec![old.id.clone()], "{l}");
            assert_eq!(event_count(&db), 0, "{l}");

            let (out, _) = run(
                &db,
                &[
                    k.cmd,
                    "revoke",
                    "--all-active",
                    "--yes",
                    "--reason",
                    "breach",
                    "--actor",
                    "alice",
                    "-o",
                    "json",
                ],
                0,
            );
            let v = json(&db, &out);
            let mut everyone: Vec<String> = anns.iter().chain(&bens).cloned().collect();
            everyone.sort();
            assert_eq!(strs(&v["revoked"]), everyone, "{l}: ascending");
            let mut expected = everyone.clone();
            expected.push(old.id.clone());
            expected.sort();
            assert_eq!(
                revoked_ids(&db, k),
                expected,
                "{l}: the expired one untouched"
            );

            // One event per affected user.
            let ev = events(&db, k.action);
            assert_eq!(ev.len(), 2, "{l}: {ev:?}");
            let by_user: BTreeMap<&str, &Event> =
                ev.iter().map(|e| (e.user_id.as_str(), e)).collect();
            let eb = by_user[b.to_string().as_str()];
            assert_eq!(eb.user_email, "ben@example.com", "{l}");
            assert_eq!(eb.actor, "alice", "{l}");
            assert_eq!(
                eb.detail,
                serde_json::json!({
                    "scope": "all", "count": 105, "ids": bens[..100], "reason": "breach"
                }),
                "{l}: capped at 100"
            );
            let ea = by_user[a.to_string().as_str()];
            assert_eq!(ea.user_email, "ann@example.com", "{l}");
            assert_eq!(
                ea.detail,
                serde_json::json!({"scope": "all", "count": 3, "ids": anns, "reason": "breach"}),
                "{l}"
            );

            // Nothing active left: succeeds without asking.
            let (out, err) = run(&db, &[k.cmd, "revoke", "--all-active"], 0);
            assert!(
                out.is_empty() && err.contains("nothing to revoke"),
                "{l}: {out} {err}"
            );
            let (out, _) = run(&db, &[k.cmd, "revoke", "--all-active", "-o", "json"], 0);
            assert_eq!(
                json(&db, &out),
                serde_json::json!({
                    "kind": if k.token { "refresh_token" } else { "session" },
                    "changed": false,
                    "revoked": [],
                    "already_revoked": []
                }),
                "{l}"
            );
            assert_eq!(event_count(&db), 2, "{l}");

            // Table output counts rows and users.
            add(k, &mut conn, a);
            add(k, &mut conn, b);
            add(k, &mut conn, b);
            let (out, _) = run(&db, &[k.cmd, "revoke", "--all-active", "--yes"], 0);
            assert_eq!(out, format!("revoked 3 {} of 2 users\n", k.plural), "{l}");
        }
    }
}

/// Run `authctl ARGS` on a pseudo-terminal (`script` from util-linux), wait for the
/// confirmation prompt, answer `key`; returns the exit code and the terminal text.
fn answer_prompt(db: &TestDb, args: &[&str], key: &str) -> (Option<i32>, String) {
    use std::io::{Read, Write};
    #[allow(deprecated)]
    let bin = assert_cmd::cargo::cargo_bin("authctl");
    let inner = format!(
        "'{}' --database-url '{}' {}",
        bin.display(),
        db.url(),
        args.join(" ")
    );
    let mut child = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", db.scratch())
        .env("TERM", "dumb")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("script(1) from util-linux runs");
    let mut stdout = child.stdout.take().unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let reader = {
        let seen = Arc::clone(&seen);
        std::thread::spawn(move || {
            let mut buf = [0u8; 256];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        })
    };
    wait_until("the confirmation prompt (or the end)", || {
        String::from_utf8_lossy(&seen.lock().unwrap()).contains("[y/N]")
            || child.try_wait().unwrap().is_some()
    });
    assert!(
        String::from_utf8_lossy(&seen.lock().unwrap()).contains("[y/N]"),
        "{args:?}: ended without asking: {}",
        String::from_utf8_lossy(&seen.lock().unwrap())
    );
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(key.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let status = common::wait_for("an answer to the prompt", || child.try_wait().unwrap());
    drop(stdin);
    reader.join().unwrap();
    let text = String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
    (status.code(), text)
}

per_backend! {
    /// On a terminal, `--all-active` asks first (saying how many): "no" changes nothing
    /// (exit 1), "yes" revokes.
    fn revoke_all_active_asks_on_a_terminal(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let creds: Vec<Cred> = (0..3).map(|_| add(k, &mut conn, a)).collect();
            let (code, text) = answer_prompt(&db, &[k.cmd, "revoke", "--all-active"], "n");
            assert_eq!(code, Some(1), "{l}: {text}");
            assert!(text.contains(&format!("(3 {})", k.plural)), "{l}: {text}");
            assert!(text.contains("not confirmed"), "{l}: {text}");
            assert_eq!(active_ids(&db, k).len(), 3, "{l}: nothing revoked");
            assert_eq!(event_count(&db), 0, "{l}");
            let (code, text) = answer_prompt(&db, &[k.cmd, "revoke", "--all-active"], "y");
            assert_eq!(code, Some(0), "{l}: {text}");
            assert!(
                text.contains(&format!("revoked 3 {} of 1 user", k.plural)),
                "{l}: {text}"
            );
            assert_eq!(
                revoked_ids(&db, k),
                sorted(&ids_of(&creds.iter().collect::<Vec<_>>())),
                "{l}"
            );
        }
    }
}

per_backend! {
    /// Bulk revokes work in batches of 1000 rows inside one transaction: more than a
    /// batch by ids (given on the command line), by user and of every user.
    fn bulk_revokes_cross_the_batch_size(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let b = user(&mut conn, "ben@example.com");
            let c = user(&mut conn, "cat@example.com");
            let anns: Vec<String> =
                add_many(k, &mut conn, 2101, |_| a, |_| chrono::Duration::hours(2))
                    .into_iter()
                    .map(|c| c.id)
                    .collect();
            let mut others: Vec<String> = add_many(
                k,
                &mut conn,
                1006,
                |i| if i < 1001 { b } else { c },
                |_| chrono::Duration::hours(2),
            )
            .into_iter()
            .map(|c| c.id)
            .collect();

            // By ids: 1050 of them, one unknown past the first batch → nothing.
            let by_id: Vec<String> = anns[..1050].to_vec();
            assert!(by_id.len() > BATCH && anns.len() - by_id.len() > BATCH);
            assert!(others.len() > BATCH);
            let unknown = Uuid::new_v4().to_string();
            let mut args: Vec<&str> = vec![k.cmd, "revoke", "-o", "json"];
            args.extend(by_id.iter().map(String::as_str));
            let with_unknown = [&args[..], &[unknown.as_str()]].concat();
            let (_, err) = run(&db, &with_unknown, 65);
            assert!(err.contains(&unknown), "{l}: {err}");
            assert!(revoked_ids(&db, k).is_empty(), "{l}: nothing revoked");
            assert_eq!(event_count(&db), 0, "{l}");

            let (out, _) = run(&db, &args, 0);
            assert_eq!(
                strs(&json(&db, &out)["revoked"]),
                by_id,
                "{l}: in the order given"
            );
            assert_eq!(revoked_ids(&db, k), sorted(&by_id), "{l}");
            let ev = events(&db, k.action);
            assert_eq!(ev.len(), 1050, "{l}: one event per id");
            let audited: Vec<String> = ev
                .iter()
                .map(|e| e.detail["id"].as_str().unwrap().to_owned())
                .collect();
            assert_eq!(audited, by_id, "{l}");

            // By user: the remaining 1051 of ann.
            let rest = sorted(&anns[1050..]);
            let (out, _) = run(
                &db,
                &[k.cmd, "revoke", "--user", "ann@example.com", "-o", "json"],
                0,
            );
            assert_eq!(strs(&json(&db, &out)["revoked"]), rest, "{l}");
            let ev = events(&db, k.action);
            assert_eq!(ev.len(), 1051, "{l}");
            let last = &ev[1050].detail;
            assert_eq!(last["scope"], "user", "{l}");
            assert_eq!(last["count"], 1051, "{l}");
            assert_eq!(strs(&last["ids"]), rest[..100], "{l}");

            // Every active one: 1006 of two users.
            others.sort();
            let (out, _) = run(
                &db,
                &[k.cmd, "revoke", "--all-active", "--yes", "-o", "json"],
                0,
            );
            assert_eq!(strs(&json(&db, &out)["revoked"]), others, "{l}");
            assert!(active_ids(&db, k).is_empty(), "{l}: nothing active left");
            let ev = events(&db, k.action);
            assert_eq!(ev.len(), 1053, "{l}");
            let counts: BTreeMap<String, i64> = ev[1051..]
                .iter()
                .map(|e| (e.user_email.clone(), e.detail["count"].as_i64().unwrap()))
                .collect();
            assert_eq!(
                counts,
                BTreeMap::from([
                    ("ben@example.com".to_owned(), 1001),
                    ("cat@example.com".to_owned(), 5)
                ]),
                "{l}"
            );
            if k.token {
                assert_eq!(
                    count(
                        &db,
                        "SELECT count(*) AS n FROM refresh_tokens WHERE revoked_at IS NULL"
                    ),
                    0,
                    "{l}: every revoke records when"
                );
            }
        }
    }
}

per_backend! {
    /// A revoke and its audit events are one transaction: when the audit trail refuses
    /// an event (after more than a batch of rows was already marked), nothing stays
    /// revoked.
    fn revoke_is_atomic_with_its_audit_events(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let z = user(&mut conn, "zed@example.com");
            let creds = add_many(
                k,
                &mut conn,
                1005,
                |i| if i < 1000 { a } else { z },
                |_| chrono::Duration::hours(1),
            );
            let zeds: Vec<String> = creds[1000..].iter().map(|c| c.id.clone()).collect();
            if db.is_postgres() {
                db.exec(
                    "CREATE FUNCTION refuse_zed() RETURNS trigger AS $$ BEGIN \
                       IF NEW.user_email = 'zed@example.com' THEN RAISE EXCEPTION 'audit refused'; END IF; \
                       RETURN NEW; END $$ LANGUAGE plpgsql; \
                     CREATE TRIGGER refuse_zed BEFORE INSERT ON authctl_audit_events \
                       FOR EACH ROW EXECUTE FUNCTION refuse_zed();",
                );
            } else {
                db.exec(
                    "CREATE TRIGGER refuse_zed BEFORE INSERT ON authctl_audit_events \
                     WHEN NEW.user_email = 'zed@example.com' \
                     BEGIN SELECT RAISE(ABORT, 'audit refused'); END;",
                );
            }
            for args in [
                vec![k.cmd, "revoke", "--all-active", "--yes"],
                vec![k.cmd, "revoke", "--user", "zed@example.com"],
                vec![k.cmd, "revoke", creds[0].id.as_str(), zeds[3].as_str()],
            ] {
                let out = db.authctl().args(&args).output().unwrap();
                let err = String::from_utf8_lossy(&out.stderr);
                assert_ne!(out.status.code(), Some(0), "{l}: {args:?}");
                assert!(err.contains("audit refused"), "{l}: {args:?}: {err}");
                assert!(
                    revoked_ids(&db, k).is_empty(),
                    "{l}: {args:?}: nothing revoked"
                );
                assert_eq!(event_count(&db), 0, "{l}: {args:?}: no event");
                assert_eq!(active_ids(&db, k).len(), 1005, "{l}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// --token-stdin

per_backend! {
    fn revoke_by_token_on_stdin(db) {
        let k = &TOKENS;
        let l = format!("{} tokens", db.label());
        let mut conn = db.migrated();
        let a = user(&mut conn, "ann@example.com");
        let b = user(&mut conn, "ben@example.com");
        let t1 = add(k, &mut conn, a);
        let t2 = add(k, &mut conn, a);
        let t3 = add(k, &mut conn, b);
        let secrets = [&t1.secret, &t2.secret, &t3.secret];
        let leaks = |out: &str| secrets.iter().any(|s| out.contains(s.as_str()));

        let (out, err) = run_stdin(
            &db,
            &[
                "tokens",
                "revoke",
                "--token-stdin",
                "--reason",
                "leaked in a log",
                "--actor",
                "alice",
            ],
            format!("{}\n", t1.secret).as_bytes(),
            0,
        );
        assert_eq!(
            out,
            format!("revoked refresh token {} of ann@example.com\n", t1.id),
            "{l}"
        );
        assert!(err.is_empty(), "{l}: {err}");
        assert_eq!(revoked_ids(&db, k), vec![t1.id.clone()], "{l}");
        let ev = events(&db, k.action);
        assert_eq!(ev.len(), 1, "{l}");
        assert_eq!(ev[0].user_email, "ann@example.com", "{l}");
        assert_eq!(ev[0].user_id, a.to_string(), "{l}");
        assert_eq!(
            ev[0].detail,
            serde_json::json!({
                "id": t1.id, "scope": "token", "reason": "leaked in a log",
                "fingerprint": fingerprint(&t1.secret)
            }),
            "{l}"
        );

        // Again: already revoked, reported, exit 0, no event.
        let (out, err) = run_stdin(
            &db,
            &["tokens", "revoke", "--token-stdin", "-o", "json"],
            t1.secret.as_bytes(),
            0,
        );
        assert_eq!(
            json(&db, &out),
            serde_json::json!({
                "kind": "refresh_token", "changed": false,
                "revoked": [], "already_revoked": [t1.id]
            }),
            "{l}"
        );
        assert!(err.contains("already revoked"), "{l}: {err}");
        assert_eq!(event_count(&db), 1, "{l}");

        // CRLF stripped; CSV result.
        let (out, _) = run_stdin(
            &db,
            &["tokens", "revoke", "--token-stdin", "-o", "csv"],
            format!("{}\r\n", t2.secret).as_bytes(),
            0,
        );
        assert_eq!(
            out,
            format!("kind,id,result\nrefresh_token,{},revoked\n", t2.id),
            "{l}"
        );

        // No match: exit 65 naming only the fingerprint.
        let stranger = raw_token();
        let (out, err) = run_stdin(
            &db,
            &["tokens", "revoke", "--token-stdin"],
            stranger.as_bytes(),
            65,
        );
        assert!(err.contains(&fingerprint(&stranger)), "{l}: {err}");
        assert!(err.contains("nothing was revoked"), "{l}: {err}");
        assert!(
            !out.contains(&stranger) && !err.contains(&stranger),
            "{l}: {err}"
        );
        // The fingerprint is the one `list` shows for a stored token.
        let v = json(
            &db,
            &run(
                &db,
                &["tokens", "list", "--user", "ben@example.com", "-o", "json"],
                0,
            )
            .0,
        );
        assert_eq!(v[0]["fingerprint"], fingerprint(&t3.secret), "{l}");

        // Bad input: refused without quoting it, nothing revoked.
        let big = "B".repeat(8 * 1024);
        let bad: Vec<(&str, Vec<u8>)> = vec![
            ("empty", vec![]),
            ("a newline only", b"\n".to_vec()),
            ("two newlines", format!("{}\n\n", t3.secret).into_bytes()),
            ("a NUL", format!("{}\0", t3.secret).into_bytes()),
            (
                "an inner newline",
                format!("{}\n{}", t3.secret, t3.secret).into_bytes(),
            ),
            ("not UTF-8", [t3.secret.as_bytes(), b"\xff\xfe"].concat()),
            ("over 8 KiB", format!("{}{big}", t3.secret).into_bytes()),
            ("8 KiB unknown", big.clone().into_bytes()),
        ];
        for (what, input) in bad {
            let (out, err) = run_stdin(&db, &["tokens", "revoke", "--token-stdin"], &input, 65);
            assert!(!leaks(&out) && !leaks(&err), "{l}: {what}: {err}");
            assert!(!err.contains("BBBBBBBB"), "{l}: {what}: {err}");
            if what == "over 8 KiB" {
                assert!(err.contains("8 KiB"), "{l}: {err}");
            }
        }
        assert_eq!(
            revoked_ids(&db, k),
            sorted(&ids_of(&[&t1, &t2])),
            "{l}: ben's untouched"
        );

        // A long token the application stored is found too.
        let long = format!("{}.{}", raw_token(), "x".repeat(1500));
        repo::refresh_tokens::create(
            &mut conn,
            &NewRefreshToken::new(b, &long, UtcDateTime::now() + chrono::Duration::days(7)),
        )
        .unwrap();
        let (out, err) = run_stdin(
            &db,
            &["tokens", "revoke", "--token-stdin", "-o", "json"],
            long.as_bytes(),
            0,
        );
        assert_eq!(strs(&json(&db, &out)["revoked"]).len(), 1, "{l}");
        assert!(
            !out.contains(&long[..60]) && !err.contains(&long[..60]),
            "{l}"
        );
        assert!(!leaks(&audit_text(&db)), "{l}: audit trail");
    }
}

per_backend! {
    fn revoke_by_session_token_on_stdin(db) {
        let k = &SESSIONS;
        let l = format!("{} sessions", db.label());
        let mut conn = db.migrated();
        let a = user(&mut conn, "ann@example.com");
        let s1 = add(k, &mut conn, a);
        let s2 = add(k, &mut conn, a);
        let s3 = add(k, &mut conn, a);
        let t = add(&TOKENS, &mut conn, a);

        let (out, err) = run_stdin(
            &db,
            &["sessions", "revoke", "--token-stdin", "--actor", "alice"],
            format!("{}\n", s1.secret).as_bytes(),
            0,
        );
        assert_eq!(
            out,
            format!("revoked session {} of ann@example.com\n", s1.id),
            "{l}"
        );
        assert!(!err.contains(&s1.secret), "{l}: {err}");
        assert_eq!(revoked_ids(&db, k), vec![s1.id.clone()], "{l}");
        let ev = events(&db, k.action);
        assert_eq!(
            ev[0].detail,
            serde_json::json!({
                "id": s1.id, "scope": "token", "reason": null,
                "fingerprint": fingerprint(&s1.secret)
            }),
            "{l}"
        );
        // The same uuid in upper case is the same session token.
        run_stdin(
            &db,
            &["sessions", "revoke", "--token-stdin"],
            s2.secret.to_uppercase().as_bytes(),
            0,
        );
        assert_eq!(revoked_ids(&db, k), sorted(&ids_of(&[&s1, &s2])), "{l}");

        // An unknown one (a session's id is not its token): 65, never echoed.
        let unknown = Uuid::new_v4().to_string();
        for input in [unknown.as_str(), s3.id.as_str()] {
            let (out, err) = run_stdin(
                &db,
                &["sessions", "revoke", "--token-stdin"],
                input.as_bytes(),
                65,
            );
            assert!(
                !out.contains(input) && !err.contains(input),
                "{l}: {input} echoed: {err}"
            );
        }
        let (_, err) = run_stdin(
            &db,
            &["sessions", "revoke", "--token-stdin"],
            unknown.as_bytes(),
            65,
        );
        assert!(err.contains(&fingerprint(&unknown)), "{l}: {err}");
        assert_eq!(revoked_ids(&db, k), sorted(&ids_of(&[&s1, &s2])), "{l}");
        assert_eq!(
            revoked_ids(&db, &TOKENS),
            Vec::<String>::new(),
            "{l}: an unknown token revokes no refresh token"
        );
        assert_eq!(active_ids(&db, &TOKENS), vec![t.id.clone()], "{l}");
        assert!(
            !audit_text(&db).contains(&s1.secret) && !audit_text(&db).contains(&s2.secret),
            "{l}"
        );
    }
}

per_backend! {
    /// One way to revoke a leaked token of either kind: `tokens revoke
    /// --token-stdin` and `sessions revoke --token-stdin` both look the value up in
    /// both tables (the application stores both raw) and revoke whichever matches —
    /// a refresh token is revoked, a session deactivated — with the matching kind's
    /// audit event, naming the row and never the token. Before, each command looked
    /// in its own table only and refused the other kind (65).
    fn token_stdin_revokes_a_leaked_token_of_either_kind(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = user(&mut conn, "ann@example.com");
        for cmd in ["tokens", "sessions"] {
            for k in KINDS {
                let what = format!("{l}: {cmd} revoke --token-stdin with a {}", k.noun);
                let leaked = add(k, &mut conn, a);
                let other_kind = if k.token { &SESSIONS } else { &TOKENS };
                let bystander = add(other_kind, &mut conn, a);
                let events_before = events(&db, k.action).len();
                let (out, err) = run_stdin(
                    &db,
                    &[cmd, "revoke", "--token-stdin", "--reason", "leaked"],
                    format!("{}\n", leaked.secret).as_bytes(),
                    0,
                );
                assert_eq!(
                    out,
                    format!("revoked {} {} of ann@example.com\n", k.noun, leaked.id),
                    "{what}"
                );
                assert!(
                    !out.contains(&leaked.secret) && !err.contains(&leaked.secret),
                    "{what}: echoed"
                );
                assert!(revoked_ids(&db, k).contains(&leaked.id), "{what}");
                assert!(
                    active_ids(&db, other_kind).contains(&bystander.id),
                    "{what}: the other kind's row was touched"
                );
                if k.token {
                    assert_ne!(column(&db, k, &leaked.id, "revoked_at"), "NULL", "{what}");
                }
                let ev = events(&db, k.action);
                assert_eq!(ev.len(), events_before + 1, "{what}");
                assert_eq!(
                    ev.last().unwrap().detail,
                    serde_json::json!({
                        "id": leaked.id, "scope": "token", "reason": "leaked",
                        "fingerprint": fingerprint(&leaked.secret)
                    }),
                    "{what}"
                );
                assert!(!audit_text(&db).contains(&leaked.secret), "{what}: audited");

                // JSON names the kind that matched; again, it was already revoked.
                let (out, _) = run_stdin(
                    &db,
                    &[cmd, "revoke", "--token-stdin", "-o", "json"],
                    leaked.secret.as_bytes(),
                    0,
                );
                assert_eq!(
                    json(&db, &out),
                    serde_json::json!({
                        "kind": if k.token { "refresh_token" } else { "session" },
                        "changed": false,
                        "revoked": [],
                        "already_revoked": [leaked.id],
                    }),
                    "{what}"
                );
            }
            // Neither kind: 65, nothing revoked, the fingerprint only.
            let stranger = raw_token();
            let (out, err) = run_stdin(&db, &[cmd, "revoke", "--token-stdin"], stranger.as_bytes(), 65);
            assert!(
                err.contains("no refresh token or session matches the token on stdin"),
                "{l} {cmd}: {err}"
            );
            assert!(err.contains(&fingerprint(&stranger)), "{l} {cmd}: {err}");
            assert!(!out.contains(&stranger) && !err.contains(&stranger), "{l} {cmd}");
        }
    }
}

per_backend! {
    /// A session token piped in another spelling of the same uuid (upper case, no
    /// hyphens, braces, `urn:uuid:`) revokes that session; the audit event must
    /// record the fingerprint `sessions list` shows for it (of the stored canonical
    /// token), or the trail cannot be matched to the listing.
    fn session_token_spellings_audit_the_listed_fingerprint(db) {
        let l = db.label();
        let mut conn = db.migrated();
        let a = user(&mut conn, "ann@example.com");
        for spelling in [
            |s: &str| s.to_uppercase(),
            |s: &str| s.replace('-', ""),
            |s: &str| format!("{{{s}}}"),
            |s: &str| format!("urn:uuid:{s}"),
        ] {
            let s = add(&SESSIONS, &mut conn, a);
            let listed = fingerprint(&s.secret);
            let (out, _) = run_stdin(
                &db,
                &["sessions", "revoke", "--token-stdin", "-o", "json"],
                spelling(&s.secret).as_bytes(),
                0,
            );
            assert_eq!(strs(&json(&db, &out)["revoked"]), vec![s.id.clone()], "{l}");
            let ev = events(&db, SESSIONS.action);
            let last = &ev.last().unwrap().detail;
            assert_eq!(last["id"], s.id, "{l}");
            assert_eq!(
                last["fingerprint"],
                listed,
                "{l}: {:?} audited as another fingerprint",
                spelling(&s.secret)
            );
        }
    }
}

/// `--token-stdin` refuses to read a token typed on a terminal (it would echo).
#[test]
fn token_stdin_refuses_a_terminal() {
    let db = TestDb::sqlite();
    let mut conn = db.migrated();
    let a = user(&mut conn, "ann@example.com");
    let t = add(&TOKENS, &mut conn, a);
    #[allow(deprecated)]
    let bin = assert_cmd::cargo::cargo_bin("authctl");
    for k in KINDS {
        // `script` gives authctl a pseudo-terminal as stdin.
        let inner = format!(
            "'{}' --database-url '{}' {} revoke --token-stdin",
            bin.display(),
            db.url(),
            k.cmd
        );
        let out = Command::new("script")
            .args(["-qec", &inner, "/dev/null"])
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", db.scratch())
            .stdin(Stdio::null())
            .output()
            .expect("script(1) from util-linux runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(64), "{}: {text}", k.cmd);
        assert!(text.contains("terminal"), "{}: {text}", k.cmd);
    }
    assert!(revoked_ids(&db, &TOKENS).is_empty());
    assert_eq!(active_ids(&db, &TOKENS), [t.id]);
}

// ---------------------------------------------------------------------------------
// Secrets and hostile text

per_backend! {
    /// Neither the raw refresh token nor the session token ever appears in any output,
    /// message or audit event — only its fingerprint.
    fn output_never_contains_the_raw_token(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            let c1 = add(k, &mut conn, a);
            let c2 = add(k, &mut conn, a);
            revoke_in_db(&db, k, &c2.id);
            let secrets: Vec<String> = [&c1, &c2]
                .iter()
                .flat_map(|c| [c.secret.clone(), c.secret.replace('-', "")])
                .collect();
            let check = |what: &str, out: &str, err: &str| {
                for s in &secrets {
                    assert!(
                        !out.contains(s.as_str()) && !err.contains(s.as_str()),
                        "{l} {what}: secret shown\n{out}\n{err}"
                    );
                }
            };
            // The secret is stored raw (the application's schema).
            let col = if k.token { "token" } else { "session_token" };
            assert_eq!(column(&db, k, &c1.id, col), c1.secret, "{l}");

            for format in ["table", "json", "csv"] {
                for args in [
                    vec![k.cmd, "list", "--state", "all", "-o", format],
                    vec![k.cmd, "list", "--all", "--state", "all", "-o", format],
                    vec![k.cmd, "list", "--state", "all", "-vv", "-o", format],
                ] {
                    let (out, err) = run(&db, &args, 0);
                    check(&format!("{args:?}"), &out, &err);
                    for c in [&c1, &c2] {
                        assert!(
                            out.contains(&fingerprint(&c.secret)),
                            "{l} {args:?}: fingerprint shown: {out}"
                        );
                    }
                }
                for args in [
                    vec![k.cmd, "revoke", &c1.id, "-v", "-o", format],
                    vec![k.cmd, "revoke", "--user", "ann@example.com", "-o", format],
                    vec![k.cmd, "revoke", "--all-active", "--yes", "-o", format],
                ] {
                    reactivate(&db, k, &c1.id);
                    let (out, err) = run(&db, &args, 0);
                    check(&format!("{args:?}"), &out, &err);
                }
                reactivate(&db, k, &c1.id);
                let (out, err) = run_stdin(
                    &db,
                    &[k.cmd, "revoke", "--token-stdin", "-vv", "-o", format],
                    c1.secret.as_bytes(),
                    0,
                );
                check("--token-stdin", &out, &err);
                let (out, err) = run_stdin(
                    &db,
                    &[k.cmd, "revoke", "--token-stdin", "-o", format],
                    c2.secret.as_bytes(),
                    0,
                );
                check("--token-stdin, already revoked", &out, &err);
            }
            check("audit trail", &audit_text(&db), "");
            assert_eq!(event_count(&db), 12, "{l}: four revokes per format");
        }
    }
}

per_backend! {
    /// The application does not validate user agents: whatever a client sent is shown
    /// escaped in tables, CSV and messages (no control or bidi character reaches the
    /// terminal, no row can be forged in CSV), and exact in JSON.
    fn hostile_user_agents_and_emails_are_escaped(db) {
        const HOSTILE: &str =
            "Evil\u{1b}[2J\u{1b}]0;owned\u{7} \u{202e}gpj.exe\u{2066}\r\nX-Forged: 1,\"q\"\u{9b}31m";
        let raw_bad = |s: &str| {
            s.chars().any(|c| {
                (c.is_control() && c != '\n')
                    || matches!(
                        c,
                        '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
                    )
            })
        };
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            // SQLite's email CHECK is only LIKE '_%@_%._%': a crafted address fits.
            let email = if db.is_postgres() {
                "ann@example.com"
            } else {
                "ann\u{1b}[31m\u{202e}@example.com"
            };
            let a = user(&mut conn, email);
            let c = create(
                k,
                &mut conn,
                a,
                &Spec {
                    user_agent: Some(HOSTILE),
                    ip: Some("10.0.0.0/8"),
                    ..Spec::default()
                },
            );

            let (out, err) = run(&db, &[k.cmd, "list"], 0);
            assert!(
                !raw_bad(&out) && !raw_bad(&err),
                "{l}: raw in table: {out:?}"
            );
            assert!(out.contains("Evil\\u{1b}[2J"), "{l}: escaped: {out}");
            assert!(out.contains("\\u{202e}gpj.exe"), "{l}: {out}");
            assert!(out.contains("10.0.0.0/8"), "{l}: {out}");
            // Every row of the table is one of authctl's lines: no forged line.
            assert!(
                !out.lines().any(|line| line.starts_with("X-Forged")),
                "{l}: {out}"
            );

            let (out, _) = run(&db, &[k.cmd, "list", "-o", "csv"], 0);
            assert!(!raw_bad(&out), "{l}: raw in CSV: {out:?}");
            let rows = csv_rows(&out);
            assert_eq!(rows.len(), 2, "{l}: one record: {out}");
            assert_eq!(out.lines().count(), 2, "{l}: one line per record: {out}");
            assert!(
                rows[1][9].starts_with("Evil\\u{1b}[2J"),
                "{l}: {:?}",
                rows[1]
            );
            assert!(
                rows[1][9].contains("\\r\\nX-Forged: 1,\"q\""),
                "{l}: {:?}",
                rows[1]
            );
            assert!(!rows[1][2].contains('\u{1b}'), "{l}: {:?}", rows[1]);

            // JSON keeps the exact value (escaped by JSON itself).
            let (out, _) = run(&db, &[k.cmd, "list", "-o", "json"], 0);
            let v = json(&db, &out);
            assert_eq!(v[0]["user_agent"], HOSTILE, "{l}: exact in JSON");
            assert_eq!(v[0]["user_email"], email, "{l}");
            assert!(
                !out.contains('\u{1b}') && !out.contains('\r'),
                "{l}: {out:?}"
            );

            // Messages naming the user escape the email too.
            let (out, err) = run(&db, &[k.cmd, "revoke", "--user", &a.to_string()], 0);
            assert!(!raw_bad(&out) && !raw_bad(&err), "{l}: {out:?} {err:?}");
            assert!(
                out.starts_with(&format!("revoked 1 {} of ann", k.noun)),
                "{l}: {out}"
            );
            let (out, err) = run(&db, &[k.cmd, "revoke", "--user", &a.to_string()], 0);
            assert!(!raw_bad(&out) && !raw_bad(&err), "{l}: {out:?} {err:?}");
            assert!(err.contains("has no active"), "{l}: {err}");
            reactivate(&db, k, &c.id);
            let (out, err) = run_stdin(
                &db,
                &[k.cmd, "revoke", "--token-stdin"],
                c.secret.as_bytes(),
                0,
            );
            assert!(!raw_bad(&out) && !raw_bad(&err), "{l}: {out:?} {err:?}");
            assert!(out.contains(&c.id), "{l}: {out}");
            // The audit trail keeps the email as it is (JSON consumers escape).
            let ev = events(&db, k.action);
            assert!(ev.iter().all(|e| e.user_email == email), "{l}: {ev:?}");
        }
    }
}

per_backend! {
    /// JSON output is for programs, but it is also printed on terminals: characters
    /// that drive a terminal must not reach it raw there either. serde_json escapes
    /// C0 controls but writes bidi overrides and C1 controls (U+009B is CSI) as they
    /// are; JSON's `\uXXXX` escapes would keep the value exact.
    fn json_output_escapes_bidi_and_c1_controls(db) {
        let hostile = "ua \u{202e}gpj.exe\u{2066} \u{9b}31m red";
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let a = user(&mut conn, "ann@example.com");
            create(
                k,
                &mut conn,
                a,
                &Spec {
                    user_agent: Some(hostile),
                    ..Spec::default()
                },
            );
            for args in [
                vec![k.cmd, "list", "-o", "json"],
                vec![k.cmd, "list", "--all", "-o", "json"],
            ] {
                let (out, _) = run(&db, &args, 0);
                assert_eq!(json(&db, &out)[0]["user_agent"], hostile, "{l}: exact");
                for c in ['\u{202e}', '\u{2066}', '\u{9b}'] {
                    assert!(!out.contains(c), "{l} {args:?}: raw {c:?} in {out:?}");
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Concurrency

/// Start authctl once per argument list, all released together by a barrier
/// (`-o json` added), and collect (args, output).
fn race(db: &TestDb, k: &Kind, runs: &[Vec<String>]) -> Vec<(Vec<String>, std::process::Output)> {
    let barrier = Arc::new(Barrier::new(runs.len()));
    let handles: Vec<_> = runs
        .iter()
        .map(|r| {
            let mut args: Vec<String> = vec![k.cmd.into()];
            args.extend(r.iter().cloned());
            args.extend(["-o".into(), "json".into()]);
            let mut cmd = db.authctl();
            cmd.args(&args).timeout(HANG_GUARD);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                (args, cmd.output().expect("run authctl"))
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

/// The ids the successful runs of a race reported revoked (checking that only
/// `by_id` can be reported already revoked). PostgreSQL runs must all succeed;
/// on SQLite a run may give up behind the other writers with a clean 75.
fn reported_by(
    db: &TestDb,
    l: &str,
    outputs: &[(Vec<String>, std::process::Output)],
    by_id: &[String],
) -> Vec<String> {
    let mut reported = Vec::new();
    let mut succeeded = 0;
    for (args, out) in outputs {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => {
                succeeded += 1;
                let v = json(db, &stdout);
                reported.extend(strs(&v["revoked"]));
                for id in strs(&v["already_revoked"]) {
                    assert!(by_id.contains(&id), "{l}: {args:?}: {id}");
                }
            }
            Some(75) if !db.is_postgres() => assert!(
                stderr.contains("locked") || stderr.contains("busy"),
                "{l}: {args:?}: says why: {stderr}"
            ),
            code => panic!("{l}: {args:?} exit {code:?}\n{stdout}\n{stderr}"),
        }
    }
    assert!(succeeded >= 1, "{l}: no run succeeded");
    reported
}

per_backend! {
    /// Many revokes at once over the same rows: each credential is revoked exactly
    /// once — reported by one run, counted in one audit event — and a run that loses
    /// a race reports what it found. Phase 1 mixes the scopes that lock users (by
    /// user, twice for one user, and by ids overlapping it, twice); phase 2 runs
    /// "every active one" three times at once.
    fn concurrent_revokes_revoke_each_credential_once(db) {
        for k in KINDS {
            let db = fresh_like(&db);
            let l = format!("{} {}", db.label(), k.cmd);
            let mut conn = db.migrated();
            let users: Vec<UserId> = ["ann", "ben", "cat"]
                .iter()
                .map(|n| user(&mut conn, &format!("{n}@example.com")))
                .collect();
            let total_events = |db: &TestDb| -> i64 {
                events(db, k.action)
                    .iter()
                    .map(|e| match e.detail["scope"].as_str().unwrap() {
                        "id" => 1,
                        _ => e.detail["count"].as_i64().unwrap(),
                    })
                    .sum()
            };

            // Phase 1.
            let creds = add_many(
                k,
                &mut conn,
                300,
                |i| users[i % 3],
                |_| chrono::Duration::hours(1),
            );
            let all: BTreeSet<String> = creds.iter().map(|c| c.id.clone()).collect();
            // 20 of cat's and 10 of ann's, by id.
            let by_id: Vec<String> = creds
                .iter()
                .enumerate()
                .filter(|(i, _)| i % 3 == 2)
                .take(20)
                .chain(
                    creds
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % 3 == 0)
                        .take(10),
                )
                .map(|(_, c)| c.id.clone())
                .collect();
            let ids_run = [vec!["revoke".to_owned()], by_id.clone()].concat();
            let runs: Vec<Vec<String>> = vec![
                vec!["revoke".into(), "--user".into(), users[0].to_string()],
                vec!["revoke".into(), "--user".into(), "ann@example.com".into()],
                vec!["revoke".into(), "--user".into(), "ben@example.com".into()],
                ids_run.clone(),
                ids_run,
            ];
            let mut reported = reported_by(&db, &l, &race(&db, k, &runs), &by_id);
            // Whatever a refused run left active, one more revoke finishes.
            let (out, _) = run(
                &db,
                &[k.cmd, "revoke", "--all-active", "--yes", "-o", "json"],
                0,
            );
            reported.extend(strs(&json(&db, &out)["revoked"]));
            let unique: BTreeSet<String> = reported.iter().cloned().collect();
            assert_eq!(
                unique.len(),
                reported.len(),
                "{l}: an id reported revoked twice"
            );
            assert_eq!(unique, all, "{l}: every one reported once");
            assert!(active_ids(&db, k).is_empty(), "{l}");
            assert_eq!(total_events(&db), 300, "{l}: each audited once");

            // Phase 2.
            let creds = add_many(
                k,
                &mut conn,
                300,
                |i| users[i % 3],
                |_| chrono::Duration::hours(1),
            );
            let all: BTreeSet<String> = creds.iter().map(|c| c.id.clone()).collect();
            let every = vec!["revoke".to_owned(), "--all-active".into(), "--yes".into()];
            let mut reported = reported_by(
                &db,
                &l,
                &race(&db, k, &[every.clone(), every.clone(), every]),
                &[],
            );
            let (out, _) = run(
                &db,
                &[k.cmd, "revoke", "--all-active", "--yes", "-o", "json"],
                0,
            );
            reported.extend(strs(&json(&db, &out)["revoked"]));
            let unique: BTreeSet<String> = reported.iter().cloned().collect();
            assert_eq!(
                unique.len(),
                reported.len(),
                "{l}: an id reported revoked twice"
            );
            assert_eq!(unique, all, "{l}: every one reported once");
            assert!(active_ids(&db, k).is_empty(), "{l}");
            assert_eq!(total_events(&db), 600, "{l}: each audited once");
        }
    }
}

/// PostgreSQL: the application has a credential locked (it is logging the user out:
/// the row is revoked but not committed) while authctl revokes it by id and revokes
/// every active one. Both wait, then see the application's revoke: by id it is
/// "already revoked", and every-active leaves it out — its revoked_at stays the
/// application's and no audit event claims it.
#[test]
fn revokes_wait_for_the_application_and_skip_what_it_revoked() {
    for k in KINDS {
        let Some(db) = TestDb::postgres() else {
            return;
        };
        let l = format!("postgres {}", k.cmd);
        let mut conn = db.migrated();
        let a = user(&mut conn, "ann@example.com");
        let b = user(&mut conn, "ben@example.com");
        let x = add(k, &mut conn, a);
        let y = add(k, &mut conn, a);
        let others: Vec<Cred> = (0..5).map(|_| add(k, &mut conn, b)).collect();
        let app_revoke = |id: &str| {
            if k.token {
                format!(
                    "UPDATE refresh_tokens SET is_revoked = true, \
                     revoked_at = '2020-02-02 02:02:02+00' WHERE id = '{id}'"
                )
            } else {
                format!("UPDATE login_sessions SET is_active = false WHERE session_id = '{id}'")
            }
        };

        // By id.
        let app = AppTx::begin(&db, &app_revoke(&x.id));
        let bg = spawn(&db, &[k.cmd, "revoke", &x.id, &y.id, "-o", "json"]);
        wait_until("the revoke waits for the application", || {
            waiting_for_locks(&db) == 1
        });
        app.commit();
        let r = bg.finish();
        assert_eq!(r.code, 0, "{l}: {r:?}");
        let v = json(&db, &r.stdout);
        assert_eq!(strs(&v["revoked"]), vec![y.id.clone()], "{l}: {v}");
        assert_eq!(strs(&v["already_revoked"]), vec![x.id.clone()], "{l}: {v}");
        if k.token {
            assert_eq!(
                time_column(&db, k, &x.id, "revoked_at")
                    .unwrap()
                    .to_rfc3339(),
                "2020-02-02T02:02:02Z",
                "{l}: the application's revoke stands"
            );
        }
        let ev = events(&db, k.action);
        assert_eq!(ev.len(), 1, "{l}: {ev:?}");
        assert_eq!(ev[0].detail["id"], y.id, "{l}");

        // Every active one.
        let victim = &others[2];
        let app = AppTx::begin(&db, &app_revoke(&victim.id));
        let bg = spawn(
            &db,
            &[k.cmd, "revoke", "--all-active", "--yes", "-o", "json"],
        );
        wait_until("the bulk revoke waits for the application", || {
            waiting_for_locks(&db) == 1
        });
        app.commit();
        let r = bg.finish();
        assert_eq!(r.code, 0, "{l}: {r:?}");
        let expected: Vec<String> = sorted(
            &others
                .iter()
                .filter(|c| c.id != victim.id)
                .map(|c| c.id.clone())
                .collect::<Vec<_>>(),
        );
        assert_eq!(strs(&json(&db, &r.stdout)["revoked"]), expected, "{l}");
        let ev = events(&db, k.action);
        assert_eq!(ev.len(), 2, "{l}");
        assert_eq!(ev[1].detail["count"], 4, "{l}");
        assert_eq!(strs(&ev[1].detail["ids"]), expected, "{l}");
        assert!(active_ids(&db, k).is_empty(), "{l}");
    }
}

/// PostgreSQL: `tokens revoke --user`, `users disable` and `sessions revoke --user`
/// of one user queued behind an application lock on the user's tokens: they take
/// the user row first, so they run one after the other — no deadlock, every
/// credential revoked by exactly one of them.
#[test]
fn revoke_by_user_and_users_disable_queue_without_deadlock() {
    for disable_first in [false, true] {
        let Some(db) = TestDb::postgres() else {
            return;
        };
        let l = format!("postgres, disable first: {disable_first}");
        let mut conn = db.migrated();
        let a = user(&mut conn, "ann@example.com");
        let tokens: Vec<Cred> = (0..4).map(|_| add(&TOKENS, &mut conn, a)).collect();
        let sessions: Vec<Cred> = (0..3).map(|_| add(&SESSIONS, &mut conn, a)).collect();
        let app = AppTx::begin(
            &db,
            &format!(
                "SELECT id FROM refresh_tokens WHERE id = '{}' FOR UPDATE",
                tokens[3].id
            ),
        );
        let mut order: Vec<Vec<&str>> = vec![
            vec![
                "tokens",
                "revoke",
                "--user",
                "ann@example.com",
                "-o",
                "json",
            ],
            vec![
                "users",
                "disable",
                "ann@example.com",
                "--reason",
                "incident",
            ],
            vec![
                "sessions",
                "revoke",
                "--user",
                "ann@example.com",
                "-o",
                "json",
            ],
        ];
        if disable_first {
            order.swap(0, 1);
        }
        let mut bgs = Vec::new();
        for (i, args) in order.iter().enumerate() {
            bgs.push(spawn(&db, args));
            wait_until(&format!("{l}: {args:?} waits"), || {
                waiting_for_locks(&db) == i as i64 + 1
            });
        }
        app.commit();
        let runs: Vec<Run> = bgs.into_iter().map(Background::finish).collect();
        for (args, r) in order.iter().zip(&runs) {
            assert_eq!(r.code, 0, "{l}: {args:?}: {r:?}");
            assert!(!r.stderr.contains("deadlock"), "{l}: {r:?}");
        }
        assert!(active_ids(&db, &TOKENS).is_empty(), "{l}");
        assert!(active_ids(&db, &SESSIONS).is_empty(), "{l}");
        let disable = query_strings(
            &db,
            "SELECT detail AS v FROM authctl_audit_events WHERE action = 'user.disable'",
        );
        assert_eq!(disable.len(), 1, "{l}");
        let d: Value = serde_json::from_str(&disable[0]).unwrap();
        let count_of = |action: &str| -> i64 {
            events(&db, action)
                .iter()
                .map(|e| e.detail["count"].as_i64().unwrap())
                .sum()
        };
        assert_eq!(
            count_of("token.revoke") + d["tokens_revoked"].as_i64().unwrap(),
            tokens.len() as i64,
            "{l}: each token revoked once: {d}"
        );
        assert_eq!(
            count_of("session.revoke") + d["sessions_invalidated"].as_i64().unwrap(),
            sessions.len() as i64,
            "{l}: each session invalidated once: {d}"
        );
        if disable_first {
            assert_eq!(d["tokens_revoked"], 4, "{l}: {d}");
            assert_eq!(count_of("token.revoke"), 0, "{l}");
        } else {
            assert_eq!(count_of("token.revoke"), 4, "{l}");
        }
    }
}

/// PostgreSQL: `revoke --all-active` locks rows of every user; `users disable` (and
/// `revoke --user`, `revoke ID`) lock the user row, then its credentials. The bulk
/// revoke then writes its audit events, whose foreign key to `users` needs a
/// KEY SHARE lock on the user row the other one holds FOR UPDATE — while the other
/// waits for the rows the bulk revoke holds: a deadlock, and one of the two fails.
///
/// Set up deterministically: the application holds one of ben's tokens (the
/// highest id), so the bulk revoke has locked all of ann's (lower ids) and waits;
/// then `users disable ann` locks ann and waits for her tokens; then the
/// application commits.
#[test]
fn revoke_all_active_and_users_disable_do_not_deadlock() {
    let mut failures = Vec::new();
    for (k, other) in [
        (&TOKENS, vec!["users", "disable", "ann@example.com"]),
        (
            &TOKENS,
            vec!["tokens", "revoke", "--user", "ann@example.com"],
        ),
        (&SESSIONS, vec!["users", "disable", "ann@example.com"]),
        (
            &SESSIONS,
            vec!["sessions", "revoke", "--user", "ann@example.com"],
        ),
        (
            &TOKENS,
            vec!["tokens", "revoke", "00000002-0000-4000-8000-000000000000"],
        ),
    ] {
        let Some(db) = TestDb::postgres() else {
            return;
        };
        let l = format!("{} vs {other:?}", k.cmd);
        let mut conn = db.migrated();
        let a = user_with_id(
            &mut conn,
            "ann@example.com",
            "00000000-0000-4000-8000-00000000000a".parse().unwrap(),
        );
        let b = user_with_id(
            &mut conn,
            "ben@example.com",
            "00000000-0000-4000-8000-00000000000b".parse().unwrap(),
        );
        let with_id = |n: u32| Spec {
            id: Some(
                format!("{n:08x}-0000-4000-8000-000000000000")
                    .parse()
                    .unwrap(),
            ),
            ..Spec::default()
        };
        for n in 1..=3 {
            create(k, &mut conn, a, &with_id(n));
        }
        create(k, &mut conn, b, &with_id(0x10));
        let held = create(k, &mut conn, b, &with_id(0xffff_fff0));
        let app = AppTx::begin(
            &db,
            &format!(
                "SELECT 1 FROM {} WHERE {} = '{}' FOR UPDATE",
                k.table, k.id_col, held.id
            ),
        );
        let bulk = spawn(&db, &[k.cmd, "revoke", "--all-active", "--yes"]);
        wait_until("the bulk revoke waits for ben's held row", || {
            waiting_for_locks(&db) == 1
        });
        let second = spawn(&db, &other);
        wait_until("the second command waits too", || {
            waiting_for_locks(&db) == 2
        });
        app.commit();
        let bulk = bulk.finish();
        let second = second.finish();
        if bulk.code != 0 || second.code != 0 {
            failures.push(format!(
                "{l}: bulk revoke exit {:?} {:?}; other exit {:?} {:?}",
                bulk.code,
                bulk.stderr.trim(),
                second.code,
                second.stderr.trim()
            ));
        } else {
            assert!(active_ids(&db, k).is_empty(), "{l}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// PostgreSQL: `kill -9` of a bulk revoke that has already marked its first batch
/// of 1000 rows (it holds a row-exclusive lock on the table) and waits for the
/// second: the whole revoke is gone — every row still active, no audit event.
#[test]
fn kill_9_inside_a_bulk_revoke_leaves_nothing_revoked() {
    for k in KINDS {
        let Some(db) = TestDb::postgres() else {
            return;
        };
        let l = format!("postgres {}", k.cmd);
        let mut conn = db.migrated();
        let a = user(&mut conn, "ann@example.com");
        let creds = add_many(k, &mut conn, 1200, |_| a, |_| chrono::Duration::hours(1));
        let last = creds.iter().map(|c| c.id.clone()).max().unwrap();
        let app = AppTx::begin(
            &db,
            &format!(
                "SELECT 1 FROM {} WHERE {} = '{last}' FOR UPDATE",
                k.table, k.id_col
            ),
        );
        let mut bg = spawn(&db, &[k.cmd, "revoke", "--all-active", "--yes"]);
        // Mid-operation: waiting for the held row while holding the row-exclusive
        // lock of its own UPDATE of the first batch.
        let mut backend = Vec::new();
        wait_until("the bulk revoke has marked a batch and waits", || {
            backend = query_strings(
                &db,
                &format!(
                    "SELECT CAST(a.pid AS TEXT) AS v FROM pg_stat_activity a \
                     WHERE a.datname = current_database() AND a.application_name LIKE 'authctl@%' \
                     AND a.wait_event_type = 'Lock' \
                     AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid \
                                 AND l.relation = '{}'::regclass AND l.mode = 'RowExclusiveLock' \
                                 AND l.granted)",
                    k.table
                ),
            );
            backend.len() == 1
        });
        assert!(bg.is_running(), "{l}");
        let pid = bg.pid();
        bg.kill9();
        app.commit();
        wait_until("the killed revoke's server session is gone", || {
            count(
                &db,
                &format!(
                    "SELECT count(*) AS n FROM pg_stat_activity WHERE pid = {}",
                    backend[0]
                ),
            ) == 0
        });
        assert_eq!(
            active_ids(&db, k).len(),
            1200,
            "{l}: pid {pid}: nothing revoked"
        );
        assert!(revoked_ids(&db, k).is_empty(), "{l}");
        assert_eq!(event_count(&db), 0, "{l}");
        // And a rerun does it all.
        run(&db, &[k.cmd, "revoke", "--all-active", "--yes"], 0);
        assert!(active_ids(&db, k).is_empty(), "{l}");
    }
}

/// SQLite: another writer holds the database; the revoke waits its busy timeout,
/// then fails cleanly (75, retryable) having changed nothing; afterwards it works.
#[test]
fn sqlite_revoke_behind_another_writer_fails_cleanly() {
    for k in KINDS {
        let db = TestDb::sqlite();
        let l = k.cmd;
        let mut conn = db.migrated();
        let a = user(&mut conn, "ann@example.com");
        let c = add(k, &mut conn, a);
        let mut writer = db.connect();
        writer.batch_execute("BEGIN IMMEDIATE").unwrap();
        let (_, err) = run(&db, &[k.cmd, "revoke", &c.id], 75);
        assert!(
            err.contains("locked") || err.contains("busy"),
            "{l}: says why: {err}"
        );
        writer.batch_execute("COMMIT").unwrap();
        assert!(revoked_ids(&db, k).is_empty(), "{l}");
        assert_eq!(event_count(&db), 0, "{l}");
        run(&db, &[k.cmd, "revoke", &c.id], 0);
        assert_eq!(revoked_ids(&db, k), vec![c.id.clone()], "{l}");
    }
}
