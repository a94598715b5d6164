//! String filters: case (`lower`, `upper`, `capitalize`, `title`), layout (`center`, `indent`,
//! `trim`, `truncate`, `wordwrap` with a port of Python's textwrap), `wordcount`, `replace`,
//! and the escaping family (`escape`, `forceescape`, `safe`, `string`).

use super::{
    arg_int, escape_str, escape_value, has_html, opt, py_len, py_str, py_str_ref, soft_str, str_like,
    type_error, value_error, MAX_SIZE,
};
use crate::error::{Error, ErrorKind, Result};
use crate::filters::num::py_isspace;
use crate::methods::pystr;
use crate::value::{markup, Args, Value};
use crate::vm::State;

/// The string content and whether it is Markup, after `soft_str`.
fn soft(v: &Value) -> Result<(String, bool)> {
    let s = soft_str(v)?;
    let is_markup = matches!(s, Value::Markup(_));
    let s = s.as_str().unwrap_or_default();
    // (Mostly made a value again: built where that costs no allocation of its own.)
    let mut b = crate::value::scratch(s.len());
    b.push_str(s);
    Ok((b, is_markup))
}

/// [`soft`] without copying the text: the str or Markup value (borrow it with
/// [`Value::as_str`]) and whether it is Markup.
fn soft_value(v: &Value) -> Result<(Value, bool)> {
    let s = soft_str(v)?;
    let is_markup = matches!(s, Value::Markup(_));
    Ok((s, is_markup))
}

/// Whether `v` is a str or Markup of ASCII text with no byte `bad` accepts (one a case
/// mapping would change: then the mapping gives the same text, and the value can be kept).
fn ascii_without(v: &Value, bad: impl Fn(u8) -> bool) -> bool {
    match v {
        Value::Str(s) | Value::Markup(s) => no_byte(s.as_bytes(), |b| b >= 0x80 || bad(b)),
        _ => false,
    }
}

/// `upper(s)`: convert to uppercase.
///
/// ```jinja
/// {{ 'abc'|upper }}  -> ABC
/// ```
pub fn do_upper(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_upper", [])?;
    if ascii_without(&value, |b| b.is_ascii_lowercase()) {
        // Already upper case: the same text.
        return Ok(value);
    }
    let (mut s, m) = soft(&value)?;
    if s.is_ascii() {
        s.make_ascii_uppercase();
        return Ok(str_like(s, m));
    }
    Ok(str_like(crate::value::pyunicode::upper(&s), m))
}

/// `lower(s)`: convert to lowercase.
///
/// ```jinja
/// {{ 'ABC'|lower }}  -> abc
/// ```
pub fn do_lower(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_lower", [])?;
    if ascii_without(&value, |b| b.is_ascii_uppercase()) {
        // Already lower case: the same text.
        return Ok(value);
    }
    let (mut s, m) = soft(&value)?;
    if s.is_ascii() {
        s.make_ascii_lowercase();
        return Ok(str_like(s, m));
    }
    Ok(str_like(pystr::lower(&s), m))
}

/// `capitalize(s)`: first character uppercase, the rest lowercase.
///
/// ```jinja
/// {{ 'hello WORLD'|capitalize }}  -> Hello world
/// ```
pub fn do_capitalize(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_capitalize", [])?;
    let (s, m) = soft_value(&value)?;
    Ok(str_like(pystr::capitalize(s.as_str().unwrap_or_default()), m))
}

fn is_title_sep(c: char) -> bool {
    matches!(c, '-' | '(' | '{' | '[' | '<') || py_isspace(c)
}

/// `title(s)`: words start uppercase, the rest lowercase (words split at `-`, spaces, brackets).
///
/// ```jinja
/// {{ 'hello wORLD'|title }}  -> Hello World
/// ```
pub fn do_title(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_title", [])?;
    let (s, _) = soft_value(&value)?;
    let s = s.as_str().unwrap_or_default();
    Ok(Value::from(if s.is_ascii() { title_ascii(s) } else { title_general(s) }))
}

/// The ASCII bytes [`is_title_sep`] accepts, as a bit set.
const TITLE_SEPS: u128 = {
    let mut m = 0u128;
    let mut b = 0;
    while b < 128 {
        let c = b as u8 as char;
        if matches!(c, '-' | '(' | '{' | '[' | '<' | '\t'..='\r' | '\x1c'..='\x1f' | ' ') {
            m |= 1 << b;
        }
        b += 1;
    }
    m
};

/// [`do_title`] of ASCII text: all of it lower-cased at once, then each word's first letter
/// (one that starts the text or follows a separator) upper-cased in place.
fn title_ascii(s: &str) -> String {
    let mut out = crate::value::scratch(s.len());
    title_ascii_into(&mut out, s);
    out
}

/// [`title_ascii`] appended to `out`.
pub(crate) fn title_ascii_into(out: &mut String, s: &str) {
    let base = out.len();
    out.push_str(s);
    if let Some(t) = out.get_mut(base..) {
        t.make_ascii_lowercase();
    }
    let mut start = true;
    for (i, b) in s.bytes().enumerate() {
        let sep = TITLE_SEPS >> (b & 0x7f) & 1 != 0;
        if start && !sep {
            if let Some(first) = out.get_mut(base + i..=base + i) {
                first.make_ascii_uppercase();
            }
        }
        start = sep;
    }
}

/// [`do_title`] as Jinja2 words it: each item of the split at separator runs, first
/// character upper-cased and the rest lower-cased.
fn title_general(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        let sep = rest.starts_with(is_title_sep);
        let end = if sep {
            rest.find(|c: char| !is_title_sep(c)).unwrap_or(rest.len())
        } else {
            rest.find(is_title_sep).unwrap_or(rest.len())
        };
        let item = &rest[..end];
        let mut chars = item.chars();
        if let Some(first) = chars.next() {
            crate::value::pyunicode::push_upper(&mut out, first);
            out.push_str(&pystr::lower(chars.as_str()));
        }
        rest = &rest[end..];
    }
    out
}

/// `center(value, width=80)`: center in a field of `width`.
///
/// ```jinja
/// {{ 'ab'|center(6) }}  -> "  ab  "
/// ```
pub fn do_center(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [width] = args.bind("do_center", ["width"])?;
    // `soft_str(value).center(width)`: the value becomes a str (a StrictUndefined raises)
    // before the width is looked at.
    let (s, m) = soft_value(&value)?;
    let width = arg_int(&opt(width, Value::Int(80)))?;
    if width > MAX_SIZE as i64 {
        return Err(super::too_large("center"));
    }
    Ok(str_like(pystr::center(s.as_str().unwrap_or_default(), width, " "), m))
}

