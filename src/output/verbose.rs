//! The `-v` log on stderr: the subscriber the binary installs on the statement hook
//! of [`crate::db::instrument`], printing connect times, statements and transaction
//! boundaries by level.

use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Duration;

use crate::db::instrument::{self, Event};

use super::terminal_safe;

/// The `-v` level the subscriber prints at.
static LEVEL: AtomicU8 = AtomicU8::new(0);

/// `-v` levels, for every connection authctl opens (installed once by the binary):
/// - `-v`: where authctl connects (the URL with its password redacted, from
///   [`crate::cli::Context::config`]), how long connecting took, and the command's
///   total time and exit code;
/// - `-vv`: also every SQL statement (its text only — bound values such as
///   password hashes and tokens are never printed) and every transaction
///   boundary (BEGIN, COMMIT, ROLLBACK with its depth);
/// - `-vvv`: also each statement's duration, and whether it failed.
pub fn install_verbose(level: u8) {
    LEVEL.store(level, Ordering::Relaxed);
    if level > 0 {
        instrument::subscribe(log);
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Print one event of a connection, if the level asks for it.
fn log(event: &Event<'_>) {
    let level = LEVEL.load(Ordering::Relaxed);
    match event {
        Event::Connected { elapsed, failed } => {
            if *failed {
                eprintln!("authctl: connecting failed after {}", ms(*elapsed));
            } else {
                eprintln!("authctl: connected in {}", ms(*elapsed));
            }
        }
        Event::Statement(statement) if level >= 2 => {
            eprintln!("authctl: sql: {}", terminal_safe(&statement.text()));
        }
        Event::StatementDone { elapsed, failed } if level >= 3 => {
            let outcome = if *failed { "failed" } else { "done" };
            eprintln!("authctl: sql: {outcome} in {}", ms(*elapsed));
        }
        Event::Transaction { boundary, depth } if level >= 2 => {
            eprintln!("authctl: sql: {boundary} (transaction depth {depth})");
        }
        _ => {}
    }
}
