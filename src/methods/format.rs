//! Python's `str.format` (`{}`, `{0}`, `{name}`, `{0.attr}`, `{0[key]}`, `!r !s !a`, nested
//! `{:{width}}`) and the format-spec mini-language (`[[fill]align][sign][#][0][width][,_]
//! [.precision][type]`) for str, int and float; Markup's escaping variant.

use num_bigint::BigInt;
use num_traits::{Signed, ToPrimitive};

use crate::error::{Error, ErrorKind, Result};
use crate::filters::printf::format_float_abs;
use crate::filters::{has_html, py_str, type_error, value_error, MAX_SIZE};
use crate::value::{complex, markup, Str, Value};

struct Ctx<'a> {
    args: &'a [Value],
    kwargs: &'a [(Str, Value)],
    auto: Option<usize>,
    manual: bool,
    escape: bool,
}

/// `fmt.format(*args, **kwargs)`; with `escape`, Markup's `format` (arguments escaped).
pub fn str_format(fmt: &str, args: &[Value], kwargs: &[(Str, Value)], escape: bool) -> Result<String> {
    let mut ctx = Ctx { args, kwargs, auto: Some(0), manual: false, escape };
    vformat(&mut ctx, fmt, 2)
}

fn vformat(ctx: &mut Ctx, fmt: &str, depth: usize) -> Result<String> {
    let chars: Vec<char> = fmt.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '{' {
            if chars.get(i + 1) == Some(&'{') {
                out.push('{');
                i += 2;
                continue;
            }
            // find the matching close brace, allowing nested braces in the spec
            let mut level = 1;
            let mut j = i + 1;
            while j < chars.len() {
                match chars[j] {
                    '{' => level += 1,
                    '}' => {
                        level -= 1;
                        if level == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if j >= chars.len() {
                return Err(value_error("expected '}' before end of string"));
            }
            let field: String = chars[i + 1..j].iter().collect();
            if depth == 0 {
                return Err(value_error("Max string recursion exceeded"));
            }
            out.push_str(&replacement(ctx, &field, depth)?);
            i = j + 1;
        } else if c == '}' {
            if chars.get(i + 1) == Some(&'}') {
                out.push('}');
                i += 2;
                continue;
            }
            return Err(value_error("Single '}' encountered in format string"));
        } else {
            out.push(c);
            i += 1;
        }
    }
    Ok(out)
}

fn replacement(ctx: &mut Ctx, field: &str, depth: usize) -> Result<String> {
    // split field_name [!conv] [:spec]
    let mut name_end = field.len();
    let mut in_bracket = false;
    for (idx, ch) in field.char_indices() {
        match ch {
            '[' => in_bracket = true,
            ']' => in_bracket = false,
            '!' | ':' if !in_bracket => {
                name_end = idx;
                break;
            }
            _ => {}
        }
    }
    let name = &field[..name_end];
    let mut rest = &field[name_end..];
    let mut conversion = None;
    if let Some(r) = rest.strip_prefix('!') {
        let mut it = r.chars();
        let conv =
            it.next().ok_or_else(|| value_error("end of string while looking for conversion specifier"))?;
        let after = it.as_str();
        if !after.is_empty() && !after.starts_with(':') {
            return Err(value_error("expected ':' after conversion specifier"));
        }
        conversion = Some(conv);
        rest = after;
    }
    let spec_raw = rest.strip_prefix(':').unwrap_or("");
    let mut value = lookup(ctx, name)?;
    let spec = if spec_raw.contains('{') { vformat(ctx, spec_raw, depth - 1)? } else { spec_raw.to_string() };
    if let Some(conv) = conversion {
        value = match conv {
            'r' => Value::from(value.repr()),
            's' => Value::from(py_str(&value)?),
            'a' => Value::from(crate::value::repr::ascii_escape(&value.repr())),
            other => {
                return Err(value_error(format!("Unknown conversion specifier {}", other)));
            }
        };
    }
    if ctx.escape {
        if has_html(&value) {
            if !spec.is_empty() {
                return Err(value_error("Unsupported format specification for Markup."));
            }
            return py_str(&value);
        }
        let s = format_value(&value, &spec)?;
        return Ok(markup::escape(&s));
    }
    format_value(&value, &spec)
}

fn lookup(ctx: &mut Ctx, name: &str) -> Result<Value> {
    let first_end = name.find(['.', '[']).unwrap_or(name.len());
    let first = &name[..first_end];
    let mut value = if first.is_empty() {
        if ctx.manual {
            return Err(value_error(
                "cannot switch from manual field specification to automatic field numbering",
            ));
        }
        let idx = ctx.auto.unwrap_or(0);
        ctx.auto = Some(idx + 1);
        ctx.args.get(idx).cloned().ok_or_else(|| {
            Error::new(
                ErrorKind::IndexError,
                format!("Replacement index {} out of range for positional args tuple", idx),
            )
        })?
    } else if first.chars().all(|c| c.is_ascii_digit()) {
        if ctx.auto.is_some_and(|a| a > 0) {
            return Err(value_error(
                "cannot switch from automatic field numbering to manual field specification",
            ));
        }
        ctx.manual = true;
        ctx.auto = None;
        let idx: usize = first.parse().unwrap_or(usize::MAX);
        ctx.args.get(idx).cloned().ok_or_else(|| {
            Error::new(
                ErrorKind::IndexError,
                format!("Replacement index {} out of range for positional args tuple", idx),
            )
        })?
    } else {
        ctx.kwargs
            .iter()
            .find(|(k, _)| &**k == first)
            .map(|(_, v)| v.clone())
            .ok_or_else(|| Error::new(ErrorKind::KeyError, crate::value::repr::str_repr(first)))?
    };
    let mut rest = &name[first_end..];
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let attr = &r[..end];
            if attr.is_empty() {
                return Err(value_error("Empty attribute in format string"));
            }
            value = match value.get_attr_raw(attr) {
                Some(v) => v,
                None if crate::methods::has_method(&value, attr) => {
                    crate::methods::bound_method(&value, attr)
                }
                None => {
                    return Err(Error::new(
                        ErrorKind::AttributeError,
                        format!("'{}' object has no attribute '{}'", value.type_name(), attr),
                    ))
                }
            };
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').ok_or_else(|| value_error("Missing ']' in format string"))?;
            let key = &r[..end];
            let k = if !key.is_empty() && key.chars().all(|c| c.is_ascii_digit()) {
                Value::Int(key.parse().unwrap_or(i64::MAX))
            } else {
                Value::from(key)
            };
            value = match value.get_item_raw(&k) {
                Some(v) => v,
                None => {
                    return Err(match &value {
                        Value::Dict(_) => Error::new(ErrorKind::KeyError, k.repr()),
                        Value::List(_) | Value::Tuple(_) if matches!(k, Value::Int(_)) => Error::new(
                            ErrorKind::IndexError,
                            format!("{} index out of range", value.type_name()),
                        ),
                        Value::List(_) | Value::Tuple(_) => type_error(format!(
                            "{} indices must be integers or slices, not str",
                            value.type_name()
                        )),
                        _ => type_error(format!("'{}' object is not subscriptable", value.type_name())),
                    })
                }
            };
            rest = &r[end + 1..];
            if !rest.is_empty() && !rest.starts_with(['.', '[']) {
                return Err(value_error("Only '.' or '[' may follow ']' in format field specifier"));
            }
        } else {
            return Err(value_error("Only '.' or '[' may follow ']' in format field specifier"));
        }
    }
    Ok(value)
}

