//! `jinjac ls DIR`: what a cache directory holds — one row per bucket (template name, size,
//! source checksum, whether the index lists it), sorted by name, then a total.

use std::io::Write;

use super::args::{LsArgs, MessageFormat};
use super::compile::human_bytes;
use super::Exit;
use crate::cache::bucket;
use crate::cache::fs::{read_capped, FileSystemBytecodeCache};
use crate::cache::Index;

struct Row {
    name: Option<String>,
    key: String,
    file: String,
    size: u64,
    source_checksum: Option<String>,
    fingerprint: Option<String>,
    indexed: bool,
    problem: Option<String>,
}

pub(crate) fn run(args: LsArgs) -> anyhow::Result<Exit> {
    if !args.dir.is_dir() {
        anyhow::bail!("{}: not a directory", args.dir.display());
    }
    let cache = FileSystemBytecodeCache::new(&args.dir);
    let index = Index::read(&args.dir).ok().flatten();
    let mut rows = Vec::new();
    for path in cache.bucket_files()? {
        let bytes = read_capped(&path).unwrap_or_default();
        let mut row = Row {
            name: None,
            key: cache.key_of(&path).unwrap_or_default(),
            file: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            size: bytes.len() as u64,
            source_checksum: None,
            fingerprint: None,
            indexed: false,
            problem: None,
        };
        match bucket::read_header(&bytes) {
            Ok((h, _)) => {
                row.indexed = index.as_ref().is_some_and(|i| i.get(&h.name).is_some());
                row.source_checksum = Some(h.source_checksum_hex());
                row.fingerprint = Some(h.fingerprint.to_hex());
                row.name = Some(h.name);
            }
            Err(m) => row.problem = Some(m.to_string()),
        }
        rows.push(row);
    }
    rows.sort_by(|a, b| (&a.name, &a.file).cmp(&(&b.name, &b.file)));
    let total: u64 = rows.iter().map(|r| r.size).sum();
    let mut out = std::io::stdout().lock();
    match args.message_format {
        MessageFormat::Human => {
            let width = rows
                .iter()
                .filter_map(|r| r.name.as_ref())
                .map(|n| n.chars().count())
                .max()
                .unwrap_or(4)
                .max(4);
            writeln!(out, "{:width$}  {:>10}  {:12}  STATUS", "NAME", "SIZE", "SOURCE")?;
            for r in &rows {
                let status = match (&r.problem, r.indexed) {
                    (Some(p), _) => format!("corrupt: {}", p),
                    (None, true) => "ok".into(),
                    (None, false) => "not indexed".into(),
                };
                let sum: String = r.source_checksum.as_deref().unwrap_or("-").chars().take(12).collect();
                let name = r.name.as_deref().unwrap_or(&r.file);
                writeln!(out, "{:width$}  {:>10}  {:12}  {}", name, human_bytes(r.size), sum, status)?;
            }
            writeln!(out, "{} buckets, {}", rows.len(), human_bytes(total))?;
        }
        MessageFormat::Json => {
            for r in &rows {
                let j = serde_json::json!({
                    "type": "bucket", "name": r.name, "key": r.key, "file": r.file, "size": r.size,
                    "source_checksum": r.source_checksum, "fingerprint": r.fingerprint,
                    "indexed": r.indexed, "valid": r.problem.is_none(), "problem": r.problem,
                });
                writeln!(out, "{}", j)?;
            }
            let j = serde_json::json!({"type": "summary", "command": "ls", "buckets": rows.len(), "bytes": total,
                "fingerprint": index.as_ref().map(|i| i.fingerprint.clone())});
            writeln!(out, "{}", j)?;
        }
    }
    Ok(Exit::Ok)
}
