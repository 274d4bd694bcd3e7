//! The table-backed evaluator: scores read from a benchmark table, costs from its timing
//! columns (the cost model of `docs/COST_MODEL.md`).
//!
//! A proxy evaluation costs its compute time (or, where the table has no time for that
//! architecture, the column's documented `missing_cost`). Training to epoch `e` of a
//! schedule costs `train_time_per_epoch × (e − epochs already trained on that schedule)`
//! when `e` is more than it already had (continuation, as successive halving's rungs do),
//! and `train_time_per_epoch × e` otherwise: a repeated request is a new training, as in
//! the reference code, where a revisited architecture is a new network. The per-epoch time
//! falls back to the column's documented `missing_cost` where a row has none. Epochs are
//! counted the same way; proxies count none.

use super::evaluator::{Evaluation, Evaluator};
use super::progress::TrainingProgress;
use crate::algo::EvalRequest;
use crate::algo::config::Plan;
use crate::budget::Cost;
use crate::error::{Error, Result};
use crate::objective::{Objective, ObjectiveRegistry};
use crate::space::SearchSpace;
use crate::table::{ColumnSpec, Role, ScoresAndCosts, Table};
use std::ops::Deref;
use std::sync::Arc;

/// The objectives the searcher of `plan` registers (they depend neither on the space nor
/// on the start).
pub fn objectives(plan: &Plan) -> Vec<Objective> {
    plan.objectives()
}

/// Whether a run with `objectives` reads the column `spec` through [`TableEvaluator`]: the
/// score and time columns of its proxies, the seed-mean columns of its training objectives,
/// the training time per epoch and the test columns (the reported outcome). A table decoded
/// with only these columns gives the same run as the whole table (the command line decodes
/// no more).
pub fn reads(spec: &ColumnSpec, objectives: &[Objective]) -> bool {
    match spec.role {
        Role::TrainTimePerEpoch => spec.seed.is_none() && spec.proxy.is_none(),
        Role::TestAcc | Role::TestPer => spec.seed.is_none(),
        Role::ZcScore | Role::ZcTime => objectives
            .iter()
            .any(|o| matches!(o, Objective::Proxy { name } if spec.proxy.as_deref() == Some(name))),
        role => {
            spec.seed.is_none()
                && objectives.iter().any(|o| {
                    matches!(o, Objective::Training { role: r, fidelity }
                        if *r == role && spec.fidelity.as_ref() == Some(fidelity))
                })
        }
    }
}

#[derive(Debug, Clone)]
enum Resolved {
    Proxy {
        score: usize,
        time: Option<usize>,
        missing_cost: f64,
    },
    Training {
        column: usize,
        /// The training time per epoch.
        time: usize,
        negate: bool,
        epochs: u32,
        schedule: usize,
        /// Whether another objective trains on the same schedule to another number of
        /// epochs, so that a training may continue one made before (see `new`).
        may_continue: bool,
    },
}

impl Resolved {
    /// The columns an evaluation reads: the value, and the time it costs (a proxy may have
    /// none).
    fn columns(&self) -> (usize, Option<usize>) {
        match *self {
            Resolved::Proxy { score, time, .. } => (score, time),
            Resolved::Training { column, time, .. } => (column, Some(time)),
        }
    }
}

/// Scores architectures from a table and says what they cost. `T` is how the table is held:
/// `&Table` for a run that borrows it, `Arc<Table>` for one that shares it (the explorer's
/// session).
#[derive(Debug, Clone)]
pub struct TableEvaluator<T> {
    table: T,
    resolved: Vec<Resolved>,
    test: Option<usize>,
    /// Epochs trained so far in this run, per architecture and schedule.
    trained: TrainingProgress,
    /// How to undo the training state of the last evaluation: (row, schedule, epochs it
    /// had).
    undo: Option<(u32, usize, u32)>,
    /// Per objective, its value and time columns in key order ([`Table::by_key`]), read
    /// instead of the table's rows where the table has them; empty otherwise.
    by_key: Vec<KeyOrdered>,
    /// Per objective, for a proxy read by key, its scores and costs side by side
    /// ([`Table::proxy_by_key`]): the path of nearly every evaluation of a search guided
    /// by a proxy.
    proxy_by_key: Vec<Option<ScoresAndCosts>>,
}

