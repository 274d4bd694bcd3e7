//! NAS-Bench-201: a cell of 4 nodes and 6 edges, each edge one of 5 operations.
//!
//! Four encodings of the same architecture meet here:
//! - the **genotype**: 6 op ids in arch-string edge order (0→1),(0→2),(1→2),(0→3),(1→3),(2→3),
//!   ops 0 none, 1 skip_connect, 2 nor_conv_1x1, 3 nor_conv_3x3, 4 avg_pool_3x3;
//! - the **code** ([`Nb201Arch`]): the genotype read as a base-5 number (first edge most
//!   significant), 0..15624; this is the key tables store;
//! - the **NB201 index**: the benchmark's own order, a fixed permutation of the codes
//!   (embedded from the published index map; it is not the base-5 number);
//! - the **arch string** `|o01~0|+|o02~0|o12~1|+|o03~0|o13~1|o23~2|` and the **NASLib tuple**
//!   (other edge order and op numbering, used by NAS-Bench-Suite-Zero files).

use super::SearchSpace;
use crate::error::{Error, Result};
use crate::rng::Rng;
use std::sync::OnceLock;

/// Number of architectures in NB201.
pub const N_ARCHS: usize = 15_625;
/// Number of edges (positions) in a cell.
pub const N_EDGES: usize = 6;
/// Number of operations per edge.
pub const N_OPS: usize = 5;
/// Operation names in canonical id order.
pub const OP_NAMES: [&str; N_OPS] = [
    "none",
    "skip_connect",
    "nor_conv_1x1",
    "nor_conv_3x3",
    "avg_pool_3x3",
];
/// Short operation labels for compact displays.
pub const OP_SHORT: [&str; N_OPS] = ["none", "skip", "conv1x1", "conv3x3", "avgpool"];
/// Edge (from, to) node pairs in arch-string order.
pub const EDGES: [(u8, u8); N_EDGES] = [(0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)];

/// NASLib's op numbering, by canonical op id: NASLib 0 skip, 1 none, 2 conv3x3, 3 conv1x1, 4 avgpool.
const CANON_TO_NASLIB_OP: [u8; N_OPS] = [1, 0, 3, 2, 4];
/// NASLib's edge order (0→1),(0→2),(0→3),(1→2),(1→3),(2→3) as arch-string positions.
const NASLIB_EDGE_POS: [usize; N_EDGES] = [0, 1, 3, 2, 4, 5];

const POW5: [u16; N_EDGES] = [3125, 625, 125, 25, 5, 1];

static ORDER_BYTES: &[u8; 2 * N_ARCHS] = include_bytes!("nb201_order.bin");

struct IndexMaps {
    code_of_index: Vec<u16>,
    index_of_code: Vec<u16>,
}

fn index_maps() -> &'static IndexMaps {
    static MAPS: OnceLock<IndexMaps> = OnceLock::new();
    MAPS.get_or_init(|| {
        let code_of_index: Vec<u16> = ORDER_BYTES
            .chunks_exact(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .collect();
        let mut index_of_code = vec![0u16; N_ARCHS];
        for (i, &c) in code_of_index.iter().enumerate() {
            index_of_code[c as usize] = i as u16;
        }
        IndexMaps {
            code_of_index,
            index_of_code,
        }
    })
}

/// One NB201 architecture, stored as its base-5 genotype code.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize,
)]
pub struct Nb201Arch(pub u16);

