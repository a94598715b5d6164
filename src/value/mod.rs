//! The runtime value: Python's data model as Jinja2 sees it (None, bool, int with big-int
//! overflow, float, str, Markup, list, tuple, dict in insertion order, Undefined, callables and
//! user objects). Cheap to clone: containers are reference-counted and, like Python's, shared.

pub mod argtypes;
pub mod complex;
mod convert;
pub mod markup;
pub mod ops;
pub(crate) mod pyunicode;
pub mod repr;

use std::any::Any;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};

use indexmap::IndexMap;
use num_bigint::BigInt;
use num_traits::ToPrimitive;

use crate::error::{Error, ErrorKind, Result};
use crate::vm::State;

pub use convert::{from_json, to_json};

/// Reference-counted immutable string.
pub type Str = Arc<str>;

/// The hasher of every map the renderer builds (dicts, contexts, namespaces, modules):
/// foldhash, seeded per process. Lookups by key are the most frequent map operation of a render
/// (`user.name`, context names), and std's SipHash cost several times as much; iteration order
/// does not depend on it (the maps keep insertion order).
pub type BuildHash = foldhash::fast::RandomState;

/// The map behind a dict: insertion-ordered like Python's.
pub type Map = IndexMap<Value, Value, BuildHash>;

/// Names to values, insertion-ordered: contexts, namespaces and modules.
pub type StrMap = IndexMap<Str, Value, BuildHash>;

/// A Python list: shared and mutable. The items are held copy-on-write, so that iteration
/// can take a snapshot of them ([`ListCell::snapshot`]) without copying: a mutation while a
/// snapshot is alive copies the items first (as iterating over a copy did).
#[derive(Default)]
pub struct ListCell(Mutex<Arc<Vec<Value>>>);

/// A locked list: reads its items in place; a mutable access first makes them its own if a
/// snapshot shares them.
pub struct ListGuard<'a>(MutexGuard<'a, Arc<Vec<Value>>>);

impl std::ops::Deref for ListGuard<'_> {
    type Target = Vec<Value>;
    #[inline]
    fn deref(&self) -> &Vec<Value> {
        &self.0
    }
}

impl std::ops::DerefMut for ListGuard<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Vec<Value> {
        Arc::make_mut(&mut self.0)
    }
}

impl ListCell {
    /// Lock the list for reading or mutation.
    pub fn lock(&self) -> ListGuard<'_> {
        ListGuard(self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// The items as they are now, shared (no copy): later mutations of the list do not
    /// change them.
    pub fn snapshot(&self) -> Arc<Vec<Value>> {
        self.lock().0.clone()
    }
}

/// A value's items as iteration sees them: a list's snapshot or a tuple's items shared,
/// other values' items made for the occasion.
#[derive(Debug, Clone)]
pub enum Items {
    /// Shared with a list (a snapshot) or a tuple.
    Shared(Arc<Vec<Value>>),
    /// Made by the iteration.
    Owned(Vec<Value>),
}

impl Default for Items {
    fn default() -> Items {
        Items::Owned(Vec::new())
    }
}

impl std::ops::Deref for Items {
    type Target = [Value];
    #[inline]
    fn deref(&self) -> &[Value] {
        match self {
            Items::Shared(v) => v,
            Items::Owned(v) => v,
        }
    }
}

impl Items {
    /// The items as a vector of their own (copied when shared).
    pub fn into_vec(self) -> Vec<Value> {
        match self {
            Items::Shared(v) => Arc::try_unwrap(v).unwrap_or_else(|v| v.as_ref().clone()),
            Items::Owned(v) => v,
        }
    }
}

/// A Python dict: shared and mutable, insertion-ordered.
#[derive(Default)]
pub struct DictCell(Mutex<Map>);

impl DictCell {
    /// Lock the dict for reading or mutation.
    pub fn lock(&self) -> MutexGuard<'_, Map> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Which of Jinja2's Undefined classes a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum UndefinedKind {
    /// `Undefined`: prints empty, iterates empty, fails on attribute access.
    #[default]
    Default,
    /// `StrictUndefined`: fails on nearly every use.
    Strict,
    /// `ChainableUndefined`: attribute and item access yield undefined again.
    Chainable,
    /// `DebugUndefined`: prints `{{ name }}`.
    Debug,
}

impl UndefinedKind {
    /// Parse the CLI / config spelling.
    pub fn parse(s: &str) -> Option<UndefinedKind> {
        Some(match s {
            "default" | "Undefined" => UndefinedKind::Default,
            "strict" | "StrictUndefined" => UndefinedKind::Strict,
            "chainable" | "ChainableUndefined" => UndefinedKind::Chainable,
            "debug" | "DebugUndefined" => UndefinedKind::Debug,
            _ => return None,
        })
    }
}

/// An undefined value with what Jinja2 remembers about why it is undefined.
#[derive(Debug, Clone)]
pub struct Undefined {
    /// The policy class.
    pub kind: UndefinedKind,
    /// The name (or key) that was looked up.
    pub name: Option<Value>,
    /// `object_type_repr` of the object the lookup was made on, if any.
    pub obj: Option<String>,
    /// An explicit message.
    pub hint: Option<Hint>,
}

/// An undefined value's explicit message: the text, or a message naming a position in a
/// template, formatted when it is read ([`Hint::text`]).
#[derive(Clone)]
pub enum Hint {
    /// The message.
    Text(String),
    /// `before`, the position of node `node` of `program` ("line 3 in 'page.html'"), then
    /// `after`. The line is looked up only when the message is read (an error is raised, a
    /// DebugUndefined printed, `_undefined_hint` read): that unpacks the program's whole span
    /// table, which a render otherwise never needs (an inline `if` without `else` that is
    /// false makes such an undefined every time).
    At {
        /// The template the node is in.
        program: Arc<crate::compiler::Program>,
        /// The node.
        node: crate::compiler::program::Node,
        /// The text before the position.
        before: std::borrow::Cow<'static, str>,
        /// The text after it.
        after: std::borrow::Cow<'static, str>,
    },
}

impl Hint {
    /// The message.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Hint::Text(s) => std::borrow::Cow::Borrowed(s),
            Hint::At { program, node, before, after } => {
                std::borrow::Cow::Owned(crate::vm::positioned(before, program, *node, after))
            }
        }
    }
}

