//! The export file format, version 1 (docs/backup.md): JSON Lines — a header,
//! one record per line tagged with its table, a trailer with per-table counts and
//! the SHA-256 of every byte before it. Each table's record type and its database
//! access (keyset pages, bulk inserts) are in its repository
//! ([`crate::repo::records`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::db::UtcDateTime;
use crate::repo::records::Records;
use crate::repo::{audit_events, auth_attempts, login_sessions, refresh_tokens, users};

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TableName {
    Users,
    AuthAttempts,
    RefreshTokens,
    LoginSessions,
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
            TableName::Users => users::Table::NAME,
            TableName::AuthAttempts => auth_attempts::Table::NAME,
            TableName::RefreshTokens => refresh_tokens::Table::NAME,
            TableName::LoginSessions => login_sessions::Table::NAME,
            TableName::AuditEvents => audit_events::Table::NAME,
        }
    }

    pub fn parse(s: &str) -> Option<TableName> {
        TableName::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_round_trips_through_its_text() {
        let line = r#"{"id":"6f1c4c1e-1d2b-4c3a-9a8b-0c1d2e3f4a5b","user_id":null,"email":"a@example.com","ip_address":"10.0.0.0/8","user_agent":null,"success":false,"failure_reason":"bad","timestamp":"2026-01-02T03:04:05.123456Z","attempt_type":"login"}"#;
        let row: auth_attempts::AttemptRecord = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&row).unwrap(), line);
        let unknown = line.replace("\"attempt_type\"", "\"extra\"");
        assert!(serde_json::from_str::<auth_attempts::AttemptRecord>(&unknown).is_err());
    }

    #[test]
    fn table_names_are_the_database_names() {
        for t in TableName::ALL {
            assert_eq!(TableName::parse(t.as_str()), Some(t));
        }
        assert_eq!(TableName::AuditEvents.as_str(), "authctl_audit_events");
    }
}
