//! NAS-Bench-101: a cell of up to 7 nodes and 9 edges; the input (node 0) and output
//! (node 6) are fixed, each of the 5 interior nodes applies one op (conv3x3-bn-relu,
//! conv1x1-bn-relu, maxpool3x3), and any upper-triangular adjacency is allowed.
//!
//! - An architecture ([`Nb101Arch`]) is the **raw** 7-node spec, packed in 31 bits: bit `p`
//!   (0..21) is the edge [`EDGE_SPOTS`]`[p]` (row-major upper triangle), bits `21 + 2s`
//!   hold the op id of interior node `s + 1` (0 conv3x3, 1 conv1x1, 2 maxpool3x3, the
//!   benchmark's `available_ops` order). This is what searches move on (as the reference
//!   MF-NAS does): 26 positions, 21 edge bits and 5 op slots.
//! - A spec is **valid** when, after pruning the nodes off every input→output path, the
//!   input still reaches the output and at most 9 edges remain (the benchmark's rule).
//!   Every constructor checks validity, so an [`Nb101Arch`] is always valid.
//! - Many raw specs are the same network (pruned nodes, isomorphic relabellings). The
//!   table **key** is the [`Nb101Arch::canonical`] spec: the pruned cell with its interior
//!   nodes in the order of smallest signature, placed at nodes 1..n−2 and the output at 6.
//!   Keys are below 2^31, safe as JavaScript numbers.
//! - The benchmark's own record key is the MD5 graph hash ([`Nb101Arch::hash`]), computed
//!   exactly as the official `ModelSpec.hash_spec`.

use super::SearchSpace;
use super::graph::{CellGraph, CellGraphEdge, CellGraphNode, Dag};
use crate::error::{Error, Result};
use crate::rng::Rng;

/// Nodes of a full cell.
pub const N_NODES: usize = 7;
/// Edge positions: the upper triangle of the 7×7 matrix.
pub const N_EDGE_SPOTS: usize = 21;
/// Op positions: the interior nodes.
pub const N_OP_SPOTS: usize = 5;
/// Positions of the search space (edges then ops).
pub const N_POSITIONS: usize = N_EDGE_SPOTS + N_OP_SPOTS;
/// The most edges a valid (pruned) cell may have.
pub const MAX_EDGES: u32 = 9;
/// The benchmark's op names, by op id.
pub const OP_NAMES: [&str; 3] = ["conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"];
/// Short op labels for displays.
pub const OP_SHORT: [&str; 3] = ["conv3x3", "conv1x1", "maxpool"];
/// The one-character op codes of [`Nb101Arch::compact_string`].
const OP_CHARS: [char; 3] = ['3', '1', 'm'];
/// NASLib's op numbers (input 0, output 1, maxpool3x3 2, conv1x1 3, conv3x3 4) by op id.
const NASLIB_OP: [u8; 3] = [4, 3, 2];

/// The (from, to) node pair of every edge bit, row-major.
pub const EDGE_SPOTS: [(u8, u8); N_EDGE_SPOTS] = {
    let mut out = [(0u8, 0u8); N_EDGE_SPOTS];
    let mut k = 0;
    let mut i = 0;
    while i < N_NODES {
        let mut j = i + 1;
        while j < N_NODES {
            out[k] = (i as u8, j as u8);
            k += 1;
            j += 1;
        }
        i += 1;
    }
    out
};

const EDGE_MASK: u32 = (1 << N_EDGE_SPOTS) - 1;

/// One NB101 cell: a valid raw 7-node spec (see the module docs for the bit layout).
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize,
)]
pub struct Nb101Arch(u32);

