//! Builtin tests (`is defined`, `is odd`...): the registry Jinja2 users expect, by name, with
//! Python's semantics (`True is integer` is false, `sameas` is identity, comparisons raise
//! TypeError on unorderable operands).

use std::cmp::Ordering;
use std::sync::Arc;

use crate::environment::TestFn;
use crate::error::{ErrorKind, Result};
use crate::filters::{check_strict, py_str, type_error};
use crate::value::{ops, Args, UndefinedKind, Value};
use crate::vm::State;

fn one(name: &str, args: &Args) -> Result<Value> {
    let [v] = args.bind_ref(name, ["other"])?;
    v.ok_or_else(|| type_error(format!("{}() missing 1 required positional argument", name)))
}

/// Python's `value % n` for the parity and divisibility tests.
fn py_mod(value: &Value, n: &Value) -> Result<Value> {
    match (value, n) {
        (Value::Str(s), _) => Ok(Value::from(crate::filters::percent_format(s, n)?)),
        (Value::Markup(s), _) => Ok(Value::markup(crate::filters::markup_percent_format(s, n)?)),
        (Value::Int(_) | Value::BigInt(_) | Value::Bool(_), Value::Int(0) | Value::Bool(false)) => {
            Err(crate::error::Error::new(ErrorKind::ZeroDivisionError, "integer modulo by zero"))
        }
        _ => ops::rem(value, n),
    }
}

/// `odd`: whether the number is odd.
///
/// ```jinja
/// {{ 3 is odd }}  -> True
/// ```
fn test_odd(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_odd", [])?;
    ops::eq(&py_mod(&v, &Value::Int(2))?, &Value::Int(1))
}

/// `even`: whether the number is even.
///
/// ```jinja
/// {{ 4 is even }}  -> True
/// ```
fn test_even(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_even", [])?;
    ops::eq(&py_mod(&v, &Value::Int(2))?, &Value::Int(0))
}

/// `divisibleby(num)`: whether the value is divisible by `num`.
///
/// ```jinja
/// {{ 9 is divisibleby 3 }}  -> True
/// ```
fn test_divisibleby(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [num] = args.bind("test_divisibleby", ["num"])?;
    let num =
        num.ok_or_else(|| type_error("test_divisibleby() missing 1 required positional argument: 'num'"))?;
    ops::eq(&py_mod(&v, &num)?, &Value::Int(0))
}

/// `defined`: whether the value is not undefined.
///
/// ```jinja
/// {{ missing is defined }}  -> False
/// ```
fn test_defined(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_defined", [])?;
    Ok(!v.is_undefined())
}

/// `undefined`: whether the value is undefined.
///
/// ```jinja
/// {{ missing is undefined }}  -> True
/// ```
fn test_undefined(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_undefined", [])?;
    Ok(v.is_undefined())
}

fn name_in(v: &Value, check: impl Fn(&str) -> bool) -> Result<bool> {
    match v {
        Value::Str(s) | Value::Markup(s) => Ok(check(s)),
        _ => v.hash_check().map(|()| false),
    }
}

/// `filter`: whether a filter of that name exists.
///
/// ```jinja
/// {{ 'upper' is filter }}  -> True
/// ```
fn test_filter(state: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_filter", [])?;
    let env = state.env();
    name_in(&v, |n| env.get_filter(n).is_some())
}

/// `test`: whether a test of that name exists.
///
/// ```jinja
/// {{ 'odd' is test }}  -> True
/// ```
fn test_test(state: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_test", [])?;
    let env = state.env();
    name_in(&v, |n| env.get_test(n).is_some())
}

/// `none`: whether the value is `none`.
///
/// ```jinja
/// {{ none is none }}  -> True
/// ```
fn test_none(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_none", [])?;
    Ok(v.is_none())
}

/// `boolean`: whether the value is `true` or `false`.
///
/// ```jinja
/// {{ true is boolean }}  -> True
/// ```
fn test_boolean(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_boolean", [])?;
    Ok(matches!(v, Value::Bool(_)))
}

/// `false`: whether the value is `false` itself.
///
/// ```jinja
/// {{ false is false }}  -> True
/// ```
fn test_false(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_false", [])?;
    Ok(matches!(v, Value::Bool(false)))
}

