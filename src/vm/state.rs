//! The render state handed to filters, tests, methods and callables: the environment, the
//! evaluation context (autoescape) and the means to call back into the engine (other filters
//! and tests by name, callables such as macros).

use std::collections::HashMap;
use std::sync::Arc;

use crate::compiler::Program;
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};
use crate::value::{Args, UndefinedKind, Value};

/// The program of a state outside of any template, shared (a state is made per render).
fn empty_program() -> Arc<Program> {
    static EMPTY: std::sync::OnceLock<Arc<Program>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(|| Arc::new(Program::empty())).clone()
}

/// What a filter, test or callable sees of the running render.
pub struct State<'env> {
    pub(crate) env: &'env Environment,
    pub(crate) autoescape: bool,
    pub(crate) depth: usize,
    pub(crate) ctx: super::Ctx,
    pub(crate) frames: Vec<super::Frame>,
    pub(crate) program: Arc<Program>,
    pub(crate) blocks: super::BlockMap,
    pub(crate) extended: Option<Arc<Program>>,
    pub(crate) in_root: bool,
    /// Inside a for loop, with, filter or autoescape block of the template's root: not a
    /// toplevel frame to Jinja2, whose blocks there render even after `{% extends %}`.
    pub(crate) root_inner: bool,
    pub(crate) modules: HashMap<String, Value>,
    pub(crate) block_input: Option<Value>,
    /// Item buffers nested simple loops reuse (see `run_simple_for`).
    pub(crate) loop_bufs: Vec<Vec<Value>>,
    /// The emptied variable vectors of popped frames, and the emptied frame stacks of
    /// finished macro calls and blocks, reused by the next ones (see `State::pop_frame`).
    pub(crate) frame_pool: super::FramePool,
    /// The names the running template's top level starts without (in `program.str_lists`;
    /// empty inside blocks and macros defined there): see [`Program::missing_of`].
    pub(crate) top_missing: crate::compiler::program::Range,
    /// The last [`super::Frame`] id handed out.
    pub(crate) next_frame_id: u32,
    /// The frame stacks of the callers of running macro calls and blocks, innermost last.
    pub(crate) suspended: Vec<Vec<super::Frame>>,
    /// The locals a running scoped block was rendered with (Jinja2's derived context), which
    /// the blocks it reaches inherit; `None` for the template's own context.
    pub(crate) block_derived: Option<super::Frame>,
    /// The filters and tests this render has looked up, by the allocation of their name.
    pub(crate) name_memo: NameMemo,
    /// Where on this thread's stack the renderer recurses without asking `stacker`.
    pub(crate) stack: super::stack::StackWindow,
    /// Evaluating as Jinja2's `as_const` does at compile time (set by the lowering): a slice
    /// goes through `environment.getitem`, so one Python cannot take is an undefined there.
    pub(crate) const_fold: bool,
    /// How many filter and set blocks around the running statement capture output within
    /// the running Jinja2 render function (a template's body or a block): see
    /// [`State::bypass`]. (Macros and recursive loops are functions too, but one holding such
    /// an include is a Python generator in Jinja2, whose output cannot be matched: they are
    /// left out.)
    pub(crate) captures: u32,
    /// Jinja2's `context.eval_ctx.autoescape` at run time: set by every `{% autoescape %}`
    /// block while it runs (macro calls inside it too, unlike [`State::autoescape`], which
    /// follows the code being run), fresh for each render context (a render, an include or
    /// an import). A macro call's result is Markup when it is on at the call.
    pub(crate) eval_autoescape: bool,
    /// Output of `{% include ... without context %}` run inside such a capture: Jinja2 writes
    /// it as `yield from`, straight to the function's output past the capture buffers, so it
    /// goes out when the outermost capture ends, before that capture's own result.
    pub(crate) bypass: String,
}

/// Which table a [`NameMemo`] index is into.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum MemoKind {
    Filter,
    Test,
}

/// Indexes (into the environment's filter or test table) of names looked up during one
/// render, remembered by the name's allocation: a program's names are interned, so each
/// filter call of a template finds its filter by a pointer comparison in the slot the
/// address picks instead of hashing and comparing the name. A slot keeps the name alive, so
/// its address cannot be reused by another string while it is remembered; the environment
/// cannot change during the render (the state borrows it). The slots are allocated on the
/// first lookup: a render that calls no filter pays nothing.
#[derive(Default)]
pub(crate) struct NameMemo {
    slots: Option<Box<[Option<MemoEntry>; NameMemo::SLOTS]>>,
}

/// A remembered name: the string it was looked up by, what it named and its index.
type MemoEntry = (crate::value::Str, MemoKind, usize);

