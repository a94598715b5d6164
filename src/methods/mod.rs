//! Python methods on builtin values (`s.upper()`, `d.items()`, `l.append(x)`), as Jinja2
//! exposes them through attribute lookup. Mutating methods change the shared value in place,
//! as in Python. `dict.items()`/`keys()`/`values()` return live view objects that print as
//! Python's `dict_items([...])`.

pub mod format;
pub(crate) mod pystr;
pub mod strmethods;

use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};
use crate::filters::{arg_int, py_sort, type_error, value_error};
use crate::value::{ops, Args, DictCell, Map, Object, Value};
use crate::vm::State;

const LIST_METHODS: &[&str] =
    &["append", "clear", "copy", "count", "extend", "index", "insert", "pop", "remove", "reverse", "sort"];
const TUPLE_METHODS: &[&str] = &["count", "index"];

/// The dict methods, as a match (a length switch, then one comparison): every dict attribute
/// lookup (`user.name`) asks this first.
pub(crate) fn is_dict_method(name: &str) -> bool {
    // By length first: every record attribute a template reads is checked here.
    match name.len() {
        3 => matches!(name, "get" | "pop"),
        4 => matches!(name, "copy" | "keys"),
        5 => matches!(name, "clear" | "items"),
        6 => matches!(name, "update" | "values"),
        7 => name == "popitem",
        8 => name == "fromkeys",
        10 => name == "setdefault",
        _ => false,
    }
}

/// Whether `value` has a method called `name`.
pub fn has_method(value: &Value, name: &str) -> bool {
    match value {
        Value::Str(_) => strmethods::STR_METHODS.contains(&name),
        Value::Markup(_) => {
            strmethods::STR_METHODS.contains(&name) || strmethods::MARKUP_METHODS.contains(&name)
        }
        Value::List(_) => LIST_METHODS.contains(&name),
        Value::Tuple(_) => TUPLE_METHODS.contains(&name),
        Value::Dict(_) => is_dict_method(name),
        Value::Int(_) | Value::BigInt(_) | Value::Bool(_) => {
            matches!(name, "bit_length" | "bit_count" | "conjugate" | "as_integer_ratio")
        }
        Value::Float(_) => matches!(name, "is_integer" | "conjugate" | "as_integer_ratio" | "hex"),
        Value::Object(o) => o.method_names().contains(&name),
        _ => false,
    }
}

fn no_attr(value: &Value, name: &str) -> Error {
    Error::new(
        ErrorKind::AttributeError,
        format!("'{}' object has no attribute '{}'", value.type_name(), name),
    )
}

fn required(v: Option<Value>, func: &str) -> Result<Value> {
    v.ok_or_else(|| type_error(format!("{}() takes exactly one argument (0 given)", func)))
}

fn hashable(k: &Value) -> Result<()> {
    k.hash_check()
}

/// Call method `name` of `value`.
pub fn call_method(state: &mut State, value: &Value, name: &str, args: Args) -> Result<Value> {
    match value {
        Value::Str(s) => strmethods::call(state, s, false, name, args),
        Value::Markup(s) => strmethods::call(state, s, true, name, args),
        Value::List(l) => list_method(state, value, l, name, args),
        Value::Tuple(t) => seq_common(t, "tuple", name, &args).unwrap_or_else(|| Err(no_attr(value, name))),
        Value::Dict(d) => dict_method(value, d, name, args),
        Value::Int(_) | Value::BigInt(_) | Value::Bool(_) | Value::Float(_) => {
            number_method(value, name, &args)
        }
        Value::Undefined(u) => Err(u.error()),
        Value::Object(o) => o.call_method(state, name, &args).unwrap_or_else(|| Err(no_attr(value, name))),
        _ => Err(no_attr(value, name)),
    }
}

/// `TypeError` unless a builtin method that takes no arguments got none (`int.conjugate()`).
fn no_args(args: &Args, owner: &str, name: &str) -> Result<()> {
    if !args.kwargs.is_empty() {
        return Err(type_error(format!("{}.{}() takes no keyword arguments", owner, name)));
    }
    if !args.args.is_empty() {
        return Err(type_error(format!(
            "{}.{}() takes no arguments ({} given)",
            owner,
            name,
            args.args.len()
        )));
    }
    Ok(())
}

