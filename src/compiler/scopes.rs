//! Jinja2's symbol tables (its `idtracking.py`), reduced to what the renderer needs: which
//! names a scope stores before any load of them, with no enclosing scope referencing them.
//! Jinja2 initializes such a name to `missing` when the scope is entered, so a child scope
//! (loop, macro, set block, ...) that reads it before the assignment runs sees an Undefined
//! rather than the render context's value. Each scope's table is built from its own
//! statements in order, the way `RootVisitor` and `FrameSymbolVisitor` build it: a loop's
//! iterable, a `with`'s values, a call block's call and a filter block's filter belong to the
//! outer table; `if` branches are walked on copies and merged (`branch_update`).

use std::sync::Arc;

use crate::syntax::ast::{self, ExprKind, StmtKind};

/// How a scope initializes a name it references (Jinja2's `VAR_LOAD_*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Load {
    Param,
    Resolve,
    Alias,
    Undefined,
}

/// One scope's symbol table.
#[derive(Debug, Clone, Default)]
pub(crate) struct Symbols {
    refs: Vec<(Arc<str>, Load)>,
    stores: Vec<Arc<str>>,
}

impl Symbols {
    /// An empty table with room for `n` names.
    pub(crate) fn with_capacity(n: usize) -> Symbols {
        Symbols { refs: Vec::with_capacity(n), stores: Vec::with_capacity(n) }
    }

    fn get(&self, name: &str) -> Option<usize> {
        self.refs.iter().position(|(k, _)| **k == *name)
    }

    fn put(&mut self, name: &Arc<str>, load: Load) {
        match self.get(name) {
            Some(i) => {
                if let Some(slot) = self.refs.get_mut(i) {
                    slot.1 = load;
                }
            }
            None => self.refs.push((name.clone(), load)),
        }
    }

    fn add_store(&mut self, name: &Arc<str>) {
        if !self.stores.iter().any(|s| **s == **name) {
            self.stores.push(name.clone());
        }
    }

    /// The names that start out missing.
    pub(crate) fn missing(&self) -> impl Iterator<Item = &Arc<str>> {
        self.refs.iter().filter(|(_, l)| *l == Load::Undefined).map(|(k, _)| k)
    }
}

/// Whether any of `parents` (outermost first) references `name`.
fn parent_ref(parents: &[Symbols], name: &str) -> bool {
    parents.iter().any(|s| s.get(name).is_some())
}

/// Whether `stmts` (nested bodies included) assign any name: a scope whose statements assign
/// none, and whose own bindings are parameters, has no name that starts out missing, nor has
/// any scope inside it, so its table need not be built.
pub(crate) fn assigns_any(ex: &ast::Exprs, stmts: &[ast::Stmt]) -> bool {
    each_store(ex, stmts, &mut |_| true)
}

/// Calls `f` with each name `stmts` assign, in order, until it returns true; whether it did.
fn each_store(ex: &ast::Exprs, stmts: &[ast::Stmt], f: &mut impl FnMut(&str) -> bool) -> bool {
    fn target(ex: &ast::Exprs, t: &ast::Target, f: &mut impl FnMut(&str) -> bool) -> bool {
        match t {
            ast::Target::Name(n) => f(ex.text(*n)),
            ast::Target::Tuple(items) => ex.targets(*items).iter().any(|t| target(ex, t, f)),
            ast::Target::Attr(..) => false,
        }
    }
    for s in stmts {
        let stop = match &s.kind {
            StmtKind::If { branches, otherwise } => {
                ex.branches(*branches).iter().any(|(_, b)| each_store(ex, ex.body(*b), f))
                    || each_store(ex, ex.body(*otherwise), f)
            }
            StmtKind::For(fl) => {
                let fl = ex.for_loop(*fl);
                each_store(ex, ex.body(fl.body), f) || each_store(ex, ex.body(fl.otherwise), f)
            }
            StmtKind::Set { target: t, .. } => target(ex, t, f),
            StmtKind::SetBlock { target: t, body, .. } => {
                target(ex, t, f) || each_store(ex, ex.body(*body), f)
            }
            StmtKind::Macro(m) => {
                let m = ex.macro_def(*m);
                f(ex.text(m.name)) || each_store(ex, ex.body(m.body), f)
            }
            StmtKind::CallBlock { caller, .. } => each_store(ex, ex.body(ex.macro_def(*caller).body), f),
            StmtKind::FilterBlock { body, .. }
            | StmtKind::Block { body, .. }
            | StmtKind::Autoescape { body, .. } => each_store(ex, ex.body(*body), f),
            StmtKind::With { assignments, body } => {
                ex.assigns(*assignments).iter().any(|(t, _)| target(ex, t, f))
                    || each_store(ex, ex.body(*body), f)
            }
            StmtKind::Import { target, .. } => f(ex.text(*target)),
            StmtKind::FromImport { names, .. } => {
                ex.imports(*names).iter().any(|(n, alias)| f(ex.text(alias.unwrap_or(*n))))
            }
            _ => false,
        };
        if stop {
            return true;
        }
    }
    false
}

