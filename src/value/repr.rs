//! Python's `str()` and `repr()` of every value kind, including the float repr algorithm
//! (shortest round-trip digits, scientific outside 1e-4 <= |x| < 1e16).

use std::fmt::Write;

use super::{UndefinedKind, Value};

/// Append Python's `repr()` of a float.
pub fn write_float(out: &mut String, f: f64) {
    if f.is_finite() && f != 0.0 && write_short_decimal(out, f < 0.0, f.abs()) {
        return;
    }
    write_float_general(out, f)
}

/// [`write_float`] without the short-decimal fast path.
fn write_float_general(out: &mut String, f: f64) {
    if f.is_nan() {
        out.push_str("nan");
        return;
    }
    if f.is_infinite() {
        out.push_str(if f > 0.0 { "inf" } else { "-inf" });
        return;
    }
    if f == 0.0 {
        out.push_str(if f.is_sign_negative() { "-0.0" } else { "0.0" });
        return;
    }
    let a = f.abs();
    let tie = may_tie(a);
    if !tie && (1e-4..1e16).contains(&a) {
        // Python's repr writes these without an exponent, as Rust's Display does (both give
        // the shortest round-trip digits); only an integral value needs its ".0".
        let start = out.len();
        let _ = write!(out, "{}", f);
        if !out.get(start..).is_some_and(|w| w.contains('.')) {
            out.push_str(".0");
        }
        return;
    }
    // Shortest round-trip digits from Rust's formatter: "d.ddde[-]x".
    let sci = format!("{:e}", f.abs());
    let (mant, exp) = match sci.split_once('e') {
        Some(p) => p,
        None => (sci.as_str(), "0"),
    };
    let mut exp: i32 = exp.parse().unwrap_or(0);
    let mut digits: String = mant.chars().filter(|c| *c != '.').collect();
    if tie {
        if let Some((d, e)) = half_even(a, &digits, exp) {
            digits = d;
            exp = e;
        }
    }
    let decpt = exp + 1;
    if f < 0.0 {
        out.push('-');
    }
    if !(-3..=16).contains(&decpt) {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..(-decpt) {
            out.push('0');
        }
        out.push_str(&digits);
    } else {
        let d = decpt as usize;
        if d >= digits.len() {
            out.push_str(&digits);
            for _ in 0..(d - digits.len()) {
                out.push('0');
            }
            out.push_str(".0");
        } else {
            out.push_str(&digits[..d]);
            out.push('.');
            out.push_str(&digits[d..]);
        }
    }
}

