//! Fitness-landscape analysis: local optima networks (LONs) of any table metric over a
//! whole search space (see `docs/ARCHITECTURE.md`, "Landscapes").
//!
//! The pipeline, for one metric as fitness:
//! 1. [`Neighbourhood`]: every architecture of the table as a node, with its 1-opt
//!    neighbours, built once per table and shared by all metrics.
//! 2. [`fitness`]: the metric's column as a vector by node, oriented so that larger is
//!    better (losses negated) and with the engine's missing-value policy applied.
//! 3. [`climb::best_improvement`]: best-improvement hill climbing from every start at once
//!    (one pointer per node, memoised ends): local optima and their basins.
//! 4. [`network::Lon`]: escape edges from every optimum through its whole 2-opt
//!    neighbourhood; the monotonic LON, the compressed MLON, sinks, global optima, funnels.
//! 5. [`landscape::Landscape::analyse`] adds the statistics against test accuracy ([`stats`]) and
//!    [`report`] runs the whole grid and checks the paper's findings.
//!
//! # Policies (documented once, used everywhere)
//! - **Missing values** follow the engine ([`crate::algo`]): a missing score is `-inf`, worse
//!   than every present score, and all missing scores tie. So a node with a missing score is
//!   a local optimum only if none of its neighbours has a score; such *unscored optima* stay
//!   in the networks (so basins partition the space and escape weights add up) with fitness
//!   `null`, are never global optima, and are counted separately (`n_unscored_optima`), not
//!   in `n_optima` nor in the funnel share. Every output states `n_missing`.
//! - **Tie rule**: hill climbing moves only to a strictly better neighbour; among equally
//!   good best neighbours it takes the one with the smallest table key. Nodes are kept in
//!   key order, so this is the smallest node id.
//! - **Self-loops**: an escape from `x` that climbs back to `x` is an edge `x → x`; LON and
//!   MLON keep it (so the weights out of a node add up to its 2-opt neighbourhood size), the
//!   compressed MLON drops edges inside a plateau.
//!
//! ```
//! use mfnas::{lon, space::nb201::Nb201, table::synthetic};
//!
//! let table = synthetic::nb201_full_curves(1);
//! let land = lon::landscape::Landscape::new(&Nb201, &table).unwrap();
//! let res = land.analyse("synflow").unwrap();
//! assert_eq!(res.summary.metric, "zc:synflow");
//! assert!(res.summary.n_optima >= 1);
//! assert!(res.summary.funnel_share > 0.0);
//! ```

pub mod cell;
pub mod climb;
pub mod export;
pub mod funnel;
pub mod landscape;
pub mod map;
pub mod network;
pub mod report;
pub mod stats;
pub mod trend;

use crate::error::{Error, Result};
use crate::space::SearchSpace;
use crate::table::{Role, Table};

/// How a key is turned into a node id: a direct array for small key ranges (NB201), a
/// binary search otherwise.
#[derive(Debug, Clone)]
enum KeyLookup {
    Dense(Vec<u32>),
    Sorted,
}

const NO_NODE: u32 = u32::MAX;

/// Every architecture of a table as a node (in key order) with its 1-opt neighbours.
///
/// Building it checks that the set of architectures is closed under the space's
/// neighbourhood: a landscape needs the whole space, not a sample.
#[derive(Debug, Clone)]
pub struct Neighbourhood {
    keys: Vec<u64>,
    offsets: Vec<u32>,
    adjacent: Vec<u32>,
    lookup: KeyLookup,
}

