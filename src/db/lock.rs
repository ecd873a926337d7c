//! Named operation locks that die with the process: a PostgreSQL session advisory
//! lock, or an exclusive `flock` on a file beside the SQLite database.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::db::{DbConn, pg, sqlite};
use crate::error::Error;

/// A held lock; release it with [`OpLock::release`] (or let the process end).
#[derive(Debug)]
pub enum OpLock {
    Postgres(i64),
    File(File),
    /// An in-memory SQLite database: private to this process, nothing to lock.
    Private,
}

/// Take the lock `name` (PostgreSQL key `pg_key`), waiting up to `wait` unless
/// `stop` is set meanwhile. `Ok(None)` when another process still holds it.
pub fn try_acquire(
    conn: &mut DbConn,
    name: &str,
    pg_key: i64,
    wait: Duration,
    stop: &AtomicBool,
) -> anyhow::Result<Option<OpLock>> {
    match conn {
        DbConn::Postgres(c) => {
            Ok(pg::try_advisory_lock(c, pg_key, wait, stop)?.then_some(OpLock::Postgres(pg_key)))
        }
        DbConn::Sqlite(c) => {
            let Some(db) = sqlite::database_file(c)? else {
                // An in-memory database is private to this process.
                return Ok(Some(OpLock::Private));
            };
            let path = db.with_file_name(format!(
                "{}.{name}.lock",
                db.file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_default()
            ));
            let file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .mode(0o600)
                .open(&path)
                .map_err(|e| {
                    Error::unavailable(format!("cannot open lock file {}: {e}", path.display()))
                })?;
            let start = Instant::now();
            loop {
                match file.try_lock() {
                    Ok(()) => return Ok(Some(OpLock::File(file))),
                    Err(std::fs::TryLockError::WouldBlock) => {
                        if start.elapsed() >= wait || stop.load(Ordering::Relaxed) {
                            return Ok(None);
                        }
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    Err(std::fs::TryLockError::Error(e)) => {
                        return Err(Error::unavailable(format!(
                            "cannot lock {}: {e}",
                            path.display()
                        ))
                        .into());
                    }
                }
            }
        }
    }
}

impl OpLock {
    pub fn release(self, conn: &mut DbConn) -> anyhow::Result<()> {
        match (self, conn) {
            (OpLock::Postgres(key), DbConn::Postgres(c)) => Ok(pg::advisory_unlock(c, key)?),
            (OpLock::File(f), _) => Ok(f.unlock()?),
            _ => Ok(()),
        }
    }
}
