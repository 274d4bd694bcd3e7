//! The paper report: every NAS-Bench-201 experiment of the MF-NAS paper that our tables
//! support, beside the published numbers ([`crate::paper`]), with the difference of every
//! cell and, where it exceeds its standard error, its causes, computed from the data the
//! configuration really used ([`gaps`]). `mfnas paper` writes it as Markdown, SVG figures
//! and a static HTML page; the explorer shows the same tables for the loaded dataset.
//!
//! The flow is the same everywhere:
//! 1. [`configs::configurations`] lists what the chosen sections need on a table;
//! 2. each is checked ([`configs::prepare`]: a plan, or why the table cannot run it) and
//!    run over the seeds (in parallel on the command line, in slices in the page's worker);
//! 3. [`configs::finish`] turns the outcomes into a [`ConfigResult`];
//! 4. [`DatasetResults::new`] collects one table's results with its landscapes and trends,
//!    and [`build`] lays every dataset out as the paper's tables and figures.
//!
//! ```
//! use mfnas::report::{self, Section, DatasetResults};
//! use mfnas::table::synthetic;
//!
//! let table = synthetic::nb201_full_curves(1);
//! let params = report::configs::mf_nas("params", None, None);
//! let result = report::configs::run_config(&table, "cifar10", &params, 1, 5).unwrap();
//! let ds = DatasetResults::new(&table, "cifar10", vec![result], vec![], vec![]);
//! let r = report::build(&[ds], &[Section::Table6], 5, 1);
//! let params_row = r.tables[0].rows.iter().find(|row| row.label == "params").unwrap();
//! let cell = &params_row.cells[0][0];
//! assert_eq!(cell.paper.unwrap().mean, 94.36); // the paper's, beside ours
//! assert!(cell.ours.is_some());
//! ```

pub mod compare;
pub mod configs;
pub mod coverage;
pub mod figures;
pub mod gaps;
pub mod render;
pub mod stepper;

pub use compare::{Difference, PublishedValue, Stat};
pub use configs::{ConfigResult, RunStats, Section, Unavailable};
pub use coverage::CoverageWarning;

use crate::algo::config::{AlgoParams, Stage1Kind};
use crate::lon::landscape::{LandscapeSummary, MetricKind, grid_metrics};
use crate::lon::report::{Finding, check_findings};
use crate::lon::trend::Trend;
use crate::paper::{PaperNumbers, Published};
use crate::table::{Role, SUITE_ZERO_PROXIES, Table};
use gaps::{Acts, GapKind, UNEXPLAINED};
use serde::{Deserialize, Serialize};

/// One table's results: the configurations run on it, its landscapes and its trends.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetResults {
    /// The paper's dataset column the table stands in for.
    pub dataset: String,
    /// A unique name for the table in figures (the dataset, or the synthetic table's title).
    pub name: String,
    /// The table's title.
    pub table: String,
    /// Whether the table is real benchmark data.
    pub real: bool,
    /// Table 2's rows on this table: (row label, the paper's algorithm name, parameters).
    pub table2_rows: Vec<(String, String, AlgoParams)>,
    /// Proxies that score part of the table and the proxy of the same definition that scores
    /// all of it.
    pub twins: Vec<(String, String)>,
    /// Every configuration run, in any order.
    pub configs: Vec<ConfigResult>,
    /// Landscape summaries of the grid metrics (Figs. 2 and 3), in grid order.
    pub landscapes: Vec<LandscapeSummary>,
    /// Search trends (Figs. 4 and 8), in metric order.
    pub trends: Vec<Trend>,
}

