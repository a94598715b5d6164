//! Bucket file format, version 1: one compiled template in a self-checking, versioned file.
//!
//! All integers are little-endian. `N` is the name's length, `C` the compressed payload's.
//!
//! | offset      | size | field                                                          |
//! |-------------|------|----------------------------------------------------------------|
//! | 0           | 8    | magic: `JINJACBK`                                              |
//! | 8           | 2    | format version (`u16`, currently 1)                            |
//! | 10          | 2    | flags (`u16`, must be 0)                                       |
//! | 12          | 4    | bytecode version (`u32`, [`BYTECODE_VERSION`])                 |
//! | 16          | 32   | environment fingerprint (blake3, see [`super::fingerprint`])   |
//! | 48          | 32   | source checksum (blake3 of the template source, UTF-8)         |
//! | 80          | 4    | name length `N` (`u32`, at most 65 536)                        |
//! | 84          | N    | template name, UTF-8                                           |
//! | 84+N        | 8    | uncompressed program length `U` (`u64`, at most 256 MiB)       |
//! | 92+N        | 8    | compressed length `C` (`u64`)                                  |
//! | 100+N       | C    | one zstd frame holding `Program::to_bytes()`                   |
//! | 100+N+C     | 32   | blake3 digest of bytes `0 .. 100+N+C`                          |
//!
//! The file is exactly `132 + N + C` bytes. Encoding is deterministic: the same program, name,
//! settings and source give the same bytes (zstd level [`ZSTD_LEVEL`], single-threaded, no
//! timestamps). [`decode`] checks, in order: length, magic, format version, flags, digest,
//! bytecode version, fingerprint, name, source checksum, then decompresses into a buffer of
//! exactly `U` bytes and deserializes the program. Any failure is a [`Miss`] — never a panic —
//! and the caller recompiles.
//!
//! The digest guards against corruption, not against an attacker who can write the cache
//! directory: such a person can write templates too. Still, a forged payload cannot do more than
//! fail: the program is flat (node tables, no recursion while deserializing) and
//! [`Program::from_bytes`] validates every index and that every node's children come before
//! it, so no walk of a decoded program can go out of bounds or loop.

use std::cell::{Cell, RefCell};

use crate::compiler::{Program, BYTECODE_VERSION};
use crate::error::{Error, ErrorKind, Result};

use super::fingerprint::{hex, Fingerprint};

