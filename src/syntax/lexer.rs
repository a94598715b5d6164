//! The lexer: Jinja2's `Lexer.tokeniter` + `Lexer.wrap`, rule for rule, without regexes.
//!
//! The source is first normalized as Jinja2 does (`\r\n`, `\r` and `\n` all become `\n`, and
//! unless `keep_trailing_newline` one trailing newline is dropped): see [`normalize_source`].
//! The lexer then walks the normalized source with a small cursor vocabulary
//! (`first`/`bump`/`eat_while`), jumping to the next delimiter with `memchr`.
//!
//! Tokens come out lazily, one at a time, exactly like Jinja2's generator: a lexing error deep in
//! the template is only reported once the parser gets there, so a parse error earlier in the
//! template wins, as in Jinja2.

use std::borrow::Cow;

use super::ast::Span;
use super::tokens::{Op, Token, TokenKind};
use super::SyntaxConfig;
use crate::error::{Error, Result};
use crate::value::repr::str_repr;

/// Python's `str.isspace` (what `\s` matches in a `str` regex).
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// [`is_py_space`] for an ASCII byte.
const fn is_py_space_byte(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0x1c..=0x1f)
}

/// [`byte_class`] bit: an ASCII name may start with the byte (`[A-Za-z_]`).
const NAME_START: u8 = 1;
/// [`byte_class`] bit: an ASCII name may continue with the byte (`[A-Za-z0-9_]`).
const NAME_CONT: u8 = 2;
/// [`byte_class`] bit: ASCII whitespace ([`is_py_space_byte`]).
const SPACE: u8 = 4;

/// The class bits of every byte: one load instead of a chain of range tests per byte in the
/// tag-state loops (non-ASCII bytes have none).
static BYTE_CLASSES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut class = 0;
        if b == b'_' || b.is_ascii_alphabetic() {
            class |= NAME_START | NAME_CONT;
        }
        if b.is_ascii_digit() {
            class |= NAME_CONT;
        }
        if is_py_space_byte(b) {
            class |= SPACE;
        }
        table[i] = class;
        i += 1;
    }
    table
};

/// The [`BYTE_CLASSES`] bits of `b`.
#[inline(always)]
fn byte_class(b: u8) -> u8 {
    BYTE_CLASSES[usize::from(b)]
}

/// Whitespace other than `\r` and `\n` (`[^\S\r\n]`).
fn is_hspace(c: char) -> bool {
    c != '\n' && c != '\r' && is_py_space(c)
}

/// A character of Jinja2's name pattern (`[\w...]`), ASCII first.
#[inline]
fn is_name_char(c: char) -> bool {
    if c.is_ascii() {
        return c == '_' || c.is_ascii_alphanumeric();
    }
    crate::value::pyunicode::is_name_char(c)
}

/// Python's `str.isidentifier`, which Jinja2 asks of every name its pattern matched.
fn is_identifier(s: &str) -> bool {
    if let Some(&first) = s.as_bytes().first() {
        if s.is_ascii() {
            // The usual case: no Unicode rules to consult.
            return first == b'_' || first.is_ascii_alphabetic();
        }
    }
    let mut chars = s.chars();
    chars.next().is_some_and(crate::value::pyunicode::is_id_start)
        && chars.all(crate::value::pyunicode::is_id_continue)
}

/// Normalize newlines like Jinja2's `tokeniter`: every `\r\n`, `\r` and `\n` becomes `\n`, and
/// one trailing newline is removed unless `keep_trailing_newline`.
pub fn normalize_source(source: &str, keep_trailing_newline: bool) -> Cow<'_, str> {
    let mut s: Cow<'_, str> = if memchr::memchr(b'\r', source.as_bytes()).is_some() {
        Cow::Owned(source.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(source)
    };
    if !keep_trailing_newline && s.ends_with('\n') {
        match &mut s {
            Cow::Borrowed(b) => *b = &b[..b.len() - 1],
            Cow::Owned(o) => {
                o.pop();
            }
        }
    }
    s
}

/// Tokenize an already normalized source (see [`normalize_source`]); the iterator yields the
/// token stream the parser sees (without the final end-of-template token) and stops after the
/// first error.
pub fn tokenize<'a>(normalized_source: &'a str, config: &'a SyntaxConfig) -> Lexer<'a> {
    Lexer::new(normalized_source, config)
}

/// Tracks line and column of increasing byte offsets without rescanning.
#[derive(Debug, Clone)]
struct Locator {
    pos: usize,
    line: u32,
    col: u32,
}

/// The high bit of each byte of `w` that is `\n`, and of each that continues a UTF-8 character
/// (`10xxxxxx`): eight bytes tested at once, without carries between them.
#[inline(always)]
fn newline_and_continuation_bits(w: u64) -> (u64, u64) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let t = w ^ 0x0a0a_0a0a_0a0a_0a0a;
    // A byte's high bit is set below when its `t` byte is not zero.
    let newlines = !(((t & LOW7).wrapping_add(LOW7)) | t) & HIGH;
    // Bit 7 of a continuation byte set, bit 6 (shifted up into bit 7) clear.
    let continuations = w & !(w << 1) & HIGH;
    (newlines, continuations)
}

/// How many bytes of a [`newline_and_continuation_bits`] mask are set (a multiply: without
/// the `popcnt` instruction, `count_ones` is a dozen).
#[inline(always)]
fn count_high_bits(mask: u64) -> u32 {
    ((mask >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as u32
}

/// Line and column after `chunk`, from `line` and `col` at its start: eight bytes at a time
/// (a newline count, the last newline, the continuation bytes after it), the last few in a
/// word whose upper bytes are zero (a zero byte is neither).
fn advance_line_col(chunk: &[u8], mut line: u32, mut col: u32) -> (u32, u32) {
    let mut step = |w: u64, n: u32| {
        let (newlines, continuations) = newline_and_continuation_bits(w);
        if newlines == 0 {
            col = col.saturating_add(n - count_high_bits(continuations));
        } else {
            line = line.saturating_add(count_high_bits(newlines));
            // Byte index of the last newline of the word, and the continuation bytes after it.
            let last = (63 - newlines.leading_zeros()) / 8;
            let after = (continuations >> (8 * last)) >> 8;
            col = 1 + (n - 1 - last) - count_high_bits(after);
        }
    };
    let mut words = chunk.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        step(u64::from_le_bytes(b), 8);
    }
    let n = words.remainder().len();
    if n > 0 {
        // The last eight bytes shifted past the ones already counted (a load, where copying
        // the remainder into a padded word is a `memcpy` call), or the few bytes of a short
        // chunk one by one.
        let last8 =
            chunk.len().checked_sub(8).and_then(|i| chunk.get(i..)).and_then(|b| <[u8; 8]>::try_from(b).ok());
        let w = match last8 {
            Some(b) => u64::from_le_bytes(b) >> (8 * (8 - n)),
            None => words.remainder().iter().rev().fold(0u64, |w, &x| (w << 8) | u64::from(x)),
        };
        step(w, n as u32);
    }
    (line, col)
}

impl Locator {
    fn new() -> Locator {
        Locator { pos: 0, line: 1, col: 1 }
    }

    /// Line and column of `target`; cheap for a target a few bytes ahead (between the tokens
    /// of a tag), which is inlined.
    #[inline(always)]
    fn span(&mut self, bytes: &[u8], target: usize) -> Span {
        if target >= self.pos && target - self.pos <= 4 {
            if let Some(chunk) = bytes.get(self.pos..target) {
                if !chunk.iter().any(|&b| b == b'\n' || !b.is_ascii()) {
                    // `chunk.len()` is at most 4.
                    self.col = self.col.saturating_add(chunk.len() as u32);
                    self.pos = target;
                    return Span { line: self.line, col: self.col };
                }
            }
        }
        self.span_slow(bytes, target)
    }

    /// Move past `from..to`, known to be ASCII without newlines (a name, number or operator
    /// just lexed), without looking at it again.
    #[inline]
    fn skip_ascii(&mut self, from: usize, to: usize) {
        if self.pos == from {
            self.col = self.col.saturating_add(u32::try_from(to - from).unwrap_or(u32::MAX));
            self.pos = to;
        }
    }

    #[inline(never)]
    fn span_slow(&mut self, bytes: &[u8], target: usize) -> Span {
        if target < self.pos {
            *self = Locator::new();
        }
        let end = target.min(bytes.len()).max(self.pos);
        let chunk = bytes.get(self.pos..end).unwrap_or(&[]);
        self.pos = end;
        if chunk.len() > 64 {
            // A long run of text: the newlines by `memchr`, then the last line alone.
            if let Some(last) = memchr::memrchr(b'\n', chunk) {
                let newlines = memchr::memchr_iter(b'\n', chunk).count();
                self.line = self.line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
                let (_, col) = advance_line_col(chunk.get(last + 1..).unwrap_or(&[]), 0, 1);
                self.col = col;
                return Span { line: self.line, col: self.col };
            }
        }
        (self.line, self.col) = advance_line_col(chunk, self.line, self.col);
        Span { line: self.line, col: self.col }
    }
}

/// A delimiter to search for: `memchr` to its first byte, then a compare. Building a
/// `memmem::Finder` (SIMD tables, an aligned allocation) cost ~10 000 instructions per finder,
/// three per template: more than lexing a small template, and delimiters are one to three
/// bytes long, where the first-byte jump is all a searcher can do anyway.
#[derive(Debug, Clone, Copy)]
struct Needle<'a> {
    bytes: &'a [u8],
}

