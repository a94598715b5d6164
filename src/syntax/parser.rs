//! The parser: Jinja2's `Parser` (parser.py) method for method, producing [`ast::Template`].
//!
//! Error messages, the token a message points at (its line), and the order in which errors
//! are found all follow Jinja2 3.1.6, including its quirks (`-2 ** 2` is `(-2) ** 2`, `~` binds
//! tighter than `+`, test arguments without parentheses, ...). Spans are those of the token
//! Jinja2 takes a node's `lineno` from, with that token's column.
//!
//! Extension tags are parsed only when enabled in [`SyntaxConfig::extensions`]: `do`,
//! `loopcontrols` (`break`, `continue`), `debug`, `i18n` (`trans`). For `trans`, the texts are
//! the printf-style strings Jinja2 hands to gettext (old-style gettext): literal `%` doubled to
//! `%%` and placeholders `%(name)s` when the text references variables, plain text otherwise;
//! `trimmed` is already applied to them. As in Jinja2, when the first variable is bound to a call,
//! a `{% set _trans = call %}` precedes the `Trans` statement, which then refers to `_trans`.
//! `vars` holds the variables bound in the tag; names the texts reference but the tag does not
//! bind are in `referenced` (look them up in the context).
//!
//! Two constructs Jinja2 accepts cannot be expressed in the syntax tree: a slice inside a tuple
//! subscript (`x[1:2, 3]`) and a `trans` context string (`{% trans "ctx" %}`, pgettext). They are
//! reported as syntax errors once the rest of the template parsed, so that any error Jinja2
//! itself reports comes first.

use std::sync::Arc;

use super::ast::{
    text_hash, Args, BinOp, CmpOp, Const, DataRange, Expr, ExprKind, ExprList, ExprRef, Exprs, ForLoop,
    Interned, MacroDef, Span, Stmt, StmtKind, StmtList, Str, Target, Template, TransDef, UnaryOp,
};
use super::lexer::{is_py_space, normalize_source, Lexer};
use super::tokens::{Op, Token, TokenKind};
use super::SyntaxConfig;
use crate::error::{Error, ErrorKind, Result};
use crate::value::repr::str_repr;

/// How deep statements and expressions may nest (in guard units: one per nested statement
/// body, about two per nested bracket). Jinja2 itself hits Python's recursion limit far
/// earlier.
pub const MAX_DEPTH: usize = 500;

/// Python's recursion limit as Jinja2's recursive-descent parser meets it, in Python frames
/// counted from the template's top-level body: Jinja2 raises `RecursionError` for a template
/// nesting deeper than this, so jinjac rejects it too. Calibrated on Jinja2 3.1.6 under
/// Python's default limit of 1000, loading a template through a loader: 69 nested parentheses,
/// 74 nested lists and 245 nested statement bodies parse, one more does not. The frame counts
/// per construct are in [`Frames`].
const PY_FRAME_BUDGET: usize = 985;

/// How tall an expression tree may be, in nodes from its root to its deepest leaf: a taller
/// one is a `RecursionError` when the parse ends, located at its first node that is too tall.
///
/// The parser's nesting budget ([`PY_FRAME_BUDGET`], [`MAX_DEPTH`]) does not bound trees that
/// it builds by iterating: operator chains (`1 + 1 + ...`, `a and b and ...`), postfix chains
/// (`x.a.a...`, `x[0][0]...`, `f()()...`, `x|f|f...`) and `a if b if c ...` nest one level per
/// link. This height does, so every later recursive walk over an expression (lowering,
/// constant folding, code generation, meta analysis) is bounded by construction.
///
/// Jinja2 3.1.6 (Python 3.11, recursion limit 1000) renders trees of up to 491 nodes
/// (`{{ 1 + 1 + ... }}` with 491 terms, `{{ --...-1 }}` with 490 signs: its optimizer and code
/// generator recurse over the tree) and raises `RecursionError` beyond; non-constant chains
/// already fail from ~200 links on there (CPython's limit of 200 nested parentheses in the
/// generated module), which jinjac does not mirror. Assumption: the compiling thread has at
/// least a 2 MiB stack (the default of a spawned thread) and the build is optimized; the walks
/// over a tree this tall (lowering, folding) then fit with a 4x margin (512 KiB sufficed for
/// every chain, 256 KiB not for a constant sum; see `tests/deep_recursion.rs`). The renderer
/// grows its stack on its own, so it needs no such bound.
pub const MAX_EXPR_HEIGHT: usize = 491;

/// Python frames Jinja2's parser spends per nesting level of a construct (see
/// [`PY_FRAME_BUDGET`]).
struct Frames;

impl Frames {
    /// A statement body: `subparse`, `parse_statement`, the tag's parser, ...
    const BODY: usize = 4;
    /// An expression in full, from `parse_expression` down to `parse_primary` (with the
    /// `parse_unary` entered for its operand: 13 per nested list).
    const EXPRESSION: usize = 12;
    /// One more frame: a unary operator or `not`, the `else` of a conditional, the
    /// `parse_tuple` of a parenthesized expression, the call or subscript around arguments.
    const ONE: usize = 1;
}

/// Names that parse as constants and can never be assigned.
const LITERAL_NAMES: [&str; 6] = ["true", "false", "none", "True", "False", "None"];

/// How deep a parse on the caller's thread may nest (in the same units as [`MAX_DEPTH`]):
/// ~13 KiB of stack per unit in unoptimized builds, far less optimized, so this fits any
/// thread's stack. Real templates stay well below it.
const INLINE_MAX_DEPTH: usize = 32;

/// Stack size of the thread larger sources are parsed on: the recursive descent needs up to
/// ~13 KiB per nesting unit in unoptimized builds, so [`MAX_DEPTH`] units fit with a wide margin.
const PARSE_THREAD_STACK: usize = 32 << 20;

/// Parse a template source into the AST. `name` is only for error messages.
///
/// The parser is recursive like Jinja2's; nesting deeper than [`MAX_DEPTH`] is a syntax error.
/// A source is first parsed on the caller's thread with the nesting capped at
/// [`INLINE_MAX_DEPTH`]; only a source that nests deeper than that is parsed again, on a scoped
/// helper thread with a big stack, so that the allowed depth never depends on how much stack the
/// caller has left. The parser is a pure function of the source up to the first time it nests
/// past the cap, so both parses give the same result. (Spawning the thread for every source
/// cost ~30 µs per template, more than parsing a typical one.)
pub fn parse(source: &str, name: &str, config: &SyntaxConfig) -> Result<Template> {
    let run = |max_depth| {
        let (result, too_deep) = parse_inner(source, name, config, max_depth);
        (result.map_err(|e| e.with_name(name, source)), too_deep)
    };
    let (result, too_deep) = run(INLINE_MAX_DEPTH);
    if !too_deep {
        return result;
    }
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("jinjac-parse".into())
            .stack_size(PARSE_THREAD_STACK)
            .spawn_scoped(scope, || run(MAX_DEPTH).0);
        match spawned {
            Ok(handle) => match handle.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            },
            // No thread available: parse here.
            Err(_) => run(MAX_DEPTH).0,
        }
    })
}

/// Parse with nesting capped at `max_depth`; the flag says whether the cap was hit below
/// [`MAX_DEPTH`] (then the result is not the real one).
fn parse_inner(
    source: &str,
    name: &str,
    config: &SyntaxConfig,
    max_depth: usize,
) -> (Result<Template>, bool) {
    if let Err(e) = check_config(config) {
        return (Err(e), false);
    }
    let normalized = normalize_source(source, config.keep_trailing_newline);
    let lexer = Lexer::new(&normalized, config);
    let stream = match TokenStream::new(lexer) {
        Ok(s) => s,
        Err(e) => return (Err(e), false),
    };
    let mut parser = Parser {
        stream,
        cfg: config,
        name,
        source,
        // The stacks and lists below start with room for the usual nesting and counts (each
        // grew from empty in every template, a reallocation or two apiece).
        tag_stack: Vec::with_capacity(16),
        end_token_stack: Vec::with_capacity(16),
        depth: 0,
        py_frames: 0,
        max_depth,
        too_deep: false,
        interned: Interned::with_capacity(64),
        shared: SHARED_TEXTS.take(),
        recent: Box::new([Recent { word: 0, len: 0, id: u32::MAX }; RECENT_SLOTS]),
        unsupported: None,
        data: String::with_capacity(source.len() / 4),
        has_floats: false,
        // Over the corpus, a tag per ~35 source bytes, and statements for the text between
        // them: room for a statement per 16 bytes saves most regrowth copies of the arena.
        exprs: Exprs::with_capacity(source.len() / 16 + 8, source.len() / 16 + 8),
        arg_stack: Vec::with_capacity(16),
        kw_stack: Vec::with_capacity(8),
        stmt_stack: Vec::with_capacity(256),
        branch_stack: Vec::with_capacity(8),
        cmp_stack: Vec::with_capacity(8),
        block_names: Vec::with_capacity(8),
        duplicate_block: None,
        stores: Vec::with_capacity(16),
    };
    let result = parser.subparse(None).and_then(|body| {
        let template = Template {
            body,
            data: std::mem::take(&mut parser.data),
            interned: std::mem::take(&mut parser.interned),
            tokens: parser.stream.count,
            has_floats: parser.has_floats,
            exprs: std::mem::take(&mut parser.exprs),
            stores: std::mem::take(&mut parser.stores),
        };
        if let Some(e) = parser.duplicate_block.take() {
            return Err(e);
        }
        if let Some(e) = parser.unsupported.take() {
            return Err(e);
        }
        // The arena's nodes are never a tree's root (but for a `set` block's filters, whose
        // root is one level lower than counted), so they may be one node shorter.
        match template.exprs.first_taller_than(MAX_EXPR_HEIGHT - 1) {
            Some(node) => Err(too_tall_error(node.span, name, source)),
            None => Ok(template),
        }
    });
    SHARED_TEXTS.set(std::mem::take(&mut parser.shared));
    (result, parser.too_deep)
}

/// The error for an expression taller than [`MAX_EXPR_HEIGHT`], at `span`.
#[cold]
#[inline(never)]
fn too_tall_error(span: Span, name: &str, source: &str) -> Error {
    let mut e = Error::new(
        ErrorKind::RecursionError,
        "maximum recursion depth exceeded (expression nested too deep: Jinja2 meets Python's recursion limit compiling it)",
    );
    e.attach(name, span.line as usize, span.col as usize, Some(source));
    e
}

/// How many entries [`Parser::recent`] has.
const RECENT_SLOTS: usize = 256;

/// An entry of [`Parser::recent`]: a text of at most 8 bytes packed into a word (see
/// [`short_key`]), its length, and its id (`u32::MAX`: empty).
#[derive(Clone, Copy)]
struct Recent {
    word: u64,
    len: u32,
    id: u32,
}

/// A text of at most 8 bytes as a little-endian word and its length (`None`: longer).
#[inline(always)]
fn short_key(s: &str) -> Option<(u64, u32)> {
    let b = s.as_bytes();
    if b.len() > 8 {
        return None;
    }
    let mut word = 0u64;
    for (i, &x) in b.iter().enumerate() {
        word |= u64::from(x) << (8 * i);
    }
    Some((word, b.len() as u32))
}

/// The [`Parser::recent`] slot of a [`short_key`] (a multiplicative hash).
#[inline(always)]
fn recent_slot(word: u64, len: u32) -> usize {
    ((word ^ u64::from(len)).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56) as usize
}

/// Longest text [`shared_text`] keeps for later templates (names and short constants; a long
/// literal is seldom written twice and would stay in memory).
const SHARED_TEXT_MAX_LEN: usize = 64;

/// How many texts [`shared_text`] keeps per thread before it starts over.
const SHARED_TEXT_MAX_COUNT: usize = 4096;

/// Texts interned by earlier parses, with their [`text_hash`]: templates compiled together use
/// the same names (`loop`, `item`, filter names...), and a hit here is a reference count
/// increment instead of an allocation (and a free when the tree is dropped).
type SharedTexts = hashbrown::HashTable<(u64, Arc<str>)>;

thread_local! {
    /// The [`SharedTexts`] of the parses on this thread, lent to each parse while it runs (a
    /// parse nested in another would start from an empty table).
    static SHARED_TEXTS: std::cell::Cell<SharedTexts> = std::cell::Cell::default();
}

/// The shared copy of `name` (whose [`text_hash`] is `hash`) for a template that has not
/// interned it yet: the one an earlier parse made, or a new one.
fn shared_text(set: &mut SharedTexts, name: &str, hash: u64) -> Arc<str> {
    if name.len() > SHARED_TEXT_MAX_LEN {
        return name.into();
    }
    if let Some((_, text)) = set.find(hash, |(h, t)| *h == hash && **t == *name) {
        return text.clone();
    }
    if set.len() >= SHARED_TEXT_MAX_COUNT {
        set.clear();
    }
    let text: Arc<str> = name.into();
    set.insert_unique(hash, (hash, text.clone()), |(h, _)| *h);
    text
}

/// Empty delimiters would make the lexer match nothing forever; Jinja2 does not handle them
/// either.
fn check_config(cfg: &SyntaxConfig) -> Result<()> {
    let delimiters = [
        &cfg.block_start,
        &cfg.block_end,
        &cfg.variable_start,
        &cfg.variable_end,
        &cfg.comment_start,
        &cfg.comment_end,
    ];
    let prefixes = [&cfg.line_statement_prefix, &cfg.line_comment_prefix];
    if delimiters.iter().any(|d| d.is_empty()) || prefixes.iter().any(|p| p.as_deref() == Some("")) {
        return Err(Error::syntax("template delimiters and line prefixes must not be empty", 1, 1));
    }
    Ok(())
}

/// Jinja2's `TokenStream`: the current token, the token after it once looked at, and a lazy
/// lexer.
struct TokenStream<'a> {
    lexer: Lexer<'a>,
    current: Token<'a>,
    /// The token after `current`, fetched early by [`TokenStream::look`].
    peeked: Option<Token<'a>>,
    /// Tokens fetched so far.
    count: usize,
}

