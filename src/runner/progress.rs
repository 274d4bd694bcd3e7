//! How far each architecture has been trained in a run, per training schedule: what the
//! table evaluator charges a continuation against (`docs/COST_MODEL.md`).

/// Epochs trained per (table row, schedule). Sorted by (row, schedule) so that a lookup is
/// a binary search: a run trains a few hundred architectures at most, and a linear scan
/// per evaluation grew with the square of that.
#[derive(Debug, Clone, Default)]
pub(crate) struct TrainingProgress {
    entries: Vec<((u32, usize), u32)>,
}

impl TrainingProgress {
    /// Epochs trained for `row` on `schedule` (0 if never trained).
    pub(crate) fn epochs(&self, row: u32, schedule: usize) -> u32 {
        match self.entries.binary_search_by_key(&(row, schedule), |e| e.0) {
            Ok(i) => self.entries[i].1,
            Err(_) => 0,
        }
    }

    /// Records `epochs` trained for `row` on `schedule`. (Setting 0 is the same as never
    /// having trained it.)
    pub(crate) fn set(&mut self, row: u32, schedule: usize, epochs: u32) {
        match self.entries.binary_search_by_key(&(row, schedule), |e| e.0) {
            Ok(i) => self.entries[i].1 = epochs,
            Err(i) => self.entries.insert(i, ((row, schedule), epochs)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_epochs_per_row_and_schedule() {
        let mut p = TrainingProgress::default();
        for (row, schedule, epochs) in [(9, 0, 12), (3, 1, 25), (9, 1, 50), (3, 0, 4), (9, 0, 200)]
        {
            p.set(row, schedule, epochs);
        }
        assert_eq!(p.epochs(9, 0), 200);
        assert_eq!(p.epochs(3, 1), 25);
        assert_eq!(p.epochs(9, 1), 50);
        assert_eq!(p.epochs(3, 0), 4);
        assert_eq!(p.epochs(4, 0), 0);
        p.set(9, 0, 0);
        assert_eq!(p.epochs(9, 0), 0);
    }
}
