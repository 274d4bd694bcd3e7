//! Successive halving over a ladder of rungs (objectives at increasing fidelity).
//!
//! Evaluate every survivor at the rung, rank them (ties keep evaluation order), keep the
//! best `keep(n)` and go on until one is left or the rungs end. The best architecture seen
//! at any rung is returned. If the budget runs out mid-rung, the evaluation that crossed it
//! is refunded and discarded, and the search returns (reference behaviour).

use super::snapshot::{
    CandidateStatus, HalvingSnapshot, RungCandidate, RungSnapshot, Scored, Snapshot,
};
use super::{Ask, EvalRequest, Searcher, Told, update_best};
use crate::budget::Cost;
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

/// What happened at one rung, kept for the snapshot.
#[derive(Debug, Clone)]
struct RungRecord<A> {
    /// (candidate, score) in evaluation order; `None` until evaluated, `-inf` if missing.
    entries: Vec<(A, Option<f64>)>,
    /// How many survive the rung.
    keep: usize,
    /// Candidate indices best first, once the rung is complete.
    ranked: Option<Vec<usize>>,
    charged: Cost,
    /// The candidate whose evaluation crossed the budget, and its refunded cost.
    refunded: Option<(usize, Cost)>,
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

    /// The state for views (also used inside MF-NAS's snapshot).
    pub fn halving_snapshot<S: SearchSpace<Arch = A>>(&self, space: &S) -> HalvingSnapshot {
        let rungs = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let place = |c: usize| {
                    r.ranked
                        .as_ref()
                        .and_then(|order| order.iter().position(|&j| j == c))
                };
                RungSnapshot {
                    rung: i as u32,
                    objective: self.labels[i].clone(),
                    candidates: r
                        .entries
                        .iter()
                        .enumerate()
                        .map(|(c, &(a, score))| RungCandidate {
                            arch: space.id(a),
                            score: score.filter(|&s| s != f64::NEG_INFINITY),
                            status: match (place(c), score) {
                                _ if r.refunded.is_some_and(|(j, _)| j == c) => {
                                    CandidateStatus::Refunded
                                }
                                (Some(p), _) if p < r.keep => CandidateStatus::Promoted,
                                (Some(_), _) => CandidateStatus::Pruned,
                                (None, Some(_)) => CandidateStatus::Evaluated,
                                (None, None) => CandidateStatus::Waiting,
                            },
                        })
                        .collect(),
                    keep: r.keep,
                    cutoff: r.ranked.as_ref().and_then(|order| {
                        r.entries[order[r.keep - 1]]
                            .1
                            .filter(|&s| s != f64::NEG_INFINITY)
                    }),
                    complete: r.ranked.is_some(),
                    charged: r.charged,
                    refunded: r.refunded.map(|(_, c)| c),
                }
            })
            .collect();
        HalvingSnapshot {
            rungs,
            n_rungs: self.rungs.len(),
            best: self.best.map(|(a, s)| Scored::new(space.id(a), s)),
        }
    }
}

impl<S: SearchSpace> Searcher<S> for SuccessiveHalving<S::Arch> {
    #[inline(always)]
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
                entries: self.candidates.iter().map(|&a| (a, None)).collect(),
                keep: self.keep.survivors(self.rung, self.candidates.len()),
                ranked: None,
                charged: Cost::default(),
                refunded: None,
            });
            let (rung, label, cands) = (
                self.rung as u32,
                self.labels[self.rung].clone(),
                &self.candidates,
            );
            events.push(|| Event::RungStarted {
                rung,
                objective: label,
                candidates: cands.iter().map(|&a| space.id(a)).collect(),
            });
        }
        Ask::Evaluate {
            arch: self.candidates[self.next],
            objective: self.rungs[self.rung],
            charge: true,
        }
    }

    #[inline(always)]
    fn tell(&mut self, space: &S, told: Told, _rng: &mut Rng, events: &mut Events) {
        let record = self.records.last_mut().expect("a rung is under way");
        if told.over_budget {
            // The evaluation that crossed the budget is refunded and discarded; the search
            // returns the best so far (reference behaviour).
            record.refunded = Some((self.next, told.cost));
            self.refund_pending = true;
            return;
        }
        let arch = self.candidates[self.next];
        self.scores.push(told.score);
        record.entries[self.next].1 = Some(told.score);
        record.charged.seconds += told.cost.seconds;
        record.charged.epochs += told.cost.epochs;
        if update_best(&mut self.best, arch, told.score) {
            events.push(|| Event::NewBest {
                arch: space.id(arch),
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
        let k = record.keep;
        let rung = self.rung as u32;
        for (place, &i) in order.iter().enumerate() {
            let (a, s) = (space.id(self.candidates[i]), self.scores[i]);
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
        self.candidates = order[..k].iter().map(|&i| self.candidates[i]).collect();
        record.ranked = Some(order);
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

    fn upcoming(&self) -> Vec<EvalRequest<S::Arch>> {
        if self.done || self.refund_pending || self.next >= self.candidates.len() {
            return Vec::new();
        }
        self.candidates[self.next..]
            .iter()
            .map(|&arch| EvalRequest {
                arch,
                objective: self.rungs[self.rung],
                charge: true,
            })
            .collect()
    }

    fn snapshot(&self, space: &S, _labels: &[String]) -> Snapshot {
        Snapshot::SuccessiveHalving(self.halving_snapshot(space))
    }
}
