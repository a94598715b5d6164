//! The Environment: options (syntax, whitespace, autoescape, undefined policy), the registries
//! of filters, tests and globals, the loader, and template lookup with an in-memory cache.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use indexmap::IndexMap;

use crate::cache::fingerprint::EnvSettings;
use crate::cache::lru::Lru;
use crate::cache::{BytecodeCache, Fingerprint};
use crate::compiler::{self, Program};
use crate::error::{Error, ErrorKind, Result};
use crate::loader::{Loaded, Loader, UpToDate};
use crate::syntax::SyntaxConfig;
use crate::template::Template;
use crate::value::argtypes::Function;
use crate::value::{Args, BuildHash, UndefinedKind, Value};
use crate::vm::State;

/// A filter: the value, then the call's arguments.
pub type FilterFn = Arc<dyn Fn(&mut State, Value, Args) -> Result<Value> + Send + Sync>;
/// A test: the value, then the call's arguments.
pub type TestFn = Arc<dyn Fn(&mut State, Value, Args) -> Result<bool> + Send + Sync>;

/// The autoescape policy: fixed, or by file extension (Jinja2's `select_autoescape`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AutoEscape {
    /// Always on or always off.
    Bool(bool),
    /// On for templates whose name ends in one of these extensions (and for `from_string`).
    Extensions(Vec<String>),
}

impl Default for AutoEscape {
    fn default() -> Self {
        AutoEscape::Bool(false)
    }
}

impl AutoEscape {
    /// `select_autoescape()`'s defaults: html, htm, xml.
    pub fn html_default() -> AutoEscape {
        AutoEscape::Extensions(vec!["html".into(), "htm".into(), "xml".into()])
    }
}

/// Argument conversion errors of typed user functions name the function (the template and
/// line are attached by the renderer).
fn name_arg_error(mut e: Error, what: &str, name: &str) -> Error {
    if e.kind() == ErrorKind::TypeError && !e.has_location() {
        let detail = format!("{} '{}': {}", what, name, e.detail());
        e.set_detail(detail);
    }
    e
}

/// Name given to templates made with [`Environment::from_string`].
pub const STRING_TEMPLATE_NAME: &str = "<template>";

/// Template environment: configuration and registries shared by all templates.
pub struct Environment {
    /// Delimiters, whitespace handling and extensions.
    pub syntax: SyntaxConfig,
    /// Autoescape policy.
    pub autoescape: AutoEscape,
    /// The Undefined class used for missing names and attributes.
    pub undefined: UndefinedKind,
    /// Filters and tests by name, kept sorted by name (for `filter_names`); hashed because
    /// every filter application and test looks its function up by name.
    pub(crate) filters: IndexMap<String, FilterFn, BuildHash>,
    pub(crate) tests: IndexMap<String, TestFn, BuildHash>,
    pub(crate) globals: BTreeMap<String, Value>,
    /// The builtin `default` filter (also registered as `d`), kept so that the renderer can
    /// tell it from a filter registered under that name later (the allocation stays alive,
    /// so its address is never another filter's): see `State::default_passes`.
    pub(crate) builtin_default: Option<FilterFn>,
    /// The builtin `escape` filter (also registered as `e`), kept likewise: see
    /// `State::emit_escaped`.
    pub(crate) builtin_escape: Option<FilterFn>,
    /// The builtin `lower` and `title` filters, kept likewise: see `State::emit_cased`.
    pub(crate) builtin_lower: Option<FilterFn>,
    pub(crate) builtin_title: Option<FilterFn>,
    loader: Option<Box<dyn Loader>>,
    cache: Mutex<Lru<(Arc<Program>, Option<UpToDate>)>>,
    bytecode_cache: Option<Arc<dyn BytecodeCache>>,
    auto_reload: bool,
    /// The last fingerprint computed, with the settings it was computed from: every bucket
    /// load needs it, and the settings are public fields, so it is reused only while they
    /// still match.
    fingerprint_memo: Mutex<Option<(EnvSettings, Fingerprint)>>,
    /// Modules of templates imported without context whose top level only defines macros,
    /// kept across renders as Jinja2 keeps a template's default module (see
    /// `State::import_module`): the template, the autoescaping its macros were defined with
    /// and the module was made under, and the module.
    pub(crate) modules: Mutex<Vec<CachedModule>>,
}

