//! Sequence filters: `length`, `list`, `first`, `last`, `random`, `reverse`, `join`, `sort`,
//! `dictsort`, `unique`, `min`, `max`, `sum`, `batch`, `slice`, `groupby`, `items`, `attr`,
//! `default`, and the higher-order `map`, `select`, `reject`, `selectattr`, `rejectattr`.
//! Filters that Jinja2 implements as generators return a [`PyIterator`] object.

use std::cmp::Ordering;
use std::sync::Arc;

use super::{
    arg_int, check_strict, escape_str, filter_arg_error, has_html, ignore_case, opt, py_len, py_lt, py_sort,
    py_str, type_error, AttrGetter, MultiAttrGetter, MAX_SIZE,
};
use crate::error::{Error, ErrorKind, Result};
use crate::value::{markup, ops, Args, Items, Object, Undefined, Value};
use crate::vm::State;

/// A Python iterator or generator produced by a filter: iterable, truthy, without `len()`,
/// printed like CPython prints it, and single-pass. The items are computed when the filter
/// runs; what Python's lazy generator body would have raised is kept and raised by whatever
/// iterates past the items made before it (nothing raises if nothing iterates).
#[derive(Debug)]
pub struct PyIterator {
    type_name: &'static str,
    origin: &'static str,
    rest: std::sync::Mutex<Rest>,
}

/// What a [`PyIterator`] has not handed out yet.
#[derive(Debug, Default)]
struct Rest {
    items: std::collections::VecDeque<Value>,
    error: Option<Error>,
}

impl PyIterator {
    fn make(type_name: &'static str, origin: &'static str, items: Vec<Value>, error: Option<Error>) -> Value {
        Value::object(PyIterator {
            type_name,
            origin,
            rest: std::sync::Mutex::new(Rest { items: items.into(), error }),
        })
    }

    /// A generator object named after the function that produced it.
    pub fn generator(origin: &'static str, items: Vec<Value>) -> Value {
        PyIterator::make("generator", origin, items, None)
    }

    /// A generator whose body ran as Jinja2's would when iterated: `body`'s items, or its error
    /// kept for the first iteration (Jinja2 raises nothing until the generator is iterated).
    pub fn lazy(origin: &'static str, body: Result<Vec<Value>>) -> Value {
        match body {
            Ok(items) => PyIterator::make("generator", origin, items, None),
            Err(e) => PyIterator::make("generator", origin, Vec::new(), Some(e)),
        }
    }

    /// A builtin iterator type such as `list_reverseiterator`.
    pub fn iterator(type_name: &'static str, items: Vec<Value>) -> Value {
        PyIterator::make(type_name, "", items, None)
    }

    fn rest(&self) -> std::sync::MutexGuard<'_, Rest> {
        self.rest.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether iterating to the end raises nothing.
    fn ends_cleanly(&self) -> bool {
        self.rest().error.is_none()
    }

    /// Python's `next()`: the next item (`None` when exhausted), or the error the body raised.
    fn next_item(&self) -> Result<Option<Value>> {
        let mut rest = self.rest();
        match rest.items.pop_front() {
            Some(v) => Ok(Some(v)),
            None => rest.error.take().map_or(Ok(None), Err),
        }
    }
}