/// `trim(value, chars=None)`: strip leading and trailing whitespace (or `chars`).
///
/// ```jinja
/// {{ '  hi  '|trim }} {{ 'xxhixx'|trim('x') }}  -> hi hi
/// ```
pub fn do_trim(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [chars] = args.bind("do_trim", ["chars"])?;
    let (s, m) = soft(&value)?;
    let chars = match chars {
        None | Some(Value::None) => None,
        Some(Value::Str(c)) | Some(Value::Markup(c)) => Some(c.to_string()),
        Some(other) => {
            let _ = other;
            return Err(type_error("strip arg must be None or str"));
        }
    };
    Ok(str_like(pystr::strip(&s, chars.as_deref(), true, true), m))
}

/// `wordcount(s)`: the number of words (`\w+` runs).
///
/// ```jinja
/// {{ 'one two, three'|wordcount }}  -> 3
/// ```
pub fn do_wordcount(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_wordcount", [])?;
    let (s, _) = soft_value(&value)?;
    let mut n = 0i64;
    let mut in_word = false;
    for c in s.as_str().unwrap_or_default().chars() {
        let w = pystr::is_word_char(c);
        if w && !in_word {
            n += 1;
        }
        in_word = w;
    }
    Ok(Value::Int(n))
}

/// `truncate(s, length=255, killwords=False, end='...', leeway=5)`: shorten to `length`,
/// at a word boundary unless `killwords`; strings within `leeway` are kept whole.
///
/// ```jinja
/// {{ 'foo bar baz qux'|truncate(9) }}  -> foo...
/// ```
pub fn do_truncate(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [length, killwords, end, leeway] =
        args.bind("do_truncate", ["length", "killwords", "end", "leeway"])?;
    let length = opt(length, Value::Int(255));
    if matches!(length, Value::Float(_)) || matches!(leeway, Some(Value::Float(_))) {
        if let Some(whole) = truncate_float_bounds(&value, &length, leeway.as_ref(), end.as_ref())? {
            return Ok(whole);
        }
    }
    // Python compares the ints themselves: one past 64 bits stands as the far end of its sign
    // (no string is that long; a negative one fails the same check).
    let length_v = length;
    let length = super::arg_index(&length_v)?;
    // (The default end, "...", is used as a str without making a value of it.)
    let leeway_v = leeway;
    let leeway = match &leeway_v {
        None | Some(Value::None) => 5,
        // Checked above, where the string proved too long: it is cut.
        Some(Value::Float(_)) => 0,
        Some(v) => super::arg_index(v)?,
    };
    let end_len = match &end {
        None => 3,
        Some(e) => py_len(e)? as i64,
    };
    // The messages show the argument as Python's f-string does (`got True`).
    if length < end_len {
        return Err(Error::new(
            ErrorKind::TemplateRuntimeError,
            format!("expected length >= {}, got {}", end_len, length_v.to_str()),
        ));
    }
    if leeway < 0 {
        let shown = leeway_v.map_or_else(|| leeway.to_string(), |v| v.to_str().to_string());
        return Err(Error::new(
            ErrorKind::TemplateRuntimeError,
            format!("expected leeway >= 0, got {}", shown),
        ));
    }
    let len = py_len(&value)? as i64;
    if len <= length.saturating_add(leeway) {
        return Ok(value);
    }
    // Tested only for a string that is cut.
    let killwords = opt(killwords, Value::Bool(false)).is_true()?;
    let (s, m): (&str, bool) = match &value {
        Value::Str(s) => (s, false),
        Value::Markup(s) => (s, true),
        other => return Err(type_error(format!("'{}' object is not subscriptable", other.type_name()))),
    };
    let keep = (length - end_len) as usize;
    let cut = s.get(..pystr::byte_at(s, keep)).unwrap_or(s);
    let head = if killwords {
        cut
    } else {
        match cut.rfind(' ') {
            Some(p) => &cut[..p],
            None => cut,
        }
    };
    // str + Markup is Markup (the str part escaped); Markup + str escapes the str.
    let end_markup = matches!(end, Some(Value::Markup(_)));
    let head = if end_markup && !m { std::borrow::Cow::Owned(markup::escape(head)) } else { head.into() };
    let end_s = match &end {
        None => std::borrow::Cow::Borrowed("..."),
        // Python's `str + Undefined` raises; Markup's too, but for a ChainableUndefined,
        // which has an `__html__` (empty).
        Some(Value::Undefined(u)) if m && u.kind == crate::value::UndefinedKind::Chainable => {
            std::borrow::Cow::Borrowed("")
        }
        Some(Value::Undefined(u)) => return Err(u.error()),
        // `str + end` / `Markup + end` take only strings (and objects with `__html__`).
        Some(e) if !matches!(e, Value::Str(_) | Value::Markup(_)) => {
            return Err(if m {
                type_error(format!("unsupported operand type(s) for +: 'Markup' and '{}'", e.type_name()))
            } else {
                type_error(format!("can only concatenate str (not \"{}\") to str", e.type_name()))
            })
        }
        Some(e) if m => std::borrow::Cow::Owned(escape_str(e)?),
        Some(e) => py_str_ref(e)?,
    };
    let mut out = String::with_capacity(head.len() + end_s.len());
    out.push_str(&head);
    out.push_str(&end_s);
    Ok(str_like(out, m || end_markup))
}

/// `truncate` with a float length or leeway: Python compares them, so a string short enough
/// comes back whole (`Some`); one to cut fails at the slice if the length is a float (the
/// slice wants ints), else is cut as usual (`None`). The bounds are checked as negated
/// comparisons on purpose: Jinja2's `assert length >= len(end)` fails for a NaN.
#[allow(clippy::neg_cmp_op_on_partial_ord)]
fn truncate_float_bounds(
    value: &Value,
    length_v: &Value,
    leeway: Option<&Value>,
    end: Option<&Value>,
) -> Result<Option<Value>> {
    let num = |v: &Value| -> Result<f64> {
        match v {
            Value::Float(f) => Ok(*f),
            _ => Ok(arg_int(v)? as f64),
        }
    };
    let length = num(length_v)?;
    let leeway = match leeway {
        None | Some(Value::None) => 5.0,
        Some(v) => num(v)?,
    };
    let end_len = match end {
        None => 3,
        Some(e) => py_len(e)?,
    };
    let fail = |msg: String| Err(Error::new(ErrorKind::TemplateRuntimeError, msg));
    if !(length >= end_len as f64) {
        return fail(format!("expected length >= {}, got {}", end_len, Value::Float(length).repr()));
    }
    if !(leeway >= 0.0) {
        return fail(format!("expected leeway >= 0, got {}", Value::Float(leeway).repr()));
    }
    if py_len(value)? as f64 <= length + leeway {
        return Ok(Some(value.clone()));
    }
    if matches!(length_v, Value::Float(_)) {
        return Err(type_error("slice indices must be integers or None or have an __index__ method"));
    }
    Ok(None)
}