/// The first eight bytes of every bucket.
pub const MAGIC: [u8; 8] = *b"JINJACBK";
/// Version of the layout above.
pub const FORMAT_VERSION: u16 = 1;
/// zstd compression level used for the payload. A fast (negative) level stores literals
/// without Huffman coding and finds fewer, longer matches. On the benchmark corpus (1008
/// templates, 4.52 MB of serialized programs), buckets and the instructions to inflate them
/// and to hash them (the digest covers the file):
///
/// | level | buckets | inflate | digest | sum  |
/// |-------|---------|---------|--------|------|
/// | 1     | 2.49 MB | 69 M    |        |      |
/// | -1    | 3.00 MB | 35 M    |        |      |
/// | -4    | 3.38 MB | 23.5 M  | 16.8 M | 40 M |
/// | -8    | 3.71 MB | 14.8 M  | 18.0 M | 33 M |
/// | -12   | 3.91 MB | 10.8 M  | 18.6 M | 29 M |
/// | -16   | 4.06 MB | 8.6 M   | 19.1 M | 28 M |
/// | -20   | 4.19 MB | 7.4 M   | 19.4 M | 27 M |
/// | -32   | 4.38 MB | 5.0 M   | 20.0 M | 25 M |
///
/// (Measured at bytecode version 13; version 14 stores spans in about one byte each, and the
/// programs shrank to 4.19 MB, the buckets at -32 to 4.09 MB; version 15 stores the span
/// tables compressed on their own at level 19 inside the program, 3.89 MB, buckets 3.84 MB;
/// version 16 one span table for both kinds of node, 3.87 MB, buckets 3.81 MB; the span
/// table is now packed at level 3, which writes far faster for 11 KB more; version 17 stores
/// no statement lists (a load rebuilds them) and data runs without their starts, 3.56 MB,
/// buckets 3.50 MB; version 18, blocks as fixed records naming the string table, the same;
/// version 19, argument lists in about a byte and a half each, 3.31 MB, buckets 3.25 MB;
/// version 20, names, constants and attributes with small string ids in one byte, 3.07 MB,
/// buckets 3.04 MB; version 21, targets and loops in layouts of their own, 2.99 MB, buckets
/// 2.96 MB; version 22, data runs under 128 bytes in one byte, 2.91 MB, buckets 2.87 MB;
/// version 23, runs of text and `{{ }}` pairs and `a.b` pairs under one tag each, 2.85 MB,
/// buckets 2.82 MB.)
///
/// Loading is what a cache is for, so the size is traded for speed down to -32 (it was -16
/// until compiling got faster and loading had to keep its 10x lead: 2.9 M fewer instructions
/// per corpus load for 8 % more bytes, still 3 % below the raw program); further down each
/// step saves little (-1000, all but raw: 0.8 M less, 4.67 MB) and the payload passes the
/// raw size.
///
/// Raw literals with a stronger match finder do not pay either (measured at bytecode 14, the
/// programs alone, 4.19 MB, each with a 150-byte stand-in for its header; size, then inflate
/// and digest together): level -32 3.94 MB, 22.9 M; -1 2.72 MB, 47.9 M; 3 without literal
/// compression 2.55 MB, 58.1 M; 19 without it 2.37 MB, 74.6 M, and with a minimum match of 7
/// bytes 2.73 MB, 42.2 M. Inflating the matches costs far more than the bytes they save cost
/// blake3 (about 4.5 instructions a byte).
pub const ZSTD_LEVEL: i32 = -32;
/// Longest template name a bucket holds.
pub const MAX_NAME_LEN: usize = 1 << 16;
/// Largest serialized program a bucket holds (bounds decompression).
pub const MAX_PROGRAM_LEN: u64 = 256 << 20;

const FIXED_HEAD: usize = 84;
const DIGEST_LEN: usize = 32;
/// Size of a bucket with an empty name and an empty payload.
pub const MIN_LEN: usize = FIXED_HEAD + 16 + DIGEST_LEN;

/// Why a bucket could not be used. Every variant means "recompile".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Miss {
    /// Shorter than its header or its declared lengths.
    Truncated,
    /// Longer than its declared lengths.
    TrailingBytes,
    /// Not a jinjac bucket.
    Foreign,
    /// A layout this build does not read.
    FormatVersion(u16),
    /// Reserved flags are set.
    Flags(u16),
    /// The whole-file digest does not match: corrupt.
    Digest,
    /// Compiled by an engine with another bytecode version.
    BytecodeVersion(u32),
    /// Compiled under other environment settings.
    Fingerprint,
    /// Holds another template.
    Name(String),
    /// Compiled from another version of the source (stale).
    SourceChecksum,
    /// A declared length is out of bounds.
    Length,
    /// The payload does not decompress to the declared length.
    Decompress(String),
    /// The payload is not a valid program.
    Program(String),
}

impl std::fmt::Display for Miss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Miss::Truncated => f.write_str("truncated bucket"),
            Miss::TrailingBytes => f.write_str("bucket has trailing bytes"),
            Miss::Foreign => f.write_str("not a jinjac bucket (bad magic)"),
            Miss::FormatVersion(v) => {
                write!(f, "bucket format version {} (this build reads {})", v, FORMAT_VERSION)
            }
            Miss::Flags(v) => write!(f, "unknown bucket flags {:#06x}", v),
            Miss::Digest => f.write_str("bucket digest mismatch (corrupt)"),
            Miss::BytecodeVersion(v) => {
                write!(f, "bytecode version {} (this engine uses {})", v, BYTECODE_VERSION)
            }
            Miss::Fingerprint => {
                f.write_str("compiled with other environment settings (fingerprint mismatch)")
            }
            Miss::Name(n) => write!(f, "bucket holds another template ({:?})", n),
            Miss::SourceChecksum => f.write_str("stale: the source changed since it was compiled"),
            Miss::Length => f.write_str("declared length out of bounds"),
            Miss::Decompress(e) => write!(f, "payload does not decompress: {}", e),
            Miss::Program(e) => write!(f, "payload is not a valid program: {}", e),
        }
    }
}

