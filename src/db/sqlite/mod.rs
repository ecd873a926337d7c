//! SQLite-only code: opening the file safely, the pragmas and functions every
//! connection needs, and the purge's raw statements. URLs live in [`url`].

pub(crate) mod url;

use std::fs::{DirBuilder, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::db::{UtcDateTime, UtcTimestamp};
use crate::error::Error;

/// Open (creating when missing and `create_if_missing`, mode 0600) a SQLite database
/// and configure it: foreign keys on, WAL, `synchronous=NORMAL`, and the busy timeout.
///
/// The file is handed to SQLite as a `file:` URI with `mode=rw`, so SQLite never
/// creates it (authctl does, with mode 0600) and never reads URI syntax out of a
/// plain path (`file:x.db`, `:memory:` and `?` in a name are just characters).
/// A missing file (without `create_if_missing`) is "not found" (66); one this OS
/// user may not open is "permission denied" (77).
pub fn connect(
    path: &Path,
    busy_timeout: Duration,
    create_if_missing: bool,
) -> anyhow::Result<SqliteConnection> {
    let shown = path.display();
    let Some(path_str) = path.to_str() else {
        return Err(Error::config(format!("SQLite path {shown} is not valid UTF-8")).into());
    };
    if path_str.is_empty() || path_str == ":memory:" {
        return Err(Error::config(format!(
            "SQLite database {path_str:?} would be in memory: nothing would persist; give a file path"
        ))
        .into());
    }
    let exists = match std::fs::symlink_metadata(path) {
        Ok(_) => true,
        Err(e) if e.kind() == ErrorKind::NotFound => false,
        Err(e) if e.kind() == ErrorKind::PermissionDenied => {
            return Err(Error::no_perm(format!("cannot open SQLite database {shown}: {e}")).into());
        }
        Err(e) => {
            return Err(
                Error::unavailable(format!("cannot open SQLite database {shown}: {e}")).into(),
            );
        }
    };
    if !exists && !create_if_missing {
        return Err(Error::no_input(format!("SQLite database {shown} does not exist")).into());
    }
    if !exists {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(parent)
                .map_err(|e| {
                    let msg = format!(
                        "cannot create directory {} for the SQLite database: {e}",
                        parent.display()
                    );
                    if e.kind() == ErrorKind::PermissionDenied {
                        Error::no_perm(msg)
                    } else {
                        Error::unavailable(msg)
                    }
                })?;
        }
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {}
            Err(e) => {
                let msg = format!("cannot create SQLite database {shown}: {e}");
                return Err(if e.kind() == ErrorKind::PermissionDenied {
                    Error::no_perm(msg)
                } else {
                    Error::unavailable(msg)
                }
                .into());
            }
        }
    } else if let Err(e) = std::fs::File::open(path)
        && e.kind() == ErrorKind::PermissionDenied
    {
        return Err(Error::no_perm(format!("cannot open SQLite database {shown}: {e}")).into());
    }
    let mut conn = SqliteConnection::establish(&file_uri(path_str))
        .map_err(|e| Error::unavailable(format!("cannot open SQLite database {shown}: {e}")))?;
    let pragmas = format!(
        "PRAGMA busy_timeout = {}; PRAGMA foreign_keys = ON;",
        busy_timeout.as_millis().min(i32::MAX as u128)
    );
    conn.batch_execute(&pragmas)
        .and_then(|()| enter_wal(&mut conn, busy_timeout))
        .and_then(|()| conn.batch_execute("PRAGMA synchronous = NORMAL;"))
        .map_err(|e| {
        let msg = e.to_string();
        if crate::error::is_busy_message(&msg) {
            Error::busy(format!(
                "SQLite database {shown} is locked by another process: {msg}"
            ))
        } else if crate::error::is_permission_message(&msg) {
            Error::no_perm(format!(
                "cannot open SQLite database {shown}: {msg} (the file or its directory is not writable by this user)"
            ))
        } else {
            Error::unavailable(format!("cannot open SQLite database {shown}: {msg}"))
        }
    })?;
    authctl_lower_utils::register_impl(&mut conn, |x: Option<String>| {
        x.as_deref().map(super::dialect::fold_case)
    })
    .map_err(|e| Error::unavailable(format!("cannot set up SQLite database {shown}: {e}")))?;
    authctl_inet_within_utils::register_impl(
        &mut conn,
        |ip: Option<String>, net: Option<String>| inet_within(ip.as_deref()?, net.as_deref()?),
    )
    .map_err(|e| Error::unavailable(format!("cannot set up SQLite database {shown}: {e}")))?;
    Ok(conn)
}

