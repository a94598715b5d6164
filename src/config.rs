//! `jinjac.toml` (shared/DESIGN.md §2): the settings shared by the `jinjac` command line and
//! the application (`Environment::from_config`), so that both compile with the same
//! environment fingerprint. Unknown keys are errors naming the key and the file; relative
//! paths are relative to the file's directory.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::cache::FileSystemBytecodeCache;
use crate::environment::{AutoEscape, Environment};
use crate::error::{Error, ErrorKind, Result};
use crate::loader::{ChoiceLoader, FileSystemLoader, PrecompiledLoader};
use crate::value::UndefinedKind;

/// The default template directory.
pub const DEFAULT_TEMPLATES: &str = "templates";
/// The default cache directory.
pub const DEFAULT_CACHE: &str = ".jinjac-cache";
/// The file looked for in the current directory.
pub const CONFIG_FILE: &str = "jinjac.toml";

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Template search path, in order (default `["templates"]`).
    pub templates: Option<Vec<PathBuf>>,
    /// Cache directory (default `.jinjac-cache`).
    pub cache: Option<PathBuf>,
    /// Globs of template names to compile (default: every file).
    pub include: Option<Vec<String>>,
    /// Globs of template names not to compile.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The `[environment]` table.
    #[serde(default)]
    pub environment: EnvConfig,
    /// Directory relative paths are resolved against (the file's directory).
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// The file this came from, if any.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// `autoescape = true | false | ["html", ...]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum AutoescapeSetting {
    /// Always on or off.
    Bool(bool),
    /// On for these extensions.
    Extensions(Vec<String>),
}

/// The `[environment]` table; every key optional, command-line flags override.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnvConfig {
    /// Autoescape policy (default: html, htm, xml).
    pub autoescape: Option<AutoescapeSetting>,
    /// Remove the first newline after a block tag.
    pub trim_blocks: Option<bool>,
    /// Strip whitespace before a block tag at the start of a line.
    pub lstrip_blocks: Option<bool>,
    /// Keep a trailing newline.
    pub keep_trailing_newline: Option<bool>,
    /// `\n`, `\r\n` or `\r`.
    pub newline_sequence: Option<String>,
    /// `default`, `strict`, `chainable` or `debug`.
    pub undefined: Option<String>,
    /// `{%`.
    pub block_start: Option<String>,
    /// `%}`.
    pub block_end: Option<String>,
    /// `{{`.
    pub variable_start: Option<String>,
    /// `}}`.
    pub variable_end: Option<String>,
    /// `{#`.
    pub comment_start: Option<String>,
    /// `#}`.
    pub comment_end: Option<String>,
    /// Line statement prefix.
    pub line_statement_prefix: Option<String>,
    /// Line comment prefix.
    pub line_comment_prefix: Option<String>,
    /// Extensions: `i18n`, `do`, `loopcontrols`, `debug`.
    pub extensions: Option<Vec<String>>,
}

fn config_error(path: &Path, msg: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::ValueError, format!("{}: {}", path.display(), msg))
}

