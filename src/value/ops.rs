//! Python's operators on values: arithmetic with int overflow into big ints, true and floor
//! division, modulo with Python's sign rule, power, comparison, equality and `in`.

use std::cmp::Ordering;
use std::sync::Arc;

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{Signed, ToPrimitive, Zero};

use super::{complex, markup, Value};
use crate::error::{Error, ErrorKind, Result};

enum Num {
    I(i64),
    B(BigInt),
    F(f64),
}

fn num(v: &Value) -> Option<Num> {
    Some(match v {
        Value::Int(i) => Num::I(*i),
        Value::Bool(b) => Num::I(*b as i64),
        Value::BigInt(b) => Num::B(b.as_ref().clone()),
        Value::Float(f) => Num::F(*f),
        _ => return None,
    })
}

fn big(n: &Num) -> BigInt {
    match n {
        Num::I(i) => BigInt::from(*i),
        Num::B(b) => b.clone(),
        Num::F(f) => BigInt::from(*f as i64),
    }
}

/// [`flt`] for arithmetic with a float: CPython refuses an int too large for a float.
fn float_of(n: &Num) -> Result<f64> {
    let f = flt(n);
    if f.is_infinite() && matches!(n, Num::B(_)) {
        return Err(Error::new(ErrorKind::OverflowError, "int too large to convert to float"));
    }
    Ok(f)
}

fn flt(n: &Num) -> f64 {
    match n {
        Num::I(i) => *i as f64,
        Num::B(b) => b.to_f64().unwrap_or(f64::INFINITY),
        Num::F(f) => *f,
    }
}

/// Python's exact comparison of two numbers (an int and a float compare by value, not by
/// the int rounded to a float); `None` when a NaN is involved.
fn num_cmp(x: &Num, y: &Num) -> Option<Ordering> {
    match (x, y) {
        (Num::I(p), Num::I(q)) => Some(p.cmp(q)),
        (Num::F(p), Num::F(q)) => p.partial_cmp(q),
        (Num::F(f), n) => int_float_cmp(n, *f).map(Ordering::reverse),
        (n, Num::F(f)) => int_float_cmp(n, *f),
        _ => Some(big(x).cmp(&big(y))),
    }
}

/// Int `n` against float `f`, exactly.
fn int_float_cmp(n: &Num, f: f64) -> Option<Ordering> {
    const EXACT: i64 = 1 << 53;
    if let Num::I(i) = n {
        if (-EXACT..=EXACT).contains(i) {
            return (*i as f64).partial_cmp(&f);
        }
    }
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 { Ordering::Less } else { Ordering::Greater });
    }
    let floor = f.floor();
    let whole = <BigInt as num_traits::FromPrimitive>::from_f64(floor)?;
    Some(match big(n).cmp(&whole) {
        Ordering::Equal if f > floor => Ordering::Less,
        o => o,
    })
}

fn undefined_check(a: &Value, b: &Value) -> Result<()> {
    if let Value::Undefined(u) = a {
        return Err(u.error());
    }
    if let Value::Undefined(u) = b {
        return Err(u.error());
    }
    Ok(())
}

fn unsupported(op: &str, a: &Value, b: &Value) -> Error {
    Error::new(
        ErrorKind::TypeError,
        format!("unsupported operand type(s) for {}: '{}' and '{}'", op, a.type_name(), b.type_name()),
    )
}

/// `a op b` decided in place for two ints whose result fits (`int`), and for two floats or an
/// int and a float (`float`, the int converted as `float_of` does): what `int_op!` gives them,
/// without making `Num`s; `None` for anything else (bools, big ints, an overflow, other types),
/// which goes the general way.
#[inline(always)]
fn plain_num_op(
    a: &Value,
    b: &Value,
    int: fn(i64, i64) -> Option<i64>,
    float: fn(f64, f64) -> f64,
) -> Option<Value> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => int(*x, *y).map(Value::Int),
        (Value::Float(x), Value::Float(y)) => Some(Value::Float(float(*x, *y))),
        (Value::Float(x), Value::Int(y)) => Some(Value::Float(float(*x, *y as f64))),
        (Value::Int(x), Value::Float(y)) => Some(Value::Float(float(*x as f64, *y))),
        _ => None,
    }
}

