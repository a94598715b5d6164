//! `PrefixLoader`: `prefix/name` dispatches to the loader registered for `prefix`.

use std::sync::Arc;

use super::{Loaded, Loader, Source};
use crate::cache::Fingerprint;
use crate::error::Result;

/// Loaders by name prefix (Jinja2's `PrefixLoader`); the delimiter defaults to `/`.
pub struct PrefixLoader {
    loaders: Vec<(String, Box<dyn Loader>)>,
    delimiter: String,
}

impl Default for PrefixLoader {
    fn default() -> Self {
        PrefixLoader::new()
    }
}

impl PrefixLoader {
    /// No prefixes yet, delimiter `/`.
    pub fn new() -> PrefixLoader {
        PrefixLoader { loaders: Vec::new(), delimiter: "/".into() }
    }

    /// Use another delimiter (an empty one is ignored).
    pub fn delimiter(mut self, d: &str) -> PrefixLoader {
        if !d.is_empty() {
            self.delimiter = d.to_string();
        }
        self
    }

    /// Register `loader` for names starting with `prefix` and the delimiter.
    pub fn with<L: Loader + 'static>(mut self, prefix: &str, loader: L) -> PrefixLoader {
        self.insert(prefix, loader);
        self
    }

    /// Register (or replace) `loader` for `prefix`.
    pub fn insert<L: Loader + 'static>(&mut self, prefix: &str, loader: L) {
        self.loaders.retain(|(p, _)| p != prefix);
        self.loaders.push((prefix.to_string(), Box::new(loader)));
    }

    fn split<'a>(&self, name: &'a str) -> Option<(&dyn Loader, &'a str)> {
        let (prefix, local) = name.split_once(self.delimiter.as_str())?;
        self.loaders.iter().find(|(p, _)| p == prefix).map(|(_, l)| (l.as_ref(), local))
    }
}

impl std::fmt::Debug for PrefixLoader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let prefixes: Vec<&str> = self.loaders.iter().map(|(p, _)| p.as_str()).collect();
        f.debug_struct("PrefixLoader")
            .field("prefixes", &prefixes)
            .field("delimiter", &self.delimiter)
            .finish()
    }
}

impl Loader for PrefixLoader {
    fn get_source(&self, name: &str) -> Result<Option<Source>> {
        match self.split(name) {
            Some((l, local)) => l.get_source(local),
            None => Ok(None),
        }
    }

    fn list_templates(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (prefix, l) in &self.loaders {
            for t in l.list_templates() {
                out.push(format!("{}{}{}", prefix, self.delimiter, t));
            }
        }
        out
    }

    fn has_source_access(&self) -> bool {
        self.loaders.iter().any(|(_, l)| l.has_source_access())
    }

    fn load(&self, name: &str, fingerprint: &Fingerprint) -> Result<Option<Loaded>> {
        let Some((l, local)) = self.split(name) else { return Ok(None) };
        Ok(match l.load(local, fingerprint)? {
            // A program compiled under its local name answers to the full name here.
            Some(Loaded::Compiled { mut program, uptodate }) => {
                Arc::make_mut(&mut program).name = name.to_string();
                Some(Loaded::Compiled { program, uptodate })
            }
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::DictLoader;

    #[test]
    fn dispatches_by_prefix() {
        let p = PrefixLoader::new()
            .with("app", DictLoader::new([("index.html", "A")]))
            .with("lib", DictLoader::new([("m.html", "M")]));
        assert_eq!(p.get_source("app/index.html").unwrap().unwrap().source, "A");
        assert!(p.get_source("app/m.html").unwrap().is_none());
        assert!(p.get_source("other/x").unwrap().is_none());
        assert!(p.get_source("noprefix").unwrap().is_none());
        assert_eq!(p.list_templates(), ["app/index.html", "lib/m.html"]);
        let q = PrefixLoader::new().delimiter(":").with("a", DictLoader::new([("x", "X")]));
        assert_eq!(q.get_source("a:x").unwrap().unwrap().source, "X");
    }
}