impl Nb101Arch {
    /// The packed code.
    pub fn code(self) -> u32 {
        self.0
    }
    /// From a packed code; fails unless it is a valid spec.
    pub fn from_code(code: u32) -> Result<Self> {
        if code >> (N_EDGE_SPOTS + 2 * N_OP_SPOTS) != 0 {
            return Err(Error::arch(format!(
                "{code} is not an NB101 code (31 bits: 21 edges, 5 two-bit ops)"
            )));
        }
        let a = Self(code);
        if (0..N_OP_SPOTS).any(|s| a.op(s) > 2) {
            return Err(Error::arch(format!(
                "NB101 code {code} has an op id 3; op ids are 0 conv3x3, 1 conv1x1, 2 maxpool3x3"
            )));
        }
        a.check()
    }
    /// From the 21 edge bits and the 5 interior op ids; fails unless valid.
    pub fn from_parts(edges: u32, ops: [u8; N_OP_SPOTS]) -> Result<Self> {
        if edges & !EDGE_MASK != 0 {
            return Err(Error::arch("NB101 edge bits must fit in 21 bits"));
        }
        let mut code = edges;
        for (s, &op) in ops.iter().enumerate() {
            if op > 2 {
                return Err(Error::arch(format!(
                    "op id {op} at interior node {} is not an NB101 op (0 conv3x3, 1 conv1x1, 2 maxpool3x3)",
                    s + 1
                )));
            }
            code |= (op as u32) << (N_EDGE_SPOTS + 2 * s);
        }
        Self(code).check()
    }
    /// From an adjacency matrix of `n ≤ 7` nodes and its op names (first `input`, last
    /// `output`), as the benchmark's records store it. Smaller (already pruned) specs are
    /// placed at nodes 0..n−2 with the output at node 6.
    pub fn from_matrix(matrix: &[Vec<u8>], ops: &[&str]) -> Result<Self> {
        let n = matrix.len();
        let bad = |why: String| Error::arch(format!("not an NB101 spec: {why}"));
        if !(2..=N_NODES).contains(&n) {
            return Err(bad(format!("{n} nodes (a cell has 2 to 7)")));
        }
        if ops.len() != n || matrix.iter().any(|r| r.len() != n) {
            return Err(bad(format!(
                "the matrix must be {n}×{n} with {n} ops, got {} ops",
                ops.len()
            )));
        }
        if ops[0] != "input" || ops[n - 1] != "output" {
            return Err(bad("the first op must be input and the last output".into()));
        }
        let place = |i: usize| if i == n - 1 { N_NODES - 1 } else { i };
        let mut edges = 0u32;
        for (i, row) in matrix.iter().enumerate() {
            for (j, &entry) in row.iter().enumerate() {
                match entry {
                    0 => {}
                    1 if j > i => {
                        let (a, b) = (place(i), place(j));
                        let p = EDGE_SPOTS
                            .iter()
                            .position(|&e| e == (a as u8, b as u8))
                            .expect("i < j < 7");
                        edges |= 1 << p;
                    }
                    1 => return Err(bad(format!("edge {i}→{j} is not upper-triangular"))),
                    v => return Err(bad(format!("matrix entry {v} is not 0 or 1"))),
                }
            }
        }
        let mut op_ids = [0u8; N_OP_SPOTS];
        for i in 1..n - 1 {
            op_ids[i - 1] = OP_NAMES.iter().position(|&o| o == ops[i]).ok_or_else(|| {
                bad(format!(
                    "unknown op {:?}; ops are {}",
                    ops[i],
                    OP_NAMES.join(", ")
                ))
            })? as u8;
        }
        Self::from_parts(edges, op_ids)
    }

    fn check(self) -> Result<Self> {
        match self.pruned() {
            None => Err(Error::arch(format!(
                "NB101 spec {} is invalid: the input does not reach the output",
                self.compact_string()
            ))),
            Some(d) if d.n_edges() > MAX_EDGES => Err(Error::arch(format!(
                "NB101 spec {} is invalid: {} edges after pruning, at most {MAX_EDGES} allowed",
                self.compact_string(),
                d.n_edges()
            ))),
            Some(_) => Ok(self),
        }
    }

