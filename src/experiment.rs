//! Experiments: one configuration over many seeds, summarised as the paper reports it
//! (mean ± population standard deviation of test accuracy, mean cost in seconds and epochs).

use crate::algo::Searcher;
use crate::algo::config::{Algo, AlgoParams, Plan, UseSearcher};
use crate::budget::Budget;
use crate::error::Result;
use crate::event::Event;
use crate::objective::ObjectiveRegistry;
use crate::runner::space::{SpaceFn, TableSpace};
use crate::runner::{Outcome, Run, TableEvaluator};
use crate::space::SearchSpace;
use crate::table::Table;
use serde::{Deserialize, Serialize};

/// Runs `plan` once with `seed` on `space`; returns the outcome and, if asked, the event
/// stream.
pub fn run_once<S: SearchSpace + Clone>(
    space: &S,
    table: &Table,
    plan: &Plan,
    seed: u64,
    record_events: bool,
) -> Result<(Outcome, Vec<Event>)>
where
    S::Arch: 'static,
{
    crate::limits::check_seed(seed)?;
    let finish = FinishOnTable {
        space,
        table,
        budget: plan.budget,
        seed,
        record_events,
    };
    let mut objectives = ObjectiveRegistry::new();
    // Natively the run is compiled for each algorithm's own type: a run makes thousands of
    // evaluations, and without a call through `dyn Searcher` for each, the algorithm and the
    // table's reads are inlined into the loop (an MF-NAS run: 14 % fewer instructions, about
    // a fifth less time). In the browser the engine's size counts for more (the page
    // compiles it on its first load): one run loop for all algorithms, 12 % less code.
    #[cfg(not(target_arch = "wasm32"))]
    return plan.build_into(space, &mut objectives, finish)?;
    #[cfg(target_arch = "wasm32")]
    {
        let searcher = plan.build(space, &mut objectives)?;
        finish.run(searcher, &objectives)
    }
}

/// Runs a searcher to the end on a table.
struct FinishOnTable<'a, S> {
    space: &'a S,
    table: &'a Table,
    budget: Budget,
    seed: u64,
    record_events: bool,
}

impl<S: SearchSpace + Clone> FinishOnTable<'_, S> {
    fn run<Q: Searcher<S> + ?Sized>(
        self,
        searcher: Box<Q>,
        objectives: &ObjectiveRegistry,
    ) -> Result<(Outcome, Vec<Event>)> {
        let evaluator = TableEvaluator::new(self.table, objectives)?;
        let mut run = Run::new(
            self.space.clone(),
            searcher,
            evaluator,
            objectives.labels(),
            self.budget,
            self.seed,
            self.record_events,
        );
        let outcome = run.finish()?;
        Ok((outcome, run.drain_events()))
    }
}

impl<S: SearchSpace + Clone> UseSearcher<S> for FinishOnTable<'_, S> {
    type Output = Result<(Outcome, Vec<Event>)>;
    fn take<Q: Searcher<S> + 'static>(
        self,
        searcher: Q,
        objectives: &ObjectiveRegistry,
    ) -> Self::Output {
        self.run(Box::new(searcher), objectives)
    }
}

struct RunOnce<'a> {
    table: &'a Table,
    plan: &'a Plan,
    seed: u64,
    record_events: bool,
}

impl SpaceFn for RunOnce<'_> {
    type Output = Result<(Outcome, Vec<Event>)>;
    fn call<S: SearchSpace + Clone + 'static>(self, space: &S) -> Self::Output {
        run_once(space, self.table, self.plan, self.seed, self.record_events)
    }
}

/// Runs `plan` once with `seed` over the table's space ([`TableSpace::of`] the table).
pub fn run_on_table(
    space: &TableSpace,
    table: &Table,
    plan: &Plan,
    seed: u64,
    record_events: bool,
) -> Result<(Outcome, Vec<Event>)> {
    space.apply(RunOnce {
        table,
        plan,
        seed,
        record_events,
    })
}

/// The summary of many runs of one configuration.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The configuration, e.g. "MF-NAS (FLS on zc:params, ...)".
    pub label: String,
    /// The table used.
    pub table: String,
    /// The SH ladder where the algorithm has one.
    pub ladder: Vec<String>,
    /// Mean test accuracy (%).
    pub mean: f64,
    /// Population standard deviation of test accuracy.
    pub std: f64,
    /// Mean simulated cost (s).
    pub cost_s: f64,
    /// Mean epochs trained.
    pub epochs: f64,
    /// Mean charged evaluations.
    pub evals: f64,
    /// Number of runs.
    pub runs: usize,
    /// First seed.
    pub seed_start: u64,
    /// Runs whose returned architecture has no test accuracy in the table (excluded from mean/std).
    pub missing_test: usize,
    /// Mean over runs of the best test accuracy among the final selection's candidates
    /// (the paper's Table 4 "top-32"); absent for algorithms without candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates_best_test_acc: Option<f64>,
    /// Mean over runs of the returned architecture's rank by test accuracy among the
    /// candidates (1 = the best of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_among_candidates: Option<f64>,
    /// Runs the budget stopped before the algorithm finished on its own.
    #[serde(default)]
    pub stopped_by_budget: usize,
    /// Runs that were charged more than the budget (each algorithm checks its budget by its
    /// own rule: [`Plan::budget_rule`]).
    #[serde(default)]
    pub over_budget: usize,
    /// The largest charge over the budget among those runs, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_over_budget_s: Option<f64>,
}

