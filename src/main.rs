//! The `jinjac` binary: parse arguments, run the command, map the outcome to an exit status.

use std::process::ExitCode;

fn main() -> ExitCode {
    match jinjac::cli::run(std::env::args_os()) {
        Ok(code) => code.into(),
        Err(err) => {
            if err.chain().any(|c| {
                c.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("jinjac: {err:#}");
            jinjac::cli::Exit::Usage.into()
        }
    }
}
