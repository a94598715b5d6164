//! The compiled form of a template: a flat, owned program of node tables indexed by `u32`.
//!
//! Expressions and statements live in two arrays of small `Copy` nodes; a node refers to its
//! children by index, to names and string constants by index into one interned string table,
//! and to lists (bodies, arguments, items) by a [`Span`]-free [`Range`] into side arrays.
//! Source positions are one side table: the expressions' spans, then the statements'.
//! Nothing here borrows from the source and nothing is a runtime value, so a program serializes to a bucket and loads
//! back with one allocation per table, instead of one per node (strings and spans are
//! materialized on first use: [`Strings`], [`Spans`]).
//!
//! Children always come before their parents (the lowering emits them first), and
//! [`Program::validate`]'s checks (made by [`Program::from_bytes`] on each node as it decodes
//! it) rule out anything else and every index out of range, so the renderer can walk a program
//! from a file without bounds or cycle worries.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use super::strings::Strings;
use crate::error::{Error, ErrorKind, Result};
pub use crate::syntax::ast::{BinOp, CmpOp, Span, UnaryOp};

/// A shared immutable string (names are cloned into frames and values on every use).
pub type Str = Arc<str>;

/// Index of an expression node.
pub type ExprId = u32;
/// Index of a statement node.
pub type StmtId = u32;
/// Index into the string table.
pub type StrId = u32;

/// An expression or a statement of a program (see [`Program::span`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    /// Expression `id`.
    Expr(ExprId),
    /// Statement `id`.
    Stmt(StmtId),
}

/// A run of entries in one of the side arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Range {
    /// First entry.
    pub start: u32,
    /// Number of entries.
    pub len: u32,
}

impl Range {
    /// The entries of `table` in this range (empty when out of bounds, which
    /// [`Program::validate`] rules out).
    #[inline]
    pub fn of<T>(self, table: &[T]) -> &[T] {
        let start = self.start as usize;
        table.get(start..start + self.len as usize).unwrap_or(&[])
    }

    /// Whether the range is empty.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

/// An expression node.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    /// `none`.
    None,
    /// `true` / `false`.
    Bool(bool),
    /// An int that fits 64 bits.
    Int(i64),
    /// A larger int, its decimal digits in the string table.
    BigInt(StrId),
    /// A float.
    Float(f64),
    /// A string constant.
    Str(StrId),
    /// A variable reference.
    Name(StrId),
    /// `[a, b]`: items in `expr_lists`.
    List(Range),
    /// `(a, b)`: items in `expr_lists`.
    Tuple(Range),
    /// `{k: v}`: keys and values alternating in `expr_lists`.
    Dict(Range),
    /// `obj.name`
    GetAttr(ExprId, StrId),
    /// `obj[key]`
    GetItem(ExprId, ExprId),
    /// `obj[start:stop:step]`
    Slice {
        /// The sliced object.
        obj: ExprId,
        /// Start.
        start: Option<ExprId>,
        /// Stop.
        stop: Option<ExprId>,
        /// Step.
        step: Option<ExprId>,
    },
    /// `not x`, `-x`, `+x`
    Unary(UnaryOp, ExprId),
    /// `a + b` ...
    Binary(BinOp, ExprId, ExprId),
    /// `a ~ b ~ c`: parts in `expr_lists`.
    Concat(Range),
    /// `a ~ b ~ c` where a non-constant `{% autoescape %}` made the code volatile: Jinja2
    /// joins with `str_join` there (Markup dropped, whatever the autoescape setting).
    StrConcat(Range),
    /// A constant Jinja2 writes into its generated Python as a name it does not define (a
    /// float `inf` or `nan`, alone or inside a container): evaluating it raises NameError.
    PyName(StrId),
    /// `a < b <= c`: the first operand, then (operator, operand) pairs in `compares`.
    Compare(ExprId, Range),
    /// `value is [not] name(args)`
    Test {
        /// Tested value.
        value: ExprId,
        /// Test name.
        name: StrId,
        /// Arguments (`args`).
        args: u32,
        /// `is not`.
        negated: bool,
    },
    /// `value | name(args)`; no value inside a filter or set block's head.
    Filter {
        /// Filtered value.
        value: Option<ExprId>,
        /// Filter name.
        name: StrId,
        /// Arguments (`args`).
        args: u32,
    },
    /// `func(args)`
    Call(ExprId, u32),
    /// `a if cond else b`
    Cond {
        /// Condition.
        test: ExprId,
        /// Value when true.
        then: ExprId,
        /// Value when false (undefined when absent).
        otherwise: Option<ExprId>,
    },
}

/// Arguments of a call, filter or test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CallArgs {
    /// Positional arguments, in `expr_lists`.
    pub args: Range,
    /// Keyword arguments in source order, in `kwargs`.
    pub kwargs: Range,
    /// `*args`.
    pub dyn_args: Option<ExprId>,
    /// `**kwargs`.
    pub dyn_kwargs: Option<ExprId>,
}

/// An assignment target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    /// `x`
    Name(StrId),
    /// `a, b`: targets in `target_lists` (indices into `targets`).
    Tuple(Range),
    /// `ns.attr`
    Attr(StrId, StrId),
}

/// Which special names a macro body uses (Jinja2 decides `caller`, `varargs` and `kwargs`
/// support at compile time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MacroUses {
    /// Reads `caller`.
    pub caller: bool,
    /// Reads `varargs`.
    pub varargs: bool,
    /// Reads `kwargs`.
    pub kwargs: bool,
}

/// A macro (or a call block's `caller`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MacroDef {
    /// Name (`caller` for call blocks).
    pub name: StrId,
    /// Parameters with optional defaults, in `params`.
    pub params: Range,
    /// Body, in `stmt_lists`.
    pub body: Range,
    /// Special names the body uses.
    pub uses: MacroUses,
    /// Where `{% macro` is.
    pub span: Span,
}

/// A `for` loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoopDef {
    /// Loop variable(s), an index into `targets`.
    pub target: u32,
    /// Iterated expression.
    pub iter: ExprId,
    /// Inline `if` condition.
    pub filter: Option<ExprId>,
    /// Body, in `stmt_lists`.
    pub body: Range,
    /// `else` body.
    pub otherwise: Range,
    /// `recursive`.
    pub recursive: bool,
    /// Whether the loop makes its `loop` variable visible beyond its own code (Jinja2's
    /// `extended_loop`: recursive, `loop` read in the body, or a scoped block inside); when
    /// not, templates included or imported with context from the body do not see it.
    pub extended: bool,
}

/// A block, lifted out of the body so that inheritance can find it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockDef {
    /// Block name, in the string table.
    pub name: StrId,
    /// Body, in `stmt_lists`.
    pub body: Range,
    /// `scoped`: sees the locals around it.
    pub scoped: bool,
    /// `required`: must be overridden.
    pub required: bool,
    /// Where it is.
    pub span: Span,
}

/// A `{% trans %}` block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransDef {
    /// Bound variables, in `kwargs`.
    pub vars: Range,
    /// Singular text.
    pub singular: StrId,
    /// Plural text and the count expression.
    pub plural: Option<(StrId, ExprId)>,
    /// Names referenced in the text, in `str_lists`.
    pub referenced: Range,
}

