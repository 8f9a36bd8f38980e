#![deny(clippy::print_stderr, clippy::print_stdout)]

use std::process::ExitCode;

use spie::error::{Issue, en_francais};
use spie::output::message;

fn main() -> ExitCode {
    let cli = match spie::cli::analyser(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are "errors" for clap; they print on stdout and exit 0,
            // unless what they print cannot be written (a full disk; a closed pipe is fine).
            return match e.print() {
                Err(io) if io.kind() != std::io::ErrorKind::BrokenPipe && e.exit_code() == 0 => {
                    signaler(&anyhow::Error::from(io))
                }
                _ => ExitCode::from(e.exit_code() as u8),
            };
        }
    };
    match spie::cli::executer(cli) {
        Ok(Issue::Succes) => ExitCode::SUCCESS,
        Ok(Issue::Constats) => ExitCode::from(3),
        Err(e) => signaler(&e),
    }
}

/// Prints the error in French on stderr and chooses the exit code.
fn signaler(e: &anyhow::Error) -> ExitCode {
    let u = en_francais(e);
    message(format_args!("erreur : {}", u.message));
    if let Some(aide) = &u.aide {
        message(format_args!("aide : {aide}"));
    }
    ExitCode::from(u.code)
}
