//! HTML escaping exactly as markupsafe does it (`& < > ' "` to `&amp; &lt; &gt; &#39; &#34;`),
//! with a fast scan for the common no-escape case.

/// Append `s` HTML-escaped to `out`.
pub fn escape_into(out: &mut String, s: &str) {
    if !needs_escape(s) {
        out.push_str(s);
        return;
    }
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, b) in bytes.iter().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'\'' => "&#39;",
            b'"' => "&#34;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// Whether `s` holds a character HTML escaping replaces: a test over blocks of bytes that the
/// compiler vectorizes (most text has none).
#[inline]
pub fn needs_escape(s: &str) -> bool {
    s.as_bytes()
        .chunks(32)
        .any(|c| c.iter().fold(false, |any, &b| any | matches!(b, b'&' | b'<' | b'>' | b'\'' | b'"')))
}

/// `s` HTML-escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    escape_into(&mut out, s);
    out
}

/// markupsafe's `Markup.unescape()`: resolve HTML entities.
pub fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        if let Some(end) = tail[1..].find(';').map(|e| e + 1) {
            let ent = &tail[1..end];
            if let Some(c) = decode_entity(ent) {
                out.push(c);
                rest = &tail[end + 1..];
                continue;
            }
        }
        out.push('&');
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

fn decode_entity(ent: &str) -> Option<char> {
    if let Some(num) = ent.strip_prefix('#') {
        let n = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse().ok()?
        };
        return char::from_u32(n);
    }
    Some(match ent {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '\u{a9}',
        "reg" => '\u{ae}',
        "hellip" => '\u{2026}',
        "mdash" => '\u{2014}',
        "ndash" => '\u{2013}',
        _ => return None,
    })
}

#[cfg(test)]
mod unit {
    use super::*;

    /// The block test finds every character escaping replaces, wherever it is.
    #[test]
    fn needs_escape_finds_every_special() {
        assert!(!needs_escape(""));
        assert!(!needs_escape(&"plain text, nothing to do; ".repeat(5)));
        for c in ['&', '<', '>', '\'', '"'] {
            for pos in [0, 1, 31, 32, 33, 70] {
                let mut s = "a".repeat(80);
                s.replace_range(pos..pos + 1, &c.to_string());
                assert!(needs_escape(&s), "{c} at {pos}");
                let mut out = String::new();
                escape_into(&mut out, &s);
                assert_ne!(out, s);
            }
        }
    }
}
