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
    /// The host, or the Unix socket directory (`?host=/run/postgresql`, or a
    /// percent-encoded `%2Frun%2Fpostgresql` in the host part), decoded.
    pub fn host(&self) -> String {
        self.url
            .host_str()
            .filter(|h| !h.is_empty())
            .map(|h| {
                percent_encoding::percent_decode_str(h)
                    .decode_utf8_lossy()
                    .into_owned()
            })
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

/// How libpq will authenticate and encrypt a connection, worked out the way libpq
/// does it and without connecting: the URL's options over this process's `PG*`
/// variables (`PQconninfoParse`, `PQconndefaults`), then the password file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibpqView {
    /// Where the password comes from (`the database URL`, `PGPASSWORD`, `password file
    /// …`), or `None` when libpq has none to send.
    pub password_source: Option<String>,
    /// A client certificate libpq will offer (its path), if any.
    pub client_cert: Option<String>,
    /// The effective `sslmode` and where it comes from.
    pub sslmode: String,
    pub sslmode_source: String,
}

/// The Unix socket directory this libpq was built with (the password file calls it
/// `localhost`).
const DEFAULT_SOCKET_DIR: &str = if cfg!(feature = "bundled") {
    "/tmp"
} else {
    "/var/run/postgresql"
};

impl PgUrl {
    /// See [`LibpqView`].
    pub fn libpq_view(&self) -> LibpqView {
        let url_opts: std::collections::HashMap<String, String> = libpq::parse(self.url.as_str())
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let defaults: std::collections::HashMap<String, String> = libpq::defaults()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let env_set = |var: &str| std::env::var_os(var).is_some_and(|v| !v.is_empty());
        // `?service=NAME`: libpq fills what the URL leaves unset from the service
        // file, before the environment (PQconninfoParse does not expand it).
        let service = url_opts
            .get("service")
            .and_then(|name| service_options(name).map(|(opts, from)| (opts, from, name.clone())));
        let get = |key: &str, var: &str| -> Option<(String, String)> {
            if let Some(v) = url_opts.get(key) {
                return Some((v.clone(), "the database URL".to_owned()));
            }
            if let Some((opts, file, name)) = &service
                && let Some(v) = opts.get(key)
            {
                return Some((v.clone(), format!("service {name} in {file}")));
            }
            defaults.get(key).map(|v| {
                let src = if env_set(var) {
                    var.to_owned()
                } else {
                    "libpq's default".to_owned()
                };
                (v.clone(), src)
            })
        };
        let user = get("user", "PGUSER").map(|(v, _)| v).unwrap_or_default();
        let password_source = match get("password", "PGPASSWORD") {
            Some((_, src)) => Some(src),
            None => {
                let file = get("passfile", "PGPASSFILE")
                    .map(|(v, _)| v)
                    .or_else(|| dirs::home_dir().map(|h| h.join(".pgpass").display().to_string()));
                let mut host = self.host();
                if host.is_empty() || host == DEFAULT_SOCKET_DIR {
                    host = "localhost".into();
                }
                let database = {
                    let d = self.database();
                    if d.is_empty() { user.clone() } else { d }
                };
                file.filter(|f| {
                    password_from_file(
                        std::path::Path::new(f),
                        &host,
                        &self.port().to_string(),
                        &database,
                        &user,
                    )
                    .is_some_and(|p| !p.is_empty())
                })
                .map(|f| format!("password file {f}"))
            }
        };
        let (mut sslmode, mut sslmode_source) =
            get("sslmode", "PGSSLMODE").unwrap_or(("prefer".into(), "libpq's default".into()));
        if !url_opts.contains_key("sslmode")
            && !env_set("PGSSLMODE")
            && get("sslrootcert", "PGSSLROOTCERT").is_some_and(|(v, _)| v == "system")
        {
            // libpq: sslrootcert=system makes verify-full the default.
            sslmode = "verify-full".into();
            sslmode_source = "sslrootcert=system".into();
        }
        let client_cert = if sslmode == "disable" {
            None
        } else {
            get("sslcert", "PGSSLCERT")
                .map(|(v, _)| v)
                .or_else(|| {
                    dirs::home_dir()
                        .map(|h| h.join(".postgresql/postgresql.crt").display().to_string())
                })
                .filter(|p| std::path::Path::new(p).is_file())
        };
        LibpqView {
            password_source,
            client_cert,
            sslmode,
            sslmode_source,
        }
    }
}

