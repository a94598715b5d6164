//! jinjac beside minijinja and Tera in one criterion run: compile throughput over the generated
//! corpus, loading serialized programs against compiling, and rendering the big table, the
//! teams page and every corpus page, autoescape off and on. `bench/run.sh` runs this and
//! `jinja2_bench.py` and prints the comparison table (`table.py`).
//!
//! Benchmark ids are `group/workload/engine`; `table.py` reads criterion's estimates by them.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use jinjac::compiler::Program;
use jinjac_bench::{
    big_table_context, jinjac_engine, minijinja_engine, teams_context, tera_engine, Corpus, BIG_TABLE, TEAMS,
};

fn corpus() -> Corpus {
    Corpus::load(&Corpus::default_location())
}

fn compile(c: &mut Criterion) {
    let corpus = corpus();
    let mut g = c.benchmark_group("compile");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(6));
    g.throughput(Throughput::Bytes(corpus.bytes() as u64));

    let env = jinjac_engine::env(&[], true);
    g.bench_function(BenchmarkId::new("corpus", "jinjac"), |b| {
        b.iter(|| {
            for (name, src) in &corpus.templates {
                black_box(env.compile(src, name).expect("jinjac compiles the corpus"));
            }
        })
    });
    g.bench_function(BenchmarkId::new("corpus", "minijinja"), |b| {
        b.iter(|| {
            let mut env = minijinja_engine::env(true);
            for (name, src) in &corpus.templates {
                env.add_template(name, src).expect("minijinja compiles the corpus");
            }
            black_box(env)
        })
    });

    // The two small templates every engine understands (Tera's syntax rejects the corpus).
    let small = [("big_table.html", BIG_TABLE), ("teams.html", TEAMS)];
    g.throughput(Throughput::Bytes((BIG_TABLE.len() + TEAMS.len()) as u64));
    g.bench_function(BenchmarkId::new("small", "jinjac"), |b| {
        b.iter(|| {
            for (name, src) in small {
                black_box(env.compile(src, name).expect("compiles"));
            }
        })
    });
    g.bench_function(BenchmarkId::new("small", "minijinja"), |b| {
        b.iter(|| {
            let mut env = minijinja_engine::env(true);
            for (name, src) in small {
                env.add_template(name, src).expect("compiles");
            }
            black_box(env)
        })
    });
    g.bench_function(BenchmarkId::new("small", "tera"), |b| {
        b.iter(|| black_box(tera_engine::tera(&small, true)))
    });
    g.finish();
}

