//! HTML and URL filters: `striptags` (with Python's `html.unescape`), `urlize` (a port of
//! Jinja2's `utils.urlize` and its URL and e-mail patterns), `xmlattr` and `urlencode`.

use super::entities::{HTML5, INVALID_CHARREFS};
use super::{escape_str, filter_arg_error, opt, py_str, str_like, type_error, value_error};
use crate::error::{Error, ErrorKind, Result};
use crate::methods::pystr::is_word_char;
use crate::value::{markup, Args, Value};
use crate::vm::State;

fn lookup_entity(name: &str) -> Option<&'static str> {
    HTML5.binary_search_by(|(k, _)| (*k).cmp(name)).ok().map(|i| HTML5[i].1)
}

fn invalid_codepoint(n: u32) -> bool {
    matches!(n, 0x1..=0x8 | 0xb | 0xe..=0x1f | 0x7f..=0x9f | 0xfdd0..=0xfdef) || (n & 0xfffe) == 0xfffe
}

/// Python's `html.unescape`: named (HTML5) and numeric character references.
pub fn html_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '&' {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let rest = &chars[i + 1..];
        // numeric
        if rest.first() == Some(&'#') {
            let hex = matches!(rest.get(1), Some('x' | 'X'));
            let start = if hex { 2 } else { 1 };
            let mut j = start;
            while j < rest.len() && (if hex { rest[j].is_ascii_hexdigit() } else { rest[j].is_ascii_digit() })
            {
                j += 1;
            }
            if j > start {
                let digits: String = rest[start..j].iter().collect();
                let semi = rest.get(j) == Some(&';');
                let num = u64::from_str_radix(&digits, if hex { 16 } else { 10 }).unwrap_or(u64::MAX);
                let rep: String =
                    if let Some((_, r)) = INVALID_CHARREFS.iter().find(|(k, _)| *k as u64 == num) {
                        r.to_string()
                    } else if (0xd800..=0xdfff).contains(&num) || num > 0x10ffff {
                        "\u{fffd}".into()
                    } else if invalid_codepoint(num as u32) {
                        String::new()
                    } else {
                        char::from_u32(num as u32).map(String::from).unwrap_or_else(|| "\u{fffd}".into())
                    };
                out.push_str(&rep);
                i += 1 + j + semi as usize;
                continue;
            }
            out.push('&');
            i += 1;
            continue;
        }
        // named: [^\t\n\f <&#;]{1,32};?
        let mut j = 0;
        while j < rest.len()
            && j < 32
            && !matches!(rest[j], '\t' | '\n' | '\x0c' | ' ' | '<' | '&' | '#' | ';')
        {
            j += 1;
        }
        if j == 0 {
            out.push('&');
            i += 1;
            continue;
        }
        let semi = rest.get(j) == Some(&';');
        let mut name: String = rest[..j].iter().collect();
        if semi {
            name.push(';');
        }
        let consumed = j + semi as usize;
        if let Some(r) = lookup_entity(&name) {
            out.push_str(r);
        } else {
            let nchars: Vec<char> = name.chars().collect();
            let mut done = false;
            let mut x = nchars.len().saturating_sub(1);
            while x > 1 {
                let prefix: String = nchars[..x].iter().collect();
                if let Some(r) = lookup_entity(&prefix) {
                    out.push_str(r);
                    out.extend(nchars[x..].iter());
                    done = true;
                    break;
                }
                x -= 1;
            }
            if !done {
                out.push('&');
                out.push_str(&name);
            }
        }
        i += 1 + consumed;
    }
    out
}

/// markupsafe's `Markup.striptags()`: drop comments and tags, collapse whitespace, unescape.
pub fn striptags(value: &str) -> String {
    let mut v = value.to_string();
    while let Some(start) = v.find("<!--") {
        match v[start..].find("-->") {
            Some(end) => v = format!("{}{}", &v[..start], &v[start + end + 3..]),
            None => break,
        }
    }
    while let Some(start) = v.find('<') {
        match v[start..].find('>') {
            Some(end) => v = format!("{}{}", &v[..start], &v[start + end + 1..]),
            None => break,
        }
    }
    let collapsed = crate::methods::pystr::split(&v, None, -1).join(" ");
    html_unescape(&collapsed)
}

/// `striptags(value)`: strip SGML/XML tags and collapse whitespace.
///
/// ```jinja
/// {{ '<b>a</b>   b &amp; c'|striptags }}  -> a b & c
/// ```
pub fn do_striptags(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_striptags", [])?;
    Ok(Value::from(striptags(&py_str(&value)?)))
}