impl<'a> TokenStream<'a> {
    fn new(lexer: Lexer<'a>) -> Result<TokenStream<'a>> {
        let initial = Token { kind: TokenKind::Eof, span: Span { line: 1, col: 1 }, offset: 0 };
        let mut stream = TokenStream { lexer, current: initial, peeked: None, count: 0 };
        // `current` starts as Jinja2's "initial" token, which is not EOF.
        stream.current = stream.fetch()?;
        Ok(stream)
    }

    /// The next token from the lexer; at its end an EOF token on the last token's position.
    /// Inlined so that the lexer writes the token where the caller keeps it, not through
    /// temporaries.
    #[inline(always)]
    fn fetch(&mut self) -> Result<Token<'a>> {
        self.count += 1;
        match self.lexer.next_token()? {
            Some(t) => Ok(t),
            None => Ok(Token { kind: TokenKind::Eof, span: self.current.span, offset: self.current.offset }),
        }
    }

    fn at_eof(&self) -> bool {
        matches!(self.current.kind, TokenKind::Eof)
    }

    /// Go one token ahead (at the end, stay on EOF). The usual case, a plain tag token, is
    /// taken here without the `Result` of `fetch`; everything else is out of line in
    /// [`TokenStream::advance_slow`], which keeps this function's frame small.
    fn advance(&mut self) -> Result<()> {
        if self.peeked.is_none() && !self.at_eof() {
            if let Some(t) = self.lexer.next_tag_token() {
                self.count += 1;
                self.current = t;
                return Ok(());
            }
        }
        self.advance_slow()
    }

    /// [`TokenStream::advance`] with a peeked token, at the end, or when the lexer has no plain
    /// tag token (text, a tag start, an error or the end of the source).
    #[inline(never)]
    fn advance_slow(&mut self) -> Result<()> {
        if self.peeked.is_some() {
            // Tested first: `take` moves the whole token even when there is none.
            if let Some(t) = self.peeked.take() {
                self.current = t;
            }
        } else if !self.at_eof() {
            self.current = self.fetch()?;
        }
        Ok(())
    }

    /// Go one token ahead and return the old current token.
    fn next(&mut self) -> Result<Token<'a>> {
        let new = if self.peeked.is_some() {
            // Tested first, as in `advance`.
            match self.peeked.take() {
                Some(t) => t,
                None => return Ok(self.current.clone()),
            }
        } else if self.at_eof() {
            return Ok(self.current.clone());
        } else if let Some(t) = self.lexer.next_tag_token() {
            self.count += 1;
            t
        } else {
            self.fetch()?
        };
        Ok(std::mem::replace(&mut self.current, new))
    }

    /// Look at the token after the current one.
    fn look(&mut self) -> Result<&Token<'a>> {
        if self.peeked.is_none() {
            let t = if self.at_eof() { self.current.clone() } else { self.fetch()? };
            self.peeked = Some(t);
        }
        Ok(self.peeked.as_ref().unwrap_or(&self.current))
    }
}

/// What `expect` wants.
#[derive(Debug, Clone, Copy)]
enum Want<'s> {
    Op(Op),
    Name,
    NameIs(&'s str),
    BlockEnd,
    VariableEnd,
}

impl Want<'_> {
    fn matches(&self, kind: &TokenKind<'_>) -> bool {
        match (self, kind) {
            (Want::Op(o), TokenKind::Op(k)) => o == k,
            (Want::Name, TokenKind::Name(_)) => true,
            (Want::NameIs(n), TokenKind::Name(k)) => n == k,
            (Want::BlockEnd, TokenKind::BlockEnd) => true,
            (Want::VariableEnd, TokenKind::VariableEnd) => true,
            _ => false,
        }
    }

    /// Jinja2's `describe_token_expr`.
    fn describe(&self) -> &str {
        match self {
            Want::Op(o) => o.as_str(),
            Want::Name => "name",
            Want::NameIs(n) => n,
            Want::BlockEnd => "end of statement block",
            Want::VariableEnd => "end of print statement",
        }
    }
}

/// An assignment target while it is parsed (before Jinja2's `can_assign` check).
enum TItem {
    Expr(Expr),
    NsRef(Str, Str),
    Tuple(Vec<TItem>, Span),
}

/// One subscript inside `[...]`.
#[allow(clippy::large_enum_variant)]
enum Subscribed {
    Expr(Expr),
    Slice(Option<Expr>, Option<Expr>, Option<Expr>),
}

struct Parser<'a> {
    stream: TokenStream<'a>,
    cfg: &'a SyntaxConfig,
    name: &'a str,
    source: &'a str,
    tag_stack: Vec<&'a str>,
    end_token_stack: Vec<&'static [&'static str]>,
    depth: usize,
    /// Python frames Jinja2's parser would have on its stack here ([`PY_FRAME_BUDGET`]).
    py_frames: usize,
    /// The nesting cap of this parse ([`MAX_DEPTH`] or the inline cap).
    max_depth: usize,
    /// Set when the nesting went past an inline cap below [`MAX_DEPTH`].
    too_deep: bool,
    /// Names seen so far: every occurrence of a name in a template shares one allocation, so
    /// the renderer's name comparisons mostly succeed on the pointer.
    interned: Interned,
    /// The thread's [`SharedTexts`], while this parse runs.
    shared: SharedTexts,
    /// Short texts interned lately, by [`recent_slot`] (a direct-mapped cache in front of
    /// `interned`).
    recent: Box<[Recent; RECENT_SLOTS]>,
    /// The first construct Jinja2 accepts but the syntax tree cannot express; reported once the
    /// whole template parsed (so that any real error Jinja2 would report comes first).
    unsupported: Option<Error>,
    /// Whether a float literal was read ([`Template::has_floats`]).
    has_floats: bool,
    /// The template data seen so far ([`Template::data`]).
    data: String,
    /// The expression arena ([`Template::exprs`]).
    exprs: Exprs,
    /// The positional arguments of the argument lists being parsed (see
    /// [`Parser::parse_call_args`]).
    arg_stack: Vec<Expr>,
    /// The keyword arguments of the argument lists being parsed.
    kw_stack: Vec<(Str, Expr)>,
    /// The statements of the bodies being parsed (an inner body's above its parent's), each
    /// body's moved into the arena once it is complete (see [`Parser::subparse`]).
    stmt_stack: Vec<Stmt>,
    /// The branches of the `if` statements being parsed, the same way.
    branch_stack: Vec<(Expr, StmtList)>,
    /// The comparisons of the comparison chains being parsed (see
    /// [`Parser::parse_compare_rest`]).
    cmp_stack: Vec<(CmpOp, Expr)>,
    /// The names of the `block` statements parsed so far, in source order.
    block_names: Vec<&'a str>,
    /// The first block name defined twice, reported once the whole template parsed (Jinja2's
    /// code generator rejects it, after the parser).
    duplicate_block: Option<Error>,
    /// The names assignments, macros and imports store ([`Template::stores`]).
    stores: Vec<Str>,
}

/// The binary operator levels of Jinja2's expression parser, loosest last; each level's
/// operands are expressions of the level before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Prec {
    /// `**` (operands: unary expressions)
    Pow,
    /// `*`, `/`, `//`, `%`
    Math2,
    /// `~`
    Concat,
    /// `+`, `-`
    Math1,
    /// `==`, `<`, `in`, `not in`, ...
    Compare,
    /// `and` (operands: `not` expressions)
    And,
    /// `or`
    Or,
}

impl Prec {
    const ALL: [Prec; 7] =
        [Prec::Pow, Prec::Math2, Prec::Concat, Prec::Math1, Prec::Compare, Prec::And, Prec::Or];
}

fn mk(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

fn stmt(kind: StmtKind, span: Span) -> Stmt {
    Stmt { kind, span }
}

/// Jinja2's node class name, lower-cased (for "can't assign to ..." messages).
fn expr_type_name(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Const(_) => "const",
        ExprKind::Name(_) => "name",
        ExprKind::List(_) => "list",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::Dict(_) => "dict",
        ExprKind::GetAttr(..) => "getattr",
        ExprKind::GetItem(..) | ExprKind::Slice { .. } => "getitem",
        ExprKind::Unary(UnaryOp::Not, _) => "not",
        ExprKind::Unary(UnaryOp::Neg, _) => "neg",
        ExprKind::Unary(UnaryOp::Pos, _) => "pos",
        ExprKind::Binary(op, ..) => match op {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::Div => "div",
            BinOp::FloorDiv => "floordiv",
            BinOp::Mod => "mod",
            BinOp::Pow => "pow",
            BinOp::And => "and",
            BinOp::Or => "or",
        },
        ExprKind::Concat(_) => "concat",
        ExprKind::Compare(..) => "compare",
        ExprKind::Test { negated: true, .. } => "not",
        ExprKind::Test { .. } => "test",
        ExprKind::Filter { .. } => "filter",
        ExprKind::Call(..) => "call",
        ExprKind::Cond { .. } => "condexpr",
    }
}

fn expr_can_assign(ex: &Exprs, e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Name(n) => !LITERAL_NAMES.contains(&&**ex.text(*n)),
        ExprKind::Tuple(items) => ex.list(*items).iter().all(|e| expr_can_assign(ex, e)),
        _ => false,
    }
}

fn expr_to_target(ex: &mut Exprs, e: &Expr) -> Target {
    match &e.kind {
        ExprKind::Tuple(items) => {
            let items: Vec<Expr> = ex.list(*items).to_vec();
            let targets: Vec<Target> = items.iter().map(|e| expr_to_target(ex, e)).collect();
            Target::Tuple(ex.push_targets(targets))
        }
        ExprKind::Name(n) => Target::Name(*n),
        // Unreachable after `expr_can_assign`.
        _ => Target::Tuple(ex.push_targets([])),
    }
}

impl TItem {
    fn can_assign(&self, ex: &Exprs) -> bool {
        match self {
            TItem::Expr(e) => expr_can_assign(ex, e),
            TItem::NsRef(..) => true,
            TItem::Tuple(items, _) => items.iter().all(|t| t.can_assign(ex)),
        }
    }

    fn type_name_and_span(&self) -> (&'static str, Span) {
        match self {
            TItem::Expr(e) => (expr_type_name(e), e.span),
            TItem::NsRef(..) => ("nsref", Span::default()),
            TItem::Tuple(_, span) => ("tuple", *span),
        }
    }

    fn into_target(self, ex: &mut Exprs) -> Target {
        match self {
            TItem::Expr(e) => expr_to_target(ex, &e),
            TItem::NsRef(ns, attr) => Target::Attr(ns, attr),
            TItem::Tuple(items, _) => {
                let targets: Vec<Target> = items.into_iter().map(|t| t.into_target(ex)).collect();
                Target::Tuple(ex.push_targets(targets))
            }
        }
    }
}

/// Jinja2's i18n `_trim_whitespace`: strip, then every whitespace run holding a newline
/// becomes one space.
fn trim_trans_whitespace(s: &str) -> String {
    let s = s.trim_matches(is_py_space);
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    for c in s.chars() {
        if is_py_space(c) {
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            if run.contains('\n') {
                out.push(' ');
            } else {
                out.push_str(&run);
            }
            run.clear();
        }
        out.push(c);
    }
    out
}

impl<'a> Parser<'a> {
    // ----- token helpers ------------------------------------------------------------------

