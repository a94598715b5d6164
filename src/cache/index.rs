//! The cache index, `__jinjac_index.json`: which templates a cache directory holds, under which
//! key, compiled from which source, with which environment fingerprint. `jinjac compile` writes
//! it last and atomically; the precompiled loader serves templates from it without sources.
//!
//! ```json
//! {
//!   "format": "jinjac-index",
//!   "version": 1,
//!   "bytecode_version": 1,
//!   "fingerprint": "<64 hex>",
//!   "templates": [
//!     { "name": "base.html", "key": "<64 hex>", "source_checksum": "<64 hex>", "size": 812 }
//!   ]
//! }
//! ```
//!
//! Entries are sorted by name and nothing time-dependent is stored, so two compiles of the same
//! tree write the same bytes.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::compiler::BYTECODE_VERSION;
use crate::error::{Error, ErrorKind, Result};

use super::fingerprint::{parse_hex32, Fingerprint};
use super::fs::{write_atomic, INDEX_FILE};

/// The `format` field's value.
pub const INDEX_FORMAT: &str = "jinjac-index";
/// The `version` field's value.
pub const INDEX_VERSION: u32 = 1;

/// One template in the index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexEntry {
    /// Template name.
    pub name: String,
    /// Cache key (the bucket file is named from it).
    pub key: String,
    /// blake3 hex of the source it was compiled from.
    pub source_checksum: String,
    /// Bucket size in bytes.
    pub size: u64,
}

impl IndexEntry {
    /// The source checksum as bytes, if well-formed.
    pub fn checksum(&self) -> Option<[u8; 32]> {
        parse_hex32(&self.source_checksum)
    }
}

/// A cache directory's index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// Always [`INDEX_FORMAT`].
    pub format: String,
    /// Always [`INDEX_VERSION`].
    pub version: u32,
    /// The engine bytecode version of every bucket listed.
    pub bytecode_version: u32,
    /// The environment fingerprint (hex) of every bucket listed.
    pub fingerprint: String,
    /// Entries, sorted by name.
    pub templates: Vec<IndexEntry>,
}

impl Index {
    /// An index for buckets compiled under `fingerprint`; entries are sorted here.
    pub fn new(fingerprint: &Fingerprint, mut templates: Vec<IndexEntry>) -> Index {
        templates.sort_by(|a, b| a.name.cmp(&b.name));
        templates.dedup_by(|a, b| a.name == b.name);
        Index {
            format: INDEX_FORMAT.into(),
            version: INDEX_VERSION,
            bytecode_version: BYTECODE_VERSION,
            fingerprint: fingerprint.to_hex(),
            templates,
        }
    }

    /// The entry for `name`.
    pub fn get(&self, name: &str) -> Option<&IndexEntry> {
        self.templates
            .binary_search_by(|e| e.name.as_str().cmp(name))
            .ok()
            .and_then(|i| self.templates.get(i))
    }

    /// The fingerprint, if well-formed.
    pub fn fingerprint(&self) -> Option<Fingerprint> {
        Fingerprint::from_hex(&self.fingerprint)
    }

    /// The file's bytes: pretty JSON and a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).unwrap_or_default();
        out.push(b'\n');
        out
    }

    /// Parse and validate an index file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Index> {
        let bad = |m: String| Error::new(ErrorKind::BadBytecode, format!("{}: {}", INDEX_FILE, m));
        let mut index: Index = serde_json::from_slice(bytes).map_err(|e| bad(e.to_string()))?;
        if index.format != INDEX_FORMAT {
            return Err(bad(format!("not a jinjac index (format {:?})", index.format)));
        }
        if index.version != INDEX_VERSION {
            return Err(bad(format!("index version {} (this build reads {})", index.version, INDEX_VERSION)));
        }
        if index.fingerprint().is_none() {
            return Err(bad("malformed fingerprint".into()));
        }
        if !index.templates.windows(2).all(|w| matches!(w, [a, b] if a.name < b.name)) {
            index.templates.sort_by(|a, b| a.name.cmp(&b.name));
        }
        Ok(index)
    }

    /// Read `DIR/__jinjac_index.json`; `Ok(None)` when there is none.
    pub fn read(dir: &Path) -> Result<Option<Index>> {
        let path = dir.join(INDEX_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => Index::from_bytes(&bytes).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::new(ErrorKind::IoError, format!("{}: {}", path.display(), e))),
        }
    }

    /// Write `DIR/__jinjac_index.json` atomically, unless it already holds exactly these bytes.
    /// Returns whether the file was written.
    pub fn write(&self, dir: &Path) -> Result<bool> {
        let path = dir.join(INDEX_FILE);
        let bytes = self.to_bytes();
        if std::fs::read(&path).is_ok_and(|old| old == bytes) {
            return Ok(false);
        }
        write_atomic(&path, &bytes, 0o644)
            .map_err(|e| Error::new(ErrorKind::IoError, format!("{}: {}", path.display(), e)))?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> IndexEntry {
        IndexEntry {
            name: name.into(),
            key: crate::cache::cache_key(name),
            source_checksum: "ab".repeat(32),
            size: 10,
        }
    }

    #[test]
    fn round_trip_sorted_and_idempotent_write() {
        let fp = Fingerprint([7; 32]);
        let idx = Index::new(&fp, vec![entry("b"), entry("a")]);
        assert_eq!(idx.templates[0].name, "a");
        assert_eq!(idx.get("b").unwrap().name, "b");
        assert!(idx.get("c").is_none());
        let dir = tempfile::tempdir().unwrap();
        assert!(idx.write(dir.path()).unwrap());
        assert!(!idx.write(dir.path()).unwrap());
        assert_eq!(Index::read(dir.path()).unwrap(), Some(idx));
        assert!(Index::read(&dir.path().join("none")).unwrap().is_none());
    }

    #[test]
    fn rejects_foreign_and_unknown_fields() {
        assert!(Index::from_bytes(b"{}").is_err());
        assert!(Index::from_bytes(b"not json").is_err());
        let fp = Fingerprint([7; 32]);
        let mut v: serde_json::Value = serde_json::from_slice(&Index::new(&fp, vec![]).to_bytes()).unwrap();
        v["extra"] = 1.into();
        assert!(Index::from_bytes(v.to_string().as_bytes()).is_err());
    }
}
