//! The explorer's lab: real zero-cost proxies and live training of a reduced NB201 network,
//! computed by the page's second wasm module (`lab/`) and by `mfnas score` / `mfnas train`
//! with the same code, the same images and the same seeds, so that a number seen in class can
//! be reproduced on the command line.
//!
//! - [`images`]: the lab's image set — a few thousand real CIFAR-10 images in one small file
//!   (`LabImages`), extracted from the CIFAR-10 JPEG shards at build time;
//! - [`score`]: params, FLOPs, synflow and NASWOT (any of the 13 proxies natively) of any NB201
//!   cell on the full benchmark network (C = 16, N = 5) and a seeded batch of real images;
//! - [`run`]: a reduced NB201 network trained in bounded slices (one mini-batch, or one slice
//!   of validation, per call) with NB201's recipe, so a worker can pause within a step.

pub mod images;
#[cfg(feature = "model")]
pub mod run;
#[cfg(feature = "model")]
pub mod score;

pub use images::{LabImageSpec, LabImages};
