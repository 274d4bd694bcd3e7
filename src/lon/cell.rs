//! One NB201 cell's place in a metric's landscape, for the explorer's cell editor: the
//! cell's value and rank, its 24 neighbours with theirs (which are better, and which one
//! best-improvement hill climbing moves to), the climb from the cell to its local optimum,
//! and that optimum's basin. Everything is read off an analysis ([`MetricLandscape`]), so
//! it agrees with the map, the funnel picture and `mfnas landscape` by construction.

use super::landscape::{Landscape, MetricLandscape};
use crate::error::{Error, Result};
use crate::space::SearchSpace;
use crate::space::nb201::{EDGES, N_EDGES, Nb201, OP_NAMES};
use serde::{Deserialize, Serialize};

/// A cell with one metric's value.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellPoint {
    /// The architecture id (the NB201 index).
    pub id: u64,
    /// The arch string.
    pub arch_string: String,
    /// The metric's value as the table stores it (losses not negated); `None` where the
    /// table has no value.
    pub value: Option<f64>,
    /// Its rank among the scored cells, 0 for the best (losses: the lowest); equal values
    /// share the better rank (as on the space map); `None` without a value.
    pub rank: Option<u32>,
    /// Test accuracy, where the table has it.
    pub test_acc: Option<f64>,
}

/// One of the 24 neighbours of the cell: the same cell with one edge's operation changed.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellNeighbour {
    /// The neighbour and its value.
    pub cell: CellPoint,
    /// The changed edge's position in arch-string order (0..6).
    pub position: u32,
    /// The changed edge's source node (0 is the input).
    pub from: u8,
    /// The changed edge's target node (3 is the output).
    pub to: u8,
    /// The operation the neighbour has on that edge.
    pub op: String,
    /// Whether it is strictly better than the cell under the metric (a missing value is
    /// worse than every present one).
    pub better: bool,
    /// Whether best-improvement hill climbing moves from the cell to this neighbour (the
    /// best strictly better neighbour; ties: the smallest table key, as in [`super::climb`]).
    pub climb: bool,
}

/// The local optimum a cell's climb ends in, and its basin.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellOptimum {
    /// The optimum and its value.
    pub cell: CellPoint,
    /// How many cells climb to it (its basin, the cell included).
    pub basin_size: u32,
    /// Whether it is a global optimum of the metric.
    pub global: bool,
    /// Whether it has a value (an unscored optimum is an artefact of missing data: it and
    /// all its neighbours lack the metric).
    pub scored: bool,
}

/// A cell in one metric's landscape.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellLandscape {
    /// The metric's column name.
    pub metric: String,
    /// Whether smaller values are better (losses).
    pub negated: bool,
    /// How many cells have a value (ranks run from 0 to `n_scored - 1`).
    pub n_scored: u32,
    /// How many cells the landscape has (15,625 for NB201).
    pub n_cells: u32,
    /// The cell.
    pub cell: CellPoint,
    /// Its 24 neighbours, edge by edge in arch-string order, operations in id order.
    pub neighbours: Vec<CellNeighbour>,
    /// The best-improvement climb from the cell: the cell first, each cell it moves to,
    /// the optimum last (just the cell when it is a local optimum).
    pub climb: Vec<CellPoint>,
    /// Where the climb ends.
    pub optimum: CellOptimum,
    /// How many local optima the metric has (scored ones), for scale.
    pub n_optima: u32,
}

