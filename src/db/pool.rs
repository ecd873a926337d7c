//! The library's r2d2 pool of [`DbConn`]: for services that embed the repositories,
//! and the one source of connections where authctl holds more than one at a time
//! (the purge's batch and lock connections).
//!
//! - Connections open lazily (`min_idle = 0`): building a pool never blocks. A
//!   checkout ([`get`], [`get_as`]) that finds no idle connection opens one itself,
//!   on the calling thread, with the settings, redaction and exit codes of a single
//!   [`connect`] — so a failure is that connect's own error (naming the host or
//!   file and the cause, with PgBouncer's hint for the connection's [`PoolerRole`]),
//!   at once rather than after r2d2's retries — and hands it to the pool. (r2d2's
//!   own `Pool::get`, reached through the deref, connects on r2d2's threads and
//!   reports only the last failure's text when its wait times out.)
//! - A checkout waits at most [`checkout_timeout`] (the connect timeout plus one
//!   second, not r2d2's 30 s); "busy" (75) when every connection stayed checked out.
//! - A connection that was given back is checked with `SELECT 1` before it is
//!   handed out again (a freshly opened one is not: it has just connected).
//! - A connection given back broken — inside a transaction it never ended, its
//!   transaction manager in error, or while the thread panics — is closed, never
//!   handed out again.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use crate::db::pg::{self, PoolerRole};
use crate::db::{ConnectOptions, DatabaseTarget, DbConn, connect};
use crate::error::Error;

/// A pool of [`DbConn`] (see the module docs): r2d2's pool (it derefs to it),
/// with its manager at hand for a checkout that opens a connection itself.
#[derive(Debug, Clone)]
pub struct Pool {
    pool: r2d2::Pool<ConnectionManager>,
    manager: ConnectionManager,
}

impl std::ops::Deref for Pool {
    type Target = r2d2::Pool<ConnectionManager>;

    fn deref(&self) -> &Self::Target {
        &self.pool
    }
}
/// A connection checked out of a [`Pool`]; it goes back when dropped. It derefs
/// (through [`ManagedConn`]) to a [`DbConn`].
pub type PooledConn = r2d2::PooledConnection<ConnectionManager>;

/// r2d2 manager that opens connections with [`connect`]; its clones share their
/// state.
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    options: ConnectOptions,
    /// Connections a checkout opened on its own thread, waiting for the pool to
    /// take them (r2d2 adds connections only through [`r2d2::ManageConnection::connect`]).
    opened: Mutex<Vec<ManagedConn>>,
}

/// A [`DbConn`] in a [`Pool`]; derefs to it.
pub struct ManagedConn {
    conn: DbConn,
    /// Given back at least once: checked before it is handed out again.
    reused: bool,
}

impl std::fmt::Debug for ManagedConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ManagedConn")
            .field("backend", &self.conn.backend())
            .field("reused", &self.reused)
            .finish()
    }
}

impl std::ops::Deref for ManagedConn {
    type Target = DbConn;

    fn deref(&self) -> &DbConn {
        &self.conn
    }
}

impl std::ops::DerefMut for ManagedConn {
    fn deref_mut(&mut self) -> &mut DbConn {
        &mut self.conn
    }
}

/// A connection failure, already redacted.
#[derive(Debug)]
pub struct PoolError(String);

impl std::fmt::Display for PoolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PoolError {}

impl ConnectionManager {
    pub fn new(options: ConnectOptions) -> Self {
        Self {
            shared: Arc::new(Shared {
                options,
                opened: Mutex::new(Vec::new()),
            }),
        }
    }

    /// How this manager opens connections.
    pub fn options(&self) -> &ConnectOptions {
        &self.shared.options
    }

    /// Open a connection for `role` (named in a PgBouncer error's hint).
    fn open(&self, role: PoolerRole) -> anyhow::Result<ManagedConn> {
        let options = self.options();
        let conn = match &options.target {
            DatabaseTarget::Postgres(url) => {
                let mut conn =
                    pg::connect_as(url, options.connect_timeout, role).map(DbConn::Postgres)?;
                crate::db::check_access(&mut conn, options.access)?;
                conn
            }
            DatabaseTarget::Sqlite(_) => connect(options)?,
        };
        Ok(ManagedConn {
            conn,
            reused: false,
        })
    }

    fn opened(&self) -> std::sync::MutexGuard<'_, Vec<ManagedConn>> {
        self.shared.opened.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = ManagedConn;
    type Error = PoolError;

    fn connect(&self) -> Result<ManagedConn, PoolError> {
        if let Some(conn) = self.opened().pop() {
            return Ok(conn);
        }
        self.open(PoolerRole::Work)
            .map_err(|e| PoolError(format!("{e:#}")))
    }

    fn is_valid(&self, conn: &mut ManagedConn) -> Result<(), PoolError> {
        if !conn.reused {
            return Ok(());
        }
        conn.batch_execute("SELECT 1")
            .map_err(|e| PoolError(e.to_string()))
    }

    fn has_broken(&self, conn: &mut ManagedConn) -> bool {
        conn.reused = true;
        std::thread::panicking()
            || crate::with_conn!(&mut conn.conn, c => AnsiTransactionManager::is_broken_transaction_manager(c))
    }
}

