//! Counters a bytecode cache keeps while an application runs: hits, misses (with the last
//! reason), writes and write failures. Lock-free counters; the first write failure is kept
//! so that it can be reported exactly once.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

/// Live counters, shared by every thread using one cache.
#[derive(Debug, Default)]
pub struct CacheStats {
    hits: AtomicU64,
    misses: AtomicU64,
    writes: AtomicU64,
    write_errors: AtomicU64,
    bytes_read: AtomicU64,
    bytes_written: AtomicU64,
    first_write_error: Mutex<Option<String>>,
    reported: AtomicBool,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    /// Buckets that were loaded and used.
    pub hits: u64,
    /// Lookups that found no usable bucket (absent, stale, corrupt, foreign...).
    pub misses: u64,
    /// Buckets written.
    pub writes: u64,
    /// Buckets that could not be written.
    pub write_errors: u64,
    /// Bytes of buckets read.
    pub bytes_read: u64,
    /// Bytes of buckets written.
    pub bytes_written: u64,
    /// Bytes the cache currently holds on its storage, when known.
    pub size: Option<u64>,
}

impl StatsSnapshot {
    /// hits / (hits + misses), or 0 when nothing was looked up.
    pub fn hit_ratio(&self) -> f64 {
        let total = self.hits + self.misses;
        if total == 0 {
            0.0
        } else {
            self.hits as f64 / total as f64
        }
    }
}

impl CacheStats {
    /// Count a hit of `bytes`.
    pub fn hit(&self, bytes: usize) {
        self.hits.fetch_add(1, Ordering::Relaxed);
        self.bytes_read.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// Count a miss.
    pub fn miss(&self) {
        self.misses.fetch_add(1, Ordering::Relaxed);
    }

    /// Count a bucket written.
    pub fn wrote(&self, bytes: usize) {
        self.writes.fetch_add(1, Ordering::Relaxed);
        self.bytes_written.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    /// Count a failed write, keeping the first message.
    pub fn write_failed(&self, message: String) {
        self.write_errors.fetch_add(1, Ordering::Relaxed);
        let mut first = self.first_write_error.lock().unwrap_or_else(|e| e.into_inner());
        if first.is_none() {
            *first = Some(message);
        }
    }

    /// The first write failure, returned once only (later calls give `None`).
    pub fn take_warning(&self) -> Option<String> {
        let first = self.first_write_error.lock().unwrap_or_else(|e| e.into_inner()).clone()?;
        if self.reported.swap(true, Ordering::Relaxed) {
            None
        } else {
            Some(first)
        }
    }

    /// The counters now.
    pub fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
            write_errors: self.write_errors.load(Ordering::Relaxed),
            bytes_read: self.bytes_read.load(Ordering::Relaxed),
            bytes_written: self.bytes_written.load(Ordering::Relaxed),
            size: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ratio() {
        let s = CacheStats::default();
        assert_eq!(s.snapshot().hit_ratio(), 0.0);
        s.hit(10);
        s.miss();
        s.miss();
        s.hit(5);
        let snap = s.snapshot();
        assert_eq!((snap.hits, snap.misses, snap.bytes_read), (2, 2, 15));
        assert!((snap.hit_ratio() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn write_error_reported_once() {
        let s = CacheStats::default();
        assert_eq!(s.take_warning(), None);
        s.write_failed("first".into());
        s.write_failed("second".into());
        assert_eq!(s.take_warning().as_deref(), Some("first"));
        assert_eq!(s.take_warning(), None);
        assert_eq!(s.snapshot().write_errors, 2);
    }
}
