//! Template loaders: where sources come from. `DictLoader` (names to sources in memory) and
//! `FileSystemLoader` (search paths in order, never reading outside them).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

/// A template source as a loader found it.
#[derive(Debug, Clone)]
pub struct Source {
    /// The template text.
    pub source: String,
    /// The file it came from, if any.
    pub filename: Option<PathBuf>,
}

/// Where templates come from (Jinja2's `BaseLoader`).
pub trait Loader: Send + Sync {
    /// The source of template `name`, or `Ok(None)` when there is no such template.
    fn get_source(&self, name: &str) -> Result<Option<Source>>;
    /// Every template name this loader can load, sorted.
    fn list_templates(&self) -> Vec<String> {
        Vec::new()
    }
}

/// Templates from a map of names to sources.
#[derive(Debug, Clone, Default)]
pub struct DictLoader {
    templates: BTreeMap<String, String>,
}

impl DictLoader {
    /// A loader over `templates`.
    pub fn new<K: Into<String>, V: Into<String>>(templates: impl IntoIterator<Item = (K, V)>) -> DictLoader {
        DictLoader { templates: templates.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }
    /// Add or replace a template.
    pub fn insert(&mut self, name: impl Into<String>, source: impl Into<String>) {
        self.templates.insert(name.into(), source.into());
    }
}

impl Loader for DictLoader {
    fn get_source(&self, name: &str) -> Result<Option<Source>> {
        Ok(self.templates.get(name).map(|s| Source { source: s.clone(), filename: None }))
    }
    fn list_templates(&self) -> Vec<String> {
        self.templates.keys().cloned().collect()
    }
}

/// Split a template name into path segments as Jinja2's `split_template_path` does; `..`
/// anywhere is not found.
pub fn split_template_path(name: &str) -> Result<Vec<String>> {
    let mut pieces = Vec::new();
    for piece in name.split('/') {
        if piece.contains(std::path::MAIN_SEPARATOR) && std::path::MAIN_SEPARATOR != '/' || piece == ".." {
            return Err(Error::new(ErrorKind::TemplateNotFound, name));
        }
        if !piece.is_empty() && piece != "." {
            pieces.push(piece.to_string());
        }
    }
    Ok(pieces)
}

/// Templates from directories, searched in order.
#[derive(Debug, Clone)]
pub struct FileSystemLoader {
    paths: Vec<PathBuf>,
    followlinks: bool,
}

impl FileSystemLoader {
    /// A loader over one or more search paths.
    pub fn new<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> FileSystemLoader {
        FileSystemLoader { paths: paths.into_iter().map(|p| p.as_ref().to_path_buf()).collect(), followlinks: false }
    }

    /// Follow symlinked directories when listing templates.
    pub fn followlinks(mut self, yes: bool) -> FileSystemLoader {
        self.followlinks = yes;
        self
    }

    /// The search paths.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }
}

impl Loader for FileSystemLoader {
    fn get_source(&self, name: &str) -> Result<Option<Source>> {
        let pieces = match split_template_path(name) {
            Ok(p) => p,
            Err(_) => return Ok(None),
        };
        if pieces.is_empty() {
            return Ok(None);
        }
        for root in &self.paths {
            let mut path = root.clone();
            for p in &pieces {
                path.push(p);
            }
            if path.components().any(|c| matches!(c, Component::ParentDir)) && !root.components().any(|c| matches!(c, Component::ParentDir)) {
                continue;
            }
            if !path.is_file() {
                continue;
            }
            // Refuse files that resolve outside the search path (symlink escapes).
            if let (Ok(real), Ok(real_root)) = (path.canonicalize(), root.canonicalize()) {
                if !real.starts_with(&real_root) {
                    continue;
                }
            }
            let bytes = std::fs::read(&path).map_err(|e| Error::new(ErrorKind::IoError, format!("{}: {}", path.display(), e)))?;
            let source = String::from_utf8(bytes).map_err(|_| {
                Error::new(ErrorKind::IoError, format!("{}: template is not valid UTF-8", path.display()))
            })?;
            return Ok(Some(Source { source, filename: Some(path) }));
        }
        Ok(None)
    }

    fn list_templates(&self) -> Vec<String> {
        let mut found = std::collections::BTreeSet::new();
        for root in &self.paths {
            let mut stack = vec![root.clone()];
            while let Some(dir) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&dir) else { continue };
                for entry in entries.flatten() {
                    let path = entry.path();
                    let is_link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
                    if path.is_dir() {
                        if !is_link || self.followlinks {
                            stack.push(path);
                        }
                    } else if path.is_file() {
                        if let Ok(rel) = path.strip_prefix(root) {
                            let name: Vec<String> =
                                rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                            found.insert(name.join("/"));
                        }
                    }
                }
            }
        }
        found.into_iter().collect()
    }
}
