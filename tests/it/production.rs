//! `authctl migrate --check-production`: every finding on its own and all at once
//! — the configuration as the application reads it (`USE_POSTGRES`, `DB_*`), the
//! JWT secrets (authctl's rules and the application's refusals), the database, the
//! migrations and the application's data (default accounts, weak bcrypt hashes) —
//! nothing migrated on failure, a clean configuration migrates a fresh or an
//! application-migrated database, `--dry-run` applies nothing, `--strict`, the exit
//! codes of the README, and secrets never printed.

use crate::common;

use std::collections::BTreeSet;
use std::time::Duration;

use authctl::config::{Config, Environment, Overrides};
use authctl::ops::production::{self, Severity};
use base64::Engine as _;
use serde_json::Value;

use crate::common::{PgDb, Run, TestDb, app, app_ok, run};

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

/// A strong database password (local trust authentication ignores it).
const DB_PASSWORD: &str = "Db-Pw-7f3a9c1e5b";

/// A configuration: the database URL, the JWT variables (None: unset) and the
/// application's other variables (`USE_POSTGRES`, `DB_*`).
#[derive(Clone)]
struct Setup {
    /// `--database-url`; `None`: authctl derives the database from `USE_POSTGRES`
    /// and `DB_*`, as the application does.
    url: Option<String>,
    jwt: Option<String>,
    refresh: Option<String>,
    env: Vec<(String, String)>,
}

impl Setup {
    /// A clean configuration for `db`: a URL with a password, two random secrets,
    /// `USE_POSTGRES=true` and a strong `DB_PASSWORD` for the application.
    fn clean(db: &TestDb) -> Setup {
        Setup {
            url: Some(with_password(&db.url(), DB_PASSWORD)),
            jwt: Some(secret()),
            refresh: Some(secret()),
            env: vec![
                ("USE_POSTGRES".into(), "true".into()),
                ("DB_PASSWORD".into(), DB_PASSWORD.into()),
            ],
        }
    }

    /// The application's own way to name its database: `USE_POSTGRES=true` and
    /// `DB_HOST`, `DB_PORT`, `DB_NAME`, `DB_USER`, `DB_PASSWORD` (no URL).
    fn from_db_vars(db: &TestDb) -> Setup {
        let u = url::Url::parse(&db.url()).unwrap();
        Setup {
            url: None,
            jwt: Some(secret()),
            refresh: Some(secret()),
            env: vec![
                ("USE_POSTGRES".into(), "true".into()),
                ("DB_HOST".into(), u.host_str().unwrap().into()),
                ("DB_PORT".into(), u.port().unwrap_or(5432).to_string()),
                ("DB_NAME".into(), u.path().trim_start_matches('/').into()),
                ("DB_USER".into(), u.username().into()),
                ("DB_PASSWORD".into(), DB_PASSWORD.into()),
            ],
        }
    }

    /// The same with `var` set to `value`.
    fn set(mut self, var: &str, value: &str) -> Setup {
        self.env.retain(|(k, _)| k != var);
        self.env.push((var.into(), value.into()));
        self
    }

    /// The same without `var`.
    fn unset(mut self, var: &str) -> Setup {
        self.env.retain(|(k, _)| k != var);
        self
    }

    fn secrets(&self) -> Vec<String> {
        let mut v: Vec<String> = self.jwt.iter().chain(&self.refresh).cloned().collect();
        v.push(DB_PASSWORD.into());
        v.extend(
            self.env
                .iter()
                // The application's well-known default is no secret.
                .filter(|(k, v)| k == "DB_PASSWORD" && v != "postgres")
                .map(|(_, v)| v.clone()),
        );
        v
    }

    /// `authctl [--database-url URL] [global…] migrate --check-production ARGS…`
    fn check(&self, global: &[&str], args: &[&str]) -> Run {
        let mut cmd = common::authctl();
        if let Some(url) = &self.url {
            cmd.args(["--database-url", url]);
        }
        cmd.args(global)
            .args(["migrate", "--check-production"])
            .args(args);
        if let Some(v) = &self.jwt {
            cmd.env("JWT_SECRET", v);
        }
        if let Some(v) = &self.refresh {
            cmd.env("JWT_REFRESH_SECRET", v);
        }
        for (k, v) in &self.env {
            cmd.env(k, v);
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

fn pg(db: &TestDb) -> &PgDb {
    match db {
        TestDb::Postgres(pg) => pg,
        TestDb::Sqlite(_) => unreachable!("a PostgreSQL test database"),
    }
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

/// The messages of the findings with this id.
fn messages(v: &Value, id: &str) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == id)
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect()
}

fn users_table_exists(db: &TestDb) -> bool {
    let sql = if db.is_postgres() {
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'users'"
    } else {
        "SELECT count(*) AS n FROM sqlite_master WHERE name = 'users'"
    };
    common::count(db, sql) > 0
}

/// Every table of the database, sorted (what "nothing migrated" compares).
fn tables(db: &TestDb) -> Vec<String> {
    let sql = if db.is_postgres() {
        "SELECT tablename::text AS v FROM pg_tables WHERE schemaname = current_schema()"
    } else {
        "SELECT name AS v FROM sqlite_master WHERE type = 'table'"
    };
    let mut v = common::query_strings(db, sql);
    v.sort();
    v
}

/// Run the check with `setup` and expect exit 1 with exactly `expected` findings and
/// nothing migrated.
#[track_caller]
fn expect_failure(what: &str, setup: &Setup, expected: &[(String, String)]) -> Value {
    let (r, v) = setup.check_json(&[]);
    assert_eq!(r.code, 1, "{what}: exit 1\n{r}");
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
    assert_eq!(t.code, 1, "{what}: {t}");
    for (id, _) in expected {
        assert!(
            t.stderr.contains(id.as_str()),
            "{what}: {id} on stderr\n{t}"
        );
    }
    v
}

/// `--dry-run` passes (exit 0, no finding) — the control of a failing case.
#[track_caller]
fn expect_pass(what: &str, setup: &Setup) {
    let (r, v) = setup.check_json(&["--dry-run"]);
    assert_eq!(r.code, 0, "{what}: {r}");
    assert_eq!(v["ok"], true, "{what}: {v}");
    assert_eq!(v["findings"], Value::Array(vec![]), "{what}: {v}");
}

/// `authctl --database-url URL ARGS…` on `db`, asserting the exit code.
#[track_caller]
fn authctl_ok(db: &TestDb, args: &[&str], stdin: &str) -> Run {
    let r = run(db.authctl().args(args).write_stdin(stdin));
    assert_eq!(r.code, 0, "authctl {args:?}: {r}");
    r
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
            "the other template value (also short)",
            Setup {
                refresh: Some("<generate-different-secure-secret>".into()),
                ..clean.clone()
            },
            vec!["jwt_refresh_secret.placeholder"],
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
    expect_pass("clean", &clean);
    // The recommended generator (64 random bytes as hex) passes too.
    let hex_secret = || {
        let mut b = [0u8; 64];
        getrandom::fill(&mut b).unwrap();
        hex::encode(b)
    };
    expect_pass(
        "hex secrets",
        &Setup {
            jwt: Some(hex_secret()),
            refresh: Some(hex_secret()),
            ..clean
        },
    );
}

/// The fragments with which the application refuses to start, in either secret and
/// in any letter case: `*.app_refuses`, plus `*.placeholder` where authctl's own
/// list knows the fragment too.
#[test]
fn secrets_the_application_refuses_are_errors_ignoring_case() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    let random = || secret()[..24].to_owned();
    // (fragment as written, also a placeholder by authctl's own list)
    let markers = [
        ("your-secret-key", true),
        ("Your-Secret-KEY", true),
        ("change-in-production", false),
        ("CHANGE-IN-PRODUCTION", false),
        ("EXAMPLE", true),
        ("example", true),
        ("CHANGE_THIS", true),
        ("change_this", true),
        ("your-refresh-secret", true),
        ("YOUR-REFRESH-SECRET", true),
    ];
    for (marker, placeholder) in markers {
        for var in ["jwt_secret", "jwt_refresh_secret"] {
            let value = format!("{}{marker}{}", random(), random());
            let setup = if var == "jwt_secret" {
                Setup {
                    jwt: Some(value.clone()),
                    ..clean.clone()
                }
            } else {
                Setup {
                    refresh: Some(value.clone()),
                    ..clean.clone()
                }
            };
            let refuses = format!("{var}.app_refuses");
            let also = format!("{var}.placeholder");
            let mut ids = vec![refuses.as_str()];
            if placeholder {
                ids.push(also.as_str());
            }
            let what = format!("{var} containing {marker:?}");
            let v = expect_failure(&what, &setup, &errors(&ids));
            let msg = &messages(&v, &refuses)[0];
            assert!(
                msg.to_lowercase().contains(&marker.to_lowercase()) && msg.contains("refuses"),
                "{what}: the message names the fragment: {msg}"
            );
            assert!(!msg.contains(&value), "{what}: {msg}");
        }
    }
    assert!(!users_table_exists(&db), "nothing migrated");
    // Near misses are not the application's markers.
    for near in [
        "your_secret_key",
        "changeinproduction",
        "exampl",
        "change-this",
    ] {
        let setup = Setup {
            // '.' is in no marker, so the random parts cannot complete one.
            jwt: Some(format!("{}.{near}.{}", random(), random())),
            ..clean.clone()
        };
        let (_, v) = setup.check_json(&["--dry-run"]);
        assert!(
            messages(&v, "jwt_secret.app_refuses").is_empty(),
            "{near}: {v}"
        );
    }
}

/// The application uses PostgreSQL only when `USE_POSTGRES` is exactly `true`:
/// unset, or a false value, it keeps users, tokens and sessions in memory.
#[test]
fn use_postgres_unset_or_false_is_an_error() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    // Unset: the application keeps everything in memory.
    let v = expect_failure(
        "USE_POSTGRES unset",
        &clean.clone().unset("USE_POSTGRES"),
        &errors(&["app.use_postgres_unset"]),
    );
    let msg = &messages(&v, "app.use_postgres_unset")[0];
    assert!(msg.contains("in memory"), "{msg}");
    assert!(!users_table_exists(&db), "nothing migrated");
    // The controls: exactly "true", by URL and by DB_*.
    expect_pass("USE_POSTGRES=true", &clean);
    expect_pass("USE_POSTGRES=true with DB_*", &Setup::from_db_vars(&db));