/// Write `a` (finite, positive; `-` first when `neg`) as Python's repr would if it is a
/// decimal of at most 8 places below 2^52 and not below 1e-4, as prices and measures are;
/// `false` (nothing written) otherwise. The fewest places `k` at which `m / 10^k` (`m` the
/// rounded `a * 10^k`) is `a` give the shortest round-trip digits: a representation with
/// fewer places would have been found (the product is exact to well within 0.5), and below
/// 2^52 the floats are closer than 10^-k, so that decimal is the only one of its length
/// (no tie to break). Integral and positional like Python's repr in this range.
fn write_short_decimal(out: &mut String, neg: bool, a: f64) -> bool {
    const P: [f64; 9] = [1.0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
    const LIMIT: f64 = 4_503_599_627_370_496.0; // 2^52
    if !(1e-4..LIMIT).contains(&a) {
        return false;
    }
    for (k, &p) in P.iter().enumerate() {
        // `(a * p).round()` without the library call: below 2^52 the fraction `x - t` is
        // exact, and rounding half away from zero (`x` is positive) adds one from a half up.
        // (Through i64, which converts to and from f64 in one instruction each.)
        let x = a * p;
        if x >= LIMIT {
            return false;
        }
        let t = x as i64;
        let m = t + i64::from(x - t as f64 >= 0.5);
        let mf = m as f64;
        if mf >= LIMIT {
            return false;
        }
        if mf / p != a {
            continue;
        }
        // The digits of `m` once, the point put `k` places from their end (zeros first when
        // they are fewer than `k + 1`).
        let mut buf = itoa::Buffer::new();
        let digits = buf.format(m);
        out.reserve(digits.len() + k + 3);
        if neg {
            out.push('-');
        }
        if k == 0 {
            out.push_str(digits);
            out.push_str(".0");
        } else if digits.len() > k {
            let (int, frac) = digits.split_at(digits.len() - k);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        } else {
            out.push_str("0.");
            for _ in digits.len()..k {
                out.push('0');
            }
            out.push_str(digits);
        }
        return true;
    }
    false
}

/// Whether `a` (finite, positive) is short enough in binary that its exact decimal expansion
/// may lie exactly halfway between two shortest representations (Rust's shortest-digits
/// formatting and Python's `repr` break such ties differently).
fn may_tie(a: f64) -> bool {
    let bits = a.to_bits();
    let raw_exp = ((bits >> 52) & 0x7ff) as i32;
    if raw_exp == 0 {
        return false; // subnormal: far too many binary places
    }
    let mant = (bits & 0x000f_ffff_ffff_ffff) | (1 << 52);
    // `a` is an odd multiple of 2^e; the spacing of floats around it is at most 2^u.
    let u = raw_exp - 1075;
    let e = u + mant.trailing_zeros() as i32;
    if e < -40 {
        return false;
    }
    // A tie is between candidates one digit shorter than the exact expansion, and the
    // shortest digits are at most 17: an expansion of more than 18 significant digits
    // (`log10(a) - e` of them, give or take one) cannot tie. `log10(a)` is at least
    // `(raw_exp - 1023) * log10(2)`.
    if f64::from(raw_exp - 1023) * std::f64::consts::LOG10_2 - 1.0 - f64::from(e) > 17.0 {
        return false;
    }
    if e >= 0 {
        // An integer: below 2^53 the spacing is at most 1, so two candidates a half apart
        // would both be integers' halves, which `a` is not.
        return a >= 9007199254740992.0;
    }
    // The exact expansion of an odd multiple of 2^e (e < 0) ends at the 10^e place: a tie
    // is between candidates one place shorter, 10^(e+1) apart, and both round back to `a`
    // only when that is at most the spacing 2^u (with a margin for the logarithm).
    f64::from(e + 1) * std::f64::consts::LOG2_10 <= f64::from(u) + 1.0
}

/// When the shortest digits of `a` were one of two equally near candidates, the candidate
/// Python picks (David Gay's dtoa: round half to even). `digits` and `exp` are Rust's choice
/// (`d.ddd` times ten to `exp`); `None` when there was no tie or nothing changes.
fn half_even(a: f64, digits: &str, exp: i32) -> Option<(String, i32)> {
    let n = digits.len();
    // The exact expansion (at most ~60 significant digits for values `may_tie` lets through).
    let exact = format!("{:.70e}", a);
    let (mant, exact_exp) = exact.split_once('e')?;
    let exact_exp: i32 = exact_exp.parse().ok()?;
    let exact_digits: String = mant.chars().filter(|c| *c != '.').collect();
    let exact_digits = exact_digits.trim_end_matches('0');
    if exact_digits.len() != n + 1 || !exact_digits.ends_with('5') || exact_exp != exp {
        return None;
    }
    let lower = exact_digits.get(..n)?;
    let lower_even = lower.bytes().last().is_some_and(|d| (d - b'0').is_multiple_of(2));
    let (cand, cand_exp) = if lower == digits {
        if lower_even {
            return None;
        }
        increment(lower, exp)
    } else if lower_even {
        (lower.to_string(), exp)
    } else {
        return None;
    };
    let cand = cand.trim_end_matches('0').to_string();
    let cand = if cand.is_empty() { "0".to_string() } else { cand };
    let text = format!("{}.{}e{}", cand.get(..1)?, cand.get(1..).unwrap_or(""), cand_exp);
    (text.parse::<f64>().ok()? == a).then_some((cand, cand_exp))
}

/// `digits` plus one in the last place (a carry out of the first digit raises the exponent).
fn increment(digits: &str, exp: i32) -> (String, i32) {
    let mut b: Vec<u8> = digits.bytes().collect();
    for d in b.iter_mut().rev() {
        if *d == b'9' {
            *d = b'0';
        } else {
            *d += 1;
            return (String::from_utf8(b).unwrap_or_default(), exp);
        }
    }
    b.insert(0, b'1');
    b.pop();
    (String::from_utf8(b).unwrap_or_default(), exp + 1)
}

/// Python's `repr()` of a float, as a String.
pub fn float_repr(f: f64) -> String {
    let mut s = String::new();
    write_float(&mut s, f);
    s
}

/// Python's `repr()` of a str.
pub fn str_repr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_str_repr(&mut out, s);
    out
}

