//! The `.mfnt` binary table format: versioned, self-describing, checksummed and compact.
//!
//! The layout is specified in `docs/TABLE_FORMAT.md`; in short: a 16-byte header (magic,
//! version, flags, CRC-32 of the rest), a raw-DEFLATE JSON schema (table meta, row count,
//! every column spec), the row keys, then one block per column: how the missing cells are
//! marked (all present, none present, a validity bitmap, or the bitmap of an earlier
//! column) and the present values in the smallest of several lossless encodings (a
//! constant, exact decimal-scaled integers, byte planes of `f32` or `f64`, byte planes of
//! XOR-ed neighbours). Values round-trip bit for bit; missing cells stay missing.
//!
//! Decoding checks everything: any corrupt, truncated or unknown input is an
//! [`ErrorKind::CorruptTable`](crate::ErrorKind::CorruptTable) error, never a panic, and
//! no length field can make the decoder allocate more than the documented limits.

use super::{Column, ColumnSpec, Fidelity, Role, Table, TableMeta};
use crate::error::{Error, Result};
use crate::space::nb201::{N_ARCHS, Nb201Arch};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The first 8 bytes of every table file: `MFNT` then bytes that text-mode transfers mangle.
pub const MAGIC: [u8; 8] = *b"MFNT\r\n\x1a\n";
/// The format version this code writes and reads.
pub const VERSION: u16 = 1;
/// The file extension of table files (without the dot).
pub const EXTENSION: &str = "mfnt";
/// The largest row count a file may declare.
pub const MAX_ROWS: usize = 1 << 24;
/// The largest number of values (rows × (columns + 1)) a file may declare: 512 MiB of `f64`.
pub const MAX_CELLS: usize = 1 << 26;
/// The largest decompressed schema, in bytes.
pub const MAX_SCHEMA_BYTES: usize = 16 << 20;

const HEADER_LEN: usize = 16;
const DEFLATE_LEVEL: u8 = 10;

// Key encodings.
const KEYS_ARANGE: u8 = 0;
const KEYS_NB201_INDEX_ORDER: u8 = 1;
const KEYS_INTS: u8 = 2;
// Column kinds.
const COLUMN_STORED: u8 = 0;
const COLUMN_MEAN_OF: u8 = 1;
// Presence encodings.
const PRESENT_ALL: u8 = 0;
const PRESENT_NONE: u8 = 1;
const PRESENT_BITMAP: u8 = 2;
const PRESENT_SAME_AS: u8 = 3;
// Value encodings.
const VALUES_CONST: u8 = 0;
const VALUES_F64_PLANES: u8 = 1;
const VALUES_F64_XOR_PLANES: u8 = 2;
const VALUES_F32_PLANES: u8 = 3;
const VALUES_DECIMAL: u8 = 4;
const VALUES_BINARY: u8 = 5;
const VALUES_DICT: u8 = 6;
/// The largest binary exponent of [`VALUES_BINARY`].
const MAX_BINARY_EXP: u8 = 60;
// Integer sequence modes.
const INTS_PLAIN: u8 = 0;
const INTS_DELTA: u8 = 1;

/// Powers of ten that are exact in `f64` (10^0 ..= 10^22): decimal values decode as
/// `mantissa / POW10[scale]`, one correctly rounded IEEE division on every platform.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// A number in the JSON schema, written as the shortest decimal string that reads back
/// to the same `f64` (`"0.4536"`, `"inf"`, `"-inf"`, `"NaN"`): JSON number parsers do not
/// all round correctly, strings make the round trip exact everywhere.
fn number_to_schema(v: f64) -> String {
    format!("{v:?}")
}

fn number_from_schema(text: &str, what: &str) -> Result<f64> {
    text.parse()
        .map_err(|_| Error::corrupt(format!("{what} {text:?} is not a number")))
}

