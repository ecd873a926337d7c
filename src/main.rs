//! The `authctl` binary: parse, run, turn the outcome into an exit code.

use clap::Parser;

use authctl::error::{ExitCode, exit_code, is_broken_pipe};

fn main() -> std::process::ExitCode {
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
    match authctl::cli::run(cli) {
        Ok(()) => ExitCode::Ok.code().into(),
        Err(e) if is_broken_pipe(&e) => ExitCode::Ok.code().into(),
        Err(e) => {
            let code = exit_code(&e);
            if code == ExitCode::CheckFailed {
                eprintln!("authctl: {e:#}");
            } else {
                eprintln!("authctl: error: {e:#}");
            }
            code.code().into()
        }
    }
}
