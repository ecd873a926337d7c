//! authctl and the application on one database, proven with the application's own
//! libraries (bcryptjs, jsonwebtoken, pg-promise under node; `tests/app/`):
//! passwords authctl writes log in through `bcryptjs.compare`; a disabled user is
//! refused and `enable` restores the same password; tokens and sessions the
//! application issued are listed by authctl without their secrets, and revoking
//! them through authctl makes the application refuse them; purge deletes what the
//! application's own cleanup functions delete.

use crate::common;

use serde_json::Value;

use crate::common::{PgDb, Run, app, app_ok, authctl};

const PASSWORD: &str = "Correct horse 42 battery";
const OTHER: &str = "Second staple 77 orbit";

fn run(pg: &PgDb, args: &[&str], stdin: &str) -> Run {
    common::run(
        authctl()
            .arg("--database-url")
            .arg(&pg.url)
            .arg("--actor")
            .arg("interop")
            .args(args)
            .write_stdin(stdin),
    )
}

#[track_caller]
fn ok(o: &Run, what: &str) -> Value {
    assert_eq!(o.code, 0, "{what}\n{o}");
    if o.stdout.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&o.stdout).unwrap_or(Value::Null)
    }
}

/// Where the database came from: every scenario runs on both.
#[derive(Debug, Clone, Copy)]
enum Origin {
    /// `authctl migrate` created the application's tables; the application writes after.
    Authctl,
    /// The application's own runner migrated it and the application wrote its rows;
    /// then `authctl migrate` adopted it.
    Application,
}

const ORIGINS: [Origin; 2] = [Origin::Authctl, Origin::Application];

impl Origin {
    /// A database of this origin; `app_writes` runs the application's writes (before
    /// adoption for an application-migrated database).
    fn prepare<T>(self, app_writes: impl FnOnce(&PgDb) -> T) -> Option<(PgDb, T)> {
        if !common::has_app() {
            return None;
        }
        match self {
            Origin::Authctl => {
                let pg = PgDb::create()?;
                ok(&run(&pg, &["migrate"], ""), "migrate");
                let t = app_writes(&pg);
                Some((pg, t))
            }
            Origin::Application => {
                let pg = PgDb::app_migrated(None)?;
                let t = app_writes(&pg);
                let o = run(&pg, &["migrate"], "");
                ok(&o, "migrate (adopt)");
                let said = o.stdout.clone().to_string() + &o.stderr.clone();
                assert!(
                    said.contains("adopted"),
                    "authctl adopted the tables: {said}"
                );
                Some((pg, t))
            }
        }
    }
}

/// Log in through the application; `Some(json)` when it let the user in.
fn login(pg: &PgDb, email: &str, password: &str) -> Option<Value> {
    let r = app(&pg.url, &["login", email], &format!("{password}\n"));
    match r.code {
        0 => Some(r.json),
        1 => None,
        _ => panic!("application login crashed: {}\n{}", r.json, r.stderr),
    }
}

