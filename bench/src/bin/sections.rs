//! Bytes per section of the corpus's serialized programs and of their buckets: for each part of
//! a program, how much the serialized program and the bucket shrink when that part is emptied
//! (what a load hashes and inflates for it), then a few counts that say how wide the id fields
//! are and how big the buckets. For choosing what to make smaller.
//!
//! usage: sections [ae_on|ae_off]

use jinjac::cache::bucket;
use jinjac::compiler::Program;
use jinjac_bench::{jinjac_engine, Corpus};

type Clear = fn(&mut Program);

fn main() {
    let ae = std::env::args().nth(1).as_deref() == Some("ae_on");
    let corpus = Corpus::load(&Corpus::default_location());
    let env = jinjac_engine::env(&[], ae);
    let fp = env.fingerprint();
    let parts: Vec<(&str, Clear)> = vec![
        ("name", |q| q.name.clear()),
        ("strings", |q| q.strings = Default::default()),
        ("data", |q| q.data.clear()),
        ("exprs", |q| q.exprs.clear()),
        ("spans", |q| q.spans = Default::default()),
        // The statement lists are rebuilt from the statements and the tables that own bodies:
        // they go with them (stored empty either way).
        ("stmts", |q| {
            q.stmts.clear();
            q.stmt_lists.clear();
        }),
        ("expr_lists", |q| q.expr_lists.clear()),
        ("stmt_lists", |q| q.stmt_lists.clear()),
        ("kwargs", |q| q.kwargs.clear()),
        ("compares", |q| q.compares.clear()),
        ("args", |q| q.args.clear()),
        ("targets", |q| q.targets.clear()),
        ("target_lists", |q| q.target_lists.clear()),
        ("branches", |q| {
            q.branches.clear();
            q.stmt_lists.clear();
        }),
        ("assigns", |q| q.assigns.clear()),
        ("imports", |q| q.imports.clear()),
        ("str_lists", |q| q.str_lists.clear()),
        ("params", |q| q.params.clear()),
        ("macros", |q| {
            q.macros.clear();
            q.stmt_lists.clear();
        }),
        ("loops", |q| {
            q.loops.clear();
            q.stmt_lists.clear();
        }),
        ("trans", |q| q.trans.clear()),
        ("blocks", |q| {
            q.blocks.clear();
            q.stmt_lists.clear();
        }),
        ("scope_missing", |q| q.scope_missing.clear()),
    ];
    let mut raw_w = vec![0usize; parts.len()];
    let mut zst_w = vec![0usize; parts.len()];
    let (mut raw, mut bk, mut blob, mut lens, mut nstr, mut nexpr, mut nstmt) = (0, 0, 0, 0, 0, 0, 0);
    let mut sizes = Vec::new();
    for (name, src) in &corpus.templates {
        let p = env.compile(src, name).expect("compiles");
        let sum = bucket::source_checksum(src);
        let whole = p.to_bytes().expect("serializes").len();
        let whole_b = bucket::encode(&p, name, &fp, &sum).expect("encodes").len();
        raw += whole;
        bk += whole_b;
        sizes.push(whole_b);
        nexpr += p.exprs.len();
        nstmt += p.stmts.len();
        for s in p.strings.iter() {
            blob += s.len();
            lens += if s.len() < 128 {
                1
            } else if s.len() < 16384 {
                2
            } else {
                3
            };
            nstr += 1;
        }
        for (i, (_, clear)) in parts.iter().enumerate() {
            let mut q = p.clone();
            clear(&mut q);
            raw_w[i] += whole - q.to_bytes().expect("serializes").len();
            zst_w[i] += whole_b - bucket::encode(&q, name, &fp, &sum).expect("encodes").len();
        }
    }
    println!("{:<14} {:>10} {:>6} {:>10} {:>6}", "part", "raw", "%", "bucket", "%");
    for (i, (part, _)) in parts.iter().enumerate() {
        println!(
            "{:<14} {:>10} {:>5.1}% {:>10} {:>5.1}%",
            part,
            raw_w[i],
            100.0 * raw_w[i] as f64 / raw as f64,
            zst_w[i],
            100.0 * zst_w[i] as f64 / bk as f64
        );
    }
    let rest_r = raw - raw_w.iter().sum::<usize>();
    let rest_b = bk - zst_w.iter().sum::<usize>();
    println!("{:<14} {:>10} {:>6} {:>10}", "rest/header", rest_r, "", rest_b);
    println!("total raw {raw} buckets {bk} ({} buckets)", corpus.templates.len());
    println!("strings: {nstr} strings, blob {blob} bytes, lengths {lens} bytes; exprs {nexpr} stmts {nstmt}");
    // Wide fields: entries of id tables and expression references of statements >= 128.
    let (mut sl, mut sl2, mut el, mut el2, mut se, mut se2, mut sld, mut args_n, mut args_wide) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0);
    for (name, src) in &corpus.templates {
        let p = env.compile(src, name).expect("compiles");
        sl += p.stmt_lists.len();
        sl2 += p.stmt_lists.iter().filter(|&&x| x >= 128).count();
        el += p.expr_lists.len();
        el2 += p.expr_lists.iter().filter(|&&x| x >= 128).count();
        args_n += p.args.len();
        args_wide += p.args.iter().filter(|a| a.args.start >= 128 || a.kwargs.start >= 128).count();
        // Entries of stmt_lists that differ from the one before by 128 or more.
        let mut prev = 0u32;
        for &x in &p.stmt_lists {
            if x.wrapping_sub(prev) >= 128 {
                sld += 1;
            }
            prev = x;
        }
        for s in &p.stmts {
            use jinjac::compiler::program::Stmt::*;
            let e = match *s {
                Emit(e) | Do(e) | Extends(e) | Set { value: e, .. } => Some(e),
                Include { template, .. } => Some(template),
                _ => None,
            };
            if let Some(e) = e {
                se += 1;
                if e >= 128 {
                    se2 += 1;
                }
            }
        }
    }
    println!("stmt_lists {sl} entries, {sl2} >= 128 ({sld} deltas from previous >= 128); expr_lists {el} entries, {el2} >= 128");
    println!("statement expr refs {se}, {se2} >= 128; args {args_n}, {args_wide} with a start >= 128");
    sizes.sort_unstable();
    let q = |f: f64| sizes[((sizes.len() - 1) as f64 * f) as usize];
    println!(
        "bucket sizes: min {} p25 {} median {} p75 {} p90 {} max {}",
        sizes[0],
        q(0.25),
        q(0.5),
        q(0.75),
        q(0.9),
        sizes[sizes.len() - 1]
    );
}