impl fmt::Debug for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Hint::Text(s) => s.fmt(f),
            Hint::At { program, node, before, after } => f
                .debug_struct("At")
                .field("template", &program.name)
                .field("node", node)
                .field("before", before)
                .field("after", after)
                .finish(),
        }
    }
}

impl Undefined {
    /// The message of the UndefinedError this value raises when used.
    pub fn message(&self) -> String {
        if let Some(h) = &self.hint {
            return h.text().into_owned();
        }
        let name = self.name.clone().unwrap_or(Value::None);
        match &self.obj {
            None => format!("{} is undefined", name.repr()),
            Some(obj) => match &name {
                Value::Str(_) => format!("{} has no attribute {}", repr::str_repr(obj), name.repr()),
                _ => format!("{} has no element {}", obj, name.repr()),
            },
        }
    }

    /// The error raised when this undefined value is used.
    pub fn error(&self) -> Error {
        Error::new(ErrorKind::UndefinedError, self.message())
    }
}

/// The positional arguments of a call, held inline up to three: nearly every filter, test
/// and macro call passes fewer, and the vector each call allocated (and its filter freed)
/// was a tenth of the allocations of a render.
pub type ArgVec = smallvec::SmallVec<[Value; 3]>;

/// The TypeError of a call with more positional arguments than the function takes.
#[cold]
fn too_many_args(func: &str, n: usize, given: usize) -> Error {
    Error::new(
        ErrorKind::TypeError,
        format!("{}() takes {} positional arguments but {} were given", func, n, given),
    )
}

/// Put keyword argument `k` into the slot of the parameter it names ([`Args::bind`]).
fn bind_kwarg<const N: usize>(
    func: &str,
    names: &[&str; N],
    out: &mut [Option<Value>; N],
    k: &str,
    v: Value,
) -> Result<()> {
    let Some(slot) = names.iter().position(|n| **n == *k).and_then(|i| out.get_mut(i)) else {
        return Err(Error::new(
            ErrorKind::TypeError,
            format!("{}() got an unexpected keyword argument '{}'", func, k),
        ));
    };
    if slot.is_some() {
        return Err(Error::new(
            ErrorKind::TypeError,
            format!("{}() got multiple values for argument '{}'", func, k),
        ));
    }
    *slot = Some(v);
    Ok(())
}

/// Arguments of a call: positional then keyword, in source order.
#[derive(Debug, Clone, Default)]
pub struct Args {
    /// Positional arguments.
    pub args: ArgVec,
    /// Keyword arguments.
    pub kwargs: Vec<(Str, Value)>,
}

impl Args {
    /// Positional arguments only.
    pub fn positional(args: impl Into<ArgVec>) -> Args {
        Args { args: args.into(), kwargs: Vec::new() }
    }

