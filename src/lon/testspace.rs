//! Small spaces for tests, small enough that every basin and edge can be counted by hand.

use crate::error::{Error, Result};
use crate::rng::Rng;
use crate::space::SearchSpace;

/// Positions × choices of a hand-countable space, keys = base-`choices` codes with the
/// first position most significant.
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    pub positions: usize,
    pub choices: u64,
}

/// 3 positions × 3 choices: 27 architectures, 6 one-opt and 12 two-opt neighbours each.
pub const TINY: Grid = Grid {
    positions: 3,
    choices: 3,
};

impl Grid {
    fn digit(&self, key: u64, p: usize) -> u64 {
        key / self.choices.pow((self.positions - 1 - p) as u32) % self.choices
    }
    fn with(&self, key: u64, p: usize, d: u64) -> u64 {
        let w = self.choices.pow((self.positions - 1 - p) as u32);
        key - self.digit(key, p) * w + d * w
    }
    /// Number of architectures.
    pub fn size(&self) -> u64 {
        self.choices.pow(self.positions as u32)
    }
}

impl SearchSpace for Grid {
    type Arch = u64;
    fn name(&self) -> &'static str {
        "grid"
    }
    fn n_positions(&self) -> usize {
        self.positions
    }
    fn sample(&self, rng: &mut Rng) -> u64 {
        rng.below(self.size() as usize) as u64
    }
    fn position_neighbours(&self, arch: u64, position: usize, out: &mut Vec<u64>) {
        let cur = self.digit(arch, position);
        for d in 0..self.choices {
            if d != cur {
                out.push(self.with(arch, position, d));
            }
        }
    }
    fn crossover(&self, a: u64, b: u64, rng: &mut Rng) -> u64 {
        let mut c = a;
        for p in 0..self.positions {
            if rng.below(2) == 1 {
                c = self.with(c, p, self.digit(b, p));
            }
        }
        c
    }
    fn key(&self, arch: u64) -> u64 {
        arch
    }
    fn from_key(&self, key: u64) -> Option<u64> {
        (key < self.size()).then_some(key)
    }
    fn to_string(&self, arch: u64) -> String {
        (0..self.positions)
            .map(|p| char::from(b'0' + self.digit(arch, p) as u8))
            .collect()
    }
    fn parse(&self, text: &str) -> Result<u64> {
        let mut k = 0;
        for c in text.chars() {
            let d = c
                .to_digit(10)
                .filter(|&d| (d as u64) < self.choices)
                .ok_or_else(|| Error::arch(format!("{text:?}: bad digit")))?;
            k = k * self.choices + d as u64;
        }
        Ok(k)
    }
}
