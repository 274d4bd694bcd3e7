//! Behaviour of the search algorithms on synthetic tables and on hand-fed scores.

use mfnas::ErrorKind;
use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::algo::halving::{Keep, SuccessiveHalving};
use mfnas::algo::mf_nas::top_k_distinct;
use mfnas::algo::{EvalRequest, Searcher};
use mfnas::budget::{Budget, Cost};
use mfnas::event::Event;
use mfnas::experiment::run_once;
use mfnas::objective::{Objective, ObjectiveRegistry};
use mfnas::rng::Rng;
use mfnas::runner::{Evaluation, Evaluator, Run, TableEvaluator};
use mfnas::space::SearchSpace;
use mfnas::space::nb201::{Nb201, Nb201Arch};
use mfnas::table::synthetic::nb201_full_curves;
use mfnas::table::{Fidelity, Role, Table};
use proptest::prelude::*;
use std::sync::OnceLock;

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| nb201_full_curves(11))
}

fn paper_rungs(reg: &mut ObjectiveRegistry) -> Vec<usize> {
    [12, 25, 50, 100, 200]
        .into_iter()
        .map(|e| reg.id(Objective::training(Role::ValAcc, Fidelity::new(e, "hp200"))))
        .collect()
}

fn distinct_candidates(n: usize, seed: u64) -> Vec<Nb201Arch> {
    let mut rng = Rng::new(seed);
    let mut v: Vec<Nb201Arch> = Vec::new();
    while v.len() < n {
        let a = Nb201.sample(&mut rng);
        if !v.contains(&a) {
            v.push(a);
        }
    }
    v
}

fn labels(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("rung{i}")).collect()
}

/// Runs successive halving of 32 distinct candidates (drawn with `seed`) on the paper
/// ladder of the synthetic table, within `budget_s` seconds (None: unlimited).
fn paper_ladder_run(seed: u64, budget_s: Option<f64>) -> (mfnas::runner::Outcome, Vec<Event>) {
    let mut reg = ObjectiveRegistry::new();
    let rungs = paper_rungs(&mut reg);
    let sh = SuccessiveHalving::with_candidates(
        distinct_candidates(32, seed),
        rungs,
        Keep::Halve,
        labels(5),
    );
    let budget = Budget {
        seconds: budget_s,
        evals: None,
    };
    let ev = TableEvaluator::new(table(), &reg).unwrap();
    let mut run = Run::new(Nb201, Box::new(sh), ev, reg.labels(), budget, 1, true);
    let out = run.finish().unwrap();
    (out, run.drain_events())
}

#[test]
fn successive_halving_of_32_on_the_paper_ladder_charges_exactly_1192_epochs() {
    let (out, _) = paper_ladder_run(5, None);
    assert_eq!(out.epochs, 1192);
    assert_eq!(out.evals, 32 + 16 + 8 + 4 + 2);
}

#[test]
fn successive_halving_rungs_shrink_32_16_8_4_2() {
    let (_, events) = paper_ladder_run(6, None);
    let sizes: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            Event::RungStarted { candidates, .. } => Some(candidates.len()),
            _ => None,
        })
        .collect();
    assert_eq!(sizes, vec![32, 16, 8, 4, 2]);
}

#[test]
fn the_shipped_ladder_hp12_to_200_keeping_4_of_32_charges_1184_epochs() {
    let mut reg = ObjectiveRegistry::new();
    let rungs = vec![
        reg.id(Objective::training(Role::ValAcc, Fidelity::new(12, "hp12"))),
        reg.id(Objective::training(
            Role::ValAcc,
            Fidelity::new(200, "hp200"),
        )),
    ];
    let sh = SuccessiveHalving::with_candidates(
        distinct_candidates(32, 7),
        rungs,
        Keep::Counts(vec![4]),
        labels(2),
    );
    let ev = TableEvaluator::new(table(), &reg).unwrap();
    let mut run = Run::new(
        Nb201,
        Box::new(sh),
        ev,
        reg.labels(),
        Budget {
            seconds: None,
            evals: None,
        },
        1,
        false,
    );
    assert_eq!(run.finish().unwrap().epochs, 384 + 4 * 200);
}