/// `indent(s, width=4, first=False, blank=False)`: indent every line but the first (unless
/// `first`) and blank lines (unless `blank`); `width` may be a string.
///
/// ```jinja
/// {{ 'a\nb'|indent(2) }}  -> "a\n  b"
/// ```
pub fn do_indent(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [width, first, blank] = args.bind("do_indent", ["width", "first", "blank"])?;
    let width = opt(width, Value::Int(4));
    let first = opt(first, Value::Bool(false)).is_true()?;
    let blank = opt(blank, Value::Bool(false)).is_true()?;
    let indention = match &width {
        Value::Str(s) | Value::Markup(s) => s.to_string(),
        // `" " * width`: an undefined width's `__rmul__` raises.
        Value::Undefined(u) => return Err(u.error()),
        Value::Int(_) | Value::Bool(_) => {
            let n = arg_int(&width)?.max(0) as usize;
            if n > MAX_SIZE {
                return Err(super::too_large("indent"));
            }
            " ".repeat(n)
        }
        other => {
            return Err(type_error(format!(
                "can't multiply sequence by non-int of type '{}'",
                other.type_name()
            )))
        }
    };
    let (s, m) = match &value {
        Value::Str(s) => (s.to_string(), false),
        Value::Markup(s) => (s.to_string(), true),
        Value::Undefined(u) => return Err(u.error()),
        other => {
            return Err(type_error(format!(
                "unsupported operand type(s) for +=: '{}' and 'str'",
                other.type_name()
            )))
        }
    };
    let s = s + "\n";
    let lines = pystr::splitlines(&s, false);
    if lines.len().saturating_mul(indention.len() + 1).saturating_add(s.len()) > MAX_SIZE {
        return Err(super::too_large("indent"));
    }
    let mut rv = if blank {
        lines.join(&format!("\n{}", indention))
    } else {
        let mut it = lines.into_iter();
        let mut rv = it.next().unwrap_or_default();
        let rest: Vec<String> =
            it.map(|line| if line.is_empty() { line } else { format!("{}{}", indention, line) }).collect();
        if !rest.is_empty() {
            rv.push('\n');
            rv.push_str(&rest.join("\n"));
        }
        rv
    };
    if first {
        rv = format!("{}{}", indention, rv);
    }
    if rv.len() > MAX_SIZE {
        return Err(super::too_large("indent"));
    }
    Ok(str_like(rv, m))
}

/// `replace(s, old, new, count=None)`: replace occurrences of `old` with `new` (the first
/// `count` only, if given). Markup-aware under autoescaping.
///
/// ```jinja
/// {{ 'Hello World'|replace('Hello', 'Goodbye') }}  -> Goodbye World
/// ```
pub fn do_replace(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [old, new, count] = args.bind("do_replace", ["old", "new", "count"])?;
    let (Some(old), Some(new)) = (old, new) else {
        return Err(type_error("do_replace() missing required positional arguments: 'old' and 'new'"));
    };
    let count = match count {
        None | Some(Value::None) => -1,
        Some(c) => arg_int(&c)?,
    };
    if !state.autoescape() {
        let (o, n) = (py_str_ref(&old)?, py_str_ref(&new)?);
        if let Value::Str(s) = &value {
            if count == 0 || (!o.is_empty() && !s.contains(&*o)) {
                // Nothing replaced: the same str.
                return Ok(value);
            }
            return Ok(Value::from(checked_replace(s, &o, &n, count)?));
        }
        return Ok(Value::from(checked_replace(&py_str(&value)?, &o, &n, count)?));
    }
    let s = if has_html(&old) || (has_html(&new) && !has_html(&value)) {
        escape_value(&value)?
    } else {
        soft_str(&value)?
    };
    let old_s = py_str(&soft_str(&old)?)?;
    match &s {
        Value::Markup(body) => {
            let new_s = escape_str(&new)?;
            Ok(Value::markup_of(checked_replace(body, &old_s, &new_s, count)?))
        }
        other => {
            let body = other.as_str().unwrap_or_default();
            Ok(Value::from(checked_replace(body, &old_s, &py_str(&new)?, count)?))
        }
    }
}

fn checked_replace(s: &str, old: &str, new: &str, count: i64) -> Result<String> {
    // At most one match per byte (and one more for an empty `old`): when even that many
    // replacements stay within the limit, the matches need not be counted first.
    let bound = s.len().saturating_add(1).saturating_mul(new.len()).saturating_add(s.len());
    if bound <= MAX_SIZE {
        return Ok(pystr::replace(s, old, new, count));
    }
    let n = if old.is_empty() { s.chars().count() + 1 } else { pystr::count_matches(s, old) };
    let n = if count >= 0 { n.min(count as usize) } else { n };
    if s.len().saturating_add(n.saturating_mul(new.len())) > MAX_SIZE {
        return Err(super::too_large("replace"));
    }
    Ok(pystr::replace(s, old, new, count))
}

/// `escape(value)` / `e`: HTML-escape `& < > ' "` and mark the result safe; Markup is kept.
///
/// ```jinja
/// {{ '<b>'|e }}  -> &lt;b&gt;
/// ```
pub fn do_escape(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("escape", [])?;
    escape_value(&value)
}

/// `forceescape(value)`: escape even if the value is already Markup.
///
/// ```jinja
/// {{ '<b>'|safe|forceescape }}  -> &lt;b&gt;
/// ```
pub fn do_forceescape(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_forceescape", [])?;
    Ok(Value::markup(markup::escape(&py_str(&value)?)))
}

/// `safe(value)`: mark the value as safe markup (not escaped under autoescaping).
///
/// ```jinja
/// {{ '<b>'|safe }}  -> <b>
/// ```
pub fn do_safe(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_mark_safe", [])?;
    match value {
        Value::Markup(_) => Ok(value),
        other => Ok(Value::markup(py_str(&other)?)),
    }
}

