//! An interactive session: one table, at most one run being stepped and at most one
//! experiment being worked through. This is the explorer's engine; [`crate::wasm`] only
//! converts its values for JavaScript, so everything here is tested natively.
//!
//! Work is split into small calls ([`Session::step`], [`Session::experiment_step`]) so the
//! caller (a Web Worker) can answer pause and cancel between them.

use crate::algo::config::{Algo, AlgoParams, Plan, default_budget};
use crate::error::{Error, Result};
use crate::event::Event;
use crate::experiment::{self, Summary};
use crate::lon::export::{GraphKind, LonExport, export};
use crate::lon::landscape::{self, Landscape, MetricLandscape};
use crate::objective::ObjectiveRegistry;
use crate::runner::{Outcome, Run, Spent};
use crate::space::SearchSpace;
use crate::space::nb201::{EDGES, N_EDGES, Nb201, Nb201Arch, OP_NAMES};
use crate::table::{Fidelity, Role, Table};
use serde::{Deserialize, Serialize};

mod figures;
mod paper;
pub use figures::{Neighbour, WholeRun};
pub use paper::PaperPage;

static SPACE: Nb201 = Nb201;

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
    /// Number of architectures.
    pub n_rows: usize,
    /// Zero-cost proxies with scores.
    pub proxies: Vec<String>,
    /// Fidelities with validation accuracy, as labels ("12@hp12", "200").
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
}

/// An architecture described for the cell view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct ArchInfo {
    /// The table key (NB201 genotype code).
    pub key: u64,
    /// The NB201 benchmark index.
    pub index: u32,
    /// The arch string.
    pub arch_string: String,
    /// The cell's edges with their operations, in arch-string order.
    pub edges: Vec<CellEdge>,
    /// Whether the output is reachable from the input through non-`none` edges.
    pub connected: bool,
    /// Every value the table has for it (missing values are left out).
    pub values: Vec<NamedValue>,
}

/// One edge of a cell.
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
    /// The configurations finished so far, in request order.
    pub entries: Vec<ExperimentEntry>,
    /// True once every run is done.
    pub finished: bool,
}

/// A result the paper publishes (SPEC §7), quoted beside ours.
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
    run: Run<'static, Nb201>,
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

/// The explorer's engine state.
///
/// The table is kept at a stable heap address so that the run, which borrows it, can live
/// in the same struct; it is freed only after the run that borrows it is dropped.
#[derive(Default)]
pub struct Session {
    table: Option<&'static Table>,
    run: Option<LiveRun>,
    experiment: Option<Experiment>,
    /// The table's neighbourhood graph, built on the first landscape request.
    landscape: Option<Landscape<'static, Nb201>>,
    /// The last metric analysed, so switching between LON, MLON and CMLON is instant.
    analysed: Option<MetricLandscape>,
    /// The paper report in progress.
    paper: Option<crate::report::stepper::ReportJob>,
}

impl Drop for Session {
    fn drop(&mut self) {
        self.release_table();
    }
}

impl Session {
    /// An empty session: load a table first.
    pub fn new() -> Self {
        Self::default()
    }

    fn release_table(&mut self) {
        // The run and the landscape are the only holders of the borrow: drop them first.
        self.run = None;
        self.landscape = None;
        self.analysed = None;
        self.experiment = None;
        self.paper = None;
        if let Some(old) = self.table.take() {
            // SAFETY: `old` came from `Box::leak` in `set_table`, and nothing borrowing it is
            // left (run and landscape were dropped above; no `&'static Table` is handed out).
            unsafe { drop(Box::from_raw(old as *const Table as *mut Table)) };
        }
    }

    /// Replaces the table (any run or experiment is dropped) and describes it.
    pub fn set_table(&mut self, table: Table) -> Result<TableInfo> {
        if table.meta.space != SPACE.name() {
            return Err(Error::corrupt(format!(
                "table {} is for search space {:?}, but the explorer only knows nb201",
                table.meta.title, table.meta.space
            )));
        }
        self.release_table();
        self.table = Some(Box::leak(Box::new(table)));
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

    fn table(&self) -> Result<&'static Table> {
        self.table
            .ok_or_else(|| Error::param("no table is loaded; load one first"))
    }

