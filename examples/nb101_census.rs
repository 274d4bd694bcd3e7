//! Counts the distinct NB101 networks by canonical form and by official hash, enumerating
//! every adjacency matrix (the benchmark reports 423,624). Run in release mode:
//! `cargo run --release --example nb101_census` (about a minute on one core).

use mfnas::space::graph::Dag;
use mfnas::space::nb101::{EDGE_SPOTS, MAX_EDGES, N_NODES};
use std::collections::{BTreeSet, HashSet};

fn main() {
    // 1. The distinct unlabelled pruned cells, up to isomorphism.
    let mut shapes: HashSet<u64> = HashSet::new();
    let mut reps: Vec<Dag> = Vec::new();
    for edges in 0u32..1 << EDGE_SPOTS.len() {
        let mut d = Dag::empty(N_NODES);
        for (p, &(a, b)) in EDGE_SPOTS.iter().enumerate() {
            if edges >> p & 1 == 1 {
                d.adj[a as usize] |= 1 << b;
            }
        }
        let p = d.pruned();
        if p.n < 2 || p.n_edges() > MAX_EDGES {
            continue;
        }
        let c = p.canonical();
        if shapes.insert(c.signature()) {
            reps.push(c);
        }
    }
    // 2. Every op labelling of every shape, canonicalised and hashed.
    let mut networks: HashSet<u64> = HashSet::new();
    let mut hashes: BTreeSet<String> = BTreeSet::new();
    for shape in &reps {
        let m = shape.n - 2;
        for mut code in 0..3usize.pow(m as u32) {
            let mut d = *shape;
            d.labels[0] = -1;
            d.labels[d.n - 1] = -2;
            for i in 1..=m {
                d.labels[i] = (code % 3) as i8;
                code /= 3;
            }
            if networks.insert(d.canonical().signature()) {
                hashes.insert(d.hash_module(false));
            }
        }
    }
    println!("unlabelled cell shapes: {}", reps.len());
    println!("distinct networks (canonical forms): {}", networks.len());
    println!("distinct official hashes: {}", hashes.len());
}