macro_rules! int_op {
    ($a:expr, $b:expr, $checked:ident, $op:tt) => {
        match (&$a, &$b) {
            (Num::I(x), Num::I(y)) => match x.$checked(*y) {
                Some(r) => Value::Int(r),
                None => Value::from_bigint(BigInt::from(*x) $op BigInt::from(*y)),
            },
            (Num::F(_), _) | (_, Num::F(_)) => Value::Float(float_of(&$a)? $op float_of(&$b)?),
            (x, y) => Value::from_bigint(big(x) $op big(y)),
        }
    };
}

/// `a + b`.
pub fn add(a: &Value, b: &Value) -> Result<Value> {
    if let Some(v) = plain_num_op(a, b, i64::checked_add, |x, y| x + y) {
        return Ok(v);
    }
    // Markup + x escapes an x with `__html__`, which a ChainableUndefined has (empty).
    if let (Value::Markup(x), Value::Undefined(u)) = (a, b) {
        if u.kind == super::UndefinedKind::Chainable {
            return Ok(Value::Markup(x.clone()));
        }
    }
    undefined_check(a, b)?;
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return Ok(int_op!(x, y, checked_add, +));
    }
    match (a, b) {
        (Value::Markup(x), Value::Str(y)) => Ok(Value::markup(format!("{}{}", x, markup::escape(y)))),
        (Value::Str(x), Value::Markup(y)) => Ok(Value::markup(format!("{}{}", markup::escape(x), y))),
        (Value::Markup(x), Value::Markup(y)) => Ok(Value::markup(format!("{}{}", x, y))),
        (Value::Str(x), Value::Str(y)) => {
            let mut s = String::with_capacity(x.len() + y.len());
            s.push_str(x);
            s.push_str(y);
            Ok(Value::from(s))
        }
        (Value::List(x), Value::List(y)) => {
            let mut v = x.lock().clone();
            v.extend(y.lock().iter().cloned());
            Ok(Value::list(v))
        }
        (Value::Tuple(x), Value::Tuple(y)) => {
            let mut v = x.as_ref().clone();
            v.extend(y.iter().cloned());
            Ok(Value::tuple(v))
        }
        (Value::Str(_) | Value::Markup(_), _) => Err(Error::new(
            ErrorKind::TypeError,
            format!("can only concatenate str (not \"{}\") to str", b.type_name()),
        )),
        (Value::List(_), _) => Err(Error::new(
            ErrorKind::TypeError,
            format!("can only concatenate list (not \"{}\") to list", b.type_name()),
        )),
        _ => complex::binary('+', a, b).unwrap_or_else(|| Err(unsupported("+", a, b))),
    }
}

/// `a - b`.
pub fn sub(a: &Value, b: &Value) -> Result<Value> {
    if let Some(v) = plain_num_op(a, b, i64::checked_sub, |x, y| x - y) {
        return Ok(v);
    }
    undefined_check(a, b)?;
    match (num(a), num(b)) {
        (Some(x), Some(y)) => Ok(int_op!(x, y, checked_sub, -)),
        _ => complex::binary('-', a, b).unwrap_or_else(|| Err(unsupported("-", a, b))),
    }
}

fn repeat(items: &[Value], n: i64) -> Vec<Value> {
    let n = n.max(0) as usize;
    let mut out = Vec::with_capacity(items.len() * n);
    for _ in 0..n {
        out.extend(items.iter().cloned());
    }
    out
}

const MAX_REPEAT: i64 = 100_000_000;

