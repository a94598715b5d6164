//! Property tests: the lexer and parser never panic, whatever the input and configuration.
//! Inputs are random fragment soups and mutations (byte flips, truncations, inserted
//! delimiters, spliced slices) of a handful of valid templates. Bounded to a few seconds.

use jinjac::syntax::lexer::{normalize_source, tokenize};
use jinjac::syntax::{parse, SyntaxConfig};
use proptest::prelude::*;

const VALID: &[&str] = &[
    "Hello {{ user.name|title }}!\n{% for x in items if x.ok recursive %}{{ loop.index }}: {{ x['k'] ~ 'a\\n' }}{% else %}none{% endfor %}\n",
    "{% extends 'base.html' %}{% block body scoped %}{{ super() }}{% set a, b = 1, (2, 3) %}{% endblock body %}",
    "{% macro m(a, b=1, c=[1, {'k': (2,)}]) %}{{ a is divisibleby 3 }}{{ -b ** 2 }}{% endmacro %}{% call(x) m(1, *a, **k) %}{{ x[1:2:3] }}{% endcall %}",
    "{%- if a and not b or c in d -%}\n  {{ a if b else c }}\n{%+ elif e is not none %}{# comment #}{% else %}{% raw %}{{ raw }}{% endraw %}{% endif %}",
    "{% from 'x' import a as b, c with context %}{% import 'y' as y %}{% include ['a', 'b'] ignore missing without context %}{% with q = 1 %}{% filter upper|replace('a', 'b') %}{{ q }}{% endfilter %}{% endwith %}",
    "# for item in seq\n  {{ item }} ## line comment\n# endfor\n{% autoescape true %}{{ '<' ~ 1_000 ~ 0x1F ~ 1.5e3 }}{% endautoescape %}",
    "{% set ns = namespace(x=1) %}{% set ns.x = ns.x + 1 %}{% set s | upper %}text{% endset %}{% print s, ns.x %}",
    "{% trans user=u, count=n %}Hello {{ user }}{% pluralize count %}Hi {{ count }} users{% endtrans %}{% do x.append(1) %}{% for i in x %}{% break %}{% endfor %}",
];

const FRAGMENTS: &[&str] = &[
    "{%",
    "%}",
    "{{",
    "}}",
    "{#",
    "#}",
    "{%-",
    "-%}",
    "{%+",
    "+%}",
    "{{-",
    "-}}",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "\\",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "|",
    ".",
    ",",
    ":",
    "=",
    "if",
    "for",
    "in",
    "else",
    "endif",
    "endfor",
    "not",
    "is",
    "raw",
    "endraw",
    "1",
    "1.5e3",
    "0x",
    "x",
    "#",
    "##",
    "é",
    "日本",
    "_",
    "**",
    "~",
    "set",
    "block",
    "endblock",
    "macro",
    "call",
    "with",
    "import",
    "from",
    "as",
    "context",
    "trans",
    "pluralize",
    "endtrans",
    "!",
    "$",
    "\u{0}",
    "\u{2028}",
    "1_0",
    "0b1",
    "'\\x4'",
    "'\\N{BULLET}'",
    "ns.x",
    "(1,)",
    "[1:2]",
];

fn config(flags: u8, ext: bool) -> SyntaxConfig {
    let mut cfg = SyntaxConfig {
        trim_blocks: flags & 1 != 0,
        lstrip_blocks: flags & 2 != 0,
        keep_trailing_newline: flags & 4 != 0,
        ..SyntaxConfig::default()
    };
    if flags & 8 != 0 {
        cfg.line_statement_prefix = Some("#".into());
        cfg.line_comment_prefix = Some("##".into());
    }
    if flags & 16 != 0 {
        cfg.newline_sequence = "\r\n".into();
    }
    if flags & 32 != 0 {
        cfg.block_start = "<%".into();
        cfg.block_end = "%>".into();
        cfg.variable_start = "<%=".into();
        cfg.variable_end = "%>".into();
        cfg.comment_start = "<%#".into();
        cfg.comment_end = "%>".into();
    }
    if ext {
        cfg.extensions = vec!["do".into(), "loopcontrols".into(), "i18n".into(), "debug".into()];
    }
    cfg
}

