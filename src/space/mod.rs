//! Search spaces: what an architecture is, how to sample one and what its neighbours are.
//!
//! Algorithms are generic over [`SearchSpace`], so the same code searches every space.

pub mod graph;
pub mod nb101;
pub mod nb201;
pub mod nb201_cost;
pub mod nbasr;
pub mod subset;

use crate::rng::Rng;
use std::fmt::Debug;
use std::hash::Hash;

/// A search space whose architectures are fixed-length vectors of choices ("positions").
///
/// Neighbourhoods are defined by positions: the 1-opt neighbours of `a` change exactly one
/// position, the 2-opt neighbours exactly two.
pub trait SearchSpace: Send + Sync {
    /// One architecture. Small and `Copy` so that algorithms can keep many of them.
    type Arch: Copy + Eq + Ord + Hash + Debug + Send + Sync;

    /// A short name, e.g. `"nb201"`.
    fn name(&self) -> &'static str;
    /// Number of positions (decision variables) of an architecture, at most 16 (local
    /// search keeps the positions of a sweep in one 64-bit word).
    fn n_positions(&self) -> usize;
    /// A uniformly random architecture.
    fn sample(&self, rng: &mut Rng) -> Self::Arch;
    /// Appends to `out` every valid architecture that differs from `arch` at `position` only.
    fn position_neighbours(&self, arch: Self::Arch, position: usize, out: &mut Vec<Self::Arch>);
    /// Uniform crossover: each position taken from `a` or `b` with equal probability
    /// (the result is valid in the space).
    fn crossover(&self, a: Self::Arch, b: Self::Arch, rng: &mut Rng) -> Self::Arch;
    /// The key a benchmark table stores this architecture under.
    fn key(&self, arch: Self::Arch) -> u64;
    /// The architecture stored under `key`, if the key is valid in this space.
    // A method rather than a constructor: which keys are valid depends on the space (a
    // subset space accepts only its own).
    #[allow(clippy::wrong_self_convention)]
    fn from_key(&self, key: u64) -> Option<Self::Arch>;
    /// A bound every key is below, for spaces whose keys are few and tell architectures
    /// apart (NB201: 15,625): a set of architectures can then be a bitset over keys. `None`
    /// (the default) where keys are spread out.
    fn key_bound(&self) -> Option<u64> {
        None
    }
    /// The human-readable form, e.g. the NB201 arch string.
    fn to_string(&self, arch: Self::Arch) -> String;
    /// Parses the human-readable form.
    fn parse(&self, text: &str) -> crate::Result<Self::Arch>;

    /// The id a person sees for `arch`: in events, outcomes, exports, the page and its URLs.
    /// NB201 uses the benchmark's own index (what its API, papers and users call an
    /// architecture); spaces without a published index use their table key. The table key
    /// itself stays internal.
    fn id(&self, arch: Self::Arch) -> u64 {
        self.key(arch)
    }
    /// The architecture with id `id`, if the id is valid in this space.
    // A method for the same reason as `from_key`.
    #[allow(clippy::wrong_self_convention)]
    fn from_id(&self, id: u64) -> Option<Self::Arch> {
        self.from_key(id)
    }
    /// Parses an architecture as a person gives it: its id (`9930` or `#9930`) or any
    /// notation [`SearchSpace::parse`] reads (an arch string, a genotype, ...). Where a
    /// string of digits is both a notation and a number (NB201's 6-digit genotypes,
    /// NB-ASR's 9 digits), the notation wins; ids are shorter.
    fn parse_arch(&self, text: &str) -> crate::Result<Self::Arch> {
        let t = text.trim();
        let number = t.strip_prefix('#').unwrap_or(t);
        let by_id = |id: u64| {
            self.from_id(id).ok_or_else(|| {
                crate::Error::arch(format!(
                    "{id} is not the id of a {} architecture here",
                    self.name()
                ))
            })
        };
        if t.starts_with('#') {
            let id = number.parse::<u64>().map_err(|_| {
                crate::Error::arch(format!("{t:?}: after '#' comes an architecture id"))
            })?;
            return by_id(id);
        }
        match self.parse(t) {
            Ok(a) => Ok(a),
            Err(e) => match t.parse::<u64>() {
                Ok(id) => by_id(id),
                Err(_) => Err(e),
            },
        }
    }

    /// The cell as a drawable graph, for spaces that have one.
    fn cell_graph(&self, arch: Self::Arch) -> Option<graph::CellGraph> {
        let _ = arch;
        None
    }

    /// The representative of the architectures that are the same network as `arch`
    /// (e.g. isomorphic NB101 cells). Algorithms that count distinct architectures (MF-NAS
    /// stage 1) de-duplicate by it. Default: `arch` itself.
    fn canonical(&self, arch: Self::Arch) -> Self::Arch {
        arch
    }

    /// All 1-opt neighbours of `arch`.
    fn neighbours_1opt(&self, arch: Self::Arch, out: &mut Vec<Self::Arch>) {
        for p in 0..self.n_positions() {
            self.position_neighbours(arch, p, out);
        }
    }

    /// All 2-opt neighbours of `arch`: exactly two positions changed.
    fn neighbours_2opt(&self, arch: Self::Arch, out: &mut Vec<Self::Arch>) {
        let n = self.n_positions();
        let mut first = Vec::new();
        for i in 0..n {
            first.clear();
            self.position_neighbours(arch, i, &mut first);
            for &a in &first {
                for j in (i + 1)..n {
                    self.position_neighbours(a, j, out);
                }
            }
        }
    }

    /// One random 2-opt move (the escape step of local search): two distinct random
    /// positions, each changed to a random different choice.
    fn random_2opt(&self, arch: Self::Arch, rng: &mut Rng) -> Self::Arch {
        let n = self.n_positions();
        let (i, j) = position_pair(n, rng.below(n * (n - 1) / 2));
        let mut options = Vec::new();
        let mut step = Vec::new();
        self.position_neighbours(arch, i, &mut step);
        for &a in &step {
            self.position_neighbours(a, j, &mut options);
        }
        if options.is_empty() {
            arch
        } else {
            options[rng.below(options.len())]
        }
    }

    /// Mutation as in regularised evolution: each position changes with probability
    /// `rate / n_positions` to a different random choice. The child may equal the parent.
    fn mutate(&self, arch: Self::Arch, rate: f64, rng: &mut Rng) -> Self::Arch {
        let n = self.n_positions();
        let p = rate / n as f64;
        let mut child = arch;
        let mut options = Vec::new();
        for pos in 0..n {
            if rng.unit() < p {
                options.clear();
                self.position_neighbours(child, pos, &mut options);
                if !options.is_empty() {
                    child = options[rng.below(options.len())];
                }
            }
        }
        child
    }
}

/// The `k`-th of the pairs of positions `(i, j)`, `i < j < n`, in lexicographic order
/// (`(0, 1)` when `k` is out of range): how [`SearchSpace::random_2opt`] picks its pair.
pub(crate) fn position_pair(n: usize, mut k: usize) -> (usize, usize) {
    for a in 0..n {
        for b in (a + 1)..n {
            if k == 0 {
                return (a, b);
            }
            k -= 1;
        }
    }
    (0, 1)
}
