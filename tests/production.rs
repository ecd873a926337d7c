//! `authctl migrate --check-production`: every finding on its own and all at once,
//! nothing migrated on failure, a clean configuration migrates, `--dry-run` applies
//! nothing, `--strict`, and secrets never printed.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use authctl::config::{Config, Environment, Overrides};
use authctl::ops::production::{self, Severity};
use base64::Engine as _;
use serde_json::Value;

use crate::common::{self, TestDb};

/// The outcome of one authctl run.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{self}"))
    }
}

fn run(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run authctl");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A random secret like `openssl rand -base64 48` (64 characters). Rejects the
/// (astronomically rare) draw that happens to contain a placeholder word.
fn secret() -> String {
    loop {
        let mut bytes = [0u8; 48];
        getrandom::fill(&mut bytes).expect("random bytes");
        let s = base64::engine::general_purpose::STANDARD.encode(bytes);
        let lower = s.to_lowercase();
        if !["todo", "fixme", "default", "example"]
            .iter()
            .any(|w| lower.contains(w))
        {
            return s;
        }
    }
}

/// The database password used in URLs (local trust authentication ignores it).
const DB_PASSWORD: &str = "Db-Pw-7f3a9c1e5b";

/// A configuration: the database URL and the JWT variables (None: unset).
#[derive(Clone)]
struct Setup {
    url: String,
    jwt: Option<String>,
    refresh: Option<String>,
}

impl Setup {
    /// A clean configuration for `db`: a URL with a password and two random secrets.
    fn clean(db: &TestDb) -> Setup {
        Setup {
            url: with_password(&db.url(), DB_PASSWORD),
            jwt: Some(secret()),
            refresh: Some(secret()),
        }
    }

    fn secrets(&self) -> Vec<String> {
        let mut v: Vec<String> = self.jwt.iter().chain(&self.refresh).cloned().collect();
        v.push(DB_PASSWORD.into());
        v
    }

    /// `authctl --database-url URL [global…] migrate --check-production ARGS…`
    fn check(&self, global: &[&str], args: &[&str]) -> Run {
        let mut cmd = common::authctl();
        cmd.args(["--database-url", &self.url])
            .args(global)
            .args(["migrate", "--check-production"])
            .args(args);
        if let Some(v) = &self.jwt {
            cmd.env("JWT_SECRET", v);
        }
        if let Some(v) = &self.refresh {
            cmd.env("JWT_REFRESH_SECRET", v);
        }
        let r = run(&mut cmd);
        assert_no_secrets(self, &r);
        r
    }

    fn check_json(&self, args: &[&str]) -> (Run, Value) {
        let r = self.check(&["-o", "json"], args);
        let v = r.json();
        (r, v)
    }
}

fn with_password(url: &str, password: &str) -> String {
    let mut u = url::Url::parse(url).expect("URL");
    u.set_password(Some(password)).expect("set password");
    u.to_string()
}

fn with_port(url: &str, port: u16) -> String {
    let mut u = url::Url::parse(url).expect("URL");
    u.set_port(Some(port)).expect("set port");
    u.to_string()
}

fn assert_no_secrets(setup: &Setup, r: &Run) {
    for s in setup.secrets() {
        if s.len() >= 8 {
            assert!(
                !r.stdout.contains(&s) && !r.stderr.contains(&s),
                "secret {s:?} printed:\n{r}"
            );
        }
    }
}

/// `(id, severity)` of every finding, sorted.
fn findings(v: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {v}"))
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_owned(),
                f["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn errors(ids: &[&str]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = ids
        .iter()
        .map(|id| (id.to_string(), "error".to_string()))
        .collect();
    v.sort();
    v
}

fn users_table_exists(db: &TestDb) -> bool {
    let sql = if db.is_postgres() {
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'users'"
    } else {
        "SELECT count(*) AS n FROM sqlite_master WHERE name = 'users'"
    };
    common::count(db, sql) > 0
}

/// Run the check with `setup` and expect exit 1 with exactly `expected` findings and
/// nothing migrated.
fn expect_failure(what: &str, setup: &Setup, expected: &[(String, String)]) -> Value {
    let (r, v) = setup.check_json(&[]);
    assert_eq!(r.code, Some(1), "{what}: exit 1\n{r}");
    assert_eq!(findings(&v), expected, "{what}\n{r}");
    assert_eq!(v["ok"], false, "{what}: {v}");
    assert_eq!(v["migrated"], false, "{what}: {v}");
    assert_eq!(v["applied"], Value::Array(vec![]), "{what}: {v}");
    let errs = expected.iter().filter(|(_, s)| s == "error").count();
    assert_eq!(v["errors"], errs, "{what}: {v}");
    assert_eq!(v["warnings"], expected.len() - errs, "{what}: {v}");
    for f in v["findings"].as_array().unwrap() {
        assert!(
            !f["message"].as_str().unwrap_or("").is_empty()
                && !f["fix"].as_str().unwrap_or("").is_empty(),
            "{what}: every finding has a message and a fix: {f}"
        );
    }
    assert!(
        r.stderr.contains("nothing was migrated"),
        "{what}: the failure says nothing was migrated\n{r}"
    );
    // The table form lists the findings on stderr.
    let t = setup.check(&[], &[]);
    assert_eq!(t.code, Some(1), "{what}: {t}");
    for (id, _) in expected {
        assert!(
            t.stderr.contains(id.as_str()),
            "{what}: {id} on stderr\n{t}"
        );
    }
    v
}

/// Secret variations: each one finding (or the findings its value necessarily has).
#[test]
fn each_secret_finding_alone() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    let short = {
        let mut s = secret();
        s.truncate(24);
        s
    };
    assert!(short.chars().collect::<BTreeSet<_>>().len() >= 10);
    let changeme = "changeme-0123456789abcdefghijklmnopqrstuvwxyz".to_string();
    let cases: Vec<(&str, Setup, Vec<&str>)> = vec![
        (
            "missing JWT_SECRET",
            Setup {
                jwt: None,
                ..clean.clone()
            },
            vec!["jwt_secret.missing"],
        ),
        (
            "missing JWT_REFRESH_SECRET",
            Setup {
                refresh: None,
                ..clean.clone()
            },
            vec!["jwt_refresh_secret.missing"],
        ),
        (
            "empty JWT_SECRET counts as missing",
            Setup {
                jwt: Some(String::new()),
                ..clean.clone()
            },
            vec!["jwt_secret.missing"],
        ),
        (
            "short JWT_SECRET",
            Setup {
                jwt: Some(short.clone()),
                ..clean.clone()
            },
            vec!["jwt_secret.too_short"],
        ),
        (
            "short JWT_REFRESH_SECRET",
            Setup {
                refresh: Some(short),
                ..clean.clone()
            },
            vec!["jwt_refresh_secret.too_short"],
        ),
        (
            "low variety",
            Setup {
                jwt: Some("ab".repeat(20)),
                ..clean.clone()
            },
            vec!["jwt_secret.low_variety"],
        ),
        (
            "angle-bracket placeholder (also short)",
            Setup {
                refresh: Some("<generate-secure-secret>".into()),
                ..clean.clone()
            },
            vec![
                "jwt_refresh_secret.placeholder",
                "jwt_refresh_secret.too_short",
            ],
        ),
        (
            "changeme placeholder",
            Setup {
                jwt: Some(changeme.clone()),
                ..clean.clone()
            },
            vec!["jwt_secret.placeholder"],
        ),
        (
            "equal secrets",
            Setup {
                refresh: clean.jwt.clone(),
                ..clean.clone()
            },
            vec!["jwt_secrets.equal"],
        ),
    ];
    for (what, setup, ids) in cases {
        expect_failure(what, &setup, &errors(&ids));
        assert!(!users_table_exists(&db), "{what}: nothing migrated");
    }
    // The control: the same database and clean secrets pass.
    let (r, v) = clean.check_json(&["--dry-run"]);
    assert_eq!(r.code, Some(0), "{r}");
    assert_eq!(v["ok"], true, "{v}");
}

#[test]
fn empty_database_password_is_an_error() {
    let Some(db) = TestDb::postgres() else { return };
    let setup = Setup {
        url: db.url(),
        ..Setup::clean(&db)
    };
    assert!(url::Url::parse(&setup.url).unwrap().password().is_none());
    expect_failure(
        "empty password",
        &setup,
        &errors(&["database.password_empty"]),
    );
    assert!(!users_table_exists(&db), "nothing migrated");
}

#[test]
fn sqlite_backend_is_an_error() {
    let db = TestDb::sqlite();
    let TestDb::Sqlite(s) = &db else {
        unreachable!()
    };
    let setup = Setup {
        url: db.url(),
        jwt: Some(secret()),
        refresh: Some(secret()),
    };
    expect_failure("sqlite", &setup, &errors(&["database.not_postgres"]));
    assert!(!s.path.exists(), "the SQLite file is not even created");

    // An existing, unmigrated SQLite file stays unmigrated.
    drop(db.connect());
    expect_failure("sqlite", &setup, &errors(&["database.not_postgres"]));
    assert!(!users_table_exists(&db), "nothing migrated");
}

#[test]
fn unreachable_database_is_an_error() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    let setup = Setup {
        url: with_port(&clean.url, 1),
        ..clean
    };
    let v = expect_failure("port 1", &setup, &errors(&["database.unreachable"]));
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("127.0.0.1:1"), "{msg}");
}

