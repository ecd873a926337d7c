//! Supabase (GoTrue) `auth.users` rows, as JSON (`json_agg`) or CSV with the
//! column names as header: `email`, `encrypted_password`, `email_confirmed_at`
//! (set: verified), `created_at`, `raw_user_meta_data.name` (or `full_name`),
//! `raw_app_meta_data.role`, `banned_until` (in the future: created disabled),
//! `deleted_at` (set: refused). The table's own `role` column is the database
//! role (`authenticated`), not the application's: it is not read.

use serde_json::{Map, Value};

use super::{Fields, Incoming, json_records};
use crate::db::UtcDateTime;
use crate::error::Error;

pub(super) fn parse(bytes: &[u8]) -> Result<Vec<Incoming>, Error> {
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if matches!(first, Some(b'[' | b'{')) {
        let records = json_records(bytes, "Supabase auth.users rows")?;
        return Ok(records
            .iter()
            .enumerate()
            .map(|(i, obj)| record(obj, format!("record {}", i + 1)))
            .collect());
    }
    // CSV: every cell is text; the jsonb columns hold JSON text.
    let rows = super::csv::read_rows(bytes)?;
    Ok(rows
        .into_iter()
        .map(|(line, cells)| {
            let mut obj = Map::new();
            let mut problem = None;
            for (k, v) in cells {
                let value = if k.starts_with("raw_") && k.ends_with("_meta_data") {
                    serde_json::from_str(&v).unwrap_or_else(|e| {
                        problem.get_or_insert(format!("{k} is not JSON: {e}"));
                        Value::Null
                    })
                } else {
                    Value::String(v)
                };
                obj.insert(k, value);
            }
            let mut r = record(&obj, format!("line {line}"));
            if r.problem.is_none() {
                r.problem = problem;
            }
            r
        })
        .collect())
}

fn record(obj: &Map<String, Value>, at: String) -> Incoming {
    let mut f = Fields::new(obj);
    let verified_at = f.time("email_confirmed_at");
    let banned = f.time("banned_until");
    let deleted = f.str("deleted_at");
    let name = f
        .str("raw_user_meta_data.name")
        .or_else(|| f.str("raw_user_meta_data.full_name"));
    let mut r = Incoming {
        at,
        email: f.str("email"),
        hash: f.str("encrypted_password"),
        name,
        role: f.str("raw_app_meta_data.role"),
        verified: verified_at.is_some(),
        verified_at,
        created_at: f.time("created_at"),
        blocked: banned.is_some_and(|t| t > UtcDateTime::now()),
        ..Default::default()
    };
    if deleted.is_some() && f.problem.is_none() {
        f.problem = Some("deleted in Supabase (deleted_at is set)".into());
    }
    r.problem = f.problem;
    r
}
