//! From syntax tree to [`Program`]: the compile pass checks what Jinja2 checks at compile time
//! (unknown filters and tests, duplicate parameters, assignments to `loop`, blocks defined
//! twice), then [`lower`] turns the tree into the flat program the renderer walks and buckets
//! store ([`program`], its byte layout in [`codec`]), versioned by [`BYTECODE_VERSION`]. See
//! ARCHITECTURE.md for the design.

pub mod codec;
pub mod disasm;
pub mod lower;
pub mod program;

use std::collections::BTreeSet;

use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};
use crate::syntax::ast::{CallArgs, Expr, ExprKind, MacroDef, Span, Stmt, StmtKind, Target};

pub use program::{BlockDef, Program};

/// Bump on any change to the serialized shape of [`Program`] or its codec: a bucket of another
/// layout under the same version would decode into a different program.
pub const BYTECODE_VERSION: u32 = 3;

/// Compile a parsed template: Jinja2's compile-time checks, then lowering to a [`Program`].
pub fn compile(tree: crate::syntax::ast::Template, name: &str, env: &Environment) -> Result<Program> {
    let mut c = Compiler { env, name, blocks: BTreeSet::new(), sizes: lower::Sizes::default(), nested: 0 };
    c.stmts(&tree.body, false)?;
    lower::lower(&tree, name, env, &c.sizes)
}

struct Compiler<'a> {
    env: &'a Environment,
    name: &'a str,
    blocks: BTreeSet<String>,
    /// Node counts, so that lowering allocates each table once.
    sizes: lower::Sizes,
    /// How many scopes (Jinja2's inner frames: loop, macro, call, filter, with, block and set
    /// block bodies, `autoescape`) enclose the statement being checked; `if` adds none.
    nested: u32,
}

impl Compiler<'_> {
    fn fail(&self, msg: String, span: Span) -> Error {
        let mut e = Error::new(ErrorKind::TemplateAssertionError, msg);
        e.attach(self.name, span.line as usize, span.col as usize, None);
        e
    }

    fn stmts(&mut self, stmts: &[Stmt], soft: bool) -> Result<()> {
        for s in stmts {
            self.stmt(s, soft)?;
        }
        Ok(())
    }

    /// The statements of an inner scope.
    fn inner(&mut self, stmts: &[Stmt], soft: bool) -> Result<()> {
        self.nested += 1;
        let r = self.stmts(stmts, soft);
        self.nested -= 1;
        r
    }

    fn macro_def(&mut self, m: &MacroDef) -> Result<()> {
        let mut seen = BTreeSet::new();
        // Jinja2 objects to a `caller` parameter without a default only when the body reads
        // `caller` (its code generator's `find_undeclared` on the body).
        let reads_caller = lower::body_reads_caller(&m.body);
        for (p, default) in m.params.iter() {
            if &**p == "caller" && default.is_none() && reads_caller {
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
        self.inner(&m.body, false)
    }

    fn stmt(&mut self, s: &Stmt, soft: bool) -> Result<()> {
        self.sizes.stmts += 1;
        let span = s.span;
        match &s.kind {
            StmtKind::Data(_) | StmtKind::Break | StmtKind::Continue | StmtKind::Debug => {}
            StmtKind::Emit(e) | StmtKind::Do(e) => self.expr(e, soft)?,
            StmtKind::Extends(e) => {
                if self.nested > 0 {
                    return Err(self.fail("cannot use extend from a non top-level scope".to_string(), span));
                }
                self.expr(e, soft)?
            }
            StmtKind::If { branches, otherwise } => {
                for (cond, body) in branches.iter() {
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
                self.target(&f.target)?;
                self.expr(&f.iter, soft)?;
                if let Some(c) = &f.filter {
                    self.expr(c, false)?;
                }
                self.inner(&f.body, false)?;
                self.inner(&f.otherwise, false)?;
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
                self.inner(body, false)?;
            }
            StmtKind::Macro(m) => self.macro_def(m)?,
            StmtKind::CallBlock { call, caller } => {
                self.expr(call, soft)?;
                self.macro_def(caller)?;
            }
            StmtKind::FilterBlock { filter, body } => {
                self.expr(filter, soft)?;
                self.inner(body, false)?;
            }
            StmtKind::With { assignments, body } => {
                for (t, e) in assignments.iter() {
                    self.target(t)?;
                    self.expr(e, soft)?;
                }
                self.inner(body, false)?;
            }
            StmtKind::Block { name, body, .. } => {
                self.inner(body, false)?;
                if !self.blocks.insert(name.clone()) {
                    return Err(Error::syntax(
                        format!("block '{}' defined twice", name),
                        span.line as usize,
                        span.col as usize,
                    )
                    .with_name(self.name, ""));
                }
            }
            StmtKind::Include { template, .. }
            | StmtKind::Import { template, .. }
            | StmtKind::FromImport { template, .. } => self.expr(template, soft)?,
            StmtKind::Autoescape { value, body } => {
                self.expr(value, soft)?;
                // The extension wraps it in a Scope node: an inner frame.
                self.inner(body, soft)?;
            }
            StmtKind::Trans { vars, plural, .. } => {
                for (_, e) in vars.iter() {
                    self.expr(e, soft)?;
                }
                if let Some((_, e)) = plural {
                    self.expr(e, soft)?;
                }
            }
        }
        Ok(())
    }

    fn target(&mut self, _t: &Target) -> Result<()> {
        Ok(())
    }

    fn args(&mut self, a: &CallArgs, soft: bool) -> Result<()> {
        self.sizes.args += 1;
        for e in a.args.iter() {
            self.expr(e, soft)?;
        }
        for (_, e) in a.kwargs.iter() {
            self.expr(e, soft)?;
        }
        if let Some(e) = &a.dyn_args {
            self.expr(e, soft)?;
        }
        if let Some(e) = &a.dyn_kwargs {
            self.expr(e, soft)?;
        }
        Ok(())
    }

    fn expr(&mut self, e: &Expr, soft: bool) -> Result<()> {
        self.sizes.exprs += 1;
        let span = e.span;
        match &e.kind {
            ExprKind::Const(_) | ExprKind::Name(_) => {}
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Concat(items) => {
                for i in items.iter() {
                    self.expr(i, soft)?;
                }
            }
            ExprKind::Dict(items) => {
                for (k, v) in items.iter() {
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
                for (_, x) in rest.iter() {
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
}

fn target_names(t: &Target) -> Vec<String> {
    match t {
        Target::Name(n) => vec![n.to_string()],
        Target::Tuple(items) => items.iter().flat_map(target_names).collect(),
        Target::Attr(..) => Vec::new(),
    }
}
