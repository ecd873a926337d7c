//! `authctl migrate`: apply, status, check, dry run, revert, concurrency, integrity
//! (edited or newer migrations, diesel-CLI history), auto-migrate, the migration
//! lock, DDL lock timeouts and `kill -9` in the middle of a migration.
//!
//! The migration set: on a fresh database authctl *creates* the application's four
//! auth steps (recorded in the application's ledger `schema_migrations` and in
//! `__authctl_app_steps` with origin `created`), then applies its own migration (the
//! audit trail, recorded in diesel's `__diesel_schema_migrations` with its checksum
//! in `__authctl_migration_checksums`). Adoption of databases the application
//! migrated is tested in `adopt`.

use crate::common;

use std::process::Child;
use std::time::{Duration, Instant};

use authctl::db::Backend;
use authctl::db::migrations::{self, Origin, State};
use authctl::error::{ExitCode, exit_code};
use diesel::{Connection, PgConnection};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::common::{Run, TestDb, run};

/// The advisory lock key `authctl migrate` takes on PostgreSQL (`authctl::db::migrations`).
const PG_MIGRATION_LOCK: i64 = 0x6175_7468_6d69_6772;

/// The application's auth steps, oldest first (the application's versions).
const APP_STEPS: [&str; 4] = [
    "005_create_users_table",
    "006_create_auth_tables",
    "007_create_refresh_tokens_table",
    "008_create_login_sessions_table",
];
/// authctl's own migration and its diesel version.
const AUDIT: &str = "2026-11-29-000001_create_authctl_audit_events";
const AUDIT_VERSION: &str = "20261129000001";
const AUDIT_TABLE: &str = "authctl_audit_events";
/// authctl's second own migration (the purge-run record `authctl stats` reads).
const PURGE_RUNS: &str = "2026-11-29-000002_create_authctl_purge_runs";
const PURGE_RUNS_VERSION: &str = "20261129000002";
/// authctl's own migrations, oldest first.
const OWN: [&str; 2] = [AUDIT, PURGE_RUNS];
/// A version no authctl knows (the database was migrated by a newer authctl).
const NEWER_VERSION: &str = "29991231000000";

/// The tables each application step creates.
fn tables_of_step(step: &str) -> &'static [&'static str] {
    match step {
        "005_create_users_table" => &["users"],
        "006_create_auth_tables" => &["auth_attempts", "device_fingerprints"],
        "007_create_refresh_tokens_table" => &["refresh_tokens"],
        "008_create_login_sessions_table" => &["login_sessions"],
        AUDIT => &[AUDIT_TABLE],
        PURGE_RUNS => &["authctl_purge_runs"],
        other => panic!("unknown migration {other}"),
    }
}

/// Every migration name in the order `migrate` applies them.
fn all_names() -> Vec<&'static str> {
    APP_STEPS.iter().copied().chain(OWN).collect()
}

/// `authctl --database-url <db> ARGS…`
fn authctl(db: &TestDb, args: &[&str]) -> Run {
    run(db.authctl().args(args))
}

fn spawn_migrate(db: &TestDb) -> Child {
    let mut cmd = db.authctl();
    cmd.arg("migrate");
    common::spawnable(&cmd)
        .spawn()
        .expect("spawn authctl migrate")
}

fn backend(db: &TestDb) -> Backend {
    if db.is_postgres() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

fn table_exists(db: &TestDb, table: &str) -> bool {
    migrations::table_exists(&mut db.connect(), table).expect("table_exists")
}

fn count(db: &TestDb, table: &str) -> i64 {
    common::count(db, &format!("SELECT count(*) AS n FROM {table}"))
}

/// Rows in authctl's ledger (diesel's table).
fn diesel_rows(db: &TestDb) -> i64 {
    count(db, "__diesel_schema_migrations")
}

fn checksum_rows(db: &TestDb) -> i64 {
    count(db, "__authctl_migration_checksums")
}

/// Rows in the application's ledger.
fn app_ledger_rows(db: &TestDb) -> i64 {
    count(db, "schema_migrations")
}

fn app_ledger(db: &TestDb) -> Vec<String> {
    common::query_strings(
        db,
        "SELECT CAST(version AS TEXT) AS v FROM schema_migrations ORDER BY version",
    )
}

/// `version:origin` of every row of `__authctl_app_steps`.
fn app_steps(db: &TestDb) -> Vec<String> {
    common::query_strings(
        db,
        "SELECT CAST(version AS TEXT) || ':' || CAST(origin AS TEXT) AS v FROM __authctl_app_steps ORDER BY version",
    )
}

fn created(steps: &[&str]) -> Vec<String> {
    steps.iter().map(|s| format!("{s}:created")).collect()
}

/// The state a freshly migrated database is in: every ledger row, every table.
fn assert_fully_migrated(db: &TestDb, what: &str) {
    let label = db.label();
    assert_eq!(
        app_ledger(db),
        APP_STEPS,
        "{label} {what}: schema_migrations"
    );
    assert_eq!(
        app_steps(db),
        created(&APP_STEPS),
        "{label} {what}: __authctl_app_steps"
    );
    assert_eq!(
        common::query_strings(
            db,
            "SELECT CAST(version AS TEXT) AS v FROM __diesel_schema_migrations ORDER BY version"
        ),
        [AUDIT_VERSION, PURGE_RUNS_VERSION],
        "{label} {what}: __diesel_schema_migrations"
    );
    assert_eq!(checksum_rows(db), 2, "{label} {what}: checksum rows");
    for name in all_names() {
        for table in tables_of_step(name) {
            assert!(table_exists(db, table), "{label} {what}: table {table}");
        }
    }
}

fn json(run: &Run, label: &str) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{label}: stdout is not JSON ({e}):\n{run}"))
}

/// `migrate status -o json`, asserting success.
fn status_json(db: &TestDb) -> Value {
    let r = authctl(db, &["migrate", "status", "-o", "json"]);
    assert_eq!(r.code, 0, "{}: migrate status\n{r}", db.label());
    json(&r, db.label())
}

fn field(status: &Value, key: &str) -> Vec<Value> {
    status["migrations"]
        .as_array()
        .unwrap_or_else(|| panic!("no migrations array: {status}"))
        .iter()
        .map(|m| m[key].clone())
        .collect()
}

fn states(status: &Value) -> Vec<String> {
    field(status, "state")
        .into_iter()
        .map(|s| s.as_str().expect("state").to_owned())
        .collect()
}

fn lines_with<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .collect()
}

/// The name before the first space (the rest of a "created …" line explains).
fn first_words<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    lines
        .iter()
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .collect()
}

/// Overwrite the recorded checksum of authctl's migration, as if its `up.sql` had
/// been edited after it was applied.
fn corrupt_checksum(db: &TestDb) {
    db.exec(&format!(
        "UPDATE __authctl_migration_checksums SET checksum = '{}' WHERE version = '{AUDIT_VERSION}'",
        "0".repeat(64)
    ));
}

fn insert_newer_version(db: &TestDb) {
    db.exec(&format!(
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('{NEWER_VERSION}')"
    ));
}

/// Migrate, then revert authctl's own migrations: only they (the audit trail and
/// the purge-run record) are pending.
fn migrated_without_audit(db: &TestDb) {
    let reverted = migrations::revert(&mut db.migrated(), 2, false, &Default::default())
        .unwrap_or_else(|e| panic!("{}: revert: {e:#}", db.label()));
    assert_eq!(reverted, [PURGE_RUNS, AUDIT], "{}", db.label());
}

