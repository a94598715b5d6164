//! A compact binary layout for the program's big tables: expression and statement nodes,
//! their spans, the id lists and the small fixed records of the side tables (keyword pairs,
//! comparisons, branches, macros, blocks), and in layouts of their own the argument lists and
//! assignment targets, most of them one byte ([`encode_call_args`], [`encode_targets`]), and
//! the loops ([`encode_loops`]). Each table is stored as one byte string. A node is a tag byte,
//! a flag byte for the few kinds that have one, and exactly the fields its kind has as LEB128
//! varints (most are small: one byte each); the commonest nodes, names and string constants
//! with a string id below 64 and attributes of the node before with one below 32, are their
//! tag byte alone, the id in its low bits. The commonest sequences are one tag for several
//! nodes, their fields at fixed places after it (one dispatch, and no node's start waiting on
//! the length of the one before): a name and an attribute of it (`a.b`) are two bytes, and a
//! run of template text and `{{ }}` pairs is a tag and a byte per statement
//! ([`TAG_NAME_ATTR`], [`TAG_DATA_EMIT`]). Children are stored as distances back from the
//! node, which the decoder checks (a child always comes before its parent). Spans are deltas
//! from the previous span, zigzag-coded (mostly one byte per field), and a span table is
//! stored packed, compressed on its own harder than the bucket ([`pack_spans`]: it is read
//! only on an error, while every load hashes and inflates every byte); a template data run
//! that starts where the previous one ends (all that the lowering makes) stores its length
//! only, in its tag byte when under 128. The statement lists are not stored when the statements rebuild them
//! ([`decode_stmts_deriving`]). A tight loop decodes it, a few
//! instructions per field instead of a serde visit per field, and the small size keeps zstd's
//! work on load small too.
//!
//! A node table starts with its node count (the decoder allocates once, and checks that the
//! count is no larger than the table and that no bytes follow the last node). Decoding checks
//! lengths, tags, operator codes and child order; the other indices are checked by
//! [`Program::validate`](super::program::Program::validate)'s checks, which
//! [`Program::from_bytes`](super::program::Program::from_bytes) makes on each node as it is
//! decoded ([`decode_exprs_with`], [`decode_stmts_with`], [`NodeChecks`]).

use serde::de::{Deserializer, Error as _, Visitor};
use serde::Serializer;

use super::program::{
    BinOp, BlockDef, CallArgs, CmpOp, Expr, LoopDef, MacroDef, MacroUses, Range, Span, Stmt, Target, UnaryOp,
};

/// Append `v` as a LEB128 varint.
pub(crate) fn varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn varint64(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Node writer: a tag, then fields.
struct Writer {
    out: Vec<u8>,
}

impl Writer {
    fn tag(&mut self, tag: u8) -> &mut Self {
        self.out.push(tag);
        self
    }
    fn flag(&mut self, flag: u8) -> &mut Self {
        self.out.push(flag);
        self
    }
    fn u(&mut self, v: u32) -> &mut Self {
        varint(&mut self.out, v);
        self
    }
    fn range(&mut self, r: Range) -> &mut Self {
        self.u(r.start).u(r.len)
    }
}

/// A bounds-checked reader of a table's bytes.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    #[inline]
    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// A node count: at most one node per remaining byte (every node has a tag), which bounds
    /// the allocation it sizes by the table's length.
    #[inline]
    fn count(&mut self) -> Result<usize, &'static str> {
        let n = self.u32()? as usize;
        if n > self.bytes.len().saturating_sub(self.pos) {
            return Err("node count exceeds the table");
        }
        Ok(n)
    }

    /// The table must end after its last node.
    #[inline]
    fn end(&self) -> Result<(), &'static str> {
        if self.done() {
            Ok(())
        } else {
            Err("bytes after the last node")
        }
    }

    #[inline(always)]
    fn byte(&mut self) -> Result<u8, &'static str> {
        let b = *self.bytes.get(self.pos).ok_or("table ends inside a record")?;
        self.pos += 1;
        Ok(b)
    }

    /// The next `len` bytes.
    #[inline(always)]
    fn take(&mut self, len: usize) -> Result<&[u8], &'static str> {
        let b = self.bytes.get(self.pos..self.pos.saturating_add(len)).ok_or("table ends inside a record")?;
        self.pos += len;
        Ok(b)
    }

    #[inline(always)]
    fn u32(&mut self) -> Result<u32, &'static str> {
        // Most fields are indices below 16 384: one or two bytes (one bounds check each).
        if let Some(&b0) = self.bytes.get(self.pos) {
            if b0 < 0x80 {
                self.pos += 1;
                return Ok(u32::from(b0));
            }
            if let Some(&b1) = self.bytes.get(self.pos + 1) {
                if b1 < 0x80 {
                    self.pos += 2;
                    return Ok(u32::from(b0 & 0x7f) | (u32::from(b1) << 7));
                }
            }
        }
        let (v, pos) = varint_at(self.bytes, self.pos)?;
        self.pos = pos;
        u32::try_from(v).map_err(|_| "varint overflows 32 bits")
    }

    #[inline]
    fn u64(&mut self) -> Result<u64, &'static str> {
        // One byte inline (most span deltas and small ints), longer ones out of line.
        if let Some(&b0) = self.bytes.get(self.pos) {
            if b0 < 0x80 {
                self.pos += 1;
                return Ok(u64::from(b0));
            }
        }
        let (v, pos) = varint_at(self.bytes, self.pos)?;
        self.pos = pos;
        Ok(v)
    }

    #[inline]
    fn f64(&mut self) -> Result<f64, &'static str> {
        let bytes =
            self.bytes.get(self.pos..self.pos.saturating_add(8)).ok_or("table ends inside a float")?;
        let mut b = [0u8; 8];
        b.copy_from_slice(bytes);
        self.pos += 8;
        Ok(f64::from_le_bytes(b))
    }

    #[inline(always)]
    fn range(&mut self) -> Result<Range, &'static str> {
        Ok(Range { start: self.u32()?, len: self.u32()? })
    }
}

/// The varint at `pos` and the position after it. Out of line, and given the position rather
/// than the reader, so that a decoding loop keeps its reader in registers.
#[inline(never)]
fn varint_at(bytes: &[u8], mut pos: usize) -> Result<(u64, usize), &'static str> {
    let mut v: u64 = 0;
    for shift in (0u32..64).step_by(7) {
        let b = *bytes.get(pos).ok_or("table ends inside a record")?;
        pos += 1;
        v |= u64::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        if b < 0x80 {
            if shift == 63 && b > 1 {
                return Err("varint overflows 64 bits");
            }
            return Ok((v, pos));
        }
    }
    Err("varint longer than 10 bytes")
}

fn reader(bytes: &[u8]) -> Reader<'_> {
    Reader { bytes, pos: 0 }
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

/// String ids below this fit in the tag byte of a `Str`, `Name` or `GetAttr` node.
const SMALL_ID: u32 = 0x40;
/// `Str(id)`, `id < SMALL_ID`: one byte, this tag with the id in its low six bits.
const TAG_STR_SMALL: u8 = 0x40;
/// `Name(id)`, `id < SMALL_ID`: as [`TAG_STR_SMALL`].
const TAG_NAME_SMALL: u8 = 0x80;
/// `Name(id)`, `id < SMALL_ID`, and then `GetAttr` of it with an attribute id below 256 (`a.b`,
/// most attribute reads): two bytes, this tag with the name's id in its low six bits, then the
/// attribute's id. One dispatch for the two nodes, the second at a fixed place.
const TAG_NAME_ATTR: u8 = 0xc0;
/// `GetAttr` of the node just before this one, attribute id below 32 (the links after the
/// first of an `a.b.c` chain): one byte, this tag with the id in its low five bits.
const TAG_ATTR_SMALL: u8 = 0x20;

/// Encode expression nodes.
pub fn encode_exprs(nodes: &[Expr]) -> Vec<u8> {
    let mut w = Writer { out: Vec::with_capacity(nodes.len() * 3 + 5) };
    w.u(nodes.len() as u32);
    let mut j = 0;
    while let Some(e) = nodes.get(j) {
        // Children come just before their parent: stored as the distance back from the node
        // (an optional child as 0 for none), they fit in one byte, where absolute indices
        // soon need two.
        let i = j as u32;
        j += 1;
        if let (&Expr::Name(s), Some(&Expr::GetAttr(o, a))) = (e, nodes.get(j)) {
            if s < SMALL_ID && o == i && a <= 0xff {
                w.tag(TAG_NAME_ATTR | s as u8).out.push(a as u8);
                j += 1;
                continue;
            }
        }
        let c = |x: u32| i.wrapping_sub(x);
        let oc = |x: Option<u32>| x.map_or(0, |x| i.wrapping_sub(x));
        match *e {
            Expr::None => w.tag(0),
            Expr::Bool(b) => w.tag(1).flag(b as u8),
            Expr::Int(v) => {
                w.tag(2);
                varint64(&mut w.out, zigzag(v));
                &mut w
            }
            Expr::BigInt(s) => w.tag(3).u(s),
            Expr::Float(f) => {
                w.tag(4);
                w.out.extend_from_slice(&f.to_le_bytes());
                &mut w
            }
            // The commonest nodes with a small string id: the id in the tag byte.
            Expr::Str(s) if s < SMALL_ID => w.tag(TAG_STR_SMALL | s as u8),
            Expr::Name(s) if s < SMALL_ID => w.tag(TAG_NAME_SMALL | s as u8),
            Expr::GetAttr(o, n) if n < 0x20 && o.wrapping_add(1) == i => w.tag(TAG_ATTR_SMALL | n as u8),
            Expr::Str(s) => w.tag(5).u(s),
            Expr::Name(s) => w.tag(6).u(s),
            Expr::List(r) => w.tag(7).range(r),
            Expr::Tuple(r) => w.tag(8).range(r),
            Expr::Dict(r) => w.tag(9).range(r),
            Expr::GetAttr(o, n) => w.tag(10).u(c(o)).u(n),
            Expr::GetItem(o, k) => w.tag(11).u(c(o)).u(c(k)),
            Expr::Slice { obj, start, stop, step } => {
                w.tag(12).u(c(obj)).u(oc(start)).u(oc(stop)).u(oc(step))
            }
            Expr::Unary(o, x) => w.tag(13).flag(code(&UNOPS, &o)).u(c(x)),
            Expr::Binary(o, a, b) => w.tag(14).flag(code(&BINOPS, &o)).u(c(a)).u(c(b)),
            Expr::Concat(r) => w.tag(15).range(r),
            Expr::Compare(f, r) => w.tag(16).u(c(f)).range(r),
            Expr::Test { value, name, args, negated } => {
                w.tag(17).flag(negated as u8).u(c(value)).u(name).u(args)
            }
            Expr::Filter { value, name, args } => w.tag(18).u(oc(value)).u(name).u(args),
            Expr::Call(f, a) => w.tag(19).u(c(f)).u(a),
            Expr::Cond { test, then, otherwise } => w.tag(20).u(c(test)).u(c(then)).u(oc(otherwise)),
            Expr::StrConcat(r) => w.tag(21).range(r),
            Expr::PyName(s) => w.tag(22).u(s),
        };
    }
    w.out
}