/// The cell with architecture id `id` (its NB201 index) in the analysed metric `res`, over
/// NB201 or part of it (`S` is [`Nb201`] or a subset of it: its keys are NB201 keys). In a
/// table of part of the space, the neighbours it lacks are left out and the climb stays
/// among its cells, as the landscape's own climb does.
pub fn cell_landscape<S: SearchSpace>(
    land: &Landscape<'_, S>,
    res: &MetricLandscape,
    id: u64,
) -> Result<CellLandscape> {
    let arch = Nb201.from_id(id).ok_or_else(|| {
        Error::arch(format!(
            "{id} is not an NB201 architecture id (the benchmark's indices are 0..=15624)"
        ))
    })?;
    let node = land.nb.node(Nb201.key(arch)).ok_or_else(|| {
        Error::missing(format!(
            "cell #{id} is not in table {}, so it has no place in its landscape",
            land.table.meta.title
        ))
    })?;
    let fit = &res.fitness.values;
    let col = land.table.col(res.metric.column);
    // Competition rank by counting the strictly better scored cells: the map's rule, without
    // sorting the whole space for 25 cells.
    let point = |node: u32| {
        let key = land.nb.key(node);
        let arch = Nb201
            .from_key(key)
            .expect("an NB201 landscape holds NB201 keys");
        let f = fit[node as usize];
        let t = land.test[node as usize];
        CellPoint {
            id: Nb201.id(arch),
            arch_string: arch.arch_string(),
            value: land.table.row(key).and_then(|r| col.get(r)),
            rank: (f != f64::NEG_INFINITY).then(|| fit.iter().filter(|&&g| g > f).count() as u32),
            test_acc: Some(t).filter(|t| !t.is_nan()),
        }
    };
    let next = res.climb.next[node as usize];
    let mut neighbours = Vec::with_capacity(24);
    let mut found = Vec::new();
    for position in 0..N_EDGES {
        found.clear();
        Nb201.position_neighbours(arch, position, &mut found);
        let (from, to) = EDGES[position];
        for &n in &found {
            // A table of part of the space lacks some neighbours: they have no place here.
            let Some(m) = land.nb.node(Nb201.key(n)) else {
                continue;
            };
            neighbours.push(CellNeighbour {
                cell: point(m),
                position: position as u32,
                from,
                to,
                op: OP_NAMES[n.op(position) as usize].to_string(),
                better: fit[m as usize] > fit[node as usize],
                climb: m == next && next != node,
            });
        }
    }
    let climb = res.climb.path(node);
    let end = *climb.last().expect("a climb has at least its start");
    let ordinal = res.climb.basin[node as usize];
    let lon = &res.lon;
    Ok(CellLandscape {
        metric: res.metric.name.clone(),
        negated: res.metric.negated,
        n_scored: (fit.len() - res.fitness.n_missing) as u32,
        n_cells: fit.len() as u32,
        cell: point(node),
        neighbours,
        climb: climb.into_iter().map(point).collect(),
        optimum: CellOptimum {
            cell: point(end),
            basin_size: lon.basin_size[ordinal as usize],
            global: lon.global_optima().binary_search(&ordinal).is_ok(),
            scored: lon.is_scored(ordinal),
        },
        n_optima: (lon.len() - lon.n_unscored()) as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lon::map::{cell_of, space_map};
    use crate::space::nb201::Nb201Arch;
    use crate::table::synthetic;

    /// Runs `f` on the synthetic table's landscape of `metric`.
    fn on(metric: &str, f: impl FnOnce(&Landscape<'_, Nb201>, &MetricLandscape)) {
        let table = synthetic::nb201_full_curves(3);
        let land = Landscape::new(&Nb201, &table).unwrap();
        let res = land.analyse(metric).unwrap();
        f(&land, &res);
    }

    #[test]
    fn a_cell_has_24_neighbours_each_one_edge_away() {
        on("zc:synflow", |land, res| {
            let cell = Nb201Arch::parse_genotype("123401").unwrap();
            let c = cell_landscape(land, res, Nb201.id(cell)).unwrap();
            assert_eq!(c.neighbours.len(), 24);
            for n in &c.neighbours {
                let other = Nb201.from_id(n.cell.id).unwrap();
                let differ: Vec<usize> = (0..N_EDGES)
                    .filter(|&p| cell.op(p) != other.op(p))
                    .collect();
                assert_eq!(differ, vec![n.position as usize]);
                assert_eq!(OP_NAMES[other.op(n.position as usize) as usize], n.op);
            }
        });
    }

    #[test]
    fn the_climb_follows_the_best_better_neighbour_to_the_optimum_the_map_shows() {
        on("zc:synflow", |land, res| {
            let map = space_map(land, res);
            for id in [0u64, 77, 4_242, 9_999, 15_624] {
                let c = cell_landscape(land, res, id).unwrap();
                let grid = cell_of(Nb201.from_id(id).unwrap());
                assert_eq!(c.optimum.cell.id, map.ids[map.optimum[grid] as usize]);
                assert_eq!(c.climb.first().unwrap().id, id);
                assert_eq!(c.climb.last().unwrap().id, c.optimum.cell.id);
                assert_eq!(c.cell.rank, map.rank[grid]);
                // The first move is the neighbour marked `climb`, the best of the better ones.
                let marked: Vec<&CellNeighbour> = c.neighbours.iter().filter(|n| n.climb).collect();
                if c.climb.len() == 1 {
                    assert!(marked.is_empty() && c.neighbours.iter().all(|n| !n.better));
                } else {
                    assert_eq!(marked.len(), 1);
                    assert_eq!(marked[0].cell.id, c.climb[1].id);
                    let best = c.neighbours.iter().filter_map(|n| n.cell.rank).min();
                    assert_eq!(marked[0].cell.rank, best);
                }
                // Every step of the climb is strictly better than the one before.
                for w in c.climb.windows(2) {
                    assert!(w[1].rank.unwrap() < w[0].rank.unwrap_or(u32::MAX));
                }
            }
        });
    }

    #[test]
    fn the_basin_is_the_number_of_cells_whose_climb_ends_at_the_optimum() {
        on("val_acc@200", |land, res| {
            let map = space_map(land, res);
            let c = cell_landscape(land, res, 1_234).unwrap();
            let grid = map
                .ids
                .iter()
                .position(|&k| k == c.optimum.cell.id)
                .unwrap() as u32;
            let members = map.optimum.iter().filter(|&&o| o == grid).count() as u32;
            assert_eq!(c.optimum.basin_size, members);
            assert_eq!(c.optimum.global, map.global_optima.contains(&grid));
            assert_eq!(c.n_optima as usize, map.optima.len());
        });
    }

    #[test]
    fn a_global_optimum_climbs_nowhere_and_ranks_first() {
        on("zc:synflow", |land, res| {
            let best = res.summary.global_optima[0];
            let c = cell_landscape(land, res, best).unwrap();
            assert_eq!(c.climb.len(), 1);
            assert_eq!(c.optimum.cell.id, best);
            assert!(c.optimum.global && c.optimum.scored);
            assert_eq!(c.cell.rank, Some(0));
            assert!(c.neighbours.iter().all(|n| !n.better && !n.climb));
        });
    }

    #[test]
    fn a_loss_is_better_when_lower() {
        on("train_loss@200", |land, res| {
            let c = cell_landscape(land, res, 500).unwrap();
            assert!(c.negated);
            for n in &c.neighbours {
                let (a, b) = (c.cell.value.unwrap(), n.cell.value.unwrap());
                assert_eq!(n.better, b < a, "{b} vs {a}");
            }
        });
    }

    #[test]
    fn an_unknown_id_is_an_invalid_architecture() {
        on("zc:synflow", |land, res| {
            let e = cell_landscape(land, res, 15_625).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArchitecture);
        });
    }
}
