//! `FunctionLoader`: templates from a function of the name (Jinja2's `FunctionLoader`).

use super::{Loader, Source};
use crate::error::Result;

type LoadFn = dyn Fn(&str) -> Result<Option<Source>> + Send + Sync;

/// Templates from a function that returns a source, or `None` when there is no such template.
pub struct FunctionLoader {
    f: Box<LoadFn>,
}

impl FunctionLoader {
    /// A loader calling `f` for every lookup.
    pub fn new(f: impl Fn(&str) -> Result<Option<Source>> + Send + Sync + 'static) -> FunctionLoader {
        FunctionLoader { f: Box::new(f) }
    }

    /// A loader over a function that returns just the text.
    pub fn from_text(f: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> FunctionLoader {
        FunctionLoader::new(move |name| Ok(f(name).map(|s| Source::new(s, None))))
    }
}

impl std::fmt::Debug for FunctionLoader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FunctionLoader")
    }
}

impl Loader for FunctionLoader {
    fn get_source(&self, name: &str) -> Result<Option<Source>> {
        (self.f)(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_the_function() {
        let l = FunctionLoader::from_text(|n| (n == "a").then(|| "A".to_string()));
        assert_eq!(l.get_source("a").unwrap().unwrap().source, "A");
        assert!(l.get_source("b").unwrap().is_none());
        assert!(l.list_templates().is_empty());
    }
}
