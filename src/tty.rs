//! The operator's terminal: prompts on the controlling terminal, restoring it when
//! a signal ends authctl mid-prompt, and the checks on fd 1 before a one-time
//! secret is written. All of authctl's `unsafe` outside `db/` lives here.
//!
//! Prompts read and write `/dev/tty` directly, so a prompt works with stdout or
//! stderr redirected (`2>log`). A prompt is offered only when stdin is a terminal
//! too (a script that pipes stdin never blocks on a question). While a prompt is
//! up, Ctrl-C (and SIGTERM, SIGHUP, SIGQUIT) restores the terminal — echo, line
//! mode and the cursor the prompt hid — and ends authctl with exit code 128 + the
//! signal (130 for Ctrl-C).

use std::fs::{File, OpenOptions};
use std::io::IsTerminal;
use std::os::fd::{AsRawFd, IntoRawFd, RawFd};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

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

    /// A hidden password, typed twice: `None` when the two differ (the caller
    /// counts that as a failed attempt; dialoguer's own confirmation would ask
    /// again without limit).
    pub fn password(&self) -> std::io::Result<Option<String>> {
        let ask = |prompt: &str| {
            dialoguer::Password::new()
                .with_prompt(prompt)
                .allow_empty_password(true)
                .interact_on(&self.term)
                .map(zeroize::Zeroizing::new)
                .map_err(|dialoguer::Error::IO(e)| e)
        };
        let first = ask("New password")?;
        let again = ask("Repeat password")?;
        Ok((*first == *again).then(|| first.to_string()))
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
        // SAFETY: termios is a plain C struct for which all-zero bytes are a valid
        // value; tcgetattr only writes into it, for a descriptor that is open.
        let (t, got) = unsafe {
            let mut t = std::mem::zeroed::<libc::termios>();
            let got = libc::tcgetattr(fd, &mut t);
            (t, got)
        };
        if got != 0 {
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
                    // SAFETY: tcsetattr and write are async-signal-safe; fd stays
                    // open for the life of the process and `t` is initialised.
                    unsafe {
                        libc::tcsetattr(*fd, libc::TCSANOW, t);
                        libc::write(*fd, SHOW_CURSOR.as_ptr().cast(), SHOW_CURSOR.len());
                    }
                }
                // SAFETY: _exit is async-signal-safe; it ends the process at once,
                // with the code a shell shows for a process the signal ended
                // (128 + its number).
                unsafe { libc::_exit(128 + signal) }
            };
            // SAFETY: the handler only makes async-signal-safe calls (see above)
            // and touches no lock or allocation.
            unsafe { signal_hook::low_level::register(signal, handler) }.ok()
        })
        .collect()
}

/// Whether fd 1 was closed when the process started (`authctl … >&-`), as
/// [`record_stdout_at_start`] saw it.
static STDOUT_CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

/// Look at fd 1 before the Rust runtime starts: the runtime reopens a standard
/// descriptor closed at start on `/dev/null`, after which writes succeed and a
/// closed stdout cannot be told from `>/dev/null`. The binary calls this from an
/// initializer that runs before `main` (and before the runtime); it only calls
/// `fcntl` and stores a flag, which is safe that early.
pub fn record_stdout_at_start() {
    // SAFETY: fcntl(F_GETFD) on fd 1 only queries the descriptor's flags.
    let closed = unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) == -1 };
    STDOUT_CLOSED_AT_START.store(closed, Ordering::Relaxed);
}

/// Whether stdout is closed: it was closed when authctl started (see
/// [`record_stdout_at_start`]), or fd 1 is closed now. Rust's stdout discards
/// writes to a closed descriptor, so a write cannot tell.
pub fn stdout_is_closed() -> bool {
    if STDOUT_CLOSED_AT_START.load(Ordering::Relaxed) {
        return true;
    }
    // SAFETY: fcntl(F_GETFD) on fd 1 only queries the descriptor's flags.
    unsafe { libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFD) == -1 }
}

/// Whether fd 1 is the null device (where the runtime reopens a stdout closed at
/// start, `>&-`); `true` also when fd 1 cannot be duplicated to look.
pub fn stdout_is_dev_null() -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: fd 1 is borrowed only to duplicate it (fstat goes through the
    // duplicate); nothing closes fd 1.
    let fd = unsafe { std::os::fd::BorrowedFd::borrow_raw(libc::STDOUT_FILENO) };
    let Ok(owned) = fd.try_clone_to_owned() else {
        return true;
    };
    let (Ok(out), Ok(null)) = (
        std::fs::File::from(owned).metadata(),
        std::fs::metadata("/dev/null"),
    ) else {
        return false;
    };
    out.dev() == null.dev() && out.ino() == null.ino()
}