/// Decode expression nodes.
pub fn decode_exprs(bytes: &[u8]) -> Result<Vec<Expr>, &'static str> {
    decode_exprs_with(bytes, &NoChecks)
}

/// Checks made on each node as it is decoded (the program's checks, in the same pass: see
/// [`Program::from_bytes`](super::program::Program::from_bytes)). Implementations should be
/// `#[inline(always)]`: each kind of node is checked where it is decoded, so the check folds
/// to that kind's part.
pub trait NodeChecks {
    /// Check expression `me`.
    fn check_expr(&self, me: u32, e: &Expr) -> Result<(), &'static str>;
    /// Check statement `me`.
    fn check_stmt(&self, me: u32, s: &Stmt) -> Result<(), &'static str>;
    /// Check statement `me`, a data run `r` that starts where the one before it ends (or at 0
    /// for the first): what [`NodeChecks::check_stmt`] checks of it, given that start.
    fn check_data_after(&self, me: u32, r: Range) -> Result<(), &'static str>;
    /// Call `f` on each statement body of `s` (a checked statement), in the order the
    /// lowering completes them (see [`decode_stmts_deriving`]).
    fn for_each_body(
        &self,
        s: &Stmt,
        f: impl FnMut(Range) -> Result<(), &'static str>,
    ) -> Result<(), &'static str>;
}

/// No checks beyond the decoder's own.
struct NoChecks;

impl NodeChecks for NoChecks {
    #[inline(always)]
    fn check_expr(&self, _: u32, _: &Expr) -> Result<(), &'static str> {
        Ok(())
    }
    #[inline(always)]
    fn check_stmt(&self, _: u32, _: &Stmt) -> Result<(), &'static str> {
        Ok(())
    }
    #[inline(always)]
    fn check_data_after(&self, _: u32, _: Range) -> Result<(), &'static str> {
        Ok(())
    }
    #[inline(always)]
    fn for_each_body(
        &self,
        _: &Stmt,
        _: impl FnMut(Range) -> Result<(), &'static str>,
    ) -> Result<(), &'static str> {
        Ok(())
    }
}

/// Decode expression nodes, checking each with `checks` as it is decoded. (Kept out of line:
/// inlined into `Program::from_bytes` with the statements' decoder, the two cost 1.1 M more
/// instructions on the benchmark corpus.)
#[inline(never)]
pub fn decode_exprs_with(bytes: &[u8], checks: &impl NodeChecks) -> Result<Vec<Expr>, &'static str> {
    let mut r = reader(bytes);
    let n = r.count()?;
    let mut out = Vec::with_capacity(n);
    // Each node is pushed once: `i`, the node's id, is the count so far.
    while out.len() < n {
        let i = out.len() as u32;
        // Undo the encoder's distances: a child is 1..=i back.
        let ch = |d: u32| if d == 0 || d > i { Err("expression refers forward") } else { Ok(i - d) };
        let och = |d: u32| if d > i { Err("expression refers forward") } else { Ok((d != 0).then(|| i - d)) };
        // Each arm checks and pushes its own node (one push after the match merged every
        // kind's fields through the same registers and stack slots).
        macro_rules! emit {
            ($e:expr) => {{
                let e = $e;
                checks.check_expr(i, &e)?;
                out.push(e);
            }};
        }
        match r.byte()? {
            0 => emit!(Expr::None),
            1 => emit!(Expr::Bool(r.byte()? != 0)),
            2 => emit!(Expr::Int(unzigzag(r.u64()?))),
            3 => emit!(Expr::BigInt(r.u32()?)),
            4 => emit!(Expr::Float(r.f64()?)),
            5 => emit!(Expr::Str(r.u32()?)),
            6 => emit!(Expr::Name(r.u32()?)),
            7 => emit!(Expr::List(r.range()?)),
            8 => emit!(Expr::Tuple(r.range()?)),
            9 => emit!(Expr::Dict(r.range()?)),
            10 => emit!(Expr::GetAttr(ch(r.u32()?)?, r.u32()?)),
            11 => emit!(Expr::GetItem(ch(r.u32()?)?, ch(r.u32()?)?)),
            12 => emit!(Expr::Slice {
                obj: ch(r.u32()?)?,
                start: och(r.u32()?)?,
                stop: och(r.u32()?)?,
                step: och(r.u32()?)?,
            }),
            13 => {
                let o = op(&UNOPS, r.byte()?)?;
                emit!(Expr::Unary(o, ch(r.u32()?)?))
            }
            14 => {
                let o = op(&BINOPS, r.byte()?)?;
                emit!(Expr::Binary(o, ch(r.u32()?)?, ch(r.u32()?)?))
            }
            15 => emit!(Expr::Concat(r.range()?)),
            16 => emit!(Expr::Compare(ch(r.u32()?)?, r.range()?)),
            17 => {
                let negated = r.byte()? != 0;
                emit!(Expr::Test { value: ch(r.u32()?)?, name: r.u32()?, args: r.u32()?, negated })
            }
            18 => emit!(Expr::Filter { value: och(r.u32()?)?, name: r.u32()?, args: r.u32()? }),
            19 => emit!(Expr::Call(ch(r.u32()?)?, r.u32()?)),
            20 => emit!(Expr::Cond { test: ch(r.u32()?)?, then: ch(r.u32()?)?, otherwise: och(r.u32()?)? }),
            21 => emit!(Expr::StrConcat(r.range()?)),
            22 => emit!(Expr::PyName(r.u32()?)),
            t @ TAG_ATTR_SMALL..TAG_STR_SMALL => emit!(Expr::GetAttr(ch(1)?, u32::from(t & 0x1f))),
            t @ TAG_STR_SMALL..TAG_NAME_SMALL => emit!(Expr::Str(u32::from(t & 0x3f))),
            t @ TAG_NAME_SMALL..TAG_NAME_ATTR => emit!(Expr::Name(u32::from(t & 0x3f))),
            t @ TAG_NAME_ATTR..=0xff => {
                // Both nodes are of the `n` (`i < n`).
                if i as usize + 1 >= n {
                    return Err("an expression pair passes the node count");
                }
                let a = r.byte()?;
                emit!(Expr::Name(u32::from(t & 0x3f)));
                let e = Expr::GetAttr(i, u32::from(a));
                checks.check_expr(i + 1, &e)?;
                out.push(e);
            }
            _ => return Err("unknown expression tag"),
        }
    }
    r.end()?;
    Ok(out)
}

/// A data run shorter than 128 bytes that follows the one before it (most runs: the text
/// between two tags): one byte, this tag with the length in its low seven bits.
const TAG_DATA_SHORT: u8 = 0x80;
/// A run of `Data`, `Emit` pairs (the text between two `{{ }}` and the expression: most of a
/// template), then one more `Data` when the tag's low bit is set: this tag with the pair count
/// less one in bits 1 to 5, then one byte for each field: a data run's length (each run
/// follows the one before it, under 256 bytes long), an `Emit`'s expression as its distance
/// from the previous `Emit` of a run (the first's from 0; a distance under 256). One dispatch
/// and one bounds check for up to 65 statements, each at a fixed place in the run.
const TAG_DATA_EMIT: u8 = 0x40;
/// Most pairs in one [`TAG_DATA_EMIT`] run.
const MAX_PAIRS: usize = 32;

/// Encode statement nodes.
pub fn encode_stmts(nodes: &[Stmt]) -> Vec<u8> {
    let mut w = Writer { out: Vec::with_capacity(nodes.len() * 3 + 5) };
    w.u(nodes.len() as u32);
    let flags = |x: bool, y: bool| (x as u8) | ((y as u8) << 1);
    // Data ranges follow each other: each start is stored as the distance from the last end.
    let mut data_end = 0u32;
    // The expression of the last `Emit` in a `TAG_DATA_EMIT` run.
    let mut last_emit = 0u32;
    let mut j = 0;
    while let Some(s) = nodes.get(j) {
        j += 1;
        // A data run that follows the one before it, short enough for a run, or `None`.
        let follows = |k: usize, end: u32| match nodes.get(k) {
            Some(&Stmt::Data(r)) if r.start == end && r.len <= 0xff => Some(r),
            _ => None,
        };
        // An `Emit` whose expression is near enough the last one's, as its distance.
        let emit = |k: usize, last: u32| match nodes.get(k) {
            Some(&Stmt::Emit(e)) if e.wrapping_sub(last) <= 0xff => Some(e),
            _ => None,
        };
        if follows(j - 1, data_end).is_some() && emit(j, last_emit).is_some() {
            // `Data`, `Emit` pairs from `j - 1`, and a last `Data`.
            let tag = w.out.len();
            w.tag(TAG_DATA_EMIT);
            let mut k = j - 1;
            let mut pairs = 0;
            while pairs < MAX_PAIRS {
                let Some(d) = follows(k, data_end) else { break };
                let Some(e) = emit(k + 1, last_emit) else { break };
                w.out.push(d.len as u8);
                w.out.push(e.wrapping_sub(last_emit) as u8);
                data_end = d.start.wrapping_add(d.len);
                last_emit = e;
                pairs += 1;
                k += 2;
            }
            let mut t = TAG_DATA_EMIT | (((pairs - 1) as u8) << 1);
            if let Some(d) = follows(k, data_end) {
                w.out.push(d.len as u8);
                data_end = d.start.wrapping_add(d.len);
                t |= 1;
                k += 1;
            }
            if let Some(b) = w.out.get_mut(tag) {
                *b = t;
            }
            j = k;
            continue;
        }
        match *s {
            Stmt::Data(r) => {
                // Data runs follow each other in the text (the lowering appends each one as it
                // makes its statement): only the length; a run elsewhere names its start.
                if r.start == data_end && r.len < 0x80 {
                    w.tag(TAG_DATA_SHORT | r.len as u8);
                } else if r.start == data_end {
                    w.tag(0).u(r.len);
                } else {
                    w.tag(21).u(r.start).u(r.len);
                }
                data_end = r.start.wrapping_add(r.len);
                &mut w
            }
            Stmt::Emit(e) => w.tag(1).u(e),
            Stmt::If { branches, otherwise } => w.tag(2).range(branches).range(otherwise),
            Stmt::For(l) => w.tag(3).u(l),
            Stmt::Set { target, value } => w.tag(4).u(target).u(value),
            Stmt::SetBlock { target, filter, body } => {
                w.tag(5).u(target).u(filter.map_or(0, |f| f.wrapping_add(1))).range(body)
            }
            Stmt::Macro(m) => w.tag(6).u(m),
            Stmt::CallBlock { call, caller } => w.tag(7).u(call).u(caller),
            Stmt::FilterBlock { filter, body } => w.tag(8).u(filter).range(body),
            Stmt::With { assigns, body } => w.tag(9).range(assigns).range(body),
            Stmt::Block(b) => w.tag(10).u(b),
            Stmt::Extends(e) => w.tag(11).u(e),
            Stmt::Include { template, ignore_missing, with_context } => {
                w.tag(12).flag(flags(ignore_missing, with_context)).u(template)
            }
            Stmt::Import { template, target, with_context } => {
                w.tag(13).flag(flags(false, with_context)).u(template).u(target)
            }
            Stmt::FromImport { template, names, with_context } => {
                w.tag(14).flag(flags(false, with_context)).u(template).range(names)
            }
            Stmt::Autoescape { value, body } => w.tag(15).u(value).range(body),
            Stmt::Do(e) => w.tag(16).u(e),
            Stmt::Break => w.tag(17),
            Stmt::Continue => w.tag(18),
            Stmt::Trans(t) => w.tag(19).u(t),
            Stmt::Debug => w.tag(20),
        };
    }
    w.out
}

