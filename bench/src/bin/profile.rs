//! A driver for profilers (`valgrind --tool=callgrind`, perf): runs one benchmark workload of
//! jinjac a given number of times, with no measurement harness around it.
//!
//! usage: profile WORKLOAD [ITERATIONS] [ae_on|ae_off]
//! WORKLOAD: big_table | teams | corpus | compile | load | bucket | cache | source | precompiled | cold | stats, or big_table_tera, teams_tera,
//! big_table_minijinja, teams_minijinja, compile_minijinja (the peers' work, to compare instruction counts)

use std::hint::black_box;

use jinjac::compiler::Program;
use jinjac_bench::{
    big_table_context, jinjac_engine, minijinja_engine, teams_context, tera_engine, Corpus, BIG_TABLE, TEAMS,
};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let workload = args.get(1).map(String::as_str).unwrap_or("big_table");
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let ae = args.get(3).map(String::as_str) == Some("ae_on");
    match workload {
        "big_table" | "teams" => {
            let (src, ctx) = if workload == "teams" {
                (TEAMS, jinjac::Value::from_serialize(&teams_context()))
            } else {
                (BIG_TABLE, jinjac::Value::from_serialize(&big_table_context(100)))
            };
            let ctx = ctx.expect("context");
            let env = jinjac_engine::env(&[("t.html".to_string(), src.to_string())], ae);
            let t = env.get_template("t.html").expect("template");
            for _ in 0..n {
                black_box(t.render_value(ctx.clone()).expect("renders"));
            }
        }
        "big_table_tera" | "teams_tera" => {
            let src = if workload == "teams_tera" { TEAMS } else { BIG_TABLE };
            let tera = tera_engine::tera(&[("t.html", src)], ae);
            let ctx = if workload == "teams_tera" {
                tera::Context::from_serialize(&teams_context())
            } else {
                tera::Context::from_serialize(&big_table_context(100))
            }
            .expect("context");
            for _ in 0..n {
                black_box(tera.render("t.html", &ctx).expect("renders"));
            }
        }
        "big_table_minijinja" | "teams_minijinja" => {
            let src = if workload == "teams_minijinja" { TEAMS } else { BIG_TABLE };
            let mut env = minijinja_engine::env(ae);
            env.add_template("t.html", src).expect("template");
            let t = env.get_template("t.html").expect("template");
            let ctx = if workload == "teams_minijinja" {
                minijinja::Value::from(minijinja::value::Serde(teams_context()))
            } else {
                minijinja::Value::from(minijinja::value::Serde(big_table_context(100)))
            };
            for _ in 0..n {
                black_box(t.render(ctx.clone()).expect("renders"));
            }
        }
        "corpus" => {
            let corpus = Corpus::load(&Corpus::default_location());
            let env = jinjac_engine::env(&corpus.templates, ae);
            let ctx = jinjac::Value::from_serialize(&corpus.context).expect("context");
            let pages: Vec<_> = corpus.pages.iter().map(|p| env.get_template(p).expect("page")).collect();
            for _ in 0..n {
                for t in &pages {
                    black_box(t.render_value(ctx.clone()).expect("renders"));
                }
            }
        }
        "compile" => {
            let corpus = Corpus::load(&Corpus::default_location());
            let env = jinjac_engine::env(&[], ae);
            for _ in 0..n {
                for (name, src) in &corpus.templates {
                    black_box(env.compile(src, name).expect("compiles"));
                }
            }
        }
        "compile_minijinja" => {
            // What criterion's compile/corpus/minijinja measures: a fresh environment per pass,
            // every corpus template added (parsed and compiled), the environment dropped.
            let corpus = Corpus::load(&Corpus::default_location());
            for _ in 0..n {
                let mut env = minijinja_engine::env(ae);
                for (name, src) in &corpus.templates {
                    env.add_template(name, src).expect("compiles");
                }
                black_box(env);
            }
        }
        "load" => {
            let corpus = Corpus::load(&Corpus::default_location());
            let env = jinjac_engine::env(&[], ae);
            let bytes: Vec<Vec<u8>> = corpus
                .templates
                .iter()
                .map(|(name, src)| env.compile(src, name).and_then(|p| p.to_bytes()).expect("compiles"))
                .collect();
            for _ in 0..n {
                for b in &bytes {
                    black_box(Program::from_bytes(b).expect("decodes"));
                }
            }
        }
        "bucket" => {
            let corpus = Corpus::load(&Corpus::default_location());
            let env = jinjac_engine::env(&[], ae);
            let fingerprint = env.fingerprint();
            let buckets = jinjac_engine::buckets(&env, &corpus.templates);
            for _ in 0..n {
                jinjac_engine::decode_all(&buckets, &fingerprint);
            }
        }
        "cold" => {
            // Criterion's cold start: a fresh environment over the template directory and a warm
            // bucket cache renders every page once.
            let corpus = Corpus::load(&Corpus::default_location());
            let tdir = corpus.root.join("templates");
            let cache_dir = std::env::temp_dir().join(format!("jinjac-profile-cold-{}", std::process::id()));
            let ctx = jinjac::Value::from_serialize(&corpus.context).expect("context");
            let warm = jinjac_engine::fresh(&tdir, Some(cache_dir.as_path()));
            for (name, _) in &corpus.templates {
                warm.get_template(name).expect("loads");
            }
            for _ in 0..n {
                let env = jinjac_engine::fresh(&tdir, Some(cache_dir.as_path()));
                for name in &corpus.pages {
                    let t = env.get_template(name).expect("loads");
                    black_box(t.render_value(ctx.clone()).expect("renders"));
                }
            }
            let _ = std::fs::remove_dir_all(&cache_dir);
        }
        "precompiled" => {
            // A fresh environment gets every corpus template from a directory written by
            // `jinjac compile`, with no sources (criterion's load/corpus/jinjac_precompiled).
            let corpus = Corpus::load(&Corpus::default_location());
            let dir = std::env::temp_dir().join(format!("jinjac-profile-compiled-{}", std::process::id()));
            jinjac_engine::precompile(&corpus.root.join("templates"), &dir);
            for _ in 0..n {
                let env = jinjac_engine::precompiled(&dir);
                for (name, _) in &corpus.templates {
                    black_box(env.get_template(name).expect("loads"));
                }
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
        "cache" | "source" => {
            // A fresh environment gets every corpus template through the loader, from a warm
            // bucket cache ("cache") or by compiling ("source"), as criterion's load group does.
            let corpus = Corpus::load(&Corpus::default_location());
            let tdir = corpus.root.join("templates");
            let cache_dir = std::env::temp_dir().join(format!("jinjac-profile-cache-{}", std::process::id()));
            let fresh = |cached: bool| jinjac_engine::fresh(&tdir, cached.then_some(cache_dir.as_path()));
            let cached = workload == "cache";
            if cached {
                let warm = fresh(true);
                for (name, _) in &corpus.templates {
                    warm.get_template(name).expect("loads");
                }
            }
            for _ in 0..n {
                let env = fresh(cached);
                for (name, _) in &corpus.templates {
                    black_box(env.get_template(name).expect("loads"));
                }
            }
            let _ = std::fs::remove_dir_all(&cache_dir);
        }
        "stats" => {
            // Table sizes of the compiled corpus, for sizing and format decisions.
            let corpus = Corpus::load(&Corpus::default_location());
            let env = jinjac_engine::env(&[], ae);
            let (mut src, mut exprs, mut stmts, mut strings, mut data, mut lists, mut raw, mut side) =
                (0, 0, 0, 0, 0, 0, 0, 0);
            // What each part of the serialized program weighs: the size it drops by when
            // that part is emptied.
            let parts: [(&str, fn(&mut jinjac::compiler::Program)); 6] = [
                ("exprs", |q| q.exprs.clear()),
                ("stmts", |q| {
                    q.stmts.clear();
                    q.stmt_lists.clear();
                }),
                ("spans", |q| {
                    q.spans = Default::default();
                }),
                ("strings", |q| q.strings = Default::default()),
                ("data", |q| q.data.clear()),
                ("lists", |q| {
                    q.expr_lists.clear();
                    q.stmt_lists.clear();
                }),
            ];
            let mut weights = [0usize; 6];
            for (name, s) in &corpus.templates {
                let p = env.compile(s, name).expect("compiles");
                src += s.len();
                exprs += p.exprs.len();
                stmts += p.stmts.len();
                strings += p.strings.len();
                data += p.data.len();
                lists += p.expr_lists.len() + p.stmt_lists.len();
                side += p.args.len() + p.kwargs.len() + p.compares.len() + p.branches.len() + p.targets.len();
                let whole = p.to_bytes().expect("serializes").len();
                raw += whole;
                for (i, (_, clear)) in parts.iter().enumerate() {
                    let mut q = p.clone();
                    clear(&mut q);
                    weights[i] += whole - q.to_bytes().expect("serializes").len();
                }
            }
            for ((part, _), w) in parts.iter().zip(weights) {
                println!("{part} {w} bytes");
            }
            let buckets: usize =
                jinjac_engine::buckets(&env, &corpus.templates).iter().map(|(_, _, b)| b.len()).sum();
            println!(
                "source {src} exprs {exprs} stmts {stmts} strings {strings} data {data} lists {lists} side {side} raw {raw} buckets {buckets}"
            );
        }
        other => {
            eprintln!("unknown workload {other}");
            std::process::exit(2);
        }
    }
}