/// `PRAGMA journal_mode = WAL`, waiting up to `busy_timeout` for other
/// connections. Switching a file to WAL needs it exclusively, and SQLite asks for
/// that from inside the pragma's own read transaction, where it does not call the
/// busy handler: a second process opening the file while another holds it (two
/// `authctl migrate` on a new file) would get "database is locked" at once. So the
/// pragma is retried until the timeout; once the file is in WAL it takes no lock.
fn enter_wal(conn: &mut SqliteConnection, busy_timeout: Duration) -> QueryResult<()> {
    let deadline = std::time::Instant::now() + busy_timeout;
    loop {
        match conn.batch_execute("PRAGMA journal_mode = WAL;") {
            Err(e)
                if crate::error::is_busy_message(&e.to_string())
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

/// `path` as a SQLite `file:` URI that opens exactly that file, read-write, without
/// creating it: every character with a meaning in a URI is percent-encoded.
pub fn file_uri(path: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let encoded = utf8_percent_encode(path, KEEP).to_string();
    if path.starts_with('/') {
        // file:///abs — an empty authority, then the absolute path.
        format!("file://{encoded}?mode=rw")
    } else {
        format!("file:{encoded}?mode=rw")
    }
}

/// The connection's current busy timeout.
pub fn busy_timeout(conn: &mut SqliteConnection) -> QueryResult<Duration> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        timeout: i64,
    }
    let r: Row = diesel::sql_query("PRAGMA busy_timeout").get_result(conn)?;
    Ok(Duration::from_millis(r.timeout.max(0) as u64))
}

/// Set how long this connection waits for another writer.
pub fn set_busy_timeout(conn: &mut SqliteConnection, timeout: Duration) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "PRAGMA busy_timeout = {}",
        timeout.as_millis().min(i32::MAX as u128)
    ))
}

/// A `database is locked` error (SQLITE_BUSY once the busy timeout ran out) with
/// what the operator needs: which file, how long authctl waited, the likely holder —
/// a running `authctl purge-expired` when its lock beside the file is held (named as
/// its lock names it), otherwise another process with a write transaction open (the
/// application or a `sqlite3` shell; `fuser FILE` names it) — and what to do
/// (retry: exit 75). Any other error is returned as it is.
pub fn explain_busy(
    conn: &mut SqliteConnection,
    e: diesel::result::Error,
) -> diesel::result::Error {
    let diesel::result::Error::DatabaseError(kind, info) = e else {
        return e;
    };
    if !info
        .message()
        .to_ascii_lowercase()
        .contains("database is locked")
    {
        return diesel::result::Error::DatabaseError(kind, info);
    }
    let Some(file) = database_file(conn).ok().flatten() else {
        return diesel::result::Error::DatabaseError(kind, info);
    };
    let waited = busy_timeout(conn)
        .map(|t| format!(" for {}", humantime::format_duration(t)))
        .unwrap_or_default();
    let shown = file.display();
    let holder = match crate::db::lock::sqlite_holder(&file, "purge") {
        Some(purge) => {
            format!("authctl purge-expired is running on it ({purge}) and is the likely holder")
        }
        None => format!(
            "another process holds a write lock on {shown} (the application or a sqlite3 \
             shell? `fuser {shown}` names it)"
        ),
    };
    diesel::result::Error::DatabaseError(
        kind,
        Box::new(format!(
            "{}: waited{waited} (AUTHCTL_BUSY_TIMEOUT) for the write lock on {shown}; {holder}. \
             Nothing of this transaction was written — retry once it is released",
            info.message().trim_end()
        )),
    )
}

