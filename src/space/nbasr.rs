//! NAS-Bench-ASR: a cell of three op nodes in a chain, each with one main op (linear,
//! conv5, conv5 dilated 2, conv7, conv7 dilated 2, zero), plus six optional skip
//! connections.
//!
//! - The **encoding** has 9 positions, in MF-NAS's order, which flattens the benchmark's
//!   `arch_vec` `[[op0, a], [op1, b, c], [op2, d, e, f]]` to `op0 a op1 b c op2 d e f`.
//!   An [`NbAsrArch`] stores it as one mixed-radix number (first position most
//!   significant), 0..13824.
//! - The **graph** (as the benchmark's `get_model_graph`): node 0 input, nodes 1..3 the
//!   ops, node 4 output; a chain 0→1→2→3→4 plus skip edges 0→2 (a), 0→3 (b), 1→3 (c),
//!   0→4 (d), 1→4 (e), 2→4 (f). **Minimisation** drops every edge of a `zero` node and
//!   then every node off the input→output paths.
//! - The **hash** ([`NbAsrArch::hash`]) is the benchmark's `model_hash`, by which its
//!   records are keyed: NAS-Bench-101's `hash_module` on the minimised graph (degrees
//!   printed as floats, as NB-ASR's float matrix does).
//! - Equivalent encodings (same minimised graph up to isomorphism) share one record; the
//!   table **key** is the smallest code among them ([`NbAsrArch::canonical`]).

use super::SearchSpace;
use super::graph::{CellGraph, CellGraphEdge, CellGraphNode, Dag};
use crate::error::{Error, Result};
use crate::rng::Rng;
use std::sync::OnceLock;

/// Positions of the encoding.
pub const N_POSITIONS: usize = 9;
/// Number of encodings.
pub const N_CODES: usize = 13_824;
/// The benchmark's op names, by op id (its `all_ops`).
pub const OP_NAMES: [&str; 6] = ["linear", "conv5", "conv5d2", "conv7", "conv7d2", "zero"];
/// The op id of `zero`.
pub const ZERO: u8 = 5;
/// Which positions hold a main op (the others are skip bits).
pub const MAIN_OP_POSITIONS: [usize; 3] = [0, 2, 5];
/// Choices per position.
pub const RADIX: [u16; N_POSITIONS] = [6, 2, 6, 2, 2, 6, 2, 2, 2];
/// The graph edge (from, to) of each skip position, by position (`None` for op positions).
pub const SKIP_EDGES: [Option<(u8, u8)>; N_POSITIONS] = [
    None,
    Some((0, 2)),
    None,
    Some((0, 3)),
    Some((1, 3)),
    None,
    Some((0, 4)),
    Some((1, 4)),
    Some((2, 4)),
];

const fn place_values() -> [u16; N_POSITIONS] {
    let mut w = [1u16; N_POSITIONS];
    let mut i = N_POSITIONS - 1;
    while i > 0 {
        w[i - 1] = w[i] * RADIX[i];
        i -= 1;
    }
    w
}
const PLACE: [u16; N_POSITIONS] = place_values();

/// One NB-ASR encoding.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize,
)]
pub struct NbAsrArch(u16);

