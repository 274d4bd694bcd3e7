//! Proxy scores are reproducible: the same seed gives the same scores. Kept in its own test
//! binary because scores are bit-for-bit reproducible only while no other computation runs in
//! the process at the same time (see docs/COMPANION.md, "Determinism").
#![cfg(feature = "companion")]

mod companion_common;

use mfnas::companion::data::load_jpeg_tar;
use mfnas::companion::net::{NetConfig, cpu};
use mfnas::companion::proxies::{ProxyEvaluator, batch_from};
use mfnas::space::nb201::Nb201Arch;

#[test]
fn the_same_seed_gives_the_same_proxy_scores() {
    let Some(dir) = companion_common::cifar_jpg() else {
        return;
    };
    let set = load_jpeg_tar(&dir.join("cifar10_test_jpg.tar.gz"), Some(2)).unwrap();
    let device = cpu().autodiff();
    let norm = set.channel_stats();
    let small = NetConfig {
        channels: 4,
        cells_per_stage: 1,
        num_classes: 10,
        in_channels: 3,
    };
    let score = |name: &str| {
        let b = batch_from(&set, &norm, 8, 5, &device).unwrap();
        ProxyEvaluator::new(small, b, 5, &device)
            .score(Nb201Arch::from_index(17).unwrap(), name)
            .unwrap()
            .score
    };
    for name in ["snip", "zen", "nwot"] {
        assert_eq!(score(name), score(name), "{name}");
    }
}