/// `true`: whether the value is `true` itself.
///
/// ```jinja
/// {{ 1 is true }}  -> False
/// ```
fn test_true(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_true", [])?;
    Ok(matches!(v, Value::Bool(true)))
}

/// `integer`: whether the value is an int (not a bool).
///
/// ```jinja
/// {{ 1 is integer }} {{ true is integer }}  -> True False
/// ```
fn test_integer(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_integer", [])?;
    Ok(matches!(v, Value::Int(_) | Value::BigInt(_)))
}

/// `float`: whether the value is a float.
///
/// ```jinja
/// {{ 1.0 is float }}  -> True
/// ```
fn test_float(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_float", [])?;
    Ok(matches!(v, Value::Float(_)))
}

/// `lower`: whether the string is lowercase.
///
/// ```jinja
/// {{ 'abc' is lower }}  -> True
/// ```
fn test_lower(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_lower", [])?;
    Ok(crate::methods::pystr::is_lower(&py_str(&v)?))
}

/// `upper`: whether the string is uppercase.
///
/// ```jinja
/// {{ 'ABC' is upper }}  -> True
/// ```
fn test_upper(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_upper", [])?;
    Ok(crate::methods::pystr::is_upper(&py_str(&v)?))
}

/// `string`: whether the value is a string (Markup included).
///
/// ```jinja
/// {{ 'a' is string }}  -> True
/// ```
fn test_string(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_string", [])?;
    Ok(v.is_string())
}

/// `mapping`: whether the value is a dict.
///
/// ```jinja
/// {{ {} is mapping }}  -> True
/// ```
fn test_mapping(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_mapping", [])?;
    Ok(matches!(v, Value::Dict(_)))
}

/// `number`: whether the value is a number (bools included).
///
/// ```jinja
/// {{ 1.5 is number }}  -> True
/// ```
fn test_number(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_number", [])?;
    Ok(v.is_number() || crate::value::complex::of(&v).is_some())
}

/// `sequence`: whether the value has a length and supports indexing.
///
/// ```jinja
/// {{ [1] is sequence }} {{ 1 is sequence }}  -> True False
/// ```
fn test_sequence(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_sequence", [])?;
    Ok(match &v {
        Value::Str(_) | Value::Markup(_) | Value::List(_) | Value::Tuple(_) | Value::Dict(_) => true,
        Value::Undefined(u) => u.kind != UndefinedKind::Strict,
        Value::Object(o) => {
            o.len().is_some()
                && o.type_name() != "dict_keys"
                && o.type_name() != "dict_items"
                && o.type_name() != "dict_values"
                && o.type_name() != "LoopContext"
        }
        _ => false,
    })
}

/// `iterable`: whether the value can be iterated.
///
/// ```jinja
/// {{ 'abc' is iterable }}  -> True
/// ```
fn test_iterable(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_iterable", [])?;
    if let Value::Undefined(u) = &v {
        if u.kind == UndefinedKind::Strict {
            return Err(u.error());
        }
    }
    Ok(v.is_iterable())
}

/// `callable`: whether the value can be called.
///
/// ```jinja
/// {{ range is callable }}  -> True
/// ```
fn test_callable(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("callable", [])?;
    Ok(match &v {
        Value::Undefined(_) => true,
        _ => v.is_callable(),
    })
}

