//! The `.mfnt` codec: bit-exact round trips, and every corruption is a clean error.

use mfnas::ErrorKind;
use mfnas::table::codec::{self, MAGIC, VERSION};
use mfnas::table::{Column, ColumnSpec, Fidelity, Role, Table, TableMeta, synthetic};
use proptest::prelude::*;

/// Equal up to NaN payloads (a NaN cell is "missing").
fn same(a: &Table, b: &Table) -> bool {
    let bits = |c: &Column| -> Vec<Option<u64>> {
        c.raw()
            .iter()
            .map(|v| (!v.is_nan()).then(|| v.to_bits()))
            .collect()
    };
    let spec_eq = |x: &ColumnSpec, y: &ColumnSpec| {
        let cost = |c: Option<f64>| c.map(|v| if v.is_nan() { u64::MAX } else { v.to_bits() });
        ColumnSpec {
            missing_cost: None,
            ..x.clone()
        } == ColumnSpec {
            missing_cost: None,
            ..y.clone()
        } && cost(x.missing_cost) == cost(y.missing_cost)
    };
    a.meta == b.meta
        && a.keys() == b.keys()
        && a.columns().len() == b.columns().len()
        && a.columns()
            .iter()
            .zip(b.columns())
            .all(|(x, y)| spec_eq(&x.spec, &y.spec) && bits(x) == bits(y))
}

fn meta() -> TableMeta {
    TableMeta {
        space: "nb201".into(),
        dataset: "test".into(),
        title: "codec test".into(),
        notes: vec!["a note".into()],
    }
}

/// The encoded first 64 rows of a synthetic table (encoded once: debug builds are slow).
fn small_encoded() -> Vec<u8> {
    static BYTES: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    BYTES
        .get_or_init(|| codec::encode(&synthetic_subset(64)))
        .clone()
}

/// The first `n` rows of the synthetic table (keeps the byte-level tests fast).
fn synthetic_subset(n: usize) -> Table {
    let full = synthetic::nb201_full_curves(7);
    let cols = full
        .columns()
        .iter()
        .map(|c| Column::from_raw(c.spec.clone(), c.raw()[..n].to_vec()))
        .collect();
    Table::new(full.meta.clone(), full.keys()[..n].to_vec(), cols).unwrap()
}

#[test]
fn the_synthetic_table_round_trips_bit_exactly() {
    let t = synthetic::nb201_full_curves(3);
    let back = Table::from_bytes(&t.to_bytes()).unwrap();
    assert!(same(&t, &back));
}

#[test]
fn files_start_with_the_magic_and_the_version() {
    let b = small_encoded();
    assert_eq!(b[..8], MAGIC);
    assert_eq!(u16::from_le_bytes([b[8], b[9]]), VERSION);
}

#[test]
fn a_newer_version_is_rejected_with_a_message_naming_both_versions() {
    let mut b = small_encoded();
    b[8] = 9;
    let e = codec::decode(&b).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CorruptTable);
    assert!(e.message().contains("version 9") && e.message().contains(&VERSION.to_string()));
}

#[test]
fn bytes_of_another_format_are_rejected_as_not_a_table() {
    let e = codec::decode(b"\x1f\x8b\x08\x00 this is gzip, not a table").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::CorruptTable);
    assert!(e.message().contains("not an mfnas table"));
}

#[test]
fn every_single_flipped_bit_is_detected() {
    let b = small_encoded();
    for pos in 0..b.len() {
        for bit in [0, 3, 7] {
            let mut c = b.clone();
            c[pos] ^= 1 << bit;
            let e = codec::decode(&c).expect_err("a flipped bit must not decode");
            assert_eq!(e.kind(), ErrorKind::CorruptTable, "byte {pos}");
        }
    }
}

#[test]
fn every_truncation_is_detected() {
    let b = small_encoded();
    for len in 0..b.len() {
        let e = codec::decode(&b[..len]).expect_err("a truncated table must not decode");
        assert_eq!(e.kind(), ErrorKind::CorruptTable, "length {len}");
    }
}

#[test]
fn trailing_bytes_are_detected() {
    let mut b = small_encoded();
    b.push(0);
    assert_eq!(
        codec::decode(&b).unwrap_err().kind(),
        ErrorKind::CorruptTable
    );
}

#[test]
fn a_mean_over_seed_columns_round_trips_and_is_not_stored_twice() {
    let n = 300;
    let seed = |s: u32, f: &dyn Fn(usize) -> Option<f64>| {
        Column::from_options(
            ColumnSpec::new(
                Role::ValAcc,
                None,
                Some(Fidelity::new(200, "hp200")),
                Some(s),
                "%",
                "seed",
            ),
            (0..n).map(f).collect(),
        )
    };
    let s1 = seed(1, &|i| Some(80.0 + (i as f64).sin()));
    let s2 = seed(2, &|i| Some(81.0 + (i as f64 * 1.7).cos()));
    let s3 = seed(3, &|i| (i % 2 == 0).then(|| 79.0 + (i as f64 * 0.3).sin()));
    let mean: Vec<Option<f64>> = (0..n)
        .map(|r| {
            let v: Vec<f64> = [&s1, &s2, &s3].iter().filter_map(|c| c.get(r)).collect();
            Some(v.iter().sum::<f64>() / v.len() as f64)
        })
        .collect();
    let spec = ColumnSpec::new(
        Role::ValAcc,
        None,
        Some(Fidelity::new(200, "hp200")),
        None,
        "%",
        "mean",
    );
    let with_mean = Table::new(
        meta(),
        (0..n as u64).collect(),
        vec![
            Column::from_options(spec, mean),
            s1.clone(),
            s2.clone(),
            s3.clone(),
        ],
    )
    .unwrap();
    let without = Table::new(meta(), (0..n as u64).collect(), vec![s1, s2, s3]).unwrap();
    let bytes = with_mean.to_bytes();
    assert!(same(&Table::from_bytes(&bytes).unwrap(), &with_mean));
    // The mean costs its schema entry and a few bytes of references, not 300 values.
    assert!(bytes.len() < without.to_bytes().len() + 200);
}