impl Neighbourhood {
    /// The neighbourhood graph over the architectures with the given keys.
    pub fn new<S: SearchSpace>(space: &S, keys: impl IntoIterator<Item = u64>) -> Result<Self> {
        let mut keys: Vec<u64> = keys.into_iter().collect();
        keys.sort_unstable();
        keys.dedup();
        if keys.is_empty() {
            return Err(Error::param(
                "a landscape needs at least one architecture, but the key list is empty",
            ));
        }
        let max_key = *keys.last().expect("not empty");
        let lookup = if max_key < 1 << 22 {
            let mut d = vec![NO_NODE; max_key as usize + 1];
            for (i, &k) in keys.iter().enumerate() {
                d[k as usize] = i as u32;
            }
            KeyLookup::Dense(d)
        } else {
            KeyLookup::Sorted
        };
        let mut nb = Self {
            keys,
            offsets: Vec::new(),
            adjacent: Vec::new(),
            lookup,
        };
        let mut offsets = Vec::with_capacity(nb.keys.len() + 1);
        let mut adjacent = Vec::with_capacity(nb.keys.len() * space.n_positions() * 4);
        let mut buf = Vec::new();
        offsets.push(0u32);
        for &key in &nb.keys {
            let arch = space.from_key(key).ok_or_else(|| {
                Error::arch(format!(
                    "key {key} is not an architecture of the {} space",
                    space.name()
                ))
            })?;
            buf.clear();
            space.neighbours_1opt(arch, &mut buf);
            for &n in &buf {
                let nk = space.key(n);
                let node = nb.node(nk).ok_or_else(|| {
                    Error::missing(format!(
                        "architecture {} (key {nk}), a neighbour of key {key}, has no row: a \
                         landscape needs every architecture of the {} space; use a full table",
                        space.to_string(n),
                        space.name()
                    ))
                })?;
                adjacent.push(node);
            }
            offsets.push(adjacent.len() as u32);
        }
        nb.offsets = offsets;
        nb.adjacent = adjacent;
        Ok(nb)
    }

    /// The neighbourhood graph over every row of `table`.
    pub fn of_table<S: SearchSpace>(space: &S, table: &Table) -> Result<Self> {
        Self::new(space, table.keys().iter().copied())
    }

    /// Number of nodes (architectures).
    pub fn len(&self) -> usize {
        self.keys.len()
    }
    /// Whether there are no nodes (never true for a built neighbourhood).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
    /// The table key of `node`.
    #[inline]
    pub fn key(&self, node: u32) -> u64 {
        self.keys[node as usize]
    }
    /// All keys, by node (ascending).
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }
    /// The node holding `key`.
    #[inline]
    pub fn node(&self, key: u64) -> Option<u32> {
        match &self.lookup {
            KeyLookup::Dense(d) => d
                .get(usize::try_from(key).ok()?)
                .copied()
                .filter(|&n| n != NO_NODE),
            KeyLookup::Sorted => self.keys.binary_search(&key).ok().map(|i| i as u32),
        }
    }
    /// The 1-opt neighbours of `node`.
    #[inline]
    pub fn neighbours(&self, node: u32) -> &[u32] {
        let (a, b) = (
            self.offsets[node as usize] as usize,
            self.offsets[node as usize + 1] as usize,
        );
        &self.adjacent[a..b]
    }
    /// Appends the 2-opt neighbours of `node` (exactly two positions changed) to `out`,
    /// as the space defines them.
    pub fn neighbours_2opt<S: SearchSpace>(
        &self,
        space: &S,
        node: u32,
        scratch: &mut Vec<S::Arch>,
        out: &mut Vec<u32>,
    ) -> Result<()> {
        let key = self.key(node);
        let arch = space.from_key(key).ok_or_else(|| {
            Error::arch(format!("key {key} is not in the {} space", space.name()))
        })?;
        scratch.clear();
        space.neighbours_2opt(arch, scratch);
        for &a in scratch.iter() {
            let k = space.key(a);
            out.push(self.node(k).ok_or_else(|| {
                Error::missing(format!(
                    "2-opt neighbour key {k} of key {key} has no row: a landscape needs the whole space"
                ))
            })?);
        }
        Ok(())
    }
}

/// A metric resolved against a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// Index of the column in the table.
    pub column: usize,
    /// The column name, e.g. `"zc:nwot"` or `"val_acc@200"`.
    pub name: String,
    /// What the column measures.
    pub role: Role,
    /// Whether values were negated so that larger is better (losses).
    pub negated: bool,
}

