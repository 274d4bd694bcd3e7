//! The runner: owns the table, the budget and the simulated clock, and drives an
//! algorithm's ask/tell loop. Algorithms never see the table.
//!
//! Cost model (SPEC §2): a proxy evaluation costs its compute time (or, where the table has
//! no time for that architecture, the column's documented `missing_cost`); training to epoch
//! `e` of a schedule costs `train_time_per_epoch × (e − epochs already trained on that
//! schedule)` when `e` is more than it already had (continuation credit), and
//! `train_time_per_epoch × e` otherwise: a repeated request is a new training, as in the
//! reference code, where a revisited architecture is a new network. The per-epoch time
//! falls back to the column's documented `missing_cost` where a row has none. Epochs are
//! counted the same way; proxies count none.

use crate::algo::{Ask, Searcher, Told};
use crate::error::{Error, Result};
use crate::event::{Event, Events};
use crate::objective::{Objective, ObjectiveRegistry};
use crate::rng::Rng;
use crate::space::SearchSpace;
use crate::table::Table;
use serde::{Deserialize, Serialize};

/// Limits of a run. The time budget is in simulated seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// Seconds of simulated cost; `None` for no limit.
    pub seconds: Option<f64>,
    /// Charged evaluations; `None` for no limit.
    pub evals: Option<u64>,
}

/// What has been spent so far.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Spent {
    /// Simulated seconds.
    pub seconds: f64,
    /// Epochs trained.
    pub epochs: u64,
    /// Charged evaluations.
    pub evals: u64,
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
        negate: bool,
        epochs: u32,
        schedule: usize,
    },
}

/// Scores architectures from a table and charges their cost.
#[derive(Debug, Clone)]
pub struct TableEvaluator<'t> {
    table: &'t Table,
    resolved: Vec<Resolved>,
    labels: Vec<String>,
    train_time: Option<usize>,
    test: Option<usize>,
    /// (row, schedule, epochs trained) for every architecture trained in this run.
    trained: Vec<(u32, usize, u32)>,
    schedules: Vec<String>,
}

/// The result of one evaluation, before it is told to the algorithm.
#[derive(Debug, Clone, Copy)]
pub struct Evaluation {
    /// Oriented score (larger is better), `None` if the table has no value.
    pub score: Option<f64>,
    /// Seconds charged.
    pub cost_s: f64,
    /// Epochs charged.
    pub epochs: u32,
}

impl<'t> TableEvaluator<'t> {
    /// Resolves every objective of `objectives` against `table`, failing with a clear
    /// message if the table lacks one.
    pub fn new(table: &'t Table, objectives: &ObjectiveRegistry) -> Result<Self> {
        let mut schedules: Vec<String> = Vec::new();
        let mut resolved = Vec::new();
        let mut needs_training = false;
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
                    needs_training = true;
                    let column = table.find_training(*role, fidelity)?;
                    let schedule = match schedules.iter().position(|s| *s == fidelity.schedule) {
                        Some(i) => i,
                        None => {
                            schedules.push(fidelity.schedule.clone());
                            schedules.len() - 1
                        }
                    };
                    Resolved::Training { column, negate: role.minimised(), epochs: fidelity.epochs, schedule }
                }
            });
        }
        let train_time = if needs_training {
            Some(
                table
                    .find_plain(crate::table::Role::TrainTimePerEpoch)
                    .map_err(|e| e.context("training objectives need a train time per epoch"))?,
            )
        } else {
            None
        };
        let test = table.test_column().ok();
        let labels = objectives.all().iter().map(Objective::label).collect();
        Ok(Self {
            table,
            resolved,
            labels,
            train_time,
            test,
            trained: Vec::new(),
            schedules,
        })
    }

    /// Forgets what was trained (a new run starts).
    pub fn reset(&mut self) {
        self.trained.clear();
    }

    /// The label of objective `id`.
    pub fn label(&self, id: usize) -> &str {
        &self.labels[id]
    }

    /// The test accuracy of the architecture with table key `key`.
    pub fn test_acc(&self, key: u64) -> Option<f64> {
        let row = self.table.row(key)?;
        self.test.and_then(|c| self.table.col(c).get(row))
    }

    /// Scores `key` on objective `id` and computes its cost. `charge` false (free warm-up
    /// evaluations) leaves the training state untouched.
    pub fn evaluate(
        &mut self,
        key: u64,
        id: usize,
        charge: bool,
    ) -> Result<(Evaluation, Option<(usize, u32)>)> {
        let row = self.table.row(key).ok_or_else(|| {
            Error::missing(format!(
                "table {} has no row for architecture key {key}",
                self.table.meta.title
            ))
        })?;
        match self.resolved[id] {
            Resolved::Proxy {
                score,
                time,
                missing_cost,
            } => {
                let s = self.table.col(score).get(row);
                let cost = time
                    .and_then(|t| self.table.col(t).get(row))
                    .unwrap_or(missing_cost);
                if cost.is_nan() {
                    return Err(Error::missing(format!(
                        "no compute time for proxy {} at key {key} and no documented missing cost",
                        self.labels[id]
                    )));
                }
                Ok((
                    Evaluation {
                        score: s,
                        cost_s: cost,
                        epochs: 0,
                    },
                    None,
                ))
            }
            Resolved::Training {
                column,
                negate,
                epochs,
                schedule,
            } => {
                let v = self
                    .table
                    .col(column)
                    .get(row)
                    .map(|v| if negate { -v } else { v });
                // A row without a measured time is charged the column's documented
                // missing cost, where the table has one (fragment tables).
                let per_epoch = self
                    .train_time
                    .map(|c| self.table.col(c))
                    .and_then(|c| c.get(row).or(c.spec.missing_cost))
                    .ok_or_else(|| {
                        Error::missing(format!(
                            "table {} has no train time for architecture key {key}",
                            self.table.meta.title
                        ))
                    })?;
                let slot = self
                    .trained
                    .iter()
                    .position(|&(r, s, _)| r == row as u32 && s == schedule);
                let had = slot.map(|i| self.trained[i].2).unwrap_or(0);
                // Continuing to more epochs is charged the difference; asking again at or below
                // the epochs already trained is a new training, charged in full (reference:
                // only successive halving carries a network's training from rung to rung).
                let new_epochs = if epochs > had { epochs - had } else { epochs };
                let mut undo = None;
                if charge && epochs > had {
                    match slot {
                        Some(i) => {
                            undo = Some((i, had));
                            self.trained[i].2 = epochs;
                        }
                        None => {
                            self.trained.push((row as u32, schedule, epochs));
                            undo = Some((self.trained.len() - 1, 0));
                        }
                    }
                }
                Ok((
                    Evaluation {
                        score: v,
                        cost_s: per_epoch * new_epochs as f64,
                        epochs: new_epochs,
                    },
                    undo,
                ))
            }
        }
    }

    fn undo_training(&mut self, undo: Option<(usize, u32)>) {
        if let Some((i, had)) = undo {
            self.trained[i].2 = had;
        }
    }

    /// The schedules the run trains on (for reports).
    pub fn schedules(&self) -> &[String] {
        &self.schedules
    }
}