/// Builds one table, with the enclosing tables for `find_ref`.
pub(crate) struct Visitor<'a> {
    pub(crate) parents: &'a [Symbols],
    /// Every name the template stores ([`ast::Template::stores`]).
    pub(crate) stored: &'a [Arc<str>],
    /// By index in the tree's string table: whether the string is one of `stored`.
    pub(crate) stored_ids: &'a [bool],
    /// The tree's expression arena.
    pub(crate) ex: &'a ast::Exprs,
}

impl Visitor<'_> {
    /// [`Visitor::load`] of a name of the tree: its index tells whether it is stored at all
    /// (most names are not), without comparing texts.
    fn load_name(&self, sym: &mut Symbols, n: ast::Str) {
        if self.stored_ids.get(n.id() as usize).copied().unwrap_or(false) {
            self.load_stored(sym, self.ex.text(n));
        }
    }

    fn load(&self, sym: &mut Symbols, name: &Arc<str>) {
        if self.stored.iter().any(|n| **n == **name) {
            self.load_stored(sym, name);
        }
    }

    /// [`Visitor::load`] of a name known to be one of `stored`.
    fn load_stored(&self, sym: &mut Symbols, name: &Arc<str>) {
        if sym.get(name).is_none() && !parent_ref(self.parents, name) {
            sym.refs.push((name.clone(), Load::Resolve));
        }
    }

    fn store(&self, sym: &mut Symbols, name: &Arc<str>) {
        sym.add_store(name);
        if sym.get(name).is_none() {
            let load = if parent_ref(self.parents, name) { Load::Alias } else { Load::Undefined };
            sym.refs.push((name.clone(), load));
        }
    }

    /// [`Visitor::store`] of a name that is text in the tree: the shared copy in `stored`
    /// (where every stored name is) instead of a new one.
    fn store_text(&self, sym: &mut Symbols, name: &str) {
        match self.stored.iter().find(|n| ***n == *name) {
            Some(n) => self.store(sym, n),
            None => self.store(sym, &Arc::from(name)),
        }
    }

    /// `declare_parameter`.
    pub(crate) fn param(&self, sym: &mut Symbols, name: &Arc<str>) {
        sym.add_store(name);
        sym.put(name, Load::Param);
    }

    /// A for-loop target, declared as parameters.
    pub(crate) fn param_target(&self, sym: &mut Symbols, t: &ast::Target) {
        match t {
            ast::Target::Name(n) => self.param(sym, self.ex.text(*n)),
            ast::Target::Tuple(items) => {
                self.ex.targets(*items).iter().for_each(|t| self.param_target(sym, t))
            }
            ast::Target::Attr(ns, _) => self.load_name(sym, *ns),
        }
    }

    /// An assignment target.
    pub(crate) fn store_target(&self, sym: &mut Symbols, t: &ast::Target) {
        match t {
            ast::Target::Name(n) => self.store(sym, self.ex.text(*n)),
            ast::Target::Tuple(items) => {
                self.ex.targets(*items).iter().for_each(|t| self.store_target(sym, t))
            }
            ast::Target::Attr(ns, _) => self.load_name(sym, *ns),
        }
    }

    /// The loads of a child expression.
    fn sub(&self, sym: &mut Symbols, r: ast::ExprRef) {
        self.expr(sym, self.ex.get(r));
    }

    fn args(&self, sym: &mut Symbols, a: &ast::Args) {
        self.ex.list(a.args()).iter().for_each(|e| self.expr(sym, e));
        self.ex.kwargs(a).for_each(|(_, e)| self.expr(sym, e));
        if let Some(e) = self.ex.dyn_args(a) {
            self.sub(sym, e);
        }
        if let Some(e) = self.ex.dyn_kwargs(a) {
            self.sub(sym, e);
        }
    }

    /// The loads of an expression.
    pub(crate) fn expr(&self, sym: &mut Symbols, e: &ast::Expr) {
        match &e.kind {
            ExprKind::Const(_) => {}
            ExprKind::Name(n) => self.load_name(sym, *n),
            ExprKind::List(items)
            | ExprKind::Tuple(items)
            | ExprKind::Concat(items)
            | ExprKind::Dict(items) => self.ex.list(*items).iter().for_each(|e| self.expr(sym, e)),
            ExprKind::GetAttr(o, _) | ExprKind::Unary(_, o) => self.sub(sym, *o),
            ExprKind::GetItem(a, b) | ExprKind::Binary(_, a, b) => {
                self.sub(sym, *a);
                self.sub(sym, *b);
            }
            ExprKind::Slice { obj, start, stop, step } => {
                self.sub(sym, *obj);
                for e in [start, stop, step].into_iter().flatten() {
                    self.sub(sym, *e);
                }
            }
            ExprKind::Compare(a, rest) => {
                self.sub(sym, *a);
                self.ex.compare(*rest).for_each(|(_, e)| self.expr(sym, e));
            }
            ExprKind::Test { value, args, .. } => {
                self.sub(sym, *value);
                self.args(sym, args);
            }
            ExprKind::Filter { value, args, .. } => {
                if let Some(v) = value {
                    self.sub(sym, *v);
                }
                self.args(sym, args);
            }
            ExprKind::Call(f, args) => {
                self.sub(sym, *f);
                self.args(sym, args);
            }
            ExprKind::Cond { test, then, otherwise } => {
                self.sub(sym, *test);
                self.sub(sym, *then);
                if let Some(o) = otherwise {
                    self.sub(sym, *o);
                }
            }
        }
    }

    /// Statements of this scope (what `FrameSymbolVisitor` sees of each).
    pub(crate) fn stmts(&self, sym: &mut Symbols, stmts: &[ast::Stmt]) {
        for s in stmts {
            self.stmt(sym, s);
        }
    }

    fn stmt(&self, sym: &mut Symbols, s: &ast::Stmt) {
        match &s.kind {
            StmtKind::Data(_)
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Debug
            | StmtKind::Block { .. }
            | StmtKind::Autoescape { .. } => {}
            StmtKind::Emit(e) | StmtKind::Do(e) | StmtKind::Extends(e) => self.expr(sym, e),
            StmtKind::If { branches, otherwise } => {
                self.if_stmt(sym, self.ex.branches(*branches), self.ex.body(*otherwise))
            }
            StmtKind::For(f) => self.expr(sym, &self.ex.for_loop(*f).iter),
            StmtKind::Set { target, value } => {
                self.expr(sym, value);
                self.store_target(sym, target);
            }
            StmtKind::SetBlock { target, .. } => self.store_target(sym, target),
            StmtKind::Macro(m) => self.store_text(sym, self.ex.text(self.ex.macro_def(*m).name)),
            StmtKind::CallBlock { call, .. } => self.expr(sym, call),
            StmtKind::FilterBlock { filter, .. } => self.expr(sym, filter),
            StmtKind::With { assignments, .. } => {
                self.ex.assigns(*assignments).iter().for_each(|(_, e)| self.expr(sym, e))
            }
            StmtKind::Include { template, .. } => self.expr(sym, template),
            StmtKind::Import { template, target, .. } => {
                self.expr(sym, template);
                self.store_text(sym, self.ex.text(*target));
            }
            StmtKind::FromImport { template, names, .. } => {
                self.expr(sym, template);
                for (n, alias) in self.ex.imports(*names) {
                    self.store_text(sym, self.ex.text(alias.unwrap_or(*n)));
                }
            }
            StmtKind::Trans(id) => {
                let t = self.ex.trans(*id);
                t.vars.iter().for_each(|(_, e)| self.expr(sym, e));
                for r in &t.referenced {
                    self.load(sym, &Arc::from(r.as_str()));
                }
                if let Some((_, e)) = &t.plural {
                    self.expr(sym, e);
                }
            }
        }
    }

    /// `visit_If`: the test, then each branch on a copy, merged. `elif` branches are nested
    /// `If` nodes visited together in one copy; `else` in another.
    fn if_stmt(&self, sym: &mut Symbols, branches: &[(ast::Expr, ast::StmtList)], otherwise: &[ast::Stmt]) {
        let Some(((test, body), elifs)) = branches.split_first() else {
            self.stmts(sym, otherwise);
            return;
        };
        self.expr(sym, test);
        let mut b = sym.clone();
        self.stmts(&mut b, self.ex.body(*body));
        let mut e = sym.clone();
        for (test, body) in elifs {
            self.expr(&mut e, test);
            let mut inner = e.clone();
            self.stmts(&mut inner, self.ex.body(*body));
            let (c1, c2) = (e.clone(), e.clone());
            self.branch_update(&mut e, [inner, c1, c2]);
        }
        let mut o = sym.clone();
        self.stmts(&mut o, otherwise);
        self.branch_update(sym, [b, e, o]);
    }

    fn branch_update(&self, sym: &mut Symbols, branches: [Symbols; 3]) {
        let mut stores: Vec<Arc<str>> = Vec::new();
        for b in &branches {
            for s in &b.stores {
                if !sym.stores.iter().any(|t| **t == **s) && !stores.iter().any(|t| **t == **s) {
                    stores.push(s.clone());
                }
            }
        }
        for b in &branches {
            for (k, l) in &b.refs {
                sym.put(k, *l);
            }
            for s in &b.stores {
                sym.add_store(s);
            }
        }
        for name in &stores {
            let load = if parent_ref(self.parents, name) { Load::Alias } else { Load::Resolve };
            sym.put(name, load);
        }
    }
}
