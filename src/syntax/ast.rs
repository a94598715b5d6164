//! The syntax tree of a template. It owns all of its data (no borrows from the source) and
//! derives serde, so that a compiled tree can be stored in a bucket and loaded back.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A name or string constant: its index in the tree's string table ([`Exprs::strings`]), where
/// the parser interned it (every occurrence of a text gets the same index, so indices compare
/// as their texts do). Four bytes and nothing to drop, instead of a reference-counted text in
/// every node; [`Exprs::text`] gives the text back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Str(u32);

impl Str {
    /// Entry `id` of a string table.
    pub fn new(id: u32) -> Str {
        Str(id)
    }

    /// Its index in the tree's string table.
    pub fn id(self) -> u32 {
        self.0
    }
}

/// The hash of a text for [`Interned`] and the parser's table of texts shared between
/// templates: one fixed hasher, so that a first sighting hashes its text once for both tables
/// (nothing iterates them, so no order depends on it).
#[inline]
pub(crate) fn text_hash(s: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::default().hash_one(s)
}

/// Text -> index into a string table ([`Exprs::strings`]): the indices with their texts'
/// [`text_hash`], the texts themselves being the table's (no second reference-counted key per
/// text, and a lookup hashes once even when it inserts).
#[derive(Clone, Default)]
pub struct Interned {
    table: hashbrown::HashTable<(u64, u32)>,
}

impl Interned {
    /// An empty map with room for `n` texts.
    pub fn with_capacity(n: usize) -> Interned {
        Interned { table: hashbrown::HashTable::with_capacity(n) }
    }

    /// The index of `text` in `strings` (the table this map indexes).
    pub fn get(&self, strings: &[Arc<str>], text: &str) -> Option<u32> {
        let hash = text_hash(text);
        self.table
            .find(hash, |&(h, id)| h == hash && strings.get(id as usize).is_some_and(|s| **s == *text))
            .map(|&(_, id)| id)
    }

    /// The index of `text` (whose [`text_hash`] is `hash`) in `strings`, after pushing
    /// `make(text)` there if it is not in it yet.
    #[inline]
    pub(crate) fn intern(
        &mut self,
        strings: &mut Vec<Arc<str>>,
        text: &str,
        hash: u64,
        make: impl FnOnce(&str, u64) -> Arc<str>,
    ) -> u32 {
        // A look-up, then an insertion on a miss, rather than `entry`, which reserves room
        // before every look-up.
        let eq = |&(h, id): &(u64, u32)| h == hash && strings.get(id as usize).is_some_and(|s| **s == *text);
        if let Some(&(_, id)) = self.table.find(hash, eq) {
            return id;
        }
        let id = u32::try_from(strings.len()).unwrap_or(u32::MAX);
        strings.push(make(text, hash));
        self.table.insert_unique(hash, (hash, id), |&(h, _)| h);
        id
    }

    /// Number of texts.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

impl std::fmt::Debug for Interned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interned").field("len", &self.table.len()).finish()
    }
}

/// The map is a function of the string table it indexes (compared with the rest of the tree):
/// equal when it holds as many texts.
impl PartialEq for Interned {
    fn eq(&self, other: &Interned) -> bool {
        self.table.len() == other.table.len()
    }
}

/// What a string index outside the table reads as (never made by the parser).
static EMPTY_STR: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| Arc::from(""));

/// A source position: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub col: u32,
}

/// A parsed template.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Template {
    /// Top-level statements.
    pub body: Vec<Stmt>,
    /// All template data, whitespace control and newline sequence applied, in source order:
    /// [`StmtKind::Data`] statements are ranges of it (one buffer instead of a `String` per
    /// text run; the program takes it over as its data blob).
    pub data: String,
    /// Text -> index into [`Exprs::strings`].
    #[serde(skip)]
    pub interned: Interned,
    /// How many tokens the parser read: a bound on the node counts, to size the program's
    /// tables once.
    pub tokens: usize,
    /// Whether the template has a float literal (lowering looks for constants Jinja2 cannot
    /// write, `inf` and `nan`, only then or where the `float` filter is named).
    pub has_floats: bool,
    /// Every expression node that another node refers to ([`ExprRef`]): one arena instead of
    /// a heap allocation (and a free) per boxed child.
    pub exprs: Exprs,
    /// Every name the template stores anywhere (`set`, `with`, `set` blocks, macro and import
    /// names, `trans`'s `_trans`), repeats included, in no particular order: only these can
    /// start out missing in a scope, so the lowering's scope analysis looks for nothing else.
    pub stores: Vec<Str>,
}