    /// Bind to a Python signature: `names` are the parameter names in order; the result has
    /// the value passed for each (positionally or by keyword), `None` where not given. Too many
    /// positional arguments, unknown or duplicate keywords are TypeErrors naming `func`. The
    /// values are moved out (see [`Args::bind_ref`] to keep them).
    pub fn bind<const N: usize>(self, func: &str, names: [&str; N]) -> Result<[Option<Value>; N]> {
        let mut out: [Option<Value>; N] = std::array::from_fn(|_| None);
        let Args { mut args, kwargs } = self;
        if args.len() > N {
            return Err(too_many_args(func, N, args.len()));
        }
        // Popped from the end: moving the inline vector into an iterator cost more than the
        // clones this saves.
        for slot in out.iter_mut().take(args.len()).rev() {
            *slot = args.pop();
        }
        if !kwargs.is_empty() {
            for (k, v) in kwargs {
                bind_kwarg(func, &names, &mut out, &k, v)?;
            }
        }
        Ok(out)
    }

    /// [`Args::bind`] for arguments that are only borrowed: the values are cloned.
    pub fn bind_ref<const N: usize>(&self, func: &str, names: [&str; N]) -> Result<[Option<Value>; N]> {
        let mut out: [Option<Value>; N] = std::array::from_fn(|_| None);
        if self.args.len() > N {
            return Err(too_many_args(func, N, self.args.len()));
        }
        for (slot, v) in out.iter_mut().zip(self.args.iter()) {
            *slot = Some(v.clone());
        }
        for (k, v) in &self.kwargs {
            bind_kwarg(func, &names, &mut out, k, v.clone())?;
        }
        Ok(out)
    }

    /// Whether there are no arguments at all.
    pub fn is_empty(&self) -> bool {
        self.args.is_empty() && self.kwargs.is_empty()
    }

    /// Look up a keyword argument.
    pub fn kwarg(&self, name: &str) -> Option<&Value> {
        self.kwargs.iter().find(|(k, _)| &**k == name).map(|(_, v)| v)
    }
}

/// A user-defined or engine object: macros, loop objects, cyclers, namespaces, Rust functions.
#[allow(clippy::len_without_is_empty)]
pub trait Object: fmt::Debug + Send + Sync + Any {
    /// Python-style type name, used in error messages (`'dict object' has no attribute`).
    fn type_name(&self) -> &str {
        "object"
    }
    /// Jinja2's `object_type_repr` of this object, as error messages print it.
    fn type_repr(&self) -> String {
        format!("{} object", self.type_name())
    }
    /// Attribute lookup (`obj.name`).
    fn get_attr(&self, _name: &str) -> Option<Value> {
        None
    }
    /// Item lookup (`obj[key]`).
    fn get_item(&self, _key: &Value) -> Option<Value> {
        None
    }
    /// Set an attribute (only namespaces allow it).
    fn set_attr(&self, _name: &str, _value: Value) -> Result<()> {
        Err(Error::new(ErrorKind::TemplateRuntimeError, "cannot assign attribute on non-namespace object"))
    }
    /// Whether the object is callable.
    fn is_callable(&self) -> bool {
        false
    }
    /// Call the object.
    fn call(&self, _state: &mut State, _args: Args) -> Result<Value> {
        Err(Error::new(ErrorKind::TypeError, format!("'{}' object is not callable", self.type_name())))
    }
    /// Call a method; `None` when there is no such method.
    fn call_method(&self, _state: &mut State, _name: &str, _args: &Args) -> Option<Result<Value>> {
        None
    }
    /// The names [`Object::call_method`] answers, so that `obj.name` without a call is the
    /// bound method (`loop.cycle`, `cycler.next`).
    fn method_names(&self) -> &'static [&'static str] {
        &[]
    }
    /// The items when iterated, or `None` when not iterable. Does not consume a single-pass
    /// iterator (see [`Object::consume`]).
    fn iter(&self) -> Option<Vec<Value>> {
        None
    }
    /// Whether `iter()` of the object succeeds.
    fn is_iterable(&self) -> bool {
        self.iter().is_some()
    }
    /// Iterate as Python's `for` does: a container hands out its items, a single-pass iterator
    /// (a generator) what it has left, then nothing. `Some(Err)` is an error the iterator
    /// raises while iterated; `None` means not iterable.
    fn consume(&self) -> Option<Result<Vec<Value>>> {
        self.iter().map(Ok)
    }
    /// Python's `next()` on a single-pass iterator (a generator): `Some(Ok(Some(item)))`,
    /// `Some(Ok(None))` once exhausted, `Some(Err)` for the error its body raised; `None` for
    /// an object that is not one (a `for` loop over it takes its items all at once).
    fn next_item(&self) -> Option<Result<Option<Value>>> {
        None
    }
    /// Whether a `for` loop that reads its `loop` variable takes this object's items one at a
    /// time with [`Object::next_item`] (as Python's `for` does) rather than all at its start.
    fn takes_lazily(&self) -> bool {
        false
    }
    /// `item in self`, when the object answers it without iterating (a dict view hashes the
    /// item, as Python does); `None` to search what `iter()` gives.
    fn contains(&self, _item: &Value) -> Option<Result<bool>> {
        None
    }
    /// `len()`, when defined. (No `is_empty`: emptiness is Python truthiness, `is_true`.)
    fn len(&self) -> Option<usize> {
        None
    }
    /// Truthiness.
    fn is_true(&self) -> bool {
        true
    }
    /// Python's `str()`.
    fn to_str(&self) -> String {
        self.repr()
    }
    /// Python's `repr()`.
    fn repr(&self) -> String {
        format!("<{} object>", self.type_name())
    }
    /// Whether `str()` of this object is already safe markup (`__html__`).
    fn is_markup(&self) -> bool {
        false
    }
    /// Whether Python can hash the object (a dict key, `in` a dict); dict views of keys and
    /// items cannot be.
    fn is_hashable(&self) -> bool {
        true
    }
    /// Python `==` with another object that is not this one (identity is checked first).
    fn same_as(&self, _other: &dyn Object) -> bool {
        false
    }
    /// For tuple-like objects (namedtuples): the items, so that `==` compares them with tuples.
    fn as_tuple(&self) -> Option<Vec<Value>> {
        None
    }
    /// Downcast support.
    fn as_any(&self) -> &dyn Any;
}

