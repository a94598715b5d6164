//! `jinjac render`: one template, a JSON context, exactly the rendered bytes out.

use std::io::{Read, Write};

use anyhow::Context as _;

use super::args::RenderArgs;
use super::Exit;
use crate::loader::FileSystemLoader;
use crate::value::{from_json, Map, Value};

fn read_context(args: &RenderArgs) -> anyhow::Result<Value> {
    let mut ctx = Map::default();
    for file in &args.context {
        let text = if file == "-" {
            let mut s = String::new();
            std::io::stdin().read_to_string(&mut s).context("reading context from standard input")?;
            s
        } else {
            std::fs::read_to_string(file).with_context(|| format!("reading context file {}", file))?
        };
        let json: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("context file {} is not valid JSON", file))?;
        match from_json(json) {
            Value::Dict(d) => {
                for (k, v) in d.lock().iter() {
                    ctx.insert(k.clone(), v.clone());
                }
            }
            _ => anyhow::bail!("context file {} must hold a JSON object", file),
        }
    }
    for def in &args.define {
        let (k, v) = def.split_once('=').with_context(|| format!("-D {}: expected KEY=VALUE", def))?;
        let value = match serde_json::from_str::<serde_json::Value>(v) {
            Ok(j) => from_json(j),
            Err(_) => Value::from(v),
        };
        ctx.insert(Value::from(k), value);
    }
    Ok(Value::dict(ctx))
}

pub(crate) fn run(args: RenderArgs) -> anyhow::Result<Exit> {
    let mut env = super::environment(&args.env);
    let dirs = if args.templates.is_empty() { vec![std::path::PathBuf::from(".")] } else { args.templates.clone() };
    env.set_loader(FileSystemLoader::new(dirs));
    let ctx = read_context(&args)?;
    let result = env.get_template(&args.name).and_then(|t| t.render_value(ctx));
    match result {
        Ok(out) => {
            match &args.output {
                Some(path) => std::fs::write(path, out.as_bytes())
                    .with_context(|| format!("writing {}", path.display()))?,
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout.write_all(out.as_bytes())?;
                    stdout.flush()?;
                }
            }
            Ok(Exit::Ok)
        }
        Err(e) => {
            let mut stderr = std::io::stderr().lock();
            super::print_error(&mut stderr, &e)?;
            Ok(Exit::TemplateError)
        }
    }
}
