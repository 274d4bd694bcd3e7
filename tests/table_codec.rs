//! The `.mfnt` codec: bit-exact round trips, and every corruption is a clean error.

use mfnas::ErrorKind;
use mfnas::table::codec::{self, MAGIC, VERSION};
use mfnas::table::{Column, ColumnSpec, Fidelity, Role, Table, TableMeta, synthetic};
use proptest::prelude::*;

mod common;

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
    // The mean alone decodes from the seed columns, which are not kept.
    let only = codec::decode_selected(&bytes, |c| c.seed.is_none()).unwrap();
    assert_eq!(only.columns().len(), 1);
    assert!(same(
        &only,
        &Table::new(
            meta(),
            (0..n as u64).collect(),
            vec![with_mean.col(0).clone()]
        )
        .unwrap()
    ));
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
        // Costs must be finite and not negative (`table::check_specs`).
        prop_oneof![
            Just(None),
            Just(Some(0.0)),
            (0.0f64..1e6).prop_map(Some),
            any::<f64>()
                .prop_filter("finite", |v| v.is_finite())
                .prop_map(|v| Some(v.abs())),
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

    /// Decoding some columns gives exactly those columns of the full decode, and the
    /// schema alone gives every spec.
    #[test]
    fn a_selection_decodes_to_the_same_columns_as_the_full_decode(t in table(), pick in any::<u64>()) {
        let bytes = codec::encode(&t);
        let keep = |i: usize| pick >> (i % 64) & 1 == 1;
        let names: Vec<String> = t
            .columns()
            .iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, c)| c.spec.name.clone())
            .collect();
        let some = codec::decode_selected(&bytes, |s| names.contains(&s.name)).unwrap();
        let want = Table::new(
            t.meta.clone(),
            t.keys().to_vec(),
            t.columns().iter().enumerate().filter(|(i, _)| keep(*i)).map(|(_, c)| c.clone()).collect(),
        )
        .unwrap();
        prop_assert!(same(&some, &want));
        let (m, specs) = codec::decode_schema(&bytes).unwrap();
        prop_assert_eq!(m, t.meta.clone());
        prop_assert_eq!(specs.len(), t.columns().len());
    }


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

#[test]
fn negative_zero_keeps_its_sign_through_every_encoding() {
    let vals = vec![-0.0, 0.0, 0.0];
    let c = Column::from_raw(
        ColumnSpec::new(Role::TrainLoss, None, None, None, "u", "d"),
        vals.clone(),
    );
    let t = Table::new(meta(), vec![0, 1, 2], vec![c]).unwrap();
    let back = codec::decode(&codec::encode(&t)).unwrap();
    let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(back.col(0).raw()), bits(&vals));
}

// ---------------------------------------------------------------------------------------
// The real table's schema fields, altered: decoded consistently or refused, never a panic.

/// A change to one field of the schema JSON of a real table.
#[derive(Debug, Clone)]
enum SchemaChange {
    /// `columns[i].missing_cost` set to this string.
    MissingCost(usize, String),
    /// `columns[i]` takes the role, proxy, fidelity and seed of `columns[j]`.
    SameMeasurementAs(usize, usize),
    /// `columns[i].name` set to `columns[j].name`.
    SameNameAs(usize, usize),
    /// `columns[i].fidelity` set to this value.
    Fidelity(usize, serde_json::Value),
    /// `columns[i].role` set to this string.
    Role(usize, String),
    /// `n_rows` set to this number.
    Rows(u64),
}

fn schema_change(n_cols: usize) -> impl Strategy<Value = SchemaChange> {
    let col = 0..n_cols;
    let cost = prop_oneof![
        Just("-12345.5".to_string()),
        Just("inf".to_string()),
        Just("-inf".to_string()),
        Just("NaN".to_string()),
        Just("-0.0".to_string()),
        Just("1e308".to_string()),
        Just("seconds".to_string()),
        any::<f64>().prop_map(|v| format!("{v:?}")),
    ];
    let fidelity = prop_oneof![
        Just(serde_json::Value::Null),
        (any::<u32>(), "[a-z0-9@]{0,6}")
            .prop_map(|(e, s)| serde_json::json!({"epochs": e, "schedule": s})),
        Just(serde_json::json!({"epochs": -1, "schedule": "hp200"})),
        Just(serde_json::json!("200")),
    ];
    let role = prop_oneof![
        Just("val_acc".to_string()),
        Just("zc".to_string()),
        Just("zc_time".to_string()),
        Just("test_acc".to_string()),
        "[a-z_]{0,10}",
    ];
    prop_oneof![
        (col.clone(), cost).prop_map(|(i, c)| SchemaChange::MissingCost(i, c)),
        (col.clone(), col.clone()).prop_map(|(i, j)| SchemaChange::SameMeasurementAs(i, j)),
        (col.clone(), col.clone()).prop_map(|(i, j)| SchemaChange::SameNameAs(i, j)),
        (col.clone(), fidelity).prop_map(|(i, f)| SchemaChange::Fidelity(i, f)),
        (col, role).prop_map(|(i, r)| SchemaChange::Role(i, r)),
        prop_oneof![
            Just(0u64),
            Just(15_624),
            Just(15_626),
            Just(1 << 40),
            any::<u64>()
        ]
        .prop_map(SchemaChange::Rows),
    ]
}

