//! Reading `.mfnt`: every length, tag and reference is checked before it is used.

use super::*;
use crate::space::nb201::{N_ARCHS, Nb201Arch};
use crate::table::{Column, TableMeta};

/// Decodes `.mfnt` bytes, checking magic, version, checksum and every length.
pub fn decode(bytes: &[u8]) -> Result<Table> {
    decode_body(check_header(bytes)?)
}

/// The body of `.mfnt` bytes whose magic, version, flags and checksum are right.
fn check_header(bytes: &[u8]) -> Result<&[u8]> {
    if bytes.len() < HEADER_LEN {
        if bytes.len() >= 4 && bytes[..4] != MAGIC[..4] {
            return Err(not_a_table());
        }
        return Err(Error::corrupt(format!(
            "table is truncated: {} bytes, shorter than the {HEADER_LEN}-byte header",
            bytes.len()
        )));
    }
    if bytes[..8] != MAGIC {
        return Err(not_a_table());
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != VERSION {
        return Err(Error::corrupt(format!(
            "table format version {version} is not supported: this build reads version {VERSION}; \
             repack the table with this build (`mfnas pack`)"
        )));
    }
    let flags = u16::from_le_bytes([bytes[10], bytes[11]]);
    if flags != 0 {
        return Err(Error::corrupt(format!(
            "table header has unknown flags {flags:#06x} (version {VERSION} defines none)"
        )));
    }
    let stored = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]);
    let body = &bytes[HEADER_LEN..];
    let actual = crc32fast::hash(body);
    if stored != actual {
        return Err(Error::corrupt(format!(
            "table checksum mismatch (stored {stored:08x}, computed {actual:08x}): \
             the file is corrupt or truncated; fetch or repack it"
        )));
    }
    Ok(body)
}

fn not_a_table() -> Error {
    Error::corrupt("these bytes are not an mfnas table (.mfnt): the magic number is wrong")
}

/// Parses the body after the header; never trusts a length. Public to the crate's tests
/// so the parser can be exercised past the checksum.
pub(super) fn decode_body(body: &[u8]) -> Result<Table> {
    decode_body_selected(body, &|_| true)
}

/// The schema and keys of a body, and where each column's block lies.
struct Layout<'a> {
    schema_meta: TableMeta,
    n: usize,
    keys: Vec<u64>,
    specs: Vec<ColumnSpec>,
    blocks: Vec<Block<'a>>,
}

/// One column's block, parsed but not inflated.
enum Block<'a> {
    /// A stored column: its validity and, unless no row is present, its value block
    /// (the bytes from its tag to the end of the body).
    Stored {
        presence: Presence<'a>,
        values: Option<&'a [u8]>,
    },
    /// The mean of other stored columns.
    MeanOf(Vec<usize>),
}

enum Presence<'a> {
    All,
    None,
    /// The DEFLATE stream of the bitmap.
    Bitmap(&'a [u8]),
    SameAs(usize),
}

