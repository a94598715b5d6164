//! `jinjac compile` and `jinjac check`: walk, compile every template in a rayon pool (each job
//! returns an [`Outcome`]; a bad template never stops the others), then — in this order —
//! print the outcomes sorted by name, prune, write the index last and atomically, and print
//! one summary. Incremental: a bucket whose header matches the current settings, name and
//! source checksum is left alone, so a rerun with nothing changed writes nothing at all.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::args::MessageFormat;
use super::diagnostics::{error_json, print_error_styled, print_problem, problem_json};
use super::progress::Progress;
use super::settings::{self, CompileConfig};
use super::walk::{walk, Job};
use super::Exit;
use crate::cache::bucket::{self, Expect};
use crate::cache::fingerprint::hex;
use crate::cache::fs::{read_capped, FileSystemBytecodeCache, TEMP_PREFIX};
use crate::cache::index::IndexEntry;
use crate::cache::{cache_key, Fingerprint, Index};
use crate::error::{Error, ErrorKind};
use crate::Environment;

/// What happened to one template.
#[derive(Debug)]
enum Status {
    /// Compiled and its bucket written.
    Compiled,
    /// Its bucket was already current; nothing written.
    UpToDate,
    /// Compiled without writing (`check`).
    Checked,
    /// The template is broken.
    Failed(Error),
    /// Reading the source or writing the bucket failed.
    Io(String),
}

#[derive(Debug)]
struct Outcome {
    job: Job,
    status: Status,
    bytes_in: u64,
    bytes_out: u64,
    entry: Option<IndexEntry>,
}

struct Worker<'a> {
    env: &'a Environment,
    fingerprint: Fingerprint,
    cache: &'a FileSystemBytecodeCache,
    write: bool,
    force: bool,
}

impl Worker<'_> {
    fn process(&self, job: &Job) -> Outcome {
        let mut out =
            Outcome { job: job.clone(), status: Status::Checked, bytes_in: 0, bytes_out: 0, entry: None };
        let bytes = match std::fs::read(&job.path) {
            Ok(b) => b,
            Err(e) => {
                out.status = Status::Io(format!("{}: {}", job.path.display(), e));
                return out;
            }
        };
        out.bytes_in = bytes.len() as u64;
        let source = match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(_) => {
                let mut e = Error::new(ErrorKind::ValueError, "template is not valid UTF-8");
                e.attach(&job.name, 1, 1, None);
                out.status = Status::Failed(e);
                return out;
            }
        };
        let checksum = bucket::source_checksum(&source);
        let key = cache_key(&job.name);
        let entry = |size: usize| IndexEntry {
            name: job.name.clone(),
            key: key.clone(),
            source_checksum: hex(&checksum),
            size: size as u64,
        };
        if self.write && !self.force {
            if let Ok(existing) = read_capped(&self.cache.bucket_path(&key)) {
                let expect = Expect {
                    fingerprint: &self.fingerprint,
                    name: Some(&job.name),
                    source_checksum: Some(&checksum),
                };
                if bucket::read_header(&existing).is_ok_and(|(h, _)| h.check(&expect).is_ok()) {
                    out.status = Status::UpToDate;
                    out.bytes_out = existing.len() as u64;
                    out.entry = Some(entry(existing.len()));
                    return out;
                }
            }
        }
        let program = match self.env.compile(&source, &job.name) {
            Ok(p) => p,
            Err(e) => {
                out.status = Status::Failed(e);
                return out;
            }
        };
        if !self.write {
            return out;
        }
        let encoded = match bucket::encode(&program, &job.name, &self.fingerprint, &checksum) {
            Ok(b) => b,
            Err(e) => {
                out.status = Status::Failed(e);
                return out;
            }
        };
        if let Err(e) = self.cache.write_bucket(&key, &encoded) {
            out.status = Status::Io(e.detail().to_string());
            return out;
        }
        out.status = Status::Compiled;
        out.bytes_out = encoded.len() as u64;
        out.entry = Some(entry(encoded.len()));
        out
    }
}

/// Create the cache directory and make sure a file can be created in it.
fn prepare_out(out: &std::path::Path) -> anyhow::Result<()> {
    let probe = std::fs::create_dir_all(out)
        .and_then(|()| tempfile::Builder::new().prefix(TEMP_PREFIX).suffix(".tmp").tempfile_in(out));
    probe.map(drop).map_err(|e| anyhow::anyhow!("cache directory {} is not writable: {}", out.display(), e))
}

