//! Number filters: `abs`, `int`, `float`, `round`, `filesizeformat`, with Python's parsing of
//! `int(str, base)` and `float(str)` (whitespace, signs, underscores, prefixes, inf/nan).

use num_bigint::BigInt;
use num_traits::{FromPrimitive, Signed, Zero};

use super::{filter_arg_error, opt, type_error, value_error};
use crate::error::{Error, ErrorKind, Result};
use crate::value::{repr, Args, Value};
use crate::vm::State;

/// Python's `str.isspace()` for one character.
pub(crate) fn py_isspace(c: char) -> bool {
    matches!(c, '\t'..='\r' | '\x1c'..='\x1f' | ' ' | '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}'
        | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}')
}

/// The zero of every run of Unicode decimal digits (category Nd, ten in a row), as in the
/// Unicode 14 database of Python 3.11 (`unicodedata.decimal(c) == 0`).
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50,
    0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40,
    0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066,
    0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950,
    0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6,
    0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of a Unicode decimal digit (`unicodedata.decimal`).
fn decimal_value(c: char) -> Option<u32> {
    let c = c as u32;
    let i = DECIMAL_ZEROS.partition_point(|&z| z <= c).checked_sub(1)?;
    let d = c - DECIMAL_ZEROS.get(i)?;
    (d < 10).then_some(d)
}