impl Object for PyIterator {
    fn type_name(&self) -> &str {
        self.type_name
    }
    fn iter(&self) -> Option<Vec<Value>> {
        Some(self.rest().items.iter().cloned().collect())
    }
    fn is_iterable(&self) -> bool {
        true
    }
    fn consume(&self) -> Option<Result<Vec<Value>>> {
        let mut rest = self.rest();
        // A generator that raised is finished: the error comes once, then it is empty.
        Some(match rest.error.take() {
            Some(e) => {
                rest.items.clear();
                Err(e)
            }
            None => Ok(std::mem::take(&mut rest.items).into()),
        })
    }
    fn next_item(&self) -> Option<Result<Option<Value>>> {
        Some(PyIterator::next_item(self))
    }
    /// Unless it has an error to raise: a loop over it then takes its items at once, raising
    /// the error before the loop runs.
    fn takes_lazily(&self) -> bool {
        self.ends_cleanly()
    }
    /// Python's `in` on an iterator: consumed up to the first equal item.
    fn contains(&self, item: &Value) -> Option<Result<bool>> {
        Some((|| {
            while let Some(x) = self.next_item()? {
                if ops::eq(&x, item)? {
                    return Ok(true);
                }
            }
            Ok(false)
        })())
    }
    fn repr(&self) -> String {
        if self.type_name == "generator" {
            format!("<generator object {} at 0x7f5e3c2a1b40>", self.origin)
        } else {
            format!("<{} object at 0x7f5e3c2a1b40>", self.type_name)
        }
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// The `(grouper, list)` namedtuple `groupby` yields: iterates and indexes as a 2-tuple,
/// has `.grouper` and `.list`, prints as a plain tuple.
#[derive(Debug)]
pub struct GroupTuple {
    grouper: Value,
    list: Value,
}

impl Object for GroupTuple {
    fn type_name(&self) -> &str {
        "_GroupTuple"
    }
    fn type_repr(&self) -> String {
        "jinja2.filters._GroupTuple object".to_string()
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        match name {
            "grouper" => Some(self.grouper.clone()),
            "list" => Some(self.list.clone()),
            _ => None,
        }
    }
    fn get_item(&self, key: &Value) -> Option<Value> {
        match key.as_i64()? {
            0 | -2 => Some(self.grouper.clone()),
            1 | -1 => Some(self.list.clone()),
            _ => None,
        }
    }
    fn iter(&self) -> Option<Vec<Value>> {
        Some(vec![self.grouper.clone(), self.list.clone()])
    }
    fn len(&self) -> Option<usize> {
        Some(2)
    }
    fn as_tuple(&self) -> Option<Vec<Value>> {
        Some(vec![self.grouper.clone(), self.list.clone()])
    }
    /// A tuple hashes its items: the list makes it unhashable.
    fn is_hashable(&self) -> bool {
        self.grouper.is_hashable() && self.list.is_hashable()
    }
    fn repr(&self) -> String {
        Value::tuple(vec![self.grouper.clone(), self.list.clone()]).repr()
    }
    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// Python iteration, with Markup strings yielding plain str characters as Python does.
pub(crate) fn py_iter(v: &Value) -> Result<Vec<Value>> {
    match v {
        Value::Markup(s) => Ok(s.chars().map(|c| Value::from(c.to_string())).collect()),
        _ => v.try_iter(),
    }
}

/// [`py_iter`] for a filter that only reads the items: a list's snapshot or a tuple's items
/// are shared, not copied.
pub(crate) fn py_items(v: &Value) -> Result<Items> {
    match v {
        Value::Markup(_) => py_iter(v).map(Items::Owned),
        _ => v.iter_items(),
    }
}

fn empty_hint(state: &State, msg: &str) -> Value {
    Value::undefined_hint(state.undefined_kind(), msg)
}

/// `length(value)` / `count`: the number of items.
///
/// ```jinja
/// {{ [1, 2, 3]|length }}  -> 3
/// ```
pub fn do_length(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("len", [])?;
    Ok(Value::from(py_len(&value)?))
}

/// `list(value)`: convert to a list (a string becomes its characters).
///
/// ```jinja
/// {{ 'abc'|list }}  -> ['a', 'b', 'c']
/// ```
pub fn do_list(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("sync_do_list", [])?;
    Ok(Value::list(py_iter(&value)?))
}

/// `first(seq)`: the first item (undefined if empty).
///
/// ```jinja
/// {{ [1, 2, 3]|first }}  -> 1
/// ```
pub fn do_first(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("sync_do_first", [])?;
    let first = match value.downcast_object::<PyIterator>() {
        // `next(iter(seq))` takes one item of a generator and leaves the rest.
        Some(g) => g.next_item()?,
        None => py_iter(&value)?.into_iter().next(),
    };
    match first {
        Some(v) => Ok(v),
        None => Ok(empty_hint(state, "No first item, sequence was empty.")),
    }
}

fn not_reversible(v: &Value) -> Error {
    type_error(format!("'{}' object is not reversible", v.type_name()))
}

/// `last(seq)`: the last item (undefined if empty); needs a reversible sequence.
///
/// ```jinja
/// {{ [1, 2, 3]|last }}  -> 3
/// ```
pub fn do_last(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_last", [])?;
    let items = match &value {
        Value::Object(o) if o.as_any().is::<PyIterator>() => return Err(not_reversible(&value)),
        Value::Str(_)
        | Value::Markup(_)
        | Value::List(_)
        | Value::Tuple(_)
        | Value::Dict(_)
        | Value::Undefined(_) => py_iter(&value)?,
        Value::Object(o) => match (o.len(), o.iter()) {
            (Some(_), Some(items)) => items,
            _ => return Err(not_reversible(&value)),
        },
        _ => return Err(not_reversible(&value)),
    };
    match items.last() {
        // `reversed()` indexes a str through `__getitem__`, which Markup keeps safe.
        Some(Value::Str(c)) if matches!(value, Value::Markup(_)) => Ok(Value::Markup(c.clone())),
        Some(v) => Ok(v.clone()),
        None => Ok(empty_hint(state, "No last item, sequence was empty.")),
    }
}

/// `random(seq)`: a random item (undefined if empty).
///
/// ```jinja
/// {{ [1, 2, 3]|random }}  -> 2
/// ```
pub fn do_random(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_random", [])?;
    let n = py_len(&value)?;
    if n == 0 {
        return Ok(empty_hint(state, "No random item, sequence was empty."));
    }
    let idx = (super::next_random() % n as u64) as i64;
    match &value {
        Value::Dict(d) => {
            let key = Value::Int(idx);
            d.lock().get(&key).cloned().ok_or_else(|| Error::new(ErrorKind::KeyError, idx.to_string()))
        }
        other => other
            .get_item_raw(&Value::Int(idx))
            .ok_or_else(|| type_error(format!("'{}' object is not subscriptable", other.type_name()))),
    }
}

/// `reverse(value)`: a reversed string, or an iterator over the items backwards.
///
/// ```jinja
/// {{ 'abc'|reverse }} {{ [1, 2, 3]|reverse|list }}  -> cba [3, 2, 1]
/// ```
pub fn do_reverse(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_reverse", [])?;
    match &value {
        Value::Str(s) => Ok(Value::from(s.chars().rev().collect::<String>())),
        Value::Markup(s) => Ok(Value::markup(s.chars().rev().collect::<String>())),
        Value::List(l) => {
            Ok(PyIterator::iterator("list_reverseiterator", l.lock().iter().rev().cloned().collect()))
        }
        Value::Tuple(t) => Ok(PyIterator::iterator("reversed", t.iter().rev().cloned().collect())),
        Value::Dict(d) => {
            Ok(PyIterator::iterator("dict_reversekeyiterator", d.lock().keys().rev().cloned().collect()))
        }
        Value::Undefined(u) => {
            check_strict(&value)?;
            let _ = u;
            Ok(PyIterator::iterator("reversed", Vec::new()))
        }
        // The objects `reversed()` takes (a range, a dict view, a namedtuple) give its iterator,
        // which has no len() and is not reversible again.
        Value::Object(o) => {
            let name = match o.type_name() {
                "range" => "range_iterator",
                "dict_keys" => "dict_reversekeyiterator",
                "dict_values" => "dict_reversevalueiterator",
                "dict_items" => "dict_reverseitemiterator",
                "_GroupTuple" => "reversed",
                _ => return reverse_listed(&value),
            };
            let mut items = o.iter().unwrap_or_default();
            items.reverse();
            Ok(PyIterator::iterator(name, items))
        }
        _ => reverse_listed(&value),
    }
}

/// `reverse`'s fallback for what `reversed()` refuses: `list(value)` reversed.
fn reverse_listed(value: &Value) -> Result<Value> {
    match value.try_iter() {
        Ok(mut items) => {
            items.reverse();
            Ok(Value::list(items))
        }
        // Only `list()`'s TypeError becomes the filter's error; others (an undefined a
        // generator meets while iterated) pass through.
        Err(e) if e.kind() == ErrorKind::TypeError => Err(filter_arg_error("argument must be iterable")),
        Err(e) => Err(e),
    }
}

/// `join(value, d='', attribute=None)`: concatenate the items (or an attribute of each) with
/// the separator `d`; Markup-aware under autoescaping.
///
/// ```jinja
/// {{ [1, 2, 3]|join('|') }}  -> 1|2|3
/// ```
pub fn do_join(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [d, attribute] = args.bind("sync_do_join", ["d", "attribute"])?;
    let d = opt(d, Value::from(""));
    // Jinja2 iterates the value first only for `map(getter, value)`; then, without
    // autoescaping, `str(d).join(...)` takes the separator's str before the items.
    let attribute = attribute.filter(|a| !a.is_none());
    let first = if attribute.is_some() { Some(py_items(&value)?) } else { None };
    let plain_sep = if state.autoescape() { None } else { Some(super::py_str_ref(&d)?) };
    let mut items = match first {
        Some(items) => items,
        None => py_items(&value)?,
    };
    if let Some(attr) = attribute {
        let getter = AttrGetter::new(&attr, false, None);
        items = Items::Owned(items.iter().map(|i| getter.get(state, i)).collect::<Result<_>>()?);
    }
    let total: usize = items.iter().map(|i| i.as_str().map_or(8, str::len)).sum();
    if total > MAX_SIZE {
        return Err(super::too_large("join"));
    }
    if let Some(sep) = plain_sep {
        return Ok(Value::from(join_into(&items, &sep, total, false)?));
    }
    if !has_html(&d) {
        if matches!(d, Value::Undefined(_)) {
            // Jinja2 takes each item's str before the separator's.
            for i in items.iter() {
                super::check_strict(i)?;
            }
        }
        let any_html = items.iter().any(has_html);
        if any_html {
            let sep = escape_str(&d)?;
            return Ok(Value::markup_of(join_into(&items, &sep, total, true)?));
        }
        let sep = super::py_str_ref(&d)?;
        return Ok(Value::from(join_into(&items, &sep, total, false)?));
    }
    let sep = super::py_str_ref(&d)?;
    Ok(Value::markup_of(join_into(&items, &sep, total, true)?))
}

/// `sep.join(items)` of the items' `str()` (or, when `escape`, of `escape_str` of each),
/// written into one string: strs are copied from where they are, not made into strings first.
fn join_into(items: &[Value], sep: &str, total: usize, escape: bool) -> Result<String> {
    let mut out = crate::value::scratch(total + sep.len() * items.len());
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        match item {
            Value::Str(s) if escape => markup::escape_into(&mut out, s),
            Value::Str(s) => out.push_str(s),
            other if escape => out.push_str(&escape_str(other)?),
            other => out.push_str(&py_str(other)?),
        }
    }
    Ok(out)
}

fn bool_arg(v: Option<Value>) -> Result<bool> {
    match v {
        None => Ok(false),
        Some(v) => v.is_true(),
    }
}

/// `sorted(..., reverse=x)`: Python wants an integer there (a bool is one), and says so
/// after taking the items.
fn reverse_arg(v: Option<Value>) -> Result<bool> {
    match v {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        // A C int: past 32 bits is Python's OverflowError, as for a big int.
        Some(Value::Int(i)) if i32::try_from(i).is_ok() => Ok(i != 0),
        Some(Value::Int(_) | Value::BigInt(_)) => {
            Err(Error::new(ErrorKind::OverflowError, "Python int too large to convert to C int"))
        }
        Some(v) => Err(type_error(format!("'{}' object cannot be interpreted as an integer", v.type_name()))),
    }
}

fn attr_arg(v: Option<Value>) -> Value {
    v.unwrap_or(Value::None)
}

/// `sort(value, reverse=False, case_sensitive=False, attribute=None)`: a sorted list
/// (stable; `attribute` may be dotted and comma-separated).
///
/// ```jinja
/// {{ [3, 1, 2]|sort }}  -> [1, 2, 3]
/// ```
pub fn do_sort(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [reverse, case_sensitive, attribute] =
        args.bind("do_sort", ["reverse", "case_sensitive", "attribute"])?;
    let lower = !bool_arg(case_sensitive)?;
    let mut getter = MultiAttrGetter::new(&attr_arg(attribute), lower);
    let items = py_iter(&value)?;
    let reverse = reverse_arg(reverse)?;
    // (Key and item paired as the keys are made: no vector of keys to zip with the items.)
    let mut pairs = Vec::with_capacity(items.len());
    if getter.is_single() {
        // Keys of one item each, compared as the one-item lists they stand for. Case is
        // folded once all keys are known: ASCII keys compare folded, others are lowered.
        getter.lower = false;
        for i in items {
            let key = getter.get_single(state, &i).unwrap_or_else(|| getter.get(state, &i))?;
            pairs.push((key, i));
        }
        if lower {
            if let Some(fold) = super::ascii_keys_fold(pairs.iter().map(|(k, _)| k)) {
                super::sort_folded(&mut pairs, reverse, fold);
                return Ok(Value::list(pairs.into_iter().map(|(_, i)| i).collect()));
            }
            super::lower_keys(&mut pairs);
        }
        return Ok(Value::list(super::py_sort_items(pairs, reverse, super::py_lt_single)?));
    }
    for i in items {
        let key = getter.get(state, &i)?;
        pairs.push((key, i));
    }
    Ok(Value::list(super::py_sort_items(pairs, reverse, super::py_lt)?))
}

/// `dictsort(value, case_sensitive=False, by='key', reverse=False)`: the `(key, value)` pairs
/// sorted by key or value.
///
/// ```jinja
/// {{ {'b': 1, 'a': 2}|dictsort }}  -> [('a', 2), ('b', 1)]
/// ```
pub fn do_dictsort(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [case_sensitive, by, reverse] = args.bind("do_dictsort", ["case_sensitive", "by", "reverse"])?;
    // `by == "key"`: a StrictUndefined's `==` raises.
    if let Some(b) = &by {
        check_strict(b)?;
    }
    let pos = match by.as_ref().map(|b| b.as_str()) {
        None | Some(Some("key")) => 0,
        Some(Some("value")) => 1,
        _ => return Err(filter_arg_error("You can only sort by either \"key\" or \"value\"")),
    };
    let pairs: Vec<(Value, Value)> = match &value {
        Value::Dict(d) => d.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Value::Undefined(u) => return Err(u.error()),
        other => {
            return Err(Error::new(
                ErrorKind::AttributeError,
                format!("'{}' object has no attribute 'items'", other.type_name()),
            ))
        }
    };
    let reverse = reverse_arg(reverse)?;
    // The sort key tests `case_sensitive` per item: never for an empty dict.
    let lower = !pairs.is_empty() && !bool_arg(case_sensitive)?;
    let keys: Vec<Value> = pairs
        .iter()
        .map(|p| {
            let k = if pos == 0 { p.0.clone() } else { p.1.clone() };
            if lower {
                ignore_case(k)
            } else {
                k
            }
        })
        .collect();
    let items = pairs.into_iter().map(|(k, v)| Value::tuple(vec![k, v])).collect();
    Ok(Value::list(py_sort(items, keys, reverse)?))
}

fn unhashable(v: &Value) -> Result<()> {
    v.hash_check()
}

/// `unique(value, case_sensitive=False, attribute=None)`: the items without duplicates, in
/// first-seen order.
///
/// ```jinja
/// {{ ['a', 'A', 'b']|unique|list }}  -> ['a', 'b']
/// ```
pub fn do_unique(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [case_sensitive, attribute] = args.bind("sync_do_unique", ["case_sensitive", "attribute"])?;
    Ok(PyIterator::lazy("sync_do_unique", unique_items(state, &value, case_sensitive, attribute)))
}

fn unique_items(
    state: &mut State,
    value: &Value,
    case_sensitive: Option<Value>,
    attribute: Option<Value>,
) -> Result<Vec<Value>> {
    let lower = !bool_arg(case_sensitive)?;
    let attribute = attr_arg(attribute);
    let items = py_items(value)?;
    // Items that are their own keys and all ASCII text that lower-casing would not change
    // (or with case kept): the texts are the keys, borrowed rather than cloned (a str and a
    // Markup of the same text are equal and hash alike in Python too).
    if attribute.is_none() && super::ascii_keys_fold(items.iter()).is_some_and(|upper| !(lower && upper)) {
        let mut seen: std::collections::HashSet<&str, crate::value::BuildHash> =
            std::collections::HashSet::with_capacity_and_hasher(items.len(), Default::default());
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            if seen.insert(super::str_key(item)) {
                out.push(item.clone());
            }
        }
        return Ok(out);
    }
    let getter = AttrGetter::new(&attribute, lower, None);
    // Hashed with the renderer's map hasher: std's SipHash (and seeding it per call) cost
    // more than the rest of the filter.
    // Keys are checked hashable before they go in (`unhashable` refuses lists, dicts and
    // objects), so no key can change under the set.
    #[allow(clippy::mutable_key_type)]
    let mut seen: std::collections::HashSet<Value, crate::value::BuildHash> =
        std::collections::HashSet::with_capacity_and_hasher(items.len(), Default::default());
    let mut out = Vec::with_capacity(items.len());
    for item in items.iter() {
        let key = getter.get(state, item)?;
        unhashable(&key)?;
        check_strict(&key)?;
        if seen.insert(key) {
            out.push(item.clone());
        }
    }
    Ok(out)
}

fn min_or_max(state: &mut State, value: Value, args: Args, name: &str, max: bool) -> Result<Value> {
    let [case_sensitive, attribute] = args.bind(name, ["case_sensitive", "attribute"])?;
    let lower = !bool_arg(case_sensitive)?;
    let items = py_iter(&value)?;
    if items.is_empty() {
        return Ok(empty_hint(state, "No aggregated item, sequence was empty."));
    }
    let getter = AttrGetter::new(&attr_arg(attribute), lower, None);
    let mut best = items[0].clone();
    let mut best_key = getter.get(state, &best)?;
    for item in items.into_iter().skip(1) {
        let key = getter.get(state, &item)?;
        let better = if max { py_gt(&key, &best_key)? } else { super::py_lt(&key, &best_key)? };
        if better {
            best = item;
            best_key = key;
        }
    }
    Ok(best)
}

fn py_gt(a: &Value, b: &Value) -> Result<bool> {
    match (a, b) {
        (Value::List(_), Value::List(_)) | (Value::Tuple(_), Value::Tuple(_)) => super::py_lt(b, a),
        _ => {
            if let (Some(x), Some(y)) = (a.as_f64(), b.as_f64()) {
                if a.is_number() && b.is_number() && (x.is_nan() || y.is_nan()) {
                    return Ok(false);
                }
            }
            Ok(ops::cmp(a, b, ">")? == Ordering::Greater)
        }
    }
}

/// `min(value, case_sensitive=False, attribute=None)`: the smallest item.
///
/// ```jinja
/// {{ [3, 1, 2]|min }}  -> 1
/// ```
pub fn do_min(state: &mut State, value: Value, args: Args) -> Result<Value> {
    min_or_max(state, value, args, "do_min", false)
}

/// `max(value, case_sensitive=False, attribute=None)`: the largest item.
///
/// ```jinja
/// {{ [3, 1, 2]|max }}  -> 3
/// ```
pub fn do_max(state: &mut State, value: Value, args: Args) -> Result<Value> {
    min_or_max(state, value, args, "do_max", true)
}

/// `sum(iterable, attribute=None, start=0)`: the sum of the items (or of an attribute).
///
/// ```jinja
/// {{ [1, 2, 3]|sum }}  -> 6
/// ```
pub fn do_sum(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [attribute, start] = args.bind("sync_do_sum", ["attribute", "start"])?;
    let start = opt(start, Value::Int(0));
    // `sum()` takes the iterator (Jinja2's `map(getter, value)` too) before it refuses a str
    // start.
    let mut items = py_iter(&value)?;
    if start.is_string() {
        return Err(type_error("sum() can't sum strings [use ''.join(seq) instead]"));
    }
    if let Some(attr) = attribute.filter(|a| !a.is_none()) {
        let getter = AttrGetter::new(&attr, false, None);
        items = items.iter().map(|i| getter.get(state, i)).collect::<Result<_>>()?;
    }
    let mut acc = start;
    // `list + list` makes a new list each time: a run of them is built in one vector (the
    // same new list; no items leave `start` itself as the answer, as in Python).
    let mut list: Option<Vec<Value>> = None;
    for item in &items {
        if let Value::List(y) = item {
            if let Some(v) = list.as_mut() {
                v.extend(y.lock().iter().cloned());
                continue;
            }
            if let Value::List(x) = &acc {
                // (Room for the items of every list in the run up front: grown once.)
                let more: usize =
                    items.iter().map(|i| if let Value::List(l) = i { l.lock().len() } else { 0 }).sum();
                let x = x.lock();
                let mut v = Vec::with_capacity(x.len() + more);
                v.extend(x.iter().cloned());
                drop(x);
                v.extend(y.lock().iter().cloned());
                list = Some(v);
                continue;
            }
        }
        if let Some(v) = list.take() {
            acc = Value::list(v);
        }
        acc = ops::add(&acc, item)?;
    }
    if let Some(v) = list {
        acc = Value::list(v);
    }
    Ok(acc)
}

/// `batch(value, linecount, fill_with=None)`: lists of `linecount` items, the last filled up
/// with `fill_with` if given.
///
/// ```jinja
/// {{ [1, 2, 3]|batch(2)|list }}  -> [[1, 2], [3]]
/// ```
pub fn do_batch(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [linecount, fill_with] = args.bind("do_batch", ["linecount", "fill_with"])?;
    let Some(linecount) = linecount else {
        return Err(type_error("do_batch() missing 1 required positional argument: 'linecount'"));
    };
    Ok(PyIterator::lazy("do_batch", batch_items(&value, &linecount, fill_with)))
}

fn batch_items(value: &Value, linecount: &Value, fill_with: Option<Value>) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    let mut tmp: Vec<Value> = Vec::new();
    for item in py_iter(value)? {
        if ops::eq(&Value::from(tmp.len()), linecount)? {
            out.push(Value::list(std::mem::take(&mut tmp)));
        }
        tmp.push(item);
    }
    if !tmp.is_empty() {
        if let Some(fill) = fill_with.filter(|f| !f.is_none()) {
            if ops::cmp(&Value::from(tmp.len()), linecount, "<")? == Ordering::Less {
                let n = arg_int(linecount).map_err(|_| {
                    type_error(format!(
                        "can't multiply sequence by non-int of type '{}'",
                        linecount.type_name()
                    ))
                })?;
                let missing = (n - tmp.len() as i64) as u64;
                if missing > MAX_SIZE as u64 {
                    return Err(super::too_large("batch"));
                }
                tmp.extend(std::iter::repeat_n(fill, missing as usize));
            }
        }
        out.push(Value::list(tmp));
    }
    Ok(out)
}

