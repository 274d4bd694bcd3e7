//! The data of the explorer's cell editor, served by the session: one cell's place in a
//! metric's landscape (see [`crate::lon::cell`]).

use super::Session;
use crate::error::Result;
use crate::lon::cell::{CellLandscape, cell_landscape};

impl Session {
    /// The cell with table key `key` in the landscape of `metric`: its value and rank, its
    /// neighbours', its best-improvement climb, its local optimum and that optimum's basin.
    pub fn cell_landscape(&mut self, key: u64, metric: &str) -> Result<CellLandscape> {
        let (land, res) = self.analyse(metric)?;
        cell_landscape(land, res, key)
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
        let grid = map.keys.iter().position(|&k| k == 321).unwrap();
        assert_eq!(c.optimum.cell.key, map.keys[map.optimum[grid] as usize]);
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