impl Template {
    /// The text of a [`StmtKind::Data`] range.
    pub fn text(&self, range: &std::ops::Range<usize>) -> &str {
        self.data.get(range.clone()).unwrap_or("")
    }
}

/// A child expression: its index in the tree's [`Exprs`] arena, plus one (so that an
/// `Option<ExprRef>` takes no more room than the index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExprRef(std::num::NonZeroU32);

/// Consecutive expressions of the arena (the positional arguments of a call).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExprList {
    start: u32,
    len: u32,
}

impl ExprList {
    /// How many expressions there are.
    pub fn len(self) -> usize {
        self.len as usize
    }

    /// Whether there are none.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

/// The expression arena of a [`Template`]: the nodes [`ExprRef`]s point at, the string table
/// [`Str`]s index, and the rare
/// parts of argument lists ([`Args`]): their keyword names and the table of their keyword and
/// `*`/`**` arguments (one vector each instead of a box and a vector per argument list).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Exprs {
    nodes: Vec<Expr>,
    /// Every name and string constant the parser interned, by [`Str::id`] (lowering maps
    /// these ids to the program's string table).
    pub strings: Vec<Arc<str>>,
    /// Keyword argument names; [`ArgsRest::names`] starts a run of them.
    names: Vec<Str>,
    /// What [`Args::rest`] refers to.
    rests: Vec<ArgsRest>,
    /// Comparison operators; [`CmpList::ops`] starts a run of them.
    cmp_ops: Vec<CmpOp>,
}

/// What a reference outside the arena reads as (never made by the parser).
static MISSING_EXPR: Expr = Expr { kind: ExprKind::Const(Const::None), span: Span { line: 0, col: 0 } };

/// The keyword arguments of an argument list: names and values, in source order.
pub type KwArgs<'a> = std::iter::Zip<std::slice::Iter<'a, Str>, std::slice::Iter<'a, Expr>>;

impl Exprs {
    /// An empty arena with room for `n` nodes.
    pub fn with_capacity(n: usize) -> Exprs {
        Exprs {
            nodes: Vec::with_capacity(n),
            strings: Vec::with_capacity(64),
            names: Vec::new(),
            rests: Vec::new(),
            cmp_ops: Vec::new(),
        }
    }

    /// The text of `s` (empty for an index outside the table, which the parser never makes).
    #[inline]
    pub fn text(&self, s: Str) -> &Arc<str> {
        self.strings.get(s.0 as usize).unwrap_or(&*EMPTY_STR)
    }

    /// Move `e` into the arena.
    #[inline]
    pub fn push(&mut self, e: Expr) -> ExprRef {
        let id = u32::try_from(self.nodes.len() + 1).ok().and_then(std::num::NonZeroU32::new);
        self.nodes.push(e);
        ExprRef(id.unwrap_or(std::num::NonZeroU32::MAX))
    }

    /// Move `items` into the arena, one after the other.
    pub fn push_all(&mut self, items: impl Iterator<Item = Expr>) -> ExprList {
        let start = self.nodes.len();
        self.nodes.extend(items);
        let len = self.nodes.len() - start;
        ExprList { start: u32::try_from(start).unwrap_or(u32::MAX), len: u32::try_from(len).unwrap_or(0) }
    }

    /// A comparison chain's operators and right-hand operands, moved into the arena.
    pub fn push_compare(&mut self, items: Vec<(CmpOp, Expr)>) -> CmpList {
        let ops = u32::try_from(self.cmp_ops.len()).unwrap_or(u32::MAX);
        self.cmp_ops.extend(items.iter().map(|(op, _)| *op));
        let operands = self.push_all(items.into_iter().map(|(_, e)| e));
        CmpList { operands, ops }
    }

