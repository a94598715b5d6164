//! The renderer: executes a compiled [`Program`] against a context, writing into a String.
//!
//! Scoping follows Jinja2: the template's top level writes into the context (and exports),
//! `for`/`with`/blocks/macros open frames whose assignments do not leak, `if` opens none; a
//! macro sees the frames around its definition (captured) and the live context of the template
//! that defined it, so top-level values are read at call time.

mod objects;
mod stack;
mod state;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use indexmap::IndexMap;

use crate::compiler::program::{
    BinOp, CmpOp, Expr, ExprId, Node, Range, Span, Stmt, StmtId, StrId, Target, TransDef, UnaryOp,
};
use crate::compiler::Program;
use crate::error::{Error, ErrorKind, Result};
use crate::value::{dict_str_item, markup, ops, Args, Str, UndefinedKind, Value};

pub use objects::function_value;
use objects::LazyItems;
pub(crate) use objects::{builtin_globals, install_i18n};
pub use objects::{Cycler, Joiner, LoopObject, Macro, Module, Namespace};
pub use state::State;

/// Initial capacity of the buffer a macro call or a captured block renders into: most are a
/// few hundred bytes, and growing from empty reallocated five or six times on the way.
const CAPTURE_CAPACITY: usize = 256;

/// Maximum nesting of includes, macro calls, loop recursion and blocks, counted in the Python
/// frames each costs Jinja2 (see the `FRAMES_*` weights), so that recursion ends in a
/// RecursionError at about the depth Python's default limit of 1000 frames stops Jinja2 (a
/// macro recursing 247 levels renders, 248 do not; an include about 990).
pub const MAX_DEPTH: usize = 992;

/// Longest chain of `{% extends %}` a render follows (calibrated on Jinja2 3.1.6: each parent
/// costs a frame, and a chain of 971 templates renders, 972 do not).
const MAX_EXTENDS: usize = 971;

/// Frames a call of a callable object costs Jinja2 (`Context.call` and the object's `__call__`).
pub(crate) const FRAMES_CALL: usize = 2;
/// Frames a macro body adds to its call (`Macro._invoke` and the macro function).
const FRAMES_MACRO: usize = 2;
/// Frames a recursive loop's body adds to its `loop(...)` call.
const FRAMES_LOOP: usize = 2;
/// Frames a block adds (its render function, and `BlockReference` for `self.b()`/`super()`).
const FRAMES_BLOCK: usize = 3;
/// Frames an include or import adds (the included root render function).
const FRAMES_TEMPLATE: usize = 1;

/// Variables of one frame (loop, with, macro call, block), in assignment order.
#[derive(Default, Clone, Debug)]
pub struct Frame {
    vars: Vec<(Str, Value)>,
    /// Bit `i`: `vars[i]` is a name the scope starts without (Jinja2's `missing`, see
    /// [`Program::missing_of`]) and has not assigned yet: it reads as undefined but is not
    /// passed on to includes, imports and scoped blocks.
    missing: u64,
    /// Which scope instance this is (numbered per render; 0 for none): a macro remembers
    /// the frame each captured name came from and reads it live while that frame runs, as
    /// a Python closure reads its cell.
    id: u32,
}

/// Names the renderer binds itself.
#[derive(Clone, Copy)]
enum SpecialName {
    Loop,
    Super,
    Caller,
    Kwargs,
    Varargs,
}

/// The shared allocation of a special name (they are bound on every loop, block and macro call).
fn special_name(n: SpecialName) -> Str {
    static NAMES: std::sync::OnceLock<[Str; 5]> = std::sync::OnceLock::new();
    let names = NAMES.get_or_init(|| ["loop", "super", "caller", "kwargs", "varargs"].map(Str::from));
    names[n as usize].clone()
}

/// Whether a frame's key is `name`: names of one template share their allocation (the
/// parser interns them), so the pointer usually decides.
#[inline]
fn same_name(key: &Str, name: &str) -> bool {
    (key.as_ptr() == name.as_ptr() && key.len() == name.len()) || crate::value::str_eq(key, name)
}

/// The value of `name` in a map of names. A few names (a page's `{% set %}`s, an includer's
/// locals) are scanned, which costs less than hashing.
#[inline]
fn str_map_get<'m>(m: &'m crate::value::StrMap, name: &str) -> Option<&'m Value> {
    if m.len() <= 8 {
        return m.iter().find(|(k, _)| same_name(k, name)).map(|(_, v)| v);
    }
    m.get(name)
}

/// The bit of entry `i` in [`Frame::missing`] (none past 64 entries).
#[inline]
fn missing_bit(i: usize) -> u64 {
    1u64.checked_shl(u32::try_from(i).unwrap_or(u32::MAX)).unwrap_or(0)
}

impl Frame {
    fn set(&mut self, name: Str, value: Value) {
        for (i, (k, v)) in self.vars.iter_mut().enumerate() {
            if same_name(k, &name) {
                *v = value;
                if self.missing != 0 {
                    self.missing &= !missing_bit(i);
                }
                return;
            }
        }
        self.vars.push((name, value));
    }

    /// [`Frame::set`] of a name that none of the entries from `below` on holds.
    #[inline]
    fn set_below(&mut self, below: usize, name: Str, value: Value) {
        let head = self.vars.get_mut(..below).unwrap_or_default();
        if let Some(i) = head.iter().position(|(k, _)| same_name(k, &name)) {
            if let Some(slot) = head.get_mut(i) {
                slot.1 = value;
            }
            if self.missing != 0 {
                self.missing &= !missing_bit(i);
            }
            return;
        }
        self.vars.push((name, value));
    }

    /// Bind `names` of `p` as missing (undefined until assigned).
    #[inline]
    fn bind_missing(&mut self, p: &Program, names: &[StrId], kind: UndefinedKind) {
        for &n in names {
            let name = p.str(n);
            let v = Value::undefined(kind, name);
            match self.vars.iter().position(|(k, _)| same_name(k, name)) {
                Some(i) => {
                    if let Some(slot) = self.vars.get_mut(i) {
                        slot.1 = v;
                    }
                    self.missing |= missing_bit(i);
                }
                None => {
                    self.missing |= missing_bit(self.vars.len());
                    self.vars.push((name.clone(), v));
                }
            }
        }
    }

    /// Keep the first `n` entries.
    #[inline]
    fn truncate(&mut self, n: usize) {
        self.vars.truncate(n);
        if self.missing != 0 {
            self.missing &= missing_bit(n).wrapping_sub(1) | if n >= 64 { u64::MAX } else { 0 };
        }
    }
}

/// Emptied frame storage kept for reuse: a loop, `with`, macro call or block opened a frame
/// whose variables grew a vector from nothing (two or three allocations) and dropped it when
/// done; a render opens thousands.
#[derive(Default)]
pub(crate) struct FramePool {
    vars: Vec<Vec<(Str, Value)>>,
    stacks: Vec<Vec<Frame>>,
}

impl FramePool {
    /// At most this many of each are kept (deeper nesting allocates as before).
    const KEEP: usize = 16;

    /// An empty frame, its storage reused when some is kept.
    #[inline]
    fn frame(&mut self) -> Frame {
        Frame { vars: self.vars.pop().unwrap_or_default(), missing: 0, id: 0 }
    }

    /// A frame with the missing names of scope `body` of `p` bound (undefined until assigned).
    #[inline]
    fn scope_frame(&mut self, p: &Program, body: Range, kind: UndefinedKind) -> Frame {
        let mut f = self.frame();
        let names = p.missing_of(body);
        if !names.is_empty() {
            f.bind_missing(p, names, kind);
        }
        f
    }

    /// Keep the storage of a frame that is done with.
    #[inline]
    fn recycle(&mut self, f: Frame) {
        let mut vars = f.vars;
        if vars.capacity() != 0 && self.vars.len() < FramePool::KEEP {
            vars.clear();
            self.vars.push(vars);
        }
    }

    /// An empty frame stack, its storage reused when some is kept.
    #[inline]
    fn stack(&mut self) -> Vec<Frame> {
        self.stacks.pop().unwrap_or_default()
    }

    /// Keep the storage of a frame stack that is done with, and of its frames.
    fn recycle_stack(&mut self, mut frames: Vec<Frame>) {
        while let Some(f) = frames.pop() {
            self.recycle(f);
        }
        if frames.capacity() != 0 && self.stacks.len() < FramePool::KEEP {
            self.stacks.push(frames);
        }
    }
}

/// The render context of one template: its top-level assignments (shared with the macros it
/// defines), the names it exports, and the variables passed in.
#[derive(Default, Debug)]
pub struct Ctx {
    /// The top-level assignments and exports, behind one lock and one allocation, made on
    /// the first assignment or when the context is shared (most renders of a page assign
    /// nothing at the top level and define no macro, and skip both)...
    vars: std::sync::OnceLock<Arc<Mutex<CtxVars>>>,
    /// ...or those of the context this one is a clone of: set when the clone is made (a
    /// macro call clones its macro's context, and a once-cell made already set costs a call
    /// of its initializer), when `vars` stays empty.
    shared: Option<Arc<Mutex<CtxVars>>>,
    pub(crate) parent: Parent,
    /// The template the context was made for (Jinja2's `context.name`, shown by `self`).
    pub(crate) template: Option<Arc<Program>>,
}

impl Clone for Ctx {
    /// A clone shares the top-level assignments (a macro sees its template's).
    fn clone(&self) -> Ctx {
        Ctx {
            vars: std::sync::OnceLock::new(),
            shared: Some(self.shared_vars().clone()),
            parent: self.parent.clone(),
            template: self.template.clone(),
        }
    }
}

/// A template's top-level assignments and the names it exports, in export order.
#[derive(Default, Debug)]
pub(crate) struct CtxVars {
    pub(crate) vars: crate::value::StrMap,
    pub(crate) exported: Vec<Str>,
    /// Names the running parent template (`extends`; the address of its program) starts
    /// without that a child template assigned: undefined to the parent's own code (and its
    /// macros) until it assigns them.
    pub(crate) shadow: Vec<Str>,
    pub(crate) shadow_of: usize,
}

/// The variables a template was rendered with.
#[derive(Clone)]
pub(crate) enum Parent {
    /// Names to values.
    Map(Arc<crate::value::StrMap>),
    /// The caller's dict itself, when all its keys are str: read in place rather than copied
    /// into a map on every render (templates only read it; their assignments go to `vars`).
    Dict(Arc<crate::value::DictCell>),
    /// Names over another parent: what a template included or imported with context sees
    /// of its includer (top-level assignments and locals over the includer's own variables),
    /// without copying those variables into a map of their own for every include.
    Layered(Arc<(crate::value::StrMap, Parent)>),
}

impl std::fmt::Debug for Parent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.to_map().iter()).finish()
    }
}

impl Default for Parent {
    fn default() -> Parent {
        Parent::Map(Default::default())
    }
}

impl Parent {
    fn get(&self, name: &str) -> Option<Value> {
        match self {
            Parent::Map(m) => m.get(name).cloned(),
            Parent::Dict(d) => crate::value::map_get_str(&d.lock(), name).cloned(),
            Parent::Layered(l) => {
                let (top, base) = &**l;
                match str_map_get(top, name) {
                    Some(v) => Some(v.clone()),
                    None => base.get(name),
                }
            }
        }
    }

    fn to_map(&self) -> crate::value::StrMap {
        match self {
            Parent::Map(m) => (**m).clone(),
            Parent::Dict(d) => d
                .lock()
                .iter()
                .map(|(k, v)| match k {
                    Value::Str(s) => (s.clone(), v.clone()),
                    k => (Arc::from(k.to_str().as_str()), v.clone()),
                })
                .collect(),
            Parent::Layered(l) => {
                // As if the names were inserted into a copy of the parent's, one by one.
                let (top, base) = &**l;
                let mut all = base.to_map();
                for (k, v) in top {
                    all.insert(k.clone(), v.clone());
                }
                all
            }
        }
    }
}

impl Ctx {
    pub(crate) fn new(parent: crate::value::StrMap) -> Ctx {
        Ctx::with_parent(Parent::Map(Arc::new(parent)))
    }

    pub(crate) fn with_parent(parent: Parent) -> Ctx {
        Ctx { vars: Default::default(), shared: None, parent, template: None }
    }

    fn shared_vars(&self) -> &Arc<Mutex<CtxVars>> {
        match &self.shared {
            Some(v) => v,
            None => self.vars.get_or_init(Default::default),
        }
    }

    /// The top-level assignments, for writing (made if need be).
    fn vars(&self) -> std::sync::MutexGuard<'_, CtxVars> {
        self.shared_vars().lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The top-level assignments, for reading: `None` when nothing was assigned.
    fn vars_if_any(&self) -> Option<std::sync::MutexGuard<'_, CtxVars>> {
        let v = match &self.shared {
            Some(v) => v,
            None => self.vars.get()?,
        };
        Some(v.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Top-level variable `name`.
    #[inline]
    fn get_var(&self, name: &str) -> Option<Value> {
        Ctx::var_in(&*self.vars_if_any()?, name)
    }

    /// Top-level variable `name` of the locked assignments `g`.
    #[inline]
    fn var_in(g: &CtxVars, name: &str) -> Option<Value> {
        str_map_get(&g.vars, name).cloned()
    }

    /// What a template included or imported with context sees: [`Ctx::get_all`] overlaid
    /// with `locals` (in order), as a parent that shares this context's variables.
    fn layered(&self, locals: Vec<(Str, Value)>) -> Parent {
        let mut top = crate::value::StrMap::default();
        if let Some(g) = self.vars_if_any() {
            top.reserve(g.vars.len() + locals.len());
            for (k, v) in g.vars.iter() {
                top.insert(k.clone(), v.clone());
            }
        }
        for (k, v) in locals {
            top.insert(k, v);
        }
        if top.is_empty() {
            return self.parent.clone();
        }
        Parent::Layered(Arc::new((top, self.parent.clone())))
    }

    /// Everything visible: the passed variables overlaid with the top-level assignments.
    pub(crate) fn get_all(&self) -> crate::value::StrMap {
        let mut all = self.parent.to_map();
        if let Some(g) = self.vars_if_any() {
            for (k, v) in g.vars.iter() {
                all.insert(k.clone(), v.clone());
            }
        }
        all
    }

    /// The exported names and their values, in export order.
    pub(crate) fn exported(&self) -> crate::value::StrMap {
        let Some(g) = self.vars_if_any() else { return Default::default() };
        g.exported.iter().filter_map(|k| g.vars.get(k).map(|v| (k.clone(), v.clone()))).collect()
    }
}

/// How a statement list ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    Normal,
    Break,
    Continue,
}

use stack::grow;

/// Run `$e`, first moving to a fresh stack segment when little stack is left, so that deep
/// template recursion ends in a RecursionError (see `MAX_DEPTH`) rather than a stack overflow,
/// whatever the calling thread's stack size. Inside the state's [`stack::StackWindow`] the
/// answer is known without asking `stacker`.
macro_rules! with_stack {
    ($self:ident, $e:expr) => {
        if $self.stack.contains_here() {
            $e
        } else {
            $self.stack.settle();
            grow(|| $e)
        }
    };
}

fn type_err(msg: String) -> Error {
    Error::new(ErrorKind::TypeError, msg)
}

/// Jinja2's error for `{% set x.attr = ... %}` where `x` is not a namespace.
fn not_a_namespace() -> Error {
    Error::new(ErrorKind::TemplateRuntimeError, "cannot assign attribute on non-namespace object")
}

fn bad_bytecode() -> Error {
    Error::new(ErrorKind::BadBytecode, "malformed program")
}

impl<'env> State<'env> {
    fn suppressed(&self) -> bool {
        self.in_root && self.extended.is_some()
    }

    fn locate(&self, mut err: Error, span: Span) -> Error {
        if !err.has_location() {
            err.attach(&self.program.name, span.line as usize, span.col as usize, None);
        }
        err
    }

    // ---- names -------------------------------------------------------------------------

    /// Resolve a name: frames, then the template's top-level vars, the passed context, the
    /// environment's globals; otherwise undefined.
    pub(crate) fn lookup(&self, name: &str) -> Value {
        self.resolve(name)
    }

    /// Resolve a name as the template would (Jinja2's `context.resolve`): locals, the
    /// template's top-level assignments, the render context, globals; else undefined. For
    /// filters and functions that need the render context (`pass_context`).
    pub fn resolve(&self, name: &str) -> Value {
        match self.local(name) {
            Some(v) => v.clone(),
            None => self.resolve_outer(name),
        }
    }

    /// The value of `name` when a frame holds it (a borrow).
    #[inline]
    fn local(&self, name: &str) -> Option<&Value> {
        for frame in self.frames.iter().rev() {
            for (k, v) in frame.vars.iter().rev() {
                if same_name(k, name) {
                    return Some(v);
                }
            }
        }
        None
    }

    /// [`State::resolve`] for a name no frame holds.
    #[inline(never)]
    fn resolve_outer(&self, name: &str) -> Value {
        if let Some(g) = self.ctx.vars_if_any() {
            // (One lock for both: whether the name is shadowed, and its value.)
            if self.shadowed_in(&g, name) && !self.top_missing.is_empty() && self.top_missing_has(name) {
                return Value::undefined(self.env.undefined, name);
            }
            if let Some(v) = Ctx::var_in(&g, name) {
                return v;
            }
        }
        if !self.top_missing.is_empty() && self.top_missing_has(name) {
            return Value::undefined(self.env.undefined, name);
        }
        if let Some(v) = self.ctx.parent.get(name) {
            return v;
        }
        if name == "self" {
            return Value::object(objects::TemplateReference {
                name: self.ctx.template.as_ref().map(|p| p.name.clone()),
                blocks: self.blocks.keys().cloned().collect(),
            });
        }
        if let Some(v) = self.env.globals.get(name) {
            return v.clone();
        }
        Value::undefined(self.env.undefined, name)
    }

    /// Whether `name` is shadowed for the running template (see [`CtxVars::shadow`]), given
    /// the locked top-level assignments `g`.
    #[inline]
    fn shadowed_in(&self, g: &CtxVars, name: &str) -> bool {
        !g.shadow.is_empty()
            && g.shadow_of == Arc::as_ptr(&self.program) as usize
            && g.shadow.iter().any(|n| **n == *name)
    }

