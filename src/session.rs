//! An interactive session: one table, at most one run being stepped and at most one
//! experiment being worked through. This is the explorer's engine; [`crate::wasm`] only
//! converts its values for JavaScript, so everything here is tested natively.
//!
//! The session owns its table (shared with the run that reads it) and searches whatever
//! space the table is of ([`TableSpace`]): NB201, a part of it such as the
//! 200-architecture learning-curve sample, NB101 or NB-ASR. Architectures are given by
//! their id ([`SearchSpace::id`]: NB201's benchmark index) with their arch string.
//!
//! Work is split into small calls ([`Session::step`], [`Session::experiment_step`]) so the
//! caller (a Web Worker) can answer pause and cancel between them.

use crate::algo::Snapshot;
use crate::algo::config::{Algo, AlgoParams, Plan, default_budget};
use crate::budget::Spent;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::experiment::{self, Summary};
use crate::limits;
use crate::lon::export::{GraphKind, LonExport, export};
use crate::lon::funnel::{Funnel, funnel};
use crate::lon::landscape::{self, Landscape, MetricLandscape};
use crate::objective::ObjectiveRegistry;
use crate::runner::space::{SpaceFn, TableSpace};
use crate::runner::{AnyRun, Outcome, Run, TableEvaluator};
use crate::space::SearchSpace;
use crate::space::graph::CellGraph;
use crate::space::nb201::{EDGES, OP_NAMES};
use crate::table::{Fidelity, Role, Table};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

mod editor;
mod figures;
mod paper;
pub use figures::{Neighbour, WholeRun};
pub use paper::PaperPage;

/// What the page needs to know about the loaded table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct TableInfo {
    /// Short title, e.g. "NB201 cifar10".
    pub title: String,
    /// The search space, e.g. "nb201".
    pub space: String,
    /// The dataset, e.g. "cifar10".
    pub dataset: String,
    /// Provenance notes.
    pub notes: Vec<String>,
    /// Number of architectures (the ones searches visit).
    pub n_rows: usize,
    /// Zero-cost proxies with scores.
    pub proxies: Vec<String>,
    /// The validation metric of the table: `val_acc`, or `val_per` for NB-ASR.
    pub val_role: Role,
    /// Fidelities with the validation metric, as labels ("12@hp12", "200").
    pub val_fidelities: Vec<String>,
    /// The paper's budget for the dataset, if it has one (seconds).
    pub default_budget_s: Option<f64>,
    /// Every column: name, unit and description.
    pub columns: Vec<ColumnInfo>,
}

/// One column of the table, described.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ColumnInfo {
    /// The column name, e.g. "val_acc@200".
    pub name: String,
    /// What it measures (snake_case role).
    pub role: Role,
    /// Its unit.
    pub unit: String,
    /// Where the numbers come from.
    pub description: String,
}

/// A run that has been started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct RunInfo {
    /// The algorithm.
    pub algo: Algo,
    /// One-line description of the configuration.
    pub label: String,
    /// The table it runs on.
    pub table: String,
    /// The successive-halving ladder, if the algorithm has one.
    pub ladder: Vec<String>,
    /// Every objective the run may evaluate on, as the `objective` labels of its events.
    pub objectives: Vec<String>,
    /// The budget in simulated seconds.
    pub budget_s: Option<f64>,
    /// Why the run may be charged more than its budget, in words ([`Plan::budget_rule`]).
    pub budget_rule: String,
    /// The seed.
    pub seed: u64,
}

/// What a slice of stepping produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct StepBatch {
    /// Events in order.
    pub events: Vec<Event>,
    /// Steps taken in this slice.
    pub steps: u32,
    /// What has been spent so far.
    pub spent: Spent,
    /// The outcome once the run is done.
    pub outcome: Option<Outcome>,
    /// The algorithm's state after the slice (the bracket, the local search's neighbours).
    pub snapshot: Snapshot,
}

/// An architecture described for the cell view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ArchInfo {
    /// The id a person sees (NB201: the benchmark index).
    pub id: u64,
    /// The arch string (or the space's own notation).
    pub arch_string: String,
    /// The cell as a drawable graph.
    pub cell: Option<CellGraph>,
    /// NB201 only: the cell's six edges with their operations, in arch-string order
    /// (empty for other spaces; see `cell`).
    pub edges: Vec<CellEdge>,
    /// Whether the output is reachable from the input through edges that compute.
    pub connected: bool,
    /// Every value the table has for it (missing values are left out).
    pub values: Vec<NamedValue>,
}

/// One edge of an NB201 cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct CellEdge {
    /// Source node (0 is the input).
    pub from: u8,
    /// Target node (3 is the output).
    pub to: u8,
    /// Operation name, e.g. "nor_conv_3x3".
    pub op: String,
}