    fn cur(&self) -> &TokenKind<'a> {
        &self.stream.current.kind
    }

    fn cur_span(&self) -> Span {
        self.stream.current.span
    }

    fn cur_name(&self) -> Option<&'a str> {
        match self.stream.current.kind {
            TokenKind::Name(n) => Some(n),
            _ => None,
        }
    }

    fn cur_is_name(&self, n: &str) -> bool {
        self.cur().is_name(n)
    }

    fn cur_is_op(&self, op: Op) -> bool {
        self.cur().is_op(op)
    }

    /// Go one token ahead and return the old current token.
    fn next(&mut self) -> Result<Token<'a>> {
        self.stream.next()
    }

    /// Go one token ahead.
    fn advance(&mut self) -> Result<()> {
        self.stream.advance()
    }

    /// Go one token ahead and return where the old current token was.
    fn next_span(&mut self) -> Result<Span> {
        let span = self.cur_span();
        self.advance()?;
        Ok(span)
    }

    fn skip(&mut self, n: usize) -> Result<()> {
        for _ in 0..n {
            self.advance()?;
        }
        Ok(())
    }

    fn look_is_name(&mut self, n: &str) -> Result<bool> {
        Ok(self.stream.look()?.kind.is_name(n))
    }

    fn skip_if_name(&mut self, n: &str) -> Result<bool> {
        if self.cur_is_name(n) {
            self.advance()?;
            return Ok(true);
        }
        Ok(false)
    }

    fn skip_if_op(&mut self, op: Op) -> Result<bool> {
        if self.cur_is_op(op) {
            self.advance()?;
            return Ok(true);
        }
        Ok(false)
    }

    fn fail<T>(&self, msg: impl Into<String>, span: Span) -> Result<T> {
        Err(Error::syntax(msg, span.line as usize, span.col as usize))
    }

    fn fail_here<T>(&self, msg: impl Into<String>) -> Result<T> {
        self.fail(msg, self.cur_span())
    }

    /// A `TemplateAssertionError` raised while parsing.
    fn fail_assert<T>(&self, msg: impl Into<String>, span: Span) -> Result<T> {
        let mut e = Error::new(ErrorKind::TemplateAssertionError, msg);
        e.attach(self.name, span.line as usize, span.col as usize, Some(self.source));
        Err(e)
    }

    /// Go past the current token if it is what `want` says; where it was. (Inlined: the test is
    /// a compare or two once `want` is known, the error path is out of line.)
    #[inline]
    fn expect(&mut self, want: Want<'_>) -> Result<Span> {
        if !want.matches(self.cur()) {
            return self.fail_expected(want);
        }
        self.next_span()
    }

    /// The error for a current token that is not what `want` says.
    #[cold]
    #[inline(never)]
    fn fail_expected<T>(&self, want: Want<'_>) -> Result<T> {
        let expr = str_repr(want.describe());
        if self.stream.at_eof() {
            return self.fail_here(format!("unexpected end of template, expected {expr}."));
        }
        let got = str_repr(&self.cur().describe());
        self.fail_here(format!("expected token {expr}, got {got}"))
    }

    fn expect_name(&mut self) -> Result<(&'a str, Span)> {
        match self.cur_name() {
            Some(n) => Ok((n, self.next_span()?)),
            None => self.fail_expected(Want::Name),
        }
    }

    /// Remember the first construct the syntax tree cannot express.
    fn unsupported(&mut self, msg: &str, span: Span) {
        if self.unsupported.is_none() {
            self.unsupported = Some(Error::syntax(msg, span.line as usize, span.col as usize));
        }
    }

    /// Note the names an assignment target stores ([`Template::stores`]).
    fn note_target(&mut self, t: &Target) {
        match t {
            Target::Name(n) => self.stores.push(*n),
            Target::Tuple(items) => {
                for i in 0..items.len() {
                    if let Some(t) = self.exprs.targets(*items).get(i).copied() {
                        self.note_target(&t);
                    }
                }
            }
            Target::Attr(..) => {}
        }
    }

    /// Move a child expression into the arena.
    #[inline]
    fn bx(&mut self, e: Expr) -> ExprRef {
        self.exprs.push(e)
    }

    /// The shared copy of a name (or string constant). A short text is looked up in
    /// [`Parser::recent`] first: most are names seen a moment ago, and the hash map's probe
    /// and compare cost several times the word compare.
    #[inline]
    fn intern(&mut self, name: &str) -> Str {
        let Some((word, len)) = short_key(name) else {
            return self.intern_slow(name);
        };
        let slot = recent_slot(word, len);
        if let Some(e) = self.recent.get(slot) {
            // (The initial entries have an id outside the table.)
            if e.word == word && e.len == len && (e.id as usize) < self.exprs.strings.len() {
                return Str::new(e.id);
            }
        }
        let s = self.intern_slow(name);
        if let Some(e) = self.recent.get_mut(slot) {
            *e = Recent { word, len, id: s.id() };
        }
        s
    }

    /// [`Parser::intern`] through the hash map: one hash of the text, for the template's
    /// map and (on a first sighting) the thread's shared texts.
    #[inline(never)]
    fn intern_slow(&mut self, name: &str) -> Str {
        let hash = text_hash(name);
        let shared = &mut self.shared;
        Str::new(self.interned.intern(&mut self.exprs.strings, name, hash, |t, h| shared_text(shared, t, h)))
    }

    /// Nest one level deeper, where Jinja2 spends `frames` Python frames.
    #[inline(always)]
    fn enter(&mut self, frames: usize) -> Result<()> {
        self.depth += 1;
        self.py_frames += frames;
        if self.py_frames > PY_FRAME_BUDGET || self.depth > self.max_depth {
            return Err(self.too_deep_error());
        }
        Ok(())
    }

    /// Why [`Parser::enter`] refused to go deeper.
    #[cold]
    #[inline(never)]
    fn too_deep_error(&mut self) -> Error {
        let span = self.cur_span();
        if self.py_frames > PY_FRAME_BUDGET {
            let mut e = Error::new(
                ErrorKind::RecursionError,
                "maximum recursion depth exceeded (Jinja2's parser meets Python's recursion limit here)",
            );
            e.attach(self.name, span.line as usize, span.col as usize, Some(self.source));
            return e;
        }
        if self.max_depth < MAX_DEPTH {
            self.too_deep = true;
            return Error::syntax(
                "template nesting too deep (inline parse)",
                span.line as usize,
                span.col as usize,
            );
        }
        // Only chains of one-frame levels (unary operators, `not`, `else` branches) get here
        // before the frame budget: a tree that tall is past [`MAX_EXPR_HEIGHT`], where Jinja2's
        // compiler raises a RecursionError.
        let mut e = Error::new(
            ErrorKind::RecursionError,
            "maximum recursion depth exceeded (template nesting too deep)",
        );
        e.attach(self.name, span.line as usize, span.col as usize, Some(self.source));
        e
    }

    #[inline(always)]
    fn leave(&mut self, frames: usize) {
        self.depth -= 1;
        self.py_frames -= frames;
    }

    fn has_ext(&self, name: &str) -> bool {
        self.cfg.has_extension(name)
    }

    /// Append template data to the data buffer, newlines as the newline sequence.
    fn push_data(&mut self, d: &str) {
        if self.cfg.newline_sequence != "\n" && d.contains('\n') {
            self.data.push_str(&d.replace('\n', &self.cfg.newline_sequence));
        } else {
            self.data.push_str(d);
        }
    }

    fn data_text(&self, d: &str) -> String {
        if self.cfg.newline_sequence != "\n" && d.contains('\n') {
            d.replace('\n', &self.cfg.newline_sequence)
        } else {
            d.to_string()
        }
    }

    // ----- error helpers (Jinja2's `_fail_ut_eof`) ----------------------------------------

    fn fail_ut_eof<T>(&self, name: Option<&str>, stack: &[&'static [&'static str]], span: Span) -> Result<T> {
        let expected = |n: &str| stack.iter().any(|e| e.contains(&n));
        let currently_looking =
            stack.last().map(|e| e.iter().map(|n| str_repr(n)).collect::<Vec<_>>().join(" or "));
        let mut message = vec![match name {
            None => "Unexpected end of template.".to_string(),
            Some(n) => format!("Encountered unknown tag {}.", str_repr(n)),
        }];
        if let Some(cl) = currently_looking.filter(|c| !c.is_empty()) {
            if name.is_some_and(expected) {
                message.push(format!(
                    "You probably made a nesting mistake. Jinja is expecting this tag, but \
                     currently looking for {cl}."
                ));
            } else {
                message.push(format!("Jinja was looking for the following tags: {cl}."));
            }
        }
        if let Some(t) = self.tag_stack.last() {
            message.push(format!("The innermost block that needs to be closed is {}.", str_repr(t)));
        }
        if let Some(n) = name {
            let looked_for = stack.iter().flat_map(|e| e.iter().copied());
            if let Some(s) = suggest_tag(n, looked_for) {
                message.push(format!("Did you mean {}?", str_repr(s)));
            }
        }
        self.fail(message.join(" "), span)
    }

    fn fail_unknown_tag<T>(&self, name: &str, span: Span) -> Result<T> {
        self.fail_ut_eof(Some(name), &self.end_token_stack, span)
    }

    fn fail_eof<T>(&self, end_tokens: &'static [&'static str], span: Span) -> Result<T> {
        let mut stack = self.end_token_stack.clone();
        stack.push(end_tokens);
        self.fail_ut_eof(None, &stack, span)
    }

    // ----- statements -----------------------------------------------------------------------

    /// The statements up to one of `end_tokens` (or the end), moved into the arena together:
    /// they collect on the statement stack above those of the enclosing bodies.
    fn subparse(&mut self, end_tokens: Option<&'static [&'static str]>) -> Result<StmtList> {
        self.enter(Frames::BODY)?;
        if let Some(e) = end_tokens {
            self.end_token_stack.push(e);
        }
        let mark = self.stmt_stack.len();
        let r = self.subparse_into(end_tokens);
        if end_tokens.is_some() {
            self.end_token_stack.pop();
        }
        self.leave(Frames::BODY);
        r?;
        let list = self.exprs.push_stmts(self.stmt_stack.get(mark..).unwrap_or(&[]));
        self.stmt_stack.truncate(mark);
        Ok(list)
    }

    fn subparse_into(&mut self, end_tokens: Option<&'static [&'static str]>) -> Result<()> {
        // The start of the text run being collected (consecutive data tokens, split by comments
        // or raw blocks, make one statement) and where it began.
        let mut data: Option<(u32, Span)> = None;
        let flush = |this: &mut Self, data: &mut Option<(u32, Span)>| {
            if let Some((start, span)) = data.take() {
                let r = DataRange { start, end: u32::try_from(this.data.len()).unwrap_or(u32::MAX) };
                this.stmt_stack.push(stmt(StmtKind::Data(r), span));
            }
        };
        loop {
            match self.stream.current.kind {
                TokenKind::Eof => break,
                TokenKind::Data(d) => {
                    if !d.is_empty() {
                        if data.is_none() {
                            data =
                                Some((u32::try_from(self.data.len()).unwrap_or(u32::MAX), self.cur_span()));
                        }
                        self.push_data(d);
                    }
                    self.advance()?;
                }
                TokenKind::VariableBegin => {
                    flush(self, &mut data);
                    self.advance()?;
                    let e = self.parse_tuple(true, false)?;
                    self.expect(Want::VariableEnd)?;
                    let span = e.span;
                    self.stmt_stack.push(stmt(StmtKind::Emit(e), span));
                }
                TokenKind::BlockBegin => {
                    flush(self, &mut data);
                    self.advance()?;
                    if let (Some(ends), Some(n)) = (end_tokens, self.cur_name()) {
                        if ends.contains(&n) {
                            return Ok(());
                        }
                    }
                    self.parse_statement()?;
                    self.expect(Want::BlockEnd)?;
                }
                _ => return self.fail_here("internal parsing error"),
            }
        }
        flush(self, &mut data);
        Ok(())
    }

    /// Parse one statement tag (after `{%`) onto the statement stack.
    fn parse_statement(&mut self) -> Result<()> {
        let span = self.cur_span();
        let Some(tag) = self.cur_name() else {
            return self.fail("tag name expected", span);
        };
        self.tag_stack.push(tag);
        let r = match tag {
            "for" => self.parse_for().map(|s| self.stmt_stack.push(s)),
            "if" => self.parse_if().map(|s| self.stmt_stack.push(s)),
            "block" => self.parse_block().map(|s| self.stmt_stack.push(s)),
            "extends" => self.parse_extends().map(|s| self.stmt_stack.push(s)),
            "print" => self.parse_print().map(|v| self.stmt_stack.extend(v)),
            "macro" => self.parse_macro().map(|s| self.stmt_stack.push(s)),
            "include" => self.parse_include().map(|s| self.stmt_stack.push(s)),
            "from" => self.parse_from().map(|s| self.stmt_stack.push(s)),
            "import" => self.parse_import().map(|s| self.stmt_stack.push(s)),
            "set" => self.parse_set().map(|s| self.stmt_stack.push(s)),
            "with" => self.parse_with().map(|s| self.stmt_stack.push(s)),
            "autoescape" => self.parse_autoescape().map(|s| self.stmt_stack.push(s)),
            "call" => self.parse_call_block().map(|s| self.stmt_stack.push(s)),
            "filter" => self.parse_filter_block().map(|s| self.stmt_stack.push(s)),
            "do" if self.has_ext("do") => {
                self.advance()?;
                self.parse_tuple(true, false).map(|e| self.stmt_stack.push(stmt(StmtKind::Do(e), span)))
            }
            "break" | "continue" if self.has_ext("loopcontrols") => {
                self.advance()?;
                let kind = if tag == "break" { StmtKind::Break } else { StmtKind::Continue };
                self.stmt_stack.push(stmt(kind, span));
                Ok(())
            }
            "debug" if self.has_ext("debug") => {
                self.advance()?;
                self.stmt_stack.push(stmt(StmtKind::Debug, span));
                Ok(())
            }
            "trans" if self.has_ext("i18n") => self.parse_trans().map(|v| self.stmt_stack.extend(v)),
            _ => {
                self.tag_stack.pop();
                return self.fail_unknown_tag(tag, span);
            }
        };
        self.tag_stack.pop();
        r
    }

    /// Parse statements up to one of `end_tokens` (Jinja2's `parse_statements`).
    fn parse_statements(
        &mut self,
        end_tokens: &'static [&'static str],
        drop_needle: bool,
    ) -> Result<StmtList> {
        self.skip_if_op(Op::Colon)?;
        self.expect(Want::BlockEnd)?;
        let result = self.subparse(Some(end_tokens))?;
        if *self.cur() == TokenKind::Eof {
            return self.fail_eof(end_tokens, self.cur_span());
        }
        if drop_needle {
            self.advance()?;
        }
        Ok(result)
    }

    fn parse_set(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        let target = self.parse_assign_target(true)?;
        self.note_target(&target);
        if self.skip_if_op(Op::Assign)? {
            let value = self.parse_tuple(true, false)?;
            return Ok(stmt(StmtKind::Set { target, value }, span));
        }
        let filter = self.parse_filter(None, false)?;
        let filter = filter.map(|f| self.exprs.push(f));
        let body = self.parse_statements(&["endset"], true)?;
        Ok(stmt(StmtKind::SetBlock { target, filter, body }, span))
    }

    fn parse_for(&mut self) -> Result<Stmt> {
        let span = self.expect(Want::NameIs("for"))?;
        let target = self.parse_assign_target(false)?;
        self.expect(Want::NameIs("in"))?;
        let iter = self.parse_tuple(false, false)?;
        let filter = if self.skip_if_name("if")? { Some(self.parse_expression(true)?) } else { None };
        let recursive = self.skip_if_name("recursive")?;
        let body = self.parse_statements(&["endfor", "else"], false)?;
        let otherwise = if self.next()?.kind.is_name("endfor") {
            StmtList::default()
        } else {
            self.parse_statements(&["endfor"], true)?
        };
        let id = self.exprs.push_loop(ForLoop { target, iter, filter, body, otherwise, recursive });
        Ok(stmt(StmtKind::For(id), span))
    }

    fn parse_if(&mut self) -> Result<Stmt> {
        let span = self.expect(Want::NameIs("if"))?;
        // The branches collect on the branch stack (above those of the `if`s enclosing this
        // one; the `if`s inside a body are complete before its branch is pushed).
        let mark = self.branch_stack.len();
        let mut otherwise = StmtList::default();
        loop {
            let test = self.parse_tuple(false, false)?;
            let body = self.parse_statements(&["elif", "else", "endif"], false)?;
            self.branch_stack.push((test, body));
            let tok = self.next()?;
            if tok.kind.is_name("elif") {
                continue;
            }
            if tok.kind.is_name("else") {
                otherwise = self.parse_statements(&["endif"], true)?;
            }
            break;
        }
        let branches = self.exprs.push_branches(self.branch_stack.get(mark..).unwrap_or(&[]));
        self.branch_stack.truncate(mark);
        Ok(stmt(StmtKind::If { branches, otherwise }, span))
    }

    fn parse_with(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        // The assignments go straight into the arena, one after the other (their expressions
        // hold no statements that could push others in between).
        let mark = self.exprs.assigns_mark();
        let mut first = true;
        while *self.cur() != TokenKind::BlockEnd {
            if !first {
                self.expect(Want::Op(Op::Comma))?;
            }
            first = false;
            let target = self.parse_assign_target(false)?;
            self.note_target(&target);
            self.expect(Want::Op(Op::Assign))?;
            let value = self.parse_expression(true)?;
            self.exprs.push_assign(target, value);
        }
        let assignments = self.exprs.assigns_since(mark);
        let body = self.parse_statements(&["endwith"], true)?;
        Ok(stmt(StmtKind::With { assignments, body }, span))
    }

    fn parse_autoescape(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        let value = self.parse_expression(true)?;
        let body = self.parse_statements(&["endautoescape"], true)?;
        Ok(stmt(StmtKind::Autoescape { value, body }, span))
    }

    fn parse_block(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        let (name, _) = self.expect_name()?;
        let scoped = self.skip_if_name("scoped")?;
        let required = self.skip_if_name("required")?;
        if self.cur_is_op(Op::Sub) {
            return self.fail_here(
                "Block names in Jinja have to be valid Python identifiers and may not contain \
                 hyphens, use an underscore instead.",
            );
        }
        self.note_block(name, span);
        let body = self.parse_statements(&["endblock"], true)?;
        if required {
            let only_space = self.exprs.body(body).iter().all(|s| match &s.kind {
                StmtKind::Data(r) => {
                    let d = self.data.get(r.range()).unwrap_or("");
                    !d.is_empty() && d.chars().all(is_py_space)
                }
                _ => false,
            });
            if !only_space {
                return self.fail_here("Required blocks can only contain comments or whitespace");
            }
        }
        self.skip_if_name(name)?;
        let name = self.intern(name);
        Ok(stmt(StmtKind::Block { name, body, scoped, required }, span))
    }

    /// Remember the block `name` at `span` (parsed in source order, before the blocks of its
    /// body: the order in which Jinja2's code generator finds the blocks), or the first one
    /// defined twice.
    fn note_block(&mut self, name: &'a str, span: Span) {
        if self.duplicate_block.is_some() {
            return;
        }
        if self.block_names.contains(&name) {
            self.duplicate_block =
                self.fail_assert::<()>(format!("block {} defined twice", str_repr(name)), span).err();
        } else {
            self.block_names.push(name);
        }
    }

    fn parse_extends(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        let template = self.parse_expression(true)?;
        Ok(stmt(StmtKind::Extends(template), span))
    }

    /// `with context` / `without context`, if present.
    fn parse_import_context(&mut self, default: bool) -> Result<bool> {
        if (self.cur_is_name("with") || self.cur_is_name("without")) && self.look_is_name("context")? {
            let with = self.next()?.kind.is_name("with");
            self.skip(1)?;
            return Ok(with);
        }
        Ok(default)
    }

    fn parse_include(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        let template = self.parse_expression(true)?;
        let ignore_missing = if self.cur_is_name("ignore") && self.look_is_name("missing")? {
            self.skip(2)?;
            true
        } else {
            false
        };
        let with_context = self.parse_import_context(true)?;
        Ok(stmt(StmtKind::Include { template, ignore_missing, with_context }, span))
    }

    fn parse_import(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        let template = self.parse_expression(true)?;
        self.expect(Want::NameIs("as"))?;
        let (target, _) = self.parse_name_target()?;
        let target = self.intern(&target);
        self.stores.push(target);
        let with_context = self.parse_import_context(false)?;
        Ok(stmt(StmtKind::Import { template, target, with_context }, span))
    }

    /// `parse_from`'s `parse_context`: note that Jinja2 compares the token *value*, so a string
    /// `"with"` counts too.
    fn parse_from_context(&mut self, with_context: &mut bool) -> Result<bool> {
        let value_is = |k: &TokenKind<'_>, v: &str| match k {
            TokenKind::Name(n) => *n == v,
            k => k.str_lit() == Some(v),
        };
        if (value_is(self.cur(), "with") || value_is(self.cur(), "without"))
            && self.look_is_name("context")?
        {
            *with_context = value_is(&self.next()?.kind, "with");
            self.skip(1)?;
            return Ok(true);
        }
        Ok(false)
    }

    fn parse_from(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        let template = self.parse_expression(true)?;
        self.expect(Want::NameIs("import"))?;
        let mut names: Vec<(String, Option<String>)> = Vec::new();
        let mut with_context = false;
        loop {
            if !names.is_empty() {
                self.expect(Want::Op(Op::Comma))?;
            }
            if self.cur_name().is_some() {
                if self.parse_from_context(&mut with_context)? {
                    break;
                }
                let (target, tspan) = self.parse_name_target()?;
                if target.starts_with('_') {
                    return self.fail_assert("names starting with an underline can not be imported", tspan);
                }
                let alias = if self.skip_if_name("as")? { Some(self.parse_name_target()?.0) } else { None };
                names.push((target, alias));
                if self.parse_from_context(&mut with_context)? || !self.cur_is_op(Op::Comma) {
                    break;
                }
            } else {
                self.expect(Want::Name)?;
            }
        }
        for (name, alias) in &names {
            let stored = self.intern(alias.as_deref().unwrap_or(name));
            self.stores.push(stored);
        }
        let names: Vec<(Str, Option<Str>)> = names
            .iter()
            .map(|(n, alias)| (self.intern(n), alias.as_deref().map(|a| self.intern(a))))
            .collect();
        let names = self.exprs.push_imports(names);
        Ok(stmt(StmtKind::FromImport { template, names, with_context }, span))
    }

    fn parse_signature(&mut self) -> Result<Vec<(Str, Option<Expr>)>> {
        let mut params: Vec<(Str, Option<Expr>)> = Vec::new();
        let mut have_default = false;
        self.expect(Want::Op(Op::LParen))?;
        while !self.cur_is_op(Op::RParen) {
            if !params.is_empty() {
                self.expect(Want::Op(Op::Comma))?;
            }
            let (name, _) = self.parse_name_target()?;
            let default = if self.skip_if_op(Op::Assign)? {
                have_default = true;
                Some(self.parse_expression(true)?)
            } else if have_default {
                return self.fail_here("non-default argument follows default argument");
            } else {
                None
            };
            params.push((self.intern(&name), default));
        }
        self.expect(Want::Op(Op::RParen))?;
        Ok(params)
    }

    fn parse_call_block(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        let params = if self.cur_is_op(Op::LParen) { self.parse_signature()? } else { Vec::new() };
        let call = self.parse_expression(true)?;
        if !matches!(call.kind, ExprKind::Call(..)) {
            return self.fail("expected call", span);
        }
        let body = self.parse_statements(&["endcall"], true)?;
        let name = self.intern("caller");
        let caller = self.exprs.push_macro(MacroDef { name, params, body, span });
        Ok(stmt(StmtKind::CallBlock { call, caller }, span))
    }

    fn parse_filter_block(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        let filter = self.parse_filter(None, true)?;
        let body = self.parse_statements(&["endfilter"], true)?;
        match filter {
            Some(filter) => Ok(stmt(StmtKind::FilterBlock { filter, body }, span)),
            None => self.fail("expected filter", span),
        }
    }

    fn parse_macro(&mut self) -> Result<Stmt> {
        let span = self.next_span()?;
        let (name, _) = self.parse_name_target()?;
        let stored = self.intern(&name);
        self.stores.push(stored);
        let params = self.parse_signature()?;
        let body = self.parse_statements(&["endmacro"], true)?;
        let id = self.exprs.push_macro(MacroDef { name: stored, params, body, span });
        Ok(stmt(StmtKind::Macro(id), span))
    }

    fn parse_print(&mut self) -> Result<Vec<Stmt>> {
        let span = self.next_span()?;
        let mut out = Vec::new();
        while *self.cur() != TokenKind::BlockEnd {
            if !out.is_empty() {
                self.expect(Want::Op(Op::Comma))?;
            }
            let e = self.parse_expression(true)?;
            out.push(stmt(StmtKind::Emit(e), span));
        }
        Ok(out)
    }

    // ----- i18n ---------------------------------------------------------------------------

    fn parse_trans(&mut self) -> Result<Vec<Stmt>> {
        let span = self.next_span()?;
        if self.cur().str_lit().is_some() {
            self.unsupported(
                "translation contexts ({% trans \"context\" %}, pgettext) are not supported",
                self.cur_span(),
            );
            self.advance()?;
        }
        let mut vars: Vec<(String, Expr)> = Vec::new();
        let mut plural_expr: Option<Expr> = None;
        let mut trimmed: Option<bool> = None;
        let mut plural_assignment: Option<Stmt> = None;
        while *self.cur() != TokenKind::BlockEnd {
            if !vars.is_empty() {
                self.expect(Want::Op(Op::Comma))?;
            }
            if self.skip_if_op(Op::Colon)? {
                break;
            }
            let (name, tspan) = self.expect_name()?;
            if vars.iter().any(|(n, _)| n == name) {
                return self
                    .fail_assert(format!("translatable variable {} defined twice.", str_repr(name)), tspan);
            }
            let var = if self.cur_is_op(Op::Assign) {
                self.advance()?;
                self.parse_expression(true)?
            } else if trimmed.is_none() && (name == "trimmed" || name == "notrimmed") {
                trimmed = Some(name == "trimmed");
                continue;
            } else {
                mk(ExprKind::Name(self.intern(name)), tspan)
            };
            let var = if plural_expr.is_none() {
                if matches!(var.kind, ExprKind::Call(..)) {
                    // Jinja2 evaluates a call once, into `_trans`, before the translation.
                    let trans = self.intern("_trans");
                    self.stores.push(trans);
                    let trans_name = mk(ExprKind::Name(trans), var.span);
                    let value_span = var.span;
                    plural_assignment =
                        Some(stmt(StmtKind::Set { target: Target::Name(trans), value: var }, value_span));
                    plural_expr = Some(trans_name);
                    trans_name
                } else {
                    plural_expr = Some(var);
                    var
                }
            } else {
                var
            };
            vars.push((name.to_string(), var));
        }
        self.expect(Want::BlockEnd)?;

        let mut referenced: Vec<String> = Vec::new();
        let (singular_names, mut singular) = self.parse_trans_block(true)?;
        if let Some(first) = singular_names.first() {
            if plural_expr.is_none() {
                plural_expr = Some(mk(ExprKind::Name(self.intern(first)), span));
            }
        }
        for n in singular_names {
            if !referenced.contains(&n) {
                referenced.push(n);
            }
        }
        let mut plural = None;
        if self.cur_is_name("pluralize") {
            self.advance()?;
            if *self.cur() != TokenKind::BlockEnd {
                let (name, tspan) = self.expect_name()?;
                match vars.iter().find(|(n, _)| n == name) {
                    Some((_, e)) => plural_expr = Some(*e),
                    None => {
                        return self.fail_assert(
                            format!("unknown variable {} for pluralization", str_repr(name)),
                            tspan,
                        )
                    }
                }
            }
            self.expect(Want::BlockEnd)?;
            let (plural_names, text) = self.parse_trans_block(false)?;
            self.advance()?;
            for n in plural_names {
                if !referenced.contains(&n) {
                    referenced.push(n);
                }
            }
            plural = Some(text);
        } else {
            self.advance()?;
        }
        let plural = match plural {
            None => None,
            Some(text) => match plural_expr {
                Some(e) => Some((text, e)),
                None => return self.fail("pluralize without variables", span),
            },
        };
        let trimmed = trimmed.unwrap_or(false);
        let mut plural = plural;
        if trimmed {
            singular = trim_trans_whitespace(&singular);
            if let Some((p, _)) = &mut plural {
                if !p.is_empty() {
                    *p = trim_trans_whitespace(p);
                }
            }
        }
        if referenced.is_empty() {
            singular = singular.replace("%%", "%");
            if let Some((p, _)) = &mut plural {
                *p = p.replace("%%", "%");
            }
        }
        let id = self.exprs.push_trans(TransDef { vars, singular, plural, trimmed, referenced });
        let trans = stmt(StmtKind::Trans(id), span);
        Ok(match plural_assignment {
            Some(assign) => vec![assign, trans],
            None => vec![trans],
        })
    }

    fn parse_trans_block(&mut self, allow_pluralize: bool) -> Result<(Vec<String>, String)> {
        let mut referenced = Vec::new();
        let mut buf = String::new();
        loop {
            match self.stream.current.kind {
                TokenKind::Data(d) => {
                    buf.push_str(&self.data_text(d).replace('%', "%%"));
                    self.advance()?;
                }
                TokenKind::VariableBegin => {
                    self.advance()?;
                    let (name, _) = self.expect_name()?;
                    referenced.push(name.to_string());
                    buf.push_str(&format!("%({name})s"));
                    self.expect(Want::VariableEnd)?;
                }
                TokenKind::BlockBegin => {
                    self.advance()?;
                    match self.cur_name() {
                        Some("endtrans") => break,
                        Some("pluralize") if allow_pluralize => break,
                        Some("pluralize") => {
                            return self
                                .fail_here("a translatable section can have only one pluralize section")
                        }
                        Some("trans") => {
                            return self.fail_here("trans blocks can't be nested; did you mean `endtrans`?")
                        }
                        other => {
                            return self.fail_here(format!(
                                "control structures in translatable sections are not allowed; \
                                 saw `{}`",
                                other.unwrap_or("None")
                            ))
                        }
                    }
                }
                TokenKind::Eof => return self.fail_here("unclosed translation block"),
                _ => return self.fail_here("internal parser error"),
            }
        }
        Ok((referenced, buf))
    }

    // ----- assignment targets -------------------------------------------------------------

    /// `parse_assign_target(name_only=True)`: a plain name that may be assigned.
    fn parse_name_target(&mut self) -> Result<(String, Span)> {
        let (name, span) = self.expect_name()?;
        if LITERAL_NAMES.contains(&name) {
            return self.fail("can't assign to 'name'", span);
        }
        Ok((name.to_string(), span))
    }

    /// `parse_assign_target()` with tuples: names, tuples of targets, and (with
    /// `with_namespace`) `ns.attr`.
    fn parse_assign_target(&mut self, with_namespace: bool) -> Result<Target> {
        if self.is_tuple_end() {
            let got = str_repr(&self.cur().describe());
            return self.fail_here(format!("Expected an expression, got {got}"));
        }
        let first = self.parse_target_primary(with_namespace)?;
        let node = if !self.cur_is_op(Op::Comma) {
            // A single target (the usual case): no list to allocate.
            first
        } else {
            let mut span = self.cur_span();
            let mut items = Vec::with_capacity(4);
            items.push(first);
            loop {
                self.expect(Want::Op(Op::Comma))?;
                if self.is_tuple_end() {
                    break;
                }
                items.push(self.parse_target_primary(with_namespace)?);
                if !self.cur_is_op(Op::Comma) {
                    break;
                }
                span = self.cur_span();
            }
            TItem::Tuple(items, span)
        };
        if !node.can_assign(&self.exprs) {
            let (type_name, span) = node.type_name_and_span();
            return self.fail(format!("can't assign to {}", str_repr(type_name)), span);
        }
        Ok(node.into_target(&mut self.exprs))
    }

    fn parse_target_primary(&mut self, with_namespace: bool) -> Result<TItem> {
        if let Some(name) = self.cur_name() {
            if !LITERAL_NAMES.contains(&name) {
                let span = self.next_span()?;
                if with_namespace && self.cur_is_op(Op::Dot) {
                    self.advance()?;
                    let (attr, _) = self.expect_name()?;
                    let (ns, attr) = (self.intern(name), self.intern(attr));
                    return Ok(TItem::NsRef(ns, attr));
                }
                return Ok(TItem::Expr(mk(ExprKind::Name(self.intern(name)), span)));
            }
        }
        Ok(TItem::Expr(self.parse_primary()?))
    }

    // ----- expressions --------------------------------------------------------------------

    fn parse_expression(&mut self, with_condexpr: bool) -> Result<Expr> {
        if with_condexpr {
            self.parse_condexpr()
        } else {
            self.enter(Frames::EXPRESSION)?;
            let r = self.parse_or();
            self.leave(Frames::EXPRESSION);
            r
        }
    }

    fn parse_condexpr(&mut self) -> Result<Expr> {
        self.enter(Frames::EXPRESSION)?;
        let r = self.parse_condexpr_inner();
        self.leave(Frames::EXPRESSION);
        r
    }

    /// The `else` part of a conditional: Jinja2 recurses into `parse_condexpr` only.
    fn parse_condexpr_else(&mut self) -> Result<Expr> {
        self.enter(Frames::ONE)?;
        let r = self.parse_condexpr_inner();
        self.leave(Frames::ONE);
        r
    }

    fn parse_condexpr_inner(&mut self) -> Result<Expr> {
        let mut span = self.cur_span();
        let mut expr1 = self.parse_or()?;
        while self.skip_if_name("if")? {
            let expr2 = self.parse_or()?;
            let expr3 = if self.skip_if_name("else")? {
                let e = self.parse_condexpr_else()?;
                Some(self.bx(e))
            } else {
                None
            };
            let (test, then) = (self.bx(expr2), self.bx(expr1));
            expr1 = mk(ExprKind::Cond { test, then, otherwise: expr3 }, span);
            span = self.cur_span();
        }
        Ok(expr1)
    }

    fn parse_or(&mut self) -> Result<Expr> {
        self.parse_binary(Prec::Or)
    }

    /// Jinja2's chain `parse_or` → `parse_and` → `parse_not` → `parse_compare` → `parse_math1`
    /// → `parse_concat` → `parse_math2` → `parse_pow` → `parse_unary`, entered at `top`.
    ///
    /// Instead of descending through every level before the first operand, the operand is
    /// parsed first and each level then only looks for its operators (the `*_rest` functions);
    /// most operands are followed by none, which one look at the current token tells. The
    /// result is the same: the levels consume no tokens before their first operand, so they all
    /// start on the same token (the node span), and a level without its operator next returns
    /// the operand unchanged.
    fn parse_binary(&mut self, top: Prec) -> Result<Expr> {
        let span = self.cur_span();
        let (mut expr, from) = if top >= Prec::And && self.cur_is_name("not") {
            (self.parse_not()?, Prec::And)
        } else {
            let operand = self.parse_unary(true)?;
            if !self.cur_may_continue_binary() {
                return Ok(operand);
            }
            (operand, Prec::Pow)
        };
        for level in Prec::ALL {
            if level >= from && level <= top {
                expr = match level {
                    Prec::Pow => self.parse_pow_rest(expr, span)?,
                    Prec::Math2 => self.parse_math2_rest(expr, span)?,
                    Prec::Concat => self.parse_concat_rest(expr, span)?,
                    Prec::Math1 => self.parse_math1_rest(expr, span)?,
                    Prec::Compare => self.parse_compare_rest(expr, span)?,
                    Prec::And => self.parse_and_rest(expr, span)?,
                    Prec::Or => self.parse_or_rest(expr, span)?,
                };
            }
        }
        Ok(expr)
    }

    /// Whether the current token is an operator of some level of [`Parser::parse_binary`]
    /// (otherwise all levels return their first operand as it is).
    fn cur_may_continue_binary(&self) -> bool {
        match self.cur() {
            TokenKind::Op(op) => matches!(
                op,
                Op::Eq
                    | Op::Ne
                    | Op::Lt
                    | Op::LtEq
                    | Op::Gt
                    | Op::GtEq
                    | Op::Add
                    | Op::Sub
                    | Op::Tilde
                    | Op::Mul
                    | Op::Div
                    | Op::FloorDiv
                    | Op::Mod
                    | Op::Pow
            ),
            TokenKind::Name(n) => matches!(*n, "in" | "not" | "and" | "or"),
            _ => false,
        }
    }

    fn parse_or_rest(&mut self, mut left: Expr, mut span: Span) -> Result<Expr> {
        while self.skip_if_name("or")? {
            let right = self.parse_binary(Prec::And)?;
            left = mk(ExprKind::Binary(BinOp::Or, self.bx(left), self.bx(right)), span);
            span = self.cur_span();
        }
        Ok(left)
    }

    fn parse_and_rest(&mut self, mut left: Expr, mut span: Span) -> Result<Expr> {
        while self.skip_if_name("and")? {
            let right = self.parse_not()?;
            left = mk(ExprKind::Binary(BinOp::And, self.bx(left), self.bx(right)), span);
            span = self.cur_span();
        }
        Ok(left)
    }

    fn parse_not(&mut self) -> Result<Expr> {
        if self.cur_is_name("not") {
            let span = self.next_span()?;
            self.enter(Frames::ONE)?;
            let inner = self.parse_not();
            self.leave(Frames::ONE);
            let inner = inner?;
            return Ok(mk(ExprKind::Unary(UnaryOp::Not, self.bx(inner)), span));
        }
        self.parse_binary(Prec::Compare)
    }

    fn parse_compare_rest(&mut self, expr: Expr, span: Span) -> Result<Expr> {
        // The comparisons collect on the comparison stack (above those of the chains this one
        // is an operand of).
        let mark = self.cmp_stack.len();
        let r = self.parse_compare_ops(expr, span);
        let r = r.map(|(expr, span)| {
            if self.cmp_stack.len() == mark {
                return expr;
            }
            let first = self.bx(expr);
            let rest = self.exprs.push_compare(self.cmp_stack.get(mark..).unwrap_or(&[]));
            mk(ExprKind::Compare(first, rest), span)
        });
        self.cmp_stack.truncate(mark);
        r
    }

    /// The operators and operands of a comparison chain after its first operand, onto the
    /// comparison stack; the first operand and the chain's span back.
    fn parse_compare_ops(&mut self, expr: Expr, mut span: Span) -> Result<(Expr, Span)> {
        loop {
            let op = match self.cur() {
                TokenKind::Op(Op::Eq) => Some(CmpOp::Eq),
                TokenKind::Op(Op::Ne) => Some(CmpOp::Ne),
                TokenKind::Op(Op::Lt) => Some(CmpOp::Lt),
                TokenKind::Op(Op::LtEq) => Some(CmpOp::Le),
                TokenKind::Op(Op::Gt) => Some(CmpOp::Gt),
                TokenKind::Op(Op::GtEq) => Some(CmpOp::Ge),
                _ => None,
            };
            if let Some(op) = op {
                self.advance()?;
                let right = self.parse_binary(Prec::Math1)?;
                self.cmp_stack.push((op, right));
            } else if self.skip_if_name("in")? {
                let right = self.parse_binary(Prec::Math1)?;
                self.cmp_stack.push((CmpOp::In, right));
            } else if self.cur_is_name("not") && self.look_is_name("in")? {
                self.skip(2)?;
                let right = self.parse_binary(Prec::Math1)?;
                self.cmp_stack.push((CmpOp::NotIn, right));
            } else {
                break;
            }
            span = self.cur_span();
        }
        Ok((expr, span))
    }

    fn parse_math1_rest(&mut self, mut left: Expr, mut span: Span) -> Result<Expr> {
        loop {
            let op = match self.cur() {
                TokenKind::Op(Op::Add) => BinOp::Add,
                TokenKind::Op(Op::Sub) => BinOp::Sub,
                _ => break,
            };
            self.advance()?;
            let right = self.parse_binary(Prec::Concat)?;
            left = mk(ExprKind::Binary(op, self.bx(left), self.bx(right)), span);
            span = self.cur_span();
        }
        Ok(left)
    }

    fn parse_concat_rest(&mut self, first: Expr, span: Span) -> Result<Expr> {
        if !self.cur_is_op(Op::Tilde) {
            return Ok(first);
        }
        let mark = self.arg_stack.len();
        self.arg_stack.push(first);
        while self.cur_is_op(Op::Tilde) {
            if let Err(e) = self.advance() {
                self.arg_stack.truncate(mark);
                return Err(e);
            }
            match self.parse_binary(Prec::Math2) {
                Ok(x) => self.arg_stack.push(x),
                Err(e) => {
                    self.arg_stack.truncate(mark);
                    return Err(e);
                }
            }
        }
        Ok(mk(ExprKind::Concat(self.items_since(mark)), span))
    }

    fn parse_math2_rest(&mut self, mut left: Expr, mut span: Span) -> Result<Expr> {
        loop {
            let op = match self.cur() {
                TokenKind::Op(Op::Mul) => BinOp::Mul,
                TokenKind::Op(Op::Div) => BinOp::Div,
                TokenKind::Op(Op::FloorDiv) => BinOp::FloorDiv,
                TokenKind::Op(Op::Mod) => BinOp::Mod,
                _ => break,
            };
            self.advance()?;
            let right = self.parse_binary(Prec::Pow)?;
            left = mk(ExprKind::Binary(op, self.bx(left), self.bx(right)), span);
            span = self.cur_span();
        }
        Ok(left)
    }

    fn parse_pow_rest(&mut self, mut left: Expr, mut span: Span) -> Result<Expr> {
        while self.cur_is_op(Op::Pow) {
            self.advance()?;
            let right = self.parse_unary(true)?;
            left = mk(ExprKind::Binary(BinOp::Pow, self.bx(left), self.bx(right)), span);
            span = self.cur_span();
        }
        Ok(left)
    }

    fn parse_unary(&mut self, with_filter: bool) -> Result<Expr> {
        self.enter(Frames::ONE)?;
        let r = self.parse_unary_inner(with_filter);
        self.leave(Frames::ONE);
        r
    }

    fn parse_unary_inner(&mut self, with_filter: bool) -> Result<Expr> {
        let span = self.cur_span();
        let node = if self.cur_is_op(Op::Sub) {
            self.advance()?;
            let x = self.parse_unary(false)?;
            mk(ExprKind::Unary(UnaryOp::Neg, self.bx(x)), span)
        } else if self.cur_is_op(Op::Add) {
            self.advance()?;
            let x = self.parse_unary(false)?;
            mk(ExprKind::Unary(UnaryOp::Pos, self.bx(x)), span)
        } else {
            self.parse_primary()?
        };
        // Most operands have no postfix and no filter: one look at the token instead of two
        // calls that find nothing.
        let node = if matches!(self.cur(), TokenKind::Op(Op::Dot | Op::LBracket | Op::LParen)) {
            self.parse_postfix(node)?
        } else {
            node
        };
        if with_filter && matches!(self.cur(), TokenKind::Op(Op::Pipe | Op::LParen) | TokenKind::Name("is")) {
            return self.parse_filter_expr(node);
        }
        Ok(node)
    }

    fn parse_primary(&mut self) -> Result<Expr> {
        let span = self.cur_span();
        match self.stream.current.kind {
            TokenKind::Name(n) => {
                self.advance()?;
                let kind = match n {
                    "true" | "True" => ExprKind::Const(Const::Bool(true)),
                    "false" | "False" => ExprKind::Const(Const::Bool(false)),
                    "none" | "None" => ExprKind::Const(Const::None),
                    _ => ExprKind::Name(self.intern(n)),
                };
                Ok(mk(kind, span))
            }
            TokenKind::Str(_) | TokenKind::StrOwned(_) => {
                let Some(first) = self.next()?.kind.into_str_lit() else {
                    return self.fail("internal parsing error", span);
                };
                if self.cur().str_lit().is_none() {
                    // One literal (the usual case): no intermediate `String`.
                    return Ok(mk(ExprKind::Const(Const::Str(self.intern(&first))), span));
                }
                let mut buf = first.into_owned();
                while let Some(s) = self.stream.current.kind.str_lit() {
                    buf.push_str(s);
                    self.advance()?;
                }
                Ok(mk(ExprKind::Const(Const::Str(self.intern(&buf))), span))
            }
            TokenKind::Int(i) => {
                self.advance()?;
                Ok(mk(ExprKind::Const(Const::Int(i)), span))
            }
            TokenKind::BigInt(_) => {
                let tok = self.next()?;
                let digits = match tok.kind {
                    TokenKind::BigInt(d) => self.intern(&d),
                    _ => self.intern(""),
                };
                Ok(mk(ExprKind::Const(Const::BigInt(digits)), span))
            }
            TokenKind::Float(f) => {
                self.advance()?;
                self.has_floats = true;
                Ok(mk(ExprKind::Const(Const::Float(f)), span))
            }
            TokenKind::Op(Op::LParen) => {
                self.advance()?;
                self.enter(Frames::ONE)?;
                let node = self.parse_tuple(true, true);
                self.leave(Frames::ONE);
                let node = node?;
                self.expect(Want::Op(Op::RParen))?;
                Ok(node)
            }
            TokenKind::Op(Op::LBracket) => self.parse_list(),
            TokenKind::Op(Op::LBrace) => self.parse_dict(),
            _ => {
                let got = str_repr(&self.cur().describe());
                self.fail_here(format!("unexpected {got}"))
            }
        }
    }

    /// Jinja2's `is_tuple_end`. Its `extra_end_rules` (`in` for `for` targets, `recursive` for
    /// `for` iterables) never match in Jinja2 3.1.6 (`test_any` receives the rules tuple as a
    /// single expression), so `{% for x, in y %}` is an error there; this parser agrees.
    fn is_tuple_end(&self) -> bool {
        matches!(self.cur(), TokenKind::VariableEnd | TokenKind::BlockEnd | TokenKind::Op(Op::RParen))
    }

    /// Jinja2's `parse_tuple` (not simplified: targets use [`Parser::parse_assign_target`]).
    fn parse_tuple(&mut self, with_condexpr: bool, explicit_parentheses: bool) -> Result<Expr> {
        if self.is_tuple_end() {
            if !explicit_parentheses {
                let got = str_repr(&self.cur().describe());
                return self.fail_here(format!("Expected an expression, got {got}"));
            }
            return Ok(mk(ExprKind::Tuple(ExprList::default()), self.cur_span()));
        }
        let first = self.parse_expression(with_condexpr)?;
        if !self.cur_is_op(Op::Comma) {
            // Not a tuple: nothing to collect.
            return Ok(first);
        }
        let mark = self.arg_stack.len();
        self.arg_stack.push(first);
        let r = self.parse_tuple_rest(with_condexpr);
        match r {
            Ok(span) => Ok(mk(ExprKind::Tuple(self.items_since(mark)), span)),
            Err(e) => {
                self.arg_stack.truncate(mark);
                Err(e)
            }
        }
    }

    /// The items of a tuple after the first (onto the item stack); where the tuple is.
    fn parse_tuple_rest(&mut self, with_condexpr: bool) -> Result<Span> {
        let mut span = self.cur_span();
        loop {
            self.expect(Want::Op(Op::Comma))?;
            if self.is_tuple_end() {
                break;
            }
            let e = self.parse_expression(with_condexpr)?;
            self.arg_stack.push(e);
            if !self.cur_is_op(Op::Comma) {
                break;
            }
            span = self.cur_span();
        }
        Ok(span)
    }

    /// Move the items collected on the item stack since `mark` into the arena.
    fn items_since(&mut self, mark: usize) -> ExprList {
        self.exprs.push_all(self.arg_stack.drain(mark..))
    }

    fn parse_list(&mut self) -> Result<Expr> {
        self.parse_collection(Op::LBracket, Op::RBracket, false, ExprKind::List)
    }

    fn parse_dict(&mut self) -> Result<Expr> {
        self.parse_collection(Op::LBrace, Op::RBrace, true, ExprKind::Dict)
    }

    /// A list or dict display: its items collected on the item stack, then moved into the
    /// arena (the stack is cut back on an error).
    fn parse_collection(
        &mut self,
        open: Op,
        close: Op,
        dict: bool,
        kind: fn(ExprList) -> ExprKind,
    ) -> Result<Expr> {
        let span = self.expect(Want::Op(open))?;
        let mark = self.arg_stack.len();
        match self.parse_items(mark, close, dict) {
            Ok(()) => Ok(mk(kind(self.items_since(mark)), span)),
            Err(e) => {
                self.arg_stack.truncate(mark);
                Err(e)
            }
        }
    }

    /// The items of a list (or the keys and values of a dict, `pairs`) up to and including
    /// `close`, onto the item stack above `mark`.
    fn parse_items(&mut self, mark: usize, close: Op, pairs: bool) -> Result<()> {
        while !self.cur_is_op(close) {
            if self.arg_stack.len() > mark {
                self.expect(Want::Op(Op::Comma))?;
            }
            if self.cur_is_op(close) {
                break;
            }
            let item = self.parse_expression(true)?;
            if pairs {
                self.expect(Want::Op(Op::Colon))?;
                let value = self.parse_expression(true)?;
                self.arg_stack.push(item);
                self.arg_stack.push(value);
            } else {
                self.arg_stack.push(item);
            }
        }
        self.expect(Want::Op(close))?;
        Ok(())
    }

    fn parse_postfix(&mut self, mut node: Expr) -> Result<Expr> {
        loop {
            match self.cur() {
                TokenKind::Op(Op::Dot | Op::LBracket) => {
                    self.enter(Frames::ONE)?;
                    let r = self.parse_subscript(node);
                    self.leave(Frames::ONE);
                    node = r?;
                }
                TokenKind::Op(Op::LParen) => node = self.parse_call(node)?,
                _ => return Ok(node),
            }
        }
    }

    fn parse_filter_expr(&mut self, mut node: Expr) -> Result<Expr> {
        loop {
            match self.cur() {
                TokenKind::Op(Op::Pipe) => {
                    node = match self.parse_filter(Some(node), false)? {
                        Some(n) => n,
                        None => return self.fail_here("internal parsing error"),
                    }
                }
                TokenKind::Name("is") => node = self.parse_test(node)?,
                TokenKind::Op(Op::LParen) => node = self.parse_call(node)?,
                _ => return Ok(node),
            }
        }
    }

    fn parse_subscript(&mut self, node: Expr) -> Result<Expr> {
        if self.cur_is_op(Op::Dot) {
            // `.name`, the usual case: two steps ahead without taking the tokens out.
            let span = self.next_span()?;
            if let TokenKind::Name(n) = self.stream.current.kind {
                self.advance()?;
                let (obj, name) = (self.bx(node), self.intern(n));
                return Ok(mk(ExprKind::GetAttr(obj, name), span));
            }
            let attr = self.next()?;
            let key = match attr.kind {
                TokenKind::Int(i) => Const::Int(i),
                TokenKind::BigInt(d) => Const::BigInt(self.intern(&d)),
                _ => return self.fail("expected name or number", attr.span),
            };
            let arg = mk(ExprKind::Const(key), attr.span);
            return Ok(mk(ExprKind::GetItem(self.bx(node), self.bx(arg)), span));
        }
        let token = self.next()?;
        match token.kind {
            TokenKind::Op(Op::LBracket) => {
                let mut args = Vec::new();
                if !self.cur_is_op(Op::RBracket) {
                    let first = self.parse_subscribed()?;
                    if self.cur_is_op(Op::RBracket) {
                        // One subscript (the usual case): no list to collect.
                        self.expect(Want::Op(Op::RBracket))?;
                        let obj = self.bx(node);
                        return Ok(self.subscript_node(obj, first, token.span));
                    }
                    args.push(first);
                }
                while !self.cur_is_op(Op::RBracket) {
                    if !args.is_empty() {
                        self.expect(Want::Op(Op::Comma))?;
                    }
                    args.push(self.parse_subscribed()?);
                }
                self.expect(Want::Op(Op::RBracket))?;
                let obj = self.bx(node);
                if args.len() == 1 {
                    return match args.pop() {
                        Some(a) => Ok(self.subscript_node(obj, a, token.span)),
                        None => self.fail("expected subscript expression", token.span),
                    };
                }
                let mut items = Vec::with_capacity(args.len());
                for a in args {
                    match a {
                        Subscribed::Expr(e) => items.push(e),
                        Subscribed::Slice(..) => {
                            self.unsupported(
                                "slices inside a tuple subscript (x[a:b, c]) are not supported",
                                token.span,
                            );
                            items.push(mk(ExprKind::Const(Const::None), token.span));
                        }
                    }
                }
                let items = self.exprs.push_all(items.into_iter());
                let arg = mk(ExprKind::Tuple(items), token.span);
                Ok(mk(ExprKind::GetItem(obj, self.bx(arg)), token.span))
            }
            _ => self.fail("expected subscript expression", token.span),
        }
    }

    /// `obj[a]` or `obj[a:b:c]` for the one subscript `a`.
    fn subscript_node(&mut self, obj: ExprRef, a: Subscribed, span: Span) -> Expr {
        match a {
            Subscribed::Slice(start, stop, step) => mk(
                ExprKind::Slice {
                    obj,
                    start: start.map(|e| self.bx(e)),
                    stop: stop.map(|e| self.bx(e)),
                    step: step.map(|e| self.bx(e)),
                },
                span,
            ),
            Subscribed::Expr(e) => mk(ExprKind::GetItem(obj, self.bx(e)), span),
        }
    }

    fn parse_subscribed(&mut self) -> Result<Subscribed> {
        let start = if self.cur_is_op(Op::Colon) {
            self.advance()?;
            None
        } else {
            let node = self.parse_expression(true)?;
            if !self.cur_is_op(Op::Colon) {
                return Ok(Subscribed::Expr(node));
            }
            self.advance()?;
            Some(node)
        };
        let ends_slice = |k: &TokenKind<'_>| matches!(k, TokenKind::Op(Op::RBracket | Op::Comma));
        let stop = if self.cur_is_op(Op::Colon) || ends_slice(self.cur()) {
            None
        } else {
            Some(self.parse_expression(true)?)
        };
        let step = if self.cur_is_op(Op::Colon) {
            self.advance()?;
            if ends_slice(self.cur()) {
                None
            } else {
                Some(self.parse_expression(true)?)
            }
        } else {
            None
        };
        Ok(Subscribed::Slice(start, stop, step))
    }

    fn parse_call_args(&mut self) -> Result<Args> {
        self.enter(Frames::ONE)?;
        // The positional and keyword arguments collect on stacks shared by the nested argument
        // lists, then move into the arena together.
        let mark = self.arg_stack.len();
        let kw_mark = self.kw_stack.len();
        let r = self.parse_call_args_inner(kw_mark);
        self.leave(Frames::ONE);
        match r {
            Ok((dyn_args, dyn_kwargs)) => {
                let args = self.exprs.push_all(self.arg_stack.drain(mark..));
                Ok(self.exprs.args(args, self.kw_stack.drain(kw_mark..), dyn_args, dyn_kwargs))
            }
            Err(e) => {
                self.arg_stack.truncate(mark);
                self.kw_stack.truncate(kw_mark);
                Err(e)
            }
        }
    }

    /// The arguments after `(` (positional and keyword ones onto the stacks); the `*` and `**`
    /// arguments.
    fn parse_call_args_inner(&mut self, kw_mark: usize) -> Result<(Option<ExprRef>, Option<ExprRef>)> {
        let lparen = self.expect(Want::Op(Op::LParen))?;
        let (mut dyn_args, mut dyn_kwargs) = (None, None);
        let mut require_comma = false;
        let invalid = "invalid syntax for function call expression";
        while !self.cur_is_op(Op::RParen) {
            if require_comma {
                self.expect(Want::Op(Op::Comma))?;
                if self.cur_is_op(Op::RParen) {
                    break;
                }
            }
            if self.cur_is_op(Op::Mul) {
                if dyn_args.is_some() || dyn_kwargs.is_some() {
                    return self.fail(invalid, lparen);
                }
                self.advance()?;
                let e = self.parse_expression(true)?;
                dyn_args = Some(self.bx(e));
            } else if self.cur_is_op(Op::Pow) {
                if dyn_kwargs.is_some() {
                    return self.fail(invalid, lparen);
                }
                self.advance()?;
                let e = self.parse_expression(true)?;
                dyn_kwargs = Some(self.bx(e));
            } else if let Some(key) = self.cur_name().filter(|_| true) {
                if self.stream.look()?.kind.is_op(Op::Assign) {
                    if dyn_kwargs.is_some() {
                        return self.fail(invalid, lparen);
                    }
                    self.skip(2)?;
                    let value = self.parse_expression(true)?;
                    let key = self.intern(key);
                    self.kw_stack.push((key, value));
                } else {
                    let plain = dyn_args.is_none() && dyn_kwargs.is_none() && self.kw_stack.len() == kw_mark;
                    self.push_positional(plain, lparen)?;
                }
            } else {
                let plain = dyn_args.is_none() && dyn_kwargs.is_none() && self.kw_stack.len() == kw_mark;
                self.push_positional(plain, lparen)?;
            }
            require_comma = true;
        }
        self.expect(Want::Op(Op::RParen))?;
        Ok((dyn_args, dyn_kwargs))
    }

    /// A positional argument (`plain`: no keyword or `*`/`**` argument came before it).
    fn push_positional(&mut self, plain: bool, lparen: Span) -> Result<()> {
        if !plain {
            return self.fail("invalid syntax for function call expression", lparen);
        }
        let e = self.parse_expression(true)?;
        self.arg_stack.push(e);
        Ok(())
    }

    fn parse_call(&mut self, node: Expr) -> Result<Expr> {
        let span = self.cur_span();
        let args = self.parse_call_args()?;
        Ok(mk(ExprKind::Call(self.bx(node), args), span))
    }

    fn parse_filter(&mut self, node: Option<Expr>, start_inline: bool) -> Result<Option<Expr>> {
        let mut node = node;
        let mut start_inline = start_inline;
        while self.cur_is_op(Op::Pipe) || start_inline {
            if !start_inline {
                self.advance()?;
            }
            let (first, span) = self.expect_name()?;
            let name = self.dotted_name(first)?;
            let args = if self.cur_is_op(Op::LParen) { self.parse_call_args()? } else { Args::default() };
            let value = node.map(|e| self.bx(e));
            node = Some(mk(ExprKind::Filter { value, name, args }, span));
            start_inline = false;
        }
        Ok(node)
    }

    /// A filter or test name (`first`, then `.name` parts), shared like other names.
    fn dotted_name(&mut self, first: &str) -> Result<Str> {
        if !self.cur_is_op(Op::Dot) {
            return Ok(self.intern(first));
        }
        let mut name = first.to_string();
        while self.cur_is_op(Op::Dot) {
            self.advance()?;
            name.push('.');
            name.push_str(self.expect_name()?.0);
        }
        Ok(self.intern(&name))
    }

    fn parse_test(&mut self, node: Expr) -> Result<Expr> {
        let span = self.next_span()?;
        let negated = self.skip_if_name("not")?;
        let (first, _) = self.expect_name()?;
        let name = self.dotted_name(first)?;
        let takes_arg = matches!(
            self.cur(),
            TokenKind::Name(_)
                | TokenKind::Str(_)
                | TokenKind::StrOwned(_)
                | TokenKind::Int(_)
                | TokenKind::BigInt(_)
                | TokenKind::Float(_)
                | TokenKind::Op(Op::LParen | Op::LBracket | Op::LBrace)
        ) && !(self.cur_is_name("else") || self.cur_is_name("or") || self.cur_is_name("and"));
        let args = if self.cur_is_op(Op::LParen) {
            self.parse_call_args()?
        } else if takes_arg {
            if self.cur_is_name("is") {
                return self.fail_here("You cannot chain multiple tests with is");
            }
            let arg = self.parse_primary()?;
            let arg = self.parse_postfix(arg)?;
            let args = self.exprs.push_all(std::iter::once(arg));
            self.exprs.args(args, std::iter::empty(), None, None)
        } else {
            Args::default()
        };
        Ok(mk(ExprKind::Test { value: self.bx(node), name, args, negated }, span))
    }
}

