//! The event stream: what happened during a run, in the past tense.
//!
//! The explorer animates it and the command line writes it as JSON Lines. Architectures are
//! given by their table key (for NB201 the genotype code; see [`crate::space`]).

use serde::{Deserialize, Serialize};

/// One thing that happened during a run.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A stage of a multi-stage algorithm began.
    StageStarted {
        /// Stage number, from 1.
        stage: u32,
        /// What the stage does, e.g. `"FLS on zc:synflow for 2000 evaluations"`.
        label: String,
    },
    /// An architecture was evaluated (and charged, unless `charged` is false).
    Evaluated {
        /// Number of charged evaluations so far, this one included.
        evals: u64,
        /// The architecture.
        arch: u64,
        /// The objective's column name.
        objective: String,
        /// The score as the algorithm saw it (larger is better; losses negated), `None` if missing.
        score: Option<f64>,
        /// Test accuracy of the architecture (never shown to the algorithm).
        test_acc: Option<f64>,
        /// Seconds charged for this evaluation.
        cost_s: f64,
        /// Epochs charged for this evaluation.
        epochs: u32,
        /// Seconds charged so far.
        total_s: f64,
        /// Epochs charged so far.
        total_epochs: u64,
        /// False for evaluations the algorithm gets for free (REA+W's warm-up).
        charged: bool,
    },
    /// The last evaluation was refunded because it crossed the budget.
    Refunded {
        /// Seconds given back.
        cost_s: f64,
        /// Epochs given back.
        epochs: u32,
    },
    /// Local search moved its current solution.
    Moved {
        /// Where it was.
        from: u64,
        /// Where it is now.
        to: u64,
        /// The new current score.
        score: f64,
    },
    /// Local search was stuck and jumped to a random 2-opt neighbour.
    Escaped {
        /// Where it was.
        from: u64,
        /// Where it jumped.
        to: u64,
    },
    /// Local search compared a candidate with its current solution: a neighbour (one
    /// position changed) or an escape (two). It follows the candidate's `Evaluated` event and
    /// precedes the `Moved` or `Escaped` it causes; the explorer's step inspector draws it.
    Compared {
        /// The current solution before this step.
        from: u64,
        /// The candidate.
        to: u64,
        /// The positions where the candidate differs from `from` (NB201: edges in
        /// arch-string order, 0..6): one for a neighbour, two for an escape.
        changed: Vec<u32>,
        /// The current solution's score (`None` where the table has none).
        before: Option<f64>,
        /// The candidate's score (`None` where the table has none).
        after: Option<f64>,
        /// `after - before`; `None` when either score is missing.
        difference: Option<f64>,
        /// What local search did with the candidate.
        verdict: Verdict,
    },
    /// The best-so-far changed.
    NewBest {
        /// The new best architecture.
        arch: u64,
        /// Its score.
        score: f64,
    },
    /// A rung of successive halving began.
    RungStarted {
        /// Rung number, from 0.
        rung: u32,
        /// The objective evaluated at this rung.
        objective: String,
        /// The candidates, in evaluation order.
        candidates: Vec<u64>,
    },
    /// A candidate survived a rung.
    Promoted {
        /// The rung it survived.
        rung: u32,
        /// The candidate.
        arch: u64,
        /// Its score at that rung.
        score: f64,
    },
    /// A candidate was dropped at a rung.
    Pruned {
        /// The rung it was dropped at.
        rung: u32,
        /// The candidate.
        arch: u64,
        /// Its score at that rung.
        score: f64,
    },
    /// Evolution added a member to the population.
    Born {
        /// The child.
        arch: u64,
        /// Its parent, `None` for the initial population.
        parent: Option<u64>,
        /// Its score, `None` while not yet scored.
        score: Option<f64>,
    },
    /// Evolution removed the oldest member.
    Died {
        /// The member removed.
        arch: u64,
    },
    /// The run finished.
    Done {
        /// The returned architecture.
        arch: u64,
        /// Its score by the algorithm's final objective.
        score: f64,
        /// Its test accuracy.
        test_acc: Option<f64>,
        /// Seconds charged in all.
        total_s: f64,
        /// Epochs charged in all.
        total_epochs: u64,
        /// Charged evaluations in all.
        evals: u64,
    },
}

/// What local search did with a candidate it compared (see [`Event::Compared`]).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The neighbour scored at least as well as the current solution and became it
    /// (equal scores are accepted).
    Accepted,
    /// The neighbour scored worse; the current solution stays.
    Rejected,
    /// No neighbour of a whole sweep was accepted, so the search jumped to this random
    /// two-position change unconditionally.
    Escape,
}

/// Where algorithms put events. Switched off in experiments, where only outcomes matter,
/// so that building events costs nothing there.
#[derive(Debug, Default)]
pub struct Events {
    on: bool,
    list: Vec<Event>,
}

impl Events {
    /// A sink that records when `on` is true and discards otherwise.
    pub fn new(on: bool) -> Self {
        Self {
            on,
            list: Vec::new(),
        }
    }
    /// Whether events are being recorded.
    #[inline]
    pub fn is_on(&self) -> bool {
        self.on
    }
    /// Records the event made by `make`, which runs only when recording.
    #[inline]
    pub fn push(&mut self, make: impl FnOnce() -> Event) {
        if self.on {
            self.list.push(make());
        }
    }
    /// Takes the events recorded so far.
    pub fn drain(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.list)
    }
    /// The events recorded so far.
    pub fn as_slice(&self) -> &[Event] {
        &self.list
    }
}
