//! The syntax tree of a template. It owns all of its data (no borrows from the source); its
//! nodes live in one arena ([`Exprs`]: expressions, statements, bodies as runs, loops and
//! macros by index), so parsing allocates per table, not per node. Buckets store the lowered
//! program (`compiler::program`), not this tree.

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
    /// Top-level statements (a run of the arena's statements, [`Exprs::body`]).
    pub body: StmtList,
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
    pub fn text(&self, range: &DataRange) -> &str {
        self.data.get(range.range()).unwrap_or("")
    }

    /// The top-level statements.
    pub fn stmts(&self) -> &[Stmt] {
        self.exprs.body(self.body)
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

/// Defines a run of one of the arena's vectors: where it starts and how many items it has.
macro_rules! run_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name {
            start: u32,
            len: u32,
        }

        impl $name {
            /// How many items there are.
            pub fn len(self) -> usize {
                self.len as usize
            }

            /// Whether there are none.
            pub fn is_empty(self) -> bool {
                self.len == 0
            }

            /// The run of `v` that starts at `start` (the items pushed since).
            fn since<T>(v: &[T], start: usize) -> $name {
                let len = v.len().saturating_sub(start);
                $name { start: u32::try_from(start).unwrap_or(u32::MAX), len: u32::try_from(len).unwrap_or(0) }
            }

            /// Its items in `v`.
            #[inline]
            fn of<T>(self, v: &[T]) -> &[T] {
                let start = self.start as usize;
                v.get(start..start + self.len as usize).unwrap_or(&[])
            }
        }
    };
}

run_type!(
    /// Consecutive statements of the arena (a body), see [`Exprs::body`].
    StmtList
);
run_type!(
    /// Consecutive `if` branches of the arena (condition and body), see [`Exprs::branches`].
    BranchList
);
run_type!(
    /// The items of a tuple target, in the arena ([`Exprs::targets`]).
    TargetList
);
run_type!(
    /// A `with`'s assignments, in the arena ([`Exprs::assigns`]).
    AssignList
);
run_type!(
    /// A `from ... import`'s names and aliases, in the arena ([`Exprs::imports`]).
    ImportList
);

/// A byte range of [`Template::data`] (a [`StmtKind::Data`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataRange {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl DataRange {
    /// As a range of indices.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The arena of a [`Template`]: the expression nodes [`ExprRef`]s point at, the string table
/// [`Str`]s index, the rare parts of argument lists ([`Args`]): their keyword names and the
/// table of their keyword and `*`/`**` arguments (one vector each instead of a box and a
/// vector per argument list), and the statements: bodies ([`StmtList`]), `if` branches, loops
/// and macros (one vector each instead of a vector per body and a box per loop or macro, and
/// nothing to walk when the tree is dropped).
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
    /// Statements; a [`StmtList`] is a run of them (a body's statements move here together
    /// once the body is parsed, so inner bodies come before the outer ones).
    stmts: Vec<Stmt>,
    /// `if` branches: a [`BranchList`] is a run of them.
    branches: Vec<(Expr, StmtList)>,
    /// `for` loops, by [`StmtKind::For`]'s index.
    loops: Vec<ForLoop>,
    /// Macros and call blocks' `caller`s, by [`StmtKind::Macro`]'s and
    /// [`StmtKind::CallBlock`]'s index.
    macros: Vec<MacroDef>,
    /// Items of tuple targets: a [`TargetList`] is a run of them.
    targets: Vec<Target>,
    /// Assignments of `with` statements: an [`AssignList`] is a run of them.
    assigns: Vec<(Target, Expr)>,
    /// Names and aliases of `from ... import` statements: an [`ImportList`] is a run of them.
    imports: Vec<(Str, Option<Str>)>,
    /// `trans` statements, by [`StmtKind::Trans`]'s index.
    trans: Vec<TransDef>,
}

/// What a reference outside the arena reads as (never made by the parser).
static MISSING_EXPR: Expr = Expr { kind: ExprKind::Const(Const::None), span: Span { line: 0, col: 0 } };

/// What a loop index outside the arena reads as (never made by the parser).
static MISSING_LOOP: ForLoop = ForLoop {
    target: Target::Tuple(TargetList { start: 0, len: 0 }),
    iter: MISSING_EXPR,
    filter: None,
    body: StmtList { start: 0, len: 0 },
    otherwise: StmtList { start: 0, len: 0 },
    recursive: false,
};