/// Tags a user may have misspelt: the end tags looked for first, then every known tag.
const KNOWN_TAGS: &[&str] = &[
    "for",
    "if",
    "elif",
    "else",
    "block",
    "extends",
    "print",
    "macro",
    "include",
    "from",
    "import",
    "set",
    "with",
    "autoescape",
    "filter",
    "call",
    "raw",
    "do",
    "break",
    "continue",
    "trans",
    "pluralize",
    "debug",
    "endfor",
    "endif",
    "endblock",
    "endmacro",
    "endset",
    "endwith",
    "endautoescape",
    "endfilter",
    "endcall",
    "endraw",
    "endtrans",
];

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// A close known tag for a misspelt one (`endfro` -> `endfor`), preferring what the parser was
/// looking for; `None` when nothing is close or the name is a real tag used out of place.
fn suggest_tag<'a>(name: &str, looked_for: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    if KNOWN_TAGS.contains(&name) {
        return None;
    }
    let limit = if name.len() <= 4 { 1 } else { 2 };
    let candidates: Vec<&'a str> = looked_for.chain(KNOWN_TAGS.iter().copied()).collect();
    candidates
        .into_iter()
        .map(|t| (edit_distance(name, t), t))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, t)| t)
}

#[cfg(test)]
mod unit {
    use super::*;
    use crate::syntax::ast::ExprList;

