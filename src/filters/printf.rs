//! Python's printf-style `str % args` formatting (`%s %r %d %i %u %x %X %o %e %E %f %F %g %G
//! %c %a %%`, `%(name)s`, flags `-+ #0`, `*` widths), the Markup variant that escapes its
//! arguments, the `format` filter built on them, and the float formatting shared with
//! `str.format`.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive, Zero};

use super::{escape_str, filter_arg_error, py_str, type_error, value_error, MAX_SIZE};
use crate::error::{Error, ErrorKind, Result};
use crate::value::{repr, Args, Map, Value};
use crate::vm::State;

/// `"fmt" % args` as Python does it: a tuple gives the positional arguments, a dict the
/// `%(name)s` mapping, anything else is the single argument.
pub fn percent_format(fmt: &str, args: &Value) -> Result<String> {
    format_impl(fmt, args, false)
}

/// `Markup("fmt") % args`: like [`percent_format`] but each argument is HTML-escaped
/// (markupsafe's `_MarkupEscapeHelper`); the result is safe markup.
pub fn markup_percent_format(fmt: &str, args: &Value) -> Result<String> {
    format_impl(fmt, args, true)
}

/// `format(value, *args, **kwargs)`: printf-style formatting.
///
/// ```jinja
/// {{ "%s, %s!"|format("Hello", "World") }}  -> Hello, World!
/// ```
pub fn do_format(_: &mut State, value: Value, args: Args) -> Result<Value> {
    if !args.args.is_empty() && !args.kwargs.is_empty() {
        return Err(filter_arg_error("can't handle positional and keyword arguments at the same time"));
    }
    let Args { args, kwargs } = args;
    if kwargs.is_empty() {
        // The positional arguments are the tuple Jinja2 formats with, used in place.
        return match &value {
            Value::Markup(s) => Ok(Value::markup_of(format_parts(s, &args, None, true)?)),
            Value::Str(s) => Ok(Value::from(format_parts(s, &args, None, false)?)),
            other => Ok(Value::from(format_parts(&py_str(other)?, &args, None, false)?)),
        };
    }
    let mut m = Map::default();
    for (k, v) in kwargs {
        m.insert(Value::from(k), v);
    }
    let params = Value::dict(m);
    match &value {
        Value::Markup(s) => Ok(Value::markup(markup_percent_format(s, &params)?)),
        Value::Str(s) => Ok(Value::from(percent_format(s, &params)?)),
        other => Ok(Value::from(percent_format(&py_str(other)?, &params)?)),
    }
}

struct Spec {
    left: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
}

fn not_enough() -> Error {
    type_error("not enough arguments for format string")
}

fn format_impl(fmt: &str, args: &Value, escape: bool) -> Result<String> {
    match args {
        Value::Tuple(t) => format_parts(fmt, t.as_slice(), None, escape),
        // Python takes any non-tuple, non-str argument with `__getitem__` (Undefined has one)
        // as the `%(name)s` mapping, and then does not complain about unconverted arguments.
        Value::Dict(_) | Value::List(_) | Value::Undefined(_) => {
            format_parts(fmt, std::slice::from_ref(args), Some(args), escape)
        }
        // Of the objects, namedtuples are tuples, and only a range and `self` have a
        // `__getitem__` (dict views, loops, namespaces, cyclers, iterators have none).
        Value::Object(o) => match o.as_tuple() {
            Some(t) => format_parts(fmt, &t, None, escape),
            None if matches!(o.type_name(), "range" | "TemplateReference") => {
                format_parts(fmt, std::slice::from_ref(args), Some(args), escape)
            }
            None => format_parts(fmt, std::slice::from_ref(args), None, escape),
        },
        other => format_parts(fmt, std::slice::from_ref(other), None, escape),
    }
}