/// What a `trans` index outside the arena reads as (never made by the parser).
static MISSING_TRANS: TransDef = TransDef {
    vars: Vec::new(),
    singular: String::new(),
    plural: None,
    trimmed: false,
    referenced: Vec::new(),
};

/// What a macro index outside the arena reads as (never made by the parser).
static MISSING_MACRO: MacroDef = MacroDef {
    name: Str(0),
    params: Vec::new(),
    body: StmtList { start: 0, len: 0 },
    span: Span { line: 0, col: 0 },
};

/// The keyword arguments of an argument list: names and values, in source order.
pub type KwArgs<'a> = std::iter::Zip<std::slice::Iter<'a, Str>, std::slice::Iter<'a, Expr>>;

impl Exprs {
    /// An empty arena with room for `n` expression nodes and `stmts` statements (and a
    /// sixteenth as many `if` branches and loops, about what a template has).
    pub fn with_capacity(n: usize, stmts: usize) -> Exprs {
        Exprs {
            nodes: Vec::with_capacity(n),
            strings: Vec::with_capacity(64),
            names: Vec::with_capacity(32),
            rests: Vec::with_capacity(32),
            cmp_ops: Vec::new(),
            stmts: Vec::with_capacity(stmts),
            branches: Vec::with_capacity(stmts / 16 + 2),
            loops: Vec::with_capacity(stmts / 16 + 2),
            macros: Vec::new(),
            targets: Vec::new(),
            assigns: Vec::new(),
            imports: Vec::new(),
            trans: Vec::new(),
        }
    }

    /// Move the items of a tuple target into the arena.
    pub fn push_targets(&mut self, items: impl IntoIterator<Item = Target>) -> TargetList {
        let start = self.targets.len();
        self.targets.extend(items);
        TargetList::since(&self.targets, start)
    }

    /// The items of a tuple target.
    #[inline]
    pub fn targets(&self, l: TargetList) -> &[Target] {
        l.of(&self.targets)
    }

    /// Where the next `with` assignment goes: [`Exprs::assigns_since`] makes the run.
    pub fn assigns_mark(&self) -> usize {
        self.assigns.len()
    }

    /// Add a `with` assignment.
    pub fn push_assign(&mut self, t: Target, e: Expr) {
        self.assigns.push((t, e));
    }

    /// The `with` assignments pushed since `mark` ([`Exprs::assigns_mark`]).
    pub fn assigns_since(&self, mark: usize) -> AssignList {
        AssignList::since(&self.assigns, mark)
    }

    /// A `with`'s assignments.
    #[inline]
    pub fn assigns(&self, l: AssignList) -> &[(Target, Expr)] {
        l.of(&self.assigns)
    }

    /// Move a `from ... import`'s names and aliases into the arena.
    pub fn push_imports(&mut self, items: impl IntoIterator<Item = (Str, Option<Str>)>) -> ImportList {
        let start = self.imports.len();
        self.imports.extend(items);
        ImportList::since(&self.imports, start)
    }

    /// A `from ... import`'s names and aliases.
    #[inline]
    pub fn imports(&self, l: ImportList) -> &[(Str, Option<Str>)] {
        l.of(&self.imports)
    }

    /// Move a `trans` statement's parts into the arena: its index for [`StmtKind::Trans`].
    pub fn push_trans(&mut self, t: TransDef) -> u32 {
        self.trans.push(t);
        u32::try_from(self.trans.len() - 1).unwrap_or(u32::MAX)
    }

    /// The parts of the `trans` statement [`StmtKind::Trans`] refers to.
    #[inline]
    pub fn trans(&self, id: u32) -> &TransDef {
        self.trans.get(id as usize).unwrap_or(&MISSING_TRANS)
    }

    /// Move `items` (a body's statements) into the arena, one after the other.
    #[inline]
    pub fn push_stmts(&mut self, items: &[Stmt]) -> StmtList {
        let start = self.stmts.len();
        self.stmts.extend_from_slice(items);
        StmtList::since(&self.stmts, start)
    }

    /// The statements of `l`.
    #[inline]
    pub fn body(&self, l: StmtList) -> &[Stmt] {
        l.of(&self.stmts)
    }

    /// Move `items` (an `if`'s branches) into the arena, one after the other.
    pub fn push_branches(&mut self, items: &[(Expr, StmtList)]) -> BranchList {
        let start = self.branches.len();
        self.branches.extend_from_slice(items);
        BranchList::since(&self.branches, start)
    }

