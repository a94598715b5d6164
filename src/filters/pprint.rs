//! `pprint`: Python's `pprint.pformat(value)` (width 80, indent 1, sorted dict keys), including
//! the wrapping of long lists, tuples, dicts and strings.

use super::py_lt;
use crate::error::{ErrorKind, Result};
use crate::value::{Args, Value};
use crate::vm::State;

const WIDTH: usize = 80;

/// `pprint(value)`: pretty-print a value as Python's `pprint` does.
///
/// ```jinja
/// {{ {'b': 1, 'a': [1, 2]}|pprint }}  -> {'a': [1, 2], 'b': 1}
/// ```
pub fn do_pprint(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_pprint", [])?;
    check_keys(&value, 0)?;
    Ok(Value::from(pformat(&value)))
}

/// Python's `pprint.pformat(value)`.
pub fn pformat(value: &Value) -> String {
    let mut out = String::new();
    format(&mut out, value, 0, 0, 0);
    out
}

/// pprint's `_safe_key` `<`: the values' own `<`, else (a TypeError) the names of their types
/// as `str(type(x))` shows them (`<class 'NoneType'>` sorts before `<class
/// 'markupsafe.Markup'>`); values of one type that do not compare stay in order (Python
/// compares their ids there). An undefined key's UndefinedError is no TypeError: it escapes.
fn safe_lt(a: &Value, b: &Value) -> Result<bool> {
    match py_lt(a, b) {
        Ok(r) => Ok(r),
        Err(e) if e.kind() == ErrorKind::UndefinedError => Err(e),
        Err(_) => Ok(qualified_type(a) < qualified_type(b)),
    }
}

/// Sort every dict in `v` as pformat will, in the order `_safe_repr` meets them, for the
/// UndefinedError a comparison with an undefined key raises (the formatting after this
/// cannot fail).
fn check_keys(v: &Value, depth: usize) -> Result<()> {
    if depth > 200 {
        return Ok(());
    }
    match v {
        Value::Dict(d) => {
            let items: Vec<(Value, Value)> = d.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            for (k, x) in super::py_sort_pairs(items, false, safe_lt)? {
                check_keys(&k, depth + 1)?;
                check_keys(&x, depth + 1)?;
            }
            Ok(())
        }
        Value::List(l) => {
            let items = l.lock().clone();
            items.iter().try_for_each(|x| check_keys(x, depth + 1))
        }
        Value::Tuple(t) => t.iter().try_for_each(|x| check_keys(x, depth + 1)),
        _ => Ok(()),
    }
}

/// The name in `str(type(value))`, with its module where it is not a builtin.
fn qualified_type(v: &Value) -> String {
    match v {
        Value::None => "NoneType".to_string(),
        _ => {
            let r = v.object_type_repr();
            r.strip_suffix(" object").unwrap_or(&r).to_string()
        }
    }
}

/// A dict's items sorted by key as pprint sorts them (`sorted(items, key=_safe_tuple)`, with
/// CPython's comparison order: see [`super::py_sort_pairs`]).
fn sorted_items(v: &Value) -> Vec<(Value, Value)> {
    let items: Vec<(Value, Value)> = match v {
        Value::Dict(d) => d.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        _ => Vec::new(),
    };
    super::py_sort_pairs(items, false, safe_lt).unwrap_or_default()
}