/// An objective's value column and time column (a proxy may have none) in key order.
type KeyOrdered = (Arc<[f64]>, Option<Arc<[f64]>>);

impl<T: Deref<Target = Table>> TableEvaluator<T> {
    /// Resolves every objective of `objectives` against `table`, failing with a clear
    /// message if the table lacks one.
    pub fn new(table: T, objectives: &ObjectiveRegistry) -> Result<Self> {
        let mut schedules: Vec<String> = Vec::new();
        let mut resolved = Vec::new();
        let needs_training = objectives
            .all()
            .iter()
            .any(|o| matches!(o, Objective::Training { .. }));
        let train_time = if needs_training {
            Some(
                table
                    .find_plain(crate::table::Role::TrainTimePerEpoch)
                    .map_err(|e| e.context("training objectives need a train time per epoch"))?,
            )
        } else {
            None
        };
        for o in objectives.all() {
            resolved.push(match o {
                Objective::Proxy { name } => {
                    let score = table.find_proxy(name)?;
                    let time = table.find_proxy_time(name);
                    let missing_cost = match time {
                        Some(t) => table.col(t).spec.missing_cost.unwrap_or(f64::NAN),
                        None => {
                            return Err(Error::missing(format!(
                                "table {} has scores for proxy {name:?} but no compute times, so its cost cannot be charged",
                                table.meta.title
                            )));
                        }
                    };
                    Resolved::Proxy { score, time, missing_cost }
                }
                Objective::Training { role, fidelity } => {
                    let column = table.find_training(*role, fidelity)?;
                    let schedule = match schedules.iter().position(|s| *s == fidelity.schedule) {
                        Some(i) => i,
                        None => {
                            schedules.push(fidelity.schedule.clone());
                            schedules.len() - 1
                        }
                    };
                    Resolved::Training {
                        column,
                        time: train_time.expect("resolved above for training objectives"),
                        negate: role.minimised(),
                        epochs: fidelity.epochs,
                        schedule,
                        may_continue: false,
                    }
                }
            });
        }
        // Where a schedule is only ever trained to one number of epochs, a repeat is charged
        // in full whether or not the earlier training is remembered (the epochs asked are
        // never more than those had): such objectives skip the bookkeeping of progress.
        let epochs_on = |s: usize, resolved: &[Resolved]| -> Vec<u32> {
            resolved
                .iter()
                .filter_map(|r| match *r {
                    Resolved::Training {
                        schedule, epochs, ..
                    } if schedule == s => Some(epochs),
                    _ => None,
                })
                .collect()
        };
        let several: Vec<bool> = (0..schedules.len())
            .map(|s| epochs_on(s, &resolved).windows(2).any(|w| w[0] != w[1]))
            .collect();
        for r in &mut resolved {
            if let Resolved::Training {
                schedule,
                may_continue,
                ..
            } = r
            {
                *may_continue = several[*schedule];
            }
        }
        let test = table.test_column().ok();
        // The first run on a table makes its key-ordered copies; they live with the table.
        let by_key = resolved
            .iter()
            .map(|r| {
                let (value, time) = r.columns();
                let time = match time {
                    Some(t) => Some(table.by_key(t)?),
                    None => None,
                };
                Some((table.by_key(value)?, time))
            })
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default();
        let proxy_by_key = resolved
            .iter()
            .map(|r| match *r {
                Resolved::Proxy {
                    score,
                    time: Some(time),
                    ..
                } => table.proxy_by_key(score, time),
                _ => None,
            })
            .collect();
        Ok(Self {
            table,
            resolved,
            test,
            trained: TrainingProgress::default(),
            undo: None,
            by_key,
            proxy_by_key,
        })
    }

