//! Landscapes of the real NB201 tables (`tables/nb201-<dataset>.mfnt`, built by
//! `mfnas pack`); see `tests/common` for what happens where they have not been built.

use std::path::PathBuf;
use std::process::Command;

mod common;

fn tables() -> Option<PathBuf> {
    common::packed_table("nb201-cifar10.mfnt").map(|_| common::tables_dir())
}

fn summary(tables: &PathBuf, metric: &str) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_mfnas"))
        .args(["landscape", "--dataset", "cifar10", "--metric", metric])
        .args(["--format", "json", "--tables"])
        .arg(tables)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn nwot_on_cifar10_is_missing_exactly_where_suite_zero_has_no_score() {
    let Some(t) = tables() else { return };
    let s = summary(&t, "nwot");
    assert_eq!(s["n_missing"], 6180);
    assert_eq!(s["n_scored"], 9445);
}

#[test]
fn nwot_on_cifar10_has_few_scored_optima_and_many_unscored_ones() {
    // Golden counts from our own run: cells whose whole neighbourhood lacks a score are
    // optima of the missing plateau, reported apart from the scored optima.
    let Some(t) = tables() else { return };
    let s = summary(&t, "nwot");
    assert_eq!(s["n_optima"], 11);
    assert_eq!(s["n_unscored_optima"], 720);
}

#[test]
fn the_test_accuracy_landscape_peaks_at_the_benchmark_optimum() {
    let Some(t) = tables() else { return };
    let s = summary(&t, "test_acc@200");
    for acc in s["global_optima_test_acc"].as_array().unwrap() {
        assert!((acc.as_f64().unwrap() - 94.37).abs() < 0.005, "{acc}");
    }
}

#[test]
fn params_and_flops_have_a_single_optimum_on_cifar10() {
    let Some(t) = tables() else { return };
    for m in ["params", "flops"] {
        assert_eq!(summary(&t, m)["n_optima"], 1, "{m}");
    }
}

#[test]
fn the_nwot_rank_correlation_on_cifar10_is_pinned() {
    // Golden value from our own run on the packed table (Spearman over 9,445 cells).
    let Some(t) = tables() else { return };
    let rho = summary(&t, "nwot")["spearman"].as_f64().unwrap();
    assert!((rho - 0.811).abs() < 0.0005, "{rho}");
}