impl Nb201Arch {
    /// From the 6 canonical op ids. Fails if an op id is not in 0..5.
    pub fn from_genotype(ops: [u8; N_EDGES]) -> Result<Self> {
        let mut code = 0u16;
        for (i, &op) in ops.iter().enumerate() {
            if op as usize >= N_OPS {
                return Err(Error::arch(format!(
                    "op id {op} at edge {i} is not an NB201 op (ids are 0..=4: {})",
                    OP_NAMES.join(", ")
                )));
            }
            code += op as u16 * POW5[i];
        }
        Ok(Self(code))
    }
    /// From a code in 0..15625.
    pub fn from_code(code: u32) -> Result<Self> {
        if (code as usize) < N_ARCHS {
            Ok(Self(code as u16))
        } else {
            Err(Error::arch(format!(
                "{code} is not an NB201 genotype code (0..=15624)"
            )))
        }
    }
    /// From the benchmark's own index (0..15625).
    pub fn from_index(index: u32) -> Result<Self> {
        if (index as usize) < N_ARCHS {
            Ok(Self(index_maps().code_of_index[index as usize]))
        } else {
            Err(Error::arch(format!(
                "{index} is not an NB201 index (0..=15624)"
            )))
        }
    }
    /// The benchmark's own index.
    pub fn index(self) -> u32 {
        index_maps().index_of_code[self.0 as usize] as u32
    }
    /// The 6 canonical op ids.
    pub fn genotype(self) -> [u8; N_EDGES] {
        let mut g = [0u8; N_EDGES];
        for (i, slot) in g.iter_mut().enumerate() {
            *slot = ((self.0 / POW5[i]) % 5) as u8;
        }
        g
    }
    /// The op id on edge `position`.
    pub fn op(self, position: usize) -> u8 {
        ((self.0 / POW5[position]) % 5) as u8
    }
    /// The same architecture with edge `position` set to `op`.
    pub fn with_op(self, position: usize, op: u8) -> Self {
        let old = self.op(position) as u16;
        Self(self.0 - old * POW5[position] + op as u16 * POW5[position])
    }
    /// The genotype as the string of 6 digits, e.g. `"421211"`.
    pub fn genotype_string(self) -> String {
        self.genotype()
            .iter()
            .map(|d| char::from(b'0' + d))
            .collect()
    }
    /// Parses a 6-digit genotype string.
    pub fn parse_genotype(text: &str) -> Result<Self> {
        let b = text.as_bytes();
        if b.len() != N_EDGES || !b.iter().all(|c| (b'0'..=b'4').contains(c)) {
            return Err(Error::arch(format!(
                "{text:?} is not an NB201 genotype: expected 6 digits 0-4"
            )));
        }
        let mut g = [0u8; N_EDGES];
        for i in 0..N_EDGES {
            g[i] = b[i] - b'0';
        }
        Self::from_genotype(g)
    }
    /// The NB201 arch string.
    pub fn arch_string(self) -> String {
        // `|{op0}~0|+|{op1}~0|{op2}~1|+|{op3}~0|{op4}~1|{op5}~2|`, written piece by piece
        // (every run's outcome carries one; the formatting machinery costs more).
        const AFTER: [&str; N_EDGES] = ["~0|+|", "~0|", "~1|+|", "~0|", "~1|", "~2|"];
        let mut s = String::with_capacity(96);
        s.push('|');
        for (op, after) in self.genotype().into_iter().zip(AFTER) {
            s.push_str(OP_NAMES[op as usize]);
            s.push_str(after);
        }
        s
    }
    /// Parses an NB201 arch string.
    pub fn parse_arch_string(text: &str) -> Result<Self> {
        let bad = |why: &str| {
            Error::arch(format!(
                "{text:?} is not an NB201 arch string ({why}); expected the form \
                 |op~0|+|op~0|op~1|+|op~0|op~1|op~2| with ops {}",
                OP_NAMES.join(", ")
            ))
        };
        let nodes: Vec<&str> = text.trim().split('+').collect();
        if nodes.len() != 3 {
            return Err(bad("it needs 3 node groups joined by '+'"));
        }
        let mut g = [0u8; N_EDGES];
        let mut pos = 0;
        for (node, group) in nodes.iter().enumerate() {
            let inner = group
                .strip_prefix('|')
                .and_then(|s| s.strip_suffix('|'))
                .ok_or_else(|| bad("a group must start and end with '|'"))?;
            let parts: Vec<&str> = inner.split('|').collect();
            if parts.len() != node + 1 {
                return Err(bad("node j needs exactly j inputs"));
            }
            for (from, part) in parts.iter().enumerate() {
                let (name, src) = part
                    .split_once('~')
                    .ok_or_else(|| bad("each edge is op~input"))?;
                if src != from.to_string() {
                    return Err(bad("inputs must be listed in order 0, 1, 2"));
                }
                let op = OP_NAMES
                    .iter()
                    .position(|&n| n == name)
                    .ok_or_else(|| bad(&format!("unknown op {name:?}")))?;
                g[pos] = op as u8;
                pos += 1;
            }
        }
        Self::from_genotype(g)
    }
    /// The NASLib op-indices tuple, e.g. `(4, 3, 3, 0, 0, 0)`.
    pub fn naslib_tuple(self) -> [u8; N_EDGES] {
        let g = self.genotype();
        let mut t = [0u8; N_EDGES];
        for k in 0..N_EDGES {
            t[k] = CANON_TO_NASLIB_OP[g[NASLIB_EDGE_POS[k]] as usize];
        }
        t
    }
    /// The NASLib tuple as the string NASLib files use as a key: `"(4, 3, 3, 0, 0, 0)"`.
    pub fn naslib_string(self) -> String {
        let t = self.naslib_tuple();
        format!(
            "({}, {}, {}, {}, {}, {})",
            t[0], t[1], t[2], t[3], t[4], t[5]
        )
    }
    /// Parses a NASLib tuple string such as `"(4, 3, 3, 0, 0, 0)"`.
    pub fn parse_naslib(text: &str) -> Result<Self> {
        let bad = || {
            Error::arch(format!(
                "{text:?} is not a NASLib NB201 tuple like \"(4, 3, 3, 0, 0, 0)\""
            ))
        };
        let inner = text
            .trim()
            .strip_prefix('(')
            .and_then(|s| s.strip_suffix(')'))
            .ok_or_else(bad)?;
        let vals: Vec<u8> = inner
            .split(',')
            .map(|s| s.trim().parse::<u8>())
            .collect::<Result<_, _>>()
            .map_err(|_| bad())?;
        if vals.len() != N_EDGES || vals.iter().any(|&v| v as usize >= N_OPS) {
            return Err(bad());
        }
        let mut g = [0u8; N_EDGES];
        for k in 0..N_EDGES {
            let canon = CANON_TO_NASLIB_OP
                .iter()
                .position(|&x| x == vals[k])
                .unwrap() as u8;
            g[NASLIB_EDGE_POS[k]] = canon;
        }
        Self::from_genotype(g)
    }
    /// Whether some path from the input node to the output node avoids `none` edges.
    /// Cells without one output zeros; NAS-Bench-Suite-Zero scores only connected cells.
    pub fn is_connected(self) -> bool {
        let g = self.genotype();
        let mut reach = [true, false, false, false];
        for (i, &(from, to)) in EDGES.iter().enumerate() {
            if g[i] != 0 && reach[from as usize] {
                reach[to as usize] = true;
            }
        }
        reach[3]
    }
    /// The cell for drawing: 4 nodes, 6 edges carrying the ops; `none` edges and edges off
    /// every input→output path through non-`none` edges are inactive.
    pub fn cell_graph(self) -> super::graph::CellGraph {
        use super::graph::{CellGraph, CellGraphEdge, CellGraphNode};
        let g = self.genotype();
        let mut fwd = [true, false, false, false];
        for (i, &(a, b)) in EDGES.iter().enumerate() {
            if g[i] != 0 && fwd[a as usize] {
                fwd[b as usize] = true;
            }
        }
        let mut bwd = [false, false, false, true];
        for (i, &(a, b)) in EDGES.iter().enumerate().rev() {
            if g[i] != 0 && bwd[b as usize] {
                bwd[a as usize] = true;
            }
        }
        let live = |n: u8| fwd[n as usize] && bwd[n as usize];
        CellGraph {
            space: "nb201".into(),
            ops_on: "edges".into(),
            nodes: (0..4)
                .map(|i| CellGraphNode {
                    id: i,
                    label: i.to_string(),
                    kind: match i {
                        0 => "input",
                        3 => "output",
                        _ => "node",
                    }
                    .into(),
                    active: live(i as u8),
                })
                .collect(),
            edges: EDGES
                .iter()
                .enumerate()
                .map(|(i, &(a, b))| CellGraphEdge {
                    from: a as usize,
                    to: b as usize,
                    label: Some(OP_SHORT[g[i] as usize].to_string()),
                    active: g[i] != 0 && live(a) && live(b),
                })
                .collect(),
            hash: None,
        }
    }
    /// FreeREA's "skip" metric: the mean, over skip_connect edges i→j, of the intermediate
    /// nodes the edge bypasses (j − i − 1); 0 for a cell without skip edges.
    pub fn mean_skipped_nodes(self) -> f64 {
        let g = self.genotype();
        let spans: Vec<f64> = EDGES
            .iter()
            .zip(g)
            .filter(|(_, op)| *op == 1)
            .map(|(&(i, j), _)| (j - i - 1) as f64)
            .collect();
        if spans.is_empty() {
            0.0
        } else {
            spans.iter().sum::<f64>() / spans.len() as f64
        }
    }
    /// Parses any of the accepted forms: the NB201 index (`9930` or `#9930`), arch string,
    /// 6-digit genotype or NASLib tuple.
    pub fn parse_any(text: &str) -> Result<Self> {
        let t = text.trim();
        if t.starts_with('|') {
            Self::parse_arch_string(t)
        } else if t.starts_with('(') {
            Self::parse_naslib(t)
        } else if let Some(idx) = t.strip_prefix('#') {
            let i: u32 = idx.parse().map_err(|_| {
                Error::arch(format!("{t:?}: after '#' comes an NB201 index 0..=15624"))
            })?;
            Self::from_index(i)
        } else if t.len() == N_EDGES {
            Self::parse_genotype(t)
        } else if !t.is_empty() && t.len() < N_EDGES && t.bytes().all(|b| b.is_ascii_digit()) {
            // Indices have at most 5 digits, genotypes exactly 6: never ambiguous.
            Self::from_index(t.parse().expect("at most 5 digits"))
        } else {
            Err(Error::arch(format!(
                "{t:?} is not an NB201 architecture: give its index (0..=15624, e.g. 9930 or #9930), \
                 an arch string (|nor_conv_3x3~0|+...), a 6-digit genotype (\"334131\") or a NASLib \
                 tuple (\"(2, 2, 0, 4, 2, 0)\")"
            )))
        }
    }
}

