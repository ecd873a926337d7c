//! Connections and everything per backend: the URL ([`target`]), [`DbConn`] and its
//! transactions (here), PostgreSQL- and SQLite-only code ([`pg`], [`sqlite`]), the
//! SQL fragments each spells its own way ([`dialect`]), migrations, locks, the pool.
//! `db/` never prints: what a caller should show comes back in a return value.
//!
//! # Design: `DbConn` + `with_conn!`, not `#[derive(diesel::MultiConnection)]`
//!
//! Shared query code is written once against [`DbConn`] with the [`with_conn!`]
//! macro, which expands the same Diesel expression for each backend's concrete
//! connection. Diesel 2.3's `MultiConnection` derive was evaluated and not adopted:
//! its generated backend covers only the backends' common subset — no `ON
//! CONFLICT`, no `FOR UPDATE` ([`load_for_update!`]), and only built-in SQL types,
//! so [`UtcTimestamp`](types::UtcTimestamp), `DbUuid` and `DbInet` (on every table)
//! would need hand-written `HasSqlType`/`ToSql`/`FromSql` impls for it, which is the
//! per-backend code it was meant to remove. Its transaction manager begins with each
//! backend's plain `BEGIN`, so `BEGIN IMMEDIATE`, `BEGIN READ ONLY` and the
//! PostgreSQL transaction guard would still match on the variant; raw SQL still
//! needs per-backend placeholders and functions. Its instrumentation and r2d2
//! support are already available per connection and in [`pool`].
//! `define_sql_function!` is used where SQL functions are called from the DSL
//! (SQLite's `authctl_lower`, `authctl_inet_within`, see [`sqlite`]); [`Dialect`]
//! stays string-built because its fragments go into raw statements
//! (`sql_query`/`dsl::sql`) whose rewrite into typed DSL belongs to `repo/`.
//! `#[diesel::dsl::auto_type]` serves reusable DSL pieces, which live in `repo/`.

pub mod bulk;
pub mod clock;
pub mod contract;
pub mod dialect;
pub mod instrument;
pub mod lock;
pub mod migrations;
pub mod pg;
pub mod pool;
pub mod purge;
pub mod sqlite;
pub mod target;
pub mod types;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::result::QueryResult;
use diesel::sqlite::SqliteConnection;

pub use dialect::{Dialect, FoldOp, fold_case};
pub use purge::PurgeRule;
pub use target::{Backend, DatabaseTarget};
pub use types::{
    AttemptId, DbInet, DbUuid, Inet, RefreshTokenId, SessionId, SessionToken, UserId, UtcDateTime,
    UtcTimestamp,
};

/// The longest a statement of a [`DbConn::read`] may run on PostgreSQL (as
/// `stats` bounds its queries): a runaway read is cancelled (exit 75) instead of
/// loading the server indefinitely. Reads are keyset pages and indexed lookups that
/// take milliseconds; this only stops a pathological plan.
pub const READ_STATEMENT_TIMEOUT: Duration = Duration::from_secs(60);

/// An error a transaction's work may end with: a database error converts into it,
/// and the database error inside can be found and explained (a statement timeout
/// gets where its limit came from).
pub trait TxError: From<diesel::result::Error> {
    /// The database error this is or wraps, if any.
    fn diesel(&self) -> Option<&diesel::result::Error>;
    /// The same error with `note` added to its message.
    fn explained(self, note: String) -> Self;
}

impl TxError for diesel::result::Error {
    fn diesel(&self) -> Option<&diesel::result::Error> {
        Some(self)
    }
    fn explained(self, note: String) -> Self {
        match self {
            diesel::result::Error::DatabaseError(kind, info) => {
                diesel::result::Error::DatabaseError(
                    kind,
                    Box::new(format!("{} ({note})", info.message().trim_end())),
                )
            }
            other => other,
        }
    }
}

impl TxError for anyhow::Error {
    fn diesel(&self) -> Option<&diesel::result::Error> {
        // A lookup by e-mail wraps its database error transparently (its source
        // chain skips the diesel error itself): look inside it too.
        self.chain().find_map(|c| {
            c.downcast_ref::<diesel::result::Error>().or_else(|| {
                c.downcast_ref::<crate::repo::users::FindByEmailError>()
                    .and_then(TxError::diesel)
            })
        })
    }
    fn explained(self, note: String) -> Self {
        match self.downcast::<diesel::result::Error>() {
            Ok(e) => e.explained(note).into(),
            Err(other) => other.context(note),
        }
    }
}

/// An open connection to one of the supported backends.
pub enum DbConn {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Evaluate the same Diesel expression against whichever backend `conn` is:
/// `with_conn!(conn, c => users::table.count().get_result(c))`.
#[macro_export]
macro_rules! with_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::DbConn::Postgres($c) => $body,
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}