impl NbAsrArch {
    /// The code, 0..13824.
    pub fn code(self) -> u16 {
        self.0
    }
    /// From a code in 0..13824.
    pub fn from_code(code: u32) -> Result<Self> {
        if (code as usize) < N_CODES {
            Ok(Self(code as u16))
        } else {
            Err(Error::arch(format!(
                "{code} is not an NB-ASR code (0..=13823)"
            )))
        }
    }
    /// From the 9 position values (ops 0..=5 at positions 0, 2, 5; bits elsewhere).
    pub fn from_positions(values: [u8; N_POSITIONS]) -> Result<Self> {
        let mut code = 0u16;
        for (p, &v) in values.iter().enumerate() {
            if v as u16 >= RADIX[p] {
                return Err(Error::arch(format!(
                    "value {v} at position {p} is out of range: {}",
                    if RADIX[p] == 6 {
                        format!("main ops are 0..=5 ({})", OP_NAMES.join(", "))
                    } else {
                        "skip connections are 0 or 1".to_string()
                    }
                )));
            }
            code += v as u16 * PLACE[p];
        }
        Ok(Self(code))
    }
    /// The value at `position`.
    #[inline]
    pub fn value(self, position: usize) -> u8 {
        ((self.0 / PLACE[position]) % RADIX[position]) as u8
    }
    /// The 9 position values.
    pub fn positions(self) -> [u8; N_POSITIONS] {
        std::array::from_fn(|p| self.value(p))
    }
    /// The same encoding with `position` set to `value` (in range).
    pub fn with_value(self, position: usize, value: u8) -> Self {
        let old = self.value(position) as u16;
        Self(self.0 - old * PLACE[position] + value as u16 * PLACE[position])
    }
    /// The main op id of op node `k` (0..3).
    pub fn op(self, k: usize) -> u8 {
        self.value(MAIN_OP_POSITIONS[k])
    }
    /// The benchmark's `arch_vec`.
    pub fn arch_vec(self) -> [Vec<u8>; 3] {
        let v = self.positions();
        [v[0..2].to_vec(), v[2..5].to_vec(), v[5..9].to_vec()]
    }
    /// `arch_vec` as text, e.g. `"[[1, 0], [1, 0, 0], [1, 0, 0, 0]]"`.
    pub fn arch_vec_string(self) -> String {
        let parts: Vec<String> = self
            .arch_vec()
            .iter()
            .map(|n| {
                let items: Vec<String> = n.iter().map(u8::to_string).collect();
                format!("[{}]", items.join(", "))
            })
            .collect();
        format!("[{}]", parts.join(", "))
    }
    /// Parses an `arch_vec` (JSON or Python list literal).
    pub fn parse_arch_vec(text: &str) -> Result<Self> {
        let bad = |why: &str| {
            Error::arch(format!(
                "{text:?} is not an NB-ASR arch_vec ({why}); expected [[op, s], [op, s, s], [op, s, s, s]]"
            ))
        };
        let nested: Vec<Vec<u8>> = serde_json::from_str(text.trim())
            .map_err(|_| bad("not a list of lists of small integers"))?;
        if nested.len() != 3 || (0..3).any(|k| nested[k].len() != k + 2) {
            return Err(bad("wrong shape"));
        }
        let flat: Vec<u8> = nested.concat();
        Self::from_positions(flat.try_into().expect("2 + 3 + 4 values"))
    }
    /// The 9 position values as digits, e.g. `"101001000"`.
    pub fn digits(self) -> String {
        self.positions()
            .iter()
            .map(|&d| char::from(b'0' + d))
            .collect()
    }
    /// Parses [`NbAsrArch::digits`].
    pub fn parse_digits(text: &str) -> Result<Self> {
        let b = text.trim().as_bytes();
        if b.len() != N_POSITIONS || !b.iter().all(u8::is_ascii_digit) {
            return Err(Error::arch(format!(
                "{text:?} is not an NB-ASR encoding: expected 9 digits (ops 0-5 at positions 1, 3, 6; 0/1 elsewhere)"
            )));
        }
        Self::from_positions(std::array::from_fn(|p| b[p] - b'0'))
    }
    /// Parses digits or an `arch_vec`.
    pub fn parse_any(text: &str) -> Result<Self> {
        if text.trim().starts_with('[') {
            Self::parse_arch_vec(text)
        } else {
            Self::parse_digits(text)
        }
    }

    /// The full graph (5 nodes) with the benchmark's labels (input −1, op ids, output −2).
    pub fn dag(self) -> Dag {
        let mut d = Dag::empty(5);
        d.labels[0] = -1;
        d.labels[4] = -2;
        for k in 0..3 {
            d.labels[k + 1] = self.op(k) as i8;
        }
        for i in 0..4 {
            d.adj[i] |= 1 << (i + 1);
        }
        for (p, e) in SKIP_EDGES.iter().enumerate() {
            if let Some((a, b)) = *e
                && self.value(p) == 1
            {
                d.adj[a as usize] |= 1 << b;
            }
        }
        d
    }
    /// The minimised graph: `zero` nodes lose their edges, then nodes off every
    /// input→output path go. Empty when nothing connects the input to the output.
    pub fn minimised(self) -> Dag {
        self.without_zero_edges().pruned()
    }
    fn without_zero_edges(self) -> Dag {
        let mut d = self.dag();
        for k in 1..4 {
            if d.labels[k] == ZERO as i8 {
                d.adj[k] = 0;
                for i in 0..5 {
                    d.adj[i] &= !(1 << k);
                }
            }
        }
        d
    }
    /// The benchmark's model hash (32 hex characters), the key of its records.
    pub fn hash(self) -> String {
        self.minimised().hash_module(true)
    }
    /// The smallest code with the same minimised graph (up to isomorphism).
    pub fn canonical(self) -> NbAsrArch {
        NbAsrArch(canonical_codes()[self.0 as usize])
    }

