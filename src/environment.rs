//! The Environment: options (syntax, whitespace, autoescape, undefined policy), the registries
//! of filters, tests and globals, the loader, and template lookup and caching.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::Result;
use crate::value::{Args, UndefinedKind, Value};
use crate::vm::State;

/// A filter: the value, then the call's arguments.
pub type FilterFn = Arc<dyn Fn(&mut State, Value, Args) -> Result<Value> + Send + Sync>;
/// A test: the value, then the call's arguments.
pub type TestFn = Arc<dyn Fn(&mut State, Value, Args) -> Result<bool> + Send + Sync>;

/// Template environment: configuration and registries shared by all templates.
pub struct Environment {
    /// The Undefined class used for missing names and attributes.
    pub undefined: UndefinedKind,
    pub(crate) filters: BTreeMap<String, FilterFn>,
    pub(crate) tests: BTreeMap<String, TestFn>,
    pub(crate) globals: BTreeMap<String, Value>,
}

impl Default for Environment {
    fn default() -> Self {
        Environment::new()
    }
}

impl Environment {
    /// A new environment with Jinja2's defaults and every builtin filter, test and global.
    pub fn new() -> Environment {
        let mut env = Environment {
            undefined: UndefinedKind::Default,
            filters: BTreeMap::new(),
            tests: BTreeMap::new(),
            globals: BTreeMap::new(),
        };
        for (name, f) in crate::filters::builtins() {
            env.filters.insert(name.to_string(), f);
        }
        for (name, t) in crate::tests::builtins() {
            env.tests.insert(name.to_string(), t);
        }
        env
    }

    /// Look up a filter.
    pub fn get_filter(&self, name: &str) -> Option<&FilterFn> {
        self.filters.get(name)
    }

    /// Look up a test.
    pub fn get_test(&self, name: &str) -> Option<&TestFn> {
        self.tests.get(name)
    }

    /// Register a filter.
    pub fn add_filter<F>(&mut self, name: &str, f: F)
    where
        F: Fn(&mut State, Value, Args) -> Result<Value> + Send + Sync + 'static,
    {
        self.filters.insert(name.to_string(), Arc::new(f));
    }

    /// Register a test.
    pub fn add_test<F>(&mut self, name: &str, f: F)
    where
        F: Fn(&mut State, Value, Args) -> Result<bool> + Send + Sync + 'static,
    {
        self.tests.insert(name.to_string(), Arc::new(f));
    }

    /// Register a global value.
    pub fn add_global(&mut self, name: &str, value: Value) {
        self.globals.insert(name.to_string(), value);
    }
}
