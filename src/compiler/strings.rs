//! The program's string table: every interned name and string constant, stored as one text
//! blob and the end offset of each string.
//!
//! A program loaded from a bucket copies the blob once and checks it once (UTF-8, offsets in
//! order and on character boundaries); the shared [`Str`] the renderer hands out for a string
//! is made on its first use and kept (most names of a large template are never looked at on a
//! given render, and none are looked at by a load that only checks a cache). A program made by
//! the lowering has every shared string from the start.

use std::fmt;
#[cfg(test)]
use std::sync::Arc;
use std::sync::OnceLock;

use serde::de::{Error as _, SeqAccess, Visitor};
use serde::ser::SerializeTuple;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::program::{Str, StrId};

/// Interned strings: one blob, end offsets, shared strings made on first use.
#[derive(Default, Clone)]
pub struct Strings {
    blob: String,
    ends: Vec<u32>,
    shared: Box<[OnceLock<Str>]>,
    /// Strings added by the lowering, in order, after those of `shared` (moved there by a
    /// freeze only when `shared` is not empty).
    pending: Vec<Str>,
}

/// `str::is_char_boundary` on the text's bytes (false past the end), inline: the loader
/// checks every string end and data range with it, where the out-of-line call cost about 19
/// instructions each.
#[inline(always)]
pub(crate) fn char_boundary(text: &[u8], i: usize) -> bool {
    match text.get(i) {
        Some(&b) => (b as i8) >= -0x40,
        None => i == text.len(),
    }
}

impl Strings {
    /// Number of strings.
    #[inline]
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Add a string (the lowering interns, so each text comes once); returns its id.
    pub fn push(&mut self, s: Str) -> StrId {
        let id = self.ends.len() as StrId;
        self.blob.push_str(&s);
        self.ends.push(self.blob.len() as u32);
        self.pending.push(s);
        id
    }

    /// Reserve room for exactly `n` more strings of `bytes` bytes in all.
    pub fn reserve_exact(&mut self, n: usize, bytes: usize) {
        self.blob.reserve_exact(bytes);
        self.ends.reserve_exact(n);
        self.pending.reserve_exact(n);
    }

    /// Move the strings added by [`push`](Self::push) into the shared table (done once the
    /// lowering is complete; until then they are looked up where they were pushed). A table
    /// with no lazily made strings (the lowering's) keeps them where they are: they follow the
    /// shared table in id order either way, and filling a `OnceLock` goes through its `Once`
    /// (~80 instructions per string, 5 M over the benchmark corpus).
    pub fn freeze(&mut self) {
        if !self.shared.is_empty() {
            let mut shared: Vec<OnceLock<Str>> = std::mem::take(&mut self.shared).into_vec();
            shared.extend(self.pending.drain(..).map(OnceLock::from));
            self.shared = shared.into_boxed_slice();
            self.pending = Vec::new();
        }
        self.blob.shrink_to_fit();
        self.ends.shrink_to_fit();
    }

    /// The text of string `id` (empty when out of range, which validation rules out).
    #[inline]
    pub fn text(&self, id: StrId) -> &str {
        let i = id as usize;
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).copied().unwrap_or(0) as usize,
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        self.blob.get(start..end).unwrap_or("")
    }

    /// String `id`, shared (made on first use; `None` out of range).
    #[inline]
    pub fn get(&self, id: StrId) -> Option<&Str> {
        let i = id as usize;
        match self.shared.get(i) {
            Some(cell) => Some(cell.get_or_init(|| Str::from(self.text(id)))),
            None => self.pending.get(i.checked_sub(self.shared.len())?),
        }
    }

    /// Every string's text, in id order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len() as StrId).map(move |i| self.text(i))
    }

    /// Decode from the blob and each string's length (turned into end offsets in place, in
    /// the same pass that checks them), checking that the strings stay within the blob, cover
    /// it, and start and end on character boundaries.
    pub(super) fn from_lengths(blob: String, mut ends: Vec<u32>) -> Result<Strings, &'static str> {
        let text = blob.as_bytes();
        // An ASCII text (most): every offset is a character boundary, so lengths that add up
        // to the text (within 32 bits) make offsets in order within it; no check per string.
        // Otherwise, or when they do not add up, each offset is checked (naming the error).
        if text.is_ascii() && u32::try_from(text.len()).is_ok() {
            // (Below 2^64: fewer than 2^32 lengths of fewer than 2^32 bytes each.)
            let mut end = 0u64;
            for e in ends.iter_mut() {
                end += u64::from(*e);
                *e = end as u32;
            }
            if end == text.len() as u64 {
                let shared = (0..ends.len()).map(|_| OnceLock::new()).collect();
                return Ok(Strings { blob, ends, shared, pending: Vec::new() });
            }
            // Back to lengths (differences of the offsets modulo 2^32), for the checked loop.
            let mut last = 0u32;
            for e in ends.iter_mut() {
                let offset = *e;
                *e = offset.wrapping_sub(last);
                last = offset;
            }
        }
        let mut end = 0u32;
        for e in ends.iter_mut() {
            end = end.checked_add(*e).ok_or("string offsets overflow")?;
            if !char_boundary(text, end as usize) {
                return Err("string table offsets are out of order or split a character");
            }
            *e = end;
        }
        if end as usize != text.len() {
            return Err("string table offsets do not cover the text");
        }
        let shared = (0..ends.len()).map(|_| OnceLock::new()).collect();
        Ok(Strings { blob, ends, shared, pending: Vec::new() })
    }
}

