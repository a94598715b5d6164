//! `FileSystemLoader`: templates from directories searched in order, never reading outside
//! them: `..` segments, and files that resolve (through symlinks) outside their search path,
//! are not found. A leading `/` is ignored, as in Jinja2, so `/x.html` is `x.html`.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{template_path_pieces, Loader, Source};
use crate::error::{Error, ErrorKind, Result};

/// How template files are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// UTF-8, strict (Jinja2's default `utf-8`).
    #[default]
    Utf8,
    /// ISO-8859-1: every byte is the code point of the same value.
    Latin1,
    /// ASCII, strict.
    Ascii,
}

impl Encoding {
    /// Parse a Python codec name (`utf-8`, `utf8`, `latin-1`, `iso-8859-1`, `ascii`...).
    pub fn parse(name: &str) -> Option<Encoding> {
        let n = name.to_ascii_lowercase().replace('_', "-");
        Some(match n.as_str() {
            "utf-8" | "utf8" | "u8" => Encoding::Utf8,
            "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" | "8859" => Encoding::Latin1,
            "ascii" | "us-ascii" => Encoding::Ascii,
            _ => return None,
        })
    }

    /// Decode file bytes.
    pub fn decode(self, bytes: Vec<u8>, path: &Path) -> Result<String> {
        let bad = |what: &str| {
            Error::new(ErrorKind::ValueError, format!("{}: template is not valid {}", path.display(), what))
        };
        match self {
            Encoding::Utf8 => String::from_utf8(bytes).map_err(|_| bad("UTF-8")),
            Encoding::Ascii if bytes.is_ascii() => String::from_utf8(bytes).map_err(|_| bad("ASCII")),
            Encoding::Ascii => Err(bad("ASCII")),
            Encoding::Latin1 => Ok(bytes.iter().map(|&b| char::from(b)).collect()),
        }
    }
}

/// Templates from directories, searched in order.
#[derive(Debug, Clone)]
pub struct FileSystemLoader {
    paths: Vec<PathBuf>,
    encoding: Encoding,
    followlinks: bool,
}

impl FileSystemLoader {
    /// A loader over one or more search paths.
    pub fn new<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> FileSystemLoader {
        FileSystemLoader {
            paths: paths.into_iter().map(|p| p.as_ref().to_path_buf()).collect(),
            encoding: Encoding::Utf8,
            followlinks: false,
        }
    }

    /// Decode files with `encoding`.
    pub fn encoding(mut self, encoding: Encoding) -> FileSystemLoader {
        self.encoding = encoding;
        self
    }

    /// Follow symlinked directories when listing templates.
    pub fn followlinks(mut self, yes: bool) -> FileSystemLoader {
        self.followlinks = yes;
        self
    }

    /// The search paths.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// The file template `name` would be read from, if any.
    pub fn find(&self, name: &str) -> Option<PathBuf> {
        self.open(name).ok().flatten().map(|(path, _, _)| path)
    }

