use std::process::ExitCode;

use spie::error::{Issue, UserError};

fn main() -> ExitCode {
    let cli = match spie::cli::analyser(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are "errors" for clap; they print on stdout and exit 0.
            let _ = e.print();
            return ExitCode::from(e.exit_code() as u8);
        }
    };
    match spie::cli::executer(cli) {
        Ok(Issue::Succes) => ExitCode::SUCCESS,
        Ok(Issue::Constats) => ExitCode::from(3),
        Err(e) => signaler(&e),
    }
}

/// Prints the error in French on stderr and chooses the exit code. A broken pipe
/// (`spie parcours liste | head`) is not an error.
fn signaler(e: &anyhow::Error) -> ExitCode {
    let tuyau_ferme = e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    });
    if tuyau_ferme {
        return ExitCode::SUCCESS;
    }
    if let Some(u) = e.downcast_ref::<UserError>() {
        eprintln!("erreur : {}", u.message);
        if let Some(aide) = &u.aide {
            eprintln!("aide : {aide}");
        }
        return ExitCode::from(u.code);
    }
    eprintln!("erreur : {e}");
    for cause in e.chain().skip(1) {
        eprintln!("  cause : {cause}");
    }
    ExitCode::FAILURE
}
