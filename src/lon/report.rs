//! The whole grid (every metric × dataset) and the check of the paper's landscape findings
//! (listed in `docs/ARCHITECTURE.md`, "Landscapes") against it. Verdicts are computed from
//! the grid's numbers; nothing here knows what the paper's outcome was.

use super::landscape::{Landscape, MetricKind, Summary, grid_metrics};
use super::trend::{Trend, TrendParams, search_trend};
use crate::error::Result;
use crate::space::SearchSpace;
use crate::table::Table;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

/// Every metric of every table: `mfnas landscape --all`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// The search space.
    pub space: String,
    /// The datasets, in the order given.
    pub datasets: Vec<String>,
    /// One summary per (dataset, metric), datasets in order, metrics in column order.
    pub landscapes: Vec<Summary>,
    /// Search trends (only when asked for).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub trends: Vec<DatasetTrend>,
    /// The paper's findings checked on this grid.
    pub findings: Vec<Finding>,
}

/// A search trend with its dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetTrend {
    /// The dataset.
    pub dataset: String,
    /// The trend.
    pub trend: Trend,
}

/// The (dataset, metric) jobs of a grid over `tables`, in report order.
pub fn grid_jobs(tables: &[&Table]) -> Vec<(usize, String)> {
    tables
        .iter()
        .enumerate()
        .flat_map(|(i, t)| grid_metrics(t).into_iter().map(move |m| (i, m)))
        .collect()
}

/// Builds the grid sequentially (the command line runs the same jobs in parallel and
/// assembles them with [`assemble`]).
pub fn grid<S: SearchSpace + Clone + 'static>(
    space: &S,
    tables: &[&Table],
    trend: Option<TrendParams>,
) -> Result<Grid> {
    let lands = tables
        .iter()
        .map(|t| Landscape::new(space, t))
        .collect::<Result<Vec<_>>>()?;
    let mut summaries = Vec::new();
    let mut trends = Vec::new();
    for (i, m) in grid_jobs(tables) {
        let (s, t) = grid_job(&lands[i], &m, trend)?;
        summaries.push(s);
        trends.extend(t);
    }
    Ok(assemble(space, tables, summaries, trends))
}

/// One grid cell: the summary of `metric` and, if asked, its trend.
pub fn grid_job<S: SearchSpace + Clone + 'static>(
    land: &Landscape<'_, S>,
    metric: &str,
    trend: Option<TrendParams>,
) -> Result<(Summary, Option<DatasetTrend>)> {
    let res = land.analyse(metric)?;
    let t = match trend {
        Some(p) => Some(DatasetTrend {
            dataset: land.table.meta.dataset.clone(),
            trend: search_trend(
                land.space,
                &land.nb,
                &res.metric.name,
                &res.fitness.values,
                res.fitness.n_missing,
                &land.test,
                p,
            )?,
        }),
        None => None,
    };
    Ok((res.summary, t))
}

/// Puts computed cells together and checks the findings.
pub fn assemble<S: SearchSpace>(
    space: &S,
    tables: &[&Table],
    landscapes: Vec<Summary>,
    trends: Vec<DatasetTrend>,
) -> Grid {
    let datasets: Vec<String> = tables.iter().map(|t| t.meta.dataset.clone()).collect();
    let findings = check_findings(&datasets, &landscapes);
    Grid {
        space: space.name().to_string(),
        datasets,
        landscapes,
        trends,
        findings,
    }
}

/// Whether a finding holds on our data.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// It holds on every dataset where it can be tested.
    Holds,
    /// It holds on some testable datasets and not on others.
    Partly,
    /// It holds on none of the testable datasets.
    DoesNotHold,
    /// No dataset has the metrics it needs.
    NotTestable,
}

impl Verdict {
    /// Words for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Partly => "holds partly",
            Verdict::DoesNotHold => "does not hold",
            Verdict::NotTestable => "not testable",
        }
    }
}

/// The check of one finding on one dataset.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetCheck {
    /// The dataset.
    pub dataset: String,
    /// `Some(true)` holds, `Some(false)` does not, `None` not testable (metrics absent).
    pub holds: Option<bool>,
    /// The numbers behind it.
    pub evidence: String,
}

/// One of the paper's findings, checked.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Short identifier.
    pub id: String,
    /// The paper's claim.
    pub claim: String,
    /// How "holds" is decided on one dataset.
    pub criterion: String,
    /// The overall verdict.
    pub verdict: Verdict,
    /// Per dataset.
    pub datasets: Vec<DatasetCheck>,
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}"))
        .unwrap_or_else(|| "n/a".to_string())
}

fn fmt_rho(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.3}"))
        .unwrap_or_else(|| "n/a".to_string())
}

/// The proxy name of a zero-cost column (`"zc:nwot"` → `"nwot"`).
fn proxy_name(s: &Summary) -> Option<&str> {
    s.metric.strip_prefix("zc:")
}

