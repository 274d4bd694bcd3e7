//! Best-improvement hill climbing from every start at once.
//!
//! Each node points at its best 1-opt neighbour if that one is strictly better (ties: the
//! smallest key), else at itself. Pointers only go up in fitness, so they form a forest
//! whose roots are the local optima; a climb from any start follows pointers to its root.
//! Ends are memoised, so all climbs together cost one pass over the neighbourhood
//! (`O(n · neighbours)`) plus `O(n)`.

use super::Neighbourhood;

/// The outcome of best-improvement hill climbing from every node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Climb {
    /// The node a climb moves to from each node (itself at a local optimum).
    pub next: Vec<u32>,
    /// The local optimum each climb ends in.
    pub end: Vec<u32>,
    /// The local optima, in key order. Their position in this list is their *ordinal*.
    pub optima: Vec<u32>,
    /// The ordinal of the optimum each node's climb ends in (its basin).
    pub basin: Vec<u32>,
}

/// Runs best-improvement hill climbing from every node of `nb` on `fitness` (larger is
/// better, `-inf` for missing; must have one value per node and no `NaN`).
pub fn best_improvement(nb: &Neighbourhood, fitness: &[f64]) -> Climb {
    let n = nb.len();
    assert_eq!(fitness.len(), n, "one fitness value per node");
    let mut next = Vec::with_capacity(n);
    for x in 0..n as u32 {
        next.push(best_move(nb, fitness, x));
    }
    let mut end = vec![u32::MAX; n];
    let mut path = Vec::new();
    for x in 0..n as u32 {
        let mut y = x;
        while end[y as usize] == u32::MAX && next[y as usize] != y {
            path.push(y);
            y = next[y as usize];
        }
        let root = if end[y as usize] == u32::MAX {
            y
        } else {
            end[y as usize]
        };
        end[y as usize] = root;
        for p in path.drain(..) {
            end[p as usize] = root;
        }
    }
    let mut ordinal = vec![u32::MAX; n];
    let mut optima = Vec::new();
    for x in 0..n as u32 {
        if next[x as usize] == x {
            ordinal[x as usize] = optima.len() as u32;
            optima.push(x);
        }
    }
    let basin = end.iter().map(|&e| ordinal[e as usize]).collect();
    Climb {
        next,
        end,
        optima,
        basin,
    }
}

/// The node best improvement moves to from `x`: the strictly better neighbour of highest
/// fitness, the smallest node id (= smallest key) among equals; `x` itself if none.
#[inline]
pub fn best_move(nb: &Neighbourhood, fitness: &[f64], x: u32) -> u32 {
    let mut best = x;
    let mut best_f = fitness[x as usize];
    for &y in nb.neighbours(x) {
        let fy = fitness[y as usize];
        if fy > best_f || (fy == best_f && best != x && y < best) {
            best = y;
            best_f = fy;
        }
    }
    best
}

impl Climb {
    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.next.len()
    }
    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.next.is_empty()
    }
    /// Whether `node` is a local optimum.
    pub fn is_optimum(&self, node: u32) -> bool {
        self.next[node as usize] == node
    }
    /// The size of each optimum's basin, by ordinal.
    pub fn basin_sizes(&self) -> Vec<u32> {
        let mut sizes = vec![0u32; self.optima.len()];
        for &b in &self.basin {
            sizes[b as usize] += 1;
        }
        sizes
    }
    /// The climb from `start`: every node visited, `start` first, the optimum last.
    pub fn path(&self, start: u32) -> Vec<u32> {
        let mut p = vec![start];
        let mut x = start;
        while self.next[x as usize] != x {
            x = self.next[x as usize];
            p.push(x);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lon::testspace::{Grid, TINY};

    const ROOK: Grid = Grid {
        positions: 2,
        choices: 3,
    };

    fn rook(f: [f64; 9]) -> (Neighbourhood, Climb) {
        let nb = Neighbourhood::new(&ROOK, 0..9).unwrap();
        let c = best_improvement(&nb, &f);
        (nb, c)
    }

    #[test]
    fn a_fitness_increasing_with_the_key_has_one_optimum_whose_basin_is_everything() {
        let nb = Neighbourhood::new(&TINY, 0..27).unwrap();
        let f: Vec<f64> = (0..27).map(|k| k as f64).collect();
        let c = best_improvement(&nb, &f);
        assert_eq!(c.optima, vec![26]);
        assert_eq!(c.basin_sizes(), vec![27]);
    }

    #[test]
    fn the_two_peak_rook_landscape_has_the_basins_counted_by_hand() {
        // Rows are the first position, columns the second; key = 3·row + col.
        // 9 1 2 / 3 4 5 / 6 7 8: optima at keys 0 (9) and 8 (8).
        let (_, c) = rook([9., 1., 2., 3., 4., 5., 6., 7., 8.]);
        assert_eq!(c.optima, vec![0, 8]);
        assert_eq!(c.end, vec![0, 0, 0, 0, 8, 8, 0, 8, 8]);
        assert_eq!(c.basin_sizes(), vec![5, 4]);
        assert_eq!(c.path(4), vec![4, 7, 8]);
    }

    #[test]
    fn equal_best_neighbours_are_broken_by_the_smallest_key() {
        // 5 5 1 / 1 1 1 / 1 1 3: key 2 sees keys 0 and 1 at 5 and moves to 0.
        let (_, c) = rook([5., 5., 1., 1., 1., 1., 1., 1., 3.]);
        assert_eq!(c.next[2], 0);
        assert_eq!(c.optima, vec![0, 1, 8]);
        assert_eq!(c.basin_sizes(), vec![4, 3, 2]);
    }

    #[test]
    fn equal_neighbours_are_not_an_improvement() {
        let (_, c) = rook([1.; 9]);
        assert_eq!(c.optima, (0..9).collect::<Vec<_>>());
    }

    #[test]
    fn a_missing_node_surrounded_by_missing_nodes_is_an_optimum() {
        let m = f64::NEG_INFINITY;
        let (_, c) = rook([2., m, m, m, m, m, m, m, m]);
        assert_eq!(c.optima, vec![0, 4, 5, 7, 8]);
        assert_eq!(c.end, vec![0, 0, 0, 0, 4, 5, 0, 7, 8]);
    }
}