    /// The table row of `arch`, or an error naming the architecture.
    #[inline(always)]
    fn row<S: SearchSpace>(&self, space: &S, arch: S::Arch) -> Result<usize> {
        match self.table.row(space.key(arch)) {
            Some(row) => Ok(row),
            None => Err(self.no_row(space, arch)),
        }
    }

    // The errors are built out of line: an evaluation is a few dozen instructions, and
    // keeping the messages' formatting out of it lets it be inlined into the run loop.

    #[cold]
    #[inline(never)]
    fn no_row<S: SearchSpace>(&self, space: &S, arch: S::Arch) -> Error {
        Error::missing(format!(
            "table {} has no row for architecture #{} {}",
            self.table.meta.title,
            space.id(arch),
            space.to_string(arch)
        ))
    }

    #[cold]
    #[inline(never)]
    fn no_proxy_time<S: SearchSpace>(&self, space: &S, arch: S::Arch, score: usize) -> Error {
        Error::missing(format!(
            "no compute time for proxy zc:{} at architecture #{} and no documented missing cost",
            // The score column is the proxy's (found by its name when resolved).
            self.table
                .col(score)
                .spec
                .proxy
                .as_deref()
                .unwrap_or_default(),
            space.id(arch)
        ))
    }

    #[cold]
    #[inline(never)]
    fn no_train_time<S: SearchSpace>(&self, space: &S, arch: S::Arch) -> Error {
        Error::missing(format!(
            "table {} has no train time for architecture #{}",
            self.table.meta.title,
            space.id(arch)
        ))
    }
}

impl<S: SearchSpace, T: Deref<Target = Table>> Evaluator<S> for TableEvaluator<T> {
    #[inline(always)]
    fn evaluate(&mut self, space: &S, ask: &EvalRequest<S::Arch>) -> Result<Evaluation> {
        self.undo = None;
        if let Some(Some(scores_and_costs)) = self.proxy_by_key.get(ask.objective) {
            let key = space.key(ask.arch) as usize;
            // A cost means the row is there (a missing row has none). Without one, the
            // general path below tells a missing row from a missing time, and reports it.
            if let Some(&[score, cost]) = scores_and_costs.get(key)
                && !cost.is_nan()
            {
                return Ok(Evaluation {
                    score: Some(score).filter(|s| !s.is_nan()),
                    cost: Cost {
                        seconds: cost,
                        epochs: 0,
                    },
                });
            }
        }
        let resolved = &self.resolved[ask.objective];
        let (value, time) = match self.by_key.get(ask.objective) {
            Some((value, time)) => {
                let key = space.key(ask.arch) as usize;
                let at = |c: &[f64]| c.get(key).copied().filter(|v| !v.is_nan());
                let (value, time) = (at(value), time.as_deref().and_then(at));
                if value.is_none() || time.is_none() {
                    // Read by key, a missing value may be a missing row: that is an error
                    // naming the architecture, not one missing measurement.
                    self.row(space, ask.arch)?;
                }
                (value, time)
            }
            None => {
                let row = self.row(space, ask.arch)?;
                let (value, time) = resolved.columns();
                let at = |c: usize| self.table.col(c).get(row);
                (at(value), time.and_then(at))
            }
        };
        match *resolved {
            Resolved::Proxy {
                score,
                missing_cost,
                ..
            } => {
                let cost = time.unwrap_or(missing_cost);
                if cost.is_nan() {
                    return Err(self.no_proxy_time(space, ask.arch, score));
                }
                Ok(Evaluation {
                    score: value,
                    cost: Cost {
                        seconds: cost,
                        epochs: 0,
                    },
                })
            }
            Resolved::Training {
                time: time_column,
                negate,
                epochs,
                schedule,
                may_continue,
                ..
            } => {
                let value = value.map(|v| if negate { -v } else { v });
                // A row without a measured time is charged the column's documented
                // missing cost, where the table has one (fragment tables).
                let Some(per_epoch) = time.or(self.table.col(time_column).spec.missing_cost) else {
                    return Err(self.no_train_time(space, ask.arch));
                };
                // Continuing to more epochs is charged the difference; asking again at or below
                // the epochs already trained is a new training, charged in full (reference:
                // only successive halving carries a network's training from rung to rung).
                let mut new_epochs = epochs;
                if may_continue {
                    let row = self.row(space, ask.arch)? as u32;
                    let trained = self.trained.epochs_mut(row, schedule);
                    let had = *trained;
                    if epochs > had {
                        new_epochs = epochs - had;
                        if ask.charge {
                            self.undo = Some((row, schedule, had));
                            *trained = epochs;
                        }
                    }
                }
                Ok(Evaluation {
                    score: value,
                    cost: Cost {
                        seconds: per_epoch * new_epochs as f64,
                        epochs: new_epochs,
                    },
                })
            }
        }
    }

