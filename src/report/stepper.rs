//! The report of one table computed in small steps, so that a caller that must stay
//! responsive (the explorer's Web Worker) can report progress and cancel between them. It
//! runs exactly what `mfnas paper` runs for that table, in the same order of seeds, so the
//! numbers are the same.

use super::configs::{self, ConfigResult, Section, configurations, finish, prepare};
use super::{DatasetResults, PaperReport};
use crate::algo::config::{AlgoParams, Plan};
use crate::error::{Error, Result};
use crate::experiment::run_once;
use crate::lon::landscape::{Landscape, LandscapeSummary, grid_metrics};
use crate::lon::report::grid_job;
use crate::lon::trend::{Trend, TrendParams};
use crate::runner::Outcome;
use crate::space::nb201::{N_ARCHS, Nb201};
use crate::table::Table;
use serde::{Deserialize, Serialize};

/// Work units of one landscape analysis, relative to one search run.
pub const LANDSCAPE_UNITS: u64 = 40;
/// Work units of one search-trend run (of 5,000 evaluations), relative to one search run.
pub const TREND_UNITS_PER_RUN: u64 = 3;

/// The work units of a landscape item, with or without its trend.
pub fn landscape_units(trend: bool, params: &TrendParams) -> u64 {
    LANDSCAPE_UNITS
        + if trend {
            TREND_UNITS_PER_RUN * params.repeats
        } else {
            0
        }
}

/// The landscape items `sections` need on `table`: (metric, with its trend).
pub fn landscape_items(table: &Table, sections: &[Section]) -> Vec<(String, bool)> {
    let want_land = sections.contains(&Section::Landscapes);
    let want_trend = sections.contains(&Section::Trends);
    if !want_land && !want_trend {
        return Vec::new();
    }
    let trend = super::trend_metrics(table);
    grid_metrics(table)
        .into_iter()
        .filter_map(|m| {
            let t = want_trend && trend.contains(&m);
            (want_land || t).then_some((m, t))
        })
        .collect()
}

/// What to compute.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRequest {
    /// The sections (default: all).
    #[serde(default)]
    pub sections: Vec<Section>,
    /// Runs per configuration.
    pub runs: usize,
    /// The first seed.
    pub seed_start: u64,
    /// Search-trend runs per metric (default: `runs`).
    #[serde(default)]
    pub trend_runs: Option<u64>,
    /// Evaluations per search-trend run (default 5,000).
    #[serde(default)]
    pub trend_evals: Option<u64>,
}

/// Where a report in progress stands.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportProgress {
    /// Work units done.
    pub done: u64,
    /// Work units in all.
    pub total: u64,
    /// What is being computed.
    pub phase: String,
    /// True once everything is computed.
    pub finished: bool,
    /// The objectives that score only part of the table, said before the runs (one paragraph
    /// per group of objectives with the same coverage).
    pub coverage: Vec<String>,
}

/// The coverage warnings of `plans` on `table`, objectives with the same numbers told once.
pub fn coverage_notes<'p>(table: &Table, plans: impl IntoIterator<Item = &'p Plan>) -> Vec<String> {
    let warnings: Vec<_> = plans
        .into_iter()
        .flat_map(|p| super::coverage::plan_coverage(table, p))
        .collect();
    super::coverage::grouped_messages(&warnings)
}

/// A report of one table in progress.
#[derive(Debug)]
pub struct ReportJob {
    dataset: String,
    sections: Vec<Section>,
    runs: usize,
    seed_start: u64,
    trend: TrendParams,
    pending: Vec<(AlgoParams, Plan)>,
    outcomes: Vec<Outcome>,
    results: Vec<ConfigResult>,
    land_items: Vec<(String, bool)>,
    landscapes: Vec<LandscapeSummary>,
    trends: Vec<Trend>,
    done: u64,
    total: u64,
    coverage: Vec<String>,
}

