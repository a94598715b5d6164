//! Every command-line flag, defined once with clap. Doc comments are the long help and feed the
//! generated man page; nothing outside `cli` sees these types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A Jinja2-compatible template precompiler and renderer.
#[derive(Debug, Parser)]
#[command(name = "jinjac", version, about, max_term_width = 100)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render one template with a context, writing exactly what Jinja2's render() returns.
    Render(RenderArgs),
}

/// How undefined variables behave.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum UndefinedArg {
    /// Jinja2's Undefined: prints empty, fails on attribute access.
    Default,
    /// StrictUndefined: fails on any use.
    Strict,
    /// ChainableUndefined: attribute access on undefined stays undefined.
    Chainable,
    /// DebugUndefined: prints the expression.
    Debug,
}

/// Flags that configure the template environment; the same on every subcommand.
#[derive(Debug, Clone, Args, Default)]
pub struct EnvFlags {
    /// Escape HTML in every template (default: only .html, .htm and .xml templates).
    #[arg(long, overrides_with = "no_autoescape")]
    pub autoescape: bool,
    /// Never escape HTML.
    #[arg(long)]
    pub no_autoescape: bool,
    /// Remove the first newline after a block tag.
    #[arg(long)]
    pub trim_blocks: bool,
    /// Strip spaces and tabs before a block tag at the start of a line.
    #[arg(long)]
    pub lstrip_blocks: bool,
    /// Keep a single trailing newline at the end of a template.
    #[arg(long)]
    pub keep_trailing_newline: bool,
    /// How undefined variables behave.
    #[arg(long, value_enum, value_name = "KIND")]
    pub undefined: Option<UndefinedArg>,
}

/// `jinjac render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The template to render, by name relative to the template directories.
    pub name: String,
    /// A template directory; may be given several times (searched in order; default: .).
    #[arg(short = 't', long = "templates", value_name = "DIR")]
    pub templates: Vec<PathBuf>,
    /// A JSON file with the context ("-" for standard input); later files merge over earlier ones.
    #[arg(short = 'c', long = "context", value_name = "FILE")]
    pub context: Vec<String>,
    /// Set one context variable; VALUE is parsed as JSON, else taken as a string.
    #[arg(short = 'D', long = "define", value_name = "KEY=VALUE")]
    pub define: Vec<String>,
    /// Write the output to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Environment flags.
    #[command(flatten)]
    pub env: EnvFlags,
}
