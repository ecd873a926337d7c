//! The `authctl` binary: parse, run, turn the outcome into an exit code. Errors
//! are printed here, once, terminal-safe; clap's own errors are shortened and
//! escaped before they are shown.

use std::io::IsTerminal;

use clap::Parser;

use authctl::error::{Answered, ExitCode, exit_code};
use authctl::output::{error_prefix, install_verbose, terminal_safe_text, use_color};

/// Runs before `main` and before the Rust runtime, which reopens a closed fd 1 on
/// `/dev/null`: records whether stdout was closed at start (`>&-`), so output to it
/// fails (74) instead of vanishing. See [`authctl::tty::record_stdout_at_start`].
#[cfg(any(
    target_os = "linux",
    target_os = "android",
    target_os = "freebsd",
    target_os = "netbsd",
    target_os = "openbsd",
    target_os = "dragonfly",
    target_os = "illumos",
    target_os = "solaris"
))]
#[used]
#[unsafe(link_section = ".init_array")]
static RECORD_STDOUT_AT_START: extern "C" fn() = record_stdout_at_start;

#[cfg(target_vendor = "apple")]
#[used]
#[unsafe(link_section = "__DATA,__mod_init_func")]
static RECORD_STDOUT_AT_START: extern "C" fn() = record_stdout_at_start;

// Referenced only by the initializers above (none on other platforms).
#[allow(dead_code)]
extern "C" fn record_stdout_at_start() {
    authctl::tty::record_stdout_at_start();
}

fn main() -> std::process::ExitCode {
    let started = std::time::Instant::now();
    let cli = match authctl::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e).code().into(),
    };
    let verbose = cli.global.verbose;
    let color = use_color(cli.global.color, std::io::stderr().is_terminal());
    install_verbose(verbose);
    let code = match authctl::cli::run(cli) {
        Ok(()) => ExitCode::Ok,
        // The answer is on stdout already; only the exit code is left to give.
        Err(e) if e.downcast_ref::<Answered>().is_some() => exit_code(&e),
        Err(e) => {
            let code = exit_code(&e);
            // Escaped here, once, whatever the message holds: a server's error
            // text, a value read from the database, an operator's typo.
            // Passwords are scrubbed where they enter messages; this is the last
            // net for one that reached a message another way (a driver's text).
            let text = authctl::db::pg::url::scrub_passwords(&format!("{e:#}"));
            let text = terminal_safe_text(&text);
            if code == ExitCode::CheckFailed {
                eprintln!("authctl: {text}");
            } else {
                eprintln!("{} {text}", error_prefix(color));
            }
            code
        }
    };
    if verbose > 0 {
        eprintln!(
            "authctl: finished in {:.1} ms, exit code {}",
            started.elapsed().as_secs_f64() * 1000.0,
            code.code()
        );
    }
    code.code().into()
}

/// Longest rejected value a command-line error shows, in characters.
const SHOWN_VALUE_CHARS: usize = 200;

/// Print a command-line error and choose its exit code. `--help` and `--version`
/// print on stdout (0). Otherwise the message goes through the terminal-safe
/// escaping (a rejected value may hold `ESC ] … BEL`), a rejected value longer than
/// [`SHOWN_VALUE_CHARS`] is cut (`… (N bytes)`), and an argument nobody expected on
/// a command that sets a password is not echoed at all: it may be the password.
/// Every refusal by clap or a value parser is a usage error (64): a value that
/// does not parse (docs/exit-codes.md, "One rule for values").
fn clap_error(e: &clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::Ok;
    }
    let code = ExitCode::Usage;
    let usage = match e.get(ContextKind::Usage) {
        Some(ContextValue::StyledStr(u)) => u.to_string(),
        _ => String::new(),
    };
    // The styled text (clap's own SGR colours, raw values): each rejected value is
    // replaced by its escaped, shortened form first, then every control sequence
    // but clap's colours is escaped. (The plain rendering would strip a value's
    // escape sequences silently and show something else than was given.)
    let mut text = e.render().ansi().to_string();
    if e.kind() == ErrorKind::UnknownArgument
        && let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg)
        && !arg.starts_with('-')
        && takes_a_password(&usage)
    {
        text = format!(
            "error: unexpected argument (not shown: it may be a password). Passwords never go on \
             the command line, where other users and the shell history can read them: leave the \
             password flags out to be prompted, or use --password-stdin, --password-file PATH, \
             --password-env VAR or --generate-password\n\n{usage}\n\nFor more information, try '--help'.\n"
        );
    } else {
        for kind in [
            ContextKind::InvalidValue,
            ContextKind::InvalidArg,
            ContextKind::InvalidSubcommand,
        ] {
            if let Some(ContextValue::String(v)) = e.get(kind) {
                let shown = shown_value(v);
                if shown != *v {
                    text = text.replace(v.as_str(), &shown);
                }
            }
        }
    }
    // Colours as clap would choose them (the --color flag was not parsed).
    let colour = use_color(
        authctl::output::ColorChoice::Auto,
        std::io::stderr().is_terminal(),
    );
    eprint!("{}", keep_only_colours(&text, colour));
    code
}

/// `text` with SGR sequences (`ESC [ … m`, clap's colours) kept when `colour`
/// (dropped otherwise) and every other terminal-unsafe character escaped (line
/// feeds and tabs kept).
fn keep_only_colours(text: &str, colour: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(esc) = rest.find('\x1b') {
        out.push_str(&terminal_safe_text(&rest[..esc]));
        let after = &rest[esc + 1..];
        let params = after.strip_prefix('[').map(|p| {
            p.len()
                - p.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .len()
        });
        match params {
            Some(n) if after[1 + n..].starts_with('m') => {
                if colour {
                    out.push_str(&rest[esc..esc + 1 + 1 + n + 1]);
                }
                rest = &after[1 + n + 1..];
            }
            _ => {
                out.push_str(&terminal_safe_text("\x1b"));
                rest = after;
            }
        }
    }
    out.push_str(&terminal_safe_text(rest));
    out
}

/// Whether the usage line is that of a command that sets a password.
fn takes_a_password(usage: &str) -> bool {
    ["authctl users create", "authctl users reset-password"]
        .iter()
        .any(|c| usage.contains(c))
}

/// A rejected value as an error shows it: at most [`SHOWN_VALUE_CHARS`] characters,
/// then `… (N bytes)`; unsafe characters escaped.
fn shown_value(v: &str) -> String {
    if v.chars().count() <= SHOWN_VALUE_CHARS {
        return authctl::output::terminal_safe(v).into_owned();
    }
    let cut: String = v.chars().take(SHOWN_VALUE_CHARS).collect();
    format!(
        "{}… ({} bytes)",
        authctl::output::terminal_safe(&cut),
        v.len()
    )
}
