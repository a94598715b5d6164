//! Lowering: the syntax tree becomes a flat [`Program`], checked on the way as Jinja2's code
//! generator checks it (unknown filters and tests outside conditional code, duplicate or
//! misplaced macro parameters, assignments to `loop`, blocks defined twice, `extends` outside
//! the top-level scope). Children are emitted before their parents, names and strings are interned into one table, block bodies are lifted into
//! the block table, constant `~` chains are folded as Jinja2's optimizer folds them, and each
//! macro records which of `caller`, `varargs` and `kwargs` its body reads.

use std::collections::HashMap;
use std::ops::ControlFlow;

use crate::error::{Error, ErrorKind};

use super::program::{
    BlockDef, CallArgs, Expr, ExprId, LoopDef, MacroDef, MacroUses, Program, Range, Spans, Stmt, StmtId, Str,
    StrId, Target, TransDef,
};
use super::scopes::{Symbols, Visitor};
use crate::environment::Environment;
use crate::error::Result;
use crate::syntax::ast::{self, ExprKind, StmtKind};
use crate::value::Value;
use crate::vm::State;

/// Check and lower a tree into a program.
pub fn lower(tree: ast::Template, name: &str, env: &Environment) -> Result<Program> {
    let ast::Template { body, data, interned, tokens, has_floats, exprs, stores } = tree;
    let strings = &exprs.strings;
    // Only a template with a float literal or the `float` filter can make `inf` or `nan`.
    let check_non_finite = has_floats || interned.get(strings, "float").is_some();
    // The tree's data ranges index its data buffer, which becomes the program's blob.
    let mut p = Program { name: name.to_string(), data, ..Program::default() };
    // Sized by the token count (over the corpus: 0.3 expressions and 0.18 statements per
    // token), then trimmed, which shrinks the allocations in place.
    p.exprs.reserve_exact(tokens / 2 + 8);
    p.stmts.reserve_exact(tokens / 4 + 8);
    p.stmt_lists.reserve_exact(tokens / 4 + 8);
    p.args.reserve_exact(tokens / 8 + 4);
    p.expr_lists.reserve_exact(tokens / 4 + 8);
    // The tables of assignment targets, `if` branches and loops grew from empty (a few
    // reallocations per template): the stored names (a target each) and the token count
    // bound them well enough.
    p.targets.reserve(stores.len() + tokens / 64 + 2);
    p.branches.reserve(tokens / 64 + 2);
    // Each loop and macro of the tree (call blocks' callers included) becomes one of the
    // program's, and a template has a few blocks.
    p.loops.reserve(exprs.loop_count());
    p.macros.reserve(exprs.macro_count());
    p.blocks.reserve(4);
    p.kwargs.reserve(tokens / 32 + 2);
    // The program uses most of the parser's strings: its text blob is sized from theirs (it
    // grew by doubling before, a few copies per template).
    p.strings.reserve_exact(strings.len() + 4, strings.iter().map(|s| s.len()).sum());
    let loop_name = interned.get(strings, "loop").map(ast::Str::new);
    let mut l = Lowerer {
        env,
        ex: &exprs,
        name,
        p,
        expr_spans: Vec::with_capacity(tokens / 2 + 8),
        stmt_spans: Vec::with_capacity(tokens / 4 + 8),
        remap: vec![u32::MAX; strings.len()],
        known: vec![0; strings.len()],
        parsed_ids: interned,
        interned: HashMap::default(),
        // Room for the usual nesting from the start (doubling from empty cost about five
        // reallocations per template).
        scratch: Vec::with_capacity(64),
        soft: false,
        nested: 0,
        blocks: Vec::with_capacity(8),
        syms: Vec::with_capacity(8),
        stored: Vec::new(),
        stored_ids: Vec::new(),
        no_stores: false,
        fold_autoescape: Some(env.autoescape_for(name)),
        ctx_autoescape: env.autoescape_for(name),
        in_constant: !check_non_finite,
        repeated_kw: None,
        slices: 0,
        loop_name,
        volatile_const_output: false,
        fold_error: None,
        dead_branches: false,
        under_fold: false,
    };
    if !stores.is_empty() {
        l.stored_ids = vec![false; exprs.strings.len()];
        // (At most one per store; the scopes' missing names are among them.)
        l.stored.reserve(stores.len());
        l.p.str_lists.reserve(stores.len());
        l.p.scope_missing.reserve(4);
        for s in &stores {
            if let Some(slot) = l.stored_ids.get_mut(s.id() as usize) {
                if !*slot {
                    *slot = true;
                    l.stored.push(exprs.text(*s).clone());
                }
            }
        }
    }
    let body = l.scope(body, Scope::Top, |_, _| {})?;
    l.p.body = body;
    let mut p = l.p;
    l.expr_spans.shrink_to_fit();
    l.stmt_spans.shrink_to_fit();
    p.spans = Spans::from_vecs(l.expr_spans, l.stmt_spans);
    p.strings.freeze();
    p.scope_missing.sort_unstable_by_key(|&(k, _)| k);
    // The data buffer was sized from the source and the string table from the parser's
    // (which holds names the program may not use): trim them too.
    p.data.shrink_to_fit();
    p.exprs.shrink_to_fit();
    p.stmts.shrink_to_fit();
    p.stmt_lists.shrink_to_fit();
    p.args.shrink_to_fit();
    p.expr_lists.shrink_to_fit();
    Ok(p)
}

struct Lowerer<'a> {
    env: &'a Environment,
    /// The tree's expression arena.
    ex: &'a ast::Exprs,
    /// The template name, for errors.
    name: &'a str,
    p: Program,
    /// The spans of `p.exprs` and `p.stmts`, by node id: plain vectors while lowering (a
    /// push onto [`Spans`] goes through its lazily decoded cell), moved into the program at
    /// the end.
    expr_spans: Vec<ast::Span>,
    stmt_spans: Vec<ast::Span>,
    /// In code Jinja2 only runs conditionally (if bodies, conditional expressions), where an
    /// unknown filter or test is a render-time error instead of a compile-time one.
    soft: bool,
    /// How many scopes (Jinja2's inner frames: loop, macro, call, filter, with, block and set
    /// block bodies, `autoescape`) enclose the statement being lowered; `if` adds none.
    nested: u32,
    /// Block names seen so far.
    blocks: Vec<StrId>,
    /// Content -> index into the parser's string table ([`ast::Exprs::strings`]).
    parsed_ids: ast::Interned,
    /// Index into the parser's table -> program string id (`u32::MAX`: not used yet). Program ids follow
    /// first use in lowering order, as if every string were interned here by content, so the
    /// table's order is deterministic and holds only what the program uses.
    remap: Vec<StrId>,
    /// Index into the parser's table -> what [`Lowerer::known`] found out about the name: bit 1, the
    /// filter registry was asked, bit 2, it has the filter; bits 4 and 8 the same for tests.
    known: Vec<u8>,
    /// Content -> index for strings the parser did not intern (block and macro names, folded
    /// constants, ...).
    interned: HashMap<Str, StrId, crate::value::BuildHash>,
    /// A stack of child ids being collected (nested lists push above their parent's part).
    scratch: Vec<u32>,
    /// The symbol tables of the scopes enclosing the statement being lowered, outermost
    /// first (see [`super::scopes`]).
    syms: Vec<Symbols>,
    /// Every name the template assigns ([`ast::Template::stores`]); when there are
    /// none, no scope can start without one and the symbol tables are not built.
    stored: Vec<std::sync::Arc<str>>,
    /// By index in the parser's string table: whether the string is one of `stored`.
    stored_ids: Vec<bool>,
    /// Set while lowering the statements of a scope that (nested bodies included) assign no
    /// name: no scope inside them needs [`super::scopes::assigns_any`] asked again.
    no_stores: bool,
    /// The autoescape setting Jinja2's code generator folds constants with here (its frame's
    /// eval context): the template's, changed by a constant `{% autoescape %}` around the code
    /// (blocks start again from the template's); `None` where a non-constant one made it
    /// volatile and nothing is folded.
    fold_autoescape: Option<bool>,
    /// The autoescape setting of Jinja2's compile-time eval context here, which a volatile
    /// `{% autoescape %}` leaves as it was: what constant output is escaped with there.
    ctx_autoescape: bool,
    /// Set while lowering a constant expression as a whole (see [`Lowerer::expr`]), and for
    /// the whole template when it cannot make `inf` or `nan`.
    in_constant: bool,
    /// Set by [`Lowerer::args`]: the name and place of a keyword argument given twice, which
    /// Jinja2's generated Python cannot compile unless the call is folded away.
    repeated_kw: Option<(String, ast::Span)>,
    /// How many slices have been lowered (whether an output has one in it).
    slices: u32,
    /// The string id of `loop` in the tree, if the template has that name at all (else no
    /// loop reads or assigns it, and the walks that look for it are skipped).
    loop_name: Option<ast::Str>,
    /// Set while lowering an output in volatile code that `as_const` folds as a whole there
    /// (no filters or tests decide it): its `and`/`or` short-circuits fold too.
    volatile_const_output: bool,
    /// The UndefinedError of a constant `~` chain with a StrictUndefined part (or of a
    /// constant StrictUndefined whose truth a conditional or `and`/`or` asks), which Jinja2's
    /// optimizer raises at compile time: raised once the statement is lowered, unless the
    /// statement is an output that Jinja2 folds as a whole first (see [`Lowerer::stmt`]).
    fold_error: Option<Error>,
    /// Set while lowering the operands of an expression Jinja2's code generator hands to its
    /// optimizer (every kind but names, constants, lists, tuples and dicts): the optimizer
    /// folds each node below it, so a dict display there is built at compile time.
    under_fold: bool,
    /// Set while lowering the branches of a conditional expression that Jinja2's optimizer
    /// folds into its constant branch: the other branch is never written as Python, so a
    /// keyword argument given twice in it is no error.
    dead_branches: bool,
}

