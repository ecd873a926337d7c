//! The export file format, version 1 (docs/backup.md): JSON Lines — a header,
//! one record per line tagged with its table, a trailer with per-table counts and
//! the SHA-256 of every byte before it. The row structs here are the records; the
//! per-table database access (keyset pages, inserts) is [`BackupTable`].

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::result::QueryResult;
use serde::{Deserialize, Serialize};

use crate::db::UtcDateTime;
use crate::db::{AttemptId, DbConn, Inet, RefreshTokenId, SessionId, SessionToken, UserId};
use crate::schema::{auth_attempts, authctl_audit_events, login_sessions, refresh_tokens, users};
use crate::with_conn;

/// The `format` of every header: a file without it is not an export.
pub const FORMAT_NAME: &str = "authctl-export";
/// The format version this authctl writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;
/// The longest line (header, record or trailer) an import accepts, newline included.
pub const MAX_LINE: usize = 1024 * 1024;

/// The first line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// [`FORMAT_VERSION`] when written by this authctl.
    pub version: u32,
    /// The authctl that wrote the file.
    pub authctl_version: String,
    /// `postgres` or `sqlite`.
    pub source_backend: String,
    /// The migrations applied in the source database (application's, then authctl's).
    pub schema: Vec<String>,
    /// The source database's clock when the snapshot was taken.
    pub database_time: UtcDateTime,
    /// The tables in the file, in file order.
    pub tables: Vec<String>,
    /// False when written with `--exclude-secrets`: refresh and session tokens and
    /// password-reset tokens are left out.
    pub secrets: bool,
}

/// The last line: `{"trailer":{…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trailer {
    /// Records per table (every table of the header, zero included).
    pub counts: BTreeMap<String, u64>,
    /// SHA-256 (lower-case hex) of every byte before the trailer line.
    pub sha256: String,
}

/// One line after the header, before it is known which kind it is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub table: Option<String>,
    pub row: Option<serde_json::Value>,
    pub trailer: Option<Trailer>,
}

/// A record line as written: `{"table":"users","row":{…}}`.
#[derive(Serialize)]
pub struct RecordOut<'a, R: Serialize> {
    pub table: &'a str,
    pub row: &'a R,
}

/// The tables an export holds, in the order they are written and restored
/// (users first: the others refer to them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum TableName {
    #[value(name = "users")]
    Users,
    #[value(name = "auth_attempts")]
    AuthAttempts,
    #[value(name = "refresh_tokens")]
    RefreshTokens,
    #[value(name = "login_sessions")]
    LoginSessions,
    #[value(name = "authctl_audit_events")]
    AuditEvents,
}

impl TableName {
    pub const ALL: [TableName; 5] = [
        TableName::Users,
        TableName::AuthAttempts,
        TableName::RefreshTokens,
        TableName::LoginSessions,
        TableName::AuditEvents,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TableName::Users => Users::NAME,
            TableName::AuthAttempts => AuthAttempts::NAME,
            TableName::RefreshTokens => RefreshTokens::NAME,
            TableName::LoginSessions => LoginSessions::NAME,
            TableName::AuditEvents => AuditEvents::NAME,
        }
    }

    pub fn parse(s: &str) -> Option<TableName> {
        TableName::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// `users`, every column.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize, Deserialize,
)]
#[diesel(table_name = users, treat_none_as_default_value = false, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub password_hash: String,
    pub name: Option<String>,
    pub role: Option<String>,
    pub created_at: Option<UtcDateTime>,
    pub updated_at: Option<UtcDateTime>,
    pub last_login: Option<UtcDateTime>,
    pub email_verified: Option<bool>,
    pub email_verified_at: Option<UtcDateTime>,
    /// A password-reset bearer secret: left out by `--exclude-secrets`.
    pub reset_token: Option<String>,
    pub reset_token_expires: Option<UtcDateTime>,
}

/// `auth_attempts`, every column.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize, Deserialize,
)]
#[diesel(table_name = auth_attempts, treat_none_as_default_value = false, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct AttemptRow {
    pub id: AttemptId,
    pub user_id: Option<UserId>,
    pub email: Option<String>,
    pub ip_address: Inet,
    pub user_agent: Option<String>,
    pub success: bool,
    pub failure_reason: Option<String>,
    pub timestamp: Option<UtcDateTime>,
    pub attempt_type: Option<String>,
}

/// `refresh_tokens`, every column.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize, Deserialize,
)]
#[diesel(table_name = refresh_tokens, treat_none_as_default_value = false, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct RefreshTokenRow {
    pub id: RefreshTokenId,
    pub user_id: UserId,
    /// The raw refresh JWT, a bearer secret: left out by `--exclude-secrets`.
    pub token: String,
    pub expires_at: UtcDateTime,
    pub created_at: Option<UtcDateTime>,
    pub revoked_at: Option<UtcDateTime>,
    pub is_revoked: Option<bool>,
    pub user_agent: Option<String>,
    pub ip_address: Option<Inet>,
}