/// Decode statement nodes.
pub fn decode_stmts(bytes: &[u8]) -> Result<Vec<Stmt>, &'static str> {
    decode_stmts_with(bytes, &NoChecks)
}

/// Decode statement nodes, checking each with `checks` as it is decoded (out of line, as
/// `decode_exprs_with`).
#[inline(never)]
pub fn decode_stmts_with(bytes: &[u8], checks: &impl NodeChecks) -> Result<Vec<Stmt>, &'static str> {
    decode_stmts_impl::<false>(bytes, checks, Range::default()).map(|(stmts, _)| stmts)
}

/// Decode statement nodes as [`decode_stmts_with`] does, and rebuild the statement lists
/// (`stmt_lists`) the lowering made for them, stored empty when they can be rebuilt
/// (`derive_stmt_lists`): the lowering completes a body after every statement in it (each
/// after its own bodies), appends its ids to the lists and then makes the statement that owns
/// it. So the statements not yet in a body are a stack: a statement takes its bodies off the
/// top (in the order [`NodeChecks::for_each_body`] gives, which must each start where the
/// lists end so far), and `top` (the template's body) takes its own at the end. Every entry is
/// an earlier statement than its owner by construction, which [`Program::validate`] would
/// otherwise check entry by entry.
///
/// [`Program::validate`]: super::program::Program::validate
#[inline(never)]
pub fn decode_stmts_deriving(
    bytes: &[u8],
    checks: &impl NodeChecks,
    top: Range,
) -> Result<(Vec<Stmt>, Vec<u32>), &'static str> {
    decode_stmts_impl::<true>(bytes, checks, top)
}

/// The statements not yet in a body (`pending`, a stack) and the lists made so far.
#[derive(Default)]
struct Bodies {
    pending: Vec<u32>,
    lists: Vec<u32>,
}

/// The statement lists of `stmts` rebuilt as [`decode_stmts_deriving`] does (on a whole
/// decoded table: for deciding whether a program's lists can be stored empty, and for tests),
/// with `bodies` giving each statement's bodies as [`NodeChecks::for_each_body`] does.
pub(crate) fn derive_stmt_lists(
    stmts: &[Stmt],
    top: Range,
    bodies: impl Fn(&Stmt, &mut dyn FnMut(Range) -> Result<(), &'static str>) -> Result<(), &'static str>,
) -> Result<Vec<u32>, &'static str> {
    let mut b = Bodies::default();
    for (i, s) in stmts.iter().enumerate() {
        let mut end = b.lists.len();
        bodies(s, &mut |r| chain(&mut end, r))?;
        b.take_to(end)?;
        b.pending.push(i as u32);
    }
    let mut end = b.lists.len();
    chain(&mut end, top)?;
    b.take_to(end)?;
    Ok(b.lists)
}

impl Bodies {
    /// Move the statements of bodies that run from the end of the lists to `end` (see
    /// [`chain`]) from the top of the stack to the lists.
    #[inline(always)]
    fn take_to(&mut self, end: usize) -> Result<(), &'static str> {
        let total = end.wrapping_sub(self.lists.len());
        let base =
            self.pending.len().checked_sub(total).ok_or("a body takes more statements than precede it")?;
        self.lists.extend_from_slice(self.pending.get(base..).unwrap_or(&[]));
        self.pending.truncate(base);
        Ok(())
    }
}

thread_local! {
    // The stack of statements not yet in a body, kept for the thread's next load (up to
    // `KEEP_PENDING` entries): one allocation per load fewer.
    static PENDING: std::cell::Cell<Vec<u32>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Largest pending stack kept for the next load on a thread.
const KEEP_PENDING: usize = 1 << 16;

/// An empty stack with room for `n` statements (the thread's kept one when there is one).
fn take_pending(n: usize) -> Vec<u32> {
    let mut v = PENDING.with(|c| c.take());
    v.clear();
    v.reserve(n);
    v
}

/// Keep `v` for the thread's next load.
fn keep_pending(v: Vec<u32>) {
    if v.capacity() <= KEEP_PENDING {
        PENDING.with(|c| c.set(v));
    }
}

/// The next body of a statement's bodies, which must start where the one before it ends
/// (`end`, first the end of the lists so far).
#[inline(always)]
fn chain(end: &mut usize, r: Range) -> Result<(), &'static str> {
    if r.start as usize != *end {
        return Err("a body does not start where the statement lists end");
    }
    *end += r.len as usize;
    Ok(())
}

#[inline(always)]
fn decode_stmts_impl<const DERIVE: bool>(
    bytes: &[u8],
    checks: &impl NodeChecks,
    top: Range,
) -> Result<(Vec<Stmt>, Vec<u32>), &'static str> {
    let mut r = reader(bytes);
    let n = r.count()?;
    let mut out = Vec::with_capacity(n);
    // Each statement enters the stack once and leaves it at most once, into the lists.
    let mut b = Bodies {
        pending: if DERIVE { take_pending(n) } else { Vec::new() },
        lists: if DERIVE { Vec::with_capacity(n) } else { Vec::new() },
    };
    let mut data_end = 0u32;
    let mut last_emit = 0u32;
    // As in `decode_exprs_with`, `i` is the count so far.
    while out.len() < n {
        let i = out.len() as u32;
        // As in `decode_exprs_with`: each arm checks and pushes its own node.
        macro_rules! emit {
            ($s:expr) => {{
                let s = $s;
                checks.check_stmt(i, &s)?;
                out.push(s);
                if DERIVE {
                    b.pending.push(i);
                }
            }};
        }
        // A statement with bodies takes them off the stack first.
        macro_rules! emit_owner {
            ($s:expr) => {{
                let s = $s;
                checks.check_stmt(i, &s)?;
                if DERIVE {
                    let mut end = b.lists.len();
                    checks.for_each_body(&s, |r| chain(&mut end, r))?;
                    b.take_to(end)?;
                    b.pending.push(i);
                }
                out.push(s);
            }};
        }
        match r.byte()? {
            t @ (0 | TAG_DATA_SHORT..=0xff) => {
                let len = if t == 0 { r.u32()? } else { u32::from(t & 0x7f) };
                let run = Range { start: data_end, len };
                data_end = run.start.wrapping_add(run.len);
                checks.check_data_after(i, run)?;
                out.push(Stmt::Data(run));
                if DERIVE {
                    b.pending.push(i);
                }
            }
            t @ TAG_DATA_EMIT..TAG_DATA_SHORT => {
                let pairs = usize::from((t >> 1) & 0x1f) + 1;
                let last = usize::from(t & 1);
                // Every statement of the run is one of the `n` (`i < n`).
                if pairs * 2 + last > n - i as usize {
                    return Err("a statement run passes the node count");
                }
                let run = r.take(pairs * 2 + last)?;
                let (body, tail) = run.split_at(pairs * 2);
                let mut i = i;
                for &[len, e] in body.as_chunks::<2>().0 {
                    let run = Range { start: data_end, len: u32::from(len) };
                    data_end = run.start.wrapping_add(run.len);
                    checks.check_data_after(i, run)?;
                    out.push(Stmt::Data(run));
                    last_emit = last_emit.wrapping_add(u32::from(e));
                    let s = Stmt::Emit(last_emit);
                    checks.check_stmt(i + 1, &s)?;
                    out.push(s);
                    if DERIVE {
                        b.pending.push(i);
                        b.pending.push(i + 1);
                    }
                    i += 2;
                }
                if let Some(&len) = tail.first() {
                    let run = Range { start: data_end, len: u32::from(len) };
                    data_end = run.start.wrapping_add(run.len);
                    checks.check_data_after(i, run)?;
                    out.push(Stmt::Data(run));
                    if DERIVE {
                        b.pending.push(i);
                    }
                }
            }
            1 => emit!(Stmt::Emit(r.u32()?)),
            2 => emit_owner!(Stmt::If { branches: r.range()?, otherwise: r.range()? }),
            3 => emit_owner!(Stmt::For(r.u32()?)),
            4 => emit!(Stmt::Set { target: r.u32()?, value: r.u32()? }),
            5 => {
                let target = r.u32()?;
                let filter = r.u32()?.checked_sub(1);
                emit_owner!(Stmt::SetBlock { target, filter, body: r.range()? })
            }
            6 => emit_owner!(Stmt::Macro(r.u32()?)),
            7 => emit_owner!(Stmt::CallBlock { call: r.u32()?, caller: r.u32()? }),
            8 => emit_owner!(Stmt::FilterBlock { filter: r.u32()?, body: r.range()? }),
            9 => emit_owner!(Stmt::With { assigns: r.range()?, body: r.range()? }),
            10 => emit_owner!(Stmt::Block(r.u32()?)),
            11 => emit!(Stmt::Extends(r.u32()?)),
            12 => {
                let f = r.byte()?;
                emit!(Stmt::Include {
                    template: r.u32()?,
                    ignore_missing: f & 1 != 0,
                    with_context: f & 2 != 0
                })
            }
            13 => {
                let f = r.byte()?;
                emit!(Stmt::Import { template: r.u32()?, target: r.u32()?, with_context: f & 2 != 0 })
            }
            14 => {
                let f = r.byte()?;
                emit!(Stmt::FromImport { template: r.u32()?, names: r.range()?, with_context: f & 2 != 0 })
            }
            15 => emit_owner!(Stmt::Autoescape { value: r.u32()?, body: r.range()? }),
            16 => emit!(Stmt::Do(r.u32()?)),
            17 => emit!(Stmt::Break),
            18 => emit!(Stmt::Continue),
            19 => emit!(Stmt::Trans(r.u32()?)),
            20 => emit!(Stmt::Debug),
            21 => {
                let start = r.u32()?;
                let len = r.u32()?;
                data_end = start.wrapping_add(len);
                emit!(Stmt::Data(Range { start, len }))
            }
            _ => return Err("unknown statement tag"),
        }
    }
    r.end()?;
    if DERIVE {
        let mut end = b.lists.len();
        chain(&mut end, top)?;
        b.take_to(end)?;
    }
    keep_pending(b.pending);
    Ok((out, b.lists))
}