/// Parses a body's schema and keys and walks its column blocks without inflating any
/// value, checking every tag and length on the way.
fn layout(body: &[u8]) -> Result<Layout<'_>> {
    let mut r = Reader {
        bytes: body,
        pos: 0,
    };
    let json = r.blob_up_to(MAX_SCHEMA_BYTES, "schema")?;
    let schema: Schema = serde_json::from_slice(&json)
        .map_err(|e| Error::corrupt(format!("table schema is not valid: {e}")))?;
    if schema.format != "mfnt" || schema.version != VERSION {
        return Err(Error::corrupt(format!(
            "table schema says format {:?} version {}, expected \"mfnt\" version {VERSION}",
            schema.format, schema.version
        )));
    }
    let n = usize::try_from(schema.n_rows)
        .ok()
        .filter(|&n| n <= MAX_ROWS)
        .ok_or_else(|| {
            Error::corrupt(format!(
                "table declares {} rows, more than the limit {MAX_ROWS}",
                schema.n_rows
            ))
        })?;
    let n_cols = schema.columns.len();
    if n.saturating_mul(n_cols + 1) > MAX_CELLS {
        return Err(Error::corrupt(format!(
            "table declares {n} rows × {n_cols} columns, more than the limit of {MAX_CELLS} values"
        )));
    }
    let specs = schema
        .columns
        .into_iter()
        .map(SchemaColumn::into_spec)
        .collect::<Result<Vec<_>>>()?;
    // The schema's fields are checked before any column is decoded.
    crate::table::check_specs(&specs)?;
    let keys = decode_keys(&mut r, n)?;
    let mut blocks: Vec<Block> = Vec::with_capacity(n_cols);
    for (ci, spec) in specs.iter().enumerate() {
        let what = format!("column {:?}", spec.name);
        let block = match r.u8(&what)? {
            COLUMN_STORED => {
                let presence = match r.u8(&what)? {
                    PRESENT_ALL => Presence::All,
                    PRESENT_NONE => Presence::None,
                    PRESENT_BITMAP => {
                        let len = r.u32(&what)? as usize;
                        Presence::Bitmap(r.take(len, &what)?)
                    }
                    PRESENT_SAME_AS => {
                        let j = r.u32(&what)? as usize;
                        if !matches!(blocks.get(j), Some(Block::Stored { .. })) {
                            return Err(Error::corrupt(format!(
                                "{what} refers to the validity of column {j}, which is not a stored column before it"
                            )));
                        }
                        Presence::SameAs(j)
                    }
                    other => {
                        return Err(Error::corrupt(format!(
                            "{what} has unknown validity encoding {other}"
                        )));
                    }
                };
                let has_values = match &presence {
                    Presence::All => n > 0,
                    Presence::None => false,
                    // A bitmap marks some rows present and some missing (checked when it
                    // is decoded); the same validity as a column with values has values.
                    Presence::Bitmap(_) => true,
                    Presence::SameAs(j) => match &blocks[*j] {
                        Block::Stored { values, .. } => values.is_some(),
                        Block::MeanOf(_) => unreachable!("checked above"),
                    },
                };
                let values = if has_values {
                    let at = r.pos;
                    skip_values(&mut r, &what, false)?;
                    Some(&body[at..r.pos])
                } else {
                    None
                };
                Block::Stored { presence, values }
            }
            COLUMN_MEAN_OF => {
                let k = r.u8(&what)? as usize;
                let refs = (0..k)
                    .map(|_| r.u32(&what).map(|j| j as usize))
                    .collect::<Result<Vec<_>>>()?;
                if refs.is_empty() || refs.iter().any(|&j| j >= n_cols || j == ci) {
                    return Err(Error::corrupt(format!(
                        "{what} is a mean of columns {refs:?}, which are not other columns of the table"
                    )));
                }
                Block::MeanOf(refs)
            }
            other => {
                return Err(Error::corrupt(format!("{what} has unknown kind {other}")));
            }
        };
        blocks.push(block);
    }
    if r.pos != body.len() {
        return Err(Error::corrupt(format!(
            "table has {} unexpected bytes after the last column",
            body.len() - r.pos
        )));
    }
    for (ci, b) in blocks.iter().enumerate() {
        if let Block::MeanOf(refs) = b
            && refs
                .iter()
                .any(|&j| !matches!(blocks[j], Block::Stored { .. }))
        {
            return Err(Error::corrupt(format!(
                "column {:?} is a mean of a column that is itself derived",
                specs[ci].name
            )));
        }
    }
    Ok(Layout {
        schema_meta: TableMeta {
            space: schema.space,
            dataset: schema.dataset,
            title: schema.title,
            notes: schema.notes,
        },
        n,
        keys,
        specs,
        blocks,
    })
}

/// The table's meta and column specs, without decoding any column (see [`TableFile`]).
pub fn decode_schema(bytes: &[u8]) -> Result<(TableMeta, Vec<ColumnSpec>)> {
    let l = TableFile::parse(bytes)?.layout;
    Ok((l.schema_meta, l.specs))
}