// ---------------------------------------------------------------- the migration set

#[test]
fn embedded_migrations_are_the_four_application_steps_and_the_audit_trail() {
    for b in [Backend::Sqlite, Backend::Postgres] {
        let app: Vec<&str> = migrations::embedded_app(b).iter().map(|m| m.name).collect();
        assert_eq!(app, APP_STEPS, "{b}: application steps");
        let own: Vec<&str> = migrations::embedded(b).iter().map(|m| m.name).collect();
        assert_eq!(own, OWN, "{b}: authctl's own");
        assert_eq!(migrations::embedded(b)[0].version(), AUDIT_VERSION, "{b}");
    }
}

/// The checksum authctl records is the SHA-256 of the `up.sql` file in the
/// repository, computed here independently.
#[test]
fn embedded_checksum_is_the_sha256_of_up_sql() {
    for (b, dir) in [(Backend::Sqlite, "sqlite"), (Backend::Postgres, "postgres")] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("migrations")
            .join(dir)
            .join(AUDIT)
            .join("up.sql");
        let file = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let expected = hex::encode(Sha256::digest(&file));
        assert_eq!(migrations::embedded(b)[0].checksum(), expected, "{b}");
    }
}

// ---------------------------------------------------------------- apply

per_backend! {
    fn migrate_creates_the_application_steps_applies_its_own_then_does_nothing(db) {
        let label = db.label();
        let first = authctl(&db, &["migrate"]);
        assert_eq!(first.code, 0, "{label}: first run\n{first}");
        assert_eq!(
            first_words(&lines_with(&first.stdout, "created ")),
            APP_STEPS,
            "{label}: created, in order\n{first}"
        );
        assert_eq!(
            lines_with(&first.stdout, "applied "),
            OWN,
            "{label}: applied\n{first}"
        );
        assert!(
            lines_with(&first.stdout, "adopted ").is_empty(),
            "{label}: a fresh database has nothing to adopt\n{first}"
        );
        // Created before applied: the audit trail references users.
        let created_at = first.stdout.find("created 008").expect("created 008");
        let applied_at = first.stdout.find("applied ").expect("applied");
        assert!(created_at < applied_at, "{label}: order\n{first}");
        assert_fully_migrated(&db, "after the first run");

        let second = authctl(&db, &["migrate"]);
        assert_eq!(second.code, 0, "{label}: second run\n{second}");
        for verb in ["created ", "applied ", "adopted "] {
            assert!(
                lines_with(&second.stdout, verb).is_empty(),
                "{label}: second run {verb}something\n{second}"
            );
        }
        assert!(
            second.stderr.contains("nothing to do"),
            "{label}: second run should say so\n{second}"
        );
        assert_fully_migrated(&db, "after the second run");
    }
}

