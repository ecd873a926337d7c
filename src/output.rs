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
    /// Colour a stream only when it is a terminal and NO_COLOR is unset or empty.
    #[default]
    Auto,
    /// Always colour (even into a pipe or file).
    Always,
    /// Never colour.
    Never,
}

/// Whether to colour a stream: `always` and `never` are what they say; `auto`
/// colours only a terminal, and never when `NO_COLOR` is set to a non-empty value
/// (<https://no-color.org>).
pub fn use_color(choice: ColorChoice, stream_is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// ANSI SGR sequences authctl uses (only when colour is on).
pub mod ansi {
    pub const BOLD: &str = "\x1b[1m";
    pub const RED: &str = "\x1b[31m";
    pub const GREEN: &str = "\x1b[32m";
    pub const YELLOW: &str = "\x1b[33m";
    pub const RESET: &str = "\x1b[0m";
}

/// `text` wrapped in `code` … reset when `on`.
pub fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("{code}{text}{}", ansi::RESET)
    } else {
        text.to_owned()
    }
}

/// The prefix of an error line on stderr (`authctl: error:`), red when `color`.
pub fn error_prefix(color: bool) -> String {
    format!("authctl: {}", paint(color, ansi::RED, "error:"))
}

/// Whether a character could change what a terminal shows or how it lays text
/// out: control characters (C0 including ESC, DEL, C1 including CSI U+009B),
/// Unicode bidirectional controls (LRM, RLM, ALM U+061C, the embeddings and
/// overrides U+202A–U+202E, the isolates U+2066–U+2069) and the line and
/// paragraph separators U+2028/U+2029. The one set of authctl: tables, CSV,
/// messages and JSON ([`write_json`]) escape exactly these.
pub fn is_terminal_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with every [`is_terminal_unsafe`] character written as a Rust escape
/// (`\u{1b}`, `\u{202e}`); everything else unchanged. Escaping twice changes
/// nothing more (an escape is plain ASCII), so a value escaped by its command
/// and again where it is printed reads the same.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    escape_unless(s, |_| false)
}

/// [`terminal_safe`] for a message of several lines: line feeds and tabs are kept,
/// every other unsafe character is escaped. What every message on stderr goes
/// through where it is printed (errors, warnings, notes).
pub fn terminal_safe_text(s: &str) -> std::borrow::Cow<'_, str> {
    escape_unless(s, |c| c == '\n' || c == '\t')
}

fn escape_unless(s: &str, keep: impl Fn(char) -> bool) -> std::borrow::Cow<'_, str> {
    let unsafe_here = |c: char| is_terminal_unsafe(c) && !keep(c);
    if !s.chars().any(unsafe_here) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_here(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Table columns whose values are states, coloured by [`state_color`].
const STATE_COLUMNS: &[&str] = &["STATE", "STATUS", "RESULT"];

/// The colour of a state value: usable green, refused red, lapsed yellow.
fn state_color(value: &str) -> Option<(&'static str, comfy_table::Color)> {
    use comfy_table::Color;
    match value {
        "active" | "success" | "allowed" => Some((ansi::GREEN, Color::Green)),
        "revoked" | "disabled" | "FAILED" | "blocked" => Some((ansi::RED, Color::Red)),
        "expired" => Some((ansi::YELLOW, Color::Yellow)),
        _ => None,
    }
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
            eprintln!(
                "authctl: {} {}",
                paint(self.color_err, ansi::YELLOW, "warning:"),
                terminal_safe_text(msg.as_ref())
            );
        }
    }

    /// The paging hint of every listing, on stderr in every format (suppressed by
    /// `--quiet`): a full page was printed and more rows may follow. `next` is the
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

    /// A line of human-readable result on stdout (table format only; suppressed by `--quiet`).
    pub fn line(&self, msg: impl AsRef<str>) -> io::Result<()> {
        if self.quiet || self.format != Format::Table {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        writeln!(out, "{}", terminal_safe_text(msg.as_ref()))
    }

    /// Print a JSON document (pretty) on stdout.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> io::Result<()> {
        let mut out = io::stdout().lock();
        write_json(&mut out, value, true)?;
        writeln!(out)
    }

    /// Print records: a table or CSV from `headers`/`rows`, or JSON from `json`.
    /// In table format `--quiet` prints nothing; JSON and CSV are always printed.
    /// (Listings use [`StreamPrinter`], whose CSV header is the JSON field names.)
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

