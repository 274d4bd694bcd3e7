//! A search space restricted to the architectures a table has rows for.
//!
//! Fragment tables (500 NB101 cells out of 423,624) cannot answer for most of the space:
//! a search over the whole space would ask for cells the table lacks. [`Subset`] keeps
//! the inner space's encodings, neighbourhoods and keys but only ever yields members:
//! sampling is uniform over the members, and a neighbourhood holds only its members (it
//! is often empty when the members are scattered, so local search there mostly escapes).

use super::SearchSpace;
use crate::error::{Error, Result};
use crate::rng::Rng;
use std::sync::Arc;

/// `inner` restricted to a set of table keys. Cloning shares the member list.
#[derive(Debug, Clone)]
pub struct Subset<S: SearchSpace> {
    inner: S,
    /// Sorted, distinct member keys.
    keys: Arc<[u64]>,
}

impl<S: SearchSpace> Subset<S> {
    /// The members of `inner` among `keys` (keys the space does not decode are an error).
    pub fn new(inner: S, keys: &[u64]) -> Result<Self> {
        let mut sorted = keys.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        if let Some(&bad) = sorted.iter().find(|&&k| inner.from_key(k).is_none()) {
            return Err(Error::arch(format!(
                "key {bad} is not a {} architecture key",
                inner.name()
            )));
        }
        if sorted.is_empty() {
            return Err(Error::param("a subset space needs at least one member"));
        }
        Ok(Self {
            inner,
            keys: sorted.into(),
        })
    }
    /// Number of members.
    pub fn len(&self) -> usize {
        self.keys.len()
    }
    /// Always false (a subset has at least one member).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
    /// The inner space.
    pub fn inner(&self) -> &S {
        &self.inner
    }
    /// Whether `arch` is a member.
    pub fn contains(&self, arch: S::Arch) -> bool {
        self.keys.binary_search(&self.inner.key(arch)).is_ok()
    }
}

impl<S: SearchSpace> SearchSpace for Subset<S> {
    type Arch = S::Arch;
    fn name(&self) -> &'static str {
        self.inner.name()
    }
    fn n_positions(&self) -> usize {
        self.inner.n_positions()
    }
    fn sample(&self, rng: &mut Rng) -> S::Arch {
        let k = self.keys[rng.below(self.keys.len())];
        self.inner.from_key(k).expect("checked in new")
    }
    fn position_neighbours(&self, arch: S::Arch, position: usize, out: &mut Vec<S::Arch>) {
        let start = out.len();
        self.inner.position_neighbours(arch, position, out);
        let mut w = start;
        for r in start..out.len() {
            if self.contains(out[r]) {
                out[w] = out[r];
                w += 1;
            }
        }
        out.truncate(w);
    }
    fn neighbours_2opt(&self, arch: S::Arch, out: &mut Vec<S::Arch>) {
        let mut all = Vec::new();
        self.inner.neighbours_2opt(arch, &mut all);
        out.extend(all.into_iter().filter(|&a| self.contains(a)));
    }
    /// A random member 2 positions away, or `arch` itself when there is none.
    fn random_2opt(&self, arch: S::Arch, rng: &mut Rng) -> S::Arch {
        let mut options = Vec::new();
        self.neighbours_2opt(arch, &mut options);
        if options.is_empty() {
            arch
        } else {
            options[rng.below(options.len())]
        }
    }
    /// The inner crossover, drawn again up to 64 times until the child is a member;
    /// otherwise the first parent.
    fn crossover(&self, a: S::Arch, b: S::Arch, rng: &mut Rng) -> S::Arch {
        for _ in 0..64 {
            let c = self.inner.crossover(a, b, rng);
            if self.contains(c) {
                return c;
            }
        }
        a
    }
    fn key(&self, arch: S::Arch) -> u64 {
        self.inner.key(arch)
    }
    fn from_key(&self, key: u64) -> Option<S::Arch> {
        self.keys
            .binary_search(&key)
            .ok()
            .and_then(|_| self.inner.from_key(key))
    }
    fn key_bound(&self) -> Option<u64> {
        self.inner.key_bound()
    }
    fn canonical(&self, arch: S::Arch) -> S::Arch {
        self.inner.canonical(arch)
    }
    fn id(&self, arch: S::Arch) -> u64 {
        self.inner.id(arch)
    }
    fn from_id(&self, id: u64) -> Option<S::Arch> {
        self.inner.from_id(id).filter(|&a| self.contains(a))
    }
    fn to_string(&self, arch: S::Arch) -> String {
        self.inner.to_string(arch)
    }
    fn cell_graph(&self, arch: S::Arch) -> Option<super::graph::CellGraph> {
        self.inner.cell_graph(arch)
    }
    fn parse(&self, text: &str) -> Result<S::Arch> {
        self.member(self.inner.parse(text)?, text)
    }
    fn parse_arch(&self, text: &str) -> Result<S::Arch> {
        self.member(self.inner.parse_arch(text)?, text)
    }
}

impl<S: SearchSpace> Subset<S> {
    fn member(&self, a: S::Arch, text: &str) -> Result<S::Arch> {
        if self.contains(a) {
            Ok(a)
        } else {
            Err(Error::arch(format!(
                "{text:?} is a {} architecture but not one of the {} this table has",
                self.inner.name(),
                self.keys.len()
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::space::nb201::{Nb201, Nb201Arch};

    #[test]
    fn a_subset_only_samples_and_steps_to_members() {
        let keys: Vec<u64> = (0..15_625u64).filter(|k| k % 7 == 0).collect();
        let s = Subset::new(Nb201, &keys).unwrap();
        let mut rng = Rng::new(1);
        for _ in 0..200 {
            let a = s.sample(&mut rng);
            assert!((a.0 as u64).is_multiple_of(7));
            let mut out = Vec::new();
            s.neighbours_1opt(a, &mut out);
            assert!(out.iter().all(|n| n.0 % 7 == 0));
            let m = s.mutate(a, 3.0, &mut rng);
            assert!(s.contains(m));
        }
    }

    #[test]
    fn a_key_outside_the_space_is_refused() {
        assert!(Subset::new(Nb201, &[99_999]).is_err());
        assert!(Subset::new(Nb201, &[]).is_err());
        let s = Subset::new(Nb201, &[3]).unwrap();
        assert_eq!(s.from_key(4), None);
        assert_eq!(s.from_key(3), Some(Nb201Arch(3)));
    }
}