fn is_ascii_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `xmlattr(d, autospace=True)`: an SGML/XML attribute string from a dict, skipping none and
/// undefined values; keys with spaces, `/`, `>` or `=` are a ValueError.
///
/// ```jinja
/// <ul{{ {'class': 'x', 'id': none}|xmlattr }}>  -> <ul class="x">
/// ```
pub fn do_xmlattr(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [autospace] = args.bind("do_xmlattr", ["autospace"])?;
    let autospace = opt(autospace, Value::Bool(true)).is_true()?;
    let pairs: Vec<(Value, Value)> = match &value {
        Value::Dict(d) => d.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Value::Undefined(u) => return Err(u.error()),
        other => {
            return Err(Error::new(
                ErrorKind::AttributeError,
                format!("'{}' object has no attribute 'items'", other.type_name()),
            ))
        }
    };
    let mut items = Vec::new();
    for (k, v) in pairs {
        if v.is_none() || v.is_undefined() {
            continue;
        }
        let Some(key) = k.as_str() else {
            return Err(type_error(format!("expected string or bytes-like object, got '{}'", k.type_name())));
        };
        if key.chars().any(|c| is_ascii_space(c) || matches!(c, '/' | '>' | '=')) {
            return Err(value_error(format!("Invalid character in attribute name: {}", k.repr())));
        }
        items.push(format!("{}=\"{}\"", escape_str(&k)?, escape_str(&v)?));
    }
    let mut rv = items.join(" ");
    if autospace && !rv.is_empty() {
        rv.insert(0, ' ');
    }
    Ok(str_like(rv, state.autoescape()))
}

/// Python's `urllib.parse.quote_from_bytes` with the given safe characters.
pub(crate) fn url_quote(s: &str, for_qs: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'~') || (!for_qs && b == b'/') {
            out.push(b as char);
        } else if for_qs && b == b' ' {
            out.push('+');
        } else {
            out.push_str(&format!("%{:02X}", b));
        }
    }
    out
}

/// `urlencode(value)`: percent-quote a string (keeping `/`), or build a query string from a
/// dict or an iterable of pairs.
///
/// ```jinja
/// {{ {'a': 1, 'b': 'x y'}|urlencode }}  -> a=1&b=x+y
/// ```
pub fn do_urlencode(_: &mut State, value: Value, args: Args) -> Result<Value> {
    let [] = args.bind("do_urlencode", [])?;
    if value.is_string() || !value.is_iterable() {
        return Ok(Value::from(url_quote(&py_str(&value)?, false)));
    }
    let pairs: Vec<(Value, Value)> = match &value {
        Value::Dict(d) => d.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        other => {
            let mut pairs = Vec::new();
            for item in super::seq::py_iter(other)? {
                let parts = super::seq::py_iter(&item)?;
                match parts.len() {
                    2 => pairs.push((parts[0].clone(), parts[1].clone())),
                    n if n < 2 => {
                        return Err(value_error(format!(
                            "not enough values to unpack (expected 2, got {})",
                            n
                        )))
                    }
                    _ => return Err(value_error("too many values to unpack (expected 2)")),
                }
            }
            pairs
        }
    };
    let mut parts = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        parts.push(format!("{}={}", url_quote(&py_str(&k)?, true), url_quote(&py_str(&v)?, true)));
    }
    Ok(Value::from(parts.join("&")))
}

fn valid_scheme(s: &str) -> bool {
    // ^([\w.+-]{2,}:(/){0,2})$
    let Some(colon) = s.find(':') else { return false };
    let (name, rest) = (&s[..colon], &s[colon + 1..]);
    name.chars().count() >= 2
        && name.chars().all(|c| is_word_char(c) || matches!(c, '.' | '+' | '-'))
        && rest.len() <= 2
        && rest.chars().all(|c| c == '/')
}

