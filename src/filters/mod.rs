//! Builtin filters: the registry Jinja2 users expect, by name, and the helpers they share
//! (Python `str()` with Undefined semantics, `make_attrgetter`, Python's `sorted`, argument
//! conversion, the seeded PRNG behind `random`).

mod entities;
pub mod html;
pub mod json;
pub mod num;
pub mod pprint;
pub mod printf;
pub mod seq;
pub mod text;

#[cfg(test)]
mod calls;

use std::cmp::Ordering;
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::Arc;

use crate::environment::FilterFn;
use crate::error::{Error, ErrorKind, Result};
use crate::value::{markup, ops, Args, UndefinedKind, Value};
use crate::vm::State;

pub use printf::{markup_percent_format, percent_format};

/// The largest string or sequence a filter will build (guards `center(10**9)` and friends).
pub(crate) const MAX_SIZE: usize = 100_000_000;

/// Error for results that would be too large to build.
pub(crate) fn too_large(what: &str) -> Error {
    Error::new(ErrorKind::OverflowError, format!("{} result too large", what))
}

/// A TypeError.
pub(crate) fn type_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::TypeError, msg)
}

/// A ValueError.
pub(crate) fn value_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::ValueError, msg)
}

/// Jinja2's `FilterArgumentError` (a `TemplateRuntimeError` subclass). `ErrorKind` has no
/// variant of that name yet, so it is reported as `TemplateRuntimeError`; the conformance
/// runner expects the class name `FilterArgumentError`, so switch here once the kind exists.
pub(crate) fn filter_arg_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::FilterArgumentError, msg)
}

/// Fail if `v` is a StrictUndefined (the operations that always raise for it).
pub(crate) fn check_strict(v: &Value) -> Result<()> {
    if let Value::Undefined(u) = v {
        if u.kind == UndefinedKind::Strict {
            return Err(u.error());
        }
    }
    Ok(())
}

/// Python's `str(v)`; StrictUndefined raises.
pub(crate) fn py_str(v: &Value) -> Result<String> {
    check_strict(v)?;
    crate::value::repr::check_int_digits(v)?;
    Ok(v.to_str())
}

/// [`py_str`] borrowing a str or Markup's text instead of copying it (separators and other
/// string arguments that are only read).
pub(crate) fn py_str_ref(v: &Value) -> Result<std::borrow::Cow<'_, str>> {
    match v {
        Value::Str(s) | Value::Markup(s) => Ok(std::borrow::Cow::Borrowed(s)),
        _ => py_str(v).map(std::borrow::Cow::Owned),
    }
}

/// markupsafe's `soft_str`: str and Markup stay as they are, anything else becomes `str(v)`.
pub(crate) fn soft_str(v: &Value) -> Result<Value> {
    match v {
        Value::Str(_) | Value::Markup(_) => Ok(v.clone()),
        _ => Ok(Value::from(py_str(v)?)),
    }
}

/// Whether the value has `__html__` (Markup, markup objects, ChainableUndefined).
pub(crate) fn has_html(v: &Value) -> bool {
    match v {
        Value::Markup(_) => true,
        Value::Object(o) => o.is_markup(),
        Value::Undefined(u) => u.kind == UndefinedKind::Chainable,
        _ => false,
    }
}

/// markupsafe's `escape(v)` as a string (the content of the resulting Markup).
pub(crate) fn escape_str(v: &Value) -> Result<String> {
    if has_html(v) {
        return py_str(v);
    }
    Ok(markup::escape(&py_str(v)?))
}

/// markupsafe's `escape(v)`.
pub(crate) fn escape_value(v: &Value) -> Result<Value> {
    match v {
        Value::Markup(_) => Ok(v.clone()),
        // A str with nothing to escape becomes Markup sharing its text.
        Value::Str(s) if !markup::needs_escape(s) => Ok(Value::Markup(s.clone())),
        Value::Str(s) => Ok(Value::markup(markup::escape(s))),
        _ => Ok(Value::markup(escape_str(v)?)),
    }
}

/// A str or Markup of `s`, by `markup`.
pub(crate) fn str_like(s: String, markup: bool) -> Value {
    if markup {
        Value::markup_of(s)
    } else {
        Value::from(s)
    }
}