/// A statement node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stmt {
    /// Template data: a byte range of `data`.
    Data(Range),
    /// `{{ expr }}`
    Emit(ExprId),
    /// `if` / `elif` (condition, body) pairs in `branches`, then `else`.
    If {
        /// Branches.
        branches: Range,
        /// `else` body.
        otherwise: Range,
    },
    /// A `for` loop (index into `loops`).
    For(u32),
    /// `{% set target = value %}`
    Set {
        /// Index into `targets`.
        target: u32,
        /// Value.
        value: ExprId,
    },
    /// `{% set target | filters %}body{% endset %}`
    SetBlock {
        /// Index into `targets`.
        target: u32,
        /// Filter chain applied to the captured body.
        filter: Option<ExprId>,
        /// Body.
        body: Range,
    },
    /// `{% macro %}` (index into `macros`).
    Macro(u32),
    /// `{% call %}`: the call expression and the `caller` macro.
    CallBlock {
        /// The call.
        call: ExprId,
        /// Index into `macros`.
        caller: u32,
    },
    /// `{% filter %}`
    FilterBlock {
        /// Filter chain.
        filter: ExprId,
        /// Body.
        body: Range,
    },
    /// `{% with %}`: (target, value) pairs in `assigns`.
    With {
        /// Assignments.
        assigns: Range,
        /// Body.
        body: Range,
    },
    /// `{% block %}` (index into `blocks`).
    Block(u32),
    /// `{% extends %}`
    Extends(ExprId),
    /// `{% include %}`
    Include {
        /// Template.
        template: ExprId,
        /// `ignore missing`.
        ignore_missing: bool,
        /// `with context`.
        with_context: bool,
    },
    /// `{% import expr as name %}`
    Import {
        /// Template.
        template: ExprId,
        /// Bound name.
        target: StrId,
        /// `with context`.
        with_context: bool,
    },
    /// `{% from expr import a, b as c %}`: (name, alias) pairs in `imports`.
    FromImport {
        /// Template.
        template: ExprId,
        /// Names.
        names: Range,
        /// `with context`.
        with_context: bool,
    },
    /// `{% autoescape %}`
    Autoescape {
        /// The flag.
        value: ExprId,
        /// Body.
        body: Range,
    },
    /// `{% do %}`
    Do(ExprId),
    /// `{% break %}`
    Break,
    /// `{% continue %}`
    Continue,
    /// `{% trans %}` (index into `trans`).
    Trans(u32),
    /// `{% debug %}`
    Debug,
}

/// A compiled template: what a bucket stores (serialized by [`Program::to_bytes`], in field
/// order; `stmt_lists` is stored empty when it can be rebuilt from the statements).
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Program {
    /// Template name.
    pub name: String,
    /// Interned names and string constants.
    pub strings: Strings,
    /// All template data, concatenated (only ever written out, so one allocation for all).
    pub data: String,
    /// Expression nodes.
    #[serde(with = "super::codec::exprs")]
    pub exprs: Vec<Expr>,
    /// Where each node starts: the expressions' (parallel to `exprs`), then the statements'
    /// (parallel to `stmts`).
    pub spans: Spans,
    /// Statement nodes.
    #[serde(with = "super::codec::stmts")]
    pub stmts: Vec<Stmt>,
    /// Lists of expressions (items, arguments, parts).
    #[serde(with = "super::codec::ids")]
    pub expr_lists: Vec<ExprId>,
    /// Lists of statements (bodies).
    #[serde(with = "super::codec::ids")]
    pub stmt_lists: Vec<StmtId>,
    /// Keyword arguments and `trans` variables: (name, value).
    #[serde(with = "super::codec::records")]
    pub kwargs: Vec<(StrId, ExprId)>,
    /// Chained comparisons: (operator, operand).
    #[serde(with = "super::codec::records")]
    pub compares: Vec<(CmpOp, ExprId)>,
    /// Argument lists.
    #[serde(with = "super::codec::call_args")]
    pub args: Vec<CallArgs>,
    /// Assignment targets.
    #[serde(with = "super::codec::targets")]
    pub targets: Vec<Target>,
    /// Lists of targets (tuple targets).
    #[serde(with = "super::codec::ids")]
    pub target_lists: Vec<u32>,
    /// `if`/`elif` branches: (condition, body).
    #[serde(with = "super::codec::records")]
    pub branches: Vec<(ExprId, Range)>,
    /// `with` assignments: (target, value).
    #[serde(with = "super::codec::records")]
    pub assigns: Vec<(u32, ExprId)>,
    /// `from ... import` names: (name, alias).
    #[serde(with = "super::codec::records")]
    pub imports: Vec<(StrId, Option<StrId>)>,
    /// Lists of strings (`trans` references).
    #[serde(with = "super::codec::ids")]
    pub str_lists: Vec<StrId>,
    /// Macro parameters: (name, default).
    #[serde(with = "super::codec::records")]
    pub params: Vec<(StrId, Option<ExprId>)>,
    /// Macros and call-block callers.
    #[serde(with = "super::codec::records")]
    pub macros: Vec<MacroDef>,
    /// Loops.
    #[serde(with = "super::codec::loops")]
    pub loops: Vec<LoopDef>,
    /// `trans` blocks.
    pub trans: Vec<TransDef>,
    /// Every block, in source order.
    #[serde(with = "super::codec::records")]
    pub blocks: Vec<BlockDef>,
    /// The top level, in `stmt_lists`.
    pub body: Range,
    /// The names each scope starts without (see [`super::scopes`]), by the start of its body
    /// in `stmt_lists` (sorted; only scopes that have some): names in `str_lists`.
    #[serde(with = "super::codec::records")]
    pub scope_missing: Vec<(u32, Range)>,
    /// Tables the renderer derives from the above on first use (not serialized).
    #[serde(skip)]
    pub render_cache: crate::vm::RenderCache,
}

/// An out-of-range string (never returned for a validated program).
const MISSING: &str = "";

impl Program {
    /// An empty program (used for states outside of any template).
    pub fn empty() -> Program {
        Program::default()
    }

    /// String `id`.
    #[inline]
    pub fn str(&self, id: StrId) -> &Str {
        static EMPTY: std::sync::OnceLock<Str> = std::sync::OnceLock::new();
        match self.strings.get(id) {
            Some(s) => s,
            None => EMPTY.get_or_init(|| Str::from(MISSING)),
        }
    }

    /// Template data in `r` (empty when out of range, which validation rules out).
    #[inline]
    pub fn data(&self, r: Range) -> &str {
        let start = r.start as usize;
        self.data.get(start..start + r.len as usize).unwrap_or("")
    }

    /// Expression `id` (`none` when out of range, which validation rules out).
    #[inline]
    pub fn expr(&self, id: ExprId) -> Expr {
        self.exprs.get(id as usize).copied().unwrap_or(Expr::None)
    }

    /// Where expression `id` starts.
    #[inline]
    pub fn expr_span(&self, id: ExprId) -> Span {
        self.spans.expr(id, self.exprs.len(), self.stmts.len())
    }

    /// Statement `id` (a `continue` when out of range, which validation rules out).
    #[inline]
    pub fn stmt(&self, id: StmtId) -> Stmt {
        self.stmts.get(id as usize).copied().unwrap_or(Stmt::Continue)
    }

    /// Where statement `id` starts.
    #[inline]
    pub fn stmt_span(&self, id: StmtId) -> Span {
        self.spans.stmt(id, self.exprs.len(), self.stmts.len())
    }

    /// Where node `node` starts.
    pub fn span(&self, node: Node) -> Span {
        match node {
            Node::Expr(id) => self.expr_span(id),
            Node::Stmt(id) => self.stmt_span(id),
        }
    }