/// Encode spans (line, column) as deltas from the previous span, in one varint when the line
/// is the previous one's (most spans: a node's children and parent share its line): the low
/// bit says whether the line changed; if not, the rest is the column's zigzag delta; if so,
/// the rest is the line's zigzag delta and the column follows whole.
pub fn encode_spans(spans: &[Span]) -> Vec<u8> {
    let mut out = Vec::with_capacity(spans.len() * 3 / 2);
    let mut prev = Span { line: 0, col: 0 };
    for s in spans {
        if s.line == prev.line {
            varint64(&mut out, zigzag(i64::from(s.col) - i64::from(prev.col)) << 1);
        } else {
            varint64(&mut out, (zigzag(i64::from(s.line) - i64::from(prev.line)) << 1) | 1);
            varint(&mut out, s.col);
        }
        prev = *s;
    }
    out
}

/// Decode spans.
pub fn decode_spans(bytes: &[u8]) -> Result<Vec<Span>, &'static str> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut r = reader(bytes);
    let mut prev = Span { line: 0, col: 0 };
    let step =
        |base: u32, d: u64| u32::try_from(i64::from(base) + unzigzag(d)).map_err(|_| "span out of range");
    while !r.done() {
        let v = r.u64()?;
        prev = if v & 1 == 0 {
            Span { line: prev.line, col: step(prev.col, v >> 1)? }
        } else {
            Span { line: step(prev.line, v >> 1)?, col: r.u32()? }
        };
        out.push(prev);
    }
    Ok(out)
}

/// zstd level of a packed span table (see [`pack_spans`]). Spans are read only to report an
/// error, so they are compressed harder than the payload: on the benchmark corpus their 629 KB
/// (15 % of the serialized programs) come to 600 KB at the buckets' level -32, 319 KB at 3,
/// 315 KB at 9 and 308 KB at 19 (331 KB at 19 with the expressions' and statements' spans in
/// two frames). Level 19 cost about 1.2 M instructions a template to compress (1.2 G for the
/// corpus, twice what compiling it costs; `jinjac compile` took 45 % longer) to save 11 KB,
/// 0.3 % of the buckets; at 3 writing costs what it did without packing.
pub const SPAN_ZSTD_LEVEL: i32 = 3;

/// A span table's stored form: `0` then the [`encode_spans`] bytes as they are, or `1`, the
/// length of those bytes (LEB128) and one zstd frame ([`SPAN_ZSTD_LEVEL`]) holding them,
/// whichever is shorter (the raw form when equal); an empty table is empty. The table stays
/// packed in a loaded program until a span is needed ([`unpack_spans`]), so a load hashes and
/// inflates fewer bytes and decodes none of it.
pub fn pack_spans(encoded: &[u8]) -> Vec<u8> {
    if encoded.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(encoded.len() + 1);
    let compressed = compress_kept(&SPAN_COMPRESSOR, SPAN_ZSTD_LEVEL, encoded).ok();
    match compressed {
        Some(z) if z.len() + varint_len(encoded.len() as u32) < encoded.len() => {
            out.push(1);
            varint(&mut out, encoded.len() as u32);
            out.extend_from_slice(&z);
        }
        _ => {
            out.push(0);
            out.extend_from_slice(encoded);
        }
    }
    out
}

fn varint_len(mut v: u32) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// The spans of a table packed by [`pack_spans`], for a table of `nodes` nodes: a packed form
/// that declares more than the most bytes `nodes` spans can take (ten each), does not inflate
/// to exactly its declared length, or does not decode is an error.
pub fn unpack_spans(packed: &[u8], nodes: usize) -> Result<Vec<Span>, &'static str> {
    let Some((&kind, rest)) = packed.split_first() else { return Ok(Vec::new()) };
    match kind {
        0 => decode_spans(rest),
        1 => {
            let mut r = reader(rest);
            let len = r.u32()? as usize;
            if len > nodes.saturating_mul(MAX_SPAN_BYTES) {
                return Err("packed spans declare more bytes than their nodes can take");
            }
            let frame = rest.get(r.pos..).ok_or("packed spans end early")?;
            let mut raw = Vec::with_capacity(len);
            let n = with_decompressor(|d| d.decompress_to_buffer(frame, &mut raw))
                .map_err(|_| "packed spans do not inflate")?;
            if n != len || raw.len() != len {
                return Err("packed spans inflate to another length");
            }
            decode_spans(&raw)
        }
        _ => Err("unknown span packing"),
    }
}

/// The most bytes one span takes in [`encode_spans`]: a line delta (33 bits zigzagged, one
/// more for the flag: five bytes) and a column (five).
const MAX_SPAN_BYTES: usize = 10;

