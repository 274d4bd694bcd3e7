//! Reading `.mfnt`: every length, tag and reference is checked before it is used.

use super::*;
use crate::space::nb201::{N_ARCHS, Nb201Arch};
use crate::table::{Column, TableMeta};

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
pub(super) fn decode_body(body: &[u8]) -> Result<Table> {
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