#[test]
fn load_of_a_missing_file_is_an_io_error_naming_the_path() {
    let e = codec::load("/nonexistent/dir/x.mfnt").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io);
    assert!(e.message().contains("/nonexistent/dir/x.mfnt"));
}

#[test]
fn save_then_load_gives_the_same_table() {
    let t = synthetic_subset(500);
    let path = std::env::temp_dir().join(format!("mfnas-codec-test-{}.mfnt", std::process::id()));
    let n = codec::save(&t, &path).unwrap();
    assert_eq!(n as u64, std::fs::metadata(&path).unwrap().len());
    let back = codec::load(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(same(&t, &back));
}

/// A value generator that exercises every encoding: decimals, repeats, clock-like binary
/// fractions, f32 values, arbitrary bit patterns (incl. ±0 and infinities), and gaps.
fn cell() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        2 => Just(None),
        2 => (0i64..100_000).prop_map(|m| Some(m as f64 / 1000.0)),
        2 => (0u32..4).prop_map(|k| Some([1.5, -2.25, 1e300, 7.0][k as usize])),
        1 => (0u64..1 << 30).prop_map(|m| Some(m as f64 / 4_194_304.0)),
        1 => any::<f32>().prop_filter("not NaN", |v| !v.is_nan()).prop_map(|v| Some(v as f64)),
        2 => any::<u64>().prop_map(f64::from_bits).prop_filter("not NaN", |v| !v.is_nan()).prop_map(Some),
        1 => prop_oneof![Just(0.0), Just(-0.0), Just(f64::INFINITY), Just(f64::NEG_INFINITY)].prop_map(Some),
    ]
}

fn spec() -> impl Strategy<Value = ColumnSpec> {
    let role = prop_oneof![
        Just(Role::ValAcc),
        Just(Role::TrainLoss),
        Just(Role::TestAcc),
        Just(Role::ZcScore),
        Just(Role::ZcTime),
        Just(Role::Other),
    ];
    (
        role,
        proptest::option::of("[a-z_]{1,8}"),
        proptest::option::of((1u32..300, "hp[0-9]{1,3}")),
        proptest::option::of(1u32..4),
        ".{0,12}",
        prop_oneof![
            Just(None),
            any::<f64>().prop_map(Some),
            Just(Some(f64::INFINITY))
        ],
    )
        .prop_map(|(role, proxy, fid, seed, desc, cost)| {
            let mut s = ColumnSpec::new(
                role,
                proxy.as_deref(),
                fid.map(|(e, s)| Fidelity::new(e, &s)),
                seed,
                "u",
                &desc,
            );
            s.missing_cost = cost;
            s
        })
}

fn table() -> impl Strategy<Value = Table> {
    (
        1usize..40,
        proptest::collection::vec(spec(), 0..5),
        any::<bool>(),
    )
        .prop_flat_map(|(n, specs, arange)| {
            let cols = specs
                .into_iter()
                .map(move |s| (Just(s), proptest::collection::vec(cell(), n)))
                .collect::<Vec<_>>();
            let keys = if arange {
                Just((0..n as u64).map(|k| k + 5).collect::<Vec<_>>()).boxed()
            } else {
                proptest::collection::hash_set(any::<u64>(), n)
                    .prop_map(|s| s.into_iter().collect::<Vec<_>>())
                    .boxed()
            };
            (keys, cols, ".{0,20}")
        })
        .prop_filter_map("unique column names", |(mut keys, cols, title)| {
            keys.sort_unstable();
            let columns = cols
                .into_iter()
                .map(|(s, v)| Column::from_options(s, v))
                .collect();
            let mut m = meta();
            m.title = title;
            Table::new(m, keys, columns).ok()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_table_round_trips_bit_exactly(t in table()) {
        let back = codec::decode(&codec::encode(&t)).unwrap();
        prop_assert!(same(&t, &back));
    }

    #[test]
    fn random_garbage_is_a_corrupt_table_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        prop_assert_eq!(codec::decode(&bytes).unwrap_err().kind(), ErrorKind::CorruptTable);
    }

    #[test]
    fn garbage_after_a_valid_header_is_a_corrupt_table_error(tail in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut b = small_encoded()[..12].to_vec();
        b.extend_from_slice(&crc32fast::hash(&tail).to_le_bytes());
        b.extend_from_slice(&tail);
        // The checksum matches, so this exercises the parser itself.
        prop_assert_eq!(codec::decode(&b).unwrap_err().kind(), ErrorKind::CorruptTable);
    }

    #[test]
    fn random_byte_changes_are_detected(changes in proptest::collection::vec((any::<usize>(), 1u8..=255), 1..6)) {
        let mut b = small_encoded();
        let n = b.len();
        for (pos, x) in changes {
            b[pos % n] ^= x;
        }
        prop_assert_eq!(codec::decode(&b).unwrap_err().kind(), ErrorKind::CorruptTable);
    }
}
