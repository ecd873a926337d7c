//! The one SQL type that differs by backend: a UTC instant.
//!
//! PostgreSQL stores it as `timestamptz` (bound with the `timestamptz` OID, so the
//! session time zone never shifts a value); SQLite stores UTC text
//! `YYYY-MM-DD HH:MM:SS.ffffff`, which sorts correctly as text.

use std::fmt;
use std::ops::Deref;

use chrono::{DateTime, NaiveDateTime, SecondsFormat, Utc};
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Timestamptz;
use diesel::sqlite::{Sqlite, SqliteValue};

/// SQL type of every time column: `timestamptz` on PostgreSQL, UTC text on SQLite.
#[derive(
    diesel::sql_types::SqlType, diesel::query_builder::QueryId, Debug, Clone, Copy, Default,
)]
#[diesel(postgres_type(oid = 1184, array_oid = 1185))]
#[diesel(sqlite_type(name = "Text"))]
pub struct UtcTimestamp;

/// A UTC instant as stored in the database. Displays and serializes as RFC 3339
/// with a `Z` suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, AsExpression, FromSqlRow)]
#[diesel(sql_type = UtcTimestamp)]
pub struct UtcDateTime(pub DateTime<Utc>);

impl UtcDateTime {
    /// The current time, truncated to microseconds (the precision both backends keep).
    pub fn now() -> Self {
        let now = Utc::now();
        let micros = now.timestamp_micros();
        UtcDateTime(DateTime::from_timestamp_micros(micros).unwrap_or(now))
    }

    /// RFC 3339, UTC, microsecond precision when there is a fraction.
    pub fn to_rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true)
    }

    /// The SQLite text form: `YYYY-MM-DD HH:MM:SS.ffffff` (fixed width, sorts as text).
    pub fn to_sqlite_text(&self) -> String {
        self.0.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
    }

    /// Parse the text forms SQLite databases hold: authctl's own, SQLite's
    /// `CURRENT_TIMESTAMP`/`strftime` output, and RFC 3339 with any offset.
    pub fn parse_text(s: &str) -> Option<Self> {
        let t = s.trim();
        if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
            return Some(UtcDateTime(dt.with_timezone(&Utc)));
        }
        for fmt in [
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
        ] {
            if let Ok(n) = NaiveDateTime::parse_from_str(t.trim_end_matches('Z'), fmt) {
                return Some(UtcDateTime(n.and_utc()));
            }
        }
        for fmt in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z"] {
            if let Ok(dt) = DateTime::parse_from_str(t, fmt) {
                return Some(UtcDateTime(dt.with_timezone(&Utc)));
            }
        }
        None
    }
}

impl From<DateTime<Utc>> for UtcDateTime {
    fn from(d: DateTime<Utc>) -> Self {
        UtcDateTime(d)
    }
}

impl Deref for UtcDateTime {
    type Target = DateTime<Utc>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl fmt::Display for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl serde::Serialize for UtcDateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl std::ops::Add<chrono::Duration> for UtcDateTime {
    type Output = UtcDateTime;
    fn add(self, rhs: chrono::Duration) -> UtcDateTime {
        UtcDateTime(self.0 + rhs)
    }
}

impl std::ops::Sub<chrono::Duration> for UtcDateTime {
    type Output = UtcDateTime;
    fn sub(self, rhs: chrono::Duration) -> UtcDateTime {
        UtcDateTime(self.0 - rhs)
    }
}

impl FromSql<UtcTimestamp, Pg> for UtcDateTime {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        <DateTime<Utc> as FromSql<Timestamptz, Pg>>::from_sql(bytes).map(UtcDateTime)
    }
}

impl ToSql<UtcTimestamp, Pg> for UtcDateTime {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <DateTime<Utc> as ToSql<Timestamptz, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<UtcTimestamp, Sqlite> for UtcDateTime {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        let text = value.read_text();
        UtcDateTime::parse_text(text).ok_or_else(|| format!("invalid timestamp {text:?}").into())
    }
}

impl ToSql<UtcTimestamp, Sqlite> for UtcDateTime {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.to_sqlite_text());
        Ok(serialize::IsNull::No)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_text_sorts_like_time() {
        let a = UtcDateTime::parse_text("2026-01-01 00:00:00").unwrap();
        let b = UtcDateTime::parse_text("2026-01-01T00:00:00.5Z").unwrap();
        assert!(a < b);
        assert!(a.to_sqlite_text() < b.to_sqlite_text());
        assert_eq!(b.to_sqlite_text(), "2026-01-01 00:00:00.500000");
        assert_eq!(b.to_rfc3339(), "2026-01-01T00:00:00.500Z");
        let c = UtcDateTime::parse_text("2026-01-01T02:00:00+02:00").unwrap();
        assert_eq!(c, a);
        assert!(UtcDateTime::parse_text("yesterday").is_none());
    }
}
