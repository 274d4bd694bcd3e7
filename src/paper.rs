//! The published results of the MF-NAS paper (its NB201 table, Table 2 of Phan & Luong,
//! GECCO 2024), kept only to be shown *beside* our own numbers in reports. Nothing computes
//! with them.

use serde::Serialize;

/// One published cell: mean ± std of test accuracy (%) over 500 runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Published {
    /// Mean test accuracy.
    pub mean: f64,
    /// Standard deviation.
    pub std: f64,
}

/// The datasets of the paper's NB201 table, in its column order.
pub const DATASETS: [&str; 3] = ["cifar10", "cifar100", "ImageNet16-120"];

/// The published NB201 result of `algo` (command-line name; `mf-nas` stands for the
/// synflow / FLOPs / params rows, which the paper reports as equal) on `dataset`.
pub fn published(algo: &str, dataset: &str) -> Option<Published> {
    let col = DATASETS.iter().position(|d| *d == dataset)?;
    let row: [(f64, f64); 3] = match algo {
        "rs" => [(93.35, 0.66), (70.93, 1.18), (44.82, 1.23)],
        "ls" => [(93.64, 0.52), (71.43, 0.84), (44.98, 0.61)],
        "sh" => [(93.06, 0.74), (70.36, 1.18), (43.96, 1.50)],
        "rea" => [(93.45, 0.68), (71.20, 1.16), (45.20, 0.98)],
        "rea-w" => [(93.86, 0.36), (71.69, 0.73), (45.74, 0.71)],
        "free-rea" => [(94.27, 0.20), (73.10, 0.49), (46.18, 0.32)],
        "mf-nas" => [(94.36, 0.0), (73.51, 0.0), (46.34, 0.0)],
        _ => return None,
    };
    Some(Published {
        mean: row[col].0,
        std: row[col].1,
    })
}

/// The benchmark optimum (best test accuracy in the space) the paper quotes.
pub fn benchmark_optimum(dataset: &str) -> Option<f64> {
    match dataset {
        "cifar10" => Some(94.37),
        "cifar100" => Some(73.51),
        "ImageNet16-120" => Some(47.31),
        _ => None,
    }
}
