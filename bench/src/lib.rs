//! Shared pieces of the jinjac benchmarks: the generated corpus, the big-table and teams
//! workloads with their contexts, and the setup of each engine (jinjac, minijinja, Tera) the way
//! its documentation recommends, so that `benches/compare.rs`, the output check and the
//! profiling driver all measure the same work.

use std::path::{Path, PathBuf};

use serde::Serialize;

/// The big-table template (the same file is read by `jinja2_bench.py`).
pub const BIG_TABLE: &str = include_str!("../templates/big_table.html");
/// The teams page.
pub const TEAMS: &str = include_str!("../templates/teams.html");

/// The big table's context.
#[derive(Serialize)]
pub struct BigTable {
    /// Rows of ints.
    pub table: Vec<Vec<usize>>,
}

/// A `size` x `size` table of ints, each row `0..size` (as Tera's and askama's benches have it).
pub fn big_table_context(size: usize) -> BigTable {
    let row: Vec<usize> = (0..size).collect();
    BigTable { table: vec![row; size] }
}

/// A team of the teams page.
#[derive(Serialize)]
pub struct Team {
    /// Name.
    pub name: &'static str,
    /// Score.
    pub score: u8,
}

/// The teams page's context.
#[derive(Serialize)]
pub struct Teams {
    /// The year.
    pub year: u16,
    /// Four teams, the champion first.
    pub teams: Vec<Team>,
}

/// The teams page's context: a year and four teams.
pub fn teams_context() -> Teams {
    let teams = [("Jiangsu", 43), ("Beijing", 27), ("Guangzhou", 22), ("Shandong", 12)]
        .map(|(name, score)| Team { name, score });
    Teams { year: 2015, teams: teams.into() }
}

/// Serializes a JSON value with plain numbers (i64/f64). jinjac turns on serde_json's
/// `arbitrary_precision`, and with it a `serde_json::Value` serializes numbers as a private
/// map, which minijinja and Tera would see as a map: they get the context through this.
pub struct PlainJson<'a>(pub &'a serde_json::Value);

impl Serialize for PlainJson<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        use serde_json::Value as J;
        match self.0 {
            J::Null => s.serialize_unit(),
            J::Bool(b) => s.serialize_bool(*b),
            J::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => s.serialize_i64(i),
                (None, Some(f)) => s.serialize_f64(f),
                (None, None) => s.serialize_str(&n.to_string()),
            },
            J::String(x) => s.serialize_str(x),
            J::Array(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    seq.serialize_element(&PlainJson(i))?;
                }
                seq.end()
            }
            J::Object(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m {
                    map.serialize_entry(k, &PlainJson(v))?;
                }
                map.end()
            }
        }
    }
}

/// The generated template tree and its context.
pub struct Corpus {
    /// Where it is.
    pub root: PathBuf,
    /// `(name, source)` of every template, sorted by name.
    pub templates: Vec<(String, String)>,
    /// The names of the pages (the templates that are rendered).
    pub pages: Vec<String>,
    /// The context every page renders with.
    pub context: serde_json::Value,
}

impl Corpus {
    /// The corpus at `$JINJAC_BENCH_CORPUS`, else `bench/corpus` (made by `run.sh` with
    /// `gen_corpus.py 1000`).
    pub fn default_location() -> PathBuf {
        match std::env::var_os("JINJAC_BENCH_CORPUS") {
            Some(p) => PathBuf::from(p),
            None => Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        }
    }

    /// Load a corpus; panics with a hint when it is missing (benchmark setup, not library code).
    pub fn load(root: &Path) -> Corpus {
        let tdir = root.join("templates");
        let mut templates = Vec::new();
        walk(&tdir, &tdir, &mut templates);
        assert!(
            !templates.is_empty(),
            "no corpus at {} (run `python3 gen_corpus.py 1000 {}` or bench/run.sh)",
            root.display(),
            root.display()
        );
        templates.sort();
        let pages = templates.iter().map(|(n, _)| n.clone()).filter(|n| n.starts_with("pages/")).collect();
        let ctx = std::fs::read_to_string(root.join("context.json")).expect("context.json");
        Corpus {
            root: root.to_path_buf(),
            templates,
            pages,
            context: serde_json::from_str(&ctx).expect("json"),
        }
    }

    /// Total source size in bytes.
    pub fn bytes(&self) -> usize {
        self.templates.iter().map(|(_, s)| s.len()).sum()
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(root, &p, out);
        } else if let Ok(src) = std::fs::read_to_string(&p) {
            let name = p.strip_prefix(root).unwrap_or(&p).to_string_lossy().replace('\\', "/");
            out.push((name, src));
        }
    }
}

/// jinjac environments.
pub mod jinjac_engine {
    use jinjac::loader::DictLoader;
    use jinjac::{AutoEscape, Environment};