    /// The statements of a body.
    #[inline]
    pub fn body(&self, r: Range) -> &[StmtId] {
        r.of(&self.stmt_lists)
    }

    /// The expressions of a list.
    #[inline]
    pub fn exprs_in(&self, r: Range) -> &[ExprId] {
        r.of(&self.expr_lists)
    }

    /// Argument list `id`.
    #[inline]
    pub fn call_args(&self, id: u32) -> CallArgs {
        self.args.get(id as usize).copied().unwrap_or_default()
    }

    /// Target `id`.
    #[inline]
    pub fn target(&self, id: u32) -> Target {
        self.targets.get(id as usize).copied().unwrap_or(Target::Tuple(Range::default()))
    }

    /// Macro `id`.
    pub fn macro_def(&self, id: u32) -> Option<&MacroDef> {
        self.macros.get(id as usize)
    }

    /// Loop `id`.
    pub fn loop_def(&self, id: u32) -> Option<&LoopDef> {
        self.loops.get(id as usize)
    }

    /// The names the scope with body `body` starts without (Jinja2's `missing`): a child
    /// scope reading one before the scope assigns it sees an Undefined.
    #[inline]
    pub fn missing_of(&self, body: Range) -> &[StrId] {
        self.missing_range(body).of(&self.str_lists)
    }

    /// [`Program::missing_of`] as a range of `str_lists`.
    #[inline]
    pub fn missing_range(&self, body: Range) -> Range {
        if self.scope_missing.is_empty() || body.len == 0 {
            return Range::default();
        }
        match self.scope_missing.binary_search_by_key(&body.start, |&(k, _)| k) {
            Ok(i) => self.scope_missing.get(i).map_or(Range::default(), |&(_, r)| r),
            Err(_) => Range::default(),
        }
    }

    /// The index of block `name`.
    pub fn block_index(&self, name: &str) -> Option<usize> {
        self.blocks.iter().position(|b| self.strings.text(b.name) == name)
    }

    /// Call `f` on each statement body of `s`, in the order the lowering completes them (the
    /// order their ids go into `stmt_lists`): `if` branches then `else`, a loop's body then
    /// `else`, a macro's or block's body. Bodies of out-of-range side-table entries are
    /// skipped (validation rejects those entries).
    #[inline(always)]
    pub(crate) fn for_each_body(&self, s: &Stmt, mut f: impl FnMut(Range) -> Check) -> Check {
        match *s {
            Stmt::If { branches, otherwise } => {
                for &(_, body) in branches.of(&self.branches) {
                    f(body)?;
                }
                f(otherwise)
            }
            Stmt::For(l) => match self.loops.get(l as usize) {
                Some(l) => {
                    f(l.body)?;
                    f(l.otherwise)
                }
                None => Ok(()),
            },
            Stmt::Macro(m) | Stmt::CallBlock { caller: m, .. } => match self.macros.get(m as usize) {
                Some(m) => f(m.body),
                None => Ok(()),
            },
            Stmt::Block(b) => match self.blocks.get(b as usize) {
                Some(b) => f(b.body),
                None => Ok(()),
            },
            Stmt::SetBlock { body, .. }
            | Stmt::FilterBlock { body, .. }
            | Stmt::With { body, .. }
            | Stmt::Autoescape { body, .. } => f(body),
            Stmt::Data(_)
            | Stmt::Emit(_)
            | Stmt::Set { .. }
            | Stmt::Extends(_)
            | Stmt::Include { .. }
            | Stmt::Import { .. }
            | Stmt::FromImport { .. }
            | Stmt::Do(_)
            | Stmt::Break
            | Stmt::Continue
            | Stmt::Trans(_)
            | Stmt::Debug => Ok(()),
        }
    }

    /// The statement lists rebuilt from the statements as a load rebuilds them (see
    /// [`codec::decode_stmts_deriving`](super::codec::decode_stmts_deriving)).
    pub(crate) fn derived_stmt_lists(&self) -> std::result::Result<Vec<StmtId>, &'static str> {
        super::codec::derive_stmt_lists(&self.stmts, self.body, |s, f| self.for_each_body(s, f))
    }

    /// Serialize deterministically (postcard).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        postcard::to_stdvec(self).map_err(|e| Error::new(ErrorKind::BadBytecode, e.to_string()))
    }

    /// Deserialize and validate; fails on any malformed input, never panics.
    ///
    /// The same checks as [`validate`](Self::validate), in one pass: the tables besides the
    /// node tables are read first (the node tables stay encoded, borrowed from `bytes`), then
    /// each node is checked against them as it is decoded, instead of in a second walk.
    pub fn from_bytes(bytes: &[u8]) -> Result<Program> {
        let mut p = Program::default();
        p.read(bytes)?;
        Ok(p)
    }

    /// [`Program::from_bytes`] into `self` (every table replaced; unspecified after an error):
    /// a load reads the program where it returns it, instead of moving it there.
    pub(crate) fn read(&mut self, bytes: &[u8]) -> Result<()> {
        let bad = |what: &str| Error::new(ErrorKind::BadBytecode, what.to_string());
        // The fields in declaration order, as `Serialize for Program` writes them (postcard:
        // byte strings and text as a varint length then the bytes), each read into its place;
        // the node tables stay encoded, borrowed from `bytes`, until the checks below.
        let p = self;
        // Those the checks read before they are decoded, and the renderer's derived tables.
        p.exprs.clear();
        p.stmts.clear();
        p.render_cache = Default::default();
        let mut r = Input { rest: bytes };
        let mut exprs: &[u8] = &[];
        let mut stmts: &[u8] = &[];
        let fields = (|| {
            use super::codec::{decode_call_args, decode_ids, decode_loops, decode_records, decode_targets};
            p.name = r.text()?.to_owned();
            p.strings = r.strings()?;
            p.data = r.text()?.to_owned();
            exprs = r.bytes()?;
            p.spans = Spans::from_encoded(r.bytes()?);
            stmts = r.bytes()?;
            p.expr_lists = decode_ids(r.bytes()?)?;
            p.stmt_lists = decode_ids(r.bytes()?)?;
            p.kwargs = decode_records(r.bytes()?)?;
            p.compares = decode_records(r.bytes()?)?;
            p.args = decode_call_args(r.bytes()?)?;
            p.targets = decode_targets(r.bytes()?)?;
            p.target_lists = decode_ids(r.bytes()?)?;
            p.branches = decode_records(r.bytes()?)?;
            p.assigns = decode_records(r.bytes()?)?;
            p.imports = decode_records(r.bytes()?)?;
            p.str_lists = decode_ids(r.bytes()?)?;
            p.params = decode_records(r.bytes()?)?;
            p.macros = decode_records(r.bytes()?)?;
            p.loops = decode_loops(r.bytes()?)?;
            p.trans = r.trans()?;
            p.blocks = decode_records(r.bytes()?)?;
            p.body = r.range()?;
            p.scope_missing = decode_records(r.bytes()?)?;
            Ok(())
        })();
        fields.map_err(bad)?;
        let checked = (|| {
            // Expression checks read the side tables only; statement checks also the number
            // of expressions; the table checks everything.
            p.exprs = super::codec::decode_exprs_with(exprs, &Validator { p, derived: false })?;
            if p.stmt_lists.is_empty() {
                // Stored empty: rebuilt from the statements, which checks their bodies.
                let (stmts, lists) =
                    super::codec::decode_stmts_deriving(stmts, &Validator { p, derived: true }, p.body)?;
                p.stmts = stmts;
                p.stmt_lists = lists;
            } else {
                p.stmts = super::codec::decode_stmts_with(stmts, &Validator { p, derived: false })?;
            }
            Validator { p, derived: false }.tables()
        })();
        checked.map_err(|what| malformed(&p.name, what))
    }

    /// Check every index and range, and that children come before their parents (so that no
    /// walk can loop), as the lowering guarantees for a program it made itself. (A node's
    /// direct children are stored as distances back; [`super::codec`] checks those as it
    /// decodes, so this checks the children reached through lists.)
    pub fn validate(&self) -> Result<()> {
        Validator { p: self, derived: false }.run().map_err(|what| malformed(&self.name, what))
    }
}

