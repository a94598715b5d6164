//! The Rust side of `bench/paired.py`: a worker that keeps every engine's workload set up and
//! times one batch of it on request, so that the driver can alternate jinjac and a peer batch
//! by batch and compare each pair measured seconds apart (a shared machine's speed drifts by
//! half over minutes; a ratio of neighbours does not).
//!
//! Protocol, one line each way: the driver writes `WORKLOAD ITERATIONS`, the worker answers
//! with the nanoseconds the batch took (setup done the first time a workload is named is not
//! counted), or `error: ...`. Workloads: `ENGINE:WORK` with ENGINE jinjac, minijinja or tera
//! and WORK compile (the corpus), decode (jinjac: every bucket, as a load from cache does),
//! corpus_off / corpus_on (render every page), big_table_off / big_table_on, teams_off /
//! teams_on. The work is the same as in `benches/compare.rs`.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::io::{BufRead, Write};
use std::time::Instant;

use jinjac_bench::{
    big_table_context, jinjac_engine, minijinja_engine, teams_context, tera_engine, Corpus, BIG_TABLE, TEAMS,
};

type Work = Box<dyn FnMut()>;

fn main() {
    let corpus = Corpus::load(&Corpus::default_location());
    let mut ready: BTreeMap<String, Work> = BTreeMap::new();
    let stdin = std::io::stdin();
    let mut out = std::io::stdout();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let mut parts = line.split_whitespace();
        let (Some(name), Some(n)) = (parts.next(), parts.next().and_then(|n| n.parse::<u64>().ok())) else {
            let _ = writeln!(out, "error: expected WORKLOAD ITERATIONS, got {line:?}");
            continue;
        };
        if !ready.contains_key(name) {
            match setup(name, &corpus) {
                Some(work) => {
                    ready.insert(name.to_string(), work);
                }
                None => {
                    let _ = writeln!(out, "error: unknown workload {name}");
                    let _ = out.flush();
                    continue;
                }
            }
        }
        let Some(work) = ready.get_mut(name) else { continue };
        let start = Instant::now();
        for _ in 0..n {
            work();
        }
        let _ = writeln!(out, "{}", start.elapsed().as_nanos());
        let _ = out.flush();
    }
}

/// The batch body of `name`, with its inputs built once.
fn setup(name: &str, corpus: &Corpus) -> Option<Work> {
    let (engine, work) = name.split_once(':')?;
    let ae = work.ends_with("_on");
    if work.starts_with("big_table") {
        return small(engine, BIG_TABLE, big_table_context(100), ae);
    }
    if work.starts_with("teams") {
        return small(engine, TEAMS, teams_context(), ae);
    }
    let templates = corpus.templates.clone();
    Some(match (engine, work) {
        ("jinjac", "compile") => {
            let env = jinjac_engine::env(&[], true);
            Box::new(move || {
                for (name, src) in &templates {
                    black_box(env.compile(src, name).expect("jinjac compiles the corpus"));
                }
            })
        }
        ("jinjac", "decode") => {
            let env = jinjac_engine::env(&[], true);
            let fingerprint = env.fingerprint();
            let buckets = jinjac_engine::buckets(&env, &templates);
            Box::new(move || jinjac_engine::decode_all(&buckets, &fingerprint))
        }
        ("jinjac", "corpus_off" | "corpus_on") => {
            let env = leak(jinjac_engine::env(&templates, ae));
            let ctx = jinjac::Value::from_serialize(&corpus.context).ok()?;
            let pages: Vec<_> = corpus.pages.iter().map(|n| env.get_template(n).expect("page")).collect();
            Box::new(move || {
                for t in &pages {
                    black_box(t.render_value(ctx.clone()).expect("renders"));
                }
            })
        }
        ("minijinja", "compile") => Box::new(move || {
            let mut env = minijinja_engine::env(true);
            for (name, src) in &templates {
                env.add_template(name, src).expect("minijinja compiles the corpus");
            }
            black_box(env);
        }),
        _ => return None,
    })
}

/// A render of one small template (the big table or the teams page) by `engine`.
fn small<C: serde::Serialize>(engine: &str, src: &'static str, ctx: C, ae: bool) -> Option<Work> {
    Some(match engine {
        "jinjac" => {
            let env = leak(jinjac_engine::env(&[("t.html".to_string(), src.to_string())], ae));
            let t = env.get_template("t.html").ok()?;
            let ctx = jinjac::Value::from_serialize(&ctx).ok()?;
            Box::new(move || {
                black_box(t.render_value(ctx.clone()).expect("renders"));
            })
        }
        "minijinja" => {
            let mut env = minijinja_engine::env(ae);
            env.add_template_owned("t.html".to_string(), src.to_string()).ok()?;
            let env = leak(env);
            let t = env.get_template("t.html").ok()?;
            let ctx = minijinja::Value::from(minijinja::value::Serde(&ctx));
            Box::new(move || {
                black_box(t.render(ctx.clone()).expect("renders"));
            })
        }
        "tera" => {
            let tera = tera_engine::tera(&[("t.html", src)], ae);
            let ctx = tera::Context::from_serialize(&ctx).ok()?;
            Box::new(move || {
                black_box(tera.render("t.html", &ctx).expect("renders"));
            })
        }
        _ => return None,
    })
}

/// A template borrows its environment; the worker lives as long as the run, so its
/// environments may too.
fn leak<T>(x: T) -> &'static T {
    Box::leak(Box::new(x))
}