/// What kind of scope [`Lowerer::scope`] lowers.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The template's top level.
    Top,
    /// A block: analysed with no enclosing table, as Jinja2 does.
    Block,
    /// Any other inner scope.
    Inner,
    /// An inner scope whose bindings are assignments, not parameters (`with`).
    InnerAssigning,
}

fn len32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'a> Lowerer<'a> {
    /// A compile-time error at `span`.
    fn fail(&self, msg: String, span: ast::Span) -> Error {
        let mut e = Error::new(ErrorKind::TemplateAssertionError, msg);
        e.attach(self.name, span.line as usize, span.col as usize, None);
        e
    }

    /// The statements of an inner scope.
    fn inner(&mut self, stmts: ast::StmtList) -> Result<Range> {
        self.scope(stmts, Scope::Inner, |_, _| {})
    }

    /// The statements of a scope, its symbol table built by `prelude` (what the scope binds
    /// before its body: loop targets, macro parameters, ...) and then from the body; the
    /// names it starts without are recorded in `scope_missing` under the body's start.
    fn scope(
        &mut self,
        list: ast::StmtList,
        kind: Scope,
        prelude: impl FnOnce(&Visitor, &mut Symbols),
    ) -> Result<Range> {
        let stmts = self.ex.body(list);
        let saved = if kind == Scope::Block { Some(std::mem::take(&mut self.syms)) } else { None };
        let mut sym = Symbols::default();
        // Only assignments make names start out missing (parameters never do), here or in a
        // scope inside this one: without any, the table stays empty. Inside a scope whose
        // statements assign nothing, no scope assigns anything either: not looked at again.
        let assigns =
            !self.stored.is_empty() && !self.no_stores && super::scopes::assigns_any(self.ex, stmts);
        let outer_no_stores = std::mem::replace(&mut self.no_stores, !assigns);
        if assigns || (kind == Scope::InnerAssigning && !self.stored.is_empty()) {
            let v = Visitor {
                parents: &self.syms,
                stored: &self.stored,
                stored_ids: &self.stored_ids,
                ex: self.ex,
            };
            sym = Symbols::with_capacity(8);
            prelude(&v, &mut sym);
            v.stmts(&mut sym, stmts);
        }
        let missing: Vec<std::sync::Arc<str>> = sym.missing().cloned().collect();
        self.syms.push(sym);
        let inner = kind != Scope::Top;
        if inner {
            self.nested += 1;
        }
        let r = self.body(stmts);
        self.no_stores = outer_no_stores;
        if inner {
            self.nested -= 1;
        }
        self.syms.pop();
        if let Some(s) = saved {
            self.syms = s;
        }
        let r = r?;
        if !missing.is_empty() && r.len > 0 {
            let start = len32(self.p.str_lists.len());
            for name in &missing {
                let id = self.intern(name);
                self.p.str_lists.push(id);
            }
            self.p.scope_missing.push((r.start, Range { start, len: len32(missing.len()) }));
        }
        Ok(r)
    }

    /// Run `f` with the soft flag set to `soft`, then restore it.
    fn with_soft<T>(&mut self, soft: bool, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let saved = std::mem::replace(&mut self.soft, soft);
        let r = f(self);
        self.soft = saved;
        r
    }

    fn intern(&mut self, s: &str) -> StrId {
        if let Some(pid) = self.parsed_ids.get(&self.ex.strings, s) {
            return self.use_parsed(pid as usize);
        }
        if let Some(&id) = self.interned.get(s) {
            return id;
        }
        self.add(Str::from(s))
    }

    /// A string of the tree: by its parser id, without hashing it again. The usual case, a
    /// string the program already has, is inlined.
    #[inline]
    fn sym(&mut self, s: &ast::Str) -> StrId {
        let pid = s.id() as usize;
        if let Some(&id) = self.remap.get(pid) {
            if id != u32::MAX {
                return id;
            }
        }
        self.use_parsed(pid)
    }

    /// Whether the environment has the filter (`test`: the test) `name`, remembered per string
    /// of the parser's table: a template names the same few filters again and again, and the
    /// registry's lookup hashes the name every time.
    fn known(&mut self, name: &ast::Str, test: bool) -> bool {
        let asked: u8 = if test { 4 } else { 1 };
        let pid = name.id() as usize;
        if let Some(&k) = self.known.get(pid) {
            if k & asked != 0 {
                return k & (asked << 1) != 0;
            }
        }
        let text = self.ex.text(*name);
        let found =
            if test { self.env.get_test(text).is_some() } else { self.env.get_filter(text).is_some() };
        if let Some(k) = self.known.get_mut(pid) {
            *k |= asked | if found { asked << 1 } else { 0 };
        }
        found
    }

    /// The program id of entry `pid` of the parser's table, added on first use.
    #[inline(never)]
    fn use_parsed(&mut self, pid: usize) -> StrId {
        match self.remap.get(pid) {
            Some(&id) if id != u32::MAX => id,
            _ => {
                // (Unreachable: ids come from the parser's own table.)
                let Some(text) = self.ex.strings.get(pid).cloned() else { return self.intern_local("") };
                let id = len32(self.p.strings.len());
                self.p.strings.push(text);
                if let Some(slot) = self.remap.get_mut(pid) {
                    *slot = id;
                }
                id
            }
        }
    }

    /// Intern a string the parser never saw.
    fn intern_local(&mut self, s: &str) -> StrId {
        if let Some(&id) = self.interned.get(s) {
            return id;
        }
        self.add(Str::from(s))
    }

    fn add(&mut self, s: Str) -> StrId {
        let id = self.p.strings.push(s.clone());
        self.interned.insert(s, id);
        id
    }

    /// Template data: a range of the data blob.
    fn data(&mut self, r: &ast::DataRange) -> Range {
        Range { start: r.start, len: r.end.saturating_sub(r.start) }
    }

    fn push_expr(&mut self, e: Expr, span: ast::Span) -> ExprId {
        self.p.exprs.push(e);
        self.expr_spans.push(span);
        len32(self.p.exprs.len() - 1)
    }

    fn push_stmt(&mut self, s: Stmt, span: ast::Span) -> StmtId {
        self.p.stmts.push(s);
        self.stmt_spans.push(span);
        len32(self.p.stmts.len() - 1)
    }

    /// Move the ids collected on the scratch stack since `mark` into `expr_lists`.
    fn expr_list(&mut self, mark: usize) -> Range {
        let start = len32(self.p.expr_lists.len());
        let ids = self.scratch.get(mark..).unwrap_or(&[]);
        self.p.expr_lists.extend_from_slice(ids);
        let len = len32(ids.len());
        self.scratch.truncate(mark);
        Range { start, len }
    }

    /// Lower `items` onto the scratch stack, then into `expr_lists`.
    fn exprs(&mut self, items: &[ast::Expr]) -> Result<Range> {
        let mark = self.scratch.len();
        for i in items {
            let id = self.expr(i)?;
            self.scratch.push(id);
        }
        Ok(self.expr_list(mark))
    }

    fn body(&mut self, stmts: &'a [ast::Stmt]) -> Result<Range> {
        let mark = self.scratch.len();
        for s in stmts {
            let id = self.stmt(s)?;
            self.scratch.push(id);
        }
        let start = len32(self.p.stmt_lists.len());
        let ids = self.scratch.get(mark..).unwrap_or(&[]);
        self.p.stmt_lists.extend_from_slice(ids);
        let len = len32(ids.len());
        self.scratch.truncate(mark);
        Ok(Range { start, len })
    }

    fn opt(&mut self, e: &Option<ast::ExprRef>) -> Result<Option<ExprId>> {
        match e {
            Some(e) => Ok(Some(self.sub(*e)?)),
            None => Ok(None),
        }
    }

    /// [`Lowerer::expr`] of a child in the arena.
    #[inline]
    fn sub(&mut self, r: ast::ExprRef) -> Result<ExprId> {
        let ex = self.ex;
        self.expr(ex.get(r))
    }

    fn args(&mut self, a: &ast::Args) -> Result<u32> {
        let ex = self.ex;
        let args = self.exprs(ex.list(a.args()))?;
        if a.is_positional_only() {
            // The usual case (`|e`, `f(x)`): what the general path below makes of no keyword,
            // `*` or `**` arguments, without walking them.
            self.repeated_kw = None;
            let kwargs = Range { start: len32(self.p.kwargs.len()), len: 0 };
            self.p.args.push(CallArgs { args, kwargs, dyn_args: None, dyn_kwargs: None });
            return Ok(len32(self.p.args.len() - 1));
        }
        let kwargs = ex.kwargs(a);
        let merge = kwargs.clone().any(|(k, _)| crate::vm::is_python_keyword(ex.text(*k)));
        let mut repeated = None;
        // (name, value) pairs collect on the scratch stack (the values' own argument lists
        // use it above them), then move into the program's keyword table.
        let mark = self.scratch.len();
        for (i, (k, e)) in kwargs.clone().enumerate() {
            let v = self.expr(e)?;
            let sym = self.sym(k);
            if kwargs.clone().take(i).any(|(p, _)| p == k) {
                if !merge && repeated.is_none() {
                    // Jinja2's generated Python does not compile (CPython's SyntaxError),
                    // unless its optimizer folds the call (with the later value).
                    repeated = Some((ex.text(*k).to_string(), e.span));
                }
                // Folded, or written as a dict literal: the name keeps its place, the later
                // value wins (the earlier value is not evaluated here; Python would, for
                // nothing).
                let pairs = self.scratch.get_mut(mark..).unwrap_or(&mut []);
                if let Some(slot) = pairs.chunks_exact_mut(2).find(|p| p.first() == Some(&sym)) {
                    if let Some(x) = slot.get_mut(1) {
                        *x = v;
                    }
                }
                continue;
            }
            self.scratch.push(sym);
            self.scratch.push(v);
        }
        let dyn_args = self.opt(&ex.dyn_args(a))?;
        let dyn_kwargs = self.opt(&ex.dyn_kwargs(a))?;
        // Set only now: the arguments' own calls and filters have settled theirs.
        self.repeated_kw = repeated;
        let start = len32(self.p.kwargs.len());
        let pairs = self.scratch.get(mark..).unwrap_or(&[]);
        self.p.kwargs.extend(
            pairs.chunks_exact(2).map(|p| (p.first().copied().unwrap_or(0), p.get(1).copied().unwrap_or(0))),
        );
        let kwargs = Range { start, len: len32(pairs.len() / 2) };
        self.scratch.truncate(mark);
        self.p.args.push(CallArgs { args, kwargs, dyn_args, dyn_kwargs });
        Ok(len32(self.p.args.len() - 1))
    }

    fn kwargs(&mut self, kw: Vec<(StrId, ExprId)>) -> Range {
        let start = len32(self.p.kwargs.len());
        let len = len32(kw.len());
        self.p.kwargs.extend(kw);
        Range { start, len }
    }

    #[inline(always)]
    fn expr(&mut self, e: &ast::Expr) -> Result<ExprId> {
        if self.in_constant {
            return self.expr_node(e);
        }
        self.expr_checked(e)
    }

    /// [`Lowerer::expr`] where a constant expression may still make `inf` or `nan`.
    fn expr_checked(&mut self, e: &ast::Expr) -> Result<ExprId> {
        if may_be_non_finite(self.ex, e)
            && (self.fold_autoescape.is_some() || is_float_literal(e))
            && self.is_pure(e)
        {
            // Jinja2's optimizer folds a constant expression into one value (not where the
            // code is volatile: there only a literal is one), which its code generator then
            // writes into Python source with `str`/`repr`: `inf` and `nan` come out as names
            // Python does not define.
            self.in_constant = true;
            let id = self.expr_node(e);
            self.in_constant = false;
            let id = id?;
            match State::new(self.env).eval(&self.p, id) {
                Ok(v) if has_safe_repr(&v) => {
                    if let Some(name) = non_finite_name(&v) {
                        let name = self.intern(name);
                        return Ok(self.push_expr(Expr::PyName(name), e.span));
                    }
                    if let Some(c) = crate::value::complex::of(&v) {
                        return Ok(self.complex_read_back(id, c, e.span));
                    }
                    return Ok(id);
                }
                // Not folded in Jinja2 (evaluating it raised, or gave an undefined, which is
                // no constant): its parts are written one by one. Lowered again with their
                // checks (the first lowering stays unused in the program).
                _ if !is_float_literal(e) => {}
                _ => return Ok(id),
            }
        }
        self.expr_node(e)
    }

    /// [`Lowerer::expr`] without the check for constants Jinja2 cannot write.
    fn expr_node(&mut self, e: &ast::Expr) -> Result<ExprId> {
        let saved = self.under_fold;
        if !matches!(
            e.kind,
            ExprKind::Const(_)
                | ExprKind::Name(_)
                | ExprKind::List(_)
                | ExprKind::Tuple(_)
                | ExprKind::Dict(_)
        ) {
            self.under_fold = true;
        }
        let r = self.expr_node_inner(e);
        self.under_fold = saved;
        r
    }

    fn expr_node_inner(&mut self, e: &ast::Expr) -> Result<ExprId> {
        let mut check_kw = false;
        let node = match &e.kind {
            ExprKind::Const(c) => match c {
                ast::Const::None => Expr::None,
                ast::Const::Bool(b) => Expr::Bool(*b),
                ast::Const::Int(i) => Expr::Int(*i),
                ast::Const::BigInt(s) => Expr::BigInt(self.sym(s)),
                ast::Const::Float(f) => Expr::Float(*f),
                ast::Const::Str(s) => Expr::Str(self.sym(s)),
            },
            ExprKind::Name(n) => Expr::Name(self.sym(n)),
            ExprKind::List(items) | ExprKind::Tuple(items) => {
                let r = self.exprs(self.ex.list(*items))?;
                if matches!(e.kind, ExprKind::List(_)) {
                    Expr::List(r)
                } else {
                    Expr::Tuple(r)
                }
            }
            // Keys and values alternate in the run, as in the program's list.
            ExprKind::Dict(items) => {
                let items = self.ex.list(*items);
                let r = self.exprs(items)?;
                if self.under_fold && self.fold_error.is_none() {
                    self.fold_dict(items, r, e.span);
                }
                Expr::Dict(r)
            }
            ExprKind::GetAttr(obj, name) => {
                let o = self.sub(*obj)?;
                Expr::GetAttr(o, self.sym(name))
            }
            ExprKind::GetItem(obj, key) => {
                let o = self.sub(*obj)?;
                let k = self.sub(*key)?;
                Expr::GetItem(o, k)
            }
            ExprKind::Slice { obj, start, stop, step } => {
                self.slices += 1;
                let obj = self.sub(*obj)?;
                let start = self.opt(start)?;
                let stop = self.opt(stop)?;
                let step = self.opt(step)?;
                Expr::Slice { obj, start, stop, step }
            }
            ExprKind::Unary(op, x) => {
                let x = self.sub(*x)?;
                Expr::Unary(*op, x)
            }
            ExprKind::Binary(op, a, b) => {
                let (ea, eb) = (self.ex.get(*a), self.ex.get(*b));
                if matches!(op, ast::BinOp::And | ast::BinOp::Or) && self.short_circuits(ea, *op) {
                    // Jinja2's optimizer folds `0 and x` (`1 or x`) into the constant left
                    // operand: the right one is never compiled, so an unknown filter or test
                    // in it is no error.
                    return self.expr(ea);
                }
                let a = self.expr(ea)?;
                if matches!(op, ast::BinOp::And | ast::BinOp::Or) {
                    self.strict_truth(ea, a);
                }
                let b = self.expr(eb)?;
                if *op == ast::BinOp::Pow
                    && self.fold_autoescape.is_some()
                    && self.is_pure(ea)
                    && self.is_negative_const(a)
                    && (!self.is_pure(eb) || self.pow_fold_fails(a, b, e.span))
                {
                    // Jinja2 writes a folded negative constant as `-3` into the Python source
                    // `(-3 ** l_x)`, which Python reads as `-(3 ** x)`: lower it that way. The
                    // same happens to a constant exponent when folding the power failed
                    // (`(-1e308) ** 1.5` overflows as a complex: `-(1e308 ** 1.5)` as a float).
                    // Where the optimizer is off (volatile autoescape), `-3` is not folded.
                    let pos = self.push_expr(Expr::Unary(ast::UnaryOp::Neg, a), ea.span);
                    let pow = self.push_expr(Expr::Binary(ast::BinOp::Pow, pos, b), e.span);
                    Expr::Unary(ast::UnaryOp::Neg, pow)
                } else {
                    Expr::Binary(*op, a, b)
                }
            }
            ExprKind::Concat(items) => {
                let items = self.ex.list(*items);
                let mark = self.scratch.len();
                for i in items {
                    let id = self.expr(i)?;
                    self.scratch.push(id);
                }
                match self.fold_concat(items, mark, e.span)? {
                    Some(folded) => {
                        self.scratch.truncate(mark);
                        Expr::Str(self.intern(&folded))
                    }
                    None if self.fold_autoescape.is_none() => Expr::StrConcat(self.expr_list(mark)),
                    None => Expr::Concat(self.expr_list(mark)),
                }
            }
            ExprKind::Compare(first, rest) => {
                let (mark, no_fold_error) = (self.scratch.len(), self.fold_error.is_none());
                match self.compare(first, *rest) {
                    Ok(node) => node,
                    // Jinja2's optimizer folds a chain whose link is false before any operand
                    // that is not constant into `False`: the operands after that link are never
                    // written as Python, so an unknown filter or a keyword given twice there is
                    // no error. (Asked only when lowering them failed: the check lowers the
                    // constant operands once more, and a program that compiles keeps its bytes.)
                    Err(err) => {
                        if self.fold_autoescape.is_none() || !self.compare_stops_early(first, *rest, true) {
                            return Err(err);
                        }
                        self.scratch.truncate(mark);
                        if no_fold_error {
                            self.fold_error = None;
                        }
                        Expr::Bool(false)
                    }
                }
            }
            // Jinja2's code generator checks the name before it visits the value and the
            // arguments: in `x|a|b` an unknown `b` is reported before an unknown `a`.
            ExprKind::Test { value, name, args, negated } => {
                if !self.soft && !self.known(name, true) {
                    return Err(self.fail(format!("No test named '{}'.", self.ex.text(*name)), e.span));
                }
                let value_id = self.sub(*value)?;
                let args_id = self.args(args)?;
                check_kw = self.repeated_kw.is_some();
                match self.folded_sameas(e, name, value, value_id, args_id) {
                    Some(same) => Expr::Bool(same != *negated),
                    None => {
                        Expr::Test { value: value_id, name: self.sym(name), args: args_id, negated: *negated }
                    }
                }
            }
            ExprKind::Filter { value, name, args } => {
                if !self.soft && !self.known(name, false) {
                    return Err(self.fail(format!("No filter named '{}'.", self.ex.text(*name)), e.span));
                }
                let value = self.opt(value)?;
                let args = self.args(args)?;
                check_kw = self.repeated_kw.is_some();
                Expr::Filter { value, name: self.sym(name), args }
            }
            ExprKind::Call(f, args) => {
                let f = self.sub(*f)?;
                let args = self.args(args)?;
                if let Some((k, span)) = self.repeated_kw.take() {
                    if !self.dead_branches {
                        return Err(self.fail(format!("keyword argument repeated: {}", k), span));
                    }
                }
                Expr::Call(f, args)
            }
            ExprKind::Cond { test, then, otherwise } => {
                let saved = self.dead_branches;
                if !saved && self.fold_autoescape.is_some() && self.constant(e, true) {
                    self.dead_branches = true;
                }
                let r = self.with_soft(true, |l| {
                    let test_expr = l.ex.get(*test);
                    let test = l.sub(*test)?;
                    l.strict_truth(test_expr, test);
                    let then = l.sub(*then)?;
                    let otherwise = l.opt(otherwise)?;
                    Ok(Expr::Cond { test, then, otherwise })
                });
                self.dead_branches = saved;
                r?
            }
        };
        let id = self.push_expr(node, e.span);
        if check_kw {
            self.check_repeated_kw(e, id)?;
        }
        Ok(id)
    }

    /// A comparison chain's node: the first operand, then its (operator, operand) pairs in
    /// `compares`.
    fn compare(&mut self, first: &ast::ExprRef, rest: ast::CmpList) -> Result<Expr> {
        let f = self.sub(*first)?;
        let mut pairs = Vec::with_capacity(rest.len());
        for (op, x) in self.ex.compare(rest) {
            pairs.push((op, self.expr(x)?));
        }
        let start = len32(self.p.compares.len());
        let len = len32(pairs.len());
        self.p.compares.extend(pairs);
        Ok(Expr::Compare(f, Range { start, len }))
    }

    /// A filter or test with a keyword given twice ([`Lowerer::args`]) compiles only where
    /// Jinja2's optimizer folds it into a constant.
    #[cold]
    fn check_repeated_kw(&mut self, e: &ast::Expr, id: ExprId) -> Result<()> {
        if let Some((k, span)) = self.repeated_kw.take() {
            let folded = self.dead_branches
                || self.constant(e, self.fold_autoescape.is_some())
                    && matches!(State::new(self.env).eval(&self.p, id), Ok(v) if has_safe_repr(&v));
            if !folded {
                return Err(self.fail(format!("keyword argument repeated: {}", k), span));
            }
        }
        Ok(())
    }

    /// `a is sameas b` over constants, which Jinja2's optimizer evaluates at compile time on
    /// the objects of its syntax tree: two literals are two objects there (unlike at run time,
    /// where a module's equal constants are one), so only what CPython caches is the same: None,
    /// booleans, ints from -5 to 256, and the empty or one-character Latin-1 string.
    fn folded_sameas(
        &mut self,
        e: &ast::Expr,
        name: &ast::Str,
        value: &ast::ExprRef,
        value_id: ExprId,
        args_id: u32,
    ) -> Option<bool> {
        if &**self.ex.text(*name) != "sameas" || self.fold_autoescape.is_none() || !self.constant(e, true) {
            return None;
        }
        let call = self.p.args.get(args_id as usize)?;
        if call.kwargs.len != 0 || call.dyn_args.is_some() || call.dyn_kwargs.is_some() {
            return None;
        }
        let [arg_id] = *self.p.exprs_in(call.args) else { return None };
        // (A filter or `~` builds a new string; a subscript returns CPython's cached one.)
        let built = matches!(self.ex.get(*value).kind, ExprKind::Filter { .. } | ExprKind::Concat(_))
            || matches!(self.p.expr(arg_id), Expr::Filter { .. } | Expr::Concat(_));
        let mut state = State::new(self.env);
        let (a, b) = (state.eval(&self.p, value_id).ok()?, state.eval(&self.p, arg_id).ok()?);
        Some(match (&a, &b) {
            (Value::None, Value::None) => true,
            (Value::Bool(x), Value::Bool(y)) => x == y,
            (Value::Int(x), Value::Int(y)) => x == y && (-5..=256).contains(x),
            (Value::Str(x), Value::Str(y)) => {
                !built && x == y && x.chars().nth(1).is_none() && x.chars().all(|c| (c as u32) < 256)
            }
            _ => false,
        })
    }

    /// Whether an expression can be evaluated at compile time (no names, calls or
    /// context-dependent filters), as Jinja2's optimizer folds it (`as_const`).
    fn is_pure(&mut self, e: &ast::Expr) -> bool {
        self.constant(e, true)
    }

    /// [`Lowerer::is_pure`] for Jinja2's `as_const` in a volatile eval context, where filters
    /// and tests are never constant.
    fn is_pure_without_filters(&mut self, e: &ast::Expr) -> bool {
        self.constant(e, false)
    }

    /// [`Lowerer::is_pure`] (`filters`: whether filters and tests of constants count as
    /// constant). A conditional is constant when its test and the branch the test takes are
    /// (`CondExpr.as_const`), `a and b` when `a` is and is false or `b` is too (`And.as_const`
    /// short-circuits), `a or b` likewise: the test is evaluated here.
    fn constant(&mut self, e: &ast::Expr, filters: bool) -> bool {
        match &e.kind {
            ExprKind::Const(_) => true,
            ExprKind::Name(_) | ExprKind::Call(..) => false,
            ExprKind::Test { .. } | ExprKind::Filter { .. } if !filters => false,
            ExprKind::Test { args, .. } | ExprKind::Filter { args, .. }
                if self.ex.dyn_args(args).is_some() || self.ex.dyn_kwargs(args).is_some() =>
            {
                false
            }
            ExprKind::Filter { value, name, .. } => {
                let ex = self.ex;
                !matches!(
                    &**ex.text(*name),
                    "random" | "map" | "select" | "reject" | "selectattr" | "rejectattr"
                ) && value.is_some()
                    && all_sub_exprs(ex, e, &mut |c| self.constant(c, filters))
            }
            ExprKind::Cond { test, then, otherwise } => {
                let ex = self.ex;
                let test = ex.get(*test);
                if !self.constant(test, filters) {
                    return false;
                }
                match (self.const_truth(test), otherwise) {
                    (Some(true), _) => self.constant(ex.get(*then), filters),
                    (Some(false), Some(o)) => self.constant(ex.get(*o), filters),
                    _ => false,
                }
            }
            ExprKind::Compare(a, rest) if self.compare_stops_early(a, *rest, filters) => true,
            ExprKind::Binary(op @ (ast::BinOp::And | ast::BinOp::Or), a, b) => {
                let ex = self.ex;
                let a = ex.get(*a);
                if !self.constant(a, filters) {
                    return false;
                }
                match self.const_truth(a) {
                    Some(t) if t == (*op == ast::BinOp::Or) => true,
                    Some(_) => self.constant(ex.get(*b), filters),
                    None => false,
                }
            }
            _ => {
                let ex = self.ex;
                all_sub_exprs(ex, e, &mut |c| self.constant(c, filters))
            }
        }
    }

    /// Whether `a` in `a and b` (`op` And) or `a or b` (Or) is a constant whose truth decides
    /// the result without `b`, where Jinja2's optimizer folds (not in volatile code).
    fn short_circuits(&mut self, a: &ast::Expr, op: ast::BinOp) -> bool {
        let folds = if self.fold_autoescape.is_some() {
            self.constant(a, true)
        } else {
            self.volatile_const_output && self.constant(a, false)
        };
        folds && self.const_truth(a) == Some(op == ast::BinOp::Or)
    }

    /// Whether comparison chain `first op x ...` is constant because a link is false before
    /// any operand that is not (`Compare.as_const` evaluates operand by operand and returns
    /// `False` at the first false link, as Python's chain does): `'b' == 'abc'|list < d`
    /// is `False` at compile time whatever `d` is. (A chain of constants is constant anyway.)
    fn compare_stops_early(&mut self, first: &ast::ExprRef, rest: ast::CmpList, filters: bool) -> bool {
        let ex = self.ex;
        let first = ex.get(*first);
        if !self.constant(first, filters) {
            return false;
        }
        let Some(mut left) = self.const_value(first) else {
            return false;
        };
        for (op, x) in ex.compare(rest) {
            if !self.constant(x, filters) {
                return false;
            }
            let Some(right) = self.const_value(x) else {
                return false;
            };
            match crate::vm::compare(op, &left, &right) {
                Ok(true) => left = right,
                Ok(false) => return true,
                Err(_) => return false,
            }
        }
        false
    }

    /// The value of a constant expression, evaluated now (`None` if that fails). Its nodes
    /// are lowered into the program and left unused.
    fn const_value(&mut self, e: &ast::Expr) -> Option<Value> {
        let saved = std::mem::replace(&mut self.in_constant, true);
        let id = self.expr_node(e);
        self.in_constant = saved;
        let id = id.ok()?;
        let mut state = State::new(self.env);
        if let Some(ae) = self.fold_autoescape {
            state.set_autoescape(ae);
        }
        state.eval(&self.p, id).ok()
    }

    /// The truth of a constant expression, evaluated now (`None` if that fails). Its nodes
    /// are lowered into the program and left unused.
    fn const_truth(&mut self, e: &ast::Expr) -> Option<bool> {
        self.const_value(e).and_then(|v| v.is_true().ok())
    }

    /// Jinja2's optimizer turns a `~` chain whose parts are all constant into one string,
    /// built with `str()` (so Markup-ness is lost, as in Jinja2). A part is what `as_const`
    /// makes of it: a slice Python cannot take is an undefined there (printed as one), and
    /// `str()` of a StrictUndefined raises its UndefinedError at compile time, out of the
    /// optimizer, even in code that never runs.
    /// (The error is kept in `fold_error`: see there.)
    fn fold_concat(&mut self, items: &[ast::Expr], mark: usize, span: ast::Span) -> Result<Option<String>> {
        let Some(ae) = self.fold_autoescape else {
            return Ok(None);
        };
        if !items.first().is_some_and(|x| self.is_pure(x)) {
            return Ok(None);
        }
        // (Only a StrictUndefined part can fail before the first part that is not constant.)
        if self.env.undefined != crate::value::UndefinedKind::Strict
            && !items.iter().skip(1).all(|x| self.is_pure(x))
        {
            return Ok(None);
        }
        let mut state = self.folding_state(ae);
        let mut out = String::new();
        // Part by part, as `as_const` joins them: a StrictUndefined before the first part
        // that is not constant still raises.
        for (i, x) in items.iter().enumerate() {
            let Some(&id) = self.scratch.get(mark + i) else {
                return Ok(None);
            };
            if i > 0 && !self.is_pure(x) {
                return Ok(None);
            }
            let Ok(v) = state.eval(&self.p, id) else {
                return Ok(None);
            };
            if let Value::Undefined(u) = &v {
                if u.kind == crate::value::UndefinedKind::Strict {
                    self.keep_fold_error(u.error(), span);
                    return Ok(None);
                }
            }
            out.push_str(&v.to_str());
        }
        Ok(Some(out))
    }

    /// Output of a constant where a non-constant `{% autoescape %}` made the code volatile:
    /// Jinja2's optimizer is off there, but its code generator still turns an output
    /// expression that `as_const` can evaluate (no filters or tests there) into text at
    /// compile time, escaped by the compile-time autoescape setting rather than the one the
    /// block sets at run time. The text is added to the data blob.
    fn fold_volatile_output(&mut self, e: &ast::Expr, id: ExprId) -> Option<Range> {
        if self.fold_autoescape.is_some() || !self.is_pure_without_filters(e) {
            return None;
        }
        let mut state = State::new(self.env);
        state.set_autoescape(self.ctx_autoescape);
        let v = state.eval(&self.p, id).ok().filter(|v| !v.is_undefined())?;
        let text = if self.ctx_autoescape { crate::value::markup::escape(&v.to_str()) } else { v.to_str() };
        let start = len32(self.p.data.len());
        self.p.data.push_str(&text);
        Some(Range { start, len: len32(text.len()) })
    }

    /// Constant output with a slice in it: Jinja2's code generator prints what `as_const`
    /// makes of it at compile time, where a slice goes through `environment.getitem` and one
    /// Python cannot take is an undefined (printed as such) instead of the TypeError the same
    /// slice raises at run time. Falls back to run time where that evaluation fails.
    fn fold_sliced_output(&mut self, id: ExprId) -> Option<Range> {
        let mut state = self.folding_state(self.fold_autoescape?);
        let v = state.eval(&self.p, id).ok()?;
        let mut text = String::new();
        state.write_const(&mut text, &v).ok()?;
        let start = len32(self.p.data.len());
        self.p.data.push_str(&text);
        Some(Range { start, len: len32(text.len()) })
    }

    /// A renderer for what Jinja2's optimizer evaluates at compile time (`as_const`), with
    /// autoescape `ae`.
    fn folding_state(&self, ae: bool) -> State<'a> {
        let mut state = State::new(self.env);
        state.set_autoescape(ae);
        state.const_fold = true;
        state
    }

    /// Keep `e`, raised by the optimizer at `span`, as the statement's error (the first one
    /// kept: see `fold_error`).
    fn keep_fold_error(&mut self, mut e: Error, span: ast::Span) {
        if self.fold_error.is_none() {
            e.attach(self.name, span.line as usize, span.col as usize, None);
            self.fold_error = Some(e);
        }
    }

    /// A dict display below an expression Jinja2's optimizer folds: `Dict.as_const` builds
    /// the dict pair by pair until a pair is not constant, and a key Python cannot hash (a
    /// list, a StrictUndefined) raises its TypeError or UndefinedError at compile time (kept
    /// in `fold_error`), even in code that never runs.
    fn fold_dict(&mut self, items: &[ast::Expr], r: Range, span: ast::Span) {
        let Some(ae) = self.fold_autoescape else {
            return;
        };
        // Literal keys (str, int, float, bool, None) always hash.
        if items.iter().step_by(2).all(|k| matches!(k.kind, ExprKind::Const(_))) {
            return;
        }
        let ids: Vec<ExprId> = self.p.exprs_in(r).to_vec();
        let mut state = self.folding_state(ae);
        for (pair, pair_ids) in items.chunks_exact(2).zip(ids.chunks_exact(2)) {
            let ([k, v], [kid, vid]) = (pair, pair_ids) else {
                return;
            };
            if !self.is_pure(k) || !self.is_pure(v) {
                return;
            }
            let (Ok(key), Ok(_)) = (state.eval(&self.p, *kid), state.eval(&self.p, *vid)) else {
                return;
            };
            if let Err(e) = key.hash_check() {
                self.keep_fold_error(e, span);
                return;
            }
        }
    }

    /// The test of a conditional expression or the left operand of `and`/`or`: where it is a
    /// constant StrictUndefined, `as_const` asking its truth raises at compile time (kept in
    /// `fold_error` like a `~` chain's).
    fn strict_truth(&mut self, e: &ast::Expr, id: ExprId) {
        let Some(ae) = self.fold_autoescape else {
            return;
        };
        if self.fold_error.is_some()
            || self.env.undefined != crate::value::UndefinedKind::Strict
            || !self.is_pure(e)
        {
            return;
        }
        let mut state = self.folding_state(ae);
        if let Ok(Value::Undefined(u)) = state.eval(&self.p, id) {
            if u.kind == crate::value::UndefinedKind::Strict {
                self.keep_fold_error(u.error(), e.span);
            }
        }
    }

    /// Whether constant output `id` evaluates, as `as_const` takes it, to something `str()`
    /// accepts (not a StrictUndefined).
    fn output_folds(&self, id: ExprId) -> bool {
        let Some(ae) = self.fold_autoescape else {
            return false;
        };
        let mut state = self.folding_state(ae);
        matches!(state.eval(&self.p, id), Ok(v) if !matches!(&v, Value::Undefined(u) if u.kind == crate::value::UndefinedKind::Strict))
    }

    /// A folded complex constant as Python reads back the repr Jinja2 writes into its code:
    /// `(-0+1j)` and `(1-0j)` are sums, whose zeros come out positive (`c + 0` does the same
    /// here), and `-1j` is a negation, whose real part comes out as -0.0 (`-(-c + 0)`). Other
    /// values read back exactly.
    #[cold]
    fn complex_read_back(
        &mut self,
        id: ExprId,
        c: crate::value::complex::Complex,
        span: ast::Span,
    ) -> ExprId {
        let plus_zero = |l: &mut Self, x: ExprId| {
            let zero = l.push_expr(Expr::Int(0), span);
            l.push_expr(Expr::Binary(ast::BinOp::Add, x, zero), span)
        };
        if c.re == 0.0 && c.re.is_sign_positive() {
            if !c.im.is_sign_negative() {
                return id;
            }
            let neg = self.push_expr(Expr::Unary(ast::UnaryOp::Neg, id), span);
            let sum = plus_zero(self, neg);
            return self.push_expr(Expr::Unary(ast::UnaryOp::Neg, sum), span);
        }
        if (c.re == 0.0 && c.re.is_sign_negative()) || (c.im == 0.0 && c.im.is_sign_negative()) {
            return plus_zero(self, id);
        }
        id
    }

    /// Whether constant power `a ** b` fails when evaluated now, as Jinja2's optimizer would
    /// fold it (its node is lowered into the program and left unused).
    #[cold]
    fn pow_fold_fails(&mut self, a: ExprId, b: ExprId, span: ast::Span) -> bool {
        let id = self.push_expr(Expr::Binary(ast::BinOp::Pow, a, b), span);
        State::new(self.env).eval(&self.p, id).is_err()
    }

    /// Whether a lowered constant expression evaluates to a negative number.
    fn is_negative_const(&self, id: ExprId) -> bool {
        let mut state = State::new(self.env);
        match state.eval(&self.p, id) {
            Ok(Value::Int(i)) => i < 0,
            Ok(Value::Float(f)) => f.is_sign_negative() && !f.is_nan(),
            Ok(Value::BigInt(b)) => b.sign() == num_bigint::Sign::Minus,
            _ => false,
        }
    }

    fn target(&mut self, t: &ast::Target) -> u32 {
        let node = match t {
            ast::Target::Name(n) => Target::Name(self.sym(n)),
            ast::Target::Attr(ns, attr) => Target::Attr(self.sym(ns), self.sym(attr)),
            ast::Target::Tuple(items) => {
                let mark = self.scratch.len();
                let ex = self.ex;
                for i in ex.targets(*items) {
                    let id = self.target(i);
                    self.scratch.push(id);
                }
                let start = len32(self.p.target_lists.len());
                let ids = self.scratch.get(mark..).unwrap_or(&[]);
                self.p.target_lists.extend_from_slice(ids);
                let len = len32(ids.len());
                self.scratch.truncate(mark);
                Target::Tuple(Range { start, len })
            }
        };
        self.p.targets.push(node);
        len32(self.p.targets.len() - 1)
    }

    fn macro_def(&mut self, id: u32) -> Result<u32> {
        let saved = std::mem::replace(&mut self.soft, false);
        let r = self.macro_def_inner(self.ex.macro_def(id));
        self.soft = saved;
        r
    }

    fn macro_def_inner(&mut self, m: &'a ast::MacroDef) -> Result<u32> {
        // Jinja2 objects to a `caller` parameter without a default only when the body reads
        // `caller` (its code generator's `find_undeclared` on the body).
        let mut body_uses = Uses::default();
        scan_stmts(self.ex, m.body, &mut body_uses);
        let mut params = Vec::with_capacity(m.params.len());
        for (i, (name, default)) in m.params.iter().enumerate() {
            if &**self.ex.text(*name) == "caller" && default.is_none() && body_uses.caller {
                return Err(self.fail(
                    "When defining macros or call blocks the special \"caller\" argument must be omitted or be given a default.".to_string(),
                    m.span,
                ));
            }
            if m.params.iter().take(i).any(|(p, _)| p == name) {
                return Err(self.fail(
                    format!("duplicate argument '{}' in macro definition", self.ex.text(*name)),
                    m.span,
                ));
            }
            let d = match default {
                Some(d) => Some(self.expr(d)?),
                None => None,
            };
            params.push((self.sym(name), d));
        }
        let body = self.scope(m.body, Scope::Inner, |v, sym| {
            for (name, _) in &m.params {
                v.param(sym, v.ex.text(*name));
            }
            for (_, default) in &m.params {
                if let Some(d) = default {
                    v.expr(sym, d);
                }
            }
        })?;
        let start = len32(self.p.params.len());
        let len = len32(params.len());
        self.p.params.extend(params);
        let def = MacroDef {
            name: self.sym(&m.name),
            params: Range { start, len },
            body,
            uses: macro_uses(self.ex, m, body_uses),
            span: m.span,
        };
        self.p.macros.push(def);
        Ok(len32(self.p.macros.len() - 1))
    }

    fn stmt(&mut self, s: &'a ast::Stmt) -> Result<StmtId> {
        let id = self.stmt_node(s)?;
        match self.fold_error.take() {
            Some(e) => Err(e),
            None => Ok(id),
        }
    }

    fn stmt_node(&mut self, s: &'a ast::Stmt) -> Result<StmtId> {
        let node = match &s.kind {
            StmtKind::Data(d) => Stmt::Data(self.data(d)),
            StmtKind::Emit(e) => {
                // Output that is constant as a whole becomes text at compile time in Jinja2
                // (`inf` prints as `inf`); only its parts are written as Python.
                let inside = self.in_constant
                    || if self.fold_autoescape.is_some() {
                        self.is_pure(e)
                    } else {
                        self.is_pure_without_filters(e)
                    };
                let saved = std::mem::replace(&mut self.in_constant, inside);
                let slices = self.slices;
                // (Set while asking too: `as_const` short-circuits inside as it does outside.)
                self.volatile_const_output = self.fold_autoescape.is_none();
                self.volatile_const_output = self.volatile_const_output && self.is_pure_without_filters(e);
                let id = self.expr(e);
                self.in_constant = saved;
                let id = id?;
                if self.fold_error.is_some() && self.is_pure(e) && self.output_folds(id) {
                    // Jinja2 prints a constant output as text without visiting (optimizing)
                    // its parts, when `as_const` makes a printable value of it as a whole.
                    self.fold_error = None;
                }
                let volatile_folded = self.fold_volatile_output(e, id);
                self.volatile_const_output = false;
                let folded = match volatile_folded {
                    None if inside
                        && self.slices != slices
                        && self.fold_autoescape.is_some()
                        && self.is_pure(e) =>
                    {
                        self.fold_sliced_output(id)
                    }
                    r => r,
                };
                match folded {
                    Some(data) => Stmt::Data(data),
                    None => Stmt::Emit(id),
                }
            }
            StmtKind::Do(e) => Stmt::Do(self.expr(e)?),
            StmtKind::Extends(e) => {
                if self.nested > 0 {
                    return Err(self.fail("cannot use extend from a non top-level scope".to_string(), s.span));
                }
                Stmt::Extends(self.expr(e)?)
            }
            StmtKind::If { branches, otherwise } => {
                let saved = std::mem::replace(&mut self.soft, true);
                // (condition, body start, body length) triples collect on the scratch stack.
                let mark = self.scratch.len();
                let ex = self.ex;
                for (cond, body) in ex.branches(*branches) {
                    let c = self.expr(cond)?;
                    let b = self.body(ex.body(*body))?;
                    self.scratch.extend_from_slice(&[c, b.start, b.len]);
                }
                let otherwise = self.body(ex.body(*otherwise))?;
                self.soft = saved;
                let start = len32(self.p.branches.len());
                let triples = self.scratch.get(mark..).unwrap_or(&[]);
                self.p.branches.extend(triples.chunks_exact(3).filter_map(|t| match *t {
                    [c, start, len] => Some((c, Range { start, len })),
                    _ => None,
                }));
                let len = len32(triples.len() / 3);
                self.scratch.truncate(mark);
                Stmt::If { branches: Range { start, len }, otherwise }
            }
            StmtKind::For(f) => {
                let f = self.ex.for_loop(*f);
                // Jinja2 refuses a `loop` assigned anywhere in the loop (its target, or a set
                // or nested for in the body or else, macros and blocks included), at the
                // assignment's line.
                let store = if super::target_binds_loop(self.ex, &f.target) {
                    Some(s.span)
                } else {
                    self.loop_name.and_then(|id| {
                        let ex = self.ex;
                        stmts_store_loop(ex, f.body, id).or_else(|| stmts_store_loop(ex, f.otherwise, id))
                    })
                };
                if let Some(span) = store {
                    return Err(self
                        .fail("Can't assign to special loop variable in for-loop target".to_string(), span));
                }
                let target = self.target(&f.target);
                let iter = self.expr(&f.iter)?;
                let saved = std::mem::replace(&mut self.soft, false);
                let filter = match &f.filter {
                    Some(c) => Some(self.expr(c)?),
                    None => None,
                };
                let body = self.scope(f.body, Scope::Inner, |v, sym| v.param_target(sym, &f.target))?;
                let otherwise = self.inner(f.otherwise)?;
                self.soft = saved;
                let extended = loop_is_extended(self.ex, f, self.loop_name);
                self.p.loops.push(LoopDef {
                    target,
                    iter,
                    filter,
                    body,
                    otherwise,
                    recursive: f.recursive,
                    extended,
                });
                Stmt::For(len32(self.p.loops.len() - 1))
            }
            StmtKind::Set { target, value } => {
                let target = self.target(target);
                Stmt::Set { target, value: self.expr(value)? }
            }
            StmtKind::SetBlock { target, filter, body } => {
                let target = self.target(target);
                self.with_soft(false, |l| {
                    let filter = match filter {
                        Some(f) => Some(l.sub(*f)?),
                        None => None,
                    };
                    Ok(Stmt::SetBlock { target, filter, body: l.inner(*body)? })
                })?
            }
            StmtKind::Macro(m) => Stmt::Macro(self.macro_def(*m)?),
            StmtKind::CallBlock { call, caller } => {
                if let ExprKind::Call(_, args) = &call.kind {
                    let ex = self.ex;
                    let merge = ex.kwargs(args).any(|(k, _)| crate::vm::is_python_keyword(ex.text(*k)));
                    if let Some((_, e)) = ex.kwargs(args).find(|(k, _)| &**ex.text(**k) == "caller" && !merge)
                    {
                        // Jinja2 passes the call block as `caller=`: CPython's SyntaxError.
                        return Err(self.fail("keyword argument repeated: caller".to_string(), e.span));
                    }
                }
                let call = self.expr(call)?;
                Stmt::CallBlock { call, caller: self.macro_def(*caller)? }
            }
            StmtKind::FilterBlock { filter, body } => {
                // Jinja2 visits the filter in the block's inner frame, never a soft one.
                self.with_soft(false, |l| {
                    let filter = l.expr(filter)?;
                    Ok(Stmt::FilterBlock { filter, body: l.inner(*body)? })
                })?
            }
            StmtKind::With { assignments, body } => {
                let assignments = self.ex.assigns(*assignments);
                let mut pairs = Vec::with_capacity(assignments.len());
                for (t, e) in assignments {
                    let t = self.target(t);
                    pairs.push((t, self.expr(e)?));
                }
                let body = self.with_soft(false, |l| {
                    l.scope(*body, Scope::InnerAssigning, |v, sym| {
                        for (t, _) in assignments {
                            v.store_target(sym, t);
                        }
                    })
                })?;
                let start = len32(self.p.assigns.len());
                let len = len32(pairs.len());
                self.p.assigns.extend(pairs);
                Stmt::With { assigns: Range { start, len }, body }
            }
            StmtKind::Block { name, body, scoped, required } => {
                let template_ae = self.env.autoescape_for(self.name);
                let ae = self.fold_autoescape.replace(template_ae);
                let ctx_ae = std::mem::replace(&mut self.ctx_autoescape, template_ae);
                let body = self.with_soft(false, |l| l.scope(*body, Scope::Block, |_, _| {}));
                self.fold_autoescape = ae;
                self.ctx_autoescape = ctx_ae;
                let body = body?;
                let name_id = self.sym(name);
                if self.blocks.contains(&name_id) {
                    return Err(Error::syntax(
                        format!("block '{}' defined twice", self.ex.text(*name)),
                        s.span.line as usize,
                        s.span.col as usize,
                    )
                    .with_name(self.name, ""));
                }
                self.blocks.push(name_id);
                self.p.blocks.push(BlockDef {
                    name: name_id,
                    body,
                    scoped: *scoped,
                    required: *required,
                    span: s.span,
                });
                Stmt::Block(len32(self.p.blocks.len() - 1))
            }
            StmtKind::Include { template, ignore_missing, with_context } => Stmt::Include {
                template: self.expr(template)?,
                ignore_missing: *ignore_missing,
                with_context: *with_context,
            },
            StmtKind::Import { template, target, with_context } => {
                let template = self.expr(template)?;
                Stmt::Import { template, target: self.sym(target), with_context: *with_context }
            }
            StmtKind::FromImport { template, names, with_context } => {
                let template = self.expr(template)?;
                let ex = self.ex;
                let pairs: Vec<(StrId, Option<StrId>)> = ex
                    .imports(*names)
                    .iter()
                    .map(|(n, alias)| (self.sym(n), alias.map(|a| self.sym(&a))))
                    .collect();
                let start = len32(self.p.imports.len());
                let len = len32(pairs.len());
                self.p.imports.extend(pairs);
                Stmt::FromImport { template, names: Range { start, len }, with_context: *with_context }
            }
            StmtKind::Autoescape { value, body } => {
                let value_ast = value;
                // The Scope node is an inner frame, never a soft one: unknown filters and
                // tests in it fail at compile time even inside an `if`, value included.
                let value = self.with_soft(false, |l| l.expr(value))?;
                let ae = self.fold_autoescape;
                let ctx_ae = self.ctx_autoescape;
                let constant = if self.is_pure(value_ast) {
                    State::new(self.env).eval(&self.p, value).and_then(|v| v.is_true()).ok()
                } else {
                    None
                };
                // A constant setting changes the compile-time context even inside a volatile
                // one; the code stays volatile.
                if let Some(c) = constant {
                    self.ctx_autoescape = c;
                }
                self.fold_autoescape = if ae.is_some() { constant } else { None };
                // The extension wraps it in a Scope node: an inner frame.
                let body =
                    self.with_soft(false, |l| l.scope(*body, Scope::Inner, |v, sym| v.expr(sym, value_ast)));
                self.fold_autoescape = ae;
                self.ctx_autoescape = ctx_ae;
                let body = body?;
                Stmt::Autoescape { value, body }
            }
            StmtKind::Break => Stmt::Break,
            StmtKind::Continue => Stmt::Continue,
            StmtKind::Debug => Stmt::Debug,
            StmtKind::Trans(id) => {
                let ast::TransDef { vars, singular, plural, trimmed: _, referenced } = self.ex.trans(*id);
                let mut kw = Vec::with_capacity(vars.len());
                for (k, e) in vars {
                    let v = self.expr(e)?;
                    kw.push((self.intern(k), v));
                }
                let vars = self.kwargs(kw);
                let singular = self.intern(singular);
                let plural = match plural {
                    Some((text, count)) => {
                        let c = self.expr(count)?;
                        Some((self.intern(text), c))
                    }
                    None => None,
                };
                let refs: Vec<StrId> = referenced.iter().map(|r| self.intern(r)).collect();
                let start = len32(self.p.str_lists.len());
                self.p.str_lists.extend_from_slice(&refs);
                let referenced = Range { start, len: len32(refs.len()) };
                self.p.trans.push(TransDef { vars, singular, plural, referenced });
                Stmt::Trans(len32(self.p.trans.len() - 1))
            }
        };
        Ok(self.push_stmt(node, s.span))
    }
}

