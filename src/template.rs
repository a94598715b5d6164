//! A loaded template: render it with a context, render one block, or get its module
//! (exported macros and top-level variables).

use std::io::Write;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::Serialize;

use crate::compiler::Program;
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};
use crate::value::{Args, Value};
use crate::vm::{Ctx, Parent, State};

/// A compiled template bound to its environment.
#[derive(Clone)]
pub struct Template<'env> {
    pub(crate) env: &'env Environment,
    pub(crate) program: Arc<Program>,
}

/// The render context of `ctx`: a dict with str keys is read in place, anything else is
/// converted as [`context_map`] does.
fn context_parent(ctx: Value) -> Result<Parent> {
    if let Value::Dict(d) = &ctx {
        if d.lock().keys().all(|k| matches!(k, Value::Str(_))) {
            return Ok(Parent::Dict(d.clone()));
        }
    }
    Ok(Parent::Map(Arc::new(context_map(ctx)?)))
}

fn context_map(ctx: Value) -> Result<crate::value::StrMap> {
    match ctx {
        Value::None | Value::Undefined(_) => Ok(IndexMap::default()),
        Value::Dict(d) => Ok(d
            .lock()
            .iter()
            .map(|(k, v)| match k {
                Value::Str(s) => (s.clone(), v.clone()),
                k => (Arc::from(k.to_str().as_str()), v.clone()),
            })
            .collect()),
        other => Err(Error::new(
            ErrorKind::TypeError,
            format!("the render context must be a mapping, not {}", other.type_name()),
        )),
    }
}

impl<'env> Template<'env> {
    /// The template's name.
    pub fn name(&self) -> &str {
        &self.program.name
    }

    /// The compiled program.
    pub fn program(&self) -> &Arc<Program> {
        &self.program
    }

    /// Render with a context from anything serializable to a map.
    pub fn render<S: Serialize>(&self, ctx: S) -> Result<String> {
        self.render_value(Value::from_serialize(&ctx)?)
    }

    /// Render with a context value (a dict, or none).
    pub fn render_value(&self, ctx: Value) -> Result<String> {
        let mut state = State::with_ctx(self.env, Ctx::with_parent(context_parent(ctx)?));
        let mut out = String::with_capacity(4096);
        state.render_root(self.program.clone(), &mut out).map_err(|e| self.env.decorate_error(e))?;
        Ok(out)
    }

    /// Render into a writer, streaming: output is written out as top-level statements finish
    /// rather than collected whole. On error, what was written stays written.
    pub fn render_to<S: Serialize, W: Write>(&self, ctx: S, mut w: W) -> Result<()> {
        let mut state =
            State::with_ctx(self.env, Ctx::with_parent(context_parent(Value::from_serialize(&ctx)?)?));
        let mut out = String::with_capacity(16384);
        let mut flush = |buf: &mut String| -> Result<()> {
            w.write_all(buf.as_bytes())?;
            buf.clear();
            Ok(())
        };
        state
            .render_root_with(self.program.clone(), &mut out, &mut flush)
            .map_err(|e| self.env.decorate_error(e))?;
        flush(&mut out)?;
        w.flush()?;
        Ok(())
    }

    /// Render only block `name` (Jinja2's `template.blocks[name](context)`).
    pub fn render_block<S: Serialize>(&self, name: &str, ctx: S) -> Result<String> {
        let mut state =
            State::with_ctx(self.env, Ctx::with_parent(context_parent(Value::from_serialize(&ctx)?)?));
        for (i, b) in self.program.blocks.iter().enumerate() {
            let name = self.program.strings.text(b.name).to_string();
            state.blocks.entry(name).or_default().push((self.program.clone(), i));
        }
        state.program = self.program.clone();
        let mut out = String::new();
        state.render_block(name, 0, &mut out).map_err(|e| self.env.decorate_error(e))?;
        Ok(out)
    }

    /// The template's module: its exported macros and top-level variables, rendered with
    /// `ctx` (Jinja2's `make_module`).
    pub fn module<S: Serialize>(&self, ctx: S) -> Result<Value> {
        let mut state = State::new(self.env);
        let mut body = String::new();
        let ctx = state
            .render_isolated(
                self.program.clone(),
                Ctx::with_parent(context_parent(Value::from_serialize(&ctx)?)?),
                &mut body,
            )
            .map_err(|e| self.env.decorate_error(e))?;
        Ok(Value::object(crate::vm::Module::new(self.program.name.clone(), ctx.exported(), body, false)))
    }

    /// Call an exported macro (or other callable) of this template from Rust.
    pub fn call_macro(&self, name: &str, args: Vec<Value>) -> Result<Value> {
        let module = self.module(())?;
        let Some(m) = module.get_attr_raw(name) else {
            return Err(Error::new(
                ErrorKind::UndefinedError,
                format!("the template '{}' does not export '{}'", self.program.name, name),
            ));
        };
        let mut state = State::new(self.env);
        state.call(&m, Args::positional(args)).map_err(|e| self.env.decorate_error(e))
    }
}
