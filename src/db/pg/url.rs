//! PostgreSQL URLs: [`PgUrl`] (parsed and checked with libpq's own parser, never
//! showing its password), the URL built from the application's `DB_*` parts, and
//! the `application_name` a connection carries.

use std::fmt;

use zeroize::Zeroizing;

use super::conninfo;
use crate::db::target::{DatabaseTarget, check_percent_escapes};
use crate::error::Error;

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
    /// `msg` with every password in it replaced by `***`, whatever its length:
    /// first by position ([`scrub_passwords`]: the password part of every
    /// PostgreSQL URL and every `password=` value in the text, which is where libpq
    /// echoes one); then, as a second net, any other occurrence of this URL's
    /// password of 3 characters or more (a shorter one cannot be told apart from
    /// ordinary text, and no message is known to print one alone).
    pub fn scrub(&self, msg: &str) -> String {
        let mut out = scrub_passwords(msg);
        for s in self.secrets() {
            out = out.replace(&s, "***");
        }
        out
    }

    /// Every form of the password this URL holds (as written, decoded, and a
    /// `password=` query parameter) of 3 characters or more, for [`scrub`](Self::scrub).
    pub(crate) fn secrets(&self) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(raw) = self.url.password() {
            v.push(raw.to_owned());
            let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
            v.push(decoded.into_owned());
        }
        if let Some(q) = query_param(&self.url, "password") {
            v.push(q);
        }
        v.retain(|s| s.len() >= 3);
        v
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

/// `text` with every password it shows replaced by `***`, found by its position
/// rather than by its value (so one of any length is found, and nothing else is
/// touched): in every `postgres://` or `postgresql://` URL (case-insensitive, up to
/// the next whitespace or `"`), what lies between the `:` after the user and the
/// last `@` of its authority; and anywhere, the value of a `password=` parameter or
/// keyword, up to the next `&`, whitespace, `"` or `#`.
pub fn scrub_passwords(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for scheme in ["postgresql://", "postgres://"] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(scheme).map(|i| i + from) {
            from = i + scheme.len();
            // `postgres://` inside `postgresql://` was seen as the longer scheme.
            if scheme == "postgres://" && lower[i..].starts_with("postgresql://") {
                continue;
            }
            let start = i + scheme.len();
            let end = text[start..]
                .find(|c: char| c.is_whitespace() || c == '"')
                .map_or(text.len(), |e| start + e);
            let before_query = text[start..end].find(['?', '#']).map_or(end, |q| start + q);
            if let Some(at) = text[start..before_query].rfind('@').map(|a| start + a)
                && let Some(colon) = text[start..at].find(':').map(|c| start + c)
            {
                cuts.push((colon + 1, at));
            }
        }
    }
    let mut from = 0;
    while let Some(i) = lower[from..].find("password=").map(|i| i + from) {
        from = i + "password=".len();
        let boundary = i == 0
            || lower[..i]
                .chars()
                .next_back()
                .is_some_and(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        if !boundary {
            continue;
        }
        let start = from;
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | '"' | '#'))
            .map_or(text.len(), |e| start + e);
        cuts.push((start, end));
    }
    cuts.retain(|(a, b)| a < b);
    cuts.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (a, b) in cuts {
        if b <= done {
            continue;
        }
        let a = a.max(done);
        out.push_str(&text[done..a]);
        out.push_str("***");
        done = b;
    }
    out.push_str(&text[done..]);
    out
}

