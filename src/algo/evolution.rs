//! Regularised evolution (REA) and REA with a zero-cost warm start (REA+W).
//!
//! The population is a queue: each step picks `tournament` distinct members at random, the
//! best of them (ties: the younger) is mutated, the child is evaluated and appended, and the
//! oldest member dies. The budget is checked before each child. REA+W first scores
//! `warmup_samples` random architectures with a proxy, free of charge (reference protocol),
//! and starts from the top `population` of them.

use super::snapshot::{EvolutionSnapshot, Scored, Snapshot};
use super::{Ask, Searcher, Told, update_best};
use crate::event::{Event, Events};
use crate::objective::ObjectiveId;
use crate::rng::Rng;
use crate::space::SearchSpace;
use std::collections::VecDeque;

/// Parameters of REA, checked by [`crate::algo::config`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReaParams {
    /// Population size.
    pub population: usize,
    /// Tournament size (at most the population).
    pub tournament: usize,
    /// Expected number of positions changed by a mutation.
    pub mutation_rate: f64,
    /// Warm start: (proxy objective, number of random samples scored free).
    pub warmup: Option<(ObjectiveId, usize)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Warmup,
    Init,
    Evolve,
    Done,
}

/// REA / REA+W.
#[derive(Debug, Clone)]
pub struct Rea<A> {
    objective: ObjectiveId,
    params: ReaParams,
    stage: Stage,
    warm: Vec<(A, f64)>,
    init_queue: VecDeque<A>,
    population: VecDeque<(A, f64)>,
    pending: Option<(A, Option<A>)>,
    over: bool,
    best: Option<(A, f64)>,
    /// The indices drawn for the current tournament (kept to reuse its allocation).
    picked: Vec<usize>,
}

impl<A: Copy + Ord> Rea<A> {
    /// REA on `objective` with `params`.
    pub fn new(objective: ObjectiveId, params: ReaParams) -> Self {
        let stage = if params.warmup.is_some() {
            Stage::Warmup
        } else {
            Stage::Init
        };
        Self {
            objective,
            params,
            stage,
            warm: Vec::new(),
            init_queue: VecDeque::new(),
            population: VecDeque::new(),
            pending: None,
            over: false,
            best: None,
            picked: Vec::new(),
        }
    }
    /// The population, oldest first.
    pub fn population(&self) -> impl Iterator<Item = &(A, f64)> {
        self.population.iter()
    }
}

/// The best of a tournament's `members`, in the order they were picked; among equal scores
/// the later (younger) one, as a stable sort by score followed by taking the last would.
fn best_of<A>(mut members: impl Iterator<Item = (A, f64)>) -> (A, f64) {
    let first = members.next().expect("a tournament of at least one");
    members.fold(first, |best, m| if m.1 >= best.1 { m } else { best })
}

impl<S: SearchSpace> Searcher<S> for Rea<S::Arch> {
    #[inline(always)]
    fn ask(&mut self, space: &S, rng: &mut Rng, events: &mut Events) -> Ask<S::Arch> {
        loop {
            match self.stage {
                Stage::Warmup => {
                    let (proxy, n) = self.params.warmup.expect("warm-up stage only with warm-up");
                    if self.warm.len() < n {
                        let arch = space.sample(rng);
                        self.pending = Some((arch, None));
                        return Ask::Evaluate {
                            arch,
                            objective: proxy,
                            charge: false,
                        };
                    }
                    // Top `population` by proxy score; ties keep sampling order.
                    let mut order: Vec<usize> = (0..self.warm.len()).collect();
                    order.sort_by(|&a, &b| self.warm[b].1.total_cmp(&self.warm[a].1));
                    self.init_queue = order
                        .iter()
                        .take(self.params.population)
                        .map(|&i| self.warm[i].0)
                        .collect();
                    self.warm = Vec::new();
                    self.stage = Stage::Init;
                    events.push(|| Event::StageStarted {
                        stage: 2,
                        label: "evolution from the warm-start population".into(),
                    });
                }
                Stage::Init => {
                    if self.init_queue.is_empty()
                        && self.params.warmup.is_none()
                        && self.population.is_empty()
                    {
                        for _ in 0..self.params.population {
                            self.init_queue.push_back(space.sample(rng));
                        }
                    }
                    if let Some(arch) = self.init_queue.pop_front() {
                        self.pending = Some((arch, None));
                        return Ask::Evaluate {
                            arch,
                            objective: self.objective,
                            charge: true,
                        };
                    }
                    self.stage = Stage::Evolve;
                }
                Stage::Evolve => {
                    if self.over || self.population.is_empty() {
                        self.stage = Stage::Done;
                        continue;
                    }
                    let n = self.population.len();
                    let k = self.params.tournament.min(n);
                    let (parent, _) = if k == n {
                        // The whole population competes (the default): walking the queue in
                        // order is walking the picked indices 0..n, without indexing it one
                        // by one.
                        rng.draw_all_indices(n);
                        best_of(self.population.iter().copied())
                    } else {
                        rng.sample_indices_into(n, k, &mut self.picked);
                        best_of(self.picked.iter().map(|&i| self.population[i]))
                    };
                    let child = space.mutate(parent, self.params.mutation_rate, rng);
                    self.pending = Some((child, Some(parent)));
                    return Ask::Evaluate {
                        arch: child,
                        objective: self.objective,
                        charge: true,
                    };
                }
                Stage::Done => return Ask::Done,
            }
        }
    }

    #[inline(always)]
    fn tell(&mut self, space: &S, told: Told, _rng: &mut Rng, events: &mut Events) {
        let (arch, parent) = self.pending.take().expect("tell follows ask");
        if self.stage == Stage::Warmup {
            self.warm.push((arch, told.score));
            return;
        }
        self.over = told.over_budget;
        self.population.push_back((arch, told.score));
        events.push(|| Event::Born {
            arch: space.id(arch),
            parent: parent.map(|p| space.id(p)),
            score: Some(told.score),
        });
        if self.stage == Stage::Evolve
            && let Some((dead, _)) = self.population.pop_front()
        {
            events.push(|| Event::Died {
                arch: space.id(dead),
            });
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

    fn snapshot(&self, space: &S, _labels: &[String]) -> Snapshot {
        let scored = |&(a, s): &(S::Arch, f64)| Scored::new(space.id(a), s);
        Snapshot::Evolution(EvolutionSnapshot {
            population: self.population.iter().map(scored).collect(),
            best: self.best.as_ref().map(scored),
        })
    }
}
