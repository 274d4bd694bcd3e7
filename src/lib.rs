//! # mfnas
//!
//! MF-NAS — multi-fidelity neural architecture search in which a zero-cost proxy guides a
//! local search and successive halving with a training-based metric picks the winner — and
//! the fitness-landscape analysis behind it, over NAS-Bench-201 tables.
//!
//! The same core runs natively (the `mfnas` command line) and in the browser (wasm).
//!
//! ```
//! use mfnas::{algo::config::{Algo, AlgoParams}, experiment, space::nb201::Nb201, table::synthetic};
//!
//! // A synthetic table with full learning curves (real tables come from `mfnas pack`).
//! let table = synthetic::nb201_full_curves(1);
//! let mut params = AlgoParams::new(Algo::MfNas);
//! params.zc = Some("params".into());
//! params.budget_s = Some(20_000.0);
//! let plan = params.check(&table).unwrap();
//! let (outcome, events) = experiment::run_once(&Nb201, &table, &plan, 1, true).unwrap();
//! assert!(outcome.test_acc.is_some());
//! assert!(!events.is_empty());
//! ```
#![deny(missing_docs)]

pub mod algo;
pub mod budget;
#[cfg(any(feature = "model", feature = "images"))]
pub mod companion;
pub mod error;
pub mod event;
pub mod experiment;
#[cfg(not(target_arch = "wasm32"))]
pub mod files;
pub mod limits;
pub mod lon;
pub mod objective;
pub mod paper;
pub mod params;
pub mod report;
pub mod rng;
pub mod runner;
pub mod session;
#[cfg(feature = "cli")]
pub mod sources;
pub mod space;
pub mod table;
// The explorer's engine face. The lab module (`lab/`, feature `lab-module`) leaves it out: it
// has a face of its own and no use for the engine's.
#[cfg(all(target_arch = "wasm32", not(feature = "lab-module")))]
pub mod wasm;

pub use error::{Error, ErrorKind, Result};
