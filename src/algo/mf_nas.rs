//! MF-NAS: a training-free stage 1 guided by a zero-cost proxy, then successive halving
//! with a training-based metric on the proxy's top candidates.
//!
//! Stage 1 runs local search (FLS or BLS) or random search on the proxy for exactly `M`
//! evaluations, charged at the proxy's compute time. The distinct architectures it evaluated
//! (distinct by [`SearchSpace::canonical`], so isomorphic cells count once) are ranked by
//! proxy score, highest first; **equal scores are ordered by architecture, larger key first** (what the reference's `flip(argsort(...))` over `np.unique`'s sorted
//! rows gives with a stable sort). The top `k` go to stage 2, successive halving on the
//! remaining budget. The answer is stage 2's best; if the budget does not allow a single
//! stage-2 evaluation, stage 1's best by proxy score is returned.

use super::halving::{Keep, SuccessiveHalving};
use super::hill_climb::LocalSearch;
use super::random::RandomSearch;
use super::{Ask, Searcher, Told};
use crate::event::{Event, Events};
use crate::objective::ObjectiveId;
use crate::rng::Rng;
use crate::space::SearchSpace;

/// The optimiser of stage 1.
#[derive(Debug, Clone)]
pub enum Stage1<A> {
    /// Local search (first-improvement or BLS).
    Local(LocalSearch<A>),
    /// Random search.
    Random(RandomSearch<A>),
}

/// MF-NAS.
#[derive(Debug, Clone)]
pub struct MfNas<A> {
    stage1: Stage1<A>,
    stage1_label: String,
    rungs: Vec<ObjectiveId>,
    keep: Keep,
    labels: Vec<String>,
    k: usize,
    stage2: Option<SuccessiveHalving<A>>,
    started: bool,
    candidates: Vec<(A, f64)>,
}

impl<A: Copy + Ord> MfNas<A> {
    /// MF-NAS with the given stage 1, `k` candidates and the stage-2 ladder.
    pub fn new(
        stage1: Stage1<A>,
        stage1_label: String,
        k: usize,
        rungs: Vec<ObjectiveId>,
        keep: Keep,
        labels: Vec<String>,
    ) -> Self {
        Self {
            stage1,
            stage1_label,
            rungs,
            keep,
            labels,
            k,
            stage2: None,
            started: false,
            candidates: Vec::new(),
        }
    }
    /// The candidates handed to stage 2, with their proxy scores (empty before stage 2).
    pub fn candidates(&self) -> &[(A, f64)] {
        &self.candidates
    }
    fn stage1_history(&self) -> &[(A, f64)] {
        match &self.stage1 {
            Stage1::Local(l) => l.history(),
            Stage1::Random(r) => r.history(),
        }
    }
}

/// The distinct architectures of `history` ranked by score (ties: larger architecture
/// first), truncated to `k`.
pub fn top_k_distinct<A: Copy + Ord>(history: &[(A, f64)], k: usize) -> Vec<(A, f64)> {
    let mut distinct: Vec<(A, f64)> = history.to_vec();
    // Keep the first score seen for each architecture (they are equal on a table anyway).
    distinct.sort_by_key(|a| a.0);
    distinct.dedup_by(|later, earlier| later.0 == earlier.0);
    distinct.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
    distinct.truncate(k);
    distinct
}

impl<S: SearchSpace> Searcher<S> for MfNas<S::Arch> {
    fn ask(&mut self, space: &S, rng: &mut Rng, events: &mut Events) -> Ask<S::Arch> {
        if !self.started {
            self.started = true;
            let label = self.stage1_label.clone();
            events.push(|| Event::StageStarted { stage: 1, label });
        }
        if self.stage2.is_none() {
            let a = match &mut self.stage1 {
                Stage1::Local(l) => l.ask(space, rng, events),
                Stage1::Random(r) => r.ask(space, rng, events),
            };
            if !matches!(a, Ask::Done) {
                return a;
            }
            // Distinct by network, not by encoding: isomorphic NB101 cells count once.
            let history: Vec<(S::Arch, f64)> = self
                .stage1_history()
                .iter()
                .map(|&(a, s)| (space.canonical(a), s))
                .collect();
            self.candidates = top_k_distinct(&history, self.k);
            let cands = self.candidates.iter().map(|&(a, _)| a).collect();
            self.stage2 = Some(SuccessiveHalving::with_candidates(
                cands,
                self.rungs.clone(),
                self.keep.clone(),
                self.labels.clone(),
            ));
            let (k, ladder) = (self.candidates.len(), self.labels.join(" → "));
            events.push(|| Event::StageStarted {
                stage: 2,
                label: format!("successive halving of the top {k} on {ladder}"),
            });
        }
        self.stage2
            .as_mut()
            .expect("set above")
            .ask(space, rng, events)
    }

    fn tell(&mut self, space: &S, told: Told, rng: &mut Rng, events: &mut Events) {
        match (&mut self.stage2, &mut self.stage1) {
            (Some(sh), _) => sh.tell(space, told, rng, events),
            (None, Stage1::Local(l)) => l.tell(space, told, rng, events),
            (None, Stage1::Random(r)) => r.tell(space, told, rng, events),
        }
    }

    fn best(&self) -> Option<(S::Arch, f64)> {
        let sh_best = self
            .stage2
            .as_ref()
            .and_then(|s| <SuccessiveHalving<S::Arch> as Searcher<S>>::best(s));
        sh_best.or_else(|| match &self.stage1 {
            Stage1::Local(l) => <LocalSearch<S::Arch> as Searcher<S>>::best(l),
            Stage1::Random(r) => <RandomSearch<S::Arch> as Searcher<S>>::best(r),
        })
    }

    fn candidates(&self) -> Vec<S::Arch> {
        self.candidates.iter().map(|&(a, _)| a).collect()
    }

    fn snapshot(&self, space: &S) -> serde_json::Value {
        match &self.stage2 {
            Some(sh) => {
                let mut v = <SuccessiveHalving<S::Arch> as Searcher<S>>::snapshot(sh, space);
                v["algorithm"] = "mf-nas".into();
                v["stage"] = 2.into();
                v
            }
            None => {
                let mut v = match &self.stage1 {
                    Stage1::Local(l) => <LocalSearch<S::Arch> as Searcher<S>>::snapshot(l, space),
                    Stage1::Random(_) => serde_json::json!({}),
                };
                v["algorithm"] = "mf-nas".into();
                v["stage"] = 1.into();
                v
            }
        }
    }
}
