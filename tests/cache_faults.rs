//! Fault injection on the bytecode cache: every flipped byte, every truncation, buckets
//! swapped between templates, foreign files, stale sources and every environment setting
//! changed. Each must be a miss followed by a correct render — never a wrong render, never a
//! panic — and a bounded property test throws arbitrary bytes at the decoder.

use std::path::{Path, PathBuf};

use jinjac::cache::bucket::{self, Expect, Miss};
use jinjac::cache::{cache_key, BytecodeCache, FileSystemBytecodeCache, Fingerprint};
use jinjac::loader::DictLoader;
use jinjac::value::UndefinedKind;
use jinjac::{AutoEscape, Environment};
use proptest::prelude::*;

const TEMPLATES: [(&str, &str); 3] = [
    ("base.html", "<html>{% block body %}{% endblock %}</html>\n"),
    (
        "page.html",
        "{% extends 'base.html' %}{% block body %}<p>{{ user }}</p>\n  {% for i in items %}{{ i }},{% endfor %}\n{% endblock %}",
    ),
    ("note.txt", "{# note #}{{ user }} & {{ items|join('-') }}\n  {% if items %}yes{% endif %}\n"),
];

fn ctx() -> serde_json::Value {
    serde_json::json!({"user": "<b>Ada</b>", "items": [1, 2, 3]})
}

type Tweak = fn(&mut Environment);

fn env_with(dir: Option<&Path>, tweak: Tweak, templates: &[(&str, &str)]) -> Environment {
    let mut env = Environment::new();
    env.autoescape = AutoEscape::html_default();
    tweak(&mut env);
    env.set_loader(DictLoader::new(templates.iter().copied()));
    if let Some(d) = dir {
        env.set_bytecode_cache(FileSystemBytecodeCache::new(d));
    }
    env
}

fn render(env: &Environment, name: &str) -> String {
    env.get_template(name).and_then(|t| t.render(ctx())).unwrap_or_else(|e| format!("ERROR {e}"))
}

fn stats(env: &Environment) -> (u64, u64) {
    let s = env.bytecode_cache().unwrap().stats();
    (s.hits, s.misses)
}

fn bucket_path(dir: &Path, name: &str) -> PathBuf {
    FileSystemBytecodeCache::new(dir).bucket_path(&cache_key(name))
}

fn no_tweak(_: &mut Environment) {}

/// Populate the cache with every template under `tweak`; returns the expected outputs.
fn populate(dir: &Path, tweak: Tweak) -> Vec<String> {
    let env = env_with(Some(dir), tweak, &TEMPLATES);
    let out: Vec<String> = TEMPLATES.iter().map(|(n, _)| render(&env, n)).collect();
    assert_eq!(env.bytecode_cache().unwrap().stats().writes, 3);
    out
}

#[test]
fn a_valid_cache_is_hit() {
    let dir = tempfile::tempdir().unwrap();
    let expected = populate(dir.path(), no_tweak);
    assert!(expected[1].contains("&lt;b&gt;Ada"), "{}", expected[1]);
    let env = env_with(Some(dir.path()), no_tweak, &TEMPLATES);
    let got: Vec<String> = TEMPLATES.iter().map(|(n, _)| render(&env, n)).collect();
    assert_eq!(got, expected);
    assert_eq!(stats(&env), (3, 0));
}

/// Spans stay encoded in a loaded program until an error needs one: the error of a template
/// loaded from its bucket names the same line and column as the one compiled from source, in
/// the template itself and through an include (whose trace line is read on the error path).
#[test]
fn errors_from_loaded_programs_name_the_same_position() {
    let templates = [
        ("bad.html", "a\n{% for i in items %}\n  {{ i + none }}\n{% endfor %}\n"),
        ("outer.html", "x\n\n{% include 'bad.html' %}"),
    ];
    let dir = tempfile::tempdir().unwrap();
    let fail = |env: &Environment, name: &str| {
        let e = env.get_template(name).and_then(|t| t.render(ctx())).unwrap_err();
        (e.line(), e.column(), e.trace().to_vec())
    };
    let fresh = env_with(Some(dir.path()), no_tweak, &templates);
    let compiled = (fail(&fresh, "bad.html"), fail(&fresh, "outer.html"));
    assert_eq!(stats(&fresh), (0, 2));
    let warm = env_with(Some(dir.path()), no_tweak, &templates);
    let loaded = (fail(&warm, "bad.html"), fail(&warm, "outer.html"));
    assert_eq!(stats(&warm), (2, 0), "both programs come from buckets");
    assert_eq!(loaded, compiled);
    assert_eq!((compiled.0 .0, compiled.0 .1), (Some(3), Some(6)));
    assert_eq!(compiled.1 .2, vec![("outer.html".to_string(), 3)], "the include's line");
}