    // A value that contradicts the PostgreSQL URL, or one authctl cannot read, is a
    // finding like the others (exit 1, JSON on stdout); nothing migrated.
    for value in ["false", "0", "maybe"] {
        let setup = clean.clone().set("USE_POSTGRES", value);
        let r = setup.check(&["-o", "json"], &[]);
        assert_eq!(r.code, 1, "USE_POSTGRES={value}: {r}");
        assert!(r.stdout.contains("app.use_postgres_not_true"), "{r}");
        assert!(r.stdout.contains("USE_POSTGRES"), "{r}");
    }
    assert!(!users_table_exists(&db), "nothing migrated");

    // On SQLite a false USE_POSTGRES is reported together with the backend.
    let sqlite = TestDb::sqlite();
    for value in ["false", "0", "FALSE", "no", "off"] {
        let setup = Setup {
            url: Some(sqlite.url()),
            jwt: Some(secret()),
            refresh: Some(secret()),
            env: vec![("USE_POSTGRES".into(), value.into())],
        };
        let v = expect_failure(
            &format!("sqlite, USE_POSTGRES={value}"),
            &setup,
            &errors(&["app.use_postgres_not_true", "database.not_postgres"]),
        );
        let msg = &messages(&v, "app.use_postgres_not_true")[0];
        assert!(
            msg.contains(value) && msg.contains("exactly \"true\""),
            "{value}: {msg}"
        );
    }
    assert!(!users_table_exists(&sqlite), "nothing migrated");
}

/// `TRUE`, `1`, `yes` … are not `true` to the application: `--check-production`
/// reports `app.use_postgres_not_true` with every other finding (exit 1).
#[test]
fn use_postgres_true_in_another_spelling_is_a_finding() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    for value in ["TRUE", "True", "1", "yes", "on", " true"] {
        let setup = clean.clone().set("USE_POSTGRES", value);
        let what = format!("USE_POSTGRES={value:?}");
        let v = expect_failure(&what, &setup, &errors(&["app.use_postgres_not_true"]));
        let msg = &messages(&v, "app.use_postgres_not_true")[0];
        assert!(msg.contains("in memory"), "{what}: {msg}");
        // Listed with the others, not instead of them.
        let both = Setup { jwt: None, ..setup };
        expect_failure(
            &format!("{what}, no JWT_SECRET"),
            &both,
            &errors(&["app.use_postgres_not_true", "jwt_secret.missing"]),
        );
    }
    // The same through DB_* only.
    expect_failure(
        "USE_POSTGRES=TRUE with DB_*",
        &Setup::from_db_vars(&db).set("USE_POSTGRES", "TRUE"),
        &errors(&["app.use_postgres_not_true"]),
    );
    assert!(!users_table_exists(&db), "nothing migrated");
}

/// Messages show the value of USE_POSTGRES as it was set, quoted once.
#[test]
fn use_postgres_messages_quote_the_value_once() {
    // The finding (SQLite, USE_POSTGRES=false).
    let db = TestDb::sqlite();
    let setup = Setup {
        url: Some(db.url()),
        jwt: Some(secret()),
        refresh: Some(secret()),
        env: vec![("USE_POSTGRES".into(), "false".into())],
    };
    let (_, v) = setup.check_json(&[]);
    let msg = &messages(&v, "app.use_postgres_not_true")[0];
    assert!(msg.starts_with("USE_POSTGRES is \"false\" "), "{msg}");
    // The configuration error (USE_POSTGRES=TRUE).
    let r = Setup {
        env: vec![("USE_POSTGRES".into(), "TRUE".into())],
        ..setup
    }
    .check(&[], &[]);
    assert!(
        r.stderr.contains("USE_POSTGRES is \"TRUE\"") && !r.stderr.contains("\\\""),
        "{r}"
    );
}

