//! Small labelled DAGs ("cells") shared by the graph-based spaces (NB101, NB-ASR): pruning
//! to the input→output paths, the benchmarks' isomorphism-invariant MD5 hash, a canonical
//! form under node relabelling, and the drawable [`CellGraph`].
//!
//! A cell has `n ≤ 7` nodes in topological order: node 0 is the input, node `n − 1` the
//! output, and every edge goes from a lower to a higher node (an upper-triangular matrix).
//! Edges are stored as one bitmask per node (`adj[i] >> j & 1` is the edge `i → j`).

use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

/// The most nodes a [`Dag`] holds.
pub const MAX_NODES: usize = 7;

/// A small labelled DAG in topological order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Dag {
    /// Number of nodes.
    pub n: usize,
    /// Out-edge bitmask of every node.
    pub adj: [u8; MAX_NODES],
    /// Node labels (the benchmark's integer labels: input −1, output −2, ops from 0).
    pub labels: [i8; MAX_NODES],
}

impl Dag {
    /// An edgeless DAG of `n` nodes, all labelled 0.
    pub fn empty(n: usize) -> Self {
        debug_assert!(n <= MAX_NODES);
        Self {
            n,
            adj: [0; MAX_NODES],
            labels: [0; MAX_NODES],
        }
    }
    /// Whether the edge `i → j` is present.
    #[inline]
    pub fn has_edge(&self, i: usize, j: usize) -> bool {
        self.adj[i] >> j & 1 == 1
    }
    /// Number of edges.
    pub fn n_edges(&self) -> u32 {
        self.adj[..self.n].iter().map(|r| r.count_ones()).sum()
    }
    /// Nodes on some path from the input (node 0) to the output (node `n − 1`), as a bitmask.
    pub fn on_path(&self) -> u8 {
        if self.n == 0 {
            return 0;
        }
        let mut fwd = 1u8;
        for i in 0..self.n {
            if fwd >> i & 1 == 1 {
                fwd |= self.adj[i];
            }
        }
        let last = self.n - 1;
        let mut bwd = 1u8 << last;
        for i in (0..self.n).rev() {
            if self.adj[i] & bwd != 0 {
                bwd |= 1 << i;
            }
        }
        fwd & bwd
    }
    /// The sub-DAG induced by the nodes in `keep` (a bitmask), order preserved.
    pub fn induced(&self, keep: u8) -> Dag {
        let idx: Vec<usize> = (0..self.n).filter(|&i| keep >> i & 1 == 1).collect();
        let mut d = Dag::empty(idx.len());
        for (a, &i) in idx.iter().enumerate() {
            d.labels[a] = self.labels[i];
            for (b, &j) in idx.iter().enumerate() {
                if self.has_edge(i, j) {
                    d.adj[a] |= 1 << b;
                }
            }
        }
        d
    }
    /// The DAG without the nodes off every input→output path (NB101's pruning, NB-ASR's
    /// minimisation after zero ops lost their edges). Empty when the input cannot reach
    /// the output.
    pub fn pruned(&self) -> Dag {
        self.induced(self.on_path())
    }

    /// The benchmarks' graph hash (`hash_module` of NAS-Bench-101's `graph_util`, copied by
    /// NAS-Bench-ASR): MD5 of every node's (out-degree, in-degree, label), refined `n` times
    /// by the sorted hashes of in- and out-neighbours, then MD5 of the sorted list.
    ///
    /// `float_degrees` reproduces NB-ASR, whose matrix is float so degrees print as `1.0`.
    pub fn hash_module(&self, float_degrees: bool) -> String {
        let n = self.n;
        let mut hashes: Vec<String> = (0..n)
            .map(|v| {
                let out = self.adj[v].count_ones();
                let inn = (0..n).filter(|&w| self.has_edge(w, v)).count();
                let text = if float_degrees {
                    format!("({out}.0, {inn}.0, {})", self.labels[v])
                } else {
                    format!("({out}, {inn}, {})", self.labels[v])
                };
                md5_hex(text.as_bytes())
            })
            .collect();
        for _ in 0..n {
            let next: Vec<String> = (0..n)
                .map(|v| {
                    let mut ins: Vec<&str> = (0..n)
                        .filter(|&w| self.has_edge(w, v))
                        .map(|w| hashes[w].as_str())
                        .collect();
                    let mut outs: Vec<&str> = (0..n)
                        .filter(|&w| self.has_edge(v, w))
                        .map(|w| hashes[w].as_str())
                        .collect();
                    ins.sort_unstable();
                    outs.sort_unstable();
                    let text = format!("{}|{}|{}", ins.concat(), outs.concat(), hashes[v]);
                    md5_hex(text.as_bytes())
                })
                .collect();
            hashes = next;
        }
        hashes.sort_unstable();
        // Python's str() of a list of str: ['a', 'b'].
        let listed: Vec<String> = hashes.iter().map(|h| format!("'{h}'")).collect();
        md5_hex(format!("[{}]", listed.join(", ")).as_bytes())
    }