#[test]
fn edited_and_newer_migrations_are_errors() {
    let Some(db) = TestDb::postgres() else { return };
    let setup = Setup::clean(&db);
    drop(db.migrated());
    let checksums = || {
        common::query_strings(
            &db,
            "SELECT version || ':' || checksum AS v FROM __authctl_migration_checksums ORDER BY version",
        )
    };
    let versions = || {
        common::query_strings(
            &db,
            "SELECT version AS v FROM __diesel_schema_migrations ORDER BY version",
        )
    };

    // Edited: the recorded checksum of the second migration differs.
    let second =
        "(SELECT version FROM __authctl_migration_checksums ORDER BY version OFFSET 1 LIMIT 1)";
    let original = common::query_strings(
        &db,
        &format!(
            "SELECT checksum AS v FROM __authctl_migration_checksums WHERE version = {second}"
        ),
    )
    .remove(0);
    db.exec(&format!(
        "UPDATE __authctl_migration_checksums SET checksum = repeat('0', 64) WHERE version = {second}"
    ));
    let (before_c, before_v) = (checksums(), versions());
    let v = expect_failure("edited", &setup, &errors(&["migrations.integrity"]));
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("create_refresh_tokens"),
        "names the edited migration: {v}"
    );
    assert_eq!(
        (checksums(), versions()),
        (before_c, before_v),
        "nothing changed"
    );

    // Restored, the database passes again (the control).
    db.exec(&format!(
        "UPDATE __authctl_migration_checksums SET checksum = '{original}' WHERE version = {second}"
    ));
    let (r, v) = setup.check_json(&[]);
    assert_eq!(
        (r.code, v["ok"].clone()),
        (Some(0), Value::Bool(true)),
        "{r}"
    );

    // Newer: the database records a version this binary does not know.
    db.exec("INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000001')");
    let (before_c, before_v) = (checksums(), versions());
    let v = expect_failure("newer", &setup, &errors(&["migrations.integrity"]));
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("29991231000001"),
        "names the unknown version: {v}"
    );
    assert_eq!(
        (checksums(), versions()),
        (before_c, before_v),
        "nothing changed"
    );
}

