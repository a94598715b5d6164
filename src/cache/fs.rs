//! `FileSystemBytecodeCache`: one bucket file per template in a directory, written atomically
//! (a temporary file in the same directory, then a rename), so that concurrent readers and
//! writers — threads or processes — only ever see whole buckets.
//!
//! Directory layout (shared with `jinjac compile`):
//!
//! ```text
//! DIR/__jinjac_<blake3 hex of the template name>.cache   one bucket per template
//! DIR/__jinjac_index.json                                written by `jinjac compile` only
//! DIR/.__jinjac_*.tmp                                    in-flight writes
//! ```
//!
//! Writes are not fsynced: a bucket torn by a power loss fails its digest and is a miss.
//! With no directory given, a private per-user directory is used, created with mode 0700 and
//! refused when it is a symlink, not a directory, or owned by someone else (Jinja2's
//! `_get_default_cache_dir`).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Result};

use super::stats::CacheStats;
use super::{Bucket, BytecodeCache, StatsSnapshot};

/// Bucket file name pattern; `%s` is the cache key.
pub const DEFAULT_PATTERN: &str = "__jinjac_%s.cache";
/// Name of the index file `jinjac compile` writes.
pub const INDEX_FILE: &str = "__jinjac_index.json";
/// Prefix of in-flight temporary files.
pub const TEMP_PREFIX: &str = ".__jinjac_";

/// Buckets in a directory.
#[derive(Debug)]
pub struct FileSystemBytecodeCache {
    directory: PathBuf,
    prefix: String,
    suffix: String,
    private: bool,
    stats: CacheStats,
}

impl FileSystemBytecodeCache {
    /// A cache in `directory` (created on the first write) with the default file pattern.
    pub fn new(directory: impl Into<PathBuf>) -> FileSystemBytecodeCache {
        FileSystemBytecodeCache {
            directory: directory.into(),
            prefix: "__jinjac_".into(),
            suffix: ".cache".into(),
            private: false,
            stats: CacheStats::default(),
        }
    }

    /// A cache in `directory` whose files are named by `pattern`, which must hold `%s` once.
    pub fn with_pattern(directory: impl Into<PathBuf>, pattern: &str) -> Result<FileSystemBytecodeCache> {
        let Some((prefix, suffix)) = pattern.split_once("%s") else {
            return Err(Error::new(
                ErrorKind::ValueError,
                format!("cache file pattern {:?} has no %s", pattern),
            ));
        };
        if suffix.contains("%s") || pattern.contains('/') || prefix.is_empty() && suffix.is_empty() {
            return Err(Error::new(ErrorKind::ValueError, format!("bad cache file pattern {:?}", pattern)));
        }
        let mut c = FileSystemBytecodeCache::new(directory);
        c.prefix = prefix.to_string();
        c.suffix = suffix.to_string();
        Ok(c)
    }

    /// A cache in the private per-user directory (see [`default_cache_dir`]).
    pub fn default_dir() -> Result<FileSystemBytecodeCache> {
        let mut c = FileSystemBytecodeCache::new(default_cache_dir()?);
        c.private = true;
        Ok(c)
    }

    /// The directory.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    /// The file a bucket with `key` lives in.
    pub fn bucket_path(&self, key: &str) -> PathBuf {
        let mut name = String::with_capacity(self.prefix.len() + key.len() + self.suffix.len());
        name.push_str(&self.prefix);
        name.push_str(key);
        name.push_str(&self.suffix);
        // (Sized for both parts: `join` copies the directory, then grows it for the name.)
        let mut path = PathBuf::with_capacity(self.directory.as_os_str().len() + 1 + name.len());
        path.push(&self.directory);
        path.push(name);
        path
    }

    /// Whether a file name is one of this cache's buckets.
    pub fn is_bucket_file(&self, file_name: &str) -> bool {
        file_name.len() > self.prefix.len() + self.suffix.len()
            && file_name.starts_with(&self.prefix)
            && file_name.ends_with(&self.suffix)
            && file_name != INDEX_FILE
    }

    /// The key of a bucket file, from its name.
    pub fn key_of(&self, path: &Path) -> Option<String> {
        let file = path.file_name()?.to_str()?;
        if !self.is_bucket_file(file) {
            return None;
        }
        file.strip_prefix(&self.prefix)?.strip_suffix(&self.suffix).map(str::to_string)
    }