/// `a * b`.
pub fn mul(a: &Value, b: &Value) -> Result<Value> {
    if let Some(v) = plain_num_op(a, b, i64::checked_mul, |x, y| x * y) {
        return Ok(v);
    }
    undefined_check(a, b)?;
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        return Ok(int_op!(x, y, checked_mul, *));
    }
    let (seq, n) = match (a, b) {
        (s, Value::Int(_) | Value::Bool(_)) if !b.is_number() || a.as_i64().is_none() => (s, b.as_i64()),
        (Value::Int(_) | Value::Bool(_), s) => (s, a.as_i64()),
        _ => (a, None),
    };
    if let Some(r) = complex::binary('*', a, b) {
        return r;
    }
    // A sequence repeated an int past 64 bits times: CPython cannot take the count as an index
    // (even for an empty sequence).
    let is_seq = |v: &Value| matches!(v, Value::Str(_) | Value::Markup(_) | Value::List(_) | Value::Tuple(_));
    if (is_seq(a) && matches!(b, Value::BigInt(_))) || (matches!(a, Value::BigInt(_)) && is_seq(b)) {
        return Err(Error::new(ErrorKind::OverflowError, "cannot fit 'int' into an index-sized integer"));
    }
    let Some(n) = n else { return Err(unsupported("*", a, b)) };
    let len = seq.len().unwrap_or(0) as i64;
    // An empty sequence repeated any number of times is empty (and costs nothing).
    let n = if len == 0 { 0 } else { n };
    let total = len.saturating_mul(n.max(0));
    if total > MAX_REPEAT {
        return Err(Error::new(ErrorKind::OverflowError, "repeated sequence too large"));
    }
    match seq {
        Value::Str(s) => Ok(Value::from(s.repeat(n.max(0) as usize))),
        Value::Markup(s) => Ok(Value::markup(s.repeat(n.max(0) as usize))),
        Value::List(l) => Ok(Value::list(repeat(&l.lock(), n))),
        Value::Tuple(t) => Ok(Value::tuple(repeat(t, n))),
        _ => Err(unsupported("*", a, b)),
    }
}

fn zero_div(msg: &str) -> Error {
    Error::new(ErrorKind::ZeroDivisionError, msg)
}

/// `a / b` (always a float).
pub fn truediv(a: &Value, b: &Value) -> Result<Value> {
    undefined_check(a, b)?;
    match (num(a), num(b)) {
        (Some(x), Some(y)) => {
            let d = flt(&y);
            if d == 0.0 {
                return Err(zero_div(if matches!(x, Num::F(_)) || matches!(y, Num::F(_)) {
                    "float division by zero"
                } else {
                    "division by zero"
                }));
            }
            match (&x, &y) {
                (Num::F(_), _) | (_, Num::F(_)) => {}
                // Ints a float holds exactly: the float division is the correctly rounded one.
                (Num::I(p), Num::I(q)) if p.unsigned_abs() <= 1 << 53 && q.unsigned_abs() <= 1 << 53 => {}
                _ => return int_truediv(&big(&x), &big(&y)),
            }
            Ok(Value::Float(float_of(&x)? / float_of(&y)?))
        }
        _ => complex::binary('/', a, b).unwrap_or_else(|| Err(unsupported("/", a, b))),
    }
}

/// Python's int / int: the float nearest the exact quotient (`b` is not zero). A quotient of
/// 55 or 56 bits, its last bit set when the division left a remainder, rounds to the same
/// 53 bits as the exact one; it is then scaled back by a power of two.
fn int_truediv(a: &BigInt, b: &BigInt) -> Result<Value> {
    let (ma, mb) = (a.magnitude(), b.magnitude());
    let shift = 55 - (ma.bits() as i64 - mb.bits() as i64);
    let (num, den) =
        if shift >= 0 { (ma << shift as u64, mb.clone()) } else { (ma.clone(), mb << shift.unsigned_abs()) };
    let (q, r) = num.div_rem(&den);
    let q = q.to_u64().unwrap_or(u64::MAX) | u64::from(!r.is_zero());
    let mut v = q as f64;
    let mut e = -shift;
    while e > 1000 {
        v *= 2f64.powi(1000);
        e -= 1000;
    }
    while e < -1000 {
        v *= 2f64.powi(-1000);
        e += 1000;
    }
    v *= 2f64.powi(e as i32);
    if v.is_infinite() {
        return Err(Error::new(ErrorKind::OverflowError, "integer division result too large for a float"));
    }
    Ok(Value::Float(if a.is_negative() != b.is_negative() { -v } else { v }))
}