/// Load `$query` with its rows locked until the transaction ends: `FOR UPDATE` on
/// PostgreSQL; on SQLite a plain load, because [`DbConn::transaction`] begins
/// `IMMEDIATE` and so already serializes writers. The one place row locking is
/// spelled per backend.
#[macro_export]
macro_rules! load_for_update {
    ($conn:expr, $query:expr) => {{
        use diesel::prelude::*;
        match $conn {
            $crate::db::DbConn::Postgres(c) => $query.for_update().load(c),
            $crate::db::DbConn::Sqlite(c) => $query.load(c),
        }
    }};
}

/// What a command will do with its connections: a write command is refused on a
/// PostgreSQL standby before it changes anything ([`connect`] checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Access {
    /// Reads only: any server will do, a standby too.
    #[default]
    Read,
    /// Changes rows or the schema: only a server that is not in recovery.
    Write,
}

/// How to open a connection.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub target: DatabaseTarget,
    /// [`Access::Write`]: every connection opened is checked to be on a primary.
    pub access: Access,
    /// PostgreSQL: libpq `connect_timeout` (rounded up to whole seconds, at least 2).
    pub connect_timeout: Duration,
    /// SQLite: how long to wait for another writer (`PRAGMA busy_timeout`).
    pub busy_timeout: Duration,
    /// SQLite: create the database file when it does not exist (read-only commands
    /// such as `migrate status` turn this off so a mistyped path is an error).
    pub create_if_missing: bool,
}

impl ConnectOptions {
    pub fn new(target: DatabaseTarget) -> Self {
        ConnectOptions {
            target,
            access: Access::Read,
            connect_timeout: Duration::from_secs(5),
            busy_timeout: Duration::from_secs(5),
            create_if_missing: true,
        }
    }
}

/// Open a connection. Errors name what failed (host, port or file, and the cause)
/// with any password redacted, and carry the "unavailable" exit code.
/// With [`Access::Write`], a PostgreSQL server in recovery (a standby) is refused
/// here, before anything is done (75, naming the server and how to reach the
/// primary).
pub fn connect(options: &ConnectOptions) -> anyhow::Result<DbConn> {
    let mut conn = match &options.target {
        DatabaseTarget::Postgres(url) => {
            pg::connect(url, options.connect_timeout).map(DbConn::Postgres)
        }
        DatabaseTarget::Sqlite(path) => {
            sqlite::connect(path, options.busy_timeout, options.create_if_missing)
                .map(DbConn::Sqlite)
        }
    }?;
    check_access(&mut conn, options.access)?;
    Ok(conn)
}

/// The one check of a connection for what its command will do: a write command
/// is refused on a PostgreSQL standby ([`pg::standby_refusal`], 75). SQLite and
/// reads pass.
pub fn check_access(conn: &mut DbConn, access: Access) -> anyhow::Result<()> {
    if access == Access::Write
        && let DbConn::Postgres(c) = conn
    {
        let role = pg::server_role(c)?;
        if role.in_recovery {
            return Err(pg::standby_refusal(&role).into());
        }
    }
    Ok(())
}