/// A template with many nodes has its span table compressed in the bucket: an error from the
/// loaded program still names the line and column the compiled one does, for an expression
/// and (an include's trace line) for a statement.
#[test]
fn errors_from_large_loaded_programs_name_the_same_position() {
    let mut lines = String::new();
    for i in 0..300 {
        lines.push_str(&format!("<p>{{{{ items[{i}] ~ '-' ~ items|length }}}}</p>\n"));
    }
    let big = format!("{lines}{{% for i in items %}}\n  {{{{ i + none }}}}\n{{% endfor %}}\n");
    let outer = format!("{lines}\n{{% include 'bad.html' %}}");
    let templates =
        [("big.html", big.as_str()), ("outer.html", outer.as_str()), ("bad.html", "x\n{{ 1 + none }}")];
    let dir = tempfile::tempdir().unwrap();
    let fail = |env: &Environment, name: &str| {
        let e = env.get_template(name).and_then(|t| t.render(ctx())).unwrap_err();
        (e.line(), e.column(), e.trace().to_vec())
    };
    let fresh = env_with(Some(dir.path()), no_tweak, &templates);
    let compiled = (fail(&fresh, "big.html"), fail(&fresh, "outer.html"));
    let warm = env_with(Some(dir.path()), no_tweak, &templates);
    let loaded = (fail(&warm, "big.html"), fail(&warm, "outer.html"));
    assert_eq!(stats(&warm), (3, 0), "the programs come from their buckets");
    assert_eq!(loaded, compiled);
    assert_eq!((compiled.0 .0, compiled.0 .1), (Some(302), Some(6)));
    assert_eq!(compiled.1 .2, vec![("outer.html".to_string(), 302)], "the include's line");
}

#[test]
fn every_flipped_byte_is_a_miss_and_a_correct_render() {
    let dir = tempfile::tempdir().unwrap();
    let expected = populate(dir.path(), no_tweak);
    let path = bucket_path(dir.path(), "note.txt");
    let good = std::fs::read(&path).unwrap();
    let fp = Fingerprint::of(&env_with(None, no_tweak, &TEMPLATES));
    let sum = bucket::source_checksum(TEMPLATES[2].1);
    let expect = Expect { fingerprint: &fp, name: Some("note.txt"), source_checksum: Some(&sum) };
    assert!(bucket::decode(&good, &expect).is_ok());
    for i in 0..good.len() {
        for mask in [0x01u8, 0x80] {
            let mut bad = good.clone();
            bad[i] ^= mask;
            let miss = bucket::decode(&bad, &expect).unwrap_err();
            let region_ok = match i {
                0..=7 => miss == Miss::Foreign,
                8..=9 => matches!(miss, Miss::FormatVersion(_)),
                _ => !matches!(miss, Miss::Foreign | Miss::FormatVersion(_)),
            };
            assert!(region_ok, "byte {i}: {miss:?}");
            std::fs::write(&path, &bad).unwrap();
            let env = env_with(Some(dir.path()), no_tweak, &TEMPLATES);
            assert_eq!(render(&env, "note.txt"), expected[2], "byte {i}");
            assert_eq!(stats(&env), (0, 1), "byte {i}");
        }
    }
}