impl DatasetResults {
    /// Collects `table`'s results, where the table stands for the paper's `dataset`.
    pub fn new(
        table: &Table,
        dataset: &str,
        configs: Vec<ConfigResult>,
        mut landscapes: Vec<LandscapeSummary>,
        trends: Vec<Trend>,
    ) -> Self {
        let real = configs::is_real(table);
        let name = if real {
            table.meta.dataset.clone()
        } else {
            table.meta.title.clone()
        };
        // The findings group summaries by dataset: give each table its own name.
        for l in &mut landscapes {
            l.dataset = name.clone();
        }
        let twins = crate::paper::numbers()
            .table6
            .rows
            .iter()
            .filter_map(|r| {
                configs::full_coverage_twin(table, &r.proxy).map(|t| (r.proxy.clone(), t))
            })
            .collect();
        Self {
            dataset: dataset.to_string(),
            name,
            table: table.meta.title.clone(),
            real,
            table2_rows: configs::table2_rows(table)
                .into_iter()
                .map(|(l, a, p)| (l, a.to_string(), p))
                .collect(),
            twins,
            configs,
            landscapes,
            trends,
        }
    }

    fn find(&self, params: &AlgoParams) -> Option<&ConfigResult> {
        self.configs.iter().find(|c| &c.params == params)
    }
}

/// The metrics of the search-trend figures on `table`: the NAS-Bench-Suite-Zero proxies it
/// has and its training-based metrics (seed means), in column order.
pub fn trend_metrics(table: &Table) -> Vec<String> {
    grid_metrics(table)
        .into_iter()
        .filter(|m| {
            let Ok(c) = table.column(m) else { return false };
            match MetricKind::of(c.spec.role) {
                MetricKind::ZeroCost => c
                    .spec
                    .proxy
                    .as_deref()
                    .is_some_and(|p| SUITE_ZERO_PROXIES.contains(&p)),
                MetricKind::Training => true,
                _ => false,
            }
        })
        .collect()
}

/// A dataset column of the report.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetColumn {
    /// The paper's dataset.
    pub dataset: String,
    /// The table's unique name.
    pub name: String,
    /// The table's title.
    pub table: String,
    /// Whether the table is real benchmark data.
    pub real: bool,
}

/// A result the same proxy gives with every architecture scored.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TwinResult {
    /// The full-coverage proxy.
    pub proxy: String,
    /// Its test accuracy.
    pub ours: Stat,
}

/// One number of a table: ours beside the paper's.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// Ours (mean ± std over the runs), when the configuration ran.
    pub ours: Option<Stat>,
    /// The paper's.
    pub paper: Option<PublishedValue>,
    /// The decimals the paper prints.
    pub decimals: u32,
    /// The difference, when both exist.
    pub difference: Option<Difference>,
    /// Why they differ: present exactly where the difference exceeds its standard error.
    pub causes: Vec<String>,
    /// Why the table could not run the configuration.
    pub unavailable: Option<Unavailable>,
    /// The configuration behind the number.
    pub config: Option<String>,
    /// Whether an objective of the configuration scores only part of the table.
    pub partial_coverage: bool,
    /// The same proxy with every architecture scored, where the table has one.
    pub full_coverage: Option<TwinResult>,
}

/// A row of a report table.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportRow {
    /// The row's label (an algorithm or a proxy).
    pub label: String,
    /// Cells by dataset column, then by metric.
    pub cells: Vec<Vec<Cell>>,
}

/// One of the paper's tables, ours beside it.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportTable {
    /// The section.
    pub section: Section,
    /// Its title, e.g. "Table 6: MF-NAS with each zero-cost proxy".
    pub title: String,
    /// The paper's caption.
    pub caption: String,
    /// The metrics shown for each dataset.
    pub metrics: Vec<String>,
    /// The rows.
    pub rows: Vec<ReportRow>,
}

/// The explanation of a kind of data gap, for the legend.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GapLegend {
    /// The kind.
    pub kind: GapKind,
    /// What it is.
    pub explanation: String,
}

/// A coverage warning of a configuration on a dataset.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetCoverage {
    /// The dataset column's name.
    pub name: String,
    /// The warnings, one per partial objective (each objective once).
    pub warnings: Vec<CoverageWarning>,
}

/// The landscape figures' numbers for one dataset.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetLandscapes {
    /// The dataset column's name.
    pub name: String,
    /// One summary per metric.
    pub summaries: Vec<LandscapeSummary>,
}