impl Config {
    /// Parse a config file's text; `path` names it in errors and anchors relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        let mut c: Config = toml::from_str(text).map_err(|e| config_error(path, e.to_string().trim_end()))?;
        c.base_dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        c.path = Some(path.to_path_buf());
        c.validate()?;
        Ok(c)
    }

    /// Read and parse a config file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(ErrorKind::IoError, format!("cannot read config file {}: {}", path.display(), e))
        })?;
        Config::parse(&text, path)
    }

    /// The file at `explicit`, else `./jinjac.toml` if present, else the defaults.
    pub fn discover(explicit: Option<&Path>) -> Result<Config> {
        match explicit {
            Some(p) => Config::load(p),
            None if Path::new(CONFIG_FILE).is_file() => Config::load(Path::new(CONFIG_FILE)),
            None => Ok(Config { base_dir: PathBuf::from("."), ..Config::default() }),
        }
    }

    fn where_(&self) -> PathBuf {
        self.path.clone().unwrap_or_else(|| PathBuf::from("<flags>"))
    }

    /// Check values that TOML types alone do not.
    pub fn validate(&self) -> Result<()> {
        let mut env = Environment::new();
        self.environment.apply(&mut env).map_err(|e| config_error(&self.where_(), e.detail()))
    }

    fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base_dir.join(p)
        }
    }

    /// The template directories, resolved.
    pub fn template_dirs(&self) -> Vec<PathBuf> {
        match &self.templates {
            Some(t) => t.iter().map(|p| self.resolve(p)).collect(),
            None => vec![self.resolve(Path::new(DEFAULT_TEMPLATES))],
        }
    }

    /// The cache directory, resolved.
    pub fn cache_dir(&self) -> PathBuf {
        self.resolve(self.cache.as_deref().unwrap_or(Path::new(DEFAULT_CACHE)))
    }

    /// An environment with these settings, a loader over the template directories falling
    /// back to the compiled cache, and the cache directory as bytecode cache.
    pub fn environment(&self) -> Result<Environment> {
        let mut env = Environment::new();
        self.environment.apply(&mut env).map_err(|e| config_error(&self.where_(), e.detail()))?;
        let cache = self.cache_dir();
        env.set_loader(
            ChoiceLoader::new()
                .with(FileSystemLoader::new(self.template_dirs()))
                .with(PrecompiledLoader::new(cache.clone())),
        );
        env.set_bytecode_cache(FileSystemBytecodeCache::new(cache));
        Ok(env)
    }
}