/// Append Python's `repr()` of a str.
pub fn write_str_repr(out: &mut String, s: &str) {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b) && b != b'\\' && b != b'\'') {
        // Printable ASCII without a quote or a backslash: written as it is.
        out.reserve(s.len() + 2);
        out.push('\'');
        out.push_str(s);
        out.push('\'');
        return;
    }
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !super::pyunicode::is_printable(c) => write_escape(out, c),
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// Python's backslash escape of one character: `\xhh`, `\uhhhh` or `\Uhhhhhhhh`.
fn write_escape(out: &mut String, c: char) {
    let n = c as u32;
    let _ = if n < 0x100 {
        write!(out, "\\x{:02x}", n)
    } else if n < 0x10000 {
        write!(out, "\\u{:04x}", n)
    } else {
        write!(out, "\\U{:08x}", n)
    };
}

/// Python's `ascii()` of a repr: every non-ASCII character escaped.
pub fn ascii_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            write_escape(&mut out, c);
        }
    }
    out
}

/// Append Python's `str()` of a value.
pub fn write_str(out: &mut String, v: &Value) {
    match v {
        Value::Undefined(u) => {
            if u.kind == UndefinedKind::Debug {
                out.push_str("{{ ");
                if let Some(h) = &u.hint {
                    out.push_str("undefined value printed: ");
                    out.push_str(&h.text());
                } else {
                    match (&u.obj, &u.name) {
                        (None, Some(n)) => write_str(out, n),
                        (Some(o), Some(n)) => {
                            let _ = write!(out, "no such element: {}[{}]", o, n.repr());
                        }
                        _ => {}
                    }
                }
                out.push_str(" }}");
            }
        }
        Value::Str(s) | Value::Markup(s) => out.push_str(s),
        Value::Object(o) => out.push_str(&o.to_str()),
        _ => write_repr(out, v),
    }
}

/// Python's limit on converting an int to decimal text (`sys.int_max_str_digits`, 4300 by
/// default): `str()` of an int with more digits raises ValueError. Checked where a value is
/// printed, joined with `~` or made a string by a filter (not inside a container's repr).
#[inline]
pub(crate) fn check_int_digits(v: &Value) -> crate::error::Result<()> {
    match v {
        // 4300 digits need more than 14280 bits; only then is the text built to count them.
        Value::BigInt(b) if b.bits() > 14_000 => check_big_digits(b),
        _ => Ok(()),
    }
}

#[cold]
fn check_big_digits(b: &num_bigint::BigInt) -> crate::error::Result<()> {
    if b.magnitude().to_string().len() > 4300 {
        return Err(crate::error::Error::new(
            crate::error::ErrorKind::ValueError,
            "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit",
        ));
    }
    Ok(())
}

