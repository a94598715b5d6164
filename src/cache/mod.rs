//! Bytecode caches: compiled templates stored as checksummed bucket files so that a template
//! is parsed and compiled once, not on every start. Mirrors Jinja2's `jinja2.bccache`:
//! a [`BytecodeCache`] hands out [`Bucket`]s keyed by template name and filled from storage;
//! the environment compiles on a miss and gives the bucket back to be stored.
//!
//! ```
//! use jinjac::{Environment, cache::FileSystemBytecodeCache, loader::DictLoader};
//! let dir = tempfile::tempdir().unwrap();
//! let mut env = Environment::new();
//! env.set_loader(DictLoader::new([("a.txt", "Hi {{ x }}")]));
//! env.set_bytecode_cache(FileSystemBytecodeCache::new(dir.path()));
//! env.get_template("a.txt").unwrap();  // compiled, bucket written
//! ```
//!
//! The bucket layout is documented in [`bucket`]; the directory layout (one bucket per
//! template plus an index) in [`fs`] and [`index`].

pub mod bucket;
pub mod fingerprint;
pub mod fs;
pub mod index;
pub mod lru;
pub mod stats;

use std::io::{Read, Write};
use std::sync::Arc;

use crate::compiler::Program;
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};

pub use bucket::Miss;
pub use fingerprint::{EnvSettings, Fingerprint};
pub use fs::FileSystemBytecodeCache;
pub use index::Index;
pub use stats::{CacheStats, StatsSnapshot};

/// One template's slot in a cache: its key, the checksum of the current source, the
/// environment fingerprint and, after a hit, the program.
#[derive(Debug, Clone)]
pub struct Bucket {
    /// The template name.
    pub name: String,
    /// The cache key ([`cache_key`] of the name).
    pub key: String,
    /// blake3 of the current source.
    pub checksum: [u8; 32],
    /// The environment's fingerprint.
    pub fingerprint: Fingerprint,
    /// The program, when loaded or compiled.
    pub code: Option<Arc<Program>>,
    /// Why the last load did not produce a program, if it did not.
    pub miss: Option<Miss>,
}

impl Bucket {
    /// An empty bucket for template `name` whose current source has `checksum`.
    pub fn new(env: &Environment, key: String, name: &str, checksum: [u8; 32]) -> Bucket {
        Bucket {
            name: name.to_string(),
            key,
            checksum,
            fingerprint: Fingerprint::of(env),
            code: None,
            miss: None,
        }
    }

    /// Forget the program.
    pub fn reset(&mut self) {
        self.code = None;
    }

    /// Fill from bucket bytes; on any mismatch the bucket stays empty and `miss` says why.
    /// Returns whether a program was loaded.
    pub fn bytecode_from_string(&mut self, bytes: &[u8]) -> bool {
        self.reset();
        let expect = bucket::Expect {
            fingerprint: &self.fingerprint,
            name: Some(&self.name),
            source_checksum: Some(&self.checksum),
        };
        match bucket::decode(bytes, &expect) {
            Ok(p) => {
                self.code = Some(Arc::new(p));
                self.miss = None;
                true
            }
            Err(m) => {
                self.miss = Some(m);
                false
            }
        }
    }

    /// Fill from a reader (at most a bucket's maximum size is read).
    pub fn load_bytecode<R: Read>(&mut self, r: R) -> Result<bool> {
        let mut bytes = Vec::new();
        r.take(bucket::MAX_PROGRAM_LEN + bucket::MAX_NAME_LEN as u64 + 4096).read_to_end(&mut bytes)?;
        Ok(self.bytecode_from_string(&bytes))
    }

    /// The bucket's bytes; an error when it holds no program.
    pub fn bytecode_to_string(&self) -> Result<Vec<u8>> {
        let Some(code) = &self.code else {
            return Err(Error::new(
                ErrorKind::BadBytecode,
                format!("bucket for '{}' holds no program", self.name),
            ));
        };
        bucket::encode(code, &self.name, &self.fingerprint, &self.checksum)
    }

    /// Write the bucket's bytes.
    pub fn write_bytecode<W: Write>(&self, mut w: W) -> Result<()> {
        w.write_all(&self.bytecode_to_string()?)?;
        Ok(())
    }
}

/// The cache key of a template: the blake3 hex digest of its name. Independent of where the
/// source lives, so that a cache compiled on one machine serves on another.
pub fn cache_key(name: &str) -> String {
    blake3::hash(name.as_bytes()).to_hex().as_str().to_owned()
}