/// Decodes only the columns whose spec `keep` accepts (see [`TableFile::decode`]).
pub fn decode_selected(bytes: &[u8], keep: impl Fn(&ColumnSpec) -> bool) -> Result<Table> {
    TableFile::parse(bytes)?.decode(keep)
}

fn decode_body_selected(body: &[u8], keep: &dyn Fn(&ColumnSpec) -> bool) -> Result<Table> {
    TableFile {
        layout: layout(body)?,
    }
    .decode(keep)
}

/// A table file whose header, checksum, schema (with [`crate::table::check_specs`]), keys
/// and column layout are checked, its values not yet inflated: look at its schema, then
/// decode the columns you need.
pub struct TableFile<'a> {
    layout: Layout<'a>,
}

impl<'a> TableFile<'a> {
    /// Checks `bytes` up to the values of the columns (see [`decode`] for what is checked).
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        Ok(Self {
            layout: layout(check_header(bytes)?)?,
        })
    }
    /// The table's meta.
    pub fn meta(&self) -> &TableMeta {
        &self.layout.schema_meta
    }
    /// The spec of every column, in file order.
    pub fn specs(&self) -> &[ColumnSpec] {
        &self.layout.specs
    }
    /// Decodes the columns whose spec `keep` accepts (in file order), checking their
    /// values as [`decode`] does; the other columns' values are never inflated (their tags
    /// and lengths were checked by [`TableFile::parse`]). A kept mean-over-seeds column
    /// decodes the seed columns it is computed from without keeping them.
    pub fn decode(self, keep: impl Fn(&ColumnSpec) -> bool) -> Result<Table> {
        decode_layout(self.layout, &keep)
    }
}

fn decode_layout(l: Layout, keep: &dyn Fn(&ColumnSpec) -> bool) -> Result<Table> {
    let kept: Vec<bool> = l.specs.iter().map(keep).collect();
    // Stored columns to decode: the kept ones and those a kept mean refers to.
    let mut needed = kept.clone();
    for (ci, b) in l.blocks.iter().enumerate() {
        if let (true, Block::MeanOf(refs)) = (kept[ci], b) {
            refs.iter().for_each(|&j| needed[j] = true);
        }
    }
    let mut masks: Vec<Option<Mask>> = (0..l.blocks.len()).map(|_| None).collect();
    let mut values: Vec<Option<Vec<f64>>> = (0..l.blocks.len()).map(|_| None).collect();
    for ci in 0..l.blocks.len() {
        if !needed[ci] {
            continue;
        }
        if let Block::Stored {
            values: block,
            presence: _,
        } = &l.blocks[ci]
        {
            let what = format!("column {:?}", l.specs[ci].name);
            let mask = resolve_mask(&l, ci, &mut masks, &what)?;
            values[ci] = Some(stored_values(*block, &mask, l.n, &what)?);
        }
    }
    let mut columns = Vec::with_capacity(kept.iter().filter(|k| **k).count());
    for (ci, spec) in l.specs.iter().enumerate() {
        if !kept[ci] {
            continue;
        }
        let v = match &l.blocks[ci] {
            Block::Stored { .. } => values[ci].take().unwrap_or_default(),
            Block::MeanOf(refs) => {
                let cols: Vec<&[f64]> = refs
                    .iter()
                    .map(|&j| values[j].as_deref().expect("decoded above"))
                    .collect();
                (0..l.n)
                    .map(|row| mean_of(&cols, row).unwrap_or(f64::NAN))
                    .collect()
            }
        };
        columns.push(Column::from_raw(spec.clone(), v));
    }
    // Mean columns were computed from their references before those were taken.
    Table::new(l.schema_meta, l.keys, columns)
}

/// Which rows of a stored column are present: `None` for all.
type Mask = Option<std::rc::Rc<Vec<bool>>>;