/// Remove buckets whose key is not one of `live`; returns how many were removed.
fn prune(cache: &FileSystemBytecodeCache, live: &HashSet<String>) -> anyhow::Result<usize> {
    let mut n = 0;
    for path in cache.bucket_files()? {
        let keep = cache.key_of(&path).is_some_and(|k| live.contains(&k));
        if !keep {
            std::fs::remove_file(&path).map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e))?;
            n += 1;
        }
    }
    Ok(n)
}

/// The index: this run's good templates, plus other valid buckets already in the directory
/// (from other runs) under the same settings; never a template that failed in this run.
fn build_index(
    cache: &FileSystemBytecodeCache,
    fp: &Fingerprint,
    outcomes: &[Outcome],
    present: Vec<std::path::PathBuf>,
) -> anyhow::Result<Index> {
    let walked: HashSet<String> = outcomes.iter().map(|o| cache_key(&o.job.name)).collect();
    let mut entries: Vec<IndexEntry> = outcomes.iter().filter_map(|o| o.entry.clone()).collect();
    for path in present {
        let Some(key) = cache.key_of(&path) else { continue };
        if walked.contains(&key) {
            continue;
        }
        let Ok(bytes) = read_capped(&path) else { continue };
        let Ok((h, _)) = bucket::read_header(&bytes) else { continue };
        let expect = Expect { fingerprint: fp, name: None, source_checksum: None };
        if h.check(&expect).is_ok() && cache_key(&h.name) == key {
            entries.push(IndexEntry {
                name: h.name.clone(),
                key,
                source_checksum: h.source_checksum_hex(),
                size: bytes.len() as u64,
            });
        }
    }
    Ok(Index::new(fp, entries))
}

/// `1.5 KiB`-style sizes.
pub(crate) fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{} B", n);
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = "KiB";
    for u in UNITS.iter().skip(1) {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{:.1} {}", v, unit)
}

#[derive(Debug, Default)]
struct Counts {
    compiled: usize,
    up_to_date: usize,
    checked: usize,
    failed: usize,
    io: usize,
    bytes_in: u64,
    bytes_out: u64,
}

fn count(outcomes: &[Outcome]) -> Counts {
    let mut c = Counts::default();
    for o in outcomes {
        c.bytes_in += o.bytes_in;
        c.bytes_out += o.bytes_out;
        match o.status {
            Status::Compiled => c.compiled += 1,
            Status::UpToDate => c.up_to_date += 1,
            Status::Checked => c.checked += 1,
            Status::Failed(_) => c.failed += 1,
            Status::Io(_) => c.io += 1,
        }
    }
    c
}

fn print_outcomes(
    cfg: &CompileConfig,
    outcomes: &[Outcome],
    walk_errors: &[(PathBuf, String)],
) -> anyhow::Result<()> {
    match cfg.format {
        MessageFormat::Human => {
            let mut err = std::io::stderr().lock();
            for (path, msg) in walk_errors {
                print_problem(&mut err, "IOError", None, &format!("{}: {}", path.display(), msg), cfg.style)?;
            }
            for o in outcomes {
                match &o.status {
                    Status::Failed(e) => print_error_styled(&mut err, e, cfg.style)?,
                    Status::Io(m) => print_problem(&mut err, "IOError", Some(&o.job.name), m, cfg.style)?,
                    _ => {}
                }
            }
        }
        MessageFormat::Json => {
            let mut out = std::io::stdout().lock();
            for (path, msg) in walk_errors {
                writeln!(out, "{}", problem_json("IOError", None, Some(path), msg))?;
            }
            for o in outcomes {
                let j = match &o.status {
                    Status::Failed(e) => error_json(e, Some(&o.job.name), Some(&o.job.path)),
                    Status::Io(m) => problem_json("IOError", Some(&o.job.name), Some(&o.job.path), m),
                    _ => continue,
                };
                writeln!(out, "{}", j)?;
            }
        }
    }
    Ok(())
}