/// The search trends of one dataset.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetTrends {
    /// The dataset column's name.
    pub name: String,
    /// The paper's dataset.
    pub dataset: String,
    /// One trend per metric.
    pub trends: Vec<Trend>,
}

/// The whole report.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperReport {
    /// The paper the published numbers come from.
    pub source: String,
    /// Runs per configuration.
    pub runs: usize,
    /// The first seed.
    pub seed_start: u64,
    /// The dataset columns.
    pub columns: Vec<DatasetColumn>,
    /// The tables, in section order.
    pub tables: Vec<ReportTable>,
    /// What each kind of cause means.
    pub gap_legend: Vec<GapLegend>,
    /// Partial objectives by dataset.
    pub coverage: Vec<DatasetCoverage>,
    /// Figs. 2 and 3.
    pub landscapes: Vec<DatasetLandscapes>,
    /// The paper's landscape findings checked on our data.
    pub findings: Vec<Finding>,
    /// Figs. 4 and 8.
    pub trends: Vec<DatasetTrends>,
}

impl PaperReport {
    /// Whether any column is a synthetic table (the report then only exercises the machinery).
    pub fn synthetic(&self) -> bool {
        self.columns.iter().any(|c| !c.real)
    }
}

fn published(mean: f64, std: Option<f64>, n: usize) -> PublishedValue {
    PublishedValue { mean, std, n }
}

fn from_pub(p: Published, n: usize) -> PublishedValue {
    published(p.mean, Some(p.std), n)
}

/// Which statistic of a configuration a cell shows.
#[derive(Clone, Copy)]
enum Measure {
    Test,
    Top,
    Rank,
}

/// A cell from the configuration `params` on `ds`, showing `measure` beside `paper`.
fn cell(
    ds: &DatasetResults,
    params: &AlgoParams,
    measure: Measure,
    paper: Option<PublishedValue>,
) -> Cell {
    let decimals = if matches!(measure, Measure::Rank) {
        1
    } else {
        2
    };
    let mut c = Cell {
        ours: None,
        paper,
        decimals,
        difference: None,
        causes: Vec::new(),
        unavailable: None,
        config: None,
        partial_coverage: false,
        full_coverage: None,
    };
    let Some(result) = ds.find(params) else {
        return c;
    };
    c.config = Some(result.label.clone());
    c.unavailable = result.unavailable.clone();
    let Some(stats) = &result.stats else {
        return c;
    };
    c.partial_coverage = !stats.coverage.is_empty();
    c.ours = match measure {
        Measure::Test => stats.test,
        Measure::Top => stats.top,
        Measure::Rank => stats.rank,
    };
    if let (Some(o), Some(p)) = (&c.ours, &c.paper) {
        let d = compare::compare(o, p, decimals);
        if d.exceeds {
            // The best of the candidates depends only on how they were picked.
            let relevant = |a: Acts| !matches!(measure, Measure::Top) || a == Acts::Candidates;
            c.causes = stats
                .gaps
                .iter()
                .filter(|g| relevant(g.acts))
                .map(|g| g.cause.clone())
                .collect();
            if c.causes.is_empty() {
                c.causes.push(UNEXPLAINED.to_string());
            }
        }
        c.difference = Some(d);
    }
    c
}

/// A table with one row per entry of `rows` (labelled by `label`), each dataset's cells made
/// by `cells`.
fn layout<R>(
    head: (Section, &str, &str, &[&str]),
    datasets: &[DatasetResults],
    rows: &[R],
    label: impl Fn(&R) -> String,
    cells: impl Fn(&R, &DatasetResults) -> Vec<Cell>,
) -> ReportTable {
    let (section, title, caption, metrics) = head;
    ReportTable {
        section,
        title: title.to_string(),
        caption: caption.to_string(),
        metrics: metrics.iter().map(|m| m.to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| ReportRow {
                label: label(r),
                cells: datasets.iter().map(|ds| cells(r, ds)).collect(),
            })
            .collect(),
    }
}

