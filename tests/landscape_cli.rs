//! The `mfnas landscape` command line, on a synthetic table (real tables are tested where
//! `tables/` holds them).

use std::path::PathBuf;
use std::process::Command;

fn mfnas(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mfnas"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mfnas-landscape-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn the_json_summary_has_the_documented_fields() {
    let (ok, out, err) = mfnas(&[
        "landscape",
        "--synthetic",
        "1",
        "--metric",
        "synflow",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for f in [
        "n_optima",
        "n_global_optima",
        "global_optima_test_acc",
        "spearman",
        "kendall",
        "n_scored",
        "n_missing",
        "top1_overlap",
        "funnel_share",
    ] {
        assert!(v.get(f).is_some(), "missing {f}");
    }
    assert_eq!(v["metric"], "zc:synflow");
}

#[test]
fn the_json_export_is_the_explorer_shape() {
    let dir = scratch("json");
    let path = dir.join("x.json");
    let (ok, _, err) = mfnas(&[
        "landscape",
        "--synthetic",
        "1",
        "--metric",
        "train_loss@200",
        "--export",
        "json",
        "--kind",
        "cmlon",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let x: mfnas::lon::export::LonExport =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(x.kind, mfnas::lon::export::GraphKind::Cmlon);
    assert_eq!(x.nodes.len(), x.summary.n_cmlon_nodes);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_csv_export_writes_a_node_file_and_an_edge_file() {
    let dir = scratch("csv");
    let path = dir.join("g.csv");
    let (ok, _, err) = mfnas(&[
        "landscape",
        "--synthetic",
        "2",
        "--metric",
        "val_acc@200",
        "--export",
        "csv",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    assert!(dir.join("g.nodes.csv").exists() && dir.join("g.edges.csv").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_report_gives_a_verdict_for_each_of_the_five_findings() {
    let (ok, out, err) = mfnas(&["landscape", "--all", "--synthetic", "1", "--report"]);
    assert!(ok, "{err}");
    let verdicts = out
        .lines()
        .filter(|l| {
            [
                "[HOLDS]",
                "[DOES NOT HOLD]",
                "[HOLDS PARTLY]",
                "[NOT TESTABLE]",
            ]
            .iter()
            .any(|v| l.starts_with(v))
        })
        .count();
    assert_eq!(verdicts, 5, "{out}");
}

#[test]
fn a_missing_table_is_an_error_that_says_how_to_build_it() {
    let dir = scratch("empty");
    let (ok, _, err) = mfnas(&[
        "landscape",
        "--tables",
        dir.to_str().unwrap(),
        "--metric",
        "nwot",
    ]);
    assert!(!ok);
    assert!(err.contains("mfnas pack"), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn an_unknown_metric_is_an_error_listing_the_metrics() {
    let (ok, _, err) = mfnas(&["landscape", "--synthetic", "1", "--metric", "nope"]);
    assert!(!ok);
    assert!(err.contains("zc:synflow"), "{err}");
}

#[test]
fn the_parallel_grid_of_the_command_line_equals_the_sequential_library_grid() {
    let (ok, out, err) = mfnas(&["landscape", "--all", "--synthetic", "5"]);
    assert!(ok, "{err}");
    let table = mfnas::table::synthetic::nb201_full_curves(5);
    let lib = mfnas::lon::report::grid(&mfnas::space::nb201::Nb201, &[&table], None).unwrap();
    // Compared as text: byte-identical output, no float parsing in between.
    assert_eq!(out.trim_end(), serde_json::to_string_pretty(&lib).unwrap());
}