fn resolve_mask(l: &Layout, ci: usize, masks: &mut [Option<Mask>], what: &str) -> Result<Mask> {
    if let Some(m) = &masks[ci] {
        return Ok(m.clone());
    }
    let m = match &l.blocks[ci] {
        Block::Stored { presence, .. } => match presence {
            Presence::All => None,
            Presence::None => Some(std::rc::Rc::new(vec![false; l.n])),
            Presence::SameAs(j) => resolve_mask(l, *j, masks, what)?,
            Presence::Bitmap(data) => {
                let n = l.n;
                let mut bits = vec![0u8; n.div_ceil(8)];
                let got = inflate_into(data, &mut bits, what)?;
                if got != bits.len() {
                    return Err(Error::corrupt(format!(
                        "{what} inflates to {got} bytes, expected {}",
                        bits.len()
                    )));
                }
                if !n.is_multiple_of(8) && bits.last().is_some_and(|&b| b >> (n % 8) != 0) {
                    return Err(Error::corrupt(format!(
                        "{what} validity bitmap has bits set past the last row"
                    )));
                }
                let mask: Vec<bool> = (0..n).map(|i| bits[i / 8] >> (i % 8) & 1 == 1).collect();
                if !mask.contains(&true) {
                    return Err(Error::corrupt(format!(
                        "{what} validity bitmap marks no row present (that is validity tag 1)"
                    )));
                }
                Some(std::rc::Rc::new(mask))
            }
        },
        Block::MeanOf(_) => unreachable!("only stored columns have a validity"),
    };
    masks[ci] = Some(m.clone());
    Ok(m)
}

/// The values of a stored column with validity `mask`, `NaN` where missing.
fn stored_values(block: Option<&[u8]>, mask: &Mask, n: usize, what: &str) -> Result<Vec<f64>> {
    let n_present = mask
        .as_ref()
        .map_or(n, |m| m.iter().filter(|&&p| p).count());
    let Some(block) = block else {
        return Ok(vec![f64::NAN; n]);
    };
    let mut r = Reader {
        bytes: block,
        pos: 0,
    };
    let present = decode_values(&mut r, n_present, what, false)?;
    if present.iter().any(|v| v.is_nan()) {
        return Err(Error::corrupt(format!(
            "{what} stores NaN as a present value; missing cells belong in the validity bitmap"
        )));
    }
    Ok(match mask {
        None => present,
        Some(m) => {
            let mut values = vec![f64::NAN; n];
            let mut it = present.into_iter();
            for (slot, _) in values.iter_mut().zip(m.iter()).filter(|(_, p)| **p) {
                *slot = it.next().expect("counted above");
            }
            values
        }
    })
}

/// Advances `r` over one value block without inflating it, checking its tags.
fn skip_values(r: &mut Reader, what: &str, nested: bool) -> Result<()> {
    match r.u8(what)? {
        VALUES_CONST => {
            r.u64(what)?;
        }
        VALUES_F64_PLANES | VALUES_F64_XOR_PLANES | VALUES_F32_PLANES => r.skip_blob(what)?,
        VALUES_DECIMAL | VALUES_BINARY => {
            r.u8(what)?;
            skip_ints(r, what)?;
        }
        VALUES_DICT if !nested => {
            r.u32(what)?;
            skip_values(r, what, true)?;
            skip_ints(r, what)?;
        }
        other => {
            return Err(Error::corrupt(format!(
                "{what} has unknown value encoding {other}{}",
                if nested { " inside a dictionary" } else { "" }
            )));
        }
    }
    Ok(())
}