/// [`format_impl`] with the arguments taken apart: `positional` for `%s`, `mapping` for
/// `%(name)s`. The format is scanned by bytes (its syntax is ASCII): text between
/// conversions is copied a run at a time, and only error messages count characters.
fn format_parts(fmt: &str, positional: &[Value], mapping: Option<&Value>, escape: bool) -> Result<String> {
    let bytes = fmt.as_bytes();
    let mut out = crate::value::scratch(fmt.len() + 16);
    let mut argidx = 0usize;
    let mut i = 0usize;
    let next_arg = |argidx: &mut usize| -> Result<Value> {
        let v = positional.get(*argidx).cloned().ok_or_else(not_enough)?;
        *argidx += 1;
        Ok(v)
    };
    while i < bytes.len() {
        let Some(at) = memchr::memchr(b'%', bytes.get(i..).unwrap_or_default()) else {
            out.push_str(fmt.get(i..).unwrap_or_default());
            break;
        };
        out.push_str(fmt.get(i..i + at).unwrap_or_default());
        i += at;
        let start = i;
        i += 1;
        let mut keyed: Option<Value> = None;
        if bytes.get(i) == Some(&b'(') {
            let Some(m) = mapping else { return Err(type_error("format requires a mapping")) };
            let mut depth = 1;
            let key_start = i + 1;
            i += 1;
            while i < bytes.len() && depth > 0 {
                match bytes.get(i) {
                    Some(b'(') => depth += 1,
                    Some(b')') => depth -= 1,
                    _ => {}
                }
                i += 1;
            }
            if depth > 0 {
                return Err(value_error("incomplete format key"));
            }
            let key = fmt.get(key_start..i - 1).unwrap_or_default();
            let kv = Value::from(key);
            let v = match m {
                // Undefined's `__getitem__` raises (ChainableUndefined's answers itself).
                Value::Undefined(u) if u.kind != crate::value::UndefinedKind::Chainable => {
                    return Err(u.error())
                }
                Value::Undefined(_) => m.clone(),
                _ => {
                    m.get_item_raw(&kv).ok_or_else(|| Error::new(ErrorKind::KeyError, repr::str_repr(key)))?
                }
            };
            keyed = Some(v);
        }
        let mut spec =
            Spec { left: false, plus: false, space: false, alt: false, zero: false, width: 0, prec: None };
        while let Some(&f) = bytes.get(i) {
            match f {
                b'-' => spec.left = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            i += 1;
        }
        if bytes.get(i) == Some(&b'*') {
            let w = next_arg(&mut argidx)?;
            let w = match w {
                Value::Int(n) => n,
                Value::Bool(b) => b as i64,
                _ => return Err(type_error("* wants int")),
            };
            if w < 0 {
                spec.left = true;
            }
            spec.width = w.unsigned_abs() as usize;
            i += 1;
        } else {
            let mut w: usize = 0;
            while let Some(d) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
                w = w.saturating_mul(10).saturating_add(usize::from(d - b'0'));
                i += 1;
            }
            spec.width = w;
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if bytes.get(i) == Some(&b'*') {
                let p = next_arg(&mut argidx)?;
                let p = match p {
                    Value::Int(n) => n,
                    Value::Bool(b) => b as i64,
                    _ => return Err(type_error("* wants int")),
                };
                spec.prec = Some(p.max(0) as usize);
                i += 1;
            } else {
                let mut p: usize = 0;
                while let Some(d) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
                    p = p.saturating_mul(10).saturating_add(usize::from(d - b'0'));
                    i += 1;
                }
                spec.prec = Some(p);
            }
        }
        if spec.width > MAX_SIZE || spec.prec.unwrap_or(0) > MAX_SIZE {
            return Err(Error::new(ErrorKind::OverflowError, "width too big"));
        }
        while matches!(bytes.get(i), Some(b'h' | b'l' | b'L')) {
            i += 1;
        }
        let Some(conv) = fmt.get(i..).and_then(|s| s.chars().next()) else {
            return Err(value_error("incomplete format"));
        };
        let conv_at = i;
        i += conv.len_utf8();
        if conv == '%' {
            if i == start + 2 {
                out.push('%');
                continue;
            }
            // With flags, a width or a precision between, CPython takes an argument for the
            // conversion and then rejects `%` as its type.
            if keyed.is_none() {
                next_arg(&mut argidx)?;
            }
            return Err(value_error(format!(
                "unsupported format character '%' (0x25) at index {}",
                char_index(fmt, conv_at)
            )));
        }
        let arg = match keyed {
            Some(v) => v,
            None => next_arg(&mut argidx)?,
        };
        let piece = convert(conv, &arg, &spec, escape, start, fmt)?;
        out.push_str(&piece);
    }
    if argidx < positional.len() && mapping.is_none() {
        return Err(type_error("not all arguments converted during string formatting"));
    }
    Ok(out)
}