    /// Describes the loaded table.
    pub fn table_info(&self) -> Result<TableInfo> {
        let t = self.table()?;
        Ok(TableInfo {
            title: t.meta.title.clone(),
            space: t.meta.space.clone(),
            dataset: t.meta.dataset.clone(),
            notes: t.meta.notes.clone(),
            n_rows: t.n_rows(),
            proxies: t.proxies(),
            val_fidelities: t
                .fidelities(Role::ValAcc)
                .iter()
                .map(Fidelity::label)
                .collect(),
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
        let table = self.table()?;
        let plan = params.check(table)?;
        let mut objectives = ObjectiveRegistry::new();
        let searcher = plan.build::<Nb201>(&mut objectives);
        self.run = None;
        let run = Run::new(
            &SPACE,
            table,
            searcher,
            &objectives,
            plan.budget,
            seed,
            true,
        )?;
        let info = RunInfo {
            algo: plan.algo,
            label: plan.label.clone(),
            table: plan.table.clone(),
            ladder: plan.ladder.clone(),
            objectives: objectives.all().iter().map(|o| o.label()).collect(),
            budget_s: plan.budget.seconds,
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
        })
    }

    /// The algorithm's state for the views (e.g. successive halving's rungs), as JSON.
    pub fn snapshot(&self) -> Result<serde_json::Value> {
        let live = self
            .run
            .as_ref()
            .ok_or_else(|| Error::param("no run is started; start one first"))?;
        Ok(live.run.searcher().snapshot(&SPACE))
    }

    /// Describes the architecture with table key `key`, with every value the table has.
    pub fn arch(&self, key: u64) -> Result<ArchInfo> {
        let table = self.table()?;
        let arch = SPACE.from_key(key).ok_or_else(|| {
            Error::arch(format!(
                "{key} is not an NB201 architecture key (keys are 0..15624)"
            ))
        })?;
        let values = match table.row(key) {
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
        Ok(describe(arch, values))
    }

    /// Parses an architecture in any NB201 notation and returns its key.
    pub fn parse_arch(&self, text: &str) -> Result<u64> {
        Ok(SPACE.key(Nb201Arch::parse_any(text)?))
    }

    /// Starts an experiment: every configuration in `params`, seeds
    /// `seed_start..seed_start + runs`. All configurations are checked before any runs.
    pub fn start_experiment(
        &mut self,
        params: &[AlgoParams],
        seed_start: u64,
        runs: usize,
    ) -> Result<usize> {
        let table = self.table()?;
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
        let table = self.table()?;
        let ex = self
            .experiment
            .as_mut()
            .ok_or_else(|| Error::param("no experiment is started; start one first"))?;
        let mut done_now = 0;
        while done_now < max_runs && ex.current < ex.plans.len() {
            let plan = &ex.plans[ex.current];
            let seed = ex.seed_start + ex.outcomes.len() as u64;
            ex.outcomes
                .push(experiment::run_once(&SPACE, table, plan, seed, false)?.0);
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
                ex.entries.clone()
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
        Ok(landscape::grid_metrics(self.table()?))
    }

    fn analyse(&mut self, metric: &str) -> Result<(&Landscape<'static, Nb201>, &MetricLandscape)> {
        let table = self.table()?;
        if self.landscape.is_none() {
            self.landscape = Some(Landscape::new(&SPACE, table)?);
        }
        let land = self.landscape.as_ref().expect("set above");
        let wanted = crate::lon::resolve_metric(table, metric)?.name;
        if self.analysed.as_ref().map(|a| &a.metric.name) != Some(&wanted) {
            self.analysed = None;
            self.analysed = Some(land.analyse(&wanted)?);
        }
        Ok((land, self.analysed.as_ref().expect("set above")))
    }

    /// The local optima network of `metric` (`kind` is lon, mlon or cmlon), as the explorer draws it.
    pub fn landscape(&mut self, metric: &str, kind: &str) -> Result<LonExport> {
        let kind = GraphKind::parse(kind)?;
        let (land, res) = self.analyse(metric)?;
        Ok(export(land, res, kind))
    }

    /// The landscape numbers of `metric` (optima, global optima, correlations, overlap).
    pub fn landscape_summary(&mut self, metric: &str) -> Result<landscape::Summary> {
        Ok(self.analyse(metric)?.1.summary.clone())
    }
}

fn describe(arch: Nb201Arch, values: Vec<NamedValue>) -> ArchInfo {
    let g = arch.genotype();
    ArchInfo {
        key: SPACE.key(arch),
        index: arch.index(),
        arch_string: arch.arch_string(),
        edges: (0..N_EDGES)
            .map(|i| CellEdge {
                from: EDGES[i].0,
                to: EDGES[i].1,
                op: OP_NAMES[g[i] as usize].to_string(),
            })
            .collect(),
        connected: arch.is_connected(),
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::config::Algo;

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
            let outcomes = experiment::run_seeds(&Nb201, &table, &plan, 1, 6, |_| {}).unwrap();
            assert_eq!(entry.summary, experiment::summarize(&plan, &outcomes, 1));
            assert_eq!(entry.outcomes, outcomes);
        }
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
    fn a_table_of_another_search_space_is_refused() {
        let mut t = crate::table::synthetic::nb201_full_curves(1);
        t.meta.space = "nb101".into();
        let e = Session::new().set_table(t).unwrap_err();
        assert!(e.message().contains("nb201"), "{e}");
    }
}
