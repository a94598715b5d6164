//! `tojson`: Python's `json.dumps(value, sort_keys=True, indent=...)` byte for byte (separators,
//! `ensure_ascii` escapes, float reprs, `NaN`/`Infinity`, key coercion), then Jinja2's
//! HTML-safe replacement of `< > & '` with `\u003c` and friends.

use std::fmt::Write;

use super::{arg_int, py_sort, type_error};
use crate::error::{Error, ErrorKind, Result};
use crate::value::{repr, Args, Value};
use crate::vm::State;

/// `tojson(value, indent=None)`: serialize to JSON that is safe inside HTML `<script>`.
///
/// ```jinja
/// {{ {'b': 1, 'a': '<x>'}|tojson }}  -> {"a": "\u003cx\u003e", "b": 1}
/// ```
pub fn do_tojson(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [indent] = args.bind("do_tojson", ["indent"])?;
    let indent = match indent {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) | Some(Value::Markup(s)) => Some(s.to_string()),
        // `JSONEncoder.encode` writes a str at once, without looking at the indent.
        Some(_) if matches!(value, Value::Str(_) | Value::Markup(_)) => None,
        // `' ' * indent`: an undefined's `__rmul__` raises (every kind).
        Some(Value::Undefined(u)) => return Err(u.error()),
        Some(v) => Some(
            " ".repeat(
                arg_int(&v)
                    .map_err(|_| {
                        Error::new(
                            ErrorKind::TypeError,
                            format!("can't multiply sequence by non-int of type '{}'", v.type_name()),
                        )
                    })?
                    .clamp(0, 1000) as usize,
            ),
        ),
    };
    let s = dumps(&value, indent.as_deref())?;
    let s =
        s.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026").replace('\'', "\\u0027");
    Ok(Value::markup(s))
}

/// Python's `json.dumps(value, sort_keys=True, indent=indent)`.
pub fn dumps(value: &Value, indent: Option<&str>) -> Result<String> {
    let mut out = String::new();
    encode(&mut out, value, indent, 0)?;
    Ok(out)
}

/// A JSON string literal with `ensure_ascii` escaping.
pub(crate) fn encode_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{:04x}", unit);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn encode_float(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("NaN");
    } else if f.is_infinite() {
        out.push_str(if f > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        repr::write_float(out, f);
    }
}

fn not_serializable(v: &Value) -> Error {
    type_error(format!("Object of type {} is not JSON serializable", v.type_name()))
}

fn newline(out: &mut String, indent: Option<&str>, level: usize) {
    if let Some(ind) = indent {
        out.push('\n');
        for _ in 0..level {
            out.push_str(ind);
        }
    }
}

fn encode(out: &mut String, v: &Value, indent: Option<&str>, level: usize) -> Result<()> {
    if level > 500 {
        return Err(Error::new(ErrorKind::ValueError, "Circular reference detected"));
    }
    let item_sep = if indent.is_some() { "," } else { ", " };
    match v {
        Value::None => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(_) | Value::BigInt(_) => out.push_str(&v.repr()),
        Value::Float(f) => encode_float(out, *f),
        Value::Str(s) | Value::Markup(s) => encode_str(out, s),
        Value::List(_) | Value::Tuple(_) => {
            let items = v.try_iter()?;
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(item_sep);
                }
                newline(out, indent, level + 1);
                encode(out, item, indent, level + 1)?;
            }
            newline(out, indent, level);
            out.push(']');
        }
        Value::Dict(d) => {
            let pairs: Vec<(Value, Value)> = d.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            if pairs.is_empty() {
                out.push_str("{}");
                return Ok(());
            }
            let keys: Vec<Value> = pairs.iter().map(|p| p.0.clone()).collect();
            let items: Vec<Value> = pairs.into_iter().map(|(k, v)| Value::tuple(vec![k, v])).collect();
            let sorted = py_sort(items, keys, false)?;
            out.push('{');
            for (i, pair) in sorted.iter().enumerate() {
                let (Some(k), Some(val)) =
                    (pair.get_item_raw(&Value::Int(0)), pair.get_item_raw(&Value::Int(1)))
                else {
                    continue;
                };
                if i > 0 {
                    out.push_str(item_sep);
                }
                newline(out, indent, level + 1);
                match &k {
                    Value::Str(s) | Value::Markup(s) => encode_str(out, s),
                    Value::Float(f) => {
                        let mut t = String::new();
                        encode_float(&mut t, *f);
                        encode_str(out, &t);
                    }
                    Value::Bool(b) => out.push_str(if *b { "\"true\"" } else { "\"false\"" }),
                    Value::None => out.push_str("\"null\""),
                    Value::Int(_) | Value::BigInt(_) => encode_str(out, &k.repr()),
                    other => {
                        return Err(type_error(format!(
                            "keys must be str, int, float, bool or None, not {}",
                            other.type_name()
                        )))
                    }
                }
                out.push_str(": ");
                encode(out, &val, indent, level + 1)?;
            }
            newline(out, indent, level);
            out.push('}');
        }
        // A namedtuple (groupby's `(grouper, list)`) is a tuple to Python's encoder.
        Value::Object(o) => match o.as_tuple() {
            Some(items) => encode(out, &Value::tuple(items), indent, level)?,
            None => return Err(not_serializable(v)),
        },
        _ => return Err(not_serializable(v)),
    }
    Ok(())
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn dumps_like_python() {
        let mut m = crate::value::Map::default();
        m.insert(Value::from("b"), Value::list(vec![Value::Int(1), Value::Float(2.5), Value::None]));
        m.insert(Value::from("a"), Value::from("é<'\n"));
        let v = Value::dict(m);
        assert_eq!(dumps(&v, None).unwrap_or_default(), "{\"a\": \"\\u00e9<'\\n\", \"b\": [1, 2.5, null]}");
        assert_eq!(
            dumps(&v, Some("  ")).unwrap_or_default(),
            "{\n  \"a\": \"\\u00e9<'\\n\",\n  \"b\": [\n    1,\n    2.5,\n    null\n  ]\n}"
        );
        assert_eq!(dumps(&Value::from("\u{1F600}"), None).unwrap_or_default(), "\"\\ud83d\\ude00\"");
    }
}
