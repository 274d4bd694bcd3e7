//! The companion: real NB201 networks, real zero-cost proxies computed on real images, real
//! training, and live MF-NAS where no benchmark table exists.
//!
//! Everything runs on burn's pure-Rust CPU backend, or on a GPU through burn's `wgpu` backend
//! with the `gpu` feature ([`device`]); see `docs/COMPANION.md` for measured throughput. Four
//! cargo features build it in layers:
//! - `model`: the network ([`net`]), the proxies ([`proxies`]), the training step ([`train`]),
//!   in-memory images ([`data`]) and the page's reduced settings ([`lab`]); no threads, no
//!   files, so it also builds for wasm32 (the explorer's lab module);
//! - `images`: the image file readers of [`data`] (and [`lab`]'s extraction from them);
//! - `companion`: both, with burn's threads and SIMD, plus live MF-NAS (its training jobs:
//!   [`task`]; who runs them: [`executor`]) and proxy tables;
//! - `gpu`: the companion plus burn's `wgpu` backend (`--device gpu`).

pub mod data;
#[cfg(feature = "companion")]
pub mod device;
#[cfg(feature = "companion")]
pub mod executor;
pub mod lab;
#[cfg(feature = "companion")]
pub mod live;
#[cfg(feature = "model")]
pub mod net;
#[cfg(feature = "model")]
pub mod proxies;
#[cfg(feature = "companion")]
pub mod report;
#[cfg(feature = "model")]
pub mod stats;
#[cfg(feature = "companion")]
pub mod task;
#[cfg(feature = "model")]
pub mod train;
#[cfg(feature = "companion")]
pub mod zc_table;
