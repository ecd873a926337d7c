//! Migrations: the application's auth steps and authctl's own, embedded per
//! backend and run under a database lock.
//!
//! **Application steps** (`migrations/<backend>/app/005…008`) create the
//! application's tables exactly as its own migrations do. Their ledger is the
//! application's `schema_migrations` (created as the application's runner creates
//! it): a step the application already ran is *adopted* — its tables are checked
//! for every column authctl relies on ([`super::contract`]) and the adoption is
//! recorded in `__authctl_app_steps`; a missing step is *created* by authctl and
//! its version inserted into `schema_migrations`, so the application's runner
//! skips it afterwards. The whole application phase is one transaction: a
//! mismatch changes nothing.
//!
//! **authctl's own migrations** (the audit trail, …) are additive. They are
//! recorded in diesel's `__diesel_schema_migrations` (never in
//! `schema_migrations`, whose newest row the application's rollback deletes) with
//! the SHA-256 of each applied `up.sql` in `__authctl_migration_checksums`.
//!
//! Runners are serialized and every run is one transaction: on PostgreSQL holding
//! a transaction-scoped advisory lock (safe behind a transaction-pooling
//! PgBouncer), on SQLite as one `BEGIN IMMEDIATE` transaction.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use anyhow::Context;
use diesel::backend::Backend as DieselBackend;
use diesel::connection::BoxableConnection;
use diesel::migration::{MigrationMetadata, MigrationName, MigrationVersion};
use diesel::prelude::*;
use diesel::sql_types::Text;
use diesel_migrations::MigrationHarness;
use sha2::{Digest, Sha256};

use crate::db::{Backend, DbConn, UtcDateTime, contract, pg, sqlite};
use crate::error::{Error, ExitCode};
use crate::with_conn;

/// Table holding the checksum of every applied migration.
pub const CHECKSUM_TABLE: &str = "__authctl_migration_checksums";
const DIESEL_TABLE: &str = "__diesel_schema_migrations";
/// Advisory lock key for migrations (`'authctl:migrate'` folded into an i64).
const PG_MIGRATION_LOCK: i64 = 0x6175_7468_6d69_6772; // "authmigr"

/// One migration as embedded in the binary.
#[derive(Debug)]
pub struct Migration {
    /// Directory name, e.g. `2026-11-28-000001_create_users`.
    pub name: &'static str,
    pub up: &'static str,
    pub down: &'static str,
}

mod embedded {
    use super::Migration;
    include!(concat!(env!("OUT_DIR"), "/embedded_migrations.rs"));
}

impl Migration {
    /// Diesel's version: the digits of the name before the first `_`.
    pub fn version(&self) -> String {
        self.name
            .split('_')
            .next()
            .unwrap_or_default()
            .replace('-', "")
    }
    /// SHA-256 (hex) of `up.sql` as embedded.
    pub fn checksum(&self) -> String {
        hex::encode(Sha256::digest(self.up.as_bytes()))
    }
}

/// The migrations this binary embeds for `backend`, oldest first.
pub fn embedded(backend: Backend) -> &'static [Migration] {
    match backend {
        Backend::Postgres => embedded::POSTGRES,
        Backend::Sqlite => embedded::SQLITE,
    }
}

/// The application's migration ledger, as its runner creates it.
pub const APP_LEDGER: &str = "schema_migrations";
/// Which application steps authctl adopted or created (authctl's own bookkeeping).
pub const APP_STEPS_TABLE: &str = "__authctl_app_steps";
/// Version prefix of the first authctl layout (its own schema with integer ids,
/// before authctl adopted the application's schema).
const OLD_LAYOUT_PREFIX: &str = "20261128";

/// The application's auth steps this binary embeds for `backend`, oldest first.
/// Their `name` is the application's version (`005_create_users_table`).
pub fn embedded_app(backend: Backend) -> &'static [Migration] {
    match backend {
        Backend::Postgres => embedded::POSTGRES_APP,
        Backend::Sqlite => embedded::SQLITE_APP,
    }
}

/// Whose migration an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// One of the application's auth steps (ledger: `schema_migrations`).
    Application,
    /// authctl's own (ledger: `__diesel_schema_migrations`).
    Authctl,
}

/// The state of one migration in one database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Applied by authctl (its checksum matches, or an application step authctl created).
    Applied,
    /// An application step the application ran, checked and adopted by authctl.
    Adopted,
    /// An application step the application ran that authctl has not checked yet:
    /// `authctl migrate` checks and adopts it.
    Unadopted,
    /// Applied (e.g. by the diesel CLI) but no checksum recorded yet; `migrate` records it.
    Unverified,
    /// Applied, but the embedded `up.sql` differs from what was applied.
    Modified,
    /// Not applied yet.
    Pending,
    /// Applied in the database but unknown to this binary (the database is newer).
    Unknown,
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            State::Applied => "applied",
            State::Adopted => "adopted (run by the application)",
            State::Unadopted => "run by the application, not yet adopted",
            State::Unverified => "applied (checksum not yet recorded)",
            State::Modified => "MODIFIED since applied",
            State::Pending => "pending",
            State::Unknown => "unknown to this authctl",
        })
    }
}