    /// The bucket files present, sorted by file name.
    pub fn bucket_files(&self) -> std::io::Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        let entries = match std::fs::read_dir(&self.directory) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            if entry.file_type()?.is_file() && name.to_str().is_some_and(|n| self.is_bucket_file(n)) {
                out.push(entry.path());
            }
        }
        // All in one directory: byte order of the whole path is the order of the file names,
        // and far cheaper than `Path`'s component-wise comparison.
        out.sort_unstable_by(|a, b| a.as_os_str().cmp(b.as_os_str()));
        Ok(out)
    }

    /// Total size in bytes of the buckets present.
    pub fn size_on_disk(&self) -> u64 {
        self.bucket_files()
            .unwrap_or_default()
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }

    /// Write `bytes` to the bucket file for `key`, atomically.
    pub fn write_bucket(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let path = self.bucket_path(key);
        let mode = if self.private { 0o600 } else { 0o644 };
        // The directory is made (and a failure to make it reported) only when a write fails:
        // asking for it first cost two system calls per bucket, nearly always for nothing.
        if write_atomic(&path, bytes, mode).is_ok() {
            return Ok(());
        }
        std::fs::create_dir_all(&self.directory).map_err(|e| io_error(&self.directory, e))?;
        write_atomic(&path, bytes, mode).map_err(|e| io_error(&path, e))
    }
}

fn io_error(path: &Path, e: std::io::Error) -> Error {
    Error::new(ErrorKind::IoError, format!("{}: {}", path.display(), e))
}

/// Write a file atomically: a temporary file in the same directory, then a rename. Readers
/// see the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(TEMP_PREFIX).suffix(".tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    set_mode(tmp.as_file(), mode)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(unix)]
fn set_mode(f: &std::fs::File, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_f: &std::fs::File, _mode: u32) -> std::io::Result<()> {
    Ok(())
}

impl BytecodeCache for FileSystemBytecodeCache {
    fn load_bytecode(&self, bucket: &mut Bucket) {
        bucket.reset();
        let Ok(bytes) = read_capped(&self.bucket_path(&bucket.key)) else {
            self.stats.miss();
            return;
        };
        if bucket.bytecode_from_string(&bytes) {
            self.stats.hit(bytes.len());
        } else {
            self.stats.miss();
        }
    }

    fn dump_bytecode(&self, bucket: &Bucket) -> Result<()> {
        let result = bucket.bytecode_to_string().and_then(|bytes| {
            self.write_bucket(&bucket.key, &bytes)?;
            Ok(bytes.len())
        });
        match result {
            Ok(n) => {
                self.stats.wrote(n);
                Ok(())
            }
            Err(e) => {
                self.stats.write_failed(format!("cannot write to bytecode cache: {}", e.detail()));
                Err(e)
            }
        }
    }

    fn clear(&self) -> Result<()> {
        clear_dir(&self.directory, |n| self.is_bucket_file(n)).map(|_| ())
    }

    fn stats(&self) -> StatsSnapshot {
        let mut s = self.stats.snapshot();
        s.size = Some(self.size_on_disk());
        s
    }

    fn take_warning(&self) -> Option<String> {
        self.stats.take_warning()
    }
}

/// Read a file, at most a little more than the largest valid bucket.
pub fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let f = std::fs::File::open(path)?;
    // Most buckets are a few KiB: start there rather than asking the file system for the size.
    let mut out = Vec::with_capacity(16 << 10);
    f.take(super::bucket::MAX_PROGRAM_LEN + super::bucket::MAX_NAME_LEN as u64 + 4096)
        .read_to_end(&mut out)?;
    Ok(out)
}

/// Remove jinjac's files from `dir`: files for which `is_bucket` holds, the index and stale
/// temporary files. Returns the paths removed, sorted. Nothing else is touched.
pub fn clear_dir(dir: &Path, is_bucket: impl Fn(&str) -> bool) -> Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io_error(dir, e)),
    };
    let mut victims = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(dir, e))?;
        let is_file = entry.file_type().map(|t| t.is_file()).unwrap_or(false);
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let ours = is_bucket(name)
            || name == INDEX_FILE
            || (name.starts_with(TEMP_PREFIX) && name.ends_with(".tmp"));
        if is_file && ours {
            victims.push(entry.path());
        }
    }
    victims.sort();
    for v in &victims {
        match std::fs::remove_file(v) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(v, e)),
        }
    }
    Ok(victims)
}

/// The private per-user cache directory: `$XDG_CACHE_HOME/jinjac` (or the platform's cache
/// directory), else `<tmp>/_jinjac-cache-<uid>`; created with mode 0700 and refused unless it
/// is a real directory owned by the current user.
pub fn default_cache_dir() -> Result<PathBuf> {
    let dir = match dirs::cache_dir() {
        Some(d) => d.join("jinjac"),
        None => std::env::temp_dir().join(format!("_jinjac-cache-{}", current_uid())),
    };
    ensure_private_dir(&dir)?;
    Ok(dir)
}

#[cfg(unix)]
fn current_uid() -> u32 {
    // SAFETY: getuid has no preconditions and cannot fail.
    unsafe { libc::getuid() }
}

