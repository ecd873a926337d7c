//! Named operation locks (`purge-expired`, one runner per database) that die with
//! the runner and name their holder when busy.
//!
//! **PostgreSQL**: a transaction-scoped advisory lock (`pg_try_advisory_xact_lock`)
//! taken by a transaction on a *dedicated* connection (the second one of the run's
//! [`pool`](crate::db::pool)) that stays open for the whole run while the work
//! happens on the main connection in short transactions. This is
//! correct behind a transaction-pooling PgBouncer (an open transaction keeps its
//! server connection; a session lock would be taken on one server connection and
//! released — or not — on another) and it is released the moment the runner dies:
//! its connection closes, PgBouncer drops the pinned server connection, the backend
//! ends and with it the transaction. A keeper thread pings the lock connection every
//! [`KEEPALIVE`] and the transaction sets `idle_in_transaction_session_timeout` to
//! [`IDLE_LIMIT`], so a runner that hangs or loses its network loses the lock within
//! that limit instead of holding it forever; the keeper then raises the stop flag
//! and the run ends with "lost the lock" after its current batch.
//!
//! **SQLite**: an exclusive `flock` on `<db>.<name>.lock` beside the database; the
//! holder writes who it is into the file.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;

use crate::db::pg::LockHolder;
use crate::db::pool::{self, Pool, PooledConn};
use crate::db::{DbConn, UtcDateTime, pg, sqlite};
use crate::email::terminal_safe;
use crate::error::Error;

/// How often the keeper thread pings the lock connection.
pub const KEEPALIVE: Duration = Duration::from_secs(2);
/// The lock transaction's `idle_in_transaction_session_timeout`: a runner silent
/// this long (hung, stopped, cut off) loses the lock.
pub const IDLE_LIMIT: Duration = Duration::from_secs(30);

/// A held lock; release it with [`OpLock::release`] (or let the process end).
#[derive(Debug)]
pub enum OpLock {
    Postgres(Keeper),
    File(File),
}

/// The thread owning a PostgreSQL lock connection.
#[derive(Debug)]
pub struct Keeper {
    release: Arc<AtomicBool>,
    lost: Arc<AtomicBool>,
    status: Arc<Mutex<String>>,
    thread: Option<JoinHandle<()>>,
}

/// Why a lock was not taken.
#[derive(Debug)]
pub enum NotTaken {
    /// `stop` was set while waiting.
    Stopped,
    /// Still held after the wait: who holds it, for the message.
    Busy(String),
}

