//! Listings printed as they are fetched ([`StreamPrinter`]): one page, or with
//! `--all` every page as it arrives, as a table, one JSON array or one CSV document
//! whose header is the JSON field names.

use std::io::{self, Write};

use super::table::PlainTable;
use super::{CsvWriter, Format, Output, Stdout, csv_cells, write_json};

/// What a listing prints: table headers for people, and the JSON field names —
/// which are also the CSV header.
#[derive(Debug, Clone, Copy)]
pub struct Columns<'a> {
    /// Table headers (upper case, for people).
    pub table: &'a [&'a str],
    /// JSON field names, in the order JSON writes them; the CSV header.
    pub fields: &'a [&'a str],
}

/// Prints a listing as it is fetched — one page, or with `streaming` (`--all`)
/// every page as it arrives, so memory holds one page only:
/// - table: one table for one page; streamed, one aligned text table whose header
///   is printed once, column widths fixed by the header and the first page (a
///   wider value later pushes its line, it is never cut);
/// - JSON: one array, written element by element;
/// - CSV: one document whose header is the JSON field names, each row taken from
///   the record's JSON form ([`csv_cells`]).
pub struct StreamPrinter<'a> {
    out: &'a Output,
    columns: Columns<'a>,
    streaming: bool,
    csv: Option<CsvWriter>,
    json: Option<io::BufWriter<Stdout>>,
    plain: PlainTable,
    rows: usize,
}

impl<'a> StreamPrinter<'a> {
    pub fn new(out: &'a Output, columns: Columns<'a>, streaming: bool) -> io::Result<Self> {
        let csv = match out.format {
            Format::Csv => Some(CsvWriter::new(out, columns.fields)?),
            _ => None,
        };
        let json = match out.format {
            Format::Json => Some(io::BufWriter::new(out.stdout())),
            _ => None,
        };
        Ok(StreamPrinter {
            out,
            columns,
            streaming,
            csv,
            json,
            plain: PlainTable::default(),
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
                        w.row(&csv_cells(self.columns.fields, r)?)?;
                    }
                }
            }
            Format::Json => {
                if let Some(out) = &mut self.json {
                    for (i, r) in page.iter().enumerate() {
                        let sep = if self.rows + i == 0 { "[" } else { "," };
                        let mut text = Vec::new();
                        write_json(&mut text, r, true)?;
                        let text = String::from_utf8_lossy(&text);
                        write!(out, "{sep}\n  {}", text.replace('\n', "\n  "))?;
                    }
                    out.flush()?;
                }
            }
            Format::Table if self.out.quiet => {}
            Format::Table if self.streaming => {
                let rows: Vec<Vec<String>> = page.iter().map(&cells).collect();
                self.plain
                    .page(self.out.stdout(), self.columns.table, &rows, self.out.color)?;
            }
            Format::Table => {
                let rows: Vec<Vec<String>> = page.iter().map(&cells).collect();
                writeln!(
                    self.out.stdout(),
                    "{}",
                    self.out.table(self.columns.table, &rows)
                )?;
            }
        }
        self.rows += page.len();
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<()> {
        match self.out.format {
            Format::Csv => {
                if let Some(w) = self.csv.take() {
                    w.finish()?;
                }
            }
            Format::Json => {
                if let Some(mut out) = self.json.take() {
                    if self.rows == 0 {
                        writeln!(out, "[]")?;
                    } else {
                        writeln!(out, "\n]")?;
                    }
                    out.flush()?;
                }
            }
            Format::Table if self.rows == 0 => writeln!(self.out.stdout(), "(none)")?,
            Format::Table => {}
        }
        Ok(())
    }
}