/// A named number from a table row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct NamedValue {
    /// Column name.
    pub name: String,
    /// The value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
}

/// One configuration of an experiment and its result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ExperimentEntry {
    /// The algorithm.
    pub algo: Algo,
    /// The summary over all seeds.
    pub summary: Summary,
    /// Every run's outcome, in seed order.
    pub outcomes: Vec<Outcome>,
}

/// Where an experiment stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ExperimentProgress {
    /// Runs finished, over all configurations.
    pub done: usize,
    /// Runs in all.
    pub total: usize,
    /// Every configuration's result, in request order, once every run is done; empty before.
    /// (Sending the finished ones with every slice cost each slice more as the experiment went
    /// on: an experiment of several configurations took quadratic time in the page.)
    pub entries: Vec<ExperimentEntry>,
    /// True once every run is done.
    pub finished: bool,
}

/// A result the paper publishes (`crate::paper`), quoted beside ours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct PaperResult {
    /// The algorithm's command-line name, or "optimum" for the benchmark's best architecture.
    pub algo: String,
    /// The dataset.
    pub dataset: String,
    /// Mean test accuracy (%).
    pub mean: f64,
    /// Population standard deviation (none for the optimum).
    pub std: Option<f64>,
}

/// Every result of the paper's NB201 table, dataset by dataset.
pub fn paper_results() -> Vec<PaperResult> {
    let mut out = Vec::new();
    for dataset in crate::paper::DATASETS {
        for algo in Algo::ALL {
            if let Some(p) = crate::paper::published(algo.name(), dataset) {
                out.push(PaperResult {
                    algo: algo.name().into(),
                    dataset: dataset.into(),
                    mean: p.mean,
                    std: Some(p.std),
                });
            }
        }
        if let Some(mean) = crate::paper::benchmark_optimum(dataset) {
            out.push(PaperResult {
                algo: "optimum".into(),
                dataset: dataset.into(),
                mean,
                std: None,
            });
        }
    }
    out
}

struct LiveRun {
    run: Box<dyn AnyRun>,
    info: RunInfo,
}

struct Experiment {
    plans: Vec<Plan>,
    seed_start: u64,
    runs: usize,
    /// Index of the configuration being run and the outcomes of it so far.
    current: usize,
    outcomes: Vec<Outcome>,
    entries: Vec<ExperimentEntry>,
}

/// A loaded table and the space its searches run over.
struct Loaded {
    table: Arc<Table>,
    space: TableSpace,
}

/// The explorer's engine state.
#[derive(Default)]
pub struct Session {
    loaded: Option<Loaded>,
    run: Option<LiveRun>,
    experiment: Option<Experiment>,
    /// The last metric analysed, so switching between LON, MLON and CMLON is quick.
    analysed: Option<MetricLandscape>,
    /// The paper report in progress.
    paper: Option<crate::report::stepper::ReportJob>,
}

impl Session {
    /// An empty session: load a table first.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the table (any run, experiment, analysis or report is dropped) and describes it.
    pub fn set_table(&mut self, table: Table) -> Result<TableInfo> {
        let space = TableSpace::of(&table)?;
        self.run = None;
        self.experiment = None;
        self.analysed = None;
        self.paper = None;
        self.loaded = Some(Loaded {
            table: Arc::new(table),
            space,
        });
        self.table_info()
    }

    /// Loads a packed table (`.mfnt` bytes, as `mfnas pack` writes them).
    pub fn load_table(&mut self, bytes: &[u8]) -> Result<TableInfo> {
        self.set_table(crate::table::codec::decode(bytes)?)
    }

    /// Loads the synthetic NB201 table made from `seed` (for demos and tests).
    pub fn load_synthetic(&mut self, seed: u64) -> Result<TableInfo> {
        self.set_table(crate::table::synthetic::nb201_full_curves(seed))
    }

    fn loaded(&self) -> Result<&Loaded> {
        loaded(&self.loaded)
    }

    /// Describes the loaded table.
    pub fn table_info(&self) -> Result<TableInfo> {
        let Loaded { table: t, space } = self.loaded()?;
        let val_role = val_role(t);
        Ok(TableInfo {
            title: t.meta.title.clone(),
            space: space.name().to_string(),
            dataset: t.meta.dataset.clone(),
            notes: t.meta.notes.clone(),
            n_rows: t.n_rows(),
            proxies: t.proxies(),
            val_role,
            val_fidelities: t.fidelities(val_role).iter().map(Fidelity::label).collect(),
            default_budget_s: default_budget(&t.meta.dataset),
            columns: t
                .columns()
                .iter()
                .map(|c| ColumnInfo {
                    name: c.spec.name.clone(),
                    role: c.spec.role,
                    unit: c.spec.unit.clone(),
                    description: c.spec.description.clone(),
                })
                .collect(),
        })
    }

