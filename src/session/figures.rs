//! The data of the explorer's teaching figures, served by the session: a metric over the
//! whole space as a map, the funnel picture of its local optima network, a cell's 24
//! neighbours for the step inspector, and a whole second run to overlay on the first.

use super::{Analysed, Session, Want, analysed, loaded};
use crate::algo::config::AlgoParams;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::lon::funnel::Funnel;
use crate::lon::map::{SpaceMap, space_map};
use crate::runner::Outcome;
use crate::runner::space::TableSpace;
use crate::space::SearchSpace;
use crate::space::nb201::{EDGES, N_EDGES, Nb201, OP_NAMES};
use serde::{Deserialize, Serialize};

/// The most events a whole run may produce before [`Session::whole_run`] gives up (a run
/// this long cannot be overlaid readably, and its events would fill the page's memory).
pub const MAX_WHOLE_RUN_EVENTS: usize = 1_000_000;

/// One of the 24 neighbours of an NB201 cell: the same cell with one edge's operation
/// changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct Neighbour {
    /// The neighbour's id (the NB201 index).
    pub id: u64,
    /// The changed edge's position in arch-string order (0..6).
    pub position: u32,
    /// The changed edge's source node (0 is the input).
    pub from: u8,
    /// The changed edge's target node (3 is the output).
    pub to: u8,
    /// The operation the cell has on that edge.
    pub was: String,
    /// The operation the neighbour has there instead.
    pub op: String,
}

/// A run played to its end at once, for overlaying on the live run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub struct WholeRun {
    /// The run, described as [`Session::start_run`] describes it.
    pub info: super::RunInfo,
    /// Every event, in order.
    pub events: Vec<Event>,
    /// Its outcome.
    pub outcome: Outcome,
}

impl Session {
    /// `metric` over the NB201 space, cell by cell on the map's fixed grid
    /// (see [`crate::lon::map`]). A table of part of NB201 (the learning-curve sample) fills
    /// only its own cells; tables of other spaces have no map.
    pub fn space_map(&mut self, metric: &str) -> Result<SpaceMap> {
        let super::Loaded { table, space } = loaded(&self.loaded)?;
        match space {
            TableSpace::Nb201(s) => {
                let (land, res) = analysed(s, table, metric, &mut self.analysed)?;
                Ok(space_map(&land, res))
            }
            TableSpace::Nb201Subset(s) => {
                let (land, res) = analysed(s, table, metric, &mut self.analysed)?;
                Ok(space_map(&land, res))
            }
            _ => Err(Error::param(format!(
                "the space map draws the 15,625 NB201 cells; table {} is of {}",
                table.meta.title,
                space.name()
            ))),
        }
    }

    /// The funnel picture's data for `metric`: its monotonic local optima network.
    pub fn funnel(&mut self, metric: &str) -> Result<Funnel> {
        match self.analyse(metric, Want::Funnel)? {
            Analysed::Funnel(f) => Ok(f),
            _ => unreachable!("a funnel was asked for"),
        }
    }

    /// The 24 neighbours of the NB201 cell with id `id`, edge by edge (arch-string order),
    /// operations in id order.
    pub fn neighbours(&self, id: u64) -> Result<Vec<Neighbour>> {
        let super::Loaded { space, .. } = loaded(&self.loaded)?;
        if space.name() != "nb201" {
            return Err(Error::param(format!(
                "neighbours are listed edge by edge for NB201 cells; this table is of {}",
                space.name()
            )));
        }
        let arch = Nb201.from_id(id).ok_or_else(|| {
            Error::arch(format!(
                "{id} is not an NB201 architecture id (the benchmark's indices are 0..=15624)"
            ))
        })?;
        let mut out = Vec::new();
        let mut found = Vec::new();
        for position in 0..N_EDGES {
            found.clear();
            Nb201.position_neighbours(arch, position, &mut found);
            let (from, to) = EDGES[position];
            out.extend(found.iter().map(|&n| Neighbour {
                id: Nb201.id(n),
                position: position as u32,
                from,
                to,
                was: OP_NAMES[arch.op(position) as usize].to_string(),
                op: OP_NAMES[n.op(position) as usize].to_string(),
            }));
        }
        Ok(out)
    }

