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
        serde_json::to_writer_pretty(&mut out, value).map_err(|e| match e.io_error_kind() {
            Some(kind) => io::Error::from(kind),
            None => io::Error::other(e),
        })?;
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