thread_local! {
    // A zstd context is costly to create; buckets are written by the thousand.
    static SPAN_COMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>> =
        const { std::cell::RefCell::new(None) };
    static DECOMPRESSOR: std::cell::RefCell<Option<zstd::bulk::Decompressor<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// A thread's kept zstd compression context for one use (one level).
pub(crate) type KeptCompressor =
    std::thread::LocalKey<std::cell::RefCell<Option<zstd::bulk::Compressor<'static>>>>;

/// `bytes` compressed at `level` with the thread's context kept in `slot` (made on first use;
/// a new one when the kept one is busy). Output does not depend on reuse.
pub(crate) fn compress_kept(
    slot: &'static KeptCompressor,
    level: i32,
    bytes: &[u8],
) -> std::io::Result<Vec<u8>> {
    slot.with(|slot| match slot.try_borrow_mut() {
        Ok(mut slot) => {
            if slot.is_none() {
                *slot = Some(zstd::bulk::Compressor::new(level)?);
            }
            match slot.as_mut() {
                Some(c) => c.compress(bytes),
                None => zstd::bulk::compress(bytes, level),
            }
        }
        Err(_) => zstd::bulk::compress(bytes, level),
    })
}

/// `f` with this thread's zstd decompression context, made on first use and kept: a new
/// context allocates and frees its large tables each time (a fresh one per span table cost a
/// cold start of the corpus about 40 ms in page faults, which instruction counts do not show).
/// Used by bucket loads and span tables alike; output does not depend on reuse.
pub(crate) fn with_decompressor<T>(
    f: impl FnOnce(&mut zstd::bulk::Decompressor<'static>) -> std::io::Result<T>,
) -> std::io::Result<T> {
    DECOMPRESSOR.with(|slot| {
        let mut slot = slot.try_borrow_mut().map_err(|_| std::io::Error::other("decompressor busy"))?;
        if slot.is_none() {
            *slot = Some(zstd::bulk::Decompressor::new()?);
        }
        match slot.as_mut() {
            Some(d) => f(d),
            None => Err(std::io::Error::other("no decompressor")),
        }
    })
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
    // Ids below 128 take one byte: all of a small template's, in loops that vectorize (the
    // check ORs every byte rather than stopping at the first large one).
    if bytes.iter().fold(0, |a, &b| a | b) < 0x80 {
        return Ok(bytes.iter().map(|&b| u32::from(b)).collect());
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while let Some(&b0) = bytes.get(pos) {
        if b0 < 0x80 {
            out.push(u32::from(b0));
            pos += 1;
            continue;
        }
        match bytes.get(pos + 1) {
            Some(&b1) if b1 < 0x80 => {
                out.push(u32::from(b0 & 0x7f) | (u32::from(b1) << 7));
                pos += 2;
            }
            _ => {
                let (v, next) = varint_at(bytes, pos)?;
                out.push(u32::try_from(v).map_err(|_| "varint overflows 32 bits")?);
                pos = next;
            }
        }
    }
    Ok(out)
}

/// Reads a byte string of ids (for tables nested in other serde types).
pub(crate) struct IdsSeed;

impl<'de> serde::de::DeserializeSeed<'de> for IdsSeed {
    type Value = Vec<u32>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<u32>, D::Error> {
        de(d, decode_ids)
    }
}

/// A small fixed record of a side table, written as a byte string like the node tables (a
/// serde visit per field cost more than the nodes' decoding on large templates).
pub trait Record: Sized {
    /// Append the record.
    fn put(&self, w: &mut Vec<u8>);
    /// Read one record.
    fn get(r: &mut Reader<'_>) -> Result<Self, &'static str>;
    /// How many fields (flag bytes and varints) a record has: its size when every varint
    /// takes one byte.
    const FIELDS: usize;
    /// Whether [`Self::FIELDS`] one-byte fields (every byte below 0x80) make a record that
    /// [`Record::get`] accepts (its tags and operator codes in range).
    #[inline(always)]
    fn small_ok(_: &[u8]) -> bool {
        true
    }
    /// Read one record of [`Self::FIELDS`] one-byte fields that [`Record::small_ok`] accepts:
    /// the same record as [`Record::get`] on those bytes. Infallible, so that a table of them
    /// decodes in a loop that knows its length (no capacity check or early exit per record).
    fn get_small(b: &[u8]) -> Self;
}

/// The one-byte fields of a record, widened (`b` is a chunk of exactly `N` bytes; anything
/// else reads as zeros, never a panic).
#[inline(always)]
fn small<const N: usize>(b: &[u8]) -> [u32; N] {
    <&[u8; N]>::try_from(b).map_or([0; N], |b| b.map(u32::from))
}

fn opt1(v: Option<u32>) -> u32 {
    v.map_or(0, |x| x.wrapping_add(1))
}

impl Record for (u32, u32) {
    fn put(&self, w: &mut Vec<u8>) {
        varint(w, self.0);
        varint(w, self.1);
    }
    const FIELDS: usize = 2;
    #[inline(always)]
    fn get_small(b: &[u8]) -> Self {
        let [a, b] = small::<2>(b);
        (a, b)
    }
    #[inline]
    fn get(r: &mut Reader<'_>) -> Result<Self, &'static str> {
        Ok((r.u32()?, r.u32()?))
    }
}

impl Record for (u32, Option<u32>) {
    fn put(&self, w: &mut Vec<u8>) {
        varint(w, self.0);
        varint(w, opt1(self.1));
    }
    const FIELDS: usize = 2;
    #[inline(always)]
    fn get_small(b: &[u8]) -> Self {
        let [a, b] = small::<2>(b);
        (a, b.checked_sub(1))
    }
    #[inline]
    fn get(r: &mut Reader<'_>) -> Result<Self, &'static str> {
        Ok((r.u32()?, r.u32()?.checked_sub(1)))
    }
}

impl Record for MacroDef {
    fn put(&self, w: &mut Vec<u8>) {
        let u = self.uses;
        w.push((u.caller as u8) | ((u.varargs as u8) << 1) | ((u.kwargs as u8) << 2));
        for v in [self.name, self.params.start, self.params.len, self.body.start, self.body.len] {
            varint(w, v);
        }
        varint(w, self.span.line);
        varint(w, self.span.col);
    }
    const FIELDS: usize = 8;
    #[inline(always)]
    fn get_small(b: &[u8]) -> Self {
        let [flags, name, ps, pl, bs, bl, line, col] = small::<8>(b);
        MacroDef {
            name,
            params: Range { start: ps, len: pl },
            body: Range { start: bs, len: bl },
            uses: MacroUses { caller: flags & 1 != 0, varargs: flags & 2 != 0, kwargs: flags & 4 != 0 },
            span: Span { line, col },
        }
    }
    #[inline]
    fn get(r: &mut Reader<'_>) -> Result<Self, &'static str> {
        let flags = r.byte()?;
        Ok(MacroDef {
            name: r.u32()?,
            params: r.range()?,
            body: r.range()?,
            uses: MacroUses { caller: flags & 1 != 0, varargs: flags & 2 != 0, kwargs: flags & 4 != 0 },
            span: Span { line: r.u32()?, col: r.u32()? },
        })
    }
}

impl Record for BlockDef {
    fn put(&self, w: &mut Vec<u8>) {
        w.push((self.scoped as u8) | ((self.required as u8) << 1));
        for v in [self.name, self.body.start, self.body.len, self.span.line, self.span.col] {
            varint(w, v);
        }
    }
    const FIELDS: usize = 6;
    #[inline(always)]
    fn get_small(b: &[u8]) -> Self {
        let [flags, name, bs, bl, line, col] = small::<6>(b);
        BlockDef {
            name,
            body: Range { start: bs, len: bl },
            scoped: flags & 1 != 0,
            required: flags & 2 != 0,
            span: Span { line, col },
        }
    }
    #[inline]
    fn get(r: &mut Reader<'_>) -> Result<Self, &'static str> {
        let flags = r.byte()?;
        Ok(BlockDef {
            name: r.u32()?,
            body: r.range()?,
            scoped: flags & 1 != 0,
            required: flags & 2 != 0,
            span: Span { line: r.u32()?, col: r.u32()? },
        })
    }
}

const CMPOPS: [CmpOp; 8] =
    [CmpOp::Eq, CmpOp::Ne, CmpOp::Lt, CmpOp::Le, CmpOp::Gt, CmpOp::Ge, CmpOp::In, CmpOp::NotIn];

impl Record for (CmpOp, u32) {
    fn put(&self, w: &mut Vec<u8>) {
        w.push(code(&CMPOPS, &self.0));
        varint(w, self.1);
    }
    const FIELDS: usize = 2;
    #[inline(always)]
    fn small_ok(b: &[u8]) -> bool {
        b.first().is_some_and(|&o| usize::from(o) < CMPOPS.len())
    }
    #[inline(always)]
    fn get_small(b: &[u8]) -> Self {
        let [o, e] = small::<2>(b);
        // `small_ok` checked the code.
        (CMPOPS.get(o as usize).copied().unwrap_or(CmpOp::Eq), e)
    }
    #[inline]
    fn get(r: &mut Reader<'_>) -> Result<Self, &'static str> {
        Ok((op(&CMPOPS, r.byte()?)?, r.u32()?))
    }
}

impl Record for (u32, Range) {
    fn put(&self, w: &mut Vec<u8>) {
        for v in [self.0, self.1.start, self.1.len] {
            varint(w, v);
        }
    }
    const FIELDS: usize = 3;
    #[inline(always)]
    fn get_small(b: &[u8]) -> Self {
        let [a, start, len] = small::<3>(b);
        (a, Range { start, len })
    }
    #[inline]
    fn get(r: &mut Reader<'_>) -> Result<Self, &'static str> {
        Ok((r.u32()?, r.range()?))
    }
}

/// Argument lists ([`CallArgs`]) in their own layout: nearly every list has positional
/// arguments only, which follow the previous list's in `expr_lists` (the lowering appends each
/// list's entries as it makes it), and keyword arguments that would likewise start where the
/// previous list's end. Such a list is one byte below 0x80, the number of positional
/// arguments. Any other list is a byte `0x80 | flags` and then its fields as varints: the
/// positional start (flag 1; else where the previous list's positional arguments end), the
/// positional count, the keyword start (flag 2; else where the previous list's keyword
/// arguments end), the keyword count, `*args` (flag 4) and `**kwargs` (flag 8); other flags
/// are an error. "Previous" starts at 0 for the first list. The ranges are checked against
/// their tables by the program's checks, as before.
pub fn encode_call_args(items: &[CallArgs]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.len() + 8);
    let (mut pend, mut kend) = (0u32, 0u32);
    for a in items {
        let follows = a.args.start == pend;
        let kfollows = a.kwargs.start == kend;
        let plain = a.kwargs.len == 0 && a.dyn_args.is_none() && a.dyn_kwargs.is_none();
        if follows && kfollows && plain && a.args.len < 0x80 {
            out.push(a.args.len as u8);
        } else {
            let flags = u8::from(!follows)
                | (u8::from(!kfollows) << 1)
                | (u8::from(a.dyn_args.is_some()) << 2)
                | (u8::from(a.dyn_kwargs.is_some()) << 3);
            out.push(0x80 | flags);
            if !follows {
                varint(&mut out, a.args.start);
            }
            varint(&mut out, a.args.len);
            if !kfollows {
                varint(&mut out, a.kwargs.start);
            }
            varint(&mut out, a.kwargs.len);
            for v in [a.dyn_args, a.dyn_kwargs].into_iter().flatten() {
                varint(&mut out, v);
            }
        }
        pend = a.args.start.wrapping_add(a.args.len);
        kend = a.kwargs.start.wrapping_add(a.kwargs.len);
    }
    out
}

/// Decode argument lists ([`encode_call_args`]): the one-byte lists in a tight loop, the
/// others out of line. Each list takes at least one byte, which bounds the allocation.
pub fn decode_call_args(bytes: &[u8]) -> Result<Vec<CallArgs>, &'static str> {
    let mut out = Vec::with_capacity(bytes.len());
    let (mut pend, mut kend) = (0u32, 0u32);
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        if b < 0x80 {
            let len = u32::from(b);
            out.push(CallArgs {
                args: Range { start: pend, len },
                kwargs: Range { start: kend, len: 0 },
                dyn_args: None,
                dyn_kwargs: None,
            });
            pend = pend.wrapping_add(len);
            pos += 1;
            continue;
        }
        // Keyword arguments (both ranges following, one-byte counts): inline too.
        if let (0x80, Some(&len), Some(&klen)) = (b, bytes.get(pos + 1), bytes.get(pos + 2)) {
            if (len | klen) < 0x80 {
                let (len, klen) = (u32::from(len), u32::from(klen));
                out.push(CallArgs {
                    args: Range { start: pend, len },
                    kwargs: Range { start: kend, len: klen },
                    dyn_args: None,
                    dyn_kwargs: None,
                });
                pend = pend.wrapping_add(len);
                kend = kend.wrapping_add(klen);
                pos += 3;
                continue;
            }
        }
        {
            let mut r = Reader { bytes, pos: pos + 1 };
            let a = call_args_general(&mut r, b, pend, kend)?;
            out.push(a);
            pend = a.args.start.wrapping_add(a.args.len);
            kend = a.kwargs.start.wrapping_add(a.kwargs.len);
            pos = r.pos;
        }
    }
    Ok(out)
}

/// The fields of an argument list after its flag byte `b` (see [`encode_call_args`]).
#[inline(never)]
fn call_args_general(r: &mut Reader<'_>, b: u8, pend: u32, kend: u32) -> Result<CallArgs, &'static str> {
    if b & 0x70 != 0 {
        return Err("unknown argument-list flags");
    }
    let start = if b & 1 != 0 { r.u32()? } else { pend };
    let len = r.u32()?;
    let kstart = if b & 2 != 0 { r.u32()? } else { kend };
    let klen = r.u32()?;
    let dyn_args = if b & 4 != 0 { Some(r.u32()?) } else { None };
    let dyn_kwargs = if b & 8 != 0 { Some(r.u32()?) } else { None };
    Ok(CallArgs {
        args: Range { start, len },
        kwargs: Range { start: kstart, len: klen },
        dyn_args,
        dyn_kwargs,
    })
}

/// Serde `with` module for the argument lists ([`encode_call_args`]).
pub mod call_args {
    use super::*;
    /// Serialize.
    pub fn serialize<S: Serializer>(v: &[CallArgs], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&encode_call_args(v))
    }
    /// Deserialize.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<CallArgs>, D::Error> {
        de(d, decode_call_args)
    }
}

/// Assignment targets ([`Target`]) in their own layout: most are plain names of the first
/// 128 strings, stored as that one byte (below 0x80). Any other target is a tag byte, `0x80`
/// (a name) with its string id, `0x81` (a tuple) with the start and length of its entries in
/// `target_lists`, or `0x82` (an attribute) with the two string ids, each a varint; other tags
/// are an error. The ids are checked by the program's checks, as before.
pub fn encode_targets(items: &[Target]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.len() + 8);
    for t in items {
        match *t {
            Target::Name(n) if n < 0x80 => out.push(n as u8),
            Target::Name(n) => {
                out.push(0x80);
                varint(&mut out, n);
            }
            Target::Tuple(r) => {
                out.push(0x81);
                varint(&mut out, r.start);
                varint(&mut out, r.len);
            }
            Target::Attr(a, b) => {
                out.push(0x82);
                varint(&mut out, a);
                varint(&mut out, b);
            }
        }
    }
    out
}

/// Decode assignment targets ([`encode_targets`]): one-byte names in a tight loop, the others
/// out of line. Each target takes at least one byte, which bounds the allocation.
pub fn decode_targets(bytes: &[u8]) -> Result<Vec<Target>, &'static str> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut pos = 0;
    while let Some(&b) = bytes.get(pos) {
        if b < 0x80 {
            out.push(Target::Name(u32::from(b)));
            pos += 1;
            continue;
        }
        let mut r = Reader { bytes, pos: pos + 1 };
        out.push(target_general(&mut r, b)?);
        pos = r.pos;
    }
    Ok(out)
}

/// The fields of a target after its tag byte `b` (see [`encode_targets`]).
#[inline(never)]
fn target_general(r: &mut Reader<'_>, b: u8) -> Result<Target, &'static str> {
    match b {
        0x80 => Ok(Target::Name(r.u32()?)),
        0x81 => Ok(Target::Tuple(r.range()?)),
        0x82 => Ok(Target::Attr(r.u32()?, r.u32()?)),
        _ => Err("unknown target tag"),
    }
}

/// Serde `with` module for the assignment targets ([`encode_targets`]).
pub mod targets {
    use super::*;
    /// Serialize.
    pub fn serialize<S: Serializer>(v: &[Target], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&encode_targets(v))
    }
    /// Deserialize.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Target>, D::Error> {
        de(d, decode_targets)
    }
}

/// Loops ([`LoopDef`]) in their own layout: a flag byte (1 `recursive`, 2 `extended`, 4 an
/// inline `if` filter, 8 an `else` body, 16 an `else` body placed elsewhere than right after
/// the body; other flags are an error), then varints: the target, the iterated expression,
/// the filter (flag 4), the body's distance from where the previous loop's `else` body ends
/// (0 for the first loop: the lowering completes each loop's bodies before the next loop's,
/// so the bodies follow each other in `stmt_lists`; a body before that end is stored as its
/// start with flag 32), the body's length, the `else` body's start (flag 16; else where the
/// body ends) and its length (flag 8; else 0).
pub fn encode_loops(items: &[LoopDef]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.len() * 6);
    let mut end = 0u32;
    for l in items {
        let body_end = l.body.start.wrapping_add(l.body.len);
        let before = l.body.start < end;
        let placed = l.otherwise.start != body_end;
        let flags = u8::from(l.recursive)
            | (u8::from(l.extended) << 1)
            | (u8::from(l.filter.is_some()) << 2)
            | (u8::from(l.otherwise.len != 0) << 3)
            | (u8::from(placed) << 4)
            | (u8::from(before) << 5);
        out.push(flags);
        varint(&mut out, l.target);
        varint(&mut out, l.iter);
        if let Some(f) = l.filter {
            varint(&mut out, f);
        }
        varint(&mut out, if before { l.body.start } else { l.body.start - end });
        varint(&mut out, l.body.len);
        if placed {
            varint(&mut out, l.otherwise.start);
        }
        if l.otherwise.len != 0 {
            varint(&mut out, l.otherwise.len);
        }
        end = l.otherwise.start.wrapping_add(l.otherwise.len);
    }
    out
}

/// Decode loops ([`encode_loops`]). Each loop takes at least five bytes, which bounds the
/// allocation.
pub fn decode_loops(bytes: &[u8]) -> Result<Vec<LoopDef>, &'static str> {
    let mut out = Vec::with_capacity(bytes.len() / 5);
    let mut r = reader(bytes);
    let mut end = 0u32;
    while !r.done() {
        let flags = r.byte()?;
        if flags & 0xc0 != 0 {
            return Err("unknown loop flags");
        }
        let target = r.u32()?;
        let iter = r.u32()?;
        let filter = if flags & 4 != 0 { Some(r.u32()?) } else { None };
        let at = r.u32()?;
        let start = if flags & 32 != 0 { at } else { end.wrapping_add(at) };
        let body = Range { start, len: r.u32()? };
        let body_end = start.wrapping_add(body.len);
        let ostart = if flags & 16 != 0 { r.u32()? } else { body_end };
        let olen = if flags & 8 != 0 { r.u32()? } else { 0 };
        let otherwise = Range { start: ostart, len: olen };
        end = ostart.wrapping_add(olen);
        out.push(LoopDef {
            target,
            iter,
            filter,
            body,
            otherwise,
            recursive: flags & 1 != 0,
            extended: flags & 2 != 0,
        });
    }
    Ok(out)
}

/// Serde `with` module for the loops ([`encode_loops`]).
pub mod loops {
    use super::*;
    /// Serialize.
    pub fn serialize<S: Serializer>(v: &[LoopDef], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&encode_loops(v))
    }
    /// Deserialize.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<LoopDef>, D::Error> {
        de(d, decode_loops)
    }
}