impl<'a> Needle<'a> {
    fn new(s: &'a str) -> Needle<'a> {
        Needle { bytes: s.as_bytes() }
    }

    fn needle(&self) -> &'a [u8] {
        self.bytes
    }

    /// Offset of the first occurrence in `hay`.
    fn find(&self, hay: &[u8]) -> Option<usize> {
        let (&first, rest) = self.bytes.split_first()?;
        let mut from = 0;
        loop {
            let i = from + memchr::memchr(first, hay.get(from..)?)?;
            if hay
                .get(i + 1..)
                .is_some_and(|h| rest.len() <= h.len() && rest.iter().zip(h).all(|(n, b)| n == b))
            {
                return Some(i);
            }
            from = i + 1;
        }
    }
}

/// The kinds of tag a root-state match can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    Raw,
    Comment,
    Block,
    Variable,
    LineStatement,
    LineComment,
}

/// A root-state match: where the tag starts, its whitespace control sign, and where the match
/// ends (after the sign; for raw, after the whole `{% raw %}`).
#[derive(Debug, Clone, Copy)]
struct TagMatch {
    kind: TagKind,
    start: usize,
    sign: u8,
    end: usize,
}

/// The first match of one tag kind at or after `from` (`None`: there is none).
#[derive(Debug, Clone, Copy)]
struct Cached {
    from: usize,
    found: Option<(usize, usize)>,
}

impl Cached {
    /// The cached answer if it is still valid for a search from `pos`.
    fn get(this: &Option<Cached>, pos: usize) -> Option<Option<(usize, usize)>> {
        let c = this.as_ref()?;
        if c.from > pos {
            return None;
        }
        match c.found {
            None => Some(None),
            Some((s, e)) if s >= pos => Some(Some((s, e))),
            Some(_) => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Root,
    Block,
    Variable,
    LineStatement,
}

/// One tag kind to look for in the root state, in Jinja2's alternative order.
struct RootRule<'a> {
    kind: TagKind,
    finder: Needle<'a>,
    cache: Option<Cached>,
}

/// The (at most two) tokens one root-state step produces: text before a tag and the tag start,
/// or text before `{% raw %}` and the raw text. A queue without the `VecDeque` bookkeeping.
#[derive(Default)]
struct Pending<'a> {
    first: Option<Token<'a>>,
    second: Option<Token<'a>>,
}

impl<'a> Pending<'a> {
    fn push(&mut self, t: Token<'a>) {
        if self.first.is_none() {
            self.first = Some(t);
        } else {
            debug_assert!(self.second.is_none(), "a root step produces at most two tokens");
            self.second = Some(t);
        }
    }

    fn pop(&mut self) -> Option<Token<'a>> {
        // Test before taking: `take` moves the whole token even when there is none.
        self.first.as_ref()?;
        let t = self.first.take();
        self.first = self.second.take();
        t
    }

    fn is_empty(&self) -> bool {
        self.first.is_none()
    }
}

/// The lexer. Iterate it (or call [`Lexer::next_token`]) to get tokens.
pub struct Lexer<'a> {
    src: &'a str,
    cfg: &'a SyntaxConfig,
    pos: usize,
    state: State,
    balance: Vec<u8>,
    line_starting: bool,
    /// Tokens a root-state step produced (text before a tag, the tag start), oldest first.
    pending: Pending<'a>,
    error: Option<Error>,
    finished: bool,
    /// Whether the next token is a plain tag token: in a tag state, nothing queued, no error,
    /// not finished (the four tests of [`Lexer::next_token`]'s fast path in one flag; set by
    /// [`Lexer::next_token_slow`], cleared where a tag ends or the lexer finishes).
    in_tag: bool,
    /// The first byte of the current tag state's end delimiter (for [`Lexer::may_end_tag`]).
    end_first: u8,
    loc: Locator,
    rules: Vec<RootRule<'a>>,
    /// The distinct first bytes of the tag delimiters (up to three, and their count) when
    /// there are no line prefixes: then [`Lexer::find_plain_tag`] finds tags in one scan.
    first_bytes: Option<([u8; 3], usize)>,
    block_start_finder: Needle<'a>,
    comment_end_finder: Needle<'a>,
}