    /// The branches of `l`: condition and body.
    #[inline]
    pub fn branches(&self, l: BranchList) -> &[(Expr, StmtList)] {
        l.of(&self.branches)
    }

    /// Move a loop into the arena: its index for [`StmtKind::For`].
    pub fn push_loop(&mut self, f: ForLoop) -> u32 {
        self.loops.push(f);
        u32::try_from(self.loops.len() - 1).unwrap_or(u32::MAX)
    }

    /// How many loops there are.
    pub fn loop_count(&self) -> usize {
        self.loops.len()
    }

    /// How many macros (call blocks' `caller`s included) there are.
    pub fn macro_count(&self) -> usize {
        self.macros.len()
    }

    /// The loop [`StmtKind::For`] refers to.
    #[inline]
    pub fn for_loop(&self, id: u32) -> &ForLoop {
        self.loops.get(id as usize).unwrap_or(&MISSING_LOOP)
    }

    /// Move a macro (or a call block's `caller`) into the arena: its index.
    pub fn push_macro(&mut self, m: MacroDef) -> u32 {
        self.macros.push(m);
        u32::try_from(self.macros.len() - 1).unwrap_or(u32::MAX)
    }

    /// The macro [`StmtKind::Macro`] or [`StmtKind::CallBlock`] refers to.
    #[inline]
    pub fn macro_def(&self, id: u32) -> &MacroDef {
        self.macros.get(id as usize).unwrap_or(&MISSING_MACRO)
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
    pub fn push_compare(&mut self, items: &[(CmpOp, Expr)]) -> CmpList {
        let ops = u32::try_from(self.cmp_ops.len()).unwrap_or(u32::MAX);
        self.cmp_ops.extend(items.iter().map(|(op, _)| *op));
        let operands = self.push_all(items.iter().map(|(_, e)| *e));
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

    /// The first node (in arena order) that stands on a chain of more than `max` nodes
    /// (itself included), or `None`. One pass, no recursion: a node's children come before it
    /// in the arena (a node is built from references to nodes already pushed), so their
    /// heights are known when it is reached. An arena holding at most `max` nodes cannot have
    /// such a chain and is not walked.
    pub fn first_taller_than(&self, max: usize) -> Option<&Expr> {
        if self.nodes.len() <= max {
            return None;
        }
        let mut heights: Vec<u32> = Vec::with_capacity(self.nodes.len());
        let max = u32::try_from(max).unwrap_or(u32::MAX);
        for node in &self.nodes {
            let h = 1 + self.tallest_child(node, &heights);
            if h > max {
                return Some(node);
            }
            heights.push(h);
        }
        None
    }

    /// The greatest height among the children of `node` (0 for a leaf), from `heights` (those
    /// of the nodes before it; a reference past them counts as a leaf).
    fn tallest_child(&self, node: &Expr, heights: &[u32]) -> u32 {
        let of = |r: ExprRef| heights.get(r.0.get() as usize - 1).copied().unwrap_or(0);
        let of_opt = |r: Option<ExprRef>| r.map_or(0, of);
        let of_list = |l: ExprList| {
            let start = l.start as usize;
            heights.get(start..start + l.len as usize).map_or(0, |hs| hs.iter().copied().max().unwrap_or(0))
        };
        let of_args = |a: &Args| {
            let rest = self
                .rest(a)
                .map_or(0, |r| of_list(r.kwargs).max(of_opt(r.dyn_args)).max(of_opt(r.dyn_kwargs)));
            of_list(a.args).max(rest)
        };
        match &node.kind {
            ExprKind::Const(_) | ExprKind::Name(_) => 0,
            ExprKind::List(l) | ExprKind::Tuple(l) | ExprKind::Dict(l) | ExprKind::Concat(l) => of_list(*l),
            ExprKind::GetAttr(r, _) | ExprKind::Unary(_, r) => of(*r),
            ExprKind::GetItem(a, b) | ExprKind::Binary(_, a, b) => of(*a).max(of(*b)),
            ExprKind::Slice { obj, start, stop, step } => {
                of(*obj).max(of_opt(*start)).max(of_opt(*stop)).max(of_opt(*step))
            }
            ExprKind::Compare(first, rest) => of(*first).max(of_list(rest.operands)),
            ExprKind::Test { value, args, .. } => of(*value).max(of_args(args)),
            ExprKind::Filter { value, args, .. } => of_opt(*value).max(of_args(args)),
            ExprKind::Call(f, args) => of(*f).max(of_args(args)),
            ExprKind::Cond { test, then, otherwise } => of(*test).max(of(*then)).max(of_opt(*otherwise)),
        }
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

/// An assignment target. Plain data (`Copy`), as statements are.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum Target {
    /// `x`
    Name(Str),
    /// `a, b` / `(a, (b, c))`: the items, in the arena ([`Exprs::targets`]).
    Tuple(TargetList),
    /// `ns.attr` (namespace assignment): the namespace and the attribute.
    Attr(Str, Str),
}

/// A macro (or call-block caller) signature and body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MacroDef {
    /// Name (`caller` for call blocks).
    pub name: Str,
    /// Parameters with optional defaults.
    pub params: Vec<(Str, Option<Expr>)>,
    /// Body.
    pub body: StmtList,
    /// Where `{% macro` is.
    pub span: Span,
}

/// A `for` loop.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ForLoop {
    /// Loop variable(s).
    pub target: Target,
    /// Iterated expression.
    pub iter: Expr,
    /// Inline `if` condition.
    pub filter: Option<Expr>,
    /// Body.
    pub body: StmtList,
    /// `else` body (runs when nothing was iterated).
    pub otherwise: StmtList,
    /// `recursive`.
    pub recursive: bool,
}

/// The parts of a `{% trans %}` (i18n): singular and plural texts with `%(name)s`
/// placeholders.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransDef {
    /// Bound variables (`trans user=...`), in order.
    pub vars: Vec<(String, Expr)>,
    /// Singular text.
    pub singular: String,
    /// Plural text and the count expression.
    pub plural: Option<(String, Expr)>,
    /// `trimmed`.
    pub trimmed: bool,
    /// Names referenced in the text.
    pub referenced: Vec<String>,
}

