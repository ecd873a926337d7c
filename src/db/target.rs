//! Which database a URL names: the backend is chosen from the scheme here, once.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The database backends authctl speaks. MySQL/MariaDB will be a third variant.
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

/// The `application_name` authctl connects with unless the URL sets one:
/// `authctl@<host>:<pid>`, at most 63 bytes (PostgreSQL's limit). It names this
/// runner in `pg_stat_activity`, so a busy lock can say who holds it — also behind
/// PgBouncer, which passes `application_name` through.
pub fn runner_name() -> String {
    let host = whoami::hostname().unwrap_or_else(|_| "localhost".into());
    let pid = std::process::id();
    let room = 63 - format!("authctl@:{pid}").len();
    let host: String = host
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .scan(0, |len, c| {
            *len += c.len_utf8();
            (*len <= room).then_some(c)
        })
        .collect();
    format!("authctl@{host}:{pid}")
}

/// A PostgreSQL URL with its parts checked. `Debug`/`Display` never show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct PgUrl {
    url: url::Url,
}

impl PgUrl {
    /// The full URL including the password: only for handing to libpq.
    pub fn expose(&self) -> &str {
        self.url.as_str()
    }
    pub fn host(&self) -> String {
        self.url
            .host_str()
            .map(str::to_owned)
            .or_else(|| query_param(&self.url, "host"))
            .unwrap_or_default()
    }
    pub fn port(&self) -> u16 {
        self.url
            .port()
            .or_else(|| query_param(&self.url, "port").and_then(|p| p.parse().ok()))
            .unwrap_or(5432)
    }
    pub fn database(&self) -> String {
        let path = self.url.path().trim_start_matches('/');
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        if decoded.is_empty() {
            query_param(&self.url, "dbname").unwrap_or_else(|| self.user())
        } else {
            decoded.into_owned()
        }
    }
    pub fn user(&self) -> String {
        let user = percent_encoding::percent_decode_str(self.url.username())
            .decode_utf8_lossy()
            .into_owned();
        if user.is_empty() {
            query_param(&self.url, "user").unwrap_or_default()
        } else {
            user
        }
    }
    /// The password, decoded; empty when none is set.
    pub fn password(&self) -> String {
        self.url
            .password()
            .map(|p| {
                percent_encoding::percent_decode_str(p)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .or_else(|| query_param(&self.url, "password"))
            .unwrap_or_default()
    }
    /// `sslmode` from the query string (libpq's default is `prefer`).
    pub fn sslmode(&self) -> Option<String> {
        query_param(&self.url, "sslmode")
    }
    /// The URL with `connect_timeout` and `application_name` added unless present.
    pub fn with_defaults(&self, connect_timeout_secs: u64) -> String {
        let mut url = self.url.clone();
        let has = |k: &str| url.query_pairs().any(|(key, _)| key == k);
        let add_timeout = !has("connect_timeout");
        let add_app = !has("application_name");
        {
            let mut q = url.query_pairs_mut();
            if add_timeout {
                // libpq waits forever when unset; its minimum is 2 s.
                q.append_pair("connect_timeout", &connect_timeout_secs.max(2).to_string());
            }
            if add_app {
                q.append_pair("application_name", &runner_name());
            }
        }
        url.to_string()
    }
    /// The URL with the password replaced by `***` (also a `password=` query parameter).
    pub fn redacted(&self) -> String {
        let mut url = self.url.clone();
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
        }
        if url.query_pairs().any(|(k, _)| k == "password") {
            let pairs: Vec<(String, String)> = url
                .query_pairs()
                .map(|(k, v)| {
                    let v = if k == "password" {
                        "***".into()
                    } else {
                        v.into_owned()
                    };
                    (k.into_owned(), v)
                })
                .collect();
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        url.to_string()
    }
}

fn query_param(url: &url::Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl DatabaseTarget {
    /// Parse `postgres://…`, `postgresql://…`, `sqlite://PATH`, `sqlite:PATH` or a plain
    /// file path. Unknown schemes and malformed PostgreSQL URLs are configuration errors.
    pub fn parse(input: &str) -> Result<Self, Error> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Error::config("database URL is empty"));
        }
        if let Some(scheme) = scheme_of(s) {
            let lower = scheme.to_ascii_lowercase();
            return match lower.as_str() {
                "postgres" | "postgresql" => parse_pg(s).map(DatabaseTarget::Postgres),
                "sqlite" => {
                    let rest = &s[scheme.len() + 1..];
                    let rest = rest.strip_prefix("//").unwrap_or(rest);
                    let path = rest.split('?').next().unwrap_or_default();
                    if path.is_empty() {
                        return Err(Error::config(format!(
                            "database URL {s:?} names no file: use sqlite:///absolute/path.db or sqlite://relative.db"
                        )));
                    }
                    Ok(DatabaseTarget::Sqlite(PathBuf::from(path)))
                }
                "mysql" | "mariadb" => Err(Error::config(format!(
                    "database URL scheme '{scheme}://' is not supported yet (authctl supports postgres://, postgresql://, sqlite:// or a file path)"
                ))),
                _ => Err(Error::config(format!(
                    "unknown database URL scheme '{scheme}' (expected postgres://, postgresql://, sqlite://PATH or a file path)"
                ))),
            };
        }
        Ok(DatabaseTarget::Sqlite(PathBuf::from(s)))
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseTarget::Postgres(_) => Backend::Postgres,
            DatabaseTarget::Sqlite(_) => Backend::Sqlite,
        }
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
            DatabaseTarget::Postgres(u) => {
                let mut v = Vec::new();
                if let Some(raw) = u.url.password() {
                    v.push(raw.to_owned());
                }
                if let Some(raw) = u.url.password() {
                    let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
                    v.push(decoded.into_owned());
                }
                if let Some(q) = query_param(&u.url, "password") {
                    v.push(q);
                }
                v.retain(|s| s.len() >= 3);
                v
            }
            DatabaseTarget::Sqlite(_) => Vec::new(),
        }
    }

    /// Replace every secret of this target in `msg` with `***`.
    pub fn scrub(&self, msg: &str) -> String {
        let mut out = msg.to_owned();
        for s in self.secrets() {
            out = out.replace(&s, "***");
        }
        out
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

/// `Some("scheme")` when `s` starts with `scheme://` or `sqlite:`.
fn scheme_of(s: &str) -> Option<&str> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let valid = !scheme.is_empty()
        && scheme.len() > 1 // not a Windows drive letter
        && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid {
        return None;
    }
    // A known scheme is a URL even without "//" (`postgres:user:pw@host/db` must be a
    // configuration error, not a file path that would print its password).
    let known = ["postgres", "postgresql", "mysql", "mariadb", "sqlite"]
        .iter()
        .any(|k| scheme.eq_ignore_ascii_case(k));
    if s[colon + 1..].starts_with("//") || known {
        Some(scheme)
    } else {
        None
    }
}