/// Encode a side table.
pub fn encode_records<T: Record>(items: &[T]) -> Vec<u8> {
    let mut out = Vec::with_capacity(items.len() * 3);
    for x in items {
        x.put(&mut out);
    }
    out
}

/// Decode a side table.
pub fn decode_records<T: Record>(bytes: &[u8]) -> Result<Vec<T>, &'static str> {
    // A table whose every byte is below 0x80 has one-byte fields only: fixed-size records
    // (most tables of most templates). Otherwise, or if it ends inside a record (an error
    // the general loop reports), field by field.
    if bytes.len().is_multiple_of(T::FIELDS) && bytes.iter().fold(0, |a, &b| a | b) < 0x80 {
        let records = bytes.chunks_exact(T::FIELDS);
        // Records with a bad tag or code: the general loop names the error.
        if records.clone().all(T::small_ok) {
            return Ok(records.map(T::get_small).collect());
        }
    }
    decode_records_mixed(bytes)
}

/// Decode a side table with some fields of more than one byte (a large template's): each
/// record whose next [`Record::FIELDS`] bytes are all below 0x80 (and that
/// [`Record::small_ok`] accepts) is read as fixed-size, the others field by field. A record
/// takes at least [`Record::FIELDS`] bytes, so the count is bounded by that; any error is
/// the field-by-field reader's.
fn decode_records_mixed<T: Record>(bytes: &[u8]) -> Result<Vec<T>, &'static str> {
    let mut out = Vec::with_capacity(bytes.len() / T::FIELDS.max(1));
    let mut r = reader(bytes);
    while !r.done() {
        if let Some(b) = r.pos.checked_add(T::FIELDS).and_then(|end| bytes.get(r.pos..end)) {
            if b.iter().fold(0, |a, &x| a | x) < 0x80 && T::small_ok(b) {
                out.push(T::get_small(b));
                r.pos += T::FIELDS;
                continue;
            }
        }
        out.push(T::get(&mut r)?);
    }
    Ok(out)
}

/// Decode a side table field by field (what the faster loops are held to by the tests).
#[cfg(test)]
fn decode_records_by_field<T: Record>(bytes: &[u8]) -> Result<Vec<T>, &'static str> {
    let mut out = Vec::with_capacity(bytes.len() / 2);
    let mut r = reader(bytes);
    while !r.done() {
        out.push(T::get(&mut r)?);
    }
    Ok(out)
}

/// Serde `with` module for a side table of [`Record`]s.
pub mod records {
    use super::*;
    /// Serialize.
    pub fn serialize<S: Serializer, T: Record>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&encode_records(v))
    }
    /// Deserialize.
    pub fn deserialize<'de, D: Deserializer<'de>, T: Record>(d: D) -> Result<Vec<T>, D::Error> {
        de(d, decode_records::<T>)
    }
}

/// A byte slice that serializes as a byte string.
pub(crate) struct Bytes<'a>(pub(crate) &'a [u8]);

impl serde::Serialize for Bytes<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
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
    d.deserialize_bytes(BytesVisitor(f)).map_err(D::Error::custom)
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