fn finding(
    id: &str,
    claim: &str,
    criterion: &str,
    datasets: &[String],
    grid: &[Summary],
    check: impl Fn(&[&Summary]) -> Option<(bool, String)>,
) -> Finding {
    let checks: Vec<DatasetCheck> = datasets
        .iter()
        .map(|d| {
            let rows: Vec<&Summary> = grid.iter().filter(|s| &s.dataset == d).collect();
            match check(&rows) {
                Some((holds, evidence)) => DatasetCheck {
                    dataset: d.clone(),
                    holds: Some(holds),
                    evidence,
                },
                None => DatasetCheck {
                    dataset: d.clone(),
                    holds: None,
                    evidence: "the metrics it needs are not in this table".to_string(),
                },
            }
        })
        .collect();
    let tested: Vec<bool> = checks.iter().filter_map(|c| c.holds).collect();
    let verdict = if tested.is_empty() {
        Verdict::NotTestable
    } else if tested.iter().all(|&h| h) {
        Verdict::Holds
    } else if tested.iter().any(|&h| h) {
        Verdict::Partly
    } else {
        Verdict::DoesNotHold
    };
    Finding {
        id: id.to_string(),
        claim: claim.to_string(),
        criterion: criterion.to_string(),
        verdict,
        datasets: checks,
    }
}

fn kind(s: &Summary) -> MetricKind {
    MetricKind::of(s.role)
}

fn proxy<'a>(rows: &[&'a Summary], name: &str) -> Option<&'a Summary> {
    rows.iter()
        .copied()
        .find(|s| kind(s) == MetricKind::ZeroCost && proxy_name(s) == Some(name))
}

