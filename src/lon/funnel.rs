//! The monotonic local optima network as the explorer's funnel picture draws it: every
//! optimum with its value as the table stores it (the picture's vertical axis), its basin,
//! whether it is a global optimum or a sink, and whether a global optimum can be reached from
//! it (its funnel); the MLON's edges between distinct optima.
//!
//! Unscored optima (see [`crate::lon`]) are kept and flagged, so a view can hide them and
//! say how many it hid.

use super::export::ExportEdge;
use super::landscape::{Landscape, LandscapeSummary, MetricLandscape};
use crate::space::SearchSpace;
use serde::{Deserialize, Serialize};

/// One local optimum of the funnel picture.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelNode {
    /// The optimum's architecture id (NB201: the benchmark index).
    pub id: u64,
    /// Its human-readable form.
    pub arch: String,
    /// The metric's value as the table stores it (losses not negated); `None` for an
    /// unscored optimum.
    pub value: Option<f64>,
    /// Its test accuracy, where the table has one.
    pub test_acc: Option<f64>,
    /// Number of cells whose best-improvement climb ends here.
    pub basin_size: u32,
    /// Whether it is a global optimum.
    pub global: bool,
    /// Whether no escape from it leads to a strictly better optimum (a funnel's bottom).
    pub sink: bool,
    /// Whether a global optimum can be reached from it along MLON edges (it lies in a global
    /// optimum's funnel).
    pub reaches_global: bool,
}

/// The MLON of one metric for the funnel picture.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// The metric's column name.
    pub metric: String,
    /// Whether smaller values are better (losses).
    pub negated: bool,
    /// Every local optimum, scored and unscored, in table-key order.
    pub nodes: Vec<FunnelNode>,
    /// MLON edges between distinct optima (never to a worse one), by (source, target); the
    /// weight is how many of the source's two-edge escapes climb to the target.
    pub edges: Vec<ExportEdge>,
    /// The landscape numbers of the metric (optima, unscored optima, funnel share, ...).
    pub summary: LandscapeSummary,
}

/// The funnel picture's data for an analysed metric.
pub fn funnel<S: SearchSpace>(land: &Landscape<'_, S>, res: &MetricLandscape) -> Funnel {
    let lon = &res.lon;
    let key_of = |o: u32| land.nb.key(lon.nodes[o as usize]);
    let col = land.table.col(res.metric.column);
    let sinks = lon.sinks();
    let reach = lon.reaches_global();
    let globals = lon.global_optima();
    let nodes = (0..lon.len() as u32)
        .map(|o| {
            let key = key_of(o);
            let test = land.test[lon.nodes[o as usize] as usize];
            FunnelNode {
                id: land.id(key),
                arch: land.arch_string(key),
                value: land.table.row(key).and_then(|r| col.get(r)),
                test_acc: Some(test).filter(|t| !t.is_nan()),
                basin_size: lon.basin_size[o as usize],
                global: globals.binary_search(&o).is_ok(),
                sink: sinks[o as usize],
                reaches_global: reach[o as usize],
            }
        })
        .collect();
    let edges = lon
        .mlon_edges()
        .into_iter()
        .filter(|e| e.source != e.target)
        .map(|e| ExportEdge {
            source: land.id(key_of(e.source)),
            target: land.id(key_of(e.target)),
            weight: e.weight,
        })
        .collect();
    Funnel {
        metric: res.metric.name.clone(),
        negated: res.metric.negated,
        nodes,
        edges,
        summary: res.summary.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lon::export::{GraphKind, export};
    use crate::space::nb201::Nb201;
    use crate::table::synthetic;

    #[test]
    fn the_funnel_has_the_mlon_nodes_and_edges_without_self_loops() {
        let table = synthetic::nb201_full_curves(3);
        let land = Landscape::new(&Nb201, &table).unwrap();
        let res = land.analyse("val_acc@200").unwrap();
        let f = funnel(&land, &res);
        let mlon = export(&land, &res, GraphKind::Mlon);
        let ids: Vec<u64> = f.nodes.iter().map(|n| n.id).collect();
        let mlon_ids: Vec<u64> = mlon.nodes.iter().map(|n| n.id).collect();
        assert_eq!(ids, mlon_ids);
        let loops_dropped: Vec<&ExportEdge> =
            mlon.edges.iter().filter(|e| e.source != e.target).collect();
        assert_eq!(f.edges.iter().collect::<Vec<_>>(), loops_dropped);
        for (a, b) in f.nodes.iter().zip(&mlon.nodes) {
            assert_eq!(
                (a.basin_size, a.global, a.sink),
                (b.basin_size, b.global, b.sink)
            );
        }
    }

    #[test]
    fn global_optima_are_in_their_own_funnel_and_the_share_matches_the_summary() {
        let table = synthetic::nb201_full_curves(3);
        let land = Landscape::new(&Nb201, &table).unwrap();
        let res = land.analyse("zc:synflow").unwrap();
        let f = funnel(&land, &res);
        assert!(
            f.nodes
                .iter()
                .filter(|n| n.global)
                .all(|n| n.reaches_global)
        );
        let scored: Vec<&FunnelNode> = f.nodes.iter().filter(|n| n.value.is_some()).collect();
        let share = scored.iter().filter(|n| n.reaches_global).count() as f64 / scored.len() as f64;
        assert_eq!(share, f.summary.funnel_share);
    }

    #[test]
    fn a_loss_keeps_its_own_values_and_says_smaller_is_better() {
        let table = synthetic::nb201_full_curves(3);
        let land = Landscape::new(&Nb201, &table).unwrap();
        let res = land.analyse("train_loss@200").unwrap();
        let f = funnel(&land, &res);
        assert!(f.negated);
        let g = f.nodes.iter().find(|n| n.global).unwrap();
        let min = f
            .nodes
            .iter()
            .filter_map(|n| n.value)
            .fold(f64::INFINITY, f64::min);
        assert_eq!(g.value, Some(min));
    }
}