fn malformed(name: &str, what: &str) -> Error {
    Error::new(ErrorKind::BadBytecode, format!("malformed program '{}': {}", name, what))
}

/// The program's stored form, field by field in declaration order (what the derived
/// `Deserialize` and [`Program::read`] read); the node and side tables as byte strings (see
/// [`super::codec`]), and `stmt_lists` empty when [`Program::derived_stmt_lists`] rebuilds it
/// (always, for a program the lowering made).
impl Serialize for Program {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use super::codec::{
            encode_call_args, encode_exprs, encode_ids, encode_loops, encode_records, encode_stmts,
            encode_targets, Bytes,
        };
        use serde::ser::SerializeStruct;
        let derived = self.derived_stmt_lists().is_ok_and(|l| l == self.stmt_lists);
        let stmt_lists = if derived { Vec::new() } else { encode_ids(&self.stmt_lists) };
        let mut t = s.serialize_struct("Program", 24)?;
        t.serialize_field("name", &self.name)?;
        t.serialize_field("strings", &self.strings)?;
        t.serialize_field("data", &self.data)?;
        t.serialize_field("exprs", &Bytes(&encode_exprs(&self.exprs)))?;
        t.serialize_field("spans", &self.spans)?;
        t.serialize_field("stmts", &Bytes(&encode_stmts(&self.stmts)))?;
        t.serialize_field("expr_lists", &Bytes(&encode_ids(&self.expr_lists)))?;
        t.serialize_field("stmt_lists", &Bytes(&stmt_lists))?;
        t.serialize_field("kwargs", &Bytes(&encode_records(&self.kwargs)))?;
        t.serialize_field("compares", &Bytes(&encode_records(&self.compares)))?;
        t.serialize_field("args", &Bytes(&encode_call_args(&self.args)))?;
        t.serialize_field("targets", &Bytes(&encode_targets(&self.targets)))?;
        t.serialize_field("target_lists", &Bytes(&encode_ids(&self.target_lists)))?;
        t.serialize_field("branches", &Bytes(&encode_records(&self.branches)))?;
        t.serialize_field("assigns", &Bytes(&encode_records(&self.assigns)))?;
        t.serialize_field("imports", &Bytes(&encode_records(&self.imports)))?;
        t.serialize_field("str_lists", &Bytes(&encode_ids(&self.str_lists)))?;
        t.serialize_field("params", &Bytes(&encode_records(&self.params)))?;
        t.serialize_field("macros", &Bytes(&encode_records(&self.macros)))?;
        t.serialize_field("loops", &Bytes(&encode_loops(&self.loops)))?;
        t.serialize_field("trans", &self.trans)?;
        t.serialize_field("blocks", &Bytes(&encode_records(&self.blocks)))?;
        t.serialize_field("body", &self.body)?;
        t.serialize_field("scope_missing", &Bytes(&encode_records(&self.scope_missing)))?;
        t.end()
    }
}

/// A reader of a serialized [`Program`]'s fields, with postcard's rules (what the derived
/// `Deserialize` accepts, byte for byte): varints of at most 5 bytes for a `u32` (the last
/// below 16) and 10 for a length (the last below 2), non-minimal forms allowed; text checked
/// as UTF-8; a flag byte 0 or 1; an option's tag byte 0 or 1. Bytes after the last field are
/// ignored, as `postcard::from_bytes` ignores them.
struct Input<'a> {
    rest: &'a [u8],
}

type Read<T> = std::result::Result<T, &'static str>;

const TRUNCATED: &str = "program ends inside a field";

impl<'a> Input<'a> {
    #[inline(always)]
    fn byte(&mut self) -> Read<u8> {
        let (&b, rest) = self.rest.split_first().ok_or(TRUNCATED)?;
        self.rest = rest;
        Ok(b)
    }

    /// A varint of at most `max` bytes whose last byte is at most `last`.
    #[inline(always)]
    fn varint(&mut self, max: u32, last: u8) -> Read<u64> {
        let b = self.byte()?;
        if b < 0x80 {
            return Ok(u64::from(b));
        }
        let mut out = u64::from(b & 0x7f);
        for i in 1..max {
            let b = self.byte()?;
            out |= u64::from(b & 0x7f) << (7 * i);
            if b < 0x80 {
                return if i == max - 1 && b > last { Err("bad varint") } else { Ok(out) };
            }
        }
        Err("bad varint")
    }

    #[inline(always)]
    fn u32(&mut self) -> Read<u32> {
        // At most 5 * 7 bits, the last byte's at most 4: within 32 bits.
        self.varint(5, 0x0f).map(|v| v as u32)
    }

    /// A byte string (or text): a varint length, then the bytes.
    #[inline(always)]
    fn bytes(&mut self) -> Read<&'a [u8]> {
        let n = usize::try_from(self.varint(10, 0x01)?).map_err(|_| TRUNCATED)?;
        let (bytes, rest) = self.rest.split_at_checked(n).ok_or(TRUNCATED)?;
        self.rest = rest;
        Ok(bytes)
    }

    #[inline(always)]
    fn text(&mut self) -> Read<&'a str> {
        std::str::from_utf8(self.bytes()?).map_err(|_| "text is not UTF-8")
    }

    #[inline(always)]
    fn range(&mut self) -> Read<Range> {
        Ok(Range { start: self.u32()?, len: self.u32()? })
    }

    /// Whether an option is present.
    #[inline(always)]
    fn some(&mut self) -> Read<bool> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err("bad option tag"),
        }
    }

    /// The string table: its text, then the strings' lengths as an id table.
    fn strings(&mut self) -> Read<Strings> {
        let blob = self.text()?;
        let lengths = super::codec::decode_ids(self.bytes()?)?;
        Strings::from_lengths(blob.to_owned(), lengths)
    }

    /// The `trans` blocks: a count, then each block's fields.
    fn trans(&mut self) -> Read<Vec<TransDef>> {
        let n = self.varint(10, 0x01)?;
        // Each takes at least 6 bytes, which bounds the allocation.
        let mut out = Vec::with_capacity(usize::try_from(n).unwrap_or(usize::MAX).min(self.rest.len() / 6));
        for _ in 0..n {
            let vars = self.range()?;
            let singular = self.u32()?;
            let plural = if self.some()? { Some((self.u32()?, self.u32()?)) } else { None };
            let referenced = self.range()?;
            out.push(TransDef { vars, singular, plural, referenced });
        }
        Ok(out)
    }
}

/// Checks a program's structure; the error names the first problem.
struct Validator<'a> {
    p: &'a Program,
    /// The statement lists are being rebuilt from the statements as they are decoded: their
    /// bodies are checked by that ([`super::codec::decode_stmts_deriving`]), not here.
    derived: bool,
}

