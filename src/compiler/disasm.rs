//! A readable listing of a compiled [`Program`] (`jinjac disasm`): one line per statement with
//! its source line, expressions printed back in Jinja syntax, blocks listed after the body.

use std::fmt::Write;

use super::Program;
use crate::syntax::ast::{BinOp, CallArgs, CmpOp, Const, Expr, ExprKind, Stmt, StmtKind, Target, UnaryOp};
use crate::value::repr::{float_repr, str_repr};

/// The listing of a program.
pub fn disassemble(p: &Program) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "program {} (bytecode v{})", str_repr(&p.name), super::BYTECODE_VERSION);
    stmts(&mut out, &p.body, 1);
    for b in &p.blocks {
        let flags = match (b.scoped, b.required) {
            (true, true) => " scoped required",
            (true, false) => " scoped",
            (false, true) => " required",
            _ => "",
        };
        let _ = writeln!(out, "block {}{} (line {})", b.name, flags, b.span.line);
        stmts(&mut out, &b.body, 1);
    }
    out
}

fn line(out: &mut String, s: &Stmt, depth: usize, text: &str) {
    let _ = writeln!(out, "{:5} {}{}", s.span.line, "  ".repeat(depth), text);
}

fn stmts(out: &mut String, body: &[Stmt], depth: usize) {
    for s in body {
        stmt(out, s, depth);
    }
}

fn target(t: &Target) -> String {
    match t {
        Target::Name(n) => n.to_string(),
        Target::Tuple(items) => format!("({})", items.iter().map(target).collect::<Vec<_>>().join(", ")),
        Target::Attr(o, a) => format!("{}.{}", o, a),
    }
}

fn stmt(out: &mut String, s: &Stmt, d: usize) {
    match &s.kind {
        StmtKind::Data(t) => line(out, s, d, &format!("DATA {}", str_repr(t))),
        StmtKind::Emit(e) => line(out, s, d, &format!("EMIT {}", expr(e))),
        StmtKind::If { branches, otherwise } => {
            for (i, (c, b)) in branches.iter().enumerate() {
                line(out, s, d, &format!("{} {}", if i == 0 { "IF" } else { "ELIF" }, expr(c)));
                stmts(out, b, d + 1);
            }
            if !otherwise.is_empty() {
                line(out, s, d, "ELSE");
                stmts(out, otherwise, d + 1);
            }
        }
        StmtKind::For(f) => {
            let mut head = format!("FOR {} IN {}", target(&f.target), expr(&f.iter));
            if let Some(c) = &f.filter {
                head.push_str(&format!(" IF {}", expr(c)));
            }
            if f.recursive {
                head.push_str(" RECURSIVE");
            }
            line(out, s, d, &head);
            stmts(out, &f.body, d + 1);
            if !f.otherwise.is_empty() {
                line(out, s, d, "ELSE");
                stmts(out, &f.otherwise, d + 1);
            }
        }
        StmtKind::Set { target: t, value } => {
            line(out, s, d, &format!("SET {} = {}", target(t), expr(value)))
        }
        StmtKind::SetBlock { target: t, filter, body } => {
            let f = filter.as_ref().map(|f| format!(" | {}", expr(f))).unwrap_or_default();
            line(out, s, d, &format!("SETBLOCK {}{}", target(t), f));
            stmts(out, body, d + 1);
        }
        StmtKind::Macro(m) | StmtKind::CallBlock { caller: m, .. } => {
            let params: Vec<String> = m
                .params
                .iter()
                .map(|(n, dflt)| match dflt {
                    Some(e) => format!("{}={}", n, expr(e)),
                    None => n.to_string(),
                })
                .collect();
            match &s.kind {
                StmtKind::CallBlock { call, .. } => {
                    line(out, s, d, &format!("CALLBLOCK ({}) {}", params.join(", "), expr(call)))
                }
                _ => line(out, s, d, &format!("MACRO {}({})", m.name, params.join(", "))),
            }
            stmts(out, &m.body, d + 1);
        }
        StmtKind::FilterBlock { filter, body } => {
            line(out, s, d, &format!("FILTERBLOCK {}", expr(filter)));
            stmts(out, body, d + 1);
        }
        StmtKind::With { assignments, body } => {
            let a: Vec<String> =
                assignments.iter().map(|(t, e)| format!("{} = {}", target(t), expr(e))).collect();
            line(out, s, d, &format!("WITH {}", a.join(", ")));
            stmts(out, body, d + 1);
        }
        StmtKind::Block { name, scoped, .. } => {
            line(out, s, d, &format!("CALL_BLOCK {}{}", name, if *scoped { " scoped" } else { "" }))
        }
        StmtKind::Extends(e) => line(out, s, d, &format!("EXTENDS {}", expr(e))),
        StmtKind::Include { template, ignore_missing, with_context } => line(
            out,
            s,
            d,
            &format!(
                "INCLUDE {}{}{}",
                expr(template),
                if *ignore_missing { " ignore missing" } else { "" },
                if *with_context { "" } else { " without context" }
            ),
        ),
        StmtKind::Import { template, target: t, with_context } => line(
            out,
            s,
            d,
            &format!(
                "IMPORT {} AS {}{}",
                expr(template),
                t,
                if *with_context { " with context" } else { "" }
            ),
        ),
        StmtKind::FromImport { template, names, with_context } => {
            let n: Vec<String> = names
                .iter()
                .map(|(n, a)| match a {
                    Some(a) => format!("{} as {}", n, a),
                    None => n.clone(),
                })
                .collect();
            line(
                out,
                s,
                d,
                &format!(
                    "FROM {} IMPORT {}{}",
                    expr(template),
                    n.join(", "),
                    if *with_context { " with context" } else { "" }
                ),
            )
        }
        StmtKind::Autoescape { value, body } => {
            line(out, s, d, &format!("AUTOESCAPE {}", expr(value)));
            stmts(out, body, d + 1);
        }
        StmtKind::Do(e) => line(out, s, d, &format!("DO {}", expr(e))),
        StmtKind::Break => line(out, s, d, "BREAK"),
        StmtKind::Continue => line(out, s, d, "CONTINUE"),
        StmtKind::Trans { singular, plural, .. } => {
            let p = plural
                .as_ref()
                .map(|(p, c)| format!(" PLURAL {} COUNT {}", str_repr(p), expr(c)))
                .unwrap_or_default();
            line(out, s, d, &format!("TRANS {}{}", str_repr(singular), p))
        }
        StmtKind::Debug => line(out, s, d, "DEBUG"),
    }
}