/// `string(value)`: convert to a string, keeping Markup as Markup.
///
/// ```jinja
/// {{ 42|string }}  -> 42
/// ```
pub fn do_string(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("soft_str", [])?;
    soft_str(&value)
}

/// `wordwrap(s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True)`:
/// wrap text to `width` (Python's `textwrap.wrap`), each existing line separately.
///
/// ```jinja
/// {{ 'aaa bbb ccc'|wordwrap(7) }}  -> "aaa bbb\nccc"
/// ```
pub fn do_wordwrap(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [width, break_long, wrapstring, break_on_hyphens] =
        args.bind("do_wordwrap", ["width", "break_long_words", "wrapstring", "break_on_hyphens"])?;
    // `s.splitlines()` comes first; the width is only used (by textwrap) on a line.
    let s: &str = match &value {
        Value::Str(s) | Value::Markup(s) => s,
        Value::Undefined(u) => return Err(u.error()),
        other => {
            return Err(Error::new(
                ErrorKind::AttributeError,
                format!("'{}' object has no attribute 'splitlines'", other.type_name()),
            ))
        }
    };
    let width_v = opt(width, Value::Int(79));
    let float_width = match width_v {
        Value::Float(w) if !s.is_empty() => Some(w),
        _ => None,
    };
    // textwrap only compares the width: an int past 64 bits is as good as the largest.
    let width = if s.is_empty() || float_width.is_some() { 79 } else { super::arg_index(&width_v)? };
    let break_long = opt(break_long, Value::Bool(true)).is_true()?;
    let break_on_hyphens = opt(break_on_hyphens, Value::Bool(true)).is_true()?;
    let width = match float_width {
        Some(w) => wrap_float_width(s, w, break_long, break_on_hyphens)?,
        None => width,
    };
    // (The default "\n" is no value of its own: nothing to allocate.)
    let wrapstring = match wrapstring {
        None | Some(Value::None) => None,
        Some(w @ (Value::Str(_) | Value::Markup(_))) => Some(w),
        Some(Value::Undefined(u)) => return Err(u.error()),
        Some(other) => {
            return Err(Error::new(
                ErrorKind::AttributeError,
                format!("'{}' object has no attribute 'join'", other.type_name()),
            ))
        }
    };
    let escape_items = matches!(wrapstring, Some(Value::Markup(_)));
    let sep = match &wrapstring {
        Some(w) => py_str_ref(w)?,
        None => std::borrow::Cow::Borrowed("\n"),
    };
    // Jinja2 joins each paragraph's wrapped lines (each escaped when the wrapstring is
    // Markup) with the wrapstring, and the paragraphs with it again: written straight into
    // one string here, a line piece by piece (escaping is per character, so escaping the
    // pieces is escaping the line).
    let mut out = crate::value::scratch(s.len() + s.len() / (width.max(1) as usize) * sep.len() + 16);
    // Most texts are one line of ASCII words and single spaces: one scan tells, and the line
    // goes straight to `tw_lines_runs` (what `for_each_line` and `tw_runs_only` would find).
    // (Below ' ' or not ASCII is one unsigned comparison; a scan per case of the dash test,
    // each one the compiler vectorizes.)
    let plain = if break_on_hyphens {
        no_byte(s.as_bytes(), |x| x.wrapping_sub(b' ') >= 0x60 || x == b'-')
    } else {
        no_byte(s.as_bytes(), |x| x.wrapping_sub(b' ') >= 0x60)
    };
    let mut chars: Vec<char> = Vec::new();
    let mut first_para = true;
    // A paragraph (`runs`: it is known to be one `tw_runs_only` accepts).
    let mut para = |line: &str, runs: bool| -> Result<()> {
        if !first_para {
            out.push_str(&sep);
        }
        first_para = false;
        let mut first_line = true;
        let put = |out: &mut String, piece: &str| {
            if escape_items {
                markup::escape_into(out, piece)
            } else {
                out.push_str(piece)
            }
        };
        let emit = |a: usize, b: usize| {
            if !first_line {
                out.push_str(&sep);
            }
            first_line = false;
            put(&mut out, line.get(a..b).unwrap_or(""));
        };
        if runs || tw_runs_only(line, break_on_hyphens) {
            tw_lines_runs(line.as_bytes(), width, break_long, emit)
        } else if line.is_ascii() {
            // ASCII: a byte per character, and the chunks are slices of the line.
            tw_lines(line.as_bytes(), width, break_long, break_on_hyphens, emit)
        } else {
            chars.clear();
            chars.extend(line.chars());
            let mut buf = String::new();
            tw_lines(&chars, width, break_long, break_on_hyphens, |a, b| {
                if !first_line {
                    out.push_str(&sep);
                }
                first_line = false;
                buf.clear();
                buf.extend(chars.get(a..b).unwrap_or(&[]).iter());
                put(&mut out, &buf);
            })
        }
    };
    if plain {
        if !s.is_empty() {
            para(s, true)?;
        }
    } else {
        for_each_line(s, |line| para(line, false))?;
    }
    Ok(str_like(out, escape_items))
}

/// textwrap given a float width: it compares lengths with it (as with its floor), but a word
/// to break is sliced at `width - len`, which a float cannot do (Python's TypeError); below
/// 1 it breaks a word at 1 character.
fn wrap_float_width(s: &str, w: f64, break_long: bool, hyphens: bool) -> Result<i64> {
    if w.is_nan() || w <= 0.0 {
        return Err(value_error(format!("invalid width {} (must be > 0)", Value::Float(w).repr())));
    }
    if w < 1.0 {
        return Ok(1);
    }
    const NO_WRAP: i64 = i64::MAX / 4;
    if w >= NO_WRAP as f64 {
        return Ok(NO_WRAP);
    }
    let n = w.floor() as i64;
    if break_long {
        let mut long = false;
        let mut chars: Vec<char> = Vec::new();
        for_each_line(s, |line| {
            chars.clear();
            chars.extend(line.chars());
            let mut i = 0;
            while i < chars.len() && !long {
                let end = tw_chunk_end(&chars, i, hyphens).max(i + 1);
                long = (end - i) as i64 > n;
                i = end;
            }
            Ok(())
        })?;
        if long {
            return Err(type_error("slice indices must be integers or None or have an __index__ method"));
        }
    }
    Ok(n)
}

