//! The purge's SQL for each backend. `ops::purge` decides what goes and how much
//! per batch; this module says how a backend counts and deletes it, so `ops/` never
//! names a backend.
//!
//! - Row batches ([`delete_rows`]): on PostgreSQL keyset batches in index order
//!   continuing after the last `(time, id)` deleted, skipping locked rows, each its
//!   own transaction with lock and statement timeouts; on SQLite `BEGIN IMMEDIATE`
//!   batches selecting rowids (stock SQLite has no `DELETE … LIMIT`).
//! - Block-range sweeps ([`Sweeper`]): PostgreSQL 14+ only (TID range scans).

use std::time::Duration;

use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::result::QueryResult;

use super::pg::{self, TableShape};
use super::{DbConn, UtcDateTime, sqlite};

/// One purge rule: rows with `condition` and `column < cutoff` go.
#[derive(Debug, Clone, Copy)]
pub struct PurgeRule {
    /// The time column compared with the cutoff (and walked by keyset batches).
    pub column: &'static str,
    /// An extra condition (`is_revoked = true`), or `""`.
    pub condition: &'static str,
    pub cutoff: UtcDateTime,
}

impl PurgeRule {
    /// `(condition AND column < <placeholder>)`.
    pub fn sql(&self, placeholder: &str) -> String {
        if self.condition.is_empty() {
            format!("({} < {placeholder})", self.column)
        } else {
            format!("({} AND {} < {placeholder})", self.condition, self.column)
        }
    }
}

/// One table and the rules that make its rows purgeable (a row matching any rule).
#[derive(Debug, Clone)]
pub struct PurgeTable {
    pub name: &'static str,
    /// The key column and its SQL type (for keyset batches).
    pub id: (&'static str, &'static str),
    pub rules: Vec<PurgeRule>,
}

impl PurgeTable {
    /// `rule1 OR rule2` with the backend's placeholders (`$n` or `?`).
    fn predicate(&self, placeholder: impl Fn(usize) -> String) -> String {
        self.rules
            .iter()
            .enumerate()
            .map(|(i, r)| r.sql(&placeholder(i + 1)))
            .collect::<Vec<_>>()
            .join(" OR ")
    }

    fn pg_predicate(&self) -> String {
        self.predicate(|n| format!("${n}"))
    }

    fn cutoffs(&self) -> Vec<UtcDateTime> {
        self.rules.iter().map(|r| r.cutoff).collect()
    }
}

/// Limits of one batch transaction (PostgreSQL; SQLite waits its busy timeout).
#[derive(Debug, Clone, Copy)]
pub struct BatchLimits {
    pub lock_timeout: Duration,
    pub statement_timeout: Duration,
}

/// Rows of `table` matching any of its rules (each counted once), up to `cap`.
pub fn count(conn: &mut DbConn, table: &PurgeTable, cap: Option<u64>) -> QueryResult<u64> {
    let cutoffs = table.cutoffs();
    match conn {
        DbConn::Postgres(c) => {
            pg::count_matching(c, table.name, &table.pg_predicate(), &cutoffs, cap)
        }
        DbConn::Sqlite(c) => {
            let n =
                sqlite::count_matching(c, table.name, &table.predicate(|_| "?".into()), &cutoffs)?;
            Ok(cap.map_or(n, |cap| n.min(cap)))
        }
    }
}

/// The oldest value of `rule.column` among the rows `rule` matches (its own index
/// serves it where the application created one: `expires_at`, `"timestamp"`).
pub fn oldest(
    conn: &mut DbConn,
    table: &str,
    rule: &PurgeRule,
) -> QueryResult<Option<UtcDateTime>> {
    #[derive(QueryableByName)]
    struct Oldest {
        #[diesel(sql_type = diesel::sql_types::Nullable<super::UtcTimestamp>)]
        t: Option<UtcDateTime>,
    }
    let placeholder = match conn {
        DbConn::Postgres(_) => "$1",
        DbConn::Sqlite(_) => "?",
    };
    let sql = format!(
        "SELECT min({}) AS t FROM {table} WHERE {}",
        rule.column,
        rule.sql(placeholder)
    );
    let row: Oldest = crate::with_conn!(conn, c => diesel::sql_query(&sql)
        .bind::<super::UtcTimestamp, _>(rule.cutoff)
        .get_result(c))?;
    Ok(row.t)
}