fn skip_ints(r: &mut Reader, what: &str) -> Result<()> {
    r.u8(what)?;
    r.u64(what)?;
    if r.u8(what)? > 0 {
        r.skip_blob(what)?;
    }
    Ok(())
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize, what: &str) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(len).filter(|&e| e <= self.bytes.len());
        match end {
            Some(end) => {
                let s = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(Error::corrupt(format!(
                "table is truncated: {what} needs {len} bytes at offset {}, {} remain",
                self.pos + HEADER_LEN,
                self.bytes.len() - self.pos
            ))),
        }
    }
    fn u8(&mut self, what: &str) -> Result<u8> {
        Ok(self.take(1, what)?[0])
    }
    fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self, what: &str) -> Result<u64> {
        let b = self.take(8, what)?;
        Ok(u64::from_le_bytes(b.try_into().expect("8 bytes")))
    }
    /// Steps over a DEFLATE blob.
    fn skip_blob(&mut self, what: &str) -> Result<()> {
        let stored = self.u32(what)? as usize;
        self.take(stored, what).map(|_| ())
    }
    /// A DEFLATE blob of the byte planes of `k` values of `width` bytes, which must
    /// inflate to exactly `k × width` bytes: the values. The planes are inflated into a
    /// buffer reused across blobs (fresh memory per blob costs page faults that dominate
    /// short processes).
    fn planes(&mut self, k: usize, width: usize, what: &str) -> Result<Vec<u64>> {
        thread_local! {
            static PLANES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        let stored = self.u32(what)? as usize;
        let data = self.take(stored, what)?;
        let len = k * width;
        PLANES.with(|cell| {
            let mut buf = cell.borrow_mut();
            buf.clear();
            buf.resize(len, 0);
            let got = inflate_into(data, &mut buf, what)?;
            if got != len {
                return Err(Error::corrupt(format!(
                    "{what} inflates to {got} bytes, expected {len}"
                )));
            }
            Ok(unplane(&buf, k, width))
        })
    }
    /// A DEFLATE blob of unknown size, at most `limit` bytes.
    fn blob_up_to(&mut self, limit: usize, what: &str) -> Result<Vec<u8>> {
        let stored = self.u32(what)? as usize;
        let data = self.take(stored, what)?;
        miniz_oxide::inflate::decompress_to_vec_with_limit(data, limit).map_err(|e| {
            Error::corrupt(format!(
                "{what} does not inflate (at most {limit} bytes): {:?}",
                e.status
            ))
        })
    }
}

fn inflate_into(data: &[u8], out: &mut [u8], what: &str) -> Result<usize> {
    use miniz_oxide::inflate::TINFLStatus;
    use miniz_oxide::inflate::core::{DecompressorOxide, decompress, inflate_flags};
    // One decompressor per thread, reset per blob: creating one zeroes ~10 KiB of tables,
    // which would dominate tables with hundreds of small columns.
    thread_local! {
        static INFLATER: std::cell::RefCell<Box<DecompressorOxide>> =
            std::cell::RefCell::new(Box::default());
    }
    INFLATER.with(|cell| {
        let mut r = cell.borrow_mut();
        r.init();
        let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
        let (status, _, written) = decompress(&mut r, data, out, 0, flags);
        match status {
            TINFLStatus::Done => Ok(written),
            s => Err(Error::corrupt(format!(
                "{what} does not inflate to the expected {} bytes: {s:?}",
                out.len()
            ))),
        }
    })
}

fn decode_keys(r: &mut Reader, n: usize) -> Result<Vec<u64>> {
    match r.u8("key encoding")? {
        KEYS_ARANGE => {
            let start = r.u64("first key")?;
            if start.checked_add(n as u64).is_none() {
                return Err(Error::corrupt("row keys overflow u64"));
            }
            Ok((0..n as u64).map(|i| start + i).collect())
        }
        KEYS_NB201_INDEX_ORDER => {
            if n > N_ARCHS {
                return Err(Error::corrupt(format!(
                    "keys in NB201 index order allow at most {N_ARCHS} rows, the table declares {n}"
                )));
            }
            (0..n as u32)
                .map(|i| Nb201Arch::from_index(i).map(|a| a.0 as u64))
                .collect()
        }
        KEYS_INTS => Ok(decode_ints(r, n, "row keys")?
            .into_iter()
            .map(|v| v as u64)
            .collect()),
        other => Err(Error::corrupt(format!("unknown key encoding {other}"))),
    }
}

