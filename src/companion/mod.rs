//! The native companion (feature `companion`): real NB201 networks, real zero-cost proxies
//! computed on real images, real training, and live MF-NAS where no benchmark table exists.
//!
//! Everything runs on burn's pure-Rust CPU backend; see `docs/COMPANION.md` for why and for
//! measured throughput.

pub mod data;
pub mod live;
pub mod net;
pub mod proxies;
pub mod report;
pub mod stats;
pub mod train;
pub mod zc_table;