/// `slice(value, slices, fill_with=None)`: split into `slices` columns, the shorter ones filled
/// with `fill_with` if given.
///
/// ```jinja
/// {{ [1, 2, 3]|slice(2)|list }}  -> [[1, 2], [3]]
/// ```
pub fn do_slice(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [slices, fill_with] = args.bind("sync_do_slice", ["slices", "fill_with"])?;
    let Some(slices) = slices else {
        return Err(type_error("sync_do_slice() missing 1 required positional argument: 'slices'"));
    };
    Ok(PyIterator::lazy("sync_do_slice", slice_items(&value, &slices, fill_with)))
}

fn slice_items(value: &Value, slices: &Value, fill_with: Option<Value>) -> Result<Vec<Value>> {
    let seq = py_iter(value)?;
    let slices = arg_int(slices)?;
    if slices == 0 {
        return Err(Error::new(ErrorKind::ZeroDivisionError, "integer division or modulo by zero"));
    }
    if slices > 1_000_000 {
        return Err(super::too_large("slice"));
    }
    let length = seq.len() as i64;
    let per = length.div_euclid(slices);
    let extra = length.rem_euclid(slices);
    let fill = fill_with.filter(|f| !f.is_none());
    let mut out = Vec::new();
    let mut offset = 0i64;
    for n in 0..slices.max(0) {
        let start = offset + n * per;
        if n < extra {
            offset += 1;
        }
        let end = offset + (n + 1) * per;
        let (a, b) = (start.clamp(0, length) as usize, end.clamp(0, length) as usize);
        let mut tmp: Vec<Value> = if a < b { seq[a..b].to_vec() } else { Vec::new() };
        if let Some(f) = &fill {
            if n >= extra {
                tmp.push(f.clone());
            }
        }
        out.push(Value::list(tmp));
    }
    Ok(out)
}

