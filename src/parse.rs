//! Parsers for operator input: user references, ids, durations and points in time.
//! Every error names the value it rejected.

use std::fmt;
use std::str::FromStr;

use crate::db::UtcDateTime;
use crate::email::printable;
use crate::error::Error;

/// Longest name accepted, in characters (the application's `name varchar(255)`).
pub const NAME_MAX_LEN: usize = 255;
/// Longest reason accepted (`users disable`, `sessions/tokens revoke`), in characters.
pub const REASON_MAX_LEN: usize = 500;

/// A role the application's CHECK constraint allows
/// ([`crate::repo::users::ROLES`]), checked once where the operator gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Role(&'static str);

impl Role {
    /// The role the application gives a user created without one.
    pub const DEFAULT: Role = Role(crate::repo::users::DEFAULT_ROLE);

    /// One of the allowed roles, exactly (`Admin` is not `admin`); anything else
    /// is a data error naming the allowed ones.
    pub fn parse(s: &str) -> Result<Role, Error> {
        match crate::repo::users::ROLES.iter().find(|r| **r == s) {
            Some(r) => Ok(Role(r)),
            None => Err(Error::data(format!(
                "invalid role {}: the application allows only {}",
                printable(s),
                crate::repo::users::ROLES.join(", ")
            ))),
        }
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A user's display name: trimmed, not empty, at most [`NAME_MAX_LEN`]
/// characters, nothing that could steer a terminal ([`operator_text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    /// Check a name; a bad one is a data error (65).
    pub fn parse(s: &str) -> Result<Name, Error> {
        if s.trim().is_empty() {
            return Err(Error::data(format!(
                "invalid name {}: it is empty (to remove a name use --clear-name)",
                printable(s)
            )));
        }
        operator_text(s, "invalid name", NAME_MAX_LEN, Error::data).map(Name)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why an operator disabled a user or revoked credentials, as the audit trail
/// records it: trimmed, not empty, at most [`REASON_MAX_LEN`] characters, nothing
/// that could steer a terminal ([`operator_text`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Reason(String);

impl Reason {
    /// Check a reason; a bad one is a data error (65).
    pub fn parse(s: &str) -> Result<Reason, Error> {
        if s.trim().is_empty() {
            return Err(Error::data(
                "the reason is empty (leave out --reason instead)",
            ));
        }
        operator_text(s, "reason", REASON_MAX_LEN, Error::data).map(Reason)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A user as an operator names one: a numeric id or an email address (any case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    Id(crate::db::UserId),
    Email(String),
}

impl FromStr for UserRef {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let t = s.trim();
        if t.contains('@') {
            return crate::email::normalize(t).map(UserRef::Email);
        }
        if let Ok(id) = t.parse::<crate::db::UserId>() {
            return Ok(UserRef::Id(id));
        }
        Err(Error::data(format!(
            "{} is neither a user id (uuid) nor an email address",
            printable(s)
        )))
    }
}

impl fmt::Display for UserRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserRef::Id(id) => write!(f, "id {id}"),
            UserRef::Email(e) => f.write_str(e),
        }
    }
}

/// A positive 64-bit row id.
pub fn parse_id(s: &str) -> Result<i64, Error> {
    let t = s.trim();
    match t.parse::<i64>() {
        Ok(n) if n > 0 => Ok(n),
        Ok(_) => Err(Error::data(format!(
            "{} is not a valid id (ids are positive)",
            printable(s)
        ))),
        Err(_) if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) => Err(Error::data(
            format!("{} is not a valid id (too large)", printable(s)),
        )),
        Err(_) => Err(Error::data(format!("{} is not a valid id", printable(s)))),
    }
}

/// A human duration with its unit: `90s`, `15m`, `24h`, `7d`, `1h 30m` (a bare number is an error).
/// A bad duration or time is a bad flag value: a usage error (64), as from clap.
pub fn parse_duration(s: &str) -> Result<chrono::Duration, Error> {
    let d = crate::config::parse_duration(s).map_err(Error::usage)?;
    chrono::Duration::from_std(d)
        .map_err(|_| Error::usage(format!("duration {} is too large", printable(s))))
}

