//! `jinjac render`: one template, a JSON context, exactly the rendered bytes out. With
//! `--cache DIR`, templates come from that bucket cache when current (or when their sources
//! are absent) and compiled ones are written back; an unwritable cache is reported once and
//! rendering goes on from memory.

use std::io::{Read, Write};

use anyhow::Context as _;

use super::args::RenderArgs;
use super::settings;
use super::style::Style;
use super::Exit;
use crate::cache::FileSystemBytecodeCache;
use crate::loader::{ChoiceLoader, FileSystemLoader, PrecompiledLoader};
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
        let json: serde_json::Value = serde_json::from_str(&text)
            .with_context(|| format!("context file {} is not valid JSON", file))?;
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

pub(crate) fn run(args: RenderArgs, style: Style) -> anyhow::Result<Exit> {
    let (mut env, dirs) =
        settings::single_template_setup(&args.templates, args.config.as_deref(), &args.env)?;
    match &args.cache {
        Some(dir) => {
            env.set_loader(
                ChoiceLoader::new().with(FileSystemLoader::new(dirs)).with(PrecompiledLoader::new(dir)),
            );
            env.set_bytecode_cache(FileSystemBytecodeCache::new(dir));
        }
        None => env.set_loader(FileSystemLoader::new(dirs)),
    }
    let ctx = read_context(&args)?;
    let result = env.get_template(&args.name).and_then(|t| t.render_value(ctx));
    if let Some(warning) = env.bytecode_cache().and_then(|c| c.take_warning()) {
        eprintln!("jinjac: {}: {}", style.warning("warning"), warning);
    }
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
            super::diagnostics::print_error_styled(&mut stderr, &e, style)?;
            Ok(Exit::TemplateError)
        }
    }
}
