//! The documented range of every numeric parameter a person gives, checked here once so
//! that the command line and the explorer accept exactly the same values and say the same
//! thing about the others.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The largest seed: 2^53 − 1, the largest whole number a JavaScript number (and so a URL
/// the explorer reads, or JSON read by JavaScript) holds exactly. Seeds never wrap: a range
/// of seeds that would pass it is refused.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// The most proxy evaluations of one run's stage 1 (MF-NAS `--stage1-evals`) and warm-up
/// samples of REA+W: 500 times the paper's 2,000, small enough that a run's history stays
/// within tens of megabytes.
pub const MAX_PROXY_EVALS: u64 = 1_000_000;

/// The most evaluations of one search-trend run (`landscape --trend --evals`): its curves
/// hold three numbers per evaluation.
pub const MAX_TREND_EVALS: u64 = 100_000;

/// The most search-trend runs (`landscape --trend --repeats`): with the largest `--evals`,
/// 10^9 table reads, minutes on one core.
pub const MAX_TREND_REPEATS: u64 = 10_000;

/// The range of one parameter, for documentation and for the explorer's forms.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParamRange {
    /// The parameter, as the command line names it (`seed`, `runs`, ...).
    pub name: String,
    /// The smallest value accepted.
    pub min: f64,
    /// The largest value accepted.
    pub max: f64,
    /// What the parameter is and why its range is what it is.
    pub description: String,
}

/// Every documented range.
/// Ranges that depend on the table (candidates, population: at most its architectures) are
/// checked with the table (`AlgoParams::check`) and listed here with `max` = 15,625, NB201's size.
pub fn ranges() -> Vec<ParamRange> {
    let range = |name: &str, min: f64, max: f64, description: &str| ParamRange {
        name: name.into(),
        min,
        max,
        description: description.into(),
    };
    vec![
        range(
            "seed",
            0.0,
            MAX_SEED as f64,
            "A run's seed (and the first seed of an experiment): a whole number that a JavaScript number holds exactly, so a shared link never rounds it",
        ),
        range(
            "candidates",
            1.0,
            15_625.0,
            "Successive halving's candidates: at least 1 and at most the architectures the table holds",
        ),
        range(
            "population",
            2.0,
            15_625.0,
            "REA's population: at least 2 and at most the architectures the table holds",
        ),
        range(
            "stage1-evals",
            1.0,
            MAX_PROXY_EVALS as f64,
            "MF-NAS stage-1 proxy evaluations (and REA+W warm-up samples)",
        ),
        range(
            "evals",
            1.0,
            MAX_TREND_EVALS as f64,
            "Evaluations of one search-trend run",
        ),
        range(
            "repeats",
            1.0,
            MAX_TREND_REPEATS as f64,
            "Search-trend runs",
        ),
    ]
}

/// Checks a whole-number parameter against `min ..= max`; the error states the range.
pub fn check_count(name: &str, value: u64, min: u64, max: u64, why: &str) -> Result<()> {
    if value < min || value > max {
        return Err(Error::param(format!(
            "{name} is {value}, but must be from {min} to {max} ({why})"
        )));
    }
    Ok(())
}

/// Checks one seed.
pub fn check_seed(seed: u64) -> Result<u64> {
    if seed > MAX_SEED {
        return Err(Error::param(format!(
            "seed {seed} is out of range: seeds are whole numbers from 0 to {MAX_SEED} (2^53 - 1)"
        )));
    }
    Ok(seed)
}

/// Checks the seeds `first .. first + runs` (the last one must be in range too).
pub fn check_seeds(first: u64, runs: u64) -> Result<()> {
    check_seed(first)?;
    let last = first.checked_add(runs.saturating_sub(1));
    if last.is_none_or(|l| l > MAX_SEED) {
        return Err(Error::param(format!(
            "seeds {first} .. {first} + {runs} - 1 run past the largest seed, {MAX_SEED} (2^53 - 1): \
             start at most at {} for {runs} runs",
            MAX_SEED.saturating_sub(runs.saturating_sub(1))
        )));
    }
    Ok(())
}

/// Checks a seed that arrives as a JavaScript number (or any float): a whole number in
/// range.
pub fn seed_from_f64(value: f64, what: &str) -> Result<u64> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= MAX_SEED as f64 {
        Ok(value as u64)
    } else {
        Err(Error::param(format!(
            "{what} is {value}, but must be a whole number from 0 to {MAX_SEED} (2^53 - 1)"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_seed_is_the_largest_exact_javascript_integer() {
        assert_eq!(MAX_SEED, 9_007_199_254_740_991);
        assert_eq!((MAX_SEED as f64) as u64, MAX_SEED);
    }

    #[test]
    fn a_seed_past_the_range_is_refused_with_the_range() {
        let e = check_seed(MAX_SEED + 1).unwrap_err();
        assert!(e.message().contains("9007199254740991"), "{e}");
        assert!(check_seed(MAX_SEED).is_ok());
    }

    #[test]
    fn a_seed_range_that_would_wrap_is_refused() {
        assert!(check_seeds(u64::MAX, 2).is_err());
        assert!(check_seeds(MAX_SEED, 2).is_err());
        assert!(check_seeds(MAX_SEED - 1, 2).is_ok());
        assert!(check_seeds(0, 1).is_ok());
    }

    #[test]
    fn a_fractional_or_negative_js_seed_is_refused() {
        assert!(seed_from_f64(1.5, "the seed").is_err());
        assert!(seed_from_f64(-1.0, "the seed").is_err());
        assert!(seed_from_f64(f64::NAN, "the seed").is_err());
        assert!(seed_from_f64(2f64.powi(53), "the seed").is_err());
        assert_eq!(seed_from_f64(7.0, "the seed").unwrap(), 7);
    }
}