#[test]
fn the_application_verifies_what_authctl_writes_and_refuses_disabled_users() {
    for origin in ORIGINS {
        let Some((pg, ())) = origin.prepare(|_| ()) else {
            return;
        };
        let created = ok(
            &run(
                &pg,
                &[
                    "-o",
                    "json",
                    "users",
                    "create",
                    "Ops@Example.com",
                    "--name",
                    "Ops",
                    "--role",
                    "admin",
                    "--password-stdin",
                ],
                &format!("{PASSWORD}\n"),
            ),
            "users create",
        );
        assert!(
            created["id"].as_str().is_some_and(|s| s.len() == 36),
            "{created}"
        );
        let hash = &pg
            .strings("SELECT password_hash::text AS v FROM users WHERE email = 'ops@example.com'")
            [0];
        assert!(
            hash.starts_with("$2b$12$") && hash.len() == 60,
            "bcrypt $2b$ cost 12: {hash}"
        );

        let session =
            login(&pg, "ops@example.com", PASSWORD).expect("bcryptjs accepts authctl's hash");
        assert!(
            login(&pg, "ops@example.com", OTHER).is_none(),
            "wrong password refused"
        );
        let refresh = session["refreshToken"].as_str().unwrap().to_owned();

        // Disable: the application refuses the login and the tokens it issued.
        ok(
            &run(
                &pg,
                &[
                    "users",
                    "disable",
                    "ops@example.com",
                    "--reason",
                    "left the company",
                    // ops@ is the only admin: the last-admin guard needs the override.
                    "--allow-no-admin",
                ],
                "",
            ),
            "disable",
        );
        assert!(
            login(&pg, "ops@example.com", PASSWORD).is_none(),
            "disabled user logged in"
        );
        assert_eq!(
            app(&pg.url, &["refresh", &refresh], "").code,
            1,
            "token still valid"
        );
        let st = session["sessionToken"].as_str().unwrap();
        assert_eq!(
            app(&pg.url, &["session-valid", st], "").code,
            1,
            "session still valid"
        );
        assert!(
            pg.strings("SELECT count(*)::text AS v FROM users WHERE reset_token IS NOT NULL")[0]
                == "0"
        );

        // Enable restores the same password.
        ok(
            &run(&pg, &["users", "enable", "ops@example.com"], ""),
            "enable",
        );
        assert!(
            login(&pg, "ops@example.com", PASSWORD).is_some(),
            "enable restores the password"
        );

        // Reset: the new password works, the old does not.
        // The application signs one JWT per user per second (`iat` in seconds): the
        // next login needs a new second.
        let second = unix_seconds();
        common::wait_until("the next second", || unix_seconds() > second);
        ok(
            &run(
                &pg,
                &[
                    "users",
                    "reset-password",
                    "ops@example.com",
                    "--password-stdin",
                ],
                &format!("{OTHER}\n"),
            ),
            "reset-password",
        );
        assert!(login(&pg, "ops@example.com", OTHER).is_some());
        assert!(login(&pg, "ops@example.com", PASSWORD).is_none());
    }
}

#[test]
fn argon2id_is_opt_in_and_bcrypt_refuses_what_it_would_truncate() {
    let Some((pg, ())) = Origin::Authctl.prepare(|_| ()) else {
        return;
    };
    let long = "x".repeat(73);
    let o = run(
        &pg,
        &["users", "create", "long@example.com", "--password-stdin"],
        &format!("{long}\n"),
    );
    assert_eq!(o.code, 65, "{}", o.stderr.clone());
    assert!(o.stderr.contains("72 bytes"));
    assert!(
        pg.strings("SELECT email::text AS v FROM users").is_empty(),
        "nothing written"
    );

    let o = authctl()
        .arg("--database-url")
        .arg(&pg.url)
        .env("AUTHCTL_PASSWORD_HASH", "argon2id")
        .args(["users", "create", "argon@example.com", "--password-stdin"])
        .write_stdin(format!("{long}\n"))
        .output()
        .map(Run::from)
        .unwrap();
    ok(&o, "argon2id create with a long password");
    let hash = &pg.strings("SELECT password_hash::text AS v FROM users")[0];
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    // bcryptjs answers false (it does not throw) for an argon2id hash.
    assert!(login(&pg, "argon@example.com", &long).is_none());

    // A weak bcrypt cost is a configuration error.
    let o = authctl()
        .arg("--database-url")
        .arg(&pg.url)
        .env("AUTHCTL_BCRYPT_COST", "9")
        .args(["users", "create", "weak@example.com", "--password-stdin"])
        .write_stdin(format!("{PASSWORD}\n"))
        .output()
        .map(Run::from)
        .unwrap();
    assert_eq!(o.code, 78);
}

