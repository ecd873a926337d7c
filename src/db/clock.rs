//! The database's clock.
//!
//! The application decides validity with the server's `CURRENT_TIMESTAMP`
//! (`expires_at > CURRENT_TIMESTAMP`, its cleanup functions, `check_rate_limit`), so
//! authctl must judge by the same clock: a purge cutoff or an "active" state taken
//! from an operator's machine whose clock runs an hour fast would delete, or call
//! expired, rows the application still accepts. On PostgreSQL the time is the
//! server's `now()`; the embedded SQLite database has no clock of its own, and the
//! process that reads it is the only one writing it, so its time is this machine's.

use diesel::prelude::*;
use diesel::result::QueryResult;

use super::{DbConn, UtcDateTime};

#[derive(QueryableByName)]
struct Now {
    #[diesel(sql_type = super::UtcTimestamp)]
    now: UtcDateTime,
}

/// The database's current time (on PostgreSQL the server's `now()`: inside a
/// transaction, the time it began, as the application's own statements see it).
pub fn now(conn: &mut DbConn) -> QueryResult<UtcDateTime> {
    match conn {
        DbConn::Postgres(c) => diesel::sql_query("SELECT now() AS now")
            .get_result::<Now>(c)
            .map(|r| r.now)
            .map_err(super::pg::explain_pooler_error),
        DbConn::Sqlite(_) => Ok(UtcDateTime::now()),
    }
}
