//! The configurations each table of the paper needs, row by row, and running one of them
//! into a [`ConfigResult`]: its statistics, the data gaps it touched and its coverage
//! warnings, or why the table cannot run it.

use super::compare::Stat;
use super::coverage::{CoverageWarning, objective_coverage, plan_coverage};
use super::gaps::{DataGap, Evaluated, gaps};
use crate::algo::config::{Algo, AlgoParams, Plan, Stage1Kind, default_budget};
use crate::error::{ErrorKind, Result};
use crate::experiment::run_once;
use crate::objective::{Objective, ObjectiveRegistry};
use crate::runner::Outcome;
use crate::runner::{TableEvaluator, TableSpace};
use crate::space::nb201::{N_ARCHS, Nb201};
use crate::table::{Fidelity, Role, Table};
use serde::{Deserialize, Serialize};

/// The sections of the report.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// Table 2: every algorithm (the paper's main NB201 table).
    Table2,
    /// Table 1: stage 1 by random search vs local search.
    Table1,
    /// Table 4: the best of the 32 candidates vs the one successive halving returns.
    Table4,
    /// Table 5: validation accuracy vs training loss as the stage-2 metric.
    Table5,
    /// Table 6: MF-NAS with each proxy.
    Table6,
    /// Figs. 2 and 3: landscape numbers of every metric.
    Landscapes,
    /// Figs. 4 and 8: search trends of first-improvement hill climbing.
    Trends,
}

impl Section {
    /// Every section, in report order.
    pub const ALL: [Section; 7] = [
        Section::Table2,
        Section::Table1,
        Section::Table4,
        Section::Table5,
        Section::Table6,
        Section::Landscapes,
        Section::Trends,
    ];
    /// The command-line name (`table1`, ..., `landscapes`, `trends`).
    pub fn name(self) -> &'static str {
        match self {
            Section::Table2 => "table2",
            Section::Table1 => "table1",
            Section::Table4 => "table4",
            Section::Table5 => "table5",
            Section::Table6 => "table6",
            Section::Landscapes => "landscapes",
            Section::Trends => "trends",
        }
    }
    /// Parses [`Section::name`].
    pub fn parse(text: &str) -> Result<Section> {
        Section::ALL
            .into_iter()
            .find(|s| s.name() == text.trim())
            .ok_or_else(|| {
                crate::Error::param(format!(
                    "unknown section {text:?}; choose from {}",
                    Section::ALL.map(Section::name).join(", ")
                ))
            })
    }
}

/// MF-NAS with `proxy`, stage 1 `stage1` (default FLS) and stage-2 metric `metric`
/// (default validation accuracy), every other setting the paper's.
pub fn mf_nas(proxy: &str, stage1: Option<Stage1Kind>, metric: Option<Role>) -> AlgoParams {
    AlgoParams {
        zc: Some(proxy.to_string()),
        stage1,
        stage2_metric: metric,
        ..AlgoParams::new(Algo::MfNas)
    }
}

/// The rows of the paper's main table on `table`: (row label, the paper's algorithm name,
/// parameters). The same configurations as `mfnas reproduce`.
pub fn table2_rows(table: &Table) -> Vec<(String, &'static str, AlgoParams)> {
    crate::experiment::paper_grid(table)
        .into_iter()
        .map(|(name, p)| {
            let algo = p.algo.map(Algo::name).unwrap_or("");
            (name.to_string(), algo, p)
        })
        .collect()
}

/// The proxy of the same definition that scores every cell of `table`, where `proxy`
/// scores only part of it.
pub fn full_coverage_twin(table: &Table, proxy: &str) -> Option<String> {
    objective_coverage(table, &Objective::proxy(proxy))?.full_coverage_proxy
}

/// Every configuration `sections` need on `table`, without repeats, in report order.
pub fn configurations(table: &Table, sections: &[Section]) -> Vec<AlgoParams> {
    let numbers = crate::paper::numbers();
    let mut out: Vec<AlgoParams> = Vec::new();
    let mut add = |p: AlgoParams| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    for s in Section::ALL.iter().filter(|s| sections.contains(s)) {
        match s {
            Section::Table2 => table2_rows(table).into_iter().for_each(|(_, _, p)| add(p)),
            Section::Table1 => {
                for r in &numbers.table1.rows {
                    add(mf_nas(&r.proxy, Some(Stage1Kind::Rs), None));
                    add(mf_nas(&r.proxy, None, None));
                }
            }
            Section::Table4 => numbers
                .table4
                .rows
                .iter()
                .for_each(|r| add(mf_nas(&r.proxy, None, None))),
            Section::Table5 => {
                for r in &numbers.table5.rows {
                    add(mf_nas(&r.proxy, None, None));
                    add(mf_nas(&r.proxy, None, Some(Role::TrainLoss)));
                }
            }
            Section::Table6 => {
                for r in &numbers.table6.rows {
                    add(mf_nas(&r.proxy, None, None));
                    if let Some(twin) = full_coverage_twin(table, &r.proxy) {
                        add(mf_nas(&twin, None, None));
                    }
                }
            }
            Section::Landscapes | Section::Trends => {}
        }
    }
    out
}