/// A point in time: RFC 3339 (`2026-11-28T10:00:00Z`), a date (`2026-11-28`, midnight
/// UTC), or a duration meaning that long before `now` (`24h`, `7d`).
pub fn parse_since(s: &str, now: UtcDateTime) -> Result<UtcDateTime, Error> {
    let t = s.trim();
    if let Ok(dt) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(UtcDateTime(dt.with_timezone(&chrono::Utc)));
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(UtcDateTime(
            d.and_hms_opt(0, 0, 0).expect("midnight").and_utc(),
        ));
    }
    match crate::config::parse_duration(t) {
        // A number and a unit that is too large is a duration, not "neither".
        Err(e) if looks_like_a_duration(t) => Err(Error::usage(too_large_or(e, s))),
        Ok(d) => {
            let d = chrono::Duration::from_std(d)
                .map_err(|_| Error::usage(format!("duration {} is too large", printable(s))))?;
            now.0
                .checked_sub_signed(d)
                .map(UtcDateTime)
                .ok_or_else(|| Error::usage(format!("duration {} is too large", printable(s))))
        }
        Err(_) => Err(Error::usage(format!(
            "{} is neither a duration (15m, 24h, 7d) nor a time (RFC 3339, e.g. 2026-11-28T10:00:00Z, or a date 2026-11-28)",
            printable(s)
        ))),
    }
}

/// Digits then a humantime unit (`300000y`, `7 d`, `1h 30m`): text that meant a
/// duration, so its own error is the one to show.
fn looks_like_a_duration(t: &str) -> bool {
    let mut words = t.split_whitespace().peekable();
    words.peek().is_some()
        && words.all(|w| {
            let digits = w.chars().take_while(char::is_ascii_digit).count();
            let unit = &w[digits..];
            digits > 0 && !unit.is_empty() && unit.chars().all(|c| c.is_ascii_alphabetic())
        })
}

/// The error for a duration that did not parse: "too large" when humantime's
/// complaint is an overflow, else its own message.
fn too_large_or(err: String, s: &str) -> String {
    if err.contains("too large") || err.contains("overflow") {
        format!("duration {} is too large", printable(s))
    } else {
        err
    }
}

/// Parse a user reference given on the command line (`users show X`, `--user X`):
/// a value that cannot name a user — neither a uuid nor a valid email — does not
/// parse, a usage error (64) like every other malformed value; a well-formed
/// reference to a user that does not exist is found out later (65).
pub fn user_ref(s: &str) -> Result<UserRef, Error> {
    s.parse().map_err(|e: Error| Error::usage(e.message))
}

/// Check free text an operator gives authctl to store or record (`--name`,
/// `--reason`, `--actor`): trimmed, not empty, at most `max_chars` characters,
/// and without a character that could steer a terminal when the value is shown
/// later ([`crate::output::is_terminal_unsafe`]: control characters, bidi
/// controls, line separators). `what` names the value in the error (`name`,
/// `reason`, `--actor`); the error shows the value escaped. The one check of the
/// three, so they refuse the same things; the caller chooses the error kind
/// (`make`: a name or reason to store is data, 65; `--actor` is a flag, 64).
pub fn operator_text(
    value: &str,
    what: &str,
    max_chars: usize,
    make: fn(String) -> Error,
) -> Result<String, Error> {
    let shown = printable(value);
    let t = value.trim();
    if t.is_empty() {
        return Err(make(format!("{what} is empty")));
    }
    if t.chars().any(crate::output::is_terminal_unsafe) {
        return Err(make(format!(
            "{what} {shown} contains control characters or bidirectional controls"
        )));
    }
    if t.chars().count() > max_chars {
        return Err(make(format!(
            "{what} {shown} is longer than {max_chars} characters"
        )));
    }
    Ok(t.to_owned())
}

/// clap value parser for ids.
pub fn id(s: &str) -> Result<i64, String> {
    parse_id(s).map_err(|e| e.message)
}