/// Whether every direct subexpression of `e` satisfies `f` (names, constants and calls have
/// none that matter here: the walkers below decide those themselves).
#[inline]
fn all_sub_exprs(ex: &ast::Exprs, e: &ast::Expr, f: &mut impl FnMut(&ast::Expr) -> bool) -> bool {
    let args = |a: &ast::Args, f: &mut dyn FnMut(&ast::Expr) -> bool| {
        ex.list(a.args()).iter().all(&mut *f) && ex.kwargs(a).all(|(_, x)| f(x))
    };
    let opt =
        |x: &Option<ast::ExprRef>, f: &mut dyn FnMut(&ast::Expr) -> bool| x.is_none_or(|x| f(ex.get(x)));
    match &e.kind {
        ExprKind::Const(_) | ExprKind::Name(_) | ExprKind::Call(..) => true,
        ExprKind::Test { value, args: a, .. } => f(ex.get(*value)) && args(a, f),
        ExprKind::Filter { value, args: a, .. } => opt(value, f) && args(a, f),
        ExprKind::Cond { test, then, otherwise } => f(ex.get(*test)) && f(ex.get(*then)) && opt(otherwise, f),
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Concat(items) | ExprKind::Dict(items) => {
            ex.list(*items).iter().all(f)
        }
        ExprKind::GetAttr(o, _) | ExprKind::Unary(_, o) => f(ex.get(*o)),
        ExprKind::GetItem(a, b) | ExprKind::Binary(_, a, b) => f(ex.get(*a)) && f(ex.get(*b)),
        ExprKind::Slice { obj, start, stop, step } => {
            f(ex.get(*obj)) && opt(start, f) && opt(stop, f) && opt(step, f)
        }
        ExprKind::Compare(a, rest) => f(ex.get(*a)) && ex.compare(*rest).all(|(_, x)| f(x)),
    }
}

