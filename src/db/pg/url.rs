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
    /// The URL with `connect_timeout` set to the effective connect timeout
    /// (replacing the URL's own: the configuration already chose between it, the
    /// flag and the environment) and `application_name` added unless present.
    pub fn with_defaults(&self, connect_timeout_secs: u64) -> String {
        let mut url = self.url.clone();
        if url.query_pairs().any(|(k, _)| k == "connect_timeout") {
            // Rebuild the query textually, as written, without its connect_timeout.
            let kept: Vec<&str> = self
                .url
                .query()
                .unwrap_or("")
                .split('&')
                .filter(|kv| kv.split('=').next() != Some("connect_timeout"))
                .collect();
            let kept = Zeroizing::new(kept.join("&"));
            url.set_query(if kept.is_empty() { None } else { Some(&kept) });
        }
        let add_app = !url.query_pairs().any(|(key, _)| key == "application_name");
        {
            let mut q = url.query_pairs_mut();
            // libpq waits forever when unset or 0; its minimum is 2 s.
            q.append_pair("connect_timeout", &connect_timeout_secs.max(2).to_string());
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

    /// Every form of the password this URL holds (as written, decoded, and every
    /// secret query parameter: `password=`, `sslpassword=`, …) of 3 characters or more, for [`scrub`](Self::scrub).
    pub(crate) fn secrets(&self) -> Vec<String> {
        let mut v = Vec::new();
        if let Some(raw) = self.url.password() {
            v.push(raw.to_owned());
            let decoded = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
            v.push(decoded.into_owned());
        }
        let secret = conninfo::secret_keywords();
        for (k, value) in self.url.query_pairs() {
            if secret.iter().any(|s| *s == k) {
                v.push(value.into_owned());
            }
        }
        v.retain(|s| s.len() >= 3);
        v
    }
    /// The URL with the password replaced by `***`, and so the value of every
    /// secret query parameter (`password`, `sslpassword`, and any other libpq marks
    /// as a password field: [`conninfo::secret_keywords`]). The rest is shown as
    /// written, every host of a multi-host URL included.
    pub fn redacted(&self) -> String {
        let mut url = self.url.clone();
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
        }
        let text = url.to_string();
        let Some(q) = text.find('?') else {
            return text;
        };
        let (head, query) = text.split_at(q + 1);
        let (query, fragment) = match query.find('#') {
            Some(f) => query.split_at(f),
            None => (query, ""),
        };
        let secret = conninfo::secret_keywords();
        let query: Vec<String> = query
            .split('&')
            .map(|kv| {
                let (k, _) = kv.split_once('=').unwrap_or((kv, ""));
                let key = percent_encoding::percent_decode_str(k).decode_utf8_lossy();
                if secret.iter().any(|s| *s == key) {
                    format!("{k}=***")
                } else {
                    kv.to_owned()
                }
            })
            .collect();
        format!("{head}{}{fragment}", query.join("&"))
    }

    /// Every host libpq will try, in order, as `host:port` (`h1:5432,h2:5433`); a
    /// single one for a plain URL.
    pub fn endpoints(&self) -> String {
        let hosts = self.host();
        let ports = self
            .url
            .port()
            .map(|p| p.to_string())
            .or_else(|| query_param(&self.url, "port"))
            .unwrap_or_default();
        let hosts: Vec<&str> = hosts.split(',').collect();
        let ports: Vec<&str> = ports.split(',').collect();
        hosts
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let p = if ports.len() == hosts.len() {
                    ports[i]
                } else {
                    ports[0]
                };
                let p = if p.trim().is_empty() {
                    "5432"
                } else {
                    p.trim()
                };
                if h.contains(':') && !h.starts_with('[') {
                    format!("[{h}]:{p}")
                } else {
                    format!("{h}:{p}")
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// More than one host: libpq tries them in order (or at random with
    /// `load_balance_hosts=random`), keeping the first that suits
    /// `target_session_attrs`.
    pub fn is_multi_host(&self) -> bool {
        self.host().contains(',')
    }

    /// The URL's own `connect_timeout` parameter, as written.
    pub fn connect_timeout_param(&self) -> Option<String> {
        query_param(&self.url, "connect_timeout")
    }
}

/// `text` with every password it shows replaced by `***`, found by its position
/// rather than by its value (so one of any length is found, and nothing else is
/// touched): in every `postgres://` or `postgresql://` URL (case-insensitive, up to
/// the next whitespace or `"`), what lies between the `:` after the user and the
/// last `@` of its authority; and anywhere, the value of a `password=` parameter or
/// keyword (and of every other secret one: `sslpassword=`, …, see
/// [`conninfo::secret_keywords`]), up to the next `&`, whitespace, `"` or `#`.
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
    for keyword in conninfo::secret_keywords() {
        scrub_keyword(text, &lower, &format!("{keyword}="), &mut cuts);
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

/// Cut the value of every `keyword` (`password=`) of `text` (`lower` is its
/// lower-case copy) that starts a word, up to the next `&`, whitespace, `"` or `#`.
fn scrub_keyword(text: &str, lower: &str, keyword: &str, cuts: &mut Vec<(usize, usize)>) {
    let mut from = 0;
    while let Some(i) = lower[from..].find(keyword).map(|i| i + from) {
        from = i + keyword.len();
        let boundary = i == 0
            || lower[..i]
                .chars()
                .next_back()
                .is_some_and(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        if !boundary {
            continue;
        }
        let start = from;
        // Already redacted (`password=***)` in authctl's own message): keep what follows.
        if text[start..].starts_with("***")
            && text[start + 3..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || matches!(c, '&' | '"' | '#' | ')' | ';' | ','))
        {
            continue;
        }
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | '"' | '#'))
            .map_or(text.len(), |e| start + e);
        cuts.push((start, end));
    }
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
    // The `url` crate drops tabs and newlines where libpq keeps them: the two would
    // read different URLs.
    if s.chars().any(|c| c.is_control()) {
        return Err(Error::config(
            "invalid PostgreSQL URL: it contains a control character (a tab or a line break?); \
             percent-encode it (%09, %0A) or remove it",
        ));
    }
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
    // A multi-host URL was rewritten for the `url` crate (its hosts moved into the
    // query): libpq must read exactly the same options from both forms.
    if pg.is_multi_host() && *normalized != s {
        let mut rewritten = options;
        let mut original = conninfo::parse(s).unwrap_or_default();
        rewritten.sort();
        original.sort();
        if rewritten != original {
            return Err(Error::config(format!(
                "libpq reads the PostgreSQL URL {} differently once its hosts are moved into the query string; give them as ?host=H1,H2&port=P1,P2",
                pg.redacted()
            )));
        }
    }
    Ok(pg)
}

/// libpq accepts an empty host with credentials or a port
/// (`postgres://user@/db?host=/var/run/postgresql`, `postgres://:5433/db?host=…`)
/// and several hosts (`postgres://u@h1:5432,h2:5433/db`); the `url` crate does not.
/// Such parts move into the query string, where libpq reads them the same way
/// (`?user=…&password=…&host=h1,h2&port=…`).
fn move_authority_to_query(s: &str) -> Result<String, Error> {
    let start = s.find("://").map(|i| i + 3).unwrap_or(0);
    let rest = &s[start..];
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
        None => (None, authority),
    };
    // Several hosts (`h1:5432,h2:5433`): the `url` crate takes one host only; libpq
    // reads the same list from `?host=h1,h2&port=5432,5433` (an empty port is the
    // default one), so the list moves there, with the user and password.
    let multi = split_hosts(hostport);
    let (host, port) = match (&multi, hostport.strip_prefix(':')) {
        (Some(_), _) => ("", None),
        (None, Some(port)) => ("", Some(port)),
        (None, None) => (hostport, None),
    };
    if multi.is_none() && (!host.is_empty() || (userinfo.is_none() && port.is_none())) {
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
    if let Some((hosts, ports)) = &multi {
        if has("host") || has("hostaddr") {
            return Err(Error::config(
                "invalid PostgreSQL URL: the hosts are given twice (before the path and as ?host=)",
            ));
        }
        params.push(format!("host={}", q(&hosts.join(","))));
        // libpq records one port per host even when none is given (`port=,`).
        if has("port") {
            if ports.iter().any(|p| !p.is_empty()) {
                return Err(Error::config(
                    "invalid PostgreSQL URL: the ports are given twice (after the hosts and as ?port=)",
                ));
            }
        } else {
            params.push(format!("port={}", q(&ports.join(","))));
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

/// The hosts and ports of a multi-host authority (`h1:5432,[::1]:5433,h3`), IPv6
/// brackets removed, a missing port empty; `None` for a single host.
fn split_hosts(hostport: &str) -> Option<(Vec<String>, Vec<String>)> {
    // A comma inside brackets is no list separator (no IPv6 literal has one, but
    // never split inside them).
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in hostport.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&hostport[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&hostport[start..]);
    if parts.len() < 2 {
        return None;
    }
    let (hosts, ports) = parts
        .into_iter()
        .map(|part| {
            let (host, port) = match part.strip_prefix('[') {
                Some(rest) => match rest.split_once(']') {
                    Some((h, after)) => (h, after.strip_prefix(':').unwrap_or(after)),
                    None => (part, ""),
                },
                None => part.rsplit_once(':').unwrap_or((part, "")),
            };
            (host.to_owned(), port.to_owned())
        })
        .unzip();
    Some((hosts, ports))
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
    /// Found by `properties::database_url_parsing_never_panics`: a tab (which the
    /// `url` crate drops and libpq keeps) in a multi-host URL was an internal error (70).
    #[test]
    fn control_characters_are_a_configuration_error() {
        for s in [
            "postgres://:@,/\ta",
            "postgres://u@h1:5432,h2:5433/db\tx",
            "postgres://u@host/db\n",
        ] {
            let e = parse_pg(s).unwrap_err();
            assert_eq!(e.kind, crate::error::ExitCode::Config, "{s:?}: {e}");
            assert!(e.to_string().contains("control character"), "{s:?}: {e}");
        }
        assert!(parse_pg("postgres://u@h1:5432,h2:5433/db%09x").is_ok());
    }

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

    /// Issue 20: every libpq multi-host form parses; libpq reads the URL handed to
    /// it exactly as the one given; every host is shown and every secret hidden.
    #[test]
    fn multi_host_urls_reach_libpq_as_written() {
        for (given, endpoints) in [
            (
                "postgres://app:s3cr3t@db1:5432,db2:5433/auth?target_session_attrs=read-write",
                "db1:5432,db2:5433",
            ),
            (
                "postgresql://app:s3cr3t@[::1]:5432,db2/auth?load_balance_hosts=random",
                "[::1]:5432,db2:5432",
            ),
            (
                "postgres://db1,db2/auth?target_session_attrs=prefer-standby",
                "db1:5432,db2:5432",
            ),
            (
                "postgres:///auth?host=db1,db2&port=5432,5433&user=app&password=s3cr3t",
                "db1:5432,db2:5433",
            ),
        ] {
            let t = DatabaseTarget::parse(given).unwrap_or_else(|e| panic!("{given}: {e}"));
            let DatabaseTarget::Postgres(pg) = &t else {
                panic!("not PostgreSQL")
            };
            assert_eq!(pg.endpoints(), endpoints, "{given}");
            assert!(pg.is_multi_host());
            let mut a = conninfo::parse(given).unwrap();
            let mut b = conninfo::parse(pg.expose()).unwrap();
            a.sort();
            b.sort();
            assert_eq!(a, b, "{given}");
            let shown = t.redacted();
            assert!(!shown.contains("s3cr3t"), "{shown}");
            assert!(shown.contains("db2"), "{shown}");
        }
        let t = DatabaseTarget::parse(
            "postgres://app:pw1@h1,h2/auth?sslpassword=keypass&sslmode=require",
        )
        .unwrap();
        let shown = t.redacted();
        assert!(
            !shown.contains("keypass") && !shown.contains("pw1"),
            "{shown}"
        );
        assert!(shown.contains("sslpassword=***"), "{shown}");
        assert!(t.secrets().contains(&"keypass".to_owned()));
        assert_eq!(
            scrub_passwords("x sslpassword=keypass y password=*** (z)"),
            "x sslpassword=*** y password=*** (z)"
        );
        assert!(conninfo::secret_keywords().contains(&"sslpassword".to_owned()));
        // Hosts given twice are refused, as a configuration error.
        let e = DatabaseTarget::parse("postgres://h1,h2/db?host=h3").unwrap_err();
        assert_eq!(e.kind, crate::error::ExitCode::Config);
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