/// A parsed format spec.
#[derive(Default, Debug, Clone)]
struct Spec {
    fill: Option<char>,
    align: Option<char>,
    sign: Option<char>,
    alt: bool,
    zero: bool,
    width: usize,
    grouping: Option<char>,
    precision: Option<usize>,
    ty: Option<char>,
    /// `z`: a negative zero (after rounding) prints without its sign.
    no_neg_zero: bool,
}

fn parse_spec(spec: &str) -> Result<Spec> {
    let chars: Vec<char> = spec.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '^' | '=');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if let Some(&c) = chars.get(i) {
        if matches!(c, '+' | '-' | ' ') {
            s.sign = Some(c);
            i += 1;
        }
    }
    if chars.get(i) == Some(&'z') {
        s.no_neg_zero = true;
        i += 1;
    }
    if chars.get(i) == Some(&'#') {
        s.alt = true;
        i += 1;
    }
    if chars.get(i) == Some(&'0') {
        s.zero = true;
        i += 1;
    }
    let mut w: usize = 0;
    while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
        w = w.saturating_mul(10).saturating_add(d as usize);
        i += 1;
    }
    s.width = w;
    if let Some(&c) = chars.get(i) {
        if c == ',' || c == '_' {
            s.grouping = Some(c);
            i += 1;
        }
    }
    if chars.get(i) == Some(&'.') {
        i += 1;
        let start = i;
        let mut p: usize = 0;
        while let Some(d) = chars.get(i).and_then(|c| c.to_digit(10)) {
            p = p.saturating_mul(10).saturating_add(d as usize);
            i += 1;
        }
        if i == start {
            return Err(value_error("Format specifier missing precision"));
        }
        s.precision = Some(p);
    }
    if i < chars.len() {
        if i + 1 < chars.len() {
            return Err(value_error("Invalid format specifier"));
        }
        s.ty = Some(chars[i]);
    }
    if s.width > MAX_SIZE || s.precision.unwrap_or(0) > MAX_SIZE {
        return Err(value_error("Too many decimal digits in format string"));
    }
    Ok(s)
}

