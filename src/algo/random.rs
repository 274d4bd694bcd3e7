//! Random search: sample uniformly, keep the best.

use super::mf_nas::KeepsHistory;
use super::snapshot::{RandomSnapshot, Scored, Snapshot};
use super::{Ask, Searcher, Told, update_best};
use crate::event::{Event, Events};
use crate::objective::ObjectiveId;
use crate::rng::Rng;
use crate::space::SearchSpace;

/// Random search on one objective. Stops when the run's budget is used up (checked before
/// each sample) or, as a stage of MF-NAS, after a fixed number of its own evaluations.
#[derive(Debug, Clone)]
pub struct RandomSearch<A> {
    objective: ObjectiveId,
    max_evals: Option<u64>,
    stop_on_budget: bool,
    n_evals: u64,
    over: bool,
    pending: Option<A>,
    best: Option<(A, f64)>,
    /// Every evaluation, kept only as MF-NAS's stage 1 (see [`KeepsHistory`]).
    history: Vec<(A, f64)>,
    keep_history: bool,
    done: bool,
}

impl<A: Copy> RandomSearch<A> {
    /// Random search on `objective`, limited by the run budget and optionally by `max_evals`.
    pub fn new(objective: ObjectiveId, max_evals: Option<u64>, stop_on_budget: bool) -> Self {
        Self {
            objective,
            max_evals,
            stop_on_budget,
            n_evals: 0,
            over: false,
            pending: None,
            best: None,
            history: Vec::new(),
            keep_history: false,
            done: false,
        }
    }
    /// Every (architecture, score) evaluated, in order, once [`KeepsHistory::keep_history`]
    /// was called (empty otherwise).
    pub fn history(&self) -> &[(A, f64)] {
        &self.history
    }
}

impl<A> KeepsHistory for RandomSearch<A> {
    fn keep_history(&mut self) {
        self.keep_history = true;
    }
}

impl<S: SearchSpace> Searcher<S> for RandomSearch<S::Arch> {
    #[inline(always)]
    fn ask(&mut self, space: &S, rng: &mut Rng, _events: &mut Events) -> Ask<S::Arch> {
        if self.done
            || self.max_evals.is_some_and(|m| self.n_evals >= m)
            || (self.stop_on_budget && self.over)
        {
            self.done = true;
            return Ask::Done;
        }
        let arch = space.sample(rng);
        self.pending = Some(arch);
        Ask::Evaluate {
            arch,
            objective: self.objective,
            charge: true,
        }
    }

    #[inline(always)]
    fn tell(&mut self, space: &S, told: Told, _rng: &mut Rng, events: &mut Events) {
        let arch = self.pending.take().expect("tell follows ask");
        self.n_evals += 1;
        self.over = told.over_budget;
        if self.keep_history {
            self.history.push((arch, told.score));
        }
        if update_best(&mut self.best, arch, told.score) {
            events.push(|| Event::NewBest {
                arch: space.id(arch),
                score: told.score,
            });
        }
    }

    fn best(&self) -> Option<(S::Arch, f64)> {
        self.best
    }

    fn snapshot(&self, space: &S, labels: &[String]) -> Snapshot {
        Snapshot::Random(RandomSnapshot {
            objective: labels[self.objective].clone(),
            evals: self.n_evals,
            best: self.best.map(|(a, s)| Scored::new(space.id(a), s)),
        })
    }
}

impl<S: SearchSpace> super::mf_nas::Stage1<S> for RandomSearch<S::Arch> {
    fn history(&self) -> &[(S::Arch, f64)] {
        &self.history
    }
}