/// `sameas(other)`: identity (`value is other`).
///
/// ```jinja
/// {{ none is sameas none }}  -> True
/// ```
fn test_sameas(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let other = one("test_sameas", &args)?;
    Ok(match (&v, &other) {
        (Value::None, Value::None) => true,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        // Equal scalars: template literals are deduplicated constants, so `1000 is sameas 1000`.
        (Value::Int(a), Value::Int(b)) => a == b,
        (Value::BigInt(a), Value::BigInt(b)) => a == b,
        (Value::Float(a), Value::Float(b)) => a.to_bits() == b.to_bits(),
        // Strings by identity, as in Python: a template's equal literals are one object (one
        // entry of its string table; CPython merges a module's constants) and a variable is
        // itself, but a context string or one a filter built is not a literal. CPython caches
        // the empty string and each one-character Latin-1 string, which slicing and indexing
        // return (a JSON-decoded one is not; that is not told apart here).
        (Value::Str(a), Value::Str(b)) => {
            Arc::ptr_eq(a, b) || (a == b && a.chars().nth(1).is_none() && a.chars().all(|c| (c as u32) < 256))
        }
        (Value::Markup(a), Value::Markup(b)) => Arc::ptr_eq(a, b),
        (Value::List(a), Value::List(b)) => Arc::ptr_eq(a, b),
        (Value::Dict(a), Value::Dict(b)) => Arc::ptr_eq(a, b),
        (Value::Tuple(a), Value::Tuple(b)) => Arc::ptr_eq(a, b) || (a.is_empty() && b.is_empty()),
        // Complex numbers as floats: equal ones are mostly constants Jinja2 folded into one.
        (Value::Object(a), Value::Object(b)) => {
            Arc::ptr_eq(a, b)
                || match (crate::value::complex::of(&v), crate::value::complex::of(&other)) {
                    (Some(x), Some(y)) => {
                        x.re.to_bits() == y.re.to_bits() && x.im.to_bits() == y.im.to_bits()
                    }
                    _ => false,
                }
        }
        (Value::Undefined(a), Value::Undefined(b)) => Arc::ptr_eq(a, b),
        _ => false,
    })
}

/// `escaped`: whether the value is Markup (has `__html__`).
///
/// ```jinja
/// {{ 'x'|e is escaped }}  -> True
/// ```
fn test_escaped(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [] = args.bind("test_escaped", [])?;
    Ok(crate::filters::has_html(&v))
}

/// `in(seq)`: whether the value is contained in `seq`.
///
/// ```jinja
/// {{ 1 is in [1, 2] }}  -> True
/// ```
fn test_in(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let [seq] = args.bind("test_in", ["seq"])?;
    let seq = seq.ok_or_else(|| type_error("test_in() missing 1 required positional argument: 'seq'"))?;
    check_strict(&v)?;
    if let Value::Dict(_) = &seq {
        v.hash_check()?;
    }
    ops::contains(&seq, &v)
}

fn compare(v: &Value, other: &Value, op: &str) -> Result<bool> {
    let ord = ops::cmp(v, other, op);
    let ord = match ord {
        Ok(o) => Some(o),
        Err(e) if e.kind() == ErrorKind::ValueError => None,
        Err(e) => return Err(e),
    };
    Ok(match (op, ord) {
        (_, None) => false,
        ("<", Some(o)) => o == Ordering::Less,
        ("<=", Some(o)) => o != Ordering::Greater,
        (">", Some(o)) => o == Ordering::Greater,
        (_, Some(o)) => o != Ordering::Less,
    })
}

macro_rules! cmp_test {
    ($fname:ident, $op:expr, $doc:expr) => {
        #[doc = $doc]
        fn $fname(_: &mut State, v: Value, args: Args) -> Result<bool> {
            let other = one($op, &args)?;
            compare(&v, &other, $op)
        }
    };
}

cmp_test!(
    test_lt,
    "<",
    "`lt` / `lessthan` / `<`: `value < other`.\n\n```jinja\n{{ 1 is lt 2 }}  -> True\n```"
);
cmp_test!(test_le, "<=", "`le` / `<=`: `value <= other`.\n\n```jinja\n{{ 2 is le 2 }}  -> True\n```");
cmp_test!(
    test_gt,
    ">",
    "`gt` / `greaterthan` / `>`: `value > other`.\n\n```jinja\n{{ 3 is gt 2 }}  -> True\n```"
);
cmp_test!(test_ge, ">=", "`ge` / `>=`: `value >= other`.\n\n```jinja\n{{ 3 is ge 4 }}  -> False\n```");

/// `eq` / `equalto` / `==`: `value == other`.
///
/// ```jinja
/// {{ 1 is eq 1 }}  -> True
/// ```
fn test_eq(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let other = one("eq", &args)?;
    ops::eq(&v, &other)
}

/// `ne` / `!=`: `value != other`.
///
/// ```jinja
/// {{ 1 is ne 2 }}  -> True
/// ```
fn test_ne(_: &mut State, v: Value, args: Args) -> Result<bool> {
    let other = one("ne", &args)?;
    Ok(!ops::eq(&v, &other)?)
}

fn t(func: fn(&mut State, Value, Args) -> Result<bool>) -> TestFn {
    Arc::new(func)
}