impl std::error::Error for Miss {}

impl From<Miss> for Error {
    fn from(m: Miss) -> Error {
        Error::new(ErrorKind::BadBytecode, m.to_string())
    }
}

/// The trailing digest of a bucket whose preceding bytes are `body`.
pub fn digest(body: &[u8]) -> [u8; 32] {
    *blake3::hash(body).as_bytes()
}

/// The blake3 checksum of a template source.
pub fn source_checksum(source: &str) -> [u8; 32] {
    *blake3::hash(source.as_bytes()).as_bytes()
}

/// What a bucket says about itself, read without decompressing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Layout version.
    pub format_version: u16,
    /// Engine bytecode version.
    pub bytecode_version: u32,
    /// Environment fingerprint.
    pub fingerprint: Fingerprint,
    /// blake3 of the source.
    pub source_checksum: [u8; 32],
    /// Template name.
    pub name: String,
    /// Serialized program length.
    pub program_len: u64,
    /// Compressed payload length.
    pub compressed_len: u64,
    /// The whole-file digest (the last 32 bytes).
    pub digest: [u8; 32],
}

impl Header {
    /// The source checksum in hex.
    pub fn source_checksum_hex(&self) -> String {
        hex(&self.source_checksum)
    }
}

/// What a caller requires of a bucket; `None` fields are not checked.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    /// The current environment's fingerprint.
    pub fingerprint: &'a Fingerprint,
    /// The template name the bucket must hold.
    pub name: Option<&'a str>,
    /// The current source's checksum (none when serving without sources).
    pub source_checksum: Option<&'a [u8; 32]>,
}

/// Encode already-serialized program bytes into a bucket.
pub fn encode_raw(
    program_bytes: &[u8],
    name: &str,
    fingerprint: &Fingerprint,
    source_checksum: &[u8; 32],
) -> Result<Vec<u8>> {
    if name.len() > MAX_NAME_LEN {
        return Err(Error::new(
            ErrorKind::BadBytecode,
            format!("template name longer than {} bytes", MAX_NAME_LEN),
        ));
    }
    if program_bytes.len() as u64 > MAX_PROGRAM_LEN {
        return Err(Error::new(ErrorKind::BadBytecode, "compiled program larger than 256 MiB"));
    }
    let payload =
        compress(program_bytes).map_err(|e| Error::new(ErrorKind::BadBytecode, format!("zstd: {}", e)))?;
    let mut out = Vec::with_capacity(MIN_LEN + name.len() + payload.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&BYTECODE_VERSION.to_le_bytes());
    out.extend_from_slice(&fingerprint.0);
    out.extend_from_slice(source_checksum);
    out.extend_from_slice(&(name.len() as u32).to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(&(program_bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&payload);
    let digest = blake3::hash(&out);
    out.extend_from_slice(digest.as_bytes());
    Ok(out)
}

/// Encode a program into a bucket.
pub fn encode(
    program: &Program,
    name: &str,
    fingerprint: &Fingerprint,
    source_checksum: &[u8; 32],
) -> Result<Vec<u8>> {
    let bytes = program.to_bytes()?;
    encode_raw(&bytes, name, fingerprint, source_checksum)
}

/// A little reader over a byte slice: every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> std::result::Result<&'a [u8], Miss> {
        let end = self.pos.checked_add(n).ok_or(Miss::Truncated)?;
        let s = self.bytes.get(self.pos..end).ok_or(Miss::Truncated)?;
        self.pos = end;
        Ok(s)
    }
    fn array<const K: usize>(&mut self) -> std::result::Result<[u8; K], Miss> {
        let s = self.take(K)?;
        <[u8; K]>::try_from(s).map_err(|_| Miss::Truncated)
    }
    fn u16(&mut self) -> std::result::Result<u16, Miss> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> std::result::Result<u32, Miss> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> std::result::Result<u64, Miss> {
        Ok(u64::from_le_bytes(self.array()?))
    }
}

