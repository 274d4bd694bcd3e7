//! The `.mfnt` binary table format: versioned, self-describing, checksummed and compact.
//!
//! The layout is specified in `docs/TABLE_FORMAT.md`; in short: a 16-byte header (magic,
//! version, flags, CRC-32 of the rest), a raw-DEFLATE JSON schema (table meta, row count,
//! every column spec), the row keys, then one block per column: how the missing cells are
//! marked (all present, none present, a validity bitmap, or the bitmap of an earlier
//! column) and the present values in the smallest of several lossless encodings (a
//! constant, exact decimal-scaled or binary fixed-point integers, byte planes of `f32` or
//! `f64`, byte planes of XOR-ed neighbours, a dictionary of distinct values); a column that
//! is exactly the mean of its seed columns is stored as a reference to them. Values
//! round-trip bit for bit; missing cells stay missing.
//!
//! Decoding checks everything: any corrupt, truncated or unknown input is an
//! [`ErrorKind::CorruptTable`](crate::ErrorKind::CorruptTable) error, never a panic, and
//! no length field can make the decoder allocate more than the documented limits.

use super::{ColumnSpec, Fidelity, Role, Table};
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
#[cfg(not(target_arch = "wasm32"))]
use std::path::Path;

mod decode;
mod encode;

pub use decode::{TableFile, decode, decode_schema, decode_selected};
pub use encode::encode;

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
/// The largest table file [`load`] reads, in bytes (a table at [`MAX_CELLS`] compresses
/// to less).
pub const MAX_FILE_BYTES: u64 = 1 << 30;
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

/// 2^e as an `f64`, exact for -1022 ≤ e ≤ 1023.
pub(super) fn pow2(e: i32) -> f64 {
    f64::from_bits(((1023 + e) as u64) << 52)
}

/// The mean of the present values of `cols` at `row`, summed in column order.
pub(super) fn mean_of(cols: &[&[f64]], row: usize) -> Option<f64> {
    let (mut sum, mut n) = (0.0, 0u32);
    for c in cols {
        if !c[row].is_nan() {
            sum += c[row];
            n += 1;
        }
    }
    (n > 0).then(|| sum / n as f64)
}

// ---------------------------------------------------------------------------------------
// Files

/// Reads the bytes of a table file: a regular file of at most [`MAX_FILE_BYTES`] (a FIFO,
/// a device or a folder is refused before it is opened).
#[cfg(not(target_arch = "wasm32"))]
pub fn read_file(path: impl AsRef<Path>) -> Result<Vec<u8>> {
    crate::files::read_regular(path.as_ref(), MAX_FILE_BYTES, "table")
}

/// Reads a table file (see [`read_file`]).
#[cfg(not(target_arch = "wasm32"))]
pub fn load(path: impl AsRef<Path>) -> Result<Table> {
    let path = path.as_ref();
    let bytes = read_file(path)?;
    decode(&bytes).map_err(|e| e.context(format!("table {}", path.display())))
}

/// Writes `table` to `path` (conventionally with the extension [`EXTENSION`]) atomically,
/// replacing a file there only once the new one is complete (see [`crate::files`]), and
/// returns the number of bytes written. Callers that must not replace a user's file check
/// the path with [`crate::files::Output`] first.
#[cfg(not(target_arch = "wasm32"))]
pub fn save(table: &Table, path: impl AsRef<Path>) -> Result<usize> {
    let path = path.as_ref();
    let bytes = encode(table);
    let mut f = crate::files::AtomicFile::create(path, true)?;
    f.write_bytes(&bytes)?;
    f.commit()?;
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
    use super::decode::decode_body;
    use super::encode::{binary_form, decimal_form, encode_values};
    use super::*;
    use crate::error::ErrorKind;
    use crate::space::nb201::Nb201Arch;
    use crate::table::{Column, TableMeta};
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