    /// Checks `params` against the table and starts a run with `seed`, recording events.
    /// Any earlier run is dropped.
    pub fn start_run(&mut self, params: &AlgoParams, seed: u64) -> Result<RunInfo> {
        let seed = limits::check_seed(seed)?;
        let Loaded { table, space } = loaded(&self.loaded)?;
        let plan = params.check(table)?;
        self.run = None;
        let (run, objectives) = space.apply(StartRun {
            table: Arc::clone(table),
            plan: &plan,
            seed,
        })?;
        let info = RunInfo {
            algo: plan.algo,
            label: plan.label.clone(),
            table: plan.table.clone(),
            ladder: plan.ladder.clone(),
            objectives,
            budget_s: plan.budget.seconds,
            budget_rule: plan.budget_rule().to_string(),
            seed,
        };
        self.run = Some(LiveRun {
            run,
            info: info.clone(),
        });
        Ok(info)
    }

    /// The run being stepped, described.
    pub fn run_info(&self) -> Option<&RunInfo> {
        self.run.as_ref().map(|r| &r.info)
    }

    /// Takes up to `max_steps` steps of the run and returns their events.
    pub fn step(&mut self, max_steps: u32) -> Result<StepBatch> {
        let live = self
            .run
            .as_mut()
            .ok_or_else(|| Error::param("no run is started; start one first"))?;
        let mut steps = 0;
        while steps < max_steps && live.run.step()? {
            steps += 1;
        }
        Ok(StepBatch {
            events: live.run.drain_events(),
            steps,
            spent: live.run.spent(),
            outcome: live.run.outcome().cloned(),
            snapshot: live.run.snapshot(),
        })
    }

    /// The algorithm's state for the views (successive halving's rungs, local search's
    /// current cell and the neighbours it tried).
    pub fn snapshot(&self) -> Result<Snapshot> {
        let live = self
            .run
            .as_ref()
            .ok_or_else(|| Error::param("no run is started; start one first"))?;
        Ok(live.run.snapshot())
    }

    /// Describes the architecture with id `id`, with every value the table has.
    pub fn arch(&self, id: u64) -> Result<ArchInfo> {
        let Loaded { table, space } = self.loaded()?;
        space.apply(Describe { table, id })
    }

    /// Parses an architecture given by its id (`9930`, `#9930`) or in any notation of the
    /// table's space (an NB201 arch string, ...), and returns its id.
    pub fn parse_arch(&self, text: &str) -> Result<u64> {
        let Loaded { space, .. } = self.loaded()?;
        space.apply(ParseArch { text })
    }

    /// Starts an experiment: every configuration in `params`, seeds
    /// `seed_start..seed_start + runs`. All configurations are checked before any runs.
    pub fn start_experiment(
        &mut self,
        params: &[AlgoParams],
        seed_start: u64,
        runs: usize,
    ) -> Result<usize> {
        let Loaded { table, .. } = self.loaded()?;
        if params.is_empty() {
            return Err(Error::param(
                "an experiment needs at least one algorithm; pick one",
            ));
        }
        if runs == 0 {
            return Err(Error::param(
                "an experiment needs at least 1 run per algorithm",
            ));
        }
        limits::check_seeds(seed_start, runs as u64)?;
        let plans = params
            .iter()
            .map(|p| p.check(table))
            .collect::<Result<Vec<_>>>()?;
        let total = plans.len() * runs;
        self.experiment = Some(Experiment {
            plans,
            seed_start,
            runs,
            current: 0,
            outcomes: Vec::with_capacity(runs),
            entries: Vec::new(),
        });
        Ok(total)
    }

    /// Does up to `max_runs` runs of the experiment. The finished configurations are in the
    /// progress; the experiment is dropped once it reports `finished`.
    pub fn experiment_step(&mut self, max_runs: usize) -> Result<ExperimentProgress> {
        let Loaded { table, space } = loaded(&self.loaded)?;
        let ex = self
            .experiment
            .as_mut()
            .ok_or_else(|| Error::param("no experiment is started; start one first"))?;
        let mut done_now = 0;
        while done_now < max_runs && ex.current < ex.plans.len() {
            let plan = &ex.plans[ex.current];
            let seed = ex.seed_start + ex.outcomes.len() as u64;
            ex.outcomes
                .push(experiment::run_on_table(space, table, plan, seed, false)?.0);
            done_now += 1;
            if ex.outcomes.len() == ex.runs {
                let outcomes = std::mem::take(&mut ex.outcomes);
                ex.entries.push(ExperimentEntry {
                    algo: plan.algo,
                    summary: experiment::summarize(plan, &outcomes, ex.seed_start),
                    outcomes,
                });
                ex.current += 1;
            }
        }
        let finished = ex.current == ex.plans.len();
        let progress = ExperimentProgress {
            done: ex.current * ex.runs + ex.outcomes.len(),
            total: ex.plans.len() * ex.runs,
            entries: if finished {
                std::mem::take(&mut ex.entries)
            } else {
                Vec::new()
            },
            finished,
        };
        if finished {
            self.experiment = None;
        }
        Ok(progress)
    }