/// How long a checkout waits for a connection: the connect timeout plus one second.
pub fn checkout_timeout(options: &ConnectOptions) -> Duration {
    options.connect_timeout + Duration::from_secs(1)
}

/// Build a pool of at most `max_size` connections (at least 1) that opens them on
/// demand.
pub fn build_pool(options: ConnectOptions, max_size: u32) -> Pool {
    let timeout = checkout_timeout(&options);
    let manager = ConnectionManager::new(options);
    let pool = r2d2::Pool::builder()
        .max_size(max_size.max(1))
        .min_idle(Some(0))
        .connection_timeout(timeout)
        .test_on_check_out(true)
        .build_unchecked(manager.clone());
    Pool { pool, manager }
}

/// Check a connection out of `pool` for the work of a run: [`get_as`] with
/// [`PoolerRole::Work`].
pub fn get(pool: &Pool) -> anyhow::Result<PooledConn> {
    get_as(pool, PoolerRole::Work)
}

/// Check a connection out of `pool`, for `role`: an idle one, else one opened
/// here while the pool has room (its connect error as it is), else the first one
/// given back within [`checkout_timeout`] — or "busy" (75) when every connection
/// stayed checked out that long.
pub fn get_as(pool: &Pool, role: PoolerRole) -> anyhow::Result<PooledConn> {
    if let Some(conn) = pool.try_get() {
        return Ok(conn);
    }
    if pool.state().connections < pool.max_size() {
        let conn = pool.manager.open(role)?;
        pool.manager.opened().push(conn);
    }
    let got = pool.get();
    // A connection opened here that r2d2 did not take (it handed out one given back
    // meanwhile, or another thread's) is closed now, never left outside the pool's
    // count: at worst a connect was wasted.
    drop(std::mem::take(&mut *pool.manager.opened()));
    got.map_err(|e| {
        let message = e.to_string();
        // r2d2 appends the last failure of a connect it made itself, if any.
        match message.strip_prefix("timed out waiting for connection: ") {
            Some(cause) => Error::unavailable(cause.to_owned()).into(),
            None => Error::busy(format!(
                "no free database connection within {}: all {} of the pool stayed checked out",
                humantime::format_duration(pool.connection_timeout()),
                pool.max_size()
            ))
            .into(),
        }
    })
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::db::DatabaseTarget;
    use crate::error::{ExitCode, exit_code};

    fn sqlite_options(dir: &tempfile::TempDir) -> ConnectOptions {
        ConnectOptions {
            connect_timeout: Duration::from_millis(100),
            ..ConnectOptions::new(DatabaseTarget::Sqlite(dir.path().join("pool.db")))
        }
    }

    #[test]
    fn building_opens_nothing_and_a_checkout_opens_one() {
        let dir = tempfile::tempdir().unwrap();
        let pool = build_pool(sqlite_options(&dir), 2);
        assert_eq!(pool.state().connections, 0);
        assert!(!dir.path().join("pool.db").exists());
        let mut conn = get(&pool).unwrap();
        conn.batch_execute("CREATE TABLE t (x INTEGER)").unwrap();
        assert_eq!(pool.state().connections, 1);
        drop(conn);
        // Given back healthy: reused, not reopened.
        let _again = get(&pool).unwrap();
        assert_eq!(pool.state().connections, 1);
    }

    #[test]
    fn an_exhausted_pool_is_busy_after_the_checkout_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let pool = build_pool(sqlite_options(&dir), 1);
        assert_eq!(pool.connection_timeout(), Duration::from_millis(1100));
        let _held = get(&pool).unwrap();
        let start = Instant::now();
        let e = get(&pool).map(|_| ()).unwrap_err();
        assert!(start.elapsed() >= Duration::from_millis(1000), "{e:#}");
        assert_eq!(exit_code(&e), ExitCode::Busy, "{e:#}");
        assert!(format!("{e:#}").contains("all 1 of the pool"), "{e:#}");
    }

    #[test]
    fn a_connect_failure_is_the_connects_own_error_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let options = ConnectOptions {
            create_if_missing: false,
            ..sqlite_options(&dir)
        };
        let start = Instant::now();
        let e = get(&build_pool(options, 1)).map(|_| ()).unwrap_err();
        assert!(start.elapsed() < Duration::from_millis(500), "{e:#}");
        assert_eq!(exit_code(&e), ExitCode::NoInput, "{e:#}");
        assert!(format!("{e:#}").contains("does not exist"), "{e:#}");
    }

    #[test]
    fn only_a_connection_given_back_is_checked_before_reuse() {
        let dir = tempfile::tempdir().unwrap();
        let pool = build_pool(sqlite_options(&dir), 1);
        let conn = get(&pool).unwrap();
        assert!(!conn.reused);
        drop(conn);
        assert!(get(&pool).unwrap().reused);
    }

    #[test]
    fn a_connection_left_in_a_transaction_is_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let pool = build_pool(sqlite_options(&dir), 1);
        let mut conn = get(&pool).unwrap();
        crate::with_conn!(&mut **conn, c => AnsiTransactionManager::begin_transaction(c)).unwrap();
        drop(conn);
        assert_eq!(pool.state().connections, 0, "closed, not pooled");
        let mut fresh = get(&pool).unwrap();
        let depth = crate::with_conn!(&mut **fresh, c =>
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth())
        .unwrap();
        assert_eq!(depth, None);
    }
}
