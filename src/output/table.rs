//! Tables for people: the boxed comfy-table of one page or one result, and the
//! streamed plain table of `--all` listings (header once, widths fixed by the first
//! page). With colour on, headers are bold and state columns coloured by value.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};

use super::colour::{BOLD, STATE_COLUMNS, paint, state_color};
use super::{Output, terminal_safe};

impl Output {
    /// A comfy-table with the house style. With colour on, the header is bold and
    /// state columns (`STATE`, `STATUS`, `RESULT`) are coloured by value.
    pub fn table(&self, headers: &[&str], rows: &[Vec<String>]) -> Table {
        use comfy_table::{Attribute, Cell};
        let mut t = Table::new();
        t.load_style(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic);
        if self.color {
            t.enforce_styling();
            t.set_header(
                headers
                    .iter()
                    .map(|h| Cell::new(terminal_safe(h)).add_attribute(Attribute::Bold)),
            );
        } else {
            t.force_no_tty();
            t.set_header(headers.iter().map(|h| terminal_safe(h)));
        }
        let states: Vec<bool> = headers.iter().map(|h| STATE_COLUMNS.contains(h)).collect();
        for row in rows {
            t.add_row(row.iter().enumerate().map(|(i, v)| {
                let cell = Cell::new(terminal_safe(v));
                match state_color(v) {
                    Some((_, color)) if self.color && states.get(i) == Some(&true) => {
                        cell.fg(color)
                    }
                    _ => cell,
                }
            }));
        }
        t
    }
}

/// The streamed table of a listing printed page by page: one aligned text table
/// whose header is printed once, column widths fixed by the header and the first
/// page (a wider value later pushes its line, it is never cut).
#[derive(Debug, Default)]
pub(crate) struct PlainTable {
    /// The column widths, once the header is printed.
    widths: Option<Vec<usize>>,
}

impl PlainTable {
    /// Print a page on stdout: the header (bold with colour) before the first page
    /// only.
    pub(crate) fn page(
        &mut self,
        out: super::Stdout,
        headers: &[&str],
        rows: &[Vec<String>],
        color: bool,
    ) -> io::Result<()> {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| terminal_safe(c).into_owned()).collect())
            .collect();
        let mut out = io::BufWriter::new(out);
        let widths = match &self.widths {
            Some(w) => w.clone(),
            None => {
                let mut w: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
                for row in &rows {
                    for (i, c) in row.iter().enumerate() {
                        if let Some(x) = w.get_mut(i) {
                            *x = (*x).max(c.chars().count());
                        }
                    }
                }
                let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
                write_plain_line(&mut out, &header, &w, |_, s| paint(color, BOLD, s))?;
                self.widths = Some(w.clone());
                w
            }
        };
        let states: Vec<bool> = headers.iter().map(|h| STATE_COLUMNS.contains(h)).collect();
        for row in &rows {
            write_plain_line(&mut out, row, &widths, |i, s| {
                match state_color(s.trim_end()) {
                    Some((style, _)) if color && states.get(i) == Some(&true) => {
                        paint(true, style, s)
                    }
                    _ => s.to_owned(),
                }
            })?;
        }
        out.flush()
    }
}

/// One line of the streamed table: cells padded to `widths`, two spaces apart,
/// the last one unpadded; `style` may colour a padded cell.
fn write_plain_line(
    out: &mut impl Write,
    cells: &[String],
    widths: &[usize],
    style: impl Fn(usize, &str) -> String,
) -> io::Result<()> {
    let mut line = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        let last = i + 1 == cells.len();
        let width = widths.get(i).copied().unwrap_or(0);
        let padded = if last {
            c.clone()
        } else {
            format!("{c}{}", " ".repeat(width.saturating_sub(c.chars().count())))
        };
        line.push_str(&style(i, &padded));
    }
    writeln!(out, "{}", line.trim_end())
}

#[cfg(test)]
mod tests {
    #[test]
    fn plain_lines_pad_all_but_the_last_cell() {
        let mut out = Vec::new();
        let cells = ["a".to_owned(), "bb".to_owned(), "c".to_owned()];
        super::write_plain_line(&mut out, &cells, &[3, 4, 9], |_, s| s.to_owned()).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a    bb    c\n");
    }
}