/// A value in a template.
#[derive(Clone)]
pub enum Value {
    /// An undefined value.
    Undefined(Arc<Undefined>),
    /// Python's `None`.
    None,
    /// `True` / `False`.
    Bool(bool),
    /// An int that fits in 64 bits.
    Int(i64),
    /// An int that does not.
    BigInt(Arc<BigInt>),
    /// A float.
    Float(f64),
    /// A str.
    Str(Str),
    /// A Markup (safe) string.
    Markup(Str),
    /// A list.
    List(Arc<ListCell>),
    /// A tuple.
    Tuple(Arc<Vec<Value>>),
    /// A dict.
    Dict(Arc<DictCell>),
    /// Anything else.
    Object(Arc<dyn Object>),
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.repr())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_str())
    }
}

impl Value {
    /// The default Undefined for a missing name.
    pub fn undefined(kind: UndefinedKind, name: &str) -> Value {
        Value::Undefined(Arc::new(Undefined { kind, name: Some(Value::from(name)), obj: None, hint: None }))
    }

    /// An undefined value with an explicit message.
    pub fn undefined_hint(kind: UndefinedKind, hint: impl Into<String>) -> Value {
        Value::Undefined(Arc::new(Undefined {
            kind,
            name: None,
            obj: None,
            hint: Some(Hint::Text(hint.into())),
        }))
    }

    /// A str value (the same as `Value::from(s)`; not `FromStr`, which could fail).
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    /// A Markup value.
    pub fn markup(s: impl Into<Str>) -> Value {
        Value::Markup(s.into())
    }

    /// A Markup string of `s` (its storage kept for [`scratch`]).
    #[inline]
    pub(crate) fn markup_of(s: String) -> Value {
        Value::Markup(str_of(s))
    }

    /// A new list.
    pub fn list(items: Vec<Value>) -> Value {
        Value::List(Arc::new(ListCell(Mutex::new(Arc::new(items)))))
    }

