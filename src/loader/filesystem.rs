//! `FileSystemLoader`: templates from directories searched in order, never reading outside
//! them: `..` segments, and files that resolve (through symlinks) outside their search path,
//! are not found. A leading `/` is ignored, as in Jinja2, so `/x.html` is `x.html`.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::{split_template_path, Loader, Source};
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
        let pieces = split_template_path(name).ok()?;
        if pieces.is_empty() {
            return None;
        }
        for root in &self.paths {
            let mut path = root.clone();
            path.extend(&pieces);
            if !path.is_file() {
                continue;
            }
            // Refuse files that resolve outside their search path (symlink escapes). The pieces
            // have no `..`, so without a symlink below the root the file is inside it: a few
            // `lstat`s instead of resolving both paths component by component.
            let mut below = root.clone();
            let linked = pieces.iter().any(|piece| {
                below.push(piece);
                below.symlink_metadata().map_or(true, |m| m.file_type().is_symlink())
            });
            if !linked {
                return Some(path);
            }
            match (path.canonicalize(), root.canonicalize()) {
                (Ok(real), Ok(real_root)) if real.starts_with(&real_root) => return Some(path),
                _ => continue,
            }
        }
        None
    }
}

fn mtime(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl Loader for FileSystemLoader {
    fn get_source(&self, name: &str) -> Result<Option<Source>> {
        let Some(path) = self.find(name) else { return Ok(None) };
        let before = mtime(&path);
        let bytes = std::fs::read(&path)
            .map_err(|e| Error::new(ErrorKind::IoError, format!("{}: {}", path.display(), e)))?;
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
        }
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
