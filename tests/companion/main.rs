//! The companion's tests (real NB201 networks on burn's CPU backend), one module per concern,
//! in one test binary: every binary that links burn costs minutes of linking and hundreds of
//! megabytes of disk, so they share one. `tests/companion_determinism.rs` stays apart because
//! its bit-for-bit check needs a process with nothing else running in it.
#![cfg(feature = "companion")]

#[path = "../companion_common/mod.rs"]
mod companion_common;

mod data;
mod executors;
mod gpu;
mod live;
mod net;
mod proxies;
mod train;
mod zc_table;