    /// The cell for drawing: input, three op nodes, output; chain and skip edges;
    /// what minimisation removes is inactive.
    pub fn cell_graph(self) -> CellGraph {
        let d = self.without_zero_edges();
        let live = d.on_path();
        let nodes = (0..5)
            .map(|i| {
                let (label, kind) = match i {
                    0 => ("input".to_string(), "input"),
                    4 => ("output".to_string(), "output"),
                    _ => (OP_NAMES[self.op(i - 1) as usize].to_string(), "op"),
                };
                CellGraphNode {
                    id: i,
                    label,
                    kind: kind.to_string(),
                    active: live >> i & 1 == 1,
                }
            })
            .collect();
        let full = self.dag();
        let mut edges = Vec::new();
        for i in 0..5usize {
            for j in (i + 1)..5usize {
                if full.has_edge(i, j) {
                    edges.push(CellGraphEdge {
                        from: i,
                        to: j,
                        label: (j != i + 1).then(|| "skip".to_string()),
                        active: d.has_edge(i, j) && live >> i & 1 == 1 && live >> j & 1 == 1,
                    });
                }
            }
        }
        CellGraph {
            space: "nbasr".into(),
            ops_on: "nodes".into(),
            nodes,
            edges,
            hash: Some(self.hash()),
        }
    }
}

/// For every code, the smallest code whose minimised graph is isomorphic to its own.
fn canonical_codes() -> &'static [u16] {
    static CANON: OnceLock<Vec<u16>> = OnceLock::new();
    CANON.get_or_init(|| {
        let mut sig: Vec<(u64, u16)> = (0..N_CODES as u16)
            .map(|c| (NbAsrArch(c).minimised().canonical().signature(), c))
            .collect();
        sig.sort_unstable();
        let mut canon = vec![0u16; N_CODES];
        let mut start = 0;
        while start < sig.len() {
            let mut end = start;
            while end < sig.len() && sig[end].0 == sig[start].0 {
                end += 1;
            }
            // Sorted by (signature, code): the first of the group is the smallest code.
            for &(_, c) in &sig[start..end] {
                canon[c as usize] = sig[start].1;
            }
            start = end;
        }
        canon
    })
}

/// The NB-ASR search space. Every encoding is valid; 1-opt changes one position (21
/// neighbours), 2-opt two (180).
#[derive(Debug, Clone, Copy, Default)]
pub struct NbAsr;

