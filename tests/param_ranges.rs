//! Numeric parameters outside their documented range (`mfnas::limits`) are refused with an
//! error that states the range, before any work: the commands of issue #12 that panicked,
//! aborted or ran away. Runs on the synthetic table (NB201's 15,625 cells), no data needed.
#![cfg(feature = "cli")]

use std::process::{Command, Output};

fn mfnas(args: &[String]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mfnas"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs `args` and checks that it fails cleanly (status 1, no panic) saying `needle`.
fn refused(args: &[String], needle: &str) {
    let o = mfnas(args);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
}

/// `mfnas run` on the synthetic table with the paper's cifar10 budget, then `extra`.
fn run_with(extra: &[&str]) -> Vec<String> {
    ["run", "--dataset", "synthetic", "--budget", "20000"]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn successive_halving_refuses_more_candidates_than_the_table_has_architectures() {
    for n in ["18446744073709551615", "1000000000000", "15626"] {
        refused(
            &run_with(&["--algo", "sh", "--candidates", n]),
            &format!("candidates is {n}, but must be from 1 to 15625"),
        );
    }
}

#[test]
fn evolution_refuses_a_population_larger_than_the_table() {
    for n in ["1000000000000", "1000000"] {
        refused(
            &run_with(&["--algo", "rea", "--population", n]),
            &format!("population is {n}, but must be from 2 to 15625"),
        );
    }
}

#[test]
fn mf_nas_refuses_stage_one_evaluations_beyond_the_cap() {
    refused(
        &run_with(&[
            "--algo",
            "mf-nas",
            "--zc",
            "synflow",
            "--stage1-evals",
            "18446744073709551615",
        ]),
        "stage-1 evaluations is 18446744073709551615, but must be from 1 to 1000000",
    );
}

#[test]
fn the_search_trend_refuses_evaluations_and_runs_beyond_their_caps() {
    let trend = |evals: &str, repeats: &str| -> Vec<String> {
        [
            "landscape",
            "--synthetic",
            "1",
            "--metric",
            "synflow",
            "--trend",
            "--evals",
            evals,
            "--repeats",
            repeats,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    refused(
        &trend("18446744073709551615", "1"),
        "search-trend evaluations is 18446744073709551615, but must be from 1 to 100000",
    );
    refused(
        &trend("10000000000", "2"),
        "search-trend evaluations is 10000000000, but must be from 1 to 100000",
    );
    refused(
        &trend("100", "18446744073709551615"),
        "search-trend runs is 18446744073709551615, but must be from 1 to 10000",
    );
}