per_backend! {
    fn migrate_keeps_each_ledger_to_its_own_migrations_and_records_the_checksum(db) {
        let label = db.label();
        let r = authctl(&db, &["migrate"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        // authctl's version never goes into the application's ledger (its rollback
        // deletes the newest row there), and the application's never into diesel's.
        let app = app_ledger(&db);
        assert!(!app.contains(&AUDIT_VERSION.to_owned()), "{label}: {app:?}");
        let diesel = common::query_strings(
            &db,
            "SELECT CAST(version AS TEXT) AS v FROM __diesel_schema_migrations ORDER BY version",
        );
        assert_eq!(diesel, [AUDIT_VERSION, PURGE_RUNS_VERSION], "{label}");
        let checksums = common::query_strings(
            &db,
            "SELECT CAST(version AS TEXT) || ' ' || checksum AS v FROM __authctl_migration_checksums ORDER BY version",
        );
        assert_eq!(
            checksums,
            [
                format!(
                    "{AUDIT_VERSION} {}",
                    migrations::embedded(backend(&db))[0].checksum()
                ),
                format!(
                    "{PURGE_RUNS_VERSION} {}",
                    migrations::embedded(backend(&db))[1].checksum()
                )
            ],
            "{label}: checksum"
        );
    }
}

per_backend! {
    fn migrate_json_reports_what_it_created_and_applied(db) {
        let label = db.label();
        let r = authctl(&db, &["-o", "json", "migrate"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let v = json(&r, label);
        assert_eq!(v["created"], json!(APP_STEPS), "{label}\n{r}");
        assert_eq!(v["applied"], json!(OWN), "{label}\n{r}");
        assert_eq!(v["adopted"], json!([]), "{label}\n{r}");
        assert_eq!(v["current"], true, "{label}\n{r}");
        assert_eq!(v["migrations"], 6, "{label}\n{r}");

        let r = authctl(&db, &["-o", "json", "migrate"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let v = json(&r, label);
        for key in ["created", "applied", "adopted"] {
            assert_eq!(v[key], json!([]), "{label}: second run {key}\n{r}");
        }
        assert_eq!(v["current"], true, "{label}\n{r}");
    }
}

per_backend! {
    fn quiet_migrate_prints_nothing(db) {
        let label = db.label();
        let r = authctl(&db, &["-q", "migrate"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert!(
            r.stdout.is_empty() && r.stderr.is_empty(),
            "{label}: -q\n{r}"
        );
        assert_fully_migrated(&db, "after -q migrate");
    }
}

// ---------------------------------------------------------------- status

per_backend! {
    fn status_on_fresh_db_lists_everything_pending_and_changes_nothing(db) {
        let label = db.label();
        let table = authctl(&db, &["migrate", "status"]);
        assert_eq!(table.code, 0, "{label}\n{table}");
        for name in all_names() {
            let line = table
                .stdout
                .lines()
                .find(|l| l.contains(name))
                .unwrap_or_else(|| panic!("{label}: {name} missing\n{table}"));
            assert!(line.contains("pending"), "{label}: {line}");
        }
        assert!(
            table.stderr.contains("6 pending"),
            "{label}: hint on stderr\n{table}"
        );

        let v = status_json(&db);
        assert_eq!(v["backend"], label, "{label}: {v}");
        assert_eq!(states(&v), ["pending"; 6], "{label}: {v}");
        assert_eq!(
            field(&v, "origin"),
            [
                "application",
                "application",
                "application",
                "application",
                "authctl",
                "authctl"
            ],
            "{label}: {v}"
        );
        assert_eq!(field(&v, "name"), all_names(), "{label}: {v}");
        assert_eq!(
            field(&v, "version"),
            [
                APP_STEPS[0],
                APP_STEPS[1],
                APP_STEPS[2],
                APP_STEPS[3],
                AUDIT_VERSION,
                PURGE_RUNS_VERSION
            ],
            "{label}: {v}"
        );
        assert!(
            field(&v, "applied_at").iter().all(Value::is_null),
            "{label}: {v}"
        );

        if let TestDb::Sqlite(s) = &db {
            assert!(!s.path.exists(), "status created the SQLite file");
            return;
        }
        for t in [
            "__diesel_schema_migrations",
            "__authctl_migration_checksums",
            "__authctl_app_steps",
            "schema_migrations",
            "users",
        ] {
            assert!(!table_exists(&db, t), "{label}: status created {t}");
        }
    }
}

per_backend! {
    fn status_after_migrate_shows_everything_applied_with_times(db: migrated) {
        let label = db.label();
        db.migrated();
        let v = status_json(&db);
        assert_eq!(states(&v), ["applied"; 6], "{label}: {v}");
        for m in v["migrations"].as_array().unwrap() {
            let at = m["applied_at"]
                .as_str()
                .unwrap_or_else(|| panic!("{label}: applied_at missing: {m}"));
            chrono::DateTime::parse_from_rfc3339(at)
                .unwrap_or_else(|e| panic!("{label}: applied_at {at:?} is not RFC 3339: {e}"));
        }
        let own = &v["migrations"][4];
        assert_eq!(own["origin"], "authctl", "{label}: {own}");
        assert_eq!(
            own["recorded_checksum"], own["embedded_checksum"],
            "{label}: {own}"
        );
        assert_eq!(
            own["recorded_checksum"],
            migrations::embedded(backend(&db))[0].checksum(),
            "{label}"
        );

        let table = authctl(&db, &["migrate", "status"]);
        assert_eq!(table.code, 0, "{label}\n{table}");
        assert!(!table.stdout.contains("pending"), "{label}\n{table}");
        assert!(!table.stderr.contains("pending"), "{label}\n{table}");
    }
}

per_backend! {
    fn status_after_reverting_the_audit_trail_shows_it_pending(db) {
        let label = db.label();
        migrated_without_audit(&db);
        let v = status_json(&db);
        assert_eq!(
            states(&v),
            [
                "applied", "applied", "applied", "applied", "pending", "pending"
            ],
            "{label}: {v}"
        );
        let table = authctl(&db, &["migrate", "status"]);
        assert!(table.stderr.contains("2 pending"), "{label}\n{table}");
    }
}

// ---------------------------------------------------------------- check, dry run

per_backend! {
    fn check_with_pending_exits_1_and_applies_nothing(db) {
        let label = db.label();
        let r = authctl(&db, &["migrate", "--check"]);
        assert_eq!(r.code, 1, "{label}\n{r}");
        assert_eq!(
            first_words(&lines_with(&r.stdout, "pending ")),
            all_names(),
            "{label}\n{r}"
        );
        assert!(r.stderr.contains("6 pending"), "{label}\n{r}");
        if let TestDb::Sqlite(s) = &db {
            assert!(!s.path.exists(), "--check created the SQLite file");
            return;
        }
        for t in [
            "__diesel_schema_migrations",
            "__authctl_migration_checksums",
            "__authctl_app_steps",
            "schema_migrations",
            "users",
        ] {
            assert!(!table_exists(&db, t), "{label}: --check created {t}");
        }
    }
}

per_backend! {
    fn check_when_current_exits_0(db: migrated) {
        let label = db.label();
        db.migrated();
        let r = authctl(&db, &["migrate", "--check"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert!(r.stdout.is_empty(), "{label}: nothing pending\n{r}");
        assert!(r.stderr.contains("schema is current"), "{label}\n{r}");
    }
}

per_backend! {
    fn check_with_only_the_audit_trail_pending_exits_1(db) {
        let label = db.label();
        migrated_without_audit(&db);
        let r = authctl(&db, &["migrate", "--check"]);
        assert_eq!(r.code, 1, "{label}\n{r}");
        assert_eq!(
            r.stdout.trim(),
            format!("pending {AUDIT}\npending {PURGE_RUNS}"),
            "{label}\n{r}"
        );
        assert!(r.stderr.contains("2 pending"), "{label}\n{r}");
        assert!(!table_exists(&db, AUDIT_TABLE), "{label}: --check applied");
        assert_eq!(diesel_rows(&db), 0, "{label}");
    }
}

per_backend! {
    fn check_json_reports_pending_and_current(db) {
        let label = db.label();
        let r = authctl(&db, &["migrate", "--check", "-o", "json"]);
        assert_eq!(r.code, 1, "{label}\n{r}");
        let v = json(&r, label);
        assert_eq!(v["current"], false, "{label}\n{r}");
        assert_eq!(v["pending"], json!(all_names()), "{label}\n{r}");

        db.migrated();
        let r = authctl(&db, &["migrate", "--check", "-o", "json"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let v = json(&r, label);
        assert_eq!(v["current"], true, "{label}\n{r}");
        assert_eq!(v["pending"], json!([]), "{label}\n{r}");
    }
}

per_backend! {
    fn dry_run_lists_pending_and_applies_nothing(db) {
        let label = db.label();
        let r = authctl(&db, &["migrate", "--dry-run"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert_eq!(
            first_words(&lines_with(&r.stdout, "pending ")),
            all_names(),
            "{label}\n{r}"
        );
        assert!(r.stderr.contains("dry run"), "{label}\n{r}");
        if let TestDb::Sqlite(s) = &db {
            assert!(!s.path.exists(), "--dry-run created the SQLite file");
        } else {
            assert!(!table_exists(&db, "users"), "{label}: --dry-run applied");
            assert!(
                !table_exists(&db, "schema_migrations"),
                "{label}: --dry-run created the application's ledger"
            );
        }

        // On an existing database with only the audit trail pending.
        migrated_without_audit(&db);
        let r = authctl(&db, &["migrate", "--dry-run"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert_eq!(
            first_words(&lines_with(&r.stdout, "pending ")),
            OWN,
            "{label}\n{r}"
        );
        assert!(
            !table_exists(&db, AUDIT_TABLE),
            "{label}: --dry-run applied"
        );
    }
}

#[test]
fn check_and_dry_run_together_are_a_usage_error() {
    let r = run(common::authctl().args(["migrate", "--check", "--dry-run"]));
    assert_eq!(r.code, 64, "{r}");
}

// ---------------------------------------------------------------- revert

per_backend! {
    fn revert_without_terminal_or_yes_is_usage_error_and_reverts_nothing(db: migrated) {
        let label = db.label();
        db.migrated();
        let r = authctl(&db, &["migrate", "revert"]);
        assert_eq!(r.code, 64, "{label}\n{r}");
        assert!(
            r.stderr.contains("--yes"),
            "{label}: should suggest --yes\n{r}"
        );
        assert_fully_migrated(&db, "after a refused revert");
    }
}

per_backend! {
    fn revert_with_yes_reverts_authctls_own_migration_first(db: migrated) {
        let label = db.label();
        db.migrated();
        let r = authctl(&db, &["--yes", "migrate", "revert"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        // One step: authctl's newest own migration.
        assert_eq!(
            r.stdout.trim(),
            format!("reverted {PURGE_RUNS}"),
            "{label}\n{r}"
        );
        assert!(
            !table_exists(&db, "authctl_purge_runs"),
            "{label}: table still there"
        );
        assert!(table_exists(&db, AUDIT_TABLE), "{label}: one step only");
        assert_eq!(diesel_rows(&db), 1, "{label}: diesel rows");
        assert_eq!(checksum_rows(&db), 1, "{label}: checksum rows");
        // The application's steps are untouched.
        assert_eq!(app_ledger(&db), APP_STEPS, "{label}");
        assert_eq!(app_steps(&db), created(&APP_STEPS), "{label}");
        assert!(table_exists(&db, "login_sessions"), "{label}");
        assert_eq!(
            states(&status_json(&db)),
            [
                "applied", "applied", "applied", "applied", "applied", "pending"
            ],
            "{label}"
        );
    }
}

per_backend! {
    fn revert_into_the_application_steps_needs_destroy_data_and_goes_newest_first(db: migrated) {
        let label = db.label();
        db.migrated();
        let r = authctl(&db, &["--yes", "migrate", "revert", "--steps", "3"]);
        assert_eq!(r.code, 64, "{label}: without --destroy-data\n{r}");
        assert!(r.stderr.contains("--destroy-data"), "{label}\n{r}");
        assert!(
            r.stderr.contains("login_sessions"),
            "{label}: names the table\n{r}"
        );
        // Checked before anything is reverted: not even authctl's own migration.
        assert_fully_migrated(&db, "after revert --steps 3 without --destroy-data");

        let r = authctl(
            &db,
            &[
                "--yes",
                "migrate",
                "revert",
                "--steps",
                "3",
                "--destroy-data",
            ],
        );
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert_eq!(
            lines_with(&r.stdout, "reverted "),
            [PURGE_RUNS, AUDIT, APP_STEPS[3]],
            "{label}: newest first\n{r}"
        );
        assert!(!table_exists(&db, AUDIT_TABLE), "{label}");
        assert!(!table_exists(&db, "login_sessions"), "{label}");
        assert!(table_exists(&db, "refresh_tokens"), "{label}");
        assert_eq!(
            app_ledger(&db),
            APP_STEPS[..3],
            "{label}: schema_migrations"
        );
        assert_eq!(app_steps(&db), created(&APP_STEPS[..3]), "{label}");
        assert_eq!(diesel_rows(&db), 0, "{label}");
        assert_eq!(checksum_rows(&db), 0, "{label}");
        assert_eq!(
            states(&status_json(&db)),
            [
                "applied", "applied", "applied", "pending", "pending", "pending"
            ],
            "{label}"
        );
    }
}

per_backend! {
    fn revert_all_then_migrate_round_trips(db: migrated) {
        let label = db.label();
        db.migrated();
        let r = authctl(
            &db,
            &["--yes", "migrate", "revert", "--all", "--destroy-data"],
        );
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert_eq!(
            lines_with(&r.stdout, "reverted "),
            [
                PURGE_RUNS,
                AUDIT,
                APP_STEPS[3],
                APP_STEPS[2],
                APP_STEPS[1],
                APP_STEPS[0]
            ],
            "{label}: newest first, authctl's own first\n{r}"
        );
        for name in all_names() {
            for table in tables_of_step(name) {
                assert!(!table_exists(&db, table), "{label}: {table}");
            }
        }
        assert_eq!(app_ledger_rows(&db), 0, "{label}");
        assert_eq!(count(&db, "__authctl_app_steps"), 0, "{label}");
        assert_eq!(diesel_rows(&db), 0, "{label}");
        assert_eq!(checksum_rows(&db), 0, "{label}");
        assert_eq!(states(&status_json(&db)), ["pending"; 6], "{label}");

        let r = authctl(&db, &["migrate"]);
        assert_eq!(r.code, 0, "{label}: re-apply after revert --all\n{r}");
        assert_eq!(
            first_words(&lines_with(&r.stdout, "created ")),
            APP_STEPS,
            "{label}\n{r}"
        );
        assert_fully_migrated(&db, "after the round trip");
    }
}

#[test]
fn revert_steps_and_all_conflict() {
    let r = run(common::authctl().args(["migrate", "revert", "--steps", "2", "--all"]));
    assert_eq!(r.code, 64, "{r}");
    let r = run(common::authctl().args(["migrate", "revert", "--steps", "0"]));
    assert_eq!(r.code, 64, "{r}");
}

/// An existing database with nothing applied: nothing to revert (0). A SQLite file
/// that does not exist is "not found" (66) and is not created: only `migrate`
/// (apply) creates one.
#[test]
fn revert_on_unmigrated_db_reverts_nothing() {
    let mut dbs = vec![TestDb::sqlite_existing()];
    dbs.extend(TestDb::postgres());
    for db in dbs {
        let label = db.label();
        let r = authctl(&db, &["migrate", "revert"]);
        assert_eq!(r.code, 0, "{label}: nothing to confirm\n{r}");
        assert!(r.stderr.contains("nothing to revert"), "{label}\n{r}");
        assert!(r.stdout.is_empty(), "{label}\n{r}");
    }
    let missing = TestDb::sqlite();
    let r = authctl(&missing, &["migrate", "revert"]);
    assert_eq!(r.code, 66, "{r}");
    assert!(r.stderr.contains("does not exist"), "{r}");
    let TestDb::Sqlite(s) = &missing else {
        unreachable!()
    };
    assert!(!s.path.exists(), "not created");
}

// ---------------------------------------------------------------- concurrency

per_backend! {
    /// Any number of deploy nodes may run `migrate` at once: every run succeeds and
    /// each step is created or applied exactly once (no run "adopts" what another
    /// created half-way, no duplicate ledger rows).
    fn concurrent_migrate_runs_apply_each_step_exactly_once(db) {
        let label = db.label();
        let children: Vec<Child> = (0..4).map(|_| spawn_migrate(&db)).collect();
        let mut created = Vec::new();
        let mut applied = Vec::new();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            let r = Run::from(out);
            assert_eq!(r.code, 0, "{label}: concurrent run failed\n{r}");
            assert!(
                lines_with(&r.stdout, "adopted ").is_empty(),
                "{label}: a run adopted another run's steps\n{r}"
            );
            created.extend(
                first_words(&lines_with(&r.stdout, "created "))
                    .into_iter()
                    .map(str::to_owned),
            );
            applied.extend(
                lines_with(&r.stdout, "applied ")
                    .into_iter()
                    .map(str::to_owned),
            );
        }
        created.sort();
        assert_eq!(created, APP_STEPS, "{label}: each step created once");
        assert_eq!(applied, OWN, "{label}: applied once");
        assert_eq!(app_ledger_rows(&db), 4, "{label}: schema_migrations rows");
        assert_eq!(diesel_rows(&db), 2, "{label}: diesel rows");
        assert_fully_migrated(&db, "after concurrent runs");
    }
}

// ---------------------------------------------------------------- integrity

per_backend! {
    fn edited_migration_refuses_migrate_check_and_dry_run(db: migrated) {
        let label = db.label();
        db.migrated();
        corrupt_checksum(&db);

        let r = authctl(&db, &["migrate"]);
        assert_eq!(r.code, 65, "{label}: migrate\n{r}");
        assert!(r.stderr.contains(AUDIT), "{label}: names {AUDIT}\n{r}");
        assert!(
            r.stderr.contains("edited") && r.stderr.contains("differ"),
            "{label}: explains\n{r}"
        );
        let recorded = common::query_strings(
            &db,
            "SELECT checksum AS v FROM __authctl_migration_checksums ORDER BY version",
        );
        assert_eq!(
            recorded,
            [
                "0".repeat(64),
                migrations::embedded(backend(&db))[1].checksum()
            ],
            "{label}: checksum overwritten"
        );

        let r = authctl(&db, &["migrate", "--check"]);
        assert_eq!(r.code, 65, "{label}: --check\n{r}");
        assert!(r.stderr.contains(AUDIT), "{label}\n{r}");

        let r = authctl(&db, &["migrate", "--dry-run"]);
        assert_eq!(r.code, 65, "{label}: --dry-run\n{r}");
    }
}

per_backend! {
    fn edited_migration_still_shows_in_status(db: migrated) {
        let label = db.label();
        db.migrated();
        corrupt_checksum(&db);

        let r = authctl(&db, &["migrate", "status"]);
        assert_eq!(r.code, 0, "{label}: status must still work\n{r}");
        let line = r
            .stdout
            .lines()
            .find(|l| l.contains(AUDIT))
            .unwrap_or_else(|| panic!("{label}: {AUDIT} not listed\n{r}"));
        assert!(line.contains("MODIFIED"), "{label}: {line}\n{r}");
        assert!(r.stderr.contains("warning"), "{label}\n{r}");

        let v = status_json(&db);
        assert_eq!(
            states(&v),
            [
                "applied", "applied", "applied", "applied", "modified", "applied"
            ],
            "{label}"
        );
        assert_eq!(
            v["migrations"][4]["recorded_checksum"],
            "0".repeat(64),
            "{label}"
        );
    }
}

per_backend! {
    fn edited_migration_refuses_revert(db: migrated) {
        let label = db.label();
        db.migrated();
        corrupt_checksum(&db);
        let r = authctl(&db, &["--yes", "migrate", "revert"]);
        assert_eq!(r.code, 65, "{label}\n{r}");
        assert!(table_exists(&db, AUDIT_TABLE), "{label}: reverted anyway");
        assert_eq!(diesel_rows(&db), 2, "{label}");
    }
}

per_backend! {
    fn newer_database_refuses_migrate_check_and_revert(db: migrated) {
        let label = db.label();
        db.migrated();
        insert_newer_version(&db);
        let r = authctl(&db, &["migrate"]);
        assert_eq!(r.code, 65, "{label}\n{r}");
        assert!(r.stderr.contains(NEWER_VERSION), "{label}: names it\n{r}");
        assert!(r.stderr.contains("newer"), "{label}: explains\n{r}");

        let r = authctl(&db, &["migrate", "--check"]);
        assert_eq!(r.code, 65, "{label}: --check\n{r}");

        let r = authctl(&db, &["--yes", "migrate", "revert"]);
        assert_eq!(r.code, 65, "{label}: revert\n{r}");
        assert!(table_exists(&db, AUDIT_TABLE), "{label}: reverted anyway");
    }
}

per_backend! {
    fn newer_database_shows_unknown_in_status(db: migrated) {
        let label = db.label();
        db.migrated();
        insert_newer_version(&db);
        let r = authctl(&db, &["migrate", "status"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let line = r
            .stdout
            .lines()
            .find(|l| l.contains(NEWER_VERSION))
            .unwrap_or_else(|| panic!("{label}: {NEWER_VERSION} not listed\n{r}"));
        assert!(line.contains("unknown"), "{label}: {line}");

        let v = status_json(&db);
        assert_eq!(
            states(&v),
            [
                "applied", "applied", "applied", "applied", "applied", "applied", "unknown"
            ],
            "{label}"
        );
        let last = &v["migrations"][6];
        assert_eq!(last["version"], NEWER_VERSION, "{label}");
        assert_eq!(last["origin"], "authctl", "{label}: {last}");
        assert!(last["name"].is_null(), "{label}: {last}");
    }
}

/// After the diesel CLI (or an authctl that did not record checksums) applied the
/// audit migration: status says "unverified", `migrate` records the checksum
/// without re-applying anything.
fn assert_checksum_recorded_by_migrate(db: &TestDb) {
    let label = db.label();
    let v = status_json(db);
    assert_eq!(
        states(&v),
        [
            "applied",
            "applied",
            "applied",
            "applied",
            "unverified",
            "unverified"
        ],
        "{label}: before"
    );
    let before = common::count(db, "SELECT count(*) AS n FROM authctl_audit_events");

    let r = authctl(db, &["migrate"]);
    assert_eq!(r.code, 0, "{label}\n{r}");
    for verb in ["created ", "applied ", "adopted "] {
        assert!(
            lines_with(&r.stdout, verb).is_empty(),
            "{label}: {verb}something\n{r}"
        );
    }
    assert!(
        r.stderr.contains(&format!("recorded checksum of {AUDIT}")),
        "{label}: note\n{r}"
    );
    assert_fully_migrated(db, "after adopting diesel CLI history");
    assert_eq!(
        common::query_strings(
            db,
            "SELECT checksum AS v FROM __authctl_migration_checksums ORDER BY version"
        ),
        [
            migrations::embedded(backend(db))[0].checksum(),
            migrations::embedded(backend(db))[1].checksum()
        ],
        "{label}: recorded checksum"
    );
    assert_eq!(
        common::count(db, "SELECT count(*) AS n FROM authctl_audit_events"),
        before,
        "{label}: the table was recreated"
    );
    assert_eq!(states(&status_json(db)), ["applied"; 6], "{label}: after");
}

per_backend! {
    fn diesel_cli_history_without_checksum_rows_is_adopted(db: migrated) {
        db.migrated();
        db.exec(
            "INSERT INTO authctl_audit_events (actor, action) VALUES ('ops', 'user.create');
             DELETE FROM __authctl_migration_checksums",
        );
        assert_checksum_recorded_by_migrate(&db);
    }
}

per_backend! {
    fn diesel_cli_history_without_checksum_table_is_adopted(db: migrated) {
        db.migrated();
        db.exec(
            "INSERT INTO authctl_audit_events (actor, action) VALUES ('ops', 'user.create');
             DROP TABLE __authctl_migration_checksums",
        );
        assert_checksum_recorded_by_migrate(&db);
    }
}

#[test]
fn config_does_not_touch_the_sqlite_database() {
    let db = TestDb::sqlite();
    let TestDb::Sqlite(s) = &db else {
        unreachable!()
    };
    let r = authctl(&db, &["config"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        !s.path.exists(),
        "`authctl config` created {}",
        s.path.display()
    );
}

// ---------------------------------------------------------------- ensure_current

per_backend! {
    fn ensure_current_applies_on_sqlite_and_refuses_on_postgres(db) {
        let label = db.label();
        let mut conn = db.connect();
        let result = migrations::ensure_current(&mut conn, &Default::default(), true);
        if db.is_postgres() {
            let e = result.expect_err("postgres must refuse");
            let msg = format!("{e:#}");
            assert!(
                msg.contains("6 pending migrations — run `authctl migrate`"),
                "{label}: {msg}"
            );
            assert_eq!(exit_code(&e), ExitCode::Config, "{label}: {msg}");
            for t in ["users", "schema_migrations", "__diesel_schema_migrations"] {
                assert!(!table_exists(&db, t), "{label}: created {t} anyway");
            }
        } else {
            result.unwrap_or_else(|e| panic!("{label}: {e:#}"));
            assert_fully_migrated(&db, "after ensure_current");
        }
    }
}

per_backend! {
    fn ensure_current_is_a_no_op_when_current(db: migrated) {
        let label = db.label();
        let mut conn = db.migrated();
        migrations::ensure_current(&mut conn, &Default::default(), true)
            .unwrap_or_else(|e| panic!("{label}: {e:#}"));
        assert_fully_migrated(&db, "after ensure_current");
    }
}

per_backend! {
    fn ensure_current_refuses_an_edited_migration(db: migrated) {
        let label = db.label();
        let mut conn = db.migrated();
        corrupt_checksum(&db);
        let e = migrations::ensure_current(&mut conn, &Default::default(), true)
            .expect_err("edited migration");
        assert_eq!(exit_code(&e), ExitCode::Data, "{label}: {e:#}");
    }
}

per_backend! {
    fn ensure_current_refuses_a_newer_migration(db: migrated) {
        let label = db.label();
        let mut conn = db.migrated();
        insert_newer_version(&db);
        let e = migrations::ensure_current(&mut conn, &Default::default(), true)
            .expect_err("newer database");
        assert_eq!(exit_code(&e), ExitCode::Data, "{label}: {e:#}");
        assert!(format!("{e:#}").contains(NEWER_VERSION), "{label}: {e:#}");
    }
}

#[test]
fn ensure_current_on_postgres_counts_a_single_pending_migration() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    migrated_without_audit(&db);
    let e = migrations::ensure_current(&mut db.connect(), &Default::default(), true)
        .expect_err("postgres must refuse");
    let msg = format!("{e:#}");
    assert!(
        msg.contains("2 pending migrations — run `authctl migrate`"),
        "{msg}"
    );
    assert_eq!(exit_code(&e), ExitCode::Config);
    assert!(!table_exists(&db, AUDIT_TABLE), "applied anyway");
}

// `audit list` is a data command: it connects with `Context::connect_ready`.

#[test]
fn data_command_auto_migrates_sqlite_with_a_notice() {
    // An existing, unmigrated file: only `migrate` creates a missing one.
    let db = TestDb::sqlite_existing();
    let r = authctl(&db, &["audit", "list"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stderr.contains("applied 6 pending migration(s)"),
        "notice on stderr\n{r}"
    );
    assert_fully_migrated(&db, "after the first data command");

    let r = authctl(&db, &["audit", "list"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        !r.stderr.contains("applied"),
        "second run migrated again\n{r}"
    );

    // Only authctl's own migration pending: applied with a notice naming it.
    migrations::revert(&mut db.connect(), 2, false, &Default::default()).expect("revert");
    let r = authctl(&db, &["audit", "list"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stderr.contains("applied 2 pending migration(s)") && r.stderr.contains(AUDIT),
        "{r}"
    );
    assert_fully_migrated(&db, "after re-applying the audit trail");
}

#[test]
fn data_command_auto_migrates_sqlite_quietly_with_q() {
    let db = TestDb::sqlite_existing();
    let r = authctl(&db, &["-q", "audit", "list"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stderr.is_empty(), "-q\n{r}");
    assert_fully_migrated(&db, "after -q audit list");
}

#[test]
fn data_command_on_unmigrated_postgres_is_refused() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let r = authctl(&db, &["audit", "list"]);
    assert_eq!(r.code, 78, "{r}");
    assert!(
        r.stderr
            .contains("6 pending migrations — run `authctl migrate`"),
        "{r}"
    );
    for t in ["users", "schema_migrations", "__diesel_schema_migrations"] {
        assert!(!table_exists(&db, t), "created {t} anyway");
    }

    migrated_without_audit(&db);
    let r = authctl(&db, &["audit", "list"]);
    assert_eq!(r.code, 78, "{r}");
    assert!(
        r.stderr
            .contains("2 pending migrations — run `authctl migrate`"),
        "{r}"
    );
    assert!(!table_exists(&db, AUDIT_TABLE), "applied anyway");
}

per_backend! {
    fn data_command_refuses_an_edited_migration(db: migrated) {
        let label = db.label();
        db.migrated();
        corrupt_checksum(&db);
        let r = authctl(&db, &["audit", "list"]);
        assert_eq!(r.code, 65, "{label}: edited\n{r}");
        assert!(r.stderr.contains(AUDIT), "{label}\n{r}");
    }
}

per_backend! {
    fn data_command_refuses_a_newer_migration(db: migrated) {
        let label = db.label();
        db.migrated();
        insert_newer_version(&db);
        let r = authctl(&db, &["audit", "list"]);
        assert_eq!(r.code, 65, "{label}: newer\n{r}");
        assert!(r.stderr.contains(NEWER_VERSION), "{label}\n{r}");
    }
}

// ---------------------------------------------------------------- the migration lock

/// Take the migration lock the way another `authctl migrate` would hold it: on
/// SQLite an open `BEGIN IMMEDIATE` transaction, on PostgreSQL the advisory lock.
fn hold_migration_lock(db: &TestDb) -> authctl::db::DbConn {
    let mut conn = db.connect();
    let sql = if db.is_postgres() {
        format!("SELECT pg_advisory_lock({PG_MIGRATION_LOCK})")
    } else {
        "BEGIN IMMEDIATE".to_owned()
    };
    conn.batch_execute(&sql)
        .unwrap_or_else(|e| panic!("{}: {sql}: {e}", db.label()));
    conn
}

fn release_migration_lock(db: &TestDb, conn: &mut authctl::db::DbConn) {
    let sql = if db.is_postgres() {
        format!("SELECT pg_advisory_unlock({PG_MIGRATION_LOCK})")
    } else {
        "ROLLBACK".to_owned()
    };
    conn.batch_execute(&sql)
        .unwrap_or_else(|e| panic!("{}: {sql}: {e}", db.label()));
}

/// Busy (75) with the lock message, after waiting at least the 1 s lock wait. (No
/// upper bound on the clock: a runner that ignored the wait would block until the
/// 60 s ceiling of [`run`] kills it, which fails the exit-code check.)
fn assert_busy(r: &Run, started: Instant, label: &str) {
    let elapsed = started.elapsed();
    assert_eq!(r.code, 75, "{label}: expected busy\n{r}");
    assert!(
        r.stderr.contains("another authctl") && r.stderr.contains("lock"),
        "{label}: message\n{r}"
    );
    assert!(
        elapsed >= Duration::from_millis(900),
        "{label}: gave up after {elapsed:?}, before the 1s lock wait"
    );
}

per_backend! {
    fn held_migration_lock_makes_migrate_busy_until_released(db) {
        let label = db.label();
        let mut holder = hold_migration_lock(&db);
        let started = Instant::now();
        let r = run(db
            .authctl()
            .env("AUTHCTL_MIGRATE_LOCK_WAIT", "1s")
            .arg("migrate"));
        assert_busy(&r, started, label);
        release_migration_lock(&db, &mut holder);
        for t in ["users", "schema_migrations", AUDIT_TABLE] {
            assert!(!table_exists(&db, t), "{label}: created {t} while locked");
        }

        let r = run(db
            .authctl()
            .env("AUTHCTL_MIGRATE_LOCK_WAIT", "1s")
            .arg("migrate"));
        assert_eq!(r.code, 0, "{label}: after release\n{r}");
        assert_fully_migrated(&db, "after the lock was released");
    }
}

per_backend! {
    /// `--lock-wait 1s` beats `AUTHCTL_MIGRATE_LOCK_WAIT=2m`: with the variable winning
    /// the run would outlast the 60 s ceiling.
    fn lock_wait_flag_beats_the_environment(db) {
        let label = db.label();
        let _holder = hold_migration_lock(&db);
        let started = Instant::now();
        let r = run(db.authctl().env("AUTHCTL_MIGRATE_LOCK_WAIT", "2m").args([
            "migrate",
            "--lock-wait",
            "1s",
        ]));
        assert_busy(&r, started, label);
    }
}

per_backend! {
    fn revert_waits_for_the_migration_lock_too(db: migrated) {
        let label = db.label();
        db.migrated();
        let holder = hold_migration_lock(&db);
        let started = Instant::now();
        let r = run(db
            .authctl()
            .env("AUTHCTL_MIGRATE_LOCK_WAIT", "1s")
            .args(["--yes", "migrate", "revert"]));
        assert_busy(&r, started, label);
        drop(holder);
        assert_fully_migrated(&db, "after a busy revert");
    }
}

per_backend! {
    fn lock_of_a_dead_session_is_released(db) {
        let label = db.label();
        let holder = hold_migration_lock(&db);
        // The lock is really held …
        let started = Instant::now();
        let r = run(db
            .authctl()
            .env("AUTHCTL_MIGRATE_LOCK_WAIT", "1s")
            .arg("migrate"));
        assert_busy(&r, started, label);
        // … until its holder "crashes": the connection is gone without an unlock.
        drop(holder);
        let r = run(db
            .authctl()
            .env("AUTHCTL_MIGRATE_LOCK_WAIT", "30s")
            .arg("migrate"));
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert_fully_migrated(&db, "after the holder died");
    }
}

// ---------------------------------------------------------------- kill -9

fn signal(child: &Child, sig: &str) {
    let status = std::process::Command::new("kill")
        .args(["-s", sig, &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -s {sig} {}", child.id());
}

/// Watches a database from outside for a migration in progress.
enum Probe {
    /// A connection with busy_timeout 0: `BEGIN IMMEDIATE` fails while another
    /// process holds SQLite's write lock.
    Sqlite(authctl::db::DbConn),
    /// A plain connection reading `pg_stat_activity`.
    Postgres(PgConnection),
}

impl Probe {
    fn new(db: &TestDb) -> Probe {
        match db {
            TestDb::Sqlite(_) => {
                // Creates the file in WAL mode now, so the only write lock the
                // migrate process can take is its migration transaction.
                let mut c = db.connect();
                c.batch_execute("PRAGMA busy_timeout = 0").unwrap();
                Probe::Sqlite(c)
            }
            TestDb::Postgres(p) => {
                Probe::Postgres(PgConnection::establish(&p.url).expect("connect the probe"))
            }
        }
    }

    /// Is another process inside a migration transaction that has written
    /// something? On PostgreSQL `only_audit` narrows it to the audit trail's
    /// transaction.
    fn in_migration(&mut self, only_audit: bool) -> bool {
        match self {
            Probe::Sqlite(c) => match c.batch_execute("BEGIN IMMEDIATE") {
                Ok(()) => {
                    c.batch_execute("ROLLBACK").unwrap();
                    false
                }
                Err(e) if e.to_string().contains("locked") || e.to_string().contains("busy") => {
                    true
                }
                Err(e) => panic!("probe: {e}"),
            },
            Probe::Postgres(c) => {
                use diesel::prelude::*;
                #[derive(QueryableByName)]
                struct Row {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    n: i64,
                }
                let filter = if only_audit {
                    "AND (query LIKE '%authctl_audit_events%' OR query LIKE 'INSERT%')"
                } else {
                    ""
                };
                let row: Row = diesel::sql_query(format!(
                    "SELECT count(*) AS n FROM pg_stat_activity \
                     WHERE datname = current_database() AND pid <> pg_backend_pid() \
                     AND application_name LIKE 'authctl@%' AND backend_xid IS NOT NULL {filter}"
                ))
                .get_result(c)
                .expect("probe pg_stat_activity");
                row.n > 0
            }
        }
    }
}

/// Start `authctl migrate` on a database prepared by `prepare`, and `kill -9` it
/// while it is stopped (SIGSTOP) inside a migration transaction — observed from
/// outside before and after the stop, so the kill provably lands mid-migration.
/// Retries with a fresh database when the run slips past the probe. Returns the
/// database with the killed run behind it.
fn kill_mid_migration(
    make: &dyn Fn() -> TestDb,
    prepare: &dyn Fn(&TestDb),
    only_audit: bool,
) -> TestDb {
    for _attempt in 0..60 {
        let db = make();
        prepare(&db);
        let mut probe = Probe::new(&db);
        let mut child = spawn_migrate(&db);
        let mut caught = false;
        loop {
            if probe.in_migration(only_audit) {
                signal(&child, "STOP");
                // Stopped now: is it still inside the transaction?
                caught = probe.in_migration(only_audit);
                break;
            }
            if child.try_wait().expect("try_wait").is_some() {
                break;
            }
        }
        let _ = child.kill();
        let status = child.wait().expect("wait");
        if caught {
            assert_eq!(status.code(), None, "{}: not killed: {status}", db.label());
            drop(probe);
            return db;
        }
    }
    panic!("could not stop `authctl migrate` inside a migration transaction in 60 attempts");
}

/// After a killed run: every migration is either fully there (tables, ledger rows,
/// checksum) or not at all, the run did not complete, and a new run finishes.
fn assert_consistent_after_kill(db: &TestDb, expect_app_applied: Option<bool>) {
    let label = db.label();
    // Under the lock, so a dying PostgreSQL session has finished first.
    let st =
        migrations::with_migration_lock(&mut db.connect(), &Default::default(), migrations::status)
            .unwrap_or_else(|e| panic!("{label}: status after kill: {e:#}"));
    let ledger = app_ledger_if_any(db);
    let steps = if table_exists(db, "__authctl_app_steps") {
        app_steps(db)
    } else {
        Vec::new()
    };
    let mut app_applied = Vec::new();
    for e in &st.migrations {
        let name = e.name.as_deref().expect("known migration");
        assert!(
            matches!(e.state, State::Applied | State::Pending),
            "{label}: {name} is {:?} after the kill",
            e.state
        );
        let applied = e.state == State::Applied;
        for table in tables_of_step(name) {
            assert_eq!(
                table_exists(db, table),
                applied,
                "{label}: table {table} vs {name} {:?}",
                e.state
            );
        }
        match e.origin {
            Origin::Application => {
                app_applied.push(applied);
                assert_eq!(
                    ledger.contains(&name.to_owned()),
                    applied,
                    "{label}: {name}"
                );
                assert_eq!(
                    steps.contains(&format!("{name}:created")),
                    applied,
                    "{label}: {name} in __authctl_app_steps"
                );
            }
            Origin::Authctl => {
                // The kill landed before the run's end: its last migration is missing.
                assert_eq!(e.state, State::Pending, "{label}: the run completed");
                if table_exists(db, "__diesel_schema_migrations") {
                    assert_eq!(diesel_rows(db), 0, "{label}");
                }
                if table_exists(db, "__authctl_migration_checksums") {
                    assert_eq!(checksum_rows(db), 0, "{label}");
                }
            }
        }
    }
    // The application phase is one transaction: all of it or none of it.
    assert!(
        app_applied.iter().all(|a| *a) || app_applied.iter().all(|a| !*a),
        "{label}: application steps half applied: {app_applied:?}"
    );
    if let Some(expected) = expect_app_applied {
        assert_eq!(app_applied, [expected; 4], "{label}");
    }

    let r = authctl(db, &["migrate"]);
    assert_eq!(r.code, 0, "{label}: after the kill\n{r}");
    assert_fully_migrated(db, "after the rerun");
}

fn app_ledger_if_any(db: &TestDb) -> Vec<String> {
    if table_exists(db, "schema_migrations") {
        app_ledger(db)
    } else {
        Vec::new()
    }
}

#[test]
fn migrate_killed_mid_migration_on_a_fresh_database_leaves_it_consistent() {
    let db = kill_mid_migration(&TestDb::sqlite, &|_| {}, false);
    // SQLite: one transaction for the whole run, so nothing of it is there.
    assert_consistent_after_kill(&db, Some(false));
    if common::pg_admin_url().is_some() {
        let db = kill_mid_migration(&|| TestDb::postgres().unwrap(), &|_| {}, false);
        assert_consistent_after_kill(&db, None);
    }
}

#[test]
fn migrate_killed_during_authctls_own_migration_leaves_it_consistent() {
    let db = kill_mid_migration(&TestDb::sqlite, &migrated_without_audit, true);
    assert_consistent_after_kill(&db, Some(true));
    if common::pg_admin_url().is_some() {
        let db = kill_mid_migration(
            &|| TestDb::postgres().unwrap(),
            &migrated_without_audit,
            true,
        );
        assert_consistent_after_kill(&db, Some(true));
    }
}

// ---------------------------------------------------------------- DDL lock timeouts

/// `with_migration_lock` (SQLite) reports a held lock by attaching `Error::busy` as
/// anyhow context, and `authctl::error` documents `.context(Error::…)` as a way to set
/// the exit code: `exit_code` must find an `Error` given as context.
#[test]
fn exit_code_finds_an_error_attached_as_context() {
    let e = anyhow::Error::new(std::io::Error::other("low-level cause"))
        .context(authctl::Error::busy("another authctl is migrating"));
    assert_eq!(exit_code(&e), ExitCode::Busy, "{e:#}");
}

/// An application transaction holding a lock the migration's DDL needs: the DDL gives
/// up after `lock_timeout` (AUTHCTL_LOCK_TIMEOUT) instead of queueing the application
/// behind it, and that is "busy, retry later" (75), not an internal error. (Without
/// the lock timeout the run would block until the 60 s ceiling of [`run`].)
fn assert_ddl_lock_timeout_is_busy(db: &TestDb, lock_sql: &str, args: &[&str]) {
    let mut app = db.connect();
    app.batch_execute(&format!("BEGIN; {lock_sql}"))
        .expect("application lock");
    let r = run(db.authctl().env("AUTHCTL_LOCK_TIMEOUT", "1s").args(args));
    assert_eq!(r.code, 75, "{args:?}: expected busy\n{r}");
    assert!(r.stderr.contains("lock timeout"), "{args:?}: cause\n{r}");
    app.batch_execute("ROLLBACK").unwrap();
}

#[test]
fn migrate_blocked_by_an_application_lock_is_busy() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    migrated_without_audit(&db);
    // The audit trail's foreign key needs a lock on users that conflicts with the
    // application's row writes.
    assert_ddl_lock_timeout_is_busy(&db, "LOCK TABLE users IN ROW EXCLUSIVE MODE", &["migrate"]);
    assert!(!table_exists(&db, AUDIT_TABLE), "half applied");
    assert_eq!(diesel_rows(&db), 0);
    assert_eq!(checksum_rows(&db), 0);
    // Once the application lets go, the migration goes through.
    let r = authctl(&db, &["migrate"]);
    assert_eq!(r.code, 0, "{r}");
    assert_fully_migrated(&db, "after the application's lock");
}

#[test]
fn revert_blocked_by_an_application_lock_is_busy() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    db.migrated();
    assert_ddl_lock_timeout_is_busy(
        &db,
        // (The newest own migration, reverted first, is the purge-run record: a
        // reader of it, such as `authctl stats`, holds the lock its DROP needs.)
        "LOCK TABLE authctl_purge_runs IN ACCESS SHARE MODE",
        &["--yes", "migrate", "revert"],
    );
    assert_fully_migrated(&db, "after a busy revert");
}

#[test]
fn reverting_an_application_step_blocked_by_an_application_lock_is_busy() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    db.migrated();
    // The application reading login_sessions: dropping it must not queue behind.
    assert_ddl_lock_timeout_is_busy(
        &db,
        "LOCK TABLE login_sessions IN ACCESS SHARE MODE",
        &[
            "--yes",
            "migrate",
            "revert",
            "--steps",
            "3",
            "--destroy-data",
        ],
    );
    // Step 008 is fully there: table, ledger row, bookkeeping row.
    assert!(table_exists(&db, "login_sessions"), "half reverted");
    assert_eq!(app_ledger(&db), APP_STEPS);
    assert_eq!(app_steps(&db), created(&APP_STEPS));
    // Each migration is its own transaction: authctl's own (reverted first) is
    // either fully reverted or fully there.
    let v = status_json(&db);
    let own: Vec<String> = (4..6)
        .map(|i| v["migrations"][i]["state"].as_str().unwrap().to_owned())
        .collect();
    assert!(own.iter().all(|s| s == "applied" || s == "pending"), "{v}");
    let applied = own.iter().filter(|s| *s == "applied").count() as i64;
    assert_eq!(table_exists(&db, AUDIT_TABLE), own[0] == "applied", "{v}");
    assert_eq!(
        table_exists(&db, "authctl_purge_runs"),
        own[1] == "applied",
        "{v}"
    );
    assert_eq!(diesel_rows(&db), applied, "{v}");
    assert_eq!(checksum_rows(&db), applied, "{v}");
}

// ---------------------------------------------------------------- the test template

/// A database copied from the migrated template (what `TestDb::postgres_migrated`
/// and `per_backend!`'s `migrated` form give) is what migrating an empty one
/// gives: the same tables, columns, indexes and constraints, and the same ledger
/// rows apart from their times; `authctl migrate` then finds nothing to do.
#[test]
fn template_copy_equals_a_freshly_migrated_database() {
    let Some(fresh) = TestDb::postgres() else {
        return;
    };
    fresh.migrated();
    let copy = TestDb::postgres_migrated().expect("postgres");
    let describe = |db: &TestDb| -> Vec<String> {
        [
            "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable \
             || ' ' || coalesce(column_default, '-') AS v FROM information_schema.columns \
             WHERE table_schema = 'public' ORDER BY 1",
            "SELECT indexdef AS v FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1",
            "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) \
             AS v FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1",
            "SELECT CAST(version AS TEXT) AS v FROM schema_migrations ORDER BY 1",
            "SELECT CAST(version AS TEXT) AS v FROM __diesel_schema_migrations ORDER BY 1",
            "SELECT version || ' ' || checksum AS v FROM __authctl_migration_checksums ORDER BY 1",
            "SELECT version || ' ' || origin AS v FROM __authctl_app_steps ORDER BY 1",
        ]
        .iter()
        .flat_map(|sql| common::query_strings(db, sql))
        .collect()
    };
    let fresh_schema = describe(&fresh);
    assert!(fresh_schema.len() > 40, "{fresh_schema:#?}");
    assert_eq!(describe(&copy), fresh_schema);
    assert_fully_migrated(&copy, "a copy of the template");
    let r = authctl(&copy, &["migrate", "-o", "json"]);
    assert_eq!(r.code, 0, "{r}");
    let v = r.json();
    for key in ["adopted", "created", "applied", "verified"] {
        assert_eq!(v[key], json!([]), "{key}: {r}");
    }
}
