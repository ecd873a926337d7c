//! The one way authctl writes to stdout ([`Stdout`]): a closed stdout is an error
//! instead of a silent success, `--quiet` discards, and the first failed write or
//! flush is remembered ([`failure`]) so the binary can tell an output failure (74)
//! from a bug, and say whether a change was committed before it.

use std::io::{self, Write};
use std::sync::Mutex;

/// The first stdout write or flush that failed: its kind and a short reason.
static FAILURE: Mutex<Option<StdoutFailure>> = Mutex::new(None);

/// Why stdout could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StdoutFailure {
    pub kind: io::ErrorKind,
    /// `stdout is closed`, `broken pipe: the reader went away`, `No space left on
    /// device`, … (without the OS's " (os error N)").
    pub reason: String,
}

impl StdoutFailure {
    /// The reader of a pipe went away (`authctl … | head`).
    pub fn is_broken_pipe(&self) -> bool {
        self.kind == io::ErrorKind::BrokenPipe
    }
}

/// The first failed write or flush of stdout in this process, if any.
pub fn failure() -> Option<StdoutFailure> {
    FAILURE.lock().map(|f| f.clone()).unwrap_or(None)
}

/// Record `e` as a stdout failure (the first one is kept) and return it.
fn failed(e: io::Error) -> io::Error {
    let reason = match e.kind() {
        io::ErrorKind::BrokenPipe => "broken pipe: the reader went away".to_owned(),
        _ if e.raw_os_error() == Some(libc::EBADF) => "stdout is closed".to_owned(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_owned(),
                None => text,
            }
        }
    };
    if let Ok(mut f) = FAILURE.lock()
        && f.is_none()
    {
        *f = Some(StdoutFailure {
            kind: e.kind(),
            reason,
        });
    }
    e
}

/// stdout as every result is written. Writes fail with `EBADF` when stdout was
/// closed (`>&-`: Rust's own stdout would pretend they succeeded), and with
/// `discard` (`--quiet`) nothing is written at all. Not buffered beyond Rust's
/// line buffering; [`flush`](Write::flush) reports a failure too.
pub struct Stdout {
    lock: io::StdoutLock<'static>,
    discard: bool,
}

impl Stdout {
    /// stdout; with `discard` every write is dropped (and succeeds).
    pub fn new(discard: bool) -> Self {
        Stdout {
            lock: io::stdout().lock(),
            discard,
        }
    }

    fn check_open() -> io::Result<()> {
        if crate::tty::stdout_is_closed() {
            return Err(failed(io::Error::from_raw_os_error(libc::EBADF)));
        }
        Ok(())
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.discard {
            return Ok(buf.len());
        }
        Self::check_open()?;
        self.lock.write(buf).map_err(failed)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        if self.discard {
            return Ok(());
        }
        Self::check_open()?;
        self.lock.write_all(buf).map_err(failed)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.discard {
            return Ok(());
        }
        Self::check_open()?;
        self.lock.flush().map_err(failed)
    }
}

/// Flush stdout, as every command does before it reports success: a failure is
/// recorded like any other write's.
pub fn flush() -> io::Result<()> {
    let mut out = Stdout::new(false);
    if crate::tty::stdout_is_closed() {
        // Nothing was written (a write would have failed): nothing to flush.
        return Ok(());
    }
    out.flush()
}
