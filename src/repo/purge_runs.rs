//! `authctl_purge_runs`: authctl's record of finished `purge-expired` runs (dry runs
//! are not recorded). `authctl stats` reads the newest run that was not interrupted
//! as the time of the last successful purge, so a stalled cron job shows.

use diesel::prelude::*;

use crate::db::{DbConn, UtcDateTime};
use crate::schema::authctl_purge_runs as runs;
use crate::with_conn;

/// A run to record.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = runs)]
pub struct NewPurgeRun<'a> {
    pub started_at: UtcDateTime,
    pub finished_at: UtcDateTime,
    pub actor: &'a str,
    /// The tables the run covered, comma-separated (`refresh_tokens,login_sessions`).
    pub tables: &'a str,
    pub deleted: i64,
    pub interrupted: bool,
}

impl NewPurgeRun<'_> {
    pub fn insert(&self, conn: &mut DbConn) -> QueryResult<()> {
        with_conn!(conn, c => diesel::insert_into(runs::table).values(self).execute(c)).map(|_| ())
    }
}

/// A recorded run.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = runs)]
pub struct PurgeRun {
    pub id: i64,
    pub started_at: UtcDateTime,
    pub finished_at: UtcDateTime,
    pub actor: String,
    pub tables: String,
    pub deleted: i64,
    pub interrupted: bool,
}

/// The newest run that finished without being interrupted (served by the partial
/// index on `finished_at`).
pub fn last_success(conn: &mut DbConn) -> QueryResult<Option<PurgeRun>> {
    with_conn!(conn, c => runs::table
        .filter(runs::interrupted.eq(false))
        .order((runs::finished_at.desc(), runs::id.desc()))
        .select(PurgeRun::as_select())
        .first(c)
        .optional())
}