    /// The operators and right-hand operands of `c`, in source order.
    pub fn compare(
        &self,
        c: CmpList,
    ) -> std::iter::Zip<std::iter::Copied<std::slice::Iter<'_, CmpOp>>, std::slice::Iter<'_, Expr>> {
        let start = c.ops as usize;
        let ops = self.cmp_ops.get(start..start + c.len()).unwrap_or(&[]);
        ops.iter().copied().zip(self.list(c.operands))
    }

    /// An argument list: the positional arguments `args` (already in the arena), the keyword
    /// arguments `kwargs` (moved in here) and the `*`/`**` arguments.
    pub fn args(
        &mut self,
        args: ExprList,
        kwargs: impl Iterator<Item = (Str, Expr)>,
        dyn_args: Option<ExprRef>,
        dyn_kwargs: Option<ExprRef>,
    ) -> Args {
        let start = self.nodes.len();
        let names = self.names.len();
        for (k, v) in kwargs {
            self.names.push(k);
            self.nodes.push(v);
        }
        if self.nodes.len() == start && dyn_args.is_none() && dyn_kwargs.is_none() {
            return Args { args, rest: None };
        }
        let kwargs = ExprList {
            start: u32::try_from(start).unwrap_or(u32::MAX),
            len: u32::try_from(self.nodes.len() - start).unwrap_or(0),
        };
        let names = u32::try_from(names).unwrap_or(u32::MAX);
        self.rests.push(ArgsRest { kwargs, names, dyn_args, dyn_kwargs });
        let rest = u32::try_from(self.rests.len()).ok().and_then(std::num::NonZeroU32::new);
        Args { args, rest }
    }

    /// The node `r` refers to.
    #[inline]
    pub fn get(&self, r: ExprRef) -> &Expr {
        self.nodes.get(r.0.get() as usize - 1).unwrap_or(&MISSING_EXPR)
    }

    /// The nodes of `l`.
    #[inline]
    pub fn list(&self, l: ExprList) -> &[Expr] {
        let start = l.start as usize;
        self.nodes.get(start..start + l.len as usize).unwrap_or(&[])
    }

    fn rest(&self, a: &Args) -> Option<&ArgsRest> {
        self.rests.get(a.rest?.get() as usize - 1)
    }

    /// The keyword arguments of `a`, in source order.
    pub fn kwargs(&self, a: &Args) -> KwArgs<'_> {
        let (names, values): (&[Str], &[Expr]) = match self.rest(a) {
            Some(r) => {
                let start = r.names as usize;
                (self.names.get(start..start + r.kwargs.len()).unwrap_or(&[]), self.list(r.kwargs))
            }
            None => (&[], &[]),
        };
        names.iter().zip(values)
    }

    /// The `*args` of `a`.
    pub fn dyn_args(&self, a: &Args) -> Option<ExprRef> {
        self.rest(a).and_then(|r| r.dyn_args)
    }

    /// The `**kwargs` of `a`.
    pub fn dyn_kwargs(&self, a: &Args) -> Option<ExprRef> {
        self.rest(a).and_then(|r| r.dyn_kwargs)
    }

    /// How many nodes there are.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

impl std::ops::Index<ExprRef> for Exprs {
    type Output = Expr;

    fn index(&self, r: ExprRef) -> &Expr {
        self.get(r)
    }
}

/// A literal constant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Const {
    /// `none` / `None`.
    None,
    /// `true` / `false` (any case variant Jinja2 accepts).
    Bool(bool),
    /// An int that fits 64 bits.
    Int(i64),
    /// A larger int, as decimal digits (with a leading `-` if negative), interned.
    BigInt(Str),
    /// A float.
    Float(f64),
    /// A string literal (escapes already resolved).
    Str(Str),
}

/// Binary operators. `And`/`Or` short-circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `//`
    FloorDiv,
    /// `%`
    Mod,
    /// `**`
    Pow,
    /// `and`
    And,
    /// `or`
    Or,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnaryOp {
    /// `not x`
    Not,
    /// `-x`
    Neg,
    /// `+x`
    Pos,
}

/// Comparison operators (chainable: `a < b < c`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
}

/// The operators and right-hand operands of a comparison chain, in [`Exprs`] (see
/// [`Exprs::compare`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CmpList {
    /// The operands (a run of the arena).
    operands: ExprList,
    /// Where their operators start in the arena's comparison operators.
    ops: u32,
}