/// `_safe_repr`: repr with sorted dict keys at every level.
fn safe_repr(v: &Value, depth: usize) -> String {
    if depth > 200 {
        return "...".into();
    }
    match v {
        Value::Dict(_) => {
            let items = sorted_items(v);
            let parts: Vec<String> = items
                .iter()
                .map(|(k, x)| format!("{}: {}", safe_repr(k, depth + 1), safe_repr(x, depth + 1)))
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::List(l) => {
            let items = l.lock().clone();
            let parts: Vec<String> = items.iter().map(|x| safe_repr(x, depth + 1)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Tuple(t) => {
            let parts: Vec<String> = t.iter().map(|x| safe_repr(x, depth + 1)).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        _ => v.repr(),
    }
}

fn format(out: &mut String, v: &Value, indent: usize, allowance: usize, level: usize) {
    let rep = safe_repr(v, 0);
    let max_width = WIDTH as isize - indent as isize - allowance as isize;
    if rep.chars().count() as isize > max_width && level < 200 {
        match v {
            Value::Dict(_) => {
                out.push('{');
                let items = sorted_items(v);
                format_dict_items(out, &items, indent, allowance + 1, level + 1);
                out.push('}');
                return;
            }
            Value::List(l) => {
                out.push('[');
                let items = l.lock().clone();
                format_items(out, &items, indent, allowance + 1, level + 1);
                out.push(']');
                return;
            }
            Value::Tuple(t) => {
                out.push('(');
                let end = if t.len() == 1 { ",)" } else { ")" };
                format_items(out, t, indent, allowance + end.len(), level + 1);
                out.push_str(end);
                return;
            }
            Value::Str(s) => {
                pprint_str(out, s, indent, allowance, level + 1);
                return;
            }
            _ => {}
        }
    }
    out.push_str(&rep);
}

fn format_dict_items(
    out: &mut String,
    items: &[(Value, Value)],
    indent: usize,
    allowance: usize,
    level: usize,
) {
    let indent = indent + 1;
    let delim = format!(",\n{}", " ".repeat(indent));
    let last_index = items.len().saturating_sub(1);
    for (i, (k, v)) in items.iter().enumerate() {
        let last = i == last_index;
        let rep = safe_repr(k, 0);
        out.push_str(&rep);
        out.push_str(": ");
        format(out, v, indent + rep.chars().count() + 2, if last { allowance } else { 1 }, level);
        if !last {
            out.push_str(&delim);
        }
    }
}

fn format_items(out: &mut String, items: &[Value], indent: usize, allowance: usize, level: usize) {
    let indent = indent + 1;
    let delim = format!(",\n{}", " ".repeat(indent));
    for (i, item) in items.iter().enumerate() {
        let last = i + 1 == items.len();
        if i > 0 {
            out.push_str(&delim);
        }
        format(out, item, indent, if last { allowance } else { 1 }, level);
    }
}

/// `re.findall(r'\S*\s*', line)` without the final empty match.
fn space_parts(line: &str) -> Vec<String> {
    let ws = crate::filters::num::py_isspace;
    let mut parts = Vec::new();
    let mut rest = line;
    while !rest.is_empty() {
        let a = rest.find(ws).unwrap_or(rest.len());
        let b = rest[a..].find(|c: char| !ws(c)).map(|p| p + a).unwrap_or(rest.len());
        parts.push(rest[..b].to_string());
        rest = &rest[b..];
    }
    parts
}

fn pprint_str(out: &mut String, s: &str, indent: usize, allowance: usize, level: usize) {
    let repr = |x: &str| Value::from(x).repr();
    if s.is_empty() {
        out.push_str(&repr(s));
        return;
    }
    let lines = crate::methods::pystr::splitlines(s, true);
    let (mut indent, mut allowance) = (indent, allowance);
    if level == 1 {
        indent += 1;
        allowance += 1;
    }
    let max_width = WIDTH as isize - indent as isize;
    let mut max_width1 = max_width;
    let mut chunks: Vec<String> = Vec::new();
    let mut rep = String::new();
    for (i, line) in lines.iter().enumerate() {
        rep = repr(line);
        if i == lines.len() - 1 {
            max_width1 -= allowance as isize;
        }
        if rep.chars().count() as isize <= max_width1 {
            chunks.push(rep.clone());
        } else {
            let parts = space_parts(line);
            let mut max_width2 = max_width;
            let mut current = String::new();
            for (j, part) in parts.iter().enumerate() {
                let candidate = format!("{}{}", current, part);
                if j == parts.len() - 1 && i == lines.len() - 1 {
                    max_width2 -= allowance as isize;
                }
                if repr(&candidate).chars().count() as isize > max_width2 {
                    if !current.is_empty() {
                        chunks.push(repr(&current));
                    }
                    current = part.clone();
                } else {
                    current = candidate;
                }
            }
            if !current.is_empty() {
                chunks.push(repr(&current));
            }
        }
    }
    if chunks.len() == 1 {
        out.push_str(&rep);
        return;
    }
    if level == 1 {
        out.push('(');
    }
    for (i, c) in chunks.iter().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(c);
    }
    if level == 1 {
        out.push(')');
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn short_values_are_one_line_with_sorted_keys() {
        let mut m = crate::value::Map::default();
        m.insert(Value::from("b"), Value::Int(1));
        m.insert(Value::from("a"), Value::list(vec![Value::Int(1), Value::Int(2)]));
        assert_eq!(pformat(&Value::dict(m)), "{'a': [1, 2], 'b': 1}");
    }

    #[test]
    fn long_lists_wrap() {
        let v = Value::list((0..30).map(|i| Value::from(format!("item{}", i))).collect());
        let s = pformat(&v);
        assert!(s.starts_with("['item0',\n 'item1',"), "{s}");
    }
}
