//! `authctl_purge_runs`: authctl's record of finished `purge-expired` runs (dry runs
//! are not recorded). `authctl stats` reads from it when each table was last purged
//! completely, so a stalled cron job — or one that never finishes a table — shows.
//!
//! The schema has no per-table columns, so `tables` carries them: every table the
//! run covered, comma-separated, each with `:complete` or `:incomplete`
//! (`refresh_tokens:complete,login_sessions:incomplete`); `interrupted` is true when
//! any of them is incomplete (a signal, or `--max-rows` ran out), so every authctl
//! version reads "not interrupted" as "every table it covered was completed". Rows
//! written before the marks (plain names) count for their tables only when not
//! interrupted.

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

/// The `tables` value for a run that covered `tables` (name, completed).
pub fn tables_field(tables: &[(&str, bool)]) -> String {
    tables
        .iter()
        .map(|(name, complete)| {
            let mark = if *complete { "complete" } else { "incomplete" };
            format!("{name}:{mark}")
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The newest run that completed `table` (newest recorded: runs on one database are
/// serialised by the purge lock, so the insertion order, `id`, is the order they
/// finished in; the primary key serves the backward walk).
pub fn last_complete(conn: &mut DbConn, table: &str) -> QueryResult<Option<PurgeRun>> {
    use diesel::sql_types::Text;
    // `,list,` LIKE `%,name:complete,%` (or a plain name in an older, uninterrupted
    // row); `_` in table names escaped.
    let name = table
        .replace('\\', "\\\\")
        .replace('_', "\\_")
        .replace('%', "\\%");
    let listed = || {
        ",".into_sql::<Text>()
            .concat(runs::tables)
            .concat(",".into_sql::<Text>())
    };
    let marked = listed().like(format!("%,{name}:complete,%")).escape('\\');
    let plain = listed().like(format!("%,{name},%")).escape('\\');
    with_conn!(conn, c => runs::table
        .filter(marked.or(runs::interrupted.eq(false).and(plain)))
        .order(runs::id.desc())
        .select(PurgeRun::as_select())
        .first(c)
        .optional())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_covered_table_is_marked() {
        assert_eq!(
            tables_field(&[("refresh_tokens", true), ("login_sessions", false)]),
            "refresh_tokens:complete,login_sessions:incomplete"
        );
        assert_eq!(tables_field(&[]), "");
    }
}