    /// Whether edge position `p` (0..21) is set.
    #[inline]
    pub fn edge(self, p: usize) -> bool {
        self.0 >> p & 1 == 1
    }
    /// The 21 edge bits.
    pub fn edges(self) -> u32 {
        self.0 & EDGE_MASK
    }
    /// The op id of interior node `slot + 1`.
    #[inline]
    pub fn op(self, slot: usize) -> u8 {
        (self.0 >> (N_EDGE_SPOTS + 2 * slot) & 3) as u8
    }
    /// The 5 interior op ids.
    pub fn ops(self) -> [u8; N_OP_SPOTS] {
        std::array::from_fn(|s| self.op(s))
    }

    /// The raw 7-node DAG with the benchmark's labels (input −1, ops 0..2, output −2).
    pub fn dag(self) -> Dag {
        raw_dag(self.0)
    }
    /// The pruned DAG, or `None` when the input does not reach the output.
    pub fn pruned(self) -> Option<Dag> {
        let d = self.dag().pruned();
        (d.n >= 2).then_some(d)
    }
    /// Whether the spec is valid (always true for a constructed [`Nb101Arch`]).
    pub fn is_valid(self) -> bool {
        raw_valid(self.0)
    }
    /// The official NB101 hash (32 hex characters) of the pruned spec: the key of the
    /// benchmark's records and of every file derived from them.
    pub fn hash(self) -> String {
        self.pruned()
            .expect("an Nb101Arch is valid")
            .hash_module(false)
    }
    /// The canonical representative of the cell's isomorphism class: equal for every spec
    /// that is the same network.
    pub fn canonical(self) -> Nb101Arch {
        let d = self.pruned().expect("an Nb101Arch is valid").canonical();
        Nb101Arch(embed(&d))
    }