#[test]
fn every_truncation_is_a_miss_and_a_correct_render() {
    let dir = tempfile::tempdir().unwrap();
    let expected = populate(dir.path(), no_tweak);
    let path = bucket_path(dir.path(), "page.html");
    let good = std::fs::read(&path).unwrap();
    for len in 0..good.len() {
        std::fs::write(&path, &good[..len]).unwrap();
        let env = env_with(Some(dir.path()), no_tweak, &TEMPLATES);
        assert_eq!(render(&env, "page.html"), expected[1], "length {len}");
        let (hits, misses) = stats(&env);
        assert_eq!((hits, misses), (1, 1), "length {len}: base.html hits, page.html misses");
    }
    // Trailing garbage too.
    let mut longer = good.clone();
    longer.extend_from_slice(b"junk");
    std::fs::write(&path, &longer).unwrap();
    let env = env_with(Some(dir.path()), no_tweak, &TEMPLATES);
    assert_eq!(render(&env, "page.html"), expected[1]);
    assert_eq!(stats(&env), (1, 1));
}

#[test]
fn swapped_and_foreign_buckets_are_misses() {
    let dir = tempfile::tempdir().unwrap();
    let expected = populate(dir.path(), no_tweak);
    let (page, note) = (bucket_path(dir.path(), "page.html"), bucket_path(dir.path(), "note.txt"));
    std::fs::copy(&page, &note).unwrap();
    let env = env_with(Some(dir.path()), no_tweak, &TEMPLATES);
    assert_eq!(render(&env, "note.txt"), expected[2]);
    assert_eq!(stats(&env), (0, 1));

    for junk in [&b""[..], b"JINJACBK", b"#!/bin/sh\necho hi\n", &[0u8; 4096][..]] {
        std::fs::write(&note, junk).unwrap();
        let env = env_with(Some(dir.path()), no_tweak, &TEMPLATES);
        assert_eq!(render(&env, "note.txt"), expected[2]);
        assert_eq!(stats(&env), (0, 1));
    }

    // A directory where the bucket should be: a miss, a failed write, a correct render.
    std::fs::remove_file(&note).unwrap();
    std::fs::create_dir(&note).unwrap();
    let env = env_with(Some(dir.path()), no_tweak, &TEMPLATES);
    assert_eq!(render(&env, "note.txt"), expected[2]);
    let s = env.bytecode_cache().unwrap().stats();
    assert_eq!((s.hits, s.misses, s.write_errors), (0, 1, 1));
    assert!(env.bytecode_cache().unwrap().take_warning().is_some());
}

#[test]
fn a_stale_source_is_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    populate(dir.path(), no_tweak);
    let mut changed = TEMPLATES;
    changed[2].1 = "changed {{ user }}";
    let env = env_with(Some(dir.path()), no_tweak, &changed);
    assert_eq!(render(&env, "note.txt"), "changed <b>Ada</b>");
    assert_eq!(stats(&env), (0, 1));
}

/// Every setting that changes compiled output, changed one at a time.
const TWEAKS: [(&str, Tweak); 17] = [
    ("trim_blocks", |e| e.syntax.trim_blocks = true),
    ("lstrip_blocks", |e| e.syntax.lstrip_blocks = true),
    ("keep_trailing_newline", |e| e.syntax.keep_trailing_newline = true),
    ("newline_sequence", |e| e.syntax.newline_sequence = "\r\n".into()),
    ("block delimiters", |e| {
        e.syntax.block_start = "<%".into();
        e.syntax.block_end = "%>".into();
    }),
    ("variable delimiters", |e| {
        e.syntax.variable_start = "${".into();
        e.syntax.variable_end = "}".into();
    }),
    ("comment delimiters", |e| {
        e.syntax.comment_start = "<#".into();
        e.syntax.comment_end = "#>".into();
    }),
    ("line_statement_prefix", |e| e.syntax.line_statement_prefix = Some("%%".into())),
    ("line_comment_prefix", |e| e.syntax.line_comment_prefix = Some("##".into())),
    ("extension do", |e| e.add_extension("do").unwrap()),
    ("extension loopcontrols", |e| e.add_extension("loopcontrols").unwrap()),
    ("autoescape on", |e| e.autoescape = AutoEscape::Bool(true)),
    ("autoescape off", |e| e.autoescape = AutoEscape::Bool(false)),
    ("autoescape txt", |e| e.autoescape = AutoEscape::Extensions(vec!["txt".into()])),
    ("undefined strict", |e| e.undefined = UndefinedKind::Strict),
    ("undefined chainable", |e| e.undefined = UndefinedKind::Chainable),
    ("undefined debug", |e| e.undefined = UndefinedKind::Debug),
];

