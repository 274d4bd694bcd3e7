//! One table, any metric: the landscape analysis and its summary (the numbers of the
//! paper's Figs. 2 and 3 for that metric).

use super::climb::{Climb, best_improvement};
use super::network::Lon;
use super::{Fitness, Metric, Neighbourhood, fitness, resolve_metric, stats, test_accuracy};
use crate::error::{Error, Result};
use crate::space::SearchSpace;
use crate::table::{Role, Table};
use serde::{Deserialize, Serialize};

/// The fraction of the space the top-fraction overlap compares (1 %, the paper's Fig. 3).
pub const TOP_FRACTION: f64 = 0.01;

/// A table prepared for landscape analysis: its neighbourhood graph and test accuracy,
/// computed once and shared by every metric.
#[derive(Debug, Clone)]
pub struct Landscape<'a, S: SearchSpace> {
    /// The search space.
    pub space: &'a S,
    /// The table.
    pub table: &'a Table,
    /// Every architecture and its 1-opt neighbours.
    pub nb: Neighbourhood,
    /// Test accuracy by node (`NaN` where missing).
    pub test: Vec<f64>,
}

/// The analysis of one metric.
#[derive(Debug, Clone)]
pub struct MetricLandscape {
    /// The metric.
    pub metric: Metric,
    /// Its fitness by node.
    pub fitness: Fitness,
    /// Hill climbing from every node.
    pub climb: Climb,
    /// The local optima network.
    pub lon: Lon,
    /// The numbers.
    pub summary: Summary,
}

/// The numbers for one metric on one table (`mfnas landscape --format json`).
///
/// Fitness is oriented (larger is better; losses negated, see `negated`). Correlations use
/// the oriented fitness, so a positive value means "a better fitness goes with a better
/// test accuracy" for every metric.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LandscapeSummary {
    /// The metric's column name, e.g. `"zc:nwot"`.
    pub metric: String,
    /// What the column measures.
    pub role: Role,
    /// Whether the column was negated (losses).
    pub negated: bool,
    /// The fidelity of a training-based column, e.g. `"200"` or `"12@hp12"`.
    pub fidelity: Option<String>,
    /// The table's dataset.
    pub dataset: String,
    /// The table's title.
    pub table: String,
    /// Architectures in the space.
    pub n_archs: usize,
    /// Architectures with no value for the metric (scored `-inf`: worse than any value, all tied).
    pub n_missing: usize,
    /// Architectures with both a metric value and a test accuracy (the correlations' sample).
    pub n_scored: usize,
    /// Scored local optima of best-improvement hill climbing (the paper's Fig. 2a count).
    pub n_optima: usize,
    /// Local optima without a metric value (every neighbour missing too): artefacts of
    /// missing data, kept in the networks (fitness `null`) but not in `n_optima`.
    pub n_unscored_optima: usize,
    /// Global optima (scored optima of the best fitness).
    pub n_global_optima: usize,
    /// Their architecture ids ([`SearchSpace::id`]), in key order.
    pub global_optima: Vec<u64>,
    /// Their human-readable form.
    pub global_optima_arch: Vec<String>,
    /// Their test accuracy (`null` where the table has none).
    pub global_optima_test_acc: Vec<Option<f64>>,
    /// Mean test accuracy of the global optima.
    pub global_optima_mean_test_acc: Option<f64>,
    /// Mean test accuracy of all scored local optima.
    pub optima_mean_test_acc: Option<f64>,
    /// The best fitness (oriented).
    pub best_fitness: Option<f64>,
    /// Size of the largest basin.
    pub largest_basin: usize,
    /// Escape edges of the LON (self-loops included).
    pub n_lon_edges: usize,
    /// Edges of the monotonic LON.
    pub n_mlon_edges: usize,
    /// Plateaus (nodes) of the compressed MLON.
    pub n_cmlon_nodes: usize,
    /// Edges of the compressed MLON.
    pub n_cmlon_edges: usize,
    /// Sinks of the compressed MLON (funnel bottoms).
    pub n_sinks: usize,
    /// Share of the scored optima from which a global optimum is reachable in the MLON.
    pub funnel_share: f64,
    /// Spearman's rho with test accuracy over the `n_scored` architectures.
    pub spearman: Option<f64>,
    /// Kendall's tau-b with test accuracy over the `n_scored` architectures.
    pub kendall: Option<f64>,
    /// The size of the top fraction compared (1 % of the architectures with a test accuracy).
    pub top1_k: usize,
    /// The test accuracy of the `top1_k`-th most accurate architecture.
    pub top1_test_threshold: Option<f64>,
    /// How many of the `top1_k` most accurate architectures are among the metric's `top1_k`
    /// best (ties by smaller key; missing values never in the top).
    pub top1_overlap: usize,
}