/// What a finished run returns.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The seed of the run.
    pub seed: u64,
    /// The returned architecture's table key.
    pub arch: u64,
    /// Its human-readable form.
    pub arch_string: String,
    /// Its score by the algorithm's final objective.
    pub score: f64,
    /// Its test accuracy (the reported outcome).
    pub test_acc: Option<f64>,
    /// Simulated seconds charged.
    pub cost_s: f64,
    /// Epochs charged.
    pub epochs: u64,
    /// Charged evaluations.
    pub evals: u64,
    /// Whether the budget ran out before the algorithm finished on its own (for MF-NAS and
    /// SH: successive halving was cut short; RS, LS and REA always stop on the budget).
    #[serde(default)]
    pub stopped_by_budget: bool,
    /// How many distinct candidates the final selection chose among (MF-NAS: stage 2's top
    /// k; SH: its sample); absent for algorithms without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n_candidates: Option<u32>,
    /// The best test accuracy among those candidates (the paper's Table 4 "top-32").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates_best_test_acc: Option<f64>,
    /// The returned architecture's rank by test accuracy among the candidates: 1 + the
    /// number of candidates strictly more accurate (ties share the better rank); absent when
    /// it is not among them or has no test accuracy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank_among_candidates: Option<u32>,
}

/// The candidate statistics of an [`Outcome`]: how many distinct candidates, the best test
/// accuracy among them, and the rank of the `returned` key by test accuracy.
pub fn candidate_stats(
    candidates: &[u64],
    returned: u64,
    test_acc: impl Fn(u64) -> Option<f64>,
) -> (Option<u32>, Option<f64>, Option<u32>) {
    if candidates.is_empty() {
        return (None, None, None);
    }
    let mut keys = candidates.to_vec();
    keys.sort_unstable();
    keys.dedup();
    let accs: Vec<f64> = keys.iter().filter_map(|&k| test_acc(k)).collect();
    let best = accs.iter().copied().reduce(f64::max);
    let rank = test_acc(returned)
        .filter(|_| keys.binary_search(&returned).is_ok())
        .map(|t| 1 + accs.iter().filter(|&&a| a > t).count() as u32);
    (Some(keys.len() as u32), best, rank)
}

/// The last evaluation, kept so that it can be refunded: what it cost, how to undo its
/// training state, and whether it was charged at all.
type LastEvaluation = (Evaluation, Option<(usize, u32)>, bool);

/// One run in progress: an algorithm, its evaluator, its budget, its random stream.
/// Step it ([`Run::step`]) to watch it, or [`Run::finish`] it.
pub struct Run<'t, S: SearchSpace> {
    space: &'t S,
    searcher: Box<dyn Searcher<S> + 't>,
    evaluator: TableEvaluator<'t>,
    budget: Budget,
    spent: Spent,
    last: Option<LastEvaluation>,
    rng: Rng,
    seed: u64,
    events: Events,
    outcome: Option<Outcome>,
    stopped_by_budget: bool,
}