fn print_summary(cfg: &CompileConfig, c: &Counts, pruned: usize, elapsed: Duration) -> anyhow::Result<()> {
    let total = c.compiled + c.up_to_date + c.checked + c.failed + c.io;
    let failed = c.failed + c.io;
    let ratio = if c.bytes_in == 0 { 0.0 } else { c.bytes_out as f64 / c.bytes_in as f64 };
    match cfg.format {
        MessageFormat::Json => {
            let j = if cfg.write {
                serde_json::json!({
                    "type": "summary", "command": "compile", "templates": total,
                    "compiled": c.compiled, "up_to_date": c.up_to_date, "failed": failed, "pruned": pruned,
                    "bytes_in": c.bytes_in, "bytes_out": c.bytes_out, "ratio": ratio,
                    "elapsed_ms": elapsed.as_millis() as u64,
                })
            } else {
                serde_json::json!({
                    "type": "summary", "command": "check", "templates": total, "ok": c.checked,
                    "failed": failed, "bytes_in": c.bytes_in, "elapsed_ms": elapsed.as_millis() as u64,
                })
            };
            writeln!(std::io::stdout().lock(), "{}", j)?;
        }
        MessageFormat::Human if !cfg.quiet => {
            let s = &cfg.style;
            let failed_text = format!("failed {}", failed);
            let failed_text = if failed > 0 { s.error(&failed_text) } else { failed_text };
            let secs = elapsed.as_secs_f64();
            let line = if cfg.write {
                let pruned = if cfg.prune { format!(", pruned {}", pruned) } else { String::new() };
                format!(
                    "{}: compiled {}, up to date {}, {}{} ({} templates); {} in, {} out ({:.1}%); {:.2}s",
                    s.good("compile"),
                    c.compiled,
                    c.up_to_date,
                    failed_text,
                    pruned,
                    total,
                    human_bytes(c.bytes_in),
                    human_bytes(c.bytes_out),
                    ratio * 100.0,
                    secs
                )
            } else {
                format!(
                    "{}: {} templates, ok {}, {}; {} in; {:.2}s",
                    s.good("check"),
                    total,
                    c.checked,
                    failed_text,
                    human_bytes(c.bytes_in),
                    secs
                )
            };
            writeln!(std::io::stderr().lock(), "{}", line)?;
        }
        MessageFormat::Human => {}
    }
    Ok(())
}

/// Run `compile` (when `cfg.write`) or `check`.
pub(crate) fn run(cfg: CompileConfig) -> anyhow::Result<Exit> {
    let start = Instant::now();
    let env = settings::environment(&cfg.config)?;
    let fingerprint = env.fingerprint();
    let walked = walk(&cfg.roots, &cfg.filter, cfg.follow, std::slice::from_ref(&cfg.out))?;
    if cfg.write {
        prepare_out(&cfg.out)?;
    }
    let cache = FileSystemBytecodeCache::new(&cfg.out);
    let worker = Worker { env: &env, fingerprint, cache: &cache, write: cfg.write, force: cfg.force };
    let progress =
        Progress::new(cfg.progress, walked.jobs.len(), if cfg.write { "Compiling" } else { "Checking" });
    // Big stacks: parsing recurses as deep as templates nest.
    let pool =
        rayon::ThreadPoolBuilder::new().num_threads(cfg.jobs.unwrap_or(0)).stack_size(32 << 20).build()?;
    // The buckets other runs left (for the index) are listed while this run compiles: the
    // ones this run writes are in its outcomes.
    let (outcomes, present): (Vec<Outcome>, std::io::Result<Vec<std::path::PathBuf>>) = pool.install(|| {
        rayon::join(
            || {
                walked
                    .jobs
                    .par_iter()
                    .map(|job| {
                        let o = worker.process(job);
                        progress.inc(&job.name);
                        o
                    })
                    .collect()
            },
            || if cfg.write { cache.bucket_files() } else { Ok(Vec::new()) },
        )
    });
    progress.finish();
    print_outcomes(&cfg, &outcomes, &walked.errors)?;
    let mut pruned = 0;
    let mut io_failure = !walked.errors.is_empty();
    if cfg.write {
        if cfg.prune {
            let live: HashSet<String> = walked.jobs.iter().map(|j| cache_key(&j.name)).collect();
            pruned = prune(&cache, &live)?;
        }
        let index = build_index(&cache, &fingerprint, &outcomes, present?)?;
        if let Err(e) = index.write(&cfg.out) {
            io_failure = true;
            let mut err = std::io::stderr().lock();
            print_problem(&mut err, "IOError", None, e.detail(), cfg.style)?;
        }
    }
    let counts = count(&outcomes);
    print_summary(&cfg, &counts, pruned, start.elapsed())?;
    Ok(if io_failure || counts.io > 0 {
        Exit::Usage
    } else if counts.failed > 0 {
        Exit::TemplateError
    } else {
        Exit::Ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(human_bytes(10), "10 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 << 20), "5.0 MiB");
    }

    #[test]
    fn bucket_keys_from_file_names() {
        let c = FileSystemBytecodeCache::new("d");
        let k = cache_key("x");
        assert_eq!(c.key_of(&c.bucket_path(&k)), Some(k));
    }
}
