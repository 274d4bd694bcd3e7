//! Feeds arbitrary bytes to the `.mfnt` decoder: as they are (the checksum rejects almost
//! everything), and again with a checksum that matches, so the parser itself is exercised.
//! Inputs that start like a table (the seeds are the real packed tables) keep their header
//! and get their checksum fixed; anything else is framed behind a valid header. The decoder
//! must never panic and never allocate past its limits, and decoding a selection of columns
//! must agree with decoding them all.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mfnas::table::{Table, codec};

fuzz_target!(|data: &[u8]| {
    let _ = codec::decode(data);
    let mut framed = Vec::with_capacity(16 + data.len());
    let body = if data.len() >= 16 && data[..8] == codec::MAGIC {
        framed.extend_from_slice(&data[..12]);
        &data[16..]
    } else {
        framed.extend_from_slice(&codec::MAGIC);
        framed.extend_from_slice(&codec::VERSION.to_le_bytes());
        framed.extend_from_slice(&0u16.to_le_bytes());
        data
    };
    framed.extend_from_slice(&crc32fast::hash(body).to_le_bytes());
    framed.extend_from_slice(body);
    check(&framed);
});

/// Every entry point on one input, and their agreement.
fn check(bytes: &[u8]) {
    let full = codec::decode(bytes);
    let schema = codec::decode_schema(bytes);
    let some = codec::decode_selected(bytes, |s| s.name.len() % 2 == 0);
    if let Ok(full) = &full {
        let (meta, specs) = schema.expect("a table that decodes has a schema");
        assert_eq!(&meta, &full.meta);
        assert_eq!(specs.len(), full.columns().len());
        let some = some.expect("a table that decodes decodes in part");
        let kept: Vec<_> = full
            .columns()
            .iter()
            .filter(|c| c.spec.name.len() % 2 == 0)
            .collect();
        assert_eq!(kept.len(), some.columns().len());
        for (a, b) in kept.iter().zip(some.columns()) {
            assert_eq!(a.spec, b.spec);
            assert!(same_bits(a.raw(), b.raw()));
        }
        assert_eq!(full.keys(), some.keys());
        // What decodes encodes again to a table that decodes to the same values.
        let again = codec::decode(&codec::encode(full)).expect("re-encoded tables decode");
        assert!(same_table(full, &again));
    }
}

fn same_bits(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits())
}

fn same_table(a: &Table, b: &Table) -> bool {
    a.meta == b.meta
        && a.keys() == b.keys()
        && a.columns().len() == b.columns().len()
        && a.columns()
            .iter()
            .zip(b.columns())
            .all(|(x, y)| x.spec == y.spec && same_bits(x.raw(), y.raw()))
}
