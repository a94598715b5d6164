//! The command line: clap arguments in, resolved settings to the library, diagnostics and
//! exit statuses out. Only this module uses `anyhow`.

pub mod args;
mod diagnostics;
mod render;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

pub use diagnostics::print_error;

/// Exit statuses (shared/DESIGN.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything worked.
    Ok = 0,
    /// One or more templates failed.
    TemplateError = 1,
    /// Usage, configuration or I/O error.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e as u8)
    }
}

/// Parse `args` and run the command.
pub fn run<I, T>(args: I) -> anyhow::Result<Exit>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match args::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { Exit::Usage } else { Exit::Ok };
            let _ = e.print();
            return Ok(code);
        }
    };
    match cli.command {
        args::Command::Render(a) => render::run(a),
    }
}

/// Build an environment from the shared environment flags.
pub(crate) fn environment(flags: &args::EnvFlags) -> crate::Environment {
    let mut env = crate::Environment::new();
    env.autoescape = if flags.no_autoescape {
        crate::AutoEscape::Bool(false)
    } else if flags.autoescape {
        crate::AutoEscape::Bool(true)
    } else {
        crate::AutoEscape::html_default()
    };
    env.syntax.trim_blocks = flags.trim_blocks;
    env.syntax.lstrip_blocks = flags.lstrip_blocks;
    env.syntax.keep_trailing_newline = flags.keep_trailing_newline;
    env.undefined = match flags.undefined {
        None | Some(args::UndefinedArg::Default) => crate::value::UndefinedKind::Default,
        Some(args::UndefinedArg::Strict) => crate::value::UndefinedKind::Strict,
        Some(args::UndefinedArg::Chainable) => crate::value::UndefinedKind::Chainable,
        Some(args::UndefinedArg::Debug) => crate::value::UndefinedKind::Debug,
    };
    env
}
