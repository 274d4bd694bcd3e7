//! Property tests of the graph spaces: what must not depend on how a cell is written down.

use mfnas::rng::Rng;
use mfnas::space::SearchSpace;
use mfnas::space::nb101::{N_NODES, Nb101, Nb101Arch, OP_NAMES};
use mfnas::space::nbasr::NbAsr;
use proptest::prelude::*;

/// The raw spec of `a` with its nodes renumbered in a random topological order (input
/// first, output last), as a matrix and op names.
fn relabelled(a: Nb101Arch, rng: &mut Rng) -> (Vec<Vec<u8>>, Vec<&'static str>) {
    let d = a.dag();
    let mut order = vec![0usize];
    let mut placed = 1u8;
    while order.len() < N_NODES - 1 {
        let ready: Vec<usize> = (1..N_NODES - 1)
            .filter(|&v| placed >> v & 1 == 0)
            .filter(|&v| (0..N_NODES).all(|u| !d.has_edge(u, v) || placed >> u & 1 == 1))
            .collect();
        let v = ready[rng.below(ready.len())];
        placed |= 1 << v;
        order.push(v);
    }
    order.push(N_NODES - 1);
    let matrix = (0..N_NODES)
        .map(|i| {
            (0..N_NODES)
                .map(|j| d.has_edge(order[i], order[j]) as u8)
                .collect()
        })
        .collect();
    let ops = order
        .iter()
        .map(|&v| match v {
            0 => "input",
            6 => "output",
            _ => OP_NAMES[a.op(v - 1) as usize],
        })
        .collect();
    (matrix, ops)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_nb101_hash_and_key_do_not_depend_on_node_numbering(seed in any::<u64>()) {
        let mut rng = Rng::new(seed);
        let a = Nb101.sample(&mut rng);
        let (matrix, ops) = relabelled(a, &mut rng);
        let b = Nb101Arch::from_matrix(&matrix, &ops).unwrap();
        prop_assert_eq!(a.hash(), b.hash());
        prop_assert_eq!(Nb101.key(a), Nb101.key(b));
        prop_assert_eq!(Nb101.canonical(a), Nb101.canonical(b));
    }

    #[test]
    fn a_key_always_decodes_to_a_spec_with_the_same_key(seed in any::<u64>()) {
        let mut rng = Rng::new(seed);
        let a = Nb101.sample(&mut rng);
        let k = Nb101.key(a);
        let c = Nb101.from_key(k).unwrap();
        prop_assert_eq!(Nb101.key(c), k);
        let r = NbAsr.sample(&mut rng);
        let kr = NbAsr.key(r);
        prop_assert_eq!(NbAsr.key(NbAsr.from_key(kr).unwrap()), kr);
        prop_assert_eq!(NbAsr.from_key(kr).unwrap().hash(), r.hash());
    }

    #[test]
    fn every_nb101_mutation_and_escape_is_a_valid_spec(seed in any::<u64>()) {
        let mut rng = Rng::new(seed);
        let a = Nb101.sample(&mut rng);
        prop_assert!(Nb101.mutate(a, 2.0, &mut rng).is_valid());
        let e = Nb101.random_2opt(a, &mut rng);
        prop_assert!(e.is_valid());
    }
}