/// Why a table cannot run a configuration.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unavailable {
    /// The table's own words.
    pub reason: String,
    /// What data would be needed to run it.
    pub needed: String,
    /// True on real benchmark tables: the data is not in the public data the table was packed
    /// from (rather than merely absent from a synthetic table).
    pub public_data: bool,
}

/// The statistics of a configuration's runs.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunStats {
    /// Test accuracy of the returned architecture.
    pub test: Option<Stat>,
    /// Best test accuracy among the candidates (MF-NAS and SH).
    pub top: Option<Stat>,
    /// The returned architecture's rank among the candidates.
    pub rank: Option<Stat>,
    /// Mean simulated cost (s).
    pub cost_s: f64,
    /// Mean epochs trained.
    pub epochs: f64,
    /// Runs.
    pub runs: usize,
    /// Runs the budget stopped before the algorithm finished.
    pub stopped_by_budget: usize,
    /// Runs whose returned architecture has no test accuracy.
    pub missing_test: usize,
    /// The successive-halving ladder, where there is one.
    pub ladder: Vec<String>,
    /// The data gaps the configuration touched (the causes of differences).
    pub gaps: Vec<DataGap>,
    /// Objectives that score only part of the table.
    pub coverage: Vec<CoverageWarning>,
}

/// One configuration on one table.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigResult {
    /// The configuration as the report names it.
    pub params: AlgoParams,
    /// Its label (the plan's, or a description when it cannot run).
    pub label: String,
    /// The statistics, when it ran.
    pub stats: Option<RunStats>,
    /// Why not, when it could not.
    pub unavailable: Option<Unavailable>,
}

/// Whether `table` is real benchmark data (not a synthetic table for tests and demos).
pub fn is_real(table: &Table) -> bool {
    table.meta.dataset != "synthetic"
}

/// The parameters to run `params` with on `table` standing for the paper's `dataset`: a
/// table without a budget of its own (synthetic) gets the paper's budget for `dataset`.
pub fn runnable(params: &AlgoParams, table: &Table, dataset: &str) -> AlgoParams {
    let mut p = params.clone();
    if p.budget_s.is_none()
        && p.algo != Some(Algo::FreeRea)
        && default_budget(&table.meta.dataset).is_none()
    {
        p.budget_s = default_budget(dataset);
    }
    p
}

/// The paper's 5-rung ladder, the fidelities Table 5's training loss needs.
fn paper_ladder() -> Vec<Fidelity> {
    [12, 25, 50, 100, 200]
        .into_iter()
        .map(|e| Fidelity::new(e, "hp200"))
        .collect()
}

/// What would be needed to run `params` where the table refused it with `reason`.
fn needed(table: &Table, params: &AlgoParams) -> String {
    let list = |f: &[Fidelity]| f.iter().map(Fidelity::label).collect::<Vec<_>>().join(", ");
    if let Some(zc) = &params.zc
        && table.find_proxy(zc).is_err()
    {
        return format!("scores and compute times of proxy {zc} for this table's architectures");
    }
    let metric = params.stage2_metric.unwrap_or(Role::ValAcc);
    let have = table.fidelities(metric);
    let missing: Vec<Fidelity> = paper_ladder()
        .into_iter()
        .filter(|f| !have.contains(f))
        .collect();
    format!(
        "{} at epochs {} of the 200-epoch run, as the paper's successive halving queries it \
         (this table has {} at: {})",
        metric.as_str(),
        list(&missing),
        metric.as_str(),
        if have.is_empty() {
            "none".into()
        } else {
            list(&have)
        }
    )
}

/// Checks `params` on `table` (standing for the paper's `dataset`): the plan to run, or why
/// the table cannot run it.
pub fn prepare(
    table: &Table,
    dataset: &str,
    params: &AlgoParams,
) -> std::result::Result<Plan, Box<ConfigResult>> {
    // Checking the parameters leaves the rungs' columns to the run; resolve every objective
    // against the table now, so that a missing fidelity is reported here, not mid-run.
    let checked = runnable(params, table, dataset)
        .check(table)
        .and_then(|plan| {
            TableEvaluator::new(table, &registry(&plan))?;
            Ok(plan)
        });
    checked.map_err(|e| {
        Box::new(ConfigResult {
            params: params.clone(),
            label: describe(params),
            stats: None,
            unavailable: Some(Unavailable {
                reason: e.message().to_string(),
                needed: if e.kind() == ErrorKind::MissingData {
                    needed(table, params)
                } else {
                    "valid parameters".to_string()
                },
                public_data: is_real(table),
            }),
        })
    })
}

/// The objectives `plan`'s searcher registers.
fn registry(plan: &Plan) -> ObjectiveRegistry {
    let mut reg = ObjectiveRegistry::new();
    let _ = plan.build(&Nb201, &mut reg);
    reg
}

