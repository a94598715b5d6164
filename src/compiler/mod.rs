//! From syntax tree to [`Program`]: the compile pass checks what Jinja2 checks at compile time
//! (unknown filters and tests, duplicate parameters), folds constant `~` chains the way Jinja2's
//! optimizer does, and lifts block bodies into a table so that inheritance can find them.
//!
//! Design note: a [`Program`] is an owned, resolved tree (no borrows from the source, no
//! runtime values), serialized with serde into buckets and versioned by [`BYTECODE_VERSION`].
//! The renderer walks it directly; see ARCHITECTURE.md for why a tree and not flat opcodes.

pub mod disasm;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};
use crate::syntax::ast::{CallArgs, Const, Expr, ExprKind, MacroDef, Span, Stmt, StmtKind, Target};
use crate::value::Value;
use crate::vm::State;

/// Bump on any change to the serialized shape of [`Program`] or the AST.
pub const BYTECODE_VERSION: u32 = 1;

/// A block lifted out of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockDef {
    /// Block name.
    pub name: String,
    /// Body.
    pub body: Vec<Stmt>,
    /// `scoped`: sees the locals around it.
    pub scoped: bool,
    /// `required`: must be overridden.
    pub required: bool,
    /// Where it is.
    pub span: Span,
}

/// A compiled template: what a bucket stores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Program {
    /// Template name.
    pub name: String,
    /// Top-level statements (block statements keep only their name).
    pub body: Vec<Stmt>,
    /// Every block, in source order.
    pub blocks: Vec<BlockDef>,
}

impl Program {
    /// An empty program (used for states outside of any template).
    pub fn empty() -> Program {
        Program { name: String::new(), body: Vec::new(), blocks: Vec::new() }
    }

    /// The index of block `name`.
    pub fn block_index(&self, name: &str) -> Option<usize> {
        self.blocks.iter().position(|b| b.name == name)
    }

    /// Serialize deterministically (postcard).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        postcard::to_stdvec(self).map_err(|e| Error::new(ErrorKind::BadBytecode, e.to_string()))
    }

    /// Deserialize; fails on any malformed input, never panics.
    pub fn from_bytes(bytes: &[u8]) -> Result<Program> {
        postcard::from_bytes(bytes).map_err(|e| Error::new(ErrorKind::BadBytecode, e.to_string()))
    }
}

/// Compile a parsed template.
pub fn compile(tree: crate::syntax::ast::Template, name: &str, env: &Environment) -> Result<Program> {
    let mut c = Compiler { env, name, blocks: Vec::new() };
    let mut body = tree.body;
    c.stmts(&mut body, false)?;
    Ok(Program { name: name.to_string(), body, blocks: c.blocks })
}

struct Compiler<'a> {
    env: &'a Environment,
    name: &'a str,
    blocks: Vec<BlockDef>,
}