/// Call `f` with each line of `s` as Python's `str.splitlines()` gives them.
fn for_each_line(s: &str, mut f: impl FnMut(&str) -> Result<()>) -> Result<()> {
    if s.is_ascii() {
        // The ASCII line breaks are bytes of their own, all below ' ': text without such bytes
        // (a test the compiler vectorizes) is one line.
        let b = s.as_bytes();
        if no_byte(b, |x| x < b' ') {
            return if s.is_empty() { Ok(()) } else { f(s) };
        }
        let (mut start, mut i) = (0, 0);
        while let Some(&c) = b.get(i) {
            i += 1;
            if matches!(c, b'\n' | b'\r' | b'\x0b' | b'\x0c' | b'\x1c' | b'\x1d' | b'\x1e') {
                f(s.get(start..i - 1).unwrap_or(""))?;
                if c == b'\r' && b.get(i) == Some(&b'\n') {
                    i += 1;
                }
                start = i;
            }
        }
        if start < s.len() {
            f(s.get(start..).unwrap_or(""))?;
        }
        return Ok(());
    }
    let mut start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if pystr::is_line_break(c) {
            let mut end = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(_, '\n')) = iter.peek() {
                    iter.next();
                    end += 1;
                }
            }
            f(s.get(start..i).unwrap_or(""))?;
            start = end;
        }
    }
    if start < s.len() {
        f(s.get(start..).unwrap_or(""))?;
    }
    Ok(())
}

/// A character of the text textwrap works on: a byte of ASCII text, or a char.
trait TwUnit: Copy {
    fn ch(self) -> char;
}

impl TwUnit for u8 {
    #[inline(always)]
    fn ch(self) -> char {
        char::from(self)
    }
}

impl TwUnit for char {
    #[inline(always)]
    fn ch(self) -> char {
        self
    }
}

#[inline]
fn tw_space(c: char) -> bool {
    // '\t', '\n', '\x0b', '\x0c', '\r' and ' '.
    matches!(c, '\t'..='\r' | ' ')
}

fn tw_letter(c: char) -> bool {
    pystr::is_word_char(c) && !crate::value::pyunicode::is_decimal(c)
}

fn tw_word_punct(c: char) -> bool {
    pystr::is_word_char(c) || matches!(c, '!' | '"' | '\'' | '&' | '.' | ',' | '?')
}

/// textwrap's `wordsep_re` / `wordsep_simple_re`: where the chunk of `text` that starts at
/// `i` (< its length) ends.
#[inline]
fn tw_chunk_end<T: TwUnit>(text: &[T], i: usize, hyphens: bool) -> usize {
    // Most chunks are a run of spaces or a word without a dash, which both patterns end at the
    // next change between space and non-space; a dash goes to the full rules.
    if let Some((first, rest)) = text.get(i..).and_then(<[T]>::split_first) {
        let c = first.ch();
        if tw_space(c) {
            return i + 1 + rest.iter().position(|c| !tw_space(c.ch())).unwrap_or(rest.len());
        }
        if c != '-' {
            match rest.iter().position(|c| {
                let c = c.ch();
                c == '-' || tw_space(c)
            }) {
                None => return text.len(),
                Some(k) if rest.get(k).is_some_and(|c| c.ch() != '-') => return i + 1 + k,
                Some(_) => {}
            }
        }
    }
    tw_chunk_end_full(text, i, hyphens)
}

/// [`tw_chunk_end`] by the full rules (hyphenated words, em-dashes).
fn tw_chunk_end_full<T: TwUnit>(text: &[T], mut i: usize, hyphens: bool) -> usize {
    let n = text.len();
    let at = |i: usize| text.get(i).map(|c| c.ch());
    let ch = |i: usize| text.get(i).map_or('\0', |c| c.ch());
    if tw_space(ch(i)) {
        while i < n && tw_space(ch(i)) {
            i += 1;
        }
    } else if !hyphens {
        while i < n && !tw_space(ch(i)) {
            i += 1;
        }
    } else {
        // em-dash between words
        let dash_run = |p: usize| -> usize {
            let mut q = p;
            while q < n && ch(q) == '-' {
                q += 1;
            }
            q - p
        };
        let em_follow = |p: usize| -> bool {
            let d = dash_run(p);
            d >= 2 && at(p + d).is_some_and(pystr::is_word_char)
        };
        // (`em_follow` needs a dash here: test that first, it is the cheap part.)
        if i > 0 && ch(i) == '-' && tw_word_punct(ch(i - 1)) && em_follow(i) {
            i += dash_run(i);
        } else {
            let mut j = i + 1;
            loop {
                // A char that is neither a dash nor a space continues the word (none of
                // the tests below can end it there): skip a run of them.
                while j < n {
                    let c = ch(j);
                    if c == '-' || tw_space(c) {
                        break;
                    }
                    j += 1;
                }
                // text[i..j] are non-space chars
                let hyph = at(j) == Some('-')
                    && ((j >= 2 && at(j - 2).is_some_and(tw_letter) && at(j - 1).is_some_and(tw_letter))
                        || (j >= 3
                            && at(j - 3).is_some_and(tw_letter)
                            && at(j - 2) == Some('-')
                            && at(j - 1).is_some_and(tw_letter)))
                    && at(j + 1).is_some_and(tw_letter)
                    && (at(j + 2).is_some_and(tw_letter)
                        || (at(j + 2) == Some('-') && at(j + 3).is_some_and(tw_letter)));
                if hyph {
                    j += 1;
                    break;
                }
                if j >= n || tw_space(ch(j)) {
                    break;
                }
                if ch(j) == '-' && tw_word_punct(ch(j - 1)) && em_follow(j) {
                    break;
                }
                j += 1;
            }
            i = j;
        }
    }
    i
}