/// A byte string, copied out of the input.
pub(crate) fn raw_bytes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    de(d, |b| Ok(b.to_vec()))
}
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
            Expr::StrConcat(r),
            Expr::PyName(4),
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
    fn bad_tags_lengths_and_references_are_errors() {
        // Each table starts with its node count.
        // A string constant without its index; an index too long for 32 bits.
        assert!(decode_exprs(&[1, 5]).is_err());
        assert!(decode_exprs(&[1, 5, 0xff, 0xff, 0xff, 0xff, 0x7f]).is_err());
        assert!(decode_exprs(&[1, 4, 0, 0, 0]).is_err());
        let mut rec = encode_exprs(&[Expr::None]);
        assert_eq!(rec, [1, 0]);
        rec[1] = 0x3f; // an unused tag (0x40 and up hold small string nodes)
        assert!(decode_exprs(&rec).is_err());
        let good = [Expr::None, Expr::None, Expr::Binary(BinOp::Add, 0, 1)];
        let mut rec = encode_exprs(&good);
        assert_eq!(decode_exprs(&rec).unwrap(), good);
        rec[4] = 200;
        assert!(decode_exprs(&rec).is_err(), "operator code");
        // A child at distance 0 (itself) or beyond the first node.
        assert!(decode_exprs(&[2, 0, 10, 0, 7]).is_err());
        assert!(decode_exprs(&[2, 0, 10, 2, 7]).is_err());
        assert!(decode_exprs(&[2, 0, 20, 1, 1, 2]).is_err());
        assert!(decode_exprs(&[2, 0, 10, 1, 7]).is_ok());
        // A count larger than the nodes there, smaller (bytes left over), or than the table.
        assert!(decode_exprs(&[3, 0, 10, 1, 7]).is_err());
        assert!(decode_exprs(&[1, 0, 10, 1, 7]).is_err());
        assert!(decode_exprs(&[0xff, 0xff, 0x03, 0]).is_err());
        assert!(decode_exprs(&[]).is_err());
        assert!(decode_stmts(&[6, 22, 22, 22, 22, 22, 22]).is_err());
        assert!(decode_stmts(&[1, 0]).is_err(), "data without its length");
        assert!(decode_stmts(&[1, 21, 1]).is_err(), "placed data without its length");
        assert!(decode_stmts(&[2, 17, 18, 20]).is_err());
        assert!(decode_stmts(&[3, 17, 18]).is_err());
        assert!(decode_spans(&[1]).is_err(), "a new line without its column");
        assert!(decode_spans(&[3, 0]).is_err(), "a line before 0");
        assert!(decode_spans(&[2]).is_err(), "a column before 0");
        assert!(decode_spans(&[0x80]).is_err());
        assert!(decode_ids(&[0x80]).is_err());
    }

    #[test]
    fn side_tables_round_trip() {
        let r = Range { start: 300, len: 2 };
        let args = vec![
            CallArgs::default(),
            CallArgs { args: r, kwargs: r, dyn_args: Some(0), dyn_kwargs: Some(u32::MAX - 1) },
        ];
        assert_eq!(decode_call_args(&encode_call_args(&args)).unwrap(), args);
        let kw = vec![(1u32, 2u32), (u32::MAX, 0)];
        assert_eq!(decode_records::<(u32, u32)>(&encode_records(&kw)).unwrap(), kw);
        let cmp: Vec<(CmpOp, u32)> = CMPOPS.iter().map(|&o| (o, 7)).collect();
        assert_eq!(decode_records::<(CmpOp, u32)>(&encode_records(&cmp)).unwrap(), cmp);
        let loops = vec![
            LoopDef {
                target: 1,
                iter: 2,
                filter: None,
                body: r,
                otherwise: r,
                recursive: true,
                extended: false,
            },
            LoopDef {
                target: 0,
                iter: 0,
                filter: Some(3),
                body: r,
                otherwise: r,
                recursive: false,
                extended: true,
            },
        ];
        assert_eq!(decode_loops(&encode_loops(&loops)).unwrap(), loops);
        let uses = MacroUses { caller: true, varargs: false, kwargs: true };
        let macros = vec![MacroDef { name: 1, params: r, body: r, uses, span: Span { line: 3, col: 400 } }];
        assert_eq!(decode_records::<MacroDef>(&encode_records(&macros)).unwrap(), macros);
        let blocks = vec![
            BlockDef { name: 1, body: r, scoped: true, required: false, span: Span { line: 3, col: 400 } },
            BlockDef { name: 0, body: r, scoped: false, required: true, span: Span { line: 1, col: 0 } },
        ];
        assert_eq!(decode_records::<BlockDef>(&encode_records(&blocks)).unwrap(), blocks);
        let opt = vec![(1u32, None), (2, Some(0)), (u32::MAX, Some(u32::MAX - 1))];
        assert_eq!(decode_records::<(u32, Option<u32>)>(&encode_records(&opt)).unwrap(), opt);
        let br = vec![(4u32, r)];
        assert_eq!(decode_records::<(u32, Range)>(&encode_records(&br)).unwrap(), br);
        let t = vec![Target::Name(1), Target::Tuple(r), Target::Attr(2, 3)];
        assert_eq!(decode_targets(&encode_targets(&t)).unwrap(), t);
        assert!(decode_targets(&[0x83, 0, 0]).is_err());
        assert!(decode_records::<(CmpOp, u32)>(&[8, 0]).is_err());
        assert!(decode_call_args(&[0x80, 0]).is_err());
    }

    /// The fixed-size path for tables of one-byte fields decodes (and rejects) exactly what
    /// the field-by-field loop does.
    #[test]
    fn small_records_decode_as_field_by_field() {
        fn same<T: Record + PartialEq + std::fmt::Debug>(bytes: &[u8]) {
            assert_eq!(decode_records::<T>(bytes), decode_records_by_field::<T>(bytes), "{:?}", bytes);
            assert_eq!(decode_records_mixed::<T>(bytes), decode_records_by_field::<T>(bytes), "{:?}", bytes);
        }
        // Every byte string of up to 9 bytes over a few values (flags, tags, op codes, ids).
        let values = [0u8, 1, 2, 3, 7, 8, 0x7f];
        let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
        for len in 1..=9 {
            let mut x = vec![0usize; len];
            loop {
                inputs.push(x.iter().map(|&i| values[(i * 5 + len) % values.len()]).collect());
                let mut k = 0;
                while k < len && x[k] == 2 {
                    x[k] = 0;
                    k += 1;
                }
                if k == len {
                    break;
                }
                x[k] += 1;
            }
        }
        for b in &inputs {
            same::<(u32, u32)>(b);
            same::<(u32, Option<u32>)>(b);
            same::<MacroDef>(b);
            same::<BlockDef>(b);
            same::<(CmpOp, u32)>(b);
            same::<(u32, Range)>(b);
        }
    }

    /// The mixed loop (records of one-byte fields read fixed-size, the others field by field)
    /// decodes and rejects exactly what the field-by-field loop does, on tables with
    /// multi-byte varints anywhere: a record before, inside or after, truncated or overlong.
    #[test]
    fn mixed_records_decode_as_field_by_field() {
        fn same<T: Record + PartialEq + std::fmt::Debug>(bytes: &[u8]) {
            assert_eq!(decode_records::<T>(bytes), decode_records_by_field::<T>(bytes), "{:?}", bytes);
            assert_eq!(decode_records_mixed::<T>(bytes), decode_records_by_field::<T>(bytes), "{:?}", bytes);
        }
        let base: Vec<u8> = (0..24u8).map(|i| (i * 7) % 5).collect();
        let long: [&[u8]; 4] = [&[0x80, 0x01], &[0xff, 0x7f], &[0x80], &[0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]];
        for cut in 0..=base.len() {
            for at in 0..=cut {
                for l in long {
                    let mut b = base[..at].to_vec();
                    b.extend_from_slice(l);
                    b.extend_from_slice(&base[at..cut]);
                    same::<(u32, u32)>(&b);
                    same::<(u32, Option<u32>)>(&b);
                    same::<MacroDef>(&b);
                    same::<BlockDef>(&b);
                    same::<(CmpOp, u32)>(&b);
                    same::<(u32, Range)>(&b);
                }
            }
        }
    }

    /// `Str` and `Name` nodes with a string id below 64, and `GetAttr` of the node before with
    /// an attribute id below 32, are one byte, the id in the tag (a name and an attribute of
    /// it below 256 two, one tag); the others keep their general form. A small `GetAttr` first
    /// in the table (no node before it) and the unused tags are errors.
    #[test]
    fn small_string_nodes_are_one_byte() {
        let exprs = vec![
            Expr::Name(0),
            Expr::GetAttr(0, 63),
            Expr::GetAttr(1, 64),
            Expr::GetAttr(1, 5),
            Expr::Str(63),
            Expr::Str(64),
            Expr::Name(63),
            Expr::Name(64),
            Expr::Name(u32::MAX),
            Expr::GetAttr(8, 0),
        ];
        let bytes = encode_exprs(&exprs);
        assert_eq!(
            bytes,
            [
                10,
                0xc0,
                63,
                10,
                1,
                64,
                10,
                2,
                5,
                0x40 | 63,
                5,
                64,
                0x80 | 63,
                6,
                64,
                6,
                0xff,
                0xff,
                0xff,
                0xff,
                0x0f,
                0x20
            ]
        );
        assert_eq!(decode_exprs(&bytes).unwrap(), exprs);
        assert!(decode_exprs(&[1, 0x20]).is_err(), "an attribute of no node");
        assert_eq!(decode_exprs(&[2, 0x7f, 0x21]).unwrap(), [Expr::Str(63), Expr::GetAttr(0, 1)]);
        for tag in 23..0x20 {
            assert!(decode_exprs(&[1, tag, 0, 0, 0, 0]).is_err(), "tag {tag}");
        }
    }

    /// A name and an attribute of it are one node pair: the name's id in the tag, the
    /// attribute's in the byte after it; the next links of a chain are one byte each below 32.
    #[test]
    fn name_attribute_pairs_are_two_bytes() {
        let exprs = vec![
            Expr::Name(63),
            Expr::GetAttr(0, 255),
            Expr::GetAttr(1, 31),
            Expr::GetAttr(2, 32),
            Expr::Name(64),
            Expr::GetAttr(4, 0),
            Expr::Name(1),
            Expr::GetAttr(6, 256),
            Expr::Name(2),
            Expr::GetAttr(7, 3),
            Expr::Name(3),
        ];
        let bytes = encode_exprs(&exprs);
        assert_eq!(
            bytes,
            [11, 0xff, 255, 0x20 | 31, 10, 1, 32, 6, 64, 0x20, 0x81, 10, 1, 0x80, 2, 0x82, 10, 2, 3, 0x83]
        );
        assert_eq!(decode_exprs(&bytes).unwrap(), exprs);
        // Every cut is an error; so is a pair as the last node or past the count.
        for n in 0..bytes.len() {
            assert!(decode_exprs(&bytes[..n]).is_err(), "{n}");
        }
        assert_eq!(decode_exprs(&[2, 0xc5, 9]).unwrap(), [Expr::Name(5), Expr::GetAttr(0, 9)]);
        assert!(decode_exprs(&[1, 0xc5, 9]).is_err(), "a pair as the only node");
        assert!(decode_exprs(&[2, 0x80, 0xc5, 9]).is_err(), "a pair as the last node");
        assert!(decode_exprs(&[3, 0xc5, 9]).is_err(), "a pair and a missing node");
        // Each node of a pair is checked, with its own id.
        let seen = Recorder { limit: 10, ..Recorder::default() };
        assert!(decode_exprs_with(&[3, 0x80, 0xc5, 9], &seen).is_ok());
        assert_eq!(seen.exprs.take(), [(0, Expr::Name(0)), (1, Expr::Name(5)), (2, Expr::GetAttr(1, 9))]);
        assert!(decode_exprs_with(&[3, 0x80, 0xc5, 10], &seen).is_err(), "the attribute is checked");
        assert!(decode_exprs_with(&[3, 0x80, 0xca, 9], &seen).is_err(), "the name is checked");
    }

    /// Checks that record what they are asked, and refuse a string or expression id from
    /// `limit` or a data run ending past `limit`.
    #[derive(Default)]
    struct Recorder {
        limit: u32,
        exprs: std::cell::RefCell<Vec<(u32, Expr)>>,
        stmts: std::cell::RefCell<Vec<(u32, Stmt)>>,
    }

    impl NodeChecks for Recorder {
        fn check_expr(&self, me: u32, e: &Expr) -> Result<(), &'static str> {
            self.exprs.borrow_mut().push((me, *e));
            match *e {
                Expr::Name(s) | Expr::GetAttr(_, s) if s >= self.limit => Err("string"),
                _ => Ok(()),
            }
        }
        fn check_stmt(&self, me: u32, s: &Stmt) -> Result<(), &'static str> {
            self.stmts.borrow_mut().push((me, *s));
            match *s {
                Stmt::Emit(e) if e >= self.limit => Err("expression refers past the table"),
                _ => Ok(()),
            }
        }
        fn check_data_after(&self, me: u32, r: Range) -> Result<(), &'static str> {
            self.stmts.borrow_mut().push((me, Stmt::Data(r)));
            if r.start + r.len > self.limit {
                return Err("data");
            }
            Ok(())
        }
        fn for_each_body(
            &self,
            _: &Stmt,
            _: impl FnMut(Range) -> Result<(), &'static str>,
        ) -> Result<(), &'static str> {
            Ok(())
        }
    }

    /// `Data`, `Emit` pairs that follow each other are one run: a tag with the pair count and
    /// whether a `Data` ends it, then a byte for each field. A run never passes the node
    /// count, a cut inside one is an error, and every statement of it is checked in order.
    #[test]
    fn data_emit_runs_round_trip_and_are_checked() {
        let d = |start, len| Stmt::Data(Range { start, len });
        let stmts = vec![
            d(0, 3),
            Stmt::Emit(5),
            d(3, 255),
            Stmt::Emit(260),
            d(258, 1),
            // Not a run: an `Emit` first, a run too long, an `Emit` before the last's.
            Stmt::Emit(2),
            d(259, 256),
            Stmt::Emit(300),
            d(515, 0),
            Stmt::Emit(259),
            d(515, 2),
            Stmt::Emit(600),
            Stmt::Break,
        ];
        let bytes = encode_stmts(&stmts);
        assert_eq!(
            bytes,
            [
                13, 0x43, 3, 5, 255, 255, 1, 1, 2, 0, 0x80, 2, 1, 0xac, 2, 0x80, 1, 0x83, 2, 0x82, 1, 0xd8,
                4, 17
            ]
        );
        assert_eq!(decode_stmts(&bytes).unwrap(), stmts);
        for n in 0..bytes.len() {
            assert!(decode_stmts(&bytes[..n]).is_err(), "{n}");
        }
        // The longest run (its last `Data` the next pair's), then that pair's `Emit` alone.
        let mut long = Vec::new();
        for k in 0..=MAX_PAIRS as u32 {
            long.extend([d(k, 1), Stmt::Emit(k)]);
        }
        let bytes = encode_stmts(&long);
        assert_eq!(bytes[1], TAG_DATA_EMIT | 0x3f);
        assert_eq!(bytes[2 + 2 * MAX_PAIRS + 1..], [1, MAX_PAIRS as u8]);
        assert_eq!(decode_stmts(&bytes).unwrap(), long);
        // A run past the node count: one pair of two nodes, one more `Data`, more pairs.
        assert_eq!(decode_stmts(&[2, 0x40, 1, 0]).unwrap(), [d(0, 1), Stmt::Emit(0)]);
        assert!(decode_stmts(&[1, 0x40, 1, 0]).is_err());
        assert!(decode_stmts(&[2, 0x41, 1, 0, 1]).is_err());
        assert!(decode_stmts(&[3, 0x42, 1, 0, 1, 0]).is_err());
        assert!(decode_stmts(&[3, 0x7f]).is_err());
        // Every statement checked, in order, with its id; an `Emit` referring past the
        // expressions (forward, as from a forged distance) is an error.
        let seen = Recorder { limit: 10, ..Default::default() };
        assert!(decode_stmts_with(&[4, 17, 0x41, 1, 4, 2], &seen).is_ok());
        assert_eq!(seen.stmts.take(), [(0, Stmt::Break), (1, d(0, 1)), (2, Stmt::Emit(4)), (3, d(1, 2))]);
        assert!(decode_stmts_with(&[4, 0x42, 1, 4, 2, 6], &seen).is_err(), "4 + 6 is past 10");
        assert!(decode_stmts_with(&[3, 0x41, 1, 4, 10], &seen).is_err(), "a data run past the text");
        // A run's `Data` follows the one before it, placed or not.
        let placed = [d(7, 2), d(9, 1), Stmt::Emit(1)];
        assert_eq!(decode_stmts(&encode_stmts(&placed)).unwrap(), placed);
    }

    /// Targets: a name below 128 is one byte, the rest a tag and fields; loops: a flag byte,
    /// the body as its distance from the previous loop's end, the `else` body only when it
    /// is not empty or not right after the body. Cuts inside a record, unknown tags and flags
    /// are errors, never panics.
    #[test]
    fn targets_and_loops_round_trip_in_their_layout() {
        let r = |start, len| Range { start, len };
        let targets = vec![
            Target::Name(0),
            Target::Name(127),
            Target::Name(128),
            Target::Tuple(r(0, 2)),
            Target::Attr(1, u32::MAX),
            Target::Name(u32::MAX),
        ];
        let bytes = encode_targets(&targets);
        assert_eq!(bytes[..5], [0, 127, 0x80, 0x80, 1]);
        assert_eq!(decode_targets(&bytes).unwrap(), targets);
        for tag in [0x83u8, 0xc0, 0xff] {
            assert!(decode_targets(&[tag, 0, 0]).is_err(), "{tag:#x}");
        }
        let lp = |body: Range, otherwise: Range| LoopDef {
            target: 1,
            iter: 200,
            filter: None,
            body,
            otherwise,
            recursive: false,
            extended: true,
        };
        let loops = vec![
            lp(r(0, 2), r(2, 0)),
            lp(r(2, 3), r(5, 1)),
            LoopDef { filter: Some(7), recursive: true, extended: false, ..lp(r(9, 1), r(10, 0)) },
            lp(r(4, 1), r(3, 0)),
            lp(r(300, 0), r(0, 5)),
            lp(r(u32::MAX, 2), r(1, 0)),
        ];
        let bytes = encode_loops(&loops);
        // Flags, target, iter (two bytes), the body 0 past the start and 2 long; no `else`.
        assert_eq!(bytes[..6], [2, 1, 0xc8, 0x01, 0, 2]);
        // The next: an `else` body (flag 8) of one, right after its body.
        assert_eq!(bytes[6..13], [2 | 8, 1, 0xc8, 0x01, 0, 3, 1]);
        assert_eq!(decode_loops(&bytes).unwrap(), loops);
        let mut ends = Vec::new();
        for k in 0..=loops.len() {
            ends.push(encode_loops(&loops[..k]).len());
        }
        for n in 0..bytes.len() {
            match ends.iter().position(|&e| e == n) {
                Some(k) => assert_eq!(decode_loops(&bytes[..n]).unwrap(), loops[..k], "cut at {n}"),
                None => assert!(decode_loops(&bytes[..n]).is_err(), "cut at {n}"),
            }
        }
        for f in [0x40u8, 0x80, 0xff] {
            assert!(decode_loops(&[f, 0, 0, 0, 0, 0, 0, 0]).is_err(), "{f:#x}");
        }
        for i in 0..bytes.len() {
            for x in [0x01u8, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] ^= x;
                let _ = decode_loops(&bad);
            }
        }
    }

    /// Argument lists: one byte for positional arguments that follow the previous list's,
    /// a flag byte and the fields present for the rest; a truncated record, unknown flags or a
    /// field too long are errors, never panics, and a table cut between records reads as the
    /// lists before the cut.
    #[test]
    fn argument_lists_round_trip_in_their_layout() {
        let r = |start, len| Range { start, len };
        let plain =
            |start, len, kstart| CallArgs { args: r(start, len), kwargs: r(kstart, 0), ..Default::default() };
        let lists = vec![
            plain(0, 0, 0),
            plain(0, 2, 0),
            plain(2, 127, 0),
            plain(129, 128, 0),
            plain(7, 1, 0),
            CallArgs { args: r(8, 1), kwargs: r(0, 2), ..Default::default() },
            CallArgs { args: r(9, 0), kwargs: r(2, 200), ..Default::default() },
            CallArgs { args: r(9, 1), kwargs: r(202, 1), dyn_args: Some(0), dyn_kwargs: None },
            CallArgs { args: r(10, 0), kwargs: r(203, 0), dyn_args: None, dyn_kwargs: Some(u32::MAX) },
            CallArgs { args: r(u32::MAX, 1), kwargs: r(5, u32::MAX), dyn_args: Some(3), dyn_kwargs: Some(4) },
            plain(0, 3, 4),
        ];
        let bytes = encode_call_args(&lists);
        assert_eq!(decode_call_args(&bytes).unwrap(), lists);
        assert_eq!(bytes[..3], [0, 2, 127], "following positional lists are one byte");
        assert_eq!(encode_call_args(&[lists[5]]), [0x80 | 1, 8, 1, 2]);
        assert!(encode_call_args(&lists[..6]).ends_with(&[0x80, 1, 2]), "keywords that follow");
        assert!(decode_call_args(&[]).unwrap().is_empty());
        // Cut anywhere: inside a record an error, between records the lists before the cut.
        let mut ends = Vec::new();
        for k in 0..=lists.len() {
            ends.push(encode_call_args(&lists[..k]).len());
        }
        for n in 0..bytes.len() {
            match ends.iter().position(|&e| e == n) {
                Some(k) => assert_eq!(decode_call_args(&bytes[..n]).unwrap(), lists[..k], "cut at {n}"),
                None => assert!(decode_call_args(&bytes[..n]).is_err(), "cut at {n}"),
            }
        }
        // Unknown flags; a field past 32 bits; every byte flipped: no panic.
        for f in [0x90u8, 0xa0, 0xc0, 0xff] {
            assert!(decode_call_args(&[f, 0, 0, 0, 0, 0, 0]).is_err(), "{f:#x}");
        }
        assert!(decode_call_args(&[0x81, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0]).is_err());
        for i in 0..bytes.len() {
            for x in [0x01u8, 0x80, 0xff] {
                let mut bad = bytes.clone();
                bad[i] ^= x;
                let _ = decode_call_args(&bad);
            }
        }
    }

    /// A span table packs into a zstd frame when that is shorter, else stays raw; every
    /// truncation, corruption or forged length of the packed form is an error, never a panic.
    #[test]
    fn packed_spans_round_trip_and_reject_damage() {
        let many: Vec<Span> = (0..400).map(|i| Span { line: 1 + i / 7, col: (i * 13) % 90 }).collect();
        let raw = encode_spans(&many);
        let packed = pack_spans(&raw);
        assert_eq!(packed[0], 1, "compressed");
        assert!(packed.len() < raw.len() / 2);
        assert_eq!(packed, pack_spans(&raw), "deterministic");
        assert_eq!(unpack_spans(&packed, many.len()).unwrap(), many);
        let few = [Span { line: 1, col: 0 }, Span { line: 2, col: 5 }];
        let small = pack_spans(&encode_spans(&few));
        assert_eq!(small[0], 0, "raw");
        assert_eq!(unpack_spans(&small, 2).unwrap(), few);
        assert_eq!(pack_spans(&[]), Vec::<u8>::new());
        assert_eq!(unpack_spans(&[], 0).unwrap(), Vec::<Span>::new());
        // Truncated anywhere after the kind, or one byte longer.
        for n in 1..packed.len() {
            assert!(unpack_spans(&packed[..n], many.len()).is_err(), "truncated to {n}");
        }
        let mut longer = packed.clone();
        longer.push(0);
        assert!(unpack_spans(&longer, many.len()).is_err());
        // Every byte flipped: an error or (where zstd cannot tell) some spans, never a panic.
        for i in 0..packed.len() {
            let mut bad = packed.clone();
            bad[i] ^= 0x55;
            let _ = unpack_spans(&bad, many.len());
        }
        // A declared length past what the nodes can take, or off by one either way.
        let (declared, at) = varint_at(&packed, 1).unwrap();
        assert!(unpack_spans(&packed, declared as usize / MAX_SPAN_BYTES - 1).is_err());
        for delta in [-1i64, 1] {
            let mut forged = vec![1u8];
            varint64(&mut forged, (declared as i64 + delta) as u64);
            forged.extend_from_slice(&packed[at..]);
            assert!(unpack_spans(&forged, many.len()).is_err(), "{delta}");
        }
        let mut huge = vec![1u8];
        varint(&mut huge, u32::MAX);
        huge.extend_from_slice(&packed[at..]);
        assert!(unpack_spans(&huge, many.len()).is_err());
        assert!(unpack_spans(&[2, 0], 1).is_err(), "unknown packing");
    }

    #[test]
    fn data_ranges_and_spans_are_deltas() {
        // Data runs that follow each other store their lengths only; one elsewhere its start.
        let stmts = [Stmt::Data(Range { start: 0, len: 300 }), Stmt::Data(Range { start: 300, len: 5 })];
        let rec = encode_stmts(&stmts);
        // (A run under 128 bytes is its tag alone, the length in the low seven bits.)
        assert_eq!(rec, [2, 0, 0xac, 0x02, 0x80 | 5]);
        assert_eq!(decode_stmts(&rec).unwrap(), stmts);
        let placed = [Stmt::Data(Range { start: 2, len: 3 }), Stmt::Data(Range { start: 5, len: 1 })];
        let rec = encode_stmts(&placed);
        assert_eq!(rec, [2, 21, 2, 3, 0x80 | 1]);
        assert_eq!(decode_stmts(&rec).unwrap(), placed);
        // Short runs at both edges; a long one after them; the unused tags.
        let runs = [
            Stmt::Data(Range { start: 0, len: 0 }),
            Stmt::Data(Range { start: 0, len: 127 }),
            Stmt::Data(Range { start: 127, len: 128 }),
        ];
        let rec = encode_stmts(&runs);
        assert_eq!(rec, [3, 0x80, 0xff, 0, 0x80, 0x01]);
        assert_eq!(decode_stmts(&rec).unwrap(), runs);
        for tag in 22..0x80 {
            assert!(decode_stmts(&[1, tag, 0, 0, 0, 0]).is_err(), "tag {tag}");
        }
        let spans = [Span { line: 3, col: 10 }, Span { line: 3, col: 4 }, Span { line: 4, col: 1 }];
        let rec = encode_spans(&spans);
        // A new line: its delta (marked) and the column; the same line: the column's delta.
        assert_eq!(rec, [(6 << 1) | 1, 10, 11 << 1, (2 << 1) | 1, 1]);
        assert_eq!(decode_spans(&rec).unwrap(), spans);
    }
}