/// `urlize(value, trim_url_limit=None, nofollow=False, target=None, rel=None,
/// extra_schemes=None)`: turn URLs and e-mail addresses in text into links.
///
/// ```jinja
/// {{ 'see www.example.com'|urlize }}
///   -> see <a href="https://www.example.com" rel="noopener">www.example.com</a>
/// ```
pub fn do_urlize(state: &mut State, value: Value, args: Args) -> Result<Value> {
    let [trim_url_limit, nofollow, target, rel, extra_schemes] =
        args.bind("do_urlize", ["trim_url_limit", "nofollow", "target", "rel", "extra_schemes"])?;
    // `set((rel or "").split())`: a true value that is not a string has no `split`.
    let rel = match rel {
        Some(r) if r.is_true()? => Some(r),
        _ => None,
    };
    let mut rel_parts: Vec<String> = match &rel {
        Some(Value::Str(r) | Value::Markup(r)) => crate::methods::pystr::split(r, None, -1),
        Some(other) => {
            return Err(Error::new(
                ErrorKind::AttributeError,
                format!("'{}' object has no attribute 'split'", other.type_name()),
            ))
        }
        None => Vec::new(),
    };
    if opt(nofollow, Value::Bool(false)).is_true()? {
        rel_parts.push("nofollow".into());
    }
    rel_parts.push("noopener".into());
    rel_parts.sort();
    rel_parts.dedup();
    let rel = rel_parts.join(" ");
    let target = target.filter(|t| !t.is_none());
    let mut schemes = Vec::new();
    if let Some(es) = extra_schemes.filter(|e| !e.is_none()) {
        for s in super::seq::py_iter(&es)? {
            let text = py_str(&s)?;
            if !valid_scheme(&text) {
                return Err(filter_arg_error(format!("{} is not a valid URI scheme prefix.", s.repr())));
            }
            schemes.push(text);
        }
    }
    // Python compares each linked URL's length with the limit and slices with it, so a limit
    // of the wrong type is an error only once a URL is linked.
    let limit = trim_url_limit.filter(|v| !v.is_none());
    let text = escape_str(&value)?;
    let rel_attr = if rel.is_empty() { String::new() } else { format!(" rel=\"{}\"", markup::escape(&rel)) };
    let target_attr = match &target {
        Some(t) if t.is_true()? => format!(" target=\"{}\"", escape_str(t)?),
        _ => String::new(),
    };
    let rv = urlize(&text, limit.as_ref(), &rel_attr, &target_attr, &schemes)?;
    Ok(str_like(rv, state.autoescape()))
}

/// `trim_url`: `x[:limit] + "..."` when `len(x) > limit`.
fn trim_url(x: &str, limit: Option<&Value>) -> Result<String> {
    let Some(limit) = limit else {
        return Ok(x.to_string());
    };
    let len = x.chars().count() as i64;
    let l = match limit {
        Value::Int(l) => *l,
        _ => {
            if crate::value::ops::cmp(&Value::from(len), limit, ">")? != std::cmp::Ordering::Greater {
                return Ok(x.to_string());
            }
            super::arg_int(limit).map_err(|_| {
                type_error("slice indices must be integers or None or have an __index__ method")
            })?
        }
    };
    if len <= l {
        return Ok(x.to_string());
    }
    let keep = if l < 0 { (len + l).max(0) as usize } else { l as usize };
    Ok(format!("{}...", x.chars().take(keep).collect::<String>()))
}

/// Jinja2's `utils.urlize` on already-escaped text.
pub(crate) fn urlize(
    text: &str,
    limit: Option<&Value>,
    rel_attr: &str,
    target_attr: &str,
    schemes: &[String],
) -> Result<String> {
    let mut out = String::with_capacity(text.len() * 2);
    for word in split_keep_ws(text) {
        out.push_str(&urlize_word(word, limit, rel_attr, target_attr, schemes)?);
    }
    Ok(out)
}

fn split_keep_ws(text: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let mut in_ws: Option<bool> = None;
    for (i, c) in text.char_indices() {
        let ws = crate::filters::num::py_isspace(c);
        if in_ws.is_some_and(|w| w != ws) {
            words.push(&text[start..i]);
            start = i;
        }
        in_ws = Some(ws);
    }
    words.push(&text[start..]);
    words
}