fn table2(datasets: &[DatasetResults], numbers: &PaperNumbers) -> ReportTable {
    let n = numbers.runs;
    let labels: Vec<String> = datasets
        .first()
        .map(|d| d.table2_rows.iter().map(|r| r.0.clone()).collect())
        .unwrap_or_default();
    layout(
        (
            Section::Table2,
            "Table 2: every algorithm on NAS-Bench-201",
            &numbers.table2.caption,
            &["test acc"],
        ),
        datasets,
        &labels,
        String::clone,
        |label, ds| {
            let Some((_, algo, params)) = ds.table2_rows.iter().find(|r| &r.0 == label) else {
                return vec![cell(ds, &AlgoParams::default(), Measure::Test, None)];
            };
            let paper = crate::paper::published(algo, &ds.dataset).map(|p| from_pub(p, n));
            vec![cell(ds, params, Measure::Test, paper)]
        },
    )
}

fn table1(datasets: &[DatasetResults], numbers: &PaperNumbers) -> ReportTable {
    let n = numbers.runs;
    layout(
        (
            Section::Table1,
            "Table 1: MF-NAS with random search (RS) or local search (LS) in stage 1",
            &numbers.table1.caption,
            &["RS", "LS"],
        ),
        datasets,
        &numbers.table1.rows,
        |r| r.proxy.clone(),
        |r, ds| {
            let p = r.by_dataset.get(&ds.dataset);
            let rs = configs::mf_nas(&r.proxy, Some(Stage1Kind::Rs), None);
            let ls = configs::mf_nas(&r.proxy, None, None);
            vec![
                cell(ds, &rs, Measure::Test, p.map(|p| published(p.rs, None, n))),
                cell(ds, &ls, Measure::Test, p.map(|p| published(p.ls, None, n))),
            ]
        },
    )
}

fn table4(datasets: &[DatasetResults], numbers: &PaperNumbers) -> ReportTable {
    let n = numbers.runs;
    layout(
        (
            Section::Table4,
            "Table 4: does successive halving pick the best of the 32 candidates?",
            &numbers.table4.caption,
            &["top-32", "SH", "rank"],
        ),
        datasets,
        &numbers.table4.rows,
        |r| r.proxy.clone(),
        |r, ds| {
            let p = r.by_dataset.get(&ds.dataset);
            let params = configs::mf_nas(&r.proxy, None, None);
            let paper =
                |f: fn(&crate::paper::CandidatesMeans) -> f64| p.map(|p| published(f(p), None, n));
            vec![
                cell(ds, &params, Measure::Top, paper(|p| p.top32)),
                cell(ds, &params, Measure::Test, paper(|p| p.sh)),
                cell(ds, &params, Measure::Rank, paper(|p| p.rank)),
            ]
        },
    )
}

fn table5(datasets: &[DatasetResults], numbers: &PaperNumbers) -> ReportTable {
    let n = numbers.runs;
    layout(
        (
            Section::Table5,
            "Table 5: validation accuracy vs training loss as the stage-2 metric",
            &numbers.table5.caption,
            &["val", "loss"],
        ),
        datasets,
        &numbers.table5.rows,
        |r| r.proxy.clone(),
        |r, ds| {
            let p = r.by_dataset.get(&ds.dataset);
            let val = configs::mf_nas(&r.proxy, None, None);
            let loss = configs::mf_nas(&r.proxy, None, Some(Role::TrainLoss));
            vec![
                cell(ds, &val, Measure::Test, p.map(|p| from_pub(p.val, n))),
                cell(ds, &loss, Measure::Test, p.map(|p| from_pub(p.loss, n))),
            ]
        },
    )
}