/// `a // b`.
pub fn floordiv(a: &Value, b: &Value) -> Result<Value> {
    undefined_check(a, b)?;
    match (num(a), num(b)) {
        (Some(Num::I(x)), Some(Num::I(y))) => {
            if y == 0 {
                return Err(zero_div("integer division or modulo by zero"));
            }
            match x.checked_div_euclid(y) {
                Some(_) => Ok(Value::Int(Integer::div_floor(&x, &y))),
                None => Ok(Value::from_bigint(BigInt::from(x).div_floor(&BigInt::from(y)))),
            }
        }
        (Some(x @ (Num::F(_) | Num::I(_) | Num::B(_))), Some(y)) => {
            if matches!(x, Num::F(_)) || matches!(y, Num::F(_)) {
                let d = float_of(&y)?;
                if d == 0.0 {
                    return Err(zero_div("float floor division by zero"));
                }
                let (q, _) = float_divmod(float_of(&x)?, d);
                Ok(Value::Float(q))
            } else {
                let by = big(&y);
                if by.is_zero() {
                    return Err(zero_div("integer division or modulo by zero"));
                }
                Ok(Value::from_bigint(big(&x).div_floor(&by)))
            }
        }
        _ => Err(unsupported("//", a, b)),
    }
}

fn float_divmod(x: f64, y: f64) -> (f64, f64) {
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0f64.copysign(x / y)
    };
    (floordiv, m)
}

/// `a % b` (numbers; string formatting is handled by the caller).
pub fn rem(a: &Value, b: &Value) -> Result<Value> {
    undefined_check(a, b)?;
    match (num(a), num(b)) {
        (Some(Num::I(x)), Some(Num::I(y))) => {
            if y == 0 {
                return Err(zero_div("integer division or modulo by zero"));
            }
            Ok(Value::Int(x.checked_rem(y).map(|_| x.mod_floor(&y)).unwrap_or(0)))
        }
        (Some(x), Some(y)) => {
            if matches!(x, Num::F(_)) || matches!(y, Num::F(_)) {
                let d = float_of(&y)?;
                if d == 0.0 {
                    return Err(zero_div("float modulo"));
                }
                Ok(Value::Float(float_divmod(float_of(&x)?, d).1))
            } else {
                let by = big(&y);
                if by.is_zero() {
                    return Err(zero_div("integer division or modulo by zero"));
                }
                Ok(Value::from_bigint(big(&x).mod_floor(&by)))
            }
        }
        _ => Err(unsupported("%", a, b)),
    }
}

/// Largest integer power computed, in bits (4 MiB of digits); Python has no such limit.
const MAX_POW_BITS: u64 = 1 << 25;

