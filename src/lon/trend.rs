//! The search-trend experiment of the paper's Fig. 4: first-improvement hill climbing with
//! escape (the engine's [`LocalSearch`], "FLS") on a metric, many seeded repeats, and the mean
//! test accuracy of the best-so-far architecture after each evaluation.
//!
//! The searcher runs in the engine's run loop ([`crate::runner::Run`]) with scores read from
//! the metric's fitness vector (oriented, `-inf` where missing: the engine's policy) and a
//! limit on its own evaluations, so it moves exactly as it does everywhere else.

use super::Neighbourhood;
use crate::algo::hill_climb::LocalSearch;
use crate::algo::{EvalRequest, Searcher};
use crate::budget::{Budget, Cost};
use crate::error::{Error, Result};
use crate::limits;
use crate::runner::{Evaluation, Evaluator, Run};
use crate::space::SearchSpace;
use serde::{Deserialize, Serialize};

/// Parameters of the trend experiment (defaults: the paper's 5,000 evaluations, 500 runs).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendParams {
    /// Evaluations per run.
    pub evals: u64,
    /// Number of runs, with seeds `first_seed..first_seed + repeats`.
    pub repeats: u64,
    /// The first seed.
    pub first_seed: u64,
}

impl TrendParams {
    /// Checks the parameters against their documented ranges (`crate::limits`), seeds included.
    pub fn check(&self) -> Result<()> {
        limits::check_count(
            "search-trend evaluations",
            self.evals,
            1,
            limits::MAX_TREND_EVALS,
            "per run; the paper uses 5000",
        )?;
        limits::check_count(
            "search-trend runs",
            self.repeats,
            1,
            limits::MAX_TREND_REPEATS,
            "the paper uses 500",
        )?;
        limits::check_seeds(self.first_seed, self.repeats)
    }
}

impl Default for TrendParams {
    fn default() -> Self {
        Self {
            evals: 5_000,
            repeats: 500,
            first_seed: 1,
        }
    }
}

/// The mean search trend of one metric.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// The metric's column name.
    pub metric: String,
    /// The parameters used.
    pub params: TrendParams,
    /// Architectures without a value for the metric (scored `-inf`).
    pub n_missing: usize,
    /// Entry `i`: mean over runs of the test accuracy of the best-so-far after `i + 1`
    /// evaluations (`null` if no run has a test accuracy there).
    pub mean_test_acc: Vec<Option<f64>>,
    /// Runs whose final best-so-far has no test accuracy (left out of the means there).
    pub runs_missing_test: u64,
}

/// Scores from a metric's fitness vector by node, free of cost.
struct FitnessEvaluator<'a> {
    nb: &'a Neighbourhood,
    fitness: &'a [f64],
    test: &'a [f64],
}

impl FitnessEvaluator<'_> {
    fn node<S: SearchSpace>(&self, space: &S, arch: S::Arch) -> Result<usize> {
        let key = space.key(arch);
        self.nb.node(key).map(|n| n as usize).ok_or_else(|| {
            Error::missing(format!(
                "local search asked for architecture #{}, which has no row",
                space.id(arch)
            ))
        })
    }
}

impl<S: SearchSpace> Evaluator<S> for FitnessEvaluator<'_> {
    fn evaluate(&mut self, space: &S, ask: &EvalRequest<S::Arch>) -> Result<Evaluation> {
        let f = self.fitness[self.node(space, ask.arch)?];
        Ok(Evaluation {
            score: (f != f64::NEG_INFINITY).then_some(f),
            cost: Cost::default(),
        })
    }
    fn test_acc(&self, space: &S, arch: S::Arch) -> Option<f64> {
        let t = self.test[self.node(space, arch).ok()?];
        (!t.is_nan()).then_some(t)
    }
}

