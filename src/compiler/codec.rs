//! A compact binary layout for the program's big tables: expression and statement nodes,
//! their spans and the id lists. Each table is stored as one byte string: a node is a tag
//! byte, a flag byte and four LEB128 varints (most fields are small indices: one byte each), a
//! span two varints, an id one. A tight loop decodes it, a few instructions per field instead
//! of a serde visit per field, and the small size keeps zstd's work on load small too.
//!
//! Decoding checks lengths, tags and operator codes; indices are checked afterwards by
//! [`Program::validate`](super::program::Program::validate).

use serde::de::{Deserializer, Error as _, Visitor};
use serde::Serializer;

use super::program::{BinOp, Expr, Range, Span, Stmt, UnaryOp};

/// The `u32` that stands for "no expression" in an optional field.
const NONE: u32 = u32::MAX;

/// Fewest bytes a node takes (tag, flag, four one-byte varints).
const MIN_NODE: usize = 6;

fn opt(v: Option<u32>) -> u32 {
    v.unwrap_or(NONE)
}

fn unopt(v: u32) -> Option<u32> {
    if v == NONE {
        None
    } else {
        Some(v)
    }
}

fn varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put(out: &mut Vec<u8>, tag: u8, flag: u8, f: [u32; 4]) {
    out.push(tag);
    out.push(flag);
    for x in f {
        varint(out, x);
    }
}

/// A bounds-checked reader of a table's bytes.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    #[inline]
    fn byte(&mut self) -> Result<u8, &'static str> {
        let b = *self.bytes.get(self.pos).ok_or("table ends inside a record")?;
        self.pos += 1;
        Ok(b)
    }

    #[inline]
    fn u32(&mut self) -> Result<u32, &'static str> {
        // Most fields are indices below 16 384: one or two bytes.
        match self.bytes.get(self.pos..) {
            Some(&[b0, ..]) if b0 < 0x80 => {
                self.pos += 1;
                Ok(u32::from(b0))
            }
            Some(&[b0, b1, ..]) if b1 < 0x80 => {
                self.pos += 2;
                Ok(u32::from(b0 & 0x7f) | (u32::from(b1) << 7))
            }
            _ => self.u32_long(),
        }
    }

    #[inline(never)]
    fn u32_long(&mut self) -> Result<u32, &'static str> {
        let mut v: u32 = 0;
        for shift in [0u32, 7, 14, 21, 28] {
            let b = self.byte()?;
            v |= u32::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
            if b < 0x80 {
                if shift == 28 && b > 0x0f {
                    return Err("varint overflows 32 bits");
                }
                return Ok(v);
            }
        }
        Err("varint longer than 5 bytes")
    }

    #[inline]
    fn node(&mut self) -> Result<(u8, u8, [u32; 4]), &'static str> {
        // Fast path: tag, flag and four one-byte fields (no continuation bit in six bytes).
        if let Some(&[tag, flag, a, b, c, d]) = self.bytes.get(self.pos..self.pos + MIN_NODE) {
            if (tag | flag | a | b | c | d) < 0x80 {
                self.pos += MIN_NODE;
                return Ok((tag, flag, [u32::from(a), u32::from(b), u32::from(c), u32::from(d)]));
            }
        }
        let tag = self.byte()?;
        let flag = self.byte()?;
        Ok((tag, flag, [self.u32()?, self.u32()?, self.u32()?, self.u32()?]))
    }
}

fn reader(bytes: &[u8]) -> Reader<'_> {
    Reader { bytes, pos: 0 }
}

fn split64(v: u64) -> (u32, u32) {
    (v as u32, (v >> 32) as u32)
}

fn join64(lo: u32, hi: u32) -> u64 {
    u64::from(lo) | (u64::from(hi) << 32)
}

fn range(start: u32, len: u32) -> Range {
    Range { start, len }
}