/// `groupby(value, attribute, default=None, case_sensitive=False)`: sort by an attribute and
/// group; yields `(grouper, list)` namedtuples.
///
/// ```jinja
/// {% for city, items in users|groupby('city') %}{{ city }}: {{ items|length }} {% endfor %}
/// ```
pub fn do_groupby(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [attribute, default, case_sensitive] =
        args.bind("sync_do_groupby", ["attribute", "default", "case_sensitive"])?;
    let Some(attribute) = attribute else {
        return Err(type_error("sync_do_groupby() missing 1 required positional argument: 'attribute'"));
    };
    let case_sensitive = bool_arg(case_sensitive)?;
    // (Case is folded once all keys are known, as in `do_sort`.)
    let expr = AttrGetter::new(&attribute, false, default.clone());
    let items = py_iter(&value)?;
    let mut pairs = Vec::with_capacity(items.len());
    for i in items {
        let key = expr.get(state, &i)?;
        pairs.push((key, i));
    }
    // Jinja2 computes each key again for `itertools.groupby`; an attribute getter gives the
    // same key twice, so the keys the items were sorted by are grouped on.
    let folded = if case_sensitive { None } else { super::ascii_keys_fold(pairs.iter().map(|(k, _)| k)) };
    let sorted = if let Some(fold) = folded {
        super::sort_folded(&mut pairs, false, fold);
        pairs
    } else {
        if !case_sensitive {
            super::lower_keys(&mut pairs);
        }
        super::py_sort_pairs(pairs, false, py_lt)?
    };
    // The length of each run of equal keys first, so each group's list is made at its size.
    let mut runs: Vec<usize> = Vec::new();
    let mut start = 0;
    for (i, (key, _)) in sorted.iter().enumerate().skip(1) {
        if let Some((k, _)) = sorted.get(start) {
            let equal = match folded {
                Some(fold) => super::eq_folded(key, k, fold),
                None => ops::eq(key, k)?,
            };
            if !equal {
                runs.push(i - start);
                start = i;
            }
        }
    }
    if !sorted.is_empty() {
        runs.push(sorted.len() - start);
    }
    let output = AttrGetter::new(&attribute, false, default);
    let mut out = Vec::with_capacity(runs.len());
    let mut sorted = sorted.into_iter();
    for n in runs {
        let Some((key, first)) = sorted.next() else { break };
        let mut members = Vec::with_capacity(n);
        members.push(first);
        members.extend(sorted.by_ref().take(n.saturating_sub(1)).map(|(_, item)| item));
        let grouper = if case_sensitive {
            key
        } else {
            match members.first() {
                Some(m) => output.get(state, m)?,
                None => key,
            }
        };
        out.push(Value::object(GroupTuple { grouper, list: Value::list(members) }));
    }
    Ok(Value::list(out))
}

