//! PostgreSQL-only code: connecting, session settings, advisory locks.

use std::time::{Duration, Instant};

use anyhow::Context;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool};

use crate::db::target::PgUrl;
use crate::error::Error;

/// Connect with a bounded connect timeout and put the session in UTC.
pub fn connect(url: &PgUrl, connect_timeout: Duration) -> anyhow::Result<PgConnection> {
    let secs = connect_timeout.as_secs_f64().ceil() as u64;
    let mut conn = PgConnection::establish(&url.with_defaults(secs)).map_err(|e| {
        let cause = match &e {
            diesel::ConnectionError::BadConnection(m) => m.trim().replace('\n', " "),
            other => other.to_string(),
        };
        let cause = crate::db::DatabaseTarget::Postgres(url.clone()).scrub(&cause);
        Error::unavailable(format!(
            "cannot connect to PostgreSQL at {}:{} (database {:?}, user {:?}; {}): {cause}",
            url.host(),
            url.port(),
            url.database(),
            url.user(),
            url.redacted(),
        ))
    })?;
    conn.batch_execute("SET TIME ZONE 'UTC'")
        .context("cannot set the session time zone to UTC")?;
    Ok(conn)
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// Try to take the session-level advisory lock `key` until `wait` has passed.
/// `Ok(false)` when another session still holds it.
pub fn try_advisory_lock(conn: &mut PgConnection, key: i64, wait: Duration) -> QueryResult<bool> {
    let start = Instant::now();
    loop {
        let r: Locked = diesel::sql_query("SELECT pg_try_advisory_lock($1) AS locked")
            .bind::<BigInt, _>(key)
            .get_result(conn)?;
        if r.locked {
            return Ok(true);
        }
        if start.elapsed() >= wait {
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(50).min(wait.saturating_sub(start.elapsed())));
    }
}

/// Release the session-level advisory lock `key`.
pub fn advisory_unlock(conn: &mut PgConnection, key: i64) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_advisory_unlock($1)")
        .bind::<BigInt, _>(key)
        .execute(conn)
        .map(|_| ())
}

/// Set `lock_timeout` for this session (DDL must not queue the application behind it).
pub fn set_lock_timeout(conn: &mut PgConnection, timeout: Duration) -> QueryResult<()> {
    conn.batch_execute(&format!(
        "SET lock_timeout = {}",
        timeout.as_millis().max(1)
    ))
}