impl EnvConfig {
    /// Apply to an environment (unset keys keep the CLI defaults: autoescape for html, htm,
    /// xml; everything else as in Jinja2).
    pub fn apply(&self, env: &mut Environment) -> Result<()> {
        let bad = |m: String| Error::new(ErrorKind::ValueError, m);
        env.autoescape = match &self.autoescape {
            None => AutoEscape::html_default(),
            Some(AutoescapeSetting::Bool(b)) => AutoEscape::Bool(*b),
            Some(AutoescapeSetting::Extensions(e)) => AutoEscape::Extensions(e.clone()),
        };
        let s = &mut env.syntax;
        let set = |dst: &mut String, v: &Option<String>, key: &str| -> Result<()> {
            if let Some(v) = v {
                if v.is_empty() {
                    return Err(bad(format!("[environment] {} must not be empty", key)));
                }
                *dst = v.clone();
            }
            Ok(())
        };
        set(&mut s.block_start, &self.block_start, "block_start")?;
        set(&mut s.block_end, &self.block_end, "block_end")?;
        set(&mut s.variable_start, &self.variable_start, "variable_start")?;
        set(&mut s.variable_end, &self.variable_end, "variable_end")?;
        set(&mut s.comment_start, &self.comment_start, "comment_start")?;
        set(&mut s.comment_end, &self.comment_end, "comment_end")?;
        if s.block_start == s.variable_start
            || s.block_start == s.comment_start
            || s.variable_start == s.comment_start
        {
            return Err(bad(
                "[environment] block, variable and comment start strings must be different".into()
            ));
        }
        if let Some(p) = &self.line_statement_prefix {
            s.line_statement_prefix = Some(p.clone());
        }
        if let Some(p) = &self.line_comment_prefix {
            s.line_comment_prefix = Some(p.clone());
        }
        if let Some(v) = self.trim_blocks {
            s.trim_blocks = v;
        }
        if let Some(v) = self.lstrip_blocks {
            s.lstrip_blocks = v;
        }
        if let Some(v) = self.keep_trailing_newline {
            s.keep_trailing_newline = v;
        }
        if let Some(n) = &self.newline_sequence {
            if !matches!(n.as_str(), "\n" | "\r\n" | "\r") {
                return Err(bad(format!(
                    "[environment] newline_sequence must be \"\\n\", \"\\r\\n\" or \"\\r\", not {:?}",
                    n
                )));
            }
            s.newline_sequence = n.clone();
        }
        if let Some(u) = &self.undefined {
            env.undefined = UndefinedKind::parse(u).ok_or_else(|| {
                bad(format!(
                    "[environment] undefined must be default, strict, chainable or debug, not {:?}",
                    u
                ))
            })?;
        }
        for e in self.extensions.iter().flatten() {
            env.add_extension(e).map_err(|err| bad(format!("[environment] extensions: {}", err.detail())))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_file_parses() {
        let text = r##"
templates = ["templates", "shared"]
cache = "out/cache"
include = ["*.html"]
exclude = ["drafts/*"]
[environment]
autoescape = ["html"]
trim_blocks = true
lstrip_blocks = true
keep_trailing_newline = true
newline_sequence = "\r\n"
undefined = "strict"
block_start = "<%"
block_end = "%>"
line_statement_prefix = "#"
extensions = ["do", "loopcontrols"]
"##;
        let c = Config::parse(text, Path::new("site/jinjac.toml")).unwrap();
        assert_eq!(c.template_dirs(), [PathBuf::from("site/templates"), PathBuf::from("site/shared")]);
        assert_eq!(c.cache_dir(), PathBuf::from("site/out/cache"));
        let env = c.environment().unwrap();
        assert!(env.syntax.trim_blocks && env.syntax.lstrip_blocks && env.syntax.keep_trailing_newline);
        assert_eq!(env.syntax.block_start, "<%");
        assert_eq!(env.undefined, UndefinedKind::Strict);
        assert_eq!(env.autoescape, AutoEscape::Extensions(vec!["html".into()]));
        assert!(env.syntax.has_extension("do"));
    }

    #[test]
    fn unknown_keys_name_key_and_file() {
        let e = Config::parse("templatez = []", Path::new("x/jinjac.toml")).unwrap_err();
        assert!(e.detail().contains("templatez") && e.detail().contains("x/jinjac.toml"), "{}", e.detail());
        let e = Config::parse("[environment]\ntrim = true", Path::new("jinjac.toml")).unwrap_err();
        assert!(e.detail().contains("trim") && e.detail().contains("jinjac.toml"), "{}", e.detail());
    }

    #[test]
    fn bad_values_are_errors() {
        for text in [
            "[environment]\nundefined = \"loud\"",
            "[environment]\nnewline_sequence = \"x\"",
            "[environment]\nextensions = [\"nope\"]",
            "[environment]\nblock_start = \"{{\"",
            "[environment]\nautoescape = 3",
            "templates = \"notalist\"",
        ] {
            assert!(Config::parse(text, Path::new("j.toml")).is_err(), "{text}");
        }
    }

    /// The library reads the same file as the CLI and renders the example site as Jinja2 does;
    /// after `jinjac compile` (here: the library's own writes) it serves without sources.
    #[test]
    fn from_config_renders_the_example_site() {
        let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/site");
        let tmp = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(site.join("jinjac.toml")).unwrap();
        let cfg_path = tmp.path().join("jinjac.toml");
        let text = text
            .replace("templates = [\"templates\"]", &format!("templates = [{:?}]", site.join("templates")));
        std::fs::write(&cfg_path, text).unwrap();
        let ctx: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(site.join("context.json")).unwrap()).unwrap();
        let expected = std::fs::read_to_string(site.join("expected/pages/index.html")).unwrap();
        let env = Environment::from_config(&cfg_path).unwrap();
        assert_eq!(env.get_template("pages/index.html").unwrap().render(&ctx).unwrap(), expected);
        assert!(tmp.path().join(".jinjac-cache").is_dir(), "buckets written to the configured cache");
        assert!(Environment::from_config(tmp.path().join("missing.toml")).is_err());
    }

    #[test]
    fn defaults() {
        let c = Config::parse("", Path::new("jinjac.toml")).unwrap();
        assert_eq!(c.template_dirs(), [PathBuf::from("./templates")]);
        assert_eq!(c.cache_dir(), PathBuf::from("./.jinjac-cache"));
        assert_eq!(c.environment().unwrap().autoescape, AutoEscape::html_default());
    }
}