/// A module kept in [`Environment::modules`].
pub(crate) struct CachedModule {
    pub(crate) program: Arc<Program>,
    /// The template's own autoescaping (its macros') and the importer's (the module's).
    pub(crate) autoescape: (bool, bool),
    pub(crate) module: crate::value::Value,
}

/// How many modules [`Environment::modules`] keeps (the oldest is dropped for a new one).
const KEPT_MODULES: usize = 32;

/// Jinja2's default `cache_size`.
pub const DEFAULT_CACHE_SIZE: usize = 400;

impl Default for Environment {
    fn default() -> Self {
        Environment::new()
    }
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment")
            .field("syntax", &self.syntax)
            .field("autoescape", &self.autoescape)
            .field("undefined", &self.undefined)
            .finish()
    }
}

impl Environment {
    /// A new environment with Jinja2's defaults and every builtin filter, test and global.
    pub fn new() -> Environment {
        let mut env = Environment {
            syntax: SyntaxConfig::default(),
            autoescape: AutoEscape::default(),
            undefined: UndefinedKind::Default,
            filters: IndexMap::default(),
            tests: IndexMap::default(),
            globals: crate::vm::builtin_globals(),
            builtin_default: None,
            builtin_escape: None,
            builtin_lower: None,
            builtin_title: None,
            loader: None,
            cache: Mutex::new(Lru::new(DEFAULT_CACHE_SIZE)),
            bytecode_cache: None,
            auto_reload: true,
            fingerprint_memo: Mutex::new(None),
            modules: Mutex::new(Vec::new()),
        };
        for (name, f) in crate::filters::builtins() {
            env.filters.insert(name.to_string(), f);
        }
        // (`d` and `default` share one allocation, so either is recognized.)
        env.builtin_default = env.filters.get("default").cloned();
        if let Some(f) = &env.builtin_default {
            env.filters.insert("d".to_string(), f.clone());
        }
        env.builtin_lower = env.filters.get("lower").cloned();
        env.builtin_title = env.filters.get("title").cloned();
        env.builtin_escape = env.filters.get("escape").cloned();
        if let Some(f) = &env.builtin_escape {
            env.filters.insert("e".to_string(), f.clone());
        }
        for (name, t) in crate::tests::builtins() {
            env.tests.insert(name.to_string(), t);
        }
        env.filters.sort_unstable_keys();
        env.tests.sort_unstable_keys();
        env
    }