/// The `i`-th op other than `current`, in op order: the `i`-th architecture
/// [`SearchSpace::position_neighbours`] lists for an edge holding `current`.
fn other_op(current: u8, i: usize) -> u8 {
    let i = i as u8;
    if i < current { i } else { i + 1 }
}

/// The NB201 search space.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nb201;

impl SearchSpace for Nb201 {
    type Arch = Nb201Arch;
    fn name(&self) -> &'static str {
        "nb201"
    }
    fn n_positions(&self) -> usize {
        N_EDGES
    }
    fn sample(&self, rng: &mut Rng) -> Nb201Arch {
        // One op per edge, drawn position by position (uniform over the 15,625 cells).
        let mut g = [0u8; N_EDGES];
        for slot in g.iter_mut() {
            *slot = rng.below(N_OPS) as u8;
        }
        Nb201Arch::from_genotype(g).expect("ops drawn in range")
    }
    #[inline]
    fn position_neighbours(&self, arch: Nb201Arch, position: usize, out: &mut Vec<Nb201Arch>) {
        let cur = arch.op(position) as u16;
        let (weight, without) = (POW5[position], arch.0 - cur * POW5[position]);
        let mut others = [Nb201Arch(0); N_OPS - 1];
        for (i, slot) in others.iter_mut().enumerate() {
            *slot = Nb201Arch(without + other_op(cur as u8, i) as u16 * weight);
        }
        out.extend_from_slice(&others);
    }
    /// The trait's 2-opt move, drawn without listing the 16 options (every edge has 4
    /// alternatives): the same draws and the same result.
    fn random_2opt(&self, arch: Nb201Arch, rng: &mut Rng) -> Nb201Arch {
        let (i, j) = super::position_pair(N_EDGES, rng.below(N_EDGES * (N_EDGES - 1) / 2));
        let r = rng.below((N_OPS - 1) * (N_OPS - 1));
        let step = arch.with_op(i, other_op(arch.op(i), r / (N_OPS - 1)));
        step.with_op(j, other_op(step.op(j), r % (N_OPS - 1)))
    }
    /// The trait's mutation without listing each edge's alternatives: the same draws and
    /// the same child.
    fn mutate(&self, arch: Nb201Arch, rate: f64, rng: &mut Rng) -> Nb201Arch {
        let p = rate / N_EDGES as f64;
        let mut child = arch;
        for pos in 0..N_EDGES {
            if rng.unit() < p {
                let op = other_op(child.op(pos), rng.below(N_OPS - 1));
                child = child.with_op(pos, op);
            }
        }
        child
    }
    fn crossover(&self, a: Nb201Arch, b: Nb201Arch, rng: &mut Rng) -> Nb201Arch {
        let mut child = a;
        for p in 0..N_EDGES {
            if rng.below(2) == 1 {
                child = child.with_op(p, b.op(p));
            }
        }
        child
    }
    fn key(&self, arch: Nb201Arch) -> u64 {
        arch.0 as u64
    }
    fn from_key(&self, key: u64) -> Option<Nb201Arch> {
        (key < N_ARCHS as u64).then_some(Nb201Arch(key as u16))
    }
    fn key_bound(&self) -> Option<u64> {
        Some(N_ARCHS as u64)
    }
    fn cell_graph(&self, arch: Nb201Arch) -> Option<super::graph::CellGraph> {
        Some(arch.cell_graph())
    }
    fn to_string(&self, arch: Nb201Arch) -> String {
        arch.arch_string()
    }
    fn parse(&self, text: &str) -> Result<Nb201Arch> {
        Nb201Arch::parse_any(text)
    }
    /// The NB201 index, not the base-5 key.
    fn id(&self, arch: Nb201Arch) -> u64 {
        arch.index() as u64
    }
    fn from_id(&self, id: u64) -> Option<Nb201Arch> {
        u32::try_from(id)
            .ok()
            .and_then(|i| Nb201Arch::from_index(i).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// NB201 with the trait's own mutation and 2-opt move (it forwards only what it must).
    struct ByTheTrait;
    impl SearchSpace for ByTheTrait {
        type Arch = Nb201Arch;
        fn name(&self) -> &'static str {
            "nb201"
        }
        fn n_positions(&self) -> usize {
            Nb201.n_positions()
        }
        fn sample(&self, rng: &mut Rng) -> Nb201Arch {
            Nb201.sample(rng)
        }
        fn position_neighbours(&self, arch: Nb201Arch, position: usize, out: &mut Vec<Nb201Arch>) {
            Nb201.position_neighbours(arch, position, out)
        }
        fn crossover(&self, a: Nb201Arch, b: Nb201Arch, rng: &mut Rng) -> Nb201Arch {
            Nb201.crossover(a, b, rng)
        }
        fn key(&self, arch: Nb201Arch) -> u64 {
            Nb201.key(arch)
        }
        fn from_key(&self, key: u64) -> Option<Nb201Arch> {
            Nb201.from_key(key)
        }
        fn to_string(&self, arch: Nb201Arch) -> String {
            Nb201.to_string(arch)
        }
        fn parse(&self, text: &str) -> Result<Nb201Arch> {
            Nb201.parse(text)
        }
    }

    #[test]
    fn mutation_and_2opt_moves_draw_what_the_trait_defaults_draw() {
        let (mut fast, mut plain) = (Rng::new(5), Rng::new(5));
        for code in (0..N_ARCHS as u16).step_by(7) {
            let a = Nb201Arch(code);
            for rate in [1.0, 3.0, 6.0] {
                assert_eq!(
                    Nb201.mutate(a, rate, &mut fast),
                    ByTheTrait.mutate(a, rate, &mut plain)
                );
            }
            assert_eq!(
                Nb201.random_2opt(a, &mut fast),
                ByTheTrait.random_2opt(a, &mut plain)
            );
        }
        assert_eq!(fast.next_u64(), plain.next_u64());
    }

    #[test]
    fn index_zero_is_the_published_first_architecture() {
        let a = Nb201Arch::from_index(0).unwrap();
        assert_eq!(
            a.arch_string(),
            "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"
        );
        assert_eq!(a.genotype_string(), "421211");
        assert_eq!(a.naslib_string(), "(4, 3, 3, 0, 0, 0)");
    }

    #[test]
    fn every_code_round_trips_through_every_encoding() {
        for c in 0..N_ARCHS as u32 {
            let a = Nb201Arch::from_code(c).unwrap();
            assert_eq!(Nb201Arch::from_index(a.index()).unwrap(), a);
            assert_eq!(Nb201Arch::parse_arch_string(&a.arch_string()).unwrap(), a);
            assert_eq!(Nb201Arch::parse_genotype(&a.genotype_string()).unwrap(), a);
            assert_eq!(Nb201Arch::parse_naslib(&a.naslib_string()).unwrap(), a);
        }
    }

    #[test]
    fn the_1opt_neighbourhood_has_24_distinct_members_one_edge_away() {
        let mut out = Vec::new();
        let a = Nb201Arch::from_index(9930).unwrap();
        Nb201.neighbours_1opt(a, &mut out);
        assert_eq!(out.len(), 24);
        let mut s = out.clone();
        s.sort();
        s.dedup();
        assert_eq!(s.len(), 24);
        for n in out {
            let d = (0..6).filter(|&p| n.op(p) != a.op(p)).count();
            assert_eq!(d, 1);
        }
    }

    #[test]
    fn the_2opt_neighbourhood_has_240_members_two_edges_away() {
        let mut out = Vec::new();
        let a = Nb201Arch::from_index(17).unwrap();
        Nb201.neighbours_2opt(a, &mut out);
        assert_eq!(out.len(), 240);
        for n in out {
            assert_eq!((0..6).filter(|&p| n.op(p) != a.op(p)).count(), 2);
        }
    }

    #[test]
    fn malformed_strings_are_rejected_with_a_reason() {
        for bad in [
            "",
            "|foo~0|+|none~0|none~1|+|none~0|none~1|none~2|",
            "15625",
            "555555",
            "(1, 2)",
            "#99999",
            "|none~0|",
        ] {
            let e = Nb201Arch::parse_any(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArchitecture, "{bad}");
        }
    }

    #[test]
    fn a_number_of_up_to_five_digits_is_an_index_and_six_digits_a_genotype() {
        assert_eq!(Nb201Arch::parse_any("12345").unwrap().index(), 12345);
        assert_eq!(Nb201Arch::parse_any("#12345").unwrap().index(), 12345);
        assert_eq!(Nb201Arch::parse_any("0").unwrap().index(), 0);
        assert_eq!(
            Nb201Arch::parse_any("334131").unwrap().genotype_string(),
            "334131"
        );
    }

    #[test]
    fn the_cell_graph_greys_out_none_edges_and_dead_ends() {
        // 0→1 conv, 0→3 skip, everything else none: node 1 and node 2 are dead ends.
        let g = Nb201Arch::from_genotype([3, 0, 0, 1, 0, 0])
            .unwrap()
            .cell_graph();
        assert_eq!(g.edges.len(), 6);
        assert_eq!(g.edges.iter().filter(|e| e.active).count(), 1);
        assert!(!g.nodes[1].active && g.nodes[3].active);
    }

    #[test]
    fn freerea_skip_averages_the_nodes_each_skip_edge_bypasses() {
        // Skips on 0→3 (bypasses 2 nodes) and 1→3 (bypasses 1): mean 1.5.
        assert_eq!(
            Nb201Arch::from_genotype([3, 3, 3, 1, 1, 3])
                .unwrap()
                .mean_skipped_nodes(),
            1.5
        );
        assert_eq!(
            Nb201Arch::from_genotype([1, 0, 1, 0, 0, 1])
                .unwrap()
                .mean_skipped_nodes(),
            0.0
        );
        assert_eq!(
            Nb201Arch::from_genotype([3; 6])
                .unwrap()
                .mean_skipped_nodes(),
            0.0
        );
    }

    #[test]
    fn the_cell_of_only_none_edges_is_disconnected() {
        assert!(!Nb201Arch::from_genotype([0; 6]).unwrap().is_connected());
        assert!(
            Nb201Arch::from_genotype([0, 0, 0, 1, 0, 0])
                .unwrap()
                .is_connected()
        );
        assert!(
            !Nb201Arch::from_genotype([1, 1, 1, 0, 0, 0])
                .unwrap()
                .is_connected()
        );
    }
}