/// One row of `migrate status`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Entry {
    pub origin: Origin,
    pub version: String,
    /// `None` for versions this binary does not know.
    pub name: Option<String>,
    pub state: State,
    pub applied_at: Option<UtcDateTime>,
    /// Checksum recorded in the database when it was applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_checksum: Option<String>,
    /// Checksum of the migration embedded in this binary.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub embedded_checksum: Option<String>,
    /// For a pending migration, what `authctl migrate` will do with it — the
    /// decision [`plan`] takes: `adopt` an application step whose tables exist
    /// (the application's rollback removes only its ledger row), `create` one
    /// nothing of which exists, `apply` one of authctl's. `None` when migrate
    /// refuses it (some of its tables exist, not all) or nothing is pending.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_migrate: Option<Action>,
}

impl Entry {
    /// The state as `migrate status` shows it, with what a pending step becomes.
    pub fn state_text(&self) -> String {
        match (self.state, self.on_migrate) {
            (State::Pending, Some(Action::Adopt)) => {
                "pending: its tables exist, migrate adopts them".to_owned()
            }
            (State::Pending, None) if self.origin == Origin::Application => {
                "pending: some of its tables exist, migrate refuses".to_owned()
            }
            (state, _) => state.to_string(),
        }
    }
}

/// Applied and pending migrations of a database: the application's steps, then
/// authctl's own, oldest first.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    pub backend: Backend,
    pub migrations: Vec<Entry>,
}

impl Status {
    /// The status of a database that does not exist yet: everything pending.
    pub fn missing(backend: Backend) -> Status {
        let app = embedded_app(backend).iter().map(|m| Entry {
            origin: Origin::Application,
            version: m.name.to_owned(),
            name: Some(m.name.to_owned()),
            state: State::Pending,
            applied_at: None,
            recorded_checksum: None,
            embedded_checksum: None,
            on_migrate: Some(Action::Create),
        });
        let own = embedded(backend).iter().map(|m| Entry {
            origin: Origin::Authctl,
            version: m.version(),
            name: Some(m.name.to_owned()),
            state: State::Pending,
            applied_at: None,
            recorded_checksum: None,
            embedded_checksum: Some(m.checksum()),
            on_migrate: Some(Action::Apply),
        });
        Status {
            backend,
            migrations: app.chain(own).collect(),
        }
    }

    pub fn count(&self, state: State) -> usize {
        self.migrations.iter().filter(|e| e.state == state).count()
    }
    /// What `authctl migrate` would do: apply, create or adopt.
    pub fn pending(&self) -> impl Iterator<Item = &Entry> {
        self.migrations
            .iter()
            .filter(|e| matches!(e.state, State::Pending | State::Unadopted))
    }
    /// True when every embedded migration is applied or adopted and nothing is wrong.
    pub fn is_current(&self) -> bool {
        self.migrations
            .iter()
            .all(|e| matches!(e.state, State::Applied | State::Adopted | State::Unverified))
    }
    /// An error when applied migrations were edited, the database is newer than
    /// this binary or has the first authctl layout: all refuse every command
    /// except `migrate status`.
    pub fn integrity_error(&self) -> Option<Error> {
        let modified: Vec<&Entry> = self
            .migrations
            .iter()
            .filter(|e| e.state == State::Modified)
            .collect();
        if !modified.is_empty() {
            let list = modified
                .iter()
                .map(|e| {
                    format!(
                        "{} (applied checksum {}, embedded {})",
                        e.name.as_deref().unwrap_or(&e.version),
                        short(e.recorded_checksum.as_deref()),
                        short(e.embedded_checksum.as_deref())
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            return Some(Error::data(format!(
                "applied migrations differ from the ones in this authctl: {list}. Applied migrations must never be edited; \
                 restore the original files or add a new migration"
            )));
        }
        let unknown: Vec<&str> = self
            .migrations
            .iter()
            .filter(|e| e.state == State::Unknown)
            .map(|e| e.version.as_str())
            .collect();
        if unknown.iter().any(|v| v.starts_with(OLD_LAYOUT_PREFIX)) {
            return Some(Error::data(
                "this database has the layout of an earlier authctl (its own schema with integer ids and hashed tokens), \
                 not the application's schema that authctl now administers. Nothing was changed. Keep it as a backup \
                 (for SQLite: move the file aside, e.g. `mv FILE FILE.old`) and run `authctl migrate` on a new or \
                 application-migrated database",
            ));
        }
        if !unknown.is_empty() {
            return Some(Error::data(format!(
                "the database has {} migration(s) this authctl does not know ({}): it was migrated by a newer authctl; upgrade authctl",
                unknown.len(),
                unknown.join(", ")
            )));
        }
        None
    }
}

#[derive(QueryableByName)]
struct AppliedRow {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = Text)]
    run_on: String,
}

#[derive(QueryableByName)]
struct ChecksumRow {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = Text)]
    checksum: String,
}