    /// An environment with the corpus in a `DictLoader`.
    pub fn env(templates: &[(String, String)], autoescape: bool) -> Environment {
        let mut env = Environment::new();
        env.autoescape = AutoEscape::Bool(autoescape);
        env.set_loader(DictLoader::new(templates.iter().cloned()));
        env
    }

    /// A bucket per template, compiled by `env`: (name, source checksum, bucket bytes).
    pub fn buckets(env: &Environment, templates: &[(String, String)]) -> Vec<(String, [u8; 32], Vec<u8>)> {
        use jinjac::cache::bucket;
        let fingerprint = env.fingerprint();
        templates
            .iter()
            .map(|(name, src)| {
                let checksum = bucket::source_checksum(src);
                let program = env.compile(src, name).expect("compiles");
                let bytes = bucket::encode(&program, name, &fingerprint, &checksum).expect("encodes");
                (name.clone(), checksum, bytes)
            })
            .collect()
    }

    /// Decode every bucket of [`buckets`] as a load does (digest, header checks, zstd, program).
    pub fn decode_all(buckets: &[(String, [u8; 32], Vec<u8>)], fingerprint: &jinjac::cache::Fingerprint) {
        use jinjac::cache::bucket;
        for (name, checksum, bytes) in buckets {
            let expect = bucket::Expect { fingerprint, name: Some(name), source_checksum: Some(checksum) };
            std::hint::black_box(bucket::decode(bytes, &expect).expect("decodes"));
        }
    }

    /// Compile a template directory into `out` with `jinjac compile` (autoescape on, as
    /// [`fresh`]): the cache directory a deploy ships instead of the templates.
    pub fn precompile(templates_dir: &std::path::Path, out: &std::path::Path) {
        let config = out.with_extension("toml");
        std::fs::write(&config, "[environment]\nautoescape = true\n").expect("writes the config");
        let args: [&std::ffi::OsStr; 8] = [
            "jinjac".as_ref(),
            "compile".as_ref(),
            "--config".as_ref(),
            config.as_os_str(),
            templates_dir.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "-q".as_ref(),
        ];
        let exit = jinjac::cli::run(args).expect("jinjac compile runs");
        assert_eq!(exit, jinjac::cli::Exit::Ok, "jinjac compile {}", templates_dir.display());
        let _ = std::fs::remove_file(&config);
    }

    /// A fresh environment (autoescape on) serving templates from a directory written by
    /// [`precompile`] alone, with no sources: Jinja2's `ModuleLoader` use.
    pub fn precompiled(cache_dir: &std::path::Path) -> Environment {
        let mut env = Environment::new();
        env.autoescape = AutoEscape::Bool(true);
        env.set_loader(jinjac::loader::PrecompiledLoader::new(cache_dir));
        env
    }

    /// A fresh environment over a template directory (autoescape on), with a
    /// `FileSystemBytecodeCache` in `cache_dir` when given: what an application starts with.
    pub fn fresh(templates_dir: &std::path::Path, cache_dir: Option<&std::path::Path>) -> Environment {
        let mut env = Environment::new();
        env.autoescape = AutoEscape::Bool(true);
        env.set_loader(jinjac::loader::FileSystemLoader::new([templates_dir]));
        if let Some(dir) = cache_dir {
            env.set_bytecode_cache(jinjac::cache::FileSystemBytecodeCache::new(dir));
        }
        env
    }
}

/// minijinja environments (with minijinja-contrib's Python compatibility and extra filters, as
/// a Jinja2 user would set it up).
pub mod minijinja_engine {
    use minijinja::{AutoEscape, Environment};

    /// An empty environment.
    pub fn env(autoescape: bool) -> Environment<'static> {
        let mut env = Environment::new();
        minijinja_contrib::add_to_environment(&mut env);
        env.set_unknown_method_callback(minijinja_contrib::pycompat::unknown_method_callback);
        if autoescape {
            env.set_auto_escape_callback(|_| AutoEscape::Html);
        } else {
            env.set_auto_escape_callback(|_| AutoEscape::None);
        }
        env
    }

    /// An environment holding the corpus (compiled when added).
    pub fn corpus_env(templates: &[(String, String)], autoescape: bool) -> Environment<'static> {
        let mut e = env(autoescape);
        for (n, s) in templates {
            e.add_template_owned(n.clone(), s.clone()).expect("minijinja compiles the corpus");
        }
        e
    }
}

/// Tera instances (its newest major version; Tera's syntax differs from Jinja2's, so it runs
/// the big table and the teams page only).
pub mod tera_engine {
    /// A Tera with `templates`, named `*.html`.
    pub fn tera(templates: &[(&str, &str)], autoescape: bool) -> tera::Tera {
        let mut t = tera::Tera::new();
        if autoescape {
            t.autoescape_on(vec![".html"]);
        } else {
            t.autoescape_on(Vec::<&str>::new());
        }
        t.add_raw_templates(templates.iter().copied()).expect("tera compiles");
        t
    }
}