/// Parse a bucket's structure and verify its digest, without decompressing. Does not compare
/// against any expectation; see [`Header::check`].
pub fn read_header(bytes: &[u8]) -> std::result::Result<(Header, &[u8]), Miss> {
    let (h, payload) = parse(bytes)?;
    let header = Header {
        format_version: h.format_version,
        bytecode_version: h.bytecode_version,
        fingerprint: h.fingerprint,
        source_checksum: h.source_checksum,
        name: h.name.to_string(),
        program_len: h.program_len,
        compressed_len: h.compressed_len,
        digest: h.digest,
    };
    Ok((header, payload))
}

/// A [`Header`] borrowing its name from the bucket (a load needs no copy of it).
struct Parsed<'a> {
    format_version: u16,
    bytecode_version: u32,
    fingerprint: Fingerprint,
    source_checksum: [u8; 32],
    name: &'a str,
    program_len: u64,
    compressed_len: u64,
    digest: [u8; 32],
}

/// [`read_header`]'s work, the name borrowed.
fn parse(bytes: &[u8]) -> std::result::Result<(Parsed<'_>, &[u8]), Miss> {
    match bytes.get(..MAGIC.len()) {
        None if MAGIC.starts_with(bytes) => return Err(Miss::Truncated),
        Some(m) if m == MAGIC => {}
        _ => return Err(Miss::Foreign),
    }
    let mut r = Reader { bytes, pos: MAGIC.len() };
    let format_version = r.u16()?;
    if format_version != FORMAT_VERSION {
        return Err(Miss::FormatVersion(format_version));
    }
    let flags = r.u16()?;
    let bytecode_version = r.u32()?;
    let fingerprint = Fingerprint(r.array()?);
    let source_checksum = r.array()?;
    let name_len = r.u32()? as usize;
    if name_len > MAX_NAME_LEN {
        return Err(Miss::Length);
    }
    let name_bytes = r.take(name_len)?;
    let program_len = r.u64()?;
    let compressed_len = r.u64()?;
    if program_len > MAX_PROGRAM_LEN {
        return Err(Miss::Length);
    }
    let payload = r.take(usize::try_from(compressed_len).map_err(|_| Miss::Truncated)?)?;
    let body_end = r.pos;
    let digest: [u8; 32] = r.array()?;
    if r.pos != bytes.len() {
        return Err(Miss::TrailingBytes);
    }
    let body = bytes.get(..body_end).ok_or(Miss::Truncated)?;
    if blake3::hash(body).as_bytes() != &digest {
        return Err(Miss::Digest);
    }
    if flags != 0 {
        return Err(Miss::Flags(flags));
    }
    let name = std::str::from_utf8(name_bytes)
        .map_err(|_| Miss::Name(String::from_utf8_lossy(name_bytes).into()))?;
    let header = Parsed {
        format_version,
        bytecode_version,
        fingerprint,
        source_checksum,
        name,
        program_len,
        compressed_len,
        digest,
    };
    Ok((header, payload))
}

impl Header {
    /// Compare against what the caller requires.
    pub fn check(&self, expect: &Expect<'_>) -> std::result::Result<(), Miss> {
        Parsed {
            format_version: self.format_version,
            bytecode_version: self.bytecode_version,
            fingerprint: self.fingerprint,
            source_checksum: self.source_checksum,
            name: &self.name,
            program_len: self.program_len,
            compressed_len: self.compressed_len,
            digest: self.digest,
        }
        .check(expect)
    }
}

impl Parsed<'_> {
    fn check(&self, expect: &Expect<'_>) -> std::result::Result<(), Miss> {
        if self.bytecode_version != BYTECODE_VERSION {
            return Err(Miss::BytecodeVersion(self.bytecode_version));
        }
        if &self.fingerprint != expect.fingerprint {
            return Err(Miss::Fingerprint);
        }
        if let Some(name) = expect.name {
            if self.name != name {
                return Err(Miss::Name(self.name.to_string()));
            }
        }
        if let Some(sum) = expect.source_checksum {
            if &self.source_checksum != sum {
                return Err(Miss::SourceChecksum);
            }
        }
        Ok(())
    }
}