fn table6(datasets: &[DatasetResults], numbers: &PaperNumbers) -> ReportTable {
    let n = numbers.runs;
    layout(
        (
            Section::Table6,
            "Table 6: MF-NAS with each zero-cost proxy",
            &numbers.table6.caption,
            &["test acc"],
        ),
        datasets,
        &numbers.table6.rows,
        |r| r.proxy.clone(),
        |r, ds| {
            let paper = r.by_dataset.get(&ds.dataset).map(|p| from_pub(*p, n));
            let mut c = cell(
                ds,
                &configs::mf_nas(&r.proxy, None, None),
                Measure::Test,
                paper,
            );
            c.full_coverage = ds
                .twins
                .iter()
                .find(|(p, _)| *p == r.proxy)
                .and_then(|(_, twin)| {
                    let res = ds.find(&configs::mf_nas(twin, None, None))?;
                    Some(TwinResult {
                        proxy: twin.clone(),
                        ours: res.stats.as_ref()?.test?,
                    })
                });
            vec![c]
        },
    )
}

/// Lays the results of every dataset out as the paper's tables and figures (`sections`),
/// beside the published numbers.
pub fn build(
    datasets: &[DatasetResults],
    sections: &[Section],
    runs: usize,
    seed_start: u64,
) -> PaperReport {
    let numbers = crate::paper::numbers();
    let mut tables = Vec::new();
    for s in Section::ALL.iter().filter(|s| sections.contains(s)) {
        match s {
            Section::Table2 => tables.push(table2(datasets, numbers)),
            Section::Table1 => tables.push(table1(datasets, numbers)),
            Section::Table4 => tables.push(table4(datasets, numbers)),
            Section::Table5 => tables.push(table5(datasets, numbers)),
            Section::Table6 => tables.push(table6(datasets, numbers)),
            Section::Landscapes | Section::Trends => {}
        }
    }
    let coverage = datasets
        .iter()
        .map(|ds| {
            let mut warnings: Vec<CoverageWarning> = Vec::new();
            for w in ds
                .configs
                .iter()
                .filter_map(|c| c.stats.as_ref())
                .flat_map(|s| &s.coverage)
            {
                if !warnings.iter().any(|x| x.objective == w.objective) {
                    warnings.push(w.clone());
                }
            }
            DatasetCoverage {
                name: ds.name.clone(),
                warnings,
            }
        })
        .filter(|c| !c.warnings.is_empty())
        .collect();
    let landscapes: Vec<DatasetLandscapes> = datasets
        .iter()
        .filter(|ds| !ds.landscapes.is_empty())
        .map(|ds| DatasetLandscapes {
            name: ds.name.clone(),
            summaries: ds.landscapes.clone(),
        })
        .collect();
    let findings = if sections.contains(&Section::Landscapes) && !landscapes.is_empty() {
        let names: Vec<String> = landscapes.iter().map(|l| l.name.clone()).collect();
        let all: Vec<LandscapeSummary> = landscapes
            .iter()
            .flat_map(|l| l.summaries.clone())
            .collect();
        check_findings(&names, &all)
    } else {
        Vec::new()
    };
    let trends = datasets
        .iter()
        .filter(|ds| sections.contains(&Section::Trends) && !ds.trends.is_empty())
        .map(|ds| DatasetTrends {
            name: ds.name.clone(),
            dataset: ds.dataset.clone(),
            trends: ds.trends.clone(),
        })
        .collect();
    PaperReport {
        source: numbers.source.clone(),
        runs,
        seed_start,
        columns: datasets
            .iter()
            .map(|d| DatasetColumn {
                dataset: d.dataset.clone(),
                name: d.name.clone(),
                table: d.table.clone(),
                real: d.real,
            })
            .collect(),
        tables,
        gap_legend: [
            GapKind::Hp12,
            GapKind::ProxyCoverage,
            GapKind::ProxyTimes,
            GapKind::ValidationSplit,
        ]
        .into_iter()
        .map(|kind| GapLegend {
            kind,
            explanation: kind.explanation().to_string(),
        })
        .collect(),
        coverage,
        landscapes: if sections.contains(&Section::Landscapes) {
            landscapes
        } else {
            Vec::new()
        },
        findings,
        trends,
    }
}
