//! Search algorithms as ask/tell steppers.
//!
//! An algorithm never touches a table: it [`Searcher::ask`]s for an architecture to be scored
//! on one of its objectives and is [`Searcher::tell`]ed the score. The [`crate::runner`] owns
//! the table, the budget and the simulated clock. Tests can therefore feed hand-picked scores.
//!
//! Scores are oriented so that larger is better; a missing score arrives as `-inf`
//! (the documented policy: an architecture the table has no value for ranks below every
//! scored one, and all such architectures tie).

pub mod config;
pub mod evolution;
pub mod free_rea;
pub mod halving;
pub mod hill_climb;
pub mod mf_nas;
pub mod random;
pub mod snapshot;

use crate::budget::Cost;
use crate::event::Events;
use crate::objective::ObjectiveId;
use crate::rng::Rng;
use crate::space::SearchSpace;
pub use snapshot::Snapshot;

/// What an algorithm wants next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ask<A> {
    /// Score `arch` on `objective`; `charge` false for evaluations the protocol gives free.
    Evaluate {
        /// The architecture.
        arch: A,
        /// The objective, as registered when the algorithm was built.
        objective: ObjectiveId,
        /// Whether the evaluation counts against the budget.
        charge: bool,
    },
    /// Give back the cost of the last evaluation (it crossed the budget and is discarded).
    Refund,
    /// The algorithm has finished; its answer is [`Searcher::best`].
    Done,
}

/// One evaluation asked for: the content of an [`Ask::Evaluate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvalRequest<A> {
    /// The architecture.
    pub arch: A,
    /// The objective.
    pub objective: ObjectiveId,
    /// Whether the evaluation counts against the budget.
    pub charge: bool,
}

/// The answer to an [`Ask::Evaluate`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Told {
    /// The score (larger is better, `-inf` when missing).
    pub score: f64,
    /// Whether the run's budget is now used up.
    pub over_budget: bool,
    /// What this evaluation was charged (zero when it was free).
    pub cost: Cost,
}

/// An algorithm as a state machine of asks and tells.
pub trait Searcher<S: SearchSpace> {
    /// What to do next.
    fn ask(&mut self, space: &S, rng: &mut Rng, events: &mut Events) -> Ask<S::Arch>;
    /// The score of the evaluation asked last.
    fn tell(&mut self, space: &S, told: Told, rng: &mut Rng, events: &mut Events);
    /// [`Searcher::tell`], then [`Searcher::ask`]: what a run to the end does after each
    /// evaluation, in one call (see `Run::finish`). Not to be overridden with anything else;
    /// searchers mark their `ask` and `tell` `#[inline(always)]` so that both are compiled
    /// into it.
    #[inline(always)]
    fn tell_then_ask(
        &mut self,
        space: &S,
        told: Told,
        rng: &mut Rng,
        events: &mut Events,
    ) -> Ask<S::Arch> {
        self.tell(space, told, rng, events);
        self.ask(space, rng, events)
    }
    /// The best architecture so far and its score by the algorithm's own objective.
    fn best(&self) -> Option<(S::Arch, f64)>;
    /// The evaluations this searcher will ask for next whatever their scores, starting with
    /// the one it has just asked for (the rest of a successive-halving rung); empty when it
    /// cannot promise any. The run loop hands them at once to evaluators that work in
    /// batches; a budget crossed in between still ends the rung as if they came one by one.
    fn upcoming(&self) -> Vec<EvalRequest<S::Arch>> {
        Vec::new()
    }
    /// The candidates a final selection chose among (MF-NAS: the proxy's top k handed to
    /// successive halving; SH: its random sample), empty for algorithms without one. The
    /// runner reports the best test accuracy among them and the returned one's rank
    /// (the paper's Table 4).
    fn candidates(&self) -> Vec<S::Arch> {
        Vec::new()
    }
    /// The state for views, with architectures as ids ([`SearchSpace::id`]) and objectives
    /// named by `labels` (indexed by objective id).
    fn snapshot(&self, space: &S, labels: &[String]) -> Snapshot;
}

/// Replaces `best` by `(arch, score)` if the score is strictly better.
pub(crate) fn update_best<A: Copy>(best: &mut Option<(A, f64)>, arch: A, score: f64) -> bool {
    match best {
        Some((_, s)) if score <= *s => false,
        _ => {
            *best = Some((arch, score));
            true
        }
    }
}
