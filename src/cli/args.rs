//! Every command-line flag, defined once with clap. Doc comments are the long help and feed the
//! generated man page; nothing outside `cli` sees these types (`cli::settings` turns them into
//! resolved settings).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A Jinja2-compatible template precompiler and renderer.
#[derive(Debug, Parser)]
#[command(name = "jinjac", version, about, max_term_width = 100)]
pub struct Cli {
    /// When to color diagnostics: auto (standard error is a terminal and NO_COLOR is unset),
    /// always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile templates into a bucket cache directory (incremental; all errors reported).
    Compile(CompileArgs),
    /// Parse and compile templates without writing anything: the CI lint step.
    Check(CheckArgs),
    /// Render one template with a context, writing exactly what Jinja2's render() returns.
    Render(RenderArgs),
    /// Check the integrity and freshness of every bucket in a cache directory.
    Verify(VerifyArgs),
    /// List what a cache directory holds.
    Ls(LsArgs),
    /// Remove jinjac's buckets and index (and nothing else) from a cache directory.
    Clean(CleanArgs),
    /// Print a template's compiled program, statement by statement (a debugging aid).
    Disasm(DisasmArgs),
    /// Print the man page (roff) to standard output.
    #[command(hide = true)]
    GenerateMan,
}

/// `--color`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    /// Color when standard error is a terminal and NO_COLOR is unset or empty.
    Auto,
    /// Always color.
    Always,
    /// Never color.
    Never,
}

/// `--message-format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq, Default)]
pub enum MessageFormat {
    /// Diagnostics for people, on standard error.
    #[default]
    Human,
    /// One JSON object per line on standard output, then a summary object.
    Json,
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

/// Flags that configure the template environment; the same on every subcommand that compiles
/// or renders, each overriding the config file's `[environment]` key of the same name.
#[derive(Debug, Clone, Args, Default)]
#[command(next_help_heading = "Template environment")]
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

/// How templates are found under the PATHs.
#[derive(Debug, Clone, Args, Default)]
pub struct WalkFlags {
    /// Template directories (or single files) to compile; template names are relative to each
    /// directory [default: the config's `templates`, else templates/].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Only templates whose name matches GLOB (may be repeated; default: the config's
    /// `include`, else every file). `*` matches across `/`.
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,
    /// Skip templates whose name matches GLOB (may be repeated; added to the config's
    /// `exclude`).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Follow symbolic links to directories and files (default: skip them).
    #[arg(short = 'L', long)]
    pub follow: bool,
    /// Number of parallel jobs [default: the number of CPUs].
    #[arg(short = 'j', long = "jobs", value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Configuration file [default: ./jinjac.toml if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format of diagnostics and the summary.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

/// `jinjac compile`.
#[derive(Debug, Args)]
pub struct CompileArgs {
    /// Which templates, how to walk, the config file and the output format.
    #[command(flatten)]
    pub walk: WalkFlags,
    /// Cache directory to write buckets to [default: the config's `cache`, else .jinjac-cache].
    #[arg(short = 'o', long = "output", value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Rewrite every bucket, even those that are up to date.
    #[arg(long)]
    pub force: bool,
    /// Remove buckets whose templates are no longer found.
    #[arg(long)]
    pub prune: bool,
    /// Print nothing but errors (no progress bar, no summary line).
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Environment flags.
    #[command(flatten)]
    pub env: EnvFlags,
}

/// `jinjac check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Which templates, how to walk, the config file and the output format.
    #[command(flatten)]
    pub walk: WalkFlags,
    /// Print nothing but errors.
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// Environment flags.
    #[command(flatten)]
    pub env: EnvFlags,
}

/// `jinjac render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The template to render, by name relative to the template directories.
    pub name: String,
    /// A template directory; may be given several times (searched in order; default: the
    /// config's `templates` when a config file is used, else .).
    #[arg(short = 't', long = "templates", value_name = "DIR")]
    pub templates: Vec<PathBuf>,
    /// A bucket cache directory: templates are loaded from it when up to date (or when their
    /// sources are absent) and written back to it when compiled.
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,
    /// A JSON file with the context ("-" for standard input); later files merge over earlier ones.
    #[arg(short = 'c', long = "context", value_name = "FILE")]
    pub context: Vec<String>,
    /// Set one context variable; VALUE is parsed as JSON, else taken as a string.
    #[arg(short = 'D', long = "define", value_name = "KEY=VALUE")]
    pub define: Vec<String>,
    /// Write the output to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Configuration file [default: ./jinjac.toml if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Environment flags.
    #[command(flatten)]
    pub env: EnvFlags,
}

/// `jinjac disasm`.
#[derive(Debug, Args)]
pub struct DisasmArgs {
    /// The template, by name relative to the template directories.
    pub name: String,
    /// A template directory; may be given several times (default: the config's `templates`
    /// when a config file is used, else .).
    #[arg(short = 't', long = "templates", value_name = "DIR")]
    pub templates: Vec<PathBuf>,
    /// Configuration file [default: ./jinjac.toml if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Environment flags.
    #[command(flatten)]
    pub env: EnvFlags,
}

/// `jinjac verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The cache directory.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Template directories to check freshness against (a bucket whose source changed or
    /// disappeared is stale); may be given several times.
    #[arg(short = 't', long = "templates", value_name = "DIR")]
    pub templates: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
    /// Also require the settings of this configuration file (with the environment flags laid
    /// over it): a bucket compiled under other settings is bad.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Environment flags: given (or with --config), buckets must match these settings.
    #[command(flatten)]
    pub env: EnvFlags,
}

impl EnvFlags {
    /// Whether any flag was given.
    pub fn any(&self) -> bool {
        self.autoescape
            || self.no_autoescape
            || self.trim_blocks
            || self.lstrip_blocks
            || self.keep_trailing_newline
            || self.undefined.is_some()
    }
}

/// `jinjac ls`.
#[derive(Debug, Args)]
pub struct LsArgs {
    /// The cache directory.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = MessageFormat::Human)]
    pub message_format: MessageFormat,
}

/// `jinjac clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// The cache directory.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Print nothing.
    #[arg(short = 'q', long)]
    pub quiet: bool,
}
