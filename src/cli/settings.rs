//! From clap arguments to resolved settings: the config file (`--config`, else `./jinjac.toml`)
//! with the command-line environment flags laid over it. The only place that reads `args`
//! types besides the subcommand entry points; workers see typed, resolved values.

use std::path::PathBuf;

use anyhow::Context as _;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use super::args::{CheckArgs, CompileArgs, EnvFlags, MessageFormat, UndefinedArg, WalkFlags};
use super::style::Style;
use crate::config::{AutoescapeSetting, Config, EnvConfig};
use crate::Environment;

/// Lay the command-line environment flags over the config's `[environment]` table.
pub(crate) fn overlay(cfg: &mut EnvConfig, flags: &EnvFlags) {
    if flags.no_autoescape {
        cfg.autoescape = Some(AutoescapeSetting::Bool(false));
    } else if flags.autoescape {
        cfg.autoescape = Some(AutoescapeSetting::Bool(true));
    }
    if flags.trim_blocks {
        cfg.trim_blocks = Some(true);
    }
    if flags.lstrip_blocks {
        cfg.lstrip_blocks = Some(true);
    }
    if flags.keep_trailing_newline {
        cfg.keep_trailing_newline = Some(true);
    }
    if let Some(u) = flags.undefined {
        let name = match u {
            UndefinedArg::Default => "default",
            UndefinedArg::Strict => "strict",
            UndefinedArg::Chainable => "chainable",
            UndefinedArg::Debug => "debug",
        };
        cfg.undefined = Some(name.to_string());
    }
}

/// The config file (if any) with the flags applied.
pub(crate) fn load_config(explicit: Option<&std::path::Path>, flags: &EnvFlags) -> anyhow::Result<Config> {
    let mut config = Config::discover(explicit).map_err(|e| anyhow::anyhow!("{}", e.detail()))?;
    overlay(&mut config.environment, flags);
    Ok(config)
}

/// A bare environment (no loader) with the config's settings.
pub(crate) fn environment(config: &Config) -> anyhow::Result<Environment> {
    let mut env = Environment::new();
    config.environment.apply(&mut env).map_err(|e| match &config.path {
        Some(p) => anyhow::anyhow!("{}: {}", p.display(), e.detail()),
        None => anyhow::anyhow!("{}", e.detail()),
    })?;
    Ok(env)
}

/// Which template names to take.
#[derive(Debug, Clone)]
pub(crate) struct NameFilter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

fn globset(globs: &[String]) -> anyhow::Result<GlobSet> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = GlobBuilder::new(g)
            .literal_separator(false)
            .build()
            .with_context(|| format!("bad glob {:?}", g))?;
        b.add(glob);
    }
    Ok(b.build()?)
}

impl NameFilter {
    /// Everything.
    #[cfg(test)]
    pub(crate) fn all() -> NameFilter {
        NameFilter { include: None, exclude: GlobSet::empty() }
    }

    pub(crate) fn new(include: &[String], exclude: &[String]) -> anyhow::Result<NameFilter> {
        let include = if include.is_empty() { None } else { Some(globset(include)?) };
        Ok(NameFilter { include, exclude: globset(exclude)? })
    }

    /// Whether template `name` is taken.
    pub(crate) fn matches(&self, name: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(name)) && !self.exclude.is_match(name)
    }
}

/// Everything `compile` and `check` need, resolved.
pub(crate) struct CompileConfig {
    /// Directories (or files) to walk, in order.
    pub roots: Vec<PathBuf>,
    /// Where buckets go (compile) or would go (check: skipped while walking).
    pub out: PathBuf,
    /// Whether anything is written (false for `check`).
    pub write: bool,
    pub jobs: Option<usize>,
    pub filter: NameFilter,
    pub follow: bool,
    pub force: bool,
    pub prune: bool,
    pub quiet: bool,
    pub format: MessageFormat,
    pub style: Style,
    /// Show a progress bar (a terminal, not CI, human format, not quiet).
    pub progress: bool,
    /// The settings the templates compile under.
    pub config: Config,
}

impl CompileConfig {
    fn common(walk: &WalkFlags, env: &EnvFlags, style: Style, quiet: bool) -> anyhow::Result<CompileConfig> {
        let config = load_config(walk.config.as_deref(), env)?;
        let roots = if walk.paths.is_empty() { config.template_dirs() } else { walk.paths.clone() };
        let include: Vec<String> = if walk.include.is_empty() {
            config.include.clone().unwrap_or_default()
        } else {
            walk.include.clone()
        };
        let mut exclude = config.exclude.clone();
        exclude.extend(walk.exclude.iter().cloned());
        let filter = NameFilter::new(&include, &exclude)?;
        let progress = walk.message_format == MessageFormat::Human
            && !quiet
            && std::env::var_os("CI").is_none()
            && std::io::IsTerminal::is_terminal(&std::io::stderr());
        Ok(CompileConfig {
            roots,
            out: config.cache_dir(),
            write: false,
            jobs: walk.jobs.map(usize::from),
            filter,
            follow: walk.follow,
            force: false,
            prune: false,
            quiet,
            format: walk.message_format,
            style,
            progress,
            config,
        })
    }

    /// Settings of `jinjac compile`.
    pub(crate) fn from_compile(a: &CompileArgs, style: Style) -> anyhow::Result<CompileConfig> {
        let mut c = CompileConfig::common(&a.walk, &a.env, style, a.quiet)?;
        if let Some(o) = &a.output {
            c.out = o.clone();
        }
        c.write = true;
        c.force = a.force;
        c.prune = a.prune;
        Ok(c)
    }

    /// Settings of `jinjac check`.
    pub(crate) fn from_check(a: &CheckArgs, style: Style) -> anyhow::Result<CompileConfig> {
        CompileConfig::common(&a.walk, &a.env, style, a.quiet)
    }
}

/// The environment and template search path of a one-template command (`render`, `disasm`):
/// `-t` dirs when given, else the config's `templates` when a config file is in use, else `.`.
pub(crate) fn single_template_setup(
    templates: &[std::path::PathBuf],
    config_path: Option<&std::path::Path>,
    flags: &EnvFlags,
) -> anyhow::Result<(Environment, Vec<std::path::PathBuf>)> {
    let config_used = config_path.is_some() || std::path::Path::new(crate::config::CONFIG_FILE).is_file();
    let config = load_config(config_path, flags)?;
    let env = environment(&config)?;
    let dirs = if !templates.is_empty() {
        templates.to_vec()
    } else if config_used {
        config.template_dirs()
    } else {
        vec![std::path::PathBuf::from(".")]
    };
    Ok((env, dirs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_across_directories() {
        let f = NameFilter::new(&["*.html".into()], &["drafts/*".into()]).unwrap();
        assert!(f.matches("index.html"));
        assert!(f.matches("pages/a/b.html"));
        assert!(!f.matches("style.css"));
        assert!(!f.matches("drafts/x.html"));
        assert!(NameFilter::all().matches("anything"));
        assert!(NameFilter::new(&["a[".into()], &[]).is_err());
    }

    #[test]
    fn flags_override_config() {
        let mut cfg = EnvConfig { trim_blocks: Some(false), ..EnvConfig::default() };
        let flags = EnvFlags { trim_blocks: true, no_autoescape: true, ..EnvFlags::default() };
        overlay(&mut cfg, &flags);
        assert_eq!(cfg.trim_blocks, Some(true));
        assert_eq!(cfg.autoescape, Some(AutoescapeSetting::Bool(false)));
    }
}