/// Python's `operator.index(v)` for an argument that must be an integer.
pub(crate) fn arg_int(v: &Value) -> Result<i64> {
    match v {
        Value::Int(i) => Ok(*i),
        Value::Bool(b) => Ok(*b as i64),
        Value::BigInt(_) => {
            Err(Error::new(ErrorKind::OverflowError, "Python int too large to convert to C ssize_t"))
        }
        Value::Undefined(u) => Err(u.error()),
        _ => Err(type_error(format!("'{}' object cannot be interpreted as an integer", v.type_name()))),
    }
}

/// An int argument that Python reads clamped to 64 bits (a slice bound, a `start`/`end`,
/// `round`'s ndigits, a width only compared): [`Value::as_clamped_i64`], else as [`arg_int`]
/// (its errors for other values).
pub(crate) fn arg_index(v: &Value) -> Result<i64> {
    v.as_clamped_i64().map_or_else(|| arg_int(v), Ok)
}

/// An optional argument with a default.
pub(crate) fn opt(v: Option<Value>, default: Value) -> Value {
    v.unwrap_or(default)
}

/// Python's `len(v)`.
pub(crate) fn py_len(v: &Value) -> Result<usize> {
    check_strict(v)?;
    match v.len() {
        Some(n) => Ok(n),
        None => Err(type_error(format!("object of type '{}' has no len()", v.type_name()))),
    }
}

/// Jinja2's `ignore_case`: lower-case strings, keep everything else.
pub(crate) fn ignore_case(v: Value) -> Value {
    match &v {
        // Sort and group keys are mostly lowercase ASCII already: share them.
        Value::Str(s) | Value::Markup(s) if s.is_ascii() && !s.bytes().any(|b| b.is_ascii_uppercase()) => v,
        Value::Str(s) | Value::Markup(s) if s.is_ascii() => {
            let mut b = crate::value::scratch(s.len());
            b.push_str(s);
            b.make_ascii_lowercase();
            if matches!(v, Value::Markup(_)) {
                Value::markup_of(b)
            } else {
                Value::from(b)
            }
        }
        Value::Str(s) => Value::from(crate::methods::pystr::lower(s)),
        Value::Markup(s) => Value::markup_of(crate::methods::pystr::lower(s)),
        _ => v,
    }
}

/// `_prepare_attribute_parts`: a dotted string splits on `.` with digit parts as ints.
pub(crate) fn attribute_parts(attr: &Value) -> AttrParts {
    match attr {
        Value::None => AttrParts::new(),
        // One part that is not a number (`attribute='name'`): the str itself.
        Value::Str(s) if !s.contains('.') && (s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit())) => {
            smallvec::smallvec![attr.clone()]
        }
        Value::Str(s) | Value::Markup(s) => s
            .split('.')
            .map(|p| {
                if !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()) {
                    match p.parse::<i64>() {
                        Ok(i) => Value::Int(i),
                        Err(_) => Value::from(p),
                    }
                } else {
                    Value::from(p)
                }
            })
            .collect(),
        other => smallvec::smallvec![other.clone()],
    }
}

/// The parts of an attribute path: most are one attribute (`attribute='name'`), held inline
/// (a getter made per filter call allocated for it).
pub(crate) type AttrParts = smallvec::SmallVec<[Value; 1]>;

/// Jinja2's `make_attrgetter`.
pub(crate) struct AttrGetter {
    parts: AttrParts,
    lower: bool,
    default: Option<Value>,
}

impl AttrGetter {
    /// A getter for `attribute` (None: identity), lower-casing strings if `lower`.
    pub(crate) fn new(attribute: &Value, lower: bool, default: Option<Value>) -> AttrGetter {
        let default = default.filter(|d| !d.is_none());
        AttrGetter { parts: attribute_parts(attribute), lower, default }
    }

    /// Look the attribute up on `item`.
    pub(crate) fn get(&self, state: &State, item: &Value) -> Result<Value> {
        // A record's str key (`map(attribute='name')`): what `getitem` answers when the dict
        // holds it, without its general way.
        if let [Value::Str(key)] = self.parts.as_slice() {
            if let Some(mut v) = crate::value::dict_str_item(item, key) {
                if let Some(default) = &self.default {
                    if v.is_undefined() {
                        v = default.clone();
                    }
                }
                return Ok(if self.lower { ignore_case(v) } else { v });
            }
        }
        // (The item itself is only borrowed: cloned when there is no part to look up.)
        let mut cur: Option<Value> = None;
        for part in &self.parts {
            let mut v = state.getitem(cur.as_ref().unwrap_or(item), part)?;
            if let Some(d) = &self.default {
                if v.is_undefined() {
                    v = d.clone();
                }
            }
            cur = Some(v);
        }
        let item = cur.unwrap_or_else(|| item.clone());
        Ok(if self.lower { ignore_case(item) } else { item })
    }
}

