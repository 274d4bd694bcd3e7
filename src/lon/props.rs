//! Property tests of the landscape invariants on random fitness vectors over small spaces
//! (few distinct values, so plateaus and ties are common, and some missing values).

use super::Neighbourhood;
use super::climb::{Climb, best_improvement};
use super::network::Lon;
use super::testspace::Grid;
use proptest::prelude::*;

const SPACES: [Grid; 3] = [
    Grid {
        positions: 3,
        choices: 3,
    },
    Grid {
        positions: 4,
        choices: 2,
    },
    Grid {
        positions: 4,
        choices: 3,
    },
];

#[derive(Debug)]
struct Case {
    space: Grid,
    nb: Neighbourhood,
    fit: Vec<f64>,
    climb: Climb,
    lon: Lon,
}

/// A space and a fitness vector: values 0..levels, `-inf` (missing) one time in five.
fn case() -> impl Strategy<Value = Case> {
    (0..SPACES.len(), 1u8..6)
        .prop_flat_map(|(s, levels)| {
            let n = SPACES[s].size() as usize;
            (
                Just(s),
                prop::collection::vec(prop::option::weighted(0.8, 0..levels), n),
            )
        })
        .prop_map(|(s, values)| {
            let space = SPACES[s];
            let fit: Vec<f64> = values
                .iter()
                .map(|v| v.map_or(f64::NEG_INFINITY, f64::from))
                .collect();
            let nb = Neighbourhood::new(&space, 0..space.size()).unwrap();
            let climb = best_improvement(&nb, &fit);
            let lon = Lon::build(&space, &nb, &climb, &fit).unwrap();
            Case {
                space,
                nb,
                fit,
                climb,
                lon,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_lon_node_is_a_local_optimum(c in case()) {
        for &x in &c.lon.nodes {
            for &y in c.nb.neighbours(x) {
                prop_assert!(c.fit[y as usize] <= c.fit[x as usize]);
            }
        }
    }

    #[test]
    fn every_local_optimum_is_a_lon_node(c in case()) {
        for x in 0..c.nb.len() as u32 {
            let is_opt = c.nb.neighbours(x).iter().all(|&y| c.fit[y as usize] <= c.fit[x as usize]);
            prop_assert_eq!(is_opt, c.lon.nodes.binary_search(&x).is_ok());
        }
    }

    #[test]
    fn basins_partition_the_space(c in case()) {
        let total: u32 = c.lon.basin_size.iter().sum();
        prop_assert_eq!(total as usize, c.nb.len());
        for x in 0..c.nb.len() as u32 {
            let b = c.climb.basin[x as usize];
            prop_assert_eq!(c.lon.nodes[b as usize], c.climb.end[x as usize]);
        }
    }

    #[test]
    fn every_climb_step_is_the_best_strictly_better_neighbour_with_the_smallest_key(c in case()) {
        for x in 0..c.nb.len() as u32 {
            let fx = c.fit[x as usize];
            let best = c.nb.neighbours(x).iter().map(|&y| c.fit[y as usize]).fold(fx, f64::max);
            let expect = if best > fx {
                *c.nb.neighbours(x).iter().filter(|&&y| c.fit[y as usize] == best).min().unwrap()
            } else {
                x
            };
            prop_assert_eq!(c.climb.next[x as usize], expect);
        }
    }

    #[test]
    fn mlon_edges_never_go_down_in_fitness(c in case()) {
        for e in c.lon.mlon_edges() {
            prop_assert!(c.lon.fitness[e.target as usize] >= c.lon.fitness[e.source as usize]);
        }
    }

    #[test]
    fn edge_weights_out_of_a_node_sum_to_its_2opt_neighbourhood_size(c in case()) {
        let n = c.space.positions;
        let k = (c.space.choices - 1) as usize;
        let size = n * (n - 1) / 2 * k * k;
        let mut sums = vec![0usize; c.lon.len()];
        for e in &c.lon.edges {
            sums[e.source as usize] += e.weight as usize;
        }
        prop_assert!(sums.iter().all(|&s| s == size));
        prop_assert!(c.lon.n_escapes.iter().all(|&s| s as usize == size));
    }

    #[test]
    fn compressed_mlon_edges_go_strictly_up_and_plateaus_share_one_fitness(c in case()) {
        let cm = c.lon.compress();
        for e in &cm.edges {
            prop_assert!(cm.plateaus[e.target as usize].fitness > cm.plateaus[e.source as usize].fitness);
        }
        for p in &cm.plateaus {
            prop_assert!(p.members.iter().all(|&o| c.lon.fitness[o as usize] == p.fitness));
        }
        let members: usize = cm.plateaus.iter().map(|p| p.members.len()).sum();
        prop_assert_eq!(members, c.lon.len());
    }

    #[test]
    fn global_optima_hold_the_best_score_of_the_whole_space(c in case()) {
        let best = c.fit.iter().copied().filter(|f| f.is_finite()).fold(f64::NEG_INFINITY, f64::max);
        let globals = c.lon.global_optima();
        if best == f64::NEG_INFINITY {
            prop_assert!(globals.is_empty());
        } else {
            let all_best = c.fit.iter().filter(|&&f| f == best).count();
            prop_assert_eq!(globals.len(), all_best);
        }
    }

    #[test]
    fn global_optima_are_sinks_inside_the_global_funnel(c in case()) {
        let reach = c.lon.reaches_global();
        let sinks = c.lon.sinks();
        for g in c.lon.global_optima() {
            prop_assert!(reach[g as usize]);
            prop_assert!(sinks[g as usize]);
        }
        let share = c.lon.funnel_share();
        prop_assert!((0.0..=1.0).contains(&share));
    }
}