    fn refund(&mut self) {
        if let Some((row, schedule, had)) = self.undo.take() {
            *self.trained.epochs_mut(row, schedule) = had;
        }
    }

    fn test_acc(&self, space: &S, arch: S::Arch) -> Option<f64> {
        let row = self.table.row(space.key(arch))?;
        self.test.and_then(|c| self.table.col(c).get(row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::config::{Algo, AlgoParams};
    use crate::experiment::run_once;
    use crate::space::nb201::Nb201;
    use crate::table::Column;

    /// `table` with only the columns `keep` selects.
    fn only(table: &Table, keep: impl Fn(&ColumnSpec) -> bool) -> Table {
        let cols: Vec<Column> = table
            .columns()
            .iter()
            .filter(|c| keep(&c.spec))
            .cloned()
            .collect();
        Table::new(table.meta.clone(), table.keys().to_vec(), cols).unwrap()
    }

    /// `table` without the row of architecture `key`.
    fn without(table: &Table, key: u64) -> Table {
        let gone = table.row(key).expect("a row to take out");
        let keep = |values: &[f64]| -> Vec<f64> {
            let rows = values.iter().enumerate().filter(|&(r, _)| r != gone);
            rows.map(|(_, &v)| v).collect()
        };
        let keys: Vec<u64> = table.keys().iter().copied().filter(|&k| k != key).collect();
        let cols = table
            .columns()
            .iter()
            .map(|c| Column::from_raw(c.spec.clone(), keep(c.raw())))
            .collect();
        Table::new(table.meta.clone(), keys, cols).unwrap()
    }

    #[test]
    fn a_column_in_key_order_holds_each_rows_value_at_its_key_and_nan_where_no_row_is() {
        let table = without(&crate::table::synthetic::nb201_full_curves(3), 77);
        for c in 0..table.columns().len() {
            let by_key = table.by_key(c).expect("NB201 keys are packed");
            for (r, &k) in table.keys().iter().enumerate() {
                let want = table.col(c).raw()[r];
                assert_eq!(by_key[k as usize].to_bits(), want.to_bits(), "column {c}");
            }
            assert!(by_key[77].is_nan());
        }
    }

    #[test]
    fn reading_by_key_an_architecture_without_a_row_is_an_error_naming_it() {
        use crate::space::nb201::Nb201Arch;
        use crate::table::Fidelity;
        let table = without(&crate::table::synthetic::nb201_full_curves(3), 77);
        let mut objectives = ObjectiveRegistry::new();
        let proxy = objectives.id(Objective::proxy("synflow"));
        let trained = Objective::training(Role::ValAcc, Fidelity::new(12, "hp200"));
        let trained = objectives.id(trained);
        let mut evaluator = TableEvaluator::new(&table, &objectives).unwrap();
        assert!(!evaluator.by_key.is_empty(), "NB201 tables are read by key");
        for objective in [proxy, trained] {
            let ask = |key| EvalRequest {
                arch: Nb201Arch(key),
                objective,
                charge: true,
            };
            let err = evaluator
                .evaluate(&Nb201, &ask(77))
                .unwrap_err()
                .to_string();
            assert!(err.contains("has no row for architecture"), "{err}");
            assert!(err.contains(&Nb201.to_string(Nb201Arch(77))), "{err}");
            let there = evaluator.evaluate(&Nb201, &ask(78)).unwrap();
            assert!(there.score.is_some() && there.cost.seconds > 0.0);
        }
    }

    /// `table` with holes in proxy `proxy`'s scores and compute times (every 7th score and
    /// every 5th time missing) and its times' documented missing cost set to `missing_cost`.
    fn with_holes(table: &Table, proxy: &str, missing_cost: Option<f64>) -> Table {
        let cols = table
            .columns()
            .iter()
            .map(|c| {
                let (mut spec, mut values) = (c.spec.clone(), c.raw().to_vec());
                let every = match spec.role {
                    Role::ZcScore => 7,
                    Role::ZcTime => 5,
                    _ => 0,
                };
                if every > 0 && spec.proxy.as_deref() == Some(proxy) {
                    values.iter_mut().step_by(every).for_each(|v| *v = f64::NAN);
                    if spec.role == Role::ZcTime {
                        spec.missing_cost = missing_cost;
                    }
                }
                Column::from_raw(spec, values)
            })
            .collect();
        Table::new(table.meta.clone(), table.keys().to_vec(), cols).unwrap()
    }

    #[test]
    fn a_proxy_read_from_its_scores_and_costs_side_by_side_answers_as_the_tables_rows_do() {
        use crate::space::nb201::Nb201Arch;
        let full = crate::table::synthetic::nb201_full_curves(3);
        for missing_cost in [Some(0.25), None] {
            for table in [
                with_holes(&full, "synflow", missing_cost),
                without(&with_holes(&full, "synflow", missing_cost), 77),
            ] {
                let mut objectives = ObjectiveRegistry::new();
                let proxy = objectives.id(Objective::proxy("synflow"));
                let mut side_by_side = TableEvaluator::new(&table, &objectives).unwrap();
                assert!(side_by_side.proxy_by_key[proxy].is_some());
                let mut by_rows = side_by_side.clone();
                by_rows.proxy_by_key.clear();
                by_rows.by_key.clear();
                let (mut missing, mut errors) = (0, 0);
                for key in 0..15_625 {
                    let ask = EvalRequest {
                        arch: Nb201Arch(key),
                        objective: proxy,
                        charge: true,
                    };
                    let got = side_by_side.evaluate(&Nb201, &ask);
                    match (got, by_rows.evaluate(&Nb201, &ask)) {
                        (Ok(got), Ok(want)) => {
                            assert_eq!(got, want, "key {key}");
                            missing += got.score.is_none() as usize;
                        }
                        (Err(got), Err(want)) => {
                            assert_eq!(got.to_string(), want.to_string(), "key {key}");
                            errors += 1;
                        }
                        (got, want) => panic!("key {key}: {got:?}, read by rows {want:?}"),
                    }
                }
                // Every kind of hole was met: missing scores, and errors for the missing
                // row and (without a documented missing cost) for missing times.
                assert!(missing > 1_500, "{missing}");
                let want_errors = (table.keys().len() < 15_625) as usize
                    + missing_cost.is_none() as usize * 15_625usize.div_ceil(5);
                assert!(errors >= want_errors, "{errors} errors, want {want_errors}");
            }
        }
    }

    #[test]
    fn a_table_of_only_the_columns_a_run_reads_gives_the_same_run() {
        let full = crate::table::synthetic::nb201_full_curves(5);
        for algo in Algo::ALL {
            let mut params = AlgoParams::new(algo);
            params.budget_s = Some(30_000.0);
            let plan = params.check(&full).unwrap();
            let objectives = objectives(&plan);
            let part = only(&full, |spec| reads(spec, &objectives));
            assert!(part.columns().len() < full.columns().len(), "{algo:?}");
            for seed in [1, 2] {
                let whole = run_once(&Nb201, &full, &plan, seed, true).unwrap();
                let plan = params.check(&part).unwrap();
                assert_eq!(
                    run_once(&Nb201, &part, &plan, seed, true).unwrap(),
                    whole,
                    "{algo:?}"
                );
            }
        }
    }
}