impl ReportJob {
    /// Checks every configuration `request` needs on `table` (standing for the paper's
    /// `dataset`).
    pub fn new(table: &Table, dataset: &str, request: &ReportRequest) -> Result<Self> {
        if !crate::paper::DATASETS.contains(&dataset) {
            return Err(Error::param(format!(
                "the paper has no numbers for dataset {dataset:?}; it has {}",
                crate::paper::DATASETS.join(", ")
            )));
        }
        if table.n_rows() != N_ARCHS {
            return Err(Error::param(format!(
                "the paper report needs a table of the whole NB201 space; {} has {} architectures",
                table.meta.title,
                table.n_rows()
            )));
        }
        if request.runs == 0 {
            return Err(Error::param(
                "the report needs at least 1 run per configuration",
            ));
        }
        let sections = if request.sections.is_empty() {
            Section::ALL.to_vec()
        } else {
            request.sections.clone()
        };
        let trend = TrendParams {
            evals: request.trend_evals.unwrap_or(5_000),
            repeats: request.trend_runs.unwrap_or(request.runs as u64),
            first_seed: request.seed_start,
        };
        if sections.contains(&Section::Trends) && (trend.evals == 0 || trend.repeats == 0) {
            return Err(Error::param(
                "search trends need at least 1 evaluation and 1 run",
            ));
        }
        let mut pending = Vec::new();
        let mut results = Vec::new();
        for params in configurations(table, &sections) {
            match prepare(table, dataset, &params) {
                Ok(plan) => pending.push((params, plan)),
                Err(unavailable) => results.push(*unavailable),
            }
        }
        let coverage = coverage_notes(table, pending.iter().map(|(_, plan)| plan));
        let land_items = landscape_items(table, &sections);
        let total = (pending.len() * request.runs) as u64
            + land_items
                .iter()
                .map(|(_, t)| landscape_units(*t, &trend))
                .sum::<u64>();
        Ok(Self {
            dataset: dataset.to_string(),
            sections,
            runs: request.runs,
            seed_start: request.seed_start,
            trend,
            // Run in list order, taking from the back.
            pending: pending.into_iter().rev().collect(),
            outcomes: Vec::new(),
            results,
            land_items: land_items.into_iter().rev().collect(),
            landscapes: Vec::new(),
            trends: Vec::new(),
            done: 0,
            total,
            coverage,
        })
    }

    /// Where the job stands.
    pub fn progress(&self) -> ReportProgress {
        let phase = match (self.pending.last(), self.land_items.last()) {
            (Some((_, plan)), _) => plan.label.clone(),
            (None, Some((m, true))) => format!("landscape and search trend of {m}"),
            (None, Some((m, false))) => format!("landscape of {m}"),
            (None, None) => "done".to_string(),
        };
        ReportProgress {
            done: self.done,
            total: self.total,
            phase,
            finished: self.is_finished(),
            coverage: self.coverage.clone(),
        }
    }

    /// Whether everything is computed.
    pub fn is_finished(&self) -> bool {
        self.pending.is_empty() && self.land_items.is_empty()
    }

    /// Does up to `max_units` units of work (at least one search run or one landscape item).
    pub fn step(&mut self, table: &Table, max_units: u64) -> Result<ReportProgress> {
        let mut spent = 0u64;
        while spent < max_units.max(1) {
            if let Some((params, plan)) = self.pending.last() {
                let seed = self.seed_start + self.outcomes.len() as u64;
                self.outcomes
                    .push(run_once(&Nb201, table, plan, seed, false)?.0);
                spent += 1;
                self.done += 1;
                if self.outcomes.len() == self.runs {
                    let r = finish(table, params, plan, &self.outcomes, self.seed_start)?;
                    self.results.push(r);
                    self.outcomes.clear();
                    self.pending.pop();
                }
                continue;
            }
            let Some((metric, with_trend)) = self.land_items.pop() else {
                break;
            };
            let land = Landscape::new(&Nb201, table)?;
            let (summary, trend) = grid_job(&land, &metric, with_trend.then_some(self.trend))?;
            if self.sections.contains(&Section::Landscapes) {
                self.landscapes.push(summary);
            }
            self.trends.extend(trend.map(|t| t.trend));
            let units = landscape_units(with_trend, &self.trend);
            spent += units;
            self.done += units;
        }
        Ok(self.progress())
    }

    /// The table's results so far (complete once [`ReportJob::is_finished`]), to be laid out
    /// with other tables' by [`super::build`].
    pub fn dataset_results(&self, table: &Table) -> DatasetResults {
        DatasetResults::new(
            table,
            &self.dataset,
            self.results.clone(),
            self.landscapes.clone(),
            self.trends.clone(),
        )
    }

    /// The report of this table, once [`ReportJob::is_finished`].
    pub fn report(&self, table: &Table) -> Result<PaperReport> {
        if !self.is_finished() {
            return Err(Error::param("the report is not finished; keep stepping it"));
        }
        let ds = self.dataset_results(table);
        Ok(super::build(
            &[ds],
            &self.sections,
            self.runs,
            self.seed_start,
        ))
    }
}

/// The paper dataset a table stands for: its own, or cifar10 for a synthetic table.
pub fn paper_dataset(table: &Table) -> String {
    if configs::is_real(table) {
        table.meta.dataset.clone()
    } else {
        "cifar10".to_string()
    }
}