/// `a ** b`.
pub fn pow(a: &Value, b: &Value) -> Result<Value> {
    undefined_check(a, b)?;
    match (num(a), num(b)) {
        (Some(x), Some(Num::I(e))) if !matches!(x, Num::F(_)) && e >= 0 => {
            let b = big(&x);
            // 0, 1 and -1 stay small whatever the exponent.
            if b.magnitude() <= &num_bigint::BigUint::from(1u8) {
                let odd = e % 2 == 1;
                return Ok(Value::Int(match b.to_i64().unwrap_or(0) {
                    0 if e == 0 => 1,
                    0 => 0,
                    -1 if odd => -1,
                    _ => 1,
                }));
            }
            // A deliberate limit where Python would go on: results past MAX_POW_BITS bits.
            if b.bits().saturating_mul(e.unsigned_abs()) > MAX_POW_BITS {
                return Err(Error::new(ErrorKind::OverflowError, "exponent too large"));
            }
            if let Num::I(base) = x {
                if let Some(r) = base.checked_pow(e as u32) {
                    return Ok(Value::Int(r));
                }
            }
            Ok(Value::from_bigint(num_traits::pow(b, usize::try_from(e).unwrap_or(usize::MAX))))
        }
        // An int to a big non-negative int power: only 0, 1 and -1 stay small (an int, as in
        // Python); any other base is past MAX_POW_BITS.
        (Some(x), Some(Num::B(e))) if !matches!(x, Num::F(_)) && !e.is_negative() => match big(&x).to_i64() {
            Some(0) => Ok(Value::Int(0)),
            Some(1) => Ok(Value::Int(1)),
            Some(-1) => Ok(Value::Int(if e.is_odd() { -1 } else { 1 })),
            _ => Err(Error::new(ErrorKind::OverflowError, "exponent too large")),
        },
        (Some(x), Some(y)) => {
            let (fx, fy) = (flt(&x), flt(&y));
            // CPython's float_pow settles a NaN or infinite operand before these checks
            // (`0.0 ** -inf` is inf, `(-2.0) ** nan` is nan, `(-inf) ** 0.5` is inf).
            let finite = fx.is_finite() && fy.is_finite();
            if finite && fx == 0.0 && fy < 0.0 {
                return Err(zero_div("0.0 cannot be raised to a negative power"));
            }
            if (fx.is_infinite() && matches!(x, Num::B(_))) || (fy.is_infinite() && matches!(y, Num::B(_))) {
                return Err(Error::new(ErrorKind::OverflowError, "int too large to convert to float"));
            }
            // Python 3's float_pow hands a negative base with a fractional exponent to complex.
            if finite && fx < 0.0 && fy.fract() != 0.0 {
                return complex::float_power(fx, fy);
            }
            let r = fx.powf(fy);
            // CPython reports a finite power that overflows (errno ERANGE).
            if r.is_infinite() && fx.is_finite() && fy.is_finite() {
                return Err(Error::new(ErrorKind::OverflowError, "(34, 'Numerical result out of range')"));
            }
            Ok(Value::Float(r))
        }
        _ => complex::binary('^', a, b).unwrap_or_else(|| Err(unsupported("** or pow()", a, b))),
    }
}

/// Unary minus.
pub fn neg(a: &Value) -> Result<Value> {
    match a {
        Value::Undefined(u) => Err(u.error()),
        Value::Int(i) => {
            Ok(i.checked_neg().map(Value::Int).unwrap_or_else(|| Value::from_bigint(-BigInt::from(*i))))
        }
        Value::Bool(b) => Ok(Value::Int(-(*b as i64))),
        Value::BigInt(b) => Ok(Value::from_bigint(-b.as_ref().clone())),
        Value::Float(f) => Ok(Value::Float(-f)),
        Value::Object(_) if complex::of(a).is_some() => {
            Ok(complex::of(a).map_or(Value::None, |c| complex::Complex::value(-c.re, -c.im)))
        }
        _ => Err(Error::new(
            ErrorKind::TypeError,
            format!("bad operand type for unary -: '{}'", a.type_name()),
        )),
    }
}

/// Unary plus.
pub fn pos(a: &Value) -> Result<Value> {
    match a {
        Value::Undefined(u) => Err(u.error()),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Int(_) | Value::BigInt(_) | Value::Float(_) => Ok(a.clone()),
        Value::Object(_) if complex::of(a).is_some() => Ok(a.clone()),
        _ => Err(Error::new(
            ErrorKind::TypeError,
            format!("bad operand type for unary +: '{}'", a.type_name()),
        )),
    }
}

