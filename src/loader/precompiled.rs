//! `PrecompiledLoader`: serves templates from a cache directory written by `jinjac compile`,
//! with no sources present (Jinja2's `ModuleLoader`: deploy the cache, not the templates).
//!
//! The index says which templates exist; every bucket is fully validated (digest, versions,
//! fingerprint, name) before use. The source checksum is not pinned to the index's: with no
//! sources there is nothing to be stale against, and a bucket rewritten later by a runtime
//! cache (or copied in while a deploy is under way) is still a valid compilation of the name.
//! A template listed in the index whose bucket does not validate is an error naming the
//! reason (most often: compiled with other settings), not a silent fallback.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use super::{Loaded, Loader, Source};
use crate::cache::bucket::{self, Expect};
use crate::cache::fs::{read_capped, FileSystemBytecodeCache, INDEX_FILE};
use crate::cache::{Fingerprint, Index};
use crate::error::{Error, ErrorKind, Result};

type Stamp = Option<(SystemTime, u64)>;

/// Templates from a compiled cache directory.
#[derive(Debug)]
pub struct PrecompiledLoader {
    cache: FileSystemBytecodeCache,
    index: Mutex<Option<(Stamp, Arc<Index>)>>,
}

fn stamp(path: &Path) -> Stamp {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

impl PrecompiledLoader {
    /// A loader over the cache directory `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> PrecompiledLoader {
        PrecompiledLoader { cache: FileSystemBytecodeCache::new(dir), index: Mutex::new(None) }
    }

    /// The directory.
    pub fn directory(&self) -> &Path {
        self.cache.directory()
    }

    /// The current index (re-read when the file changed); `Ok(None)` when there is none.
    pub fn index(&self) -> Result<Option<Arc<Index>>> {
        let path = self.cache.directory().join(INDEX_FILE);
        let now = stamp(&path);
        let mut slot = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((s, idx)) = slot.as_ref() {
            if *s == now && now.is_some() {
                return Ok(Some(idx.clone()));
            }
        }
        *slot = None;
        let Some(idx) = Index::read(self.cache.directory())? else { return Ok(None) };
        let idx = Arc::new(idx);
        *slot = Some((now, idx.clone()));
        Ok(Some(idx))
    }

    fn error(&self, name: &str, why: impl std::fmt::Display) -> Error {
        Error::new(
            ErrorKind::BadBytecode,
            format!("template '{}' in cache {}: {}", name, self.cache.directory().display(), why),
        )
    }
}

impl Loader for PrecompiledLoader {
    fn get_source(&self, _name: &str) -> Result<Option<Source>> {
        Ok(None)
    }

    fn list_templates(&self) -> Vec<String> {
        match self.index() {
            Ok(Some(idx)) => idx.templates.iter().map(|e| e.name.clone()).collect(),
            _ => Vec::new(),
        }
    }

    fn has_source_access(&self) -> bool {
        false
    }

    fn load(&self, name: &str, fingerprint: &Fingerprint) -> Result<Option<Loaded>> {
        let Some(index) = self.index()? else { return Ok(None) };
        let Some(entry) = index.get(name) else { return Ok(None) };
        // The key names a file: accept only what cache_key produces.
        if entry.key.len() != 64 || !entry.key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error(name, "malformed key in the index"));
        }
        let path = self.cache.bucket_path(&entry.key);
        let bytes = read_capped(&path).map_err(|e| self.error(name, format!("{}: {}", path.display(), e)))?;
        let expect = Expect { fingerprint, name: Some(name), source_checksum: None };
        let program = bucket::decode(&bytes, &expect).map_err(|m| self.error(name, m))?;
        let index_path = self.cache.directory().join(INDEX_FILE);
        let at_load = stamp(&index_path);
        Ok(Some(Loaded::Compiled {
            program: Arc::new(program),
            uptodate: Some(Arc::new(move || stamp(&index_path) == at_load)),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::index::IndexEntry;
    use crate::cache::{bucket::source_checksum, cache_key};
    use crate::compiler::Program;

    fn write(dir: &Path, fp: &Fingerprint, name: &str) {
        let mut p = Program::empty();
        p.name = name.into();
        let sum = source_checksum("src");
        let bytes = bucket::encode(&p, name, fp, &sum).unwrap();
        FileSystemBytecodeCache::new(dir).write_bucket(&cache_key(name), &bytes).unwrap();
        let mut templates = Index::read(dir).unwrap().map(|i| i.templates).unwrap_or_default();
        templates.push(IndexEntry {
            name: name.into(),
            key: cache_key(name),
            source_checksum: crate::cache::fingerprint::hex(&sum),
            size: bytes.len() as u64,
        });
        Index::new(fp, templates).write(dir).unwrap();
    }

    #[test]
    fn serves_from_index_without_sources() {
        let d = tempfile::tempdir().unwrap();
        let fp = Fingerprint([3; 32]);
        write(d.path(), &fp, "a.html");
        write(d.path(), &fp, "b/c.html");
        let l = PrecompiledLoader::new(d.path());
        assert_eq!(l.list_templates(), ["a.html", "b/c.html"]);
        assert!(matches!(l.load("a.html", &fp).unwrap(), Some(Loaded::Compiled { .. })));
        assert!(l.load("missing.html", &fp).unwrap().is_none());
        let err = l.load("a.html", &Fingerprint([4; 32])).err().unwrap();
        assert!(err.detail().contains("fingerprint"), "{}", err.detail());
        assert!(l.get_source("a.html").unwrap().is_none());
        assert!(PrecompiledLoader::new(d.path().join("none")).load("a.html", &fp).unwrap().is_none());
        // A bucket rewritten from a newer source (by a runtime cache) is still served.
        let mut p = Program::empty();
        p.name = "a.html".into();
        let newer = bucket::encode(&p, "a.html", &fp, &source_checksum("newer")).unwrap();
        FileSystemBytecodeCache::new(d.path()).write_bucket(&cache_key("a.html"), &newer).unwrap();
        assert!(matches!(l.load("a.html", &fp).unwrap(), Some(Loaded::Compiled { .. })));
        // A corrupt one is an error naming the reason.
        FileSystemBytecodeCache::new(d.path()).write_bucket(&cache_key("a.html"), b"junk").unwrap();
        assert!(l.load("a.html", &fp).err().unwrap().detail().contains("bad magic"));
    }
}
