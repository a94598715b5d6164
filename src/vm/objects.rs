//! Engine objects that templates see: the `loop` variable, macros, modules from `import`,
//! `self`/`super()`, and the builtin globals `range`, `dict`, `lipsum`, `cycler`, `joiner`,
//! `namespace`.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::{Ctx, State};
use crate::compiler::program::{MacroDef, MacroUses};
use crate::compiler::Program;
use crate::error::{Error, ErrorKind, Result};
use crate::value::{ops, Args, Object, Str, Value};

macro_rules! any_impl {
    () => {
        fn as_any(&self) -> &dyn Any {
            self
        }
    };
}

/// The value of `name` in a map of names: a namespace's or a module's few attributes are
/// scanned, which costs less than hashing the name.
#[inline(always)]
fn str_map_get<'m>(map: &'m crate::value::StrMap, name: &str) -> Option<&'m Value> {
    if map.len() <= 8 {
        return map.iter().find(|(k, _)| crate::value::str_eq(k, name)).map(|(_, v)| v);
    }
    map.get(name)
}

/// [`str_map_get`], for replacing the value.
#[inline]
fn str_map_get_mut<'m>(map: &'m mut crate::value::StrMap, name: &str) -> Option<&'m mut Value> {
    if map.len() <= 8 {
        return map.iter_mut().find(|(k, _)| crate::value::str_eq(k, name)).map(|(_, v)| v);
    }
    map.get_mut(name)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

// ---- loop ----------------------------------------------------------------------------------

/// The `loop` variable of a `for` loop (updated in place as the loop advances).
#[derive(Debug)]
pub struct LoopObject {
    items: crate::value::Items,
    /// For a loop over a single-pass iterator, the items instead of `items` (boxed: most
    /// loops have none, and the loop object is made for every loop).
    lazy: Option<Box<LazyItems>>,
    index0: AtomicUsize,
    depth0: usize,
    last_changed: Mutex<Option<Vec<Value>>>,
    /// For a recursive loop: its program, its loop index and the id of its frame.
    recursive: Option<(Arc<Program>, u32, u32)>,
    undefined: crate::value::UndefinedKind,
    /// The loop object itself, which iterating it hands out with each item.
    me: std::sync::Weak<LoopObject>,
}

impl LoopObject {
    pub(crate) fn new(
        items: crate::value::Items,
        lazy: Option<Box<LazyItems>>,
        depth0: usize,
        recursive: Option<(Arc<Program>, u32, u32)>,
        undefined: crate::value::UndefinedKind,
        me: std::sync::Weak<LoopObject>,
    ) -> LoopObject {
        LoopObject {
            me,
            items,
            lazy,
            index0: AtomicUsize::new(0),
            depth0,
            last_changed: Mutex::new(None),
            recursive,
            undefined,
        }
    }
    /// The number of items (all of a single-pass iterator's are taken).
    pub(crate) fn len(&self) -> usize {
        match &self.lazy {
            None => self.items.len(),
            Some(l) => l.take(None).len(),
        }
    }
    pub(crate) fn set_index(&self, i: usize) {
        self.index0.store(i, Ordering::Relaxed);
    }
    /// Whether the items are taken from a single-pass iterator as the loop goes.
    pub(crate) fn is_lazy(&self) -> bool {
        self.lazy.is_some()
    }
    /// Item `i` of a loop whose items are all there (not [`LoopObject::is_lazy`]).
    #[inline]
    pub(crate) fn eager_item(&self, i: usize) -> Value {
        self.items.get(i).cloned().unwrap_or(Value::None)
    }
    /// Item `i`, if there is one (a single-pass iterator's are taken up to it).
    pub(crate) fn item(&self, i: usize) -> Option<Value> {
        match &self.lazy {
            None => self.items.get(i).cloned(),
            Some(l) => l.take(Some(i)).get(i).cloned(),
        }
    }
    /// Whether item `i` is the last (Jinja2 looks one item ahead).
    fn is_last(&self, i: usize) -> bool {
        match &self.lazy {
            None => i + 1 == self.items.len(),
            Some(l) => l.take(Some(i + 1)).len() <= i + 1,
        }
    }
    /// The index of the current item.
    pub(crate) fn index0(&self) -> usize {
        self.index0.load(Ordering::Relaxed)
    }
}