/// Python `==` (never fails; StrictUndefined is checked by the caller).
pub fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Str(x) | Value::Markup(x), Value::Str(y) | Value::Markup(y)) => x == y,
        (Value::None, Value::None) => true,
        (Value::Undefined(x), Value::Undefined(y)) => x.kind == y.kind,
        (Value::List(x), Value::List(y)) => {
            if Arc::ptr_eq(x, y) {
                return true;
            }
            let (x, y) = (x.snapshot(), y.snapshot());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| loose_eq(p, q))
        }
        (Value::Tuple(x), Value::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| loose_eq(p, q))
        }
        (Value::Dict(x), Value::Dict(y)) => {
            if Arc::ptr_eq(x, y) {
                return true;
            }
            let x = x.lock().clone();
            let y = y.lock().clone();
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| loose_eq(v, w)))
        }
        (Value::Object(x), Value::Object(y)) => {
            Arc::ptr_eq(x, y)
                || x.same_as(&**y)
                || match (x.as_tuple(), y.as_tuple()) {
                    (Some(p), Some(q)) => {
                        p.len() == q.len() && p.iter().zip(q.iter()).all(|(a, b)| loose_eq(a, b))
                    }
                    _ => false,
                }
        }
        (Value::Object(o), Value::Tuple(t)) | (Value::Tuple(t), Value::Object(o)) => match o.as_tuple() {
            Some(items) => items.len() == t.len() && items.iter().zip(t.iter()).all(|(p, q)| loose_eq(p, q)),
            None => false,
        },
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => num_cmp(&x, &y) == Some(Ordering::Equal),
            _ => complex::eq_number(a, b).unwrap_or(false),
        },
    }
}

/// Python `==` that fails on StrictUndefined.
pub fn eq(a: &Value, b: &Value) -> Result<bool> {
    for v in [a, b] {
        if let Value::Undefined(u) = v {
            if u.kind == super::UndefinedKind::Strict {
                return Err(u.error());
            }
        }
    }
    match (a, b) {
        // Python compares lists and tuples item by item (after the lengths), so a
        // StrictUndefined inside raises when its turn comes.
        (Value::List(x), Value::List(y)) if !Arc::ptr_eq(x, y) => {
            let (x, y) = (x.snapshot(), y.snapshot());
            seq_eq(&x, &y)
        }
        (Value::Tuple(x), Value::Tuple(y)) => seq_eq(x, y),
        _ => Ok(loose_eq(a, b)),
    }
}

