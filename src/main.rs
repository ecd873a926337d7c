//! The `authctl` binary: parse, run, turn the outcome into an exit code.

use std::io::IsTerminal;

use clap::Parser;

use authctl::error::{ExitCode, exit_code, is_broken_pipe};
use authctl::output::{error_prefix, install_verbose, use_color};

fn main() -> std::process::ExitCode {
    let started = std::time::Instant::now();
    let cli = match authctl::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            let code = if e.use_stderr() {
                ExitCode::Usage
            } else {
                ExitCode::Ok
            };
            return code.code().into();
        }
    };
    let verbose = cli.global.verbose;
    let color = use_color(cli.global.color, std::io::stderr().is_terminal());
    install_verbose(verbose);
    let code = match authctl::cli::run(cli) {
        Ok(()) => ExitCode::Ok,
        Err(e) if is_broken_pipe(&e) => ExitCode::Ok,
        Err(e) => {
            let code = exit_code(&e);
            if code == ExitCode::CheckFailed {
                eprintln!("authctl: {e:#}");
            } else {
                eprintln!("{} {e:#}", error_prefix(color));
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
