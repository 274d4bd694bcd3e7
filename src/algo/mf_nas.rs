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
use super::snapshot::{MfNasSnapshot, Scored, Snapshot};
use super::{Ask, EvalRequest, Searcher, Told};
use crate::event::{Event, Events};
use crate::objective::ObjectiveId;
use crate::rng::Rng;
use crate::space::SearchSpace;

/// A searcher that can serve as MF-NAS's stage 1: one that lists every evaluation it made.
pub trait Stage1<S: SearchSpace>: Searcher<S> + KeepsHistory {
    /// Every (architecture, score) evaluated, in order (once [`KeepsHistory::keep_history`]
    /// was called).
    fn history(&self) -> &[(S::Arch, f64)];
}

/// A searcher that keeps every evaluation only when asked: alone it keeps just what its
/// snapshot shows, so a long run's memory does not grow with its evaluations.
pub trait KeepsHistory {
    /// Keep every (architecture, score) evaluated from now on.
    fn keep_history(&mut self);
}

/// MF-NAS with stage-1 searcher `St`.
#[derive(Debug, Clone)]
pub struct MfNas<St, A> {
    stage1: St,
    stage1_label: String,
    rungs: Vec<ObjectiveId>,
    keep: Keep,
    labels: Vec<String>,
    k: usize,
    stage2: Option<SuccessiveHalving<A>>,
    started: bool,
    candidates: Vec<(A, f64)>,
}

impl<St: KeepsHistory, A: Copy + Ord> MfNas<St, A> {
    /// MF-NAS with the given stage 1 (which is told to keep its whole history: the top `k`
    /// are picked from it), `k` candidates and the stage-2 ladder.
    pub fn new(
        mut stage1: St,
        stage1_label: String,
        k: usize,
        rungs: Vec<ObjectiveId>,
        keep: Keep,
        labels: Vec<String>,
    ) -> Self {
        stage1.keep_history();
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
}

/// The distinct architectures of `history` ranked by score (ties: larger architecture
/// first), truncated to `k`. An architecture evaluated more than once keeps its first score.
pub fn top_k_distinct<A: Copy + Ord>(history: &[(A, f64)], k: usize) -> Vec<(A, f64)> {
    // First occurrences: positions sorted by architecture, the position breaking ties.
    let mut by_arch: Vec<(A, usize)> = history
        .iter()
        .enumerate()
        .map(|(i, &(a, _))| (a, i))
        .collect();
    by_arch.sort_unstable();
    let mut first = vec![false; history.len()];
    for (j, &(a, i)) in by_arch.iter().enumerate() {
        first[i] = j == 0 || by_arch[j - 1].0 != a;
    }
    let distinct = history
        .iter()
        .zip(first)
        .filter_map(|(&e, f)| f.then_some(e));
    top_k(distinct, k)
}

/// [`top_k_distinct`] where `key` tells architectures apart and is below `bound`: a bitset
/// over keys finds the first occurrences without sorting.
pub fn top_k_distinct_by_key<A: Copy + Ord>(
    history: impl IntoIterator<Item = (A, f64)>,
    k: usize,
    bound: usize,
    key: impl Fn(A) -> usize,
) -> Vec<(A, f64)> {
    let mut seen = vec![0u64; bound.div_ceil(64)];
    let distinct = history.into_iter().filter(|&(a, _)| {
        let key = key(a);
        let (word, bit) = (key / 64, 1u64 << (key % 64));
        let new = seen[word] & bit == 0;
        seen[word] |= bit;
        new
    });
    top_k(distinct, k)
}

/// The `k` best of `entries` (distinct architectures), best first: higher score, then the
/// larger architecture. One pass that keeps the best `k` sorted; with distinct
/// architectures the order is total, so this is exactly a sort truncated to `k`.
fn top_k<A: Copy + Ord>(entries: impl Iterator<Item = (A, f64)>, k: usize) -> Vec<(A, f64)> {
    let better = |x: &(A, f64), y: &(A, f64)| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)).is_gt();
    let mut top: Vec<(A, f64)> = Vec::with_capacity(k + 1);
    for e in entries {
        // Once `top` is full most entries fall below its last; a plain `<` rejects them
        // quickly (where it holds, so does `total_cmp`'s Less).
        if top.len() == k && (k == 0 || e.1 < top[k - 1].1 || !better(&e, &top[k - 1])) {
            continue;
        }
        let at = top.partition_point(|t| better(t, &e));
        top.insert(at, e);
        top.truncate(k);
    }
    top
}

