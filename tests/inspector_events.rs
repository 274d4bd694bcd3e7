//! The step inspector's data: every comparison local search makes is reported by a
//! `Compared` event whose numbers agree with the rest of the event stream.

use mfnas::algo::config::{Algo, AlgoParams, Stage1Kind};
use mfnas::event::{Event, Verdict};
use mfnas::experiment;
use mfnas::space::nb201::{Nb201, Nb201Arch};
use mfnas::table::synthetic;

fn events(algo: Algo, seed: u64, stage1: Option<Stage1Kind>) -> Vec<Event> {
    let table = synthetic::nb201_full_curves(3);
    let mut p = AlgoParams::new(algo);
    p.budget_s = Some(20_000.0);
    p.stage1 = stage1;
    let plan = p.check(&table).unwrap();
    experiment::run_once(&Nb201, &table, &plan, seed, true)
        .unwrap()
        .1
}

/// The edges on which the cells with ids `a` and `b` differ.
fn differing_edges(a: u64, b: u64) -> Vec<u32> {
    let cell = |id: u64| Nb201Arch::from_index(id as u32).unwrap().genotype();
    let (ga, gb) = (cell(a), cell(b));
    (0..6u32)
        .filter(|&i| ga[i as usize] != gb[i as usize])
        .collect()
}

/// Replays the stream and checks each `Compared` against it; returns how many there were
/// of each verdict (accepted, rejected, escape). First-improvement search compares only true
/// neighbours (one edge changed); a best-improvement sweep keeps the neighbours it queued
/// before a move, which may then differ from the new current cell on two edges.
fn check_stream(ev: &[Event], sweep_all: bool) -> [usize; 3] {
    let neighbour_edges = if sweep_all { 1..=2 } else { 1..=1 };
    let mut counts = [0; 3];
    let mut current: Option<(u64, Option<f64>)> = None;
    let mut last_eval: Option<(u64, Option<f64>)> = None;
    for (i, e) in ev.iter().enumerate() {
        match e {
            Event::StageStarted { stage: 2, .. } => break,
            Event::Evaluated { arch, score, .. } => {
                if current.is_none() {
                    current = Some((*arch, *score));
                }
                last_eval = Some((*arch, *score));
            }
            Event::Compared {
                from,
                to,
                changed,
                before,
                after,
                difference,
                verdict,
            } => {
                let (cur, cur_score) = current.expect("a comparison follows the start");
                assert_eq!(*from, cur, "event {i}: compares with the current solution");
                assert_eq!(*before, cur_score, "event {i}: before is the current score");
                assert_eq!(
                    Some((*to, *after)),
                    last_eval,
                    "event {i}: after is the score just evaluated"
                );
                assert_eq!(*difference, before.zip(*after).map(|(b, a)| a - b));
                assert_eq!(*changed, differing_edges(*from, *to), "event {i}");
                let next = ev.get(i + 1);
                match verdict {
                    Verdict::Accepted => {
                        counts[0] += 1;
                        assert!(
                            neighbour_edges.contains(&changed.len()),
                            "event {i}: {changed:?}"
                        );
                        assert!(
                            after.unwrap_or(f64::NEG_INFINITY)
                                >= before.unwrap_or(f64::NEG_INFINITY)
                        );
                        assert_eq!(
                            next,
                            Some(&Event::Moved {
                                from: *from,
                                to: *to,
                                score: after.unwrap_or(f64::NEG_INFINITY)
                            })
                        );
                        current = Some((*to, *after));
                    }
                    Verdict::Rejected => {
                        counts[1] += 1;
                        assert!(
                            neighbour_edges.contains(&changed.len()),
                            "event {i}: {changed:?}"
                        );
                        assert!(
                            after.unwrap_or(f64::NEG_INFINITY)
                                < before.unwrap_or(f64::NEG_INFINITY)
                        );
                        assert!(!matches!(
                            next,
                            Some(Event::Moved { .. } | Event::Escaped { .. })
                        ));
                    }
                    Verdict::Escape => {
                        counts[2] += 1;
                        assert_eq!(changed.len(), 2, "an escape changes two edges");
                        assert_eq!(
                            next,
                            Some(&Event::Escaped {
                                from: *from,
                                to: *to
                            })
                        );
                        current = Some((*to, *after));
                    }
                }
            }
            _ => {}
        }
    }
    counts
}

#[test]
fn every_local_search_comparison_agrees_with_the_event_stream() {
    for seed in 1..=4 {
        let [acc, rej, _] = check_stream(&events(Algo::Ls, seed, None), false);
        assert!(
            acc > 0 && rej > 0,
            "seed {seed}: {acc} accepted, {rej} rejected"
        );
    }
}

#[test]
fn mf_nas_stage_1_reports_its_comparisons_including_escapes() {
    let mut escapes = 0;
    for seed in 1..=3 {
        let ev = events(Algo::MfNas, seed, None);
        let [acc, rej, esc] = check_stream(&ev, false);
        escapes += esc;
        // Stage 1 evaluates M = 2000 cells: the start, then one comparison per evaluation.
        let stage1_evals = ev
            .iter()
            .take_while(|e| !matches!(e, Event::StageStarted { stage: 2, .. }))
            .filter(|e| matches!(e, Event::Evaluated { .. }))
            .count();
        assert_eq!(acc + rej + esc, stage1_evals - 1, "seed {seed}");
    }
    assert!(
        escapes > 0,
        "2,000 proxy evaluations reach at least one local optimum"
    );
}

#[test]
fn best_improvement_local_search_reports_its_comparisons_too() {
    let [acc, rej, _] = check_stream(&events(Algo::MfNas, 2, Some(Stage1Kind::Bls)), true);
    assert!(acc > 0 && rej > 0);
}

#[test]
fn random_search_compares_nothing() {
    let ev = events(Algo::MfNas, 1, Some(Stage1Kind::Rs));
    assert!(!ev.iter().any(|e| matches!(e, Event::Compared { .. })));
}