    /// Plays a run of `params` with `seed` to its end and returns all its events, leaving
    /// the run being stepped (if any) where it was. The events are those a stepped run
    /// gives.
    pub fn whole_run(&mut self, params: &AlgoParams, seed: u64) -> Result<WholeRun> {
        let live = self.run.take();
        let result = self.start_run(params, seed).and_then(|info| {
            let mut events = Vec::new();
            loop {
                let batch = self.step(10_000)?;
                events.extend(batch.events);
                if let Some(outcome) = batch.outcome {
                    return Ok(WholeRun {
                        info,
                        events,
                        outcome,
                    });
                }
                if events.len() > MAX_WHOLE_RUN_EVENTS {
                    return Err(Error::param(format!(
                        "the run to compare with produces over {MAX_WHOLE_RUN_EVENTS} events, \
                         too many to overlay; give it a smaller budget"
                    )));
                }
            }
        });
        self.run = live;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::config::Algo;
    use crate::experiment;
    use crate::space::nb201::Nb201;

    fn session() -> Session {
        let mut s = Session::new();
        s.load_synthetic(3).unwrap();
        s
    }

    fn budgeted(algo: Algo) -> AlgoParams {
        let mut p = AlgoParams::new(algo);
        p.budget_s = Some(20_000.0);
        p
    }

    #[test]
    fn a_cell_has_24_neighbours_each_differing_on_the_edge_it_names() {
        let s = session();
        let key = s.parse_arch("123401").unwrap();
        let n = s.neighbours(key).unwrap();
        assert_eq!(n.len(), 24);
        let cell = s.arch(key).unwrap();
        for nb in &n {
            let other = s.arch(nb.id).unwrap();
            let differ: Vec<usize> = (0..6)
                .filter(|&i| cell.edges[i].op != other.edges[i].op)
                .collect();
            assert_eq!(differ, vec![nb.position as usize]);
            assert_eq!(cell.edges[nb.position as usize].op, nb.was);
            assert_eq!(other.edges[nb.position as usize].op, nb.op);
        }
    }

    #[test]
    fn a_whole_run_equals_run_once_and_leaves_the_live_run_where_it_was() {
        let mut s = session();
        s.start_run(&budgeted(Algo::MfNas), 7).unwrap();
        let first = s.step(50).unwrap();
        let whole = s.whole_run(&budgeted(Algo::Ls), 7).unwrap();
        let table = crate::table::synthetic::nb201_full_curves(3);
        let plan = budgeted(Algo::Ls).check(&table).unwrap();
        let (outcome, events) = experiment::run_once(&Nb201, &table, &plan, 7, true).unwrap();
        assert_eq!((whole.outcome, whole.events), (outcome, events));
        assert_eq!(whole.info.algo, Algo::Ls);
        // The live MF-NAS run goes on from step 50.
        assert_eq!(s.run_info().unwrap().algo, Algo::MfNas);
        let next = s.step(1).unwrap();
        assert_eq!(next.spent.evals, first.spent.evals + 1);
    }

    #[test]
    fn a_bad_comparison_run_is_an_error_and_the_live_run_survives() {
        let mut s = session();
        s.start_run(&budgeted(Algo::Ls), 1).unwrap();
        let mut bad = budgeted(Algo::MfNas);
        bad.candidates = Some(0);
        assert!(s.whole_run(&bad, 1).is_err());
        assert_eq!(s.run_info().unwrap().algo, Algo::Ls);
    }

    #[test]
    fn the_map_and_funnel_come_from_the_same_analysis_as_the_landscape() {
        let mut s = session();
        let map = s.space_map("zc:synflow").unwrap();
        let summary = s.landscape_summary("zc:synflow").unwrap();
        assert_eq!(map.summary, summary);
        let f = s.funnel("zc:synflow").unwrap();
        assert_eq!(f.nodes.len(), summary.n_optima + summary.n_unscored_optima);
    }
}
