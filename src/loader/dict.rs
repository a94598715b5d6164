//! `DictLoader`: templates from an in-memory map of names to sources.

use std::collections::BTreeMap;

use super::{Loader, Source};
use crate::error::Result;

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
        Ok(self.templates.get(name).map(|s| Source::new(s.clone(), None)))
    }

    fn list_templates(&self) -> Vec<String> {
        self.templates.keys().cloned().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_sorted_and_loads() {
        let l = DictLoader::new([("b", "B"), ("a", "A")]);
        assert_eq!(l.list_templates(), ["a", "b"]);
        assert_eq!(l.get_source("a").unwrap().unwrap().source, "A");
        assert!(l.get_source("c").unwrap().is_none());
    }
}