/// `database.no_tls` through the library: no traffic to the remote host.
#[test]
fn no_tls_to_a_remote_host_is_a_warning_and_strict_makes_it_an_error() {
    let env = Environment::from_vars([("JWT_SECRET", secret()), ("JWT_REFRESH_SECRET", secret())]);
    let config = |url: &str| {
        Config::resolve(
            &Overrides {
                database_url: Some(url.into()),
                ..Default::default()
            },
            &env,
        )
        .unwrap_or_else(|e| panic!("{url}: {e}"))
    };
    let ids = |f: &[production::Finding]| -> Vec<(String, Severity)> {
        f.iter().map(|f| (f.id.clone(), f.severity)).collect()
    };

    let remote = config("postgres://u:p@db.example.com/x");
    let f = production::check_config(&remote, &env, false);
    assert_eq!(
        ids(&f),
        [("database.no_tls".to_string(), Severity::Warning)],
        "{f:?}"
    );
    assert!(f[0].message.contains("db.example.com"), "{f:?}");
    assert!(!f[0].message.contains(":p@"), "{f:?}");
    assert!(!production::fails(&f), "a warning does not fail the check");

    let f = production::check_config(&remote, &env, true);
    assert_eq!(
        ids(&f),
        [("database.no_tls".to_string(), Severity::Error)],
        "{f:?}"
    );
    assert!(
        production::fails(&f),
        "--strict: the warning fails the check"
    );

    for url in [
        "postgres://u:p@db.example.com/x?sslmode=require",
        "postgres://u:p@db.example.com/x?sslmode=verify-full",
        "postgres://u:p@localhost/x",
        "postgres://u:p@127.0.0.1/x",
    ] {
        for strict in [false, true] {
            let f = production::check_config(&config(url), &env, strict);
            assert!(f.is_empty(), "{url} strict={strict}: {f:?}");
        }
    }
    for url in [
        "postgres://u:p@db.example.com/x?sslmode=prefer",
        "postgres://u:p@db.example.com/x?sslmode=disable",
    ] {
        let f = production::check_config(&config(url), &env, false);
        assert_eq!(
            ids(&f),
            [("database.no_tls".to_string(), Severity::Warning)],
            "{url}"
        );
    }
}