const BINOPS: [BinOp; 9] = [
    BinOp::Add,
    BinOp::Sub,
    BinOp::Mul,
    BinOp::Div,
    BinOp::FloorDiv,
    BinOp::Mod,
    BinOp::Pow,
    BinOp::And,
    BinOp::Or,
];
const UNOPS: [UnaryOp; 3] = [UnaryOp::Not, UnaryOp::Neg, UnaryOp::Pos];

fn code<T: PartialEq>(table: &[T], v: &T) -> u8 {
    table.iter().position(|x| x == v).unwrap_or(0) as u8
}

fn op<T: Copy>(table: &[T], c: u8) -> Result<T, &'static str> {
    table.get(c as usize).copied().ok_or("bad operator code")
}

/// Encode expression nodes.
pub fn encode_exprs(nodes: &[Expr]) -> Vec<u8> {
    let mut out = Vec::with_capacity(nodes.len() * MIN_NODE);
    for (i, e) in nodes.iter().enumerate() {
        // Children come just before their parent: stored as the distance back from the node
        // (an optional child as 0 for none), they fit in one byte, where absolute indices
        // soon need two.
        let i = i as u32;
        let c = |x: u32| i.wrapping_sub(x);
        let oc = |x: Option<u32>| x.map_or(0, |x| i.wrapping_sub(x));
        match *e {
            Expr::None => put(&mut out, 0, 0, [0; 4]),
            Expr::Bool(b) => put(&mut out, 1, b as u8, [0; 4]),
            Expr::Int(i) => {
                let (lo, hi) = split64(i as u64);
                put(&mut out, 2, 0, [lo, hi, 0, 0])
            }
            Expr::BigInt(s) => put(&mut out, 3, 0, [s, 0, 0, 0]),
            Expr::Float(f) => {
                let (lo, hi) = split64(f.to_bits());
                put(&mut out, 4, 0, [lo, hi, 0, 0])
            }
            Expr::Str(s) => put(&mut out, 5, 0, [s, 0, 0, 0]),
            Expr::Name(s) => put(&mut out, 6, 0, [s, 0, 0, 0]),
            Expr::List(r) => put(&mut out, 7, 0, [r.start, r.len, 0, 0]),
            Expr::Tuple(r) => put(&mut out, 8, 0, [r.start, r.len, 0, 0]),
            Expr::Dict(r) => put(&mut out, 9, 0, [r.start, r.len, 0, 0]),
            Expr::GetAttr(o, n) => put(&mut out, 10, 0, [c(o), n, 0, 0]),
            Expr::GetItem(o, k) => put(&mut out, 11, 0, [c(o), c(k), 0, 0]),
            Expr::Slice { obj, start, stop, step } => {
                put(&mut out, 12, 0, [c(obj), oc(start), oc(stop), oc(step)])
            }
            Expr::Unary(o, x) => put(&mut out, 13, code(&UNOPS, &o), [c(x), 0, 0, 0]),
            Expr::Binary(o, a, b) => put(&mut out, 14, code(&BINOPS, &o), [c(a), c(b), 0, 0]),
            Expr::Concat(r) => put(&mut out, 15, 0, [r.start, r.len, 0, 0]),
            Expr::Compare(f, r) => put(&mut out, 16, 0, [c(f), r.start, r.len, 0]),
            Expr::Test { value, name, args, negated } => {
                put(&mut out, 17, negated as u8, [c(value), name, args, 0])
            }
            Expr::Filter { value, name, args } => put(&mut out, 18, 0, [oc(value), name, args, 0]),
            Expr::Call(f, a) => put(&mut out, 19, 0, [c(f), a, 0, 0]),
            Expr::Cond { test, then, otherwise } => {
                put(&mut out, 20, 0, [c(test), c(then), oc(otherwise), 0])
            }
        }
    }
    out
}