/// Scores from a script, free of cost, and records every ask.
struct Scripted<F> {
    score: F,
    asked: Vec<(Nb201Arch, usize)>,
}

impl<F: FnMut(Nb201Arch, usize) -> f64> Evaluator<Nb201> for Scripted<F> {
    fn evaluate(&mut self, _: &Nb201, ask: &EvalRequest<Nb201Arch>) -> mfnas::Result<Evaluation> {
        self.asked.push((ask.arch, ask.objective));
        Ok(Evaluation {
            score: Some((self.score)(ask.arch, ask.objective)),
            cost: Cost::default(),
        })
    }
}

/// Runs a searcher in the run loop with scores from `score`, without any table, for at
/// most `max_steps` steps; returns what it asked for.
fn drive(
    s: impl Searcher<Nb201> + 'static,
    score: impl FnMut(Nb201Arch, usize) -> f64,
    max_steps: usize,
) -> Vec<(Nb201Arch, usize)> {
    let unlimited = Budget {
        seconds: None,
        evals: None,
    };
    let script = Scripted {
        score,
        asked: Vec::new(),
    };
    let mut run = Run::new(Nb201, Box::new(s), script, labels(5), unlimited, 1, false);
    for _ in 0..max_steps {
        if !run.step().unwrap() {
            break;
        }
    }
    run.evaluator().asked.clone()
}

#[test]
fn successive_halving_promotes_exactly_the_scripted_top_half() {
    // Candidates 0..8 score their own position at rung 0 and the reverse at rung 1.
    let cands: Vec<Nb201Arch> = (0..8).map(|c| Nb201Arch(c as u16)).collect();
    let sh = SuccessiveHalving::with_candidates(cands, vec![0, 1, 2], Keep::Halve, labels(3));
    let asked = drive(
        sh,
        |a, rung| if rung == 1 { -(a.0 as f64) } else { a.0 as f64 },
        100,
    );
    let rung1: Vec<u16> = asked
        .iter()
        .filter(|(_, r)| *r == 1)
        .map(|(a, _)| a.0)
        .collect();
    let rung2: Vec<u16> = asked
        .iter()
        .filter(|(_, r)| *r == 2)
        .map(|(a, _)| a.0)
        .collect();
    assert_eq!(rung1, vec![7, 6, 5, 4]);
    assert_eq!(rung2, vec![4, 5]);
}

#[test]
fn successive_halving_refunds_the_evaluation_that_crosses_the_budget() {
    let (out, events) = paper_ladder_run(8, Some(1000.0));
    assert!(
        out.cost_s < 1000.0,
        "cost {} must stay under the budget after the refund",
        out.cost_s
    );
    assert!(events.iter().any(|e| matches!(e, Event::Refunded { .. })));
}

#[test]
fn the_same_seed_gives_the_same_event_stream() {
    for algo in Algo::ALL {
        let mut p = AlgoParams::new(algo);
        p.budget_s = Some(5000.0);
        p.zc = Some("params".into());
        let plan = p.check(table()).unwrap();
        let a = run_once(&Nb201, table(), &plan, 42, true).unwrap();
        let b = run_once(&Nb201, table(), &plan, 42, true).unwrap();
        assert_eq!(a, b, "{algo:?}");
    }
}

#[test]
fn different_seeds_give_different_random_search_runs() {
    let plan = AlgoParams {
        budget_s: Some(5000.0),
        ..AlgoParams::new(Algo::Rs)
    }
    .check(table())
    .unwrap();
    let a = run_once(&Nb201, table(), &plan, 1, true).unwrap().1;
    let b = run_once(&Nb201, table(), &plan, 2, true).unwrap().1;
    assert_ne!(a, b);
}

#[test]
fn mf_nas_stage_one_charges_exactly_m_proxy_evaluations() {
    let mut p = AlgoParams::new(Algo::MfNas);
    p.zc = Some("synflow".into());
    p.stage1_evals = Some(300);
    p.budget_s = Some(1e9);
    let plan = p.check(table()).unwrap();
    let (_, events) = run_once(&Nb201, table(), &plan, 3, true).unwrap();
    let proxy_evals = events
        .iter()
        .filter(|e| matches!(e, Event::Evaluated { objective, .. } if objective == "zc:synflow"))
        .count();
    assert_eq!(proxy_evals, 300);
}