/// Every builtin test with its name.
pub fn builtins() -> Vec<(&'static str, TestFn)> {
    vec![
        ("odd", t(test_odd)),
        ("even", t(test_even)),
        ("divisibleby", t(test_divisibleby)),
        ("defined", t(test_defined)),
        ("undefined", t(test_undefined)),
        ("filter", t(test_filter)),
        ("test", t(test_test)),
        ("none", t(test_none)),
        ("boolean", t(test_boolean)),
        ("false", t(test_false)),
        ("true", t(test_true)),
        ("integer", t(test_integer)),
        ("float", t(test_float)),
        ("lower", t(test_lower)),
        ("upper", t(test_upper)),
        ("string", t(test_string)),
        ("mapping", t(test_mapping)),
        ("number", t(test_number)),
        ("sequence", t(test_sequence)),
        ("iterable", t(test_iterable)),
        ("callable", t(test_callable)),
        ("sameas", t(test_sameas)),
        ("escaped", t(test_escaped)),
        ("in", t(test_in)),
        ("==", t(test_eq)),
        ("eq", t(test_eq)),
        ("equalto", t(test_eq)),
        ("!=", t(test_ne)),
        ("ne", t(test_ne)),
        (">", t(test_gt)),
        ("gt", t(test_gt)),
        ("greaterthan", t(test_gt)),
        ("ge", t(test_ge)),
        (">=", t(test_ge)),
        ("<", t(test_lt)),
        ("lt", t(test_lt)),
        ("lessthan", t(test_lt)),
        ("<=", t(test_le)),
        ("le", t(test_le)),
    ]
}

#[cfg(test)]
mod unit {
    use super::*;
    use crate::Environment;

    /// `sorted(jinja2.tests.TESTS)` from Jinja2 3.1.6.
    const JINJA2_TESTS: &[&str] = &[
        "!=",
        "<",
        "<=",
        "==",
        ">",
        ">=",
        "boolean",
        "callable",
        "defined",
        "divisibleby",
        "eq",
        "equalto",
        "escaped",
        "even",
        "false",
        "filter",
        "float",
        "ge",
        "greaterthan",
        "gt",
        "in",
        "integer",
        "iterable",
        "le",
        "lessthan",
        "lower",
        "lt",
        "mapping",
        "ne",
        "none",
        "number",
        "odd",
        "sameas",
        "sequence",
        "string",
        "test",
        "true",
        "undefined",
        "upper",
    ];

    #[test]
    fn every_jinja2_test_is_registered() {
        let env = Environment::new();
        for name in JINJA2_TESTS {
            assert!(env.get_test(name).is_some(), "missing test {name}");
        }
        assert_eq!(builtins().len(), JINJA2_TESTS.len());
    }

    fn run(name: &str, v: Value, args: Vec<Value>) -> String {
        let env = Environment::new();
        let mut st = State::new(&env);
        match env.get_test(name).cloned() {
            Some(f) => match f(&mut st, v, Args::positional(args)) {
                Ok(b) => b.to_string(),
                Err(e) => format!("ERR {}", e),
            },
            None => "missing".into(),
        }
    }

    #[test]
    fn tests_behave_like_python() {
        assert_eq!(run("odd", Value::Int(3), vec![]), "true");
        assert_eq!(run("even", Value::Int(-2), vec![]), "true");
        assert_eq!(run("divisibleby", Value::Float(7.5), vec![Value::Float(2.5)]), "true");
        assert_eq!(run("integer", Value::Bool(true), vec![]), "false");
        assert_eq!(run("number", Value::Bool(true), vec![]), "true");
        assert_eq!(run("sameas", Value::Int(1), vec![Value::Int(1)]), "true");
        assert_eq!(
            run("lt", Value::Int(1), vec![Value::from("a")]),
            "ERR TypeError: '<' not supported between instances of 'int' and 'str'"
        );
        assert_eq!(run("in", Value::from("a"), vec![Value::from("cat")]), "true");
        assert_eq!(run("filter", Value::from("upper"), vec![]), "true");
        assert_eq!(run("lower", Value::from("abc1"), vec![]), "true");
        assert_eq!(run("sequence", Value::Int(1), vec![]), "false");
    }
}