impl Object for LoopObject {
    fn type_name(&self) -> &str {
        "LoopContext"
    }
    fn type_repr(&self) -> String {
        "jinja2.runtime.LoopContext object".to_string()
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        let i = self.index0();
        Some(match name {
            "index" => Value::Int(i as i64 + 1),
            "index0" => Value::Int(i as i64),
            "revindex" => Value::Int(self.len().saturating_sub(i) as i64),
            "revindex0" => Value::Int(self.len().saturating_sub(i) as i64 - 1),
            "first" => Value::Bool(i == 0),
            "last" => Value::Bool(self.is_last(i)),
            "length" => Value::Int(self.len() as i64),
            "depth" => Value::Int(self.depth0 as i64 + 1),
            "depth0" => Value::Int(self.depth0 as i64),
            "previtem" => {
                if i == 0 {
                    Value::undefined_hint(self.undefined, "there is no previous item")
                } else {
                    self.item(i - 1).unwrap_or(Value::None)
                }
            }
            "nextitem" => match self.item(i + 1) {
                Some(v) => v,
                None => Value::undefined_hint(self.undefined, "there is no next item"),
            },
            _ => return None,
        })
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, state: &mut State, args: Args) -> Result<Value> {
        match &self.recursive {
            Some((program, l, frame)) => state.call_loop(program, *l, self.depth0, *frame, args),
            None => Err(Error::new(
                ErrorKind::TypeError,
                "The loop must be marked as 'recursive' to call it with a new iterable.",
            )),
        }
    }
    fn method_names(&self) -> &'static [&'static str] {
        &["cycle", "changed"]
    }
    fn call_method(&self, _state: &mut State, name: &str, args: &Args) -> Option<Result<Value>> {
        match name {
            "cycle" => Some(if args.args.is_empty() {
                Err(Error::new(ErrorKind::TypeError, "no items for cycling given"))
            } else {
                Ok(args.args.get(self.index0() % args.args.len()).cloned().unwrap_or(Value::None))
            }),
            "changed" => {
                let mut last = lock(&self.last_changed);
                // `self._last_changed_value != value`: tuples compare item by item up to the
                // first difference (a StrictUndefined met there raises), then by length.
                let changed = match last.as_ref() {
                    None => true,
                    Some(prev) => {
                        let mut differs = false;
                        for (a, b) in prev.iter().zip(args.args.iter()) {
                            match ops::eq(a, b) {
                                Ok(true) => {}
                                Ok(false) => {
                                    differs = true;
                                    break;
                                }
                                Err(e) => return Some(Err(e)),
                            }
                        }
                        differs || prev.len() != args.args.len()
                    }
                };
                if changed {
                    *last = Some(args.args.to_vec());
                }
                Some(Ok(Value::Bool(changed)))
            }
            _ => None,
        }
    }
    /// What iterating `loop` would give, without moving the loop on.
    fn iter(&self) -> Option<Vec<Value>> {
        let skip = self.index0() + 1;
        let me = Value::Object(self.me.upgrade()?);
        let pair = |v: &Value| Value::tuple(vec![v.clone(), me.clone()]);
        Some(match &self.lazy {
            None => self.items.iter().skip(skip).map(pair).collect(),
            Some(l) => l.take(None).iter().skip(skip).map(pair).collect(),
        })
    }
    /// Iterating `loop` (Jinja2's LoopContext is its own iterator) moves the loop on: each
    /// step hands out `(item, loop)` for the loop's next item, which the loop itself then
    /// does not run for.
    fn next_item(&self) -> Option<Result<Option<Value>>> {
        let i = self.index0() + 1;
        let Some(item) = self.item(i) else { return Some(Ok(None)) };
        let me = self.me.upgrade()?;
        self.set_index(i);
        Some(Ok(Some(Value::tuple(vec![item, Value::Object(me)]))))
    }
    fn takes_lazily(&self) -> bool {
        true
    }
    fn consume(&self) -> Option<Result<Vec<Value>>> {
        let mut out = Vec::new();
        loop {
            match self.next_item()? {
                Ok(Some(v)) => out.push(v),
                Ok(None) => return Some(Ok(out)),
                Err(e) => return Some(Err(e)),
            }
        }
    }
    fn len(&self) -> Option<usize> {
        // LoopContext.__len__ is the loop's length.
        Some(LoopObject::len(self))
    }
    fn repr(&self) -> String {
        format!("<LoopContext {}/{}>", self.index0() + 1, LoopObject::len(self))
    }
    any_impl!();
}

/// The items of a loop over a single-pass iterator (a generator), taken from it only as the
/// loop, or a `loop` attribute that looks ahead, needs them: as Jinja2's LoopContext takes
/// them, so that a loop over the same generator nested in this one goes on from there.
#[derive(Debug)]
pub(crate) struct LazyItems {
    source: Arc<dyn Object>,
    taken: Mutex<Vec<Value>>,
    done: std::sync::atomic::AtomicBool,
}

impl LazyItems {
    /// A loop over `source`, if it is an iterator that is taken one item at a time
    /// ([`Object::takes_lazily`]).
    pub(crate) fn of(source: &Value) -> Option<Box<LazyItems>> {
        let Value::Object(o) = source else { return None };
        if !o.takes_lazily() {
            return None;
        }
        Some(Box::new(LazyItems {
            source: o.clone(),
            taken: Mutex::new(Vec::new()),
            done: Default::default(),
        }))
    }

    /// The items taken so far, after taking them up to index `upto` (all for `None`) or to
    /// the end of the iterator.
    fn take(&self, upto: Option<usize>) -> std::sync::MutexGuard<'_, Vec<Value>> {
        let mut taken = lock(&self.taken);
        while !self.done.load(Ordering::Relaxed) && upto.is_none_or(|i| taken.len() <= i) {
            match self.source.next_item() {
                Some(Ok(Some(v))) => taken.push(v),
                _ => self.done.store(true, Ordering::Relaxed),
            }
        }
        taken
    }

    /// Whether the iterator has no items (left).
    pub(crate) fn is_empty(&self) -> bool {
        self.take(Some(0)).is_empty()
    }
}

