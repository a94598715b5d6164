//! The environment fingerprint: one struct holding every setting that changes what a template
//! compiles to, hashed with blake3 over a canonical serialization and stored in every bucket.
//!
//! A bucket compiled under one set of settings is never used under another: the CLI and the
//! application must agree (shared/DESIGN.md §2), and when they do not, the fingerprint differs
//! and the bucket is a miss. Adding a setting to [`SyntaxConfig`] fails to compile here until
//! it is added to the serialization (the destructuring below has no `..`).
//!
//! Deliberately left out: the registries of filters, tests and globals. A CLI cannot know an
//! application's custom filters, and a program refers to filters by name, so leaving them out
//! is what makes precompiling for an application possible.

use crate::compiler::BYTECODE_VERSION;
use crate::environment::{AutoEscape, Environment};
use crate::syntax::SyntaxConfig;
use crate::value::UndefinedKind;

/// Version of the canonical serialization below; part of the hashed bytes.
const FINGERPRINT_SCHEME: u32 = 1;

/// Everything that changes compiled output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvSettings {
    /// The engine's version (`CARGO_PKG_VERSION`): a new release may compile differently.
    pub engine_version: String,
    /// [`BYTECODE_VERSION`].
    pub bytecode_version: u32,
    /// Delimiters, whitespace options, newline sequence, extensions.
    pub syntax: SyntaxConfig,
    /// The autoescape policy (`select_autoescape` extensions or a fixed value).
    pub autoescape: AutoEscape,
    /// The undefined kind: compile-time constant folding evaluates under it.
    pub undefined: UndefinedKind,
}

/// A 32-byte blake3 digest of [`EnvSettings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// The fingerprint of an environment's current settings ([`Environment::fingerprint`]).
    pub fn of(env: &Environment) -> Fingerprint {
        env.fingerprint()
    }

    /// Lowercase hex.
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// Parse 64 hex digits.
    pub fn from_hex(s: &str) -> Option<Fingerprint> {
        parse_hex32(s).map(Fingerprint)
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl EnvSettings {
    /// Whether `env`'s settings are still these (the engine's own versions always are).
    pub fn matches(&self, env: &Environment) -> bool {
        self.syntax == env.syntax && self.autoescape == env.autoescape && self.undefined == env.undefined
    }

    /// The settings of `env`.
    pub fn of(env: &Environment) -> EnvSettings {
        EnvSettings {
            engine_version: env!("CARGO_PKG_VERSION").to_string(),
            bytecode_version: BYTECODE_VERSION,
            syntax: env.syntax.clone(),
            autoescape: env.autoescape.clone(),
            undefined: env.undefined,
        }
    }

    /// The canonical serialization: `name=value` records, each value length-prefixed, in a
    /// fixed order; lists keep their order except extensions, which are a set.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut w = Canon(Vec::with_capacity(256));
        w.u32("scheme", FINGERPRINT_SCHEME);
        w.str("engine_version", &self.engine_version);
        w.u32("bytecode_version", self.bytecode_version);
        let SyntaxConfig {
            block_start,
            block_end,
            variable_start,
            variable_end,
            comment_start,
            comment_end,
            line_statement_prefix,
            line_comment_prefix,
            trim_blocks,
            lstrip_blocks,
            keep_trailing_newline,
            newline_sequence,
            extensions,
        } = &self.syntax;
        w.str("block_start", block_start);
        w.str("block_end", block_end);
        w.str("variable_start", variable_start);
        w.str("variable_end", variable_end);
        w.str("comment_start", comment_start);
        w.str("comment_end", comment_end);
        w.opt("line_statement_prefix", line_statement_prefix.as_deref());
        w.opt("line_comment_prefix", line_comment_prefix.as_deref());
        w.bool("trim_blocks", *trim_blocks);
        w.bool("lstrip_blocks", *lstrip_blocks);
        w.bool("keep_trailing_newline", *keep_trailing_newline);
        w.str("newline_sequence", newline_sequence);
        let mut exts: Vec<&str> = extensions.iter().map(String::as_str).collect();
        exts.sort_unstable();
        exts.dedup();
        w.list("extensions", &exts);
        match &self.autoescape {
            AutoEscape::Bool(b) => w.bool("autoescape", *b),
            AutoEscape::Extensions(list) => {
                let mut norm: Vec<String> =
                    list.iter().map(|e| e.trim_start_matches('.').to_ascii_lowercase()).collect();
                norm.sort_unstable();
                norm.dedup();
                let refs: Vec<&str> = norm.iter().map(String::as_str).collect();
                w.list("autoescape_extensions", &refs);
            }
        }
        let undefined = match self.undefined {
            UndefinedKind::Default => "default",
            UndefinedKind::Strict => "strict",
            UndefinedKind::Chainable => "chainable",
            UndefinedKind::Debug => "debug",
        };
        w.str("undefined", undefined);
        w.0
    }

    /// blake3 of [`canonical_bytes`](Self::canonical_bytes).
    pub fn fingerprint(&self) -> Fingerprint {
        Fingerprint(*blake3::hash(&self.canonical_bytes()).as_bytes())
    }
}

