//! Rendering results: tables for people, JSON and CSV for scripts. Results go to
//! stdout; notes and errors go to stderr. `--quiet` silences everything but errors
//! and data a script explicitly asked for with `--output json|csv`.

use std::io::{self, IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

/// `--output` format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// Aligned table for people.
    #[default]
    Table,
    /// JSON (stable field names, RFC 3339 UTC times).
    Json,
    /// CSV with a header row.
    Csv,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum ColorChoice {
    /// Color only when stdout is a terminal and NO_COLOR is unset.
    #[default]
    Auto,
    Always,
    Never,
}

/// Where and how a command prints.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub quiet: bool,
    pub verbose: u8,
    pub color: bool,
}

impl Output {
    pub fn new(format: Format, quiet: bool, verbose: u8, color: ColorChoice) -> Self {
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Output {
            format,
            quiet,
            verbose,
            color,
        }
    }

    /// A human message on stderr (suppressed by `--quiet`).
    pub fn note(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", msg.as_ref());
        }
    }

    /// A diagnostic on stderr shown with `--verbose`.
    pub fn verbose(&self, msg: impl AsRef<str>) {
        if self.verbose > 0 {
            eprintln!("authctl: {}", msg.as_ref());
        }
    }

    /// A line of human-readable result on stdout (table format only; suppressed by `--quiet`).
    pub fn line(&self, msg: impl AsRef<str>) -> io::Result<()> {
        if self.quiet || self.format != Format::Table {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        writeln!(out, "{}", msg.as_ref())
    }

    /// Print a JSON document (pretty) on stdout.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        let mut out = io::stdout().lock();
        write_json(&mut out, value, true)?;
        writeln!(out)
    }

    /// Print records: a table or CSV from `headers`/`rows`, or JSON from `json`.
    /// In table format `--quiet` prints nothing; JSON and CSV are always printed.
    pub fn records<T: Serialize + ?Sized>(
        &self,
        headers: &[&str],
        rows: &[Vec<String>],
        json: &T,
    ) -> io::Result<()> {
        match self.format {
            Format::Json => self.json(json),
            Format::Csv => {
                let mut w = CsvWriter::new(headers)?;
                for row in rows {
                    w.row(row)?;
                }
                w.finish()
            }
            Format::Table => {
                if self.quiet {
                    return Ok(());
                }
                let mut out = io::stdout().lock();
                if rows.is_empty() {
                    return writeln!(out, "(none)");
                }
                writeln!(out, "{}", self.table(headers, rows))
            }
        }
    }

    /// A comfy-table with the house style (no color unless allowed).
    pub fn table(&self, headers: &[&str], rows: &[Vec<String>]) -> Table {
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(headers.iter().copied());
        if !self.color {
            t.force_no_tty();
        }
        for row in rows {
            t.add_row(row.iter().map(String::as_str));
        }
        t
    }
}

/// Streaming CSV on stdout (for large listings).
pub struct CsvWriter {
    w: csv::Writer<io::StdoutLock<'static>>,
}

impl CsvWriter {
    pub fn new(headers: &[&str]) -> io::Result<Self> {
        let mut w = csv::Writer::from_writer(io::stdout().lock());
        w.write_record(headers).map_err(csv_err)?;
        Ok(CsvWriter { w })
    }
    pub fn row(&mut self, row: &[String]) -> io::Result<()> {
        self.w.write_record(row).map_err(csv_err)
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

/// Format an optional value for a table cell.
pub fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// Prints a listing as it is fetched: a table per page, one CSV document, or one
/// JSON array — so `--all` needs memory for one page only.
pub struct StreamPrinter<'a> {
    out: &'a Output,
    headers: &'static [&'static str],
    csv: Option<CsvWriter>,
    rows: usize,
}

impl<'a> StreamPrinter<'a> {
    pub fn new(out: &'a Output, headers: &'static [&'static str]) -> io::Result<Self> {
        let csv = match out.format {
            Format::Csv => Some(CsvWriter::new(headers)?),
            _ => None,
        };
        Ok(StreamPrinter {
            out,
            headers,
            csv,
            rows: 0,
        })
    }

    pub fn page<T: serde::Serialize>(
        &mut self,
        page: &[T],
        cells: impl Fn(&T) -> Vec<String>,
    ) -> io::Result<()> {
        if page.is_empty() {
            return Ok(());
        }
        match self.out.format {
            Format::Csv => {
                if let Some(w) = &mut self.csv {
                    for r in page {
                        w.row(&cells(r))?;
                    }
                }
            }
            Format::Json => {
                let mut out = io::stdout().lock();
                for (i, r) in page.iter().enumerate() {
                    let sep = if self.rows + i == 0 { "[" } else { "," };
                    let mut text = Vec::new();
                    crate::output::write_json(&mut text, r, true)?;
                    let text = String::from_utf8_lossy(&text);
                    write!(out, "{sep}\n  {}", text.replace('\n', "\n  "))?;
                }
                out.flush()?;
            }
            Format::Table if !self.out.quiet => {
                let rows: Vec<Vec<String>> = page.iter().map(&cells).collect();
                writeln!(
                    io::stdout().lock(),
                    "{}",
                    self.out.table(self.headers, &rows)
                )?;
            }
            Format::Table => {}
        }
        self.rows += page.len();
        Ok(())
    }

    pub fn finish(self) -> io::Result<()> {
        match self.out.format {
            Format::Csv => {
                if let Some(w) = self.csv {
                    w.finish()?;
                }
            }
            Format::Json if self.rows == 0 => writeln!(io::stdout().lock(), "[]")?,
            Format::Json => writeln!(io::stdout().lock(), "\n]")?,
            Format::Table if self.rows == 0 && !self.out.quiet => {
                writeln!(io::stdout().lock(), "(none)")?
            }
            Format::Table => {}
        }
        Ok(())
    }
}

/// A serde_json formatter that also escapes what serde_json leaves raw but a
/// terminal may act on: C1 control characters (U+0080–U+009F, e.g. CSI) and Unicode
/// bidirectional controls. They are written as `\uXXXX`, so the JSON value stays
/// exact while nothing from the database can steer an operator's terminal.
struct TerminalSafe<F>(F);

fn json_needs_escape(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{9f}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for TerminalSafe<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if json_needs_escape(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// Write `value` as JSON (indented when `pretty`) with every character that could
/// steer a terminal escaped (see [`TerminalSafe`]). The one JSON writer of authctl.
pub fn write_json<W: Write, T: Serialize + ?Sized>(
    writer: W,
    value: &T,
    pretty: bool,
) -> io::Result<()> {
    let result = if pretty {
        let mut ser = serde_json::Serializer::with_formatter(
            writer,
            TerminalSafe(serde_json::ser::PrettyFormatter::new()),
        );
        value.serialize(&mut ser)
    } else {
        let mut ser = serde_json::Serializer::with_formatter(
            writer,
            TerminalSafe(serde_json::ser::CompactFormatter),
        );
        value.serialize(&mut ser)
    };
    result.map_err(|e| match e.io_error_kind() {
        Some(kind) => io::Error::from(kind),
        None => io::Error::other(e),
    })
}

#[cfg(test)]
mod json_tests {
    #[test]
    fn json_escapes_c1_and_bidi_but_keeps_the_value() {
        let v = serde_json::json!({"ua": "a\u{9b}31m\u{202e}b\u{1b}c é"});
        let mut out = Vec::new();
        super::write_json(&mut out, &v, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, r#"{"ua":"a\u009b31m\u202eb\u001bc é"}"#);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