/// libpq's service lookup (`parseServiceInfo`) for service `name`: the user's file
/// (`PGSERVICEFILE`, else `~/.pg_service.conf`) first; when the service is not
/// there, the system file `pg_service.conf` in `PGSYSCONFDIR`. Returns the
/// service's options (empty values dropped) and the file they came from. (Without
/// `PGSYSCONFDIR`, libpq also reads the system file of its build-time sysconfdir,
/// which authctl does not know: set `PGSYSCONFDIR` for such a service.)
fn service_options(name: &str) -> Option<(std::collections::HashMap<String, String>, String)> {
    let user_file = std::env::var_os("PGSERVICEFILE")
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".pg_service.conf")));
    let system_file = std::env::var_os("PGSYSCONFDIR")
        .filter(|v| !v.is_empty())
        .map(|d| std::path::PathBuf::from(d).join("pg_service.conf"));
    [user_file, system_file]
        .into_iter()
        .flatten()
        .find_map(|file| {
            let text = std::fs::read_to_string(&file).ok()?;
            service_in(&text, name).map(|opts| (opts, file.display().to_string()))
        })
}

/// The options of `[name]` in a service file's text (`key=value` lines; `#`
/// comments and blank lines skipped), or `None` when it has no such section.
fn service_in(text: &str, name: &str) -> Option<std::collections::HashMap<String, String>> {
    let mut found = None;
    let mut in_section = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            if in_section {
                break;
            }
            in_section = section == name;
            if in_section {
                found = Some(std::collections::HashMap::new());
            }
            continue;
        }
        if in_section
            && let Some((k, v)) = line.split_once('=')
            && let Some(opts) = found.as_mut()
        {
            let v = v.trim();
            if !v.is_empty() {
                opts.insert(k.trim().to_owned(), v.to_owned());
            }
        }
    }
    found
}

/// libpq's `passwordFromFile`: the first `host:port:database:user:password` line
/// matching (`*` matches anything, `\` escapes); a file readable by group or others,
/// or not a regular file, is ignored, as libpq ignores it.
fn password_from_file(
    path: &std::path::Path,
    host: &str,
    port: &str,
    database: &str,
    user: &str,
) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    if database.is_empty() || user.is_empty() {
        return None;
    }
    let meta = std::fs::metadata(path).ok()?;
    if !meta.is_file() || meta.permissions().mode() & 0o077 != 0 {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    fn matches<'a>(field: &'a str, token: &str) -> Option<&'a str> {
        if let Some(rest) = field.strip_prefix("*:") {
            return Some(rest);
        }
        let mut chars = field.char_indices();
        let mut tok = token.chars();
        while let Some((i, mut c)) = chars.next() {
            let mut escaped = false;
            if c == '\\' {
                match chars.next() {
                    Some((_, n)) => {
                        c = n;
                        escaped = true;
                    }
                    None => return None,
                }
            }
            if c == ':' && !escaped && tok.clone().next().is_none() {
                return Some(&field[i + 1..]);
            }
            if tok.next() != Some(c) {
                return None;
            }
        }
        None
    }
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with('#') {
            continue;
        }
        let rest = matches(line, host)
            .and_then(|r| matches(r, port))
            .and_then(|r| matches(r, database))
            .and_then(|r| matches(r, user));
        if let Some(pw) = rest {
            let mut out = String::new();
            let mut it = pw.chars();
            while let Some(c) = it.next() {
                match c {
                    ':' => break,
                    '\\' => {
                        if let Some(n) = it.next() {
                            out.push(n);
                        }
                    }
                    c => out.push(c),
                }
            }
            return Some(out);
        }
    }
    None
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

