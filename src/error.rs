//! Error kinds and the exit codes they map to — the only place that knows them.
//!
//! Library code returns `anyhow::Error` (or `QueryResult` in the repositories);
//! when a failure has a meaning for the caller it carries an [`Error`] somewhere in
//! its cause chain. [`exit_code`] walks the chain once, at the binary edge.

use std::fmt;

/// Exit codes, sysexits-style. Documented in docs/exit-codes.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// Success.
    Ok = 0,
    /// A check found problems (`migrate --check`, `--check-production`) or the
    /// operator declined a confirmation.
    CheckFailed = 1,
    /// Wrong usage: bad flags, a required answer with no terminal, conflicting options.
    Usage = 64,
    /// Bad data: an invalid value, an unknown user or id, a duplicate, a password
    /// rejected by policy, an edited or unknown applied migration.
    Data = 65,
    /// An input file (e.g. `--password-file`) or the SQLite database file named does
    /// not exist or cannot be read.
    NoInput = 66,
    /// The database cannot be reached or opened.
    Unavailable = 69,
    /// Output could not be written (stdout closed, a full disk, a broken pipe after a
    /// change): a generated password is written before the commit, so that change
    /// was rolled back; any other change was committed, and the message says which.
    IoErr = 74,
    /// A bug or an unexpected failure inside authctl.
    Internal = 70,
    /// Temporary: the database is busy or locked, another run holds the lock. Retry later.
    Busy = 75,
    /// Permission denied: the database user lacks a privilege (PostgreSQL), or the
    /// SQLite file (or its directory) cannot be read or written by this OS user.
    NoPerm = 77,
    /// Configuration: bad or contradictory settings, production rules, schema not migrated.
    Config = 78,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// A failure whose kind decides the exit code. Put one in the cause chain
/// (`return Err(Error::data("…").into())` or `.context(Error::…)`).
#[derive(Debug)]
pub struct Error {
    pub kind: ExitCode,
    pub message: String,
}

impl Error {
    pub fn new(kind: ExitCode, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Usage, message)
    }
    pub fn data(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Data, message)
    }
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Config, message)
    }
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Unavailable, message)
    }
    pub fn busy(message: impl Into<String>) -> Self {
        Self::new(ExitCode::Busy, message)
    }
    pub fn check_failed(message: impl Into<String>) -> Self {
        Self::new(ExitCode::CheckFailed, message)
    }
    pub fn no_input(message: impl Into<String>) -> Self {
        Self::new(ExitCode::NoInput, message)
    }
    pub fn no_perm(message: impl Into<String>) -> Self {
        Self::new(ExitCode::NoPerm, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The command printed its answer on stdout and ends with this exit code, with no
/// error message (`attempts check`: a blocked address is exit 1, said once, on
/// stdout).
#[derive(Debug)]
pub struct Answered(pub ExitCode);

impl fmt::Display for Answered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "answered with exit code {}", self.0.code())
    }
}

impl std::error::Error for Answered {}

/// The exit code for an error: the first [`Error`] in the chain decides; otherwise
/// database errors are classified (busy/locked → 75, lost connection → 69);
/// everything else is internal (70).
pub fn exit_code(err: &anyhow::Error) -> ExitCode {
    // An Error attached with `.context(Error::…)` is not visible through chain().
    if let Some(e) = err.downcast_ref::<Error>() {
        return refine(e);
    }
    if let Some(Answered(code)) = err.downcast_ref::<Answered>() {
        return *code;
    }
    for cause in err.chain() {
        if let Some(e) = cause.downcast_ref::<Error>() {
            return refine(e);
        }
    }
    for cause in err.chain() {
        // Several users with one email in different cases: bad data (65).
        if let Some(e) = cause.downcast_ref::<crate::repo::users::FindByEmailError>() {
            return match e {
                crate::repo::users::FindByEmailError::Db(e) => classify_diesel(e),
                crate::repo::users::FindByEmailError::Ambiguous { .. } => ExitCode::Data,
            };
        }
        if let Some(e) = cause.downcast_ref::<diesel::result::Error>() {
            return classify_diesel(e);
        }
        if let Some(e) = cause.downcast_ref::<diesel::ConnectionError>() {
            return match e {
                diesel::ConnectionError::InvalidConnectionUrl(_) => ExitCode::Config,
                _ => ExitCode::Unavailable,
            };
        }
    }
    ExitCode::Internal
}