/// Whether a constant expression may evaluate to a float `inf` or `nan`: it has a float
/// literal or converts with `float`.
fn may_be_non_finite(ex: &ast::Exprs, e: &ast::Expr) -> bool {
    match &e.kind {
        ExprKind::Const(c) => matches!(c, ast::Const::Float(_)),
        ExprKind::Name(_) | ExprKind::Call(..) => false,
        ExprKind::Filter { name, .. } if &**ex.text(*name) == "float" => true,
        // A power may be a complex (`(-8) ** (1/3)`), whose repr Python may not read back.
        ExprKind::Binary(ast::BinOp::Pow, ..) => true,
        _ => !all_sub_exprs(ex, e, &mut |c| !may_be_non_finite(ex, c)),
    }
}

/// Whether an expression is a float literal (`1e999` is `inf`).
fn is_float_literal(e: &ast::Expr) -> bool {
    matches!(e.kind, ExprKind::Const(ast::Const::Float(_)))
}

/// Jinja2's `has_safe_repr`: whether a folded value can become a constant in its generated
/// code (an undefined, an object or a generator cannot, so it is not folded).
fn has_safe_repr(v: &Value) -> bool {
    match v {
        Value::None | Value::Bool(_) | Value::Int(_) | Value::BigInt(_) | Value::Float(_) => true,
        Value::Str(_) | Value::Markup(_) => true,
        Value::Object(_) => crate::value::complex::of(v).is_some(),
        Value::List(_) | Value::Tuple(_) => v.iter_items().is_ok_and(|items| items.iter().all(has_safe_repr)),
        Value::Dict(d) => d.lock().iter().all(|(k, x)| has_safe_repr(k) && has_safe_repr(x)),
        _ => false,
    }
}

