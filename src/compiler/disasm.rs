//! A readable listing of a compiled [`Program`] (`jinjac disasm`): one line per statement with
//! its source line, expressions printed back in Jinja syntax, blocks listed after the body.

use std::fmt::Write;

use super::program::{BinOp, CmpOp, Expr, ExprId, Program, Range, Stmt, StmtId, Target, UnaryOp};
use crate::value::repr::{float_repr, str_repr};

/// The listing of a program.
pub fn disassemble(p: &Program) -> String {
    let mut d = Listing { p, out: String::new() };
    let _ = writeln!(d.out, "program {} (bytecode v{})", str_repr(&p.name), super::BYTECODE_VERSION);
    d.stmts(p.body, 1);
    for b in &p.blocks {
        let flags = match (b.scoped, b.required) {
            (true, true) => " scoped required",
            (true, false) => " scoped",
            (false, true) => " required",
            _ => "",
        };
        let _ = writeln!(d.out, "block {}{} (line {})", p.strings.text(b.name), flags, b.span.line);
        d.stmts(b.body, 1);
    }
    d.out
}

struct Listing<'a> {
    p: &'a Program,
    out: String,
}

impl Listing<'_> {
    fn line(&mut self, s: StmtId, depth: usize, text: &str) {
        let _ = writeln!(self.out, "{:5} {}{}", self.p.stmt_span(s).line, "  ".repeat(depth), text);
    }

    fn stmts(&mut self, body: Range, depth: usize) {
        for &s in self.p.body(body) {
            self.stmt(s, depth);
        }
    }

    fn target(&self, t: u32) -> String {
        let p = self.p;
        match p.target(t) {
            Target::Name(n) => p.str(n).to_string(),
            Target::Tuple(items) => format!(
                "({})",
                items.of(&p.target_lists).iter().map(|&t| self.target(t)).collect::<Vec<_>>().join(", ")
            ),
            Target::Attr(o, a) => format!("{}.{}", p.str(o), p.str(a)),
        }
    }

    fn stmt(&mut self, s: StmtId, d: usize) {
        let p = self.p;
        let e = |x: ExprId| expr(p, x);
        match p.stmt(s) {
            Stmt::Data(t) => self.line(s, d, &format!("DATA {}", str_repr(p.data(t)))),
            Stmt::Emit(x) => self.line(s, d, &format!("EMIT {}", e(x))),
            Stmt::If { branches, otherwise } => {
                for (i, &(c, b)) in branches.of(&p.branches).iter().enumerate() {
                    self.line(s, d, &format!("{} {}", if i == 0 { "IF" } else { "ELIF" }, e(c)));
                    self.stmts(b, d + 1);
                }
                if !otherwise.is_empty() {
                    self.line(s, d, "ELSE");
                    self.stmts(otherwise, d + 1);
                }
            }
            Stmt::For(l) => {
                let Some(&f) = p.loop_def(l) else { return };
                let mut head = format!("FOR {} IN {}", self.target(f.target), e(f.iter));
                if let Some(c) = f.filter {
                    head.push_str(&format!(" IF {}", e(c)));
                }
                if f.recursive {
                    head.push_str(" RECURSIVE");
                }
                self.line(s, d, &head);
                self.stmts(f.body, d + 1);
                if !f.otherwise.is_empty() {
                    self.line(s, d, "ELSE");
                    self.stmts(f.otherwise, d + 1);
                }
            }
            Stmt::Set { target, value } => {
                let t = self.target(target);
                self.line(s, d, &format!("SET {} = {}", t, e(value)))
            }
            Stmt::SetBlock { target, filter, body } => {
                let f = filter.map(|f| format!(" | {}", e(f))).unwrap_or_default();
                let t = self.target(target);
                self.line(s, d, &format!("SETBLOCK {}{}", t, f));
                self.stmts(body, d + 1);
            }
            Stmt::Macro(m) | Stmt::CallBlock { caller: m, .. } => {
                let Some(&m) = p.macro_def(m) else { return };
                let params: Vec<String> = m
                    .params
                    .of(&p.params)
                    .iter()
                    .map(|&(n, dflt)| match dflt {
                        Some(x) => format!("{}={}", p.str(n), e(x)),
                        None => p.str(n).to_string(),
                    })
                    .collect();
                match p.stmt(s) {
                    Stmt::CallBlock { call, .. } => {
                        self.line(s, d, &format!("CALLBLOCK ({}) {}", params.join(", "), e(call)))
                    }
                    _ => self.line(s, d, &format!("MACRO {}({})", p.str(m.name), params.join(", "))),
                }
                self.stmts(m.body, d + 1);
            }
            Stmt::FilterBlock { filter, body } => {
                self.line(s, d, &format!("FILTERBLOCK {}", e(filter)));
                self.stmts(body, d + 1);
            }
            Stmt::With { assigns, body } => {
                let a: Vec<String> = assigns
                    .of(&p.assigns)
                    .iter()
                    .map(|&(t, x)| format!("{} = {}", self.target(t), e(x)))
                    .collect();
                self.line(s, d, &format!("WITH {}", a.join(", ")));
                self.stmts(body, d + 1);
            }
            Stmt::Block(b) => {
                let Some(b) = p.blocks.get(b as usize) else { return };
                let name = p.strings.text(b.name);
                self.line(s, d, &format!("CALL_BLOCK {}{}", name, if b.scoped { " scoped" } else { "" }))
            }
            Stmt::Extends(x) => self.line(s, d, &format!("EXTENDS {}", e(x))),
            Stmt::Include { template, ignore_missing, with_context } => self.line(
                s,
                d,
                &format!(
                    "INCLUDE {}{}{}",
                    e(template),
                    if ignore_missing { " ignore missing" } else { "" },
                    if with_context { "" } else { " without context" }
                ),
            ),
            Stmt::Import { template, target: t, with_context } => self.line(
                s,
                d,
                &format!(
                    "IMPORT {} AS {}{}",
                    e(template),
                    p.str(t),
                    if with_context { " with context" } else { "" }
                ),
            ),
            Stmt::FromImport { template, names, with_context } => {
                let n: Vec<String> = names
                    .of(&p.imports)
                    .iter()
                    .map(|&(n, a)| match a {
                        Some(a) => format!("{} as {}", p.str(n), p.str(a)),
                        None => p.str(n).to_string(),
                    })
                    .collect();
                self.line(
                    s,
                    d,
                    &format!(
                        "FROM {} IMPORT {}{}",
                        e(template),
                        n.join(", "),
                        if with_context { " with context" } else { "" }
                    ),
                )
            }
            Stmt::Autoescape { value, body } => {
                self.line(s, d, &format!("AUTOESCAPE {}", e(value)));
                self.stmts(body, d + 1);
            }
            Stmt::Do(x) => self.line(s, d, &format!("DO {}", e(x))),
            Stmt::Break => self.line(s, d, "BREAK"),
            Stmt::Continue => self.line(s, d, "CONTINUE"),
            Stmt::Trans(t) => {
                let Some(t) = p.trans.get(t as usize) else { return };
                let pl = t
                    .plural
                    .map(|(pl, c)| format!(" PLURAL {} COUNT {}", str_repr(p.str(pl)), e(c)))
                    .unwrap_or_default();
                self.line(s, d, &format!("TRANS {}{}", str_repr(p.str(t.singular)), pl))
            }
            Stmt::Debug => self.line(s, d, "DEBUG"),
        }
    }
}

