//! The schema contract with the application: which tables each of its auth steps
//! creates and every column authctl relies on, with the types it accepts. Used by
//! `authctl migrate` before adopting a database the application migrated: a
//! missing or retyped column is a data error (exit 65) naming table.column,
//! expected and found, and nothing is changed.

use std::fmt;

use diesel::prelude::*;
use diesel::sql_types::{Nullable, Text};

use crate::db::DbConn;

/// The tables an application step creates.
pub fn tables_of(version: &str) -> &'static [&'static str] {
    match version.get(..3) {
        Some("005") => &["users"],
        Some("006") => &["auth_attempts", "device_fingerprints"],
        Some("007") => &["refresh_tokens"],
        Some("008") => &["login_sessions"],
        _ => &[],
    }
}

/// What authctl needs of one column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub table: &'static str,
    pub name: &'static str,
    /// Logical type; each backend accepts the spellings [`Kind::accepts`] lists.
    pub kind: Kind,
    /// authctl reads it as NOT NULL (a nullable column would break reads).
    pub not_null: bool,
}

/// A logical column type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Uuid,
    /// varchar/text; `Some(n)`: a varchar must hold at least `n` characters.
    Text(Option<i32>),
    Bool,
    Time,
    Inet,
}

impl Kind {
    fn pg_name(self) -> &'static str {
        match self {
            Kind::Uuid => "uuid",
            Kind::Text(_) => "varchar or text",
            Kind::Bool => "boolean",
            Kind::Time => "timestamptz",
            Kind::Inet => "inet",
        }
    }

    fn pg_accepts(self, udt: &str, max_len: Option<i32>) -> bool {
        match self {
            Kind::Uuid => udt == "uuid",
            Kind::Text(min) => {
                udt == "text"
                    || (udt == "varchar"
                        && match (min, max_len) {
                            (Some(min), Some(len)) => len >= min,
                            _ => true,
                        })
            }
            Kind::Bool => udt == "bool",
            Kind::Time => udt == "timestamptz",
            Kind::Inet => udt == "inet",
        }
    }

    fn sqlite_accepts(self, declared: &str) -> bool {
        let d = declared.to_ascii_uppercase();
        match self {
            Kind::Bool => d.contains("INT") || d.contains("BOOL"),
            _ => d.contains("TEXT") || d.contains("CHAR") || d.is_empty(),
        }
    }
}

const fn col(table: &'static str, name: &'static str, kind: Kind, not_null: bool) -> Column {
    Column {
        table,
        name,
        kind,
        not_null,
    }
}

/// Every application column authctl reads or writes (mirrors `src/schema.rs`).
pub const COLUMNS: &[Column] = &[
    col("users", "id", Kind::Uuid, true),
    col("users", "email", Kind::Text(None), true),
    // Room for a disabled hash: '!' plus an argon2id PHC string.
    col("users", "password_hash", Kind::Text(Some(120)), true),
    col("users", "name", Kind::Text(None), false),
    col("users", "role", Kind::Text(None), false),
    col("users", "created_at", Kind::Time, false),
    col("users", "updated_at", Kind::Time, false),
    col("users", "last_login", Kind::Time, false),
    col("users", "email_verified", Kind::Bool, false),
    col("users", "email_verified_at", Kind::Time, false),
    col("users", "reset_token", Kind::Text(None), false),
    col("users", "reset_token_expires", Kind::Time, false),
    col("auth_attempts", "id", Kind::Uuid, true),
    col("auth_attempts", "user_id", Kind::Uuid, false),
    col("auth_attempts", "email", Kind::Text(None), false),
    col("auth_attempts", "ip_address", Kind::Inet, true),
    col("auth_attempts", "user_agent", Kind::Text(None), false),
    col("auth_attempts", "success", Kind::Bool, true),
    col("auth_attempts", "failure_reason", Kind::Text(None), false),
    col("auth_attempts", "timestamp", Kind::Time, false),
    col("auth_attempts", "attempt_type", Kind::Text(None), false),
    col("device_fingerprints", "id", Kind::Uuid, true),
    col("device_fingerprints", "user_id", Kind::Uuid, false),
    col("refresh_tokens", "id", Kind::Uuid, true),
    col("refresh_tokens", "user_id", Kind::Uuid, true),
    col("refresh_tokens", "token", Kind::Text(None), true),
    col("refresh_tokens", "expires_at", Kind::Time, true),
    col("refresh_tokens", "created_at", Kind::Time, false),
    col("refresh_tokens", "revoked_at", Kind::Time, false),
    col("refresh_tokens", "is_revoked", Kind::Bool, false),
    col("refresh_tokens", "user_agent", Kind::Text(None), false),
    col("refresh_tokens", "ip_address", Kind::Inet, false),
    col("login_sessions", "session_id", Kind::Uuid, true),
    col("login_sessions", "user_id", Kind::Uuid, true),
    col("login_sessions", "session_token", Kind::Uuid, true),
    col("login_sessions", "ip_address", Kind::Inet, false),
    col("login_sessions", "user_agent", Kind::Text(None), false),
    col("login_sessions", "created_at", Kind::Time, false),
    col("login_sessions", "expires_at", Kind::Time, true),
    col("login_sessions", "last_activity_at", Kind::Time, false),
    col("login_sessions", "is_active", Kind::Bool, false),
];