    /// Drops the experiment in progress, if any.
    pub fn cancel_experiment(&mut self) {
        self.experiment = None;
    }

    /// The metrics whose landscape can be analysed on this table (column names).
    pub fn landscape_metrics(&self) -> Result<Vec<String>> {
        Ok(landscape::grid_metrics(&self.loaded()?.table))
    }

    fn analyse(&mut self, metric: &str, want: Want) -> Result<Analysed> {
        let Loaded { table, space } = loaded(&self.loaded)?;
        space.apply(Analyse {
            table,
            metric,
            want,
            cache: &mut self.analysed,
        })
    }

    /// The local optima network of `metric` (`kind` is lon, mlon or cmlon), as the explorer draws it.
    pub fn landscape(&mut self, metric: &str, kind: &str) -> Result<LonExport> {
        let kind = GraphKind::parse(kind)?;
        match self.analyse(metric, Want::Export(kind))? {
            Analysed::Export(x) => Ok(x),
            _ => unreachable!("an export was asked for"),
        }
    }

    /// The landscape numbers of `metric` (optima, global optima, correlations, overlap).
    pub fn landscape_summary(&mut self, metric: &str) -> Result<landscape::Summary> {
        match self.analyse(metric, Want::Summary)? {
            Analysed::Summary(s) => Ok(s),
            _ => unreachable!("a summary was asked for"),
        }
    }
}

/// The loaded table, or an error that says to load one. (A function of the field, not of
/// the session, so that the other fields stay free to change.)
fn loaded(loaded: &Option<Loaded>) -> Result<&Loaded> {
    loaded
        .as_ref()
        .ok_or_else(|| Error::param("no table is loaded; load one first"))
}

/// The table's validation metric: error rate where it reports no accuracy (NB-ASR).
fn val_role(table: &Table) -> Role {
    if table.fidelities(Role::ValAcc).is_empty() && !table.fidelities(Role::ValPer).is_empty() {
        Role::ValPer
    } else {
        Role::ValAcc
    }
}

/// Builds a run of `plan` over the space it is called on, reading the shared table.
struct StartRun<'a> {
    table: Arc<Table>,
    plan: &'a Plan,
    seed: u64,
}

impl SpaceFn for StartRun<'_> {
    type Output = Result<(Box<dyn AnyRun>, Vec<String>)>;
    fn call<S: SearchSpace + Clone + 'static>(self, space: &S) -> Self::Output {
        let mut objectives = ObjectiveRegistry::new();
        let searcher = self.plan.build(space, &mut objectives)?;
        let evaluator = TableEvaluator::new(self.table, &objectives)?;
        let labels = objectives.labels();
        let run = Run::new(
            space.clone(),
            searcher,
            evaluator,
            labels.clone(),
            self.plan.budget,
            self.seed,
            true,
        );
        Ok((Box::new(run), labels))
    }
}

struct Describe<'a> {
    table: &'a Table,
    id: u64,
}

impl SpaceFn for Describe<'_> {
    type Output = Result<ArchInfo>;
    fn call<S: SearchSpace + Clone + 'static>(self, space: &S) -> Self::Output {
        let table = self.table;
        let arch = space.from_id(self.id).ok_or_else(|| {
            Error::arch(format!(
                "{} is not the id of an architecture of table {} ({} architectures{})",
                self.id,
                table.meta.title,
                table.n_rows(),
                if space.name() == "nb201" {
                    "; NB201 ids are the benchmark's indices 0..=15624"
                } else {
                    ""
                }
            ))
        })?;
        let values = match table.row(space.key(arch)) {
            Some(row) => table
                .columns()
                .iter()
                .filter_map(|c| {
                    c.get(row).map(|value| NamedValue {
                        name: c.spec.name.clone(),
                        value,
                        unit: c.spec.unit.clone(),
                    })
                })
                .collect(),
            None => Vec::new(),
        };
        let cell = space.cell_graph(arch);
        let nb201 = cell.as_ref().filter(|c| c.space == "nb201");
        Ok(ArchInfo {
            id: self.id,
            arch_string: space.to_string(arch),
            edges: nb201
                .map(|c| {
                    c.edges
                        .iter()
                        .zip(EDGES)
                        .map(|(e, (from, to))| CellEdge {
                            from,
                            to,
                            op: nb201_op_name(e.label.as_deref()),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            connected: cell
                .as_ref()
                .is_none_or(|c| c.nodes.last().is_some_and(|n| n.active)),
            cell,
            values,
        })
    }
}

/// The full NB201 op name of the short label a cell graph draws.
fn nb201_op_name(short: Option<&str>) -> String {
    let i = crate::space::nb201::OP_SHORT
        .iter()
        .position(|s| Some(*s) == short)
        .unwrap_or(0);
    OP_NAMES[i].to_string()
}

struct ParseArch<'a> {
    text: &'a str,
}

impl SpaceFn for ParseArch<'_> {
    type Output = Result<u64>;
    fn call<S: SearchSpace + Clone + 'static>(self, space: &S) -> Self::Output {
        Ok(space.id(space.parse_arch(self.text)?))
    }
}