/// Storage for buckets (Jinja2's `BytecodeCache`). Implementations must be safe to share
/// between threads and processes: a reader sees a whole bucket or none.
pub trait BytecodeCache: Send + Sync {
    /// Fill `bucket` from storage if a matching bucket is stored; leave it empty otherwise.
    fn load_bytecode(&self, bucket: &mut Bucket);

    /// Store `bucket`. Errors are also counted in the statistics.
    fn dump_bytecode(&self, bucket: &Bucket) -> Result<()>;

    /// Remove every stored bucket.
    fn clear(&self) -> Result<()>;

    /// The key for template `name`.
    fn get_cache_key(&self, name: &str) -> String {
        cache_key(name)
    }

    /// The checksum of a source.
    fn get_source_checksum(&self, source: &str) -> [u8; 32] {
        bucket::source_checksum(source)
    }

    /// A bucket for `name` with the current `source`, filled when storage has a match.
    fn get_bucket(&self, env: &Environment, name: &str, source: &str) -> Bucket {
        let key = self.get_cache_key(name);
        let checksum = self.get_source_checksum(source);
        let mut bucket = Bucket::new(env, key, name, checksum);
        self.load_bytecode(&mut bucket);
        bucket
    }

    /// Store a bucket (after a compile).
    fn set_bucket(&self, bucket: &Bucket) -> Result<()> {
        self.dump_bytecode(bucket)
    }

    /// The counters now.
    fn stats(&self) -> StatsSnapshot {
        StatsSnapshot::default()
    }

    /// The first storage failure, returned once, for the application to report.
    fn take_warning(&self) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_round_trip_through_strings() {
        let env = Environment::new();
        let mut p = Program::empty();
        p.name = "a".into();
        let mut b = Bucket::new(&env, cache_key("a"), "a", bucket::source_checksum("x"));
        assert!(b.bytecode_to_string().is_err());
        b.code = Some(Arc::new(p.clone()));
        let bytes = b.bytecode_to_string().unwrap();
        let mut c = Bucket::new(&env, cache_key("a"), "a", bucket::source_checksum("x"));
        assert!(c.load_bytecode(&bytes[..]).unwrap());
        assert_eq!(c.code.as_deref(), Some(&p));
        let mut stale = Bucket::new(&env, cache_key("a"), "a", bucket::source_checksum("y"));
        assert!(!stale.bytecode_from_string(&bytes));
        assert_eq!(stale.miss, Some(Miss::SourceChecksum));
    }

    fn counting_env(calls: Arc<std::sync::atomic::AtomicUsize>, dir: &std::path::Path) -> Environment {
        let dir = dir.to_path_buf();
        let mut env = Environment::new();
        env.set_loader(crate::loader::FunctionLoader::new(move |name| {
            calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            crate::loader::FileSystemLoader::new([&dir]).get_source(name)
        }));
        env
    }

    use crate::loader::Loader as _;

    #[test]
    fn auto_reload_and_cache_size() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("a.txt");
        std::fs::write(&f, "one").unwrap();
        let calls = Arc::new(AtomicUsize::new(0));
        let mut env = counting_env(calls.clone(), d.path());
        let render = |env: &Environment| env.get_template("a.txt").unwrap().render(()).unwrap();
        assert_eq!(render(&env), "one");
        assert_eq!(render(&env), "one");
        assert_eq!(calls.load(Ordering::SeqCst), 1, "cached in memory");
        std::fs::write(&f, "two").unwrap();
        let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
        std::fs::File::options().write(true).open(&f).unwrap().set_modified(later).unwrap();
        assert_eq!(render(&env), "two", "auto_reload notices the change");
        env.set_auto_reload(false);
        std::fs::write(&f, "three").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(later + std::time::Duration::from_secs(5))
            .unwrap();
        assert_eq!(render(&env), "two", "no reload without auto_reload");
        env.set_cache_size(0);
        let before = calls.load(Ordering::SeqCst);
        assert_eq!(render(&env), "three");
        assert_eq!(render(&env), "three");
        assert_eq!(calls.load(Ordering::SeqCst), before + 2, "cache_size 0 loads every time");
    }

    #[test]
    fn key_is_blake3_hex_of_name() {
        assert_eq!(cache_key("a").len(), 64);
        assert_ne!(cache_key("a"), cache_key("b"));
    }
}