thread_local! {
    // A zstd context is costly to create (large tables, allocated and freed per call
    // otherwise); one per thread is reused (decompression: `codec::with_decompressor`).
    // Output does not depend on reuse.
    static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
    // The inflate buffer of the thread's last load, taken by the next (the program is read
    // out of it, so one allocation per load fewer); buffers over [`KEEP_INFLATED`] bytes are
    // not kept.
    static INFLATED: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

fn compress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    crate::compiler::codec::compress_kept(&COMPRESSOR, ZSTD_LEVEL, bytes)
}

/// Inflate `payload` into `buf` (cleared first), which must come to exactly `cap` bytes.
fn inflate_into(payload: &[u8], cap: usize, buf: &mut Vec<u8>) -> std::result::Result<(), Miss> {
    buf.clear();
    buf.reserve_exact(cap);
    let n = crate::compiler::codec::with_decompressor(|d| d.decompress_to_buffer(payload, buf));
    let n = n.map_err(|e| Miss::Decompress(e.to_string()))?;
    if n != cap || buf.len() != cap {
        return Err(Miss::Decompress(format!("{} bytes, expected {}", n, cap)));
    }
    Ok(())
}

/// Largest inflate buffer kept for the next load on a thread.
const KEEP_INFLATED: usize = 1 << 20;

/// Decompress a payload into exactly `len` bytes.
pub fn decompress(payload: &[u8], len: u64) -> std::result::Result<Vec<u8>, Miss> {
    let cap = usize::try_from(len).map_err(|_| Miss::Length)?;
    let mut out = Vec::new();
    inflate_into(payload, cap, &mut out)?;
    Ok(out)
}

/// Validate a bucket completely and return its header and program.
pub fn decode_full(bytes: &[u8], expect: &Expect<'_>) -> std::result::Result<(Header, Program), Miss> {
    let (header, payload) = read_header(bytes)?;
    header.check(expect)?;
    let program = load(payload, header.program_len, &header.name)?;
    Ok((header, program))
}

/// Validate a bucket completely and return its program.
pub fn decode(bytes: &[u8], expect: &Expect<'_>) -> std::result::Result<Program, Miss> {
    let (header, payload) = parse(bytes)?;
    header.check(expect)?;
    load(payload, header.program_len, header.name)
}