impl Compiler<'_> {
    fn fail(&self, msg: String, span: Span) -> Error {
        let mut e = Error::new(ErrorKind::TemplateAssertionError, msg);
        e.attach(self.name, span.line as usize, span.col as usize, None);
        e
    }

    fn stmts(&mut self, stmts: &mut [Stmt], soft: bool) -> Result<()> {
        for s in stmts.iter_mut() {
            self.stmt(s, soft)?;
        }
        Ok(())
    }

    fn macro_def(&mut self, m: &mut std::sync::Arc<MacroDef>) -> Result<()> {
        let m = std::sync::Arc::make_mut(m);
        let mut seen = BTreeSet::new();
        for (p, default) in m.params.iter_mut() {
            if &**p == "caller" && default.is_none() {
                return Err(self.fail(
                    "When defining macros or call blocks the special \"caller\" argument must be omitted or be given a default.".to_string(),
                    m.span,
                ));
            }
            if !seen.insert(p.clone()) {
                return Err(self.fail(format!("duplicate argument '{}' in macro definition", p), m.span));
            }
            if let Some(d) = default {
                self.expr(d, false)?;
            }
        }
        self.stmts(&mut m.body, false)
    }

    fn stmt(&mut self, s: &mut Stmt, soft: bool) -> Result<()> {
        let span = s.span;
        match &mut s.kind {
            StmtKind::Data(_) | StmtKind::Break | StmtKind::Continue | StmtKind::Debug => {}
            StmtKind::Emit(e) | StmtKind::Do(e) | StmtKind::Extends(e) => self.expr(e, soft)?,
            StmtKind::If { branches, otherwise } => {
                for (cond, body) in branches.iter_mut() {
                    self.expr(cond, true)?;
                    self.stmts(body, true)?;
                }
                self.stmts(otherwise, true)?;
            }
            StmtKind::For(f) => {
                if target_names(&f.target).iter().any(|n| n == "loop") {
                    return Err(self
                        .fail("Can't assign to special loop variable in for-loop target".to_string(), span));
                }
                let f = std::sync::Arc::make_mut(f);
                self.target(&mut f.target)?;
                self.expr(&mut f.iter, soft)?;
                if let Some(c) = &mut f.filter {
                    self.expr(c, false)?;
                }
                self.stmts(&mut f.body, false)?;
                self.stmts(&mut f.otherwise, false)?;
            }
            StmtKind::Set { target, value } => {
                self.target(target)?;
                self.expr(value, soft)?;
            }
            StmtKind::SetBlock { target, filter, body } => {
                self.target(target)?;
                if let Some(f) = filter {
                    self.expr(f, false)?;
                }
                self.stmts(body, false)?;
            }
            StmtKind::Macro(m) => self.macro_def(m)?,
            StmtKind::CallBlock { call, caller } => {
                self.expr(call, soft)?;
                self.macro_def(caller)?;
            }
            StmtKind::FilterBlock { filter, body } => {
                self.expr(filter, soft)?;
                self.stmts(body, false)?;
            }
            StmtKind::With { assignments, body } => {
                for (t, e) in assignments.iter_mut() {
                    self.target(t)?;
                    self.expr(e, soft)?;
                }
                self.stmts(body, false)?;
            }
            StmtKind::Block { name, body, scoped, required } => {
                let mut body = std::mem::take(body);
                self.stmts(&mut body, false)?;
                if self.blocks.iter().any(|b| &b.name == name) {
                    return Err(Error::syntax(
                        format!("block '{}' defined twice", name),
                        span.line as usize,
                        span.col as usize,
                    )
                    .with_name(self.name, ""));
                }
                self.blocks.push(BlockDef {
                    name: name.clone(),
                    body,
                    scoped: *scoped,
                    required: *required,
                    span,
                });
            }
            StmtKind::Include { template, .. }
            | StmtKind::Import { template, .. }
            | StmtKind::FromImport { template, .. } => self.expr(template, soft)?,
            StmtKind::Autoescape { value, body } => {
                self.expr(value, soft)?;
                self.stmts(body, soft)?;
            }
            StmtKind::Trans { vars, plural, .. } => {
                for (_, e) in vars.iter_mut() {
                    self.expr(e, soft)?;
                }
                if let Some((_, e)) = plural {
                    self.expr(e, soft)?;
                }
            }
        }
        Ok(())
    }

    fn target(&mut self, _t: &mut Target) -> Result<()> {
        Ok(())
    }

    fn args(&mut self, a: &mut CallArgs, soft: bool) -> Result<()> {
        for e in a.args.iter_mut() {
            self.expr(e, soft)?;
        }
        for (_, e) in a.kwargs.iter_mut() {
            self.expr(e, soft)?;
        }
        if let Some(e) = &mut a.dyn_args {
            self.expr(e, soft)?;
        }
        if let Some(e) = &mut a.dyn_kwargs {
            self.expr(e, soft)?;
        }
        Ok(())
    }

    fn expr(&mut self, e: &mut Expr, soft: bool) -> Result<()> {
        let span = e.span;
        match &mut e.kind {
            ExprKind::Const(_) | ExprKind::Name(_) => {}
            ExprKind::List(items) | ExprKind::Tuple(items) => {
                for i in items.iter_mut() {
                    self.expr(i, soft)?;
                }
            }
            ExprKind::Concat(items) => {
                for i in items.iter_mut() {
                    self.expr(i, soft)?;
                }
                if let Some(folded) = self.fold_concat(items) {
                    e.kind = ExprKind::Const(Const::Str(folded.into()));
                }
            }
            ExprKind::Dict(items) => {
                for (k, v) in items.iter_mut() {
                    self.expr(k, soft)?;
                    self.expr(v, soft)?;
                }
            }
            ExprKind::GetAttr(obj, _) => self.expr(obj, soft)?,
            ExprKind::GetItem(obj, key) => {
                self.expr(obj, soft)?;
                self.expr(key, soft)?;
            }
            ExprKind::Slice { obj, start, stop, step } => {
                self.expr(obj, soft)?;
                for x in [start, stop, step].into_iter().flatten() {
                    self.expr(x, soft)?;
                }
            }
            ExprKind::Unary(_, x) => self.expr(x, soft)?,
            ExprKind::Binary(_, a, b) => {
                self.expr(a, soft)?;
                self.expr(b, soft)?;
            }
            ExprKind::Compare(first, rest) => {
                self.expr(first, soft)?;
                for (_, x) in rest.iter_mut() {
                    self.expr(x, soft)?;
                }
            }
            ExprKind::Test { value, name, args, .. } => {
                self.expr(value, soft)?;
                self.args(args, soft)?;
                if !soft && self.env.get_test(name).is_none() {
                    return Err(self.fail(format!("No test named '{}'.", name), span));
                }
            }
            ExprKind::Filter { value, name, args } => {
                if let Some(v) = value {
                    self.expr(v, soft)?;
                }
                self.args(args, soft)?;
                if !soft && self.env.get_filter(name).is_none() {
                    return Err(self.fail(format!("No filter named '{}'.", name), span));
                }
            }
            ExprKind::Call(f, args) => {
                self.expr(f, soft)?;
                self.args(args, soft)?;
            }
            ExprKind::Cond { test, then, otherwise } => {
                self.expr(test, true)?;
                self.expr(then, true)?;
                if let Some(o) = otherwise {
                    self.expr(o, true)?;
                }
            }
        }
        Ok(())
    }

    /// Jinja2's optimizer turns a `~` chain whose parts are all constant into one string,
    /// built with `str()` (so Markup-ness is lost, as in Jinja2).
    fn fold_concat(&self, items: &[Expr]) -> Option<String> {
        let mut out = String::new();
        for item in items {
            let v = self.const_value(item)?;
            out.push_str(&v.to_str());
        }
        Some(out)
    }

    fn const_value(&self, e: &Expr) -> Option<Value> {
        if !is_pure(e) {
            return None;
        }
        let mut state = State::new(self.env);
        state.eval(e).ok().filter(|v| !v.is_undefined())
    }
}