/// An "unavailable" connection failure whose cause is really the configuration (libpq
/// refused a connection parameter, e.g. `PGSSLMODE=bogus`) or a missing privilege
/// (`permission denied for database`) gets that code instead: retrying cannot help.
fn refine(e: &Error) -> ExitCode {
    if e.kind == ExitCode::Unavailable {
        if is_invalid_parameter_message(&e.message) {
            return ExitCode::Config;
        }
        if is_permission_message(&e.message) {
            return ExitCode::NoPerm;
        }
    }
    e.kind
}

/// Classify a database error: contention (lock timeouts, `database is locked`,
/// serialization failures) is temporary; a lost connection is "unavailable"; a
/// missing privilege or a read-only SQLite file is "permission denied".
pub fn classify_diesel(e: &diesel::result::Error) -> ExitCode {
    use diesel::result::{DatabaseErrorKind as K, Error as E};
    match e {
        E::DatabaseError(K::SerializationFailure, _) => ExitCode::Busy,
        // A write on a standby (25006): try again on the primary.
        E::DatabaseError(K::ReadOnlyTransaction, _) => ExitCode::Busy,
        E::DatabaseError(K::ClosedConnection | K::UnableToSendCommand, _) => ExitCode::Unavailable,
        e if is_connection_lost(e) => ExitCode::Unavailable,
        E::DatabaseError(K::UniqueViolation | K::ForeignKeyViolation | K::CheckViolation, _) => {
            ExitCode::Data
        }
        E::DatabaseError(_, info) if is_busy_message(info.message()) => ExitCode::Busy,
        E::DatabaseError(_, info) if is_permission_message(info.message()) => ExitCode::NoPerm,
        _ => ExitCode::Internal,
    }
}

/// The connection to the server went away under a statement: the server crashed
/// or restarted, a failover, `pg_terminate_backend` (SQLSTATE 57P01, which diesel
/// does not expose: its message), or the network.
pub fn is_connection_lost(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind as K, Error as E};
    match e {
        E::DatabaseError(K::ClosedConnection | K::UnableToSendCommand, _) => true,
        E::DatabaseError(_, info) => {
            let m = info.message().to_ascii_lowercase();
            [
                "server closed the connection unexpectedly",
                "terminating connection due to",
                "connection has been closed unexpectedly",
                "could not receive data from server",
                "no connection to the server",
                "connection to server was lost",
            ]
            .iter()
            .any(|p| m.contains(p))
        }
        _ => false,
    }
}

/// Messages for a missing privilege. diesel does not expose the SQLSTATE, so
/// PostgreSQL's `insufficient_privilege` (42501) is recognised by its English text
/// (`permission denied for table users`, `… for schema public`, `must be owner of
/// table users`); SQLite's by `attempt to write a readonly database` (a file or
/// directory this OS user may not write).
pub fn is_permission_message(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    m.contains("permission denied for ")
        || m.contains("permission denied to ")
        || m.contains("must be owner of ")
        || m.contains("attempt to write a readonly database")
}

/// libpq's messages for a connection parameter it refuses before connecting
/// (from the URL or a `PG*` variable): configuration, not an outage.
pub fn is_invalid_parameter_message(msg: &str) -> bool {
    [
        "invalid sslmode value",
        "invalid gssencmode value",
        "invalid channel_binding value",
        "invalid target_session_attrs value",
        "invalid load_balance_hosts value",
        "invalid sslnegotiation value",
        "invalid sslcertmode value",
        "invalid require_auth value",
        "invalid ssl_min_protocol_version value",
        "invalid ssl_max_protocol_version value",
        "invalid uri query parameter",
        "invalid percent-encoded token",
        "invalid connection option",
        "invalid integer value",
        "invalid port number",
        "invalid value for parameter",
        "forbidden value %00",
    ]
    .iter()
    .any(|p| msg.to_ascii_lowercase().contains(p))
}

/// Messages PostgreSQL and SQLite use for lock and statement timeouts.
pub fn is_busy_message(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    m.contains("database is locked")
        || m.contains("database table is locked")
        || m.contains("lock timeout")
        || m.contains("statement timeout")
        || m.contains("could not obtain lock")
        || m.contains("deadlock detected")
}