fn args(a: &CallArgs) -> String {
    let mut parts: Vec<String> = a.args.iter().map(expr).collect();
    parts.extend(a.kwargs.iter().map(|(k, v)| format!("{}={}", k, expr(v))));
    if let Some(x) = &a.dyn_args {
        parts.push(format!("*{}", expr(x)));
    }
    if let Some(x) = &a.dyn_kwargs {
        parts.push(format!("**{}", expr(x)));
    }
    parts.join(", ")
}

/// An expression printed back in Jinja syntax (fully parenthesized binary operations).
pub fn expr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Const(c) => match c {
            Const::None => "none".into(),
            Const::Bool(b) => b.to_string(),
            Const::Int(i) => i.to_string(),
            Const::BigInt(s) => s.clone(),
            Const::Float(f) => float_repr(*f),
            Const::Str(s) => str_repr(s),
        },
        ExprKind::Name(n) => n.to_string(),
        ExprKind::List(items) => format!("[{}]", items.iter().map(expr).collect::<Vec<_>>().join(", ")),
        ExprKind::Tuple(items) if items.len() == 1 => {
            format!("({},)", items.iter().map(expr).collect::<String>())
        }
        ExprKind::Tuple(items) => format!("({})", items.iter().map(expr).collect::<Vec<_>>().join(", ")),
        ExprKind::Dict(items) => format!(
            "{{{}}}",
            items.iter().map(|(k, v)| format!("{}: {}", expr(k), expr(v))).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::GetAttr(o, n) => format!("{}.{}", expr(o), n),
        ExprKind::GetItem(o, k) => format!("{}[{}]", expr(o), expr(k)),
        ExprKind::Slice { obj, start, stop, step } => {
            let f = |x: &Option<Box<Expr>>| x.as_ref().map(|x| expr(x)).unwrap_or_default();
            format!("{}[{}:{}:{}]", expr(obj), f(start), f(stop), f(step))
        }
        ExprKind::Unary(op, x) => {
            let o = match op {
                UnaryOp::Not => "not ",
                UnaryOp::Neg => "-",
                UnaryOp::Pos => "+",
            };
            format!("({}{})", o, expr(x))
        }
        ExprKind::Binary(op, a, b) => {
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
            format!("({} {} {})", expr(a), o, expr(b))
        }
        ExprKind::Concat(items) => format!("({})", items.iter().map(expr).collect::<Vec<_>>().join(" ~ ")),
        ExprKind::Compare(first, rest) => {
            let mut s = expr(first);
            for (op, x) in rest {
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
                s.push_str(&format!(" {} {}", o, expr(x)));
            }
            format!("({})", s)
        }
        ExprKind::Test { value, name, args: a, negated } => {
            format!("({} is {}{}({}))", expr(value), if *negated { "not " } else { "" }, name, args(a))
        }
        ExprKind::Filter { value, name, args: a } => {
            let v = value.as_ref().map(|v| expr(v)).unwrap_or_else(|| "<block>".into());
            format!("({}|{}({}))", v, name, args(a))
        }
        ExprKind::Call(f, a) => format!("{}({})", expr(f), args(a)),
        ExprKind::Cond { test, then, otherwise } => match otherwise {
            Some(o) => format!("({} if {} else {})", expr(then), expr(test), expr(o)),
            None => format!("({} if {})", expr(then), expr(test)),
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