    /// A canonical form under relabelling of the interior nodes: among every order of the
    /// interior nodes that keeps the DAG upper-triangular, the one with the smallest
    /// [`Dag::signature`]. Two DAGs are isomorphic (input and output fixed, labels kept)
    /// exactly when their canonical forms are equal.
    pub fn canonical(&self) -> Dag {
        if self.n <= 3 {
            return *self;
        }
        let m = self.n - 2;
        let mut perm: Vec<usize> = (1..=m).collect();
        let mut best = *self;
        let mut best_sig = self.signature();
        // Heap's algorithm over the interior nodes; perm[k] = old node placed at new k + 1.
        let mut c = vec![0usize; m];
        let mut i = 0;
        loop {
            if let Some(d) = self.relabelled(&perm) {
                let s = d.signature();
                if s < best_sig {
                    best_sig = s;
                    best = d;
                }
            }
            while i < m && c[i] >= i {
                c[i] = 0;
                i += 1;
            }
            if i >= m {
                break;
            }
            if i % 2 == 0 {
                perm.swap(0, i);
            } else {
                perm.swap(c[i], i);
            }
            c[i] += 1;
            i = 0;
        }
        best
    }

    /// The DAG with interior node `perm[k]` moved to position `k + 1`, if that keeps every
    /// edge pointing forward.
    fn relabelled(&self, perm: &[usize]) -> Option<Dag> {
        let n = self.n;
        let mut new_of = [0usize; MAX_NODES];
        new_of[n - 1] = n - 1;
        for (k, &old) in perm.iter().enumerate() {
            new_of[old] = k + 1;
        }
        let mut d = Dag::empty(n);
        for i in 0..n {
            d.labels[new_of[i]] = self.labels[i];
            let mut row = self.adj[i];
            while row != 0 {
                let j = row.trailing_zeros() as usize;
                row &= row - 1;
                if new_of[j] <= new_of[i] {
                    return None;
                }
                d.adj[new_of[i]] |= 1 << new_of[j];
            }
        }
        Some(d)
    }

    /// A number that determines the DAG: node count, upper-triangular edge bits and labels.
    pub fn signature(&self) -> u64 {
        let mut s = self.n as u64;
        for i in 0..self.n {
            for j in (i + 1)..self.n {
                s = s << 1 | self.has_edge(i, j) as u64;
            }
        }
        for i in 0..self.n {
            s = s.wrapping_mul(16) | (self.labels[i] as i64 + 8) as u64 & 15;
        }
        s
    }
}

/// The MD5 digest of `bytes` as 32 lowercase hex characters.
pub fn md5_hex(bytes: &[u8]) -> String {
    let digest = Md5::digest(bytes);
    let mut s = String::with_capacity(32);
    for b in digest {
        s.push(char::from_digit((b >> 4) as u32, 16).expect("nibble"));
        s.push(char::from_digit((b & 15) as u32, 16).expect("nibble"));
    }
    s
}

/// One node of a drawable cell.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellGraphNode {
    /// Position in the cell (0 = input).
    pub id: usize,
    /// What to print on the node: an op name, `"input"`, `"output"` or a node number.
    pub label: String,
    /// `"input"`, `"output"`, `"op"` (the node applies an op) or `"node"` (a sum of edges).
    pub kind: String,
    /// False when the node does not affect the network (pruned, minimised away).
    pub active: bool,
}

/// One edge of a drawable cell.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellGraphEdge {
    /// Source node id.
    pub from: usize,
    /// Target node id.
    pub to: usize,
    /// The op on the edge where ops sit on edges (NB201), `"skip"` for NB-ASR skip
    /// connections, else `None`.
    pub label: Option<String>,
    /// False when the edge does not affect the network.
    pub active: bool,
}

/// A cell as the explorer draws it: nodes (in topological order) and edges.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellGraph {
    /// The search space, e.g. `"nb101"`.
    pub space: String,
    /// `"nodes"` where ops sit on nodes (NB101, NB-ASR), `"edges"` where they sit on edges (NB201).
    pub ops_on: String,
    /// The nodes.
    pub nodes: Vec<CellGraphNode>,
    /// The edges.
    pub edges: Vec<CellGraphEdge>,
    /// The benchmark's record key for the cell, where it has one (NB101/NB-ASR hash).
    pub hash: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(labels: &[i8]) -> Dag {
        let mut d = Dag::empty(labels.len());
        for i in 0..labels.len() {
            d.labels[i] = labels[i];
            if i + 1 < labels.len() {
                d.adj[i] |= 1 << (i + 1);
            }
        }
        d
    }

    #[test]
    fn md5_of_the_empty_string_is_the_known_digest() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
    }

    #[test]
    fn a_node_off_every_path_is_pruned() {
        let mut d = chain(&[-1, 0, -2]);
        d.n = 4;
        d.labels[3] = -2;
        d.labels[2] = 1;
        // 0→1→2 dangles (2 reaches nothing); 0→3 is the path.
        d.adj[0] |= 1 << 3;
        let p = d.pruned();
        assert_eq!(p.n, 2);
        assert_eq!(p.labels[..2], [-1, -2]);
    }

    #[test]
    fn canonical_forms_agree_for_two_orders_of_the_same_cell() {
        // input → a(0), input → b(1), a → out, b → out: a and b can swap places.
        let mut x = Dag::empty(4);
        x.labels[..4].copy_from_slice(&[-1, 0, 1, -2]);
        x.adj[0] = 0b0110;
        x.adj[1] = 0b1000;
        x.adj[2] = 0b1000;
        let mut y = x;
        y.labels[1] = 1;
        y.labels[2] = 0;
        assert_ne!(x, y);
        assert_eq!(x.canonical(), y.canonical());
        assert_eq!(x.hash_module(false), y.hash_module(false));
    }
}
