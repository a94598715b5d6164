//! Python's `str` methods on str and Markup values; on Markup they return Markup and escape
//! their arguments exactly as markupsafe does (`join`, `replace`, `format`, padding fills), and
//! Markup adds `escape`, `striptags` and `unescape`.

use super::format::str_format;
use super::pystr;
use crate::error::{Error, ErrorKind, Result};
use crate::filters::num::py_isspace;
use crate::filters::{arg_int, escape_str, type_error, value_error, MAX_SIZE};
use crate::value::pyunicode as uc;
use crate::value::{Args, Value};
use crate::vm::State;

/// The names of str methods (shared by str and Markup).
pub const STR_METHODS: &[&str] = &[
    "capitalize",
    "casefold",
    "center",
    "count",
    "endswith",
    "find",
    "format",
    "format_map",
    "index",
    "isalnum",
    "isalpha",
    "isascii",
    "isdecimal",
    "isdigit",
    "isidentifier",
    "islower",
    "isnumeric",
    "isprintable",
    "isspace",
    "istitle",
    "isupper",
    "join",
    "ljust",
    "lower",
    "lstrip",
    "partition",
    "removeprefix",
    "removesuffix",
    "replace",
    "rfind",
    "rindex",
    "rjust",
    "rpartition",
    "rsplit",
    "rstrip",
    "split",
    "splitlines",
    "startswith",
    "strip",
    "swapcase",
    "title",
    "upper",
    "zfill",
    "expandtabs",
    "translate",
];

/// Markup's extra methods.
pub const MARKUP_METHODS: &[&str] = &["escape", "striptags", "unescape"];

fn need_str(v: &Value, what: &str) -> Result<String> {
    match v {
        Value::Str(s) | Value::Markup(s) => Ok(s.to_string()),
        other => Err(type_error(format!("{}must be str, not {}", what, other.type_name()))),
    }
}

fn opt_str(v: Option<Value>, what: &str) -> Result<Option<String>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => need_str(&v, what).map(Some),
    }
}

/// A `start`/`end` argument: a slice index, so an int past 64 bits is clamped
/// ([`Value::as_clamped_i64`]).
fn opt_index(v: Option<Value>) -> Result<Option<i64>> {
    match v {
        None | Some(Value::None) => Ok(None),
        Some(v) => crate::filters::arg_index(&v).map(Some),
    }
}

/// An optional int argument that may not be None (`count`, `maxsplit`, `tabsize`).
fn opt_int(v: Option<Value>) -> Result<Option<i64>> {
    v.map(|v| arg_int(&v)).transpose()
}

fn width_arg(v: Option<Value>, func: &str) -> Result<i64> {
    let v = v.ok_or_else(|| type_error(format!("{}() takes at least 1 argument (0 given)", func)))?;
    let w = arg_int(&v)?;
    if w > MAX_SIZE as i64 {
        return Err(crate::filters::too_large(func));
    }
    Ok(w)
}

fn fill_arg(v: Option<Value>, markup: bool) -> Result<String> {
    match v {
        None => Ok(" ".into()),
        Some(f) => {
            // Markup's methods take `escape(fillchar)`, whatever its type.
            let s = if markup { escape_str(&f)? } else { need_str(&f, "")? };
            if s.chars().count() != 1 {
                return Err(type_error("The fill character must be exactly one character long"));
            }
            Ok(s)
        }
    }
}

fn strs(items: Vec<String>, markup: bool) -> Value {
    Value::list(items.into_iter().map(|s| out(s, markup)).collect())
}

fn out(s: String, markup: bool) -> Value {
    if markup {
        Value::markup(s)
    } else {
        Value::from(s)
    }
}

fn prefix_arg(v: Option<Value>, func: &str) -> Result<Vec<String>> {
    match v {
        Some(Value::Str(s)) | Some(Value::Markup(s)) => Ok(vec![s.to_string()]),
        Some(Value::Tuple(t)) => t
            .iter()
            .map(|x| match x {
                Value::Str(s) | Value::Markup(s) => Ok(s.to_string()),
                other => Err(type_error(format!(
                    "tuple for {} must only contain str, not {}",
                    func,
                    other.type_name()
                ))),
            })
            .collect(),
        Some(other) => Err(type_error(format!(
            "{} first arg must be str or a tuple of str, not {}",
            func,
            other.type_name()
        ))),
        None => Err(type_error(format!("{}() takes at least 1 argument (0 given)", func))),
    }
}