/// `items(value)`: the `(key, value)` pairs of a mapping; empty for undefined.
///
/// ```jinja
/// {% for k, v in {'a': 1}|items %}{{ k }}={{ v }}{% endfor %}  -> a=1
/// ```
pub fn do_items(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_items", [])?;
    let items = match &value {
        Value::Undefined(_) => Ok(Vec::new()),
        Value::Dict(d) => {
            Ok(d.lock().iter().map(|(k, v)| Value::tuple(vec![k.clone(), v.clone()])).collect())
        }
        _ => Err(type_error("Can only get item pairs from a mapping.")),
    };
    Ok(PyIterator::lazy("do_items", items))
}

/// `attr(obj, name)`: the attribute `name` of `obj`, never falling back to item lookup.
///
/// ```jinja
/// {{ {'a': 1}|attr('a') }}  -> (undefined)
/// ```
pub fn do_attr(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [name] = args.bind("do_attr", ["name"])?;
    let Some(name) = name else {
        return Err(type_error("do_attr() missing 1 required positional argument: 'name'"));
    };
    // `getattr_static(obj, name)` hashes the name first: a StrictUndefined raises.
    check_strict(&name)?;
    let Some(name_s) = name.as_str() else {
        return Err(type_error(format!("attribute name must be string, not '{}'", name.type_name())));
    };
    if let Value::Undefined(u) = &value {
        if name_s.starts_with("__") && name_s.ends_with("__") {
            return Ok(missing_attr(state, &value, name.clone()));
        }
        if u.kind == crate::value::UndefinedKind::Chainable {
            return Ok(value.clone());
        }
        return Err(u.error());
    }
    if let Some(v) = value.get_attr_raw(name_s) {
        return Ok(v);
    }
    if crate::methods::has_method(&value, name_s) {
        return Ok(crate::methods::bound_method(&value, name_s));
    }
    Ok(missing_attr(state, &value, name.clone()))
}