/// The character index of byte offset `at` of `s` (error messages count characters).
fn char_index(s: &str, at: usize) -> usize {
    s.get(..at).map_or(0, |p| p.chars().count())
}

fn pad(body: String, spec: &Spec) -> String {
    let n = body.chars().count();
    if n >= spec.width {
        return body;
    }
    let fill = " ".repeat(spec.width - n);
    if spec.left {
        body + &fill
    } else {
        fill + &body
    }
}

/// Assemble sign, prefix and digits with the `0` flag and width.
fn pad_number(negative: bool, prefix: &str, digits: String, spec: &Spec) -> String {
    if !negative && !spec.plus && !spec.space && prefix.is_empty() && digits.len() >= spec.width {
        // Nothing to add (the digits are ASCII: bytes are chars).
        return digits;
    }
    let sign = if negative {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    let len = sign.len() + prefix.len() + digits.chars().count();
    if spec.zero && !spec.left && len < spec.width {
        let zeros = "0".repeat(spec.width - len);
        return format!("{}{}{}{}", sign, prefix, zeros, digits);
    }
    pad(format!("{}{}{}", sign, prefix, digits), spec)
}

fn as_bigint(v: &Value) -> Option<BigInt> {
    match v {
        Value::Int(i) => Some(BigInt::from(*i)),
        Value::Bool(b) => Some(BigInt::from(*b as i64)),
        Value::BigInt(b) => Some(b.as_ref().clone()),
        _ => None,
    }
}

/// `float(v)` for a number argument; OverflowError for huge ints.
pub(crate) fn number_to_f64(v: &Value) -> Result<f64> {
    match v {
        Value::Float(f) => Ok(*f),
        Value::BigInt(b) => b
            .to_f64()
            .filter(|f| f.is_finite())
            .ok_or_else(|| Error::new(ErrorKind::OverflowError, "int too large to convert to float")),
        _ => v.as_f64().ok_or_else(|| type_error("must be real number")),
    }
}

fn convert(conv: char, arg: &Value, spec: &Spec, escape: bool, start: usize, fmt: &str) -> Result<String> {
    if matches!(conv, 's' | 'r' | 'a' | 'd' | 'i' | 'u') {
        crate::value::repr::check_int_digits(arg)?;
    }
    match conv {
        's' | 'r' | 'a' => {
            // (`%r` and `%a` take the repr, which a StrictUndefined gives; `%s` its str.)
            let mut s = match conv {
                's' => {
                    if escape {
                        escape_str(arg)?
                    } else {
                        py_str(arg)?
                    }
                }
                'r' => {
                    let r = arg.repr();
                    if escape {
                        crate::value::markup::escape(&r)
                    } else {
                        r
                    }
                }
                _ => {
                    let r = crate::value::repr::ascii_escape(&arg.repr());
                    if escape {
                        crate::value::markup::escape(&r)
                    } else {
                        r
                    }
                }
            };
            if let Some(p) = spec.prec {
                if let Some((idx, _)) = s.char_indices().nth(p) {
                    s.truncate(idx);
                }
            }
            Ok(pad(s, spec))
        }
        'd' | 'i' | 'u' | 'x' | 'X' | 'o' => {
            if let Value::Undefined(u) = arg {
                return Err(u.error());
            }
            if let Value::Int(i) = arg {
                // (A 64-bit int needs no big one.)
                let mag = i.unsigned_abs();
                let (mut digits, prefix) = match conv {
                    'x' => (format!("{:x}", mag), if spec.alt { "0x" } else { "" }),
                    'X' => (format!("{:X}", mag), if spec.alt { "0X" } else { "" }),
                    'o' => (format!("{:o}", mag), if spec.alt { "0o" } else { "" }),
                    _ => (itoa::Buffer::new().format(mag).to_string(), ""),
                };
                if let Some(p) = spec.prec {
                    if digits.len() < p {
                        digits = "0".repeat(p - digits.len()) + &digits;
                    }
                }
                return Ok(pad_number(*i < 0, prefix, digits, spec));
            }
            let n = match (as_bigint(arg), arg) {
                (Some(b), _) => b,
                (None, Value::Float(f)) if matches!(conv, 'd' | 'i' | 'u') => {
                    if f.is_nan() {
                        return Err(value_error("cannot convert float NaN to integer"));
                    }
                    if f.is_infinite() {
                        return Err(Error::new(
                            ErrorKind::OverflowError,
                            "cannot convert float infinity to integer",
                        ));
                    }
                    float_to_bigint(*f)
                }
                _ => {
                    let what = if matches!(conv, 'd' | 'i' | 'u') { "a real number" } else { "an integer" };
                    return Err(type_error(format!(
                        "%{} format: {} is required, not {}",
                        conv,
                        what,
                        arg.type_name()
                    )));
                }
            };
            let neg = n.is_negative();
            let mag = n.abs();
            let (mut digits, prefix) = match conv {
                'x' => (mag.to_str_radix(16), if spec.alt { "0x" } else { "" }),
                'X' => (mag.to_str_radix(16).to_uppercase(), if spec.alt { "0X" } else { "" }),
                'o' => (mag.to_str_radix(8), if spec.alt { "0o" } else { "" }),
                _ => (mag.to_string(), ""),
            };
            if let Some(p) = spec.prec {
                if digits.len() < p {
                    digits = "0".repeat(p - digits.len()) + &digits;
                }
            }
            Ok(pad_number(neg, prefix, digits, spec))
        }
        'e' | 'E' | 'f' | 'F' | 'g' | 'G' => {
            if let Value::Undefined(u) = arg {
                return Err(u.error());
            }
            if !arg.is_number() {
                return Err(type_error(format!("must be real number, not {}", arg.type_name())));
            }
            let f = number_to_f64(arg)?;
            let prec = spec.prec.unwrap_or(6);
            let body = format_float_abs(f, prec, conv, spec.alt);
            Ok(pad_number(f.is_sign_negative() && !f.is_nan(), "", body, spec))
        }
        'c' => {
            let c = match arg {
                Value::Int(_) | Value::Bool(_) | Value::BigInt(_) => {
                    let n = as_bigint(arg).and_then(|b| b.to_i64()).unwrap_or(-1);
                    match u32::try_from(n).ok().filter(|n| *n < 0x110000).and_then(char::from_u32) {
                        Some(c) => c,
                        None => {
                            return Err(Error::new(ErrorKind::OverflowError, "%c arg not in range(0x110000)"))
                        }
                    }
                }
                Value::Str(s) | Value::Markup(s) if s.chars().count() == 1 => s.chars().next().unwrap_or(' '),
                Value::Undefined(u) => return Err(u.error()),
                _ => return Err(type_error("%c requires int or char")),
            };
            let s = if escape { crate::value::markup::escape(&c.to_string()) } else { c.to_string() };
            Ok(pad(s, spec))
        }
        other => Err(value_error(format!(
            "unsupported format character '{}' (0x{:x}) at index {}",
            other,
            other as u32,
            position_of(fmt, start, other)
        ))),
    }
}

/// The character index of the first `c` at or after byte offset `start` of `fmt`.
fn position_of(fmt: &str, start: usize, c: char) -> usize {
    let from = char_index(fmt, start);
    let rest = fmt.get(start..).unwrap_or_default();
    rest.chars().position(|x| x == c).map_or(from, |p| p + from)
}

fn float_to_bigint(f: f64) -> BigInt {
    use num_traits::FromPrimitive;
    BigInt::from_f64(f.trunc()).unwrap_or_else(BigInt::zero)
}

/// Digits past this many after the point (fixed notation) or in the mantissa (exponent
/// notation) are zeros for every double: its exact decimal expansion has at most 1074 fraction
/// digits and 767 significant ones. `core::fmt` refuses precisions past 65535 (it panics), so a
/// longer precision is written up to here and padded with zeros.
const EXACT_DIGITS: usize = 1100;

/// `format!("{:.prec$}", a)` for any precision.
fn fixed(a: f64, prec: usize) -> String {
    if let Some(s) = fixed_short(a, prec) {
        return s;
    }
    if prec <= EXACT_DIGITS {
        return format!("{:.*}", prec, a);
    }
    let mut s = format!("{:.*}", EXACT_DIGITS, a);
    s.extend(std::iter::repeat_n('0', prec - EXACT_DIGITS));
    s
}

/// [`fixed`] for a few decimals of a number below 2^52 scaled, when the answer is certain
/// without `core::fmt`'s exact expansion (≈1 K instructions for `'%.2f'`): `a × 10^prec`
/// is one rounding away from the exact product (10^prec is exact), so unless its fraction
/// lies within that rounding of one half, rounding it to an integer rounds the exact decimal
/// expansion the same way. `None` otherwise (ties and near-ties, large or odd values).
fn fixed_short(a: f64, prec: usize) -> Option<String> {
    const POW10: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
    let scale = *POW10.get(prec)?;
    let x = a * scale;
    // (Also false for NaN; `a` is never negative here.)
    if !(0.0..4_503_599_627_370_496.0).contains(&x) {
        return None;
    }
    let whole = x.floor();
    // Exact: `x` and its floor are within one binade below 2^52.
    let frac = x - whole;
    // The product's rounding error is at most half an ulp of `x` (≤ x·2^-53); a margin of
    // several ulps and an absolute one for tiny values keep clear of it.
    if (frac - 0.5).abs() <= x * 1e-15 + 1e-300 {
        return None;
    }
    let n = whole as u64 + u64::from(frac > 0.5);
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(n);
    let mut s = String::with_capacity(digits.len() + prec + 2);
    if prec == 0 {
        s.push_str(digits);
        return Some(s);
    }
    if digits.len() <= prec {
        s.push_str("0.");
        s.extend(std::iter::repeat_n('0', prec - digits.len()));
        s.push_str(digits);
    } else {
        let (int, dec) = digits.split_at(digits.len() - prec);
        s.push_str(int);
        s.push('.');
        s.push_str(dec);
    }
    Some(s)
}

/// Exponent notation with Python's exponent style (`e+05`).
fn exp_notation(f: f64, prec: usize, upper: bool) -> String {
    let s = format!("{:.*e}", prec.min(EXACT_DIGITS), f);
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let pad = prec.saturating_sub(EXACT_DIGITS);
    format!(
        "{}{}{}{}{:02}",
        mant,
        "0".repeat(pad),
        if upper { 'E' } else { 'e' },
        if exp < 0 { '-' } else { '+' },
        exp.abs()
    )
}

fn strip_zeros(s: &str) -> String {
    // Strip trailing zeros of the fraction (and the point), keeping any exponent.
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(p) => (&s[..p], &s[p..]),
        None => (s, ""),
    };
    let mant = if mant.contains('.') { mant.trim_end_matches('0').trim_end_matches('.') } else { mant };
    format!("{}{}", mant, exp)
}