/// Does `table` exist? (Read-only; status must not create anything.)
pub fn table_exists(conn: &mut DbConn, table: &str) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let row: Exists = match conn {
        DbConn::Postgres(c) => diesel::sql_query(
            "SELECT count(*) AS n FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1",
        )
        .bind::<Text, _>(table)
        .get_result(c)?,
        DbConn::Sqlite(c) => diesel::sql_query(
            "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
        )
        .bind::<Text, _>(table)
        .get_result(c)?,
    };
    Ok(row.n > 0)
}

/// Read the migration state without changing anything.
pub fn status(conn: &mut DbConn) -> anyhow::Result<Status> {
    let backend = conn.backend();
    let app_ledger: HashMap<String, Option<UtcDateTime>> = if table_exists(conn, APP_LEDGER)? {
        let run_on = match backend {
            Backend::Postgres => pg::ledger_time_as_utc_text("executed_at"),
            Backend::Sqlite => "CAST(executed_at AS TEXT)".to_owned(),
        };
        let sql = format!(
            "SELECT CAST(version AS TEXT) AS version, {run_on} AS run_on FROM {APP_LEDGER}"
        );
        let rows: Vec<AppliedRow> = with_conn!(conn, c => diesel::sql_query(&sql).load(c))
            .with_context(|| {
                format!("cannot read the application's migration ledger {APP_LEDGER}")
            })?;
        rows.into_iter()
            .map(|r| (r.version, UtcDateTime::parse_text(&r.run_on)))
            .collect()
    } else {
        HashMap::new()
    };
    let app_steps: HashMap<String, String> = if table_exists(conn, APP_STEPS_TABLE)? {
        let sql = format!("SELECT version, origin AS checksum FROM {APP_STEPS_TABLE}");
        let rows: Vec<ChecksumRow> = with_conn!(conn, c => diesel::sql_query(&sql).load(c))?;
        rows.into_iter().map(|r| (r.version, r.checksum)).collect()
    } else {
        HashMap::new()
    };
    let mut entries = Vec::new();
    for m in embedded_app(backend) {
        let in_ledger = app_ledger.contains_key(m.name);
        let state = match (in_ledger, app_steps.get(m.name).map(String::as_str)) {
            (true, Some(ORIGIN_CREATED)) => State::Applied,
            (true, Some(_)) => State::Adopted,
            (true, None) => State::Unadopted,
            (false, _) => State::Pending,
        };
        // What migrate does with a step missing from the ledger: the same
        // test of its tables as `app_plan` (kept in step with it by a test).
        let on_migrate = if state == State::Pending {
            let tables = contract::tables_of(m.name);
            let mut present = 0;
            for t in tables {
                if table_exists(conn, t)? {
                    present += 1;
                }
            }
            match present {
                0 => Some(Action::Create),
                n if n == tables.len() => Some(Action::Adopt),
                _ => None,
            }
        } else {
            None
        };
        entries.push(Entry {
            origin: Origin::Application,
            version: m.name.to_owned(),
            name: Some(m.name.to_owned()),
            state,
            applied_at: app_ledger.get(m.name).copied().flatten(),
            recorded_checksum: None,
            embedded_checksum: None,
            on_migrate,
        });
    }

    let applied: Vec<AppliedRow> = if table_exists(conn, DIESEL_TABLE)? {
        let sql = format!("SELECT version, CAST(run_on AS TEXT) AS run_on FROM {DIESEL_TABLE}");
        with_conn!(conn, c => diesel::sql_query(&sql).load(c))?
    } else {
        Vec::new()
    };
    let checksums: HashMap<String, String> = if table_exists(conn, CHECKSUM_TABLE)? {
        let sql = format!("SELECT version, checksum FROM {CHECKSUM_TABLE}");
        let rows: Vec<ChecksumRow> = with_conn!(conn, c => diesel::sql_query(&sql).load(c))?;
        rows.into_iter().map(|r| (r.version, r.checksum)).collect()
    } else {
        HashMap::new()
    };
    let applied: HashMap<String, Option<UtcDateTime>> = applied
        .into_iter()
        .map(|r| (r.version, UtcDateTime::parse_text(&r.run_on)))
        .collect();

    for m in embedded(backend) {
        let version = m.version();
        let embedded_checksum = m.checksum();
        let recorded = checksums.get(&version).cloned();
        let state = match (applied.contains_key(&version), &recorded) {
            (false, _) => State::Pending,
            (true, None) => State::Unverified,
            (true, Some(r)) if *r == embedded_checksum => State::Applied,
            (true, Some(_)) => State::Modified,
        };
        entries.push(Entry {
            origin: Origin::Authctl,
            applied_at: applied.get(&version).copied().flatten(),
            version,
            name: Some(m.name.to_owned()),
            on_migrate: (state == State::Pending).then_some(Action::Apply),
            state,
            recorded_checksum: recorded,
            embedded_checksum: Some(embedded_checksum),
        });
    }
    let known: Vec<String> = embedded(backend).iter().map(Migration::version).collect();
    let mut unknown: Vec<(&String, &Option<UtcDateTime>)> =
        applied.iter().filter(|(v, _)| !known.contains(v)).collect();
    unknown.sort();
    for (version, at) in unknown {
        entries.push(Entry {
            origin: Origin::Authctl,
            version: version.clone(),
            name: None,
            state: State::Unknown,
            applied_at: *at,
            recorded_checksum: checksums.get(version).cloned(),
            embedded_checksum: None,
            on_migrate: None,
        });
    }
    Ok(Status {
        backend,
        migrations: entries,
    })
}

