//! What the native and the wasm parity tests share: the runs they compare and how a run is
//! reduced to a fixture line.

use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::session::Session;
use serde::{Deserialize, Serialize};

/// The golden fixture both targets must reproduce.
pub const FIXTURE: &str = include_str!("../data/parity_synthetic3.json");

/// One run reduced to what must match: the outcome and a digest of the whole event stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunDigest {
    pub algo: Algo,
    pub seed: u64,
    pub outcome: mfnas::runner::Outcome,
    pub n_events: usize,
    pub events_fnv1a: String,
}

/// FNV-1a (64 bit) of `bytes`, as hex: a portable digest with no dependency.
pub fn fnv1a(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Every algorithm with seeds 1 and 7 on the synthetic table of seed 3, stepped through a
/// [`Session`] in slices of 97 steps (as the worker does).
pub fn digests() -> Vec<RunDigest> {
    let mut session = Session::new();
    session.load_synthetic(3).expect("synthetic table");
    let mut out = Vec::new();
    for algo in Algo::ALL {
        for seed in [1u64, 7] {
            let mut params = AlgoParams::new(algo);
            if algo != Algo::FreeRea {
                params.budget_s = Some(20_000.0);
            }
            session.start_run(&params, seed).expect("valid parameters");
            let mut events = Vec::new();
            let outcome = loop {
                let batch = session.step(97).expect("step");
                events.extend(batch.events);
                if let Some(o) = batch.outcome {
                    break o;
                }
            };
            let json = serde_json::to_string(&events).expect("events serialise");
            out.push(RunDigest {
                algo,
                seed,
                outcome,
                n_events: events.len(),
                events_fnv1a: fnv1a(json.as_bytes()),
            });
        }
    }
    out
}

/// [`digests`] as the fixture's text (compared as text: float parsing may not round-trip).
pub fn digests_json() -> String {
    serde_json::to_string_pretty(&digests()).expect("digests serialise") + "\n"
}

/// The fixture's digest of `algo` with `seed` (used by the wasm tests).
#[allow(dead_code)]
pub fn fixture_digest(algo: Algo, seed: u64) -> RunDigest {
    let all: Vec<RunDigest> = serde_json::from_str(FIXTURE).expect("fixture parses");
    all.into_iter()
        .find(|d| d.algo == algo && d.seed == seed)
        .expect("fixture has the run")
}