    /// Set the loader (clears the template cache).
    pub fn set_loader<L: Loader + 'static>(&mut self, loader: L) {
        self.loader = Some(Box::new(loader));
        self.clear_cache();
    }

    /// Store compiled templates in `cache` (Jinja2's `bytecode_cache`).
    pub fn set_bytecode_cache<C: BytecodeCache + 'static>(&mut self, cache: C) {
        self.bytecode_cache = Some(Arc::new(cache));
        self.clear_cache();
    }

    /// The bytecode cache, if any.
    pub fn bytecode_cache(&self) -> Option<&Arc<dyn BytecodeCache>> {
        self.bytecode_cache.as_ref()
    }

    /// How many templates the in-memory cache keeps (least recently used go first; 0 disables
    /// it, `usize::MAX` is unbounded). Jinja2's default: 400.
    pub fn set_cache_size(&mut self, size: usize) {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).set_capacity(size);
    }

    /// Whether `get_template` checks that a cached template's source is unchanged (default on).
    pub fn set_auto_reload(&mut self, yes: bool) {
        self.auto_reload = yes;
    }

    /// The settings fingerprint stored in buckets compiled by this environment.
    pub fn fingerprint(&self) -> Fingerprint {
        let mut memo = self.fingerprint_memo.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((settings, fingerprint)) = &*memo {
            if settings.matches(self) {
                return *fingerprint;
            }
        }
        let settings = EnvSettings::of(self);
        let fingerprint = settings.fingerprint();
        *memo = Some((settings, fingerprint));
        fingerprint
    }

    /// An environment configured from a `jinjac.toml` file (shared/DESIGN.md §2): syntax and
    /// environment settings, a loader over the template directories falling back to the
    /// compiled cache, and the cache directory as bytecode cache.
    pub fn from_config(path: impl AsRef<std::path::Path>) -> Result<Environment> {
        crate::config::Config::load(path.as_ref())?.environment()
    }

    /// Drop every cached template.
    pub fn clear_cache(&self) {
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.modules.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// Enable an extension by short name (`do`, `loopcontrols`, `i18n`, `debug`) or Jinja2's
    /// dotted name (`jinja2.ext.do`).
    pub fn add_extension(&mut self, name: &str) -> Result<()> {
        let short = name.trim_start_matches("jinja2.ext.");
        let short = match short {
            "do" | "ExprStmtExtension" => "do",
            "loopcontrols" | "LoopControlExtension" => "loopcontrols",
            "i18n" | "InternationalizationExtension" => "i18n",
            "debug" | "DebugExtension" => "debug",
            other => {
                return Err(Error::new(
                    ErrorKind::TemplateRuntimeError,
                    format!("unknown extension '{}'", other),
                ))
            }
        };
        if !self.syntax.has_extension(short) {
            self.syntax.extensions.push(short.to_string());
            self.syntax.extensions.sort();
        }
        if short == "i18n" {
            crate::vm::install_i18n(self);
        }
        self.clear_cache();
        Ok(())
    }

    /// Look up a filter.
    pub fn get_filter(&self, name: &str) -> Option<&FilterFn> {
        self.filters.get(name)
    }

    /// Look up a test.
    pub fn get_test(&self, name: &str) -> Option<&TestFn> {
        self.tests.get(name)
    }

    /// Names of every registered filter.
    pub fn filter_names(&self) -> impl Iterator<Item = &str> {
        self.filters.keys().map(String::as_str)
    }

    /// Names of every registered test.
    pub fn test_names(&self) -> impl Iterator<Item = &str> {
        self.tests.keys().map(String::as_str)
    }

    /// Register a filter written as a plain Rust function of typed arguments: the filtered
    /// value first, then the filter's positional arguments.
    ///
    /// ```
    /// let mut env = jinjac::Environment::new();
    /// env.add_filter("double", |x: i64| x * 2);
    /// assert_eq!(env.from_string("{{ 21|double }}").unwrap().render(()).unwrap(), "42");
    /// ```
    pub fn add_filter<F, A>(&mut self, name: &str, f: F)
    where
        F: Function<A>,
    {
        let name_s = name.to_string();
        self.add_filter_raw(name, move |_state, value, args| {
            if !args.kwargs.is_empty() {
                return Err(Error::new(
                    ErrorKind::TypeError,
                    format!("filter '{}' takes no keyword arguments", name_s),
                ));
            }
            let mut all = Vec::with_capacity(args.args.len() + 1);
            all.push(value);
            all.extend(args.args);
            f.invoke(&all).map_err(|e| name_arg_error(e, "filter", &name_s))
        });
    }

    /// Register a filter that sees the render state (autoescape, environment, other filters)
    /// and the raw arguments, like Jinja2's `pass_context`/`pass_eval_context` filters.
    pub fn add_filter_raw<F>(&mut self, name: &str, f: F)
    where
        F: Fn(&mut State, Value, Args) -> Result<Value> + Send + Sync + 'static,
    {
        self.filters.insert(name.to_string(), Arc::new(f));
        self.filters.sort_unstable_keys();
        self.clear_cache();
    }

    /// Register a test written as a plain Rust function of typed arguments returning bool.
    ///
    /// ```
    /// let mut env = jinjac::Environment::new();
    /// env.add_test("answer", |x: i64| x == 42);
    /// assert_eq!(env.from_string("{{ 42 is answer }}").unwrap().render(()).unwrap(), "True");
    /// ```
    pub fn add_test<F, A>(&mut self, name: &str, f: F)
    where
        F: Function<A>,
    {
        let name_s = name.to_string();
        self.add_test_raw(name, move |_state, value, args| {
            let mut all = Vec::with_capacity(args.args.len() + 1);
            all.push(value);
            all.extend(args.args);
            f.invoke(&all).map_err(|e| name_arg_error(e, "test", &name_s))?.is_true()
        });
    }

    /// Register a test that sees the render state and the raw arguments.
    pub fn add_test_raw<F>(&mut self, name: &str, f: F)
    where
        F: Fn(&mut State, Value, Args) -> Result<bool> + Send + Sync + 'static,
    {
        self.tests.insert(name.to_string(), Arc::new(f));
        self.tests.sort_unstable_keys();
        self.clear_cache();
    }

    /// Register a global value.
    pub fn add_global(&mut self, name: &str, value: impl Into<Value>) {
        self.globals.insert(name.to_string(), value.into());
    }

    /// Register a global function written as a plain Rust function of typed arguments.
    ///
    /// ```
    /// let mut env = jinjac::Environment::new();
    /// env.add_function("greet", |name: String| format!("Hello {}!", name));
    /// assert_eq!(env.from_string("{{ greet('you') }}").unwrap().render(()).unwrap(), "Hello you!");
    /// ```
    pub fn add_function<F, A>(&mut self, name: &str, f: F)
    where
        F: Function<A>,
    {
        let name_s = name.to_string();
        self.add_function_raw(name, move |_state, args| {
            if !args.kwargs.is_empty() {
                return Err(Error::new(
                    ErrorKind::TypeError,
                    format!("function '{}' takes no keyword arguments", name_s),
                ));
            }
            f.invoke(&args.args).map_err(|e| name_arg_error(e, "function", &name_s))
        });
    }

    /// Register a global function that sees the render state and the raw arguments.
    pub fn add_function_raw<F>(&mut self, name: &str, f: F)
    where
        F: Fn(&mut State, Args) -> Result<Value> + Send + Sync + 'static,
    {
        self.globals.insert(name.to_string(), crate::vm::function_value(name, f));
    }

    /// Whether templates called `name` autoescape by default.
    pub fn autoescape_for(&self, name: &str) -> bool {
        match &self.autoescape {
            AutoEscape::Bool(b) => *b,
            AutoEscape::Extensions(exts) => {
                if name == STRING_TEMPLATE_NAME || name.is_empty() {
                    return true;
                }
                let lower = name.to_ascii_lowercase();
                exts.iter()
                    .any(|e| lower.ends_with(&format!(".{}", e.trim_start_matches('.').to_ascii_lowercase())))
            }
        }
    }

    /// Parse and compile a source.
    pub fn compile(&self, source: &str, name: &str) -> Result<Program> {
        let tree = crate::syntax::parse(source, name, &self.syntax)?;
        compiler::compile(tree, name, self).map_err(|e| e.with_name(name, source))
    }

    /// A template from a string (not cached).
    pub fn from_string(&self, source: &str) -> Result<Template<'_>> {
        let program = self.compile(source, STRING_TEMPLATE_NAME)?;
        Ok(Template { env: self, program: Arc::new(program) })
    }

    /// A template by name, from the cache or the loader.
    pub fn get_template(&self, name: &str) -> Result<Template<'_>> {
        Ok(Template { env: self, program: self.load_program(name)? })
    }

    /// The first of `names` that exists.
    pub fn select_template<S: AsRef<str>>(&self, names: &[S]) -> Result<Template<'_>> {
        let names: Vec<String> = names.iter().map(|n| n.as_ref().to_string()).collect();
        Ok(Template { env: self, program: self.select_program(&names)? })
    }

    /// `get_template` for a name, `select_template` for a list.
    pub fn get_or_select_template(&self, names: &Value) -> Result<Template<'_>> {
        match names {
            Value::Str(s) | Value::Markup(s) => self.get_template(s),
            other => {
                let names: Vec<String> = other.try_iter()?.iter().map(Value::to_str).collect();
                self.select_template(&names)
            }
        }
    }

    /// Every template the loader knows.
    pub fn list_templates(&self) -> Vec<String> {
        self.loader.as_ref().map(|l| l.list_templates()).unwrap_or_default()
    }

    /// The source of a template, from the loader.
    pub fn get_source(&self, name: &str) -> Result<Option<crate::loader::Source>> {
        match &self.loader {
            Some(l) => l.get_source(name),
            None => Ok(None),
        }
    }

    /// The module kept for `program` made with `autoescape` (see [`Environment::modules`]).
    pub(crate) fn kept_module(
        &self,
        program: &Arc<Program>,
        autoescape: (bool, bool),
    ) -> Option<crate::value::Value> {
        let kept = self.modules.lock().unwrap_or_else(|e| e.into_inner());
        kept.iter()
            .find(|m| Arc::ptr_eq(&m.program, program) && m.autoescape == autoescape)
            .map(|m| m.module.clone())
    }

    /// Keep `module`, made from `program` with `autoescape`, for later renders.
    pub(crate) fn keep_module(
        &self,
        program: Arc<Program>,
        autoescape: (bool, bool),
        module: crate::value::Value,
    ) {
        let mut kept = self.modules.lock().unwrap_or_else(|e| e.into_inner());
        kept.retain(|m| !Arc::ptr_eq(&m.program, &program));
        if kept.len() >= KEPT_MODULES {
            kept.remove(0);
        }
        kept.push(CachedModule { program, autoescape, module });
    }

    pub(crate) fn load_program(&self, name: &str) -> Result<Arc<Program>> {
        let cached = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(name);
        if let Some((program, uptodate)) = cached {
            if !self.auto_reload || uptodate.as_ref().is_none_or(|f| f()) {
                return Ok(program);
            }
        }
        let loaded = match &self.loader {
            Some(l) => l.load(name, &self.fingerprint())?,
            None => None,
        };
        let (program, uptodate) = match loaded {
            None => return Err(Error::new(ErrorKind::TemplateNotFound, name)),
            Some(Loaded::Compiled { program, uptodate }) => (program, uptodate),
            Some(Loaded::Source(source)) => (self.compile_cached(name, &source.source)?, source.uptodate),
        };
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(name.to_string(), (program.clone(), uptodate));
        Ok(program)
    }

    /// Compile through the bytecode cache: a matching bucket is used, else the source is
    /// compiled and the bucket written back (a failed write is counted, never fatal).
    fn compile_cached(&self, name: &str, source: &str) -> Result<Arc<Program>> {
        let Some(bc) = &self.bytecode_cache else { return Ok(Arc::new(self.compile(source, name)?)) };
        let mut bucket = bc.get_bucket(self, name, source);
        if let Some(code) = &bucket.code {
            return Ok(code.clone());
        }
        let program = Arc::new(self.compile(source, name)?);
        bucket.code = Some(program.clone());
        let _ = bc.set_bucket(&bucket);
        Ok(program)
    }

    pub(crate) fn select_program(&self, names: &[String]) -> Result<Arc<Program>> {
        if names.is_empty() {
            return Err(Error::new(
                ErrorKind::TemplatesNotFound,
                "Tried to select from an empty list of templates.",
            ));
        }
        for n in names {
            match self.load_program(n) {
                Ok(p) => return Ok(p),
                Err(e) if e.kind() == ErrorKind::TemplateNotFound && e.detail() == n => continue,
                Err(e) => return Err(e),
            }
        }
        Err(Error::new(
            ErrorKind::TemplatesNotFound,
            format!("none of the templates given were found: {}", names.join(", ")),
        ))
    }

    /// Fill in the source line of an error from the loader (error path only).
    pub(crate) fn decorate_error(&self, mut e: Error) -> Error {
        if e.source_line().is_none() {
            if let (Some(name), Some(line)) = (e.name().map(str::to_string), e.line()) {
                if let Ok(Some(src)) = self.get_source(&name) {
                    let col = e.column().unwrap_or(1);
                    e.attach(&name, line, col, Some(&src.source));
                }
            }
        }
        e
    }
}