/// What a landscape request wants from the analysis of a metric.
enum Want {
    Export(GraphKind),
    Summary,
    Funnel,
}

enum Analysed {
    Export(LonExport),
    Summary(landscape::Summary),
    Funnel(Funnel),
}

/// Analyses `metric` on `table` over `space`, reusing the cached analysis when it is of the
/// same metric. The neighbourhood graph takes about a millisecond to build, so it is built
/// per request rather than kept beside the table it would borrow.
fn analysed<'a, S: SearchSpace>(
    space: &'a S,
    table: &'a Table,
    metric: &str,
    cache: &'a mut Option<MetricLandscape>,
) -> Result<(Landscape<'a, S>, &'a MetricLandscape)> {
    let wanted = crate::lon::resolve_metric(table, metric)?.name;
    let land = Landscape::new(space, table)?;
    if cache.as_ref().is_none_or(|a| a.metric.name != wanted) {
        *cache = None;
        *cache = Some(land.analyse(&wanted)?);
    }
    Ok((land, cache.as_ref().expect("set above")))
}

/// Answers a landscape request over the space it is called on.
struct Analyse<'a> {
    table: &'a Table,
    metric: &'a str,
    want: Want,
    cache: &'a mut Option<MetricLandscape>,
}

impl SpaceFn for Analyse<'_> {
    type Output = Result<Analysed>;
    fn call<S: SearchSpace + Clone + 'static>(self, space: &S) -> Self::Output {
        if let (Want::Summary, Some(a)) = (&self.want, self.cache.as_ref()) {
            // A summary needs no neighbourhood graph once the metric is analysed.
            if a.metric.name == crate::lon::resolve_metric(self.table, self.metric)?.name {
                return Ok(Analysed::Summary(a.summary.clone()));
            }
        }
        let (land, res) = analysed(space, self.table, self.metric, self.cache)?;
        Ok(match self.want {
            Want::Export(kind) => Analysed::Export(export(&land, res, kind)),
            Want::Summary => Analysed::Summary(res.summary.clone()),
            Want::Funnel => Analysed::Funnel(funnel(&land, res)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::config::Algo;
    use crate::space::nb201::Nb201;

    fn session() -> Session {
        let mut s = Session::new();
        s.load_synthetic(3).unwrap();
        s
    }

    fn mf_nas() -> AlgoParams {
        AlgoParams::new(Algo::MfNas)
    }

    fn budgeted(algo: Algo) -> AlgoParams {
        let mut p = AlgoParams::new(algo);
        p.budget_s = Some(20_000.0);
        p
    }

    #[test]
    fn stepping_a_run_to_the_end_gives_the_outcome_of_run_once() {
        let mut s = session();
        let params = budgeted(Algo::MfNas);
        s.start_run(&params, 7).unwrap();
        let mut events = Vec::new();
        let outcome = loop {
            let b = s.step(100).unwrap();
            events.extend(b.events);
            if let Some(o) = b.outcome {
                break o;
            }
        };
        let table = crate::table::synthetic::nb201_full_curves(3);
        let plan = params.check(&table).unwrap();
        let (expected, expected_events) =
            experiment::run_once(&Nb201, &table, &plan, 7, true).unwrap();
        assert_eq!((outcome, events), (expected, expected_events));
    }

    #[test]
    fn every_evaluated_objective_is_announced_when_the_run_starts() {
        let mut s = session();
        let info = s.start_run(&budgeted(Algo::MfNas), 7).unwrap();
        let b = s.step(u32::MAX).unwrap();
        for e in &b.events {
            if let Event::Evaluated { objective, .. } = e {
                assert!(info.objectives.contains(objective), "{objective}");
            }
        }
    }

    #[test]
    fn a_step_slice_takes_at_most_the_steps_asked_for() {
        let mut s = session();
        s.start_run(&budgeted(Algo::Ls), 1).unwrap();
        assert_eq!(s.step(5).unwrap().steps, 5);
    }

    #[test]
    fn stepping_without_a_run_is_an_error_that_says_to_start_one() {
        let mut s = session();
        let e = s.step(1).unwrap_err();
        assert!(e.message().contains("start one"), "{e}");
    }

    #[test]
    fn starting_a_run_without_a_table_is_an_error_that_says_to_load_one() {
        let mut s = Session::new();
        let e = s.start_run(&mf_nas(), 1).unwrap_err();
        assert!(e.message().contains("load one"), "{e}");
    }

    #[test]
    fn an_unknown_proxy_is_reported_with_the_proxies_the_table_has() {
        let mut s = session();
        let mut p = budgeted(Algo::MfNas);
        p.zc = Some("nope".into());
        let e = s.start_run(&p, 1).unwrap_err();
        assert!(e.message().contains("synflow"), "{e}");
    }

    #[test]
    fn a_new_table_drops_the_run_on_the_old_one() {
        let mut s = session();
        s.start_run(&budgeted(Algo::Rs), 1).unwrap();
        s.load_synthetic(4).unwrap();
        assert!(s.run_info().is_none());
        assert!(s.step(1).is_err());
    }

    #[test]
    fn an_experiment_in_slices_equals_run_seeds_and_summarize() {
        let mut s = session();
        let params = [budgeted(Algo::MfNas), budgeted(Algo::Rs)];
        assert_eq!(s.start_experiment(&params, 1, 6).unwrap(), 12);
        let progress = loop {
            let p = s.experiment_step(5).unwrap();
            if p.finished {
                break p;
            }
        };
        assert_eq!((progress.done, progress.total), (12, 12));
        let table = crate::table::synthetic::nb201_full_curves(3);
        for (entry, p) in progress.entries.iter().zip(&params) {
            let plan = p.check(&table).unwrap();
            let space = TableSpace::of(&table).unwrap();
            let outcomes = experiment::run_seeds(&space, &table, &plan, 1, 6, |_| {}).unwrap();
            assert_eq!(entry.summary, experiment::summarize(&plan, &outcomes, 1));
            assert_eq!(entry.outcomes, outcomes);
        }
    }

    #[test]
    fn an_unfinished_experiment_reports_counts_without_the_finished_configurations() {
        let mut s = session();
        s.start_experiment(&[budgeted(Algo::Rs), budgeted(Algo::Ls)], 1, 3)
            .unwrap();
        let p = s.experiment_step(4).unwrap();
        assert_eq!((p.done, p.finished, p.entries.len()), (4, false, 0));
        let p = s.experiment_step(4).unwrap();
        assert_eq!((p.done, p.finished, p.entries.len()), (6, true, 2));
    }

    #[test]
    fn an_experiment_reports_progress_between_slices() {
        let mut s = session();
        s.start_experiment(&[budgeted(Algo::Rs)], 1, 10).unwrap();
        let p = s.experiment_step(4).unwrap();
        assert_eq!((p.done, p.finished), (4, false));
    }

    #[test]
    fn an_experiment_with_a_bad_configuration_starts_no_runs() {
        let mut s = session();
        let mut bad = mf_nas();
        bad.candidates = Some(0);
        assert!(
            s.start_experiment(&[budgeted(Algo::Rs), bad], 1, 3)
                .is_err()
        );
        assert!(s.experiment_step(1).is_err());
    }

    #[test]
    fn an_architecture_is_described_with_its_six_edges_and_table_values() {
        let s = session();
        let key = s
            .parse_arch("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|")
            .unwrap();
        let a = s.arch(key).unwrap();
        assert_eq!(a.edges.len(), 6);
        assert_eq!((a.edges[3].from, a.edges[3].to), (0, 3));
        assert_eq!(a.edges[3].op, "skip_connect");
        assert!(a.values.iter().any(|v| v.name == "test_acc@200"));
    }

    #[test]
    fn an_out_of_range_key_is_an_invalid_architecture() {
        let s = session();
        let e = s.arch(15_625).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArchitecture);
    }

    #[test]
    fn a_landscape_is_exported_for_a_metric_of_the_table() {
        let mut s = session();
        let metrics = s.landscape_metrics().unwrap();
        assert!(metrics.iter().any(|m| m == "zc:synflow"), "{metrics:?}");
        let x = s.landscape("zc:synflow", "mlon").unwrap();
        assert_eq!(x.nodes.len(), x.summary.n_optima);
    }

    #[test]
    fn switching_network_kind_keeps_the_metric_summary() {
        let mut s = session();
        let a = s.landscape("zc:synflow", "lon").unwrap();
        let b = s.landscape("zc:synflow", "cmlon").unwrap();
        assert_eq!(a.summary, b.summary);
    }

    #[test]
    fn an_unknown_network_kind_names_the_kinds() {
        let mut s = session();
        let e = s.landscape("zc:synflow", "tree").unwrap_err();
        assert!(e.message().contains("mlon"), "{e}");
    }

    #[test]
    fn a_packed_table_loads_and_runs_like_the_table_it_was_packed_from() {
        let table = crate::table::synthetic::nb201_full_curves(3);
        let bytes = crate::table::codec::encode(&table);
        let mut s = Session::new();
        assert_eq!(s.load_table(&bytes).unwrap().n_rows, 15_625);
        s.start_run(&budgeted(Algo::MfNas), 7).unwrap();
        let packed = s.step(u32::MAX).unwrap().outcome.unwrap();
        let plan = budgeted(Algo::MfNas).check(&table).unwrap();
        let (direct, _) = experiment::run_once(&Nb201, &table, &plan, 7, false).unwrap();
        assert_eq!(packed, direct);
    }

    #[test]
    fn bytes_that_are_not_a_table_are_a_corrupt_table_error() {
        let e = Session::new().load_table(b"<!doctype html>").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::CorruptTable);
    }

    #[test]
    fn the_paper_results_have_every_published_algorithm_and_the_optimum() {
        let r = paper_results();
        let c10: Vec<&str> = r
            .iter()
            .filter(|p| p.dataset == "cifar10")
            .map(|p| p.algo.as_str())
            .collect();
        assert_eq!(
            c10,
            [
                "rs", "ls", "sh", "rea", "rea-w", "free-rea", "mf-nas", "optimum"
            ]
        );
    }

    #[test]
    fn a_table_of_an_unknown_search_space_is_refused_with_the_spaces_there_are() {
        let mut t = crate::table::synthetic::nb201_full_curves(1);
        t.meta.space = "nb999".into();
        let e = Session::new().set_table(t).unwrap_err();
        assert!(e.message().contains("nb201, nb101, nbasr"), "{e}");
    }

    /// The synthetic table restricted to every `step`-th row.
    fn partial(step: usize) -> Table {
        let full = crate::table::synthetic::nb201_full_curves(3);
        let rows: Vec<usize> = (0..full.n_rows()).step_by(step).collect();
        let keys = rows.iter().map(|&r| full.keys()[r]).collect();
        let cols = full
            .columns()
            .iter()
            .map(|c| {
                crate::table::Column::from_raw(
                    c.spec.clone(),
                    rows.iter().map(|&r| c.raw()[r]).collect(),
                )
            })
            .collect();
        Table::new(full.meta.clone(), keys, cols).unwrap()
    }

    #[test]
    fn a_partial_table_is_searched_over_the_cells_it_has() {
        let t = partial(50);
        let keys: std::collections::BTreeSet<u64> = t.keys().iter().copied().collect();
        let mut s = Session::new();
        s.set_table(t).unwrap();
        for algo in Algo::ALL {
            s.start_run(&budgeted(algo), 3).unwrap();
            let b = s.step(u32::MAX).unwrap();
            assert!(b.outcome.is_some(), "{algo:?}");
            for e in &b.events {
                if let Event::Evaluated { arch, .. } = e {
                    let key = Nb201.key(Nb201.from_id(*arch).unwrap());
                    assert!(keys.contains(&key), "{algo:?} visited #{arch}");
                }
            }
        }
    }

    #[test]
    fn an_experiment_on_a_partial_table_runs_to_the_end() {
        let mut s = Session::new();
        s.set_table(partial(50)).unwrap();
        s.start_experiment(&[budgeted(Algo::MfNas), budgeted(Algo::Rea)], 1, 5)
            .unwrap();
        let p = s.experiment_step(100).unwrap();
        assert!(p.finished);
        assert_eq!(p.entries.len(), 2);
    }

    #[test]
    fn the_map_of_a_partial_table_fills_only_its_cells() {
        let t = partial(50);
        let ids: std::collections::BTreeSet<u64> = t
            .keys()
            .iter()
            .map(|&k| Nb201.id(Nb201.from_key(k).unwrap()))
            .collect();
        let mut s = Session::new();
        s.set_table(t).unwrap();
        let map = s.space_map("val_acc@200").unwrap();
        let scored: std::collections::BTreeSet<u64> = (0..map.ids.len())
            .filter(|&c| map.values[c].is_some())
            .map(|c| map.ids[c])
            .collect();
        assert_eq!(scored, ids);
        // Every architecture has its cell, and every optimum is a cell of the table.
        assert_eq!(
            map.ids
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            15_625
        );
        assert!(
            map.optima
                .iter()
                .all(|&c| ids.contains(&map.ids[c as usize]))
        );
    }

    #[test]
    fn outcomes_and_events_name_architectures_by_their_nb201_index() {
        let mut s = session();
        s.start_run(&budgeted(Algo::Ls), 2).unwrap();
        let b = s.step(u32::MAX).unwrap();
        let o = b.outcome.unwrap();
        let a = crate::space::nb201::Nb201Arch::parse_arch_string(&o.arch_string).unwrap();
        assert_eq!(o.arch, a.index() as u64);
        assert!(
            b.events
                .iter()
                .any(|e| matches!(e, Event::Done { arch, .. } if *arch == o.arch))
        );
        assert_eq!(s.arch(o.arch).unwrap().arch_string, o.arch_string);
    }

    #[test]
    fn an_architecture_is_found_by_index_hash_index_or_arch_string() {
        let s = session();
        let text = crate::space::nb201::Nb201Arch::from_index(9930)
            .unwrap()
            .arch_string();
        for given in ["9930", "#9930", " 9930 ", text.as_str()] {
            assert_eq!(s.parse_arch(given).unwrap(), 9930, "{given}");
        }
        let e = s.parse_arch("15625").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArchitecture);
    }

    #[test]
    fn a_seed_past_the_one_range_is_refused_with_the_range() {
        let mut s = session();
        let e = s
            .start_run(&budgeted(Algo::Rs), crate::limits::MAX_SEED + 1)
            .unwrap_err();
        assert!(e.message().contains("9007199254740991"), "{e}");
        let e = s
            .start_experiment(&[budgeted(Algo::Rs)], crate::limits::MAX_SEED, 2)
            .unwrap_err();
        assert!(e.message().contains("9007199254740991"), "{e}");
    }

    #[test]
    fn the_local_search_snapshot_lists_neighbours_of_the_current_cell_with_their_scores() {
        let mut s = session();
        s.start_run(&budgeted(Algo::Ls), 5).unwrap();
        let mut seen_tried = false;
        for _ in 0..300 {
            let b = s.step(1).unwrap();
            let Snapshot::LocalSearch(ls) = b.snapshot else {
                panic!("local search gives a local-search snapshot");
            };
            if let Some(cur) = ls.current {
                let cur = Nb201.from_id(cur.arch).unwrap();
                let mut nb = Vec::new();
                Nb201.neighbours_1opt(cur, &mut nb);
                let nb: Vec<u64> = nb.iter().map(|&a| Nb201.id(a)).collect();
                for t in &ls.tried {
                    assert!(nb.contains(&t.arch), "#{} is not a neighbour", t.arch);
                    assert!(
                        t.score < ls.current.unwrap().score,
                        "a better neighbour was not taken"
                    );
                }
                seen_tried |= !ls.tried.is_empty();
            }
            if b.outcome.is_some() {
                break;
            }
        }
        assert!(seen_tried);
    }

    #[test]
    fn the_halving_snapshot_accounts_for_every_rung_as_the_events_do() {
        let mut s = session();
        s.start_run(&budgeted(Algo::Sh), 4).unwrap();
        let b = s.step(u32::MAX).unwrap();
        let Snapshot::SuccessiveHalving(sh) = b.snapshot else {
            panic!("successive halving gives a halving snapshot");
        };
        let charged: u64 = sh.rungs.iter().map(|r| r.charged.epochs as u64).sum();
        assert_eq!(charged, b.spent.epochs);
        for r in &sh.rungs {
            let promoted: Vec<u64> = b
                .events
                .iter()
                .filter_map(|e| match e {
                    Event::Promoted { rung, arch, .. } if *rung == r.rung => Some(*arch),
                    _ => None,
                })
                .collect();
            let mine: Vec<u64> = r
                .candidates
                .iter()
                .filter(|c| c.status == crate::algo::snapshot::CandidateStatus::Promoted)
                .map(|c| c.arch)
                .collect();
            assert_eq!(mine.len(), r.keep);
            assert_eq!(
                promoted.iter().collect::<std::collections::BTreeSet<_>>(),
                mine.iter().collect()
            );
            let cutoff = r.cutoff.unwrap();
            for c in &r.candidates {
                match c.status {
                    crate::algo::snapshot::CandidateStatus::Promoted => {
                        assert!(c.score.unwrap() >= cutoff)
                    }
                    _ => assert!(c.score.unwrap() <= cutoff),
                }
            }
        }
    }

    #[test]
    fn a_refund_is_recorded_in_the_rung_it_happened_in() {
        let mut s = session();
        let mut p = AlgoParams::new(Algo::Sh);
        p.budget_s = Some(3_000.0);
        s.start_run(&p, 4).unwrap();
        let b = s.step(u32::MAX).unwrap();
        let Snapshot::SuccessiveHalving(sh) = b.snapshot else {
            panic!("successive halving gives a halving snapshot");
        };
        let refund = b.events.iter().find_map(|e| match e {
            Event::Refunded { cost_s, epochs } => Some((*cost_s, *epochs)),
            _ => None,
        });
        let last = sh.rungs.last().unwrap();
        assert_eq!(
            refund,
            last.refunded.map(|c| (c.seconds, c.epochs)),
            "the refund is in the last rung"
        );
        assert!(
            last.candidates
                .iter()
                .any(|c| c.status == crate::algo::snapshot::CandidateStatus::Refunded)
        );
    }
}