/// Jinja2's `make_multi_attrgetter`: comma-separated attributes, a list of values each.
pub(crate) struct MultiAttrGetter {
    /// (Inline for one attribute, as `sort` mostly has.)
    parts: smallvec::SmallVec<[AttrParts; 1]>,
    /// Whether keys are lower-cased (a caller that folds case itself clears it).
    pub(crate) lower: bool,
}

impl MultiAttrGetter {
    /// A getter for the comma-separated `attribute`.
    pub(crate) fn new(attribute: &Value, lower: bool) -> MultiAttrGetter {
        let parts = match attribute {
            // One attribute: its parts as they are (a Markup's are strs there too).
            Value::Str(s) | Value::Markup(s) if !s.contains(',') => {
                smallvec::smallvec![attribute_parts(attribute)]
            }
            Value::Str(s) | Value::Markup(s) => {
                s.split(',').map(|p| attribute_parts(&Value::from(p))).collect()
            }
            other => smallvec::smallvec![attribute_parts(other)],
        };
        MultiAttrGetter { parts, lower }
    }

    /// The key of `item` for one attribute, not wrapped in a list: what the list holds when
    /// there is one attribute (`None` when there are several). Compare such keys with
    /// [`py_lt_single`].
    pub(crate) fn get_single(&self, state: &State, item: &Value) -> Option<Result<Value>> {
        let [parts] = self.parts.as_slice() else { return None };
        // A record's str key (`sort(attribute='name')`): see `AttrGetter::get`.
        if let [Value::Str(key)] = parts.as_slice() {
            if let Some(v) = crate::value::dict_str_item(item, key) {
                return Some(Ok(if self.lower { ignore_case(v) } else { v }));
            }
        }
        let mut cur: Option<Value> = None;
        for part in parts {
            cur = match state.getitem(cur.as_ref().unwrap_or(item), part) {
                Ok(v) => Some(v),
                Err(e) => return Some(Err(e)),
            };
        }
        let v = cur.unwrap_or_else(|| item.clone());
        Some(Ok(if self.lower { ignore_case(v) } else { v }))
    }

    /// Whether there is one attribute (see [`MultiAttrGetter::get_single`]).
    pub(crate) fn is_single(&self) -> bool {
        self.parts.len() == 1
    }

    /// The key of `item`: a list of the looked-up values.
    pub(crate) fn get(&self, state: &State, item: &Value) -> Result<Value> {
        let mut out = Vec::with_capacity(self.parts.len());
        for parts in &self.parts {
            let mut v = item.clone();
            for part in parts {
                v = state.getitem(&v, part)?;
            }
            out.push(if self.lower { ignore_case(v) } else { v });
        }
        Ok(Value::list(out))
    }
}

/// Python's `a < b` for sorting (errors as TypeError / UndefinedError).
pub(crate) fn py_lt(a: &Value, b: &Value) -> Result<bool> {
    match (a, b) {
        (Value::Float(x), Value::Float(y)) => return Ok(x < y),
        (Value::Int(x), Value::Int(y)) => return Ok(x < y),
        // Code point order is UTF-8 byte order.
        (Value::Str(x) | Value::Markup(x), Value::Str(y) | Value::Markup(y)) => return Ok(x < y),
        _ => {}
    }
    if a.is_number()
        && b.is_number()
        && (a.as_f64().is_some_and(f64::is_nan) || b.as_f64().is_some_and(f64::is_nan))
    {
        return Ok(false);
    }
    match (a, b) {
        (Value::List(_), Value::List(_)) | (Value::Tuple(_), Value::Tuple(_)) => {
            let (x, y) = (a.try_iter()?, b.try_iter()?);
            // (Python's `==` per item first, which a StrictUndefined raises.)
            for (p, q) in x.iter().zip(y.iter()) {
                if !ops::eq(p, q)? {
                    return py_lt(p, q);
                }
            }
            Ok(x.len() < y.len())
        }
        _ => Ok(ops::cmp(a, b, "<")? == Ordering::Less),
    }
}