fn load(c: &mut Criterion) {
    let corpus = corpus();
    let env = jinjac_engine::env(&[], true);
    let programs: Vec<Vec<u8>> = corpus
        .templates
        .iter()
        .map(|(n, s)| env.compile(s, n).and_then(|p| p.to_bytes()).expect("serializes"))
        .collect();
    let fingerprint = env.fingerprint();
    let buckets = jinjac_engine::buckets(&env, &corpus.templates);
    let mut g = c.benchmark_group("load");
    g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));
    g.throughput(Throughput::Bytes(corpus.bytes() as u64));
    g.bench_function(BenchmarkId::new("corpus", "jinjac_from_bytes"), |b| {
        b.iter(|| {
            for bytes in &programs {
                black_box(Program::from_bytes(bytes).expect("decodes"));
            }
        })
    });
    g.bench_function(BenchmarkId::new("corpus", "jinjac_bucket_decode"), |b| {
        b.iter(|| jinjac_engine::decode_all(&buckets, &fingerprint))
    });

    // End to end, as Jinja2's FileSystemBytecodeCache is measured: a fresh environment over
    // the template directory gets every template, from a warm cache directory or from source.
    let tdir = corpus.root.join("templates");
    let cache_dir = std::env::temp_dir().join(format!("jinjac-bench-cache-{}", std::process::id()));
    let fresh = |cached: bool| jinjac_engine::fresh(&tdir, cached.then_some(cache_dir.as_path()));
    let warm = fresh(true);
    for (name, _) in &corpus.templates {
        warm.get_template(name).expect("loads");
    }
    g.bench_function(BenchmarkId::new("corpus", "jinjac_bytecode_cache"), |b| {
        b.iter(|| {
            let env = fresh(true);
            for (name, _) in &corpus.templates {
                black_box(env.get_template(name).expect("loads"));
            }
        })
    });
    g.bench_function(BenchmarkId::new("corpus", "jinjac_from_source"), |b| {
        b.iter(|| {
            let env = fresh(false);
            for (name, _) in &corpus.templates {
                black_box(env.get_template(name).expect("loads"));
            }
        })
    });
    // Deploying the cache instead of the templates (Jinja2's `ModuleLoader`): a fresh
    // environment gets every template from a directory written by `jinjac compile`.
    let compiled_dir = std::env::temp_dir().join(format!("jinjac-bench-compiled-{}", std::process::id()));
    jinjac_engine::precompile(&tdir, &compiled_dir);
    g.bench_function(BenchmarkId::new("corpus", "jinjac_precompiled"), |b| {
        b.iter(|| {
            let env = jinjac_engine::precompiled(&compiled_dir);
            for (name, _) in &corpus.templates {
                black_box(env.get_template(name).expect("loads"));
            }
        })
    });
    let _ = std::fs::remove_dir_all(&compiled_dir);
    // Cold start of an application from a warm cache: a new environment renders every page
    // once (loading each page and what it extends, includes and imports on first use).
    let ctx = jinjac::Value::from_serialize(&corpus.context).expect("context");
    g.bench_function(BenchmarkId::new("corpus", "jinjac_cold_start"), |b| {
        b.iter(|| {
            let env = fresh(true);
            for name in &corpus.pages {
                let t = env.get_template(name).expect("loads");
                black_box(t.render_value(ctx.clone()).expect("renders"));
            }
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&cache_dir);
}

/// One render workload on every engine that runs it.
fn render_small<C: serde::Serialize>(c: &mut Criterion, id: &str, src: &str, ctx: C) {
    for ae in [false, true] {
        let group = format!("render_{}", if ae { "ae_on" } else { "ae_off" });
        let mut g = c.benchmark_group(&group);
        g.sample_size(30).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));

        let env = jinjac_engine::env(&[(format!("{id}.html"), src.to_string())], ae);
        let tmpl = env.get_template(&format!("{id}.html")).expect("jinjac template");
        let jctx = jinjac::Value::from_serialize(&ctx).expect("context");
        g.bench_function(BenchmarkId::new(id, "jinjac"), |b| {
            b.iter(|| black_box(tmpl.render_value(jctx.clone()).expect("renders")))
        });

        let mut menv = minijinja_engine::env(ae);
        menv.add_template("t.html", src).expect("minijinja template");
        let mt = menv.get_template("t.html").expect("minijinja template");
        let mctx = minijinja::Value::from(minijinja::value::Serde(&ctx));
        g.bench_function(BenchmarkId::new(id, "minijinja"), |b| {
            b.iter(|| black_box(mt.render(mctx.clone()).expect("renders")))
        });

        let tera = tera_engine::tera(&[("t.html", src)], ae);
        let tctx = tera::Context::from_serialize(&ctx).expect("context");
        g.bench_function(BenchmarkId::new(id, "tera"), |b| {
            b.iter(|| black_box(tera.render("t.html", &tctx).expect("renders")))
        });
        g.finish();
    }
}

fn render(c: &mut Criterion) {
    render_small(c, "big_table", BIG_TABLE, big_table_context(100));
    render_small(c, "teams", TEAMS, teams_context());

    let corpus = corpus();
    for ae in [false, true] {
        let group = format!("render_{}", if ae { "ae_on" } else { "ae_off" });
        let mut g = c.benchmark_group(&group);
        g.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(6));
        g.throughput(Throughput::Elements(corpus.pages.len() as u64));

        let env = jinjac_engine::env(&corpus.templates, ae);
        let jctx = jinjac::Value::from_serialize(&corpus.context).expect("context");
        let pages: Vec<_> = corpus.pages.iter().map(|n| env.get_template(n).expect("page")).collect();
        g.bench_function(BenchmarkId::new("corpus", "jinjac"), |b| {
            b.iter(|| {
                for t in &pages {
                    black_box(t.render_value(jctx.clone()).expect("renders"));
                }
            })
        });

        // minijinja cannot render most corpus pages as Jinja2 does (bench/run.sh prints how
        // many it renders, from check_corpus): both render the subset it can, as its own row.
        let menv = minijinja_engine::corpus_env(&corpus.templates, ae);
        let mctx = minijinja::Value::from(minijinja::value::Serde(jinjac_bench::PlainJson(&corpus.context)));
        let subset: Vec<&String> = corpus
            .pages
            .iter()
            .filter(|n| menv.get_template(n).and_then(|t| t.render(mctx.clone())).is_ok())
            .collect();
        let mpages: Vec<_> = subset.iter().map(|n| menv.get_template(n).expect("page")).collect();
        let jpages: Vec<_> = subset.iter().map(|n| env.get_template(n).expect("page")).collect();
        g.throughput(Throughput::Elements(subset.len() as u64));
        g.bench_function(BenchmarkId::new("corpus_minijinja_subset", "jinjac"), |b| {
            b.iter(|| {
                for t in &jpages {
                    black_box(t.render_value(jctx.clone()).expect("renders"));
                }
            })
        });
        g.bench_function(BenchmarkId::new("corpus_minijinja_subset", "minijinja"), |b| {
            b.iter(|| {
                for t in &mpages {
                    black_box(t.render(mctx.clone()).expect("renders"));
                }
            })
        });
        g.finish();
    }
}

criterion_group!(benches, compile, load, render);
criterion_main!(benches);
