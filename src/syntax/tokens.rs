//! Tokens produced by the lexer: the stream the parser reads, as Jinja2's `Lexer.wrap` yields
//! it (comments, whitespace and raw markers already dropped, line statements already mapped to
//! block begin/end, literals already converted).

use std::borrow::Cow;
use std::fmt;

use super::ast::Span;

/// Operators and punctuation (Jinja2's `operators` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `/`
    Div,
    /// `//`
    FloorDiv,
    /// `*`
    Mul,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `~`
    Tilde,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    GtEq,
    /// `<`
    Lt,
    /// `<=`
    LtEq,
    /// `=`
    Assign,
    /// `.`
    Dot,
    /// `:`
    Colon,
    /// `|`
    Pipe,
    /// `,`
    Comma,
    /// `;`
    Semicolon,
}

impl Op {
    /// The operator as written in a template.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Add => "+",
            Op::Sub => "-",
            Op::Div => "/",
            Op::FloorDiv => "//",
            Op::Mul => "*",
            Op::Mod => "%",
            Op::Pow => "**",
            Op::Tilde => "~",
            Op::LBracket => "[",
            Op::RBracket => "]",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::LBrace => "{",
            Op::RBrace => "}",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::GtEq => ">=",
            Op::Lt => "<",
            Op::LtEq => "<=",
            Op::Assign => "=",
            Op::Dot => ".",
            Op::Colon => ":",
            Op::Pipe => "|",
            Op::Comma => ",",
            Op::Semicolon => ";",
        }
    }

    /// The one-character operator `b` stands for, if any.
    pub(crate) fn single(b: u8) -> Option<Op> {
        Some(match b {
            b'+' => Op::Add,
            b'-' => Op::Sub,
            b'/' => Op::Div,
            b'*' => Op::Mul,
            b'%' => Op::Mod,
            b'~' => Op::Tilde,
            b'[' => Op::LBracket,
            b']' => Op::RBracket,
            b'(' => Op::LParen,
            b')' => Op::RParen,
            b'{' => Op::LBrace,
            b'}' => Op::RBrace,
            b'>' => Op::Gt,
            b'<' => Op::Lt,
            b'=' => Op::Assign,
            b'.' => Op::Dot,
            b':' => Op::Colon,
            b'|' => Op::Pipe,
            b',' => Op::Comma,
            b';' => Op::Semicolon,
            _ => return None,
        })
    }
}

/// What a token is. Names and template data borrow from the (newline-normalized) source.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind<'a> {
    /// Template data, whitespace control applied; newlines are still `\n` (the parser turns
    /// them into the configured newline sequence).
    Data(&'a str),
    /// `{{`
    VariableBegin,
    /// `}}`
    VariableEnd,
    /// `{%` or a line statement prefix.
    BlockBegin,
    /// `%}` or the end of a line statement.
    BlockEnd,
    /// An identifier (keywords are names too).
    Name(&'a str),
    /// A string literal that is the source text between its quotes (no escapes or newlines
    /// to rewrite).
    Str(&'a str),
    /// A string literal whose escapes or newlines were rewritten. (Two variants rather than
    /// one `Cow` keep a token at 40 bytes instead of 48.)
    StrOwned(Box<str>),
    /// An integer literal that fits in `i64`.
    Int(i64),
    /// A larger integer literal, as decimal digits.
    BigInt(Box<str>),
    /// A float literal.
    Float(f64),
    /// An operator.
    Op(Op),
    /// End of the template.
    Eof,
}

impl<'a> TokenKind<'a> {
    /// Jinja2's `describe_token`: how the token is named in error messages.
    pub fn describe(&self) -> Cow<'_, str> {
        Cow::Borrowed(match self {
            TokenKind::Name(n) => n,
            TokenKind::Data(_) => "template data / text",
            TokenKind::VariableBegin => "begin of print statement",
            TokenKind::VariableEnd => "end of print statement",
            TokenKind::BlockBegin => "begin of statement block",
            TokenKind::BlockEnd => "end of statement block",
            TokenKind::Str(_) | TokenKind::StrOwned(_) => "string",
            TokenKind::Int(_) | TokenKind::BigInt(_) => "integer",
            TokenKind::Float(_) => "float",
            TokenKind::Op(op) => op.as_str(),
            TokenKind::Eof => "end of template",
        })
    }

    /// The value, if this is a string literal.
    pub fn str_lit(&self) -> Option<&str> {
        match self {
            TokenKind::Str(s) => Some(s),
            TokenKind::StrOwned(s) => Some(s),
            _ => None,
        }
    }

    /// The value, if this is a string literal, without copying it.
    pub fn into_str_lit(self) -> Option<Cow<'a, str>> {
        match self {
            TokenKind::Str(s) => Some(Cow::Borrowed(s)),
            TokenKind::StrOwned(s) => Some(Cow::Owned(s.into())),
            _ => None,
        }
    }

    /// The name, if this is a name token.
    pub fn name(&self) -> Option<&str> {
        match self {
            TokenKind::Name(n) => Some(n),
            _ => None,
        }
    }

    /// Whether this is the name `n`.
    pub fn is_name(&self, n: &str) -> bool {
        matches!(self, TokenKind::Name(x) if *x == n)
    }

    /// Whether this is the operator `op`.
    pub fn is_op(&self, op: Op) -> bool {
        matches!(self, TokenKind::Op(o) if *o == op)
    }
}

/// A token and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Token<'a> {
    /// What it is.
    pub kind: TokenKind<'a>,
    /// 1-based line and column of its first character.
    pub span: Span,
    /// Byte offset of its first character in the normalized source.
    pub offset: usize,
}

impl fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind.describe())
    }
}
