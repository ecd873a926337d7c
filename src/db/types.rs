//! The SQL types whose storage differs by backend — a UTC instant, a uuid, an IP
//! address — and the typed ids (one per table) built on the uuid.
//!
//! A UTC instant is `timestamptz` on PostgreSQL (bound with the `timestamptz` OID,
//! so the session time zone never shifts a value) and UTC text
//! `YYYY-MM-DD HH:MM:SS.ffffff` on SQLite, which sorts correctly as text.

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

/// Reads the RFC 3339 text [`UtcDateTime`]'s `Serialize` writes (any offset, any
/// fraction; kept to the microsecond both backends store).
impl<'de> serde::Deserialize<'de> for UtcDateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        chrono::DateTime::parse_from_rfc3339(&s)
            .map(|t| UtcDateTime(t.with_timezone(&chrono::Utc)))
            .map_err(|_| serde::de::Error::custom(format!("{s:?} is not an RFC 3339 time")))
    }
}

/// Reads an address as [`Inet`]'s `Serialize` writes it (`192.0.2.1`, `10.0.0.0/8`).
impl<'de> serde::Deserialize<'de> for Inet {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
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

/// SQL type of uuid columns: `uuid` on PostgreSQL, canonical lower-case text on SQLite.
#[derive(
    diesel::sql_types::SqlType, diesel::query_builder::QueryId, Debug, Clone, Copy, Default,
)]
#[diesel(postgres_type(oid = 2950, array_oid = 2951))]
#[diesel(sqlite_type(name = "Text"))]
pub struct DbUuid;

/// SQL type of IP address columns: `inet` on PostgreSQL, text on SQLite.
#[derive(
    diesel::sql_types::SqlType, diesel::query_builder::QueryId, Debug, Clone, Copy, Default,
)]
#[diesel(postgres_type(oid = 869, array_oid = 1041))]
#[diesel(sqlite_type(name = "Text"))]
pub struct DbInet;

/// Typed uuid ids: one newtype per table, so a session id can never be passed where
/// a user id is expected. Each stores as [`DbUuid`] and prints in canonical form.
macro_rules! uuid_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, AsExpression, FromSqlRow,
            serde::Serialize, serde::Deserialize,
        )]
        #[diesel(sql_type = DbUuid)]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A new random (version 4) id, as the application makes them.
            pub fn new_v4() -> Self {
                $name(uuid::Uuid::new_v4())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::try_parse(s).map($name)
            }
        }

        impl FromSql<DbUuid, Pg> for $name {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                <uuid::Uuid as FromSql<diesel::sql_types::Uuid, Pg>>::from_sql(bytes).map($name)
            }
        }

        impl ToSql<DbUuid, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <uuid::Uuid as ToSql<diesel::sql_types::Uuid, Pg>>::to_sql(&self.0, out)
            }
        }

        impl FromSql<DbUuid, Sqlite> for $name {
            fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
                let text = value.read_text();
                uuid::Uuid::try_parse(text)
                    .map($name)
                    .map_err(|e| format!("invalid uuid {text:?}: {e}").into())
            }
        }

        impl ToSql<DbUuid, Sqlite> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                out.set_value(self.0.hyphenated().to_string());
                Ok(serialize::IsNull::No)
            }
        }
    };
}

uuid_id!(
    /// `users.id`
    UserId
);
uuid_id!(
    /// `refresh_tokens.id`
    RefreshTokenId
);
uuid_id!(
    /// `login_sessions.session_id`
    SessionId
);
uuid_id!(
    /// `login_sessions.session_token` — a bearer secret: never printed, only fingerprinted.
    SessionToken
);
uuid_id!(
    /// `auth_attempts.id`
    AttemptId
);

/// An IP address (or network) as stored in an `inet` column. Displays like
/// PostgreSQL does: a host address without its `/32` or `/128`, a network with its
/// prefix length. On SQLite the same text is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, AsExpression, FromSqlRow)]
#[diesel(sql_type = DbInet)]
pub struct Inet(pub ipnet::IpNet);

impl Inet {
    /// A single host address.
    pub fn host(addr: std::net::IpAddr) -> Self {
        Inet(ipnet::IpNet::from(addr))
    }
}

impl fmt::Display for Inet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.prefix_len() == self.0.max_prefix_len() {
            write!(f, "{}", self.0.addr())
        } else {
            write!(f, "{}", self.0)
        }
    }
}

impl std::str::FromStr for Inet {
    type Err = String;
    /// An address (`192.0.2.1`, `2001:db8::1`) or an address with a prefix length
    /// (`10.0.0.0/8`), as PostgreSQL's `inet` input accepts them.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(addr) = s.parse::<std::net::IpAddr>() {
            return Ok(Inet::host(addr));
        }
        s.parse::<ipnet::IpNet>()
            .map(Inet)
            .map_err(|_| format!("{s:?} is not an IP address"))
    }
}

impl serde::Serialize for Inet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromSql<DbInet, Pg> for Inet {
    fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
        <ipnet::IpNet as FromSql<diesel::sql_types::Inet, Pg>>::from_sql(bytes).map(Inet)
    }
}

impl ToSql<DbInet, Pg> for Inet {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        <ipnet::IpNet as ToSql<diesel::sql_types::Inet, Pg>>::to_sql(&self.0, out)
    }
}

impl FromSql<DbInet, Sqlite> for Inet {
    fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
        let text = value.read_text();
        text.parse().map_err(|e: String| e.into())
    }
}

impl ToSql<DbInet, Sqlite> for Inet {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.to_string());
        Ok(serialize::IsNull::No)
    }
}