/// The node checks, made by [`Program::from_bytes`] as it decodes.
impl super::codec::NodeChecks for Validator<'_> {
    #[inline(always)]
    fn check_expr(&self, me: ExprId, e: &Expr) -> Check {
        self.expr(me, *e)
    }
    #[inline(always)]
    fn check_stmt(&self, me: StmtId, s: &Stmt) -> Check {
        self.stmt(me, *s)
    }
    #[inline(always)]
    fn check_data_after(&self, _: StmtId, r: Range) -> Check {
        // Its start is the end of the run before it, checked with that run (or 0, a boundary
        // of any text): the end is checked as `stmt` checks both.
        let end = (r.start as usize).checked_add(r.len as usize);
        match end {
            Some(end) if super::strings::char_boundary(self.p.data.as_bytes(), end) => Ok(()),
            _ => Err("data range out of bounds"),
        }
    }
    #[inline(always)]
    fn for_each_body(&self, s: &Stmt, f: impl FnMut(Range) -> Check) -> Check {
        self.p.for_each_body(s, f)
    }
}

type Check = std::result::Result<(), &'static str>;

/// Whether every entry of an id table is below `len` (a loop that vectorizes: it ORs the
/// comparisons rather than stopping at the first entry out of range, or taking a maximum).
fn all_below(ids: &[u32], len: usize) -> bool {
    match u32::try_from(len) {
        Ok(len) => ids.iter().fold(0u32, |bad, &x| bad | u32::from(x >= len)) == 0,
        Err(_) => true,
    }
}

fn within(r: Range, len: usize) -> bool {
    (r.start as usize).checked_add(r.len as usize).is_some_and(|end| end <= len)
}

impl Validator<'_> {
    fn run(&self) -> Check {
        let p = self.p;
        for (i, e) in p.exprs.iter().enumerate() {
            self.expr(i as u32, *e)?;
        }
        for (i, s) in p.stmts.iter().enumerate() {
            self.stmt(i as u32, *s)?;
        }
        self.tables()
    }

    /// Everything but the nodes themselves.
    fn tables(&self) -> Check {
        let p = self.p;
        // Whole id tables at once.
        if !all_below(&p.str_lists, p.strings.len()) {
            return Err("string index out of range");
        }
        for (i, t) in p.targets.iter().enumerate() {
            match *t {
                Target::Name(n) => self.string(n)?,
                Target::Attr(a, b) => {
                    self.string(a)?;
                    self.string(b)?;
                }
                Target::Tuple(r) => {
                    self.range(r, p.target_lists.len())?;
                    // Tuple targets nest: each list entry must name an earlier target.
                    if r.of(&p.target_lists).iter().any(|&c| c as usize >= i) {
                        return Err("target refers forward");
                    }
                }
            }
        }
        for m in &p.macros {
            self.string(m.name)?;
            self.range(m.params, p.params.len())?;
            self.range(m.body, p.stmt_lists.len())?;
        }
        for b in &p.blocks {
            self.string(b.name)?;
            self.range(b.body, p.stmt_lists.len())?;
        }
        self.range(p.body, p.stmt_lists.len())?;
        for &(name, default) in &p.params {
            self.string(name)?;
            if let Some(d) = default {
                self.expr_ref(d)?;
            }
        }
        for &(name, value) in &p.kwargs {
            self.string(name)?;
            self.expr_ref(value)?;
        }
        if !all_below(&p.expr_lists, p.exprs.len()) {
            return Err("expression index out of range");
        }
        if !all_below(&p.stmt_lists, p.stmts.len()) {
            return Err("statement index out of range");
        }
        for a in &p.args {
            self.range(a.args, p.expr_lists.len())?;
            self.range(a.kwargs, p.kwargs.len())?;
            if let Some(e) = a.dyn_args {
                self.expr_ref(e)?;
            }
            if let Some(e) = a.dyn_kwargs {
                self.expr_ref(e)?;
            }
        }
        for &(name, alias) in &p.imports {
            self.string(name)?;
            if let Some(a) = alias {
                self.string(a)?;
            }
        }
        for &(_, r) in &p.scope_missing {
            self.range(r, p.str_lists.len())?;
        }
        for t in &p.trans {
            self.range(t.vars, p.kwargs.len())?;
            self.string(t.singular)?;
            self.range(t.referenced, p.str_lists.len())?;
            if let Some((s, e)) = t.plural {
                self.string(s)?;
                self.expr_ref(e)?;
            }
        }
        for l in &p.loops {
            self.target(l.target)?;
            self.expr_ref(l.iter)?;
            if let Some(f) = l.filter {
                self.expr_ref(f)?;
            }
            self.range(l.body, p.stmt_lists.len())?;
            self.range(l.otherwise, p.stmt_lists.len())?;
        }
        for &(cond, body) in &p.branches {
            self.expr_ref(cond)?;
            self.range(body, p.stmt_lists.len())?;
        }
        for &(t, e) in &p.assigns {
            self.target(t)?;
            self.expr_ref(e)?;
        }
        for &(_, e) in &p.compares {
            self.expr_ref(e)?;
        }
        Ok(())
    }

    #[inline(always)]
    fn string(&self, id: StrId) -> Check {
        if (id as usize) < self.p.strings.len() {
            Ok(())
        } else {
            Err("string index out of range")
        }
    }

    #[inline(always)]
    fn range(&self, r: Range, len: usize) -> Check {
        if within(r, len) {
            Ok(())
        } else {
            Err("range out of bounds")
        }
    }

    #[inline(always)]
    fn expr_ref(&self, id: ExprId) -> Check {
        if (id as usize) < self.p.exprs.len() {
            Ok(())
        } else {
            Err("expression index out of range")
        }
    }

    #[inline(always)]
    fn target(&self, id: u32) -> Check {
        if (id as usize) < self.p.targets.len() {
            Ok(())
        } else {
            Err("target index out of range")
        }
    }

    /// A child of expression `me` must come before it.
    #[inline(always)]
    fn child(&self, me: ExprId, id: ExprId) -> Check {
        if id < me {
            Ok(())
        } else {
            Err("expression refers forward")
        }
    }

    /// The argument list `id` of expression `me`: in range, its entries before `me`. Inlined
    /// into the expression decoder, where a call of its own cost ≈7 instructions a call, filter
    /// or test node (41.5 K of them over the benchmark corpus).
    #[inline(always)]
    fn args_of(&self, me: ExprId, id: u32) -> Check {
        let Some(a) = self.p.args.get(id as usize) else { return Err("argument list out of range") };
        self.range(a.args, self.p.expr_lists.len())?;
        self.range(a.kwargs, self.p.kwargs.len())?;
        for &c in a.args.of(&self.p.expr_lists) {
            self.child(me, c)?;
        }
        for &(_, c) in a.kwargs.of(&self.p.kwargs) {
            self.child(me, c)?;
        }
        if let Some(c) = a.dyn_args {
            self.child(me, c)?;
        }
        if let Some(c) = a.dyn_kwargs {
            self.child(me, c)?;
        }
        Ok(())
    }

    #[inline(always)]
    fn expr(&self, me: ExprId, e: Expr) -> Check {
        let p = self.p;
        match e {
            Expr::None | Expr::Bool(_) | Expr::Int(_) | Expr::Float(_) => Ok(()),
            Expr::BigInt(s) | Expr::Str(s) | Expr::Name(s) | Expr::PyName(s) => self.string(s),
            Expr::List(r) | Expr::Tuple(r) | Expr::Dict(r) | Expr::Concat(r) | Expr::StrConcat(r) => {
                self.range(r, p.expr_lists.len())?;
                r.of(&p.expr_lists).iter().try_for_each(|&c| self.child(me, c))
            }
            // Direct children (`GetItem`, `Binary`, `Slice`, `Unary`, `Cond`, the object of
            // `GetAttr`, the value of `Compare`, `Test`, `Filter`, the callee of `Call`) are
            // stored as distances back, which the decoder already checked.
            Expr::GetAttr(_, s) => self.string(s),
            Expr::GetItem(..)
            | Expr::Binary(..)
            | Expr::Slice { .. }
            | Expr::Unary(..)
            | Expr::Cond { .. } => Ok(()),
            Expr::Compare(_, r) => {
                self.range(r, p.compares.len())?;
                r.of(&p.compares).iter().try_for_each(|&(_, c)| self.child(me, c))
            }
            Expr::Test { name, args, .. } | Expr::Filter { name, args, .. } => {
                self.string(name)?;
                self.args_of(me, args)
            }
            Expr::Call(_, args) => self.args_of(me, args),
        }
    }

    /// The statements of a body nested in statement `me` must come before it.
    #[inline(always)]
    fn body_of(&self, me: StmtId, r: Range) -> Check {
        if self.derived {
            return Ok(());
        }
        self.range(r, self.p.stmt_lists.len())?;
        if r.of(&self.p.stmt_lists).iter().all(|&c| c < me) {
            Ok(())
        } else {
            Err("statement refers forward")
        }
    }

    #[inline(always)]
    fn stmt(&self, me: StmtId, s: Stmt) -> Check {
        let p = self.p;
        match s {
            Stmt::Data(r) => {
                // What `p.data.get(start..end)` checks, inline: both ends within the text, on
                // character boundaries.
                let boundary = |i: usize| super::strings::char_boundary(p.data.as_bytes(), i);
                let start = r.start as usize;
                match start.checked_add(r.len as usize) {
                    Some(end) if boundary(start) && boundary(end) => Ok(()),
                    _ => Err("data range out of bounds"),
                }
            }
            Stmt::Emit(e) | Stmt::Extends(e) | Stmt::Do(e) => self.expr_ref(e),
            Stmt::If { branches, otherwise } => {
                self.range(branches, p.branches.len())?;
                for &(c, body) in branches.of(&p.branches) {
                    self.expr_ref(c)?;
                    self.body_of(me, body)?;
                }
                self.body_of(me, otherwise)
            }
            Stmt::For(l) => {
                let Some(l) = p.loops.get(l as usize) else { return Err("loop index out of range") };
                self.body_of(me, l.body)?;
                self.body_of(me, l.otherwise)
            }
            Stmt::Set { target, value } => {
                self.target(target)?;
                self.expr_ref(value)
            }
            Stmt::SetBlock { target, filter, body } => {
                self.target(target)?;
                if let Some(f) = filter {
                    self.expr_ref(f)?;
                }
                self.body_of(me, body)
            }
            Stmt::Macro(m) | Stmt::CallBlock { caller: m, .. } => {
                let Some(def) = p.macros.get(m as usize) else { return Err("macro index out of range") };
                if let Stmt::CallBlock { call, .. } = s {
                    self.expr_ref(call)?;
                }
                self.body_of(me, def.body)
            }
            Stmt::FilterBlock { filter, body } | Stmt::Autoescape { value: filter, body } => {
                self.expr_ref(filter)?;
                self.body_of(me, body)
            }
            Stmt::With { assigns, body } => {
                self.range(assigns, p.assigns.len())?;
                self.body_of(me, body)
            }
            Stmt::Block(b) => {
                let Some(def) = p.blocks.get(b as usize) else { return Err("block index out of range") };
                self.body_of(me, def.body)
            }
            Stmt::Include { template, .. } => self.expr_ref(template),
            Stmt::Import { template, target, .. } => {
                self.string(target)?;
                self.expr_ref(template)
            }
            Stmt::FromImport { template, names, .. } => {
                self.range(names, p.imports.len())?;
                self.expr_ref(template)
            }
            Stmt::Break | Stmt::Continue | Stmt::Debug => Ok(()),
            Stmt::Trans(t) => {
                if (t as usize) < p.trans.len() {
                    Ok(())
                } else {
                    Err("trans index out of range")
                }
            }
        }
    }
}