// ---- macros --------------------------------------------------------------------------------

/// A macro defined with `{% macro %}` (or the `caller` of a call block).
pub struct Macro {
    /// Index of its definition in `program.macros`.
    pub(crate) id: u32,
    pub(crate) program: Arc<Program>,
    pub(crate) closure: Vec<(Str, Value)>,
    pub(crate) ctx: Ctx,
    pub(crate) autoescape: bool,
    pub(crate) is_caller: bool,
    pub(crate) self_ref: Option<std::sync::Weak<Macro>>,
    /// The names its template's top level starts without, when defined there (see
    /// `State::top_missing`).
    pub(crate) top_missing: crate::compiler::program::Range,
    /// Which closure entries are names their scope had not assigned yet (`Frame::missing`).
    pub(crate) closure_missing: u64,
    /// The frame (`Frame::id`) each closure entry was captured from, when it was defined
    /// inside a scope (empty at the top level).
    pub(crate) closure_sources: Vec<u32>,
    /// The frames running where the macro was defined, outermost first.
    pub(crate) def_frames: Vec<u32>,
    /// The derived block context where the macro was defined (`State::block_derived`).
    pub(crate) block_derived: Option<super::Frame>,
}

impl std::fmt::Debug for Macro {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "<Macro '{}'>", self.name())
    }
}

impl Macro {
    pub(crate) fn new(
        id: u32,
        program: Arc<Program>,
        closure: Vec<(Str, Value)>,
        ctx: Ctx,
        autoescape: bool,
    ) -> Macro {
        Macro {
            id,
            program,
            closure,
            ctx,
            autoescape,
            is_caller: false,
            self_ref: None,
            top_missing: Default::default(),
            closure_missing: 0,
            closure_sources: Vec::new(),
            def_frames: Vec::new(),
            block_derived: None,
        }
    }

    fn def(&self) -> Option<&MacroDef> {
        self.program.macro_def(self.id)
    }

    fn uses(&self) -> MacroUses {
        self.def().map(|d| d.uses).unwrap_or_default()
    }

    /// The macro's name.
    pub fn name(&self) -> &str {
        match self.def() {
            Some(d) => self.program.str(d.name),
            None => "",
        }
    }
}

impl Object for Macro {
    fn type_name(&self) -> &str {
        "Macro"
    }
    fn type_repr(&self) -> String {
        "jinja2.runtime.Macro object".to_string()
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, state: &mut State, args: Args) -> Result<Value> {
        state.call_macro(self, args)
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        Some(match name {
            "name" if self.is_caller => Value::None,
            "name" => Value::from(self.name()),
            "arguments" => Value::tuple(match self.def() {
                Some(d) => d
                    .params
                    .of(&self.program.params)
                    .iter()
                    .map(|&(p, _)| Value::Str(self.program.str(p).clone()))
                    .collect(),
                None => Vec::new(),
            }),
            "catch_kwargs" => Value::Bool(self.uses().kwargs),
            "catch_varargs" => Value::Bool(self.uses().varargs),
            "caller" => Value::Bool(self.uses().caller),
            _ => return None,
        })
    }
    fn repr(&self) -> String {
        let name = if self.is_caller { "anonymous".to_string() } else { format!("'{}'", self.name()) };
        format!("<Macro {}>", name)
    }
    any_impl!();
}

// ---- modules and template references ------------------------------------------------------

/// What `{% import %}` binds: a template's exported names and its rendered body.
#[derive(Debug)]
pub struct Module {
    pub(crate) name: String,
    vars: crate::value::StrMap,
    body: String,
    autoescape: bool,
}

impl Module {
    pub(crate) fn new(name: String, vars: crate::value::StrMap, body: String, autoescape: bool) -> Module {
        Module { name, vars, body, autoescape }
    }
}

impl Object for Module {
    fn type_name(&self) -> &str {
        "TemplateModule"
    }
    fn type_repr(&self) -> String {
        "jinja2.environment.TemplateModule object".to_string()
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        str_map_get(&self.vars, name).cloned()
    }
    fn to_str(&self) -> String {
        self.body.clone()
    }
    fn is_markup(&self) -> bool {
        self.autoescape
    }
    fn repr(&self) -> String {
        format!("<TemplateModule '{}'>", self.name)
    }
    any_impl!();
}

/// A template passed around as a value.
#[derive(Debug)]
pub(crate) struct TemplateObject {
    pub(crate) program: Arc<Program>,
}

impl Object for TemplateObject {
    fn type_name(&self) -> &str {
        "Template"
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        match name {
            "name" => Some(Value::from(self.program.name.as_str())),
            _ => None,
        }
    }
    fn repr(&self) -> String {
        format!("<Template '{}'>", self.program.name)
    }
    any_impl!();
}