/// `login_sessions`, every column.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize, Deserialize,
)]
#[diesel(table_name = login_sessions, primary_key(session_id))]
#[diesel(treat_none_as_default_value = false, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct SessionRow {
    pub session_id: SessionId,
    pub user_id: UserId,
    /// A bearer secret: left out by `--exclude-secrets`.
    pub session_token: SessionToken,
    pub ip_address: Option<Inet>,
    pub user_agent: Option<String>,
    pub created_at: Option<UtcDateTime>,
    pub expires_at: UtcDateTime,
    pub last_activity_at: Option<UtcDateTime>,
    pub is_active: Option<bool>,
}

/// `authctl_audit_events`, every column.
#[derive(
    Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Serialize, Deserialize,
)]
#[diesel(table_name = authctl_audit_events, treat_none_as_default_value = false, treat_none_as_null = true)]
#[serde(deny_unknown_fields)]
pub struct AuditRow {
    pub id: i64,
    pub occurred_at: UtcDateTime,
    pub actor: String,
    pub action: String,
    pub user_id: Option<UserId>,
    pub user_email: Option<String>,
    pub detail: Option<String>,
}

/// One table as export and import see it: its record type, its key (keyset pages,
/// conflicts by id), and the statements.
pub trait BackupTable {
    type Row: Serialize + serde::de::DeserializeOwned + Clone;
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
    fn insert(conn: &mut DbConn, rows: &[Self::Row]) -> QueryResult<usize>;
    /// Overwrite the row with the same key with every column of `row`.
    fn update(conn: &mut DbConn, row: &Self::Row) -> QueryResult<usize>;
}

macro_rules! backup_table {
    ($ty:ident, $row:ty, $key:ty, $tbl:ident, $pk:ident, $secret:expr, |$r:ident| $uid:expr) => {
        pub struct $ty;

        impl BackupTable for $ty {
            type Row = $row;
            type Key = $key;
            const NAME: &'static str = stringify!($tbl);
            const SECRET: Option<(&'static str, bool)> = $secret;

            fn key(row: &$row) -> $key {
                row.$pk
            }

            fn user_id($r: &$row) -> Option<UserId> {
                $uid
            }

            fn page(
                conn: &mut DbConn,
                after: Option<$key>,
                limit: i64,
            ) -> QueryResult<Vec<$row>> {
                with_conn!(conn, c => {
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

            fn existing(conn: &mut DbConn, keys: Vec<$key>) -> QueryResult<Vec<$key>> {
                with_conn!(conn, c => $tbl::table
                    .filter($tbl::$pk.eq_any(keys.clone()))
                    .select($tbl::$pk)
                    .load(c))
            }

            fn insert(conn: &mut DbConn, rows: &[$row]) -> QueryResult<usize> {
                crate::bulk_insert!(conn, $tbl::table, rows)
            }

            fn update(conn: &mut DbConn, row: &$row) -> QueryResult<usize> {
                let key = row.$pk;
                with_conn!(conn, c => diesel::update($tbl::table.filter($tbl::$pk.eq(key)))
                    .set(row)
                    .execute(c))
            }
        }
    };
}

backup_table!(
    Users,
    UserRow,
    UserId,
    users,
    id,
    Some(("reset_token", true)),
    |_r| None
);
backup_table!(
    AuthAttempts,
    AttemptRow,
    AttemptId,
    auth_attempts,
    id,
    None,
    |r| r.user_id
);
backup_table!(
    RefreshTokens,
    RefreshTokenRow,
    RefreshTokenId,
    refresh_tokens,
    id,
    Some(("token", false)),
    |r| Some(r.user_id)
);
backup_table!(
    LoginSessions,
    SessionRow,
    SessionId,
    login_sessions,
    session_id,
    Some(("session_token", false)),
    |r| Some(r.user_id)
);
backup_table!(
    AuditEvents,
    AuditRow,
    i64,
    authctl_audit_events,
    id,
    None,
    |r| r.user_id
);

/// Reads the RFC 3339 text [`UtcDateTime`]'s `Serialize` writes (any offset, any
/// fraction; kept to the microsecond both backends store).
impl<'de> Deserialize<'de> for UtcDateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        chrono::DateTime::parse_from_rfc3339(&s)
            .map(|t| UtcDateTime(t.with_timezone(&chrono::Utc)))
            .map_err(|_| serde::de::Error::custom(format!("{s:?} is not an RFC 3339 time")))
    }
}

/// Reads an address as [`Inet`]'s `Serialize` writes it (`192.0.2.1`, `10.0.0.0/8`).
impl<'de> Deserialize<'de> for Inet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_through_its_text() {
        let line = r#"{"id":"6f1c4c1e-1d2b-4c3a-9a8b-0c1d2e3f4a5b","user_id":null,"email":"a@example.com","ip_address":"10.0.0.0/8","user_agent":null,"success":false,"failure_reason":"bad","timestamp":"2026-01-02T03:04:05.123456Z","attempt_type":"login"}"#;
        let row: AttemptRow = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&row).unwrap(), line);
        let unknown = line.replace("\"attempt_type\"", "\"extra\"");
        assert!(serde_json::from_str::<AttemptRow>(&unknown).is_err());
    }

    #[test]
    fn table_names_are_the_database_names() {
        for t in TableName::ALL {
            assert_eq!(TableName::parse(t.as_str()), Some(t));
        }
        assert_eq!(TableName::AuditEvents.as_str(), "authctl_audit_events");
    }
}
