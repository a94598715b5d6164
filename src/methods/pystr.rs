//! Python's `str` algorithms on Rust strings, indexed by code point as Python is: case
//! mapping (`title`, `capitalize`, `swapcase`), padding, stripping, splitting, searching.
//! Shared by the filters and the str methods.

use crate::filters::num::py_isspace;

use crate::value::pyunicode::{self as uc, is_cased};

/// What each capital sigma of `s` lowers to, in order: Python lowers `Σ` to the final `ς` by its
/// context in the whole string (after a cased letter, not before one), as Rust's
/// `str::to_lowercase` does; per-character lowering cannot see that context.
fn sigma_forms(s: &str) -> Vec<char> {
    let mut forms = Vec::new();
    if !s.contains('\u{3a3}') {
        return forms;
    }
    let lowered = s.to_lowercase();
    let mut low = lowered.chars();
    for c in s.chars() {
        if c == '\u{3a3}' {
            forms.push(low.next().unwrap_or('\u{3c3}'));
        } else {
            c.to_lowercase().for_each(|_| {
                low.next();
            });
        }
    }
    forms
}

/// Lower `c`, the character at sigma count `sigma` (how many `Σ` came before it), into `out`.
fn push_lower(out: &mut String, c: char, sigmas: &[char], sigma: usize) {
    match c {
        '\u{3a3}' => out.push(sigmas.get(sigma).copied().unwrap_or('\u{3c3}')),
        _ => uc::push_lower(out, c),
    }
}

/// Python's `str.lower()` (ASCII byte-wise).
pub(crate) fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    let sigmas = sigma_forms(s);
    let mut sigma = 0;
    for c in s.chars() {
        push_lower(&mut out, c, &sigmas, sigma);
        sigma += usize::from(c == '\u{3a3}');
    }
    out
}

/// Python's `str.title()`.
pub(crate) fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    let sigmas = sigma_forms(s);
    let mut sigma = 0;
    for c in s.chars() {
        if prev_cased {
            push_lower(&mut out, c, &sigmas, sigma);
        } else {
            uc::push_title(&mut out, c);
        }
        prev_cased = is_cased(c);
        sigma += usize::from(c == '\u{3a3}');
    }
    out
}

/// Python's `str.capitalize()`: the first character in title case, the rest lowered in the
/// whole string's context.
pub(crate) fn capitalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let sigmas = sigma_forms(s);
    let mut sigma = 0;
    for (i, c) in s.chars().enumerate() {
        if i == 0 {
            uc::push_title(&mut out, c);
        } else {
            push_lower(&mut out, c, &sigmas, sigma);
        }
        sigma += usize::from(c == '\u{3a3}');
    }
    out
}

/// Python's `str.swapcase()`.
pub(crate) fn swapcase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let sigmas = sigma_forms(s);
    let mut sigma = 0;
    for c in s.chars() {
        if uc::is_uppercase(c) {
            push_lower(&mut out, c, &sigmas, sigma);
        } else if uc::is_lowercase(c) {
            uc::push_upper(&mut out, c);
        } else {
            out.push(c);
        }
        sigma += usize::from(c == '\u{3a3}');
    }
    out
}

/// Python's `str.center(width, fill)`.
pub(crate) fn center(s: &str, width: i64, fill: &str) -> String {
    let len = s.chars().count() as i64;
    if width <= len {
        return s.to_string();
    }
    let marg = width - len;
    let left = marg / 2 + (marg & width & 1);
    let right = marg - left;
    format!("{}{}{}", fill.repeat(left as usize), s, fill.repeat(right as usize))
}

/// Python's `str.ljust` / `str.rjust`.
pub(crate) fn just(s: &str, width: i64, fill: &str, left: bool) -> String {
    let len = s.chars().count() as i64;
    if width <= len {
        return s.to_string();
    }
    let pad = fill.repeat((width - len) as usize);
    if left {
        format!("{}{}", s, pad)
    } else {
        format!("{}{}", pad, s)
    }
}

/// Python's `str.zfill(width)`.
pub(crate) fn zfill(s: &str, width: i64) -> String {
    let len = s.chars().count() as i64;
    if width <= len {
        return s.to_string();
    }
    let zeros = "0".repeat((width - len) as usize);
    match s.chars().next() {
        Some(c @ ('+' | '-')) => format!("{}{}{}", c, zeros, &s[1..]),
        _ => format!("{}{}", zeros, s),
    }
}

/// Python's `strip` family: `chars` None strips whitespace.
pub(crate) fn strip(s: &str, chars: Option<&str>, left: bool, right: bool) -> String {
    let pred = |c: char| match chars {
        None => py_isspace(c),
        Some(set) => set.contains(c),
    };
    let mut r = s;
    if left {
        r = r.trim_start_matches(pred);
    }
    if right {
        r = r.trim_end_matches(pred);
    }
    r.to_string()
}

