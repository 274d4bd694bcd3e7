//! Local search with escape: first-improvement (FLS, "LS" in the paper) and the
//! best-improvement-style sweep (BLS), as in the reference code.
//!
//! FLS: from a random start, repeatedly pick a random untried position, try its
//! alternatives in random order and accept the first neighbour scoring at least the current
//! one (equal moves are accepted), which ends the sweep. If a whole sweep accepts nothing,
//! escape: jump to one random 2-opt neighbour and accept it unconditionally. No restarts.
//! BLS sweeps all 1-opt neighbours (positions in random order, each position's alternatives
//! shuffled) and replaces the current by any neighbour at least as good as soon as it is seen.
//! The best-so-far changes only on a strictly better score. The run budget is checked
//! between sweeps; a stage limit on evaluations stops the search exactly at that count.

use super::mf_nas::KeepsHistory;
use super::snapshot::{LocalSearchSnapshot, Phase, Scored, Snapshot};
use super::{Ask, Searcher, Told, update_best};
use crate::event::{Event, Events, Verdict};
use crate::objective::ObjectiveId;
use crate::rng::Rng;
use crate::space::SearchSpace;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    Start,
    Neighbour,
    Escape,
}

/// Local search with escape on one objective.
#[derive(Debug, Clone)]
pub struct LocalSearch<A> {
    objective: ObjectiveId,
    first_improvement: bool,
    max_evals: Option<u64>,
    stop_on_budget: bool,
    /// Where the search starts; `None`: a random architecture.
    start: Option<A>,
    phase: Phase,
    current: Option<(A, f64)>,
    best: Option<(A, f64)>,
    /// The neighbours queued for evaluation: `queue[queue_next..]` are still to come.
    queue: Vec<A>,
    queue_next: usize,
    /// The positions of this sweep not tried yet, in increasing order, four bits each (a
    /// space has at most 16 positions), and how many.
    positions_left: u64,
    n_positions_left: usize,
    improved: bool,
    pending: Option<(A, Pending)>,
    n_evals: u64,
    over: bool,
    /// The evaluations since the current solution last changed (the snapshot's `tried`);
    /// every evaluation when kept as MF-NAS's stage 1 (see [`KeepsHistory`]).
    history: Vec<(A, f64)>,
    keep_history: bool,
    /// Where in `history` the evaluations since the current solution last changed begin.
    tried_from: usize,
}

impl<A: Copy> LocalSearch<A> {
    /// First-improvement (`first_improvement`) or sweep-all (BLS) local search on
    /// `objective`. `max_evals` stops it after that many of its own evaluations;
    /// `stop_on_budget` makes it stop (between sweeps) when the run budget is used up.
    pub fn new(
        objective: ObjectiveId,
        first_improvement: bool,
        max_evals: Option<u64>,
        stop_on_budget: bool,
    ) -> Self {
        Self {
            objective,
            first_improvement,
            max_evals,
            stop_on_budget,
            start: None,
            phase: Phase::Start,
            current: None,
            best: None,
            queue: Vec::new(),
            queue_next: 0,
            positions_left: 0,
            n_positions_left: 0,
            improved: false,
            pending: None,
            n_evals: 0,
            over: false,
            history: Vec::new(),
            keep_history: false,
            tried_from: 0,
        }
    }
    /// Starts the search at `start` instead of a random architecture (`None` keeps the
    /// random start). A given start draws nothing from the random stream for it.
    pub fn starting_at(mut self, start: Option<A>) -> Self {
        self.start = start;
        self
    }
    /// Every (architecture, score) evaluated, in order, once [`KeepsHistory::keep_history`]
    /// was called; otherwise only those since the current solution last changed.
    pub fn history(&self) -> &[(A, f64)] {
        &self.history
    }

    /// The current solution changed with the last evaluation: what was tried before it is
    /// no longer shown, and is dropped unless the whole history is kept.
    fn current_changed(&mut self) {
        if self.keep_history {
            self.tried_from = self.history.len();
        } else {
            self.history.clear();
            self.tried_from = 0;
        }
    }
    /// The current solution.
    pub fn current(&self) -> Option<(A, f64)> {
        self.current
    }
    /// The phase of the search.
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// Every one of `n` positions is left to try.
    fn all_positions_left(&mut self, n: usize) {
        assert!(n <= 16, "a search space has at most 16 positions, not {n}");
        self.positions_left = (0..n as u64).rev().fold(0, |set, p| set << 4 | p);
        self.n_positions_left = n;
    }
    #[inline(always)]
    fn take_random_position(&mut self, rng: &mut Rng) -> usize {
        // The `i`-th of the positions left in increasing order, as taking it out of the
        // ordered list of them would give; without branches on `i`, which is random (a
        // branch on it would often be mispredicted).
        let i = rng.below(self.n_positions_left) as u32;
        let left = self.positions_left;
        let position = (left >> (4 * i)) & 0xf;
        let below = left & ((1u64 << (4 * i)) - 1);
        let above = (left >> (4 * i) >> 4) << (4 * i);
        self.positions_left = below | above;
        self.n_positions_left -= 1;
        position as usize
    }
    #[inline(always)]
    fn queue_position<S: SearchSpace<Arch = A>>(
        &mut self,
        space: &S,
        position: usize,
        rng: &mut Rng,
    ) {
        let (cur, _) = self.current.expect("started");
        if self.queue_next == self.queue.len() {
            self.clear_queue();
        }
        let start = self.queue.len();
        space.position_neighbours(cur, position, &mut self.queue);
        rng.shuffle(&mut self.queue[start..]);
    }
    fn clear_queue(&mut self) {
        self.queue.clear();
        self.queue_next = 0;
    }
    fn pop_queue(&mut self) -> Option<A> {
        let next = self.queue.get(self.queue_next).copied();
        self.queue_next += next.is_some() as usize;
        next
    }
}

