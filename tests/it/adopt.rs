//! The application's schema both ways, on a real PostgreSQL server with the
//! application's own runner and SQL (the node fixture in `tests/app/`):
//! - authctl adopts a database the application migrated (fully or in part),
//!   refuses one whose columns do not fit (nothing changed), never writes its own
//!   versions into the application's ledger and never reverts the application's
//!   steps;
//! - the application runs on a database authctl created: its runner skips the auth
//!   steps and succeeds, its repository SQL works unchanged.

use crate::common;

use serde_json::Value;

use crate::common::{PgDb, Run, TestDb, app_ok, authctl, count};

const AUTH_STEPS: [&str; 4] = [
    "005_create_users_table",
    "006_create_auth_tables",
    "007_create_refresh_tokens_table",
    "008_create_login_sessions_table",
];

fn run(pg: &PgDb, args: &[&str]) -> Run {
    common::run(authctl().arg("--database-url").arg(&pg.url).args(args))
}

#[track_caller]
fn code(o: &Run, expected: i32, what: &str) {
    assert_eq!(o.code, expected, "{what}: {o}");
}

#[track_caller]
fn json(o: &Run) -> Value {
    o.json()
}

fn strings(v: &Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

/// The application's ledger, sorted.
fn ledger(pg: &PgDb) -> Vec<String> {
    pg.strings("SELECT version::text AS v FROM schema_migrations ORDER BY 1")
}

fn table_exists(pg: &PgDb, table: &str) -> bool {
    pg.has_table(table)
}

/// `authctl migrate -o json` on `pg`, asserting success.
fn migrate(pg: &PgDb) -> Value {
    let o = run(pg, &["-o", "json", "migrate"]);
    code(&o, 0, "authctl migrate");
    json(&o)
}

fn states(pg: &PgDb) -> Vec<(String, String, String)> {
    let o = run(pg, &["-o", "json", "migrate", "status"]);
    code(&o, 0, "migrate status");
    json(&o)["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["origin"].as_str().unwrap().to_owned(),
                e["version"].as_str().unwrap().to_owned(),
                e["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn adopts_a_database_the_application_migrated() {
    let Some(pg) = PgDb::app_migrated(None) else {
        return;
    };
    // Data written the application's way before authctl ever saw the database.
    let user = app_ok(
        &pg.url,
        &["register", "early@example.com", "Early Bird"],
        "Early pass 1\n",
        0,
    );
    assert!(user["userId"].is_string());
    let before = ledger(&pg);
    assert!(
        before.contains(&"001_create_reports_table".to_owned()),
        "{before:?}"
    );

    // Other commands refuse until the adoption ran, and say what to do.
    let o = run(&pg, &["users", "list"]);
    code(&o, 78, "users list before adoption");
    assert!(o.stderr.contains("authctl migrate"));

    let report = migrate(&pg);
    assert_eq!(strings(&report["adopted"]), AUTH_STEPS);
    assert_eq!(strings(&report["created"]), Vec::<String>::new());
    assert_eq!(report["applied"].as_array().unwrap().len(), 2, "{report}");
    // authctl's own versions never go into the application's ledger.
    assert_eq!(ledger(&pg), before);

    for (origin, version, state) in states(&pg) {
        match origin.as_str() {
            "application" => assert_eq!(state, "adopted", "{version}"),
            _ => assert_eq!(state, "applied", "{version}"),
        }
    }
    // Idempotent.
    let again = migrate(&pg);
    assert_eq!(strings(&again["adopted"]), Vec::<String>::new());

    let o = run(&pg, &["-o", "json", "users", "list"]);
    code(&o, 0, "users list after adoption");
    assert!(o.stdout.contains("early@example.com"));
}

#[test]
fn partly_migrated_database_gets_the_missing_steps_the_applications_way() {
    let Some(pg) = PgDb::app_migrated(Some("005,007")) else {
        return;
    };
    assert!(!table_exists(&pg, "login_sessions"));
    // The dry run says what migrate will do with each step: adopt what the
    // application ran, create what it did not, apply authctl's own.
    let dry = run(&pg, &["-o", "json", "migrate", "--dry-run"]);
    code(&dry, 0, "migrate --dry-run");
    let plan: Vec<(String, String)> = json(&dry)["plan"]
        .as_array()
        .expect("plan")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let action = |name: &str| {
        plan.iter()
            .find(|(n, _)| n == name)
            .map(|(_, a)| a.clone())
            .unwrap_or_else(|| panic!("{name} not in {plan:?}"))
    };
    assert_eq!(action("005_create_users_table"), "adopt");
    assert_eq!(action("007_create_refresh_tokens_table"), "adopt");
    assert_eq!(action("006_create_auth_tables"), "create");
    assert_eq!(action("008_create_login_sessions_table"), "create");
    assert!(plan.iter().any(|(_, a)| a == "apply"), "{plan:?}");
    assert!(
        !table_exists(&pg, "login_sessions"),
        "the dry run changed nothing"
    );
    let text = run(&pg, &["migrate", "--dry-run"]);
    let out = text.stdout.clone();
    assert!(
        out.contains("pending 005_create_users_table (adopt:"),
        "{out}"
    );
    assert!(
        out.contains("pending 008_create_login_sessions_table (create:"),
        "{out}"
    );
    let report = migrate(&pg);
    assert_eq!(
        strings(&report["adopted"]),
        ["005_create_users_table", "007_create_refresh_tokens_table"]
    );
    assert_eq!(
        strings(&report["created"]),
        ["006_create_auth_tables", "008_create_login_sessions_table"]
    );
    assert_eq!(ledger(&pg), AUTH_STEPS);
    // The application's runner now skips every auth step and runs only its others.
    let ran = app_ok(&pg.url, &["migrate"], "", 0);
    assert_eq!(
        strings(&ran["executed"]),
        ["001_create_reports_table", "009_create_report_notes"]
    );
    for step in AUTH_STEPS {
        assert!(strings(&ran["skipped"]).contains(&step.to_owned()), "{ran}");
    }
    // And every statement of its repositories works on what authctl created.
    app_ok(&pg.url, &["sql-smoke"], "", 0);
}

#[test]
fn application_runs_on_a_database_authctl_created() {
    let Some(pg) = PgDb::create() else { return };
    let report = migrate(&pg);
    assert_eq!(strings(&report["created"]), AUTH_STEPS);
    assert_eq!(ledger(&pg), AUTH_STEPS);
    for (origin, version, state) in states(&pg) {
        assert_eq!(state, "applied", "{origin} {version}");
    }

    // The same schema as the application's own migrations build, object for object.
    let Some(reference) = PgDb::app_migrated(Some("005,006,007,008")) else {
        return;
    };
    let ours = app_ok(&pg.url, &["schema-dump"], "", 0);
    let theirs = app_ok(&reference.url, &["schema-dump"], "", 0);
    assert_eq!(
        ours, theirs,
        "authctl's schema differs from the application's"
    );

    let ran = app_ok(&pg.url, &["migrate"], "", 0);
    assert_eq!(
        strings(&ran["executed"]),
        ["001_create_reports_table", "009_create_report_notes"]
    );
    app_ok(&pg.url, &["sql-smoke"], "", 0);
    let id = app_ok(
        &pg.url,
        &["register", "app@example.com", "App User"],
        "App pass 42\n",
        0,
    );
    let login = app_ok(&pg.url, &["login", "app@example.com"], "App pass 42\n", 0);
    assert_eq!(login["userId"], id["userId"]);
    app_ok(
        &pg.url,
        &["refresh", login["refreshToken"].as_str().unwrap()],
        "",
        0,
    );
}

#[test]
fn a_column_authctl_relies_on_that_does_not_fit_is_refused_and_nothing_changes() {
    let Some(pg) = PgDb::app_migrated(None) else {
        return;
    };
    pg.psql(
        "ALTER TABLE refresh_tokens ALTER COLUMN ip_address TYPE text; \
         ALTER TABLE users DROP COLUMN name;",
    );
    let before = ledger(&pg);
    let o = run(&pg, &["migrate"]);
    code(&o, 65, "migrate on a mismatched schema");
    let err = o.stderr.clone();
    assert!(
        err.contains("refresh_tokens.ip_address expected inet, found text"),
        "{err}"
    );
    assert!(err.contains("users.name expected"), "{err}");
    assert!(err.contains("no such column"), "{err}");
    // Nothing changed: no bookkeeping, no audit table, the ledger as it was.
    for t in [
        "__authctl_app_steps",
        "__diesel_schema_migrations",
        "authctl_audit_events",
    ] {
        assert!(!table_exists(&pg, t), "{t} was created");
    }
    assert_eq!(ledger(&pg), before);
}

#[test]
fn the_ledger_claiming_a_missing_table_is_refused() {
    let Some(pg) = PgDb::app_migrated(None) else {
        return;
    };
    pg.psql("DROP TABLE login_sessions");
    let o = run(&pg, &["migrate"]);
    code(&o, 65, "migrate with a missing table");
    assert!(o.stderr.contains("login_sessions does not exist"));
    assert!(!table_exists(&pg, "login_sessions"));
}

#[test]
fn revert_never_drops_the_applications_tables_unless_told_and_never_adopted_ones() {
    // authctl created the auth steps: reverting them needs --destroy-data.
    let Some(pg) = PgDb::create() else { return };
    migrate(&pg);
    let o = run(&pg, &["--yes", "migrate", "revert", "--all"]);
    code(&o, 64, "revert --all without --destroy-data");
    assert!(o.stderr.contains("--destroy-data"));
    assert!(
        table_exists(&pg, "authctl_audit_events"),
        "nothing reverted"
    );
    assert!(table_exists(&pg, "users"));

    let o = run(
        &pg,
        &["--yes", "migrate", "revert", "--all", "--destroy-data"],
    );
    code(&o, 0, "revert --all --destroy-data");
    for t in [
        "users",
        "refresh_tokens",
        "login_sessions",
        "auth_attempts",
        "authctl_audit_events",
    ] {
        assert!(!table_exists(&pg, t), "{t} still exists");
    }
    assert_eq!(ledger(&pg), Vec::<String>::new());

    // The application ran its steps: authctl reverts only its own migration.
    let Some(app) = PgDb::app_migrated(None) else {
        return;
    };
    migrate(&app);
    let o = run(
        &app,
        &["--yes", "migrate", "revert", "--all", "--destroy-data"],
    );
    code(&o, 65, "revert of adopted steps");
    assert!(o.stderr.contains("never reverts"));
    assert!(
        table_exists(&app, "authctl_audit_events"),
        "nothing reverted"
    );
    // authctl's own two migrations (the purge-run record, then the audit trail).
    let o = run(
        &app,
        &["--yes", "-o", "json", "migrate", "revert", "--steps", "2"],
    );
    code(&o, 0, "revert authctl's own steps");
    assert_eq!(json(&o)["reverted"].as_array().unwrap().len(), 2);
    assert!(!table_exists(&app, "authctl_purge_runs"));
    assert!(!table_exists(&app, "authctl_audit_events"));
    assert!(table_exists(&app, "users"));
}

#[test]
fn the_applications_rollback_removes_its_newest_row_and_authctl_restores_it() {
    let Some(pg) = PgDb::create() else { return };
    if !common::has_app() {
        return;
    }
    migrate(&pg);
    let rolled = app_ok(&pg.url, &["rollback"], "", 0);
    assert_eq!(rolled["rolledBack"], "008_create_login_sessions_table");
    // The tables are still there (the application's rollback only edits its
    // ledger); authctl adopts them and puts the row back, so the application's
    // runner does not fail re-creating them.
    let report = migrate(&pg);
    assert_eq!(
        strings(&report["adopted"]),
        ["008_create_login_sessions_table"]
    );
    assert_eq!(ledger(&pg), AUTH_STEPS);
    app_ok(&pg.url, &["migrate"], "", 0);
}

/// `migrate --dry-run -o json`: each step's (name, action).
fn plan(pg: &PgDb) -> Vec<(String, String)> {
    let dry = run(pg, &["-o", "json", "migrate", "--dry-run"]);
    code(&dry, 0, "migrate --dry-run");
    json(&dry)["plan"]
        .as_array()
        .expect("plan")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_owned(),
                p["action"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// After the application's rollback (ledger row gone, tables still there) the
/// plan says what the run then does: adopt the step, not create it.
#[test]
fn after_the_applications_rollback_the_plan_is_what_migrate_does() {
    let Some(pg) = PgDb::create() else { return };
    if !common::has_app() {
        return;
    }
    migrate(&pg);
    let rolled = app_ok(&pg.url, &["rollback"], "", 0);
    assert_eq!(rolled["rolledBack"], "008_create_login_sessions_table");
    assert_eq!(
        plan(&pg),
        [(
            "008_create_login_sessions_table".to_owned(),
            "adopt".to_owned()
        )]
    );
    // `migrate status` tells the same: pending, and what migrate does with it.
    let st = run(&pg, &["-o", "json", "migrate", "status"]);
    code(&st, 0, "migrate status");
    let pending: Vec<(String, String)> = json(&st)["migrations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["state"] == "pending")
        .map(|m| {
            (
                m["version"].as_str().unwrap().to_owned(),
                m["on_migrate"].as_str().unwrap_or("(none)").to_owned(),
            )
        })
        .collect();
    assert_eq!(pending, plan(&pg), "status agrees with the plan: {st}");
    let st = run(&pg, &["migrate", "status"]);
    code(&st, 0, "migrate status");
    let line = st
        .stdout
        .lines()
        .find(|l| l.contains("008_create_login_sessions_table"))
        .unwrap_or_else(|| panic!("{st}"))
        .to_owned();
    assert!(line.contains("migrate adopts them"), "{line}");
    let o = run(&pg, &["migrate", "--check"]);
    code(&o, 1, "migrate --check");
    assert!(
        o.stdout
            .contains("pending 008_create_login_sessions_table (adopt:"),
        "{o}"
    );
    assert!(!o.stdout.contains("create:"), "{o}");
    let report = migrate(&pg);
    assert_eq!(
        strings(&report["adopted"]),
        ["008_create_login_sessions_table"]
    );
    assert_eq!(strings(&report["created"]), Vec::<String>::new());
    assert!(plan(&pg).is_empty(), "current afterwards");
}

/// The application's ledger is `timestamp without time zone`, written by `DEFAULT
/// NOW()` as local time in the database's zone: `migrate status` reads it in that
/// zone (not as UTC), and the rows authctl writes use the same zone, so the
/// application's rollback still removes the newest step.
#[test]
fn the_ledger_is_read_and_written_in_the_databases_time_zone() {
    let Some(pg) = PgDb::create() else { return };
    if !common::has_app() {
        return;
    }
    pg.admin(&format!(
        "ALTER DATABASE {} SET timezone = 'Asia/Kolkata'",
        pg.name
    ));
    app_ok(&pg.url, &["migrate", "--only", "005"], "", 0);
    let report = migrate(&pg);
    assert_eq!(strings(&report["adopted"]), ["005_create_users_table"]);
    assert_eq!(report["created"].as_array().unwrap().len(), 3, "{report}");

    let server_now = pg
        .strings("SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS v");
    let server_now = chrono::DateTime::parse_from_rfc3339(&server_now[0]).unwrap();
    let o = run(&pg, &["-o", "json", "migrate", "status"]);
    code(&o, 0, "migrate status");
    let entries = json(&o)["migrations"].as_array().unwrap().clone();
    for e in entries.iter().filter(|e| e["origin"] == "application") {
        let at = e["applied_at"].as_str().unwrap_or_else(|| panic!("{e}"));
        let at = chrono::DateTime::parse_from_rfc3339(at).unwrap_or_else(|x| panic!("{at}: {x}"));
        let off = (server_now - at).num_seconds().abs();
        assert!(off < 300, "{e}: {off} s from the server's now {server_now}");
    }
    // The newest row is the last step authctl created, not the application's 005.
    let rolled = app_ok(&pg.url, &["rollback"], "", 0);
    assert_eq!(rolled["rolledBack"], "008_create_login_sessions_table");
}

#[test]
fn old_layout_sqlite_file_is_refused_with_its_name() {
    let db = crate::common::SqliteDb::new();
    let path = db.path.display().to_string();
    let mut c = authctl::db::connect(&authctl::db::ConnectOptions::new(
        authctl::db::DatabaseTarget::parse(&path).unwrap(),
    ))
    .unwrap();
    c.batch_execute(
        "CREATE TABLE __diesel_schema_migrations (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
         INSERT INTO __diesel_schema_migrations (version) VALUES ('20261128000001'), ('20261128000002');
         CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, display_name TEXT);
         INSERT INTO users (email) VALUES ('old@example.com');",
    )
    .unwrap();
    drop(c);
    for args in [vec!["users", "list"], vec!["migrate"]] {
        let o = common::run(authctl().arg("--database-url").arg(&path).args(&args));
        code(&o, 65, &format!("{args:?} on an old-layout file"));
        let err = o.stderr.clone();
        assert!(err.contains(&path), "names the file: {err}");
        assert!(err.contains("earlier authctl"), "{err}");
    }
    // Untouched.
    let db = TestDb::Sqlite(db);
    assert_eq!(count(&db, "SELECT count(*) AS n FROM users"), 1);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) AS n FROM sqlite_master WHERE name = 'authctl_audit_events'"
        ),
        0
    );
}
