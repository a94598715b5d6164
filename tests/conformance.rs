//! Conformance: renders every case of the project's own Jinja2-generated fixtures
//! (`fixtures/conformance/*.jsonl`) and of the shared external corpus
//! (`../shared/conformance/visible.jsonl`, when present) through the library, compares with
//! what Jinja2 3.1.6 produced, and prints passed/failed per area.
//!
//! Every case that does not pass must be listed, with its reason, in
//! `tests/conformance_known_failures.txt`; the test fails when an unlisted case fails or a listed
//! one starts passing. `CONFORMANCE_UPDATE=1 cargo test --test conformance` rewrites the list.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use jinjac::loader::DictLoader;
use jinjac::value::{from_json, UndefinedKind};
use jinjac::{AutoEscape, Environment};
use serde_json::Value as Json;

struct Case {
    id: String,
    area: String,
    json: Json,
}

fn load_cases(path: &Path) -> Vec<Case> {
    let Ok(text) = std::fs::read_to_string(path) else { return Vec::new() };
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| serde_json::from_str::<Json>(l).ok())
        .map(|json| Case {
            id: json["id"].as_str().unwrap_or("?").to_string(),
            area: json["area"].as_str().unwrap_or("?").to_string(),
            json,
        })
        .collect()
}

/// Run one case; `Ok(())` when it matches Jinja2, else a short reason.
fn run_case(case: &Json) -> Result<(), String> {
    let mut env = Environment::new();
    let opts = &case["options"];
    env.autoescape = AutoEscape::Bool(opts["autoescape"].as_bool().unwrap_or(false));
    env.syntax.trim_blocks = opts["trim_blocks"].as_bool().unwrap_or(false);
    env.syntax.lstrip_blocks = opts["lstrip_blocks"].as_bool().unwrap_or(false);
    env.syntax.keep_trailing_newline = opts["keep_trailing_newline"].as_bool().unwrap_or(false);
    env.undefined = UndefinedKind::parse(opts["undefined"].as_str().unwrap_or("default")).unwrap_or_default();
    if let Some(exts) = opts["extensions"].as_array() {
        for e in exts {
            env.add_extension(e.as_str().unwrap_or("")).map_err(|e| format!("extension: {e}"))?;
        }
    }
    let mut loader = DictLoader::default();
    if let Some(t) = case["templates"].as_object() {
        for (k, v) in t {
            loader.insert(k.clone(), v.as_str().unwrap_or(""));
        }
    }
    env.set_loader(loader);
    let entry = case["entry"].as_str().unwrap_or("main");
    let ctx = from_json(case["context"].clone());
    let result = env.get_template(entry).and_then(|t| t.render_value(ctx));
    let expect = &case["expect"];
    match (result, expect.get("output")) {
        (Ok(out), Some(want)) => {
            let want = want.as_str().unwrap_or("");
            if out == want {
                Ok(())
            } else {
                Err(format!("output differs: expected {:?} got {:?}", clip(want), clip(&out)))
            }
        }
        (Err(e), Some(_)) => Err(format!("unexpected error: {}: {}", e.kind(), clip(e.detail()))),
        (Ok(out), None) => {
            Err(format!("expected {}, rendered {:?}", expect["error"].as_str().unwrap_or("?"), clip(&out)))
        }
        (Err(e), None) => {
            let want = expect["error"].as_str().unwrap_or("?");
            if expect.get("python_error").is_some() || e.kind().name() == want {
                Ok(())
            } else {
                Err(format!("expected {} got {}: {}", want, e.kind(), clip(e.detail())))
            }
        }
    }
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(120).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out.replace('\t', " ")
}

/// Run a case on a worker thread so that a panic or a hang is reported, not fatal.
fn run_guarded(case: &Json) -> Result<(), String> {
    let (tx, rx) = mpsc::channel();
    let c = case.clone();
    std::thread::Builder::new()
        .stack_size(64 * 1024 * 1024)
        .spawn(move || {
            let r = std::panic::catch_unwind(|| run_case(&c)).unwrap_or_else(|_| Err("panic".to_string()));
            let _ = tx.send(r);
        })
        .map_err(|e| e.to_string())?;
    rx.recv_timeout(Duration::from_secs(20)).unwrap_or_else(|_| Err("timeout".to_string()))
}

fn known_failures_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance_known_failures.txt")
}

fn read_known() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(known_failures_path()).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| match l.split_once('\t') {
            Some((id, why)) => (id.to_string(), why.to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

#[test]
fn conformance() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sources: Vec<PathBuf> = Vec::new();
    if let Ok(rd) = std::fs::read_dir(root.join("fixtures/conformance")) {
        let mut files: Vec<PathBuf> =
            rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "jsonl")).collect();
        files.sort();
        sources.extend(files);
    }
    let shared = root.join("../shared/conformance/visible.jsonl");
    if shared.exists() {
        sources.push(shared);
    } else {
        println!("note: ../shared/conformance/visible.jsonl not present; running own fixtures only");
    }
    let mut per_area: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures: BTreeMap<String, String> = BTreeMap::new();
    let mut total = 0;
    for src in &sources {
        for case in load_cases(src) {
            total += 1;
            let r = run_guarded(&case.json);
            let e = per_area.entry(case.area.clone()).or_default();
            match r {
                Ok(()) => e.0 += 1,
                Err(why) => {
                    e.1 += 1;
                    failures.insert(case.id.clone(), why);
                }
            }
        }
    }
    println!("{:14} {:>6} {:>6} {:>7}", "area", "passed", "failed", "rate");
    for (area, (p, f)) in &per_area {
        println!("{:14} {:6} {:6} {:6.1}%", area, p, f, 100.0 * *p as f64 / (*p + *f).max(1) as f64);
    }
    let passed: usize = per_area.values().map(|v| v.0).sum();
    println!("TOTAL: {}/{} ({:.1}%)", passed, total, 100.0 * passed as f64 / total.max(1) as f64);

    if std::env::var_os("CONFORMANCE_UPDATE").is_some_and(|v| !v.is_empty()) {
        let mut text = String::from(
            "# Conformance cases that do not match Jinja2 3.1.6 yet: id<TAB>reason.\n\
             # Regenerate with CONFORMANCE_UPDATE=1 cargo test --test conformance.\n",
        );
        for (id, why) in &failures {
            text.push_str(&format!("{}\t{}\n", id, why.replace('\n', "\\n")));
        }
        std::fs::write(known_failures_path(), text).expect("write known failures");
        return;
    }
    let known = read_known();
    let unexpected: Vec<_> = failures.iter().filter(|(id, _)| !known.contains_key(*id)).collect();
    let fixed: Vec<_> = known.keys().filter(|id| !failures.contains_key(*id)).collect();
    // Cases of a corpus that is absent are not "fixed": only check ids that ran.
    let ran_ids: std::collections::BTreeSet<String> =
        sources.iter().flat_map(|s| load_cases(s)).map(|c| c.id).collect();
    let fixed: Vec<_> = fixed.into_iter().filter(|id| ran_ids.contains(*id)).collect();
    for (id, why) in &unexpected {
        println!("NEW FAILURE {}: {}", id, why);
    }
    for id in &fixed {
        println!("NOW PASSES (remove from known failures) {}", id);
    }
    assert!(
        unexpected.is_empty() && fixed.is_empty(),
        "{} new failures, {} known failures now pass",
        unexpected.len(),
        fixed.len()
    );
}
