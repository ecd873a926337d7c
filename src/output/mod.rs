//! Rendering results: tables for people, JSON and CSV for scripts. Results go to
//! stdout, through [`Stdout`] only; notes and errors go to stderr. `--quiet`
//! prints nothing on success, in every format: no result, no note, no warning —
//! only errors, and a generated password ([`Output::unquiet`]), which exists
//! nowhere else. Times in tables are [`time_cell`]s.

mod colour;
mod csv;
mod escape;
mod json;
mod listing;
mod stdout;
mod table;
pub mod textfile;
mod verbose;

use std::io::{self, IsTerminal, Write};

use serde::Serialize;

pub use self::csv::{CsvWriter, csv_cell, csv_cells};
pub use colour::{ColorChoice, error_prefix, paint, use_color};
pub use escape::{is_terminal_unsafe, terminal_safe, terminal_safe_text};
pub use json::write_json;
pub use listing::{Columns, StreamPrinter};
pub use stdout::{Stdout, StdoutFailure, failure as stdout_failure, flush as flush_stdout};
pub use verbose::install_verbose;

/// The prompts moved to [`crate::tty`]; `output::prompt::…` keeps working.
pub use crate::tty as prompt;

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

/// Where and how a command prints.
#[derive(Debug, Clone)]
pub struct Output {
    pub format: Format,
    pub quiet: bool,
    pub verbose: u8,
    /// Colour stdout (table headers, state columns).
    pub color: bool,
    /// Colour stderr (the `warning:` prefix).
    pub color_err: bool,
}

impl Output {
    pub fn new(format: Format, quiet: bool, verbose: u8, color: ColorChoice) -> Self {
        Output {
            format,
            quiet,
            verbose,
            color: use_color(color, io::stdout().is_terminal()),
            color_err: use_color(color, io::stderr().is_terminal()),
        }
    }

    /// A human message on stderr (suppressed by `--quiet`).
    pub fn note(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", terminal_safe_text(msg.as_ref()));
        }
    }

    /// A warning on stderr (`authctl: warning: …`, suppressed by `--quiet`): the
    /// command succeeded, but not quite as asked.
    pub fn warn(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            let warning = colour::YELLOW;
            let _ = writeln!(
                colour::stderr(self.color_err),
                "authctl: {warning}warning:{warning:#} {}",
                terminal_safe_text(msg.as_ref())
            );
        }
    }

    /// The paging hint of every listing, on stderr in every format (suppressed by
    /// `--quiet`): more rows follow the page printed. `next` is the
    /// flag and value that continue (`--after ID`, `--before ID`); `all` says
    /// whether the command has `--all`.
    pub fn more_hint(&self, next_flag: &str, next_value: impl std::fmt::Display, all: bool) {
        self.note(more_hint_text(next_flag, next_value, all));
    }

    /// A diagnostic on stderr shown with `--verbose`.
    pub fn verbose(&self, msg: impl AsRef<str>) {
        if self.verbose > 0 {
            eprintln!("authctl: {}", terminal_safe_text(msg.as_ref()));
        }
    }

    /// This output with `--quiet` turned off: for the one result `--quiet` never
    /// silences, a generated password.
    pub fn unquiet(&self) -> Output {
        Output {
            quiet: false,
            ..self.clone()
        }
    }

    /// stdout for results: discards everything with `--quiet`; a closed stdout is
    /// an error (see [`Stdout`]).
    pub fn stdout(&self) -> Stdout {
        Stdout::new(self.quiet)
    }

    /// A line of human-readable result on stdout (table format only; suppressed by `--quiet`).
    pub fn line(&self, msg: impl AsRef<str>) -> io::Result<()> {
        if self.format != Format::Table {
            return Ok(());
        }
        writeln!(self.stdout(), "{}", terminal_safe_text(msg.as_ref()))
    }

    /// Print a JSON document (pretty) on stdout (nothing with `--quiet`).
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        let mut out = self.stdout();
        write_json(&mut out, value, true)?;
        writeln!(out)
    }

    /// Print records: a table or CSV from `headers`/`rows`, or JSON from `json`
    /// (nothing with `--quiet`). (Listings use [`StreamPrinter`], whose CSV header
    /// is the JSON field names.)
    pub fn records<T: Serialize + ?Sized>(
        &self,
        headers: &[&str],
        rows: &[Vec<String>],
        json: &T,
    ) -> io::Result<()> {
        match self.format {
            Format::Json => self.json(json),
            Format::Csv => {
                let mut w = CsvWriter::new(self, headers)?;
                for row in rows {
                    w.row(row)?;
                }
                w.finish()
            }
            Format::Table => {
                let mut out = self.stdout();
                if rows.is_empty() {
                    return writeln!(out, "(none)");
                }
                writeln!(out, "{}", self.table(headers, rows))
            }
        }
    }
}

/// The text of [`Output::more_hint`].
pub fn more_hint_text(next_flag: &str, next_value: impl std::fmt::Display, all: bool) -> String {
    format!(
        "more may follow: {next_flag} {next_value} for the next page{}",
        if all { ", --all for every row" } else { "" }
    )
}

/// Format an optional value for a table cell.
pub fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// A time in a table cell, the one format of every table: RFC 3339 UTC to the
/// second (`2026-05-01T12:00:00Z`) — JSON's format without the fraction, and a
/// value `--since`/`--until` accept as they are.
pub fn time_cell(t: &crate::db::UtcDateTime) -> String {
    t.0.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An optional time in a table cell ([`time_cell`]); `none` when absent.
pub fn time_cell_or(t: &Option<crate::db::UtcDateTime>, none: &str) -> String {
    t.as_ref().map_or_else(|| none.to_owned(), time_cell)
}