/// Python's `int()`/`float()` read any Unicode decimal digit as its ASCII digit.
fn ascii_digits(s: &str) -> std::borrow::Cow<'_, str> {
    if s.is_ascii() {
        return std::borrow::Cow::Borrowed(s);
    }
    s.chars()
        .map(|c| match decimal_value(c) {
            Some(d) if !c.is_ascii() => char::from_digit(d, 10).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Digits with Python's underscore rule (single underscores between digits only).
fn strip_underscores(s: &str, allow_leading: bool) -> Option<String> {
    if s.is_empty() || s.ends_with('_') || (!allow_leading && s.starts_with('_')) || s.contains("__") {
        return None;
    }
    Some(s.replace('_', ""))
}

/// Python's `int(s, base)`; `None` on ValueError.
pub(crate) fn parse_int(s: &str, base: u32) -> Option<BigInt> {
    let s = ascii_digits(s);
    let t = s.trim_matches(py_isspace);
    let (neg, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let lower = t.to_ascii_lowercase();
    let prefixed = |p: &str| lower.starts_with(p);
    let (base, digits, had_prefix) = match base {
        0 => {
            if prefixed("0x") {
                (16, &t[2..], true)
            } else if prefixed("0o") {
                (8, &t[2..], true)
            } else if prefixed("0b") {
                (2, &t[2..], true)
            } else {
                let d = strip_underscores(t, false)?;
                if d.len() > 1 && d.starts_with('0') && d.chars().any(|c| c != '0') {
                    return None;
                }
                (10, t, false)
            }
        }
        16 if prefixed("0x") => (16, &t[2..], true),
        8 if prefixed("0o") => (8, &t[2..], true),
        2 if prefixed("0b") => (2, &t[2..], true),
        b => (b, t, false),
    };
    let digits = strip_underscores(digits, had_prefix)?;
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(base)) {
        return None;
    }
    // Python refuses more than 4300 digits in a base that is not a power of two (ValueError:
    // "Exceeds the limit (4300 digits) for integer string conversion").
    if digits.len() > 4300 && !base.is_power_of_two() {
        return None;
    }
    let n = BigInt::parse_bytes(digits.as_bytes(), base)?;
    Some(if neg { -n } else { n })
}

/// Python's `float(s)`; `None` on ValueError.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    let s = ascii_digits(s);
    let t = s.trim_matches(py_isspace);
    let (sign, body) = match t.as_bytes().first() {
        Some(b'-') => (-1.0, &t[1..]),
        Some(b'+') => (1.0, &t[1..]),
        _ => (1.0, t),
    };
    let lower = body.to_ascii_lowercase();
    match lower.as_str() {
        "inf" | "infinity" => return Some(sign * f64::INFINITY),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    // digits [. digits] [e [sign] digits], underscores only between digits.
    let b = lower.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| -> Option<usize> {
        let start = *i;
        while *i < b.len() && (b[*i].is_ascii_digit() || b[*i] == b'_') {
            if b[*i] == b'_'
                && (*i == start
                    || !b[*i - 1].is_ascii_digit()
                    || *i + 1 >= b.len()
                    || !b[*i + 1].is_ascii_digit())
            {
                return None;
            }
            *i += 1;
        }
        Some(*i - start)
    };
    let int_len = digits(&mut i)?;
    let mut frac_len = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac_len = digits(&mut i)?;
    }
    if int_len + frac_len == 0 {
        return None;
    }
    if i < b.len() && b[i] == b'e' {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i)? == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    let clean = lower.replace('_', "");
    clean.parse::<f64>().ok().map(|f| sign * f)
}

/// `abs(value)`: the absolute value.
///
/// ```jinja
/// {{ -4.5|abs }}  -> 4.5
/// ```
pub fn do_abs(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_abs", [])?;
    Ok(match &value {
        Value::Int(i) => match i.checked_abs() {
            Some(a) => Value::Int(a),
            None => Value::from_bigint(BigInt::from(*i).abs()),
        },
        Value::Bool(b) => Value::Int(*b as i64),
        Value::BigInt(b) => Value::from_bigint(b.abs()),
        Value::Float(f) => Value::Float(f.abs()),
        _ => match crate::value::complex::of(&value) {
            Some(c) => return crate::value::complex::abs(c),
            None => return Err(type_error(format!("bad operand type for abs(): '{}'", value.type_name()))),
        },
    })
}

fn float_to_int(f: f64) -> Result<Value> {
    if f.is_nan() {
        return Err(value_error("cannot convert float NaN to integer"));
    }
    if f.is_infinite() {
        return Err(Error::new(ErrorKind::OverflowError, "cannot convert float infinity to integer"));
    }
    Ok(Value::from_bigint(BigInt::from_f64(f.trunc()).unwrap_or_else(BigInt::zero)))
}

/// `int(value, default=0, base=10)`: convert to an integer, `default` when that fails.
///
/// ```jinja
/// {{ '42'|int }} {{ '0x1A'|int(base=16) }} {{ 'x'|int(-1) }}  -> 42 26 -1
/// ```
pub fn do_int(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [default, base] = args.bind("do_int", ["default", "base"])?;
    let default = opt(default, Value::Int(0));
    let base = opt(base, Value::Int(10));
    match &value {
        Value::Undefined(u) => Err(u.error()),
        Value::Str(s) | Value::Markup(s) => {
            let parsed = match &base {
                Value::Int(b) if *b == 0 || (2..=36).contains(b) => parse_int(s, *b as u32),
                Value::Bool(true) => None,
                Value::Bool(false) => parse_int(s, 0),
                _ => None,
            };
            if let Some(n) = parsed {
                return Ok(Value::from_bigint(n));
            }
            match parse_float(s) {
                Some(f) if f.is_finite() => float_to_int(f),
                _ => Ok(default),
            }
        }
        Value::Int(_) | Value::BigInt(_) => Ok(value.clone()),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Float(f) => {
            if f.is_nan() {
                return Ok(default);
            }
            float_to_int(*f)
        }
        _ => Ok(default),
    }
}

/// `float(value, default=0.0)`: convert to a float, `default` when that fails.
///
/// ```jinja
/// {{ '3.5'|float }} {{ 'x'|float(1.5) }}  -> 3.5 1.5
/// ```
pub fn do_float(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [default] = args.bind("do_float", ["default"])?;
    let default = opt(default, Value::Float(0.0));
    match &value {
        Value::Undefined(u) => Err(u.error()),
        Value::Str(s) | Value::Markup(s) => Ok(parse_float(s).map(Value::Float).unwrap_or(default)),
        Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::BigInt(_) => {
            Ok(Value::Float(super::printf::number_to_f64(&value)?))
        }
        _ => Ok(default),
    }
}

/// Python's `round(f, ndigits)` for floats (correctly rounded, half to even).
pub(crate) fn round_float(f: f64, ndigits: i64) -> f64 {
    if !f.is_finite() || f == 0.0 {
        return f;
    }
    if ndigits > 323 {
        return f;
    }
    if ndigits < -308 {
        return 0.0 * f;
    }
    if ndigits >= 0 {
        let s = format!("{:.*}", ndigits as usize, f);
        return s.parse::<f64>().unwrap_or(f);
    }
    let p = 10f64.powi((-ndigits) as i32);
    let y = f / p;
    let z = y.round_ties_even();
    let r = z * p;
    if r.is_finite() {
        r
    } else {
        f
    }
}

/// Python's `round(i, ndigits)` for ints with negative `ndigits` (half to even).
fn round_int(n: &BigInt, ndigits: i64) -> BigInt {
    if ndigits >= 0 {
        return n.clone();
    }
    if ndigits < -4000 {
        return BigInt::zero();
    }
    let p = num_traits::pow(BigInt::from(10), (-ndigits) as usize);
    let (q, r) = num_integer::Integer::div_mod_floor(n, &p);
    let twice = &r * 2;
    let q = if twice > p || (twice == p && num_integer::Integer::is_odd(&q)) { q + 1 } else { q };
    q * p
}

/// `round(value, precision=0, method='common')`: round with Python's `round` ('common',
/// half to even), or always up ('ceil') or down ('floor'). Floats stay floats.
///
/// ```jinja
/// {{ 42.55|round(1, 'floor') }} {{ 2.5|round }}  -> 42.5 2.0
/// ```
pub fn do_round(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [precision, method] = args.bind("do_round", ["precision", "method"])?;
    let precision = opt(precision, Value::Int(0));
    let method = opt(method, Value::from("common"));
    // `method not in {...}` hashes it: a StrictUndefined raises.
    super::check_strict(&method)?;
    let method = match method.as_str() {
        Some(m @ ("common" | "ceil" | "floor")) => m.to_string(),
        _ => return Err(filter_arg_error("method must be common, ceil or floor")),
    };
    if method == "common" {
        if !value.is_number() {
            return Err(type_error(format!("type {} doesn't define __round__ method", value.type_name())));
        }
        // `round(value, None)` is `round(value)`: an int.
        if matches!(precision, Value::None) {
            return match &value {
                Value::Float(f) => float_to_int(round_float(*f, 0)),
                Value::Bool(b) => Ok(Value::Int(*b as i64)),
                _ => Ok(value.clone()),
            };
        }
        // `float.__round__` and `int.__round__` read ndigits clamped to 64 bits.
        let nd = super::arg_index(&precision)?;
        return Ok(match &value {
            Value::Float(f) => Value::Float(round_float(*f, nd)),
            Value::Int(i) => Value::from_bigint(round_int(&BigInt::from(*i), nd)),
            Value::Bool(b) => Value::from_bigint(round_int(&BigInt::from(*b as i64), nd)),
            Value::BigInt(b) => Value::from_bigint(round_int(b, nd)),
            _ => value.clone(),
        });
    }
    // math.ceil / math.floor(value * 10**precision) / 10**precision
    let scale = crate::value::ops::pow(&Value::Int(10), &precision)?;
    let scaled = crate::value::ops::mul(&value, &scale)?;
    let rounded = match &scaled {
        Value::Float(f) => {
            let r = if method == "ceil" { f.ceil() } else { f.floor() };
            float_to_int(r)?
        }
        Value::Int(_) | Value::BigInt(_) | Value::Bool(_) => scaled.clone(),
        other => return Err(type_error(format!("must be real number, not {}", other.type_name()))),
    };
    crate::value::ops::truediv(&rounded, &scale)
}

/// `filesizeformat(value, binary=False)`: a human-readable file size (`13 kB`, `4.1 MB`).
///
/// ```jinja
/// {{ 1000000|filesizeformat }} {{ 1024|filesizeformat(true) }}  -> 1.0 MB 1.0 KiB
/// ```
pub fn do_filesizeformat(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [binary] = args.bind("do_filesizeformat", ["binary"])?;
    let binary = match binary {
        Some(b) => b.is_true()?,
        None => false,
    };
    let bytes = to_float(&value)?;
    let base: u128 = if binary { 1024 } else { 1000 };
    let prefixes: [&str; 8] = if binary {
        ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"]
    } else {
        ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
    };
    if bytes == 1.0 {
        return Ok(Value::from("1 Byte"));
    }
    if bytes < base as f64 {
        let i = float_to_int(bytes)?;
        return Ok(Value::from(format!("{} Bytes", i.to_str())));
    }
    let mut unit: u128 = base;
    let mut prefix = prefixes[0];
    for p in prefixes {
        unit *= base;
        prefix = p;
        // Python compares float and int exactly.
        if bytes < 0.0 || (bytes < 3.0e38 && (bytes.trunc() as u128) < unit) {
            break;
        }
    }
    let r = base as f64 * bytes / unit as f64;
    let body = super::printf::format_float_abs(r, 1, 'f', false);
    let sign = if r.is_sign_negative() && !r.is_nan() { "-" } else { "" };
    Ok(Value::from(format!("{}{} {}", sign, body, prefix)))
}

/// Python's `float(value)` raising as Python does.
pub(crate) fn to_float(value: &Value) -> Result<f64> {
    match value {
        Value::Undefined(u) => Err(u.error()),
        Value::Str(s) | Value::Markup(s) => parse_float(s)
            .ok_or_else(|| value_error(format!("could not convert string to float: {}", repr::str_repr(s)))),
        Value::Int(_) | Value::Bool(_) | Value::Float(_) | Value::BigInt(_) => {
            super::printf::number_to_f64(value)
        }
        other => Err(type_error(format!(
            "float() argument must be a string or a real number, not '{}'",
            other.type_name()
        ))),
    }
}

#[cfg(test)]
mod unit {
    use super::*;
    use crate::Environment;

    fn call(name: &str, v: Value, args: Vec<Value>) -> String {
        let env = Environment::new();
        let mut st = State::new(&env);
        let f = env.get_filter(name).cloned();
        match f {
            Some(f) => match f(&mut st, v, Args::positional(args)) {
                Ok(v) => v.to_str(),
                Err(e) => format!("ERR {}", e),
            },
            None => "no filter".into(),
        }
    }

    #[test]
    fn int_like_python() {
        assert_eq!(call("int", "42".into(), vec![]), "42");
        assert_eq!(call("int", "3.7".into(), vec![]), "3");
        assert_eq!(call("int", (-3.7).into(), vec![]), "-3");
        assert_eq!(call("int", "x".into(), vec![(-1).into()]), "-1");
        assert_eq!(call("int", "0x1A".into(), vec![0.into(), 16.into()]), "26");
        assert_eq!(call("int", "0b11".into(), vec![0.into(), 2.into()]), "3");
        assert_eq!(call("int", "  12 ".into(), vec![]), "12");
        assert_eq!(call("int", "1_000".into(), vec![]), "1000");
        assert_eq!(call("int", "12".into(), vec![0.into(), 99.into()]), "12");
        assert_eq!(call("int", Value::None, vec![]), "0");
    }

    #[test]
    fn float_and_round() {
        assert_eq!(call("float", "1e3".into(), vec![]), "1000.0");
        assert_eq!(call("float", " 2 ".into(), vec![]), "2.0");
        assert_eq!(call("round", 2.5.into(), vec![]), "2.0");
        assert_eq!(call("round", 2.675.into(), vec![2.into()]), "2.67");
        assert_eq!(call("round", 42.55.into(), vec![1.into(), "floor".into()]), "42.5");
        assert_eq!(call("round", 42.51.into(), vec![1.into(), "ceil".into()]), "42.6");
        assert_eq!(call("round", 1234.into(), vec![(-2).into()]), "1200");
        assert_eq!(call("round", 5.into(), vec![]), "5");
        assert_eq!(
            call("round", "x".into(), vec![]),
            "ERR TypeError: type str doesn't define __round__ method"
        );
    }

    #[test]
    fn filesizes() {
        assert_eq!(call("filesizeformat", 1.5.into(), vec![]), "1 Bytes");
        assert_eq!(call("filesizeformat", 1.into(), vec![]), "1 Byte");
        assert_eq!(call("filesizeformat", 1000000.into(), vec![]), "1.0 MB");
        assert_eq!(call("filesizeformat", 1024.into(), vec![true.into()]), "1.0 KiB");
        assert_eq!(call("filesizeformat", 1e30.into(), vec![]), "1000000.0 YB");
    }
}