impl<'t, S: SearchSpace> Run<'t, S> {
    /// Starts a run of `searcher` (built with `objectives`) on `table`.
    pub fn new(
        space: &'t S,
        table: &'t Table,
        searcher: Box<dyn Searcher<S> + 't>,
        objectives: &ObjectiveRegistry,
        budget: Budget,
        seed: u64,
        record_events: bool,
    ) -> Result<Self> {
        let evaluator = TableEvaluator::new(table, objectives)?;
        Ok(Self {
            space,
            searcher,
            evaluator,
            budget,
            spent: Spent::default(),
            last: None,
            rng: Rng::new(seed),
            seed,
            events: Events::new(record_events),
            outcome: None,
            stopped_by_budget: false,
        })
    }

    fn over_budget(&self) -> bool {
        self.budget.seconds.is_some_and(|b| self.spent.seconds >= b)
            || self.budget.evals.is_some_and(|b| self.spent.evals >= b)
    }

    /// Advances the run by one ask/tell exchange. Returns false once the run is done.
    pub fn step(&mut self) -> Result<bool> {
        if self.outcome.is_some() {
            return Ok(false);
        }
        match self
            .searcher
            .ask(self.space, &mut self.rng, &mut self.events)
        {
            Ask::Evaluate {
                arch,
                objective,
                charge,
            } => {
                let key = self.space.key(arch);
                let (ev, undo) = self.evaluator.evaluate(key, objective, charge)?;
                if charge {
                    self.spent.seconds += ev.cost_s;
                    self.spent.epochs += ev.epochs as u64;
                    self.spent.evals += 1;
                }
                let over = self.over_budget();
                self.stopped_by_budget |= over;
                self.last = Some((ev, undo, charge));
                if self.events.is_on() {
                    let test_acc = self.evaluator.test_acc(key);
                    let label = self.evaluator.label(objective).to_string();
                    let spent = self.spent;
                    self.events.push(|| Event::Evaluated {
                        evals: spent.evals,
                        arch: key,
                        objective: label,
                        score: ev.score,
                        test_acc,
                        cost_s: if charge { ev.cost_s } else { 0.0 },
                        epochs: if charge { ev.epochs } else { 0 },
                        total_s: spent.seconds,
                        total_epochs: spent.epochs,
                        charged: charge,
                    });
                }
                let told = Told {
                    score: ev.score.unwrap_or(f64::NEG_INFINITY),
                    over_budget: over,
                    spent: self.spent,
                };
                self.searcher
                    .tell(self.space, told, &mut self.rng, &mut self.events);
                Ok(true)
            }
            Ask::Refund => {
                if let Some((ev, undo, charge)) = self.last.take()
                    && charge
                {
                    self.spent.seconds -= ev.cost_s;
                    self.spent.epochs -= ev.epochs as u64;
                    self.spent.evals -= 1;
                    self.evaluator.undo_training(undo);
                    self.events.push(|| Event::Refunded {
                        cost_s: ev.cost_s,
                        epochs: ev.epochs,
                    });
                }
                Ok(true)
            }
            Ask::Done => {
                let (arch, score) = self.searcher.best().ok_or_else(|| {
                    Error::param("the run ended before evaluating any architecture: the budget is too small for even one evaluation")
                })?;
                let key = self.space.key(arch);
                let test_acc = self.evaluator.test_acc(key);
                let candidates: Vec<u64> = self
                    .searcher
                    .candidates()
                    .into_iter()
                    .map(|a| self.space.key(a))
                    .collect();
                let (n_candidates, candidates_best_test_acc, rank_among_candidates) =
                    candidate_stats(&candidates, key, |k| self.evaluator.test_acc(k));
                let out = Outcome {
                    seed: self.seed,
                    arch: key,
                    arch_string: self.space.to_string(arch),
                    score,
                    test_acc,
                    cost_s: self.spent.seconds,
                    epochs: self.spent.epochs,
                    evals: self.spent.evals,
                    stopped_by_budget: self.stopped_by_budget,
                    n_candidates,
                    candidates_best_test_acc,
                    rank_among_candidates,
                };
                let spent = self.spent;
                self.events.push(|| Event::Done {
                    arch: key,
                    score,
                    test_acc,
                    total_s: spent.seconds,
                    total_epochs: spent.epochs,
                    evals: spent.evals,
                });
                self.outcome = Some(out);
                Ok(false)
            }
        }
    }

    /// Runs to the end and returns the outcome.
    pub fn finish(&mut self) -> Result<Outcome> {
        while self.step()? {}
        Ok(self.outcome.clone().expect("set when step returns false"))
    }

    /// The outcome, once the run is done.
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }
    /// What has been spent so far.
    pub fn spent(&self) -> Spent {
        self.spent
    }
    /// Takes the events recorded since the last call.
    pub fn drain_events(&mut self) -> Vec<Event> {
        self.events.drain()
    }
    /// The algorithm, for views that draw its state.
    pub fn searcher(&self) -> &dyn Searcher<S> {
        self.searcher.as_ref()
    }
}