    /// A new tuple.
    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Arc::new(items))
    }

    /// A new dict.
    pub fn dict(map: Map) -> Value {
        Value::Dict(Arc::new(DictCell(Mutex::new(map))))
    }

    /// Wrap an object.
    pub fn object<T: Object>(obj: T) -> Value {
        Value::Object(Arc::new(obj))
    }

    /// An int from a big integer, narrowed to i64 when it fits.
    pub fn from_bigint(b: BigInt) -> Value {
        match b.to_i64() {
            Some(i) => Value::Int(i),
            None => Value::BigInt(Arc::new(b)),
        }
    }

    /// Whether this is undefined.
    pub fn is_undefined(&self) -> bool {
        matches!(self, Value::Undefined(_))
    }

    /// Whether this is None.
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// Whether this is Markup or an object with `__html__`.
    pub fn is_safe(&self) -> bool {
        match self {
            Value::Markup(_) => true,
            Value::Object(o) => o.is_markup(),
            _ => false,
        }
    }

    /// Whether this is a str or Markup.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::Str(_) | Value::Markup(_))
    }

    /// Whether this is an int, float or bool (Python's `numbers.Number`).
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Int(_) | Value::BigInt(_) | Value::Float(_) | Value::Bool(_))
    }

    /// Whether this is an int (bool included, as in Python).
    pub fn is_integer(&self) -> bool {
        matches!(self, Value::Int(_) | Value::BigInt(_) | Value::Bool(_))
    }

    /// Whether this is callable.
    pub fn is_callable(&self) -> bool {
        match self {
            Value::Object(o) => o.is_callable(),
            _ => false,
        }
    }

    /// The string content of a str or Markup.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Markup(s) => Some(s),
            _ => None,
        }
    }

    /// The value as i64 if it is an int (or bool) that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            Value::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }

    /// The value as an index clamped to 64 bits, as CPython clamps slice bounds and the
    /// arguments it reads with `PyNumber_AsSsize_t(v, NULL)` (`_PyEval_SliceIndex`: `s[:10**30]`,
    /// `s.find(x, -10**30)`, `round(x, 10**30)`): an int past 64 bits stands as the far end of
    /// its sign; bools and ints as themselves; anything else `None`.
    pub fn as_clamped_i64(&self) -> Option<i64> {
        match self {
            Value::BigInt(b) if b.sign() == num_bigint::Sign::Minus => Some(i64::MIN),
            Value::BigInt(_) => Some(i64::MAX),
            _ => self.as_i64(),
        }
    }

    /// The value as f64 if it is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Bool(b) => Some(*b as i64 as f64),
            Value::Float(f) => Some(*f),
            Value::BigInt(b) => b.to_f64(),
            _ => None,
        }
    }

    /// Downcast an object value.
    pub fn downcast_object<T: Object>(&self) -> Option<&T> {
        match self {
            Value::Object(o) => o.as_any().downcast_ref::<T>(),
            _ => None,
        }
    }

    /// Python's type name: `type(x).__name__`.
    pub fn type_name(&self) -> &str {
        match self {
            Value::Undefined(u) => match u.kind {
                UndefinedKind::Default => "Undefined",
                UndefinedKind::Strict => "StrictUndefined",
                UndefinedKind::Chainable => "ChainableUndefined",
                UndefinedKind::Debug => "DebugUndefined",
            },
            Value::None => "NoneType",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::BigInt(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Markup(_) => "Markup",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Object(o) => o.type_name(),
        }
    }

    /// Jinja2's `object_type_repr`: `None`, `dict object`, `str object`...
    pub fn object_type_repr(&self) -> String {
        match self {
            Value::None => "None".to_string(),
            Value::Markup(_) => "markupsafe.Markup object".to_string(),
            Value::Undefined(_) => format!("jinja2.runtime.{} object", self.type_name()),
            Value::Object(o) => o.type_repr(),
            _ => format!("{} object", self.type_name()),
        }
    }

    /// Truthiness; an error only for StrictUndefined.
    pub fn is_true(&self) -> Result<bool> {
        Ok(match self {
            Value::Undefined(u) => {
                if u.kind == UndefinedKind::Strict {
                    return Err(u.error());
                }
                false
            }
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::BigInt(_) => true,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) | Value::Markup(s) => !s.is_empty(),
            Value::List(l) => !l.lock().is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::Dict(d) => !d.lock().is_empty(),
            Value::Object(o) => o.is_true(),
        })
    }

    /// Python's `len()`, `None` for a value without one. (No `is_empty`: emptiness is
    /// Python truthiness, [`Value::is_true`].)
    #[allow(clippy::len_without_is_empty)]
    pub fn len(&self) -> Option<usize> {
        match self {
            Value::Str(s) | Value::Markup(s) => Some(s.chars().count()),
            Value::List(l) => Some(l.lock().len()),
            Value::Tuple(t) => Some(t.len()),
            Value::Dict(d) => Some(d.lock().len()),
            Value::Undefined(u) if u.kind != UndefinedKind::Strict => Some(0),
            Value::Object(o) => o.len(),
            _ => None,
        }
    }

    /// Whether the value is a container that iterates.
    pub fn is_iterable(&self) -> bool {
        match self {
            Value::Str(_) | Value::Markup(_) | Value::List(_) | Value::Tuple(_) | Value::Dict(_) => true,
            Value::Undefined(_) => true,
            Value::Object(o) => o.is_iterable(),
            _ => false,
        }
    }

    /// Iterate as Python does (dicts yield keys, strings characters), materialized.
    pub fn try_iter(&self) -> Result<Vec<Value>> {
        Ok(match self {
            Value::List(l) => l.lock().clone(),
            Value::Tuple(t) => t.as_ref().clone(),
            _ => self.iter_items()?.into_vec(),
        })
    }

    /// [`Value::try_iter`] without copying a list's or a tuple's items: a snapshot of the
    /// list (a later mutation of the list copies it first) or the tuple's own items.
    pub fn iter_items(&self) -> Result<Items> {
        Ok(Items::Owned(match self {
            Value::List(l) => return Ok(Items::Shared(l.snapshot())),
            Value::Tuple(t) => return Ok(Items::Shared(t.clone())),
            // Markup does not override `__iter__`: its characters are plain strings.
            Value::Str(s) | Value::Markup(s) => {
                s.chars().map(|c| Value::Str(Arc::from(c.encode_utf8(&mut [0; 4]) as &str))).collect()
            }
            Value::Dict(d) => d.lock().keys().cloned().collect(),
            Value::Undefined(u) => {
                if u.kind == UndefinedKind::Strict {
                    return Err(u.error());
                }
                Vec::new()
            }
            Value::Object(o) => match o.consume() {
                Some(v) => v?,
                None => {
                    return Err(Error::new(
                        ErrorKind::TypeError,
                        format!("'{}' object is not iterable", o.type_name()),
                    ))
                }
            },
            _ => {
                return Err(Error::new(
                    ErrorKind::TypeError,
                    format!("'{}' object is not iterable", self.type_name()),
                ))
            }
        }))
    }

    /// Python's `str()`.
    pub fn to_str(&self) -> String {
        let mut s = String::new();
        repr::write_str(&mut s, self);
        s
    }

    /// Python's `repr()`.
    pub fn repr(&self) -> String {
        let mut s = String::new();
        repr::write_repr(&mut s, self);
        s
    }

    /// Python-style attribute lookup only (no item fallback): dict methods are not attributes
    /// here, they are handled as method calls. Returns `None` when there is no such attribute.
    pub fn get_attr_raw(&self, name: &str) -> Option<Value> {
        match self {
            Value::Object(o) => o.get_attr(name),
            Value::Float(f) if name == "real" => Some(Value::Float(*f)),
            Value::Float(_) if name == "imag" => Some(Value::Float(0.0)),
            Value::Int(_) | Value::BigInt(_) | Value::Bool(_) if name == "real" || name == "numerator" => {
                Some(match self {
                    Value::Bool(b) => Value::Int(*b as i64),
                    v => v.clone(),
                })
            }
            Value::Int(_) | Value::BigInt(_) | Value::Bool(_) if name == "imag" => Some(Value::Int(0)),
            Value::Int(_) | Value::BigInt(_) | Value::Bool(_) if name == "denominator" => Some(Value::Int(1)),
            _ => None,
        }
    }

    /// Python-style item lookup (`obj[key]`) only; `None` when missing. Negative indices count
    /// from the end as in Python.
    pub fn get_item_raw(&self, key: &Value) -> Option<Value> {
        match self {
            Value::Dict(d) => match key {
                // A str key (`row[col]`, attribute getters) without hashing a small dict.
                Value::Str(k) | Value::Markup(k) => map_get_str(&d.lock(), k).cloned(),
                _ => d.lock().get(key).cloned(),
            },
            Value::List(l) => index_seq(&l.lock(), key),
            Value::Tuple(t) => index_seq(t, key),
            Value::Str(s) | Value::Markup(s) => {
                let i = key.as_i64()?;
                let n = s.chars().count() as i64;
                let i = if i < 0 { i + n } else { i };
                if i < 0 || i >= n {
                    return None;
                }
                let c = s.chars().nth(i as usize)?;
                let cs: Str = Arc::from(c.to_string().as_str());
                Some(if matches!(self, Value::Markup(_)) { Value::Markup(cs) } else { Value::Str(cs) })
            }
            Value::Object(o) => o.get_item(key),
            _ => None,
        }
    }

    /// Whether the value can be a dict key.
    pub fn is_hashable(&self) -> bool {
        match self {
            Value::List(_) | Value::Dict(_) => false,
            Value::Tuple(t) => t.iter().all(Value::is_hashable),
            Value::Object(o) => o.is_hashable(),
            _ => true,
        }
    }

    /// Python's `hash(value)` as far as it can fail: a TypeError naming the list or dict that
    /// makes the value unhashable (a tuple names the item inside it), or the UndefinedError of
    /// a StrictUndefined, whose `__hash__` raises (items of a tuple are hashed in order).
    pub fn hash_check(&self) -> Result<()> {
        match self {
            Value::Undefined(u) if u.kind == UndefinedKind::Strict => Err(u.error()),
            Value::Tuple(t) => t.iter().try_for_each(Value::hash_check),
            _ if self.is_hashable() => Ok(()),
            _ => Err(Error::new(ErrorKind::TypeError, format!("unhashable type: '{}'", self.type_name()))),
        }
    }
}