    /// Template `name`'s file, opened, with its metadata: the first search path that has it as
    /// a regular file inside that path. Where Linux's `openat2` can refuse symlinks on the
    /// way, the file is opened first and its type, mtime and size read from the open file
    /// (one `openat2` and one `fstat` where testing, timing, checking for symlinks and
    /// reading by path took seven lookups); elsewhere it is tested as a regular file, checked,
    /// then opened. A regular file that cannot be opened is an error, as Python's `open`
    /// after `os.path.isfile` is.
    fn open(&self, name: &str) -> Result<Option<(PathBuf, File, Metadata)>> {
        let Ok(pieces) = template_path_pieces(name) else { return Ok(None) };
        if pieces.is_empty() {
            return Ok(None);
        }
        for root in &self.paths {
            // (Sized for the whole path: a clone of the root grew for each piece.)
            let mut path = PathBuf::with_capacity(root.as_os_str().len() + 1 + name.len());
            path.push(root);
            path.extend(&pieces);
            // Opened with no symlink on the way, the file is inside its root (the pieces
            // have no `..`): one system call for the open and the check.
            let mut opened = open_without_symlinks(None, &path);
            // The symlink may be in the root's own path (a deployment's `current` link, say),
            // which is allowed: then the pieces are opened from the root, refusing only
            // symlinks below it (three calls, where checking by path took one per piece).
            if matches!(&opened, Some(Err(e)) if refused_symlink(e)) {
                opened = open_below(root, &pieces);
            }
            match opened {
                Some(Ok(file)) => match file.metadata() {
                    Ok(meta) if meta.is_file() => return Ok(Some((path, file, meta))),
                    Ok(_) => continue,
                    Err(e) => return Err(io_error(&path, &e)),
                },
                Some(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => continue,
                // A symlink on the way, or a system without the call: open and check.
                _ => {}
            }
            // Only a regular file is opened (opening a FIFO would wait for a writer).
            if !path.is_file() {
                continue;
            }
            let file = File::open(&path).map_err(|e| io_error(&path, &e))?;
            match file.metadata() {
                Ok(meta) if meta.is_file() => {
                    if inside(root, &pieces, &path) {
                        return Ok(Some((path, file, meta)));
                    }
                }
                Ok(_) => {}
                Err(e) => return Err(io_error(&path, &e)),
            }
        }
        Ok(None)
    }
}

/// Whether `path` (`root` joined with `pieces`) resolves inside `root`. The pieces have no
/// `..`, so without a symlink below the root the file is inside it: a few `lstat`s instead of
/// resolving both paths component by component. Files that resolve (through symlinks) outside
/// their search path are refused.
fn inside(root: &Path, pieces: &[&str], path: &Path) -> bool {
    let mut below = root.to_path_buf();
    let linked = pieces.iter().any(|piece| {
        below.push(piece);
        below.symlink_metadata().map_or(true, |m| m.file_type().is_symlink())
    });
    if !linked {
        return true;
    }
    matches!((path.canonicalize(), root.canonicalize()), (Ok(real), Ok(real_root)) if real.starts_with(&real_root))
}

/// `path` (relative to directory `dir` when given) opened for reading by Linux's `openat2`
/// with `RESOLVE_NO_SYMLINKS` (and
/// `O_NONBLOCK`, so that a FIFO is opened without waiting, then refused as not a regular
/// file; reads of a regular file are not affected): `None` where
/// that call does not exist (other systems, kernels before 5.6, sandboxes that filter it; it
/// is then not tried again), and an error (`ELOOP`) when a component of the path is a
/// symlink.
#[cfg(target_os = "linux")]
fn open_without_symlinks(dir: Option<&File>, path: &Path) -> Option<std::io::Result<File>> {
    use std::os::fd::AsRawFd;
    use std::os::fd::FromRawFd;
    use std::os::unix::ffi::OsStrExt;
    use std::sync::atomic::{AtomicBool, Ordering};
    static MISSING: AtomicBool = AtomicBool::new(false);
    if MISSING.load(Ordering::Relaxed) {
        return None;
    }
    let path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    /// The kernel's `struct open_how` (its first version, 24 bytes).
    #[repr(C)]
    struct OpenHow {
        flags: u64,
        mode: u64,
        resolve: u64,
    }
    let how = OpenHow {
        flags: (libc::O_RDONLY | libc::O_CLOEXEC | libc::O_NONBLOCK) as u64,
        mode: 0,
        resolve: libc::RESOLVE_NO_SYMLINKS,
    };
    // SAFETY: `path` is a NUL-terminated string and `how` an `open_how` of the size passed,
    // both alive for the call; the kernel reads them and returns a new descriptor or -1.
    let fd = unsafe {
        libc::syscall(
            libc::SYS_openat2,
            dir.map_or(libc::AT_FDCWD, |d| d.as_raw_fd()),
            path.as_ptr(),
            &how as *const OpenHow,
            std::mem::size_of::<OpenHow>(),
        )
    };
    if fd < 0 {
        let e = std::io::Error::last_os_error();
        if matches!(e.raw_os_error(), Some(libc::ENOSYS | libc::EPERM | libc::EINVAL | libc::E2BIG)) {
            MISSING.store(true, Ordering::Relaxed);
            return None;
        }
        return Some(Err(e));
    }
    let fd = i32::try_from(fd).ok()?;
    // SAFETY: `fd` is a descriptor the call just opened, owned by nothing else.
    Some(Ok(unsafe { File::from_raw_fd(fd) }))
}

#[cfg(not(target_os = "linux"))]
fn open_without_symlinks(_: Option<&File>, _: &Path) -> Option<std::io::Result<File>> {
    None
}

/// Whether [`open_without_symlinks`] failed for a symlink on the way.
#[cfg(target_os = "linux")]
fn refused_symlink(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(target_os = "linux"))]
fn refused_symlink(_: &std::io::Error) -> bool {
    false
}

