//! The library's r2d2 pool of [`DbConn`]: for services that embed the repositories,
//! and the one source of connections where authctl holds more than one at a time
//! (the purge's lock and batch connections).
//!
//! - Connections open lazily with [`connect`] (`min_idle = 0`): building a pool never
//!   blocks, and each connection has the settings, redaction and exit codes of a
//!   single [`connect`].
//! - A checkout ([`get`]) waits at most [`checkout_timeout`] (the connect timeout
//!   plus one second, not r2d2's 30 s) and checks the connection with `SELECT 1`
//!   first. Its failure names the last connect failure ("unavailable"; "config" or
//!   "no permission" when libpq's message says so), or is "busy" when every
//!   connection stayed checked out.
//! - A connection given back broken — inside a transaction it never ended, its
//!   transaction manager in error, or while the thread panics — is closed, never
//!   handed out again.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use crate::db::{ConnectOptions, DbConn, connect};
use crate::error::Error;

/// A pool of [`DbConn`] (see the module docs).
pub type Pool = r2d2::Pool<ConnectionManager>;
/// A connection checked out of a [`Pool`]; it goes back when dropped.
pub type PooledConn = r2d2::PooledConnection<ConnectionManager>;

/// r2d2 manager that opens connections with [`connect`].
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    options: ConnectOptions,
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
        Self { options }
    }

    /// How this manager opens connections.
    pub fn options(&self) -> &ConnectOptions {
        &self.options
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConn;
    type Error = PoolError;

    fn connect(&self) -> Result<DbConn, PoolError> {
        connect(&self.options).map_err(|e| PoolError(format!("{e:#}")))
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), PoolError> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| PoolError(e.to_string()))
    }

    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking()
            || crate::with_conn!(conn, c => AnsiTransactionManager::is_broken_transaction_manager(c))
    }
}

/// How long a checkout waits for a connection: the connect timeout plus one second.
pub fn checkout_timeout(options: &ConnectOptions) -> Duration {
    options.connect_timeout + Duration::from_secs(1)
}

/// Build a pool of at most `max_size` connections (at least 1) that opens them on
/// demand.
pub fn build_pool(options: ConnectOptions, max_size: u32) -> Pool {
    r2d2::Pool::builder()
        .max_size(max_size.max(1))
        .min_idle(Some(0))
        .connection_timeout(checkout_timeout(&options))
        .test_on_check_out(true)
        .build_unchecked(ConnectionManager::new(options))
}

/// Check a connection out of `pool`, as an error with an exit code when none comes:
/// the last connect failure (its message names the host or file and the cause), or
/// "busy" (75) when every connection stayed checked out for the whole
/// [`checkout_timeout`].
pub fn get(pool: &Pool) -> anyhow::Result<PooledConn> {
    pool.get().map_err(|e| {
        let message = e.to_string();
        // r2d2 appends the last connect failure, if any, to its own message.
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
    fn a_connect_failure_is_unavailable_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let options = ConnectOptions {
            create_if_missing: false,
            ..sqlite_options(&dir)
        };
        let e = get(&build_pool(options, 1)).map(|_| ()).unwrap_err();
        assert_eq!(exit_code(&e), ExitCode::Unavailable, "{e:#}");
        assert!(format!("{e:#}").contains("does not exist"), "{e:#}");
    }

    #[test]
    fn a_connection_left_in_a_transaction_is_discarded() {
        let dir = tempfile::tempdir().unwrap();
        let pool = build_pool(sqlite_options(&dir), 1);
        let mut conn = get(&pool).unwrap();
        crate::with_conn!(&mut *conn, c => AnsiTransactionManager::begin_transaction(c)).unwrap();
        drop(conn);
        assert_eq!(pool.state().connections, 0, "closed, not pooled");
        let mut fresh = get(&pool).unwrap();
        let depth = crate::with_conn!(&mut *fresh, c =>
            AnsiTransactionManager::transaction_manager_status_mut(c).transaction_depth())
        .unwrap();
        assert_eq!(depth, None);
    }
}