/// The span table of a program's nodes, the expressions' then the statements': built by the
/// lowering, or kept packed ([`codec::pack_spans`]: compressed harder than the rest of a
/// bucket, one table for both kinds of node) after a load and unpacked on the first lookup
/// (spans are only read to report an error, so most loads never unpack them). A table that
/// fails to unpack reads as unknown positions (line 0): the nodes themselves are checked.
///
/// [`codec::pack_spans`]: super::codec::pack_spans
#[derive(Default, Clone)]
pub struct Spans {
    encoded: Box<[u8]>,
    decoded: std::sync::OnceLock<(Vec<Span>, Vec<Span>)>,
}

impl Spans {
    /// The spans of the expressions and of the statements, by node id (lowering).
    pub fn from_vecs(exprs: Vec<Span>, stmts: Vec<Span>) -> Spans {
        Spans { encoded: Box::default(), decoded: std::sync::OnceLock::from((exprs, stmts)) }
    }

    /// Both tables, unpacked on first use for a program of `exprs` expressions and `stmts`
    /// statements.
    fn tables(&self, exprs: usize, stmts: usize) -> &(Vec<Span>, Vec<Span>) {
        self.decoded.get_or_init(|| {
            let mut all = crate::compiler::codec::unpack_spans(&self.encoded, exprs.saturating_add(stmts))
                .unwrap_or_default();
            let stmt_spans = if all.len() > exprs { all.split_off(exprs) } else { Vec::new() };
            (all, stmt_spans)
        })
    }

    /// The span of expression `id` of a program of `exprs` expressions and `stmts` statements
    /// (unknown when out of range).
    #[inline]
    pub fn expr(&self, id: u32, exprs: usize, stmts: usize) -> Span {
        self.tables(exprs, stmts).0.get(id as usize).copied().unwrap_or_default()
    }

    /// The span of statement `id` (as [`Spans::expr`]).
    #[inline]
    pub fn stmt(&self, id: u32, exprs: usize, stmts: usize) -> Span {
        self.tables(exprs, stmts).1.get(id as usize).copied().unwrap_or_default()
    }

    /// Every span, the expressions' then the statements'.
    fn all(&self) -> Vec<Span> {
        match self.decoded.get() {
            Some((e, s)) => [e.as_slice(), s.as_slice()].concat(),
            None => crate::compiler::codec::unpack_spans(&self.encoded, usize::MAX).unwrap_or_default(),
        }
    }
}

impl std::fmt::Debug for Spans {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.decoded.get() {
            Some(v) => v.fmt(f),
            None => write!(f, "<{} encoded bytes>", self.encoded.len()),
        }
    }
}

impl PartialEq for Spans {
    fn eq(&self, other: &Spans) -> bool {
        self.all() == other.all()
    }
}

