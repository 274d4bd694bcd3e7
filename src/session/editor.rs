//! The data of the explorer's cell editor, served by the session: one cell's place in a
//! metric's landscape (see [`crate::lon::cell`]).

use super::{Loaded, Session, analysed, loaded};
use crate::error::{Error, Result};
use crate::lon::cell::{CellLandscape, cell_landscape};
use crate::runner::space::TableSpace;

impl Session {
    /// The NB201 cell with id `id` in the landscape of `metric`: its value and rank, its
    /// neighbours', its best-improvement climb, its local optimum and that optimum's basin.
    /// Only a table of the whole NB201 space has this (a cell's 24 neighbours must all be
    /// in it).
    pub fn cell_landscape(&mut self, id: u64, metric: &str) -> Result<CellLandscape> {
        let Loaded { table, space } = loaded(&self.loaded)?;
        let TableSpace::Nb201(nb201) = space else {
            return Err(Error::param(format!(
                "the cell editor places a cell among all 15,625 NB201 cells; table {} has {} \
                 cells of {}",
                table.meta.title,
                table.n_rows(),
                space.name()
            )));
        };
        let (land, res) = analysed(nb201, table, metric, &mut self.analysed)?;
        cell_landscape(&land, res, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cell_landscape_agrees_with_the_map_of_the_same_metric() {
        let mut s = Session::new();
        s.load_synthetic(3).unwrap();
        let map = s.space_map("synflow").unwrap();
        let c = s.cell_landscape(321, "synflow").unwrap();
        assert_eq!(c.metric, "zc:synflow");
        let grid = map.ids.iter().position(|&k| k == 321).unwrap();
        assert_eq!(c.optimum.cell.id, map.ids[map.optimum[grid] as usize]);
        assert_eq!(c.cell.value, map.values[grid]);
    }

    #[test]
    fn an_unknown_metric_names_the_metrics_of_the_table() {
        let mut s = Session::new();
        s.load_synthetic(3).unwrap();
        let e = s.cell_landscape(0, "nope").unwrap_err();
        assert!(e.message().contains("zc:synflow"), "{e}");
    }
}
