//! Writing `.mfnt`: the smallest lossless encoding of every column.

use super::*;
use crate::space::nb201::{N_ARCHS, Nb201Arch};

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
pub(super) fn encode_values(values: &[f64], nested: bool) -> Vec<u8> {
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
pub(super) fn binary_form(values: &[f64]) -> Option<(u8, Vec<i64>)> {
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

/// The smallest `scale` such that every value is exactly `mantissa / 10^scale` with
/// `|mantissa| ≤ 2^53`, and those mantissas.
pub(super) fn decimal_form(values: &[f64]) -> Option<(u8, Vec<i64>)> {
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