/// Decode expression nodes.
pub fn decode_exprs(bytes: &[u8]) -> Result<Vec<Expr>, &'static str> {
    let mut out = Vec::with_capacity(bytes.len() / MIN_NODE);
    let mut r = reader(bytes);
    while !r.done() {
        let (tag, flag, [a, b, c, d]) = r.node()?;
        // Undo the encoder's distances (a malformed one wraps to an index validation rejects).
        let i = out.len() as u32;
        let ch = |x: u32| i.wrapping_sub(x);
        let och = |x: u32| if x == 0 { None } else { Some(i.wrapping_sub(x)) };
        out.push(match tag {
            0 => Expr::None,
            1 => Expr::Bool(flag != 0),
            2 => Expr::Int(join64(a, b) as i64),
            3 => Expr::BigInt(a),
            4 => Expr::Float(f64::from_bits(join64(a, b))),
            5 => Expr::Str(a),
            6 => Expr::Name(a),
            7 => Expr::List(range(a, b)),
            8 => Expr::Tuple(range(a, b)),
            9 => Expr::Dict(range(a, b)),
            10 => Expr::GetAttr(ch(a), b),
            11 => Expr::GetItem(ch(a), ch(b)),
            12 => Expr::Slice { obj: ch(a), start: och(b), stop: och(c), step: och(d) },
            13 => Expr::Unary(op(&UNOPS, flag)?, ch(a)),
            14 => Expr::Binary(op(&BINOPS, flag)?, ch(a), ch(b)),
            15 => Expr::Concat(range(a, b)),
            16 => Expr::Compare(ch(a), range(b, c)),
            17 => Expr::Test { value: ch(a), name: b, args: c, negated: flag != 0 },
            18 => Expr::Filter { value: och(a), name: b, args: c },
            19 => Expr::Call(ch(a), b),
            20 => Expr::Cond { test: ch(a), then: ch(b), otherwise: och(c) },
            _ => return Err("unknown expression tag"),
        });
    }
    Ok(out)
}

/// Encode statement nodes.
pub fn encode_stmts(nodes: &[Stmt]) -> Vec<u8> {
    let mut out = Vec::with_capacity(nodes.len() * MIN_NODE);
    let flags = |x: bool, y: bool| (x as u8) | ((y as u8) << 1);
    for s in nodes {
        match *s {
            Stmt::Data(r) => put(&mut out, 0, 0, [r.start, r.len, 0, 0]),
            Stmt::Emit(e) => put(&mut out, 1, 0, [e, 0, 0, 0]),
            Stmt::If { branches, otherwise } => {
                put(&mut out, 2, 0, [branches.start, branches.len, otherwise.start, otherwise.len])
            }
            Stmt::For(l) => put(&mut out, 3, 0, [l, 0, 0, 0]),
            Stmt::Set { target, value } => put(&mut out, 4, 0, [target, value, 0, 0]),
            Stmt::SetBlock { target, filter, body } => {
                put(&mut out, 5, 0, [target, opt(filter), body.start, body.len])
            }
            Stmt::Macro(m) => put(&mut out, 6, 0, [m, 0, 0, 0]),
            Stmt::CallBlock { call, caller } => put(&mut out, 7, 0, [call, caller, 0, 0]),
            Stmt::FilterBlock { filter, body } => put(&mut out, 8, 0, [filter, body.start, body.len, 0]),
            Stmt::With { assigns, body } => {
                put(&mut out, 9, 0, [assigns.start, assigns.len, body.start, body.len])
            }
            Stmt::Block(b) => put(&mut out, 10, 0, [b, 0, 0, 0]),
            Stmt::Extends(e) => put(&mut out, 11, 0, [e, 0, 0, 0]),
            Stmt::Include { template, ignore_missing, with_context } => {
                put(&mut out, 12, flags(ignore_missing, with_context), [template, 0, 0, 0])
            }
            Stmt::Import { template, target, with_context } => {
                put(&mut out, 13, flags(false, with_context), [template, target, 0, 0])
            }
            Stmt::FromImport { template, names, with_context } => {
                put(&mut out, 14, flags(false, with_context), [template, names.start, names.len, 0])
            }
            Stmt::Autoescape { value, body } => put(&mut out, 15, 0, [value, body.start, body.len, 0]),
            Stmt::Do(e) => put(&mut out, 16, 0, [e, 0, 0, 0]),
            Stmt::Break => put(&mut out, 17, 0, [0; 4]),
            Stmt::Continue => put(&mut out, 18, 0, [0; 4]),
            Stmt::Trans(t) => put(&mut out, 19, 0, [t, 0, 0, 0]),
            Stmt::Debug => put(&mut out, 20, 0, [0; 4]),
        }
    }
    out
}