/// The name Python's `repr` writes for the first `inf` or `nan` in a value, if any.
fn non_finite_name(v: &Value) -> Option<&'static str> {
    match v {
        Value::Float(f) if f.is_nan() => Some("nan"),
        Value::Float(f) if f.is_infinite() => Some("inf"),
        // The first name in the repr: `nan` or `inf`, or with the `j` of the imaginary part.
        Value::Object(_) => {
            let c = crate::value::complex::of(v)?;
            let r = crate::value::complex::repr(c);
            let at = r.find("inf").into_iter().chain(r.find("nan")).min()?;
            Some(match (r.get(at..at + 3)?, r.get(at + 3..at + 4)) {
                ("inf", Some("j")) => "infj",
                ("nan", Some("j")) => "nanj",
                ("inf", _) => "inf",
                _ => "nan",
            })
        }
        Value::List(_) | Value::Tuple(_) => v.iter_items().ok()?.iter().find_map(non_finite_name),
        Value::Dict(d) => {
            d.lock().iter().find_map(|(k, x)| non_finite_name(k).or_else(|| non_finite_name(x)))
        }
        _ => None,
    }
}

/// Which special names a piece of code reads (Jinja2's `find_undeclared`, which does not look
/// into blocks).
#[derive(Default, Clone, Copy)]
struct Uses {
    caller: bool,
    varargs: bool,
    kwargs: bool,
    loop_var: bool,
}