/// CPython's check of a thousands separator against the type (`default_ty` when none is
/// given): `,` with the decimal and float types, `_` also with `b o x X`.
fn check_grouping(spec: &Spec, default_ty: char) -> Result<()> {
    let Some(g) = spec.grouping else { return Ok(()) };
    let ty = spec.ty.unwrap_or(default_ty);
    match ty {
        'd' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F' | '\0' => Ok(()),
        'b' | 'o' | 'x' | 'X' if g == '_' => Ok(()),
        _ => Err(value_error(format!("Cannot specify '{}' with '{}'.", g, ty))),
    }
}

/// The fill and alignment in effect: a `0` before the width fills with zeros unless a fill
/// is given, and aligns numbers (default `>`) on the sign, as `=` does, unless an alignment is.
fn fill_align(spec: &Spec, default_align: char) -> (char, char) {
    let fill = spec.fill.unwrap_or(if spec.zero { '0' } else { ' ' });
    let al = spec.align.unwrap_or(if spec.zero && default_align == '>' { '=' } else { default_align });
    (fill, al)
}

/// Group `digits` with `sep` every `every` digits; zero padding (`0` fill, `=` alignment)
/// grows them with leading zeros (grouped too) to `min_width` characters, never starting
/// with a separator, as CPython does.
fn group_padded(digits: &str, sep: char, every: usize, min_width: usize) -> String {
    let n = digits.chars().count();
    let mut total = n;
    while total + total.saturating_sub(1) / every < min_width {
        total += 1;
    }
    let padded: String = std::iter::repeat_n('0', total - n).chain(digits.chars()).collect();
    group_digits(&padded, sep, every)
}

fn align(body: &str, sign_prefix: &str, spec: &Spec, default_align: char) -> String {
    let len = body.chars().count() + sign_prefix.chars().count();
    let (fill, al) = fill_align(spec, default_align);
    if len >= spec.width {
        return format!("{}{}", sign_prefix, body);
    }
    let pad = spec.width - len;
    let f = |n: usize| fill.to_string().repeat(n);
    match al {
        '<' => format!("{}{}{}", sign_prefix, body, f(pad)),
        '^' => format!("{}{}{}{}", f(pad / 2), sign_prefix, body, f(pad - pad / 2)),
        '=' => format!("{}{}{}", sign_prefix, f(pad), body),
        _ => format!("{}{}{}", f(pad), sign_prefix, body),
    }
}

fn group_digits(digits: &str, sep: char, every: usize) -> String {
    let chars: Vec<char> = digits.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && (chars.len() - i).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(*c);
    }
    out
}

fn sign_str(negative: bool, spec: &Spec) -> &'static str {
    if negative {
        "-"
    } else {
        match spec.sign {
            Some('+') => "+",
            Some(' ') => " ",
            _ => "",
        }
    }
}