/// Python's `textwrap.wrap(text, width, expand_tabs=False, replace_whitespace=False, ...)`
/// over `chars`, the text's characters, handing each line to `emit` as a `start..end` range
/// of `chars` (the chunks of a line are consecutive, so a line is one range), chunk by chunk
/// as they are found: nothing is allocated.
fn tw_lines<T: TwUnit>(
    chars: &[T],
    width: i64,
    break_long: bool,
    hyphens: bool,
    mut emit: impl FnMut(usize, usize),
) -> Result<()> {
    if width <= 0 {
        return Err(value_error(format!("invalid width {} (must be > 0)", width)));
    }
    let width = width as usize;
    let n = chars.len();
    let is_blank =
        |(a, b): (usize, usize)| chars.get(a..b).is_some_and(|c| c.iter().all(|c| py_isspace(c.ch())));
    // The chunk after `pos`, if any.
    let mut pos = 0usize;
    let next_chunk = |pos: &mut usize| -> Option<(usize, usize)> {
        if *pos >= n {
            return None;
        }
        let start = *pos;
        *pos = tw_chunk_end(chars, start, hyphens);
        Some((start, *pos))
    };
    // The chunk at the head of textwrap's (reversed) list: taken but not yet placed.
    let mut head = next_chunk(&mut pos);
    let mut any_line = false;
    while head.is_some() {
        if any_line && head.is_some_and(is_blank) {
            head = next_chunk(&mut pos);
        }
        // The line so far: `count` chunks, the last being `last`, from `start` to `end`.
        let mut count = 0usize;
        let mut start = 0usize;
        let mut end = 0usize;
        let mut last = (0usize, 0usize);
        let mut cur_len = 0usize;
        while let Some(c) = head {
            if cur_len + (c.1 - c.0) <= width {
                cur_len += c.1 - c.0;
                if count == 0 {
                    start = c.0;
                }
                count += 1;
                end = c.1;
                last = c;
                head = next_chunk(&mut pos);
            } else {
                break;
            }
        }
        if let Some((a, b)) = head.filter(|c| c.1 - c.0 > width) {
            let space_left = if width < 1 { 1 } else { width - cur_len };
            if break_long {
                let word = chars.get(a..b).unwrap_or(&[]);
                let mut cut = space_left;
                if hyphens && word.len() > space_left {
                    let head_part = word.get(..space_left.min(word.len())).unwrap_or(&[]);
                    if let Some(h) = head_part.iter().rposition(|c| c.ch() == '-') {
                        if h > 0 && word.get(..h).is_some_and(|w| w.iter().any(|c| c.ch() != '-')) {
                            cut = h + 1;
                        }
                    }
                }
                let cut = cut.min(word.len());
                if count == 0 {
                    start = a;
                }
                count += 1;
                end = a + cut;
                last = (a, a + cut);
                head = Some((a + cut, b));
            } else if count == 0 {
                start = a;
                count = 1;
                end = b;
                last = (a, b);
                head = next_chunk(&mut pos);
            }
        }
        if count > 0 && is_blank(last) {
            count -= 1;
            end = last.0;
        }
        if count > 0 {
            emit(start, end);
            any_line = true;
        }
    }
    Ok(())
}

/// Whether the chunks of `line` are its runs of spaces and of other characters and the blank
/// chunks its runs of spaces: ASCII, no dash when breaking on hyphens (the full rules only
/// matter at a dash), and no character Python counts as a space that textwrap does not split
/// at ('\x1c'..'\x1f').
fn tw_runs_only(line: &str, hyphens: bool) -> bool {
    no_byte(line.as_bytes(), |x| x >= 0x80 || (0x1c..=0x1f).contains(&x) || (hyphens && x == b'-'))
}

/// Whether no byte of `b` is one `bad` accepts: a whole-block test the compiler vectorizes
/// (`bad` should be simple comparisons), for scans that mostly find nothing.
#[inline]
pub(crate) fn no_byte(b: &[u8], bad: impl Fn(u8) -> bool) -> bool {
    b.chunks(32).all(|c| !c.iter().fold(false, |any, &x| any | bad(x)))
}

/// [`tw_lines`] over a text [`tw_runs_only`] accepts: each line is found at once from the
/// width (the chunks that fit end at the last run boundary within it) instead of chunk by
/// chunk. Its state (the head chunk, the line's range and last chunk) is `tw_lines`'s.
fn tw_lines_runs(b: &[u8], width: i64, break_long: bool, mut emit: impl FnMut(usize, usize)) -> Result<()> {
    if width <= 0 {
        return Err(value_error(format!("invalid width {} (must be > 0)", width)));
    }
    let width = width as usize;
    let n = b.len();
    let space = |p: usize| b.get(p).is_some_and(|&c| tw_space(char::from(c)));
    // The end of the run `p` is in (a chunk ends there).
    let run_end = |p: usize| match b.get(p..) {
        Some(r) => {
            let s = space(p);
            p + r.iter().position(|&c| tw_space(char::from(c)) != s).unwrap_or(r.len())
        }
        None => p,
    };
    let chunk_at = |p: usize| (p < n).then(|| (p, run_end(p)));
    let mut head = chunk_at(0);
    let mut any_line = false;
    while let Some(mut h) = head {
        if any_line && space(h.0) {
            match chunk_at(h.1) {
                Some(next) => h = next,
                None => break,
            }
        }
        let start = h.0;
        let lim = start.saturating_add(width);
        // The chunks placed are those ending within `lim`: up to the last run boundary there
        // (the head chunk's start counts as one: it may be the rest of a broken word).
        let mut end = if h.1 > lim {
            start
        } else if lim >= n {
            n
        } else {
            let mut e = lim;
            while e > start && space(e - 1) == space(e) {
                e -= 1;
            }
            e
        };
        // The last chunk placed, from the start of its run (or of the line).
        let mut last = (end > start).then(|| {
            let s = space(end - 1);
            let mut a = end - 1;
            while a > start && space(a - 1) == s {
                a -= 1;
            }
            (a, end)
        });
        head = chunk_at(end);
        if let Some((a, hb)) = head.filter(|c| c.1 - c.0 > width) {
            let space_left = width - (end - start);
            if break_long {
                let cut = space_left.min(hb - a);
                last = Some((a, a + cut));
                end = a + cut;
                head = Some((a + cut, hb));
            } else if last.is_none() {
                last = Some((a, hb));
                end = hb;
                head = chunk_at(hb);
            }
        }
        if let Some((a, b)) = last {
            // A blank last chunk is dropped (an empty one, of a word broken at no room, too).
            if a == b || space(a) {
                end = a;
            }
        }
        if end > start {
            emit(start, end);
            any_line = true;
        }
    }
    Ok(())
}

/// The chunks of `text` (`start..end` ranges).
#[cfg(test)]
fn tw_split<T: TwUnit>(text: &[T], hyphens: bool) -> Vec<(usize, usize)> {
    let mut chunks = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let end = tw_chunk_end(text, i, hyphens);
        chunks.push((i, end));
        i = end;
    }
    chunks
}

