//! FreeREA (Cavagnero et al., WACV 2023): training-free evolution on the sum of normalised
//! proxies (FreeREA's own log-synflow and NASWOT, and the number of skip connections).
//!
//! Each step samples a tournament from the population, takes its two best by rank (each
//! proxy divided by the largest magnitude in the set being ranked, then summed), and adds
//! a mutant of each and their uniform crossover, until the population outgrows its size.
//! Then the oldest member dies and the population is cut back to its size by rank. Every
//! new architecture is charged the compute time of its proxies; an architecture seen
//! before is not charged again. The budget is checked before each step. The answer is the
//! best-ranked architecture of the whole history.

use super::snapshot::{EvolutionSnapshot, Scored, Snapshot};
use super::{Ask, Searcher, Told};
use crate::event::{Event, Events};
use crate::objective::ObjectiveId;
use crate::rng::Rng;
use crate::space::SearchSpace;
use std::collections::BTreeMap;

/// Parameters of FreeREA.
#[derive(Debug, Clone, PartialEq)]
pub struct FreeReaParams {
    /// Population size (FreeREA default 100).
    pub population: usize,
    /// Tournament size (FreeREA default 25).
    pub tournament: usize,
    /// The proxies whose normalised sum is the fitness.
    pub proxies: Vec<ObjectiveId>,
}

#[derive(Debug, Clone)]
struct Member<A> {
    arch: A,
    scores: Vec<f64>,
    generation: u64,
}

/// FreeREA.
#[derive(Debug, Clone)]
pub struct FreeRea<A> {
    params: FreeReaParams,
    history: Vec<Member<A>>,
    seen: BTreeMap<A, usize>,
    population: Vec<usize>,
    /// Architectures waiting to be scored, with the proxy index reached so far.
    scoring: Vec<(A, u64)>,
    scoring_proxy: usize,
    partial: Vec<f64>,
    initialised: bool,
    step: u64,
    stalled: u32,
    over: bool,
    done: bool,
}

/// Tournaments in a row that may bring no new (charged) architecture before the search
/// stops. Re-offering known architectures costs nothing, so without this limit a search
/// that has seen everything its population reaches would never use up its budget.
const MAX_STALLED_TOURNAMENTS: u32 = 1_000;

/// Rank of each member of `set`: the sum over proxies of value / max |value| in the set.
/// Missing (non-finite) values rank below everything.
fn ranks<A>(history: &[Member<A>], set: &[usize], n_proxies: usize) -> Vec<f64> {
    let mut r = vec![0.0; set.len()];
    for p in 0..n_proxies {
        let max_abs = set
            .iter()
            .map(|&i| history[i].scores[p])
            .filter(|v| v.is_finite())
            .fold(0.0f64, |m, v| m.max(v.abs()));
        for (k, &i) in set.iter().enumerate() {
            let v = history[i].scores[p];
            r[k] += if v.is_finite() {
                v / (max_abs + 1e-9)
            } else {
                f64::NEG_INFINITY
            };
        }
    }
    r
}

/// `set` sorted by rank, best first (ties keep their order).
fn by_rank<A>(history: &[Member<A>], set: &[usize], n_proxies: usize) -> Vec<usize> {
    let r = ranks(history, set, n_proxies);
    let mut order: Vec<usize> = (0..set.len()).collect();
    order.sort_by(|&a, &b| r[b].total_cmp(&r[a]));
    order.into_iter().map(|k| set[k]).collect()
}

impl<A: Copy + Ord> FreeRea<A> {
    /// FreeREA with `params`.
    pub fn new(params: FreeReaParams) -> Self {
        Self {
            params,
            history: Vec::new(),
            seen: BTreeMap::new(),
            population: Vec::new(),
            scoring: Vec::new(),
            scoring_proxy: 0,
            partial: Vec::new(),
            initialised: false,
            step: 0,
            stalled: 0,
            over: false,
            done: false,
        }
    }

    /// Adds `arch` to the population (scoring it first if it is new).
    fn offer(&mut self, arch: A, generation: u64) {
        match self.seen.get(&arch) {
            Some(&i) => {
                self.history[i].generation = generation;
                if !self.population.contains(&i) {
                    self.population.push(i);
                }
            }
            None => {
                if !self.scoring.iter().any(|&(a, _)| a == arch) {
                    self.scoring.push((arch, generation));
                }
            }
        }
    }

