//! Shared helpers of the companion tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The tests' shared rule for missing inputs (`tests/common`): a recorded skip, or a
/// failure under MFNAS_REQUIRE_DATA=1.
#[path = "../common/mod.rs"]
mod common;
pub use common::skip;

/// The shared data folder (`MFNAS_DATA` or `../shared/data`).
pub fn data_dir() -> PathBuf {
    std::env::var_os("MFNAS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"))
}

/// The CIFAR-10 JPEG folder, or `None` (with a note) when absent.
pub fn cifar_jpg() -> Option<PathBuf> {
    let p = data_dir().join("images/cifar10-jpg");
    if p.join("cifar10_train_jpg.tar.gz").is_file() {
        Some(p)
    } else {
        skip(&format!("no CIFAR-10 JPEG shards under {}", p.display()));
        None
    }
}