fn parse_pg(s: &str) -> Result<PgUrl, Error> {
    // Never echo the input in these errors: it may hold a password.
    check_percent_escapes(s, "PostgreSQL URL")?;
    if !s[s.find(':').unwrap_or(0) + 1..].starts_with("//") {
        return Err(Error::config(
            "invalid PostgreSQL URL: expected postgres://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE",
        ));
    }
    let normalized = move_authority_to_query(s)?;
    let url = url::Url::parse(&normalized)
        .map_err(|e| Error::config(format!("invalid PostgreSQL URL: {e}")))?;
    if url.cannot_be_a_base() {
        return Err(Error::config(
            "invalid PostgreSQL URL: expected postgres://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE",
        ));
    }
    let pg = PgUrl { url };
    if pg.host().is_empty() {
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
    // libpq's own parser: unknown query parameters and malformed URIs.
    let options = libpq::parse(pg.url.as_str()).map_err(|e| {
        Error::config(format!(
            "invalid PostgreSQL URL {}: {}",
            pg.redacted(),
            DatabaseTarget::Postgres(pg.clone()).scrub(&e)
        ))
    })?;
    // libpq checks these values only when connecting, and its complaint would look
    // like an outage: check them here so a typo is a configuration error.
    for (key, value) in &options {
        if let Some(problem) = libpq::invalid_value(key, value) {
            return Err(Error::config(format!(
                "invalid PostgreSQL URL {}: {problem}",
                pg.redacted()
            )));
        }
    }
    Ok(pg)
}

/// Every `%` must start a two-digit hex escape, and `%00` is refused (libpq's rules).
fn check_percent_escapes(s: &str, what: &str) -> Result<(), Error> {
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

/// libpq accepts an empty host with credentials or a port
/// (`postgres://user@/db?host=/var/run/postgresql`, `postgres://:5433/db?host=…`);
/// the `url` crate does not. Such parts move into the query string, where libpq reads
/// them the same way (`?user=…&password=…&port=…`).
fn move_authority_to_query(s: &str) -> Result<String, Error> {
    let start = s.find("://").map(|i| i + 3).unwrap_or(0);
    let rest = &s[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
        None => (None, authority),
    };
    let (host, port) = match hostport.strip_prefix(':') {
        Some(port) => ("", Some(port)),
        None => (hostport, None),
    };
    if !host.is_empty() || (userinfo.is_none() && port.is_none()) {
        return Ok(s.to_owned());
    }
    let after = &rest[end..];
    let (path, query_and_fragment) = match after.find('?') {
        Some(q) => (&after[..q], Some(&after[q + 1..])),
        None => (after, None),
    };
    let existing = query_and_fragment.unwrap_or("");
    let has = |k: &str| {
        existing
            .split('&')
            .any(|kv| kv.split('=').next() == Some(k))
    };
    // Userinfo is percent-encoded already; `&`, `=` and `+` mean something in a query.
    let q = |v: &str| {
        v.replace('&', "%26")
            .replace('=', "%3D")
            .replace('+', "%2B")
    };
    let mut params = Vec::new();
    if let Some(info) = userinfo {
        let (user, password) = match info.find(':') {
            Some(c) => (&info[..c], Some(&info[c + 1..])),
            None => (info, None),
        };
        if !user.is_empty() {
            if has("user") {
                return Err(Error::config(
                    "invalid PostgreSQL URL: the user is given twice (before the @ and as ?user=)",
                ));
            }
            params.push(format!("user={}", q(user)));
        }
        if let Some(pw) = password.filter(|p| !p.is_empty()) {
            if has("password") {
                return Err(Error::config(
                    "invalid PostgreSQL URL: the password is given twice (before the @ and as ?password=)",
                ));
            }
            params.push(format!("password={}", q(pw)));
        }
    }
    if let Some(port) = port.filter(|p| !p.is_empty()) {
        if has("port") {
            return Err(Error::config(
                "invalid PostgreSQL URL: the port is given twice (after the host and as ?port=)",
            ));
        }
        params.push(format!("port={}", q(port)));
    }
    if !existing.is_empty() {
        params.push(existing.to_owned());
    }
    let mut out = format!("{}{path}", &s[..start]);
    if !params.is_empty() {
        out.push('?');
        out.push_str(&params.join("&"));
    }
    Ok(out)
}

/// `:memory:` and the other spellings of an in-memory database.
fn is_memory_name(path: &str) -> bool {
    path == ":memory:" || path.starts_with(":memory:?") || path.is_empty()
}

fn memory_error(what: &str) -> Error {
    Error::config(format!(
        "database {} is an in-memory SQLite database: nothing written to it would persist \
         (users created would vanish when authctl exits); give a file path, e.g. sqlite:///var/lib/authctl/auth.db",
        crate::email::printable(what)
    ))
}

/// SQLite URLs as SQLite, diesel and sqlx users write them:
///
/// - `sqlite:PATH`, `sqlite://PATH` (relative: `sqlite://auth.db` is `./auth.db`, as
///   in diesel and sqlx) and `sqlite:///ABSOLUTE`;
/// - SQLite's URI form `file:PATH`, `file:/ABSOLUTE`, `file:///ABSOLUTE` and
///   `file://localhost/ABSOLUTE`.
///
/// The path is percent-decoded (`%20`, `%3F`). The query may only say `mode=rwc` or
/// `mode=rw` (what sqlx users write; authctl always opens read-write, and only
/// `authctl migrate` creates a missing file); anything else — `mode=ro`,
/// `mode=memory`, `vfs=memdb`, `cache=…`, a fragment — is refused, as is
/// `:memory:`: authctl's database must persist.
fn parse_sqlite_url(s: &str, scheme: &str, rest: &str) -> Result<DatabaseTarget, Error> {
    let what = if scheme == "file" {
        "SQLite file: URI"
    } else {
        "SQLite URL"
    };
    check_percent_escapes(s, what)?;
    if rest.contains('#') {
        return Err(Error::config(format!(
            "{what} {} has a fragment (#…): percent-encode # in a file name as %23",
            crate::email::printable(s)
        )));
    }
    let (path_part, query) = match rest.find('?') {
        Some(q) => (&rest[..q], Some(&rest[q + 1..])),
        None => (rest, None),
    };
    let path_part = if scheme == "file" {
        match path_part.strip_prefix("//") {
            // file://AUTHORITY/PATH: SQLite accepts only an empty authority or localhost.
            Some(after) => {
                let slash = after.find('/').unwrap_or(after.len());
                let authority = &after[..slash];
                if !(authority.is_empty() || authority.eq_ignore_ascii_case("localhost")) {
                    return Err(Error::config(format!(
                        "{what} {} names host {:?}: only a local file works (file:///absolute/path.db or file:relative.db)",
                        crate::email::printable(s),
                        authority
                    )));
                }
                &after[slash..]
            }
            None => path_part,
        }
    } else {
        path_part.strip_prefix("//").unwrap_or(path_part)
    };
    let path = percent_encoding::percent_decode_str(path_part)
        .decode_utf8()
        .map_err(|_| {
            Error::config(format!(
                "{what} {}: the decoded path is not valid UTF-8",
                crate::email::printable(s)
            ))
        })?
        .into_owned();
    if path.is_empty() && query.is_none() {
        return Err(Error::config(format!(
            "database URL {} names no file: use sqlite:///absolute/path.db or sqlite://relative.db",
            crate::email::printable(s)
        )));
    }
    if is_memory_name(&path) {
        return Err(memory_error(s));
    }
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match (key.as_ref(), value.as_ref()) {
            ("mode", "rwc" | "rw") => {}
            ("mode", "memory") | ("vfs", "memdb") => return Err(memory_error(s)),
            ("mode", "ro") => {
                return Err(Error::config(format!(
                    "{what} {} asks for mode=ro: authctl needs to write (migrations, the audit trail); \
                     drop ?mode=ro (to protect the file, use its permissions: a command that writes is then refused with exit 77)",
                    crate::email::printable(s)
                )));
            }
            (k, v) => {
                return Err(Error::config(format!(
                    "{what} {}: unsupported query parameter {}={} (authctl accepts only mode=rwc or mode=rw)",
                    crate::email::printable(s),
                    crate::email::printable(k),
                    crate::email::printable(v)
                )));
            }
        }
    }
    Ok(DatabaseTarget::Sqlite(PathBuf::from(path)))
}

/// What libpq itself says about a connection string: its URI parser, and the values it
/// will actually use (the URL over the `PG*` environment, then the password file).
pub mod libpq {
    use std::ffi::{CStr, CString};
    use std::os::raw::c_char;

    unsafe fn options(ptr: *mut pq_sys::PQconninfoOption) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut p = ptr;
        // SAFETY: libpq returns an array terminated by an entry with a NULL keyword.
        unsafe {
            while !p.is_null() && !(*p).keyword.is_null() {
                if !(*p).val.is_null() {
                    out.push((
                        CStr::from_ptr((*p).keyword).to_string_lossy().into_owned(),
                        CStr::from_ptr((*p).val).to_string_lossy().into_owned(),
                    ));
                }
                p = p.add(1);
            }
            pq_sys::PQconninfoFree(ptr);
        }
        out
    }

    /// `PQconninfoParse`: the options a connection string sets (keyword, value), or
    /// libpq's error (e.g. `invalid URI query parameter: "sslmod"`).
    pub fn parse(conninfo: &str) -> Result<Vec<(String, String)>, String> {
        let c = CString::new(conninfo).map_err(|_| "it contains a NUL byte".to_owned())?;
        let mut err: *mut c_char = std::ptr::null_mut();
        // SAFETY: a valid C string in; the result and error are freed below.
        let ptr = unsafe { pq_sys::PQconninfoParse(c.as_ptr(), &mut err) };
        if ptr.is_null() {
            let msg = if err.is_null() {
                "libpq could not parse it (out of memory)".to_owned()
            } else {
                // SAFETY: libpq's error string, freed with PQfreemem.
                let m = unsafe { CStr::from_ptr(err) }
                    .to_string_lossy()
                    .trim()
                    .to_owned();
                unsafe { pq_sys::PQfreemem(err.cast()) };
                m
            };
            return Err(msg);
        }
        // SAFETY: a non-NULL array from PQconninfoParse.
        Ok(unsafe { options(ptr) })
    }

    /// `PQconndefaults`: the values libpq uses when the connection string sets none
    /// (from `PGPASSWORD`, `PGSSLMODE`, `PGPASSFILE`, `PGSSLCERT` … of this process).
    pub fn defaults() -> Vec<(String, String)> {
        // SAFETY: no arguments; the result is freed by `options`.
        let ptr = unsafe { pq_sys::PQconndefaults() };
        if ptr.is_null() {
            return Vec::new();
        }
        // SAFETY: a non-NULL array from PQconndefaults.
        unsafe { options(ptr) }
    }

    /// libpq's complaint about a value it would refuse when connecting, if any.
    pub fn invalid_value(key: &str, value: &str) -> Option<String> {
        let choices: &[&str] = match key {
            "sslmode" => &[
                "disable",
                "allow",
                "prefer",
                "require",
                "verify-ca",
                "verify-full",
            ],
            "gssencmode" => &["disable", "prefer", "require"],
            "channel_binding" => &["disable", "prefer", "require"],
            "target_session_attrs" => &[
                "any",
                "read-write",
                "read-only",
                "primary",
                "standby",
                "prefer-standby",
            ],
            "load_balance_hosts" => &["disable", "random"],
            "sslnegotiation" => &["postgres", "direct"],
            "sslcertmode" => &["disable", "allow", "require"],
            "connect_timeout"
            | "keepalives"
            | "keepalives_idle"
            | "keepalives_interval"
            | "keepalives_count"
            | "tcp_user_timeout" => {
                return value
                    .trim()
                    .parse::<i32>()
                    .is_err()
                    .then(|| format!("invalid integer value {value:?} for {key}"));
            }
            "port" => {
                return value
                    .split(',')
                    .any(|p| !p.is_empty() && !matches!(p.trim().parse::<u16>(), Ok(1..)))
                    .then(|| format!("invalid port number {value:?}"));
            }
            _ => return None,
        };
        (!choices.contains(&value)).then(|| {
            format!(
                "invalid {key} value {} (expected {})",
                crate::email::printable(value),
                choices.join(", ")
            )
        })
    }
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