/// Append Python's `repr()` of a value.
pub fn write_repr(out: &mut String, v: &Value) {
    match v {
        Value::Undefined(_) => out.push_str("Undefined"),
        Value::None => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Int(i) => {
            let mut b = itoa::Buffer::new();
            out.push_str(b.format(*i));
        }
        Value::BigInt(b) => {
            let _ = write!(out, "{}", b);
        }
        Value::Float(f) => write_float(out, *f),
        Value::Str(s) => write_str_repr(out, s),
        Value::Markup(s) => {
            out.push_str("Markup(");
            write_str_repr(out, s);
            out.push(')');
        }
        Value::List(l) => {
            out.push('[');
            for (i, item) in l.lock().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, item);
            }
            out.push(']');
        }
        Value::Tuple(t) => {
            out.push('(');
            for (i, item) in t.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, item);
            }
            if t.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        Value::Dict(d) => {
            out.push('{');
            for (i, (k, val)) in d.lock().iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_repr(out, k);
                out.push_str(": ");
                write_repr(out, val);
            }
            out.push('}');
        }
        Value::Object(o) => out.push_str(&o.repr()),
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn floats_print_like_python() {
        let cases = [
            (1.0, "1.0"),
            (1e20, "1e+20"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-7, "1e-07"),
            (0.0001, "0.0001"),
            (0.1, "0.1"),
            #[allow(clippy::approx_constant)]
            (3.14159, "3.14159"),
            (-4.5, "-4.5"),
            (1.5e-5, "1.5e-05"),
            (123456789.125, "123456789.125"),
            (f64::INFINITY, "inf"),
        ];
        for (f, want) in cases {
            assert_eq!(float_repr(f), want, "{f}");
        }
    }

    /// The short-decimal fast path writes what the general path (Rust's shortest digits,
    /// Python's layout) does, for prices, measures, integers and values just off them.
    #[test]
    fn short_decimals_like_general_path() {
        let general = |f: f64| {
            let mut s = String::new();
            write_float_general(&mut s, f);
            s
        };
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut fast = 0;
        for i in 0..300_000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let k = (i % 10) as i32;
            let m = (x >> (12 + (i % 50))) as f64;
            let mut f = m / 10f64.powi(k);
            if i % 7 == 0 {
                f = f64::from_bits(f.to_bits() + 1 + (i % 3));
            }
            if i % 2 == 0 {
                f = -f;
            }
            if !f.is_finite() || f == 0.0 || !(1e-4..1e16).contains(&f.abs()) {
                continue;
            }
            let mut s = String::new();
            if write_short_decimal(&mut s, f < 0.0, f.abs()) {
                fast += 1;
                assert_eq!(s, general(f), "{f:e}");
                assert_eq!(s.parse::<f64>().unwrap(), f);
            }
        }
        assert!(fast > 50_000, "{fast}");
        for (f, want) in
            [(19.99, "19.99"), (0.0001, "0.0001"), (1e15, "1000000000000000.0"), (0.5, "0.5"), (-3.0, "-3.0")]
        {
            assert_eq!(float_repr(f), want);
        }
    }

    /// The values `may_tie` lets by are never ties: `half_even` finds nothing to change for
    /// them (short fractions and integers, as prices and counts are, which used to go the
    /// slow way).
    #[test]
    fn may_tie_misses_no_tie() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut checked = 0;
        for i in 0..200_000u64 {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let e = -((i % 45) as i32);
            let m = (x >> (11 + (i % 40))) | 1;
            let a = m as f64 * 2f64.powi(e);
            if !a.is_finite() || a == 0.0 || may_tie(a) {
                continue;
            }
            let sci = format!("{:e}", a);
            let (mant, exp) = sci.split_once('e').unwrap();
            let digits: String = mant.chars().filter(|c| *c != '.').collect();
            assert_eq!(half_even(a, &digits, exp.parse().unwrap()), None, "{a:e}");
            checked += 1;
        }
        assert!(checked > 1000);
        for a in [12.5, 0.25, 3.0, 42.0, 1e15, 9007199254740991.0, 19.75] {
            assert!(!may_tie(a), "{a}");
        }
    }

    #[test]
    fn strings_repr_like_python() {
        assert_eq!(str_repr("a'b"), "\"a'b\"");
        assert_eq!(str_repr("a'\"b"), "'a\\'\"b'");
        assert_eq!(str_repr("x\ny"), "'x\\ny'");
    }
}