/// The line breaking of [`tw_lines`] as first written, over a vector of chunks: the
/// reference the streaming one is tested against.
#[cfg(test)]
/// Python's `textwrap.wrap(text, width, expand_tabs=False, replace_whitespace=False, ...)`
/// over `chars`, the text's characters, handing each line to `emit` as its chunks
/// (`start..end` ranges of `chars`; a long word that is broken becomes two ranges), so
/// nothing is allocated per chunk or line.
fn tw_lines_reference<T: TwUnit>(
    chars: &[T],
    width: i64,
    break_long: bool,
    hyphens: bool,
    mut emit: impl FnMut(&[(usize, usize)]),
) -> Result<()> {
    let mut chunks = tw_split(chars, hyphens);
    if width <= 0 {
        return Err(value_error(format!("invalid width {} (must be > 0)", width)));
    }
    let width = width as usize;
    let len = |(a, b): (usize, usize)| b - a;
    let is_blank =
        |(a, b): (usize, usize)| chars.get(a..b).is_some_and(|c| c.iter().all(|c| py_isspace(c.ch())));
    chunks.reverse();
    let mut any_line = false;
    let mut cur: Vec<(usize, usize)> = Vec::new();
    while !chunks.is_empty() {
        cur.clear();
        let mut cur_len = 0usize;
        if any_line && chunks.last().is_some_and(|c| is_blank(*c)) {
            chunks.pop();
        }
        while let Some(&last) = chunks.last() {
            if cur_len + len(last) <= width {
                cur_len += len(last);
                chunks.pop();
                cur.push(last);
            } else {
                break;
            }
        }
        if chunks.last().is_some_and(|c| len(*c) > width) {
            let space_left = if width < 1 { 1 } else { width - cur_len };
            if break_long {
                if let Some(chunk) = chunks.last_mut() {
                    let (a, b) = *chunk;
                    let word = chars.get(a..b).unwrap_or(&[]);
                    let mut end = space_left;
                    if hyphens && word.len() > space_left {
                        let head = word.get(..space_left.min(word.len())).unwrap_or(&[]);
                        if let Some(h) = head.iter().rposition(|c| c.ch() == '-') {
                            if h > 0 && word.get(..h).is_some_and(|w| w.iter().any(|c| c.ch() != '-')) {
                                end = h + 1;
                            }
                        }
                    }
                    let end = end.min(word.len());
                    cur.push((a, a + end));
                    *chunk = (a + end, b);
                }
            } else if cur.is_empty() {
                if let Some(c) = chunks.pop() {
                    cur.push(c);
                }
            }
        }
        if cur.last().is_some_and(|c| is_blank(*c)) {
            cur.pop();
        }
        if !cur.is_empty() {
            emit(&cur);
            any_line = true;
        }
    }
    Ok(())
}

#[cfg(test)]
mod unit {
    /// A pseudo-random text of up to `max - 1` pieces, from the LCG state `x` (advanced).
    fn random_text(x: &mut u64, pieces: &[&str], max: u64) -> String {
        let mut text = String::new();
        for _ in 0..(*x % max) {
            *x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            text.push_str(pieces[(*x >> 33) as usize % pieces.len()]);
        }
        *x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        text
    }

    use super::*;
    use crate::Environment;

    fn call(name: &str, v: Value, args: Vec<Value>, kwargs: Vec<(&str, Value)>) -> String {
        let env = Environment::new();
        let mut st = State::new(&env);
        let args =
            Args { args: args.into(), kwargs: kwargs.into_iter().map(|(k, v)| (k.into(), v)).collect() };
        match env.get_filter(name).cloned() {
            Some(f) => match f(&mut st, v, args) {
                Ok(v) => v.to_str(),
                Err(e) => format!("ERR {}", e),
            },
            None => "no filter".into(),
        }
    }

    #[test]
    fn truncate_like_jinja() {
        let w: Value = "The quick brown fox jumps over the lazy dog".into();
        assert_eq!(call("truncate", w.clone(), vec![9.into()], vec![]), "The...");
        assert_eq!(call("truncate", w.clone(), vec![9.into(), true.into()], vec![]), "The qu...");
        assert_eq!(
            call("truncate", w.clone(), vec![20.into(), false.into(), "!!".into()], vec![]),
            "The quick brown!!"
        );
        assert_eq!(call("truncate", "abcdefghij".into(), vec![5.into()], vec![]), "abcdefghij");
        assert_eq!(
            call("truncate", "abcdefghij".into(), vec![5.into()], vec![("leeway", 0.into())]),
            "ab..."
        );
    }

    /// The streaming line breaking gives the lines the chunk-vector one did, over texts of
    /// words, spaces, hyphens and dashes, at all widths and settings.
    #[test]
    fn tw_lines_match_reference() {
        let pieces = [
            "a",
            "bb",
            "word",
            "long-hyphenated",
            "x--y",
            "--",
            "-",
            " ",
            "  ",
            "\t",
            "abcdefghijkl",
            "e-mail",
            "a-b-c",
        ];
        let mut x: u64 = 7;
        for _ in 0..3000 {
            let text = random_text(&mut x, &pieces, 12);
            let chars: Vec<char> = text.chars().collect();
            for width in 1..14 {
                for (break_long, hyphens) in [(true, true), (true, false), (false, true), (false, false)] {
                    let mut want: Vec<Vec<(usize, usize)>> = Vec::new();
                    tw_lines_reference(&chars, width, break_long, hyphens, |c| want.push(c.to_vec()))
                        .unwrap();
                    let want: Vec<String> = want
                        .iter()
                        .map(|l| l.iter().map(|&(a, b)| chars[a..b].iter().collect::<String>()).collect())
                        .collect();
                    let mut got: Vec<String> = Vec::new();
                    tw_lines(&chars, width, break_long, hyphens, |a, b| {
                        got.push(chars[a..b].iter().collect())
                    })
                    .unwrap();
                    assert_eq!(got, want, "{text:?} width {width} {break_long} {hyphens}");
                }
            }
        }
    }

    /// The line breaking over runs gives the lines of the chunk by chunk one, for the texts it
    /// takes.
    #[test]
    fn tw_lines_runs_match_tw_lines() {
        let pieces =
            ["a", "bb", "word", " ", "  ", "\t", "   ", "abcdefghijkl", "e-mail", "a-b-c", "x\u{b}", "."];
        let mut x: u64 = 11;
        let mut tried = 0;
        for _ in 0..4000 {
            let text = random_text(&mut x, &pieces, 14);
            for width in 1..16 {
                for (break_long, hyphens) in [(true, true), (true, false), (false, true), (false, false)] {
                    if !tw_runs_only(&text, hyphens) {
                        continue;
                    }
                    tried += 1;
                    let b = text.as_bytes();
                    let mut want: Vec<(usize, usize)> = Vec::new();
                    tw_lines(b, width, break_long, hyphens, |a, e| want.push((a, e))).unwrap();
                    let mut got: Vec<(usize, usize)> = Vec::new();
                    tw_lines_runs(b, width, break_long, |a, e| got.push((a, e))).unwrap();
                    assert_eq!(got, want, "{text:?} width {width} {break_long} {hyphens}");
                }
            }
        }
        assert!(tried > 100_000);
        assert!(!tw_runs_only("a-b", true) && tw_runs_only("a-b", false) && !tw_runs_only("a\x1fb", false));
        assert!(!tw_runs_only("é", false));
    }