/// Decimal exponent of `f` once rounded to `digits` significant digits.
fn rounded_exponent(f: f64, digits: usize) -> i32 {
    if f == 0.0 {
        return 0;
    }
    let s = format!("{:.*e}", digits.saturating_sub(1).min(EXACT_DIGITS), f);
    s.split_once('e').and_then(|(_, e)| e.parse().ok()).unwrap_or(0)
}

/// Format `|f|` with a printf / format-spec float conversion (`e f g E F G`, plus `r` for
/// format()'s no-type-with-precision mode and `%` for percentages), no sign.
pub(crate) fn format_float_abs(f: f64, prec: usize, conv: char, alt: bool) -> String {
    let upper = conv.is_ascii_uppercase();
    // `{:%}` keeps its percent sign after `inf` and `nan`.
    let pct = if conv == '%' { "%" } else { "" };
    if f.is_nan() {
        return (if upper { "NAN" } else { "nan" }).to_string() + pct;
    }
    if f.is_infinite() {
        return (if upper { "INF" } else { "inf" }).to_string() + pct;
    }
    let a = f.abs();
    match conv {
        'f' | 'F' => {
            let s = fixed(a, prec);
            if alt && prec == 0 {
                s + "."
            } else {
                s
            }
        }
        '%' => fixed(a * 100.0, prec) + if alt && prec == 0 { ".%" } else { "%" },
        'e' | 'E' => {
            let s = exp_notation(a, prec, upper);
            if alt && prec == 0 {
                s.replacen(['e', 'E'], if upper { ".E" } else { ".e" }, 1)
            } else {
                s
            }
        }
        'g' | 'G' | 'r' => {
            let p = if prec == 0 { 1 } else { prec };
            let exp = rounded_exponent(a, p);
            let limit = if conv == 'r' { p as i32 - 1 } else { p as i32 };
            // CPython's `use_exp`: the decimal point position past the precision (one less
            // for format()'s no-type mode, which adds `.0` to integers).
            let s = if exp >= -4 && exp < limit {
                let decimals = (p as i32 - 1 - exp).max(0) as usize;
                fixed(a, decimals)
            } else {
                exp_notation(a, p - 1, upper)
            };
            if alt {
                if !s.contains('.') {
                    match s.find(['e', 'E']) {
                        Some(pos) => format!("{}.{}", &s[..pos], &s[pos..]),
                        None => s + ".",
                    }
                } else {
                    s
                }
            } else {
                let mut t = strip_zeros(&s);
                if conv == 'r' && !t.contains(['e', 'E', '.']) {
                    t.push_str(".0");
                }
                t
            }
        }
        _ => repr::float_repr(a),
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    /// The short fixed-point path answers what `core::fmt`'s exact expansion does, or
    /// declines: ties, near-ties, halves of every kind, and pseudo-random doubles.
    #[test]
    fn fixed_short_like_core_fmt() {
        let mut vals = vec![0.0, 0.5, 1.5, 2.5, 0.125, 0.375, 1.005, 2.675, 1e-7, 123.456, 4.35, 0.045, 1e15];
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let m = (x >> 11) as f64 / (1u64 << 53) as f64;
            let e = (x % 24) as i32 - 8;
            vals.push(m * 10f64.powi(e));
            vals.push(((x % 100_000) as f64) / 1000.0 + 0.0005);
        }
        for &a in &vals {
            for prec in 0..=6 {
                if let Some(s) = fixed_short(a, prec) {
                    assert_eq!(s, format!("{:.*}", prec, a), "{a} {prec}");
                }
            }
        }
    }

    fn t(items: Vec<Value>) -> Value {
        Value::tuple(items)
    }

    #[test]
    fn formats_like_python() {
        let f = |fmt: &str, args: Value| percent_format(fmt, &args).unwrap_or_else(|e| format!("ERR {}", e));
        assert_eq!(
            f("%s is %d years, %.2f", t(vec!["Ann".into(), 31.into(), 2.5.into()])),
            "Ann is 31 years, 2.50"
        );
        assert_eq!(f("%x %o %e", t(vec![255.into(), 8.into(), 12345.678.into()])), "ff 10 1.234568e+04");
        assert_eq!(f("%05.1f", t(vec![(-4.5).into()])), "-04.5");
        assert_eq!(f("%%", t(vec![])), "%");
        assert_eq!(
            f("%g|%g|%g|%g", t(vec![0.0001.into(), 123456789.0.into(), 1.5.into(), 100000.0.into()])),
            "0.0001|1.23457e+08|1.5|100000"
        );
        assert_eq!(f("%s", 2.5.into()), "2.5");
        assert_eq!(f("%r", "a".into()), "'a'");
        assert_eq!(f("%-5s|%5s", t(vec!["a".into(), "b".into()])), "a    |    b");
        assert_eq!(
            f("%#x %#o %+d % d", t(vec![255.into(), 8.into(), 5.into(), 5.into()])),
            "0xff 0o10 +5  5"
        );
        assert_eq!(f("%.3d|%c|%c", t(vec![5.into(), 65.into(), "z".into()])), "005|A|z");
        assert_eq!(f("%s %s", t(vec![1.into()])), "ERR TypeError: not enough arguments for format string");
        assert_eq!(
            f("%s", t(vec![1.into(), 2.into()])),
            "ERR TypeError: not all arguments converted during string formatting"
        );
        assert_eq!(f("%d", "x".into()), "ERR TypeError: %d format: a real number is required, not str");
        assert_eq!(f("%z", 1.into()), "ERR ValueError: unsupported format character 'z' (0x7a) at index 1");
        assert_eq!(f("%.1f %.0f %.0f", t(vec![0.25.into(), 0.5.into(), 1.5.into()])), "0.2 0 2");
    }

    #[test]
    fn markup_escapes_arguments() {
        let r = markup_percent_format("<b>%s</b>", &Value::from("<i>")).unwrap_or_default();
        assert_eq!(r, "<b>&lt;i&gt;</b>");
    }

    #[test]
    fn repr_mode_matches_format_without_type() {
        assert_eq!(format_float_abs(1234.5, 3, 'r', false), "1.23e+03");
        assert_eq!(format_float_abs(1.0, 3, 'r', false), "1.0");
        assert_eq!(format_float_abs(10.0, 3, 'r', false), "10.0");
        assert_eq!(format_float_abs(100.0, 3, 'r', false), "1e+02");
    }
}