#[test]
fn tokens_and_sessions_the_application_issued_are_administered_without_their_secrets() {
    for origin in ORIGINS {
        let Some((pg, s)) = origin.prepare(|pg| {
            app_ok(
                &pg.url,
                &["register", "app@example.com", "App"],
                &format!("{PASSWORD}\n"),
                0,
            );
            login(pg, "app@example.com", PASSWORD).unwrap()
        }) else {
            return;
        };
        let refresh = s["refreshToken"].as_str().unwrap().to_owned();
        let session_token = s["sessionToken"].as_str().unwrap().to_owned();

        let list = run(
            &pg,
            &["-o", "json", "tokens", "list", "--user", "app@example.com"],
            "",
        );
        let v = ok(&list, "tokens list");
        let text = list.stdout.clone();
        assert!(!text.contains(&refresh), "raw refresh token printed");
        assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
        assert_eq!(v[0]["state"], "active");
        let sessions = run(
            &pg,
            &[
                "-o",
                "json",
                "sessions",
                "list",
                "--user",
                "app@example.com",
            ],
            "",
        );
        let sv = ok(&sessions, "sessions list");
        assert!(!sessions.stdout.clone().contains(&session_token));
        assert_eq!(sv.as_array().unwrap().len(), 1, "{sv}");
        // The table view does not show them either.
        let table = run(&pg, &["tokens", "list"], "");
        ok(&table, "tokens list table");
        assert!(!table.stdout.clone().contains(&refresh));

        // An operator holding the leaked token revokes its row by passing it on stdin.
        let o = run(
            &pg,
            &["-o", "json", "tokens", "revoke", "--token-stdin"],
            &format!("{refresh}\n"),
        );
        ok(&o, "tokens revoke --token-stdin");
        assert!(!o.stdout.contains(&refresh));
        assert!(!o.stderr.contains(&refresh));
        assert_eq!(
            app(&pg.url, &["refresh", &refresh], "").code,
            1,
            "application refuses it now"
        );
        assert_eq!(
            pg.strings(
                "SELECT (is_revoked AND revoked_at IS NOT NULL)::text AS v FROM refresh_tokens"
            ),
            ["true"]
        );

        // Sessions: by id.
        let id = sv[0]["id"]
            .as_str()
            .or(sv[0]["session_id"].as_str())
            .unwrap()
            .to_owned();
        app_ok(&pg.url, &["session-valid", &session_token], "", 0);
        ok(
            &run(&pg, &["sessions", "revoke", &id], ""),
            "sessions revoke",
        );
        assert_eq!(app(&pg.url, &["session-valid", &session_token], "").code, 1);
        assert_eq!(
            pg.strings("SELECT is_active::text AS v FROM login_sessions"),
            ["false"]
        );
    }
}

/// One way to revoke a leaked token of either kind, as the application sees it: a
/// session token piped to `tokens revoke --token-stdin` ends the application's
/// session (its refresh token still works), and the refresh token piped to
/// `sessions revoke --token-stdin` makes the application refuse the refresh.
#[test]
fn a_leaked_token_of_either_kind_is_revoked_by_either_command() {
    for origin in ORIGINS {
        let Some((pg, s)) = origin.prepare(|pg| {
            app_ok(
                &pg.url,
                &["register", "leak@example.com", "Leak"],
                &format!("{PASSWORD}\n"),
                0,
            );
            login(pg, "leak@example.com", PASSWORD).unwrap()
        }) else {
            return;
        };
        let refresh = s["refreshToken"].as_str().unwrap().to_owned();
        let session_token = s["sessionToken"].as_str().unwrap().to_owned();
        app_ok(&pg.url, &["session-valid", &session_token], "", 0);

        let o = run(
            &pg,
            &["tokens", "revoke", "--token-stdin"],
            &format!("{session_token}\n"),
        );
        assert_eq!(o.code, 0, "tokens revoke with a session token: {o}");
        assert!(o.stdout.starts_with("revoked session "), "{o}");
        assert!(!o.all().contains(&session_token), "echoed: {o}");
        assert_eq!(
            app(&pg.url, &["session-valid", &session_token], "").code,
            1,
            "the application still accepts the session"
        );
        assert_eq!(
            pg.strings("SELECT is_revoked::text AS v FROM refresh_tokens"),
            ["false"],
            "the refresh token was touched"
        );

        let o = run(
            &pg,
            &["-o", "json", "sessions", "revoke", "--token-stdin"],
            &format!("{refresh}\n"),
        );
        let v = ok(&o, "sessions revoke with a refresh token");
        assert_eq!(v["kind"], "refresh_token", "{v}");
        assert!(!o.all().contains(&refresh), "echoed: {o}");
        assert_eq!(
            app(&pg.url, &["refresh", &refresh], "").code,
            1,
            "the application still accepts the refresh token"
        );
        assert_eq!(
            pg.strings("SELECT action AS v FROM authctl_audit_events ORDER BY id"),
            ["session.revoke", "token.revoke"]
        );
    }
}