/// Python's `str.split(sep, maxsplit)`.
pub(crate) fn split(s: &str, sep: Option<&str>, maxsplit: i64) -> Vec<String> {
    let mut out = Vec::new();
    match sep {
        Some(sep) => {
            let mut rest = s;
            let mut n = 0;
            while maxsplit < 0 || n < maxsplit {
                match rest.find(sep) {
                    Some(p) => {
                        out.push(rest[..p].to_string());
                        rest = &rest[p + sep.len()..];
                        n += 1;
                    }
                    None => break,
                }
            }
            out.push(rest.to_string());
        }
        None => {
            let mut rest = s.trim_start_matches(py_isspace);
            let mut n = 0;
            while !rest.is_empty() {
                if maxsplit >= 0 && n >= maxsplit {
                    out.push(rest.to_string());
                    break;
                }
                match rest.find(py_isspace) {
                    Some(p) => {
                        out.push(rest[..p].to_string());
                        rest = rest[p..].trim_start_matches(py_isspace);
                        n += 1;
                    }
                    None => {
                        out.push(rest.to_string());
                        break;
                    }
                }
            }
        }
    }
    out
}

/// Python's `str.rsplit(sep, maxsplit)`.
pub(crate) fn rsplit(s: &str, sep: Option<&str>, maxsplit: i64) -> Vec<String> {
    let mut out = Vec::new();
    match sep {
        Some(sep) => {
            let mut rest = s;
            let mut n = 0;
            while maxsplit < 0 || n < maxsplit {
                match rest.rfind(sep) {
                    Some(p) => {
                        out.push(rest[p + sep.len()..].to_string());
                        rest = &rest[..p];
                        n += 1;
                    }
                    None => break,
                }
            }
            out.push(rest.to_string());
        }
        None => {
            let mut rest = s.trim_end_matches(py_isspace);
            let mut n = 0;
            while !rest.is_empty() {
                if maxsplit >= 0 && n >= maxsplit {
                    out.push(rest.to_string());
                    break;
                }
                match rest.rfind(py_isspace) {
                    Some(p) => {
                        let c_len = rest[p..].chars().next().map(char::len_utf8).unwrap_or(1);
                        out.push(rest[p + c_len..].to_string());
                        rest = rest[..p].trim_end_matches(py_isspace);
                        n += 1;
                    }
                    None => {
                        out.push(rest.to_string());
                        break;
                    }
                }
            }
        }
    }
    out.reverse();
    out
}

/// Python's line boundaries for `splitlines`.
pub(crate) fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// Python's `str.splitlines(keepends)`.
pub(crate) fn splitlines(s: &str, keepends: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = s.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if is_line_break(c) {
            let mut end = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(_, '\n')) = iter.peek() {
                    iter.next();
                    end += 1;
                }
            }
            out.push(if keepends { s[start..end].to_string() } else { s[start..i].to_string() });
            start = end;
        }
    }
    if start < s.len() {
        out.push(s[start..].to_string());
    }
    out
}

/// Resolve Python slice bounds `start`/`end` (None: open) over a length, clamped.
pub(crate) fn slice_bounds(len: usize, start: Option<i64>, end: Option<i64>) -> (usize, usize) {
    let n = len as i64;
    let fix = |v: i64| -> usize {
        let v = if v < 0 { v + n } else { v };
        v.clamp(0, n) as usize
    };
    let s = start.map(fix).unwrap_or(0);
    let e = end.map(fix).unwrap_or(len);
    (s, e)
}

/// Byte offset of the `idx`-th char.
pub(crate) fn byte_at(s: &str, idx: usize) -> usize {
    // Over an ASCII prefix a char is a byte (`is_ascii` goes a word at a time).
    let b = s.as_bytes();
    if b.get(..idx.min(b.len())).is_some_and(<[u8]>::is_ascii) {
        return idx.min(b.len());
    }
    s.char_indices().nth(idx).map(|(b, _)| b).unwrap_or(s.len())
}

/// Python's `str.find` (`rev`: `rfind`) with slice bounds, as a char index or -1.
pub(crate) fn find(s: &str, sub: &str, start: Option<i64>, end: Option<i64>, rev: bool) -> i64 {
    let len = s.chars().count();
    if let Some(st) = start {
        if st > len as i64 {
            return -1;
        }
    }
    let (a, b) = slice_bounds(len, start, end);
    if a > b {
        return -1;
    }
    let (ba, bb) = (byte_at(s, a), byte_at(s, b));
    let hay = &s[ba..bb];
    let found = if rev { hay.rfind(sub) } else { hay.find(sub) };
    match found {
        Some(p) => (a + hay[..p].chars().count()) as i64,
        None => -1,
    }
}

/// Python's `str.count(sub, start, end)`.
pub(crate) fn count(s: &str, sub: &str, start: Option<i64>, end: Option<i64>) -> i64 {
    let len = s.chars().count();
    let (a, b) = slice_bounds(len, start, end);
    if a > b {
        return 0;
    }
    let hay = &s[byte_at(s, a)..byte_at(s, b)];
    if sub.is_empty() {
        return hay.chars().count() as i64 + 1;
    }
    hay.matches(sub).count() as i64
}