/// Decode statement nodes.
pub fn decode_stmts(bytes: &[u8]) -> Result<Vec<Stmt>, &'static str> {
    let mut out = Vec::with_capacity(bytes.len() / MIN_NODE);
    let mut r = reader(bytes);
    while !r.done() {
        let (tag, flag, [a, b, c, d]) = r.node()?;
        let (x, y) = (flag & 1 != 0, flag & 2 != 0);
        out.push(match tag {
            0 => Stmt::Data(range(a, b)),
            1 => Stmt::Emit(a),
            2 => Stmt::If { branches: range(a, b), otherwise: range(c, d) },
            3 => Stmt::For(a),
            4 => Stmt::Set { target: a, value: b },
            5 => Stmt::SetBlock { target: a, filter: unopt(b), body: range(c, d) },
            6 => Stmt::Macro(a),
            7 => Stmt::CallBlock { call: a, caller: b },
            8 => Stmt::FilterBlock { filter: a, body: range(b, c) },
            9 => Stmt::With { assigns: range(a, b), body: range(c, d) },
            10 => Stmt::Block(a),
            11 => Stmt::Extends(a),
            12 => Stmt::Include { template: a, ignore_missing: x, with_context: y },
            13 => Stmt::Import { template: a, target: b, with_context: y },
            14 => Stmt::FromImport { template: a, names: range(b, c), with_context: y },
            15 => Stmt::Autoescape { value: a, body: range(b, c) },
            16 => Stmt::Do(a),
            17 => Stmt::Break,
            18 => Stmt::Continue,
            19 => Stmt::Trans(a),
            20 => Stmt::Debug,
            _ => return Err("unknown statement tag"),
        });
    }
    Ok(out)
}

/// Encode spans (line, column).
pub fn encode_spans(spans: &[Span]) -> Vec<u8> {
    let mut out = Vec::with_capacity(spans.len() * 2);
    for s in spans {
        varint(&mut out, s.line);
        varint(&mut out, s.col);
    }
    out
}

/// Decode spans.
pub fn decode_spans(bytes: &[u8]) -> Result<Vec<Span>, &'static str> {
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let mut r = reader(bytes);
    while !r.done() {
        out.push(Span { line: r.u32()?, col: r.u32()? });
    }
    Ok(out)
}

/// Encode a list of ids.
pub fn encode_ids(ids: &[u32]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ids.len());
    for &id in ids {
        varint(&mut out, id);
    }
    out
}

/// Decode a list of ids.
pub fn decode_ids(bytes: &[u8]) -> Result<Vec<u32>, &'static str> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut r = reader(bytes);
    while !r.done() {
        out.push(r.u32()?);
    }
    Ok(out)
}

/// Serde glue: a table travels as one byte string.
struct BytesVisitor<T>(fn(&[u8]) -> Result<T, &'static str>);

impl<'de, T> Visitor<'de> for BytesVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a byte string")
    }
    fn visit_borrowed_bytes<E: serde::de::Error>(self, v: &'de [u8]) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
    fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<T, E> {
        (self.0)(&v).map_err(E::custom)
    }
}

fn de<'de, D: Deserializer<'de>, T>(d: D, f: fn(&[u8]) -> Result<T, &'static str>) -> Result<T, D::Error> {
    d.deserialize_bytes(BytesVisitor(f)).map_err(|e| D::Error::custom(e))
}