/// Parse and tokenize; only panics (test failures) matter, and error locations must be set.
fn check(src: &str, cfg: &SyntaxConfig) {
    if let Err(e) = parse(src, "prop", cfg) {
        assert!(e.line().is_some_and(|l| l >= 1), "error without a line: {e:?}");
        assert_eq!(e.name(), Some("prop"));
    }
    let norm = normalize_source(src, cfg.keep_trailing_newline);
    let mut last = 0;
    for tok in tokenize(&norm, cfg) {
        match tok {
            Ok(t) => {
                assert!(t.offset >= last && t.offset <= norm.len());
                assert!(t.span.line >= 1 && t.span.col >= 1);
                last = t.offset;
            }
            Err(_) => break,
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    FlipByte(usize, u8),
    Truncate(usize),
    Insert(usize, usize),
    Remove(usize, usize),
    Splice(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::FlipByte(p, b)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 0..FRAGMENTS.len()).prop_map(|(p, f)| Mutation::Insert(p, f)),
        (any::<usize>(), 1usize..8).prop_map(|(p, n)| Mutation::Remove(p, n)),
        (any::<usize>(), any::<usize>(), any::<usize>()).prop_map(|(a, b, c)| Mutation::Splice(a, b, c)),
    ]
}

fn apply(src: &str, muts: &[Mutation]) -> String {
    let mut bytes = src.as_bytes().to_vec();
    for m in muts {
        let len = bytes.len();
        let at = |p: usize| if len == 0 { 0 } else { p % (len + 1) };
        match *m {
            Mutation::FlipByte(p, b) => {
                if len > 0 {
                    bytes[p % len] ^= b;
                }
            }
            Mutation::Truncate(p) => bytes.truncate(at(p)),
            Mutation::Insert(p, f) => {
                let p = at(p);
                bytes.splice(p..p, FRAGMENTS[f].bytes());
            }
            Mutation::Remove(p, n) => {
                let p = at(p);
                let end = (p + n).min(len);
                bytes.drain(p..end);
            }
            Mutation::Splice(a, b, c) => {
                let (a, b, c) = (at(a), at(b), at(c));
                let (lo, hi) = (a.min(b), a.max(b));
                let piece = bytes[lo..hi].to_vec();
                bytes.splice(c..c, piece);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_templates_never_panic(
        which in 0..VALID.len(),
        muts in prop::collection::vec(mutation(), 1..6),
        flags in any::<u8>(),
        ext in any::<bool>(),
    ) {
        let src = apply(VALID[which], &muts);
        check(&src, &config(flags, ext));
    }

    #[test]
    fn fragment_soup_never_panics(
        parts in prop::collection::vec(0..FRAGMENTS.len(), 0..40),
        flags in any::<u8>(),
        ext in any::<bool>(),
    ) {
        let src: String = parts.iter().map(|&i| FRAGMENTS[i]).collect();
        check(&src, &config(flags, ext));
    }

    #[test]
    fn arbitrary_text_never_panics(src in "\\PC{0,80}", flags in any::<u8>()) {
        check(&src, &config(flags, true));
    }
}

#[test]
fn valid_templates_parse() {
    for (i, src) in VALID.iter().enumerate() {
        let cfg = config(if i == 5 { 8 } else { 0 }, true);
        if let Err(e) = parse(src, "valid", &cfg) {
            panic!("template {i} failed: {e}");
        }
    }
}

#[test]
fn odd_delimiters_never_panic() {
    let delims = ["{", "}", "%", "-", "+", "#", "<!--", "-->", "\n", "é", "{{", "}}", "x"];
    let src = "a {{ b }} {% if c %}d{% endif %} {# e #} <!-- f --> # g\n## h\n%}{-}";
    for (i, a) in delims.iter().enumerate() {
        for b in &delims[i % 3..] {
            let cfg = SyntaxConfig {
                block_start: (*a).into(),
                block_end: (*b).into(),
                variable_start: (*b).into(),
                variable_end: (*a).into(),
                comment_start: format!("{a}{b}"),
                comment_end: (*b).into(),
                line_statement_prefix: Some((*a).into()),
                line_comment_prefix: Some((*b).into()),
                ..SyntaxConfig::default()
            };
            check(src, &cfg);
        }
    }
    let empty = SyntaxConfig { block_start: String::new(), ..SyntaxConfig::default() };
    assert!(parse(src, "t", &empty).is_err());
}