/// `self`: blocks of the current render by name (the names known when `self` was looked up;
/// any other attribute is undefined, as Jinja2's `context.blocks[name]` lookup fails).
#[derive(Debug)]
pub(crate) struct TemplateReference {
    pub(crate) name: Option<String>,
    pub(crate) blocks: Vec<String>,
}

impl Object for TemplateReference {
    fn type_name(&self) -> &str {
        "TemplateReference"
    }
    fn type_repr(&self) -> String {
        "jinja2.runtime.TemplateReference object".to_string()
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        self.blocks
            .iter()
            .any(|b| b == name)
            .then(|| Value::object(BlockSuper { name: name.to_string(), level: 0, parents: None }))
    }
    fn repr(&self) -> String {
        match &self.name {
            Some(n) => format!("<TemplateReference {}>", crate::value::repr::str_repr(n)),
            None => "<TemplateReference None>".to_string(),
        }
    }
    any_impl!();
}

/// A callable that renders a block at an inheritance level (`super()`, `self.name()`).
#[derive(Debug)]
pub(crate) struct BlockSuper {
    pub(crate) name: String,
    pub(crate) level: usize,
    /// How many definitions the block has, when known (`super`), so that `super.super` is
    /// undefined past the last, as Jinja2's `BlockReference.super` is; with the kind of
    /// undefined that makes.
    pub(crate) parents: Option<(usize, crate::value::UndefinedKind)>,
}

impl BlockSuper {
    /// `super` in a block rendered at `level`: the definition above it, or an undefined
    /// that says there is none.
    pub(crate) fn above(name: &str, level: usize, parents: (usize, crate::value::UndefinedKind)) -> Value {
        if level + 1 < parents.0 {
            Value::object(BlockSuper { name: name.to_string(), level: level + 1, parents: Some(parents) })
        } else {
            Value::undefined_hint(parents.1, format!("there is no parent block called '{}'.", name))
        }
    }
}

impl Object for BlockSuper {
    fn type_name(&self) -> &str {
        "BlockReference"
    }
    fn type_repr(&self) -> String {
        "jinja2.runtime.BlockReference object".to_string()
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        match (name, self.parents) {
            ("super", Some(parents)) => Some(BlockSuper::above(&self.name, self.level, parents)),
            ("super", None) => Some(Value::object(BlockSuper {
                name: self.name.clone(),
                level: self.level + 1,
                parents: None,
            })),
            _ => None,
        }
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, state: &mut State, args: Args) -> Result<Value> {
        let [] = args.bind(&self.name, [])?;
        let exists = state.blocks.get(&self.name).is_some_and(|l| l.len() > self.level);
        if !exists {
            let msg = if self.level == 0 {
                format!("no block named '{}'", self.name)
            } else {
                format!("there is no parent block called '{}'.", self.name)
            };
            return Err(Error::new(ErrorKind::UndefinedError, msg));
        }
        let mut out = String::new();
        state.render_block(&self.name, self.level, &mut out)?;
        Ok(if state.autoescape { Value::markup(out) } else { Value::from(out) })
    }
    any_impl!();
}

// ---- globals -------------------------------------------------------------------------------

/// Largest list `range()` builds.
pub const MAX_RANGE: i64 = 10_000_000;

fn int_arg(v: &Value, what: &str) -> Result<i64> {
    match v {
        Value::Int(_) | Value::Bool(_) => Ok(v.as_i64().unwrap_or(0)),
        // Python's range takes it, and fails where it needs a length or an index.
        Value::BigInt(_) => {
            Err(Error::new(ErrorKind::OverflowError, "Python int too large to convert to C ssize_t"))
        }
        Value::Undefined(u) => Err(u.error()),
        _ => Err(Error::new(
            ErrorKind::TypeError,
            format!("'{}' object cannot be interpreted as an integer{}", v.type_name(), what),
        )),
    }
}

fn range(_: &mut State, args: Args) -> Result<Value> {
    if !args.kwargs.is_empty() {
        return Err(Error::new(ErrorKind::TypeError, "range() takes no keyword arguments"));
    }
    let nums: Vec<i64> = args.args.iter().map(|v| int_arg(v, "")).collect::<Result<_>>()?;
    let (start, stop, step) = match nums.as_slice() {
        [stop] => (0, *stop, 1),
        [start, stop] => (*start, *stop, 1),
        [start, stop, step] => (*start, *stop, *step),
        [] => return Err(Error::new(ErrorKind::TypeError, "range expected at least 1 argument, got 0")),
        _ => {
            return Err(Error::new(
                ErrorKind::TypeError,
                format!("range expected at most 3 arguments, got {}", nums.len()),
            ))
        }
    };
    if step == 0 {
        return Err(Error::new(ErrorKind::ValueError, "range() arg 3 must not be zero"));
    }
    let count = range_len(start, stop, step);
    if count > MAX_RANGE as i128 {
        return Err(Error::new(
            ErrorKind::OverflowError,
            format!("range too big, maximum size for range is {}", MAX_RANGE),
        ));
    }
    Ok(Value::object(Range { start, stop, step, len: count as usize }))
}

