//! How far each architecture has been trained in a run, per training schedule: what the
//! table evaluator charges a continuation against (`docs/COST_MODEL.md`).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Epochs trained per (table row, schedule). A run trains a few hundred architectures at
/// most and looks one up at every training evaluation, so the lookup must not grow with
/// what was trained before (a scan of a list did).
#[derive(Debug, Clone, Default)]
pub(crate) struct TrainingProgress {
    epochs: HashMap<(u32, usize), u32, BuildHasherDefault<SmallKeyHasher>>,
}

impl TrainingProgress {
    /// Epochs trained for `row` on `schedule` (0 if never trained), to read or update with
    /// one lookup. (Holding 0 is the same as never having trained it.)
    pub(crate) fn epochs_mut(&mut self, row: u32, schedule: usize) -> &mut u32 {
        if self.epochs.capacity() == 0 {
            // Room for a typical run's trainings at once rather than growing by doubling.
            self.epochs.reserve(256);
        }
        self.epochs.entry((row, schedule)).or_insert(0)
    }
}

/// A multiply-rotate hash for small integer keys (rustc's FxHash). The map is looked up,
/// never iterated, so the hash decides only how fast it is, never a result; SipHash's
/// protection against chosen keys is not needed for table rows.
#[derive(Debug, Clone, Copy, Default)]
struct SmallKeyHasher(u64);

impl SmallKeyHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for SmallKeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.add(b as u64);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.add(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
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
            *p.epochs_mut(row, schedule) = epochs;
        }
        assert_eq!(*p.epochs_mut(9, 0), 200);
        assert_eq!(*p.epochs_mut(3, 1), 25);
        assert_eq!(*p.epochs_mut(9, 1), 50);
        assert_eq!(*p.epochs_mut(3, 0), 4);
        assert_eq!(*p.epochs_mut(4, 0), 0);
    }
}