/// `pieces` opened below `root` as [`open_without_symlinks`] opens a path, from the root
/// directory (opened as an `O_PATH` descriptor, following the symlinks of its own path).
#[cfg(target_os = "linux")]
fn open_below(root: &Path, pieces: &[&str]) -> Option<std::io::Result<File>> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir =
        std::fs::OpenOptions::new().read(true).custom_flags(libc::O_PATH | libc::O_DIRECTORY).open(root);
    match dir {
        Ok(dir) => open_without_symlinks(Some(&dir), Path::new(&pieces.join("/"))),
        Err(e) => Some(Err(e)),
    }
}

#[cfg(not(target_os = "linux"))]
fn open_below(_: &Path, _: &[&str]) -> Option<std::io::Result<File>> {
    None
}

fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::IoError, format!("{}: {}", path.display(), e))
}

fn mtime(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl Loader for FileSystemLoader {
    fn get_source(&self, name: &str) -> Result<Option<Source>> {
        let Some((path, mut file, meta)) = self.open(name)? else { return Ok(None) };
        let before = meta.modified().ok();
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        // Through `Take`, which reads into the sized buffer and probes for the end, where
        // `File`'s own `read_to_end` asks the system for the size and position again.
        (&mut file).take(u64::MAX).read_to_end(&mut bytes).map_err(|e| io_error(&path, &e))?;
        drop(file);
        let source = self.encoding.decode(bytes, &path)?;
        let check = path.clone();
        Ok(Some(
            Source::new(source, Some(path))
                .with_uptodate(move || before.is_some() && mtime(&check) == before),
        ))
    }

    fn list_templates(&self) -> Vec<String> {
        let mut found = std::collections::BTreeSet::new();
        for root in &self.paths {
            let walk = walkdir::WalkDir::new(root).follow_links(self.followlinks).sort_by_file_name();
            for entry in walk.into_iter().flatten() {
                if entry.depth() == 0 || entry.file_type().is_dir() || entry.path().is_dir() {
                    continue;
                }
                if let Ok(rel) = entry.path().strip_prefix(root) {
                    let parts: Vec<String> =
                        rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                    found.insert(parts.join("/"));
                }
            }
        }
        found.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a");
        let b = d.path().join("b");
        std::fs::create_dir_all(a.join("sub")).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(a.join("x.html"), "ax").unwrap();
        std::fs::write(a.join("sub/y.html"), "ay").unwrap();
        std::fs::write(b.join("x.html"), "bx").unwrap();
        std::fs::write(b.join("z.html"), "bz").unwrap();
        std::fs::write(d.path().join("secret.txt"), "secret").unwrap();
        d
    }

    #[test]
    fn search_order_and_listing() {
        let d = tree();
        let l = FileSystemLoader::new([d.path().join("a"), d.path().join("b")]);
        assert_eq!(l.get_source("x.html").unwrap().unwrap().source, "ax");
        assert_eq!(l.get_source("z.html").unwrap().unwrap().source, "bz");
        assert_eq!(l.get_source("/sub/y.html").unwrap().unwrap().source, "ay");
        assert_eq!(l.list_templates(), ["sub/y.html", "x.html", "z.html"]);
    }

    #[test]
    fn never_reads_outside() {
        let d = tree();
        let l = FileSystemLoader::new([d.path().join("a")]);
        assert!(l.get_source("../secret.txt").unwrap().is_none());
        assert!(l.get_source("sub/../../secret.txt").unwrap().is_none());
        assert!(l.get_source(d.path().join("secret.txt").to_str().unwrap()).unwrap().is_none());
        assert!(l.get_source("").unwrap().is_none());
        assert!(l.get_source("sub").unwrap().is_none());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(d.path().join("secret.txt"), d.path().join("a/link.txt")).unwrap();
            assert!(l.get_source("link.txt").unwrap().is_none());
            // A symlinked directory: refused when it leads out of the search path, followed
            // when it stays inside.
            std::os::unix::fs::symlink(d.path().join("b"), d.path().join("a/out")).unwrap();
            assert!(l.get_source("out/x.html").unwrap().is_none());
            std::os::unix::fs::symlink(d.path().join("a/sub"), d.path().join("a/inner")).unwrap();
            assert_eq!(l.get_source("inner/y.html").unwrap().unwrap().source, "ay");
            // A FIFO is not a template, and looking for it does not wait for a writer.
            let fifo =
                std::ffi::CString::new(d.path().join("a/pipe.html").into_os_string().into_encoded_bytes())
                    .unwrap();
            // SAFETY: a NUL-terminated path, alive for the call.
            assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
            assert!(l.get_source("pipe.html").unwrap().is_none());
        }
    }

    #[cfg(unix)]
    #[test]
    fn search_path_through_a_symlink() {
        // A symlink above the templates (a deploy's `current -> release-N`) is no escape.
        let d = tree();
        std::os::unix::fs::symlink(d.path().join("a"), d.path().join("current")).unwrap();
        let l = FileSystemLoader::new([d.path().join("current")]);
        assert_eq!(l.get_source("x.html").unwrap().unwrap().source, "ax");
        assert_eq!(l.get_source("sub/y.html").unwrap().unwrap().source, "ay");
        assert_eq!(l.find("sub/y.html"), Some(d.path().join("current/sub/y.html")));
        assert!(l.get_source("../secret.txt").unwrap().is_none());
        assert!(l.get_source("sub").unwrap().is_none());
        assert!(l.get_source("missing.html").unwrap().is_none());
        // Below such a root, symlinks are checked as below any other.
        std::os::unix::fs::symlink(d.path().join("secret.txt"), d.path().join("a/link.txt")).unwrap();
        assert!(l.get_source("link.txt").unwrap().is_none());
        std::os::unix::fs::symlink(d.path().join("a/sub"), d.path().join("a/inner")).unwrap();
        assert_eq!(l.get_source("inner/y.html").unwrap().unwrap().source, "ay");
        let fifo = std::ffi::CString::new(d.path().join("a/pipe.html").into_os_string().into_encoded_bytes())
            .unwrap();
        // SAFETY: a NUL-terminated path, alive for the call.
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
        assert!(l.get_source("pipe.html").unwrap().is_none());
    }

    #[test]
    fn uptodate_follows_mtime() {
        let d = tree();
        let l = FileSystemLoader::new([d.path().join("a")]);
        let s = l.get_source("x.html").unwrap().unwrap();
        assert!(s.is_up_to_date());
        let f = d.path().join("a/x.html");
        let later = SystemTime::now() + std::time::Duration::from_secs(10);
        std::fs::File::options().write(true).open(&f).unwrap().set_modified(later).unwrap();
        assert!(!s.is_up_to_date());
        std::fs::remove_file(&f).unwrap();
        assert!(!s.is_up_to_date());
    }

    #[test]
    fn encodings() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("l.txt"), b"caf\xe9").unwrap();
        let utf8 = FileSystemLoader::new([d.path()]);
        assert!(utf8.get_source("l.txt").is_err());
        let latin = FileSystemLoader::new([d.path()]).encoding(Encoding::parse("latin-1").unwrap());
        assert_eq!(latin.get_source("l.txt").unwrap().unwrap().source, "café");
        assert_eq!(Encoding::parse("UTF_8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::parse("koi8-r"), None);
    }
}
