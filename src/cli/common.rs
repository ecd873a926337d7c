//! Options several commands share, spelled the same everywhere.

use std::path::PathBuf;

use clap::Args;

use crate::cli::Context;
use crate::error::Error;
use crate::password::{PasswordError, PasswordHasher};
use crate::secret::{PasswordSource, Secret};

/// Where a new password comes from. Never argv: with no flag, authctl prompts on a
/// terminal (hidden, with confirmation).
#[derive(Debug, Clone, Args)]
pub struct PasswordArgs {
    /// Read the password from the first line of stdin (piped: on a terminal it is
    /// refused, as typing would echo it — leave the flag out to be prompted)
    #[arg(long)]
    pub password_stdin: bool,

    /// Read the password from the first line of this file
    #[arg(long, value_name = "PATH")]
    pub password_file: Option<PathBuf>,

    /// Read the password from this environment variable (its name, not the value)
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,

    /// Generate a random password (24 characters) and print it once on stdout
    #[arg(long)]
    pub generate_password: bool,

    /// Accept a password that fails the policy (too short, common, equal to the email)
    #[arg(long)]
    pub allow_weak_password: bool,
}

impl PasswordArgs {
    /// Choose the source, read the password and check it against the policy for
    /// `email` and against what `hasher` can hash faithfully (bcrypt: at most 72
    /// bytes). Returns the password and whether it was generated. Every refusal is a
    /// data error, raised before anything is written; at the interactive prompt a
    /// refused or mistyped (the two entries differ) password is asked again, up to
    /// three attempts in all, with the reason.
    pub fn read(
        &self,
        ctx: &Context,
        email: &str,
        hasher: &PasswordHasher,
    ) -> anyhow::Result<(Secret, bool)> {
        if let Some(path) = &self.password_file {
            check_password_file(path)?;
        }
        let source = PasswordSource::choose(
            self.password_stdin,
            self.password_file.as_deref(),
            self.password_env.as_deref(),
            self.generate_password,
        )?;
        let config = ctx.config()?;
        let policy = crate::policy::PasswordPolicy {
            min_chars: config.password_min_length.value,
            ..Default::default()
        };
        // At the prompt a refused password is asked again (with the reason).
        let secret = source.read_checked(ctx.env(), |secret| {
            policy
                .check(secret.expose(), email, self.allow_weak_password)
                .map_err(|e| Error::data(format!("password rejected: {}", e.message)))?;
            check_hashable(hasher, secret)
        })?;
        Ok((secret, source == PasswordSource::Generate))
    }
}

/// A `--password-file` that cannot be opened is "not found" (66) naming the flag
/// and the cause, never the value: a password typed where the path goes
/// (`--password-file 'hunter2!Pass'`) must not reach the terminal, a log or cron's
/// mail.
fn check_password_file(path: &std::path::Path) -> Result<(), Error> {
    let meta = std::fs::metadata(path).and_then(|m| {
        if m.is_dir() {
            Err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "it is a directory",
            ))
        } else {
            std::fs::File::open(path).map(|_| m)
        }
    });
    match meta {
        Ok(_) => Ok(()),
        Err(e) => Err(Error::no_input(format!(
            "cannot read the file given to --password-file: {} (the value is not shown: it \
             may be a password typed in the wrong place)",
            io_reason(&e)
        ))),
    }
}

/// The cause of an I/O error without the OS's " (os error N)".
fn io_reason(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// Refuse a password the configured scheme cannot hash faithfully (bcrypt ignores
/// everything after 72 bytes), as a data error that gives the reason.
fn check_hashable(hasher: &PasswordHasher, secret: &Secret) -> Result<(), Error> {
    hasher
        .check_length(secret.expose().as_bytes())
        .map_err(|e: PasswordError| Error::data(format!("password rejected: {e}")))
}

/// `--limit` / `--all` for listings (each command adds its own `--after`, as its
/// keyset differs: an email, a uuid, a time).
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Show at most this many rows
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(i64).range(1..=100_000))]
    pub limit: i64,

    /// Show every row (streamed in pages; memory does not grow with the table)
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
}