#[test]
fn top_k_distinct_breaks_score_ties_by_larger_architecture_first() {
    let h = vec![
        (Nb201Arch(5), 1.0),
        (Nb201Arch(9), 2.0),
        (Nb201Arch(7), 1.0),
        (Nb201Arch(5), 1.0),
        (Nb201Arch(3), 0.5),
    ];
    let top = top_k_distinct(&h, 3);
    assert_eq!(
        top,
        vec![
            (Nb201Arch(9), 2.0),
            (Nb201Arch(7), 1.0),
            (Nb201Arch(5), 1.0)
        ]
    );
}

#[test]
fn a_local_search_escapes_only_from_a_local_optimum() {
    let plan = AlgoParams {
        budget_s: Some(30_000.0),
        ..AlgoParams::new(Algo::Ls)
    }
    .check(table())
    .unwrap();
    let col = table().column("val_acc@12").unwrap();
    let score = |key: u64| col.get(table().row(key).unwrap()).unwrap();
    for seed in 1..20 {
        let (_, events) = run_once(&Nb201, table(), &plan, seed, true).unwrap();
        for e in &events {
            if let Event::Escaped { from, .. } = e {
                let from = Nb201.from_id(*from).unwrap();
                let mut nb = Vec::new();
                Nb201.neighbours_1opt(from, &mut nb);
                let f = score(from.0 as u64);
                assert!(
                    nb.iter().all(|n| score(n.0 as u64) < f),
                    "escaped from {from:?}, which has a neighbour at least as good"
                );
            }
        }
    }
}

#[test]
fn rea_keeps_its_population_size_and_kills_the_oldest() {
    let plan = AlgoParams {
        budget_s: Some(8000.0),
        ..AlgoParams::new(Algo::Rea)
    }
    .check(table())
    .unwrap();
    let (_, events) = run_once(&Nb201, table(), &plan, 9, true).unwrap();
    let mut pop: std::collections::VecDeque<u64> = Default::default();
    for e in events {
        match e {
            Event::Born { arch, .. } => pop.push_back(arch),
            Event::Died { arch } => assert_eq!(pop.pop_front(), Some(arch)),
            _ => {}
        }
        assert!(pop.len() <= 11);
    }
    assert_eq!(pop.len(), 10);
}

#[test]
fn asking_for_a_fidelity_the_table_lacks_is_a_clear_error() {
    let mut p = AlgoParams::new(Algo::Rs);
    p.fidelity = Some(Fidelity::new(37, "hp200"));
    p.budget_s = Some(100.0);
    let plan = p.check(table()).unwrap();
    let err = run_once(&Nb201, table(), &plan, 1, false).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingData);
    assert!(err.message().contains("37"), "{err}");
}

#[test]
fn invalid_parameters_are_rejected_with_what_to_fix() {
    for (p, needle) in [
        (
            AlgoParams {
                budget_s: Some(-1.0),
                ..AlgoParams::new(Algo::Rs)
            },
            "budget",
        ),
        (
            AlgoParams {
                tournament: Some(20),
                budget_s: Some(1.0),
                ..AlgoParams::new(Algo::Rea)
            },
            "tournament",
        ),
        (
            AlgoParams {
                zc: Some("nope".into()),
                budget_s: Some(1.0),
                ..AlgoParams::new(Algo::MfNas)
            },
            "nope",
        ),
        (
            AlgoParams {
                candidates: Some(0),
                budget_s: Some(1.0),
                ..AlgoParams::new(Algo::Sh)
            },
            "candidates",
        ),
        (AlgoParams::new(Algo::Rs), "budget"),
        (AlgoParams::default(), "algorithm"),
    ] {
        let e = p.check(table()).unwrap_err();
        assert!(e.message().contains(needle), "{e}");
    }
}