/// Python's `<` between the one-item lists `[a]` and `[b]` (the keys of a one-attribute
/// [`MultiAttrGetter`]), without the lists: equal items are not less (and not compared).
pub(crate) fn py_lt_single(a: &Value, b: &Value) -> Result<bool> {
    // Equal strs or ints are not less either: `<` alone answers for them.
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => return Ok(x < y),
        (Value::Str(x) | Value::Markup(x), Value::Str(y) | Value::Markup(y)) => return Ok(x < y),
        _ => {}
    }
    if ops::eq(a, b)? {
        return Ok(false);
    }
    py_lt(a, b)
}

/// Python's `sorted(items, key=...)` on precomputed keys: CPython's exact comparison order for
/// short lists (run detection and binary insertion), a stable merge sort beyond.
pub(crate) fn py_sort(items: Vec<Value>, keys: Vec<Value>, reverse: bool) -> Result<Vec<Value>> {
    py_sort_by(items, keys, reverse, py_lt)
}

/// [`py_sort`] with `lt` for the keys' `<`.
pub(crate) fn py_sort_by(
    items: Vec<Value>,
    keys: Vec<Value>,
    reverse: bool,
    lt: fn(&Value, &Value) -> Result<bool>,
) -> Result<Vec<Value>> {
    let pairs = keys.into_iter().zip(items).collect();
    py_sort_items(pairs, reverse, lt)
}

/// [`py_sort_by`] of `(key, item)` pairs: the items in sorted order.
pub(crate) fn py_sort_items(
    pairs: Vec<(Value, Value)>,
    reverse: bool,
    lt: fn(&Value, &Value) -> Result<bool>,
) -> Result<Vec<Value>> {
    let pairs = py_sort_pairs(pairs, reverse, lt)?;
    let mut out = Vec::with_capacity(pairs.len());
    out.extend(pairs.into_iter().map(|(_, v)| v));
    Ok(out)
}

/// Sort `(key, item)` pairs by key, as [`py_sort_by`] sorts the items (made by the caller as
/// it computes the keys; `groupby` groups on the keys it sorted by instead of computing them
/// again).
pub(crate) fn py_sort_pairs(
    mut pairs: Vec<(Value, Value)>,
    reverse: bool,
    lt: fn(&Value, &Value) -> Result<bool>,
) -> Result<Vec<(Value, Value)>> {
    if reverse {
        pairs.reverse();
    }
    sort_pairs(&mut pairs, lt)?;
    if reverse {
        pairs.reverse();
    }
    Ok(pairs)
}

