//! The command line: clap arguments in, resolved settings to the library, diagnostics and
//! exit statuses out. Only this module uses `anyhow`.

pub mod args;
mod clean;
mod compile;
mod diagnostics;
mod ls;
pub mod man;
mod progress;
mod render;
mod settings;
mod style;
mod verify;
mod walk;

use std::ffi::OsString;
use std::io::Write;
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
    let style = style::Style::resolve(cli.color);
    match cli.command {
        args::Command::Compile(a) => compile::run(settings::CompileConfig::from_compile(&a, style)?),
        args::Command::Check(a) => compile::run(settings::CompileConfig::from_check(&a, style)?),
        args::Command::Render(a) => render::run(a, style),
        args::Command::Verify(a) => verify::run(a, style),
        args::Command::Ls(a) => ls::run(a),
        args::Command::Clean(a) => clean::run(a),
        args::Command::Disasm(a) => disasm(a),
        args::Command::GenerateMan => {
            let page = man::generate()?;
            let mut out = std::io::stdout().lock();
            out.write_all(&page)?;
            out.flush()?;
            Ok(Exit::Ok)
        }
    }
}

/// `jinjac disasm`: compile one template and print its program listing.
fn disasm(args: args::DisasmArgs) -> anyhow::Result<Exit> {
    let (mut env, dirs) =
        settings::single_template_setup(&args.templates, args.config.as_deref(), &args.env)?;
    env.set_loader(crate::loader::FileSystemLoader::new(dirs));
    match env.get_template(&args.name) {
        Ok(t) => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(crate::compiler::disasm::disassemble(t.program()).as_bytes())?;
            Ok(Exit::Ok)
        }
        Err(e) => {
            print_error(&mut std::io::stderr().lock(), &e)?;
            Ok(Exit::TemplateError)
        }
    }
}