fn parse_pg(s: &str) -> Result<PgUrl, Error> {
    let url = url::Url::parse(s).map_err(|e| {
        // Never echo the input: it may hold a password.
        Error::config(format!("invalid PostgreSQL URL: {e}"))
    })?;
    if url.cannot_be_a_base() || !s[s.find(':').unwrap_or(0) + 1..].starts_with("//") {
        return Err(Error::config(
            "invalid PostgreSQL URL: expected postgres://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE",
        ));
    }
    let pg = PgUrl { url };
    if pg.url.host_str().is_none_or(str::is_empty) && query_param(&pg.url, "host").is_none() {
        return Err(Error::config(format!(
            "PostgreSQL URL {} has no host (use postgres://HOST[:PORT]/DB, or ?host=/run/postgresql for a Unix socket)",
            pg.redacted()
        )));
    }
    if pg.url.port() == Some(0) {
        return Err(Error::config(format!(
            "PostgreSQL URL {} has port 0",
            pg.redacted()
        )));
    }
    Ok(pg)
}

/// Build the PostgreSQL URL from the seed application's `DB_*` variables,
/// percent-encoding every part.
pub fn pg_url_from_parts(
    host: &str,
    port: u16,
    database: &str,
    user: &str,
    password: &str,
) -> Result<DatabaseTarget, Error> {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    const PART: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    let enc = |s: &str| utf8_percent_encode(s, PART).to_string();
    let host_part = if host.starts_with('/') {
        // Unix socket directory: libpq takes it as a query parameter.
        String::new()
    } else if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]") // IPv6 literal
    } else {
        enc(host)
    };
    let auth = if password.is_empty() {
        enc(user)
    } else {
        format!("{}:{}", enc(user), enc(password))
    };
    // A URL path of "." or ".." would be normalized away: pass such names as dbname.
    let (path, mut query) = if database == "." || database == ".." {
        (String::new(), vec![format!("dbname={}", enc(database))])
    } else {
        (enc(database), Vec::new())
    };
    if host.starts_with('/') {
        // A URL with credentials or a port needs a host: for a Unix socket directory
        // every part goes into the query string, which libpq reads.
        query.push(format!("host={}", enc(host)));
        query.push(format!("port={port}"));
        query.push(format!("user={}", enc(user)));
        if !password.is_empty() {
            query.push(format!("password={}", enc(password)));
        }
        return DatabaseTarget::parse(&format!("postgres:///{path}?{}", query.join("&")));
    }
    let mut url = format!("postgres://{auth}@{host_part}:{port}/{path}");
    if !query.is_empty() {
        url.push('?');
        url.push_str(&query.join("&"));
    }
    DatabaseTarget::parse(&url)
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

    #[test]
    fn parts_are_percent_encoded() {
        let t = pg_url_from_parts("db.local", 6543, "auth db", "app@corp", "p@ss:w/rd#?").unwrap();
        let DatabaseTarget::Postgres(u) = &t else {
            panic!()
        };
        assert_eq!(u.host(), "db.local");
        assert_eq!(u.port(), 6543);
        assert_eq!(u.database(), "auth db");
        assert_eq!(u.user(), "app@corp");
        assert_eq!(u.password(), "p@ss:w/rd#?");
        let socket = pg_url_from_parts("/run/postgresql", 5433, "auth", "app", "p@ss").unwrap();
        let DatabaseTarget::Postgres(u) = &socket else {
            panic!()
        };
        assert_eq!(u.host(), "/run/postgresql");
        assert_eq!(u.port(), 5433);
        assert_eq!((u.user().as_str(), u.database().as_str()), ("app", "auth"));
        assert_eq!(u.password(), "p@ss");
        assert!(!socket.redacted().contains("p@ss"), "{}", socket.redacted());
        let v6 = pg_url_from_parts("::1", 5432, "a", "u", "").unwrap();
        let DatabaseTarget::Postgres(u) = &v6 else {
            panic!()
        };
        assert_eq!(u.host(), "[::1]");
    }
}
