//! CSV on stdout: a streaming writer whose every cell is terminal-safe (CSV is read
//! on terminals too), and the cells of a record taken from its JSON form, so the
//! CSV header of a listing is always its JSON field names.

use std::io;

use serde::Serialize;

use super::{Output, Stdout, terminal_safe, write_json};

/// Streaming CSV on stdout (for large listings). Every cell and header is written
/// [`terminal_safe`] whoever built it: a nested JSON value serialised by plain
/// serde_json keeps C1 and bidi characters raw.
pub struct CsvWriter {
    w: csv::Writer<Stdout>,
}

impl CsvWriter {
    /// A CSV document on `out`'s stdout (nothing with `--quiet`), its header written.
    pub fn new(out: &Output, headers: &[&str]) -> io::Result<Self> {
        let mut w = csv::Writer::from_writer(out.stdout());
        w.write_record(headers.iter().map(|h| terminal_safe(h).into_owned()))
            .map_err(csv_err)?;
        Ok(CsvWriter { w })
    }
    pub fn row(&mut self, row: &[String]) -> io::Result<()> {
        self.w
            .write_record(row.iter().map(|c| terminal_safe(c).into_owned()))
            .map_err(csv_err)
    }
    pub fn finish(mut self) -> io::Result<()> {
        self.w.flush()
    }
}

fn csv_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// The CSV cells of a record, taken from its JSON form: one cell per name in
/// `columns` (the JSON field names — the one CSV header vocabulary of authctl).
/// Strings are escaped as in tables ([`terminal_safe`]), `null` is empty, numbers
/// and booleans as JSON writes them, arrays and objects as compact JSON with unsafe
/// characters as `\\uXXXX` ([`write_json`]). A record whose JSON fields are not
/// exactly `columns` is an internal error, so the header and the rows cannot drift
/// apart.
pub fn csv_cells<T: Serialize + ?Sized>(columns: &[&str], record: &T) -> io::Result<Vec<String>> {
    let value = serde_json::to_value(record).map_err(io::Error::other)?;
    let serde_json::Value::Object(map) = value else {
        return Err(io::Error::other(
            "internal error: a CSV record is not a JSON object",
        ));
    };
    if map.len() != columns.len() || !columns.iter().all(|c| map.contains_key(*c)) {
        return Err(io::Error::other(format!(
            "internal error: CSV columns {columns:?} differ from the JSON fields {:?}",
            map.keys().collect::<Vec<_>>()
        )));
    }
    Ok(columns.iter().map(|c| csv_cell(&map[*c])).collect())
}

/// One CSV cell from a JSON value (see [`csv_cells`]).
pub fn csv_cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => terminal_safe(s).into_owned(),
        serde_json::Value::Bool(_) | serde_json::Value::Number(_) => v.to_string(),
        other => {
            let mut text = Vec::new();
            match write_json(&mut text, other, false) {
                Ok(()) => String::from_utf8_lossy(&text).into_owned(),
                Err(_) => terminal_safe(&other.to_string()).into_owned(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn csv_cells_are_the_json_fields() {
        let v = serde_json::json!({"id": 1, "ua": "x\u{1b}[2J", "none": null, "ok": true, "d": {"a": 1}});
        let cells = super::csv_cells(&["id", "ua", "none", "ok", "d"], &v).unwrap();
        assert_eq!(cells, ["1", "x\\u{1b}[2J", "", "true", r#"{"a":1}"#]);
        assert!(super::csv_cells(&["id", "ua", "none", "ok"], &v).is_err());
        assert!(super::csv_cells(&["id", "ua", "none", "ok", "d", "e"], &v).is_err());
    }

    /// Nested JSON in a CSV cell is escaped like a string cell (CSI, bidi, ALM,
    /// line/paragraph separators, DEL).
    #[test]
    fn csv_nested_json_is_escaped() {
        let v =
            serde_json::json!([{"detail": "a\u{9b}31m\u{202e}b\u{61c}c\u{2028}d\u{2029}e\u{7f}"}]);
        let cell = super::csv_cell(&v);
        assert_eq!(
            cell,
            r#"[{"detail":"a\u009b31m\u202eb\u061cc\u2028d\u2029e\u007f"}]"#
        );
    }
}