/// The summary's short name. (The struct has a unique name because the explorer's
/// TypeScript types, generated from the Rust types, share one namespace with
/// [`crate::experiment::Summary`].)
pub type Summary = LandscapeSummary;

impl<'a, S: SearchSpace> Landscape<'a, S> {
    /// Prepares `table` (which must hold the whole space) for analysis.
    pub fn new(space: &'a S, table: &'a Table) -> Result<Self> {
        let nb = Neighbourhood::of_table(space, table)
            .map_err(|e| e.context(format!("landscape of table {}", table.meta.title)))?;
        let test = test_accuracy(table, &nb);
        Ok(Self {
            space,
            table,
            nb,
            test,
        })
    }

    /// Analyses the metric called `name` (a column name or a proxy name).
    pub fn analyse(&self, name: &str) -> Result<MetricLandscape> {
        let metric = resolve_metric(self.table, name)?;
        let fit = fitness(self.table, &self.nb, &metric);
        if fit.n_missing == self.nb.len() {
            return Err(Error::missing(format!(
                "metric {} has no value on any architecture of table {}",
                metric.name, self.table.meta.title
            )));
        }
        let climb = best_improvement(&self.nb, &fit.values);
        let lon = Lon::build(self.space, &self.nb, &climb, &fit.values)?;
        let summary = self.summarise(&metric, &fit, &lon);
        Ok(MetricLandscape {
            metric,
            fitness: fit,
            climb,
            lon,
            summary,
        })
    }

    fn summarise(&self, metric: &Metric, fit: &Fitness, lon: &Lon) -> Summary {
        let test = &self.test;
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for (&f, &t) in fit.values.iter().zip(test) {
            if f != f64::NEG_INFINITY && !t.is_nan() {
                xs.push(f);
                ys.push(t);
            }
        }
        let n_test = test.iter().filter(|t| !t.is_nan()).count();
        let top1_k = (n_test as f64 * TOP_FRACTION).floor() as usize;
        let globals = lon.global_optima();
        let global_nodes: Vec<u32> = globals.iter().map(|&o| lon.nodes[o as usize]).collect();
        let global_test: Vec<Option<f64>> = global_nodes
            .iter()
            .map(|&x| Some(test[x as usize]).filter(|t| !t.is_nan()))
            .collect();
        let scored_optima_test: Vec<f64> = lon
            .nodes
            .iter()
            .map(|&x| x as usize)
            .filter(|&x| fit.values[x] != f64::NEG_INFINITY)
            .map(|x| test[x])
            .collect();
        let cmlon = lon.compress();
        Summary {
            metric: metric.name.clone(),
            role: metric.role,
            negated: metric.negated,
            fidelity: self
                .table
                .col(metric.column)
                .spec
                .fidelity
                .as_ref()
                .map(|f| f.label()),
            dataset: self.table.meta.dataset.clone(),
            table: self.table.meta.title.clone(),
            n_archs: self.nb.len(),
            n_missing: fit.n_missing,
            n_scored: xs.len(),
            n_optima: lon.len() - lon.n_unscored(),
            n_unscored_optima: lon.n_unscored(),
            n_global_optima: globals.len(),
            global_optima: global_nodes
                .iter()
                .map(|&x| self.id(self.nb.key(x)))
                .collect(),
            global_optima_arch: global_nodes
                .iter()
                .map(|&x| self.arch_string(self.nb.key(x)))
                .collect(),
            global_optima_mean_test_acc: mean_present(global_test.iter().flatten().copied()),
            global_optima_test_acc: global_test,
            optima_mean_test_acc: mean_present(scored_optima_test.into_iter()),
            best_fitness: lon.best,
            largest_basin: lon.basin_size.iter().copied().max().unwrap_or(0) as usize,
            n_lon_edges: lon.edges.len(),
            n_mlon_edges: lon.mlon_edges().len(),
            n_cmlon_nodes: cmlon.plateaus.len(),
            n_cmlon_edges: cmlon.edges.len(),
            n_sinks: cmlon.sinks().iter().filter(|&&s| s).count(),
            funnel_share: lon.funnel_share(),
            spearman: stats::spearman(&xs, &ys),
            kendall: stats::kendall_tau_b(&xs, &ys),
            top1_k,
            top1_test_threshold: stats::top_k(test, top1_k).last().map(|&i| test[i]),
            top1_overlap: stats::top_overlap(&fit.values, test, top1_k),
        }
    }

    /// The id a person sees of the architecture stored under `key`.
    pub fn id(&self, key: u64) -> u64 {
        self.space
            .from_key(key)
            .map(|a| self.space.id(a))
            .unwrap_or(key)
    }

    /// The human-readable form of the architecture stored under `key`.
    pub fn arch_string(&self, key: u64) -> String {
        self.space
            .from_key(key)
            .map(|a| self.space.to_string(a))
            .unwrap_or_else(|| format!("key {key}"))
    }
}