/// The methods of int, bool and float.
fn number_method(value: &Value, name: &str, args: &Args) -> Result<Value> {
    let owner = value.type_name();
    if !has_method(value, name) {
        return Err(no_attr(value, name));
    }
    no_args(args, owner, name)?;
    let int = |v: &Value| match v {
        Value::Bool(b) => Value::Int(*b as i64),
        v => v.clone(),
    };
    Ok(match (value, name) {
        (Value::Float(f), "is_integer") => Value::Bool(f.is_finite() && f.fract() == 0.0),
        (Value::Float(f), "hex") => Value::from(float_hex(*f)),
        (Value::Float(f), "as_integer_ratio") => {
            let (n, d) = float_ratio(*f)?;
            Value::tuple(vec![n, d])
        }
        (Value::Float(_), _) => value.clone(),
        (_, "bit_length" | "bit_count") => {
            let big = match value {
                Value::BigInt(b) => (**b).clone(),
                v => num_bigint::BigInt::from(v.as_i64().unwrap_or(0)),
            };
            let n = if name == "bit_length" {
                big.bits()
            } else {
                big.magnitude().iter_u64_digits().map(|d| d.count_ones() as u64).sum()
            };
            Value::Int(n as i64)
        }
        (_, "as_integer_ratio") => Value::tuple(vec![int(value), Value::Int(1)]),
        _ => int(value),
    })
}

/// Python's `float.hex()`: `[-]0x1.<13 hex digits>p<exp>`, subnormals as `0x0.<digits>p-1022`.
fn float_hex(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-inf".into() } else { "inf".into() };
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let mant = bits & ((1u64 << 52) - 1);
    if exp == 0 && mant == 0 {
        return format!("{}0x0.0p+0", sign);
    }
    let (lead, e) = if exp == 0 { (0, -1022) } else { (1, exp - 1023) };
    format!("{}0x{}.{:013x}p{}{}", sign, lead, mant, if e < 0 { "-" } else { "+" }, e.abs())
}

/// Python's `float.as_integer_ratio()`: the exact fraction in lowest terms.
fn float_ratio(f: f64) -> Result<(Value, Value)> {
    if f.is_nan() {
        return Err(value_error("cannot convert NaN to integer ratio"));
    }
    if f.is_infinite() {
        return Err(Error::new(ErrorKind::OverflowError, "cannot convert Infinity to integer ratio"));
    }
    let bits = f.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (mut mant, mut e) = if exp == 0 { (frac, -1074) } else { (frac | (1u64 << 52), exp - 1075) };
    if mant == 0 {
        return Ok((Value::Int(0), Value::Int(1)));
    }
    let tz = mant.trailing_zeros() as i64;
    mant >>= tz;
    e += tz;
    let num = num_bigint::BigInt::from(mant) * if f < 0.0 { -1 } else { 1 };
    Ok(if e >= 0 {
        (Value::from_bigint(num << e as usize), Value::Int(1))
    } else {
        (Value::from_bigint(num), Value::from_bigint(num_bigint::BigInt::from(1) << (-e) as usize))
    })
}

fn seq_common(items: &[Value], kind: &str, name: &str, args: &Args) -> Option<Result<Value>> {
    Some(match name {
        "count" => (|| {
            let [x] = args.bind_ref(name, ["value"])?;
            let x = required(x, "count")?;
            Ok(Value::Int(items.iter().filter(|v| ops::loose_eq(v, &x)).count() as i64))
        })(),
        "index" => (|| {
            let [x, start, end] = args.bind_ref(name, ["value", "start", "stop"])?;
            let x = required(x, "index")?;
            let opt = |v: Option<Value>| -> Result<Option<i64>> {
                match v {
                    None => Ok(None),
                    // Slice indices: an int past 64 bits is clamped.
                    Some(v) => crate::filters::arg_index(&v).map(Some),
                }
            };
            let (a, b) = pystr::slice_bounds(items.len(), opt(start)?, opt(end)?);
            for (i, v) in items.iter().enumerate().take(b).skip(a) {
                if ops::loose_eq(v, &x) {
                    return Ok(Value::Int(i as i64));
                }
            }
            Err(if kind == "list" {
                value_error(format!("{} is not in list", x.repr()))
            } else {
                value_error("tuple.index(x): x not in tuple")
            })
        })(),
        _ => return None,
    })
}