/// `DB_PASSWORD` unset or `postgres` with `USE_POSTGRES=true`: the application
/// (and authctl, which fills in the application's defaults) uses `postgres`.
#[test]
fn default_database_password_is_an_error() {
    let Some(db) = TestDb::postgres() else { return };
    let vars = Setup::from_db_vars(&db);
    let cases = [
        ("DB_PASSWORD unset", vars.clone().unset("DB_PASSWORD")),
        (
            "DB_PASSWORD=dev_password_change_me",
            vars.clone().set("DB_PASSWORD", "dev_password_change_me"),
        ),
        (
            "URL with a password, DB_PASSWORD unset (the application reads DB_*)",
            Setup::clean(&db).unset("DB_PASSWORD"),
        ),
    ];
    for (what, setup) in cases {
        let v = expect_failure(what, &setup, &errors(&["database.password_default"]));
        let msg = &messages(&v, "database.password_default")[0];
        assert!(msg.contains("DB_PASSWORD"), "{what}: {msg}");
    }
    assert!(!users_table_exists(&db), "nothing migrated");
    // The control: a strong DB_PASSWORD.
    expect_pass("strong DB_PASSWORD", &vars);

    // With nothing but USE_POSTGRES=true and the host, authctl goes where the
    // application goes: database restoreassist, user restoreassist, password
    // dev_password_change_me.
    let admin = url::Url::parse(&db.url()).unwrap();
    let exists = common::count(
        &db,
        "SELECT count(*) AS n FROM pg_database WHERE datname = 'restoreassist'",
    ) > 0;
    if exists {
        common::skip("a database restoreassist exists on the test server (the defaults case)");
        return;
    }
    let defaults = Setup {
        url: None,
        jwt: Some(secret()),
        refresh: Some(secret()),
        env: vec![
            ("USE_POSTGRES".into(), "true".into()),
            ("DB_HOST".into(), admin.host_str().unwrap().into()),
            ("DB_PORT".into(), admin.port().unwrap_or(5432).to_string()),
        ],
    };
    let v = expect_failure(
        "only USE_POSTGRES and DB_HOST",
        &defaults,
        &errors(&["database.password_default", "database.unreachable"]),
    );
    let msg = &messages(&v, "database.unreachable")[0];
    assert!(
        msg.contains("\"restoreassist\"") && msg.contains("user \"restoreassist\""),
        "the application's defaults: {msg}"
    );
    assert!(
        !msg.contains("dev_password_change_me"),
        "password redacted: {msg}"
    );
}

#[test]
fn empty_database_password_is_an_error() {
    let Some(db) = TestDb::postgres() else { return };
    let setup = Setup {
        url: Some(db.url()),
        ..Setup::clean(&db)
    };
    assert!(
        url::Url::parse(setup.url.as_deref().unwrap())
            .unwrap()
            .password()
            .is_none()
    );
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
        url: Some(db.url()),
        jwt: Some(secret()),
        refresh: Some(secret()),
        env: vec![],
    };
    // Without USE_POSTGRES the application itself would run in memory: both listed.
    expect_failure(
        "sqlite",
        &setup,
        &errors(&["app.use_postgres_unset", "database.not_postgres"]),
    );
    assert!(!s.path.exists(), "the SQLite file is not even created");

    // An existing, unmigrated SQLite file stays unmigrated.
    drop(db.connect());
    // Without USE_POSTGRES the application itself would run in memory: both listed.
    expect_failure(
        "sqlite",
        &setup,
        &errors(&["app.use_postgres_unset", "database.not_postgres"]),
    );
    assert!(!users_table_exists(&db), "nothing migrated");

    // USE_POSTGRES=true contradicts a SQLite DATABASE_URL of the same rank (both
    // exported): reported as `config.invalid`.
    let same_rank = Setup {
        url: None,
        ..setup.clone()
    }
    .set("USE_POSTGRES", "true")
    .set("DATABASE_URL", &db.url());
    let r = same_rank.check(&[], &[]);
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("config.invalid"), "{r}");
    assert!(!users_table_exists(&db), "nothing migrated");
    // `--database-url` outranks the exported USE_POSTGRES (issue 18): no
    // contradiction, but SQLite is still no production database.
    let r = setup.clone().set("USE_POSTGRES", "true").check(&[], &[]);
    assert_eq!(r.code, 1, "{r}");
    assert!(r.stderr.contains("database.not_postgres"), "{r}");
    assert!(!r.stderr.contains("config.invalid"), "{r}");
    assert!(!users_table_exists(&db), "nothing migrated");
}

#[test]
fn unreachable_database_is_an_error() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    let setup = Setup {
        url: Some(with_port(clean.url.as_deref().unwrap(), 1)),
        ..clean
    };
    let v = expect_failure("port 1", &setup, &errors(&["database.unreachable"]));
    let msg = v["findings"][0]["message"].as_str().unwrap();
    assert!(msg.contains("127.0.0.1:1"), "{msg}");
}

#[test]
fn edited_newer_and_old_layout_migrations_are_errors() {
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
    let ledger = || {
        common::query_strings(
            &db,
            "SELECT version::text AS v FROM schema_migrations ORDER BY version",
        )
    };
    // authctl's own migration (the audit trail) is the checksummed one.
    let own = "(SELECT version FROM __authctl_migration_checksums ORDER BY version LIMIT 1)";
    let original = common::query_strings(
        &db,
        &format!("SELECT checksum AS v FROM __authctl_migration_checksums WHERE version = {own}"),
    )
    .remove(0);

    // Edited: the recorded checksum differs.
    db.exec(&format!(
        "UPDATE __authctl_migration_checksums SET checksum = repeat('0', 64) WHERE version = {own}"
    ));
    let before = (checksums(), versions(), ledger(), tables(&db));
    let v = expect_failure("edited", &setup, &errors(&["migrations.integrity"]));
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("create_authctl_audit_events"),
        "names the edited migration: {v}"
    );
    assert_eq!(
        (checksums(), versions(), ledger(), tables(&db)),
        before,
        "nothing changed"
    );

    // Restored, the database passes again (the control).
    db.exec(&format!(
        "UPDATE __authctl_migration_checksums SET checksum = '{original}' WHERE version = {own}"
    ));
    let (r, v) = setup.check_json(&[]);
    assert_eq!((r.code, v["ok"].clone()), (0, Value::Bool(true)), "{r}");

    // Newer: the database records a version this binary does not know.
    db.exec("INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000001')");
    let before = (checksums(), versions(), ledger(), tables(&db));
    let v = expect_failure("newer", &setup, &errors(&["migrations.integrity"]));
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("29991231000001"),
        "names the unknown version: {v}"
    );
    assert_eq!(
        (checksums(), versions(), ledger(), tables(&db)),
        before,
        "nothing changed"
    );
    db.exec("DELETE FROM __diesel_schema_migrations WHERE version = '29991231000001'");

    // The first authctl layout (its own schema with integer ids) is refused too.
    db.exec("INSERT INTO __diesel_schema_migrations (version) VALUES ('20261128000001')");
    let v = expect_failure("old layout", &setup, &errors(&["migrations.integrity"]));
    assert!(
        v["findings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("earlier authctl"),
        "says what the database is: {v}"
    );
}