impl<S: SearchSpace> Searcher<S> for LocalSearch<S::Arch> {
    // Inlined where MF-NAS's stage 1 calls it: one call per evaluation instead of two.
    #[inline(always)]
    fn ask(&mut self, space: &S, rng: &mut Rng, _events: &mut Events) -> Ask<S::Arch> {
        let eval = |arch, kind, me: &mut Self| {
            me.pending = Some((arch, kind));
            Ask::Evaluate {
                arch,
                objective: me.objective,
                charge: true,
            }
        };
        loop {
            if self.phase == Phase::Done || self.max_evals.is_some_and(|m| self.n_evals >= m) {
                self.phase = Phase::Done;
                return Ask::Done;
            }
            match self.phase {
                Phase::Start => {
                    let arch = match self.start {
                        Some(arch) => arch,
                        None => space.sample(rng),
                    };
                    return eval(arch, Pending::Start, self);
                }
                Phase::Sweeping => {
                    if let Some(arch) = self.pop_queue() {
                        return eval(arch, Pending::Neighbour, self);
                    }
                    if self.first_improvement && self.n_positions_left != 0 {
                        let p = self.take_random_position(rng);
                        self.queue_position(space, p, rng);
                        continue;
                    }
                    self.phase = Phase::BetweenSweeps;
                    if !self.improved {
                        let (cur, _) = self.current.expect("started");
                        let arch = space.random_2opt(cur, rng);
                        return eval(arch, Pending::Escape, self);
                    }
                }
                Phase::BetweenSweeps => {
                    if self.stop_on_budget && self.over {
                        self.phase = Phase::Done;
                        continue;
                    }
                    self.phase = Phase::Sweeping;
                    self.improved = false;
                    self.clear_queue();
                    self.all_positions_left(space.n_positions());
                    if !self.first_improvement {
                        while self.n_positions_left != 0 {
                            let p = self.take_random_position(rng);
                            self.queue_position(space, p, rng);
                        }
                    }
                }
                Phase::Done => unreachable!("handled above"),
            }
        }
    }

    #[inline(always)]
    fn tell(&mut self, space: &S, told: Told, _rng: &mut Rng, events: &mut Events) {
        let (arch, kind) = self.pending.take().expect("tell follows ask");
        let score = told.score;
        self.n_evals += 1;
        self.over = told.over_budget;
        self.history.push((arch, score));
        match kind {
            Pending::Start => {
                self.current = Some((arch, score));
                self.current_changed();
                self.phase = Phase::BetweenSweeps;
            }
            Pending::Neighbour => {
                let (cur, cur_score) = self.current.expect("started");
                let verdict = if score >= cur_score {
                    Verdict::Accepted
                } else {
                    Verdict::Rejected
                };
                events.push(|| compared(space, (cur, cur_score), (arch, score), verdict));
                // Equal scores are accepted (the reference's `>=`): the search drifts
                // across plateaus instead of stopping on them.
                if score >= cur_score {
                    self.current = Some((arch, score));
                    self.current_changed();
                    self.improved = true;
                    events.push(|| Event::Moved {
                        from: space.id(cur),
                        to: space.id(arch),
                        score,
                    });
                    if self.first_improvement {
                        self.clear_queue();
                        self.phase = Phase::BetweenSweeps;
                    }
                }
            }
            Pending::Escape => {
                let (cur, cur_score) = self.current.expect("started");
                events.push(|| compared(space, (cur, cur_score), (arch, score), Verdict::Escape));
                self.current = Some((arch, score));
                self.current_changed();
                events.push(|| Event::Escaped {
                    from: space.id(cur),
                    to: space.id(arch),
                });
            }
        }
        if update_best(&mut self.best, arch, score) {
            events.push(|| Event::NewBest {
                arch: space.id(arch),
                score,
            });
        }
    }

    fn best(&self) -> Option<(S::Arch, f64)> {
        self.best
    }

    fn snapshot(&self, space: &S, labels: &[String]) -> Snapshot {
        Snapshot::LocalSearch(self.local_snapshot(space, labels))
    }
}