fn missing_attr(state: &State, obj: &Value, name: Value) -> Value {
    Value::Undefined(Arc::new(Undefined {
        kind: state.undefined_kind(),
        name: Some(name),
        obj: Some(obj.object_type_repr()),
        hint: None,
    }))
}

/// `default(value, default_value='', boolean=False)` / `d`: `default_value` if the value is
/// undefined (or falsy, with `boolean`).
///
/// ```jinja
/// {{ missing|default('n/a') }}  -> n/a
/// ```
pub fn do_default(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [default_value, boolean] = args.bind("do_default", ["default_value", "boolean"])?;
    if value.is_undefined() || (bool_arg(boolean)? && !value.is_true()?) {
        // The '' default is made only when used: `default` runs on every defined value too.
        return Ok(default_value.unwrap_or_else(|| Value::from("")));
    }
    Ok(value)
}

/// `map(value, name, *args, **kwargs)` or `map(value, attribute=..., default=...)`: apply a
/// filter to each item, or look up an attribute of each.
///
/// ```jinja
/// {{ users|map(attribute='name')|join(', ') }} {{ ['A']|map('lower')|list }}
/// ```
pub fn do_map(state: &mut State, value: Value, args: Args) -> Result<Value> {
    Ok(PyIterator::lazy("sync_do_map", map_items(state, &value, &args)))
}

