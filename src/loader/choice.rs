//! `ChoiceLoader`: several loaders tried in order; the first that has the template wins.

use super::{Loaded, Loader, Source};
use crate::cache::Fingerprint;
use crate::error::Result;

/// Loaders tried in order (Jinja2's `ChoiceLoader`).
#[derive(Default)]
pub struct ChoiceLoader {
    loaders: Vec<Box<dyn Loader>>,
}

impl ChoiceLoader {
    /// An empty choice.
    pub fn new() -> ChoiceLoader {
        ChoiceLoader::default()
    }

    /// Add a loader, tried after the ones before it.
    pub fn with<L: Loader + 'static>(mut self, loader: L) -> ChoiceLoader {
        self.loaders.push(Box::new(loader));
        self
    }

    /// Add a loader, tried after the ones before it.
    pub fn push<L: Loader + 'static>(&mut self, loader: L) {
        self.loaders.push(Box::new(loader));
    }
}

impl std::fmt::Debug for ChoiceLoader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChoiceLoader({} loaders)", self.loaders.len())
    }
}

impl Loader for ChoiceLoader {
    fn get_source(&self, name: &str) -> Result<Option<Source>> {
        for l in &self.loaders {
            if let Some(s) = l.get_source(name)? {
                return Ok(Some(s));
            }
        }
        Ok(None)
    }

    fn list_templates(&self) -> Vec<String> {
        let mut all: Vec<String> = self.loaders.iter().flat_map(|l| l.list_templates()).collect();
        all.sort();
        all.dedup();
        all
    }

    fn has_source_access(&self) -> bool {
        self.loaders.iter().any(|l| l.has_source_access())
    }

    fn load(&self, name: &str, fingerprint: &Fingerprint) -> Result<Option<Loaded>> {
        for l in &self.loaders {
            if let Some(x) = l.load(name, fingerprint)? {
                return Ok(Some(x));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::DictLoader;

    #[test]
    fn first_wins_and_lists_union() {
        let c = ChoiceLoader::new()
            .with(DictLoader::new([("a", "1"), ("b", "1")]))
            .with(DictLoader::new([("b", "2"), ("c", "2")]));
        assert_eq!(c.get_source("b").unwrap().unwrap().source, "1");
        assert_eq!(c.get_source("c").unwrap().unwrap().source, "2");
        assert!(c.get_source("d").unwrap().is_none());
        assert_eq!(c.list_templates(), ["a", "b", "c"]);
    }
}