/// Python's `format(value, spec)` for the builtin types.
pub fn format_value(value: &Value, spec: &str) -> Result<String> {
    match value {
        Value::Undefined(u) => {
            if spec.is_empty() {
                return py_str(value);
            }
            let _ = u;
            Err(type_error("unsupported format string passed to Undefined.__format__"))
        }
        Value::Str(s) | Value::Markup(s) => {
            let sp = parse_spec(spec)?;
            check_grouping(&sp, 's')?;
            if let Some(t) = sp.ty {
                if t != 's' {
                    return Err(value_error(format!("Unknown format code '{}' for object of type 'str'", t)));
                }
            }
            if sp.no_neg_zero {
                return Err(value_error("Negative zero coercion (z) not allowed in string format specifier"));
            }
            if sp.sign.is_some() {
                return Err(value_error("Sign not allowed in string format specifier"));
            }
            if sp.alt {
                return Err(value_error("Alternate form (#) not allowed in string format specifier"));
            }
            if sp.align == Some('=') {
                return Err(value_error("'=' alignment not allowed in string format specifier"));
            }
            let body: String = match sp.precision {
                Some(p) => s.chars().take(p).collect(),
                None => s.to_string(),
            };
            Ok(align(&body, "", &sp, '<'))
        }
        Value::Bool(_) if spec.is_empty() => Ok(value.to_str()),
        Value::Int(_) | Value::BigInt(_) | Value::Bool(_) => {
            let n: BigInt = match value {
                Value::Int(i) => BigInt::from(*i),
                Value::Bool(b) => BigInt::from(*b as i64),
                Value::BigInt(b) => b.as_ref().clone(),
                _ => BigInt::from(0),
            };
            let sp = parse_spec(spec)?;
            check_grouping(&sp, 'd')?;
            match sp.ty {
                Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => {
                    let f = n.to_f64().unwrap_or(f64::INFINITY);
                    format_float(f, &sp)
                }
                ty => {
                    if sp.precision.is_some() {
                        return Err(value_error("Precision not allowed in integer format specifier"));
                    }
                    if sp.no_neg_zero && matches!(ty, None | Some('d' | 'n' | 'b' | 'o' | 'x' | 'X' | 'c')) {
                        return Err(value_error(
                            "Negative zero coercion (z) not allowed in integer format specifier",
                        ));
                    }
                    if ty == Some('c') {
                        if sp.sign.is_some() {
                            return Err(value_error("Sign not allowed with integer format specifier 'c'"));
                        }
                        if sp.alt {
                            return Err(value_error(
                                "Alternate form (#) not allowed with integer format specifier 'c'",
                            ));
                        }
                        let c = n.to_u32().and_then(char::from_u32).ok_or_else(|| {
                            Error::new(ErrorKind::OverflowError, "%c arg not in range(0x110000)")
                        })?;
                        return Ok(align(&c.to_string(), "", &sp, '<'));
                    }
                    let mag = n.abs();
                    let (digits, prefix, every) = match ty {
                        None | Some('d') | Some('n') => (mag.to_string(), "", 3),
                        Some('b') => (mag.to_str_radix(2), "0b", 4),
                        Some('o') => (mag.to_str_radix(8), "0o", 4),
                        Some('x') => (mag.to_str_radix(16), "0x", 4),
                        Some('X') => (mag.to_str_radix(16).to_uppercase(), "0X", 4),
                        Some(t) => {
                            return Err(value_error(format!(
                                "Unknown format code '{}' for object of type 'int'",
                                t
                            )))
                        }
                    };
                    let mut sign = sign_str(n.is_negative(), &sp).to_string();
                    if sp.alt {
                        sign.push_str(prefix);
                    }
                    let digits = match sp.grouping {
                        Some(g) => {
                            let min = match fill_align(&sp, '>') {
                                ('0', '=') => sp.width.saturating_sub(sign.chars().count()),
                                _ => 0,
                            };
                            group_padded(&digits, g, every, min)
                        }
                        None => digits,
                    };
                    Ok(align(&digits, &sign, &sp, '>'))
                }
            }
        }
        Value::Float(f) => {
            let sp = parse_spec(spec)?;
            check_grouping(&sp, '\0')?;
            format_float(*f, &sp)
        }
        Value::Object(_) if complex::of(value).is_some() => {
            let c = complex::of(value).unwrap_or(complex::Complex { re: 0.0, im: 0.0 });
            if spec.is_empty() {
                return Ok(complex::repr(c));
            }
            let sp = parse_spec(spec)?;
            check_grouping(&sp, '\0')?;
            format_complex(c, &sp)
        }
        _ => {
            if spec.is_empty() {
                py_str(value)
            } else {
                Err(type_error(format!(
                    "unsupported format string passed to {}.__format__",
                    value.type_name()
                )))
            }
        }
    }
}

/// CPython's `format_complex_internal`: each part formatted as a float with the spec's type,
/// precision, sign and grouping (the imaginary part always signed unless the real part is
/// left out), then `j`, then the width. Without a type the parts are reprs without `.0`
/// (or `g` with a precision), in parentheses unless the real part is +0.0, which is omitted.
fn format_complex(c: complex::Complex, sp: &Spec) -> Result<String> {
    match sp.ty {
        None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | 'n') => {}
        Some(t) => {
            return Err(value_error(format!("Unknown format code '{}' for object of type 'complex'", t)))
        }
    }
    let (fill, al) = fill_align(sp, '>');
    if fill == '0' {
        return Err(value_error("Zero padding is not allowed in complex format specifier"));
    }
    if al == '=' {
        return Err(value_error("'=' alignment flag is not allowed in complex format specifier"));
    }
    let bare = sp.ty.is_none();
    let skip_re = bare && c.re == 0.0 && c.re.is_sign_positive();
    let mut part = sp.clone();
    part.fill = None;
    part.align = None;
    part.zero = false;
    part.width = 0;
    if bare && sp.precision.is_some() {
        part.ty = Some('g');
    }
    let mut body = String::new();
    if bare && !skip_re {
        body.push('(');
    }
    if !skip_re {
        body.push_str(&format_float_part(c.re, &part, true)?);
        part.sign = Some('+');
    }
    body.push_str(&format_float_part(c.im, &part, true)?);
    body.push('j');
    if bare && !skip_re {
        body.push(')');
    }
    Ok(align(&body, "", sp, '>'))
}