impl NameMemo {
    const SLOTS: usize = 32;

    /// The index of `name` in the `kind` table, found by `find` when not remembered.
    #[inline(always)]
    pub(crate) fn index(
        &mut self,
        kind: MemoKind,
        name: &crate::value::Str,
        find: impl FnOnce(&str) -> Option<usize>,
    ) -> Option<usize> {
        let addr = name.as_ptr() as usize;
        let slots = self.slots.get_or_insert_with(|| Box::new(std::array::from_fn(|_| None)));
        let slot = slots.get_mut(((addr >> 4) ^ (addr >> 9) ^ kind as usize) % NameMemo::SLOTS)?;
        if let Some((k, c, i)) = slot {
            if std::ptr::eq(k.as_ptr(), name.as_ptr()) && k.len() == name.len() && *c == kind {
                return Some(*i);
            }
        }
        let i = find(name)?;
        *slot = Some((name.clone(), kind, i));
        Some(i)
    }
}

impl<'env> State<'env> {
    /// A state outside of any template (for calling filters from Rust and for tests).
    pub fn new(env: &'env Environment) -> State<'env> {
        State::with_ctx(env, super::Ctx::default())
    }

    /// A state rendering with context `ctx` (a render makes its context first: building the
    /// default one only to replace it cost three allocations and their frees per render).
    pub(crate) fn with_ctx(env: &'env Environment, ctx: super::Ctx) -> State<'env> {
        State {
            env,
            autoescape: false,
            depth: 0,
            ctx,
            frames: Vec::new(),
            program: empty_program(),
            blocks: Default::default(),
            extended: None,
            in_root: false,
            root_inner: false,
            modules: HashMap::new(),
            block_input: None,
            loop_bufs: Vec::new(),
            frame_pool: Default::default(),
            top_missing: Default::default(),
            next_frame_id: 0,
            suspended: Vec::new(),
            block_derived: None,
            name_memo: NameMemo::default(),
            stack: super::stack::StackWindow::new(),
            const_fold: false,
            captures: 0,
            eval_autoescape: false,
            bypass: String::new(),
        }
    }

    /// The environment.
    pub fn env(&self) -> &'env Environment {
        self.env
    }

    /// Whether autoescaping is active here (Jinja2's `eval_ctx.autoescape`).
    pub fn autoescape(&self) -> bool {
        self.autoescape
    }

    /// Set autoescaping (for `pass_eval_context`-style callers and tests).
    pub fn set_autoescape(&mut self, on: bool) {
        self.autoescape = on;
    }

    /// The environment's Undefined policy.
    pub fn undefined_kind(&self) -> UndefinedKind {
        self.env.undefined
    }

    /// A new undefined value for `name`.
    pub fn undefined(&self, name: &str) -> Value {
        Value::undefined(self.env.undefined, name)
    }

    /// Apply the filter called `name`.
    pub fn apply_filter(&mut self, name: &str, value: Value, args: Args) -> Result<Value> {
        match self.env.get_filter(name) {
            Some(f) => f(self, value, args),
            None => {
                Err(Error::new(ErrorKind::TemplateAssertionError, format!("No filter named '{}'.", name)))
            }
        }
    }

    /// Perform the test called `name`.
    pub fn perform_test(&mut self, name: &str, value: Value, args: Args) -> Result<bool> {
        match self.env.get_test(name) {
            Some(t) => t(self, value, args),
            None => Err(Error::new(ErrorKind::TemplateAssertionError, format!("No test named '{}'.", name))),
        }
    }

    /// Call a callable value.
    pub fn call(&mut self, callee: &Value, args: Args) -> Result<Value> {
        match callee {
            Value::Object(o) => {
                self.enter(super::FRAMES_CALL)?;
                let r = o.call(self, args);
                self.leave(super::FRAMES_CALL);
                r
            }
            Value::Undefined(u) => Err(u.error()),
            _ => Err(Error::new(
                ErrorKind::TypeError,
                format!("'{}' object is not callable", callee.type_name()),
            )),
        }
    }

    /// Jinja2's `environment.getattr(obj, name)`: attribute first, then item; undefined if
    /// neither exists.
    pub fn getattr(&self, obj: &Value, name: &str) -> Result<Value> {
        if name.starts_with('_') {
            if let Some(v) = python_internal_attr(obj, name) {
                return Ok(v);
            }
        }
        if let Value::Undefined(u) = obj {
            if u.kind == UndefinedKind::Chainable {
                return Ok(obj.clone());
            }
            return Err(u.error());
        }
        if let Some(v) = obj.get_attr_raw(name) {
            return Ok(v);
        }
        if crate::methods::has_method(obj, name) {
            return Ok(crate::methods::bound_method(obj, name));
        }
        if let Some(v) = obj.get_item_str(name) {
            return Ok(v);
        }
        Ok(self.missing(obj, Value::from(name)))
    }

    /// Jinja2's `environment.getitem(obj, key)`: item first, then attribute for str keys.
    pub fn getitem(&self, obj: &Value, key: &Value) -> Result<Value> {
        // A dict's str key (the most frequent subscript): found the short way.
        if let Value::Str(k) = key {
            if let Some(v) = crate::value::dict_str_item(obj, k) {
                return Ok(v);
            }
        }
        self.getitem_general(obj, key)
    }

    /// [`State::getitem`] without its short way for a dict's str key, for a caller that has
    /// tried [`crate::value::dict_str_item`] already (a missing key is not looked for twice).
    pub(crate) fn getitem_general(&self, obj: &Value, key: &Value) -> Result<Value> {
        if let Value::Undefined(u) = obj {
            if u.kind == UndefinedKind::Chainable {
                return Ok(obj.clone());
            }
            return Err(u.error());
        }
        if let Some(v) = obj.get_item_raw(key) {
            return Ok(v);
        }
        if let Value::Dict(_) = obj {
            // `d[key]` hashes the key: a StrictUndefined in it raises (an unhashable key is a
            // TypeError, which Jinja2's getitem turns into an undefined value).
            if let Err(e) = key.hash_check() {
                if e.kind() == crate::error::ErrorKind::UndefinedError {
                    return Err(e);
                }
            }
        }
        if let Value::Str(name) = key {
            if let Some(v) = obj.get_attr_raw(name) {
                return Ok(v);
            }
            if crate::methods::has_method(obj, name) {
                return Ok(crate::methods::bound_method(obj, name));
            }
        }
        Ok(self.missing(obj, key.clone()))
    }

    fn missing(&self, obj: &Value, key: Value) -> Value {
        Value::Undefined(std::sync::Arc::new(crate::value::Undefined {
            kind: self.env.undefined,
            name: Some(key),
            obj: Some(obj.object_type_repr()),
            hint: None,
        }))
    }
}

/// The few Python-internal attributes templates in the wild (and Jinja2's own tests) read:
/// `x.__class__.__name__` and an Undefined's `_undefined_name` / `_undefined_hint`.
fn python_internal_attr(obj: &Value, name: &str) -> Option<Value> {
    match (obj, name) {
        (_, "__class__") => {
            // `object_type_repr` names the class with its module ("jinja2.runtime.Undefined
            // object"), as the class's repr does; builtins have none ("list object").
            let qualified = match obj {
                Value::None => obj.type_name().to_string(),
                _ => {
                    let r = obj.object_type_repr();
                    r.strip_suffix(" object").unwrap_or(&r).to_string()
                }
            };
            Some(Value::object(PyClass { name: obj.type_name().to_string(), qualified }))
        }
        (Value::Undefined(u), "_undefined_name") => Some(u.name.clone().unwrap_or(Value::None)),
        (Value::Undefined(u), "_undefined_hint") => {
            Some(u.hint.as_ref().map(|h| Value::from(&*h.text())).unwrap_or(Value::None))
        }
        _ => None,
    }
}

/// What `x.__class__` gives: something with a `__name__`, printed as Python prints the class.
#[derive(Debug)]
struct PyClass {
    name: String,
    qualified: String,
}

impl crate::value::Object for PyClass {
    fn type_name(&self) -> &str {
        "type"
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        match name {
            "__name__" => Some(Value::from(self.name.as_str())),
            _ => None,
        }
    }
    fn repr(&self) -> String {
        format!("<class '{}'>", self.qualified)
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod memo_unit {
    use super::*;
    use crate::value::Str;

    /// The memo answers what a lookup by name does, filters and tests apart, for many names sharing slots, the same
    /// name in several allocations and names that are not there.
    #[test]
    fn name_memo_like_lookup() {
        let env = Environment::new();
        let mut memo = NameMemo::default();
        let names: Vec<Str> = env
            .filter_names()
            .chain(["nope", "", "lowerx"])
            .flat_map(|n| [Str::from(n), Str::from(n)])
            .collect();
        for round in 0..3 {
            for n in names.iter().rev().skip(round) {
                let want = env.filters.get_index_of(&**n);
                assert_eq!(memo.index(MemoKind::Filter, n, |k| env.filters.get_index_of(k)), want, "{n}");
                let want = env.tests.get_index_of(&**n);
                assert_eq!(memo.index(MemoKind::Test, n, |k| env.tests.get_index_of(k)), want, "{n}");
            }
        }
    }
}