fn urlize_word(
    word: &str,
    limit: Option<&Value>,
    rel_attr: &str,
    target_attr: &str,
    schemes: &[String],
) -> Result<String> {
    let mut middle = word.to_string();
    let mut head = String::new();
    let mut tail = String::new();
    // lead: ^([(<]|&lt;)+
    let mut h = 0;
    loop {
        if middle[h..].starts_with('(') || middle[h..].starts_with('<') {
            h += 1;
        } else if middle[h..].starts_with("&lt;") {
            h += 4;
        } else {
            break;
        }
    }
    if h > 0 {
        head = middle[..h].to_string();
        middle = middle[h..].to_string();
    }
    // trail: ([)>.,\n]|&gt;)+$
    let mut t = middle.len();
    loop {
        let m = &middle[..t];
        if m.ends_with("&gt;") {
            t -= 4;
        } else if m.ends_with([')', '>', '.', ',', '\n']) {
            t -= 1;
        } else {
            break;
        }
    }
    if t < middle.len() {
        tail = middle[t..].to_string();
        middle.truncate(t);
    }
    for (start_char, end_char) in [("(", ")"), ("<", ">"), ("&lt;", "&gt;")] {
        let start_count = middle.matches(start_char).count();
        if start_count <= middle.matches(end_char).count() {
            continue;
        }
        let moves = start_count.min(tail.matches(end_char).count());
        for _ in 0..moves {
            if let Some(idx) = tail.find(end_char) {
                let end_index = idx + end_char.len();
                middle.push_str(&tail[..end_index]);
                tail = tail[end_index..].to_string();
            }
        }
    }
    if http_match(&middle) {
        middle = if middle.starts_with("https://") || middle.starts_with("http://") {
            format!("<a href=\"{}\"{}{}>{}</a>", middle, rel_attr, target_attr, trim_url(&middle, limit)?)
        } else {
            format!(
                "<a href=\"https://{}\"{}{}>{}</a>",
                middle,
                rel_attr,
                target_attr,
                trim_url(&middle, limit)?
            )
        };
    } else if middle.starts_with("mailto:") && email_match(&middle[7..]) {
        middle = format!("<a href=\"{}\">{}</a>", middle, &middle[7..]);
    } else if middle.contains('@')
        && !middle.starts_with("www.")
        && !middle.starts_with('@')
        && !middle.contains(':')
        && email_match(&middle)
    {
        middle = format!("<a href=\"mailto:{}\">{}</a>", middle, middle);
    } else {
        for scheme in schemes {
            if middle != *scheme && middle.starts_with(scheme.as_str()) {
                middle = format!("<a href=\"{}\"{}{}>{}</a>", middle, rel_attr, target_attr, middle);
            }
        }
    }
    Ok(format!("{}{}{}", head, middle, tail))
}

/// `^\S+@\w[\w.-]*\.\w+$`
fn email_match(s: &str) -> bool {
    let s = s.strip_suffix('\n').unwrap_or(s);
    let chars: Vec<char> = s.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if crate::filters::num::py_isspace(*c) {
            return false;
        }
        if *c != '@' || i == 0 {
            continue;
        }
        let rest = &chars[i + 1..];
        if rest.first().is_some_and(|c| is_word_char(*c))
            && rest.iter().all(|c| is_word_char(*c) || matches!(c, '.' | '-'))
        {
            if let Some(dot) = rest.iter().rposition(|c| *c == '.') {
                if dot >= 1 && dot + 1 < rest.len() && rest[dot + 1..].iter().all(|c| is_word_char(*c)) {
                    return true;
                }
            }
        }
    }
    false
}

fn label_char(c: char) -> bool {
    is_word_char(c) || c == '%' || c == '-'
}

/// Positions after zero or more `[\w%-]{min,max}\.` labels from `q`.
fn label_positions(s: &[char], q: usize, min: usize, max: usize) -> Vec<usize> {
    let mut out = vec![q];
    let mut p = q;
    loop {
        let mut r = p;
        while r < s.len() && label_char(s[r]) {
            r += 1;
        }
        let len = r - p;
        if len >= min && len <= max && s.get(r) == Some(&'.') {
            p = r + 1;
            out.push(p);
        } else {
            return out;
        }
    }
}

fn starts_ci(s: &[char], at: usize, pat: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    at + p.len() <= s.len()
        && s[at..at + p.len()].iter().zip(p.iter()).all(|(a, b)| a.to_ascii_lowercase() == *b)
}

fn scheme_len(s: &[char]) -> Option<usize> {
    if starts_ci(s, 0, "https://") {
        Some(8)
    } else if starts_ci(s, 0, "http://") {
        Some(7)
    } else {
        None
    }
}

/// `(?::\d{1,5})?(?:[/?#]\S*)?$` from position `p`.
fn suffix_ok(s: &[char], p: usize) -> bool {
    let rest_ok = |q: usize| -> bool {
        let end = if s.last() == Some(&'\n') { s.len() - 1 } else { s.len() };
        q == s.len()
            || q == end
            || (matches!(s.get(q), Some('/' | '?' | '#'))
                && s[q + 1..end].iter().all(|c| !crate::filters::num::py_isspace(*c)))
    };
    if s.get(p) == Some(&':') {
        let mut k = 0;
        while k < 5 && s.get(p + 1 + k).is_some_and(char::is_ascii_digit) {
            k += 1;
            if rest_ok(p + 1 + k) {
                return true;
            }
        }
    }
    rest_ok(p)
}

