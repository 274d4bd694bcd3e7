//! Typed snapshots of a searcher's state, for views that draw it (the explorer's bracket
//! and step inspector) instead of rebuilding it from events. TypeScript types are generated
//! from these types at every wasm build.
//!
//! Architectures are ids ([`crate::space::SearchSpace::id`]); a score is `None` where the
//! table has no value (the searcher saw `-inf`) or, for a candidate still waiting, where
//! there is no score yet (its status says which).

use crate::budget::Cost;
use serde::{Deserialize, Serialize};

/// An architecture and its score.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    /// The architecture's id.
    pub arch: u64,
    /// Its score (larger is better; losses negated), `None` where missing.
    pub score: Option<f64>,
}

impl Scored {
    /// `arch` with a score as searchers hold it (`-inf` for missing).
    pub fn new(arch: u64, score: f64) -> Self {
        Self {
            arch,
            score: (score != f64::NEG_INFINITY).then_some(score),
        }
    }
}

/// A searcher's state.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "algorithm", rename_all = "kebab-case")]
pub enum Snapshot {
    /// Random search: only a best so far.
    Random(RandomSnapshot),
    /// Local search (FLS or BLS).
    LocalSearch(LocalSearchSnapshot),
    /// Successive halving.
    SuccessiveHalving(HalvingSnapshot),
    /// Regularised evolution (REA, REA+W) and FreeREA.
    Evolution(EvolutionSnapshot),
    /// MF-NAS: its stage-1 searcher and, once started, its stage 2.
    MfNas(MfNasSnapshot),
}

/// Random search.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RandomSnapshot {
    /// The objective's label.
    pub objective: String,
    /// Evaluations so far.
    pub evals: u64,
    /// The best so far.
    pub best: Option<Scored>,
}

/// The phase of a local search.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Not started.
    Start,
    /// Trying neighbours of the current solution.
    Sweeping,
    /// Between sweeps (where the run budget is checked).
    BetweenSweeps,
    /// Finished.
    Done,
}

/// Local search with escape.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalSearchSnapshot {
    /// True for first improvement (FLS, "LS"), false for the sweep-all variant (BLS).
    pub first_improvement: bool,
    /// The objective's label.
    pub objective: String,
    /// Where the search is.
    pub phase: Phase,
    /// The current solution.
    pub current: Option<Scored>,
    /// The best so far (changes only on a strictly better score).
    pub best: Option<Scored>,
    /// Neighbours tried since the current solution last changed, in order, with their
    /// scores (for BLS: the rest of the sweep, which tries neighbours of the sweep's start).
    pub tried: Vec<Scored>,
    /// Evaluations so far.
    pub evals: u64,
}

/// Where a candidate of a rung stands.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CandidateStatus {
    /// Not evaluated yet.
    Waiting,
    /// Evaluated; the rung is not complete.
    Evaluated,
    /// Kept for the next rung (or the winner's rung).
    Promoted,
    /// Dropped at this rung.
    Pruned,
    /// Its evaluation crossed the budget and was refunded and discarded (the search ended).
    Refunded,
}

/// One candidate of a rung.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RungCandidate {
    /// The architecture's id.
    pub arch: u64,
    /// Its score at this rung (`None` while waiting, refunded, or missing in the table).
    pub score: Option<f64>,
    /// Where it stands.
    pub status: CandidateStatus,
}

/// One rung of successive halving.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RungSnapshot {
    /// Rung number, from 0.
    pub rung: u32,
    /// The objective evaluated at this rung, e.g. `"val_acc@12@hp12"`.
    pub objective: String,
    /// The candidates, in evaluation order.
    pub candidates: Vec<RungCandidate>,
    /// How many survive the rung.
    pub keep: usize,
    /// The score of the last candidate kept, once the rung is complete (ties keep
    /// evaluation order).
    pub cutoff: Option<f64>,
    /// Whether every candidate has been evaluated and ranked.
    pub complete: bool,
    /// Seconds and epochs charged at this rung (refunds taken off).
    pub charged: Cost,
    /// Seconds and epochs of the evaluation refunded at this rung, if one was.
    pub refunded: Option<Cost>,
}

/// Successive halving.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HalvingSnapshot {
    /// The rungs started so far.
    pub rungs: Vec<RungSnapshot>,
    /// Rungs in the ladder.
    pub n_rungs: usize,
    /// The best at any rung so far.
    pub best: Option<Scored>,
}

/// Evolution.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvolutionSnapshot {
    /// The population, oldest first.
    pub population: Vec<Scored>,
    /// The best so far.
    pub best: Option<Scored>,
}

/// MF-NAS.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MfNasSnapshot {
    /// 1 (training-free search on the proxy) or 2 (successive halving).
    pub stage: u32,
    /// The stage-1 searcher.
    pub stage1: Box<Snapshot>,
    /// The candidates handed to stage 2, with their proxy scores (empty before stage 2).
    pub candidates: Vec<Scored>,
    /// Stage 2, once started.
    pub stage2: Option<HalvingSnapshot>,
}