/// One column that is not what authctl needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub table: &'static str,
    pub column: &'static str,
    pub expected: String,
    /// `None`: the column does not exist.
    pub found: Option<String>,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.found {
            Some(found) => write!(
                f,
                "{}.{} expected {}, found {}",
                self.table, self.column, self.expected, found
            ),
            None => write!(
                f,
                "{}.{} expected {}, found no such column",
                self.table, self.column, self.expected
            ),
        }
    }
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    udt_name: String,
    #[diesel(sql_type = Nullable<diesel::sql_types::Integer>)]
    max_len: Option<i32>,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    r#type: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    notnull: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pk: i32,
}

/// A column as the database describes it.
struct Found {
    name: String,
    /// The type as shown in messages (`varchar(50)`, `TEXT`).
    shown: String,
    nullable: bool,
    /// PostgreSQL `udt_name` and length, or the SQLite declared type.
    udt: String,
    max_len: Option<i32>,
}

fn describe(conn: &mut DbConn, table: &str) -> QueryResult<Vec<Found>> {
    Ok(match conn {
        DbConn::Postgres(c) => {
            let rows: Vec<PgColumn> = diesel::sql_query(
                "SELECT column_name::text AS column_name, udt_name::text AS udt_name, \
                 character_maximum_length::int AS max_len, is_nullable::text AS is_nullable \
                 FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind::<Text, _>(table)
            .load(c)?;
            rows.into_iter()
                .map(|r| Found {
                    shown: match r.max_len {
                        Some(n) => format!("{}({n})", r.udt_name),
                        None => r.udt_name.clone(),
                    },
                    name: r.column_name,
                    nullable: r.is_nullable == "YES",
                    udt: r.udt_name,
                    max_len: r.max_len,
                })
                .collect()
        }
        DbConn::Sqlite(c) => {
            let rows: Vec<SqliteColumn> =
                diesel::sql_query("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)")
                    .bind::<Text, _>(table)
                    .load(c)?;
            rows.into_iter()
                .map(|r| Found {
                    name: r.name,
                    shown: if r.r#type.is_empty() {
                        "(no type)".into()
                    } else {
                        r.r#type.clone()
                    },
                    nullable: r.notnull == 0 && r.pk == 0,
                    udt: r.r#type,
                    max_len: None,
                })
                .collect()
        }
    })
}

/// Check the columns of `tables` against [`COLUMNS`]; returns every mismatch.
pub fn check(conn: &mut DbConn, tables: &[&str]) -> QueryResult<Vec<Mismatch>> {
    let sqlite = matches!(conn, DbConn::Sqlite(_));
    let mut out = Vec::new();
    for table in tables {
        let found = describe(conn, table)?;
        for c in COLUMNS.iter().filter(|c| c.table == *table) {
            let expected = match (sqlite, c.kind) {
                (true, Kind::Bool) => "INTEGER".to_owned(),
                (true, _) => "TEXT".to_owned(),
                (false, Kind::Text(Some(n))) => format!("text or varchar(>= {n})"),
                (false, k) => k.pg_name().to_owned(),
            };
            let Some(f) = found.iter().find(|f| f.name == c.name) else {
                out.push(Mismatch {
                    table: c.table,
                    column: c.name,
                    expected: format!("{expected}{}", if c.not_null { " NOT NULL" } else { "" }),
                    found: None,
                });
                continue;
            };
            let accepted = if sqlite {
                c.kind.sqlite_accepts(&f.udt)
            } else {
                c.kind.pg_accepts(&f.udt, f.max_len)
            };
            if !accepted {
                out.push(Mismatch {
                    table: c.table,
                    column: c.name,
                    expected,
                    found: Some(f.shown.clone()),
                });
            } else if c.not_null && f.nullable {
                out.push(Mismatch {
                    table: c.table,
                    column: c.name,
                    expected: format!("{expected} NOT NULL"),
                    found: Some(format!("{} (nullable)", f.shown)),
                });
            }
        }
    }
    Ok(out)
}