impl<'a> Lexer<'a> {
    /// A lexer over an already normalized source (see [`normalize_source`]).
    pub fn new(src: &'a str, cfg: &'a SyntaxConfig) -> Lexer<'a> {
        // Jinja2's `compile_rules`: sorted by (delimiter length, token name), descending.
        let mut rules: Vec<(usize, &'static str, TagKind, &'a str)> = vec![
            (cfg.comment_start.chars().count(), "comment_begin", TagKind::Comment, &cfg.comment_start),
            (cfg.block_start.chars().count(), "block_begin", TagKind::Block, &cfg.block_start),
            (cfg.variable_start.chars().count(), "variable_begin", TagKind::Variable, &cfg.variable_start),
        ];
        if let Some(p) = &cfg.line_statement_prefix {
            rules.push((p.chars().count(), "linestatement_begin", TagKind::LineStatement, p));
        }
        if let Some(p) = &cfg.line_comment_prefix {
            rules.push((p.chars().count(), "linecomment_begin", TagKind::LineComment, p));
        }
        rules.sort_by(|a, b| (b.0, b.1).cmp(&(a.0, a.1)));
        let rules: Vec<RootRule<'a>> = rules
            .into_iter()
            .map(|(_, _, kind, delim)| RootRule { kind, finder: Needle::new(delim), cache: None })
            .collect();
        let first_bytes = plain_first_bytes(&rules);
        Lexer {
            src,
            cfg,
            first_bytes,
            pos: 0,
            state: State::Root,
            balance: Vec::new(),
            line_starting: true,
            pending: Pending::default(),
            error: None,
            finished: false,
            in_tag: false,
            end_first: 0,
            loc: Locator::new(),
            rules,
            block_start_finder: Needle::new(&cfg.block_start),
            comment_end_finder: Needle::new(&cfg.comment_end),
        }
    }

    /// The next token, `Ok(None)` at the end of the source.
    ///
    /// Most tokens are inside a tag with nothing queued: that path is tested first and kept
    /// small (inlined into the parser's token fetch); everything else (queued tokens, errors,
    /// the root state) goes through [`Lexer::next_token_slow`].
    #[inline(always)]
    pub fn next_token(&mut self) -> Result<Option<Token<'a>>> {
        if let Some(t) = self.next_tag_token() {
            return Ok(Some(t));
        }
        self.next_token_slow()
    }

    /// The next token if it is a plain tag token (`None`: ask [`Lexer::next_token`], which
    /// then has the queued token, the error or the end). A bare `Option` for the parser's
    /// token fetch: no `Result` layer to unwrap on the hot path.
    #[inline(always)]
    pub(crate) fn next_tag_token(&mut self) -> Option<Token<'a>> {
        if self.in_tag {
            self.lex_tag()
        } else {
            None
        }
    }

    /// [`Lexer::next_token`] for everything but a plain tag token.
    #[inline(never)]
    fn next_token_slow(&mut self) -> Result<Option<Token<'a>>> {
        let r = self.next_token_queued();
        self.in_tag =
            self.state != State::Root && self.pending.is_empty() && self.error.is_none() && !self.finished;
        r
    }

    /// [`Lexer::next_token_slow`] before the fast-path flag is set again.
    #[inline(always)]
    fn next_token_queued(&mut self) -> Result<Option<Token<'a>>> {
        loop {
            if let Some(t) = self.pending.pop() {
                return Ok(Some(t));
            }
            if let Some(e) = self.error.take() {
                self.finished = true;
                return Err(e);
            }
            if self.finished {
                return Ok(None);
            }
            if self.state != State::Root {
                // The hot path: one token straight to the caller, no queue (`None`: the error
                // or the end is set).
                if let Some(t) = self.lex_tag() {
                    return Ok(Some(t));
                }
                continue;
            }
            let before = self.pos;
            if let Err(e) = self.lex_root() {
                // Tokens produced before the failure come first, as from Jinja2's generator.
                self.error = Some(e);
            } else if self.pos == before
                && self.state == State::Root
                && self.pending.is_empty()
                && !self.finished
            {
                // Cannot happen with non-empty delimiters; never loop forever regardless.
                let span = self.span(self.pos);
                self.error = Some(Error::syntax(
                    "internal lexer error: no progress",
                    span.line as usize,
                    span.col as usize,
                ));
            }
        }
    }

    // ----- cursor vocabulary -------------------------------------------------------------

    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    /// The rest of the source from byte offset `at`.
    fn rest(&self, at: usize) -> &'a str {
        self.src.get(at..).unwrap_or("")
    }

    /// The character at byte offset `at`.
    fn first(&self, at: usize) -> Option<char> {
        self.rest(at).chars().next()
    }

    /// The byte at offset `at`.
    fn byte(&self, at: usize) -> Option<u8> {
        self.bytes().get(at).copied()
    }

    /// Offset after the character at `at`.
    fn bump(&self, at: usize) -> usize {
        at + self.first(at).map_or(0, char::len_utf8)
    }

    /// Offset after the longest run of characters from `at` that satisfy `pred`.
    fn eat_while(&self, at: usize, pred: impl Fn(char) -> bool) -> usize {
        let rest = self.rest(at);
        at + rest.find(|c: char| !pred(c)).unwrap_or(rest.len())
    }

    /// Whether `s` (a delimiter or keyword, a few bytes) is at `at`: a byte loop, which beats
    /// the `memcmp` call of a slice comparison at these lengths.
    #[inline]
    fn starts_with(&self, at: usize, s: &str) -> bool {
        let s = s.as_bytes();
        self.bytes().get(at..).is_some_and(|b| s.len() <= b.len() && s.iter().zip(b).all(|(x, y)| x == y))
    }

    #[inline]
    fn span(&mut self, at: usize) -> Span {
        let bytes = self.src.as_bytes();
        self.loc.span(bytes, at)
    }

    /// A token starting at `at` and ending at `end` that is ASCII without newlines (a name,
    /// number or operator): the locator moves past it right away.
    fn ascii_token(&mut self, kind: TokenKind<'a>, at: usize, end: usize) -> Token<'a> {
        let token = self.token(kind, at);
        self.loc.skip_ascii(at, end);
        self.pos = end;
        token
    }

    #[inline]
    fn token(&mut self, kind: TokenKind<'a>, at: usize) -> Token<'a> {
        let span = self.span(at);
        Token { kind, span, offset: at }
    }

    /// Queue a token of a root-state step.
    fn push(&mut self, kind: TokenKind<'a>, at: usize) {
        let token = self.token(kind, at);
        self.pending.push(token);
    }

    fn error_at(&mut self, msg: impl Into<String>, at: usize) -> Error {
        let span = self.span(at);
        Error::syntax(msg, span.line as usize, span.col as usize)
    }

    /// The whitespace control sign (`-` or `+`) at `at`, or 0.
    fn sign_at(&self, at: usize) -> u8 {
        self.byte(at).filter(|b| matches!(b, b'-' | b'+')).unwrap_or(0)
    }

    fn set_line_starting(&mut self, start: usize, end: usize) {
        self.line_starting = end > start && self.byte(end - 1) == Some(b'\n');
    }

    // ----- root state ------------------------------------------------------------------

    fn lex_root(&mut self) -> Result<()> {
        let pos = self.pos;
        let len = self.src.len();
        if pos >= len {
            self.finished = true;
            return Ok(());
        }
        let Some(m) = self.find_tag(pos) else {
            self.push(TokenKind::Data(self.rest(pos)), pos);
            self.set_line_starting(pos, len);
            self.pos = len;
            self.finished = true;
            return Ok(());
        };

        // Whitespace control on the text before the tag (`OptionalLStrip`).
        let text = self.src.get(pos..m.start).unwrap_or("");
        let text = self.strip_text(text, m.sign, m.kind == TagKind::Variable);
        if !text.is_empty() {
            self.push(TokenKind::Data(text), pos);
        }
        self.set_line_starting(pos, m.end);
        self.pos = m.end;

        match m.kind {
            TagKind::Block => {
                self.push(TokenKind::BlockBegin, m.start);
                self.state = State::Block;
                self.end_first = self.cfg.block_end.as_bytes().first().copied().unwrap_or(0);
            }
            TagKind::Variable => {
                self.push(TokenKind::VariableBegin, m.start);
                self.state = State::Variable;
                self.end_first = self.cfg.variable_end.as_bytes().first().copied().unwrap_or(0);
            }
            TagKind::LineStatement => {
                self.push(TokenKind::BlockBegin, m.start);
                self.state = State::LineStatement;
            }
            TagKind::Comment => self.lex_comment(m.start)?,
            TagKind::LineComment => {
                let end = memchr::memchr(b'\n', self.bytes().get(m.end..).unwrap_or(&[]))
                    .map_or(len, |i| m.end + i);
                // The comment match never ends with a newline.
                self.line_starting = false;
                self.pos = end;
            }
            TagKind::Raw => self.lex_raw()?,
        }
        Ok(())
    }

    /// Apply `-` (strip all trailing whitespace) or `lstrip_blocks` to the text before a tag.
    fn strip_text(&self, text: &'a str, sign: u8, is_variable: bool) -> &'a str {
        if sign == b'-' {
            return text.trim_end_matches(is_py_space);
        }
        if sign != b'+' && self.cfg.lstrip_blocks && !is_variable {
            let l_pos = text.rfind('\n').map_or(0, |i| i + 1);
            if l_pos > 0 || self.line_starting {
                let tail = text.get(l_pos..).unwrap_or("");
                if !tail.is_empty() && tail.chars().all(is_py_space) {
                    return text.get(..l_pos).unwrap_or(text);
                }
            }
        }
        text
    }

    /// The earliest tag at or after `pos` (Jinja2's `(.*?)(?:raw|rule|rule...)`).
    fn find_tag(&mut self, pos: usize) -> Option<TagMatch> {
        let (start, kind, delim_end) = match self.first_bytes {
            Some(firsts) => self.find_plain_tag(pos, firsts)?,
            None => self.find_any_tag(pos)?,
        };
        if self.starts_with(start, &self.cfg.block_start) {
            if let Some((sign, end)) = self.match_raw_begin(start) {
                return Some(TagMatch { kind: TagKind::Raw, start, sign, end });
            }
        }
        let sign = self.sign_at(delim_end);
        let end = if sign != 0 { delim_end + 1 } else { delim_end };
        Some(TagMatch { kind, start, sign, end })
    }

    /// [`Lexer::find_tag`] without line prefixes: one scan for the delimiters' first bytes
    /// (`{` three times over by default), trying the rules in order at each candidate; the
    /// first hit is the earliest start, ties going to the earlier rule as in the regex.
    fn find_plain_tag(&self, pos: usize, firsts: ([u8; 3], usize)) -> Option<(usize, TagKind, usize)> {
        let bytes = self.bytes();
        let mut from = pos;
        loop {
            let hay = bytes.get(from..)?;
            let i = from
                + match firsts {
                    ([a, _, _], 1) => memchr::memchr(a, hay),
                    ([a, b, _], 2) => memchr::memchr2(a, b, hay),
                    ([a, b, c], _) => memchr::memchr3(a, b, c, hay),
                }?;
            let at = bytes.get(i..).unwrap_or(&[]);
            for rule in &self.rules {
                let needle = rule.finder.needle();
                // Delimiters are a few bytes: a byte loop beats a `memcmp` call.
                if needle.len() <= at.len() && needle.iter().zip(at).all(|(n, b)| n == b) {
                    return Some((i, rule.kind, i + needle.len()));
                }
            }
            from = i + 1;
        }
    }

    /// [`Lexer::find_tag`] with line prefixes: each rule's next match, cached while valid.
    fn find_any_tag(&mut self, pos: usize) -> Option<(usize, TagKind, usize)> {
        let src = self.src;
        let mut best: Option<(usize, usize, TagKind, usize)> = None;
        for (order, rule) in self.rules.iter_mut().enumerate() {
            let found = match Cached::get(&rule.cache, pos) {
                Some(f) => f,
                None => {
                    let f = match rule.kind {
                        TagKind::LineStatement => find_line_statement(src, &rule.finder, pos),
                        TagKind::LineComment => find_line_comment(src, &rule.finder, pos),
                        _ => rule
                            .finder
                            .find(src.as_bytes().get(pos..).unwrap_or(&[]))
                            .map(|i| (pos + i, pos + i + rule.finder.needle().len())),
                    };
                    rule.cache = Some(Cached { from: pos, found: f });
                    f
                }
            };
            if let Some((start, delim_end)) = found {
                if best.is_none_or(|(s, o, _, _)| start < s || (start == s && order < o)) {
                    best = Some((start, order, rule.kind, delim_end));
                }
            }
        }
        let (start, _, kind, delim_end) = best?;
        Some((start, kind, delim_end))
    }

    /// `{%(-|+|)\s*raw\s*(?:-%}\s*|%})` at `start`: the sign and the end of the match.
    fn match_raw_begin(&self, start: usize) -> Option<(u8, usize)> {
        let mut i = start + self.cfg.block_start.len();
        let sign = match self.byte(i) {
            Some(b @ (b'-' | b'+')) => {
                i += 1;
                b
            }
            _ => 0,
        };
        i = self.eat_ascii_space(i);
        if !self.starts_with(i, "raw") {
            return None;
        }
        i = self.eat_ascii_space(i + 3);
        let be = &self.cfg.block_end;
        if self.byte(i) == Some(b'-') && self.starts_with(i + 1, be) {
            Some((sign, self.eat_ascii_space(i + 1 + be.len())))
        } else if self.starts_with(i, be) {
            Some((sign, i + be.len()))
        } else {
            None
        }
    }

    /// Skip a comment whose start tag began at `tag_start`; `self.pos` is after the start tag.
    fn lex_comment(&mut self, tag_start: usize) -> Result<()> {
        let pos = self.pos;
        let ce_len = self.cfg.comment_end.len();
        let Some(q) = self.comment_end_finder.find(self.bytes().get(pos..).unwrap_or(&[])).map(|i| pos + i)
        else {
            if pos < self.src.len() {
                return Err(self.error_at("Missing end of comment tag", tag_start));
            }
            self.finished = true;
            return Ok(());
        };
        let signed = q > pos && matches!(self.byte(q - 1), Some(b'+' | b'-'));
        let match_start = if signed { q - 1 } else { q };
        let end = if signed && self.byte(q - 1) == Some(b'-') {
            self.eat_ascii_space(q + ce_len)
        } else if !signed && self.cfg.trim_blocks && self.byte(q + ce_len) == Some(b'\n') {
            q + ce_len + 1
        } else {
            q + ce_len
        };
        // The comment match is `comment text + end tag`.
        self.set_line_starting(pos, end.max(match_start));
        self.pos = end;
        Ok(())
    }

    /// Lex the body of `{% raw %}`; `self.pos` is after the raw start tag.
    fn lex_raw(&mut self) -> Result<()> {
        let pos = self.pos;
        let len = self.src.len();
        let mut from = pos;
        loop {
            let Some(q) =
                self.block_start_finder.find(self.bytes().get(from..).unwrap_or(&[])).map(|i| from + i)
            else {
                if pos < len {
                    // Jinja2 counts the newlines the start tag's `-%}\s*` swallowed.
                    return Err(self.error_at("Missing end of raw directive", pos));
                }
                self.finished = true;
                return Ok(());
            };
            if let Some((sign, end)) = self.match_endraw(q) {
                let text = self.src.get(pos..q).unwrap_or("");
                let text = self.strip_text(text, sign, false);
                if !text.is_empty() {
                    self.push(TokenKind::Data(text), pos);
                }
                self.set_line_starting(pos, end);
                self.pos = end;
                return Ok(());
            }
            from = q + 1;
        }
    }

    /// `{%(-|+|)\s*endraw\s*(?:+%}|-%}\s*|%}\n?)` at `start`: the sign and the end.
    fn match_endraw(&self, start: usize) -> Option<(u8, usize)> {
        let mut i = start + self.cfg.block_start.len();
        let sign = match self.byte(i) {
            Some(b @ (b'-' | b'+')) => {
                i += 1;
                b
            }
            _ => 0,
        };
        i = self.eat_ascii_space(i);
        if !self.starts_with(i, "endraw") {
            return None;
        }
        i = self.eat_ascii_space(i + 6);
        self.match_block_end(i).map(|end| (sign, end))
    }

    /// `\+%}|\-%}\s*|%}\n?` at `i` (the `\n` only with `trim_blocks`).
    fn match_block_end(&self, i: usize) -> Option<usize> {
        let be = &self.cfg.block_end;
        match self.byte(i) {
            Some(b'+') if self.starts_with(i + 1, be) => return Some(i + 1 + be.len()),
            Some(b'-') if self.starts_with(i + 1, be) => return Some(self.eat_ascii_space(i + 1 + be.len())),
            _ => {}
        }
        if self.starts_with(i, be) {
            let end = i + be.len();
            if self.cfg.trim_blocks && self.byte(end) == Some(b'\n') {
                return Some(end + 1);
            }
            return Some(end);
        }
        None
    }

    // ----- tag states --------------------------------------------------------------------

    /// The end rule of the current tag state at `pos`, if it matches.
    fn match_tag_end(&self, pos: usize) -> Option<usize> {
        match self.state {
            State::Block => self.match_block_end(pos),
            State::Variable => {
                let ve = &self.cfg.variable_end;
                if self.byte(pos) == Some(b'-') && self.starts_with(pos + 1, ve) {
                    Some(self.eat_ascii_space(pos + 1 + ve.len()))
                } else if self.starts_with(pos, ve) {
                    Some(pos + ve.len())
                } else {
                    None
                }
            }
            State::LineStatement => {
                // `\s*(\n|$)`
                let run_end = self.eat_ascii_space(pos);
                if run_end >= self.src.len() {
                    Some(run_end)
                } else {
                    let run = self.bytes().get(pos..run_end).unwrap_or(&[]);
                    memchr::memrchr(b'\n', run).map(|i| pos + i + 1)
                }
            }
            State::Root => None,
        }
    }

    /// Whether the tag end rule could match at `pos` (a cheap test on the first byte before
    /// the real match; line statements end at whitespace or the end of the source).
    fn may_end_tag(&self, pos: usize) -> bool {
        let Some(b) = self.byte(pos) else {
            return self.state == State::LineStatement;
        };
        match self.state {
            State::Block => b == b'-' || b == b'+' || b == self.end_first,
            State::Variable => b == b'-' || b == self.end_first,
            State::LineStatement => true,
            State::Root => false,
        }
    }

    /// One token of a tag (`None`: the source ended inside the tag, or a lexing error, which is
    /// kept for [`Lexer::next_token_slow`] to report). Whitespace between tokens is skipped
    /// here rather than in a step of its own.
    #[inline]
    fn lex_tag(&mut self) -> Option<Token<'a>> {
        loop {
            let pos = self.pos;
            if self.balance.is_empty() && self.may_end_tag(pos) {
                if let Some(end) = self.match_tag_end(pos) {
                    let kind = if self.state == State::Variable {
                        TokenKind::VariableEnd
                    } else {
                        TokenKind::BlockEnd
                    };
                    let token = self.token(kind, pos);
                    self.set_line_starting(pos, end);
                    self.pos = end;
                    self.state = State::Root;
                    self.in_tag = false;
                    return Some(token);
                }
            }
            let Some(&b) = self.bytes().get(pos) else {
                // End of source inside a tag: the token stream just ends.
                self.finished = true;
                self.in_tag = false;
                return None;
            };
            let class = byte_class(b);
            if class & SPACE != 0 {
                self.pos = self.eat_ascii_space(pos);
                continue;
            }
            if class & NAME_START != 0 {
                let end = self.eat_ascii_name(pos);
                // A non-ASCII name character continues the name: take the general path.
                if self.byte(end).is_none_or(|c| c.is_ascii()) {
                    let name = self.src.get(pos..end).unwrap_or("");
                    return Some(self.ascii_token(TokenKind::Name(name), pos, end));
                }
            } else if let Some((op, end)) = self.match_operator(pos) {
                // Operators, the most common tokens after names, without the general path's
                // call; a closing bracket that does not match goes there for its error.
                let closer = match op {
                    Op::LBrace => {
                        self.balance.push(b'}');
                        0
                    }
                    Op::LParen => {
                        self.balance.push(b')');
                        0
                    }
                    Op::LBracket => {
                        self.balance.push(b']');
                        0
                    }
                    Op::RBrace | Op::RParen | Op::RBracket => b,
                    _ => 0,
                };
                if closer == 0 || self.balance.last() == Some(&closer) {
                    if closer != 0 {
                        self.balance.pop();
                    }
                    return Some(self.ascii_token(TokenKind::Op(op), pos, end));
                }
            } else if b == b'\'' || b == b'"' {
                // A string literal with nothing to decode, as `lex_tag_token` takes it.
                if let Some((end, false)) = self.match_string(pos, char::from(b)) {
                    if self.cfg.newline_sequence == "\n" {
                        let body = self.src.get(pos + 1..end - 1).unwrap_or("");
                        self.pos = end;
                        return Some(self.token(TokenKind::Str(body), pos));
                    }
                }
            } else if !b.is_ascii() && self.first(pos).is_some_and(is_py_space) {
                self.pos = self.eat_while(pos, is_py_space);
                continue;
            }
            return match self.lex_tag_token(pos, b) {
                Ok(t) => Some(t),
                Err(e) => {
                    self.error = Some(e);
                    self.in_tag = false;
                    None
                }
            };
        }
    }

    /// Offset after the whitespace run at `at` (`eat_while(at, is_py_space)`): ASCII bytes by
    /// their class, the rest from the first non-ASCII byte on through [`is_py_space`].
    fn eat_ascii_space(&self, at: usize) -> usize {
        let b = self.bytes();
        let mut j = at;
        while b.get(j).is_some_and(|&c| byte_class(c) & SPACE != 0) {
            j += 1;
        }
        if b.get(j).is_some_and(|&c| !c.is_ascii()) {
            return self.eat_while(j, is_py_space);
        }
        j
    }

    /// Offset after the ASCII name characters (`[A-Za-z0-9_]`) from `at`.
    fn eat_ascii_name(&self, at: usize) -> usize {
        let b = self.bytes();
        let mut j = at;
        while b.get(j).is_some_and(|&c| byte_class(c) & NAME_CONT != 0) {
            j += 1;
        }
        j
    }

    /// A token at `pos` in a tag, which is neither at the tag end nor on whitespace; `b` is the
    /// byte at `pos`.
    fn lex_tag_token(&mut self, pos: usize, b: u8) -> Result<Token<'a>> {
        // Operators first, the most common tokens here: their bytes start no number, name or
        // string, so the order of the tests does not matter.
        if let Some((op, end)) = self.match_operator(pos) {
            match op {
                Op::LBrace => self.balance.push(b'}'),
                Op::LParen => self.balance.push(b')'),
                Op::LBracket => self.balance.push(b']'),
                Op::RBrace | Op::RParen | Op::RBracket => {
                    let ch = op.as_str();
                    match self.balance.pop() {
                        None => return Err(self.error_at(format!("unexpected '{ch}'"), pos)),
                        Some(expected) if !ch.as_bytes().starts_with(&[expected]) => {
                            let exp = expected as char;
                            return Err(self.error_at(format!("unexpected '{ch}', expected '{exp}'"), pos));
                        }
                        Some(_) => {}
                    }
                }
                _ => {}
            }
            return Ok(self.ascii_token(TokenKind::Op(op), pos, end));
        }
        // An ASCII byte is its character: no decoding for numbers and strings.
        let c = if b.is_ascii() { Some(char::from(b)) } else { self.first(pos) };
        let Some(c) = c else {
            // `lex_tag` checked that there is a character at `pos`.
            return Err(self.error_at("internal lexer error: end of source", pos));
        };
        if c.is_ascii_digit() {
            if let Some(end) = self.match_float(pos) {
                let text = self.src.get(pos..end).unwrap_or("");
                let clean: String = text.chars().filter(|&c| c != '_').collect();
                let value = clean.parse::<f64>().unwrap_or(f64::NAN);
                return Ok(self.ascii_token(TokenKind::Float(value), pos, end));
            }
            let (end, radix, digits_start) = self.match_integer(pos);
            let digits = self.src.get(digits_start..end).unwrap_or("0");
            let kind = int_token(digits, radix);
            return Ok(self.ascii_token(kind, pos, end));
        }
        if is_name_char(c) {
            let end = self.eat_while(pos, is_name_char);
            let name = self.src.get(pos..end).unwrap_or("");
            if !is_identifier(name) {
                return Err(self.error_at("Invalid character in identifier", pos));
            }
            self.pos = end;
            return Ok(self.token(TokenKind::Name(name), pos));
        }
        if c == '\'' || c == '"' {
            if let Some((end, escaped)) = self.match_string(pos, c) {
                let body = self.src.get(pos + 1..end - 1).unwrap_or("");
                if !escaped && self.cfg.newline_sequence == "\n" {
                    // Nothing to decode (what `decode_string` returns for it): no second scan.
                    self.pos = end;
                    return Ok(self.token(TokenKind::Str(body), pos));
                }
                return match decode_string(body, &self.cfg.newline_sequence) {
                    Ok(value) => {
                        self.pos = end;
                        let kind = match value {
                            Cow::Borrowed(s) => TokenKind::Str(s),
                            Cow::Owned(s) => TokenKind::StrOwned(s.into_boxed_str()),
                        };
                        Ok(self.token(kind, pos))
                    }
                    Err(msg) => Err(self.error_at(msg, pos)),
                };
            }
        }
        let index = self.src.get(..pos).map_or(0, |s| s.chars().count());
        Err(self.error_at(format!("unexpected char {} at {}", str_repr(&c.to_string()), index), pos))
    }

    /// `(\d+_)*\d+` at `i`: the end, if at least one digit.
    fn digits_us(&self, i: usize) -> Option<usize> {
        let b = self.bytes();
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let mut j = i;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        while b.get(j) == Some(&b'_') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
            j += 1;
            while b.get(j).is_some_and(u8::is_ascii_digit) {
                j += 1;
            }
        }
        Some(j)
    }

    /// Jinja2's `float_re` at `i`.
    fn match_float(&self, i: usize) -> Option<usize> {
        if i > 0 && self.byte(i - 1) == Some(b'.') {
            return None;
        }
        let int_end = self.digits_us(i)?;
        let frac = if self.byte(int_end) == Some(b'.') { self.digits_us(int_end + 1) } else { None };
        let exp_at = frac.unwrap_or(int_end);
        if matches!(self.byte(exp_at), Some(b'e' | b'E')) {
            let mut k = exp_at + 1;
            if matches!(self.byte(k), Some(b'+' | b'-')) {
                k += 1;
            }
            if let Some(end) = self.digits_us(k) {
                return Some(end);
            }
        }
        frac
    }

    /// Jinja2's `integer_re` at `i` (known to start with a digit): end, radix, digits start.
    fn match_integer(&self, i: usize) -> (usize, u32, usize) {
        let b = self.bytes();
        if b.get(i) == Some(&b'0') {
            let prefixed = |radix: u32| -> Option<usize> {
                let mut j = i + 2;
                let is_digit = |c: u8| (c as char).is_digit(radix);
                let mut any = false;
                loop {
                    match b.get(j) {
                        Some(&c) if is_digit(c) => j += 1,
                        Some(b'_') if b.get(j + 1).is_some_and(|&c| is_digit(c)) => j += 2,
                        _ => break,
                    }
                    any = true;
                }
                any.then_some(j)
            };
            let radix = match b.get(i + 1) {
                Some(b'b' | b'B') => 2,
                Some(b'o' | b'O') => 8,
                Some(b'x' | b'X') => 16,
                _ => 0,
            };
            if radix != 0 {
                if let Some(end) = prefixed(radix) {
                    return (end, radix, i + 2);
                }
            }
            // `0(_?0)*`
            let mut j = i + 1;
            loop {
                match b.get(j) {
                    Some(b'0') => j += 1,
                    Some(b'_') if b.get(j + 1) == Some(&b'0') => j += 2,
                    _ => break,
                }
            }
            return (j, 10, i);
        }
        // `[1-9](_?\d)*`
        let mut j = i + 1;
        loop {
            match b.get(j) {
                Some(c) if c.is_ascii_digit() => j += 1,
                Some(b'_') if b.get(j + 1).is_some_and(u8::is_ascii_digit) => j += 2,
                _ => break,
            }
        }
        (j, 10, i)
    }

    /// A string literal starting with `quote` at `i`: the offset after the closing quote, and
    /// whether the literal has a backslash.
    fn match_string(&self, i: usize, quote: char) -> Option<(usize, bool)> {
        let b = self.bytes();
        let q = quote as u8;
        let mut j = i + 1;
        let mut escaped = false;
        loop {
            let k = j + memchr::memchr2(q, b'\\', b.get(j..)?)?;
            if b.get(k) == Some(&q) {
                return Some((k + 1, escaped));
            }
            escaped = true;
            // A backslash escapes the next character, whatever it is.
            j = self.bump(k + 1);
            if k + 1 >= b.len() {
                return None;
            }
        }
    }

    /// The operator at `i` and its end; two-character operators first, as Jinja2 matches them.
    #[inline(always)]
    fn match_operator(&self, i: usize) -> Option<(Op, usize)> {
        let b = self.bytes();
        let first = *b.get(i)?;
        let two = match (first, b.get(i + 1)) {
            (b'/', Some(b'/')) => Some(Op::FloorDiv),
            (b'*', Some(b'*')) => Some(Op::Pow),
            (b'=', Some(b'=')) => Some(Op::Eq),
            (b'!', Some(b'=')) => Some(Op::Ne),
            (b'>', Some(b'=')) => Some(Op::GtEq),
            (b'<', Some(b'=')) => Some(Op::LtEq),
            _ => None,
        };
        match two {
            Some(op) => Some((op, i + 2)),
            None => Op::single(first).map(|op| (op, i + 1)),
        }
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Result<Token<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_token() {
            Ok(Some(t)) => Some(Ok(t)),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// The distinct first bytes of `rules` for [`Lexer::find_plain_tag`]: `None` with line
/// prefixes (their matches look behind) or more than three distinct bytes.
fn plain_first_bytes(rules: &[RootRule<'_>]) -> Option<([u8; 3], usize)> {
    let mut firsts = [0u8; 3];
    let mut n = 0;
    for rule in rules {
        if matches!(rule.kind, TagKind::LineStatement | TagKind::LineComment) {
            return None;
        }
        let b = *rule.finder.needle().first()?;
        if !firsts.get(..n).unwrap_or(&[]).contains(&b) {
            *firsts.get_mut(n)? = b;
            n += 1;
        }
    }
    (n > 0).then_some((firsts, n))
}

/// The first valid line statement start at or after `pos` (`^[ \t\v]*PREFIX`), with the end of
/// the prefix.
fn find_line_statement(src: &str, finder: &Needle<'_>, pos: usize) -> Option<(usize, usize)> {
    let bytes = src.as_bytes();
    let plen = finder.needle().len();
    let mut from = pos;
    loop {
        let q = from + finder.find(bytes.get(from..)?)?;
        let mut s = q;
        while s > pos && matches!(bytes.get(s - 1), Some(b' ' | b'\t' | 0x0b)) {
            s -= 1;
        }
        if s == 0 || bytes.get(s - 1) == Some(&b'\n') {
            return Some((s, q + plen));
        }
        from = q + 1;
    }
}

/// The first valid line comment start at or after `pos` (`(?:^|(?<=\S))[^\S\r\n]*PREFIX`), with
/// the end of the prefix.
fn find_line_comment(src: &str, finder: &Needle<'_>, pos: usize) -> Option<(usize, usize)> {
    let bytes = src.as_bytes();
    let plen = finder.needle().len();
    let mut from = pos;
    loop {
        let q = from + finder.find(bytes.get(from..)?)?;
        let mut s = q;
        while s > pos {
            match src.get(..s).and_then(|h| h.chars().next_back()) {
                Some(c) if is_hspace(c) => s -= c.len_utf8(),
                _ => break,
            }
        }
        let prev = src.get(..s).and_then(|h| h.chars().next_back());
        if prev.is_none_or(|c| !is_hspace(c)) {
            return Some((s, q + plen));
        }
        from = q + 1;
    }
}

/// An integer token from its digits (underscores allowed) in `radix`.
fn int_token(digits: &str, radix: u32) -> TokenKind<'static> {
    if !digits.contains('_') {
        // The usual case: nothing to clean up, no copy.
        if let Ok(v) = i64::from_str_radix(digits, radix) {
            return TokenKind::Int(v);
        }
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    match i64::from_str_radix(&clean, radix) {
        Ok(v) => TokenKind::Int(v),
        Err(_) => match num_bigint::BigUint::parse_bytes(clean.as_bytes(), radix) {
            Some(big) => TokenKind::BigInt(big.to_string().into_boxed_str()),
            None => TokenKind::Int(0),
        },
    }
}

/// Resolve a string literal body like Jinja2: newlines become the newline sequence, then the
/// text goes through `.encode("ascii", "backslashreplace").decode("unicode-escape")`. The error
/// is the message Jinja2 reports.
pub(crate) fn decode_string<'a>(body: &'a str, newline_sequence: &str) -> Result<Cow<'a, str>, String> {
    let body: Cow<'a, str> = if newline_sequence != "\n" && body.contains('\n') {
        Cow::Owned(body.replace('\n', newline_sequence))
    } else {
        Cow::Borrowed(body)
    };
    if !body.contains('\\') {
        return Ok(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            return Err("\\ at end of string".into());
        };
        match e {
            '\n' => {}
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut v = e as u32 - '0' as u32;
                for _ in 0..2 {
                    match chars.peek() {
                        Some(&d @ '0'..='7') => {
                            v = v * 8 + (d as u32 - '0' as u32);
                            chars.next();
                        }
                        _ => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let (n, msg) = match e {
                    'x' => (2, "truncated \\xXX escape"),
                    'u' => (4, "truncated \\uXXXX escape"),
                    _ => (8, "truncated \\UXXXXXXXX escape"),
                };
                let mut v: u32 = 0;
                for _ in 0..n {
                    match chars.peek().and_then(|d| if d.is_ascii() { d.to_digit(16) } else { None }) {
                        Some(d) => {
                            v = v.wrapping_mul(16).wrapping_add(d);
                            chars.next();
                        }
                        None => return Err(msg.into()),
                    }
                }
                if v > 0x10ffff {
                    return Err("illegal Unicode character".into());
                }
                // Lone surrogates cannot be represented; Python would keep them.
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            'N' => {
                if chars.peek() != Some(&'{') {
                    return Err("malformed \\N character escape".into());
                }
                chars.next();
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(ch) => name.push(ch),
                        None => return Err("malformed \\N character escape".into()),
                    }
                }
                if name.is_empty() {
                    return Err("malformed \\N character escape".into());
                }
                match unicode_name(&name) {
                    Some(ch) => out.push(ch),
                    None => return Err("unknown Unicode character name".into()),
                }
            }
            e if !e.is_ascii() => {
                // backslashreplace turned `e` into `\xNN`/`\uNNNN`/`\UNNNNNNNN`, and the
                // original backslash then escapes that backslash.
                let n = e as u32;
                out.push('\\');
                if n <= 0xff {
                    out.push_str(&format!("x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("u{n:04x}"));
                } else {
                    out.push_str(&format!("U{n:08x}"));
                }
            }
            e => {
                out.push('\\');
                out.push(e);
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// A few Unicode character names for `\N{...}` (there is no name database here).
fn unicode_name(name: &str) -> Option<char> {
    let upper = name.to_ascii_uppercase();
    Some(match upper.as_str() {
        "SPACE" => ' ',
        "NO-BREAK SPACE" | "NBSP" => '\u{a0}',
        "EN DASH" => '\u{2013}',
        "EM DASH" => '\u{2014}',
        "BULLET" => '\u{2022}',
        "HORIZONTAL ELLIPSIS" => '\u{2026}',
        "LEFT SINGLE QUOTATION MARK" => '\u{2018}',
        "RIGHT SINGLE QUOTATION MARK" => '\u{2019}',
        "LEFT DOUBLE QUOTATION MARK" => '\u{201c}',
        "RIGHT DOUBLE QUOTATION MARK" => '\u{201d}',
        "LEFT-POINTING DOUBLE ANGLE QUOTATION MARK" => '\u{ab}',
        "RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK" => '\u{bb}',
        "COPYRIGHT SIGN" => '\u{a9}',
        "REGISTERED SIGN" => '\u{ae}',
        "TRADE MARK SIGN" => '\u{2122}',
        "DEGREE SIGN" => '\u{b0}',
        "EURO SIGN" => '\u{20ac}',
        "POUND SIGN" => '\u{a3}',
        "YEN SIGN" => '\u{a5}',
        "CENT SIGN" => '\u{a2}',
        "SECTION SIGN" => '\u{a7}',
        "PILCROW SIGN" => '\u{b6}',
        "MIDDLE DOT" => '\u{b7}',
        "MULTIPLICATION SIGN" => '\u{d7}',
        "DIVISION SIGN" => '\u{f7}',
        "PLUS-MINUS SIGN" => '\u{b1}',
        "MICRO SIGN" => '\u{b5}',
        "GREEK SMALL LETTER ALPHA" => '\u{3b1}',
        "GREEK SMALL LETTER BETA" => '\u{3b2}',
        "GREEK SMALL LETTER PI" => '\u{3c0}',
        "GREEK CAPITAL LETTER OMEGA" => '\u{3a9}',
        "LATIN SMALL LETTER E WITH ACUTE" => '\u{e9}',
        "LATIN SMALL LETTER SHARP S" => '\u{df}',
        "RIGHTWARDS ARROW" => '\u{2192}',
        "LEFTWARDS ARROW" => '\u{2190}',
        "CHECK MARK" => '\u{2713}',
        "BLACK STAR" => '\u{2605}',
        "WHITE STAR" => '\u{2606}',
        "BLACK HEART SUIT" => '\u{2665}',
        "SNOWMAN" => '\u{2603}',
        "INFINITY" => '\u{221e}',
        "ZERO WIDTH SPACE" => '\u{200b}',
        "LINE FEED" | "LF" => '\n',
        "CARRIAGE RETURN" | "CR" => '\r',
        "CHARACTER TABULATION" | "TAB" => '\t',
        "NULL" | "NUL" => '\0',
        "QUOTATION MARK" => '"',
        "APOSTROPHE" => '\'',
        "REVERSE SOLIDUS" => '\\',
        "AMPERSAND" => '&',
        "LESS-THAN SIGN" => '<',
        "GREATER-THAN SIGN" => '>',
        "PILE OF POO" => '\u{1f4a9}',
        "GRINNING FACE" => '\u{1f600}',
        "SNAKE" => '\u{1f40d}',
        _ => {
            // LATIN CAPITAL/SMALL LETTER X, DIGIT N
            if let Some(l) = upper.strip_prefix("LATIN CAPITAL LETTER ") {
                let mut it = l.chars();
                return match (it.next(), it.next()) {
                    (Some(c), None) if c.is_ascii_uppercase() => Some(c),
                    _ => None,
                };
            }
            if let Some(l) = upper.strip_prefix("LATIN SMALL LETTER ") {
                let mut it = l.chars();
                return match (it.next(), it.next()) {
                    (Some(c), None) if c.is_ascii_uppercase() => Some(c.to_ascii_lowercase()),
                    _ => None,
                };
            }
            return None;
        }
    })
}

#[cfg(test)]
mod unit {
    use super::*;

    fn toks(src: &str, cfg: &SyntaxConfig) -> Vec<String> {
        let norm = normalize_source(src, cfg.keep_trailing_newline);
        let mut out = Vec::new();
        for t in tokenize(&norm, cfg) {
            match t {
                Ok(t) => out.push(match &t.kind {
                    TokenKind::Data(d) => format!("data:{d:?}"),
                    TokenKind::Name(n) => format!("name:{n}"),
                    TokenKind::Str(s) => format!("str:{s:?}"),
                    TokenKind::StrOwned(s) => format!("str:{s:?}"),
                    TokenKind::Int(i) => format!("int:{i}"),
                    TokenKind::BigInt(i) => format!("bigint:{i}"),
                    TokenKind::Float(f) => format!("float:{f:?}"),
                    k => k.describe().into_owned(),
                }),
                Err(e) => out.push(format!("ERR:{}@{:?}", e.detail(), e.line())),
            }
        }
        out
    }

    fn d(src: &str) -> Vec<String> {
        toks(src, &SyntaxConfig::default())
    }

    #[test]
    fn basic_tokens() {
        assert_eq!(
            d("a{{ x }}b"),
            ["data:\"a\"", "begin of print statement", "name:x", "end of print statement", "data:\"b\""]
        );
        assert_eq!(
            d("{% if x %}"),
            ["begin of statement block", "name:if", "name:x", "end of statement block"]
        );
        assert_eq!(d("a{# c #}b"), ["data:\"a\"", "data:\"b\""]);
    }

    #[test]
    fn numbers() {
        assert_eq!(d("{{ 1_000 }}")[1], "int:1000");
        assert_eq!(d("{{ 0x1F }}")[1], "int:31");
        assert_eq!(d("{{ 0b101 }}")[1], "int:5");
        assert_eq!(d("{{ 0o17 }}")[1], "int:15");
        assert_eq!(d("{{ 1e3 }}")[1], "float:1000.0");
        assert_eq!(d("{{ 1_000.5 }}")[1], "float:1000.5");
        assert_eq!(d("{{ 2.5E-1 }}")[1], "float:0.25");
        assert_eq!(d("{{ 99999999999999999999 }}")[1], "bigint:99999999999999999999");
        assert_eq!(d("{{ 0xffffffffffffffffff }}")[1], "bigint:4722366482869645213695");
        assert_eq!(d("{{ 42e+ }}")[1..4], ["int:42", "name:e", "+"]);
        assert_eq!(d("{{ x.0.1 }}")[2..6], [".", "int:0", ".", "int:1"]);
        assert_eq!(d("{{ 1. }}")[1..3], ["int:1", "."]);
        assert_eq!(d("{{ 00 }}")[1], "int:0");
        assert_eq!(d("{{ 0b2 }}")[1..3], ["int:0", "name:b2"]);
    }

    #[test]
    fn strings() {
        assert_eq!(d(r#"{{ "a\nb" }}"#)[1], "str:\"a\\nb\"");
        assert_eq!(d(r#"{{ 'it\'s' }}"#)[1], "str:\"it's\"");
        assert_eq!(d(r#"{{ "\x41\101\u00e9\q" }}"#)[1], "str:\"AAé\\\\q\"");
        assert_eq!(d(r#"{{ "\é" }}"#)[1], "str:\"\\\\xe9\"");
        assert_eq!(d(r#"{{ "\N{BULLET}" }}"#)[1], "str:\"•\"");
        assert_eq!(d(r#"{{ "\x4" }}"#)[1], "ERR:truncated \\xXX escape@Some(1)");
        assert_eq!(d("{{ 'abc }}")[1], "ERR:unexpected char \"'\" at 3@Some(1)");
    }

    #[test]
    fn errors() {
        assert_eq!(d("{{ ! }}")[1], "ERR:unexpected char '!' at 3@Some(1)");
        assert_eq!(d("{{ [1, 2 }}")[5], "ERR:unexpected '}', expected ']'@Some(1)");
        assert_eq!(d("{{ ) }}")[1], "ERR:unexpected ')'@Some(1)");
        assert_eq!(d("a{# x"), ["data:\"a\"", "ERR:Missing end of comment tag@Some(1)"]);
        assert_eq!(d("a{# x #"), ["data:\"a\"", "ERR:Missing end of comment tag@Some(1)"]);
        assert_eq!(d("{% raw %}x"), ["ERR:Missing end of raw directive@Some(1)"]);
        assert!(d("{% raw %}").is_empty());
        assert_eq!(d("abc{#"), ["data:\"abc\""]);
    }

    #[test]
    fn whitespace_control() {
        assert_eq!(
            d("a  \n {%- if x -%}  \n b"),
            [
                "data:\"a\"",
                "begin of statement block",
                "name:if",
                "name:x",
                "end of statement block",
                "data:\"b\""
            ]
        );
        assert_eq!(d("a {{- x -}} b")[0], "data:\"a\"");
        assert_eq!(d("a {{- x -}} b")[4], "data:\"b\"");
        let cfg = SyntaxConfig { trim_blocks: true, lstrip_blocks: true, ..Default::default() };
        assert_eq!(
            toks("x\n  {% if y %}\nz", &cfg),
            [
                "data:\"x\\n\"",
                "begin of statement block",
                "name:if",
                "name:y",
                "end of statement block",
                "data:\"z\""
            ]
        );
        assert_eq!(
            toks("x\n  {%+ if y +%}\nz", &cfg),
            [
                "data:\"x\\n  \"",
                "begin of statement block",
                "name:if",
                "name:y",
                "end of statement block",
                "data:\"\\nz\""
            ]
        );
        // lstrip does not apply to variables
        assert_eq!(toks("  {{ y }}", &cfg)[0], "data:\"  \"");
        // nor when text precedes the tag on the same line
        assert_eq!(toks("a {% if y %}", &cfg)[0], "data:\"a \"");
        // trim_blocks applies to comments
        assert_eq!(toks("a{# c #}\nb", &cfg), ["data:\"a\"", "data:\"b\""]);
    }

    #[test]
    fn raw_blocks() {
        assert_eq!(d("{% raw %}{{ x }}{% endraw %}"), ["data:\"{{ x }}\""]);
        assert_eq!(d("a {%- raw -%} x {%- endraw -%} b"), ["data:\"a\"", "data:\"x\"", "data:\"b\""]);
        assert_eq!(d("{% raw %}{% endraw x %}{% endraw %}"), ["data:\"{% endraw x %}\""]);
    }

    #[test]
    fn trailing_newline() {
        assert_eq!(d("a\n"), ["data:\"a\""]);
        assert_eq!(d("a\n\n"), ["data:\"a\\n\""]);
        assert_eq!(d("a\r\nb\rc"), ["data:\"a\\nb\\nc\""]);
        let cfg = SyntaxConfig { keep_trailing_newline: true, ..Default::default() };
        assert_eq!(toks("a\n", &cfg), ["data:\"a\\n\""]);
    }

    #[test]
    fn line_statements_and_comments() {
        let cfg = SyntaxConfig {
            line_statement_prefix: Some("#".into()),
            line_comment_prefix: Some("##".into()),
            ..Default::default()
        };
        assert_eq!(
            toks("a\n  # for x in y\nb ## c\n# endfor", &cfg),
            [
                "data:\"a\\n\"",
                "begin of statement block",
                "name:for",
                "name:x",
                "name:in",
                "name:y",
                "end of statement block",
                "data:\"b\"",
                "data:\"\\n\"",
                "begin of statement block",
                "name:endfor",
                "end of statement block"
            ]
        );
        // a prefix not at the start of a line is data
        assert_eq!(toks("a # b", &cfg), ["data:\"a # b\""]);
    }

    #[test]
    fn spans() {
        let norm = normalize_source("ab\n  {{ xé }}", false);
        let cfg = SyntaxConfig::default();
        let v: Vec<_> =
            tokenize(&norm, &cfg).filter_map(|t| t.ok()).map(|t| (t.span.line, t.span.col)).collect();
        assert_eq!(v, [(1, 1), (2, 3), (2, 6), (2, 9)]);
    }

    #[test]
    fn line_col_by_words() {
        // Byte by byte, as the locator counted before.
        fn naive(chunk: &[u8], mut line: u32, mut col: u32) -> (u32, u32) {
            for &b in chunk {
                if b == b'\n' {
                    line += 1;
                    col = 1;
                } else if (b & 0xC0) != 0x80 {
                    col += 1;
                }
            }
            (line, col)
        }
        let pieces = ["a", "\n", "é", "€", "😀", " ", "\n\n", "xyz", "\t"];
        let mut seed = 12345u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let n = (seed >> 58) as usize;
            for k in 0..n {
                let r = seed.rotate_left(k as u32 * 7) as usize;
                text.push_str(pieces[r % pieces.len()]);
            }
            let b = text.as_bytes();
            assert_eq!(advance_line_col(b, 3, 5), naive(b, 3, 5), "{text:?}");
            let mut loc = Locator::new();
            let end = b.len();
            let span = loc.span_slow(b, end);
            assert_eq!((span.line, span.col), naive(b, 1, 1), "{text:?}");
        }
    }

    #[test]
    fn custom_delimiters() {
        let cfg = SyntaxConfig {
            block_start: "<%".into(),
            block_end: "%>".into(),
            variable_start: "<%=".into(),
            variable_end: "%>".into(),
            comment_start: "<%#".into(),
            comment_end: "%>".into(),
            ..Default::default()
        };
        assert_eq!(
            toks("<%# c %><%= x %><% if y %>", &cfg),
            [
                "begin of print statement",
                "name:x",
                "end of print statement",
                "begin of statement block",
                "name:if",
                "name:y",
                "end of statement block"
            ]
        );
    }
}