/// How [`delete_rows`] batches on this backend: its name in reports, and whether a
/// batch that timed out is worth retrying smaller (PostgreSQL locks rows; a locked
/// SQLite database is locked whole, so only its busy timeout helps).
pub fn row_batching(conn: &DbConn) -> (&'static str, bool) {
    match conn {
        DbConn::Postgres(_) => ("keyset", true),
        DbConn::Sqlite(_) => ("batch", false),
    }
}

/// Where the next row batch of one rule continues (PostgreSQL: after the last
/// `(time, id)` deleted).
#[derive(Debug, Clone, Default)]
pub struct RowCursor(Option<(UtcDateTime, String)>);

/// Delete one batch of at most `limit` rows matching `rule`, in its own transaction.
/// Returns `(deleted, rows looked at)`, or `None` when nothing was left.
pub fn delete_rows(
    conn: &mut DbConn,
    limits: BatchLimits,
    table: &PurgeTable,
    rule: &PurgeRule,
    cursor: &mut RowCursor,
    limit: u64,
) -> QueryResult<Option<(usize, usize)>> {
    match conn {
        DbConn::Postgres(c) => {
            let batch = pg::batch(c, limits.lock_timeout, limits.statement_timeout, |c| {
                pg::keyset_delete(c, table.name, table.id, rule, cursor.0.clone(), limit)
            })?;
            Ok(batch.map(|(deleted, fetched, last)| {
                cursor.0 = Some(last);
                (deleted, fetched)
            }))
        }
        DbConn::Sqlite(c) => {
            let n = c
                .immediate_transaction(|c| sqlite::batch_delete(c, table.name, rule, limit))
                .map_err(|e| sqlite::explain_busy(c, e))?;
            Ok((n > 0).then_some((n, n)))
        }
    }
}

/// Block-range sweeps of one table: PostgreSQL 14+ only (TID range scans).
pub struct Sweeper<'c> {
    conn: &'c mut PgConnection,
    /// The table's size and row density when the sweeper was made.
    pub shape: TableShape,
}

impl<'c> Sweeper<'c> {
    /// A sweeper for `table`, or `None` where the backend cannot sweep.
    pub fn new(conn: &'c mut DbConn, table: &PurgeTable) -> QueryResult<Option<Self>> {
        let DbConn::Postgres(c) = conn else {
            return Ok(None);
        };
        if pg::server_major_version(c)? < 14 {
            return Ok(None);
        }
        let shape = pg::table_shape(c, table.name)?;
        Ok(Some(Sweeper { conn: c, shape }))
    }

    /// A sweeper with a shape measured before (by [`Sweeper::new`]); `None` where the
    /// backend cannot sweep.
    pub fn with_shape(conn: &'c mut DbConn, shape: TableShape) -> Option<Self> {
        match conn {
            DbConn::Postgres(c) => Some(Sweeper { conn: c, shape }),
            DbConn::Sqlite(_) => None,
        }
    }

    /// Delete the rows matching `table`'s rules in blocks `from..to`, in one
    /// transaction; `skip_locked` leaves rows another transaction holds.
    pub fn delete(
        &mut self,
        limits: BatchLimits,
        table: &PurgeTable,
        (from, to): (u64, u64),
        skip_locked: bool,
    ) -> QueryResult<usize> {
        let (predicate, cutoffs) = (table.pg_predicate(), table.cutoffs());
        pg::batch(
            self.conn,
            limits.lock_timeout,
            limits.statement_timeout,
            |c| pg::sweep_delete(c, table.name, &predicate, &cutoffs, from, to, skip_locked),
        )
    }
}
