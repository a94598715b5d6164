//! Python's complex numbers, as far as a template reaches them: a negative number raised to a
//! fractional power gives one (Python 3's `float.__pow__`), and templates compute with it.
//! CPython's semantics (Objects/complexobject.c of 3.11): repr, `+ - * / **`, unary signs,
//! `==` against numbers, hashing, `abs`, `.real` `.imag` `.conjugate()` and `__format__`.
//! A complex is an [`Object`], so the core value kinds and the VM's hot paths are unchanged;
//! the numeric operators ask for it only after their int and float paths.

use std::any::Any;

use num_traits::ToPrimitive;

use super::{repr::float_repr, Args, Object, Value};
use crate::error::{Error, ErrorKind, Result};
use crate::vm::State;

/// A complex number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Complex {
    /// The real part.
    pub re: f64,
    /// The imaginary part.
    pub im: f64,
}

impl Complex {
    /// `re + im*j` as a value.
    pub fn value(re: f64, im: f64) -> Value {
        Value::object(Complex { re, im })
    }
}

/// The complex a value holds, if it is one.
pub fn of(v: &Value) -> Option<Complex> {
    v.downcast_object::<Complex>().copied()
}

/// One part of a repr: the float's repr without the `.0` Python adds to integral floats
/// (`PyOS_double_to_string(x, 'r', 0, flags)`), with `+` before a non-negative (or NaN)
/// imaginary part when `sign`.
fn part(f: f64, sign: bool) -> String {
    let mut r = float_repr(f);
    if r.ends_with(".0") {
        r.truncate(r.len() - 2);
    }
    if sign && !r.starts_with('-') {
        r.insert(0, '+');
    }
    r
}

/// CPython's `complex_repr` (also its `str()`): `2j` when the real part is +0.0, else
/// `(re+imj)`.
pub fn repr(c: Complex) -> String {
    if c.re == 0.0 && c.re.is_sign_positive() {
        format!("{}j", part(c.im, false))
    } else {
        format!("({}{}j)", part(c.re, false), part(c.im, true))
    }
}

impl Object for Complex {
    fn type_name(&self) -> &str {
        "complex"
    }
    fn get_attr(&self, name: &str) -> Option<Value> {
        match name {
            "real" => Some(Value::Float(self.re)),
            "imag" => Some(Value::Float(self.im)),
            _ => None,
        }
    }
    fn method_names(&self) -> &'static [&'static str] {
        &["conjugate"]
    }
    fn call_method(&self, _state: &mut State, name: &str, args: &Args) -> Option<Result<Value>> {
        if name != "conjugate" {
            return None;
        }
        Some(if !args.kwargs.is_empty() {
            Err(Error::new(ErrorKind::TypeError, "complex.conjugate() takes no keyword arguments"))
        } else if !args.args.is_empty() {
            Err(Error::new(
                ErrorKind::TypeError,
                format!("complex.conjugate() takes no arguments ({} given)", args.args.len()),
            ))
        } else {
            Ok(Complex::value(self.re, -self.im))
        })
    }
    fn is_true(&self) -> bool {
        self.re != 0.0 || self.im != 0.0
    }
    fn to_str(&self) -> String {
        repr(*self)
    }
    fn repr(&self) -> String {
        repr(*self)
    }
    fn same_as(&self, other: &dyn Object) -> bool {
        other.as_any().downcast_ref::<Complex>().is_some_and(|o| o.re == self.re && o.im == self.im)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// Python's `TO_COMPLEX`: a number as a complex (an int too large for a float is an
/// OverflowError); `None` for other kinds (the operator is not supported).
fn operand(v: &Value) -> Option<Result<Complex>> {
    let re = match v {
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Int(i) => *i as f64,
        Value::Float(f) => *f,
        Value::BigInt(b) => match b.to_f64().filter(|f| f.is_finite()) {
            Some(f) => f,
            None => {
                return Some(Err(Error::new(ErrorKind::OverflowError, "int too large to convert to float")))
            }
        },
        Value::Object(_) => return of(v).map(Ok),
        _ => return None,
    };
    Some(Ok(Complex { re, im: 0.0 }))
}

fn prod(a: Complex, b: Complex) -> Complex {
    Complex { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re }
}

/// CPython 3.11's `_Py_c_quot` (Smith's method); `None` for a zero divisor (EDOM).
fn quot(a: Complex, b: Complex) -> Option<Complex> {
    let (abs_re, abs_im) = (b.re.abs(), b.im.abs());
    if abs_re >= abs_im {
        if abs_re == 0.0 {
            return None;
        }
        let ratio = b.im / b.re;
        let denom = b.re + b.im * ratio;
        Some(Complex { re: (a.re + a.im * ratio) / denom, im: (a.im - a.re * ratio) / denom })
    } else if abs_im >= abs_re {
        let ratio = b.re / b.im;
        let denom = b.re * ratio + b.im;
        Some(Complex { re: (a.re * ratio + a.im) / denom, im: (a.im * ratio - a.re) / denom })
    } else {
        Some(Complex { re: f64::NAN, im: f64::NAN })
    }
}

/// `_Py_c_pow`; `None` for EDOM (zero to a negative or complex power, or the sine or cosine
/// of an infinite phase, which the C library reports so).
fn c_pow(a: Complex, b: Complex) -> Option<Complex> {
    if b.re == 0.0 && b.im == 0.0 {
        return Some(Complex { re: 1.0, im: 0.0 });
    }
    if a.re == 0.0 && a.im == 0.0 {
        if b.im != 0.0 || b.re < 0.0 {
            return None;
        }
        return Some(Complex { re: 0.0, im: 0.0 });
    }
    let vabs = a.re.hypot(a.im);
    let mut len = vabs.powf(b.re);
    let at = a.im.atan2(a.re);
    let mut phase = at * b.re;
    if b.im != 0.0 {
        len /= (at * b.im).exp();
        phase += b.im * vabs.ln();
    }
    if phase.is_infinite() {
        return None;
    }
    Some(Complex { re: len * phase.cos(), im: len * phase.sin() })
}

/// `c_powu`: `x ** n` for `n >= 0` by squaring.
fn powu(x: Complex, n: i64) -> Complex {
    let mut r = Complex { re: 1.0, im: 0.0 };
    let mut p = x;
    let mut mask: i64 = 1;
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = prod(r, p);
        }
        mask <<= 1;
        p = prod(p, p);
    }
    r
}

