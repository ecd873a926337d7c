//! Repositories: one module per table, reached through [`crate::ops`]. Every
//! function takes a [`DbConn`] and returns a `QueryResult`; callers wrap several
//! calls in [`DbConn::transaction`] when they must succeed or fail together (e.g. a
//! change and its audit event), and add the context of what they were doing.
//!
//! [`DbConn`]: crate::db::DbConn
//! [`DbConn::transaction`]: crate::db::DbConn::transaction

pub mod audit_events;
pub mod auth_attempts;
pub mod login_sessions;
pub mod purge_runs;
pub mod records;
pub mod refresh_tokens;
pub mod users;

pub use audit_events::{AuditAction, AuditEvent, AuditFilter, NewAuditEvent};
pub use login_sessions::{LoginSession, NewSession, SessionChanges};
pub use refresh_tokens::{NewRefreshToken, RefreshToken};
pub use users::{DormantUser, NewUser, User, UserChanges, UserFilter, UserStatus};

/// Whether a token or session can still be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CredentialState {
    Active,
    Expired,
    Revoked,
}

impl std::fmt::Display for CredentialState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CredentialState::Active => "active",
            CredentialState::Expired => "expired",
            CredentialState::Revoked => "revoked",
        })
    }
}

/// The row of a raw `SELECT count(*) AS n …`.
#[derive(diesel::QueryableByName)]
pub(crate) struct CountRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub n: i64,
}

/// Escape `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