impl CmpList {
    /// How many comparisons there are.
    pub fn len(self) -> usize {
        self.operands.len()
    }

    /// Whether there are none.
    pub fn is_empty(self) -> bool {
        self.operands.is_empty()
    }
}

/// The rare parts of an argument list, in [`Exprs`]: keyword and `*`/`**` arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct ArgsRest {
    /// The keyword values (a run of the arena).
    kwargs: ExprList,
    /// Where their names start in the arena's keyword names.
    names: u32,
    dyn_args: Option<ExprRef>,
    dyn_kwargs: Option<ExprRef>,
}

/// The arguments of a call, filter or test: the positional ones a run of the arena, the rest
/// (see [`Exprs::kwargs`], [`Exprs::dyn_args`], [`Exprs::dyn_kwargs`]) an entry of the arena's
/// table: most argument lists are positional only, and no argument list needs an allocation
/// of its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Args {
    args: ExprList,
    /// Index plus one into the arena's table of keyword and `*`/`**` arguments.
    rest: Option<std::num::NonZeroU32>,
}

impl Args {
    /// Positional arguments.
    pub fn args(&self) -> ExprList {
        self.args
    }

    /// Whether there are only positional arguments (no keyword, `*` or `**` ones).
    pub fn is_positional_only(&self) -> bool {
        self.rest.is_none()
    }
}

/// An expression with its position. Plain data (`Copy`): the arena's nodes need no drop.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it starts.
    pub span: Span,
}

/// Expression kinds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum ExprKind {
    /// A literal.
    Const(Const),
    /// A variable reference.
    Name(Str),
    /// `[a, b]` (the items: a run of the arena)
    List(ExprList),
    /// `(a, b)` or `a, b` where allowed.
    Tuple(ExprList),
    /// `{k: v}` (keys and values alternating in one run of the arena)
    Dict(ExprList),
    /// `obj.name`
    GetAttr(ExprRef, Str),
    /// `obj[key]`
    GetItem(ExprRef, ExprRef),
    /// `obj[start:stop:step]`
    Slice {
        /// The sliced object.
        obj: ExprRef,
        /// Start.
        start: Option<ExprRef>,
        /// Stop.
        stop: Option<ExprRef>,
        /// Step.
        step: Option<ExprRef>,
    },
    /// `not x`, `-x`, `+x`
    Unary(UnaryOp, ExprRef),
    /// `a + b` ...
    Binary(BinOp, ExprRef, ExprRef),
    /// `a ~ b ~ c`
    Concat(ExprList),
    /// `a < b <= c`: the first operand, then the operators and the other operands.
    Compare(ExprRef, CmpList),
    /// `value is [not] name(args)`
    Test {
        /// Tested value.
        value: ExprRef,
        /// Test name.
        name: Str,
        /// Arguments.
        args: Args,
        /// `is not`.
        negated: bool,
    },
    /// `value | name(args)`; `value` is `None` inside a `{% filter %}` block head.
    Filter {
        /// Filtered value.
        value: Option<ExprRef>,
        /// Filter name.
        name: Str,
        /// Arguments.
        args: Args,
    },
    /// `func(args)`
    Call(ExprRef, Args),
    /// `a if cond else b` (`else` optional).
    Cond {
        /// Condition.
        test: ExprRef,
        /// Value when true.
        then: ExprRef,
        /// Value when false (undefined when absent).
        otherwise: Option<ExprRef>,
    },
}

/// An assignment target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Target {
    /// `x`
    Name(Str),
    /// `a, b` / `(a, (b, c))`
    Tuple(Vec<Target>),
    /// `ns.attr` (namespace assignment): the namespace and the attribute (boxed: rare, and
    /// two inline strings made every target, and so every `set` statement, 24 bytes larger).
    Attr(Box<(Str, Str)>),
}

/// A macro (or call-block caller) signature and body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MacroDef {
    /// Name (`caller` for call blocks).
    pub name: String,
    /// Parameters with optional defaults.
    pub params: Vec<(Str, Option<Expr>)>,
    /// Body.
    pub body: Vec<Stmt>,
    /// Where `{% macro` is.
    pub span: Span,
}

