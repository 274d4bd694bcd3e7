//! The run loop: the one place that drives an algorithm's ask/tell exchange against an
//! [`Evaluator`], charges what it costs, decides when the budget is used up and gives back
//! what an algorithm discards. Whatever scores the architectures (a table, live training,
//! a landscape's fitness vector, a test's script), these rules are the same; they are
//! described in `docs/COST_MODEL.md`.
//!
//! - An evaluation the algorithm asks to be charged adds its cost and one evaluation to
//!   what has been spent; a free one (REA+W's warm-up) adds nothing.
//! - After each evaluation the algorithm is told whether the budget is now used up; the
//!   algorithm decides what that means (local search finishes its sweep, successive halving
//!   asks for a refund of the evaluation that crossed it).
//! - A refund takes back the last charged evaluation and lets the evaluator undo what it
//!   left (training progress).

pub mod evaluator;
mod progress;
pub mod space;
pub mod table;

pub use evaluator::{Evaluation, Evaluator};
pub use space::{SpaceFn, TableSpace};
pub use table::TableEvaluator;

#[cfg(doc)]
use crate::algo::config::Plan;
use crate::algo::{Ask, EvalRequest, Searcher, Snapshot, Told};
use crate::budget::{Budget, Cost, Spent};
use crate::error::{Error, Result};
use crate::event::{Event, Events};
#[cfg(doc)]
use crate::objective::ObjectiveRegistry;
use crate::rng::Rng;
use crate::space::SearchSpace;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// What a finished run returns.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// The seed of the run.
    pub seed: u64,
    /// The returned architecture's id (NB201: the benchmark index).
    pub arch: u64,
    /// Its human-readable form (NB201: the arch string).
    pub arch_string: String,
    /// Its score by the algorithm's final objective.
    pub score: f64,
    /// Its test accuracy (the reported outcome).
    pub test_acc: Option<f64>,
    /// Seconds charged.
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

/// One run in progress: an algorithm, its evaluator, its budget, its random stream.
/// Step it ([`Run::step`]) to watch it, or [`Run::finish`] it.
///
/// `Q` is the algorithm's type: any algorithm behind `dyn Searcher` (the default, for runs
/// that are stepped and watched), or one concrete algorithm, so that a run to the end is
/// compiled as one loop with no dynamic call per evaluation (see [`Plan::build_into`]).
pub struct Run<S: SearchSpace, E, Q: Searcher<S> + ?Sized = dyn Searcher<S>> {
    space: S,
    searcher: Box<Q>,
    evaluator: E,
    labels: Vec<String>,
    budget: Budget,
    spent: Spent,
    /// The cost of the last evaluation if it was charged (what a refund gives back).
    last_charged: Option<Cost>,
    /// Evaluations done in a batch ahead of the asks they answer, in ask order.
    ahead: VecDeque<(EvalRequest<S::Arch>, Evaluation)>,
    rng: Rng,
    seed: u64,
    events: Events,
    outcome: Option<Outcome>,
    /// Whether the algorithm has been told that the budget is used up.
    stopped_by_budget: bool,
}

impl<S: SearchSpace, E: Evaluator<S>, Q: Searcher<S> + ?Sized> Run<S, E, Q> {
    /// Starts a run of `searcher` scored by `evaluator`; `labels` names the objectives the
    /// searcher registered, by id (see [`ObjectiveRegistry::labels`]).
    pub fn new(
        space: S,
        searcher: Box<Q>,
        evaluator: E,
        labels: Vec<String>,
        budget: Budget,
        seed: u64,
        record_events: bool,
    ) -> Self {
        Self {
            space,
            searcher,
            evaluator,
            labels,
            budget,
            spent: Spent::default(),
            last_charged: None,
            ahead: VecDeque::new(),
            rng: Rng::new(seed),
            seed,
            events: Events::new(record_events),
            outcome: None,
            stopped_by_budget: false,
        }
    }

