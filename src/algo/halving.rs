//! Successive halving over a ladder of rungs (objectives at increasing fidelity).
//!
//! Evaluate every survivor at the rung, rank them (ties keep evaluation order), keep the
//! best `keep(n)` and go on until one is left or the rungs end. The best architecture seen
//! at any rung is returned. If the budget runs out mid-rung, the evaluation that crossed it
//! is refunded and discarded, and the search returns (reference behaviour).

use super::{Ask, Searcher, Told, update_best};
use crate::event::{Event, Events};
use crate::objective::ObjectiveId;
use crate::rng::Rng;
use crate::space::SearchSpace;
use serde::{Deserialize, Serialize};

/// How many candidates survive a rung.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// `ceil(n / 2)` survive every rung (the paper's rule).
    Halve,
    /// After rung `i`, the best `counts[i]` survive.
    Counts(Vec<usize>),
}

impl Keep {
    fn survivors(&self, rung: usize, n: usize) -> usize {
        match self {
            Keep::Halve => n.div_ceil(2),
            Keep::Counts(c) => c.get(rung).copied().unwrap_or(1).min(n).max(1),
        }
    }
}

/// One rung's record, for the bracket view.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RungRecord<A> {
    /// The objective of this rung.
    pub objective: ObjectiveId,
    /// (candidate, score) in evaluation order; a score is `None` until evaluated.
    pub entries: Vec<(A, Option<f64>)>,
    /// How many of them went on to the next rung (known when the rung is complete).
    pub promoted: Option<usize>,
}

/// Successive halving.
#[derive(Debug, Clone)]
pub struct SuccessiveHalving<A> {
    rungs: Vec<ObjectiveId>,
    keep: Keep,
    to_sample: usize,
    candidates: Vec<A>,
    scores: Vec<f64>,
    rung: usize,
    next: usize,
    best: Option<(A, f64)>,
    refund_pending: bool,
    done: bool,
    records: Vec<RungRecord<A>>,
    labels: Vec<String>,
}

impl<A: Copy> SuccessiveHalving<A> {
    /// Successive halving of `candidates` over `rungs`.
    pub fn with_candidates(
        candidates: Vec<A>,
        rungs: Vec<ObjectiveId>,
        keep: Keep,
        labels: Vec<String>,
    ) -> Self {
        Self {
            rungs,
            keep,
            to_sample: 0,
            candidates,
            scores: Vec::new(),
            rung: 0,
            next: 0,
            best: None,
            refund_pending: false,
            done: false,
            records: Vec::new(),
            labels,
        }
    }
    /// Successive halving of `n` uniformly sampled candidates (plain SH).
    pub fn sampled(n: usize, rungs: Vec<ObjectiveId>, keep: Keep, labels: Vec<String>) -> Self {
        let mut s = Self::with_candidates(Vec::new(), rungs, keep, labels);
        s.to_sample = n;
        s
    }
    /// The rungs so far, for views.
    pub fn records(&self) -> &[RungRecord<A>] {
        &self.records
    }
}

impl<S: SearchSpace> Searcher<S> for SuccessiveHalving<S::Arch> {
    fn ask(&mut self, space: &S, rng: &mut Rng, events: &mut Events) -> Ask<S::Arch> {
        if self.refund_pending {
            self.refund_pending = false;
            self.done = true;
            return Ask::Refund;
        }
        if self.done {
            return Ask::Done;
        }
        if self.to_sample > 0 {
            self.candidates = (0..self.to_sample).map(|_| space.sample(rng)).collect();
            self.to_sample = 0;
        }
        if self.candidates.is_empty() || self.rungs.is_empty() {
            self.done = true;
            return Ask::Done;
        }
        if self.next == 0 {
            self.scores.clear();
            self.records.push(RungRecord {
                objective: self.rungs[self.rung],
                entries: self.candidates.iter().map(|&a| (a, None)).collect(),
                promoted: None,
            });
            let (rung, label, cands) = (
                self.rung as u32,
                self.labels[self.rung].clone(),
                &self.candidates,
            );
            events.push(|| Event::RungStarted {
                rung,
                objective: label,
                candidates: cands.iter().map(|&a| space.key(a)).collect(),
            });
        }
        Ask::Evaluate {
            arch: self.candidates[self.next],
            objective: self.rungs[self.rung],
            charge: true,
        }
    }

    fn tell(&mut self, space: &S, told: Told, _rng: &mut Rng, events: &mut Events) {
        if told.over_budget {
            self.refund_pending = true;
            return;
        }
        let arch = self.candidates[self.next];
        self.scores.push(told.score);
        if let Some(r) = self.records.last_mut() {
            r.entries[self.next].1 = Some(told.score);
        }
        if update_best(&mut self.best, arch, told.score) {
            events.push(|| Event::NewBest {
                arch: space.key(arch),
                score: told.score,
            });
        }
        self.next += 1;
        if self.next < self.candidates.len() {
            return;
        }
        // Rung complete: rank by score, ties in evaluation order.
        let mut order: Vec<usize> = (0..self.candidates.len()).collect();
        order.sort_by(|&a, &b| self.scores[b].total_cmp(&self.scores[a]));
        let k = self.keep.survivors(self.rung, order.len());
        let rung = self.rung as u32;
        for (place, &i) in order.iter().enumerate() {
            let (a, s) = (space.key(self.candidates[i]), self.scores[i]);
            if place < k {
                events.push(|| Event::Promoted {
                    rung,
                    arch: a,
                    score: s,
                });
            } else {
                events.push(|| Event::Pruned {
                    rung,
                    arch: a,
                    score: s,
                });
            }
        }
        if let Some(r) = self.records.last_mut() {
            r.promoted = Some(k);
        }
        self.candidates = order[..k].iter().map(|&i| self.candidates[i]).collect();
        self.next = 0;
        if k <= 1 || self.rung + 1 >= self.rungs.len() {
            self.done = true;
        } else {
            self.rung += 1;
        }
    }

    fn best(&self) -> Option<(S::Arch, f64)> {
        self.best
    }

    fn candidates(&self) -> Vec<S::Arch> {
        // The first rung holds every candidate, in the order they were given or sampled.
        self.records
            .first()
            .map(|r| r.entries.iter().map(|&(a, _)| a).collect())
            .unwrap_or_default()
    }

    fn snapshot(&self, space: &S) -> serde_json::Value {
        let rungs: Vec<serde_json::Value> = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                serde_json::json!({
                    "rung": i,
                    "objective": self.labels.get(i),
                    "entries": r.entries.iter().map(|&(a, s)| serde_json::json!({"arch": space.key(a), "score": s})).collect::<Vec<_>>(),
                    "promoted": r.promoted,
                })
            })
            .collect();
        serde_json::json!({ "algorithm": "sh", "rungs": rungs, "best": self.best.map(|(a, s)| serde_json::json!({"arch": space.key(a), "score": s})) })
    }
}