    /// Whether `name` is one the running template's top level starts without and has not
    /// assigned yet (it then reads as undefined, not from the render context).
    #[cold]
    fn top_missing_has(&self, name: &str) -> bool {
        let p = &*self.program;
        self.top_missing.of(&p.str_lists).iter().any(|&id| **p.str(id) == *name)
    }

    /// The value of a name expression when a frame holds it (a borrow; `None` for anything
    /// else, which then goes through [`State::eval`]).
    #[inline]
    fn frame_value(&self, p: &Program, e: ExprId) -> Option<&Value> {
        let Expr::Name(name) = p.expr(e) else { return None };
        self.local(p.str(name))
    }

    /// `local.attr` when `local` is in a frame and is a dict holding the key or an object with
    /// the attribute: the same answer as `getattr` (a dict method name wins over a key, as
    /// there), without cloning the container. `None` sends the caller the general way.
    fn local_attr(&self, p: &Program, obj: ExprId, attr: &str) -> Option<Value> {
        item_attr(self.frame_value(p, obj)?, attr)
    }

    fn assign_name(&mut self, name: Str, value: Value) {
        match self.frames.last_mut() {
            Some(f) => f.set(name, value),
            None => {
                let mut g = self.ctx.vars();
                if !g.shadow.is_empty() {
                    g.shadow.retain(|n| **n != *name);
                }
                g.vars.insert(name.clone(), value);
                if !name.starts_with('_') && !g.exported.contains(&name) {
                    g.exported.push(name);
                }
            }
        }
    }

    fn assign(&mut self, p: &Program, target: u32, value: Value) -> Result<()> {
        self.assign_to(p, target, value, false)
    }

    /// Assign `value` to `target`; `subscript` for a set block, whose `x.attr` target Jinja2
    /// compiles to a plain `x['attr'] = value` without the namespace check (a dict takes the
    /// key; anything else but a namespace is Python's TypeError).
    fn assign_to(&mut self, p: &Program, target: u32, value: Value, subscript: bool) -> Result<()> {
        match p.target(target) {
            Target::Name(n) => {
                self.assign_name(p.str(n).clone(), value);
                Ok(())
            }
            Target::Tuple(items) => {
                let items = items.of(&p.target_lists);
                let values = match value.iter_items() {
                    Ok(v) => v,
                    // Python's message for unpacking what cannot be iterated.
                    Err(e) if e.kind() == ErrorKind::TypeError && !value.is_undefined() => {
                        return Err(type_err(format!(
                            "cannot unpack non-iterable {} object",
                            value.type_name()
                        )))
                    }
                    Err(e) => return Err(e),
                };
                if values.len() != items.len() {
                    return Err(Error::new(
                        ErrorKind::ValueError,
                        if values.len() < items.len() {
                            format!(
                                "not enough values to unpack (expected {}, got {})",
                                items.len(),
                                values.len()
                            )
                        } else {
                            format!("too many values to unpack (expected {})", items.len())
                        },
                    ));
                }
                for (&t, v) in items.iter().zip(values.iter()) {
                    self.assign_to(p, t, v.clone(), subscript)?;
                }
                Ok(())
            }
            Target::Attr(obj, attr) => {
                // (A namespace in a frame, the usual `{% set ns.total = ... %}` in a loop, is
                // set where it is: no clone of it to look up.)
                if let Some(ns) = self.local(p.str(obj)).and_then(|v| v.downcast_object::<Namespace>()) {
                    return ns.set(p.str(attr), value);
                }
                let ns = self.lookup(p.str(obj));
                match ns.downcast_object::<Namespace>() {
                    Some(ns) => ns.set(p.str(attr), value),
                    None if !subscript => Err(not_a_namespace()),
                    None => match &ns {
                        Value::Dict(d) => {
                            d.lock().insert(Value::Str(p.str(attr).clone()), value);
                            Ok(())
                        }
                        Value::List(_) => {
                            Err(type_err("list indices must be integers or slices, not str".to_string()))
                        }
                        _ => Err(type_err(format!(
                            "'{}' object does not support item assignment",
                            ns.type_name()
                        ))),
                    },
                }
            }
        }
    }

    /// A `ns.attr` target whose `ns` is not a namespace: the error Jinja2 raises.
    fn check_namespace_target(&self, p: &Program, target: u32) -> Result<()> {
        match p.target(target) {
            Target::Attr(obj, _) => {
                if self.lookup(p.str(obj)).downcast_object::<Namespace>().is_none() {
                    return Err(not_a_namespace());
                }
            }
            Target::Tuple(items) => self.check_namespace_targets(p, items)?,
            Target::Name(_) => {}
        }
        Ok(())
    }

    /// `{% set ns.a, x = ... %}`: every namespace target of a tuple is checked first.
    #[cold]
    #[inline(never)]
    fn check_namespace_targets(&self, p: &Program, items: Range) -> Result<()> {
        for &t in items.of(&p.target_lists) {
            self.check_namespace_target(p, t)?;
        }
        Ok(())
    }

    /// The frames flattened into one (for closures, scoped blocks and includes); without the
    /// names still missing when `skip_missing` (Jinja2 passes only set locals on to includes,
    /// imports and scoped blocks).
    fn flatten_frames(&self, skip_missing: bool) -> Frame {
        self.flatten_frames_from(skip_missing, None)
    }

    /// `flatten_frames`, recording in `sources` the id of the frame each entry came from.
    fn flatten_frames_from(&self, skip_missing: bool, mut sources: Option<&mut Vec<u32>>) -> Frame {
        let mut f = Frame::default();
        for frame in &self.frames {
            for (i, (k, v)) in frame.vars.iter().enumerate() {
                let missing = frame.missing & missing_bit(i) != 0;
                if skip_missing && missing {
                    continue;
                }
                let j = match f.vars.iter().position(|(n, _)| same_name(n, k)) {
                    Some(j) => {
                        if let Some(slot) = f.vars.get_mut(j) {
                            slot.1 = v.clone();
                        }
                        f.missing &= !missing_bit(j);
                        j
                    }
                    None => {
                        f.vars.push((k.clone(), v.clone()));
                        f.vars.len() - 1
                    }
                };
                if missing {
                    f.missing |= missing_bit(j);
                }
                if let Some(src) = sources.as_deref_mut() {
                    src.resize(f.vars.len(), 0);
                    if let Some(s) = src.get_mut(j) {
                        *s = frame.id;
                    }
                }
            }
        }
        f
    }

    /// The frame numbered `id` if it still runs: on the stack, or on one a macro call or
    /// block suspended.
    fn live_frame(&self, id: u32) -> Option<&Frame> {
        self.frames
            .iter()
            .rev()
            .chain(self.suspended.iter().rev().flat_map(|s| s.iter().rev()))
            .find(|fr| fr.id == id)
    }

    /// Push a frame, numbering it (see [`Frame::id`]).
    fn push_frame(&mut self, mut f: Frame) {
        self.next_frame_id = self.next_frame_id.wrapping_add(1).max(1);
        f.id = self.next_frame_id;
        self.frames.push(f);
    }

    /// Open a frame for scope `body` of `p` (its missing names bound).
    #[inline]
    fn push_scope(&mut self, p: &Program, body: Range) {
        let f = self.frame_pool.scope_frame(p, body, self.env.undefined);
        self.push_frame(f);
    }

    /// Close the innermost frame, keeping its storage for the next.
    #[inline]
    fn pop_frame(&mut self) {
        if let Some(f) = self.frames.pop() {
            self.frame_pool.recycle(f);
        }
    }

    /// Return to the frame stack of the suspended caller, keeping the storage of the one left.
    fn resume_frames(&mut self) {
        let done = std::mem::replace(&mut self.frames, self.suspended.pop().unwrap_or_default());
        self.frame_pool.recycle_stack(done);
    }

    // ---- output ------------------------------------------------------------------------

    /// A slice as Jinja2's `as_const` takes it (`environment.getitem(obj, slice(...))`): a
    /// TypeError (not subscriptable, bad bounds) is an undefined named by the slice.
    #[cold]
    fn const_slice(&self, o: Value, a: Option<Value>, b: Option<Value>, c: Option<Value>) -> Result<Value> {
        let bound = |v: &Option<Value>| v.as_ref().map_or_else(|| "None".to_string(), Value::repr);
        let name = format!("slice({}, {}, {})", bound(&a), bound(&b), bound(&c));
        match slice(&o, a, b, c) {
            Err(e) if e.kind() == ErrorKind::TypeError => {
                Ok(Value::Undefined(Arc::new(crate::value::Undefined {
                    kind: self.env.undefined,
                    name: Some(Value::object(objects::SliceName(name))),
                    obj: Some(o.object_type_repr()),
                    hint: None,
                })))
            }
            r => r,
        }
    }

    /// [`State::write_value`] for the lowering's constant output.
    pub(crate) fn write_const(&self, out: &mut String, v: &Value) -> Result<()> {
        self.write_value(out, v)
    }

    /// Write a printed value: str escaped when autoescaping, everything else through `str()`.
    #[inline]
    fn write_value(&self, out: &mut String, v: &Value) -> Result<()> {
        match v {
            Value::Str(s) => {
                if self.autoescape {
                    markup::escape_into(out, s)
                } else {
                    out.push_str(s)
                }
            }
            Value::Markup(s) => out.push_str(s),
            Value::Int(i) => write_int(out, *i),
            _ => return self.write_other(out, v),
        }
        Ok(())
    }

    #[inline(never)]
    fn write_other(&self, out: &mut String, v: &Value) -> Result<()> {
        match v {
            Value::Undefined(u) => {
                if u.kind == UndefinedKind::Strict {
                    return Err(u.error());
                }
                let s = v.to_str();
                if self.autoescape {
                    markup::escape_into(out, &s)
                } else {
                    out.push_str(&s)
                }
            }
            Value::None | Value::Bool(_) | Value::Float(_) => crate::value::repr::write_repr(out, v),
            Value::BigInt(_) => {
                crate::value::repr::check_int_digits(v)?;
                crate::value::repr::write_repr(out, v)
            }
            _ => {
                let s = v.to_str();
                if self.autoescape && !v.is_safe() {
                    markup::escape_into(out, &s)
                } else {
                    out.push_str(&s)
                }
            }
        }
        Ok(())
    }

    /// Write a value unescaped (call and filter blocks yield their result as is, in an
    /// extending template too: Jinja2 drops only output nodes there).
    fn write_raw(&self, out: &mut String, v: &Value) -> Result<()> {
        match v {
            Value::Str(s) | Value::Markup(s) => {
                out.push_str(s);
                Ok(())
            }
            Value::Undefined(u) if u.kind == UndefinedKind::Strict => Err(u.error()),
            // Jinja2 yields the value as it is, and joining the output then fails on it.
            _ => Err(type_err(format!(
                "sequence item: expected str instance, {} found",
                match v {
                    Value::Undefined(_) => "Undefined",
                    _ => v.type_name(),
                }
            ))),
        }
    }

    /// Run `body` in a frame of its own, collecting its output.
    fn capture(&mut self, p: &Program, body: Range) -> Result<String> {
        self.push_scope(p, body);
        let mut buf = String::with_capacity(CAPTURE_CAPACITY);
        let r = self.exec_block(p, body, &mut buf);
        self.pop_frame();
        r.map(|_| buf)
    }

    /// [`State::capture`] for a filter or set block (counted in [`State::captures`]); when it
    /// is the outermost one of the running render function, the output that bypassed it
    /// ([`State::bypass`]) is written to `out` first.
    #[inline(never)]
    fn capture_block(&mut self, p: &Program, body: Range, out: &mut String) -> Result<String> {
        self.captures += 1;
        let r = self.capture(p, body);
        self.captures -= 1;
        if self.captures == 0 && !self.bypass.is_empty() {
            out.push_str(&self.bypass);
            self.bypass.clear();
        }
        r
    }

    /// Render an included template into `out`; without context inside a filter or set block,
    /// into [`State::bypass`] instead, past the capture buffers.
    #[inline(never)]
    fn render_include(
        &mut self,
        program: Arc<Program>,
        ctx: Ctx,
        with_context: bool,
        out: &mut String,
    ) -> Result<Ctx> {
        if self.captures == 0 || with_context {
            return self.render_isolated(program, ctx, out);
        }
        let mut text = String::new();
        let r = self.render_isolated(program, ctx, &mut text);
        self.bypass.push_str(&text);
        r
    }

    /// Wrap captured output as Jinja2 does: Markup when autoescaping.
    fn captured(&self, s: String) -> Value {
        if self.autoescape {
            Value::markup(s)
        } else {
            Value::from(s)
        }
    }

    // ---- statements --------------------------------------------------------------------

    pub(crate) fn exec_block(&mut self, p: &Program, body: Range, out: &mut String) -> Result<Flow> {
        for &sid in p.body(body) {
            // Template data and printed locals, most of what a page executes, stay in this
            // small loop; everything else goes through `exec`.
            match p.stmt(sid) {
                Stmt::Data(d) => {
                    if !self.suppressed() {
                        out.push_str(p.data(d));
                    }
                    continue;
                }
                Stmt::Emit(e) if !self.suppressed() => {
                    if let Err(err) = self.emit(p, e, out) {
                        return Err(self.locate(err, p.stmt_span(sid)));
                    }
                    continue;
                }
                _ => {}
            }
            match with_stack!(self, self.exec(p, sid, out)) {
                Ok(Flow::Normal) => {}
                Ok(flow) => return Ok(flow),
                Err(e) => return Err(self.locate(e, p.stmt_span(sid))),
            }
        }
        Ok(Flow::Normal)
    }

    /// Print expression `e` (output not suppressed).
    #[inline]
    fn emit(&mut self, p: &Program, e: ExprId, out: &mut String) -> Result<()> {
        match p.expr(e) {
            Expr::Name(n) => {
                let name = p.str(n);
                match self.local(name) {
                    // A local printed as it is: written from the frame, without a clone.
                    Some(v) => self.write_value(out, v),
                    None => {
                        let v = self.resolve_outer(name);
                        self.write_value(out, &v)
                    }
                }
            }
            Expr::GetAttr(obj, attr) => {
                let name = p.str(attr);
                if let Some(o) = self.frame_value(p, obj) {
                    // `{{ post.title }}` of a local: a scalar written from the dict, without a
                    // clone (and its drop).
                    let plain = plain_attr(name) && !crate::methods::is_dict_method(name);
                    if let Some(r) = with_item_attr(o, name, plain, |v| self.write_value(out, v)) {
                        return r;
                    }
                }
                let v = match self.eval(p, obj).and_then(|o| self.getattr(&o, name)) {
                    Ok(v) => v,
                    Err(err) => return Err(self.locate(err, p.expr_span(e))),
                };
                self.write_value(out, &v)
            }
            Expr::Call(f, args) => {
                if let Some(r) = self.emit_loop_cycle(p, f, args, out) {
                    return r;
                }
                // A macro call prints straight into the output (not where its result is no
                // Markup and would be escaped: see `State::eval_autoescape`).
                let sink = if self.autoescape && !self.eval_autoescape { None } else { Some(&mut *out) };
                let r = with_stack!(self, self.call_expr(p, f, args, None, sink));
                match r {
                    Ok(Some(v)) => self.write_value(out, &v),
                    Ok(None) => Ok(()),
                    Err(err) => Err(self.locate(err, p.expr_span(e))),
                }
            }
            Expr::Filter { value: Some(inner), name, args } => {
                if let Some(r) = self.emit_filtered(p, e, inner, name, args, out) {
                    return r;
                }
                let v = self.eval(p, e)?;
                self.write_value(out, &v)
            }
            _ => {
                let v = self.eval(p, e)?;
                self.write_value(out, &v)
            }
        }
    }

    /// `{{ x|f(...) }}` when `f` is a builtin filter printed without its value made: `default`
    /// (see [`State::emit_default_passed`]), and `escape`, `lower` and `title` without
    /// arguments (see [`State::emit_escaped`], [`State::emit_cased`]). The filter is found
    /// once for all of them; `None` (nothing evaluated) sends the caller the general way.
    #[inline]
    fn emit_filtered(
        &mut self,
        p: &Program,
        e: ExprId,
        inner: ExprId,
        name: StrId,
        args: u32,
        out: &mut String,
    ) -> Option<Result<()>> {
        let env = self.env;
        let i =
            self.name_memo.index(state::MemoKind::Filter, p.str(name), |n| env.filters.get_index_of(n))?;
        let (_, f) = env.filters.get_index(i)?;
        let is = |b: &Option<crate::environment::FilterFn>| b.as_ref().is_some_and(|b| Arc::ptr_eq(b, f));
        if is(&env.builtin_default) {
            return self.emit_default_passed(p, inner, f, args, out);
        }
        let a = p.call_args(args);
        if a.args.len != 0 || !a.kwargs.is_empty() || a.dyn_args.is_some() || a.dyn_kwargs.is_some() {
            return None;
        }
        if is(&env.builtin_escape) {
            return Some(self.emit_escaped(p, e, inner, out));
        }
        let title = if is(&env.builtin_lower) {
            false
        } else if is(&env.builtin_title) {
            true
        } else {
            return None;
        };
        Some(self.emit_cased(p, e, inner, f, title, out))
    }

    /// `{{ loop.cycle('odd', 'even') }}` with literal arguments only: the one argument
    /// `LoopContext.cycle` picks for the current item is written (evaluating the others is
    /// unobservable), without the argument vector and the method call. `None` sends the
    /// caller the general way.
    #[inline]
    fn emit_loop_cycle(&mut self, p: &Program, f: ExprId, args: u32, out: &mut String) -> Option<Result<()>> {
        let Expr::GetAttr(obj, name) = p.expr(f) else { return None };
        if &**p.str(name) != "cycle" {
            return None;
        }
        let a = p.call_args(args);
        if !a.kwargs.is_empty() || a.dyn_args.is_some() || a.dyn_kwargs.is_some() {
            return None;
        }
        let items = p.exprs_in(a.args);
        if items.is_empty() || !items.iter().all(|&e| constant(p, e)) {
            return None;
        }
        let Some(Value::Object(o)) = self.frame_value(p, obj) else { return None };
        let lo = o.as_any().downcast_ref::<LoopObject>()?;
        let &chosen = items.get(lo.index0() % items.len())?;
        Some(self.eval(p, chosen).and_then(|v| self.write_value(out, &v)))
    }

