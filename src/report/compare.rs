//! Ours beside the paper's: the difference, its standard error, and whether it exceeds it.
//!
//! The paper prints means rounded to a fixed number of decimals, so ours is rounded the same
//! way before subtracting: a difference that vanishes at the paper's precision is zero.
//! The standard error is that of the difference of two means over `n` runs each,
//! `sqrt(s_ours² / n_ours + s_paper² / n_paper)`; where the paper prints no standard
//! deviation (Tables 1 and 4) ours stands in for it, both being estimates of the same
//! spread. A difference *exceeds* its standard error when `|Δ| > SE`; with two zero
//! deviations (MF-NAS's exact matches) any non-zero difference does.

use serde::{Deserialize, Serialize};

/// Mean and population standard deviation of a per-run quantity over `n` runs.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Stat {
    /// Mean.
    pub mean: f64,
    /// Population standard deviation.
    pub std: f64,
    /// Number of runs with a value.
    pub n: usize,
}

impl Stat {
    /// The statistics of `values` (`None` when empty).
    pub fn of(values: &[f64]) -> Option<Stat> {
        if values.is_empty() {
            return None;
        }
        let (mean, std) = crate::experiment::mean_std(values);
        Some(Stat {
            mean,
            std,
            n: values.len(),
        })
    }
}

/// A published number: a mean and, where the paper prints one, a standard deviation.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PublishedValue {
    /// The printed mean.
    pub mean: f64,
    /// The printed standard deviation, if any.
    pub std: Option<f64>,
    /// The runs behind it.
    pub n: usize,
}

/// The comparison of one cell.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    /// Ours rounded to the paper's precision, minus the paper's.
    pub diff: f64,
    /// The standard error of the difference.
    pub se: f64,
    /// Whether `|diff| > se`.
    pub exceeds: bool,
}

/// Rounds `x` to `decimals` decimals.
pub fn round_to(x: f64, decimals: u32) -> f64 {
    let f = 10f64.powi(decimals as i32);
    (x * f).round() / f
}

/// Compares ours with the paper's at the paper's precision (`decimals`).
pub fn compare(ours: &Stat, paper: &PublishedValue, decimals: u32) -> Difference {
    let diff = round_to(round_to(ours.mean, decimals) - paper.mean, decimals);
    let paper_std = paper.std.unwrap_or(ours.std);
    let se = (ours.std * ours.std / ours.n.max(1) as f64
        + paper_std * paper_std / paper.n.max(1) as f64)
        .sqrt();
    // Differences are multiples of the printed precision; a tolerance far below it keeps
    // float noise from deciding the comparison.
    let exceeds = diff.abs() > se + 1e-9;
    Difference { diff, se, exceeds }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stat(mean: f64, std: f64) -> Stat {
        Stat { mean, std, n: 500 }
    }

    fn paper(mean: f64, std: Option<f64>) -> PublishedValue {
        PublishedValue { mean, std, n: 500 }
    }

    #[test]
    fn a_difference_below_the_printed_precision_is_zero() {
        let d = compare(&stat(94.3640, 0.0), &paper(94.36, Some(0.0)), 2);
        assert_eq!(d.diff, 0.0);
        assert!(!d.exceeds);
    }

    #[test]
    fn with_two_zero_deviations_any_printed_difference_exceeds() {
        let d = compare(&stat(73.50, 0.0), &paper(73.51, Some(0.0)), 2);
        assert!((d.diff + 0.01).abs() < 1e-12);
        assert!(d.exceeds);
    }

    #[test]
    fn the_standard_error_combines_both_spreads() {
        let d = compare(&stat(93.87, 0.25), &paper(93.35, Some(0.66)), 2);
        let se = (0.25f64.powi(2) / 500.0 + 0.66f64.powi(2) / 500.0).sqrt();
        assert!((d.se - se).abs() < 1e-12);
        assert!(d.exceeds);
    }

    #[test]
    fn without_a_published_deviation_ours_stands_in() {
        let d = compare(&stat(92.50, 1.0), &paper(92.45, None), 2);
        let se = (2.0f64 / 500.0).sqrt();
        assert!((d.se - se).abs() < 1e-12);
        assert!(!d.exceeds, "0.05 is within {se}");
    }

    #[test]
    fn ranks_compare_at_one_decimal() {
        let d = compare(&stat(2.04, 1.5), &paper(2.0, None), 1);
        assert_eq!(d.diff, 0.0);
    }
}