fn list_method(
    state: &mut State,
    value: &Value,
    l: &Arc<crate::value::ListCell>,
    name: &str,
    args: Args,
) -> Result<Value> {
    match name {
        "append" => {
            let [x] = args.bind(name, ["object"])?;
            let x = required(x, "list.append")?;
            l.lock().push(x);
            Ok(Value::None)
        }
        "extend" => {
            let [x] = args.bind(name, ["iterable"])?;
            let items = crate::filters::seq::py_iter(&required(x, "list.extend")?)?;
            let mut g = l.lock();
            if g.len() + items.len() > crate::filters::MAX_SIZE {
                return Err(crate::filters::too_large("extend"));
            }
            g.extend(items);
            Ok(Value::None)
        }
        "insert" => {
            let [i, x] = args.bind(name, ["index", "object"])?;
            let (Some(i), Some(x)) = (i, x) else {
                return Err(type_error("insert expected 2 arguments"));
            };
            let i = arg_int(&i)?;
            let mut g = l.lock();
            let n = g.len() as i64;
            let idx = if i < 0 { (i + n).max(0) } else { i.min(n) };
            g.insert(idx as usize, x);
            Ok(Value::None)
        }
        "pop" => {
            let [i] = args.bind(name, ["index"])?;
            let i = match i {
                Some(v) => arg_int(&v)?,
                None => -1,
            };
            let mut g = l.lock();
            if g.is_empty() {
                return Err(Error::new(ErrorKind::IndexError, "pop from empty list"));
            }
            let n = g.len() as i64;
            let idx = if i < 0 { i + n } else { i };
            if idx < 0 || idx >= n {
                return Err(Error::new(ErrorKind::IndexError, "pop index out of range"));
            }
            Ok(g.remove(idx as usize))
        }
        "remove" => {
            let [x] = args.bind(name, ["value"])?;
            let x = required(x, "list.remove")?;
            let mut g = l.lock();
            match g.iter().position(|v| ops::loose_eq(v, &x)) {
                Some(p) => {
                    g.remove(p);
                    Ok(Value::None)
                }
                None => Err(value_error("list.remove(x): x not in list")),
            }
        }
        "reverse" => {
            let [] = args.bind(name, [])?;
            l.lock().reverse();
            Ok(Value::None)
        }
        "clear" => {
            let [] = args.bind(name, [])?;
            l.lock().clear();
            Ok(Value::None)
        }
        "copy" => {
            let [] = args.bind(name, [])?;
            Ok(Value::list(l.lock().clone()))
        }
        "sort" => {
            if !args.args.is_empty() {
                return Err(type_error("sort() takes no positional arguments"));
            }
            let [key, reverse] = args.bind(name, ["key", "reverse"])?;
            let reverse = match reverse {
                Some(r) => r.is_true()?,
                None => false,
            };
            let items = l.lock().clone();
            let keys = match key.filter(|k| !k.is_none()) {
                Some(k) => {
                    let mut keys = Vec::with_capacity(items.len());
                    for it in &items {
                        keys.push(state.call(&k, Args::positional(vec![it.clone()]))?);
                    }
                    keys
                }
                None => items.clone(),
            };
            let sorted = py_sort(items, keys, reverse)?;
            *l.lock() = sorted;
            Ok(Value::None)
        }
        _ => {
            let items = l.lock().clone();
            seq_common(&items, "list", name, &args).unwrap_or_else(|| Err(no_attr(value, name)))
        }
    }
}