/// How `run`/`revert` behave.
#[derive(Debug, Clone)]
pub struct LockOptions {
    /// How long to wait for another runner's lock before giving up (exit 75).
    pub wait: Duration,
    /// PostgreSQL `lock_timeout` for the DDL itself.
    pub lock_timeout: Duration,
}

impl Default for LockOptions {
    fn default() -> Self {
        LockOptions {
            wait: Duration::from_secs(120),
            lock_timeout: Duration::from_secs(5),
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RunReport {
    /// Application steps the application had run, checked and adopted by this run.
    pub adopted: Vec<String>,
    /// Application steps missing from the database, created by this run (and
    /// recorded in the application's ledger).
    pub created: Vec<String>,
    /// authctl's own migrations applied by this run, oldest first.
    pub applied: Vec<String>,
    /// Migrations applied earlier (e.g. by the diesel CLI) whose checksums this run recorded.
    pub verified: Vec<String>,
}

/// Run `f` while holding the migration lock for this database.
///
/// On PostgreSQL the whole run is **one transaction** holding a transaction-scoped
/// advisory lock (`pg_try_advisory_xact_lock`), with `SET LOCAL lock_timeout` for
/// the DDL: correct behind a transaction-pooling PgBouncer (the transaction keeps
/// its server connection), released by commit, rollback or the runner's death, and
/// all-or-nothing — a failed run leaves nothing half-applied. Runners arriving
/// meanwhile wait up to `opts.wait` and then find nothing pending.
pub fn with_migration_lock<T>(
    conn: &mut DbConn,
    opts: &LockOptions,
    f: impl FnOnce(&mut DbConn) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let busy = |holder: Option<String>| {
        Error::busy(match holder {
            Some(holder) => format!(
                "another authctl is migrating this database: the migration lock is {holder}. \
                 Waited {}; nothing was changed — retry later or raise --lock-wait",
                humantime::format_duration(opts.wait)
            ),
            None => format!(
                "another authctl is migrating this database (waited {} for its lock); retry later",
                humantime::format_duration(opts.wait)
            ),
        })
    };
    match conn {
        DbConn::Postgres(c) => {
            let never = std::sync::atomic::AtomicBool::new(false);
            let lock_timeout = opts.lock_timeout;
            let idle = super::lock::IDLE_LIMIT.as_millis();
            let prepare = move |c: &mut diesel::pg::PgConnection| {
                pg::set_local_lock_timeout(c, lock_timeout)?;
                diesel::connection::SimpleConnection::batch_execute(
                    c,
                    &format!("SET LOCAL idle_in_transaction_session_timeout = {idle}"),
                )
            };
            if let Err(holder) =
                pg::acquire_xact_lock(c, PG_MIGRATION_LOCK, opts.wait, &never, &prepare)?
            {
                return Err(busy(Some(super::lock::describe_holder(holder.as_ref()))).into());
            }
            // The lock's transaction is open: run `f` in it, then end it.
            match f(conn) {
                Ok(value) => {
                    conn.commit()
                        .context("cannot commit the migration transaction")?;
                    Ok(value)
                }
                Err(e) => {
                    let _ = conn.rollback();
                    Err(e)
                }
            }
        }
        DbConn::Sqlite(c) => {
            let previous = sqlite::busy_timeout(c)?;
            sqlite::set_busy_timeout(c, opts.wait)?;
            let result = conn.transaction(|conn| f(conn)).map_err(|e| {
                if crate::error::exit_code(&e) == ExitCode::Busy {
                    e.context(busy(None))
                } else {
                    e
                }
            });
            if let DbConn::Sqlite(c) = conn {
                let _ = sqlite::set_busy_timeout(c, previous);
            }
            result
        }
    }
}

/// What `authctl migrate` does with one migration ([`plan`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// An application step whose tables exist (the application ran it, or its
    /// rollback removed only the ledger row): check the columns, record the
    /// adoption, put the version back into the ledger when it is missing there.
    Adopt,
    /// An application step nothing of which exists: create it the application's
    /// way and record it in the application's ledger.
    Create,
    /// One of authctl's own migrations.
    Apply,
}

/// One step of [`plan`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    pub name: String,
    pub origin: Origin,
    pub action: Action,
}

/// What `authctl migrate` would do on this database, in order, read without
/// changing anything — by the same code the run executes ([`run_pending`]), so
/// `--check`/`--dry-run` show what the run does, and refuse what it refuses (an
/// edited migration, a half-present step, a table without a column authctl
/// relies on). Empty when the schema is current.
pub fn plan(conn: &mut DbConn) -> anyhow::Result<Vec<Step>> {
    let status = status(conn)?;
    if let Some(e) = status.integrity_error() {
        return Err(e.into());
    }
    Ok(RunPlan::new(conn, &status)?.steps())
}

/// [`plan`] for a database that does not exist yet: every application step
/// created, every authctl migration applied.
pub fn plan_for_missing(backend: Backend) -> Vec<Step> {
    let app = embedded_app(backend).iter().map(|m| Step {
        name: m.name.to_owned(),
        origin: Origin::Application,
        action: Action::Create,
    });
    let own = embedded(backend).iter().map(|m| Step {
        name: m.name.to_owned(),
        origin: Origin::Authctl,
        action: Action::Apply,
    });
    app.chain(own).collect()
}

/// Everything a run will do, decided before anything is written.
struct RunPlan {
    /// Each application step with what to do with it.
    app: Vec<(&'static Migration, StepAction)>,
    /// authctl's own migrations to apply, oldest first.
    own: Vec<&'static Migration>,
    /// Applied migrations whose checksum the run records (name, version, checksum).
    verify: Vec<(String, String, String)>,
}

impl RunPlan {
    /// Decide from `status` and the catalog (which tables exist, their columns).
    fn new(conn: &mut DbConn, status: &Status) -> anyhow::Result<RunPlan> {
        let app = app_plan(conn, status)?;
        let backend = conn.backend();
        let own = embedded(backend)
            .iter()
            .filter(|m| {
                status.migrations.iter().any(|e| {
                    e.origin == Origin::Authctl
                        && e.version == m.version()
                        && e.state == State::Pending
                })
            })
            .collect();
        let verify = status
            .migrations
            .iter()
            .filter(|e| e.state == State::Unverified)
            .map(|e| {
                (
                    e.name.clone().unwrap_or_default(),
                    e.version.clone(),
                    e.embedded_checksum.clone().unwrap_or_default(),
                )
            })
            .collect();
        Ok(RunPlan { app, own, verify })
    }