/// A borrowed string key that finds `Value::Str` entries of a map without allocating.
#[derive(Hash)]
pub struct StrKey<'a>(pub &'a str);

impl indexmap::Equivalent<Value> for StrKey<'_> {
    // (Always: a record scan calling this cost a third more in some builds.)
    #[inline(always)]
    fn equivalent(&self, key: &Value) -> bool {
        matches!(key, Value::Str(s) | Value::Markup(s) if str_eq(s, self.0))
    }
}

/// `a == b` for the short names and keys a render compares (dict keys while scanning a
/// record, frame names): different strings of one length mostly differ in their first byte,
/// which is checked first; up to 16 bytes are then compared as two (overlapping) words each
/// side instead of calling `memcmp`.
#[inline]
pub(crate) fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a.first() != b.first() {
        return false;
    }
    match a.len() {
        0..=3 => a == b,
        4..=8 => word_pair::<4>(a) == word_pair::<4>(b),
        9..=16 => word_pair::<8>(a) == word_pair::<8>(b),
        _ => a == b,
    }
}

/// The first and the last `N` bytes of `s` (at least `N` long) as two words: for `N..=2N`
/// bytes they cover every byte, so two strings of one such length are equal exactly when
/// their pairs are.
#[inline(always)]
fn word_pair<const N: usize>(s: &[u8]) -> (u64, u64) {
    let word = |w: Option<&[u8]>| {
        let mut buf = [0u8; 8];
        if let (Some(w), Some(dst)) = (w, buf.get_mut(..N)) {
            dst.copy_from_slice(w);
        }
        u64::from_ne_bytes(buf)
    };
    (word(s.get(..N)), word(s.len().checked_sub(N).and_then(|at| s.get(at..))))
}