/// Mean and population standard deviation, summed in a fixed order.
pub fn mean_std(values: &[f64]) -> (f64, f64) {
    if values.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// Summarises outcomes given in seed order.
pub fn summarize(plan: &Plan, outcomes: &[Outcome], seed_start: u64) -> Summary {
    let tests: Vec<f64> = outcomes.iter().filter_map(|o| o.test_acc).collect();
    let (mean, std) = mean_std(&tests);
    let n = outcomes.len().max(1) as f64;
    let overruns: Vec<f64> = match plan.budget.seconds {
        Some(budget) => outcomes
            .iter()
            .filter(|o| o.cost_s > budget)
            .map(|o| o.cost_s - budget)
            .collect(),
        None => Vec::new(),
    };
    Summary {
        label: plan.label.clone(),
        table: plan.table.clone(),
        ladder: plan.ladder.clone(),
        mean,
        std,
        cost_s: outcomes.iter().map(|o| o.cost_s).sum::<f64>() / n,
        epochs: outcomes.iter().map(|o| o.epochs as f64).sum::<f64>() / n,
        evals: outcomes.iter().map(|o| o.evals as f64).sum::<f64>() / n,
        runs: outcomes.len(),
        seed_start,
        missing_test: outcomes.len() - tests.len(),
        candidates_best_test_acc: mean_present(outcomes.iter().map(|o| o.candidates_best_test_acc)),
        rank_among_candidates: mean_present(
            outcomes
                .iter()
                .map(|o| o.rank_among_candidates.map(f64::from)),
        ),
        stopped_by_budget: outcomes.iter().filter(|o| o.stopped_by_budget).count(),
        over_budget: overruns.len(),
        max_over_budget_s: overruns.iter().copied().reduce(f64::max),
    }
}

/// The mean of the values that are present, `None` if none is.
fn mean_present(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let present: Vec<f64> = values.flatten().collect();
    (!present.is_empty()).then(|| mean_std(&present).0)
}

/// Runs seeds `seed_start..seed_start + runs` one after another over the table's space,
/// calling `progress` with the number done after each. (The command line runs seeds in
/// parallel instead; the result is the same because every run owns its random stream.)
pub fn run_seeds(
    space: &TableSpace,
    table: &Table,
    plan: &Plan,
    seed_start: u64,
    runs: usize,
    mut progress: impl FnMut(usize),
) -> Result<Vec<Outcome>> {
    crate::limits::check_seeds(seed_start, runs as u64)?;
    let mut out = Vec::with_capacity(runs);
    for i in 0..runs {
        out.push(run_on_table(space, table, plan, seed_start + i as u64, false)?.0);
        progress(i + 1);
    }
    Ok(out)
}

/// The configurations of the paper's NB201 table (Table 2; `crate::paper`), by row name,
/// with the paper's defaults for `table`. Where the table's Suite-Zero synflow covers less
/// than half the space (cifar100: 725 early pre-release values), MF-NAS (synflow) uses
/// FreeREA's synflow, which covers every architecture; the configuration's label says which
/// one ran.
pub fn paper_grid(table: &Table) -> Vec<(&'static str, AlgoParams)> {
    let sparse_synflow = table
        .column("zc:synflow")
        .map(|c| c.count_present() < table.n_rows() / 2)
        .unwrap_or(true);
    let synflow = if sparse_synflow {
        "freerea_synflow"
    } else {
        "synflow"
    };
    let with_zc = |algo, zc: &str| AlgoParams {
        zc: Some(zc.to_string()),
        ..AlgoParams::new(algo)
    };
    vec![
        ("RS", AlgoParams::new(Algo::Rs)),
        ("LS", AlgoParams::new(Algo::Ls)),
        ("SH", AlgoParams::new(Algo::Sh)),
        ("REA", AlgoParams::new(Algo::Rea)),
        ("REA+W", with_zc(Algo::ReaW, synflow)),
        ("FreeREA", AlgoParams::new(Algo::FreeRea)),
        ("MF-NAS (synflow)", with_zc(Algo::MfNas, synflow)),
        ("MF-NAS (FLOPs)", with_zc(Algo::MfNas, "flops")),
        ("MF-NAS (params)", with_zc(Algo::MfNas, "params")),
    ]
}