    /// The NASLib / NAS-Bench-Suite-Zero key: the 7×7 matrix row-major then the 7 op numbers
    /// (input 0, output 1, maxpool3x3 2, conv1x1 3, conv3x3 4), as a Python tuple string.
    pub fn naslib_string(self) -> String {
        let mut v: Vec<String> = Vec::with_capacity(56);
        for i in 0..N_NODES {
            for j in 0..N_NODES {
                v.push((self.dag().has_edge(i, j) as u8).to_string());
            }
        }
        v.push("0".into());
        for s in 0..N_OP_SPOTS {
            v.push(NASLIB_OP[self.op(s) as usize].to_string());
        }
        v.push("1".into());
        format!("({})", v.join(", "))
    }
    /// Parses a NASLib tuple: the `n×n` matrix row-major then `n` op numbers, for
    /// `n` in 2..=7 (NASLib writes pruned cells with fewer nodes).
    pub fn parse_naslib(text: &str) -> Result<Self> {
        let bad = |why: &str| {
            Error::arch(format!(
                "{text:?} is not a NASLib NB101 tuple ({why}): expected n×n matrix entries then n op numbers"
            ))
        };
        let inner = text
            .trim()
            .strip_prefix('(')
            .and_then(|s| s.strip_suffix(')'))
            .ok_or_else(|| bad("no parentheses"))?;
        let vals: Vec<u8> = inner
            .split(',')
            .map(|s| s.trim().parse::<u8>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| bad("not all integers"))?;
        let n = (2..=N_NODES)
            .find(|n| n * n + n == vals.len())
            .ok_or_else(|| bad(&format!("{} numbers", vals.len())))?;
        let matrix: Vec<Vec<u8>> = (0..n).map(|i| vals[i * n..(i + 1) * n].to_vec()).collect();
        let names = [
            "input",
            "output",
            "maxpool3x3",
            "conv1x1-bn-relu",
            "conv3x3-bn-relu",
        ];
        let ops: Vec<&str> = vals[n * n..]
            .iter()
            .map(|&o| {
                names
                    .get(o as usize)
                    .copied()
                    .ok_or_else(|| bad("op number above 4"))
            })
            .collect::<Result<_>>()?;
        Self::from_matrix(&matrix, &ops)
    }
    /// A compact form: the 21 edge bits (row-major upper triangle), `/`, and one character
    /// per interior op (`3` conv3x3, `1` conv1x1, `m` maxpool3x3), e.g.
    /// `"110000100001000001001/311m1"`.
    pub fn compact_string(self) -> String {
        let bits: String = (0..N_EDGE_SPOTS)
            .map(|p| if self.edge(p) { '1' } else { '0' })
            .collect();
        let ops: String = (0..N_OP_SPOTS)
            .map(|s| OP_CHARS.get(self.op(s) as usize).copied().unwrap_or('?'))
            .collect();
        format!("{bits}/{ops}")
    }
    /// Parses [`Nb101Arch::compact_string`].
    pub fn parse_compact(text: &str) -> Result<Self> {
        let bad = || {
            Error::arch(format!(
                "{text:?} is not a compact NB101 spec: expected 21 edge bits, '/', 5 op characters (3, 1 or m)"
            ))
        };
        let (bits, ops) = text.trim().split_once('/').ok_or_else(bad)?;
        if bits.len() != N_EDGE_SPOTS || ops.chars().count() != N_OP_SPOTS {
            return Err(bad());
        }
        let mut edges = 0u32;
        for (p, c) in bits.chars().enumerate() {
            match c {
                '0' => {}
                '1' => edges |= 1 << p,
                _ => return Err(bad()),
            }
        }
        let mut op_ids = [0u8; N_OP_SPOTS];
        for (s, c) in ops.chars().enumerate() {
            op_ids[s] = OP_CHARS.iter().position(|&o| o == c).ok_or_else(bad)? as u8;
        }
        Self::from_parts(edges, op_ids)
    }
    /// Parses the compact form, a NASLib tuple, or a JSON object
    /// `{"matrix": [[...]], "ops": ["input", ..., "output"]}` (also accepted with the
    /// benchmark's names `module_adjacency` / `module_operations`).
    pub fn parse_any(text: &str) -> Result<Self> {
        let t = text.trim();
        if t.starts_with('(') {
            Self::parse_naslib(t)
        } else if t.starts_with('{') {
            let v: serde_json::Value = serde_json::from_str(t)
                .map_err(|e| Error::arch(format!("NB101 spec JSON does not parse: {e}")))?;
            let m = v.get("matrix").or_else(|| v.get("module_adjacency"));
            let o = v.get("ops").or_else(|| v.get("module_operations"));
            let (Some(m), Some(o)) = (m, o) else {
                return Err(Error::arch(
                    "an NB101 spec in JSON needs \"matrix\" and \"ops\" (or module_adjacency and module_operations)",
                ));
            };
            let matrix: Vec<Vec<u8>> = serde_json::from_value(m.clone())
                .map_err(|e| Error::arch(format!("NB101 matrix: {e}")))?;
            let ops: Vec<String> = serde_json::from_value(o.clone())
                .map_err(|e| Error::arch(format!("NB101 ops: {e}")))?;
            let ops: Vec<&str> = ops.iter().map(String::as_str).collect();
            Self::from_matrix(&matrix, &ops)
        } else if t.contains('/') {
            Self::parse_compact(t)
        } else {
            Err(Error::arch(format!(
                "{t:?} is not an NB101 spec: give the compact form (\"110000100001000001001/311m1\"), \
                 a NASLib 56-number tuple or JSON {{\"matrix\": ..., \"ops\": ...}}"
            )))
        }
    }