/// Take the lock `name` (PostgreSQL key `pg_key`), waiting up to `wait` unless
/// `stop` is set meanwhile. On PostgreSQL the lock lives on a second connection,
/// checked out of `pool` (the pool `conn` came from); if that connection fails
/// later, `stop` is set and [`OpLock::is_lost`] tells.
pub fn try_acquire(
    conn: &mut DbConn,
    pool: &Pool,
    name: &str,
    pg_key: i64,
    wait: Duration,
    stop: &Arc<AtomicBool>,
) -> anyhow::Result<Result<OpLock, NotTaken>> {
    match conn {
        DbConn::Postgres(_) => {
            let mut lc = pool::get_as(pool, pg::PoolerRole::Lock)?;
            let DbConn::Postgres(pc) = &mut **lc else {
                return Err(anyhow::anyhow!(
                    "the {name} lock's pool does not connect to PostgreSQL"
                ));
            };
            let idle = IDLE_LIMIT.as_millis();
            let prepare = move |c: &mut PgConnection| {
                c.batch_execute(&format!(
                    "SET LOCAL idle_in_transaction_session_timeout = {idle}"
                ))
            };
            let taken = pg::acquire_xact_lock(pc, pg_key, wait, stop, &prepare)
                .map_err(|e| pg::explain_pooler_error_as(e, pg::PoolerRole::Lock))?;
            match taken {
                Ok(()) => Ok(Ok(OpLock::Postgres(Keeper::start(lc, Arc::clone(stop))))),
                Err(_) if stop.load(Ordering::Relaxed) => Ok(Err(NotTaken::Stopped)),
                Err(holder) => Ok(Err(NotTaken::Busy(describe_holder(holder.as_ref())))),
            }
        }
        DbConn::Sqlite(c) => {
            // `sqlite::connect` opens only files, so there is always one to lock beside.
            let db = sqlite::database_file(c)?
                .ok_or_else(|| anyhow::anyhow!("the SQLite connection has no database file"))?;
            let path = sqlite_lock_path(&db, name);
            let mut file = OpenOptions::new()
                .create(true)
                .truncate(false)
                .read(true)
                .write(true)
                .mode(0o600)
                .open(&path)
                .map_err(|e| {
                    Error::unavailable(format!("cannot open lock file {}: {e}", path.display()))
                })?;
            let start = Instant::now();
            loop {
                match file.try_lock() {
                    Ok(()) => {
                        // Who holds it, for a waiter's message; best effort.
                        let me = format!(
                            "{} since {}",
                            crate::db::target::runner_name(),
                            UtcDateTime::now()
                        );
                        let _ = file
                            .set_len(0)
                            .and_then(|()| file.rewind())
                            .and_then(|()| file.write_all(me.as_bytes()));
                        return Ok(Ok(OpLock::File(file)));
                    }
                    Err(std::fs::TryLockError::WouldBlock) => {
                        if stop.load(Ordering::Relaxed) {
                            return Ok(Err(NotTaken::Stopped));
                        }
                        if start.elapsed() >= wait {
                            let mut who = String::new();
                            let _ = file.rewind();
                            let _ = (&mut file).take(256).read_to_string(&mut who);
                            let who = who.trim();
                            return Ok(Err(NotTaken::Busy(if who.is_empty() {
                                format!("held by another process (lock file {})", path.display())
                            } else {
                                format!(
                                    "held by {} (lock file {})",
                                    terminal_safe(who),
                                    path.display()
                                )
                            })));
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

/// The file of lock `name` beside the SQLite database `db`: `<db>.<name>.lock`.
fn sqlite_lock_path(db: &Path, name: &str) -> PathBuf {
    db.with_file_name(format!(
        "{}.{name}.lock",
        db.file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default()
    ))
}

/// Who holds authctl's lock `name` beside the SQLite database `db`, when another
/// process does: `held by authctl@host:pid since … (lock file …)`. Read from
/// `/proc/locks` (Linux), never by trying the lock, so a run starting at that
/// moment cannot find it taken by the look; `None` elsewhere, when it is free, or
/// when this process holds it.
pub fn sqlite_holder(db: &Path, name: &str) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let path = sqlite_lock_path(db, name);
    let meta = std::fs::metadata(&path).ok()?;
    let locks = std::fs::read_to_string("/proc/locks").ok()?;
    let pid = flock_holder(
        &locks,
        libc::major(meta.dev()),
        libc::minor(meta.dev()),
        meta.ino(),
    )?;
    if pid == std::process::id() {
        return None;
    }
    let mut who = String::new();
    let _ = File::open(&path).and_then(|f| f.take(256).read_to_string(&mut who));
    let who = who.trim();
    Some(if who.is_empty() {
        format!("held by process {pid} (lock file {})", path.display())
    } else {
        format!(
            "held by {} (lock file {})",
            terminal_safe(who),
            path.display()
        )
    })
}

/// The pid holding a `flock` on the file (`major:minor` device, inode) in the
/// text of `/proc/locks` (`1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF`; a
/// waiter's line has `->` before `FLOCK`).
fn flock_holder(locks: &str, major: u32, minor: u32, ino: u64) -> Option<u32> {
    locks.lines().find_map(|line| {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.get(1) != Some(&"FLOCK") {
            return None;
        }
        let pid = f.get(4)?.parse::<u32>().ok()?;
        let mut id = f.get(5)?.split(':');
        let (maj, min, i) = (id.next()?, id.next()?, id.next()?);
        (u32::from_str_radix(maj, 16).ok()? == major
            && u32::from_str_radix(min, 16).ok()? == minor
            && i.parse::<u64>().ok()? == ino)
            .then_some(pid)
    })
}

/// "held by backend pid …": who holds a PostgreSQL advisory lock, what its runner is
/// doing and since when — or that it is itself waiting for another backend's lock —
/// so the operator can decide whether to wait.
pub fn describe_holder(holder: Option<&LockHolder>) -> String {
    let Some(h) = holder else {
        return "held by another session a moment ago (it has just been released; retry)".into();
    };
    // "3m 5s" before the server's now.
    let elapsed = |t: UtcDateTime| {
        let secs = (h.now.0 - t.0).num_seconds().max(0) as u64;
        humantime::format_duration(Duration::from_secs(secs)).to_string()
    };
    let ago = |t: Option<UtcDateTime>| match t {
        Some(t) => format!(
            "{} ({} ago)",
            t.0.format("%Y-%m-%d %H:%M:%S UTC"),
            elapsed(t)
        ),
        None => "an unknown time".into(),
    };
    // "waiting for a lock held by pid 123 (application "x")".
    let blocked = |pid: i32, application: &str, others: i32| {
        let mut b = format!(
            "waiting for a lock held by backend pid {pid} (application \"{}\")",
            terminal_safe(application)
        );
        if others > 0 {
            b.push_str(&format!(" and {others} other backend(s)"));
        }
        b
    };
    let mut s = if h.hidden {
        // PostgreSQL hides everything but the pid and application name of another
        // role's session from a role without pg_read_all_stats: say so rather than
        // print its NULLs as "client local, since an unknown time".
        format!(
            "held by backend pid {} (application \"{}\"; its client, start time and \
             activity are hidden from role \"{}\": grant it pg_read_all_stats to see them)",
            h.pid,
            terminal_safe(&h.application),
            terminal_safe(&h.viewer),
        )
    } else {
        format!(
            "held by backend pid {} (application \"{}\", client {}) since {}",
            h.pid,
            terminal_safe(&h.application),
            terminal_safe(&h.client),
            ago(h.since),
        )
    };
    if let Some(pid) = h.blocked_by {
        // A holder stuck behind someone else's lock is not making progress.
        let what = if h.wait_type.is_empty() {
            String::new()
        } else {
            format!(
                " ({} {})",
                terminal_safe(&h.wait_type),
                terminal_safe(&h.wait_event)
            )
        };
        s.push_str(&format!(
            "; it is {}{what}",
            blocked(pid, &h.blocked_by_application, h.blockers - 1)
        ));
        if h.state == "active" {
            s.push_str(&format!(
                " since {}: {}",
                ago(h.query_since),
                terminal_safe(&h.query)
            ));
        }
    } else if let Some(progress) = h
        .query
        .strip_prefix(PROGRESS_PREFIX)
        .and_then(|q| q.strip_suffix(" */"))
    {
        let reported = h
            .query_since
            .map_or_else(|| "recently".into(), |t| format!("{} ago", elapsed(t)));
        s.push_str(&format!(
            "; progress: {} (reported {reported})",
            terminal_safe(progress),
        ));
    } else if h.state == "active" {
        s.push_str(&format!(
            "; running since {}: {}",
            ago(h.query_since),
            terminal_safe(&h.query)
        ));
    } else if !h.state.is_empty() {
        s.push_str(&format!(", {}", terminal_safe(&h.state)));
    }
    if let Some(pid) = h.work_blocked_by {
        s.push_str(&format!(
            "; its work connection is {}",
            blocked(pid, &h.work_blocked_by_application, 0),
        ));
        // Another role's statement shows as "<insufficient privilege>".
        if !h.work_query.is_empty() && h.work_state == "active" {
            s.push_str(&format!(": {}", terminal_safe(&h.work_query)));
        }
    } else if h.work_state == "active" {
        s.push_str(&format!(
            "; its work connection is running since {}: {}",
            ago(h.work_since),
            terminal_safe(&h.work_query)
        ));
    }
    s
}

/// The keep-alive statement's prefix; the run's progress follows as a comment, so
/// `pg_stat_activity.query` of the lock connection tells others what it is doing.
const PROGRESS_PREFIX: &str = "SELECT 1 /* authctl: ";

/// The keep-alive statement carrying `status` (only characters that cannot end
/// the comment).
fn keepalive_sql(status: &str) -> String {
    let clean: String = status
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || " _-.,:()".contains(*c))
        .take(120)
        .collect();
    format!("{PROGRESS_PREFIX}{clean} */")
}

impl Keeper {
    /// Hand `conn`, inside the transaction holding the lock, to a new keeper thread.
    /// Given back to the pool still inside that (Diesel-tracked) transaction, the
    /// connection is closed, never reused — as when the run ends or the lock is lost.
    fn start(mut conn: PooledConn, stop: Arc<AtomicBool>) -> Keeper {
        pg::note_lock_connection(true);
        let release = Arc::new(AtomicBool::new(false));
        let lost = Arc::new(AtomicBool::new(false));
        let status = Arc::new(Mutex::new(String::from("started")));
        let (r, l, st) = (Arc::clone(&release), Arc::clone(&lost), Arc::clone(&status));
        let thread = std::thread::spawn(move || {
            let mut last = None::<Instant>;
            let mut reported = String::new();
            while !r.load(Ordering::Relaxed) {
                let current = st.lock().map(|s| s.clone()).unwrap_or_default();
                let due = last.is_none_or(|t| {
                    t.elapsed() >= KEEPALIVE
                        || (current != reported && t.elapsed() >= Duration::from_millis(500))
                });
                if due {
                    if conn.batch_execute(&keepalive_sql(&current)).is_err() {
                        l.store(true, Ordering::Relaxed);
                        stop.store(true, Ordering::Relaxed);
                        return;
                    }
                    last = Some(Instant::now());
                    reported = current;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            // Ending the transaction releases the lock; closing the connection would too.
            let _ = conn.batch_execute("ROLLBACK");
        });
        Keeper {
            release,
            lost,
            status,
            thread: Some(thread),
        }
    }
}

impl Drop for Keeper {
    fn drop(&mut self) {
        self.release.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        pg::note_lock_connection(false);
    }
}

impl OpLock {
    /// Whether the lock was lost while held (its connection failed or timed out).
    pub fn is_lost(&self) -> bool {
        match self {
            OpLock::Postgres(k) => k.lost.load(Ordering::Relaxed),
            OpLock::File(_) => false,
        }
    }

    /// Publish what the run is doing (shown to a runner that finds the lock busy).
    pub fn set_status(&self, status: &str) {
        if let OpLock::Postgres(k) = self
            && let Ok(mut s) = k.status.lock()
        {
            status.clone_into(&mut s);
        }
    }

    pub fn release(self) -> anyhow::Result<()> {
        match self {
            OpLock::Postgres(k) => {
                drop(k);
                Ok(())
            }
            OpLock::File(f) => {
                let _ = f.set_len(0);
                Ok(f.unlock()?)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flock_holder_reads_proc_locks() {
        let locks = "1: POSIX  ADVISORY  WRITE 77 08:01:1234 0 EOF\n\
                     2: FLOCK  ADVISORY  WRITE 4242 fd:01:1234 0 EOF\n\
                     2: -> FLOCK  ADVISORY  WRITE 99 fd:01:1234 0 EOF\n\
                     3: FLOCK  ADVISORY  WRITE 5 fd:01:99 0 EOF\n";
        assert_eq!(flock_holder(locks, 0xfd, 1, 1234), Some(4242));
        assert_eq!(
            flock_holder(locks, 8, 1, 1234),
            None,
            "a POSIX lock is not authctl's"
        );
        assert_eq!(flock_holder(locks, 0xfd, 1, 77), None);
    }
}