    fn prune(&mut self) {
        let k = self.params.population;
        let gens: Vec<u64> = self
            .population
            .iter()
            .map(|&i| self.history[i].generation)
            .collect();
        if gens.iter().any(|&g| g != gens[0]) && self.population.len() > k {
            let oldest = (0..gens.len())
                .min_by_key(|&j| (gens[j], j))
                .expect("non-empty");
            self.population.remove(oldest);
        }
        if self.population.len() > k {
            let ordered = by_rank(&self.history, &self.population, self.params.proxies.len());
            self.population = ordered[..k].to_vec();
        }
    }
}

impl<S: SearchSpace> Searcher<S> for FreeRea<S::Arch> {
    #[inline(always)]
    fn ask(&mut self, space: &S, rng: &mut Rng, events: &mut Events) -> Ask<S::Arch> {
        loop {
            if self.done {
                return Ask::Done;
            }
            if let Some(&(arch, _)) = self.scoring.first() {
                return Ask::Evaluate {
                    arch,
                    objective: self.params.proxies[self.scoring_proxy],
                    charge: true,
                };
            }
            if !self.initialised {
                if self.seen.is_empty() {
                    // Initial population: distinct random architectures.
                    let mut tries = 0;
                    while self.scoring.len() < self.params.population
                        && tries < 100 * self.params.population
                    {
                        let a = space.sample(rng);
                        self.offer(a, 0);
                        tries += 1;
                    }
                    continue;
                }
                self.initialised = true;
                self.prune();
                continue;
            }
            // A step ends once the population has outgrown its size: prune, check budget.
            if self.population.len() > self.params.population {
                self.prune();
                self.step += 1;
            }
            self.stalled += 1;
            if self.over || self.population.len() < 2 || self.stalled > MAX_STALLED_TOURNAMENTS {
                self.done = true;
                continue;
            }
            let n = self.population.len();
            let picked: Vec<usize> = rng
                .sample_indices(n, self.params.tournament.min(n))
                .into_iter()
                .map(|j| self.population[j])
                .collect();
            let top = by_rank(&self.history, &picked, self.params.proxies.len());
            let (a, b) = (
                self.history[top[0]].arch,
                self.history[top[1.min(top.len() - 1)]].arch,
            );
            let g = self.step + 1;
            for parent in [a, b] {
                let mut opts = Vec::new();
                space.position_neighbours(parent, rng.below(space.n_positions()), &mut opts);
                // A space restricted to a table's cells may have no neighbour at that
                // position: the parent is offered again (known, so not charged).
                let child = if opts.is_empty() {
                    parent
                } else {
                    opts[rng.below(opts.len())]
                };
                events.push(|| Event::Born {
                    arch: space.id(child),
                    parent: Some(space.id(parent)),
                    score: None,
                });
                self.offer(child, g);
            }
            let child = space.crossover(a, b, rng);
            self.offer(child, g);
        }
    }

    #[inline(always)]
    fn tell(&mut self, _space: &S, told: Told, _rng: &mut Rng, _events: &mut Events) {
        self.over = told.over_budget;
        self.partial.push(told.score);
        self.scoring_proxy += 1;
        if self.scoring_proxy == self.params.proxies.len() {
            let (arch, generation) = self.scoring.remove(0);
            let idx = self.history.len();
            self.history.push(Member {
                arch,
                scores: std::mem::take(&mut self.partial),
                generation,
            });
            self.seen.insert(arch, idx);
            self.population.push(idx);
            self.scoring_proxy = 0;
            self.stalled = 0;
        }
    }

    fn best(&self) -> Option<(S::Arch, f64)> {
        let all: Vec<usize> = (0..self.history.len()).collect();
        if all.is_empty() {
            return None;
        }
        let r = ranks(&self.history, &all, self.params.proxies.len());
        let mut best = 0;
        for i in 1..all.len() {
            if r[i] > r[best] {
                best = i;
            }
        }
        Some((self.history[best].arch, r[best]))
    }

    /// The population with each member's rank within it (the fitness FreeREA compares).
    fn snapshot(&self, space: &S, _labels: &[String]) -> Snapshot {
        let r = ranks(&self.history, &self.population, self.params.proxies.len());
        let best = <Self as Searcher<S>>::best(self);
        Snapshot::Evolution(EvolutionSnapshot {
            population: self
                .population
                .iter()
                .zip(r)
                .map(|(&i, r)| Scored::new(space.id(self.history[i].arch), r))
                .collect(),
            best: best.map(|(a, s)| Scored::new(space.id(a), s)),
        })
    }
}
