//! The published results of the MF-NAS paper on NAS-Bench-201, kept only to be shown
//! *beside* our own numbers in reports. Nothing computes with them and nothing is tuned to
//! them.
//!
//! The numbers live as data in `data/published/mf-nas-gecco2024.json` (Tables 1, 2, 4, 5 and
//! 6 of Phan & Luong, "Efficient Multi-Fidelity Neural Architecture Search with Zero-Cost
//! Proxy-Guided Local Search", GECCO 2024), copied as printed; the file names its source.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const PUBLISHED_JSON: &str = include_str!("../data/published/mf-nas-gecco2024.json");

/// One published cell: mean ± std of test accuracy (%) over 500 runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(from = "(f64, f64)", into = "(f64, f64)")]
pub struct Published {
    /// Mean test accuracy.
    pub mean: f64,
    /// Standard deviation.
    pub std: f64,
}

impl From<(f64, f64)> for Published {
    fn from((mean, std): (f64, f64)) -> Self {
        Self { mean, std }
    }
}

impl From<Published> for (f64, f64) {
    fn from(p: Published) -> Self {
        (p.mean, p.std)
    }
}

/// A published table: its caption and rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishedTable<R> {
    /// What the paper's table shows.
    pub caption: String,
    /// Its rows, in the paper's order.
    pub rows: Vec<R>,
}

/// A row of the paper's main NB201 table (its Table 2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlgoRow {
    /// The algorithm's command-line name (`mf-nas` stands for the synflow / FLOPs / params
    /// rows, which the paper reports as one).
    pub algo: String,
    /// The paper's row label.
    pub label: String,
    /// By dataset.
    #[serde(flatten)]
    pub by_dataset: BTreeMap<String, Published>,
}

/// A row of Table 1: MF-NAS with random search or local search as stage 1 (means only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage1Row {
    /// The proxy.
    pub proxy: String,
    /// By dataset: the mean with stage 1 by random search (`rs`) and by local search (`ls`).
    #[serde(flatten)]
    pub by_dataset: BTreeMap<String, Stage1Means>,
}

/// Table 1's two means on one dataset.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stage1Means {
    /// Stage 1 by random search.
    pub rs: f64,
    /// Stage 1 by first-improvement local search.
    pub ls: f64,
}

/// A row of Table 4: does successive halving pick the best of the 32 candidates?
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidatesRow {
    /// The proxy of stage 1.
    pub proxy: String,
    /// By dataset.
    #[serde(flatten)]
    pub by_dataset: BTreeMap<String, CandidatesMeans>,
}

/// Table 4's three numbers on one dataset.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CandidatesMeans {
    /// Mean of the best test accuracy among the 32 candidates.
    pub top32: f64,
    /// Mean test accuracy of the architecture successive halving returns.
    pub sh: f64,
    /// Its mean rank among the 32 by test accuracy (1 = best).
    pub rank: f64,
}

/// A row of Table 5: validation accuracy vs training loss as the stage-2 metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stage2MetricRow {
    /// The proxy of stage 1.
    pub proxy: String,
    /// By dataset.
    #[serde(flatten)]
    pub by_dataset: BTreeMap<String, Stage2MetricCells>,
}

/// Table 5's two cells on one dataset.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stage2MetricCells {
    /// Stage 2 on validation accuracy.
    pub val: Published,
    /// Stage 2 on training loss.
    pub loss: Published,
}

/// A row of Table 6: MF-NAS with one proxy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyRow {
    /// The proxy of stage 1.
    pub proxy: String,
    /// By dataset.
    #[serde(flatten)]
    pub by_dataset: BTreeMap<String, Published>,
}

/// Everything the paper publishes on NB201 that our tables can be compared with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperNumbers {
    /// The paper, named.
    pub source: String,
    /// What the numbers measure.
    pub units: String,
    /// Runs per configuration.
    pub runs: usize,
    /// The datasets, in the paper's column order.
    pub datasets: Vec<String>,
    /// The best test accuracy in the space, as the paper quotes it.
    pub benchmark_optimum: BTreeMap<String, f64>,
    /// The main NB201 table.
    pub table2: PublishedTable<AlgoRow>,
    /// Stage 1 by random vs local search.
    pub table1: PublishedTable<Stage1Row>,
    /// The candidates of successive halving.
    pub table4: PublishedTable<CandidatesRow>,
    /// Stage-2 metric: validation accuracy vs training loss.
    pub table5: PublishedTable<Stage2MetricRow>,
    /// MF-NAS with each proxy.
    pub table6: PublishedTable<ProxyRow>,
    /// Remarks on the printed numbers.
    pub notes: Vec<String>,
}

/// The paper's numbers, parsed once from the data file compiled into the crate.
pub fn numbers() -> &'static PaperNumbers {
    static NUMBERS: OnceLock<PaperNumbers> = OnceLock::new();
    NUMBERS.get_or_init(|| {
        serde_json::from_str(PUBLISHED_JSON)
            .expect("data/published/mf-nas-gecco2024.json is checked by the crate's tests")
    })
}

/// The datasets of the paper's NB201 table, in its column order.
pub const DATASETS: [&str; 3] = ["cifar10", "cifar100", "ImageNet16-120"];

/// The published NB201 result of `algo` (command-line name; `mf-nas` stands for the
/// synflow / FLOPs / params rows, which the paper reports as equal) on `dataset`.
pub fn published(algo: &str, dataset: &str) -> Option<Published> {
    numbers()
        .table2
        .rows
        .iter()
        .find(|r| r.algo == algo)
        .and_then(|r| r.by_dataset.get(dataset).copied())
}

/// The benchmark optimum (best test accuracy in the space) the paper quotes.
pub fn benchmark_optimum(dataset: &str) -> Option<f64> {
    numbers().benchmark_optimum.get(dataset).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_data_file_parses_and_names_the_paper() {
        let n = numbers();
        assert!(n.source.contains("GECCO 2024"));
        assert_eq!(n.datasets, DATASETS);
    }

    #[test]
    fn every_ablation_table_covers_the_13_proxies_on_every_dataset() {
        let n = numbers();
        let proxies = |rows: Vec<(&String, usize)>| {
            assert_eq!(rows.len(), 13);
            assert!(rows.iter().all(|(_, d)| *d == 3));
        };
        proxies(
            n.table4
                .rows
                .iter()
                .map(|r| (&r.proxy, r.by_dataset.len()))
                .collect(),
        );
        proxies(
            n.table5
                .rows
                .iter()
                .map(|r| (&r.proxy, r.by_dataset.len()))
                .collect(),
        );
        proxies(
            n.table6
                .rows
                .iter()
                .map(|r| (&r.proxy, r.by_dataset.len()))
                .collect(),
        );
        assert_eq!(n.table1.rows.len(), 6);
    }

    #[test]
    fn the_main_table_reads_as_the_paper_prints_it() {
        assert_eq!(
            published("rs", "cifar10"),
            Some(Published {
                mean: 93.35,
                std: 0.66
            })
        );
        assert_eq!(published("mf-nas", "ImageNet16-120").unwrap().mean, 46.34);
        assert_eq!(published("bls", "cifar10"), None);
        assert_eq!(benchmark_optimum("ImageNet16-120"), Some(47.31));
    }
}