/// How many items `range(start, stop, step)` has (`step` is not zero).
fn range_len(start: i64, stop: i64, step: i64) -> i128 {
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    if step > 0 && stop > start {
        (stop - start + step - 1) / step
    } else if step < 0 && start > stop {
        (start - stop - step - 1) / -step
    } else {
        0
    }
}

/// What `range()` returns: a lazy arithmetic sequence that prints like Python's.
#[derive(Debug)]
pub struct Range {
    start: i64,
    stop: i64,
    step: i64,
    len: usize,
}

impl Range {
    /// `range[start:stop:step]`, which Python answers with another range: the slice's indices
    /// clamped as `slice.indices(len)` does, mapped through this range (`step` is not zero).
    pub fn slice(&self, start: Option<i64>, stop: Option<i64>, step: i64) -> Value {
        let n = self.len as i64;
        let clamp = |i: Option<i64>, default: i64, lo: i64, hi: i64| match i {
            None => default,
            Some(i) => (if i < 0 { i.saturating_add(n) } else { i }).clamp(lo, hi),
        };
        let (a, b) = if step > 0 {
            (clamp(start, 0, 0, n), clamp(stop, n, 0, n))
        } else {
            (clamp(start, n - 1, -1, n - 1), clamp(stop, -1, -1, n - 1))
        };
        let start = self.nth_i(a);
        let stop = self.nth_i(b);
        let step = self.step.saturating_mul(step);
        let len = range_len(start, stop, step).clamp(0, MAX_RANGE as i128) as usize;
        Value::object(Range { start, stop, step, len })
    }

    fn nth_i(&self, i: i64) -> i64 {
        self.start.saturating_add(i.saturating_mul(self.step))
    }

    fn nth(&self, i: usize) -> i64 {
        self.start.saturating_add((i as i64).saturating_mul(self.step))
    }

    /// Where `item` is in the range, compared as Python's `==` (`range.index`, `range.count`):
    /// only a number with an integer value can equal an entry, found by arithmetic as Python
    /// does, not by walking the range (`range(10**9).count(5)` is one step).
    fn position(&self, item: &Value) -> Option<usize> {
        let k = match *item {
            Value::Int(k) => k,
            Value::Bool(b) => i64::from(b),
            // Exactly representable in i64 (2**63 itself is not), so the comparison is exact.
            Value::Float(f)
                if f.fract() == 0.0 && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) =>
            {
                f as i64
            }
            // (A big int lies outside every range of i64 bounds.)
            _ => return None,
        };
        let offset = i128::from(k) - i128::from(self.start);
        let step = i128::from(self.step);
        if step == 0 || offset % step != 0 {
            return None;
        }
        usize::try_from(offset / step).ok().filter(|&i| i < self.len)
    }
}

impl Object for Range {
    fn type_name(&self) -> &str {
        "range"
    }
    fn iter(&self) -> Option<Vec<Value>> {
        Some((0..self.len).map(|i| Value::Int(self.nth(i))).collect())
    }
    fn len(&self) -> Option<usize> {
        Some(self.len)
    }
    fn is_true(&self) -> bool {
        self.len > 0
    }
    fn get_item(&self, key: &Value) -> Option<Value> {
        let i = key.as_i64()?;
        let i = if i < 0 { i + self.len as i64 } else { i };
        if i < 0 || i as usize >= self.len {
            return None;
        }
        Some(Value::Int(self.nth(i as usize)))
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        match name {
            "start" => Some(Value::Int(self.start)),
            "stop" => Some(Value::Int(self.stop)),
            "step" => Some(Value::Int(self.step)),
            _ => None,
        }
    }
    fn method_names(&self) -> &'static [&'static str] {
        &["index", "count"]
    }
    fn call_method(&self, _state: &mut State, name: &str, args: &Args) -> Option<Result<Value>> {
        if name != "index" && name != "count" {
            return None;
        }
        let item = match (args.args.as_slice(), args.kwargs.is_empty()) {
            ([item], true) => item,
            _ => {
                return Some(Err(Error::new(
                    ErrorKind::TypeError,
                    format!("range.{}() takes exactly one argument ({} given)", name, args.args.len()),
                )))
            }
        };
        if name == "count" {
            // Entries are distinct: there at most once.
            return Some(Ok(Value::Int(i64::from(self.position(item).is_some()))));
        }
        Some(match self.position(item) {
            Some(i) => Ok(Value::Int(i as i64)),
            None => Err(Error::new(ErrorKind::ValueError, format!("{} is not in range", item.repr()))),
        })
    }
    /// Python compares ranges as the sequences they give: `range(0) == range(2, 2)`,
    /// `range(0, 3) == range(0, 3, 1)`.
    fn same_as(&self, other: &dyn Object) -> bool {
        match other.as_any().downcast_ref::<Range>() {
            Some(o) => {
                self.len == o.len
                    && (self.len == 0 || (self.start == o.start && (self.len == 1 || self.step == o.step)))
            }
            None => false,
        }
    }
    fn repr(&self) -> String {
        if self.step == 1 {
            format!("range({}, {})", self.start, self.stop)
        } else {
            format!("range({}, {}, {})", self.start, self.stop, self.step)
        }
    }
    any_impl!();
}

