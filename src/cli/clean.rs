//! `jinjac clean DIR`: remove jinjac's buckets, its index and stale temporary files from DIR,
//! and nothing else (the directory itself stays, as do any other files in it).

use super::args::CleanArgs;
use super::Exit;
use crate::cache::fs::{clear_dir, FileSystemBytecodeCache};

pub(crate) fn run(args: CleanArgs) -> anyhow::Result<Exit> {
    if args.dir.exists() && !args.dir.is_dir() {
        anyhow::bail!("{}: not a directory", args.dir.display());
    }
    let cache = FileSystemBytecodeCache::new(&args.dir);
    let removed =
        clear_dir(&args.dir, |n| cache.is_bucket_file(n)).map_err(|e| anyhow::anyhow!("{}", e.detail()))?;
    if !args.quiet {
        eprintln!("clean: removed {} files from {}", removed.len(), args.dir.display());
    }
    Ok(Exit::Ok)
}