    /// The cell for drawing: 7 nodes with their ops, the raw edges, pruned parts inactive.
    ///
    /// ```
    /// use mfnas::space::nb101::Nb101Arch;
    /// // input → output, plus a conv3x3 node fed by the input that leads nowhere.
    /// let g = Nb101Arch::parse_any("100001000000000000000/33333").unwrap().cell_graph();
    /// let json = serde_json::to_value(&g).unwrap();
    /// assert_eq!(json["ops_on"], "nodes");
    /// assert_eq!(json["nodes"][1]["label"], "conv3x3");
    /// assert_eq!(json["nodes"][1]["active"], false);
    /// assert_eq!(json["edges"].as_array().unwrap().len(), 2);
    /// ```
    pub fn cell_graph(self) -> CellGraph {
        let d = self.dag();
        let live = d.on_path();
        let nodes = (0..N_NODES)
            .map(|i| {
                let (label, kind) = match i {
                    0 => ("input".to_string(), "input"),
                    6 => ("output".to_string(), "output"),
                    _ => (OP_SHORT[self.op(i - 1) as usize].to_string(), "op"),
                };
                CellGraphNode {
                    id: i,
                    label,
                    kind: kind.to_string(),
                    active: live >> i & 1 == 1,
                }
            })
            .collect();
        let edges = EDGE_SPOTS
            .iter()
            .enumerate()
            .filter(|&(p, _)| self.edge(p))
            .map(|(_, &(a, b))| CellGraphEdge {
                from: a as usize,
                to: b as usize,
                label: None,
                active: live >> a & 1 == 1 && live >> b & 1 == 1,
            })
            .collect();
        CellGraph {
            space: "nb101".into(),
            ops_on: "nodes".into(),
            nodes,
            edges,
            hash: Some(self.hash()),
        }
    }
}

fn raw_dag(code: u32) -> Dag {
    let mut d = Dag::empty(N_NODES);
    for (p, &(a, b)) in EDGE_SPOTS.iter().enumerate() {
        if code >> p & 1 == 1 {
            d.adj[a as usize] |= 1 << b;
        }
    }
    d.labels[0] = -1;
    for s in 0..N_OP_SPOTS {
        d.labels[s + 1] = (code >> (N_EDGE_SPOTS + 2 * s) & 3) as i8;
    }
    d.labels[N_NODES - 1] = -2;
    d
}

fn raw_valid(code: u32) -> bool {
    if (0..N_OP_SPOTS).any(|s| code >> (N_EDGE_SPOTS + 2 * s) & 3 == 3) {
        return false;
    }
    let d = raw_dag(code);
    let live = d.on_path();
    if live & 1 == 0 || live >> (N_NODES - 1) & 1 == 0 {
        return false;
    }
    let kept: u32 = (0..N_NODES)
        .filter(|&i| live >> i & 1 == 1)
        .map(|i| (d.adj[i] & live).count_ones())
        .sum();
    kept <= MAX_EDGES
}

/// Places a pruned DAG of `n` nodes into the 7-node layout: interior nodes at 1..n−2 (op
/// ids kept), the output at 6, unused nodes edgeless with op 0.
fn embed(d: &Dag) -> u32 {
    let n = d.n;
    let place = |i: usize| if i == n - 1 { N_NODES - 1 } else { i };
    let mut code = 0u32;
    for i in 0..n {
        for j in (i + 1)..n {
            if d.has_edge(i, j) {
                let pair = (place(i) as u8, place(j) as u8);
                let p = EDGE_SPOTS.iter().position(|&e| e == pair).expect("i < j");
                code |= 1 << p;
            }
        }
    }
    for i in 1..n.saturating_sub(1) {
        code |= (d.labels[i] as u32) << (N_EDGE_SPOTS + 2 * (i - 1));
    }
    code
}

/// Applies raw change `k` at `position` (edges: k = 0 flips; ops: k ∈ {0, 1} picks one of
/// the two other ops). May give an invalid code.
fn raw_change(code: u32, position: usize, k: usize) -> u32 {
    if position < N_EDGE_SPOTS {
        code ^ 1 << position
    } else {
        let shift = N_EDGE_SPOTS + 2 * (position - N_EDGE_SPOTS);
        let cur = (code >> shift & 3) as usize;
        let new = (cur + 1 + k) % 3;
        code & !(3 << shift) | (new as u32) << shift
    }
}