fn dict(_: &mut State, args: Args) -> Result<Value> {
    let mut m = crate::value::Map::default();
    match args.args.as_slice() {
        [] => {}
        [Value::Dict(d)] => {
            for (k, v) in d.lock().iter() {
                m.insert(k.clone(), v.clone());
            }
        }
        [Value::Undefined(u)] => return Err(u.error()),
        [other] => {
            for pair in other.try_iter()? {
                let kv = pair.try_iter()?;
                match kv.as_slice() {
                    [k, v] => {
                        k.hash_check()?;
                        m.insert(k.clone(), v.clone());
                    }
                    _ => {
                        return Err(Error::new(
                            ErrorKind::ValueError,
                            "dictionary update sequence element has wrong length",
                        ))
                    }
                }
            }
        }
        _ => return Err(Error::new(ErrorKind::TypeError, "dict expected at most 1 argument")),
    }
    for (k, v) in args.kwargs {
        m.insert(Value::Str(k), v);
    }
    Ok(Value::dict(m))
}

/// `namespace()`: an object whose attributes `{% set ns.attr = ... %}` can assign.
#[derive(Debug, Default)]
pub struct Namespace {
    attrs: Mutex<crate::value::StrMap>,
}

impl Namespace {
    pub(crate) fn set(&self, name: &str, value: Value) -> Result<()> {
        let mut attrs = lock(&self.attrs);
        // Most assignments replace an attribute (`ns.total = ns.total + x` in a loop): no new
        // key is made for them.
        match str_map_get_mut(&mut attrs, name) {
            Some(slot) => *slot = value,
            None => {
                attrs.insert(Arc::from(name), value);
            }
        }
        Ok(())
    }
}

impl Object for Namespace {
    fn type_name(&self) -> &str {
        "Namespace"
    }
    fn type_repr(&self) -> String {
        "jinja2.utils.Namespace object".to_string()
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        str_map_get(&lock(&self.attrs), name).cloned()
    }
    fn set_attr(&self, name: &str, value: Value) -> Result<()> {
        self.set(name, value)
    }
    fn repr(&self) -> String {
        // Jinja2 3.1: `f"<Namespace {self.__attrs!r}>"`, the attribute dict's repr.
        let attrs = lock(&self.attrs);
        let inner: Vec<String> =
            attrs.iter().map(|(k, v)| format!("{}: {}", crate::value::repr::str_repr(k), v.repr())).collect();
        format!("<Namespace {{{}}}>", inner.join(", "))
    }
    any_impl!();
}

fn namespace(_: &mut State, args: Args) -> Result<Value> {
    let ns = Namespace::default();
    // Jinja2's Namespace is `dict(*args, **kwargs)`: one mapping or iterable of pairs at most.
    if args.args.len() > 1 {
        return Err(Error::new(
            ErrorKind::TypeError,
            format!("dict expected at most 1 argument, got {}", args.args.len()),
        ));
    }
    for a in &args.args {
        match a {
            // dict() looks up `keys` on its argument, which an undefined value of any kind
            // fails (a ChainableUndefined's fails when called).
            Value::Undefined(u) => return Err(u.error()),
            Value::Dict(d) => {
                for (k, v) in d.lock().iter() {
                    ns.set(&k.to_str(), v.clone())?;
                }
            }
            other => {
                for (i, pair) in other.try_iter()?.into_iter().enumerate() {
                    let kv = pair.try_iter()?;
                    match kv.as_slice() {
                        [k, v] => {
                            k.hash_check()?;
                            ns.set(&k.to_str(), v.clone())?
                        }
                        _ => {
                            return Err(Error::new(
                                ErrorKind::ValueError,
                                format!(
                                    "dictionary update sequence element #{} has length {}; 2 is required",
                                    i,
                                    kv.len()
                                ),
                            ))
                        }
                    }
                }
            }
        }
    }
    for (k, v) in args.kwargs {
        ns.set(&k, v)?;
    }
    Ok(Value::object(ns))
}

/// `cycler(a, b, ...)`: `next()`, `current`, `reset()`.
#[derive(Debug)]
pub struct Cycler {
    items: Vec<Value>,
    pos: AtomicUsize,
}