impl fmt::Debug for Strings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for Strings {
    fn eq(&self, other: &Strings) -> bool {
        self.blob == other.blob && self.ends == other.ends
    }
}

/// Written as the blob, then the ends as a byte string of LEB128 lengths (one byte for most
/// names).
impl Serialize for Strings {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut lens = Vec::with_capacity(self.ends.len());
        let mut last = 0u32;
        for &e in &self.ends {
            super::codec::varint(&mut lens, e.wrapping_sub(last));
            last = e;
        }
        let mut t = s.serialize_tuple(2)?;
        t.serialize_element(&self.blob)?;
        t.serialize_element(&Bytes(&lens))?;
        t.end()
    }
}

/// A byte slice that serializes as bytes (not as a sequence of numbers).
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

impl<'de> Deserialize<'de> for Strings {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Strings, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Strings;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string table")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Strings, A::Error> {
                let blob: String = seq.next_element()?.ok_or_else(|| A::Error::custom("no string blob"))?;
                let lengths = seq
                    .next_element_seed(super::codec::IdsSeed)?
                    .ok_or_else(|| A::Error::custom("no string offsets"))?;
                Strings::from_lengths(blob, lengths).map_err(A::Error::custom)
            }
        }
        d.deserialize_tuple(2, V)
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn round_trips_and_shares_on_first_use() {
        let mut t = Strings::default();
        for w in ["", "name", "ünï", "x"] {
            t.push(Str::from(w));
        }
        // Before the freeze (lowering), pushed strings are found where they were pushed.
        assert_eq!(t.get(2).map(|s| &**s), Some("ünï"));
        t.freeze();
        let bytes = postcard::to_stdvec(&t).unwrap();
        let back: Strings = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, t);
        assert_eq!(back.iter().collect::<Vec<_>>(), ["", "name", "ünï", "x"]);
        assert_eq!(back.text(2), "ünï");
        let first = back.get(1).cloned().unwrap();
        assert!(Arc::ptr_eq(&first, back.get(1).unwrap()), "made once, then shared");
        assert!(back.get(4).is_none());
        assert_eq!(back.text(9), "");
    }

    #[test]
    fn offsets_must_rise_cover_the_text_and_respect_characters() {
        let blob = || "aüb".to_string();
        let ok = Strings::from_lengths(blob(), vec![1, 0, 3]).unwrap();
        assert_eq!(ok.iter().collect::<Vec<_>>(), ["a", "", "üb"]);
        assert!(Strings::from_lengths(blob(), vec![1, 2, 1]).is_ok());
        assert!(Strings::from_lengths(blob(), vec![2, 2]).is_err(), "inside 'ü'");
        assert!(Strings::from_lengths(blob(), vec![1, u32::MAX]).is_err(), "overflowing");
        assert!(Strings::from_lengths(blob(), vec![1]).is_err(), "text left over");
        assert!(Strings::from_lengths(blob(), vec![1, 8]).is_err(), "past the end");
        // An ASCII text (offsets checked as a sum, then one by one to name the error).
        let ascii = || "abc".to_string();
        let ok = Strings::from_lengths(ascii(), vec![1, 0, 2]).unwrap();
        assert_eq!(ok.iter().collect::<Vec<_>>(), ["a", "", "bc"]);
        assert_eq!(
            Strings::from_lengths(ascii(), vec![1, u32::MAX]).err(),
            Some("string offsets overflow"),
            "overflowing"
        );
        assert_eq!(
            Strings::from_lengths(ascii(), vec![u32::MAX, 4]).err(),
            Some("string table offsets are out of order or split a character"),
            "wrapping to the text's length"
        );
        assert_eq!(
            Strings::from_lengths(ascii(), vec![2]).err(),
            Some("string table offsets do not cover the text"),
            "text left over"
        );
        assert!(Strings::from_lengths(ascii(), vec![2, 2]).is_err(), "past the end");
        assert!(Strings::from_lengths(String::new(), vec![]).is_ok());
        assert!(Strings::from_lengths(String::new(), vec![1]).is_err());
    }
}
