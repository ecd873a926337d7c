//! `authctl migrate`: apply, status, check, dry run, revert, concurrency, integrity
//! (edited or newer migrations, diesel-CLI history), auto-migrate and the migration lock.

mod common;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use authctl::db::Backend;
use authctl::db::migrations::{self, State};
use authctl::error::{ExitCode, exit_code};
use serde_json::Value;

use crate::common::{self, TestDb};

/// The advisory lock key `authctl migrate` takes on PostgreSQL (src/db/migrations.rs).
const PG_MIGRATION_LOCK: i64 = 0x6175_7468_6d69_6772;

/// The outcome of one authctl run.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

fn run(cmd: &mut assert_cmd::Command) -> Run {
    let out = cmd
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run authctl");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `authctl --database-url <db> ARGS…`
fn authctl(db: &TestDb, args: &[&str]) -> Run {
    run(db.authctl().args(args))
}

/// The same command as a `std::process::Command`, to spawn it in the background.
fn spawnable(cmd: &assert_cmd::Command) -> std::process::Command {
    let mut std_cmd = std::process::Command::new(cmd.get_program());
    std_cmd.args(cmd.get_args()).env_clear();
    for (key, value) in cmd.get_envs() {
        match value {
            Some(v) => std_cmd.env(key, v),
            None => std_cmd.env_remove(key),
        };
    }
    if let Some(dir) = cmd.get_current_dir() {
        std_cmd.current_dir(dir);
    }
    std_cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std_cmd
}

fn spawn_migrate(db: &TestDb) -> Child {
    let mut cmd = db.authctl();
    cmd.arg("migrate");
    spawnable(&cmd).spawn().expect("spawn authctl migrate")
}

fn backend(db: &TestDb) -> Backend {
    if db.is_postgres() {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// Names of the embedded migrations for the database's backend, oldest first.
fn names(db: &TestDb) -> Vec<&'static str> {
    migrations::embedded(backend(db))
        .iter()
        .map(|m| m.name)
        .collect()
}

/// The table a `…_create_<table>` migration creates.
fn table_of(name: &str) -> &str {
    name.split_once("_create_")
        .expect("migration creates a table")
        .1
}

fn table_exists(db: &TestDb, table: &str) -> bool {
    migrations::table_exists(&mut db.connect(), table).expect("table_exists")
}

fn applied_rows(db: &TestDb) -> i64 {
    common::count(db, "SELECT count(*) AS n FROM __diesel_schema_migrations")
}

fn checksum_rows(db: &TestDb) -> i64 {
    common::count(
        db,
        "SELECT count(*) AS n FROM __authctl_migration_checksums",
    )
}

fn json(run: &Run, label: &str) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{label}: stdout is not JSON ({e}):\n{run}"))
}

fn states(status: &Value) -> Vec<String> {
    status["migrations"]
        .as_array()
        .expect("migrations array")
        .iter()
        .map(|m| m["state"].as_str().expect("state").to_owned())
        .collect()
}

/// Overwrite the recorded checksum of the second migration, as if its `up.sql` had
/// been edited after it was applied.
fn corrupt_checksum(db: &TestDb) -> String {
    let version = migrations::embedded(backend(db))[1].version();
    let zeros = if db.is_postgres() {
        "repeat('0', 64)".to_owned()
    } else {
        format!("'{}'", "0".repeat(64))
    };
    db.exec(&format!(
        "UPDATE __authctl_migration_checksums SET checksum = {zeros} WHERE version = '{version}'"
    ));
    version
}

const NEWER_VERSION: &str = "29991231000000";

#[test]
fn embedded_migrations_are_the_four_tables() {
    for b in [Backend::Sqlite, Backend::Postgres] {
        let tables: Vec<&str> = migrations::embedded(b)
            .iter()
            .map(|m| table_of(m.name))
            .collect();
        assert_eq!(
            tables,
            ["users", "refresh_tokens", "login_sessions", "audit_events"],
            "{b}"
        );
    }
}

#[test]
fn migrate_applies_all_pending_then_nothing() {
    for db in TestDb::all() {
        let label = db.label();
        let first = authctl(&db, &["migrate"]);
        assert_eq!(first.code, 0, "{label}: first run\n{first}");
        let applied: Vec<&str> = first
            .stdout
            .lines()
            .filter_map(|l| l.strip_prefix("applied "))
            .collect();
        assert_eq!(applied, names(&db), "{label}: applied, in order\n{first}");
        for name in names(&db) {
            assert!(table_exists(&db, table_of(name)), "{label}: {name}");
        }

        let second = authctl(&db, &["migrate"]);
        assert_eq!(second.code, 0, "{label}: second run\n{second}");
        assert!(
            !second.stdout.contains("applied "),
            "{label}: second run applied something\n{second}"
        );
        assert!(
            second.stderr.contains("nothing to do"),
            "{label}: second run should say so\n{second}"
        );
        assert_eq!(applied_rows(&db), 4, "{label}: diesel rows");
        assert_eq!(checksum_rows(&db), 4, "{label}: checksum rows");
    }
}

#[test]
fn migrate_records_diesel_versions_and_embedded_checksums() {
    for db in TestDb::all() {
        let label = db.label();
        let r = authctl(&db, &["migrate"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let embedded = migrations::embedded(backend(&db));
        let versions = common::query_strings(
            &db,
            "SELECT version AS v FROM __diesel_schema_migrations ORDER BY version",
        );
        let expected: Vec<String> = embedded.iter().map(|m| m.version()).collect();
        assert_eq!(versions, expected, "{label}: diesel versions");
        let checksums = common::query_strings(
            &db,
            "SELECT checksum AS v FROM __authctl_migration_checksums ORDER BY version",
        );
        let expected: Vec<String> = embedded.iter().map(|m| m.checksum()).collect();
        assert_eq!(checksums, expected, "{label}: checksums");
    }
}

#[test]
fn migrate_json_reports_what_it_applied() {
    for db in TestDb::all() {
        let label = db.label();
        let r = authctl(&db, &["-o", "json", "migrate"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let v = json(&r, label);
        assert_eq!(v["applied"], serde_json::json!(names(&db)), "{label}\n{r}");
        assert_eq!(v["current"], true, "{label}\n{r}");
        assert_eq!(v["migrations"], 4, "{label}\n{r}");

        let r = authctl(&db, &["-o", "json", "migrate"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert_eq!(json(&r, label)["applied"], serde_json::json!([]), "{label}");
    }
}

#[test]
fn status_on_fresh_db_lists_all_pending_and_changes_nothing() {
    for db in TestDb::all() {
        let label = db.label();
        let table = authctl(&db, &["migrate", "status"]);
        assert_eq!(table.code, 0, "{label}\n{table}");
        for name in names(&db) {
            let line = table
                .stdout
                .lines()
                .find(|l| l.contains(name))
                .unwrap_or_else(|| panic!("{label}: {name} missing\n{table}"));
            assert!(line.contains("pending"), "{label}: {line}");
        }
        assert!(
            table.stderr.contains("4 pending"),
            "{label}: hint on stderr\n{table}"
        );

        let r = authctl(&db, &["migrate", "status", "-o", "json"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let v = json(&r, label);
        assert_eq!(v["backend"], label, "{label}\n{r}");
        assert_eq!(states(&v), ["pending"; 4], "{label}\n{r}");
        let listed: Vec<&str> = v["migrations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        assert_eq!(listed, names(&db), "{label}");
        assert!(
            !table_exists(&db, "__diesel_schema_migrations"),
            "{label}: status must not create the bookkeeping table"
        );
        assert!(!table_exists(&db, "users"), "{label}");
    }
}

#[test]
fn status_after_migrate_shows_all_applied_with_times() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        let r = authctl(&db, &["migrate", "status", "-o", "json"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let v = json(&r, label);
        assert_eq!(states(&v), ["applied"; 4], "{label}\n{r}");
        for m in v["migrations"].as_array().unwrap() {
            assert!(
                m["applied_at"].is_string(),
                "{label}: applied_at missing: {m}"
            );
        }
        let table = authctl(&db, &["migrate", "status"]);
        assert_eq!(table.code, 0, "{label}\n{table}");
        assert!(!table.stdout.contains("pending"), "{label}\n{table}");
        assert!(!table.stderr.contains("pending"), "{label}\n{table}");
    }
}

#[test]
fn check_with_pending_exits_1_and_applies_nothing() {
    for db in TestDb::all() {
        let label = db.label();
        let r = authctl(&db, &["migrate", "--check"]);
        assert_eq!(r.code, 1, "{label}\n{r}");
        for name in names(&db) {
            assert!(
                r.stdout.contains(&format!("pending {name}")),
                "{label}: {name}\n{r}"
            );
        }
        assert!(r.stderr.contains("4 pending"), "{label}\n{r}");
        assert!(
            !table_exists(&db, "__diesel_schema_migrations"),
            "{label}: --check created the bookkeeping table"
        );
        assert!(
            !table_exists(&db, "__authctl_migration_checksums"),
            "{label}"
        );
        assert!(!table_exists(&db, "users"), "{label}: --check applied");
    }
}

#[test]
fn check_when_current_exits_0() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        let r = authctl(&db, &["migrate", "--check"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert!(r.stdout.is_empty(), "{label}: nothing pending\n{r}");
        assert!(r.stderr.contains("schema is current"), "{label}\n{r}");
    }
}

#[test]
fn check_with_one_pending_exits_1() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        migrations::revert(&mut db.connect(), 1, &Default::default()).expect("revert");
        let r = authctl(&db, &["migrate", "--check"]);
        assert_eq!(r.code, 1, "{label}\n{r}");
        let newest = *names(&db).last().unwrap();
        assert_eq!(r.stdout.trim(), format!("pending {newest}"), "{label}\n{r}");
        assert!(!table_exists(&db, "audit_events"), "{label}");
    }
}

#[test]
fn check_json_reports_pending_and_current() {
    for db in TestDb::all() {
        let label = db.label();
        let r = authctl(&db, &["migrate", "--check", "-o", "json"]);
        assert_eq!(r.code, 1, "{label}\n{r}");
        let v = json(&r, label);
        assert_eq!(v["current"], false, "{label}\n{r}");
        assert_eq!(v["pending"], serde_json::json!(names(&db)), "{label}\n{r}");

        db.migrated();
        let r = authctl(&db, &["migrate", "--check", "-o", "json"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let v = json(&r, label);
        assert_eq!(v["current"], true, "{label}\n{r}");
        assert_eq!(v["pending"], serde_json::json!([]), "{label}\n{r}");
    }
}

#[test]
fn dry_run_lists_pending_and_applies_nothing() {
    for db in TestDb::all() {
        let label = db.label();
        let r = authctl(&db, &["migrate", "--dry-run"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let listed: Vec<&str> = r
            .stdout
            .lines()
            .filter_map(|l| l.strip_prefix("pending "))
            .collect();
        assert_eq!(listed, names(&db), "{label}\n{r}");
        assert!(r.stderr.contains("dry run"), "{label}\n{r}");
        assert!(!table_exists(&db, "users"), "{label}: --dry-run applied");
        assert!(
            !table_exists(&db, "__diesel_schema_migrations"),
            "{label}: --dry-run created the bookkeeping table"
        );
    }
}

#[test]
fn check_and_dry_run_together_are_a_usage_error() {
    let r = run(common::authctl().args(["migrate", "--check", "--dry-run"]));
    assert_eq!(r.code, 64, "{r}");
}

#[test]
fn revert_without_terminal_or_yes_is_usage_error_and_reverts_nothing() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        let r = authctl(&db, &["migrate", "revert"]);
        assert_eq!(r.code, 64, "{label}\n{r}");
        assert!(
            r.stderr.contains("--yes"),
            "{label}: should suggest --yes\n{r}"
        );
        assert_eq!(applied_rows(&db), 4, "{label}: something was reverted");
        assert!(table_exists(&db, "audit_events"), "{label}");
    }
}

#[test]
fn revert_with_yes_reverts_the_newest() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        let r = authctl(&db, &["--yes", "migrate", "revert"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let newest = *names(&db).last().unwrap();
        assert_eq!(
            r.stdout.trim(),
            format!("reverted {newest}"),
            "{label}\n{r}"
        );
        assert!(
            !table_exists(&db, "audit_events"),
            "{label}: table still there"
        );
        assert!(table_exists(&db, "login_sessions"), "{label}");
        assert_eq!(applied_rows(&db), 3, "{label}: diesel rows");
        assert_eq!(checksum_rows(&db), 3, "{label}: checksum rows");
        let v = json(&authctl(&db, &["migrate", "status", "-o", "json"]), label);
        assert_eq!(
            states(&v),
            ["applied", "applied", "applied", "pending"],
            "{label}"
        );
    }
}

#[test]
fn revert_steps_2_reverts_the_two_newest() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        let r = authctl(&db, &["migrate", "revert", "--steps", "2", "--yes"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let all = names(&db);
        let reverted: Vec<&str> = r
            .stdout
            .lines()
            .filter_map(|l| l.strip_prefix("reverted "))
            .collect();
        assert_eq!(reverted, [all[3], all[2]], "{label}: newest first\n{r}");
        assert!(!table_exists(&db, "audit_events"), "{label}");
        assert!(!table_exists(&db, "login_sessions"), "{label}");
        assert!(table_exists(&db, "refresh_tokens"), "{label}");
        assert_eq!(applied_rows(&db), 2, "{label}");
        assert_eq!(checksum_rows(&db), 2, "{label}");
    }
}

#[test]
fn revert_all_then_migrate_round_trips() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        let r = authctl(&db, &["--yes", "migrate", "revert", "--all"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert_eq!(r.stdout.lines().count(), 4, "{label}\n{r}");
        for name in names(&db) {
            assert!(!table_exists(&db, table_of(name)), "{label}: {name}");
        }
        assert_eq!(applied_rows(&db), 0, "{label}");
        assert_eq!(checksum_rows(&db), 0, "{label}");

        let r = authctl(&db, &["migrate"]);
        assert_eq!(r.code, 0, "{label}: re-apply after revert --all\n{r}");
        assert_eq!(applied_rows(&db), 4, "{label}");
    }
}

#[test]
fn revert_steps_and_all_conflict() {
    let r = run(common::authctl().args(["migrate", "revert", "--steps", "2", "--all"]));
    assert_eq!(r.code, 64, "{r}");
    let r = run(common::authctl().args(["migrate", "revert", "--steps", "0"]));
    assert_eq!(r.code, 64, "{r}");
}

#[test]
fn revert_on_unmigrated_db_reverts_nothing() {
    for db in TestDb::all() {
        let label = db.label();
        let r = authctl(&db, &["migrate", "revert"]);
        assert_eq!(r.code, 0, "{label}: nothing to confirm\n{r}");
        assert!(r.stderr.contains("nothing to revert"), "{label}\n{r}");
    }
}

#[test]
fn concurrent_migrate_runs_apply_each_migration_once() {
    for db in TestDb::all() {
        let label = db.label();
        let children: Vec<Child> = (0..4).map(|_| spawn_migrate(&db)).collect();
        let mut applied = Vec::new();
        for child in children {
            let out = child.wait_with_output().expect("wait");
            let r = Run {
                code: out.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
                stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            };
            assert_eq!(r.code, 0, "{label}: concurrent run failed\n{r}");
            applied.extend(
                r.stdout
                    .lines()
                    .filter_map(|l| l.strip_prefix("applied "))
                    .map(str::to_owned),
            );
        }
        applied.sort();
        assert_eq!(
            applied,
            names(&db),
            "{label}: across all runs each migration applied exactly once"
        );
        assert_eq!(applied_rows(&db), 4, "{label}: diesel rows");
        assert_eq!(checksum_rows(&db), 4, "{label}: checksum rows");
    }
}

#[test]
fn edited_migration_refuses_migrate_and_check() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        let version = corrupt_checksum(&db);
        let name = names(&db)[1];

        let r = authctl(&db, &["migrate"]);
        assert_eq!(r.code, 65, "{label}: migrate\n{r}");
        assert!(r.stderr.contains(name), "{label}: names {name}\n{r}");
        assert!(
            r.stderr.contains("edited") && r.stderr.contains("differ"),
            "{label}: explains\n{r}"
        );
        let recorded = common::query_strings(
            &db,
            &format!(
                "SELECT checksum AS v FROM __authctl_migration_checksums WHERE version = '{version}'"
            ),
        );
        assert_eq!(recorded, ["0".repeat(64)], "{label}: checksum overwritten");

        let r = authctl(&db, &["migrate", "--check"]);
        assert_eq!(r.code, 65, "{label}: --check\n{r}");
        assert!(r.stderr.contains(name), "{label}\n{r}");

        let r = authctl(&db, &["migrate", "--dry-run"]);
        assert_eq!(r.code, 65, "{label}: --dry-run\n{r}");
    }
}

#[test]
fn edited_migration_still_shows_in_status() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        corrupt_checksum(&db);
        let name = names(&db)[1];

        let r = authctl(&db, &["migrate", "status"]);
        assert_eq!(r.code, 0, "{label}: status must still work\n{r}");
        let line = r
            .stdout
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{label}: {name} not listed\n{r}"));
        assert!(line.contains("MODIFIED"), "{label}: {line}\n{r}");
        assert!(r.stderr.contains("warning"), "{label}\n{r}");

        let r = authctl(&db, &["migrate", "status", "-o", "json"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert_eq!(
            states(&json(&r, label)),
            ["applied", "modified", "applied", "applied"],
            "{label}"
        );
    }
}

#[test]
fn edited_migration_refuses_revert() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        corrupt_checksum(&db);
        let r = authctl(&db, &["--yes", "migrate", "revert"]);
        assert_eq!(r.code, 65, "{label}\n{r}");
        assert!(
            table_exists(&db, "audit_events"),
            "{label}: reverted anyway"
        );
        assert_eq!(applied_rows(&db), 4, "{label}");
    }
}

#[test]
fn newer_database_refuses_migrate() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        db.exec(&format!(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('{NEWER_VERSION}')"
        ));
        let r = authctl(&db, &["migrate"]);
        assert_eq!(r.code, 65, "{label}\n{r}");
        assert!(r.stderr.contains(NEWER_VERSION), "{label}: names it\n{r}");
        assert!(r.stderr.contains("newer"), "{label}: explains\n{r}");

        let r = authctl(&db, &["migrate", "--check"]);
        assert_eq!(r.code, 65, "{label}: --check\n{r}");
    }
}

#[test]
fn newer_database_shows_unknown_in_status() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        db.exec(&format!(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('{NEWER_VERSION}')"
        ));
        let r = authctl(&db, &["migrate", "status"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let line = r
            .stdout
            .lines()
            .find(|l| l.contains(NEWER_VERSION))
            .unwrap_or_else(|| panic!("{label}: {NEWER_VERSION} not listed\n{r}"));
        assert!(line.contains("unknown"), "{label}: {line}");

        let r = authctl(&db, &["migrate", "status", "-o", "json"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        let v = json(&r, label);
        assert_eq!(
            states(&v),
            ["applied", "applied", "applied", "applied", "unknown"],
            "{label}"
        );
        let last = &v["migrations"][4];
        assert_eq!(last["version"], NEWER_VERSION, "{label}");
        assert!(last["name"].is_null(), "{label}: {last}");
    }
}

fn assert_checksums_recorded_by_migrate(db: &TestDb) {
    let label = db.label();
    let v = json(&authctl(db, &["migrate", "status", "-o", "json"]), label);
    assert_eq!(states(&v), ["unverified"; 4], "{label}: before");

    let r = authctl(db, &["migrate"]);
    assert_eq!(r.code, 0, "{label}\n{r}");
    assert!(
        !r.stdout.contains("applied "),
        "{label}: re-applied migrations\n{r}"
    );
    for name in names(db) {
        assert!(
            r.stderr.contains(&format!("recorded checksum of {name}")),
            "{label}: note for {name}\n{r}"
        );
    }
    let checksums = common::query_strings(
        db,
        "SELECT checksum AS v FROM __authctl_migration_checksums ORDER BY version",
    );
    let expected: Vec<String> = migrations::embedded(backend(db))
        .iter()
        .map(|m| m.checksum())
        .collect();
    assert_eq!(checksums, expected, "{label}: recorded checksums");
    let v = json(&authctl(db, &["migrate", "status", "-o", "json"]), label);
    assert_eq!(states(&v), ["applied"; 4], "{label}: after");
}

#[test]
fn diesel_cli_history_without_checksum_rows_is_adopted() {
    for db in TestDb::all() {
        db.migrated();
        db.exec("DELETE FROM __authctl_migration_checksums");
        assert_checksums_recorded_by_migrate(&db);
    }
}

#[test]
fn diesel_cli_history_without_checksum_table_is_adopted() {
    for db in TestDb::all() {
        db.migrated();
        db.exec("DROP TABLE __authctl_migration_checksums");
        assert_checksums_recorded_by_migrate(&db);
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

#[test]
fn ensure_current_applies_on_sqlite_and_refuses_on_postgres() {
    for db in TestDb::all() {
        let label = db.label();
        let mut conn = db.connect();
        let result = migrations::ensure_current(&mut conn, &Default::default(), true);
        if db.is_postgres() {
            let e = result.expect_err("postgres must refuse");
            let msg = format!("{e:#}");
            assert!(
                msg.contains("4 pending migrations — run `authctl migrate`"),
                "{label}: {msg}"
            );
            assert_eq!(exit_code(&e), ExitCode::Config, "{label}: {msg}");
            assert!(!table_exists(&db, "users"), "{label}: applied anyway");
            assert!(
                !table_exists(&db, "__diesel_schema_migrations"),
                "{label}: created bookkeeping"
            );
        } else {
            result.unwrap_or_else(|e| panic!("{label}: {e:#}"));
            assert_eq!(applied_rows(&db), 4, "{label}");
            assert_eq!(checksum_rows(&db), 4, "{label}");
            assert!(table_exists(&db, "audit_events"), "{label}");
        }
    }
}

#[test]
fn ensure_current_is_a_no_op_when_current() {
    for db in TestDb::all() {
        let label = db.label();
        let mut conn = db.migrated();
        migrations::ensure_current(&mut conn, &Default::default(), true)
            .unwrap_or_else(|e| panic!("{label}: {e:#}"));
        assert_eq!(applied_rows(&db), 4, "{label}");
    }
}

#[test]
fn ensure_current_refuses_an_edited_migration() {
    for db in TestDb::all() {
        let label = db.label();
        let mut conn = db.migrated();
        corrupt_checksum(&db);
        let e = migrations::ensure_current(&mut conn, &Default::default(), true)
            .expect_err("edited migration");
        assert_eq!(exit_code(&e), ExitCode::Data, "{label}: {e:#}");
    }
}

#[test]
fn ensure_current_on_postgres_counts_a_single_pending_migration() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    let mut conn = db.migrated();
    migrations::revert(&mut conn, 1, &Default::default()).expect("revert");
    let e = migrations::ensure_current(&mut conn, &Default::default(), true)
        .expect_err("postgres must refuse");
    let msg = format!("{e:#}");
    assert!(
        msg.contains("1 pending migration — run `authctl migrate`"),
        "{msg}"
    );
    assert_eq!(exit_code(&e), ExitCode::Config);
}

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

fn assert_busy(r: &Run, started: Instant, label: &str) {
    let elapsed = started.elapsed();
    assert_eq!(r.code, 75, "{label}: expected busy\n{r}");
    assert!(
        r.stderr.contains("another authctl") && r.stderr.contains("lock"),
        "{label}: message\n{r}"
    );
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(10),
        "{label}: waited {elapsed:?}, expected about the 1s lock wait"
    );
}

#[test]
fn held_migration_lock_makes_migrate_busy_until_released() {
    for db in TestDb::all() {
        let label = db.label();
        let mut holder = hold_migration_lock(&db);
        let started = Instant::now();
        let r = run(db
            .authctl()
            .env("AUTHCTL_MIGRATE_LOCK_WAIT", "1s")
            .arg("migrate"));
        assert_busy(&r, started, label);
        assert!(!table_exists(&db, "users"), "{label}: applied while locked");

        release_migration_lock(&db, &mut holder);
        let r = run(db
            .authctl()
            .env("AUTHCTL_MIGRATE_LOCK_WAIT", "1s")
            .arg("migrate"));
        assert_eq!(r.code, 0, "{label}: after release\n{r}");
        assert_eq!(applied_rows(&db), 4, "{label}");
    }
}

#[test]
fn lock_wait_flag_beats_the_environment() {
    for db in TestDb::all() {
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

#[test]
fn revert_waits_for_the_migration_lock_too() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        let _holder = hold_migration_lock(&db);
        let started = Instant::now();
        let r = run(db
            .authctl()
            .env("AUTHCTL_MIGRATE_LOCK_WAIT", "1s")
            .args(["--yes", "migrate", "revert"]));
        assert_busy(&r, started, label);
        assert!(table_exists(&db, "audit_events"), "{label}: reverted");
    }
}

#[test]
fn lock_of_a_dead_session_is_released() {
    for db in TestDb::all() {
        let label = db.label();
        let holder = hold_migration_lock(&db);
        drop(holder); // the holder "crashed": its connection is gone
        let r = run(db
            .authctl()
            .env("AUTHCTL_MIGRATE_LOCK_WAIT", "5s")
            .arg("migrate"));
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert_eq!(applied_rows(&db), 4, "{label}");
    }
}

/// Kill `authctl migrate` at different moments: afterwards every migration is either
/// fully applied (version and checksum recorded) or not at all, and a new run finishes.
#[test]
fn killed_migrate_leaves_a_consistent_database() {
    for db in TestDb::all() {
        let label = db.label();
        for delay_ms in [0, 5, 10, 20, 40, 80] {
            if table_exists(&db, "__diesel_schema_migrations") {
                migrations::revert(&mut db.connect(), usize::MAX, &Default::default())
                    .unwrap_or_else(|e| panic!("{label}: reset: {e:#}"));
            }
            let mut child = spawn_migrate(&db);
            std::thread::sleep(Duration::from_millis(delay_ms));
            let _ = child.kill();
            let _ = child.wait();

            // Under the lock, so a dying PostgreSQL session has finished first.
            let st = migrations::with_migration_lock(
                &mut db.connect(),
                &Default::default(),
                migrations::status,
            )
            .unwrap_or_else(|e| panic!("{label} after {delay_ms}ms: {e:#}"));
            for e in &st.migrations {
                assert!(
                    matches!(e.state, State::Applied | State::Pending),
                    "{label} after {delay_ms}ms: {:?} is {:?}",
                    e.name,
                    e.state
                );
                let table = table_of(e.name.as_deref().unwrap());
                assert_eq!(
                    table_exists(&db, table),
                    e.state == State::Applied,
                    "{label} after {delay_ms}ms: table {table} vs state {:?}",
                    e.state
                );
            }
        }
        let r = authctl(&db, &["migrate"]);
        assert_eq!(r.code, 0, "{label}: after kills\n{r}");
        assert_eq!(applied_rows(&db), 4, "{label}");
        assert_eq!(checksum_rows(&db), 4, "{label}");
    }
}

/// `with_migration_lock` (SQLite) reports a held lock by attaching `Error::busy` as
/// anyhow context, and src/error.rs documents `.context(Error::…)` as a way to set
/// the exit code: `exit_code` must find an `Error` given as context.
#[test]
fn exit_code_finds_an_error_attached_as_context() {
    let e = anyhow::Error::new(std::io::Error::other("low-level cause"))
        .context(authctl::Error::busy("another authctl is migrating"));
    assert_eq!(exit_code(&e), ExitCode::Busy, "{e:#}");
}

/// An application transaction holding a lock the migration's DDL needs: the DDL gives
/// up after `lock_timeout` (AUTHCTL_LOCK_TIMEOUT) instead of queueing the application
/// behind it, and that is "busy, retry later" (75), not an internal error.
fn assert_ddl_lock_timeout_is_busy(db: &TestDb, args: &[&str]) {
    let mut app = db.connect();
    app.batch_execute("BEGIN; LOCK TABLE users IN ROW EXCLUSIVE MODE")
        .expect("application lock");
    let started = Instant::now();
    let r = run(db.authctl().env("AUTHCTL_LOCK_TIMEOUT", "1s").args(args));
    let elapsed = started.elapsed();
    assert_eq!(r.code, 75, "{args:?}: expected busy\n{r}");
    assert!(r.stderr.contains("lock timeout"), "{args:?}: cause\n{r}");
    assert!(
        elapsed < Duration::from_secs(10),
        "{args:?}: took {elapsed:?} despite a 1s lock_timeout"
    );
    app.batch_execute("ROLLBACK").unwrap();
}

#[test]
fn migrate_blocked_by_an_application_lock_is_busy() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    migrations::revert(&mut db.migrated(), 1, &Default::default()).expect("revert");
    assert_ddl_lock_timeout_is_busy(&db, &["migrate"]);
    assert!(!table_exists(&db, "audit_events"), "half applied");
    assert_eq!(applied_rows(&db), 3);
    assert_eq!(checksum_rows(&db), 3);
}

#[test]
fn revert_blocked_by_an_application_lock_is_busy() {
    let Some(db) = TestDb::postgres() else {
        return;
    };
    db.migrated();
    assert_ddl_lock_timeout_is_busy(&db, &["--yes", "migrate", "revert"]);
    assert!(table_exists(&db, "audit_events"), "half reverted");
    assert_eq!(applied_rows(&db), 4);
    assert_eq!(checksum_rows(&db), 4);
}

#[test]
fn quiet_migrate_prints_nothing() {
    for db in TestDb::all() {
        let label = db.label();
        let r = authctl(&db, &["-q", "migrate"]);
        assert_eq!(r.code, 0, "{label}\n{r}");
        assert!(
            r.stdout.is_empty() && r.stderr.is_empty(),
            "{label}: -q\n{r}"
        );
        assert_eq!(applied_rows(&db), 4, "{label}");
    }
}

// `audit list` is a data command: it connects with `Context::connect_ready`.

#[test]
fn data_command_auto_migrates_sqlite_with_a_notice() {
    let db = TestDb::sqlite();
    let r = authctl(&db, &["audit", "list"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        r.stderr.contains("applied 4 pending migration(s)"),
        "notice on stderr\n{r}"
    );
    assert_eq!(applied_rows(&db), 4);
    assert_eq!(checksum_rows(&db), 4);

    let r = authctl(&db, &["audit", "list"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(
        !r.stderr.contains("applied"),
        "second run migrated again\n{r}"
    );
}

#[test]
fn data_command_auto_migrates_sqlite_quietly_with_q() {
    let db = TestDb::sqlite();
    let r = authctl(&db, &["-q", "audit", "list"]);
    assert_eq!(r.code, 0, "{r}");
    assert!(r.stderr.is_empty(), "-q\n{r}");
    assert_eq!(applied_rows(&db), 4);
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
            .contains("4 pending migrations — run `authctl migrate`"),
        "{r}"
    );
    assert!(!table_exists(&db, "users"), "applied anyway");
    assert!(!table_exists(&db, "__diesel_schema_migrations"));
}

#[test]
fn data_command_refuses_edited_or_newer_migrations() {
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        corrupt_checksum(&db);
        let r = authctl(&db, &["audit", "list"]);
        assert_eq!(r.code, 65, "{label}: edited\n{r}");
    }
    for db in TestDb::all() {
        let label = db.label();
        db.migrated();
        db.exec(&format!(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('{NEWER_VERSION}')"
        ));
        let r = authctl(&db, &["audit", "list"]);
        assert_eq!(r.code, 65, "{label}: newer\n{r}");
        assert!(r.stderr.contains(NEWER_VERSION), "{label}\n{r}");
    }
}