impl Object for Cycler {
    fn type_name(&self) -> &str {
        "Cycler"
    }
    fn type_repr(&self) -> String {
        "jinja2.utils.Cycler object".to_string()
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        match name {
            "current" => self.items.get(self.pos.load(Ordering::Relaxed)).cloned(),
            "items" => Some(Value::tuple(self.items.clone())),
            _ => None,
        }
    }
    fn method_names(&self) -> &'static [&'static str] {
        &["next", "__next__", "reset"]
    }
    fn call_method(&self, _state: &mut State, name: &str, _args: &Args) -> Option<Result<Value>> {
        match name {
            "next" | "__next__" => {
                let p = self.pos.load(Ordering::Relaxed);
                let v = self.items.get(p).cloned().unwrap_or(Value::None);
                if !self.items.is_empty() {
                    self.pos.store((p + 1) % self.items.len(), Ordering::Relaxed);
                }
                Some(Ok(v))
            }
            "reset" => {
                self.pos.store(0, Ordering::Relaxed);
                Some(Ok(Value::None))
            }
            _ => None,
        }
    }
    any_impl!();
}

fn cycler(_: &mut State, args: Args) -> Result<Value> {
    if args.args.is_empty() {
        return Err(Error::new(ErrorKind::TypeError, "at least one item has to be provided"));
    }
    Ok(Value::object(Cycler { items: args.args.into_vec(), pos: AtomicUsize::new(0) }))
}

/// `joiner(sep)`: returns `''` the first time, then `sep`.
#[derive(Debug)]
pub struct Joiner {
    sep: Value,
    used: std::sync::atomic::AtomicBool,
}

impl Object for Joiner {
    fn type_name(&self) -> &str {
        "Joiner"
    }
    fn type_repr(&self) -> String {
        "jinja2.utils.Joiner object".to_string()
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, _state: &mut State, _args: Args) -> Result<Value> {
        if self.used.swap(true, Ordering::Relaxed) {
            Ok(self.sep.clone())
        } else {
            Ok(Value::from(""))
        }
    }
    any_impl!();
}

fn joiner(_: &mut State, args: Args) -> Result<Value> {
    let [sep] = args.bind("joiner", ["sep"])?;
    Ok(Value::object(Joiner { sep: sep.unwrap_or(Value::from(", ")), used: Default::default() }))
}

const LOREM: &str = "a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at auctor augue bibendum blandit class commodo condimentum congue consectetuer consequat conubia convallis cras cubilia cum curabitur curae cursus dapibus diam dictum dictumst dignissim dis dolor donec dui duis egestas eget eleifend elementum elit enim erat eros est et etiam eu euismod facilisi facilisis fames faucibus felis fermentum feugiat fringilla fusce gravida habitant habitasse hac hendrerit hymenaeos iaculis id imperdiet in inceptos integer interdum ipsum justo lacinia lacus laoreet lectus leo libero ligula litora lobortis lorem luctus maecenas magna magnis malesuada massa mattis mauris metus mi molestie mollis montes morbi mus nam nascetur natoque nec neque netus nibh nisi nisl non nonummy nostra nulla nullam nunc odio orci ornare parturient pede pellentesque penatibus per pharetra phasellus placerat platea porta porttitor posuere potenti praesent pretium primis proin pulvinar purus quam quis quisque rhoncus ridiculus risus rutrum sagittis sapien scelerisque sed sem semper senectus sit sociis sociosqu sodales sollicitudin suscipit suspendisse taciti tellus tempor tempus tincidunt torquent tortor tristique turpis ullamcorper ultrices ultricies urna ut varius vehicula vel velit venenatis vestibulum vitae vivamus viverra volutpat vulputate";

fn lipsum(_: &mut State, args: Args) -> Result<Value> {
    let [n, html, min, max] = args.bind("generate_lorem_ipsum", ["n", "html", "min", "max"])?;
    // Jinja2 runs `range(n)`, then `randrange(min, max)` for each paragraph: their errors.
    let n = match n {
        Some(v) => int_arg(&v, "")?,
        None => 5,
    }
    .clamp(0, 1000);
    let html = match html {
        Some(v) => v.is_true()?,
        None => true,
    };
    // Python draws each paragraph's word count with `randrange(min, max)`: `max` excluded
    // (`randrange(min, None)` is `randrange(min)`), an integral float accepted, an empty range a
    // ValueError (once a paragraph is asked for), a negative count no words.
    let bound = |v: Option<Value>, default: i64, pos: usize| match v {
        None => Ok(default),
        Some(Value::Float(f)) if f.fract() == 0.0 && f.abs() < 1e18 => Ok(f as i64),
        Some(Value::Float(_)) => {
            Err(crate::filters::value_error(format!("non-integer arg {} for randrange()", pos)))
        }
        Some(v) => int_arg(&v, ""),
    };
    let (min, max) = match (n > 0, max) {
        (false, _) => (20, 100),
        (true, Some(Value::None)) => (0, bound(min, 20, 1)?),
        (true, max) => (bound(min, 20, 1)?, bound(max, 100, 2)?),
    };
    if n > 0 && max <= min {
        return Err(crate::filters::value_error(format!(
            "empty range for randrange() ({}, {}, {})",
            min,
            max,
            max.saturating_sub(min)
        )));
    }
    let words: Vec<&str> = LOREM.split(' ').collect();
    let mut seed: u64 = 0x2545F4914F6CDD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut paras = Vec::new();
    for _ in 0..n {
        let span = max.saturating_sub(min).clamp(1, 10_000) as u64;
        let count = min.saturating_add((next() % span) as i64).min(10_000);
        let mut p = String::new();
        for i in 0..count {
            let w = words.get((next() % words.len() as u64) as usize).copied().unwrap_or("lorem");
            if i > 0 {
                p.push(' ');
            }
            p.push_str(w);
        }
        let mut p = {
            let mut c = p.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => p,
            }
        };
        p.push('.');
        paras.push(p);
    }
    Ok(if html {
        Value::markup(
            paras
                .iter()
                .map(|p| format!("<p>{}</p>", crate::value::markup::escape(p)))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    } else {
        Value::from(paras.join("\n\n"))
    })
}