impl DbConn {
    /// PostgreSQL: whether the server is a standby, and which server it is; `None`
    /// on SQLite.
    pub fn server_role(&mut self) -> QueryResult<Option<pg::ServerRole>> {
        match self {
            DbConn::Postgres(c) => pg::server_role(c).map(Some),
            DbConn::Sqlite(_) => Ok(None),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbConn::Postgres(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// How this connection's backend spells what shared SQL cannot write once.
    pub fn dialect(&self) -> Dialect {
        Dialect::of(self.backend())
    }

    /// Inside a transaction: wait at most `timeout` for a table or row lock (a
    /// read must never queue the application behind a migration's DDL for long).
    /// PostgreSQL `SET LOCAL lock_timeout`; SQLite readers take no locks that
    /// writers queue behind, so there it does nothing.
    pub fn set_local_lock_timeout(&mut self, timeout: Duration) -> QueryResult<()> {
        match self {
            DbConn::Postgres(c) => pg::set_local_lock_timeout(c, timeout),
            DbConn::Sqlite(_) => Ok(()),
        }
    }

    /// Run raw SQL statements (no results).
    pub fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        with_conn!(self, c => c.batch_execute(sql))
    }

    /// Run `f` in a transaction: commit on `Ok`, roll back on `Err`. Nested calls use
    /// savepoints. On PostgreSQL the outermost level also runs
    /// [`pg::TRANSACTION_GUARD`], so a killed client's backend stops quickly. On SQLite the outermost level is `BEGIN IMMEDIATE`, so a writer
    /// takes the write lock up front and waits (busy timeout) instead of failing at
    /// its first write.
    pub fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: TxError,
    {
        self.begin()?;
        let result = f(self);
        self.finish(result, None)
    }

    /// Run the read-only work `f` (one or a few `SELECT`s) in its own short read
    /// transaction, so a read gets the same protection as a write: on PostgreSQL a
    /// `BEGIN READ ONLY` transaction that runs [`pg::TRANSACTION_GUARD`] (a killed
    /// client's backend stops within a second, even mid-statement) and bounds each
    /// statement by [`READ_STATEMENT_TIMEOUT`] (a stricter `statement_timeout`
    /// configured for the role or database is kept); on SQLite a plain deferred
    /// transaction (a consistent snapshot; never `BEGIN IMMEDIATE`, so a read never
    /// takes or waits for the write lock). Inside a transaction already open it
    /// just runs `f`.
    ///
    /// Keep the transaction short: a listing that streams many pages runs one `read`
    /// per page and prints outside it, so a slow consumer never holds a transaction
    /// (and, behind a transaction-pooling PgBouncer, a server connection) open.
    pub fn read<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: TxError,
    {
        self.read_as("BEGIN READ ONLY", f)
    }

    /// [`read`](Self::read) where every statement of `f` sees one snapshot (on
    /// PostgreSQL `REPEATABLE READ`; a SQLite read transaction always does): for a
    /// report whose figures must agree with each other, such as `stats`.
    pub fn snapshot_read<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: TxError,
    {
        self.read_as("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", f)
    }

    fn read_as<T, E, F>(&mut self, pg_begin: &str, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: TxError,
    {
        let depth = with_conn!(self, c => AnsiTransactionManager::transaction_manager_status_mut(c)
            .transaction_depth())?;
        if depth.is_some() {
            return f(self);
        }
        match self {
            DbConn::Postgres(c) => {
                AnsiTransactionManager::begin_transaction_sql(c, pg_begin)
                    .map_err(pg::explain_pooler_error)?;
                if let Err(e) = pg::guard_read(c, READ_STATEMENT_TIMEOUT) {
                    let _ = AnsiTransactionManager::rollback_transaction(c);
                    return Err(pg::explain_pooler_error(e).into());
                }
            }
            DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction(c)?,
        }
        let result = f(self);
        self.finish(result, Some(READ_STATEMENT_TIMEOUT))
    }

    /// End the transaction the work ran in: commit its success, roll back its
    /// failure (the original error matters more than a failed rollback). A
    /// PostgreSQL statement timeout is explained once rolled back: authctl's `own`
    /// limit for the transaction, or the role's, database's or server's
    /// `statement_timeout` (see [`pg::statement_timeout_note`]).
    fn finish<T, E>(&mut self, result: Result<T, E>, own: Option<Duration>) -> Result<T, E>
    where
        E: TxError,
    {
        match result {
            Ok(value) => match self.commit() {
                Ok(()) => Ok(value),
                // Lost at COMMIT: the server may have committed before it went.
                Err(e) if crate::error::is_connection_lost(&e) => Err(E::from(e).explained(
                    "the connection was lost at COMMIT: whether the transaction was committed \
                     is unknown; check before running it again"
                        .to_owned(),
                )),
                Err(e) => Err(e.into()),
            },
            Err(e) => {
                let _ = self.rollback();
                if let DbConn::Postgres(c) = self
                    && e.diesel().is_some_and(pg::is_read_only_refusal)
                {
                    let note = pg::read_only_note(c);
                    return Err(e.explained(note));
                }
                if let DbConn::Postgres(c) = self
                    && e.diesel().is_some_and(pg::is_statement_timeout)
                    && let Some(note) = pg::statement_timeout_note(c, own)
                {
                    return Err(e.explained(note));
                }
                Err(e)
            }
        }
    }

    fn begin(&mut self) -> QueryResult<()> {
        match self {
            DbConn::Postgres(c) => {
                let depth = AnsiTransactionManager::transaction_manager_status_mut(c)
                    .transaction_depth()?;
                AnsiTransactionManager::begin_transaction(c).map_err(pg::explain_pooler_error)?;
                if depth.is_none()
                    && let Err(e) = pg::guard_transaction(c)
                {
                    let _ = AnsiTransactionManager::rollback_transaction(c);
                    return Err(pg::explain_pooler_error(e));
                }
                Ok(())
            }
            DbConn::Sqlite(c) => {
                let depth = AnsiTransactionManager::transaction_manager_status_mut(c)
                    .transaction_depth()?;
                if depth.is_none() {
                    AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
                        .map_err(|e| sqlite::explain_busy(c, e))
                } else {
                    AnsiTransactionManager::begin_transaction(c)
                }
            }
        }
    }

    fn commit(&mut self) -> QueryResult<()> {
        with_conn!(self, c => AnsiTransactionManager::commit_transaction(c))
    }

    fn rollback(&mut self) -> QueryResult<()> {
        with_conn!(self, c => AnsiTransactionManager::rollback_transaction(c))
    }
}