fn hex_colon_ok(content: &[char]) -> bool {
    // ([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}
    let mut p = 0;
    for _ in 0..2 {
        let mut k = 0;
        while p + k < content.len() && content[p + k].is_ascii_hexdigit() {
            k += 1;
        }
        if k > 4 || content.get(p + k) != Some(&':') {
            return false;
        }
        p += k + 1;
    }
    let rest = &content[p..];
    if !rest.iter().all(|c| c.is_ascii_hexdigit() || *c == ':') {
        return false;
    }
    let segs: Vec<&[char]> = rest.split(|c| *c == ':').collect();
    let n = segs.len();
    let mut pieces = 0;
    for (i, seg) in segs.iter().enumerate() {
        let needed = seg.len().div_ceil(4);
        pieces += if i + 1 < n { needed.max(1) } else { needed };
    }
    pieces <= 6
}

/// Jinja2's `_http_re` (case-insensitive, anchored).
fn http_match(middle: &str) -> bool {
    let s: Vec<char> = middle.chars().collect();
    let mut ends: Vec<usize> = Vec::new();
    // alternative 1: scheme or www., optional subdomains, tld
    let prefix = scheme_len(&s).or_else(|| if starts_ci(&s, 0, "www.") { Some(4) } else { None });
    if let Some(q0) = prefix {
        for q in label_positions(&s, q0, 1, usize::MAX) {
            let mut k = 0;
            while k < 63 && s.get(q + k).is_some_and(char::is_ascii_alphabetic) {
                k += 1;
                if k >= 2 {
                    ends.push(q + k);
                }
            }
            if starts_ci(&s, q, "xn--") {
                let mut k = 0;
                while k < 59 && s.get(q + 4 + k).is_some_and(|c| is_word_char(*c) || *c == '%') {
                    k += 1;
                    if k >= 2 {
                        ends.push(q + 4 + k);
                    }
                }
            }
        }
    }
    // alternative 2: bare domain with a common tld
    for q in label_positions(&s, 0, 2, 63).into_iter().skip(1) {
        for tld in ["com", "net", "int", "edu", "gov", "org", "info", "mil"] {
            if starts_ci(&s, q, tld) {
                ends.push(q + tld.len());
            }
        }
    }
    // alternative 3: scheme and IP address
    if let Some(q0) = scheme_len(&s) {
        let mut p = q0;
        let mut ok = true;
        for _ in 0..3 {
            let mut k = 0;
            while k < 3 && s.get(p + k).is_some_and(char::is_ascii_digit) {
                k += 1;
            }
            if k == 0 || s.get(p + k) != Some(&'.') {
                ok = false;
                break;
            }
            p += k + 1;
        }
        if ok {
            let mut k = 0;
            while k < 3 && s.get(p + k).is_some_and(char::is_ascii_digit) {
                k += 1;
                ends.push(p + k);
            }
        }
        if s.get(q0) == Some(&'[') {
            if let Some(close) = s[q0..].iter().position(|c| *c == ']') {
                if hex_colon_ok(&s[q0 + 1..q0 + close]) {
                    ends.push(q0 + close + 1);
                }
            }
        }
    }
    ends.into_iter().any(|p| suffix_ok(&s, p))
}

#[cfg(test)]
mod unit {
    use super::*;

    fn u(s: &str) -> String {
        urlize(&markup::escape(s), None, " rel=\"noopener\"", "", &[]).unwrap_or_default()
    }

    #[test]
    fn urlize_like_jinja() {
        assert_eq!(
            u("(see http://x.org/a_(b)) <me@x.io>"),
            "(see <a href=\"http://x.org/a_(b)\" rel=\"noopener\">http://x.org/a_(b)</a>) &lt;<a href=\"mailto:me@x.io\">me@x.io</a>&gt;"
        );
        assert_eq!(u("www.test.org"), "<a href=\"https://www.test.org\" rel=\"noopener\">www.test.org</a>");
        assert_eq!(u("example.com"), "<a href=\"https://example.com\" rel=\"noopener\">example.com</a>");
        assert_eq!(u("foo.bar"), "foo.bar");
        assert_eq!(
            u("http://127.0.0.1:8080/x"),
            "<a href=\"http://127.0.0.1:8080/x\" rel=\"noopener\">http://127.0.0.1:8080/x</a>"
        );
    }

    #[test]
    fn unescape_like_python() {
        assert_eq!(
            html_unescape("a &amp; b &lt;&gt; &#39; &#x41; &copy &notit; &bogus;"),
            "a & b <> ' A \u{a9} \u{ac}it; &bogus;"
        );
        assert_eq!(striptags("<b>a</b>   b <!-- c --> &amp; d"), "a b & d");
    }
}
