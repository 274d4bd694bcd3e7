//! The map of the whole NB201 space: all 15,625 cells on a fixed 125 × 125 grid, with one
//! metric's values, ranks, local optima and basins per cell (the explorer's space map and
//! proxy-against-accuracy scatter draw it; nothing is recomputed on the page).
//!
//! # Layout
//! A cell's six operations are read as two three-digit base-5 numbers: the **row** from
//! edges 0→1, 0→2, 1→2 (arch-string positions 0, 1, 2; the first is the most significant
//! digit) and the **column** from edges 0→3, 1→3, 2→3 (positions 3, 4, 5). Edges 0-2 feed
//! the inner nodes and edges 3-5 the output, so the split means something, and the direct
//! input→output edge 0→3 is the outermost column digit: it is the edge that separates good
//! from bad cells most. Each digit orders the operations roughly from worst to best on
//! average: none, avg_pool_3x3, skip_connect, nor_conv_1x1, nor_conv_3x3. So the grid is
//! 5 × 5 blocks of 25 × 25, each of those 5 × 5 blocks of 5 × 5 cells.
//!
//! A cell's 24 neighbours (one edge changed) lie 12 in its row and 12 in its column, but not
//! every cell of its row or column is a neighbour: views mark neighbours explicitly.

use super::landscape::{Landscape, LandscapeSummary, MetricLandscape};
use super::stats;
use crate::space::SearchSpace;
use crate::space::nb201::{N_ARCHS, N_OPS, Nb201, Nb201Arch, OP_NAMES};
use serde::{Deserialize, Serialize};

/// Cells per side of the map.
pub const SIDE: usize = 125;
/// The arch-string positions (edges) whose operations give the row, most significant first.
pub const ROW_EDGES: [usize; 3] = [0, 1, 2];
/// The arch-string positions (edges) whose operations give the column, most significant first.
pub const COL_EDGES: [usize; 3] = [3, 4, 5];
/// Operation ids (see [`OP_NAMES`]) in digit order: none, avg_pool_3x3, skip_connect,
/// nor_conv_1x1, nor_conv_3x3.
pub const OP_ORDER: [u8; N_OPS] = [0, 4, 1, 2, 3];

/// The digit of operation `op` in the map's order.
fn digit(op: u8) -> usize {
    OP_ORDER
        .iter()
        .position(|&o| o == op)
        .expect("every op id has a digit")
}

/// The grid index (`row * 125 + column`) of an architecture.
pub fn cell_of(arch: Nb201Arch) -> usize {
    let g = arch.genotype();
    let number = |edges: [usize; 3]| edges.iter().fold(0, |n, &e| n * N_OPS + digit(g[e]));
    number(ROW_EDGES) * SIDE + number(COL_EDGES)
}

/// The architecture drawn at grid index `cell` (the inverse of [`cell_of`]).
pub fn arch_at(cell: usize) -> Nb201Arch {
    let mut g = [0u8; 6];
    for (edges, mut n) in [(ROW_EDGES, cell / SIDE), (COL_EDGES, cell % SIDE)] {
        for &e in edges.iter().rev() {
            g[e] = OP_ORDER[n % N_OPS];
            n /= N_OPS;
        }
    }
    Nb201Arch::from_genotype(g).expect("digits are op ids")
}

/// One metric over the whole space, cell by cell in grid order (index = `row * 125 + col`).
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpaceMap {
    /// The metric's column name.
    pub metric: String,
    /// Cells per side (125).
    pub side: u32,
    /// Edges read as the row's digits, most significant first, as `[from, to]` node pairs.
    pub row_edges: Vec<[u8; 2]>,
    /// Edges read as the column's digits, most significant first.
    pub col_edges: Vec<[u8; 2]>,
    /// Operation names in digit order (digit 0 first).
    pub op_order: Vec<String>,
    /// The architecture id (the NB201 index) of each cell.
    pub ids: Vec<u64>,
    /// The metric's value in each cell as the table stores it (losses not negated);
    /// `None` where the table has no value.
    pub values: Vec<Option<f64>>,
    /// Each cell's rank among the scored cells, 0 for the best (losses: the lowest); equal
    /// values share the better rank; `None` where the table has no value.
    pub rank: Vec<Option<u32>>,
    /// The grid index of the local optimum that best-improvement hill climbing from each
    /// cell ends in (its basin).
    pub optimum: Vec<u32>,
    /// The scored local optima, ascending grid index.
    pub optima: Vec<u32>,
    /// Local optima without a value (every neighbour missing too), ascending.
    pub unscored_optima: Vec<u32>,
    /// The global optima, ascending.
    pub global_optima: Vec<u32>,
    /// The metric's best `summary.top1_k` cells (ties by smaller key), best first: the
    /// top 1 % compared with test accuracy's top 1 %.
    pub top: Vec<u32>,
    /// The landscape numbers of the metric.
    pub summary: LandscapeSummary,
}