    /// `{{ x|e }}` with the builtin `escape`: `x` is evaluated and a str written escaped, a
    /// Markup as it is (what printing the Markup `escape` makes of them writes), without the
    /// escaped copy; anything else is escaped the filter's way and printed.
    #[inline]
    fn emit_escaped(&mut self, p: &Program, e: ExprId, inner: ExprId, out: &mut String) -> Result<()> {
        if self.with_local(p, inner, |v| write_escaped(out, v)).is_some() {
            return Ok(());
        }
        let v = self.eval(p, inner)?;
        if write_escaped(out, &v).is_some() {
            return Ok(());
        }
        match crate::filters::escape_value(&v) {
            Ok(m) => self.write_value(out, &m),
            Err(err) => Err(self.locate(err, p.expr_span(e))),
        }
    }

    /// `f` of the value of `e` where it is, when `e` is a local, or a str key of a local dict
    /// holding a scalar (`user.name`, `row['key']`, `row[col]` with `col` a local str), and `f`
    /// takes it (answers `Some`); `None` otherwise. Reading those is unobservable, so the
    /// caller then evaluates `e` as usual (which finds the same value).
    #[inline]
    fn with_local<R>(&self, p: &Program, e: ExprId, f: impl FnOnce(&Value) -> Option<R>) -> Option<R> {
        match p.expr(e) {
            Expr::Name(n) => f(self.local(p.str(n))?),
            Expr::GetAttr(obj, attr) => {
                let attr = p.str(attr);
                if !plain_attr(attr) || crate::methods::is_dict_method(attr) {
                    return None;
                }
                scalar_item_attr(self.frame_value(p, obj)?, attr, true, f)?
            }
            Expr::GetItem(obj, key) => {
                let k: &str = match p.expr(key) {
                    Expr::Name(n) => self.local(p.str(n))?.as_str()?,
                    Expr::Str(s) => p.str(s),
                    _ => return None,
                };
                scalar_item_attr(self.frame_value(p, obj)?, k, true, f)?
            }
            _ => None,
        }
    }

    /// `{{ x|lower }}` and `{{ x|title }}` with the builtin filters: `x` is evaluated and an
    /// ASCII str or Markup written mapped straight into the output (`lower` keeps Markup, as
    /// Markup's `lower` does; `title` makes a str of either, as Jinja2's join does), escaped
    /// as its result would be when printed; anything else goes through the filter `f` and is
    /// printed.
    #[inline]
    fn emit_cased(
        &mut self,
        p: &Program,
        e: ExprId,
        inner: ExprId,
        f: &crate::environment::FilterFn,
        title: bool,
        out: &mut String,
    ) -> Result<()> {
        let ae = self.autoescape;
        if self.with_local(p, inner, |v| write_cased(out, v, title, ae)).is_some() {
            return Ok(());
        }
        let v = self.eval(p, inner)?;
        if write_cased(out, &v, title, ae).is_some() {
            return Ok(());
        }
        match f(self, v, Args::default()) {
            Ok(r) => self.write_value(out, &r),
            Err(err) => Err(self.locate(err, p.expr_span(e))),
        }
    }

    /// `{{ x|default(...) }}` when the builtin `default` hands `x` back as it is (see
    /// [`default_passes`]) and `x` is a defined local, or a scalar under a str key of a local
    /// dict (`row[col]`, `row['key']`, `row.key`): written straight from the frame or the
    /// dict, without evaluating the filter or cloning the value. `None` sends the caller the
    /// general way (which finds the same answer).
    #[inline]
    fn emit_default_passed(
        &self,
        p: &Program,
        inner: ExprId,
        f: &crate::environment::FilterFn,
        args: u32,
        out: &mut String,
    ) -> Option<Result<()>> {
        if !matches!(p.expr(inner), Expr::Name(_) | Expr::GetAttr(..) | Expr::GetItem(..)) {
            return None;
        }
        if !default_passes(self.env, f, p, args) {
            return None;
        }
        self.with_local(p, inner, |v| (!v.is_undefined()).then(|| self.write_value(out, v)))
    }

    #[inline(never)]
    fn exec(&mut self, p: &Program, sid: StmtId, out: &mut String) -> Result<Flow> {
        match p.stmt(sid) {
            Stmt::Data(s) => {
                if !self.suppressed() {
                    out.push_str(p.data(s))
                }
            }
            Stmt::Emit(e) => {
                // Jinja2 drops an output node outside blocks of an extending template without
                // evaluating it.
                if !self.suppressed() {
                    self.emit(p, e, out)?;
                }
            }
            Stmt::If { branches, otherwise } => {
                for &(cond, body) in branches.of(&p.branches) {
                    if self.eval(p, cond)?.is_true()? {
                        return self.exec_block(p, body, out);
                    }
                }
                return self.exec_block(p, otherwise, out);
            }
            Stmt::For(l) => {
                let Some(def) = p.loop_def(l) else { return Err(bad_bytecode()) };
                let iter = self.eval(p, def.iter)?;
                self.inner_frame(|s| s.exec_for(p, l, iter, 0, None, out))?;
            }
            Stmt::Set { target, value } => {
                // Jinja2 checks a namespace target before evaluating the value.
                self.check_namespace_target(p, target)?;
                let v = self.eval(p, value)?;
                self.assign(p, target, v)?;
            }
            Stmt::SetBlock { target, filter, body } => {
                // A set block always captures: Jinja2 disables the output check after
                // `{% extends %}` for it.
                let saved_root = std::mem::replace(&mut self.in_root, false);
                let r = self.capture_block(p, body, out);
                self.in_root = saved_root;
                let mut v = self.captured(r?);
                if let Some(f) = filter {
                    v = self.eval_with_input(p, f, v)?;
                    // Jinja2 wraps the filtered value in `Markup(...)` when autoescaping,
                    // whatever the filters made of it (a list, a number: its str()).
                    if self.autoescape && !matches!(v, Value::Markup(_)) {
                        v = Value::markup(crate::filters::py_str(&v)?);
                    }
                }
                self.assign_to(p, target, v, true)?;
            }
            Stmt::Macro(m) => {
                let Some(def) = p.macro_def(m) else { return Err(bad_bytecode()) };
                let name = p.str(def.name).clone();
                let v = self.make_macro(m);
                self.assign_name(name, v);
            }
            Stmt::CallBlock { call, caller } => {
                let caller = self.make_caller(caller);
                let v = match p.expr(call) {
                    Expr::Call(f, args) => match self.call_expr(p, f, args, Some(caller), Some(out))? {
                        Some(v) => v,
                        None => return Ok(Flow::Normal),
                    },
                    _ => self.eval(p, call)?,
                };
                self.write_raw(out, &v)?;
            }
            Stmt::FilterBlock { filter, body } => {
                let buf = self.inner_frame(|s| s.capture_block(p, body, out))?;
                let input = self.captured(buf);
                let v = self.eval_with_input(p, filter, input)?;
                self.write_raw(out, &v)?;
            }
            Stmt::With { assigns, body } => {
                let assigns = assigns.of(&p.assigns);
                let mut values = Vec::with_capacity(assigns.len());
                for &(_, e) in assigns {
                    values.push(self.eval(p, e)?);
                }
                self.push_scope(p, body);
                let mut r = Ok(Flow::Normal);
                for (&(t, _), v) in assigns.iter().zip(values) {
                    if let Err(e) = self.assign(p, t, v) {
                        r = Err(e);
                        break;
                    }
                }
                if r.is_ok() {
                    r = self.inner_frame(|s| s.exec_block(p, body, out));
                }
                self.pop_frame();
                return r;
            }
            Stmt::Block(b) => {
                // After `{% extends %}` Jinja2 skips only the blocks of toplevel frames (the
                // root and its `if` branches).
                if !self.suppressed() || self.root_inner {
                    let Some(def) = p.blocks.get(b as usize) else { return Err(bad_bytecode()) };
                    let (name, scoped) = (p.strings.text(def.name), def.scoped);
                    // Jinja2 checks a required block where its statement renders it, when
                    // nothing overrides it (`len(context.blocks[name]) <= 1`): `self.name()`
                    // and `super()` render its (empty) body.
                    if def.required && self.blocks.get(name).map_or(0, |l| l.len()) <= 1 {
                        return Err(Error::new(
                            ErrorKind::TemplateRuntimeError,
                            format!("Required block '{}' not found", name),
                        ));
                    }
                    self.render_block_scoped(name, 0, scoped, out)?;
                }
            }
            Stmt::Extends(e) => {
                let v = self.eval(p, e)?;
                if self.extended.is_some() {
                    return Err(Error::new(ErrorKind::TemplateRuntimeError, "extended multiple times"));
                }
                let parent = self.template_from_value(&v)?;
                for (i, b) in parent.blocks.iter().enumerate() {
                    let name = parent.strings.text(b.name).to_string();
                    self.blocks.entry(name).or_default().push((parent.clone(), i));
                }
                self.extended = Some(parent);
            }
            Stmt::Include { template, ignore_missing, with_context } => {
                let v = self.eval(p, template)?;
                let program = match self.include_target(&v) {
                    Ok(p) => p,
                    Err(e)
                        if ignore_missing
                            && matches!(
                                e.kind(),
                                ErrorKind::TemplateNotFound | ErrorKind::TemplatesNotFound
                            ) =>
                    {
                        return Ok(Flow::Normal)
                    }
                    Err(e) => return Err(e),
                };
                // (Output of an include is kept in an extending template too, as in Jinja2.)
                let ctx = if with_context {
                    Ctx::with_parent(self.ctx.layered(self.flatten_frames(true).vars))
                } else {
                    Ctx::new(IndexMap::default())
                };
                let caller_name = self.program.name.clone();
                self.render_include(program, ctx, with_context, out).map_err(|mut e| {
                    // (The span table is decoded only when an error needs a position.)
                    e.push_trace(&caller_name, p.stmt_span(sid).line as usize);
                    e
                })?;
            }
            Stmt::Import { template, target, with_context } => {
                let v = self.eval(p, template)?;
                let module = self.import_module(&v, with_context)?;
                self.assign_name(p.str(target).clone(), module);
            }
            Stmt::FromImport { template, names, with_context } => {
                let v = self.eval(p, template)?;
                let module = self.import_module(&v, with_context)?;
                for &(name, alias) in names.of(&p.imports) {
                    let name = p.str(name);
                    let value = match module.get_attr_raw(name) {
                        Some(v) => v,
                        None => self.undefined_at(
                            self.env.undefined,
                            p,
                            Node::Stmt(sid),
                            Cow::Owned(format!(
                                "the template {} (imported on ",
                                crate::value::repr::str_repr(&module_name(&module))
                            )),
                            Cow::Owned(format!(
                                ") does not export the requested name {}",
                                crate::value::repr::str_repr(name)
                            )),
                        ),
                    };
                    let bound = match alias {
                        Some(a) => p.str(a).clone(),
                        None => name.clone(),
                    };
                    self.assign_name(bound, value);
                }
            }
            Stmt::Autoescape { value, body } => {
                let on = self.eval(p, value)?.is_true()?;
                let saved = std::mem::replace(&mut self.autoescape, on);
                let saved_eval = std::mem::replace(&mut self.eval_autoescape, on);
                self.push_scope(p, body);
                let r = self.inner_frame(|s| s.exec_block(p, body, out));
                self.pop_frame();
                self.eval_autoescape = saved_eval;
                self.autoescape = saved;
                return r;
            }
            Stmt::Do(e) => {
                self.eval(p, e)?;
            }
            Stmt::Break => return Ok(Flow::Break),
            Stmt::Continue => return Ok(Flow::Continue),
            Stmt::Trans(t) => {
                let Some(def) = p.trans.get(t as usize) else { return Err(bad_bytecode()) };
                self.exec_trans(p, def, out)?;
            }
            Stmt::Debug => {
                if !self.suppressed() {
                    let all = self.ctx.get_all();
                    let mut s = String::from("{'context': {");
                    for (i, (k, v)) in all.iter().enumerate() {
                        if i > 0 {
                            s.push_str(", ");
                        }
                        s.push_str(&crate::value::repr::str_repr(k));
                        s.push_str(": ");
                        s.push_str(&v.repr());
                    }
                    s.push_str("}}");
                    out.push_str(&s);
                }
            }
        }
        Ok(Flow::Normal)
    }

    fn exec_trans(&mut self, p: &Program, def: &TransDef, out: &mut String) -> Result<()> {
        let mut values: IndexMap<Str, Value> = IndexMap::default();
        for &(k, e) in def.vars.of(&p.kwargs) {
            let v = self.eval(p, e)?;
            values.insert(p.str(k).clone(), v);
        }
        for &name in def.referenced.of(&p.str_lists) {
            let name = p.str(name);
            if !values.contains_key(name) {
                let v = self.lookup(name);
                values.insert(name.clone(), v);
            }
        }
        let mut text = p.str(def.singular);
        if let Some((pl, count)) = def.plural {
            let n = self.eval(p, count)?;
            if n.as_i64() != Some(1) {
                text = p.str(pl);
            }
        }
        let mut map = crate::value::Map::default();
        for (k, v) in values {
            map.insert(Value::Str(k), v);
        }
        let rendered = crate::filters::printf::percent_format(text, &Value::dict(map))?;
        if !self.suppressed() {
            if self.autoescape {
                markup::escape_into(out, &rendered);
            } else {
                out.push_str(&rendered);
            }
        }
        Ok(())
    }