#[test]
fn a_budget_too_small_for_one_evaluation_is_reported_not_panicked() {
    let plan = AlgoParams {
        budget_s: Some(1e-9),
        ..AlgoParams::new(Algo::Sh)
    }
    .check(table())
    .unwrap();
    let e = run_once(&Nb201, table(), &plan, 1, false).unwrap_err();
    assert!(e.message().contains("budget"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn promotions_come_from_the_top_scorers(scores in prop::collection::vec(-1000.0f64..1000.0, 16)) {
        let cands: Vec<Nb201Arch> = (0..16).map(|c| Nb201Arch(c as u16)).collect();
        let sh = SuccessiveHalving::with_candidates(cands, vec![0, 1], Keep::Halve, labels(2));
        let script = scores.clone();
        let asked = drive(sh, move |a, _| script[a.0 as usize], 100);
        let promoted: Vec<usize> = asked.iter().filter(|(_, r)| *r == 1).map(|(a, _)| a.0 as usize).collect();
        prop_assert_eq!(promoted.len(), 8);
        let min_promoted = promoted.iter().map(|&i| scores[i]).fold(f64::INFINITY, f64::min);
        let max_pruned = (0..16).filter(|i| !promoted.contains(i)).map(|i| scores[i]).fold(f64::NEG_INFINITY, f64::max);
        prop_assert!(min_promoted >= max_pruned);
    }

    #[test]
    fn finishing_a_run_gives_the_outcome_and_events_of_stepping_it_to_the_end(
        algo in prop::sample::select(Algo::ALL.to_vec()),
        budget_s in 200.0f64..40_000.0,
        seed in 0u64..1000,
        stepped_first in 0usize..40,
    ) {
        // Small budgets make successive halving refund the evaluation that crosses them;
        // some runs are stepped a little before they are finished, as the explorer does.
        let mut params = AlgoParams::new(algo);
        params.budget_s = Some(budget_s);
        let plan = params.check(table()).unwrap();
        let start = |record| {
            let mut reg = ObjectiveRegistry::new();
            let searcher = plan.build(&Nb201, &mut reg).unwrap();
            let evaluator = TableEvaluator::new(table(), &reg).unwrap();
            Run::new(Nb201, searcher, evaluator, reg.labels(), plan.budget, seed, record)
        };
        for record in [true, false] {
            let mut stepped = start(record);
            while stepped.step().unwrap() {}
            let mut finished = start(record);
            for _ in 0..stepped_first {
                finished.step().unwrap();
            }
            prop_assert_eq!(finished.finish().unwrap(), stepped.outcome().unwrap().clone(), "{:?}", algo);
            prop_assert_eq!(finished.drain_events(), stepped.drain_events(), "{:?}", algo);
            prop_assert_eq!(finished.spent(), stepped.spent());
        }
    }

    #[test]
    fn every_ask_of_local_search_is_told_exactly_once_and_stays_in_the_space(seed in 0u64..1000) {
        let ls = mfnas::algo::hill_climb::LocalSearch::new(0, true, Some(200), false);
        let asked = drive(ls, move |a, _| ((a.0 as u64 + seed) % 97) as f64, 10_000);
        prop_assert!(asked.iter().all(|(a, _)| (a.0 as usize) < 15_625));
        prop_assert_eq!(asked.len(), 200);
    }
}

#[test]
fn a_repeated_training_request_is_charged_in_full_and_a_longer_one_only_the_difference() {
    let t = table();
    let mut reg = ObjectiveRegistry::new();
    let e12 = reg.id(Objective::training(
        Role::ValAcc,
        Fidelity::new(12, "hp200"),
    ));
    let e25 = reg.id(Objective::training(
        Role::ValAcc,
        Fidelity::new(25, "hp200"),
    ));
    let mut ev = TableEvaluator::new(t, &reg).unwrap();
    let arch = Nb201.from_key(t.keys()[0]).unwrap();
    let epochs: Vec<u32> = [e12, e12, e25, e12]
        .iter()
        .map(|&objective| {
            let ask = EvalRequest {
                arch,
                objective,
                charge: true,
            };
            ev.evaluate(&Nb201, &ask).unwrap().cost.epochs
        })
        .collect();
    assert_eq!(epochs, vec![12, 12, 13, 12]);
}