    /// Scores `ask`, from a batch done ahead where there is one.
    fn evaluate(&mut self, ask: EvalRequest<S::Arch>) -> Result<Evaluation> {
        // Only an evaluator that takes batches has any done ahead (for the table's, the
        // whole branch is compiled away).
        if self.evaluator.wants_batches() {
            if let Some((done, ev)) = self.ahead.pop_front() {
                if done == ask {
                    return Ok(ev);
                }
                // The algorithm went another way than it promised: forget the batch.
                self.ahead.clear();
            }
            let batch = self.searcher.upcoming();
            if batch.len() > 1 && batch[0] == ask {
                let evs = self.evaluator.evaluate_batch(&self.space, &batch)?;
                if evs.len() != batch.len() {
                    return Err(Error::missing(format!(
                        "the evaluator answered {} of a batch of {} evaluations",
                        evs.len(),
                        batch.len()
                    )));
                }
                let mut pairs = batch.into_iter().zip(evs);
                let (_, first) = pairs.next().expect("batch of at least two");
                self.ahead.extend(pairs);
                return Ok(first);
            }
        }
        self.evaluator.evaluate(&self.space, &ask)
    }

    /// Advances the run by one ask/tell exchange. Returns false once the run is done.
    pub fn step(&mut self) -> Result<bool> {
        if self.outcome.is_some() {
            return Ok(false);
        }
        let ask = self
            .searcher
            .ask(&self.space, &mut self.rng, &mut self.events);
        if let Some(told) = self.carry_out(ask)? {
            self.searcher
                .tell(&self.space, told, &mut self.rng, &mut self.events);
        }
        Ok(self.outcome.is_none())
    }

    /// Does what the algorithm asked: scores and charges an evaluation (and returns what the
    /// algorithm is to be told), gives back a refund, or concludes the run. Stepping and
    /// finishing both go through here.
    #[inline]
    fn carry_out(&mut self, ask: Ask<S::Arch>) -> Result<Option<Told>> {
        match ask {
            Ask::Evaluate {
                arch,
                objective,
                charge,
            } => self
                .answer(EvalRequest {
                    arch,
                    objective,
                    charge,
                })
                .map(Some),
            Ask::Refund => {
                self.refund();
                Ok(None)
            }
            Ask::Done => {
                self.conclude()?;
                Ok(None)
            }
        }
    }

    /// Scores what the algorithm asked for, charges it, and says what the algorithm is told:
    /// the score and whether the budget is now used up (the rules of `docs/COST_MODEL.md`).
    #[inline]
    fn answer(&mut self, ask: EvalRequest<S::Arch>) -> Result<Told> {
        let EvalRequest {
            arch,
            objective,
            charge,
        } = ask;
        let ev = self.evaluate(ask)?;
        let cost = if charge { ev.cost } else { Cost::default() };
        if charge {
            self.spent.charge(cost);
            self.last_charged = Some(cost);
        } else {
            self.last_charged = None;
        }
        let over_budget = self.budget.is_used_up(&self.spent);
        self.stopped_by_budget |= over_budget;
        if self.events.is_on() {
            let (space, spent) = (&self.space, self.spent);
            let test_acc = self.evaluator.test_acc(space, arch);
            let label = &self.labels[objective];
            self.events.push(|| Event::Evaluated {
                evals: spent.evals,
                arch: space.id(arch),
                objective: label.clone(),
                score: ev.score,
                test_acc,
                cost_s: cost.seconds,
                epochs: cost.epochs,
                total_s: spent.seconds,
                total_epochs: spent.epochs,
                charged: charge,
            });
        }
        Ok(Told {
            score: ev.score.unwrap_or(f64::NEG_INFINITY),
            over_budget,
            cost,
        })
    }

    /// Gives back the last charged evaluation (the algorithm discarded it).
    fn refund(&mut self) {
        self.ahead.clear();
        if let Some(cost) = self.last_charged.take() {
            self.spent.refund(cost);
            self.evaluator.refund();
            self.events.push(|| Event::Refunded {
                cost_s: cost.seconds,
                epochs: cost.epochs,
            });
        }
    }

