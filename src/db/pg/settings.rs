//! What libpq will actually use for a connection, worked out without connecting:
//! where the password comes from (URL, `PGPASSWORD`, service file, password file),
//! the effective `sslmode` and a client certificate — for `check-production`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::conninfo;
use super::url::PgUrl;

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

/// The database libpq connects to for a URL: the URL's host, port, database and
/// user, and for each part it leaves out the one libpq fills in (`PGHOST`,
/// `PGPORT` or 5432, `PGUSER` or the OS user, `PGDATABASE` or the user's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibpqTarget {
    pub host: String,
    pub port: String,
    pub database: String,
    pub user: String,
}

impl PgUrl {
    /// See [`LibpqTarget`].
    pub fn libpq_target(&self) -> LibpqTarget {
        let keep = ["host", "port", "dbname", "user"];
        let pick = |opts: Vec<(String, String)>| -> HashMap<String, String> {
            opts.into_iter()
                .filter(|(k, v)| keep.contains(&k.as_str()) && !v.is_empty())
                .collect()
        };
        let url = pick(conninfo::parse(self.expose()).unwrap_or_default());
        let defaults = pick(conninfo::defaults());
        let get = |k: &str| url.get(k).or_else(|| defaults.get(k)).cloned();
        let user = get("user").unwrap_or_default();
        LibpqTarget {
            host: get("host").unwrap_or_else(|| self.host()),
            port: get("port").unwrap_or_else(|| "5432".to_owned()),
            database: get("dbname").unwrap_or_else(|| user.clone()),
            user,
        }
    }
}

impl PgUrl {
    /// See [`LibpqView`].
    pub fn libpq_view(&self) -> LibpqView {
        let url_opts: HashMap<String, String> = conninfo::parse(self.expose())
            .unwrap_or_default()
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let defaults: HashMap<String, String> = conninfo::defaults()
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
                        Path::new(f),
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
                .filter(|p| Path::new(p).is_file())
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
fn service_options(name: &str) -> Option<(HashMap<String, String>, String)> {
    let user_file = std::env::var_os("PGSERVICEFILE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::home_dir().map(|h| h.join(".pg_service.conf")));
    let system_file = std::env::var_os("PGSYSCONFDIR")
        .filter(|v| !v.is_empty())
        .map(|d| PathBuf::from(d).join("pg_service.conf"));
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
fn service_in(text: &str, name: &str) -> Option<HashMap<String, String>> {
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
                found = Some(HashMap::new());
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
    path: &Path,
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