fn apply(schema: &mut serde_json::Value, change: &SchemaChange) {
    let cols = |s: &mut serde_json::Value| s["columns"].as_array_mut().unwrap().clone();
    match change {
        SchemaChange::MissingCost(i, c) => schema["columns"][*i]["missing_cost"] = c.clone().into(),
        SchemaChange::SameMeasurementAs(i, j) => {
            let from = cols(schema)[*j].clone();
            for field in ["role", "proxy", "fidelity", "seed"] {
                schema["columns"][*i][field] = from[field].clone();
            }
        }
        SchemaChange::SameNameAs(i, j) => {
            schema["columns"][*i]["name"] = cols(schema)[*j]["name"].clone();
        }
        SchemaChange::Fidelity(i, f) => schema["columns"][*i]["fidelity"] = f.clone(),
        SchemaChange::Role(i, r) => schema["columns"][*i]["role"] = r.clone().into(),
        SchemaChange::Rows(n) => schema["n_rows"] = (*n).into(),
    }
}

/// `bytes` (a table file) with its schema replaced by `schema` and the checksum fixed.
fn with_schema(bytes: &[u8], schema: &serde_json::Value) -> Vec<u8> {
    let body = &bytes[16..];
    let old_len = u32::from_le_bytes(body[..4].try_into().unwrap()) as usize;
    let rest = &body[4 + old_len..];
    let json = serde_json::to_vec(schema).unwrap();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 6);
    let mut new_body = (packed.len() as u32).to_le_bytes().to_vec();
    new_body.extend_from_slice(&packed);
    new_body.extend_from_slice(rest);
    let mut out = bytes[..12].to_vec();
    out.extend_from_slice(&crc32fast::hash(&new_body).to_le_bytes());
    out.extend_from_slice(&new_body);
    out
}

#[test]
fn altered_schema_fields_of_the_real_table_are_refused_or_decode_to_valid_specs() {
    let Some(path) = common::packed_table("nb201-cifar10.mfnt") else {
        return;
    };
    let bytes = std::fs::read(path).unwrap();
    let body = &bytes[16..];
    let len = u32::from_le_bytes(body[..4].try_into().unwrap()) as usize;
    let json = miniz_oxide::inflate::decompress_to_vec(&body[4..4 + len]).unwrap();
    let schema: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let n_cols = schema["columns"].as_array().unwrap().len();
    // The unaltered schema, rewritten, decodes.
    codec::decode_selected(&with_schema(&bytes, &schema), |_| false).unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(256));
    runner
        .run(&schema_change(n_cols), |change| {
            let mut s = schema.clone();
            apply(&mut s, &change);
            let altered = with_schema(&bytes, &s);
            // One column is inflated, so a wrong row count shows (the walk over the other
            // blocks checks tags and lengths only).
            match codec::decode_selected(&altered, |c| c.name == "test_acc@200") {
                Err(e) => prop_assert_eq!(e.kind(), ErrorKind::CorruptTable, "{:?}: {}", change, e),
                Ok(t) => {
                    // What decodes has specs a search can trust.
                    let (_, specs) = codec::decode_schema(&altered).unwrap();
                    mfnas::table::check_specs(&specs).unwrap();
                    for c in &specs {
                        if let Some(m) = c.missing_cost {
                            prop_assert!(m.is_finite() && m >= 0.0, "{:?}: cost {}", change, m);
                        }
                    }
                    prop_assert_eq!(t.n_rows(), 15_625);
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_negative_or_infinite_missing_cost_is_refused_when_decoding() {
    let t = synthetic_subset(8);
    let bytes = codec::encode(&t);
    let body = &bytes[16..];
    let len = u32::from_le_bytes(body[..4].try_into().unwrap()) as usize;
    let json = miniz_oxide::inflate::decompress_to_vec(&body[4..4 + len]).unwrap();
    let mut schema: serde_json::Value = serde_json::from_slice(&json).unwrap();
    for bad in ["-12345.5", "inf", "NaN"] {
        schema["columns"][0]["missing_cost"] = bad.into();
        let e = codec::decode(&with_schema(&bytes, &schema)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::CorruptTable);
        assert!(e.message().contains("missing cost"), "{e}");
    }
    // And a table cannot be built with one either.
    let mut cols: Vec<Column> = t.columns().to_vec();
    cols[0].spec.missing_cost = Some(-1.0);
    let e = Table::new(t.meta.clone(), t.keys().to_vec(), cols).unwrap_err();
    assert!(e.message().contains("missing cost"), "{e}");
}

#[test]
fn two_columns_of_the_same_fidelity_are_refused() {
    let t = synthetic_subset(8);
    let mut cols: Vec<Column> = t.columns().to_vec();
    let i = cols
        .iter()
        .position(|c| c.spec.role == Role::ValAcc && c.spec.seed.is_none())
        .unwrap();
    let mut dup = cols[i].clone();
    dup.spec.name = "another name".into();
    cols.push(dup);
    let e = Table::new(t.meta.clone(), t.keys().to_vec(), cols).unwrap_err();
    assert!(e.message().contains("same measurement"), "{e}");
}

/// The fidelity grammar the page also parses (www/src/state.ts reads the same cases).
#[test]
fn fidelity_labels_parse_as_the_shared_cases_say() {
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("data/fidelity_labels.json")).unwrap();
    assert!(cases.len() >= 10);
    for c in &cases {
        let text = c["text"].as_str().unwrap();
        let got = mfnas::table::Fidelity::parse(text);
        if c.get("error").is_some() {
            let e = got.expect_err(text).to_string();
            assert!(e.contains("is not a fidelity"), "{text:?}: {e}");
        } else {
            let f = got.unwrap_or_else(|e| panic!("{text:?}: {e}"));
            assert_eq!(
                u64::from(f.epochs),
                c["epochs"].as_u64().unwrap(),
                "{text:?}"
            );
            assert_eq!(f.schedule, c["schedule"].as_str().unwrap(), "{text:?}");
        }
    }
}
