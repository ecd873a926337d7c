//! Migrations: embedded per backend, checksummed, and run under a database lock.
//!
//! Applied versions are recorded in diesel's `__diesel_schema_migrations` (so the
//! diesel CLI sees the same state) and the SHA-256 of each applied `up.sql` in
//! `__authctl_migration_checksums`. Runners are serialized: on PostgreSQL with a
//! session advisory lock, on SQLite by running inside one `BEGIN IMMEDIATE`
//! transaction.

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

use crate::db::{Backend, DbConn, UtcDateTime, pg, sqlite};
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

/// The state of one migration in one database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Applied and its checksum matches.
    Applied,
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
}

/// Applied and pending migrations of a database, oldest first.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Status {
    pub backend: Backend,
    pub migrations: Vec<Entry>,
}

impl Status {
    /// The status of a database that does not exist yet: everything pending.
    pub fn missing(backend: Backend) -> Status {
        Status {
            backend,
            migrations: embedded(backend)
                .iter()
                .map(|m| Entry {
                    version: m.version(),
                    name: Some(m.name.to_owned()),
                    state: State::Pending,
                    applied_at: None,
                    recorded_checksum: None,
                    embedded_checksum: Some(m.checksum()),
                })
                .collect(),
        }
    }

    pub fn count(&self, state: State) -> usize {
        self.migrations.iter().filter(|e| e.state == state).count()
    }
    pub fn pending(&self) -> impl Iterator<Item = &Entry> {
        self.migrations.iter().filter(|e| e.state == State::Pending)
    }
    /// True when every embedded migration is applied and nothing is wrong.
    pub fn is_current(&self) -> bool {
        self.migrations
            .iter()
            .all(|e| matches!(e.state, State::Applied | State::Unverified))
    }
    /// An error when applied migrations were edited or the database is newer than
    /// this binary: both refuse every command except `migrate status`.
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

fn short(s: Option<&str>) -> String {
    s.map(|s| s.chars().take(12).collect())
        .unwrap_or_else(|| "-".into())
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

    let mut entries = Vec::new();
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
            applied_at: applied.get(&version).copied().flatten(),
            version,
            name: Some(m.name.to_owned()),
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
            version: version.clone(),
            name: None,
            state: State::Unknown,
            applied_at: *at,
            recorded_checksum: checksums.get(version).cloned(),
            embedded_checksum: None,
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
    /// Migrations applied by this run, oldest first.
    pub applied: Vec<String>,
    /// Migrations applied earlier (e.g. by the diesel CLI) whose checksums this run recorded.
    pub verified: Vec<String>,
}

/// Run `f` while holding the migration lock for this database.
pub fn with_migration_lock<T>(
    conn: &mut DbConn,
    opts: &LockOptions,
    f: impl FnOnce(&mut DbConn) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let busy = || {
        Error::busy(format!(
            "another authctl is migrating this database (waited {} for its lock); retry later",
            humantime::format_duration(opts.wait)
        ))
    };
    match conn {
        DbConn::Postgres(c) => {
            if !pg::try_advisory_lock(c, PG_MIGRATION_LOCK, opts.wait)? {
                return Err(busy().into());
            }
            pg::set_lock_timeout(c, opts.lock_timeout)?;
            let result = f(conn);
            if let DbConn::Postgres(c) = conn {
                let unlocked = pg::advisory_unlock(c, PG_MIGRATION_LOCK);
                let _ = pg::reset_lock_timeout(c);
                if result.is_ok() {
                    unlocked.context("cannot release the migration lock")?;
                }
            }
            result
        }
        DbConn::Sqlite(c) => {
            let previous = sqlite::busy_timeout(c)?;
            sqlite::set_busy_timeout(c, opts.wait)?;
            let result = conn.transaction(|conn| f(conn)).map_err(|e| {
                if crate::error::exit_code(&e) == ExitCode::Busy {
                    e.context(busy())
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

/// Apply every pending migration under the lock. Refuses (and applies nothing) when
/// an applied migration was edited or the database is newer than this binary.
pub fn run_pending(conn: &mut DbConn, opts: &LockOptions) -> anyhow::Result<RunReport> {
    with_migration_lock(conn, opts, |conn| {
        ensure_bookkeeping(conn)?;
        let status = status(conn)?;
        if let Some(e) = status.integrity_error() {
            return Err(e.into());
        }
        let mut report = RunReport::default();
        for entry in status
            .migrations
            .iter()
            .filter(|e| e.state == State::Unverified)
        {
            record_checksum(
                conn,
                &entry.version,
                entry.embedded_checksum.as_deref().unwrap_or_default(),
            )?;
            report.verified.push(entry.name.clone().unwrap_or_default());
        }
        let backend = conn.backend();
        for m in embedded(backend) {
            if status
                .migrations
                .iter()
                .any(|e| e.version == m.version() && e.state == State::Pending)
            {
                let tracked = Tracked::new(m);
                with_conn!(&mut *conn, c => c.run_migration(&tracked))
                    .map_err(harness_error)
                    .with_context(|| {
                        format!("migration {} failed; nothing of it was applied", m.name)
                    })?;
                report.applied.push(m.name.to_owned());
            }
        }
        Ok(report)
    })
}

/// Revert the newest `steps` applied migrations under the lock; returns their names,
/// newest first.
pub fn revert(conn: &mut DbConn, steps: usize, opts: &LockOptions) -> anyhow::Result<Vec<String>> {
    with_migration_lock(conn, opts, |conn| {
        let status = status(conn)?;
        if let Some(e) = status.integrity_error() {
            return Err(e.into());
        }
        let backend = conn.backend();
        let applied: Vec<&Migration> = embedded(backend)
            .iter()
            .filter(|m| {
                status.migrations.iter().any(|e| {
                    e.version == m.version()
                        && matches!(e.state, State::Applied | State::Unverified)
                })
            })
            .collect();
        let mut reverted = Vec::new();
        for m in applied.iter().rev().take(steps) {
            let tracked = Tracked::new(m);
            with_conn!(&mut *conn, c => c.revert_migration(&tracked))
                .map_err(harness_error)
                .with_context(|| format!("reverting {} failed; it is still applied", m.name))?;
            reverted.push(m.name.to_owned());
        }
        Ok(reverted)
    })
}

/// The migrations `revert(steps)` would undo, newest first (for confirmation prompts).
pub fn revert_plan(status: &Status, steps: usize) -> Vec<String> {
    status
        .migrations
        .iter()
        .filter(|e| matches!(e.state, State::Applied | State::Unverified))
        .rev()
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
    let sql = format!(
        "CREATE TABLE IF NOT EXISTS {DIESEL_TABLE} (version VARCHAR(50) PRIMARY KEY NOT NULL, run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
         CREATE TABLE IF NOT EXISTS {CHECKSUM_TABLE} (version VARCHAR(50) PRIMARY KEY NOT NULL, checksum VARCHAR(64) NOT NULL);"
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
/// embedded default) pending migrations are applied, with a notice on stderr unless
/// `quiet`; on PostgreSQL never implicitly: the command is refused.
pub fn ensure_current(conn: &mut DbConn, opts: &LockOptions, quiet: bool) -> anyhow::Result<()> {
    let st = status(conn)?;
    if let Some(e) = st.integrity_error() {
        return Err(e.into());
    }
    let pending = st.count(State::Pending);
    if pending == 0 {
        return Ok(());
    }
    match conn.backend() {
        Backend::Sqlite => {
            let report = run_pending(conn, opts)?;
            if !quiet && !report.applied.is_empty() {
                eprintln!(
                    "authctl: applied {} pending migration(s) to the SQLite database: {}",
                    report.applied.len(),
                    report.applied.join(", ")
                );
            }
            Ok(())
        }
        Backend::Postgres => Err(Error::config(format!(
            "{pending} pending migration{} — run `authctl migrate`",
            if pending == 1 { "" } else { "s" }
        ))
        .into()),
    }
}