/// A statement with its position. Plain data (`Copy`): bodies, loops, macros and the other
/// parts that are not live in the arena, so its statements need no drop.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stmt {
    /// What it is.
    pub kind: StmtKind,
    /// Where it starts.
    pub span: Span,
}

/// Statement kinds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum StmtKind {
    /// Template data, whitespace control already applied: a byte range of [`Template::data`].
    Data(DataRange),
    /// `{{ expr }}`
    Emit(Expr),
    /// `if` / `elif` chains and `else`.
    If {
        /// (condition, body) for `if` and each `elif`.
        branches: BranchList,
        /// `else` body.
        otherwise: StmtList,
    },
    /// `for target in iter [if filter] [recursive]`: its index in the arena's loops
    /// ([`Exprs::for_loop`]).
    For(u32),
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
        /// at its innermost end; in the arena, as the rare case, to keep statements small).
        filter: Option<ExprRef>,
        /// Body.
        body: StmtList,
    },
    /// `{% macro %}`: its index in the arena's macros ([`Exprs::macro_def`]).
    Macro(u32),
    /// `{% call(params) expr %}body{% endcall %}`
    CallBlock {
        /// The call expression (an `ExprKind::Call`).
        call: Expr,
        /// The `caller` macro: its index in the arena's macros ([`Exprs::macro_def`]).
        caller: u32,
    },
    /// `{% filter f(args) | g %}body{% endfilter %}`
    FilterBlock {
        /// Filter chain (innermost `value: None`).
        filter: Expr,
        /// Body.
        body: StmtList,
    },
    /// `{% with a = 1, b = 2 %}`
    With {
        /// Assignments, evaluated in order.
        assignments: AssignList,
        /// Body.
        body: StmtList,
    },
    /// `{% block name [scoped] [required] %}`
    Block {
        /// Name.
        name: Str,
        /// Body.
        body: StmtList,
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
        target: Str,
        /// `with context` (default: without).
        with_context: bool,
    },
    /// `{% from expr import a, b as c [with context] %}`
    FromImport {
        /// Template.
        template: Expr,
        /// (name, alias).
        names: ImportList,
        /// `with context` (default: without).
        with_context: bool,
    },
    /// `{% autoescape expr %}body{% endautoescape %}`
    Autoescape {
        /// The (constant or not) flag.
        value: Expr,
        /// Body.
        body: StmtList,
    },
    /// `{% do expr %}` (the `do` extension).
    Do(Expr),
    /// `{% break %}` (loopcontrols).
    Break,
    /// `{% continue %}` (loopcontrols).
    Continue,
    /// `{% trans %}` (i18n): its index in the arena's `trans` statements
    /// ([`Exprs::trans`]).
    Trans(u32),
    /// `{% debug %}`
    Debug,
}