/// The builtin globals every environment starts with. All but `lipsum` are classes in Python
/// (`range`, `dict`, `jinja2.utils.Cycler`...): they print and report their type as classes.
pub(crate) fn builtin_globals() -> BTreeMap<String, Value> {
    type Builtin =
        (&'static str, Option<(&'static str, &'static str)>, fn(&mut State, Args) -> Result<Value>);
    let funcs: [Builtin; 6] = [
        ("range", Some(("range", "range")), range),
        ("dict", Some(("dict", "dict")), dict),
        ("lipsum", None, lipsum),
        ("cycler", Some(("Cycler", "jinja2.utils.Cycler")), cycler),
        ("joiner", Some(("Joiner", "jinja2.utils.Joiner")), joiner),
        ("namespace", Some(("Namespace", "jinja2.utils.Namespace")), namespace),
    ];
    funcs
        .into_iter()
        .map(|(name, class, f)| {
            (name.to_string(), Value::object(Closure { name: name.to_string(), class, f: Box::new(f) }))
        })
        .collect()
}

/// A global implemented by a Rust closure (`Environment::add_function`), or one of the builtin
/// classes (`class`: its `__name__` and its qualified name).
pub(crate) struct Closure {
    name: String,
    class: Option<(&'static str, &'static str)>,
    f: Box<NativeFn>,
}

/// The function behind a [`Closure`].
type NativeFn = dyn Fn(&mut State, Args) -> Result<Value> + Send + Sync;

impl std::fmt::Debug for Closure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.repr())
    }
}

impl Object for Closure {
    fn type_name(&self) -> &str {
        if self.class.is_some() {
            "type"
        } else {
            "function"
        }
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, state: &mut State, args: Args) -> Result<Value> {
        (self.f)(state, args)
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        match (name, self.class) {
            ("__name__", Some((short, _))) => Some(Value::from(short)),
            _ => None,
        }
    }
    fn repr(&self) -> String {
        match self.class {
            Some((_, qualified)) => format!("<class '{}'>", qualified),
            None => format!("<function {}>", self.name),
        }
    }
    any_impl!();
}

/// Wrap a closure as a callable value.
pub fn function_value<F>(name: &str, f: F) -> Value
where
    F: Fn(&mut State, Args) -> Result<Value> + Send + Sync + 'static,
{
    Value::object(Closure { name: name.to_string(), class: None, f: Box::new(f) })
}

fn format_kwargs(s: &str, args: &Args) -> Result<Value> {
    if args.kwargs.is_empty() {
        return Ok(Value::from(s));
    }
    let mut m = crate::value::Map::default();
    for (k, v) in &args.kwargs {
        m.insert(Value::Str(k.clone()), v.clone());
    }
    Ok(Value::from(crate::filters::printf::percent_format(s, &Value::dict(m))?))
}

fn gettext(_: &mut State, args: Args) -> Result<Value> {
    let msg = args.args.first().map(Value::to_str).unwrap_or_default();
    format_kwargs(&msg, &args)
}

fn ngettext(_: &mut State, args: Args) -> Result<Value> {
    let s = args.args.first().map(Value::to_str).unwrap_or_default();
    let p = args.args.get(1).map(Value::to_str).unwrap_or_default();
    let n = args.args.get(2).and_then(Value::as_i64).unwrap_or(1);
    let mut kw = args.clone();
    if !kw.kwargs.iter().any(|(k, _)| &**k == "num") {
        kw.kwargs.push((Arc::from("num"), Value::Int(n)));
    }
    format_kwargs(if n == 1 { &s } else { &p }, &kw)
}

/// The i18n extension's globals: `_`, `gettext`, `ngettext` (identity translations).
pub(crate) fn install_i18n(env: &mut crate::Environment) {
    let g: fn(&mut State, Args) -> Result<Value> = gettext;
    let n: fn(&mut State, Args) -> Result<Value> = ngettext;
    env.add_global("_", function_value("_", g));
    env.add_global("gettext", function_value("gettext", g));
    env.add_global("ngettext", function_value("ngettext", n));
}

/// A `slice(...)` object as the name of the undefined a constant slice folds to (only its
/// repr is ever read: DebugUndefined prints it).
#[derive(Debug)]
pub(crate) struct SliceName(pub(crate) String);

impl crate::value::Object for SliceName {
    fn type_name(&self) -> &str {
        "slice"
    }
    fn repr(&self) -> String {
        self.0.clone()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