#[test]
fn every_setting_change_is_a_miss_and_renders_as_uncached() {
    let dir = tempfile::tempdir().unwrap();
    for (label, tweak) in TWEAKS {
        FileSystemBytecodeCache::new(dir.path()).clear().unwrap();
        populate(dir.path(), no_tweak);
        let reference = env_with(None, tweak, &TEMPLATES);
        let env = env_with(Some(dir.path()), tweak, &TEMPLATES);
        for (name, _) in TEMPLATES {
            assert_eq!(render(&env, name), render(&reference, name), "{label}: {name}");
        }
        assert_eq!(stats(&env).0, 0, "{label}: no bucket of other settings may be used");
        // And back: the base settings do not use the tweaked buckets either.
        let base = env_with(Some(dir.path()), no_tweak, &TEMPLATES);
        let base_ref = env_with(None, no_tweak, &TEMPLATES);
        for (name, _) in TEMPLATES {
            assert_eq!(render(&base, name), render(&base_ref, name), "{label} (back): {name}");
        }
        assert_eq!(stats(&base).0, 0, "{label} (back)");
    }
}

fn valid_bucket() -> (Vec<u8>, Fingerprint, [u8; 32]) {
    let env = env_with(None, no_tweak, &TEMPLATES);
    let program = env.compile(TEMPLATES[1].1, "page.html").unwrap();
    let fp = Fingerprint::of(&env);
    let sum = bucket::source_checksum(TEMPLATES[1].1);
    (bucket::encode(&program, "page.html", &fp, &sum).unwrap(), fp, sum)
}

/// Recompute the trailing digest so that mutations reach the deeper checks.
fn reseal(bytes: &mut [u8]) {
    if bytes.len() >= 32 {
        let n = bytes.len() - 32;
        let d = blake3::hash(&bytes[..n]);
        bytes[n..].copy_from_slice(d.as_bytes());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn decoder_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let fp = Fingerprint([0; 32]);
        let e = Expect { fingerprint: &fp, name: None, source_checksum: None };
        let _ = bucket::decode(&bytes, &e);
        let mut with_magic = bucket::MAGIC.to_vec();
        with_magic.extend_from_slice(&1u16.to_le_bytes());
        with_magic.extend_from_slice(&bytes);
        reseal(&mut with_magic);
        let _ = bucket::decode(&with_magic, &e);
    }

    #[test]
    fn mutated_buckets_are_rejected_or_identical(edits in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..8)) {
        let (good, fp, sum) = valid_bucket();
        let e = Expect { fingerprint: &fp, name: Some("page.html"), source_checksum: Some(&sum) };
        let program = bucket::decode(&good, &e).unwrap();
        let mut bad = good.clone();
        for (i, x) in &edits {
            let i = i.index(bad.len());
            bad[i] ^= x;
        }
        match bucket::decode(&bad, &e) {
            Ok(p) => prop_assert!(bad == good && p == program),
            Err(_) => prop_assert!(bad != good),
        }
    }

    /// Even with a correct digest (a deliberate forgery), a mangled payload or length is an
    /// error, not a panic.
    #[test]
    fn resealed_mutations_never_panic(edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6)) {
        let (good, fp, sum) = valid_bucket();
        let e = Expect { fingerprint: &fp, name: Some("page.html"), source_checksum: Some(&sum) };
        let mut bad = good.clone();
        let body = bad.len() - 32;
        for (i, x) in &edits {
            let i = i.index(body);
            bad[i] ^= x;
        }
        reseal(&mut bad);
        let _ = bucket::decode(&bad, &e);
    }

    #[test]
    fn truncated_or_extended_buckets_are_rejected(cut in 0usize..2000, extra in proptest::collection::vec(any::<u8>(), 1..16)) {
        let (good, fp, sum) = valid_bucket();
        let e = Expect { fingerprint: &fp, name: Some("page.html"), source_checksum: Some(&sum) };
        let cut = cut % good.len();
        prop_assert!(bucket::decode(&good[..cut], &e).is_err());
        let mut longer = good.clone();
        longer.extend_from_slice(&extra);
        prop_assert!(bucket::decode(&longer, &e).is_err());
    }
}