/// The text of [`Output::more_hint`].
pub fn more_hint_text(next_flag: &str, next_value: impl std::fmt::Display, all: bool) -> String {
    format!(
        "more may follow: {next_flag} {next_value} for the next page{}",
        if all { ", --all for every row" } else { "" }
    )
}

/// Streaming CSV on stdout (for large listings). Every cell and header is written
/// [`terminal_safe`] whoever built it (CSV is read on terminals too): a nested JSON
/// value serialised by plain serde_json keeps C1 and bidi characters raw.
pub struct CsvWriter {
    w: csv::Writer<io::StdoutLock<'static>>,
}

impl CsvWriter {
    pub fn new(headers: &[&str]) -> io::Result<Self> {
        let mut w = csv::Writer::from_writer(io::stdout().lock());
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
/// Strings are escaped as in tables ([`terminal_safe`]: CSV is read on terminals
/// too), `null` is empty, numbers and booleans as JSON writes them, arrays and
/// objects as compact JSON with unsafe characters as `\\uXXXX` ([`write_json`]). A record whose JSON fields are not exactly
/// `columns` is an internal error, so the header and the rows cannot drift apart.
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

/// Format an optional value for a table cell.
pub fn opt<T: std::fmt::Display>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

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
    json: Option<io::BufWriter<io::StdoutLock<'static>>>,
    /// Streamed table: the column widths, once the header is printed.
    widths: Option<Vec<usize>>,
    rows: usize,
}

impl<'a> StreamPrinter<'a> {
    pub fn new(out: &'a Output, columns: Columns<'a>, streaming: bool) -> io::Result<Self> {
        let csv = match out.format {
            Format::Csv => Some(CsvWriter::new(columns.fields)?),
            _ => None,
        };
        let json = match out.format {
            Format::Json => Some(io::BufWriter::new(io::stdout().lock())),
            _ => None,
        };
        Ok(StreamPrinter {
            out,
            columns,
            streaming,
            csv,
            json,
            widths: None,
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
                self.plain(&rows)?;
            }
            Format::Table => {
                let rows: Vec<Vec<String>> = page.iter().map(&cells).collect();
                writeln!(
                    io::stdout().lock(),
                    "{}",
                    self.out.table(self.columns.table, &rows)
                )?;
            }
        }
        self.rows += page.len();
        Ok(())
    }

    /// A page of the streamed table: the header (bold with colour) before the
    /// first page only.
    fn plain(&mut self, rows: &[Vec<String>]) -> io::Result<()> {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|c| terminal_safe(c).into_owned()).collect())
            .collect();
        let rows = rows.as_slice();
        let headers = self.columns.table;
        let color = self.out.color;
        let mut out = io::BufWriter::new(io::stdout().lock());
        let widths = match &self.widths {
            Some(w) => w.clone(),
            None => {
                let mut w: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
                for row in rows {
                    for (i, c) in row.iter().enumerate() {
                        if let Some(x) = w.get_mut(i) {
                            *x = (*x).max(c.chars().count());
                        }
                    }
                }
                let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
                write_plain_line(&mut out, &header, &w, |_, s| paint(color, ansi::BOLD, s))?;
                self.widths = Some(w.clone());
                w
            }
        };
        let states: Vec<bool> = headers.iter().map(|h| STATE_COLUMNS.contains(h)).collect();
        for row in rows {
            write_plain_line(&mut out, row, &widths, |i, s| {
                match state_color(s.trim_end()) {
                    Some((code, _)) if color && states.get(i) == Some(&true) => {
                        paint(true, code, s)
                    }
                    _ => s.to_owned(),
                }
            })?;
        }
        out.flush()
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
            Format::Table if self.rows == 0 && !self.out.quiet => {
                writeln!(io::stdout().lock(), "(none)")?
            }
            Format::Table => {}
        }
        Ok(())
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