/// `database.no_tls` through the library: no traffic to the remote host.
#[test]
fn no_tls_to_a_remote_host_is_a_warning_and_strict_makes_it_an_error() {
    let env = Environment::from_vars([
        ("JWT_SECRET", secret()),
        ("JWT_REFRESH_SECRET", secret()),
        ("USE_POSTGRES", "true".to_owned()),
        ("DB_PASSWORD", DB_PASSWORD.to_owned()),
    ]);
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
    let mut u = url::Url::parse(clean.url.as_deref().unwrap()).unwrap();
    u.set_host(Some("127.0.0.2")).unwrap();
    let setup = Setup {
        url: Some(u.to_string()),
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
    assert_eq!(r.code, 1, "{r}");
    expected[0].1 = "error".into();
    assert_eq!(findings(&v), expected, "{r}");
    assert_eq!(v["errors"], 2, "{v}");
}

/// The application's development accounts (`seed-defaults`) answering to their
/// default passwords: one error per account, naming it; gone once the password is
/// reset (or the account disabled).
#[test]
fn default_accounts_with_default_passwords_are_errors() {
    let Some(db) = TestDb::postgres() else { return };
    if !common::has_app() {
        return;
    }
    let url = pg(&db).url.clone();
    authctl_ok(&db, &["migrate"], "");
    let seeded = app_ok(&url, &["seed-defaults"], "", 0);
    assert_eq!(
        seeded["created"],
        serde_json::json!(["admin@restoreassist.com", "demo@restoreassist.com"])
    );
    // The application really lets them in with the default passwords.
    assert_eq!(
        app(&url, &["login", "admin@restoreassist.com"], "admin123").code,
        0
    );

    let setup = Setup::clean(&db);
    let v = expect_failure(
        "seeded",
        &setup,
        &errors(&["app.default_account", "app.default_account"]),
    );
    let mut msgs = messages(&v, "app.default_account");
    msgs.sort();
    assert!(msgs[0].contains("admin@restoreassist.com"), "{msgs:?}");
    assert!(msgs[1].contains("demo@restoreassist.com"), "{msgs:?}");
    for f in v["findings"].as_array().unwrap() {
        let fix = f["fix"].as_str().unwrap();
        assert!(fix.contains("reset-password"), "{fix}");
        assert!(!f.to_string().contains("admin123"), "{f}");
    }

    // Reset the admin's password: only the demo account is left.
    authctl_ok(
        &db,
        &[
            "users",
            "reset-password",
            "admin@restoreassist.com",
            "--password-stdin",
        ],
        "Kx9-vault-Ostrich-41\n",
    );
    assert_ne!(
        app(&url, &["login", "admin@restoreassist.com"], "admin123").code,
        0
    );
    let v = expect_failure("admin reset", &setup, &errors(&["app.default_account"]));
    let msg = &messages(&v, "app.default_account")[0];
    assert!(
        msg.contains("demo@restoreassist.com") && !msg.contains("admin@"),
        "{msg}"
    );

    // A disabled account answers to nothing …
    authctl_ok(
        &db,
        &["users", "disable", "demo@restoreassist.com", "--yes"],
        "",
    );
    expect_pass("demo disabled", &setup);
    // … until it is enabled again with the same hash.
    authctl_ok(&db, &["users", "enable", "demo@restoreassist.com"], "");
    expect_failure("demo enabled", &setup, &errors(&["app.default_account"]));
    authctl_ok(
        &db,
        &[
            "users",
            "reset-password",
            "demo@restoreassist.com",
            "--password-stdin",
        ],
        "Mq4-harbor-Pelican-77\n",
    );
    let (r, v) = setup.check_json(&[]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(v["findings"], Value::Array(vec![]), "{v}");
}

/// A default account whose stored hash costs more than authctl computes (bcrypt
/// cost 22: minutes; argon2id m=4 GiB) is not verified — it would stall the deploy
/// check — but reported as a warning naming the account and its cost.
#[test]
fn default_accounts_with_unbounded_hash_costs_are_reported_not_verified() {
    let Some(db) = TestDb::postgres() else { return };
    authctl_ok(&db, &["migrate"], "");
    let mut conn = db.connect();
    let bcrypt_22 = "$2b$22$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234";
    let argon_4g = "$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGhoaGg";
    authctl::repo::NewUser::new("admin@restoreassist.com", bcrypt_22)
        .insert(&mut conn)
        .unwrap();
    authctl::repo::NewUser::new("demo@restoreassist.com", argon_4g)
        .insert(&mut conn)
        .unwrap();
    let setup = Setup::clean(&db);
    let (r, v) = setup.check_json(&["--dry-run"]);
    assert_eq!(r.code, 0, "warnings only: {r}");
    let mut found = findings(&v);
    found.dedup();
    assert_eq!(
        found,
        [(
            "app.default_account_unchecked".to_owned(),
            "warning".to_owned()
        )],
        "{r}"
    );
    let mut msgs = messages(&v, "app.default_account_unchecked");
    msgs.sort();
    assert_eq!(msgs.len(), 2, "{msgs:?}");
    assert!(
        msgs[0].contains("admin@restoreassist.com") && msgs[0].contains("bcrypt cost 22"),
        "{msgs:?}"
    );
    assert!(
        msgs[1].contains("demo@restoreassist.com") && msgs[1].contains("m=4194304"),
        "{msgs:?}"
    );
    assert!(
        msgs[0].contains("exceeds what authctl will compute"),
        "{msgs:?}"
    );
}

/// On a database the application migrated and seeded, the check refuses before
/// adopting anything; with the default accounts gone it adopts and migrates.
#[test]
fn default_accounts_block_adopting_an_application_database() {
    let Some(pg) = PgDb::app_migrated(None) else {
        return;
    };
    app_ok(&pg.url, &["seed-defaults"], "", 0);
    let db = TestDb::Postgres(pg);
    let ledger = || {
        common::query_strings(
            &db,
            "SELECT version::text AS v FROM schema_migrations ORDER BY version",
        )
    };
    let before = (ledger(), tables(&db));
    assert!(!before.1.contains(&"authctl_audit_events".to_owned()));
    let setup = Setup::clean(&db);
    expect_failure(
        "application database, seeded",
        &setup,
        &errors(&["app.default_account", "app.default_account"]),
    );
    assert_eq!(
        (ledger(), tables(&db)),
        before,
        "nothing adopted or created"
    );

    db.exec("DELETE FROM users WHERE email LIKE '%@restoreassist.com'");
    let (r, v) = setup.check_json(&[]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(v["migrated"], true, "{v}");
    let mut expected: Vec<String> =
        authctl::db::migrations::embedded_app(authctl::db::Backend::Postgres)
            .iter()
            .chain(authctl::db::migrations::embedded(
                authctl::db::Backend::Postgres,
            ))
            .map(|m| m.name.to_string())
            .collect();
    expected.sort();
    let mut applied: Vec<String> = v["applied"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    applied.sort();
    assert_eq!(
        applied, expected,
        "adopted the application's steps, applied authctl's"
    );
    assert_eq!(
        ledger(),
        before.0,
        "the application's ledger is the application's"
    );
    let st = run(db.authctl().args(["-o", "json", "migrate", "status"])).json();
    let states: Vec<(String, String)> = st["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["origin"].as_str().unwrap().to_owned(),
                m["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut want = vec![("application".to_owned(), "adopted".to_owned()); 4];
    want.push(("authctl".into(), "applied".into())); // the audit trail
    want.push(("authctl".into(), "applied".into())); // the purge-run record
    assert_eq!(states, want, "{st}");
}

/// A bcrypt cost-4 hash made with the `bcrypt` crate (what a careless import or a
/// test seed leaves behind).
fn bcrypt_hash(password: &str, cost: u32, version: bcrypt::Version) -> String {
    bcrypt::hash_with_result(password, cost)
        .unwrap()
        .format_for_version(version)
}

/// Insert users with weak bcrypt hashes (costs 4 and 9, one disabled) next to
/// strong ones (authctl's cost 12, the application's cost 10).
fn seed_weak_hashes(db: &TestDb) {
    let weak = [
        (
            "weak1@example.com",
            bcrypt_hash("pw-one", 4, bcrypt::Version::TwoB),
        ),
        (
            "weak2@example.com",
            bcrypt_hash("pw-two", 9, bcrypt::Version::TwoA),
        ),
        (
            "weak3@example.com",
            format!("!{}", bcrypt_hash("pw-three", 4, bcrypt::Version::TwoY)),
        ),
    ];
    for (email, hash) in weak {
        db.exec(&format!(
            "INSERT INTO users (email, password_hash) VALUES ('{email}', '{hash}')"
        ));
    }
    let url = pg(db).url.clone();
    app_ok(
        &url,
        &["register", "strong-app@example.com", "App User"],
        "Application-Pass-1",
        0,
    );
}

#[test]
fn weak_bcrypt_hashes_are_a_counted_warning() {
    let Some(db) = TestDb::postgres() else { return };
    if !common::has_app() {
        return;
    }
    authctl_ok(&db, &["migrate"], "");
    seed_weak_hashes(&db);
    authctl_ok(
        &db,
        &["users", "create", "strong@example.com", "--password-stdin"],
        "Authctl-Pass-12345\n",
    );
    assert_eq!(
        common::query_strings(
            &db,
            "SELECT substr(password_hash, 1, 7) AS v FROM users WHERE email LIKE 'strong%' ORDER BY email"
        )
        .iter()
        .map(|h| &h[4..7])
        .collect::<Vec<_>>(),
        ["10$", "12$"],
        "the strong hashes are cost 10 (application) and 12 (authctl)"
    );

    let setup = Setup::clean(&db);
    let (r, v) = setup.check_json(&[]);
    assert_eq!(r.code, 0, "a warning does not fail the check: {r}");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(
        findings(&v),
        [("passwords.weak_bcrypt".to_string(), "warning".to_string())],
        "{v}"
    );
    assert_eq!(
        (v["errors"].clone(), v["warnings"].clone()),
        (0.into(), 1.into())
    );
    let msg = &messages(&v, "passwords.weak_bcrypt")[0];
    assert!(
        msg.starts_with("3 user(s)") && msg.contains("cost 10"),
        "{msg}"
    );
    let t = setup.check(&[], &[]);
    assert_eq!(t.code, 0, "{t}");
    assert!(t.stderr.contains("passwords.weak_bcrypt"), "{t}");
    assert!(
        t.stderr.contains("production check passed (1 warning(s))"),
        "{t}"
    );

    // Resetting one of them lowers the count.
    authctl_ok(
        &db,
        &[
            "users",
            "reset-password",
            "weak1@example.com",
            "--password-stdin",
        ],
        "New-Strong-Pass-99\n",
    );
    let (_, v) = setup.check_json(&["--dry-run"]);
    assert!(
        messages(&v, "passwords.weak_bcrypt")[0].starts_with("2 user(s)"),
        "{v}"
    );
}

/// A warning does not keep an application database from being adopted.
#[test]
fn weak_bcrypt_warning_does_not_block_migrating() {
    let Some(pg) = PgDb::app_migrated(None) else {
        return;
    };
    let db = TestDb::Postgres(pg);
    seed_weak_hashes(&db);
    let (r, v) = Setup::clean(&db).check_json(&[]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        findings(&v),
        [("passwords.weak_bcrypt".to_string(), "warning".to_string())],
        "{v}"
    );
    assert_eq!(v["migrated"], true, "{v}");
    assert_eq!(v["applied"].as_array().unwrap().len(), 6, "{v}");
    assert!(tables(&db).contains(&"authctl_audit_events".to_owned()));
}

/// `--strict`: "warnings (e.g. no TLS to a remote host) fail too" (the flag's help).
#[test]
fn strict_makes_the_weak_bcrypt_warning_fail() {
    let Some(db) = TestDb::postgres() else { return };
    if !common::has_app() {
        return;
    }
    authctl_ok(&db, &["migrate"], "");
    seed_weak_hashes(&db);
    let (r, v) = Setup::clean(&db).check_json(&["--strict", "--dry-run"]);
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(v["ok"], false, "{v}");
}

#[test]
fn every_finding_is_reported_in_one_run() {
    // SQLite with no secrets at all, USE_POSTGRES=0.
    let db = TestDb::sqlite();
    let setup = Setup {
        url: Some(db.url()),
        jwt: None,
        refresh: None,
        env: vec![("USE_POSTGRES".into(), "0".into())],
    };
    expect_failure(
        "sqlite, no secrets",
        &setup,
        &errors(&[
            "database.not_postgres",
            "app.use_postgres_not_true",
            "jwt_secret.missing",
            "jwt_refresh_secret.missing",
        ]),
    );

    // PostgreSQL, remote without TLS and unreachable, no password, USE_POSTGRES unset,
    // both secrets "changeme" (placeholder, short, low variety, and equal).
    let setup = Setup {
        url: Some("postgres://postgres@127.0.0.2:1/authctl_nowhere".into()),
        jwt: Some("changeme".into()),
        refresh: Some("changeme".into()),
        env: vec![],
    };
    let mut expected = errors(&[
        "app.use_postgres_unset",
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
    assert_eq!(v["findings"].as_array().unwrap().len(), 11, "{v}");
    assert_eq!(
        (v["errors"].clone(), v["warnings"].clone()),
        (10.into(), 1.into())
    );
    let severities: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    assert_eq!(severities.last(), Some(&"warning"), "errors first: {v}");
}

/// A reachable database with everything wrong: configuration, secrets the
/// application refuses, an edited migration, default accounts and weak hashes —
/// all listed in one run, nothing changed.
#[test]
fn every_finding_on_a_reachable_database_is_reported_in_one_run() {
    let Some(db) = TestDb::postgres() else { return };
    if !common::has_app() {
        return;
    }
    authctl_ok(&db, &["migrate"], "");
    app_ok(&pg(&db).url, &["seed-defaults"], "", 0);
    seed_weak_hashes(&db);
    db.exec("UPDATE __authctl_migration_checksums SET checksum = repeat('0', 64)");
    let shared = format!("your-secret-key-{}", &secret()[..40]);
    let setup = Setup {
        jwt: Some(shared.clone()),
        refresh: Some(shared),
        ..Setup::from_db_vars(&db).set("DB_PASSWORD", "dev_password_change_me")
    };
    let mut expected = errors(&[
        "database.password_default",
        "jwt_secret.app_refuses",
        "jwt_secret.placeholder",
        "jwt_refresh_secret.app_refuses",
        "jwt_refresh_secret.placeholder",
        "jwt_secrets.equal",
        "migrations.integrity",
        "app.default_account",
        "app.default_account",
    ]);
    expected.push(("passwords.weak_bcrypt".into(), "warning".into()));
    expected.sort();
    let before = tables(&db);
    let v = expect_failure("everything wrong, reachable", &setup, &expected);
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
    assert_eq!(tables(&db), before);
}

/// The exit codes of README "Exit codes" for this command.
#[test]
fn exit_codes_follow_the_readme() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    // 0: passed (dry run, nothing applied).
    assert_eq!(clean.check(&[], &["--dry-run"]).code, 0);
    // 1: the checks pass but migrations are pending with --check.
    assert_eq!(clean.check(&[], &["--check"]).code, 1);
    // 1: a finding.
    assert_eq!(
        Setup {
            jwt: None,
            ..clean.clone()
        }
        .check(&[], &["--dry-run"])
        .code,
        1
    );
    // 64: usage — --strict without --check-production, --check with --dry-run.
    let r = run(db.authctl().args(["migrate", "--strict"]));
    assert_eq!(r.code, 64, "{r}");
    assert_eq!(clean.check(&[], &["--check", "--dry-run"]).code, 64);
    // 1: a contradictory configuration is a finding too (listed with the others).
    assert_eq!(
        clean
            .clone()
            .set("USE_POSTGRES", "false")
            .check(&[], &[])
            .code,
        1
    );
    assert!(!users_table_exists(&db), "nothing migrated");
    // 0: the real run.
    assert_eq!(clean.check(&[], &[]).code, 0);
    assert!(users_table_exists(&db));
}

#[test]
fn clean_config_migrates_and_dry_run_applies_nothing() {
    let Some(db) = TestDb::postgres() else { return };
    if !common::has_app() {
        return;
    }
    let setup = Setup::clean(&db);
    let backend = authctl::db::Backend::Postgres;
    let names: Vec<String> = authctl::db::migrations::embedded_app(backend)
        .iter()
        .chain(authctl::db::migrations::embedded(backend))
        .map(|m| m.name.to_string())
        .collect();
    assert_eq!(names.len(), 6);

    // Dry run: checks pass, nothing applied, the pending migrations listed.
    let (r, v) = setup.check_json(&["--dry-run"]);
    assert_eq!(r.code, 0, "{r}");
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
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stderr.contains("production check passed"), "{r}");
    for name in &names {
        assert!(r.stdout.contains(&format!("pending {name}")), "{r}");
    }
    assert!(!users_table_exists(&db));

    // --check: the checks pass but migrations are pending → exit 1, nothing applied.
    let (r, v) = setup.check_json(&["--check"]);
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["migrated"], false, "{v}");
    assert!(!users_table_exists(&db));

    // The real run migrates: the application's steps created, authctl's applied.
    let (r, v) = setup.check_json(&[]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["migrated"], true, "{v}");
    assert_eq!(v["applied"], serde_json::json!(names), "{v}");
    assert_eq!(v["findings"], Value::Array(vec![]), "{v}");
    assert!(users_table_exists(&db));
    assert_eq!(
        common::query_strings(
            &db,
            "SELECT version::text AS v FROM schema_migrations ORDER BY version"
        ),
        names[..4],
        "the application's ledger lists its steps"
    );
    let st = run(db.authctl().args(["-o", "json", "migrate", "status"]));
    assert_eq!(st.code, 0, "{st}");
    let st = st.json();
    let states: Vec<&str> = st["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["applied"; 6], "{st}");
    let chk = run(db.authctl().args(["migrate", "--check"]));
    assert_eq!(chk.code, 0, "schema current: {chk}");
    // The application runs on it: its runner skips the auth steps.
    let ran = app_ok(&pg(&db).url, &["migrate"], "", 0);
    for step in &names[..4] {
        assert!(
            !ran["executed"].to_string().contains(step.as_str()),
            "{step}: {ran}"
        );
    }

    // Again: nothing to apply, still passes.
    let (r, v) = setup.check_json(&[]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(v["applied"], Value::Array(vec![]), "{v}");
    assert_eq!(v["migrated"], true, "{v}");
    let r = setup.check(&["-v"], &[]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stderr.contains("production check passed"), "{r}");
}

/// Secrets appear in no output: every failing and passing run above already checks
/// (Setup::check); here the runs most likely to echo them, in every format.
#[test]
fn secrets_are_never_printed() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    let jwt = clean.jwt.as_deref().unwrap();
    let setups = [
        clean.clone(),
        Setup {
            refresh: clean.jwt.clone(),
            ..clean.clone()
        },
        Setup {
            url: Some(with_port(clean.url.as_deref().unwrap(), 1)),
            ..clean.clone()
        },
        Setup {
            jwt: Some(format!("changeme-{jwt}")),
            ..clean.clone()
        },
        Setup {
            jwt: Some(format!("{jwt}-your-secret-key")),
            refresh: Some(format!("CHANGE-IN-PRODUCTION-{}", secret())),
            ..clean.clone()
        },
        Setup {
            jwt: Some(jwt[..20].to_owned()),
            ..clean.clone()
        },
        Setup::from_db_vars(&db).set("DB_PASSWORD", "Another-Db-Secret-42"),
        Setup::from_db_vars(&db).unset("USE_POSTGRES"),
    ];
    for setup in &setups {
        for global in [&["-v"][..], &["-o", "json", "-v"], &["-o", "csv"]] {
            // check() asserts that no secret is in stdout or stderr.
            let r = setup.check(global, &["--dry-run"]);
            assert!(r.code == 0 || r.code == 1, "{r}");
            let r = setup.check(global, &[]);
            assert!(r.code == 0 || r.code == 1, "{r}");
        }
    }
    // A configuration authctl cannot resolve (reported as a finding) prints none either.
    let bad = Setup::from_db_vars(&db)
        .set("DB_PASSWORD", "Third-Db-Secret-77")
        .set("USE_POSTGRES", "maybe");
    for global in [&["-v"][..], &["-o", "json", "-v"]] {
        let r = bad.check(global, &[]);
        assert_eq!(r.code, 1, "{r}");
    }
    // The control: the assertion does see a secret that is printed.
    let printed = Run {
        code: 0,
        signal: None,
        stdout: format!("x {jwt} y"),
        stderr: String::new(),
        elapsed: Duration::ZERO,
    };
    assert!(
        std::panic::catch_unwind(|| assert_no_secrets(&clean, &printed)).is_err(),
        "the secret check must detect a printed secret"
    );
}

// ------------------------------------------------------------------------------
// What libpq will actually use, and `pending` told honestly.

/// The migration names of a fresh PostgreSQL database, in order.
fn all_pending_names() -> Vec<String> {
    let backend = authctl::db::Backend::Postgres;
    authctl::db::migrations::embedded_app(backend)
        .iter()
        .chain(authctl::db::migrations::embedded(backend))
        .map(|m| m.name.to_string())
        .collect()
}

/// A private file with `text` (mode `mode`), kept alive by the returned directory.
fn private_file(text: &str, mode: u32) -> (tempfile::TempDir, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f");
    std::fs::write(&path, text).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    (dir, path)
}

/// The password libpq sends may come from PGPASSWORD, a password file (PGPASSFILE,
/// mode 0600, a matching line) or be replaced by a client certificate: then there is
/// no `database.password_empty`. A password file libpq ignores (group-readable, or
/// without a matching line) does not count.
#[test]
fn password_from_pgpassword_pgpass_or_a_client_certificate_is_not_empty() {
    let Some(db) = TestDb::postgres() else { return };
    let u = url::Url::parse(&db.url()).unwrap();
    let (host, port, name) = (
        u.host_str().unwrap().to_owned(),
        u.port().unwrap_or(5432),
        u.path().trim_start_matches('/').to_owned(),
    );
    let user = if u.username().is_empty() {
        "postgres".to_owned()
    } else {
        u.username().to_owned()
    };
    // No password in the URL.
    let base = Setup {
        url: Some(db.url()),
        ..Setup::clean(&db)
    };
    expect_failure("control", &base, &errors(&["database.password_empty"]));

    expect_pass(
        "PGPASSWORD",
        &base.clone().set("PGPASSWORD", "Pg-Env-Pw-1234"),
    );

    let line = format!("{host}:{port}:{name}:{user}:Pg-File-Pw-1234\n");
    let (_d1, good) = private_file(&format!("# comment\nother:1:x:y:z\n{line}"), 0o600);
    expect_pass(
        "PGPASSFILE 0600",
        &base.clone().set("PGPASSFILE", good.to_str().unwrap()),
    );
    let (_d2, wildcard) = private_file("*:*:*:*:Pg-File-Pw-1234\n", 0o600);
    expect_pass(
        "PGPASSFILE wildcard",
        &base.clone().set("PGPASSFILE", wildcard.to_str().unwrap()),
    );
    let (_d3, open) = private_file(&line, 0o644);
    expect_failure(
        "PGPASSFILE group-readable (libpq ignores it)",
        &base.clone().set("PGPASSFILE", open.to_str().unwrap()),
        &errors(&["database.password_empty"]),
    );
    let (_d4, other) = private_file(&format!("{host}:{port}:another_db:{user}:pw\n"), 0o600);
    expect_failure(
        "PGPASSFILE without a matching line",
        &base.clone().set("PGPASSFILE", other.to_str().unwrap()),
        &errors(&["database.password_empty"]),
    );

    // A client certificate (and its key) libpq will offer.
    let certs = tempfile::tempdir().unwrap();
    let (cert, key) = (certs.path().join("c.crt"), certs.path().join("c.key"));
    let ok = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=postgres", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl")
        .status
        .success();
    assert!(ok, "openssl req");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    expect_pass(
        "PGSSLCERT",
        &base
            .clone()
            .set("PGSSLCERT", cert.to_str().unwrap())
            .set("PGSSLKEY", key.to_str().unwrap()),
    );
    // …but not with TLS disabled: libpq then offers no certificate.
    expect_failure(
        "PGSSLCERT with PGSSLMODE=disable",
        &base
            .clone()
            .set("PGSSLCERT", cert.to_str().unwrap())
            .set("PGSSLKEY", key.to_str().unwrap())
            .set("PGSSLMODE", "disable"),
        &errors(&["database.password_empty"]),
    );
}

/// `?service=NAME`: the check reads the service the way libpq does — the user's
/// file (`PGSERVICEFILE`) first, then `PGSYSCONFDIR/pg_service.conf` — so a service
/// giving the password and `sslmode=require` is neither `database.password_empty`
/// nor `database.no_tls`.
#[test]
fn a_service_file_gives_the_password_and_sslmode() {
    let Some(db) = TestDb::postgres() else { return };
    let with_service = |host: Option<&str>| {
        let mut u = url::Url::parse(&db.url()).unwrap();
        if let Some(h) = host {
            u.set_host(Some(h)).unwrap();
        }
        u.query_pairs_mut().append_pair("service", "authsvc");
        Setup {
            url: Some(u.to_string()),
            ..Setup::clean(&db)
        }
    };
    let service = "# deploy\n[other]\npassword=wrong-one\n\n[authsvc]\npassword=Svc-File-Pw-1234\nsslmode=require\n";
    let dir = tempfile::tempdir().unwrap();
    let user_file = dir.path().join("pg_service.user");
    std::fs::write(&user_file, service).unwrap();
    let sysconf = dir.path().join("sysconf");
    std::fs::create_dir(&sysconf).unwrap();
    std::fs::write(sysconf.join("pg_service.conf"), service).unwrap();
    let empty = dir.path().join("empty.conf");
    std::fs::write(&empty, "[other]\npassword=x\n").unwrap();

    // Without the file libpq cannot connect either ("service not found").
    expect_failure(
        "control: no service file",
        &with_service(None),
        &errors(&["database.password_empty", "database.unreachable"]),
    );
    expect_pass(
        "PGSERVICEFILE",
        &with_service(None).set("PGSERVICEFILE", user_file.to_str().unwrap()),
    );
    expect_pass(
        "not in PGSERVICEFILE, found in PGSYSCONFDIR",
        &with_service(None)
            .set("PGSERVICEFILE", empty.to_str().unwrap())
            .set("PGSYSCONFDIR", sysconf.to_str().unwrap()),
    );
    // A remote host: the service's sslmode=require counts (only unreachable left).
    expect_failure(
        "remote host, service sslmode=require",
        &with_service(Some("127.0.0.2")).set("PGSERVICEFILE", user_file.to_str().unwrap()),
        &errors(&["database.unreachable"]),
    );
}

/// `database.no_tls` reads the sslmode libpq will use: PGSSLMODE counts when the URL
/// sets none, and the URL wins over it.
#[test]
fn no_tls_follows_pgsslmode() {
    let Some(db) = TestDb::postgres() else { return };
    let clean = Setup::clean(&db);
    let mut u = url::Url::parse(clean.url.as_deref().unwrap()).unwrap();
    // Not a local name; nothing listens there, so it is unreachable too.
    u.set_host(Some("127.0.0.2")).unwrap();
    let remote = Setup {
        url: Some(u.to_string()),
        ..clean
    };
    let no_tls = vec![
        ("database.no_tls".to_string(), "warning".to_string()),
        ("database.unreachable".to_string(), "error".to_string()),
    ];
    for mode in ["require", "verify-ca", "verify-full"] {
        expect_failure(
            &format!("PGSSLMODE={mode}"),
            &remote.clone().set("PGSSLMODE", mode),
            &errors(&["database.unreachable"]),
        );
    }
    let v = expect_failure("no PGSSLMODE", &remote, &no_tls);
    assert!(
        messages(&v, "database.no_tls")[0].contains("libpq's default"),
        "{v}"
    );
    let v = expect_failure(
        "PGSSLMODE=disable",
        &remote.clone().set("PGSSLMODE", "disable"),
        &no_tls,
    );
    assert!(
        messages(&v, "database.no_tls")[0].contains("sslmode=disable, from PGSSLMODE"),
        "{v}"
    );
    // The URL's sslmode wins over PGSSLMODE, as in libpq.
    let mut with = u.clone();
    with.set_query(Some("sslmode=prefer"));
    expect_failure(
        "URL sslmode=prefer over PGSSLMODE=require",
        &Setup {
            url: Some(with.to_string()),
            ..remote.clone()
        }
        .set("PGSSLMODE", "require"),
        &no_tls,
    );
}

/// `pending` is the database's real list whenever it was read — also when other
/// checks fail — and `null` when it could not be read, never a false `[]`.
#[test]
fn pending_is_reported_even_when_checks_fail_and_null_when_unreachable() {
    let Some(db) = TestDb::postgres() else { return };
    let failing = Setup {
        jwt: None,
        ..Setup::clean(&db)
    };
    let (r, v) = failing.check_json(&[]);
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(findings(&v), errors(&["jwt_secret.missing"]), "{r}");
    assert_eq!(v["pending"], serde_json::json!(all_pending_names()), "{v}");
    assert!(r.stderr.contains("6 migration(s) pending"), "{r}");
    let (r, v) = failing.check_json(&["--dry-run"]);
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(v["pending"], serde_json::json!(all_pending_names()), "{v}");
    assert!(!users_table_exists(&db), "nothing migrated");

    authctl_ok(&db, &["migrate"], "");
    let (r, v) = failing.check_json(&[]);
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(
        v["pending"],
        serde_json::json!([]),
        "migrated: none pending\n{v}"
    );

    // Unreachable: unknown, not "none".
    let unreachable = Setup {
        url: Some(with_port(Setup::clean(&db).url.as_deref().unwrap(), 1)),
        ..Setup::clean(&db)
    };
    let (r, v) = unreachable.check_json(&[]);
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(v["pending"], Value::Null, "{v}");
    let r = unreachable.check(&[], &[]);
    assert!(r.stderr.contains("pending migrations unknown"), "{r}");
}

/// Emails stored twice in different letter cases (another writer, the
/// application's case-sensitive unique index) are a warning naming both ids — the
/// deploy goes on, the application keeps working — and `migrate` warns too; a
/// development account stored as `Admin@RestoreAssist.com` is checked for its
/// default password like the lower-case one.
#[test]
fn any_case_email_duplicates_and_default_accounts_are_found() {
    let Some(db) = TestDb::postgres() else { return };
    authctl_ok(&db, &["migrate"], "");
    let admin123 = bcrypt_hash("admin123", 10, bcrypt::Version::TwoA);
    let strong = bcrypt_hash("Kx9-vault-Ostrich-41", 10, bcrypt::Version::TwoA);
    db.exec(&format!(
        "INSERT INTO users (email, password_hash) VALUES \
         ('Admin@RestoreAssist.com', '{admin123}'), \
         ('Twin@Example.com', '{strong}'), ('twin@example.com', '{strong}')"
    ));
    let id_of = |email: &str| {
        common::query_strings(
            &db,
            &format!("SELECT id::text AS v FROM users WHERE email = '{email}'"),
        )
        .remove(0)
    };
    let (upper, lower) = (id_of("Twin@Example.com"), id_of("twin@example.com"));

    let setup = Setup::clean(&db);
    let (r, v) = setup.check_json(&["--dry-run"]);
    assert_eq!(r.code, 1, "{r}");
    assert_eq!(
        findings(&v),
        [
            ("app.default_account".to_owned(), "error".to_owned()),
            (
                "users.email_case_duplicate".to_owned(),
                "warning".to_owned()
            ),
        ],
        "{v}"
    );
    let msg = &messages(&v, "app.default_account")[0];
    assert!(msg.contains("Admin@RestoreAssist.com"), "{msg}");
    let msg = &messages(&v, "users.email_case_duplicate")[0];
    assert!(
        msg.contains(&upper) && msg.contains(&lower) && msg.contains("Twin@Example.com"),
        "{msg}"
    );

    // The default account reset (by any spelling): only the warning is left, and a
    // warning does not fail the deploy check.
    authctl_ok(
        &db,
        &[
            "users",
            "reset-password",
            "admin@restoreassist.com",
            "--password-stdin",
        ],
        "Mq4-harbor-Pelican-77\n",
    );
    let (r, v) = setup.check_json(&["--dry-run"]);
    assert_eq!(r.code, 0, "{r}");
    assert_eq!(
        findings(&v),
        [(
            "users.email_case_duplicate".to_owned(),
            "warning".to_owned()
        )],
        "{v}"
    );
    // `migrate` reports them as well, and succeeds.
    let r = authctl_ok(&db, &["migrate"], "");
    assert!(
        r.stderr.contains("warning:") && r.stderr.contains(&upper) && r.stderr.contains(&lower),
        "{r}"
    );
}

/// The application's pools (`DB_POOL_SIZE` per instance, `AUTHCTL_APP_INSTANCES`
/// instances) and authctl's own 3 connections against the server's
/// `max_connections` minus its reserved slots: no finding while they fit (exactly,
/// too), a warning naming PgBouncer when one connection too many (an error with
/// `--strict`); a pool size that is no number is a warning of its own, and fewer
/// than one instance is a configuration error.
#[test]
fn application_pools_are_checked_against_max_connections() {
    let Some(db) = TestDb::postgres_migrated() else {
        return;
    };
    let max = common::count(
        &db,
        "SELECT current_setting('max_connections')::bigint AS n",
    );
    let reserved = common::count(
        &db,
        "SELECT (current_setting('superuser_reserved_connections')::int \
         + coalesce(current_setting('reserved_connections', true)::int, 0))::bigint AS n",
    );
    let available = max - reserved;
    let clean = Setup::clean(&db);
    expect_pass("the application's default pool of 20, one instance", &clean);
    // Four instances whose pools and authctl's 3 fill every slot but the spare ones.
    let pool = (available - 3) / 4;
    let exact = clean
        .clone()
        .set("DB_POOL_SIZE", &pool.to_string())
        .set("AUTHCTL_APP_INSTANCES", "4");
    expect_pass("four instances that fit", &exact);
    let over = exact.clone().set("DB_POOL_SIZE", &(pool + 1).to_string());
    let (r, v) = over.check_json(&["--dry-run"]);
    assert_eq!(r.code, 0, "a warning does not fail the check: {r}");
    assert_eq!(
        findings(&v),
        vec![(
            "connections.pools_exceed_server".to_owned(),
            "warning".to_owned()
        )],
        "{v}"
    );
    let m = messages(&v, "connections.pools_exceed_server").join("\n");
    let needed = (pool + 1) * 4 + 3;
    assert!(m.contains(&format!("{needed} in all")), "{m}");
    assert!(
        m.contains(&format!("accepts {available} (max_connections {max}")),
        "{m}"
    );
    assert!(
        v["findings"][0]["fix"]
            .as_str()
            .unwrap()
            .contains("PgBouncer"),
        "{v}"
    );
    let (r, _) = over.check_json(&["--dry-run", "--strict"]);
    assert_eq!(r.code, 1, "--strict fails on the warning: {r}");

    let (r, v) = clean
        .clone()
        .set("DB_POOL_SIZE", "twenty")
        .check_json(&["--dry-run"]);
    assert_eq!(
        findings(&v),
        vec![("app.db_pool_size_invalid".to_owned(), "warning".to_owned())],
        "{r}"
    );

    let r = run(db
        .authctl()
        .env("AUTHCTL_APP_INSTANCES", "0")
        .args(["config"]));
    assert_eq!(r.code, 78, "{r}");
    assert!(r.stderr.contains("AUTHCTL_APP_INSTANCES"), "{r}");
}