/// Through the binary: 127.0.0.2 is loopback but not a "local" name, and the server
/// listens on 127.0.0.1 only, so it is also unreachable.
#[test]
fn strict_flag_turns_the_tls_warning_into_an_error() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    let mut u = url::Url::parse(&clean.url).unwrap();
    u.set_host(Some("127.0.0.2")).unwrap();
    let setup = Setup {
        url: u.to_string(),
        ..clean
    };
    let mut expected = vec![
        ("database.no_tls".to_string(), "warning".to_string()),
        ("database.unreachable".to_string(), "error".to_string()),
    ];
    let v = expect_failure("127.0.0.2", &setup, &expected);
    assert_eq!(
        v["findings"][0]["severity"], "error",
        "errors are listed first: {v}"
    );
    let (r, v) = setup.check_json(&["--strict"]);
    assert_eq!(r.code, Some(1), "{r}");
    expected[0].1 = "error".into();
    assert_eq!(findings(&v), expected, "{r}");
    assert_eq!(v["errors"], 2, "{v}");
}

#[test]
fn every_finding_is_reported_in_one_run() {
    // SQLite with no secrets at all.
    let db = TestDb::sqlite();
    let setup = Setup {
        url: db.url(),
        jwt: None,
        refresh: None,
    };
    expect_failure(
        "sqlite, no secrets",
        &setup,
        &errors(&[
            "database.not_postgres",
            "jwt_secret.missing",
            "jwt_refresh_secret.missing",
        ]),
    );

    // PostgreSQL, remote without TLS and unreachable, no password, both secrets
    // "changeme" (placeholder, short, low variety, and equal).
    let setup = Setup {
        url: "postgres://postgres@127.0.0.2:1/authctl_nowhere".into(),
        jwt: Some("changeme".into()),
        refresh: Some("changeme".into()),
    };
    let mut expected = errors(&[
        "database.password_empty",
        "database.unreachable",
        "jwt_secret.placeholder",
        "jwt_secret.too_short",
        "jwt_secret.low_variety",
        "jwt_refresh_secret.placeholder",
        "jwt_refresh_secret.too_short",
        "jwt_refresh_secret.low_variety",
        "jwt_secrets.equal",
    ]);
    expected.push(("database.no_tls".into(), "warning".into()));
    expected.sort();
    let v = expect_failure("everything wrong", &setup, &expected);
    assert_eq!(v["findings"].as_array().unwrap().len(), 10, "{v}");
    assert_eq!(
        (v["errors"].clone(), v["warnings"].clone()),
        (9.into(), 1.into())
    );
    let severities: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities.last(), Some(&"warning"), "errors first: {v}");
}

