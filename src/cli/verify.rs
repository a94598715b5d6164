//! `jinjac verify DIR [-t DIR]...`: the integrity of every bucket (digest, versions, payload,
//! file name matching the template, agreement with the index) and, given template
//! directories, its freshness (the source still exists and has the checksum the bucket was
//! compiled from). With `--config` or environment flags, also that every bucket was compiled
//! under those settings. Exit 1 when anything is bad or stale.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::args::{MessageFormat, VerifyArgs};
use super::settings;
use super::style::Style;
use super::Exit;
use crate::cache::bucket::{self, Header};
use crate::cache::fs::{read_capped, FileSystemBytecodeCache, INDEX_FILE};
use crate::cache::{cache_key, Fingerprint, Index};
use crate::compiler::{Program, BYTECODE_VERSION};
use crate::loader::{FileSystemLoader, Loader};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Ok,
    Bad,
    Stale,
}

impl Verdict {
    fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Bad => "bad",
            Verdict::Stale => "stale",
        }
    }
}

struct Finding {
    name: Option<String>,
    file: PathBuf,
    verdict: Verdict,
    reason: Option<String>,
}

/// Full integrity check of one bucket file; the header on success.
fn check_integrity(cache: &FileSystemBytecodeCache, path: &Path, bytes: &[u8]) -> Result<Header, String> {
    let (h, payload) = bucket::read_header(bytes).map_err(|m| m.to_string())?;
    if cache.key_of(path).as_deref() != Some(cache_key(&h.name).as_str()) {
        return Err(format!("file name does not match template {:?} (moved or swapped bucket)", h.name));
    }
    if h.bytecode_version != BYTECODE_VERSION {
        return Err(bucket::Miss::BytecodeVersion(h.bytecode_version).to_string());
    }
    let raw = bucket::decompress(payload, h.program_len).map_err(|m| m.to_string())?;
    let program =
        Program::from_bytes(&raw).map_err(|e| format!("payload is not a valid program: {}", e.detail()))?;
    if program.name != h.name {
        return Err(format!("program is named {:?}, bucket {:?}", program.name, h.name));
    }
    Ok(h)
}

struct Expected<'a> {
    index: Option<&'a Index>,
    sources: Option<&'a FileSystemLoader>,
    fingerprint: Option<Fingerprint>,
}

fn verify_file(cache: &FileSystemBytecodeCache, path: &Path, want: &Expected<'_>) -> Finding {
    let mut f = Finding { name: None, file: path.to_path_buf(), verdict: Verdict::Ok, reason: None };
    let bad = |mut f: Finding, why: String| {
        f.verdict = Verdict::Bad;
        f.reason = Some(why);
        f
    };
    let bytes = match read_capped(path) {
        Ok(b) => b,
        Err(e) => return bad(f, e.to_string()),
    };
    let h = match check_integrity(cache, path, &bytes) {
        Ok(h) => h,
        Err(why) => return bad(f, why),
    };
    f.name = Some(h.name.clone());
    if want.fingerprint.is_some_and(|fp| fp != h.fingerprint) {
        return bad(f, "compiled with other settings than configured (fingerprint)".into());
    }
    if let Some(index) = want.index {
        if index.fingerprint() != Some(h.fingerprint) {
            return bad(f, "compiled with other settings than the index records (fingerprint)".into());
        }
        match index.get(&h.name) {
            None => return bad(f, "not listed in the index".into()),
            Some(e) if e.checksum() != Some(h.source_checksum) => {
                return bad(f, "source checksum differs from the index".into())
            }
            Some(_) => {}
        }
    }
    if let Some(loader) = want.sources {
        match loader.get_source(&h.name) {
            Ok(Some(src)) if bucket::source_checksum(&src.source) == h.source_checksum => {}
            Ok(Some(_)) => {
                f.verdict = Verdict::Stale;
                f.reason = Some("stale: the source changed since it was compiled".into());
            }
            Ok(None) => {
                f.verdict = Verdict::Stale;
                f.reason = Some("stale: the source no longer exists".into());
            }
            Err(e) => {
                f.verdict = Verdict::Stale;
                f.reason = Some(format!("stale: the source cannot be read: {}", e.detail()));
            }
        }
    }
    f
}

pub(crate) fn run(args: VerifyArgs, style: Style) -> anyhow::Result<Exit> {
    if !args.dir.is_dir() {
        anyhow::bail!("{}: not a directory", args.dir.display());
    }
    let cache = FileSystemBytecodeCache::new(&args.dir);
    let mut findings = Vec::new();
    let index = match Index::read(&args.dir) {
        Ok(i) => i,
        Err(e) => {
            findings.push(Finding {
                name: None,
                file: args.dir.join(INDEX_FILE),
                verdict: Verdict::Bad,
                reason: Some(e.detail().to_string()),
            });
            None
        }
    };
    let sources = (!args.templates.is_empty()).then(|| FileSystemLoader::new(&args.templates));
    let fingerprint = if args.config.is_some() || args.env.any() {
        let config = settings::load_config(args.config.as_deref(), &args.env)?;
        Some(settings::environment(&config)?.fingerprint())
    } else {
        None
    };
    let want = Expected { index: index.as_ref(), sources: sources.as_ref(), fingerprint };
    let files = cache.bucket_files()?;
    for path in &files {
        findings.push(verify_file(&cache, path, &want));
    }
    if let Some(index) = &index {
        let present: std::collections::HashSet<&PathBuf> = files.iter().collect();
        for e in &index.templates {
            let path = cache.bucket_path(&cache_key(&e.name));
            if !present.contains(&path) {
                findings.push(Finding {
                    name: Some(e.name.clone()),
                    file: path,
                    verdict: Verdict::Bad,
                    reason: Some("listed in the index but the bucket is missing".into()),
                });
            }
        }
    }
    findings.sort_by(|a, b| (&a.name, &a.file).cmp(&(&b.name, &b.file)));
    let count = |v: Verdict| findings.iter().filter(|f| f.verdict == v).count();
    let (ok, bad, stale) = (count(Verdict::Ok), count(Verdict::Bad), count(Verdict::Stale));
    match args.message_format {
        MessageFormat::Human => {
            let mut err = std::io::stderr().lock();
            for f in findings.iter().filter(|f| f.verdict != Verdict::Ok) {
                let label = match f.verdict {
                    Verdict::Bad => style.error("bad"),
                    _ => style.warning("stale"),
                };
                let name = f.name.as_deref().unwrap_or("?");
                writeln!(
                    err,
                    "{}: {} ({}): {}",
                    label,
                    name,
                    f.file.display(),
                    f.reason.as_deref().unwrap_or("")
                )?;
            }
            writeln!(
                err,
                "{}: {} buckets, ok {}, bad {}, stale {}",
                style.good("verify"),
                files.len(),
                ok,
                bad,
                stale
            )?;
        }
        MessageFormat::Json => {
            let mut out = std::io::stdout().lock();
            for f in &findings {
                let j = serde_json::json!({
                    "type": "bucket", "name": f.name, "file": f.file.display().to_string(),
                    "status": f.verdict.as_str(), "reason": f.reason,
                });
                writeln!(out, "{}", j)?;
            }
            let j = serde_json::json!({"type": "summary", "command": "verify", "buckets": files.len(),
                "ok": ok, "bad": bad, "stale": stale});
            writeln!(out, "{}", j)?;
        }
    }
    Ok(if bad + stale > 0 { Exit::TemplateError } else { Exit::Ok })
}