#[test]
fn the_cache_trait_mirrors_jinja2() {
    let dir = tempfile::tempdir().unwrap();
    let cache = FileSystemBytecodeCache::new(dir.path());
    let env = env_with(None, no_tweak, &TEMPLATES);
    assert_eq!(cache.get_cache_key("page.html"), cache_key("page.html"));
    assert_eq!(cache.get_source_checksum("x"), bucket::source_checksum("x"));
    let mut b = cache.get_bucket(&env, "page.html", TEMPLATES[1].1);
    assert!(b.code.is_none());
    b.code = Some(std::sync::Arc::new(env.compile(TEMPLATES[1].1, "page.html").unwrap()));
    cache.set_bucket(&b).unwrap();
    let again = cache.get_bucket(&env, "page.html", TEMPLATES[1].1);
    assert_eq!(again.code, b.code);
    let bytes = again.bytecode_to_string().unwrap();
    let mut c = cache.get_bucket(&env, "page.html", "other source");
    assert!(!c.bytecode_from_string(&bytes));
    cache.clear().unwrap();
    assert!(cache.get_bucket(&env, "page.html", TEMPLATES[1].1).code.is_none());
    let s = cache.stats();
    assert_eq!((s.hits, s.misses, s.writes), (1, 3, 1));
    assert!((s.hit_ratio() - 0.25).abs() < 1e-9);
}

/// Programs nested as deep as the parser allows encode and decode on a thread with a small
/// stack (2 MiB, the default for spawned threads): serde's recursion gets room.
#[test]
fn deep_programs_on_small_stacks() {
    let sources = [
        format!("{{{{ {}1{} }}}}", "(".repeat(240), ")".repeat(240)),
        format!("{{{{ {}1 }}}}", "-".repeat(490)),
        format!("{}x{}", "{% if true %}".repeat(240), "{% endif %}".repeat(240)),
    ];
    let mut compiled = 0;
    for s in sources {
        let env = Environment::new();
        let Ok(p) = env.compile(&s, "d.html") else { continue };
        compiled += 1;
        let fp = Fingerprint::of(&env);
        let sum = bucket::source_checksum(&s);
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let b = bucket::encode(&p, "d.html", &fp, &sum).unwrap();
                let e = Expect { fingerprint: &fp, name: Some("d.html"), source_checksum: Some(&sum) };
                assert_eq!(bucket::decode(&b, &e).unwrap(), p);
            })
            .unwrap()
            .join()
            .unwrap();
    }
    assert!(compiled >= 2, "the deep sources must compile for this test to mean anything");
}

/// Serves fixed programs (as a precompiled loader would) and sources for everything else.
struct ProgramLoader {
    programs: Vec<(String, std::sync::Arc<jinjac::compiler::Program>)>,
}

impl jinjac::loader::Loader for ProgramLoader {
    fn get_source(&self, name: &str) -> jinjac::Result<Option<jinjac::loader::Source>> {
        DictLoader::new(FORGED_TEMPLATES.iter().copied()).get_source(name)
    }
    fn load(&self, name: &str, fp: &Fingerprint) -> jinjac::Result<Option<jinjac::loader::Loaded>> {
        match self.programs.iter().find(|(n, _)| n == name) {
            Some((_, p)) => Ok(Some(jinjac::loader::Loaded::Compiled { program: p.clone(), uptodate: None })),
            None => {
                let _ = fp;
                Ok(self.get_source(name)?.map(jinjac::loader::Loaded::Source))
            }
        }
    }
}