#[test]
fn purge_deletes_exactly_what_the_applications_cleanup_deletes() {
    for origin in ORIGINS {
        // Two identical databases: one cleaned by the application's functions, one by
        // authctl purge-expired. The rows left must be the same.
        let mut left = Vec::new();
        for by_app in [true, false] {
            let Some((pg, ())) = origin.prepare(|pg| {
            pg.psql(
                "INSERT INTO users (id, email, password_hash) VALUES
               ('00000000-0000-4000-8000-000000000001', 'p@example.com', 'x');
             INSERT INTO refresh_tokens (id, user_id, token, expires_at, is_revoked, revoked_at) VALUES
               ('10000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', repeat('a', 40), now() - interval '1 minute', false, NULL),
               ('10000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', repeat('b', 40), now() + interval '1 day', true, now() - interval '8 days'),
               ('10000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001', repeat('c', 40), now() + interval '1 day', true, now() - interval '6 days'),
               ('10000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', repeat('d', 40), now() + interval '1 day', false, NULL),
               ('10000000-0000-4000-8000-000000000005', '00000000-0000-4000-8000-000000000001', repeat('e', 40), now() + interval '1 day', NULL, now() - interval '9 days');
             INSERT INTO login_sessions (session_id, user_id, created_at, expires_at, last_activity_at, is_active) VALUES
               ('20000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000001', now() - interval '40 days', now() - interval '1 minute', now() - interval '2 days', true),
               ('20000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', now() - interval '40 days', now() + interval '1 day', now() - interval '31 days', false),
               ('20000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000001', now() - interval '40 days', now() + interval '1 day', now() - interval '29 days', false),
               ('20000000-0000-4000-8000-000000000004', '00000000-0000-4000-8000-000000000001', now() - interval '40 days', now() + interval '1 day', now() - interval '31 days', true);
             INSERT INTO auth_attempts (id, email, ip_address, success, \"timestamp\") VALUES
               ('30000000-0000-4000-8000-000000000001', 'p@example.com', '192.0.2.1', false, now() - interval '31 days'),
               ('30000000-0000-4000-8000-000000000002', 'p@example.com', '2001:db8::1', false, now() - interval '29 days');",
            );
        }) else {
            return;
        };
            if by_app {
                app_ok(&pg.url, &["cleanup"], "", 0);
            } else {
                ok(
                    &run(&pg, &["--quiet", "purge-expired"], ""),
                    "purge-expired",
                );
            }
            left.push(pg.strings(
                "SELECT string_agg(x, ',' ORDER BY x) AS v FROM (
               SELECT id::text AS x FROM refresh_tokens
               UNION ALL SELECT session_id::text FROM login_sessions
               UNION ALL SELECT id::text FROM auth_attempts) s",
            ));
        }
        assert_eq!(
            left[0], left[1],
            "authctl purge and the application's cleanup differ"
        );
        let kept = left[0][0].split(',').count();
        assert_eq!(kept, 6, "{left:?}");
    }
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}