/// Call str method `name` on `s` (`markup`: the receiver is Markup).
pub fn call(state: &mut State, s: &str, markup: bool, name: &str, args: Args) -> Result<Value> {
    let _ = state;
    let a = &args;
    // Python's str methods take positional arguments only, but for these.
    if !a.kwargs.is_empty()
        && !matches!(name, "split" | "rsplit" | "splitlines" | "expandtabs" | "format" | "encode")
    {
        return Err(type_error(format!("str.{}() takes no keyword arguments", name)));
    }
    if name.starts_with("is") && !a.args.is_empty() {
        return Err(type_error(format!("str.{}() takes no arguments ({} given)", name, a.args.len())));
    }
    Ok(match name {
        "capitalize" | "casefold" | "lower" | "upper" | "swapcase" | "title" => {
            let [] = a.bind_ref(name, [])?;
            let r = match name {
                "capitalize" => pystr::capitalize(s),
                "lower" => pystr::lower(s),
                "casefold" => uc::casefold(s),
                "upper" => uc::upper(s),
                "swapcase" => pystr::swapcase(s),
                _ => pystr::title(s),
            };
            out(r, markup)
        }
        "center" | "ljust" | "rjust" => {
            let [width, fill] = a.bind_ref(name, ["width", "fillchar"])?;
            let w = width_arg(width, name)?;
            let fill = fill_arg(fill, markup)?;
            let r = match name {
                "center" => pystr::center(s, w, &fill),
                "ljust" => pystr::just(s, w, &fill, true),
                _ => pystr::just(s, w, &fill, false),
            };
            out(r, markup)
        }
        "zfill" => {
            let [width] = a.bind_ref(name, ["width"])?;
            out(pystr::zfill(s, width_arg(width, name)?), markup)
        }
        "count" => {
            let [sub, start, end] = a.bind_ref(name, ["sub", "start", "end"])?;
            let sub =
                need_str(&sub.ok_or_else(|| type_error("count() takes at least 1 argument (0 given)"))?, "")?;
            Value::Int(pystr::count(s, &sub, opt_index(start)?, opt_index(end)?))
        }
        "find" | "rfind" | "index" | "rindex" => {
            let [sub, start, end] = a.bind_ref(name, ["sub", "start", "end"])?;
            let sub = need_str(
                &sub.ok_or_else(|| type_error(format!("{}() takes at least 1 argument (0 given)", name)))?,
                "",
            )?;
            let r = pystr::find(s, &sub, opt_index(start)?, opt_index(end)?, name.starts_with('r'));
            if r < 0 && name.ends_with("index") {
                return Err(value_error("substring not found"));
            }
            Value::Int(r)
        }
        "startswith" | "endswith" => {
            let [prefix, start, end] = a.bind_ref(name, ["prefix", "start", "end"])?;
            let prefixes = prefix_arg(prefix, name)?;
            let start_copy = start.clone();
            let len = s.chars().count();
            let (st, en) = pystr::slice_bounds(len, opt_index(start)?, opt_index(end)?);
            let hay = if st <= en { &s[pystr::byte_at(s, st)..pystr::byte_at(s, en)] } else { "" };
            let raw_start = opt_index(start_copy)?.unwrap_or(0);
            let raw_start = if raw_start < 0 { raw_start + len as i64 } else { raw_start };
            let ok = raw_start <= len as i64
                && prefixes.iter().any(|p| {
                    if st > en {
                        return false;
                    }
                    if name == "startswith" {
                        hay.starts_with(p.as_str())
                    } else {
                        hay.ends_with(p.as_str())
                    }
                });
            Value::Bool(ok)
        }
        "format" => {
            let r = str_format(s, &args.args, &args.kwargs, markup)?;
            out(r, markup)
        }
        "format_map" => {
            let [mapping] = a.bind_ref(name, ["mapping"])?;
            let kwargs: Vec<(crate::value::Str, Value)> = match mapping {
                Some(Value::Dict(d)) => d
                    .lock()
                    .iter()
                    .filter_map(|(k, v)| k.as_str().map(|k| (std::sync::Arc::from(k), v.clone())))
                    .collect(),
                None => return Err(type_error("format_map() takes exactly one argument (0 given)")),
                // Any object is a mapping until a field looks a name up in it.
                Some(other) => {
                    return match str_format(s, &[], &[], markup) {
                        Err(e) if e.kind() == ErrorKind::KeyError => {
                            Err(type_error(format!("'{}' object is not subscriptable", other.type_name())))
                        }
                        r => r.map(|r| out(r, markup)),
                    }
                }
            };
            out(str_format(s, &[], &kwargs, markup)?, markup)
        }
        "isalnum" => Value::Bool(pystr::all_chars(s, uc::is_alnum)),
        "isalpha" => Value::Bool(pystr::all_chars(s, uc::is_alpha)),
        "isascii" => Value::Bool(s.is_ascii()),
        "isdecimal" => Value::Bool(pystr::all_chars(s, uc::is_decimal)),
        "isdigit" => Value::Bool(pystr::all_chars(s, uc::is_digit)),
        "isnumeric" => Value::Bool(pystr::all_chars(s, uc::is_numeric)),
        "isspace" => Value::Bool(pystr::all_chars(s, py_isspace)),
        "islower" => Value::Bool(pystr::is_lower(s)),
        "isupper" => Value::Bool(pystr::is_upper(s)),
        "istitle" => Value::Bool(pystr::is_title(s)),
        "isprintable" => Value::Bool(s.chars().all(uc::is_printable)),
        "isidentifier" => {
            let mut chars = s.chars();
            Value::Bool(chars.next().is_some_and(uc::is_id_start) && chars.all(uc::is_id_continue))
        }
        "join" => {
            let [iterable] = a.bind_ref(name, ["iterable"])?;
            let iterable =
                iterable.ok_or_else(|| type_error("str.join() takes exactly one argument (0 given)"))?;
            let items = crate::filters::seq::py_iter(&iterable)?;
            let mut parts = Vec::with_capacity(items.len());
            let mut total = 0usize;
            for (i, item) in items.iter().enumerate() {
                let p = if markup {
                    escape_str(item)?
                } else {
                    match item {
                        Value::Str(x) | Value::Markup(x) => x.to_string(),
                        other => {
                            return Err(type_error(format!(
                                "sequence item {}: expected str instance, {} found",
                                i,
                                other.type_name()
                            )))
                        }
                    }
                };
                total += p.len() + s.len();
                if total > MAX_SIZE {
                    return Err(crate::filters::too_large("join"));
                }
                parts.push(p);
            }
            out(parts.join(s), markup)
        }
        "strip" | "lstrip" | "rstrip" => {
            let [chars] = a.bind_ref(name, ["chars"])?;
            let chars = opt_str(chars, "")?;
            let r = pystr::strip(s, chars.as_deref(), name != "rstrip", name != "lstrip");
            out(r, markup)
        }
        "removeprefix" | "removesuffix" => {
            let [arg] = a.bind_ref(name, ["prefix"])?;
            let p = need_str(
                &arg.ok_or_else(|| type_error(format!("{}() takes exactly one argument (0 given)", name)))?,
                "",
            )?;
            let r = if name == "removeprefix" {
                s.strip_prefix(p.as_str()).unwrap_or(s)
            } else {
                s.strip_suffix(p.as_str()).unwrap_or(s)
            };
            out(r.to_string(), markup)
        }
        "partition" | "rpartition" => {
            let [sep] = a.bind_ref(name, ["sep"])?;
            let sep = need_str(
                &sep.ok_or_else(|| type_error(format!("{}() takes exactly one argument (0 given)", name)))?,
                "",
            )?;
            if sep.is_empty() {
                return Err(value_error("empty separator"));
            }
            let found = if name == "partition" { s.find(sep.as_str()) } else { s.rfind(sep.as_str()) };
            let (x, y, z) = match found {
                Some(p) => (s[..p].to_string(), sep.clone(), s[p + sep.len()..].to_string()),
                None if name == "partition" => (s.to_string(), String::new(), String::new()),
                None => (String::new(), String::new(), s.to_string()),
            };
            Value::tuple(vec![out(x, markup), out(y, markup), out(z, markup)])
        }
        "replace" => {
            let [old, new, count] = a.bind_ref(name, ["old", "new", "count"])?;
            let old = need_str(
                &old.ok_or_else(|| type_error("replace expected at least 2 arguments, got 0"))?,
                "replace() argument 1 ",
            )?;
            let newv = new.ok_or_else(|| type_error("replace expected at least 2 arguments, got 1"))?;
            // Markup's `replace` takes `escape(new)`, whatever its type.
            let new = if markup { escape_str(&newv)? } else { need_str(&newv, "replace() argument 2 ")? };
            let count = opt_int(count)?.unwrap_or(-1);
            let n = if old.is_empty() { s.chars().count() + 1 } else { s.matches(old.as_str()).count() };
            if s.len().saturating_add(n.saturating_mul(new.len())) > MAX_SIZE {
                return Err(crate::filters::too_large("replace"));
            }
            out(pystr::replace(s, &old, &new, count), markup)
        }
        "split" | "rsplit" => {
            let [sep, maxsplit] = a.bind_ref(name, ["sep", "maxsplit"])?;
            let sep = opt_str(sep, "")?;
            if sep.as_deref() == Some("") {
                return Err(value_error("empty separator"));
            }
            let maxsplit = opt_int(maxsplit)?.unwrap_or(-1);
            let parts = if name == "split" {
                pystr::split(s, sep.as_deref(), maxsplit)
            } else {
                pystr::rsplit(s, sep.as_deref(), maxsplit)
            };
            strs(parts, markup)
        }
        "splitlines" => {
            let [keepends] = a.bind_ref(name, ["keepends"])?;
            // An int argument (`keepends=True` is 1).
            let keep = match keepends {
                Some(k) => arg_int(&k)? != 0,
                None => false,
            };
            strs(pystr::splitlines(s, keep), markup)
        }
        "translate" => {
            let [table] = a.bind_ref(name, ["table"])?;
            let table =
                table.ok_or_else(|| type_error("str.translate() takes exactly one argument (0 given)"))?;
            let mut r = String::with_capacity(s.len());
            for c in s.chars() {
                // `table[ord(c)]`; a LookupError leaves the character as it is.
                let mapped = match &table {
                    Value::Dict(_) | Value::List(_) | Value::Tuple(_) | Value::Str(_) | Value::Markup(_) => {
                        table.get_item_raw(&Value::Int(c as i64))
                    }
                    other => {
                        return Err(type_error(format!(
                            "'{}' object is not subscriptable",
                            other.type_name()
                        )))
                    }
                };
                match mapped {
                    None => r.push(c),
                    Some(Value::None) => {}
                    Some(Value::Str(t)) | Some(Value::Markup(t)) => r.push_str(&t),
                    Some(Value::Int(i)) => match u32::try_from(i).ok().and_then(char::from_u32) {
                        Some(ch) => r.push(ch),
                        None => return Err(value_error("character mapping must be in range(0x110000)")),
                    },
                    Some(Value::Bool(b)) => r.push(if b { '\u{1}' } else { '\0' }),
                    Some(_) => return Err(type_error("character mapping must return integer, None or str")),
                }
            }
            out(r, markup)
        }
        "expandtabs" => {
            let [tabsize] = a.bind_ref(name, ["tabsize"])?;
            let ts = opt_int(tabsize)?.unwrap_or(8);
            let mut r = String::new();
            let mut col = 0i64;
            for c in s.chars() {
                match c {
                    '\t' => {
                        if ts > 0 {
                            let n = ts - col % ts;
                            if r.len() as i64 + n > MAX_SIZE as i64 {
                                return Err(crate::filters::too_large("expandtabs"));
                            }
                            r.push_str(&" ".repeat(n as usize));
                            col += n;
                        }
                    }
                    '\n' | '\r' => {
                        r.push(c);
                        col = 0;
                    }
                    c => {
                        r.push(c);
                        col += 1;
                    }
                }
            }
            out(r, markup)
        }
        "escape" if markup => {
            let [v] = a.bind_ref(name, ["s"])?;
            let v = v.ok_or_else(|| type_error("escape() takes exactly one argument (0 given)"))?;
            Value::markup(escape_str(&v)?)
        }
        "striptags" if markup => {
            let [] = a.bind_ref(name, [])?;
            Value::from(crate::filters::html::striptags(s))
        }
        "unescape" if markup => {
            let [] = a.bind_ref(name, [])?;
            Value::from(crate::filters::html::html_unescape(s))
        }
        _ => {
            return Err(Error::new(
                ErrorKind::AttributeError,
                format!("'{}' object has no attribute '{}'", if markup { "Markup" } else { "str" }, name),
            ))
        }
    })
}
