//! Whole rows, as `authctl export` and `authctl import` carry them: every column of
//! a table (NULLs kept as NULLs), read in keyset pages and written in bulk. The
//! machinery is here once; each table's record type and its [`Records`]
//! implementation live in that table's own repository file
//! ([`records!`](crate::records) invoked there).

use diesel::result::QueryResult;

use crate::db::{DbConn, UserId};

/// One table's whole rows: its record type, its key (keyset pages, conflicts by
/// id), and the statements export and import need.
pub trait Records {
    type Row: serde::Serialize + serde::de::DeserializeOwned + Clone;
    type Key: Copy + Ord + std::hash::Hash + std::fmt::Display;
    /// The table's name, in the file and in the database.
    const NAME: &'static str;
    /// The bearer-secret field `--exclude-secrets` leaves out, and whether the row
    /// can be restored without it (a nullable column).
    const SECRET: Option<(&'static str, bool)>;

    fn key(row: &Self::Row) -> Self::Key;
    /// The user the row belongs to, if any.
    fn user_id(row: &Self::Row) -> Option<UserId>;
    /// Up to `limit` rows after `after`, in key order.
    fn page(conn: &mut DbConn, after: Option<Self::Key>, limit: i64)
    -> QueryResult<Vec<Self::Row>>;
    /// Which of `keys` exist.
    fn existing(conn: &mut DbConn, keys: Vec<Self::Key>) -> QueryResult<Vec<Self::Key>>;
    /// Insert `rows` the backend's fastest way ([`crate::bulk_insert!`]).
    fn insert(conn: &mut DbConn, rows: &[Self::Row]) -> QueryResult<usize>;
    /// Overwrite the row with the same key with every column of `row`.
    fn update(conn: &mut DbConn, row: &Self::Row) -> QueryResult<usize>;
}

/// Implement [`Records`] for a table:
/// `records!(Marker, RowType, KeyType, schema_table, key_column, secret, |row| user_id)`.
#[macro_export]
macro_rules! records {
    ($ty:ident, $row:ty, $key:ty, $tbl:ident, $pk:ident, $secret:expr, |$r:ident| $uid:expr) => {
        /// This table as [`Records`](crate::repo::records::Records).
        pub struct $ty;

        impl $crate::repo::records::Records for $ty {
            type Row = $row;
            type Key = $key;
            const NAME: &'static str = stringify!($tbl);
            const SECRET: Option<(&'static str, bool)> = $secret;

            fn key(row: &$row) -> $key {
                row.$pk
            }

            fn user_id($r: &$row) -> Option<$crate::db::UserId> {
                $uid
            }

            fn page(
                conn: &mut $crate::db::DbConn,
                after: Option<$key>,
                limit: i64,
            ) -> ::diesel::result::QueryResult<Vec<$row>> {
                $crate::with_conn!(conn, c => {
                    let mut q = $tbl::table
                        .select(<$row>::as_select())
                        .order($tbl::$pk.asc())
                        .limit(limit)
                        .into_boxed();
                    if let Some(after) = after {
                        q = q.filter($tbl::$pk.gt(after));
                    }
                    q.load(c)
                })
            }

            fn existing(
                conn: &mut $crate::db::DbConn,
                keys: Vec<$key>,
            ) -> ::diesel::result::QueryResult<Vec<$key>> {
                $crate::with_conn!(conn, c => $tbl::table
                    .filter($tbl::$pk.eq_any(keys.clone()))
                    .select($tbl::$pk)
                    .load(c))
            }

            fn insert(
                conn: &mut $crate::db::DbConn,
                rows: &[$row],
            ) -> ::diesel::result::QueryResult<usize> {
                $crate::bulk_insert!(conn, $tbl::table, rows)
            }

            fn update(
                conn: &mut $crate::db::DbConn,
                row: &$row,
            ) -> ::diesel::result::QueryResult<usize> {
                let key = row.$pk;
                $crate::with_conn!(conn, c => ::diesel::update($tbl::table.filter($tbl::$pk.eq(key)))
                    .set(row)
                    .execute(c))
            }
        }
    };
}
