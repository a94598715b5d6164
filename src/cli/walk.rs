//! Finding templates: walkdir over each PATH in order, hidden entries and the cache directory
//! skipped, symlinks followed only when asked, names filtered by the include/exclude globs.
//! The result is sorted by template name; when two PATHs hold the same name the first wins,
//! as in a `FileSystemLoader` search path.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::settings::NameFilter;

/// One template to compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Job {
    /// Template name: the path relative to its PATH, `/`-separated.
    pub name: String,
    /// The file.
    pub path: PathBuf,
}

/// What a walk found.
#[derive(Debug, Default)]
pub(crate) struct Walked {
    /// Templates, sorted by name.
    pub jobs: Vec<Job>,
    /// Entries that could not be read (path, message), in walk order.
    pub errors: Vec<(PathBuf, String)>,
}

fn is_hidden(entry: &walkdir::DirEntry) -> bool {
    entry.depth() > 0 && entry.file_name().to_str().is_some_and(|n| n.starts_with('.'))
}

fn template_name(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = Vec::new();
    for c in rel.components() {
        parts.push(c.as_os_str().to_str()?.to_string());
    }
    Some(parts.join("/"))
}

/// Walk `roots` (directories, or single files named by their file name).
pub(crate) fn walk(
    roots: &[PathBuf],
    filter: &NameFilter,
    follow: bool,
    skip: &[PathBuf],
) -> anyhow::Result<Walked> {
    let skip: Vec<PathBuf> = skip.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut found: BTreeMap<String, Job> = BTreeMap::new();
    let mut errors = Vec::new();
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|e| anyhow::anyhow!("{}: {}", root.display(), e))?;
        if meta.is_file() {
            let name = root.file_name().and_then(|n| n.to_str()).map(str::to_string);
            match name {
                Some(n) if filter.matches(&n) => {
                    found.entry(n.clone()).or_insert(Job { name: n, path: root.clone() });
                }
                Some(_) => {}
                None => errors.push((root.clone(), "file name is not valid UTF-8".into())),
            }
            continue;
        }
        let walker = walkdir::WalkDir::new(root).follow_links(follow).sort_by_file_name().into_iter();
        let walker = walker.filter_entry(|e| {
            let skipped = e.file_type().is_dir() && e.path().canonicalize().is_ok_and(|c| skip.contains(&c));
            !is_hidden(e) && !skipped
        });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| root.clone());
                    errors.push((path, e.to_string()));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue; // directories, and symlinks when not following
            }
            let Some(name) = template_name(root, entry.path()) else {
                errors.push((entry.path().to_path_buf(), "file name is not valid UTF-8".into()));
                continue;
            };
            if filter.matches(&name) {
                found.entry(name.clone()).or_insert(Job { name, path: entry.into_path() });
            }
        }
    }
    Ok(Walked { jobs: found.into_values().collect(), errors })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(w: &Walked) -> Vec<&str> {
        w.jobs.iter().map(|j| j.name.as_str()).collect()
    }

    #[test]
    fn sorted_hidden_and_cache_skipped_first_root_wins() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("a");
        let b = d.path().join("b");
        for p in ["z.html", "sub/y.html", ".hidden.html", ".git/x.html", "cache/__jinjac_x.cache"] {
            let f = a.join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, "A").unwrap();
        }
        std::fs::create_dir_all(&b).unwrap();
        std::fs::write(b.join("z.html"), "B").unwrap();
        std::fs::write(b.join("w.txt"), "B").unwrap();
        let w = walk(&[a.clone(), b.clone()], &NameFilter::all(), false, &[a.join("cache")]).unwrap();
        assert_eq!(names(&w), ["sub/y.html", "w.txt", "z.html"]);
        assert_eq!(w.jobs[2].path, a.join("z.html"));
        let f = NameFilter::new(&["*.html".into()], &[]).unwrap();
        assert_eq!(names(&walk(&[a.clone(), b], &f, false, &[]).unwrap()), ["sub/y.html", "z.html"]);
        assert!(walk(&[d.path().join("missing")], &NameFilter::all(), false, &[]).is_err());
        let single = walk(&[a.join("z.html")], &NameFilter::all(), false, &[]).unwrap();
        assert_eq!(names(&single), ["z.html"]);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_only_when_asked() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("t");
        let other = d.path().join("other");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join("o.html"), "O").unwrap();
        std::fs::write(root.join("r.html"), "R").unwrap();
        std::os::unix::fs::symlink(&other, root.join("linked")).unwrap();
        assert_eq!(
            names(&walk(std::slice::from_ref(&root), &NameFilter::all(), false, &[]).unwrap()),
            ["r.html"]
        );
        assert_eq!(
            names(&walk(&[root], &NameFilter::all(), true, &[]).unwrap()),
            ["linked/o.html", "r.html"]
        );
    }
}