impl Serialize for Spans {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use crate::compiler::codec::{encode_spans, pack_spans};
        match self.decoded.get() {
            Some(_) => s.serialize_bytes(&pack_spans(&encode_spans(&self.all()))),
            None => s.serialize_bytes(&self.encoded),
        }
    }
}

impl Spans {
    /// A packed table as stored, unpacked on first use.
    fn from_encoded(packed: &[u8]) -> Spans {
        Spans { encoded: packed.into(), decoded: std::sync::OnceLock::new() }
    }
}

impl<'de> Deserialize<'de> for Spans {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Spans, D::Error> {
        let encoded = crate::compiler::codec::raw_bytes(d)?;
        Ok(Spans { encoded: encoded.into_boxed_slice(), decoded: std::sync::OnceLock::new() })
    }
}

#[cfg(test)]
mod layout {
    /// The serialized bytes of a fixed template, pinned to the bytecode version: a change to
    /// the program's tables or to the codec changes the digest, and then `BYTECODE_VERSION`
    /// must be bumped with it (old buckets of another layout would otherwise decode into a
    /// different program under the same version). Update both constants together.
    #[test]
    fn layout_is_pinned_to_the_bytecode_version() {
        let env = crate::Environment::new();
        let p = env.compile(PINNED, "pinned").unwrap();
        let digest = blake3::hash(&p.to_bytes().unwrap()).to_hex().to_string();
        assert_eq!(
            (super::super::BYTECODE_VERSION, digest.as_str()),
            (23, "ee647a8d89775f51521006ce89104e5979663c1c015fe155210f64420e5c8d8b"),
            "the program layout changed: bump BYTECODE_VERSION and pin the new digest"
        );
    }

    /// A data range must lie within the text, both ends on character boundaries (checked
    /// inline by the loader, as `str::get` would).
    #[test]
    fn data_ranges_stay_in_the_text_on_character_boundaries() {
        use super::{Program, Range, Stmt};
        let check = |start: u32, len: u32| {
            let mut p = Program::empty();
            p.data = "aüb".to_string();
            p.stmts = vec![Stmt::Data(Range { start, len })];
            let by_validate = p.validate().is_ok();
            let by_load = Program::from_bytes(&p.to_bytes().unwrap()).is_ok();
            assert_eq!(by_validate, by_load, "{start}+{len}");
            by_validate
        };
        for (start, len) in [(0, 0), (0, 1), (1, 2), (0, 4), (3, 1), (4, 0)] {
            assert!(check(start, len), "{start}+{len}");
        }
        for (start, len) in [(2, 1), (0, 2), (1, 1), (4, 1), (5, 0), (u32::MAX, 2)] {
            assert!(!check(start, len), "{start}+{len}");
        }
        // A run that follows the one before it (stored as its length, its start checked with
        // that run's end) after a run at 0 or one placed elsewhere: the load still agrees.
        let pairs = |a: (u32, u32), b_len: u32| {
            let mut p = Program::empty();
            p.data = "aüb".to_string();
            let b = Range { start: a.0.wrapping_add(a.1), len: b_len };
            p.stmts = vec![Stmt::Data(Range { start: a.0, len: a.1 }), Stmt::Data(b)];
            let by_validate = p.validate().is_ok();
            let by_load = Program::from_bytes(&p.to_bytes().unwrap()).is_ok();
            assert_eq!(by_validate, by_load, "{a:?} then {b_len}");
            by_validate
        };
        for (a, b_len) in [((0, 1), 2), ((0, 0), 1), ((1, 2), 1), ((3, 0), 1), ((0, 4), 0)] {
            assert!(pairs(a, b_len), "{a:?} then {b_len}");
        }
        for (a, b_len) in
            [((0, 1), 1), ((0, 2), 2), ((1, 1), 1), ((3, 1), 1), ((0, 4), 1), ((u32::MAX, 1), 1)]
        {
            assert!(!pairs(a, b_len), "{a:?} then {b_len}");
        }
    }

    /// Statement lists are stored empty when the statements rebuild them (as for every
    /// program the lowering makes) and rebuilt on load; forged bodies (off their place, longer
    /// than the statements before them, out of order, taken twice) are errors, never panics,
    /// exactly where decoding then validating rejects them; lists that do not rebuild are
    /// stored as they are and checked entry by entry.
    #[test]
    fn statement_lists_are_rebuilt_from_the_statements() {
        use super::{BlockDef, Expr, LoopDef, Program, Range, Span, Stmt};
        let env = crate::Environment::new();
        let p = env.compile(PINNED, "pinned").unwrap();
        assert_eq!(p.derived_stmt_lists().unwrap(), p.stmt_lists);
        let bytes = p.to_bytes().unwrap();
        let stored: Program = postcard::from_bytes(&bytes).unwrap();
        assert!(stored.stmt_lists.is_empty() && !p.stmt_lists.is_empty());
        assert_eq!(Program::from_bytes(&bytes).unwrap(), p);

        let r = |start, len| Range { start, len };
        let data = Stmt::Data(r(0, 0));
        let load = |p: &Program| Program::from_bytes(&p.to_bytes().unwrap()).ok();
        let reference = |p: &Program| {
            let mut q = p.clone();
            if q.stmt_lists.is_empty() {
                q.stmt_lists = q.derived_stmt_lists().ok()?;
            }
            q.validate().ok().map(|()| q)
        };
        let base = || {
            let mut p = Program::empty();
            p.exprs = vec![Expr::None];
            p.loops = vec![LoopDef {
                target: 0,
                iter: 0,
                filter: None,
                body: r(0, 1),
                otherwise: r(1, 1),
                recursive: false,
                extended: false,
            }];
            p.targets = vec![super::Target::Name(0)];
            p.strings.push("x".into());
            p.strings.freeze();
            p.blocks = vec![BlockDef {
                name: 0,
                body: r(0, 1),
                scoped: false,
                required: false,
                span: Span::default(),
            }];
            p.branches = vec![(0, r(0, 1)), (0, r(1, 1))];
            p
        };
        let cases: Vec<(&str, Vec<Stmt>, Range, bool)> = vec![
            ("with", vec![data, data, Stmt::With { assigns: r(0, 0), body: r(0, 2) }], r(2, 1), true),
            (
                "with off its place",
                vec![data, data, Stmt::With { assigns: r(0, 0), body: r(1, 2) }],
                r(2, 1),
                false,
            ),
            (
                "with too long",
                vec![data, data, Stmt::With { assigns: r(0, 0), body: r(0, 3) }],
                r(3, 1),
                false,
            ),
            (
                "top too long",
                vec![data, data, Stmt::With { assigns: r(0, 0), body: r(0, 2) }],
                r(2, 2),
                false,
            ),
            ("top off its place", vec![data, data], r(1, 2), false),
            ("an orphan", vec![data, data, data], r(0, 2), true),
            ("if", vec![data, data, Stmt::If { branches: r(0, 2), otherwise: r(2, 0) }], r(2, 1), true),
            (
                "if out of order",
                vec![data, data, Stmt::If { branches: r(0, 2), otherwise: r(1, 0) }],
                r(2, 1),
                false,
            ),
            (
                "if branches out of range",
                vec![data, Stmt::If { branches: r(1, 2), otherwise: r(0, 1) }],
                r(1, 1),
                false,
            ),
            ("for", vec![data, data, Stmt::For(0)], r(2, 1), true),
            ("for out of range", vec![data, data, Stmt::For(1)], r(0, 3), false),
            ("block", vec![data, Stmt::Block(0)], r(1, 1), true),
            ("block twice", vec![data, Stmt::Block(0), Stmt::Block(0)], r(1, 2), false),
        ];
        for (what, stmts, body, ok) in cases {
            let mut p = base();
            p.stmts = stmts;
            p.body = body;
            let loaded = load(&p);
            assert_eq!(loaded.is_some(), ok, "{what}");
            assert_eq!(loaded, reference(&p), "{what}");
            if let Some(q) = loaded {
                assert_eq!(q.derived_stmt_lists().unwrap(), q.stmt_lists, "{what}");
            }
        }
        // Lists the statements do not rebuild (a body's entries out of order) are stored, and
        // still checked: an entry after its owner is an error.
        let mut p = base();
        p.stmts = vec![data, data, Stmt::With { assigns: r(0, 0), body: r(0, 2) }];
        p.body = r(2, 1);
        p.stmt_lists = vec![1, 0, 2];
        assert!(p.derived_stmt_lists().is_ok_and(|l| l != p.stmt_lists));
        assert_eq!(load(&p), Some(p.clone()));
        p.stmt_lists = vec![2, 0, 1];
        assert_eq!(load(&p), None);
    }