/// clap value parser for human durations.
pub fn parse_duration_arg(s: &str) -> Result<chrono::Duration, String> {
    parse_duration(s).map_err(|e| e.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        for ok in ["user", "admin", "premium"] {
            assert_eq!(Role::parse(ok).unwrap().as_str(), ok);
        }
        assert_eq!(Role::DEFAULT.as_str(), "user");
        for bad in ["", "Admin", "support", "a b", "rôle", "user;"] {
            let e = Role::parse(bad).unwrap_err();
            assert_eq!(e.kind, crate::error::ExitCode::Data);
            assert!(e.message.contains("user, admin, premium"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(
            Name::parse("  Alice Smith ").unwrap().as_str(),
            "Alice Smith"
        );
        assert!(Name::parse("   ").is_err());
        assert!(Name::parse("a\nb").is_err());
        assert!(Name::parse("a\u{1b}[2Jb").is_err());
        assert!(Name::parse(&"x".repeat(NAME_MAX_LEN)).is_ok());
        assert!(Name::parse(&"x".repeat(NAME_MAX_LEN + 1)).is_err());
    }

    #[test]
    fn reasons() {
        assert_eq!(
            Reason::parse(" left the company ").unwrap().as_str(),
            "left the company"
        );
        assert!(Reason::parse(" ").is_err());
        assert!(Reason::parse("a\u{202e}b").is_err());
        assert!(Reason::parse(&"x".repeat(REASON_MAX_LEN)).is_ok());
        assert!(Reason::parse(&"x".repeat(REASON_MAX_LEN + 1)).is_err());
    }

    #[test]
    fn user_refs() {
        let id = "6f1c2d3e-4b5a-4c6d-8e7f-0123456789ab";
        assert_eq!(
            id.parse::<UserRef>().unwrap(),
            UserRef::Id(id.parse().unwrap())
        );
        assert_eq!(
            id.to_uppercase().parse::<UserRef>().unwrap(),
            UserRef::Id(id.parse().unwrap())
        );
        assert_eq!(
            " Bob@Example.com ".parse::<UserRef>().unwrap(),
            UserRef::Email("bob@example.com".into())
        );
        for bad in [
            "42",
            "0",
            "-1",
            "99999999999999999999",
            "bob",
            "",
            "1.5",
            "@",
        ] {
            assert!(bad.parse::<UserRef>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn since() {
        let now = UtcDateTime::parse_text("2026-11-28 12:00:00").unwrap();
        assert_eq!(
            parse_since("24h", now).unwrap(),
            UtcDateTime::parse_text("2026-11-27 12:00:00").unwrap()
        );
        assert_eq!(
            parse_since("7d", now).unwrap(),
            UtcDateTime::parse_text("2026-11-21 12:00:00").unwrap()
        );
        assert_eq!(
            parse_since("2026-01-02", now).unwrap(),
            UtcDateTime::parse_text("2026-01-02 00:00:00").unwrap()
        );
        assert_eq!(
            parse_since("2026-01-02T03:04:05+01:00", now).unwrap(),
            UtcDateTime::parse_text("2026-01-02 02:04:05").unwrap()
        );
        assert!(parse_since("yesterday", now).is_err());
        assert!(parse_since("-5m", now).is_err());
        assert!(parse_since("99999999999999d", now).is_err());
        // A duration too large says so (not "neither a duration nor a time").
        for big in ["300000y", "99999999999999999999y", "400000y 1d"] {
            let e = parse_since(big, now).unwrap_err();
            assert_eq!(e.kind, crate::error::ExitCode::Usage, "{big}");
            assert!(!e.message.contains("neither"), "{big}: {e}");
            assert!(
                e.message.contains("too large") || e.message.contains("longer than"),
                "{big}: {e}"
            );
        }
        assert!(
            parse_since("soon", now)
                .unwrap_err()
                .message
                .contains("neither")
        );
    }

    /// One check for the free text an operator gives (`--name`, `--reason`,
    /// `--actor`): control and bidi characters, line separators, the limit.
    #[test]
    fn operator_text_refuses_what_could_steer_a_terminal() {
        let usage = crate::error::Error::usage;
        assert_eq!(
            operator_text("  Ann Lee ", "name", 255, usage).unwrap(),
            "Ann Lee"
        );
        assert_eq!(
            operator_text("Zoë ناصر", "name", 255, usage).unwrap(),
            "Zoë ناصر"
        );
        for bad in [
            "a\u{202e}b",
            "a\u{2067}b",
            "a\u{61c}b",
            "a\u{2028}b",
            "a\u{1b}[2Jb",
            "a\u{9b}b",
        ] {
            let e = operator_text(bad, "reason", 500, usage).unwrap_err();
            assert!(
                e.message
                    .contains("control characters or bidirectional controls"),
                "{bad:?}: {e}"
            );
            assert!(!e.message.contains(bad), "shown escaped: {e}");
        }
        assert!(operator_text("   ", "name", 255, usage).is_err());
        assert!(operator_text(&"n".repeat(256), "name", 255, usage).is_err());
    }

    proptest::proptest! {
        #[test]
        fn ids_roundtrip(n in 1i64..i64::MAX, bytes in proptest::array::uniform16(0u8..)) {
            proptest::prop_assert_eq!(parse_id(&n.to_string()).unwrap(), n);
            let id = crate::db::UserId(uuid::Uuid::from_bytes(bytes));
            proptest::prop_assert_eq!(id.to_string().parse::<UserRef>().unwrap(), UserRef::Id(id));
        }

        #[test]
        fn parsers_never_panic(s in "\\PC{0,30}") {
            let now = UtcDateTime::now();
            let _ = s.parse::<UserRef>();
            let _ = parse_since(&s, now);
            let _ = parse_duration(&s);
            let _ = parse_id(&s);
        }
    }
}