/// Prompts on the operator's terminal: the controlling terminal (`/dev/tty`) is
/// read and written directly, so a prompt works with stdout or stderr redirected
/// (`2>log`). A prompt is offered only when stdin is a terminal too (a script that
/// pipes stdin never blocks on a question). While a prompt is up, Ctrl-C (and
/// SIGTERM, SIGHUP, SIGQUIT) restores the terminal — echo, line mode and the
/// cursor the prompt hid — and ends authctl with exit code 128 + the signal (130
/// for Ctrl-C).
pub mod prompt {
    use std::fs::{File, OpenOptions};
    use std::io::IsTerminal;
    use std::os::fd::{AsRawFd, IntoRawFd, RawFd};
    use std::sync::OnceLock;

    pub use dialoguer::console::Term;

    /// Exit code after Ctrl-C at a prompt (128 + SIGINT, as shells report it).
    pub const INTERRUPTED: i32 = 130;

    /// The terminal to restore on Ctrl-C: a descriptor of `/dev/tty` (kept open for
    /// the life of the process) and its settings before any prompt.
    static RESTORE: OnceLock<(RawFd, libc::termios)> = OnceLock::new();

    /// A terminal to prompt on, or `None`: stdin is not a terminal, or there is no
    /// controlling terminal to open.
    pub fn terminal() -> Option<PromptTerm> {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        let tty = OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .ok()?;
        let write = tty.try_clone().ok()?;
        let handlers = install_restore(&tty);
        Some(PromptTerm {
            term: Term::read_write_pair(tty, write),
            handlers,
        })
    }

    /// The prompt terminal; dropping it shows the cursor again and removes the
    /// signal handlers.
    pub struct PromptTerm {
        pub term: Term,
        handlers: Vec<signal_hook::SigId>,
    }

    impl Drop for PromptTerm {
        fn drop(&mut self) {
            let _ = self.term.show_cursor();
            for id in self.handlers.drain(..) {
                signal_hook::low_level::unregister(id);
            }
        }
    }

    impl PromptTerm {
        /// A line on the terminal (a reason to try again, say).
        pub fn say(&self, line: &str) {
            let _ = self.term.write_line(line);
        }

        /// A yes/no question (default no).
        pub fn confirm(&self, prompt: &str) -> std::io::Result<bool> {
            dialoguer::Confirm::new()
                .with_prompt(prompt)
                .default(false)
                .interact_on(&self.term)
                .map_err(|dialoguer::Error::IO(e)| e)
        }

        /// A hidden password, typed twice.
        pub fn password(&self) -> std::io::Result<String> {
            dialoguer::Password::new()
                .with_prompt("New password")
                .with_confirmation("Repeat password", "the passwords do not match")
                .allow_empty_password(true)
                .interact_on(&self.term)
                .map_err(|dialoguer::Error::IO(e)| e)
        }
    }

    /// The signals that end authctl while a prompt is up, each restoring the
    /// terminal first: Ctrl-C, `kill`, a closed terminal or ssh session, Ctrl-\\.
    pub const RESTORING_SIGNALS: [i32; 4] = [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGQUIT,
    ];