/// The schema as stored: kept separate from the in-memory types so the format only
/// changes on purpose.
#[derive(Debug, Serialize, Deserialize)]
struct Schema {
    format: String,
    version: u16,
    space: String,
    dataset: String,
    title: String,
    notes: Vec<String>,
    n_rows: u64,
    columns: Vec<SchemaColumn>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SchemaColumn {
    name: String,
    role: String,
    proxy: Option<String>,
    fidelity: Option<SchemaFidelity>,
    seed: Option<u32>,
    unit: String,
    description: String,
    missing_cost: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SchemaFidelity {
    epochs: u32,
    schedule: String,
}

impl SchemaColumn {
    fn from_spec(s: &ColumnSpec) -> Self {
        Self {
            name: s.name.clone(),
            role: s.role.as_str().to_string(),
            proxy: s.proxy.clone(),
            fidelity: s.fidelity.as_ref().map(|f| SchemaFidelity {
                epochs: f.epochs,
                schedule: f.schedule.clone(),
            }),
            seed: s.seed,
            unit: s.unit.clone(),
            description: s.description.clone(),
            missing_cost: s.missing_cost.map(number_to_schema),
        }
    }
    fn into_spec(self) -> Result<ColumnSpec> {
        let role = Role::parse(&self.role).ok_or_else(|| {
            Error::corrupt(format!(
                "column {:?} has unknown role {:?}",
                self.name, self.role
            ))
        })?;
        let missing_cost = match &self.missing_cost {
            Some(t) => Some(number_from_schema(
                t,
                &format!("column {:?} missing_cost", self.name),
            )?),
            None => None,
        };
        Ok(ColumnSpec {
            name: self.name,
            role,
            proxy: self.proxy,
            fidelity: self.fidelity.map(|f| Fidelity {
                epochs: f.epochs,
                schedule: f.schedule,
            }),
            seed: self.seed,
            unit: self.unit,
            description: self.description,
            missing_cost,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Encoding

/// Encodes `table` as `.mfnt` bytes.
pub fn encode(table: &Table) -> Vec<u8> {
    let mut body = Vec::new();
    let schema = Schema {
        format: "mfnt".into(),
        version: VERSION,
        space: table.meta.space.clone(),
        dataset: table.meta.dataset.clone(),
        title: table.meta.title.clone(),
        notes: table.meta.notes.clone(),
        n_rows: table.n_rows() as u64,
        columns: table
            .columns()
            .iter()
            .map(|c| SchemaColumn::from_spec(&c.spec))
            .collect(),
    };
    let json = serde_json::to_vec(&schema).expect("the schema holds only strings and numbers");
    put_blob(&mut body, &json);
    encode_keys(&mut body, table.keys());
    let masks: Vec<Vec<bool>> = table
        .columns()
        .iter()
        .map(|c| c.raw().iter().map(|v| !v.is_nan()).collect())
        .collect();
    let refs: Vec<Option<Vec<usize>>> = (0..table.columns().len())
        .map(|ci| mean_refs(table, ci))
        .collect();
    for (ci, col) in table.columns().iter().enumerate() {
        if let Some(refs) = &refs[ci] {
            body.push(COLUMN_MEAN_OF);
            body.push(refs.len() as u8);
            for &j in refs {
                put_u32(&mut body, j);
            }
            continue;
        }
        body.push(COLUMN_STORED);
        encode_presence(&mut body, &masks, &refs, ci);
        let present: Vec<f64> = col.raw().iter().copied().filter(|v| !v.is_nan()).collect();
        if !present.is_empty() {
            body.extend_from_slice(&encode_values(&present, false));
        }
    }
    let mut out = Vec::with_capacity(HEADER_LEN + body.len());
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&VERSION.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

fn put_u32(out: &mut Vec<u8>, v: usize) {
    out.extend_from_slice(&(v as u32).to_le_bytes());
}

/// A DEFLATE blob: `u32` stored length, then the raw DEFLATE stream.
fn put_blob(out: &mut Vec<u8>, raw: &[u8]) {
    let packed = miniz_oxide::deflate::compress_to_vec(raw, DEFLATE_LEVEL);
    put_u32(out, packed.len());
    out.extend_from_slice(&packed);
}

fn encode_keys(out: &mut Vec<u8>, keys: &[u64]) {
    let n = keys.len();
    let start = keys.first().copied().unwrap_or(0);
    if keys
        .iter()
        .enumerate()
        .all(|(i, &k)| Some(k) == start.checked_add(i as u64))
    {
        out.push(KEYS_ARANGE);
        out.extend_from_slice(&start.to_le_bytes());
    } else if n <= N_ARCHS
        && keys
            .iter()
            .enumerate()
            .all(|(i, &k)| Nb201Arch::from_index(i as u32).map(|a| a.0 as u64).ok() == Some(k))
    {
        out.push(KEYS_NB201_INDEX_ORDER);
    } else {
        out.push(KEYS_INTS);
        let ints: Vec<i64> = keys.iter().map(|&k| k as i64).collect();
        out.extend_from_slice(&best_ints(&ints));
    }
}

fn encode_presence(
    out: &mut Vec<u8>,
    masks: &[Vec<bool>],
    derived: &[Option<Vec<usize>>],
    ci: usize,
) {
    let mask = &masks[ci];
    if mask.iter().all(|&p| p) {
        out.push(PRESENT_ALL);
    } else if mask.iter().all(|&p| !p) {
        out.push(PRESENT_NONE);
    } else if let Some(j) = (0..ci).find(|&j| derived[j].is_none() && masks[j] == *mask) {
        out.push(PRESENT_SAME_AS);
        put_u32(out, j);
    } else {
        out.push(PRESENT_BITMAP);
        let mut bits = vec![0u8; mask.len().div_ceil(8)];
        for (i, _) in mask.iter().enumerate().filter(|(_, p)| **p) {
            bits[i / 8] |= 1 << (i % 8);
        }
        put_blob(out, &bits);
    }
}

/// The smallest lossless encoding of `values` (none of them NaN); `nested` forbids a
/// second level of dictionary.
fn encode_values(values: &[f64], nested: bool) -> Vec<u8> {
    let bits: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
    if bits.iter().all(|&b| b == bits[0]) {
        let mut c = vec![VALUES_CONST];
        c.extend_from_slice(&bits[0].to_le_bytes());
        return c;
    }
    let mut candidates: Vec<Vec<u8>> = Vec::new();
    let mut plain = vec![VALUES_F64_PLANES];
    put_blob(&mut plain, &planes(&bits, 8));
    candidates.push(plain);
    let mut xored = vec![VALUES_F64_XOR_PLANES];
    let x: Vec<u64> = (0..bits.len())
        .map(|i| bits[i] ^ if i == 0 { 0 } else { bits[i - 1] })
        .collect();
    put_blob(&mut xored, &planes(&x, 8));
    candidates.push(xored);
    if values.iter().all(|&v| (v as f32) as f64 == v) {
        let b32: Vec<u64> = values
            .iter()
            .map(|&v| (v as f32).to_bits() as u64)
            .collect();
        let mut f32s = vec![VALUES_F32_PLANES];
        put_blob(&mut f32s, &planes(&b32, 4));
        candidates.push(f32s);
    }
    if let Some((scale, mantissas)) = decimal_form(values) {
        let mut dec = vec![VALUES_DECIMAL, scale];
        dec.extend_from_slice(&best_ints(&mantissas));
        candidates.push(dec);
    }
    if let Some((exp, mantissas)) = binary_form(values) {
        let mut bin = vec![VALUES_BINARY, exp];
        bin.extend_from_slice(&best_ints(&mantissas));
        candidates.push(bin);
    }
    if !nested {
        let mut distinct = bits.clone();
        distinct.sort_unstable_by(|a, b| f64::from_bits(*a).total_cmp(&f64::from_bits(*b)));
        distinct.dedup();
        // A dictionary only pays when values repeat a lot.
        if distinct.len() * 3 <= values.len() * 2 {
            let ids: Vec<i64> = bits
                .iter()
                .map(|b| {
                    distinct
                        .binary_search_by(|d| f64::from_bits(*d).total_cmp(&f64::from_bits(*b)))
                        .expect("every value is in the dictionary") as i64
                })
                .collect();
            let dict: Vec<f64> = distinct.iter().map(|&b| f64::from_bits(b)).collect();
            let mut d = vec![VALUES_DICT];
            put_u32(&mut d, dict.len());
            d.extend_from_slice(&encode_values(&dict, true));
            d.extend_from_slice(&best_ints(&ids));
            candidates.push(d);
        }
    }
    candidates
        .into_iter()
        .min_by_key(|c| c.len())
        .expect("at least two candidates")
}

/// The smallest `exp ≤ 60` such that every value is exactly `mantissa · 2^-exp` with
/// `|mantissa| ≤ 2^53` (fixed-point binary numbers, e.g. differences of clock readings).
fn binary_form(values: &[f64]) -> Option<(u8, Vec<i64>)> {
    const LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    (0..=MAX_BINARY_EXP).find_map(|exp| {
        let scale = pow2(exp as i32);
        let m: Option<Vec<i64>> = values
            .iter()
            .map(|&v| {
                let x = v * scale; // exact: a power-of-two scaling of a normal number
                (x.fract() == 0.0 && x.abs() <= LIMIT && (x / scale).to_bits() == v.to_bits())
                    .then_some(x as i64)
            })
            .collect();
        m.map(|m| (exp, m))
    })
}

/// 2^e as an `f64`, exact for -1022 ≤ e ≤ 1023.
fn pow2(e: i32) -> f64 {
    f64::from_bits(((1023 + e) as u64) << 52)
}

/// For a column that is the mean over seeds of other columns: their indices, if every
/// value (and every missing cell) is exactly what [`mean_of`] recomputes.
fn mean_refs(table: &Table, ci: usize) -> Option<Vec<usize>> {
    let spec = &table.columns()[ci].spec;
    if spec.seed.is_some() {
        return None;
    }
    let refs: Vec<usize> = table
        .columns()
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            c.spec.seed.is_some() && c.spec.role == spec.role && c.spec.fidelity == spec.fidelity
        })
        .map(|(j, _)| j)
        .collect();
    if refs.is_empty() || refs.len() > u8::MAX as usize {
        return None;
    }
    let cols: Vec<&[f64]> = refs.iter().map(|&j| table.columns()[j].raw()).collect();
    let own = table.columns()[ci].raw();
    (0..table.n_rows())
        .all(|r| match (mean_of(&cols, r), own[r].is_nan()) {
            (None, true) => true,
            (Some(m), false) => m.to_bits() == own[r].to_bits(),
            _ => false,
        })
        .then_some(refs)
}

/// The mean of the present values of `cols` at `row`, summed in column order.
fn mean_of(cols: &[&[f64]], row: usize) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0u32);
    for c in cols {
        if !c[row].is_nan() {
            sum += c[row];
            n += 1;
        }
    }
    (n > 0).then(|| sum / n as f64)
}

/// The smallest `scale` such that every value is exactly `mantissa / 10^scale` with
/// `|mantissa| ≤ 2^53`, and those mantissas.
fn decimal_form(values: &[f64]) -> Option<(u8, Vec<i64>)> {
    const LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    'scale: for (scale, &p) in POW10.iter().enumerate() {
        let mut m = Vec::with_capacity(values.len());
        for &v in values {
            let guess = (v * p).round();
            if guess.abs() > LIMIT {
                continue 'scale;
            }
            let g = guess as i64;
            let hit = [g, g - 1, g + 1]
                .into_iter()
                .find(|&c| (c as f64 / p).to_bits() == v.to_bits());
            match hit {
                Some(c) => m.push(c),
                None => continue 'scale,
            }
        }
        return Some((scale as u8, m));
    }
    None
}

/// Encodes an integer sequence: the smaller of plain and delta form.
fn best_ints(values: &[i64]) -> Vec<u8> {
    let plain = ints_block(INTS_PLAIN, values.to_vec());
    let deltas = (0..values.len())
        .map(|i| {
            if i == 0 {
                values[0]
            } else {
                values[i].wrapping_sub(values[i - 1])
            }
        })
        .collect();
    let delta = ints_block(INTS_DELTA, deltas);
    if delta.len() < plain.len() {
        delta
    } else {
        plain
    }
}

/// `mode`, `base` (the minimum), byte width of `value - base`, then its byte planes.
fn ints_block(mode: u8, t: Vec<i64>) -> Vec<u8> {
    let base = t.iter().copied().min().unwrap_or(0);
    let offsets: Vec<u64> = t.iter().map(|&v| v.wrapping_sub(base) as u64).collect();
    let max = offsets.iter().copied().max().unwrap_or(0);
    let width = (8 - max.leading_zeros() as usize / 8) as u8;
    let mut out = vec![mode];
    out.extend_from_slice(&base.to_le_bytes());
    out.push(width);
    if width > 0 {
        put_blob(&mut out, &planes(&offsets, width as usize));
    }
    out
}

/// Byte-plane shuffle: plane `b` holds byte `b` (little-endian) of every value.
fn planes(values: &[u64], width: usize) -> Vec<u8> {
    let n = values.len();
    let mut out = vec![0u8; n * width];
    for (i, &v) in values.iter().enumerate() {
        let bytes = v.to_le_bytes();
        for b in 0..width {
            out[b * n + i] = bytes[b];
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Decoding

/// Decodes `.mfnt` bytes, checking magic, version, checksum and every length.
pub fn decode(bytes: &[u8]) -> Result<Table> {
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
    decode_body(body)
}

fn not_a_table() -> Error {
    Error::corrupt("these bytes are not an mfnas table (.mfnt): the magic number is wrong")
}

/// Parses the body after the header; never trusts a length. Public to the crate's tests
/// so the parser can be exercised past the checksum.
pub(crate) fn decode_body(body: &[u8]) -> Result<Table> {
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
    let keys = decode_keys(&mut r, n)?;
    // Per column: `None` for a derived column (its validity cannot be referred to), else
    // its validity (`None` inside: every row present).
    let mut masks: Vec<Option<Option<Vec<bool>>>> = Vec::with_capacity(n_cols);
    let mut columns = Vec::with_capacity(n_cols);
    let mut derived: Vec<(usize, Vec<usize>)> = Vec::new();
    for (ci, sc) in schema.columns.into_iter().enumerate() {
        let spec = sc.into_spec()?;
        let what = format!("column {:?}", spec.name);
        match r.u8(&what)? {
            COLUMN_STORED => {}
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
                derived.push((ci, refs));
                masks.push(None);
                columns.push(Column::from_raw(spec, Vec::new()));
                continue;
            }
            other => {
                return Err(Error::corrupt(format!("{what} has unknown kind {other}")));
            }
        }
        let mask = decode_presence(&mut r, &masks, n, &what)?;
        let n_present = mask
            .as_ref()
            .map_or(n, |m| m.iter().filter(|&&p| p).count());
        let mut values = vec![f64::NAN; n];
        if n_present > 0 {
            let present = decode_values(&mut r, n_present, &what, false)?;
            if present.iter().any(|v| v.is_nan()) {
                return Err(Error::corrupt(format!(
                    "{what} stores NaN as a present value; missing cells belong in the validity bitmap"
                )));
            }
            match &mask {
                None => values = present,
                Some(m) => {
                    let mut it = present.into_iter();
                    for (slot, _) in values.iter_mut().zip(m).filter(|(_, p)| **p) {
                        *slot = it.next().expect("counted above");
                    }
                }
            }
        }
        masks.push(Some(mask));
        columns.push(Column::from_raw(spec, values));
    }
    for (ci, refs) in derived {
        if refs.iter().any(|&j| masks[j].is_none()) {
            return Err(Error::corrupt(format!(
                "column {:?} is a mean of a column that is itself derived",
                columns[ci].spec.name
            )));
        }
        let values: Vec<f64> = {
            let cols: Vec<&[f64]> = refs.iter().map(|&j| columns[j].raw()).collect();
            (0..n)
                .map(|row| mean_of(&cols, row).unwrap_or(f64::NAN))
                .collect()
        };
        let spec = columns[ci].spec.clone();
        columns[ci] = Column::from_raw(spec, values);
    }
    if r.pos != body.len() {
        return Err(Error::corrupt(format!(
            "table has {} unexpected bytes after the last column",
            body.len() - r.pos
        )));
    }
    let meta = TableMeta {
        space: schema.space,
        dataset: schema.dataset,
        title: schema.title,
        notes: schema.notes,
    };
    Table::new(meta, keys, columns)
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
    /// A DEFLATE blob that must inflate to exactly `len` bytes.
    fn blob_exact(&mut self, len: usize, what: &str) -> Result<Vec<u8>> {
        let stored = self.u32(what)? as usize;
        let data = self.take(stored, what)?;
        let mut out = vec![0u8; len];
        let got = inflate_into(data, &mut out, what)?;
        if got != len {
            return Err(Error::corrupt(format!(
                "{what} inflates to {got} bytes, expected {len}"
            )));
        }
        Ok(out)
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
    miniz_oxide::inflate::decompress_slice_iter_to_slice(out, std::iter::once(data), false, true)
        .map_err(|s| {
            Error::corrupt(format!(
                "{what} does not inflate to the expected {} bytes: {s:?}",
                out.len()
            ))
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

/// `None` means every row is present.
fn decode_presence(
    r: &mut Reader,
    earlier: &[Option<Option<Vec<bool>>>],
    n: usize,
    what: &str,
) -> Result<Option<Vec<bool>>> {
    match r.u8(what)? {
        PRESENT_ALL => Ok(None),
        PRESENT_NONE => Ok(Some(vec![false; n])),
        PRESENT_SAME_AS => {
            let j = r.u32(what)? as usize;
            match earlier.get(j) {
                Some(Some(m)) => Ok(m.clone()),
                _ => Err(Error::corrupt(format!(
                    "{what} refers to the validity of column {j}, which is not a stored column before it"
                ))),
            }
        }
        PRESENT_BITMAP => {
            let bits = r.blob_exact(n.div_ceil(8), what)?;
            if !n.is_multiple_of(8) && bits.last().is_some_and(|&b| b >> (n % 8) != 0) {
                return Err(Error::corrupt(format!(
                    "{what} validity bitmap has bits set past the last row"
                )));
            }
            Ok(Some(
                (0..n).map(|i| bits[i / 8] >> (i % 8) & 1 == 1).collect(),
            ))
        }
        other => Err(Error::corrupt(format!(
            "{what} has unknown validity encoding {other}"
        ))),
    }
}

fn decode_values(r: &mut Reader, k: usize, what: &str, nested: bool) -> Result<Vec<f64>> {
    match r.u8(what)? {
        VALUES_CONST => {
            let v = f64::from_bits(r.u64(what)?);
            Ok(vec![v; k])
        }
        VALUES_F64_PLANES => {
            let p = r.blob_exact(k * 8, what)?;
            Ok((0..k)
                .map(|i| f64::from_bits(unplane(&p, k, 8, i)))
                .collect())
        }
        VALUES_F64_XOR_PLANES => {
            let p = r.blob_exact(k * 8, what)?;
            let mut prev = 0u64;
            Ok((0..k)
                .map(|i| {
                    prev ^= unplane(&p, k, 8, i);
                    f64::from_bits(prev)
                })
                .collect())
        }
        VALUES_F32_PLANES => {
            let p = r.blob_exact(k * 4, what)?;
            Ok((0..k)
                .map(|i| f32::from_bits(unplane(&p, k, 4, i) as u32) as f64)
                .collect())
        }
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

#[inline]
fn unplane(p: &[u8], n: usize, width: usize, i: usize) -> u64 {
    let mut v = 0u64;
    for b in 0..width {
        v |= (p[b * n + i] as u64) << (8 * b);
    }
    v
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
        let p = r.blob_exact(k * width, what)?;
        (0..k)
            .map(|i| base.wrapping_add(unplane(&p, k, width, i) as i64))
            .collect()
    };
    if mode == INTS_DELTA {
        for i in 1..k {
            t[i] = t[i].wrapping_add(t[i - 1]);
        }
    }
    Ok(t)
}

// ---------------------------------------------------------------------------------------
// Files

/// Reads a table file.
pub fn load(path: impl AsRef<Path>) -> Result<Table> {
    let path = path.as_ref();
    let bytes = std::fs::read(path)
        .map_err(|e| Error::from(e).context(format!("reading table {}", path.display())))?;
    decode(&bytes).map_err(|e| e.context(format!("table {}", path.display())))
}

/// Writes `table` to `path` (conventionally with the extension [`EXTENSION`]) and returns
/// the number of bytes written.
pub fn save(table: &Table, path: impl AsRef<Path>) -> Result<usize> {
    let path = path.as_ref();
    let bytes = encode(table);
    std::fs::write(path, &bytes)
        .map_err(|e| Error::from(e).context(format!("writing table {}", path.display())))?;
    Ok(bytes.len())
}

impl Table {
    /// The table as `.mfnt` bytes (see [`encode`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(self)
    }
    /// A table from `.mfnt` bytes (see [`decode`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Table> {
        decode(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use proptest::prelude::*;

    fn small_table() -> Table {
        let keys: Vec<u64> = (0..40)
            .map(|i| Nb201Arch::from_index(i).unwrap().0 as u64)
            .collect();
        let a = Column::from_options(
            ColumnSpec::new(
                Role::ValAcc,
                None,
                Some(Fidelity::new(200, "hp200")),
                None,
                "%",
                "a",
            ),
            (0..40)
                .map(|i| {
                    if i % 3 == 0 {
                        None
                    } else {
                        Some(90.0 + i as f64 * 0.125)
                    }
                })
                .collect(),
        );
        let b = Column::from_options(
            ColumnSpec::new(Role::ZcScore, Some("p"), None, None, "", "b"),
            (0..40)
                .map(|i| {
                    if i % 3 == 0 {
                        None
                    } else {
                        Some(1.0 / (i as f64 + 1.0))
                    }
                })
                .collect(),
        );
        let meta = TableMeta {
            space: "nb201".into(),
            dataset: "test".into(),
            title: "small".into(),
            notes: vec![],
        };
        Table::new(meta, keys, vec![a, b]).unwrap()
    }

    /// Equal up to NaN payloads (NaN is "missing").
    fn same(a: &Table, b: &Table) -> bool {
        let bits = |c: &Column| -> Vec<Option<u64>> {
            c.raw()
                .iter()
                .map(|v| (!v.is_nan()).then(|| v.to_bits()))
                .collect()
        };
        a.meta == b.meta
            && a.keys() == b.keys()
            && a.columns().len() == b.columns().len()
            && a.columns()
                .iter()
                .zip(b.columns())
                .all(|(x, y)| x.spec == y.spec && bits(x) == bits(y))
    }

    #[test]
    fn a_second_column_with_the_same_missing_cells_refers_to_the_first() {
        let bytes = encode(&small_table());
        let t = decode(&bytes).unwrap();
        assert!(same(&t, &small_table()));
        // The second column's block starts with PRESENT_SAME_AS pointing at column 0.
        assert!(bytes.windows(5).any(|w| w == [PRESENT_SAME_AS, 0, 0, 0, 0]));
    }

    #[test]
    fn decimal_values_use_the_smallest_exact_scale() {
        let (scale, m) = decimal_form(&[19.248832, 0.5, 3.0]).unwrap();
        assert_eq!(scale, 6);
        assert_eq!(m, vec![19_248_832, 500_000, 3_000_000]);
        assert!(
            decimal_form(&[0.1 + 0.2]).is_none() || decimal_form(&[0.1 + 0.2]).unwrap().0 >= 17
        );
    }

    /// The encoding tag `encode_values` picks for `values`.
    fn chosen(values: &[f64]) -> u8 {
        encode_values(values, false)[0]
    }

    #[test]
    fn repeated_values_are_stored_as_a_dictionary() {
        let v: Vec<f64> = (0..3000)
            .map(|i| [0.1, 2.7e26, -3.3, 1.0 / 3.0][i % 7 % 4])
            .collect();
        assert_eq!(chosen(&v), VALUES_DICT);
    }

    #[test]
    fn clock_differences_are_stored_as_binary_fixed_point() {
        let v: Vec<f64> = (0..3000u64)
            .map(|i| ((i * 7919 + 1) % 100_003) as f64 * pow2(-22))
            .collect();
        assert_eq!(binary_form(&v).unwrap().0, 22);
        assert_eq!(chosen(&v), VALUES_BINARY);
    }

    #[test]
    fn short_decimals_are_stored_as_scaled_integers() {
        let v: Vec<f64> = (0..3000u64)
            .map(|i| ((i * 7919 + 1) % 100_003) as f64 / 1e6)
            .collect();
        assert_eq!(chosen(&v), VALUES_DECIMAL);
    }

    #[test]
    fn single_precision_values_are_stored_in_four_bytes() {
        let v: Vec<f64> = (0..3000u64)
            .map(|i| ((i as f32 * 0.37).sin() * 1e3) as f64)
            .collect();
        assert_eq!(chosen(&v), VALUES_F32_PLANES);
    }

    #[test]
    fn a_constant_column_costs_nine_bytes() {
        assert_eq!(encode_values(&[4.5; 1000], false).len(), 9);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Past the checksum the parser still never panics on altered bytes.
        #[test]
        fn the_parser_never_panics_on_altered_bodies(pos in 0usize..10_000, byte in any::<u8>(), cut in 0usize..10_000) {
            let bytes = encode(&small_table());
            let mut body = bytes[HEADER_LEN..].to_vec();
            let p = pos % body.len();
            body[p] = byte;
            let _ = decode_body(&body);
            let c = cut % (body.len() + 1);
            match decode_body(&body[..c]) {
                Ok(_) => prop_assert!(c == body.len()),
                Err(e) => prop_assert_eq!(e.kind(), ErrorKind::CorruptTable),
            }
        }
    }
}