struct Canon(Vec<u8>);

impl Canon {
    fn field(&mut self, name: &str, tag: u8, value: &[u8]) {
        self.0.extend_from_slice(name.as_bytes());
        self.0.push(b'=');
        self.0.push(tag);
        self.0.extend_from_slice(&(value.len() as u64).to_le_bytes());
        self.0.extend_from_slice(value);
    }
    fn str(&mut self, name: &str, v: &str) {
        self.field(name, b's', v.as_bytes());
    }
    fn u32(&mut self, name: &str, v: u32) {
        self.field(name, b'u', &v.to_le_bytes());
    }
    fn bool(&mut self, name: &str, v: bool) {
        self.field(name, b'b', &[u8::from(v)]);
    }
    fn opt(&mut self, name: &str, v: Option<&str>) {
        match v {
            None => self.field(name, b'n', &[]),
            Some(s) => self.str(name, s),
        }
    }
    fn list(&mut self, name: &str, items: &[&str]) {
        let mut buf = Vec::new();
        for i in items {
            buf.extend_from_slice(&(i.len() as u64).to_le_bytes());
            buf.extend_from_slice(i.as_bytes());
        }
        self.field(name, b'l', &buf);
    }
}

/// Lowercase hex of some bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// Parse exactly 64 hex digits into 32 bytes.
pub fn parse_hex32(s: &str) -> Option<[u8; 32]> {
    let bytes = s.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (o, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let hi = char::from(*pair.first()?).to_digit(16)?;
        let lo = char::from(*pair.get(1)?).to_digit(16)?;
        *o = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> EnvSettings {
        EnvSettings::of(&Environment::new())
    }

    /// Every setting, changed one at a time, changes the fingerprint; all are distinct.
    #[test]
    fn every_setting_changes_the_fingerprint() {
        let mut variants: Vec<(&str, EnvSettings)> = Vec::new();
        let mut push = |label: &'static str, f: &dyn Fn(&mut EnvSettings)| {
            let mut s = base();
            f(&mut s);
            variants.push((label, s));
        };
        push("base", &|_| {});
        push("engine_version", &|s| s.engine_version.push_str("+x"));
        push("bytecode_version", &|s| s.bytecode_version += 1);
        push("block_start", &|s| s.syntax.block_start = "<%".into());
        push("block_end", &|s| s.syntax.block_end = "%>".into());
        push("variable_start", &|s| s.syntax.variable_start = "${".into());
        push("variable_end", &|s| s.syntax.variable_end = "}$".into());
        push("comment_start", &|s| s.syntax.comment_start = "<#".into());
        push("comment_end", &|s| s.syntax.comment_end = "#>".into());
        push("line_statement_prefix", &|s| s.syntax.line_statement_prefix = Some("#".into()));
        push("line_statement_prefix empty", &|s| s.syntax.line_statement_prefix = Some(String::new()));
        push("line_comment_prefix", &|s| s.syntax.line_comment_prefix = Some("##".into()));
        push("trim_blocks", &|s| s.syntax.trim_blocks = true);
        push("lstrip_blocks", &|s| s.syntax.lstrip_blocks = true);
        push("keep_trailing_newline", &|s| s.syntax.keep_trailing_newline = true);
        push("newline_sequence", &|s| s.syntax.newline_sequence = "\r\n".into());
        push("extensions do", &|s| s.syntax.extensions = vec!["do".into()]);
        push("extensions i18n", &|s| s.syntax.extensions = vec!["i18n".into()]);
        push("autoescape true", &|s| s.autoescape = AutoEscape::Bool(true));
        push("autoescape html", &|s| s.autoescape = AutoEscape::html_default());
        push("autoescape xml", &|s| s.autoescape = AutoEscape::Extensions(vec!["xml".into()]));
        push("undefined strict", &|s| s.undefined = UndefinedKind::Strict);
        push("undefined chainable", &|s| s.undefined = UndefinedKind::Chainable);
        push("undefined debug", &|s| s.undefined = UndefinedKind::Debug);
        for (i, (la, a)) in variants.iter().enumerate() {
            for (lb, b) in variants.iter().skip(i + 1) {
                assert_ne!(a.fingerprint(), b.fingerprint(), "{la} vs {lb}");
            }
        }
    }

    /// Two settings that cannot be told apart by field boundaries still differ.
    #[test]
    fn no_ambiguity_between_adjacent_fields() {
        let mut a = base();
        a.syntax.block_start = "{%x".into();
        a.syntax.block_end = "%}".into();
        let mut b = base();
        b.syntax.block_start = "{%".into();
        b.syntax.block_end = "x%}".into();
        assert_ne!(a.fingerprint(), b.fingerprint());
    }

    #[test]
    fn sets_are_order_insensitive_and_stable() {
        let mut a = base();
        a.syntax.extensions = vec!["do".into(), "i18n".into()];
        a.autoescape = AutoEscape::Extensions(vec!["html".into(), "xml".into()]);
        let mut b = base();
        b.syntax.extensions = vec!["i18n".into(), "do".into()];
        b.autoescape = AutoEscape::Extensions(vec![".XML".into(), "html".into()]);
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_eq!(base().fingerprint(), base().fingerprint());
    }

    /// The environment reuses its last fingerprint only while its settings are the same.
    #[test]
    fn an_environment_refingerprints_after_a_setting_changes() {
        let mut env = Environment::new();
        let first = env.fingerprint();
        assert_eq!(env.fingerprint(), first);
        env.syntax.trim_blocks = true;
        let trimmed = env.fingerprint();
        assert_ne!(trimmed, first);
        assert_eq!(trimmed, EnvSettings::of(&env).fingerprint());
        env.undefined = UndefinedKind::Strict;
        assert_ne!(env.fingerprint(), trimmed);
        env.autoescape = AutoEscape::Bool(true);
        env.syntax.extensions.push("do".into());
        assert_eq!(env.fingerprint(), EnvSettings::of(&env).fingerprint());
        env.syntax.trim_blocks = false;
        env.undefined = UndefinedKind::Default;
        env.autoescape = AutoEscape::default();
        env.syntax.extensions.clear();
        assert_eq!(env.fingerprint(), first);
    }

    #[test]
    fn hex_round_trip() {
        let f = base().fingerprint();
        assert_eq!(Fingerprint::from_hex(&f.to_hex()), Some(f));
        assert_eq!(Fingerprint::from_hex("zz"), None);
        assert_eq!(parse_hex32(&"g".repeat(64)), None);
    }
}
