//! Local optima networks: escape edges, the monotonic LON, the compressed MLON, sinks,
//! global optima and funnels.
//!
//! Nodes of a [`Lon`] are the local optima by *ordinal* (their position in
//! [`Climb::optima`], key order). An escape edge `x → y` of weight `w` says that `w` of the
//! 2-opt neighbours of `x` climb to `y`.

use super::Neighbourhood;
use super::climb::Climb;
use crate::error::Result;
use crate::space::SearchSpace;

/// A weighted directed edge between two network nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    /// Where the edge starts.
    pub source: u32,
    /// Where it ends.
    pub target: u32,
    /// How many escapes take it.
    pub weight: u32,
}

/// The local optima network of one fitness.
#[derive(Debug, Clone, PartialEq)]
pub struct Lon {
    /// The node (in the [`Neighbourhood`]) of each optimum, by ordinal.
    pub nodes: Vec<u32>,
    /// The fitness of each optimum (`-inf` when unscored).
    pub fitness: Vec<f64>,
    /// The basin size of each optimum.
    pub basin_size: Vec<u32>,
    /// The size of each optimum's 2-opt neighbourhood (the escapes tried from it).
    pub n_escapes: Vec<u32>,
    /// Escape edges, sorted by (source, target), self-loops included.
    pub edges: Vec<Edge>,
    /// The best scored fitness (`None` when nothing is scored).
    pub best: Option<f64>,
}

impl Lon {
    /// Builds the LON of `fitness` from the climbs `climb`, trying every 2-opt neighbour of
    /// every optimum as a restart.
    pub fn build<S: SearchSpace>(
        space: &S,
        nb: &Neighbourhood,
        climb: &Climb,
        fitness: &[f64],
    ) -> Result<Self> {
        let n_opt = climb.optima.len();
        let mut edges = Vec::new();
        let mut n_escapes = Vec::with_capacity(n_opt);
        let mut scratch = Vec::new();
        let mut two_opt = Vec::new();
        let mut targets = Vec::new();
        for (ordinal, &node) in climb.optima.iter().enumerate() {
            two_opt.clear();
            nb.neighbours_2opt(space, node, &mut scratch, &mut two_opt)?;
            n_escapes.push(two_opt.len() as u32);
            targets.clear();
            targets.extend(two_opt.iter().map(|&z| climb.basin[z as usize]));
            targets.sort_unstable();
            let mut i = 0;
            while i < targets.len() {
                let t = targets[i];
                let mut j = i;
                while j < targets.len() && targets[j] == t {
                    j += 1;
                }
                edges.push(Edge {
                    source: ordinal as u32,
                    target: t,
                    weight: (j - i) as u32,
                });
                i = j;
            }
        }
        let opt_fitness: Vec<f64> = climb.optima.iter().map(|&x| fitness[x as usize]).collect();
        let best = opt_fitness
            .iter()
            .copied()
            .filter(|f| f.is_finite() || *f == f64::INFINITY)
            .fold(None, |m: Option<f64>, f| Some(m.map_or(f, |m| m.max(f))));
        Ok(Self {
            nodes: climb.optima.clone(),
            fitness: opt_fitness,
            basin_size: climb.basin_sizes(),
            n_escapes,
            edges,
            best,
        })
    }

