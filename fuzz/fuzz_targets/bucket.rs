//! Fuzz the bucket decoder: arbitrary bytes, and arbitrary bytes resealed with a valid
//! digest (so that the version, length, zstd and program checks are reached), must decode
//! to an error or a program — never panic, never allocate without bound.
//!
//! `cargo fuzz run bucket` from the repository root (needs cargo-fuzz and a nightly toolchain).
#![no_main]

use jinjac::cache::bucket::{self, Expect, MAGIC};
use jinjac::cache::Fingerprint;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let fp = Fingerprint([0; 32]);
    let loose = Expect { fingerprint: &fp, name: None, source_checksum: None };
    let _ = bucket::decode(data, &loose);
    let _ = bucket::read_header(data);

    // The same bytes behind a valid magic and format version, with a correct digest.
    let mut sealed = MAGIC.to_vec();
    sealed.extend_from_slice(&bucket::FORMAT_VERSION.to_le_bytes());
    sealed.extend_from_slice(data);
    if sealed.len() >= bucket::MIN_LEN {
        let n = sealed.len() - 32;
        let digest = bucket::digest(&sealed[..n]);
        sealed[n..].copy_from_slice(&digest);
        if let Ok((header, _)) = bucket::read_header(&sealed) {
            let exact = Expect { fingerprint: &header.fingerprint, name: None, source_checksum: None };
            let _ = bucket::decode(&sealed, &exact);
        }
    }
});