fn mean_present(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (mut s, mut n) = (0.0, 0usize);
    for v in values.filter(|v| !v.is_nan()) {
        s += v;
        n += 1;
    }
    (n > 0).then(|| s / n as f64)
}

/// The metrics of the landscape grid of `table`, as column names: every zero-cost proxy,
/// every seed-mean training-based column (validation/training accuracy and loss at each
/// fidelity) and the test accuracy as the reference.
pub fn grid_metrics(table: &Table) -> Vec<String> {
    let test = table.test_column().ok();
    table
        .columns()
        .iter()
        .enumerate()
        .filter(|(i, c)| match c.spec.role {
            Role::ZcScore => true,
            Role::ValAcc | Role::ValLoss | Role::TrainAcc | Role::TrainLoss => {
                c.spec.seed.is_none()
            }
            Role::TestAcc => Some(*i) == test,
            _ => false,
        })
        .map(|(_, c)| c.spec.name.clone())
        .collect()
}

/// What kind of metric a column is, for the paper's comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    /// A zero-cost proxy.
    ZeroCost,
    /// A training-based metric (validation/training accuracy or loss).
    Training,
    /// Test accuracy, the reference.
    Reference,
    /// Anything else.
    Other,
}

impl MetricKind {
    /// The kind of a column with `role`.
    pub fn of(role: Role) -> Self {
        match role {
            Role::ZcScore => MetricKind::ZeroCost,
            Role::ValAcc | Role::ValLoss | Role::TrainAcc | Role::TrainLoss => MetricKind::Training,
            Role::TestAcc => MetricKind::Reference,
            _ => MetricKind::Other,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::space::nb201::Nb201;
    use crate::table::synthetic;

    #[test]
    fn test_accuracy_as_fitness_correlates_perfectly_with_itself() {
        let table = synthetic::nb201_full_curves(3);
        let land = Landscape::new(&Nb201, &table).unwrap();
        let s = land.analyse("test_acc@200").unwrap().summary;
        assert_eq!(s.spearman, Some(1.0));
        assert!((s.kendall.unwrap() - 1.0).abs() < 1e-12);
        assert_eq!(s.top1_overlap, s.top1_k);
        assert_eq!(s.top1_k, 156);
    }

    #[test]
    fn the_global_optimum_of_test_accuracy_is_the_most_accurate_architecture() {
        let table = synthetic::nb201_full_curves(3);
        let land = Landscape::new(&Nb201, &table).unwrap();
        let s = land.analyse("test_acc@200").unwrap().summary;
        let best = land.test.iter().copied().fold(f64::MIN, f64::max);
        assert_eq!(s.global_optima_test_acc, vec![Some(best)]);
    }

    #[test]
    fn the_grid_has_proxies_training_metrics_and_the_reference() {
        let table = synthetic::nb201_full_curves(3);
        let m = grid_metrics(&table);
        assert!(m.contains(&"zc:synflow".to_string()));
        assert!(m.contains(&"train_loss@200".to_string()));
        assert!(m.contains(&"val_acc@12@hp12".to_string()));
        assert!(m.contains(&"test_acc@200".to_string()));
        assert!(!m.iter().any(|c| c.starts_with("zc_time")));
    }

    #[test]
    fn missing_values_are_counted_in_the_summary() {
        let mut table = synthetic::nb201_full_curves(3);
        table = with_missing_synflow_on_disconnected_cells(table);
        let land = Landscape::new(&Nb201, &table).unwrap();
        let s = land.analyse("synflow").unwrap().summary;
        let disconnected = (0..15_625u16)
            .filter(|&c| !crate::space::nb201::Nb201Arch(c).is_connected())
            .count();
        assert!(disconnected > 0);
        assert_eq!(s.n_missing, disconnected);
        assert_eq!(s.n_scored, 15_625 - disconnected);
        // Every disconnected NB201 cell has a connected neighbour (set edge 0→3), so none of
        // them is an optimum.
        assert_eq!(s.n_unscored_optima, 0);
    }

    /// The synthetic table with synflow missing where NAS-Bench-Suite-Zero has no score.
    pub(crate) fn with_missing_synflow_on_disconnected_cells(table: Table) -> Table {
        use crate::space::nb201::Nb201Arch;
        use crate::table::Column;
        let cols: Vec<Column> = table
            .columns()
            .iter()
            .map(|c| {
                if c.spec.name != "zc:synflow" {
                    return c.clone();
                }
                let v = table
                    .keys()
                    .iter()
                    .enumerate()
                    .map(|(r, &k)| {
                        Some(c.get(r).unwrap()).filter(|_| Nb201Arch(k as u16).is_connected())
                    })
                    .collect();
                Column::from_options(c.spec.clone(), v)
            })
            .collect();
        Table::new(table.meta.clone(), table.keys().to_vec(), cols).unwrap()
    }
}