    /// The load's reader of the stored fields ([`super::Input`]) accepts exactly what postcard
    /// accepts, with the same values: varints of every length (non-minimal forms, the last
    /// byte's limit), lengths past the end, text that is not UTF-8, option tags; and a whole
    /// program truncated anywhere, or with bytes after it, loads exactly when postcard then
    /// the checks accept it.
    #[test]
    fn the_reader_reads_what_postcard_reads() {
        use super::Input;
        let mut varints: Vec<Vec<u8>> = vec![vec![], vec![0], vec![5], vec![0x7f], vec![0x80], vec![0x80, 0]];
        for n in 1..=11 {
            for last in [0u8, 1, 2, 0x0f, 0x10, 0x7f, 0x80] {
                let mut v = vec![0xff; n - 1];
                v.push(last);
                varints.push(v.clone());
                v.extend_from_slice(b"abcdef");
                varints.push(v);
            }
        }
        varints.push(vec![3, b'a', 0xc3, b'b']);
        varints.push(vec![2, 0xc3, 0xbc, 1]);
        for v in &varints {
            let mut r = Input { rest: v };
            assert_eq!(r.u32().ok(), postcard::from_bytes::<u32>(v).ok(), "u32 {v:?}");
            let mut r = Input { rest: v };
            assert_eq!(r.bytes().ok(), postcard::from_bytes::<&[u8]>(v).ok(), "bytes {v:?}");
            let mut r = Input { rest: v };
            assert_eq!(r.text().ok(), postcard::from_bytes::<&str>(v).ok(), "text {v:?}");
            let mut r = Input { rest: v };
            let ours = r.some().and_then(|some| if some { r.u32().map(Some) } else { Ok(None) });
            assert_eq!(ours.ok(), postcard::from_bytes::<Option<u32>>(v).ok(), "option {v:?}");
            let mut r = Input { rest: v };
            assert_eq!(r.range().ok(), postcard::from_bytes::<super::Range>(v).ok(), "range {v:?}");
        }

        let env = crate::Environment::new();
        let good = env.compile(PINNED, "pinned").unwrap().to_bytes().unwrap();
        let reference = decode_then_validate;
        for n in 0..good.len() {
            assert!(super::Program::from_bytes(&good[..n]).is_err(), "{n} of {} bytes", good.len());
            assert!(reference(&good[..n]).is_none(), "{n} of {} bytes", good.len());
        }
        for extra in [&[0u8][..], &[1, 2, 3], &[0xff; 16]] {
            let longer = [&good[..], extra].concat();
            assert_eq!(super::Program::from_bytes(&longer).ok(), reference(&longer));
            assert!(reference(&longer).is_some());
        }
        // The name's length (the first byte) in longer forms.
        assert_eq!(good[0], 6);
        for form in [
            &[0x86u8, 0][..],
            &[0x86, 0x80, 0x80, 0],
            &[0x86, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 1],
        ] {
            let forged = [form, &good[1..]].concat();
            assert_eq!(super::Program::from_bytes(&forged).ok(), reference(&forged), "{form:?}");
        }
        // A trans block (not in the pinned template: the i18n extension) read field by field.
        let mut p = super::Program::empty();
        p.strings.push("s".into());
        p.strings.freeze();
        p.trans = vec![super::TransDef {
            vars: super::Range::default(),
            singular: 0,
            plural: None,
            referenced: super::Range::default(),
        }];
        let bytes = p.to_bytes().unwrap();
        assert_eq!(super::Program::from_bytes(&bytes).ok(), Some(p.clone()));
        for n in 0..bytes.len() {
            assert_eq!(super::Program::from_bytes(&bytes[..n]).ok(), reference(&bytes[..n]), "{n}");
        }
        p.trans[0].plural = Some((0, 0));
        let bytes = p.to_bytes().unwrap();
        assert_eq!(super::Program::from_bytes(&bytes).ok(), reference(&bytes));
    }

    /// The reference load: postcard's decode of the stored fields, the statement lists
    /// rebuilt, then [`Program::validate`](super::Program::validate) over the whole program.
    fn decode_then_validate(b: &[u8]) -> Option<super::Program> {
        let mut p: super::Program = postcard::from_bytes(b).ok()?;
        if p.stmt_lists.is_empty() {
            p.stmt_lists = p.derived_stmt_lists().ok()?;
        }
        p.validate().ok().map(|()| p)
    }

    /// A template using every kind of node and side table.
    const PINNED: &str = "{% extends 'b' %}{% macro m(x, y=2) %}{{ x ~ y }}{{ caller() }}{% endmacro %}\
                   {% block c scoped %}{% for a, b in xs if a is odd recursive %}{{ loop(b) }}{% else %}-{% endfor %}\
                   {% call(z) m(1, *r, k=v, **kw) %}{{ z[1:2] }}{% endcall %}{% set ns.q = 1 < 2 <= 3 %}\
                   {% with w = {'k': [1.5, -2, none, true]} %}{{ w.k|join(',') if w else 'n' }}{% endwith %}\
                   {% filter upper %}t{% endfilter %}{% include ['x', 'y'] ignore missing without context %}\
                   {% from 'f' import g as h with context %}{% autoescape true %}{{ not a or b and c }}{% endautoescape %}\
                   {% autoescape e %}{{ d ~ e }}{% endautoescape %}{% set f = 'inf'|float %}{% endblock %}";

    /// [`Program::from_bytes`](super::Program::from_bytes) checks each node as it decodes it;
    /// it must accept exactly what a whole decode followed by [`Program::validate`] accepts,
    /// and give the same program: every byte of a serialized program flipped three ways.
    #[test]
    fn the_one_pass_load_accepts_what_decode_then_validate_accepts() {
        let env = crate::Environment::new();
        let good = env.compile(PINNED, "pinned").unwrap().to_bytes().unwrap();
        let reference = decode_then_validate;
        let mut accepted = 0;
        for i in 0..good.len() {
            for x in [0x01u8, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[i] ^= x;
                let one_pass = super::Program::from_bytes(&bad).ok();
                assert_eq!(one_pass, reference(&bad), "byte {i} ^ {x:#x}");
                accepted += one_pass.is_some() as usize;
            }
        }
        assert!(accepted > 0);
        assert_eq!(super::Program::from_bytes(&good).ok(), reference(&good));
    }
}