    fn steps(&self) -> Vec<Step> {
        let app = self.app.iter().filter_map(|(m, action)| {
            let action = match action {
                StepAction::Keep => return None,
                StepAction::Adopt { .. } => Action::Adopt,
                StepAction::Create => Action::Create,
            };
            Some(Step {
                name: m.name.to_owned(),
                origin: Origin::Application,
                action,
            })
        });
        let own = self.own.iter().map(|m| Step {
            name: m.name.to_owned(),
            origin: Origin::Authctl,
            action: Action::Apply,
        });
        app.chain(own).collect()
    }
}

/// Apply every pending migration under the lock: first the application phase
/// (adopt or create its auth steps, one transaction), then authctl's own
/// migrations — exactly the steps [`plan`] lists. Refuses (and applies nothing)
/// when an applied migration was edited, the database is newer than this binary,
/// or an application table lacks a column authctl relies on.
pub fn run_pending(conn: &mut DbConn, opts: &LockOptions) -> anyhow::Result<RunReport> {
    with_migration_lock(conn, opts, |conn| {
        let status = status(conn)?;
        if let Some(e) = status.integrity_error() {
            return Err(e.into());
        }
        let plan = RunPlan::new(conn, &status)?;
        let mut report = conn.transaction(|conn| {
            let mut report = RunReport::default();
            ensure_bookkeeping(conn)?;
            run_app_plan(conn, &plan.app, &mut report)?;
            Ok::<_, anyhow::Error>(report)
        })?;
        for (name, version, checksum) in &plan.verify {
            record_checksum(conn, version, checksum)?;
            report.verified.push(name.clone());
        }
        for m in &plan.own {
            let tracked = Tracked::new(m);
            with_conn!(&mut *conn, c => c.run_migration(&tracked))
                .map_err(harness_error)
                .with_context(|| {
                    format!("migration {} failed; nothing of it was applied", m.name)
                })?;
            report.applied.push(m.name.to_owned());
        }
        Ok(report)
    })
}

/// What the application phase does with one step.
#[derive(Debug, Clone, Copy)]
enum StepAction {
    /// In the ledger and adopted/created before: nothing to do.
    Keep,
    /// Its tables exist (the application ran it): record the adoption, and put the
    /// version back into the ledger when it is missing there.
    Adopt { in_ledger: bool },
    /// Nothing of it exists: create it the application's way.
    Create,
}

/// Decide, for each of the application's steps, whether to keep, adopt or create
/// it; read-only. Every problem is found here, before anything is written.
fn app_plan(
    conn: &mut DbConn,
    status: &Status,
) -> anyhow::Result<Vec<(&'static Migration, StepAction)>> {
    let backend = conn.backend();
    let mut plan = Vec::new();
    let mut mismatches = Vec::new();
    for m in embedded_app(backend) {
        let state = status
            .migrations
            .iter()
            .find(|e| e.origin == Origin::Application && e.version == m.name)
            .map(|e| e.state)
            .unwrap_or(State::Pending);
        let tables = contract::tables_of(m.name);
        let mut present = Vec::new();
        for t in tables {
            if table_exists(conn, t)? {
                present.push(*t);
            }
        }
        let action = match state {
            State::Applied | State::Adopted => StepAction::Keep,
            State::Unadopted if present.len() == tables.len() => {
                StepAction::Adopt { in_ledger: true }
            }
            State::Unadopted => {
                let missing: Vec<&str> = tables
                    .iter()
                    .copied()
                    .filter(|t| !present.contains(t))
                    .collect();
                return Err(Error::data(format!(
                    "{APP_LEDGER} lists {} but table {} does not exist: the database is not in the state its ledger claims. Nothing was changed",
                    m.name,
                    missing.join(", ")
                ))
                .into());
            }
            _ if present.is_empty() => StepAction::Create,
            _ if present.len() == tables.len() => StepAction::Adopt { in_ledger: false },
            _ => {
                return Err(Error::data(format!(
                    "step {} is half there: table {} exists but {} does not, and {APP_LEDGER} does not list the step. Nothing was changed",
                    m.name,
                    present.join(", "),
                    tables.iter().copied().filter(|t| !present.contains(t)).collect::<Vec<_>>().join(", ")
                ))
                .into());
            }
        };
        if !matches!(action, StepAction::Create) {
            mismatches.extend(contract::check(conn, tables)?);
        }
        plan.push((m, action));
    }
    if !mismatches.is_empty() {
        let list = mismatches
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ");
        return Err(Error::data(format!(
            "the application's tables do not have the columns authctl relies on: {list}. Nothing was changed"
        ))
        .into());
    }
    Ok(plan)
}

/// Carry out [`app_plan`] inside the caller's transaction.
fn run_app_plan(
    conn: &mut DbConn,
    plan: &[(&'static Migration, StepAction)],
    report: &mut RunReport,
) -> anyhow::Result<()> {
    for &(m, action) in plan {
        match action {
            StepAction::Keep => {}
            StepAction::Adopt { in_ledger } => {
                if !in_ledger {
                    insert_app_ledger(conn, m.name)?;
                }
                record_app_step(conn, m.name, ORIGIN_ADOPTED)?;
                report.adopted.push(m.name.to_owned());
            }
            StepAction::Create => {
                ensure_app_ledger(conn)?;
                conn.batch_execute(m.up)
                    .map_err(anyhow::Error::new)
                    .with_context(|| format!("creating {} failed; nothing was changed", m.name))?;
                insert_app_ledger(conn, m.name)?;
                record_app_step(conn, m.name, ORIGIN_CREATED)?;
                report.created.push(m.name.to_owned());
            }
        }
    }
    Ok(())
}

const ORIGIN_ADOPTED: &str = "adopted";
const ORIGIN_CREATED: &str = "created";

/// The application's ledger exactly as its runner creates it.
fn ensure_app_ledger(conn: &mut DbConn) -> anyhow::Result<()> {
    let sql = match conn.backend() {
        Backend::Postgres => format!(
            "CREATE TABLE IF NOT EXISTS {APP_LEDGER} (version VARCHAR(255) PRIMARY KEY, executed_at TIMESTAMP DEFAULT NOW())"
        ),
        Backend::Sqlite => format!(
            "CREATE TABLE IF NOT EXISTS {APP_LEDGER} (version VARCHAR(255) PRIMARY KEY, executed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)"
        ),
    };
    conn.batch_execute(&sql)
        .with_context(|| format!("cannot create the application's ledger {APP_LEDGER}"))
}

fn insert_app_ledger(conn: &mut DbConn, version: &str) -> anyhow::Result<()> {
    ensure_app_ledger(conn)?;
    // Distinct, increasing times: the application's rollback removes the newest row.
    // On PostgreSQL the column is `timestamp` (no zone) and the application's
    // `DEFAULT NOW()` writes the local time of its session's zone, the database's
    // default: authctl (whose session is UTC) writes the same zone's local time, so
    // its rows and the application's order by when they were written.
    let sql = match conn.backend() {
        Backend::Postgres => format!(
            "INSERT INTO {APP_LEDGER} (version, executed_at) VALUES ($1, clock_timestamp() AT TIME ZONE {})",
            pg::DATABASE_TIME_ZONE
        ),
        Backend::Sqlite => format!(
            "INSERT INTO {APP_LEDGER} (version, executed_at) VALUES (?, strftime('%Y-%m-%d %H:%M:%f', 'now'))"
        ),
    };
    with_conn!(conn, c => diesel::sql_query(&sql).bind::<Text, _>(version).execute(c))
        .with_context(|| format!("cannot record {version} in {APP_LEDGER}"))?;
    Ok(())
}

fn record_app_step(conn: &mut DbConn, version: &str, origin: &str) -> anyhow::Result<()> {
    let sql = match conn.backend() {
        Backend::Postgres => format!(
            "INSERT INTO {APP_STEPS_TABLE} (version, origin) VALUES ($1, $2) ON CONFLICT (version) DO UPDATE SET origin = EXCLUDED.origin"
        ),
        Backend::Sqlite => format!(
            "INSERT INTO {APP_STEPS_TABLE} (version, origin) VALUES (?, ?) ON CONFLICT (version) DO UPDATE SET origin = excluded.origin"
        ),
    };
    with_conn!(conn, c => diesel::sql_query(&sql)
        .bind::<Text, _>(version)
        .bind::<Text, _>(origin)
        .execute(c))
    .with_context(|| format!("cannot record the {origin} step {version}"))?;
    Ok(())
}

/// What `revert` would undo, newest first: authctl's own applied migrations, then
/// the application's steps. Each item is (origin, name, state).
fn revert_candidates(status: &Status) -> Vec<&Entry> {
    let own = status
        .migrations
        .iter()
        .filter(|e| {
            e.origin == Origin::Authctl && matches!(e.state, State::Applied | State::Unverified)
        })
        .rev();
    let app = status
        .migrations
        .iter()
        .filter(|e| {
            e.origin == Origin::Application && matches!(e.state, State::Applied | State::Adopted)
        })
        .rev();
    own.chain(app).collect()
}

/// Revert the newest `steps` migrations under the lock; returns their names, newest
/// first. The application's steps are reverted only when authctl created them and
/// `destroy_data` is set (they drop the application's tables); steps the
/// application ran are never reverted by authctl. Everything is checked before
/// anything is reverted.
pub fn revert(
    conn: &mut DbConn,
    steps: usize,
    destroy_data: bool,
    opts: &LockOptions,
) -> anyhow::Result<Vec<String>> {
    with_migration_lock(conn, opts, |conn| {
        let status = status(conn)?;
        if let Some(e) = status.integrity_error() {
            return Err(e.into());
        }
        let plan: Vec<Entry> = revert_candidates(&status)
            .into_iter()
            .take(steps)
            .cloned()
            .collect();
        for e in plan.iter().filter(|e| e.origin == Origin::Application) {
            if e.state == State::Adopted {
                return Err(Error::data(format!(
                    "{} was run by the application's own migrations; authctl never reverts it (use the application's tooling). Nothing was reverted",
                    e.version
                ))
                .into());
            }
            if !destroy_data {
                return Err(Error::usage(format!(
                    "reverting {} drops the application's table {} with all its rows; pass --destroy-data to do that. Nothing was reverted",
                    e.version,
                    contract::tables_of(&e.version).join(", ")
                ))
                .into());
            }
        }
        let backend = conn.backend();
        let mut reverted = Vec::new();
        for e in &plan {
            match e.origin {
                Origin::Authctl => {
                    let Some(m) = embedded(backend).iter().find(|m| m.version() == e.version)
                    else {
                        continue;
                    };
                    let tracked = Tracked::new(m);
                    with_conn!(&mut *conn, c => c.revert_migration(&tracked))
                        .map_err(harness_error)
                        .with_context(|| {
                            format!("reverting {} failed; it is still applied", m.name)
                        })?;
                    reverted.push(m.name.to_owned());
                }
                Origin::Application => {
                    let Some(m) = embedded_app(backend).iter().find(|m| m.name == e.version) else {
                        continue;
                    };
                    conn.transaction(|conn| {
                        conn.batch_execute(m.down)?;
                        let version = m.name;
                        for (table, column) in [(APP_LEDGER, "version"), (APP_STEPS_TABLE, "version")] {
                            let sql = match conn.backend() {
                                Backend::Postgres => format!("DELETE FROM {table} WHERE {column} = $1"),
                                Backend::Sqlite => format!("DELETE FROM {table} WHERE {column} = ?"),
                            };
                            with_conn!(&mut *conn, c => diesel::sql_query(&sql).bind::<Text, _>(version).execute(c))?;
                        }
                        Ok::<_, anyhow::Error>(())
                    })
                    .with_context(|| format!("reverting {} failed; it is still applied", m.name))?;
                    reverted.push(m.name.to_owned());
                }
            }
        }
        Ok(reverted)
    })
}

/// The migrations `revert(steps)` would undo, newest first (for confirmation prompts).
pub fn revert_plan(status: &Status, steps: usize) -> Vec<String> {
    revert_candidates(status)
        .into_iter()
        .take(steps)
        .filter_map(|e| e.name.clone())
        .collect()
}

/// Keep the database error inside a harness error visible to `exit_code` (a lock
/// timeout during DDL is "busy", not "internal").
fn harness_error(e: Box<dyn std::error::Error + Send + Sync>) -> anyhow::Error {
    match e.downcast::<diesel::result::Error>() {
        Ok(db) => anyhow::Error::new(*db),
        Err(other) => anyhow::anyhow!("{other}"),
    }
}

fn ensure_bookkeeping(conn: &mut DbConn) -> anyhow::Result<()> {
    // Only ever called under the migration lock, so concurrent CREATEs cannot race.
    let recorded_at = match conn.backend() {
        Backend::Postgres => "TIMESTAMPTZ NOT NULL DEFAULT now()",
        Backend::Sqlite => "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f000', 'now'))",
    };
    let sql = format!(
        "CREATE TABLE IF NOT EXISTS {DIESEL_TABLE} (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
         CREATE TABLE IF NOT EXISTS {CHECKSUM_TABLE} (version VARCHAR(50) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL);
         CREATE TABLE IF NOT EXISTS {APP_STEPS_TABLE} (version VARCHAR(255) PRIMARY KEY NOT NULL, origin VARCHAR(16) NOT NULL CHECK (origin IN ('adopted', 'created')), recorded_at {recorded_at});"
    );
    conn.batch_execute(&sql)
        .context("cannot create the migration bookkeeping tables")
}

fn record_checksum(conn: &mut DbConn, version: &str, checksum: &str) -> anyhow::Result<()> {
    conn.batch_execute(&checksum_insert_sql(version, checksum))
        .with_context(|| format!("cannot record the checksum of migration {version}"))
}

fn checksum_insert_sql(version: &str, checksum: &str) -> String {
    // Both values come from this binary (digits and hex), never from input.
    debug_assert!(version.chars().all(|c| c.is_ascii_digit()));
    debug_assert!(checksum.chars().all(|c| c.is_ascii_hexdigit()));
    format!("INSERT INTO {CHECKSUM_TABLE} (version, checksum) VALUES ('{version}', '{checksum}')")
}

/// Adapter so diesel_migrations' harness runs our migration (in its own transaction,
/// recording the version) and the checksum is written in that same transaction.
struct Tracked<'a> {
    migration: &'a Migration,
    name: TrackedName,
}

struct TrackedName {
    name: &'static str,
    version: String,
}

impl fmt::Display for TrackedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl MigrationName for TrackedName {
    fn version(&self) -> MigrationVersion<'_> {
        MigrationVersion::from(Cow::Borrowed(self.version.as_str()).into_owned())
    }
}

struct InTransaction;
impl MigrationMetadata for InTransaction {}

impl<'a> Tracked<'a> {
    fn new(migration: &'a Migration) -> Self {
        Tracked {
            migration,
            name: TrackedName {
                name: migration.name,
                version: migration.version(),
            },
        }
    }
}

impl<DB: DieselBackend> diesel::migration::Migration<DB> for Tracked<'_> {
    fn run(&self, conn: &mut dyn BoxableConnection<DB>) -> diesel::migration::Result<()> {
        conn.batch_execute(self.migration.up)?;
        conn.batch_execute(&checksum_insert_sql(
            &self.name.version,
            &self.migration.checksum(),
        ))?;
        Ok(())
    }

