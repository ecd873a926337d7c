//! An r2d2 pool of [`DbConn`] for services that embed authctl as a library.
//!
//! The pool opens connections lazily (`min_idle = 0`), so building it never blocks,
//! and a checkout gives up after the connect timeout plus one second instead of
//! r2d2's default 30 s.

use std::time::Duration;

use crate::db::{ConnectOptions, DbConn, connect};

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

    /// A connection returned while a transaction was open (e.g. after a panic) is
    /// discarded, never handed out again.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        use diesel::connection::{AnsiTransactionManager, TransactionManager};
        std::thread::panicking()
            || crate::with_conn!(conn, c => AnsiTransactionManager::is_broken_transaction_manager(c))
    }
}

/// Build a pool of at most `max_size` connections that opens them on demand.
pub fn build_pool(options: ConnectOptions, max_size: u32) -> r2d2::Pool<ConnectionManager> {
    let timeout = options.connect_timeout + Duration::from_secs(1);
    r2d2::Pool::builder()
        .max_size(max_size.max(1))
        .min_idle(Some(0))
        .connection_timeout(timeout)
        .test_on_check_out(true)
        .build_unchecked(ConnectionManager::new(options))
}
