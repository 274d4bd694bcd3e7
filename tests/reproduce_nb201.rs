//! The paper's NB201 table on the real tables: MF-NAS reproduces the published means, and
//! every configuration of the grid matches its golden file (`tests/golden`), so any change
//! to an algorithm, the cost model or the random stream is seen.
//!
//! Needs the packed tables (`mfnas pack`, found through MFNAS_TABLES or `tables/`) or the
//! shared data to pack them from (MFNAS_DATA or `../shared/data`); without either it
//! records a skip, or fails under MFNAS_REQUIRE_DATA=1 (see `tests/common`). A table that
//! fails to load or to pack fails the test.

use mfnas::experiment::{Summary, paper_grid, run_seeds, summarize};
use mfnas::runner::space::TableSpace;
use mfnas::table::Table;
use std::sync::OnceLock;

mod common;

const RUNS: usize = 500;

/// Whether every table can be had: packed, or packed now from the shared data; else a
/// recorded skip.
fn tables_available() -> bool {
    let packed = mfnas::paper::DATASETS.iter().all(|ds| {
        common::tables_dir()
            .join(format!("nb201-{ds}.mfnt"))
            .is_file()
    });
    packed || common::data_dir("nb201").is_some()
}

/// The packed table of `dataset`, else packed from the shared data. A table that is there
/// but does not load, or data that does not pack, fails the test.
fn load(dataset: &str) -> Table {
    let file = common::tables_dir().join(format!("nb201-{dataset}.mfnt"));
    if file.is_file() {
        return mfnas::table::load(&file).expect("the packed table loads");
    }
    mfnas::sources::nb201::pack_nb201(&common::shared_data(), dataset)
        .expect("the shared data packs")
}

/// (dataset, row name, summary) for the whole grid, computed once.
fn grid() -> Option<&'static Vec<(String, String, Summary)>> {
    static GRID: OnceLock<Vec<(String, String, Summary)>> = OnceLock::new();
    if !tables_available() {
        return None;
    }
    Some(GRID.get_or_init(|| {
        let mut rows = Vec::new();
        for ds in mfnas::paper::DATASETS {
            let table = load(ds);
            for (name, params) in paper_grid(&table) {
                let plan = params.check(&table).expect("paper configuration is valid");
                let space = TableSpace::of(&table).expect("an NB201 table");
                let outcomes =
                    run_seeds(&space, &table, &plan, 1, RUNS, |_| {}).expect("runs succeed");
                rows.push((
                    ds.to_string(),
                    name.to_string(),
                    summarize(&plan, &outcomes, 1),
                ));
            }
        }
        rows
    }))
}

#[test]
fn mf_nas_with_params_flops_and_synflow_reproduces_the_published_means_within_0_05() {
    let Some(rows) = grid() else { return };
    for (ds, name, s) in rows.iter().filter(|(_, n, _)| n.starts_with("MF-NAS")) {
        let paper = mfnas::paper::published("mf-nas", ds).expect("published");
        assert!(
            (s.mean - paper.mean).abs() <= 0.05,
            "{ds} {name}: ours {:.3}, paper {:.2}",
            s.mean,
            paper.mean
        );
    }
}

#[test]
fn the_paper_grid_matches_its_golden_file() {
    let Some(rows) = grid() else { return };
    let golden: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("golden/nb201_paper_grid.json"))
            .expect("golden file is JSON");
    assert_eq!(
        golden.len(),
        rows.len(),
        "the grid changed shape; regenerate with `mfnas reproduce --format json`"
    );
    for ((ds, name, s), g) in rows.iter().zip(&golden) {
        assert_eq!(
            (ds.as_str(), name.as_str()),
            (
                g["dataset"].as_str().unwrap(),
                g["algorithm"].as_str().unwrap()
            )
        );
        for (field, ours) in [
            ("mean", s.mean),
            ("std", s.std),
            ("cost_s", s.cost_s),
            ("epochs", s.epochs),
        ] {
            let want = g[field].as_f64().unwrap();
            assert!(
                (ours - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{ds} {name} {field}: {ours} now, {want} in the golden file"
            );
        }
    }
}