fn mean(v: &[f64]) -> Option<f64> {
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// Checks the paper's five landscape findings on a grid.
pub fn check_findings(datasets: &[String], grid: &[Summary]) -> Vec<Finding> {
    vec![
        finding(
            "flops_params_unimodal",
            "FLOPs and params landscapes are uni-modal on all datasets",
            "zc:flops and zc:params each have exactly one local optimum",
            datasets,
            grid,
            |rows| {
                let present: Vec<&Summary> = ["flops", "params"]
                    .iter()
                    .filter_map(|p| proxy(rows, p))
                    .collect();
                if present.is_empty() {
                    return None;
                }
                let ev = present
                    .iter()
                    .map(|s| {
                        format!(
                            "{}: {} optima ({} plateaus in the CMLON, {} missing)",
                            s.metric, s.n_optima, s.n_cmlon_nodes, s.n_missing
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let absent: Vec<&str> = ["flops", "params"]
                    .into_iter()
                    .filter(|p| proxy(rows, p).is_none())
                    .collect();
                let ev = if absent.is_empty() {
                    ev
                } else {
                    format!("{ev}; absent: {}", absent.join(", "))
                };
                Some((present.iter().all(|s| s.n_optima == 1), ev))
            },
        ),
        finding(
            "zc_optima_poor",
            "The optima of zero-cost proxies have poor test accuracy",
            "the mean test accuracy of the proxies' global optima is below that of the \
             training-based metrics' global optima",
            datasets,
            grid,
            |rows| {
                let acc = |k: MetricKind| -> Vec<f64> {
                    rows.iter()
                        .filter(|s| kind(s) == k)
                        .filter_map(|s| s.global_optima_mean_test_acc)
                        .collect()
                };
                let (zc, tr) = (acc(MetricKind::ZeroCost), acc(MetricKind::Training));
                let (mz, mt) = (mean(&zc)?, mean(&tr)?);
                let outside = rows
                    .iter()
                    .filter(|s| kind(s) == MetricKind::ZeroCost)
                    .filter(|s| {
                        s.global_optima_mean_test_acc
                            .is_some_and(|a| a < top1_threshold(rows).unwrap_or(f64::INFINITY))
                    })
                    .count();
                Some((
                    mz < mt,
                    format!(
                        "global optima mean test acc: {} proxies {:.2}, {} training-based metrics \
                         {:.2}; {outside} of {} proxies' global optima are below the top-1% test \
                         accuracy {}",
                        zc.len(),
                        mz,
                        tr.len(),
                        mt,
                        zc.len(),
                        fmt_opt(top1_threshold(rows))
                    ),
                ))
            },
        ),
        finding(
            "nwot_not_best_guide",
            "NWOT (Spearman ≈ 0.8) is not the best guide",
            "some other zero-cost proxy has more accurate global optima than zc:nwot",
            datasets,
            grid,
            |rows| {
                let nwot = proxy(rows, "nwot")?;
                let na = nwot.global_optima_mean_test_acc?;
                let best = rows
                    .iter()
                    .filter(|s| kind(s) == MetricKind::ZeroCost && s.metric != nwot.metric)
                    .filter_map(|s| s.global_optima_mean_test_acc.map(|a| (a, *s)))
                    .max_by(|a, b| a.0.total_cmp(&b.0))?;
                let rank = 1 + rows
                    .iter()
                    .filter(|s| kind(s) == MetricKind::ZeroCost)
                    .filter(|s| s.spearman.unwrap_or(f64::MIN) > nwot.spearman.unwrap_or(f64::MIN))
                    .count();
                Some((
                    best.0 > na,
                    format!(
                        "nwot: Spearman {} (rank {rank} among proxies), global optima test acc \
                         {na:.2}; best other proxy {} at {:.2} (Spearman {})",
                        fmt_rho(nwot.spearman),
                        best.1.metric,
                        best.0,
                        fmt_rho(best.1.spearman)
                    ),
                ))
            },
        ),
        finding(
            "zen_beats_snip_gradnorm",
            "Snip / Grad-norm (Spearman ≈ 0.6) are beaten by Zen (≈ 0.3) at their optima",
            "zc:zen's global optima are more accurate than those of zc:snip and zc:grad_norm",
            datasets,
            grid,
            |rows| {
                let zen = proxy(rows, "zen")?;
                let za = zen.global_optima_mean_test_acc?;
                let others: Vec<&Summary> = ["snip", "grad_norm"]
                    .iter()
                    .filter_map(|p| proxy(rows, p))
                    .collect();
                if others.is_empty() {
                    return None;
                }
                let mut holds = true;
                let mut ev = format!(
                    "zen: Spearman {}, global optima test acc {za:.2}",
                    fmt_rho(zen.spearman)
                );
                for o in others {
                    let oa = o.global_optima_mean_test_acc;
                    holds &= oa.is_some_and(|a| za > a);
                    let _ = write!(
                        ev,
                        "; {}: Spearman {}, {}",
                        o.metric,
                        fmt_rho(o.spearman),
                        fmt_opt(oa)
                    );
                }
                Some((holds, ev))
            },
        ),
        finding(
            "train_loss_optima_best",
            "Training-loss optima are the most accurate among training-based metrics",
            "at every fidelity with a training loss, its global optima are at least as accurate \
             as those of every other training-based metric at that fidelity",
            datasets,
            grid,
            |rows| {
                let training: Vec<(&Summary, f64)> = rows
                    .iter()
                    .filter(|s| kind(s) == MetricKind::Training)
                    .filter_map(|s| s.global_optima_mean_test_acc.map(|a| (*s, a)))
                    .collect();
                let is_loss = |s: &Summary| s.role == crate::table::Role::TrainLoss;
                let mut holds = true;
                let mut parts = Vec::new();
                for (loss, la) in training.iter().filter(|(s, _)| is_loss(s)) {
                    let rivals: Vec<&(&Summary, f64)> = training
                        .iter()
                        .filter(|(s, _)| !is_loss(s) && s.fidelity == loss.fidelity)
                        .collect();
                    if rivals.is_empty() {
                        continue;
                    }
                    holds &= rivals.iter().all(|(_, a)| la >= a);
                    let r = rivals
                        .iter()
                        .map(|(s, a)| format!("{} {a:.2}", s.metric))
                        .collect::<Vec<_>>()
                        .join(", ");
                    parts.push(format!("{} {la:.2} vs {r}", loss.metric));
                }
                if parts.is_empty() {
                    return None;
                }
                Some((
                    holds,
                    format!("global optima test acc: {}", parts.join("; ")),
                ))
            },
        ),
    ]
}

/// The test accuracy of the last architecture in the top 1% (the same on every row of a dataset).
fn top1_threshold(rows: &[&Summary]) -> Option<f64> {
    rows.first().and_then(|s| s.top1_test_threshold)
}

/// The findings as text: one block per finding, verdict first, then the numbers per dataset.
pub fn findings_text(findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        let _ = writeln!(s, "[{}] {}", f.verdict.as_str().to_uppercase(), f.claim);
        let _ = writeln!(s, "    criterion: {}", f.criterion);
        for d in &f.datasets {
            let v = match d.holds {
                Some(true) => "holds",
                Some(false) => "does not hold",
                None => "not testable",
            };
            let _ = writeln!(s, "    {:<16} {:<14} {}", d.dataset, v, d.evidence);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::Role;

    fn row(dataset: &str, metric: &str, role: Role, n_optima: usize, acc: f64) -> Summary {
        Summary {
            metric: metric.to_string(),
            role,
            negated: role.minimised(),
            fidelity: (role != Role::ZcScore).then(|| "200".to_string()),
            dataset: dataset.to_string(),
            table: format!("test {dataset}"),
            n_archs: 10,
            n_missing: 0,
            n_scored: 10,
            n_optima,
            n_unscored_optima: 0,
            n_global_optima: 1,
            global_optima: vec![0],
            global_optima_arch: vec!["a".into()],
            global_optima_test_acc: vec![Some(acc)],
            global_optima_mean_test_acc: Some(acc),
            optima_mean_test_acc: Some(acc),
            best_fitness: Some(1.0),
            largest_basin: 10,
            n_lon_edges: 1,
            n_mlon_edges: 1,
            n_cmlon_nodes: n_optima,
            n_cmlon_edges: 0,
            n_sinks: 1,
            funnel_share: 1.0,
            spearman: Some(0.5),
            kendall: Some(0.4),
            top1_k: 1,
            top1_test_threshold: Some(94.0),
            top1_overlap: 0,
        }
    }

    fn verdict(id: &str, datasets: &[&str], grid: &[Summary]) -> Verdict {
        let ds: Vec<String> = datasets.iter().map(|d| d.to_string()).collect();
        check_findings(&ds, grid)
            .into_iter()
            .find(|f| f.id == id)
            .unwrap()
            .verdict
    }

    #[test]
    fn unimodal_flops_and_params_on_every_dataset_hold() {
        let g = vec![
            row("a", "zc:flops", Role::ZcScore, 1, 93.0),
            row("a", "zc:params", Role::ZcScore, 1, 93.0),
            row("b", "zc:params", Role::ZcScore, 1, 70.0),
        ];
        assert_eq!(
            verdict("flops_params_unimodal", &["a", "b"], &g),
            Verdict::Holds
        );
    }

    #[test]
    fn a_second_params_optimum_on_one_dataset_makes_unimodality_hold_partly() {
        let g = vec![
            row("a", "zc:params", Role::ZcScore, 1, 93.0),
            row("b", "zc:params", Role::ZcScore, 2, 70.0),
        ];
        assert_eq!(
            verdict("flops_params_unimodal", &["a", "b"], &g),
            Verdict::Partly
        );
    }

    #[test]
    fn a_finding_without_its_metrics_is_not_testable() {
        let g = vec![row("a", "zc:params", Role::ZcScore, 1, 93.0)];
        assert_eq!(
            verdict("zen_beats_snip_gradnorm", &["a"], &g),
            Verdict::NotTestable
        );
        assert_eq!(
            verdict("nwot_not_best_guide", &["a"], &g),
            Verdict::NotTestable
        );
    }

    #[test]
    fn zen_with_more_accurate_optima_than_snip_and_grad_norm_holds() {
        let g = vec![
            row("a", "zc:zen", Role::ZcScore, 5, 93.5),
            row("a", "zc:snip", Role::ZcScore, 5, 90.0),
            row("a", "zc:grad_norm", Role::ZcScore, 5, 91.0),
        ];
        assert_eq!(
            verdict("zen_beats_snip_gradnorm", &["a"], &g),
            Verdict::Holds
        );
    }

    #[test]
    fn zen_behind_grad_norm_does_not_hold() {
        let g = vec![
            row("a", "zc:zen", Role::ZcScore, 5, 90.5),
            row("a", "zc:snip", Role::ZcScore, 5, 90.0),
            row("a", "zc:grad_norm", Role::ZcScore, 5, 91.0),
        ];
        assert_eq!(
            verdict("zen_beats_snip_gradnorm", &["a"], &g),
            Verdict::DoesNotHold
        );
    }

    #[test]
    fn nwot_with_the_most_accurate_optima_is_the_best_guide_so_the_claim_fails() {
        let g = vec![
            row("a", "zc:nwot", Role::ZcScore, 5, 93.9),
            row("a", "zc:snip", Role::ZcScore, 5, 90.0),
        ];
        assert_eq!(
            verdict("nwot_not_best_guide", &["a"], &g),
            Verdict::DoesNotHold
        );
    }

    #[test]
    fn proxies_with_worse_optima_than_training_metrics_are_poor() {
        let g = vec![
            row("a", "zc:snip", Role::ZcScore, 5, 90.0),
            row("a", "zc:nwot", Role::ZcScore, 5, 92.0),
            row("a", "val_acc@200", Role::ValAcc, 5, 93.9),
        ];
        assert_eq!(verdict("zc_optima_poor", &["a"], &g), Verdict::Holds);
    }

    #[test]
    fn training_loss_optima_compare_with_other_metrics_at_the_same_fidelity() {
        let mut other = row("a", "val_acc@12@hp12", Role::ValAcc, 5, 99.0);
        other.fidelity = Some("12@hp12".into());
        let g = vec![
            row("a", "train_loss@200", Role::TrainLoss, 5, 94.0),
            row("a", "val_acc@200", Role::ValAcc, 5, 93.0),
            other,
        ];
        assert_eq!(
            verdict("train_loss_optima_best", &["a"], &g),
            Verdict::Holds
        );
    }
}