macro_rules! table {
    ($name:ident, $t:ty, $enc:ident, $dec:ident) => {
        /// Serde `with` module for one table.
        pub mod $name {
            use super::*;
            /// Serialize.
            pub fn serialize<S: Serializer>(v: &[$t], s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(&$enc(v))
            }
            /// Deserialize.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<$t>, D::Error> {
                de(d, $dec)
            }
        }
    };
}

table!(exprs, Expr, encode_exprs, decode_exprs);
table!(stmts, Stmt, encode_stmts, decode_stmts);
table!(spans, Span, encode_spans, decode_spans);
table!(ids, u32, encode_ids, decode_ids);

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn every_node_round_trips() {
        let r = Range { start: 3, len: 4 };
        let exprs = vec![
            Expr::None,
            Expr::Bool(true),
            Expr::Int(-5),
            Expr::Int(i64::MIN),
            Expr::BigInt(1),
            Expr::Float(-0.5),
            Expr::Str(2),
            Expr::Name(3),
            Expr::List(r),
            Expr::Tuple(r),
            Expr::Dict(r),
            Expr::GetAttr(1, 2),
            Expr::GetItem(1, 2),
            Expr::Slice { obj: 1, start: None, stop: Some(2), step: Some(0) },
            Expr::Unary(UnaryOp::Neg, 1),
            Expr::Binary(BinOp::Or, 1, 2),
            Expr::Concat(r),
            Expr::Compare(1, r),
            Expr::Test { value: 1, name: 2, args: 3, negated: true },
            Expr::Filter { value: None, name: 2, args: 3 },
            Expr::Call(1, 2),
            Expr::Cond { test: 1, then: 2, otherwise: None },
        ];
        assert_eq!(decode_exprs(&encode_exprs(&exprs)).unwrap(), exprs);
        let stmts = vec![
            Stmt::Data(r),
            Stmt::Emit(1),
            Stmt::If { branches: r, otherwise: Range { start: 9, len: 0 } },
            Stmt::For(1),
            Stmt::Set { target: 1, value: 2 },
            Stmt::SetBlock { target: 1, filter: Some(5), body: r },
            Stmt::Macro(1),
            Stmt::CallBlock { call: 1, caller: 2 },
            Stmt::FilterBlock { filter: 1, body: r },
            Stmt::With { assigns: r, body: r },
            Stmt::Block(1),
            Stmt::Extends(1),
            Stmt::Include { template: 1, ignore_missing: true, with_context: false },
            Stmt::Import { template: 1, target: 2, with_context: true },
            Stmt::FromImport { template: 1, names: r, with_context: true },
            Stmt::Autoescape { value: 1, body: r },
            Stmt::Do(1),
            Stmt::Break,
            Stmt::Continue,
            Stmt::Trans(1),
            Stmt::Debug,
        ];
        assert_eq!(decode_stmts(&encode_stmts(&stmts)).unwrap(), stmts);
        let spans = vec![Span { line: 1, col: 2 }, Span { line: u32::MAX, col: 0 }];
        assert_eq!(decode_spans(&encode_spans(&spans)).unwrap(), spans);
        assert_eq!(decode_ids(&encode_ids(&[1, 2, u32::MAX])).unwrap(), vec![1, 2, u32::MAX]);
    }

    #[test]
    fn bad_tags_and_lengths_are_errors() {
        assert!(decode_exprs(&[0; 5]).is_err());
        assert!(decode_exprs(&[0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0]).is_err());
        let mut rec = encode_exprs(&[Expr::None]);
        rec[0] = 99;
        assert!(decode_exprs(&rec).is_err());
        let mut rec = encode_exprs(&[Expr::Binary(BinOp::Add, 0, 0)]);
        rec[1] = 200;
        assert!(decode_exprs(&rec).is_err());
        assert!(decode_stmts(&[21; 6]).is_err());
        assert!(decode_spans(&[0; 3]).is_err());
        assert!(decode_ids(&[0x80]).is_err());
    }
}