impl SearchSpace for NbAsr {
    type Arch = NbAsrArch;
    fn name(&self) -> &'static str {
        "nbasr"
    }
    fn n_positions(&self) -> usize {
        N_POSITIONS
    }
    fn sample(&self, rng: &mut Rng) -> NbAsrArch {
        let mut v = [0u8; N_POSITIONS];
        for (p, slot) in v.iter_mut().enumerate() {
            *slot = rng.below(RADIX[p] as usize) as u8;
        }
        NbAsrArch::from_positions(v).expect("values drawn in range")
    }
    fn position_neighbours(&self, arch: NbAsrArch, position: usize, out: &mut Vec<NbAsrArch>) {
        let cur = arch.value(position);
        for v in 0..RADIX[position] as u8 {
            if v != cur {
                out.push(arch.with_value(position, v));
            }
        }
    }
    fn crossover(&self, a: NbAsrArch, b: NbAsrArch, rng: &mut Rng) -> NbAsrArch {
        let mut child = a;
        for p in 0..N_POSITIONS {
            if rng.below(2) == 1 {
                child = child.with_value(p, b.value(p));
            }
        }
        child
    }
    fn key(&self, arch: NbAsrArch) -> u64 {
        arch.canonical().0 as u64
    }
    fn from_key(&self, key: u64) -> Option<NbAsrArch> {
        let a = NbAsrArch::from_code(u32::try_from(key).ok()?).ok()?;
        (a.canonical() == a).then_some(a)
    }
    fn canonical(&self, arch: NbAsrArch) -> NbAsrArch {
        arch.canonical()
    }
    fn cell_graph(&self, arch: NbAsrArch) -> Option<super::graph::CellGraph> {
        Some(arch.cell_graph())
    }
    fn to_string(&self, arch: NbAsrArch) -> String {
        arch.arch_vec_string()
    }
    fn parse(&self, text: &str) -> Result<NbAsrArch> {
        NbAsrArch::parse_any(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_architecture_has_the_published_model_hash() {
        let a = NbAsrArch::parse_arch_vec("[[1,0],[1,0,0],[1,0,0,0]]").unwrap();
        assert_eq!(a.hash(), "36855332a5778e0df5114305bc3ce238");
    }

    #[test]
    fn every_encoding_round_trips() {
        for c in 0..N_CODES as u32 {
            let a = NbAsrArch::from_code(c).unwrap();
            assert_eq!(NbAsrArch::parse_arch_vec(&a.arch_vec_string()).unwrap(), a);
            assert_eq!(NbAsrArch::parse_digits(&a.digits()).unwrap(), a);
            assert_eq!(NbAsrArch::from_positions(a.positions()).unwrap(), a);
        }
    }

    #[test]
    fn encodings_share_a_key_exactly_when_they_share_a_model_hash() {
        let mut by_hash: std::collections::BTreeMap<String, u64> = Default::default();
        let mut keys = std::collections::BTreeSet::new();
        for c in 0..N_CODES as u32 {
            let a = NbAsrArch::from_code(c).unwrap();
            let k = NbAsr.key(a);
            keys.insert(k);
            let prev = *by_hash.entry(a.hash()).or_insert(k);
            assert_eq!(prev, k, "{} and key {k} have one hash", a.digits());
        }
        assert_eq!(keys.len(), by_hash.len());
    }

    #[test]
    fn the_space_has_8242_distinct_models() {
        let keys: std::collections::BTreeSet<u64> = (0..N_CODES as u32)
            .map(|c| NbAsr.key(NbAsrArch::from_code(c).unwrap()))
            .collect();
        assert_eq!(keys.len(), 8242);
    }

    #[test]
    fn a_zero_op_removes_its_node_and_its_edges() {
        // op1 zero, no skips: the chain breaks, nothing connects input to output.
        let a = NbAsrArch::parse_digits("105000000").unwrap();
        assert_eq!(a.minimised().n, 0);
        // With the 1→3 skip the chain survives around the zero node.
        let b = NbAsrArch::parse_digits("105010000").unwrap();
        assert_eq!(b.minimised().n, 4);
    }

    #[test]
    fn the_neighbourhoods_have_21_and_180_members() {
        let a = NbAsrArch::parse_digits("101001000").unwrap();
        let mut one = Vec::new();
        NbAsr.neighbours_1opt(a, &mut one);
        assert_eq!(one.len(), 21);
        let mut two = Vec::new();
        NbAsr.neighbours_2opt(a, &mut two);
        assert_eq!(two.len(), 180);
        for n in two {
            assert_eq!((0..9).filter(|&p| n.value(p) != a.value(p)).count(), 2);
        }
    }

    #[test]
    fn keys_decode_to_canonical_encodings_only() {
        for c in 0..N_CODES as u32 {
            let a = NbAsrArch::from_code(c).unwrap();
            let k = NbAsr.key(a);
            assert!(k <= c as u64);
            assert_eq!(NbAsr.from_key(k), Some(a.canonical()));
            if a.canonical() != a {
                assert_eq!(NbAsr.from_key(c as u64), None);
            }
        }
    }

    #[test]
    fn malformed_encodings_are_rejected_with_a_reason() {
        for bad in [
            "",
            "10100100",
            "601001000",
            "121001000",
            "[[1,0],[1,0]]",
            "[[9,0],[1,0,0],[1,0,0,0]]",
        ] {
            let e = NbAsrArch::parse_any(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArchitecture, "{bad}");
        }
    }

    #[test]
    fn the_cell_graph_marks_a_zero_node_inactive() {
        let g = NbAsrArch::parse_digits("105010000").unwrap().cell_graph();
        assert_eq!(g.nodes.len(), 5);
        assert!(!g.nodes[2].active);
        assert!(g.nodes[1].active && g.nodes[3].active);
        assert_eq!(
            g.edges
                .iter()
                .filter(|e| e.label.as_deref() == Some("skip"))
                .count(),
            1
        );
    }
}