fn query_param(url: &url::Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// The URL's text (which holds the password) is wiped when a `PgUrl` is dropped.
impl Drop for PgUrl {
    fn drop(&mut self) {
        let empty = url::Url::parse("postgres://-").expect("a valid URL");
        let text: String = std::mem::replace(&mut self.url, empty).into();
        drop(Zeroizing::new(text));
    }
}

impl fmt::Debug for PgUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

pub(crate) fn parse_pg(s: &str) -> Result<PgUrl, Error> {
    // Never echo the input in these errors: it may hold a password.
    check_percent_escapes(s, "PostgreSQL URL")?;
    if !s[s.find(':').unwrap_or(0) + 1..].starts_with("//") {
        return Err(Error::config(
            "invalid PostgreSQL URL: expected postgres://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE",
        ));
    }
    let normalized = Zeroizing::new(move_authority_to_query(s)?);
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
    let options = conninfo::parse(pg.url.as_str()).map_err(|e| {
        Error::config(format!(
            "invalid PostgreSQL URL {}: {}",
            pg.redacted(),
            DatabaseTarget::Postgres(pg.clone()).scrub(&e)
        ))
    })?;
    // libpq checks these values only when connecting, and its complaint would look
    // like an outage: check them here so a typo is a configuration error.
    for (key, value) in &options {
        if let Some(problem) = conninfo::invalid_value(key, value) {
            return Err(Error::config(format!(
                "invalid PostgreSQL URL {}: {problem}",
                pg.redacted()
            )));
        }
    }
    Ok(pg)
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
    // Every string holding the password (encoded) is wiped when dropped.
    let auth = Zeroizing::new(if password.is_empty() {
        enc(user)
    } else {
        format!("{}:{}", enc(user), *Zeroizing::new(enc(password)))
    });
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
            query.push(format!("password={}", *Zeroizing::new(enc(password))));
        }
        let query = Zeroizing::new(query);
        let url = Zeroizing::new(format!(
            "postgres:///{path}?{}",
            *Zeroizing::new(query.join("&"))
        ));
        return DatabaseTarget::parse(&url);
    }
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{}", query.join("&"))
    };
    let url = Zeroizing::new(format!(
        "postgres://{}@{host_part}:{port}/{path}{query}",
        *auth
    ));
    DatabaseTarget::parse(&url)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 18: passwords of one or two characters are scrubbed too — by their
    /// place in a URL or a `password=` value, never by searching for the text
    /// (which would also blank every other "a" of the message).
    #[test]
    fn short_passwords_are_scrubbed_by_position() {
        for (pw, url) in [
            ("a", "postgres://u:a@h:5432/db"),
            ("ab", "postgresql://u:ab@h/db?sslmode=require"),
            ("%40", "postgres://u:%40@h/db"),
            ("x", "postgres://u@h/db?password=x&sslmode=require"),
            ("z", "postgres:///db?host=%2Ftmp&user=u&password=z"),
        ] {
            let t = DatabaseTarget::parse(url).unwrap();
            let DatabaseTarget::Postgres(pg) = &t else {
                panic!("not PostgreSQL")
            };
            for shown in [pg.expose().to_owned(), pg.with_defaults(5), url.to_owned()] {
                // libpq quotes the URI it was given in some of its errors.
                let msg = format!(
                    "invalid URI propagated to internal parser routine: \"{shown}\" for user \"a\""
                );
                let out = t.scrub(&msg);
                assert!(out.contains("***"), "{url}: {out}");
                let leaked = format!(":{pw}@");
                let leaked_q = format!("password={pw}");
                assert!(
                    !out.contains(&leaked) && !out.contains(&leaked_q),
                    "{url}: {out}"
                );
                assert!(out.ends_with("for user \"a\""), "the rest is kept: {out}");
            }
        }
        // Upper-case schemes and several URLs in one message; plain text untouched.
        assert_eq!(
            scrub_passwords("POSTGRES://u:a@h/x and postgres://v:b@h/y, password=c d"),
            "POSTGRES://u:***@h/x and postgres://v:***@h/y, password=*** d"
        );
        assert_eq!(
            scrub_passwords("password authentication failed for user \"a\""),
            "password authentication failed for user \"a\""
        );
        assert_eq!(scrub_passwords("DB_PASSWORD=x"), "DB_PASSWORD=x");
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
