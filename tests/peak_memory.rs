//! A run's memory is bounded whatever its budget: random search, local search and best-
//! improvement local search keep only what their snapshot shows, so a budget a thousand times
//! larger (over a million evaluations more) leaves the process's peak resident
//! memory where it was. The test is alone in its binary so that the process's peak is its own.
//! It reads the peak from /proc (Linux); elsewhere it records a skip.

mod common;

use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::experiment::run_once;
use mfnas::space::nb201::Nb201;
use mfnas::table::synthetic::nb201_full_curves;

/// The process's peak resident memory in KiB (`VmHWM`), where the system reports it.
fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Kept evaluations would show: an (architecture, score) pair is 16 bytes, and the large
/// budget runs over a million evaluations more than the small one (over 16 MB of history).
const ALLOWED_GROWTH_KIB: u64 = 4 * 1024;

#[test]
fn random_and_local_search_peak_memory_does_not_grow_with_a_thousandfold_budget() {
    if peak_kib().is_none() {
        common::skip("no VmHWM in /proc/self/status: peak memory cannot be read on this system");
        return;
    }
    let table = nb201_full_curves(11);
    for algo in [Algo::Rs, Algo::Ls, Algo::Bls] {
        let plan = |budget_s: f64| {
            AlgoParams {
                algo: Some(algo),
                budget_s: Some(budget_s),
                ..AlgoParams::default()
            }
            .check(&table)
            .unwrap()
        };
        let (small, _) = run_once(&Nb201, &table, &plan(2e5), 1, false).unwrap();
        let before = peak_kib().unwrap();
        let (large, _) = run_once(&Nb201, &table, &plan(2e8), 1, false).unwrap();
        let after = peak_kib().unwrap();
        assert!(
            large.evals >= 500 * small.evals && large.evals >= 1_000_000,
            "{algo:?}: the large budget ran {} evaluations against {}",
            large.evals,
            small.evals
        );
        assert!(
            after - before <= ALLOWED_GROWTH_KIB,
            "{algo:?}: peak memory grew by {} KiB over {} more evaluations",
            after - before,
            large.evals - small.evals
        );
    }
}