    /// Builds the outcome once the algorithm is done. Once per run, so kept out of the
    /// per-evaluation path.
    #[cold]
    fn conclude(&mut self) -> Result<()> {
        self.ahead.clear();
        let (arch, score) = self.searcher.best().ok_or_else(|| {
            Error::param("the run ended before evaluating any architecture: the budget is too small for even one evaluation")
        })?;
        let test_acc = self.evaluator.test_acc(&self.space, arch);
        let id = self.space.id(arch);
        let (space, evaluator) = (&self.space, &self.evaluator);
        let keys: Vec<u64> = self
            .searcher
            .candidates()
            .into_iter()
            .map(|a| space.key(a))
            .collect();
        let (n_candidates, candidates_best_test_acc, rank_among_candidates) =
            candidate_stats(&keys, space.key(arch), |k| {
                space.from_key(k).and_then(|a| evaluator.test_acc(space, a))
            });
        let out = Outcome {
            seed: self.seed,
            arch: id,
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
            arch: id,
            score,
            test_acc,
            total_s: spent.seconds,
            total_epochs: spent.epochs,
            evals: spent.evals,
        });
        self.outcome = Some(out);
        Ok(())
    }

    /// Runs to the end and returns the outcome. The same exchanges as stepping to the end,
    /// with each tell and the ask after it made in one call into the algorithm
    /// ([`Searcher::tell_then_ask`]): an evaluation costs a few hundred instructions, and
    /// one call instead of two saves about 5 % of them.
    pub fn finish(&mut self) -> Result<Outcome> {
        if self.outcome.is_none() {
            let mut ask = self
                .searcher
                .ask(&self.space, &mut self.rng, &mut self.events);
            loop {
                let told = self.carry_out(ask)?;
                if self.outcome.is_some() {
                    break;
                }
                ask = match told {
                    Some(told) => self.searcher.tell_then_ask(
                        &self.space,
                        told,
                        &mut self.rng,
                        &mut self.events,
                    ),
                    None => self
                        .searcher
                        .ask(&self.space, &mut self.rng, &mut self.events),
                };
            }
        }
        Ok(self
            .outcome
            .clone()
            .expect("set when the algorithm is done"))
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
    /// The algorithm.
    pub fn searcher(&self) -> &Q {
        self.searcher.as_ref()
    }
    /// The evaluator (e.g. for the wall times a live evaluator measured).
    pub fn evaluator(&self) -> &E {
        &self.evaluator
    }
    /// The search space.
    pub fn space(&self) -> &S {
        &self.space
    }
    /// The algorithm's state for views.
    pub fn snapshot(&self) -> Snapshot {
        self.searcher.snapshot(&self.space, &self.labels)
    }
}

/// A run whose search space and evaluator are hidden, so that one value can hold a run of
/// any space (the explorer's session).
pub trait AnyRun {
    /// [`Run::step`].
    fn step(&mut self) -> Result<bool>;
    /// [`Run::drain_events`].
    fn drain_events(&mut self) -> Vec<Event>;
    /// [`Run::spent`].
    fn spent(&self) -> Spent;
    /// [`Run::outcome`].
    fn outcome(&self) -> Option<&Outcome>;
    /// [`Run::snapshot`].
    fn snapshot(&self) -> Snapshot;
}

impl<S: SearchSpace, E: Evaluator<S>, Q: Searcher<S> + ?Sized> AnyRun for Run<S, E, Q> {
    fn step(&mut self) -> Result<bool> {
        Run::step(self)
    }
    fn drain_events(&mut self) -> Vec<Event> {
        Run::drain_events(self)
    }
    fn spent(&self) -> Spent {
        Run::spent(self)
    }
    fn outcome(&self) -> Option<&Outcome> {
        Run::outcome(self)
    }
    fn snapshot(&self) -> Snapshot {
        Run::snapshot(self)
    }
}
