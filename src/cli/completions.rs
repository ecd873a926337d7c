//! `authctl completions SHELL` and the man page, generated from the clap definitions.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;
use crate::output::Stdout;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Shell to generate completions for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells completions are committed for, with their file names in `completions/`.
pub const SHELLS: &[(Shell, &str)] = &[
    (Shell::Bash, "authctl.bash"),
    (Shell::Zsh, "_authctl"),
    (Shell::Fish, "authctl.fish"),
    (Shell::Elvish, "authctl.elv"),
    (Shell::PowerShell, "_authctl.ps1"),
];

/// Completion script for `shell`.
pub fn generate(shell: Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "authctl", &mut buf);
    buf
}

/// The man page (roff).
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    Ok(buf)
}

/// Print the completion script (nothing with `--quiet`).
pub fn run(args: Args, quiet: bool) -> anyhow::Result<()> {
    Stdout::new(quiet).write_all(&generate(args.shell))?;
    Ok(())
}

/// Print the man page (nothing with `--quiet`).
pub fn man(quiet: bool) -> anyhow::Result<()> {
    Stdout::new(quiet).write_all(&man_page()?)?;
    Ok(())
}