    fn p(src: &str) -> Template {
        match parse(src, "t", &SyntaxConfig::default()) {
            Ok(t) => t,
            Err(e) => panic!("{src:?} failed: {e}"),
        }
    }

    fn err(src: &str) -> (String, usize) {
        err_cfg(src, &SyntaxConfig::default())
    }

    fn err_cfg(src: &str, cfg: &SyntaxConfig) -> (String, usize) {
        match parse(src, "t", cfg) {
            Ok(t) => panic!("{src:?} parsed: {t:?}"),
            Err(e) => (e.detail().to_string(), e.line().unwrap_or(0)),
        }
    }

    thread_local! {
        /// The arena of the template [`emit`] parsed last, for [`node`].
        static ARENA: std::cell::RefCell<Exprs> = std::cell::RefCell::default();
    }

    /// A child node of the expression [`emit`] returned last.
    fn node(r: &ExprRef) -> Expr {
        ARENA.with(|a| *a.borrow().get(*r))
    }

    /// The text of a string of the expression [`emit`] returned last.
    fn st(x: &Str) -> String {
        ARENA.with(|a| a.borrow().text(*x).to_string())
    }

    /// Nodes of the expression [`emit`] returned last.
    fn list(l: ExprList) -> Vec<Expr> {
        ARENA.with(|a| a.borrow().list(l).to_vec())
    }