fn format_float(f: f64, sp: &Spec) -> Result<String> {
    format_float_part(f, sp, false)
}

/// [`format_float`]; `complex_part` leaves out the `.0` the repr (no type, no precision) of an
/// integral float has, as complex parts do.
fn format_float_part(f: f64, sp: &Spec, complex_part: bool) -> Result<String> {
    let body = match sp.ty {
        None => match sp.precision {
            None => {
                let mut r = crate::value::repr::float_repr(f.abs());
                if complex_part && r.ends_with(".0") {
                    r.truncate(r.len() - 2);
                }
                if f.is_nan() {
                    "nan".into()
                } else if sp.alt && f.is_finite() && !r.contains('.') {
                    // `#` keeps the point: `1.e+20`.
                    match r.find('e') {
                        Some(pos) => format!("{}.{}", &r[..pos], &r[pos..]),
                        None => r + ".",
                    }
                } else {
                    r
                }
            }
            Some(p) => format_float_abs(f, p, 'r', sp.alt),
        },
        Some(t @ ('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%')) => {
            format_float_abs(f, sp.precision.unwrap_or(6), t, sp.alt)
        }
        Some('n') => format_float_abs(f, sp.precision.unwrap_or(6), 'g', sp.alt),
        Some(t) => {
            return Err(value_error(format!("Unknown format code '{}' for object of type 'float'", t)))
        }
    };
    let rounds_to_zero =
        || body.split(['e', 'E', '%']).next().is_some_and(|m| m.chars().all(|c| c == '0' || c == '.'));
    let sign = sign_str(f.is_sign_negative() && !f.is_nan() && !(sp.no_neg_zero && rounds_to_zero()), sp);
    let body = match sp.grouping {
        Some(g) => {
            let end = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
            let min = match fill_align(sp, '>') {
                ('0', '=') => sp.width.saturating_sub(sign.len() + body.len() - end),
                _ => 0,
            };
            format!("{}{}", group_padded(&body[..end], g, 3, min), &body[end..])
        }
        None => body,
    };
    Ok(align(&body, sign, sp, '>'))
}

#[cfg(test)]
mod unit {
    use super::*;

    fn f(fmt: &str, args: Vec<Value>) -> String {
        str_format(fmt, &args, &[], false).unwrap_or_else(|e| format!("ERR {}", e))
    }

    #[test]
    fn format_like_python() {
        assert_eq!(f("{} {}", vec![1.into(), "a".into()]), "1 a");
        assert_eq!(f("{1}{0}", vec![1.into(), 2.into()]), "21");
        assert_eq!(f("{:>5}|{:<5}|{:^5}", vec!["a".into(), "b".into(), "c".into()]), "    a|b    |  c  ");
        assert_eq!(
            f("{:.2f} {:,} {:08.3f} {:+d}", vec![1.23456.into(), 1234567.into(), (-3.5).into(), 5.into()]),
            "1.23 1,234,567 -003.500 +5"
        );
        assert_eq!(
            f("{!r} {:x} {:#b} {:e}", vec!["a".into(), 255.into(), 5.into(), 1234.5.into()]),
            "'a' ff 0b101 1.234500e+03"
        );
        assert_eq!(f("{0[1]} {0[0]}", vec![Value::list(vec![1.into(), 2.into()])]), "2 1");
        assert_eq!(f("{:{}}", vec!["x".into(), 3.into()]), "x  ");
        assert_eq!(
            f("{} {2}", vec![1.into()]),
            "ERR ValueError: cannot switch from automatic field numbering to manual field specification"
        );
        assert_eq!(
            f("{:.3} {} {:10}", vec![1234.5.into(), 2.5.into(), 1.5.into()]),
            "1.23e+03 2.5        1.5"
        );
        assert_eq!(f("{:%}", vec![0.25.into()]), "25.000000%");
    }
}