const FORGED_TEMPLATES: [(&str, &str); 2] = [
    ("base.html", "<html>{% block body %}{% endblock %}</html>\n"),
    (
        "page.html",
        "{% extends 'base.html' %}{% import 'base.html' as b %}\
         {% macro m(x, y=2) %}[{{ x ~ y }}{{ caller() if caller }}]{% endmacro %}\
         {% block body %}{% set ns = namespace(n=0) %}\
         {% for i in items if i is odd %}{{ loop.index }}:{{ i * 2 }}{% set ns.n = ns.n + i %}{% else %}none{% endfor %}\
         {% call m(user|upper, y=items|length) %}c{% endcall %}{{ {'a': [1, 2][0:1]}['a'] }}\
         {% with z = ns.n %}{{ z if z > 1 else 'small' }}{% endwith %}{% filter lower %}AB{% endfilter %}\
         {{ user is defined and not false }} {{ 'x' in user }} {{ -3 // 2 }}{% endblock %}",
    ),
];

/// Every byte of a serialized program flipped (three ways) and decoded: a malformed program is
/// an error; one that still validates renders or fails cleanly. Never a panic, never a hang:
/// validation guarantees indices in range and children before parents.
#[test]
fn mutated_programs_never_panic_when_decoded_or_rendered() {
    let env = env_with(None, no_tweak, &FORGED_TEMPLATES);
    let program = env.compile(FORGED_TEMPLATES[1].1, "page.html").unwrap();
    let good = program.to_bytes().unwrap();
    let expected = render(&env, "page.html");
    assert!(!expected.starts_with("ERROR"), "{expected}");
    let (mut decoded, mut rendered) = (0, 0);
    for i in 0..good.len() {
        for x in [0x01u8, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[i] ^= x;
            let Ok(p) = jinjac::compiler::Program::from_bytes(&bad) else { continue };
            decoded += 1;
            let mut e = Environment::new();
            e.autoescape = AutoEscape::html_default();
            e.set_loader(ProgramLoader { programs: vec![("page.html".into(), std::sync::Arc::new(p))] });
            let out = render(&e, "page.html");
            if !out.starts_with("ERROR") {
                rendered += 1;
            }
        }
    }
    eprintln!("decoded {decoded}, rendered {rendered} of {}", good.len() * 3);
    // The layout leaves room for harmless changes (a span, a string's bytes, an operator):
    // some mutations must survive validation, so that rendering them was exercised at all.
    assert!(decoded > 0 && rendered > 0, "decoded {decoded}, rendered {rendered} of {}", good.len() * 3);
}

/// A forged program whose expression tree is far taller than the parser allows (the decoder
/// checks that children come before parents, not how tall a tree is) loads, and renders or
/// fails cleanly on a thread with a small stack: the renderer grows its own stack.
#[test]
fn forged_deep_programs_render_on_a_small_stack() {
    use jinjac::compiler::program::{Expr, Spans, Stmt};
    let env = Environment::new();
    let mut p = env.compile("{{ y.a }}", "deep.html").unwrap();
    let (name, attr) = match p.exprs.as_slice() {
        [Expr::Name(y), Expr::GetAttr(0, a)] => (*y, *a),
        other => panic!("unexpected layout {other:?}"),
    };
    let n: u32 = 100_000;
    p.exprs = std::iter::once(Expr::Name(name)).chain((1..n).map(|i| Expr::GetAttr(i - 1, attr))).collect();
    for s in &mut p.stmts {
        if let Stmt::Emit(e) = s {
            *e = n - 1;
        }
    }
    let stmt_spans = vec![Default::default(); p.stmts.len()];
    p.spans = Spans::from_vecs(vec![Default::default(); n as usize], stmt_spans);
    let bytes = p.to_bytes().unwrap();
    let p = jinjac::compiler::Program::from_bytes(&bytes).expect("a deep program is well-formed");
    let out = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || {
            let mut e = Environment::new();
            e.set_loader(ProgramLoader { programs: vec![("deep.html".into(), std::sync::Arc::new(p))] });
            e.get_template("deep.html")
                .and_then(|t| t.render(serde_json::json!({"y": [1]})))
                .map_err(|e| e.kind())
        })
        .unwrap()
        .join()
        .expect("no stack overflow");
    // `y.a` is undefined, and the attribute of that an UndefinedError.
    assert_eq!(out, Err(jinjac::ErrorKind::UndefinedError));
}
