//! Templates compiled at `cargo build` time and embedded in the binary: a **bundle** is every
//! bucket of a template tree in one file, written by [`write_bundle`] from a `build.rs` and
//! served by [`EmbeddedLoader`] from `include_bytes!`. No sources and no cache directory at run
//! time; each bucket is validated (digest, versions, environment fingerprint, name) on load.
//!
//! ```no_run
//! // build.rs (the body of its `fn main`)
//! let env = jinjac::Environment::from_config("jinjac.toml").expect("config");
//! let out = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("templates.bundle");
//! jinjac::loader::write_bundle(&env, "templates", &out).expect("templates compile");
//! println!("cargo:rerun-if-changed=templates");
//! println!("cargo:rerun-if-changed=jinjac.toml");
//! ```
//! ```ignore
//! // src/main.rs
//! static TEMPLATES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/templates.bundle"));
//! let mut env = jinjac::Environment::from_config("jinjac.toml")?;
//! env.set_loader(jinjac::loader::EmbeddedLoader::new(TEMPLATES)?);
//! ```
//!
//! Bundle layout: the magic `JINJACBN`, a little-endian `u32` count, then per template (sorted
//! by name) a `u32` name length, the UTF-8 name, a `u64` bucket length and the bucket bytes.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::{Loaded, Loader, Source};
use crate::cache::bucket::{self, Expect};
use crate::cache::Fingerprint;
use crate::environment::Environment;
use crate::error::{Error, ErrorKind, Result};

const MAGIC: &[u8; 8] = b"JINJACBN";

/// Compile every file under `dir` (names relative to it, `/`-separated, sorted) with `env`'s
/// settings into a bundle. Fails on the first template that does not compile, naming it.
pub fn bundle_dir(env: &Environment, dir: impl AsRef<Path>) -> Result<Vec<u8>> {
    let dir = dir.as_ref();
    let mut names = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::new(ErrorKind::IoError, e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else { continue };
        let name: Vec<String> =
            rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if name.iter().any(|p| p.starts_with('.')) {
            continue;
        }
        names.insert(name.join("/"), entry.path().to_path_buf());
    }
    let fingerprint = env.fingerprint();
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(names.len() as u32).to_le_bytes());
    for (name, path) in &names {
        let source = std::fs::read_to_string(path)
            .map_err(|e| Error::new(ErrorKind::IoError, format!("{}: {}", path.display(), e)))?;
        let program = env.compile(&source, name)?;
        let bytes = bucket::encode(&program, name, &fingerprint, &bucket::source_checksum(&source))?;
        out.extend_from_slice(&(name.len() as u32).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        out.extend_from_slice(&bytes);
    }
    Ok(out)
}

/// [`bundle_dir`] written to `out` (for `build.rs`: `OUT_DIR/templates.bundle`).
pub fn write_bundle(env: &Environment, dir: impl AsRef<Path>, out: impl AsRef<Path>) -> Result<()> {
    let bytes = bundle_dir(env, dir)?;
    std::fs::write(out.as_ref(), bytes)
        .map_err(|e| Error::new(ErrorKind::IoError, format!("{}: {}", out.as_ref().display(), e)))
}

/// Templates from a bundle embedded in the binary.
#[derive(Debug)]
pub struct EmbeddedLoader {
    buckets: BTreeMap<String, &'static [u8]>,
}

fn bad(why: &str) -> Error {
    Error::new(ErrorKind::BadBytecode, format!("template bundle: {}", why))
}

fn take<'a>(bytes: &mut &'a [u8], n: usize) -> Result<&'a [u8]> {
    if bytes.len() < n {
        return Err(bad("truncated"));
    }
    let (head, rest) = bytes.split_at(n);
    *bytes = rest;
    Ok(head)
}

impl EmbeddedLoader {
    /// A loader over a bundle; fails if the bundle is malformed (the buckets themselves are
    /// validated when loaded).
    pub fn new(bundle: &'static [u8]) -> Result<EmbeddedLoader> {
        let mut rest = bundle;
        if take(&mut rest, MAGIC.len())? != MAGIC {
            return Err(bad("not a jinjac bundle"));
        }
        let count = u32::from_le_bytes(take(&mut rest, 4)?.try_into().map_err(|_| bad("count"))?);
        let mut buckets = BTreeMap::new();
        for _ in 0..count {
            let n =
                u32::from_le_bytes(take(&mut rest, 4)?.try_into().map_err(|_| bad("name length"))?) as usize;
            let name = std::str::from_utf8(take(&mut rest, n)?).map_err(|_| bad("name is not UTF-8"))?;
            let len = u64::from_le_bytes(take(&mut rest, 8)?.try_into().map_err(|_| bad("bucket length"))?);
            let len = usize::try_from(len).map_err(|_| bad("bucket length"))?;
            buckets.insert(name.to_string(), take(&mut rest, len)?);
        }
        if !rest.is_empty() {
            return Err(bad("trailing bytes"));
        }
        Ok(EmbeddedLoader { buckets })
    }
}

impl Loader for EmbeddedLoader {
    fn get_source(&self, _name: &str) -> Result<Option<Source>> {
        Ok(None)
    }

    fn list_templates(&self) -> Vec<String> {
        self.buckets.keys().cloned().collect()
    }

    fn has_source_access(&self) -> bool {
        false
    }

    fn load(&self, name: &str, fingerprint: &Fingerprint) -> Result<Option<Loaded>> {
        let Some(bytes) = self.buckets.get(name) else { return Ok(None) };
        let expect = Expect { fingerprint, name: Some(name), source_checksum: None };
        let program = bucket::decode(bytes, &expect).map_err(|m| {
            Error::new(ErrorKind::BadBytecode, format!("embedded template '{}': {}", name, m))
        })?;
        Ok(Some(Loaded::Compiled { program: Arc::new(program), uptodate: None }))
    }
}