    /// Number of optima.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
    /// Whether there are no optima.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
    /// Whether optimum `o` has a score.
    pub fn is_scored(&self, o: u32) -> bool {
        self.fitness[o as usize] != f64::NEG_INFINITY
    }
    /// Number of optima without a score.
    pub fn n_unscored(&self) -> usize {
        self.fitness
            .iter()
            .filter(|&&f| f == f64::NEG_INFINITY)
            .count()
    }
    /// The monotonic LON's edges: those that do not go down in fitness (`f(y) ≥ f(x)`).
    pub fn mlon_edges(&self) -> Vec<Edge> {
        self.edges
            .iter()
            .copied()
            .filter(|e| self.fitness[e.target as usize] >= self.fitness[e.source as usize])
            .collect()
    }
    /// The global optima (ordinals): the scored optima of the best fitness.
    pub fn global_optima(&self) -> Vec<u32> {
        match self.best {
            Some(b) => (0..self.len() as u32)
                .filter(|&o| self.fitness[o as usize] == b)
                .collect(),
            None => Vec::new(),
        }
    }
    /// Whether each optimum is a sink: no MLON edge out of it leads to a strictly better
    /// optimum.
    pub fn sinks(&self) -> Vec<bool> {
        let mut sink = vec![true; self.len()];
        for e in &self.edges {
            if self.fitness[e.target as usize] > self.fitness[e.source as usize] {
                sink[e.source as usize] = false;
            }
        }
        sink
    }
    /// Whether some global optimum can be reached from each optimum along MLON edges.
    pub fn reaches_global(&self) -> Vec<bool> {
        let mlon = self.mlon_edges();
        let mut into: Vec<Vec<u32>> = vec![Vec::new(); self.len()];
        for e in &mlon {
            into[e.target as usize].push(e.source);
        }
        let mut reach = vec![false; self.len()];
        let mut stack = self.global_optima();
        for &g in &stack {
            reach[g as usize] = true;
        }
        while let Some(y) = stack.pop() {
            for &x in &into[y as usize] {
                if !reach[x as usize] {
                    reach[x as usize] = true;
                    stack.push(x);
                }
            }
        }
        reach
    }
    /// The share of scored optima from which a global optimum is reachable in the MLON
    /// (0 when nothing is scored). Unscored optima are artefacts of missing data and are
    /// left out, as they are from the count of optima.
    pub fn funnel_share(&self) -> f64 {
        let r = self.reaches_global();
        let scored: Vec<u32> = (0..self.len() as u32)
            .filter(|&o| self.is_scored(o))
            .collect();
        if scored.is_empty() {
            return 0.0;
        }
        scored.iter().filter(|&&o| r[o as usize]).count() as f64 / scored.len() as f64
    }
    /// Number of distinct other nodes with an edge into each node, over `edges`.
    pub fn in_degrees(n: usize, edges: &[Edge]) -> Vec<u32> {
        let mut d = vec![0u32; n];
        for e in edges {
            if e.source != e.target {
                d[e.target as usize] += 1;
            }
        }
        d
    }
    /// The compressed MLON: optima joined by MLON edges of equal fitness merged into one
    /// plateau node.
    pub fn compress(&self) -> Cmlon {
        let mlon = self.mlon_edges();
        let mut uf = UnionFind::new(self.len());
        for e in &mlon {
            if e.source != e.target
                && self.fitness[e.source as usize] == self.fitness[e.target as usize]
            {
                uf.union(e.source, e.target);
            }
        }
        // Plateaus numbered by their first (smallest-key) member.
        let mut plateau_of = vec![u32::MAX; self.len()];
        let mut plateaus: Vec<Plateau> = Vec::new();
        for o in 0..self.len() as u32 {
            let root = uf.find(o);
            let p = if plateau_of[root as usize] == u32::MAX {
                plateaus.push(Plateau {
                    members: Vec::new(),
                    fitness: self.fitness[o as usize],
                    basin_size: 0,
                });
                let p = (plateaus.len() - 1) as u32;
                plateau_of[root as usize] = p;
                p
            } else {
                plateau_of[root as usize]
            };
            plateau_of[o as usize] = p;
            plateaus[p as usize].members.push(o);
            plateaus[p as usize].basin_size += self.basin_size[o as usize];
        }
        let mut agg: Vec<Edge> = mlon
            .iter()
            .map(|e| Edge {
                source: plateau_of[e.source as usize],
                target: plateau_of[e.target as usize],
                weight: e.weight,
            })
            .filter(|e| e.source != e.target)
            .collect();
        agg.sort_unstable_by_key(|e| (e.source, e.target));
        let mut edges: Vec<Edge> = Vec::with_capacity(agg.len());
        for e in agg {
            match edges.last_mut() {
                Some(l) if l.source == e.source && l.target == e.target => l.weight += e.weight,
                _ => edges.push(e),
            }
        }
        Cmlon {
            plateau_of,
            plateaus,
            edges,
            best: self.best,
        }
    }
}

/// A plateau of the compressed MLON: optima of equal fitness joined by MLON edges.
#[derive(Debug, Clone, PartialEq)]
pub struct Plateau {
    /// Its optima (ordinals), in key order.
    pub members: Vec<u32>,
    /// Their common fitness.
    pub fitness: f64,
    /// The sum of their basin sizes.
    pub basin_size: u32,
}

/// The compressed monotonic LON.
#[derive(Debug, Clone, PartialEq)]
pub struct Cmlon {
    /// The plateau of each optimum (by ordinal).
    pub plateau_of: Vec<u32>,
    /// The plateaus, numbered in the key order of their first member.
    pub plateaus: Vec<Plateau>,
    /// Aggregated MLON edges between distinct plateaus (all strictly improving).
    pub edges: Vec<Edge>,
    /// The best scored fitness.
    pub best: Option<f64>,
}

impl Cmlon {
    /// Whether each plateau is a sink (no edge out: no strictly better plateau reachable
    /// in one escape).
    pub fn sinks(&self) -> Vec<bool> {
        let mut sink = vec![true; self.plateaus.len()];
        for e in &self.edges {
            sink[e.source as usize] = false;
        }
        sink
    }
    /// Whether each plateau holds global optima.
    pub fn global(&self) -> Vec<bool> {
        self.plateaus
            .iter()
            .map(|p| self.best == Some(p.fitness))
            .collect()
    }
}

struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n as u32).collect(),
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        // The smaller root wins, so the result does not depend on the order of unions.
        if ra < rb {
            self.parent[rb as usize] = ra;
        } else if rb < ra {
            self.parent[ra as usize] = rb;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lon::climb::best_improvement;
    use crate::lon::testspace::Grid;

    const ROOK: Grid = Grid {
        positions: 2,
        choices: 3,
    };
    const M: f64 = f64::NEG_INFINITY;

    fn lon(f: [f64; 9]) -> Lon {
        let nb = Neighbourhood::new(&ROOK, 0..9).unwrap();
        let c = best_improvement(&nb, &f);
        Lon::build(&ROOK, &nb, &c, &f).unwrap()
    }
    fn e(source: u32, target: u32, weight: u32) -> Edge {
        Edge {
            source,
            target,
            weight,
        }
    }

    // 9 1 2 / 3 4 5 / 6 7 8: optima keys 0 (ordinal 0) and 8 (ordinal 1).
    const TWO_PEAKS: [f64; 9] = [9., 1., 2., 3., 4., 5., 6., 7., 8.];
    // 5 5 1 / 1 1 1 / 1 1 3: optima keys 0, 1 (a plateau) and 8.
    const PLATEAU: [f64; 9] = [5., 5., 1., 1., 1., 1., 1., 1., 3.];

    #[test]
    fn the_two_peak_lon_has_the_escape_edges_counted_by_hand() {
        let l = lon(TWO_PEAKS);
        assert_eq!(l.nodes, vec![0, 8]);
        assert_eq!(l.edges, vec![e(0, 1, 4), e(1, 0, 3), e(1, 1, 1)]);
    }

    #[test]
    fn the_mlon_drops_the_edge_that_goes_down() {
        let l = lon(TWO_PEAKS);
        assert_eq!(l.mlon_edges(), vec![e(1, 0, 3), e(1, 1, 1)]);
    }

    #[test]
    fn only_the_best_optimum_is_global_and_a_sink_in_the_two_peak_landscape() {
        let l = lon(TWO_PEAKS);
        assert_eq!(l.global_optima(), vec![0]);
        assert_eq!(l.sinks(), vec![true, false]);
        assert_eq!(l.funnel_share(), 1.0);
    }

    #[test]
    fn equal_optima_joined_by_an_edge_form_one_plateau() {
        let l = lon(PLATEAU);
        assert_eq!(l.nodes, vec![0, 1, 8]);
        assert_eq!(
            l.edges,
            vec![
                e(0, 1, 2),
                e(0, 2, 2),
                e(1, 0, 2),
                e(1, 2, 2),
                e(2, 0, 2),
                e(2, 1, 2)
            ]
        );
        let c = l.compress();
        assert_eq!(c.plateaus.len(), 2);
        assert_eq!(c.plateaus[0].members, vec![0, 1]);
        assert_eq!(c.plateaus[0].basin_size, 7);
        assert_eq!(c.edges, vec![e(1, 0, 4)]);
        assert_eq!(c.sinks(), vec![true, false]);
        assert_eq!(c.global(), vec![true, false]);
    }

    #[test]
    fn both_plateau_optima_are_global() {
        assert_eq!(lon(PLATEAU).global_optima(), vec![0, 1]);
    }

    #[test]
    fn unscored_optima_are_never_global_and_can_reach_the_global_one() {
        let l = lon([2., M, M, M, M, M, M, M, M]);
        assert_eq!(l.nodes, vec![0, 4, 5, 7, 8]);
        assert_eq!(l.n_unscored(), 4);
        assert_eq!(l.global_optima(), vec![0]);
        assert_eq!(l.reaches_global(), vec![true; 5]);
        // Unscored optima 4↔8 and 5↔7 climb into each other: two plateaus of missing fitness.
        let c = l.compress();
        let members: Vec<Vec<u32>> = c.plateaus.iter().map(|p| p.members.clone()).collect();
        assert_eq!(members, vec![vec![0], vec![1, 4], vec![2, 3]]);
    }

    #[test]
    fn an_optimum_whose_escapes_all_return_lowers_the_funnel_share() {
        // The 4-bit hypercube (1-opt flips one bit, 2-opt two): 0000 scores 10, 1111 scores
        // 5, everything else its number of ones. 1111's 2-opt neighbours (two ones) all climb
        // back to 1111, so it never reaches 0000: half the optima are in the global funnel.
        let cube = Grid {
            positions: 4,
            choices: 2,
        };
        let f: Vec<f64> = (0..16u32)
            .map(|k| match k {
                0 => 10.0,
                15 => 5.0,
                _ => k.count_ones() as f64,
            })
            .collect();
        let nb = Neighbourhood::new(&cube, 0..16).unwrap();
        let c = best_improvement(&nb, &f);
        let l = Lon::build(&cube, &nb, &c, &f).unwrap();
        assert_eq!(l.nodes, vec![0, 15]);
        assert_eq!(l.basin_size, vec![5, 11]);
        assert_eq!(l.edges, vec![e(0, 1, 6), e(1, 1, 6)]);
        assert_eq!(l.funnel_share(), 0.5);
        assert_eq!(l.sinks(), vec![true, true]);
        assert_eq!(l.compress().sinks(), vec![true, true]);
    }
}