fn dict_method(value: &Value, d: &Arc<DictCell>, name: &str, args: Args) -> Result<Value> {
    // Only `update` takes keyword arguments.
    if name != "update" && !args.kwargs.is_empty() {
        return Err(type_error(format!("dict.{}() takes no keyword arguments", name)));
    }
    match name {
        "fromkeys" => {
            let [iterable, v] = args.bind(name, ["iterable", "value"])?;
            let iterable =
                iterable.ok_or_else(|| type_error("fromkeys expected at least 1 argument, got 0"))?;
            let v = v.unwrap_or(Value::None);
            let mut m = Map::default();
            for k in iterable.try_iter()? {
                hashable(&k)?;
                m.insert(k, v.clone());
            }
            Ok(Value::dict(m))
        }
        "items" | "keys" | "values" => {
            let [] = args.bind(name, [])?;
            let kind = match name {
                "items" => ViewKind::Items,
                "keys" => ViewKind::Keys,
                _ => ViewKind::Values,
            };
            Ok(Value::object(DictView { dict: d.clone(), kind }))
        }
        "get" => {
            let [key, default] = args.bind(name, ["key", "default"])?;
            let key = key.ok_or_else(|| type_error("get expected at least 1 argument, got 0"))?;
            hashable(&key)?;
            Ok(d.lock().get(&key).cloned().unwrap_or(default.unwrap_or(Value::None)))
        }
        "pop" => {
            let [key, default] = args.bind(name, ["key", "default"])?;
            let key = key.ok_or_else(|| type_error("pop expected at least 1 argument, got 0"))?;
            // CPython answers for an empty dict before hashing the key.
            if !d.lock().is_empty() {
                hashable(&key)?;
            }
            match d.lock().shift_remove(&key) {
                Some(v) => Ok(v),
                None => default.ok_or_else(|| Error::new(ErrorKind::KeyError, key.repr())),
            }
        }
        "popitem" => {
            let [] = args.bind(name, [])?;
            match d.lock().pop() {
                Some((k, v)) => Ok(Value::tuple(vec![k, v])),
                None => Err(Error::new(ErrorKind::KeyError, "'popitem(): dictionary is empty'")),
            }
        }
        "setdefault" => {
            let [key, default] = args.bind(name, ["key", "default"])?;
            let key = key.ok_or_else(|| type_error("setdefault expected at least 1 argument, got 0"))?;
            hashable(&key)?;
            let default = default.unwrap_or(Value::None);
            Ok(d.lock().entry(key).or_insert(default).clone())
        }
        "update" => {
            if args.args.len() > 1 {
                return Err(type_error(format!(
                    "update expected at most 1 argument, got {}",
                    args.args.len()
                )));
            }
            let mut new: Vec<(Value, Value)> = Vec::new();
            if let Some(other) = args.args.first() {
                match other {
                    Value::Dict(o) => new.extend(o.lock().iter().map(|(k, v)| (k.clone(), v.clone()))),
                    other => {
                        for (i, item) in crate::filters::seq::py_iter(other)?.into_iter().enumerate() {
                            let parts = crate::filters::seq::py_iter(&item).map_err(|_| {
                                type_error(format!(
                                    "cannot convert dictionary update sequence element #{} to a sequence",
                                    i
                                ))
                            })?;
                            if parts.len() != 2 {
                                return Err(value_error(format!(
                                    "dictionary update sequence element #{} has length {}; 2 is required",
                                    i,
                                    parts.len()
                                )));
                            }
                            hashable(&parts[0])?;
                            new.push((parts[0].clone(), parts[1].clone()));
                        }
                    }
                }
            }
            for (k, v) in &args.kwargs {
                new.push((Value::from(k.clone()), v.clone()));
            }
            let mut g = d.lock();
            for (k, v) in new {
                g.insert(k, v);
            }
            Ok(Value::None)
        }
        "copy" => {
            let [] = args.bind(name, [])?;
            let m: Map = d.lock().clone();
            Ok(Value::dict(m))
        }
        "clear" => {
            let [] = args.bind(name, [])?;
            d.lock().clear();
            Ok(Value::None)
        }
        _ => Err(no_attr(value, name)),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ViewKind {
    Items,
    Keys,
    Values,
}

/// `a op b` (`op` one of `<`, `<=`, `>`, `>=`) between two set-like views (`dict_keys`,
/// `dict_items`) as CPython's `dictview_richcompare` decides it: the lengths first, then
/// whether each item of one side is in the other, stopping at the first that is not (and
/// looking only when the lengths allow: `in` may raise, e.g. hashing an item with a list in
/// it). `None` when either side is not a set-like view. Views are only partly ordered (as
/// sets: neither side may contain the other), so the answer comes as the `Ordering` that
/// `op` reads as it: `Less` or `Equal` for `<`, `Less` or `Greater` for `<=`, and so on.
pub(crate) fn view_order(a: &Value, b: &Value, op: &str) -> Option<Result<std::cmp::Ordering>> {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let (Value::Object(x), Value::Object(y)) = (a, b) else { return None };
    fn set_like(o: &Arc<dyn Object>) -> Option<(&DictView, usize)> {
        let v = o.as_any().downcast_ref::<DictView>().filter(|v| v.kind != ViewKind::Values)?;
        let len = v.dict.lock().len();
        Some((v, len))
    }
    let ((x, lx), (y, ly)) = (set_like(x)?, set_like(y)?);
    // Every item of `p` in `q`.
    let within = |p: &DictView, q: &DictView| -> Result<bool> {
        for item in p.iter().unwrap_or_default() {
            if !q.contains(&item).unwrap_or(Ok(false))? {
                return Ok(false);
            }
        }
        Ok(true)
    };
    Some((|| {
        Ok(match op {
            "<" if lx < ly && within(x, y)? => Less,
            "<" => Equal,
            "<=" if lx <= ly && within(x, y)? => Less,
            "<=" => Greater,
            ">" if lx > ly && within(y, x)? => Greater,
            ">" => Equal,
            _ if lx >= ly && within(y, x)? => Greater,
            _ => Less,
        })
    })())
}

/// A live view of a dict (`dict_items`, `dict_keys`, `dict_values`).
pub struct DictView {
    dict: Arc<DictCell>,
    kind: ViewKind,
}

impl std::fmt::Debug for DictView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.repr())
    }
}

