//! Which database a URL names: the backend is chosen from the scheme here, once.
//! Each backend's URL forms are parsed in its own module ([`super::pg::url`],
//! [`super::sqlite::url`]); the PostgreSQL names are re-exported here.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::db::pg::url::parse_pg;
use crate::db::sqlite::url::{is_memory_name, memory_error, parse_sqlite_url};
use crate::error::Error;

pub use crate::db::pg::settings::{LibpqTarget, LibpqView};
pub use crate::db::pg::url::{PgUrl, pg_url_from_parts, runner_name};

/// The database backends authctl speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        })
    }
}

/// A parsed database location.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A libpq connection URL (`postgres://` or `postgresql://`), validated.
    Postgres(PgUrl),
    /// A SQLite database file.
    Sqlite(PathBuf),
}

impl DatabaseTarget {
    /// Parse `postgres://…`, `postgresql://…`, a SQLite URL (`sqlite:PATH`,
    /// `sqlite://PATH`, `sqlite:///ABSOLUTE`, `file:PATH`, `file:///ABSOLUTE`) or a plain
    /// file path. Unknown schemes, malformed PostgreSQL URLs and SQLite forms that
    /// cannot persist (`:memory:`) are configuration errors.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Error::config("database URL is empty"));
        }
        if let Some(scheme) = scheme_of(s) {
            let lower = scheme.to_ascii_lowercase();
            return match lower.as_str() {
                "postgres" | "postgresql" => parse_pg(s).map(DatabaseTarget::Postgres),
                "sqlite" | "file" => parse_sqlite_url(s, &lower, &s[scheme.len() + 1..]),
                "mysql" | "mariadb" => Err(Error::config(format!(
                    "database URL scheme '{scheme}://' is not supported yet (authctl supports postgres://, postgresql://, sqlite://, file: or a file path)"
                ))),
                _ if scheme.len() == 1 => Err(Error::config(format!(
                    "database URL {} starts with '{scheme}:', a Windows drive letter: authctl takes \
                     postgres://…, postgresql://…, sqlite:PATH, sqlite://PATH, file:PATH or a Unix file path \
                     (for a file whose name starts so, write ./{})",
                    crate::email::printable(s),
                    crate::email::terminal_safe(s)
                ))),
                _ => Err(Error::config(format!(
                    "unknown database URL scheme '{}' (accepted: postgres://…, postgresql://…, sqlite:PATH, \
                     sqlite://PATH, sqlite:///ABSOLUTE, file:PATH or a file path; for a file whose name \
                     has a colon, write ./NAME)",
                    crate::email::terminal_safe(scheme)
                ))),
            };
        }
        if is_memory_name(s) {
            return Err(memory_error(s));
        }
        Ok(DatabaseTarget::Sqlite(PathBuf::from(s)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseTarget::Postgres(_) => Backend::Postgres,
            DatabaseTarget::Sqlite(_) => Backend::Sqlite,
        }
    }

    /// A database server (production's kind), not the embedded file.
    pub fn is_server(&self) -> bool {
        matches!(self, DatabaseTarget::Postgres(_))
    }

    /// Printable form with any password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseTarget::Postgres(u) => u.redacted(),
            DatabaseTarget::Sqlite(p) => format!("sqlite://{}", p.display()),
        }
    }

    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            DatabaseTarget::Sqlite(p) => Some(p),
            DatabaseTarget::Postgres(_) => None,
        }
    }

    /// Every secret this target holds, for scrubbing from error messages.
    pub fn secrets(&self) -> Vec<String> {
        match self {
            DatabaseTarget::Postgres(u) => u.secrets(),
            DatabaseTarget::Sqlite(_) => Vec::new(),
        }
    }

    /// `msg` with every password replaced by `***`: see [`PgUrl::scrub`].
    pub fn scrub(&self, msg: &str) -> String {
        match self {
            DatabaseTarget::Postgres(u) => u.scrub(msg),
            DatabaseTarget::Sqlite(_) => crate::db::pg::url::scrub_passwords(msg),
        }
    }
}