/// A short description of unchecked parameters.
fn describe(params: &AlgoParams) -> String {
    let algo = params.algo.map(Algo::name).unwrap_or("?");
    let mut s = algo.to_string();
    if let Some(zc) = &params.zc {
        s.push_str(&format!(" zc:{zc}"));
    }
    if let Some(m) = params.stage2_metric {
        s.push_str(&format!(" stage 2 on {}", m.as_str()));
    }
    s
}

/// Summarises the runs of `plan` (seeds from `seed_start`, in order). One run is repeated
/// with its events recorded to learn what the configuration really evaluated.
pub fn finish(
    table: &Table,
    params: &AlgoParams,
    plan: &Plan,
    outcomes: &[Outcome],
    seed_start: u64,
) -> Result<ConfigResult> {
    let (_, events) = if table.n_rows() == N_ARCHS {
        run_once(&Nb201, table, plan, seed_start, true)?
    } else {
        return Err(crate::Error::param(format!(
            "the paper report needs a table of the whole NB201 space; {} has {} architectures",
            table.meta.title,
            table.n_rows()
        )));
    };
    let evaluated = Evaluated::from_events(&events);
    let collect = |f: &dyn Fn(&Outcome) -> Option<f64>| -> Option<Stat> {
        Stat::of(&outcomes.iter().filter_map(f).collect::<Vec<f64>>())
    };
    let n = outcomes.len().max(1) as f64;
    let stats = RunStats {
        test: collect(&|o| o.test_acc),
        top: collect(&|o| o.candidates_best_test_acc),
        rank: collect(&|o| o.rank_among_candidates.map(f64::from)),
        cost_s: outcomes.iter().map(|o| o.cost_s).sum::<f64>() / n,
        epochs: outcomes.iter().map(|o| o.epochs as f64).sum::<f64>() / n,
        runs: outcomes.len(),
        stopped_by_budget: outcomes.iter().filter(|o| o.stopped_by_budget).count(),
        missing_test: outcomes.iter().filter(|o| o.test_acc.is_none()).count(),
        ladder: plan.ladder.clone(),
        gaps: gaps(table, &evaluated, outcomes),
        coverage: plan_coverage(table, plan),
    };
    Ok(ConfigResult {
        params: params.clone(),
        label: plan.label.clone(),
        stats: Some(stats),
        unavailable: None,
    })
}

/// Runs `params` on `table` over `runs` seeds one after another (the command line runs
/// them in parallel with the same result).
pub fn run_config(
    table: &Table,
    dataset: &str,
    params: &AlgoParams,
    seed_start: u64,
    runs: usize,
) -> Result<ConfigResult> {
    let plan = match prepare(table, dataset, params) {
        Ok(p) => p,
        Err(unavailable) => return Ok(*unavailable),
    };
    let outcomes = crate::experiment::run_seeds(
        &TableSpace::of(table)?,
        table,
        &plan,
        seed_start,
        runs,
        |_| {},
    )?;
    finish(table, params, &plan, &outcomes, seed_start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::synthetic::nb201_full_curves;

    #[test]
    fn table_6_and_table_4_share_their_configurations() {
        let t = nb201_full_curves(1);
        assert_eq!(
            configurations(&t, &[Section::Table6]),
            configurations(&t, &[Section::Table4])
        );
    }

    #[test]
    fn the_whole_report_runs_each_configuration_once() {
        let t = nb201_full_curves(1);
        let all = configurations(&t, &Section::ALL);
        for (i, p) in all.iter().enumerate() {
            assert!(!all[..i].contains(p), "{p:?} twice");
        }
        // Table 2 (9) + Table 1's RS rows (6) + 13 proxies × {val, loss} - the MF-NAS rows of
        // Table 2 that are also Table 6's (flops, params; synflow too on a table whose synflow
        // covers everything).
        assert_eq!(all.len(), 9 + 6 + 26 - 3);
    }

    #[test]
    fn a_proxy_the_table_lacks_is_unavailable_with_what_would_be_needed() {
        let t = nb201_full_curves(1);
        let r = prepare(&t, "cifar10", &mf_nas("jacov", None, None)).unwrap_err();
        let u = r.unavailable.unwrap();
        assert!(u.reason.contains("jacov"), "{}", u.reason);
        assert!(u.needed.contains("proxy jacov"), "{}", u.needed);
        assert!(!u.public_data, "a synthetic table is not the public data");
    }

    #[test]
    fn a_synthetic_table_gets_the_budget_of_the_dataset_it_stands_for() {
        let t = nb201_full_curves(1);
        let p = runnable(&mf_nas("params", None, None), &t, "cifar100");
        assert_eq!(p.budget_s, Some(40_000.0));
        let free = runnable(&AlgoParams::new(Algo::FreeRea), &t, "cifar100");
        assert_eq!(
            free.budget_s, None,
            "FreeREA keeps its own proxy-time budget"
        );
    }

    #[test]
    fn sections_parse_by_name() {
        for s in Section::ALL {
            assert_eq!(Section::parse(s.name()).unwrap(), s);
        }
        assert!(Section::parse("table3").is_err());
    }
}
