//! Checks that jinjac renders every corpus page byte for byte as Python Jinja2 did (the outputs
//! `jinja2_bench.py --dump DIR` wrote), autoescape off and on, and reports how many pages
//! minijinja renders and how many of those match too.
//!
//! usage: check_corpus CORPUS_DIR DUMP_DIR   (exit status 1 when a jinjac page differs)

use std::path::PathBuf;

use jinjac_bench::{
    big_table_context, jinjac_engine, minijinja_engine, teams_context, tera_engine, Corpus, BIG_TABLE, TEAMS,
};

/// The big table and the teams page on every engine, compared with Jinja2's output.
fn check_small(dump: &str, ae: bool) -> bool {
    let tag = if ae { "on" } else { "off" };
    let mut ok = true;
    for (id, src, ctx) in [
        ("big_table", BIG_TABLE, serde_json::to_value(big_table_context(100)).expect("json")),
        ("teams", TEAMS, serde_json::to_value(teams_context()).expect("json")),
    ] {
        let want = std::fs::read_to_string(PathBuf::from(dump).join(format!("ae_{tag}/_small/{id}.html")))
            .expect("Jinja2 dump (run jinja2_bench.py --dump)");
        let env = jinjac_engine::env(&[("t.html".to_string(), src.to_string())], ae);
        let j = env.get_template("t.html").and_then(|t| t.render(&ctx)).map_err(|e| e.to_string());
        let mut menv = minijinja_engine::env(ae);
        menv.add_template("t.html", src).expect("minijinja template");
        let m = menv
            .get_template("t.html")
            .and_then(|t| {
                t.render(minijinja::Value::from(minijinja::value::Serde(jinjac_bench::PlainJson(&ctx))))
            })
            .map_err(|e| e.to_string());
        let tera = tera_engine::tera(&[("t.html", src)], ae);
        let t = tera::Context::from_serialize(&jinjac_bench::PlainJson(&ctx))
            .and_then(|c| tera.render("t.html", &c))
            .map_err(|e| e.to_string());
        let same = |r: &Result<String, String>| match r {
            Ok(s) if *s == want => "identical".to_string(),
            Ok(s) => format!("differs ({})", first_diff(&want, s)),
            Err(e) => format!("fails: {e}"),
        };
        println!("{id} (autoescape {tag}): jinjac {}; minijinja {}; tera {}", same(&j), same(&m), same(&t));
        ok &= matches!(&j, Ok(s) if *s == want);
    }
    ok
}

fn first_diff(a: &str, b: &str) -> String {
    let at = a.bytes().zip(b.bytes()).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let lo = at.saturating_sub(60);
    let clip = |s: &str| s.get(lo..(at + 60).min(s.len())).unwrap_or("").to_string();
    format!("at byte {at}: expected {:?}\n     got {:?}", clip(a), clip(b))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(corpus), Some(dump)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: check_corpus CORPUS_DIR DUMP_DIR");
        std::process::exit(2);
    };
    let corpus = Corpus::load(&PathBuf::from(corpus));
    let jctx = jinjac::Value::from_serialize(&corpus.context).expect("context");
    let mctx = minijinja::Value::from(minijinja::value::Serde(jinjac_bench::PlainJson(&corpus.context)));
    let mut failed = 0;
    for ae in [false, true] {
        if !check_small(dump, ae) {
            failed += 1;
        }
        let tag = if ae { "on" } else { "off" };
        let env = jinjac_engine::env(&corpus.templates, ae);
        let menv = minijinja_engine::corpus_env(&corpus.templates, ae);
        let (mut same, mut m_ok, mut m_same) = (0, 0, 0);
        let mut m_errors = std::collections::BTreeMap::<String, usize>::new();
        for name in &corpus.pages {
            let want = std::fs::read_to_string(PathBuf::from(dump).join(format!("ae_{tag}")).join(name))
                .expect("Jinja2 dump (run jinja2_bench.py --dump)");
            match env.get_template(name).and_then(|t| t.render_value(jctx.clone())) {
                Ok(got) if got == want => same += 1,
                Ok(got) => {
                    failed += 1;
                    if failed <= 5 {
                        eprintln!("jinjac differs on {name} (autoescape {tag}) {}", first_diff(&want, &got));
                    }
                }
                Err(e) => {
                    failed += 1;
                    if failed <= 5 {
                        eprintln!("jinjac fails on {name} (autoescape {tag}): {e:#}");
                    }
                }
            }
            match menv.get_template(name).and_then(|t| t.render(mctx.clone())) {
                Ok(got) => {
                    m_ok += 1;
                    if got == want {
                        m_same += 1;
                    }
                }
                Err(e) => *m_errors.entry(e.to_string().chars().take(100).collect()).or_default() += 1,
            }
        }
        let n = corpus.pages.len();
        println!("autoescape {tag}: jinjac {same}/{n} pages identical to Jinja2; minijinja renders {m_ok}/{n}, {m_same} identical");
        for (e, c) in m_errors.iter().take(5) {
            println!("  minijinja error x{c}: {e}");
        }
    }
    if failed > 0 {
        std::process::exit(1);
    }
}
