//! SQL that each backend spells its own way, for the raw statements shared code
//! writes once (counts, aggregates, the rate-limit window, case-insensitive
//! filters). Code outside `db/` asks the connection's [`Dialect`] for a fragment
//! and never names a backend.
//!
//! Every fragment is a constant or built from the caller's column expressions;
//! values are always bound, never spliced in.

use super::Backend;

/// How the connection's backend spells the fragments below ([`super::DbConn::dialect`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect(Backend);

impl Dialect {
    pub const fn of(backend: Backend) -> Self {
        Dialect(backend)
    }

    /// The backend's name as reports show it (`postgres`, `sqlite`).
    pub const fn name(self) -> &'static str {
        match self.0 {
            Backend::Postgres => "postgres",
            Backend::Sqlite => "sqlite",
        }
    }

    /// A boolean literal spelled as the schema's partial indexes spell it
    /// (`WHERE is_revoked = false` on PostgreSQL, `= 0` on SQLite): a predicate
    /// must repeat the literal for the planner to use such an index.
    pub const fn bool(self, v: bool) -> &'static str {
        match (self.0, v) {
            (Backend::Postgres, true) => "true",
            (Backend::Postgres, false) => "false",
            (Backend::Sqlite, true) => "1",
            (Backend::Sqlite, false) => "0",
        }
    }

    /// The `n`-th bind parameter (1-based): `$n` or `?n`.
    pub fn param(self, n: usize) -> String {
        match self.0 {
            Backend::Postgres => format!("${n}"),
            Backend::Sqlite => format!("?{n}"),
        }
    }

    /// `expr` lower-cased character by character, Unicode included: PostgreSQL's
    /// `lower()`; on SQLite, whose `lower()` folds only ASCII, `authctl_lower()`
    /// (registered on every connection, see [`super::sqlite::connect`]). Compare it
    /// with a value folded by [`fold_case`], the same fold.
    pub fn lower(self, expr: &str) -> String {
        match self.0 {
            Backend::Postgres => format!("lower({expr})"),
            Backend::Sqlite => format!("authctl_lower({expr})"),
        }
    }

    /// `expr` compared with `op` to one bound text, case ignored: both sides go
    /// through the same fold ([`Dialect::lower`]), so the result does not depend on
    /// whether the caller folded the value. The SQL before and after the bind, as
    /// `diesel::dsl::sql(before).bind(value).sql(after)` wants it. With
    /// [`FoldOp::Like`] the pattern escapes with `\` ([`crate::repo::like_escape`]).
    pub fn fold_compare(self, expr: &str, op: FoldOp) -> (String, &'static str) {
        let (f, op) = (
            self.lower(expr),
            match op {
                FoldOp::Equals => "=",
                FoldOp::Like => "LIKE",
            },
        );
        let before = match self.0 {
            Backend::Postgres => format!("{f} {op} lower("),
            Backend::Sqlite => format!("{f} {op} authctl_lower("),
        };
        (before, if op == "LIKE" { ") ESCAPE '\\'" } else { ")" })
    }

    /// Whether the address `expr` lies in the bound network (or is the bound
    /// address): the SQL before and after the bind. PostgreSQL's `<<=`, which the
    /// b-tree indexes on an inet column serve; SQLite's `authctl_inet_within()`.
    pub fn inet_within(self, expr: &str) -> (String, &'static str) {
        match self.0 {
            Backend::Postgres => (format!("{expr} <<= "), ""),
            Backend::Sqlite => (format!("authctl_inet_within({expr}, "), ")"),
        }
    }

    /// An inet column as text, the way authctl prints addresses (`10.0.0.1`, not
    /// `10.0.0.1/32`): PostgreSQL's `abbrev()`; SQLite stores the text already.
    pub fn inet_text(self, expr: &str) -> String {
        match self.0 {
            Backend::Postgres => format!("abbrev({expr})"),
            Backend::Sqlite => expr.to_owned(),
        }
    }

    /// A uuid column as text (SQLite stores the text already).
    pub fn uuid_text(self, expr: &str) -> String {
        match self.0 {
            Backend::Postgres => format!("{expr}::text"),
            Backend::Sqlite => expr.to_owned(),
        }
    }
}

/// How [`Dialect::fold_compare`] compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldOp {
    Equals,
    Like,
}

/// Lower-case character by character, as PostgreSQL's `lower()` does (Rust's
/// `str::to_lowercase` applies the context rule for a final Σ, which `lower()`
/// does not): the one case fold for search needles and for SQLite's
/// `authctl_lower`, so a search matches the same rows on both backends.
pub fn fold_case(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_per_backend() {
        let pg = Dialect::of(Backend::Postgres);
        let lite = Dialect::of(Backend::Sqlite);
        assert_eq!((pg.bool(false), lite.bool(false)), ("false", "0"));
        assert_eq!(
            (pg.param(2), lite.param(2)),
            ("$2".to_owned(), "?2".to_owned())
        );
        assert_eq!(
            pg.fold_compare("t.email", FoldOp::Equals),
            ("lower(t.email) = lower(".to_owned(), ")")
        );
        assert_eq!(
            lite.fold_compare("t.email", FoldOp::Like),
            (
                "authctl_lower(t.email) LIKE authctl_lower(".to_owned(),
                ") ESCAPE '\\'"
            )
        );
        assert_eq!(
            lite.inet_within("ip"),
            ("authctl_inet_within(ip, ".to_owned(), ")")
        );
        assert_eq!(pg.inet_text("ip"), "abbrev(ip)");
        assert_eq!(lite.uuid_text("user_id"), "user_id");
        assert_eq!((pg.name(), lite.name()), ("postgres", "sqlite"));
    }

    #[test]
    fn fold_is_per_character() {
        // PostgreSQL's lower('ΣΑΣ') is 'σασ' (no final-sigma rule).
        assert_eq!(fold_case("ΣΑΣ"), "σασ");
        assert_eq!(fold_case("Office@Example.COM"), "office@example.com");
    }
}