fn map_items(state: &mut State, value: &Value, args: &Args) -> Result<Vec<Value>> {
    if !value.is_true()? {
        return Ok(Vec::new());
    }
    // Jinja2's `prepare_map` checks the arguments, then the value is iterated and the filter
    // looked up for each item.
    if args.args.is_empty() && args.kwarg("attribute").is_some() {
        let mut attribute = Value::None;
        let mut default = None;
        for (k, v) in &args.kwargs {
            match &**k {
                "attribute" => attribute = v.clone(),
                "default" => default = Some(v.clone()),
                other => return Err(filter_arg_error(format!("Unexpected keyword argument '{}'", other))),
            }
        }
        let getter = AttrGetter::new(&attribute, false, default);
        let items = py_items(value)?;
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            out.push(getter.get(state, item)?);
        }
        Ok(out)
    } else {
        let Some(name) = args.args.first() else {
            return Err(filter_arg_error("map requires a filter argument"));
        };
        let items = py_items(value)?;
        if items.is_empty() {
            return Ok(Vec::new());
        }
        let name = registered_name(name, "filter", |n| state.env().get_filter(n).is_some())?;
        let rest = Args { args: args.args.iter().skip(1).cloned().collect(), kwargs: args.kwargs.clone() };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            out.push(state.apply_filter(&name, item.clone(), rest.clone())?);
        }
        Ok(out)
    }
}

/// The name of a filter or test given to `map`/`select` as a value: Jinja2 looks it up in the
/// environment's dict, so only a string that names one is found; the error shows the name's
/// repr (`No filter named 5.`; an undefined name adds its own error) and an unhashable name
/// is a TypeError.
fn registered_name(name: &Value, kind: &str, exists: impl Fn(&str) -> bool) -> Result<String> {
    check_strict(name)?;
    if let Some(n) = name.as_str() {
        if exists(n) {
            return Ok(n.to_string());
        }
    }
    unhashable(name)?;
    let mut msg = format!("No {} named {}.", kind, name.repr());
    if let Value::Undefined(u) = name {
        // Jinja2 adds the undefined value's own error to the message.
        msg = format!("{msg} ({}; did you forget to quote the callable name?)", u.message());
    }
    Err(Error::new(ErrorKind::TemplateRuntimeError, msg))
}

fn select_or_reject(
    state: &mut State,
    value: Value,
    args: Args,
    select: bool,
    lookup_attr: bool,
) -> Result<Value> {
    Ok(PyIterator::lazy("select_or_reject", selected_items(state, &value, &args, select, lookup_attr)))
}

fn selected_items(
    state: &mut State,
    value: &Value,
    args: &Args,
    select: bool,
    lookup_attr: bool,
) -> Result<Vec<Value>> {
    if !value.is_true()? {
        return Ok(Vec::new());
    }
    // Jinja2's `prepare_select_or_reject` checks the arguments, then the value is iterated:
    // each item goes through the attribute getter, then the test is looked up and run.
    let mut off = 0;
    let getter = if lookup_attr {
        let Some(attr) = args.args.first() else {
            return Err(filter_arg_error("Missing parameter for attribute name"));
        };
        off = 1;
        Some(AttrGetter::new(attr, false, None))
    } else {
        None
    };
    let test_name = args.args.get(off);
    let mut test: Option<String> = None;
    let items = py_items(value)?;
    let rest = Args { args: args.args.iter().skip(off + 1).cloned().collect(), kwargs: args.kwargs.clone() };
    // (Room for every item: growing from empty cost more than the unused room.)
    let mut out = Vec::with_capacity(items.len());
    for item in items.iter() {
        let v = match &getter {
            Some(g) => g.get(state, item)?,
            None => item.clone(),
        };
        let r = match test_name {
            Some(name_value) => {
                // Looked up when the first item reaches it, as Jinja2 does per item.
                let name = match test {
                    Some(ref n) => n.as_str(),
                    None => test
                        .insert(registered_name(name_value, "test", |n| state.env().get_test(n).is_some())?),
                };
                state.perform_test(name, v, rest.clone())?
            }
            None => v.is_true()?,
        };
        if r == select {
            out.push(item.clone());
        }
    }
    Ok(out)
}