fn seq_eq(x: &[Value], y: &[Value]) -> Result<bool> {
    if x.len() != y.len() {
        return Ok(false);
    }
    for (p, q) in x.iter().zip(y.iter()) {
        if !eq(p, q)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// `item in items` over a sequence: Python's `==` per item, which a StrictUndefined on
/// either side raises.
fn seq_contains(items: &[Value], item: &Value) -> Result<bool> {
    for v in items {
        if eq(v, item)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Python ordering (`<` and friends); `op` names the operator for the TypeError.
pub fn cmp(a: &Value, b: &Value, op: &str) -> Result<Ordering> {
    // Two ints or two (non-NaN) floats, the usual comparison, decided in place.
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => return Ok(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => {
            if let Some(o) = x.partial_cmp(y) {
                return Ok(o);
            }
        }
        _ => {}
    }
    undefined_check(a, b)?;
    if let (Some(x), Some(y)) = (num(a), num(b)) {
        // NaN compares false with everything: reported as not-less, not-greater.
        return num_cmp(&x, &y).ok_or_else(|| Error::new(ErrorKind::ValueError, "nan"));
    }
    match (a, b) {
        (Value::Str(x) | Value::Markup(x), Value::Str(y) | Value::Markup(y)) => {
            Ok(x.as_ref().cmp(y.as_ref()))
        }
        (Value::List(x), Value::List(y)) => {
            // Snapshots, not two guards at once: `a < a` would lock one list twice.
            let (x, y) = (x.snapshot(), y.snapshot());
            seq_cmp(&x, &y, op)
        }
        (Value::Tuple(x), Value::Tuple(y)) => seq_cmp(x, y, op),
        // Namedtuples (groupby's) order as the tuples they are.
        (Value::Object(o), Value::Tuple(t)) if o.as_tuple().is_some() => {
            seq_cmp(&o.as_tuple().unwrap_or_default(), t, op)
        }
        (Value::Tuple(t), Value::Object(o)) if o.as_tuple().is_some() => {
            seq_cmp(t, &o.as_tuple().unwrap_or_default(), op)
        }
        (Value::Object(x), Value::Object(y)) if x.as_tuple().is_some() && y.as_tuple().is_some() => {
            seq_cmp(&x.as_tuple().unwrap_or_default(), &y.as_tuple().unwrap_or_default(), op)
        }
        // Key and item views order as sets (subsets).
        (Value::Object(_), Value::Object(_)) if let Some(r) = crate::methods::view_order(a, b, op) => r,
        _ => Err(Error::new(
            ErrorKind::TypeError,
            format!(
                "'{}' not supported between instances of '{}' and '{}'",
                op,
                a.type_name(),
                b.type_name()
            ),
        )),
    }
}

fn seq_cmp(x: &[Value], y: &[Value], op: &str) -> Result<Ordering> {
    for (p, q) in x.iter().zip(y.iter()) {
        if !loose_eq(p, q) {
            return cmp(p, q, op);
        }
    }
    Ok(x.len().cmp(&y.len()))
}

/// A total order for sorting: like `cmp`, but never fails (mixed kinds order by kind).
pub fn sort_cmp(a: &Value, b: &Value) -> Ordering {
    cmp(a, b, "<").unwrap_or_else(|_| kind_rank(a).cmp(&kind_rank(b)))
}

fn kind_rank(v: &Value) -> u8 {
    match v {
        Value::Undefined(_) | Value::None => 0,
        Value::Bool(_) | Value::Int(_) | Value::BigInt(_) | Value::Float(_) => 1,
        Value::Str(_) | Value::Markup(_) => 2,
        Value::List(_) => 3,
        Value::Tuple(_) => 4,
        Value::Dict(_) => 5,
        Value::Object(_) => 6,
    }
}

/// Python's `item in container`.
pub fn contains(container: &Value, item: &Value) -> Result<bool> {
    match container {
        Value::Str(s) | Value::Markup(s) => match item {
            Value::Str(x) | Value::Markup(x) => Ok(s.contains(x.as_ref())),
            Value::Undefined(u) => Err(u.error()),
            _ => Err(Error::new(
                ErrorKind::TypeError,
                format!("'in <string>' requires string as left operand, not {}", item.type_name()),
            )),
        },
        Value::List(l) => {
            let items = l.lock().clone();
            seq_contains(&items, item)
        }
        Value::Tuple(t) => seq_contains(t, item),
        Value::Dict(d) => {
            item.hash_check()?;
            Ok(d.lock().contains_key(item))
        }
        Value::Undefined(u) => {
            if u.kind == super::UndefinedKind::Strict {
                Err(u.error())
            } else {
                Ok(false)
            }
        }
        Value::Object(o) => match o.contains(item) {
            Some(r) => r,
            None => match o.iter() {
                Some(items) => seq_contains(&items, item),
                None => Err(Error::new(
                    ErrorKind::TypeError,
                    format!("argument of type '{}' is not iterable", o.type_name()),
                )),
            },
        },
        _ => Err(Error::new(
            ErrorKind::TypeError,
            format!("argument of type '{}' is not iterable", container.type_name()),
        )),
    }
}

/// Whether a big int is negative (helper for filters).
pub fn is_negative(v: &Value) -> bool {
    match v {
        Value::Int(i) => *i < 0,
        Value::BigInt(b) => b.is_negative(),
        Value::Float(f) => *f < 0.0,
        _ => false,
    }
}