    /// Remember the terminal's settings (once) and handle [`RESTORING_SIGNALS`]
    /// while a prompt is up: restore the settings (a hidden password prompt turns
    /// echo off), show the cursor, exit 128 + the signal's number (130 for Ctrl-C,
    /// as shells report it). Only async-signal-safe calls in the handler.
    fn install_restore(tty: &File) -> Vec<signal_hook::SigId> {
        let saved = RESTORE.get_or_init(|| {
            let fd = tty
                .try_clone()
                .map(IntoRawFd::into_raw_fd)
                .unwrap_or(tty.as_raw_fd());
            // SAFETY: tcgetattr fills a termios for an open descriptor.
            let mut t = unsafe { std::mem::zeroed::<libc::termios>() };
            if unsafe { libc::tcgetattr(fd, &mut t) } != 0 {
                return (-1, t);
            }
            (fd, t)
        });
        if saved.0 < 0 {
            return Vec::new();
        }
        RESTORING_SIGNALS
            .iter()
            .filter_map(|&signal| {
                let handler = move || {
                    if let Some((fd, t)) = RESTORE.get() {
                        const SHOW_CURSOR: &[u8] = b"\x1b[?25h\r\n";
                        // SAFETY: tcsetattr, write and _exit are async-signal-safe;
                        // fd stays open.
                        unsafe {
                            libc::tcsetattr(*fd, libc::TCSANOW, t);
                            libc::write(*fd, SHOW_CURSOR.as_ptr().cast(), SHOW_CURSOR.len());
                        }
                    }
                    // SAFETY: ends the process at once, with the code a shell shows
                    // for a process the signal ended (128 + its number).
                    unsafe { libc::_exit(128 + signal) }
                };
                // SAFETY: the handler only makes async-signal-safe calls (see above).
                unsafe { signal_hook::low_level::register(signal, handler) }.ok()
            })
            .collect()
    }
}

/// `-v` levels, for every connection authctl opens (installed once by the binary):
/// - `-v`: where authctl connects (the URL with its password redacted, from
///   [`crate::cli::Context::config`]), how long connecting took, and the command's
///   total time and exit code;
/// - `-vv`: also every SQL statement (its text only — bound values such as
///   password hashes and tokens are never printed) and every transaction
///   boundary (BEGIN, COMMIT, ROLLBACK with its depth);
/// - `-vvv`: also each statement's duration, and whether it failed.
pub fn install_verbose(level: u8) {
    static LEVEL: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);
    LEVEL.store(level, std::sync::atomic::Ordering::Relaxed);
    if level == 0 {
        return;
    }
    fn make() -> Option<Box<dyn diesel::connection::Instrumentation>> {
        let level = LEVEL.load(std::sync::atomic::Ordering::Relaxed);
        Some(Box::new(SqlLog {
            level,
            connect: None,
            query: None,
        }))
    }
    let _ = diesel::connection::set_default_instrumentation(make);
}

/// The `-v` logger of one connection (see [`install_verbose`]).
struct SqlLog {
    level: u8,
    connect: Option<std::time::Instant>,
    query: Option<std::time::Instant>,
}

/// A statement as `-vv` shows it: its SQL on one line, without the bound values
/// diesel's debug form appends (they may be hashes or tokens), at most 400
/// characters.
pub fn sql_text(debug: &str) -> String {
    let sql = debug.split(" -- binds: ").next().unwrap_or_default();
    let mut one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 400 {
        one_line = one_line.chars().take(400).collect::<String>() + "…";
    }
    terminal_safe(&one_line).into_owned()
}

impl diesel::connection::Instrumentation for SqlLog {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        use diesel::connection::InstrumentationEvent as E;
        let ms = |t: Option<std::time::Instant>| {
            t.map(|t| format!("{:.1} ms", t.elapsed().as_secs_f64() * 1000.0))
                .unwrap_or_default()
        };
        // The connection URL in these events may hold a password: never printed.
        match event {
            E::StartEstablishConnection { .. } => self.connect = Some(std::time::Instant::now()),
            E::FinishEstablishConnection { error, .. } => match error {
                None => eprintln!("authctl: connected in {}", ms(self.connect)),
                Some(_) => eprintln!("authctl: connecting failed after {}", ms(self.connect)),
            },
            E::StartQuery { query, .. } if self.level >= 2 => {
                self.query = Some(std::time::Instant::now());
                eprintln!("authctl: sql: {}", sql_text(&query.to_string()));
            }
            E::FinishQuery { error, .. } if self.level >= 3 => {
                let outcome = if error.is_some() { "failed" } else { "done" };
                eprintln!("authctl: sql: {outcome} in {}", ms(self.query));
            }
            E::BeginTransaction { depth, .. } if self.level >= 2 => {
                eprintln!("authctl: sql: BEGIN (transaction depth {depth})");
            }
            E::CommitTransaction { depth, .. } if self.level >= 2 => {
                eprintln!("authctl: sql: COMMIT (transaction depth {depth})");
            }
            E::RollbackTransaction { depth, .. } if self.level >= 2 => {
                eprintln!("authctl: sql: ROLLBACK (transaction depth {depth})");
            }
            _ => {}
        }
    }
}

