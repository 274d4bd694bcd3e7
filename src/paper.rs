//! The numbers the MF-NAS paper publishes (SPEC §7), so reports can show them beside ours.
//!
//! They are quoted, never used by any computation: a result is never adjusted toward them.

use serde::Serialize;

/// One published result: test accuracy (%) as mean ± std over 500 runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Published {
    /// The algorithm's command-line name (see [`crate::algo::config::Algo::name`]), or
    /// `"optimum"` for the benchmark's best architecture.
    pub algo: &'static str,
    /// The dataset, e.g. `"cifar10"`.
    pub dataset: &'static str,
    /// Mean test accuracy (%).
    pub mean: f64,
    /// Population standard deviation (`None` for the optimum).
    pub std: Option<f64>,
}

const fn p(algo: &'static str, dataset: &'static str, mean: f64, std: f64) -> Published {
    Published {
        algo,
        dataset,
        mean,
        std: Some(std),
    }
}

const fn opt(dataset: &'static str, mean: f64) -> Published {
    Published {
        algo: "optimum",
        dataset,
        mean,
        std: None,
    }
}

/// The paper's NB201 table (Phan & Luong, GECCO 2024), in SPEC §7's order. The paper
/// reports no BLS row.
pub const PUBLISHED: [Published; 24] = [
    p("rs", "cifar10", 93.35, 0.66),
    p("rs", "cifar100", 70.93, 1.18),
    p("rs", "ImageNet16-120", 44.82, 1.23),
    p("ls", "cifar10", 93.64, 0.52),
    p("ls", "cifar100", 71.43, 0.84),
    p("ls", "ImageNet16-120", 44.98, 0.61),
    p("sh", "cifar10", 93.06, 0.74),
    p("sh", "cifar100", 70.36, 1.18),
    p("sh", "ImageNet16-120", 43.96, 1.50),
    p("rea", "cifar10", 93.45, 0.68),
    p("rea", "cifar100", 71.20, 1.16),
    p("rea", "ImageNet16-120", 45.20, 0.98),
    p("rea-w", "cifar10", 93.86, 0.36),
    p("rea-w", "cifar100", 71.69, 0.73),
    p("rea-w", "ImageNet16-120", 45.74, 0.71),
    p("free-rea", "cifar10", 94.27, 0.20),
    p("free-rea", "cifar100", 73.10, 0.49),
    p("free-rea", "ImageNet16-120", 46.18, 0.32),
    p("mf-nas", "cifar10", 94.36, 0.00),
    p("mf-nas", "cifar100", 73.51, 0.00),
    p("mf-nas", "ImageNet16-120", 46.34, 0.00),
    opt("cifar10", 94.37),
    opt("cifar100", 73.51),
    opt("ImageNet16-120", 47.31),
];

/// The published result of `algo` on `dataset`, if the paper has one.
pub fn published(algo: &str, dataset: &str) -> Option<Published> {
    PUBLISHED
        .iter()
        .find(|r| r.algo == algo && r.dataset == dataset)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_dataset_has_one_row_per_published_algorithm() {
        for dataset in ["cifar10", "cifar100", "ImageNet16-120"] {
            let rows = PUBLISHED.iter().filter(|r| r.dataset == dataset).count();
            assert_eq!(rows, 8, "{dataset}");
        }
    }

    #[test]
    fn mf_nas_on_cifar10_is_quoted_as_published() {
        let r = published("mf-nas", "cifar10").unwrap();
        assert_eq!((r.mean, r.std), (94.36, Some(0.0)));
    }
}