/// The map of an analysed metric over NB201 or part of it (`S` is [`Nb201`] or a subset of
/// it: its keys are NB201 keys). A cell the space does not hold has no value and no rank and
/// is its own basin; it is never an optimum.
pub fn space_map<S: SearchSpace>(land: &Landscape<'_, S>, res: &MetricLandscape) -> SpaceMap {
    let nb = &land.nb;
    let node_cell: Vec<usize> = nb
        .keys()
        .iter()
        .map(|&k| cell_of(Nb201.from_key(k).expect("an NB201 space holds NB201 keys")))
        .collect();
    let fit = &res.fitness.values;
    let mut ids: Vec<u64> = (0..N_ARCHS).map(|c| Nb201.id(arch_at(c))).collect();
    let mut values = vec![None; N_ARCHS];
    let mut rank = vec![None; N_ARCHS];
    let mut optimum: Vec<u32> = (0..N_ARCHS as u32).collect();
    let col = land.table.col(res.metric.column);
    let ranks = competition_ranks(fit);
    for (node, &cell) in node_cell.iter().enumerate() {
        let key = nb.key(node as u32);
        ids[cell] = land.id(key);
        values[cell] = land.table.row(key).and_then(|r| col.get(r));
        rank[cell] = ranks[node];
        optimum[cell] = node_cell[res.climb.end[node] as usize] as u32;
    }
    let lon = &res.lon;
    let cells = |ordinals: &mut dyn Iterator<Item = u32>| {
        let mut v: Vec<u32> = ordinals
            .map(|o| node_cell[lon.nodes[o as usize] as usize] as u32)
            .collect();
        v.sort_unstable();
        v
    };
    let all = 0..lon.len() as u32;
    let optima = cells(&mut all.clone().filter(|&o| lon.is_scored(o)));
    let unscored_optima = cells(&mut all.filter(|&o| !lon.is_scored(o)));
    let global_optima = cells(&mut lon.global_optima().into_iter());
    let top = stats::top_k(fit, res.summary.top1_k)
        .into_iter()
        .map(|node| node_cell[node] as u32)
        .collect();
    let pair = |e: usize| {
        let (a, b) = crate::space::nb201::EDGES[e];
        [a, b]
    };
    SpaceMap {
        metric: res.metric.name.clone(),
        side: SIDE as u32,
        row_edges: ROW_EDGES.iter().map(|&e| pair(e)).collect(),
        col_edges: COL_EDGES.iter().map(|&e| pair(e)).collect(),
        op_order: OP_ORDER
            .iter()
            .map(|&o| OP_NAMES[o as usize].to_string())
            .collect(),
        ids,
        values,
        rank,
        optimum,
        optima,
        unscored_optima,
        global_optima,
        top,
        summary: res.summary.clone(),
    }
}

/// Rank of each value among the present ones, 0 for the largest; equal values share the
/// better rank; `None` for missing (`-inf`).
fn competition_ranks(values: &[f64]) -> Vec<Option<u32>> {
    let mut order: Vec<usize> = (0..values.len())
        .filter(|&i| values[i] != f64::NEG_INFINITY)
        .collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let mut rank = vec![None; values.len()];
    for (place, &i) in order.iter().enumerate() {
        let r = match place {
            0 => 0,
            _ if values[order[place - 1]] == values[i] => rank[order[place - 1]].expect("set"),
            _ => place as u32,
        };
        rank[i] = Some(r);
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::synthetic;

    #[test]
    fn the_layout_puts_every_architecture_in_its_own_cell() {
        let mut seen = vec![false; N_ARCHS];
        for code in 0..N_ARCHS as u16 {
            let cell = cell_of(Nb201Arch(code));
            assert!(!seen[cell], "two architectures in cell {cell}");
            seen[cell] = true;
            assert_eq!(arch_at(cell), Nb201Arch(code));
        }
    }

    #[test]
    fn edge_0_to_3_is_the_outermost_column_digit() {
        // Changing edge 0→3 moves a cell by a multiple of 25 columns, within its row.
        let a = Nb201Arch::parse_genotype("000000").unwrap();
        let b = a.with_op(3, 3); // nor_conv_3x3 on 0→3: the last digit
        assert_eq!(cell_of(a), 0);
        assert_eq!(cell_of(b), 4 * 25);
        // The best-on-average cell (all nor_conv_3x3) is the bottom-right corner.
        assert_eq!(
            cell_of(Nb201Arch::parse_genotype("333333").unwrap()),
            N_ARCHS - 1
        );
    }

    #[test]
    fn every_cell_has_24_neighbours_half_in_its_row_and_half_in_its_column() {
        let mut out = Vec::new();
        for cell in [0, 777, 9_999, N_ARCHS - 1] {
            out.clear();
            Nb201.neighbours_1opt(arch_at(cell), &mut out);
            let cells: Vec<usize> = out.iter().map(|&a| cell_of(a)).collect();
            let same_row = cells.iter().filter(|&&c| c / SIDE == cell / SIDE).count();
            let same_col = cells.iter().filter(|&&c| c % SIDE == cell % SIDE).count();
            assert_eq!((cells.len(), same_row, same_col), (24, 12, 12));
        }
    }

    #[test]
    fn equal_values_share_the_better_rank_and_missing_values_have_none() {
        let r = competition_ranks(&[1.0, 3.0, f64::NEG_INFINITY, 3.0, 2.0]);
        assert_eq!(r, vec![Some(3), Some(0), None, Some(0), Some(2)]);
    }

    #[test]
    fn the_map_marks_the_optima_and_basins_of_the_analysis() {
        let table = synthetic::nb201_full_curves(3);
        let land = Landscape::new(&Nb201, &table).unwrap();
        let res = land.analyse("zc:synflow").unwrap();
        let map = space_map(&land, &res);
        assert_eq!(map.optima.len(), res.summary.n_optima);
        let global_keys: Vec<u64> = map
            .global_optima
            .iter()
            .map(|&c| map.ids[c as usize])
            .collect();
        assert_eq!(global_keys, res.summary.global_optima);
        // Every optimum is its own basin's optimum, and every cell's optimum is an optimum.
        for &o in &map.optima {
            assert_eq!(map.optimum[o as usize], o);
        }
        assert!(
            map.optimum
                .iter()
                .all(|o| map.optima.binary_search(o).is_ok()
                    || map.unscored_optima.binary_search(o).is_ok())
        );
        assert_eq!(map.top.len(), res.summary.top1_k);
        assert_eq!(map.rank[map.global_optima[0] as usize], Some(0));
    }
}