/// Whether a `for` loop makes its `loop` variable (Jinja2's `extended_loop`): when it is
/// recursive, when its body reads `loop`, or when a scoped block is anywhere inside it. A
/// loop that does not has no `loop` for templates it includes or imports with context.
/// `loop_name` is the string id of `loop` in the tree; the body's names are compared with it,
/// up to the first that is `loop`.
fn loop_is_extended(ex: &ast::Exprs, f: &ast::ForLoop, loop_name: Option<ast::Str>) -> bool {
    let reads_loop = |id| {
        walk_names(ex, f.body, &mut |n| {
            if n == id {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .is_break()
    };
    f.recursive
        || loop_name.is_some_and(reads_loop)
        || stmts_have_scoped_block(ex, f.body)
        || stmts_have_scoped_block(ex, f.otherwise)
}

/// The first statement in `stmts` (nested ones included) that assigns the name `loop` (whose
/// string id is `loop_name`): a set, a set block or a for target (`with` targets and macro
/// parameters are parameters in Jinja2, not assignments).
fn stmts_store_loop(ex: &ast::Exprs, stmts: ast::StmtList, loop_name: ast::Str) -> Option<ast::Span> {
    ex.body(stmts).iter().find_map(|s| match &s.kind {
        StmtKind::Set { target, .. } => target_binds(ex, target, loop_name).then_some(s.span),
        StmtKind::SetBlock { target, body, .. } => {
            if target_binds(ex, target, loop_name) {
                Some(s.span)
            } else {
                stmts_store_loop(ex, *body, loop_name)
            }
        }
        StmtKind::For(f) => {
            let f = ex.for_loop(*f);
            if target_binds(ex, &f.target, loop_name) {
                Some(s.span)
            } else {
                stmts_store_loop(ex, f.body, loop_name)
                    .or_else(|| stmts_store_loop(ex, f.otherwise, loop_name))
            }
        }
        StmtKind::Block { body, .. } => stmts_store_loop(ex, *body, loop_name),
        StmtKind::If { branches, otherwise } => ex
            .branches(*branches)
            .iter()
            .find_map(|(_, b)| stmts_store_loop(ex, *b, loop_name))
            .or_else(|| stmts_store_loop(ex, *otherwise, loop_name)),
        StmtKind::Macro(m) => stmts_store_loop(ex, ex.macro_def(*m).body, loop_name),
        StmtKind::CallBlock { caller, .. } => stmts_store_loop(ex, ex.macro_def(*caller).body, loop_name),
        StmtKind::FilterBlock { body, .. }
        | StmtKind::With { body, .. }
        | StmtKind::Autoescape { body, .. } => stmts_store_loop(ex, *body, loop_name),
        _ => None,
    })
}

/// Whether an assignment target binds the name whose string id is `name`.
fn target_binds(ex: &ast::Exprs, t: &ast::Target, name: ast::Str) -> bool {
    match t {
        ast::Target::Name(n) => *n == name,
        ast::Target::Tuple(items) => ex.targets(*items).iter().any(|t| target_binds(ex, t, name)),
        ast::Target::Attr(..) => false,
    }
}

fn stmts_have_scoped_block(ex: &ast::Exprs, stmts: ast::StmtList) -> bool {
    ex.body(stmts).iter().any(|s| match &s.kind {
        StmtKind::Block { scoped, body, .. } => *scoped || stmts_have_scoped_block(ex, *body),
        StmtKind::If { branches, otherwise } => {
            ex.branches(*branches).iter().any(|(_, b)| stmts_have_scoped_block(ex, *b))
                || stmts_have_scoped_block(ex, *otherwise)
        }
        StmtKind::For(f) => {
            let f = ex.for_loop(*f);
            stmts_have_scoped_block(ex, f.body) || stmts_have_scoped_block(ex, f.otherwise)
        }
        StmtKind::Macro(m) => stmts_have_scoped_block(ex, ex.macro_def(*m).body),
        StmtKind::CallBlock { caller, .. } => stmts_have_scoped_block(ex, ex.macro_def(*caller).body),
        StmtKind::SetBlock { body, .. }
        | StmtKind::FilterBlock { body, .. }
        | StmtKind::With { body, .. }
        | StmtKind::Autoescape { body, .. } => stmts_have_scoped_block(ex, *body),
        _ => false,
    })
}

/// Which of `caller`, `varargs`, `kwargs` a macro's body reads (not counting parameters of
/// those names), as Jinja2's code generator decides (`find_undeclared` over the body only: a
/// default such as `h=caller` does not make the macro take a caller; it reads the name from the
/// enclosing scope unless the body reads it too). `body_uses` is what the body reads.
fn macro_uses(ex: &ast::Exprs, def: &ast::MacroDef, body_uses: Uses) -> MacroUses {
    let mut uses = body_uses;
    // A `caller` parameter still counts as reading it (Jinja2's `accesses_caller`).
    for (p, _) in def.params.iter() {
        match &**ex.text(*p) {
            "varargs" => uses.varargs = false,
            "kwargs" => uses.kwargs = false,
            _ => {}
        }
    }
    MacroUses { caller: uses.caller, varargs: uses.varargs, kwargs: uses.kwargs }
}

/// Which of the special names `stmts` read (see [`walk_names`]).
fn scan_stmts(ex: &ast::Exprs, stmts: ast::StmtList, u: &mut Uses) {
    let _ = walk_names(ex, stmts, &mut |n| {
        match &**ex.text(n) {
            "caller" => u.caller = true,
            "varargs" => u.varargs = true,
            "kwargs" => u.kwargs = true,
            "loop" => u.loop_var = true,
            _ => {}
        }
        ControlFlow::Continue(())
    });
}

/// Call `f` on the names `stmts` read, in source order, until it breaks (Jinja2's
/// `find_undeclared`: the bodies of blocks are not looked into, nor are assignment targets).
fn walk_names(
    ex: &ast::Exprs,
    stmts: ast::StmtList,
    f: &mut impl FnMut(ast::Str) -> ControlFlow<()>,
) -> ControlFlow<()> {
    for s in ex.body(stmts) {
        match &s.kind {
            StmtKind::Data(_) | StmtKind::Break | StmtKind::Continue | StmtKind::Debug => {}
            StmtKind::Block { .. } => {}
            StmtKind::Emit(e) | StmtKind::Do(e) | StmtKind::Extends(e) => walk_expr(ex, e, f)?,
            StmtKind::If { branches, otherwise } => {
                for (c, b) in ex.branches(*branches) {
                    walk_expr(ex, c, f)?;
                    walk_names(ex, *b, f)?;
                }
                walk_names(ex, *otherwise, f)?;
            }
            StmtKind::For(l) => {
                let l = ex.for_loop(*l);
                walk_expr(ex, &l.iter, f)?;
                if let Some(c) = &l.filter {
                    walk_expr(ex, c, f)?;
                }
                walk_names(ex, l.body, f)?;
                walk_names(ex, l.otherwise, f)?;
            }
            StmtKind::Set { value, .. } => walk_expr(ex, value, f)?,
            StmtKind::SetBlock { filter, body, .. } => {
                if let Some(c) = filter {
                    walk_expr(ex, ex.get(*c), f)?;
                }
                walk_names(ex, *body, f)?;
            }
            StmtKind::Macro(m) => {
                let m = ex.macro_def(*m);
                for d in m.params.iter().filter_map(|(_, d)| d.as_ref()) {
                    walk_expr(ex, d, f)?;
                }
                walk_names(ex, m.body, f)?;
            }
            StmtKind::CallBlock { call, caller } => {
                walk_expr(ex, call, f)?;
                walk_names(ex, ex.macro_def(*caller).body, f)?;
            }
            StmtKind::FilterBlock { filter, body } => {
                walk_expr(ex, filter, f)?;
                walk_names(ex, *body, f)?;
            }
            StmtKind::With { assignments, body } => {
                for (_, e) in ex.assigns(*assignments) {
                    walk_expr(ex, e, f)?;
                }
                walk_names(ex, *body, f)?;
            }
            StmtKind::Include { template, .. }
            | StmtKind::Import { template, .. }
            | StmtKind::FromImport { template, .. } => walk_expr(ex, template, f)?,
            StmtKind::Autoescape { value, body } => {
                walk_expr(ex, value, f)?;
                walk_names(ex, *body, f)?;
            }
            StmtKind::Trans(id) => {
                let t = ex.trans(*id);
                for (_, e) in &t.vars {
                    walk_expr(ex, e, f)?;
                }
                if let Some((_, e)) = &t.plural {
                    walk_expr(ex, e, f)?;
                }
            }
        }
    }
    ControlFlow::Continue(())
}

fn walk_args(
    ex: &ast::Exprs,
    a: &ast::Args,
    f: &mut impl FnMut(ast::Str) -> ControlFlow<()>,
) -> ControlFlow<()> {
    for e in ex.list(a.args()) {
        walk_expr(ex, e, f)?;
    }
    for (_, e) in ex.kwargs(a) {
        walk_expr(ex, e, f)?;
    }
    if let Some(e) = ex.dyn_args(a) {
        walk_expr(ex, ex.get(e), f)?;
    }
    if let Some(e) = ex.dyn_kwargs(a) {
        walk_expr(ex, ex.get(e), f)?;
    }
    ControlFlow::Continue(())
}

fn walk_expr(
    ex: &ast::Exprs,
    e: &ast::Expr,
    f: &mut impl FnMut(ast::Str) -> ControlFlow<()>,
) -> ControlFlow<()> {
    match &e.kind {
        ExprKind::Name(n) => f(*n),
        ExprKind::Const(_) => ControlFlow::Continue(()),
        ExprKind::List(v) | ExprKind::Tuple(v) | ExprKind::Concat(v) | ExprKind::Dict(v) => {
            for x in ex.list(*v) {
                walk_expr(ex, x, f)?;
            }
            ControlFlow::Continue(())
        }
        ExprKind::GetAttr(o, _) | ExprKind::Unary(_, o) => walk_expr(ex, ex.get(*o), f),
        ExprKind::GetItem(a, b) | ExprKind::Binary(_, a, b) => {
            walk_expr(ex, ex.get(*a), f)?;
            walk_expr(ex, ex.get(*b), f)
        }
        ExprKind::Slice { obj, start, stop, step } => {
            walk_expr(ex, ex.get(*obj), f)?;
            for x in [start, stop, step].into_iter().flatten() {
                walk_expr(ex, ex.get(*x), f)?;
            }
            ControlFlow::Continue(())
        }
        ExprKind::Compare(a, rest) => {
            walk_expr(ex, ex.get(*a), f)?;
            for (_, x) in ex.compare(*rest) {
                walk_expr(ex, x, f)?;
            }
            ControlFlow::Continue(())
        }
        ExprKind::Test { value, args, .. } => {
            walk_expr(ex, ex.get(*value), f)?;
            walk_args(ex, args, f)
        }
        ExprKind::Filter { value, args, .. } => {
            if let Some(v) = value {
                walk_expr(ex, ex.get(*v), f)?;
            }
            walk_args(ex, args, f)
        }
        ExprKind::Call(c, args) => {
            walk_expr(ex, ex.get(*c), f)?;
            walk_args(ex, args, f)
        }
        ExprKind::Cond { test, then, otherwise } => {
            walk_expr(ex, ex.get(*test), f)?;
            walk_expr(ex, ex.get(*then), f)?;
            match otherwise {
                Some(o) => walk_expr(ex, ex.get(*o), f),
                None => ControlFlow::Continue(()),
            }
        }
    }
}