/// Runs the trend experiment on `fitness` (by node of `nb`) with `test` accuracy by node.
pub fn search_trend<S: SearchSpace + Clone + 'static>(
    space: &S,
    nb: &Neighbourhood,
    metric: &str,
    fitness: &[f64],
    n_missing: usize,
    test: &[f64],
    params: TrendParams,
) -> Result<Trend> {
    params.check()?;
    let n = params.evals as usize;
    let mut sum = vec![0.0f64; n];
    let mut count = vec![0u64; n];
    let mut runs_missing_test = 0;
    let mut curve = vec![f64::NAN; n];
    for r in 0..params.repeats {
        let evaluator = FitnessEvaluator { nb, fitness, test };
        run_once(space, evaluator, metric, params.first_seed + r, &mut curve)?;
        for (i, &t) in curve.iter().enumerate() {
            if !t.is_nan() {
                sum[i] += t;
                count[i] += 1;
            }
        }
        if curve[n - 1].is_nan() {
            runs_missing_test += 1;
        }
    }
    Ok(Trend {
        metric: metric.to_string(),
        params,
        n_missing,
        mean_test_acc: sum
            .iter()
            .zip(&count)
            .map(|(&s, &c)| (c > 0).then(|| s / c as f64))
            .collect(),
        runs_missing_test,
    })
}

/// One FLS run of `curve.len()` evaluations; writes the best-so-far's test accuracy after
/// each evaluation into `curve` (`NaN` where it has none).
fn run_once<S: SearchSpace + Clone + 'static>(
    space: &S,
    evaluator: FitnessEvaluator<'_>,
    metric: &str,
    seed: u64,
    curve: &mut [f64],
) -> Result<()> {
    let fls = LocalSearch::<S::Arch>::new(0, true, Some(curve.len() as u64), false);
    let no_limit = Budget {
        seconds: None,
        evals: None,
    };
    let mut run = Run::new(
        space.clone(),
        Box::new(fls),
        evaluator,
        vec![metric.to_string()],
        no_limit,
        seed,
        false,
    );
    let mut done = 0usize;
    while run.step()? {
        let evals = run.spent().evals as usize;
        if evals > done {
            let (best, _) = Searcher::<S>::best(run.searcher()).expect("evaluated at least once");
            curve[done] = run.evaluator().test_acc(space, best).unwrap_or(f64::NAN);
            done = evals;
        }
    }
    // The searcher stops only at its evaluation limit; anything short is a bug, not data.
    debug_assert_eq!(done, curve.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lon::landscape::Landscape;
    use crate::space::nb201::Nb201;
    use crate::table::synthetic;

    fn trend(metric: &str, params: TrendParams) -> Trend {
        let table = synthetic::nb201_full_curves(4);
        let land = Landscape::new(&Nb201, &table).unwrap();
        let m = land.analyse(metric).unwrap();
        search_trend(
            &Nb201,
            &land.nb,
            &m.metric.name,
            &m.fitness.values,
            m.fitness.n_missing,
            &land.test,
            params,
        )
        .unwrap()
    }

    #[test]
    fn the_trend_has_one_point_per_evaluation() {
        let p = TrendParams {
            evals: 300,
            repeats: 3,
            first_seed: 1,
        };
        assert_eq!(trend("synflow", p).mean_test_acc.len(), 300);
    }

    #[test]
    fn on_test_accuracy_itself_the_trend_never_goes_down() {
        let p = TrendParams {
            evals: 400,
            repeats: 5,
            first_seed: 1,
        };
        let t = trend("test_acc@200", p);
        let v: Vec<f64> = t.mean_test_acc.iter().map(|x| x.unwrap()).collect();
        assert!(v.windows(2).all(|w| w[1] >= w[0]));
        assert!(v[399] > v[0]);
    }

    #[test]
    fn the_same_seeds_give_the_same_trend() {
        let p = TrendParams {
            evals: 200,
            repeats: 4,
            first_seed: 7,
        };
        assert_eq!(trend("synflow", p), trend("synflow", p));
    }

    #[test]
    fn zero_evaluations_are_refused() {
        let table = synthetic::nb201_full_curves(4);
        let land = Landscape::new(&Nb201, &table).unwrap();
        let p = TrendParams {
            evals: 0,
            repeats: 1,
            first_seed: 1,
        };
        let e = search_trend(&Nb201, &land.nb, "x", &land.test, 0, &land.test, p).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidParameter);
    }
}
