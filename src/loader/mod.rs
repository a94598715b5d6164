//! Template loaders: where sources (or precompiled programs) come from, mirroring Jinja2's
//! loader family. [`FileSystemLoader`] (search paths, never reading outside them),
//! [`DictLoader`], [`FunctionLoader`], [`PrefixLoader`], [`ChoiceLoader`] and
//! [`PrecompiledLoader`] (Jinja2's `ModuleLoader`: templates from a compiled cache directory,
//! with no sources present).

mod choice;
mod dict;
mod embedded;
mod filesystem;
mod function;
mod precompiled;
mod prefix;

use std::path::PathBuf;
use std::sync::Arc;

use crate::cache::Fingerprint;
use crate::compiler::Program;
use crate::error::{Error, ErrorKind, Result};

pub use choice::ChoiceLoader;
pub use dict::DictLoader;
pub use embedded::{bundle_dir, write_bundle, EmbeddedLoader};
pub use filesystem::{Encoding, FileSystemLoader};
pub use function::FunctionLoader;
pub use precompiled::PrecompiledLoader;
pub use prefix::PrefixLoader;

/// A check whether a loaded template is still current (Jinja2's `uptodate` callable).
pub type UpToDate = Arc<dyn Fn() -> bool + Send + Sync>;

/// A template source as a loader found it.
#[derive(Clone)]
pub struct Source {
    /// The template text.
    pub source: String,
    /// The file it came from, if any.
    pub filename: Option<PathBuf>,
    /// Whether the source is still current; `None` means always.
    pub uptodate: Option<UpToDate>,
}

impl Source {
    /// A source with no up-to-date check.
    pub fn new(source: impl Into<String>, filename: Option<PathBuf>) -> Source {
        Source { source: source.into(), filename, uptodate: None }
    }

    /// Attach an up-to-date check.
    pub fn with_uptodate(mut self, f: impl Fn() -> bool + Send + Sync + 'static) -> Source {
        self.uptodate = Some(Arc::new(f));
        self
    }

    /// Run the up-to-date check.
    pub fn is_up_to_date(&self) -> bool {
        self.uptodate.as_ref().is_none_or(|f| f())
    }
}

impl std::fmt::Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Source")
            .field("source", &self.source)
            .field("filename", &self.filename)
            .field("uptodate", &self.uptodate.is_some())
            .finish()
    }
}

/// What a loader hands the environment: a source to compile, or a compiled program.
#[derive(Clone)]
pub enum Loaded {
    /// A source; the environment compiles it (or finds it in its bytecode cache).
    Source(Source),
    /// A program compiled ahead of time.
    Compiled {
        /// The program.
        program: Arc<Program>,
        /// Whether it is still current; `None` means always.
        uptodate: Option<UpToDate>,
    },
}

/// Where templates come from (Jinja2's `BaseLoader`).
pub trait Loader: Send + Sync {
    /// The source of template `name`, or `Ok(None)` when there is no such template.
    fn get_source(&self, name: &str) -> Result<Option<Source>>;

    /// Every template name this loader can load, sorted.
    fn list_templates(&self) -> Vec<String> {
        Vec::new()
    }

    /// Whether [`get_source`](Self::get_source) can return sources (false for precompiled).
    fn has_source_access(&self) -> bool {
        true
    }

    /// Load template `name` for an environment whose settings hash to `fingerprint`: a source
    /// by default, or a precompiled program. `Ok(None)` when there is no such template.
    fn load(&self, name: &str, fingerprint: &Fingerprint) -> Result<Option<Loaded>> {
        let _ = fingerprint;
        Ok(self.get_source(name)?.map(Loaded::Source))
    }
}

impl<L: Loader + ?Sized> Loader for Box<L> {
    fn get_source(&self, name: &str) -> Result<Option<Source>> {
        (**self).get_source(name)
    }
    fn list_templates(&self) -> Vec<String> {
        (**self).list_templates()
    }
    fn has_source_access(&self) -> bool {
        (**self).has_source_access()
    }
    fn load(&self, name: &str, fingerprint: &Fingerprint) -> Result<Option<Loaded>> {
        (**self).load(name, fingerprint)
    }
}

impl<L: Loader + ?Sized> Loader for Arc<L> {
    fn get_source(&self, name: &str) -> Result<Option<Source>> {
        (**self).get_source(name)
    }
    fn list_templates(&self) -> Vec<String> {
        (**self).list_templates()
    }
    fn has_source_access(&self) -> bool {
        (**self).has_source_access()
    }
    fn load(&self, name: &str, fingerprint: &Fingerprint) -> Result<Option<Loaded>> {
        (**self).load(name, fingerprint)
    }
}

/// Split a template name into path segments as Jinja2's `split_template_path` does: empty
/// and `.` segments are dropped; `..` (or a platform separator inside a segment) is not found.
pub fn split_template_path(name: &str) -> Result<Vec<String>> {
    Ok(template_path_pieces(name)?.into_iter().map(str::to_string).collect())
}

/// [`split_template_path`], the segments borrowed from `name`.
pub(crate) fn template_path_pieces(name: &str) -> Result<Vec<&str>> {
    let mut pieces = Vec::new();
    for piece in name.split('/') {
        let foreign_sep = std::path::MAIN_SEPARATOR != '/' && piece.contains(std::path::MAIN_SEPARATOR);
        if foreign_sep || piece == ".." || piece.contains('\0') {
            return Err(Error::new(ErrorKind::TemplateNotFound, name));
        }
        if !piece.is_empty() && piece != "." {
            pieces.push(piece);
        }
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_like_jinja2() {
        assert_eq!(split_template_path("a/./b//c.html").unwrap(), ["a", "b", "c.html"]);
        assert_eq!(split_template_path("/etc/passwd").unwrap(), ["etc", "passwd"]);
        assert!(split_template_path("a/../b").is_err());
        assert!(split_template_path("..").is_err());
        assert!(split_template_path("a\0b").is_err());
    }
}