/// A `for` loop.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForLoop {
    /// Loop variable(s).
    pub target: Target,
    /// Iterated expression.
    pub iter: Expr,
    /// Inline `if` condition.
    pub filter: Option<Expr>,
    /// Body.
    pub body: Vec<Stmt>,
    /// `else` body (runs when nothing was iterated).
    pub otherwise: Vec<Stmt>,
    /// `recursive`.
    pub recursive: bool,
}

/// A statement with its position.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stmt {
    /// What it is.
    pub kind: StmtKind,
    /// Where it starts.
    pub span: Span,
}

/// Statement kinds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StmtKind {
    /// Template data, whitespace control already applied: a byte range of [`Template::data`].
    Data(std::ops::Range<usize>),
    /// `{{ expr }}`
    Emit(Expr),
    /// `if` / `elif` chains and `else`.
    If {
        /// (condition, body) for `if` and each `elif`.
        branches: Vec<(Expr, Vec<Stmt>)>,
        /// `else` body.
        otherwise: Vec<Stmt>,
    },
    /// `for target in iter [if filter] [recursive]` (shared: a recursive loop calls itself).
    For(Arc<ForLoop>),
    /// `{% set target = value %}`
    Set {
        /// Target.
        target: Target,
        /// Value.
        value: Expr,
    },
    /// `{% set target | filters %}body{% endset %}`
    SetBlock {
        /// Target.
        target: Target,
        /// Filter chain applied to the captured body (a `Filter` expression with `value: None`
        /// at its innermost end; boxed, as the rare case, to keep statements small).
        filter: Option<Box<Expr>>,
        /// Body.
        body: Vec<Stmt>,
    },
    /// `{% macro %}`
    Macro(Arc<MacroDef>),
    /// `{% call(params) expr %}body{% endcall %}`
    CallBlock {
        /// The call expression (an `ExprKind::Call`).
        call: Expr,
        /// The `caller` macro.
        caller: Arc<MacroDef>,
    },
    /// `{% filter f(args) | g %}body{% endfilter %}`
    FilterBlock {
        /// Filter chain (innermost `value: None`).
        filter: Expr,
        /// Body.
        body: Vec<Stmt>,
    },
    /// `{% with a = 1, b = 2 %}`
    With {
        /// Assignments, evaluated in order.
        assignments: Vec<(Target, Expr)>,
        /// Body.
        body: Vec<Stmt>,
    },
    /// `{% block name [scoped] [required] %}`
    Block {
        /// Name.
        name: Str,
        /// Body.
        body: Vec<Stmt>,
        /// `scoped`.
        scoped: bool,
        /// `required`.
        required: bool,
    },
    /// `{% extends expr %}`
    Extends(Expr),
    /// `{% include expr [ignore missing] [with|without context] %}`
    Include {
        /// Template name, list of names, or template object.
        template: Expr,
        /// `ignore missing`.
        ignore_missing: bool,
        /// `with context` (the default).
        with_context: bool,
    },
    /// `{% import expr as name [with context] %}`
    Import {
        /// Template.
        template: Expr,
        /// Bound name.
        target: String,
        /// `with context` (default: without).
        with_context: bool,
    },
    /// `{% from expr import a, b as c [with context] %}`
    FromImport {
        /// Template.
        template: Expr,
        /// (name, alias).
        names: Vec<(String, Option<String>)>,
        /// `with context` (default: without).
        with_context: bool,
    },
    /// `{% autoescape expr %}body{% endautoescape %}`
    Autoescape {
        /// The (constant or not) flag.
        value: Expr,
        /// Body.
        body: Vec<Stmt>,
    },
    /// `{% do expr %}` (the `do` extension).
    Do(Expr),
    /// `{% break %}` (loopcontrols).
    Break,
    /// `{% continue %}` (loopcontrols).
    Continue,
    /// `{% trans %}` (i18n): singular and plural texts with `%(name)s` placeholders.
    Trans {
        /// Bound variables (`trans user=...`), in order.
        vars: Vec<(String, Expr)>,
        /// Singular text.
        singular: String,
        /// Plural text and the count expression (boxed, as the rare case, to keep statements
        /// small).
        plural: Option<Box<(String, Expr)>>,
        /// `trimmed`.
        trimmed: bool,
        /// Names referenced in the text.
        referenced: Vec<String>,
    },
    /// `{% debug %}`
    Debug,
}