fn args(p: &Program, a: u32) -> String {
    let a = p.call_args(a);
    let mut parts: Vec<String> = p.exprs_in(a.args).iter().map(|&x| expr(p, x)).collect();
    parts.extend(a.kwargs.of(&p.kwargs).iter().map(|&(k, v)| format!("{}={}", p.str(k), expr(p, v))));
    if let Some(x) = a.dyn_args {
        parts.push(format!("*{}", expr(p, x)));
    }
    if let Some(x) = a.dyn_kwargs {
        parts.push(format!("**{}", expr(p, x)));
    }
    parts.join(", ")
}

fn list(p: &Program, r: Range, sep: &str) -> String {
    p.exprs_in(r).iter().map(|&x| expr(p, x)).collect::<Vec<_>>().join(sep)
}

/// An expression printed back in Jinja syntax (fully parenthesized binary operations).
pub fn expr(p: &Program, id: ExprId) -> String {
    match p.expr(id) {
        Expr::None => "none".into(),
        Expr::Bool(b) => b.to_string(),
        Expr::Int(i) => i.to_string(),
        Expr::BigInt(s) => p.str(s).to_string(),
        Expr::Float(f) => float_repr(f),
        Expr::Str(s) => str_repr(p.str(s)),
        Expr::Name(n) => p.str(n).to_string(),
        Expr::List(items) => format!("[{}]", list(p, items, ", ")),
        Expr::Tuple(items) if items.len == 1 => format!("({},)", list(p, items, "")),
        Expr::Tuple(items) => format!("({})", list(p, items, ", ")),
        Expr::Dict(items) => format!(
            "{{{}}}",
            p.exprs_in(items)
                .chunks(2)
                .map(|kv| kv.iter().map(|&x| expr(p, x)).collect::<Vec<_>>().join(": "))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Expr::GetAttr(o, n) => format!("{}.{}", expr(p, o), p.str(n)),
        Expr::GetItem(o, k) => format!("{}[{}]", expr(p, o), expr(p, k)),
        Expr::Slice { obj, start, stop, step } => {
            let f = |x: Option<ExprId>| x.map(|x| expr(p, x)).unwrap_or_default();
            format!("{}[{}:{}:{}]", expr(p, obj), f(start), f(stop), f(step))
        }
        Expr::Unary(op, x) => {
            let o = match op {
                UnaryOp::Not => "not ",
                UnaryOp::Neg => "-",
                UnaryOp::Pos => "+",
            };
            format!("({}{})", o, expr(p, x))
        }
        Expr::Binary(op, a, b) => {
            let o = match op {
                BinOp::Add => "+",
                BinOp::Sub => "-",
                BinOp::Mul => "*",
                BinOp::Div => "/",
                BinOp::FloorDiv => "//",
                BinOp::Mod => "%",
                BinOp::Pow => "**",
                BinOp::And => "and",
                BinOp::Or => "or",
            };
            format!("({} {} {})", expr(p, a), o, expr(p, b))
        }
        Expr::Concat(items) => format!("({})", list(p, items, " ~ ")),
        Expr::StrConcat(items) => format!("str_join({})", list(p, items, " ~ ")),
        Expr::PyName(n) => format!("<python name {}>", p.str(n)),
        Expr::Compare(first, rest) => {
            let mut s = expr(p, first);
            for &(op, x) in rest.of(&p.compares) {
                let o = match op {
                    CmpOp::Eq => "==",
                    CmpOp::Ne => "!=",
                    CmpOp::Lt => "<",
                    CmpOp::Le => "<=",
                    CmpOp::Gt => ">",
                    CmpOp::Ge => ">=",
                    CmpOp::In => "in",
                    CmpOp::NotIn => "not in",
                };
                s.push_str(&format!(" {} {}", o, expr(p, x)));
            }
            format!("({})", s)
        }
        Expr::Test { value, name, args: a, negated } => {
            format!(
                "({} is {}{}({}))",
                expr(p, value),
                if negated { "not " } else { "" },
                p.str(name),
                args(p, a)
            )
        }
        Expr::Filter { value, name, args: a } => {
            let v = value.map(|v| expr(p, v)).unwrap_or_else(|| "<block>".into());
            format!("({}|{}({}))", v, p.str(name), args(p, a))
        }
        Expr::Call(f, a) => format!("{}({})", expr(p, f), args(p, a)),
        Expr::Cond { test, then, otherwise } => match otherwise {
            Some(o) => format!("({} if {} else {})", expr(p, then), expr(p, test), expr(p, o)),
            None => format!("({} if {})", expr(p, then), expr(p, test)),
        },
    }
}

#[cfg(test)]
mod unit {
    #[test]
    fn listing_shows_statements_and_blocks() {
        let env = crate::Environment::new();
        let p = env
            .compile("{% for x in xs if x %}{{ x|upper ~ '!' }}{% endfor %}{% block b %}B{% endblock %}", "t")
            .unwrap();
        let text = super::disassemble(&p);
        assert!(text.contains("FOR x IN xs IF x"), "{text}");
        assert!(text.contains("EMIT ((x|upper()) ~ '!')"), "{text}");
        assert!(text.contains("CALL_BLOCK b"), "{text}");
        assert!(text.contains("block b (line 1)"), "{text}");
    }
}