impl<St, A: Copy + Ord> MfNas<St, A> {
    /// Ends stage 1: ranks its history and hands the top `k` to successive halving. Once
    /// per run, so kept out of the per-evaluation path.
    #[cold]
    fn start_stage2<S: SearchSpace<Arch = A>>(&mut self, space: &S, events: &mut Events)
    where
        St: Stage1<S>,
    {
        // Distinct by network, not by encoding: isomorphic NB101 cells count once.
        let history = self
            .stage1
            .history()
            .iter()
            .map(|&(a, s)| (space.canonical(a), s));
        self.candidates = match space.key_bound() {
            Some(bound) => {
                top_k_distinct_by_key(history, self.k, bound as usize, |a| space.key(a) as usize)
            }
            None => top_k_distinct(&history.collect::<Vec<_>>(), self.k),
        };
        let cands = self.candidates.iter().map(|&(a, _)| a).collect();
        self.stage2 = Some(SuccessiveHalving::with_candidates(
            cands,
            self.rungs.clone(),
            self.keep.clone(),
            self.labels.clone(),
        ));
        let (k, labels) = (self.candidates.len(), &self.labels);
        events.push(|| Event::StageStarted {
            stage: 2,
            label: format!(
                "successive halving of the top {k} on {}",
                labels.join(" → ")
            ),
        });
    }
}

impl<S: SearchSpace, St: Stage1<S>> Searcher<S> for MfNas<St, S::Arch> {
    // Both inlined into `tell_then_ask`, the one call per evaluation of a run to the end.
    #[inline(always)]
    fn ask(&mut self, space: &S, rng: &mut Rng, events: &mut Events) -> Ask<S::Arch> {
        if !self.started {
            self.started = true;
            events.push(|| Event::StageStarted {
                stage: 1,
                label: self.stage1_label.clone(),
            });
        }
        if self.stage2.is_none() {
            let a = self.stage1.ask(space, rng, events);
            if !matches!(a, Ask::Done) {
                return a;
            }
            self.start_stage2(space, events);
        }
        self.stage2
            .as_mut()
            .expect("set above")
            .ask(space, rng, events)
    }

    #[inline(always)]
    fn tell(&mut self, space: &S, told: Told, rng: &mut Rng, events: &mut Events) {
        match &mut self.stage2 {
            Some(sh) => sh.tell(space, told, rng, events),
            None => self.stage1.tell(space, told, rng, events),
        }
    }

    /// Stage 2's best; stage 1's best by proxy score if stage 2 never evaluated anything.
    fn best(&self) -> Option<(S::Arch, f64)> {
        let sh_best = self
            .stage2
            .as_ref()
            .and_then(|s| <SuccessiveHalving<S::Arch> as Searcher<S>>::best(s));
        sh_best.or_else(|| self.stage1.best())
    }

    fn candidates(&self) -> Vec<S::Arch> {
        self.candidates.iter().map(|&(a, _)| a).collect()
    }

    fn upcoming(&self) -> Vec<EvalRequest<S::Arch>> {
        match &self.stage2 {
            Some(sh) => <SuccessiveHalving<S::Arch> as Searcher<S>>::upcoming(sh),
            None => self.stage1.upcoming(),
        }
    }

    fn snapshot(&self, space: &S, labels: &[String]) -> Snapshot {
        Snapshot::MfNas(MfNasSnapshot {
            stage: if self.stage2.is_some() { 2 } else { 1 },
            stage1: Box::new(self.stage1.snapshot(space, labels)),
            candidates: self
                .candidates
                .iter()
                .map(|&(a, s)| Scored::new(space.id(a), s))
                .collect(),
            stage2: self.stage2.as_ref().map(|sh| sh.halving_snapshot(space)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::nb201::Nb201Arch;

    /// The ranking as first written: a stable sort by architecture, dedup, a full sort.
    fn by_sorting(history: &[(Nb201Arch, f64)], k: usize) -> Vec<(Nb201Arch, f64)> {
        let mut distinct = history.to_vec();
        distinct.sort_by_key(|a| a.0);
        distinct.dedup_by(|later, earlier| later.0 == earlier.0);
        distinct.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        distinct.truncate(k);
        distinct
    }

    #[test]
    fn both_rankings_agree_with_a_full_sort() {
        let mut rng = Rng::new(3);
        let specials = [f64::NEG_INFINITY, f64::NAN, -0.0, 0.0, f64::INFINITY];
        for round in 0..300 {
            let n = rng.below(400);
            let archs = 1 + rng.below(if round % 2 == 0 { 50 } else { 15_625 });
            let history: Vec<(Nb201Arch, f64)> = (0..n)
                .map(|_| {
                    let a = Nb201Arch(rng.below(archs) as u16);
                    // Few distinct scores, so that ties are common; the same architecture
                    // may come back with another score (its first one counts).
                    let s = match rng.below(10) {
                        0 => specials[rng.below(specials.len())],
                        _ => rng.below(8) as f64,
                    };
                    (a, s)
                })
                .collect();
            for k in [0, 1, 3, 32, 1_000] {
                let want = by_sorting(&history, k);
                let same = |got: Vec<(Nb201Arch, f64)>| {
                    got.len() == want.len()
                        && got
                            .iter()
                            .zip(&want)
                            .all(|(g, w)| g.0 == w.0 && g.1.to_bits() == w.1.to_bits())
                };
                assert!(same(top_k_distinct(&history, k)), "round {round} k {k}");
                let by_key =
                    top_k_distinct_by_key(history.iter().copied(), k, 15_625, |a| a.0 as usize);
                assert!(same(by_key), "round {round} k {k}");
            }
        }
    }
}