impl<A> KeepsHistory for LocalSearch<A> {
    fn keep_history(&mut self) {
        self.keep_history = true;
        // MF-NAS's stage 1 knows how many evaluations it will make: room for all of them
        // at once rather than growing the list as they come (up to a sane amount).
        if let Some(m) = self.max_evals {
            self.history.reserve(m.min(1 << 16) as usize);
        }
    }
}

impl<S: SearchSpace> super::mf_nas::Stage1<S> for LocalSearch<S::Arch> {
    fn history(&self) -> &[(S::Arch, f64)] {
        &self.history
    }
}

impl<A: Copy> LocalSearch<A> {
    /// The state for views (also used inside MF-NAS's snapshot).
    pub fn local_snapshot<S: SearchSpace<Arch = A>>(
        &self,
        space: &S,
        labels: &[String],
    ) -> LocalSearchSnapshot {
        let scored = |(a, s): (A, f64)| Scored::new(space.id(a), s);
        LocalSearchSnapshot {
            first_improvement: self.first_improvement,
            objective: labels[self.objective].clone(),
            phase: self.phase,
            current: self.current.map(scored),
            best: self.best.map(scored),
            tried: self.history[self.tried_from..]
                .iter()
                .copied()
                .map(scored)
                .collect(),
            evals: self.n_evals,
        }
    }
}

/// The step inspector's record of one comparison (built only when events are recorded).
fn compared<S: SearchSpace>(
    space: &S,
    (cur, before): (S::Arch, f64),
    (cand, after): (S::Arch, f64),
    verdict: Verdict,
) -> Event {
    let score = |s: f64| Some(s).filter(|s| *s != f64::NEG_INFINITY);
    let (before, after) = (score(before), score(after));
    Event::Compared {
        from: space.id(cur),
        to: space.id(cand),
        changed: changed_positions(space, cur, cand),
        before,
        after,
        difference: before.zip(after).map(|(b, a)| a - b),
        verdict,
    }
}

/// The positions at which `b` differs from `a` when it is one of `a`'s 1-opt or 2-opt
/// neighbours (empty otherwise), found through the space's own neighbourhoods so that it
/// holds for every space.
fn changed_positions<S: SearchSpace>(space: &S, a: S::Arch, b: S::Arch) -> Vec<u32> {
    let n = space.n_positions();
    let mut first = Vec::new();
    let mut second = Vec::new();
    for i in 0..n {
        first.clear();
        space.position_neighbours(a, i, &mut first);
        if first.contains(&b) {
            return vec![i as u32];
        }
    }
    for i in 0..n {
        first.clear();
        space.position_neighbours(a, i, &mut first);
        for &x in &first {
            for j in (i + 1)..n {
                second.clear();
                space.position_neighbours(x, j, &mut second);
                if second.contains(&b) {
                    return vec![i as u32, j as u32];
                }
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::Cost;
    use crate::space::nb201::{Nb201, Nb201Arch};

    /// Asks and tells `ls` `n` times, scoring a cell by its index modulo 97.
    fn run(
        mut ls: LocalSearch<crate::space::nb201::Nb201Arch>,
        n: usize,
    ) -> LocalSearch<crate::space::nb201::Nb201Arch> {
        let (mut rng, mut events) = (Rng::new(4), Events::new(false));
        for _ in 0..n {
            let Ask::Evaluate { arch, .. } = ls.ask(&Nb201, &mut rng, &mut events) else {
                panic!("an unlimited local search never stops");
            };
            let told = Told {
                score: (Nb201.id(arch) % 97) as f64,
                over_budget: false,
                cost: Cost::default(),
            };
            ls.tell(&Nb201, told, &mut rng, &mut events);
        }
        ls
    }

    #[test]
    fn local_search_alone_keeps_only_the_evaluations_since_its_last_move() {
        let ls = run(LocalSearch::new(0, true, None, true), 20_000);
        // At most one sweep of the 24 neighbours and an escape since the last change.
        assert!(ls.history().len() <= 25, "{}", ls.history().len());
        let snap = ls.local_snapshot(&Nb201, &["s".to_string()]);
        assert_eq!(snap.tried.len(), ls.history().len());
        assert_eq!(snap.evals, 20_000);
    }

    #[test]
    fn positions_are_taken_in_the_order_of_drawing_them_from_an_ordered_list() {
        for n in 0..=16 {
            let mut ls = LocalSearch::<Nb201Arch>::new(0, true, None, false);
            ls.all_positions_left(n);
            let (mut rng, mut list_rng) = (Rng::new(n as u64), Rng::new(n as u64));
            let mut list: Vec<usize> = (0..n).collect();
            while !list.is_empty() {
                let want = list.remove(list_rng.below(list.len()));
                assert_eq!(ls.take_random_position(&mut rng), want, "{n} positions");
            }
            assert_eq!(ls.n_positions_left, 0);
        }
    }

    #[test]
    fn as_a_stage_1_local_search_keeps_every_evaluation() {
        let mut ls = LocalSearch::new(0, true, None, false);
        ls.keep_history();
        assert_eq!(run(ls, 3_000).history().len(), 3_000);
    }
}