/// `select(value, test=None, *args)`: the items for which the test succeeds (truthy items
/// without a test).
///
/// ```jinja
/// {{ [1, 2, 3]|select('odd')|list }}  -> [1, 3]
/// ```
pub fn do_select(state: &mut State, value: Value, args: Args) -> Result<Value> {
    select_or_reject(state, value, args, true, false)
}

/// `reject(value, test=None, *args)`: the items for which the test fails.
///
/// ```jinja
/// {{ [1, 2, 3]|reject('odd')|list }}  -> [2]
/// ```
pub fn do_reject(state: &mut State, value: Value, args: Args) -> Result<Value> {
    select_or_reject(state, value, args, false, false)
}

/// `selectattr(value, attribute, test=None, *args)`: the items whose attribute passes the test.
///
/// ```jinja
/// {{ users|selectattr('admin')|map(attribute='name')|list }}
/// ```
pub fn do_selectattr(state: &mut State, value: Value, args: Args) -> Result<Value> {
    select_or_reject(state, value, args, true, true)
}

/// `rejectattr(value, attribute, test=None, *args)`: the items whose attribute fails the test.
///
/// ```jinja
/// {{ users|rejectattr('age', 'gt', 30)|map(attribute='name')|list }}
/// ```
pub fn do_rejectattr(state: &mut State, value: Value, args: Args) -> Result<Value> {
    select_or_reject(state, value, args, false, true)
}

#[cfg(test)]
mod unit {
    use super::*;
    use crate::Environment;

    /// Joining into one string gives the join of the items' strings (escaped or not).
    #[test]
    fn join_into_like_joining_strings() {
        let items = [
            Value::from("a<b"),
            Value::Int(3),
            Value::markup("<i>x</i>"),
            Value::None,
            Value::from(""),
            Value::Float(1.5),
        ];
        for n in 0..=items.len() {
            let items = &items[..n];
            let plain: Vec<String> = items.iter().map(|i| py_str(i).unwrap()).collect();
            assert_eq!(join_into(items, ", ", 0, false).unwrap(), plain.join(", "));
            let escaped: Vec<String> = items.iter().map(|i| escape_str(i).unwrap()).collect();
            assert_eq!(join_into(items, "&", 0, true).unwrap(), escaped.join("&"));
        }
    }

    /// `sum` over runs of lists (built in one vector) gives what adding them one by one does,
    /// mixed with other values and errors.
    #[test]
    fn sum_of_lists_like_adding() {
        let env = Environment::new();
        let l = |v: Vec<i64>| Value::list(v.into_iter().map(Value::Int).collect());
        let cases: Vec<(Vec<Value>, Value)> = vec![
            (vec![l(vec![1]), l(vec![2, 3]), l(vec![])], l(vec![])),
            (vec![l(vec![1]), l(vec![2])], l(vec![9])),
            (vec![], l(vec![4])),
            (vec![l(vec![1]), Value::Int(2)], l(vec![])),
            (vec![Value::Int(1), l(vec![2])], Value::Int(0)),
            (vec![l(vec![1]), Value::tuple(vec![Value::Int(2)])], l(vec![])),
        ];
        for (items, start) in cases {
            let mut want = Ok(start.clone());
            for i in &items {
                want = want.and_then(|a| ops::add(&a, i));
            }
            let mut st = State::new(&env);
            let args = Args { args: Default::default(), kwargs: vec![("start".into(), start)] };
            let got = do_sum(&mut st, Value::list(items.clone()), args);
            match (got, want) {
                (Ok(g), Ok(w)) => assert_eq!(g.repr(), w.repr(), "{items:?}"),
                (Err(g), Err(w)) => assert_eq!(g.to_string(), w.to_string()),
                (g, w) => panic!("{items:?}: {g:?} against {w:?}"),
            }
        }
    }

    /// The shared items of a filter that only reads them are what the copying iteration
    /// yields; `join`, `map`, `unique` and `select` give over a list what they give over a
    /// copy of it, and leave the list as it was.
    #[test]
    fn py_items_like_py_iter() {
        let env = Environment::new();
        let list = Value::list(vec![Value::from("b"), Value::from("a"), Value::from("b"), Value::from("")]);
        let values = [
            list.clone(),
            Value::tuple(vec![Value::Int(1), Value::from("x")]),
            Value::markup("<é>"),
            Value::from("hé"),
            Value::Int(3),
        ];
        for v in &values {
            match (py_items(v), py_iter(v)) {
                (Ok(a), Ok(b)) => {
                    let (a, b): (Vec<String>, Vec<String>) =
                        (a.iter().map(Value::repr).collect(), b.iter().map(Value::repr).collect());
                    assert_eq!(a, b, "{v:?}");
                }
                (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
                (a, b) => panic!("{v:?}: {:?} / {:?}", a.is_ok(), b.is_ok()),
            }
        }
        let copy = Value::list(list.try_iter().expect("list"));
        type Filter = fn(&mut State, Value, Args) -> Result<Value>;
        let filters: [(Filter, Vec<Value>); 5] = [
            (do_join, vec![Value::from("|")]),
            (do_map, vec![Value::from("upper")]),
            (do_unique, vec![]),
            (do_select, vec![]),
            (do_reject, vec![]),
        ];
        for (f, args) in filters {
            let mut st = State::new(&env);
            let shared = f(&mut st, list.clone(), Args::positional(args.clone())).expect("filters");
            let copied = f(&mut st, copy.clone(), Args::positional(args)).expect("filters");
            let (shared, copied) =
                (do_list(&mut st, shared, Args::default()), do_list(&mut st, copied, Args::default()));
            assert_eq!(shared.expect("list").repr(), copied.expect("list").repr());
        }
        assert_eq!(list.repr(), "['b', 'a', 'b', '']");
    }
}
