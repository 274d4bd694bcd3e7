//! The data of the explorer's cell editor, served by the session: one cell's place in a
//! metric's landscape (see [`crate::lon::cell`]).

use super::{Loaded, Session, analysed, loaded};
use crate::error::{Error, Result};
use crate::lon::cell::{CellLandscape, cell_landscape};
use crate::runner::space::TableSpace;

impl Session {
    /// The NB201 cell with id `id` in the landscape of `metric`: its value and rank, its
    /// neighbours', its best-improvement climb, its local optimum and that optimum's basin.
    /// A table of part of NB201 (the learning-curve sample) places the cells it has among
    /// the neighbours it has.
    pub fn cell_landscape(&mut self, id: u64, metric: &str) -> Result<CellLandscape> {
        let Loaded { table, space } = loaded(&self.loaded)?;
        match space {
            TableSpace::Nb201(s) => {
                let (land, res) = analysed(s, table, metric, &mut self.analysed)?;
                cell_landscape(&land, res, id)
            }
            TableSpace::Nb201Subset(s) => {
                let (land, res) = analysed(s, table, metric, &mut self.analysed)?;
                cell_landscape(&land, res, id)
            }
            _ => Err(Error::param(format!(
                "the cell editor edits NB201 cells edge by edge; table {} is of {}",
                table.meta.title,
                space.name()
            ))),
        }
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

    #[test]
    fn a_partial_table_places_its_cells_among_the_neighbours_it_has() {
        use crate::space::SearchSpace;
        use crate::space::nb201::Nb201;
        use crate::table::{Column, Table};
        // The synthetic table keeping every 5th row with all its columns.
        let full = crate::table::synthetic::nb201_full_curves(3);
        let rows: Vec<usize> = (0..full.n_rows()).step_by(5).collect();
        let keys: Vec<u64> = rows.iter().map(|&r| full.keys()[r]).collect();
        let cols = full
            .columns()
            .iter()
            .map(|c| Column::from_raw(c.spec.clone(), rows.iter().map(|&r| c.raw()[r]).collect()))
            .collect();
        let ids: std::collections::BTreeSet<u64> = keys
            .iter()
            .map(|&k| Nb201.id(Nb201.from_key(k).unwrap()))
            .collect();
        let mut s = Session::new();
        s.set_table(Table::new(full.meta.clone(), keys, cols).unwrap())
            .unwrap();
        let map = s.space_map("val_acc@200").unwrap();
        let id = *ids.iter().nth(17).unwrap();
        let c = s.cell_landscape(id, "val_acc@200").unwrap();
        assert!(c.neighbours.len() < 24);
        assert!(c.neighbours.iter().all(|n| ids.contains(&n.cell.id)));
        assert!(c.climb.iter().all(|p| ids.contains(&p.id)));
        let grid = map.ids.iter().position(|&k| k == id).unwrap();
        assert_eq!(c.optimum.cell.id, map.ids[map.optimum[grid] as usize]);
        // A cell the table lacks has no place in its landscape, and the error says so.
        let missing = (0..15_625u64).find(|i| !ids.contains(i)).unwrap();
        let e = s.cell_landscape(missing, "val_acc@200").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::MissingData, "{e}");
    }
}