/// Rows of `table` matching `predicate` (SQL with one `?` per entry of `cutoffs`).
pub fn count_matching(
    conn: &mut SqliteConnection,
    table: &str,
    predicate: &str,
    cutoffs: &[UtcDateTime],
) -> QueryResult<u64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut q = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM {table} WHERE {predicate}"
    ))
    .into_boxed::<diesel::sqlite::Sqlite>();
    for cut in cutoffs {
        q = q.bind::<UtcTimestamp, _>(*cut);
    }
    let r: Count = q.get_result(conn)?;
    Ok(r.n.max(0) as u64)
}

/// Delete up to `limit` rows matching `rule`, oldest first (SQLite has no
/// `DELETE … LIMIT` in stock builds, so the rows are selected by a subquery).
pub fn batch_delete(
    conn: &mut SqliteConnection,
    table: &str,
    rule: &crate::db::PurgeRule,
    limit: u64,
) -> QueryResult<usize> {
    let sql = format!(
        "DELETE FROM {table} WHERE rowid IN \
         (SELECT rowid FROM {table} WHERE {} ORDER BY {} LIMIT {limit})",
        rule.sql("?"),
        rule.column
    );
    diesel::sql_query(sql)
        .bind::<UtcTimestamp, _>(rule.cutoff)
        .execute(conn)
}

/// The file behind the connection's main database (`None` for in-memory).
pub fn database_file(conn: &mut SqliteConnection) -> QueryResult<Option<std::path::PathBuf>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        file: String,
    }
    let r: Option<Row> =
        diesel::sql_query("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .get_result(conn)
            .optional()?;
    Ok(r.map(|r| r.file).filter(|f| !f.is_empty()).map(Into::into))
}

diesel::define_sql_function! {
    /// Unicode-aware `lower()` for SQLite, whose built-in `lower()` folds only ASCII.
    /// Registered on every SQLite connection (see `db::sqlite::connect`); used only in
    /// queries, never in the schema, so the database still opens in other tools.
    fn authctl_lower(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

diesel::define_sql_function! {
    /// `ip <<= net` for SQLite (PostgreSQL's "is contained by or equals" on inet):
    /// whether the address `ip` lies in the network `net` (an address is a /32 or
    /// /128 network). Different families never match; NULL when either is NULL or
    /// not an address. Registered on every SQLite connection (see `connect`).
    fn authctl_inet_within(ip: diesel::sql_types::Nullable<diesel::sql_types::Text>, net: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Bool>;
}

/// [`authctl_inet_within`]: `None` when either side is not an IP address or network.
pub fn inet_within(ip: &str, net: &str) -> Option<bool> {
    let ip: crate::db::Inet = ip.parse().ok()?;
    let net: crate::db::Inet = net.parse().ok()?;
    // PostgreSQL's `<<=`: same family, prefix at least as long, same network bits.
    Some(ip.0.prefix_len() >= net.0.prefix_len() && net.0.contains(&ip.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Another connection is writing to a file not yet in WAL while authctl opens
    /// it: the switch to WAL waits for that writer (within the busy timeout)
    /// instead of failing with "database is locked" at once.
    #[test]
    fn opening_waits_for_a_writer_before_switching_to_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("auth.db");
        let mut writer = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        writer
            .batch_execute("CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);")
            .unwrap();
        let opener = {
            let path = path.clone();
            std::thread::spawn(move || {
                let started = std::time::Instant::now();
                let conn = connect(&path, Duration::from_secs(10), false);
                (conn.map(|_| ()), started.elapsed())
            })
        };
        std::thread::sleep(Duration::from_millis(300));
        writer.batch_execute("COMMIT;").unwrap();
        let (opened, waited) = opener.join().unwrap();
        opened.expect("opens once the writer committed");
        assert!(waited >= Duration::from_millis(250), "waited {waited:?}");
        let mut conn = connect(&path, Duration::from_secs(1), false).unwrap();
        #[derive(QueryableByName)]
        struct Mode {
            #[diesel(sql_type = diesel::sql_types::Text)]
            journal_mode: String,
        }
        let mode: Mode = diesel::sql_query("PRAGMA journal_mode")
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(mode.journal_mode, "wal");
    }
}