fn target_names(t: &Target) -> Vec<String> {
    match t {
        Target::Name(n) => vec![n.to_string()],
        Target::Tuple(items) => items.iter().flat_map(target_names).collect(),
        Target::Attr(..) => Vec::new(),
    }
}

/// Whether an expression can be evaluated at compile time (no names, calls or
/// context-dependent filters).
fn is_pure(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Const(_) => true,
        ExprKind::Name(_) | ExprKind::Call(..) | ExprKind::Test { .. } | ExprKind::Cond { .. } => false,
        ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Concat(items) => items.iter().all(is_pure),
        ExprKind::Dict(items) => items.iter().all(|(k, v)| is_pure(k) && is_pure(v)),
        ExprKind::GetAttr(o, _) => is_pure(o),
        ExprKind::GetItem(o, k) => is_pure(o) && is_pure(k),
        ExprKind::Slice { .. } => false,
        ExprKind::Unary(_, x) => is_pure(x),
        ExprKind::Binary(_, a, b) => is_pure(a) && is_pure(b),
        ExprKind::Compare(a, rest) => is_pure(a) && rest.iter().all(|(_, x)| is_pure(x)),
        ExprKind::Filter { value, name, args } => {
            !matches!(name.as_str(), "random" | "map" | "select" | "reject" | "selectattr" | "rejectattr")
                && value.as_deref().is_some_and(is_pure)
                && args.dyn_args.is_none()
                && args.dyn_kwargs.is_none()
                && args.args.iter().all(is_pure)
                && args.kwargs.iter().all(|(_, x)| is_pure(x))
        }
    }
}
