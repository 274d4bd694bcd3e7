//! Starting local search at a chosen architecture (`AlgoParams::start`, `mfnas run --start`,
//! the explorer's "Start a local search here"): LS, BLS and MF-NAS's local-search stage 1
//! begin exactly there; an id and the arch string of the same cell give the same run; a
//! start outside the table's space, an empty one, or one given to an algorithm without
//! local search is refused with what to change. Runs on the synthetic table.

use mfnas::algo::config::{Algo, AlgoParams, Stage1Kind};
use mfnas::event::Event;
use mfnas::experiment::run_on_table;
use mfnas::runner::space::TableSpace;
use mfnas::session::Session;
use mfnas::space::SearchSpace;
use mfnas::space::nb201::Nb201;
use mfnas::table::{Table, synthetic};
use mfnas::{Error, ErrorKind};
use std::process::Command;

fn table() -> Table {
    synthetic::nb201_full_curves(3)
}

fn params(algo: Algo, start: &str) -> AlgoParams {
    AlgoParams {
        budget_s: Some(3_000.0),
        start: Some(start.to_string()),
        ..AlgoParams::new(algo)
    }
}

/// The id of the first architecture a run of `p` evaluates, and the run's events.
fn first_evaluated(p: &AlgoParams, seed: u64) -> Result<(u64, Vec<Event>), Error> {
    let table = table();
    let plan = p.check(&table)?;
    let space = TableSpace::of(&table)?;
    let (_, events) = run_on_table(&space, &table, &plan, seed, true)?;
    let first = events
        .iter()
        .find_map(|e| match e {
            Event::Evaluated { arch, .. } => Some(*arch),
            _ => None,
        })
        .expect("a run evaluates something");
    Ok((first, events))
}

#[test]
fn local_search_and_mf_nas_stage_1_begin_at_the_given_architecture() {
    let mut cases: Vec<AlgoParams> = vec![params(Algo::Ls, "#4321"), params(Algo::Bls, "4321")];
    for stage1 in [Stage1Kind::Fls, Stage1Kind::Bls] {
        cases.push(AlgoParams {
            stage1: Some(stage1),
            ..params(Algo::MfNas, "4321")
        });
    }
    for p in cases {
        for seed in [1, 2, 99] {
            let (first, _) = first_evaluated(&p, seed).unwrap();
            assert_eq!(first, 4321, "{:?} {:?} seed {seed}", p.algo, p.stage1);
        }
    }
}

#[test]
fn a_start_given_as_an_arch_string_runs_exactly_as_the_same_cell_given_by_id() {
    let arch = Nb201.from_id(777).unwrap();
    let text = Nb201.to_string(arch);
    let (_, by_id) = first_evaluated(&params(Algo::Ls, "777"), 5).unwrap();
    let (_, by_string) = first_evaluated(&params(Algo::Ls, &text), 5).unwrap();
    assert_eq!(by_id, by_string);
}

#[test]
fn different_starts_give_different_runs_with_the_same_seed() {
    let (_, a) = first_evaluated(&params(Algo::Ls, "0"), 5).unwrap();
    let (_, b) = first_evaluated(&params(Algo::Ls, "15624"), 5).unwrap();
    assert_ne!(a, b);
}

#[test]
fn a_start_outside_the_space_is_refused_with_the_range_of_ids() {
    for bad in ["15625", "#99999999999", "|nor_conv_3x3~0|+|bogus~0|"] {
        let e = first_evaluated(&params(Algo::Ls, bad), 1).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArchitecture, "{bad}: {e}");
        assert!(e.to_string().contains("start architecture"), "{bad}: {e}");
    }
}

#[test]
fn a_start_for_an_algorithm_without_local_search_is_refused() {
    for p in [
        params(Algo::Rs, "1"),
        params(Algo::Rea, "1"),
        params(Algo::Sh, "1"),
        AlgoParams {
            stage1: Some(Stage1Kind::Rs),
            ..params(Algo::MfNas, "1")
        },
    ] {
        let e = p.check(&table()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter, "{e}");
        assert!(e.to_string().contains("local search only"), "{e}");
    }
}

#[test]
fn an_empty_start_is_refused() {
    let e = params(Algo::Ls, "  ").check(&table()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidParameter);
}

#[test]
fn the_session_starts_the_explorer_s_run_at_the_chosen_cell() {
    let mut s = Session::new();
    s.load_synthetic(3).unwrap();
    let info = s.start_run(&params(Algo::MfNas, "#321"), 8).unwrap();
    assert!(info.label.contains("from #321"), "{}", info.label);
    let batch = s.step(5).unwrap();
    let first = batch.events.iter().find_map(|e| match e {
        Event::Evaluated { arch, .. } => Some(*arch),
        _ => None,
    });
    assert_eq!(first, Some(321));
    let e = s.start_run(&params(Algo::Ls, "#15625"), 8).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArchitecture, "{e}");
}

#[test]
fn the_command_line_starts_at_the_given_cell_and_refuses_it_where_it_does_not_apply() {
    let dir = std::env::temp_dir().join(format!("mfnas-start-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let events = dir.join("events.jsonl");
    let mfnas = || Command::new(env!("CARGO_BIN_EXE_mfnas"));
    let o = mfnas()
        .args([
            "run",
            "--dataset",
            "synthetic",
            "--algo",
            "ls",
            "--budget",
            "2000",
        ])
        .args([
            "--start",
            "|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|",
        ])
        .arg("--events")
        .arg(&events)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let expected = Nb201.id(Nb201
        .parse("|nor_conv_3x3~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|")
        .unwrap());
    let first = std::fs::read_to_string(&events)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .find(|e| e["type"] == "evaluated")
        .expect("an evaluation");
    assert_eq!(first["arch"].as_u64(), Some(expected));
    for (algo, needle) in [("rea", "--start does not apply"), ("ls", "15625")] {
        let o = mfnas()
            .args([
                "run",
                "--dataset",
                "synthetic",
                "--budget",
                "2000",
                "--algo",
                algo,
            ])
            .args(["--start", "15625"])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(needle) && !err.contains("panicked"), "{err}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