impl fmt::Debug for DatabaseTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Display for DatabaseTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// `Some("scheme")` when `s` starts with a URI scheme and a colon (`scheme:…`,
/// RFC 3986 syntax: a letter, then letters, digits, `+`, `-`, `.`), with or without
/// `//`. Every such prefix is a URL, known or not: `sqlite3:/tmp/x.db` is refused
/// as an unknown scheme rather than created as the directory `./sqlite3:`, and
/// `postgres:user:pw@host/db` is a configuration error, not a file path that would
/// print its password. A single letter (`C:x.db`, a Windows drive) is refused too.
/// A relative file name with a colon stays possible as `./NAME`.
fn scheme_of(s: &str) -> Option<&str> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// Every `%` must start a two-digit hex escape, and `%00` is refused (libpq's rules).
pub(crate) fn check_percent_escapes(s: &str, what: &str) -> Result<(), Error> {
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'%' {
            let ok =
                b.len() > i + 2 && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit();
            if !ok {
                return Err(Error::config(format!(
                    "invalid {what}: a '%' at byte {i} does not start a percent-escape (two hex digits; write %25 for a literal %)"
                )));
            }
            if b[i + 1] == b'0' && b[i + 2] == b'0' {
                return Err(Error::config(format!(
                    "invalid {what}: %00 (a NUL byte) at byte {i} is not allowed"
                )));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes() {
        assert_eq!(
            DatabaseTarget::parse("postgres://u:p@h:5433/db")
                .unwrap()
                .backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseTarget::parse("postgresql://u@h/db")
                .unwrap()
                .backend(),
            Backend::Postgres
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite:///var/lib/a.db").unwrap(),
            DatabaseTarget::Sqlite("/var/lib/a.db".into())
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite://rel.db").unwrap(),
            DatabaseTarget::Sqlite("rel.db".into())
        );
        assert_eq!(
            DatabaseTarget::parse("./x/auth.db").unwrap(),
            DatabaseTarget::Sqlite("./x/auth.db".into())
        );
        let e = DatabaseTarget::parse("mongodb://h/db").unwrap_err();
        assert!(
            e.message.contains("unknown database URL scheme 'mongodb'"),
            "{e}"
        );
        for no_slashes in [
            "postgres:app:hunter22@db/auth",
            "postgresql:/app:hunter22@db/auth",
        ] {
            let e = DatabaseTarget::parse(no_slashes).unwrap_err();
            assert_eq!(e.kind, crate::error::ExitCode::Config, "{no_slashes}");
            assert!(!e.message.contains("hunter22"), "{e}");
        }
        // Any scheme prefix is a URL: never a directory `./sqlite3:` or `./C:`.
        for bad in [
            "sqlite3:/tmp/x/y.db",
            "sqlite3:y.db",
            "http://h/x",
            "C:x.db",
            "c:\\x.db",
        ] {
            let e = DatabaseTarget::parse(bad).unwrap_err();
            assert_eq!(e.kind, crate::error::ExitCode::Config, "{bad}");
            assert!(
                e.message.contains("./"),
                "{bad}: says how to name such a file: {e}"
            );
        }
        assert_eq!(
            DatabaseTarget::parse("./sqlite3:y.db").unwrap(),
            DatabaseTarget::Sqlite("./sqlite3:y.db".into())
        );
        assert_eq!(
            DatabaseTarget::parse("data/a:b.db").unwrap(),
            DatabaseTarget::Sqlite("data/a:b.db".into())
        );
        let e = DatabaseTarget::parse("mysql://h/db").unwrap_err();
        assert!(e.message.contains("not supported yet"), "{e}");
    }

    #[test]
    fn bad_pg_urls_are_config_errors_without_password() {
        for bad in [
            "postgres://u:hunter22@h:99999/db",
            "postgres://u:hunter22@h:abc/db",
            "postgres://u:hunter22@/db",
            "postgres://u:hunter22@h:0/db",
        ] {
            let e = DatabaseTarget::parse(bad).unwrap_err();
            assert_eq!(e.kind, crate::error::ExitCode::Config);
            assert!(!e.message.contains("hunter22"), "{bad}: {e}");
        }
    }

    #[test]
    fn redaction() {
        let t = DatabaseTarget::parse(
            "postgres://app:s%40cret@db.example:5432/auth?password=x1y2z3&sslmode=require",
        )
        .unwrap();
        let r = t.redacted();
        assert!(!r.contains("s%40cret") && !r.contains("x1y2z3"), "{r}");
        assert!(r.contains("app:***@db.example"), "{r}");
        assert_eq!(
            t.scrub("failed for s@cret and x1y2z3"),
            "failed for *** and ***"
        );
    }
}