/// `complex_pow`: a small integral exponent multiplies, any other goes through polar form.
fn power(a: Complex, b: Complex) -> Result<Value> {
    let p = if b.im == 0.0 && b.re == b.re.floor() && b.re.abs() <= 100.0 {
        let n = b.re as i64;
        if n > 0 {
            Some(powu(a, n))
        } else {
            quot(Complex { re: 1.0, im: 0.0 }, powu(a, -n))
        }
    } else {
        c_pow(a, b)
    };
    match p {
        None => Err(Error::new(ErrorKind::ZeroDivisionError, "0.0 to a negative or complex power")),
        Some(p) if p.re.is_infinite() || p.im.is_infinite() => {
            Err(Error::new(ErrorKind::OverflowError, "complex exponentiation"))
        }
        Some(p) => Ok(Complex::value(p.re, p.im)),
    }
}

/// `x ** y` for two floats where Python's `float.__pow__` hands over to complex (a negative
/// base, a fractional exponent).
pub fn float_power(x: f64, y: f64) -> Result<Value> {
    power(Complex { re: x, im: 0.0 }, Complex { re: y, im: 0.0 })
}

/// `a op b` when either side is a complex and the other a number or complex (`op` one of
/// `+ - * /`, or `^` for `**`); `None` when neither is a complex or the other side is no number, so that the
/// caller reports the unsupported operand types.
pub fn binary(op: char, a: &Value, b: &Value) -> Option<Result<Value>> {
    if of(a).is_none() && of(b).is_none() {
        return None;
    }
    let (x, y) = (operand(a)?, operand(b)?);
    Some(x.and_then(|x| {
        let y = y?;
        let r = match op {
            '+' => Complex { re: x.re + y.re, im: x.im + y.im },
            '-' => Complex { re: x.re - y.re, im: x.im - y.im },
            '*' => prod(x, y),
            '/' => quot(x, y)
                .ok_or_else(|| Error::new(ErrorKind::ZeroDivisionError, "complex division by zero"))?,
            _ => return power(x, y),
        };
        Ok(Complex::value(r.re, r.im))
    }))
}

/// Python's `==` of a complex and a number (`None` when neither side is a complex, or the
/// other is no number): equal when the imaginary part is zero and the real part equals the
/// number exactly.
pub fn eq_number(a: &Value, b: &Value) -> Option<bool> {
    let (c, n) = match (of(a), of(b)) {
        (Some(c), _) => (c, b),
        (None, Some(c)) => (c, a),
        _ => return None,
    };
    if !n.is_number() {
        return None;
    }
    Some(c.im == 0.0 && super::ops::loose_eq(&Value::Float(c.re), n))
}

/// `abs(c)`: `_Py_c_abs` (an infinite part gives inf, even beside a NaN).
pub fn abs(c: Complex) -> Result<Value> {
    if c.re.is_infinite() || c.im.is_infinite() {
        return Ok(Value::Float(f64::INFINITY));
    }
    if c.re.is_nan() || c.im.is_nan() {
        return Ok(Value::Float(f64::NAN));
    }
    let r = c.re.hypot(c.im);
    if r.is_infinite() {
        return Err(Error::new(ErrorKind::OverflowError, "absolute value too large"));
    }
    Ok(Value::Float(r))
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn repr_like_cpython() {
        let r = |re: f64, im: f64| repr(Complex { re, im });
        assert_eq!(r(0.0, 2.0), "2j");
        assert_eq!(r(-0.0, -2.0), "(-0-2j)");
        assert_eq!(r(0.0, -0.0), "-0j");
        assert_eq!(r(f64::NAN, f64::INFINITY), "(nan+infj)");
        assert_eq!(r(1.5, f64::NAN), "(1.5+nanj)");
        assert_eq!(r(1e16, 1e-5), "(1e+16+1e-05j)");
    }

    #[test]
    fn negative_base_fractional_power() {
        let v = float_power(-8.0, 0.5).map(|v| v.repr()).unwrap_or_default();
        assert_eq!(v, "(1.7319121124709868e-16+2.8284271247461903j)");
    }
}