#[test]
fn clean_config_migrates_and_dry_run_applies_nothing() {
    let Some(db) = TestDb::postgres() else { return };
    let setup = Setup::clean(&db);
    let names: Vec<String> = authctl::db::migrations::embedded(authctl::db::Backend::Postgres)
        .iter()
        .map(|m| m.name.to_string())
        .collect();
    assert_eq!(names.len(), 4);

    // Dry run: checks pass, nothing applied, the pending migrations listed.
    let (r, v) = setup.check_json(&["--dry-run"]);
    assert_eq!(r.code, Some(0), "{r}");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(
        (v["errors"].clone(), v["warnings"].clone()),
        (0.into(), 0.into())
    );
    assert_eq!(v["findings"], Value::Array(vec![]), "{v}");
    assert_eq!(v["applied"], Value::Array(vec![]), "{v}");
    assert_eq!(v["migrated"], false, "{v}");
    assert_eq!(v["pending"], serde_json::json!(names), "{v}");
    assert!(!users_table_exists(&db), "dry run applies nothing");
    let r = setup.check(&[], &["--dry-run"]);
    assert_eq!(r.code, Some(0), "{r}");
    assert!(r.stderr.contains("production check passed"), "{r}");
    assert!(!users_table_exists(&db));

    // --check: the checks pass but migrations are pending → exit 1, nothing applied.
    let (r, v) = setup.check_json(&["--check"]);
    assert_eq!(r.code, Some(1), "{r}");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["migrated"], false, "{v}");
    assert!(!users_table_exists(&db));

    // The real run migrates.
    let (r, v) = setup.check_json(&[]);
    assert_eq!(r.code, Some(0), "{r}");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["migrated"], true, "{v}");
    assert_eq!(v["applied"], serde_json::json!(names), "{v}");
    assert_eq!(v["findings"], Value::Array(vec![]), "{v}");
    assert!(users_table_exists(&db));
    let st = run(db.authctl().args(["-o", "json", "migrate", "status"]));
    assert_eq!(st.code, Some(0), "{st}");
    let st = st.json();
    let states: Vec<&str> = st["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["applied"; 4], "{st}");
    let chk = run(db.authctl().args(["migrate", "--check"]));
    assert_eq!(chk.code, Some(0), "schema current: {chk}");

    // Again: nothing to apply, still passes.
    let (r, v) = setup.check_json(&[]);
    assert_eq!(r.code, Some(0), "{r}");
    assert_eq!(v["applied"], Value::Array(vec![]), "{v}");
    assert_eq!(v["migrated"], true, "{v}");
    let r = setup.check(&["-v"], &[]);
    assert_eq!(r.code, Some(0), "{r}");
    assert!(r.stderr.contains("production check passed"), "{r}");
}

/// Secrets appear in no output: every failing and passing run above already checks
/// (Setup::check); here the runs most likely to echo them, in every format.
#[test]
fn secrets_are_never_printed() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    let setups = [
        clean.clone(),
        Setup {
            refresh: clean.jwt.clone(),
            ..clean.clone()
        },
        Setup {
            url: with_port(&clean.url, 1),
            ..clean.clone()
        },
        Setup {
            jwt: Some(format!("changeme-{}", clean.jwt.as_deref().unwrap())),
            ..clean.clone()
        },
        Setup {
            jwt: Some(clean.jwt.as_deref().unwrap()[..20].to_owned()),
            ..clean.clone()
        },
    ];
    for setup in &setups {
        for global in [&["-v"][..], &["-o", "json", "-v"], &["-o", "csv"]] {
            // check() asserts that no secret is in stdout or stderr.
            let r = setup.check(global, &["--dry-run"]);
            assert!(r.code == Some(0) || r.code == Some(1), "{r}");
            let r = setup.check(global, &[]);
            assert!(r.code == Some(0) || r.code == Some(1), "{r}");
        }
    }
    // The control: the assertion does see a secret that is printed.
    let printed = Run {
        code: Some(0),
        stdout: format!("x {} y", clean.jwt.as_deref().unwrap()),
        stderr: String::new(),
    };
    assert!(
        std::panic::catch_unwind(|| assert_no_secrets(&clean, &printed)).is_err(),
        "the secret check must detect a printed secret"
    );
}