    /// The chunk ends of the common-chunk fast path are those of the full rules.
    #[test]
    fn tw_chunk_end_matches_full_rules() {
        let texts = [
            "",
            "a",
            " ",
            "ab cd",
            "  ab  ",
            "a-b",
            "ab--cd",
            "-a",
            "a -b",
            "e-mail x",
            "x\ty\u{b}z",
            "a,--b",
            "--",
            "word- next",
            "é-è ü",
            "abc\u{a0}def",
        ];
        for t in texts {
            let chars: Vec<char> = t.chars().collect();
            for hyphens in [true, false] {
                for i in 0..chars.len() {
                    assert_eq!(
                        tw_chunk_end(&chars, i, hyphens),
                        tw_chunk_end_full(&chars, i, hyphens),
                        "{t:?} at {i}"
                    );
                }
                if t.is_ascii() {
                    for i in 0..t.len() {
                        assert_eq!(
                            tw_chunk_end(t.as_bytes(), i, hyphens),
                            tw_chunk_end_full(t.as_bytes(), i, hyphens),
                            "{t:?} at {i}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn wordwrap_like_textwrap() {
        assert_eq!(
            call("wordwrap", "averyveryverylongword and more".into(), vec![8.into()], vec![]),
            "averyver\nyverylon\ngword\nand more"
        );
        assert_eq!(
            call(
                "wordwrap",
                "one-two-three four".into(),
                vec![7.into()],
                vec![("break_on_hyphens", false.into())]
            ),
            "one-two\n-three\nfour"
        );
        assert_eq!(
            call("wordwrap", "one-two-three four".into(), vec![7.into()], vec![]),
            "one-\ntwo-\nthree\nfour"
        );
        let long: Value = "aaaaaaaaaaaaaaaaaaaa bbbbb word another".into();
        assert_eq!(
            call("wordwrap", long.clone(), vec![8.into()], vec![]),
            "aaaaaaaa\naaaaaaaa\naaaa\nbbbbb\nword\nanother"
        );
        assert_eq!(
            call("wordwrap", long, vec![8.into(), false.into()], vec![]),
            "aaaaaaaaaaaaaaaaaaaa\nbbbbb\nword\nanother"
        );
    }

    /// Title case of ASCII text, byte by byte, is that of the split into words.
    #[test]
    fn title_ascii_like_general() {
        let pieces = ["ab", "CD", "x", "-", " ", "((", "{[<", "\t", "1a", "o'neil", "\x1f", "mIxEd", "_z"];
        let mut x: u64 = 5;
        for _ in 0..5000 {
            let t = random_text(&mut x, &pieces, 9);
            assert_eq!(title_ascii(&t), title_general(&t), "{t:?}");
        }
    }

    /// The shortcuts that keep the value (case already right, nothing to replace) give what
    /// the full filters give, str or Markup.
    #[test]
    fn kept_values_like_full_filters() {
        for v in ["abc def", "ABC", "MiXed", "ünï", "", "a-b_1"] {
            assert_eq!(call("lower", v.into(), vec![], vec![]), v.to_lowercase());
            assert_eq!(call("upper", v.into(), vec![], vec![]), v.to_uppercase());
            let m = Value::markup(v);
            assert_eq!(call("lower", m.clone(), vec![], vec![]), v.to_lowercase());
            for name in ["lower", "upper"] {
                let env = Environment::new();
                let mut st = State::new(&env);
                let f = env.get_filter(name).cloned().unwrap();
                assert!(matches!(f(&mut st, m.clone(), Args::default()).unwrap(), Value::Markup(_)));
                assert!(matches!(f(&mut st, v.into(), Args::default()).unwrap(), Value::Str(_)));
            }
            for (old, new, count) in
                [("x", "y", -1), ("a", "b", 0), ("", "-", -1), ("", "-", 0), ("b", "", 1)]
            {
                assert_eq!(
                    call("replace", v.into(), vec![old.into(), new.into(), count.into()], vec![]),
                    if count < 0 { v.replace(old, new) } else { v.replacen(old, new, count as usize) },
                    "{v:?} {old:?} {new:?} {count}"
                );
            }
        }
    }

    #[test]
    fn replace_refuses_a_result_past_the_size_limit() {
        // Past the bound the matches are counted: 20 M matches of six bytes each is too large,
        // the same count with an empty replacement is not.
        let big = Value::from("x".repeat(20_000_000));
        let r = call("replace", big.clone(), vec!["x".into(), "yyyyyy".into()], vec![]);
        assert!(r.starts_with("ERR") && r.contains("replace"), "{}", &r[..r.len().min(80)]);
        assert_eq!(call("replace", big, vec!["x".into(), "".into()], vec![]), "");
    }

    #[test]
    fn indent_title_center() {
        assert_eq!(
            call("indent", "one\ntwo\n\nfour".into(), vec![2.into()], vec![("first", true.into())]),
            "  one\n  two\n\n  four"
        );
        assert_eq!(
            call("indent", "one\ntwo\n\nfour".into(), vec!["> ".into()], vec![]),
            "one\n> two\n\n> four"
        );
        assert_eq!(call("title", "hello wORLD-foo (bar)".into(), vec![], vec![]), "Hello World-Foo (Bar)");
        // The ASCII way's separator set is `is_title_sep` on ASCII, and both ways agree.
        for b in 0u8..128 {
            assert_eq!(super::TITLE_SEPS >> b & 1 != 0, super::is_title_sep(char::from(b)), "{b}");
            let s = format!("aB{}cD\x1ce{}Fg", char::from(b), char::from(b));
            assert_eq!(super::title_ascii(&s), super::title_general(&s), "{s:?}");
        }
        assert_eq!(call("center", "ab".into(), vec![7.into()], vec![]), "   ab  ");
        assert_eq!(call("wordcount", "one two, three_x 4".into(), vec![], vec![]), "4");
        assert_eq!(call("replace", "aaa".into(), vec!["a".into(), "b".into(), 2.into()], vec![]), "bba");
    }
}