    fn emit(src: &str) -> Expr {
        let mut t = p(src);
        let first = t.stmts().first().map(|s| s.kind);
        ARENA.with(|a| *a.borrow_mut() = std::mem::take(&mut t.exprs));
        match first {
            Some(StmtKind::Emit(e)) => e,
            other => panic!("not an emit: {other:?}"),
        }
    }

    fn int(i: i64) -> ExprKind {
        ExprKind::Const(Const::Int(i))
    }

    /// A compact rendering of an expression for assertions.
    fn show(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Const(Const::Int(i)) => i.to_string(),
            ExprKind::Const(Const::Str(s)) => format!("{:?}", st(s)),
            ExprKind::Const(c) => format!("{c:?}"),
            ExprKind::Name(n) => st(n),
            ExprKind::Unary(op, x) => format!("{op:?}({})", show(&node(x))),
            ExprKind::Binary(op, a, b) => format!("{op:?}({}, {})", show(&node(a)), show(&node(b))),
            ExprKind::Concat(v) => {
                format!("Concat({})", list(*v).iter().map(show).collect::<Vec<_>>().join(", "))
            }
            ExprKind::Test { value, name, args, negated } => format!(
                "Test{}({}, {}, [{}])",
                if *negated { "Not" } else { "" },
                show(&node(value)),
                st(name),
                list(args.args()).iter().map(show).collect::<Vec<_>>().join(", ")
            ),
            ExprKind::Filter { value, name, args } => format!(
                "Filter({}, {}, [{}])",
                value.as_ref().map_or("-".into(), |v| show(&node(v))),
                st(name),
                list(args.args()).iter().map(show).collect::<Vec<_>>().join(", ")
            ),
            ExprKind::Compare(a, ops) => format!(
                "Compare({}, {})",
                show(&node(a)),
                ARENA
                    .with(|x| {
                        x.borrow()
                            .compare(*ops)
                            .map(|(o, x)| format!("{o:?} {}", show(x)))
                            .collect::<Vec<_>>()
                    })
                    .join(", ")
            ),
            ExprKind::Tuple(v) => format!("({})", list(*v).iter().map(show).collect::<Vec<_>>().join(", ")),
            ExprKind::List(v) => format!("[{}]", list(*v).iter().map(show).collect::<Vec<_>>().join(", ")),
            ExprKind::GetAttr(o, a) => format!("{}.{}", show(&node(o)), st(a)),
            ExprKind::GetItem(o, k) => format!("{}[{}]", show(&node(o)), show(&node(k))),
            ExprKind::Call(f, a) => format!(
                "{}({})",
                show(&node(f)),
                list(a.args())
                    .iter()
                    .map(show)
                    .chain(ARENA.with(|x| {
                        let x = x.borrow();
                        x.kwargs(a).map(|(k, v)| format!("{}={}", x.text(*k), show(v))).collect::<Vec<_>>()
                    }))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ExprKind::Cond { test, then, otherwise } => format!(
                "Cond({}, {}, {})",
                show(&node(test)),
                show(&node(then)),
                otherwise.as_ref().map_or("-".into(), |o| show(&node(o)))
            ),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn precedence() {
        assert_eq!(show(&emit("{{ -2 ** 2 }}")), "Pow(Neg(2), 2)");
        assert_eq!(show(&emit("{{ 1 + 2 ~ 3 }}")), "Add(1, Concat(2, 3))");
        assert_eq!(show(&emit("{{ 1 + 2 * 3 }}")), "Add(1, Mul(2, 3))");
        assert_eq!(show(&emit("{{ 2 ** 3 ** 2 }}")), "Pow(Pow(2, 3), 2)");
        assert_eq!(show(&emit("{{ -x|abs }}")), "Filter(Neg(x), abs, [])");
        assert_eq!(show(&emit("{{ x is gt 2 * 2 }}")), "Mul(Test(x, gt, [2]), 2)");
        assert_eq!(show(&emit("{{ x is divisibleby 3 }}")), "Test(x, divisibleby, [3])");
        assert_eq!(show(&emit("{{ x is not none }}")), "TestNot(x, none, [])");
        assert_eq!(show(&emit("{{ not a and b or c }}")), "Or(And(Not(a), b), c)");
        assert_eq!(show(&emit("{{ a not in b }}")), "Compare(a, NotIn b)");
        assert_eq!(show(&emit("{{ 1 < 2 <= 3 }}")), "Compare(1, Lt 2, Le 3)");
        assert_eq!(show(&emit("{{ a if b }}")), "Cond(b, a, -)");
        assert_eq!(show(&emit("{{ a if b else c if d else e }}")), "Cond(b, a, Cond(d, c, e))");
        assert_eq!(show(&emit("{{ 'a' 'b' }}")), "\"ab\"");
        assert_eq!(show(&emit("{{ a, b }}")), "(a, b)");
        assert_eq!(show(&emit("{{ () }}")), "()");
        assert_eq!(show(&emit("{{ (1,) }}")), "(1)");
        assert_eq!(show(&emit("{{ f(1, x=2) }}")), "f(1, x=2)");
        assert_eq!(show(&emit("{{ x.y[0].1 }}")), "x.y[0][1]");
        assert_eq!(show(&emit("{{ x|f(1)|g }}")), "Filter(Filter(x, f, [1]), g, [])");
        assert_eq!(show(&emit("{{ x|f()() }}")), "Filter(x, f, [])()");
        assert_eq!(show(&emit("{{ [1, 2,] }}")), "[1, 2]");
        assert_eq!(emit("{{ true }}").kind, ExprKind::Const(Const::Bool(true)));
        assert_eq!(emit("{{ None }}").kind, ExprKind::Const(Const::None));
        assert!(matches!(emit("{{ TRUE }}").kind, ExprKind::Name(n) if st(&n) == "TRUE"));
        assert_eq!(emit("{{ 12 }}").kind, int(12));
    }

    #[test]
    fn slices() {
        match emit("{{ x[1:2] }}").kind {
            ExprKind::Slice { start: Some(s), stop: Some(e), step: None, .. } => {
                assert_eq!(node(&s).kind, int(1));
                assert_eq!(node(&e).kind, int(2));
            }
            other => panic!("{other:?}"),
        }
        match emit("{{ x[::2] }}").kind {
            ExprKind::Slice { start: None, stop: None, step: Some(s), .. } => {
                assert_eq!(node(&s).kind, int(2))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(show(&emit("{{ x[1, 2] }}")), "x[(1, 2)]");
        assert_eq!(show(&emit("{{ x[] }}")), "x[()]");
    }

    #[test]
    fn statements() {
        let t = p("{% for a, b in x if a recursive %}{{ a }}{% else %}e{% endfor %}");
        match &t.stmts()[0].kind {
            StmtKind::For(f) => {
                let f = t.exprs.for_loop(*f);
                let name = |x: &Target| match x {
                    Target::Name(n) => t.exprs.text(*n).to_string(),
                    other => format!("{other:?}"),
                };
                assert!(
                    matches!(&f.target, Target::Tuple(v) if t.exprs.targets(*v).iter().map(name).collect::<Vec<_>>() == ["a", "b"])
                );
                assert!(f.filter.is_some());
                assert!(f.recursive);
                assert_eq!(f.otherwise.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        let t = p("{% if a %}1{% elif b %}2{% else %}3{% endif %}");
        match &t.stmts()[0].kind {
            StmtKind::If { branches, otherwise } => {
                assert_eq!(branches.len(), 2);
                assert_eq!(otherwise.len(), 1);
            }
            other => panic!("{other:?}"),
        }
        let t = p("{% set ns.x = 1 %}{% set for = 1 %}{% set a, b = 1, 2 %}{% set y | upper %}x{% endset %}");
        assert!(
            matches!(&t.stmts()[0].kind, StmtKind::Set { target: Target::Attr(ns, x), .. } if &**t.exprs.text(*ns) == "ns" && &**t.exprs.text(*x) == "x")
        );
        assert!(
            matches!(&t.stmts()[1].kind, StmtKind::Set { target: Target::Name(n), .. } if &**t.exprs.text(*n) == "for")
        );
        assert!(matches!(&t.stmts()[3].kind, StmtKind::SetBlock { filter: Some(_), .. }));
        let t = p("{% macro m(a, b=1) %}{{ a }}{% endmacro %}{% call(x) m(1) %}{{ x }}{% endcall %}");
        match &t.stmts()[0].kind {
            StmtKind::Macro(m) => {
                let m = t.exprs.macro_def(*m);
                assert_eq!(&**t.exprs.text(m.name), "m");
                assert_eq!(&**t.exprs.text(m.params[0].0), "a");
                assert!(m.params[0].1.is_none());
                assert!(m.params[1].1.is_some());
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&t.stmts()[1].kind, StmtKind::CallBlock { caller, .. } if t.exprs.macro_def(*caller).params.len() == 1)
        );
        let t = p("{% filter upper|replace('a', 'b') %}x{% endfilter %}");
        assert!(matches!(&t.stmts()[0].kind, StmtKind::FilterBlock { .. }));
        let t = p("{% with a = 1, b = 2 %}{{ a }}{% endwith %}");
        assert!(matches!(&t.stmts()[0].kind, StmtKind::With { assignments, .. } if assignments.len() == 2));
        let t = p("{% block b scoped required %} {% endblock b %}");
        assert!(matches!(&t.stmts()[0].kind, StmtKind::Block { scoped: true, required: true, .. }));
        let t = p("{% extends 'a' %}{% include 'b' ignore missing without context %}{% import 'c' as c with context %}{% from 'd' import e, f as g %}{% autoescape true %}x{% endautoescape %}");
        assert!(matches!(
            &t.stmts()[1].kind,
            StmtKind::Include { ignore_missing: true, with_context: false, .. }
        ));
        assert!(matches!(&t.stmts()[2].kind, StmtKind::Import { with_context: true, .. }));
        assert!(
            matches!(&t.stmts()[3].kind, StmtKind::FromImport { names, with_context: false, .. } if names.len() == 2 && t.exprs.imports(*names)[1].1.map(|g| &**t.exprs.text(g)) == Some("g"))
        );
        let t = p("{% from 'd' import e, with context %}");
        assert!(matches!(&t.stmts()[0].kind, StmtKind::FromImport { with_context: true, .. }));
        let t = p("{% print 1, 2 %}");
        assert_eq!(t.body.len(), 2);
    }

    #[test]
    fn data_merging_and_spans() {
        let t = p("a{# c #}b{% raw %}c{% endraw %}\n{{ x }}");
        assert!(matches!(&t.stmts()[0].kind, StmtKind::Data(r) if t.text(r) == "abc\n"));
        assert_eq!(t.stmts()[1].span, Span { line: 2, col: 4 });
        let t = p("x\n{% if y %}{% endif %}");
        assert_eq!(t.stmts()[1].span, Span { line: 2, col: 4 });
        let cfg = SyntaxConfig { newline_sequence: "\r\n".into(), ..Default::default() };
        let t = parse("a\nb{{ 'c\nd' }}", "t", &cfg).unwrap_or_default();
        assert!(matches!(&t.stmts()[0].kind, StmtKind::Data(r) if t.text(r) == "a\r\nb"));
        assert!(
            matches!(&t.stmts()[1].kind, StmtKind::Emit(Expr { kind: ExprKind::Const(Const::Str(s)), .. }) if &**t.exprs.text(*s) == "c\r\nd")
        );
    }

    #[test]
    fn errors() {
        assert_eq!(err("{{ }}").0, "Expected an expression, got 'end of print statement'");
        assert_eq!(err("{{ 1 + }}").0, "unexpected 'end of print statement'");
        assert_eq!(err("{% set %}").0, "Expected an expression, got 'end of statement block'");
        assert_eq!(
            err("{% for item in seq %}"),
            (
                "Unexpected end of template. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'.".into(),
                1
            )
        );
        assert_eq!(
            err("{% for x in y %}{% endfro %}").0,
            "Encountered unknown tag 'endfro'. Jinja was looking for the following tags: 'endfor' or 'else'. The innermost block that needs to be closed is 'for'. Did you mean 'endfor'?"
        );
        assert_eq!(
            err("{% if foo %}{% for item in seq %}...{% endfor %}{% endfor %}").0,
            "Encountered unknown tag 'endfor'. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'."
        );
        assert_eq!(
            err("{% if a %}{% for x in y %}{% endif %}").0,
            "Encountered unknown tag 'endif'. You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for 'endfor' or 'else'. The innermost block that needs to be closed is 'for'."
        );
        assert_eq!(err("a\n{% endfor %}"), ("Encountered unknown tag 'endfor'.".into(), 2));
        assert_eq!(err("{% else %}").0, "Encountered unknown tag 'else'.");
        assert_eq!(err("{% break %}").0, "Encountered unknown tag 'break'.");
        assert_eq!(
            err("{% macro m(a, b=1, c) %}{% endmacro %}").0,
            "non-default argument follows default argument"
        );
        assert_eq!(err("{% set foo['bar'] = 1 %}").0, "expected token 'end of statement block', got '['");
        assert_eq!(err("{% from 'foo' import %}").0, "expected token 'name', got 'end of statement block'");
        assert_eq!(err("{% from 'foo' import bar,, %}").0, "expected token 'name', got ','");
        assert_eq!(
            err("{% from 'foo' import bar with context, %}").0,
            "expected token 'end of statement block', got ','"
        );
        assert_eq!(
            err("{% block x %}{% endblock y %}").0,
            "expected token 'end of statement block', got 'y'"
        );
        assert_eq!(err("{% for none in seq %}{% endfor %}").0, "can't assign to 'const'");
        assert_eq!(err("{% for a, none in seq %}{% endfor %}").0, "can't assign to 'tuple'");
        assert_eq!(err("{% for (a.b) in seq %}{% endfor %}").0, "can't assign to 'getattr'");
        assert_eq!(err("{% macro true() %}{% endmacro %}").0, "can't assign to 'name'");
        assert_eq!(err("{{ foo(**foo, bar) }}").0, "invalid syntax for function call expression");
        assert_eq!(err("{{ foo(*a, *b) }}").0, "invalid syntax for function call expression");
        assert_eq!(err("{{ foo(a=1, b) }}").0, "invalid syntax for function call expression");
        assert_eq!(err("{% if %}x{% endif %}").0, "Expected an expression, got 'end of statement block'");
        assert_eq!(err("{{ 1 is odd is even }}").0, "You cannot chain multiple tests with is");
        assert_eq!(err("{{ x. }}").0, "expected name or number");
        assert_eq!(err("a {{ x\nb"), ("expected token 'end of print statement', got 'b'".into(), 2));
        assert_eq!(err("{% {{ x }} %}").0, "tag name expected");
        assert_eq!(
            err("{% if true \nx{% endif %}"),
            ("expected token 'end of statement block', got 'x'".into(), 2)
        );
        assert_eq!(err("{% block a %}\n\n").1, 1);
        assert_eq!(err("a\nb\nc\nd\n{% for x in y %}\n{{ x }}").1, 6);
        assert_eq!(err("{% if x %}").0, "Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.");
        assert_eq!(err("{% if x").0, "unexpected end of template, expected 'end of statement block'.");
        assert_eq!(err("{% block a-b %}{% endblock %}").0, "Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.");
        assert_eq!(
            err("{% block a required %}x{% endblock %}").0,
            "Required blocks can only contain comments or whitespace"
        );
        assert_eq!(err("{% call m %}{% endcall %}").0, "expected call");
        assert_eq!(err("{% with foo.bar = 42 %}{% endwith %}").0, "expected token '=', got '.'");
        assert_eq!(err("{{ 42e+ }}").0, "expected token 'end of print statement', got 'e'");
        assert_eq!(err("{% if a %}{% else %}{% elif b %}{% endif %}").0, "Encountered unknown tag 'elif'. Jinja was looking for the following tags: 'endif'. The innermost block that needs to be closed is 'if'.");
    }

    #[test]
    fn assertion_errors() {
        let e =
            parse("{% block a %}{% endblock %}\n{% block a %}{% endblock %}", "t", &SyntaxConfig::default())
                .err();
        let e = e.as_ref();
        assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::TemplateAssertionError));
        assert_eq!(e.map(|e| e.detail()), Some("block 'a' defined twice"));
        assert_eq!(e.and_then(|e| e.line()), Some(2));
        let e = parse("{% from 'x' import _a %}", "t", &SyntaxConfig::default()).err();
        assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::TemplateAssertionError));
    }

    #[test]
    fn lexer_error_order() {
        // A parse error before a lexing error wins, as in Jinja2.
        assert_eq!(err("{{ 1 + }}{{ 'abc }}").0, "unexpected 'end of print statement'");
        assert_eq!(err("{{ 'abc }}").0, "unexpected char \"'\" at 3");
    }

    #[test]
    fn extensions() {
        let cfg = SyntaxConfig {
            extensions: vec!["do".into(), "loopcontrols".into(), "debug".into(), "i18n".into()],
            ..Default::default()
        };
        let t = parse(
            "{% for x in y %}{% break %}{% continue %}{% endfor %}{% do x.append(1) %}{% debug %}",
            "t",
            &cfg,
        )
        .unwrap_or_default();
        assert_eq!(t.body.len(), 3);
        assert!(matches!(&t.stmts()[1].kind, StmtKind::Do(_)));
        assert!(matches!(&t.stmts()[2].kind, StmtKind::Debug));
        let t =
            parse("{% trans user=u %}Hello {{ user }} 100%!{% endtrans %}", "t", &cfg).unwrap_or_default();
        match &t.stmts()[0].kind {
            StmtKind::Trans(id) => {
                let TransDef { singular, referenced, vars, plural, .. } = t.exprs.trans(*id);
                assert_eq!(singular, "Hello %(user)s 100%%!");
                assert_eq!(referenced, &["user".to_string()]);
                assert_eq!(vars.len(), 1);
                assert!(plural.is_none());
            }
            other => panic!("{other:?}"),
        }
        let t = parse("{% trans trimmed count=n %}\n  one   {{ count }}\n  item\n{% pluralize %}{{ count }} items{% endtrans %}", "t", &cfg)
            .unwrap_or_default();
        match &t.stmts()[0].kind {
            StmtKind::Trans(id) => {
                let TransDef { singular, plural, trimmed, .. } = t.exprs.trans(*id);
                assert!(*trimmed);
                let Some((p, e)) = plural else { panic!("no plural") };
                assert_eq!(singular, "one   %(count)s item");
                assert_eq!(p, "%(count)s items");
                assert!(matches!(&e.kind, ExprKind::Name(x) if &**t.exprs.text(*x) == "n"));
            }
            other => panic!("{other:?}"),
        }
        let t = parse("{% trans count=f() %}{{ count }}{% pluralize %}{{ count }}s{% endtrans %}", "t", &cfg)
            .unwrap_or_default();
        assert!(
            matches!(&t.stmts()[0].kind, StmtKind::Set { target: Target::Name(n), .. } if &**t.exprs.text(*n) == "_trans")
        );
        match &t.stmts()[1].kind {
            StmtKind::Trans(id) => {
                let TransDef { vars, plural, .. } = t.exprs.trans(*id);
                let Some((_, e)) = plural else { panic!("no plural") };
                assert!(matches!(&vars[0].1.kind, ExprKind::Name(x) if &**t.exprs.text(*x) == "_trans"));
                assert!(matches!(&e.kind, ExprKind::Name(x) if &**t.exprs.text(*x) == "_trans"));
            }
            other => panic!("{other:?}"),
        }
        let t = parse("{% trans %}100%{% endtrans %}", "t", &cfg).unwrap_or_default();
        assert!(matches!(&t.stmts()[0].kind, StmtKind::Trans(id) if t.exprs.trans(*id).singular == "100%"));
        assert_eq!(
            err_cfg("{% trans %}{% if x %}{% endtrans %}", &cfg).0,
            "control structures in translatable sections are not allowed; saw `if`"
        );
        assert_eq!(
            err_cfg("{% trans %}{% pluralize %}x{% endtrans %}", &cfg).0,
            "pluralize without variables"
        );
        assert_eq!(err_cfg("{% trans %}x", &cfg).0, "unclosed translation block");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{{{{ {}1{} }}}}", "(".repeat(5000), ")".repeat(5000));
        assert!(parse(&deep, "t", &SyntaxConfig::default()).is_err());
        let deep = format!("{}{}", "{% if x %}".repeat(3000), "{% endif %}".repeat(3000));
        assert!(parse(&deep, "t", &SyntaxConfig::default()).is_err());
        let deep = format!("{{{{ {}1 }}}}", "-".repeat(5000));
        assert!(parse(&deep, "t", &SyntaxConfig::default()).is_err());
        let deep = format!("{{{{ {}1 }}}}", "not ".repeat(5000));
        assert!(parse(&deep, "t", &SyntaxConfig::default()).is_err());
        let deep = format!("{{{{ {}1 }}}}", "[".repeat(5000));
        assert!(parse(&deep, "t", &SyntaxConfig::default()).is_err());
        let ok = format!("{{{{ {}1{} }}}}", "(".repeat(50), ")".repeat(50));
        assert!(parse(&ok, "t", &SyntaxConfig::default()).is_ok());
    }

    #[test]
    fn nesting_past_the_inline_cap_reparses_on_the_big_stack() {
        let cfg = SyntaxConfig::default();
        // Deeper than INLINE_MAX_DEPTH, well within MAX_DEPTH: same tree as a full-depth parse.
        let src = format!(
            "{}x{}",
            "{% if a %}".repeat(INLINE_MAX_DEPTH + 5),
            "{% endif %}".repeat(INLINE_MAX_DEPTH + 5)
        );
        let (full, _) = parse_inner(&src, "t", &cfg, MAX_DEPTH);
        let (capped, too_deep) = parse_inner(&src, "t", &cfg, INLINE_MAX_DEPTH);
        assert!(too_deep && capped.is_err());
        assert_eq!(parse(&src, "t", &cfg).ok(), full.ok());
        // A syntax error before the deep part is reported as it is, without a second parse.
        let src = format!("{{{{ 1 + }}}}{}", "{% if a %}".repeat(INLINE_MAX_DEPTH + 5));
        let (r, too_deep) = parse_inner(&src, "t", &cfg, INLINE_MAX_DEPTH);
        assert!(!too_deep && r.is_err());
        // Past MAX_DEPTH the error is the full-depth one (only chains of unary operators
        // get there before Jinja2's recursion limit).
        let src = format!("{{{{ {}1 }}}}", "not ".repeat(MAX_DEPTH + 5));
        let e = parse(&src, "t", &cfg).err();
        assert_eq!(e.as_ref().map(|e| e.kind()), Some(ErrorKind::RecursionError));
        let e = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(e.contains("nesting too deep"), "{e}");
    }

    #[test]
    fn nesting_stops_where_jinja2_meets_pythons_recursion_limit() {
        // Calibrated on Jinja2 3.1.6: one level more than each of these raises RecursionError.
        let cfg = SyntaxConfig::default();
        let nested = |open: &str, close: &str, n: usize| format!("{}1{}", open.repeat(n), close.repeat(n));
        for (open, close, ok) in [("(", ")", 69), ("[", "]", 74), ("x[", "]", 69), ("f(", ")", 69)] {
            let src = |n| format!("{{{{ {} }}}}", nested(open, close, n));
            assert!(parse(&src(ok), "t", &cfg).is_ok(), "{open} x {ok}");
            let e = parse(&src(ok + 1), "t", &cfg).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(e.contains("maximum recursion depth exceeded"), "{open} x {}: {e}", ok + 1);
        }
        let ok = format!("{}{}", "{% with %}".repeat(245), "{% endwith %}".repeat(245));
        assert!(parse(&ok, "t", &cfg).is_ok());
        let deep = format!("{}{}", "{% with %}".repeat(246), "{% endwith %}".repeat(246));
        assert!(parse(&deep, "t", &cfg).is_err());
        // Chains that Jinja2 parses without recursing deeper do not meet the parser's nesting
        // budget; as tall as Jinja2 renders them (491 terms of a constant sum) they parse...
        let chain = |n: usize| format!("{{{{ 1{} }}}}", " + 1".repeat(n - 1));
        assert!(parse(&chain(MAX_EXPR_HEIGHT), "t", &cfg).is_ok());
        // ... and taller is a RecursionError, as in Jinja2's compiler (not a stack overflow in
        // whatever walks the tree next), located at the chain.
        for n in [MAX_EXPR_HEIGHT + 1, 2000, 100_000] {
            let e = parse(&chain(n), "t", &cfg).err();
            assert_eq!(e.as_ref().map(|e| e.kind()), Some(ErrorKind::RecursionError), "{n}");
            let msg = e.map(|e| e.to_string()).unwrap_or_default();
            assert!(msg.contains("t:1:"), "{msg}");
        }
    }

    #[test]
    fn every_chain_built_by_iterating_is_bounded() {
        let cfg = SyntaxConfig::default();
        let chains: [(&str, &str); 12] = [
            ("x", " * x"),
            ("x", " and x"),
            ("x", " or x"),
            ("x", " ** x"),
            ("x", ".a"),
            ("x", "[0]"),
            ("x", "[1:]"),
            ("x", "()"),
            ("x", "|string"),
            ("x", " if x"),
            ("x", " - x"),
            ("f(x)", "(1, a=2)"),
        ];
        for (head, link) in chains {
            let src = |n: usize| format!("{{{{ {head}{} }}}}", link.repeat(n));
            assert!(parse(&src(100), "t", &cfg).is_ok(), "{link} x 100");
            let e = parse(&src(20_000), "t", &cfg).err().map(|e| e.kind());
            assert_eq!(e, Some(ErrorKind::RecursionError), "{link} x 20000");
        }
        let set_block = format!("{{% set v | {} %}}x{{% endset %}}", ["e"; 20_000].join("|"));
        assert_eq!(parse(&set_block, "t", &cfg).err().map(|e| e.kind()), Some(ErrorKind::RecursionError));
    }
}
