//! SQLite database URLs (`sqlite:`, `sqlite://`, `file:`) and the in-memory forms
//! authctl refuses because nothing written to them would persist.

use std::path::PathBuf;

use crate::db::target::{DatabaseTarget, check_percent_escapes};
use crate::error::Error;

/// `:memory:` and the other spellings of an in-memory database.
pub(crate) fn is_memory_name(path: &str) -> bool {
    path == ":memory:" || path.starts_with(":memory:?") || path.is_empty()
}

pub(crate) fn memory_error(what: &str) -> Error {
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
pub(crate) fn parse_sqlite_url(s: &str, scheme: &str, rest: &str) -> Result<DatabaseTarget, Error> {
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