fn decode_values(r: &mut Reader, k: usize, what: &str, nested: bool) -> Result<Vec<f64>> {
    match r.u8(what)? {
        VALUES_CONST => {
            let v = f64::from_bits(r.u64(what)?);
            Ok(vec![v; k])
        }
        VALUES_F64_PLANES => Ok(r
            .planes(k, 8, what)?
            .into_iter()
            .map(f64::from_bits)
            .collect()),
        VALUES_F64_XOR_PLANES => {
            let mut prev = 0u64;
            Ok(r.planes(k, 8, what)?
                .into_iter()
                .map(|x| {
                    prev ^= x;
                    f64::from_bits(prev)
                })
                .collect())
        }
        VALUES_F32_PLANES => Ok(r
            .planes(k, 4, what)?
            .into_iter()
            .map(|b| f32::from_bits(b as u32) as f64)
            .collect()),
        VALUES_DECIMAL => {
            let scale = r.u8(what)? as usize;
            let p = *POW10.get(scale).ok_or_else(|| {
                Error::corrupt(format!("{what} has decimal scale {scale}, above 22"))
            })?;
            Ok(decode_ints(r, k, what)?
                .into_iter()
                .map(|m| m as f64 / p)
                .collect())
        }
        VALUES_BINARY => {
            let exp = r.u8(what)?;
            if exp > MAX_BINARY_EXP {
                return Err(Error::corrupt(format!(
                    "{what} has binary exponent {exp}, above {MAX_BINARY_EXP}"
                )));
            }
            let scale = pow2(-(exp as i32));
            Ok(decode_ints(r, k, what)?
                .into_iter()
                .map(|m| m as f64 * scale)
                .collect())
        }
        VALUES_DICT if !nested => {
            let size = r.u32(what)? as usize;
            if size == 0 || size > k {
                return Err(Error::corrupt(format!(
                    "{what} has a dictionary of {size} values for {k} cells"
                )));
            }
            let dict = decode_values(r, size, what, true)?;
            let ids = decode_ints(r, k, what)?;
            ids.into_iter()
                .map(|i| {
                    usize::try_from(i)
                        .ok()
                        .and_then(|i| dict.get(i).copied())
                        .ok_or_else(|| {
                            Error::corrupt(format!(
                                "{what} refers to dictionary entry {i} of {size}"
                            ))
                        })
                })
                .collect()
        }
        other => Err(Error::corrupt(format!(
            "{what} has unknown value encoding {other}{}",
            if nested { " inside a dictionary" } else { "" }
        ))),
    }
}

/// The `n` values of `width` bytes whose byte planes are `p` (`n × width` bytes), built
/// plane by plane: sequential passes the compiler vectorises.
fn unplane(p: &[u8], n: usize, width: usize) -> Vec<u64> {
    let mut out = vec![0u64; n];
    if n == 0 {
        return out;
    }
    for (b, plane) in p.chunks_exact(n).take(width).enumerate() {
        let shift = 8 * b as u32;
        for (v, &byte) in out.iter_mut().zip(plane) {
            *v |= (byte as u64) << shift;
        }
    }
    out
}

fn decode_ints(r: &mut Reader, k: usize, what: &str) -> Result<Vec<i64>> {
    let mode = r.u8(what)?;
    if mode != INTS_PLAIN && mode != INTS_DELTA {
        return Err(Error::corrupt(format!(
            "{what} has unknown integer mode {mode}"
        )));
    }
    let base = r.u64(what)? as i64;
    let width = r.u8(what)? as usize;
    if width > 8 {
        return Err(Error::corrupt(format!(
            "{what} has integer width {width}, above 8 bytes"
        )));
    }
    let mut t: Vec<i64> = if width == 0 {
        vec![base; k]
    } else {
        r.planes(k, width, what)?
            .into_iter()
            .map(|v| base.wrapping_add(v as i64))
            .collect()
    };
    if mode == INTS_DELTA {
        for i in 1..k {
            t[i] = t[i].wrapping_add(t[i - 1]);
        }
    }
    Ok(t)
}