fn n_changes(position: usize) -> usize {
    if position < N_EDGE_SPOTS { 1 } else { 2 }
}

/// The NB101 search space.
///
/// Neighbourhoods are over the 26 raw positions, keeping only valid specs: a 1-opt
/// neighbour flips one edge bit or changes one op; a 2-opt neighbour changes exactly two
/// positions (valid at the end, whatever the intermediate step). Flips that disconnect
/// the cell or leave more than 9 edges are skipped, so neighbourhood sizes vary. A
/// neighbour may be the same network as its origin (a change on a pruned node); it is
/// still a different spec, as in the reference implementation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Nb101;

impl SearchSpace for Nb101 {
    type Arch = Nb101Arch;
    fn name(&self) -> &'static str {
        "nb101"
    }
    fn n_positions(&self) -> usize {
        N_POSITIONS
    }
    /// Uniform over valid raw specs, by rejection (as the benchmark's `random_spec`): each
    /// edge bit and op drawn uniformly until the spec is valid.
    fn sample(&self, rng: &mut Rng) -> Nb101Arch {
        loop {
            let mut code = rng.next_u64() as u32 & EDGE_MASK;
            for s in 0..N_OP_SPOTS {
                code |= (rng.below(3) as u32) << (N_EDGE_SPOTS + 2 * s);
            }
            if raw_valid(code) {
                return Nb101Arch(code);
            }
        }
    }
    fn position_neighbours(&self, arch: Nb101Arch, position: usize, out: &mut Vec<Nb101Arch>) {
        for k in 0..n_changes(position) {
            let c = raw_change(arch.0, position, k);
            if raw_valid(c) {
                out.push(Nb101Arch(c));
            }
        }
    }
    fn neighbours_2opt(&self, arch: Nb101Arch, out: &mut Vec<Nb101Arch>) {
        for i in 0..N_POSITIONS {
            for ki in 0..n_changes(i) {
                let a = raw_change(arch.0, i, ki);
                for j in (i + 1)..N_POSITIONS {
                    for kj in 0..n_changes(j) {
                        let c = raw_change(a, j, kj);
                        if raw_valid(c) {
                            out.push(Nb101Arch(c));
                        }
                    }
                }
            }
        }
    }
    fn random_2opt(&self, arch: Nb101Arch, rng: &mut Rng) -> Nb101Arch {
        let pairs = N_POSITIONS * (N_POSITIONS - 1) / 2;
        let mut k = rng.below(pairs);
        let (mut i, mut j) = (0, 1);
        'find: for a in 0..N_POSITIONS {
            for b in (a + 1)..N_POSITIONS {
                if k == 0 {
                    (i, j) = (a, b);
                    break 'find;
                }
                k -= 1;
            }
        }
        let mut options = Vec::new();
        for ki in 0..n_changes(i) {
            for kj in 0..n_changes(j) {
                let c = raw_change(raw_change(arch.0, i, ki), j, kj);
                if raw_valid(c) {
                    options.push(Nb101Arch(c));
                }
            }
        }
        if options.is_empty() {
            arch
        } else {
            options[rng.below(options.len())]
        }
    }
    /// Uniform crossover of the 26 positions; a child that is not valid is drawn again,
    /// up to 64 times, after which the first parent is returned.
    fn crossover(&self, a: Nb101Arch, b: Nb101Arch, rng: &mut Rng) -> Nb101Arch {
        for _ in 0..64 {
            let mut code = 0u32;
            for p in 0..N_EDGE_SPOTS {
                let from = if rng.below(2) == 1 { b } else { a };
                code |= from.0 & 1 << p;
            }
            for s in 0..N_OP_SPOTS {
                let from = if rng.below(2) == 1 { b } else { a };
                code |= from.0 & 3 << (N_EDGE_SPOTS + 2 * s);
            }
            if raw_valid(code) {
                return Nb101Arch(code);
            }
        }
        a
    }
    fn key(&self, arch: Nb101Arch) -> u64 {
        arch.canonical().0 as u64
    }
    fn from_key(&self, key: u64) -> Option<Nb101Arch> {
        let a = Nb101Arch::from_code(u32::try_from(key).ok()?).ok()?;
        (a.canonical() == a).then_some(a)
    }
    fn canonical(&self, arch: Nb101Arch) -> Nb101Arch {
        arch.canonical()
    }
    fn cell_graph(&self, arch: Nb101Arch) -> Option<super::graph::CellGraph> {
        Some(arch.cell_graph())
    }
    fn to_string(&self, arch: Nb101Arch) -> String {
        arch.compact_string()
    }
    fn parse(&self, text: &str) -> Result<Nb101Arch> {
        Nb101Arch::parse_any(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arch(text: &str) -> Nb101Arch {
        Nb101Arch::parse_any(text).unwrap()
    }

    #[test]
    fn the_edge_spots_are_the_row_major_upper_triangle() {
        assert_eq!(EDGE_SPOTS[0], (0, 1));
        assert_eq!(EDGE_SPOTS[5], (0, 6));
        assert_eq!(EDGE_SPOTS[6], (1, 2));
        assert_eq!(EDGE_SPOTS[20], (5, 6));
    }

    #[test]
    fn a_cell_whose_input_misses_the_output_is_invalid() {
        // 0→1 only: node 1 reaches nothing.
        let e = Nb101Arch::from_parts(1, [0; 5]).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidArchitecture);
    }

    #[test]
    fn a_cell_with_ten_edges_after_pruning_is_invalid() {
        // input → each interior node → output: 10 edges, all on paths.
        let mut edges = 0u32;
        for (p, &(a, b)) in EDGE_SPOTS.iter().enumerate() {
            if (a == 0 && b < 6) || (b == 6 && a >= 1) {
                edges |= 1 << p;
            }
        }
        assert_eq!(edges.count_ones(), 10);
        assert!(Nb101Arch::from_parts(edges, [0; 5]).is_err());
        // Dropping one edge makes it valid.
        let p16 = EDGE_SPOTS.iter().position(|&e| e == (1, 6)).unwrap();
        assert!(Nb101Arch::from_parts(edges & !(1 << p16), [0; 5]).is_ok());
    }

    #[test]
    fn edges_of_pruned_nodes_do_not_count_towards_the_limit() {
        // Path 0→6 plus a dangling clique among 1..5 fed by the input but reaching nothing.
        let mut edges = 0u32;
        for (p, &(a, b)) in EDGE_SPOTS.iter().enumerate() {
            if (a, b) == (0, 6) || (a == 0 && b < 6) || (a >= 1 && b <= 5) {
                edges |= 1 << p;
            }
        }
        assert!(edges.count_ones() > MAX_EDGES);
        let a = Nb101Arch::from_parts(edges, [0; 5]).unwrap();
        assert_eq!(a.pruned().unwrap().n, 2);
    }

    #[test]
    fn every_encoding_round_trips() {
        let mut rng = Rng::new(3);
        for _ in 0..500 {
            let a = Nb101.sample(&mut rng);
            assert_eq!(Nb101Arch::parse_compact(&a.compact_string()).unwrap(), a);
            assert_eq!(Nb101Arch::parse_naslib(&a.naslib_string()).unwrap(), a);
            assert_eq!(Nb101Arch::from_code(a.code()).unwrap(), a);
        }
    }

    #[test]
    fn the_key_of_any_spec_decodes_to_its_canonical_spec() {
        let mut rng = Rng::new(5);
        for _ in 0..300 {
            let a = Nb101.sample(&mut rng);
            let k = Nb101.key(a);
            assert!(k < 1 << 53);
            let c = Nb101.from_key(k).unwrap();
            assert_eq!(c, a.canonical());
            assert_eq!(c.hash(), a.hash());
        }
    }

    #[test]
    fn a_non_canonical_code_is_not_a_key() {
        // input → node 2 → output with node 1 unused is not canonical (node 1 would be used).
        let a = arch("010000000000001000000/33333");
        assert!(a.is_valid());
        assert_ne!(a.canonical(), a);
        assert!(Nb101.from_key(a.code() as u64).is_none());
    }

    #[test]
    fn every_1opt_neighbour_is_valid_and_one_position_away() {
        let mut rng = Rng::new(7);
        for _ in 0..50 {
            let a = Nb101.sample(&mut rng);
            let mut out = Vec::new();
            Nb101.neighbours_1opt(a, &mut out);
            assert!(out.len() <= 21 + 10);
            // Op changes never invalidate: at least the 10 op neighbours are there.
            assert!(out.len() >= 10);
            for n in out {
                assert!(n.is_valid());
                let d = (n.edges() ^ a.edges()).count_ones() as usize
                    + (0..5).filter(|&s| n.op(s) != a.op(s)).count();
                assert_eq!(d, 1);
            }
        }
    }

    #[test]
    fn the_2opt_neighbourhood_holds_every_valid_spec_two_positions_away() {
        let a = arch("110000100001000001001/311m1");
        let mut out = Vec::new();
        Nb101.neighbours_2opt(a, &mut out);
        // Brute force over all two-position changes.
        let mut expect = 0;
        for i in 0..N_POSITIONS {
            for j in (i + 1)..N_POSITIONS {
                for ki in 0..n_changes(i) {
                    for kj in 0..n_changes(j) {
                        if raw_valid(raw_change(raw_change(a.0, i, ki), j, kj)) {
                            expect += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(out.len(), expect);
        let mut s = out.clone();
        s.sort();
        s.dedup();
        assert_eq!(s.len(), out.len());
    }

    #[test]
    fn the_single_path_cell_has_the_right_neighbourhood_sizes() {
        // input → output only (1 edge): every other edge flip that keeps validity is one
        // that adds an edge (at most 2 edges then). 20 additions, removal disconnects.
        let a = arch("000001000000000000000/33333");
        let mut out = Vec::new();
        Nb101.neighbours_1opt(a, &mut out);
        assert_eq!(out.len(), 20 + 10);
    }

    #[test]
    fn sampling_is_deterministic_and_only_yields_valid_specs() {
        let mut r1 = Rng::new(11);
        let mut r2 = Rng::new(11);
        for _ in 0..200 {
            let a = Nb101.sample(&mut r1);
            assert_eq!(a, Nb101.sample(&mut r2));
            assert!(a.is_valid());
        }
    }

    #[test]
    fn crossover_children_are_valid() {
        let mut rng = Rng::new(13);
        for _ in 0..200 {
            let a = Nb101.sample(&mut rng);
            let b = Nb101.sample(&mut rng);
            assert!(Nb101.crossover(a, b, &mut rng).is_valid());
        }
    }

    #[test]
    fn malformed_specs_are_rejected_with_a_reason() {
        for bad in [
            "",
            "0101/33333",
            "000001000000000000000/3333x",
            "(0, 1)",
            "{\"matrix\": [[0,1],[0,0]]}",
            "{\"matrix\": [[0,1],[1,0]], \"ops\": [\"input\", \"output\"]}",
        ] {
            let e = Nb101Arch::parse_any(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidArchitecture, "{bad}");
        }
    }

    #[test]
    fn the_cell_graph_marks_pruned_nodes_inactive() {
        let a = arch("010001000000000000000/33333");
        let g = a.cell_graph();
        assert_eq!(g.nodes.len(), 7);
        assert!(g.nodes[0].active && g.nodes[6].active);
        assert!(!g.nodes[2].active, "node 2 is fed but feeds nothing");
        assert_eq!(g.edges.iter().filter(|e| e.active).count(), 1);
        assert_eq!(g.hash.as_deref(), Some(a.hash().as_str()));
    }
}
