//! Writing many rows at once, each backend its fastest way: PostgreSQL a binary
//! `COPY … FROM STDIN` (one round trip, no statement to plan), SQLite one multi-row
//! `INSERT`; and moving an identity column past ids that were inserted explicitly.

use diesel::RunQueryDsl;
use diesel::result::QueryResult;

use crate::db::DbConn;

/// Insert `rows` into `table` the backend's fastest way ([module docs](self)):
/// `bulk_insert!(conn, users::table, &rows)`, the number of rows written.
#[macro_export]
macro_rules! bulk_insert {
    ($conn:expr, $table:expr, $rows:expr) => {
        match $conn {
            $crate::db::DbConn::Postgres(c) => ::diesel::copy_from($table)
                .from_insertable($rows)
                .execute(c),
            $crate::db::DbConn::Sqlite(c) => ::diesel::insert_into($table).values($rows).execute(c),
        }
    };
}

/// After rows with explicit ids went into `table`, move its identity `column`
/// past the largest (PostgreSQL; SQLite's `INTEGER PRIMARY KEY` follows by itself).
/// `table` and `column` are authctl's own constants, never input.
pub fn advance_identity(conn: &mut DbConn, table: &str, column: &str) -> QueryResult<()> {
    if let DbConn::Postgres(c) = conn {
        diesel::sql_query(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             (SELECT max({column}) FROM {table}))"
        ))
        .execute(c)?;
    }
    Ok(())
}