/// A serde_json formatter that also escapes what serde_json leaves raw but a
/// terminal may act on: DEL, C1 control characters (U+0080–U+009F, e.g. CSI), Unicode
/// bidirectional controls and the line/paragraph separators ([`is_terminal_unsafe`]). They are written as `\uXXXX`, so the JSON value stays
/// exact while nothing from the database can steer an operator's terminal.
struct TerminalSafe<F>(F);

fn json_needs_escape(c: char) -> bool {
    // serde_json escapes C0 itself (they never reach this formatter); DEL, C1,
    // bidi controls and U+2028/U+2029 it leaves raw.
    is_terminal_unsafe(c)
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
    fn csv_cells_are_the_json_fields() {
        let v = serde_json::json!({"id": 1, "ua": "x\u{1b}[2J", "none": null, "ok": true, "d": {"a": 1}});
        let cells = super::csv_cells(&["id", "ua", "none", "ok", "d"], &v).unwrap();
        assert_eq!(cells, ["1", "x\\u{1b}[2J", "", "true", r#"{"a":1}"#]);
        assert!(super::csv_cells(&["id", "ua", "none", "ok"], &v).is_err());
        assert!(super::csv_cells(&["id", "ua", "none", "ok", "d", "e"], &v).is_err());
    }

    /// Nested JSON in a CSV cell is escaped like a string cell (CSI, bidi, ALM,
    /// line/paragraph separators); the set covers U+061C, U+2028, U+2029.
    #[test]
    fn csv_nested_json_and_the_unsafe_set() {
        let v =
            serde_json::json!([{"detail": "a\u{9b}31m\u{202e}b\u{61c}c\u{2028}d\u{2029}e\u{7f}"}]);
        let cell = super::csv_cell(&v);
        assert_eq!(
            cell,
            r#"[{"detail":"a\u009b31m\u202eb\u061cc\u2028d\u2029e\u007f"}]"#
        );
        for c in [
            '\u{61c}', '\u{2028}', '\u{2029}', '\u{9b}', '\u{202e}', '\u{2067}', '\u{1b}',
        ] {
            assert!(super::is_terminal_unsafe(c), "{c:?}");
            assert!(
                !super::terminal_safe(&format!("x{c}y")).contains(c),
                "{c:?}"
            );
        }
        assert_eq!(super::terminal_safe("Zoë ناصر"), "Zoë ناصر");
        assert_eq!(super::terminal_safe_text("a\n\tb\u{1b}"), "a\n\tb\\u{1b}");
        assert_eq!(
            super::terminal_safe(&super::terminal_safe("\u{202e}")),
            "\\u{202e}",
            "escaping twice changes nothing more"
        );
    }

    #[test]
    fn sql_text_drops_the_bound_values() {
        assert_eq!(
            super::sql_text(
                "SELECT *\n  FROM users WHERE email = $1 -- binds: [\"$2b$12$secret\"]"
            ),
            "SELECT * FROM users WHERE email = $1"
        );
    }

    #[test]
    fn plain_lines_pad_all_but_the_last_cell() {
        let mut out = Vec::new();
        let cells = ["a".to_owned(), "bb".to_owned(), "c".to_owned()];
        super::write_plain_line(&mut out, &cells, &[3, 4, 9], |_, s| s.to_owned()).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a    bb    c\n");
    }

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