fn sort_pairs(p: &mut [(Value, Value)], py_lt: fn(&Value, &Value) -> Result<bool>) -> Result<()> {
    let n = p.len();
    if n < 2 {
        return Ok(());
    }
    // Keys that are all strs, or all ints (the usual `attribute=` keys): both `lt`s order them
    // totally (code points; numbers) and cannot raise, and for a total order every stable sort
    // gives the same result as CPython's. The general way below copies CPython's comparisons
    // one by one, which matters only when a comparison may raise.
    if p.iter().all(|(k, _)| matches!(k, Value::Str(_) | Value::Markup(_))) {
        sort_folded(p, false, false);
        return Ok(());
    }
    if p.iter().all(|(k, _)| matches!(k, Value::Int(_))) {
        p.sort_by_key(|(k, _)| if let Value::Int(i) = k { *i } else { 0 });
        return Ok(());
    }
    if n <= 64 {
        // count_run
        let mut run = 2;
        let descending = py_lt(&p[1].0, &p[0].0)?;
        if descending {
            while run < n && py_lt(&p[run].0, &p[run - 1].0)? {
                run += 1;
            }
            p[..run].reverse();
        } else {
            while run < n && !py_lt(&p[run].0, &p[run - 1].0)? {
                run += 1;
            }
        }
        // binarysort
        for start in run..n {
            let (mut lo, mut hi) = (0usize, start);
            while lo < hi {
                let mid = lo + ((hi - lo) >> 1);
                if py_lt(&p[start].0, &p[mid].0)? {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            p[lo..=start].rotate_right(1);
        }
        return Ok(());
    }
    let mut err: Option<Error> = None;
    p.sort_by(|a, b| {
        if err.is_some() {
            return Ordering::Equal;
        }
        match py_lt(&b.0, &a.0) {
            Ok(true) => Ordering::Greater,
            Ok(false) => match py_lt(&a.0, &b.0) {
                Ok(true) => Ordering::Less,
                Ok(false) => Ordering::Equal,
                Err(e) => {
                    err = Some(e);
                    Ordering::Equal
                }
            },
            Err(e) => {
                err = Some(e);
                Ordering::Equal
            }
        }
    });
    match err {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// How case-insensitive keys compare without the lower-cased copies Jinja2's `ignore_case`
/// makes (see [`sort_folded`]): when every key is a str or Markup of ASCII text, `Some(true)`
/// if some key has a capital (compare them folded), `Some(false)` if none has (compare them
/// as they are); `None` when some key is anything else (lower them with [`lower_keys`] and
/// compare the general way).
pub(crate) fn ascii_keys_fold<'a>(keys: impl IntoIterator<Item = &'a Value>) -> Option<bool> {
    // (One pass over each key's bytes, OR-ing both tests: the keys are short, where the
    // library's word-at-a-time `is_ascii` costs more than it saves.)
    let (mut high, mut upper) = (0u8, false);
    for k in keys {
        let (Value::Str(s) | Value::Markup(s)) = k else { return None };
        for b in s.bytes() {
            high |= b;
            upper |= b.is_ascii_uppercase();
        }
    }
    (high < 0x80).then_some(upper)
}

/// Jinja2's `ignore_case` applied to the key of every `(key, item)` pair.
pub(crate) fn lower_keys(pairs: &mut [(Value, Value)]) {
    for (k, _) in pairs.iter_mut() {
        *k = ignore_case(std::mem::replace(k, Value::None));
    }
}

/// Whether two ASCII keys are equal once lower-cased (`fold`), or as they are.
pub(crate) fn eq_folded(a: &Value, b: &Value, fold: bool) -> bool {
    if fold {
        str_key(a).eq_ignore_ascii_case(str_key(b))
    } else {
        str_key(a) == str_key(b)
    }
}

/// The order of two ASCII texts once lower-cased.
fn cmp_folded(a: &str, b: &str) -> Ordering {
    a.bytes().map(|c| c.to_ascii_lowercase()).cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Sort `(key, item)` pairs of ASCII keys (see [`ascii_keys_fold`]) by their lower-cased
/// texts, as [`py_sort_pairs`] sorts lowered keys: a total order, so any stable sort gives
/// CPython's result (`reverse` keeps equal keys in their order, as Python's does).
pub(crate) fn sort_folded(pairs: &mut [(Value, Value)], reverse: bool, fold: bool) {
    if reverse {
        pairs.reverse();
    }
    if fold {
        pairs.sort_by(|(a, _), (b, _)| cmp_folded(str_key(a), str_key(b)));
    } else {
        pairs.sort_by(|(a, _), (b, _)| str_key(a).cmp(str_key(b)));
    }
    if reverse {
        pairs.reverse();
    }
}

/// The text of a str or Markup key (empty for any other value: see [`sort_pairs`]).
pub(crate) fn str_key(v: &Value) -> &str {
    match v {
        Value::Str(s) | Value::Markup(s) => s,
        _ => "",
    }
}

static RANDOM_STATE: AtomicU64 = AtomicU64::new(0);

/// Seed the PRNG behind the `random` filter (for deterministic tests).
pub fn set_random_seed(seed: u64) {
    RANDOM_STATE.store(seed, AtomicOrdering::SeqCst);
}

/// The next pseudo-random number (splitmix64), seeded from the clock on first use.
pub(crate) fn next_random() -> u64 {
    let mut s = RANDOM_STATE.load(AtomicOrdering::SeqCst);
    if s == 0 {
        s = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x1234_5678)
            | 1;
    }
    let next = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
    RANDOM_STATE.store(next, AtomicOrdering::SeqCst);
    let mut z = next;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn f(func: fn(&mut State, Value, Args) -> Result<Value>) -> FilterFn {
    Arc::new(func)
}

/// Every builtin filter with its name.
pub fn builtins() -> Vec<(&'static str, FilterFn)> {
    vec![
        ("abs", f(num::do_abs)),
        ("attr", f(seq::do_attr)),
        ("batch", f(seq::do_batch)),
        ("capitalize", f(text::do_capitalize)),
        ("center", f(text::do_center)),
        ("count", f(seq::do_length)),
        ("d", f(seq::do_default)),
        ("default", f(seq::do_default)),
        ("dictsort", f(seq::do_dictsort)),
        ("e", f(text::do_escape)),
        ("escape", f(text::do_escape)),
        ("filesizeformat", f(num::do_filesizeformat)),
        ("first", f(seq::do_first)),
        ("float", f(num::do_float)),
        ("forceescape", f(text::do_forceescape)),
        ("format", f(printf::do_format)),
        ("groupby", f(seq::do_groupby)),
        ("indent", f(text::do_indent)),
        ("int", f(num::do_int)),
        ("items", f(seq::do_items)),
        ("join", f(seq::do_join)),
        ("last", f(seq::do_last)),
        ("length", f(seq::do_length)),
        ("list", f(seq::do_list)),
        ("lower", f(text::do_lower)),
        ("map", f(seq::do_map)),
        ("max", f(seq::do_max)),
        ("min", f(seq::do_min)),
        ("pprint", f(pprint::do_pprint)),
        ("random", f(seq::do_random)),
        ("reject", f(seq::do_reject)),
        ("rejectattr", f(seq::do_rejectattr)),
        ("replace", f(text::do_replace)),
        ("reverse", f(seq::do_reverse)),
        ("round", f(num::do_round)),
        ("safe", f(text::do_safe)),
        ("select", f(seq::do_select)),
        ("selectattr", f(seq::do_selectattr)),
        ("slice", f(seq::do_slice)),
        ("sort", f(seq::do_sort)),
        ("string", f(text::do_string)),
        ("striptags", f(html::do_striptags)),
        ("sum", f(seq::do_sum)),
        ("title", f(text::do_title)),
        ("tojson", f(json::do_tojson)),
        ("trim", f(text::do_trim)),
        ("truncate", f(text::do_truncate)),
        ("unique", f(seq::do_unique)),
        ("upper", f(text::do_upper)),
        ("urlencode", f(html::do_urlencode)),
        ("urlize", f(html::do_urlize)),
        ("wordcount", f(text::do_wordcount)),
        ("wordwrap", f(text::do_wordwrap)),
        ("xmlattr", f(html::do_xmlattr)),
    ]
}

#[cfg(test)]
mod unit {
    use super::*;

    /// `sorted(jinja2.filters.FILTERS)` from Jinja2 3.1.6.
    const JINJA2_FILTERS: &[&str] = &[
        "abs",
        "attr",
        "batch",
        "capitalize",
        "center",
        "count",
        "d",
        "default",
        "dictsort",
        "e",
        "escape",
        "filesizeformat",
        "first",
        "float",
        "forceescape",
        "format",
        "groupby",
        "indent",
        "int",
        "items",
        "join",
        "last",
        "length",
        "list",
        "lower",
        "map",
        "max",
        "min",
        "pprint",
        "random",
        "reject",
        "rejectattr",
        "replace",
        "reverse",
        "round",
        "safe",
        "select",
        "selectattr",
        "slice",
        "sort",
        "string",
        "striptags",
        "sum",
        "title",
        "tojson",
        "trim",
        "truncate",
        "unique",
        "upper",
        "urlencode",
        "urlize",
        "wordcount",
        "wordwrap",
        "xmlattr",
    ];

    #[test]
    fn every_jinja2_filter_is_registered() {
        let env = crate::Environment::new();
        for name in JINJA2_FILTERS {
            assert!(env.get_filter(name).is_some(), "missing filter {name}");
        }
        assert_eq!(builtins().len(), JINJA2_FILTERS.len());
    }

    #[test]
    fn attribute_parts_split_dots_and_digits() {
        let p = attribute_parts(&Value::from("a.0.b"));
        assert_eq!(p.len(), 3);
        assert!(matches!(p[1], Value::Int(0)));
    }

    #[test]
    fn sort_is_stable_and_errors_like_python() {
        let items = vec![Value::Int(3), Value::Int(1), Value::Int(2)];
        let r = py_sort(items.clone(), items, false).unwrap_or_default();
        assert_eq!(Value::list(r).repr(), "[1, 2, 3]");
        let items = vec![Value::Int(1), Value::from("a")];
        let e = py_sort(items.clone(), items, false).err().map(|e| e.detail().to_string());
        assert_eq!(e.as_deref(), Some("'<' not supported between instances of 'str' and 'int'"));
    }
}
