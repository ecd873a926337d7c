//! authctl's CSV: a header row, then one user per line. Columns (by name, in any
//! order; others are ignored): `email` (required), `password_hash`, `name`,
//! `role`, `email_verified` (true/false), `email_verified_at`, `created_at`,
//! `status` (`disabled` is created disabled). Export writes [`COLUMNS`]. Also the
//! reader of Supabase's CSV.

use serde_json::{Map, Value};

use super::{Fields, Incoming};
use crate::error::Error;
use crate::repo::User;

/// The columns `users export --format csv` writes.
pub(super) const COLUMNS: [&str; 9] = [
    "id",
    "email",
    "name",
    "role",
    "status",
    "email_verified",
    "email_verified_at",
    "created_at",
    "password_hash",
];

/// One CSV row: its line number and its non-empty cells by column name.
pub(super) type Row = (u64, Vec<(String, String)>);

/// The rows of a CSV file with a header: `(line, (column, cell))`, empty cells
/// left out (they are NULL). A malformed file is a data error naming the line.
pub(super) fn read_rows(bytes: &[u8]) -> Result<Vec<Row>, Error> {
    let bad = |e: ::csv::Error| {
        let line = e.position().map(|p| p.line());
        match (line, e.kind()) {
            (Some(l), ::csv::ErrorKind::Utf8 { .. }) => Error::data(format!(
                "line {l} of the CSV file is not UTF-8; nothing was imported"
            )),
            (
                Some(l),
                ::csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                },
            ) => Error::data(format!(
                "line {l} of the CSV file has {len} fields, the header {expected_len}; nothing was imported"
            )),
            _ => Error::data(format!(
                "the CSV file cannot be read: {e}; nothing was imported"
            )),
        }
    };
    let mut r = ::csv::ReaderBuilder::new().from_reader(bytes);
    let headers: Vec<String> = r
        .headers()
        .map_err(bad)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    if !headers.iter().any(|h| h == "email") {
        return Err(Error::data(
            "line 1 of the CSV file is no header with an `email` column; nothing was imported",
        ));
    }
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(bad)?;
        let line = rec.position().map_or(0, |p| p.line());
        let cells = headers
            .iter()
            .zip(rec.iter())
            .filter(|(_, v)| !v.is_empty())
            .map(|(h, v)| (h.clone(), v.to_owned()))
            .collect();
        rows.push((line, cells));
    }
    Ok(rows)
}

/// A CSV boolean: true/false, t/f (psql), 1/0, yes/no.
pub(super) fn boolean(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "t" | "1" | "yes" => Some(true),
        "false" | "f" | "0" | "no" => Some(false),
        _ => None,
    }
}

pub(super) fn parse(bytes: &[u8]) -> Result<Vec<Incoming>, Error> {
    Ok(read_rows(bytes)?
        .into_iter()
        .map(|(line, cells)| {
            let obj: Map<String, Value> = cells
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            let mut f = Fields::new(&obj);
            let verified = match f.str("email_verified") {
                None => false,
                Some(s) => boolean(&s).unwrap_or_else(|| {
                    f.problem.get_or_insert(format!(
                        "email_verified {} is not true or false",
                        super::shown(&s)
                    ));
                    false
                }),
            };
            let status = f.str("status");
            let mut r = Incoming {
                at: format!("line {line}"),
                email: f.str("email"),
                hash: f.str("password_hash"),
                name: f.str("name"),
                role: f.str("role"),
                verified,
                verified_at: f.time("email_verified_at"),
                created_at: f.time("created_at"),
                blocked: false,
                ..Default::default()
            };
            match status.as_deref().map(str::trim) {
                None | Some("active") => {}
                Some("disabled") => r.blocked = true,
                Some(other) => {
                    f.problem.get_or_insert(format!(
                        "status {} is not active or disabled",
                        super::shown(other)
                    ));
                }
            }
            r.problem = f.problem;
            r
        })
        .collect())
}

pub(super) fn row(u: &User, hash: Option<&str>) -> Vec<String> {
    let time = |t: Option<crate::db::UtcDateTime>| t.map(|t| t.to_rfc3339()).unwrap_or_default();
    vec![
        u.id.to_string(),
        u.email.clone(),
        u.name.clone().unwrap_or_default(),
        u.role().to_owned(),
        u.status().to_string(),
        u.email_verified.unwrap_or(false).to_string(),
        time(u.email_verified_at),
        time(u.created_at),
        hash.unwrap_or_default().to_owned(),
    ]
}