impl Object for DictView {
    fn type_name(&self) -> &str {
        match self.kind {
            ViewKind::Items => "dict_items",
            ViewKind::Keys => "dict_keys",
            ViewKind::Values => "dict_values",
        }
    }
    fn is_hashable(&self) -> bool {
        // `dict_keys` and `dict_items` are set-like (`__hash__ = None`); `dict_values`
        // hashes by identity.
        matches!(self.kind, ViewKind::Values)
    }
    fn iter(&self) -> Option<Vec<Value>> {
        let g = self.dict.lock();
        Some(match self.kind {
            ViewKind::Items => g.iter().map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()])).collect(),
            ViewKind::Keys => g.keys().cloned().collect(),
            ViewKind::Values => g.values().cloned().collect(),
        })
    }
    fn len(&self) -> Option<usize> {
        Some(self.dict.lock().len())
    }
    fn contains(&self, item: &Value) -> Option<Result<bool>> {
        match self.kind {
            ViewKind::Keys => Some(ops::contains(&Value::Dict(self.dict.clone()), item)),
            // `(key, value) in d.items()` looks the key up (hashing it), then compares values.
            ViewKind::Items => Some(match item {
                Value::Tuple(t) if t.len() == 2 => {
                    let (k, v) = (&t[0], &t[1]);
                    hashable(k).and_then(|()| {
                        let found = self.dict.lock().get(k).cloned();
                        match found {
                            Some(x) => ops::eq(&x, v),
                            None => Ok(false),
                        }
                    })
                }
                _ => Ok(false),
            }),
            ViewKind::Values => None,
        }
    }
    fn is_true(&self) -> bool {
        !self.dict.lock().is_empty()
    }
    /// Key and item views compare as sets (with each other too: `d.keys() == d.keys()`);
    /// a values view equals only itself (the same object, which `==` checks before this).
    fn same_as(&self, other: &dyn Object) -> bool {
        let Some(other) = other.as_any().downcast_ref::<DictView>() else {
            return false;
        };
        if self.kind == ViewKind::Values || other.kind == ViewKind::Values {
            return false;
        }
        let (mine, theirs) = (self.iter().unwrap_or_default(), other.iter().unwrap_or_default());
        mine.len() == theirs.len()
            && mine.iter().all(|x| other.contains(x).is_some_and(|r| r.unwrap_or(false)))
    }
    fn repr(&self) -> String {
        let items = self.iter().unwrap_or_default();
        format!("{}({})", self.type_name(), Value::list(items).repr())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A method bound to its receiver (`d.items` without the call).
#[derive(Debug)]
pub struct BoundMethod {
    receiver: Value,
    name: String,
}

/// The methods markupsafe defines in Python on `Markup` (bound methods, not builtins).
const MARKUP_PY_METHODS: &[&str] = &[
    "join",
    "split",
    "rsplit",
    "splitlines",
    "unescape",
    "striptags",
    "capitalize",
    "title",
    "lower",
    "upper",
    "replace",
    "ljust",
    "rjust",
    "lstrip",
    "rstrip",
    "center",
    "strip",
    "translate",
    "expandtabs",
    "swapcase",
    "zfill",
    "casefold",
    "removeprefix",
    "removesuffix",
    "partition",
    "rpartition",
    "format",
    "format_map",
    "escape",
];

impl BoundMethod {
    /// A method defined in Python (Markup's, or a method of one of Jinja2's objects), which
    /// prints as a bound method rather than a builtin.
    fn is_python_method(&self) -> bool {
        match &self.receiver {
            Value::Markup(_) => MARKUP_PY_METHODS.contains(&self.name.as_str()),
            Value::Object(_) => true,
            _ => false,
        }
    }
}

impl Object for BoundMethod {
    fn type_name(&self) -> &str {
        if self.is_python_method() {
            "method"
        } else {
            "builtin_function_or_method"
        }
    }
    fn is_callable(&self) -> bool {
        true
    }
    fn call(&self, state: &mut State, args: Args) -> Result<Value> {
        call_method(state, &self.receiver, &self.name, args)
    }
    fn repr(&self) -> String {
        if self.name == "escape" && self.is_python_method() {
            // A classmethod: bound to the class.
            return "<bound method Markup.escape of <class 'markupsafe.Markup'>>".into();
        }
        if self.is_python_method() {
            let class = if let Value::Object(o) = &self.receiver { o.type_name() } else { "Markup" };
            return format!("<bound method {}.{} of {}>", class, self.name, self.receiver.repr());
        }
        format!("<built-in method {} of {} object at 0x7f5e3c2a1b40>", self.name, self.receiver.type_name())
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// `value.name` as a callable bound method.
pub fn bound_method(value: &Value, name: &str) -> Value {
    Value::object(BoundMethod { receiver: value.clone(), name: name.to_string() })
}

#[cfg(test)]
mod unit {
    use super::*;
    use crate::Environment;

    fn m(v: &Value, name: &str, args: Vec<Value>) -> String {
        let env = Environment::new();
        let mut st = State::new(&env);
        match call_method(&mut st, v, name, Args::positional(args)) {
            Ok(v) => v.to_str(),
            Err(e) => format!("ERR {}", e),
        }
    }

    #[test]
    fn list_methods_mutate_in_place() {
        let l = Value::list(vec![3.into(), 1.into()]);
        m(&l, "append", vec![2.into()]);
        assert_eq!(l.repr(), "[3, 1, 2]");
        assert_eq!(m(&l, "index", vec![1.into()]), "1");
        assert_eq!(m(&l, "pop", vec![]), "2");
        m(&l, "sort", vec![]);
        assert_eq!(l.repr(), "[1, 3]");
        assert_eq!(m(&l, "index", vec![9.into()]), "ERR ValueError: 9 is not in list");
    }

    #[test]
    fn dict_views_print_like_python() {
        let mut map = Map::default();
        map.insert("a".into(), 1.into());
        let d = Value::dict(map);
        assert_eq!(m(&d, "items", vec![]), "dict_items([('a', 1)])");
        assert_eq!(m(&d, "keys", vec![]), "dict_keys(['a'])");
        assert_eq!(m(&d, "get", vec!["zz".into(), "no".into()]), "no");
    }

    #[test]
    fn str_methods() {
        let s = Value::from("a,b,c");
        assert_eq!(m(&s, "split", vec![",".into(), 1.into()]), "['a', 'b,c']");
        assert_eq!(m(&s, "index", vec!["z".into()]), "ERR ValueError: substring not found");
        assert_eq!(m(&Value::from("ß"), "upper", vec![]), "SS");
        let mk = Value::markup("<b>{}</b>");
        assert_eq!(m(&mk, "format", vec!["<i>".into()]), "<b>&lt;i&gt;</b>");
        assert_eq!(
            m(&Value::markup(", "), "join", vec![Value::list(vec!["<".into(), Value::markup("<b>")])]),
            "&lt;, <b>"
        );
        assert_eq!(
            m(&Value::from("x"), "startswith", vec![Value::tuple(vec!["a".into(), "x".into()])]),
            "True"
        );
    }
}