/// Finds the column for `name`: an exact column name (`"val_acc@200"`, `"zc:nwot"`,
/// `"train_loss@200"`) or a proxy name (`"nwot"` → `"zc:nwot"`).
pub fn resolve_metric(table: &Table, name: &str) -> Result<Metric> {
    let name = name.trim();
    let column = match table.column_index(name) {
        Ok(c) => c,
        Err(_) => table.find_proxy(name).map_err(|_| {
            Error::missing(format!(
                "table {} has neither a column nor a zero-cost proxy called {name:?}; metrics \
                 it has: {}",
                table.meta.title,
                landscape::grid_metrics(table).join(", ")
            ))
        })?,
    };
    let spec = &table.col(column).spec;
    Ok(Metric {
        column,
        name: spec.name.clone(),
        role: spec.role,
        negated: spec.role.minimised(),
    })
}

/// A metric as fitness by node: larger is better, `-inf` where the table has no value.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitness {
    /// One value per node.
    pub values: Vec<f64>,
    /// How many nodes have no value.
    pub n_missing: usize,
}

/// The fitness of `metric` on every node of `nb`.
pub fn fitness(table: &Table, nb: &Neighbourhood, metric: &Metric) -> Fitness {
    let col = table.col(metric.column);
    let mut n_missing = 0;
    let values = nb
        .keys()
        .iter()
        .map(|&k| match table.row(k).and_then(|r| col.get(r)) {
            Some(v) if metric.negated => -v,
            Some(v) => v,
            None => {
                n_missing += 1;
                f64::NEG_INFINITY
            }
        })
        .collect();
    Fitness { values, n_missing }
}

/// Test accuracy by node (`NaN` where missing), from the table's test column; all `NaN`
/// if the table has none.
pub fn test_accuracy(table: &Table, nb: &Neighbourhood) -> Vec<f64> {
    match table.test_column() {
        Ok(c) => {
            let col = table.col(c);
            nb.keys()
                .iter()
                .map(|&k| table.row(k).and_then(|r| col.get(r)).unwrap_or(f64::NAN))
                .collect()
        }
        Err(_) => vec![f64::NAN; nb.len()],
    }
}

#[cfg(test)]
mod props;
#[cfg(test)]
pub(crate) mod testspace;

#[cfg(test)]
mod tests {
    use super::testspace::TINY;
    use super::*;
    use crate::space::nb201::{N_ARCHS, Nb201};
    use crate::table::synthetic;

    #[test]
    fn the_nb201_neighbourhood_has_24_neighbours_per_node() {
        let table = synthetic::nb201_full_curves(1);
        let nb = Neighbourhood::of_table(&Nb201, &table).unwrap();
        assert_eq!(nb.len(), N_ARCHS);
        assert!((0..N_ARCHS as u32).all(|n| nb.neighbours(n).len() == 24));
    }

    #[test]
    fn nodes_are_in_key_order_and_keys_round_trip() {
        let nb = Neighbourhood::new(&TINY, (0..27).rev()).unwrap();
        for n in 0..27u32 {
            assert_eq!(nb.key(n), n as u64);
            assert_eq!(nb.node(n as u64), Some(n));
        }
        assert_eq!(nb.node(27), None);
    }

    #[test]
    fn a_table_missing_part_of_the_space_is_refused_with_a_reason() {
        let e = Neighbourhood::new(&TINY, 0..26).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::MissingData);
        assert!(e.message().contains("whole") || e.message().contains("every"));
    }

    #[test]
    fn a_proxy_name_resolves_to_its_score_column() {
        let table = synthetic::nb201_full_curves(1);
        assert_eq!(
            resolve_metric(&table, "synflow").unwrap().name,
            "zc:synflow"
        );
        assert_eq!(
            resolve_metric(&table, "zc:synflow").unwrap().name,
            "zc:synflow"
        );
    }

    #[test]
    fn losses_are_negated_so_that_larger_is_better() {
        let table = synthetic::nb201_full_curves(1);
        let m = resolve_metric(&table, "train_loss@200").unwrap();
        assert!(m.negated);
        let nb = Neighbourhood::of_table(&Nb201, &table).unwrap();
        let f = fitness(&table, &nb, &m);
        let row = table.row(nb.key(0)).unwrap();
        assert_eq!(f.values[0], -table.col(m.column).get(row).unwrap());
    }

    #[test]
    fn an_unknown_metric_is_an_error_listing_the_metrics_there_are() {
        let table = synthetic::nb201_full_curves(1);
        let e = resolve_metric(&table, "no_such_proxy").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::MissingData);
        assert!(e.message().contains("zc:synflow"));
    }
}
