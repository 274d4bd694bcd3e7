//! The per-run outputs the paper's Table 4 needs: how many candidates the final selection
//! chose among, the best test accuracy among them, and the returned architecture's rank.
//! Checked against the run's own event stream (the first rung names every candidate) and the
//! table's test accuracy, so the numbers are tied to what the run really did.

use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::event::Event;
use mfnas::experiment::{run_once, summarize};
use mfnas::runner::{Outcome, candidate_stats};
use mfnas::space::SearchSpace;
use mfnas::space::nb201::Nb201;
use mfnas::table::Table;
use mfnas::table::synthetic::nb201_full_curves;
use std::sync::OnceLock;

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| nb201_full_curves(5))
}

/// Runs `params` (with cifar10's budget unless it sets one; the synthetic table has none).
fn run(params: &AlgoParams, seed: u64) -> (Outcome, Vec<Event>) {
    let mut params = params.clone();
    params.budget_s = params.budget_s.or(Some(20_000.0));
    let plan = params.check(table()).expect("valid configuration");
    run_once(&Nb201, table(), &plan, seed, true).expect("the run succeeds")
}

/// The test accuracy of the architecture with id `id` (events name architectures by id).
fn test_acc(id: u64) -> Option<f64> {
    let t = table();
    let col = t.test_column().ok()?;
    t.col(col).get(t.row(Nb201.key(Nb201.from_id(id)?))?)
}

fn first_rung_candidates(events: &[Event]) -> Vec<u64> {
    events
        .iter()
        .find_map(|e| match e {
            Event::RungStarted {
                rung: 0,
                candidates,
                ..
            } => Some(candidates.clone()),
            _ => None,
        })
        .expect("the run reached successive halving")
}

#[test]
fn mf_nas_reports_the_best_test_accuracy_among_the_candidates_its_first_rung_evaluated() {
    let params = AlgoParams {
        zc: Some("synflow".into()),
        ..AlgoParams::new(Algo::MfNas)
    };
    for seed in 1..=8 {
        let (o, events) = run(&params, seed);
        let cands = first_rung_candidates(&events);
        let best = cands.iter().filter_map(|&k| test_acc(k)).reduce(f64::max);
        assert_eq!(o.n_candidates, Some(cands.len() as u32), "seed {seed}");
        assert_eq!(o.candidates_best_test_acc, best, "seed {seed}");
    }
}

#[test]
fn the_returned_architectures_rank_counts_the_candidates_strictly_more_accurate() {
    let params = AlgoParams {
        zc: Some("synflow".into()),
        ..AlgoParams::new(Algo::MfNas)
    };
    for seed in 1..=8 {
        let (o, events) = run(&params, seed);
        let cands = first_rung_candidates(&events);
        let mine = o
            .test_acc
            .expect("synthetic tables have every test accuracy");
        let better = cands
            .iter()
            .filter(|&&k| test_acc(k).is_some_and(|t| t > mine))
            .count() as u32;
        assert_eq!(o.rank_among_candidates, Some(1 + better), "seed {seed}");
    }
}

#[test]
fn plain_successive_halving_ranks_its_random_sample() {
    let (o, events) = run(&AlgoParams::new(Algo::Sh), 3);
    let mut cands = first_rung_candidates(&events);
    cands.sort_unstable();
    cands.dedup();
    assert_eq!(o.n_candidates, Some(cands.len() as u32));
    assert!(
        o.rank_among_candidates
            .is_some_and(|r| r >= 1 && r as usize <= cands.len())
    );
}

#[test]
fn algorithms_without_a_final_selection_report_no_candidates() {
    for algo in [Algo::Rs, Algo::Ls, Algo::Rea] {
        let (o, _) = run(&AlgoParams::new(algo), 2);
        assert_eq!(
            (
                o.n_candidates,
                o.candidates_best_test_acc,
                o.rank_among_candidates
            ),
            (None, None, None),
            "{algo:?}"
        );
    }
}

#[test]
fn local_search_always_stops_on_its_budget_and_a_roomy_mf_nas_run_does_not() {
    let (ls, _) = run(&AlgoParams::new(Algo::Ls), 4);
    assert!(ls.stopped_by_budget);
    let roomy = AlgoParams {
        zc: Some("params".into()),
        budget_s: Some(1e9),
        ..AlgoParams::new(Algo::MfNas)
    };
    let (mf, _) = run(&roomy, 4);
    assert!(!mf.stopped_by_budget);
}

#[test]
fn a_budget_that_cuts_successive_halving_short_is_reported() {
    let tight = AlgoParams {
        zc: Some("params".into()),
        budget_s: Some(3_000.0),
        ..AlgoParams::new(Algo::MfNas)
    };
    let (o, events) = run(&tight, 4);
    assert!(events.iter().any(|e| matches!(e, Event::Refunded { .. })));
    assert!(o.stopped_by_budget);
}

#[test]
fn candidate_ties_share_the_better_rank() {
    let acc = |k: u64| Some([90.0, 93.0, 93.0, 91.0][k as usize]);
    assert_eq!(
        candidate_stats(&[0, 1, 2, 3], 2, acc),
        (Some(4), Some(93.0), Some(1))
    );
    assert_eq!(
        candidate_stats(&[0, 1, 2, 3], 3, acc),
        (Some(4), Some(93.0), Some(3))
    );
}

#[test]
fn a_returned_architecture_outside_the_candidates_has_no_rank() {
    let acc = |k: u64| Some(k as f64);
    assert_eq!(candidate_stats(&[1, 2], 7, acc), (Some(2), Some(2.0), None));
}

#[test]
fn repeated_candidates_count_once() {
    let acc = |k: u64| Some(k as f64);
    assert_eq!(
        candidate_stats(&[2, 1, 2, 1], 1, acc),
        (Some(2), Some(2.0), Some(2))
    );
}

#[test]
fn the_summary_averages_the_candidate_outputs_over_runs() {
    let params = AlgoParams {
        zc: Some("synflow".into()),
        ..AlgoParams::new(Algo::MfNas)
    };
    let plan = AlgoParams {
        budget_s: Some(20_000.0),
        ..params.clone()
    }
    .check(table())
    .unwrap();
    let outcomes: Vec<Outcome> = (1..=6).map(|s| run(&params, s).0).collect();
    let s = summarize(&plan, &outcomes, 1);
    let mean = |f: &dyn Fn(&Outcome) -> f64| outcomes.iter().map(f).sum::<f64>() / 6.0;
    let best = mean(&|o| o.candidates_best_test_acc.unwrap());
    let rank = mean(&|o| o.rank_among_candidates.unwrap() as f64);
    assert!((s.candidates_best_test_acc.unwrap() - best).abs() < 1e-9);
    assert!((s.rank_among_candidates.unwrap() - rank).abs() < 1e-9);
}