#[cfg(not(unix))]
fn current_uid() -> u32 {
    0
}

/// Create `dir` with mode 0700 if missing, then check it is safe to use as a private cache.
pub fn ensure_private_dir(dir: &Path) -> Result<()> {
    let unsafe_dir = |why: &str| {
        Error::new(
            ErrorKind::IoError,
            format!("the cache directory {} is not safe to use: {}", dir.display(), why),
        )
    };
    if let Some(parent) = dir.parent() {
        std::fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
        match std::fs::DirBuilder::new().mode(0o700).create(dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(io_error(dir, e)),
        }
        let meta = std::fs::symlink_metadata(dir).map_err(|e| io_error(dir, e))?;
        if meta.file_type().is_symlink() {
            return Err(unsafe_dir("it is a symbolic link"));
        }
        if !meta.is_dir() {
            return Err(unsafe_dir("it is not a directory"));
        }
        if meta.uid() != current_uid() {
            return Err(unsafe_dir("it is owned by another user"));
        }
        if meta.mode() & 0o777 != 0o700 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
                .map_err(|e| io_error(dir, e))?;
        }
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
        let _ = unsafe_dir;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::{bucket, cache_key};
    use crate::compiler::Program;
    use crate::environment::Environment;
    use std::sync::Arc;

    fn filled(env: &Environment, name: &str, src: &str) -> Bucket {
        let mut p = Program::empty();
        p.name = name.into();
        let mut b = Bucket::new(env, cache_key(name), name, bucket::source_checksum(src));
        b.code = Some(Arc::new(p));
        b
    }

    #[test]
    fn dump_then_load_and_stats() {
        let dir = tempfile::tempdir().unwrap();
        let cache = FileSystemBytecodeCache::new(dir.path().join("c"));
        let env = Environment::new();
        let b = filled(&env, "x.html", "src");
        cache.dump_bytecode(&b).unwrap();
        let got = cache.get_bucket(&env, "x.html", "src");
        assert!(got.code.is_some());
        let stale = cache.get_bucket(&env, "x.html", "changed");
        assert!(stale.code.is_none());
        let absent = cache.get_bucket(&env, "y.html", "src");
        assert!(absent.code.is_none());
        let s = cache.stats();
        assert_eq!((s.hits, s.misses, s.writes), (1, 2, 1));
        assert!(s.size.unwrap() > 0);
        let files = cache.bucket_files().unwrap();
        assert_eq!(files.len(), 1);
        assert!(files[0].file_name().unwrap().to_str().unwrap().starts_with("__jinjac_"));
        std::fs::write(dir.path().join("c/keep.txt"), "mine").unwrap();
        cache.clear().unwrap();
        assert!(cache.bucket_files().unwrap().is_empty());
        assert!(dir.path().join("c/keep.txt").exists());
    }

    #[test]
    fn pattern_is_validated() {
        assert!(FileSystemBytecodeCache::with_pattern("d", "no-placeholder").is_err());
        assert!(FileSystemBytecodeCache::with_pattern("d", "a%sb%s").is_err());
        let c = FileSystemBytecodeCache::with_pattern("d", "t_%s.bc").unwrap();
        assert_eq!(c.bucket_path("k"), Path::new("d/t_k.bc"));
    }

    #[cfg(unix)]
    #[test]
    fn private_dir_created_0700_and_symlink_refused() {
        use std::os::unix::fs::PermissionsExt;
        let base = tempfile::tempdir().unwrap();
        let d = base.path().join("priv");
        ensure_private_dir(&d).unwrap();
        assert_eq!(std::fs::metadata(&d).unwrap().permissions().mode() & 0o777, 0o700);
        std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&d).unwrap();
        assert_eq!(std::fs::metadata(&d).unwrap().permissions().mode() & 0o777, 0o700);
        let link = base.path().join("link");
        std::os::unix::fs::symlink(&d, &link).unwrap();
        assert!(ensure_private_dir(&link).is_err());
        let file = base.path().join("file");
        std::fs::write(&file, "").unwrap();
        assert!(ensure_private_dir(&file).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn unwritable_dir_fails_and_is_reported_once() {
        let base = tempfile::tempdir().unwrap();
        let file = base.path().join("not-a-dir");
        std::fs::write(&file, "").unwrap();
        let cache = FileSystemBytecodeCache::new(file.join("sub"));
        let env = Environment::new();
        assert!(cache.dump_bytecode(&filled(&env, "a", "s")).is_err());
        assert!(cache.dump_bytecode(&filled(&env, "b", "s")).is_err());
        assert!(cache.take_warning().is_some());
        assert!(cache.take_warning().is_none());
        assert_eq!(cache.stats().write_errors, 2);
    }
}