    fn revert(&self, conn: &mut dyn BoxableConnection<DB>) -> diesel::migration::Result<()> {
        conn.batch_execute(self.migration.down)?;
        conn.batch_execute(&format!(
            "DELETE FROM {CHECKSUM_TABLE} WHERE version = '{}'",
            self.name.version
        ))?;
        Ok(())
    }

    fn metadata(&self) -> &dyn MigrationMetadata {
        &InTransaction
    }

    fn name(&self) -> &dyn MigrationName {
        &self.name
    }
}

/// Make sure the schema is current before a command touches data. On SQLite (the
/// embedded default) pending migrations are applied; on PostgreSQL never
/// implicitly: the command is refused.
///
/// Returns the notice for the caller to print on stderr when migrations were
/// applied (`authctl: applied 2 pending migration(s) to the SQLite database: …`),
/// `None` when nothing was applied or `quiet`; `db/` never prints.
pub fn ensure_current(
    conn: &mut DbConn,
    opts: &LockOptions,
    quiet: bool,
) -> anyhow::Result<Option<String>> {
    let st = status(conn)?;
    if let Some(e) = st.integrity_error() {
        return Err(e.into());
    }
    let pending = st.pending().count();
    if pending == 0 {
        return Ok(None);
    }
    match conn.backend() {
        Backend::Sqlite => {
            let report = run_pending(conn, opts)?;
            let done: Vec<&str> = report
                .created
                .iter()
                .chain(&report.adopted)
                .chain(&report.applied)
                .map(String::as_str)
                .collect();
            Ok((!quiet && !done.is_empty()).then(|| {
                format!(
                    "authctl: applied {} pending migration(s) to the SQLite database: {}",
                    done.len(),
                    done.join(", ")
                )
            }))
        }
        Backend::Postgres => Err(Error::config(format!(
            "{pending} pending migration{} — run `authctl migrate`",
            if pending == 1 { "" } else { "s" }
        ))
        .into()),
    }
}

fn short(s: Option<&str>) -> String {
    s.map(|s| s.chars().take(12).collect())
        .unwrap_or_else(|| "-".into())
}