/// Inflate a payload of `len` bytes and read the program in it, which must be named `name`.
fn load(payload: &[u8], len: u64, name: &str) -> std::result::Result<Program, Miss> {
    let cap = usize::try_from(len).map_err(|_| Miss::Length)?;
    let mut buf = INFLATED.take();
    let mut program = Program::default();
    let read = inflate_into(payload, cap, &mut buf)
        .and_then(|()| program.read(&buf).map_err(|e| Miss::Program(e.detail().to_string())));
    if buf.capacity() <= KEEP_INFLATED {
        INFLATED.set(buf);
    }
    read?;
    if program.name != name {
        return Err(Miss::Program(format!("program is named {:?}, bucket {:?}", program.name, name)));
    }
    Ok(program)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(n: u8) -> Fingerprint {
        Fingerprint([n; 32])
    }

    fn program(name: &str) -> Program {
        let mut p = Program::empty();
        p.name = name.to_string();
        p
    }

    fn sample() -> Vec<u8> {
        encode(&program("pages/index.html"), "pages/index.html", &fp(1), &source_checksum("hi")).unwrap()
    }

    fn expect<'a>(f: &'a Fingerprint, sum: &'a [u8; 32]) -> Expect<'a> {
        Expect { fingerprint: f, name: Some("pages/index.html"), source_checksum: Some(sum) }
    }

    #[test]
    fn round_trip_and_determinism() {
        let a = sample();
        assert_eq!(a, sample());
        assert_eq!(&a[..8], b"JINJACBK");
        let sum = source_checksum("hi");
        let p = decode(&a, &expect(&fp(1), &sum)).unwrap();
        assert_eq!(p, program("pages/index.html"));
        let (h, _) = read_header(&a).unwrap();
        assert_eq!(h.name, "pages/index.html");
        assert_eq!(a.len(), MIN_LEN + h.name.len() + h.compressed_len as usize);
    }

    #[test]
    fn each_mismatch_is_its_miss() {
        let a = sample();
        let sum = source_checksum("hi");
        let other = source_checksum("ho");
        assert_eq!(decode(&a, &expect(&fp(2), &sum)), Err(Miss::Fingerprint));
        assert_eq!(decode(&a, &expect(&fp(1), &other)), Err(Miss::SourceChecksum));
        let e = Expect { fingerprint: &fp(1), name: Some("x"), source_checksum: None };
        assert!(matches!(decode(&a, &e), Err(Miss::Name(_))));
        assert_eq!(decode(&a[..a.len() - 1], &expect(&fp(1), &sum)), Err(Miss::Truncated));
        let mut longer = a.clone();
        longer.push(0);
        assert_eq!(decode(&longer, &expect(&fp(1), &sum)), Err(Miss::TrailingBytes));
        let mut foreign = a.clone();
        foreign[0] = b'X';
        assert_eq!(decode(&foreign, &expect(&fp(1), &sum)), Err(Miss::Foreign));
        let mut version = a.clone();
        version[8] = 9;
        assert_eq!(decode(&version, &expect(&fp(1), &sum)), Err(Miss::FormatVersion(9)));
        let mut corrupt = a.clone();
        let mid = corrupt.len() - 40;
        corrupt[mid] ^= 1;
        assert_eq!(decode(&corrupt, &expect(&fp(1), &sum)), Err(Miss::Digest));
        assert_eq!(decode(b"", &expect(&fp(1), &sum)), Err(Miss::Truncated));
        assert_eq!(decode(b"JINJ", &expect(&fp(1), &sum)), Err(Miss::Truncated));
    }

    /// A bucket with a recomputed digest but other bytecode version or payload still misses.
    #[test]
    fn digest_valid_but_inconsistent() {
        let sum = source_checksum("hi");
        let mut a = sample();
        a[12] = 0xEE;
        let n = a.len() - 32;
        let d = blake3::hash(&a[..n]);
        a[n..].copy_from_slice(d.as_bytes());
        assert!(matches!(decode(&a, &expect(&fp(1), &sum)), Err(Miss::BytecodeVersion(_))));

        let junk = encode_raw(b"\xff\xff\xff\xff", "pages/index.html", &fp(1), &sum).unwrap();
        assert!(matches!(decode(&junk, &expect(&fp(1), &sum)), Err(Miss::Program(_))));
    }

    /// Loads on a thread inflate into one reused buffer: a payload that inflates to more or
    /// fewer bytes than declared still misses when the buffer has room from a larger load,
    /// and a small program after a large one reads only its own bytes.
    #[test]
    fn the_reused_inflate_buffer_holds_each_load_to_its_declared_length() {
        let sum = source_checksum("hi");
        let name = "pages/index.html";
        let mut big = program(name);
        big.data = "x".repeat(100_000);
        let big_bucket = encode(&big, name, &fp(1), &sum).unwrap();
        assert_eq!(decode(&big_bucket, &expect(&fp(1), &sum)), Ok(big));
        assert_eq!(decode(&sample(), &expect(&fp(1), &sum)), Ok(program(name)));
        // Declared length (at 84 + N) off by one either way, the digest recomputed.
        for delta in [-1i64, 1] {
            let mut a = sample();
            let at = FIXED_HEAD + name.len();
            let mut len = [0u8; 8];
            len.copy_from_slice(&a[at..at + 8]);
            let declared = (u64::from_le_bytes(len) as i64 + delta) as u64;
            a[at..at + 8].copy_from_slice(&declared.to_le_bytes());
            let n = a.len() - 32;
            let d = blake3::hash(&a[..n]);
            a[n..].copy_from_slice(d.as_bytes());
            assert!(matches!(decode(&a, &expect(&fp(1), &sum)), Err(Miss::Decompress(_))), "{delta}");
        }
        assert_eq!(decode(&sample(), &expect(&fp(1), &sum)), Ok(program(name)));
    }
}