    /// Run loop `l` of `p` over `iter`. A recursive loop's `loop(...)` calls come back here
    /// with the program that holds the loop (`recursive_program`, shared by the loop object).
    pub(crate) fn exec_for(
        &mut self,
        p: &Program,
        l: u32,
        iter: Value,
        depth0: usize,
        recursive_program: Option<Arc<Program>>,
        out: &mut String,
    ) -> Result<()> {
        let Some(&f) = p.loop_def(l) else { return Err(bad_bytecode()) };
        if !f.extended {
            if let Value::Object(o) = &iter {
                if let Some(first) = o.next_item() {
                    return self.exec_for_lazy(p, f, o.as_ref(), first, out);
                }
            }
        }
        // A loop that reads `loop` over a generator takes its items as it goes (not through
        // a filter: that is evaluated here, on all items first).
        let lazy = if f.filter.is_none() { LazyItems::of(&iter) } else { None };
        // A simple loop (see [`SimpleLoop`]) runs without a frame and a loop object.
        let simple = if self.suppressed() || lazy.is_some() { None } else { simple_loop(p, l) };
        if let Some(sl) = simple {
            if let Value::List(list) = &iter {
                if sl.flags.item_only {
                    if let Some(r) = self.exec_simple_list(p, &sl.ops, sl.flags, list, depth0, out) {
                        return r;
                    }
                }
            }
        }
        // A list's snapshot or a tuple's items, shared: not copied for the loop.
        let mut items = if lazy.is_some() { crate::value::Items::default() } else { iter.iter_items()? };
        if let Some(sl) = simple {
            if !items.is_empty() {
                return self.exec_simple_loop(p, &sl.ops, sl.flags.tight, &items, depth0, out);
            }
        }
        // (The filter runs in a scope of its own: the body's missing names are not bound.)
        let missing = p.missing_of(f.body);
        let frame = self.frame_pool.frame();
        self.push_frame(frame);
        if let Some(cond) = f.filter {
            let mut kept = Vec::with_capacity(items.len());
            // A name target, once bound, is the filter frame's one entry: rebound in place
            // (what `Frame::set` does, without finding it by name for every item).
            let target_name = match p.target(f.target) {
                Target::Name(n) => Some(p.str(n).clone()),
                _ => None,
            };
            for item in items.iter() {
                let rebound = match (&target_name, self.frames.last_mut()) {
                    (Some(n), Some(fr)) if fr.missing == 0 && fr.vars.len() == 1 => {
                        match fr.vars.first_mut() {
                            Some((k, v)) if same_name(k, n) => {
                                *v = item.clone();
                                true
                            }
                            _ => false,
                        }
                    }
                    _ => false,
                };
                if !rebound {
                    if let Err(e) = self.assign(p, f.target, item.clone()) {
                        self.pop_frame();
                        return Err(e);
                    }
                }
                match self.eval(p, cond).and_then(|v| v.is_true()) {
                    Ok(true) => kept.push(item.clone()),
                    Ok(false) => {}
                    Err(e) => {
                        self.pop_frame();
                        return Err(e);
                    }
                }
            }
            items = crate::value::Items::Owned(kept);
            if let Some(fr) = self.frames.last_mut() {
                fr.truncate(0);
            }
        }
        if lazy.as_deref().map_or(items.is_empty(), LazyItems::is_empty) {
            let else_missing = p.missing_of(f.otherwise);
            if let Some(fr) = self.frames.last_mut() {
                fr.truncate(0);
                if !else_missing.is_empty() {
                    fr.bind_missing(p, else_missing, self.env.undefined);
                }
            }
            let r = self.exec_block(p, f.otherwise, out);
            self.pop_frame();
            return r.map(|_| ());
        }
        if !f.extended && lazy.is_none() {
            // Jinja2 makes no `loop` for this loop: no loop object either.
            let r = self.exec_for_plain(p, f, &items, missing, out);
            self.pop_frame();
            return r;
        }
        let recursive = if f.recursive {
            let frame = self.frames.last().map_or(0, |fr| fr.id);
            Some((recursive_program.unwrap_or_else(|| self.program.clone()), l, frame))
        } else {
            None
        };
        let undefined = self.env.undefined;
        let lo = Arc::new_cyclic(|me| LoopObject::new(items, lazy, depth0, recursive, undefined, me.clone()));
        if let Some(fr) = self.frames.last_mut() {
            fr.truncate(0);
            fr.set(special_name(SpecialName::Loop), Value::Object(lo.clone()));
            if !f.extended {
                // Jinja2 makes no `loop` for a loop whose code never reads it: the body
                // cannot tell, but templates it includes or imports with context must not see
                // it (they see an enclosing loop's, if any). Marked like a name the scope
                // starts without, which those hand-overs skip.
                fr.missing |= missing_bit(0);
            }
        }
        let target = p.target(f.target);
        let mut result = Ok(());
        // All the items, or (lazy) as many as the iterator gives.
        let n = if lo.is_lazy() { usize::MAX } else { lo.len() };
        let mut next = 0;
        while next < n {
            let i = next;
            let item = if n == usize::MAX {
                match lo.item(i) {
                    Some(item) => item,
                    None => break,
                }
            } else {
                lo.eager_item(i)
            };
            lo.set_index(i);
            // Jinja2 re-initializes the loop body's names from the outer scope on every
            // iteration: assignments in one iteration are not seen by the next. A plain name
            // target keeps its slot right after `loop` (it cannot be `loop` itself: the
            // compiler rejects that), so only its value is replaced.
            let unbound = match (target, self.frames.last_mut()) {
                (Target::Name(n), Some(fr)) => {
                    let n = p.str(n);
                    match fr.vars.get_mut(1) {
                        Some((k, v)) if same_name(k, n) => {
                            *v = item;
                            if fr.vars.len() > 2 {
                                fr.truncate(2);
                            }
                        }
                        _ => {
                            fr.truncate(1);
                            fr.vars.push((n.clone(), item));
                        }
                    }
                    if !missing.is_empty() {
                        fr.bind_missing(p, missing, self.env.undefined);
                    }
                    None
                }
                (_, Some(fr)) => {
                    fr.truncate(1);
                    Some(item)
                }
                (_, None) => Some(item),
            };
            if let Some(item) = unbound {
                if let Err(e) = self.assign(p, f.target, item) {
                    result = Err(e);
                    break;
                }
                if !missing.is_empty() {
                    if let Some(fr) = self.frames.last_mut() {
                        fr.bind_missing(p, missing, self.env.undefined);
                    }
                }
            }
            match self.exec_block(p, f.body, out) {
                Ok(Flow::Break) => break,
                Ok(_) => {}
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
            // The body may have moved the loop on by iterating `loop` itself.
            next = lo.index0() + 1;
        }
        self.pop_frame();
        result
    }

    /// The iterations of an eager loop that makes no `loop` (not [`LoopDef::extended`], its
    /// items taken already), in the innermost frame (pushed for it, emptied): the target is
    /// bound first in the frame (a plain name keeps that slot from one iteration to the next),
    /// then the body's missing names. As [`State::exec_for_lazy`] does for an iterator, the
    /// frame has no `loop` (it is not passed on to includes and imports either way).
    ///
    /// [`LoopDef::extended`]: crate::compiler::program::LoopDef::extended
    fn exec_for_plain(
        &mut self,
        p: &Program,
        f: crate::compiler::program::LoopDef,
        items: &[Value],
        missing: &[StrId],
        out: &mut String,
    ) -> Result<()> {
        let target = p.target(f.target);
        for item in items {
            // Jinja2 re-initializes the loop body's names from the outer scope on every
            // iteration: assignments in one iteration are not seen by the next.
            let unbound = match (target, self.frames.last_mut()) {
                (Target::Name(n), Some(fr)) => {
                    let n = p.str(n);
                    match fr.vars.first_mut() {
                        Some((k, v)) if same_name(k, n) => {
                            *v = item.clone();
                            if fr.vars.len() > 1 {
                                fr.truncate(1);
                            }
                        }
                        _ => {
                            fr.truncate(0);
                            fr.vars.push((n.clone(), item.clone()));
                        }
                    }
                    if !missing.is_empty() {
                        fr.bind_missing(p, missing, self.env.undefined);
                    }
                    None
                }
                (_, Some(fr)) => {
                    fr.truncate(0);
                    Some(item.clone())
                }
                (_, None) => Some(item.clone()),
            };
            if let Some(item) = unbound {
                self.bind_loop_item(p, f.target, item, missing)?;
            }
            if let Flow::Break = self.exec_block(p, f.body, out)? {
                break;
            }
        }
        Ok(())
    }

    /// Bind a loop's item to its target in the innermost (emptied) frame, then the names its
    /// body starts without (Jinja2 re-initializes them from the outer scope every iteration).
    fn bind_loop_item(&mut self, p: &Program, target: u32, item: Value, missing: &[StrId]) -> Result<()> {
        self.assign(p, target, item)?;
        if !missing.is_empty() {
            if let Some(fr) = self.frames.last_mut() {
                fr.bind_missing(p, missing, self.env.undefined);
            }
        }
        Ok(())
    }

    /// A loop that never reads `loop` (Jinja2 makes no LoopContext for it) over a single-pass
    /// iterator (a generator), whose next item is `first`: the items are taken one at a time,
    /// as Python's `for` takes them, so the body sees what is left of the iterator (a loop
    /// over the same generator nested in it goes on from there), a `break` leaves the rest,
    /// and an error the generator keeps is raised only by reaching it.
    fn exec_for_lazy(
        &mut self,
        p: &Program,
        f: crate::compiler::program::LoopDef,
        iter: &dyn crate::value::Object,
        first: Result<Option<Value>>,
        out: &mut String,
    ) -> Result<()> {
        let frame = self.frame_pool.frame();
        self.push_frame(frame);
        let r = (|| {
            let missing = p.missing_of(f.body);
            let mut next = first;
            let mut ran = false;
            while let Some(item) = next? {
                if let Some(fr) = self.frames.last_mut() {
                    fr.truncate(0);
                }
                if let Some(cond) = f.filter {
                    // The filter reads the target in a scope of its own, as in the eager loop.
                    self.assign(p, f.target, item.clone())?;
                    let keep = self.eval(p, cond)?.is_true()?;
                    if let Some(fr) = self.frames.last_mut() {
                        fr.truncate(0);
                    }
                    if !keep {
                        next = iter.next_item().unwrap_or(Ok(None));
                        continue;
                    }
                }
                ran = true;
                self.bind_loop_item(p, f.target, item, missing)?;
                if let Flow::Break = self.exec_block(p, f.body, out)? {
                    break;
                }
                next = iter.next_item().unwrap_or(Ok(None));
            }
            if !ran {
                let else_missing = p.missing_of(f.otherwise);
                if let Some(fr) = self.frames.last_mut() {
                    fr.truncate(0);
                    if !else_missing.is_empty() {
                        fr.bind_missing(p, else_missing, self.env.undefined);
                    }
                }
                self.exec_block(p, f.otherwise, out)?;
            }
            Ok(())
        })();
        self.pop_frame();
        r
    }

    /// Run a simple loop's `ops` (see [`simple_loop`]) over `items`, at depth `depth0`;
    /// `tight` when the ops are data and the item only.
    fn exec_simple_loop(
        &mut self,
        p: &Program,
        ops: &[SimpleOp],
        tight: bool,
        items: &[Value],
        depth0: usize,
        out: &mut String,
    ) -> Result<()> {
        self.exec_simple_from(p, ops, tight, items, 0, items.len(), depth0, out)
    }

    /// [`State::exec_simple_loop`] for `items`, the loop's items from index `first` of `n`.
    #[allow(clippy::too_many_arguments)]
    fn exec_simple_from(
        &mut self,
        p: &Program,
        ops: &[SimpleOp],
        tight: bool,
        items: &[Value],
        first: usize,
        n: usize,
        depth0: usize,
        out: &mut String,
    ) -> Result<()> {
        if tight {
            return self.exec_tight(p, ops, items, out);
        }
        // (For one item, finding the names once costs as much as finding them for it.)
        let names = if items.len() > 1 { self.hoist_names(p, ops) } else { Hoisted::new() };
        for (i, item) in items.iter().enumerate() {
            self.run_simple::<false>(p, ops, &names, item, first + i, n, depth0, out)?;
        }
        Ok(())
    }

    /// The values of the names the ops of one simple loop read from the frames (`{{ name }}`,
    /// `{% if name %}`, a nested loop over a name, the `other` of `{{ other[target]|default(..)
    /// }}` when the filter is the builtin default as [`State::emit_other_item_default`] takes
    /// it), found once for all the loop's items: a simple body assigns nothing, so each name
    /// reads the same value for every item. Keyed by the op's expression; names no frame holds,
    /// and names past the first few, are left to each item.
    fn hoist_names(&mut self, p: &Program, ops: &[SimpleOp]) -> Hoisted {
        let mut names = Hoisted::new();
        let mut pc = 0;
        while let Some(op) = ops.get(pc) {
            pc += 1;
            let (key, name) = match *op {
                SimpleOp::Name(_, e) | SimpleOp::If(_, SimpleCond::Name(e), _) => (e, e),
                SimpleOp::OtherItemDefault(_, e, obj, _) => {
                    if !self.default_filter_passes(p, e) {
                        continue;
                    }
                    (e, obj)
                }
                SimpleOp::For(_, src, len, _) => {
                    // (The nested loop's body finds its own names when it runs.)
                    pc += len as usize;
                    match src {
                        SimpleSrc::Name(e) => (e, e),
                        SimpleSrc::Item => continue,
                    }
                }
                _ => continue,
            };
            if names.len() == names.inline_size() {
                break;
            }
            if let Some(v) = self.frame_value(p, name) {
                names.push((key, v.clone()));
            }
        }
        names
    }

    /// Data and the item only (`<td>{{ cell }}</td>`): the tightest loop, out of line so
    /// that its code does not depend on its callers'.
    #[inline(never)]
    fn exec_tight(&self, p: &Program, ops: &[SimpleOp], items: &[Value], out: &mut String) -> Result<()> {
        for item in items {
            for op in ops {
                match op {
                    SimpleOp::Data(d) => out.push_str(d),
                    &SimpleOp::Item(sid) => {
                        if let Value::Int(i) = item {
                            write_int(out, *i);
                        } else if let Err(err) = self.write_value(out, item) {
                            return Err(self.locate(err, p.stmt_span(sid)));
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }

    /// Run a simple loop whose ops only read the item ([`BodyFlags::item_only`]) over `list`
    /// in place, under its lock, rather than over a snapshot of its items: fine as long as
    /// what an op uses is a scalar or a scalar value of a dict item (using a scalar locks
    /// nothing; the dict is locked by itself, as containers are locked outer to inner). At
    /// the first item that is otherwise, its partial output is taken back and the loop goes
    /// on from a snapshot of the remaining items. `None`, having run nothing, for an empty
    /// list.
    fn exec_simple_list(
        &mut self,
        p: &Program,
        ops: &[SimpleOp],
        flags: BodyFlags,
        list: &crate::value::ListCell,
        depth0: usize,
        out: &mut String,
    ) -> Option<Result<()>> {
        let items = list.lock();
        let n = items.len();
        if n == 0 {
            return None;
        }
        if flags.tight && items.iter().all(is_scalar) {
            // `<td>{{ cell }}</td>` over a list of scalars: the tightest loop.
            return Some(self.exec_simple_from(p, ops, true, &items, 0, n, depth0, out));
        }
        for (i, item) in items.iter().enumerate() {
            let mark = out.len();
            match self.run_simple::<true>(p, ops, &[], item, i, n, depth0, out) {
                Ok(true) => {}
                Ok(false) => {
                    out.truncate(mark);
                    let rest: Vec<Value> = items.iter().skip(i).cloned().collect();
                    drop(items);
                    return Some(self.exec_simple_from(p, ops, flags.tight, &rest, i, n, depth0, out));
                }
                Err(e) => return Some(Err(e)),
            }
        }
        Some(Ok(()))
    }

    /// Run simple-loop `ops` once, for item `item` at index `i` of `n`. `LOCKED` when the
    /// item is read under its list's lock: then an op that would use anything but a scalar
    /// (see [`State::exec_simple_list`]) stops the run, which answers `false`.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn run_simple<const LOCKED: bool>(
        &mut self,
        p: &Program,
        ops: &[SimpleOp],
        names: &[(ExprId, Value)],
        item: &Value,
        i: usize,
        n: usize,
        depth0: usize,
        out: &mut String,
    ) -> Result<bool> {
        let mut pc = 0;
        while let Some(op) = ops.get(pc) {
            pc += 1;
            let (sid, r) = match op {
                SimpleOp::Data(d) => {
                    out.push_str(d);
                    continue;
                }
                &SimpleOp::Item(sid) => match item {
                    Value::Int(i) => {
                        write_int(out, *i);
                        continue;
                    }
                    _ if LOCKED && !is_scalar(item) => return Ok(false),
                    _ => (sid, self.write_value(out, item)),
                },
                &SimpleOp::ItemAttr(sid, e, attr, plain) => {
                    let attr = p.str(attr);
                    if LOCKED {
                        match scalar_item_attr(item, attr, plain, |v| self.write_value(out, v)) {
                            Some(r) => (sid, r),
                            None => return Ok(false),
                        }
                    } else {
                        match with_item_attr(item, attr, plain, |v| self.write_value(out, v)) {
                            Some(r) => (sid, r),
                            None => {
                                let v = self
                                    .getattr(item, attr)
                                    .map_err(|err| self.locate(err, p.expr_span(e)))?;
                                (sid, self.write_value(out, &v))
                            }
                        }
                    }
                }
                &SimpleOp::Loop(sid, c) => (sid, self.write_value(out, &c.value(i, n, depth0))),
                &SimpleOp::Name(sid, e) => {
                    if LOCKED {
                        return Ok(false);
                    }
                    match hoisted(names, e).or_else(|| self.frame_value(p, e)) {
                        Some(v) => (sid, self.write_value(out, v)),
                        None => {
                            let v = self.eval(p, e)?;
                            (sid, self.write_value(out, &v))
                        }
                    }
                }
                &SimpleOp::OtherItemDefault(sid, e, obj, target) => {
                    if LOCKED {
                        return Ok(false);
                    }
                    let written = match hoisted(names, e) {
                        Some(other) => self.other_item_default(other, item, out),
                        None => self.emit_other_item_default(p, e, obj, item, out),
                    };
                    match written {
                        Some(r) => (sid, r),
                        None => (sid, self.emit_with_item(p, e, target, item, out)),
                    }
                }
                &SimpleOp::If(sid, cond, skip) => {
                    let truth = match cond {
                        SimpleCond::Loop(c) => Ok(c.truth(i, n, depth0)),
                        SimpleCond::NotLoop(c) => Ok(!c.truth(i, n, depth0)),
                        SimpleCond::Item => {
                            if LOCKED && !is_scalar(item) {
                                return Ok(false);
                            }
                            item.is_true()
                        }
                        SimpleCond::ItemAttr(e, attr, plain) => {
                            let attr = p.str(attr);
                            if LOCKED {
                                match scalar_item_attr(item, attr, plain, Value::is_true) {
                                    Some(t) => t,
                                    None => return Ok(false),
                                }
                            } else {
                                match with_item_attr(item, attr, plain, Value::is_true) {
                                    Some(t) => t,
                                    None => {
                                        let v = self
                                            .getattr(item, attr)
                                            .map_err(|err| self.locate(err, p.expr_span(e)))?;
                                        v.is_true()
                                    }
                                }
                            }
                        }
                        SimpleCond::Name(e) => {
                            if LOCKED {
                                return Ok(false);
                            }
                            match hoisted(names, e).or_else(|| self.frame_value(p, e)) {
                                Some(v) => v.is_true(),
                                None => self.eval(p, e)?.is_true(),
                            }
                        }
                    };
                    match truth {
                        Ok(true) => continue,
                        Ok(false) => {
                            pc += skip as usize;
                            continue;
                        }
                        Err(err) => (sid, Err(err)),
                    }
                }
                &SimpleOp::Jump(skip) => {
                    pc += skip as usize;
                    continue;
                }
                &SimpleOp::For(sid, src, len, flags) => {
                    if LOCKED {
                        return Ok(false);
                    }
                    let Some(body) = ops.get(pc..pc + len as usize) else { return Err(bad_bytecode()) };
                    pc += len as usize;
                    let found = match src {
                        SimpleSrc::Name(e) => hoisted(names, e),
                        SimpleSrc::Item => None,
                    };
                    let r = self.run_simple_for(p, body, flags, src, found, item, out);
                    (sid, r)
                }
            };
            if let Err(err) = r {
                return Err(self.locate(err, p.stmt_span(sid)));
            }
        }
        Ok(true)
    }

    /// `{{ other[target]|default(...) }}` for loop item `item` ([`SimpleOp::OtherItemDefault`]):
    /// what [`State::emit_default_passed`] writes when the filter is the builtin `default`,
    /// `other` a local dict and `item` a str key of it holding a scalar. `None`, having
    /// written nothing, otherwise (see [`State::emit_with_item`]).
    #[inline]
    fn emit_other_item_default(
        &mut self,
        p: &Program,
        e: ExprId,
        obj: ExprId,
        item: &Value,
        out: &mut String,
    ) -> Option<Result<()>> {
        if !self.default_filter_passes(p, e) {
            return None;
        }
        self.other_item_default(self.frame_value(p, obj)?, item, out)
    }

    /// Whether `e` is a filter that [`State::emit_default_passed`] would take as the builtin
    /// `default` handing a defined value back.
    #[inline]
    fn default_filter_passes(&mut self, p: &Program, e: ExprId) -> bool {
        let Expr::Filter { name, args, .. } = p.expr(e) else { return false };
        let env = self.env;
        let Some(i) =
            self.name_memo.index(state::MemoKind::Filter, p.str(name), |n| env.filters.get_index_of(n))
        else {
            return false;
        };
        env.filters.get_index(i).is_some_and(|(_, f)| default_passes(env, f, p, args))
    }

    /// [`State::emit_other_item_default`] once the filter is known to be the builtin default
    /// and `other` is the value of the local: write `other[item]` when `item` is a str key of
    /// the dict `other` holding a defined scalar; `None`, having written nothing, otherwise.
    #[inline]
    fn other_item_default(&self, other: &Value, item: &Value, out: &mut String) -> Option<Result<()>> {
        let k = item.as_str()?;
        scalar_item_attr(other, k, true, |v| (!v.is_undefined()).then(|| self.write_value(out, v)))?
    }

    /// Print `e` the general way with a simple loop's `item` bound to its `target`, in a frame
    /// of its own (as the loop's frame would hold it: a simple body assigns nothing).
    #[cold]
    #[inline(never)]
    fn emit_with_item(
        &mut self,
        p: &Program,
        e: ExprId,
        target: StrId,
        item: &Value,
        out: &mut String,
    ) -> Result<()> {
        let mut frame = self.frame_pool.frame();
        frame.set(p.str(target).clone(), item.clone());
        self.push_frame(frame);
        let r = self.emit(p, e, out);
        self.pop_frame();
        r
    }

    /// A nested simple loop over `src` (the enclosing item or a name) with `body`, whose
    /// [`BodyFlags`] are `flags`; `found`, the value of that name when the enclosing loop
    /// found it once for all its items ([`State::hoist_names`]).
    #[allow(clippy::too_many_arguments)]
    fn run_simple_for(
        &mut self,
        p: &Program,
        body: &[SimpleOp],
        flags: BodyFlags,
        src: SimpleSrc,
        found: Option<&Value>,
        item: &Value,
        out: &mut String,
    ) -> Result<()> {
        let owned;
        let v = match src {
            SimpleSrc::Item => item,
            SimpleSrc::Name(e) => match found.or_else(|| self.frame_value(p, e)) {
                Some(v) => {
                    owned = v.clone();
                    &owned
                }
                None => {
                    owned = self.eval(p, e)?;
                    &owned
                }
            },
        };
        if let Value::List(l) = v {
            if flags.item_only {
                match self.exec_simple_list(p, body, flags, l, 0, out) {
                    Some(r) => return r,
                    None => return Ok(()),
                }
            }
        }
        // Otherwise a snapshot of the items (the body may print the list itself, which locks
        // it), in a buffer reused from loop to loop.
        let mut buf = self.loop_bufs.pop().unwrap_or_default();
        match v {
            Value::List(l) => buf.extend(l.lock().iter().cloned()),
            Value::Tuple(t) => buf.extend(t.iter().cloned()),
            _ => match v.try_iter() {
                Ok(items) => buf = items,
                Err(e) => {
                    self.loop_bufs.push(buf);
                    return Err(e);
                }
            },
        }
        let r = self.exec_simple_loop(p, body, flags.tight, &buf, 0, out);
        buf.clear();
        self.loop_bufs.push(buf);
        r
    }

    /// Render block `name` at inheritance level `level` (0 = most derived).
    pub(crate) fn render_block(&mut self, name: &str, level: usize, out: &mut String) -> Result<()> {
        self.render_block_scoped(name, level, false, out)
    }

    /// Render a block; `scoped` (from the `{% block %}` statement being rendered) passes the
    /// surrounding locals in.
    pub(crate) fn render_block_scoped(
        &mut self,
        name: &str,
        level: usize,
        scoped: bool,
        out: &mut String,
    ) -> Result<()> {
        let entry = self.blocks.get(name).and_then(|l| l.get(level)).cloned();
        let Some((program, idx)) = entry else {
            return Err(Error::new(ErrorKind::TemplateRuntimeError, format!("no block named '{}'", name)));
        };
        let Some(def) = program.blocks.get(idx) else {
            return Err(Error::new(ErrorKind::BadBytecode, "block index out of range"));
        };
        self.enter(FRAMES_BLOCK)?;
        // Jinja2 renders a block with the context of the block function that reached it:
        // derived from the locals there for a scoped block, else inherited (so a block nested
        // in a scoped one, `super()` and `self.name()` see what the scoped block saw).
        let derived = if scoped { Some(self.flatten_frames(true)) } else { self.block_derived.clone() };
        let frames = derived.iter().cloned().collect();
        let saved_derived = std::mem::replace(&mut self.block_derived, derived);
        let saved_frames = std::mem::replace(&mut self.frames, frames);
        self.suspended.push(saved_frames);
        let mut f = self.frame_pool.scope_frame(&program, def.body, self.env.undefined);
        let parents = (self.blocks.get(name).map_or(0, |l| l.len()), self.env.undefined);
        f.set(special_name(SpecialName::Super), objects::BlockSuper::above(name, level, parents));
        self.push_frame(f);
        let saved_program = std::mem::replace(&mut self.program, program.clone());
        let saved_root = std::mem::replace(&mut self.in_root, false);
        let saved_ae = std::mem::replace(&mut self.autoescape, self.env.autoescape_for(&program.name));
        let saved_top = std::mem::take(&mut self.top_missing);
        let saved_captures = std::mem::take(&mut self.captures);
        let saved_bypass = std::mem::take(&mut self.bypass);
        let r = self.exec_block(&program, def.body, out);
        self.captures = saved_captures;
        self.bypass = saved_bypass;
        self.top_missing = saved_top;
        self.autoescape = saved_ae;
        self.in_root = saved_root;
        self.program = saved_program;
        self.resume_frames();
        self.block_derived = saved_derived;
        self.leave(FRAMES_BLOCK);
        r.map(|_| ())
    }

    /// Run `f` as the body of a for loop, with, filter or autoescape block: an inner frame to
    /// Jinja2, so in a template's root its blocks render even after `{% extends %}`
    /// ([`State::root_inner`]).
    #[inline]
    fn inner_frame<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        let saved = std::mem::replace(&mut self.root_inner, self.in_root);
        let r = f(self);
        self.root_inner = saved;
        r
    }

    /// Count `frames` more Python frames of nesting (one of the `FRAMES_*` weights).
    fn enter(&mut self, frames: usize) -> Result<()> {
        self.depth += frames;
        if self.depth > MAX_DEPTH {
            self.depth -= frames;
            return Err(Error::new(ErrorKind::RecursionError, "maximum recursion depth exceeded"));
        }
        Ok(())
    }

    fn leave(&mut self, frames: usize) {
        self.depth = self.depth.saturating_sub(frames);
    }

    /// Render `program` as a root template: its blocks first in line, then its body, then
    /// (after `{% extends %}`) its parents.
    pub(crate) fn render_root(&mut self, program: Arc<Program>, out: &mut String) -> Result<()> {
        self.render_root_with(program, out, &mut |_| Ok(()))
    }

    /// `render_root`, handing the output to `flush` whenever more than a few KiB have
    /// accumulated between top-level statements (streaming into a writer).
    pub(crate) fn render_root_with(
        &mut self,
        program: Arc<Program>,
        out: &mut String,
        flush: &mut dyn FnMut(&mut String) -> Result<()>,
    ) -> Result<()> {
        const FLUSH_AT: usize = 8192;
        if self.ctx.template.is_none() {
            self.ctx.template = Some(program.clone());
        }
        for (i, b) in program.blocks.iter().enumerate() {
            let name = program.strings.text(b.name).to_string();
            self.blocks.entry(name).or_default().push((program.clone(), i));
        }
        let mut current = program;
        let mut chain = 0usize;
        loop {
            self.program = current.clone();
            self.autoescape = self.env.autoescape_for(&current.name);
            if chain == 0 {
                self.eval_autoescape = self.autoescape;
            }
            self.in_root = true;
            self.root_inner = false;
            self.top_missing = current.missing_range(current.body);
            if chain > 0 && !self.top_missing.is_empty() {
                // A parent template: names it starts without that the child templates
                // assigned at their top level are still undefined to its own code.
                let mut shadow = Vec::new();
                for &id in self.top_missing.of(&current.str_lists) {
                    let name = current.str(id);
                    if self.ctx.get_var(name).is_some() {
                        shadow.push(name.clone());
                    }
                }
                if !shadow.is_empty() {
                    let mut g = self.ctx.vars();
                    g.shadow = shadow;
                    g.shadow_of = Arc::as_ptr(&current) as usize;
                }
            }
            let p = &*current;
            for &sid in p.body(p.body) {
                match self.exec(p, sid, out) {
                    Ok(_) => {}
                    Err(e) => return Err(self.locate(e, p.stmt_span(sid))),
                }
                if out.len() >= FLUSH_AT {
                    flush(out)?;
                }
            }
            match self.extended.take() {
                Some(parent) => {
                    chain += 1;
                    if chain > MAX_EXTENDS {
                        return Err(Error::new(
                            ErrorKind::RecursionError,
                            format!("template '{}' extends itself (inheritance cycle)", parent.name),
                        ));
                    }
                    current = parent
                }
                None => break,
            }
        }
        self.in_root = false;
        Ok(())
    }

    /// Render a template with its own context, frames and blocks (include, import).
    pub(crate) fn render_isolated(
        &mut self,
        program: Arc<Program>,
        ctx: Ctx,
        out: &mut String,
    ) -> Result<Ctx> {
        self.enter(FRAMES_TEMPLATE)?;
        let saved_ctx = std::mem::replace(&mut self.ctx, ctx);
        let saved_frames = std::mem::take(&mut self.frames);
        let saved_derived = self.block_derived.take();
        let saved_blocks = std::mem::take(&mut self.blocks);
        let saved_ext = self.extended.take();
        let saved_program = self.program.clone();
        let saved_root = (self.in_root, self.root_inner);
        let saved_ae = self.autoescape;
        let saved_eval_ae = self.eval_autoescape;
        let saved_top = self.top_missing;
        let saved_captures = std::mem::take(&mut self.captures);
        let saved_bypass = std::mem::take(&mut self.bypass);
        let r = self.render_root(program, out);
        self.captures = saved_captures;
        self.bypass = saved_bypass;
        self.block_derived = saved_derived;
        self.top_missing = saved_top;
        self.autoescape = saved_ae;
        self.eval_autoescape = saved_eval_ae;
        (self.in_root, self.root_inner) = saved_root;
        self.program = saved_program;
        self.extended = saved_ext;
        self.blocks = saved_blocks;
        self.frames = saved_frames;
        let ctx = std::mem::replace(&mut self.ctx, saved_ctx);
        self.leave(FRAMES_TEMPLATE);
        r.map(|_| ctx)
    }

    fn import_module(&mut self, v: &Value, with_context: bool) -> Result<Value> {
        if v.downcast_object::<Module>().is_some() {
            return Ok(v.clone());
        }
        let program = self.template_from_value(v)?;
        let cache_key = program.name.clone();
        if !with_context {
            if let Some(m) = self.modules.get(&cache_key) {
                return Ok(m.clone());
            }
        }
        // Jinja2 keeps a template's module made without context and hands it to every later
        // import (`Template._get_default_module`). Kept here only for a template whose top
        // level is template data and macro definitions: making its module again gives the
        // same module (the same body, macros closing over nothing but each other), so keeping
        // it is unobservable. (Not past the depth where making it would raise.)
        let kept = !with_context && self.depth < MAX_DEPTH && defines_only_macros(&program);
        let autoescape = (self.env.autoescape_for(&program.name), self.autoescape);
        if kept {
            if let Some(m) = self.env.kept_module(&program, autoescape) {
                self.modules.insert(cache_key, m.clone());
                return Ok(m);
            }
        }
        let ctx = if with_context {
            Ctx::with_parent(self.ctx.layered(self.flatten_frames(true).vars))
        } else {
            Ctx::new(IndexMap::default())
        };
        let mut body = String::new();
        let ctx = self.render_isolated(program.clone(), ctx, &mut body)?;
        let module = Value::object(Module::new(program.name.clone(), ctx.exported(), body, self.autoescape));
        if !with_context {
            self.modules.insert(cache_key, module.clone());
        }
        if kept {
            self.env.keep_module(program, autoescape, module.clone());
        }
        Ok(module)
    }

    /// What `{% extends %}` and `{% import %}` load: Jinja2's `get_template`, which takes a
    /// name or a template; anything else is looked up as a name too, so a list or dict fails
    /// as the template cache's unhashable key and a tuple or number is not found.
    fn template_from_value(&mut self, v: &Value) -> Result<Arc<Program>> {
        match v {
            Value::Str(s) | Value::Markup(s) => self.env.load_program(s),
            Value::Undefined(u) => Err(u.error()),
            Value::List(_) | Value::Dict(_) => Err(type_err(format!("unhashable type: '{}'", v.type_name()))),
            Value::Object(o) if o.as_any().is::<objects::TemplateObject>() => {
                match o.as_any().downcast_ref::<objects::TemplateObject>() {
                    Some(t) => Ok(t.program.clone()),
                    None => Err(bad_bytecode()),
                }
            }
            _ => Err(Error::new(ErrorKind::TemplateNotFound, v.to_str())),
        }
    }

    /// What `{% include %}` renders: Jinja2's `get_or_select_template`, which hands anything
    /// but a name, an Undefined or a template to `select_template` (a falsy value is an empty
    /// list of names, a non-iterable one a TypeError).
    fn include_target(&mut self, v: &Value) -> Result<Arc<Program>> {
        match v {
            Value::Str(_) | Value::Markup(_) | Value::Undefined(_) => self.template_from_value(v),
            Value::Object(o) if o.as_any().is::<objects::TemplateObject>() => self.template_from_value(v),
            _ if !v.is_true()? => Err(Error::new(
                ErrorKind::TemplatesNotFound,
                "Tried to select from an empty list of templates.",
            )),
            Value::List(_) | Value::Tuple(_) | Value::Dict(_) | Value::Object(_) => {
                // `select_template`: a template item is taken as it is; a name is looked up in
                // the template cache (an unhashable item fails there, a StrictUndefined's
                // UndefinedError is skipped like a missing template) and then by the loader,
                // which finds only names (an undefined name never loads; TemplatesNotFound
                // names it by its message).
                let mut names = Vec::new();
                for n in v.try_iter()?.iter() {
                    match n {
                        Value::Str(s) | Value::Markup(s) => match self.env.load_program(s) {
                            Ok(p) => return Ok(p),
                            Err(e) if e.kind() == ErrorKind::TemplateNotFound && e.detail() == &**s => {}
                            Err(e) => return Err(e),
                        },
                        Value::Object(o) if o.as_any().is::<objects::TemplateObject>() => {
                            return self.template_from_value(n)
                        }
                        Value::Undefined(_) => {}
                        _ => match n.hash_check() {
                            Err(e) if e.kind() != ErrorKind::UndefinedError => return Err(e),
                            _ => {}
                        },
                    }
                    names.push(match n {
                        Value::Undefined(u) => u.message(),
                        _ => n.to_str(),
                    });
                }
                // TemplatesNotFound takes `names[-1]`: a KeyError of a dict without that key
                // (a TypeError of an iterable that is not a sequence: a dict view, a generator).
                match v {
                    Value::Dict(d) if d.lock().get(&Value::Int(-1)).is_none() => {
                        return Err(Error::new(ErrorKind::KeyError, "-1"))
                    }
                    Value::Object(_) if v.get_item_raw(&Value::Int(-1)).is_none() => {
                        return Err(type_err(format!("'{}' object is not subscriptable", v.type_name())))
                    }
                    _ => {}
                }
                Err(Error::new(
                    ErrorKind::TemplatesNotFound,
                    format!("none of the templates given were found: {}", names.join(", ")),
                ))
            }
            _ => Err(type_err(format!("'{}' object is not iterable", v.type_name()))),
        }
    }

    #[inline(never)]
    fn make_caller(&self, id: u32) -> Value {
        let closure = self.flatten_frames(false);
        let mut m = Macro::new(id, self.program.clone(), closure.vars, self.ctx.clone(), self.autoescape);
        m.closure_missing = closure.missing;
        m.is_caller = true;
        m.block_derived = self.block_derived.clone();
        m.top_missing = self.top_missing;
        Value::object(m)
    }

    fn make_macro(&self, id: u32) -> Value {
        let mut sources = Vec::new();
        let closure = self.flatten_frames_from(false, Some(&mut sources));
        let mut m = Macro::new(id, self.program.clone(), closure.vars, self.ctx.clone(), self.autoescape);
        m.closure_missing = closure.missing;
        m.closure_sources = sources;
        m.def_frames = self.frames.iter().map(|f| f.id).filter(|&id| id != 0).collect();
        m.block_derived = self.block_derived.clone();
        m.top_missing = self.top_missing;
        if !self.frames.is_empty() {
            // Defined inside a loop, block, with or macro: a Python closure would see its own
            // name, so the macro binds itself when called.
            return Value::Object(Arc::new_cyclic(|weak: &std::sync::Weak<Macro>| {
                let mut m = m;
                m.self_ref = Some(weak.clone());
                m
            }));
        }
        Value::object(m)
    }

    /// Invoke a macro (Jinja2's `Macro.__call__`).
    pub(crate) fn call_macro(&mut self, m: &Macro, args: Args) -> Result<Value> {
        let call_ae = self.eval_autoescape;
        let mut out = String::with_capacity(CAPTURE_CAPACITY);
        self.call_macro_into(m, args, &mut out)?;
        Ok(if call_ae { Value::markup(out) } else { Value::from(out) })
    }

    /// Call macro `m`, appending its output to `out`.
    fn call_macro_into(&mut self, m: &Macro, args: Args, out: &mut String) -> Result<()> {
        let p = &*m.program;
        let Some(&def) = p.macro_def(m.id) else { return Err(bad_bytecode()) };
        let params = def.params.of(&p.params);
        let macro_name = p.str(def.name);
        let nparams = params.len();
        let mut kwargs = args.kwargs;
        let npos = args.args.len();
        // The positional arguments are moved in (the ones past the parameters, if any, are
        // `varargs`).
        let mut positional = args.args.into_iter();
        // (Inline for the few parameters most macros have.)
        let mut bound: smallvec::SmallVec<[Option<Value>; 6]> = smallvec::SmallVec::with_capacity(nparams);
        for v in positional.by_ref().take(nparams) {
            bound.push(Some(v));
        }
        let mut found_caller = false;
        if bound.len() < nparams {
            for &(name, _) in params.iter().skip(bound.len()) {
                let name = p.str(name);
                let pos = kwargs.iter().position(|(k, _)| **k == **name);
                if def.uses.caller && &**name == "caller" {
                    found_caller = true;
                }
                bound.push(pos.map(|p| kwargs.remove(p).1));
            }
        } else if def.uses.caller {
            found_caller = params.iter().any(|&(n, _)| &**p.str(n) == "caller");
        }
        let mut frame = self.frame_pool.scope_frame(p, def.body, self.env.undefined);
        if def.uses.caller && !found_caller {
            if params.iter().any(|&(n, _)| &**p.str(n) == "caller") {
                // Jinja2's `Macro.__call__` finds a `caller` parameter only among the names
                // it fills from keywords, and otherwise passes the caller as one argument more
                // than its function takes.
                let n = nparams + usize::from(def.uses.kwargs) + usize::from(def.uses.varargs);
                return Err(type_err(format!(
                    "macro() takes {} positional arguments but {} were given",
                    n,
                    n + 1
                )));
            }
            let caller = match kwargs.iter().position(|(k, _)| &**k == "caller") {
                Some(p) => kwargs.remove(p).1,
                None => Value::undefined_hint(self.env.undefined, "No caller defined"),
            };
            frame.set(special_name(SpecialName::Caller), caller);
        }
        if def.uses.kwargs {
            let mut map = crate::value::Map::default();
            for (k, v) in kwargs.drain(..) {
                map.insert(Value::Str(k), v);
            }
            frame.set(special_name(SpecialName::Kwargs), Value::dict(map));
        } else if let Some((k, _)) = kwargs.first() {
            if &**k == "caller" {
                return Err(type_err(format!(
                    "macro '{}' was invoked with two values for the special caller argument. This is most likely a bug.",
                    macro_name
                )));
            }
            return Err(type_err(format!("macro '{}' takes no keyword argument '{}'", macro_name, k)));
        }
        if def.uses.varargs {
            frame.set(special_name(SpecialName::Varargs), Value::tuple(positional.collect()));
        } else if npos > nparams {
            return Err(type_err(format!(
                "macro '{}' takes not more than {} argument(s)",
                macro_name, nparams
            )));
        }
        self.enter(FRAMES_MACRO)?;
        // (A flattened frame: its names are distinct. None is taken from the pool for a macro
        // that captured nothing, as one defined at a template's top level.)
        let mut closure = if m.closure.is_empty() { Frame::default() } else { self.frame_pool.frame() };
        closure.vars.extend_from_slice(&m.closure);
        closure.missing = m.closure_missing;
        // Closure entries whose scope still runs: read there, not by the fallback below.
        let mut settled = 0u64;
        if !m.def_frames.is_empty() {
            // A scope that defined the macro and still runs on the caller's stack is read
            // live, as a Python closure reads its cells: names it assigned since are seen
            // (innermost scope first; a name captured from another scope is left alone).
            let mut sources = m.closure_sources.clone();
            let depth_of = |id: u32| m.def_frames.iter().position(|&f| f == id);
            for (di, &d) in m.def_frames.iter().enumerate().rev() {
                let Some(fr) = self.live_frame(d) else { continue };
                for (i, src) in sources.iter().enumerate() {
                    if *src == d {
                        settled |= missing_bit(i);
                    }
                }
                for (j, (k, v)) in fr.vars.iter().enumerate() {
                    if fr.missing & missing_bit(j) != 0 {
                        continue;
                    }
                    match closure.vars.iter().position(|(n, _)| same_name(n, k)) {
                        Some(i) => {
                            // Taken from this scope, or from an outer one this scope now
                            // shadows (not from an inner one, which shadows this); source 0
                            // is outside every defining scope (the enclosing macro's closure
                            // or the template's top level).
                            let src = sources.get(i).copied().unwrap_or(0);
                            if src == d || src == 0 || depth_of(src).is_some_and(|si| si < di) {
                                if let Some(slot) = closure.vars.get_mut(i) {
                                    slot.1 = v.clone();
                                }
                                if let Some(s) = sources.get_mut(i) {
                                    *s = d;
                                }
                                closure.missing &= !missing_bit(i);
                            }
                        }
                        None => {
                            closure.vars.push((k.clone(), v.clone()));
                            sources.resize(closure.vars.len(), d);
                        }
                    }
                }
            }
        }
        if closure.missing != 0 {
            // A name still missing when the macro was defined, assigned since by the scope that
            // defined it (a Python closure reads it live): taken from the caller's frames when
            // they hold it assigned.
            for i in 0..closure.vars.len().min(64) {
                if closure.missing & missing_bit(i) == 0 || settled & missing_bit(i) != 0 {
                    continue;
                }
                let Some(name) = closure.vars.get(i).map(|(k, _)| k.clone()) else { continue };
                let live = self.frames.iter().rev().find_map(|fr| {
                    let j = fr.vars.iter().rposition(|(k, _)| same_name(k, &name))?;
                    (fr.missing & missing_bit(j) == 0).then(|| fr.vars.get(j).map(|(_, v)| v.clone()))?
                });
                if let Some(v) = live {
                    closure.set(name, v);
                }
            }
        }
        if let Some(me) = m.self_ref.as_ref().and_then(std::sync::Weak::upgrade) {
            // (A name the scope started without is in the closure as undefined.)
            if !m.closure.iter().any(|(k, v)| **k == **macro_name && !v.is_undefined()) {
                closure.set(macro_name.clone(), Value::Object(me));
            }
        }
        self.next_frame_id = self.next_frame_id.wrapping_add(1).max(1);
        frame.id = self.next_frame_id;
        let mut frames = self.frame_pool.stack();
        // (A frame with no names is not pushed: a lookup would pass it by.)
        if !closure.vars.is_empty() {
            frames.push(closure);
        }
        // The parameters are bound after the names bound so far, none of which they repeat
        // unless they are one of those (parameter names are distinct).
        let base = frame.vars.len();
        frames.push(frame);
        let saved_frames = std::mem::replace(&mut self.frames, frames);
        self.suspended.push(saved_frames);
        let saved_ctx = std::mem::replace(&mut self.ctx, m.ctx.clone());
        let saved_program = std::mem::replace(&mut self.program, m.program.clone());
        let saved_root = std::mem::replace(&mut self.in_root, false);
        let saved_ae = std::mem::replace(&mut self.autoescape, m.autoescape);
        let saved_top = std::mem::replace(&mut self.top_missing, m.top_missing);
        let saved_derived = std::mem::replace(&mut self.block_derived, m.block_derived.clone());
        let r = (|| -> Result<()> {
            // Jinja2 binds every parameter before evaluating the defaults in order, so a
            // default naming a later (or its own) parameter sees the passed value, or an
            // undefined one where that parameter is still missing.
            // (Unobservable when every default left to evaluate is a constant.)
            let prebound = params
                .iter()
                .zip(bound.iter())
                .any(|(&(_, d), v)| v.is_none() && !d.is_none_or(|d| constant(p, d)));
            if prebound {
                if let Some(f) = self.frames.last_mut() {
                    for (&(name, _), value) in params.iter().zip(bound.iter()) {
                        let name = p.str(name);
                        let v = match value {
                            Some(v) => v.clone(),
                            None => Value::undefined(self.env.undefined, name),
                        };
                        f.set(name.clone(), v);
                    }
                }
            }
            // (The bound values are taken out in place: moving them into this closure copied
            // the whole inline vector.)
            for (&(name, default), value) in params.iter().zip(bound.iter_mut()) {
                let v = match value.take() {
                    Some(v) => v,
                    None => match default {
                        Some(d) => self.eval(p, d)?,
                        None => Value::undefined_hint(
                            self.env.undefined,
                            format!(
                                "parameter {} was not provided",
                                crate::value::repr::str_repr(p.str(name))
                            ),
                        ),
                    },
                };
                if let Some(f) = self.frames.last_mut() {
                    if prebound {
                        f.set(p.str(name).clone(), v);
                    } else {
                        f.set_below(base, p.str(name).clone(), v);
                    }
                }
            }
            self.exec_block(p, def.body, out)?;
            Ok(())
        })();
        self.block_derived = saved_derived;
        self.top_missing = saved_top;
        self.autoescape = saved_ae;
        self.in_root = saved_root;
        let prog = std::mem::replace(&mut self.program, saved_program);
        self.ctx = saved_ctx;
        self.resume_frames();
        self.leave(FRAMES_MACRO);
        if let Err(mut e) = r {
            if prog.name != self.program.name {
                e.push_trace(&prog.name, def.span.line as usize);
            }
            return Err(e);
        }
        Ok(())
    }

    /// A recursive loop's `loop(items)`.
    pub(crate) fn call_loop(
        &mut self,
        program: &Arc<Program>,
        l: u32,
        depth0: usize,
        frame: u32,
        args: Args,
    ) -> Result<Value> {
        let [iter] = args.bind("loop", ["iterable"])?;
        let iter = iter.unwrap_or(Value::None);
        self.enter(FRAMES_LOOP)?;
        // Jinja2's recursive loop is a function: a call runs in the scope around the loop, not
        // in the calling iteration's (whose locals and `loop` it does not see).
        let inner = match self.frames.iter().rposition(|fr| fr.id == frame && frame != 0) {
            Some(at) => self.frames.split_off(at),
            None => Vec::new(),
        };
        let mut out = String::new();
        let r = self.exec_for(program, l, iter, depth0 + 1, Some(program.clone()), &mut out);
        self.frames.extend(inner);
        self.leave(FRAMES_LOOP);
        r?;
        Ok(self.captured(out))
    }

    // ---- expressions -------------------------------------------------------------------

    /// Evaluate expression `e` of program `p`.
    #[inline]
    pub fn eval(&mut self, p: &Program, e: ExprId) -> Result<Value> {
        // Leaves neither recurse nor fail: no stack check, no error location (and no call
        // but the name lookup).
        match p.expr(e) {
            Expr::Name(n) => Ok(self.lookup(p.str(n))),
            Expr::Str(s) => Ok(Value::Str(p.str(s).clone())),
            Expr::Int(i) => Ok(Value::Int(i)),
            _ => self.eval_node(p, e),
        }
    }

    /// [`State::eval`] for an expression that is not a leaf.
    /// (The evaluation itself is inlined here: one call per level of the expression.)
    #[inline(never)]
    fn eval_node(&mut self, p: &Program, e: ExprId) -> Result<Value> {
        let r = if self.stack.contains_here() { self.eval_body(p, e) } else { self.eval_grown(p, e) };
        match r {
            Ok(v) => Ok(v),
            Err(err) => Err(self.locate(err, p.expr_span(e))),
        }
    }

    /// [`State::eval_node`] outside the stack window (see `with_stack!`).
    #[cold]
    #[inline(never)]
    fn eval_grown(&mut self, p: &Program, e: ExprId) -> Result<Value> {
        self.stack.settle();
        grow(|| self.eval_inner(p, e))
    }

    /// Evaluate a filter chain whose innermost filter takes `input` (filter blocks, set blocks).
    fn eval_with_input(&mut self, p: &Program, e: ExprId, input: Value) -> Result<Value> {
        let saved = self.block_input.replace(input);
        let r = self.eval(p, e);
        self.block_input = saved;
        r
    }

    /// The arguments of a call, as Jinja2's generated `context.call(f, *args, **kwargs)` passes
    /// them: positional, `*` arguments, keywords, the call block's `caller`, then `**`
    /// arguments (a name given twice is Python's TypeError, unless a keyword is a Python
    /// keyword: Jinja2 then builds a dict and the later value wins).
    fn eval_args(&mut self, p: &Program, a: u32, caller: Option<Value>) -> Result<Args> {
        let a = p.call_args(a);
        let pos = p.exprs_in(a.args);
        let kw = a.kwargs.of(&p.kwargs);
        if pos.is_empty()
            && kw.is_empty()
            && a.dyn_args.is_none()
            && a.dyn_kwargs.is_none()
            && caller.is_none()
        {
            // `|lower`, `|length`, `caller()`: nothing to evaluate.
            return Ok(Args::default());
        }
        let mut args = Args {
            args: crate::value::ArgVec::with_capacity(pos.len()),
            kwargs: Vec::with_capacity(kw.len()),
        };
        for &e in pos {
            args.args.push(self.eval(p, e)?);
        }
        if let Some(d) = a.dyn_args {
            let v = self.eval(p, d)?;
            args.args.extend(v.try_iter()?);
        }
        for &(k, e) in kw {
            let v = self.eval(p, e)?;
            args.kwargs.push((p.str(k).clone(), v));
        }
        if let Some(c) = caller {
            // An explicit `caller=` is only left here when the keywords merge as a dict.
            match args.kwargs.iter_mut().find(|(n, _)| &**n == "caller") {
                Some(slot) => slot.1 = c,
                None => args.kwargs.push((special_name(SpecialName::Caller), c)),
            }
        }
        if let Some(d) = a.dyn_kwargs {
            let v = self.eval(p, d)?;
            match &v {
                Value::Dict(m) => {
                    let merge = a.kwargs.of(&p.kwargs).iter().any(|&(k, _)| is_python_keyword(p.str(k)));
                    for (k, v) in m.lock().iter() {
                        let k = k.to_str();
                        match args.kwargs.iter_mut().find(|(n, _)| **n == *k) {
                            Some(slot) if merge => slot.1 = v.clone(),
                            Some(_) => {
                                return Err(type_err(format!(
                                "jinja2.runtime.Context.call() got multiple values for keyword argument '{}'",
                                k
                            )))
                            }
                            None => args.kwargs.push((Arc::from(k.as_str()), v.clone())),
                        }
                    }
                }
                // Python looks up `keys` on what is not a dict, which every undefined kind fails
                // (a ChainableUndefined when the `keys` it returns is called).
                Value::Undefined(u) => return Err(u.error()),
                _ => {
                    return Err(type_err(format!(
                        "argument after ** must be a mapping, not {}",
                        v.type_name()
                    )))
                }
            }
        }
        Ok(args)
    }

    fn eval_call(&mut self, p: &Program, f: ExprId, args: u32, caller: Option<Value>) -> Result<Value> {
        match self.call_expr(p, f, args, caller, None)? {
            Some(v) => Ok(v),
            None => Err(bad_bytecode()),
        }
    }

    /// Call `f(args)`; with a `sink`, a macro writes its output straight into it (its value
    /// would only be written there as it is, Markup when autoescaping and otherwise a str
    /// written unescaped) and the answer is `None`.
    fn call_expr(
        &mut self,
        p: &Program,
        f: ExprId,
        args: u32,
        caller: Option<Value>,
        sink: Option<&mut String>,
    ) -> Result<Option<Value>> {
        if let Expr::GetAttr(obj_e, name) = p.expr(f) {
            let name = p.str(name);
            let obj = self.eval(p, obj_e)?;
            let builtin = !matches!(obj, Value::Object(_) | Value::Undefined(_));
            if builtin && obj.get_attr_raw(name).is_none() && crate::methods::has_method(&obj, name) {
                let a = self.eval_args(p, args, caller)?;
                return crate::methods::call_method(self, &obj, name, a).map(Some);
            }
            if let Value::Object(o) = &obj {
                let a = self.eval_args(p, args, caller)?;
                if let Some(r) = o.call_method(self, name, &a) {
                    return r.map(Some);
                }
                let callee = self.getattr(&obj, name)?;
                return self.call_into(&callee, a, sink);
            }
            let callee = self.getattr(&obj, name)?;
            let a = self.eval_args(p, args, caller)?;
            return self.call_into(&callee, a, sink);
        }
        let callee = self.eval(p, f)?;
        let a = self.eval_args(p, args, caller)?;
        self.call_into(&callee, a, sink)
    }

    /// [`State::call`]; a macro called with a `sink` writes its output there (`None`).
    fn call_into(&mut self, callee: &Value, args: Args, sink: Option<&mut String>) -> Result<Option<Value>> {
        if let (Some(out), Value::Object(o)) = (sink, callee) {
            if let Some(m) = o.as_any().downcast_ref::<Macro>() {
                // The depth accounting of `State::call`.
                self.enter(FRAMES_CALL)?;
                let r = self.call_macro_into(m, args, out);
                self.leave(FRAMES_CALL);
                return r.map(|_| None);
            }
        }
        self.call(callee, args).map(Some)
    }

    fn eval_list(&mut self, p: &Program, r: Range) -> Result<Vec<Value>> {
        let items = p.exprs_in(r);
        let mut v = Vec::with_capacity(items.len());
        for &i in items {
            v.push(self.eval(p, i)?);
        }
        Ok(v)
    }

    #[inline(never)]
    fn eval_inner(&mut self, p: &Program, id: ExprId) -> Result<Value> {
        self.eval_body(p, id)
    }

    /// Evaluate non-leaf expression `id` (no stack check, no error location: see
    /// [`State::eval_node`]).
    #[inline(always)]
    fn eval_body(&mut self, p: &Program, id: ExprId) -> Result<Value> {
        Ok(match p.expr(id) {
            Expr::None => Value::None,
            Expr::Bool(b) => Value::Bool(b),
            Expr::Int(i) => Value::Int(i),
            Expr::Float(f) => Value::Float(f),
            Expr::Str(s) => Value::Str(p.str(s).clone()),
            Expr::BigInt(s) => {
                p.str(s).parse::<num_bigint::BigInt>().map(Value::from_bigint).unwrap_or(Value::None)
            }
            Expr::Name(n) => self.lookup(p.str(n)),
            Expr::List(items) => Value::list(self.eval_list(p, items)?),
            Expr::Tuple(items) => Value::tuple(self.eval_list(p, items)?),
            Expr::Dict(items) => {
                let items = p.exprs_in(items);
                let mut m = crate::value::Map::with_capacity_and_hasher(items.len() / 2, Default::default());
                // CPython evaluates a dict display's keys and values, 17 pairs at a time, before
                // it hashes any key: an unhashable key (or a StrictUndefined one) fails only once
                // the rest of its chunk evaluated (an undefined name after it fails first).
                let mut unhashable: Option<Error> = None;
                for (n, pair) in items.chunks_exact(2).enumerate() {
                    let [k, v] = [pair.first().copied().unwrap_or(id), pair.get(1).copied().unwrap_or(id)];
                    let k = self.eval(p, k)?;
                    let v = self.eval(p, v)?;
                    if unhashable.is_none() {
                        if matches!(k, Value::Str(_) | Value::Int(_)) {
                            m.insert(k, v);
                        } else {
                            match k.hash_check() {
                                Ok(()) => {
                                    m.insert(k, v);
                                }
                                Err(e) => unhashable = Some(e),
                            }
                        }
                    }
                    if unhashable.is_some() && n % 17 == 16 {
                        if let Some(e) = unhashable.take() {
                            return Err(e);
                        }
                    }
                }
                if let Some(e) = unhashable {
                    return Err(e);
                }
                Value::dict(m)
            }
            Expr::GetAttr(obj, name) => {
                let name = p.str(name);
                match self.local_attr(p, obj, name) {
                    Some(v) => v,
                    None => {
                        let o = self.eval(p, obj)?;
                        self.getattr(&o, name)?
                    }
                }
            }
            Expr::GetItem(obj, key) => {
                if let Some(o) = self.frame_value(p, obj) {
                    // `local[local]`, `local['key']`, `local[0]`: read without cloning the
                    // container.
                    let k = match p.expr(key) {
                        Expr::Name(n) => self.local(p.str(n)),
                        _ => None,
                    };
                    if let Some(k) = k {
                        if let Some(v) = k.as_str().and_then(|k| dict_str_item(o, k)) {
                            return Ok(v);
                        }
                        return self.getitem_general(o, k);
                    }
                    match p.expr(key) {
                        Expr::Str(s) => {
                            let k = p.str(s);
                            if let Some(v) = dict_str_item(o, k) {
                                return Ok(v);
                            }
                            return self.getitem_general(o, &Value::Str(k.clone()));
                        }
                        Expr::Int(i) => return self.getitem(o, &Value::Int(i)),
                        _ => {}
                    }
                }
                let o = self.eval(p, obj)?;
                let k = self.eval(p, key)?;
                self.getitem(&o, &k)?
            }
            Expr::Slice { obj, start, stop, step } => {
                let o = self.eval(p, obj)?;
                let mut bounds = [None, None, None];
                for (slot, x) in bounds.iter_mut().zip([start, stop, step]) {
                    if let Some(x) = x {
                        let v = self.eval(p, x)?;
                        if !v.is_none() {
                            *slot = Some(v);
                        }
                    }
                }
                let [a, b, c] = bounds;
                if self.const_fold {
                    return self.const_slice(o, a, b, c);
                }
                slice(&o, a, b, c)?
            }
            Expr::Unary(op, x) => {
                let v = self.eval(p, x)?;
                match op {
                    UnaryOp::Not => Value::Bool(!v.is_true()?),
                    UnaryOp::Neg => ops::neg(&v)?,
                    UnaryOp::Pos => ops::pos(&v)?,
                }
            }
            Expr::Binary(op, a, b) => {
                let left = self.eval(p, a)?;
                match op {
                    BinOp::And => {
                        if !left.is_true()? {
                            return Ok(left);
                        }
                        return self.eval(p, b);
                    }
                    BinOp::Or => {
                        if left.is_true()? {
                            return Ok(left);
                        }
                        return self.eval(p, b);
                    }
                    _ => {}
                }
                let right = self.eval(p, b)?;
                match op {
                    BinOp::Add => ops::add(&left, &right)?,
                    BinOp::Sub => ops::sub(&left, &right)?,
                    BinOp::Mul => ops::mul(&left, &right)?,
                    BinOp::Div => ops::truediv(&left, &right)?,
                    BinOp::FloorDiv => ops::floordiv(&left, &right)?,
                    BinOp::Mod => match &left {
                        Value::Str(s) => Value::from(crate::filters::printf::percent_format(s, &right)?),
                        Value::Markup(m) => {
                            Value::markup(crate::filters::printf::markup_percent_format(m, &right)?)
                        }
                        _ => ops::rem(&left, &right)?,
                    },
                    BinOp::Pow => ops::pow(&left, &right)?,
                    BinOp::And | BinOp::Or => Value::None,
                }
            }
            Expr::Concat(items) => {
                let parts = self.eval_list(p, items)?;
                self.concat(&parts, self.autoescape)?
            }
            Expr::PyName(n) => {
                return Err(Error::new(
                    ErrorKind::TemplateRuntimeError,
                    format!("name '{}' is not defined (Jinja2 writes this constant into its Python code as a bare name)", p.str(n)),
                ))
            }
            Expr::StrConcat(items) => {
                let parts = self.eval_list(p, items)?;
                self.concat(&parts, false)?
            }
            Expr::Compare(first, rest) => {
                let mut left = self.eval(p, first)?;
                for &(op, x) in rest.of(&p.compares) {
                    let right = self.eval(p, x)?;
                    if !compare(op, &left, &right)? {
                        return Ok(Value::Bool(false));
                    }
                    left = right;
                }
                Value::Bool(true)
            }
            Expr::Test { value, name, args, negated } => {
                let v = self.eval(p, value)?;
                let a = self.eval_args(p, args, None)?;
                let name = p.str(name);
                let env = self.env;
                let t = self
                    .name_memo
                    .index(state::MemoKind::Test, name, |n| env.tests.get_index_of(n))
                    .and_then(|i| env.tests.get_index(i));
                let r = match t.map(|(_, t)| t) {
                    Some(t) => t(self, v, a)?,
                    None => {
                        return Err(Error::new(
                            ErrorKind::TemplateRuntimeError,
                            format!("No test named '{}' found.", name),
                        ))
                    }
                };
                Value::Bool(r != negated)
            }
            Expr::Filter { value, name, args } => {
                let v = match value {
                    Some(v) => self.eval(p, v)?,
                    None => self.block_input.take().unwrap_or(Value::None),
                };
                let name = p.str(name);
                let env = self.env;
                let f = self
                    .name_memo
                    .index(state::MemoKind::Filter, name, |n| env.filters.get_index_of(n))
                    .and_then(|i| env.filters.get_index(i));
                if let Some((_, f)) = f {
                    if !v.is_undefined() && default_passes(env, f, p, args) {
                        return Ok(v);
                    }
                }
                let a = self.eval_args(p, args, None)?;
                match f.map(|(_, f)| f) {
                    Some(f) => f(self, v, a)?,
                    None => {
                        return Err(Error::new(
                            ErrorKind::TemplateRuntimeError,
                            format!("No filter named '{}' found.", name),
                        ))
                    }
                }
            }
            Expr::Call(f, args) => self.eval_call(p, f, args, None)?,
            Expr::Cond { test, then, otherwise } => {
                if self.eval(p, test)?.is_true()? {
                    self.eval(p, then)?
                } else {
                    match otherwise {
                        Some(o) => self.eval(p, o)?,
                        None => self.undefined_at(
                            UndefinedKind::Default,
                            p,
                            Node::Expr(id),
                            Cow::Borrowed("the inline if-expression on "),
                            Cow::Borrowed(" evaluated to false and no else section was defined."),
                        ),
                    }
                }
            }
        })
    }

    /// An undefined whose message is `before`, the position of `node` of `p` and `after`
    /// ([`Hint::At`]: formatted when read, so that the span table stays packed). Formatted
    /// now when `p` is not the running program, which the hint would have to keep alive.
    ///
    /// [`Hint::At`]: crate::value::Hint::At
    #[cold]
    fn undefined_at(
        &self,
        kind: UndefinedKind,
        p: &Program,
        node: Node,
        before: Cow<'static, str>,
        after: Cow<'static, str>,
    ) -> Value {
        let hint = if std::ptr::eq(p, Arc::as_ptr(&self.program)) {
            crate::value::Hint::At { program: self.program.clone(), node, before, after }
        } else {
            crate::value::Hint::Text(positioned(&before, p, node, &after))
        };
        Value::Undefined(Arc::new(crate::value::Undefined { kind, name: None, obj: None, hint: Some(hint) }))
    }

    /// `a ~ b ~ c`: Markup-aware when `markup` (Jinja2's `markup_join`, used when
    /// autoescaping), else `str_join`.
    fn concat(&self, parts: &[Value], markup: bool) -> Result<Value> {
        for p in parts {
            match p {
                Value::Undefined(u) if u.kind == UndefinedKind::Strict => return Err(u.error()),
                Value::BigInt(_) => crate::value::repr::check_int_digits(p)?,
                _ => {}
            }
        }
        if markup && parts.iter().any(Value::is_safe) {
            let mut s = crate::value::scratch(0);
            for p in parts {
                if p.is_safe() {
                    s.push_str(&p.to_str());
                } else {
                    markup::escape_into(&mut s, &p.to_str());
                }
            }
            return Ok(Value::markup_of(s));
        }
        // Sized for the strings (and a little for anything else): `'/p/' ~ slug` grew from
        // empty twice or three times.
        let size = parts.iter().map(|p| if let Value::Str(s) = p { s.len() } else { 8 }).sum();
        let mut s = crate::value::scratch(size);
        for p in parts {
            crate::value::repr::write_str(&mut s, p);
        }
        Ok(Value::from(s))
    }
}

/// What printing the builtin `escape` of `v` writes, when `v` is a str (escaped) or Markup
/// (as it is); `None` for anything else, writing nothing.
#[inline]
fn write_escaped(out: &mut String, v: &Value) -> Option<()> {
    match v {
        Value::Str(s) => markup::escape_into(out, s),
        Value::Markup(s) => out.push_str(s),
        _ => return None,
    }
    Some(())
}

/// What printing the builtin `lower` (or `title`) of `v` writes (escaped when `autoescape`
/// as the result would be), when `v` is an ASCII str or Markup; `None` for anything else,
/// writing nothing. `lower` keeps Markup, as Markup's `lower` does; `title` makes a str of
/// either, as Jinja2's join does.
#[inline]
fn write_cased(out: &mut String, v: &Value, title: bool, autoescape: bool) -> Option<()> {
    let (Value::Str(s) | Value::Markup(s)) = v else { return None };
    if !s.is_ascii() {
        return None;
    }
    let escaped = autoescape && (title || matches!(v, Value::Str(_)));
    if escaped && markup::needs_escape(s) {
        // (The mapping first, then the escape: entities are not mapped.)
        let mut t = String::with_capacity(s.len());
        if title {
            crate::filters::text::title_ascii_into(&mut t, s);
        } else {
            t.push_str(s);
            t.make_ascii_lowercase();
        }
        markup::escape_into(out, &t);
    } else {
        let start = out.len();
        if title {
            crate::filters::text::title_ascii_into(out, s);
        } else {
            out.push_str(s);
            if let Some(t) = out.get_mut(start..) {
                t.make_ascii_lowercase();
            }
        }
    }
    Some(())
}

/// Whether filter `f` applied with argument list `args` of `p` is the builtin `default` that
/// hands a defined value back as it is: at most the `default_value` argument, a literal (so
/// not evaluating it is unobservable), and no `boolean`. Then `row[c]|default('-')` costs
/// no argument vector and no call; anything else goes the general way.
#[inline]
fn default_passes(
    env: &crate::Environment,
    f: &crate::environment::FilterFn,
    p: &Program,
    args: u32,
) -> bool {
    if !env.builtin_default.as_ref().is_some_and(|b| Arc::ptr_eq(b, f)) {
        return false;
    }
    let a = p.call_args(args);
    a.kwargs.is_empty()
        && a.dyn_args.is_none()
        && a.dyn_kwargs.is_none()
        && a.args.len <= 1
        && p.exprs_in(a.args).iter().all(|&e| constant(p, e))
}

/// Whether expression `e` is a literal (of literals, for a container): evaluating it reads
/// no name and calls nothing.
fn constant(p: &Program, e: ExprId) -> bool {
    match p.expr(e) {
        Expr::None | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::Str(_) => true,
        Expr::List(items) | Expr::Tuple(items) => p.exprs_in(items).iter().all(|&i| {
            matches!(p.expr(i), Expr::None | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) | Expr::Str(_))
        }),
        _ => false,
    }
}

/// One link of a comparison chain, `left op right`, as Python compares.
#[inline]
pub(crate) fn compare(op: CmpOp, left: &Value, right: &Value) -> Result<bool> {
    match op {
        CmpOp::Eq => ops::eq(left, right),
        CmpOp::Ne => ops::eq(left, right).map(|b| !b),
        CmpOp::Lt => ops::cmp(left, right, "<").map(|o| o.is_lt()).or_else(nan_false),
        CmpOp::Le => ops::cmp(left, right, "<=").map(|o| o.is_le()).or_else(nan_false),
        CmpOp::Gt => ops::cmp(left, right, ">").map(|o| o.is_gt()).or_else(nan_false),
        CmpOp::Ge => ops::cmp(left, right, ">=").map(|o| o.is_ge()).or_else(nan_false),
        CmpOp::In => ops::contains(right, left),
        CmpOp::NotIn => ops::contains(right, left).map(|b| !b),
    }
}

fn nan_false(e: Error) -> Result<bool> {
    if e.kind() == ErrorKind::ValueError && e.detail() == "nan" {
        Ok(false)
    } else {
        Err(e)
    }
}

/// `before`, the position of `node` of `p` ([`write_position`]), then `after`.
pub(crate) fn positioned(before: &str, p: &Program, node: Node, after: &str) -> String {
    let mut out = String::with_capacity(before.len() + p.name.len() + 24 + after.len());
    out.push_str(before);
    write_position(&mut out, p, p.span(node).line);
    out.push_str(after);
    out
}

/// Append Jinja2's `CodeGenerator.position`: `line N in 'name'`, without the name for a
/// template made from a string (Jinja2's `name` is `None` there).
fn write_position(out: &mut String, p: &Program, line: u32) {
    out.push_str("line ");
    out.push_str(itoa::Buffer::new().format(line));
    if p.name != crate::environment::STRING_TEMPLATE_NAME {
        out.push_str(" in ");
        crate::value::repr::write_str_repr(out, &p.name);
    }
}

fn module_name(m: &Value) -> String {
    m.downcast_object::<Module>().map(|m| m.name.clone()).unwrap_or_default()
}

fn slice_index(v: &Option<Value>) -> Result<Option<i64>> {
    match v {
        None => Ok(None),
        Some(x) => match x.as_clamped_i64() {
            Some(i) => Ok(Some(i)),
            None => {
                if let Value::Undefined(u) = x {
                    return Err(u.error());
                }
                Err(type_err("slice indices must be integers or None or have an __index__ method".into()))
            }
        },
    }
}

/// Python slicing of lists, tuples and strings.
pub(crate) fn slice(
    obj: &Value,
    start: Option<Value>,
    stop: Option<Value>,
    step: Option<Value>,
) -> Result<Value> {
    // Python builds the slice object first (any bounds) and the object's __getitem__ then
    // decides: an undefined fails (or chains) and a non-sequence is not subscriptable before
    // bad bounds or a zero step are looked at.
    match obj {
        Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Markup(_) => {}
        Value::Undefined(u) => {
            return if u.kind == UndefinedKind::Chainable { Ok(obj.clone()) } else { Err(u.error()) };
        }
        Value::Object(o) if o.as_any().is::<objects::Range>() => {}
        _ => return Err(type_err(format!("'{}' object is not subscriptable", obj.type_name()))),
    }
    // (A step is clamped to -i64::MAX at the low end, as CPython's `PySlice_Unpack` does, so
    // that it can be negated.)
    let step = slice_index(&step)?.map(|s| s.max(-i64::MAX));
    let (start, stop, step) = (slice_index(&start)?, slice_index(&stop)?, step.unwrap_or(1));
    if step == 0 {
        return Err(Error::new(ErrorKind::ValueError, "slice step cannot be zero"));
    }
    let pick = |n: usize| -> Vec<usize> {
        let n = n as i64;
        let clamp = |i: Option<i64>, default: i64, lo: i64, hi: i64| -> i64 {
            match i {
                None => default,
                Some(i) => {
                    let i = if i < 0 { i + n } else { i };
                    i.clamp(lo, hi)
                }
            }
        };
        let mut idx = Vec::new();
        if step > 0 {
            let (a, b) = (clamp(start, 0, 0, n), clamp(stop, n, 0, n));
            let mut i = a;
            while i < b {
                idx.push(i as usize);
                i = i.saturating_add(step);
            }
        } else {
            let (a, b) = (clamp(start, n - 1, -1, n - 1), clamp(stop, -1, -1, n - 1));
            let mut i = a;
            while i > b {
                idx.push(i as usize);
                i = i.saturating_add(step);
            }
        }
        idx
    };
    match obj {
        Value::List(l) => {
            let items = l.lock();
            Ok(Value::list(pick(items.len()).into_iter().filter_map(|i| items.get(i).cloned()).collect()))
        }
        Value::Tuple(t) => {
            Ok(Value::tuple(pick(t.len()).into_iter().filter_map(|i| t.get(i).cloned()).collect()))
        }
        Value::Str(s) | Value::Markup(s) => {
            let chars: Vec<char> = s.chars().collect();
            let out: String = pick(chars.len()).into_iter().filter_map(|i| chars.get(i)).collect();
            Ok(if matches!(obj, Value::Markup(_)) { Value::markup(out) } else { Value::from(out) })
        }
        Value::Undefined(u) => {
            if u.kind == UndefinedKind::Chainable {
                Ok(obj.clone())
            } else {
                Err(u.error())
            }
        }
        Value::Object(o) => match o.as_any().downcast_ref::<objects::Range>() {
            Some(r) => Ok(r.slice(start, stop, step)),
            None => Err(type_err(format!("'{}' object is not subscriptable", obj.type_name()))),
        },
        _ => Err(type_err(format!("'{}' object is not subscriptable", obj.type_name()))),
    }
}

/// Write an int in decimal; one and two digits (counters, indices, small numbers) without
/// formatting into a buffer and copying it.
#[inline(always)]
fn write_int(out: &mut String, i: i64) {
    if (0..10).contains(&i) {
        out.push(char::from(b'0' + i as u8));
    } else if (10..100).contains(&i) {
        out.push(char::from(b'0' + (i / 10) as u8));
        out.push(char::from(b'0' + (i % 10) as u8));
    } else {
        out.push_str(itoa::Buffer::new().format(i));
    }
}

/// `obj.attr` when `obj` is a dict holding the key or an object with the attribute: the same
/// answer as `getattr` (a dict method name wins over a key, as there), without cloning the
/// container. `None` sends the caller the general way.
#[inline]
fn item_attr(obj: &Value, attr: &str) -> Option<Value> {
    if !plain_attr(attr) {
        // Python-internal names (`__class__`...) have their own rules in `getattr`.
        return None;
    }
    match obj {
        Value::Dict(d) if !crate::methods::is_dict_method(attr) => {
            crate::value::map_get_str(&d.lock(), attr).cloned()
        }
        Value::Object(o) => o.get_attr(attr),
        _ => None,
    }
}

/// Whether `item_attr` may answer `obj.attr` for attribute `attr`: not a Python-internal name
/// (`__class__`..., which have their own rules in `getattr`).
#[inline]
fn plain_attr(attr: &str) -> bool {
    !attr.starts_with('_')
}

/// [`item_attr`] with the attribute's checks made beforehand (`plain`: [`plain_attr`] holds
/// and `attr` is no dict method), handing the value to `f`: a scalar straight from the dict,
/// under its lock (using a scalar locks nothing), anything else cloned first.
#[inline]
fn with_item_attr<R>(obj: &Value, attr: &str, plain: bool, f: impl FnOnce(&Value) -> R) -> Option<R> {
    if !plain {
        return item_attr(obj, attr).map(|v| f(&v));
    }
    match obj {
        Value::Dict(d) => {
            let g = d.lock();
            let v = crate::value::map_get_str(&g, attr)?;
            if is_scalar(v) {
                Some(f(v))
            } else {
                let v = v.clone();
                drop(g);
                Some(f(&v))
            }
        }
        Value::Object(o) => o.get_attr(attr).map(|v| f(&v)),
        _ => None,
    }
}

/// `obj.attr` for a plain attribute (see [`with_item_attr`]) when `obj` is a dict whose value
/// under that key is a scalar, handed to `f` under the dict's lock; `None` otherwise.
#[inline]
fn scalar_item_attr<R>(obj: &Value, attr: &str, plain: bool, f: impl FnOnce(&Value) -> R) -> Option<R> {
    match obj {
        Value::Dict(d) if plain => {
            let g = d.lock();
            let v = crate::value::map_get_str(&g, attr)?;
            if is_scalar(v) {
                Some(f(v))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// Render-time tables of a program, computed on first use and never serialized (a clone
/// starts empty): the bodies of its simple loops as [`SimpleOp`]s.
#[derive(Default)]
pub struct RenderCache {
    simple_loops: std::sync::OnceLock<Box<[Option<SimpleLoop>]>>,
}

impl Clone for RenderCache {
    fn clone(&self) -> RenderCache {
        RenderCache::default()
    }
}

impl PartialEq for RenderCache {
    /// Derived data: programs equal in their tables are equal whatever their caches hold.
    fn eq(&self, _: &RenderCache) -> bool {
        true
    }
}

impl std::fmt::Debug for RenderCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RenderCache")
    }
}

/// The body of a loop that only writes template data, prints the loop variable, an attribute
/// of it, a `loop` counter or another name, branches on such a value's truthiness (`{% if
/// loop.first %}`), or runs a nested loop of the same kind over the loop variable or another
/// name: such a body assigns nothing, calls nothing and cannot see the loop's frame except
/// through those names, so it runs without the frame and the loop object (most lists a page
/// prints, `<td>{{ cell }}</td>`).
struct SimpleLoop {
    ops: Box<[SimpleOp]>,
    flags: BodyFlags,
}

/// Loop `l` of `p` as a [`SimpleLoop`], `None` when its body is not simple (or it has an
/// `if` filter or is recursive). Built once per program, for all its loops.
#[inline]
fn simple_loop(p: &Program, l: u32) -> Option<&SimpleLoop> {
    let all = p.render_cache.simple_loops.get_or_init(|| {
        let mut scratch = Vec::with_capacity(SIMPLE_MAX_OPS);
        (0..p.loops.len())
            .map(|l| build_simple_loop(p, l as u32, &mut scratch))
            .collect::<Vec<_>>()
            .into_boxed_slice()
    });
    all.get(l as usize)?.as_ref()
}

/// Loop `l` of `p` as a [`SimpleLoop`], if it is one. A dry run into `scratch` (template
/// data not copied) decides first: most loops are not simple, and a page renders each of
/// its programs' loops' analyses once, so those cost no allocation.
fn build_simple_loop(p: &Program, l: u32, scratch: &mut Vec<SimpleOp>) -> Option<SimpleLoop> {
    let f = p.loop_def(l)?;
    if f.filter.is_some() || f.recursive {
        return None;
    }
    let Target::Name(target) = p.target(f.target) else { return None };
    scratch.clear();
    simple_body(p, f.body, p.str(target), &[], 0, true, scratch)?;
    let mut ops = Vec::with_capacity(scratch.len());
    simple_body(p, f.body, p.str(target), &[], 0, false, &mut ops)?;
    let flags = BodyFlags::of(&ops);
    Some(SimpleLoop { ops: ops.into_boxed_slice(), flags })
}

/// What a run of ops does, decided when they are built.
#[derive(Clone, Copy)]
struct BodyFlags {
    /// Data and the item only.
    tight: bool,
    /// Every op is [`SimpleOp::item_only`].
    item_only: bool,
}

impl BodyFlags {
    fn of(ops: &[SimpleOp]) -> BodyFlags {
        BodyFlags {
            tight: ops.iter().all(|op| matches!(op, SimpleOp::Data(_) | SimpleOp::Item(_))),
            item_only: ops.iter().all(SimpleOp::item_only),
        }
    }
}

/// One step of a loop body run by [`State::exec_simple_loop`].
#[derive(Clone)]
enum SimpleOp {
    /// Template data (a copy: written without finding it in the program's data).
    Data(Box<str>),
    /// `{{ target }}`.
    Item(StmtId),
    /// `{{ target.attr }}` (the statement, the expression, the attribute, whether the
    /// attribute is plain: see [`with_item_attr`]).
    ItemAttr(StmtId, ExprId, StrId, bool),
    /// `{{ loop.counter }}`.
    Loop(StmtId, LoopCounter),
    /// `{{ other_name }}`, resolved outside the loop's frame.
    Name(StmtId, ExprId),
    /// `{{ other[target]|default(...) }}` (the statement, the printed expression, `other`
    /// resolved outside the loop's frame, the target's name): see
    /// [`State::emit_other_item_default`].
    OtherItemDefault(StmtId, ExprId, ExprId, StrId),
    /// An `if` or `elif` test (its statement, the condition): when false, skip that many ops.
    If(StmtId, SimpleCond, u32),
    /// Skip that many ops (the end of a taken branch).
    Jump(u32),
    /// A nested loop (its statement, what it iterates) whose body is the next that many ops.
    For(StmtId, SimpleSrc, u32, BodyFlags),
}

impl SimpleOp {
    /// Whether this op reads nothing but the item, the loop's position and template data
    /// (no other name, no nested loop): see [`State::exec_simple_list`].
    fn item_only(&self) -> bool {
        matches!(
            self,
            SimpleOp::Data(_)
                | SimpleOp::Item(_)
                | SimpleOp::ItemAttr(..)
                | SimpleOp::Loop(..)
                | SimpleOp::Jump(_)
                | SimpleOp::If(
                    _,
                    SimpleCond::Loop(_)
                        | SimpleCond::NotLoop(_)
                        | SimpleCond::Item
                        | SimpleCond::ItemAttr(..),
                    _
                )
        )
    }
}

/// Whether `v` is a None, bool, number or string (printing or testing it locks nothing).
#[inline]
fn is_scalar(v: &Value) -> bool {
    matches!(
        v,
        Value::None
            | Value::Bool(_)
            | Value::Int(_)
            | Value::BigInt(_)
            | Value::Float(_)
            | Value::Str(_)
            | Value::Markup(_)
    )
}

/// A condition a simple loop tests.
#[derive(Clone, Copy)]
enum SimpleCond {
    /// `loop.first` and the like.
    Loop(LoopCounter),
    /// `not loop.last` and the like (in an `if` only).
    NotLoop(LoopCounter),
    /// The loop variable.
    Item,
    /// `target.attr` (the expression, the attribute, whether it is plain).
    ItemAttr(ExprId, StrId, bool),
    /// Another name, resolved outside the loop's frame.
    Name(ExprId),
}

/// What a nested simple loop iterates.
#[derive(Clone, Copy)]
enum SimpleSrc {
    /// The enclosing loop's variable.
    Item,
    /// Another name, resolved outside the loops' frames.
    Name(ExprId),
}

/// Whether the top level of `p` is only template data and macro definitions (no blocks
/// anywhere): what importing it without context makes is the same on every render.
fn defines_only_macros(p: &Program) -> bool {
    p.blocks.is_empty()
        && p.body(p.body).iter().all(|&sid| matches!(p.stmt(sid), Stmt::Data(_) | Stmt::Macro(_)))
}

/// How many ops and how deep a nesting of `if`s and loops a simple loop body may have.
const SIMPLE_MAX_OPS: usize = 64;
const SIMPLE_MAX_DEPTH: usize = 4;

/// Values of names a simple loop's ops read, found once for the loop (see
/// [`State::hoist_names`]), by the op's expression.
type Hoisted = smallvec::SmallVec<[(ExprId, Value); 4]>;

/// The value hoisted for the op of expression `e`, if any.
#[inline(always)]
fn hoisted(names: &[(ExprId, Value)], e: ExprId) -> Option<&Value> {
    names.iter().find(|(k, _)| *k == e).map(|(_, v)| v)
}

/// Append `body`, run with loop variable `target` (the enclosing loops' variables `hidden`
/// are not visible to simple ops), as [`SimpleOp`]s; `None` when some statement is not
/// simple. A `dry` run only decides that: template data is a placeholder op, not a copy
/// (and nested loops' flags are not meaningful).
fn simple_body(
    p: &Program,
    body: Range,
    target: &str,
    hidden: &[&str],
    depth: usize,
    dry: bool,
    ops: &mut Vec<SimpleOp>,
) -> Option<()> {
    if depth > SIMPLE_MAX_DEPTH {
        return None;
    }
    for &sid in p.body(body) {
        if ops.len() >= SIMPLE_MAX_OPS {
            return None;
        }
        match p.stmt(sid) {
            Stmt::Data(_) if dry => ops.push(SimpleOp::Jump(0)),
            Stmt::Data(d) => ops.push(SimpleOp::Data(p.data(d).into())),
            Stmt::Emit(e) => {
                if let Some((obj, key)) = other_item_default(p, e, target, hidden) {
                    ops.push(SimpleOp::OtherItemDefault(sid, e, obj, key));
                    continue;
                }
                let op = match simple_value(p, e, target, hidden)? {
                    SimpleCond::Item => SimpleOp::Item(sid),
                    SimpleCond::ItemAttr(e, attr, plain) => SimpleOp::ItemAttr(sid, e, attr, plain),
                    SimpleCond::Loop(c) => SimpleOp::Loop(sid, c),
                    SimpleCond::Name(e) => SimpleOp::Name(sid, e),
                    SimpleCond::NotLoop(_) => return None,
                };
                ops.push(op);
            }
            Stmt::If { branches, otherwise } => {
                // Where each branch's closing jump is (a few branches; more go the general way).
                let mut jumps = [0usize; 8];
                let mut n_jumps = 0;
                for &(cond, then) in branches.of(&p.branches) {
                    let cond = match p.expr(cond) {
                        // `not loop.last`: a counter's truth never fails.
                        Expr::Unary(UnaryOp::Not, x) => match simple_value(p, x, target, hidden)? {
                            SimpleCond::Loop(c) => SimpleCond::NotLoop(c),
                            _ => return None,
                        },
                        _ => simple_value(p, cond, target, hidden)?,
                    };
                    let at = ops.len();
                    ops.push(SimpleOp::Jump(0));
                    simple_body(p, then, target, hidden, depth + 1, dry, ops)?;
                    *jumps.get_mut(n_jumps)? = ops.len();
                    n_jumps += 1;
                    ops.push(SimpleOp::Jump(0));
                    let skip = u32::try_from(ops.len() - at - 1).ok()?;
                    *ops.get_mut(at)? = SimpleOp::If(sid, cond, skip);
                }
                simple_body(p, otherwise, target, hidden, depth + 1, dry, ops)?;
                let end = ops.len();
                for &at in jumps.get(..n_jumps)? {
                    *ops.get_mut(at)? = SimpleOp::Jump(u32::try_from(end - at - 1).ok()?);
                }
            }
            Stmt::For(l) => {
                let f = p.loop_def(l)?;
                if f.filter.is_some() || f.recursive || !p.body(f.otherwise).is_empty() {
                    return None;
                }
                let Target::Name(inner) = p.target(f.target) else { return None };
                let src = match simple_value(p, f.iter, target, hidden)? {
                    SimpleCond::Item => SimpleSrc::Item,
                    SimpleCond::Name(e) => SimpleSrc::Name(e),
                    _ => return None,
                };
                let mut inner_hidden = hidden.to_vec();
                inner_hidden.push(target);
                let at = ops.len();
                ops.push(SimpleOp::Jump(0));
                simple_body(p, f.body, p.str(inner), &inner_hidden, depth + 1, dry, ops)?;
                let len = u32::try_from(ops.len() - at - 1).ok()?;
                let flags = BodyFlags::of(ops.get(at + 1..)?);
                *ops.get_mut(at)? = SimpleOp::For(sid, src, len, flags);
            }
            _ => return None,
        }
    }
    Some(())
}

/// Expression `e` as a simple value: the loop variable, an attribute of it, a `loop`
/// counter, or another name not bound by an enclosing loop. `None` otherwise.
fn simple_value(p: &Program, e: ExprId, target: &str, hidden: &[&str]) -> Option<SimpleCond> {
    match p.expr(e) {
        Expr::Name(n) => {
            let n = p.str(n);
            if same_name_str(target, n) {
                Some(SimpleCond::Item)
            } else if &**n == "loop" || hidden.iter().any(|h| same_name_str(h, n)) {
                None
            } else {
                Some(SimpleCond::Name(e))
            }
        }
        Expr::GetAttr(obj, attr_id) => {
            let Expr::Name(n) = p.expr(obj) else { return None };
            let n = p.str(n);
            let attr = p.str(attr_id);
            if same_name_str(target, n) {
                let plain = plain_attr(attr) && !crate::methods::is_dict_method(attr);
                Some(SimpleCond::ItemAttr(e, attr_id, plain))
            } else if &**n == "loop" {
                Some(SimpleCond::Loop(LoopCounter::parse(attr)?))
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `other[target]|default(literal)` (or `|d`), with `other` a name that is neither `loop`,
/// the loop variable nor an enclosing loop's: `other`'s expression and the target's name.
/// Whether the filter is the builtin `default` is decided when it runs.
fn other_item_default(p: &Program, e: ExprId, target: &str, hidden: &[&str]) -> Option<(ExprId, StrId)> {
    let Expr::Filter { value: Some(inner), name, args } = p.expr(e) else { return None };
    if !matches!(&**p.str(name), "default" | "d") {
        return None;
    }
    let a = p.call_args(args);
    if !a.kwargs.is_empty()
        || a.dyn_args.is_some()
        || a.dyn_kwargs.is_some()
        || a.args.len > 1
        || !p.exprs_in(a.args).iter().all(|&e| constant(p, e))
    {
        return None;
    }
    let Expr::GetItem(obj, key) = p.expr(inner) else { return None };
    let Expr::Name(k) = p.expr(key) else { return None };
    if !same_name_str(target, p.str(k)) {
        return None;
    }
    match simple_value(p, obj, target, hidden)? {
        SimpleCond::Name(obj) => Some((obj, k)),
        _ => None,
    }
}

/// Whether two names are the same.
#[inline]
fn same_name_str(a: &str, b: &str) -> bool {
    a == b
}

/// The `loop` attributes a simple loop computes from the position alone, as
/// [`LoopObject`]'s `get_attr` does.
#[derive(Clone, Copy)]
enum LoopCounter {
    Index,
    Index0,
    RevIndex,
    RevIndex0,
    First,
    Last,
    Length,
    Depth,
    Depth0,
}

impl LoopCounter {
    fn parse(attr: &str) -> Option<LoopCounter> {
        Some(match attr {
            "index" => LoopCounter::Index,
            "index0" => LoopCounter::Index0,
            "revindex" => LoopCounter::RevIndex,
            "revindex0" => LoopCounter::RevIndex0,
            "first" => LoopCounter::First,
            "last" => LoopCounter::Last,
            "length" => LoopCounter::Length,
            "depth" => LoopCounter::Depth,
            "depth0" => LoopCounter::Depth0,
            _ => return None,
        })
    }

    /// The truth of [`LoopCounter::value`].
    #[inline]
    fn truth(self, i: usize, n: usize, depth0: usize) -> bool {
        match self {
            LoopCounter::Index | LoopCounter::Depth => true,
            LoopCounter::Index0 => i != 0,
            LoopCounter::RevIndex => n != i,
            LoopCounter::RevIndex0 => i + 1 != n,
            LoopCounter::Length => n != 0,
            LoopCounter::First => i == 0,
            LoopCounter::Last => i + 1 == n,
            LoopCounter::Depth0 => depth0 != 0,
        }
    }

    /// The value at index `i` of `n` items, at depth `depth0`.
    fn value(self, i: usize, n: usize, depth0: usize) -> Value {
        let int = |x: usize| Value::Int(x as i64);
        match self {
            LoopCounter::Index => int(i + 1),
            LoopCounter::Index0 => int(i),
            LoopCounter::RevIndex => int(n - i),
            LoopCounter::RevIndex0 => int(n - i - 1),
            LoopCounter::First => Value::Bool(i == 0),
            LoopCounter::Last => Value::Bool(i + 1 == n),
            LoopCounter::Length => int(n),
            LoopCounter::Depth => int(depth0 + 1),
            LoopCounter::Depth0 => int(depth0),
        }
    }
}

/// A render's blocks: name -> the definitions from most derived to base.
pub(crate) type BlockMap = BTreeMap<String, Vec<(Arc<Program>, usize)>>;

/// Python's reserved words (`keyword.iskeyword`): a call with one as a keyword argument name is
/// written by Jinja2 as `**{...}` and duplicate names then merge instead of failing.
pub(crate) fn is_python_keyword(name: &str) -> bool {
    matches!(
        name,
        "False"
            | "None"
            | "True"
            | "and"
            | "as"
            | "assert"
            | "async"
            | "await"
            | "break"
            | "class"
            | "continue"
            | "def"
            | "del"
            | "elif"
            | "else"
            | "except"
            | "finally"
            | "for"
            | "from"
            | "global"
            | "if"
            | "import"
            | "in"
            | "is"
            | "lambda"
            | "nonlocal"
            | "not"
            | "or"
            | "pass"
            | "raise"
            | "return"
            | "try"
            | "while"
            | "with"
            | "yield"
    )
}