/// Python's `str.replace(old, new, count)`.
pub(crate) fn replace(s: &str, old: &str, new: &str, count: i64) -> String {
    if let &[byte] = old.as_bytes() {
        // One ASCII byte: its occurrences by memchr, the text between copied whole.
        let limit = usize::try_from(count).unwrap_or(usize::MAX);
        let mut out = crate::value::scratch(s.len() + new.len().saturating_sub(1) * 8);
        let mut last = 0;
        for i in memchr::memchr_iter(byte, s.as_bytes()).take(limit) {
            out.push_str(s.get(last..i).unwrap_or(""));
            out.push_str(new);
            last = i + 1;
        }
        out.push_str(s.get(last..).unwrap_or(""));
        return out;
    }
    // A one-character pattern (`'\n'`, `','`) searches with memchr as a char pattern; a str
    // pattern would go through the two-way searcher. Same matches either way.
    let mut one = old.chars();
    if let (Some(c), None) = (one.next(), one.next()) {
        return if count < 0 { s.replace(c, new) } else { s.replacen(c, new, count as usize) };
    }
    if count < 0 {
        s.replace(old, new)
    } else {
        s.replacen(old, new, count as usize)
    }
}

/// How many times `old` occurs in `s` without overlapping (`old` non-empty).
pub(crate) fn count_matches(s: &str, old: &str) -> usize {
    if let &[byte] = old.as_bytes() {
        return memchr::memchr_iter(byte, s.as_bytes()).count();
    }
    let mut one = old.chars();
    if let (Some(c), None) = (one.next(), one.next()) {
        return s.matches(c).count();
    }
    s.matches(old).count()
}

/// Python's `isalnum` etc. over the whole string (false for empty strings).
pub(crate) fn all_chars(s: &str, f: impl Fn(char) -> bool) -> bool {
    !s.is_empty() && s.chars().all(f)
}

/// Python's `str.islower()`: no upper or title case character, and a lower case one.
pub(crate) fn is_lower(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if uc::is_uppercase(c) || uc::is_titlecase(c) {
            return false;
        }
        cased |= uc::is_lowercase(c);
    }
    cased
}

/// Python's `str.isupper()`.
pub(crate) fn is_upper(s: &str) -> bool {
    let mut cased = false;
    for c in s.chars() {
        if uc::is_lowercase(c) || uc::is_titlecase(c) {
            return false;
        }
        cased |= uc::is_uppercase(c);
    }
    cased
}

/// Python's `str.istitle()`.
pub(crate) fn is_title(s: &str) -> bool {
    let mut cased = false;
    let mut prev_cased = false;
    for c in s.chars() {
        if uc::is_uppercase(c) || uc::is_titlecase(c) {
            if prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else if uc::is_lowercase(c) {
            if !prev_cased {
                return false;
            }
            prev_cased = true;
            cased = true;
        } else {
            prev_cased = false;
        }
    }
    cased
}

/// Python's `\w` (Unicode): alphanumerics and underscore.
pub(crate) fn is_word_char(c: char) -> bool {
    uc::is_alnum(c) || c == '_'
}

#[cfg(test)]
mod unit {
    use super::*;

    /// The one-byte paths of `replace`, `count_matches` and `byte_at` answer what the
    /// general ones do.
    #[test]
    fn one_byte_paths_like_general() {
        for s in ["", "a\nb\n", "\n\n", "ünï\ncode\n", "no match", "x"] {
            for old in ["\n", "x", "é"] {
                for count in [-1i64, 0, 1, 2] {
                    let want = if count < 0 {
                        s.replace(old, "<br>")
                    } else {
                        s.replacen(old, "<br>", count as usize)
                    };
                    assert_eq!(replace(s, old, "<br>", count), want, "{s:?} {old:?} {count}");
                }
                assert_eq!(count_matches(s, old), s.matches(old).count());
            }
            for idx in 0..s.len() + 2 {
                let want = s.char_indices().nth(idx).map(|(b, _)| b).unwrap_or(s.len());
                assert_eq!(byte_at(s, idx), want, "{s:?} {idx}");
            }
        }
    }

    #[test]
    fn str_algorithms() {
        assert_eq!(title("hello wORLD-foo o'neil"), "Hello World-Foo O'Neil");
        assert_eq!(capitalize("hello WORLD"), "Hello world");
        assert_eq!(center("ab", 7, "*"), "***ab**");
        assert_eq!(center("abc", 6, " "), " abc  ");
        assert_eq!(split("a b  c", None, -1), vec!["a", "b", "c"]);
        assert_eq!(split("a,b,,c", Some(","), -1), vec!["a", "b", "", "c"]);
        assert_eq!(rsplit("a,b,c", Some(","), 1), vec!["a,b", "c"]);
        assert_eq!(rsplit("  a b  c ", None, 1), vec!["  a b", "c"]);
        assert_eq!(splitlines("a\nb\r\nc", false), vec!["a", "b", "c"]);
        assert_eq!(find("hello", "l", None, None, true), 3);
        assert_eq!(count("aaa", "", None, None), 4);
        assert_eq!(replace("abc", "", "-", -1), "-a-b-c-");
        assert_eq!(zfill("-42", 5), "-0042");
    }
}