impl Value {
    /// Item lookup by a string key without allocating one (`d.name`, `d['name']`).
    pub fn get_item_str(&self, key: &str) -> Option<Value> {
        match self {
            Value::Dict(d) => map_get_str(&d.lock(), key).cloned(),
            Value::Object(o) => o.get_item(&Value::from(key)),
            _ => None,
        }
    }
}

/// The value under str key `key`. Small dicts (most records a template reads, `user.name`)
/// are scanned, which costs less than hashing the key; the answer is the same, as keys are
/// unique and the scan uses the lookup's own equivalence.
#[inline(always)]
pub(crate) fn map_get_str<'m>(map: &'m Map, key: &str) -> Option<&'m Value> {
    use indexmap::Equivalent;
    if map.len() <= 8 {
        // (A plain loop: `find` became a call of its own in some builds, costing more than
        // the scan.)
        let key = StrKey(key);
        for (k, v) in map.iter() {
            if key.equivalent(k) {
                return Some(v);
            }
        }
        return None;
    }
    map.get(&StrKey(key))
}

/// `obj[key]` when `obj` is a dict holding str key `key`: what `State::getitem` answers there,
/// found the short way (`row[col]`, `map(attribute='name')`). `None` sends the caller the
/// general way.
#[inline]
pub(crate) fn dict_str_item(obj: &Value, key: &str) -> Option<Value> {
    match obj {
        Value::Dict(d) => map_get_str(&d.lock(), key).cloned(),
        _ => None,
    }
}

fn index_seq(items: &[Value], key: &Value) -> Option<Value> {
    let i = key.as_i64()?;
    let n = items.len() as i64;
    let i = if i < 0 { i + n } else { i };
    if i < 0 {
        return None;
    }
    items.get(i as usize).cloned()
}

impl PartialEq for Value {
    fn eq(&self, other: &Value) -> bool {
        ops::loose_eq(self, other)
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self {
            Value::None => 0u8.hash(state),
            Value::Bool(b) => (*b as i64).hash(state),
            Value::Int(i) => i.hash(state),
            Value::BigInt(b) => b.hash(state),
            Value::Float(f) => {
                if f.fract() == 0.0 && f.abs() < 9.2e18 {
                    (*f as i64).hash(state)
                } else {
                    f.to_bits().hash(state)
                }
            }
            Value::Str(s) | Value::Markup(s) => s.hash(state),
            Value::Tuple(t) => {
                for v in t.iter() {
                    v.hash(state)
                }
            }
            Value::Undefined(_) => 1u8.hash(state),
            Value::Object(_) => hash_object(self, state),
            Value::List(_) | Value::Dict(_) => 2u8.hash(state),
        }
    }
}

/// The hash of an object value: a complex equals the number its real part is when its
/// imaginary part is zero, so it hashes as that float; any other object alike.
#[cold]
fn hash_object<H: Hasher>(v: &Value, state: &mut H) {
    match complex::of(v) {
        Some(c) if c.im == 0.0 => Value::Float(c.re).hash(state),
        _ => 2u8.hash(state),
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }
}
impl From<String> for Value {
    #[inline]
    fn from(s: String) -> Value {
        Value::Str(str_of(s))
    }
}

thread_local! {
    /// The storage of the last string made a [`Str`] (see [`scratch`]).
    static SCRATCH: std::cell::Cell<String> = const { std::cell::Cell::new(String::new()) };
}

/// Larger buffers are freed rather than kept for [`scratch`].
const SCRATCH_KEEP: usize = 1 << 16;

/// An empty string for building a value in, with room for `cap` bytes: the storage of the
/// last string made a [`Str`] by [`str_of`] when there is one. A `Str` cannot take over a
/// `String`'s buffer, so making one allocates and copies; a string built here and made one
/// by `str_of` (or `Value::from`) costs that allocation only, not its own too.
#[inline]
pub(crate) fn scratch(cap: usize) -> String {
    let mut b = SCRATCH.take();
    b.clear();
    b.reserve(cap);
    b
}

/// The [`Str`] of `s`, its storage kept for the next [`scratch`].
#[inline]
pub(crate) fn str_of(mut s: String) -> Str {
    let r = Str::from(s.as_str());
    if s.capacity() != 0 && s.capacity() <= SCRATCH_KEEP {
        s.clear();
        // (The buffer kept before, if any, is freed: one is kept.)
        SCRATCH.set(s);
    }
    r
}
impl From<Str> for Value {
    fn from(s: Str) -> Value {
        Value::Str(s)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}
impl From<i32> for Value {
    fn from(i: i32) -> Value {
        Value::Int(i as i64)
    }
}
impl From<usize> for Value {
    fn from(i: usize) -> Value {
        Value::Int(i as i64)
    }
}
impl From<f64> for Value {
    fn from(f: f64) -> Value {
        Value::Float(f)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}
impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Value {
        Value::list(v)
    }
}
impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::dict(m)
    }
}
impl From<BigInt> for Value {
    fn from(b: BigInt) -> Value {
        Value::from_bigint(b)
    }
}

#[cfg(test)]
mod items_unit {
    use super::*;

    fn values() -> Vec<Value> {
        let mut m = Map::default();
        m.insert(Value::from("a"), Value::Int(1));
        m.insert(Value::Int(2), Value::None);
        vec![
            Value::list(vec![Value::Int(1), Value::from("x"), Value::list(vec![])]),
            Value::list(vec![]),
            Value::tuple(vec![Value::Int(3), Value::Float(0.5)]),
            Value::dict(m),
            Value::from("hé!"),
            Value::markup("<b>"),
            Value::undefined(UndefinedKind::Default, "u"),
            Value::undefined(UndefinedKind::Strict, "u"),
            Value::Int(4),
            Value::None,
        ]
    }

    /// The shared items are what the copying iteration yields, errors included.
    #[test]
    fn iter_items_like_try_iter() {
        for v in values() {
            match (v.iter_items(), v.try_iter()) {
                (Ok(a), Ok(b)) => {
                    assert_eq!(a.len(), b.len(), "{v:?}");
                    for (x, y) in a.iter().zip(b.iter()) {
                        assert_eq!(x.repr(), y.repr(), "{v:?}");
                        assert_eq!(x.type_name(), y.type_name(), "{v:?}");
                    }
                    assert_eq!(a.clone().into_vec().len(), b.len());
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{v:?}: {:?} / {:?}", a.map(|i| i.len()), b.map(|i| i.len())),
            }
        }
    }

    /// A snapshot keeps the items it was taken with while the list changes, as a copy did;
    /// every handle of the list sees the change.
    #[test]
    fn snapshot_is_copy_on_write() {
        let list = Value::list(vec![Value::Int(1), Value::Int(2)]);
        let other = list.clone();
        let snap = list.iter_items().expect("iterable");
        let copy = list.try_iter().expect("iterable");
        if let Value::List(l) = &list {
            l.lock().push(Value::Int(3));
            l.lock()[0] = Value::Int(9);
        }
        assert_eq!(
            snap.iter().map(Value::repr).collect::<Vec<_>>(),
            copy.iter().map(Value::repr).collect::<Vec<_>>()
        );
        assert_eq!(other.repr(), "[9, 2, 3]");
        assert_eq!(list.repr(), "[9, 2, 3]");
        drop(snap);
        // Without a snapshot alive, a mutation is made in place.
        if let Value::List(l) = &list {
            let before = l.lock().as_ptr();
            l.lock()[1] = Value::Int(8);
            assert_eq!(l.lock().as_ptr(), before);
        }
        assert_eq!(other.repr(), "[9, 8, 3]");
    }

    /// A loop over a list the body appends to runs over the items it started with.
    #[test]
    fn loop_over_a_list_it_changes() {
        let env = crate::Environment::new();
        let t = env
            .from_string("{% set l = [1, 2] %}{% for x in l %}{{ l.append(x * 10) or '' }}{{ x }},{{ loop.length }};{% endfor %}{{ l }}")
            .expect("compiles");
        assert_eq!(t.render_value(Value::dict(Map::default())).expect("renders"), "1,2;2,2;[1, 2, 10, 20]");
    }
}
